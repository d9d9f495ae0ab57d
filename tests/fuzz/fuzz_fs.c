/*
 * fuzz_fs.c - the fs-shim against the kernel, on sequences of file ops the
 * fuzzer writes: tests/unit/check_fsshim_twin.c's idea, with paths,
 * links and orders nobody listed.
 *
 * Three trees start the same for every input (data/: f, d/, d/g, d2/, and
 * l, a link to d). Each op of the input runs three times:
 *   native  the op functions on a read-write grant of tree 1 at /data;
 *   walk    the same on tree 2, with openat2 answering ENOSYS, as under
 *           qemu-user 7.2: fsshim_openat_walk's way, a foreign host's;
 *   kernel  plain system calls in a child process whose root is tree 3,
 *           the guest's tree made real: data/ read-write, and read-only
 *           around it /dev/null, zero, full, random and urandom (the
 *           devices the fs-shim serves) and /etc/localtime, a link into
 *           data/ (the link it serves); a chroot in mount (and, not root,
 *           user) namespaces of its own.
 * Paths are absolute, relative to "/" or relative to a directory handle,
 * put together from names that matter here: "..", ".", "", the tree's
 * names, "data", "dev", "etc", "localtime"; link targets include "/", "..",
 * "../..", absolute ones, the served link and loops. Invariants, after every op:
 *   the three give the same result (0 or -errno; READLINK the same
 *   target; STAT the same type, and size for a file or link);
 *   the three data/ trees hold the same (names, types, permission bits,
 *   sizes, link targets);
 *   nothing beside the trees changed (a canary file, and the directory
 *   holding the trees lists only them).
 * Left out, as fs-shim/README.md lists them ("Known limits"): every handle
 * is closed after a RENAME, UNLINK or RMDIR that succeeded (a handle's
 * slow path starts at the path it was opened by); modes keep the owner's
 * rwx (CHMOD needs the host process to open the file); and an op that
 * fails in the synthetic part ("/", "/dev": a parent of a name it names
 * is on the twin's read-only mount) may fail with another errno: there
 * the fs-shim says what its lexical tree holds (-ENOENT for a name that is
 * not there, -EBUSY for a grant's root, -EEXIST, -EROFS) where the kernel
 * checks for a read-only mount in its own order; and a write the fs-shim
 * refuses with -EROFS may be another error to the kernel (-EROFS comes
 * before what Linux checks first: CHMOD of a missing file there); and
 * RENAME or LINK of a path ending in "." or ".." may be -EXDEV where Linux
 * says -EBUSY or -EEXIST (the fs-shim compares the grants of the
 * directories the paths name, Linux the mounts of the last names'
 * parents, which differ for ".." at a grant's root).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz.h"
#include "host.h"

#define MEM      (UINT64_C(16) << 20)
#define ROOT     ((uint64_t)(int64_t)NH_AT_ROOT)
#define NSLOTS   3  /* directory handles the input may hold */
#define MAX_OPS  24 /* ops per input */
#define PATH_LEN 512

/* ---- openat2 switched off: the walk host --------------------------------- */

/* Linked with -Wl,--wrap=syscall (Makefile): every syscall() of the host's
 * code comes here; while no_openat2 is set, openat2 is ENOSYS. */
long __real_syscall(long n, ...);
static bool no_openat2;

/* It forwards six arguments whatever the caller passed (syscall(2) takes
 * up to six): those past the caller's are junk the kernel ignores, the
 * sixth read from the caller's stack frame, which ASan would call an
 * underflow of it. */
__attribute__((no_sanitize("address"))) long __wrap_syscall(long n, ...)
{
	va_list ap;
	long a[6];

	va_start(ap, n);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (n == SYS_openat2 && no_openat2) {
		errno = ENOSYS;
		return -1;
	}
	return __real_syscall(n, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* ---- the ops -------------------------------------------------------------- */

enum op {
	OP_OPEN_R, OP_OPEN_R_NOFOLLOW, OP_OPEN_DIR, OP_OPEN_W, OP_OPEN_CREAT, OP_OPEN_EXCL,
	OP_OPEN_TRUNC, OP_STAT, OP_LSTAT, OP_READLINK, OP_CHMOD, OP_TRUNCATE, OP_UTIMENS,
	OP_UNLINK, OP_RMDIR, OP_MKDIR, OP_SYMLINK, OP_LINK, OP_RENAME, OP_HANDLE, NOPS
};
static const char *const op_name[] = {
	"open O_RDONLY", "open O_NOFOLLOW", "open O_DIRECTORY", "open O_WRONLY",
	"open O_CREAT", "open O_CREAT|O_EXCL", "open O_RDWR|O_TRUNC", "stat", "lstat",
	"readlink", "chmod", "truncate", "utimens", "unlink", "rmdir", "mkdir", "symlink",
	"link", "rename", "a handle of",
};
_Static_assert(sizeof(op_name) / sizeof(op_name[0]) == NOPS, "a name per op");

/* (new names go last: an input's byte below 16 names what it always did) */
static const char *const names[] = {
	"f", "d", "d2", "g", "l", "x", "new", ".", "..", "", "data", "dev", "null", "zero", "...",
	"sock", "etc", "localtime",
};
static const char *const targets[] = {
	"f", "d", "/", "/data", "/data/d", "..", "../..", "/dev/null", "nowhere", "f/", "d/..",
	"/data/l", "l", "x", "/dev", "d/../../data/f", "/etc/localtime",
};
static const mode_t modes[] = {0700, 0755, 0750, 0777};

/* A path: the base (NH_AT_ROOT or a slot) and the bytes. An input says
 * FPATH's byte, then a byte per name (an index into names[]). */
#define FPATH(absolute, base, n) ((absolute) << 7 | ((n) - 1) << 2 | (base))
#define FROM_ROOT 3 /* FPATH's base for NH_AT_ROOT; 0-2 are the handles' slots */
struct fpath {
	int slot; /* -1: NH_AT_ROOT */
	char s[PATH_LEN];
};

struct fop {
	enum op op;
	struct fpath a, b;       /* b: LINK's and RENAME's new name */
	unsigned target, mode;   /* SYMLINK's target, CHMOD's mode (indices) */
	unsigned slot;           /* HANDLE: the slot it fills */
};

/* A result to compare: 0 or -errno, and what came back. */
struct fres {
	int err;
	uint32_t type;   /* STAT: S_IFMT bits */
	int64_t size;    /* STAT of a file or link */
	char link[64];   /* READLINK */
	bool ro;         /* kernel, failed: a parent it names is on the read-only part */
};

static void path_from(struct fuzz_in *in, struct fpath *p)
{
	uint8_t b = fuzz_byte(in); /* FPATH(absolute, base, names) */
	unsigned n = 1 + ((b >> 2) & 7) % 5;
	size_t len = 0;

	p->slot = (b & 3) == 3 ? -1 : (int)(b & 3);
	if (b & 0x80) /* the base is then ignored */
		p->s[len++] = '/';
	for (unsigned i = 0; i < n; i++) {
		const char *c = names[fuzz_byte(in) % (sizeof(names) / sizeof(names[0]))];
		size_t cl = strlen(c);

		if (i > 0)
			p->s[len++] = '/';
		memcpy(p->s + len, c, cl);
		len += cl;
	}
	if (len == 0)
		p->s[len++] = '.';
	p->s[len] = '\0';
}

static bool op_from(struct fuzz_in *in, struct fop *o)
{
	if (in->n == 0)
		return false;
	memset(o, 0, sizeof(*o));
	o->op = (enum op)(fuzz_byte(in) % NOPS);
	path_from(in, &o->a);
	if (o->op == OP_LINK || o->op == OP_RENAME)
		path_from(in, &o->b);
	o->target = fuzz_byte(in) % (sizeof(targets) / sizeof(targets[0]));
	o->mode = o->target % (sizeof(modes) / sizeof(modes[0]));
	o->slot = o->target % NSLOTS;
	return true;
}

/* ---- the fs-shim's two hosts ---------------------------------------------- */

static char T[64], TREE[3][80], CANARY[96];
static struct nh_host host[2];    /* native, walk */
static int64_t handle[2][NSLOTS]; /* -1: none */

/* An op's strings in guest RAM, each at its own place: the path, the new
 * name, the link's target; and a buffer for what comes back. */
enum { AT_A = 0x10000, AT_B = 0x11000, AT_TARGET = 0x12000, AT_BUF = 0x13000 };

/* s copied into guest RAM at off: its address and length, as the ops take them */
#define G(off, s) (strcpy((char *)(uintptr_t)(h->ram_start + (off)), (s)), h->ram_start + (off)), \
	strlen(s)

static uint64_t base_of(int which, const struct fpath *p)
{
	return p->slot < 0 || handle[which][p->slot] < 0 ? ROOT : (uint64_t)handle[which][p->slot];
}

static uint64_t nh_flags(int f)
{
	return (uint64_t)(f & O_ACCMODE) | (f & O_CREAT ? NH_O_CREAT : 0) |
	       (f & O_EXCL ? NH_O_EXCL : 0) | (f & O_TRUNC ? NH_O_TRUNC : 0) |
	       (f & O_DIRECTORY ? NH_O_DIRECTORY : 0) | (f & O_NOFOLLOW ? NH_O_NOFOLLOW : 0);
}

static int open_flags(enum op op)
{
	switch (op) {
	case OP_OPEN_R_NOFOLLOW: return O_RDONLY | O_NOFOLLOW;
	case OP_OPEN_DIR: case OP_HANDLE: return O_RDONLY | O_DIRECTORY;
	case OP_OPEN_W: return O_WRONLY;
	case OP_OPEN_CREAT: return O_WRONLY | O_CREAT;
	case OP_OPEN_EXCL: return O_WRONLY | O_CREAT | O_EXCL;
	case OP_OPEN_TRUNC: return O_RDWR | O_TRUNC;
	default: return O_RDONLY;
	}
}

static struct fres shim_op(int which, const struct fop *o)
{
	struct nh_host *h = &host[which];
	const uint64_t da = base_of(which, &o->a), db = base_of(which, &o->b);
	const uint64_t buf = h->ram_start + AT_BUF;
	struct fres r = {0};
	int64_t v;

	no_openat2 = which == 1;
#define SHIM(fn, ...) fn(h, (const uint64_t[6]){__VA_ARGS__})
	switch (o->op) {
	case OP_STAT: case OP_LSTAT:
		v = SHIM(fsshim_op_stat, da, G(AT_A, o->a.s), buf,
		         o->op == OP_LSTAT ? NH_AT_SYMLINK_NOFOLLOW : 0);
		if (v == 0) {
			const struct nh_stat *st = (const struct nh_stat *)(uintptr_t)buf;

			r.type = st->mode & S_IFMT;
			r.size = S_ISREG(st->mode) || S_ISLNK(st->mode) ? st->size : 0;
		}
		break;
	case OP_READLINK:
		v = SHIM(fsshim_op_readlink, da, G(AT_A, o->a.s), buf, sizeof(r.link) - 1);
		if (v >= 0) {
			memcpy(r.link, (const void *)(uintptr_t)buf, (size_t)v);
			v = 0;
		}
		break;
	case OP_CHMOD: v = SHIM(fsshim_op_chmod, da, G(AT_A, o->a.s), modes[o->mode]); break;
	case OP_TRUNCATE: v = SHIM(fsshim_op_truncate, da, G(AT_A, o->a.s), 1); break;
	case OP_UTIMENS: v = SHIM(fsshim_op_utimens, da, G(AT_A, o->a.s), 0, 0); break;
	case OP_UNLINK: v = SHIM(fsshim_op_unlink, da, G(AT_A, o->a.s), 0); break;
	case OP_RMDIR: v = SHIM(fsshim_op_unlink, da, G(AT_A, o->a.s), NH_AT_REMOVEDIR); break;
	case OP_MKDIR: v = SHIM(fsshim_op_mkdir, da, G(AT_A, o->a.s), 0755); break;
	case OP_SYMLINK: v = SHIM(fsshim_op_symlink, G(AT_TARGET, targets[o->target]), da, G(AT_A, o->a.s)); break;
	case OP_LINK: v = SHIM(fsshim_op_link, da, G(AT_A, o->a.s), db, G(AT_B, o->b.s)); break;
	case OP_RENAME: v = SHIM(fsshim_op_rename, da, G(AT_A, o->a.s), db, G(AT_B, o->b.s)); break;
	default: /* the opens */
		v = SHIM(fsshim_op_open, da, G(AT_A, o->a.s), nh_flags(open_flags(o->op)), 0644);
		if (v >= 0 && o->op == OP_HANDLE) {
			if (handle[which][o->slot] >= 0)
				FUZZ_CHECK(SHIM(fsshim_op_close, (uint64_t)handle[which][o->slot]) == 0,
				           "close");
			handle[which][o->slot] = v;
		} else if (v >= 0) {
			FUZZ_CHECK(SHIM(fsshim_op_close, (uint64_t)v) == 0, "close");
		}
		v = v < 0 ? v : 0;
		break;
	}
#undef SHIM
	no_openat2 = false;
	r.err = (int)v;
	return r;
}

/* ---- the kernel's twin: a child process in tree 3 ------------------------- */

/* The devices the fs-shim serves, which the twin binds from the machine. */
static const char *const devs[] = {"null", "zero", "full", "random", "urandom"};
#define NDEVS (sizeof(devs) / sizeof(devs[0]))
/* etc/localtime in each tree: in the twin's a link, read-only as the rest;
 * the fs-shim's serves it (fsshim_zone.c reads the tree's). Relative, into
 * the read-write part: what is reached through it changes. */
#define LOCALTIME_TARGET "../data/d"

static int req_fd = -1, rep_fd = -1;
static pid_t twin_pid;

static int kres(long v)
{
	return v < 0 ? -errno : 0;
}

/* In the child: whether the directory holding path's last name (lexically)
 * is on a read-only mount: the synthetic part ("/", "/dev"). */
static bool parent_ro(int base, const char *path)
{
	char d[PATH_LEN];
	struct statvfs sv;
	size_t n = strlen(path);
	char *slash;
	int fd;
	bool ro;

	memcpy(d, path, n + 1);
	while (n > 1 && d[n - 1] == '/')
		d[--n] = '\0';
	slash = strrchr(d, '/');
	if (slash == NULL)
		strcpy(d, ".");
	else if (slash == d)
		d[1] = '\0';
	else
		*slash = '\0';
	fd = openat(base, d, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return false; /* the walk failed: an error both must name */
	ro = fstatvfs(fd, &sv) == 0 && (sv.f_flag & ST_RDONLY);
	close(fd);
	return ro;
}

/* In the child: one op with plain system calls; handles are descriptors. */
static struct fres kernel_call(const struct fop *o, int *fds)
{
	int da = o->a.slot < 0 || fds[o->a.slot] < 0 ? -1 : fds[o->a.slot];
	int db = o->b.slot < 0 || fds[o->b.slot] < 0 ? -1 : fds[o->b.slot];
	struct fres r = {0};
	struct stat st;
	int fd;
	long v;

	/* NH_AT_ROOT: relative to "/", where the child's working directory is */
	da = da < 0 ? AT_FDCWD : da;
	db = db < 0 ? AT_FDCWD : db;
	switch (o->op) {
	case OP_STAT: case OP_LSTAT:
		v = fstatat(da, o->a.s, &st, o->op == OP_LSTAT ? AT_SYMLINK_NOFOLLOW : 0);
		r.err = kres(v);
		if (v == 0) {
			r.type = st.st_mode & S_IFMT;
			r.size = S_ISREG(st.st_mode) || S_ISLNK(st.st_mode) ? st.st_size : 0;
		}
		return r;
	case OP_READLINK:
		v = readlinkat(da, o->a.s, r.link, sizeof(r.link) - 1);
		r.err = kres(v);
		if (v < 0)
			memset(r.link, 0, sizeof(r.link));
		return r;
	case OP_CHMOD: r.err = kres(fchmodat(da, o->a.s, modes[o->mode], 0)); return r;
	case OP_TRUNCATE:
		/* no truncateat: from the base as the working directory */
		if (da != AT_FDCWD && fchdir(da) != 0)
			return (struct fres){.err = -errno};
		r.err = kres(truncate(o->a.s, 1));
		if (chdir("/") != 0)
			_exit(3);
		return r;
	case OP_UTIMENS: r.err = kres(utimensat(da, o->a.s, NULL, 0)); return r;
	case OP_UNLINK: r.err = kres(unlinkat(da, o->a.s, 0)); return r;
	case OP_RMDIR: r.err = kres(unlinkat(da, o->a.s, AT_REMOVEDIR)); return r;
	case OP_MKDIR: r.err = kres(mkdirat(da, o->a.s, 0755)); return r;
	case OP_SYMLINK: r.err = kres(symlinkat(targets[o->target], da, o->a.s)); return r;
	case OP_LINK: r.err = kres(linkat(da, o->a.s, db, o->b.s, 0)); return r;
	case OP_RENAME: r.err = kres(renameat(da, o->a.s, db, o->b.s)); return r;
	default:
		fd = openat(da, o->a.s, open_flags(o->op) | O_CLOEXEC, 0644);
		r.err = kres(fd);
		if (fd >= 0 && o->op == OP_HANDLE) {
			if (fds[o->slot] >= 0)
				close(fds[o->slot]);
			fds[o->slot] = fd;
		} else if (fd >= 0) {
			close(fd);
		}
		return r;
	}
}

static struct fres kernel_op(const struct fop *o, int *fds)
{
	struct fres r = kernel_call(o, fds);
	int da = o->a.slot < 0 || fds[o->a.slot] < 0 ? AT_FDCWD : fds[o->a.slot];
	int db = o->b.slot < 0 || fds[o->b.slot] < 0 ? AT_FDCWD : fds[o->b.slot];

	if (r.err != 0)
		r.ro = parent_ro(da, o->a.s) ||
		       ((o->op == OP_LINK || o->op == OP_RENAME) && parent_ro(db, o->b.s));
	return r;
}

/* Requests: a struct fop; 'C' alone closes every descriptor. */
static void twin_serve(int in, int out)
{
	int fds[NSLOTS] = {-1, -1, -1};
	struct fop o;

	for (;;) {
		ssize_t n = read(in, &o, sizeof(o));
		struct fres r;

		if (n == 0)
			_exit(0);
		if (n == 1) {
			for (int i = 0; i < NSLOTS; i++)
				if (fds[i] >= 0) {
					close(fds[i]);
					fds[i] = -1;
				}
			r = (struct fres){0};
		} else if (n != sizeof(o)) {
			_exit(2);
		} else {
			r = kernel_op(&o, fds);
		}
		if (write(out, &r, sizeof(r)) != sizeof(r))
			_exit(2);
	}
}

static void die_child(const char *what)
{
	fprintf(stderr, "fuzz_fs: the kernel's twin: %s: %s\n", what, strerror(errno));
	_exit(2);
}

static void write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0 || write(fd, s, strlen(s)) != (ssize_t)strlen(s) || close(fd) != 0)
		die_child(path);
}

/* The child: tree 3 as its root, data/ the only writable part. */
static void twin_start(void)
{
	int req[2], rep[2];
	uid_t uid = getuid();
	gid_t gid = getgid();
	char p[160], map[64];

	if (pipe2(req, O_CLOEXEC) != 0 || pipe2(rep, O_CLOEXEC) != 0)
		die_child("pipe");
	twin_pid = fork();
	if (twin_pid < 0)
		die_child("fork");
	if (twin_pid > 0) {
		close(req[0]);
		close(rep[1]);
		req_fd = req[1];
		rep_fd = rep[0];
		return;
	}
	close(req[1]);
	close(rep[0]);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (uid != 0) {
		if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0)
			die_child("unshare(CLONE_NEWUSER | CLONE_NEWNS)");
		write_file("/proc/self/setgroups", "deny");
		snprintf(map, sizeof(map), "0 %u 1", (unsigned)uid);
		write_file("/proc/self/uid_map", map);
		snprintf(map, sizeof(map), "0 %u 1", (unsigned)gid);
		write_file("/proc/self/gid_map", map);
	} else if (unshare(CLONE_NEWNS) != 0) {
		die_child("unshare(CLONE_NEWNS)");
	}
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
		die_child("mount / private");
	if (mount(TREE[2], TREE[2], NULL, MS_BIND, NULL) != 0)
		die_child("bind the tree");
	snprintf(p, sizeof(p), "%s/data", TREE[2]);
	if (mount(p, p, NULL, MS_BIND, NULL) != 0)
		die_child("bind data");
	for (size_t i = 0; i < NDEVS; i++) {
		char dev[32];

		snprintf(dev, sizeof(dev), "/dev/%s", devs[i]);
		snprintf(p, sizeof(p), "%s/dev/%s", TREE[2], devs[i]);
		/* read-only, as the rest: CHMOD of "/dev/zero" must not reach the
		 * machine's (the devices still read and write) */
		if (mount(dev, p, NULL, MS_BIND, NULL) != 0 ||
		    mount(NULL, p, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) != 0)
			die_child(p);
	}
	if (mount(NULL, TREE[2], NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) != 0)
		die_child("the tree read-only");
	if (chroot(TREE[2]) != 0 || chdir("/") != 0)
		die_child("chroot");
	umask(022);
	twin_serve(req[0], rep[1]);
}

static struct fres twin_call(const void *msg, size_t len)
{
	struct fres r;

	FUZZ_CHECK(write(req_fd, msg, len) == (ssize_t)len, "the kernel's twin is gone");
	FUZZ_CHECK(read(rep_fd, &r, sizeof(r)) == sizeof(r), "the kernel's twin is gone");
	return r;
}

/* ---- the trees ------------------------------------------------------------- */

/* data/ of every tree as each input starts: f, d/, d/g, d2/, l -> d. */
static void reset_trees(void)
{
	for (int t = 0; t < 3; t++) {
		char p[100];
		int fd;

		snprintf(p, sizeof(p), "%s/data", TREE[t]);
		fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		FUZZ_CHECK(fd >= 0 && fchmod(fd, 0755) == 0, "%s", p);
		fuzz_empty_dir(dup(fd));
		fuzz_put(fd, "f", "f\n");
		FUZZ_CHECK(mkdirat(fd, "d", 0755) == 0 && mkdirat(fd, "d2", 0755) == 0 &&
		           symlinkat("d", fd, "l") == 0, "the tree");
		fuzz_put(fd, "d/g", "gg\n");
		close(fd);
	}
}

/* What a tree's data/ holds: a line per entry, in name order. */
static size_t summary(const char *dir, const char *rel, char *out, size_t len, size_t n)
{
	struct dirent **ents;
	char path[PATH_MAX];
	int k;

	snprintf(path, sizeof(path), "%s%s", dir, rel);
	k = scandir(path, &ents, NULL, alphasort);
	if (k < 0)
		return n;
	for (int i = 0; i < k; i++) {
		const char *name = ents[i]->d_name;
		char sub[PATH_MAX], target[64] = "";
		struct stat st;

		if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0 &&
		    snprintf(sub, sizeof(sub), "%s/%s", rel, name) < (int)sizeof(sub) &&
		    snprintf(path, sizeof(path), "%s%s", dir, sub) < (int)sizeof(path) &&
		    lstat(path, &st) == 0) {
			ssize_t tl = S_ISLNK(st.st_mode) ? readlink(path, target, sizeof(target) - 1) : -1;

			target[tl > 0 ? tl : 0] = '\0';
			if (n < len)
				n += (size_t)snprintf(out + n, len - n, "%s %o %lld %s\n", sub,
				                      (unsigned)st.st_mode,
				                      S_ISREG(st.st_mode) ? (long long)st.st_size : 0LL,
				                      target);
			if (S_ISDIR(st.st_mode))
				n = summary(dir, sub, out, len, n);
		}
		free(ents[i]);
	}
	free(ents);
	return n;
}

static void check_outside(void)
{
	struct dirent **ents;
	int k;

	fuzz_canary_check(CANARY);
	k = scandir(T, &ents, NULL, alphasort);
	FUZZ_CHECK(k == 6, "%d entries beside the trees (want ., .., canary, 1, 2, 3)", k);
	for (int i = 0; i < k; i++)
		free(ents[i]);
	free(ents);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int here = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC); /* the caller's paths are relative */

	(void)argc;
	(void)argv;
	FUZZ_CHECK(here >= 0, "open .");
	umask(022);
	strcpy(T, "/tmp/nh-fuzz-fs.XXXXXX");
	fuzz_workdir(T);
	snprintf(CANARY, sizeof(CANARY), "%s/canary", T);
	for (int t = 0; t < 3; t++) {
		char p[100];
		int dev;

		/* data/, and dev/ with a file for each device the twin binds */
		snprintf(TREE[t], sizeof(TREE[t]), "%s/%d", T, t + 1);
		snprintf(p, sizeof(p), "%s/dev", TREE[t]);
		FUZZ_CHECK(mkdir(TREE[t], 0755) == 0 && mkdir(p, 0755) == 0, "%s", p);
		dev = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
		snprintf(p, sizeof(p), "%s/data", TREE[t]);
		FUZZ_CHECK(dev >= 0 && mkdir(p, 0755) == 0, "%s", p);
		for (size_t i = 0; i < NDEVS; i++)
			fuzz_put(dev, devs[i], "");
		close(dev);
		snprintf(p, sizeof(p), "%s/etc", TREE[t]);
		FUZZ_CHECK(mkdir(p, 0755) == 0, "%s", p);
		snprintf(p, sizeof(p), "%s/etc/localtime", TREE[t]);
		FUZZ_CHECK(symlink(LOCALTIME_TARGET, p) == 0, "%s", p);
	}
	fuzz_canary_make(CANARY);
	for (int w = 0; w < 2; w++) {
		static char dir[2][128];
		char cwd[96];
		struct nh_host *h = &host[w];

		snprintf(dir[w], sizeof(dir[w]), "%s/data:/data:rw", TREE[w]);
		h->opts = (struct nh_opts){.memory = MEM, .image = "img", .max_files = 16,
		                           .dir = {dir[w]}, .ndirs = 1};
		snprintf(cwd, sizeof(cwd), "%s/data", TREE[w]);
		FUZZ_CHECK(chdir(cwd) == 0, "chdir"); /* in the grant: no grant of its own */
		fsshim_setup(h);
		fsshim_zone(h, TREE[w]);
		FUZZ_CHECK(strcmp(h->fs.localtime, LOCALTIME_TARGET) == 0, "the link served");
		fsshim_open(h);
		for (int s = 0; s < NSLOTS; s++)
			handle[w][s] = -1;
	}
	ram_map(&host[0]);
	host[1].ram_start = host[0].ram_start;
	host[1].ram_end = host[0].ram_end;
	host[1].stack_top = host[0].stack_top;
	host[1].guard_lo = host[0].guard_lo;
	FUZZ_CHECK(fchdir(here) == 0 && close(here) == 0, "back to the caller's directory");
	twin_start();
	return 0;
}

static void close_handles(void)
{
	for (int w = 0; w < 2; w++)
		for (int s = 0; s < NSLOTS; s++)
			if (handle[w][s] >= 0) {
				FUZZ_CHECK(fsshim_op_close(&host[w], (const uint64_t[6]){(uint64_t)handle[w][s]}) == 0,
				           "close");
				handle[w][s] = -1;
			}
	(void)twin_call("C", 1);
}

/* The last name is "." or "..", with any '/' after it. */
static bool ends_in_dot(const char *p)
{
	size_t n = strlen(p);

	while (n > 0 && p[n - 1] == '/')
		n--;
	if (n > 0 && p[n - 1] == '.')
		n--;
	if (n > 0 && p[n - 1] == '.')
		n--;
	return n < strlen(p) && (n == 0 || p[n - 1] == '/') && p[n] == '.';
}

static bool same(const struct fres *a, const struct fres *b)
{
	return a->err == b->err && a->type == b->type && a->size == b->size &&
	       strcmp(a->link, b->link) == 0;
}

static void say(const char *who, const struct fres *r, char *out, size_t len)
{
	snprintf(out, len, "%s %s type 0%o size %lld link \"%s\"", who,
	         r->err ? strerrorname_np(-r->err) : "ok", r->type, (long long)r->size, r->link);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	static char sum[3][4096];
	struct fop o;

	reset_trees();
	for (int i = 0; i < MAX_OPS && op_from(&in, &o); i++) {
		struct fres n = shim_op(0, &o), w = shim_op(1, &o), k = twin_call(&o, sizeof(o));
		char sn[160], sw[160], sk[160];
		/* the synthetic part's errors are the fs-shim's own (the README) */
		bool synthetic = k.err != 0 && n.err != 0 && (k.ro || n.err == -EROFS);
		bool dots = (o.op == OP_RENAME || o.op == OP_LINK) && n.err == -EXDEV && k.err != 0 &&
		            (ends_in_dot(o.a.s) || ends_in_dot(o.b.s));

		say("native", &n, sn, sizeof(sn));
		say("walk", &w, sw, sizeof(sw));
		say("kernel", &k, sk, sizeof(sk));
		if (fuzz_trace)
			fprintf(stderr, "%s \"%s\" [%d] \"%s\" [%d]: %s | %s | %s\n", op_name[o.op],
			        o.a.s, o.a.slot, o.b.s, o.b.slot, sn, sw, sk);
		FUZZ_CHECK(same(&n, &w), "op %d, %s \"%s\" [%d] \"%s\" [%d]: %s, %s", i, op_name[o.op],
		           o.a.s, o.a.slot, o.b.s, o.b.slot, sn, sw);
		k.ro = false; /* not compared */
		FUZZ_CHECK(same(&n, &k) || synthetic || dots, "op %d, %s \"%s\" [%d] \"%s\" [%d]: %s, %s", i,
		           op_name[o.op], o.a.s, o.a.slot, o.b.s, o.b.slot, sn, sk);
		for (int t = 0; t < 3; t++) {
			char d[100];

			snprintf(d, sizeof(d), "%s/data", TREE[t]);
			sum[t][0] = '\0';
			summary(d, "", sum[t], sizeof(sum[t]), 0);
		}
		FUZZ_CHECK(strcmp(sum[0], sum[2]) == 0 && strcmp(sum[1], sum[2]) == 0,
		           "op %d, %s \"%s\" \"%s\": the trees differ:\nnative:\n%skernel:\n%swalk:\n%s",
		           i, op_name[o.op], o.a.s, o.b.s, sum[0], sum[2], sum[1]);
		check_outside();
		if (n.err == 0 && (o.op == OP_RENAME || o.op == OP_UNLINK || o.op == OP_RMDIR))
			close_handles(); /* the known limit: a handle's slow path */
	}
	close_handles();
	return 0;
}

void fuzz_seeds(fuzz_emit_fn *emit)
{
	/* each op: its number, FPATH and names, [FPATH and names,] the target
	 * byte (SYMLINK's target, CHMOD's mode, HANDLE's slot) */
	static const uint8_t escape[] = {
		OP_SYMLINK, FPATH(1, FROM_ROOT, 2), 10, 5, 2,      /* "/data/x" -> "/" */
		OP_STAT, FPATH(1, FROM_ROOT, 3), 10, 5, 10, 0,     /* "/data/x/data" */
		OP_OPEN_R, FPATH(0, FROM_ROOT, 5), 10, 8, 8, 8, 8, 0, /* "data/../../../.." */
		OP_HANDLE, FPATH(1, FROM_ROOT, 2), 10, 1, 0,       /* slot 0: "/data/d" */
		OP_OPEN_R, FPATH(0, 0, 3), 8, 8, 0, 0,            /* "../../f" from it */
		OP_RENAME, FPATH(1, FROM_ROOT, 2), 10, 0, FPATH(0, 0, 2), 8, 6, 0, /* to "../new" */
		OP_MKDIR, FPATH(1, FROM_ROOT, 2), 11, 5, 0,        /* "/dev/x" */
	};
	static const uint8_t slashes[] = {
		OP_OPEN_CREAT, FPATH(1, FROM_ROOT, 2), 10, 4, 0,   /* "/data/l", a link to d */
		OP_RMDIR, FPATH(1, FROM_ROOT, 3), 10, 4, 9, 0,     /* "/data/l/" */
		OP_LINK, FPATH(1, FROM_ROOT, 2), 10, 0, FPATH(1, FROM_ROOT, 3), 10, 1, 5, 0,
		OP_SYMLINK, FPATH(1, FROM_ROOT, 2), 10, 5, 11,     /* "/data/x" -> "/data/l" */
		OP_READLINK, FPATH(1, FROM_ROOT, 2), 10, 5, 0,
		OP_CHMOD, FPATH(1, FROM_ROOT, 2), 10, 1, 1,        /* "/data/d" 0755 */
		OP_TRUNCATE, FPATH(1, FROM_ROOT, 3), 10, 4, 3, 0,  /* "/data/l/g" */
	};

	static const uint8_t localtime[] = {
		OP_READLINK, FPATH(1, FROM_ROOT, 2), 16, 17, 0,        /* "/etc/localtime" */
		OP_LSTAT, FPATH(1, FROM_ROOT, 2), 16, 17, 0,
		OP_OPEN_R_NOFOLLOW, FPATH(1, FROM_ROOT, 2), 16, 17, 0,
		OP_OPEN_CREAT, FPATH(1, FROM_ROOT, 3), 16, 17, 5, 0,   /* "/etc/localtime/x" */
		OP_HANDLE, FPATH(1, FROM_ROOT, 1), 16, 0,              /* slot 0: "/etc" */
		OP_STAT, FPATH(0, 0, 2), 17, 5, 0,                     /* "localtime/x" from it */
		OP_RENAME, FPATH(0, 0, 1), 17, FPATH(1, FROM_ROOT, 2), 10, 6, 0, /* to "/data/new" */
		OP_SYMLINK, FPATH(1, FROM_ROOT, 2), 10, 6, 16,         /* "/data/new" -> it */
		OP_STAT, FPATH(1, FROM_ROOT, 3), 10, 6, 3, 0,          /* "/data/new/g" */
		OP_CHMOD, FPATH(1, FROM_ROOT, 2), 16, 17, 1,           /* it, 0755 (followed) */
		OP_UNLINK, FPATH(1, FROM_ROOT, 4), 10, 8, 16, 17, 0,   /* "/data/../etc/localtime" */
	};

	emit("escape", escape, sizeof(escape));
	emit("slashes", slashes, sizeof(slashes));
	emit("localtime", localtime, sizeof(localtime));
}
