/*
 * sbx_landlock.c - layer 4: Landlock, when the kernel has it.
 *
 * Contract: sbx_landlock_abi() probes the kernel's Landlock ABI version (0
 * when Landlock is not built in or not enabled). sbx_landlock() creates a
 * ruleset that handles every access right the ABI knows and adds NO rule,
 * then restricts the process to it (no_new_privs must already be set):
 *   ABI >= 1  every file system right (13 of them; REFER from ABI 2,
 *             TRUNCATE from 3, IOCTL_DEV from 5): no path can be opened,
 *             created, removed, renamed, linked or executed. Descriptors
 *             opened before (0, 1, 2) keep working.
 *   ABI >= 4  TCP bind and connect: no port, except one rule per port of
 *             p->port[] (the netstack-shim's grants under --net host); a
 *             right in p->net_unhandled is not handled at all (--net
 *             private: the network namespace is the layer; a grant wider
 *             than port rules can say).
 *   ABI >= 6  scopes: no abstract UNIX socket outside the domain, no signal
 *             to a process outside it.
 * One path-beneath rule per entry of p->path with a descriptor: the
 * fs-shim's grants (ro, rw), or the exact rights of the supervisor's and
 * the launcher's rules (sbx_path.access); such a rule on a file (not a
 * directory: the launcher's programs, /dev/null) keeps only the rights a
 * file can have (EXECUTE, WRITE_FILE, READ_FILE, TRUNCATE, IOCTL_DEV), and
 * a rule left with no right is not added. The supervisor also sets
 * may_signal: no signal scope,
 * since it must SIGKILL its child, outside its domain. Returns the ABI it used,
 * or 0 without touching anything when the kernel has no Landlock. Any other
 * failure dies 125.
 *
 * The kernel headers of Debian bookworm (6.1) stop at ABI 2, so the newer
 * constants and the full ruleset attribute are spelled out here.
 */
#include <errno.h>
#include <linux/landlock.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"

#define FS_ABI1 ((UINT64_C(1) << 13) - 1)  /* EXECUTE .. MAKE_SYM */
#define FS_REFER     (UINT64_C(1) << 13)   /* ABI 2 */
#define FS_TRUNCATE  (UINT64_C(1) << 14)   /* ABI 3 */
#define FS_IOCTL_DEV (UINT64_C(1) << 15)   /* ABI 5 */
#define NET_BIND_TCP    (UINT64_C(1) << 0) /* ABI 4 */
#define NET_CONNECT_TCP (UINT64_C(1) << 1) /* ABI 4 */
#define SCOPE_ABSTRACT_UNIX_SOCKET (UINT64_C(1) << 0) /* ABI 6 */
#define SCOPE_SIGNAL               (UINT64_C(1) << 1) /* ABI 6 */
#define RULE_NET_PORT 2                                /* ABI 4 */

_Static_assert(NET_BIND_TCP == SBX_NET_BIND && NET_CONNECT_TCP == SBX_NET_CONNECT,
               "sandbox.h's network rights are Landlock's");

/* struct landlock_net_port_attr (ABI 4). */
struct net_port_attr {
	uint64_t allowed_access;
	uint64_t port;
};

_Static_assert(FS_ABI1 == ((LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1), "ABI 1 file system rights");
_Static_assert(FS_REFER == LANDLOCK_ACCESS_FS_REFER, "LANDLOCK_ACCESS_FS_REFER");

/* struct landlock_ruleset_attr as of ABI 6; the size passed to the kernel
 * covers only the fields the running ABI knows. */
struct ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

int sbx_landlock_abi(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);

	if (abi >= 1)
		return (int)abi;
	if (errno == ENOSYS || errno == EOPNOTSUPP)
		return 0;
	nh_die_errno(NH_EXIT_USAGE, "sandbox: landlock_create_ruleset(VERSION)");
}

/* The rights Landlock accepts in a rule on a file (not a directory). */
#define FS_FILE_RIGHTS (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE |          \
                        LANDLOCK_ACCESS_FS_READ_FILE | FS_TRUNCATE | FS_IOCTL_DEV)

/* One path-beneath rule. */
static void add_path(int ruleset, const struct sbx_path *g, uint64_t handled)
{
	const uint64_t ro = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;
	const uint64_t never = LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_MAKE_CHAR |
	                       LANDLOCK_ACCESS_FS_MAKE_BLOCK | FS_IOCTL_DEV;
	struct landlock_path_beneath_attr attr = {
		.allowed_access = g->access != 0 ? g->access & handled : g->rw ? handled & ~never : ro,
		.parent_fd = g->fd,
	};

	if (g->access != 0) {
		struct stat st;

		if (fstat(g->fd, &st) != 0)
			nh_die_errno(NH_EXIT_USAGE, "sandbox: fstat(%s)", g->host);
		if (!S_ISDIR(st.st_mode))
			attr.allowed_access &= FS_FILE_RIGHTS;
		if (attr.allowed_access == 0)
			return;
	}
	if (syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &attr, 0) != 0)
		nh_die_errno(NH_EXIT_USAGE, "sandbox: landlock_add_rule(%s, %s)", g->host,
		             g->access != 0 ? "rights" : g->rw ? "rw" : "ro");
}

/* One rule per port of each range whose right is handled. */
static void add_ports(int ruleset, const struct sbx_policy *p, uint64_t handled)
{
	for (unsigned i = 0; i < p->nports; i++) {
		const struct sbx_ports *r = &p->port[i];

		if (!(handled & r->access))
			continue;
		for (unsigned port = r->lo; port <= r->hi; port++) {
			struct net_port_attr attr = {.allowed_access = r->access, .port = port};

			if (syscall(SYS_landlock_add_rule, ruleset, RULE_NET_PORT, &attr, 0) != 0)
				nh_die_errno(NH_EXIT_USAGE, "sandbox: landlock_add_rule(TCP %s port %u)",
				             r->access == NET_BIND_TCP ? "bind" : "connect", port);
		}
	}
}

int sbx_landlock(const struct sbx_policy *p)
{
	int abi = sbx_landlock_abi();
	struct ruleset_attr attr = {.handled_access_fs = FS_ABI1};
	size_t size = sizeof(attr.handled_access_fs);
	long fd;

	if (abi == 0)
		return 0;
	if (abi >= 2)
		attr.handled_access_fs |= FS_REFER;
	if (abi >= 3)
		attr.handled_access_fs |= FS_TRUNCATE;
	if (abi >= 4) {
		attr.handled_access_net = (NET_BIND_TCP | NET_CONNECT_TCP) & ~(uint64_t)p->net_unhandled;
		size = offsetof(struct ruleset_attr, scoped);
	}
	if (abi >= 5)
		attr.handled_access_fs |= FS_IOCTL_DEV;
	if (abi >= 6) {
		attr.scoped = SCOPE_ABSTRACT_UNIX_SOCKET | (p->may_signal ? 0 : SCOPE_SIGNAL);
		size = sizeof(attr);
	}
	fd = syscall(SYS_landlock_create_ruleset, &attr, size, 0);
	if (fd < 0)
		nh_die_errno(NH_EXIT_USAGE, "sandbox: landlock_create_ruleset (ABI %d)", abi);
	for (unsigned i = 0; i < p->npaths; i++)
		if (p->path[i].fd >= 0)
			add_path((int)fd, &p->path[i], attr.handled_access_fs);
	add_ports((int)fd, p, attr.handled_access_net);
	if (syscall(SYS_landlock_restrict_self, (int)fd, 0) != 0)
		nh_die_errno(NH_EXIT_USAGE, "sandbox: landlock_restrict_self (ABI %d)", abi);
	if (close((int)fd) != 0)
		nh_die_errno(NH_EXIT_USAGE, "sandbox: close the Landlock ruleset");
	return abi;
}
