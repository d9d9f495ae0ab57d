/*
 * sbx_isolate.c - layer 0 (--isolate): new namespaces, before anything else.
 *
 * Contract: sbx_unshare() moves the process into a new user namespace
 * first (mapping only its own uid and gid, setgroups denied), then new
 * mount, IPC, network and PID namespaces, one unshare(2) each so that one
 * the kernel refuses (EPERM, EINVAL, ENOSPC, EUSERS: not built in, a
 * sysctl, the limit of namespaces, a chroot) is recorded and the others
 * still made. The user namespace goes first because, as an unprivileged
 * user, it is what gives the right to make the others; as root it is made
 * too, so that root in the namespace is nobody outside it. Any other
 * failure dies 125.
 *
 * sbx_isolate() runs sbx_unshare(), says in one stderr line which types are
 * unavailable (nothing when all are made), and, since a new PID namespace
 * applies to children only, forks through sbx_supervise() (sbx_supervise.c:
 * the parent waits and leaves exactly as the child did, passing signals
 * on): the child is PID 1 of the namespace and returns to go on with the
 * set-up and run the image, with the supervisor's signal page in
 * iso->share (its page NULL and its descriptor -1 when there was no fork). at_exit (the removal of the
 * private TMPDIR) rides on the same fork; with it, the process forks even
 * when the PID namespace was refused.
 *
 * sbx_unshare_net() is --net private's namespace without --isolate
 * (netstack-shim/nss_setup.c, in the process that runs the image): a new
 * network namespace, inside a new user namespace mapping our own uid and
 * gid (as above) when the kernel refuses it otherwise (EPERM: not root).
 * sbx_unshare_mount() is the same for a mount namespace (sbx_mirror.c's),
 * sbx_unshare_pid() for a PID namespace (the launcher's, host/launcher_confine.c;
 * it applies to the children forked afterwards).
 * sbx_netns_empty() says whether this one is as empty as a new one would
 * be (only lo, down): a launcher's child is in such a namespace, where it
 * may not make a user namespace (its parent's Landlock domain keeps
 * /proc/self/uid_map from it) and a new one would add nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"

const struct sbx_ns sbx_namespaces[SBX_NS_COUNT] = {
	[SBX_NS_USER] = {CLONE_NEWUSER, "user", "user"},
	[SBX_NS_MOUNT] = {CLONE_NEWNS, "mount", "mnt"},
	[SBX_NS_IPC] = {CLONE_NEWIPC, "ipc", "ipc"},
	[SBX_NS_NET] = {CLONE_NEWNET, "network", "net"},
	[SBX_NS_PID] = {CLONE_NEWPID, "pid", "pid_for_children"},
};

static void write_file(const char *path, const char *text, bool may_be_absent)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	size_t len = strlen(text);

	if (fd < 0 && may_be_absent && errno == ENOENT)
		return;
	if (fd < 0 || write(fd, text, len) != (ssize_t)len)
		nh_die_errno(NH_EXIT_USAGE, "sandbox: --isolate: write \"%.*s\" to %s",
		             (int)(len - 1), text, path);
	close(fd);
}

/* Map our own uid and gid, nothing else. */
static void map_ids(uid_t uid, gid_t gid)
{
	char line[64];

	write_file("/proc/self/setgroups", "deny\n", true); /* absent before Linux 3.19 */
	snprintf(line, sizeof(line), "%u %u 1\n", (unsigned)uid, (unsigned)uid);
	write_file("/proc/self/uid_map", line, false);
	snprintf(line, sizeof(line), "%u %u 1\n", (unsigned)gid, (unsigned)gid);
	write_file("/proc/self/gid_map", line, false);
}

void sbx_unshare(struct sbx_isolation *iso)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();

	*iso = (struct sbx_isolation){0};
	for (int t = 0; t < SBX_NS_COUNT; t++) {
		if (unshare(sbx_namespaces[t].flag) != 0) {
			if (errno != EPERM && errno != EINVAL && errno != ENOSPC && errno != EUSERS)
				nh_die_errno(NH_EXIT_USAGE, "sandbox: --isolate: unshare(%s namespace)",
				             sbx_namespaces[t].name);
			iso->err[t] = errno;
			continue;
		}
		iso->made |= 1u << t;
		if (t == SBX_NS_USER)
			map_ids(uid, gid);
	}
}

/* A new namespace of type flag, first in a new user namespace mapping our
 * own ids when the kernel refuses it otherwise (EPERM: no capability). */
static int unshare_in_userns(int flag, bool *userns)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();
	int probe;

	*userns = false;
	if (unshare(flag) == 0)
		return 0;
	if (errno != EPERM)
		return errno;
	/* A user namespace whose ids cannot be mapped would leave this process
	 * with no uid of its own: look first (a launcher's child: its Landlock
	 * domain keeps /proc from it). */
	if ((probe = open("/proc/self/uid_map", O_WRONLY | O_CLOEXEC)) < 0)
		return errno;
	close(probe);
	if (unshare(CLONE_NEWUSER) != 0)
		return errno;
	*userns = true;
	map_ids(uid, gid);
	return unshare(flag) == 0 ? 0 : errno;
}

int sbx_unshare_net(bool *userns)
{
	return unshare_in_userns(CLONE_NEWNET, userns);
}

int sbx_unshare_mount(bool *userns)
{
	return unshare_in_userns(CLONE_NEWNS, userns);
}

int sbx_unshare_pid(bool *userns)
{
	return unshare_in_userns(CLONE_NEWPID, userns);
}

/* This network namespace has only lo, and lo is down: nothing to reach. */
bool sbx_netns_empty(void)
{
	struct if_nameindex *ifs = if_nameindex();
	struct ifreq ifr;
	bool only_lo = ifs != NULL;
	int s;

	for (struct if_nameindex *i = ifs; i != NULL && i->if_index != 0; i++)
		only_lo &= strcmp(i->if_name, "lo") == 0;
	if (ifs != NULL)
		if_freenameindex(ifs);
	if (!only_lo || (s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return false;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	only_lo = ioctl(s, SIOCGIFFLAGS, &ifr) == 0 && !(ifr.ifr_flags & IFF_UP);
	close(s);
	return only_lo;
}

static void report_unavailable(const struct sbx_isolation *iso)
{
	char line[512];
	int n = 0;

	if (iso->made == (1u << SBX_NS_COUNT) - 1)
		return;
	for (int t = 0; t < SBX_NS_COUNT && n < (int)sizeof(line); t++)
		if (!(iso->made & (1u << t)))
			n += snprintf(line + n, sizeof(line) - (size_t)n, "%s%s (%s)", n ? ", " : "",
			              sbx_namespaces[t].name, strerror(iso->err[t]));
	dprintf(STDERR_FILENO, "nonehost: --isolate: going on without the namespaces this "
	        "system refuses: %s\n", line);
}

void sbx_isolate(bool trace, struct sbx_isolation *iso, const struct sbx_exit *at_exit)
{
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	sbx_unshare(iso);
	report_unavailable(iso);
	iso->share = (struct sbx_share){.page = NULL, .fd = -1};
	if ((iso->made & (1u << SBX_NS_PID)) || at_exit != NULL)
		iso->share = sbx_supervise("sandbox: --isolate", at_exit);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (trace) {
		char names[128] = "";
		int n = 0;

		for (int t = 0; t < SBX_NS_COUNT; t++)
			if (iso->made & (1u << t))
				n += snprintf(names + n, sizeof(names) - (size_t)n, "%s%s", n ? ", " : "",
				              sbx_namespaces[t].name);
		dprintf(STDERR_FILENO, "[nh] isolate: namespaces: %s (%ld us)\n", n ? names : "none",
		        (long)((t1.tv_sec - t0.tv_sec) * 1000000 + (t1.tv_nsec - t0.tv_nsec) / 1000));
	}
}
