/*
 * sbx_supervise.c - the one process boundary: fork once, wait, pass the
 * child's end through.
 *
 * Contract: sbx_supervise() forks. The child returns (it dies with its
 * parent: PR_SET_PDEATHSIG(SIGKILL)) and goes on with the set-up and the
 * image. The parent never returns: it waits for the child, then runs
 * at_exit(arg) when given (fs-shim: remove the private TMPDIR), and leaves
 * exactly as the child did: the same exit status (the guest's own, 125,
 * 126, 139, 159), or killed by the same signal (core dumps off, so a guest
 * crash writes nothing). Every catchable signal that would end the parent
 * (SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM, SIGPIPE,
 * SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF, SIGABRT, and SEGV, BUS, ILL, FPE,
 * TRAP, SYS when sent by another process) is passed on as SIGKILL (the
 * child may be PID 1 of a namespace, which ignores every signal it has no
 * handler for, even one it sends itself); then the parent runs at_exit and
 * re-raises the signal it got: the caller sees the signal it sent (143 for
 * SIGTERM, 139 for a SIGSEGV sent with kill).
 * Used by --isolate (a new PID namespace applies to children only) and by
 * the private TMPDIR (after the sandbox, Landlock forbids the image's own
 * process to remove it): one fork serves both. A SIGKILL of the parent
 * itself ends the child too, and leaves the TMPDIR behind.
 * The handler's state (the child's pid, the signal got) is file-static:
 * a signal handler has no other way to reach it.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"

/* Every signal whose default ends the process and that can be caught: the
 * parent must outlive the child to remove the TMPDIR. The synchronous ones
 * (SEGV, BUS, ILL, FPE, TRAP, SYS) only when sent by another process: a
 * real fault of the parent itself takes the default action. */
static const int forwarded[] = {SIGHUP,  SIGINT,  SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2,
                                SIGALRM, SIGPIPE, SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF,
                                SIGABRT, SIGSEGV, SIGBUS,  SIGILL,  SIGFPE,  SIGTRAP, SIGSYS};

static volatile sig_atomic_t got_signal;
static volatile pid_t child;

static void on_forwarded(int sig, siginfo_t *si, void *uc)
{
	int saved = errno;

	(void)uc;
	if (si->si_code > 0 && (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE ||
	                        sig == SIGTRAP || sig == SIGSYS)) {
		signal(sig, SIG_DFL); /* our own fault: the instruction runs again and kills us */
		return;
	}
	got_signal = sig;
	kill(child, SIGKILL);
	errno = saved;
}

/* Leave killed by sig, as the child was (or as we were asked to be). */
static _Noreturn void die_by(int sig)
{
	const struct rlimit none = {0, 0};
	sigset_t set;

	setrlimit(RLIMIT_CORE, &none);
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	kill(getpid(), sig);
	_exit(128 + sig); /* a signal whose default is to be ignored */
}

static _Noreturn void wait_child(const char *why, const sigset_t *old, void (*at_exit)(void *),
                                 void *arg)
{
	struct sigaction sa;
	int st;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_forwarded;
	sa.sa_flags = SA_SIGINFO;
	sigfillset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		if (sigaction(forwarded[i], &sa, NULL) != 0)
			nh_die_errno(NH_EXIT_USAGE, "%s: sigaction(%d)", why, forwarded[i]);
	sigprocmask(SIG_SETMASK, old, NULL);
	while (waitpid(child, &st, 0) != child)
		if (errno != EINTR)
			nh_die_errno(NH_EXIT_USAGE, "%s: waitpid(%d)", why, (int)child);
	if (at_exit != NULL)
		at_exit(arg);
	if (got_signal != 0)
		die_by(got_signal);
	if (WIFSIGNALED(st))
		die_by(WTERMSIG(st));
	_exit(WEXITSTATUS(st));
}

void sbx_supervise(const char *why, void (*at_exit)(void *), void *arg)
{
	sigset_t block, old;
	pid_t pid;

	sigemptyset(&block);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaddset(&block, forwarded[i]);
	sigprocmask(SIG_BLOCK, &block, &old);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		int e = errno;

		if (at_exit != NULL)
			at_exit(arg);
		errno = e;
		nh_die_errno(NH_EXIT_USAGE, "%s: fork", why);
	}
	if (pid > 0) {
		child = pid;
		wait_child(why, &old, at_exit, arg);
	}
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0)
		nh_die_errno(NH_EXIT_USAGE, "%s: PR_SET_PDEATHSIG", why);
	sigprocmask(SIG_SETMASK, &old, NULL);
}
