/*
 * fsshim_meta.c - NH_OP_FS_STAT, CHMOD, CHOWN, TRUNCATE, UTIMENS: what a file is,
 * and changing it in place.
 *
 * Contract: each op takes (dirfd, path, pathlen, ...); pathlen 0 means the
 * handle dirfd itself (NH_AT_ROOT: "/"). A path is resolved fully (the
 * final link followed; STAT and UTIMENS with NH_AT_SYMLINK_NOFOLLOW do not
 * follow it) to a descriptor beneath its grant, and the change is made on
 * that descriptor, so nothing is looked up by name twice. STAT uses an
 * O_PATH descriptor. CHMOD, CHOWN and UTIMENS open the file for real
 * (O_RDONLY, or O_WRONLY when reading is not permitted; O_NONBLOCK so a
 * FIFO cannot hang the host) and use fchmod, fchown and futimens: an
 * O_PATH descriptor would need fchmodat2/fchownat/utimensat with
 * AT_EMPTY_PATH, which seccomp would then
 * have to allow, and Landlock checks neither O_PATH opens nor metadata
 * changes, so a hostile image could chmod or touch any file of the user.
 * With real opens, Landlock keeps it to the grants. The cost: a file that
 * is neither readable nor writable by the user cannot be touched
 * (-EACCES; root is not affected), nor can a link itself (UTIMENS with
 * NH_AT_SYMLINK_NOFOLLOW on a link: -ELOOP); nor chmod'ed, but where the
 * image has a root of its own (fsshim_root.c): there CHMOD and CHOWN fall
 * back to fchmodat/fchownat(AT_FDCWD, guest path), which reaches only the
 * read-write grants whoever calls it (CHOWN with NH_AT_SYMLINK_NOFOLLOW of
 * a link so too: the link itself). CHOWN can give a file only to the
 * image's own uid and its groups: the host holds no capability (its
 * sandbox dropped them all), so the kernel refuses anything else with
 * -EPERM, as it does an unprivileged process. TRUNCATE opens
 * the file O_WRONLY (as truncate(2) needs write permission). CHMOD,
 * CHOWN, TRUNCATE and UTIMENS beneath a read-only grant or on a synthetic
 * directory are -EROFS before the change is attempted. STAT of a synthetic
 * directory is mode S_IFDIR|0555, 2 links, a stable inode (fsshim_tree.c),
 * the host's uid/gid and its start time. A served device (/dev/null,
 * /dev/zero, ...: fsshim_io.c) stats as the host's did at start-up (a
 * character device, 0666; fsshim_grant.c); CHMOD, CHOWN and UTIMENS of it are
 * -EROFS (it lies in the read-only synthetic part), TRUNCATE -EINVAL (not
 * a regular file, as Linux). A socket, pipe or process handle (pathlen 0)
 * is in no grant: STAT is its fstat (S_IFSOCK, S_IFIFO; a process handle
 * is its channel's socket), the others what the kernel says for a socket
 * or a pipe (TRUNCATE -EINVAL). A pending UNIX socket (netstack-shim's
 * nss_unix.c: a socket handle with no kernel socket yet) stats as
 * S_IFSOCK|0777, one link, the host's uid/gid and start time (no inode:
 * dev and ino 0); CHMOD, CHOWN and UTIMENS of it are 0 (nothing to change yet,
 * as Linux's fchmod of a socket succeeds), TRUNCATE -EINVAL. A path that
 * ends in '/', "." or ".." must name a directory, a final link followed
 * (fsshim_resolve.c), also with NH_AT_SYMLINK_NOFOLLOW. Bad flags, mode
 * bits above 07777, an id other than -1 or 0..0xfffffffe, a negative size,
 * nsec outside [0, 1e9) other than NH_UTIME_NOW/OMIT are -EINVAL; a bad
 * pointer is -EFAULT.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "host.h"

/* What an op acts on: a synthetic directory, or a host fd with its grant. */
struct target {
	struct fsshim_obj o;
	bool handle;  /* o.fd belongs to a handle: not ours to close */
	bool pending; /* a pending UNIX socket handle: no host fd yet (o.fd -1) */
};

static int target_of(struct nh_host *h, const uint64_t a[6], int oflags, bool follow, bool write,
                     struct target *t)
{
	char path[NH_PATH_MAX + 1];
	int r;

	t->handle = false;
	t->pending = false;
	t->o = (struct fsshim_obj){.grant = -1, .fd = -1};
	if (!h->fs.ready)
		return -NH_ENOSYS;
	if (a[2] == 0 && (int64_t)a[0] != NH_AT_ROOT) {
		struct fsshim_handle *e = fsshim_handle(&h->fs, a[0]);

		if (e == NULL)
			return -NH_EBADF;
		t->handle = true;
		t->o.grant = e->grant;
		t->o.fd = e->fd;
		t->o.dev = e->kind == FSSHIM_CHRDEV ? e->dev : FSSHIM_DEV_NONE;
		if (t->o.dev != FSSHIM_DEV_NONE)
			return 0; /* each op says what it does with it */
		t->pending = e->kind == FSSHIM_SOCKET && e->fd < 0;
		if (e->kind == FSSHIM_SOCKET || e->kind == FSSHIM_PIPE || e->kind == FSSHIM_PROC)
			return 0; /* in no grant: the kernel answers, as for a socket or pipe */
		if (e->kind == FSSHIM_CONSOLE) /* as the console itself */
			return write ? -NH_EBADF : 0;
		if (e->kind == FSSHIM_SYNTH) {
			strcpy(t->o.guest, e->guest);
			return write ? -NH_EROFS : 0;
		}
		/* an inherited file (--inherit-fds, no grant) changes only when
		 * open for writing: its opener needed a read-write grant for that */
		if (write && (e->kind == FSSHIM_STDIN ||
		              (e->grant < 0 ? (e->acc & O_ACCMODE) == O_RDONLY
		                            : !h->fs.grant[e->grant].rw)))
			return -NH_EROFS;
		return 0;
	}
	if (a[2] == 0)
		strcpy(path, "/");
	else if ((r = fsshim_guest_path(h, a[1], a[2], path)) < 0)
		return r;
	return fsshim_resolve(h, (int64_t)a[0], path, oflags, 0, follow, write, &t->o);
}

static void target_done(struct target *t)
{
	if (!t->handle)
		fsshim_obj_done(&t->o);
}

/* A file's time in int64 nanoseconds, which say 1677 to 2262: one from
 * beyond (Linux keeps the years 1493 or 2446 that a UTIMENS sets, or an
 * archive brings) is the nearest they say, not an overflow. */
static int64_t ns(const struct timespec *ts)
{
	int64_t v;

	if (__builtin_mul_overflow((int64_t)ts->tv_sec, INT64_C(1000000000), &v) ||
	    __builtin_add_overflow(v, (int64_t)ts->tv_nsec, &v))
		return ts->tv_sec < 0 ? INT64_MIN : INT64_MAX;
	return v;
}

void fsshim_stat_out(const struct stat *st, struct nh_stat *out)
{
	*out = (struct nh_stat){
		.dev = st->st_dev,
		.ino = st->st_ino,
		.nlink = st->st_nlink,
		.mode = st->st_mode,
		.uid = st->st_uid,
		.gid = st->st_gid,
		.size = st->st_size,
		.blocks = st->st_blocks,
		.atime_ns = ns(&st->st_atim),
		.mtime_ns = ns(&st->st_mtim),
		.ctime_ns = ns(&st->st_ctim),
	};
}

/* What STAT shows for an object the shim serves itself (a synthetic
 * directory, a UNIX socket not yet made): the guest's owner, the start time. */
static struct nh_stat served_stat(const struct nh_host *h, uint64_t ino, uint32_t nlink, uint32_t mode)
{
	return (struct nh_stat){
		.ino = ino,
		.nlink = nlink,
		.mode = mode,
		.uid = h->fs.uid,
		.gid = h->fs.gid,
		.atime_ns = h->fs.t0_ns,
		.mtime_ns = h->fs.t0_ns,
		.ctime_ns = h->fs.t0_ns,
	};
}

int64_t fsshim_op_stat(struct nh_host *h, const uint64_t a[6])
{
	struct nh_stat *out = (struct nh_stat *)(uintptr_t)a[3];
	struct target t;
	struct stat st;
	int r;

	if (a[4] & ~(uint64_t)NH_AT_SYMLINK_NOFOLLOW)
		return -NH_EINVAL;
	if (!ram_writable(h, a[3], sizeof(*out)))
		return -NH_EFAULT;
	r = target_of(h, a, O_PATH | O_CLOEXEC, !(a[4] & NH_AT_SYMLINK_NOFOLLOW), false, &t);
	if (r < 0)
		return r;
	if (t.o.dev != FSSHIM_DEV_NONE) {
		*out = h->fs.dev[t.o.dev];
		return 0;
	}
	if (t.o.prog != NULL) {
		*out = t.o.prog->st;
		return 0;
	}
	if (t.o.link) {
		*out = h->fs.localtime_st;
		return 0;
	}
	if (t.pending) {
		*out = served_stat(h, 0, 1, S_IFSOCK | 0777);
		return 0;
	}
	if (t.o.fd < 0) {
		*out = served_stat(h, fsshim_synth_ino(t.o.guest, strlen(t.o.guest)), 2, S_IFDIR | 0555);
		return 0;
	}
	r = fsshim_fstat(t.o.fd, &st) == 0 ? 0 : -errno;
	target_done(&t);
	if (r < 0)
		return r;
	fsshim_stat_out(&st, out);
	return 0;
}

/* A real descriptor for a metadata change: read, else write. */
static int attr_target(struct nh_host *h, const uint64_t a[6], bool follow, struct target *t)
{
	const int common = O_NONBLOCK | O_CLOEXEC | O_NOCTTY;
	int r = target_of(h, a, O_RDONLY | common, follow, true, t);

	if (r == -NH_EACCES) {
		r = target_of(h, a, O_WRONLY | common, follow, true, t);
		if (r == -NH_EISDIR)
			r = -NH_EACCES; /* a directory it may not read: no other way in */
	}
	return r;
}

/* A change by the guest path, for a file the shim can open neither for
 * reading nor for writing (a directory made mode 0) or not at all (a link
 * itself): the kernel resolves the path in the image's own root, where
 * only the read-write grants exist (fsshim_root.c). The path is resolved
 * here first, for the shim's errnos, and its grant must be one in that
 * root; t->o.guest is then the path to give the kernel. */
static int by_name(struct nh_host *h, const uint64_t a[6], bool follow, struct target *t)
{
	int r = target_of(h, a, O_PATH | O_CLOEXEC, follow, true, t);

	if (r < 0)
		return r;
	if (t->o.grant < 0 || !h->fs.grant[t->o.grant].in_root || t->o.guest[0] != '/') {
		target_done(t);
		return -NH_EACCES;
	}
	return 0;
}

/* CHMOD's and CHOWN's change: on a real descriptor, or by name (above)
 * when the file can be opened neither way (-EACCES) or is the link itself
 * (-ELOOP, not following it). */
enum attr_change { ATTR_MODE, ATTR_OWNER };

static int64_t change_attr(struct nh_host *h, const uint64_t a[6], bool follow,
                           enum attr_change what)
{
	struct target t;
	int r = attr_target(h, a, follow, &t);
	bool named = (r == -NH_EACCES || (r == -NH_ELOOP && !follow)) && a[2] != 0 &&
	             h->fs.own_root;

	if (named && (r = by_name(h, a, follow, &t)) < 0)
		return r;
	if (r < 0)
		return r;
	if (t.o.dev != FSSHIM_DEV_NONE)
		return -NH_EROFS;
	if (t.pending)
		return 0;
	if (what == ATTR_MODE)
		r = named ? fchmodat(AT_FDCWD, t.o.guest, (mode_t)a[3], 0)
		          : fchmod(t.o.fd, (mode_t)a[3]);
	else
		r = named ? fchownat(AT_FDCWD, t.o.guest, (uid_t)a[3], (gid_t)a[4],
		                     follow ? 0 : AT_SYMLINK_NOFOLLOW)
		          : fchown(t.o.fd, (uid_t)a[3], (gid_t)a[4]);
	r = r == 0 ? 0 : -errno;
	/* EINVAL is an id the run's own user namespace does not map (it maps
	 * our own ids only: sandbox/sbx_isolate.c); without that namespace
	 * Linux refuses such a change with EPERM, and root makes it */
	if (what == ATTR_OWNER && r == -EINVAL)
		r = -NH_EPERM;
	target_done(&t);
	return r;
}

int64_t fsshim_op_chmod(struct nh_host *h, const uint64_t a[6])
{
	if (a[3] & ~(uint64_t)07777)
		return -NH_EINVAL;
	return change_attr(h, a, true, ATTR_MODE);
}

/* -1 (unchanged) or an id; (uint32_t)-1 is no id on Linux either. */
static bool valid_id(uint64_t v)
{
	return (int64_t)v == -1 || v < UINT32_MAX;
}

int64_t fsshim_op_chown(struct nh_host *h, const uint64_t a[6])
{
	if (a[5] & ~(uint64_t)NH_AT_SYMLINK_NOFOLLOW || !valid_id(a[3]) || !valid_id(a[4]))
		return -NH_EINVAL;
	return change_attr(h, a, !(a[5] & NH_AT_SYMLINK_NOFOLLOW), ATTR_OWNER);
}

int64_t fsshim_op_truncate(struct nh_host *h, const uint64_t a[6])
{
	struct target t;
	int r;

	if ((int64_t)a[3] < 0)
		return -NH_EINVAL;
	r = target_of(h, a, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, true, true, &t);
	if (r < 0)
		return r;
	if (t.o.dev != FSSHIM_DEV_NONE || t.pending)
		return -NH_EINVAL;
	do
		r = ftruncate(t.o.fd, (off_t)a[3]) == 0 ? 0 : -errno;
	while (r == -EINTR);
	target_done(&t);
	return r;
}

static bool valid_nsec(int64_t n)
{
	return (n >= 0 && n < 1000000000) || n == NH_UTIME_NOW || n == NH_UTIME_OMIT;
}

int64_t fsshim_op_utimens(struct nh_host *h, const uint64_t a[6])
{
	struct timespec ts[2] = {{0, UTIME_NOW}, {0, UTIME_NOW}};
	struct nh_timespec in[2];
	struct target t;
	bool follow = !(a[4] & NH_AT_SYMLINK_NOFOLLOW);
	int r;

	if (a[4] & ~(uint64_t)NH_AT_SYMLINK_NOFOLLOW)
		return -NH_EINVAL;
	if (a[3] != 0) {
		if (!ram_readable(h, a[3], sizeof(in)))
			return -NH_EFAULT;
		memcpy(in, (const void *)(uintptr_t)a[3], sizeof(in));
		for (int i = 0; i < 2; i++) {
			if (!valid_nsec(in[i].nsec))
				return -NH_EINVAL;
			ts[i] = (struct timespec){(time_t)in[i].sec, (long)in[i].nsec};
		}
	}
	r = attr_target(h, a, follow, &t);
	if (r < 0)
		return r;
	if (t.o.dev != FSSHIM_DEV_NONE)
		return -NH_EROFS;
	if (t.pending)
		return 0;
#if UINTPTR_MAX > UINT32_MAX
	r = syscall(SYS_utimensat, t.o.fd, NULL, ts, 0) == 0 ? 0 : -errno; /* futimens */
#else
	/* 32-bit: glibc's futimens is utimensat(fd, NULL, ts, 0) while the
	 * times fit 32 bits, utimensat_time64 (Linux >= 5.1) past them */
	r = futimens(t.o.fd, ts) == 0 ? 0 : -errno;
#endif
	target_done(&t);
	return r;
}
