/*
 * check_isolate.c - unit tests of --isolate (sandbox/sbx_isolate.c), seen
 * from the host side, since a guest cannot look (it has no system calls).
 * A test forks X, X calls sbx_isolate() and becomes the waiting parent; the
 * child G it forks (PID 1 of the new namespace) probes and exits. Checked:
 *   G's /proc/self/ns/{user,mnt,ipc,net,pid} differ from the test's, G is
 *   PID 1, its network namespace has only lo, its uid_map maps our uid only;
 *   X leaves as G did: exit statuses 0, 42, 125, 126, 139, 159, a real
 *   SIGSEGV, a SIGKILL; a SIGTERM sent to X ends G and X dies by SIGTERM;
 *   a namespace the system refuses (a seccomp filter in X makes unshare of
 *   the network namespace EPERM) is one stderr line, and the rest is made.
 * G reports a failed probe as "child: line N: <what>" on stderr and exit 1.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"
#include "unit.h"

/* Fork X with stderr captured; X runs fn(arg), which calls sbx_isolate
 * (whose parent never returns: G's status is X's). */
struct x_call {
	void (*fn)(intptr_t);
	intptr_t arg;
};

static void run_x(const void *p)
{
	const struct x_call *c = p;

	c->fn(c->arg);
	_exit(3);
}

static void send_signal(pid_t pid, const void *sig)
{
	kill(pid, *(const int *)sig);
}

static void in_x(void (*fn)(intptr_t), intptr_t arg, struct outcome *o, int ready_signal)
{
	struct x_call c = {fn, arg};

	unit_fork(run_x, &c, o, ready_signal != 0 ? send_signal : NULL, &ready_signal);
}

static ino_t ns_inode(const char *name)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", name);
	if (stat(path, &st) != 0)
		return 0;
	return st.st_ino;
}

static ino_t before[SBX_NS_COUNT];

static void remember_namespaces(void)
{
	for (int t = 0; t < SBX_NS_COUNT; t++) /* pid: our own, G's is the new one */
		before[t] = ns_inode(t == SBX_NS_PID ? "pid" : sbx_namespaces[t].proc);
	for (int t = 0; t < SBX_NS_COUNT; t++)
		ck_assert_uint_ne(before[t], 0);
}

/* In G: the namespaces in mask are new, the others the test's. */
static void probe_namespaces(unsigned mask)
{
	for (int t = 0; t < SBX_NS_COUNT; t++) {
		ino_t now = ns_inode(t == SBX_NS_PID ? "pid" : sbx_namespaces[t].proc);

		PROBE(now != 0);
		if (mask & (1u << t))
			PROBE(now != before[t]);
		else
			PROBE(now == before[t]);
	}
}

/* In G: /proc/self/net/dev lists only lo (after two header lines). */
static void probe_only_lo(void)
{
	char buf[4096], *line;
	ssize_t n;
	int fd = open("/proc/self/net/dev", O_RDONLY), devices = 0;

	PROBE(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	PROBE(n > 0);
	buf[n] = '\0';
	close(fd);
	line = strtok(buf, "\n");
	for (int i = 0; line != NULL; i++, line = strtok(NULL, "\n")) {
		if (i < 2)
			continue;
		devices++;
		PROBE(strncmp(line + strspn(line, " "), "lo:", 3) == 0);
	}
	PROBE(devices == 1);
}

static void x_all(intptr_t arg)
{
	struct sbx_isolation iso;
	unsigned uid = (unsigned)geteuid(), in, out, count;
	FILE *f;

	(void)arg;
	sbx_isolate(false, &iso, NULL);
	PROBE(iso.made == (1u << SBX_NS_COUNT) - 1);
	PROBE(getpid() == 1);
	probe_namespaces(iso.made);
	probe_only_lo();
	f = fopen("/proc/self/uid_map", "r");
	PROBE(f != NULL);
	PROBE(fscanf(f, "%u %u %u", &in, &out, &count) == 3);
	PROBE(in == uid && out == uid && count == 1);
	PROBE(fscanf(f, "%u", &in) == EOF); /* nothing else mapped */
	fclose(f);
	CHILD_EXIT(0);
}

START_TEST(test_new_namespaces)
{
	struct outcome o;

	remember_namespaces();
	in_x(x_all, 0, &o, 0);
	expect_exit(&o, 0);
	ck_assert_str_eq(o.err, "");
}
END_TEST

static const int statuses[] = {0, 1, 42, NH_EXIT_USAGE, NH_EXIT_REJECTED, 139, NH_EXIT_SANDBOX, 255};

static void x_exit(intptr_t status)
{
	struct sbx_isolation iso;

	sbx_isolate(false, &iso, NULL);
	CHILD_EXIT((int)status);
}

START_TEST(test_exit_status_passes_through)
{
	struct outcome o;

	in_x(x_exit, statuses[_i], &o, 0);
	expect_exit(&o, statuses[_i]);
}
END_TEST

static void x_fault(intptr_t arg)
{
	struct sbx_isolation iso;

	(void)arg;
	sbx_isolate(false, &iso, NULL);
	*(volatile int *)(uintptr_t)(arg + 16) = 1; /* a real SIGSEGV kills even PID 1 */
	CHILD_EXIT(1);
}

static void x_wait(intptr_t arg)
{
	struct sbx_isolation iso;
	char self[32] = "";

	(void)arg;
	sbx_isolate(false, &iso, NULL);
	PROBE(readlink("/proc/self", self, sizeof(self) - 1) > 0); /* our pid outside */
	dprintf(STDERR_FILENO, "%s ready\n", self);
	for (;;)
		pause();
}

START_TEST(test_fault_passes_through)
{
	struct outcome o;

	in_x(x_fault, 0, &o, 0);
	ck_assert_msg(WIFSIGNALED(o.status) && WTERMSIG(o.status) == SIGSEGV && !WCOREDUMP(o.status),
	              "status 0x%x; stderr: %s", o.status, o.err);
}
END_TEST

START_TEST(test_sigterm_is_forwarded)
{
	struct outcome o;

	in_x(x_wait, 0, &o, _i == 0 ? SIGTERM : SIGINT);
	ck_assert_msg(WIFSIGNALED(o.status) && WTERMSIG(o.status) == (_i == 0 ? SIGTERM : SIGINT),
	              "status 0x%x; stderr: %s", o.status, o.err);
}
END_TEST

/* G is killed from outside by its own pid there: X dies by SIGKILL too. */
static void x_wait_pid(intptr_t arg)
{
	x_wait(arg);
}

START_TEST(test_child_killed)
{
	int pfd[2];
	char buf[64] = "";
	ssize_t n = 0;
	pid_t pid, g;
	int st;

	ck_assert_int_eq(pipe(pfd), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(pfd[1], STDERR_FILENO);
		close(pfd[0]);
		x_wait_pid(0);
	}
	close(pfd[1]);
	while (strstr(buf, "ready\n") == NULL && n < (ssize_t)sizeof(buf) - 1) {
		ssize_t k = read(pfd[0], buf + n, sizeof(buf) - 1 - (size_t)n);

		ck_assert_int_gt(k, 0);
		n += k;
		buf[n] = '\0';
	}
	g = (pid_t)atoi(buf);
	ck_assert_int_gt(g, 1);
	ck_assert_int_ne(g, pid);
	ck_assert_int_eq(kill(g, SIGKILL), 0);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	close(pfd[0]);
	ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "status 0x%x", st);
}
END_TEST

/* The system refuses the network namespace: one line, the rest is made. */
static void x_no_net(intptr_t arg)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	struct sbx_isolation iso;

	(void)arg;
	PROBE(ctx != NULL);
	PROBE(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
	PROBE(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(unshare), 1,
	                       SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWNET, CLONE_NEWNET)) == 0);
	PROBE(seccomp_load(ctx) == 0);
	seccomp_release(ctx);
	sbx_isolate(false, &iso, NULL);
	PROBE(iso.made == ((1u << SBX_NS_COUNT) - 1 - (1u << SBX_NS_NET)));
	PROBE(iso.err[SBX_NS_NET] == EPERM);
	PROBE(getpid() == 1);
	probe_namespaces(iso.made);
	CHILD_EXIT(0);
}

START_TEST(test_unavailable_namespace)
{
	struct outcome o;

	remember_namespaces();
	in_x(x_no_net, 0, &o, 0);
	expect_exit(&o, 0);
	ck_assert_str_eq(o.err, "nonehost: --isolate: going on without the namespaces this system "
	                        "refuses: network (Operation not permitted)\n");
}
END_TEST

static void x_trace(intptr_t arg)
{
	struct sbx_isolation iso;

	(void)arg;
	sbx_isolate(true, &iso, NULL);
	CHILD_EXIT(0);
}

START_TEST(test_trace_line)
{
	struct outcome o;
	static const char want[] = "[nh] isolate: namespaces: user, mount, ipc, network, pid (";

	in_x(x_trace, 0, &o, 0);
	expect_exit(&o, 0);
	ck_assert_msg(strncmp(o.err, want, sizeof(want) - 1) == 0, "stderr: %s", o.err);
	ck_assert_ptr_nonnull(strstr(o.err, " us)\n"));
}
END_TEST

Suite *isolate_suite(void)
{
	Suite *s = suite_create("isolate");
	TCase *tc = tcase_create("namespaces");

	tcase_add_test(tc, test_new_namespaces);
	tcase_add_loop_test(tc, test_exit_status_passes_through, 0,
	                    (int)(sizeof(statuses) / sizeof(statuses[0])));
	tcase_add_test(tc, test_fault_passes_through);
	tcase_add_loop_test(tc, test_sigterm_is_forwarded, 0, 2);
	tcase_add_test(tc, test_child_killed);
	tcase_add_test(tc, test_unavailable_namespace);
	tcase_add_test(tc, test_trace_line);
	suite_add_tcase(s, tc);
	return s;
}
