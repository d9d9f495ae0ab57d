/*
 * arch.h - what differs between the architectures the host is built for,
 * in one place (the gate itself is host/gate_<arch>.S).
 *
 * Contract: for the architecture being compiled, defines
 *   ARCH_GOARCH             the GOARCH name ("amd64"), for messages and the
 *                           binfmt_misc entry (binfmt.c)
 *   ARCH_ELF_MACHINE        the e_machine an image must have (ram.c)
 *   ARCH_SYSCALL_INSN_LEN   bytes of the system call instruction, which a
 *                           seccomp SIGSYS's si_call_addr points past
 *                           (sbx_report.c)
 *   ARCH_PREEMPT_CTX        1 where the tick hands the guest the interrupted
 *                           context and restores it at the guest's resume
 *                           breakpoint (arm64, riscv64), 0 where it pushes
 *                           the interrupted PC (amd64); nonehost_abi.h
 *                           "Preemption"
 *   ARCH_OTHER_ABIS         --policy's words for the system call ABIs of
 *                           another architecture the process could reach
 *                           (seccomp traps them: SCMP_FLTATR_ACT_BADARCH)
 * and uctx_pc(), uctx_sp(), uctx_set_pc(), uctx_set_sp(): the interrupted
 * PC and stack pointer in a signal handler's ucontext (fault.c, preempt.c,
 * sbx_report.c), async-signal-safe. With ARCH_PREEMPT_CTX, also struct
 * arch_tick (what the host keeps of a tick's context: flags, floating-point
 * and vector state, riscv64's gp and tp) and uctx_tick_save() and
 * uctx_tick_load(), which split a ucontext into struct nh_cpu (the guest's
 * part) and struct arch_tick and put them back (preempt.c, fault.c). Any other architecture is an error at
 * compile time: arm (32-bit) is not served yet, because its gate would pass
 * 64-bit arguments in pairs of 32-bit registers and that is not decided.
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
#else
#error "nonehost: no host for this architecture (amd64, arm64, riscv64; arm is not yet decided)"
#endif

static inline uint64_t uctx_pc(const ucontext_t *uc)
{
	return (uint64_t)UCTX_PC(uc);
}

static inline uint64_t uctx_sp(const ucontext_t *uc)
{
	return (uint64_t)UCTX_SP(uc);
}

static inline void uctx_set_pc(ucontext_t *uc, uint64_t pc)
{
	UCTX_PC(uc) = (uctx_reg)pc;
}

static inline void uctx_set_sp(ucontext_t *uc, uint64_t sp)
{
	UCTX_SP(uc) = (uctx_reg)sp;
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
#endif

#endif /* NONEHOST_ARCH_H */
