/*
 * foreign_root.c - a root of the emulator's own, made by this nonehost
 * right before it execs qemu for a foreign image (foreign.c).
 *
 * Why: a native image gets a root where only its read-write grants exist
 * (fs-shim/fsshim_root.c), so that what the kernel resolves by path with no
 * descriptor and no Landlock right to govern it (a UNIX socket's address,
 * chmod by name) reaches nothing else. The foreign host cannot make one:
 * under qemu the emulator's filter forbids unshare, and a hostile guest
 * makes its system calls through qemu itself, so the root has to be in
 * place before qemu starts. Made here, it holds:
 *   - the read-write grants at their guest paths, as a native image's root
 *     (fsshim_root_grants() picks the same ones);
 *   - the emulator and the foreign host at their own paths, /dev/null,
 *     /proc/sys/vm/mmap_min_addr (qemu reads it), /proc/self/status
 *     (this process's, which qemu becomes: its layers can be read there)
 *     and each --allow-exec program (the image sees them at their paths:
 *     the launcher, outside, runs them), each a read-only file.
 * Nothing else: no read-only grant (a socket in one could be reached by
 * its address: a read-only mount does not stop connect), no /proc. The
 * foreign host gets every grant and the image as descriptors instead
 * (--dir @N:GUEST:MODE, --tmpdir @N:PATH, --image-fd N) and --own-root,
 * which it checks (fsshim_root.c) before it serves UNIX datagram and
 * seqpacket sockets and chmod by name as a native host does.
 *
 * Contract: foreign_root_fds() runs before the inherited descriptors go
 * back to 3..N-1 (their numbers are then free): it moves every grant's
 * descriptor above them and opens the image there, each kept across the
 * exec. foreign_root() runs after the Landlock rules are opened (their
 * paths are the old root's) and before layers 1-5: true when the root is
 * made; false, with why, when a path of the list lies at or beneath
 * another's, or the kernel refuses it (no user namespaces; a child image,
 * whose launcher's Landlock domain forbids mounts): the image then runs as
 * before, without one (UNIX datagram and seqpacket sockets refused, chmod
 * only through a descriptor). foreign_root_planned() is its first half
 * alone, for --policy: false, with why, for the paths; nothing is made.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"

#define ROOT_FILES 5 /* the emulator, the foreign host, /dev/null, mmap_min_addr, status */

/* *fd, not closed on exec, at a number >= lo (its old one closed). */
static void keep_above(int *fd, int lo, const char *what, const char *goarch)
{
	int to = fcntl(*fd, F_DUPFD, lo);

	if (to < 0 || close(*fd) != 0)
		nh_die_errno(NH_EXIT_USAGE, "image for %s: keep %s for the emulator", goarch, what);
	*fd = to;
}

void foreign_root_fds(struct foreign *f)
{
	struct nh_host *h = f->h;
	const int lo = h->opts.inherit_fds > 3 ? h->opts.inherit_fds : 3;

	for (unsigned i = 0; i < h->fs.ngrants; i++)
		keep_above(&h->fs.grant[i].fd, lo, "a grant's directory", f->goarch);
	char *real = realpath(h->opts.image, NULL);

	if (real == NULL || strlen(real) > NH_PATH_MAX)
		nh_die_errno(NH_EXIT_USAGE, "image for %s: the real path of %s", f->goarch,
		             h->opts.image);
	strcpy(f->image_real, real);
	free(real);
	if ((f->image_fd = open(f->image_real, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0)
		nh_die_errno(NH_EXIT_USAGE, "image for %s: open %s", f->goarch, h->opts.image);
	keep_above(&f->image_fd, lo, "the image", f->goarch);
}

/* path as a read-only file at its own path, unless listed already (a
 * program given twice, or qemu itself). */
static void add_file(struct sbx_mirror_dir *at, unsigned *m, const char *path)
{
	for (unsigned i = 0; i < *m; i++)
		if (strcmp(at[i].at, path) == 0)
			return;
	at[(*m)++] = (struct sbx_mirror_dir){.host = path, .at = path, .file = true, .rdonly = true};
}

/* The root's entries into at[] (*m of them): false, with why, when one's
 * path lies at or beneath another's. Nothing is made. */
static bool plan(struct foreign *f, struct sbx_mirror_dir *at, unsigned *m, char *why,
                 size_t len)
{
	struct nh_host *h = f->h;
	unsigned in[FSSHIM_MAX_GRANTS], n = fsshim_root_grants(&h->fs, in);

	*m = 0;
	for (unsigned k = 0; k < n; k++) {
		const struct fsshim_grant *g = &h->fs.grant[in[k]];

		at[(*m)++] = (struct sbx_mirror_dir){.host = g->host, .at = g->guest,
		                                     .dev = (dev_t)g->dev, .ino = (ino_t)g->ino};
	}
	add_file(at, m, f->qemu[0] ? f->qemu : f->qemu_name);
	add_file(at, m, f->host[0] ? f->host : f->host_want);
	add_file(at, m, "/dev/null");
	/* qemu and the hostile-guest suite do without these two */
	if (access("/proc/sys/vm/mmap_min_addr", R_OK) == 0)
		add_file(at, m, "/proc/sys/vm/mmap_min_addr");
	if (access("/proc/self/status", R_OK) == 0)
		add_file(at, m, "/proc/self/status");
	/* The granted programs, where the image sees them (fsshim_open's
	 * show_programs stats each; the launcher, outside, runs them). */
	for (unsigned k = 0; k < h->opts.nallow_exec; k++) {
		struct stat st;

		if (stat(h->opts.allow_exec[k], &st) == 0 && S_ISREG(st.st_mode))
			add_file(at, m, h->opts.allow_exec[k]);
	}
	/* Each path made in the tmpfs: one at or beneath another's would be
	 * made inside that mount, i.e. in a grant. */
	for (unsigned i = 0; i < *m; i++)
		for (unsigned j = 0; j < *m; j++)
			if (i != j && fsshim_holds(at[i].at, strlen(at[i].at), at[j].at, strlen(at[j].at))) {
				snprintf(why, len, "%s lies at or beneath %s", at[j].at, at[i].at);
				return false;
			}
	return true;
}

bool foreign_root_planned(struct foreign *f, char *why, size_t len)
{
	struct sbx_mirror_dir at[FSSHIM_MAX_GRANTS + ROOT_FILES + LAUNCH_MAX_EXEC];
	unsigned m;

	return plan(f, at, &m, why, len);
}

bool foreign_root(struct foreign *f, char *why, size_t len)
{
	struct sbx_mirror_dir at[FSSHIM_MAX_GRANTS + ROOT_FILES + LAUNCH_MAX_EXEC];
	unsigned m;
	bool userns;

	return plan(f, at, &m, why, len) && sbx_mirror(at, m, &userns, why, len) == 0;
}
