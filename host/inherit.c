/*
 * inherit.c - --inherit-fds N: a child image's descriptors 3..N-1 (os/exec's
 * ExtraFiles, dup2'd into place by the launcher) become its guest's handles
 * 3..N-1, each with the same number.
 *
 * Contract:
 *   inherit_hold()   first thing of a run, before anything is opened:
 *       without --inherit-fds, nothing (fsshim_tidy_fds later closes every
 *       inherited descriptor). With it, each open descriptor i in 3..N-1
 *       is moved (dup3, close-on-exec) to INHERIT_BASE(top) + i, top the
 *       lower of RLIMIT_NOFILE's soft limit and INHERIT_TOP, and i closed,
 *       so the host's own descriptors (grants, the network's, the
 *       launcher's socket) are opened low, as without the option, and the
 *       held ones lie above the fs-shim's floor (fsshim_policy.c pins the
 *       descriptor calls to fd >= floor). A descriptor already at that
 *       place (the caller's, not the launcher's) is replaced; the tidy-up
 *       keeps only that range (fsshim_tidy_fds_except). Dies 125 if the
 *       range does not fit above 3..N-1.
 *   inherit_adopt()  after the fs-shim, the network and the process ops are
 *       set up, before guest RAM: each held descriptor is checked (fstat,
 *       F_GETFL; the guest may have passed anything its parent could open)
 *       and becomes handle i (inherit_kind() says what):
 *         a regular file  FSSHIM_FILE, no grant (-1), no guest path: a path
 *             relative to it is -ENOTDIR (fsshim_resolve.c), and the ops
 *             that change it need it open for writing (acc, fsshim_meta.c:
 *             its parent could open it so only in a read-write grant);
 *             O_PATH descriptors are not adopted
 *         a FIFO          FSSHIM_PIPE, O_NONBLOCK set, watched as PROC_PIPE's
 *         a socket        FSSHIM_SOCKET of the netstack-shim: AF_INET,
 *             AF_INET6, AF_UNIX, SOCK_STREAM or SOCK_DGRAM, and UNIX
 *             SOCK_SEQPACKET (SO_DOMAIN, SO_TYPE), O_NONBLOCK set; a
 *             UNIX one, in the image's own root, as the kernel has it
 *             (nss_unix_root.c); without that root (it could connect or
 *             send to any path otherwise) only a
 *             stream one listening (SO_ACCEPTCONN) or connected, with no
 *             guest path (its names are unnamed); not under --net none,
 *             and only when the network's table has the slot
 *         /dev/null       FSSHIM_CHRDEV (null), with its access mode; the host
 *             descriptor closed
 *         anything else (a directory: a dirfd with no guest path the
 *             fs-shim could not confine; devices; an epoll instance ...)
 *             not adopted: closed, the handle stays free, as is one at or
 *             beyond --max-files' table (the adopted ones count against it).
 *       Shared open file descriptions: O_NONBLOCK is set on the parent's
 *       too, whose handles (a nonehost's) have it already.
 *       With --trace, one line per descriptor.
 * Every system call is checked; set-up failures die 125.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "host.h"

/* The held range ends below this even when RLIMIT_NOFILE is huge: the
 * kernel sizes the descriptor table by the highest number in it. */
#define INHERIT_TOP 1024
#define INHERIT_BASE(top) ((top) - NH_SPAWN_MAX_FDS)

static const char *const kind_name[] = {
	[INHERIT_NONE] = "not adopted", [INHERIT_FILE] = "a file", [INHERIT_PIPE] = "a pipe",
	[INHERIT_SOCKET] = "a socket", [INHERIT_NULL] = "/dev/null",
};

enum inherit_kind inherit_kind(const struct stat *st, int flags, int domain, int type,
                               bool sockets, bool own_root, const char **why)
{
	*why = "";
	if (S_ISREG(st->st_mode)) {
		if (flags & O_PATH) {
			*why = "an O_PATH descriptor";
			return INHERIT_NONE;
		}
		return INHERIT_FILE;
	}
	if (S_ISFIFO(st->st_mode))
		return (flags & O_PATH) ? (*why = "an O_PATH descriptor", INHERIT_NONE) : INHERIT_PIPE;
	if (S_ISCHR(st->st_mode) && st->st_rdev == makedev(1, 3) && !(flags & O_PATH))
		return INHERIT_NULL;
	if (S_ISSOCK(st->st_mode)) {
		if (!sockets) {
			*why = "a socket, and the network serves none";
			return INHERIT_NONE;
		}
		if (domain != AF_INET && domain != AF_INET6 && domain != AF_UNIX) {
			*why = "a socket of a family the netstack does not serve";
			return INHERIT_NONE;
		}
		if (type != SOCK_STREAM && type != SOCK_DGRAM &&
		    (type != SOCK_SEQPACKET || domain != AF_UNIX)) {
			*why = "a socket of a type the netstack does not serve";
			return INHERIT_NONE;
		}
		if (domain == AF_UNIX && type != SOCK_STREAM && !own_root) {
			/* served only in a root of our own: a datagram socket could
			 * send to any path */
			*why = type == SOCK_DGRAM ? "a UNIX datagram socket, and the image has no "
			                            "root of its own"
			                          : "a UNIX seqpacket socket, and the image has no "
			                            "root of its own";
			return INHERIT_NONE;
		}
		return INHERIT_SOCKET;
	}
	*why = S_ISDIR(st->st_mode) ? "a directory (a handle with no guest path)"
	                            : "not a file, pipe, socket or /dev/null";
	return INHERIT_NONE;
}

void inherit_hold(struct nh_host *h)
{
	const int n = h->opts.inherit_fds;
	struct rlimit rl;
	rlim_t top;
	int base;

	for (int i = 0; i < NH_SPAWN_MAX_FDS; i++)
		h->inherit.held[i] = -1;
	h->inherit.lo = h->inherit.hi = -1;
	if (n == 0)
		return;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		nh_die_errno(NH_EXIT_USAGE, "--inherit-fds %d: getrlimit(RLIMIT_NOFILE)", n);
	top = rl.rlim_cur < INHERIT_TOP ? rl.rlim_cur : INHERIT_TOP;
	base = (int)INHERIT_BASE(top);
	if (base < 3 + NH_SPAWN_MAX_FDS * 2) /* room below for the host's own */
		nh_die(NH_EXIT_USAGE, "--inherit-fds %d: RLIMIT_NOFILE %llu leaves no room to hold "
		       "them", n, (unsigned long long)rl.rlim_cur);
	if ((h->opts.launcher_fd >= base && h->opts.launcher_fd < base + NH_SPAWN_MAX_FDS) ||
	    (h->opts.signal_fd >= base && h->opts.signal_fd < base + NH_SPAWN_MAX_FDS) ||
	    (h->opts.lifeline_fd >= base && h->opts.lifeline_fd < base + NH_SPAWN_MAX_FDS))
		nh_die(NH_EXIT_USAGE, "--inherit-fds %d: --launcher-fd, --signal-fd or --lifeline-fd "
		       "lies in %d..%d, where they are held", n, base, base + NH_SPAWN_MAX_FDS - 1);
	for (int i = 3; i < n; i++) {
		if (fcntl(i, F_GETFD) < 0) {
			if (errno != EBADF)
				nh_die_errno(NH_EXIT_USAGE, "--inherit-fds %d: descriptor %d", n, i);
			continue; /* not open: the handle stays free */
		}
		if (dup3(i, base + i, O_CLOEXEC) != base + i)
			nh_die_errno(NH_EXIT_USAGE, "--inherit-fds %d: cannot hold descriptor %d", n, i);
		if (close(i) != 0)
			nh_die_errno(NH_EXIT_USAGE, "--inherit-fds %d: cannot close descriptor %d", n, i);
		h->inherit.held[i] = base + i;
	}
	h->inherit.lo = base;
	h->inherit.hi = base + NH_SPAWN_MAX_FDS;
}

/* O_NONBLOCK on: the host never blocks on the guest's behalf. */
static bool nonblock(int fd, int flags)
{
	return (flags & O_NONBLOCK) || fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

static int getint(int fd, int opt)
{
	int v = -1;
	socklen_t len = sizeof(v);

	return getsockopt(fd, SOL_SOCKET, opt, &v, &len) == 0 ? v : -1;
}

/* The socket has a peer. */
static bool connected(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	return getpeername(fd, (struct sockaddr *)&ss, &len) == 0;
}

/* An INET socket is bound when its port is not 0 (a later LISTEN needs no
 * ephemeral grant); a UNIX one is bound (or connected) to be of use. */
static uint8_t sock_flags(int fd, int domain)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (domain == AF_UNIX)
		return NSS_S_BOUND;
	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
		return 0;
	if (domain == AF_INET)
		return ((struct sockaddr_in *)&ss)->sin_port != 0 ? NSS_S_BOUND : 0;
	return ((struct sockaddr_in6 *)&ss)->sin6_port != 0 ? NSS_S_BOUND : 0;
}

/* Descriptor fd as handle i; true when adopted (fd now the handle's). */
static bool adopt_one(struct nh_host *h, int i, int fd, enum inherit_kind *k, const char **why)
{
	struct fsshim *fs = &h->fs;
	const bool sockets = h->net.ready && h->net.mode != NSS_NONE && h->net.sock != NULL &&
	                     (unsigned)i < h->net.nsock;
	struct stat st;
	int flags, domain = -1, type = -1;

	*k = INHERIT_NONE;
	if ((unsigned)i >= fs->nhandles) {
		*why = "beyond --max-files";
		return false;
	}
	if (fsshim_handle(fs, (uint64_t)i) != NULL) {
		*why = "the handle is taken";
		return false;
	}
	if (fstat(fd, &st) != 0 || (flags = fcntl(fd, F_GETFL)) < 0) {
		*why = "cannot fstat it or read its flags";
		return false;
	}
	if (S_ISSOCK(st.st_mode)) {
		domain = getint(fd, SO_DOMAIN);
		type = getint(fd, SO_TYPE);
	}
	*k = inherit_kind(&st, flags, domain, type, sockets, h->fs.own_root, why);
	if (*k == INHERIT_SOCKET && domain == AF_UNIX && !h->fs.own_root &&
	    getint(fd, SO_ACCEPTCONN) != 1 && !connected(fd)) {
		/* it could connect to any path: only in a root of the image's own */
		*why = "a UNIX stream socket neither listening nor connected, and the image has no "
		       "root of its own";
		*k = INHERIT_NONE;
	}
	switch (*k) {
	case INHERIT_FILE:
		fsshim_handle_set(fs, i, FSSHIM_FILE, fd, -1, NULL);
		fs->handle[i].acc = (uint8_t)(flags & O_ACCMODE);
		return true;
	case INHERIT_PIPE:
		if (!nonblock(fd, flags)) {
			*why = "cannot make it non-blocking";
			break;
		}
		fsshim_handle_set(fs, i, FSSHIM_PIPE, fd, -1, NULL);
		nss_watch(h, (unsigned)i, fd);
		return true;
	case INHERIT_SOCKET:
		if (!nonblock(fd, flags)) {
			*why = "cannot make it non-blocking";
			break;
		}
		nss_sock_take(h, i, fd, domain, type, sock_flags(fd, domain));
		if (domain == AF_UNIX)
			h->net.sock[i].ustate = h->fs.own_root                      ? NSS_U_ROOTED
			                        : getint(fd, SO_ACCEPTCONN) == 1 ? NSS_U_LISTENING
			                                                         : NSS_U_CONNECTED;
		return true;
	case INHERIT_NULL:
		fsshim_handle_set(fs, i, FSSHIM_CHRDEV, -1, -1, NULL);
		fs->handle[i].dev = FSSHIM_DEV_NULL;
		fs->handle[i].acc = (uint8_t)(flags & O_ACCMODE);
		return false; /* served without the descriptor */
	case INHERIT_NONE:
		break;
	}
	*k = INHERIT_NONE;
	return false;
}

void inherit_adopt(struct nh_host *h)
{
	for (int i = 3; i < h->opts.inherit_fds; i++) {
		int fd = h->inherit.held[i];
		enum inherit_kind k;
		const char *why = "";

		if (fd < 0)
			continue;
		h->inherit.held[i] = -1;
		if (!adopt_one(h, i, fd, &k, &why) && close(fd) != 0)
			nh_die_errno(NH_EXIT_USAGE, "--inherit-fds: cannot close descriptor %d", i);
		if (h->opts.trace)
			dprintf(STDERR_FILENO, "[nh] inherit: descriptor %d: %s%s%s\n", i, kind_name[k],
			        *why ? ": " : "", why);
	}
}
