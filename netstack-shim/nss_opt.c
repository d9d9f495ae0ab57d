/*
 * nss_opt.c - NH_OP_NET_GETSOCKOPT, SETSOCKOPT and SOCKNAME.
 *
 * Contract: options are an allowlist, opts[] below: the (level, name)
 * pairs of hooks/nonehost_abi.h with the value sizes Linux uses; any other
 * pair, and a get of a set-only option or a set of a get-only one
 * (SO_TYPE, SO_ERROR), is -ENOPROTOOPT (checked after the handle).
 *   getsockopt(fd, level, name, val, uint32 *vallen)  vallen must be
 *          writable (-EFAULT), its value at least the option's size
 *          (-EINVAL), val writable for that size (-EFAULT); the kernel
 *          writes the value into val and vallen gets its length.
 *   setsockopt(fd, level, name, val, vallen)  vallen exactly one of the
 *          option's sizes (-EINVAL; IP_MULTICAST_IF takes struct in_addr,
 *          ip_mreq or ip_mreqn, the memberships ip_mreq or ip_mreqn), val
 *          readable (-EFAULT); the value is copied out of guest RAM once.
 *   sockname(fd, addr, uint32 *addrlen, peer 0|1)  getsockname(2), or with
 *          peer 1 getpeername(2) (peer > 1: -EINVAL); the pair is checked
 *          first (nss_out_check, not optional), the address truncated to
 *          the room and its full length written.
 * A UNIX socket's names are the guest's (nss_unix_sockname); a pending one
 * (no kernel socket) answers its options itself (nss_unix_getopt,
 * nss_unix_setopt: SO_TYPE, SO_ERROR, SO_REUSEADDR; other SOL_SOCKET
 * options -EINVAL, other levels -EOPNOTSUPP).
 * Errors of the kernel pass through (ENOTCONN, an IPv6 option on an IPv4
 * socket, ...). Nothing here allocates or exits.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>

#include "host.h"

/* The ABI's option numbers are Linux's: they go to the kernel as they are. */
_Static_assert(NH_SOL_SOCKET == SOL_SOCKET && NH_IPPROTO_IP == IPPROTO_IP &&
               NH_IPPROTO_TCP == IPPROTO_TCP && NH_IPPROTO_IPV6 == IPPROTO_IPV6 &&
               NH_IPPROTO_UDP == IPPROTO_UDP, "levels");
_Static_assert(NH_SO_REUSEADDR == SO_REUSEADDR && NH_SO_TYPE == SO_TYPE &&
               NH_SO_ERROR == SO_ERROR && NH_SO_BROADCAST == SO_BROADCAST &&
               NH_SO_SNDBUF == SO_SNDBUF && NH_SO_RCVBUF == SO_RCVBUF &&
               NH_SO_KEEPALIVE == SO_KEEPALIVE && NH_SO_LINGER == SO_LINGER &&
               NH_SO_REUSEPORT == SO_REUSEPORT, "SOL_SOCKET options");
_Static_assert(NH_TCP_NODELAY == TCP_NODELAY && NH_TCP_KEEPIDLE == TCP_KEEPIDLE &&
               NH_TCP_KEEPINTVL == TCP_KEEPINTVL && NH_TCP_KEEPCNT == TCP_KEEPCNT,
               "TCP options");
_Static_assert(NH_IP_TOS == IP_TOS && NH_IP_TTL == IP_TTL &&
               NH_IP_MULTICAST_IF == IP_MULTICAST_IF && NH_IP_MULTICAST_TTL == IP_MULTICAST_TTL &&
               NH_IP_MULTICAST_LOOP == IP_MULTICAST_LOOP &&
               NH_IP_ADD_MEMBERSHIP == IP_ADD_MEMBERSHIP &&
               NH_IP_DROP_MEMBERSHIP == IP_DROP_MEMBERSHIP, "IP options");
_Static_assert(NH_IPV6_UNICAST_HOPS == IPV6_UNICAST_HOPS &&
               NH_IPV6_MULTICAST_IF == IPV6_MULTICAST_IF &&
               NH_IPV6_MULTICAST_HOPS == IPV6_MULTICAST_HOPS &&
               NH_IPV6_MULTICAST_LOOP == IPV6_MULTICAST_LOOP &&
               NH_IPV6_JOIN_GROUP == IPV6_JOIN_GROUP && NH_IPV6_LEAVE_GROUP == IPV6_LEAVE_GROUP &&
               NH_IPV6_V6ONLY == IPV6_V6ONLY, "IPv6 options");
_Static_assert(sizeof(struct linger) == 8 && sizeof(struct ip_mreq) == 8 &&
               sizeof(struct ip_mreqn) == 12 && sizeof(struct ipv6_mreq) == 20, "option sizes");

#define I sizeof(int)

struct opt {
	uint16_t level, name;
	uint8_t get;     /* bytes a get writes; 0: not gettable */
	uint8_t set[3];  /* sizes a set accepts; {0}: not settable */
};

static const struct opt opts[] = {
	{NH_SOL_SOCKET, NH_SO_REUSEADDR, I, {I}},
	{NH_SOL_SOCKET, NH_SO_TYPE, I, {0}},
	{NH_SOL_SOCKET, NH_SO_ERROR, I, {0}},
	{NH_SOL_SOCKET, NH_SO_BROADCAST, I, {I}},
	{NH_SOL_SOCKET, NH_SO_SNDBUF, I, {I}},
	{NH_SOL_SOCKET, NH_SO_RCVBUF, I, {I}},
	{NH_SOL_SOCKET, NH_SO_KEEPALIVE, I, {I}},
	{NH_SOL_SOCKET, NH_SO_LINGER, 8, {8}},          /* struct linger */
	{NH_SOL_SOCKET, NH_SO_REUSEPORT, I, {I}},
	{NH_IPPROTO_TCP, NH_TCP_NODELAY, I, {I}},
	{NH_IPPROTO_TCP, NH_TCP_KEEPIDLE, I, {I}},
	{NH_IPPROTO_TCP, NH_TCP_KEEPINTVL, I, {I}},
	{NH_IPPROTO_TCP, NH_TCP_KEEPCNT, I, {I}},
	{NH_IPPROTO_IP, NH_IP_TOS, I, {I}},
	{NH_IPPROTO_IP, NH_IP_TTL, I, {I}},
	{NH_IPPROTO_IP, NH_IP_MULTICAST_IF, 4, {4, 8, 12}}, /* in_addr, ip_mreq, ip_mreqn */
	{NH_IPPROTO_IP, NH_IP_MULTICAST_TTL, I, {I}},
	{NH_IPPROTO_IP, NH_IP_MULTICAST_LOOP, I, {I}},
	{NH_IPPROTO_IP, NH_IP_ADD_MEMBERSHIP, 0, {8, 12}},  /* ip_mreq, ip_mreqn */
	{NH_IPPROTO_IP, NH_IP_DROP_MEMBERSHIP, 0, {8, 12}},
	{NH_IPPROTO_IPV6, NH_IPV6_UNICAST_HOPS, I, {I}},
	{NH_IPPROTO_IPV6, NH_IPV6_MULTICAST_IF, I, {I}},
	{NH_IPPROTO_IPV6, NH_IPV6_MULTICAST_HOPS, I, {I}},
	{NH_IPPROTO_IPV6, NH_IPV6_MULTICAST_LOOP, I, {I}},
	{NH_IPPROTO_IPV6, NH_IPV6_JOIN_GROUP, 0, {20}},     /* ipv6_mreq */
	{NH_IPPROTO_IPV6, NH_IPV6_LEAVE_GROUP, 0, {20}},
	{NH_IPPROTO_IPV6, NH_IPV6_V6ONLY, I, {I}},
};

static const struct opt *opt_of(uint64_t level, uint64_t name)
{
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (opts[i].level == level && opts[i].name == name)
			return &opts[i];
	return NULL;
}

int64_t nss_op_getsockopt(struct nh_host *h, const uint64_t a[6])
{
	const struct opt *o;
	uint32_t room;
	socklen_t len;
	int64_t r;
	int fd;

	if (nss_sock(h, a[0], &fd, &r) == NULL)
		return r;
	if ((o = opt_of(a[1], a[2])) == NULL || o->get == 0)
		return -NH_ENOPROTOOPT;
	if (!ram_writable(h, a[4], sizeof(room)))
		return -NH_EFAULT;
	memcpy(&room, (const void *)(uintptr_t)a[4], sizeof(room));
	if (room < o->get)
		return -NH_EINVAL;
	if (!ram_writable(h, a[3], o->get))
		return -NH_EFAULT;
	len = o->get;
	if (fd < 0) { /* a pending UNIX socket: what it can say without a kernel socket */
		int v;

		if ((r = nss_unix_getopt(h, (unsigned)a[0], (int)a[1], (int)a[2], &v)) < 0)
			return r;
		memcpy((void *)(uintptr_t)a[3], &v, sizeof(v));
		len = sizeof(v);
	} else if (getsockopt(fd, (int)a[1], (int)a[2], (void *)(uintptr_t)a[3], &len) != 0) {
		return -errno;
	}
	memcpy((void *)(uintptr_t)a[4], &len, sizeof(uint32_t));
	return 0;
}

int64_t nss_op_setsockopt(struct nh_host *h, const uint64_t a[6])
{
	const struct opt *o;
	uint8_t val[32];
	bool size_ok = false;
	int64_t r;
	int fd;

	if (nss_sock(h, a[0], &fd, &r) == NULL)
		return r;
	if ((o = opt_of(a[1], a[2])) == NULL || o->set[0] == 0)
		return -NH_ENOPROTOOPT;
	for (size_t i = 0; i < sizeof(o->set) && o->set[i] != 0; i++)
		size_ok |= a[4] == o->set[i];
	if (!size_ok)
		return -NH_EINVAL;
	if (!ram_readable(h, a[3], a[4]))
		return -NH_EFAULT;
	memcpy(val, (const void *)(uintptr_t)a[3], a[4]); /* a[4] <= 20 < sizeof(val) */
	if (fd < 0) /* a pending UNIX socket */
		return nss_unix_setopt(h, (unsigned)a[0], (int)a[1], (int)a[2], val);
	return setsockopt(fd, (int)a[1], (int)a[2], val, (socklen_t)a[4]) != 0 ? -errno : 0;
}

int64_t nss_op_sockname(struct nh_host *h, const uint64_t a[6])
{
	union nss_addr addr;
	struct nss_out out;
	struct nss_sock *s;
	socklen_t len = sizeof(addr.bytes);
	int64_t r;
	int fd;

	if ((s = nss_sock(h, a[0], &fd, &r)) == NULL)
		return r;
	if (a[3] > 1)
		return -NH_EINVAL;
	if ((r = nss_out_check(h, a[1], a[2], s->family == AF_UNIX ? NSS_UNIX_OUT_MAX
	                                                          : nss_family_len(s->family),
	                       false, &out)) < 0)
		return r;
	if (s->family == AF_UNIX)
		return nss_unix_sockname(h, (unsigned)a[0], &out, a[3] != 0);
	r = a[3] ? getpeername(fd, (struct sockaddr *)addr.bytes, &len)
	         : getsockname(fd, (struct sockaddr *)addr.bytes, &len);
	if (r != 0)
		return -errno;
	nss_out_put(&out, &addr, len);
	return 0;
}
