/*
 * preempt.c - the guest's time-slice tick (NH_OP_PREEMPT).
 *
 * Contract: preempt_install() arms ITIMER_VIRTUAL, which counts only the
 * CPU time the process spends in user mode, so a sleeping or idle guest
 * gets no ticks; SIGVTALRM runs on_tick on the fault sigaltstack. It runs
 * before the sandbox (setitimer and sigaction are not allowed after it).
 * hook_preempt(pc) registers the guest's handler, which must lie in guest
 * text; (0) unregisters. on_tick delivers a tick only when the guest runs
 * its own code on its own stack (not the gate, not host code) and the
 * 8 bytes below its stack pointer are writable guest RAM: it pushes the
 * interrupted PC there, as a call would, and resumes at the handler. A
 * tick it cannot deliver is dropped; the next comes 10 ms later.
 */
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <ucontext.h>

#include "host.h"

static void on_tick(int sig, siginfo_t *si, void *ucv)
{
	struct nh_host *h = &nh_host;
	greg_t *r = ((ucontext_t *)ucv)->uc_mcontext.gregs;
	uint64_t pc = (uint64_t)r[REG_RIP], sp = (uint64_t)r[REG_RSP];

	(void)sig;
	if (si->si_code <= 0 || h->preempt_handler == 0)
		return; /* sent from outside, or nobody to tell */
	if (!ram_in_text(h, pc) || sp < 8 || !ram_writable(h, sp - 8, 8))
		return; /* in the gate, in host code, or no room */
	*(uint64_t *)(uintptr_t)(sp - 8) = pc;
	r[REG_RSP] = (greg_t)(sp - 8);
	r[REG_RIP] = (greg_t)h->preempt_handler;
}

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
	h->preempt_handler = pc;
	return 0;
}
