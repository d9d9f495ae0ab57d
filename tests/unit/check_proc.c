/*
 * check_proc.c - unit tests of the process ops (host/proc.c,
 * host/proc_start.c, host/proc_policy.c), driven directly with guest RAM
 * mapped in the (forked) test process, as check_fsshim.c does. The test
 * plays the launcher: it holds the other end of the control socket (L),
 * queues START's reply before START runs (SOCK_SEQPACKET keeps it in the
 * host end's queue), then reads the request START sent and checks it, and
 * holds the far end of each child's channel.
 *
 * The tree, fresh for each test in /tmp/nh-proc.XXXXXX (T):
 *   T/rw/   granted read-write at /data (and the current directory):
 *           prog (a regular file), sub/, fifo
 * Checked: PIPE (both ends, -EAGAIN, -EPIPE without a reader, STAT
 * S_IFIFO, the file ops' errors, DUP, -EMFILE leaving nothing); START's
 * request (header, strings, the descriptors and fdmap[], each descriptor
 * fstat'ed against what was asked, the program and directory closed
 * after), the image's own path, BY_PATH for --allow-exec paths, and every rejection
 * (pointers, counts, NULs, sizes, paths, directories, handles, -EMFILE,
 * the launcher's errors and malformed replies, a closed control socket),
 * none of which sends anything or leaks a descriptor; WAIT, KILL;
 * NET_POLL of pipes and process handles with both backends, and IDLE's
 * -EDEADLK counting them; the seccomp rules and --policy's section; the
 * ops under the whole sandbox.
 */
#include <check.h>
#include <elf.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"
#include "unit.h"
#include "unit_poll.h"

#define MEM (UINT64_C(16) << 20)
#define MAX_FILES 8
#define NTAGS 8
#define SELF "/opt/nonehost-self/image.elf"
#define ROOT ((uint64_t)(int64_t)NH_AT_ROOT)
#define POISON (-77) /* a reply START must never take */

static struct nh_host H;
static char T[PATH_MAX], RW[PATH_MAX], DIR0[PATH_MAX + 32];
static uint64_t scratch;
static int L = -1; /* the launcher's end of the control socket */
static uint32_t seen[NTAGS];

#define galloc(n) unit_galloc(&scratch, (n))
#define now_ns unit_now_ns
#define wait_tag(tag, bits) unit_wait_tag(&H, &scratch, seen, NTAGS, (tag), (bits))
#define drain() unit_drain(&H, &scratch, seen)

static void setup(void)
{
	char p[PATH_MAX + 64];

	strcpy(T, "/tmp/nh-proc.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(T));
	ck_assert_ptr_nonnull(realpath(T, p));
	strcpy(T, p);
	snprintf(RW, sizeof(RW), "%s/rw", T);
	ck_assert_int_eq(mkdir(RW, 0755), 0);
	unit_put(RW, "prog", "\x7f" "ELF, or so\n");
	snprintf(p, sizeof(p), "%s/sub", RW);
	ck_assert_int_eq(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/fifo", RW);
	ck_assert_int_eq(mkfifo(p, 0644), 0);
	snprintf(DIR0, sizeof(DIR0), "%s:/data:rw", RW);
	memset(&H, 0, sizeof(H));
	memset(seen, 0, sizeof(seen));
	H.opts = (struct nh_opts){.memory = MEM, .image = "img", .max_files = MAX_FILES,
	                          .max_procs = 4, .dir = {DIR0}, .ndirs = 1};
	ck_assert_int_eq(chdir(RW), 0);
	fsshim_setup(&H);
	fsshim_open(&H);
	ram_map(&H);
	scratch = H.ram_start + 0x100000;
}

static void teardown(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", T);
	if (system(cmd) != 0)
		fprintf(stderr, "# could not remove %s\n", T);
}

/* The network (mode, backend) with its readiness, then the process ops
 * with the test as their launcher. */
static void procs_with(uint8_t mode, uint8_t backend)
{
	int sv[2];

	H.opts.net.mode = mode;
	H.opts.net.backend = backend;
	nss_setup(&H, NULL);
	ck_assert_ptr_nonnull(H.net.sock);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	H.proc = (struct nh_proc){.ready = true, .ctl = sv[0], .pid = 1};
	strcpy(H.self, SELF);
	proc_setup(&H);
	ck_assert_ptr_nonnull(H.proc.strs);
	L = sv[1];
}

static void procs(void)
{
	procs_with(NSS_NONE, NSS_AUTO);
	ck_assert_int_eq(H.net.backend, NSS_EPOLL);
}

/* ---- helpers ------------------------------------------------------------------------ */

static uint64_t gstr(const char *s)
{
	uint64_t p = galloc(strlen(s) + 1);

	memcpy(G(p), s, strlen(s) + 1);
	return p;
}

/* n bytes, NULs and all. */
static uint64_t gmem(const char *s, size_t n)
{
	uint64_t p = galloc(n);

	memcpy(G(p), s, n);
	return p;
}

static uint64_t gstrs(const char *const *v, uint64_t *n)
{
	uint64_t p;

	for (*n = 0; v != NULL && v[*n] != NULL; (*n)++)
		;
	p = galloc(*n * sizeof(struct nh_str) + 1);
	for (uint64_t i = 0; i < *n; i++) {
		struct nh_str s = {gstr(v[i]), strlen(v[i])};

		memcpy(G(p + i * sizeof(s)), &s, sizeof(s));
	}
	return p;
}

static struct nh_spawn spawn_of(const char *path, const char *const *argv,
                                const char *const *envp, const char *dir, const int64_t *fds,
                                unsigned nfds)
{
	struct nh_spawn sp = {.path = gstr(path), .pathlen = strlen(path), .dir = gstr(dir),
	                      .dirlen = strlen(dir), .nfds = nfds, .pid = -1};

	sp.argv = gstrs(argv, &sp.argc);
	sp.envv = gstrs(envp, &sp.envc);
	sp.fds = galloc(nfds * sizeof(int64_t) + 1);
	if (nfds > 0)
		memcpy(G(sp.fds), fds, nfds * sizeof(int64_t));
	return sp;
}

static uint64_t gput(const struct nh_spawn *sp)
{
	uint64_t p = galloc(sizeof(*sp));

	memcpy(G(p), sp, sizeof(*sp));
	return p;
}

static const char *const ARGV1[] = {"prog", NULL};

/* A plain START of /data/prog in /data with no descriptors, in guest RAM. */
static uint64_t plain(void)
{
	struct nh_spawn sp = spawn_of("/data/prog", ARGV1, NULL, "/data", NULL, 0);

	return gput(&sp);
}

static int64_t start(uint64_t sp)
{
	return CALL(proc_op_start, sp);
}

/* Queue the launcher's reply: result, with descriptor fd (-1: none), and
 * extra more copies of it. */
static void reply_n(int64_t result, int fd, int extra)
{
	struct launch_reply r = {result};
	struct iovec iov = {&r, sizeof(r)};
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(4 * sizeof(int))];
	} c;
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
	int fds[4] = {fd, fd, fd, fd};

	if (fd >= 0) {
		struct cmsghdr *h;

		memset(c.buf, 0, sizeof(c.buf));
		m.msg_control = c.buf;
		m.msg_controllen = CMSG_SPACE((1 + (size_t)extra) * sizeof(int));
		h = CMSG_FIRSTHDR(&m);
		h->cmsg_level = SOL_SOCKET;
		h->cmsg_type = SCM_RIGHTS;
		h->cmsg_len = CMSG_LEN((1 + (size_t)extra) * sizeof(int));
		memcpy(CMSG_DATA(h), fds, (1 + (size_t)extra) * sizeof(int));
	}
	ck_assert_int_eq(sendmsg(L, &m, 0), (ssize_t)sizeof(r));
}

static void reply(int64_t result, int fd)
{
	reply_n(result, fd, 0);
}

/* Queue a reply with pid and a new channel; the launcher's end of it. */
static int channel(int64_t pid)
{
	int sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	reply(pid, sv[0]);
	close(sv[0]); /* in flight: the host gets it */
	return sv[1];
}

/* What START sent. */
struct req {
	struct launch_req h;
	const char *strs;
	size_t nstrs;
	int fd[LAUNCH_MAX_RIGHTS + 2];
	unsigned nfd;
};
static char reqbuf[LAUNCH_MAX_MSG + 16];

static void take(struct req *r)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE((LAUNCH_MAX_RIGHTS + 2) * sizeof(int))];
	} c;
	struct iovec iov = {reqbuf, sizeof(reqbuf)};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = c.buf,
	                   .msg_controllen = sizeof(c.buf)};
	ssize_t n = recvmsg(L, &m, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);

	ck_assert_int_ge(n, (ssize_t)sizeof(r->h));
	ck_assert_int_eq(m.msg_flags & (MSG_CTRUNC | MSG_TRUNC), 0);
	memcpy(&r->h, reqbuf, sizeof(r->h));
	ck_assert_uint_eq(r->h.magic, LAUNCH_MAGIC);
	r->strs = reqbuf + sizeof(r->h);
	r->nstrs = (size_t)n - sizeof(r->h);
	ck_assert_uint_eq(r->h.strings_len, r->nstrs);
	r->nfd = 0;
	for (struct cmsghdr *h = CMSG_FIRSTHDR(&m); h != NULL; h = CMSG_NXTHDR(&m, h)) {
		unsigned k = (unsigned)((h->cmsg_len - CMSG_LEN(0)) / sizeof(int));

		ck_assert_int_eq(h->cmsg_type, SCM_RIGHTS);
		memcpy(r->fd + r->nfd, CMSG_DATA(h), k * sizeof(int));
		r->nfd += k;
	}
}

static void done(struct req *r)
{
	for (unsigned i = 0; i < r->nfd; i++)
		close(r->fd[i]);
}

static void nothing_sent(void)
{
	char b;

	ck_assert_int_eq(recv(L, &b, 1, MSG_DONTWAIT), -1);
	ck_assert_int_eq(errno, EAGAIN);
}

/* Descriptors open in this process. */
static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n - 3; /* ".", "..", the directory's own */
}

static bool same(int a, int b)
{
	struct stat x, y;

	return fstat(a, &x) == 0 && fstat(b, &y) == 0 && x.st_dev == y.st_dev &&
	       x.st_ino == y.st_ino;
}

static bool same_path(int fd, const char *name)
{
	char p[PATH_MAX + 64];
	struct stat x, y;

	snprintf(p, sizeof(p), "%s/%s", RW, name);
	return fstat(fd, &x) == 0 && stat(p, &y) == 0 && x.st_dev == y.st_dev &&
	       x.st_ino == y.st_ino;
}

static void pipe_(int32_t p[2])
{
	uint64_t g = galloc(8);

	EQ(CALL(proc_op_pipe, g), 0);
	memcpy(p, G(g), 8);
}

static int64_t open_(const char *path, uint64_t flags)
{
	return CALL(fsshim_op_open, ROOT, gstr(path), strlen(path), flags, 0);
}

static void send_exit(int far, int32_t status)
{
	struct launch_exit ex = {status};

	ck_assert_int_eq(send(far, &ex, sizeof(ex), 0), (ssize_t)sizeof(ex));
}

/* ---- PIPE --------------------------------------------------------------------------- */

START_TEST(test_pipe)
{
	uint64_t b = galloc(64), st = galloc(sizeof(struct nh_stat));
	struct nh_stat s;
	int32_t p[2], q[2];
	int64_t d;

	procs();
	pipe_(p);
	ck_assert_int_eq(p[0], 3);
	ck_assert_int_eq(p[1], 4);
	ck_assert_int_eq(H.fs.handle[3].kind, FSSHIM_PIPE);
	ck_assert_int_eq(H.fs.handle[4].kind, FSSHIM_PIPE);
	ck_assert_int_ge(H.fs.handle[3].fd, 3);
	ck_assert_int_eq(fcntl(H.fs.handle[3].fd, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
	ck_assert_int_eq(fcntl(H.fs.handle[4].fd, F_GETFD), FD_CLOEXEC);
	EQ(CALL(fsshim_op_read, 3, b, 64), -NH_EAGAIN);
	memcpy(G(b), "abc", 3);
	EQ(CALL(fsshim_op_write, 4, b, 3), 3);
	EQ(CALL(fsshim_op_read, 3, b + 8, 56), 3);
	ck_assert_int_eq(memcmp(G(b + 8), "abc", 3), 0);
	EQ(CALL(fsshim_op_read, 3, b, 64), -NH_EAGAIN);
	EQ(CALL(fsshim_op_read, 3, 0x40, 1), -NH_EFAULT);
	EQ(CALL(fsshim_op_write, 3, b, 1), -NH_EBADF); /* the read end */
	EQ(CALL(fsshim_op_read, 4, b, 1), -NH_EBADF);  /* the write end */
	/* what needs a file: Linux's answers for a pipe */
	EQ(CALL(fsshim_op_stat, 3, 0, 0, st, 0), 0);
	memcpy(&s, G(st), sizeof(s));
	ck_assert(S_ISFIFO(s.mode));
	EQ(CALL(fsshim_op_seek, 3, 0, 0), -NH_ESPIPE);
	EQ(CALL(fsshim_op_pread, 3, b, 1, 0), -NH_ESPIPE);
	EQ(CALL(fsshim_op_pwrite, 4, b, 1, 0), -NH_ESPIPE);
	EQ(CALL(fsshim_op_pread, 3, b, 1, (uint64_t)-1), -NH_EINVAL);
	EQ(CALL(fsshim_op_fsync, 4), -NH_EINVAL);
	EQ(CALL(fsshim_op_readdir, 3, b, 64, 0), -NH_ENOTDIR);
	EQ(CALL(fsshim_op_truncate, 4, 0, 0, 0), -NH_EINVAL);
	EQ(CALL(fsshim_op_open, 3, gstr("x"), 1, NH_O_RDONLY, 0), -NH_ENOTDIR);
	EQ(CALL(nss_op_bind, 3, b, 16), -NH_ENOTSOCK);
	/* DUP: a pipe end too; the pipe lives while one write end does */
	d = CALL(fsshim_op_dup, 4);
	ck_assert_int_eq(d, 5);
	ck_assert_int_eq(H.fs.handle[5].kind, FSSHIM_PIPE);
	EQ(CALL(fsshim_op_close, 4), 0);
	memcpy(G(b), "z", 1);
	EQ(CALL(fsshim_op_write, 5, b, 1), 1);
	EQ(CALL(fsshim_op_read, 3, b, 64), 1);
	EQ(CALL(fsshim_op_close, 5), 0);
	EQ(CALL(fsshim_op_read, 3, b, 64), 0); /* every writer gone: the end */
	EQ(CALL(fsshim_op_close, 3), 0);
	/* no reader: -EPIPE, and no SIGPIPE (proc_setup ignores it) */
	pipe_(q);
	EQ(CALL(fsshim_op_close, (uint64_t)q[0]), 0);
	EQ(CALL(fsshim_op_write, (uint64_t)q[1], b, 1), -NH_EPIPE);
	EQ(CALL(fsshim_op_close, (uint64_t)q[1]), 0);
	/* the result pointer */
	EQ(CALL(proc_op_pipe, 0), -NH_EFAULT);
	EQ(CALL(proc_op_pipe, H.ram_end - 4), -NH_EFAULT);
	ck_assert_int_eq(H.fs.handle[3].kind, FSSHIM_FREE);
}
END_TEST

/* -EMFILE: checked for both ends before the pipe is made; nothing leaks. */
START_TEST(test_pipe_emfile)
{
	int32_t p[2];
	int before;

	procs();
	before = open_fds();
	for (int k = 0; k < MAX_FILES - 1; k++)
		EQ(open_("/dev/null", NH_O_RDONLY), 3 + k);
	EQ(CALL(proc_op_pipe, galloc(8)), -NH_EMFILE);
	ck_assert_int_eq(open_fds(), before);
	ck_assert_int_eq(H.fs.handle[3 + MAX_FILES - 1].kind, FSSHIM_FREE);
	EQ(CALL(fsshim_op_close, 3), 0);
	EQ(CALL(fsshim_op_close, 4), 0);
	pipe_(p);
	ck_assert_int_eq(p[0], 3);
	ck_assert_int_eq(p[1], 4);
	ck_assert_int_eq(open_fds(), before + 2);
}
END_TEST

/* ---- START ------------------------------------------------------------------------ */

START_TEST(test_start)
{
	static const char *const argv[] = {"prog", "-x", "", NULL}, *const envp[] = {"A=1", "B=",
	                                                                              NULL};
	/* the working directory's guest path first (cleaned), then argv, envp */
	static const char want[] = "/data/sub\0prog\0-x\0\0A=1\0B=";
	struct req r;
	int32_t p[2];
	int64_t dn, h, pid;
	int far, before;

	procs();
	pipe_(p);
	dn = open_("/dev/null", NH_O_RDWR);
	ck_assert_int_eq(dn, 5);
	{
		const int64_t fds[] = {p[0], 1, 2, dn, -1, p[0]};
		struct nh_spawn sp = spawn_of("/data/./prog", argv, envp, "/data/sub/", fds, 6);
		uint64_t g = gput(&sp);

		far = channel(4242);
		before = open_fds();
		h = start(g);
		ck_assert_int_eq(h, 6);
		memcpy(&pid, G(g + offsetof(struct nh_spawn, pid)), sizeof(pid));
		ck_assert_int_eq(pid, 4242);
	}
	ck_assert_int_eq(H.fs.handle[6].kind, FSSHIM_PROC);
	ck_assert_int_eq(H.proc.ended[6], 0);
	ck_assert_int_eq(open_fds(), before + 1); /* the channel; program and directory closed */
	take(&r);
	ck_assert_uint_eq(r.h.prog, LAUNCH_BY_FD);
	ck_assert_uint_eq(r.h.argc, 3);
	ck_assert_uint_eq(r.h.envc, 2);
	ck_assert_uint_eq(r.h.nfds, 6);
	ck_assert_uint_eq(r.nstrs, sizeof(want));
	ck_assert_int_eq(memcmp(r.strs, want, sizeof(want)), 0);
	/* program, directory, then the child's, each once: p[0], 1, 2 */
	ck_assert_uint_eq(r.nfd, 5);
	ck_assert(same_path(r.fd[0], "prog"));
	ck_assert_int_eq(fcntl(r.fd[0], F_GETFL) & O_ACCMODE, O_RDONLY);
	ck_assert(same_path(r.fd[1], "sub"));
	ck_assert_int_eq(fcntl(r.fd[1], F_GETFL) & O_PATH, O_PATH);
	ck_assert_int_eq(r.h.fdmap[0], 2);
	ck_assert(same(r.fd[2], H.fs.handle[p[0]].fd));
	ck_assert_int_eq(r.h.fdmap[1], 3);
	ck_assert(same(r.fd[3], 1));
	ck_assert_int_eq(r.h.fdmap[2], 4);
	ck_assert(same(r.fd[4], 2));
	ck_assert_int_eq(r.h.fdmap[3], LAUNCH_FD_NULL);
	ck_assert_int_eq(r.h.fdmap[4], LAUNCH_FD_CLOSED);
	ck_assert_int_eq(r.h.fdmap[5], 2);
	for (int i = 6; i < NH_SPAWN_MAX_FDS; i++)
		ck_assert_int_eq(r.h.fdmap[i], LAUNCH_FD_CLOSED);
	done(&r);
	nothing_sent();
	send_exit(far, 0);
	{
		uint64_t st = galloc(4);

		EQ(CALL(proc_op_wait, 6, st), 0);
	}
	close(far);
}
END_TEST

/* SELF, BY_PATH, and programs that are no regular file. */
START_TEST(test_start_program)
{
	static const char *const argv[] = {"tool", "-v", NULL};
	struct req r;
	int far;

	H.opts.allow_exec[0] = "/usr//lib/../bin/tool"; /* matched cleaned, sent as given */
	H.opts.allow_exec[1] = "/data/missing";
	H.opts.allow_exec[2] = "/data/sub";
	H.opts.nallow_exec = 3;
	procs();
	{	/* the image itself */
		struct nh_spawn sp = spawn_of("/opt/nonehost-self/./image.elf", argv, NULL, "/data",
		                              NULL, 0);

		far = channel(1);
		ck_assert_int_eq(start(gput(&sp)), 3);
		take(&r);
		ck_assert_uint_eq(r.h.prog, LAUNCH_SELF);
		ck_assert_uint_eq(r.nfd, 1); /* the directory only */
		ck_assert(same_path(r.fd[0], "."));
		ck_assert_uint_eq(r.nstrs, 14);
		ck_assert_int_eq(memcmp(r.strs, "/data\0tool\0-v", 14), 0);
		done(&r);
		close(far);
	}
	{	/* a host program outside the grants */
		static const char want[] = "/usr//lib/../bin/tool\0/data\0tool\0-v";
		struct nh_spawn sp = spawn_of("/usr/bin/tool", argv, NULL, "/data", NULL, 0);

		far = channel(2);
		ck_assert_int_eq(start(gput(&sp)), 4);
		take(&r);
		ck_assert_uint_eq(r.h.prog, LAUNCH_BY_PATH);
		ck_assert_uint_eq(r.nfd, 1);
		ck_assert_uint_eq(r.nstrs, sizeof(want));
		ck_assert_int_eq(memcmp(r.strs, want, sizeof(want)), 0);
		done(&r);
		close(far);
	}
	{	/* one in a grant's place that is not there */
		struct nh_spawn sp = spawn_of("/data/missing", argv, NULL, "/data", NULL, 0);

		far = channel(3);
		ck_assert_int_eq(start(gput(&sp)), 5);
		take(&r);
		ck_assert_uint_eq(r.h.prog, LAUNCH_BY_PATH);
		ck_assert_int_eq(memcmp(r.strs, "/data/missing", 14), 0);
		done(&r);
		close(far);
	}
	{	/* in a synthetic directory: no descriptor for it, the flag says so */
		struct nh_spawn sp = spawn_of("/opt/nonehost-self/image.elf", argv, NULL, "/./", NULL,
		                              0);

		far = channel(4);
		ck_assert_int_eq(start(gput(&sp)), 6);
		take(&r);
		ck_assert_uint_eq(r.h.prog, LAUNCH_SELF);
		ck_assert_uint_eq(r.h.flags, LAUNCH_SYNTHETIC_DIR);
		ck_assert_uint_eq(r.nfd, 0);
		ck_assert_uint_eq(r.nstrs, 10);
		ck_assert_int_eq(memcmp(r.strs, "/\0tool\0-v", 10), 0);
		done(&r);
		close(far);
	}
	reply(POISON, -1);
	{	/* nothing sent for these */
		static const struct {
			const char *path;
			int64_t err;
		} t[] = {
			{"/usr/bin/other", -NH_EACCES}, /* outside the grants, not --allow-exec */
			{"/data/nothing", -NH_ENOENT},
			{"/data/sub", -NH_EACCES},      /* a directory in a grant: the grant wins */
			{"/dev/null", -NH_EACCES},
			{"/", -NH_EACCES},              /* synthetic */
			{"/data/fifo", -NH_EACCES},     /* opened without waiting for a writer */
			{"/data/prog/", -NH_ENOTDIR},
			{"/data/prog/x", -NH_ENOTDIR},
		};

		for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
			struct nh_spawn sp = spawn_of(t[i].path, argv, NULL, "/data", NULL, 0);
			int64_t got = start(gput(&sp));

			ck_assert_msg(got == t[i].err, "%s: %lld, want %lld", t[i].path,
			              (long long)got, (long long)t[i].err);
			nothing_sent();
		}
	}
}
END_TEST

/* Every rejection of the guest's input: nothing sent, nothing leaked. */
START_TEST(test_start_reject)
{
	static const char *const argv[] = {"prog", NULL}, *const env[] = {"A=1", NULL};
	char longp[NH_PATH_MAX + 2];
	struct nh_spawn ok, sp;
	uint64_t big;
	int64_t dh;
	int before;

	procs();
	dh = open_("/data/sub", NH_O_RDONLY | NH_O_DIRECTORY);
	ck_assert_int_eq(dh, 3);
	reply(POISON, -1);
	ok = spawn_of("/data/prog", argv, NULL, "/data", NULL, 0);
	before = open_fds();
#define REJECT(spawn, err)                                                                  \
	do {                                                                                \
		EQ(start(spawn), err);                                                      \
		nothing_sent();                                                             \
		ck_assert_int_eq(open_fds(), before);                                       \
	} while (0)
#define WITH(field, value, err)                                                             \
	do {                                                                                \
		sp = ok;                                                                    \
		sp.field = (value);                                                         \
		REJECT(gput(&sp), err);                                                     \
	} while (0)
	/* the struct itself (it is written back: read-only memory will not do) */
	REJECT(0, -NH_EFAULT);
	REJECT(H.ram_end - 16, -NH_EFAULT);
	/* counts */
	WITH(argc, 0, -NH_EINVAL);
	WITH(nfds, NH_SPAWN_MAX_FDS + 1, -NH_EINVAL);
	WITH(envc, NH_SPAWN_MAX_STRS, -NH_E2BIG); /* argc 1 + 8192 */
	WITH(argc, UINT64_MAX, -NH_E2BIG);
	/* the path */
	WITH(pathlen, 0, -NH_ENOENT);
	WITH(path, 0x40, -NH_EFAULT);
	memset(longp, 'a', sizeof(longp));
	longp[0] = '/';
	longp[NH_PATH_MAX + 1] = '\0';
	sp = ok;
	sp.path = gstr(longp);
	sp.pathlen = NH_PATH_MAX + 1;
	REJECT(gput(&sp), -NH_ENAMETOOLONG);
	sp = ok;
	sp.path = gmem("/data/p\0rog", 10);
	sp.pathlen = 10;
	REJECT(gput(&sp), -NH_EINVAL);
	sp = ok;
	sp.path = gstr("data/prog");
	sp.pathlen = 9;
	REJECT(gput(&sp), -NH_EINVAL); /* relative */
	/* the directory */
	WITH(dirlen, 0, -NH_ENOENT);
	sp = ok;
	sp.dir = gstr("/data/prog");
	sp.dirlen = 10;
	REJECT(gput(&sp), -NH_ENOTDIR);
	sp.dir = gstr("/data/none");
	REJECT(gput(&sp), -NH_ENOENT);
	sp.dir = gstr("/dev/null");
	sp.dirlen = 9;
	REJECT(gput(&sp), -NH_ENOTDIR);
	sp.dir = gstr("data");
	sp.dirlen = 4;
	REJECT(gput(&sp), -NH_EINVAL);
	/* argv and envp */
	WITH(argv, 0, -NH_EFAULT);
	WITH(argv, H.ram_end - 8, -NH_EFAULT);
	sp = ok;
	sp.envc = 1;
	sp.envv = 0x40;
	REJECT(gput(&sp), -NH_EFAULT);
	{
		struct nh_str s[2] = {{gstr("prog"), 4}, {0x40, 3}};

		sp = ok;
		sp.argc = 2;
		sp.argv = galloc(sizeof(s));
		memcpy(G(sp.argv), s, sizeof(s));
		REJECT(gput(&sp), -NH_EFAULT); /* a string's pointer */
		s[1] = (struct nh_str){gmem("a\0b", 3), 3};
		memcpy(G(sp.argv), s, sizeof(s));
		REJECT(gput(&sp), -NH_EINVAL); /* a NUL inside */
		s[1] = (struct nh_str){0x40, 0}; /* empty: any pointer */
		memcpy(G(sp.argv), s, sizeof(s));
		reply(POISON, -1); /* (this one is sent: poison answered) */
		EQ(start(gput(&sp)), POISON);
		{
			struct req r;

			take(&r);
			ck_assert_uint_eq(r.nstrs, 12);
			ck_assert_int_eq(memcmp(r.strs, "/data\0prog\0", 12), 0);
			done(&r);
		}
	}
	sp = ok;
	sp.envv = gstrs(env, &sp.envc);
	{
		struct nh_str s = {gmem("A=1\0B=2", 7), 7};

		memcpy(G(sp.envv), &s, sizeof(s));
	}
	REJECT(gput(&sp), -NH_EINVAL);
	/* sizes: one string too long, and two that are together */
	big = galloc(NH_SPAWN_MAX_DATA + 16);
	memset(G(big), 'x', NH_SPAWN_MAX_DATA + 16);
	{
		struct nh_str s[2] = {{big, NH_SPAWN_MAX_DATA}, {big, 1}};

		sp = ok;
		sp.argv = galloc(sizeof(s));
		memcpy(G(sp.argv), s, sizeof(s));
		REJECT(gput(&sp), -NH_E2BIG); /* with its NUL: one byte too many */
		s[0].len = NH_SPAWN_MAX_DATA / 2;
		s[1].len = NH_SPAWN_MAX_DATA / 2;
		sp.argc = 2;
		memcpy(G(sp.argv), s, sizeof(s));
		REJECT(gput(&sp), -NH_E2BIG);
		s[0].len = UINT64_MAX;
		memcpy(G(sp.argv), s, sizeof(s));
		REJECT(gput(&sp), -NH_E2BIG);
	}
	/* descriptors */
	sp = ok;
	sp.nfds = 1;
	sp.fds = 0x40;
	REJECT(gput(&sp), -NH_EFAULT);
	{
		const int64_t bad[] = {dh, 99, 7, -2, INT64_MIN, 4};

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			sp = ok;
			sp.nfds = 2;
			sp.fds = galloc(16);
			memcpy(G(sp.fds), &(int64_t[2]){1, bad[i]}, 16);
			REJECT(gput(&sp), -NH_EBADF);
		}
	}
	/* a full table: before anything runs */
	for (int k = 0; k < MAX_FILES - 1; k++)
		EQ(open_("/dev/null", NH_O_RDONLY), 4 + k);
	REJECT(gput(&ok), -NH_EMFILE);
	EQ(CALL(fsshim_op_close, 4), 0);
	/* the poison is still there: nothing above took a reply */
	{
		struct launch_reply rep;

		ck_assert_int_eq(recv(H.proc.ctl, &rep, sizeof(rep), MSG_DONTWAIT | MSG_PEEK),
		                 (ssize_t)sizeof(rep));
		ck_assert_int_eq(rep.result, POISON);
	}
#undef WITH
#undef REJECT
}
END_TEST

/* The launcher's answers: its errors, malformed replies, its end. */
START_TEST(test_start_reply)
{
	struct req r;
	uint64_t g;
	int before, sv[2];

	procs();
	g = plain();
	before = open_fds();
	reply(-NH_EACCES, -1);
	EQ(start(g), -NH_EACCES);
	take(&r);
	done(&r);
	reply(-NH_EAGAIN, -1); /* past --max-procs */
	EQ(start(g), -NH_EAGAIN);
	take(&r);
	done(&r);
	ck_assert_int_eq(open_fds(), before);
	ck_assert_int_eq(H.fs.handle[3].kind, FSSHIM_FREE);
	/* malformed: every descriptor received is closed */
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	before = open_fds();
	reply(4242, -1);       /* a pid without a channel */
	EQ(start(g), -NH_EIO);
	reply(-NH_EACCES, sv[0]); /* an error with one */
	EQ(start(g), -NH_EIO);
	reply(0, sv[0]);       /* no pid */
	EQ(start(g), -NH_EIO);
	reply((int64_t)1 << 40, sv[0]);
	EQ(start(g), -NH_EIO);
	reply(-100000, -1);    /* no errno */
	EQ(start(g), -NH_EIO);
	reply_n(4242, sv[0], 1); /* two descriptors */
	EQ(start(g), -NH_EIO);
	reply_n(4242, sv[0], 3); /* more than there is room for: truncated */
	EQ(start(g), -NH_EIO);
	ck_assert_int_eq(send(L, "\1\2\3\4", 4, 0), 4); /* a short reply */
	EQ(start(g), -NH_EIO);
	ck_assert_int_eq(send(L, "123456789", 9, 0), 9); /* a long one */
	EQ(start(g), -NH_EIO);
	for (int i = 0; i < 9; i++) {
		take(&r);
		done(&r);
	}
	nothing_sent();
	ck_assert_int_eq(open_fds(), before);
	ck_assert_int_eq(H.fs.handle[3].kind, FSSHIM_FREE);
	/* the launcher gone */
	close(L);
	EQ(start(g), -NH_EIO);
	ck_assert_int_eq(open_fds(), before - 1);
}
END_TEST

/* A request larger than the control socket takes is -E2BIG (never sent
 * in part); the largest arrives whole where the send buffer was raised as
 * launcher_start raises it. */
START_TEST(test_start_large)
{
	uint64_t big = galloc(NH_SPAWN_MAX_DATA);
	struct nh_str s = {big, NH_SPAWN_MAX_DATA - 1};
	struct nh_spawn sp = spawn_of("/data/prog", ARGV1, NULL, "/data", NULL, 0);
	int want = (int)(LAUNCH_MAX_MSG + 65536), small = 65536, sndbuf = 0;
	socklen_t len = sizeof(sndbuf);
	struct req r;
	uint64_t g;

	procs();
	memset(G(big), 'y', NH_SPAWN_MAX_DATA);
	sp.argv = galloc(sizeof(s));
	memcpy(G(sp.argv), &s, sizeof(s));
	g = gput(&sp);
	reply(POISON, -1);
	ck_assert_int_eq(setsockopt(H.proc.ctl, SOL_SOCKET, SO_SNDBUF, &want, sizeof(want)), 0);
	ck_assert_int_eq(getsockopt(H.proc.ctl, SOL_SOCKET, SO_SNDBUF, &sndbuf, &len), 0);
	if ((size_t)sndbuf >= LAUNCH_MAX_MSG + 32) {
		EQ(start(g), POISON);
		take(&r);
		ck_assert_uint_eq(r.nstrs, 6 + NH_SPAWN_MAX_DATA); /* "/data" first */
		ck_assert_int_eq(r.strs[6 + NH_SPAWN_MAX_DATA - 2], 'y');
		ck_assert_int_eq(r.strs[6 + NH_SPAWN_MAX_DATA - 1], '\0');
		done(&r);
		reply(POISON, -1);
	} else {
		fprintf(stderr, "# proc: net.core.wmem_max keeps the control socket at %d bytes\n",
		        sndbuf);
	}
	ck_assert_int_eq(setsockopt(H.proc.ctl, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)), 0);
	EQ(start(g), -NH_E2BIG);
	nothing_sent();
}
END_TEST

/* ---- WAIT, KILL ----------------------------------------------------------------- */

START_TEST(test_wait)
{
	uint64_t st = galloc(4), g;
	struct req r;
	int32_t status, p[2];
	int64_t h, d;
	int far;

	procs();
	g = plain();
	far = channel(100);
	h = start(g);
	ck_assert_int_eq(h, 3);
	take(&r);
	done(&r);
	EQ(CALL(proc_op_wait, 3, st), -NH_EAGAIN);
	send_exit(far, 0x0f00);
	close(far); /* the launcher closes its end once the status is sent */
	EQ(CALL(proc_op_wait, 3, 0x40), -NH_EFAULT); /* checked first: nothing lost */
	EQ(CALL(proc_op_wait, 3, st), 0);
	memcpy(&status, G(st), 4);
	ck_assert_int_eq(status, 0x0f00);
	memset(G(st), 0, 4);
	EQ(CALL(proc_op_wait, 3, st), 0); /* again */
	memcpy(&status, G(st), 4);
	ck_assert_int_eq(status, 0x0f00);
	EQ(CALL(proc_op_kill, 3, 9), -NH_ESRCH);
	/* a copy made after: the same status */
	d = CALL(fsshim_op_dup, 3);
	ck_assert_int_eq(d, 4);
	ck_assert_int_eq(H.fs.handle[4].kind, FSSHIM_PROC);
	EQ(CALL(proc_op_wait, 4, st), 0);
	EQ(CALL(fsshim_op_close, 3), 0);
	EQ(CALL(fsshim_op_close, 4), 0);
	/* signals the launcher never read (the child ended first): its close
	 * resets the connection, and the status still comes (os/exec's
	 * TestWaitid: SIGSTOP, SIGCONT, then the child's end) */
	far = channel(104);
	h = start(g);
	take(&r);
	done(&r);
	EQ(CALL(proc_op_kill, (uint64_t)h, SIGSTOP), 0);
	EQ(CALL(proc_op_kill, (uint64_t)h, SIGCONT), 0);
	send_exit(far, 0x0200);
	close(far);
	EQ(CALL(proc_op_wait, (uint64_t)h, st), 0);
	memcpy(&status, G(st), 4);
	ck_assert_int_eq(status, 0x0200);
	EQ(CALL(fsshim_op_close, (uint64_t)h), 0);
	/* not a process handle: -EBADF */
	pipe_(p);
	EQ(CALL(proc_op_wait, (uint64_t)p[0], st), -NH_EBADF);
	EQ(CALL(proc_op_wait, 0, st), -NH_EBADF);
	EQ(CALL(proc_op_wait, 99, st), -NH_EBADF);
	EQ(CALL(proc_op_wait, (uint64_t)-1, st), -NH_EBADF);
	/* a channel that ends without a status, one with a wrong message */
	far = channel(101);
	h = start(g);
	take(&r);
	done(&r);
	close(far);
	EQ(CALL(proc_op_wait, (uint64_t)h, st), -NH_ECHILD);
	far = channel(102);
	h = start(g);
	take(&r);
	done(&r);
	ck_assert_int_eq(send(far, "12345678", 8, 0), 8);
	EQ(CALL(proc_op_wait, (uint64_t)h, st), -NH_ECHILD);
	close(far);
	/* a copy made before: the status goes to whichever asks first */
	far = channel(103);
	h = start(g);
	take(&r);
	done(&r);
	d = CALL(fsshim_op_dup, (uint64_t)h);
	ck_assert_int_ge(d, 3);
	EQ(CALL(proc_op_wait, (uint64_t)d, st), -NH_EAGAIN);
	send_exit(far, 9);
	close(far);
	EQ(CALL(proc_op_wait, (uint64_t)d, st), 0);
	memcpy(&status, G(st), 4);
	ck_assert_int_eq(status, 9);
	EQ(CALL(proc_op_wait, (uint64_t)h, st), -NH_ECHILD);
}
END_TEST

START_TEST(test_kill)
{
	unsigned char m[sizeof(struct launch_kill) + 1];
	struct launch_kill k;
	struct req r;
	int32_t p[2];
	int64_t h;
	int far;

	procs();
	far = channel(200);
	h = start(plain());
	take(&r);
	done(&r);
	EQ(CALL(proc_op_kill, (uint64_t)h, 15), 0);
	ck_assert_int_eq(recv(far, m, sizeof(m), MSG_DONTWAIT), (ssize_t)sizeof(k));
	memcpy(&k, m, sizeof(k));
	ck_assert_int_eq(k.sig, 15);
	EQ(CALL(proc_op_kill, (uint64_t)h, 64), 0);
	ck_assert_int_eq(recv(far, &k, sizeof(k), MSG_DONTWAIT), (ssize_t)sizeof(k));
	ck_assert_int_eq(k.sig, 64);
	EQ(CALL(proc_op_kill, (uint64_t)h, 0), -NH_EINVAL);
	EQ(CALL(proc_op_kill, (uint64_t)h, 65), -NH_EINVAL);
	EQ(CALL(proc_op_kill, (uint64_t)h, (uint64_t)-9), -NH_EINVAL);
	ck_assert_int_eq(recv(far, &k, sizeof(k), MSG_DONTWAIT), -1);
	pipe_(p);
	EQ(CALL(proc_op_kill, (uint64_t)p[1], 9), -NH_EBADF);
	EQ(CALL(proc_op_kill, 99, 9), -NH_EBADF);
	{	/* a process handle is no descriptor for a child */
		const int64_t fds[] = {h};
		struct nh_spawn sp = spawn_of("/data/prog", ARGV1, NULL, "/data", fds, 1);

		EQ(start(gput(&sp)), -NH_EBADF);
		nothing_sent();
	}
	/* reaped unseen (the launcher closed its end): -ESRCH */
	close(far);
	EQ(CALL(proc_op_kill, (uint64_t)h, 9), -NH_ESRCH);
	EQ(CALL(fsshim_op_close, (uint64_t)h), 0);
	EQ(CALL(proc_op_kill, (uint64_t)h, 9), -NH_EBADF);
}
END_TEST

/* A process handle's file ops. */
START_TEST(test_proc_handle)
{
	uint64_t b = galloc(64), st = galloc(sizeof(struct nh_stat));
	struct nh_stat s;
	struct req r;
	char c;
	int64_t h;
	int far;

	procs();
	far = channel(300);
	h = start(plain());
	take(&r);
	done(&r);
	EQ(CALL(fsshim_op_read, (uint64_t)h, b, 4), -NH_EINVAL);
	EQ(CALL(fsshim_op_write, (uint64_t)h, b, 4), -NH_EINVAL);
	EQ(CALL(fsshim_op_pread, (uint64_t)h, b, 4, 0), -NH_EINVAL);
	EQ(CALL(fsshim_op_pwrite, (uint64_t)h, b, 4, 0), -NH_EINVAL);
	EQ(CALL(fsshim_op_seek, (uint64_t)h, 0, 0), -NH_ESPIPE);
	EQ(CALL(fsshim_op_fsync, (uint64_t)h), -NH_EINVAL);
	EQ(CALL(fsshim_op_stat, (uint64_t)h, 0, 0, st, 0), 0);
	memcpy(&s, G(st), sizeof(s));
	ck_assert(S_ISSOCK(s.mode));
	EQ(CALL(nss_op_listen, (uint64_t)h, 1), -NH_ENOTSOCK);
	/* CLOSE: the launcher sees the end (and lets the child run unseen) */
	EQ(CALL(fsshim_op_close, (uint64_t)h), 0);
	ck_assert_int_eq(recv(far, &c, 1, MSG_DONTWAIT), 0);
	close(far);
}
END_TEST

/* The ops are not served without the launcher (--max-procs 0). */
START_TEST(test_off)
{
	struct sbx_policy p, base;

	H.opts.max_procs = 0;
	nss_setup(&H, NULL);
	ck_assert_ptr_null(H.net.sock); /* --net none, no processes: nothing made */
	proc_setup(&H);
	ck_assert_ptr_null(H.proc.strs);
	EQ(CALL(proc_op_pipe, galloc(8)), -NH_ENOSYS);
	EQ(CALL(proc_op_start, plain()), -NH_ENOSYS);
	EQ(CALL(proc_op_wait, 3, galloc(4)), -NH_ENOSYS);
	EQ(CALL(proc_op_kill, 3, 9), -NH_ENOSYS);
	sbx_policy_init(&base);
	fsshim_policy(&H, &base);
	nss_policy(&H, &base);
	p = base;
	proc_policy(&H, &p);
	ck_assert_uint_eq(p.nrules, base.nrules);
	ck_assert_uint_eq(p.nofile, base.nofile);
}
END_TEST

/* ---- readiness ----------------------------------------------------------------------- */

/* NET_POLL of pipes and process handles: _i 0 --net none (epoll, made for
 * them), 1 --net private with io_uring (a namespace of the test's own). */
START_TEST(test_poll)
{
	uint64_t b = galloc(16), st = galloc(4);
	struct req r;
	int32_t p[2];
	int64_t h, f;
	int far;

	if (_i == 0)
		procs();
	else
		procs_with(NSS_PRIVATE, NSS_URING);
	pipe_(p);
	EQ(CALL(nss_op_poll, (uint64_t)p[0], 1), 0);
	EQ(CALL(nss_op_poll, (uint64_t)p[0], 1), -NH_EEXIST);
	EQ(CALL(nss_op_poll, (uint64_t)p[1], 2), 0);
	ck_assert(wait_tag(2, NH_POLLOUT) & NH_POLLOUT); /* room to write */
	drain();
	ck_assert_uint_eq(seen[1], 0);
	memcpy(G(b), "x", 1);
	EQ(CALL(fsshim_op_write, (uint64_t)p[1], b, 1), 1);
	ck_assert(wait_tag(1, NH_POLLIN) & NH_POLLIN);
	EQ(CALL(fsshim_op_read, (uint64_t)p[0], b, 16), 1);
	/* a process handle: readable once the status came */
	far = channel(400);
	h = start(plain());
	take(&r);
	done(&r);
	EQ(CALL(nss_op_poll, (uint64_t)h, 3), 0);
	drain();
	ck_assert_uint_eq(seen[3] & NH_POLLIN, 0);
	EQ(CALL(proc_op_wait, (uint64_t)h, st), -NH_EAGAIN);
	send_exit(far, 0);
	close(far);
	ck_assert(wait_tag(3, NH_POLLIN) & NH_POLLIN);
	EQ(CALL(proc_op_wait, (uint64_t)h, st), 0);
	/* other handles: not pollable */
	f = open_("/data/prog", NH_O_RDONLY);
	EQ(CALL(nss_op_poll, (uint64_t)f, 4), -NH_ENOTSOCK);
	EQ(CALL(nss_op_poll, 99, 4), -NH_EBADF);
	/* IDLE: -EDEADLK only once nothing is registered */
	EQ(CALL(fsshim_op_close, (uint64_t)p[0]), 0);
	EQ(CALL(fsshim_op_close, (uint64_t)p[1]), 0);
	EQ(CALL(hook_idle, 1, 0, 0), 0);
	ck_assert_uint_eq(H.net.npolled, 1);
	EQ(CALL(fsshim_op_close, (uint64_t)h), 0);
	ck_assert_uint_eq(H.net.npolled, 0);
	EQ(CALL(hook_idle, 0, 0, 0), -NH_EDEADLK);
	/* a dup is watched afresh */
	pipe_(p);
	h = CALL(fsshim_op_dup, (uint64_t)p[0]);
	EQ(CALL(nss_op_poll, (uint64_t)h, 5), 0);
	EQ(CALL(fsshim_op_write, (uint64_t)p[1], b, 1), 1);
	ck_assert(wait_tag(5, NH_POLLIN) & NH_POLLIN);
}
END_TEST

/* ---- the sandbox -------------------------------------------------------------------- */

static const struct sbx_rule *rule_of(const struct sbx_policy *p, int nr)
{
	for (unsigned i = 0; i < p->nrules; i++)
		if (p->rule[i].nr == nr)
			return &p->rule[i];
	return NULL;
}

static void pinned(const struct sbx_rule *r, unsigned arg, enum scmp_compare op,
                   scmp_datum_t v)
{
	for (unsigned k = 0; k < r->nargs; k++)
		if (r->arg[k].arg == arg) {
			ck_assert_int_eq(r->arg[k].op, op);
			ck_assert_uint_eq(r->arg[k].datum_a, v);
			return;
		}
	ck_abort_msg("%s: argument %u is not pinned", r->why, arg);
}

START_TEST(test_rules)
{
	struct sbx_policy p, base;
	const struct sbx_rule *r;
	scmp_datum_t floor;

	procs();
	sbx_policy_init(&base);
	fsshim_policy(&H, &base);
	nss_policy(&H, &base); /* none: the epoll instance's two */
	floor = (scmp_datum_t)H.fs.fd_floor;
	ck_assert_int_gt(H.fs.fd_floor, H.proc.ctl);
	ck_assert_int_gt(H.fs.fd_floor, H.net.fd);
	p = base;
	proc_policy(&H, &p);
	ck_assert_uint_eq(p.nrules, base.nrules + 6);
	ck_assert_uint_eq(sbx_policy_nsyscalls(&p), sbx_policy_nsyscalls(&base) + 5); /* fcntl's
	                                                                                * there */
	ck_assert_uint_eq(p.nofile, base.nofile + 3);
	r = rule_of(&p, SCMP_SYS(sendmsg));
	pinned(r, 0, SCMP_CMP_EQ, (scmp_datum_t)H.proc.ctl);
	pinned(r, 2, SCMP_CMP_EQ, MSG_NOSIGNAL);
	r = rule_of(&p, SCMP_SYS(recvmsg));
	pinned(r, 0, SCMP_CMP_EQ, (scmp_datum_t)H.proc.ctl);
	pinned(r, 2, SCMP_CMP_EQ, MSG_CMSG_CLOEXEC);
	pinned(rule_of(&p, SCMP_SYS(pipe2)), 1, SCMP_CMP_EQ, O_NONBLOCK | O_CLOEXEC);
	r = &p.rule[base.nrules + 3]; /* F_SETOWN: only this process may be the owner */
	ck_assert_int_eq(r->nr, SCMP_SYS(fcntl));
	pinned(r, 0, SCMP_CMP_GE, floor);
	pinned(r, 1, SCMP_CMP_EQ, F_SETOWN);
	pinned(r, 2, SCMP_CMP_EQ, (scmp_datum_t)getpid());
	r = rule_of(&p, SCMP_SYS(recvfrom));
	pinned(r, 0, SCMP_CMP_GE, floor);
	pinned(r, 3, SCMP_CMP_EQ, MSG_DONTWAIT);
	r = rule_of(&p, SCMP_SYS(sendto));
	pinned(r, 0, SCMP_CMP_GE, floor);
	pinned(r, 3, SCMP_CMP_EQ, MSG_DONTWAIT | MSG_NOSIGNAL);
	/* the epoll instance under none: on its descriptor only */
	pinned(rule_of(&base, SCMP_SYS(epoll_ctl)), 0, SCMP_CMP_EQ, (scmp_datum_t)H.net.fd);
	pinned(rule_of(&base, SCMP_SYS(epoll_pwait2)), 0, SCMP_CMP_EQ, (scmp_datum_t)H.net.fd);
	ck_assert_ptr_null(rule_of(&base, SCMP_SYS(socket)));
}
END_TEST

/* --net private, either backend: the netstack's recvfrom and sendto rules
 * (its data path) serve the processes too. */
START_TEST(test_rules_net)
{
	static const uint8_t backends[] = {NSS_EPOLL, NSS_URING};
	struct sbx_policy p, base;

	procs_with(NSS_PRIVATE, backends[_i]);
	sbx_policy_init(&base);
	fsshim_policy(&H, &base);
	nss_policy(&H, &base);
	p = base;
	proc_policy(&H, &p);
	ck_assert_uint_eq(p.nrules, base.nrules + 4);
	ck_assert_uint_eq(sbx_policy_nsyscalls(&p), sbx_policy_nsyscalls(&base) + 3);
	ck_assert_ptr_nonnull(rule_of(&p, SCMP_SYS(sendmsg)));
	ck_assert_ptr_nonnull(rule_of(&base, SCMP_SYS(recvfrom)));
	ck_assert_ptr_nonnull(rule_of(&base, SCMP_SYS(sendto)));
}
END_TEST

/* (the output goes to stderr: too long for libcheck's message) */
#define HAS(out, want)                                                                    \
	do {                                                                              \
		if (strstr(out, want) == NULL)                                            \
			fprintf(stderr, "%s", out);                                       \
		ck_assert_msg(strstr(out, want) != NULL, "lacks \"%s\"", want);            \
	} while (0)

static char *policy_text(const struct elf_image *img)
{
	static struct nh_host h; /* --policy: nothing made */
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	memset(&h, 0, sizeof(h));
	h.opts = H.opts;
	if (img != NULL)
		h.img = *img;
	fsshim_setup(&h);
	nss_setup_policy(&h);
	policy_print(f, &h);
	ck_assert_int_eq(fclose(f), 0);
	return buf;
}

START_TEST(test_policy_text)
{
	char *out;

	H.opts.allow_exec[0] = "/usr/bin/git";
	H.opts.nallow_exec = 1;
	out = policy_text(NULL);
	HAS(out, "processes: on: a launcher, forked before the sandbox, starts at most 4 children "
	         "alive at once (--max-procs)\n");
	HAS(out, "  host programs (--allow-exec):\n    /usr/bin/git\n");
	HAS(out, "  each child confined by the launcher: ");
	HAS(out, "  the run's own PID namespace, the launcher its PID 1, ");
	HAS(out, "; NET_SOCKET is EACCES, nothing of the network is allowed\n    epoll instance: "
	         "pipes' and processes' readiness only");
	HAS(out, "  sendmsg          a0 == ");
	HAS(out, "  pipe2            a1 == 526336");
	HAS(out, "  epoll_ctl        a0 == ");
	free(out);
	H.opts.max_procs = 0;
	H.opts.nallow_exec = 0;
	out = policy_text(NULL);
	HAS(out, "processes: off (--max-procs 0): no launcher; the process ops are not served\n"
	         "  UNIX sockets: the host makes them in the image's own root; where none can be "
	         "made, there are none");
	ck_assert_ptr_null(strstr(out, "sendmsg"));
	ck_assert_ptr_null(strstr(out, "epoll"));
	free(out);
}
END_TEST

/* An image whose symbol table lacks NH_PROC_START_SYMBOL cannot ask for a
 * process: --policy shows no launcher and no rules for one; with the
 * symbol, or with no table to tell, processes are on. */
START_TEST(test_policy_image_asks)
{
	static const char names[] = "\0main.main\0" NH_PROC_START_SYMBOL;
	Elf64_Sym sym[3] = {{0}, {.st_name = 1, .st_shndx = 1}, {0}};
	struct elf_image img = {.nseg = 1,
	                        .syms = {.sym = (const uint8_t *)sym, .symsize = sizeof(Elf64_Sym),
	                                 .nsym = 2, .str = names, .strsize = sizeof(names)}};
	char *out;

	H.opts.max_procs = 4;
	H.opts.nallow_exec = 0;
	out = policy_text(&img);
	HAS(out, "processes: off: the image cannot ask for one (it names no " NH_PROC_START_SYMBOL
	         "): no launcher; the process ops are not served\n");
	ck_assert_ptr_null(strstr(out, "sendmsg"));
	free(out);
	sym[2] = (Elf64_Sym){.st_name = 11, .st_shndx = 1};
	img.syms.nsym = 3;
	out = policy_text(&img);
	HAS(out, "processes: on: a launcher");
	HAS(out, "  sendmsg          a0 == ");
	free(out);
	img.syms.nsym = 0; /* stripped: nothing to tell */
	out = policy_text(&img);
	HAS(out, "processes: on: a launcher");
	free(out);
}
END_TEST

/* Every op under the whole sandbox, with these rules: nothing traps.
 * *arg: 0 --net none (epoll), 1 --net private with epoll (the netstack's
 * recvfrom and sendto rules serve WAIT and KILL), 2 with io_uring. */
static void sandboxed(const void *arg)
{
	uint64_t b = galloc(16), st = galloc(4), ev = galloc(8 * sizeof(struct nh_pollev)), g;
	struct sbx_policy p;
	int32_t pp[2], status;
	int64_t h, d;
	int sv[2], cs[2];
	struct launch_exit ex = {0x2a00};
	const int mode = *(const int *)arg;

	fsshim_tidy_fds(0);
	fsshim_open(&H);
	H.opts.net.mode = mode == 0 ? NSS_NONE : NSS_PRIVATE;
	H.opts.net.backend = mode == 2 ? NSS_URING : NSS_EPOLL;
	nss_setup(&H, NULL);
	PROBE(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == 0);
	PROBE(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, cs) == 0);
	H.proc = (struct nh_proc){.ready = true, .ctl = sv[0], .pid = 1};
	strcpy(H.self, SELF);
	proc_setup(&H);
	L = sv[1];
	reply(500, cs[0]); /* START's reply, its channel carrying the status already */
	PROBE(send(cs[1], &ex, sizeof(ex), 0) == (ssize_t)sizeof(ex));
	g = plain();
	sbx_policy_init(&p);
	fsshim_policy(&H, &p);
	nss_policy(&H, &p);
	proc_policy(&H, &p);
	sbx_apply(&p, false, NULL);

	PROBE(CALL(proc_op_pipe, b) == 0);
	memcpy(pp, G(b), 8);
	PROBE(CALL(nss_op_poll, (uint64_t)pp[0], 1) == 0);
	memcpy(G(b + 8), "x", 1);
	PROBE(CALL(fsshim_op_write, (uint64_t)pp[1], b + 8, 1) == 1);
	PROBE(CALL(hook_idle, 1, ev, 8) == 1);
	PROBE(CALL(fsshim_op_read, (uint64_t)pp[0], b + 8, 8) == 1);
	PROBE(CALL(fsshim_op_read, (uint64_t)pp[0], b + 8, 8) == -NH_EAGAIN);
	PROBE(CALL(fsshim_op_close, (uint64_t)pp[0]) == 0);
	PROBE(CALL(fsshim_op_write, (uint64_t)pp[1], b + 8, 1) == -NH_EPIPE);
	h = CALL(proc_op_start, g);
	PROBE(h >= 3);
	PROBE(CALL(nss_op_poll, (uint64_t)h, 2) == 0);
	PROBE(CALL(proc_op_kill, (uint64_t)h, 15) == 0);
	PROBE(CALL(proc_op_wait, (uint64_t)h, st) == 0);
	memcpy(&status, G(st), 4);
	PROBE(status == 0x2a00);
	PROBE(CALL(proc_op_kill, (uint64_t)h, 15) == -NH_ESRCH);
	d = CALL(fsshim_op_dup, (uint64_t)h);
	PROBE(d >= 3);
	PROBE(CALL(fsshim_op_stat, (uint64_t)d, 0, 0, galloc(sizeof(struct nh_stat)), 0) == 0);
	PROBE(CALL(fsshim_op_close, (uint64_t)d) == 0);
	PROBE(CALL(fsshim_op_close, (uint64_t)h) == 0);
	PROBE(write(STDERR_FILENO, "done\n", 5) == 5);
	CHILD_EXIT(0);
}

START_TEST(test_under_sandbox)
{
	struct outcome o;

	if (sbx_landlock_abi() < 3) {
		fprintf(stderr, "# skip proc under_sandbox: Landlock ABI %d < 3\n",
		        sbx_landlock_abi());
		return;
	}
	unit_fork(sandboxed, &_i, &o, NULL, NULL);
	expect_exit(&o, 0);
	ck_assert_str_eq(o.err, "done\n");
}
END_TEST

START_TEST(test_gate_table)
{
	ck_assert(gate_ops_complete());
	ck_assert_str_eq(gate_op_lookup(NH_OP_PROC_PIPE)->name, "proc_pipe");
	ck_assert_str_eq(gate_op_lookup(NH_OP_PROC_START)->args, "x");
	ck_assert_str_eq(gate_op_lookup(NH_OP_PROC_WAIT)->args, "dx");
	ck_assert_str_eq(gate_op_lookup(NH_OP_PROC_KILL)->args, "dd");
	ck_assert_ptr_null(gate_op_lookup(NH_OP_PROC_PIPE - 1));
	ck_assert_ptr_null(gate_op_lookup(0x304)); /* PROC_SELF's, gone: hostblock.executable */
	ck_assert_ptr_null(gate_op_lookup(NH_OP_PROC_MAX + 1));
}
END_TEST

Suite *proc_suite(void)
{
	Suite *s = suite_create("proc");
	TCase *tc = tcase_create("ops");

	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_pipe);
	tcase_add_test(tc, test_pipe_emfile);
	tcase_add_test(tc, test_start);
	tcase_add_test(tc, test_start_program);
	tcase_add_test(tc, test_start_reject);
	tcase_add_test(tc, test_start_reply);
	tcase_add_test(tc, test_start_large);
	tcase_add_test(tc, test_wait);
	tcase_add_test(tc, test_kill);
	tcase_add_test(tc, test_proc_handle);
	tcase_add_test(tc, test_off);
	tcase_add_loop_test(tc, test_poll, 0, 2);
	tcase_add_test(tc, test_rules);
	tcase_add_loop_test(tc, test_rules_net, 0, 2);
	tcase_add_test(tc, test_policy_text);
	tcase_add_test(tc, test_policy_image_asks);
	tcase_add_loop_test(tc, test_under_sandbox, 0, 3);
	tcase_add_test(tc, test_gate_table);
	suite_add_tcase(s, tc);
	return s;
}
