/*
 * check_net_unix.c - unit tests of the UNIX sockets (netstack-shim/nss_unix.c
 * and the launcher's part, host/launcher_sock.c): the NH_OP_NET_* functions
 * driven directly, with guest RAM mapped in the (forked) test process, a
 * network namespace of the test's own (--net private) and a real launcher
 * forked by launcher_start, as a run has them. The ops that go through a
 * backend run once with each (_i: 0 io_uring, 1 epoll).
 *
 * The tree, fresh for each test in /tmp/nh-unix.XXXXXX (T):
 *   T/rw/   granted read-write at guest /rw: file, sub/, dangling -> nowhere
 *   T/ro/   granted read-only at its own path (and the current directory)
 *   T/out/  outside every grant; OUT = T/out/sock, a real listener made by
 *           the test itself where a test needs one
 * Checked: listen, dial, accept and an echo both ways, with IDLE's reports
 * (a pending socket's at once, then the kernel socket's); SOCKNAME's local
 * and peer names are the guest's paths (or the unnamed address), never the
 * launcher's /proc/self/fd one; RECVFROM's address is empty; every op on a
 * pending socket (Linux's errnos, the options it keeps, the FS ops);
 * BIND's errors (a read-only grant and a synthetic directory EACCES, a
 * missing directory ENOENT, a name that exists EADDRINUSE, twice on one
 * name, a trailing '/' or "/.", a name too long, a second BIND); CONNECT's
 * (ENOENT, a file ECONNREFUSED, a socket nobody listens on, a socket in
 * the read-only grant EACCES, a full backlog EAGAIN, through a guest link
 * inside the grant: works; another program's listener in the grant: works,
 * both ways; through links pointing outside at a real listener: refused,
 * nothing reaches it); abstract and unnamed addresses
 * EACCES; the socket types (DGRAM EPROTONOSUPPORT); --net none and no
 * launcher EACCES; --max-files counts them; the sockets the image gets
 * cannot connect anywhere else (a raw connect(2) on them: EINVAL, EISCONN);
 * and what a hostile image sending the launcher its own requests gets: a
 * socket outside the grants or in the read-only one (EACCES, the
 * launcher's own check), a directory outside them or the read-only one
 * for BIND (EACCES, the launcher's Landlock domain), the wrong kinds of
 * descriptor; and the same sockets under the whole sandbox, both backends.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"
#include "unit.h"
#include "unit_poll.h"

#define MEM (UINT64_C(16) << 20)
#define MAX_FILES 16
#define NTAGS 16
#define FRESH (NH_POLLIN | NH_POLLOUT | NH_POLLHUP | NH_POLLRDHUP) /* a pending socket's */

static struct nh_host H;
static uint64_t scratch;
static uint32_t seen[NTAGS];
static char T[PATH_MAX], RW[PATH_MAX + 8], RO[PATH_MAX + 8], OUT[PATH_MAX + 16];
static char DIRS[2][PATH_MAX + 32];

#define galloc(n) unit_galloc(&scratch, (n))
#define now_ns unit_now_ns
#define wait_tag(tag, bits) unit_wait_tag(&H, &scratch, seen, NTAGS, (tag), (bits))
#define drain() unit_drain(&H, &scratch, seen)

static void path_in(char *out, size_t n, const char *dir, const char *name)
{
	ck_assert_int_lt(snprintf(out, n, "%s/%s", dir, name), (int)n);
}

static void setup(void)
{
	char p[PATH_MAX + 32];

	strcpy(T, "/tmp/nh-unix.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(T));
	ck_assert_ptr_nonnull(realpath(T, p));
	strcpy(T, p);
	path_in(RW, sizeof(RW), T, "rw");
	path_in(RO, sizeof(RO), T, "ro");
	path_in(OUT, sizeof(OUT), T, "out");
	ck_assert_int_eq(mkdir(RW, 0755), 0);
	ck_assert_int_eq(mkdir(RO, 0755), 0);
	ck_assert_int_eq(mkdir(OUT, 0755), 0);
	strcat(OUT, "/sock");
	unit_put(RW, "file", "a file\n");
	path_in(p, sizeof(p), RW, "sub");
	ck_assert_int_eq(mkdir(p, 0755), 0);
	path_in(p, sizeof(p), RW, "dangling");
	ck_assert_int_eq(symlink("nowhere", p), 0);
	snprintf(DIRS[0], sizeof(DIRS[0]), "%s:/rw:rw", RW);
	snprintf(DIRS[1], sizeof(DIRS[1]), "%s:ro", RO);
	memset(&H, 0, sizeof(H));
	memset(seen, 0, sizeof(seen));
	H.opts = (struct nh_opts){.memory = MEM, .image = "/bin/true", .max_files = MAX_FILES,
	                          .max_procs = 4, .dir = {DIRS[0], DIRS[1]}, .ndirs = 2};
	ck_assert_int_eq(chdir(RO), 0); /* covered by the read-only grant */
	fsshim_setup(&H);
	fsshim_open(&H);
	ram_map(&H);
	scratch = H.ram_start + 0x100000;
}

static void teardown(void)
{
	ck_assert_int_eq(fsshim_rmtree(T), 0);
}

/* The network (mode), its backend, then the launcher (unless --max-procs 0),
 * in main.c's order. */
static void net_mode(uint8_t mode, int backend)
{
	H.opts.net.mode = mode;
	H.opts.net.backend = backend == 0 ? NSS_URING : NSS_EPOLL;
	nss_setup(&H, NULL);
	ck_assert(H.net.ready);
	launcher_start(&H);
	proc_setup(&H);
	ck_assert(H.proc.ready == (H.opts.max_procs > 0));
}

static void net(int backend)
{
	net_mode(NSS_PRIVATE, backend);
	ck_assert_int_eq(H.net.backend, backend == 0 ? NSS_URING : NSS_EPOLL);
}

static int64_t usock(void)
{
	return CALL(nss_op_socket, NH_AF_UNIX, NH_SOCK_STREAM, 0);
}

/* A guest sockaddr_un for path (n bytes of it; -1: strlen), *len counting
 * the family, the path and a NUL. */
static uint64_t uaddr_n(const char *path, size_t n, uint32_t *len)
{
	uint64_t p = galloc(NH_SOCKADDR_UN_LEN + 16);
	const uint16_t family = AF_UNIX;

	memset(G(p), 0, NH_SOCKADDR_UN_LEN + 16);
	memcpy(G(p), &family, 2);
	memcpy(G(p + 2), path, n);
	*len = (uint32_t)(2 + n + 1);
	return p;
}

static uint64_t uaddr(const char *path, uint32_t *len)
{
	return uaddr_n(path, strlen(path), len);
}

static int64_t ubind(int64_t fd, const char *path)
{
	uint32_t len;
	uint64_t a = uaddr(path, &len);

	return CALL(nss_op_bind, (uint64_t)fd, a, len);
}

static int64_t uconnect(int64_t fd, const char *path)
{
	uint32_t len;
	uint64_t a = uaddr(path, &len);

	return CALL(nss_op_connect, (uint64_t)fd, a, len);
}

/* SOCKNAME (peer 0|1) of fd: its result; the address's length in *len and,
 * past the family (which must be AF_UNIX), its path in path. */
static int64_t uname_of(int64_t fd, int peer, char *path, uint32_t *len)
{
	uint64_t a = galloc(128), l = galloc(4);
	uint32_t room = 128;
	uint16_t family;
	int64_t r;

	memset(G(a), 0x5a, 128);
	memcpy(G(l), &room, 4);
	r = CALL(nss_op_sockname, (uint64_t)fd, a, l, (uint64_t)peer);
	if (r != 0)
		return r;
	memcpy(len, G(l), 4);
	memcpy(&family, G(a), 2);
	ck_assert_int_eq(family, AF_UNIX);
	path[0] = '\0';
	if (*len > 2) {
		memcpy(path, G(a + 2), *len - 2);
		ck_assert_int_eq(path[*len - 3], '\0'); /* the NUL is counted */
	}
	return 0;
}

/* The name of fd (peer 0|1) is path (NULL: the unnamed address). */
static void expect_name(int64_t fd, int peer, const char *path)
{
	char got[128];
	uint32_t len;

	EQ(uname_of(fd, peer, got, &len), 0);
	if (path == NULL) {
		ck_assert_uint_eq(len, 2);
		return;
	}
	ck_assert_uint_eq(len, 2 + strlen(path) + 1);
	ck_assert_str_eq(got, path);
}

static int64_t getopt_(int64_t fd, int level, int name, int *v)
{
	uint64_t val = galloc(16), l = galloc(4);
	uint32_t room = 16;
	int64_t r;

	memcpy(G(l), &room, 4);
	r = CALL(nss_op_getsockopt, (uint64_t)fd, (uint64_t)level, (uint64_t)name, val, l);
	if (r == 0)
		memcpy(v, G(val), sizeof(*v));
	return r;
}

static int64_t setopt_(int64_t fd, int level, int name, int v)
{
	uint64_t val = galloc(4);

	memcpy(G(val), &v, 4);
	return CALL(nss_op_setsockopt, (uint64_t)fd, (uint64_t)level, (uint64_t)name, val, 4);
}

static int64_t send_(int64_t fd, const char *s)
{
	uint64_t b = galloc(strlen(s) + 1);

	memcpy(G(b), s, strlen(s));
	return CALL(fsshim_op_write, (uint64_t)fd, b, strlen(s));
}

static int64_t recv_(int64_t fd, char *out, size_t n)
{
	uint64_t b = galloc(n);
	int64_t r = CALL(fsshim_op_read, (uint64_t)fd, b, n - 1);

	if (r >= 0) {
		memcpy(out, G(b), (size_t)r);
		out[r] = '\0';
	}
	return r;
}

/* A real listener at host path p, made by the test itself (as another
 * program on the machine would). */
static int host_listener(const char *p)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	ck_assert_uint_lt(strlen(p), sizeof(sa.sun_path));
	strcpy(sa.sun_path, p);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(fd, 8), 0);
	return fd;
}

/* connect(2) of descriptor fd to host path p: 0 or -errno. */
static int raw_connect(int fd, const char *p)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};

	strcpy(sa.sun_path, p);
	return connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 ? 0 : -errno;
}

/* ---- listen, dial, accept, echo ---------------------------------------------- */

START_TEST(test_echo)
{
	uint64_t peer = galloc(128), plen = galloc(4), b = galloc(64), from = galloc(128),
	         flen = galloc(4);
	uint32_t room = 128, len;
	int64_t l, c, s;
	struct stat st;
	char buf[64], p[PATH_MAX + 32];
	int v, out;

	net(_i);
	l = usock();
	ck_assert_int_ge(l, 3);
	/* pending: registered, and reported as Linux's unconnected socket */
	EQ(CALL(nss_op_poll, (uint64_t)l, 1), 0);
	ck_assert_uint_eq(wait_tag(1, NH_POLLHUP), FRESH);
	/* Go sets SO_REUSEADDR before BIND: kept, then carried to the socket */
	EQ(setopt_(l, NH_SOL_SOCKET, NH_SO_REUSEADDR, 1), 0);
	EQ(getopt_(l, NH_SOL_SOCKET, NH_SO_REUSEADDR, &v), 0);
	ck_assert_int_eq(v, 1);
	expect_name(l, 0, NULL);
	EQ(ubind(l, "/rw/sock"), 0);
	path_in(p, sizeof(p), RW, "sock");
	ck_assert_int_eq(lstat(p, &st), 0);
	ck_assert(S_ISSOCK(st.st_mode));
	v = 0;
	EQ(getopt_(l, NH_SOL_SOCKET, NH_SO_REUSEADDR, &v), 0); /* the kernel's now */
	ck_assert_int_eq(v, 1);
	expect_name(l, 0, "/rw/sock");
	EQ(uname_of(l, 1, buf, &len), -NH_ENOTCONN);
	EQ(CALL(nss_op_accept, (uint64_t)l, 0, 0), -NH_EINVAL); /* no LISTEN yet */
	EQ(CALL(nss_op_listen, (uint64_t)l, 8), 0);
	EQ(CALL(nss_op_accept, (uint64_t)l, 0, 0), -NH_EAGAIN);
	drain();
	memset(seen, 0, sizeof(seen));

	/* dial */
	c = usock();
	ck_assert_int_ge(c, 3);
	EQ(CALL(nss_op_poll, (uint64_t)c, 2), 0);
	drain();
	seen[2] = 0;
	EQ(uconnect(c, "/rw/sock"), 0);
	ck_assert(wait_tag(2, NH_POLLOUT) & NH_POLLOUT); /* the kernel socket's, armed */
	ck_assert(wait_tag(1, NH_POLLIN) & NH_POLLIN);   /* one to accept */
	expect_name(c, 1, "/rw/sock");
	expect_name(c, 0, NULL);
	/* accept: the unnamed address, whoever connected */
	memcpy(G(plen), &room, 4);
	memset(G(peer), 0x5a, 128);
	s = CALL(nss_op_accept, (uint64_t)l, peer, plen);
	ck_assert_int_ge(s, 3);
	memcpy(&len, G(plen), 4);
	ck_assert_uint_eq(len, 2);
	ck_assert_int_eq(*(uint16_t *)G(peer), AF_UNIX);
	ck_assert_uint_eq(*(uint8_t *)G(peer + 2), 0x5a);
	expect_name(s, 0, "/rw/sock");
	expect_name(s, 1, NULL);
	EQ(CALL(nss_op_accept, (uint64_t)l, 0, 0), -NH_EAGAIN);
	EQ(CALL(nss_op_poll, (uint64_t)s, 3), 0);
	drain();
	memset(seen, 0, sizeof(seen));

	/* echo: FS_WRITE and FS_READ one way, SENDTO and RECVFROM the other */
	EQ(recv_(s, buf, sizeof(buf)), -NH_EAGAIN);
	EQ(send_(c, "ping"), 4);
	ck_assert(wait_tag(3, NH_POLLIN) & NH_POLLIN);
	EQ(recv_(s, buf, sizeof(buf)), 4);
	ck_assert_str_eq(buf, "ping");
	memcpy(G(b), "pong", 4);
	EQ(CALL(nss_op_sendto, (uint64_t)s, b, 4, 0, 0, 0), 4);
	ck_assert(wait_tag(2, NH_POLLIN) & NH_POLLIN);
	memcpy(G(flen), &room, 4);
	memset(G(b), 0, 64);
	EQ(CALL(nss_op_recvfrom, (uint64_t)c, b, 64, 0, from, flen), 4);
	ck_assert_int_eq(memcmp(G(b), "pong", 4), 0);
	memcpy(&len, G(flen), 4);
	ck_assert_uint_eq(len, 0); /* no source address on a stream */
	/* a stream takes no address; a connected socket connects nowhere else */
	EQ(CALL(nss_op_sendto, (uint64_t)c, b, 4, 0, from, 110), -NH_EISCONN);
	EQ(uconnect(c, "/rw/sock"), -NH_EISCONN);
	EQ(uconnect(s, "/rw/sock"), -NH_EISCONN);
	EQ(uconnect(l, "/rw/sock"), -NH_EINVAL);
	EQ(ubind(c, "/rw/other"), -NH_EINVAL);
	EQ(CALL(nss_op_listen, (uint64_t)c, 1), -NH_EINVAL);
	EQ(CALL(nss_op_accept, (uint64_t)c, 0, 0), -NH_EINVAL);
	/* what a hostile image could try with the descriptors it holds: a raw
	 * connect(2) elsewhere (a real listener outside the grants) */
	out = host_listener(OUT);
	EQ(raw_connect(H.fs.handle[c].fd, OUT), -EISCONN);
	EQ(raw_connect(H.fs.handle[s].fd, OUT), -EISCONN);
	EQ(raw_connect(H.fs.handle[l].fd, OUT), -EINVAL);

	/* SHUTDOWN: the peer reads the end; CLOSE */
	EQ(CALL(nss_op_shutdown, (uint64_t)c, NH_SHUT_WR), 0);
	ck_assert(wait_tag(3, NH_POLLRDHUP) & NH_POLLRDHUP);
	EQ(recv_(s, buf, sizeof(buf)), 0);
	EQ(CALL(fsshim_op_close, (uint64_t)s), 0);
	EQ(raw_connect(H.fs.handle[c].fd, OUT), -EISCONN); /* the peer gone: still */
	ck_assert_int_eq(accept(out, NULL, NULL), -1);
	ck_assert_int_eq(errno, EAGAIN); /* nothing ever reached it */
	close(out);
	EQ(CALL(fsshim_op_close, (uint64_t)c), 0);
	EQ(CALL(fsshim_op_close, (uint64_t)l), 0);
	/* the name stays, as Linux's: a new BIND there is EADDRINUSE, a CONNECT
	 * finds nobody */
	l = usock();
	EQ(ubind(l, "/rw/sock"), -NH_EADDRINUSE);
	EQ(uconnect(l, "/rw/sock"), -NH_ECONNREFUSED);
	EQ(CALL(fsshim_op_close, (uint64_t)l), 0);
}
END_TEST

/* FS_DUP of a listening socket and of an accepted one keep their names. */
START_TEST(test_dup)
{
	int64_t l, c, s, d;

	net(_i);
	l = usock();
	EQ(ubind(l, "/rw/d"), 0);
	EQ(CALL(nss_op_listen, (uint64_t)l, 4), 0);
	d = CALL(fsshim_op_dup, (uint64_t)l);
	ck_assert_int_ge(d, 3);
	expect_name(d, 0, "/rw/d");
	c = usock();
	EQ(uconnect(c, "/rw/d"), 0);
	s = CALL(nss_op_accept, (uint64_t)d, 0, 0); /* the dup listens too */
	ck_assert_int_ge(s, 3);
	EQ(CALL(fsshim_op_close, (uint64_t)l), 0);
	d = CALL(fsshim_op_dup, (uint64_t)c);
	expect_name(d, 1, "/rw/d");
	EQ(send_(d, "x"), 1);
}
END_TEST

/* ---- a pending socket: no kernel socket yet ----------------------------------- */

START_TEST(test_pending)
{
	uint64_t b = galloc(64), st = galloc(sizeof(struct nh_stat)), a, sp = galloc(88),
	         fds = galloc(8), argv = galloc(16);
	struct nh_stat out;
	struct nh_spawn spawn;
	uint32_t len;
	int64_t p;
	int v;

	net(_i);
	p = usock();
	ck_assert_int_ge(p, 3);
	a = uaddr("/rw/sock", &len);
	/* Linux's errnos for a UNIX stream socket not connected */
	EQ(CALL(fsshim_op_read, (uint64_t)p, b, 64), -NH_EINVAL);
	EQ(CALL(fsshim_op_write, (uint64_t)p, b, 4), -NH_ENOTCONN);
	EQ(CALL(fsshim_op_read, (uint64_t)p, 0, 64), -NH_EFAULT); /* the buffer first */
	EQ(CALL(nss_op_recvfrom, (uint64_t)p, b, 64, 0, 0, 0), -NH_EINVAL);
	EQ(CALL(nss_op_recvfrom, (uint64_t)p, b, 64, 0x40, 0, 0), -NH_EINVAL);
	EQ(CALL(nss_op_sendto, (uint64_t)p, b, 4, 0, 0, 0), -NH_ENOTCONN);
	EQ(CALL(nss_op_sendto, (uint64_t)p, b, 4, 0, a, len), -NH_EOPNOTSUPP);
	EQ(CALL(nss_op_sendto, (uint64_t)p, b, 4, 0, 8, 3), -NH_EOPNOTSUPP); /* not even read */
	EQ(CALL(nss_op_shutdown, (uint64_t)p, NH_SHUT_RDWR), 0);
	EQ(CALL(nss_op_shutdown, (uint64_t)p, 3), -NH_EINVAL);
	EQ(CALL(nss_op_accept, (uint64_t)p, 0, 0), -NH_EINVAL);
	EQ(CALL(nss_op_listen, (uint64_t)p, 1), -NH_EINVAL);
	expect_name(p, 0, NULL);
	EQ(uname_of(p, 1, (char[128]){0}, &len), -NH_ENOTCONN);
	EQ(CALL(nss_op_sockname, (uint64_t)p, 0, 0, 0), -NH_EFAULT);
	/* options: what it can say without a kernel socket */
	EQ(getopt_(p, NH_SOL_SOCKET, NH_SO_TYPE, &v), 0);
	ck_assert_int_eq(v, SOCK_STREAM);
	v = -1;
	EQ(getopt_(p, NH_SOL_SOCKET, NH_SO_ERROR, &v), 0);
	ck_assert_int_eq(v, 0);
	EQ(getopt_(p, NH_SOL_SOCKET, NH_SO_REUSEADDR, &v), 0);
	ck_assert_int_eq(v, 0);
	EQ(getopt_(p, NH_SOL_SOCKET, NH_SO_SNDBUF, &v), -NH_EINVAL);
	EQ(getopt_(p, NH_SOL_SOCKET, NH_SO_LINGER, &v), -NH_EINVAL);
	EQ(getopt_(p, NH_IPPROTO_TCP, NH_TCP_NODELAY, &v), -NH_EOPNOTSUPP);
	EQ(getopt_(p, NH_SOL_SOCKET, 99, &v), -NH_ENOPROTOOPT); /* the allowlist first */
	EQ(setopt_(p, NH_SOL_SOCKET, NH_SO_KEEPALIVE, 1), -NH_EINVAL);
	EQ(setopt_(p, NH_IPPROTO_TCP, NH_TCP_NODELAY, 1), -NH_EOPNOTSUPP);
	EQ(setopt_(p, NH_SOL_SOCKET, NH_SO_TYPE, 1), -NH_ENOPROTOOPT);
	/* the fs-shim's ops */
	EQ(CALL(fsshim_op_stat, (uint64_t)p, 0, 0, st, 0), 0);
	memcpy(&out, G(st), sizeof(out));
	ck_assert_uint_eq(out.mode, S_IFSOCK | 0777);
	ck_assert_uint_eq(out.nlink, 1);
	EQ(CALL(fsshim_op_chmod, (uint64_t)p, 0, 0, 0600), 0);
	EQ(CALL(fsshim_op_truncate, (uint64_t)p, 0, 0, 0), -NH_EINVAL);
	EQ(CALL(fsshim_op_utimens, (uint64_t)p, 0, 0, 0, 0), 0);
	EQ(CALL(fsshim_op_seek, (uint64_t)p, 0, 0), -NH_ESPIPE);
	EQ(CALL(fsshim_op_fsync, (uint64_t)p), -NH_EINVAL);
	EQ(CALL(fsshim_op_dup, (uint64_t)p), -NH_EINVAL);
	/* no descriptor to give a child */
	memcpy(G(argv), &(struct nh_str){a, 1}, 16);
	memcpy(G(fds), &p, 8);
	spawn = (struct nh_spawn){.path = a + 2, .pathlen = 3, .argv = argv, .argc = 1,
	                          .dir = a + 2, .dirlen = 3, .fds = fds, .nfds = 1};
	memcpy(G(sp), &spawn, sizeof(spawn));
	EQ(CALL(proc_op_start, sp), -NH_EBADF);
	/* and it still binds */
	EQ(CALL(nss_op_bind, (uint64_t)p, a, len), 0);
	EQ(CALL(fsshim_op_stat, (uint64_t)p, 0, 0, st, 0), 0);
	memcpy(&out, G(st), sizeof(out));
	ck_assert_uint_eq(out.mode & S_IFMT, S_IFSOCK);
	EQ(CALL(fsshim_op_close, (uint64_t)p), 0);
	EQ(CALL(fsshim_op_close, (uint64_t)p), -NH_EBADF);
	/* a pending socket registered and closed: its report goes with it */
	p = usock();
	EQ(CALL(nss_op_poll, (uint64_t)p, 4), 0);
	EQ(CALL(nss_op_poll, (uint64_t)p, 4), -NH_EEXIST);
	EQ(CALL(fsshim_op_close, (uint64_t)p), 0);
	drain();
	ck_assert_uint_eq(seen[4], 0);
	EQ(CALL(hook_idle, 0, 0, 0), -NH_EDEADLK);
}
END_TEST

/* ---- BIND's errors -------------------------------------------------------------- */

START_TEST(test_bind_errors)
{
	char p[PATH_MAX + 32], name[128];
	uint32_t len;
	uint64_t a;
	int64_t s, t;

	net(1);
	s = usock();
	/* beneath no read-write grant */
	path_in(p, sizeof(p), RO, "sock");
	EQ(ubind(s, p), -NH_EACCES);
	EQ(ubind(s, "/sock"), -NH_EACCES);     /* the synthetic root */
	EQ(ubind(s, "/nowhere/sock"), -NH_ENOENT);
	EQ(ubind(s, OUT), -NH_ENOENT);         /* T/out is not in the guest's tree */
	EQ(ubind(s, "/rw/file/x"), -NH_ENOTDIR);
	EQ(ubind(s, "/rw/missing/x"), -NH_ENOENT);
	/* names that exist: EADDRINUSE (a link not followed) */
	EQ(ubind(s, "/rw/file"), -NH_EADDRINUSE);
	EQ(ubind(s, "/rw/sub"), -NH_EADDRINUSE);
	EQ(ubind(s, "/rw/dangling"), -NH_EADDRINUSE);
	EQ(ubind(s, "/rw/."), -NH_EADDRINUSE);
	EQ(ubind(s, "/rw"), -NH_EADDRINUSE);
	EQ(ubind(s, "/rw/new/"), -NH_ENOENT);
	EQ(ubind(s, p), -NH_EACCES);           /* and nothing was made */
	ck_assert_int_eq(access(p, F_OK), -1);
	/* a name too long for the launcher's sun_path */
	memset(name, 'n', sizeof(name));
	memcpy(name, "/rw/", 4);
	name[4 + NH_UNIX_NAME_MAX + 1] = '\0';
	EQ(ubind(s, name), -NH_ENAMETOOLONG);
	name[4 + NH_UNIX_NAME_MAX] = '\0';
	EQ(ubind(s, name), 0);
	expect_name(s, 0, name);
	/* twice: another socket on the name, the same socket on another */
	t = usock();
	EQ(ubind(t, name), -NH_EADDRINUSE);
	EQ(ubind(s, "/rw/again"), -NH_EINVAL);
	/* a relative path starts at "/", and SOCKNAME gives it as given */
	EQ(ubind(t, "rw//rel"), 0);
	expect_name(t, 0, "rw//rel");
	path_in(p, sizeof(p), RW, "rel");
	ck_assert_int_eq(access(p, F_OK), 0);
	/* addresses */
	t = usock();
	a = uaddr("/rw/x", &len);
	EQ(CALL(nss_op_bind, (uint64_t)t, a, 1), -NH_EINVAL);
	EQ(CALL(nss_op_bind, (uint64_t)t, a, NH_SOCKADDR_UN_LEN + 1), -NH_EINVAL);
	EQ(CALL(nss_op_bind, (uint64_t)t, a, 2), -NH_EACCES);            /* autobind */
	EQ(CALL(nss_op_bind, (uint64_t)t, 0, len), -NH_EFAULT);
	EQ(CALL(nss_op_bind, (uint64_t)t, H.ram_end - 4, len), -NH_EFAULT);
	a = uaddr_n("\0abstract", 9, &len);
	EQ(CALL(nss_op_bind, (uint64_t)t, a, len), -NH_EACCES);
	EQ(CALL(nss_op_connect, (uint64_t)t, a, len), -NH_EACCES);
	a = uaddr("/rw/x", &len);
	*(uint16_t *)G(a) = AF_INET;
	EQ(CALL(nss_op_bind, (uint64_t)t, a, len), -NH_EINVAL);
	EQ(CALL(nss_op_connect, (uint64_t)t, a, len), -NH_EINVAL);
	/* the path without its NUL: addrlen ends it (108 bytes fill sun_path) */
	a = uaddr("/rw/nonul", &len);
	EQ(CALL(nss_op_bind, (uint64_t)t, a, len - 1), 0);
	expect_name(t, 0, "/rw/nonul");
	memset(name, 'x', sizeof(name));
	memcpy(name, "/rw/", 4);
	a = uaddr_n(name, NH_UNIX_PATH_MAX, &len);
	EQ(CALL(nss_op_bind, (uint64_t)usock(), a, NH_SOCKADDR_UN_LEN), -NH_ENAMETOOLONG);
}
END_TEST

/* ---- CONNECT's errors ----------------------------------------------------------- */

START_TEST(test_connect_errors)
{
	char p[PATH_MAX + 32], rel[PATH_MAX + 32];
	int64_t l, c, c2, s;
	int out, ro;

	net(1);
	l = usock();
	EQ(ubind(l, "/rw/sock"), 0);
	EQ(CALL(nss_op_listen, (uint64_t)l, 0), 0); /* room for one waiting connection */
	c = usock();
	EQ(uconnect(c, "/rw/missing"), -NH_ENOENT);
	EQ(uconnect(c, "/nowhere/sock"), -NH_ENOENT);
	EQ(uconnect(c, "/rw/file"), -NH_ECONNREFUSED);
	EQ(uconnect(c, "/rw/sub"), -NH_ECONNREFUSED);
	EQ(uconnect(c, "/rw/dangling"), -NH_ENOENT);
	EQ(uconnect(c, "/"), -NH_EACCES);
	EQ(uconnect(c, "/dev/null"), -NH_EACCES);
	/* a real listener in the read-only grant: EACCES */
	path_in(p, sizeof(p), RO, "rsock");
	ro = host_listener(p);
	EQ(uconnect(c, p), -NH_EACCES);
	/* links: inside the grant to a socket inside, relative and absolute */
	path_in(p, sizeof(p), RW, "link");
	ck_assert_int_eq(symlink("sock", p), 0);
	path_in(p, sizeof(p), RW, "abslink");
	ck_assert_int_eq(symlink("/rw/sock", p), 0);
	EQ(uconnect(c, "/rw/link"), 0);
	expect_name(c, 1, "/rw/link");
	c2 = usock();
	EQ(uconnect(c2, "/rw/abslink"), -NH_EAGAIN); /* a full backlog (0: one waits) */
	s = CALL(nss_op_accept, (uint64_t)l, 0, 0);
	ck_assert_int_ge(s, 3);
	EQ(uconnect(c2, "/rw/abslink"), 0);
	expect_name(c2, 1, "/rw/abslink");
	/* links pointing outside the grants at a real listener: the guest's
	 * tree has nothing there, and nothing reaches the listener */
	out = host_listener(OUT);
	path_in(p, sizeof(p), RW, "out-abs");
	ck_assert_int_eq(symlink(OUT, p), 0);
	path_in(p, sizeof(p), RW, "out-rel");
	ck_assert_int_eq(symlink("../out/sock", p), 0);
	path_in(p, sizeof(p), RW, "out-proc");
	snprintf(rel, sizeof(rel), "/proc/self/root%s", OUT);
	ck_assert_int_eq(symlink(rel, p), 0);
	c = usock();
	EQ(uconnect(c, "/rw/out-abs"), -NH_ENOENT);
	EQ(uconnect(c, "/rw/out-rel"), -NH_ENOENT);
	EQ(uconnect(c, "/rw/out-proc"), -NH_ENOENT);
	EQ(uconnect(c, OUT), -NH_ENOENT);
	ck_assert_int_eq(accept(out, NULL, NULL), -1);
	ck_assert_int_eq(errno, EAGAIN);
	/* a listener another program made in the grant (the usual case: a
	 * service's socket): connected, and bytes flow both ways */
	{
		char got[8];
		int h, a;

		path_in(p, sizeof(p), RW, "service");
		h = host_listener(p);
		c = usock();
		EQ(uconnect(c, "/rw/service"), 0);
		a = accept4(h, NULL, NULL, SOCK_CLOEXEC);
		ck_assert_int_ge(a, 0);
		EQ(send_(c, "hi"), 2);
		ck_assert_int_eq(read(a, got, sizeof(got)), 2);
		ck_assert_int_eq(write(a, "yo", 2), 2);
		for (int k = 0; k < 100 && recv_(c, got, sizeof(got)) == -NH_EAGAIN; k++)
			usleep(1000);
		ck_assert_int_eq(memcmp(got, "yo", 2), 0);
		close(a);
		close(h);
	}
	/* a socket nobody listens on any more */
	EQ(CALL(fsshim_op_close, (uint64_t)l), 0);
	EQ(uconnect(usock(), "/rw/sock"), -NH_ECONNREFUSED);
	EQ(uconnect(c, "/rw/sock"), -NH_EISCONN); /* the state after the path's checks */
	close(out);
	close(ro);
}
END_TEST

/* ---- the socket types, --net none, no launcher, --max-files ------------------- */

START_TEST(test_types)
{
	net(1);
	EQ(CALL(nss_op_socket, AF_UNIX, SOCK_DGRAM, 0), -NH_EPROTONOSUPPORT);
	EQ(CALL(nss_op_socket, AF_UNIX, SOCK_SEQPACKET, 0), -NH_EPROTONOSUPPORT);
	EQ(CALL(nss_op_socket, AF_UNIX, SOCK_RAW, 0), -NH_EPROTONOSUPPORT);
	EQ(CALL(nss_op_socket, AF_UNIX, 4, 0), -NH_ESOCKTNOSUPPORT);
	EQ(CALL(nss_op_socket, AF_UNIX, 0, 0), -NH_ESOCKTNOSUPPORT);
	EQ(CALL(nss_op_socket, AF_UNIX, 11, 0), -NH_EINVAL);
	EQ(CALL(nss_op_socket, AF_UNIX, SOCK_STREAM, 2), -NH_EPROTONOSUPPORT);
	EQ(CALL(nss_op_socket, AF_UNIX, SOCK_STREAM | 0x100, 0), -NH_EINVAL);
	ck_assert_int_ge(CALL(nss_op_socket, AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	                      1), 3);
}
END_TEST

START_TEST(test_none)
{
	net_mode(NSS_NONE, 1);
	EQ(usock(), -NH_EACCES);
	EQ(CALL(nss_op_socket, AF_UNIX, SOCK_DGRAM, 0), -NH_EACCES);
}
END_TEST

START_TEST(test_no_launcher)
{
	H.opts.max_procs = 0;
	net(1);
	EQ(usock(), -NH_EACCES);
	EQ(CALL(nss_op_socket, AF_UNIX, SOCK_DGRAM, 0), -NH_EPROTONOSUPPORT); /* checked first */
}
END_TEST

START_TEST(test_max_files)
{
	int64_t h[MAX_FILES], l, c;
	int n;

	net(_i);
	for (n = 0; n < MAX_FILES; n++) {
		h[n] = usock();
		ck_assert_int_eq(h[n], 3 + n);
	}
	EQ(usock(), -NH_EMFILE);
	EQ(CALL(fsshim_op_close, (uint64_t)h[0]), 0);
	EQ(CALL(fsshim_op_close, (uint64_t)h[1]), 0);
	l = usock();
	EQ(ubind(l, "/rw/full"), 0);
	EQ(CALL(nss_op_listen, (uint64_t)l, 4), 0);
	c = usock();
	EQ(uconnect(c, "/rw/full"), 0);
	EQ(CALL(nss_op_accept, (uint64_t)l, 0, 0), -NH_EMFILE); /* it waits in the queue */
	EQ(CALL(fsshim_op_close, (uint64_t)h[2]), 0);
	EQ(CALL(nss_op_accept, (uint64_t)l, 0, 0), h[2]);
}
END_TEST

/* ---- a hostile image asking the launcher itself ------------------------------- */

/* An LSOK request as the image could send it: the result, *sock. */
static int64_t lsok(uint32_t op, const char *name, int fd, int *sock)
{
	struct launch_sock_req rq = {.magic = LAUNCH_SOCK_MAGIC, .op = op,
	                             .namelen = (uint32_t)strlen(name)};
	struct iovec iov[2] = {{&rq, sizeof(rq)}, {(void *)(uintptr_t)name, rq.namelen}};

	*sock = -1;
	return launch_call(&H, iov, 2, &fd, 1, sock);
}

static int opath(const char *p, int flags)
{
	int fd = open(p, O_PATH | O_CLOEXEC | flags);

	ck_assert_msg(fd >= 0, "%s: %s", p, strerror(errno));
	return fd;
}

START_TEST(test_hostile)
{
	char p[PATH_MAX + 32], x[PATH_MAX + 32];
	int out, ro, fd, sock, v;
	socklen_t vl = sizeof(v);
	int64_t l;

	net(1);
	l = usock();
	EQ(ubind(l, "/rw/sock"), 0);
	EQ(CALL(nss_op_listen, (uint64_t)l, 8), 0);
	out = host_listener(OUT);
	path_in(p, sizeof(p), RO, "rsock");
	ro = host_listener(p);
	/* CONNECT: only to a socket linked beneath a read-write grant */
	fd = opath(OUT, 0);
	EQ(lsok(LAUNCH_SOCK_CONNECT, "", fd, &sock), -EACCES);
	close(fd);
	ck_assert_int_eq(accept(out, NULL, NULL), -1);
	fd = opath(p, 0);
	EQ(lsok(LAUNCH_SOCK_CONNECT, "", fd, &sock), -EACCES);
	close(fd);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0); /* a socket, not an inode */
	EQ(lsok(LAUNCH_SOCK_CONNECT, "", fd, &sock), -EACCES);
	close(fd);
	fd = opath(RW, O_DIRECTORY);
	EQ(lsok(LAUNCH_SOCK_CONNECT, "", fd, &sock), -ECONNREFUSED);
	close(fd);
	path_in(x, sizeof(x), RW, "sock");
	fd = opath(x, 0);
	EQ(lsok(LAUNCH_SOCK_CONNECT, "", fd, &sock), 0);
	close(fd);
	ck_assert_int_ge(sock, 0);
	ck_assert_int_eq(getsockopt(sock, SOL_SOCKET, SO_ACCEPTCONN, &v, &vl), 0);
	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(send(sock, "x", 1, MSG_NOSIGNAL), 1); /* connected */
	close(sock);
	/* BIND: the launcher's Landlock domain has MAKE_SOCK beneath the
	 * read-write grants only (without Landlock it checks it itself) */
	fd = opath(RO, O_DIRECTORY);
	EQ(lsok(LAUNCH_SOCK_BIND, "x", fd, &sock), -EACCES);
	close(fd);
	path_in(x, sizeof(x), RO, "x");
	ck_assert_int_eq(access(x, F_OK), -1);
	fd = opath(T, O_DIRECTORY);
	EQ(lsok(LAUNCH_SOCK_BIND, "x", fd, &sock), -EACCES);
	close(fd);
	path_in(x, sizeof(x), T, "x");
	ck_assert_int_eq(access(x, F_OK), -1);
	path_in(x, sizeof(x), RW, "file");
	fd = opath(x, 0);
	EQ(lsok(LAUNCH_SOCK_BIND, "x", fd, &sock), -ENOTDIR);
	close(fd);
	fd = opath(RW, O_DIRECTORY);
	EQ(lsok(LAUNCH_SOCK_BIND, "sock", fd, &sock), -EADDRINUSE);
	EQ(lsok(LAUNCH_SOCK_BIND, "../x", fd, &sock), -EINVAL);
	EQ(lsok(LAUNCH_SOCK_BIND, "..", fd, &sock), -EINVAL);
	EQ(lsok(LAUNCH_SOCK_BIND, "", fd, &sock), -EINVAL);
	EQ(lsok(LAUNCH_SOCK_BIND, "y", fd, &sock), 0);
	ck_assert_int_ge(sock, 0);
	vl = sizeof(v);
	ck_assert_int_eq(getsockopt(sock, SOL_SOCKET, SO_ACCEPTCONN, &v, &vl), 0);
	ck_assert_int_eq(v, 1); /* listening from the start: it can connect nowhere */
	EQ(raw_connect(sock, OUT), -EINVAL);
	close(sock);
	close(fd);
	close(out);
	close(ro);
}
END_TEST

/* ---- under the whole sandbox --------------------------------------------------- */

/* A run's order in a forked child: set-up, the launcher, the sandbox with
 * the file system's, the network's and the processes' rules, then UNIX
 * sockets through the ops (nothing traps: LSOK goes out on the control
 * socket with the flags the sandbox pins) and, with epoll, whose connect(2)
 * the sandbox allows on the image's descriptors, a hostile image's raw
 * connect on the sockets it holds (to a real listener outside the grants,
 * made before the sandbox). arg: the backend. */
static void sandboxed(const void *arg)
{
	const int backend = *(const int *)arg;
	uint64_t ev = galloc(8 * sizeof(struct nh_pollev)), b = galloc(64), n = galloc(128),
	         nl = galloc(4);
	char p[PATH_MAX + 32];
	struct sbx_policy pol;
	uint32_t room = 128, len;
	int64_t l, c, s = -1, r;
	int out;

	fsshim_tidy_fds(0);
	fsshim_open(&H);
	H.opts.net.mode = NSS_PRIVATE;
	H.opts.net.backend = backend == 0 ? NSS_URING : NSS_EPOLL;
	nss_setup(&H, NULL);
	launcher_start(&H);
	proc_setup(&H);
	out = host_listener(OUT);
	path_in(p, sizeof(p), RO, "x"); /* libcheck's asserts write: before the sandbox */
	sbx_policy_init(&pol);
	fsshim_policy(&H, &pol);
	nss_policy(&H, &pol);
	proc_policy(&H, &pol);
	sbx_apply(&pol, false, NULL);
	l = usock();
	PROBE(l >= 3);
	PROBE(setopt_(l, NH_SOL_SOCKET, NH_SO_REUSEADDR, 1) == 0);
	PROBE(ubind(l, "/rw/sock") == 0);
	PROBE(CALL(nss_op_listen, (uint64_t)l, 4) == 0);
	PROBE(CALL(nss_op_poll, (uint64_t)l, 1) == 0);
	c = usock();
	PROBE(CALL(nss_op_poll, (uint64_t)c, 2) == 0);
	PROBE(uconnect(c, "/rw/sock") == 0);
	for (int k = 0; k < 100 && s < 0; k++) {
		PROBE(CALL(hook_idle, 0, ev, 8) >= 0);
		s = CALL(nss_op_accept, (uint64_t)l, 0, 0);
		PROBE(s >= 3 || s == -NH_EAGAIN);
	}
	PROBE(s >= 3);
	PROBE(CALL(nss_op_poll, (uint64_t)s, 3) == 0);
	memcpy(G(b), "ping", 4);
	PROBE(CALL(fsshim_op_write, (uint64_t)c, b, 4) == 4);
	while ((r = CALL(nss_op_recvfrom, (uint64_t)s, b, 64, 0, 0, 0)) == -NH_EAGAIN)
		PROBE(CALL(hook_idle, 0, ev, 8) >= 0);
	PROBE(r == 4);
	memcpy(G(nl), &room, 4);
	PROBE(CALL(nss_op_sockname, (uint64_t)c, n, nl, 1) == 0);
	memcpy(&len, G(nl), 4);
	PROBE(len == 2 + 8 + 1 && memcmp(G(n + 2), "/rw/sock", 9) == 0);
	PROBE(CALL(nss_op_shutdown, (uint64_t)c, NH_SHUT_RDWR) == 0);
	PROBE(ubind(usock(), p) == -NH_EACCES);
	if (backend == 1) {
		PROBE(raw_connect(H.fs.handle[c].fd, OUT) == -EISCONN);
		PROBE(raw_connect(H.fs.handle[l].fd, OUT) == -EINVAL);
	}
	(void)out; /* held open, listening, until the end */
	PROBE(CALL(fsshim_op_close, (uint64_t)s) == 0);
	PROBE(CALL(fsshim_op_close, (uint64_t)c) == 0);
	PROBE(CALL(fsshim_op_close, (uint64_t)l) == 0);
	PROBE(write(STDERR_FILENO, "done\n", 5) == 5);
	CHILD_EXIT(0);
}

START_TEST(test_under_sandbox)
{
	struct outcome o;

	if (sbx_landlock_abi() < 3) {
		fprintf(stderr, "# skip net_unix under_sandbox: Landlock ABI %d < 3\n",
		        sbx_landlock_abi());
		return;
	}
	unit_fork(sandboxed, &_i, &o, NULL, NULL);
	expect_exit(&o, 0);
	ck_assert_str_eq(o.err, "done\n");
}
END_TEST

Suite *net_unix_suite(void)
{
	Suite *s = suite_create("net_unix");
	TCase *tc = tcase_create("unix");

	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_echo, 0, 2);
	tcase_add_loop_test(tc, test_dup, 0, 2);
	tcase_add_loop_test(tc, test_pending, 0, 2);
	tcase_add_test(tc, test_bind_errors);
	tcase_add_test(tc, test_connect_errors);
	tcase_add_test(tc, test_types);
	tcase_add_test(tc, test_none);
	tcase_add_test(tc, test_no_launcher);
	tcase_add_loop_test(tc, test_max_files, 0, 2);
	tcase_add_test(tc, test_hostile);
	tcase_add_loop_test(tc, test_under_sandbox, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}
