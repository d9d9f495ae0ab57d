/*
 * check_foreign.c - unit tests of a foreign image's dispatch (host/foreign.c)
 * and the emulator's allowlist (sandbox/sbx_qemu.c):
 * - foreign_peek: each machine of binfmt.c's table told apart by class and
 *   e_machine, this build's own left to the native path, and every other
 *   header (Linux OSABI, big-endian, bad magic, a class that does not fit
 *   the machine, every truncation) not foreign; real Linux executables of
 *   both kinds are not;
 * - foreign_qemu_arch, foreign_host_paths (the build tree and the installed
 *   layout, "/" and the root's children, too long, not absolute);
 * - foreign_words: the TMPDIR's --dir word becomes --tmpdir, a launcher
 *   started natively is --launcher-fd, the supervisor's signal page
 *   --signal-fd, --trace is
 *   passed on, --isolate is not, --net private becomes host with every
 *   port, and every word is one cli_parse accepts;
 * - the allowlist: no rule allows a call of the deny list, the errno rules
 *   and the network flags; loaded in a forked child: allowed calls work,
 *   clone3 is ENOSYS, socket(AF_UNIX) EACCES, unshare and fchmodat EPERM,
 *   and ptrace, mount, setns, bpf, socket(AF_INET) without the flag, clone
 *   with CLONE_NEWUSER and an i386 call each kill the child with SIGSYS.
 * The emulator's other layers and the whole path through qemu are
 * tests/foreign/run.sh's.
 */
#include <check.h>
#include <elf.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "host.h"
#include "sandbox.h"
#include "unit.h"
#include "unit_host.h"

/* A GOOS=none ELF header: magic, class, LSB, version, OSABI 255, ET_EXEC,
 * machine. */
static void header(uint8_t h[FOREIGN_HDR_LEN], uint8_t class, uint16_t machine)
{
	memset(h, 0, FOREIGN_HDR_LEN);
	memcpy(h, ELFMAG, SELFMAG);
	h[EI_CLASS] = class;
	h[EI_DATA] = ELFDATA2LSB;
	h[EI_VERSION] = EV_CURRENT;
	h[EI_OSABI] = ELFOSABI_STANDALONE;
	h[16] = ET_EXEC;
	h[18] = (uint8_t)machine;
	h[19] = (uint8_t)(machine >> 8);
}

START_TEST(test_peek)
{
	static const struct {
		uint8_t class;
		uint16_t machine;
		const char *want;
	} cases[] = {
		{ELFCLASS64, EM_X86_64, NULL}, /* this build's own: the native path */
		{ELFCLASS64, EM_AARCH64, "arm64"},
		{ELFCLASS64, EM_RISCV, "riscv64"},
		{ELFCLASS32, EM_ARM, "arm"},
		{ELFCLASS32, EM_AARCH64, NULL},
		{ELFCLASS32, EM_RISCV, NULL}, /* riscv32 */
		{ELFCLASS64, EM_ARM, NULL},
		{ELFCLASS32, EM_386, NULL},
		{ELFCLASS64, EM_PPC64, NULL},
		{ELFCLASS64, 0, NULL},
	};
	uint8_t h[FOREIGN_HDR_LEN];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got;

		header(h, cases[i].class, cases[i].machine);
		got = foreign_peek(h, sizeof(h));
		if (cases[i].want == NULL)
			ck_assert_msg(got == NULL, "machine %u class %u: %s", cases[i].machine,
			              cases[i].class, got);
		else
			ck_assert_msg(got != NULL && strcmp(got, cases[i].want) == 0,
			              "machine %u: %s, want %s", cases[i].machine, got ? got : "NULL",
			              cases[i].want);
	}
	header(h, ELFCLASS64, EM_AARCH64);
	for (size_t n = 0; n < sizeof(h); n++)
		ck_assert_msg(foreign_peek(h, n) == NULL, "truncated to %zu bytes", n);
	ck_assert_str_eq(foreign_peek(h, sizeof(h) + 0), "arm64");
	h[EI_OSABI] = ELFOSABI_NONE;
	ck_assert_ptr_null(foreign_peek(h, sizeof(h)));
	h[EI_OSABI] = ELFOSABI_LINUX;
	ck_assert_ptr_null(foreign_peek(h, sizeof(h)));
	header(h, ELFCLASS64, EM_AARCH64);
	h[EI_DATA] = ELFDATA2MSB;
	ck_assert_ptr_null(foreign_peek(h, sizeof(h)));
	header(h, ELFCLASS64, EM_AARCH64);
	h[0] = 0x7e;
	ck_assert_ptr_null(foreign_peek(h, sizeof(h)));
}
END_TEST

/* Real Linux executables of this machine and another are not foreign
 * images (the native path rejects them with the reason). */
START_TEST(test_peek_linux)
{
	static const char *const files[] = {"/bin/sh", "/usr/bin/qemu-aarch64-static",
	                                    "/usr/aarch64-linux-gnu/lib/libc.so.6",
	                                    "/usr/riscv64-linux-gnu/lib/libc.so.6"};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		uint8_t h[FOREIGN_HDR_LEN];
		int fd = open(files[i], O_RDONLY | O_CLOEXEC);

		if (fd < 0)
			continue; /* not installed here */
		ck_assert_int_eq(read(fd, h, sizeof(h)), (int)sizeof(h));
		close(fd);
		ck_assert_msg(foreign_peek(h, sizeof(h)) == NULL, "%s", files[i]);
	}
}
END_TEST

START_TEST(test_paths)
{
	static const struct {
		const char *exe, *build, *installed;
	} cases[] = {
		{"/work/main/build/nonehost", "/work/main/build/arm64/nonehost",
		 "/work/main/lib/nonehost/arm64/nonehost"},
		{"/usr/local/bin/nonehost", "/usr/local/bin/arm64/nonehost",
		 "/usr/local/lib/nonehost/arm64/nonehost"},
		{"/opt/nh/bin/nh", "/opt/nh/bin/arm64/nonehost", "/opt/nh/lib/nonehost/arm64/nonehost"},
		{"/bin/nonehost", "/bin/arm64/nonehost", "/lib/nonehost/arm64/nonehost"},
		{"/nonehost", "/arm64/nonehost", "/lib/nonehost/arm64/nonehost"},
	};
	char b[64], in[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert(foreign_host_paths(cases[i].exe, "arm64", b, in, sizeof(b)));
		ck_assert_str_eq(b, cases[i].build);
		ck_assert_str_eq(in, cases[i].installed);
	}
	ck_assert(!foreign_host_paths("nonehost", "arm64", b, in, sizeof(b)));
	ck_assert(!foreign_host_paths("build/nonehost", "arm64", b, in, sizeof(b)));
	/* "/work/main/lib/nonehost/arm64/nonehost" is 38 bytes: 39 fit, 38 not */
	ck_assert(foreign_host_paths("/work/main/build/nonehost", "arm64", b, in, 39));
	ck_assert(!foreign_host_paths("/work/main/build/nonehost", "arm64", b, in, 38));
	ck_assert_str_eq(foreign_qemu_arch("arm64"), "aarch64");
	ck_assert_str_eq(foreign_qemu_arch("riscv64"), "riscv64");
	ck_assert_str_eq(foreign_qemu_arch("arm"), "arm");
	ck_assert_ptr_null(foreign_qemu_arch("mips"));
}
END_TEST

static struct nh_host W;
static struct foreign F = {.h = &W, .image_fd = -1, .ifaces_fd = -1};
static int signal_fd = -1; /* the supervisor's page, passed on (-1: none) */

static void host_of(char **argv) { unit_host_of(&W, argv); }

/* The emulator's words, parsed back as the foreign host would. */
static void words_of(struct nh_opts *o)
{
	static struct launch_words w;
	static char *argv[LAUNCH_MAX_WORDS + 4];
	char err[256];
	unsigned n = 0;

	ck_assert_int_eq(foreign_words(&F, signal_fd, &w), 0);
	argv[n++] = "nonehost";
	argv[n++] = "run";
	for (unsigned i = 0; i < w.n; i++) {
		ck_assert_msg(strcmp(w.word[i], "--dir=/tmp/nonehost.A/tmp:/tmp/nonehost.A/tmp:rw") != 0,
		              "the TMPDIR stays a --dir word");
		argv[n++] = w.word[i];
	}
	argv[n++] = "--";
	argv[n++] = "/img/app.elf";
	ck_assert_int_eq(cli_parse((int)n, argv, o, err, sizeof(err)), CLI_RUN);
	ck_assert_str_eq(o->image, "/img/app.elf");
}

START_TEST(test_words)
{
	struct nh_opts o;

	host_of((char *[]){"nonehost", "--memory=64M", "--trace", "--isolate", "--net", "private",
	                   "img", NULL});
	words_of(&o);
	ck_assert_str_eq(o.tmpdir, "/tmp/nonehost.A/tmp");
	ck_assert_str_eq(o.cwd, "/work"); /* the guest's, as this host found it */
	ck_assert_uint_eq(o.ndirs, 2);
	ck_assert_str_eq(o.dir[0], "/srv/data:/data:rw");
	ck_assert_str_eq(o.dir[1], "/work:/work:ro");
	ck_assert(o.trace);
	ck_assert(!o.isolate); /* made by the native nonehost */
	ck_assert_uint_eq(o.memory, 64u << 20);
	ck_assert(o.memory_given);
	ck_assert_int_eq(o.net.mode, NSS_HOST); /* in the private namespace made outside */
	ck_assert_uint_eq(o.net.nconnect, 1);
	ck_assert_int_eq(o.launcher_fd, 0); /* no launcher started */
	/* the native launcher's control socket, passed across the exec */
	W.proc.ready = true;
	W.proc.ctl = 7;
	words_of(&o);
	ck_assert_int_eq(o.launcher_fd, 7);
	ck_assert_uint_eq(o.max_procs, LAUNCH_MAX_PROCS);
	ck_assert_int_eq(o.signal_fd, 0); /* no supervisor */
	/* the supervisor's signal page, passed across the exec too */
	signal_fd = 8;
	words_of(&o);
	ck_assert_int_eq(o.signal_fd, 8);
	ck_assert_int_eq(o.launcher_fd, 7);
	ck_assert_str_eq(o.tmpdir, "/tmp/nonehost.A/tmp"); /* the host forks no supervisor */
	ck_assert(!o.isolate);
	signal_fd = -1;
	host_of((char *[]){"nonehost", "--max-procs=0", "img", NULL});
	words_of(&o);
	/* no --memory: the foreign host's own default (arm's is not this one's) */
	ck_assert(!o.memory_given);
	ck_assert(!o.trace);
	ck_assert_uint_eq(o.max_procs, 0);
	ck_assert_int_eq(o.net.mode, NSS_NONE);
	ck_assert_int_eq(o.inherit_fds, 0);
	ck_assert_ptr_null(o.localtime); /* the host's /etc/localtime is no link */
	ck_assert_int_eq(o.ifaces_fd, 0); /* no table passed */
	F.ifaces_fd = 11; /* the interfaces' table, taken here */
	words_of(&o);
	ck_assert_int_eq(o.ifaces_fd, 11);
	F.ifaces_fd = -1;
	/* ... and when it is one: its target (the foreign host's root has no /etc) */
	strcpy(W.fs.localtime, "../usr/share/zoneinfo/Europe/Berlin");
	words_of(&o);
	ck_assert_str_eq(o.localtime, "../usr/share/zoneinfo/Europe/Berlin");
	W.fs.localtime[0] = '\0';
	/* a child image's inherited descriptors: passed on by number (the
	 * emulator keeps them), so the foreign host adopts as many */
	host_of((char *[]){"nonehost", "--inherit-fds=6", "--parent-pid=77", "img", NULL});
	words_of(&o);
	ck_assert_int_eq(o.inherit_fds, 6);
	ck_assert_int_eq(o.parent_pid, 77); /* the process ID is this process's: qemu's */
	ck_assert_int_eq(o.image_fd, 0);
	ck_assert(!o.own_root);
}
END_TEST

/* In the emulator's own root (foreign_root.c) no host path leads to the
 * grants or the image: each goes by its descriptor, and --own-root says so. */
START_TEST(test_words_rooted)
{
	struct nh_opts o;

	host_of((char *[]){"nonehost", "img", NULL});
	for (unsigned i = 0; i < W.fs.ngrants; i++)
		W.fs.grant[i].fd = 20 + (int)i;
	F.rooted = true;
	F.image_fd = 30;
	strcpy(F.image_real, "/img/app.elf");
	words_of(&o);
	ck_assert_uint_eq(o.ndirs, 2);
	ck_assert_str_eq(o.dir[0], "@20:/data:rw");
	ck_assert_str_eq(o.dir[1], "@21:/work:ro");
	ck_assert_str_eq(o.tmpdir, "@22:/tmp/nonehost.A/tmp");
	ck_assert_int_eq(o.image_fd, 30);
	ck_assert_str_eq(o.image_real, "/img/app.elf");
	ck_assert_str_eq(o.image, "/img/app.elf"); /* IMAGE as given: the guest's argv[0] */
	ck_assert(o.own_root);
	F.rooted = false;
	F.image_fd = -1;
}
END_TEST

static bool allows(const struct sbx_qemu_policy *p, int nr)
{
	for (unsigned i = 0; i < p->nrules; i++)
		if (p->rule[i].nr == nr && p->rule[i].action == SCMP_ACT_ALLOW)
			return true;
	return false;
}

static uint32_t action_of(const struct sbx_qemu_policy *p, int nr)
{
	for (unsigned i = 0; i < p->nrules; i++)
		if (p->rule[i].nr == nr)
			return p->rule[i].action;
	return SCMP_ACT_KILL_PROCESS;
}

START_TEST(test_table)
{
	static const int denied[] = {
		SCMP_SYS(ptrace), SCMP_SYS(process_vm_readv), SCMP_SYS(process_vm_writev),
		SCMP_SYS(kcmp), SCMP_SYS(mount), SCMP_SYS(umount2), SCMP_SYS(pivot_root),
		SCMP_SYS(chroot), SCMP_SYS(setns), SCMP_SYS(bpf), SCMP_SYS(perf_event_open),
		SCMP_SYS(userfaultfd), SCMP_SYS(keyctl), SCMP_SYS(add_key), SCMP_SYS(request_key),
		SCMP_SYS(io_uring_setup), SCMP_SYS(io_uring_enter), SCMP_SYS(io_uring_register),
		SCMP_SYS(seccomp), SCMP_SYS(landlock_create_ruleset), SCMP_SYS(personality),
		SCMP_SYS(setuid), SCMP_SYS(setresuid), SCMP_SYS(setgroups), SCMP_SYS(execveat),
		SCMP_SYS(fork), SCMP_SYS(vfork), SCMP_SYS(mknodat), SCMP_SYS(fchownat),
		SCMP_SYS(chown), SCMP_SYS(setxattr), SCMP_SYS(chmod), SCMP_SYS(truncate),
		SCMP_SYS(open_by_handle_at), SCMP_SYS(name_to_handle_at), SCMP_SYS(memfd_create),
		SCMP_SYS(init_module), SCMP_SYS(kexec_load), SCMP_SYS(fanotify_init),
		SCMP_SYS(inotify_init1), SCMP_SYS(fsopen), SCMP_SYS(move_mount), SCMP_SYS(open_tree),
		SCMP_SYS(unshare), SCMP_SYS(clone3), SCMP_SYS(fchmodat), SCMP_SYS(socket),
		SCMP_SYS(socketpair), SCMP_SYS(wait4), SCMP_SYS(waitid), SCMP_SYS(pidfd_open),
		SCMP_SYS(fchdir),
	};
	struct sbx_qemu_policy p;

	sbx_qemu_policy_init(&p, 0);
	for (size_t i = 0; i < sizeof(denied) / sizeof(denied[0]); i++)
		ck_assert_msg(!allows(&p, denied[i]), "system call %d is allowed", denied[i]);
	ck_assert(allows(&p, SCMP_SYS(execve)));
	ck_assert(allows(&p, SCMP_SYS(clone)));
	ck_assert_uint_eq(action_of(&p, SCMP_SYS(clone3)), SCMP_ACT_ERRNO(ENOSYS));
	ck_assert_uint_eq(action_of(&p, SCMP_SYS(unshare)), SCMP_ACT_ERRNO(EPERM));
	ck_assert_uint_eq(action_of(&p, SCMP_SYS(fchmodat)), SCMP_ACT_ERRNO(EPERM));
	ck_assert_uint_eq(action_of(&p, SCMP_SYS(socket)), SCMP_ACT_ERRNO(EACCES)); /* AF_UNIX */
	ck_assert(!allows(&p, SCMP_SYS(statfs)));
	sbx_qemu_policy_init(&p, SBX_QEMU_INET);
	ck_assert(allows(&p, SCMP_SYS(socket)));
	/* the emulator's own root: UNIX sockets, CHMOD and CHOWN by name */
	sbx_qemu_policy_init(&p, SBX_QEMU_OWN_ROOT);
	ck_assert(allows(&p, SCMP_SYS(socket)));
	ck_assert(allows(&p, SCMP_SYS(fchmodat)));
	ck_assert(allows(&p, SCMP_SYS(fchownat)));
	ck_assert(allows(&p, SCMP_SYS(statfs)));
	ck_assert_uint_gt(sbx_qemu_nsyscalls(&p), 100);
	ck_assert_uint_le(p.nrules, SBX_QEMU_MAX_RULES);
}
END_TEST

/* The filter on a forked child, probed with raw calls (glibc and ASan
 * stay out of the way). arg: the call to end with, or NULL for the ones
 * that must work. */
static void filtered(const void *arg)
{
	const char *kill_with = arg;
	struct sbx_qemu_policy p;
	int sv[2];

	/* no_new_privs first, as foreign_confine does: not root, the kernel
	 * takes a filter only so */
	PROBE(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
	sbx_qemu_policy_init(&p, 0);
	sbx_qemu_seccomp(&p);
	if (kill_with == NULL) {
		PROBE(syscall(SYS_getpid) > 0);
		PROBE(syscall(SYS_getpriority, SBX_QEMU_PROBE_WHICH, 0) < 0 &&
		      errno == SBX_QEMU_PROBE_ERRNO);
		PROBE(syscall(SYS_socket, AF_UNIX, SOCK_STREAM, 0) < 0 && errno == EACCES);
		PROBE(syscall(SYS_clone3, NULL, 0) < 0 && errno == ENOSYS);
		PROBE(syscall(SYS_unshare, CLONE_NEWUSER) < 0 && errno == EPERM);
		PROBE(syscall(SYS_fchmodat, AT_FDCWD, "/", 0755, 0) < 0 && errno == EPERM);
		PROBE(syscall(SYS_openat, AT_FDCWD, "/", O_RDONLY | O_DIRECTORY) >= 0);
		CHILD_EXIT(0);
	}
	if (strcmp(kill_with, "ptrace") == 0)
		syscall(SYS_ptrace, 0, 0, 0, 0);
	else if (strcmp(kill_with, "mount") == 0)
		syscall(SYS_mount, "none", "/tmp", "tmpfs", 0, 0);
	else if (strcmp(kill_with, "setns") == 0)
		syscall(SYS_setns, 0, 0);
	else if (strcmp(kill_with, "bpf") == 0)
		syscall(SYS_bpf, 0, 0, 0);
	else if (strcmp(kill_with, "inet") == 0)
		syscall(SYS_socket, AF_INET, SOCK_STREAM, 0);
	else if (strcmp(kill_with, "fork") == 0)
		syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
	else if (strcmp(kill_with, "socketpair") == 0)
		syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, sv);
	else if (strcmp(kill_with, "clone-newuser") == 0)
		syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
	else if (strcmp(kill_with, "prctl") == 0)
		syscall(SYS_prctl, PR_SET_PTRACER, -1, 0, 0, 0);
	else if (strcmp(kill_with, "ioctl") == 0)
		syscall(SYS_ioctl, 0, TIOCSTI, "x");
#if defined(__x86_64__)
	else if (strcmp(kill_with, "i386") == 0)
		__asm__ volatile("mov $20, %%eax; int $0x80" ::: "eax", "memory"); /* getpid */
#endif
	CHILD_EXIT(3); /* not killed */
}

START_TEST(test_filter)
{
	static const char *const killed[] = {"ptrace", "mount", "setns", "bpf", "inet", "fork",
	                                     "socketpair", "clone-newuser", "prctl", "ioctl",
	                                     "i386"};
	struct outcome o;

	unit_fork(filtered, NULL, &o, NULL, NULL);
	expect_exit(&o, 0);
	for (size_t i = 0; i < sizeof(killed) / sizeof(killed[0]); i++) {
		unit_fork(filtered, killed[i], &o, NULL, NULL);
		ck_assert_msg(WIFSIGNALED(o.status) && WTERMSIG(o.status) == SIGSYS,
		              "%s: status 0x%x, stderr: %s", killed[i], o.status, o.err);
	}
}
END_TEST

Suite *foreign_suite(void)
{
	Suite *s = suite_create("foreign");
	TCase *tc = tcase_create("foreign");

	tcase_add_test(tc, test_peek);
	tcase_add_test(tc, test_peek_linux);
	tcase_add_test(tc, test_paths);
	tcase_add_test(tc, test_words);
	tcase_add_test(tc, test_words_rooted);
	tcase_add_test(tc, test_table);
	tcase_add_test(tc, test_filter);
	suite_add_tcase(s, tc);
	return s;
}
