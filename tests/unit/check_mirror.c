/*
 * check_mirror.c - unit tests of the image's own root (sandbox/sbx_mirror.c),
 * each in a forked child, since the root changes for good. Checked:
 *   two directories appear at their paths (one nested three deep), with
 *   their files, readable and writable; nothing else exists ("/etc",
 *   "/proc", the directories' host paths); "/" and the made directories
 *   are read-only (EROFS); ".." from a mounted directory stays inside;
 *   a UNIX datagram socket reaches a socket in a directory and not one
 *   outside (ENOENT), and a link in a directory pointing outside leads
 *   nowhere; the working directory is "/";
 *   the same as another user (nobody: a new user namespace, our ids
 *   mapped), when the test runs as root;
 *   a directory swapped after it was checked (dev and ino no longer the
 *   given ones) is refused: -1, "no longer the directory granted";
 *   a missing one: -1 with the path in why.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "sandbox.h"
#include "unit.h"

static char top[64], a_dir[128], b_dir[128], outside[128];

static void setup(void)
{
	strcpy(top, "/tmp/nh-mirror-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(top));
	chmod(top, 0755);
	snprintf(a_dir, sizeof(a_dir), "%s/a", top);
	snprintf(b_dir, sizeof(b_dir), "%s/b", top);
	snprintf(outside, sizeof(outside), "%s/out", top);
	ck_assert_int_eq(mkdir(a_dir, 0777), 0);
	ck_assert_int_eq(mkdir(b_dir, 0777), 0);
	ck_assert_int_eq(mkdir(outside, 0777), 0);
	chmod(a_dir, 0777);
	chmod(b_dir, 0777);
	chmod(outside, 0777);
	unit_put(a_dir, "file", "in a\n");
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", top);
	ck_assert_int_eq(system(cmd), 0);
}

static struct sbx_mirror_dir dir_of(const char *host, const char *at)
{
	struct stat st;

	ck_assert_int_eq(stat(host, &st), 0);
	return (struct sbx_mirror_dir){.host = host, .at = at, .dev = st.st_dev, .ino = st.st_ino};
}

static int dgram_to(int s, const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	return sendto(s, "x", 1, 0, (struct sockaddr *)&sa, sizeof(sa)) == 1 ? 0 : errno;
}

static int bound(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	ck_assert_int_eq(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return s;
}

static void in_root(const void *arg)
{
	const bool as_nobody = *(const bool *)arg;
	struct sbx_mirror_dir dirs[2] = {dir_of(a_dir, "/srv/data/a"), dir_of(b_dir, "/b")};
	char why[256], buf[16], cwd[16], link[160];
	struct stat st;
	bool userns;
	int fd, s;

	snprintf(link, sizeof(link), "%s/out.sock", outside);
	if (as_nobody) /* dumpable again, as a process started as nobody is */
		PROBE(setgid(65534) == 0 && setuid(65534) == 0 &&
		      prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) == 0);
	PROBE(sbx_mirror(dirs, 2, &userns, why, sizeof(why)) == 0);
	PROBE(userns == (as_nobody || geteuid() != 0)); /* not root: one is needed */
	PROBE(getcwd(cwd, sizeof(cwd)) != NULL && strcmp(cwd, "/") == 0);
	PROBE((fd = open("/srv/data/a/file", O_RDONLY)) >= 0);
	PROBE(read(fd, buf, sizeof(buf)) == 5 && memcmp(buf, "in a\n", 5) == 0);
	close(fd);
	PROBE((fd = open("/b/new", O_WRONLY | O_CREAT | O_EXCL, 0644)) >= 0);
	close(fd);
	PROBE(stat("/etc", &st) != 0 && errno == ENOENT);
	PROBE(stat("/proc/self", &st) != 0 && errno == ENOENT);
	PROBE(stat(a_dir, &st) != 0 && errno == ENOENT);
	PROBE(mkdir("/x", 0755) != 0 && errno == EROFS);
	PROBE(mkdir("/srv/y", 0755) != 0 && errno == EROFS);
	PROBE(stat("/srv/data/a/../../../../../b/new", &st) == 0);
	PROBE(stat("/srv/data/a/../../../../../etc", &st) != 0 && errno == ENOENT);
	s = bound("/b/me.sock");
	PROBE(dgram_to(s, "/srv/data/a/in.sock") == 0);
	PROBE(dgram_to(s, link) == ENOENT);
	PROBE(dgram_to(s, "/b/link.sock") == ENOENT);
	CHILD_EXIT(0);
}

static int socket_at(const char *dir, const char *name)
{
	char p[256];

	int s;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	s = bound(p);
	chmod(p, 0777); /* nobody may send to it too */
	return s;
}

static void roots(bool as_nobody)
{
	struct outcome o;
	char p[256], l[256];
	struct stat st;
	int in = socket_at(a_dir, "in.sock"), out = socket_at(outside, "out.sock");

	snprintf(p, sizeof(p), "%s/link.sock", b_dir);
	snprintf(l, sizeof(l), "%s/out.sock", outside);
	ck_assert_int_eq(symlink(l, p), 0);
	unit_fork(in_root, &as_nobody, &o, NULL, NULL);
	expect_exit(&o, 0);
	ck_assert_int_eq(recv(in, p, sizeof(p), 0), 1);
	ck_assert_int_eq(recv(out, p, sizeof(p), 0), -1); /* nothing came */
	close(in);
	close(out);
	snprintf(p, sizeof(p), "%s/new", b_dir);
	ck_assert_int_eq(stat(p, &st), 0); /* written through the mount */
	snprintf(p, sizeof(p), "%s/me.sock", b_dir);
	ck_assert_msg(stat(p, &st) == 0 && S_ISSOCK(st.st_mode), "the socket bound at /b/me.sock");
}

START_TEST(test_only_the_dirs)
{
	roots(false);
}
END_TEST

START_TEST(test_only_the_dirs_as_nobody)
{
	if (geteuid() != 0)
		return; /* the test above already ran as a user */
	roots(true);
}
END_TEST

static void refused(const void *arg)
{
	const int which = *(const int *)arg;
	struct sbx_mirror_dir d = dir_of(a_dir, "/a");
	char why[256];
	bool userns;

	if (which == 0) { /* swapped: another directory now at that path */
		char moved[160];

		snprintf(moved, sizeof(moved), "%s.moved", a_dir);
		PROBE(rename(a_dir, moved) == 0 && mkdir(a_dir, 0755) == 0);
		PROBE(sbx_mirror(&d, 1, &userns, why, sizeof(why)) == -1);
		PROBE(strstr(why, "no longer the directory granted") != NULL);
	} else {
		d.host = "/nonexistent-nonehost-dir";
		PROBE(sbx_mirror(&d, 1, &userns, why, sizeof(why)) == -1);
		PROBE(strstr(why, "/nonexistent-nonehost-dir") != NULL);
	}
	PROBE(access("/etc", F_OK) == 0); /* still the old root */
	CHILD_EXIT(0);
}

START_TEST(test_refused)
{
	struct outcome o;

	unit_fork(refused, &_i, &o, NULL, NULL);
	expect_exit(&o, 0);
}
END_TEST

/* A directory no path leads to (in a tmpfs attached nowhere: the run's
 * directory in memory, fs-shim/fsshim_tmp.c) is mounted by its descriptor,
 * and still checked to be the one given. */
static void by_descriptor(const void *arg)
{
	const bool wrong = *(const int *)arg;
	struct sbx_mirror_dir d = {.host = "(memory)/tmp", .at = "/run/tmp"};
	char why[256], buf[8];
	struct stat st;
	bool userns;
	int m, t, f;

	/* not root: a tmpfs needs a user namespace first, as memory_fs makes */
	PROBE(geteuid() == 0 || sbx_unshare_mount(&userns) == 0);
	m = sbx_tmpfs("0700", NULL);
	PROBE(m >= 0 && mkdirat(m, "tmp", 0700) == 0 && mkdirat(m, "other", 0700) == 0);
	PROBE((t = openat(m, "tmp", O_PATH | O_DIRECTORY | O_CLOEXEC)) >= 0);
	PROBE((f = openat(t, "f", O_CREAT | O_WRONLY | O_CLOEXEC, 0600)) >= 0);
	PROBE(write(f, "mem", 3) == 3 && close(f) == 0);
	PROBE(fstatat(m, wrong ? "other" : "tmp", &st, 0) == 0);
	d.fd = t;
	d.dev = st.st_dev;
	d.ino = st.st_ino;
	if (wrong) {
		PROBE(sbx_mirror(&d, 1, &userns, why, sizeof(why)) == -1);
		PROBE(strstr(why, "(memory)/tmp is no longer the directory granted") != NULL);
		CHILD_EXIT(0);
	}
	PROBE(sbx_mirror(&d, 1, &userns, why, sizeof(why)) == 0);
	PROBE((f = open("/run/tmp/f", O_RDONLY)) >= 0);
	PROBE(read(f, buf, sizeof(buf)) == 3 && memcmp(buf, "mem", 3) == 0);
	PROBE(stat("/run/other", &st) != 0 && errno == ENOENT);
	CHILD_EXIT(0);
}

START_TEST(test_by_descriptor)
{
	struct outcome o;

	unit_fork(by_descriptor, &_i, &o, NULL, NULL);
	expect_exit(&o, 0);
}
END_TEST

Suite *mirror_suite(void)
{
	Suite *s = suite_create("mirror");
	TCase *tc = tcase_create("root");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_only_the_dirs);
	tcase_add_test(tc, test_only_the_dirs_as_nobody);
	tcase_add_loop_test(tc, test_refused, 0, 2);
	tcase_add_loop_test(tc, test_by_descriptor, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}
