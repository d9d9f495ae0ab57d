/*
 * nss_sock.c - NH_OP_NET_SOCKET, BIND, LISTEN, ACCEPT, CONNECT, SHUTDOWN,
 * and the socket handles' CLOSE, READ and WRITE (called by the fs-shim).
 *
 * Contract: a socket is a handle of the fs-shim's table (kind
 * FSSHIM_SOCKET, the lowest free handle >= 3, counted against --max-files:
 * -EMFILE is checked before anything is made or accepted). A handle that
 * is not open is -EBADF; one that is not a socket -ENOTSOCK.
 *   socket(domain, type, protocol)  --net none: -EACCES, before anything
 *          else. Unknown bits in type beyond SOCK_NONBLOCK|SOCK_CLOEXEC
 *          (ignored: every host socket is both): -EINVAL; AF_UNIX:
 *          nss_unix_socket (a pending handle, no kernel socket); a domain
 *          other than AF_INET/AF_INET6: -EAFNOSUPPORT; a type other than
 *          SOCK_STREAM/SOCK_DGRAM: -ESOCKTNOSUPPORT (-EINVAL past SOCK_MAX,
 *          as Linux); a protocol other than 0 or the type's own (TCP, UDP):
 *          -EPROTONOSUPPORT. The host socket is made with protocol 0.
 *   bind(fd, addr, addrlen)  the address checked (nss_addr.c); under
 *          --net host the port must be granted (--net-bind; port 0 by "0"),
 *          else -EACCES. A bound socket is marked (LISTEN below).
 *   listen(fd, backlog)  backlog clamped to [0, NH_SOMAXCONN]; under --net
 *          host a socket no granted BIND bound needs the ephemeral grant
 *          ("0"): listen(2) binds it to an ephemeral port, else -EACCES.
 *   accept(fd, addr|0, addrlen|0)  the result pair checked first
 *          (nss_out_check); the new socket is non-blocking and
 *          close-on-exec, its address truncated to the room, the full
 *          length written.
 *   connect(fd, addr, addrlen)  under --net host the destination must be
 *          granted (--net-connect), else -EACCES. 0, -EINPROGRESS (then
 *          the socket becomes writable and SO_ERROR tells), or the error.
 *   shutdown(fd, how)  how 0|1|2, else -EINVAL; a plain shutdown(2) with
 *          both backends (io_uring's runs in a worker thread, which the
 *          sandbox's RLIMIT_NPROC 0 forbids a non-root user: README.md).
 * A UNIX socket (family AF_UNIX): BIND and CONNECT are nss_unix_bind and
 * nss_unix_connect, LISTEN nss_unix_listen (no port to grant). Brokered by
 * the launcher (no root of the image's own): ACCEPT needs a LISTEN first
 * (-EINVAL, as for a socket not listening: a bound one listens in the
 * kernel already) and gives the guest the unnamed address; SHUTDOWN of a
 * pending one is 0 (Linux's). Made in the image's own root
 * (nss_unix_root.c): ACCEPT is the kernel's, its address too. nss_unix.c
 * has the rest.
 * nss_close() drops the readiness registration (the backend's, and any
 * report not yet handed out), then closes the descriptor (a pending UNIX
 * socket has none). nss_dup() makes a handle of FS_DUP's a socket like
 * the one it duplicates (unregistered; a pending UNIX one: -EINVAL, its
 * state being the handle's alone). nss_read() and nss_write() are recv
 * and send with no flags (MSG_NOSIGNAL implied: -EPIPE, never SIGPIPE),
 * through the backend, non-blocking; on a pending UNIX socket -EINVAL and
 * -ENOTCONN, Linux's for a socket not connected.
 * Every op is non-blocking; errors are Linux's, as -errno; nothing exits.
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "host.h"

_Static_assert(NH_AF_UNIX == AF_UNIX && NH_SOCK_STREAM == SOCK_STREAM &&
               NH_SOCK_DGRAM == SOCK_DGRAM && NH_SOCK_SEQPACKET == SOCK_SEQPACKET &&
               NH_SHUT_RD == SHUT_RD && NH_SHUT_WR == SHUT_WR && NH_SHUT_RDWR == SHUT_RDWR &&
               NH_MSG_PEEK == MSG_PEEK, "Linux's numbers");

struct nss_sock *nss_sock(struct nh_host *h, uint64_t fd, int *hostfd, int64_t *err)
{
	struct fsshim_handle *e = fsshim_handle(&h->fs, fd);

	if (e == NULL) {
		*err = -NH_EBADF;
		return NULL;
	}
	if (e->kind != FSSHIM_SOCKET || h->net.sock == NULL) {
		*err = -NH_ENOTSOCK;
		return NULL;
	}
	*hostfd = e->fd;
	return &h->net.sock[fd];
}

int64_t nss_sock_take(struct nh_host *h, int slot, int fd, int family, int type, uint8_t flags)
{
	struct nss_sock *s = &h->net.sock[slot];

	fsshim_handle_set(&h->fs, slot, FSSHIM_SOCKET, fd, -1, NULL);
	*s = (struct nss_sock){.fd = fd, .gen = s->gen + 1, .prev = -1, .next = -1,
	                       .family = (uint8_t)family, .type = (uint8_t)type, .flags = flags};
	return slot;
}

int64_t nss_op_socket(struct nh_host *h, const uint64_t a[6])
{
	const uint64_t type = a[1] & 0xf, flags = a[1] & ~UINT64_C(0xf);
	int slot, fd;

	if (!h->net.ready)
		return -NH_ENOSYS;
	if (h->net.mode == NSS_NONE)
		return -NH_EACCES;
	if (flags & ~(uint64_t)(SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -NH_EINVAL;
	if (a[0] == AF_UNIX)
		return nss_unix_socket(h, type, a[2]);
	if (a[0] != AF_INET && a[0] != AF_INET6)
		return -NH_EAFNOSUPPORT;
	if (type != SOCK_STREAM && type != SOCK_DGRAM)
		return type >= 10 ? -NH_EINVAL : -ESOCKTNOSUPPORT; /* 10: Linux's SOCK_MAX */
	if (a[2] != 0 && a[2] != (type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP))
		return -EPROTONOSUPPORT;
	if ((slot = fsshim_handle_alloc(&h->fs)) < 0)
		return slot;
	fd = socket((int)a[0], (int)type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	return nss_sock_take(h, slot, fd, (int)a[0], (int)type, 0);
}

int64_t nss_op_bind(struct nh_host *h, const uint64_t a[6])
{
	union nss_addr addr;
	struct nss_sock *s;
	uint32_t len;
	int64_t r;
	int fd;

	if ((s = nss_sock(h, a[0], &fd, &r)) == NULL)
		return r;
	if (s->family == AF_UNIX)
		return nss_unix_bind(h, (unsigned)a[0], a[1], a[2]);
	if ((r = nss_addr_in(h, a[1], a[2], &addr, &len)) < 0)
		return r;
	if (h->net.mode == NSS_HOST && !nss_bind_allowed(&h->opts.net, nss_addr_port(&addr)))
		return -NH_EACCES;
	if (bind(fd, (const struct sockaddr *)addr.bytes, len) != 0)
		return -errno;
	s->flags |= NSS_S_BOUND;
	return 0;
}

int64_t nss_op_listen(struct nh_host *h, const uint64_t a[6])
{
	int backlog = (int64_t)a[1] < 0 ? 0 : a[1] > NH_SOMAXCONN ? NH_SOMAXCONN : (int)a[1];
	struct nss_sock *s;
	int64_t r;
	int fd;

	if ((s = nss_sock(h, a[0], &fd, &r)) == NULL)
		return r;
	if (s->family == AF_UNIX)
		return nss_unix_listen(h, (unsigned)a[0], backlog);
	if (h->net.mode == NSS_HOST && !(s->flags & NSS_S_BOUND) &&
	    !nss_bind_allowed(&h->opts.net, 0))
		return -NH_EACCES; /* listen(2) would bind an ephemeral port */
	return listen(fd, backlog) != 0 ? -errno : 0;
}

int64_t nss_op_accept(struct nh_host *h, const uint64_t a[6])
{
	struct nss *n = &h->net;
	union nss_addr addr;
	struct nss_out out;
	struct nss_sock *s;
	uint32_t len = sizeof(addr.bytes);
	int64_t r;
	int fd, slot, nfd;
	bool unix;

	if ((s = nss_sock(h, a[0], &fd, &r)) == NULL)
		return r;
	unix = s->family == AF_UNIX && s->ustate != NSS_U_ROOTED; /* brokered */
	r = nss_out_check(h, a[1], a[2],
	                  unix ? sizeof(sa_family_t) : s->family == AF_UNIX ? NSS_UNIX_OUT_MAX
	                                                                    : nss_family_len(s->family),
	                  true, &out);
	if (r < 0)
		return r;
	if (unix && s->ustate != NSS_U_LISTENING)
		return -NH_EINVAL; /* no LISTEN yet (a bound one listens in the kernel already) */
	if ((slot = fsshim_handle_alloc(&h->fs)) < 0)
		return slot; /* the connection stays in the queue */
	if ((nfd = n->be->accept(n, fd, (struct sockaddr *)addr.bytes, &len)) < 0)
		return nfd;
	r = nss_sock_take(h, slot, nfd, s->family, s->type, NSS_S_BOUND); /* stream, seqpacket */
	if (unix)
		nss_unix_accepted(h, (unsigned)a[0], (unsigned)slot, &addr, &len);
	else if (s->family == AF_UNIX)
		h->net.sock[slot].ustate = NSS_U_ROOTED; /* the kernel's address as it is */
	nss_out_put(&out, &addr, len);
	return r;
}

int64_t nss_op_connect(struct nh_host *h, const uint64_t a[6])
{
	struct nss *n = &h->net;
	union nss_addr addr;
	struct nss_sock *s;
	uint32_t len;
	int64_t r;
	int fd;

	if ((s = nss_sock(h, a[0], &fd, &r)) == NULL)
		return r;
	if (s->family == AF_UNIX)
		return nss_unix_connect(h, (unsigned)a[0], a[1], a[2]);
	if ((r = nss_addr_in(h, a[1], a[2], &addr, &len)) < 0)
		return r;
	if (n->mode == NSS_HOST &&
	    !nss_connect_allowed(&h->opts.net, (const struct sockaddr *)addr.bytes))
		return -NH_EACCES;
	return n->be->connect(n, fd, (const struct sockaddr *)addr.bytes, len);
}

int64_t nss_op_shutdown(struct nh_host *h, const uint64_t a[6])
{
	int64_t r;
	int fd;

	if (nss_sock(h, a[0], &fd, &r) == NULL)
		return r;
	if (a[1] > NH_SHUT_RDWR)
		return -NH_EINVAL;
	if (fd < 0)
		return 0; /* a pending UNIX socket: Linux's answer, nothing kept */
	return shutdown(fd, (int)a[1]) != 0 ? -errno : 0;
}

int64_t nss_dup(struct nh_host *h, unsigned handle, int slot, int fd)
{
	const struct nss_sock *s = &h->net.sock[handle];
	const uint8_t ustate = s->ustate;
	int64_t r;

	if (ustate == NSS_U_PENDING)
		return -NH_EINVAL; /* no kernel socket: its state is this handle's alone */
	r = nss_sock_take(h, slot, fd, s->family, s->type, s->flags & NSS_S_BOUND);
	h->net.sock[slot].ustate = ustate;
	if (ustate != NSS_U_NONE)
		strcpy(h->fs.handle[slot].guest, h->fs.handle[handle].guest);
	return r;
}

void nss_close(struct nh_host *h, unsigned handle)
{
	int fd = h->net.sock[handle].fd;

	nss_unwatch(h, handle);
	if (fd >= 0) /* -1: a pending UNIX socket */
		close(fd); /* the descriptor is gone even when close reports an error */
}

int64_t nss_read(struct nh_host *h, unsigned handle, uint64_t buf, uint64_t len)
{
	struct nss *n = &h->net;

	if (len > NSS_RW_MAX)
		len = NSS_RW_MAX;
	if (!ram_writable(h, buf, len))
		return -NH_EFAULT;
	if (n->sock[handle].fd < 0)
		return -NH_EINVAL; /* a pending UNIX socket: Linux's recv when not connected */
	return nss_recv(n->sock[handle].fd, (void *)(uintptr_t)buf, len, 0, NULL, NULL);
}

int64_t nss_write(struct nh_host *h, unsigned handle, uint64_t buf, uint64_t len)
{
	struct nss *n = &h->net;

	if (len > NSS_RW_MAX)
		len = NSS_RW_MAX;
	if (!ram_readable(h, buf, len))
		return -NH_EFAULT;
	if (n->sock[handle].fd < 0)
		return -NH_ENOTCONN; /* a pending UNIX socket */
	return nss_send(n->sock[handle].fd, (const void *)(uintptr_t)buf, len, NULL, 0);
}
