/*
 * check_supervisor.c - unit tests of the supervising parent's confinement
 * (sandbox/sbx_supervise.c sbx_confine_supervisor, sbx_policy.c
 * sbx_supervisor_policy_init, fs-shim/fsshim_policy.c fsshim_tmp_policy).
 *
 * Each test lays out B (a fresh directory under /tmp): B/tmp stands for the
 * private TMPDIR, B/canary and B/outside/file lie outside it. A forked child
 * forks a sleeping "image" of its own, applies the supervisor's layers with
 * B/tmp as the TMPDIR and that pid as its child, and probes from inside:
 * - Landlock alone: reading outside, creating in the TMPDIR, unlinking a file
 *   outside are EACCES; removing an empty directory below B works (the
 *   documented trade-off of REMOVE_DIR on the TMPDIR's parent); the signal
 *   scope is off (the child can be signalled).
 * - everything: an open outside with the allowed flags is EACCES
 *   (Landlock), any other open, creating in the TMPDIR, execve, socket,
 *   fork, kill of another pid are EPERM (the default) and the process
 *   lives on; signalling the child (any signal), SIGKILL of the child and
 *   waiting for it work.
 * - a hostile TMPDIR (links out to a file and to a directory, a hard link to
 *   the canary, a fifo, chmod-0 directories, 200-deep nesting) is removed
 *   completely under the whole confinement, while the canary and B/outside
 *   stay as they were.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"
#include "unit.h"

#define DEPTH 200

static char B[PATH_MAX], TMP[PATH_MAX + 8], CANARY[PATH_MAX + 8], OUTSIDE[PATH_MAX + 8];
static const char canary_text[] = "canary: must stay untouched\n";

static void put(const char *path, const char *text)
{
	int fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0644);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	ck_assert_int_eq(close(fd), 0);
}

static void setup(void)
{
	char p[PATH_MAX + 32];

	snprintf(B, sizeof(B), "/tmp/nh-sup.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(B));
	snprintf(TMP, sizeof(TMP), "%s/tmp", B);
	snprintf(CANARY, sizeof(CANARY), "%s/canary", B);
	snprintf(OUTSIDE, sizeof(OUTSIDE), "%s/outside", B);
	ck_assert_int_eq(mkdir(TMP, 0700), 0);
	ck_assert_int_eq(mkdir(OUTSIDE, 0700), 0);
	put(CANARY, canary_text);
	snprintf(p, sizeof(p), "%s/file", OUTSIDE);
	put(p, "outside\n");
}

/* What a confinement must leave outside the TMPDIR, then B removed. */
static void teardown(void)
{
	char p[PATH_MAX + 32], buf[64] = {0};
	int fd = open(CANARY, O_RDONLY);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(read(fd, buf, sizeof(buf) - 1), (ssize_t)strlen(canary_text));
	ck_assert_str_eq(buf, canary_text);
	close(fd);
	snprintf(p, sizeof(p), "%s/file", OUTSIDE);
	ck_assert_int_eq(access(p, F_OK), 0);
	ck_assert_int_eq(unlink(p), 0);
	ck_assert_int_eq(rmdir(OUTSIDE), 0);
	ck_assert_int_eq(unlink(CANARY), 0);
	if (access(TMP, F_OK) == 0)
		ck_assert_int_eq(fsshim_rmtree(TMP), 0);
	ck_assert_int_eq(rmdir(B), 0);
}

/* The supervisor's policy for TMP, with a sleeping child of our own. */
static pid_t supervisor_policy(struct sbx_policy *p)
{
	static struct nh_host h;
	pid_t child = fork();

	PROBE(child >= 0);
	if (child == 0) {
		pause();
		CHILD_EXIT(0);
	}
	h.fs.run.made = true; /* TMP stands for the run's directory */
	PROBE(strlen(TMP) < sizeof(h.fs.run.dir));
	memcpy(h.fs.run.dir, TMP, strlen(TMP) + 1);
	snprintf(h.fs.run.runs, sizeof(h.fs.run.runs), "%.*s", (int)(strrchr(TMP, '/') - TMP), TMP);
	sbx_supervisor_policy_init(p, child);
	fsshim_tmp_policy(p, &h);
	return child;
}

static void landlock_only(const void *arg)
{
	char p[PATH_MAX + 32];
	struct sbx_policy pol;
	pid_t child = supervisor_policy(&pol);

	(void)arg;
	PROBE(open(CANARY, O_RDONLY) >= 0); /* before: it works */
	sbx_no_new_privs();
	PROBE(sbx_landlock(&pol) >= 1);
	errno = 0;
	PROBE(open(CANARY, O_RDONLY) < 0 && errno == EACCES);
	PROBE(open(OUTSIDE, O_RDONLY | O_DIRECTORY) < 0 && errno == EACCES);
	snprintf(p, sizeof(p), "%s/new", TMP);
	PROBE(open(p, O_CREAT | O_WRONLY, 0600) < 0 && errno == EACCES);
	PROBE(mkdir(p, 0700) < 0 && errno == EACCES);
	PROBE(unlink(CANARY) < 0 && errno == EACCES);
	PROBE(open(TMP, O_RDONLY | O_DIRECTORY) >= 0); /* READ_DIR beneath the TMPDIR */
	/* the trade-off: REMOVE_DIR on the parent reaches every empty directory below it */
	snprintf(p, sizeof(p), "%s/empty", OUTSIDE);
	PROBE(rmdir(p) < 0 && errno == ENOENT);
	PROBE(kill(child, 0) == 0); /* no signal scope */
	PROBE(kill(child, SIGKILL) == 0);
	CHILD_EXIT(0);
}

START_TEST(test_landlock)
{
	struct outcome o;

	if (sbx_landlock_abi() == 0)
		return; /* the kernel has no Landlock: nothing to probe */
	unit_fork(landlock_only, NULL, &o, NULL, NULL);
	expect_exit(&o, 0);
}
END_TEST

static void everything(const void *arg)
{
	char p[PATH_MAX + 32];
	char *const argv[] = {"true", NULL};
	struct sbx_policy pol;
	pid_t child = supervisor_policy(&pol);
	int st;

	(void)arg;
	sbx_confine_supervisor(&pol);
	/* with the flags rmtree uses, seccomp lets it through and Landlock refuses */
	errno = 0;
	PROBE(open(OUTSIDE, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) < 0 && errno == EACCES);
	PROBE(open(B, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) < 0 && errno == EACCES);
	/* any other open, creation, execution, descriptor or process: EPERM */
	PROBE(open(CANARY, O_RDONLY) < 0 && errno == EPERM);
	snprintf(p, sizeof(p), "%s/new", TMP);
	PROBE(open(p, O_CREAT | O_WRONLY | O_CLOEXEC, 0600) < 0 && errno == EPERM);
	PROBE(mkdir(p, 0700) < 0 && errno == EPERM);
	PROBE(execve("/bin/true", argv, argv + 1) < 0 && errno == EPERM);
	PROBE(socket(AF_INET, SOCK_STREAM, 0) < 0 && errno == EPERM);
	PROBE(socket(AF_UNIX, SOCK_STREAM, 0) < 0 && errno == EPERM);
	PROBE(syscall(SYS_fork) < 0 && errno == EPERM);
	PROBE(syscall(SYS_setuid, 0) < 0 && errno == EPERM);
	PROBE(kill(getppid(), 0) < 0 && errno == EPERM);
	PROBE(kill(getppid(), SIGKILL) < 0 && errno == EPERM);
	PROBE(kill(-1, SIGKILL) < 0 && errno == EPERM);
	PROBE(kill(getppid(), SIGUSR1) < 0 && errno == EPERM);
	/* still alive, and doing its job: any signal to the child (one it
	 * catches is passed on), SIGKILL to end it */
	PROBE(kill(child, SIGCONT) == 0);
	PROBE(kill(child, SIGKILL) == 0);
	PROBE(waitpid(child, &st, 0) == child && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	PROBE(open(TMP, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) >= 3); /* READ_DIR there */
	CHILD_EXIT(0);
}

START_TEST(test_everything)
{
	struct outcome o;

	unit_fork(everything, NULL, &o, NULL, NULL);
	expect_exit(&o, 0);
	ck_assert_str_eq(o.err, "");
}
END_TEST

static void remove_hostile(const void *arg)
{
	struct sbx_policy pol;
	pid_t child = supervisor_policy(&pol);
	int st;

	(void)arg;
	sbx_confine_supervisor(&pol);
	PROBE(kill(child, SIGKILL) == 0 && waitpid(child, &st, 0) == child);
	PROBE(fsshim_rmtree(TMP) == 0);
	CHILD_EXIT(0);
}

START_TEST(test_hostile_tree)
{
	char p[PATH_MAX + 64];
	struct outcome o;
	struct stat st;
	int fd;

	snprintf(p, sizeof(p), "%s/up", TMP);
	ck_assert_int_eq(symlink("../canary", p), 0);
	snprintf(p, sizeof(p), "%s/out", TMP);
	ck_assert_int_eq(symlink(OUTSIDE, p), 0);
	snprintf(p, sizeof(p), "%s/root", TMP);
	ck_assert_int_eq(symlink("/", p), 0);
	snprintf(p, sizeof(p), "%s/hard", TMP);
	ck_assert_int_eq(link(CANARY, p), 0);
	snprintf(p, sizeof(p), "%s/fifo", TMP);
	ck_assert_int_eq(mkfifo(p, 0600), 0);
	snprintf(p, sizeof(p), "%s/locked", TMP);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/locked/inside", TMP);
	put(p, "x\n");
	snprintf(p, sizeof(p), "%s/locked", TMP);
	ck_assert_int_eq(chmod(p, 0), 0);
	/* 200 levels, relative (deeper than PATH_MAX allows by name), a chmod-0
	 * directory half-way and a file and a link out at the bottom */
	fd = open(TMP, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(fd, 0);
	for (int i = 0; i < DEPTH; i++) {
		int sub;

		ck_assert_int_eq(mkdirat(fd, "dddddddddddddddddddddddd", 0700), 0);
		sub = openat(fd, "dddddddddddddddddddddddd", O_RDONLY | O_DIRECTORY);
		ck_assert_int_ge(sub, 0);
		if (i == DEPTH / 2)
			ck_assert_int_eq(fchmod(fd, 0), 0);
		close(fd);
		fd = sub;
	}
	ck_assert_int_eq(symlinkat(CANARY, fd, "link"), 0);
	ck_assert_int_eq(mkfifoat(fd, "fifo", 0600), 0);
	close(fd);

	unit_fork(remove_hostile, NULL, &o, NULL, NULL);
	expect_exit(&o, 0);
	ck_assert_str_eq(o.err, "");
	errno = 0;
	ck_assert(lstat(TMP, &st) != 0 && errno == ENOENT);
	ck_assert_int_eq(stat(CANARY, &st), 0);
	ck_assert_int_eq((int)st.st_nlink, 1); /* the hard link went, the canary stayed */
}
END_TEST

Suite *supervisor_suite(void)
{
	Suite *s = suite_create("supervisor");
	TCase *tc = tcase_create("confined");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_landlock);
	tcase_add_test(tc, test_everything);
	tcase_add_test(tc, test_hostile_tree);
	suite_add_tcase(s, tc);
	return s;
}
