/*
 * sbx_supervise.c - the one process boundary: fork once, wait, pass the
 * child's end through.
 *
 * Contract: sbx_supervise() forks. The child returns (it dies with its
 * parent: PR_SET_PDEATHSIG(SIGKILL)) and goes on with the set-up and the
 * image. The parent never returns: it installs its signal forwarding,
 * confines itself (sbx_confine_supervisor: no_new_privs, no capability,
 * rlimits, Landlock with at_exit's rules only, a seccomp allowlist whose
 * default is EPERM; README.md, "The supervisor"), waits for the child, then
 * tells at_exit->ended how it ended (when given, and the end was not one
 * it caused by forwarding a signal), runs at_exit->run when given (fs-shim:
 * remove the private TMPDIR), and leaves
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
 * Under qemu-user seccomp(2) is missing: the filter on the emulator (whose
 * child the supervisor is) stands in, as for the image (sbx_seccomp.c);
 * with neither, only --no-sandbox lets the supervisor go on without it
 * (its filter guards against the image, which that leaves unconfined).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"

/* Descriptors the supervisor opens once confined, at least: Landlock's
 * ruleset (at_exit->policy adds what at_exit->run holds at once). */
#define SUPERVISOR_FDS 1

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

/* Leave killed by sig, as the child was (or as we were asked to be);
 * RLIMIT_CORE is 0 since the confinement. raise() is gettid, getpid and
 * tgkill, as the allowlist has it. */
static _Noreturn void die_by(int sig)
{
	sigset_t set;

	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	_exit(128 + sig); /* a signal whose default is to be ignored */
}

/* The limit that leaves n descriptors free: the n-th free number, plus 1
 * (the kernel gives the lowest free number; holes below count). */
static rlim_t nofile_for(rlim_t n)
{
	rlim_t fd = 0;

	for (rlim_t free_seen = 0;; fd++)
		if (fcntl((int)fd, F_GETFD) < 0 && errno == EBADF && ++free_seen == n)
			return fd + 1;
}

void sbx_confine_supervisor(struct sbx_policy *p)
{
	bool outside;

	sbx_no_new_privs();
	sbx_drop_caps();
	p->nofile = nofile_for(p->nofile > SUPERVISOR_FDS ? p->nofile : SUPERVISOR_FDS);
	sbx_rlimits(p);
	sbx_landlock(p);
	for (unsigned i = 0; i < p->npaths; i++) {
		if (p->path[i].fd >= 0 && close(p->path[i].fd) != 0)
			nh_die_errno(NH_EXIT_USAGE, "sandbox: supervisor: close(%s)", p->path[i].host);
		p->path[i].fd = -1;
	}
	if (nh_host.opts.no_sandbox && sbx_seccomp_probe(&outside) == ENOSYS && !outside)
		return; /* qemu-user, unconfined: nothing to guard against */
	sbx_seccomp(p); /* last: from here on only the allowlist, EPERM for the rest */
}

/* The image's standard input and output are the child's alone: a program
 * that closes its standard output to tell its parent it is ready (os/exec's
 * tests do) must be seen to close it. Standard error stays for the
 * supervisor's own one-line reports. */
static void release_stdio(const char *why)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (null < 0)
		nh_die_errno(NH_EXIT_USAGE, "%s: open /dev/null", why);
	for (int fd = 0; fd < 2; fd++)
		if (fd != null && dup2(null, fd) != fd)
			nh_die_errno(NH_EXIT_USAGE, "%s: /dev/null as descriptor %d", why, fd);
	if (null > 1 && close(null) != 0)
		nh_die_errno(NH_EXIT_USAGE, "%s: close /dev/null", why);
}

static _Noreturn void wait_child(const char *why, const sigset_t *old,
                                 const struct sbx_exit *at_exit)
{
	struct sbx_policy p;
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
	/* Forwarding is in place: a signal from here on reaches the child. */
	release_stdio(why);
	sbx_supervisor_policy_init(&p, child);
	if (at_exit != NULL && at_exit->policy != NULL)
		at_exit->policy(&p, at_exit->arg);
	sbx_confine_supervisor(&p);
	while (waitpid(child, &st, 0) != child)
		if (errno != EINTR)
			nh_die_errno(NH_EXIT_USAGE, "%s: waitpid(%d)", why, (int)child);
	if (at_exit != NULL && at_exit->ended != NULL && got_signal == 0)
		at_exit->ended(st, at_exit->arg);
	if (at_exit != NULL)
		at_exit->run(at_exit->arg);
	if (got_signal != 0)
		die_by(got_signal);
	if (WIFSIGNALED(st))
		die_by(WTERMSIG(st));
	_exit(WEXITSTATUS(st));
}

void sbx_supervise(const char *why, const struct sbx_exit *at_exit)
{
	sigset_t block, old;
	pid_t pid, parent = getpid();

	sigemptyset(&block);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaddset(&block, forwarded[i]);
	sigprocmask(SIG_BLOCK, &block, &old);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		int e = errno;

		if (at_exit != NULL)
			at_exit->run(at_exit->arg);
		errno = e;
		nh_die_errno(NH_EXIT_USAGE, "%s: fork", why);
	}
	if (pid > 0) {
		child = pid;
		wait_child(why, &old, at_exit);
	}
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0)
		nh_die_errno(NH_EXIT_USAGE, "%s: PR_SET_PDEATHSIG", why);
	/* The parent died before the line above: nobody waits for this one.
	 * (As PID 1 of a new namespace the parent, outside it, reads as 0.) */
	if (getppid() != parent && getppid() != 0)
		_exit(NH_EXIT_USAGE);
	sigprocmask(SIG_SETMASK, &old, NULL);
}
