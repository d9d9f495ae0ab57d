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
 * Guest memory layout, the same on every architecture. The image is linked
 * at NH_TEXT_ADDR (the go linker's default for GOOS=none); RAM starts at
 * NH_RAM_START and the image must lie inside it. The heap ("bloc") starts at the first
 * page after the image; the initial stack top is ram_start + ram_size -
 * ram_stack_offset; the ram_stack_offset bytes above it hold the host block
 * and the argv/envp strings.
 */
#define NH_RAM_START        UINT64_C(0x10000000)
#define NH_TEXT_ADDR        UINT64_C(0x10001000)
#define NH_RAM_STACK_OFFSET UINT64_C(0x100000) /* 1 MiB above the stack */
#define NH_PAGE_SIZE        UINT64_C(4096)

/*
 * The host block. Read-only for the guest (sig_pending excepted); at the image entry point its
 * address is in the first argument register (RDI on amd64, x0 on arm64, a0
 * on riscv64), the stack pointer is stack_top (16-byte aligned) and every
 * other general-purpose register is zero, except the register the host
 * jumped through (arm64 x16, riscv64 t1, arm r12: the entry point) and
 * riscv64's gp and tp, which hold the host's values and must keep them (see
 * the gate below). arm enters in ARM (not Thumb) state, at a 4-byte aligned
 * entry point.
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
	uint64_t argv;             /* char *argv[argc], NULL, char *envp[], NULL (guest
	                            * pointers: 4 bytes each on arm) */
	uint64_t gate;             /* entry of the gate, see NH_GATE_* below */
	uint64_t gate_stack;       /* top of the host-call stack (not guest RAM) */
	uint64_t flags;            /* NH_HB_* */
	uint64_t cwd;              /* NUL-terminated initial working directory (a
	                            * guest path), or 0 when NH_HB_FS is clear */
	uint32_t sig_pending[2];   /* caught signals not yet taken, signal s at bit
	                            * (s-1)%32 of word (s-1)/32: the host sets bits,
	                            * the guest takes a word with an atomic exchange
	                            * (the one field the guest writes; see "Signals") */
	uint32_t sig_ignored[2];   /* signals ignored when the image started (as
	                            * nohup leaves SIGHUP), same layout */
	uint32_t uid;              /* the user the image runs as (the host process's
	                            * effective uid), when NH_HB_IDS */
	uint32_t gid;              /* its group (effective gid), when NH_HB_IDS */
	uint64_t hwcap;            /* the CPU's features as Linux reports them to the
	                            * host: AT_HWCAP (under qemu-user, the emulated
	                            * CPU's); 0: none known */
	uint64_t hwcap2;           /* AT_HWCAP2, the same way */
	int32_t pid;               /* the image's process ID: its host process's, as
	                            * the parent that started it knows it; when
	                            * NH_HB_PIDS */
	int32_t ppid;              /* its parent's: a child image's, the image that
	                            * started it; else the host process's parent */
	uint64_t hostname;         /* NUL-terminated: the machine's name (uname's
	                            * nodename) in the read-only area, or 0 */
	uint64_t executable;       /* NUL-terminated: the image's real path on the host
	                            * (os.Executable) in the read-only area, or 0 */
	uint64_t reserved[10];     /* zero; room for later fields */
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
#define NH_HB_CWD              104
#define NH_HB_SIG_PENDING      112
#define NH_HB_SIG_IGNORED      120
#define NH_HB_UID              128
#define NH_HB_GID              132
#define NH_HB_HWCAP            136
#define NH_HB_HWCAP2           144
#define NH_HB_PID              152
#define NH_HB_PPID             156
#define NH_HB_HOSTNAME         160
#define NH_HB_EXECUTABLE       168

/* nh_hostblock.flags */
#define NH_HB_TRACE UINT64_C(1) /* the host traces every call (--trace) */
#define NH_HB_FS    UINT64_C(2) /* the host serves the file ops (0x100-) */
#define NH_HB_NET   UINT64_C(4) /* the host serves the network ops (0x200-) */
#define NH_HB_PROC  UINT64_C(8) /* the host serves the process ops (0x300-) */
#define NH_HB_IDS   UINT64_C(16) /* uid and gid are set (a host of before them
                                  * leaves them zero: root, which they are not) */
#define NH_HB_PIDS  UINT64_C(32) /* pid and ppid are set */

/*
 * The gate. One entry for every host call, reached by a call to
 * hostblock.gate, in each architecture's Linux system call registers:
 *
 *   amd64:   op RAX; a0..a5 RDI, RSI, RDX, R10, R8, R9; result RAX.
 *            Preserved: RBX, RBP, RSP, R12-R15 (SysV callee-saved);
 *            everything else, X0-X15 included, is clobbered. Needs 8 bytes
 *            of guest stack (the return address).
 *   arm64:   op x8; a0..a5 x0-x5; result x0; called with BLR, returns to
 *            x30. Preserved: x19-x29 and SP; everything else, x30 and the
 *            SIMD registers included, is clobbered. No guest stack.
 *            TPIDR_EL0 is the host's (its C library's thread pointer): the
 *            guest must never change it, as riscv64's tp below.
 *   riscv64: op a7; a0..a5 a0-a5; result a0; called with JALR, returns to
 *            ra. Preserved: s0-s11, sp, gp and tp; everything else, ra and
 *            the floating-point registers included, is clobbered. No guest
 *            stack. gp and tp are the host's (its C library's global and
 *            thread pointers): the guest must never change them, because
 *            the host's signal handlers run on whatever the interrupted
 *            guest code left there.
 *
 *   arm:     op r7; r0 = the address of a0..a5, six 64-bit little-endian
 *            values in guest memory (4-byte aligned; 32-bit registers cannot
 *            carry them); result r0 (low word) and r1 (high word); called
 *            with BLX, returns to lr (ARM or Thumb, as lr says). Preserved:
 *            r4-r11 and sp; everything else, lr and the VFP registers
 *            included, is clobbered. No guest stack. The 48 bytes at r0 are
 *            read as any guest pointer is (not readable guest RAM: the
 *            result is -NH_EFAULT). The thread pointer (TPIDRURO, set by
 *            the kernel) is the host's: the guest must never set it.
 *
 *   The result is an int64; negative values are -errno (Linux numbering).
 *   The host runs on gate_stack, never on the guest's.
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
	NH_OP_IDLE      = 0x007, /* (until: monotonic ns, struct nh_pollev *ev, cap)
	                          * -> events stored in ev[0..cap); waits until
	                          * until, or until a socket registered with
	                          * NET_POLL is ready (returned at once when one
	                          * is already pending), whichever comes first;
	                          * may return early. until 0 is no deadline, a
	                          * time already past does not wait (the guest's
	                          * netpoll(0)); cap 0 (ev ignored) waits without
	                          * reporting. until 0 with no socket registered
	                          * and none pending is -NH_EDEADLK: nothing could
	                          * ever wake the guest */
	NH_OP_FAULT     = 0x008, /* (handler pc, info buf) -> 0; (0, 0) unregisters;
	                          * see nh_fault */
	NH_OP_PREEMPT   = 0x009, /* amd64 (handler pc), arm64, riscv64, arm (handler pc,
	                          * struct nh_cpu *ctx, resume pc) -> 0; handler 0
	                          * unregisters; see below */
	NH_OP_SIGNAL    = 0x00a, /* (sig 1-64, action NH_SIG_*) -> the previous action;
	                          * see "Signals" */
	NH_OP_RAISE     = 0x00b, /* (sig 1-64) -> 0, or does not return: the signal
	                          * as if sent to the image; see "Signals" */
	NH_OP_NOW       = 0x00c, /* (int64 *mono) -> CLOCK_REALTIME in ns since the Unix
	                          * epoch, with CLOCK_MONOTONIC in ns, read right
	                          * after it, stored at mono (8 bytes of writable
	                          * guest RAM, else -NH_EFAULT): time.Now's two
	                          * clocks in one call */
	NH_OP_MEM_PROTECT = 0x00d, /* (addr, len, prot NH_PROT_*) -> 0: the access of
	                          * the pages of [addr, addr+len), as mprotect(2);
	                          * see "Memory protection" */
	NH_OP_MEM_RELEASE = 0x00e, /* (addr, len) -> 0: the pages of [addr, addr+len)
	                          * of the heap given back to the host, their contents
	                          * lost; see "Memory protection" */
	NH_OP_MEM_MAP   = 0x00f, /* (addr, len, prot NH_PROT_*, flags NH_MAP_*, fd, offset)
	                          * -> 0: [offset, offset+len) of the open file fd
	                          * mapped over the pages at addr, as mmap(2) with
	                          * MAP_FIXED; NH_MAP_ANON: fresh zero pages there
	                          * instead (fd, offset ignored); see "Memory
	                          * protection" */
	NH_OP_CORE_MAX  = 0x00f,

	/* Files (fs-shim/), see "File system" below; served when the host
	 * block has NH_HB_FS. */
	NH_OP_FS_OPEN     = 0x100, /* (dirfd, path, pathlen, flags NH_O_*, mode) -> handle */
	NH_OP_FS_CLOSE    = 0x101, /* (fd) -> 0 */
	NH_OP_FS_READ     = 0x102, /* (fd, buf, len) -> bytes; 0 at end of file */
	NH_OP_FS_WRITE    = 0x103, /* (fd, buf, len) -> bytes */
	NH_OP_FS_PREAD    = 0x104, /* (fd, buf, len, offset) -> bytes */
	NH_OP_FS_PWRITE   = 0x105, /* (fd, buf, len, offset) -> bytes */
	NH_OP_FS_SEEK     = 0x106, /* (fd, offset, whence 0|1|2) -> new offset */
	NH_OP_FS_STAT     = 0x107, /* (dirfd, path, pathlen, struct nh_stat *, flags NH_AT_*) -> 0 */
	NH_OP_FS_READDIR  = 0x108, /* (fd, buf, len, cookie) -> bytes of whole nh_dirent records;
	                            * 0 at the end, -NH_EINVAL if not even one fits */
	NH_OP_FS_MKDIR    = 0x109, /* (dirfd, path, pathlen, mode) -> 0 */
	NH_OP_FS_UNLINK   = 0x10a, /* (dirfd, path, pathlen, flags 0|NH_AT_REMOVEDIR) -> 0 */
	NH_OP_FS_RENAME   = 0x10b, /* (olddirfd, old, oldlen, newdirfd, new, newlen) -> 0 */
	NH_OP_FS_LINK     = 0x10c, /* (olddirfd, old, oldlen, newdirfd, new, newlen) -> 0 */
	NH_OP_FS_SYMLINK  = 0x10d, /* (target, targetlen, dirfd, path, pathlen) -> 0 */
	NH_OP_FS_READLINK = 0x10e, /* (dirfd, path, pathlen, buf, len) -> bytes (not terminated) */
	NH_OP_FS_CHMOD    = 0x10f, /* (dirfd, path, pathlen, mode) -> 0 */
	NH_OP_FS_TRUNCATE = 0x110, /* (dirfd, path, pathlen, size) -> 0 */
	NH_OP_FS_FSYNC    = 0x111, /* (fd) -> 0 */
	NH_OP_FS_UTIMENS  = 0x112, /* (dirfd, path, pathlen, struct nh_timespec[2], flags NH_AT_*) -> 0 */
	NH_OP_FS_DUP      = 0x113, /* (fd) -> a new handle for the same open file (dup(2));
	                            * fd 1 or 2: a write-only handle on the console */
	NH_OP_FS_CHOWN    = 0x114, /* (dirfd, path, pathlen, uid, gid, flags NH_AT_*) -> 0;
	                            * uid or gid -1: unchanged */
	NH_OP_FS_FLOCK    = 0x115, /* (fd, how NH_LOCK_SH|EX|UN) -> 0; never waits:
	                            * -NH_EAGAIN while a conflicting lock is held */
	NH_OP_FS_UMASK    = 0x116, /* (mask) -> the previous mask; bits beyond 0777 are
	                            * ignored, as umask(2) does. The host creates every
	                            * file, directory and UNIX socket name of the
	                            * guest's, and starts every child, with it */
	NH_OP_FS_MAX      = 0x116,

	/* Network (netstack-shim/), see "Network" below; served when the
	 * host block has NH_HB_NET. */
	NH_OP_NET_SOCKET      = 0x200, /* (domain NH_AF_*, type NH_SOCK_*, protocol) -> handle */
	NH_OP_NET_BIND        = 0x201, /* (fd, addr, addrlen) -> 0 */
	NH_OP_NET_LISTEN      = 0x202, /* (fd, backlog) -> 0 */
	NH_OP_NET_ACCEPT      = 0x203, /* (fd, addr|0, uint32 *addrlen|0) -> handle */
	NH_OP_NET_CONNECT     = 0x204, /* (fd, addr, addrlen) -> 0, or -NH_EINPROGRESS */
	NH_OP_NET_RECVFROM    = 0x205, /* (fd, buf, len, flags NH_MSG_*, addr|0,
	                                *  uint32 *addrlen|0) -> bytes */
	NH_OP_NET_SENDTO      = 0x206, /* (fd, buf, len, flags NH_MSG_*, addr|0, addrlen) -> bytes */
	NH_OP_NET_SHUTDOWN    = 0x207, /* (fd, how NH_SHUT_*) -> 0 */
	NH_OP_NET_GETSOCKOPT  = 0x208, /* (fd, level, name, val, uint32 *vallen) -> 0 */
	NH_OP_NET_SETSOCKOPT  = 0x209, /* (fd, level, name, val, vallen) -> 0 */
	NH_OP_NET_SOCKNAME    = 0x20a, /* (fd, addr, uint32 *addrlen, peer 0|1) -> 0 */
	NH_OP_NET_POLL        = 0x20b, /* (fd, tag) -> 0: report fd's readiness to IDLE */
	NH_OP_NET_IFACES      = 0x20c, /* (buf, len) -> bytes: the network's interfaces and
	                                * addresses ("Interfaces" below); -NH_ERANGE if len
	                                * is too small */
	NH_OP_NET_MAX         = 0x20c,

	/* Processes (host/proc.c, the launcher host/launcher*.c), see
	 * "Processes" below; served when the host block has NH_HB_PROC. */
	NH_OP_PROC_PIPE  = 0x300, /* (int32 fd[2]) -> 0: fd[0] the read end, fd[1] the write end */
	NH_OP_PROC_START = 0x301, /* (struct nh_spawn *) -> a process handle; pid in nh_spawn.pid */
	NH_OP_PROC_WAIT  = 0x302, /* (handle, int32 *status) -> 0 with Linux's wait status, or
	                           * -NH_EAGAIN while the process runs */
	NH_OP_PROC_KILL  = 0x303, /* (handle, sig 1-64) -> 0; -NH_ESRCH once it has ended */
	NH_OP_PROC_MAX   = 0x303, /* (0x304 was PROC_SELF: hostblock.executable says it,
	                           * processes or not) */
};

#define NH_GETRANDOM_MAX 256

/*
 * Faults. A guest that registers a handler with NH_OP_FAULT gets synchronous
 * faults (SIGSEGV, SIGBUS, SIGILL, SIGFPE, and SIGTRAP from a breakpoint,
 * in guest code) delivered to it:
 * the host fills the nh_fault at the registered address and resumes the
 * guest at the handler with the stack pointer as at the fault and every
 * other register as at the fault too (the PC is in nh_fault.pc: for
 * x86's INT3, the instruction after it, as Linux reports it). Without a handler, or for a fault outside guest text, the host
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
 * it idles), delivered when the tick finds it running its own code on its
 * own stack; one that cannot be delivered is dropped. How, per
 * architecture:
 *
 * amd64: PREEMPT(handler). The host pushes the interrupted PC on the guest
 *   stack as a call would (SP -= 8, PC at [SP]) and resumes the guest at
 *   the handler with every other register as it was. The handler returns
 *   to the PC it pops to go on, or preempts the running goroutine.
 *
 * arm64, riscv64, arm: PREEMPT(handler, ctx, resume). Returning to an arbitrary
 *   PC takes a register there, and every register may be live, so the host
 *   restores the interrupted context itself at the end. ctx is a struct
 *   nh_cpu in writable guest RAM, resume the address of a breakpoint
 *   instruction in guest text (arm64 BRK, riscv64 EBREAK, arm UDF #16, Linux's
 *   own breakpoint: BKPT traps unreliably in 32-bit user mode). On a tick the
 *   host stores the interrupted PC, SP and general-purpose registers in
 *   ctx, keeps the rest of the state (condition flags, floating-point and
 *   SIMD registers) itself, and resumes the guest at the handler with
 *   every register as it was. The handler may change ctx (e.g. to enter
 *   the runtime's asyncPreempt) and ends by executing the breakpoint at
 *   resume: the host then loads PC, SP and the general-purpose registers
 *   from ctx (riscv64's gp and tp excepted: they stay the host's), restores
 *   the rest as it kept it, and the next tick may come. A breakpoint at
 *   resume with no tick in progress is a guest fault.
 */
struct nh_cpu {
	uint64_t pc;
	uint64_t sp;
	uint64_t x[32]; /* arm64: x0-x30 in x[0..30]; riscv64: register xN in x[N]
	                 * (x[0] and x[2], the zero register and sp, unused); arm:
	                 * r0-r12 in x[0..12], lr in x[14] (x[13], x[15] unused),
	                 * each in the low word (the high word stored 0, ignored
	                 * when loaded), pc bit 0 set for Thumb state */
};
_Static_assert(sizeof(struct nh_cpu) == 272, "nh_cpu is 272 bytes");

#define NH_PREEMPT_TICK_NS 10000000

/*
 * Signals (host/signal.c). Each signal the guest may have (1-64 but for
 * SIGKILL, SIGSTOP, the faults SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP,
 * SIGSYS, the tick's SIGVTALRM and the C library's 32 and 33: those are
 * -NH_EINVAL) has an action, set with SIGNAL(sig, action):
 *   NH_SIG_DEFAULT  Linux's default action: the image ends killed by sig
 *                   (its parent sees that status), or nothing for SIGCHLD,
 *                   SIGCONT, SIGURG and SIGWINCH (SIGTSTP, SIGTTIN and
 *                   SIGTTOU stop it). SIGPIPE's default ends the image only
 *                   when raised: the host's own writes get -NH_EPIPE.
 *   NH_SIG_IGNORE   nothing happens.
 *   NH_SIG_CATCH    the host sets the signal's bit in hostblock.sig_pending;
 *                   an IDLE in progress returns at once, and IDLE does not
 *                   wait while a bit is set. The guest takes the bits (an
 *                   atomic exchange of each word with 0) when it wants:
 *                   nothing interrupts it.
 *   NH_SIG_CATCH_NOWAIT  as NH_SIG_CATCH, but nobody waits for it (Go's
 *                   runtime catches SIGQUIT to print its goroutines, not
 *                   to wake anyone): it does not count for IDLE(0) below.
 * Every action starts as NH_SIG_DEFAULT, or NH_SIG_IGNORE for the signals in
 * hostblock.sig_ignored. Whoever sends the signal (another process, the
 * image's parent through PROC_KILL, the image itself through RAISE), it
 * meets the action in force. While any signal is NH_SIG_CATCH, IDLE(0) with
 * nothing else to wait for waits for a signal instead of -NH_EDEADLK.
 */
#define NH_SIG_DEFAULT 0
#define NH_SIG_IGNORE  1
#define NH_SIG_CATCH   2
#define NH_SIG_CATCH_NOWAIT 3

/*
 * File system (fs-shim/). The guest sees one tree: every grant (--dir) at
 * its guest path, and the directories above grants as read-only
 * directories that list only the way down to them, and /dev/null (served by
 * the host itself unless a grant holds it). Nothing else exists
 * (-NH_ENOENT). A trailing "/", "." or ".." on the last name follows
 * Linux's rules.
 *
 * Handles. The host keeps the guest's descriptor table. Handle 0 is the
 * host's standard input, open for reading; once the guest watches it with
 * NET_POLL (below: a pipe, a terminal, a socket; a file the kernel cannot
 * poll, a regular one or /dev/null, is -NH_EPERM, as epoll_ctl's) a READ
 * with nothing to read is -NH_EAGAIN, and IDLE reports when input arrives;
 * unwatched, READ waits for input (the one exception to "only IDLE
 * blocks"). 1 and 2 are the console (WRITE above), not file handles. OPEN
 * returns the lowest free handle >= 3; more than --max-files open handles
 * is -NH_EMFILE. A directory opened O_RDONLY is a handle for READDIR and a
 * dirfd for the path ops. A bad handle is -NH_EBADF.
 *
 * Paths are bytes (pathlen of them, no NUL inside: -NH_EINVAL; more than
 * NH_PATH_MAX: -NH_ENAMETOOLONG; empty: -NH_ENOENT). An absolute path
 * names a guest path whatever dirfd is; a relative one starts at dirfd,
 * which is a directory handle, or NH_AT_ROOT for "/" (the guest keeps its
 * own working directory and joins relative paths to it). For STAT, CHMOD,
 * TRUNCATE, UTIMENS and CHOWN pathlen 0 means the handle dirfd itself. ".." never
 * climbs above "/". Symbolic links are followed in the guest's tree: an
 * absolute target names a guest path, so a link to "/" leads to the
 * guest's root and "../../etc/passwd" to the guest's /etc/passwd, which
 * does not exist unless granted; more than 40 links is -NH_ELOOP. The
 * host touches files only through openat2(RESOLVE_BENEATH |
 * RESOLVE_NO_MAGICLINKS) beneath the grant's directory (and *at calls on
 * one name in a directory opened that way), so no path reaches outside a
 * grant. Writes beneath a read-only grant or in the directories above
 * grants are -NH_EROFS; RENAME and LINK between two grants are -NH_EXDEV.
 * CHOWN gives a file to the image's own uid and a group of its gid (the
 * host holds no capability: anything else is the kernel's -NH_EPERM); a
 * uid or gid other than -1 or 0..0xfffffffe is -NH_EINVAL.
 * FLOCK is flock(2) on the handle's host descriptor: an advisory lock that
 * binds every process that locks the same file (other images, programs of
 * the host), in read-only grants too (on Linux any open file can be
 * locked). It never waits (the guest tries again): a lock held through
 * another open file is -NH_EAGAIN (EWOULDBLOCK). A handle with no host
 * file (a directory above the grants, a served device, a UNIX socket not
 * yet bound or connected) is -NH_ENOLCK: no other process could see its
 * lock.
 * Guest pointers are checked as for every op (-NH_EFAULT).
 */
#define NH_AT_ROOT (-100)
#define NH_PATH_MAX 4096

/* Open flags: ABI values (Linux's on amd64); hosts on other architectures
 * translate them. */
#define NH_O_RDONLY    00
#define NH_O_WRONLY    01
#define NH_O_RDWR      02
#define NH_O_ACCMODE   03
#define NH_O_CREAT     0100
#define NH_O_EXCL      0200
#define NH_O_TRUNC     01000
#define NH_O_APPEND    02000
#define NH_O_SYNC      04010000
#define NH_O_DIRECTORY 0200000
#define NH_O_NOFOLLOW  0400000

/* *at flags. */
#define NH_AT_SYMLINK_NOFOLLOW 0x100
#define NH_AT_REMOVEDIR        0x200

/* FLOCK's how (Linux's values; LOCK_NB is implied, so not accepted). */
#define NH_LOCK_SH 1
#define NH_LOCK_EX 2
#define NH_LOCK_UN 8

/*
 * Memory protection (NH_OP_MEM_PROTECT). The guest may take away and give
 * back read and write access to the pages of its own RAM between the end of
 * the image's read-only segments and the initial stack's guard page (its data,
 * its heap: syscall.Mprotect on memory from syscall.Mmap). prot is 0 (no
 * access), NH_PROT_READ, or NH_PROT_READ|NH_PROT_WRITE (NH_PROT_WRITE alone
 * is the same: written pages can be read); there is no execute bit, so no page
 * ever becomes executable. addr must be page-aligned, else -NH_EINVAL; len is
 * rounded up to pages and 0 does nothing; a range outside that window is
 * -NH_ENOMEM, as are more than NH_PROT_RANGES_MAX separate ranges that are not
 * readable and writable. Another bit in prot is -NH_EINVAL. The host keeps
 * the ranges: a guest pointer into a page the guest may not read (or, where
 * the host would write, may not write) is -NH_EFAULT to every op, as the
 * kernel would say, and the host itself never touches such a page.
 *
 * NH_OP_MEM_RELEASE gives pages of the heap (from the first page after the
 * image, hostblock.heap_start, to the guard page: a narrower window, with the
 * same errors) back to the host, as madvise(MADV_DONTNEED): the memory they
 * held is freed, their contents afterwards are undefined (zero on Linux,
 * unchanged under an emulator that ignores the advice), their access stays.
 * The runtime's scavenger gives back the heap's free pages this way.
 */
#define NH_PROT_READ  1
#define NH_PROT_WRITE 2
#define NH_PROT_RANGES_MAX 1024

/*
 * NH_OP_MEM_MAP maps a file over pages of the heap (MEM_RELEASE's window):
 * flags NH_MAP_SHARED (writes reach the file, and the program's writes to
 * the file reach the map) or NH_MAP_PRIVATE (copy on write), fd a handle of
 * the fs-shim's open on a file, offset page-aligned and not negative. The
 * kernel's rules hold: a handle not open for writing cannot be mapped
 * shared and writable (-NH_EACCES); what is not a file, a directory or a
 * pipe, cannot be mapped (-NH_ENODEV); a page past the end of the file is
 * a fault (SIGBUS) when touched. NH_MAP_ANON|NH_MAP_PRIVATE puts fresh
 * zero pages there instead, which ends a map. The pages' access becomes
 * prot, as MEM_PROTECT's would. Other flags, a negative or unaligned offset
 * are -NH_EINVAL; a bad handle -NH_EBADF; the window and prot as MEM_PROTECT.
 * A file map's pages are guest memory to the host too: past the end of the
 * file, a buffer the kernel reads or writes for an op (READ's, WRITE's) is
 * -NH_EFAULT, and one the host itself reads (a path, a struct) faults in
 * the host, which reports a host fault and ends (status 139): the guest
 * can end itself that way, nothing more.
 */
#define NH_MAP_SHARED  0x01
#define NH_MAP_PRIVATE 0x02
#define NH_MAP_ANON    0x20

/* UTIMENS: nsec values that mean "now" and "leave unchanged" (Linux's). */
#define NH_UTIME_NOW  ((1L << 30) - 1)
#define NH_UTIME_OMIT ((1L << 30) - 2)

struct nh_timespec {
	int64_t sec;
	int64_t nsec;
};

/* STAT result; mode is Linux's st_mode (file type bits included). */
struct nh_stat {
	uint64_t dev;
	uint64_t ino;
	uint64_t nlink;
	uint32_t mode;
	uint32_t uid;
	uint32_t gid;
	uint32_t pad0;
	int64_t size;
	int64_t blocks;   /* 512-byte blocks */
	int64_t atime_ns; /* since the Unix epoch; a time int64 cannot say
	                   * (before 1677, after 2262) is INT64_MIN or INT64_MAX */
	int64_t mtime_ns;
	int64_t ctime_ns;
};
_Static_assert(sizeof(struct nh_stat) == 80, "nh_stat is 80 bytes");

/*
 * READDIR records (the layout of WASI preview 1's dirent, which Go's os
 * package already reads): a 24-byte header followed by namlen bytes of name,
 * not terminated or padded. next is the cookie that continues after this
 * entry; cookie 0 starts from the beginning.
 */
struct nh_dirent {
	uint64_t next;
	uint64_t ino;
	uint32_t namlen;
	uint8_t type; /* NH_DT_* */
	uint8_t pad[3];
};
_Static_assert(sizeof(struct nh_dirent) == 24, "nh_dirent header is 24 bytes");

/* nh_dirent.type (WASI's filetype numbering). */
#define NH_DT_UNKNOWN 0 /* also FIFOs: WASI has no type for them */
#define NH_DT_BLK     1
#define NH_DT_CHR     2
#define NH_DT_DIR     3
#define NH_DT_REG     4
#define NH_DT_SOCK    6 /* stream; WASI's 5 is datagram */
#define NH_DT_LNK     7

/*
 * Network (netstack-shim/). A socket is a handle in the one descriptor
 * table of "File system" above: it counts against --max-files, FS_READ and
 * FS_WRITE are recv and send (never SIGPIPE: -NH_EPIPE), FS_CLOSE closes
 * it, FS_STAT with pathlen 0 reports S_IFSOCK; FS ops that need a file are
 * the errors Linux gives for a socket. FS_READ and FS_WRITE on a socket
 * are non-blocking like every op below.
 *
 * Non-blocking, edge-triggered readiness (the shape of Linux's epoll with
 * EPOLLET, which Go's netpoller expects): no op ever waits. An op that
 * would wait returns -NH_EAGAIN (CONNECT: -NH_EINPROGRESS; then the socket
 * becomes writable and GETSOCKOPT(NH_SOL_SOCKET, NH_SO_ERROR) tells the
 * outcome). The guest registers a socket once with NET_POLL(fd, tag) (a
 * second time is -NH_EEXIST, as epoll_ctl's ADD);
 * from then on IDLE reports { tag, events } whenever its readiness may
 * have changed, and the guest retries until -NH_EAGAIN. A registration
 * ends when the handle is closed; tag is the guest's own (the host never
 * interprets it). So the host holds no operation pending for the guest:
 * deadlines and Close waking a blocked goroutine are the guest's business.
 *
 * Addresses are Linux's struct sockaddr_in (16 bytes) and sockaddr_in6 (28
 * bytes), on every architecture; other families are -NH_EAFNOSUPPORT (a
 * UNIX socket's, struct sockaddr_un, is below: "UNIX sockets").
 * addrlen pointers are in/out as in accept(2): in, the room at addr; out,
 * the full length (the address is truncated to the room).
 * Types: NH_SOCK_STREAM (TCP) and NH_SOCK_DGRAM (UDP), protocol 0 or the
 * matching NH_IPPROTO_* (NH_AF_UNIX: below); the
 * type's flag bits are ignored (every host socket is non-blocking and
 * close-on-exec).
 *
 * Options are an allowlist: the (level, name) pairs defined below, with
 * the value sizes Linux uses (int, or struct linger, ip_mreq[n],
 * ipv6_mreq); anything else is -NH_ENOPROTOOPT. Flags: NH_MSG_PEEK for
 * RECVFROM only, nothing else (-NH_EINVAL); MSG_NOSIGNAL is implied.
 *
 * Policy (--net, netstack-shim/README.md), checked before anything reaches
 * the kernel: a denied SOCKET, BIND, CONNECT or SENDTO is -NH_EACCES and
 * nothing is killed. Under --net none every SOCKET is -NH_EACCES.
 */
#define NH_AF_UNIX   1  /* pathname UNIX sockets: "UNIX sockets" below */
#define NH_AF_INET   2
#define NH_AF_INET6  10
#define NH_SOCK_STREAM 1
#define NH_SOCK_DGRAM  2
#define NH_SOCK_SEQPACKET 5 /* NH_AF_UNIX only */
#define NH_IPPROTO_IP   0
#define NH_IPPROTO_TCP  6
#define NH_IPPROTO_UDP  17
#define NH_IPPROTO_IPV6 41
#define NH_SOL_SOCKET   1
#define NH_SHUT_RD   0
#define NH_SHUT_WR   1
#define NH_SHUT_RDWR 2
#define NH_MSG_PEEK  0x2
#define NH_SOMAXCONN 4096 /* LISTEN's backlog is clamped to [0, this] */

/* Options (Linux's numbers). */
#define NH_SO_REUSEADDR       2  /* NH_SOL_SOCKET, int */
#define NH_SO_TYPE            3  /* get only */
#define NH_SO_ERROR           4  /* get only; reading clears it */
#define NH_SO_BROADCAST       6
#define NH_SO_SNDBUF          7
#define NH_SO_RCVBUF          8
#define NH_SO_KEEPALIVE       9
#define NH_SO_LINGER          13 /* struct linger { int onoff, linger; } */
#define NH_SO_REUSEPORT       15
#define NH_TCP_NODELAY        1  /* NH_IPPROTO_TCP, int */
#define NH_TCP_KEEPIDLE       4
#define NH_TCP_KEEPINTVL      5
#define NH_TCP_KEEPCNT        6
#define NH_IP_TOS             1  /* NH_IPPROTO_IP, int */
#define NH_IP_TTL             2
#define NH_IP_MULTICAST_IF    32 /* struct in_addr or ip_mreqn */
#define NH_IP_MULTICAST_TTL   33
#define NH_IP_MULTICAST_LOOP  34
#define NH_IP_ADD_MEMBERSHIP  35 /* struct ip_mreq or ip_mreqn */
#define NH_IP_DROP_MEMBERSHIP 36
#define NH_IPV6_UNICAST_HOPS  16 /* NH_IPPROTO_IPV6, int */
#define NH_IPV6_MULTICAST_IF  17
#define NH_IPV6_MULTICAST_HOPS 18
#define NH_IPV6_MULTICAST_LOOP 19
#define NH_IPV6_JOIN_GROUP    20 /* struct ipv6_mreq */
#define NH_IPV6_LEAVE_GROUP   21
#define NH_IPV6_V6ONLY        26

/*
 * UNIX sockets: pathname UNIX sockets beneath read-write grants. Where
 * the image has a root of its own (last paragraph) the host makes them
 * itself, stream, datagram and seqpacket. Elsewhere (in a child image, or
 * where no such root can be made) stream sockets only (Go's "unix"
 * network), brokered by the
 * launcher (netstack-shim/README.md, "UNIX sockets brokered by the
 * launcher"): the launcher makes, binds and connects them, and the image
 * only ever holds one that listens or is connected, never one that could
 * connect anywhere. So they need processes: without a launcher
 * (--max-procs 0) every UNIX SOCKET is -NH_EACCES, as under --net none.
 * They are served under --net private and host alike; --net-bind and
 * --net-connect do not apply (the file grants decide). BIND and CONNECT
 * wait for the launcher's answer, which comes at once (as PROC_START's).
 *
 * The address is Linux's struct sockaddr_un: uint16 family NH_AF_UNIX, then
 * sun_path, NH_UNIX_PATH_MAX bytes. addrlen counts the family: below 2 or
 * above NH_SOCKADDR_UN_LEN is -NH_EINVAL, an unreadable range -NH_EFAULT, a
 * family other than NH_AF_UNIX -NH_EINVAL; the unnamed address (addrlen 2,
 * Linux's autobind) and abstract ones (sun_path[0] == 0) are -NH_EACCES.
 * The path is sun_path up to its first NUL or to addrlen (so 108 bytes
 * without a NUL are a path, as Linux's). It is a guest path, resolved in
 * the guest's tree as the FS ops resolve one (links followed by the
 * fs-shim's rules, never out of the grants); a relative one from "/" (as
 * with NH_AT_ROOT: the guest makes it absolute first, as for files).
 *
 * SOCKET(NH_AF_UNIX, NH_SOCK_STREAM, 0 or 1) -> a handle with no kernel
 *   socket yet ("pending"), counted against --max-files. Checked in this
 *   order after SOCKET's common checks (--net none, the type's flag bits):
 *   type past Linux's SOCK_MAX -NH_EINVAL; protocol neither 0 nor 1
 *   (PF_UNIX) -NH_EPROTONOSUPPORT; NH_SOCK_DGRAM, NH_SOCK_SEQPACKET or
 *   SOCK_RAW (3): -NH_EPROTONOSUPPORT (not served here); any other type
 *   -NH_ESOCKTNOSUPPORT; no launcher -NH_EACCES.
 * BIND(fd, addr, addrlen), checked in this order: the address (above);
 *   the path's directory, resolved as the FS ops resolve one (-NH_ENOENT,
 *   -NH_ENOTDIR, -NH_ELOOP, -NH_ENAMETOOLONG...); its last name must not
 *   exist (anything, a symbolic link not followed, or a path that ends in
 *   ".", ".." or "/": -NH_EADDRINUSE; a trailing '/' after a missing name:
 *   -NH_ENOENT); the directory must lie beneath a read-write grant (a
 *   read-only grant, a synthetic directory: -NH_EACCES); the last name is
 *   at most NH_UNIX_NAME_MAX bytes (-NH_ENAMETOOLONG); the socket must be
 *   pending (-NH_EINVAL, as a second bind). Then the launcher makes the
 *   socket, binds it there and makes it listen (backlog 0) at once, so a
 *   bound socket listens from BIND on; the handle owns it (the kernel's
 *   errors pass through: -NH_EADDRINUSE when the name appeared meanwhile).
 *   The name stays when the socket is closed, as Linux's (the guest
 *   unlinks it).
 * LISTEN(fd, backlog): on a bound socket listen(2) with the backlog
 *   (clamped as for TCP; again: a new backlog); ACCEPT works from here on.
 *   Pending or connected: -NH_EINVAL (Linux's).
 * CONNECT(fd, addr, addrlen), checked in this order: the address; the path
 *   resolved as the FS ops resolve one, a final link followed (-NH_ENOENT
 *   when nothing is there...); it must lie beneath a read-write grant
 *   (-NH_EACCES: a read-only grant, a synthetic directory, /dev/null) and
 *   be a socket (-NH_ECONNREFUSED, as Linux for a file that is not one);
 *   the socket must be pending: connected -NH_EISCONN, bound or listening
 *   -NH_EINVAL (connecting from a bound name is not served). The launcher
 *   connects a new socket to exactly the inode the host resolved: 0, or
 *   -NH_ECONNREFUSED (nobody listens), -NH_EAGAIN (the listener's backlog
 *   is full: Linux's answer to a non-blocking socket), -NH_EACCES; never
 *   -NH_EINPROGRESS. The handle then owns the connected socket.
 * ACCEPT(fd, addr|0, addrlen|0): on a listening socket (LISTEN done) as
 *   for TCP; the new socket's address is the unnamed one (addrlen 2, the
 *   family only), whoever connected. Any other state: -NH_EINVAL.
 * RECVFROM, FS_READ: as for TCP on a connected socket; the source address
 *   is always empty (addrlen 0: a peer's name would be a host path).
 *   Pending: -NH_EINVAL (Linux's for a socket not connected).
 * SENDTO, FS_WRITE: as for TCP on a connected socket. With an address
 *   (not read): -NH_EISCONN connected, -NH_EOPNOTSUPP otherwise. Without
 *   one, pending: -NH_ENOTCONN.
 * SHUTDOWN: pending: 0 (Linux's; nothing is kept for the socket to come);
 *   else shutdown(2).
 * SOCKNAME: local: the path as BIND was given it, with its NUL (addrlen
 *   2 + its length + 1, at most NH_UNIX_ADDR_MAX) for a bound or listening
 *   socket and for each socket it accepted; else the unnamed address
 *   (addrlen 2). Peer: a connected socket, the path as CONNECT was given
 *   it; an accepted one, the unnamed address; pending, bound or listening
 *   -NH_ENOTCONN. Never a host path.
 * GETSOCKOPT, SETSOCKOPT: the allowlist above. On a pending socket
 *   NH_SO_TYPE (NH_SOCK_STREAM), NH_SO_ERROR (0) and NH_SO_REUSEADDR (kept,
 *   and set on the socket when it comes; Go sets it before BIND) work,
 *   any other NH_SOL_SOCKET option is -NH_EINVAL (it needs a kernel
 *   socket), another level -NH_EOPNOTSUPP (Linux's for a UNIX socket, the
 *   kernel's answer once there is one).
 * POLL: a pending socket registers too and reports IN|OUT|HUP|RDHUP at once
 *   (Linux's for a stream socket not connected); from BIND or CONNECT on,
 *   the kernel socket's readiness.
 * FS ops on a pending socket: STAT S_IFSOCK|0777 (no inode yet: dev and
 *   ino 0), CHMOD, CHOWN and UTIMENS 0 (nothing to change), TRUNCATE -NH_EINVAL,
 *   DUP -NH_EINVAL (the state is the handle's), CLOSE 0; PROC_START's
 *   fds -NH_EBADF (no descriptor to give). Bound, listening and connected
 *   sockets are sockets like TCP's for every FS op and for PROC_START.
 * Abstract names and descriptor passing are not served. A peer outside the
 * image sees the launcher as the process that connected (SO_PEERCRED) and
 * "/proc/self/fd/N/NAME" as the listener's name (the launcher's view when
 * it bound it).
 *
 * In the image's own root (netstack-shim/README.md, "UNIX sockets in the
 * image's own root"): a mount namespace where only the read-write grants
 * exist, each at its guest path, made for every run where the kernel lets
 * nonehost make one (under qemu the native nonehost makes it for the
 * emulator; not in a child image). There the host makes UNIX sockets
 * itself, stream, datagram and seqpacket (Go's "unix", "unixgram" and
 * "unixpacket"), with no launcher, and everything above about pending
 * sockets and the launcher does not apply; elsewhere SOCKET(NH_AF_UNIX,
 * NH_SOCK_DGRAM or NH_SOCK_SEQPACKET) is -NH_EPROTONOSUPPORT, as above.
 * The kernel resolves every address in that root, so the guest's paths are
 * the kernel's and names are passed as they are:
 * SOCKET(NH_AF_UNIX, NH_SOCK_STREAM, NH_SOCK_DGRAM or NH_SOCK_SEQPACKET,
 *   0 or 1) -> a kernel socket at once.
 * BIND: the address and the checks of a brokered BIND (its errnos, in its
 *   order, the last name's NH_UNIX_NAME_MAX included), then bind(2)
 *   (bound already: -NH_EINVAL); a stream or seqpacket socket listens from
 *   LISTEN on.
 * CONNECT: the address and the checks of a brokered CONNECT of the object
 *   (beneath a read-write grant -NH_EACCES, a socket -NH_ECONNREFUSED),
 *   then connect(2): from a bound socket too; a stream or seqpacket socket
 *   0 or -NH_EAGAIN (the backlog is full), -91 (EPROTOTYPE) for another
 *   type's path; a datagram socket again: a new peer.
 * SENDTO with an address: the address's form as above, then the kernel's
 *   answer: -NH_ENOENT where nothing is (everything outside the read-write
 *   grants), -NH_ECONNREFUSED, -NH_EPERM (the peer is connected to another
 *   socket), -NH_EAGAIN (its queue is full); a stream or seqpacket socket
 *   -NH_EISCONN or -NH_EOPNOTSUPP. Without one: the peer. A seqpacket
 *   socket keeps each message whole, as Linux's: RECVFROM and FS_READ take
 *   one, cut to the room.
 * ACCEPT, RECVFROM, SOCKNAME: the addresses the kernel gives, sockaddr_un
 *   (a guest path for a socket bound in an image, a host path for a
 *   process outside that bound in a read-write grant; addrlen 2 when
 *   unnamed), truncated to the room, the full length written.
 * LISTEN, SHUTDOWN, the options, POLL and the FS ops: the kernel's, as for
 *   any socket with a kernel one (LISTEN on a datagram socket
 *   -NH_EOPNOTSUPP, unbound -NH_EINVAL).
 */
#define NH_SOCKADDR_UN_LEN 110 /* sizeof(struct sockaddr_un) */
#define NH_UNIX_PATH_MAX   108 /* sun_path */
#define NH_UNIX_ADDR_MAX   111 /* SOCKNAME's longest: family, 108 bytes, NUL */
#define NH_UNIX_NAME_MAX   82  /* BIND's last name: "/proc/self/fd/%d/NAME" must
                                * fit sun_path in the launcher */

/*
 * Interfaces (NET_IFACES; netstack-shim/nss_iface.c). The network's
 * interfaces and their addresses, as Linux's netlink dumps them
 * (RTM_GETLINK, RTM_GETADDR: net.Interfaces, net.InterfaceAddrs), taken
 * once at start-up, and only for an image that asks for them (its symbol
 * table has nonehost/bsp.hostNet.Interfaces): under --net host the host's,
 * under private the namespace's (lo). The buffer: a struct nh_ifaces, then
 * niface struct nh_iface and naddr struct nh_ifaddr, each in its dump's
 * order. The dump's failure is its errno, as on Linux.
 */
#define NH_NET_IFACES_SYMBOL "nonehost/bsp.hostNet.Interfaces"
struct nh_ifaces {
	uint32_t niface;
	uint32_t naddr;
};
struct nh_iface {
	int32_t index;      /* ifi_index */
	uint32_t flags;     /* ifi_flags: IFF_*, Linux's numbers */
	uint32_t mtu;       /* IFLA_MTU, or 0 */
	uint16_t type;      /* ifi_type: ARPHRD_* */
	uint8_t hwlen;      /* bytes of hw used */
	uint8_t reserved;
	uint8_t hw[32];     /* IFLA_ADDRESS (MAX_ADDR_LEN 32) */
	char name[16];      /* IFLA_IFNAME, NUL-terminated (IFNAMSIZ) */
};
struct nh_ifaddr {
	int32_t index;      /* ifa_index: its interface */
	uint8_t family;     /* NH_AF_INET or NH_AF_INET6 */
	uint8_t prefixlen;
	uint8_t reserved[2];
	uint8_t addr[16];   /* the first attribute, IFA_ADDRESS skipped when IFA_LOCAL
	                     * is there (Go's interface_linux.go): 4 bytes for IPv4 */
};
_Static_assert(sizeof(struct nh_ifaces) == 8, "nh_ifaces is 8 bytes");
_Static_assert(sizeof(struct nh_iface) == 64, "nh_iface is 64 bytes");
_Static_assert(sizeof(struct nh_ifaddr) == 24, "nh_ifaddr is 24 bytes");

/* IDLE's reports. events are poll(2)'s bits, Linux's numbers. */
struct nh_pollev {
	uint64_t tag;    /* as given to NET_POLL */
	uint32_t events; /* NH_POLL* */
	uint32_t pad;
};
_Static_assert(sizeof(struct nh_pollev) == 16, "nh_pollev is 16 bytes");

#define NH_POLLIN    0x001
#define NH_POLLOUT   0x004
#define NH_POLLERR   0x008
#define NH_POLLHUP   0x010
#define NH_POLLRDHUP 0x2000

/*
 * Processes (host/proc.c; sandbox/README.md has the design and threat
 * model). The image cannot start a process itself: a launcher, forked by
 * the host before its sandbox and confined on its own, starts children
 * on the host's request and is their parent.
 *
 * PROC_PIPE makes a host pipe: two handles (--max-files counts both),
 * non-blocking, for FS_READ (-NH_EAGAIN when empty), FS_WRITE (-NH_EPIPE
 * without a reader, never SIGPIPE; -NH_EAGAIN when full), FS_CLOSE,
 * FS_STAT (S_IFIFO), FS_DUP and NET_POLL, like a socket.
 *
 * PROC_START runs path with argv and envp in dir. path is a guest path
 * (absolute; the guest joins a relative one to its working directory):
 *   - the image's own path (hostblock.executable), or a GOOS=none image in the
 *     grants: a new nonehost runs it, with the parent's grants and
 *     network (NONEHOST_FLAGS in envp replaces the inherited --dir grants,
 *     and the launcher's own confinement keeps whatever it says within the
 *     parent's: never wider);
 *   - a host program granted with --allow-exec PATH (seen in the grants or
 *     not): it runs confined (Landlock on the grants, the network policy,
 *     no_new_privs, no capabilities);
 *   - anything else: -NH_EACCES (-NH_ENOENT when nothing is there).
 * fds[i] is the handle the child gets as descriptor i (i < nfds <=
 * NH_SPAWN_MAX_FDS): 0 the host's standard input, 1 and 2 the console, a
 * file, pipe, socket (not a pending UNIX one: -NH_EBADF) or /dev/null
 * handle; -1 is /dev/null for 0-2 and
 * closed above. A child image sees descriptors 3..nfds-1 as its handles
 * 3..nfds-1 (a file with no path: relative paths through it -NH_ENOTDIR; a
 * pipe; a socket; /dev/null; a directory or anything else: closed); a
 * foreign child image (under qemu) still sees only 0-2. More than --max-procs live
 * children is -NH_EAGAIN. The result is a process handle: NET_POLL
 * reports it readable once the child has ended, PROC_WAIT then gives its
 * status (again on each call), PROC_KILL signals it, FS_CLOSE lets it go
 * (the child runs on; every child is killed when this host exits).
 *
 * The host forks its launcher, and serves these ops, only for an image
 * that may ask for a process: one whose symbol table names
 * NH_PROC_START_SYMBOL (a Go image: the BSP's one call of PROC_START,
 * which the linker keeps only where something can start a process; any
 * other image defines a symbol of that name), or that has no symbol table.
 * Another image gets them only where it has no root of its own, since its
 * UNIX sockets are the launcher's there; elsewhere they are -NH_ENOSYS.
 * Most programs start nothing: the fork and the launcher's exit cost
 * every run ~0.35 ms.
 */
#define NH_PROC_START_SYMBOL "nonehost/bsp.hostProcs.Start"
struct nh_str {
	uint64_t ptr;
	uint64_t len;
};
_Static_assert(sizeof(struct nh_str) == 16, "nh_str is 16 bytes");

struct nh_spawn {
	uint64_t path, pathlen;   /* guest path */
	uint64_t argv, argc;      /* struct nh_str[argc]; argc >= 1 */
	uint64_t envv, envc;      /* struct nh_str[envc], "NAME=value" each */
	uint64_t dir, dirlen;     /* the child's working directory (a guest path) */
	uint64_t fds, nfds;       /* int64 handle[nfds] */
	int64_t pid;              /* out: the child's pid (as the host sees it) */
};
_Static_assert(sizeof(struct nh_spawn) == 88, "nh_spawn is 88 bytes");

#define NH_SPAWN_MAX_FDS  16        /* child descriptors */
#define NH_SPAWN_MAX_STRS 8192      /* argc + envc */
#define NH_SPAWN_MAX_DATA (1 << 20) /* bytes of argv and envp, NULs included */

/* Errno values the guest relies on (Linux numbering, all architectures). */
#define NH_EPERM        1
#define NH_ENOENT       2
#define NH_ESRCH        3
#define NH_EINTR        4
#define NH_EIO          5
#define NH_E2BIG        7
#define NH_EBADF        9
#define NH_ECHILD       10
#define NH_EAGAIN       11
#define NH_ENOMEM       12 /* MEM_PROTECT outside the guest's window, or too many ranges */
#define NH_EACCES       13
#define NH_EFAULT       14
#define NH_EEXIST       17
#define NH_EXDEV        18
#define NH_ENODEV       19 /* MEM_MAP of a handle with no file to map */
#define NH_ENOTDIR      20
#define NH_EISDIR       21
#define NH_EINVAL       22
#define NH_EMFILE       24
#define NH_ENOSPC       28 /* a WRITE to /dev/full */
#define NH_ESPIPE       29
#define NH_EROFS        30
#define NH_EPIPE        32
#define NH_ERANGE       34
#define NH_EDEADLK      35 /* idle(0): nothing could ever wake the guest */
#define NH_ENAMETOOLONG 36
#define NH_ENOLCK       37 /* FLOCK of a handle with no host file */
#define NH_ENOSYS       38
#define NH_ENOTEMPTY    39
#define NH_ELOOP        40
#define NH_ENOTSOCK     88 /* a socket op on a handle that is no socket */
#define NH_ENOPROTOOPT  92
#define NH_EPROTONOSUPPORT 93
#define NH_ESOCKTNOSUPPORT 94
#define NH_EOPNOTSUPP   95
#define NH_EAFNOSUPPORT 97
#define NH_EADDRINUSE   98
#define NH_EISCONN      106
#define NH_ENOTCONN     107
#define NH_ECONNREFUSED 111
#define NH_EINPROGRESS  115

/* Exit statuses of the host itself. The image's own status passes through. */
#define NH_EXIT_USAGE    125 /* host usage or set-up error */
#define NH_EXIT_REJECTED 126 /* image rejected by the loader */
#define NH_EXIT_FAULT    139 /* unhandled guest fault (128 + SIGSEGV) */
#define NH_EXIT_SANDBOX  159 /* sandbox violation (128 + SIGSYS) */

/* The ELF marking of GOOS=none images. */
#define NH_ELFOSABI_STANDALONE 255

#endif /* NONEHOST_ABI_H */
