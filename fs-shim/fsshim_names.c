/*
 * fsshim_names.c - NH_OP_FS_MKDIR, UNLINK, RENAME, LINK, SYMLINK, READLINK:
 * the ops that act on a name itself; UMASK, the mode new names get.
 *
 * Contract: the path's parent directory is resolved (fsshim_resolve_parent)
 * and the *at system call is made on the last name alone, never with a '/'
 * after it, so a final link is never followed. In the order Linux reports
 * them: unknown flag or mode bits are -EINVAL; a path ending in "." or ".."
 * (or "/") names no entry, once the directory it names is found (else that
 * lookup's error): mkdir, symlink, a new link -EEXIST; unlink -EISDIR;
 * rmdir -EINVAL for ".", -ENOTEMPTY for "..", -EBUSY for "/"; rename
 * -EBUSY; RENAME and LINK between two grants (or a grant and the synthetic
 * part) are -EXDEV; a grant's root is -EBUSY to remove or rename and
 * -EEXIST to create; a synthetic directory holds only what the grants put
 * there, /dev/null and /etc/localtime (-EEXIST for those, -ENOENT to remove
 * something else) and refuses every change with -EROFS, like a read-only grant,
 * before any system call.
 * A name followed by '/' (Linux's rules, decided here on the name as it
 * is, not followed): MKDIR and RMDIR as without it; UNLINK -ENOENT when
 * missing, -EISDIR for a directory, else -ENOTDIR; RENAME (either side)
 * wants the source to be a directory (-ENOENT, -ENOTDIR); SYMLINK and
 * LINK's new name are -EEXIST when the name is there, else -ENOENT. LINK's
 * old path is a lookup: with a '/' or a final "." or "..", it is resolved
 * fully (a final link followed) and must be a directory, which cannot be
 * linked: -EPERM (after the new name's errors).
 * UMASK sets the host's own file-mode creation mask (umask(2), bits beyond
 * 0777 dropped, as there): the kernel applies it to what MKDIR, OPEN with
 * NH_O_CREAT and a UNIX socket's BIND make, and the launcher gets it with
 * every request that makes something (fsshim_umask: a child starts with it,
 * a socket's name is bound under it), as a process's umask is inherited.
 * READLINK returns the target's bytes (not terminated, cut at len; len 0 is
 * -EINVAL), of the /etc/localtime link served too; a synthetic directory,
 * /dev/null or a file that is not a link is -EINVAL, and so is a path
 * that wants a directory (fsshim_resolve).
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
	if (at->grant < 0 || !h->fs.grant[at->grant].rw) /* Linux: a name that is there first */
		return fsshim_at_type(at) >= 0 ? -NH_EEXIST : -NH_EROFS;
	return 0;
}

/* SYMLINK and LINK to "name/": Linux makes no file there. */
static int slash_create(const struct fsshim_at *at)
{
	int t = fsshim_at_type(at);

	return t >= 0 ? -NH_EEXIST : t;
}

/* UNLINK of "name/": Linux removes nothing. */
static int slash_unlink(const struct fsshim_at *at)
{
	int t = fsshim_at_type(at);

	if (t < 0)
		return t;
	return t == S_IFDIR ? -NH_EISDIR : -NH_ENOTDIR;
}

/* LINK of a directory: -EEXIST when the new name is there, else -EPERM. */
static int dir_link(const struct fsshim_at *to)
{
	int t = fsshim_at_type(to);

	if (t >= 0)
		return -NH_EEXIST;
	return t == -NH_ENOENT ? -NH_EPERM : t;
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
		if (at.dot && !rmdir)
			r = -NH_EISDIR;
		else if (at.dot)
			r = at.dot == FSSHIM_DOT ? -NH_EINVAL : at.dot == FSSHIM_DOTDOT ? -ENOTEMPTY : -EBUSY;
		else if ((r = may_remove(h, &at)) < 0)
			; /* r says why */
		else if (at.slash && !rmdir) /* "name/": the name is not followed */
			r = slash_unlink(&at);
		else
			r = unlinkat(at.dirfd, at.name, rmdir ? AT_REMOVEDIR : 0) == 0 ? 0 : -errno;
	}
	fsshim_at_done(&at);
	return r;
}

int64_t fsshim_op_rename(struct nh_host *h, const uint64_t a[6])
{
	struct fsshim_at from, to;
	int r;

	to = (struct fsshim_at){.grant = -1, .dirfd = -1};
	if ((r = parent_of(h, a[0], a[1], a[2], &from)) < 0 ||
	    (r = parent_of(h, a[3], a[4], a[5], &to)) < 0)
		goto out;
	if (from.grant != to.grant)
		r = -NH_EXDEV;
	else if (from.dot || to.dot)
		r = -EBUSY;
	else if ((r = may_remove(h, &from)) < 0)
		; /* r says why */
	else if (to.child == FSSHIM_ROOT)
		r = -EBUSY;
	else if ((from.slash || to.slash) && (r = fsshim_at_type(&from)) != S_IFDIR)
		r = r < 0 ? r : -NH_ENOTDIR; /* a '/' on either name: a directory moves */
	else
		r = renameat(from.dirfd, from.name, to.dirfd, to.name) == 0 ? 0 : -errno;
out:
	fsshim_at_done(&from);
	fsshim_at_done(&to);
	return r;
}

/* LINK's old path: a lookup, which comes first, as in Linux (a missing old
 * name is -ENOENT whatever the new path is). With a '/' or a final "." or
 * "..", it must resolve to a directory (*dir: then it cannot be linked);
 * otherwise its parent and name, as for the other name ops (a final link
 * not followed), and the name must be there. */
static int link_source(struct nh_host *h, const uint64_t a[6], struct fsshim_at *from, bool *dir)
{
	char path[NH_PATH_MAX + 1];
	struct fsshim_obj o;
	int r;

	*from = (struct fsshim_at){.grant = -1, .dirfd = -1};
	*dir = false;
	if (!h->fs.ready)
		return -NH_ENOSYS;
	if ((r = fsshim_guest_path(h, a[1], a[2], path)) < 0)
		return r;
	if (!fsshim_wants_dir(path)) {
		if ((r = fsshim_resolve_parent(h, (int64_t)a[0], path, from)) < 0)
			return r;
		return (r = fsshim_at_type(from)) < 0 ? r : 0;
	}
	r = fsshim_resolve(h, (int64_t)a[0], path, O_PATH | O_DIRECTORY | O_CLOEXEC, 0, true, false, &o);
	if (r < 0)
		return r;
	from->grant = o.grant;
	*dir = true;
	fsshim_obj_done(&o);
	return 0;
}

int64_t fsshim_op_link(struct nh_host *h, const uint64_t a[6])
{
	struct fsshim_at from, to;
	bool dir;
	int r;

	to = (struct fsshim_at){.grant = -1, .dirfd = -1};
	if ((r = link_source(h, a, &from, &dir)) < 0 || (r = parent_of(h, a[3], a[4], a[5], &to)) < 0)
		goto out;
	if (to.dot)
		r = -NH_EEXIST;
	else if (to.slash)
		r = slash_create(&to);
	else if ((r = may_create(h, &to)) < 0)
		; /* r says why */
	else if (from.grant != to.grant) /* Linux: a new name that is there first */
		r = fsshim_at_type(&to) >= 0 ? -NH_EEXIST : -NH_EXDEV;
	else if (dir || from.child == FSSHIM_ROOT)
		r = dir_link(&to);
	else
		r = linkat(from.dirfd, from.name, to.dirfd, to.name, 0) == 0 ? 0 : -errno;
out:
	fsshim_at_done(&from);
	fsshim_at_done(&to);
	return r;
}

int64_t fsshim_op_symlink(struct nh_host *h, const uint64_t a[6])
{
	char target[NH_PATH_MAX + 1];
	struct fsshim_at at;
	int r;

	if ((r = fsshim_guest_path(h, a[0], a[1], target)) < 0)
		return r;
	if ((r = parent_of(h, a[2], a[3], a[4], &at)) < 0)
		; /* r says why */
	else if (!at.dot && at.slash)
		r = slash_create(&at);
	else if ((r = may_create(h, &at)) == 0)
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
	if (o.link) {
		size_t tl = strlen(h->fs.localtime);

		memcpy((char *)(uintptr_t)a[3], h->fs.localtime, tl < len ? tl : len);
		return (int64_t)(tl < len ? tl : len);
	}
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

int64_t fsshim_op_umask(struct nh_host *h, const uint64_t a[6])
{
	(void)h;
	return (int64_t)umask((mode_t)(a[0] & 0777));
}

uint32_t fsshim_umask(void)
{
	mode_t m = umask(0); /* umask(2) reads the mask only by setting one */

	umask(m);
	return (uint32_t)m;
}
