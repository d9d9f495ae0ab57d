/*
 * hostile.c - what a hostile guest can do in a foreign image's emulator.
 *
 * tests/foreign/run.sh builds it twice, static, and puts it where nonehost
 * looks for the pieces of a foreign run, in a copy of nonehost's tree:
 *   - for aarch64, as the foreign host (T/arm64/nonehost): it runs under the
 *     real qemu-aarch64-static, and every call it makes goes through qemu's
 *     system call emulation, as a guest's (or the foreign host's) would;
 *   - for amd64, as qemu itself (T/bin/qemu-aarch64-static, first on PATH):
 *     native code making raw system calls under the emulator's layers, as a
 *     guest that took qemu over (qemu-user hides nothing of its process
 *     from the guest) could.
 * Either way nonehost confines the process first, exactly as for a real
 * run, and the command line is the real one: [qemu -L / HOST] run WORDS...
 * -- IMAGE OP ARGS.... It runs OP and exits 0 when the call worked, else
 * with the errno it got (all below 126); a call the seccomp filter forbids
 * kills the process (159 through the supervisor).
 *
 * OPs: args (print argv and TMPDIR), read PATH (print it), write PATH,
 * list DIR, mkdir DIR, exec PATH (sh -c 'exit 0'), kill-parent (signal 0
 * to the parent: the supervisor), unix PATH (connect a UNIX socket), inet
 * (a TCP socket), chmod PATH, clone3, sys NAME (the raw call NAME, with
 * arguments that would work: ptrace, mount, unshare, setns, bpf, ...). A
 * PATH "$TMPDIR/NAME" is NAME in the guest's private TMPDIR.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

extern char **environ;

static int result(const char *op, long r)
{
	int e = errno;

	if (r >= 0) {
		printf("%s: ok\n", op);
		return 0;
	}
	printf("%s: %s\n", op, strerrorname_np(e));
	return e > 0 && e < 126 ? e : 125;
}

/* Each call with arguments that would work if it were allowed (as root):
 * a path "/" or "/tmp" where one is read, so that qemu, which copies
 * strings in before it calls the kernel, passes the call on. */
#define S(x) ((long)(x))
static int pair[2];
static const struct {
	const char *name;
	long nr;
	long a[6];
} calls[] = {
	{"ptrace", SYS_ptrace, {0 /* PTRACE_TRACEME */}},
	{"mount", SYS_mount, {S("none"), S("/tmp"), S("tmpfs"), 0, 0}},
	{"umount2", SYS_umount2, {S("/proc"), 2 /* MNT_DETACH */}},
	{"pivot_root", SYS_pivot_root, {S("/"), S("/")}},
	{"chroot", SYS_chroot, {S("/")}},
	{"unshare", SYS_unshare, {0x10000000 /* CLONE_NEWUSER */}},
	{"setns", SYS_setns, {0, 0}},
	{"bpf", SYS_bpf, {0}},
	{"keyctl", SYS_keyctl, {0}},
	{"add_key", SYS_add_key, {S("user"), S("k"), S("v"), 1, -2 /* the session keyring */}},
	{"perf_event_open", SYS_perf_event_open, {0}},
	{"userfaultfd", SYS_userfaultfd, {0}},
	{"process_vm_readv", SYS_process_vm_readv, {1}},
	{"io_uring_setup", SYS_io_uring_setup, {1, 0}},
	{"personality", SYS_personality, {0xffffffff /* query */}},
	{"setuid", SYS_setuid, {0}},
	{"execveat", SYS_execveat, {-100 /* AT_FDCWD */, S("/bin/sh"), 0, 0, 0}},
	{"memfd_create", SYS_memfd_create, {S("x"), 0}},
	{"open_by_handle_at", SYS_open_by_handle_at, {-100, 0, 0}},
	{"init_module", SYS_init_module, {0}},
	{"fchownat", SYS_fchownat, {-100, S("/tmp"), 0, 0, 0}},
	{"mknodat", SYS_mknodat, {-100, S("/tmp/hostile.fifo"), 010600, 0}},
	{"seccomp", SYS_seccomp, {0}},
	{"clone-newuser", SYS_clone, {0x10000000 | SIGCHLD /* CLONE_NEWUSER */}},
	{"fork", SYS_clone, {SIGCHLD}},
	{"socketpair", SYS_socketpair, {AF_UNIX, SOCK_STREAM, 0, S(pair)}},
};

static int op_sys(const char *name)
{
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		const long *a = calls[i].a;
		long r;

		if (strcmp(calls[i].name, name) != 0)
			continue;
		r = syscall(calls[i].nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		if (r == 0 && calls[i].nr == SYS_clone)
			_exit(0); /* the child, had it been made */
		return result(name, r);
	}
	fprintf(stderr, "hostile: unknown call %s\n", name);
	return 126;
}

/* "$TMPDIR/NAME": the private TMPDIR the guest got. */
static const char *expand(const char *path, char *buf, size_t len)
{
	const char *t = getenv("TMPDIR");

	if (strncmp(path, "$TMPDIR/", 8) != 0 || t == NULL)
		return path;
	snprintf(buf, len, "%s/%s", t, path + 8);
	return buf;
}

static int op_read(const char *path)
{
	char buf[4096];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return result("read", -1);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	return result("read", n);
}

static int op_write(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0)
		return result("write", -1);
	return result("write", write(fd, "hostile\n", 8));
}

static int op_unix(const char *path)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	/* the flags the hosts use: in the emulator's own root the filter
	 * allows exactly these (sandbox/sbx_qemu.c) */
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (s < 0)
		return result("unix", -1);
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	return result("unix", connect(s, (struct sockaddr *)&a, sizeof(a)));
}

int main(int argc, char **argv)
{
	const char *op;
	char buf[4096];
	int i = 1;

	setvbuf(stdout, NULL, _IONBF, 0);
	while (i < argc && strcmp(argv[i], "--") != 0)
		i++;
	if (i + 2 >= argc) {
		fprintf(stderr, "hostile: usage: ... -- IMAGE OP [ARGS]\n");
		return 126;
	}
	op = argv[i + 2];
	argv += i + 3;
	argc -= i + 3;
	if (argc == 1)
		argv[0] = (char *)expand(argv[0], buf, sizeof(buf));
	if (strcmp(op, "args") == 0) {
		for (char **a = argv - i - 3; *a != NULL; a++)
			printf("arg: %s\n", *a);
		printf("TMPDIR=%s\n", getenv("TMPDIR") ? getenv("TMPDIR") : "");
		return 0;
	}
	if (strcmp(op, "read") == 0 && argc == 1)
		return op_read(argv[0]);
	if (strcmp(op, "write") == 0 && argc == 1)
		return op_write(argv[0]);
	if (strcmp(op, "list") == 0 && argc == 1)
		return result("list", open(argv[0], O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	if (strcmp(op, "mkdir") == 0 && argc == 1)
		return result("mkdir", mkdir(argv[0], 0700));
	if (strcmp(op, "exec") == 0 && argc == 1)
		return result("exec", execve(argv[0], (char *[]){argv[0], "-c", "exit 0", NULL},
		                             environ));
	if (strcmp(op, "kill-parent") == 0)
		return result("kill-parent", kill(getppid(), 0));
	if (strcmp(op, "unix") == 0 && argc == 1)
		return op_unix(argv[0]);
	if (strcmp(op, "inet") == 0)
		return result("inet", socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
	if (strcmp(op, "chmod") == 0 && argc == 1)
		return result("chmod", fchmodat(AT_FDCWD, argv[0], 0777, 0));
	if (strcmp(op, "clone3") == 0)
		return result("clone3", syscall(SYS_clone3, NULL, 0));
	if (strcmp(op, "sys") == 0 && argc == 1)
		return op_sys(argv[0]);
	fprintf(stderr, "hostile: unknown op %s\n", op);
	return 126;
}
