/*
 * check_inherit.c - unit tests of --inherit-fds (host/inherit.c, the
 * option in host/cli.c, launch_inherit in host/launcher_msg.c).
 *
 * - inherit_kind: a regular file, a FIFO, /dev/null, an INET, INET6 and
 *   UNIX stream or datagram socket are adopted; an O_PATH file, a
 *   directory, /dev/zero, a netlink or raw socket, any socket when the
 *   network serves none, are not.
 * - cli: --inherit-fds 4..16 accepted, 3, 17 and garbage refused, and with
 *   --launcher-fd or --signal-fd among its descriptors refused.
 * - launch_inherit: nothing for 0-2; "--inherit-fds=N" as the first
 *   option, the words after it and the NULL kept, cli_parse reads it back;
 *   no room is -E2BIG. launch_lifeline_fd: for every count of descriptors
 *   the child could be given, a --lifeline-fd that cli_parse takes beside
 *   that --inherit-fds (found by fuzz_launch, whose fixed 9 was among 12).
 * - the whole path, in a forked child (it moves descriptors 3..N-1): a
 *   listening TCP socket, a pipe's write end, a read-only file, a
 *   directory, /dev/null (write-only), a hole, /dev/zero, a listening UNIX
 *   socket, and one beyond --max-files' table are held by inherit_hold
 *   (their own numbers closed), survive fsshim_tidy_fds_except, and
 *   inherit_adopt makes handles 3..N-1 of them with the same numbers: the
 *   socket bound and non-blocking, the pipe non-blocking (a byte written
 *   reaches the other end), the file has no grant, no guest path and its
 *   access mode, /dev/null its access mode and no descriptor, the
 *   directory, the hole, /dev/zero and the one beyond are free
 *   handles with their descriptors closed; the next handle is the lowest
 *   free one.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include "host.h"
#include "unit.h"

/* ---- inherit_kind --------------------------------------------------------------- */

static enum inherit_kind kind_of(mode_t mode, dev_t rdev, int flags, int domain, int type,
                                 bool sockets)
{
	struct stat st = {.st_mode = mode, .st_rdev = rdev};
	const char *why = NULL;
	enum inherit_kind k = inherit_kind(&st, flags, domain, type, sockets, sockets, &why);

	ck_assert_ptr_nonnull(why);
	ck_assert_msg((k == INHERIT_NONE) == (why[0] != '\0'), "a refusal says why, only it");
	return k;
}

START_TEST(test_inherit_kind)
{
	const dev_t null = makedev(1, 3), zero = makedev(1, 5);

	ck_assert_int_eq(kind_of(S_IFREG | 0644, 0, O_RDONLY, -1, -1, true), INHERIT_FILE);
	ck_assert_int_eq(kind_of(S_IFREG | 0644, 0, O_RDWR | O_APPEND, -1, -1, false),
	                 INHERIT_FILE);
	ck_assert_int_eq(kind_of(S_IFREG | 0644, 0, O_PATH, -1, -1, true), INHERIT_NONE);
	ck_assert_int_eq(kind_of(S_IFIFO | 0600, 0, O_WRONLY, -1, -1, false), INHERIT_PIPE);
	ck_assert_int_eq(kind_of(S_IFIFO | 0600, 0, O_PATH, -1, -1, false), INHERIT_NONE);
	ck_assert_int_eq(kind_of(S_IFDIR | 0755, 0, O_RDONLY | O_DIRECTORY, -1, -1, true),
	                 INHERIT_NONE);
	ck_assert_int_eq(kind_of(S_IFCHR | 0666, null, O_RDWR, -1, -1, false), INHERIT_NULL);
	ck_assert_int_eq(kind_of(S_IFCHR | 0666, zero, O_RDWR, -1, -1, true), INHERIT_NONE);
	ck_assert_int_eq(kind_of(S_IFBLK | 0660, null, O_RDWR, -1, -1, true), INHERIT_NONE);
	ck_assert_int_eq(kind_of(S_IFLNK | 0777, 0, O_PATH, -1, -1, true), INHERIT_NONE);
	ck_assert_int_eq(kind_of(S_IFSOCK | 0777, 0, O_RDWR, AF_INET, SOCK_STREAM, true),
	                 INHERIT_SOCKET);
	ck_assert_int_eq(kind_of(S_IFSOCK | 0777, 0, O_RDWR, AF_INET6, SOCK_DGRAM, true),
	                 INHERIT_SOCKET);
	ck_assert_int_eq(kind_of(S_IFSOCK | 0777, 0, O_RDWR, AF_UNIX, SOCK_STREAM, true),
	                 INHERIT_SOCKET);
	ck_assert_int_eq(kind_of(S_IFSOCK | 0777, 0, O_RDWR, AF_UNIX, SOCK_DGRAM, true),
	                 INHERIT_SOCKET);
	ck_assert_int_eq(kind_of(S_IFSOCK | 0777, 0, O_RDWR, AF_INET, SOCK_STREAM, false),
	                 INHERIT_NONE);
	{ /* a UNIX datagram socket could send to any path: only in a root of our own */
		struct stat st = {.st_mode = S_IFSOCK | 0777};
		const char *why = NULL;

		ck_assert_int_eq(inherit_kind(&st, O_RDWR, AF_UNIX, SOCK_DGRAM, true, false, &why),
		                 INHERIT_NONE);
		ck_assert_ptr_nonnull(strstr(why, "root of its own"));
		ck_assert_int_eq(inherit_kind(&st, O_RDWR, AF_UNIX, SOCK_SEQPACKET, true, false, &why),
		                 INHERIT_NONE);
		ck_assert_ptr_nonnull(strstr(why, "seqpacket"));
		ck_assert_ptr_nonnull(strstr(why, "root of its own"));
		ck_assert_int_eq(inherit_kind(&st, O_RDWR, AF_UNIX, SOCK_STREAM, true, false, &why),
		                 INHERIT_SOCKET);
	}
	ck_assert_int_eq(kind_of(S_IFSOCK | 0777, 0, O_RDWR, AF_NETLINK, SOCK_DGRAM, true),
	                 INHERIT_NONE);
	ck_assert_int_eq(kind_of(S_IFSOCK | 0777, 0, O_RDWR, AF_INET, SOCK_RAW, true),
	                 INHERIT_NONE);
	ck_assert_int_eq(kind_of(S_IFSOCK | 0777, 0, O_RDWR, AF_UNIX, SOCK_SEQPACKET, true),
	                 INHERIT_SOCKET);
	ck_assert_int_eq(kind_of(S_IFSOCK | 0777, 0, O_RDWR, AF_INET, SOCK_SEQPACKET, true),
	                 INHERIT_NONE); /* SCTP */
	ck_assert_int_eq(kind_of(S_IFSOCK | 0777, 0, O_RDWR, -1, -1, true), INHERIT_NONE);
}
END_TEST

/* ---- the option and the launcher's word ----------------------------------------- */

static enum cli_action parse(struct nh_opts *o, char **argv)
{
	char err[256];
	int argc = 0;

	while (argv[argc] != NULL)
		argc++;
	memset(o, 0, sizeof(*o));
	return cli_parse(argc, argv, o, err, sizeof(err));
}

START_TEST(test_inherit_cli)
{
	struct nh_opts o;

	ck_assert_int_eq(parse(&o, (char *[]){"nonehost", "--inherit-fds", "4", "i", NULL}),
	                 CLI_RUN);
	ck_assert_int_eq(o.inherit_fds, 4);
	ck_assert_int_eq(parse(&o, (char *[]){"nonehost", "--inherit-fds=16", "i", NULL}), CLI_RUN);
	ck_assert_int_eq(o.inherit_fds, 16);
	ck_assert_int_eq(parse(&o, (char *[]){"nonehost", "i", NULL}), CLI_RUN);
	ck_assert_int_eq(o.inherit_fds, 0);
	ck_assert_int_eq(parse(&o, (char *[]){"nonehost", "--inherit-fds=3", "i", NULL}),
	                 CLI_ERROR);
	ck_assert_int_eq(parse(&o, (char *[]){"nonehost", "--inherit-fds=17", "i", NULL}),
	                 CLI_ERROR);
	ck_assert_int_eq(parse(&o, (char *[]){"nonehost", "--inherit-fds=-1", "i", NULL}),
	                 CLI_ERROR);
	ck_assert_int_eq(parse(&o, (char *[]){"nonehost", "--inherit-fds=4x", "i", NULL}),
	                 CLI_ERROR);
	ck_assert_int_eq(parse(&o, (char *[]){"nonehost", "--inherit-fds", NULL}), CLI_ERROR);
	ck_assert_int_eq(parse(&o, (char *[]){"nonehost", "--launcher-fd=5", "--inherit-fds=6",
	                                      "i", NULL}),
	                 CLI_ERROR);
	ck_assert_int_eq(parse(&o, (char *[]){"nonehost", "--signal-fd=3", "--inherit-fds=4",
	                                      "i", NULL}),
	                 CLI_ERROR);
	ck_assert_int_eq(parse(&o, (char *[]){"nonehost", "--launcher-fd=6", "--inherit-fds=6",
	                                      "i", NULL}),
	                 CLI_RUN);
}
END_TEST

START_TEST(test_inherit_word)
{
	char *out[8] = {"/n", "--max-files=8", "--", "/i", "x", NULL};
	char buf[LAUNCH_INHERIT_BYTES];
	struct nh_opts o;

	ck_assert_int_eq(launch_inherit(out, 5, 8, 3, buf), 5);
	ck_assert_int_eq(launch_inherit(out, 5, 8, 0, buf), 5);
	ck_assert_str_eq(out[1], "--max-files=8");
	ck_assert_int_eq(launch_inherit(out, 5, 6, 6, buf), -E2BIG); /* 5 words, NULL, it */
	ck_assert_int_eq(launch_inherit(out, 5, 8, 17, buf), -E2BIG);
	ck_assert_int_eq(launch_inherit(out, 5, 7, 6, buf), 6);
	ck_assert_str_eq(out[0], "/n");
	ck_assert_str_eq(out[1], "--inherit-fds=6");
	ck_assert_str_eq(out[2], "--max-files=8");
	ck_assert_str_eq(out[3], "--");
	ck_assert_str_eq(out[5], "x");
	ck_assert_ptr_null(out[6]);
	ck_assert_int_eq(parse(&o, out), CLI_RUN);
	ck_assert_int_eq(o.inherit_fds, 6);
	ck_assert_int_eq(o.max_files, 8);
	ck_assert_str_eq(o.image, "/i");
	for (unsigned nfds = 0; nfds <= NH_SPAWN_MAX_FDS; nfds++) {
		char life[32], *w[8] = {"/n", "--parent-pid=7", life, "--", "/i", NULL};

		snprintf(life, sizeof(life), "--lifeline-fd=%d", launch_lifeline_fd(nfds));
		ck_assert_int_ge(launch_inherit(w, 5, 8, nfds, buf), 5);
		ck_assert_msg(parse(&o, w) == CLI_RUN, "%u descriptors: %s refused", nfds, life);
	}
}
END_TEST

/* ---- the whole path ------------------------------------------------------------- */

#define N 12 /* descriptors 0..11 */

/* In the child: a failed check says what on stderr and exits 1. */
#define REQ(cond)                                                                         \
	do {                                                                              \
		if (!(cond)) {                                                            \
			dprintf(STDERR_FILENO, "%s:%d: %s (errno %d)\n", __FILE__, __LINE__, \
			        #cond, errno);                                            \
			_exit(1);                                                         \
		}                                                                         \
	} while (0)

static struct nh_host H;

static void adopt_child(const void *arg)
{
	const char *dir = arg;
	struct sockaddr_in in = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	struct sockaddr_un un = {.sun_family = AF_UNIX};
	socklen_t len = sizeof(in);
	char path[PATH_MAX];
	int lst, cli, pfd[2], fd, u, held[N];
	char c;

	/* what the launcher would have put at 3..N-1 */
	REQ((lst = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) >= 0);
	REQ(bind(lst, (struct sockaddr *)&in, sizeof(in)) == 0 && listen(lst, 4) == 0);
	REQ(getsockname(lst, (struct sockaddr *)&in, &len) == 0);
	REQ((cli = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) >= 0);
	REQ(connect(cli, (struct sockaddr *)&in, sizeof(in)) == 0); /* waits in the backlog */
	REQ(pipe2(pfd, O_CLOEXEC) == 0);
	snprintf(path, sizeof(path), "%s/file", dir);
	REQ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) >= 0);
	REQ(write(fd, "hello", 5) == 5 && close(fd) == 0);
	snprintf(un.sun_path, sizeof(un.sun_path), "%s/sock", dir);
	REQ((u = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) >= 0);
	REQ(bind(u, (struct sockaddr *)&un, sizeof(un)) == 0 && listen(u, 1) == 0);
	/* high, out of the way of 3..N-1 */
	REQ(dup2(lst, 100) == 100 && dup2(pfd[1], 101) == 101 && dup2(u, 102) == 102);
	REQ(dup2(cli, 103) == 103 && dup2(pfd[0], 104) == 104);
	REQ(close_range(3, 99, 0) == 0);
	REQ(dup2(100, 3) == 3);
	REQ(dup2(101, 4) == 4);
	REQ(open(path, O_RDONLY) == 5);
	REQ(open(dir, O_RDONLY | O_DIRECTORY) == 6);
	REQ(open("/dev/null", O_WRONLY) == 7);
	/* 8: a hole */
	REQ(dup2(7, 8) == 8 && close(8) == 0);
	REQ(open("/dev/zero", O_RDONLY) == 8 && dup2(8, 9) == 9 && close(8) == 0);
	REQ(dup2(102, 10) == 10);
	REQ(open(path, O_RDONLY) == 8 && dup2(8, 11) == 11 && close(8) == 0);
	/* handle 11: beyond --max-files 8 (3..10) */
	/* 100..102 and cli, pfd[0] stay: the caller's, closed by the tidy-up
	 * unless in the held range */
	REQ(dup2(103, 50) == 50 && dup2(104, 51) == 51);

	memset(&H, 0, sizeof(H));
	H.opts = (struct nh_opts){.memory = 16 << 20, .image = "img", .max_files = 8,
	                          .max_procs = 0, .inherit_fds = N};
	H.opts.net.mode = NSS_PRIVATE;
	H.opts.net.backend = NSS_EPOLL;
	inherit_hold(&H);
	for (int i = 3; i < N; i++) {
		held[i] = H.inherit.held[i];
		REQ(fcntl(i, F_GETFD) < 0 && errno == EBADF); /* its own number is free */
		if (i == 8)
			REQ(held[i] == -1);
		else
			REQ(held[i] >= H.inherit.lo && held[i] < H.inherit.hi &&
			    fcntl(held[i], F_GETFD) == FD_CLOEXEC);
	}
	REQ(H.inherit.lo > 3 + 2 * NH_SPAWN_MAX_FDS);
	REQ(dup2(50, 8) == 8); /* a stray one at 8, after the hold: closed */
	/* the pipe's read end where the tidy-up leaves it: the held range's
	 * last place, free with N < NH_SPAWN_MAX_FDS */
	REQ(dup2(51, H.inherit.hi - 1) == H.inherit.hi - 1);
	REQ(chdir(dir) == 0);
	fsshim_setup(&H);
	fsshim_tidy_fds_except(NULL, NULL, 0, H.inherit.lo, H.inherit.hi);
	REQ(fcntl(8, F_GETFD) < 0 && fcntl(50, F_GETFD) < 0 && fcntl(100, F_GETFD) < 0);
	for (int i = 3; i < N; i++)
		REQ(held[i] < 0 || fcntl(held[i], F_GETFD) == FD_CLOEXEC);
	fsshim_open(&H);
	nss_setup(&H, NULL);
	REQ(H.net.sock != NULL);
	inherit_adopt(&H);

	/* 3: the TCP listener, non-blocking, bound, accepting */
	REQ(H.fs.handle[3].kind == FSSHIM_SOCKET && H.fs.handle[3].fd == held[3]);
	REQ(H.net.sock[3].family == AF_INET && H.net.sock[3].type == SOCK_STREAM);
	REQ(H.net.sock[3].flags & NSS_S_BOUND);
	REQ(fcntl(held[3], F_GETFL) & O_NONBLOCK);
	/* 4: the pipe's write end, non-blocking */
	REQ(H.fs.handle[4].kind == FSSHIM_PIPE && H.fs.handle[4].fd == held[4]);
	REQ(fcntl(held[4], F_GETFL) & O_NONBLOCK);
	REQ(write(held[4], "x", 1) == 1 && read(H.inherit.hi - 1, &c, 1) == 1 && c == 'x');
	/* 5: the file, read-only, in no grant */
	REQ(H.fs.handle[5].kind == FSSHIM_FILE && H.fs.handle[5].fd == held[5]);
	REQ(H.fs.handle[5].grant == -1 && H.fs.handle[5].acc == O_RDONLY);
	REQ(H.fs.handle[5].guest[0] == '\0');
	/* 6 (a directory), 8 (a hole), 9 (/dev/zero), 11 (beyond): free, closed */
	REQ(fsshim_handle(&H.fs, 6) == NULL && fcntl(held[6], F_GETFD) < 0);
	REQ(fsshim_handle(&H.fs, 8) == NULL);
	REQ(fsshim_handle(&H.fs, 9) == NULL && fcntl(held[9], F_GETFD) < 0);
	REQ(fsshim_handle(&H.fs, 11) == NULL && fcntl(held[11], F_GETFD) < 0);
	/* 7: /dev/null, write-only, no descriptor kept */
	REQ(H.fs.handle[7].kind == FSSHIM_CHRDEV && H.fs.handle[7].dev == FSSHIM_DEV_NULL &&
	    H.fs.handle[7].fd == -1);
	REQ(H.fs.handle[7].acc == O_WRONLY && fcntl(held[7], F_GETFD) < 0);
	/* 10: the listening UNIX socket */
	REQ(H.fs.handle[10].kind == FSSHIM_SOCKET && H.net.sock[10].family == AF_UNIX);
	REQ(H.net.sock[10].ustate == NSS_U_LISTENING);
	/* the next handle: the lowest free one, 6 */
	REQ(fsshim_handle_alloc(&H.fs) == 6);
	_exit(0);
}

START_TEST(test_inherit_adopt)
{
	char dir[] = "/tmp/nh-inherit.XXXXXX", cmd[64];
	struct outcome o;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	unit_fork(adopt_child, dir, &o, NULL, NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "# could not remove %s\n", dir);
	expect_exit(&o, 0);
}
END_TEST

Suite *inherit_suite(void)
{
	Suite *s = suite_create("inherit");
	TCase *t = tcase_create("inherit");

	tcase_add_test(t, test_inherit_kind);
	tcase_add_test(t, test_inherit_cli);
	tcase_add_test(t, test_inherit_word);
	tcase_add_test(t, test_inherit_adopt);
	tcase_set_timeout(t, 30);
	suite_add_tcase(s, t);
	return s;
}
