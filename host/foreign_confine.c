/*
 * foreign_confine.c - the emulator's layers: what this nonehost puts on
 * itself right before it execs qemu for a foreign image (foreign.c).
 *
 * Contract: foreign_confine_net() is layer 0 (needs the capabilities the
 * later layers drop) and sets the network mode in h->net (the launcher's
 * Landlock domain and layer 4 take their TCP rules from it);
 * foreign_confine() applies layers 1-5 in the order of
 * sandbox/sandbox.h, seccomp last, and writes the --trace summary into
 * line. Each step dies 125 with one line.
 *
 * Threat model: the guest image runs in qemu's own process together with
 * the foreign host, and qemu-user hides nothing of that process from it: a
 * hostile guest can overwrite qemu and make any system call qemu could.
 * Inside, neither the foreign host nor qemu can confine anything (qemu
 * answers seccomp(2) and Landlock with ENOSYS, PR_SET_SECCOMP with EINVAL,
 * io_uring with ENOSYS). So everything the kernel enforces on that process
 * is put on it from here, before exec, and inherited across it:
 *   0 network     --net none: a new empty network namespace (in a new user
 *                 namespace when not root), unless --isolate made one or
 *                 this one is empty already (a launcher's child image); a
 *                 system that refuses it leaves the host's (said under
 *                 --trace: the filter allows no AF_INET socket then anyway).
 *                 private: a new namespace with lo up (or --isolate's); a
 *                 refusal dies 125, as for a native image. host: nothing
 *                 here, Landlock's TCP port rules in 4.
 *   1 no_new_privs  (sbx_nnp.c) inherited by qemu and all it starts.
 *   2 rlimits       RLIMIT_CORE 0 only (qemu writes no core of the guest);
 *                   the foreign host lowers nofile itself (setrlimit passes
 *                   through qemu).
 *   3 capabilities  (sbx_caps.c) every set empty, the bounding set too
 *                   when CAP_SETPCAP allows.
 *   4 Landlock      (sbx_landlock.c) every right of the ABI handled; rules:
 *                   each grant as the foreign host will serve it (ro:
 *                   READ_FILE|READ_DIR; rw: all but EXECUTE, MAKE_CHAR,
 *                   MAKE_BLOCK, IOCTL_DEV), qemu and the foreign host
 *                   READ_FILE|EXECUTE (the only programs that may run:
 *                   seccomp must allow execve, for the exec into qemu
 *                   itself, and cannot tell paths apart), the image
 *                   READ_FILE, /proc/self READ_FILE|READ_DIR (qemu reads its
 *                   maps, the host its status and fd/; opened here, it is
 *                   /proc/<pid> of this very process, which qemu becomes:
 *                   a forked child's /proc/self is not covered, and nothing
 *                   of any other process), /proc/sys/vm/mmap_min_addr
 *                   READ_FILE (qemu: the lowest guest address), /dev/null
 *                   READ_FILE|WRITE_FILE (the console's stand-in); with
 *                   --allow-exec, each program READ_FILE|EXECUTE and the
 *                   system library directories and ld.so.cache as for the
 *                   launcher's children. TCP bind/connect as the network
 *                   mode says (nss_policy: none: no port; private:
 *                   unhandled; host: the granted ports); the abstract-
 *                   socket and signal scopes (ABI >= 6: no signal leaves
 *                   the domain, so the supervisor and every other process
 *                   are out of reach).
 *   5 seccomp       (sandbox/sbx_qemu.c) the emulator's allowlist, default
 *                   kill.
 * /proc/self and the TMPDIR: see foreign.c for why the TMPDIR is made by
 * this nonehost and only it is granted, not /tmp.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"

#define LL_READ     LANDLOCK_ACCESS_FS_READ_FILE
#define LL_RUN      (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_EXECUTE)
#define LL_READ_DIR (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)

static const char *const system_dirs[] = {"/lib", "/lib64", "/usr/lib", "/usr/lib64",
                                          "/usr/libexec"};

static enum nss_mode mode_of(const struct nh_host *h)
{
	char why[sizeof(h->net.why)];

	return nss_mode_of(h, why, sizeof(why));
}

void foreign_confine_net(struct foreign *f, const struct sbx_isolation *iso)
{
	bool in_iso = iso != NULL && (iso->made & (1u << SBX_NS_NET)), userns = false;
	int err = 0, r;

	/* The mode, in the host's context from here on: the launcher forked
	 * next and layer 4 both take their TCP rules from it (nss_policy). */
	f->h->net = (struct nss){.fd = -1, .head = -1, .tail = -1};
	f->h->net.mode = (uint8_t)nss_mode_of(f->h, f->h->net.why, sizeof(f->h->net.why));
	switch ((enum nss_mode)f->h->net.mode) {
	case NSS_PRIVATE:
		if (!in_iso && (err = sbx_unshare_net(&userns)) != 0)
			nh_die(NH_EXIT_USAGE, "--net private: this system refuses a network namespace: %s",
			       strerror(err));
		if ((r = nss_lo_up()) < 0) {
			errno = -r;
			nh_die_errno(NH_EXIT_USAGE, "--net private: cannot bring lo up in the new "
			             "network namespace");
		}
		snprintf(f->net, sizeof(f->net), "%s, lo up", in_iso ? "--isolate's network namespace"
		         : userns ? "new user and network namespaces" : "a new network namespace");
		return;
	case NSS_HOST:
		snprintf(f->net, sizeof(f->net), "the host's network (Landlock TCP port rules)");
		return;
	default:
		if (in_iso) {
			snprintf(f->net, sizeof(f->net), "--isolate's network namespace (empty)");
		} else if (sbx_netns_empty()) {
			snprintf(f->net, sizeof(f->net), "already in an empty network namespace (a "
			         "launcher's child)");
		} else if (f->h->opts.no_sandbox) {
			snprintf(f->net, sizeof(f->net), "the host's network (--no-sandbox)");
		} else if ((err = sbx_unshare_net(&userns)) != 0) {
			snprintf(f->net, sizeof(f->net), "the host's network (a new namespace refused: %s; "
			         "no AF_INET socket is allowed)", strerror(err));
		} else {
			snprintf(f->net, sizeof(f->net), "%s", userns ? "new user and network namespaces "
			         "(empty)" : "a new empty network namespace");
		}
	}
}

unsigned foreign_seccomp_flags(const struct nh_host *h)
{
	enum nss_mode m = mode_of(h);

	return m == NSS_PRIVATE || m == NSS_HOST ? SBX_QEMU_INET : 0;
}

/* A rule on path, opened O_PATH here (closed once Landlock has it). */
static void rule(struct sbx_policy *p, const char *path, uint64_t access, const char *note,
                 bool may_be_absent)
{
	int fd = open(path, O_PATH | O_CLOEXEC);

	if (fd < 0 && may_be_absent && (errno == ENOENT || errno == ENOTDIR))
		return;
	if (fd < 0)
		nh_die_errno(NH_EXIT_USAGE, "sandbox: emulator: open %s for its Landlock rule", path);
	sbx_allow_path(p, &(struct sbx_path){.fd = fd, .host = path, .guest = "", .note = note,
	                                     .access = access});
}

/* Layer 4's rules (p from sbx_policy_init and nss_policy: its TCP part). */
static void landlock_rules(struct foreign *f, struct sbx_policy *p)
{
	const struct nh_host *h = f->h;

	for (unsigned i = 0; i < h->fs.ngrants; i++) {
		const struct fsshim_grant *g = &h->fs.grant[i];
		int fd = open(g->host, O_PATH | O_DIRECTORY | O_CLOEXEC);

		if (fd < 0)
			nh_die_errno(NH_EXIT_USAGE, "sandbox: emulator: open %s for its Landlock rule",
			             g->host);
		/* access 0: sbx_landlock's own ro/rw rights, a native run's */
		sbx_allow_path(p, &(struct sbx_path){.fd = fd, .rw = g->rw, .host = g->host,
		                                     .guest = g->guest, .note = "a grant"});
	}
	rule(p, f->qemu, LL_RUN, "the emulator", false);
	rule(p, f->host, LL_RUN, "the foreign host", false);
	rule(p, h->opts.image, LL_READ, "the image", false);
	rule(p, "/proc/self", LL_READ_DIR, "the emulator's own /proc entries", false);
	/* in the emulator's own root the file alone (foreign_root.c) */
	rule(p, "/proc/self/status", LL_READ, "the emulator's own status", false);
	rule(p, "/proc/sys/vm/mmap_min_addr", LL_READ, "qemu: the lowest guest address", true);
	rule(p, "/dev/null", LL_READ | LANDLOCK_ACCESS_FS_WRITE_FILE, "the console's stand-in",
	     false);
	for (unsigned i = 0; i < h->opts.nallow_exec; i++)
		rule(p, h->opts.allow_exec[i], LL_RUN, "--allow-exec", true);
	if (h->opts.nallow_exec == 0)
		return;
	for (size_t i = 0; i < sizeof(system_dirs) / sizeof(system_dirs[0]); i++)
		rule(p, system_dirs[i], LL_READ_DIR | LANDLOCK_ACCESS_FS_EXECUTE,
		     "--allow-exec: system libraries", true);
	rule(p, "/etc/ld.so.cache", LL_READ, "--allow-exec: the loader's cache", true);
}

struct sbx_policy *foreign_rules(struct foreign *f)
{
	struct sbx_policy *p = calloc(1, sizeof(*p));

	if (p == NULL)
		nh_die_errno(NH_EXIT_USAGE, "sandbox: emulator: allocate its policy");
	sbx_policy_init(p); /* its seccomp rules stay unused: only the Landlock part counts */
	nss_policy(f->h, p);
	landlock_rules(f, p);
	return p;
}

void foreign_confine(struct foreign *f, struct sbx_policy *p, char *line, size_t len)
{
	const struct rlimit zero = {0, 0};
	struct sbx_qemu_policy *q = calloc(1, sizeof(*q));
	struct timespec t0, t1;
	char ll[160] = "no Landlock (the kernel has none)";
	bool bounding;
	int abi;

	if (q == NULL)
		nh_die_errno(NH_EXIT_USAGE, "sandbox: emulator: allocate its policy");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	sbx_qemu_policy_init(q, foreign_seccomp_flags(f->h) | (f->rooted ? SBX_QEMU_OWN_ROOT : 0));

	sbx_no_new_privs();
	if (setrlimit(RLIMIT_CORE, &zero) != 0)
		nh_die_errno(NH_EXIT_USAGE, "sandbox: emulator: setrlimit(RLIMIT_CORE, 0)");
	bounding = sbx_drop_caps();
	abi = sbx_landlock(p);
	for (unsigned i = 0; i < p->npaths; i++)
		if (p->path[i].fd >= 0 && close(p->path[i].fd) != 0)
			nh_die_errno(NH_EXIT_USAGE, "sandbox: emulator: close %s", p->path[i].host);
	if (abi > 0)
		snprintf(ll, sizeof(ll), "Landlock ABI %d (fs%s%s), %u path rules", abi,
		         abi < 4 || (p->net_unhandled & (SBX_NET_BIND | SBX_NET_CONNECT)) ==
		                        (SBX_NET_BIND | SBX_NET_CONNECT) ? "" : ", tcp",
		         abi >= 6 ? ", scopes" : "", p->npaths);
	sbx_qemu_seccomp(q); /* last: from here on only the allowlist, and execve */
	clock_gettime(CLOCK_MONOTONIC, &t1);
	snprintf(line, len, "[nh] foreign: %s image, %s with %s: %s, no_new_privs, core 0, "
	         "capabilities dropped%s, %s, seccomp: %u system calls, %u rules, default kill "
	         "(%ld us)\n", f->goarch, f->qemu, f->host, f->net,
	         bounding ? " (bounding set too)" : " (bounding set kept: no CAP_SETPCAP)", ll,
	         sbx_qemu_nsyscalls(q), q->nrules,
	         (long)((t1.tv_sec - t0.tv_sec) * 1000000 + (t1.tv_nsec - t0.tv_nsec) / 1000));
}
