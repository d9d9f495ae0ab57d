/*
 * fsshim_root.c - the image's own root: a mount namespace where only the
 * read-write grants exist, each at its guest path (sandbox/sbx_mirror.c).
 *
 * Why: the kernel resolves some paths with no descriptor to anchor them and
 * no Landlock right to govern them: a UNIX socket's address
 * (netstack-shim/nss_unix_root.c), and chmod by name (fsshim_meta.c, for a
 * file the shim can neither read nor write: Landlock checks opens, not
 * mode changes). Where nothing but the read-write grants exists, such
 * calls reach nothing else, whoever makes them: the ops, or a hostile
 * image's own raw calls. Guest paths are the kernel's there.
 *
 * Contract: fsshim_root() runs once, after the launcher is forked (it
 * keeps the real root; an image that cannot ask for a process gets one
 * afterwards, and only when this fails: host/launcher.c) and before any
 * descriptor is adopted or the sandbox applied, in a single-threaded
 * process. Grants at "/" or beneath another
 * read-write grant's guest path are left out (in_root false: their mount
 * point would have to be made inside that grant). On success fs->own_root
 * and each mounted grant's in_root; else nothing changes but one --trace
 * line: no user namespaces (not root), a child image (the launcher's
 * Landlock domain forbids mounts). A foreign image's host (under qemu,
 * whose confinement forbids unshare) gets the root made by its native
 * nonehost instead, with --own-root: checked here, not made.
 * fsshim_root_grants() says which grants belong there (all three use it).
 */
#include <linux/magic.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"

/* Grant g lies beneath another read-write grant's guest path. */
static bool beneath_rw(const struct fsshim *fs, unsigned g)
{
	const struct fsshim_grant *a = &fs->grant[g];

	for (unsigned i = 0; i < fs->ngrants; i++) {
		const struct fsshim_grant *b = &fs->grant[i];

		if (b->rw && b->guest_len < a->guest_len &&
		    fsshim_holds(b->guest, b->guest_len, a->guest, a->guest_len))
			return true;
	}
	return false;
}

unsigned fsshim_root_grants(const struct fsshim *fs, unsigned *in)
{
	unsigned n = 0;

	for (unsigned i = 0; i < fs->ngrants; i++)
		if (fs->grant[i].rw && fs->grant[i].guest_len != 1 && !beneath_rw(fs, i))
			in[n++] = i;
	return n;
}

/* --own-root: the native nonehost made this root before it exec'd the
 * emulator (host/foreign_root.c). Believed only as far as it is seen: "/"
 * a read-only tmpfs, each grant that belongs there at its guest path (the
 * directory of its descriptor). Else one line and 125. */
static void check_given_root(struct nh_host *h)
{
	unsigned in[FSSHIM_MAX_GRANTS], n = fsshim_root_grants(&h->fs, in);
	struct statfs sfs;
	struct stat st;

	if (statfs("/", &sfs) != 0)
		nh_die_errno(NH_EXIT_USAGE, "--own-root: statfs /");
	if (sfs.f_type != TMPFS_MAGIC || !(sfs.f_flags & ST_RDONLY))
		nh_die(NH_EXIT_USAGE, "--own-root: / is not a read-only tmpfs: not a root of our own");
	for (unsigned k = 0; k < n; k++) {
		struct fsshim_grant *g = &h->fs.grant[in[k]];

		if (stat(g->guest, &st) != 0 || st.st_dev != (dev_t)g->dev ||
		    st.st_ino != (ino_t)g->ino)
			nh_die(NH_EXIT_USAGE, "--own-root: %s is not the grant's directory there", g->guest);
		g->in_root = true;
	}
	h->fs.own_root = true;
	if (h->opts.trace)
		dprintf(STDERR_FILENO, "[nh] fs: a root of our own, made before the emulator: %u "
		        "read-write grant%s\n", n, n == 1 ? "" : "s");
}

void fsshim_root(struct nh_host *h)
{
	struct sbx_mirror_dir dirs[FSSHIM_MAX_GRANTS];
	unsigned in[FSSHIM_MAX_GRANTS];
	struct fsshim *fs = &h->fs;
	const int64_t t0 = nh_mono_ns();
	char why[256];
	size_t n;
	bool userns;

	if (h->opts.own_root) {
		check_given_root(h);
		return;
	}
	n = fsshim_root_grants(fs, in);
	for (size_t k = 0; k < n; k++) {
		const struct fsshim_grant *g = &fs->grant[in[k]];

		dirs[k] = (struct sbx_mirror_dir){.host = g->host, .fd = g->given ? g->fd : 0,
		                                  .at = g->guest, .dev = (dev_t)g->dev,
		                                  .ino = (ino_t)g->ino};
	}
	if (sbx_mirror(dirs, n, &userns, why, sizeof(why)) != 0) {
		if (h->opts.trace)
			dprintf(STDERR_FILENO, "[nh] fs: no root of our own (%s): no UNIX datagram "
			        "or seqpacket sockets, no CHMOD by name\n", why);
		return;
	}
	fs->own_root = true;
	for (size_t k = 0; k < n; k++)
		fs->grant[in[k]].in_root = true;
	if (h->opts.trace)
		dprintf(STDERR_FILENO, "[nh] fs: a root of our own%s: %zu read-write grant%s "
		        "(%ld us)\n", userns ? " (in a new user namespace)" : "", n, n == 1 ? "" : "s",
		        (long)((nh_mono_ns() - t0) / 1000));
}

