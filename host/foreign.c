/*
 * foreign.c - a GOOS=none image of another machine: run it under qemu-user
 * with the nonehost built for that machine, confined from here.
 *
 * Contract (host.h has each function's):
 *   foreign_peek(), foreign_qemu_arch(), foreign_host_paths(),
 *   foreign_words()  pure, unit-tested (tests/unit/check_foreign.c).
 *   foreign_find()   main.c calls it right after the command line, before
 *       any grant, TMPDIR, namespace or fork: it reads the image's first
 *       FOREIGN_HDR_LEN bytes and, for another machine's image, looks for
 *       the foreign host beside this nonehost (the build tree's
 *       build/<arch>/nonehost next to build/nonehost, then the installed
 *       $(PREFIX)/lib/nonehost/<arch>/nonehost from $(PREFIX)/bin/nonehost)
 *       and for qemu-<qemuarch>-static on PATH (absolute entries only) and
 *       in /usr/bin. No environment variable can point elsewhere: what runs
 *       follows from where this nonehost is.
 *   foreign_exec()   main.c's set-up then goes on as for a native image up
 *       to the supervisor's fork (the grants checked, the private TMPDIR
 *       made, --isolate's namespaces), and in the process that would run
 *       the image this confines the process and execs
 *           qemu -L / HOST run WORDS... -- IMAGE ARGS...
 *       so the exit status and a killing signal pass through the exec (and
 *       the supervisor) unchanged. "-L /" turns off qemu's path prefix
 *       (/etc/qemu-binfmt/<arch>), whose lookups would redirect the host's
 *       absolute paths. "run" keeps the foreign host from reading
 *       NONEHOST_FLAGS again: this nonehost has read them, and they are in
 *       the words.
 *
 * The supervisor's signal page (sandbox/sbx_share.c, a memfd): its
 * descriptor crosses the exec (close-on-exec cleared right before it) and
 * the foreign host maps it again (--signal-fd N), so the supervisor sees
 * what the image catches and passes such a signal on to the emulator, as
 * to a native image host; qemu hands it to the foreign host's handler.
 * Without it the exec would drop the page and every caught signal sent to
 * the supervisor would end the image (SIGKILL).
 *
 * A child image's inherited descriptors (--inherit-fds N, os/exec's
 * ExtraFiles): held high from the start (inherit.c), then back at 3..N-1
 * right before the exec, close-on-exec clear, /dev/null where the parent
 * left one closed, and the foreign host gets --inherit-fds N: qemu passes
 * descriptors through by number, so its guest adopts them as a native
 * host would (the control socket and the signal page moved above them).
 *
 * The private TMPDIR: made here (fsshim_tmp_create, as for a native image)
 * and removed by this nonehost's supervising parent, which stays outside
 * the emulator's domain; the foreign host gets it with --tmpdir, so it
 * makes nothing and forks no supervisor of its own. Why not let the foreign
 * host make it, as a native one would: it would make it in $TMPDIR or
 * /tmp, and then the emulator's Landlock domain would have to allow
 * creating there, i.e. all of /tmp; and a supervisor forked inside qemu
 * could not be confined by itself (no seccomp, no Landlock there) and would
 * run the image in a child whose /proc/self the domain does not cover.
 * The guest's /etc (--net private, host) is made here too and passed as a
 * --dir grant at /etc.
 *
 * The network: --isolate's namespaces are made here (sbx_isolate, as for a
 * native image) and the foreign host does not get --isolate; --net private
 * is a namespace made here (foreign_confine_net) in which the foreign host
 * runs with --net host and every port, as a child image of the launcher
 * does (launch_words); --net none puts the emulator in an empty namespace
 * of its own; --net host is Landlock's TCP port rules.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"

extern char **environ;

/* GOARCH -> the name in qemu-<name>-static. */
static const struct {
	const char *goarch, *qemu;
} qemu_arches[] = {
	{"amd64", "x86_64"},
	{"arm64", "aarch64"},
	{"riscv64", "riscv64"},
	{"arm", "arm"},
};

const char *foreign_qemu_arch(const char *goarch)
{
	for (size_t i = 0; i < sizeof(qemu_arches) / sizeof(qemu_arches[0]); i++)
		if (strcmp(qemu_arches[i].goarch, goarch) == 0)
			return qemu_arches[i].qemu;
	return NULL;
}

const char *foreign_peek(const uint8_t *hdr, size_t n)
{
	static const uint8_t magic[] = {0x7f, 'E', 'L', 'F'};
	const struct binfmt_arch *self = binfmt_host_arch();
	uint16_t machine;

	if (n < FOREIGN_HDR_LEN || memcmp(hdr, magic, sizeof(magic)) != 0 ||
	    hdr[EI_DATA] != ELFDATA2LSB || hdr[EI_OSABI] != ELFOSABI_STANDALONE)
		return NULL;
	machine = (uint16_t)(hdr[18] | hdr[19] << 8); /* e_machine, at 18 in both classes */
	for (size_t i = 0; i < sizeof(qemu_arches) / sizeof(qemu_arches[0]); i++) {
		const struct binfmt_arch *a = binfmt_arch_by_name(qemu_arches[i].goarch);

		if (a != NULL && a != self && a->machine == machine && a->class == hdr[EI_CLASS])
			return a->name;
	}
	return NULL;
}

bool foreign_host_paths(const char *exe, const char *goarch, char *build, char *installed,
                        size_t len)
{
	const char *slash = strrchr(exe, '/'), *up;
	int dir, top, n1, n2;

	if (exe[0] != '/' || slash == NULL)
		return false;
	dir = (int)(slash - exe);
	/* <dir>/.. lexically: the parent of dir ("" when dir is "/" or "/x") */
	for (up = slash; up > exe && up[-1] != '/'; up--)
		;
	top = up > exe ? (int)(up - exe) - 1 : 0;
	n1 = snprintf(build, len, "%.*s/%s/nonehost", dir, exe, goarch);
	n2 = snprintf(installed, len, "%.*s/lib/nonehost/%s/nonehost", top, exe, goarch);
	return n1 > 0 && (size_t)n1 < len && n2 > 0 && (size_t)n2 < len;
}

/* path is an executable regular file: its realpath into out. */
static bool executable(const char *path, char *out, size_t len)
{
	struct stat st;
	char *real;
	bool ok;

	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || access(path, X_OK) != 0 ||
	    (real = realpath(path, NULL)) == NULL)
		return false;
	ok = strlen(real) < len;
	if (ok)
		strcpy(out, real);
	free(real);
	return ok;
}

static void find_host(struct foreign *f)
{
	char exe[NH_PATH_MAX + 1];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0 || (size_t)n >= sizeof(exe) - 1)
		nh_die_errno(NH_EXIT_USAGE, "image for %s: cannot find this nonehost (/proc/self/exe)",
		             f->goarch);
	exe[n] = '\0';
	if (!foreign_host_paths(exe, f->goarch, f->host_want, f->host_alt, sizeof(f->host_want)))
		nh_die(NH_EXIT_USAGE, "image for %s: %s: path too long", f->goarch, exe);
	if (!executable(f->host_want, f->host, sizeof(f->host)) &&
	    !executable(f->host_alt, f->host, sizeof(f->host)))
		f->host[0] = '\0';
}

static void find_qemu(struct foreign *f)
{
	const char *path = getenv("PATH");
	char cand[NH_PATH_MAX + 1];

	for (const char *p = path; p != NULL && *p != '\0';) {
		const char *end = strchrnul(p, ':');

		/* relative entries (".", "") would make the emulator depend on the
		 * working directory: skipped */
		if (*p == '/' && (size_t)snprintf(cand, sizeof(cand), "%.*s/%s", (int)(end - p), p,
		                                  f->qemu_name) < sizeof(cand) &&
		    executable(cand, f->qemu, sizeof(f->qemu)))
			return;
		p = *end == ':' ? end + 1 : end;
	}
	snprintf(cand, sizeof(cand), "/usr/bin/%s", f->qemu_name);
	if (!executable(cand, f->qemu, sizeof(f->qemu)))
		f->qemu[0] = '\0';
}

/* The emulator and the foreign host for goarch, into *f (qemu_name holds
 * the emulator's name: it must outlive f). */
static void locate(struct foreign *f, struct nh_host *h, const char *goarch, char *qemu_name,
                   size_t len)
{
	*f = (struct foreign){.h = h, .goarch = goarch, .qemu_name = qemu_name, .image_fd = -1,
	                      .ifaces_fd = -1};
	snprintf(qemu_name, len, "qemu-%s-static", foreign_qemu_arch(goarch));
	find_host(f);
	find_qemu(f);
}

unsigned foreign_runners(char (*out)[NH_PATH_MAX + 1], unsigned max)
{
	const struct binfmt_arch *self = binfmt_host_arch();
	struct foreign *f = malloc(sizeof(*f));
	char qemu_name[64];
	unsigned n = 0;

	if (f == NULL)
		nh_die_errno(NH_EXIT_USAGE, "the emulators' paths: allocate");
	for (size_t i = 0; i < sizeof(qemu_arches) / sizeof(qemu_arches[0]) && n + 2 <= max; i++) {
		if (strcmp(qemu_arches[i].goarch, self->name) == 0)
			continue;
		locate(f, NULL, qemu_arches[i].goarch, qemu_name, sizeof(qemu_name));
		if (f->host[0] == '\0' || f->qemu[0] == '\0')
			continue;
		strcpy(out[n++], f->qemu);
		strcpy(out[n++], f->host);
	}
	free(f);
	return n;
}

/* The image (--image-fd's, or opened) if it is a regular file, its size in
 * *size; else -1. O_NONBLOCK: a FIFO must not hang a peek (the native path
 * refuses anything but a regular file, with the reason). Put back with
 * image_done(). */
static int image_open(const struct nh_host *h, off_t *size)
{
	struct stat st;
	int fd = h->opts.image_fd > 0 ? h->opts.image_fd
	                              : open(h->opts.image, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
		if (fd != h->opts.image_fd)
			close(fd);
		return -1;
	}
	*size = fd >= 0 ? st.st_size : 0;
	return fd;
}

static void image_done(const struct nh_host *h, int fd)
{
	if (fd != h->opts.image_fd)
		close(fd);
}

bool foreign_find(struct nh_host *h, struct foreign *f, bool must_find)
{
	static char qemu_name[64];
	uint8_t hdr[FOREIGN_HDR_LEN];
	const char *goarch;
	off_t size;
	ssize_t n;
	int fd;

	if ((fd = image_open(h, &size)) < 0)
		return false;
	n = pread(fd, hdr, sizeof(hdr), 0);
	image_done(h, fd);
	if (n < 0 || (goarch = foreign_peek(hdr, (size_t)n)) == NULL)
		return false;
	locate(f, h, goarch, qemu_name, sizeof(qemu_name));
	if (!must_find)
		return true;
	if (f->host[0] == '\0')
		nh_die(NH_EXIT_USAGE, "image for %s: %s: not found (nor %s; make host ARCH=%s)",
		       goarch, f->host_want, f->host_alt, goarch);
	if (f->qemu[0] == '\0')
		nh_die(NH_EXIT_USAGE, "image for %s: %s: not found on PATH or in /usr/bin (Debian: "
		       "apt-get install qemu-user-static)", goarch, qemu_name);
	return true;
}

bool foreign_may_call(const struct nh_host *h, const char *symbol)
{
	struct elf_image img = {0};
	struct elf_limits lim;
	bool may = true;
	off_t size;
	uint8_t *p;
	int fd;

	if ((fd = image_open(h, &size)) < 0)
		return true;
	if (size >= FOREIGN_HDR_LEN && (uint64_t)size <= ARCH_IMAGE_FILE_MAX &&
	    (p = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0)) != MAP_FAILED) {
		/* the shape only: the addresses are the foreign host's to check */
		lim = (struct elf_limits){.machine = (uint16_t)(p[18] | p[19] << 8),
		                          .class = p[EI_CLASS],
		                          .lo = 0,
		                          .hi = p[EI_CLASS] == ELFCLASS32 ? UINT64_C(1) << 32
		                                                          : UINT64_C(1) << 48,
		                          .page = NH_PAGE_SIZE};
		if (elf_validate(p, (size_t)size, &lim, &img, NULL, 0) == ELF_OK)
			may = elf_may_call(&img, symbol);
		munmap(p, (size_t)size);
	}
	image_done(h, fd);
	return may;
}

/* Append the word a followed by b; false when it does not fit. */
static bool append(struct launch_words *w, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (w->n == LAUNCH_MAX_WORDS || la + lb + 1 > sizeof(w->arena) - w->used)
		return false;
	w->word[w->n++] = w->arena + w->used;
	memcpy(w->arena + w->used, a, la);
	memcpy(w->arena + w->used + la, b, lb + 1);
	w->used += la + lb + 1;
	return true;
}

/* Append "NAME=V" when v > 0 (0, -1: not given); false when it does not fit. */
static bool append_number(struct launch_words *w, const char *name, int v)
{
	char num[16];

	if (v <= 0)
		return true;
	snprintf(num, sizeof(num), "%d", v);
	return append(w, name, num);
}

int foreign_words(const struct foreign *f, int signal_fd, struct launch_words *w)
{
	const struct nh_host *h = f->h;
	int r;

	/* (launch_words says --tmpdir: the foreign host must not make a
	 * TMPDIR of its own, see above) */
	if ((r = launch_words(h, f->rooted, w)) < 0)
		return r;
	if (f->rooted) {
		char v[NH_PATH_MAX + 24];

		snprintf(v, sizeof(v), "%d:%s", f->image_fd, f->image_real);
		if (!append(w, "--image-fd=", v) || !append(w, "--own-root", ""))
			return -E2BIG;
	}
	/* the guest's working directory, as this host found it (the foreign
	 * host runs in the same directory, but a --dir word of a grant that
	 * covers it may show it elsewhere) */
	if (!append(w, "--cwd=", h->fs.cwd) ||
	    !append_number(w, "--launcher-fd=", h->proc.ready ? h->proc.ctl : 0) ||
	    !append_number(w, "--signal-fd=", signal_fd) ||
	    !append_number(w, "--parent-pid=", h->opts.parent_pid) || /* a child image's */
	    !append_number(w, "--inherit-fds=", h->opts.inherit_fds) ||
	    !append_number(w, "--ifaces-fd=", f->ifaces_fd))
		return -E2BIG;
	/* the link the guest's /etc/localtime shows: the foreign host's root
	 * of its own has no /etc */
	if (h->fs.localtime[0] != '\0' && !append(w, "--localtime=", h->fs.localtime))
		return -E2BIG;
	w->etc = -1; /* indexes into the words, which moved: unused here */
	if (h->opts.trace && !append(w, "--trace", ""))
		return -E2BIG;
	return 0;
}

/* Under --isolate this process is PID 1 of its PID namespace, which the
 * kernel spares every signal it has no handler for, even one it sends
 * itself: qemu ending by a guest's signal (it re-raises the signal on
 * itself, then waits in sigsuspend) would hang there, and a signal the
 * image catches, passed on by the supervisor outside, would be lost. So
 * PID 1 stays ours: it forks the emulator's process (PID 2, which goes on)
 * as a supervisor of its own (sbx_supervise_with, by the same signal page:
 * it passes on what the image catches, confines itself, waits) and ends as
 * the emulator did: its exit status, or for a killing signal 128 + the
 * signal (PID 1 cannot die of a signal sent from inside; the supervisor
 * outside takes the page's died_by), with the violation line for SIGSYS.
 * The rest of the namespace dies with it. */
static void stay_init(struct foreign *f, const struct sbx_share *share)
{
	const struct sbx_exit at_exit = {.ended = foreign_exit_ended, .arg = f};
	char why[64];

	if (getpid() != 1)
		return;
	snprintf(why, sizeof(why), "image for %s: PID 1 of --isolate", f->goarch);
	sbx_supervise_with(why, &at_exit, share);
}

/* *fd, to cross the exec at a number above 3..n-1 (below it: moved). */
static void move_above(int *fd, int n, const char *what, const char *goarch)
{
	int to;

	if (*fd < 3 || *fd >= n)
		return;
	if ((to = fcntl(*fd, F_DUPFD, n)) < 0 || close(*fd) != 0)
		nh_die_errno(NH_EXIT_USAGE, "image for %s: move %s above the inherited descriptors",
		             goarch, what);
	*fd = to;
}

/* A child image's descriptors 3..N-1 (--inherit-fds, held high since the
 * start: inherit.c) go back to their numbers for the foreign host, which
 * holds and adopts them as this host would have: the emulator gives its
 * guest the descriptors by number. The launcher's control socket and the
 * signal page move above them first; a number the parent left closed gets
 * /dev/null (read-only), so that nothing the emulator opens can land
 * there and be taken for the guest's. */
static void pass_inherited(struct nh_host *h, int *signal_fd, const char *goarch)
{
	const int n = h->opts.inherit_fds;

	if (n == 0)
		return;
	if (h->proc.ready)
		move_above(&h->proc.ctl, n, "the launcher's control socket", goarch);
	move_above(signal_fd, n, "the signal page's descriptor", goarch);
	for (int i = 3; i < n; i++) {
		int from = h->inherit.held[i];

		if (from < 0 && (from = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0)
			nh_die_errno(NH_EXIT_USAGE, "image for %s: open /dev/null", goarch);
		if (dup2(from, i) != i || close(from) != 0) /* dup2: not close-on-exec */
			nh_die_errno(NH_EXIT_USAGE, "image for %s: pass descriptor %d on", goarch, i);
		h->inherit.held[i] = -1;
	}
}

/* NET_IFACES's table for the foreign host, which may make no netlink
 * socket (sandbox/sbx_qemu.c): taken here, in the emulator's network
 * namespace, into a memfd that crosses the exec above the inherited
 * descriptors (--ifaces-fd). Under --net none there is nothing to list. */
static void pass_ifaces(struct foreign *f)
{
	struct nh_host *h = f->h;
	const int lo = h->opts.inherit_fds > 3 ? h->opts.inherit_fds : 3;
	int fd;

	f->ifaces_fd = -1;
	if (h->opts.net.mode != NSS_PRIVATE && h->opts.net.mode != NSS_HOST)
		return;
	nss_ifaces_take(h);
	if ((fd = nss_ifaces_memfd(h)) < 0)
		return; /* the dump failed: the foreign host's own try fails the same way */
	f->ifaces_fd = fcntl(fd, F_DUPFD, lo); /* not close-on-exec */
	if (f->ifaces_fd < 0 || close(fd) != 0)
		nh_die_errno(NH_EXIT_USAGE, "image for %s: keep the interfaces' table", f->goarch);
}

_Noreturn void foreign_exec(struct foreign *f, const struct sbx_isolation *iso,
                           const struct sbx_share *share)
{
	struct nh_host *h = f->h;
	struct launch_words *w = malloc(sizeof(*w));
	char line[3 * NH_PATH_MAX + 768] = "", root[NH_PATH_MAX + 128] = "", **argv, **envp;
	struct sbx_policy *rules = NULL;
	size_t envc = 0, n = 0;
	int signal_fd = share->fd;

	stay_init(f, share);
	foreign_confine_net(f, iso);
	/* all but the signal page's (-1: none), the lifeline (0: none; the
	 * launcher's) and the held ones (none: -1) */
	fsshim_tidy_fds_except(&h->fs, (const int[]){share->fd, h->opts.lifeline_fd}, 2,
	                       h->inherit.lo, h->inherit.hi);
	fsshim_open_grants(h); /* the launcher's, and the emulator's own root's */
	if (h->opts.max_procs > 0) {
		/* The launcher runs natively, in the emulator's network namespace,
		 * confined by its own layers; its control socket crosses the exec. */
		launcher_start(h);
		if (fcntl(h->proc.ctl, F_SETFD, 0) != 0)
			nh_die_errno(NH_EXIT_USAGE, "image for %s: keep the launcher's control socket "
			             "open across the exec", f->goarch);
	}
	/* The supervisor's signal page crosses the exec too, after the
	 * launcher's fork (the launcher closes every descriptor it does not
	 * serve with anyway): the foreign host maps it again (--signal-fd). */
	if (share->fd >= 0 && fcntl(share->fd, F_SETFD, 0) != 0)
		nh_die_errno(NH_EXIT_USAGE, "image for %s: keep the signal page's descriptor open "
		             "across the exec", f->goarch);
	foreign_root_fds(f);
	pass_ifaces(f);
	pass_inherited(h, &signal_fd, f->goarch);
	if (!h->opts.no_sandbox)
		rules = foreign_rules(f); /* opened by their paths, before the root changes */
	f->rooted = foreign_root(f, root, sizeof(root));
	if (w == NULL)
		nh_die_errno(NH_EXIT_USAGE, "image for %s: allocate the host's options", f->goarch);
	if (foreign_words(f, signal_fd, w) < 0)
		nh_die(NH_EXIT_USAGE, "image for %s: the options for %s do not fit (%u grants)",
		       f->goarch, f->host, h->fs.ngrants);
	while (environ[envc] != NULL)
		envc++;
	argv = calloc((size_t)6 + w->n + (size_t)h->opts.argc + 1, sizeof(*argv));
	envp = calloc(envc + 2, sizeof(*envp));
	if (argv == NULL || envp == NULL)
		nh_die_errno(NH_EXIT_USAGE, "image for %s: allocate the emulator's command line",
		             f->goarch);
	argv[n++] = f->qemu;
	argv[n++] = "-L";
	argv[n++] = "/";
	argv[n++] = f->host;
	argv[n++] = "run";
	for (unsigned i = 0; i < w->n; i++)
		argv[n++] = w->word[i];
	argv[n++] = "--";
	for (int i = 0; i < h->opts.argc; i++)
		argv[n++] = h->opts.argv[i]; /* IMAGE as given, then ARGS */
	argv[n] = NULL;
	if (launch_image_envp(w, environ, (unsigned)envc, envp, envc + 2) < 0)
		nh_die(NH_EXIT_USAGE, "image for %s: the environment does not fit", f->goarch);
	fflush(NULL);
	if (h->opts.trace)
		dprintf(STDERR_FILENO, f->rooted ? "[nh] foreign: the emulator's own root: the "
		        "read-write grants, qemu, the host, /dev/null\n" : "[nh] foreign: no root of "
		        "the emulator's own (%s): no UNIX datagram or seqpacket sockets, no "
		        "CHMOD by name\n", root);
	if (!h->opts.no_sandbox)
		foreign_confine(f, rules, line, sizeof(line));
	else
		snprintf(line, sizeof(line), "[nh] foreign: %s image, %s with %s: %s, --no-sandbox: "
		         "nothing confines the emulator\n", f->goarch, f->qemu, f->host, f->net);
	if (h->opts.trace && write(STDERR_FILENO, line, strlen(line)) < 0) {
		/* tracing must not change the outcome */
	}
	execve(f->qemu, argv, envp);
	nh_die_errno(NH_EXIT_USAGE, "image for %s: cannot start %s", f->goarch, f->qemu);
}

void foreign_exit_run(void *f)
{
	fsshim_tmp_cleanup(((struct foreign *)f)->h);
}

void foreign_exit_sweep(void *f)
{
	fsshim_tmp_sweep(((struct foreign *)f)->h);
}

void foreign_exit_policy(struct sbx_policy *p, void *f)
{
	fsshim_tmp_policy(p, ((struct foreign *)f)->h);
}

/* In the confined supervisor: one write(2), nothing allocated. */
void foreign_exit_ended(int status, void *arg)
{
	const struct foreign *f = arg;
	char line[NH_PATH_MAX + 256];
	int n;

	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGSYS)
		return;
	n = snprintf(line, sizeof(line), "nonehost: sandbox violation: %s: killed by SIGSYS (a "
	             "system call outside the emulator's allowlist, or a SIGSYS sent to it)\n",
	             f->qemu);
	if (n > 0 && write(STDERR_FILENO, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line)) < 0) {
		/* nothing more can be said */
	}
}
