/*
 * nss_unix.c - pathname UNIX stream sockets (Go's "unix" network), made,
 * bound and connected by the launcher (README.md "UNIX sockets"; the rules
 * the guest sees are nonehost_abi.h's "UNIX sockets").
 *
 * Contract: the image may never hold a UNIX socket that could connect
 * anywhere (Landlock does not govern connecting to a socket path), so the
 * host never makes one: SOCKET gives a pending handle, with no kernel
 * socket (fd -1, state NSS_U_PENDING); BIND and CONNECT resolve the guest's
 * path with the fs-shim's rules and ask the launcher (launch_call, an LSOK
 * request) for a socket that already listens or is connected, which the
 * handle then owns. The ops of nss_sock.c, nss_io.c, nss_opt.c and
 * nss_poll.c call the functions here for a UNIX handle once the handle
 * and the arguments common to every family are checked:
 *   nss_unix_socket()   type and protocol (after SOCKET's common checks),
 *          no launcher -EACCES, then a pending handle.
 *   nss_unix_bind()     the address (addr_in), the path's directory
 *          (fsshim_resolve_parent: its errnos), the name must not exist
 *          (-EADDRINUSE, links not followed), the directory beneath a
 *          read-write grant (-EACCES), the name short enough (-ENAMETOOLONG),
 *          the handle pending (-EINVAL), then the launcher's bound and
 *          listening socket; the path kept for SOCKNAME.
 *   nss_unix_connect()  the address, the object (fsshim_resolve O_PATH,
 *          links followed: its errnos), beneath a read-write grant
 *          (-EACCES), a socket (-ECONNREFUSED), the handle pending
 *          (connected -EISCONN, bound or listening -EINVAL), then the
 *          launcher's socket connected to that very inode; the path kept
 *          for SOCKNAME's peer.
 *   nss_unix_listen()   listen(2) on a bound socket (-EINVAL otherwise).
 *   nss_unix_accepted() an accepted socket: the listener's path, the
 *          unnamed address for the guest.
 *   nss_unix_sockname() the guest's own names, never the kernel's (the
 *          launcher bound at /proc/self/fd/N/NAME): the kernel is asked
 *          first for its errors (-ENOTCONN).
 *   nss_unix_getopt(), nss_unix_setopt()  a pending socket's options:
 *          SO_TYPE, SO_ERROR, SO_REUSEADDR (kept, then set on the socket
 *          when it comes), any other SOL_SOCKET one -EINVAL, other levels
 *          -EOPNOTSUPP.
 *   nss_unix_poll_pending()  a pending socket reports IN|OUT|HUP|RDHUP at
 *          once (Linux's for an unconnected stream socket).
 * When the socket comes (arrive()), a registration waiting for it is armed
 * with the backend and a report left from the pending state dropped.
 * All of this is where the image has no root of its own (in a child
 * image, or where none can be made). Where it has one, SOCKET makes the
 * socket at once, stream, datagram or seqpacket (state NSS_U_ROOTED,
 * nss_unix_root.c): BIND and CONNECT hand it there after the address is
 * read (nss_unix_addr_in), with BIND's and CONNECT's checks here
 * (nss_unix_may_bind, nss_unix_peer_ok); LISTEN, SOCKNAME and the options
 * are the kernel's.
 * Errors are -errno (Linux numbering); nothing allocates or exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "host.h"

_Static_assert(NH_AF_UNIX == AF_UNIX && NH_SOCKADDR_UN_LEN == sizeof(struct sockaddr_un) &&
               NH_UNIX_PATH_MAX == sizeof(((struct sockaddr_un *)0)->sun_path) &&
               NH_UNIX_ADDR_MAX == NH_SOCKADDR_UN_LEN + 1 && NSS_UNIX_OUT_MAX <= NSS_ADDR_MAX,
               "Linux's sockaddr_un");
_Static_assert(NH_EPROTONOSUPPORT == EPROTONOSUPPORT && NH_ESOCKTNOSUPPORT == ESOCKTNOSUPPORT &&
               NH_EOPNOTSUPP == EOPNOTSUPP && NH_EADDRINUSE == EADDRINUSE &&
               NH_EISCONN == EISCONN && NH_ENOTCONN == ENOTCONN &&
               NH_ECONNREFUSED == ECONNREFUSED, "Linux's errno numbers");
_Static_assert(NH_PATH_MAX >= NH_UNIX_PATH_MAX, "a UNIX path fits a handle's guest[]");

#define LINUX_SOCK_MAX 10 /* types from here on are -EINVAL */

/* The guest path of UNIX handle i: BIND's (local) or CONNECT's (peer). */
static char *upath(struct nh_host *h, unsigned i)
{
	return h->fs.handle[i].guest;
}

int64_t nss_unix_socket(struct nh_host *h, uint64_t type, uint64_t protocol)
{
	int slot;

	if (type >= LINUX_SOCK_MAX)
		return -NH_EINVAL;
	if (protocol != 0 && protocol != PF_UNIX)
		return -NH_EPROTONOSUPPORT;
	if (h->fs.own_root &&
	    (type == SOCK_STREAM || type == SOCK_DGRAM || type == SOCK_SEQPACKET))
		return nss_uroot_socket(h, (int)type);
	if (type != SOCK_STREAM)
		return type == SOCK_DGRAM || type == SOCK_RAW || type == SOCK_SEQPACKET
		               ? -NH_EPROTONOSUPPORT /* Linux's, not served */
		               : -NH_ESOCKTNOSUPPORT;
	if (!h->proc.ready)
		return -NH_EACCES; /* no launcher to make the socket */
	if ((slot = fsshim_handle_alloc(&h->fs)) < 0)
		return slot;
	nss_sock_take(h, slot, -1, AF_UNIX, SOCK_STREAM, 0);
	h->net.sock[slot].ustate = NSS_U_PENDING;
	return slot;
}

/* A guest sockaddr_un of BIND or CONNECT, copied out of guest RAM once:
 * its path (up to the first NUL or addrlen) into path, NUL-terminated. */
int nss_unix_addr_in(const struct nh_host *h, uint64_t p, uint64_t len, char *path)
{
	uint8_t b[NH_SOCKADDR_UN_LEN];
	uint16_t family;
	size_t n;

	if (len < sizeof(family) || len > sizeof(b))
		return -NH_EINVAL;
	if (!ram_readable(h, p, len))
		return -NH_EFAULT;
	memcpy(b, (const void *)(uintptr_t)p, len);
	memcpy(&family, b, sizeof(family));
	if (family != AF_UNIX)
		return -NH_EINVAL; /* Linux's for a UNIX socket */
	if (len == sizeof(family) || b[2] == '\0')
		return -NH_EACCES; /* autobind, an abstract name: not the image's */
	n = strnlen((const char *)b + 2, len - 2);
	memcpy(path, b + 2, n);
	path[n] = '\0';
	return 0;
}

/* The launcher's socket for op on descriptor fd (and BIND's name): 0 and
 * *sock, or -errno. */
static int ask(struct nh_host *h, uint32_t op, int fd, const char *name, int *sock)
{
	struct launch_sock_req rq = {.magic = LAUNCH_SOCK_MAGIC, .op = op,
	                             .namelen = (uint32_t)strlen(name),
	                             .umask = op == LAUNCH_SOCK_BIND ? fsshim_umask() : 0};
	struct iovec iov[2] = {{&rq, sizeof(rq)}, {(void *)(uintptr_t)name, rq.namelen}};
	int64_t r = launch_call(h, iov, 2, &fd, 1, sock);

	if (r > 0) { /* a pid-like result: not an LSOK reply */
		close(*sock);
		return -NH_EIO;
	}
	return (int)r;
}

/* Pending handle i takes the launcher's socket fd, in state st, with the
 * guest's path. A registration made while pending is armed now (any report
 * left from the pending state dropped). 0, or -errno with fd closed and
 * the handle still pending (a bound name then stays, as after a failed
 * listen(2)). */
static int64_t arrive(struct nh_host *h, unsigned i, int fd, uint8_t st, const char *path)
{
	struct nss *n = &h->net;
	struct nss_sock *s = &n->sock[i];
	const int one = 1;
	int r;

	if ((s->flags & NSS_S_REUSE) &&
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0) {
		r = -errno;
		close(fd);
		return r;
	}
	s->fd = fd;
	h->fs.handle[i].fd = fd;
	if (s->flags & NSS_S_POLLED) {
		nss_unqueue(n, i);
		if ((r = n->be->arm(n, i)) < 0) {
			s->fd = -1;
			h->fs.handle[i].fd = -1;
			close(fd);
			return r;
		}
	}
	s->ustate = st;
	strcpy(upath(h, i), path);
	return 0;
}

/* BIND's checks of where the name goes (Linux's bind: a name that exists
 * is EADDRINUSE, a final link not followed). */
int nss_unix_may_bind(const struct nh_host *h, const struct fsshim_at *at)
{
	int type;

	if (at->dot)
		return -NH_EADDRINUSE; /* ".", "..", "/": names that exist */
	type = fsshim_at_type(at);
	if (type >= 0)
		return -NH_EADDRINUSE;
	if (type != -NH_ENOENT)
		return type;
	if (at->slash)
		return -NH_ENOENT; /* "name/" wants a directory, and nothing is there */
	if (at->grant < 0 || !h->fs.grant[at->grant].rw)
		return -NH_EACCES; /* a read-only grant, a synthetic directory */
	if (strlen(at->name) > NH_UNIX_NAME_MAX)
		return -NH_ENAMETOOLONG;
	return 0;
}

int64_t nss_unix_bind(struct nh_host *h, unsigned i, uint64_t addr, uint64_t len)
{
	char path[NH_UNIX_PATH_MAX + 1];
	struct fsshim_at at;
	int r, fd = -1;

	if ((r = nss_unix_addr_in(h, addr, len, path)) < 0)
		return r;
	if (h->net.sock[i].ustate == NSS_U_ROOTED)
		return nss_uroot_bind(h, i, path);
	r = fsshim_resolve_parent(h, NH_AT_ROOT, path, &at);
	if (r == 0)
		r = nss_unix_may_bind(h, &at);
	if (r == 0 && h->net.sock[i].ustate != NSS_U_PENDING)
		r = -NH_EINVAL; /* bound already, or connected */
	if (r == 0)
		r = ask(h, LAUNCH_SOCK_BIND, at.dirfd, at.name, &fd);
	fsshim_at_done(&at);
	return r < 0 ? r : arrive(h, i, fd, NSS_U_BOUND, path);
}

/* CONNECT's object, resolved with links followed (fsshim_resolve's
 * errnos): a socket beneath a read-write grant. o->fd its O_PATH
 * descriptor on 0 (fsshim_obj_done after), nothing held on -errno. */
static int peer_of(struct nh_host *h, const char *path, struct fsshim_obj *o)
{
	struct stat st;
	int r;

	if ((r = fsshim_resolve(h, NH_AT_ROOT, path, O_PATH | O_CLOEXEC, 0, true, false, o)) < 0)
		return r;
	if (o->grant < 0 || !h->fs.grant[o->grant].rw)
		r = -NH_EACCES; /* a read-only grant, a synthetic directory, /dev/null */
	else if (fsshim_fstat(o->fd, &st) != 0)
		r = -errno;
	else if (!S_ISSOCK(st.st_mode))
		r = -NH_ECONNREFUSED;
	if (r < 0)
		fsshim_obj_done(o);
	return r;
}

int nss_unix_peer_ok(struct nh_host *h, const char *path)
{
	struct fsshim_obj o;
	int r = peer_of(h, path, &o);

	if (r == 0)
		fsshim_obj_done(&o);
	return r;
}

int64_t nss_unix_connect(struct nh_host *h, unsigned i, uint64_t addr, uint64_t len)
{
	const uint8_t state = h->net.sock[i].ustate;
	char path[NH_UNIX_PATH_MAX + 1];
	struct fsshim_obj o;
	int r, fd = -1;

	if ((r = nss_unix_addr_in(h, addr, len, path)) < 0)
		return r;
	if (state == NSS_U_ROOTED)
		return nss_uroot_connect(h, i, path);
	if ((r = peer_of(h, path, &o)) < 0)
		return r;
	if (state == NSS_U_CONNECTED || state == NSS_U_ACCEPTED)
		r = -NH_EISCONN;
	else if (state != NSS_U_PENDING)
		r = -NH_EINVAL; /* it listens (from BIND on) */
	else
		r = ask(h, LAUNCH_SOCK_CONNECT, o.fd, "", &fd);
	fsshim_obj_done(&o);
	return r < 0 ? r : arrive(h, i, fd, NSS_U_CONNECTED, path);
}

int64_t nss_unix_listen(struct nh_host *h, unsigned i, int backlog)
{
	struct nss_sock *s = &h->net.sock[i];

	if (s->ustate != NSS_U_ROOTED && s->ustate != NSS_U_BOUND && s->ustate != NSS_U_LISTENING)
		return -NH_EINVAL; /* not bound, or connected: Linux's */
	if (listen(s->fd, backlog) != 0)
		return -errno;
	if (s->ustate != NSS_U_ROOTED)
		s->ustate = NSS_U_LISTENING;
	return 0;
}

/* The unnamed address (the family alone), or the family and path with its NUL. */
static uint32_t name_of(union nss_addr *a, const char *path)
{
	const uint16_t family = AF_UNIX;
	size_t n = path != NULL ? strlen(path) : 0;

	memset(a, 0, sizeof(*a));
	memcpy(a->bytes, &family, sizeof(family));
	if (path == NULL)
		return sizeof(family);
	memcpy(a->bytes + sizeof(family), path, n + 1);
	return (uint32_t)(sizeof(family) + n + 1);
}

void nss_unix_accepted(struct nh_host *h, unsigned i, unsigned slot, union nss_addr *a,
                       uint32_t *len)
{
	h->net.sock[slot].ustate = NSS_U_ACCEPTED;
	strcpy(upath(h, slot), upath(h, i));
	*len = name_of(a, NULL); /* whoever connected: never a host path */
}

int64_t nss_unix_sockname(struct nh_host *h, unsigned i, const struct nss_out *o, bool peer)
{
	const struct nss_sock *s = &h->net.sock[i];
	union nss_addr a;
	socklen_t klen = sizeof(a.bytes);
	bool named;
	int r;

	if (s->ustate == NSS_U_ROOTED) { /* the kernel's names are the guest's (nss_unix_root.c) */
		if ((peer ? getpeername(s->fd, (struct sockaddr *)a.bytes, &klen)
		          : getsockname(s->fd, (struct sockaddr *)a.bytes, &klen)) != 0)
			return -errno;
		nss_out_put(o, &a, klen);
		return 0;
	}
	if (s->ustate == NSS_U_PENDING) {
		if (peer)
			return -NH_ENOTCONN;
		named = false;
	} else {
		/* the kernel's errors (ENOTCONN: no peer); its names are the launcher's */
		r = peer ? getpeername(s->fd, (struct sockaddr *)a.bytes, &klen)
		         : getsockname(s->fd, (struct sockaddr *)a.bytes, &klen);
		if (r != 0)
			return -errno;
		named = peer ? s->ustate == NSS_U_CONNECTED : s->ustate != NSS_U_CONNECTED;
	}
	nss_out_put(o, &a, name_of(&a, named ? upath(h, i) : NULL));
	return 0;
}

int64_t nss_unix_getopt(struct nh_host *h, unsigned i, int level, int name, int *val)
{
	const struct nss_sock *s = &h->net.sock[i];

	if (level != SOL_SOCKET)
		return -NH_EOPNOTSUPP;
	switch (name) {
	case SO_TYPE:
		*val = SOCK_STREAM;
		return 0;
	case SO_ERROR:
		*val = 0;
		return 0;
	case SO_REUSEADDR:
		*val = (s->flags & NSS_S_REUSE) != 0;
		return 0;
	default:
		return -NH_EINVAL; /* needs a kernel socket */
	}
}

int64_t nss_unix_setopt(struct nh_host *h, unsigned i, int level, int name, const void *val)
{
	struct nss_sock *s = &h->net.sock[i];
	int v;

	if (level != SOL_SOCKET)
		return -NH_EOPNOTSUPP;
	if (name != SO_REUSEADDR)
		return -NH_EINVAL; /* needs a kernel socket */
	memcpy(&v, val, sizeof(v));
	if (v != 0)
		s->flags |= NSS_S_REUSE;
	else
		s->flags &= (uint8_t)~NSS_S_REUSE;
	return 0;
}

void nss_unix_poll_pending(struct nh_host *h, unsigned i)
{
	struct nss *n = &h->net;

	nss_report(n, i, n->sock[i].gen, NH_POLLIN | NH_POLLOUT | NH_POLLHUP | NH_POLLRDHUP);
}
