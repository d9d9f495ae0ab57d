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
 * keeps the real root) and before any descriptor is adopted or the sandbox
 * applied, in a single-threaded process. Grants at "/" or beneath another
 * read-write grant's guest path are left out (in_root false: their mount
 * point would have to be made inside that grant). On success fs->own_root
 * and each mounted grant's in_root; else nothing changes but one --trace
 * line: no user namespaces (not root), a foreign image's host under qemu
 * (its confinement forbids unshare), a child image (the launcher's Landlock
 * domain forbids mounts).
 */
#include <stdio.h>
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

void fsshim_root(struct nh_host *h)
{
	struct sbx_mirror_dir dirs[FSSHIM_MAX_GRANTS];
	unsigned in[FSSHIM_MAX_GRANTS];
	struct fsshim *fs = &h->fs;
	const int64_t t0 = nh_mono_ns();
	char why[256];
	size_t n = 0;
	bool userns;

	for (unsigned i = 0; i < fs->ngrants; i++) {
		const struct fsshim_grant *g = &fs->grant[i];

		if (!g->rw || g->guest_len == 1 || beneath_rw(fs, i))
			continue;
		in[n] = i;
		dirs[n++] = (struct sbx_mirror_dir){.host = g->host, .at = g->guest,
		                                    .dev = (dev_t)g->dev, .ino = (ino_t)g->ino};
	}
	if (sbx_mirror(dirs, n, &userns, why, sizeof(why)) != 0) {
		if (h->opts.trace)
			dprintf(STDERR_FILENO, "[nh] fs: no root of our own (%s): no UNIX datagram "
			        "sockets, no CHMOD by name\n", why);
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

