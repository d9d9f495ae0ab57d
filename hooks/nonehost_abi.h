/*
 * nonehost_abi.h - the image <-> host ABI of nonehost. Single source of truth.
 *
 * The host (C) includes this header; the guest BSP's Go constants
 * (hooks/bsp/abi_none.go) are checked against it by tests/abi (make test).
 *
 * Versioning: NH_ABI_VERSION is bumped whenever a field of nh_hostblock
 * moves or changes meaning, or an op changes its arguments. New ops and
 * fields appended into reserved space do not bump it; the guest checks
 * hb->size before reading a field past the version-1 layout.
 *
 * Self-contained C11; no host headers needed.
 */
#ifndef NONEHOST_ABI_H
#define NONEHOST_ABI_H

#include <stdint.h>

/* "NONEHOST" read as a little-endian uint64. */
#define NH_ABI_MAGIC   UINT64_C(0x54534f48454e4f4e)
#define NH_ABI_VERSION 1

/*
 * Guest memory layout on amd64. The image is linked at NH_AMD64_TEXT_ADDR
 * (the go linker's default for GOOS=none); RAM starts at NH_AMD64_RAM_START
 * and the image must lie inside it. The heap ("bloc") starts at the first
 * page after the image; the initial stack top is ram_start + ram_size -
 * ram_stack_offset; the ram_stack_offset bytes above it hold the host block
 * and the argv/envp strings.
 */
#define NH_AMD64_RAM_START  UINT64_C(0x10000000)
#define NH_AMD64_TEXT_ADDR  UINT64_C(0x10001000)
#define NH_RAM_STACK_OFFSET UINT64_C(0x100000) /* 1 MiB above the stack */
#define NH_PAGE_SIZE        UINT64_C(4096)

/*
 * The host block. Read-only for the guest; its address is in RDI (amd64)
 * at the image entry point, and RSP = stack_top (16-byte aligned).
 * Pointers are guest virtual addresses (identical to host addresses on the
 * native host).
 */
struct nh_hostblock {
	uint64_t magic;            /* NH_ABI_MAGIC */
	uint32_t abi_version;      /* NH_ABI_VERSION */
	uint32_t size;             /* sizeof(struct nh_hostblock) as the host built it */
	uint64_t ram_start;        /* first byte of guest RAM */
	uint64_t ram_size;         /* bytes of guest RAM */
	uint64_t ram_stack_offset; /* bytes reserved above the initial stack */
	uint64_t heap_start;       /* first free page after the image ("bloc") */
	uint64_t stack_top;        /* initial guest stack pointer */
	uint64_t stack_size;       /* bytes of initial stack above its guard page */
	uint64_t argc;             /* number of arguments, argv[0] included */
	uint64_t argv;             /* char *argv[argc], NULL, char *envp[], NULL */
	uint64_t gate;             /* entry of the gate, see NH_GATE_* below */
	uint64_t gate_stack;       /* top of the host-call stack (not guest RAM) */
	uint64_t flags;            /* NH_HB_* */
	uint64_t reserved[19];     /* zero; room for later fields */
};

_Static_assert(sizeof(struct nh_hostblock) == 256, "nh_hostblock is 256 bytes");

/* Field offsets, for guest assembly (checked by tests/abi). */
#define NH_HB_MAGIC            0
#define NH_HB_ABI_VERSION      8
#define NH_HB_SIZE             12
#define NH_HB_RAM_START        16
#define NH_HB_RAM_SIZE         24
#define NH_HB_RAM_STACK_OFFSET 32
#define NH_HB_HEAP_START       40
#define NH_HB_STACK_TOP        48
#define NH_HB_STACK_SIZE       56
#define NH_HB_ARGC             64
#define NH_HB_ARGV             72
#define NH_HB_GATE             80
#define NH_HB_GATE_STACK       88
#define NH_HB_FLAGS            96

/* nh_hostblock.flags */
#define NH_HB_TRACE UINT64_C(1) /* the host traces every call (--trace) */

/*
 * The gate (amd64). One entry for every host call:
 *   in:  RAX = op, RDI, RSI, RDX, R10, R8, R9 = a0..a5 (the Linux syscall order)
 *   out: RAX = int64 result; negative values are -errno (Linux numbering)
 *   preserved: RBX, RBP, RSP, R12-R15 (SysV callee-saved); everything else,
 *   X0-X15 included, is clobbered. The gate needs 8 bytes of guest stack
 *   (its return address) and runs the host on gate_stack.
 * Only NH_OP_IDLE may block; every other op returns promptly.
 */

/* Ops. Ranges: 0x000 core, 0x100 files (fs-shim), 0x200 network
 * (netstack-shim), 0x300 processes. Unknown ops return -NH_ENOSYS. */
enum nh_op {
	NH_OP_EXIT      = 0x001, /* (status) -> does not return */
	NH_OP_WRITE     = 0x002, /* (fd 1|2, buf, len) -> bytes written */
	NH_OP_PRINTK    = 0x003, /* (byte) -> 0; buffered, flushed at '\n' */
	NH_OP_NANOTIME  = 0x004, /* () -> CLOCK_MONOTONIC in ns */
	NH_OP_WALLTIME  = 0x005, /* () -> CLOCK_REALTIME in ns since the Unix epoch */
	NH_OP_GETRANDOM = 0x006, /* (buf, len) -> bytes filled (len <= 256 per call,
	                          * larger is -NH_EINVAL) */
	NH_OP_IDLE      = 0x007, /* (until: monotonic ns) -> 0; may return early.
	                          * until 0 (no deadline) is -NH_EDEADLK while the
	                          * host has no asynchronous I/O that could wake it */
	NH_OP_FAULT     = 0x008, /* (handler pc, info buf) -> 0; (0, 0) unregisters;
	                          * see nh_fault */
	NH_OP_PREEMPT   = 0x009, /* (handler pc) -> 0; (0) unregisters; see below */
	NH_OP_CORE_MAX  = 0x009,
};

#define NH_GETRANDOM_MAX 256

/*
 * Faults. A guest that registers a handler with NH_OP_FAULT gets synchronous
 * faults (SIGSEGV, SIGBUS, SIGILL, SIGFPE in guest code) delivered to it:
 * the host fills the nh_fault at the registered address and resumes the
 * guest at the handler with RSP = the faulting RSP, everything else as at
 * the fault. Without a handler, or for a fault outside guest text, the host
 * reports it and exits NH_EXIT_FAULT.
 */
struct nh_fault {
	uint64_t signo; /* Linux signal number */
	uint64_t code;  /* si_code */
	uint64_t addr;  /* faulting data address (si_addr) */
	uint64_t pc;    /* guest PC of the faulting instruction */
};
_Static_assert(sizeof(struct nh_fault) == 32, "nh_fault is 32 bytes");

/*
 * Preemption. A guest that registers a handler with NH_OP_PREEMPT gets a
 * time-slice tick every NH_PREEMPT_TICK_NS of CPU time it uses (none while
 * it idles): when the tick finds it running its own code on its own stack,
 * the host pushes the interrupted PC on the guest stack, as a call would,
 * and resumes the guest at the handler with every other register as it
 * was. The handler returns to go on, or preempts the running goroutine.
 */
#define NH_PREEMPT_TICK_NS 10000000

/* Errno values the guest relies on (Linux numbering, all architectures). */
#define NH_EPERM  1
#define NH_ENOENT 2
#define NH_EINTR  4
#define NH_EIO    5
#define NH_EBADF  9
#define NH_EAGAIN 11
#define NH_EFAULT 14
#define NH_EINVAL 22
#define NH_EDEADLK 35 /* idle(0): nothing could ever wake the guest */
#define NH_ENOSYS 38

/* Exit statuses of the host itself. The image's own status passes through. */
#define NH_EXIT_USAGE    125 /* host usage or set-up error */
#define NH_EXIT_REJECTED 126 /* image rejected by the loader */
#define NH_EXIT_FAULT    139 /* unhandled guest fault (128 + SIGSEGV) */
#define NH_EXIT_SANDBOX  159 /* sandbox violation (128 + SIGSYS) */

/* The ELF marking of GOOS=none images. */
#define NH_ELFOSABI_STANDALONE 255

#endif /* NONEHOST_ABI_H */
