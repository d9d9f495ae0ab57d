/*
 * check_fsshim_twin.c - the fs-shim against the kernel itself: every case
 * of a table is run twice, once through the op functions on a read-write
 * grant and once with plain system calls on a twin tree, and both must
 * give the same errno and leave the same entries behind.
 *
 * The table: (op, path shape, entry kind, how the path is reached).
 *   op     the lookups (OPEN without and with O_NOFOLLOW, O_DIRECTORY,
 *          O_WRONLY; STAT with and without NH_AT_SYMLINK_NOFOLLOW,
 *          READLINK, CHMOD, TRUNCATE, UTIMENS) and the ops on the name
 *          itself (OPEN with O_CREAT, O_CREAT|O_EXCL; UNLINK, RMDIR, MKDIR,
 *          SYMLINK, LINK from and to it, RENAME from and to it, a file and
 *          a directory onto it, with a '/' on the other name too)
 *   shape  x, x/, x//, x/., x/./, x/..
 *   kind   x missing, a file, an empty directory, a link to a file, a link
 *          to a directory, a dangling link, links to "f/" and "nowhere/"
 *          (a '/' from a link's target), absolute links to the file and
 *          the directory (a guest path in the guest's tree, the twin's
 *          host path in the twin: the same entry)
 *   how    an absolute guest path (the fast path), a path relative to a
 *          directory handle, and a path through "d/.." (the slow path)
 * Each case gets a fresh directory c<N> in both trees holding f (a file),
 * d and d2 (empty directories) and x; afterwards both must hold the same
 * (each name's type, a file's size, a link's target). Left out: UTIMENS
 * with NH_AT_SYMLINK_NOFOLLOW on a link itself (a known limit: -ELOOP,
 * fs-shim/README.md). The trees are on /dev/shm when it is there.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"
#include "unit.h"

#define MEM (UINT64_C(16) << 20)
#define ROOT ((uint64_t)(int64_t)NH_AT_ROOT)

static struct nh_host H;
static char T[PATH_MAX], SHIM[PATH_MAX + 8], TWIN[PATH_MAX + 8], DIR0[PATH_MAX + 32];
static uint64_t scratch0, scratch;

static void setup(void)
{
	char p[PATH_MAX];
	struct stat st;

	/* thousands of small trees: on tmpfs when there is one */
	strcpy(T, stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && access("/dev/shm", W_OK) == 0
	              ? "/dev/shm/nh-twin.XXXXXX" : "/tmp/nh-twin.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(T));
	ck_assert_ptr_nonnull(realpath(T, p));
	strcpy(T, p);
	snprintf(SHIM, sizeof(SHIM), "%s/shim", T);
	snprintf(TWIN, sizeof(TWIN), "%s/twin", T);
	ck_assert_int_eq(mkdir(SHIM, 0755), 0);
	ck_assert_int_eq(mkdir(TWIN, 0755), 0);
	snprintf(DIR0, sizeof(DIR0), "%s:/data:rw", SHIM);
	memset(&H, 0, sizeof(H));
	H.opts = (struct nh_opts){.memory = MEM, .image = "img", .max_files = 16,
	                          .dir = {DIR0}, .ndirs = 1};
	ck_assert_int_eq(chdir(SHIM), 0); /* covered by the grant */
	fsshim_setup(&H);
	fsshim_open(&H);
	ram_map(&H);
	scratch0 = scratch = H.ram_start + 0x100000;
}

static void teardown(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", T);
	if (system(cmd) != 0)
		fprintf(stderr, "# could not remove %s\n", T);
}

static uint64_t gstr(const char *s)
{
	uint64_t p = scratch;
	size_t n = strlen(s);

	memcpy((void *)(uintptr_t)p, s, n + 1);
	scratch += (n + 16) & ~(size_t)15;
	return p;
}

#define P(s) gstr(s), strlen(s)

enum kind { MISSING, FILE_, DIR_, LFILE, LDIR, DANGLING, LFILE_SLASH, DANGLING_SLASH,
            ABS_LFILE, ABS_LDIR, NKINDS };
static const char *const kind_name[] = {"missing", "file", "dir", "link to f", "link to d",
                                        "dangling link", "link to f/", "link to nowhere/",
                                        "link to /…/f", "link to /…/d"};
_Static_assert(sizeof(kind_name) / sizeof(kind_name[0]) == NKINDS, "a name per kind");
static const char *const shapes[] = {"", "/", "//", "/.", "/./", "/.."};
#define NSHAPES (sizeof(shapes) / sizeof(shapes[0]))
enum how { ABS, REL, SLOW, NHOWS };
static const char *const how_name[] = {"absolute", "relative to a handle", "through d/.."};

enum op {
	OPEN_R, OPEN_R_NOFOLLOW, OPEN_R_DIR, OPEN_W, OPEN_CREATE, OPEN_CREAT_EXCL, OPEN_R_CREAT,
	STAT, LSTAT, READLINK, CHMOD, TRUNCATE, UTIMENS, UTIMENS_NOFOLLOW,
	UNLINK, RMDIR, MKDIR, SYMLINK, LINK_FROM, LINK_TO, LINK_DIR_SLASH_TO,
	RENAME_FROM, RENAME_FROM_TO_SLASH, RENAME_FILE_TO, RENAME_DIR_TO, RENAME_DIR_SLASH_TO,
	NOPS
};
static const char *const op_name[] = {
	"open O_RDONLY", "open O_NOFOLLOW", "open O_DIRECTORY", "open O_WRONLY",
	"open O_RDWR|O_CREAT|O_TRUNC", "open O_CREAT|O_EXCL", "open O_RDONLY|O_CREAT",
	"stat", "lstat", "readlink", "chmod", "truncate", "utimens", "utimens nofollow",
	"unlink", "rmdir", "mkdir", "symlink t", "link x new", "link f x", "link d/ x",
	"rename x new", "rename x new/", "rename f x", "rename d2 x", "rename d2/ x",
};
_Static_assert(sizeof(op_name) / sizeof(op_name[0]) == NOPS, "a name per op");

static int oflags_of(enum op op)
{
	switch (op) {
	case OPEN_R: return O_RDONLY;
	case OPEN_R_NOFOLLOW: return O_RDONLY | O_NOFOLLOW;
	case OPEN_R_DIR: return O_RDONLY | O_DIRECTORY;
	case OPEN_W: return O_WRONLY;
	case OPEN_CREATE: return O_RDWR | O_CREAT | O_TRUNC;
	case OPEN_CREAT_EXCL: return O_WRONLY | O_CREAT | O_EXCL;
	default: return O_RDONLY | O_CREAT;
	}
}

/* The same flags in the ABI's numbering. */
static uint64_t nh_oflags(int f)
{
	uint64_t o = (uint64_t)(f & O_ACCMODE);

	if (f & O_CREAT)
		o |= NH_O_CREAT;
	if (f & O_EXCL)
		o |= NH_O_EXCL;
	if (f & O_TRUNC)
		o |= NH_O_TRUNC;
	if (f & O_DIRECTORY)
		o |= NH_O_DIRECTORY;
	if (f & O_NOFOLLOW)
		o |= NH_O_NOFOLLOW;
	return o;
}

/* out = a + b + c, which must fit. */
static void cat3(char *out, size_t n, const char *a, const char *b, const char *c)
{
	int r = snprintf(out, n, "%s%s%s", a, b, c);

	ck_assert(r >= 0 && (size_t)r < n);
}

static int kres(long r)
{
	return r < 0 ? -errno : 0;
}

/* The op with plain system calls: x is the path, base + name the others. */
static int kernel_op(enum op op, const char *x, const char *base)
{
	char a[PATH_MAX + 64];
	char buf[64];
	struct stat st;
	int fd;

	switch (op) {
	case OPEN_R: case OPEN_R_NOFOLLOW: case OPEN_R_DIR: case OPEN_W:
	case OPEN_CREATE: case OPEN_CREAT_EXCL: case OPEN_R_CREAT:
		fd = open(x, oflags_of(op) | O_CLOEXEC, 0644);
		if (fd >= 0)
			close(fd);
		return kres(fd);
	case STAT: return kres(stat(x, &st));
	case LSTAT: return kres(lstat(x, &st));
	case READLINK: return kres(readlink(x, buf, sizeof(buf)));
	case CHMOD: return kres(chmod(x, 0755));
	case TRUNCATE: return kres(truncate(x, 0));
	case UTIMENS: return kres(utimensat(AT_FDCWD, x, NULL, 0));
	case UTIMENS_NOFOLLOW: return kres(utimensat(AT_FDCWD, x, NULL, AT_SYMLINK_NOFOLLOW));
	case UNLINK: return kres(unlink(x));
	case RMDIR: return kres(rmdir(x));
	case MKDIR: return kres(mkdir(x, 0755));
	case SYMLINK: return kres(symlink("t", x));
	default: break;
	}
	switch (op) {
	case LINK_FROM: case RENAME_FROM: cat3(a, sizeof(a), base, "new", ""); break;
	case RENAME_FROM_TO_SLASH: cat3(a, sizeof(a), base, "new/", ""); break;
	case LINK_TO: case RENAME_FILE_TO: cat3(a, sizeof(a), base, "f", ""); break;
	case LINK_DIR_SLASH_TO: cat3(a, sizeof(a), base, "d/", ""); break;
	case RENAME_DIR_TO: cat3(a, sizeof(a), base, "d2", ""); break;
	default: cat3(a, sizeof(a), base, "d2/", ""); break;
	}
	switch (op) {
	case LINK_FROM: return kres(link(x, a));
	case LINK_TO: case LINK_DIR_SLASH_TO: return kres(link(a, x));
	case RENAME_FROM: case RENAME_FROM_TO_SLASH: return kres(rename(x, a));
	default: return kres(rename(a, x));
	}
}

/* The op through the fs-shim: (dirfd, x), (dirfd, base + name). */
static int shim_op(enum op op, uint64_t dirfd, const char *x, const char *base)
{
	char a[NH_PATH_MAX + 64];
	uint64_t buf = scratch;
	int64_t r;

	scratch += 128;
	switch (op) {
	case OPEN_R: case OPEN_R_NOFOLLOW: case OPEN_R_DIR: case OPEN_W:
	case OPEN_CREATE: case OPEN_CREAT_EXCL: case OPEN_R_CREAT:
		r = CALL(fsshim_op_open, dirfd, P(x), nh_oflags(oflags_of(op)), 0644);
		if (r >= 0)
			ck_assert_int_eq(CALL(fsshim_op_close, (uint64_t)r), 0);
		return r < 0 ? (int)r : 0;
	case STAT: r = CALL(fsshim_op_stat, dirfd, P(x), buf, 0); break;
	case LSTAT: r = CALL(fsshim_op_stat, dirfd, P(x), buf, NH_AT_SYMLINK_NOFOLLOW); break;
	case READLINK: r = CALL(fsshim_op_readlink, dirfd, P(x), buf, 64); break;
	case CHMOD: r = CALL(fsshim_op_chmod, dirfd, P(x), 0755); break;
	case TRUNCATE: r = CALL(fsshim_op_truncate, dirfd, P(x), 0); break;
	case UTIMENS: r = CALL(fsshim_op_utimens, dirfd, P(x), 0, 0); break;
	case UTIMENS_NOFOLLOW:
		r = CALL(fsshim_op_utimens, dirfd, P(x), 0, NH_AT_SYMLINK_NOFOLLOW);
		break;
	case UNLINK: r = CALL(fsshim_op_unlink, dirfd, P(x), 0); break;
	case RMDIR: r = CALL(fsshim_op_unlink, dirfd, P(x), NH_AT_REMOVEDIR); break;
	case MKDIR: r = CALL(fsshim_op_mkdir, dirfd, P(x), 0755); break;
	case SYMLINK: r = CALL(fsshim_op_symlink, P("t"), dirfd, P(x)); break;
	default:
		switch (op) {
		case LINK_FROM: case RENAME_FROM: cat3(a, sizeof(a), base, "new", ""); break;
		case RENAME_FROM_TO_SLASH: cat3(a, sizeof(a), base, "new/", ""); break;
		case LINK_TO: case RENAME_FILE_TO: cat3(a, sizeof(a), base, "f", ""); break;
		case LINK_DIR_SLASH_TO: cat3(a, sizeof(a), base, "d/", ""); break;
		case RENAME_DIR_TO: cat3(a, sizeof(a), base, "d2", ""); break;
		default: cat3(a, sizeof(a), base, "d2/", ""); break;
		}
		switch (op) {
		case LINK_FROM: r = CALL(fsshim_op_link, dirfd, P(x), dirfd, P(a)); break;
		case LINK_TO: case LINK_DIR_SLASH_TO:
			r = CALL(fsshim_op_link, dirfd, P(a), dirfd, P(x));
			break;
		case RENAME_FROM: case RENAME_FROM_TO_SLASH:
			r = CALL(fsshim_op_rename, dirfd, P(x), dirfd, P(a));
			break;
		default: r = CALL(fsshim_op_rename, dirfd, P(a), dirfd, P(x)); break;
		}
	}
	return r < 0 ? (int)r : 0;
}

/* A case directory: f, d, d2 and x of the given kind; gc is its path as
 * its own tree's links see it (the guest path, or the twin's). */
static void make_case(const char *c, const char *gc, enum kind k)
{
	char target[PATH_MAX + 64];

	char p[PATH_MAX + 64];
	int fd;

	ck_assert_int_eq(mkdir(c, 0755), 0);
	snprintf(p, sizeof(p), "%s/f", c);
	fd = open(p, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "f", 1), 1);
	close(fd);
	snprintf(p, sizeof(p), "%s/d", c);
	ck_assert_int_eq(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/d2", c);
	ck_assert_int_eq(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/x", c);
	switch (k) {
	case FILE_:
		fd = open(p, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
		ck_assert_int_ge(fd, 0);
		close(fd);
		break;
	case DIR_: ck_assert_int_eq(mkdir(p, 0755), 0); break;
	case LFILE: ck_assert_int_eq(symlink("f", p), 0); break;
	case LDIR: ck_assert_int_eq(symlink("d", p), 0); break;
	case DANGLING: ck_assert_int_eq(symlink("nowhere", p), 0); break;
	case LFILE_SLASH: ck_assert_int_eq(symlink("f/", p), 0); break;
	case DANGLING_SLASH: ck_assert_int_eq(symlink("nowhere/", p), 0); break;
	case ABS_LFILE: case ABS_LDIR:
		cat3(target, sizeof(target), gc, k == ABS_LFILE ? "/f" : "/d", "");
		ck_assert_int_eq(symlink(target, p), 0);
		break;
	default: break;
	}
}

/* What a case directory holds afterwards: each name's type and size, a
 * link's target (gc, the case's path in its tree, taken off). */
static void summary(const char *c, const char *gc, char *out, size_t len)
{
	static const char *const names[] = {"x", "new", "f", "d", "d2", "nowhere", "d/x", "d2/x"};
	size_t n = 0;

	out[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && n < len; i++) {
		char p[PATH_MAX + 64], target[64] = "";
		struct stat st;
		ssize_t tl;

		snprintf(p, sizeof(p), "%s/%s", c, names[i]);
		if (lstat(p, &st) != 0) {
			n += (size_t)snprintf(out + n, len - n, "%s:- ", names[i]);
			continue;
		}
		if (S_ISLNK(st.st_mode) && (tl = readlink(p, target, sizeof(target) - 1)) >= 0)
			target[tl] = '\0';
		n += (size_t)snprintf(out + n, len - n, "%s:%o/%lld%s%s ", names[i],
		                      (unsigned)(st.st_mode & S_IFMT) >> 12,
		                      S_ISDIR(st.st_mode) || S_ISLNK(st.st_mode) ? 0LL
		                                                                 : (long long)st.st_size,
		                      target[0] ? "->" : "",
		                      strncmp(target, gc, strlen(gc)) == 0 ? target + strlen(gc) : target);
	}
}

/* One case in both trees (case directory c<id>): false, with what differs
 * in diff, when the fs-shim and the kernel disagree. */
static bool one_case(enum op op, enum kind k, const char *shape, enum how how, unsigned id,
                     char *diff, size_t difflen)
{
	char sc[PATH_MAX + 32], kc[PATH_MAX + 32], gc[64], gx[NH_PATH_MAX], gbase[NH_PATH_MAX];
	char kx[PATH_MAX + 64], kbase[PATH_MAX + 64], ssum[512], ksum[512];
	uint64_t dirfd = ROOT;
	int64_t h = -1;
	int want, got;
	bool same;

	scratch = scratch0;
	snprintf(sc, sizeof(sc), "%s/c%u", SHIM, id);
	snprintf(kc, sizeof(kc), "%s/c%u", TWIN, id);
	snprintf(gc, sizeof(gc), "/data/c%u", id);
	make_case(sc, gc, k);
	make_case(kc, kc, k);
	cat3(kbase, sizeof(kbase), kc, how == SLOW ? "/d/../" : "/", "");
	switch (how) {
	case ABS: cat3(gbase, sizeof(gbase), gc, "/", ""); break;
	case REL:
		h = CALL(fsshim_op_open, ROOT, P(gc), NH_O_RDONLY | NH_O_DIRECTORY, 0);
		ck_assert_int_ge(h, 3);
		dirfd = (uint64_t)h;
		gbase[0] = '\0';
		break;
	default: cat3(gbase, sizeof(gbase), gc, "/d/../", ""); break;
	}
	cat3(gx, sizeof(gx), gbase, "x", shape);
	cat3(kx, sizeof(kx), kbase, "x", shape);
	want = kernel_op(op, kx, kbase);
	got = shim_op(op, dirfd, gx, gbase);
	if (h >= 0)
		ck_assert_int_eq(CALL(fsshim_op_close, (uint64_t)h), 0);
	summary(sc, gc, ssum, sizeof(ssum));
	summary(kc, kc, ksum, sizeof(ksum));
	same = strcmp(ssum, ksum) == 0;
	if (want == got && same)
		return true;
	snprintf(diff, difflen, "%s \"x%s\", x %s, %s: kernel %s, shim %s%s%s%s%s\n", op_name[op],
	         shape, kind_name[k], how_name[how], want ? strerrorname_np(-want) : "ok",
	         got ? strerrorname_np(-got) : "ok", same ? "" : "\n  kernel left ",
	         same ? "" : ksum, same ? "" : "\n  shim left   ", same ? "" : ssum);
	return false;
}

START_TEST(test_twin_table)
{
	static char report[2048]; /* libcheck's messages are short: the rest goes to stderr */
	char diff[1400];
	size_t rn = 0;
	unsigned cases = 0, bad = 0;

	report[0] = '\0';
	for (int op = 0; op < NOPS; op++)
		for (int k = 0; k < NKINDS; k++)
			for (size_t s = 0; s < NSHAPES; s++)
				for (int how = 0; how < NHOWS; how++) {
					if (op == UTIMENS_NOFOLLOW && k >= LFILE && shapes[s][0] == '\0')
						continue; /* the known limit: a link's own times */
					cases++;
					if (one_case((enum op)op, (enum kind)k, shapes[s], (enum how)how,
					             cases, diff, sizeof(diff)))
						continue;
					if (++bad <= 100)
						fputs(diff, stderr);
					if (rn + strlen(diff) < sizeof(report))
						rn += (size_t)snprintf(report + rn, sizeof(report) - rn, "%s", diff);
				}
	fprintf(stderr, "# fsshim twin: %u cases, %u differ from the kernel\n", cases, bad);
	ck_assert_msg(bad == 0, "%u of %u cases differ from the kernel:\n%s", bad, cases, report);
}
END_TEST

Suite *fsshim_twin_suite(void)
{
	Suite *s = suite_create("fsshim_twin");
	TCase *tc = tcase_create("kernel");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_twin_table);
	suite_add_tcase(s, tc);
	return s;
}
