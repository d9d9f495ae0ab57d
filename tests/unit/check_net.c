/*
 * check_net.c - unit tests of netstack-shim/: the NH_OP_NET_* functions and
 * IDLE driven directly, with guest RAM mapped at NH_RAM_START in the
 * (forked) test process, as check_fsshim.c does. Every test runs in a
 * network namespace of its own (--net private, made by nss_setup: only lo,
 * up), once with each backend (_i: 0 io_uring, 1 epoll).
 *
 * Checked: TCP over 127.0.0.1 and ::1 (listen, accept, connect, send,
 * recv; -EAGAIN and -EINPROGRESS; IDLE's reports with the right tags and
 * events, edge-triggered: a new report only after new data; the peer sees
 * EOF after SHUTDOWN and after CLOSE of a registered socket), a full send
 * buffer and the POLLOUT that follows, a connect left in progress (its SYN
 * dropped by a full backlog) that later succeeds, and one refused later
 * (SO_ERROR ECONNREFUSED), EADDRINUSE, UDP with addresses (truncated to the
 * room, full length written, MSG_PEEK), IDLE's deadline, cap and
 * -EDEADLK, standard input watched only when the kernel can poll it, the
 * fs-shim's ops on socket handles, --max-files counting sockets, and every
 * validation error. check_net_policy.c has the policy,
 * the command line, the ring's restrictions and the sandbox.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "host.h"
#include "unit.h"

#define MEM (UINT64_C(16) << 20)
#define MAX_FILES 16
#define NTAGS 64

static struct nh_host H;
static uint64_t scratch;
static uint32_t seen[NTAGS]; /* events reported per tag, not yet consumed */

static void setup(void)
{
	memset(&H, 0, sizeof(H));
	memset(seen, 0, sizeof(seen));
	H.opts = (struct nh_opts){.memory = MEM, .image = "img", .max_files = MAX_FILES};
	ck_assert_int_eq(chdir("/tmp"), 0);
	fsshim_setup(&H);
	fsshim_open(&H);
	ram_map(&H);
	scratch = H.ram_start + 0x100000;
}

/* The network, --net private in a namespace of this test's own. */
static void net(int backend)
{
	H.opts.net.mode = NSS_PRIVATE;
	H.opts.net.backend = backend == 0 ? NSS_URING : NSS_EPOLL;
	nss_setup(&H, NULL);
	ck_assert(H.net.ready);
	ck_assert_int_eq(H.net.backend, backend == 0 ? NSS_URING : NSS_EPOLL);
}

/* Guest memory, from scratch. */
#define galloc(n) unit_galloc(&scratch, (n))


static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* A guest sockaddr for 127.0.0.1 or ::1 (family), port. */
static uint64_t gaddr(int family, uint16_t port)
{
	uint64_t p = galloc(sizeof(struct sockaddr_in6));

	if (family == AF_INET) {
		struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port),
		                        .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};

		memcpy(G(p), &a, sizeof(a));
	} else {
		struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = htons(port),
		                         .sin6_addr = IN6ADDR_LOOPBACK_INIT};

		memcpy(G(p), &a, sizeof(a));
	}
	return p;
}

static uint32_t alen(int family)
{
	return family == AF_INET ? 16 : 28;
}

static int64_t sock_(int family, int type)
{
	return CALL(nss_op_socket, (uint64_t)family, (uint64_t)type, 0);
}

/* The local port of handle fd. */
static uint16_t port_of(int64_t fd)
{
	uint64_t a = galloc(128), l = galloc(4);
	uint32_t room = 128;
	uint16_t port;

	memcpy(G(l), &room, 4);
	EQ(CALL(nss_op_sockname, (uint64_t)fd, a, l, 0), 0);
	memcpy(&port, G(a + 2), 2);
	return ntohs(port);
}

/* A listening socket on loopback, its port in *port. */
static int64_t listener(int family, uint16_t *port, uint64_t backlog)
{
	int64_t l = sock_(family, SOCK_STREAM);

	ck_assert_int_ge(l, 3);
	EQ(CALL(nss_op_bind, (uint64_t)l, gaddr(family, 0), alen(family)), 0);
	EQ(CALL(nss_op_listen, (uint64_t)l, backlog), 0);
	*port = port_of(l);
	return l;
}

static int64_t idle_(int64_t until, uint64_t ev, uint64_t cap)
{
	return CALL(hook_idle, (uint64_t)until, ev, cap);
}

/* IDLE (at most 3 s) until tag has reported one of bits; the reports of
 * other tags are kept in seen[]. Returns what tag reported (and consumes
 * it), or 0. */
static uint32_t wait_tag(uint64_t tag, uint32_t bits)
{
	uint64_t ev = galloc(16 * sizeof(struct nh_pollev));
	int64_t deadline = now_ns() + 3000000000;
	uint32_t got;

	while (!(seen[tag] & bits) && now_ns() < deadline) {
		int64_t k = idle_(deadline, ev, 16);

		ck_assert_int_ge(k, 0);
		for (int64_t j = 0; j < k; j++) {
			struct nh_pollev pe;

			memcpy(&pe, G(ev + (uint64_t)j * sizeof(pe)), sizeof(pe));
			ck_assert_uint_lt(pe.tag, NTAGS);
			ck_assert_uint_ne(pe.events, 0);
			seen[pe.tag] |= pe.events;
		}
	}
	got = seen[tag];
	seen[tag] = 0;
	return got;
}

/* Take every report there is now (no wait) into seen[]. */
static void drain(void)
{
	uint64_t ev = galloc(16 * sizeof(struct nh_pollev));
	int64_t k;

	while ((k = idle_(1, ev, 16)) > 0)
		for (int64_t j = 0; j < k; j++) {
			struct nh_pollev pe;

			memcpy(&pe, G(ev + (uint64_t)j * sizeof(pe)), sizeof(pe));
			seen[pe.tag] |= pe.events;
		}
	ck_assert_int_eq(k, 0);
}

static int64_t send_(int64_t fd, const char *s)
{
	uint64_t b = galloc(strlen(s) + 1);

	memcpy(G(b), s, strlen(s));
	return CALL(nss_op_sendto, (uint64_t)fd, b, strlen(s), 0, 0, 0);
}

/* RECVFROM into out (NUL-terminated). */
static int64_t recv_(int64_t fd, char *out, size_t n)
{
	uint64_t b = galloc(n);
	int64_t r = CALL(nss_op_recvfrom, (uint64_t)fd, b, n - 1, 0, 0, 0);

	if (r >= 0) {
		memcpy(out, G(b), (size_t)r);
		out[r] = '\0';
	}
	return r;
}

/* ---- TCP -------------------------------------------------------------------- */

static void tcp(int family)
{
	uint64_t peer = galloc(128), plen = galloc(4);
	uint32_t room = 128, len, ev;
	struct sockaddr_storage ss;
	struct pollfd pfd = {.events = POLLRDHUP};
	uint16_t port;
	int64_t l, c, s, r;
	char buf[64];

	l = listener(family, &port, 16);
	EQ(CALL(nss_op_poll, (uint64_t)l, 1), 0);
	EQ(CALL(nss_op_accept, (uint64_t)l, 0, 0), -NH_EAGAIN);
	c = sock_(family, SOCK_STREAM);
	ck_assert_int_ge(c, 3);
	EQ(CALL(nss_op_poll, (uint64_t)c, 2), 0);
	r = CALL(nss_op_connect, (uint64_t)c, gaddr(family, port), alen(family));
	ck_assert_msg(r == 0 || r == -NH_EINPROGRESS, "connect = %lld", (long long)r);
	ck_assert(wait_tag(2, NH_POLLOUT) & NH_POLLOUT); /* connected */
	ck_assert(wait_tag(1, NH_POLLIN) & NH_POLLIN);   /* one to accept */
	memcpy(G(plen), &room, 4);
	s = CALL(nss_op_accept, (uint64_t)l, peer, plen);
	ck_assert_int_ge(s, 3);
	memcpy(&len, G(plen), 4);
	ck_assert_uint_eq(len, alen(family));
	memcpy(&ss, G(peer), len);
	ck_assert_int_eq(ss.ss_family, family);
	EQ(CALL(nss_op_accept, (uint64_t)l, 0, 0), -NH_EAGAIN);
	EQ(CALL(nss_op_poll, (uint64_t)s, 3), 0);
	drain();
	memset(seen, 0, sizeof(seen));
	EQ(recv_(s, buf, sizeof(buf)), -NH_EAGAIN);

	/* data, then its report; none again until new data (edge-triggered) */
	EQ(send_(c, "hello"), 5);
	ck_assert(wait_tag(3, NH_POLLIN) & NH_POLLIN);
	EQ(recv_(s, buf, sizeof(buf)), 5);
	ck_assert_str_eq(buf, "hello");
	EQ(recv_(s, buf, sizeof(buf)), -NH_EAGAIN);
	drain();
	ck_assert_uint_eq(seen[3] & NH_POLLIN, 0);
	EQ(send_(c, "again"), 5);
	ck_assert(wait_tag(3, NH_POLLIN) & NH_POLLIN);
	EQ(recv_(s, buf, sizeof(buf)), 5);
	ck_assert_str_eq(buf, "again");

	/* the other way, and the peer's name */
	EQ(send_(s, "back"), 4);
	ck_assert(wait_tag(2, NH_POLLIN) & NH_POLLIN);
	EQ(recv_(c, buf, sizeof(buf)), 4);
	ck_assert_str_eq(buf, "back");
	memcpy(G(plen), &room, 4);
	EQ(CALL(nss_op_sockname, (uint64_t)c, peer, plen, 1), 0);
	memcpy(&ss, G(peer), sizeof(ss));
	ck_assert_uint_eq(ntohs(((struct sockaddr_in *)&ss)->sin_port), port);

	/* SHUTDOWN: the peer reads the end */
	EQ(CALL(nss_op_shutdown, (uint64_t)c, NH_SHUT_WR), 0);
	ev = wait_tag(3, NH_POLLRDHUP);
	ck_assert_msg(ev & NH_POLLRDHUP, "events 0x%x", ev);
	EQ(recv_(s, buf, sizeof(buf)), 0);
	/* CLOSE of a registered socket: the peer sees it at once, and the
	 * closed one reports nothing more */
	EQ(CALL(fsshim_op_close, (uint64_t)s), 0);
	pfd.fd = H.fs.handle[c].fd; /* at once: before any IDLE runs the ring */
	ck_assert_int_eq(poll(&pfd, 1, 50), 1);
	ck_assert(pfd.revents & POLLRDHUP);
	ev = wait_tag(2, NH_POLLIN);
	ck_assert_msg(ev & NH_POLLIN, "events 0x%x", ev);
	EQ(recv_(c, buf, sizeof(buf)), 0);
	drain();
	ck_assert_uint_eq(seen[3], 0);
	EQ(CALL(fsshim_op_close, (uint64_t)c), 0);
	EQ(CALL(fsshim_op_close, (uint64_t)l), 0);
	EQ(idle_(0, 0, 0), -NH_EDEADLK); /* nothing registered any more */
}

START_TEST(test_tcp4)
{
	net(_i);
	tcp(AF_INET);
}
END_TEST

START_TEST(test_tcp6)
{
	net(_i);
	tcp(AF_INET6);
}
END_TEST

/* A full send buffer: -EAGAIN, then POLLOUT once the peer reads. */
START_TEST(test_send_full)
{
	uint64_t big = galloc(65536), one = galloc(4);
	uint16_t port;
	int64_t l, c, s, r, sent = 0, got = 0;
	int small = 4096;

	net(_i);
	l = listener(AF_INET, &port, 4);
	c = sock_(AF_INET, SOCK_STREAM);
	memcpy(G(one), &small, 4);
	EQ(CALL(nss_op_setsockopt, (uint64_t)c, NH_SOL_SOCKET, NH_SO_SNDBUF, one, 4), 0);
	EQ(CALL(nss_op_poll, (uint64_t)c, 2), 0);
	r = CALL(nss_op_connect, (uint64_t)c, gaddr(AF_INET, port), 16);
	ck_assert(r == 0 || r == -NH_EINPROGRESS);
	ck_assert(wait_tag(2, NH_POLLOUT) & NH_POLLOUT);
	s = CALL(nss_op_accept, (uint64_t)l, 0, 0);
	ck_assert_int_ge(s, 3);
	while ((r = CALL(nss_op_sendto, (uint64_t)c, big, 65536, 0, 0, 0)) > 0)
		sent += r;
	EQ(r, -NH_EAGAIN);
	ck_assert_int_gt(sent, 0);
	drain();
	seen[2] = 0;
	while (got < sent) {
		r = CALL(fsshim_op_read, (uint64_t)s, big, 65536);
		if (r == -NH_EAGAIN) {
			idle_(now_ns() + 10000000, 0, 0); /* let the rest arrive */
			continue;
		}
		ck_assert_int_gt(r, 0);
		got += r;
	}
	ck_assert(wait_tag(2, NH_POLLOUT) & NH_POLLOUT);
	ck_assert_int_gt(CALL(nss_op_sendto, (uint64_t)c, big, 100, 0, 0, 0), 0);
}
END_TEST

/* A connect whose SYN a full backlog drops stays in progress, the ops go
 * on, and it completes later (after the SYN is sent again, ~1 s). */
START_TEST(test_in_progress)
{
	uint64_t v = galloc(4), vl = galloc(4);
	uint32_t four = 4;
	uint16_t port;
	int64_t l, c1, c2, r, s;
	int err = -1;

	net(_i);
	l = listener(AF_INET, &port, 0); /* room for one */
	EQ(CALL(nss_op_poll, (uint64_t)l, 3), 0);
	c1 = sock_(AF_INET, SOCK_STREAM);
	EQ(CALL(nss_op_poll, (uint64_t)c1, 1), 0);
	r = CALL(nss_op_connect, (uint64_t)c1, gaddr(AF_INET, port), 16);
	ck_assert(r == 0 || r == -NH_EINPROGRESS);
	ck_assert(wait_tag(1, NH_POLLOUT) & NH_POLLOUT);
	c2 = sock_(AF_INET, SOCK_STREAM);
	EQ(CALL(nss_op_poll, (uint64_t)c2, 2), 0);
	drain();
	seen[2] = 0;
	EQ(CALL(nss_op_connect, (uint64_t)c2, gaddr(AF_INET, port), 16), -NH_EINPROGRESS);
	EQ(CALL(nss_op_connect, (uint64_t)c2, gaddr(AF_INET, port), 16), -EALREADY);
	/* Accept only once the listener says so: a connection the client sees
	 * established may reach the accept queue a moment later (the last ACK). */
	ck_assert(wait_tag(3, NH_POLLIN) & NH_POLLIN); /* c1 */
	s = CALL(nss_op_accept, (uint64_t)l, 0, 0); /* room for c2's next SYN */
	ck_assert_int_ge(s, 3);
	ck_assert(wait_tag(2, NH_POLLOUT) & NH_POLLOUT);
	memcpy(G(vl), &four, 4);
	EQ(CALL(nss_op_getsockopt, (uint64_t)c2, NH_SOL_SOCKET, NH_SO_ERROR, v, vl), 0);
	memcpy(&err, G(v), 4);
	ck_assert_int_eq(err, 0);
	ck_assert(wait_tag(3, NH_POLLIN) & NH_POLLIN); /* c2 */
	ck_assert_int_ge(CALL(nss_op_accept, (uint64_t)l, 0, 0), 3);
}
END_TEST

/* Refused: at once, or in progress and then SO_ERROR says ECONNREFUSED. */
START_TEST(test_refused)
{
	uint64_t v = galloc(4), vl = galloc(4);
	uint32_t four = 4, ev;
	uint16_t port;
	int64_t l, c1, c2, c3, r;
	int err = -1;

	net(_i);
	/* nobody listens there: refused, by the op or by SO_ERROR */
	c3 = sock_(AF_INET, SOCK_STREAM);
	EQ(CALL(nss_op_poll, (uint64_t)c3, 3), 0);
	r = CALL(nss_op_connect, (uint64_t)c3, gaddr(AF_INET, 1), 16);
	ck_assert_msg(r == -ECONNREFUSED || r == -NH_EINPROGRESS, "connect = %lld", (long long)r);
	if (r == -NH_EINPROGRESS) {
		ck_assert(wait_tag(3, NH_POLLERR) & NH_POLLERR);
		memcpy(G(vl), &four, 4);
		EQ(CALL(nss_op_getsockopt, (uint64_t)c3, NH_SOL_SOCKET, NH_SO_ERROR, v, vl), 0);
		memcpy(&err, G(v), 4);
		ck_assert_int_eq(err, ECONNREFUSED);
	}
	/* in progress for certain (a full backlog drops the SYN), then the
	 * listener goes: the SYN sent again is refused, SO_ERROR tells */
	l = listener(AF_INET, &port, 0);
	c1 = sock_(AF_INET, SOCK_STREAM);
	r = CALL(nss_op_connect, (uint64_t)c1, gaddr(AF_INET, port), 16);
	ck_assert(r == 0 || r == -NH_EINPROGRESS);
	idle_(now_ns() + 20000000, 0, 0);
	c2 = sock_(AF_INET, SOCK_STREAM);
	EQ(CALL(nss_op_poll, (uint64_t)c2, 2), 0);
	EQ(CALL(nss_op_connect, (uint64_t)c2, gaddr(AF_INET, port), 16), -NH_EINPROGRESS);
	drain();
	seen[2] = 0;
	EQ(CALL(fsshim_op_close, (uint64_t)l), 0);
	ev = wait_tag(2, NH_POLLERR);
	ck_assert_msg(ev & NH_POLLERR, "events 0x%x", ev);
	memcpy(G(vl), &four, 4);
	EQ(CALL(nss_op_getsockopt, (uint64_t)c2, NH_SOL_SOCKET, NH_SO_ERROR, v, vl), 0);
	memcpy(&err, G(v), 4);
	ck_assert_int_eq(err, ECONNREFUSED);
	EQ(CALL(nss_op_getsockopt, (uint64_t)c2, NH_SOL_SOCKET, NH_SO_ERROR, v, vl), 0);
	memcpy(&err, G(v), 4);
	ck_assert_int_eq(err, 0); /* reading cleared it */
}
END_TEST

START_TEST(test_addrinuse)
{
	uint64_t one = galloc(4);
	uint16_t port;
	int64_t l, b;
	int yes = 1;

	net(_i);
	l = listener(AF_INET, &port, 4);
	b = sock_(AF_INET, SOCK_STREAM);
	EQ(CALL(nss_op_bind, (uint64_t)b, gaddr(AF_INET, port), 16), -EADDRINUSE);
	memcpy(G(one), &yes, 4);
	EQ(CALL(nss_op_setsockopt, (uint64_t)b, NH_SOL_SOCKET, NH_SO_REUSEADDR, one, 4), 0);
	EQ(CALL(nss_op_bind, (uint64_t)b, gaddr(AF_INET, port), 16), -EADDRINUSE); /* listening */
	b = sock_(AF_INET, SOCK_DGRAM);
	EQ(CALL(nss_op_bind, (uint64_t)b, gaddr(AF_INET, port), 16), 0); /* UDP is another space */
	l = sock_(AF_INET, SOCK_DGRAM);
	EQ(CALL(nss_op_bind, (uint64_t)l, gaddr(AF_INET, port), 16), -EADDRINUSE);
}
END_TEST

/* ---- UDP -------------------------------------------------------------------- */

static void udp(int family)
{
	uint64_t buf = galloc(64), from = galloc(128), flen = galloc(4);
	uint32_t room, len;
	uint16_t pa, pb, port;
	int64_t a, b;
	char out[8];

	a = sock_(family, SOCK_DGRAM);
	b = sock_(family, SOCK_DGRAM);
	EQ(CALL(nss_op_bind, (uint64_t)a, gaddr(family, 0), alen(family)), 0);
	EQ(CALL(nss_op_bind, (uint64_t)b, gaddr(family, 0), alen(family)), 0);
	pa = port_of(a);
	pb = port_of(b);
	EQ(CALL(nss_op_poll, (uint64_t)b, 5), 0);
	EQ(CALL(nss_op_recvfrom, (uint64_t)b, buf, 64, 0, 0, 0), -NH_EAGAIN);
	memcpy(G(buf), "datagram", 8);
	EQ(CALL(nss_op_sendto, (uint64_t)a, buf, 8, 0, gaddr(family, pb), alen(family)), 8);
	ck_assert(wait_tag(5, NH_POLLIN) & NH_POLLIN);
	/* PEEK leaves it there; the address is the sender's */
	room = 128;
	memcpy(G(flen), &room, 4);
	memset(G(buf), 0, 64);
	EQ(CALL(nss_op_recvfrom, (uint64_t)b, buf, 64, NH_MSG_PEEK, from, flen), 8);
	memcpy(&len, G(flen), 4);
	ck_assert_uint_eq(len, alen(family));
	memcpy(&port, G(from + 2), 2);
	ck_assert_uint_eq(ntohs(port), pa);
	ck_assert_int_eq(*(uint16_t *)G(from), family);
	/* a room of 4 bytes: the address cut there, the full length written */
	room = 4;
	memcpy(G(flen), &room, 4);
	memset(G(from), 0xee, 16);
	EQ(CALL(nss_op_recvfrom, (uint64_t)b, buf, 64, 0, from, flen), 8);
	memcpy(&len, G(flen), 4);
	ck_assert_uint_eq(len, alen(family));
	ck_assert_uint_eq(*(uint8_t *)G(from + 4), 0xee);
	memcpy(out, G(buf), 8);
	ck_assert_int_eq(memcmp(out, "datagram", 8), 0);
	EQ(CALL(nss_op_recvfrom, (uint64_t)b, buf, 64, 0, from, flen), -NH_EAGAIN);
	/* connected UDP: no address needed; FS_WRITE is a send */
	EQ(CALL(nss_op_connect, (uint64_t)a, gaddr(family, pb), alen(family)), 0);
	EQ(CALL(fsshim_op_write, (uint64_t)a, buf, 3), 3);
	ck_assert(wait_tag(5, NH_POLLIN) & NH_POLLIN);
	EQ(CALL(fsshim_op_read, (uint64_t)b, buf, 64), 3);
}

START_TEST(test_udp4)
{
	net(_i);
	udp(AF_INET);
}
END_TEST

START_TEST(test_udp6)
{
	net(_i);
	udp(AF_INET6);
}
END_TEST

/* ---- IDLE ------------------------------------------------------------------- */

START_TEST(test_idle)
{
	uint64_t ev = galloc(4 * sizeof(struct nh_pollev));
	int64_t s[3], t0, k;
	struct nh_pollev pe;

	net(_i);
	EQ(idle_(0, 0, 0), -NH_EDEADLK);     /* nothing registered */
	EQ(idle_(1, ev, 4), 0);              /* a past deadline: at once */
	t0 = now_ns();
	EQ(idle_(t0 + 20000000, ev, 4), 0);  /* a deadline, nothing registered */
	ck_assert_int_ge(now_ns() - t0, 20000000);
	for (int i = 0; i < 3; i++) {
		s[i] = sock_(AF_INET, SOCK_DGRAM); /* writable at once */
		EQ(CALL(nss_op_poll, (uint64_t)s[i], (uint64_t)(10 + i)), 0);
	}
	EQ(CALL(nss_op_poll, (uint64_t)s[0], 10), -NH_EEXIST);
	/* cap 1: one report per call, the rest kept, none lost, none twice */
	t0 = now_ns();
	for (int i = 0; i < 3; i++) {
		EQ(idle_(t0 + 1000000000, ev, 1), 1);
		memcpy(&pe, G(ev), sizeof(pe));
		ck_assert_uint_ge(pe.tag, 10);
		ck_assert_uint_le(pe.tag, 12);
		ck_assert_uint_eq(seen[pe.tag] & NH_POLLOUT, 0);
		ck_assert(pe.events & NH_POLLOUT);
		seen[pe.tag] |= pe.events;
	}
	ck_assert_int_lt(now_ns() - t0, 500000000);
	/* nothing new: the deadline ends the wait */
	t0 = now_ns();
	EQ(idle_(t0 + 30000000, ev, 4), 0);
	ck_assert_int_ge(now_ns() - t0, 30000000);
	EQ(idle_(1, ev, 4), 0);
	/* cap 0 waits all the same and reports nothing */
	t0 = now_ns();
	EQ(idle_(t0 + 10000000, 0, 0), 0);
	ck_assert_int_ge(now_ns() - t0, 10000000);
	/* a bad report array */
	EQ(idle_(1, 0, 1), -NH_EFAULT);
	EQ(idle_(1, ev, UINT64_MAX / 8), -NH_EFAULT);
	EQ(idle_(1, H.ram_end - 8, 1), -NH_EFAULT);
	/* a report pending for a socket then closed is dropped */
	k = sock_(AF_INET, SOCK_DGRAM);
	EQ(CALL(nss_op_poll, (uint64_t)k, 20), 0);
	EQ(CALL(fsshim_op_close, (uint64_t)k), 0);
	drain();
	ck_assert_uint_eq(seen[20], 0);
	for (int i = 0; i < 3; i++)
		EQ(CALL(fsshim_op_close, (uint64_t)s[i]), 0);
	EQ(idle_(0, ev, 4), -NH_EDEADLK);
}
END_TEST

/* ---- the fs-shim's ops on a socket handle, --max-files ---------------------- */

START_TEST(test_fs_ops)
{
	uint64_t st = galloc(sizeof(struct nh_stat)), b = galloc(64), d = galloc(4096);
	struct nh_stat out;
	int64_t s, h[MAX_FILES + 1], n = 0, l, c;
	uint16_t port;

	net(_i);
	s = sock_(AF_INET, SOCK_STREAM);
	EQ(CALL(fsshim_op_stat, (uint64_t)s, 0, 0, st, 0), 0);
	memcpy(&out, G(st), sizeof(out));
	ck_assert_uint_eq(out.mode & S_IFMT, S_IFSOCK);
	EQ(CALL(fsshim_op_seek, (uint64_t)s, 0, SEEK_SET), -NH_ESPIPE);
	EQ(CALL(fsshim_op_seek, (uint64_t)s, 0, 7), -NH_EINVAL);
	EQ(CALL(fsshim_op_pread, (uint64_t)s, b, 4, 0), -NH_ESPIPE);
	EQ(CALL(fsshim_op_pwrite, (uint64_t)s, b, 4, 0), -NH_ESPIPE);
	EQ(CALL(fsshim_op_pread, (uint64_t)s, b, 4, (uint64_t)-1), -NH_EINVAL);
	EQ(CALL(fsshim_op_fsync, (uint64_t)s), -NH_EINVAL);
	EQ(CALL(fsshim_op_readdir, (uint64_t)s, d, 4096, 0), -NH_ENOTDIR);
	EQ(CALL(fsshim_op_truncate, (uint64_t)s, 0, 0, 0), -NH_EINVAL);
	memcpy(G(b), "x", 1);
	EQ(CALL(fsshim_op_open, (uint64_t)s, b, 1, NH_O_RDONLY, 0), -NH_ENOTDIR);
	EQ(CALL(fsshim_op_read, (uint64_t)s, b, 64), -ENOTCONN);
	EQ(CALL(fsshim_op_write, (uint64_t)s, b, 4), -NH_EPIPE); /* and no SIGPIPE */
	EQ(CALL(fsshim_op_read, (uint64_t)s, 0, 64), -NH_EFAULT);
	EQ(CALL(fsshim_op_write, (uint64_t)s, H.ram_end - 2, 4), -NH_EFAULT);
	EQ(CALL(fsshim_op_close, (uint64_t)s), 0);
	EQ(CALL(fsshim_op_close, (uint64_t)s), -NH_EBADF);
	EQ(CALL(nss_op_listen, (uint64_t)s, 1), -NH_EBADF);

	/* sockets count against --max-files, and a closed one frees its handle */
	for (n = 0; n < MAX_FILES; n++) {
		h[n] = sock_(AF_INET, SOCK_DGRAM);
		ck_assert_int_eq(h[n], 3 + n); /* lowest free handle */
	}
	EQ(sock_(AF_INET, SOCK_DGRAM), -NH_EMFILE);
	EQ(CALL(fsshim_op_close, (uint64_t)h[5]), 0);
	EQ(sock_(AF_INET6, SOCK_STREAM), h[5]);
	/* a full table: ACCEPT is -EMFILE and the connection waits for room */
	EQ(CALL(fsshim_op_close, (uint64_t)h[0]), 0);
	EQ(CALL(fsshim_op_close, (uint64_t)h[1]), 0);
	l = listener(AF_INET, &port, 4);
	c = sock_(AF_INET, SOCK_STREAM);
	ck_assert_int_ge(c, 3);
	EQ(CALL(nss_op_poll, (uint64_t)l, 1), 0);
	CALL(nss_op_connect, (uint64_t)c, gaddr(AF_INET, port), 16);
	ck_assert(wait_tag(1, NH_POLLIN) & NH_POLLIN);
	EQ(CALL(nss_op_accept, (uint64_t)l, 0, 0), -NH_EMFILE);
	EQ(CALL(fsshim_op_close, (uint64_t)h[2]), 0);
	ck_assert_int_eq(CALL(nss_op_accept, (uint64_t)l, 0, 0), h[2]);
}
END_TEST

/* FS_DUP of a socket: a second handle on the same connection, which
 * registers on its own and outlives the first. */
START_TEST(test_dup)
{
	int64_t l, c, a, d, e;
	uint16_t port;
	char got[8];

	net(_i);
	l = listener(AF_INET, &port, 4);
	c = sock_(AF_INET, SOCK_STREAM);
	EQ(CALL(nss_op_poll, (uint64_t)l, 1), 0);
	CALL(nss_op_connect, (uint64_t)c, gaddr(AF_INET, port), 16);
	ck_assert(wait_tag(1, NH_POLLIN) & NH_POLLIN);
	a = CALL(nss_op_accept, (uint64_t)l, 0, 0);
	ck_assert_int_ge(a, 3);
	EQ(CALL(nss_op_poll, (uint64_t)a, 3), 0);
	d = CALL(fsshim_op_dup, (uint64_t)a);
	ck_assert_int_gt(d, c);
	EQ(CALL(nss_op_poll, (uint64_t)d, 2), 0);
	EQ(CALL(fsshim_op_close, (uint64_t)a), 0); /* the dup keeps the connection */
	/* a's host descriptor number comes back for a dup of the same socket:
	 * its registration went with it (epoll keeps one until the last close) */
	e = CALL(fsshim_op_dup, (uint64_t)d);
	EQ(CALL(nss_op_poll, (uint64_t)e, 4), 0);
	EQ(CALL(fsshim_op_close, (uint64_t)e), 0);
	EQ(send_(c, "dup"), 3);
	ck_assert(wait_tag(2, NH_POLLIN) & NH_POLLIN);
	EQ(recv_(d, got, sizeof(got)), 3);
	ck_assert_int_eq(memcmp(got, "dup", 3), 0);
	EQ(CALL(nss_op_sockname, (uint64_t)d, 0, 0, 1), -NH_EFAULT); /* still a socket */
	EQ(CALL(fsshim_op_dup, (uint64_t)a), -NH_EBADF);
	EQ(CALL(fsshim_op_dup, 999), -NH_EBADF);
}
END_TEST

/* ---- standard input --------------------------------------------------------- */

/* Standard input is watched only when the kernel can poll it, on both
 * backends (_i % 2), whatever the file (_i / 2): /dev/null and a regular
 * file are -EPERM, as epoll_ctl says, and IDLE has nothing to wait for
 * (io_uring's poll had taken them and said "ready" at every IDLE, which
 * then never waited: an idle server with stdin /dev/null spun at 100% CPU
 * under --net private or host); a pipe is watched and reports input once,
 * edge-triggered. */
START_TEST(test_stdin)
{
	uint64_t ev = galloc(4 * sizeof(struct nh_pollev)), b = galloc(16);
	int p[2] = {-1, -1}, fd;

	if (_i / 2 == 0)
		fd = open("/dev/null", O_RDONLY);
	else if (_i / 2 == 1)
		fd = open("/tmp", O_TMPFILE | O_RDWR, 0600);
	else
		fd = pipe(p) == 0 ? p[0] : -1;
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(dup2(fd, STDIN_FILENO), STDIN_FILENO);
	ck_assert_int_eq(close(fd), 0);
	net(_i % 2);
	if (_i / 2 < 2) {
		EQ(CALL(nss_op_poll, 0, 7), -NH_EPERM);
		EQ(idle_(0, ev, 4), -NH_EDEADLK); /* nothing watched */
		EQ(idle_(1, ev, 4), 0);
		EQ(CALL(fsshim_op_read, 0, b, 16), 0); /* unwatched: read at once, EOF */
		return;
	}
	EQ(CALL(nss_op_poll, 0, 7), 0);
	EQ(CALL(nss_op_poll, 0, 7), -NH_EEXIST);
	EQ(CALL(fsshim_op_read, 0, b, 16), -NH_EAGAIN); /* the guest's poller waits */
	EQ(idle_(now_ns() + 20000000, ev, 4), 0);        /* no input: the deadline */
	ck_assert_int_eq(write(p[1], "in", 2), 2);
	ck_assert(wait_tag(7, NH_POLLIN) & NH_POLLIN);
	EQ(CALL(fsshim_op_read, 0, b, 16), 2);
	EQ(idle_(now_ns() + 20000000, ev, 4), 0); /* read, nothing new: no report */
	ck_assert_int_eq(close(p[1]), 0);
	ck_assert(wait_tag(7, NH_POLLIN | NH_POLLHUP) != 0);
	EQ(CALL(fsshim_op_read, 0, b, 16), 0);
}
END_TEST

/* ---- validation ------------------------------------------------------------- */

START_TEST(test_validation)
{
	uint64_t b = galloc(64), l = galloc(4), a = galloc(128), v = galloc(32);
	uint32_t room;
	int64_t s, u, dn;
	int one = 1;

	net(_i);
	s = sock_(AF_INET, SOCK_STREAM);
	u = sock_(AF_INET6, SOCK_DGRAM);
	memcpy(G(a), "/dev/null", 9);
	dn = CALL(fsshim_op_open, (uint64_t)(int64_t)NH_AT_ROOT, a, 9, NH_O_RDWR, 0);
	ck_assert_int_ge(dn, 3);
	/* SOCKET */
	EQ(CALL(nss_op_socket, AF_UNIX, SOCK_STREAM, 0), -NH_EACCES); /* no launcher here */
	EQ(CALL(nss_op_socket, 17, SOCK_STREAM, 0), -NH_EAFNOSUPPORT);
	EQ(CALL(nss_op_socket, AF_INET, SOCK_RAW, 0), -ESOCKTNOSUPPORT);
	EQ(CALL(nss_op_socket, AF_INET, SOCK_SEQPACKET, 0), -ESOCKTNOSUPPORT);
	EQ(CALL(nss_op_socket, AF_INET, 11, 0), -NH_EINVAL);
	EQ(CALL(nss_op_socket, AF_INET, SOCK_STREAM | 0x100, 0), -NH_EINVAL);
	EQ(CALL(nss_op_socket, AF_INET, SOCK_STREAM, IPPROTO_UDP), -EPROTONOSUPPORT);
	EQ(CALL(nss_op_socket, AF_INET, SOCK_DGRAM, IPPROTO_TCP), -EPROTONOSUPPORT);
	u = CALL(nss_op_socket, AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
	ck_assert_int_ge(u, 3); /* flag bits ignored, the matching protocol */
	/* EBADF and ENOTSOCK, for every op */
	for (uint64_t fd = 0; fd < 3; fd++) {
		int64_t want = fd == 0 ? -NH_ENOTSOCK : -NH_EBADF; /* 0 is stdin */

		EQ(CALL(nss_op_bind, fd, gaddr(AF_INET, 0), 16), want);
		if (fd != 0)
			EQ(CALL(nss_op_poll, fd, 1), want);
	}
	/* standard input: test_stdin */
	{
		const uint64_t bad[] = {99, 1000000, (uint64_t)-1, (uint64_t)dn};

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			int64_t want = bad[i] == (uint64_t)dn ? -NH_ENOTSOCK : -NH_EBADF;

			EQ(CALL(nss_op_bind, bad[i], gaddr(AF_INET, 0), 16), want);
			EQ(CALL(nss_op_listen, bad[i], 1), want);
			EQ(CALL(nss_op_accept, bad[i], 0, 0), want);
			EQ(CALL(nss_op_connect, bad[i], gaddr(AF_INET, 1), 16), want);
			EQ(CALL(nss_op_recvfrom, bad[i], b, 4, 0, 0, 0), want);
			EQ(CALL(nss_op_sendto, bad[i], b, 4, 0, 0, 0), want);
			EQ(CALL(nss_op_shutdown, bad[i], 0), want);
			EQ(CALL(nss_op_getsockopt, bad[i], NH_SOL_SOCKET, NH_SO_TYPE, v, l), want);
			EQ(CALL(nss_op_setsockopt, bad[i], NH_SOL_SOCKET, NH_SO_REUSEADDR, v, 4), want);
			EQ(CALL(nss_op_sockname, bad[i], a, l, 0), want);
			EQ(CALL(nss_op_poll, bad[i], 1), want);
		}
	}
	/* addresses */
	EQ(CALL(nss_op_bind, (uint64_t)s, gaddr(AF_INET, 0), 1), -NH_EINVAL);
	EQ(CALL(nss_op_bind, (uint64_t)s, gaddr(AF_INET, 0), 0), -NH_EINVAL);
	EQ(CALL(nss_op_bind, (uint64_t)s, gaddr(AF_INET, 0), 15), -NH_EINVAL);
	EQ(CALL(nss_op_bind, (uint64_t)s, gaddr(AF_INET, 0), 129), -NH_EINVAL);
	EQ(CALL(nss_op_bind, (uint64_t)s, gaddr(AF_INET, 0), (uint64_t)-1), -NH_EINVAL);
	EQ(CALL(nss_op_bind, (uint64_t)u, gaddr(AF_INET6, 0), 27), -NH_EINVAL);
	EQ(CALL(nss_op_bind, (uint64_t)s, 0, 16), -NH_EFAULT);
	EQ(CALL(nss_op_bind, (uint64_t)s, H.ram_end - 8, 16), -NH_EFAULT);
	EQ(CALL(nss_op_bind, (uint64_t)s, H.guard_lo, 16), -NH_EFAULT);
	*(uint16_t *)G(a) = AF_UNIX;
	EQ(CALL(nss_op_bind, (uint64_t)s, a, 16), -NH_EAFNOSUPPORT);
	EQ(CALL(nss_op_connect, (uint64_t)s, a, 110), -NH_EAFNOSUPPORT);
	*(uint16_t *)G(a) = AF_UNSPEC;
	EQ(CALL(nss_op_connect, (uint64_t)u, a, 28), -NH_EAFNOSUPPORT);
	EQ(CALL(nss_op_sendto, (uint64_t)u, b, 1, 0, a, 28), -NH_EAFNOSUPPORT);
	EQ(CALL(nss_op_bind, (uint64_t)s, gaddr(AF_INET, 0), 128), 0); /* longer is fine */
	EQ(CALL(nss_op_bind, (uint64_t)u, gaddr(AF_INET, 0), 16), -NH_EINVAL); /* Linux's: short */
	/* the result pairs: checked before the op */
	room = 128;
	memcpy(G(l), &room, 4);
	EQ(CALL(nss_op_accept, (uint64_t)s, a, 0), -NH_EFAULT);
	EQ(CALL(nss_op_accept, (uint64_t)s, a, H.ram_end), -NH_EFAULT);
	EQ(CALL(nss_op_accept, (uint64_t)s, H.ram_end - 4, l), -NH_EFAULT);
	EQ(CALL(nss_op_sockname, (uint64_t)s, 0, l, 0), -NH_EFAULT);
	EQ(CALL(nss_op_sockname, (uint64_t)s, a, 0, 0), -NH_EFAULT);
	EQ(CALL(nss_op_sockname, (uint64_t)s, a, l, 2), -NH_EINVAL);
	room = 0x80000000u;
	memcpy(G(l), &room, 4);
	EQ(CALL(nss_op_accept, (uint64_t)s, a, l), -NH_EINVAL);
	EQ(CALL(nss_op_sockname, (uint64_t)s, a, l, 0), -NH_EINVAL);
	room = 0; /* no room: only the length */
	memcpy(G(l), &room, 4);
	EQ(CALL(nss_op_sockname, (uint64_t)s, 0, l, 0), 0);
	memcpy(&room, G(l), 4);
	ck_assert_uint_eq(room, 16);
	EQ(CALL(nss_op_sockname, (uint64_t)s, a, l, 1), -ENOTCONN);
	EQ(CALL(nss_op_accept, (uint64_t)s, 0, 0), -NH_EINVAL); /* not listening */
	/* data ops */
	EQ(CALL(nss_op_recvfrom, (uint64_t)u, b, 4, 0x40, 0, 0), -NH_EINVAL);
	EQ(CALL(nss_op_recvfrom, (uint64_t)u, b, 4, NH_MSG_PEEK | 1, 0, 0), -NH_EINVAL);
	EQ(CALL(nss_op_recvfrom, (uint64_t)u, 0, 4, 0, 0, 0), -NH_EFAULT);
	EQ(CALL(nss_op_recvfrom, (uint64_t)u, H.stack_top - 2, 4, 0, 0, 0), -NH_EFAULT);
	EQ(CALL(nss_op_recvfrom, (uint64_t)u, b, 4, 0, a, 0), -NH_EFAULT);
	EQ(CALL(nss_op_recvfrom, (uint64_t)u, b, 4, 0, 0, 0), -NH_EAGAIN);
	EQ(CALL(nss_op_sendto, (uint64_t)u, b, 4, NH_MSG_PEEK, 0, 0), -NH_EINVAL);
	EQ(CALL(nss_op_sendto, (uint64_t)u, b, 4, 0x4000, 0, 0), -NH_EINVAL); /* MSG_NOSIGNAL */
	EQ(CALL(nss_op_sendto, (uint64_t)u, 0, 4, 0, 0, 0), -NH_EFAULT);
	EQ(CALL(nss_op_sendto, (uint64_t)u, b, 4, 0, gaddr(AF_INET6, 9), 3), -NH_EINVAL);
	EQ(CALL(nss_op_sendto, (uint64_t)u, b, 4, 0, 8, 28), -NH_EFAULT);
	EQ(CALL(nss_op_sendto, (uint64_t)u, b, 4, 0, 0, 0), -EDESTADDRREQ);
	EQ(CALL(nss_op_shutdown, (uint64_t)s, 3), -NH_EINVAL);
	EQ(CALL(nss_op_shutdown, (uint64_t)s, NH_SHUT_RDWR), -ENOTCONN);
	/* options */
	room = 4;
	memcpy(G(l), &room, 4);
	EQ(CALL(nss_op_getsockopt, (uint64_t)s, NH_SOL_SOCKET, NH_SO_TYPE, v, l), 0);
	ck_assert_int_eq(*(int *)G(v), SOCK_STREAM);
	EQ(CALL(nss_op_getsockopt, (uint64_t)s, NH_SOL_SOCKET, 99, v, l), -NH_ENOPROTOOPT);
	EQ(CALL(nss_op_getsockopt, (uint64_t)s, 255, NH_SO_TYPE, v, l), -NH_ENOPROTOOPT);
	EQ(CALL(nss_op_getsockopt, (uint64_t)s, NH_IPPROTO_IP, NH_IP_ADD_MEMBERSHIP, v, l),
	   -NH_ENOPROTOOPT);
	EQ(CALL(nss_op_getsockopt, (uint64_t)s, NH_SOL_SOCKET, 26, v, l), -NH_ENOPROTOOPT);
	EQ(CALL(nss_op_getsockopt, (uint64_t)s, NH_SOL_SOCKET, NH_SO_TYPE, v, 0), -NH_EFAULT);
	EQ(CALL(nss_op_getsockopt, (uint64_t)s, NH_SOL_SOCKET, NH_SO_TYPE, 0, l), -NH_EFAULT);
	room = 3;
	memcpy(G(l), &room, 4);
	EQ(CALL(nss_op_getsockopt, (uint64_t)s, NH_SOL_SOCKET, NH_SO_TYPE, v, l), -NH_EINVAL);
	room = 64; /* more room: the value's own length comes back */
	memcpy(G(l), &room, 4);
	EQ(CALL(nss_op_getsockopt, (uint64_t)s, NH_SOL_SOCKET, NH_SO_LINGER, v, l), 0);
	memcpy(&room, G(l), 4);
	ck_assert_uint_eq(room, 8);
	memcpy(G(v), &one, 4);
	EQ(CALL(nss_op_setsockopt, (uint64_t)s, NH_IPPROTO_TCP, NH_TCP_NODELAY, v, 4), 0);
	EQ(CALL(nss_op_setsockopt, (uint64_t)s, NH_IPPROTO_TCP, NH_TCP_NODELAY, v, 8), -NH_EINVAL);
	EQ(CALL(nss_op_setsockopt, (uint64_t)s, NH_IPPROTO_TCP, NH_TCP_NODELAY, v, 1), -NH_EINVAL);
	EQ(CALL(nss_op_setsockopt, (uint64_t)s, NH_IPPROTO_TCP, NH_TCP_NODELAY, 0, 4), -NH_EFAULT);
	EQ(CALL(nss_op_setsockopt, (uint64_t)s, NH_SOL_SOCKET, NH_SO_TYPE, v, 4), -NH_ENOPROTOOPT);
	EQ(CALL(nss_op_setsockopt, (uint64_t)s, NH_SOL_SOCKET, NH_SO_ERROR, v, 4), -NH_ENOPROTOOPT);
	EQ(CALL(nss_op_setsockopt, (uint64_t)s, NH_IPPROTO_TCP, 13 /* TCP_CONGESTION */, v, 4),
	   -NH_ENOPROTOOPT);
	EQ(CALL(nss_op_setsockopt, (uint64_t)s, NH_SOL_SOCKET, 25 /* SO_BINDTODEVICE */, v, 4),
	   -NH_ENOPROTOOPT);
	EQ(CALL(nss_op_setsockopt, (uint64_t)s, NH_SOL_SOCKET, NH_SO_LINGER, v, 4), -NH_EINVAL);
	memset(G(v), 0, 8);
	EQ(CALL(nss_op_setsockopt, (uint64_t)s, NH_SOL_SOCKET, NH_SO_LINGER, v, 8), 0);
	EQ(CALL(nss_op_setsockopt, (uint64_t)sock_(AF_INET6, SOCK_STREAM), NH_IPPROTO_IPV6,
	        NH_IPV6_V6ONLY, v, 4), 0);
	EQ(CALL(nss_op_setsockopt, (uint64_t)u, NH_IPPROTO_IPV6, NH_IPV6_JOIN_GROUP, v, 16),
	   -NH_EINVAL);
	EQ(CALL(nss_op_setsockopt, (uint64_t)s, NH_IPPROTO_IP, NH_IP_MULTICAST_IF, v, 5),
	   -NH_EINVAL);
	/* an option of the wrong family: the kernel's answer */
	ck_assert_int_lt(CALL(nss_op_setsockopt, (uint64_t)s, NH_IPPROTO_IPV6, NH_IPV6_V6ONLY, v, 4),
	                 0);
}
END_TEST

/* The ops of a network that is none: SOCKET -EACCES, every handle no socket. */
START_TEST(test_none)
{
	H.opts.net.mode = NSS_NONE;
	nss_setup(&H, NULL);
	ck_assert(H.net.ready);
	ck_assert_int_eq(H.net.fd, -1);
	ck_assert_ptr_null(H.net.sock);
	EQ(sock_(AF_INET, SOCK_STREAM), -NH_EACCES);
	EQ(CALL(nss_op_socket, AF_UNIX, 99, 7), -NH_EACCES); /* before any other check */
	EQ(CALL(nss_op_poll, 0, 1), -NH_ENOTSOCK);
	EQ(CALL(nss_op_poll, 3, 1), -NH_EBADF);
	EQ(idle_(0, 0, 0), -NH_EDEADLK);
	EQ(idle_(1, 0, 0), 0);
}
END_TEST

/* NET_IFACES in the test's own namespace (--net private): lo alone, as
 * netlink lists it; the op's errors; an empty table under none. */
START_TEST(test_ifaces)
{
	uint64_t b = galloc(4096);
	const struct nh_ifaces *hd = (const void *)(uintptr_t)b;
	const struct nh_iface *lo = (const void *)(uintptr_t)(b + sizeof(*hd));
	const struct nh_ifaddr *a = (const void *)(uintptr_t)(b + sizeof(*hd) + sizeof(*lo));
	const uint8_t v4[4] = {127, 0, 0, 1}, v6[16] = {[15] = 1};
	const int64_t want = sizeof(*hd) + sizeof(*lo) + 2 * sizeof(*a);

	net(0);
	ck_assert(H.net.ifaces_ready);
	EQ(CALL(nss_op_ifaces, b, 8), -NH_ERANGE);
	EQ(CALL(nss_op_ifaces, 0x40, 4096), -NH_EFAULT);
	EQ(CALL(nss_op_ifaces, H.ram_end - 64, 4096), -NH_EFAULT);
	EQ(CALL(nss_op_ifaces, b, 4096), want);
	EQ(CALL(nss_op_ifaces, b, (uint64_t)want), want);
	ck_assert_uint_eq(hd->niface, 1);
	ck_assert_uint_eq(hd->naddr, 2);
	ck_assert_int_eq(lo->index, 1);
	ck_assert_str_eq(lo->name, "lo");
	ck_assert_uint_eq(lo->flags & (IFF_UP | IFF_LOOPBACK), IFF_UP | IFF_LOOPBACK);
	ck_assert_uint_eq(lo->mtu, 65536);
	ck_assert_uint_eq(lo->type, 772); /* ARPHRD_LOOPBACK */
	ck_assert_int_eq(a[0].index, 1);
	ck_assert_uint_eq(a[0].family, NH_AF_INET);
	ck_assert_uint_eq(a[0].prefixlen, 8);
	ck_assert_int_eq(memcmp(a[0].addr, v4, 4), 0);
	ck_assert_uint_eq(a[1].family, NH_AF_INET6);
	ck_assert_uint_eq(a[1].prefixlen, 128);
	ck_assert_int_eq(memcmp(a[1].addr, v6, 16), 0);
	/* an image that did not ask has no table: its code cannot ask */
	H.net.ifaces_ready = false;
	EQ(CALL(nss_op_ifaces, b, 4096), -NH_ENOSYS);
	H.net.ifaces_ready = true;
	H.net.ifaces_err = -NH_EACCES; /* the dump's errno, as under qemu */
	EQ(CALL(nss_op_ifaces, b, 4096), -NH_EACCES);
	/* --net none: nothing, no error */
	H.net.mode = NSS_NONE;
	memset((void *)(uintptr_t)b, 0xff, 16);
	EQ(CALL(nss_op_ifaces, b, 4096), 8);
	ck_assert_uint_eq(hd->niface, 0);
	ck_assert_uint_eq(hd->naddr, 0);
	EQ(CALL(nss_op_ifaces, b, 7), -NH_ERANGE);
}
END_TEST

/* Append one netlink message of type with payload hdr (hlen bytes) and
 * attributes (type, bytes, len), NULL-ended; its length. */
static size_t msg(uint8_t *at, uint16_t type, const void *hdr, size_t hlen, ...)
{
	struct nlmsghdr *m = (struct nlmsghdr *)at;
	size_t len = NLMSG_LENGTH(hlen);
	va_list ap;
	const void *v;

	memset(at, 0, NLMSG_SPACE(hlen));
	memcpy(NLMSG_DATA(m), hdr, hlen);
	len = NLMSG_ALIGN(len);
	va_start(ap, hlen);
	while ((v = va_arg(ap, const void *)) != NULL) {
		int t = va_arg(ap, int);
		size_t n = va_arg(ap, size_t);
		struct rtattr *ra = (struct rtattr *)(at + len);

		ra->rta_type = (unsigned short)t;
		ra->rta_len = (unsigned short)RTA_LENGTH(n);
		memcpy(RTA_DATA(ra), v, n);
		len += RTA_SPACE(n);
	}
	va_end(ap);
	m->nlmsg_len = (uint32_t)len;
	m->nlmsg_type = type;
	return len;
}

/* The parser on messages made here: what each field takes, IFA_LOCAL
 * over IFA_ADDRESS, a family Go ignores, short attributes, NLMSG_ERROR. */
START_TEST(test_ifaces_parse)
{
	static uint8_t buf[4096];
	struct nss n = {.ifaces_len = 0};
	const struct ifinfomsg link = {.ifi_index = 7, .ifi_type = 778, .ifi_flags = IFF_UP};
	const struct ifaddrmsg ptp = {.ifa_family = AF_INET, .ifa_prefixlen = 32, .ifa_index = 7};
	const struct ifaddrmsg pkt = {.ifa_family = AF_PACKET, .ifa_index = 7};
	const struct ifaddrmsg v6 = {.ifa_family = AF_INET6, .ifa_prefixlen = 64, .ifa_index = 7};
	const uint8_t peer[4] = {10, 0, 0, 2}, local[4] = {10, 0, 0, 1}, ip4[4] = {1, 2, 3, 4};
	const uint32_t mtu = 1476;
	const char name[] = "gre-with-a-long-name";
	const struct nh_ifaces *hd;
	const struct nh_iface *l;
	const struct nh_ifaddr *a;
	struct nlmsgerr err = {.error = -EPERM};
	size_t k;

	n.ifaces = calloc(1, sizeof(struct nh_ifaces));
	n.ifaces_len = n.ifaces_cap = sizeof(struct nh_ifaces);
	k = msg(buf, RTM_NEWLINK, &link, sizeof(link), name, IFLA_IFNAME, sizeof(name), &mtu,
	        IFLA_MTU, sizeof(mtu), ip4, IFLA_ADDRESS, sizeof(ip4), NULL);
	k += msg(buf + k, RTM_NEWADDR, &ptp, sizeof(ptp), NULL); /* not this dump's */
	k += msg(buf + k, NLMSG_DONE, &mtu, sizeof(mtu), NULL);
	EQ(nss_ifaces_parse(&n, buf, k, RTM_NEWLINK), 1);
	k = msg(buf, RTM_NEWADDR, &ptp, sizeof(ptp), peer, IFA_ADDRESS, sizeof(peer), local,
	        IFA_LOCAL, sizeof(local), NULL);
	k += msg(buf + k, RTM_NEWADDR, &pkt, sizeof(pkt), ip4, IFA_ADDRESS, sizeof(ip4), NULL);
	k += msg(buf + k, RTM_NEWADDR, &v6, sizeof(v6), ip4, IFA_ADDRESS, sizeof(ip4), NULL);
	k += msg(buf + k, RTM_NEWADDR, &v6, sizeof(v6), NULL); /* no attribute: nothing */
	EQ(nss_ifaces_parse(&n, buf, k, RTM_NEWADDR), 0); /* no DONE yet: more to come */
	hd = n.ifaces;
	l = (const void *)(hd + 1);
	a = (const void *)(l + 1);
	ck_assert_uint_eq(hd->niface, 1);
	ck_assert_uint_eq(hd->naddr, 1); /* AF_PACKET left out, the short IPv6 one too */
	ck_assert_int_eq(l->index, 7);
	ck_assert_uint_eq(l->type, 778);
	ck_assert_uint_eq(l->mtu, 1476);
	ck_assert_str_eq(l->name, "gre-with-a-long"); /* cut at IFNAMSIZ, terminated */
	ck_assert_uint_eq(l->hwlen, 4);
	ck_assert_int_eq(memcmp(l->hw, ip4, 4), 0);
	ck_assert_uint_eq(a->family, NH_AF_INET);
	ck_assert_uint_eq(a->prefixlen, 32);
	ck_assert_int_eq(memcmp(a->addr, local, 4), 0); /* IFA_LOCAL: the peer's is skipped */
	ck_assert_uint_eq(n.ifaces_len, sizeof(*hd) + sizeof(*l) + sizeof(*a));
	k = msg(buf, NLMSG_ERROR, &err, sizeof(err), NULL);
	EQ(nss_ifaces_parse(&n, buf, k, RTM_NEWADDR), -EPERM);
	EQ(nss_ifaces_parse(&n, buf, 8, RTM_NEWADDR), 0); /* shorter than a header: nothing */
	free(n.ifaces);
}
END_TEST

Suite *net_suite(void)
{
	Suite *s = suite_create("net");
	TCase *tc = tcase_create("ops");

	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, test_tcp4, 0, 2);
	tcase_add_loop_test(tc, test_tcp6, 0, 2);
	tcase_add_loop_test(tc, test_send_full, 0, 2);
	tcase_add_loop_test(tc, test_in_progress, 0, 2);
	tcase_add_loop_test(tc, test_refused, 0, 2);
	tcase_add_loop_test(tc, test_addrinuse, 0, 2);
	tcase_add_loop_test(tc, test_udp4, 0, 2);
	tcase_add_loop_test(tc, test_udp6, 0, 2);
	tcase_add_loop_test(tc, test_idle, 0, 2);
	tcase_add_loop_test(tc, test_fs_ops, 0, 2);
	tcase_add_loop_test(tc, test_dup, 0, 2);
	tcase_add_loop_test(tc, test_stdin, 0, 6);
	tcase_add_loop_test(tc, test_validation, 0, 2);
	tcase_add_test(tc, test_none);
	tcase_add_test(tc, test_ifaces);
	tcase_add_test(tc, test_ifaces_parse);
	suite_add_tcase(s, tc);
	return s;
}
