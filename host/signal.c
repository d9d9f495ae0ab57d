/*
 * signal.c - NH_OP_SIGNAL, NH_OP_RAISE: the guest's signals
 * (nonehost_abi.h "Signals"), the way the image ends by one, and IDLE's
 * part in them.
 *
 * Contract:
 *   signal_init(h, share)  at start-up, in the process that runs the image
 *          (after the supervisor's fork, before the launcher and
 *          proc_setup, which ignores SIGPIPE): every guest signal the
 *          process inherited ignored (as nohup leaves SIGHUP) starts as
 *          NH_SIG_IGNORE and has its bit in h->sig.ignored (ram_layout
 *          copies it to hostblock.sig_ignored); every other one
 *          NH_SIG_DEFAULT. The actions go to the supervisor's page when
 *          there is one. Then every guest signal is unblocked (an inherited
 *          mask would hold back a signal the image catches; Go's runtime on
 *          Linux unblocks them too) and SIGPIPE is ignored (below). Dies
 *          125 if it cannot.
 *   signal(sig, action)  sig a guest signal (signal_is_guest: 1..64 but
 *          SIGKILL, SIGSTOP, the faults, the tick's SIGVTALRM and libc's 32
 *          and 33) and action NH_SIG_*, else -EINVAL. Returns the previous
 *          action. The kernel's disposition follows: DEFAULT SIG_DFL, IGNORE
 *          SIG_IGN, CATCH on_signal (SA_SIGINFO | SA_ONSTACK, on the fault
 *          stack: the guest's stack is not the host's; SA_RESTART: a host
 *          call the signal interrupts goes on, the bit waits for the guest;
 *          every signal blocked while it runs; NH_SIG_CATCH_NOWAIT the same, but
 *          it does not count for IDLE(0): h->sig.nwaited counts only
 *          NH_SIG_CATCH). Two exceptions: SIGPIPE is
 *          SIG_IGN unless caught (the host's own writes to pipes must get
 *          EPIPE; its DEFAULT ends the image only when raised: RAISE, or a
 *          console write without a reader, hook_console.c), and SIGCHLD's
 *          IGNORE is SIG_DFL (SIG_IGN would have the kernel reap the host's
 *          own child, the launcher, and Linux's default for it is to
 *          ignore anyway). With a supervisor, the page gets the action too:
 *          after the handler is in place when the image starts catching,
 *          before it goes when the image stops, so the supervisor passes a
 *          signal on only while a handler would take it.
 *   on_signal  ORs bit (sig-1)%32 into hostblock.sig_pending[(sig-1)/32],
 *          atomically, and nothing else (async-signal-safe); the guest
 *          takes the words with an atomic exchange. A SIGCHLD whose si_code
 *          is POLL_HUP is dropped: a child's channel raises SIGCHLD when its
 *          exit arrives, and again when the launcher closes its end
 *          (proc_start.c, launcher.c).
 *   signal_child_ended(h)  SIGCHLD pending if the image catches it: a
 *          child's exit that arrived before its channel had an owner.
 *   raise(sig)  1..64 but SIGSTOP, 32 and 33 (-EINVAL). For a guest
 *          signal, the action in force: CATCH sets the pending bit (the
 *          same as the handler would: no kill needed), IGNORE nothing,
 *          DEFAULT nothing for SIGCHLD, SIGCONT, SIGURG and SIGWINCH (their
 *          default is to ignore) and for SIGTSTP, SIGTTIN and SIGTTOU
 *          (their default stops the process: the image's parent, the
 *          launcher, waits for ends only and would never see the stop, and
 *          PID 1 of a namespace cannot be stopped); any other signal ends
 *          the image. Any other sig (SIGKILL, a fault, SIGVTALRM) ends it.
 *          Returns 0, or does not return (traced as "= ?").
 *   signal_die(h, sig)  the image ends killed by sig: the console flushed,
 *          then without a supervisor the signal's default action restored,
 *          the signal unblocked and raised (this process is not PID 1 of a
 *          namespace then: only --isolate makes one, and it always forks a
 *          supervisor), and exit 128 + sig should it survive; with one, sig
 *          into the page's died_by and exit 128 + sig: the child may be PID
 *          1 of a namespace, which ignores a signal it sends itself, and
 *          the supervisor leaves killed by sig (sbx_supervise.c).
 *   signal_idle_begin(), signal_idle_end()  IDLE while a signal is caught
 *          (host/hook_time.c): block the caught signals, then look at the
 *          pending bits; a bit set means no wait; otherwise IDLE waits with
 *          the mask from before (ppoll's, epoll_pwait2's or io_uring's
 *          sigmask), so a signal that comes after the look ends the wait
 *          (EINTR) instead of being missed; then the mask is put back.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"

_Static_assert(NH_SIGNAL_MAX + 1 == sizeof(((struct sbx_sigshare *)0)->action),
               "the supervisor's page has a byte per signal");

bool signal_is_guest(int sig)
{
	switch (sig) {
	case SIGKILL: case SIGSTOP:        /* nobody can catch them */
	case SIGSEGV: case SIGBUS: case SIGILL: case SIGFPE: case SIGTRAP:
	case SIGSYS:                       /* faults, the sandbox's report (fault.c, sbx_report.c) */
	case SIGVTALRM:                    /* the time-slice tick (preempt.c) */
		return false;
	default:
		return sig >= 1 && sig <= NH_SIGNAL_MAX && !sbx_libc_signal(sig);
	}
}

bool signal_default_ignored(int sig)
{
	return sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH;
}

static void pend(struct nh_hostblock *hb, int sig)
{
	__atomic_fetch_or(&hb->sig_pending[(sig - 1) / 32], UINT32_C(1) << ((sig - 1) % 32),
	                  __ATOMIC_SEQ_CST);
}

static bool caught(uint8_t action)
{
	return action == NH_SIG_CATCH || action == NH_SIG_CATCH_NOWAIT;
}

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	/* A child's channel raises SIGCHLD when its exit arrives, and again
	 * when the launcher then closes its end: that hang-up is no end. */
	if (sig == SIGCHLD && si->si_code == POLL_HUP)
		return;
	pend(nh_host.hb, sig);
}

void signal_child_ended(struct nh_host *h)
{
	if (caught(h->sig.action[SIGCHLD]))
		pend(h->hb, SIGCHLD);
}

/* The supervisor's byte for sig (nothing without a supervisor). */
static void share_action(struct nh_host *h, int sig, uint8_t action)
{
	if (h->sig.share != NULL)
		__atomic_store_n(&h->sig.share->action[sig], action, __ATOMIC_SEQ_CST);
}

void signal_init(struct nh_host *h, struct sbx_sigshare *share)
{
	struct sigaction old;
	sigset_t guest;

	memset(&h->sig, 0, sizeof(h->sig));
	h->sig.share = share;
	sigemptyset(&h->sig.caught);
	sigemptyset(&guest);
	for (int sig = 1; sig <= NH_SIGNAL_MAX; sig++) {
		if (!signal_is_guest(sig))
			continue;
		if (sigaction(sig, NULL, &old) != 0)
			nh_die_errno(NH_EXIT_USAGE, "cannot read the disposition of signal %d", sig);
		if (old.sa_handler == SIG_IGN) {
			h->sig.action[sig] = NH_SIG_IGNORE;
			h->sig.ignored[(sig - 1) / 32] |= UINT32_C(1) << ((sig - 1) % 32);
		}
		share_action(h, sig, h->sig.action[sig]);
		if (sigaddset(&guest, sig) != 0)
			nh_die_errno(NH_EXIT_USAGE, "cannot add signal %d to a set", sig);
	}
	if (sigprocmask(SIG_UNBLOCK, &guest, NULL) != 0)
		nh_die_errno(NH_EXIT_USAGE, "cannot unblock the guest's signals");
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		nh_die_errno(NH_EXIT_USAGE, "cannot ignore SIGPIPE");
}

/* The kernel's disposition for sig under action (the contract's table). */
static int dispose(int sig, uint8_t action)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	if (caught(action)) {
		sa.sa_sigaction = on_signal;
		sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
		sigfillset(&sa.sa_mask);
	} else if (sig == SIGPIPE || (action == NH_SIG_IGNORE && sig != SIGCHLD)) {
		sa.sa_handler = SIG_IGN;
	} else {
		sa.sa_handler = SIG_DFL;
	}
	return sigaction(sig, &sa, NULL) == 0 ? 0 : -errno;
}

int64_t hook_signal(struct nh_host *h, const uint64_t a[6])
{
	uint64_t sig = a[0], action = a[1];
	uint8_t prev;
	int r;

	if (sig > NH_SIGNAL_MAX || !signal_is_guest((int)sig) || action > NH_SIG_CATCH_NOWAIT)
		return -NH_EINVAL;
	prev = h->sig.action[sig];
	if (action == prev)
		return prev; /* the kernel has it already */
	if (!caught((uint8_t)action))
		share_action(h, (int)sig, (uint8_t)action); /* before the handler goes */
	if (!(caught((uint8_t)action) && caught(prev))) { /* else the handler stays */
		if ((r = dispose((int)sig, (uint8_t)action)) < 0) {
			share_action(h, (int)sig, prev);
			return r;
		}
	}
	if (caught((uint8_t)action)) {
		share_action(h, (int)sig, (uint8_t)action); /* the handler is in place */
		if (!caught(prev)) {
			sigaddset(&h->sig.caught, (int)sig);
			h->sig.ncaught++;
		}
	} else if (caught(prev)) {
		sigdelset(&h->sig.caught, (int)sig);
		h->sig.ncaught--;
	}
	h->sig.nwaited += (action == NH_SIG_CATCH) - (prev == NH_SIG_CATCH);
	h->sig.action[sig] = (uint8_t)action;
	return prev;
}

int64_t hook_raise(struct nh_host *h, const uint64_t a[6])
{
	uint64_t sig = a[0];

	if (sig < 1 || sig > NH_SIGNAL_MAX || sig == SIGSTOP || sbx_libc_signal((int)sig))
		return -NH_EINVAL;
	if (signal_is_guest((int)sig)) {
		switch (h->sig.action[sig]) {
		case NH_SIG_CATCH:
		case NH_SIG_CATCH_NOWAIT:
			pend(h->hb, (int)sig);
			return 0;
		case NH_SIG_IGNORE:
			return 0;
		default:
			break;
		}
		if (signal_default_ignored((int)sig) || sig == SIGTSTP || sig == SIGTTIN ||
		    sig == SIGTTOU)
			return 0;
	}
	if (h->opts.trace) /* it does not return: trace it first, as exit */
		gate_trace(NH_OP_RAISE, a, 0, 0, false);
	signal_die(h, (int)sig);
}

_Noreturn void signal_die(struct nh_host *h, int sig)
{
	sigset_t set;

	hook_console_flush(h);
	if (h->sig.share != NULL) {
		__atomic_store_n(&h->sig.share->died_by, (uint8_t)sig, __ATOMIC_SEQ_CST);
		_exit(128 + sig);
	}
	/* Each may fail (SIGKILL has no disposition to restore and cannot be
	 * blocked) and nothing is left to do about it: the raise decides. */
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	nh_raise(sig);
	_exit(128 + sig); /* still here: as a shell reports a death by sig */
}

bool signal_idle_begin(struct nh_host *h, sigset_t *old)
{
	const uint32_t *p = h->hb->sig_pending;

	if (sigprocmask(SIG_BLOCK, &h->sig.caught, old) != 0) {
		/* Cannot fail (a valid set): if it did, nothing is blocked, and
		 * IDLE does not wait, lest it miss a signal. */
		sigprocmask(SIG_SETMASK, NULL, old);
		return true;
	}
	return (__atomic_load_n(&p[0], __ATOMIC_SEQ_CST) |
	        __atomic_load_n(&p[1], __ATOMIC_SEQ_CST)) != 0;
}

void signal_idle_end(const sigset_t *old)
{
	if (sigprocmask(SIG_SETMASK, old, NULL) != 0) {
		/* nothing to do: old came from the kernel, which takes it back */
	}
}
