/*
 * fsshim_io.c - NH_OP_FS_OPEN, CLOSE, READ, WRITE, PREAD, PWRITE, SEEK,
 * FSYNC, DUP, FLOCK: handles and their bytes.
 *
 * Contract:
 *   open(dirfd, path, len, flags, mode)  flags NH_O_* (unknown bits, a bad
 *          access mode: -EINVAL), mode & ~07777: -EINVAL; -EMFILE when
 *          --max-files handles are open (checked before anything is
 *          opened); a write (O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_APPEND)
 *          beneath a read-only grant or in a synthetic directory is -EROFS
 *          before any system call. The host opens with O_CLOEXEC|O_NOCTTY
 *          (fsshim_resolve.c); a synthetic directory opens as a handle with
 *          no host fd. With O_CREAT, a path that ends in '/' is -EISDIR and
 *          one that ends in "." or ".." -EISDIR (-EEXIST with O_EXCL) once
 *          its directory is found, as Linux: nothing is made. Returns the
 *          lowest free handle >= 3.
 *          The devices (/dev/null, /dev/zero, /dev/full, /dev/random,
 *          /dev/urandom, each unless a grant holds it: fsshim.h) are served
 *          here, with no host fd: any access mode, O_CREAT and O_TRUNC are
 *          fine, O_EXCL with O_CREAT is -EEXIST, O_DIRECTORY -ENOTDIR. READ
 *          and PREAD: null 0, zero and full len zero bytes (at most
 *          Linux's MAX_RW_COUNT), random and urandom the host's
 *          getrandom(2), at most DEV_RANDOM_MAX bytes a call (a short read);
 *          WRITE and PWRITE len, full's -ENOSPC (the buffer checked all the
 *          same); SEEK 0, FSYNC -EINVAL, reading a write-only one or
 *          writing a read-only one -EBADF, as Linux's.
 *   close(fd)   0; handle 0 (stdin) is forgotten, the host's fd 0 stays.
 *   read/write(fd, buf, len), pread/pwrite(fd, buf, len, offset)
 *          the buffer must be writable (read) or readable (write) guest
 *          RAM: -EFAULT; a negative offset is -EINVAL; EINTR is retried;
 *          a partial count is returned as it is. stdin reads only (and may
 *          block); a synthetic directory is -EISDIR.
 *   seek(fd, offset, whence 0|1|2)  the new offset; another whence: -EINVAL.
 *   fsync(fd)   0; a synthetic directory has nothing to sync.
 *   flock(fd, how NH_LOCK_SH|EX|UN)  flock(2) of the host descriptor,
 *               LOCK_NB always (a conflicting lock: -EAGAIN); another how
 *               is -EINVAL; a handle with no host descriptor (a synthetic
 *               directory, a device, a pending UNIX socket) -ENOLCK.
 *   dup(fd)     a new handle (lowest free, counted against --max-files) of
 *               the same kind for the same open file: its own host
 *               descriptor (F_DUPFD_CLOEXEC at the descriptor floor), or none
 *               for a device and a synthetic directory; a socket's is
 *               nss_dup's (not registered with NET_POLL; a pending UNIX
 *               socket, with no host descriptor yet, is -EINVAL). Of the
 *               console (1 or 2, unless closed): a CONSOLE handle
 *               (fsshim.h), the host's 1 or 2 duplicated.
 * A socket handle (netstack-shim): CLOSE is nss_close, READ and WRITE are
 * nss_read and nss_write (non-blocking recv and send); PREAD, PWRITE and
 * SEEK are -ESPIPE, FSYNC -EINVAL, as Linux's for a socket.
 * A pipe handle (host/proc.c): READ and WRITE are read(2) and write(2) on
 * its non-blocking descriptor (-EAGAIN when empty or full, -EPIPE without
 * a reader: SIGPIPE is ignored); PREAD, PWRITE and SEEK -ESPIPE, FSYNC
 * -EINVAL, as Linux's for a pipe. A process handle: READ, WRITE, PREAD,
 * PWRITE and FSYNC -EINVAL, SEEK -ESPIPE (as for a pidfd). CLOSE of either
 * drops its NET_POLL registration (nss_unwatch), then closes; DUP is
 * proc_dup's (a process handle's copy carries the status if it came).
 * A bad handle is -EBADF. Nothing here allocates or exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"

#define WRITES (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND)

static bool is_dir(int fd)
{
	struct stat st;

	return fsshim_fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
}

/* OPEN with O_CREAT of a path that wants a directory: Linux creates
 * nothing; the directory (or the name's parent) must be there first. */
static int create_dir(struct nh_host *h, int64_t dirfd, const char *path, int oflags)
{
	struct fsshim_at at;
	int r = fsshim_resolve_parent(h, dirfd, path, &at);

	if (r == 0)
		r = at.dot && (oflags & O_EXCL) ? -NH_EEXIST : -NH_EISDIR;
	fsshim_at_done(&at);
	return r;
}

int64_t fsshim_op_open(struct nh_host *h, const uint64_t a[6])
{
	struct fsshim *fs = &h->fs;
	char path[NH_PATH_MAX + 1];
	struct fsshim_obj o;
	int oflags, slot, r;
	bool follow;

	if (!fs->ready)
		return -NH_ENOSYS;
	if ((r = fsshim_open_flags(a[3], &oflags)) < 0)
		return r;
	if (a[4] & ~(uint64_t)07777)
		return -NH_EINVAL;
	if ((r = fsshim_guest_path(h, a[1], a[2], path)) < 0)
		return r;
	if ((slot = fsshim_handle_alloc(fs)) < 0)
		return slot;
	if ((oflags & O_CREAT) && fsshim_wants_dir(path))
		return create_dir(h, (int64_t)a[0], path, oflags);
	/* Linux follows a final link except with O_NOFOLLOW, or O_CREAT|O_EXCL. */
	follow = !(oflags & O_NOFOLLOW) && (oflags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL);
	r = fsshim_resolve(h, (int64_t)a[0], path, oflags & ~O_NOFOLLOW, (int)a[4], follow,
	                   (oflags & WRITES) != 0, &o);
	if (r < 0)
		return r;
	if (o.prog != NULL)
		return -NH_EACCES; /* a granted program is there to run, not to read */
	if (o.dev != FSSHIM_DEV_NONE) {
		fsshim_handle_set(fs, slot, FSSHIM_CHRDEV, -1, -1, NULL);
		fs->handle[slot].acc = (uint8_t)(oflags & O_ACCMODE);
		fs->handle[slot].dev = o.dev;
	} else if (o.grant < 0) {
		fsshim_handle_set(fs, slot, FSSHIM_SYNTH, -1, -1, o.guest);
	} else {
		fsshim_handle_set(fs, slot, is_dir(o.fd) ? FSSHIM_DIRH : FSSHIM_FILE, o.fd, o.grant,
		                  o.guest);
	}
	return slot;
}

int64_t fsshim_op_close(struct nh_host *h, const uint64_t a[6])
{
	struct fsshim_handle *e = fsshim_handle(&h->fs, a[0]);

	if (a[0] == 1 || a[0] == 2)
		return hook_console_close(h, a[0]);
	if (e == NULL)
		return -NH_EBADF;
	if (e->kind == FSSHIM_FILE || e->kind == FSSHIM_DIRH || e->kind == FSSHIM_CONSOLE)
		close(e->fd); /* the descriptor is gone even when close reports an error */
	if (e->kind == FSSHIM_SOCKET)
		nss_close(h, (unsigned)a[0]);
	if (e->kind == FSSHIM_PIPE || e->kind == FSSHIM_PROC) {
		nss_unwatch(h, (unsigned)a[0]);
		close(e->fd);
	}
	if (e->kind == FSSHIM_STDIN) {
		nss_unwatch(h, (unsigned)a[0]);
		if (e->fd != STDIN_FILENO)
			close(e->fd); /* a DUP's; descriptor 0 itself stays open */
	}
	fsshim_handle_free(&h->fs, (int)a[0]);
	return 0;
}

/* The host fd behind a handle for byte I/O, or -errno; DEV_FD for a
 * served device. */
#define DEV_FD INT_MAX

static int io_fd(struct nh_host *h, uint64_t fd, bool write)
{
	struct fsshim_handle *e = fsshim_handle(&h->fs, fd);

	if (e == NULL || (write && e->kind == FSSHIM_STDIN))
		return -NH_EBADF;
	if (e->kind == FSSHIM_SYNTH)
		return -NH_EISDIR;
	if (e->kind == FSSHIM_CHRDEV)
		return e->acc == (write ? O_RDONLY : O_WRONLY) ? -NH_EBADF : DEV_FD;
	return e->fd;
}

static int64_t ret(ssize_t n)
{
	return n < 0 ? -errno : (int64_t)n;
}

/* Standard input, watched by the guest (NET_POLL), has nothing to read:
 * the guest waits in its poller (os does, GOOS=none), not here, where the
 * whole image would stop. Not watched (no poller, a regular file epoll
 * refuses), a read waits here as before. */
static bool stdin_empty(struct nh_host *h, uint64_t handle, int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};

	if (h->net.sock == NULL || handle >= h->net.nsock ||
	    !(h->net.sock[handle].flags & NSS_S_POLLED))
		return false;
	return poll(&p, 1, 0) == 0; /* an error: the read reports it */
}

#define DEV_RW_MAX     0x7ffff000u /* Linux's MAX_RW_COUNT (on 4 KiB pages) */
#define DEV_RANDOM_MAX 65536u      /* a random device's read: at most this */

/* A served device's READ or WRITE of [buf, buf+len), checked guest RAM. */
static int64_t dev_transfer(unsigned dev, bool out, void *buf, uint64_t len)
{
	size_t done = 0, n;

	if (out)
		return dev == FSSHIM_DEV_FULL ? -NH_ENOSPC : (int64_t)len;
	if (len == 0)
		return 0; /* buf may be any pointer then, NULL too */
	switch (dev) {
	case FSSHIM_DEV_ZERO:
	case FSSHIM_DEV_FULL:
		n = len < DEV_RW_MAX ? (size_t)len : DEV_RW_MAX;
		memset(buf, 0, n);
		return (int64_t)n;
	case FSSHIM_DEV_RANDOM:
	case FSSHIM_DEV_URANDOM:
		/* the host's filter allows getrandom of NH_GETRANDOM_MAX bytes */
		n = len < DEV_RANDOM_MAX ? (size_t)len : DEV_RANDOM_MAX;
		while (done < n) {
			size_t want = n - done < NH_GETRANDOM_MAX ? n - done : NH_GETRANDOM_MAX;
			ssize_t r = getrandom((char *)buf + done, want, 0);

			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				return done > 0 ? (int64_t)done : -errno;
			done += (size_t)r;
		}
		return (int64_t)done;
	default: /* null */
		return 0;
	}
}

/* READ, WRITE, PREAD, PWRITE: (fd, buf, len[, offset]) -> bytes. One path
 * for the four: the handle, the guest buffer (writable for a read, readable
 * for a write), the offset, a device, then the system call (EINTR retried). */
static int64_t transfer(struct nh_host *h, const uint64_t a[6], bool out, bool at)
{
	struct fsshim_handle *e = fsshim_handle(&h->fs, a[0]);
	int fd = io_fd(h, a[0], out);
	void *buf = (void *)(uintptr_t)a[1];
	ssize_t n;

	if (e != NULL && e->kind == FSSHIM_SOCKET) {
		if (at)
			return (int64_t)a[3] < 0 ? -NH_EINVAL : -NH_ESPIPE;
		return out ? nss_write(h, (unsigned)a[0], a[1], a[2])
		           : nss_read(h, (unsigned)a[0], a[1], a[2]);
	}
	if (e != NULL && e->kind == FSSHIM_PROC)
		return -NH_EINVAL;
	if (e != NULL && e->kind == FSSHIM_CONSOLE) {
		if (at)
			return (int64_t)a[3] < 0 ? -NH_EINVAL : -NH_ESPIPE;
		if (!out)
			return -NH_EBADF; /* the console is the guest's to write */
		hook_console_flush(h);
	}
	if (e != NULL && e->kind == FSSHIM_PIPE && at)
		return (int64_t)a[3] < 0 ? -NH_EINVAL : -NH_ESPIPE;
	if (fd < 0)
		return fd;
	if (!(out ? ram_readable(h, a[1], a[2]) : ram_writable(h, a[1], a[2])))
		return -NH_EFAULT;
	if (at && (int64_t)a[3] < 0)
		return -NH_EINVAL;
	if (fd == DEV_FD)
		return dev_transfer(e->dev, out, buf, a[2]);
	if (e != NULL && e->kind == FSSHIM_STDIN && !out && stdin_empty(h, a[0], fd))
		return -NH_EAGAIN;
	do {
		if (at)
			n = out ? pwrite(fd, buf, a[2], (off_t)a[3]) : pread(fd, buf, a[2], (off_t)a[3]);
		else
			n = out ? write(fd, buf, a[2]) : read(fd, buf, a[2]);
	} while (n < 0 && errno == EINTR);
	return ret(n);
}

int64_t fsshim_op_read(struct nh_host *h, const uint64_t a[6])
{
	return transfer(h, a, false, false);
}

int64_t fsshim_op_write(struct nh_host *h, const uint64_t a[6])
{
	return transfer(h, a, true, false);
}

int64_t fsshim_op_pread(struct nh_host *h, const uint64_t a[6])
{
	return transfer(h, a, false, true);
}

int64_t fsshim_op_pwrite(struct nh_host *h, const uint64_t a[6])
{
	return transfer(h, a, true, true);
}

int64_t fsshim_op_seek(struct nh_host *h, const uint64_t a[6])
{
	struct fsshim_handle *e = fsshim_handle(&h->fs, a[0]);
	off_t r;

	if (e == NULL)
		return -NH_EBADF;
	if (a[2] > 2)
		return -NH_EINVAL;
	if (e->kind == FSSHIM_SYNTH) /* READDIR takes cookies; only a rewind makes sense */
		return a[1] == 0 && a[2] != SEEK_END ? 0 : -NH_EINVAL;
	if (e->kind == FSSHIM_CHRDEV) /* Linux's null_lseek and noop_llseek: 0 here */
		return 0;
	if (e->kind == FSSHIM_SOCKET || e->kind == FSSHIM_PIPE || e->kind == FSSHIM_PROC ||
	    e->kind == FSSHIM_CONSOLE)
		return -NH_ESPIPE;
	r = lseek(e->fd, (off_t)a[1], (int)a[2]);
	return r < 0 ? -errno : (int64_t)r;
}

int64_t fsshim_op_fsync(struct nh_host *h, const uint64_t a[6])
{
	struct fsshim_handle *e = fsshim_handle(&h->fs, a[0]);

	if (e == NULL)
		return -NH_EBADF;
	if (e->kind == FSSHIM_SYNTH || e->kind == FSSHIM_CONSOLE)
		return 0;
	if (e->kind == FSSHIM_CHRDEV || e->kind == FSSHIM_SOCKET || e->kind == FSSHIM_PIPE ||
	    e->kind == FSSHIM_PROC) /* no fsync for any of them */
		return -NH_EINVAL;
	return fsync(e->fd) != 0 ? -errno : 0;
}

/* flock(2) with LOCK_NB always: no op but IDLE may block the guest, which
 * waits by trying again (nonehost_abi.h, "File system"). */
int64_t fsshim_op_flock(struct nh_host *h, const uint64_t a[6])
{
	struct fsshim_handle *e = fsshim_handle(&h->fs, a[0]);

	if (a[1] != NH_LOCK_SH && a[1] != NH_LOCK_EX && a[1] != NH_LOCK_UN)
		return -NH_EINVAL;
	if (e == NULL)
		return -NH_EBADF;
	if (e->fd < 0) /* a synthetic directory, a served device, a pending socket */
		return -NH_ENOLCK;
	return flock(e->fd, (int)a[1] | LOCK_NB) != 0 ? -errno : 0;
}

int64_t fsshim_op_dup(struct nh_host *h, const uint64_t a[6])
{
	struct fsshim *fs = &h->fs;
	struct fsshim_handle *e = fsshim_handle(fs, a[0]);
	int slot, fd = -1;

	if ((a[0] == 1 || a[0] == 2) && !(h->console_closed & (1u << a[0]))) {
		if ((slot = fsshim_handle_alloc(fs)) < 0)
			return slot;
		if ((fd = nh_dupfd_cloexec((int)a[0], fs->fd_floor)) < 0)
			return -errno;
		fsshim_handle_set(fs, slot, FSSHIM_CONSOLE, fd, -1, NULL);
		return slot;
	}
	if (e == NULL)
		return -NH_EBADF;
	if ((slot = fsshim_handle_alloc(fs)) < 0)
		return slot;
	if (e->fd >= 0 && (fd = nh_dupfd_cloexec(e->fd, fs->fd_floor)) < 0)
		return -errno;
	if (e->kind == FSSHIM_SOCKET)
		return nss_dup(h, (unsigned)a[0], slot, fd);
	if (e->kind == FSSHIM_PIPE || e->kind == FSSHIM_PROC)
		return proc_dup(h, (unsigned)a[0], slot, fd);
	fsshim_handle_set(fs, slot, e->kind, fd, e->grant, e->guest);
	fs->handle[slot].acc = e->acc;
	fs->handle[slot].dev = e->dev;
	return slot;
}
