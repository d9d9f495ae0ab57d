/*
 * check_net_policy.c - unit tests of the netstack-shim's policy: the
 * command line (every error, one line naming the option, the value and
 * why), the grant checks, --net host's EACCES for BIND, LISTEN, CONNECT and
 * SENDTO (in a network namespace of the test's own, with both backends),
 * the default mode from the image's symbols, the io_uring ring's
 * restrictions (a forbidden opcode, SQE flag or register op submitted
 * through the same ring is -EACCES), the ops under the whole sandbox
 * (seccomp with the network's rules, Landlock's TCP port rules refusing a
 * raw bind and connect outside the grants) and --policy's description.
 */
#include <arpa/inet.h>
#include <check.h>
#include <elf.h>
#include <errno.h>
#include <liburing.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"
#include "unit.h"

#define MEM (UINT64_C(16) << 20)

static struct nh_host H;
static uint64_t scratch;

static void setup(void)
{
	memset(&H, 0, sizeof(H));
	H.opts = (struct nh_opts){.memory = MEM, .image = "img", .max_files = 16};
	ck_assert_int_eq(chdir("/tmp"), 0);
	fsshim_setup(&H);
	fsshim_open(&H);
	ram_map(&H);
	scratch = H.ram_start + 0x100000;
}

/* Guest memory, from scratch. */
#define galloc(n) unit_galloc(&scratch, (n))


/* A guest sockaddr: an IPv4 or IPv6 literal, port. */
static uint64_t gaddr(const char *ip, uint16_t port)
{
	uint64_t p = galloc(sizeof(struct sockaddr_in6));

	if (strchr(ip, ':') == NULL) {
		struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};

		ck_assert_int_eq(inet_pton(AF_INET, ip, &a.sin_addr), 1);
		memcpy(G(p), &a, sizeof(a));
	} else {
		struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = htons(port)};

		ck_assert_int_eq(inet_pton(AF_INET6, ip, &a.sin6_addr), 1);
		memcpy(G(p), &a, sizeof(a));
	}
	return p;
}

/* ---- the command line ------------------------------------------------------- */

static enum cli_action parse(struct nh_opts *o, char *err, char **argv)
{
	int argc = 0;

	while (argv[argc] != NULL)
		argc++;
	return cli_parse(argc, argv, o, err, 256);
}

#define ARGV(...) ((char *[]){"nonehost", __VA_ARGS__, NULL})

START_TEST(test_cli)
{
	static char *ok[] = {"nonehost", "--net", "host", "--net-bind", "8080", "--net-bind=0",
	                     "--net-bind", "9000-9010", "--net-connect", "127.0.0.1:*",
	                     "--net-connect=[::1]:443", "--net-connect", "*:53",
	                     "--net-connect", "[::ffff:10.0.0.1]:1-1024",
	                     "--net-backend", "epoll", "img", "--net", "x", NULL};
	struct nh_opts o;
	char err[256];

	ck_assert_int_eq(parse(&o, err, ok), CLI_RUN);
	ck_assert_int_eq(o.argc, 3); /* "--net x" after IMAGE is the guest's */
	ck_assert_int_eq(o.net.mode, NSS_HOST);
	ck_assert_int_eq(o.net.backend, NSS_EPOLL);
	ck_assert_uint_eq(o.net.nbind, 3);
	ck_assert_uint_eq(o.net.bind[0].lo, 8080);
	ck_assert_uint_eq(o.net.bind[0].hi, 8080);
	ck_assert_uint_eq(o.net.bind[1].lo, 0);
	ck_assert_uint_eq(o.net.bind[2].lo, 9000);
	ck_assert_uint_eq(o.net.bind[2].hi, 9010);
	ck_assert_uint_eq(o.net.nconnect, 4);
	ck_assert_uint_eq(o.net.connect[0].family, NH_AF_INET);
	ck_assert(o.net.connect[0].any_port);
	ck_assert_uint_eq(o.net.connect[0].port.lo, 1);
	ck_assert_uint_eq(o.net.connect[0].port.hi, 65535);
	ck_assert_uint_eq(o.net.connect[1].family, NH_AF_INET6);
	ck_assert_uint_eq(o.net.connect[1].addr[15], 1);
	ck_assert_uint_eq(o.net.connect[1].port.lo, 443);
	ck_assert_uint_eq(o.net.connect[2].family, 0);
	ck_assert_uint_eq(o.net.connect[3].family, NH_AF_INET); /* v4-mapped */
	ck_assert_int_eq(memcmp(o.net.connect[3].addr, "\x0a\x00\x00\x01", 4), 0);
	ck_assert_str_eq(o.net.connect[3].arg, "[::ffff:10.0.0.1]:1-1024");
	ck_assert_int_eq(parse(&o, err, ARGV("img")), CLI_RUN);
	ck_assert_int_eq(o.net.mode, NSS_DEFAULT);
	ck_assert_int_eq(o.net.backend, NSS_AUTO);
	ck_assert_int_eq(parse(&o, err, ARGV("--net=private", "--isolate", "img")), CLI_RUN);
	ck_assert_int_eq(parse(&o, err, ARGV("--net", "none", "--net", "none", "img")), CLI_RUN);
	ck_assert_int_eq(parse(&o, err, ARGV("--policy", "--net", "host", "--net-bind", "1")),
	                 CLI_POLICY);
}
END_TEST

static const struct {
	char *argv[8];
	const char *err;
} bad_lines[] = {
	{{"--net", "bogus", "img"}, "--net bogus: not a mode (none, private or host)"},
	{{"--net"}, "--net: needs a value (none, private or host)"},
	{{"--net", "host", "--net", "none", "img"}, "--net none: given twice (--net host before)"},
	{{"--net-backend", "io_uring", "img"}, "--net-backend io_uring: not a backend (auto, "
	                                        "uring or epoll)"},
	{{"--net-bind", "80", "img"}, "--net-bind 80: needs --net host (a grant of the host's "
	                               "network)"},
	{{"--net", "private", "--net-connect", "1.2.3.4:80", "img"},
	 "--net-connect 1.2.3.4:80: needs --net host (a grant of the host's network)"},
	{{"--policy", "--net-bind", "80"}, "--net-bind 80: needs --net host"},
	{{"--net", "host", "--isolate", "img"}, "--net host: --isolate runs the image in a "
	                                         "network namespace of its own"},
	{{"--net", "host", "--net-bind", "70000", "img"}, "--net-bind 70000: not a port (0-65535) "
	                                                   "or a range LO-HI"},
	{{"--net", "host", "--net-bind", "", "img"}, "--net-bind : not a port"},
	{{"--net", "host", "--net-bind", "-5", "img"}, "--net-bind -5: not a port"},
	{{"--net", "host", "--net-bind", "8080-", "img"}, "--net-bind 8080-: not a port"},
	{{"--net", "host", "--net-bind", "+80", "img"}, "--net-bind +80: not a port"},
	{{"--net", "host", "--net-bind", "0x50", "img"}, "--net-bind 0x50: not a port"},
	{{"--net", "host", "--net-bind", "000080", "img"}, "--net-bind 000080: not a port"},
	{{"--net", "host", "--net-bind", "0-5", "img"}, "--net-bind 0-5: a range starts at 1 "
	                                                 "(port 0, ephemeral binds, is granted alone)"},
	{{"--net", "host", "--net-bind", "9-5", "img"}, "--net-bind 9-5: the range is empty "
	                                                 "(LO above HI)"},
	{{"--net", "host", "--net-bind", "1-2-3", "img"}, "--net-bind 1-2-3: not a port"},
	{{"--net", "host", "--net-connect", "1.2.3.4", "img"},
	 "--net-connect 1.2.3.4: no :PORT (ADDR:PORT, e.g. 127.0.0.1:8080, [::1]:443, *:*)"},
	{{"--net", "host", "--net-connect", "::1:80", "img"},
	 "--net-connect ::1:80: an IPv6 literal goes in brackets ([ADDR]:PORT)"},
	{{"--net", "host", "--net-connect", "[::1]80", "img"}, "--net-connect [::1]80: no :PORT"},
	{{"--net", "host", "--net-connect", "[::1:80", "img"}, "--net-connect [::1:80: no :PORT"},
	{{"--net", "host", "--net-connect", "[zz]:80", "img"},
	 "--net-connect [zz]:80: not an IPv6 literal inside [ ]"},
	{{"--net", "host", "--net-connect", "[1.2.3.4]:80", "img"},
	 "--net-connect [1.2.3.4]:80: not an IPv6 literal inside [ ]"},
	{{"--net", "host", "--net-connect", "1.2.3:80", "img"},
	 "--net-connect 1.2.3:80: not an address (an IPv4 literal, [IPv6] or *)"},
	{{"--net", "host", "--net-connect", "localhost:80", "img"},
	 "--net-connect localhost:80: not an address"},
	{{"--net", "host", "--net-connect", ":80", "img"}, "--net-connect :80: not an address"},
	{{"--net", "host", "--net-connect", "1.2.3.4:0", "img"},
	 "--net-connect 1.2.3.4:0: port 0 cannot be connected to"},
	{{"--net", "host", "--net-connect", "1.2.3.4:65536", "img"},
	 "--net-connect 1.2.3.4:65536: not a port"},
	{{"--net", "host", "--net-connect", "1.2.3.4:", "img"}, "--net-connect 1.2.3.4:: not a port"},
	{{"--net", "host", "--net-connect", "*:**", "img"}, "--net-connect *:**: not a port"},
	{{"--net", "host", "--net-connect", "**:80", "img"}, "--net-connect **:80: not an address"},
	{{"--net-connect"}, "--net-connect: needs a value (ADDR:PORT, e.g. 127.0.0.1:8080)"},
	{{"--net-bindx", "1", "img"}, "--net-bindx: unknown option"},
};

START_TEST(test_cli_errors)
{
	struct nh_opts o;
	char err[256], *argv[10] = {"nonehost"};
	int argc = 1;

	for (int k = 0; k < 8 && bad_lines[_i].argv[k] != NULL; k++)
		argv[argc++] = bad_lines[_i].argv[k];
	argv[argc] = NULL;
	ck_assert_int_eq(parse(&o, err, argv), CLI_ERROR);
	ck_assert_msg(strncmp(err, bad_lines[_i].err, strlen(bad_lines[_i].err)) == 0,
	              "err \"%s\", want \"%s...\"", err, bad_lines[_i].err);
}
END_TEST

START_TEST(test_cli_too_many)
{
	struct nh_opts o;
	char err[256], *argv[2 * NSS_MAX_BIND + 8];
	int argc = 0;

	argv[argc++] = "nonehost";
	argv[argc++] = "--net";
	argv[argc++] = "host";
	for (int k = 0; k <= NSS_MAX_BIND; k++) {
		argv[argc++] = "--net-bind";
		argv[argc++] = "80";
	}
	argv[argc++] = "img";
	argv[argc] = NULL;
	ck_assert_int_eq(parse(&o, err, argv), CLI_ERROR);
	ck_assert_str_eq(err, "--net-bind 80: too many grants (32 at most)");
}
END_TEST

START_TEST(test_usage_documents)
{
	char buf[8192];
	int pfd[2];
	ssize_t n;

	ck_assert_int_eq(pipe(pfd), 0);
	cli_usage(pfd[1]);
	close(pfd[1]);
	n = read(pfd[0], buf, sizeof(buf) - 1);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	close(pfd[0]);
	ck_assert_ptr_nonnull(strstr(buf, "--net none|private|host"));
	ck_assert_ptr_nonnull(strstr(buf, "--net-bind PORT|LO-HI"));
	ck_assert_ptr_nonnull(strstr(buf, "--net-connect ADDR:PORT"));
	ck_assert_ptr_nonnull(strstr(buf, "--net-backend auto|uring|epoll"));
}
END_TEST

/* The gate serves every network op, and nothing past them. */
START_TEST(test_gate_table)
{
	ck_assert(gate_ops_complete());
	ck_assert_str_eq(gate_op_lookup(NH_OP_NET_SOCKET)->name, "net_socket");
	ck_assert_str_eq(gate_op_lookup(NH_OP_NET_POLL)->name, "net_poll");
	ck_assert_str_eq(gate_op_lookup(NH_OP_IDLE)->args, "uxu");
	ck_assert_ptr_null(gate_op_lookup(NH_OP_NET_SOCKET - 1));
	ck_assert_ptr_null(gate_op_lookup(NH_OP_FS_MAX + 1));
	ck_assert_ptr_null(gate_op_lookup(NH_OP_NET_MAX + 1));
	ck_assert_ptr_null(gate_op_lookup(NH_OP_PROC_PIPE - 1));
	ck_assert_ptr_null(gate_op_lookup(NH_OP_PROC_MAX + 1));
}
END_TEST

/* ---- the grant checks --------------------------------------------------------- */

static bool dest_ok(const struct nss_opts *o, const char *ip, uint16_t port)
{
	uint64_t a = gaddr(ip, port);

	return nss_connect_allowed(o, (const struct sockaddr *)G(a));
}

START_TEST(test_grants)
{
	struct nss_opts o = {.mode = NSS_HOST};
	char err[256];

	ck_assert(!nss_bind_allowed(&o, 0));
	ck_assert(!dest_ok(&o, "127.0.0.1", 80));
	ck_assert(nss_parse_bind("8080", &o, err, sizeof(err)));
	ck_assert(nss_parse_bind("100-200", &o, err, sizeof(err)));
	ck_assert(nss_bind_allowed(&o, 8080));
	ck_assert(nss_bind_allowed(&o, 100) && nss_bind_allowed(&o, 150) && nss_bind_allowed(&o, 200));
	ck_assert(!nss_bind_allowed(&o, 99) && !nss_bind_allowed(&o, 201) && !nss_bind_allowed(&o, 0));
	ck_assert(nss_parse_bind("0", &o, err, sizeof(err)));
	ck_assert(nss_bind_allowed(&o, 0));
	ck_assert(nss_parse_connect("127.0.0.1:80", &o, err, sizeof(err)));
	ck_assert(nss_parse_connect("[::1]:1000-1010", &o, err, sizeof(err)));
	ck_assert(nss_parse_connect("*:53", &o, err, sizeof(err)));
	ck_assert(dest_ok(&o, "127.0.0.1", 80));
	ck_assert(!dest_ok(&o, "127.0.0.1", 81));
	ck_assert(!dest_ok(&o, "127.0.0.2", 80));
	ck_assert(dest_ok(&o, "::ffff:127.0.0.1", 80)); /* v4-mapped is the IPv4 address */
	ck_assert(!dest_ok(&o, "::1", 80));
	ck_assert(dest_ok(&o, "::1", 1000) && dest_ok(&o, "::1", 1010));
	ck_assert(!dest_ok(&o, "::1", 1011) && !dest_ok(&o, "::2", 1005));
	ck_assert(!dest_ok(&o, "127.0.0.1", 1005));
	ck_assert(dest_ok(&o, "8.8.8.8", 53) && dest_ok(&o, "2001:db8::1", 53));
	ck_assert(!dest_ok(&o, "8.8.8.8", 54));
	ck_assert(nss_parse_connect("[::ffff:1.2.3.4]:9", &o, err, sizeof(err)));
	ck_assert(dest_ok(&o, "1.2.3.4", 9) && dest_ok(&o, "::ffff:1.2.3.4", 9));
	ck_assert(nss_parse_connect("10.0.0.1:*", &o, err, sizeof(err)));
	ck_assert(dest_ok(&o, "10.0.0.1", 1) && dest_ok(&o, "10.0.0.1", 65535));
}
END_TEST

/* ---- --net host: the host's own checks ------------------------------------------ */

/* --net host, but in a network namespace of this test's own. */
static void host_net(int backend, const char *const *binds, const char *const *dests)
{
	char err[256];
	bool userns;

	ck_assert_int_eq(sbx_unshare_net(&userns), 0);
	ck_assert_int_eq(nss_lo_up(), 0);
	H.opts.net.mode = NSS_HOST;
	H.opts.net.backend = backend == 0 ? NSS_URING : NSS_EPOLL;
	for (; binds != NULL && *binds != NULL; binds++)
		ck_assert_msg(nss_parse_bind(*binds, &H.opts.net, err, sizeof(err)), "%s", err);
	for (; dests != NULL && *dests != NULL; dests++)
		ck_assert_msg(nss_parse_connect(*dests, &H.opts.net, err, sizeof(err)), "%s", err);
	nss_setup(&H, NULL);
	ck_assert_int_eq(H.net.mode, NSS_HOST);
	ck_assert(!H.net.netns);
}

static int64_t sock_(int family, int type)
{
	return CALL(nss_op_socket, (uint64_t)family, (uint64_t)type, 0);
}

START_TEST(test_host)
{
	static const char *const binds[] = {"40001", "40010-40011", NULL};
	static const char *const dests[] = {"127.0.0.1:40001", "[::1]:40010", NULL};
	uint64_t b = galloc(16);
	int64_t l, c, u, r;

	host_net(_i, binds, dests);
	l = sock_(AF_INET, SOCK_STREAM);
	EQ(CALL(nss_op_bind, (uint64_t)l, gaddr("127.0.0.1", 40002), 16), -NH_EACCES);
	EQ(CALL(nss_op_bind, (uint64_t)l, gaddr("127.0.0.1", 0), 16), -NH_EACCES);
	EQ(CALL(nss_op_listen, (uint64_t)l, 4), -NH_EACCES); /* would bind an ephemeral port */
	EQ(CALL(nss_op_bind, (uint64_t)l, gaddr("127.0.0.1", 40001), 16), 0);
	EQ(CALL(nss_op_listen, (uint64_t)l, 4), 0);
	c = sock_(AF_INET, SOCK_STREAM);
	EQ(CALL(nss_op_connect, (uint64_t)c, gaddr("127.0.0.1", 40002), 16), -NH_EACCES);
	EQ(CALL(nss_op_connect, (uint64_t)c, gaddr("127.0.0.2", 40001), 16), -NH_EACCES);
	r = CALL(nss_op_connect, (uint64_t)c, gaddr("127.0.0.1", 40001), 16);
	ck_assert_msg(r == 0 || r == -NH_EINPROGRESS, "connect = %lld", (long long)r);
	/* IPv6: the grant is ::1 port 40010; v4-mapped 127.0.0.1 counts as IPv4 */
	c = sock_(AF_INET6, SOCK_STREAM);
	EQ(CALL(nss_op_connect, (uint64_t)c, gaddr("::1", 40001), 28), -NH_EACCES);
	r = CALL(nss_op_connect, (uint64_t)c, gaddr("::ffff:127.0.0.1", 40001), 28);
	ck_assert_msg(r == 0 || r == -NH_EINPROGRESS, "connect = %lld", (long long)r);
	l = sock_(AF_INET6, SOCK_STREAM);
	EQ(CALL(nss_op_bind, (uint64_t)l, gaddr("::1", 40011), 28), 0);
	/* UDP: bind grants hold for UDP, connect grants for its destinations */
	u = sock_(AF_INET, SOCK_DGRAM);
	EQ(CALL(nss_op_bind, (uint64_t)u, gaddr("127.0.0.1", 40001), 16), 0); /* a receiver */
	u = sock_(AF_INET, SOCK_DGRAM);
	EQ(CALL(nss_op_bind, (uint64_t)u, gaddr("127.0.0.1", 40003), 16), -NH_EACCES);
	EQ(CALL(nss_op_bind, (uint64_t)u, gaddr("127.0.0.1", 40010), 16), 0);
	EQ(CALL(nss_op_sendto, (uint64_t)u, b, 4, 0, gaddr("127.0.0.1", 40009), 16), -NH_EACCES);
	EQ(CALL(nss_op_sendto, (uint64_t)u, b, 4, 0, gaddr("127.0.0.1", 40001), 16), 4);
	EQ(CALL(nss_op_sendto, (uint64_t)u, b, 4, 0, 0, 0), -EDESTADDRREQ); /* not connected */
	EQ(CALL(nss_op_connect, (uint64_t)u, gaddr("127.0.0.1", 53), 16), -NH_EACCES);
	EQ(CALL(nss_op_connect, (uint64_t)u, gaddr("127.0.0.1", 40001), 16), 0);
	EQ(CALL(nss_op_sendto, (uint64_t)u, b, 4, 0, 0, 0), 4); /* its granted peer */
	EQ(CALL(fsshim_op_write, (uint64_t)u, b, 4), 4);
	/* a denial happens before the address reaches the kernel: a bad one is
	 * still its own error first */
	EQ(CALL(nss_op_sendto, (uint64_t)u, b, 4, 0, gaddr("127.0.0.1", 1), 3), -NH_EINVAL);
}
END_TEST

START_TEST(test_host_ephemeral)
{
	static const char *const binds[] = {"0", NULL};
	int64_t l;

	host_net(_i, binds, NULL);
	l = sock_(AF_INET, SOCK_STREAM);
	EQ(CALL(nss_op_listen, (uint64_t)l, 4), 0); /* "0" grants the ephemeral bind */
	l = sock_(AF_INET, SOCK_STREAM);
	EQ(CALL(nss_op_bind, (uint64_t)l, gaddr("127.0.0.1", 0), 16), 0);
	l = sock_(AF_INET, SOCK_STREAM);
	EQ(CALL(nss_op_bind, (uint64_t)l, gaddr("127.0.0.1", 1234), 16), -NH_EACCES);
	EQ(CALL(nss_op_connect, (uint64_t)l, gaddr("127.0.0.1", 1234), 16), -NH_EACCES);
}
END_TEST

/* ---- the default mode ------------------------------------------------------------- */

/* Without --net nothing is granted: none, whatever the image. */
START_TEST(test_default_mode)
{
	char why[192];

	H.opts.net.mode = NSS_DEFAULT;
	ck_assert_int_eq(nss_mode_of(&H, why, sizeof(why)), NSS_NONE);
	ck_assert_str_eq(why, "the default (--net private or host grants sockets)");
	H.opts.net.mode = NSS_HOST;
	ck_assert_int_eq(nss_mode_of(&H, why, sizeof(why)), NSS_HOST);
	ck_assert_str_eq(why, "--net host");
}
END_TEST

/* ---- the ring's restrictions ---------------------------------------------------------- */

/* Submit one crafted SQE through the netstack's own ring: its CQE's res. */
static int crafted(uint8_t opcode, uint8_t flags, int fd)
{
	struct io_uring *ring = H.net.ring;
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct io_uring_cqe *cqe;
	int res;

	ck_assert_ptr_nonnull(sqe);
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = opcode;
	sqe->flags = flags;
	sqe->fd = fd;
	sqe->addr = (uint64_t)(uintptr_t)"/etc/passwd";
	sqe->user_data = 4242;
	ck_assert_int_eq(io_uring_submit(ring), 1);
	ck_assert_int_eq(io_uring_wait_cqe(ring, &cqe), 0);
	ck_assert_uint_eq(cqe->user_data, 4242);
	res = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return res;
}

START_TEST(test_ring_restricted)
{
	uint64_t b = galloc(16);
	int64_t u;
	int fd;

	H.opts.net.mode = NSS_PRIVATE;
	H.opts.net.backend = NSS_URING;
	nss_setup(&H, NULL);
	ck_assert_int_eq(H.net.backend, NSS_URING);
	u = sock_(AF_INET, SOCK_DGRAM);
	fd = H.fs.handle[u].fd;
	EQ(crafted(IORING_OP_OPENAT, 0, AT_FDCWD), -EACCES);
	EQ(crafted(IORING_OP_NOP, 0, -1), -EACCES);
	EQ(crafted(IORING_OP_SOCKET, 0, AF_INET), -EACCES);
	EQ(crafted(IORING_OP_SHUTDOWN, 0, fd), -EACCES);
	EQ(crafted(IORING_OP_READ, 0, 0), -EACCES);
	EQ(crafted(IORING_OP_WRITE, 0, 2), -EACCES);
	/* the bytes go by system call (nss_io.c): the ring has no data op */
	EQ(crafted(IORING_OP_RECV, 0, fd), -EACCES);
	EQ(crafted(IORING_OP_RECVMSG, 0, fd), -EACCES);
	EQ(crafted(IORING_OP_SEND, 0, fd), -EACCES);
	EQ(crafted(IORING_OP_SENDMSG, 0, fd), -EACCES);
	ck_assert_int_ne(crafted(IORING_OP_CONNECT, 0, fd), -EACCES); /* allowed... */
	EQ(crafted(IORING_OP_ACCEPT, IOSQE_ASYNC, fd), -EACCES); /* ...but no SQE flag */
	EQ(crafted(IORING_OP_ACCEPT, IOSQE_IO_LINK, fd), -EACCES);
	EQ(crafted(IORING_OP_ACCEPT, IOSQE_FIXED_FILE, 0), -EACCES);
	/* no register op once enabled (seccomp forbids the call anyway) */
	EQ(io_uring_register_files(H.net.ring, &fd, 1), -EACCES);
	EQ(io_uring_register_probe(H.net.ring, NULL, 0) < 0, 1);
	/* and the netstack goes on */
	EQ(CALL(nss_op_recvfrom, (uint64_t)u, b, 16, 0, 0, 0), -NH_EAGAIN);
}
END_TEST

/* ---- under the whole sandbox ---------------------------------------------------------- */

/* What a hostile image can do itself: bind or connect a socket of its own
 * to a loopback port, with the system calls seccomp allows (under io_uring
 * a CONNECT written straight into the ring: connect(2) is not allowed). */
static int raw_tcp(bool bind_it, uint16_t port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port),
	                        .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), r;

	if (s < 0)
		return -errno;
	if (bind_it) {
		r = bind(s, (struct sockaddr *)&a, sizeof(a)) == 0 ? 0 : -errno;
	} else if (H.net.backend == NSS_EPOLL) {
		r = connect(s, (struct sockaddr *)&a, sizeof(a)) == 0 ? 0 : -errno;
	} else {
		struct io_uring_sqe *sqe = io_uring_get_sqe(H.net.ring);
		struct io_uring_cqe *cqe;
		bool done = false;

		io_uring_prep_connect(sqe, s, (struct sockaddr *)&a, sizeof(a));
		sqe->user_data = 4343;
		r = io_uring_submit(H.net.ring) == 1 ? 0 : -EIO;
		while (r == 0 && !done) { /* other CQEs (the netstack's) are dropped */
			if (io_uring_wait_cqe(H.net.ring, &cqe) != 0) {
				r = -EIO;
				break;
			}
			if ((done = cqe->user_data == 4343))
				r = cqe->res;
			io_uring_cqe_seen(H.net.ring, cqe);
		}
	}
	close(s);
	return r;
}

/* A run's order in a forked child: the namespace, set-up, the sandbox with
 * the network's rules, then the ops (nothing traps) and a hostile image's
 * raw calls, which Landlock refuses outside the granted TCP ports. arg:
 * 0 io_uring under --net host, 1 epoll under --net host, 2 io_uring under
 * --net private (Landlock leaves TCP alone). */
static void sandboxed(const void *arg)
{
	static const char *const binds[] = {"40001", NULL}, *const dests[] = {"127.0.0.1:40001",
	                                                                      NULL};
	const int mode = *(const int *)arg;
	uint64_t ev = galloc(8 * sizeof(struct nh_pollev)), b = galloc(64), a = galloc(16);
	struct sbx_policy p;
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(40001),
	                         .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int64_t l, c, s = -1, r;
	int abi = sbx_landlock_abi(); /* before the sandbox, which forbids asking */
	char err[256];
	bool userns;

	fsshim_tidy_fds(0);
	fsshim_open(&H);
	if (mode == 2) {
		H.opts.net.mode = NSS_PRIVATE;
	} else {
		PROBE(sbx_unshare_net(&userns) == 0 && nss_lo_up() == 0);
		H.opts.net.mode = NSS_HOST;
		PROBE(nss_parse_bind(binds[0], &H.opts.net, err, sizeof(err)));
		PROBE(nss_parse_connect(dests[0], &H.opts.net, err, sizeof(err)));
	}
	H.opts.net.backend = mode == 1 ? NSS_EPOLL : NSS_URING;
	nss_setup(&H, NULL);
	sbx_policy_init(&p);
	fsshim_policy(&H, &p);
	nss_policy(&H, &p);
	sbx_apply(&p, false, NULL);
	memcpy(G(a), &sa, sizeof(sa));
	l = CALL(nss_op_socket, AF_INET, SOCK_STREAM, 0);
	PROBE(l >= 3);
	PROBE(CALL(nss_op_bind, (uint64_t)l, a, 16) == 0);
	PROBE(CALL(nss_op_listen, (uint64_t)l, 4) == 0);
	PROBE(CALL(nss_op_poll, (uint64_t)l, 1) == 0);
	c = CALL(nss_op_socket, AF_INET, SOCK_STREAM, 0);
	PROBE(CALL(nss_op_poll, (uint64_t)c, 2) == 0);
	r = CALL(nss_op_connect, (uint64_t)c, a, 16);
	PROBE(r == 0 || r == -NH_EINPROGRESS);
	for (int k = 0; k < 100 && s < 0; k++) {
		PROBE(CALL(hook_idle, 0, ev, 8) >= 0);
		s = CALL(nss_op_accept, (uint64_t)l, 0, 0);
		PROBE(s >= 3 || s == -NH_EAGAIN);
	}
	PROBE(s >= 3);
	memcpy(G(b), "ping", 4);
	PROBE(CALL(fsshim_op_write, (uint64_t)c, b, 4) == 4);
	PROBE(CALL(nss_op_poll, (uint64_t)s, 3) == 0);
	while ((r = CALL(nss_op_recvfrom, (uint64_t)s, b, 64, 0, 0, 0)) == -NH_EAGAIN)
		PROBE(CALL(hook_idle, 0, ev, 8) >= 0);
	PROBE(r == 4);
	PROBE(CALL(nss_op_shutdown, (uint64_t)c, NH_SHUT_RDWR) == 0);
	PROBE(CALL(nss_op_setsockopt, (uint64_t)s, NH_IPPROTO_TCP, NH_TCP_NODELAY, b, 4) == 0);
	PROBE(CALL(fsshim_op_close, (uint64_t)s) == 0);
	PROBE(CALL(fsshim_op_close, (uint64_t)c) == 0);
	PROBE(CALL(hook_idle, 1, ev, 8) >= 0);
	if (mode != 2) {
		/* the host's check, then the kernel's for a hostile image */
		sa.sin_port = htons(40002);
		memcpy(G(a), &sa, sizeof(sa));
		c = CALL(nss_op_socket, AF_INET, SOCK_STREAM, 0);
		PROBE(CALL(nss_op_bind, (uint64_t)c, a, 16) == -NH_EACCES);
		PROBE(CALL(nss_op_connect, (uint64_t)c, a, 16) == -NH_EACCES);
		if (abi >= 4) {
			PROBE(raw_tcp(true, 40002) == -EACCES);
			PROBE(raw_tcp(false, 40002) == -EACCES);
			PROBE(raw_tcp(true, 0) == -EACCES);
		}
		PROBE(raw_tcp(false, 40001) == -EINPROGRESS || raw_tcp(false, 40001) == 0);
	} else {
		PROBE(raw_tcp(true, 40002) == 0); /* the namespace is the layer */
	}
	PROBE(write(STDERR_FILENO, "done\n", 5) == 5);
	CHILD_EXIT(0);
}

START_TEST(test_under_sandbox)
{
	struct outcome o;

	if (sbx_landlock_abi() < 3) {
		fprintf(stderr, "# skip net under_sandbox: Landlock ABI %d < 3\n", sbx_landlock_abi());
		return;
	}
	unit_fork(sandboxed, &_i, &o, NULL, NULL);
	expect_exit(&o, 0);
	ck_assert_str_eq(o.err, "done\n");
}
END_TEST

/* ---- --policy --------------------------------------------------------------------- */

static char *describe(const struct sbx_policy *p, const struct sbx_probe *k)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	sbx_describe(f, p, k);
	ck_assert_int_eq(fclose(f), 0);
	return buf;
}

/* (the output goes to stderr: too long for libcheck's message) */
#define HAS(out, want)                                                                    \
	do {                                                                              \
		if (strstr(out, want) == NULL)                                            \
			fprintf(stderr, "%s", out);                                       \
		ck_assert_msg(strstr(out, want) != NULL, "lacks \"%s\"", want);            \
	} while (0)
#define LACKS(out, want)                                                                  \
	do {                                                                              \
		if (strstr(out, want) != NULL)                                            \
			fprintf(stderr, "%s", out);                                       \
		ck_assert_msg(strstr(out, want) == NULL, "has \"%s\"", want);              \
	} while (0)

/* The policy a run would have, printed: mode as given, backend b. The
 * grants again, as main.c makes them after the options (the guest's /etc
 * follows the mode). */
static char *policy_of(uint8_t mode, uint8_t b, const char *const *binds,
                       const char *const *dests, struct sbx_policy *p)
{
	struct sbx_probe k = {.setpcap = true, .landlock_abi = 7};
	char err[256];

	H.opts.net.mode = mode;
	H.opts.net.backend = b;
	fsshim_setup(&H);
	for (; binds != NULL && *binds != NULL; binds++)
		ck_assert(nss_parse_bind(*binds, &H.opts.net, err, sizeof(err)));
	for (; dests != NULL && *dests != NULL; dests++)
		ck_assert(nss_parse_connect(*dests, &H.opts.net, err, sizeof(err)));
	nss_setup_policy(&H);
	sbx_policy_init(p);
	fsshim_policy(&H, p);
	nss_policy(&H, p);
	return describe(p, &k);
}

START_TEST(test_describe)
{
	static const char *const binds[] = {"8080", "9000-9001", NULL};
	static const char *const dests[] = {"127.0.0.1:80", "[::1]:443", NULL};
	static const char *const wide[] = {"127.0.0.1:*", NULL};
	struct sbx_policy p, base;
	char *out;

	sbx_policy_init(&base);
	fsshim_policy(&H, &base);
	/* none: nothing added */
	out = policy_of(NSS_NONE, NSS_AUTO, NULL, NULL, &p);
	ck_assert_uint_eq(p.nrules, base.nrules);
	HAS(out, "  network: none (--net none); NET_SOCKET is EACCES, nothing of the network is "
	         "allowed\n");
	LACKS(out, "netstack");
	HAS(out, "ABI 7: every file system right, TCP bind/connect, abstract UNIX socket and "
	         "signal scopes handled, 2 path rules (the file grants below)\n");
	HAS(out, "    /etc                           none of ours (--net none, the default: ");
	free(out);
	/* host, io_uring: 11 more system calls in 14 rules; Landlock port rules */
	out = policy_of(NSS_HOST, NSS_URING, binds, dests, &p);
	ck_assert_uint_eq(p.nrules, base.nrules + 14);
	ck_assert_uint_eq(sbx_policy_nsyscalls(&p), sbx_policy_nsyscalls(&base) + 11);
	ck_assert_uint_eq(sbx_policy_nports(&p), 5);
	HAS(out, "  network: host (--net host); backend io_uring (--net-backend uring");
	HAS(out, "    bind (local ports, TCP and UDP): 8080 9000-9001\n");
	HAS(out, "    connect (TCP and UDP destinations): 127.0.0.1:80 [::1]:443\n");
	HAS(out, "    io_uring opcodes: ACCEPT, CONNECT, POLL_ADD, ASYNC_CANCEL; no SQE flag; "
	         "no register op");
	HAS(out, "    Landlock TCP bind: 3 port rules: 8080 9000-9001\n");
	HAS(out, "    Landlock TCP connect: 2 port rules: 80 443\n");
	HAS(out, "handled, 3 path rules and 5 TCP port rules (the grants below)\n");
	LACKS(out, "none of ours");
	HAS(out, "  socket           a0 == 2 && a1 == 526337 && a2 == 0");
	HAS(out, "  io_uring_enter   a0 == ");
	HAS(out, "  recvfrom         a0 >= ");
	HAS(out, "  sendto           a0 >= ");
	LACKS(out, "epoll_pwait2");
	LACKS(out, "  connect          a0");
	free(out);
	/* host, epoll: 14 system calls in 17 rules; a wide grant: connect unhandled */
	memset(&H.opts.net, 0, sizeof(H.opts.net));
	out = policy_of(NSS_HOST, NSS_EPOLL, NULL, wide, &p);
	ck_assert_uint_eq(p.nrules, base.nrules + 17);
	ck_assert_uint_eq(sbx_policy_nsyscalls(&p), sbx_policy_nsyscalls(&base) + 14);
	HAS(out, "backend epoll (--net-backend epoll)");
	HAS(out, "    bind (local ports, TCP and UDP): none\n");
	HAS(out, "    Landlock TCP bind: handled, no rule (no TCP bind at all)\n");
	HAS(out, "    Landlock TCP connect: not handled (a grant of every port");
	HAS(out, "ABI 7: every file system right, TCP bind, abstract UNIX socket");
	HAS(out, "  accept4          a0 >= ");
	HAS(out, "  epoll_pwait2     a0 == ");
	LACKS(out, "io_uring_enter");
	free(out);
	/* private: Landlock leaves TCP alone */
	memset(&H.opts.net, 0, sizeof(H.opts.net));
	out = policy_of(NSS_PRIVATE, NSS_AUTO, NULL, NULL, &p);
	HAS(out, "  network: private (--net private); backend ");
	HAS(out, "    a new network namespace with only lo (up); everything in it is allowed\n");
	HAS(out, "    Landlock TCP: not handled (the network namespace is the layer)\n");
	HAS(out, "ABI 7: every file system right, abstract UNIX socket and signal scopes handled");
	free(out);
}
END_TEST

Suite *net_policy_suite(void)
{
	Suite *s = suite_create("net_policy");
	TCase *cli = tcase_create("cli"), *pol = tcase_create("policy");

	tcase_add_test(cli, test_cli);
	tcase_add_loop_test(cli, test_cli_errors, 0, (int)(sizeof(bad_lines) / sizeof(bad_lines[0])));
	tcase_add_test(cli, test_cli_too_many);
	tcase_add_test(cli, test_usage_documents);
	tcase_add_test(cli, test_gate_table);
	tcase_set_timeout(pol, 30);
	tcase_add_checked_fixture(pol, setup, NULL);
	tcase_add_test(pol, test_grants);
	tcase_add_loop_test(pol, test_host, 0, 2);
	tcase_add_loop_test(pol, test_host_ephemeral, 0, 2);
	tcase_add_test(pol, test_default_mode);
	tcase_add_test(pol, test_ring_restricted);
	tcase_add_loop_test(pol, test_under_sandbox, 0, 3);
	tcase_add_test(pol, test_describe);
	suite_add_tcase(s, cli);
	suite_add_tcase(s, pol);
	return s;
}
