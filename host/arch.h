/*
 * arch.h - what differs between the architectures the host is built for,
 * in one place (the gate itself is host/gate_<arch>.S).
 *
 * Contract: for the architecture being compiled, defines
 *   ARCH_GOARCH             the GOARCH name ("amd64"), for messages and the
 *                           binfmt_misc entry (binfmt.c)
 *   ARCH_ELF_MACHINE        the e_machine an image must have (ram.c)
 *   ARCH_ELF_CLASS          the EI_CLASS an image must have (ELFCLASS64;
 *                           arm's are ELFCLASS32)
 *   ARCH_SYSCALL_INSN_LEN   bytes of the system call instruction, which a
 *                           seccomp SIGSYS's si_call_addr points past (not
 *                           arm, where it depends on the state: see
 *                           uctx_syscall_pc below)
 *   ARCH_PREEMPT_CTX        1 where the tick hands the guest the interrupted
 *                           context and restores it at the guest's resume
 *                           breakpoint (arm64, riscv64, arm), 0 where it
 *                           pushes the interrupted PC (amd64); nonehost_abi.h
 *                           "Preemption"
 *   ARCH_OTHER_ABIS         --policy's words for the system call ABIs of
 *                           another architecture the process could reach
 *                           (seccomp traps them: SCMP_FLTATR_ACT_BADARCH)
 *   ARCH_DEFAULT_MEMORY, ARCH_MAX_MEMORY  --memory's default and maximum,
 *                           with their _TEXT spellings for messages: guest
 *                           RAM from NH_RAM_START must fit this address
 *                           space beside the host (below, for 32-bit arm)
 *   ARCH_IMAGE_FILE_MAX     the largest image file (elf_file.c maps it whole)
 *   ARCH_RESERVE_RAM        1 where RAM's range is claimed before anything
 *                           else is mapped (ram_reserve: 32-bit hosts)
 * and uctx_pc(), uctx_sp(), uctx_set_pc(), uctx_set_sp(): the interrupted
 * PC and stack pointer in a signal handler's ucontext (fault.c, preempt.c,
 * sbx_report.c), async-signal-safe; uctx_set_pc() enters the guest's
 * instruction set (arm: ARM state). uctx_syscall_pc(): the system call
 * instruction a seccomp SIGSYS came from, given its si_call_addr, which
 * points past it (sbx_report.c). With ARCH_PREEMPT_CTX, also struct
 * arch_tick (what the host keeps of a tick's context: flags, floating-point
 * and vector state, riscv64's gp and tp) and uctx_tick_save() and
 * uctx_tick_load(), which split a ucontext into struct nh_cpu (the guest's
 * part) and struct arch_tick and put them back (preempt.c, fault.c); and
 * ARCH_RESUME_SIGILL, 1 where the resume breakpoint may also come as
 * SIGILL (fault.c). Any other architecture is an error at compile time.
 */
#ifndef NONEHOST_ARCH_H
#define NONEHOST_ARCH_H

#include <elf.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <ucontext.h>

#include "nonehost_abi.h"

#if defined(__x86_64__)
#define ARCH_GOARCH           "amd64"
#define ARCH_ELF_MACHINE      EM_X86_64
#define ARCH_SYSCALL_INSN_LEN 2 /* syscall, int $0x80 and sysenter alike */
#define ARCH_PREEMPT_CTX      0
#define ARCH_PREEMPT_PUSH     8 /* as a call would push it */
#define ARCH_OTHER_ABIS       "i386 and x32 calls"
#define UCTX_PC(uc)           ((uc)->uc_mcontext.gregs[REG_RIP])
#define UCTX_SP(uc)           ((uc)->uc_mcontext.gregs[REG_RSP])
typedef greg_t uctx_reg;
#elif defined(__aarch64__)
#define ARCH_GOARCH           "arm64"
#define ARCH_ELF_MACHINE      EM_AARCH64
#define ARCH_SYSCALL_INSN_LEN 4 /* svc */
#define ARCH_PREEMPT_CTX      1
#define ARCH_OTHER_ABIS       "calls of another ABI"
#define UCTX_PC(uc)           ((uc)->uc_mcontext.pc)
#define UCTX_SP(uc)           ((uc)->uc_mcontext.sp)
typedef unsigned long long uctx_reg;
#elif defined(__riscv) && __riscv_xlen == 64
#define ARCH_GOARCH           "riscv64"
#define ARCH_ELF_MACHINE      EM_RISCV
#define ARCH_SYSCALL_INSN_LEN 4 /* ecall (the kernel moves sepc past it first) */
#define ARCH_PREEMPT_CTX      1
#define ARCH_OTHER_ABIS       "calls of another ABI"
#define UCTX_PC(uc)           ((uc)->uc_mcontext.__gregs[REG_PC])
#define UCTX_SP(uc)           ((uc)->uc_mcontext.__gregs[REG_SP])
typedef unsigned long uctx_reg;
#elif defined(__arm__) && defined(__ARM_PCS_VFP) && __ARM_ARCH >= 7
#define ARCH_GOARCH           "arm"
#define ARCH_ELF_MACHINE      EM_ARM
#define ARCH_ELF_CLASS        ELFCLASS32
#define ARCH_PREEMPT_CTX      1
#define ARCH_OTHER_ABIS       "calls of another ABI"
#define UCTX_PC(uc)           ((uc)->uc_mcontext.arm_pc)
#define UCTX_SP(uc)           ((uc)->uc_mcontext.arm_sp)
typedef unsigned long uctx_reg;
/* CPSR: T (Thumb state), and the IT bits (Thumb's If-Then state, zero in
 * ARM state). The guest runs in ARM state (nonehost_abi.h); the host's own
 * code, glibc included, is Thumb-2 (Debian's armhf default). */
#define ARCH_CPSR_T  (UINT32_C(1) << 5)
#define ARCH_CPSR_IT (UINT32_C(0x3f) << 10 | UINT32_C(3) << 25)
/* The resume breakpoint: BKPT (the ABI's) is SIGTRAP (TRAP_BRKPT) at its
 * own PC under qemu-arm and for arm64's 32-bit tasks, but Linux on a 32-bit
 * CPU does not serve BKPT in user space (an alert line and SIGTRAP, or it
 * runs it again forever on 6.10 and later until fixed); Linux's own
 * breakpoint, UDF #16 (0xe7f001f0, gdb's), is SIGTRAP (TRAP_BRKPT)
 * everywhere. Where a CPU or kernel knows neither it is SIGILL: taken too,
 * at the resume PC of a tick in progress only. */
#define ARCH_RESUME_SIGILL 1
#else
#error "nonehost: no host for this architecture (amd64, arm64, riscv64, arm: ARMv7, hard float)"
#endif

#ifndef ARCH_ELF_CLASS
#define ARCH_ELF_CLASS ELFCLASS64
#endif
#ifndef ARCH_RESUME_SIGILL
#define ARCH_RESUME_SIGILL 0
#endif

#if UINTPTR_MAX > UINT32_MAX
/* 4 GiB by default; at most 32 TiB, well inside 47-bit user space. */
#define ARCH_DEFAULT_MEMORY      (UINT64_C(4) << 30)
#define ARCH_DEFAULT_MEMORY_TEXT "4G"
#define ARCH_MAX_MEMORY          (UINT64_C(1) << 45)
#define ARCH_MAX_MEMORY_TEXT     "32T"
#define ARCH_IMAGE_FILE_MAX      (UINT64_C(1) << 30) /* far above any Go binary */
#else
/* 32-bit: guest RAM shares 4 GiB with the host, and must start at 256 MiB
 * (NH_RAM_START). The static host lies at 64 KiB with its brk heap after
 * it, both below RAM; what else is there before main() runs differs:
 *   - qemu-arm 7.2 (bookworm) puts the process stack at 1 GiB
 *     (0x40000000-0x40801000) with its signal trampolines in the page just
 *     below (0x3ffff000), and hands out mmaps top-down from there;
 *   - a 32-bit kernel (3 GiB of user space) or arm64's compat tasks (4 GiB)
 *     map top-down from below the stack, near 3 or 4 GiB; with the legacy
 *     layout (an unlimited stack rlimit) bottom-up from 1 GiB (TASK_SIZE/3)
 *     or 1.33 GiB.
 * So RAM may end just below 1 GiB if nothing of the host's own is mapped
 * there first: ram_reserve() claims the range (ARCH_RESERVE_RAM) before
 * anything else is mapped, and the image file and the host's tables go
 * elsewhere (under qemu below 256 MiB, or in what is left under 1 GiB).
 * 752 MiB ends RAM at 0x3f000000, 16 MiB under qemu's trampolines: a Go
 * heap in RAM alone (Linux/arm has ~3 GiB) needs all the room it can get
 * (runtime/pprof's 32 MiB goroutine stacks ran out of 512 MiB once). */
#define ARCH_DEFAULT_MEMORY      (UINT64_C(752) << 20)
#define ARCH_DEFAULT_MEMORY_TEXT "752M"
#define ARCH_MAX_MEMORY          (UINT64_C(752) << 20)
#define ARCH_MAX_MEMORY_TEXT     "752M"
#define ARCH_IMAGE_FILE_MAX      (UINT64_C(128) << 20)
#define ARCH_RESERVE_RAM         1
#endif
#ifndef ARCH_RESERVE_RAM
#define ARCH_RESERVE_RAM 0
#endif

/* Every address in guest RAM is a host pointer: ram_readable() and
 * ram_writable() accept only ranges inside RAM, so a guest value they
 * passed converts to uintptr_t without loss. */
_Static_assert(NH_RAM_START + ARCH_MAX_MEMORY - 1 <= UINTPTR_MAX,
               "guest RAM must lie in the host's address space");

static inline uint64_t uctx_pc(const ucontext_t *uc)
{
	return (uint64_t)UCTX_PC(uc);
}

static inline uint64_t uctx_sp(const ucontext_t *uc)
{
	return (uint64_t)UCTX_SP(uc);
}

/* pc and sp are guest RAM or host addresses (a guest handler, a context the
 * guest stored, both checked by the caller): they fit uctx_reg. */
static inline void uctx_set_pc(ucontext_t *uc, uint64_t pc)
{
	UCTX_PC(uc) = (uctx_reg)pc;
#if defined(__arm__)
	/* a guest handler: ARM state, whatever the interrupted code ran in */
	uc->uc_mcontext.arm_cpsr &= ~(unsigned long)(ARCH_CPSR_T | ARCH_CPSR_IT);
#endif
}

static inline void uctx_set_sp(ucontext_t *uc, uint64_t sp)
{
	UCTX_SP(uc) = (uctx_reg)sp;
}

static inline uint64_t uctx_syscall_pc(const ucontext_t *uc, uint64_t call_addr)
{
#if defined(__arm__)
	/* svc: 4 bytes in ARM state (the guest), 2 in Thumb state (the host) */
	return call_addr - ((uc->uc_mcontext.arm_cpsr & ARCH_CPSR_T) ? 2 : 4);
#else
	(void)uc;
	return call_addr - ARCH_SYSCALL_INSN_LEN;
#endif
}

#if defined(__aarch64__)
/* The signal frame's __reserved area holds records (FPSIMD, SVE, and ESR
 * for a fault); the tick's are kept whole and put back in the resume
 * trap's frame, whose own records describe the state the tick handler
 * left. An EXTRA record points outside the frame (a vector state too big
 * for it): such a tick is not taken (uctx_tick_save returns false). */
#define ARCH_EXTRA_MAGIC 0x45585401u
struct arch_tick {
	uint64_t pstate;
	unsigned char reserved[sizeof(((mcontext_t *)0)->__reserved)] __attribute__((aligned(16)));
};

static inline bool uctx_tick_save(const ucontext_t *uc, struct nh_cpu *c, struct arch_tick *t)
{
	const unsigned char *r = uc->uc_mcontext.__reserved;
	size_t off = 0;

	while (off + 8 <= sizeof(t->reserved)) {
		uint32_t magic, size;

		memcpy(&magic, r + off, 4);
		memcpy(&size, r + off + 4, 4);
		if (magic == 0 || size < 8)
			break;
		if (magic == ARCH_EXTRA_MAGIC)
			return false;
		off += size;
	}
	for (int i = 0; i < 31; i++)
		c->x[i] = uc->uc_mcontext.regs[i];
	c->x[31] = 0;
	c->sp = uc->uc_mcontext.sp;
	c->pc = uc->uc_mcontext.pc;
	t->pstate = uc->uc_mcontext.pstate;
	memcpy(t->reserved, r, sizeof(t->reserved));
	return true;
}

static inline void uctx_tick_load(ucontext_t *uc, const struct nh_cpu *c, const struct arch_tick *t)
{
	for (int i = 0; i < 31; i++)
		uc->uc_mcontext.regs[i] = c->x[i];
	uc->uc_mcontext.sp = c->sp;
	uc->uc_mcontext.pc = c->pc;
	uc->uc_mcontext.pstate = t->pstate;
	memcpy(uc->uc_mcontext.__reserved, t->reserved, sizeof(t->reserved));
}
#elif defined(__riscv)
/* gp and tp are the host's (nonehost_abi.h "The gate"): kept from the
 * tick, never taken from the guest's context. Of the floating-point state
 * only the D extension's registers and fcsr: the signal frame may hold no
 * more (qemu-user's has room for exactly that, not for glibc's Q union). */
struct arch_tick {
	uint64_t gp, tp;
	struct __riscv_mc_d_ext_state fp;
};

static inline bool uctx_tick_save(const ucontext_t *uc, struct nh_cpu *c, struct arch_tick *t)
{
	const unsigned long *g = uc->uc_mcontext.__gregs;

	for (int i = 1; i < 32; i++)
		c->x[i] = g[i];
	c->x[0] = c->x[REG_SP] = 0;
	c->pc = g[REG_PC];
	c->sp = g[REG_SP];
	t->gp = g[3];
	t->tp = g[4];
	t->fp = uc->uc_mcontext.__fpregs.__d;
	return true;
}

static inline void uctx_tick_load(ucontext_t *uc, const struct nh_cpu *c, const struct arch_tick *t)
{
	unsigned long *g = uc->uc_mcontext.__gregs;

	for (int i = 1; i < 32; i++)
		g[i] = c->x[i];
	g[REG_PC] = c->pc;
	g[REG_SP] = c->sp;
	g[3] = t->gp;
	g[4] = t->tp;
	uc->uc_mcontext.__fpregs.__d = t->fp;
}
#elif defined(__arm__)
/* r0-r12 are x[0..12], lr x[14] (nonehost_abi.h struct nh_cpu): 32-bit
 * registers, zero-extended when stored; when loaded only the low word
 * counts (the guest stores 32-bit words into the slots). The PC in ctx is
 * the interworking address: bit 0 set for Thumb state (never for Go's
 * code, which is ARM). The tick keeps CPSR and the signal frame's
 * uc_regspace whole: the records the kernel (or qemu-arm) saves after the
 * core registers, VFP's (magic 0x56465001, 288 bytes: d0-d31, FPSCR,
 * FPEXC) and on iWMMXt CPUs that one's, then a zero end marker; each is
 * self-contained (no pointer out of the frame, unlike arm64's EXTRA), so
 * the tick's records put back into the resume breakpoint's frame restore
 * exactly the state the tick interrupted. */
struct arch_tick {
	uint32_t cpsr;
	uint32_t pc; /* as interrupted: the IT bits stay only when it resumes there */
	unsigned long regspace[sizeof(((ucontext_t *)0)->uc_regspace) / sizeof(unsigned long)]
		__attribute__((aligned(8)));
};

/* r0-r12, then lr for 14 (the mcontext's fields have their own names). */
static inline unsigned long *uctx_arm_reg(mcontext_t *m, int i)
{
	switch (i) {
	case 0: return &m->arm_r0;
	case 1: return &m->arm_r1;
	case 2: return &m->arm_r2;
	case 3: return &m->arm_r3;
	case 4: return &m->arm_r4;
	case 5: return &m->arm_r5;
	case 6: return &m->arm_r6;
	case 7: return &m->arm_r7;
	case 8: return &m->arm_r8;
	case 9: return &m->arm_r9;
	case 10: return &m->arm_r10;
	case 11: return &m->arm_fp;
	case 12: return &m->arm_ip;
	default: return &m->arm_lr;
	}
}

static inline bool uctx_tick_save(const ucontext_t *uc, struct nh_cpu *c, struct arch_tick *t)
{
	mcontext_t mc = uc->uc_mcontext, *m = &mc;
	bool thumb = (m->arm_cpsr & ARCH_CPSR_T) != 0;

	memset(c->x, 0, sizeof(c->x));
	for (int i = 0; i <= 12; i++)
		c->x[i] = *uctx_arm_reg(m, i);
	c->x[14] = m->arm_lr;
	c->sp = m->arm_sp;
	c->pc = m->arm_pc | (thumb ? 1 : 0);
	t->cpsr = (uint32_t)m->arm_cpsr;
	t->pc = (uint32_t)m->arm_pc;
	memcpy(t->regspace, uc->uc_regspace, sizeof(t->regspace));
	return true;
}

static inline void uctx_tick_load(ucontext_t *uc, const struct nh_cpu *c, const struct arch_tick *t)
{
	mcontext_t *m = &uc->uc_mcontext;
	uint32_t pc = (uint32_t)c->pc & ~UINT32_C(1), cpsr = t->cpsr & ~ARCH_CPSR_T;

	for (int i = 0; i <= 12; i++)
		*uctx_arm_reg(m, i) = (uint32_t)c->x[i];
	m->arm_lr = (uint32_t)c->x[14];
	m->arm_sp = (uint32_t)c->sp;
	m->arm_pc = pc;
	if (c->pc & 1)
		cpsr |= ARCH_CPSR_T;
	if (pc != t->pc || !(cpsr & ARCH_CPSR_T))
		cpsr &= ~ARCH_CPSR_IT; /* elsewhere, or ARM state: no If-Then block */
	m->arm_cpsr = cpsr;
	memcpy(uc->uc_regspace, t->regspace, sizeof(t->regspace));
}
#endif

#endif /* NONEHOST_ARCH_H */
