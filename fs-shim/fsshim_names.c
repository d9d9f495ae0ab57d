/*
 * fsshim_names.c - NH_OP_FS_MKDIR, UNLINK, RENAME, LINK, SYMLINK, READLINK:
 * the ops that act on a name itself.
 *
 * Contract: the path's parent directory is resolved (fsshim_resolve_parent)
 * and the *at system call is made on the last name alone, so a final link
 * is never followed. In the order Linux reports them: unknown flag or mode
 * bits are -EINVAL; a path ending in "." or ".." names no entry (mkdir,
 * symlink, a new link: -EEXIST; unlink -EISDIR, rmdir and rename -EINVAL,
 * link's old path -EPERM); RENAME and LINK between two grants (or a grant
 * and the synthetic part) are -EXDEV; a grant's root is -EBUSY to remove or
 * rename and -EEXIST to create; a synthetic directory holds only what the
 * grants put there (-EEXIST for those, -ENOENT to remove something else)
 * and refuses every change with -EROFS, like a read-only grant, before any
 * system call. READLINK returns the target's bytes (not terminated, cut at
 * len; len 0 is -EINVAL); a synthetic directory or a file that is not a
 * link is -EINVAL.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"

/* Resolve the parent of the guest path (dirfd, p, len). */
static int parent_of(struct nh_host *h, uint64_t dirfd, uint64_t p, uint64_t len,
                     struct fsshim_at *at)
{
	char path[NH_PATH_MAX + 1];
	int r;

	*at = (struct fsshim_at){.grant = -1, .dirfd = -1};
	if (!h->fs.ready)
		return -NH_ENOSYS;
	if ((r = fsshim_guest_path(h, p, len, path)) < 0)
		return r;
	return fsshim_resolve_parent(h, (int64_t)dirfd, path, at);
}

/* The checks every creating op shares: 0 when the name may be made. */
static int may_create(const struct nh_host *h, const struct fsshim_at *at)
{
	if (at->dot || at->child != FSSHIM_PLAIN)
		return -NH_EEXIST;
	if (at->grant < 0 || !h->fs.grant[at->grant].rw)
		return -NH_EROFS;
	return 0;
}

/* ... and every removing op. */
static int may_remove(const struct nh_host *h, const struct fsshim_at *at)
{
	if (at->child == FSSHIM_ROOT)
		return -EBUSY; /* Linux's value, like every errno returned */
	if (at->grant < 0)
		return at->child == FSSHIM_PLAIN ? -NH_ENOENT : -NH_EROFS;
	if (!h->fs.grant[at->grant].rw)
		return -NH_EROFS;
	return 0;
}

int64_t fsshim_op_mkdir(struct nh_host *h, const uint64_t a[6])
{
	struct fsshim_at at;
	int r;

	if (a[3] & ~(uint64_t)07777)
		return -NH_EINVAL;
	if ((r = parent_of(h, a[0], a[1], a[2], &at)) == 0 && (r = may_create(h, &at)) == 0)
		r = mkdirat(at.dirfd, at.name, (mode_t)a[3]) == 0 ? 0 : -errno;
	fsshim_at_done(&at);
	return r;
}

int64_t fsshim_op_unlink(struct nh_host *h, const uint64_t a[6])
{
	bool rmdir = a[3] & NH_AT_REMOVEDIR;
	struct fsshim_at at;
	int r;

	if (a[3] & ~(uint64_t)NH_AT_REMOVEDIR)
		return -NH_EINVAL;
	if ((r = parent_of(h, a[0], a[1], a[2], &at)) == 0) {
		if (at.dot)
			r = rmdir ? -NH_EINVAL : -NH_EISDIR;
		else if ((r = may_remove(h, &at)) == 0)
			r = unlinkat(at.dirfd, at.name, rmdir ? AT_REMOVEDIR : 0) == 0 ? 0 : -errno;
	}
	fsshim_at_done(&at);
	return r;
}

/* RENAME and LINK: two parents in the same grant. */
static int two_names(struct nh_host *h, const uint64_t a[6], bool link)
{
	struct fsshim_at from, to;
	int r;

	to = (struct fsshim_at){.grant = -1, .dirfd = -1};
	if ((r = parent_of(h, a[0], a[1], a[2], &from)) < 0 ||
	    (r = parent_of(h, a[3], a[4], a[5], &to)) < 0)
		goto out;
	if (from.dot || to.dot) {
		r = link ? (from.dot ? -NH_EPERM : -NH_EEXIST) : -NH_EINVAL;
		goto out;
	}
	if (from.grant != to.grant) {
		r = -NH_EXDEV;
		goto out;
	}
	if (link) {
		if (from.child == FSSHIM_ROOT)
			r = -NH_EPERM; /* a directory */
		else if ((r = may_create(h, &to)) == 0)
			r = linkat(from.dirfd, from.name, to.dirfd, to.name, 0) == 0 ? 0 : -errno;
	} else if ((r = may_remove(h, &from)) < 0) {
		/* r says why */
	} else if (to.child == FSSHIM_ROOT) {
		r = -EBUSY;
	} else {
		r = renameat(from.dirfd, from.name, to.dirfd, to.name) == 0 ? 0 : -errno;
	}
out:
	fsshim_at_done(&from);
	fsshim_at_done(&to);
	return r;
}

int64_t fsshim_op_rename(struct nh_host *h, const uint64_t a[6])
{
	return two_names(h, a, false);
}

int64_t fsshim_op_link(struct nh_host *h, const uint64_t a[6])
{
	return two_names(h, a, true);
}

int64_t fsshim_op_symlink(struct nh_host *h, const uint64_t a[6])
{
	char target[NH_PATH_MAX + 1];
	struct fsshim_at at;
	int r;

	if ((r = fsshim_guest_path(h, a[0], a[1], target)) < 0)
		return r;
	if ((r = parent_of(h, a[2], a[3], a[4], &at)) == 0 && (r = may_create(h, &at)) == 0)
		r = symlinkat(target, at.dirfd, at.name) == 0 ? 0 : -errno;
	fsshim_at_done(&at);
	return r;
}

int64_t fsshim_op_readlink(struct nh_host *h, const uint64_t a[6])
{
	char path[NH_PATH_MAX + 1];
	struct fsshim_obj o;
	struct stat st;
	size_t len = a[4] < NH_PATH_MAX ? a[4] : NH_PATH_MAX;
	ssize_t n;
	int r;

	if (!h->fs.ready)
		return -NH_ENOSYS;
	if ((r = fsshim_guest_path(h, a[1], a[2], path)) < 0)
		return r;
	if (a[4] == 0)
		return -NH_EINVAL;
	if (!ram_writable(h, a[3], a[4]))
		return -NH_EFAULT;
	r = fsshim_resolve(h, (int64_t)a[0], path, O_PATH | O_CLOEXEC, 0, false, false, &o);
	if (r < 0)
		return r;
	if (o.fd < 0)
		return -NH_EINVAL;
	if (fsshim_fstat(o.fd, &st) != 0)
		r = -errno;
	else if (!S_ISLNK(st.st_mode))
		r = -NH_EINVAL;
	else if ((n = readlinkat(o.fd, "", (char *)(uintptr_t)a[3], len)) < 0)
		r = -errno;
	else
		r = (int)n;
	fsshim_obj_done(&o);
	return r;
}
