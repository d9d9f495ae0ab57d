/*
 * sbx_supervise.c - the one process boundary: fork once, wait, pass the
 * child's end through, and the signals the image catches.
 *
 * Contract: sbx_supervise() maps one page shared with the child (struct
 * sbx_sigshare, a memfd: sbx_share.c; the image's action for each signal,
 * as this process inherited them until the child says otherwise, and the
 * signal the image ended by) and forks. The child returns the page and
 * its descriptor (it dies with its parent: PR_SET_PDEATHSIG(SIGKILL)) and
 * goes on with the set-up and the image; host/signal.c writes the page. The parent never returns: it
 * installs its signal handling, runs at_exit->meanwhile when given (the
 * fs-shim: sweep), confines itself (sbx_confine_supervisor:
 * no_new_privs, no capability, rlimits, Landlock with at_exit's rules
 * only, a seccomp allowlist whose default is EPERM; README.md, "The
 * supervisor"), waits for the child, then tells at_exit->ended how it
 * ended (when given, and the end was not one it caused by killing the
 * child), runs at_exit->run when given (fs-shim: remove the private
 * TMPDIR), and leaves exactly as the child did: the same exit status (the
 * guest's own, 125, 126, 139, 159), or killed by the same signal (core
 * dumps off, so a guest crash writes nothing), or by the signal the image
 * ended by (the page's died_by, when the child exited 128 + it: as PID 1
 * of a namespace the child cannot die of a signal it sends itself).
 * It handles every signal but SIGKILL, SIGSTOP, SIGCHLD (its own child's
 * end, waitpid's business, never passed on), SIGTSTP, SIGTTIN, SIGTTOU (a
 * stop stops the supervisor as before; a terminal's reaches the child
 * itself) and libc's 32 and 33, and does what sbx_forward() says:
 *   - SEGV, BUS, ILL, FPE, TRAP, SYS of its own (si_code > 0): the default
 *     action, so the instruction runs again and kills it;
 *   - a signal the image cannot have (those six sent by another process,
 *     SIGVTALRM, the host's tick): as any signal whose default ends it;
 *   - the image ignores it (the page says IGNORE): nothing;
 *   - the image catches it (CATCH): kill(child, sig), the child's handler
 *     takes it, and the supervisor waits on; unless it is the terminal's
 *     SIGINT, SIGQUIT or SIGWINCH (si_code SI_KERNEL): those go to the whole
 *     foreground process group, the child included, which got its own
 *     (passing it on would make two);
 *   - DEFAULT (any other byte: the guest can scribble on the page, which
 *     lies in the image host's address space): nothing for SIGCHLD,
 *     SIGCONT, SIGURG, SIGWINCH (Linux's default ignores them) and SIGPIPE
 *     (the image's own default ignores a SIGPIPE sent to it: only a write
 *     of its own without a reader ends it); any other is passed on as
 *     SIGKILL (the child may be PID 1 of a namespace, which ignores every
 *     signal it has no handler for, even one it sends itself); then the
 *     parent runs at_exit and re-raises the signal it got: the caller sees
 *     the signal it sent (143 for SIGTERM, 139 for a SIGSEGV sent with
 *     kill).
 * A signal sent to a whole process group (kill -INT -PGID) reaches the
 * child twice when it catches it: from the sender and passed on (the
 * supervisor cannot tell it from one sent to it alone). A foreign image's
 * child execs qemu: the page's descriptor crosses the exec and the foreign
 * host maps it again (--signal-fd, host/foreign.c), so a signal it catches
 * is passed on to the emulator as to a native image host. Under --isolate
 * that child is PID 1 and forks the emulator's process once more
 * (sbx_supervise_with: the same page, a second supervisor that passes the
 * signal on again): PID 1 takes a signal from outside only with a handler.
 * The parent closes its descriptor of the page: the mapping is all it
 * reads.
 * Used by --isolate (a new PID namespace applies to children only) and by
 * the private TMPDIR (after the sandbox, Landlock forbids the image's own
 * process to remove it): one fork serves both. A SIGKILL of the parent
 * itself ends the child too, and leaves the TMPDIR behind: the next run's
 * parent removes it, in at_exit->meanwhile, before it confines itself.
 * The handler's state (the child's pid, the page, the signal got) is
 * file-static: a signal handler has no other way to reach it.
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

static volatile sig_atomic_t got_signal;
static volatile pid_t child;
static struct sbx_sigshare *share;

bool sbx_supervisor_handles(int sig)
{
	switch (sig) {
	case SIGKILL: case SIGSTOP:
	case SIGCHLD:
	case SIGTSTP: case SIGTTIN: case SIGTTOU:
		return false;
	default:
		return sig >= 1 && sig <= NH_SIGNAL_MAX && !sbx_libc_signal(sig);
	}
}

/* A signal the terminal sends to its whole foreground process group (its
 * keys, its resize), the child included: sent by the kernel (SI_KERNEL),
 * the child got its own. A hang-up's SIGHUP may go to the session's leader
 * alone, which the supervisor can be: it is passed on. */
static bool terminal_group(int sig)
{
	return sig == SIGINT || sig == SIGQUIT || sig == SIGWINCH;
}

enum sbx_forward sbx_forward(const struct sbx_sigshare *s, int sig, int si_code)
{
	uint8_t action;

	if (si_code > 0 && (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE ||
	                    sig == SIGTRAP || sig == SIGSYS))
		return SBX_FWD_OWN_FAULT;
	if (!signal_is_guest(sig))
		return SBX_FWD_KILL;
	action = s != NULL ? __atomic_load_n(&s->action[sig], __ATOMIC_SEQ_CST) : NH_SIG_DEFAULT;
	if (action == NH_SIG_IGNORE)
		return SBX_FWD_NONE;
	if (action == NH_SIG_CATCH || action == NH_SIG_CATCH_NOWAIT)
		return si_code == SI_KERNEL && terminal_group(sig) ? SBX_FWD_NONE : SBX_FWD_PASS;
	if (signal_default_ignored(sig) || sig == SIGPIPE)
		return SBX_FWD_NONE;
	return SBX_FWD_KILL;
}

int sbx_died_by(const struct sbx_sigshare *s, int status)
{
	int sig = s != NULL ? __atomic_load_n(&s->died_by, __ATOMIC_SEQ_CST) : 0;

	if (sig < 1 || sig > NH_SIGNAL_MAX || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 128 + sig)
		return 0;
	return sig;
}

static void on_forwarded(int sig, siginfo_t *si, void *uc)
{
	int saved = errno;

	(void)uc;
	switch (sbx_forward(share, sig, si->si_code)) {
	case SBX_FWD_OWN_FAULT:
		signal(sig, SIG_DFL); /* the instruction runs again and kills us */
		break;
	case SBX_FWD_PASS:
		kill(child, sig); /* the image's handler takes it; we wait on */
		break;
	case SBX_FWD_KILL:
		got_signal = sig;
		kill(child, SIGKILL);
		break;
	case SBX_FWD_NONE:
		break;
	}
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
	nh_raise(sig);
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
	int st, died_by;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_forwarded;
	sa.sa_flags = SA_SIGINFO;
	sigfillset(&sa.sa_mask);
	for (int sig = 1; sig <= NH_SIGNAL_MAX; sig++)
		if (sbx_supervisor_handles(sig) && sigaction(sig, &sa, NULL) != 0)
			nh_die_errno(NH_EXIT_USAGE, "%s: sigaction(%d)", why, sig);
	sigprocmask(SIG_SETMASK, old, NULL);
	/* Forwarding is in place: a signal from here on reaches the child. */
	release_stdio(why);
	if (at_exit != NULL && at_exit->meanwhile != NULL)
		at_exit->meanwhile(at_exit->arg);
	sbx_supervisor_policy_init(&p, child);
	if (at_exit != NULL && at_exit->policy != NULL)
		at_exit->policy(&p, at_exit->arg);
	sbx_confine_supervisor(&p);
	while (waitpid(child, &st, 0) != child)
		if (errno != EINTR)
			nh_die_errno(NH_EXIT_USAGE, "%s: waitpid(%d)", why, (int)child);
	if (got_signal == 0 && (died_by = sbx_died_by(share, st)) != 0)
		st = died_by; /* the wait status of a death by it */
	if (at_exit != NULL && at_exit->ended != NULL && got_signal == 0)
		at_exit->ended(st, at_exit->arg);
	if (at_exit != NULL && at_exit->run != NULL)
		at_exit->run(at_exit->arg);
	if (got_signal != 0)
		die_by(got_signal);
	if (WIFSIGNALED(st))
		die_by(WTERMSIG(st));
	_exit(WEXITSTATUS(st));
}

void sbx_supervise_with(const char *why, const struct sbx_exit *at_exit,
                        const struct sbx_share *sh)
{
	sigset_t block, old;
	pid_t pid, parent = getpid();

	sigemptyset(&block);
	for (int sig = 1; sig <= NH_SIGNAL_MAX; sig++)
		if (sbx_supervisor_handles(sig))
			sigaddset(&block, sig);
	sigprocmask(SIG_BLOCK, &block, &old);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		sbx_give_up(why, "fork", at_exit);
	if (pid > 0) {
		if (sh->fd >= 0 && close(sh->fd) != 0) /* the child dies with us */
			nh_die_errno(NH_EXIT_USAGE, "%s: close the signal page's descriptor", why);
		child = pid;
		share = sh->page;
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

struct sbx_share sbx_supervise(const char *why, const struct sbx_exit *at_exit)
{
	struct sbx_share sh = sbx_share_make(why, at_exit);

	sbx_supervise_with(why, at_exit, &sh);
	return sh;
}
