/*
 * fsshim_resolve.c - where a guest path leads: the security core.
 *
 * Contract. The host touches a file only through
 *     openat2(grant or handle fd, rel, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS)
 * or through a *at call on one name (no '/', not "." or "..") in a
 * directory opened that way; no path reaches outside a grant.
 *
 * fsshim_resolve() opens what a path names with the given O_* flags
 * (O_PATH for stat and friends, the guest's flags for OPEN); follow = false
 * leaves a final symbolic link unfollowed. write = true refuses a read-only
 * grant or a synthetic directory with -NH_EROFS before the final open.
 * A path whose last component is "." or "..", or is followed by '/', is
 * what Linux makes of it in a lookup: the final link is followed whatever
 * follow says, and it must be a directory (O_DIRECTORY: -NH_ENOTDIR).
 * A served device (/dev/null, /dev/zero, ...: fsshim.h) is an object
 * without a descriptor (dev; the caller serves it): -NH_ENOTDIR with
 * O_DIRECTORY, -NH_EEXIST with O_CREAT|O_EXCL, never -NH_EROFS (writing to
 * it is what it is for; /dev/full's -ENOSPC comes with the write). So is
 * an --allow-exec program shown at its path (prog: the caller says what
 * it is; it cannot be opened), the same way but -NH_EROFS for a write.
 * The /etc/localtime link it serves (fsshim_zone.c) is followed as any
 * link is, by the slow path, which splices its target in (the fast path
 * hands over every path that reaches it); unfollowed it is an object
 * without a descriptor (link): -NH_ELOOP to open, -NH_EROFS to change.
 * fsshim_resolve_parent() opens the directory that holds a path's last
 * name (O_PATH) and returns the name, for the ops that act on the name
 * itself; it says what the name is in the guest tree when that is known
 * lexically (a grant's root, a synthetic directory, a device, a shown
 * program). Trailing
 * slashes are taken off the name and reported (slash): the kernel never
 * sees "name/" in a *at call, where it would follow a final link; the ops
 * apply Linux's rules for them (fsshim_names.c), with fsshim_at_type()
 * saying what the name is, unfollowed. A path ending in "." or ".." (or
 * "/") names no entry (dot): the directory it names is resolved as a
 * lookup, so its errors come first (-ENOENT, -ENOTDIR, -ELOOP), as Linux.
 *
 * Fast path: the path has no ".." component and its grant has no other
 * grant beneath it. An absolute path (or one relative to NH_AT_ROOT or a
 * synthetic handle) is walked lexically through the synthetic part to the
 * grant with the longest guest prefix (exact: synthetic directories hold no
 * links), then opened beneath the grant's fd with the rest. A path relative
 * to a directory handle is opened beneath the handle's own fd (right even
 * if that directory was renamed since). If the kernel says EXDEV (a "..",
 * an absolute link, a relative link climbing out) or ELOOP (a magic link,
 * or a loop), take the slow path.
 *
 * Slow path: walk the guest path component by component from "/" (a
 * handle's stored guest path is the start of a relative one): each name is
 * opened O_PATH | O_NOFOLLOW with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS
 * beneath its grant at its canonical path; a link is read (readlinkat on
 * the O_PATH fd, empty path) and its target spliced in front of the rest;
 * an absolute target restarts at the guest's "/"; ".." pops a resolved
 * component and never climbs above "/"; a name at a grant's guest path
 * switches to that grant; more than 40 links is -NH_ELOOP. So a link to "/"
 * leads to the guest's root, and "../../etc/passwd" to the guest's
 * /etc/passwd, which does not exist unless granted.
 *
 * Errors are -errno (Linux numbering); nothing here exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "host.h"

#define BENEATH (RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS)
#define EXACT   (RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS)
#define DIRPATH (O_PATH | O_DIRECTORY | O_CLOEXEC)
#define FULL_MAX (2 * NH_PATH_MAX + 2)

static bool is_dotdot(const char *c, size_t len)
{
	return len == 2 && c[0] == '.' && c[1] == '.';
}

/*
 * openat2 for a system without it (qemu-user 7.2 says ENOSYS): rel walked
 * one name at a time, each opened with openat on the directory before it,
 * O_NOFOLLOW, so nothing but "one name in a directory opened this way" ever
 * reaches the kernel. It is stricter than openat2, never looser: ".." and
 * any symbolic link are -EXDEV under BENEATH (the caller's slow path then
 * resolves them in the guest's tree, one EXACT name at a time) and ".."
 * -EXDEV, a link -ELOOP under EXACT, as RESOLVE_NO_SYMLINKS says; a final
 * link opened O_PATH | O_NOFOLLOW is the link itself, as with openat2.
 */
int fsshim_openat_walk(int dirfd, const char *rel, int oflags, int mode, uint64_t resolve)
{
	int link_err = (resolve & RESOLVE_NO_SYMLINKS) ? -ELOOP : -EXDEV;
	int cur = dirfd, err = 0;
	const char *p = rel;

	if (!(resolve & RESOLVE_BENEATH)) { /* not ours: the unit tests' plain opens */
		int fd = openat(dirfd, rel, oflags, (mode_t)mode);

		return fd >= 0 ? fd : -errno;
	}
	if (*p == '\0')
		return -ENOENT;
	if (*p == '/')
		return -EXDEV; /* beneath dirfd, never from the root */
	for (;;) {
		char name[NAME_MAX + 1];
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		bool last = true;
		int fd;

		for (const char *q = p + len; *q != '\0'; q++)
			if (*q != '/') {
				last = false;
				break;
			}
		if (len > NAME_MAX) {
			err = -ENAMETOOLONG;
			break;
		}
		memcpy(name, p, len);
		name[len] = '\0';
		if (len == 0 || strcmp(name, ".") == 0)
			strcpy(name, ".");
		else if (is_dotdot(name, len)) {
			err = -EXDEV;
			break;
		}
		if (!last) {
			fd = openat(cur, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (fd < 0) {
				struct stat st;

				err = (errno == ENOTDIR && fstatat(cur, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
				       S_ISLNK(st.st_mode)) ? link_err : -errno;
				break;
			}
		} else {
			/* openat2 follows a final link, unless O_PATH | O_NOFOLLOW asks
			 * for the link itself, and always before a trailing '/'. */
			bool trailing = p[len] == '/';
			bool want_link = !trailing &&
			                 (oflags & (O_PATH | O_NOFOLLOW)) == (O_PATH | O_NOFOLLOW);
			struct stat st;

			fd = openat(cur, name, oflags | O_NOFOLLOW, (mode_t)mode);
			if (fd < 0) {
				int e = errno;
				bool is_link = (e == ELOOP || e == ENOTDIR) &&
				               fstatat(cur, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
				               S_ISLNK(st.st_mode);

				if (!is_link)
					err = -e;
				else if ((oflags & O_NOFOLLOW) && !(oflags & O_PATH) && !trailing)
					err = -ELOOP; /* as openat2 says for O_NOFOLLOW */
				else
					err = link_err;
				break;
			}
			if (!want_link && fstat(fd, &st) == 0 && S_ISLNK(st.st_mode)) {
				close(fd);
				err = link_err;
				break;
			}
		}
		if (cur != dirfd)
			close(cur);
		cur = fd;
		if (last)
			return cur;
		p += len;
		while (*p == '/')
			p++;
	}
	if (cur != dirfd)
		close(cur);
	return err;
}

int fsshim_openat2(int dirfd, const char *rel, int oflags, int mode, uint64_t resolve)
{
	struct open_how how = {
		.flags = (uint64_t)(unsigned)oflags,
		.mode = (oflags & O_CREAT) ? (uint64_t)mode : 0,
		.resolve = resolve,
	};

	for (int tries = 0;; tries++) {
		long fd = syscall(SYS_openat2, dirfd, rel, &how, sizeof(how));

		if (fd >= 0)
			return (int)fd;
		if (errno == ENOSYS)
			return fsshim_openat_walk(dirfd, rel, oflags, mode, resolve);
		/* EAGAIN: a rename raced with a ".." beneath; try again a few times */
		if (errno == EINTR || (errno == EAGAIN && tries < 8))
			continue;
		return -errno;
	}
}

bool fsshim_wants_dir(const char *path)
{
	size_t n = strlen(path), s = n;

	if (n > 0 && path[n - 1] == '/')
		return true;
	while (s > 0 && path[s - 1] != '/')
		s--;
	return (n - s == 1 && path[s] == '.') || is_dotdot(path + s, n - s);
}

static bool has_dotdot(const char *p)
{
	while (*p != '\0') {
		size_t len = strcspn(p, "/");

		if (is_dotdot(p, len))
			return true;
		p += len;
		p += strspn(p, "/");
	}
	return false;
}

size_t fsshim_clean(const char *in, char *out, size_t outsz)
{
	size_t n = 0;
	const char *p = in;

	if (outsz < 2)
		return 0;
	out[n++] = '/';
	for (;;) {
		size_t len;

		p += strspn(p, "/");
		if (*p == '\0')
			break;
		len = strcspn(p, "/");
		if (len == 1 && p[0] == '.') {
			p += len;
			continue;
		}
		if (is_dotdot(p, len)) {
			while (n > 1 && out[n - 1] != '/')
				n--;
			if (n > 1)
				n--;
			p += len;
			continue;
		}
		if (n > 1) {
			if (n + 1 >= outsz)
				return 0;
			out[n++] = '/';
		}
		if (n + len >= outsz)
			return 0;
		memcpy(out + n, p, len);
		n += len;
		p += len;
	}
	out[n] = '\0';
	return n;
}

/* out = dir + "/" + name, for canonical guest paths. */
static int join(const char *dir, size_t dlen, const char *name, size_t len, char *out)
{
	size_t n = dlen == 1 ? 0 : dlen;

	if (n + 1 + len > NH_PATH_MAX)
		return -NH_ENAMETOOLONG;
	memcpy(out, dir, n);
	out[n] = '/';
	memcpy(out + n + 1, name, len);
	out[n + 1 + len] = '\0';
	return (int)(n + 1 + len);
}

/* p (canonical, inside grant g) relative to the grant's root. */
static const char *rel_in(const struct fsshim_grant *gr, const char *p, size_t n)
{
	if (n == gr->guest_len)
		return ".";
	return p + gr->guest_len + (gr->guest_len == 1 ? 0 : 1);
}

/* Open canonical guest path p of grant g: every component is a real
 * directory or the final object, so no link needs following. */
static int open_canonical(const struct fsshim *fs, int g, const char *p, size_t n, int oflags,
                          int mode)
{
	const struct fsshim_grant *gr = &fs->grant[g];

	return fsshim_openat2(gr->fd, rel_in(gr, p, n), oflags, mode, EXACT);
}

/* The slow path's state: the canonical guest directory reached, the final
 * name ("" when the path names cur itself) and whether a '/' followed it
 * (then it must be a directory, which the caller checks: with O_CREAT
 * Linux says -EISDIR whatever is there), and two splice buffers. */
struct walk {
	char cur[NH_PATH_MAX + 1];
	size_t curlen;
	char name[FSSHIM_NAME_MAX + 1];
	bool slash;
	char buf[2][FULL_MAX];
};

static void set_cur(struct walk *w, const char *p, size_t n)
{
	memmove(w->cur, p, n);
	w->cur[n] = '\0';
	w->curlen = n;
}

static void pop_cur(struct walk *w)
{
	while (w->curlen > 1 && w->cur[w->curlen - 1] != '/')
		w->curlen--;
	if (w->curlen > 1)
		w->curlen--;
	w->cur[w->curlen] = '\0';
}

static int stop_at(struct walk *w, const char *c, size_t len, bool slash)
{
	memcpy(w->name, c, len);
	w->name[len] = '\0';
	w->slash = slash;
	return 0;
}

/* Splice the target of a link in front of after: the link open as fd,
 * or (fd -1) the one served at /etc/localtime. */
static int splice_link(const struct fsshim *fs, struct walk *w, int fd, const char *after,
                       char **rest, int *which)
{
	char *nb = w->buf[*which ^ 1];
	size_t al = strlen(after);
	ssize_t tl;

	if (fd < 0) {
		tl = (ssize_t)strlen(fs->localtime);
		memcpy(nb, fs->localtime, (size_t)tl);
	} else if ((tl = readlinkat(fd, "", nb, NH_PATH_MAX + 1)) < 0) {
		return -errno;
	}
	if (tl > NH_PATH_MAX || (size_t)tl + al + 1 > FULL_MAX)
		return -NH_ENAMETOOLONG;
	if (tl == 0)
		return -NH_ENOENT;
	memcpy(nb + tl, after, al + 1); /* after is "" or starts with '/' */
	if (nb[0] == '/')
		set_cur(w, "/", 1);
	*rest = nb;
	*which ^= 1;
	return 0;
}

static int walk(const struct fsshim *fs, const char *path, bool follow_last, struct walk *w)
{
	char cand[NH_PATH_MAX + 1], *rest = w->buf[0];
	unsigned links = 0;
	int which = 0;
	size_t plen = strlen(path);

	if (plen >= FULL_MAX)
		return -NH_ENAMETOOLONG;
	memcpy(rest, path, plen + 1);
	set_cur(w, "/", 1);
	w->name[0] = '\0';
	w->slash = false;
	for (;;) {
		size_t len;
		const char *after;
		bool last, slash;
		struct stat st;
		int cl, g, fd, r, k;

		rest += strspn(rest, "/");
		if (*rest == '\0')
			return 0;
		len = strcspn(rest, "/");
		after = rest + len;
		last = after[strspn(after, "/")] == '\0';
		slash = *after == '/';
		if (len == 1 && rest[0] == '.') {
			rest += len;
			continue;
		}
		if (is_dotdot(rest, len)) {
			pop_cur(w);
			rest += len;
			continue;
		}
		if (len > FSSHIM_NAME_MAX)
			return -NH_ENAMETOOLONG;
		cl = join(w->cur, w->curlen, rest, len, cand);
		if (cl < 0)
			return cl;
		if (last && !follow_last && !slash)
			return stop_at(w, rest, len, false);
		g = fsshim_grant_of(fs, cand, (size_t)cl);
		if (g < 0) {
			if (fsshim_synth_dir(fs, cand, (size_t)cl)) {
				set_cur(w, cand, (size_t)cl);
				rest += len;
				continue;
			}
			k = fsshim_served(fs, cand, (size_t)cl);
			if (k == FSSHIM_SERVED_LINK) {
				r = ++links > FSSHIM_MAX_LINKS ? -NH_ELOOP
				                               : splice_link(fs, w, -1, after, &rest, &which);
				if (r < 0)
					return r;
				continue;
			}
			if (k >= 0)
				return last ? stop_at(w, rest, len, slash) : -NH_ENOTDIR;
			return last ? stop_at(w, rest, len, slash) : -NH_ENOENT;
		}
		fd = open_canonical(fs, g, cand, (size_t)cl, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
		if (fd < 0)
			return fd == -NH_ENOENT && last ? stop_at(w, rest, len, slash) : fd;
		if (fsshim_fstat(fd, &st) != 0) {
			r = -errno;
			close(fd);
			return r;
		}
		if (S_ISLNK(st.st_mode)) {
			r = ++links > FSSHIM_MAX_LINKS ? -NH_ELOOP
			                               : splice_link(fs, w, fd, after, &rest, &which);
			close(fd);
			if (r < 0)
				return r;
			continue;
		}
		close(fd);
		if (last)
			return stop_at(w, rest, len, slash);
		if (!S_ISDIR(st.st_mode))
			return -NH_ENOTDIR;
		set_cur(w, cand, (size_t)cl);
		rest += len;
	}
}

/* full = a b c, cut at FULL_MAX - 1 bytes as snprintf would cut it. By
 * hand: every path operation makes its whole path here, and snprintf is
 * the slow way to put strings together (musl's: a twentieth of the host's
 * time on small files). */
static void put_full(char *full, const char *a, const char *b, const char *c)
{
	const char *part[3] = {a, b, c};
	size_t n = 0;

	for (int i = 0; i < 3; i++)
		for (const char *q = part[i]; *q != '\0' && n < FULL_MAX - 1; q++)
			full[n++] = *q;
	full[n] = '\0';
}

/* Where a path starts: full gets the whole guest path (the base's guest
 * path joined with path); *hd the directory handle it is relative to, if
 * any (the fast path opens beneath its fd). */
static int base_of(struct fsshim *fs, int64_t dirfd, const char *path, char *full,
                   const struct fsshim_handle **hd)
{
	const struct fsshim_handle *e;

	*hd = NULL;
	for (const char *c = path + strspn(path, "/"); *c != '\0'; c += strspn(c, "/")) {
		size_t len = strcspn(c, "/");

		if (len > FSSHIM_NAME_MAX)
			return -NH_ENAMETOOLONG; /* before the tree is looked at, as Linux */
		c += len;
	}
	if (path[0] == '/' || dirfd == NH_AT_ROOT) {
		put_full(full, path[0] == '/' ? "" : "/", path, "");
		return 0;
	}
	e = dirfd >= 0 ? fsshim_handle(fs, (uint64_t)dirfd) : NULL;
	if (e == NULL)
		return -NH_EBADF;
	if (e->kind != FSSHIM_DIRH && e->kind != FSSHIM_SYNTH)
		return -NH_ENOTDIR;
	put_full(full, e->guest, "/", path);
	if (e->kind == FSSHIM_DIRH)
		*hd = e;
	return 0;
}

static bool retry_slow(int r)
{
	return r == -NH_EXDEV || r == -NH_ELOOP;
}

/* A name in a synthetic directory that is not there: a write is refused
 * as a write, a read finds nothing; beneath a device, -ENOTDIR. */
static int missing(const struct fsshim *fs, const char *p, size_t n, bool write)
{
	char parent[NH_PATH_MAX + 1];
	size_t k = n;

	if (fsshim_in_served(fs, p, n))
		return -NH_ENOTDIR;

	while (k > 1 && p[k - 1] != '/')
		k--;
	if (k > 1)
		k--;
	memcpy(parent, p, k);
	parent[k] = '\0';
	return write && fsshim_synth_dir(fs, parent, k) ? -NH_EROFS : -NH_ENOENT;
}

/* The served object k (fsshim_served), for a lookup with these flags:
 * a device is written to as well; a granted program is the host's, which
 * is no image's to change (-EROFS, as the synthetic part around it); so is
 * the /etc/localtime link, reached here only unfollowed: -ELOOP to open
 * (O_NOFOLLOW), itself for O_PATH (STAT, READLINK). */
static int served_obj(const struct fsshim *fs, int k, int oflags, bool write,
                      struct fsshim_obj *o)
{
	if (oflags & O_DIRECTORY)
		return -NH_ENOTDIR;
	if ((oflags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		return -NH_EEXIST;
	if (k == FSSHIM_SERVED_LINK) {
		if (write)
			return -NH_EROFS;
		if (!(oflags & O_PATH))
			return -NH_ELOOP;
		o->link = true;
		return 0;
	}
	if (k >= FSSHIM_SERVED_DEV) {
		o->dev = (uint8_t)(k - FSSHIM_SERVED_DEV);
		return 0;
	}
	if (write)
		return -NH_EROFS;
	o->prog = &fs->prog[k - 1];
	return 0;
}

/* The path without ".." (wants_dir: O_DIRECTORY is in fl and a final link
 * is followed, so the lexically clean path means what the guest's did). */
/* An object the resolution opened itself (fd, or -errno to pass on). */
static int own_obj(struct fsshim_obj *o, int g, int fd)
{
	if (fd < 0)
		return fd;
	o->grant = g;
	o->fd = fd;
	o->own = true;
	return 0;
}

static int fast_obj(struct fsshim *fs, const char *path, const char *full,
                    const struct fsshim_handle *hd, int fl, int mode, bool write,
                    struct fsshim_obj *o)
{
	const struct fsshim_grant *gr;
	size_t n = fsshim_clean(full, o->guest, sizeof(o->guest));
	int g, fd, k;

	if (n == 0)
		return -NH_ENAMETOOLONG;
	if (hd != NULL) {
		gr = &fs->grant[hd->grant];
		if (gr->nested)
			return -NH_EXDEV;
		if (write && !gr->rw)
			return -NH_EROFS;
		fd = fsshim_openat2(hd->fd, path, fl, mode, BENEATH);
		g = hd->grant;
	} else {
		g = fsshim_grant_of(fs, o->guest, n);
		if (g < 0) {
			if (fsshim_through_link(fs, o->guest, n))
				return -NH_EXDEV; /* the slow path follows it (or not) */
			if ((k = fsshim_served(fs, o->guest, n)) >= 0)
				return served_obj(fs, k, fl, write, o);
			if (!fsshim_synth_dir(fs, o->guest, n))
				return missing(fs, o->guest, n, write);
			return write ? -NH_EROFS : 0; /* grant -1: synthetic */
		}
		gr = &fs->grant[g];
		if (gr->nested)
			return -NH_EXDEV;
		if (write && !gr->rw)
			return -NH_EROFS;
		fd = fsshim_openat2(gr->fd, rel_in(gr, o->guest, n), fl, mode, BENEATH);
	}
	return own_obj(o, g, fd);
}

static int slow_obj(struct fsshim *fs, const char *full, int oflags, int mode, bool follow,
                    bool write, struct fsshim_obj *o)
{
	struct walk w;
	int r = walk(fs, full, follow, &w), g, cl, pfd, fd, k;

	if (r < 0)
		return r;
	if (w.slash && (oflags & O_CREAT)) /* "name/", maybe from a link's target */
		return -NH_EISDIR;
	if (w.slash)
		oflags |= O_DIRECTORY;
	if (w.name[0] == '\0') { /* the path names a directory reached: cur */
		strcpy(o->guest, w.cur);
		g = fsshim_grant_of(fs, w.cur, w.curlen);
		if (g < 0)
			return write ? -NH_EROFS : 0;
		if (write && !fs->grant[g].rw)
			return -NH_EROFS;
		fd = open_canonical(fs, g, w.cur, w.curlen, oflags, mode);
	} else {
		cl = join(w.cur, w.curlen, w.name, strlen(w.name), o->guest);
		if (cl < 0)
			return cl;
		g = fsshim_grant_of(fs, o->guest, (size_t)cl);
		if (g < 0) {
			if ((k = fsshim_served(fs, o->guest, (size_t)cl)) >= 0)
				return served_obj(fs, k, oflags, write, o);
			if (!fsshim_synth_dir(fs, o->guest, (size_t)cl))
				return write ? -NH_EROFS : -NH_ENOENT;
			return write ? -NH_EROFS : 0;
		}
		if (write && !fs->grant[g].rw)
			return -NH_EROFS;
		if (fs->grant[g].guest_len == (size_t)cl) { /* a grant's root */
			fd = fsshim_openat2(fs->grant[g].fd, ".", oflags, mode, EXACT);
		} else {
			pfd = open_canonical(fs, g, w.cur, w.curlen, DIRPATH, 0);
			if (pfd < 0)
				return pfd;
			fd = fsshim_openat2(pfd, w.name, oflags | O_NOFOLLOW, mode, EXACT);
			close(pfd);
		}
	}
	return own_obj(o, g, fd);
}

int fsshim_resolve(struct nh_host *h, int64_t dirfd, const char *path, int oflags, int mode,
                   bool follow, bool write, struct fsshim_obj *o)
{
	struct fsshim *fs = &h->fs;
	const struct fsshim_handle *hd;
	char full[FULL_MAX];
	int r;

	*o = (struct fsshim_obj){.grant = -1, .fd = -1};
	r = base_of(fs, dirfd, path, full, &hd);
	if (r < 0)
		return r;
	if (fsshim_wants_dir(path)) {
		follow = true;
		oflags |= O_DIRECTORY;
	}
	if (!has_dotdot(path)) {
		r = fast_obj(fs, path, full, hd, oflags | (follow ? 0 : O_NOFOLLOW), mode, write, o);
		if (!retry_slow(r))
			return r;
	}
	return slow_obj(fs, full, oflags, mode, follow, write, o);
}

void fsshim_obj_done(struct fsshim_obj *o)
{
	if (o->own && o->fd >= 0)
		close(o->fd);
	o->fd = -1;
	o->own = false;
}

/* What cand (canonical, length n) is in the guest tree, lexically. */
static enum fsshim_child child_kind(const struct fsshim *fs, const char *cand, size_t n)
{
	int g = fsshim_grant_of(fs, cand, n), k;

	if (g >= 0 && fs->grant[g].guest_len == n)
		return FSSHIM_ROOT;
	if (g >= 0)
		return FSSHIM_PLAIN;
	if ((k = fsshim_served(fs, cand, n)) >= 0)
		return k == FSSHIM_SERVED_LINK  ? FSSHIM_LINK
		       : k >= FSSHIM_SERVED_DEV ? FSSHIM_DEVICE
		                                : FSSHIM_PROGRAM;
	return fsshim_synth_dir(fs, cand, n) ? FSSHIM_SYNTHDIR : FSSHIM_PLAIN;
}

static int fast_parent(struct fsshim *fs, const char *path, size_t s, const char *full,
                       const struct fsshim_handle *hd, struct fsshim_at *at)
{
	char clean[NH_PATH_MAX + 1], prel[NH_PATH_MAX + 1];
	const struct fsshim_grant *gr;
	size_t n = fsshim_clean(full, clean, sizeof(clean)), k;
	int g, fd;

	if (n == 0)
		return -NH_ENAMETOOLONG;
	k = n; /* the parent of clean */
	while (k > 1 && clean[k - 1] != '/')
		k--;
	if (k > 1)
		k--;
	memcpy(at->guest, clean, k);
	at->guest[k] = '\0';
	if (hd != NULL) {
		gr = &fs->grant[hd->grant];
		if (gr->nested)
			return -NH_EXDEV;
		at->grant = hd->grant;
		if (s == 0) {
			at->dirfd = hd->fd;
			return 0;
		}
		memcpy(prel, path, s);
		prel[s] = '\0';
		fd = fsshim_openat2(hd->fd, prel, DIRPATH, 0, BENEATH);
	} else {
		g = fsshim_grant_of(fs, at->guest, k);
		if (g < 0) {
			if (fsshim_through_link(fs, at->guest, k))
				return -NH_EXDEV; /* the slow path follows it */
			if (!fsshim_synth_dir(fs, at->guest, k))
				return fsshim_in_served(fs, at->guest, k) ? -NH_ENOTDIR : -NH_ENOENT;
			at->child = child_kind(fs, clean, n);
			return 0;
		}
		gr = &fs->grant[g];
		if (gr->nested)
			return -NH_EXDEV;
		at->grant = g;
		if (k == gr->guest_len) {
			at->dirfd = gr->fd;
			return 0;
		}
		fd = fsshim_openat2(gr->fd, rel_in(gr, at->guest, k), DIRPATH, 0, BENEATH);
	}
	if (fd < 0)
		return fd;
	at->dirfd = fd;
	at->own = true;
	return 0;
}

static int slow_parent(struct fsshim *fs, const char *full, struct fsshim_at *at)
{
	char cand[NH_PATH_MAX + 1];
	struct walk w;
	int r = walk(fs, full, false, &w), cl, fd;

	if (r < 0)
		return r;
	if (w.name[0] == '\0') { /* cannot happen: the last name ends the walk */
		at->dot = FSSHIM_DOT;
		return 0;
	}
	strcpy(at->name, w.name);
	strcpy(at->guest, w.cur);
	cl = join(w.cur, w.curlen, w.name, strlen(w.name), cand);
	if (cl < 0)
		return cl;
	at->child = child_kind(fs, cand, (size_t)cl);
	at->grant = fsshim_grant_of(fs, w.cur, w.curlen);
	if (at->grant < 0)
		return 0;
	fd = open_canonical(fs, at->grant, w.cur, w.curlen, DIRPATH, 0);
	if (fd < 0)
		return fd;
	at->dirfd = fd;
	at->own = true;
	return 0;
}

/* A path ending in "." or ".." (or "/"): the directory it names must be
 * there, as for a lookup; at->grant is its grant. */
static int dot_dir(struct nh_host *h, int64_t dirfd, const char *path, struct fsshim_at *at)
{
	struct fsshim_obj o;
	int r = fsshim_resolve(h, dirfd, path, DIRPATH, 0, true, false, &o);

	if (r < 0)
		return r;
	at->grant = o.grant;
	fsshim_obj_done(&o);
	return 0;
}

int fsshim_resolve_parent(struct nh_host *h, int64_t dirfd, const char *path, struct fsshim_at *at)
{
	struct fsshim *fs = &h->fs;
	const struct fsshim_handle *hd;
	char full[FULL_MAX], trimmed[NH_PATH_MAX + 1];
	size_t n = strlen(path), s, len;
	int r;

	*at = (struct fsshim_at){.grant = -1, .dirfd = -1};
	while (n > 1 && path[n - 1] == '/')
		n--;
	for (s = n; s > 0 && path[s - 1] != '/'; s--)
		;
	len = n - s;
	if (len == 0 || (len == 1 && path[s] == '.') || is_dotdot(path + s, len)) {
		at->dot = len == 0 ? FSSHIM_ROOTDIR : len == 1 ? FSSHIM_DOT : FSSHIM_DOTDOT;
		return dot_dir(h, dirfd, path, at);
	}
	if (len > FSSHIM_NAME_MAX)
		return -NH_ENAMETOOLONG;
	memcpy(at->name, path + s, len);
	at->name[len] = '\0';
	at->slash = path[n] != '\0';
	memcpy(trimmed, path, n); /* the name alone ends the path that is walked */
	trimmed[n] = '\0';
	r = base_of(fs, dirfd, trimmed, full, &hd);
	if (r < 0)
		return r;
	if (!has_dotdot(trimmed)) {
		r = fast_parent(fs, trimmed, s, full, hd, at);
		if (!retry_slow(r))
			return r;
		fsshim_at_done(at);
		at->grant = -1;
		at->child = FSSHIM_PLAIN;
	}
	return slow_parent(fs, full, at);
}

int fsshim_at_type(const struct fsshim_at *at)
{
	struct stat st;
	int fd, r;

	if (at->child == FSSHIM_ROOT || at->child == FSSHIM_SYNTHDIR)
		return S_IFDIR;
	if (at->child == FSSHIM_DEVICE)
		return S_IFCHR;
	if (at->child == FSSHIM_PROGRAM)
		return S_IFREG;
	if (at->child == FSSHIM_LINK)
		return S_IFLNK;
	if (at->grant < 0 || at->dot)
		return -NH_ENOENT;
	fd = fsshim_openat2(at->dirfd, at->name, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0, EXACT);
	if (fd < 0)
		return fd;
	r = fsshim_fstat(fd, &st) == 0 ? (int)(st.st_mode & S_IFMT) : -errno;
	close(fd);
	return r;
}

void fsshim_at_done(struct fsshim_at *at)
{
	if (at->own && at->dirfd >= 0)
		close(at->dirfd);
	at->dirfd = -1;
	at->own = false;
}
