/*
 * foreign_policy.c - nonehost --policy [OPTIONS] IMAGE for an image of
 * another machine: what would run, and which layers hold it.
 *
 * Contract: foreign_policy() prints, after the header: the image's
 * machine, the emulator and the foreign host (or where they were looked
 * for), the foreign host's command line (foreign_words), the emulator's
 * layers as foreign_confine.c would apply them here (probed, not applied:
 * sbx_probe), whether its own root would be made (foreign_root_planned:
 * the paths; the kernel's consent is only known by making it), its
 * Landlock rules and its allowlist (sbx_qemu_describe, the very table a
 * run loads, with the root's rules when it would be made), the native launcher (processes, UNIX sockets),
 * what the foreign host can do inside (nothing of
 * seccomp, Landlock, io_uring: qemu-user refuses them), and the supervising
 * parent's section as for a native image. Nothing is opened but the image's
 * header; the caller exits 0.
 */
#include <stdio.h>
#include <stdlib.h>

#include "host.h"
#include "sandbox.h"

static void layers(FILE *out, struct foreign *f, const struct sbx_probe *k, const char *unrooted)
{
	struct nh_host *h = f->h;
	struct sbx_policy p;
	char why[sizeof(h->net.why)];
	enum nss_mode m = nss_mode_of(h, why, sizeof(why));

	fprintf(out, "layers of the emulator's process (applied by this nonehost before it execs "
	        "qemu; sandbox/sandbox.h order):\n");
	if (h->opts.isolate)
		fprintf(out, "  0 namespaces     --isolate: user, mount, ipc, network, pid, made here "
		        "(as for a native image; the foreign host does not get --isolate)%s\n",
		        m == NSS_PRIVATE ? "; lo up (--net private)" : "");
	else if (m == NSS_PRIVATE)
		fprintf(out, "  0 namespaces     network: a new namespace with lo up (--net private; the "
		        "foreign host runs there with --net host and every port)\n");
	else if (m == NSS_HOST)
		fprintf(out, "  0 namespaces     none: the host's network (--net host; Landlock's TCP "
		        "port rules in 4)\n");
	else
		fprintf(out, "  0 namespaces     network: a new empty namespace (--net none; where the "
		        "system refuses one, the host's, with no AF_INET socket allowed)\n");
	if (unrooted != NULL)
		fprintf(out, "  0b root          none: %s; so no UNIX datagram or seqpacket "
		        "sockets, no CHMOD by name\n", unrooted);
	else
		fprintf(out, "  0b root          the emulator's own (host/foreign_root.c): a read-only "
		        "tmpfs with the read-write grants at their guest paths, qemu, the foreign "
		        "host, /dev/null, two files of /proc and the --allow-exec programs; the "
		        "foreign host gets the grants and the image as descriptors. Where the kernel "
		        "refuses it (a child image, no user namespaces): none, and no UNIX datagram "
		        "or seqpacket sockets, no CHMOD by name (the filter below without their "
		        "rules)\n");
	if (h->opts.no_sandbox) {
		fprintf(out, "  1-5              OFF: --no-sandbox, the emulator and the image would run "
		        "UNCONFINED (debugging only)\n");
		return;
	}
	fprintf(out, "  1 no_new_privs   on\n");
	fprintf(out, "  2 rlimits        core 0 (nofile: the foreign host lowers it itself)\n");
	fprintf(out, "  3 capabilities   all dropped%s\n", k->setpcap || h->opts.isolate
	        ? ", bounding set too" : "; bounding set kept (no CAP_SETPCAP; with no_new_privs it "
	        "grants nothing)");
	sbx_policy_init(&p);
	h->net = (struct nss){.fd = -1, .head = -1, .tail = -1};
	h->net.mode = (uint8_t)m;
	nss_policy(h, &p);
	if (k->landlock_abi == 0) {
		fprintf(out, "  4 Landlock       unavailable (the kernel has none): the emulator could "
		        "read, write and run what this user may\n");
	} else {
		fprintf(out, "  4 Landlock       ABI %d: every file system right handled%s%s; path "
		        "rules:\n", k->landlock_abi, k->landlock_abi < 4 ? "" :
		        (p.net_unhandled & SBX_NET_BIND) && (p.net_unhandled & SBX_NET_CONNECT)
		        ? ", TCP not (the network namespace is the layer)"
		        : p.nports == 0 ? ", TCP bind/connect (no port)" : ", TCP bind/connect (the "
		        "granted ports)", k->landlock_abi >= 6 ? ", abstract UNIX socket and signal "
		        "scopes" : "");
		for (unsigned i = 0; i < h->fs.ngrants; i++)
			fprintf(out, "      %-4s %s  (%s)\n", h->fs.grant[i].rw ? "rw" : "ro",
			        h->fs.grant[i].host, (int)i == h->fs.tmp ? "the private TMPDIR, --tmpdir"
			        : h->fs.grant[i].origin == FSSHIM_CWD ? "the current directory" : "a grant");
		if (h->fs.tmp < 0)
			fprintf(out, "      rw   %s  (the private TMPDIR, made at start, removed at exit)\n",
			        h->fs.run.tmp);
		if (h->fs.etc_wanted)
			fprintf(out, "      ro   %s  (the guest's /etc, made at start)\n", h->fs.run.etc);
		fprintf(out, "      r-x  %s  (the emulator)\n      r-x  %s  (the foreign host)\n"
		        "      r--  %s  (the image)\n      r--  /proc/self  (its own: maps, status, fd/; in "
		        "its own root status alone)\n"
		        "      r--  /proc/sys/vm/mmap_min_addr  (qemu)\n      rw-  /dev/null\n",
		        f->qemu[0] ? f->qemu : f->qemu_name, f->host[0] ? f->host : f->host_want,
		        h->opts.image);
		for (unsigned i = 0; i < h->opts.nallow_exec; i++)
			fprintf(out, "      r-x  %s  (--allow-exec)\n", h->opts.allow_exec[i]);
		if (h->opts.nallow_exec > 0)
			fprintf(out, "      r-x  /lib, /lib64, /usr/lib, /usr/lib64, /usr/libexec, "
			        "/etc/ld.so.cache  (--allow-exec: libraries)\n");
	}
	fprintf(out, "  5 seccomp        the emulator's allowlist below; any other call kills the "
	        "process (SIGSYS, 159)\n");
}

void foreign_policy(FILE *out, struct foreign *f)
{
	struct nh_host *h = f->h;
	struct sbx_qemu_policy *q = malloc(sizeof(*q));
	struct launch_words *w = malloc(sizeof(*w));
	struct sbx_policy sp;
	struct sbx_probe k;
	char why[2 * NH_PATH_MAX + 64];
	bool rooted;

	if (q == NULL || w == NULL)
		nh_die_errno(NH_EXIT_USAGE, "--policy: allocate");
	fsshim_tmp_plan(&h->fs);
	rooted = foreign_root_planned(f, why, sizeof(why));
	fprintf(out, "nonehost %s policy (nothing is run)\n", NH_VERSION_STRING);
	fprintf(out, "image: %s: GOOS=none %s, another machine than this nonehost's (%s): run "
	        "under emulation\n", h->opts.image, f->goarch, binfmt_host_arch()->name);
	if (f->qemu[0])
		fprintf(out, "emulator: %s\n", f->qemu);
	else
		fprintf(out, "emulator: %s: not found on PATH or in /usr/bin (a run stops, 125)\n",
		        f->qemu_name);
	if (f->host[0])
		fprintf(out, "foreign host: %s\n", f->host);
	else
		fprintf(out, "foreign host: %s: not found (nor %s; make host ARCH=%s; a run stops, "
		        "125)\n", f->host_want, f->host_alt, f->goarch);
	if (foreign_words(f, -1, w) == 0) {
		fprintf(out, "command: %s -L / %s run", f->qemu[0] ? f->qemu : f->qemu_name,
		        f->host[0] ? f->host : f->host_want);
		for (unsigned i = 0; i < w->n; i++)
			fprintf(out, " %s", w->word[i]);
		if (h->fs.etc_wanted && h->fs.etc < 0) /* made by a run */
			fprintf(out, " --dir=%s:/etc:ro", h->fs.run.etc);
		if (h->fs.tmp < 0)
			fprintf(out, " --tmpdir=%s", h->fs.run.tmp);
		if (h->opts.max_procs > 0)
			fprintf(out, " --launcher-fd=N");
		if (h->opts.isolate || !(h->fs.keep_tmp || (h->opts.tmpdir != NULL &&
		                                             !h->fs.etc_wanted)))
			fprintf(out, " --signal-fd=M"); /* the supervisor's page, made by a run */
		fprintf(out, " -- %s ARGS...\n", h->opts.image);
	}
	if (rooted)
		fprintf(out, "  (in the emulator's own root, 0b below, the grants and the image cross "
		        "the exec as descriptors instead: --dir=@FD:GUEST:MODE, --tmpdir=@FD:PATH, "
		        "--image-fd=FD:PATH, and --own-root)\n");
	if (h->fs.tmp < 0)
		fprintf(out, "  (the private TMPDIR: %s, made here, given with --tmpdir, removed by "
		        "the supervisor below)\n", h->fs.run.tmp);
	if (h->opts.max_procs > 0)
		fprintf(out, "  (processes and UNIX sockets: the launcher, forked here before the exec, "
		        "in the emulator's network namespace, runs natively, confined by its own layers "
		        "as for a native image; its control socket is descriptor N)\n");
	sbx_probe(&k, h->opts.no_sandbox, false);
	layers(out, f, &k, rooted ? NULL : why);
	fprintf(out, "inside the emulator (the %s host): no seccomp (ENOSYS, EINVAL), no Landlock "
	        "(ENOSYS), no io_uring (ENOSYS: the epoll backend serves sockets); the layers above "
	        "hold the guest and the host alike\n", f->goarch);
	if (!h->opts.no_sandbox) {
		sbx_qemu_policy_init(q, foreign_seccomp_flags(h) | (rooted ? SBX_QEMU_OWN_ROOT : 0));
		sbx_qemu_describe(out, q);
	}
	if (!h->opts.isolate && (h->fs.keep_tmp || (h->opts.tmpdir != NULL && !h->fs.etc_wanted))) {
		sbx_describe_supervisor(out, NULL, &k); /* no fork: nothing of ours to remove */
		return;
	}
	sbx_supervisor_policy_init(&sp, 0);
	if (!h->fs.keep_tmp)
		fsshim_tmp_policy(&sp, h);
	sbx_describe_supervisor(out, &sp, &k);
}
