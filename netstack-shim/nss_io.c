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
 * Both go through the backend (nss_uring.c or nss_epoll.c) straight from
 * and into guest RAM.
 */
#include <netinet/in.h>
#include <sys/socket.h>

#include "host.h"

int64_t nss_op_recvfrom(struct nh_host *h, const uint64_t a[6])
{
	struct nss *n = &h->net;
	uint64_t len = a[2] > NSS_RW_MAX ? NSS_RW_MAX : a[2];
	union nss_addr addr;
	struct nss_out out;
	struct nss_sock *s;
	uint32_t alen = sizeof(addr.bytes);
	int64_t r;
	int fd;

	if ((s = nss_sock(h, a[0], &fd, &r)) == NULL)
		return r;
	if (a[3] & ~(uint64_t)NH_MSG_PEEK)
		return -NH_EINVAL;
	if (!ram_writable(h, a[1], len))
		return -NH_EFAULT;
	if ((r = nss_out_check(h, a[4], a[5], nss_family_len(s->family), true, &out)) < 0)
		return r;
	r = n->be->recv(n, fd, (void *)(uintptr_t)a[1], len, (int)a[3],
	                out.wanted ? (struct sockaddr *)addr.bytes : NULL, &alen);
	if (r >= 0)
		nss_out_put(&out, &addr, alen);
	return r;
}

int64_t nss_op_sendto(struct nh_host *h, const uint64_t a[6])
{
	struct nss *n = &h->net;
	uint64_t len = a[2] > NSS_RW_MAX ? NSS_RW_MAX : a[2];
	union nss_addr addr;
	uint32_t alen = 0;
	int64_t r;
	int fd;

	if (nss_sock(h, a[0], &fd, &r) == NULL)
		return r;
	if (a[3] != 0)
		return -NH_EINVAL;
	if (!ram_readable(h, a[1], len))
		return -NH_EFAULT;
	if (a[4] != 0) {
		if ((r = nss_addr_in(h, a[4], a[5], &addr, &alen)) < 0)
			return r;
		if (n->mode == NSS_HOST &&
		    !nss_connect_allowed(&h->opts.net, (const struct sockaddr *)addr.bytes))
			return -NH_EACCES;
	}
	return n->be->send(n, fd, (const void *)(uintptr_t)a[1], len,
	                   a[4] != 0 ? (const struct sockaddr *)addr.bytes : NULL, alen);
}
