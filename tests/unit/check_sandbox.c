/*
 * check_sandbox.c - unit tests of sandbox/: each layer applied for real in
 * a forked child (libcheck's test process stays unconfined, so it can judge
 * the result), then probed from inside:
 *   no_new_privs    prctl(PR_GET_NO_NEW_PRIVS) says 1;
 *   rlimits         getrlimit reads back the limits;
 *   capabilities    capget empty, bounding and ambient sets empty, and as
 *                   root a mode-0000 file and setuid() are refused;
 *   Landlock        open, mkdir, TCP connect/bind and a signal to the
 *                   parent are refused (each shown to work just before);
 *   seccomp         the whole sbx_apply(): the host's own calls work, and a
 *                   table of forbidden calls (and ones with forbidden
 *                   arguments) each end the child with 159 and one line
 *                   naming the call; i386 and x32 calls too; a SIGSYS sent
 *                   from outside kills by signal without a report.
 * A child reports a failed probe as "child: line N: <what>" on stderr and exit 1.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/io_uring.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"
#include "unit.h"

/* The host context the SIGSYS report reads (zero: no guest RAM, so every
 * violation here is reported as the host's). */
struct nh_host nh_host;

/* Children leave with exit_group itself: glibc's _exit is wrapped by ASan,
 * whose wrapper makes system calls (sigaltstack) the filter forbids. */
/* Run fn(arg) in a child whose stderr is captured, then exit 0 if fn
 * returns. If on_ready is set, it is called once the child has written
 * "ready\n". */
struct child_call {
	void (*fn)(const void *);
	const void *arg;
};

static void run_child(const void *p)
{
	const struct child_call *c = p;

	c->fn(c->arg);
	CHILD_EXIT(0);
}

static void call_on_ready(pid_t pid, const void *f)
{
	(*(void (*const *)(pid_t))f)(pid);
}

static void in_child(void (*fn)(const void *), const void *arg, struct outcome *o,
                     void (*on_ready)(pid_t))
{
	struct child_call c = {fn, arg};

	unit_fork(run_child, &c, o, on_ready != NULL ? call_on_ready : NULL, &on_ready);
}

/* ---- no_new_privs, rlimits, capabilities ------------------------------- */

static void child_nnp(const void *arg)
{
	(void)arg;
	sbx_no_new_privs();
	PROBE(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1);
}

START_TEST(test_no_new_privs)
{
	struct outcome o;

	in_child(child_nnp, NULL, &o, NULL);
	expect_exit(&o, 0);
}
END_TEST

static void child_rlimits(const void *arg)
{
	struct sbx_policy p;
	struct rlimit rl;

	(void)arg;
	sbx_policy_init(&p);
	sbx_rlimits(&p);
	PROBE(getrlimit(RLIMIT_NOFILE, &rl) == 0);
	PROBE(rl.rlim_cur == rl.rlim_max && rl.rlim_max <= p.nofile && p.nofile <= 64);
	PROBE(getrlimit(RLIMIT_CORE, &rl) == 0 && rl.rlim_cur == 0 && rl.rlim_max == 0);
	PROBE(getrlimit(RLIMIT_NPROC, &rl) == 0 && rl.rlim_cur == 0 && rl.rlim_max == 0);
	/* with the capabilities gone, no limit can be raised again */
	sbx_drop_caps();
	rl = (struct rlimit){1 << 20, 1 << 20};
	PROBE(setrlimit(RLIMIT_CORE, &rl) != 0 && errno == EPERM);
}

START_TEST(test_rlimits)
{
	struct outcome o;

	in_child(child_rlimits, NULL, &o, NULL);
	expect_exit(&o, 0);
}
END_TEST

static const char locked_file[] = "/tmp/nonehost-check-sandbox-0000";

/* Is capability v in our effective set? */
static bool has_cap(cap_value_t v)
{
	cap_t c = cap_get_proc();
	cap_flag_value_t f = CAP_CLEAR;

	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(cap_get_flag(c, v, CAP_EFFECTIVE, &f), 0);
	cap_free(c);
	return f == CAP_SET;
}

struct caps_arg {
	bool setpcap; /* the bounding set can be dropped */
	bool root;    /* uid 0 with DAC_OVERRIDE, SETUID, CHOWN: the probes below bite */
};

static void child_caps(const void *arg)
{
	const struct caps_arg *a = arg;
	cap_t none = cap_init(), now;

	if (a->root) { /* as root, permissions do not stop us yet */
		int fd = open(locked_file, O_RDONLY);

		PROBE(fd >= 0);
		close(fd);
	}
	PROBE(sbx_drop_caps() == a->setpcap);
	now = cap_get_proc();
	PROBE(now != NULL && none != NULL && cap_compare(now, none) == 0);
	for (cap_value_t v = 0; v < cap_max_bits(); v++) {
		PROBE(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, v, 0, 0) == 0);
		if (a->setpcap)
			PROBE(prctl(PR_CAPBSET_READ, v, 0, 0, 0) == 0);
	}
	if (a->root) {
		PROBE(open(locked_file, O_RDONLY) < 0 && errno == EACCES);
		PROBE(setuid(65534) != 0 && errno == EPERM);
		PROBE(chown(locked_file, 65534, 65534) != 0 && errno == EPERM);
	}
}

START_TEST(test_caps_dropped)
{
	struct caps_arg a = {
		.setpcap = has_cap(CAP_SETPCAP),
		.root = geteuid() == 0 && has_cap(CAP_DAC_OVERRIDE) && has_cap(CAP_DAC_READ_SEARCH) &&
		        has_cap(CAP_SETUID) && has_cap(CAP_CHOWN),
	};
	struct outcome o;

	if (!a.root)
		fprintf(stderr, "# caps_dropped: not root, only the capability sets are checked\n");
	if (a.root) {
		int fd;

		unlink(locked_file);
		fd = open(locked_file, O_CREAT | O_EXCL | O_WRONLY, 0);
		ck_assert_int_ge(fd, 0);
		close(fd);
	}
	in_child(child_caps, &a, &o, NULL);
	if (a.root)
		unlink(locked_file);
	expect_exit(&o, 0);
}
END_TEST

/* ---- Landlock ------------------------------------------------------------ */

static void child_landlock_fs(const void *arg)
{
	int fd = open("/etc/passwd", O_RDONLY), abi;

	(void)arg;
	PROBE(fd >= 0); /* works before */
	close(fd);
	sbx_no_new_privs();
	abi = sbx_landlock(&(struct sbx_policy){.nrules = 0});
	PROBE(abi == sbx_landlock_abi() && abi > 0);
	PROBE(open("/etc/passwd", O_RDONLY) < 0 && errno == EACCES);
	PROBE(open("/tmp", O_RDONLY | O_DIRECTORY) < 0 && errno == EACCES);
	PROBE(mkdir("/tmp/nonehost-check-landlock", 0700) != 0 && errno == EACCES);
	PROBE(write(STDERR_FILENO, "", 0) == 0); /* descriptors opened before still work */
}

START_TEST(test_landlock_fs)
{
	struct outcome o;

	if (sbx_landlock_abi() == 0) {
		fprintf(stderr, "# skip landlock_fs: the kernel has no Landlock\n");
		return;
	}
	in_child(child_landlock_fs, NULL, &o, NULL);
	expect_exit(&o, 0);
}
END_TEST

static void child_landlock_net(const void *arg)
{
	const struct sockaddr_in *to = arg;
	struct sockaddr_in any = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int before = socket(AF_INET, SOCK_STREAM, 0), s;

	PROBE(before >= 0 && connect(before, (const struct sockaddr *)to, sizeof(*to)) == 0);
	close(before);
	sbx_no_new_privs();
	PROBE(sbx_landlock(&(struct sbx_policy){.nrules = 0}) >= 4);
	s = socket(AF_INET, SOCK_STREAM, 0); /* creating is not what Landlock handles */
	PROBE(s >= 0);
	PROBE(connect(s, (const struct sockaddr *)to, sizeof(*to)) != 0 && errno == EACCES);
	close(s);
	s = socket(AF_INET, SOCK_STREAM, 0);
	PROBE(s >= 0);
	PROBE(bind(s, (const struct sockaddr *)&any, sizeof(any)) != 0 && errno == EACCES);
}

START_TEST(test_landlock_tcp)
{
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(addr);
	struct outcome o;
	int l;

	if (sbx_landlock_abi() < 4) {
		fprintf(stderr, "# skip landlock_tcp: Landlock ABI %d < 4\n", sbx_landlock_abi());
		return;
	}
	l = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(l, 0);
	ck_assert_int_eq(bind(l, (struct sockaddr *)&addr, sizeof(addr)), 0);
	ck_assert_int_eq(listen(l, 4), 0);
	ck_assert_int_eq(getsockname(l, (struct sockaddr *)&addr, &len), 0);
	in_child(child_landlock_net, &addr, &o, NULL);
	close(l);
	expect_exit(&o, 0);
}
END_TEST

static void child_landlock_signal(const void *arg)
{
	(void)arg;
	PROBE(kill(getppid(), 0) == 0);
	sbx_no_new_privs();
	PROBE(sbx_landlock(&(struct sbx_policy){.nrules = 0}) >= 6);
	PROBE(kill(getppid(), 0) != 0 && errno == EPERM);
	PROBE(kill(getpid(), 0) == 0); /* itself: inside the domain */
}

START_TEST(test_landlock_signal_scope)
{
	struct outcome o;

	if (sbx_landlock_abi() < 6) {
		fprintf(stderr, "# skip landlock_signal_scope: Landlock ABI %d < 6\n",
		        sbx_landlock_abi());
		return;
	}
	in_child(child_landlock_signal, NULL, &o, NULL);
	expect_exit(&o, 0);
}
END_TEST

/* ---- seccomp: the whole sandbox ------------------------------------------ */

static void apply_all(void)
{
	struct sbx_policy p;

	sbx_policy_init(&p);
	sbx_apply(&p, false, NULL);
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Everything the running host does, issued directly (no vDSO). */
static volatile sig_atomic_t got_usr1;

static void on_usr1(int sig)
{
	(void)sig;
	got_usr1 = 1;
}

static void child_allowed(const void *arg)
{
	struct pollfd pfd = {.fd = STDERR_FILENO, .events = POLLOUT};
	struct sigaction sa = {.sa_handler = on_usr1};
	sigset_t set, old;
	uint64_t t0, until;
	struct timespec ts;
	char buf[256];

	(void)arg;
	apply_all();
	PROBE(write(STDERR_FILENO, "ok ", 3) == 3);
	PROBE(write(STDOUT_FILENO, "", 0) == 0);
	PROBE(syscall(SYS_getrandom, buf, sizeof(buf), 0) == (long)sizeof(buf));
	PROBE(syscall(SYS_clock_gettime, CLOCK_REALTIME, &ts) == 0 && ts.tv_sec > 1600000000);
	t0 = mono_ns();
	until = t0 + 2000000;
	ts = (struct timespec){(time_t)(until / 1000000000u), (long)(until % 1000000000u)};
	PROBE(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == 0);
	PROBE(mono_ns() >= until);
	PROBE(poll(&pfd, 1, -1) == 1);
	PROBE(syscall(SYS_getpid) == syscall(SYS_gettid));
	/* signal.c: SIGNAL, IDLE's mask and its wait for a signal, a raise */
	PROBE(sigaction(SIGUSR1, &sa, NULL) == 0);
	PROBE(sigaction(64, &sa, NULL) == 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	PROBE(sigprocmask(SIG_BLOCK, &set, &old) == 0);
	PROBE(raise(SIGUSR1) == 0);
	PROBE(got_usr1 == 0);
	t0 = mono_ns();
	PROBE(ppoll(NULL, 0, &(struct timespec){0, 1000000}, &old) < 0 && errno == EINTR);
	PROBE(got_usr1 == 1 && mono_ns() - t0 < 1000000000);
	PROBE(ppoll(NULL, 0, &(struct timespec){0, 1000000}, &old) == 0); /* the timeout */
	PROBE(sigprocmask(SIG_SETMASK, &old, NULL) == 0);
	PROBE(write(STDERR_FILENO, "done\n", 5) == 5);
}

START_TEST(test_seccomp_allows_the_host)
{
	struct outcome o;

	in_child(child_allowed, NULL, &o, NULL);
	expect_exit(&o, 0);
	ck_assert_str_eq(o.err, "ok done\n");
}
END_TEST

static char page[4096] __attribute__((aligned(4096)));
static char binsh[] = "/bin/sh";
static char *sh_argv[] = {binsh, NULL};
static struct io_uring_params uring_params;
static struct timespec short_ts = {0, 1000};
static char rand_buf[4096];

/* A forbidden call: the number, its arguments, and the name the report must give. */
static const struct forbidden {
	const char *name;
	long nr;
	long a[6];
} forbidden[] = {
	{"execve", SYS_execve, {(long)binsh, (long)sh_argv, 0}},
	{"openat", SYS_openat, {AT_FDCWD, (long)"/etc/passwd", O_RDONLY}},
	{"open", SYS_open, {(long)"/etc/passwd", O_RDONLY}},
	{"socket", SYS_socket, {AF_INET, SOCK_STREAM, 0}},
	{"ptrace", SYS_ptrace, {0 /* PTRACE_TRACEME */}},
	{"io_uring_setup", SYS_io_uring_setup, {8, (long)&uring_params}},
	{"mmap", SYS_mmap, {0, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0}},
	{"mmap", SYS_mmap, {0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0}},
	{"mprotect", SYS_mprotect, {(long)page, 4096, PROT_READ | PROT_EXEC}},
	{"madvise", SYS_madvise, {(long)page, 4096, MADV_REMOVE}}, /* only MADV_DONTNEED */
	{"brk", SYS_brk, {0}},
	{"write", SYS_write, {3, (long)"x", 1}},
	{"write", SYS_write, {0x100000001L, (long)"x", 1}}, /* fd 1 in the low half only */
	{"clock_nanosleep", SYS_clock_nanosleep, {CLOCK_MONOTONIC, 0, (long)&short_ts, 0}},
	{"clock_nanosleep", SYS_clock_nanosleep, {CLOCK_REALTIME, TIMER_ABSTIME, (long)&short_ts, 0}},
	{"nanosleep", SYS_nanosleep, {(long)&short_ts, 0}},
	{"clock_gettime", SYS_clock_gettime, {CLOCK_BOOTTIME, (long)&short_ts}},
	{"getrandom", SYS_getrandom, {(long)rand_buf, 16, GRND_NONBLOCK}},
	{"getrandom", SYS_getrandom, {(long)rand_buf, 257, 0}},
	{"poll", SYS_poll, {(long)rand_buf, 2, 0}},
	{"kill", SYS_kill, {1, 0}},
	{"getppid", SYS_getppid, {0}},
	{"tgkill", SYS_tgkill, {1, 1, 0}},
	{"rt_sigaction", SYS_rt_sigaction, {65, 0, 0, 8}},
	{"ppoll", SYS_ppoll, {(long)rand_buf, 1, 0, 0, 8}},
	{"ppoll", SYS_ppoll, {0, 1, 0, 0, 8}},
	{"clone", SYS_clone, {SIGCHLD, 0, 0, 0, 0}},
	{"clone3", SYS_clone3, {(long)rand_buf, 88}},
	{"fork", SYS_fork, {0}},
	{"exit", SYS_exit, {0}},
	{"setuid", SYS_setuid, {0}},
	{"prctl", SYS_prctl, {PR_SET_DUMPABLE, 1}},
	{"seccomp", SYS_seccomp, {0, 0, 0}},
	{"dup", SYS_dup, {1}},
	{"memfd_create", SYS_memfd_create, {(long)"x", 0}},
	{"process_vm_readv", SYS_process_vm_readv, {1, 0, 0, 0, 0, 0}},
	{"sigaltstack", SYS_sigaltstack, {0, (long)rand_buf}},
	{"landlock_create_ruleset", SYS_landlock_create_ruleset, {0, 0, 1}},
	{"unknown system call", 999, {0}},
};

static void child_forbidden(const void *arg)
{
	const struct forbidden *f = arg;
	long r;

	if (dup2(STDERR_FILENO, 3) != 3) /* fd 3 exists: the filter refuses it, not the kernel */
		CHILD_EXIT(2);
	apply_all();
	r = syscall(f->nr, f->a[0], f->a[1], f->a[2], f->a[3], f->a[4], f->a[5]);
	dprintf(STDERR_FILENO, "child: %s returned %ld (errno %d)\n", f->name, r, errno);
	CHILD_EXIT(1);
}

START_TEST(test_seccomp_forbidden)
{
	const struct forbidden *f = &forbidden[_i];
	char want[128];
	struct outcome o;

	in_child(child_forbidden, f, &o, NULL);
	expect_exit(&o, NH_EXIT_SANDBOX);
	snprintf(want, sizeof(want), "nonehost: sandbox violation: %s (%ld) from host pc 0x", f->name,
	         f->nr);
	ck_assert_msg(strncmp(o.err, want, strlen(want)) == 0, "want \"%s...\", got \"%s\"", want, o.err);
	ck_assert_msg(strchr(o.err, '\n') == o.err + strlen(o.err) - 1, "one line: \"%s\"", o.err);
}
END_TEST

/* Other ABIs on the same CPU: i386 through int $0x80, x32 numbers. */
static void child_foreign_abi(const void *arg)
{
	long nr = *(const long *)arg, r;

	apply_all();
	if (nr < 0x40000000)
		__asm__ volatile("int $0x80" : "=a"(r) : "a"(nr) : "memory");
	else
		__asm__ volatile("syscall" : "=a"(r) : "a"(nr) : "rcx", "r11", "memory");
	dprintf(STDERR_FILENO, "child: call %ld returned %ld\n", nr, r);
	CHILD_EXIT(1);
}

START_TEST(test_seccomp_foreign_abi)
{
	static const long i386_getpid = 20, x32_getpid = 0x40000000 + 39;
	struct outcome o;

	in_child(child_foreign_abi, &i386_getpid, &o, NULL);
	expect_exit(&o, NH_EXIT_SANDBOX);
	ck_assert_msg(strstr(o.err, "sandbox violation: getpid (i386 20) from host pc") == o.err + 10,
	              "%s", o.err);
	in_child(child_foreign_abi, &x32_getpid, &o, NULL);
	expect_exit(&o, NH_EXIT_SANDBOX);
	ck_assert_msg(strstr(o.err, "sandbox violation: getpid (x32 1073741863) from host pc") ==
	              o.err + 10, "%s", o.err);
}
END_TEST

static void child_wait(const void *arg)
{
	struct timespec ts = {0, 0};

	(void)arg;
	apply_all();
	if (write(STDERR_FILENO, "ready\n", 6) != 6)
		CHILD_EXIT(1);
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	ts.tv_sec += 10;
	syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	CHILD_EXIT(1);
}

static void send_sigsys(pid_t pid)
{
	kill(pid, SIGSYS);
}

START_TEST(test_sent_sigsys_is_no_violation)
{
	struct outcome o;

	in_child(child_wait, NULL, &o, send_sigsys);
	ck_assert_msg(WIFSIGNALED(o.status) && WTERMSIG(o.status) == SIGSYS,
	              "status 0x%x, stderr %s", o.status, o.err);
	ck_assert_str_eq(o.err, "ready\n");
}
END_TEST

/* ---- the policy and the name tables ---------------------------------------- */

START_TEST(test_policy)
{
	static const int never[] = {
		SCMP_SYS(execve), SCMP_SYS(execveat), SCMP_SYS(open), SCMP_SYS(openat),
		SCMP_SYS(openat2), SCMP_SYS(socket), SCMP_SYS(ptrace), SCMP_SYS(io_uring_setup),
		SCMP_SYS(mmap), SCMP_SYS(clone), SCMP_SYS(clone3),
		SCMP_SYS(fork), SCMP_SYS(kill), SCMP_SYS(setuid), SCMP_SYS(prctl),
		SCMP_SYS(process_vm_writev), SCMP_SYS(seccomp), SCMP_SYS(bpf),
	};
	struct sbx_policy p;
	const char *abi;

	sbx_policy_init(&p);
	ck_assert_uint_eq(sbx_policy_nsyscalls(&p), 15);
	ck_assert_uint_eq(p.nofile, 32);
	ck_assert_uint_eq(p.nproc, 0);
	for (unsigned i = 0; i < p.nrules; i++) {
		ck_assert_ptr_nonnull(p.rule[i].why);
		ck_assert_ptr_nonnull(sbx_syscall_name(AUDIT_ARCH_X86_64, p.rule[i].nr, &abi));
		for (size_t j = 0; j < sizeof(never) / sizeof(never[0]); j++)
			ck_assert_int_ne(p.rule[i].nr, never[j]);
		/* MEM_PROTECT's mprotect: only with every bit but READ and
		 * WRITE clear, PROT_EXEC included. */
		if (p.rule[i].nr == SCMP_SYS(mprotect)) {
			ck_assert_uint_eq(p.rule[i].nargs, 1);
			ck_assert_uint_eq(p.rule[i].arg[0].arg, 2);
			ck_assert_int_eq(p.rule[i].arg[0].op, SCMP_CMP_MASKED_EQ);
			ck_assert_uint_eq(p.rule[i].arg[0].datum_a & PROT_EXEC, PROT_EXEC);
			ck_assert_uint_eq(p.rule[i].arg[0].datum_a & (PROT_READ | PROT_WRITE), 0);
			ck_assert_uint_eq(p.rule[i].arg[0].datum_b, 0);
		}
		/* MEM_RELEASE's madvise: MADV_DONTNEED alone. */
		if (p.rule[i].nr == SCMP_SYS(madvise)) {
			ck_assert_uint_eq(p.rule[i].nargs, 1);
			ck_assert_uint_eq(p.rule[i].arg[0].arg, 2);
			ck_assert_int_eq(p.rule[i].arg[0].op, SCMP_CMP_EQ);
			ck_assert_uint_eq(p.rule[i].arg[0].datum_a, MADV_DONTNEED);
		}
	}
}
END_TEST

START_TEST(test_policy_full)
{
	struct sbx_policy p;

	sbx_policy_init(&p);
	if (freopen("/dev/null", "w", stderr) == NULL) /* the expected message */
		return;
	for (int i = 0; i <= SBX_MAX_RULES; i++)
		sbx_allow(&p, SCMP_SYS(read), "test", 0, NULL);
}
END_TEST

START_TEST(test_names)
{
	const char *abi = "?";

	ck_assert_str_eq(sbx_syscall_name(AUDIT_ARCH_X86_64, 59, &abi), "execve");
	ck_assert_str_eq(abi, "");
	ck_assert_str_eq(sbx_syscall_name(AUDIT_ARCH_X86_64, 0, &abi), "read");
	ck_assert_str_eq(sbx_syscall_name(AUDIT_ARCH_X86_64, SYS_io_uring_setup, &abi),
	                 "io_uring_setup");
	ck_assert_str_eq(sbx_syscall_name(AUDIT_ARCH_I386, 11, &abi), "execve");
	ck_assert_str_eq(abi, "i386 ");
	ck_assert_str_eq(sbx_syscall_name(AUDIT_ARCH_X86_64, 0x40000000 + 39, &abi), "getpid");
	ck_assert_str_eq(abi, "x32 ");
	ck_assert_ptr_null(sbx_syscall_name(AUDIT_ARCH_X86_64, 999, &abi));
	ck_assert_ptr_null(sbx_syscall_name(AUDIT_ARCH_X86_64, -1, &abi));
	ck_assert_ptr_null(sbx_syscall_name(AUDIT_ARCH_X86_64, 0x7fffffff, &abi));
	ck_assert_ptr_null(sbx_syscall_name(AUDIT_ARCH_AARCH64, 59, &abi));
}
END_TEST

Suite *sandbox_suite(void)
{
	Suite *s = suite_create("sandbox");
	TCase *layers = tcase_create("layers"), *filter = tcase_create("seccomp");
	TCase *policy = tcase_create("policy");

	tcase_add_test(layers, test_no_new_privs);
	tcase_add_test(layers, test_rlimits);
	tcase_add_test(layers, test_caps_dropped);
	tcase_add_test(layers, test_landlock_fs);
	tcase_add_test(layers, test_landlock_tcp);
	tcase_add_test(layers, test_landlock_signal_scope);
	tcase_add_test(filter, test_seccomp_allows_the_host);
	tcase_add_loop_test(filter, test_seccomp_forbidden, 0,
	                    (int)(sizeof(forbidden) / sizeof(forbidden[0])));
	tcase_add_test(filter, test_seccomp_foreign_abi);
	tcase_add_test(filter, test_sent_sigsys_is_no_violation);
	tcase_add_test(policy, test_policy);
	tcase_add_exit_test(policy, test_policy_full, NH_EXIT_USAGE);
	tcase_add_test(policy, test_names);
	suite_add_tcase(s, layers);
	suite_add_tcase(s, filter);
	suite_add_tcase(s, policy);
	return s;
}
