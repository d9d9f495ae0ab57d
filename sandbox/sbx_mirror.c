/*
 * sbx_mirror.c - a root of the process's own, where only the directories
 * it is given exist, each at its own path.
 *
 * Why: the kernel resolves some paths with no descriptor to anchor them
 * and no Landlock right to govern them, above all a UNIX socket's address
 * (bind, connect, sendto; io_uring's CONNECT too, in the same task). A
 * process that holds a UNIX datagram socket can send to any path
 * its uid may write to (/dev/log, a notify socket), and Landlock (ABI 7)
 * does not see it. Under a root where nothing but the read-write grants
 * exists, there is nothing else to reach: the kernel enforces it.
 *
 * Contract (sandbox.h): sbx_mirror(dirs, n) runs in a single-threaded
 * process after every path it needs later is open, and before Landlock
 * (which forbids changing mounts) and seccomp (which forbids these calls):
 *   1. a new mount namespace (sbx_unshare_mount: in a new user namespace
 *      mapping our own ids when the kernel refuses it otherwise), every
 *      mount in it private, so nothing propagates back;
 *   2. a tmpfs (nosuid, nodev, noexec, 64 KiB), stacked on "/";
 *   3. for each directory, its path made in the tmpfs (mode 0755), then a
 *      recursive clone of the host directory, opened by its path in the
 *      new namespace (or by the descriptor given: a directory no path
 *      leads to) and checked to be the same directory (dev, ino: the
 *      one the caller opened before), mounted there; a file (the
 *      emulator's programs, /dev/null: host/foreign_root.c) likewise on
 *      an empty file, checked to be no directory; read-only where asked;
 *   4. the tmpfs made read-only (its mounts stay as they are);
 *   5. chroot into it, the working directory its "/": no path from the
 *      root or the working directory leads out (below, why not
 *      pivot_root).
 * A directory's path must not lie beneath another's (the caller leaves
 * such ones out: the mount point would have to be made in the grant).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sandbox.h"

#define MIRROR_SIZE "64k" /* directories only: a few hundred of them */

static int fail(char *why, size_t len, const char *fmt, ...)
{
	int e = errno;
	va_list ap;
	size_t k;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	k = strlen(why);
	snprintf(why + k, len - k, ": %s", strerror(e));
	return -1;
}

int sbx_tmpfs(const char *mode, const char *size)
{
	int fs = (int)syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC), m = -1, e;

	if (fs < 0)
		return -1;
	if (syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "mode", mode, 0) == 0 &&
	    (size == NULL || syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "size", size, 0) == 0) &&
	    syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0)
		m = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC,
		                 MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
	e = errno;
	close(fs);
	errno = e;
	return m;
}

/* Make at's directories beneath root (at absolute and clean), the last
 * one an empty file when file; the last one's parent as a descriptor, and
 * *last pointing at its name. */
static int make_path(int root, const char *at, bool file, const char **last)
{
	char part[4096];
	const char *p = at + 1;
	int dir = dup(root);

	while (dir >= 0) {
		const char *slash = strchr(p, '/');
		size_t n = slash != NULL ? (size_t)(slash - p) : strlen(p);
		int next;

		if (n == 0 || n >= sizeof(part)) {
			errno = EINVAL;
			break;
		}
		memcpy(part, p, n);
		part[n] = '\0';
		if (slash == NULL && file) {
			int f = openat(dir, part, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0444);

			if (f < 0 || close(f) != 0)
				break;
			*last = p;
			return dir;
		}
		if (mkdirat(dir, part, 0755) != 0 && errno != EEXIST)
			break;
		if (slash == NULL) {
			*last = p;
			return dir;
		}
		next = openat(dir, part, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(dir);
		dir = next;
		p = slash + 1;
	}
	if (dir >= 0) {
		int e = errno;
		close(dir);
		errno = e;
	}
	return -1;
}

/* Mount a clone of d->host at d->at beneath root. */
static int mount_one(int root, const struct sbx_mirror_dir *d, char *why, size_t len)
{
	struct mount_attr ro = {.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID};
	const char *name = NULL;
	struct stat st;
	int tree, parent, r;

	tree = (int)syscall(SYS_open_tree, d->fd > 0 ? d->fd : AT_FDCWD, d->fd > 0 ? "" : d->host,
	                    OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_SYMLINK_NOFOLLOW |
	                            (d->fd > 0 ? AT_EMPTY_PATH : 0));
	if (tree < 0)
		return fail(why, len, "clone %s", d->host);
	if (fstat(tree, &st) != 0 || S_ISDIR(st.st_mode) == d->file ||
	    (d->ino != 0 && (st.st_dev != d->dev || st.st_ino != d->ino))) {
		close(tree);
		errno = ESTALE;
		return fail(why, len, "%s is no longer the %s granted", d->host,
		            d->file ? "file" : "directory");
	}
	if (d->rdonly && syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH, &ro, sizeof(ro)) != 0) {
		close(tree);
		return fail(why, len, "make %s read-only", d->host);
	}
	if ((parent = make_path(root, d->at, d->file, &name)) < 0) {
		close(tree);
		return fail(why, len, "make %s in the new root", d->at);
	}
	r = (int)syscall(SYS_move_mount, tree, "", parent, name, MOVE_MOUNT_F_EMPTY_PATH);
	close(parent);
	close(tree);
	return r == 0 ? 0 : fail(why, len, "mount %s at %s", d->host, d->at);
}

int sbx_mirror(const struct sbx_mirror_dir *dirs, size_t n, bool *userns, char *why,
               size_t whylen)
{
	struct mount_attr ro = {.attr_set = MOUNT_ATTR_RDONLY};
	int err, root, slash, r = -1;

	if ((err = sbx_unshare_mount(userns)) != 0) {
		errno = err;
		return fail(why, whylen, "a mount namespace");
	}
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
		return fail(why, whylen, "make every mount private");
	if ((root = sbx_tmpfs("0755", MIRROR_SIZE)) < 0)
		return fail(why, whylen, "a tmpfs");
	if ((slash = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
		fail(why, whylen, "open /");
		goto out;
	}
	/* Attached on "/", where no lookup from the old root enters it. */
	err = (int)syscall(SYS_move_mount, root, "", slash, "",
	                   MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
	close(slash);
	if (err != 0) {
		fail(why, whylen, "attach the tmpfs");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (mount_one(root, &dirs[i], why, whylen) != 0)
			goto out;
	if (syscall(SYS_mount_setattr, root, "", AT_EMPTY_PATH, &ro, sizeof(ro)) != 0) {
		fail(why, whylen, "make the tmpfs read-only");
		goto out;
	}
	/* chroot, not pivot_root and a detach of the old root: the same root
	 * for every path the kernel resolves from "/" or the working directory,
	 * without the detach's wait for an RCU grace period (and pivot_root's
	 * walk over every task): this step took ~570 us, now ~205 (--trace).
	 * The process cannot leave it: before the image runs its capabilities
	 * go, and every filter forbids chroot and fchdir (the image's chdir
	 * too; the emulator's allows chdir, which leads nowhere else, since
	 * ".." at the root stays there). Descriptors opened before lead where
	 * they did, as with pivot_root: they were opened in the first
	 * namespace. */
	if (fchdir(root) != 0 || chroot(".") != 0 || chdir("/") != 0) {
		fail(why, whylen, "chroot into the tmpfs");
		goto out;
	}
	r = 0;
out:
	close(root);
	return r;
}
