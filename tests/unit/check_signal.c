/*
 * check_signal.c - unit tests of host/signal.c (SIGNAL, RAISE, the start
 * state, the end by a signal, IDLE woken by a caught signal) and of the
 * supervisor's decisions over the page it shares with the image host
 * (sandbox/sbx_supervise.c: sbx_forward, sbx_died_by,
 * sbx_supervisor_handles) and of the page itself (sandbox/sbx_share.c: the
 * memfd made sealed, --signal-fd's descriptor adopted or refused).
 *
 * The host context (nh_host itself, which the handler reads) has no guest
 * RAM: its host block is a static one, where the handler and RAISE set the
 * pending bits. Each test runs in a
 * child of its own (libcheck forks), so the dispositions it sets die with
 * it; those that end a process (a RAISE, signal_init's unblocking) fork
 * once more.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"
#include "unit.h"

/* The handler reaches the host through nh_host, as in a run. */
#define H nh_host
static struct nh_hostblock hb;

static void setup(void)
{
	memset(&H, 0, sizeof(H));
	memset(&hb, 0, sizeof(hb));
	H.hb = &hb;
	sigemptyset(&H.sig.caught);
}

static int64_t op_signal(uint64_t sig, uint64_t action)
{
	return hook_signal(&H, (const uint64_t[6]){sig, action});
}

static int64_t op_raise(uint64_t sig)
{
	return hook_raise(&H, (const uint64_t[6]){sig});
}

static int64_t op_idle(uint64_t until)
{
	return hook_idle(&H, (const uint64_t[6]){until, 0, 0});
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The kernel's disposition of sig: SIG_DFL, SIG_IGN, or (void *)1 for a handler. */
static void *disposition(int sig, int *flags)
{
	struct sigaction sa;

	ck_assert_int_eq(sigaction(sig, NULL, &sa), 0);
	if (flags != NULL)
		*flags = sa.sa_flags;
	if (sa.sa_handler == SIG_DFL || sa.sa_handler == SIG_IGN)
		return (void *)sa.sa_handler;
	return (void *)1;
}

static bool blocked(int sig)
{
	sigset_t now;

	ck_assert_int_eq(sigprocmask(SIG_SETMASK, NULL, &now), 0);
	return sigismember(&now, sig) == 1;
}

#define BIT(sig) (UINT32_C(1) << (((sig) - 1) % 32))

/* ---- SIGNAL ------------------------------------------------------------- */

START_TEST(test_guest_signals)
{
	static const int reserved[] = {SIGKILL, SIGSTOP, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP,
	                               SIGSYS, SIGVTALRM, 32, 33};
	unsigned n = 0;

	for (int sig = 1; sig <= 64; sig++) {
		bool want = true;

		for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
			want = want && sig != reserved[i];
		ck_assert_msg(signal_is_guest(sig) == want, "signal %d", sig);
		n += want;
	}
	ck_assert_uint_eq(n, 64 - 11);
	ck_assert(!signal_is_guest(0));
	ck_assert(!signal_is_guest(65));
	ck_assert(!signal_is_guest(-1));
	ck_assert(signal_default_ignored(SIGCHLD) && signal_default_ignored(SIGCONT) &&
	          signal_default_ignored(SIGURG) && signal_default_ignored(SIGWINCH));
	ck_assert(!signal_default_ignored(SIGPIPE) && !signal_default_ignored(SIGTSTP) &&
	          !signal_default_ignored(SIGTERM));
}
END_TEST

/* Every reserved signal, and every bad number or action: -EINVAL, and
 * nothing changes (the kernel's disposition neither). */
START_TEST(test_signal_refused)
{
	static const uint64_t bad_sig[] = {
		0, SIGKILL, SIGSTOP, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS, SIGVTALRM, 32, 33,
		65, 255, UINT64_C(1) << 32 | SIGUSR1, /* not cut to SIGUSR1 */
		UINT64_MAX,
	};
	static const uint64_t bad_action[] = {4, 255, UINT64_C(1) << 32 | NH_SIG_CATCH, UINT64_MAX};

	for (size_t i = 0; i < sizeof(bad_sig) / sizeof(bad_sig[0]); i++)
		for (uint64_t action = NH_SIG_DEFAULT; action <= NH_SIG_CATCH; action++)
			ck_assert_msg(op_signal(bad_sig[i], action) == -NH_EINVAL, "signal(%llu, %llu)",
			              (unsigned long long)bad_sig[i], (unsigned long long)action);
	for (size_t i = 0; i < sizeof(bad_action) / sizeof(bad_action[0]); i++)
		EQ(op_signal(SIGUSR1, bad_action[i]), -NH_EINVAL);
	ck_assert_ptr_eq(disposition(SIGUSR1, NULL), SIG_DFL);
	ck_assert_ptr_ne(disposition(SIGSEGV, NULL), (void *)1);
	ck_assert_uint_eq(H.sig.ncaught, 0);
	for (int sig = 0; sig <= 64; sig++)
		ck_assert_uint_eq(H.sig.action[sig], NH_SIG_DEFAULT);
}
END_TEST

/* The previous action comes back, and the kernel's disposition follows. */
START_TEST(test_signal_previous)
{
	int flags;

	EQ(op_signal(SIGUSR1, NH_SIG_CATCH), NH_SIG_DEFAULT);
	ck_assert_ptr_eq(disposition(SIGUSR1, &flags), (void *)1);
	ck_assert_int_eq(flags & (SA_SIGINFO | SA_ONSTACK | SA_RESTART),
	                 SA_SIGINFO | SA_ONSTACK | SA_RESTART);
	ck_assert_uint_eq(H.sig.ncaught, 1);
	ck_assert_int_eq(sigismember(&H.sig.caught, SIGUSR1), 1);
	EQ(op_signal(SIGUSR1, NH_SIG_CATCH), NH_SIG_CATCH);
	ck_assert_uint_eq(H.sig.ncaught, 1);
	EQ(op_signal(SIGUSR1, NH_SIG_IGNORE), NH_SIG_CATCH);
	ck_assert_ptr_eq(disposition(SIGUSR1, NULL), SIG_IGN);
	ck_assert_uint_eq(H.sig.ncaught, 0);
	ck_assert_int_eq(sigismember(&H.sig.caught, SIGUSR1), 0);
	EQ(op_signal(SIGUSR1, NH_SIG_DEFAULT), NH_SIG_IGNORE);
	ck_assert_ptr_eq(disposition(SIGUSR1, NULL), SIG_DFL);
	EQ(op_signal(SIGUSR1, NH_SIG_DEFAULT), NH_SIG_DEFAULT);
	/* the highest, and two at once */
	EQ(op_signal(64, NH_SIG_CATCH), NH_SIG_DEFAULT);
	EQ(op_signal(SIGHUP, NH_SIG_CATCH), NH_SIG_DEFAULT);
	ck_assert_uint_eq(H.sig.ncaught, 2);
	EQ(op_signal(64, NH_SIG_DEFAULT), NH_SIG_CATCH);
	ck_assert_uint_eq(H.sig.ncaught, 1);
	ck_assert_int_eq(sigismember(&H.sig.caught, SIGHUP), 1);
}
END_TEST

/* SIGPIPE stays ignored by the kernel unless caught; SIGCHLD's IGNORE is
 * SIG_DFL (no reaping of the launcher behind the host's back). */
START_TEST(test_signal_exceptions)
{
	ck_assert_ptr_ne(signal(SIGPIPE, SIG_IGN), SIG_ERR);
	EQ(op_signal(SIGPIPE, NH_SIG_IGNORE), NH_SIG_DEFAULT);
	ck_assert_ptr_eq(disposition(SIGPIPE, NULL), SIG_IGN);
	EQ(op_signal(SIGPIPE, NH_SIG_CATCH), NH_SIG_IGNORE);
	ck_assert_ptr_eq(disposition(SIGPIPE, NULL), (void *)1);
	EQ(op_signal(SIGPIPE, NH_SIG_DEFAULT), NH_SIG_CATCH);
	ck_assert_ptr_eq(disposition(SIGPIPE, NULL), SIG_IGN);
	EQ(op_signal(SIGCHLD, NH_SIG_IGNORE), NH_SIG_DEFAULT);
	ck_assert_ptr_eq(disposition(SIGCHLD, NULL), SIG_DFL);
	EQ(op_signal(SIGWINCH, NH_SIG_IGNORE), NH_SIG_DEFAULT);
	ck_assert_ptr_eq(disposition(SIGWINCH, NULL), SIG_IGN);
}
END_TEST

/* The supervisor's page follows every change. */
START_TEST(test_signal_share)
{
	struct sbx_sigshare share;

	memset(&share, 0, sizeof(share));
	H.sig.share = &share;
	EQ(op_signal(SIGTERM, NH_SIG_CATCH), NH_SIG_DEFAULT);
	ck_assert_uint_eq(share.action[SIGTERM], NH_SIG_CATCH);
	EQ(op_signal(SIGTERM, NH_SIG_IGNORE), NH_SIG_CATCH);
	ck_assert_uint_eq(share.action[SIGTERM], NH_SIG_IGNORE);
	EQ(op_signal(SIGTERM, NH_SIG_DEFAULT), NH_SIG_IGNORE);
	ck_assert_uint_eq(share.action[SIGTERM], NH_SIG_DEFAULT);
	EQ(op_signal(SIGKILL, NH_SIG_CATCH), -NH_EINVAL);
	ck_assert_uint_eq(share.action[SIGKILL], 0);
	ck_assert_uint_eq(share.died_by, 0);
}
END_TEST

/* ---- RAISE -------------------------------------------------------------- */

START_TEST(test_raise_caught)
{
	EQ(op_signal(SIGUSR1, NH_SIG_CATCH), NH_SIG_DEFAULT);
	EQ(op_raise(SIGUSR1), 0);
	ck_assert_uint_eq(hb.sig_pending[0], BIT(SIGUSR1));
	ck_assert_uint_eq(hb.sig_pending[1], 0);
	EQ(op_signal(64, NH_SIG_CATCH), NH_SIG_DEFAULT);
	EQ(op_raise(64), 0);
	ck_assert_uint_eq(hb.sig_pending[1], UINT32_C(1) << 31);
	EQ(op_signal(34, NH_SIG_CATCH), NH_SIG_DEFAULT);
	EQ(op_raise(34), 0);
	ck_assert_uint_eq(hb.sig_pending[1], UINT32_C(1) << 31 | BIT(34));
	EQ(op_raise(SIGUSR1), 0); /* a bit already set stays one bit */
	ck_assert_uint_eq(hb.sig_pending[0], BIT(SIGUSR1));
	/* a real signal sets the same bit through the handler */
	hb.sig_pending[0] = 0;
	ck_assert_int_eq(raise(SIGUSR1), 0);
	ck_assert_uint_eq(hb.sig_pending[0], BIT(SIGUSR1));
}
END_TEST

/* IGNORE, and DEFAULT of a signal whose default does nothing (or stops):
 * 0, no bit, still here. */
START_TEST(test_raise_nothing)
{
	static const int quiet[] = {SIGCHLD, SIGCONT, SIGURG, SIGWINCH, SIGTSTP, SIGTTIN, SIGTTOU};

	EQ(op_signal(SIGUSR2, NH_SIG_IGNORE), NH_SIG_DEFAULT);
	EQ(op_raise(SIGUSR2), 0);
	EQ(op_signal(SIGTERM, NH_SIG_IGNORE), NH_SIG_DEFAULT);
	EQ(op_raise(SIGTERM), 0);
	for (size_t i = 0; i < sizeof(quiet) / sizeof(quiet[0]); i++)
		EQ(op_raise((uint64_t)quiet[i]), 0);
	ck_assert_uint_eq(hb.sig_pending[0] | hb.sig_pending[1], 0);
}
END_TEST

START_TEST(test_raise_refused)
{
	static const uint64_t bad[] = {0, SIGSTOP, 32, 33, 65, UINT64_C(1) << 32 | SIGTERM,
	                               UINT64_MAX};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EQ(op_raise(bad[i]), -NH_EINVAL);
}
END_TEST

/* RAISE that ends the image, in a child: the status a parent sees. */
struct ending {
	int sig;                      /* raised */
	struct sbx_sigshare *share;   /* the supervisor's page, or NULL */
};

static void raise_child(const void *arg)
{
	const struct ending *e = arg;

	setup();
	H.sig.share = e->share;
	op_raise((uint64_t)e->sig);
	CHILD_EXIT(1); /* must not return */
}

START_TEST(test_raise_ends)
{
	static const int deadly[] = {SIGTERM, SIGHUP, SIGUSR1, SIGPIPE, 40, 64, SIGKILL, SIGSEGV,
	                             SIGSYS, SIGVTALRM, SIGALRM};
	struct outcome o;

	for (size_t i = 0; i < sizeof(deadly) / sizeof(deadly[0]); i++) {
		struct ending e = {.sig = deadly[i]};

		unit_fork(raise_child, &e, &o, NULL, NULL);
		ck_assert_msg(WIFSIGNALED(o.status) && WTERMSIG(o.status) == deadly[i],
		              "raise(%d): status 0x%x, stderr %s", deadly[i], o.status, o.err);
	}
}
END_TEST

/* With a supervisor: died_by in the page, and exit 128 + sig (the child
 * may be PID 1 of a namespace, which cannot die of its own signal). */
START_TEST(test_raise_ends_supervised)
{
	struct sbx_sigshare *share = mmap(NULL, sizeof(*share), PROT_READ | PROT_WRITE,
	                                  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct ending e = {.sig = SIGTERM};
	struct outcome o;

	ck_assert_ptr_ne(share, MAP_FAILED);
	e.share = share;
	unit_fork(raise_child, &e, &o, NULL, NULL);
	expect_exit(&o, 128 + SIGTERM);
	ck_assert_uint_eq(share->died_by, SIGTERM);
	ck_assert_int_eq(sbx_died_by(share, o.status), SIGTERM);
	e.sig = SIGKILL;
	unit_fork(raise_child, &e, &o, NULL, NULL);
	expect_exit(&o, 128 + SIGKILL);
	ck_assert_int_eq(sbx_died_by(share, o.status), SIGKILL);
	munmap(share, sizeof(*share));
}
END_TEST

/* ---- the start state ---------------------------------------------------- */

static void init_child(const void *arg)
{
	struct sbx_sigshare *share = (struct sbx_sigshare *)arg;
	sigset_t set;

	setup();
	/* whatever the test's own starter ignores (nohup SIGHUP, a shell's
	 * background job SIGINT and SIGQUIT) back to the default first */
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL); /* SIGKILL, SIGSTOP and libc's own refuse: fine */
	PROBE(signal(SIGHUP, SIG_IGN) != SIG_ERR);
	PROBE(signal(40, SIG_IGN) != SIG_ERR);
	PROBE(signal(SIGPIPE, SIG_DFL) != SIG_ERR);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGSEGV);
	PROBE(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
	signal_init(&H, share);
	PROBE(H.sig.share == share);
	PROBE(H.sig.action[SIGHUP] == NH_SIG_IGNORE && H.sig.action[40] == NH_SIG_IGNORE);
	PROBE(H.sig.action[SIGUSR1] == NH_SIG_DEFAULT && H.sig.action[SIGPIPE] == NH_SIG_DEFAULT);
	PROBE(H.sig.ignored[0] == BIT(SIGHUP) && H.sig.ignored[1] == BIT(40));
	PROBE(H.sig.ncaught == 0);
	for (int sig = 1; sig <= 64; sig++)
		PROBE(!signal_is_guest(sig) || share->action[sig] == H.sig.action[sig]);
	PROBE(disposition(SIGPIPE, NULL) == SIG_IGN); /* the host's writes get EPIPE */
	PROBE(!blocked(SIGUSR1));                      /* a guest signal: unblocked */
	PROBE(blocked(SIGSEGV));                       /* not the guest's: left alone */
	CHILD_EXIT(0);
}

START_TEST(test_init)
{
	struct sbx_sigshare *share = mmap(NULL, sizeof(*share), PROT_READ | PROT_WRITE,
	                                  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct outcome o;

	ck_assert_ptr_ne(share, MAP_FAILED);
	memset(share, 0xee, sizeof(*share)); /* whatever was there is overwritten */
	unit_fork(init_child, share, &o, NULL, NULL);
	expect_exit(&o, 0);
	ck_assert_uint_eq(share->action[SIGHUP], NH_SIG_IGNORE);
	ck_assert_uint_eq(share->action[SIGTERM], NH_SIG_DEFAULT);
	munmap(share, sizeof(*share));
}
END_TEST

/* ---- IDLE ----------------------------------------------------------------- */

/* Nothing caught: IDLE(0) with nothing to wait for is -EDEADLK, as before. */
START_TEST(test_idle_nothing_caught)
{
	EQ(op_idle(0), -NH_EDEADLK);
	EQ(op_signal(SIGUSR1, NH_SIG_IGNORE), NH_SIG_DEFAULT);
	EQ(op_idle(0), -NH_EDEADLK);
}
END_TEST

/* Only NOWAIT signals caught (Go's runtime's own SIGQUIT): IDLE(0) with
 * nothing else is still -EDEADLK, but a pending one is taken first; one
 * NH_SIG_CATCH more and IDLE(0) would wait. NOWAIT and CATCH are both
 * caught: the handler stays between them, RAISE pends either. */
START_TEST(test_idle_nowait)
{
	int flags;

	EQ(op_signal(SIGQUIT, NH_SIG_CATCH_NOWAIT), NH_SIG_DEFAULT);
	ck_assert_ptr_eq(disposition(SIGQUIT, &flags), (void *)1);
	ck_assert_uint_eq(H.sig.ncaught, 1);
	ck_assert_uint_eq(H.sig.nwaited, 0);
	EQ(op_idle(0), -NH_EDEADLK);
	EQ(op_raise(SIGQUIT), 0);
	EQ(op_idle(0), 0);
	ck_assert_uint_eq(hb.sig_pending[0], BIT(SIGQUIT));
	hb.sig_pending[0] = 0;
	EQ(op_signal(SIGUSR1, NH_SIG_CATCH), NH_SIG_DEFAULT);
	ck_assert_uint_eq(H.sig.nwaited, 1);
	EQ(op_signal(SIGUSR1, NH_SIG_CATCH_NOWAIT), NH_SIG_CATCH);
	ck_assert_uint_eq(H.sig.ncaught, 2);
	ck_assert_uint_eq(H.sig.nwaited, 0);
	ck_assert_ptr_eq(disposition(SIGUSR1, NULL), (void *)1);
	EQ(op_idle(0), -NH_EDEADLK);
	EQ(op_signal(SIGUSR1, NH_SIG_DEFAULT), NH_SIG_CATCH_NOWAIT);
	ck_assert_uint_eq(H.sig.ncaught, 1);
	ck_assert(!blocked(SIGQUIT));
}
END_TEST

/* A bit pending: IDLE returns at once, whatever the deadline; the mask is
 * as before. */
START_TEST(test_idle_pending)
{
	uint64_t t0;

	EQ(op_signal(SIGUSR1, NH_SIG_CATCH), NH_SIG_DEFAULT);
	EQ(op_raise(SIGUSR1), 0);
	t0 = mono_ns();
	EQ(op_idle(0), 0);
	EQ(op_idle(mono_ns() + 5000000000u), 0);
	ck_assert_uint_lt(mono_ns() - t0, 1000000000u);
	ck_assert_uint_eq(hb.sig_pending[0], BIT(SIGUSR1)); /* the guest's to take */
	ck_assert(!blocked(SIGUSR1));
}
END_TEST

/* No bit: a deadline is kept (ppoll's timeout). */
START_TEST(test_idle_deadline)
{
	uint64_t t0 = mono_ns();

	EQ(op_signal(SIGUSR1, NH_SIG_CATCH), NH_SIG_DEFAULT);
	EQ(op_idle(t0 + 30000000u), 0);
	ck_assert_uint_ge(mono_ns(), t0 + 30000000u);
	EQ(op_idle(t0), 0); /* past: at once */
	ck_assert_uint_eq(hb.sig_pending[0], 0);
	ck_assert(!blocked(SIGUSR1));
}
END_TEST

/* A signal sent while IDLE waits with no deadline wakes it, its bit set. */
START_TEST(test_idle_woken)
{
	pid_t parent = getpid(), pid;
	uint64_t t0;
	int st;

	EQ(op_signal(SIGUSR2, NH_SIG_CATCH), NH_SIG_DEFAULT);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		usleep(50000);
		kill(parent, SIGUSR2);
		CHILD_EXIT(0);
	}
	t0 = mono_ns();
	EQ(op_idle(0), 0);
	ck_assert_uint_ge(mono_ns() - t0, 20000000u);
	ck_assert_uint_eq(hb.sig_pending[0], BIT(SIGUSR2));
	ck_assert(!blocked(SIGUSR2));
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
}
END_TEST

/* A signal that comes while the caught signals are blocked (between the
 * look at the bits and the wait) is not missed: the wait's own mask lets
 * it in at once. */
START_TEST(test_idle_no_lost_wakeup)
{
	sigset_t old;

	EQ(op_signal(SIGUSR1, NH_SIG_CATCH), NH_SIG_DEFAULT);
	ck_assert(!signal_idle_begin(&H, &old)); /* no bit yet; USR1 blocked */
	ck_assert(blocked(SIGUSR1));
	ck_assert_int_eq(sigismember(&old, SIGUSR1), 0);
	ck_assert_int_eq(raise(SIGUSR1), 0);     /* held by the mask */
	ck_assert_uint_eq(hb.sig_pending[0], 0);
	signal_idle_end(&old);                   /* unblocked: the handler runs */
	ck_assert_uint_eq(hb.sig_pending[0], BIT(SIGUSR1));
	ck_assert(signal_idle_begin(&H, &old));  /* now a bit: no wait */
	signal_idle_end(&old);
}
END_TEST

/* ---- the supervisor's decisions ------------------------------------------ */

START_TEST(test_forward)
{
	struct sbx_sigshare s;

	memset(&s, 0, sizeof(s));
	/* its own faults, and the same signals sent */
	ck_assert_int_eq(sbx_forward(&s, SIGSEGV, SEGV_MAPERR), SBX_FWD_OWN_FAULT);
	ck_assert_int_eq(sbx_forward(&s, SIGSYS, 1), SBX_FWD_OWN_FAULT);
	ck_assert_int_eq(sbx_forward(&s, SIGSEGV, SI_USER), SBX_FWD_KILL);
	ck_assert_int_eq(sbx_forward(&s, SIGBUS, SI_QUEUE), SBX_FWD_KILL);
	ck_assert_int_eq(sbx_forward(&s, SIGVTALRM, SI_USER), SBX_FWD_KILL);
	/* DEFAULT */
	ck_assert_int_eq(sbx_forward(&s, SIGTERM, SI_USER), SBX_FWD_KILL);
	ck_assert_int_eq(sbx_forward(&s, SIGINT, SI_KERNEL), SBX_FWD_KILL);
	ck_assert_int_eq(sbx_forward(&s, 40, SI_USER), SBX_FWD_KILL);
	ck_assert_int_eq(sbx_forward(&s, SIGWINCH, SI_KERNEL), SBX_FWD_NONE);
	ck_assert_int_eq(sbx_forward(&s, SIGURG, SI_USER), SBX_FWD_NONE);
	ck_assert_int_eq(sbx_forward(&s, SIGCONT, SI_USER), SBX_FWD_NONE);
	ck_assert_int_eq(sbx_forward(&s, SIGPIPE, SI_USER), SBX_FWD_NONE);
	/* IGNORE */
	s.action[SIGTERM] = NH_SIG_IGNORE;
	ck_assert_int_eq(sbx_forward(&s, SIGTERM, SI_USER), SBX_FWD_NONE);
	/* CATCH: passed on, unless the kernel sent it to the whole group */
	s.action[SIGINT] = s.action[SIGQUIT] = s.action[SIGPIPE] = s.action[SIGWINCH] =
		s.action[SIGHUP] = s.action[64] = NH_SIG_CATCH;
	ck_assert_int_eq(sbx_forward(&s, SIGINT, SI_USER), SBX_FWD_PASS);
	ck_assert_int_eq(sbx_forward(&s, SIGINT, SI_QUEUE), SBX_FWD_PASS);
	ck_assert_int_eq(sbx_forward(&s, SIGINT, SI_KERNEL), SBX_FWD_NONE);   /* the terminal's */
	ck_assert_int_eq(sbx_forward(&s, SIGQUIT, SI_KERNEL), SBX_FWD_NONE);
	ck_assert_int_eq(sbx_forward(&s, SIGWINCH, SI_KERNEL), SBX_FWD_NONE);
	ck_assert_int_eq(sbx_forward(&s, SIGHUP, SI_KERNEL), SBX_FWD_PASS);   /* maybe ours alone */
	ck_assert_int_eq(sbx_forward(&s, SIGHUP, SI_USER), SBX_FWD_PASS);
	ck_assert_int_eq(sbx_forward(&s, SIGPIPE, SI_USER), SBX_FWD_PASS);
	ck_assert_int_eq(sbx_forward(&s, SIGWINCH, SI_USER), SBX_FWD_PASS);
	ck_assert_int_eq(sbx_forward(&s, 64, SI_USER), SBX_FWD_PASS);
	/* CATCH_NOWAIT: the same */
	s.action[SIGTERM] = NH_SIG_CATCH_NOWAIT;
	ck_assert_int_eq(sbx_forward(&s, SIGTERM, SI_USER), SBX_FWD_PASS);
	s.action[SIGQUIT] = NH_SIG_CATCH_NOWAIT;
	ck_assert_int_eq(sbx_forward(&s, SIGQUIT, SI_KERNEL), SBX_FWD_NONE);
	/* a byte the guest scribbled is DEFAULT; a reserved one is never passed */
	s.action[SIGHUP] = 7;
	s.action[SIGUSR2] = 0xff;
	ck_assert_int_eq(sbx_forward(&s, SIGHUP, SI_USER), SBX_FWD_KILL);
	ck_assert_int_eq(sbx_forward(&s, SIGUSR2, SI_USER), SBX_FWD_KILL);
	s.action[SIGVTALRM] = s.action[SIGSEGV] = NH_SIG_CATCH;
	ck_assert_int_eq(sbx_forward(&s, SIGVTALRM, SI_USER), SBX_FWD_KILL);
	ck_assert_int_eq(sbx_forward(&s, SIGSEGV, SI_USER), SBX_FWD_KILL);
	s.action[SIGURG] = 9;
	ck_assert_int_eq(sbx_forward(&s, SIGURG, SI_USER), SBX_FWD_NONE);
	/* no page: as DEFAULT */
	ck_assert_int_eq(sbx_forward(NULL, SIGTERM, SI_USER), SBX_FWD_KILL);
	ck_assert_int_eq(sbx_forward(NULL, SIGWINCH, SI_USER), SBX_FWD_NONE);
}
END_TEST

START_TEST(test_died_by)
{
	struct sbx_sigshare s;

	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(sbx_died_by(&s, (128 + SIGTERM) << 8), 0); /* nothing in the page */
	s.died_by = SIGTERM;
	ck_assert_int_eq(sbx_died_by(&s, (128 + SIGTERM) << 8), SIGTERM);
	ck_assert_int_eq(sbx_died_by(&s, 0), 0);                  /* exit 0: scribbled */
	ck_assert_int_eq(sbx_died_by(&s, (128 + SIGINT) << 8), 0); /* another status */
	ck_assert_int_eq(sbx_died_by(&s, SIGKILL), 0);             /* killed: its own status */
	s.died_by = 64;
	ck_assert_int_eq(sbx_died_by(&s, (128 + 64) << 8), 64);
	s.died_by = 65;
	ck_assert_int_eq(sbx_died_by(&s, (128 + 65) << 8), 0);
	s.died_by = 200;
	ck_assert_int_eq(sbx_died_by(&s, ((128 + 200) & 0xff) << 8), 0);
	ck_assert_int_eq(sbx_died_by(NULL, (128 + SIGTERM) << 8), 0);
}
END_TEST

START_TEST(test_supervisor_handles)
{
	static const int not[] = {0, SIGKILL, SIGSTOP, SIGCHLD, SIGTSTP, SIGTTIN, SIGTTOU, 32, 33, 65};
	static const int yes[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGPIPE, SIGWINCH, SIGURG,
	                          SIGCONT, SIGSEGV, SIGSYS, SIGVTALRM, SIGPWR, 34, 64};

	for (size_t i = 0; i < sizeof(not) / sizeof(not[0]); i++)
		ck_assert_msg(!sbx_supervisor_handles(not[i]), "%d", not[i]);
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		ck_assert_msg(sbx_supervisor_handles(yes[i]), "%d", yes[i]);
}
END_TEST

/* ---- the page as a memfd (sandbox/sbx_share.c) ------------------------- */

/* A memfd of n bytes with seals (0: none added). */
static int memfd_of(off_t n, int seals)
{
	int fd = memfd_create("check", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, n), 0);
	if (seals != 0)
		ck_assert_int_eq(fcntl(fd, F_ADD_SEALS, seals), 0);
	return fd;
}

START_TEST(test_share_make)
{
	struct sbx_share sh;
	struct stat st;

	ck_assert(signal(SIGHUP, SIG_IGN) != SIG_ERR); /* this test's process only */
	sh = sbx_share_make("test", NULL);
	ck_assert_ptr_nonnull(sh.page);
	ck_assert_int_ge(sh.fd, 3);
	ck_assert_uint_eq(sh.page->action[SIGHUP], NH_SIG_IGNORE);
	ck_assert_uint_eq(sh.page->action[SIGTERM], NH_SIG_DEFAULT);
	ck_assert_uint_eq(sh.page->died_by, 0);
	ck_assert_int_eq(fcntl(sh.fd, F_GETFD), FD_CLOEXEC); /* only foreign_exec keeps it */
	ck_assert_int_eq(fstat(sh.fd, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_eq(st.st_size, sizeof(struct sbx_sigshare));
	ck_assert_int_eq(fcntl(sh.fd, F_GET_SEALS), F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL);
	/* nobody can shrink it from under the supervisor's handler */
	ck_assert_int_eq(ftruncate(sh.fd, 0), -1);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_int_eq(fcntl(sh.fd, F_ADD_SEALS, 0), -1);
}
END_TEST

/* --signal-fd's descriptor: only such a page is taken; each refusal says
 * why in one line, maps nothing. */
START_TEST(test_share_adopt)
{
	struct sbx_share sh = sbx_share_make("test", NULL), got;
	char err[256], want[64];
	int p[2], fd, dir;

	/* the page itself: the same bytes, close-on-exec set again */
	ck_assert_int_eq(fcntl(sh.fd, F_SETFD, 0), 0); /* as it crosses the exec */
	ck_assert(sbx_share_adopt(sh.fd, &got, err, sizeof(err)));
	ck_assert_int_eq(got.fd, sh.fd);
	ck_assert_ptr_nonnull(got.page);
	ck_assert_ptr_ne(got.page, sh.page);
	ck_assert_int_eq(fcntl(sh.fd, F_GETFD), FD_CLOEXEC);
	got.page->action[SIGUSR1] = NH_SIG_CATCH;
	ck_assert_uint_eq(sh.page->action[SIGUSR1], NH_SIG_CATCH);
	sh.page->died_by = SIGTERM;
	ck_assert_uint_eq(got.page->died_by, SIGTERM);
	/* a larger sealed memfd will do */
	fd = memfd_of(4096, F_SEAL_SHRINK);
	ck_assert(sbx_share_adopt(fd, &got, err, sizeof(err)));
	close(fd);

#define REFUSED(d, text)                                                                      \
	do {                                                                                   \
		got = (struct sbx_share){.page = (void *)1, .fd = 99};                         \
		ck_assert(!sbx_share_adopt((d), &got, err, sizeof(err)));                      \
		ck_assert_ptr_null(got.page);                                                  \
		ck_assert_int_eq(got.fd, -1);                                                  \
		snprintf(want, sizeof(want), "--signal-fd %d: ", (d));                         \
		ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "\"%s\"", err);          \
		ck_assert_msg(strstr(err, (text)) != NULL, "\"%s\" lacks \"%s\"", err, (text)); \
		ck_assert_ptr_null(strchr(err, '\n'));                                         \
	} while (0)

	REFUSED(1000, "not open (Bad file descriptor)");
	ck_assert_int_eq(pipe(p), 0);
	REFUSED(p[0], "not a regular file (the supervisor's signal page is a memfd)");
	dir = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(dir, 0);
	REFUSED(dir, "not a regular file");
	fd = memfd_of(sizeof(struct sbx_sigshare) - 1, F_SEAL_SHRINK);
	REFUSED(fd, "65 bytes, fewer than the 66 of the supervisor's signal page");
	close(fd);
	fd = memfd_of(sizeof(struct sbx_sigshare), 0); /* a memfd, its size free to shrink */
	REFUSED(fd, "not sealed against shrinking (F_SEAL_SHRINK)");
	close(fd);
	fd = memfd_of(sizeof(struct sbx_sigshare), F_SEAL_GROW | F_SEAL_SEAL);
	REFUSED(fd, "not sealed against shrinking");
	close(fd);
	fd = memfd_create("check", MFD_CLOEXEC); /* no sealing at all: F_SEAL_SEAL */
	ck_assert_int_eq(ftruncate(fd, 4096), 0);
	REFUSED(fd, "not sealed against shrinking");
	close(fd);
	/* a file of a disk (or of tmpfs, which has seals but never SHRINK) */
	fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	REFUSED(fd, "");
	ck_assert(strstr(err, "no seals (") != NULL || strstr(err, "not sealed") != NULL);
	close(fd);
#undef REFUSED
}
END_TEST

Suite *signal_suite(void)
{
	Suite *s = suite_create("signal");
	TCase *ops = tcase_create("ops"), *idle = tcase_create("idle"),
	      *sup = tcase_create("supervisor");

	tcase_add_checked_fixture(ops, setup, NULL);
	tcase_add_test(ops, test_guest_signals);
	tcase_add_test(ops, test_signal_refused);
	tcase_add_test(ops, test_signal_previous);
	tcase_add_test(ops, test_signal_exceptions);
	tcase_add_test(ops, test_signal_share);
	tcase_add_test(ops, test_raise_caught);
	tcase_add_test(ops, test_raise_nothing);
	tcase_add_test(ops, test_raise_refused);
	tcase_add_test(ops, test_raise_ends);
	tcase_add_test(ops, test_raise_ends_supervised);
	tcase_add_test(ops, test_init);
	tcase_add_checked_fixture(idle, setup, NULL);
	tcase_add_test(idle, test_idle_nothing_caught);
	tcase_add_test(idle, test_idle_nowait);
	tcase_add_test(idle, test_idle_pending);
	tcase_add_test(idle, test_idle_deadline);
	tcase_add_test(idle, test_idle_woken);
	tcase_add_test(idle, test_idle_no_lost_wakeup);
	tcase_add_test(sup, test_forward);
	tcase_add_test(sup, test_died_by);
	tcase_add_test(sup, test_supervisor_handles);
	tcase_add_test(sup, test_share_make);
	tcase_add_test(sup, test_share_adopt);
	suite_add_tcase(s, ops);
	suite_add_tcase(s, idle);
	suite_add_tcase(s, sup);
	return s;
}
