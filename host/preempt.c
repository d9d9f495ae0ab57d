/*
 * preempt.c - the guest's time-slice tick (NH_OP_PREEMPT).
 *
 * Contract: preempt_install() arms ITIMER_VIRTUAL, which counts only the
 * CPU time the process spends in user mode, so a sleeping or idle guest
 * gets no ticks; SIGVTALRM runs on_tick on the fault sigaltstack. It runs
 * before the sandbox (setitimer and sigaction are not allowed after it).
 * on_tick delivers a tick only when the guest runs its own code (its PC in
 * guest text, so not the gate, not host code); a tick it cannot deliver
 * is dropped and the next comes 10 ms later. How (nonehost_abi.h
 * "Preemption", arch.h ARCH_PREEMPT_CTX):
 *   - amd64: hook_preempt(handler) registers the handler, which must lie
 *     in guest text; (0) unregisters. The tick needs the 8 bytes below the
 *     stack pointer to be writable guest RAM: it pushes the interrupted PC
 *     there, as a call would, and resumes at the handler.
 *   - arm64, riscv64, arm: hook_preempt(handler, ctx, resume) also takes the
 *     guest's struct nh_cpu (writable guest RAM, 8-byte aligned) and its
 *     resume breakpoint (guest text). The tick stores the interrupted PC,
 *     SP and general registers in ctx, keeps the rest (arch_tick) in the
 *     host context and resumes at the handler with every register as it
 *     was; no tick is taken until preempt_resume() has put the context
 *     back, at the guest's breakpoint (fault.c). Changing the registration
 *     while a tick is in progress is -NH_EINVAL.
 */
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <ucontext.h>

#include "host.h"

static void on_tick(int sig, siginfo_t *si, void *ucv)
{
	struct nh_host *h = &nh_host;
	ucontext_t *uc = ucv;
	uint64_t pc = uctx_pc(uc);

	(void)sig;
	if (si->si_code <= 0 || h->preempt_handler == 0)
		return; /* sent from outside, or nobody to tell */
	if (!ram_in_text(h, pc))
		return; /* in the gate or in host code */
#if ARCH_PREEMPT_CTX
	struct nh_cpu c;

	if (h->preempt_in_tick || !ram_writable(h, h->preempt_ctx, sizeof(c)) ||
	    !uctx_tick_save(uc, &c, &h->preempt_kept))
		return; /* the last tick still runs, or its context cannot be kept */
	memcpy((void *)(uintptr_t)h->preempt_ctx, &c, sizeof(c));
	h->preempt_in_tick = 1;
#else
	uint64_t sp = uctx_sp(uc);

	if (sp < ARCH_PREEMPT_PUSH || !ram_writable(h, sp - ARCH_PREEMPT_PUSH, ARCH_PREEMPT_PUSH))
		return; /* no room */
	sp -= ARCH_PREEMPT_PUSH;
	*(uint64_t *)(uintptr_t)sp = pc;
	uctx_set_sp(uc, sp);
#endif
	uctx_set_pc(uc, h->preempt_handler);
}

#if ARCH_PREEMPT_CTX
bool preempt_resume(struct nh_host *h, ucontext_t *uc)
{
	struct nh_cpu c;

	if (!h->preempt_in_tick || uctx_pc(uc) != h->preempt_resume ||
	    !ram_readable(h, h->preempt_ctx, sizeof(c)))
		return false;
	memcpy(&c, (const void *)(uintptr_t)h->preempt_ctx, sizeof(c));
	uctx_tick_load(uc, &c, &h->preempt_kept);
	h->preempt_in_tick = 0;
	return true;
}
#endif

void preempt_install(struct nh_host *h)
{
	const struct timeval tick = {.tv_usec = NH_PREEMPT_TICK_NS / 1000};
	const struct itimerval it = {.it_interval = tick, .it_value = tick};
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_tick;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
	sigfillset(&sa.sa_mask);
	if (sigaction(SIGVTALRM, &sa, NULL) != 0)
		nh_die_errno(NH_EXIT_USAGE, "cannot install the preemption tick: %s", h->opts.image);
	if (setitimer(ITIMER_VIRTUAL, &it, NULL) != 0)
		nh_die_errno(NH_EXIT_USAGE, "cannot arm the preemption tick: %s", h->opts.image);
}

int64_t hook_preempt(struct nh_host *h, const uint64_t a[6])
{
	uint64_t pc = a[0];

	if (pc != 0 && !ram_in_text(h, pc))
		return -NH_EINVAL;
#if ARCH_PREEMPT_CTX
	uint64_t ctx = a[1], resume = a[2];

	if (pc != 0 && (ctx % 8 != 0 || !ram_writable(h, ctx, sizeof(struct nh_cpu)) ||
	                !ram_in_text(h, resume)))
		return -NH_EINVAL;
	if (h->preempt_in_tick)
		return -NH_EINVAL;
	h->preempt_ctx = ctx;
	h->preempt_resume = resume;
#endif
	h->preempt_handler = pc;
	return 0;
}
