/*
 * launcher_confine.c - the launcher's own confinement, before it serves.
 *
 * Contract: launcher_confine() runs in the launcher (launcher.c), after it
 * closed every descriptor it does not need, and applies in this order
 * (sandbox/README.md, "Processes", has the table and the threat model):
 *   1. the network, by the parent's mode: none (or the default) -> a new
 *      empty network namespace (sbx_unshare_net: inside a new user
 *      namespace when not root), unless the launcher already is in one
 *      whose only interface is lo, down (a child image's launcher, in its
 *      parent's launcher's namespace: there, within its parent's Landlock
 *      domain, /proc/self/uid_map cannot be written, and a new namespace
 *      would add nothing); private -> nothing: the host made the private
 *      namespace before the fork, the launcher is in it; host -> the
 *      parent's Landlock TCP port rules (layer 4, from nss_policy()).
 *   1b. the run's first launcher only (no lifeline): a new PID namespace
 *      (sbx_unshare_pid: in a new user namespace when the kernel refuses it
 *      otherwise), and the launcher forks once more: the child, PID 1 of
 *      the namespace, goes on as the launcher (c->pid1); the parent only
 *      waits for it and exits (it stays the host's child, so the host
 *      never has an unreaped one, and PID 1 dies with it: PDEATHSIG). Every
 *      process of the run is then in the namespace: the launcher's
 *      children, what a granted host program starts, a child image's own
 *      launcher and its children. Orphans are reparented to the launcher,
 *      which reaps them (launcher.c), and when it exits the kernel kills
 *      everything left in the namespace, whoever started it. A system that
 *      refuses the namespace (or a launcher inside another's Landlock
 *      domain, where no user namespace can be mapped: a run started by a
 *      granted program, as go_none_amd64_exec is by the go tool) leaves
 *      that to the lifeline and each child's PDEATHSIG (said under --trace:
 *      "pid: none (why)"). A child image's launcher is in its run's
 *      namespace already. PID 1 then bounds the run: the namespace's
 *      pid_max (Linux >= 6.14 keeps one per namespace; before, the file is
 *      the system's and is left alone) is LAUNCH_RUN_PIDS(--max-procs), so
 *      neither child images, each of which may start --max-procs of its
 *      own, nor what a granted program forks can multiply without end.
 *   2. not dumpable (PR_SET_DUMPABLE 0: its children, in the same Landlock
 *      domain and under the same uid, cannot ptrace it or open its
 *      /proc/PID/mem), no_new_privs, every capability dropped (bounding
 *      set too when it can: as root a child's execve then gains none),
 *      RLIMIT_CORE 0.
 *   3. Landlock, if the kernel has it: one domain, what the launcher's
 *      children may touch (they inherit it across execve, and nothing
 *      they do can widen it): each fs-shim grant (read-only:
 *      READ_FILE|READ_DIR|EXECUTE; read-write: every handled right but
 *      MAKE_CHAR, MAKE_BLOCK, IOCTL_DEV, so MAKE_SOCK there and nowhere
 *      else: a UNIX BIND, launcher_sock.c), READ_FILE|READ_DIR|EXECUTE on the
 *      system library directories that exist (/lib, /lib64, /usr/lib,
 *      /usr/lib64, /usr/libexec), READ_FILE on /etc/ld.so.cache,
 *      READ_FILE|WRITE_FILE|TRUNCATE on /dev/null (TRUNCATE: a shell's
 *      "> /dev/null" opens it O_TRUNC), READ_FILE|EXECUTE on the nonehost
 *      binary, on each --allow-exec program and on the other machines'
 *      emulators and foreign hosts found (a child image of another
 *      machine runs through them, confined by its own nonehost; to a
 *      granted program they are one more interpreter, in the same domain),
 *      READ_FILE on the image;
 *      TCP as in 1; the abstract-UNIX-socket and signal scopes (ABI >= 6:
 *      its children are inside its domain, so it can still signal them;
 *      nothing in it can signal the host or anything else outside).
 * No seccomp filter: the launcher's children (nonehost itself, granted
 * host programs) need system calls no list can foresee, and a filter
 * would pass across execve to them. Each step is checked: one line
 * ("nonehost: launcher: ...", or the sandbox layer's own) and exit 125;
 * the host then sees the control socket end and its PROC_START fails with
 * -EIO. c->layers says what was applied, for the --trace line, and
 * c->landlock the ABI. The read-write grants' descriptors stay open after
 * Landlock (a UNIX CONNECT's check, launcher_sock.c); the others are
 * closed. launch_net_mode() is the parent's mode: its run's (h->net), or
 * its options' when the network was never set up (none by default).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"

/* Landlock's file system rights (sbx_landlock.c masks them by the ABI). */
#define LL_TRUNCATE  (UINT64_C(1) << 14) /* ABI 3 */
#define LL_IOCTL_DEV (UINT64_C(1) << 15) /* ABI 5 */
#define LL_ALL       ((UINT64_C(1) << 16) - 1)
#define LL_READ_EXEC (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR | \
                      LANDLOCK_ACCESS_FS_EXECUTE)
#define LL_RW        (LL_ALL & ~(LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_BLOCK | \
                                 LL_IOCTL_DEV))

static const char *const system_dirs[] = {"/lib", "/lib64", "/usr/lib", "/usr/lib64",
                                          "/usr/libexec"};

enum nss_mode launch_net_mode(const struct nh_host *h)
{
	if (h->net.ready)
		return (enum nss_mode)h->net.mode;
	return h->opts.net.mode == NSS_DEFAULT ? NSS_NONE : (enum nss_mode)h->opts.net.mode;
}

/* Layer 1; what it did, for the trace. */
static const char *confine_net(const struct launch_ctx *c)
{
	bool userns;
	int err;

	switch (launch_net_mode(c->h)) {
	case NSS_PRIVATE:
		return "network: the private namespace";
	case NSS_HOST:
		return "network: the host's, Landlock TCP port rules";
	default:
		if (sbx_netns_empty())
			return "network: already in an empty namespace";
		if ((err = sbx_unshare_net(&userns)) != 0) {
			errno = err;
			launcher_fail("a new network namespace (--net none)");
		}
		return userns ? "network: a new empty namespace (in a user namespace)"
		              : "network: a new empty namespace";
	}
}

static bool confine_process(void);

/* Layer 1b's parent: it waits for PID 1, the launcher from now on, and
 * leaves with it. Nothing in the namespace can name it; still it takes
 * layer 2 as well, and holds no descriptor: the host sees the control
 * socket end when PID 1 does. */
static _Noreturn void wait_for_pid1(pid_t pid)
{
	(void)confine_process();
	if (nh_close_range(0, ~0U, 0) != 0)
		launcher_fail("close_range(0, ~0) (PID 1's parent)");
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	_exit(0);
}

/* Linux keeps a pid_max per PID namespace since 6.14; before, the file is
 * the system's, and must be left alone. */
static bool pid_max_per_namespace(void)
{
	struct utsname u;
	unsigned major, minor;

	return uname(&u) == 0 && sscanf(u.release, "%u.%u", &major, &minor) == 2 &&
	       (major > 6 || (major == 6 && minor >= 14));
}

/* The run's namespace allocates pids below max: 0, or why not. */
static int bound_pids(unsigned max)
{
	char b[16];
	int fd, n = snprintf(b, sizeof(b), "%u", max), err = 0;

	if (!pid_max_per_namespace())
		return ENOSYS;
	if ((fd = open("/proc/sys/kernel/pid_max", O_WRONLY | O_CLOEXEC)) < 0)
		return errno;
	errno = EIO;
	if (write(fd, b, (size_t)n) != n)
		err = errno;
	close(fd);
	return err;
}

/* Layer 1b; what it did, for the trace. */
static const char *confine_pid(struct launch_ctx *c)
{
	static char line[160];
	char bound[96];
	unsigned max = LAUNCH_RUN_PIDS(c->max_procs);
	bool userns;
	pid_t pid;
	int err;

	if (c->lifeline >= 0)
		return "pid: its run's namespace";
	if ((err = sbx_unshare_pid(&userns)) != 0) {
		snprintf(line, sizeof(line), "pid: none (%s)", strerror(err));
		return line;
	}
	if ((pid = fork()) < 0)
		launcher_fail("fork PID 1 of the new PID namespace");
	if (pid > 0)
		wait_for_pid1(pid);
	/* Its parent, killed with the host (its PDEATHSIG), takes it along.
	 * Should it be gone already, the control socket ends all the same. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
		launcher_fail("prctl(PR_SET_PDEATHSIG) (PID 1)");
	c->pid1 = true;
	if ((err = bound_pids(max)) == 0)
		snprintf(bound, sizeof(bound), "pids below %u", max);
	else
		snprintf(bound, sizeof(bound), "no pid_max of its own (%s)",
		         err == ENOSYS ? "Linux before 6.14" : strerror(err));
	snprintf(line, sizeof(line), "pid: PID 1 of a new namespace%s, %s",
	         userns ? " (in a user namespace)" : "", bound);
	return line;
}

/* Layer 2. */
static bool confine_process(void)
{
	const struct rlimit zero = {0, 0};
	bool bounding;

	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		launcher_fail("prctl(PR_SET_DUMPABLE, 0)");
	sbx_no_new_privs();
	bounding = sbx_drop_caps();
	if (setrlimit(RLIMIT_CORE, &zero) != 0)
		launcher_fail("setrlimit(RLIMIT_CORE, 0)");
	return bounding;
}

/* A rule on path (a directory or a file), opened O_PATH here; absent is
 * fine when may_be_absent. */
static void rule(struct sbx_policy *p, const char *path, uint64_t access, bool may_be_absent)
{
	int fd = open(path, O_PATH | O_CLOEXEC);

	if (fd < 0 && may_be_absent && (errno == ENOENT || errno == ENOTDIR))
		return;
	if (fd < 0)
		launcher_fail("open %s for its Landlock rule", path);
	sbx_allow_path(p, &(struct sbx_path){.fd = fd, .host = path, .guest = "", .note = "",
	                                     .access = access});
}

/* A read-write grant's descriptor: kept, for a UNIX CONNECT's check
 * (launcher_sock.c: Landlock does not govern connecting to a socket). */
static bool rw_grant_fd(const struct nh_host *h, int fd)
{
	for (unsigned i = 0; i < h->fs.ngrants; i++)
		if (h->fs.grant[i].rw && h->fs.grant[i].fd == fd)
			return true;
	return false;
}

/* Layer 3: the rules; returns the ABI used (0: none). */
static int confine_landlock(struct launch_ctx *c, unsigned *nrules, uint8_t *unhandled)
{
	struct nh_host *h = c->h;
	struct sbx_policy p;
	int abi;

	if (sbx_landlock_abi() == 0)
		return 0;
	sbx_policy_init(&p); /* its seccomp rules stay unused: only the Landlock part counts */
	nss_policy(h, &p);   /* TCP: none handled with no port, private unhandled, host ports */
	for (unsigned i = 0; i < h->fs.ngrants; i++) {
		const struct fsshim_grant *g = &h->fs.grant[i];

		if (g->fd >= 0)
			sbx_allow_path(&p, &(struct sbx_path){.fd = g->fd, .host = g->host,
			                                      .guest = g->guest, .note = "",
			                                      .access = g->rw ? LL_RW : LL_READ_EXEC});
	}
	for (size_t i = 0; i < sizeof(system_dirs) / sizeof(system_dirs[0]); i++)
		rule(&p, system_dirs[i], LL_READ_EXEC, true);
	rule(&p, "/etc/ld.so.cache", LANDLOCK_ACCESS_FS_READ_FILE, true);
	rule(&p, "/dev/null", LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE |
	     LL_TRUNCATE, false);
	/* Gone since launcher_start looked: nothing to allow (and nothing runs
	 * it: the request fails). */
	rule(&p, c->nonehost, LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_EXECUTE, true);
	for (unsigned i = 0; i < c->nexec; i++)
		rule(&p, c->exec[i].path, LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_EXECUTE,
		     true);
	for (unsigned i = 0; i < c->nrunners; i++)
		rule(&p, c->runner[i], LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_EXECUTE, true);
	rule(&p, c->self, LANDLOCK_ACCESS_FS_READ_FILE, true);
	abi = sbx_landlock(&p);
	for (unsigned i = 0; i < p.npaths; i++)
		if (p.path[i].fd >= 0 && !rw_grant_fd(h, p.path[i].fd) &&
		    close(p.path[i].fd) != 0)
			launcher_fail("close the descriptor of %s", p.path[i].host);
	for (unsigned i = 0; i < h->fs.ngrants; i++)
		if (!h->fs.grant[i].rw)
			h->fs.grant[i].fd = -1; /* closed just above: the launcher needs them no more */
	*nrules = p.npaths;
	*unhandled = p.net_unhandled;
	return abi;
}

void launcher_confine(struct launch_ctx *c)
{
	const char *net = confine_net(c);
	const char *pid = confine_pid(c);
	bool bounding = confine_process();
	unsigned nrules = 0;
	uint8_t unhandled = 0;
	int abi = confine_landlock(c, &nrules, &unhandled);
	char ll[160] = "no Landlock (the kernel has none)";

	c->landlock = abi;
	if (abi > 0)
		snprintf(ll, sizeof(ll), "Landlock ABI %d (fs%s%s), %u path rules", abi,
		         abi < 4 || (unhandled & (SBX_NET_BIND | SBX_NET_CONNECT)) ==
		                        (SBX_NET_BIND | SBX_NET_CONNECT) ? "" : ", tcp",
		         abi >= 6 ? ", scopes" : "", nrules);
	snprintf(c->layers, sizeof(c->layers), "%s, %s, not dumpable, no_new_privs, capabilities "
	         "dropped%s, core 0, %s, no seccomp", net, pid,
	         bounding ? " (bounding set too)" : " (bounding set kept: no CAP_SETPCAP)", ll);
}
