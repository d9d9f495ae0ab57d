/*
 * check_launcher.c - unit tests of the launcher (host/launcher*.c).
 *
 * - launch_parse: a good request of each kind is accepted and read back;
 *   each malformed one (truncated, bad magic, bad prog, argc 0, too many
 *   strings, strings_len off by one, a missing or an extra NUL, too few or
 *   too many descriptors, an fdmap index out of range or pointing at the
 *   directory, nfds > 16, MSG_TRUNC, MSG_CTRUNC, a bad path, too much
 *   data) is refused with its errno.
 * - launch_sock_parse: good BIND and CONNECT requests; truncated ones, the
 *   kernel's MSG_TRUNC/MSG_CTRUNC, no, two or many descriptors, another
 *   magic, a bad op, namelen off, a name for CONNECT, an empty name, ".",
 *   "..", a '/' or a NUL in it, one byte too long: each its errno.
 * - launch_words and launch_image_argv: a child image's command line under
 *   --net none, private and host, with NONEHOST_FLAGS, with a read-only
 *   grant inside a read-write one; every one is accepted by cli_parse and
 *   gives back the options it should; NONEHOST_FLAGS words that could widen
 *   are refused; its environment's TMPDIR is the parent's private one.
 * - a real launcher, forked by launcher_start from a test-made host
 *   context (a fresh directory granted read-write, /bin/sh and /bin/true
 *   allowed, --max-procs 2): sh -c 'exit 3' with a pipe as stdout gives
 *   its output and status 3 << 8; descriptors as fdmap says; what may run
 *   (an ungranted path or file, a directory, a pipe, a deleted image, a
 *   host program in a synthetic directory the host has not by that name
 *   are EACCES, one it has runs there; a file that is an
 *   allowed program runs); exec errors come back
 *   (ENOENT, ENOEXEC); hostile messages (garbage with descriptors, too many
 *   descriptors, too many bytes) get an error, their descriptors are closed
 *   and the launcher serves on; a third live child is EAGAIN; kill messages
 *   (bad ones ignored) and a released child; the children's Landlock
 *   domain (reading outside the grant, running an ungranted program fail;
 *   writing inside works); UNIX socket requests (a BIND in the grant gives
 *   a listening, non-blocking socket others can connect to; hostile ones:
 *   a name with '/', "..", two or no descriptors, a pipe for a directory or
 *   a socket, a directory for a socket, truncated, 24 descriptors, another
 *   magic: each its errno, every descriptor closed, the launcher serving
 *   on; under --net none every one is EACCES; check_net_unix.c has the
 *   grants' side); --trace's line; closing the control socket ends
 *   the launcher (exit 0) and every child with it, none left behind.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"
#include "unit.h"
#include "unit_host.h"

/* ---- requests ----------------------------------------------------------- */

static uint8_t MSG[LAUNCH_MAX_MSG + 4096];
/* The working directory build() puts in (its guest path), and the flags. */
static const char *CWD = "/work";
static uint32_t FLAGS;

/* A request in MSG: its length. argv and envp NULL-terminated. */
static size_t build(uint32_t prog, const char *path, const char *const *argv,
                    const char *const *envp, uint32_t nfds, const int32_t *fdmap)
{
	struct launch_req rq = {.magic = LAUNCH_MAGIC, .prog = prog, .nfds = nfds, .flags = FLAGS};
	size_t off = sizeof(rq);

	for (uint32_t i = 0; i < NH_SPAWN_MAX_FDS; i++)
		rq.fdmap[i] = i < nfds ? fdmap[i] : LAUNCH_FD_CLOSED;
	if (path != NULL) {
		memcpy(MSG + off, path, strlen(path) + 1);
		off += strlen(path) + 1;
	}
	memcpy(MSG + off, CWD, strlen(CWD) + 1);
	off += strlen(CWD) + 1;
	for (; argv[rq.argc] != NULL; rq.argc++) {
		memcpy(MSG + off, argv[rq.argc], strlen(argv[rq.argc]) + 1);
		off += strlen(argv[rq.argc]) + 1;
	}
	for (; envp != NULL && envp[rq.envc] != NULL; rq.envc++) {
		memcpy(MSG + off, envp[rq.envc], strlen(envp[rq.envc]) + 1);
		off += strlen(envp[rq.envc]) + 1;
	}
	rq.strings_len = (uint32_t)(off - sizeof(rq));
	memcpy(MSG, &rq, sizeof(rq));
	return off;
}

static struct launch_req hdr(void)
{
	struct launch_req rq;

	memcpy(&rq, MSG, sizeof(rq));
	return rq;
}

static void set_hdr(const struct launch_req *rq)
{
	memcpy(MSG, rq, sizeof(*rq));
}

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

START_TEST(test_parse_good)
{
	struct launch_parsed p;
	char *argv[4], *envp[3];
	size_t len;

	/* BY_PATH: dir + one child descriptor used twice, /dev/null, one closed */
	len = build(LAUNCH_BY_PATH, "/bin/sh", ARGS("sh", "-c", "exit 3"), ARGS("A=1", ""), 4,
	            (const int32_t[]){LAUNCH_FD_NULL, 1, 1, LAUNCH_FD_CLOSED});
	ck_assert_int_eq(launch_parse(MSG, len, 0, 2, &p), 0);
	ck_assert_uint_eq(p.prog, LAUNCH_BY_PATH);
	ck_assert_str_eq(p.path, "/bin/sh");
	ck_assert_uint_eq(p.argc, 3);
	ck_assert_uint_eq(p.envc, 2);
	ck_assert_uint_eq(p.nfds, 4);
	ck_assert_str_eq(p.cwd, "/work");
	ck_assert_int_eq(p.dir, 0);
	ck_assert_uint_eq(p.base, 1);
	ck_assert_uint_eq(p.nchild, 1);
	ck_assert_int_eq(p.fdmap[1], 1);
	launch_vectors(&p, argv, envp);
	ck_assert_str_eq(argv[0], "sh");
	ck_assert_str_eq(argv[2], "exit 3");
	ck_assert_ptr_null(argv[3]);
	ck_assert_str_eq(envp[0], "A=1");
	ck_assert_str_eq(envp[1], "");
	ck_assert_ptr_null(envp[2]);

	/* BY_FD: program, dir, two child descriptors; fdmap past nfds ignored */
	len = build(LAUNCH_BY_FD, NULL, ARGS(""), NULL, 3, (const int32_t[]){3, 2, 2});
	{
		struct launch_req rq = hdr();

		rq.fdmap[5] = 999;
		set_hdr(&rq);
	}
	ck_assert_int_eq(launch_parse(MSG, len, 0, 4, &p), 0);
	ck_assert_uint_eq(p.prog_fd, 0);
	ck_assert_int_eq(p.dir, 1);
	ck_assert_uint_eq(p.base, 2);
	ck_assert_uint_eq(p.nchild, 2);
	ck_assert_ptr_null(p.path);
	ck_assert_str_eq(p.strs, "");

	/* SELF, no descriptor of the child's, no environment */
	len = build(LAUNCH_SELF, NULL, ARGS("self", "a"), NULL, 0, NULL);
	ck_assert_int_eq(launch_parse(MSG, len, 0, 1, &p), 0);
	ck_assert_uint_eq(p.envc, 0);
	ck_assert_uint_eq(p.nchild, 0);

	/* a synthetic working directory: no descriptor for it */
	CWD = "/";
	FLAGS = LAUNCH_SYNTHETIC_DIR;
	len = build(LAUNCH_BY_FD, NULL, ARGS("x", "y"), ARGS("B=2"), 1, (const int32_t[]){1});
	ck_assert_int_eq(launch_parse(MSG, len, 0, 2, &p), 0);
	ck_assert_str_eq(p.cwd, "/");
	ck_assert_int_eq(p.dir, -1);
	ck_assert_uint_eq(p.base, 1);
	ck_assert_uint_eq(p.nchild, 1);
	launch_vectors(&p, argv, envp);
	ck_assert_str_eq(argv[0], "x");
	ck_assert_str_eq(envp[0], "B=2");
	len = build(LAUNCH_BY_PATH, "/bin/sh", ARGS("sh"), NULL, 0, NULL);
	ck_assert_int_eq(launch_parse(MSG, len, 0, 0, &p), 0);
	ck_assert_str_eq(p.path, "/bin/sh");
	ck_assert_str_eq(p.cwd, "/");
	ck_assert_str_eq(p.strs, "sh");
	CWD = "/work";
	FLAGS = 0;
}
END_TEST

START_TEST(test_parse_bad)
{
	const int32_t map1[] = {1};
	struct launch_parsed p;
	struct launch_req rq;
	size_t len;

	len = build(LAUNCH_BY_PATH, "/bin/sh", ARGS("sh"), ARGS("A=1"), 1, map1);
	ck_assert_int_eq(launch_parse(MSG, len, 0, 2, &p), 0);
	ck_assert_int_eq(launch_parse(MSG, len, MSG_TRUNC, 2, &p), -E2BIG);
	ck_assert_int_eq(launch_parse(MSG, len, MSG_CTRUNC, 2, &p), -E2BIG);
	ck_assert_int_eq(launch_parse(MSG, 0, 0, 2, &p), -EINVAL);
	ck_assert_int_eq(launch_parse(MSG, sizeof(rq) - 1, 0, 2, &p), -EINVAL);
	/* strings_len must be the rest exactly */
	ck_assert_int_eq(launch_parse(MSG, len - 1, 0, 2, &p), -EINVAL);
	ck_assert_int_eq(launch_parse(MSG, len + 1, 0, 2, &p), -EINVAL);
	/* descriptors: too few (no directory), one unused, one missing */
	ck_assert_int_eq(launch_parse(MSG, len, 0, 0, &p), -EINVAL);
	ck_assert_int_eq(launch_parse(MSG, len, 0, 1, &p), -EINVAL);
	ck_assert_int_eq(launch_parse(MSG, len, 0, 3, &p), -EINVAL);
	ck_assert_int_eq(launch_parse(MSG, len, 0, LAUNCH_MAX_RIGHTS + 1, &p), -EINVAL);

	rq = hdr();
	rq.magic ^= 1;
	set_hdr(&rq);
	ck_assert_int_eq(launch_parse(MSG, len, 0, 2, &p), -EINVAL);
	for (uint32_t prog = 0; prog < 6; prog += 4) { /* 0 and 4 */
		rq = hdr();
		rq.magic = LAUNCH_MAGIC;
		rq.prog = prog;
		set_hdr(&rq);
		ck_assert_int_eq(launch_parse(MSG, len, 0, 2, &p), -EINVAL);
	}
	len = build(LAUNCH_BY_PATH, "/bin/sh", ARGS("sh"), ARGS("A=1"), 1, map1);
	rq = hdr();
	rq.argc = 0;
	rq.envc = 3; /* the strings still add up: argc 0 is the reason */
	set_hdr(&rq);
	ck_assert_int_eq(launch_parse(MSG, len, 0, 2, &p), -EINVAL);
	rq.argc = NH_SPAWN_MAX_STRS;
	rq.envc = 1;
	set_hdr(&rq);
	ck_assert_int_eq(launch_parse(MSG, len, 0, 2, &p), -E2BIG);
	rq.argc = UINT32_MAX;
	set_hdr(&rq);
	ck_assert_int_eq(launch_parse(MSG, len, 0, 2, &p), -E2BIG);
	/* one string more than there are (a missing NUL), one fewer (an extra) */
	rq.argc = 2;
	rq.envc = 1;
	set_hdr(&rq);
	ck_assert_int_eq(launch_parse(MSG, len, 0, 2, &p), -EINVAL);
	rq.argc = 1;
	rq.envc = 0;
	set_hdr(&rq);
	ck_assert_int_eq(launch_parse(MSG, len, 0, 2, &p), -EINVAL);
	/* the last string without its NUL */
	len = build(LAUNCH_BY_PATH, "/bin/sh", ARGS("sh"), ARGS("A=1"), 1, map1);
	MSG[len - 1] = 'x';
	ck_assert_int_eq(launch_parse(MSG, len, 0, 2, &p), -EINVAL);
	/* an extra NUL at the end */
	len = build(LAUNCH_BY_PATH, "/bin/sh", ARGS("sh"), ARGS("A=1"), 1, map1);
	MSG[len] = '\0';
	rq = hdr();
	rq.strings_len++;
	set_hdr(&rq);
	ck_assert_int_eq(launch_parse(MSG, len + 1, 0, 2, &p), -EINVAL);

	/* the umask: file permission bits only */
	len = build(LAUNCH_BY_PATH, "/bin/sh", ARGS("sh"), NULL, 0, NULL);
	rq = hdr();
	rq.umask = 0777;
	set_hdr(&rq);
	ck_assert_int_eq(launch_parse(MSG, len, 0, 1, &p), 0);
	ck_assert_uint_eq(p.umask, 0777);
	rq.umask = 01000;
	set_hdr(&rq);
	ck_assert_int_eq(launch_parse(MSG, len, 0, 1, &p), -EINVAL);
	rq.umask = UINT32_MAX;
	set_hdr(&rq);
	ck_assert_int_eq(launch_parse(MSG, len, 0, 1, &p), -EINVAL);

	/* fdmap: out of range, the directory, a negative that means nothing */
	len = build(LAUNCH_BY_PATH, "/bin/sh", ARGS("sh"), NULL, 2, (const int32_t[]){1, 2});
	ck_assert_int_eq(launch_parse(MSG, len, 0, 3, &p), 0);
	ck_assert_int_eq(launch_parse(MSG, len, 0, 2, &p), -EINVAL);
	len = build(LAUNCH_BY_PATH, "/bin/sh", ARGS("sh"), NULL, 2, (const int32_t[]){0, 1});
	ck_assert_int_eq(launch_parse(MSG, len, 0, 2, &p), -EINVAL);
	len = build(LAUNCH_BY_FD, NULL, ARGS("x"), NULL, 1, (const int32_t[]){1});
	ck_assert_int_eq(launch_parse(MSG, len, 0, 3, &p), -EINVAL); /* the directory */
	len = build(LAUNCH_BY_PATH, "/bin/sh", ARGS("sh"), NULL, 1, (const int32_t[]){-3});
	ck_assert_int_eq(launch_parse(MSG, len, 0, 1, &p), -EINVAL);
	len = build(LAUNCH_BY_PATH, "/bin/sh", ARGS("sh"), NULL, 1, (const int32_t[]){INT32_MAX});
	ck_assert_int_eq(launch_parse(MSG, len, 0, 1, &p), -EINVAL);
	/* nfds > 16 */
	len = build(LAUNCH_SELF, NULL, ARGS("x"), NULL, 0, NULL);
	rq = hdr();
	rq.nfds = NH_SPAWN_MAX_FDS + 1;
	set_hdr(&rq);
	ck_assert_int_eq(launch_parse(MSG, len, 0, 1, &p), -EINVAL);
	/* 17 child descriptors cannot be */
	ck_assert_int_eq(launch_parse(MSG, len, 0, 18, &p), -EINVAL);

	/* the path: empty, too long */
	len = build(LAUNCH_BY_PATH, "", ARGS("sh"), NULL, 0, NULL);
	ck_assert_int_eq(launch_parse(MSG, len, 0, 1, &p), -ENOENT);
	{
		static char longpath[NH_PATH_MAX + 2];

		memset(longpath, 'a', sizeof(longpath) - 1);
		longpath[0] = '/';
		len = build(LAUNCH_BY_PATH, longpath, ARGS("sh"), NULL, 0, NULL);
		ck_assert_int_eq(launch_parse(MSG, len, 0, 1, &p), -ENAMETOOLONG);
	}
	/* the working directory: relative, empty, too long; unknown flags; a
	 * descriptor for a synthetic one is one too many */
	CWD = "work";
	len = build(LAUNCH_SELF, NULL, ARGS("x"), NULL, 0, NULL);
	ck_assert_int_eq(launch_parse(MSG, len, 0, 1, &p), -EINVAL);
	CWD = "";
	len = build(LAUNCH_SELF, NULL, ARGS("x"), NULL, 0, NULL);
	ck_assert_int_eq(launch_parse(MSG, len, 0, 1, &p), -EINVAL);
	{
		static char longpath[NH_PATH_MAX + 2];

		memset(longpath, 'a', sizeof(longpath) - 1);
		longpath[0] = '/';
		CWD = longpath;
		len = build(LAUNCH_SELF, NULL, ARGS("x"), NULL, 0, NULL);
		ck_assert_int_eq(launch_parse(MSG, len, 0, 1, &p), -ENAMETOOLONG);
		longpath[NH_PATH_MAX] = '\0';
		len = build(LAUNCH_SELF, NULL, ARGS("x"), NULL, 0, NULL);
		ck_assert_int_eq(launch_parse(MSG, len, 0, 1, &p), 0);
	}
	CWD = "/";
	FLAGS = 2;
	len = build(LAUNCH_SELF, NULL, ARGS("x"), NULL, 0, NULL);
	ck_assert_int_eq(launch_parse(MSG, len, 0, 1, &p), -EINVAL);
	FLAGS = LAUNCH_SYNTHETIC_DIR;
	len = build(LAUNCH_SELF, NULL, ARGS("x"), NULL, 0, NULL);
	ck_assert_int_eq(launch_parse(MSG, len, 0, 0, &p), 0);
	ck_assert_int_eq(launch_parse(MSG, len, 0, 1, &p), -EINVAL);
	CWD = "/work";
	FLAGS = 0;

	/* argv and envp: more than NH_SPAWN_MAX_DATA bytes */
	{
		static char big[NH_SPAWN_MAX_DATA];

		memset(big, 'a', sizeof(big) - 1);
		len = build(LAUNCH_SELF, NULL, ARGS(big, "b"), NULL, 0, NULL);
		ck_assert_int_eq(launch_parse(MSG, len, 0, 1, &p), -E2BIG);
		len = build(LAUNCH_SELF, NULL, ARGS(big), NULL, 0, NULL);
		ck_assert_int_eq(launch_parse(MSG, len, 0, 1, &p), 0);
	}
}
END_TEST

/* The umask build_sock() puts in a BIND. */
static uint32_t SOCK_UMASK = 022;

/* A UNIX socket request in MSG: its length. */
static size_t build_sock(uint32_t op, const char *name, size_t namelen)
{
	struct launch_sock_req rq = {.magic = LAUNCH_SOCK_MAGIC, .op = op,
	                             .namelen = (uint32_t)namelen,
	                             .umask = op == LAUNCH_SOCK_BIND ? SOCK_UMASK : 0};

	memcpy(MSG, &rq, sizeof(rq));
	memcpy(MSG + sizeof(rq), name, namelen);
	return sizeof(rq) + namelen;
}

START_TEST(test_sock_parse)
{
	static char longname[LAUNCH_SOCK_NAME_MAX + 2];
	struct launch_sock_parsed p;
	struct launch_sock_req rq;
	size_t len;

	len = build_sock(LAUNCH_SOCK_BIND, "s.sock", 6);
	ck_assert(launch_is_sock(MSG, len));
	ck_assert_int_eq(launch_sock_parse(MSG, len, 0, 1, &p), 0);
	ck_assert_uint_eq(p.op, LAUNCH_SOCK_BIND);
	ck_assert_uint_eq(p.umask, 022);
	ck_assert_str_eq(p.name, "s.sock");
	len = build_sock(LAUNCH_SOCK_CONNECT, "", 0);
	ck_assert_int_eq(launch_sock_parse(MSG, len, 0, 1, &p), 0);
	ck_assert_uint_eq(p.op, LAUNCH_SOCK_CONNECT);
	ck_assert_str_eq(p.name, "");
	/* a launch_req is no socket request, nor is a short one */
	len = build(LAUNCH_SELF, NULL, ARGS("x"), NULL, 0, NULL);
	ck_assert(!launch_is_sock(MSG, len));
	ck_assert(!launch_is_sock("LSO", 3));

	/* truncated, the kernel's flags, the descriptors */
	len = build_sock(LAUNCH_SOCK_BIND, "s", 1);
	ck_assert_int_eq(launch_sock_parse(MSG, 0, 0, 1, &p), -EINVAL);
	ck_assert_int_eq(launch_sock_parse(MSG, sizeof(rq) - 1, 0, 1, &p), -EINVAL);
	ck_assert_int_eq(launch_sock_parse(MSG, len - 1, 0, 1, &p), -EINVAL); /* namelen: 1 */
	ck_assert_int_eq(launch_sock_parse(MSG, len + 1, 0, 1, &p), -EINVAL);
	ck_assert_int_eq(launch_sock_parse(MSG, len, MSG_TRUNC, 1, &p), -E2BIG);
	ck_assert_int_eq(launch_sock_parse(MSG, len, MSG_CTRUNC, 1, &p), -E2BIG);
	ck_assert_int_eq(launch_sock_parse(MSG, len, 0, 0, &p), -EINVAL);
	ck_assert_int_eq(launch_sock_parse(MSG, len, 0, 2, &p), -EINVAL);
	ck_assert_int_eq(launch_sock_parse(MSG, len, 0, LAUNCH_MAX_RIGHTS, &p), -EINVAL);
	/* magic, op */
	memcpy(&rq, MSG, sizeof(rq));
	rq.magic = LAUNCH_MAGIC;
	memcpy(MSG, &rq, sizeof(rq));
	ck_assert_int_eq(launch_sock_parse(MSG, len, 0, 1, &p), -EINVAL);
	for (uint32_t op = 0; op < 4; op += 3) { /* 0 and 3 */
		rq.magic = LAUNCH_SOCK_MAGIC;
		rq.op = op;
		memcpy(MSG, &rq, sizeof(rq));
		ck_assert_int_eq(launch_sock_parse(MSG, len, 0, 1, &p), -EINVAL);
	}
	/* the umask: file permission bits only, none for CONNECT */
	rq.op = LAUNCH_SOCK_BIND;
	rq.umask = 01000;
	memcpy(MSG, &rq, sizeof(rq));
	ck_assert_int_eq(launch_sock_parse(MSG, len, 0, 1, &p), -EINVAL);
	rq.umask = 0777;
	memcpy(MSG, &rq, sizeof(rq));
	ck_assert_int_eq(launch_sock_parse(MSG, len, 0, 1, &p), 0);
	ck_assert_uint_eq(p.umask, 0777);
	len = build_sock(LAUNCH_SOCK_CONNECT, "", 0);
	memcpy(&rq, MSG, sizeof(rq));
	rq.umask = 022;
	memcpy(MSG, &rq, sizeof(rq));
	ck_assert_int_eq(launch_sock_parse(MSG, len, 0, 1, &p), -EINVAL);
	len = build_sock(LAUNCH_SOCK_BIND, "s", 1);
	memcpy(&rq, MSG, sizeof(rq));
	rq.namelen = UINT32_MAX;
	rq.op = LAUNCH_SOCK_BIND;
	memcpy(MSG, &rq, sizeof(rq));
	ck_assert_int_eq(launch_sock_parse(MSG, len, 0, 1, &p), -EINVAL);
	/* the name: one name in the directory, short enough; none for CONNECT */
	ck_assert_int_eq(launch_sock_parse(MSG, build_sock(LAUNCH_SOCK_CONNECT, "s", 1), 0, 1, &p),
	                 -EINVAL);
	ck_assert_int_eq(launch_sock_parse(MSG, build_sock(LAUNCH_SOCK_BIND, "", 0), 0, 1, &p),
	                 -EINVAL);
	ck_assert_int_eq(launch_sock_parse(MSG, build_sock(LAUNCH_SOCK_BIND, ".", 1), 0, 1, &p),
	                 -EINVAL);
	ck_assert_int_eq(launch_sock_parse(MSG, build_sock(LAUNCH_SOCK_BIND, "..", 2), 0, 1, &p),
	                 -EINVAL);
	ck_assert_int_eq(launch_sock_parse(MSG, build_sock(LAUNCH_SOCK_BIND, "a/b", 3), 0, 1, &p),
	                 -EINVAL);
	ck_assert_int_eq(launch_sock_parse(MSG, build_sock(LAUNCH_SOCK_BIND, "/", 1), 0, 1, &p),
	                 -EINVAL);
	ck_assert_int_eq(launch_sock_parse(MSG, build_sock(LAUNCH_SOCK_BIND, "a\0b", 3), 0, 1, &p),
	                 -EINVAL);
	ck_assert_int_eq(launch_sock_parse(MSG, build_sock(LAUNCH_SOCK_BIND, "...", 3), 0, 1, &p),
	                 0);
	memset(longname, 'n', sizeof(longname) - 1);
	ck_assert_int_eq(launch_sock_parse(MSG, build_sock(LAUNCH_SOCK_BIND, longname,
	                                                   LAUNCH_SOCK_NAME_MAX + 1), 0, 1, &p),
	                 -ENAMETOOLONG);
	ck_assert_int_eq(launch_sock_parse(MSG, build_sock(LAUNCH_SOCK_BIND, longname,
	                                                   LAUNCH_SOCK_NAME_MAX), 0, 1, &p), 0);
	ck_assert_uint_eq(strlen(p.name), LAUNCH_SOCK_NAME_MAX);
}
END_TEST

/* ---- a child image's command line ---------------------------------------- */

static struct nh_host W;
static char *WORDS[LAUNCH_MAX_ARGV];

static void host_of(char **argv) { unit_host_of(&W, argv); }

/* The child's argv for argv/envp, parsed back into *o (must be accepted). */
static int child_of(const char *const *argv, const char *const *envp, struct nh_opts *o)
{
	static struct launch_words w;
	static struct launch_flags f;
	char err[256], *own[] = {"--cwd", "/work/sub", "--parent-pid=42", "--lifeline-fd=9"};
	unsigned argc = 0, envc = 0;
	int n;

	while (argv[argc] != NULL)
		argc++;
	while (envp != NULL && envp[envc] != NULL)
		envc++;
	ck_assert_int_eq(launch_words(&W, false, &w), 0);
	n = launch_image_argv(&w, "/usr/bin/nonehost", "/img/app.elf", own, LAUNCH_OWN_WORDS,
	                      (char *const *)argv, argc, (char *const *)envp, envc, &f, WORDS,
	                      LAUNCH_MAX_ARGV);
	if (n < 0)
		return n;
	ck_assert_ptr_null(WORDS[n]);
	ck_assert_int_eq(cli_parse(n, WORDS, o, err, sizeof(err)), CLI_RUN);
	ck_assert_str_eq(o->image, "/img/app.elf");
	ck_assert_str_eq(o->cwd, "/work/sub");
	ck_assert_int_eq(o->parent_pid, 42);
	ck_assert_int_eq(o->lifeline_fd, 9);
	ck_assert_int_eq(o->argc, (int)argc);
	for (unsigned i = 1; i < argc; i++)
		ck_assert_str_eq(o->argv[i], argv[i]);
	return n;
}

static bool has_dir(const struct nh_opts *o, const char *v)
{
	for (unsigned i = 0; i < o->ndirs; i++)
		if (strcmp(o->dir[i], v) == 0)
			return true;
	return false;
}

/* Where a host program runs when asked to in a synthetic directory: the
 * host's directory of that path only when it has one for sure. W's grants:
 * /srv/data at /data, /work and the TMPDIR at their own paths. */
START_TEST(test_host_dir)
{
	static char *line[] = {"nonehost", "--allow-exec=/usr/lib/../bin/tool", "img", NULL};
	static const struct {
		const char *cwd, *out;
	} yes[] = {
		{"/", "/"}, {"//", "/"}, {"/tmp", "/tmp"}, {"/tmp/nonehost.A/", "/tmp/nonehost.A"},
		{"/usr", "/usr"}, {"/usr/./bin", "/usr/bin"}, {"/tmp/../usr", "/usr"},
	};
	static const char *const no[] = {
		"/work",       /* a grant's root is no synthetic directory */
		"/data",       /* a grant elsewhere on the host */
		"/srv",        /* where /data's host directory is: not the guest's */
		"/usr/lib",    /* the allowed path's own words do not count */
		"/usr/bin/tool", "/etc/../../srv", "/tmp/nonehost.A/tmp/x", "relative", "",
	};
	char out[NH_PATH_MAX + 1];

	host_of(line);
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		ck_assert_msg(launch_host_dir(&W, yes[i].cwd, out), "%s", yes[i].cwd);
		ck_assert_str_eq(out, yes[i].out);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		ck_assert_msg(!launch_host_dir(&W, no[i], out), "%s", no[i]);
}
END_TEST

START_TEST(test_words_none)
{
	static char *line[] = {"nonehost", "--memory=64M", "--max-files=99", "--max-procs=3",
	                       "--allow-exec=/bin/sh", "--allow-exec=/usr/bin/git", "img", NULL};
	struct nh_opts o;

	host_of(line);
	ck_assert_int_ge(child_of(ARGS("app", "-test.v", "--", "x y"), ARGS("A=1"), &o), 0);
	ck_assert_uint_eq(o.ndirs, 2);
	ck_assert(has_dir(&o, "/srv/data:/data:rw"));
	ck_assert(has_dir(&o, "/work:/work:ro"));
	/* the parent's private TMPDIR is the child's (neither made nor removed by it) */
	ck_assert_str_eq(o.tmpdir, "/tmp/nonehost.A/tmp");
	ck_assert_uint_eq(o.memory, 64 << 20);
	ck_assert_uint_eq(o.max_files, 99);
	ck_assert_uint_eq(o.max_procs, 3);
	ck_assert_uint_eq(o.nallow_exec, 2);
	ck_assert_str_eq(o.allow_exec[1], "/usr/bin/git");
	ck_assert_uint_eq(o.net.mode, NSS_NONE);
	ck_assert(!o.no_sandbox);
	ck_assert(!o.trace);
	ck_assert_str_eq(WORDS[0], "/usr/bin/nonehost");

	/* --no-sandbox is inherited, and the default network is none */
	line[1] = "--no-sandbox";
	host_of(line);
	ck_assert_int_ge(child_of(ARGS("app"), NULL, &o), 0);
	ck_assert(o.no_sandbox);
	ck_assert_uint_eq(o.net.mode, NSS_NONE);
}
END_TEST

START_TEST(test_words_private)
{
	static char *line[] = {"nonehost", "--net", "private", "img", NULL};
	struct nh_opts o;

	host_of(line);
	W.fs.etc = fsshim_grant_add(&W.fs, FSSHIM_ETC, NULL, "/tmp/nonehost.A/etc", "/etc", false);
	ck_assert_int_ge(child_of(ARGS("app"), NULL, &o), 0);
	ck_assert_uint_eq(o.net.mode, NSS_HOST);
	ck_assert_uint_eq(o.net.nbind, 2);
	ck_assert(nss_bind_allowed(&o.net, 0));
	ck_assert(nss_bind_allowed(&o.net, 1));
	ck_assert(nss_bind_allowed(&o.net, 65535));
	ck_assert_uint_eq(o.net.nconnect, 1);
	ck_assert(o.net.connect[0].any_port);
	ck_assert_uint_eq(o.net.connect[0].family, 0);
	ck_assert(has_dir(&o, "/tmp/nonehost.A/etc:/etc:ro"));
}
END_TEST

START_TEST(test_words_host)
{
	static char *line[] = {"nonehost", "--net=host", "--net-backend", "epoll", "--net-bind",
	                       "8080", "--net-bind=0", "--net-connect", "127.0.0.1:80",
	                       "--net-connect=[::1]:9000-9010", "img", NULL};
	struct nh_opts o;

	host_of(line);
	ck_assert_int_ge(child_of(ARGS("app"), NULL, &o), 0);
	ck_assert_uint_eq(o.net.mode, NSS_HOST);
	ck_assert_uint_eq(o.net.backend, NSS_EPOLL);
	ck_assert_uint_eq(o.net.nbind, 2);
	ck_assert_str_eq(o.net.bind_arg[0], "8080");
	ck_assert_str_eq(o.net.bind_arg[1], "0");
	ck_assert_uint_eq(o.net.nconnect, 2);
	ck_assert_str_eq(o.net.connect[1].arg, "[::1]:9000-9010");

	/* auto is the default: not said */
	line[2] = "--net-bind=1";
	line[3] = "--net-bind=2";
	host_of(line);
	ck_assert_int_ge(child_of(ARGS("app"), NULL, &o), 0);
	ck_assert_uint_eq(o.net.backend, NSS_AUTO);
	ck_assert_uint_eq(o.net.nbind, 4);
}
END_TEST

/* A granted host program's environment: NONEHOST_CHILD_FLAGS, a child image's
 * words (what host/goexec.c parses back), replacing any the image gave. */
START_TEST(test_program_envp)
{
	static char *line[] = {"nonehost", "img", NULL};
	static struct launch_words w;
	const char *envp[] = {"A=1", "NONEHOST_CHILD_FLAGS=--dir=/:/:rw", "B=2", NULL};
	static char *go[] = {"go_none_amd64_exec", "/tmp/x.test", NULL};
	char *out[8], err[256];
	struct nh_opts o;

	host_of(line);
	fsshim_grant_add(&W.fs, FSSHIM_DIR, "/srv a:ro", "/srv a", "/srv a", false); /* a space: left out */
	ck_assert_int_eq(launch_words(&W, false, &w), 0);
	ck_assert_int_eq(launch_program_envp(&w, (char *const *)envp, 3, out, 8), 3);
	ck_assert_str_eq(out[0], "A=1");
	ck_assert_str_eq(out[1], "B=2");
	ck_assert_str_eq(out[2], w.child_flags);
	ck_assert_ptr_null(out[3]);
	ck_assert_int_eq(launch_program_envp(&w, (char *const *)envp, 3, out, 4), -E2BIG);
	ck_assert_int_eq(strncmp(w.child_flags, "NONEHOST_CHILD_FLAGS=", 21), 0);
	ck_assert_ptr_null(strstr(w.child_flags, "/srv a"));
	/* parsed back as the exec wrapper would: the same grants as a child image's */
	ck_assert_int_eq(goexec_cli_parse(2, go, w.child_flags + 21, NULL, NULL, 0, &o, err, sizeof(err)),
	                 CLI_RUN);
	ck_assert(has_dir(&o, "/srv/data:/data:rw"));
	ck_assert(has_dir(&o, "/work:/work:ro"));
	ck_assert_uint_eq(o.ndirs, 2);
	ck_assert_str_eq(o.tmpdir, "/tmp/nonehost.A/tmp");
	ck_assert_uint_eq(o.net.mode, NSS_NONE);
}
END_TEST

START_TEST(test_words_grants)
{
	static char *line[] = {"nonehost", "img", NULL};
	struct nh_opts o;

	host_of(line);
	/* the guest's /etc inside an rw grant: passed rw, as it is writable
	 * through that grant anyway (the child would refuse it ro) */
	fsshim_grant_add(&W.fs, FSSHIM_DIR, "/tmp:rw", "/tmp", "/tmp", true);
	W.fs.etc = fsshim_grant_add(&W.fs, FSSHIM_ETC, NULL, "/tmp/nonehost.A/etc", "/etc", false);
	/* a ':' in a path cannot be said: left out */
	fsshim_grant_add(&W.fs, FSSHIM_CWD, NULL, "/home/a:b", "/home/a:b", false);
	/* nor one given open (--dir @N): the child has no such descriptor */
	W.fs.grant[fsshim_grant_add(&W.fs, FSSHIM_DIR, "@9:/g", "/g", "/g", false)].given = true;
	ck_assert_int_ge(child_of(ARGS("app"), NULL, &o), 0);
	ck_assert(has_dir(&o, "/tmp/nonehost.A/etc:/etc:rw"));
	ck_assert(has_dir(&o, "/tmp:/tmp:rw"));
	ck_assert(!has_dir(&o, "/g:/g:ro"));
	ck_assert_uint_eq(o.ndirs, 4);
}
END_TEST

START_TEST(test_words_flags)
{
	static char *line[] = {"nonehost", "--memory=64M", "img", NULL};
	struct nh_opts o;

	host_of(line);
	W.fs.etc = fsshim_grant_add(&W.fs, FSSHIM_ETC, NULL, "/tmp/nonehost.A/etc", "/etc", false);
	/* its --dir words replace the inherited ones; the guest's /etc stays;
	 * they come last, so its --memory wins */
	ck_assert_int_ge(child_of(ARGS("app", "a"), ARGS("X=1", "NONEHOST_FLAGS= --dir /srv:ro\t"
	                                                 "--trace --dir=/opt:/o:rw --memory 32M "
	                                                 "--keep-tmp --max-files=7"), &o), 0);
	ck_assert_uint_eq(o.ndirs, 3);
	ck_assert(has_dir(&o, "/tmp/nonehost.A/etc:/etc:ro"));
	ck_assert(has_dir(&o, "/srv:ro"));
	ck_assert(has_dir(&o, "/opt:/o:rw"));
	ck_assert(o.trace);
	ck_assert(o.keep_tmp);
	ck_assert_uint_eq(o.memory, 32 << 20);
	ck_assert_uint_eq(o.max_files, 7);
	ck_assert_uint_eq(o.net.mode, NSS_NONE);
	/* a --dir at /etc or above it: the guest's /etc is theirs */
	ck_assert_int_ge(child_of(ARGS("app"), ARGS("NONEHOST_FLAGS=--dir=/:ro"), &o), 0);
	ck_assert_uint_eq(o.ndirs, 1);
	ck_assert_int_ge(child_of(ARGS("app"), ARGS("NONEHOST_FLAGS=--dir /x:/etc"), &o), 0);
	ck_assert_uint_eq(o.ndirs, 1);
	ck_assert_int_ge(child_of(ARGS("app"), ARGS("NONEHOST_FLAGS=--dir /etc/../etc:ro"), &o), 0);
	ck_assert_uint_eq(o.ndirs, 1);
	ck_assert_int_ge(child_of(ARGS("app"), ARGS("NONEHOST_FLAGS=--dir /x:/etc/sub"), &o), 0);
	ck_assert_uint_eq(o.ndirs, 2);
	/* empty: no grant but the guest's /etc (and what the child adds itself) */
	ck_assert_int_ge(child_of(ARGS("app"), ARGS("NONEHOST_FLAGS="), &o), 0);
	ck_assert_uint_eq(o.ndirs, 1);
	/* the first NONEHOST_FLAGS counts, as getenv's */
	ck_assert_int_ge(child_of(ARGS("app"), ARGS("NONEHOST_FLAGS=--trace",
	                                            "NONEHOST_FLAGS=--no-sandbox"), &o), 0);
	ck_assert(o.trace);
}
END_TEST

START_TEST(test_words_flags_refused)
{
	static char *line[] = {"nonehost", "--net=host", "img", NULL};
	static const struct {
		const char *env;
		int err;
	} t[] = {
		{"NONEHOST_FLAGS=--no-sandbox", -EPERM},
		{"NONEHOST_FLAGS=--net host", -EPERM},
		{"NONEHOST_FLAGS=--net-bind=80", -EPERM},
		{"NONEHOST_FLAGS=--net-connect=*:*", -EPERM},
		{"NONEHOST_FLAGS=--allow-exec=/bin/sh", -EPERM},
		{"NONEHOST_FLAGS=--max-procs=9", -EPERM},
		{"NONEHOST_FLAGS=--isolate", -EPERM},
		{"NONEHOST_FLAGS=--dirx=/a", -EPERM},
		{"NONEHOST_FLAGS=--trace=1", -EPERM},
		{"NONEHOST_FLAGS=img", -EPERM},
		{"NONEHOST_FLAGS=--dir /a:ro --", -EPERM},
		{"NONEHOST_FLAGS=--dir", -EINVAL},
		{"NONEHOST_FLAGS=--trace --memory", -EINVAL},
	};
	static char many[LAUNCH_FLAGS_MAX * 8 + 32] = "NONEHOST_FLAGS=", huge[LAUNCH_FLAGS_BYTES + 32];
	struct nh_opts o;

	host_of(line);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ck_assert_msg(child_of(ARGS("app"), ARGS(t[i].env), &o) == t[i].err, "%s", t[i].env);
	for (int i = 0; i <= LAUNCH_FLAGS_MAX; i++)
		strcat(many, "--trace ");
	ck_assert_int_eq(child_of(ARGS("app"), ARGS(many), &o), -E2BIG);
	strcpy(huge, "NONEHOST_FLAGS=");
	memset(huge + 15, ' ', sizeof(huge) - 16);
	huge[sizeof(huge) - 1] = '\0';
	ck_assert_int_eq(child_of(ARGS("app"), ARGS(huge), &o), -E2BIG);
	{
		static struct launch_words w;
		static struct launch_flags f;
		char *argv[] = {"app", "b", NULL};

		ck_assert_int_eq(launch_words(&W, false, &w), 0);
		char *own[] = {"--cwd", "/"};

		ck_assert_int_eq(launch_image_argv(&w, "/n", "/i", own, 2, argv, 2, NULL, 0, &f,
		                                   WORDS, w.n + 6), -E2BIG);
		ck_assert_int_eq(launch_image_argv(&w, "/n", "/i", own, 2, argv, 2, NULL, 0, &f,
		                                   WORDS, w.n + 8), (int)w.n + 6);
	}
}
END_TEST

START_TEST(test_words_envp)
{
	static char *line[] = {"nonehost", "img", NULL};
	static struct launch_words w;
	char *out[8];
	char *e1[] = {"A=1", "TMPDIR=/x", "B=2", "TMPDIR=/y"}, *e2[] = {"A=1"};

	host_of(line);
	ck_assert_int_eq(launch_words(&W, false, &w), 0);
	ck_assert_str_eq(w.tmpdir, "TMPDIR=/tmp/nonehost.A/tmp");
	for (unsigned i = 0; i < w.n; i++) /* not one of the words */
		ck_assert_ptr_ne(w.word[i], w.tmpdir);
	ck_assert_int_eq(launch_image_envp(&w, e1, 4, out, 8), 3);
	ck_assert_str_eq(out[0], "A=1");
	ck_assert_str_eq(out[1], "TMPDIR=/tmp/nonehost.A/tmp");
	ck_assert_str_eq(out[2], "B=2");
	ck_assert_ptr_null(out[3]);
	ck_assert_int_eq(launch_image_envp(&w, e2, 1, out, 8), 2);
	ck_assert_str_eq(out[1], "TMPDIR=/tmp/nonehost.A/tmp");
	ck_assert_ptr_null(out[2]);
	ck_assert_int_eq(launch_image_envp(&w, NULL, 0, out, 8), 1);
	ck_assert_int_eq(launch_image_envp(&w, e1, 4, out, 5), -E2BIG);
	/* without a private TMPDIR: as given */
	W.fs.tmp = -1;
	ck_assert_int_eq(launch_words(&W, false, &w), 0);
	ck_assert_ptr_null(w.tmpdir);
	ck_assert_int_eq(launch_image_envp(&w, e1, 4, out, 8), 4);
	ck_assert_str_eq(out[3], "TMPDIR=/y");
}
END_TEST

/* ---- a real launcher ------------------------------------------------------ */

static struct nh_host LH;
static char B[64];             /* the grant: a fresh directory */
static char JUNK[96], GONE[96]; /* allowed programs in B: not executable, removed */

/* Make B, grant it rw, and start a launcher with max_procs 2, /bin/sh,
 * /bin/true, B/junk and B/gone allowed (extra: one more option or NULL). */
static void start_launcher(const char *extra)
{
	static char *argv[16];
	char err[256];
	int argc = 0, fd;

	strcpy(B, "/tmp/nh-launch.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(B));
	snprintf(JUNK, sizeof(JUNK), "%s/junk", B);
	snprintf(GONE, sizeof(GONE), "%s/gone", B);
	fd = open(JUNK, O_WRONLY | O_CREAT | O_CLOEXEC, 0755);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "\1\2\3\4 no program\n", 17), 17);
	close(fd);
	fd = open(GONE, O_WRONLY | O_CREAT | O_CLOEXEC, 0755);
	ck_assert_int_ge(fd, 0);
	close(fd);
	argv[argc++] = "nonehost";
	argv[argc++] = "--max-procs=2";
	argv[argc++] = "--allow-exec=/bin/sh";
	argv[argc++] = "--allow-exec=/bin/true";
	argv[argc++] = "--allow-exec";
	argv[argc++] = JUNK;
	argv[argc++] = "--allow-exec";
	argv[argc++] = GONE;
	if (extra != NULL)
		argv[argc++] = (char *)extra;
	argv[argc++] = "/bin/true";
	argv[argc] = NULL;
	memset(&LH, 0, sizeof(LH));
	ck_assert_msg(cli_parse(argc, argv, &LH.opts, err, sizeof(err)) == CLI_RUN, "%s", err);
	LH.fs.tmp = LH.fs.etc = LH.fs.etc_theirs = -1;
	fsshim_grant_add(&LH.fs, FSSHIM_DIR, B, B, B, true);
	LH.fs.grant[0].fd = open(B, O_PATH | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(LH.fs.grant[0].fd, 0);
	launcher_start(&LH);
	ck_assert(LH.proc.ready);
	ck_assert_int_ge(LH.proc.ctl, 0);
	ck_assert_int_gt(LH.proc.pid, 0);
	ck_assert_str_eq(LH.self, "/usr/bin/true");
	close(LH.fs.grant[0].fd);
}

/* Close the control socket: the launcher must exit 0. */
static void stop_launcher(void)
{
	int st;

	close(LH.proc.ctl);
	ck_assert_int_eq(waitpid(LH.proc.pid, &st, 0), LH.proc.pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "launcher status 0x%x", st);
	ck_assert_int_eq(fsshim_rmtree(B), 0);
}

/* Send MSG[0..len) with n descriptors. */
static void send_msg(size_t len, const int *fds, unsigned n)
{
	union {
		char b[CMSG_SPACE(sizeof(int) * 32)];
		struct cmsghdr align;
	} cb;
	struct iovec iov = {.iov_base = MSG, .iov_len = len};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};

	if (n > 0) {
		struct cmsghdr *c;

		memset(&cb, 0, sizeof(cb));
		m.msg_control = cb.b;
		m.msg_controllen = CMSG_SPACE(n * sizeof(int));
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(n * sizeof(int));
		memcpy(CMSG_DATA(c), fds, n * sizeof(int));
	}
	ck_assert_int_eq(sendmsg(LH.proc.ctl, &m, MSG_NOSIGNAL), (ssize_t)len);
}

/* The reply: the pid and *chan, or -errno (*chan -1). */
static int64_t get_reply(int *chan)
{
	union {
		char b[CMSG_SPACE(sizeof(int) * 2)];
		struct cmsghdr align;
	} cb;
	struct launch_reply r;
	struct iovec iov = {.iov_base = &r, .iov_len = sizeof(r)};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cb.b,
	                   .msg_controllen = sizeof(cb.b)};
	struct cmsghdr *c;

	ck_assert_int_eq(recvmsg(LH.proc.ctl, &m, MSG_CMSG_CLOEXEC), (ssize_t)sizeof(r));
	c = CMSG_FIRSTHDR(&m);
	*chan = -1;
	if (r.result > 0) {
		ck_assert_ptr_nonnull(c);
		ck_assert_int_eq(c->cmsg_len, CMSG_LEN(sizeof(int)));
		memcpy(chan, CMSG_DATA(c), sizeof(int));
	} else {
		ck_assert_ptr_null(c);
	}
	return r.result;
}

static int64_t ask(size_t len, const int *fds, unsigned n, int *chan)
{
	send_msg(len, fds, n);
	return get_reply(chan);
}

/* The child's wait status from its channel. */
static int exit_status(int chan)
{
	struct launch_exit e;

	ck_assert_int_eq(recv(chan, &e, sizeof(e), 0), (ssize_t)sizeof(e));
	ck_assert_int_eq(recv(chan, &e, sizeof(e), 0), 0); /* then the end */
	close(chan);
	return e.status;
}

static int dir_fd(void)
{
	int fd = open(B, O_PATH | O_DIRECTORY | O_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	return fd;
}

/* All of fd (until EOF) into out; fd closed. */
static void read_all(int fd, char *out, size_t outlen)
{
	size_t n = 0;
	ssize_t k;

	while (n + 1 < outlen && (k = read(fd, out + n, outlen - 1 - n)) > 0)
		n += (size_t)k;
	out[n] = '\0';
	close(fd);
}

/* Run sh -c script in B with stdout a pipe: its status; its output in out. */
static int sh(const char *script, char *out, size_t outlen)
{
	int p[2], dir = dir_fd(), chan, fds[2];
	int64_t pid;

	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	fds[0] = dir;
	fds[1] = p[1];
	pid = ask(build(LAUNCH_BY_PATH, "/bin/sh", ARGS("sh", "-c", script), ARGS("PATH=/bin"), 3,
	                (const int32_t[]){LAUNCH_FD_NULL, 1, LAUNCH_FD_CLOSED}), fds, 2, &chan);
	ck_assert_msg(pid > 0, "%s: %lld", script, (long long)pid);
	close(p[1]);
	close(dir);
	read_all(p[0], out, outlen);
	return exit_status(chan);
}

START_TEST(test_launcher_run)
{
	char out[256], want[128];

	start_launcher(NULL);
	/* in a synthetic directory: the host's of that name */
	FLAGS = LAUNCH_SYNTHETIC_DIR;
	CWD = "/";
	{
		int p[2], chan;

		ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
		ck_assert_int_gt(ask(build(LAUNCH_BY_PATH, "/bin/sh", ARGS("sh", "-c", "pwd"), NULL,
		                           2, (const int32_t[]){LAUNCH_FD_NULL, 0}), &p[1], 1, &chan),
		                 0);
		close(p[1]);
		read_all(p[0], out, sizeof(out));
		ck_assert_str_eq(out, "/\n");
		ck_assert_int_eq(exit_status(chan), 0);
	}
	FLAGS = 0;
	CWD = "/work";
	snprintf(want, sizeof(want), "%s\nhi\n", B);
	ck_assert_int_eq(sh("pwd; echo hi; exit 3", out, sizeof(out)), 3 << 8);
	ck_assert_str_eq(out, want);
	/* descriptors: 3 the pipe, 4 closed, 1 /dev/null; 0-2 /dev/null when nfds < 3 */
	{
		int p[2], dir = dir_fd(), chan, fds[2];

		ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
		fds[0] = dir;
		fds[1] = p[1];
		ck_assert_int_gt(ask(build(LAUNCH_BY_PATH, "/bin/sh",
		                           ARGS("sh", "-c", "echo three >&3; echo four >&4 || "
		                                "echo closed >&3; [ -c /dev/fd/1 ] && echo null >&3"),
		                           NULL, 5, (const int32_t[]){LAUNCH_FD_CLOSED, LAUNCH_FD_NULL,
		                           LAUNCH_FD_CLOSED, 1, LAUNCH_FD_CLOSED}), fds, 2, &chan), 0);
		close(p[1]);
		close(dir);
		read_all(p[0], out, sizeof(out));
		ck_assert_str_eq(out, "three\nclosed\nnull\n");
		ck_assert_int_eq(exit_status(chan), 0);
		dir = dir_fd();
		ck_assert_int_gt(ask(build(LAUNCH_BY_PATH, "/bin/sh",
		                           ARGS("sh", "-c", "[ -c /dev/fd/0 ] && [ -c /dev/fd/1 ] && "
		                                "[ -c /dev/fd/2 ]"), NULL, 0, NULL), &dir, 1, &chan), 0);
		close(dir);
		ck_assert_int_eq(exit_status(chan), 0);
	}
	stop_launcher();
}
END_TEST

START_TEST(test_launcher_what_runs)
{
	int dir, prog, chan, fds[2], p[2];
	char img[128];
	size_t len;

	start_launcher(NULL);
	dir = dir_fd();
	/* only an --allow-exec path, byte for byte */
	len = build(LAUNCH_BY_PATH, "/bin/ls", ARGS("ls"), NULL, 0, NULL);
	ck_assert_int_eq(ask(len, &dir, 1, &chan), -EACCES);
	len = build(LAUNCH_BY_PATH, "/bin//sh", ARGS("sh"), NULL, 0, NULL);
	ck_assert_int_eq(ask(len, &dir, 1, &chan), -EACCES);
	/* exec's own errors */
	len = build(LAUNCH_BY_PATH, JUNK, ARGS("junk"), NULL, 0, NULL);
	ck_assert_int_eq(ask(len, &dir, 1, &chan), -ENOEXEC);
	ck_assert_int_eq(unlink(GONE), 0); /* the launcher serves: its rules are in */
	len = build(LAUNCH_BY_PATH, GONE, ARGS("gone"), NULL, 0, NULL);
	ck_assert_int_eq(ask(len, &dir, 1, &chan), -ENOENT);
	/* by descriptor: an allowed program's file runs, by its allowed path */
	fds[1] = dir;
	fds[0] = open("/bin/true", O_RDONLY | O_CLOEXEC);
	len = build(LAUNCH_BY_FD, NULL, ARGS("true"), NULL, 0, NULL);
	ck_assert_int_gt(ask(len, fds, 2, &chan), 0);
	ck_assert_int_eq(exit_status(chan), 0);
	close(fds[0]);
	/* anything else is EACCES: another program, a directory, a pipe */
	fds[0] = open("/bin/ls", O_RDONLY | O_CLOEXEC);
	ck_assert_int_eq(ask(len, fds, 2, &chan), -EACCES);
	close(fds[0]);
	fds[0] = open(B, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_eq(ask(len, fds, 2, &chan), -EACCES);
	close(fds[0]);
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	fds[0] = p[0];
	ck_assert_int_eq(ask(len, fds, 2, &chan), -EACCES);
	/* a GOOS=none image that was removed: no path to run it by */
	snprintf(img, sizeof(img), "%s/img.elf", B);
	prog = open(img, O_RDWR | O_CREAT | O_CLOEXEC, 0755);
	ck_assert_int_eq(write(prog, "\177ELF\2\1\1\377\0\0\0\0\0\0\0\0", 16), 16);
	ck_assert_int_eq(unlink(img), 0);
	fds[0] = prog;
	ck_assert_int_eq(ask(len, fds, 2, &chan), -EACCES);
	close(prog);
	/* the directory must be one */
	fds[1] = p[1];
	fds[0] = open("/bin/true", O_RDONLY | O_CLOEXEC);
	ck_assert_int_eq(ask(len, fds, 2, &chan), -ENOTDIR);
	close(fds[0]);
	close(p[0]);
	close(p[1]);
	len = build(LAUNCH_BY_PATH, "/bin/true", ARGS("true"), NULL, 0, NULL);
	fds[0] = open("/bin/true", O_RDONLY | O_CLOEXEC);
	ck_assert_int_eq(ask(len, fds, 1, &chan), -ENOTDIR);
	close(fds[0]);
	/* a host program in a synthetic directory: only one the host has by
	 * that name for sure (launch_host_dir), by path or descriptor */
	FLAGS = LAUNCH_SYNTHETIC_DIR;
	CWD = "/nonehost-nowhere";
	len = build(LAUNCH_BY_PATH, "/bin/true", ARGS("true"), NULL, 0, NULL);
	ck_assert_int_eq(ask(len, NULL, 0, &chan), -EACCES);
	fds[0] = open("/bin/true", O_RDONLY | O_CLOEXEC);
	len = build(LAUNCH_BY_FD, NULL, ARGS("true"), NULL, 0, NULL);
	ck_assert_int_eq(ask(len, fds, 1, &chan), -EACCES);
	CWD = "/bin/../bin/."; /* above an --allow-exec program */
	len = build(LAUNCH_BY_FD, NULL, ARGS("true"), NULL, 0, NULL);
	ck_assert_int_gt(ask(len, fds, 1, &chan), 0);
	ck_assert_int_eq(exit_status(chan), 0);
	close(fds[0]);
	FLAGS = 0;
	CWD = "/work";
	len = build(LAUNCH_BY_PATH, "/bin/true", ARGS("true"), NULL, 0, NULL);
	ck_assert_int_gt(ask(len, &dir, 1, &chan), 0);
	ck_assert_int_eq(exit_status(chan), 0);
	close(dir);
	stop_launcher();
}
END_TEST

START_TEST(test_launcher_hostile)
{
	int dir, chan, p[2], fds[24];
	char c;
	size_t len;

	start_launcher(NULL);
	/* garbage with descriptors: an error, and every descriptor closed
	 * (the pipe's write end only ours then: EOF) */
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	for (size_t i = 0; i < 100; i++)
		MSG[i] = (uint8_t)(i * 37 + 11);
	fds[0] = p[1];
	fds[1] = p[1];
	fds[2] = STDERR_FILENO;
	ck_assert_int_eq(ask(100, fds, 3, &chan), -EINVAL);
	/* a good request whose descriptors do not add up: closed too */
	len = build(LAUNCH_BY_PATH, "/bin/true", ARGS("true"), NULL, 0, NULL);
	ck_assert_int_eq(ask(len, fds, 3, &chan), -EINVAL);
	close(p[1]);
	ck_assert_int_eq(read(p[0], &c, 1), 0);
	close(p[0]);
	/* more descriptors than a request can have: MSG_CTRUNC */
	for (int i = 0; i < 24; i++)
		fds[i] = STDERR_FILENO;
	ck_assert_int_eq(ask(len, fds, 24, &chan), -E2BIG);
	/* more bytes than a request can have: MSG_TRUNC (when the system lets
	 * the send buffer grow that far: root) */
	memset(MSG + len, 'x', sizeof(MSG) - len);
	{
		struct iovec iov = {.iov_base = MSG, .iov_len = LAUNCH_MAX_MSG + 1};
		struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};

		if (sendmsg(LH.proc.ctl, &m, MSG_NOSIGNAL) == (ssize_t)(LAUNCH_MAX_MSG + 1))
			ck_assert_int_eq(get_reply(&chan), -E2BIG);
		else
			ck_assert_int_eq(errno, EMSGSIZE);
	}
	/* a zero-byte header-only lie: strings_len past the end */
	len = build(LAUNCH_SELF, NULL, ARGS("x"), NULL, 0, NULL);
	{
		struct launch_req rq = hdr();

		rq.strings_len = 1u << 30;
		set_hdr(&rq);
	}
	dir = dir_fd();
	ck_assert_int_eq(ask(len, &dir, 1, &chan), -EINVAL);
	/* and it serves on */
	len = build(LAUNCH_BY_PATH, "/bin/true", ARGS("true"), NULL, 0, NULL);
	ck_assert_int_gt(ask(len, &dir, 1, &chan), 0);
	ck_assert_int_eq(exit_status(chan), 0);
	close(dir);
	stop_launcher();
}
END_TEST

/* A UNIX socket request's reply: the result and *sock (-1 without). */
static int64_t sock_reply(int *sock)
{
	union {
		char b[CMSG_SPACE(sizeof(int) * 2)];
		struct cmsghdr align;
	} cb;
	struct launch_reply r;
	struct iovec iov = {.iov_base = &r, .iov_len = sizeof(r)};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cb.b,
	                   .msg_controllen = sizeof(cb.b)};
	struct cmsghdr *c;

	ck_assert_int_eq(recvmsg(LH.proc.ctl, &m, MSG_CMSG_CLOEXEC), (ssize_t)sizeof(r));
	c = CMSG_FIRSTHDR(&m);
	*sock = -1;
	if (r.result == 0) {
		ck_assert_ptr_nonnull(c);
		ck_assert_int_eq(c->cmsg_len, CMSG_LEN(sizeof(int)));
		memcpy(sock, CMSG_DATA(c), sizeof(int));
	} else {
		ck_assert_ptr_null(c);
	}
	return r.result;
}

static int64_t ask_sock(size_t len, const int *fds, unsigned n, int *sock)
{
	send_msg(len, fds, n);
	return sock_reply(sock);
}

START_TEST(test_launcher_sock)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int dir, p[2], fds[24], sock, c, v;
	socklen_t vl = sizeof(v);
	char ch;

	start_launcher("--net=private");
	dir = dir_fd();
	/* BIND in the grant: a listening socket */
	ck_assert_int_eq(ask_sock(build_sock(LAUNCH_SOCK_BIND, "s", 1), &dir, 1, &sock), 0);
	ck_assert_int_eq(getsockopt(sock, SOL_SOCKET, SO_ACCEPTCONN, &v, &vl), 0);
	ck_assert_int_eq(v, 1);
	ck_assert_int_eq(fcntl(sock, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/s", B);
	c = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_eq(connect(c, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(c);
	close(sock);
	/* the name is made under the request's umask, not the launcher's */
	{
		struct stat st;
		mode_t own = umask(0);

		umask(own);
		SOCK_UMASK = own == 027 ? 077 : 027;
		ck_assert_int_eq(ask_sock(build_sock(LAUNCH_SOCK_BIND, "m", 1), &dir, 1, &sock), 0);
		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/m", B);
		ck_assert_int_eq(lstat(sa.sun_path, &st), 0);
		ck_assert_uint_eq(st.st_mode, S_IFSOCK | (0777 & ~SOCK_UMASK));
		ck_assert_int_eq(unlink(sa.sun_path), 0);
		close(sock);
		SOCK_UMASK = 022;
	}
	/* hostile messages: each its errno, every descriptor closed (the pipe's
	 * write end only ours then: EOF), and the launcher serves on */
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	fds[0] = p[1];
	fds[1] = p[1];
	ck_assert_int_eq(ask_sock(build_sock(LAUNCH_SOCK_BIND, "a/b", 3), fds, 1, &sock), -EINVAL);
	ck_assert_int_eq(ask_sock(build_sock(LAUNCH_SOCK_BIND, "..", 2), fds, 1, &sock), -EINVAL);
	ck_assert_int_eq(ask_sock(build_sock(LAUNCH_SOCK_BIND, "t", 1), fds, 2, &sock), -EINVAL);
	ck_assert_int_eq(ask_sock(build_sock(LAUNCH_SOCK_BIND, "t", 1), NULL, 0, &sock), -EINVAL);
	ck_assert_int_eq(ask_sock(build_sock(LAUNCH_SOCK_BIND, "t", 1), fds, 1, &sock), -ENOTDIR);
	ck_assert_int_eq(ask_sock(build_sock(LAUNCH_SOCK_CONNECT, "", 0), fds, 1, &sock),
	                 -ECONNREFUSED); /* a pipe is no socket inode */
	ck_assert_int_eq(ask_sock(build_sock(LAUNCH_SOCK_CONNECT, "", 0), &dir, 1, &sock),
	                 -ECONNREFUSED);
	ck_assert_int_eq(ask_sock(sizeof(struct launch_sock_req) - 4, fds, 1, &sock), -EINVAL);
	for (int i = 0; i < 24; i++)
		fds[i] = p[1];
	ck_assert_int_eq(ask_sock(build_sock(LAUNCH_SOCK_BIND, "t", 1), fds, 24, &sock), -E2BIG);
	memcpy(MSG, "LSOX", 4); /* neither magic: a launch_req's checks say no */
	ck_assert_int_eq(ask_sock(sizeof(struct launch_sock_req) + 1, fds, 1, &sock), -EINVAL);
	close(p[1]);
	ck_assert_int_eq(read(p[0], &ch, 1), 0);
	close(p[0]);
	ck_assert_int_eq(ask_sock(build_sock(LAUNCH_SOCK_BIND, "s", 1), &dir, 1, &sock), -EADDRINUSE);
	ck_assert_int_eq(ask_sock(build_sock(LAUNCH_SOCK_BIND, "t", 1), &dir, 1, &sock), 0);
	close(sock);
	close(dir);
	stop_launcher();

	/* --net none (the default): no UNIX socket at all, whatever is asked */
	start_launcher(NULL);
	dir = dir_fd();
	ck_assert_int_eq(ask_sock(build_sock(LAUNCH_SOCK_BIND, "s", 1), &dir, 1, &sock), -EACCES);
	close(dir);
	stop_launcher();
}
END_TEST

/* Start sh -c 'read x; exit 7' with stdin the read end of *in: its pid. */
/* A granted shell running script, its stdin the read end of a new pipe
 * (in[1] stays the test's): its pid, *chan its channel. */
static int64_t shell_on_pipe(const char *script, int *in, int *chan)
{
	int dir = dir_fd(), fds[2];
	int64_t pid;

	ck_assert_int_eq(pipe2(in, O_CLOEXEC), 0);
	fds[0] = dir;
	fds[1] = in[0];
	pid = ask(build(LAUNCH_BY_PATH, "/bin/sh", ARGS("sh", "-c", script), NULL, 1,
	                (const int32_t[]){1}), fds, 2, chan);
	close(in[0]);
	close(dir);
	return pid;
}

static int64_t reader(int *in, int *chan)
{
	return shell_on_pipe("read x; exit 7", in, chan);
}

static void send_kill(int chan, const void *m, size_t len)
{
	ck_assert_int_eq(send(chan, m, len, MSG_NOSIGNAL), (ssize_t)len);
}

/* The pids in /proc/PID/task/PID/children, at most max. */
static int children_of(pid_t pid, pid_t *out, int max)
{
	char path[64], b[4096], *at = b, *end;
	int fd, n = 0;
	ssize_t len;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid, (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	len = read(fd, b, sizeof(b) - 1);
	close(fd);
	b[len > 0 ? len : 0] = 0;
	for (long kid; n < max && ((kid = strtol(at, &end, 10)), end != at); at = end)
		out[n++] = (pid_t)kid;
	return n;
}

/* The pid of pid in the innermost PID namespace it is in (NSpid's last). */
static pid_t inner_pid(pid_t pid)
{
	char path[64], b[4096], *at, *end;
	long v = 0;
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	len = read(fd, b, sizeof(b) - 1);
	close(fd);
	b[len > 0 ? len : 0] = 0;
	if ((at = strstr(b, "NSpid:")) == NULL)
		return 0;
	for (at += 6; (v = strtol(at, &end, 10)), end != at && *end != '\n'; at = end)
		;
	return (pid_t)v;
}

/* A child's pid here, from the pid the launcher replied. The launcher is
 * PID 1 of a PID namespace of its own (launcher_confine.c, layer 1b), the
 * child of the process launcher_start forked, and replies with that
 * namespace's pids. The child must be alive. */
static pid_t here(int64_t pid)
{
	pid_t top[8], kids[8];
	int ntop = children_of(LH.proc.pid, top, 8), nkids;

	if (ntop != 1 || inner_pid(top[0]) != 1)
		return (pid_t)pid; /* no namespace: the same pids */
	nkids = children_of(top[0], kids, 8);
	for (int i = 0; i < nkids; i++)
		if (inner_pid(kids[i]) == pid)
			return kids[i];
	ck_abort_msg("no child of the launcher (%d) is its pid %lld", (int)top[0], (long long)pid);
	return 0;
}

/* The process is gone (reaped), within a few seconds. */
static void expect_gone(pid_t pid)
{
	for (int i = 0; i < 400 && kill(pid, 0) == 0; i++)
		usleep(5000);
	ck_assert_msg(kill(pid, 0) == -1 && errno == ESRCH, "pid %d still there", (int)pid);
}

START_TEST(test_launcher_limits)
{
	int in_a[2], in_b[2], in_c[2], chan_a, chan_b, chan_c, chan;
	int64_t a, b, c;
	const int32_t sig0 = 0, sig65 = 65, term = SIGTERM;
	const int64_t wide = SIGTERM;

	start_launcher(NULL);
	a = reader(in_a, &chan_a);
	b = reader(in_b, &chan_b);
	ck_assert_int_gt(a, 0);
	ck_assert_int_gt(b, 0);
	a = here(a);
	b = here(b);
	ck_assert_int_eq(reader(in_c, &chan), -EAGAIN); /* max-procs 2 */
	close(in_c[1]);
	/* kill messages that are not one: ignored */
	send_kill(chan_a, &sig0, sizeof(sig0));
	send_kill(chan_a, &sig65, sizeof(sig65));
	send_kill(chan_a, &wide, sizeof(wide));
	send_kill(chan_a, &term, 2);
	usleep(50000);
	ck_assert_int_eq(kill((pid_t)a, 0), 0);
	/* a real one */
	send_kill(chan_a, &term, sizeof(term));
	{
		int st = exit_status(chan_a);

		ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "status 0x%x", st);
	}
	expect_gone((pid_t)a);
	close(in_a[1]);
	/* a slot is free again */
	c = reader(in_c, &chan_c);
	ck_assert_int_gt(c, 0);
	c = here(c);
	/* let b go: it runs on, then ends unseen, reaped */
	close(chan_b);
	usleep(50000);
	ck_assert_int_eq(kill((pid_t)b, 0), 0);
	ck_assert_int_eq(write(in_b[1], "\n", 1), 1);
	close(in_b[1]);
	expect_gone((pid_t)b);
	/* c: ends normally */
	ck_assert_int_eq(write(in_c[1], "\n", 1), 1);
	ck_assert_int_eq(exit_status(chan_c), 7 << 8);
	close(in_c[1]);
	expect_gone((pid_t)c);
	stop_launcher();
}
END_TEST

START_TEST(test_launcher_shutdown)
{
	int in_a[2], in_b[2], chan_a, chan_b, st;
	int64_t a, b;
	struct launch_exit e;

	start_launcher(NULL);
	a = reader(in_a, &chan_a);
	b = reader(in_b, &chan_b);
	ck_assert_int_gt(a, 0);
	ck_assert_int_gt(b, 0);
	a = here(a);
	b = here(b);
	close(chan_b); /* one let go, one held */
	close(LH.proc.ctl);
	ck_assert_int_eq(waitpid(LH.proc.pid, &st, 0), LH.proc.pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "launcher status 0x%x", st);
	/* both killed and reaped before the launcher left */
	ck_assert(kill((pid_t)a, 0) == -1 && errno == ESRCH);
	ck_assert(kill((pid_t)b, 0) == -1 && errno == ESRCH);
	ck_assert_int_eq(recv(chan_a, &e, sizeof(e), 0), 0);
	close(chan_a);
	close(in_a[1]);
	close(in_b[1]);
	ck_assert_int_eq(fsshim_rmtree(B), 0);
}
END_TEST

/* As PID 1 of the run's namespace the launcher is the reaper of a child's
 * orphan: a shell's background subshell runs on after the shell exited,
 * reparented to the launcher, and once it ends no zombie is left. */
START_TEST(test_launcher_orphans)
{
	int in[2], chan, n;
	pid_t top[8], kids[8];
	int64_t pid;

	start_launcher(NULL);
	/* (a background job's stdin is /dev/null: the subshell reads 3) */
	pid = shell_on_pipe("exec 3<&0; (read x <&3) & exit 3", in, &chan);
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(exit_status(chan), 3 << 8);
	/* (the namespace is made at the first request) */
	if (children_of(LH.proc.pid, top, 8) != 1 || inner_pid(top[0]) != 1) {
		close(in[1]);
		stop_launcher();
		return; /* no PID namespace on this system: the orphan is not ours */
	}
	/* the shell is reaped; its subshell is the launcher's now, and runs */
	ck_assert_int_eq(children_of(top[0], kids, 8), 1);
	ck_assert_int_ne(inner_pid(kids[0]), pid);
	ck_assert_int_eq(write(in[1], "\n", 1), 1);
	close(in[1]);
	for (int i = 0; i < 400 && (n = children_of(top[0], kids, 8)) != 0; i++)
		usleep(5000);
	ck_assert_msg(n == 0, "%d left to the launcher (a zombie)", n);
	stop_launcher();
}
END_TEST

/* The run's launcher is PID 1 of a namespace of its own (after the first
 * request); its pids are bounded when Linux keeps a pid_max per namespace
 * (6.14). */
static bool run_pids_bounded(void)
{
	struct utsname u;
	unsigned major, minor;
	pid_t top[8];

	return children_of(LH.proc.pid, top, 8) == 1 && inner_pid(top[0]) == 1 &&
	       uname(&u) == 0 && sscanf(u.release, "%u.%u", &major, &minor) == 2 &&
	       (major > 6 || (major == 6 && minor >= 14));
}

/* PID 1 bounds the whole run: a granted program's own processes, which no
 * --max-procs counts, stop at LAUNCH_RUN_PIDS (1056 for --max-procs 2). */
START_TEST(test_launcher_pid_bound)
{
	int in[2], chan, st;
	int64_t pid;

	start_launcher(NULL);
	pid = shell_on_pipe("exec 3<&0; i=0; while [ $i -lt 1100 ]; do (read x <&3) & "
	                    "i=$((i+1)); done", in, &chan);
	ck_assert_int_gt(pid, 0);
	st = exit_status(chan);
	close(in[1]); /* the subshells read EOF and end */
	if (run_pids_bounded())
		ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 2,
		              "status 0x%x: the shell forked 1100 times", st);
	stop_launcher();
}
END_TEST

START_TEST(test_launcher_confined)
{
	char out[256];

	if (sbx_landlock_abi() == 0)
		return; /* nothing to see without Landlock */
	start_launcher(NULL);
	/* inside the grant: read, write, truncate */
	ck_assert_int_eq(sh("echo ok > f && read x < f && [ \"$x\" = ok ] && echo yes", out,
	                    sizeof(out)), 0);
	ck_assert_str_eq(out, "yes\n");
	ck_assert_int_eq(sh("echo x > /dev/null", out, sizeof(out)), 0);
	/* outside: no read, no write, no program that is not granted */
	ck_assert_int_ne(sh("read x < /etc/hostname", out, sizeof(out)), 0);
	ck_assert_int_ne(sh("echo x > /tmp/nh-launch-escape", out, sizeof(out)), 0);
	ck_assert_int_eq(access("/tmp/nh-launch-escape", F_OK), -1);
	ck_assert_int_eq(sh("/bin/ls", out, sizeof(out)), 126 << 8);
	ck_assert_int_eq(sh("exec /bin/true", out, sizeof(out)), 0);
	stop_launcher();
}
END_TEST

START_TEST(test_launcher_trace)
{
	int p[2], saved = dup(STDERR_FILENO);
	char line[512];
	ssize_t n = 0, k;

	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	ck_assert_int_eq(dup2(p[1], STDERR_FILENO), STDERR_FILENO);
	start_launcher("--trace");
	ck_assert_int_eq(dup2(saved, STDERR_FILENO), STDERR_FILENO);
	close(p[1]);
	/* the launcher confines itself, and says so, at the first request */
	ck_assert_int_eq(sh("exit 0", line, sizeof(line)), 0);
	n = 0;
	while ((size_t)n < sizeof(line) - 1 &&
	       (k = read(p[0], line + n, sizeof(line) - 1 - (size_t)n)) > 0) {
		n += k;
		line[n] = '\0';
		if (strchr(line, '\n') != NULL)
			break;
	}
	line[n] = '\0';
	ck_assert_msg(strncmp(line, "[nh] launcher: pid ", 19) == 0, "%s", line);
	ck_assert_msg(strstr(line, ", max-procs 2, 4 exec grants, ") != NULL, "%s", line);
	ck_assert_msg(strstr(line, "no_new_privs") != NULL, "%s", line);
	ck_assert_msg(strstr(line, " us)\n") != NULL, "%s", line);
	close(p[0]);
	stop_launcher();
}
END_TEST

/* --allow-exec that cannot be: one line, 125. */
static void start_with(const void *arg)
{
	static char *argv[] = {"nonehost", "--allow-exec", NULL, "/bin/true", NULL};
	char err[256];

	argv[2] = (char *)arg;
	memset(&LH, 0, sizeof(LH));
	if (cli_parse(4, argv, &LH.opts, err, sizeof(err)) != CLI_RUN)
		CHILD_EXIT(3);
	launcher_start(&LH);
	CHILD_EXIT(0);
}

START_TEST(test_launcher_bad_exec)
{
	struct outcome o;

	unit_fork(start_with, "/nonexistent/prog", &o, NULL, NULL);
	expect_exit(&o, NH_EXIT_USAGE);
	ck_assert_str_eq(o.err, "nonehost: --allow-exec /nonexistent/prog: No such file or "
	                 "directory\n");
	unit_fork(start_with, "/tmp", &o, NULL, NULL);
	expect_exit(&o, NH_EXIT_USAGE);
	ck_assert_str_eq(o.err, "nonehost: --allow-exec /tmp: not a regular file\n");
	/* max-procs 0: nothing at all */
	memset(&LH, 0, sizeof(LH));
	launcher_start(&LH);
	ck_assert(!LH.proc.ready);
	ck_assert_int_eq(LH.proc.ctl, -1);
}
END_TEST

/* --launcher-fd N: the host adopts it, and only a SOCK_SEQPACKET UNIX
 * socket (a launcher's control socket); anything else is one line, 125. */
static void adopt_fd(const void *arg)
{
	char fd[16], err[256];
	char *argv[] = {"nonehost", "--launcher-fd", fd, "/bin/true", NULL};

	snprintf(fd, sizeof(fd), "%d", *(const int *)arg);
	memset(&LH, 0, sizeof(LH));
	if (cli_parse(4, argv, &LH.opts, err, sizeof(err)) != CLI_RUN)
		CHILD_EXIT(3);
	launcher_start(&LH);
	PROBE(LH.proc.ready && LH.proc.ctl == *(const int *)arg);
	PROBE(fcntl(LH.proc.ctl, F_GETFD) == FD_CLOEXEC);
	PROBE(strcmp(LH.self, "/usr/bin/true") == 0 || strcmp(LH.self, "/bin/true") == 0);
	CHILD_EXIT(0);
}

START_TEST(test_launcher_adopt)
{
	struct outcome o;
	int sv[2], st[2], pp[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, st), 0);
	ck_assert_int_eq(pipe(pp), 0);
	unit_fork(adopt_fd, &sv[0], &o, NULL, NULL);
	expect_exit(&o, 0);
	unit_fork(adopt_fd, &st[0], &o, NULL, NULL);
	expect_exit(&o, NH_EXIT_USAGE);
	ck_assert_msg(strstr(o.err, ": not a UNIX SOCK_SEQPACKET socket (a launcher's control "
	                     "socket)\n") != NULL, "%s", o.err);
	unit_fork(adopt_fd, &pp[0], &o, NULL, NULL);
	expect_exit(&o, NH_EXIT_USAGE);
	ck_assert_msg(strstr(o.err, ": not a socket: Socket operation on non-socket\n") != NULL,
	              "%s", o.err);
	for (int i = 0; i < 2; i++) {
		close(sv[i]);
		close(st[i]);
		close(pp[i]);
	}
}
END_TEST

Suite *launcher_suite(void)
{
	Suite *s = suite_create("launcher");
	TCase *msg = tcase_create("messages");
	TCase *run = tcase_create("launcher");

	tcase_add_test(msg, test_parse_good);
	tcase_add_test(msg, test_parse_bad);
	tcase_add_test(msg, test_sock_parse);
	tcase_add_test(msg, test_words_none);
	tcase_add_test(msg, test_host_dir);
	tcase_add_test(msg, test_words_private);
	tcase_add_test(msg, test_words_host);
	tcase_add_test(msg, test_words_grants);
	tcase_add_test(msg, test_program_envp);
	tcase_add_test(msg, test_words_flags);
	tcase_add_test(msg, test_words_flags_refused);
	tcase_add_test(msg, test_words_envp);
	tcase_set_timeout(run, 30);
	tcase_add_test(run, test_launcher_run);
	tcase_add_test(run, test_launcher_what_runs);
	tcase_add_test(run, test_launcher_hostile);
	tcase_add_test(run, test_launcher_sock);
	tcase_add_test(run, test_launcher_limits);
	tcase_add_test(run, test_launcher_shutdown);
	tcase_add_test(run, test_launcher_orphans);
	tcase_add_test(run, test_launcher_pid_bound);
	tcase_add_test(run, test_launcher_confined);
	tcase_add_test(run, test_launcher_trace);
	tcase_add_test(run, test_launcher_bad_exec);
	tcase_add_test(run, test_launcher_adopt);
	suite_add_tcase(s, msg);
	suite_add_tcase(s, run);
	return s;
}
