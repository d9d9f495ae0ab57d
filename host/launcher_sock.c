/*
 * launcher_sock.c - UNIX sockets made by the launcher for the image
 * (nonehost_abi.h "UNIX sockets"; launcher.h has the message and its rules).
 *
 * Contract: launch_sock() runs in the launcher, after launch_sock_parse(),
 * on a request that may come from a hostile image. It believes nothing of
 * the descriptor it got:
 *   - under --net none (the parent's mode) every request is -EACCES;
 *   - BIND: the descriptor must be a directory (-ENOTDIR); a new socket
 *     (AF_UNIX, SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC) is bound at
 *     "/proc/self/fd/DIR/NAME" under the image's umask (the request's, set
 *     for the bind alone) and listens (backlog 0: the guest's LISTEN
 *     sets its own) before anyone sees it. Where it may be made is the
 *     kernel's decision: the launcher's Landlock domain gives MAKE_SOCK
 *     beneath the read-write grants only (-EACCES elsewhere). Without
 *     Landlock the directory is checked as CONNECT's inode is;
 *   - CONNECT: the descriptor must be a socket inode (-ECONNREFUSED, as
 *     connect(2) for anything else), linked beneath a read-write grant now
 *     (beneath_rw below; -EACCES otherwise: Landlock does not govern a
 *     connect to a socket path, and a hostile image can open any file
 *     O_PATH, which Landlock does not check either); a new socket is
 *     connected to "/proc/self/fd/N", the magic link naming exactly that
 *     inode, without waiting: 0, or -EAGAIN when the listener's backlog is
 *     full, -ECONNREFUSED when nobody listens, ...
 * A socket that did not get to listen or connect is closed: the image gets
 * a listening or a connected socket, or an errno. The caller sends the
 * reply and closes the received descriptor.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "host.h"

_Static_assert(sizeof(((struct sockaddr_un *)0)->sun_path) == NH_UNIX_PATH_MAX &&
               sizeof(struct sockaddr_un) == NH_SOCKADDR_UN_LEN, "Linux's sockaddr_un");
/* "/proc/self/fd/" + INT_MAX's 10 digits + "/" + the name + NUL fits sun_path. */
_Static_assert(14 + 10 + 1 + LAUNCH_SOCK_NAME_MAX + 1 <= NH_UNIX_PATH_MAX,
               "a BIND name fits sun_path behind any descriptor");

/* The path /proc/self/fd gives descriptor fd: 0 and buf, or -1. */
static int fd_link(int fd, char *buf)
{
	char link[32];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, NH_PATH_MAX + 1);
	if (n <= 0 || n > NH_PATH_MAX)
		return -1;
	buf[n] = '\0';
	return 0;
}

/* path relative to directory dir (both absolute, as /proc gives them), or
 * NULL when it does not lie beneath it; "." for dir itself. */
static const char *beneath(const char *dir, const char *path)
{
	size_t n = strlen(dir);

	if (strcmp(dir, path) == 0)
		return ".";
	if (strcmp(dir, "/") == 0)
		return path + 1;
	if (strncmp(dir, path, n) == 0 && path[n] == '/')
		return path + n + 1;
	return NULL;
}

/* The inode open as fd (st its fstat) is linked beneath a read-write
 * grant now: its /proc/self/fd path lies in such a grant's directory, and
 * that path opened beneath the grant's descriptor with no link followed
 * is the same inode. A path that is not absolute ("socket:[...]", a
 * descriptor of another mount namespace) or that names another file (a
 * deleted one, a race) is refused. */
static bool beneath_rw(const struct launch_ctx *c, int fd, const struct stat *st)
{
	const struct fsshim *fs = &c->h->fs;
	char path[NH_PATH_MAX + 1], dir[NH_PATH_MAX + 1];

	if (fd_link(fd, path) != 0 || path[0] != '/')
		return false;
	for (unsigned i = 0; i < fs->ngrants; i++) {
		const struct fsshim_grant *g = &fs->grant[i];
		const char *rel;
		struct stat now;
		bool same;
		int f;

		if (!g->rw || g->fd < 0 || fd_link(g->fd, dir) != 0 || (rel = beneath(dir, path)) == NULL)
			continue;
		f = fsshim_openat2(g->fd, rel, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0,
		                   RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
		if (f < 0)
			continue;
		same = fstat(f, &now) == 0 && now.st_dev == st->st_dev && now.st_ino == st->st_ino;
		close(f);
		if (same)
			return true;
	}
	return false;
}

int launch_sock(const struct launch_ctx *c, const struct launch_sock_parsed *p, int fd,
                int *sock)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct stat st;
	int s, r;

	if (launch_net_mode(c->h) == NSS_NONE)
		return -EACCES;
	if (fstat(fd, &st) != 0)
		return -errno;
	if (p->op == LAUNCH_SOCK_BIND) {
		if (!S_ISDIR(st.st_mode))
			return -ENOTDIR;
		if (c->landlock == 0 && !beneath_rw(c, fd, &st))
			return -EACCES; /* no kernel layer to refuse it: refuse it here */
		snprintf(sa.sun_path, sizeof(sa.sun_path), "/proc/self/fd/%d/%s", fd, p->name);
	} else {
		if (!S_ISSOCK(st.st_mode))
			return -ECONNREFUSED;
		if (!beneath_rw(c, fd, &st))
			return -EACCES;
		snprintf(sa.sun_path, sizeof(sa.sun_path), "/proc/self/fd/%d", fd);
	}
	if ((s = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0)
		return -errno;
	if (p->op == LAUNCH_SOCK_BIND) {
		mode_t own = umask((mode_t)p->umask);

		r = bind(s, (const struct sockaddr *)&sa, sizeof(sa));
		umask(own);
		r = r != 0 || listen(s, 0) != 0;
	} else
		r = connect(s, (const struct sockaddr *)&sa, sizeof(sa)) != 0;
	if (r != 0) {
		r = -errno;
		close(s); /* never handed out unless it listens or is connected */
		return r;
	}
	*sock = s;
	return 0;
}
