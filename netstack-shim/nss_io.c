/*
 * nss_io.c - NH_OP_NET_RECVFROM and NH_OP_NET_SENDTO: bytes and datagrams.
 *
 * Contract:
 *   recvfrom(fd, buf, len, flags, addr|0, addrlen|0)  flags NH_MSG_PEEK or
 *          0, anything else -EINVAL; len is clamped to Linux's MAX_RW_COUNT;
 *          buf must be writable guest RAM (-EFAULT) and the address pair is
 *          checked before anything is received (nss_out_check), so no
 *          datagram is lost to a bad pointer. The source address is
 *          truncated to the room and its full length written (0 for a
 *          connected stream, as Linux). Non-blocking: -EAGAIN when nothing
 *          is there; 0 at the end of a stream.
 *   sendto(fd, buf, len, flags, addr|0, addrlen)  flags must be 0
 *          (-EINVAL; MSG_NOSIGNAL is implied: -EPIPE, never SIGPIPE); buf
 *          readable guest RAM (-EFAULT); with an address, it is checked as
 *          for CONNECT (nss_addr.c) and, under --net host, must be granted
 *          by --net-connect (-EACCES); without one the socket's peer is the
 *          destination (granted when it connected). Non-blocking: -EAGAIN
 *          when the send buffer is full; a partial count is returned as is.
 * A UNIX stream socket brokered by the launcher (nss_unix.c): RECVFROM's
 * source address is always empty (length 0: a peer's name would be a host
 * path); SENDTO with an address is -EISCONN connected, -EOPNOTSUPP
 * otherwise (the address not read), as Linux's for a stream socket; a
 * pending one (no kernel socket) is -EINVAL for RECVFROM, -ENOTCONN for
 * SENDTO, Linux's answers for a socket not connected. A UNIX socket made
 * in the image's own root (nss_unix_root.c): RECVFROM gives the kernel's
 * source address (a sockaddr_un, up to NH_UNIX_ADDR_MAX); SENDTO's
 * address, its form checked as CONNECT's (nss_unix_addr_in), goes to the
 * kernel, which resolves it in that root.
 * Both are one system call straight from and into guest RAM, whichever
 * the backend: io_uring's RECV and SEND cost more CPU per op than
 * recvfrom(2) and sendto(2) (README.md, "The data path"), and an op the
 * guest waits for gains nothing from a ring.
 */
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "host.h"

int64_t nss_recv(int fd, void *buf, size_t len, int flags, struct sockaddr *sa, uint32_t *salen)
{
	socklen_t l = sa != NULL ? *salen : 0;
	ssize_t r = recvfrom(fd, buf, len, flags | MSG_DONTWAIT, sa, sa != NULL ? &l : NULL);

	if (sa != NULL)
		*salen = l;
	return r < 0 ? -errno : r;
}

int64_t nss_send(int fd, const void *buf, size_t len, const struct sockaddr *sa, uint32_t salen)
{
	ssize_t r = sendto(fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL, sa, sa != NULL ? salen : 0);

	return r < 0 ? -errno : r;
}

int64_t nss_op_recvfrom(struct nh_host *h, const uint64_t a[6])
{
	uint64_t len = a[2] > NSS_RW_MAX ? NSS_RW_MAX : a[2];
	union nss_addr addr;
	struct nss_out out;
	struct nss_sock *s;
	uint32_t alen = sizeof(addr.bytes);
	int64_t r;
	bool unix;
	int fd;

	if ((s = nss_sock(h, a[0], &fd, &r)) == NULL)
		return r;
	if (a[3] & ~(uint64_t)NH_MSG_PEEK)
		return -NH_EINVAL;
	if (!ram_writable(h, a[1], len))
		return -NH_EFAULT;
	unix = s->family == AF_UNIX && s->ustate != NSS_U_ROOTED; /* brokered: a stream */
	r = nss_out_check(h, a[4], a[5],
	                  unix ? 0 : s->family == AF_UNIX ? NSS_UNIX_OUT_MAX
	                                                  : nss_family_len(s->family), true, &out);
	if (r < 0)
		return r;
	if (fd < 0)
		return -NH_EINVAL; /* a pending UNIX socket: Linux's recv when not connected */
	if (unix)
		alen = 0; /* the peer's name would be a host path: none, as for an unbound peer */
	r = nss_recv(fd, (void *)(uintptr_t)a[1], len, (int)a[3],
	             out.wanted && !unix ? (struct sockaddr *)addr.bytes : NULL, &alen);
	if (r >= 0)
		nss_out_put(&out, &addr, alen);
	return r;
}

int64_t nss_op_sendto(struct nh_host *h, const uint64_t a[6])
{
	struct nss *n = &h->net;
	uint64_t len = a[2] > NSS_RW_MAX ? NSS_RW_MAX : a[2];
	union nss_addr addr;
	struct nss_sock *s;
	uint32_t alen = 0;
	int64_t r;
	int fd;

	if ((s = nss_sock(h, a[0], &fd, &r)) == NULL)
		return r;
	if (a[3] != 0)
		return -NH_EINVAL;
	if (!ram_readable(h, a[1], len))
		return -NH_EFAULT;
	if (s->ustate == NSS_U_ROOTED && a[4] != 0) {
		if ((r = nss_uroot_to(h, a[4], a[5], &addr, &alen)) < 0)
			return r;
		return nss_send(fd, (const void *)(uintptr_t)a[1], len,
		                (const struct sockaddr *)addr.bytes, alen);
	}
	if (s->family == AF_UNIX && a[4] != 0) /* a stream: the address is not even read */
		return s->ustate == NSS_U_CONNECTED || s->ustate == NSS_U_ACCEPTED ? -NH_EISCONN
		                                                                   : -NH_EOPNOTSUPP;
	if (fd < 0)
		return -NH_ENOTCONN; /* a pending UNIX socket */
	if (a[4] != 0) {
		if ((r = nss_addr_in(h, a[4], a[5], &addr, &alen)) < 0)
			return r;
		if (n->mode == NSS_HOST &&
		    !nss_connect_allowed(&h->opts.net, (const struct sockaddr *)addr.bytes))
			return -NH_EACCES;
	}
	return nss_send(fd, (const void *)(uintptr_t)a[1], len,
	                a[4] != 0 ? (const struct sockaddr *)addr.bytes : NULL, alen);
}
