/*
 * launcher.c - the launcher: the process that starts the image's children
 * and makes its UNIX sockets (launcher_sock.c) (launcher.h has the
 * protocol, sandbox/README.md "Processes" the design).
 *
 * Contract: launcher_start(h), called by main.c after the network set-up
 * (under --net private the host is in its private namespace already) and
 * before guest RAM is mapped (nothing of the guest is in the process yet;
 * the fs-shim's grant descriptors are open):
 *   - with --max-procs 0 does nothing: h->proc.ready stays false, ctl -1;
 *   - launcher_start_late(h), called instead after fsshim_root when the
 *     image cannot ask for a process (proc_image_asks: its symbol table
 *     lacks NH_PROC_START_SYMBOL, nonehost_abi.h "Processes"), does the
 *     same when the image has a root of its own (there the host makes its
 *     UNIX sockets itself; one --trace line says so), and launcher_start()
 *     where it has none (the launcher makes them), in the root as it was
 *     and whatever namespaces the attempt made (a user namespace, where
 *     the launcher drops its capabilities as anywhere);
 *   - else, in the host, learns everything the launcher will ever need
 *     (struct launch_ctx): this binary (/proc/self/exe; when it was
 *     replaced since it started, the one at its path now), the image's
 *     realpath (h->self, elf_self_path), each --allow-exec program (it must
 *     exist, be a regular file and be executable by us: else one line
 *     "nonehost: --allow-exec PATH: why" and exit 125), the option words a
 *     child image inherits (launch_words) (the other machines' emulators
 *     and foreign hosts the launcher looks for itself, at its first
 *     request: most runs start nothing); makes the control socket
 *     (SOCK_SEQPACKET, close-on-exec; the host end's send buffer raised so
 *     a request of LAUNCH_MAX_MSG fits when the system lets it) and forks.
 *     The host keeps its end (h->proc.ctl), the launcher's pid, and sets
 *     h->proc.ready. Every failure here is one line and 125.
 *   - with --lifeline-fd (a child image's nonehost) the descriptor must be
 *     the read end of a pipe (else one line and 125); it is made
 *     close-on-exec and only the launcher keeps it (--max-procs 0: closed);
 *   - the launcher (the child) never returns into main. The run's first
 *     launcher (no lifeline given) dies with the host (PR_SET_PDEATHSIG
 *     SIGKILL, then getppid() checked against the host's pid for the
 *     race); it resets its signals, closes every descriptor but the
 *     control socket, 2, the lifeline and the grants (0 and 1 become
 *     /dev/null), unmaps the host's io_uring ring, confines itself
 *     (launcher_confine.c) and serves until the control socket ends (EOF
 *     or an error: the host is gone). Then the run's first launcher
 *     SIGKILLs every child not yet reaped, reaps them all and _exits 0: a
 *     run's processes end with it. A child image's launcher instead lets
 *     its children run on, as a Unix process's orphans do (os/exec's tests
 *     count on a grandchild holding a pipe after its parent exited), and
 *     _exits 0 once the last is reaped; it starts nothing more. What
 *     bounds them is the lifeline: a pipe the run's first launcher makes
 *     and holds the write end of, whose read end every child image gets
 *     (--lifeline-fd, above its other descriptors) and hands to its own
 *     launcher. The first launcher's end is gone only when it is, that is
 *     when the run ends: every launcher that sees the pipe hang up does as
 *     the first does (SIGKILL, reap, exit), and its children's launchers
 *     see it too. Errors are one line, "nonehost: launcher: what:
 *     strerror", on descriptor 2.
 * The run's first launcher is PID 1 of the run's PID namespace when the
 * system allows it (launcher_confine.c, layer 1b): then the kernel ends
 * whatever is left in it when the launcher exits, and every orphan of the
 * run, a granted host program's background job too, is reparented to it.
 * The serve loop polls the control socket, the lifeline it was given (a
 * child image's launcher: hung up, it shuts down), as PID 1 a signalfd for
 * SIGCHLD (the ended orphans are reaped), each child's pidfd and
 * each child's channel (the launcher's end), tables sized by max_procs and
 * allocated once before the first request:
 *   - a request: received with MSG_CMSG_CLOEXEC, checked by launch_parse
 *     (launcher_msg.c) as hostile input, then launcher.h's rules (-EAGAIN,
 *     what runs, the directory; a child image's argv and envp from
 *     launch_image_argv, launch_inherit (--inherit-fds when it gets more
 *     than 0-2) and launch_image_envp); every descriptor received
 *     is closed whatever the outcome; the reply is the pid and the
 *     channel's host end, or -errno alone. A UNIX socket request (its own
 *     magic) is checked by launch_sock_parse and served by launch_sock
 *     (launcher_sock.c): the reply is 0 and the socket, or -errno;
 *   - a channel readable: a struct launch_kill of exactly 4 bytes with
 *     1 <= sig <= 64 is kill(child, sig) (anything else is ignored; the
 *     child is unreaped, so its pid cannot have been reused); EOF is the
 *     host letting go: the launcher's end is closed, the child runs on
 *     until reaped, unseen;
 *   - a pidfd readable: the child is reaped (waitpid WNOHANG), its wait
 *     status sent as struct launch_exit (MSG_DONTWAIT|MSG_NOSIGNAL) when
 *     the channel is still held, then the channel and the pidfd closed and
 *     the slot freed. No zombie outlives a poll round.
 * A child: its own socketpair (the channel) and an error pipe, then fork;
 * in the child every signal back to its default and unblocked, the
 * launcher's RLIMIT_NOFILE soft limit as it found it, PR_SET_PDEATHSIG
 * SIGKILL, fchdir to the directory (if one came), descriptors 0..nfds-1 from fdmap
 * (sources first moved above nfds, so no dup2 clobbers one; NULL, and
 * CLOSED for 0-2, is /dev/null O_RDWR; CLOSED above 2 is closed; 0-2 are
 * /dev/null when nfds < 3), everything else close-on-exec, the request's
 * umask (the image's at the request), execve; a
 * failure writes errno to the error pipe and _exits 127. The launcher
 * reads the pipe: EOF is an exec, an errno is the reply (the child reaped).
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/close_range.h>
#include <linux/filter.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"

/* One child: a slot of the table; pid 0 when free. */
struct kid {
	pid_t pid;
	int pidfd;
	int chan; /* the launcher's end of the channel; -1 once the host let go */
};

/* The launcher's state, allocated once after it confined itself. */
struct serve {
	struct launch_ctx *c;
	pid_t self;
	struct rlimit nofile;      /* as the launcher found it (children get it back) */
	struct kid *kid;           /* max_procs slots */
	unsigned nlive;
	bool orphaned;             /* the host is gone, children run on (a child image's) */
	int lifeline;              /* the lifeline's read end, which child images get */
	int lifeline_hold;         /* the first launcher's write end, never written; -1 */
	char lifeline_word[32];    /* "--lifeline-fd=N", a child image's */
	int sigchld;               /* PID 1: a signalfd for SIGCHLD (orphans end); else -1 */
	struct pollfd *pfd;        /* the control socket, the lifeline given (a child image's
	                            * launcher), sigchld, then a pidfd and a channel per child */
	unsigned *who;             /* pfd[i] belongs to kid[who[i]] (i >= POLL_KIDS) */
	uint8_t *buf;              /* one request: LAUNCH_MAX_MSG bytes */
	char **argv, **envp;       /* NH_SPAWN_MAX_STRS + 1 each */
	char **words;              /* a child image's argv: LAUNCH_MAX_ARGV */
	char **wenv;               /* a child's envp: LAUNCH_MAX_ENVP */
	struct launch_flags flags; /* NONEHOST_FLAGS, split */
	char inherit[LAUNCH_INHERIT_BYTES]; /* a child image's --inherit-fds word */
	char parent[32];           /* "--parent-pid=<the image's>", every child image's */
	char host_dir[NH_PATH_MAX + 1]; /* a host program's synthetic directory, cleaned */
	int host_dirfd;            /* it opened (O_PATH), for the request at hand; -1 */
	int rights[LAUNCH_MAX_RIGHTS + 1];
	unsigned nrights;          /* LAUNCH_MAX_RIGHTS + 1: more came (closed) */
};

enum { POLL_CTL, POLL_LIFELINE, POLL_SIGCHLD, POLL_KIDS };

/* What a request runs. */
struct choice {
	bool image;                 /* a child image: nonehost runs path */
	const char *path;
	char buf[NH_PATH_MAX + 1];
};

/* ---- errors ------------------------------------------------------------ */

/* The launcher's own errors: one line on 2, exit 125. */
__attribute__((format(printf, 1, 2)))
_Noreturn void launcher_fail(const char *fmt, ...)
{
	char msg[NH_PATH_MAX + 256];
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	dprintf(STDERR_FILENO, "nonehost: launcher: %s: %s\n", msg, strerror(err ? err : EIO));
	_exit(NH_EXIT_USAGE);
}

/* ---- in the host: what the launcher will know -------------------------- */

static void find_self(struct nh_host *h, struct launch_ctx *c)
{
	static const char deleted[] = " (deleted)";
	ssize_t n = readlink("/proc/self/exe", c->nonehost, sizeof(c->nonehost));
	size_t len;

	if (n < 0)
		nh_die_errno(NH_EXIT_USAGE, "launcher: readlink /proc/self/exe");
	if ((size_t)n >= sizeof(c->nonehost) || c->nonehost[0] != '/')
		nh_die(NH_EXIT_USAGE, "launcher: /proc/self/exe: not an absolute path of at most %d "
		       "bytes", NH_PATH_MAX);
	c->nonehost[n] = '\0';
	len = (size_t)n;
	/* Replaced since it started (a rebuild): child images run the nonehost
	 * that is at its path now, as a new command would. */
	if (len >= sizeof(deleted) - 1 &&
	    strcmp(c->nonehost + len - (sizeof(deleted) - 1), deleted) == 0)
		c->nonehost[len - (sizeof(deleted) - 1)] = '\0';
	elf_self_path(h);
	c->self = h->self;
}

static void find_exec(const struct nh_host *h, struct launch_ctx *c)
{
	for (unsigned i = 0; i < h->opts.nallow_exec; i++) {
		const char *path = h->opts.allow_exec[i];
		struct stat st;

		if (stat(path, &st) != 0)
			nh_die_errno(NH_EXIT_USAGE, "--allow-exec %s", path);
		if (!S_ISREG(st.st_mode))
			nh_die(NH_EXIT_USAGE, "--allow-exec %s: not a regular file", path);
		if (access(path, X_OK) != 0)
			nh_die_errno(NH_EXIT_USAGE, "--allow-exec %s: not executable by this user", path);
		c->exec[c->nexec++] = (struct launch_exec){.path = path, .dev = st.st_dev,
		                                           .ino = st.st_ino};
	}
}

/* As large a send buffer as the system gives (a request may be
 * LAUNCH_MAX_MSG bytes); not being able to raise it is no error: the
 * host sees EMSGSIZE for a request that does not fit. */
static void raise_sndbuf(int fd)
{
	int want = (int)(LAUNCH_MAX_MSG + 65536);

	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &want, sizeof(want)) == 0)
		return;
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &want, sizeof(want)) != 0)
		nh_die_errno(NH_EXIT_USAGE, "launcher: setsockopt(SO_SNDBUF)");
}

/* --launcher-fd: the launcher runs already (a foreign host's, started by
 * the native nonehost before it execed qemu: launcher.h). Only its kind is
 * checked: whoever gave it started this process and could as well have
 * run the image unconfined. */
static void adopt(struct nh_host *h)
{
	int fd = h->opts.launcher_fd, type = 0, domain = 0;
	socklen_t len = sizeof(type), dlen = sizeof(domain);

	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 ||
	    getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &dlen) != 0)
		nh_die_errno(NH_EXIT_USAGE, "--launcher-fd %d: not a socket", fd);
	if (type != SOCK_SEQPACKET || domain != AF_UNIX)
		nh_die(NH_EXIT_USAGE, "--launcher-fd %d: not a UNIX SOCK_SEQPACKET socket (a "
		       "launcher's control socket)", fd);
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) != 0)
		nh_die_errno(NH_EXIT_USAGE, "--launcher-fd %d: set close-on-exec", fd);
	raise_sndbuf(fd);
	h->proc.ctl = fd;
	h->proc.pid = 0;
	h->proc.ready = true;
	if (h->opts.trace)
		dprintf(STDERR_FILENO, "[nh] launcher: the one on descriptor %d (--launcher-fd)\n", fd);
	elf_self_path(h);
}

/* --lifeline-fd: the read end of a pipe (the run's first launcher's),
 * close-on-exec from here on: this process's launcher alone keeps it. */
static int lifeline_of(const struct nh_host *h)
{
	int fd = h->opts.lifeline_fd, fl;
	struct stat st;

	if (fd <= 0)
		return -1;
	if (fstat(fd, &st) != 0)
		nh_die_errno(NH_EXIT_USAGE, "--lifeline-fd %d", fd);
	if (!S_ISFIFO(st.st_mode) || (fl = fcntl(fd, F_GETFL)) < 0 || (fl & O_ACCMODE) != O_RDONLY)
		nh_die(NH_EXIT_USAGE, "--lifeline-fd %d: not the read end of a pipe (a launcher's "
		       "lifeline)", fd);
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) != 0)
		nh_die_errno(NH_EXIT_USAGE, "--lifeline-fd %d: set close-on-exec", fd);
	return fd;
}

static _Noreturn void launcher_main(struct launch_ctx *c);

/* No launcher: nothing served, and the lifeline (its alone) closed. */
static void no_launcher(struct nh_host *h)
{
	int lifeline = lifeline_of(h);

	h->proc.ready = false;
	h->proc.ctl = -1;
	if (lifeline >= 0 && close(lifeline) != 0)
		nh_die_errno(NH_EXIT_USAGE, "--lifeline-fd %d: close", lifeline);
}

void launcher_start_late(struct nh_host *h)
{
	if (!h->fs.own_root)
		return launcher_start(h);
	no_launcher(h);
	if (h->opts.trace)
		dprintf(STDERR_FILENO, "[nh] launcher: none: the image cannot ask for a process (it "
		        "names no %s), and has a root of its own for its UNIX sockets\n",
		        NH_PROC_START_SYMBOL);
}

void launcher_start(struct nh_host *h)
{
	struct launch_ctx *c;
	int sv[2], lifeline;
	pid_t pid;

	if (h->opts.max_procs == 0)
		return no_launcher(h);
	lifeline = lifeline_of(h);
	h->proc.ready = false;
	h->proc.ctl = -1;
	if (h->opts.launcher_fd > 0)
		return adopt(h);
	if ((c = calloc(1, sizeof(*c))) == NULL)
		nh_die_errno(NH_EXIT_USAGE, "launcher: its context (%zu bytes)", sizeof(*c));
	c->h = h;
	c->lifeline = lifeline;
	c->t0_ns = nh_mono_ns();
	c->max_procs = h->opts.max_procs;
	c->trace = h->opts.trace;
	c->host = getpid();
	find_self(h, c);
	find_exec(h, c);
	if (launch_words(h, false, &c->words) != 0)
		nh_die(NH_EXIT_USAGE, "launcher: the options a child image inherits do not fit "
		       "(%zu bytes, %d words at most)", sizeof(c->words.arena), LAUNCH_MAX_WORDS);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
		nh_die_errno(NH_EXIT_USAGE, "launcher: socketpair");
	raise_sndbuf(sv[0]);
	fflush(NULL); /* nothing buffered is written twice */
	if ((pid = fork()) < 0)
		nh_die_errno(NH_EXIT_USAGE, "launcher: fork");
	if (pid == 0) {
		c->ctl = sv[1];
		launcher_main(c);
	}
	if (close(sv[1]) != 0)
		nh_die_errno(NH_EXIT_USAGE, "launcher: close its end of the control socket");
	if (lifeline >= 0 && close(lifeline) != 0)
		nh_die_errno(NH_EXIT_USAGE, "launcher: close the lifeline (the launcher has it)");
	h->proc.ctl = sv[0];
	h->proc.pid = pid;
	h->proc.ready = true;
	free(c);
}

/* ---- the launcher: start-up --------------------------------------------- */

static void reset_signals(void)
{
	struct sigaction dfl = {.sa_handler = SIG_DFL};
	sigset_t none;

	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &dfl, NULL); /* SIGKILL, SIGSTOP and libc's own refuse: fine */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static int cmp_int(const void *a, const void *b)
{
	return (*(const int *)a > *(const int *)b) - (*(const int *)a < *(const int *)b);
}

static bool kept(const int *keep, int nkeep, int fd)
{
	for (int i = 0; i < nkeep; i++)
		if (keep[i] == fd)
			return true;
	return false;
}

/* Close every descriptor but the control socket, 2, the lifeline and the
 * grants (for the Landlock rules); 0 and 1 on /dev/null. */
static void keep_fds(struct launch_ctx *c)
{
	int keep[FSSHIM_MAX_GRANTS + 4], nkeep = 0, lo = 0, null;

	keep[nkeep++] = c->ctl;
	keep[nkeep++] = STDERR_FILENO;
	if (c->lifeline >= 0)
		keep[nkeep++] = c->lifeline;
	for (unsigned i = 0; i < c->h->fs.ngrants; i++)
		if (c->h->fs.grant[i].fd >= 0)
			keep[nkeep++] = c->h->fs.grant[i].fd;
	qsort(keep, (size_t)nkeep, sizeof(keep[0]), cmp_int);
	for (int i = 0; i < nkeep; i++) {
		if (keep[i] > lo && nh_close_range((unsigned)lo, (unsigned)keep[i] - 1, 0) != 0)
			launcher_fail("close_range(%d, %d)", lo, keep[i] - 1);
		lo = keep[i] + 1;
	}
	if (nh_close_range((unsigned)lo, ~0U, 0) != 0)
		launcher_fail("close_range(%d, ~0)", lo);
	if ((null = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0)
		launcher_fail("open /dev/null");
	for (int fd = 0; fd < 2; fd++)
		if (!kept(keep, nkeep, fd) && fd != null && dup3(null, fd, O_CLOEXEC) != fd)
			launcher_fail("/dev/null as descriptor %d", fd);
	if (null > 1 && close(null) != 0)
		launcher_fail("close /dev/null");
}

static void *table(size_t n, size_t size, const char *what)
{
	void *p = calloc(n, size);

	if (p == NULL)
		launcher_fail("allocate %s (%zu x %zu bytes)", what, n, size);
	return p;
}

/* A descriptor for each child (its pidfd and its channel), a few more. */
static void raise_nofile(struct serve *s)
{
	rlim_t want = 2 * (rlim_t)s->c->max_procs + LAUNCH_MAX_RIGHTS + 16;
	struct rlimit r;

	if (getrlimit(RLIMIT_NOFILE, &s->nofile) != 0)
		launcher_fail("getrlimit(RLIMIT_NOFILE)");
	r = s->nofile;
	if (r.rlim_cur >= want)
		return;
	r.rlim_cur = r.rlim_max < want ? r.rlim_max : want; /* short of it: -EMFILE then */
	if (setrlimit(RLIMIT_NOFILE, &r) != 0)
		launcher_fail("setrlimit(RLIMIT_NOFILE, %llu)", (unsigned long long)r.rlim_cur);
}

static void serve_init(struct serve *s, struct launch_ctx *c)
{
	int life[2];

	*s = (struct serve){.c = c, .self = getpid(), .host_dirfd = -1, .lifeline = c->lifeline,
	                    .lifeline_hold = -1, .sigchld = -1};
	if (c->lifeline < 0) {
		if (pipe2(life, O_CLOEXEC) != 0)
			launcher_fail("pipe2 (the lifeline)");
		s->lifeline = life[0];
		s->lifeline_hold = life[1];
	}
	s->kid = table(c->max_procs, sizeof(*s->kid), "the child table");
	for (unsigned i = 0; i < c->max_procs; i++)
		s->kid[i] = (struct kid){.pid = 0, .pidfd = -1, .chan = -1};
	if (c->pid1) {
		sigset_t chld;

		/* Blocked here only: a child's every signal is unblocked. */
		sigemptyset(&chld);
		sigaddset(&chld, SIGCHLD);
		if (sigprocmask(SIG_BLOCK, &chld, NULL) != 0)
			launcher_fail("sigprocmask(SIG_BLOCK, SIGCHLD)");
		if ((s->sigchld = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC)) < 0)
			launcher_fail("signalfd(SIGCHLD)");
	}
	s->pfd = table(POLL_KIDS + 2 * (size_t)c->max_procs, sizeof(*s->pfd), "the poll table");
	s->who = table(POLL_KIDS + 2 * (size_t)c->max_procs, sizeof(*s->who), "the poll table");
	s->buf = table(1, LAUNCH_MAX_MSG, "the request buffer");
	s->argv = table(NH_SPAWN_MAX_STRS + 1, sizeof(char *), "argv");
	s->envp = table(NH_SPAWN_MAX_STRS + 1, sizeof(char *), "envp");
	s->words = table(LAUNCH_MAX_ARGV, sizeof(char *), "a child image's argv");
	s->wenv = table(LAUNCH_MAX_ENVP, sizeof(char *), "a child's envp");
	snprintf(s->parent, sizeof(s->parent), "--parent-pid=%d", (int)c->host);
	raise_nofile(s);
}

/* ---- the launcher: a child ---------------------------------------------- */

static _Noreturn void child_fail(int errfd)
{
	int e = errno;

	if (write(errfd, &e, sizeof(e)) < 0) {
		/* the launcher then sees EOF and a child that exited 127 */
	}
	_exit(127);
}

/* A pipe the host made is non-blocking (the image polls it), and
 * O_NONBLOCK belongs to the open file, which a dup would share: the child
 * gets its own blocking open of it, as a program expects of its standard
 * streams (through /proc/self/fd, O_NONBLOCK only while opening, so a
 * named FIFO without a peer cannot hang the child). Anything else, or a
 * reopen that fails, is passed as it came. */
static int blocking_copy(int fd, int floor)
{
	char path[64];
	struct stat st;
	int fl, r;

	if (fstat(fd, &st) != 0 || !S_ISFIFO(st.st_mode) || (fl = fcntl(fd, F_GETFL)) < 0 ||
	    !(fl & O_NONBLOCK))
		return fcntl(fd, F_DUPFD_CLOEXEC, floor);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if ((r = open(path, (fl & O_ACCMODE) | O_NONBLOCK | O_CLOEXEC)) < 0)
		return fcntl(fd, F_DUPFD_CLOEXEC, floor);
	if (fcntl(r, F_SETFL, fl & ~O_NONBLOCK & (O_APPEND | O_ASYNC | O_DIRECT | O_NOATIME)) != 0) {
		close(r);
		return fcntl(fd, F_DUPFD_CLOEXEC, floor);
	}
	if (r < floor) {
		int m = fcntl(r, F_DUPFD_CLOEXEC, floor);

		close(r);
		r = m;
	}
	return r;
}

/* Descriptors 0..nfds-1 as fdmap says, a child image's lifeline right
 * above them; everything above close-on-exec. */
static void install_fds(const struct serve *s, const struct launch_parsed *p, int *errfd,
                        bool image)
{
	const int at = launch_lifeline_fd(p->nfds), floor = at + 1; /* copies go above both */
	int moved[LAUNCH_MAX_RIGHTS], null = -1, life = -1;
	bool want_null = p->nfds < 3;

	if ((*errfd = fcntl(*errfd, F_DUPFD_CLOEXEC, floor)) < 0)
		_exit(127);
	if (image && (life = fcntl(s->lifeline, F_DUPFD_CLOEXEC, floor)) < 0)
		child_fail(*errfd);
	for (unsigned k = p->base; k < p->base + p->nchild; k++)
		if ((moved[k] = blocking_copy(s->rights[k], floor)) < 0)
			child_fail(*errfd);
	for (unsigned i = 0; i < p->nfds; i++)
		want_null |= p->fdmap[i] == LAUNCH_FD_NULL || (p->fdmap[i] == LAUNCH_FD_CLOSED && i < 3);
	if (want_null) {
		int t = open("/dev/null", O_RDWR | O_CLOEXEC);

		if (t < 0 || (null = fcntl(t, F_DUPFD_CLOEXEC, floor)) < 0 || close(t) != 0)
			child_fail(*errfd);
	}
	for (unsigned i = 0; i < p->nfds; i++) {
		int32_t k = p->fdmap[i];
		int src = k >= 0 ? moved[k] : (k == LAUNCH_FD_NULL || i < 3) ? null : -1;

		if (src < 0)
			close((int)i); /* CLOSED above 2: whatever the launcher had there goes */
		else if (dup2(src, (int)i) != (int)i)
			child_fail(*errfd);
	}
	for (int i = (int)p->nfds; i < 3; i++)
		if (dup2(null, i) != i)
			child_fail(*errfd);
	if (nh_close_range((unsigned)at, ~0U, CLOSE_RANGE_CLOEXEC) != 0)
		child_fail(*errfd);
	if (image && dup2(life, at) != at) /* dup2: not close-on-exec */
		child_fail(*errfd);
}

/* A granted host program may not make a UNIX socket (EACCES): Landlock
 * has no right for connecting to a pathname socket, and the network
 * namespace does not cover them, so without this one rule a program such
 * as a shell or the go tool could reach any socket its uid may (a
 * container runtime's, as root). socketpair stays: it names nothing.
 * Foreign system call ABIs (int $0x80's socketcall) kill the process. */
static void deny_unix_sockets(int errfd)
{
	static const struct sbx_rule unix_socket = {
		.nr = SCMP_SYS(socket), .action = SCMP_ACT_ERRNO(EACCES), .nargs = 1,
		.arg = {SCMP_A0(SCMP_CMP_EQ, AF_UNIX)}};
	struct sock_filter prog[16];
	int r = sbx_bpf_compile(&unix_socket, 1, SCMP_ACT_ALLOW, SCMP_ACT_KILL_PROCESS, prog,
	                        sizeof(prog) / sizeof(prog[0]));

	if (r > 0)
		r = sbx_bpf_load(prog, (size_t)r);
	if (r < 0) {
		errno = -r;
		child_fail(errfd);
	}
}

static _Noreturn void child_exec(const struct serve *s, const struct launch_parsed *p,
                                 const char *exe, char **argv, char **envp, int errfd,
                                 bool host_program)
{
	reset_signals();
	if (setrlimit(RLIMIT_NOFILE, &s->nofile) != 0 || prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
		child_fail(errfd);
	if (getppid() != s->self)
		_exit(127); /* the launcher is gone already */
	if (p->dir >= 0 && fchdir(s->rights[p->dir]) != 0)
		child_fail(errfd); /* (a child image's is its --cwd word) */
	if (p->dir < 0 && host_program && fchdir(s->host_dirfd) != 0)
		child_fail(errfd);
	install_fds(s, p, &errfd, !host_program);
	umask((mode_t)p->umask); /* the image's, as a fork would pass it on */
	if (host_program)
		deny_unix_sockets(errfd);
	execve(exe, argv, envp);
	child_fail(errfd);
}

static void reap_now(pid_t pid)
{
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

/* What the error pipe says: 0 when the child exec'd (EOF), else its errno. */
static int exec_result(int fd)
{
	ssize_t n;
	int e = 0;

	do
		n = read(fd, &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno;
	if (n == 0)
		return 0;
	return n == (ssize_t)sizeof(e) && e > 0 ? e : EIO;
}

/* Fork and exec one child: its pid (a slot filled, *chan_host the
 * channel's host end), or -errno (nothing left behind). */
static int spawn(struct serve *s, const struct launch_parsed *p, const char *exe, char **argv,
                 char **envp, bool host_program, int *chan_host)
{
	int ch[2], ep[2], e, pidfd = -1;
	unsigned slot = 0;
	pid_t pid = -1;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ch) != 0)
		return -errno;
	/* The host's end raises SIGCHLD when the exit arrives (O_ASYNC, the
	 * signal F_SETSIG's), once the host owns it (F_SETOWN, proc_start.c):
	 * the image's SIGCHLD. The flags belong to the open file, which the
	 * host receives; only the owner must be set there, by the process to
	 * be signalled (Landlock's signal scope looks at who set it). */
	if (fcntl(ch[1], F_SETSIG, SIGCHLD) != 0 || fcntl(ch[1], F_SETFL, O_ASYNC) != 0) {
		e = errno;
		close(ch[0]);
		close(ch[1]);
		return -e;
	}
	if (pipe2(ep, O_CLOEXEC) != 0) {
		e = errno;
	} else if ((pid = fork()) < 0) {
		e = errno;
		close(ep[0]);
		close(ep[1]);
	} else {
		if (pid == 0)
			child_exec(s, p, exe, argv, envp, ep[1], host_program);
		close(ep[1]);
		e = exec_result(ep[0]);
		close(ep[0]);
		if (e == 0 && (pidfd = (int)syscall(SYS_pidfd_open, pid, 0)) < 0) {
			e = errno;
			kill(pid, SIGKILL);
		}
		if (e != 0)
			reap_now(pid);
	}
	if (e != 0) {
		close(ch[0]);
		close(ch[1]);
		return -e;
	}
	while (s->kid[slot].pid != 0)
		slot++; /* nlive < max_procs: there is a free one */
	s->kid[slot] = (struct kid){.pid = pid, .pidfd = pidfd, .chan = ch[0]};
	s->nlive++;
	*chan_host = ch[1];
	return pid;
}

/* ---- the launcher: a request -------------------------------------------- */

/* The file's first bytes say GOOS=none image (ELF, EI_OSABI 255). */
static bool is_image(int fd)
{
	unsigned char id[EI_NIDENT];

	return pread(fd, id, sizeof(id), 0) == (ssize_t)sizeof(id) &&
	       memcmp(id, ELFMAG, SELFMAG) == 0 && id[EI_OSABI] == NH_ELFOSABI_STANDALONE;
}

/* The path of the image open at fd (st its fstat): absolute, there, the
 * same file; -EACCES otherwise. */
static int fd_path(int fd, const struct stat *st, char *buf)
{
	static const char deleted[] = " (deleted)";
	char link[64];
	struct stat now;
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, NH_PATH_MAX + 1);
	if (n <= 0 || n > NH_PATH_MAX)
		return -EACCES;
	buf[n] = '\0';
	if (buf[0] != '/' || ((size_t)n >= sizeof(deleted) - 1 &&
	                      strcmp(buf + n - (sizeof(deleted) - 1), deleted) == 0))
		return -EACCES;
	if (stat(buf, &now) != 0 || now.st_dev != st->st_dev || now.st_ino != st->st_ino)
		return -EACCES;
	return 0;
}

static int by_fd(struct serve *s, int fd, struct choice *ch)
{
	struct stat st;

	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		return -EACCES;
	if (is_image(fd)) {
		ch->image = true;
		ch->path = ch->buf;
		return fd_path(fd, &st, ch->buf);
	}
	for (unsigned i = 0; i < s->c->nexec; i++) {
		if (s->c->exec[i].dev == st.st_dev && s->c->exec[i].ino == st.st_ino) {
			ch->path = s->c->exec[i].path;
			return 0;
		}
	}
	return -EACCES;
}

static int by_path(struct serve *s, const char *path, struct choice *ch)
{
	int fd;

	for (unsigned i = 0; i < s->c->nexec; i++) {
		if (strcmp(s->c->exec[i].path, path) != 0)
			continue;
		ch->path = s->c->exec[i].path;
		if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) < 0)
			return errno == ENOENT || errno == ENOTDIR ? -errno : 0; /* exec tells */
		ch->image = is_image(fd);
		close(fd);
		return 0;
	}
	return -EACCES;
}

/* Everything after launch_parse: the pid, or -errno. */
static int start(struct serve *s, const struct launch_parsed *p, int *chan_host)
{
	struct choice ch = {.image = false};
	struct stat st;
	const char *exe;
	char **argv, **envp;
	int r;

	if (s->nlive >= s->c->max_procs)
		return -EAGAIN;
	switch (p->prog) {
	case LAUNCH_SELF:
		ch.image = true;
		ch.path = s->c->self;
		r = 0;
		break;
	case LAUNCH_BY_PATH:
		r = by_path(s, p->path, &ch);
		break;
	default:
		r = by_fd(s, s->rights[p->prog_fd], &ch);
		break;
	}
	if (r != 0)
		return r;
	if (p->dir >= 0 && (fstat(s->rights[p->dir], &st) != 0 || !S_ISDIR(st.st_mode)))
		return -ENOTDIR;
	if (p->dir < 0 && !ch.image && !launch_host_dir(s->c->h, p->cwd, s->host_dir))
		return -EACCES; /* no host directory for a host program to run in */
	launch_vectors(p, s->argv, s->envp);
	exe = ch.path;
	argv = s->argv;
	envp = s->envp;
	if (ch.image) {
		/* one place kept for launch_inherit's word */
		char *own[LAUNCH_OWN_WORDS] = {"--cwd", (char *)(uintptr_t)p->cwd, s->parent,
		                               s->lifeline_word};

		snprintf(s->lifeline_word, sizeof(s->lifeline_word), "--lifeline-fd=%d",
		         launch_lifeline_fd(p->nfds));
		r = launch_image_argv(&s->c->words, s->c->nonehost, ch.path, own, LAUNCH_OWN_WORDS,
		                      s->argv, p->argc, s->envp, p->envc, &s->flags, s->words,
		                      LAUNCH_MAX_ARGV - 1);
		if (r >= 0)
			r = launch_inherit(s->words, r, LAUNCH_MAX_ARGV, p->nfds, s->inherit);
		if (r < 0 || (r = launch_image_envp(&s->c->words, s->envp, p->envc, s->wenv,
		                                     LAUNCH_MAX_ENVP)) < 0)
			return r;
		exe = s->c->nonehost;
		argv = s->words;
		envp = s->wenv;
	} else {
		if ((r = launch_program_envp(&s->c->words, s->envp, p->envc, s->wenv,
		                             LAUNCH_MAX_ENVP)) < 0)
			return r;
		envp = s->wenv;
	}
	if (p->dir < 0 && !ch.image &&
	    (s->host_dirfd = open(s->host_dir, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -EACCES;
	r = spawn(s, p, exe, argv, envp, !ch.image, chan_host);
	if (s->host_dirfd >= 0) {
		close(s->host_dirfd);
		s->host_dirfd = -1;
	}
	return r;
}

/* The descriptors of every SCM_RIGHTS message into s->rights; more than
 * fit (cannot be: MSG_CTRUNC first) count as one too many. */
static void take_rights(struct serve *s, struct msghdr *msg)
{
	s->nrights = launch_rights_take(msg, s->rights, LAUNCH_MAX_RIGHTS);
	if (s->nrights > LAUNCH_MAX_RIGHTS)
		s->nrights = LAUNCH_MAX_RIGHTS + 1;
}

static void drop_rights(struct serve *s)
{
	for (unsigned i = 0; i < s->nrights && i < LAUNCH_MAX_RIGHTS; i++)
		close(s->rights[i]);
	s->nrights = 0;
}

/* The reply: result, and with it the descriptor chan_host (a child's
 * channel, or a UNIX socket) when >= 0, closed here once sent. */
static void reply(struct serve *s, int64_t result, int chan_host)
{
	struct launch_reply r = {.result = result};
	struct iovec iov = {.iov_base = &r, .iov_len = sizeof(r)};
	union {
		char b[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} cb;
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};

	launch_rights_put(&msg, cb.b, &chan_host, chan_host >= 0 ? 1 : 0);
	/* Not sent at once: the host is gone or does not read; the channel's
	 * host end goes with it (the child then counts as let go). */
	(void)sendmsg(s->c->ctl, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (chan_host >= 0)
		close(chan_host);
}

/* One request; false when the control socket has ended. */
static bool request(struct serve *s)
{
	union {
		char b[CMSG_SPACE(sizeof(int) * LAUNCH_MAX_RIGHTS)];
		struct cmsghdr align;
	} cb;
	struct iovec iov = {.iov_base = s->buf, .iov_len = LAUNCH_MAX_MSG};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cb.b,
	                     .msg_controllen = sizeof(cb.b)};
	struct launch_sock_parsed sp;
	struct launch_parsed p;
	int out = -1;
	ssize_t n;
	int r;

	n = recvmsg(s->c->ctl, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	if (n < 0)
		return errno == EINTR || errno == EAGAIN;
	take_rights(s, &msg);
	if (n == 0) {
		drop_rights(s);
		return false;
	}
	if (launch_is_sock(s->buf, (size_t)n)) {
		r = launch_sock_parse(s->buf, (size_t)n, msg.msg_flags, s->nrights, &sp);
		if (r == 0)
			r = launch_sock(s->c, &sp, s->rights[0], &out);
	} else {
		r = launch_parse(s->buf, (size_t)n, msg.msg_flags, s->nrights, &p);
		if (r == 0)
			r = start(s, &p, &out);
	}
	drop_rights(s);
	reply(s, r, out);
	return true;
}

/* ---- the launcher: children's events ------------------------------------ */

static void reap(struct serve *s, unsigned i)
{
	struct kid *k = &s->kid[i];
	int status = 0;
	pid_t r = waitpid(k->pid, &status, WNOHANG);

	if (r == 0 || (r < 0 && errno == EINTR))
		return; /* not ended after all */
	if (r < 0) /* cannot be: the launcher is its only reaper. The host sees EOF alone. */
		dprintf(STDERR_FILENO, "nonehost: launcher: waitpid(%d): %s\n", (int)k->pid,
		        strerror(errno));
	if (k->chan >= 0) {
		struct launch_exit e = {.status = status};

		if (r > 0)
			(void)send(k->chan, &e, sizeof(e), MSG_DONTWAIT | MSG_NOSIGNAL);
		close(k->chan);
	}
	close(k->pidfd);
	*k = (struct kid){.pid = 0, .pidfd = -1, .chan = -1};
	s->nlive--;
}

/* PID 1 of the run's namespace: every orphan of the run is reparented to
 * it. Reap whatever has ended: a child of ours through reap() (its status
 * goes to its channel), any other silently. */
static void reap_orphans(struct serve *s)
{
	struct signalfd_siginfo si[8];

	while (read(s->sigchld, si, sizeof(si)) > 0)
		; /* drained: one SIGCHLD may stand for many */
	for (;;) {
		siginfo_t w = {0};
		unsigned i;

		if (waitid(P_ALL, 0, &w, WEXITED | WNOHANG | WNOWAIT | __WALL) != 0 || w.si_pid == 0)
			return;
		for (i = 0; i < s->c->max_procs && s->kid[i].pid != w.si_pid; i++)
			;
		if (i < s->c->max_procs)
			reap(s, i);
		else
			reap_now(w.si_pid);
	}
}

static void channel(struct serve *s, unsigned i)
{
	struct kid *k = &s->kid[i];
	struct launch_kill m;
	char b[sizeof(m) + 4];
	ssize_t n = recv(k->chan, b, sizeof(b), MSG_DONTWAIT | MSG_TRUNC);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) { /* EOF (or the socket broke): the host let go */
		close(k->chan);
		k->chan = -1;
		return;
	}
	if (n != (ssize_t)sizeof(m))
		return;
	memcpy(&m, b, sizeof(m));
	if (m.sig >= 1 && m.sig <= 64)
		kill(k->pid, m.sig); /* unreaped: the pid is still this child's */
}

/* The run is over (the first launcher's host is gone, or the lifeline
 * hung up): every child ends with it. */
static _Noreturn void shut_down(struct serve *s)
{
	for (unsigned i = 0; i < s->c->max_procs; i++)
		if (s->kid[i].pid != 0)
			kill(s->kid[i].pid, SIGKILL);
	for (unsigned i = 0; i < s->c->max_procs; i++)
		if (s->kid[i].pid != 0)
			reap_now(s->kid[i].pid);
	_exit(0);
}

/* The host is gone: the run's first launcher ends the run's processes; a
 * child image's lets its children run on, and ends with the last. */
static void host_gone(struct serve *s)
{
	if (s->c->lifeline < 0)
		shut_down(s);
	if (s->nlive == 0)
		_exit(0);
	close(s->c->ctl);
	s->orphaned = true;
}

static _Noreturn void serve(struct serve *s)
{
	for (;;) {
		nfds_t n = 0;

		/* negative descriptors are left out by poll */
		s->pfd[n++] = (struct pollfd){.fd = s->orphaned ? -1 : s->c->ctl, .events = POLLIN};
		s->pfd[n++] = (struct pollfd){.fd = s->c->lifeline, .events = POLLIN};
		s->pfd[n++] = (struct pollfd){.fd = s->sigchld, .events = POLLIN};
		for (unsigned i = 0; i < s->c->max_procs; i++) {
			if (s->kid[i].pid == 0)
				continue;
			s->who[n] = i;
			s->pfd[n++] = (struct pollfd){.fd = s->kid[i].pidfd, .events = POLLIN};
			if (s->kid[i].chan < 0)
				continue;
			s->who[n] = i;
			s->pfd[n++] = (struct pollfd){.fd = s->kid[i].chan, .events = POLLIN};
		}
		if (poll(s->pfd, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			launcher_fail("poll");
		}
		if (s->pfd[POLL_LIFELINE].revents != 0)
			shut_down(s); /* no byte is ever written: the run is over */
		for (nfds_t j = POLL_KIDS; j < n; j++) {
			struct kid *k = &s->kid[s->who[j]];

			if (s->pfd[j].revents == 0 || k->pid == 0)
				continue; /* nothing, or reaped in this round */
			if (s->pfd[j].fd == k->pidfd)
				reap(s, s->who[j]);
			else if (s->pfd[j].fd == k->chan)
				channel(s, s->who[j]);
		}
		if (s->pfd[POLL_SIGCHLD].revents != 0)
			reap_orphans(s);
		if (s->pfd[POLL_CTL].revents != 0 && !request(s))
			host_gone(s);
		if (s->orphaned && s->nlive == 0)
			_exit(0);
	}
}

/* Confinement waits for the first request: most images start no process,
 * and a network namespace alone costs ~0.5 ms of this machine's CPU at
 * every start, next to the host's own set-up. Until then the launcher
 * only waits; the image cannot reach it but through the control socket
 * (its seccomp filter forbids ptrace and kill, its Landlock domain
 * signals), and nothing it sends is read before the confinement. The host
 * gone first (the end of the control socket): nothing to do. */
static void first_request(const struct launch_ctx *c)
{
	struct pollfd pfd = {.fd = c->ctl, .events = POLLIN};
	char b;

	while (poll(&pfd, 1, -1) < 0)
		if (errno != EINTR)
			launcher_fail("poll");
	if (recv(c->ctl, &b, 1, MSG_PEEK | MSG_DONTWAIT) == 0)
		_exit(0);
}

static _Noreturn void launcher_main(struct launch_ctx *c)
{
	static struct serve s;

	/* A child image's launcher outlives its host while it has children:
	 * the end of the control socket and the lifeline end it. */
	if (c->lifeline < 0 && prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
		launcher_fail("prctl(PR_SET_PDEATHSIG)");
	if (c->lifeline < 0 && getppid() != c->host)
		_exit(0); /* the host died before the line above */
	reset_signals();
	if (c->h->net.ready && c->h->net.backend == NSS_URING && c->h->net.fd >= 0)
		nss_uring_close(&c->h->net); /* the host's ring: not shared with the launcher */
	keep_fds(c);
	first_request(c);
	/* A child image of another machine runs through its emulator and
	 * foreign host: the launcher's Landlock domain lets them run. Looked
	 * for here, not in the host: ~0.2 ms of stat calls most runs never
	 * need. */
	c->nrunners = foreign_runners(c->runner, LAUNCH_MAX_RUNNERS);
	launcher_confine(c);
	serve_init(&s, c);
	if (c->trace)
		dprintf(STDERR_FILENO, "[nh] launcher: pid %d, max-procs %u, %u exec grant%s, %s "
		        "(%lld us)\n", (int)s.self, c->max_procs, c->nexec, c->nexec == 1 ? "" : "s",
		        c->layers, (long long)((nh_mono_ns() - c->t0_ns) / 1000));
	serve(&s);
}
