/*
 * check_fsshim.c - unit tests of fs-shim/: the op functions driven directly
 * over a real directory tree, with guest RAM mapped at NH_RAM_START
 * in the (forked) test process, as check_ram.c does.
 *
 * The tree, fresh for each test in /tmp/nh-fsshim.XXXXXX (T):
 *   T/canary          outside every grant; its content, atime and mtime
 *                     must be unchanged after the adversarial table
 *   T/rw/             granted read-write at guest /data
 *     hello.txt, sub/, big/ (1000 entries, for readdir paging)
 *     up -> ../canary, root -> /, loop1 <-> loop2, proc -> /proc/self/root,
 *     toro -> <T/ro>/file (into the read-only grant), dotdot -> ..
 *   T/ro/             granted read-only at its own path
 *     file
 *   T/other/          granted read-write at guest /other/place
 * So the guest tree has the synthetic directories /, /dev, /other, /tmp,
 * T, and /dev/null, served by the fs-shim.
 * Checked: an adversarial table (escapes, loops, magic links, EXDEV, NUL,
 * 64 KiB paths, EROFS for every write op into the read-only grant and the
 * synthetic part, EMFILE, EBADF, EFAULT), the ordinary successes of every
 * op, readdir paging, /dev/null (and a grant at /dev winning over it),
 * --dir parsing and the grant-set errors, and the removal of the run's
 * directory (the private TMPDIR and the guest's /etc) by the supervising
 * parent. check_fsshim_twin.c compares the trailing "/", "/." and "/.."
 * rules with the kernel's; check_fsshim_etc.c tests the guest's /etc.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"
#include "unit.h"

#define MEM (UINT64_C(16) << 20)
#define MAX_FILES 8

static struct nh_host H;
static char T[PATH_MAX], RO[PATH_MAX], DIRS[3][PATH_MAX + 32];
static uint64_t scratch; /* bump allocator in guest RAM */
static struct stat canary_before;

static void link_in(const char *dir, const char *name, const char *target)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	ck_assert_int_eq(symlink(target, p), 0);
}

static void make_tree(void)
{
	char rw[PATH_MAX], p[PATH_MAX + 64], target[PATH_MAX + 64];
	struct timespec past[2] = {{1577934245, 0}, {1577934245, 0}};

	strcpy(T, "/tmp/nh-fsshim.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(T));
	ck_assert_ptr_nonnull(realpath(T, p));
	strcpy(T, p);
	unit_put(T, "canary", "canary: must stay untouched\n");
	snprintf(p, sizeof(p), "%s/canary", T);
	ck_assert_int_eq(utimensat(AT_FDCWD, p, past, 0), 0);
	ck_assert_int_eq(stat(p, &canary_before), 0);
	snprintf(rw, sizeof(rw), "%s/rw", T);
	snprintf(RO, sizeof(RO), "%s/ro", T);
	ck_assert_int_eq(mkdir(rw, 0755), 0);
	ck_assert_int_eq(mkdir(RO, 0755), 0);
	snprintf(p, sizeof(p), "%s/other", T);
	ck_assert_int_eq(mkdir(p, 0755), 0);
	unit_put(rw, "hello.txt", "hello\n");
	unit_put(RO, "file", "ro\n");
	snprintf(p, sizeof(p), "%s/sub", rw);
	ck_assert_int_eq(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/big", rw);
	ck_assert_int_eq(mkdir(p, 0755), 0);
	for (int i = 0; i < 1000; i++) {
		char name[32];

		snprintf(name, sizeof(name), "entry-%04d", i);
		unit_put(p, name, "");
	}
	link_in(rw, "up", "../canary");
	link_in(rw, "root", "/");
	link_in(rw, "loop1", "loop2");
	link_in(rw, "loop2", "loop1");
	link_in(rw, "proc", "/proc/self/root");
	snprintf(target, sizeof(target), "%s/file", RO);
	link_in(rw, "toro", target);
	link_in(rw, "dotdot", "..");
	snprintf(DIRS[0], sizeof(DIRS[0]), "%s:/data:rw", rw);
	snprintf(DIRS[1], sizeof(DIRS[1]), "%s:ro", RO);
	snprintf(DIRS[2], sizeof(DIRS[2]), "%s/other:/other/place:rw", T);
}

static void setup(void)
{
	make_tree();
	memset(&H, 0, sizeof(H));
	H.opts = (struct nh_opts){.memory = MEM, .image = "img", .max_files = MAX_FILES,
	                          .dir = {DIRS[0], DIRS[1], DIRS[2]}, .ndirs = 3};
	ck_assert_int_eq(chdir(RO), 0); /* covered by the read-only grant */
	fsshim_setup(&H);
	fsshim_open(&H);
	ram_map(&H);
	scratch = H.ram_start + 0x100000;
}

static void teardown(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", T);
	if (system(cmd) != 0)
		fprintf(stderr, "# could not remove %s\n", T);
}

/* Guest memory, from scratch. */
#define galloc(n) unit_galloc(&scratch, (n))

static uint64_t gstr(const char *s)
{
	uint64_t p = galloc(strlen(s) + 1);

	memcpy((void *)(uintptr_t)p, s, strlen(s));
	return p;
}

#define ROOT ((uint64_t)(int64_t)NH_AT_ROOT)
/* path ops: dirfd, string, length */
#define P(s) gstr(s), strlen(s)

static int64_t open_(uint64_t dirfd, const char *p, uint64_t flags, uint64_t mode)
{
	return CALL(fsshim_op_open, dirfd, P(p), flags, mode);
}

static int64_t stat_(uint64_t dirfd, const char *p, struct nh_stat *out, uint64_t flags)
{
	uint64_t buf = galloc(sizeof(*out));
	int64_t r = CALL(fsshim_op_stat, dirfd, P(p), buf, flags);

	memcpy(out, (void *)(uintptr_t)buf, sizeof(*out));
	return r;
}

static int64_t read_all(int64_t fd, char *out, size_t n)
{
	uint64_t buf = galloc(n);
	int64_t r = CALL(fsshim_op_read, (uint64_t)fd, buf, n);

	if (r > 0)
		memcpy(out, (void *)(uintptr_t)buf, (size_t)r);
	if (r >= 0 && (size_t)r < n)
		out[r] = '\0';
	return r;
}

static char *ro(const char *rest)
{
	static char buf[4][PATH_MAX + 64];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s%s", RO, rest);
	return buf[k];
}

static char *tpath(const char *rest)
{
	static char buf[4][PATH_MAX + 64];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s%s", T, rest);
	return buf[k];
}


/* ---- the adversarial table -------------------------------------------------- */

START_TEST(test_escapes)
{
	struct nh_stat st;
	int64_t data = open_(ROOT, "/data", NH_O_RDONLY | NH_O_DIRECTORY, 0);
	char buf[64];
	int64_t fd;

	ck_assert_int_ge(data, 3);
	EQ(open_(ROOT, "../../etc/passwd", NH_O_RDONLY, 0), -NH_ENOENT);
	EQ(open_(ROOT, "/data/../../etc/passwd", NH_O_RDONLY, 0), -NH_ENOENT);
	EQ(open_((uint64_t)data, "../../etc/passwd", NH_O_RDONLY, 0), -NH_ENOENT);
	EQ(open_((uint64_t)data, "../canary", NH_O_RDONLY, 0), -NH_ENOENT);
	EQ(open_(ROOT, ro("/../canary"), NH_O_RDONLY, 0), -NH_ENOENT);
	EQ(open_(ROOT, tpath("/canary"), NH_O_RDONLY, 0), -NH_ENOENT);
	EQ(open_(ROOT, "/data/up", NH_O_RDONLY, 0), -NH_ENOENT);   /* ../canary, climbing out */
	EQ(open_(ROOT, "/data/root/etc/passwd", NH_O_RDONLY, 0), -NH_ENOENT); /* link to / */
	EQ(open_((uint64_t)data, "root/etc/passwd", NH_O_RDONLY, 0), -NH_ENOENT);
	EQ(open_(ROOT, "/data/root/data/root/../../etc/passwd", NH_O_RDONLY, 0), -NH_ENOENT);
	EQ(open_(ROOT, "/data/loop1", NH_O_RDONLY, 0), -NH_ELOOP);
	EQ(open_(ROOT, "/data/loop1/x", NH_O_RDONLY, 0), -NH_ELOOP);
	EQ(open_(ROOT, "/data/proc", NH_O_RDONLY, 0), -NH_ENOENT);  /* /proc/self/root */
	EQ(open_(ROOT, "/data/proc/etc/passwd", NH_O_RDONLY, 0), -NH_ENOENT);
	EQ(stat_(ROOT, "/data/proc", &st, 0), -NH_ENOENT);
	EQ(stat_(ROOT, "/etc/passwd", &st, 0), -NH_ENOENT);
	EQ(stat_(ROOT, "/data/up", &st, NH_AT_SYMLINK_NOFOLLOW), 0); /* the link itself is there */
	ck_assert((st.mode & S_IFMT) == S_IFLNK);
	/* a link to / is the guest's root, a synthetic directory */
	EQ(stat_(ROOT, "/data/root", &st, 0), 0);
	ck_assert_uint_eq(st.mode, S_IFDIR | 0555);
	EQ(stat_(ROOT, "/data/dotdot", &st, 0), 0); /* /data/.. = / */
	ck_assert_uint_eq(st.mode, S_IFDIR | 0555);
	/* through the guest's root into the grant again: allowed, and right */
	fd = open_(ROOT, "/data/root/data/hello.txt", NH_O_RDONLY, 0);
	ck_assert_int_ge(fd, 3);
	EQ(read_all(fd, buf, sizeof(buf)), 6);
	ck_assert_str_eq(buf, "hello\n");
	EQ(CALL(fsshim_op_close, (uint64_t)fd), 0);
	fd = open_(ROOT, "/data/dotdot/data/sub/../hello.txt", NH_O_RDONLY, 0);
	ck_assert_int_ge(fd, 3);
	EQ(CALL(fsshim_op_close, (uint64_t)fd), 0);
	/* an absolute link into another grant */
	fd = open_(ROOT, "/data/toro", NH_O_RDONLY, 0);
	ck_assert_int_ge(fd, 3);
	EQ(read_all(fd, buf, sizeof(buf)), 3);
	ck_assert_str_eq(buf, "ro\n");
	EQ(CALL(fsshim_op_close, (uint64_t)fd), 0);
	EQ(open_(ROOT, "/data/toro", NH_O_WRONLY, 0), -NH_EROFS); /* it lands read-only */
	/* a link made by the guest, pointing out */
	EQ(CALL(fsshim_op_symlink, P("/etc/passwd"), ROOT, P("/data/mine")), 0);
	EQ(open_(ROOT, "/data/mine", NH_O_RDONLY, 0), -NH_ENOENT);
	EQ(CALL(fsshim_op_symlink, P("../../../../../../etc/passwd"), ROOT, P("/data/mine2")), 0);
	EQ(open_(ROOT, "/data/mine2", NH_O_RDONLY, 0), -NH_ENOENT);
	EQ(open_(ROOT, "/data/mine2", NH_O_WRONLY | NH_O_CREAT, 0644), -NH_ENOENT);
	EQ(CALL(fsshim_op_close, (uint64_t)data), 0);
}
END_TEST

START_TEST(test_cross_grant)
{
	EQ(CALL(fsshim_op_rename, ROOT, P("/data/hello.txt"), ROOT, P("/other/place/x")), -NH_EXDEV);
	EQ(CALL(fsshim_op_link, ROOT, P("/data/hello.txt"), ROOT, P("/other/place/x")), -NH_EXDEV);
	EQ(CALL(fsshim_op_rename, ROOT, P(ro("/file")), ROOT, P("/data/x")), -NH_EXDEV);
	EQ(CALL(fsshim_op_link, ROOT, P(ro("/file")), ROOT, P("/data/x")), -NH_EXDEV);
	/* LINK, as Linux: a new name that is there, then a read-only one, then
	 * another grant (rename checks the grants first, as Linux its mounts) */
	EQ(CALL(fsshim_op_link, ROOT, P(ro("/file")), ROOT, P("/data/hello.txt")), -NH_EEXIST);
	EQ(CALL(fsshim_op_link, ROOT, P("/data/hello.txt"), ROOT, P(ro("/file"))), -NH_EEXIST);
	EQ(CALL(fsshim_op_link, ROOT, P("/data/hello.txt"), ROOT, P(ro("/new"))), -NH_EROFS);
	EQ(CALL(fsshim_op_link, ROOT, P("/data/hello.txt"), ROOT, P("/other")), -NH_EEXIST);
	EQ(CALL(fsshim_op_rename, ROOT, P("/data/hello.txt"), ROOT, P("/x")), -NH_EXDEV);
	/* a link to another grant's file, renamed within /data: the link moves */
	EQ(CALL(fsshim_op_rename, ROOT, P("/data/toro"), ROOT, P("/data/sub/toro")), 0);
}
END_TEST

/* Without openat2 (qemu-user), the walk one name at a time: what stays
 * beneath opens; every way out, and every link, is -EXDEV under
 * RESOLVE_BENEATH (the caller then resolves in the guest's tree) and
 * -ELOOP or -EXDEV under RESOLVE_NO_SYMLINKS, as openat2 says. */
START_TEST(test_openat_walk)
{
	const uint64_t beneath = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
	const uint64_t exact = beneath | RESOLVE_NO_SYMLINKS;
	char rw[PATH_MAX + 8];
	struct stat st;
	int d, fd;

	snprintf(rw, sizeof(rw), "%s/rw", T);
	d = open(rw, O_PATH | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(d, 0);
	fd = fsshim_openat_walk(d, "hello.txt", O_RDONLY, 0, exact);
	ck_assert_int_ge(fd, 0);
	close(fd);
	fd = fsshim_openat_walk(d, "sub//../sub/.", O_PATH, 0, exact);
	ck_assert_int_eq(fd, -EXDEV); /* ".." is refused, even when it stays */
	fd = fsshim_openat_walk(d, "./sub/", O_PATH | O_DIRECTORY, 0, exact);
	ck_assert_int_ge(fd, 0);
	close(fd);
	fd = fsshim_openat_walk(d, "sub/new", O_WRONLY | O_CREAT | O_EXCL, 0600, beneath);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(fsshim_openat_walk(d, "../canary", O_RDONLY, 0, beneath), -EXDEV);
	ck_assert_int_eq(fsshim_openat_walk(d, "/etc/passwd", O_RDONLY, 0, beneath), -EXDEV);
	ck_assert_int_eq(fsshim_openat_walk(d, "", O_RDONLY, 0, beneath), -ENOENT);
	ck_assert_int_eq(fsshim_openat_walk(d, "nothing/here", O_RDONLY, 0, beneath), -ENOENT);
	ck_assert_int_eq(fsshim_openat_walk(d, "hello.txt/x", O_RDONLY, 0, beneath), -ENOTDIR);
	static const char *const links[] = {"up", "root", "loop1", "proc", "toro", "dotdot"};
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		char through[64];

		ck_assert_int_eq(fsshim_openat_walk(d, links[i], O_RDONLY, 0, beneath), -EXDEV);
		ck_assert_int_eq(fsshim_openat_walk(d, links[i], O_RDONLY, 0, exact), -ELOOP);
		ck_assert_int_eq(fsshim_openat_walk(d, links[i], O_PATH, 0, beneath), -EXDEV);
		ck_assert_int_eq(fsshim_openat_walk(d, links[i], O_WRONLY | O_CREAT, 0600, exact), -ELOOP);
		snprintf(through, sizeof(through), "%s/x", links[i]);
		ck_assert_int_eq(fsshim_openat_walk(d, through, O_RDONLY, 0, beneath), -EXDEV);
		ck_assert_int_eq(fsshim_openat_walk(d, through, O_RDONLY, 0, exact), -ELOOP);
		/* O_PATH | O_NOFOLLOW: the link itself, as with openat2. */
		fd = fsshim_openat_walk(d, links[i], O_PATH | O_NOFOLLOW, 0, exact);
		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(fstat(fd, &st), 0);
		ck_assert(S_ISLNK(st.st_mode));
		close(fd);
	}
	/* A link that stays beneath (to a directory) is left to the slow path
	 * too, however it is reached: as a directory, before a '/', last. */
	link_in(rw, "tosub", "sub");
	ck_assert_int_eq(fsshim_openat_walk(d, "tosub", O_PATH | O_DIRECTORY, 0, beneath), -EXDEV);
	ck_assert_int_eq(fsshim_openat_walk(d, "tosub/", O_PATH | O_NOFOLLOW, 0, beneath), -EXDEV);
	ck_assert_int_eq(fsshim_openat_walk(d, "tosub/new", O_PATH, 0, beneath), -EXDEV);
	ck_assert_int_eq(fsshim_openat_walk(d, "tosub", O_RDONLY | O_NOFOLLOW, 0, beneath), -ELOOP);
	ck_assert_int_eq(fsshim_openat_walk(d, "tosub", O_PATH | O_DIRECTORY, 0, exact), -ELOOP);
	close(d);
}
END_TEST

START_TEST(test_bad_paths)
{
	static const char nul[] = "/data/hello.txt\0/x";
	uint64_t p = galloc(sizeof(nul)), big = galloc(65536);
	struct nh_stat st;

	memcpy((void *)(uintptr_t)p, nul, sizeof(nul));
	memset((void *)(uintptr_t)big, 'a', 65536);
	EQ(CALL(fsshim_op_open, ROOT, p, sizeof(nul) - 1, NH_O_RDONLY, 0), -NH_EINVAL);
	EQ(CALL(fsshim_op_open, ROOT, big, 65536, NH_O_RDONLY, 0), -NH_ENAMETOOLONG);
	EQ(CALL(fsshim_op_open, ROOT, big, NH_PATH_MAX + 1, NH_O_RDONLY, 0), -NH_ENAMETOOLONG);
	EQ(CALL(fsshim_op_mkdir, ROOT, big, 65536, 0755), -NH_ENAMETOOLONG);
	EQ(CALL(fsshim_op_symlink, big, 65536, ROOT, P("/data/l")), -NH_ENAMETOOLONG);
	EQ(CALL(fsshim_op_rename, ROOT, P("/data/hello.txt"), ROOT, big, 65536), -NH_ENAMETOOLONG);
	EQ(CALL(fsshim_op_open, ROOT, p, 0, NH_O_RDONLY, 0), -NH_ENOENT); /* empty */
	((char *)(uintptr_t)big)[0] = '/';
	EQ(CALL(fsshim_op_open, ROOT, big, NH_PATH_MAX, NH_O_RDONLY, 0), -NH_ENAMETOOLONG);
	/* a long path of short names, and a name longer than 255 bytes */
	EQ(open_(ROOT, "/data/sub/./././././././../sub/../../data/hello.txt/", NH_O_RDONLY, 0),
	   -NH_ENOTDIR);
	memset((void *)(uintptr_t)big, 'b', 300);
	memcpy((void *)(uintptr_t)big, "/data/", 6);
	EQ(CALL(fsshim_op_open, ROOT, big, 300, NH_O_RDONLY, 0), -NH_ENAMETOOLONG);
	EQ(CALL(fsshim_op_mkdir, ROOT, big, 300, 0755), -NH_ENAMETOOLONG);
	/* unknown flag bits, modes, whence */
	EQ(open_(ROOT, "/data/hello.txt", 0x40000000, 0), -NH_EINVAL);
	EQ(open_(ROOT, "/data/hello.txt", 3, 0), -NH_EINVAL);
	EQ(open_(ROOT, "/data/hello.txt", 010000, 0), -NH_EINVAL); /* half of NH_O_SYNC */
	EQ(CALL(fsshim_op_close, (uint64_t)open_(ROOT, "/data/hello.txt", NH_O_WRONLY | NH_O_SYNC, 0)), 0);
	EQ(open_(ROOT, "/data/new", NH_O_CREAT | NH_O_WRONLY, 010000), -NH_EINVAL);
	EQ(stat_(ROOT, "/data", &st, 0x1000), -NH_EINVAL);
	EQ(CALL(fsshim_op_unlink, ROOT, P("/data/hello.txt"), 0x100), -NH_EINVAL);
	EQ(CALL(fsshim_op_mkdir, ROOT, P("/data/d"), 0170000), -NH_EINVAL);
	EQ(CALL(fsshim_op_chmod, ROOT, P("/data/hello.txt"), 0100644), -NH_EINVAL);
	EQ(CALL(fsshim_op_chown, ROOT, P("/data/hello.txt"), -1, -1, 0x200), -NH_EINVAL);
	EQ(CALL(fsshim_op_chown, ROOT, P("/data/hello.txt"), UINT32_MAX, -1, 0), -NH_EINVAL);
	EQ(CALL(fsshim_op_chown, ROOT, P("/data/hello.txt"), -1, (uint64_t)1 << 32, 0), -NH_EINVAL);
	EQ(CALL(fsshim_op_chown, ROOT, P("/data/hello.txt"), -2, -1, 0), -NH_EINVAL);
	EQ(CALL(fsshim_op_truncate, ROOT, P("/data/hello.txt"), (uint64_t)-1), -NH_EINVAL);
}
END_TEST

/* Every write op into the read-only grant and into the synthetic part. */
START_TEST(test_erofs)
{
	uint64_t ts = galloc(sizeof(struct nh_timespec) * 2);
	int64_t fd = open_(ROOT, ro("/file"), NH_O_RDONLY, 0);

	memset((void *)(uintptr_t)ts, 0, 32);
	ck_assert_int_ge(fd, 3);
	EQ(open_(ROOT, ro("/file"), NH_O_WRONLY, 0), -NH_EROFS);
	EQ(open_(ROOT, ro("/file"), NH_O_RDWR, 0), -NH_EROFS);
	EQ(open_(ROOT, ro("/file"), NH_O_RDONLY | NH_O_TRUNC, 0), -NH_EROFS);
	EQ(open_(ROOT, ro("/file"), NH_O_WRONLY | NH_O_APPEND, 0), -NH_EROFS);
	EQ(open_(ROOT, ro("/new"), NH_O_WRONLY | NH_O_CREAT, 0644), -NH_EROFS);
	EQ(open_(ROOT, "file", NH_O_RDWR, 0), -NH_EROFS); /* relative to NH_AT_ROOT: "/file" */
	EQ(CALL(fsshim_op_mkdir, ROOT, P(ro("/d")), 0755), -NH_EROFS);
	EQ(CALL(fsshim_op_unlink, ROOT, P(ro("/file")), 0), -NH_EROFS);
	EQ(CALL(fsshim_op_rename, ROOT, P(ro("/file")), ROOT, P(ro("/file2"))), -NH_EROFS);
	EQ(CALL(fsshim_op_link, ROOT, P(ro("/file")), ROOT, P(ro("/file2"))), -NH_EROFS);
	EQ(CALL(fsshim_op_symlink, P("file"), ROOT, P(ro("/l"))), -NH_EROFS);
	EQ(CALL(fsshim_op_chmod, ROOT, P(ro("/file")), 0777), -NH_EROFS);
	EQ(CALL(fsshim_op_truncate, ROOT, P(ro("/file")), 0), -NH_EROFS);
	EQ(CALL(fsshim_op_utimens, ROOT, P(ro("/file")), ts, 0), -NH_EROFS);
	EQ(CALL(fsshim_op_chmod, (uint64_t)fd, 0, 0, 0777), -NH_EROFS);     /* the handle */
	EQ(CALL(fsshim_op_chown, ROOT, P(ro("/file")), -1, -1, 0), -NH_EROFS);
	EQ(CALL(fsshim_op_chown, (uint64_t)fd, 0, 0, -1, -1, 0), -NH_EROFS);
	EQ(CALL(fsshim_op_truncate, (uint64_t)fd, 0, 0, 0), -NH_EROFS);
	EQ(CALL(fsshim_op_utimens, (uint64_t)fd, 0, 0, ts, 0), -NH_EROFS);
	EQ(CALL(fsshim_op_write, (uint64_t)fd, ts, 1), -NH_EBADF);      /* opened read-only */
	/* the synthetic part: /, /other, /tmp, T */
	EQ(open_(ROOT, "/newfile", NH_O_WRONLY | NH_O_CREAT, 0644), -NH_EROFS);
	EQ(open_(ROOT, "/", NH_O_RDWR, 0), -NH_EROFS);
	EQ(open_(ROOT, tpath("/canary"), NH_O_WRONLY, 0), -NH_EROFS);
	EQ(CALL(fsshim_op_mkdir, ROOT, P("/newdir"), 0755), -NH_EROFS);
	EQ(CALL(fsshim_op_mkdir, ROOT, P("/other"), 0755), -NH_EEXIST);
	EQ(CALL(fsshim_op_mkdir, ROOT, P("/data"), 0755), -NH_EEXIST);
	EQ(CALL(fsshim_op_unlink, ROOT, P("/other"), NH_AT_REMOVEDIR), -NH_EROFS);
	EQ(CALL(fsshim_op_unlink, ROOT, P("/data"), NH_AT_REMOVEDIR), -EBUSY);
	EQ(CALL(fsshim_op_unlink, ROOT, P(tpath("/canary")), 0), -NH_ENOENT);
	EQ(CALL(fsshim_op_rename, ROOT, P("/other"), ROOT, P("/other2")), -NH_EROFS);
	EQ(CALL(fsshim_op_link, ROOT, P("/other"), ROOT, P("/other2")), -NH_EROFS);
	EQ(CALL(fsshim_op_symlink, P("/data"), ROOT, P("/l")), -NH_EROFS);
	EQ(CALL(fsshim_op_chmod, ROOT, P("/"), 0777), -NH_EROFS);
	EQ(CALL(fsshim_op_chmod, ROOT, P("/other"), 0777), -NH_EROFS);
	EQ(CALL(fsshim_op_chown, ROOT, P("/other"), -1, -1, 0), -NH_EROFS);
	EQ(CALL(fsshim_op_truncate, ROOT, P("/other"), 0), -NH_EROFS);
	EQ(CALL(fsshim_op_utimens, ROOT, P("/"), 0, 0), -NH_EROFS);
	EQ(CALL(fsshim_op_utimens, ROOT, 0, 0, ts, 0), -NH_EROFS); /* pathlen 0 at the root */
	EQ(CALL(fsshim_op_close, (uint64_t)fd), 0);
}
END_TEST

START_TEST(test_handles)
{
	int64_t fd[MAX_FILES], r;
	uint64_t buf = galloc(16);

	for (int i = 0; i < MAX_FILES; i++) {
		fd[i] = open_(ROOT, "/data/hello.txt", NH_O_RDONLY, 0);
		EQ(fd[i], 3 + i);
	}
	EQ(open_(ROOT, "/data/hello.txt", NH_O_RDONLY, 0), -NH_EMFILE);
	EQ(open_(ROOT, "/", NH_O_RDONLY, 0), -NH_EMFILE);
	EQ(CALL(fsshim_op_close, 5), 0);
	EQ(open_(ROOT, "/", NH_O_RDONLY, 0), 5); /* lowest free first */
	for (int i = 0; i < MAX_FILES; i++)
		EQ(CALL(fsshim_op_close, (uint64_t)fd[i]), 0);
	EQ(CALL(fsshim_op_close, 3), -NH_EBADF);
	/* bad handles */
	EQ(CALL(fsshim_op_read, 99, buf, 1), -NH_EBADF);
	EQ(CALL(fsshim_op_read, 1, buf, 1), -NH_EBADF);
	EQ(CALL(fsshim_op_read, (uint64_t)-1, buf, 1), -NH_EBADF);
	EQ(CALL(fsshim_op_write, 0, buf, 1), -NH_EBADF); /* stdin */
	/* the console once closed (hook_console.c; closing it for real here
	 * would take this process's own stdout: the procs guest does that) */
	H.console_closed = 6;
	EQ(CALL(fsshim_op_close, 1), -NH_EBADF);
	EQ(CALL(fsshim_op_close, 2), -NH_EBADF);
	H.console_closed = 0;
	EQ(CALL(fsshim_op_fsync, 77), -NH_EBADF);
	EQ(CALL(fsshim_op_seek, 77, 0, 0), -NH_EBADF);
	EQ(CALL(fsshim_op_readdir, 77, buf, 16, 0), -NH_EBADF);
	EQ(open_(77, "x", NH_O_RDONLY, 0), -NH_EBADF);
	EQ(open_((uint64_t)-5, "x", NH_O_RDONLY, 0), -NH_EBADF);
	EQ(open_(77, "/data/hello.txt", NH_O_RDONLY, 0), 3); /* absolute: dirfd ignored */
	EQ(open_(3, "x", NH_O_RDONLY, 0), -NH_ENOTDIR);      /* a file is no dirfd */
	EQ(open_(0, "x", NH_O_RDONLY, 0), -NH_ENOTDIR);      /* nor is stdin */
	EQ(CALL(fsshim_op_readdir, 3, buf, 16, 0), -NH_ENOTDIR);
	/* stdin: handle 0 */
	r = CALL(fsshim_op_close, 0);
	EQ(r, 0);
	EQ(CALL(fsshim_op_read, 0, buf, 1), -NH_EBADF);
	ck_assert_int_ge(fcntl(0, F_GETFD), 0); /* the host's fd 0 stays */
}
END_TEST

/* FS_DUP of the console (debug.SetCrashOutput(os.Stdout)): a CONSOLE
 * handle on the host's 1, write-only and not seekable as the console is,
 * that outlives a CLOSE of the console; a closed console has no dup. */
START_TEST(test_console_dup)
{
	uint64_t buf = galloc(16), st = galloc(sizeof(struct nh_stat));
	int64_t d, e;

	d = CALL(fsshim_op_dup, 1);
	EQ(d, 3);
	EQ(H.fs.handle[d].kind, FSSHIM_CONSOLE);
	ck_assert_int_ge(H.fs.handle[d].fd, H.fs.fd_floor);
	EQ(CALL(fsshim_op_write, (uint64_t)d, buf, 0), 0);
	EQ(CALL(fsshim_op_read, (uint64_t)d, buf, 1), -NH_EBADF);
	EQ(CALL(fsshim_op_pwrite, (uint64_t)d, buf, 1, 0), -NH_ESPIPE);
	EQ(CALL(fsshim_op_pread, (uint64_t)d, buf, 1, 0), -NH_ESPIPE);
	EQ(CALL(fsshim_op_seek, (uint64_t)d, 0, 0), -NH_ESPIPE);
	EQ(CALL(fsshim_op_fsync, (uint64_t)d), 0);
	EQ(CALL(fsshim_op_stat, (uint64_t)d, 0, 0, st, 0), 0);
	EQ(CALL(fsshim_op_chmod, (uint64_t)d, 0, 0, 0600), -NH_EBADF);
	EQ(CALL(fsshim_op_truncate, (uint64_t)d, 0, 0, 0), -NH_EBADF);
	EQ(open_((uint64_t)d, "x", NH_O_RDONLY, 0), -NH_ENOTDIR);
	e = CALL(fsshim_op_dup, (uint64_t)d); /* a dup of the dup */
	EQ(e, 4);
	EQ(H.fs.handle[e].kind, FSSHIM_CONSOLE);
	EQ(CALL(fsshim_op_close, (uint64_t)e), 0);
	H.console_closed = 2; /* 1 closed (hook_console.c) */
	EQ(CALL(fsshim_op_dup, 1), -NH_EBADF);
	EQ(CALL(fsshim_op_write, (uint64_t)d, buf, 0), 0); /* the dup stays */
	H.console_closed = 0;
	EQ(CALL(fsshim_op_close, (uint64_t)d), 0);
	EQ(CALL(fsshim_op_close, (uint64_t)d), -NH_EBADF);
	ck_assert_int_ge(fcntl(1, F_GETFD), 0); /* the host's fd 1 stays */
}
END_TEST

START_TEST(test_efault)
{
	int64_t fd = open_(ROOT, "/data/hello.txt", NH_O_RDWR, 0);
	int64_t d = open_(ROOT, "/data", NH_O_RDONLY, 0);
	uint64_t guard = H.guard_lo, top = H.stack_top;

	ck_assert_int_ge(fd, 3);
	EQ(CALL(fsshim_op_open, ROOT, 0, 5, NH_O_RDONLY, 0), -NH_EFAULT);
	EQ(CALL(fsshim_op_open, ROOT, guard, 5, NH_O_RDONLY, 0), -NH_EFAULT);
	EQ(CALL(fsshim_op_open, ROOT, H.ram_end - 2, 5, NH_O_RDONLY, 0), -NH_EFAULT);
	EQ(CALL(fsshim_op_read, (uint64_t)fd, 0, 5), -NH_EFAULT);
	EQ(CALL(fsshim_op_read, (uint64_t)fd, guard, 5), -NH_EFAULT);
	EQ(CALL(fsshim_op_read, (uint64_t)fd, top, 5), -NH_EFAULT); /* the host block area */
	EQ(CALL(fsshim_op_read, (uint64_t)fd, galloc(8), UINT64_MAX), -NH_EFAULT);
	EQ(CALL(fsshim_op_pread, (uint64_t)fd, 0, 5, 0), -NH_EFAULT);
	EQ(CALL(fsshim_op_write, (uint64_t)fd, H.ram_end, 1), -NH_EFAULT);
	EQ(CALL(fsshim_op_pwrite, (uint64_t)fd, guard, 1, 0), -NH_EFAULT);
	EQ(CALL(fsshim_op_stat, ROOT, P("/data"), 0, 0), -NH_EFAULT);
	EQ(CALL(fsshim_op_stat, ROOT, P("/data"), top, 0), -NH_EFAULT);
	EQ(CALL(fsshim_op_readdir, (uint64_t)d, guard, 100, 0), -NH_EFAULT);
	EQ(CALL(fsshim_op_readlink, ROOT, P("/data/up"), 0, 10), -NH_EFAULT);
	EQ(CALL(fsshim_op_utimens, ROOT, P("/data/hello.txt"), guard, 0), -NH_EFAULT);
	EQ(CALL(fsshim_op_symlink, 0, 4, ROOT, P("/data/l")), -NH_EFAULT);
	EQ(CALL(fsshim_op_rename, ROOT, P("/data/hello.txt"), ROOT, 8, 4), -NH_EFAULT);
	EQ(CALL(fsshim_op_pread, (uint64_t)fd, galloc(8), 8, (uint64_t)-1), -NH_EINVAL);
	EQ(CALL(fsshim_op_pwrite, (uint64_t)fd, galloc(8), 8, (uint64_t)-8), -NH_EINVAL);
	EQ(CALL(fsshim_op_seek, (uint64_t)fd, 0, 3), -NH_EINVAL);
	EQ(CALL(fsshim_op_seek, (uint64_t)fd, (uint64_t)-10, 0), -NH_EINVAL); /* the kernel's */
	EQ(CALL(fsshim_op_readdir, (uint64_t)d, galloc(8), 8, 0), -NH_EINVAL); /* none fits */
	EQ(CALL(fsshim_op_readdir, (uint64_t)d, galloc(64), 64, (uint64_t)-1), -NH_EINVAL);
}
END_TEST

/* ---- the ordinary successes -------------------------------------------- */

START_TEST(test_files)
{
	struct nh_stat st;
	char buf[64];
	uint64_t g = galloc(64);
	mode_t mask = umask(0);
	int64_t fd;

	umask(mask);
	fd = open_(ROOT, "/data/new.txt", NH_O_WRONLY | NH_O_CREAT | NH_O_EXCL, 0640);
	ck_assert_int_ge(fd, 3);
	EQ(open_(ROOT, "/data/new.txt", NH_O_WRONLY | NH_O_CREAT | NH_O_EXCL, 0640), -NH_EEXIST);
	memcpy((void *)(uintptr_t)g, "0123456789", 10);
	EQ(CALL(fsshim_op_write, (uint64_t)fd, g, 10), 10);
	EQ(CALL(fsshim_op_pwrite, (uint64_t)fd, g, 3, 20), 3);
	EQ(CALL(fsshim_op_seek, (uint64_t)fd, 0, SEEK_CUR), 10);
	EQ(CALL(fsshim_op_seek, (uint64_t)fd, 0, SEEK_END), 23);
	EQ(CALL(fsshim_op_fsync, (uint64_t)fd), 0);
	EQ(CALL(fsshim_op_read, (uint64_t)fd, g, 4), -NH_EBADF); /* write-only */
	EQ(stat_((uint64_t)fd, "", &st, 0), 0);                  /* fstat: pathlen 0 */
	EQ(st.size, 23);
	ck_assert_uint_eq(st.mode & 0777, 0640 & ~mask); /* the host's umask applies */
	ck_assert((st.mode & S_IFMT) == S_IFREG);
	EQ(CALL(fsshim_op_close, (uint64_t)fd), 0);

	fd = open_(ROOT, "/data/new.txt", NH_O_RDWR, 0);
	EQ(CALL(fsshim_op_pread, (uint64_t)fd, g, 5, 2), 5);
	ck_assert_mem_eq((void *)(uintptr_t)g, "23456", 5);
	EQ(CALL(fsshim_op_seek, (uint64_t)fd, 8, SEEK_SET), 8);
	EQ(read_all(fd, buf, 2), 2);
	ck_assert_mem_eq(buf, "89", 2);
	EQ(CALL(fsshim_op_close, (uint64_t)fd), 0);
	/* append, trunc */
	fd = open_(ROOT, "/data/new.txt", NH_O_WRONLY | NH_O_APPEND, 0);
	EQ(CALL(fsshim_op_write, (uint64_t)fd, g, 2), 2);
	EQ(CALL(fsshim_op_close, (uint64_t)fd), 0);
	EQ(stat_(ROOT, "/data/new.txt", &st, 0), 0);
	EQ(st.size, 25);
	fd = open_(ROOT, "/data/new.txt", NH_O_WRONLY | NH_O_TRUNC, 0);
	EQ(CALL(fsshim_op_close, (uint64_t)fd), 0);
	EQ(stat_(ROOT, "/data/new.txt", &st, 0), 0);
	EQ(st.size, 0);
	/* relative to a directory handle, and O_CREAT through a dangling link */
	fd = open_(ROOT, "/data/sub", NH_O_RDONLY | NH_O_DIRECTORY, 0);
	EQ(CALL(fsshim_op_symlink, P("made-by-link"), fd, P("dangling")), 0);
	EQ(CALL(fsshim_op_close, (uint64_t)open_((uint64_t)fd, "dangling", NH_O_WRONLY | NH_O_CREAT, 0600)), 0);
	EQ(stat_((uint64_t)fd, "made-by-link", &st, 0), 0);
	EQ(open_((uint64_t)fd, "dangling", NH_O_RDONLY | NH_O_NOFOLLOW, 0), -NH_ELOOP);
	EQ(open_((uint64_t)fd, "dangling", NH_O_WRONLY | NH_O_CREAT | NH_O_EXCL, 0600), -NH_EEXIST);
	EQ(open_((uint64_t)fd, "../hello.txt", NH_O_RDONLY, 0), fd + 1); /* slow path */
	EQ(CALL(fsshim_op_close, (uint64_t)fd + 1), 0);
	EQ(CALL(fsshim_op_close, (uint64_t)fd), 0);
	/* stdin */
	EQ(stat_(0, "", &st, 0), 0);
}
END_TEST

static void write_line(const char *path, const char *line)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	PROBE(fd >= 0 && write(fd, line, strlen(line)) == (ssize_t)strlen(line));
	close(fd);
}

/* In a user namespace that maps our own ids only (the run's own when it is
 * not root: sandbox/sbx_isolate.c), the kernel's answer to a change of
 * owner to any other id is EINVAL; CHOWN's is EPERM, as without one. */
static void chown_unmapped(const void *arg)
{
	unsigned uid = (unsigned)geteuid(), gid = (unsigned)getegid();
	char line[32], host[PATH_MAX + 16];

	(void)arg;
	snprintf(host, sizeof(host), "%s/rw/hello.txt", T);
	PROBE(unshare(CLONE_NEWUSER) == 0);
	write_line("/proc/self/setgroups", "deny\n");
	snprintf(line, sizeof(line), "%u %u 1\n", uid, uid);
	write_line("/proc/self/uid_map", line);
	snprintf(line, sizeof(line), "%u %u 1\n", gid, gid);
	write_line("/proc/self/gid_map", line);
	PROBE(chown(host, uid + 1, (gid_t)-1) != 0 && errno == EINVAL); /* the kernel's */
	PROBE(CALL(fsshim_op_chown, ROOT, P("/data/hello.txt"), uid + 1, -1, 0) == -NH_EPERM);
	PROBE(CALL(fsshim_op_chown, ROOT, P("/data/hello.txt"), -1, gid + 1, 0) == -NH_EPERM);
	PROBE(CALL(fsshim_op_chown, ROOT, P("/data/hello.txt"), uid, gid, 0) == 0);
	CHILD_EXIT(0);
}

START_TEST(test_names)
{
	struct outcome o;
	struct nh_stat st, st2;
	uint64_t buf = galloc(64), ts = galloc(32);
	struct nh_timespec t[2] = {{1000000000, 5}, {1200000000, NH_UTIME_OMIT}};
	int64_t before;

	EQ(CALL(fsshim_op_mkdir, ROOT, P("/data/d"), 0750), 0);
	EQ(CALL(fsshim_op_mkdir, ROOT, P("/data/d"), 0750), -NH_EEXIST);
	EQ(CALL(fsshim_op_mkdir, ROOT, P("/data/d/."), 0750), -NH_EEXIST);
	EQ(stat_(ROOT, "/data/d", &st, 0), 0);
	ck_assert((st.mode & S_IFMT) == S_IFDIR);
	EQ(CALL(fsshim_op_rename, ROOT, P("/data/d"), ROOT, P("/data/sub/e")), 0);
	EQ(stat_(ROOT, "/data/d", &st, 0), -NH_ENOENT);
	EQ(CALL(fsshim_op_unlink, ROOT, P("/data/sub/e"), 0), -NH_EISDIR);
	EQ(CALL(fsshim_op_unlink, ROOT, P("/data/sub/e"), NH_AT_REMOVEDIR), 0);
	EQ(CALL(fsshim_op_unlink, ROOT, P("/data/sub"), NH_AT_REMOVEDIR), 0);
	EQ(CALL(fsshim_op_unlink, ROOT, P("/data/nothing"), 0), -NH_ENOENT);
	/* links */
	EQ(CALL(fsshim_op_link, ROOT, P("/data/hello.txt"), ROOT, P("/data/hard")), 0);
	EQ(stat_(ROOT, "/data/hard", &st, 0), 0);
	EQ(st.nlink, 2);
	EQ(CALL(fsshim_op_symlink, P("hello.txt"), ROOT, P("/data/soft")), 0);
	EQ(CALL(fsshim_op_readlink, ROOT, P("/data/soft"), buf, 64), 9);
	ck_assert_mem_eq((void *)(uintptr_t)buf, "hello.txt", 9);
	EQ(CALL(fsshim_op_readlink, ROOT, P("/data/soft"), buf, 4), 4); /* cut */
	EQ(CALL(fsshim_op_readlink, ROOT, P("/data/soft"), buf, 0), -NH_EINVAL);
	EQ(CALL(fsshim_op_readlink, ROOT, P("/data/hello.txt"), buf, 64), -NH_EINVAL);
	EQ(CALL(fsshim_op_readlink, ROOT, P("/"), buf, 64), -NH_EINVAL);
	EQ(CALL(fsshim_op_readlink, ROOT, P("/data/root"), buf, 64), 1);
	EQ(stat_(ROOT, "/data/soft", &st, NH_AT_SYMLINK_NOFOLLOW), 0);
	ck_assert((st.mode & S_IFMT) == S_IFLNK);
	EQ(stat_(ROOT, "/data/soft", &st2, 0), 0);
	ck_assert((st2.mode & S_IFMT) == S_IFREG);
	EQ(CALL(fsshim_op_unlink, ROOT, P("/data/soft"), 0), 0); /* the link, not the file */
	EQ(stat_(ROOT, "/data/hello.txt", &st, 0), 0);
	/* chmod, truncate, utimens */
	EQ(CALL(fsshim_op_chmod, ROOT, P("/data/hello.txt"), 0600), 0);
	EQ(stat_(ROOT, "/data/hello.txt", &st, 0), 0);
	EQ(st.mode & 07777, 0600);
	EQ(CALL(fsshim_op_chown, ROOT, P("/data/hello.txt"), geteuid(), getegid(), 0), 0);
	EQ(CALL(fsshim_op_chown, ROOT, P("/data/hello.txt"), -1, -1, NH_AT_SYMLINK_NOFOLLOW), 0);
	EQ(stat_(ROOT, "/data/hello.txt", &st, 0), 0);
	EQ(st.uid, geteuid());
	EQ(st.gid, getegid());
	unit_fork(chown_unmapped, NULL, &o, NULL, NULL);
	expect_exit(&o, 0);
	EQ(CALL(fsshim_op_truncate, ROOT, P("/data/hello.txt"), 2), 0);
	EQ(stat_(ROOT, "/data/hello.txt", &st, 0), 0);
	EQ(st.size, 2);
	before = st.mtime_ns;
	memcpy((void *)(uintptr_t)ts, t, sizeof(t));
	EQ(CALL(fsshim_op_utimens, ROOT, P("/data/hello.txt"), ts, 0), 0);
	EQ(stat_(ROOT, "/data/hello.txt", &st, 0), 0);
	EQ(st.atime_ns, INT64_C(1000000000000000005));
	EQ(st.mtime_ns, before); /* OMIT */
	t[1].nsec = NH_UTIME_NOW;
	memcpy((void *)(uintptr_t)ts, t, sizeof(t));
	EQ(CALL(fsshim_op_utimens, ROOT, P("/data/hello.txt"), ts, 0), 0);
	EQ(stat_(ROOT, "/data/hello.txt", &st, 0), 0);
	ck_assert(st.mtime_ns >= before);
	t[0].nsec = 1000000000;
	memcpy((void *)(uintptr_t)ts, t, sizeof(t));
	EQ(CALL(fsshim_op_utimens, ROOT, P("/data/hello.txt"), ts, 0), -NH_EINVAL);
	/* the grant roots and the synthetic directories */
	EQ(stat_(ROOT, "/", &st, 0), 0);
	EQ(st.mode, S_IFDIR | 0555);
	EQ(st.nlink, 2);
	EQ(stat_(ROOT, "/other", &st2, 0), 0);
	ck_assert(st.ino != st2.ino && st2.ino != 0);
	EQ(stat_(ROOT, "/other/place", &st, 0), 0);
	ck_assert((st.mode & S_IFMT) == S_IFDIR && st.mode != (S_IFDIR | 0555));
	EQ(stat_(ROOT, "/nothing", &st, 0), -NH_ENOENT);
	EQ(stat_(ROOT, "/other/nothing", &st, 0), -NH_ENOENT);
}
END_TEST

/* Read a whole directory with buffers of len bytes: names and count. */
static unsigned list(int64_t fd, uint64_t len, char names[][64], unsigned max)
{
	uint64_t buf = galloc(len), cookie = 0;
	unsigned n = 0;

	for (;;) {
		int64_t r = CALL(fsshim_op_readdir, (uint64_t)fd, buf, len, cookie);
		uint64_t off = 0;

		ck_assert_int_ge(r, 0);
		if (r == 0)
			return n;
		while (off < (uint64_t)r) {
			struct nh_dirent d;

			memcpy(&d, (void *)(uintptr_t)(buf + off), sizeof(d));
			ck_assert_uint_le(off + sizeof(d) + d.namlen, (uint64_t)r);
			if (n < max) {
				memcpy(names[n], (void *)(uintptr_t)(buf + off + sizeof(d)), d.namlen);
				names[n][d.namlen] = '\0';
			}
			n++;
			cookie = d.next;
			off += sizeof(d) + d.namlen;
		}
	}
}

START_TEST(test_readdir)
{
	static char names[1100][64];
	int64_t big = open_(ROOT, "/data/big", NH_O_RDONLY, 0), root;
	unsigned n, seen = 0;

	ck_assert_int_ge(big, 3);
	n = list(big, 24 + 10, names, 1100); /* one record at a time: "entry-0001" is 10 bytes */
	EQ(n, 1002);
	for (unsigned i = 0; i < n; i++)
		seen += strncmp(names[i], "entry-", 6) == 0;
	EQ(seen, 1000);
	EQ(list(big, 4096, names, 1100), 1002);
	root = open_(ROOT, "/", NH_O_RDONLY, 0);
	ck_assert_int_ge(root, 3);
	EQ(list(root, 4096, names, 16), 6);
	ck_assert_str_eq(names[0], ".");
	ck_assert_str_eq(names[1], "..");
	ck_assert_str_eq(names[2], "data");
	ck_assert_str_eq(names[3], "dev"); /* for /dev/null */
	ck_assert_str_eq(names[4], "other");
	ck_assert_str_eq(names[5], "tmp");
	EQ(list(root, 29, names, 16), 6); /* paging a synthetic directory, one by one */
	ck_assert_str_eq(names[4], "other");
	EQ(CALL(fsshim_op_read, (uint64_t)root, galloc(4), 4), -NH_EISDIR);
	EQ(CALL(fsshim_op_seek, (uint64_t)root, 0, 0), 0);
	EQ(CALL(fsshim_op_fsync, (uint64_t)root), 0);
}
END_TEST

/* /dev/null: served by the fs-shim, as Linux's behaves. */
START_TEST(test_devnull)
{
	static char names[16][64];
	struct nh_stat st, st2;
	struct stat host;
	uint64_t g = galloc(64), ts = galloc(32);
	int64_t r, w, dev;

	memset((void *)(uintptr_t)g, 'z', 64);
	memset((void *)(uintptr_t)ts, 0, 32);
	ck_assert_int_eq(stat("/dev/null", &host), 0);
	EQ(stat_(ROOT, "/dev/null", &st, 0), 0);
	EQ(st.mode, S_IFCHR | 0666);
	EQ(st.ino, host.st_ino);
	EQ(st.dev, host.st_dev);
	EQ(st.nlink, 1);
	EQ(stat_(ROOT, "/dev/null", &st2, NH_AT_SYMLINK_NOFOLLOW), 0);
	EQ(st2.ino, st.ino);
	EQ(stat_(ROOT, "/dev", &st2, 0), 0);
	EQ(st2.mode, S_IFDIR | 0555);
	EQ(stat_(ROOT, "/data/root/dev/null", &st2, 0), 0); /* slow path: a link to / */
	EQ(st2.ino, st.ino);
	EQ(stat_(ROOT, "/data/../dev/./null", &st2, 0), 0);
	EQ(stat_(ROOT, "/dev/tty", &st2, 0), -NH_ENOENT);
	/* the synthetic /dev lists it, with the other devices */
	dev = open_(ROOT, "/dev", NH_O_RDONLY | NH_O_DIRECTORY, 0);
	ck_assert_int_ge(dev, 3);
	EQ(list(dev, 4096, names, 16), 7);
	ck_assert_str_eq(names[2], "full");
	ck_assert_str_eq(names[3], "null");
	ck_assert_str_eq(names[4], "random");
	ck_assert_str_eq(names[5], "urandom");
	ck_assert_str_eq(names[6], "zero");
	r = CALL(fsshim_op_readdir, (uint64_t)dev, g, 40, 3); /* null alone fits */
	EQ(r, 24 + 4);
	EQ(((struct nh_dirent *)(uintptr_t)g)->type, NH_DT_CHR);
	EQ(((struct nh_dirent *)(uintptr_t)g)->ino, host.st_ino);
	EQ(stat_((uint64_t)dev, "null", &st2, 0), 0); /* relative to the synthetic handle */
	EQ(st2.ino, st.ino);
	/* read-only: reads give 0, writes EBADF */
	r = open_(ROOT, "/dev/null", NH_O_RDONLY, 0);
	ck_assert_int_ge(r, 3);
	EQ(CALL(fsshim_op_read, (uint64_t)r, g, 64), 0);
	EQ(CALL(fsshim_op_pread, (uint64_t)r, g, 64, 100), 0);
	EQ(CALL(fsshim_op_pread, (uint64_t)r, g, 64, (uint64_t)-1), -NH_EINVAL);
	EQ(CALL(fsshim_op_write, (uint64_t)r, g, 4), -NH_EBADF);
	EQ(CALL(fsshim_op_read, (uint64_t)r, 0, 4), -NH_EFAULT);
	EQ(CALL(fsshim_op_seek, (uint64_t)r, 5, SEEK_SET), 0);
	EQ(CALL(fsshim_op_seek, (uint64_t)r, 5, SEEK_END), 0);
	EQ(CALL(fsshim_op_seek, (uint64_t)r, 5, 7), -NH_EINVAL);
	EQ(CALL(fsshim_op_fsync, (uint64_t)r), -NH_EINVAL);
	EQ(CALL(fsshim_op_readdir, (uint64_t)r, g, 64, 0), -NH_ENOTDIR);
	EQ(stat_((uint64_t)r, "", &st2, 0), 0);
	EQ(st2.mode, S_IFCHR | 0666);
	EQ(open_((uint64_t)r, "x", NH_O_RDONLY, 0), -NH_ENOTDIR); /* no dirfd */
	EQ(CALL(fsshim_op_chmod, (uint64_t)r, 0, 0, 0600), -NH_EROFS);
	EQ(CALL(fsshim_op_utimens, (uint64_t)r, 0, 0, ts, 0), -NH_EROFS);
	EQ(CALL(fsshim_op_truncate, (uint64_t)r, 0, 0, 0), -NH_EINVAL);
	/* write-only and read-write */
	w = open_(ROOT, "/dev/null", NH_O_WRONLY, 0);
	ck_assert_int_ge(w, 3);
	EQ(CALL(fsshim_op_write, (uint64_t)w, g, 64), 64);
	EQ(CALL(fsshim_op_pwrite, (uint64_t)w, g, 5, 1000), 5);
	EQ(CALL(fsshim_op_pwrite, (uint64_t)w, g, 5, (uint64_t)-1), -NH_EINVAL);
	EQ(CALL(fsshim_op_write, (uint64_t)w, H.guard_lo, 5), -NH_EFAULT);
	EQ(CALL(fsshim_op_read, (uint64_t)w, g, 4), -NH_EBADF);
	EQ(CALL(fsshim_op_close, (uint64_t)w), 0);
	w = open_(ROOT, "/dev/null", NH_O_RDWR | NH_O_CREAT | NH_O_TRUNC, 0644); /* os.Create */
	ck_assert_int_ge(w, 3);
	EQ(CALL(fsshim_op_write, (uint64_t)w, g, 3), 3);
	EQ(CALL(fsshim_op_read, (uint64_t)w, g, 3), 0);
	EQ(CALL(fsshim_op_close, (uint64_t)w), 0);
	EQ(CALL(fsshim_op_close, (uint64_t)r), 0);
	EQ(CALL(fsshim_op_close, (uint64_t)r), -NH_EBADF);
	w = open_(ROOT, "/dev/null", NH_O_WRONLY | NH_O_NOFOLLOW | NH_O_APPEND | NH_O_SYNC, 0);
	ck_assert_int_ge(w, 3);
	EQ(CALL(fsshim_op_close, (uint64_t)w), 0);
	/* what Linux says for the rest */
	EQ(open_(ROOT, "/dev/null", NH_O_WRONLY | NH_O_CREAT | NH_O_EXCL, 0644), -NH_EEXIST);
	EQ(open_(ROOT, "/dev/null", NH_O_RDONLY | NH_O_DIRECTORY, 0), -NH_ENOTDIR);
	EQ(open_(ROOT, "/dev/null/", NH_O_RDONLY, 0), -NH_ENOTDIR);
	EQ(open_(ROOT, "/dev/null/.", NH_O_RDONLY, 0), -NH_ENOTDIR);
	EQ(open_(ROOT, "/dev/null/x", NH_O_RDONLY, 0), -NH_ENOTDIR);
	EQ(open_(ROOT, "/dev/../dev/null/x", NH_O_RDONLY, 0), -NH_ENOTDIR);
	EQ(open_(ROOT, "/dev/null/", NH_O_WRONLY | NH_O_CREAT, 0644), -NH_EISDIR);
	EQ(open_(ROOT, "/dev/new", NH_O_WRONLY | NH_O_CREAT, 0644), -NH_EROFS);
	EQ(CALL(fsshim_op_readlink, ROOT, P("/dev/null"), g, 64), -NH_EINVAL);
	EQ(CALL(fsshim_op_chmod, ROOT, P("/dev/null"), 0600), -NH_EROFS);
	EQ(CALL(fsshim_op_utimens, ROOT, P("/dev/null"), 0, 0), -NH_EROFS);
	EQ(CALL(fsshim_op_truncate, ROOT, P("/dev/null"), 0), -NH_EINVAL);
	EQ(CALL(fsshim_op_mkdir, ROOT, P("/dev/null"), 0755), -NH_EEXIST);
	EQ(CALL(fsshim_op_mkdir, ROOT, P("/dev/null/x"), 0755), -NH_ENOTDIR);
	EQ(CALL(fsshim_op_symlink, P("x"), ROOT, P("/dev/null")), -NH_EEXIST);
	EQ(CALL(fsshim_op_unlink, ROOT, P("/dev/null"), 0), -NH_EROFS);
	EQ(CALL(fsshim_op_unlink, ROOT, P("/dev/null"), NH_AT_REMOVEDIR), -NH_EROFS);
	EQ(CALL(fsshim_op_unlink, ROOT, P("/dev"), NH_AT_REMOVEDIR), -NH_EROFS);
	EQ(CALL(fsshim_op_rename, ROOT, P("/dev/null"), ROOT, P("/dev/zero")), -NH_EROFS);
	EQ(CALL(fsshim_op_rename, ROOT, P("/dev/null"), ROOT, P("/data/null")), -NH_EXDEV);
	EQ(CALL(fsshim_op_rename, ROOT, P("/data/hello.txt"), ROOT, P("/dev/null")), -NH_EXDEV);
	EQ(CALL(fsshim_op_link, ROOT, P("/dev/null"), ROOT, P("/data/null")), -NH_EXDEV);
	EQ(CALL(fsshim_op_close, (uint64_t)dev), 0);
}
END_TEST

/* The other devices: zero and full read zeros, full refuses writes,
 * random and urandom read the host's getrandom (a short read past 64 KiB);
 * each stats as the host's; a DUP keeps which one it is. */
/* FLOCK: flock(2) on the handle's file, never waiting. Locks bind
 * handles of other open files, this process's and another's; a DUP shares
 * its file's lock; CLOSE drops it. */
/* NH_OP_MEM_MAP: a file over heap pages, shared and private, and what
 * cannot be mapped. The window starts where the test says the image ends. */
START_TEST(test_mem_map)
{
	const uint64_t rw = NH_PROT_READ | NH_PROT_WRITE;
	uint64_t zone = (scratch + 0x100000) & ~(NH_PAGE_SIZE - 1);
	char *z = (char *)(uintptr_t)zone;
	int64_t f = open_(ROOT, "/data/hello.txt", NH_O_RDWR, 0);
	int64_t r = open_(ROOT, "/data/hello.txt", NH_O_RDONLY, 0);
	int64_t d = open_(ROOT, "/data", NH_O_RDONLY, 0);
	char back[8] = {0};
	int fd;

	H.ro_end = H.img.image_end = zone;
	ck_assert_int_ge(f, 3);
	ck_assert_int_ge(r, 3);
	ck_assert_int_ge(d, 3);
	/* shared: the map is the file, both ways */
	EQ(CALL(hook_mem_map, zone, 4096, rw, NH_MAP_SHARED, (uint64_t)f, 0), 0);
	ck_assert_int_eq(memcmp(z, "hello\n", 6), 0);
	ck_assert_int_eq(z[6], 0); /* past the end, in the page */
	memcpy(z, "HE", 2);
	fd = open(tpath("/rw/hello.txt"), O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(read(fd, back, sizeof(back)), 6);
	ck_assert_int_eq(memcmp(back, "HEllo\n", 6), 0);
	close(fd);
	/* fresh pages end it */
	EQ(CALL(hook_mem_map, zone, 4096, rw, NH_MAP_ANON | NH_MAP_PRIVATE, 0, 0), 0);
	ck_assert_int_eq(z[0], 0);
	/* private, read-only: the ranges know, the file does not change */
	EQ(CALL(hook_mem_map, zone, 4096, NH_PROT_READ, NH_MAP_PRIVATE, (uint64_t)r, 0), 0);
	ck_assert(ram_readable(&H, zone, 4096));
	ck_assert(!ram_writable(&H, zone, 1));
	EQ(CALL(hook_mem_map, zone, 4096, rw, NH_MAP_PRIVATE, (uint64_t)r, 0), 0);
	ck_assert(ram_writable(&H, zone, 4096));
	z[0] = 'x';
	EQ(CALL(hook_mem_map, zone, 4096, rw, NH_MAP_ANON | NH_MAP_PRIVATE, 0, 0), 0);
	/* refused: by the kernel, by the shim, by the op */
	EQ(CALL(hook_mem_map, zone, 4096, rw, NH_MAP_SHARED, (uint64_t)r, 0), -NH_EACCES);
	EQ(CALL(hook_mem_map, zone, 4096, NH_PROT_READ, NH_MAP_SHARED, (uint64_t)d, 0), -NH_ENODEV);
	EQ(CALL(hook_mem_map, zone, 4096, NH_PROT_READ, NH_MAP_SHARED, 0, 0), -NH_ENODEV); /* stdin */
	EQ(CALL(hook_mem_map, zone, 4096, NH_PROT_READ, NH_MAP_SHARED, 60, 0), -NH_EBADF);
	EQ(CALL(hook_mem_map, zone, 4096, NH_PROT_READ, NH_MAP_SHARED | NH_MAP_PRIVATE, (uint64_t)f, 0),
	   -NH_EINVAL);
	EQ(CALL(hook_mem_map, zone, 4096, NH_PROT_READ, NH_MAP_ANON, (uint64_t)f, 0), -NH_EINVAL);
	EQ(CALL(hook_mem_map, zone, 4096, 4 /* exec */, NH_MAP_SHARED, (uint64_t)f, 0), -NH_EINVAL);
	EQ(CALL(hook_mem_map, zone, 4096, NH_PROT_READ, NH_MAP_SHARED, (uint64_t)f, 1), -NH_EINVAL);
	EQ(CALL(hook_mem_map, zone, 4096, NH_PROT_READ, NH_MAP_SHARED, (uint64_t)f, UINT64_MAX & ~4095),
	   -NH_EINVAL);
	EQ(CALL(hook_mem_map, zone, 0, NH_PROT_READ, NH_MAP_SHARED, (uint64_t)f, 0), -NH_EINVAL);
	EQ(CALL(hook_mem_map, zone + 1, 4096, NH_PROT_READ, NH_MAP_SHARED, (uint64_t)f, 0), -NH_EINVAL);
	EQ(CALL(hook_mem_map, zone - 4096, 4096, NH_PROT_READ, NH_MAP_SHARED, (uint64_t)f, 0), -NH_ENOMEM);
	EQ(CALL(hook_mem_map, H.guard_lo - 4096, 4097, NH_PROT_READ, NH_MAP_SHARED, (uint64_t)f, 0),
	   -NH_ENOMEM);
	ck_assert_uint_eq(H.nprot, 0);
	H.ro_end = H.img.image_end = 0;
}
END_TEST

START_TEST(test_flock)
{
	int64_t a = open_(ROOT, "/data/hello.txt", NH_O_RDONLY, 0);
	int64_t b = open_(ROOT, "/data/hello.txt", NH_O_RDONLY, 0);
	int64_t d, other;
	pid_t pid;
	int st;

	ck_assert_int_ge(a, 3);
	ck_assert_int_ge(b, 3);
	EQ(CALL(fsshim_op_flock, (uint64_t)a, NH_LOCK_EX), 0);
	EQ(CALL(fsshim_op_flock, (uint64_t)b, NH_LOCK_SH), -NH_EAGAIN);
	EQ(CALL(fsshim_op_flock, (uint64_t)b, NH_LOCK_EX), -NH_EAGAIN);
	/* another process, by the host path: it does not get it either */
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int fd = open(tpath("/rw/hello.txt"), O_RDONLY);

		_exit(fd >= 0 && flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_int_eq(st, 0);
	EQ(CALL(fsshim_op_flock, (uint64_t)a, NH_LOCK_SH), 0); /* converted */
	EQ(CALL(fsshim_op_flock, (uint64_t)b, NH_LOCK_SH), 0);
	EQ(CALL(fsshim_op_flock, (uint64_t)a, NH_LOCK_EX), -NH_EAGAIN);
	EQ(CALL(fsshim_op_flock, (uint64_t)b, NH_LOCK_UN), 0);
	EQ(CALL(fsshim_op_flock, (uint64_t)a, NH_LOCK_EX), 0);
	/* a DUP is the same open file: its UN is a's */
	d = CALL(fsshim_op_dup, (uint64_t)a);
	ck_assert_int_ge(d, 3);
	EQ(CALL(fsshim_op_flock, (uint64_t)d, NH_LOCK_UN), 0);
	EQ(CALL(fsshim_op_flock, (uint64_t)b, NH_LOCK_EX), 0);
	EQ(CALL(fsshim_op_flock, (uint64_t)a, NH_LOCK_SH), -NH_EAGAIN);
	EQ(CALL(fsshim_op_close, (uint64_t)b), 0); /* closing drops b's lock */
	EQ(CALL(fsshim_op_flock, (uint64_t)a, NH_LOCK_EX), 0);
	EQ(CALL(fsshim_op_close, (uint64_t)d), 0);
	EQ(CALL(fsshim_op_close, (uint64_t)a), 0);
	/* any open file: read-only grant, a directory, stdin */
	other = open_(ROOT, ro("/file"), NH_O_RDONLY, 0);
	EQ(CALL(fsshim_op_flock, (uint64_t)other, NH_LOCK_EX), 0);
	EQ(CALL(fsshim_op_close, (uint64_t)other), 0);
	other = open_(ROOT, "/data/sub", NH_O_RDONLY | NH_O_DIRECTORY, 0);
	EQ(CALL(fsshim_op_flock, (uint64_t)other, NH_LOCK_SH), 0);
	EQ(CALL(fsshim_op_close, (uint64_t)other), 0);
	EQ(CALL(fsshim_op_flock, 0, NH_LOCK_SH), 0);
	EQ(CALL(fsshim_op_flock, 0, NH_LOCK_UN), 0);
	/* no host file: nobody else could see the lock */
	other = open_(ROOT, "/", NH_O_RDONLY, 0);
	EQ(CALL(fsshim_op_flock, (uint64_t)other, NH_LOCK_SH), -NH_ENOLCK);
	EQ(CALL(fsshim_op_close, (uint64_t)other), 0);
	other = open_(ROOT, "/dev/null", NH_O_RDWR, 0);
	EQ(CALL(fsshim_op_flock, (uint64_t)other, NH_LOCK_EX), -NH_ENOLCK);
	/* how: exactly one of SH, EX, UN (LOCK_NB is the host's to add) */
	EQ(CALL(fsshim_op_flock, (uint64_t)other, 0), -NH_EINVAL);
	EQ(CALL(fsshim_op_flock, (uint64_t)other, NH_LOCK_SH | NH_LOCK_EX), -NH_EINVAL);
	EQ(CALL(fsshim_op_flock, (uint64_t)other, NH_LOCK_EX | LOCK_NB), -NH_EINVAL);
	EQ(CALL(fsshim_op_flock, (uint64_t)other, (UINT64_C(1) << 32) | NH_LOCK_SH), -NH_EINVAL);
	EQ(CALL(fsshim_op_close, (uint64_t)other), 0);
	EQ(CALL(fsshim_op_flock, (uint64_t)other, NH_LOCK_SH), -NH_EBADF); /* closed */
	EQ(CALL(fsshim_op_flock, 1, NH_LOCK_SH), -NH_EBADF);              /* the console */
	EQ(CALL(fsshim_op_flock, UINT64_MAX, NH_LOCK_SH), -NH_EBADF);
}
END_TEST

START_TEST(test_devices)
{
	static const char *const path[] = {"/dev/zero", "/dev/full", "/dev/random", "/dev/urandom"};
	struct nh_stat st;
	struct stat host;
	uint64_t g = galloc(70000);
	const uint8_t *b = (const uint8_t *)(uintptr_t)g;
	int64_t fd, d;
	size_t same;

	for (size_t i = 0; i < sizeof(path) / sizeof(path[0]); i++) {
		ck_assert_int_eq(stat(path[i], &host), 0);
		EQ(stat_(ROOT, path[i], &st, 0), 0);
		EQ(st.mode, S_IFCHR | 0666);
		EQ(st.ino, host.st_ino);
		fd = open_(ROOT, path[i], NH_O_RDWR, 0);
		ck_assert_int_ge(fd, 3);
		memset((void *)(uintptr_t)g, 'z', 70000);
		if (i < 2) {
			EQ(CALL(fsshim_op_read, (uint64_t)fd, g, 70000), 70000);
			for (size_t k = 0; k < 70000; k++)
				ck_assert_uint_eq(b[k], 0);
			EQ(CALL(fsshim_op_pread, (uint64_t)fd, g, 8, 100), 8);
		} else {
			EQ(CALL(fsshim_op_read, (uint64_t)fd, g, 70000), 65536);
			EQ(b[65536], 'z');
			for (same = 0; same < 65536 && b[same] == 'z'; same++)
				;
			ck_assert_uint_lt(same, 16); /* 2^-128 that the first 16 stay 'z' */
			EQ(CALL(fsshim_op_read, (uint64_t)fd, g, 32), 32);
		}
		EQ(CALL(fsshim_op_write, (uint64_t)fd, g, 64), i == 1 ? -NH_ENOSPC : 64);
		EQ(CALL(fsshim_op_pwrite, (uint64_t)fd, g, 64, 5), i == 1 ? -NH_ENOSPC : 64);
		EQ(CALL(fsshim_op_write, (uint64_t)fd, 0, 64), -NH_EFAULT);
		EQ(CALL(fsshim_op_read, (uint64_t)fd, H.guard_lo, 4), -NH_EFAULT);
		EQ(CALL(fsshim_op_seek, (uint64_t)fd, 9, SEEK_CUR), 0);
		EQ(CALL(fsshim_op_fsync, (uint64_t)fd), -NH_EINVAL);
		EQ(CALL(fsshim_op_truncate, (uint64_t)fd, 0, 0, 0), -NH_EINVAL);
		EQ(CALL(fsshim_op_chmod, ROOT, P(path[i]), 0600), -NH_EROFS);
		EQ(open_(ROOT, path[i], NH_O_RDONLY | NH_O_DIRECTORY, 0), -NH_ENOTDIR);
		d = CALL(fsshim_op_dup, (uint64_t)fd);
		ck_assert_int_ge(d, 3);
		EQ(CALL(fsshim_op_write, (uint64_t)d, g, 1), i == 1 ? -NH_ENOSPC : 1);
		EQ(CALL(fsshim_op_close, (uint64_t)d), 0);
		EQ(CALL(fsshim_op_close, (uint64_t)fd), 0);
		fd = open_(ROOT, path[i], NH_O_RDONLY, 0);
		EQ(CALL(fsshim_op_write, (uint64_t)fd, g, 1), -NH_EBADF);
		EQ(CALL(fsshim_op_close, (uint64_t)fd), 0);
	}
}
END_TEST

/* A grant that holds /dev/null, or /dev, wins; one beneath /dev is listed
 * beside the devices. */
START_TEST(test_devnull_granted)
{
	static char names[16][64], dirs[3][PATH_MAX + 32];
	struct nh_stat st;
	int64_t fd;

	ck_assert_int_eq(mkdir(tpath("/dev"), 0755), 0);
	ck_assert_int_eq(mkdir(tpath("/dev/shm"), 0755), 0);
	unit_put(tpath("/dev"), "null", "a plain file\n");
	/* a grant beneath /dev: both listed */
	snprintf(dirs[0], sizeof(dirs[0]), "%s:/dev/shm:rw", tpath("/dev/shm"));
	H.opts.dir[0] = dirs[0];
	H.opts.ndirs = 1;
	fsshim_setup(&H);
	fsshim_open(&H);
	fd = open_(ROOT, "/dev", NH_O_RDONLY, 0);
	ck_assert_int_ge(fd, 3);
	EQ(list(fd, 4096, names, 16), 8);
	ck_assert_str_eq(names[3], "null");
	ck_assert_str_eq(names[5], "shm");
	EQ(stat_(ROOT, "/dev/null", &st, 0), 0);
	EQ(st.mode & S_IFMT, S_IFCHR);
	/* a grant at /dev: its own null, a plain file */
	snprintf(dirs[1], sizeof(dirs[1]), "%s:/dev:ro", tpath("/dev"));
	H.opts.dir[0] = dirs[1];
	fsshim_setup(&H);
	fsshim_open(&H);
	EQ(stat_(ROOT, "/dev/null", &st, 0), 0);
	EQ(st.mode & S_IFMT, S_IFREG);
	EQ(open_(ROOT, "/dev/null", NH_O_WRONLY, 0), -NH_EROFS);
	/* a grant at / that has no dev/null: there is none */
	snprintf(dirs[2], sizeof(dirs[2]), "%s:/:ro", RO);
	H.opts.dir[0] = dirs[2];
	fsshim_setup(&H);
	fsshim_open(&H);
	EQ(stat_(ROOT, "/dev/null", &st, 0), -NH_ENOENT);
	EQ(stat_(ROOT, "/file", &st, 0), 0);
}
END_TEST

/* An --allow-exec program no grant holds is shown at its path (so LookPath
 * finds it): its host file's stat, listed in its synthetic parent; it
 * cannot be opened, changed or removed. One a grant holds, one not there,
 * a directory, /dev/null, one beneath another are not shown. The canary
 * serves as the program: it lies outside every grant. */
START_TEST(test_programs_shown)
{
	static char names[16][64], dirs[PATH_MAX + 32];
	struct nh_stat st, st2;
	struct stat host, after;
	uint64_t g = galloc(64), ts = galloc(32);
	int64_t t, r;

	memset((void *)(uintptr_t)ts, 0, 32);
	H.opts.allow_exec[0] = tpath("/./canary"); /* shown at its cleaned path */
	H.opts.allow_exec[1] = ro("/file");        /* the grant shows it */
	H.opts.allow_exec[2] = tpath("/missing");
	H.opts.allow_exec[3] = tpath("/other");    /* a directory */
	H.opts.allow_exec[4] = "/dev/null";
	H.opts.allow_exec[5] = tpath("/canary/x"); /* beneath the first */
	H.opts.nallow_exec = 6;
	fsshim_setup(&H);
	fsshim_open(&H);
	EQ(H.fs.nprog, 1);
	ck_assert_int_eq(stat(tpath("/canary"), &host), 0);
	EQ(stat_(ROOT, tpath("/canary"), &st, 0), 0);
	EQ(st.mode, host.st_mode);
	EQ(st.ino, host.st_ino);
	EQ(st.size, host.st_size);
	EQ(stat_(ROOT, tpath("/canary"), &st2, NH_AT_SYMLINK_NOFOLLOW), 0);
	EQ(st2.ino, host.st_ino);
	EQ(stat_(ROOT, tpath("/ro/../canary"), &st2, 0), 0); /* the slow path */
	EQ(st2.ino, host.st_ino);
	EQ(stat_(ROOT, "/data/root/../data/root/canary", &st2, 0), -NH_ENOENT);
	/* its parent, synthetic, lists it as a regular file */
	t = open_(ROOT, T, NH_O_RDONLY | NH_O_DIRECTORY, 0);
	ck_assert_int_ge(t, 3);
	EQ(list(t, 4096, names, 16), 4);
	ck_assert_str_eq(names[2], "canary");
	ck_assert_str_eq(names[3], "ro");
	r = CALL(fsshim_op_readdir, (uint64_t)t, g, 40, 2); /* room for one */
	EQ(r, 24 + 6);
	EQ(((struct nh_dirent *)(uintptr_t)g)->type, NH_DT_REG);
	EQ(((struct nh_dirent *)(uintptr_t)g)->ino, host.st_ino);
	EQ(stat_((uint64_t)t, "canary", &st2, 0), 0); /* relative to the synthetic handle */
	EQ(st2.ino, host.st_ino);
	/* there to run, not to read, write or change */
	EQ(open_(ROOT, tpath("/canary"), NH_O_RDONLY, 0), -NH_EACCES);
	EQ(open_(ROOT, tpath("/canary"), NH_O_WRONLY, 0), -NH_EROFS);
	EQ(open_(ROOT, tpath("/canary"), NH_O_RDWR | NH_O_CREAT | NH_O_TRUNC, 0644), -NH_EROFS);
	EQ(open_(ROOT, tpath("/canary"), NH_O_WRONLY | NH_O_CREAT | NH_O_EXCL, 0644), -NH_EEXIST);
	EQ(open_(ROOT, tpath("/canary"), NH_O_RDONLY | NH_O_DIRECTORY, 0), -NH_ENOTDIR);
	EQ(open_(ROOT, tpath("/canary/"), NH_O_RDONLY, 0), -NH_ENOTDIR);
	EQ(open_(ROOT, tpath("/canary/x"), NH_O_RDONLY, 0), -NH_ENOTDIR);
	EQ(stat_(ROOT, tpath("/canary/x"), &st2, 0), -NH_ENOTDIR);
	EQ(CALL(fsshim_op_readlink, ROOT, P(tpath("/canary")), g, 64), -NH_EINVAL);
	EQ(CALL(fsshim_op_chmod, ROOT, P(tpath("/canary")), 0600), -NH_EROFS);
	EQ(CALL(fsshim_op_chown, ROOT, P(tpath("/canary")), (uint64_t)-1, (uint64_t)-1, 0),
	   -NH_EROFS);
	EQ(CALL(fsshim_op_utimens, ROOT, P(tpath("/canary")), ts, 0), -NH_EROFS);
	EQ(CALL(fsshim_op_truncate, ROOT, P(tpath("/canary")), 0), -NH_EROFS);
	EQ(CALL(fsshim_op_mkdir, ROOT, P(tpath("/canary")), 0755), -NH_EEXIST);
	EQ(CALL(fsshim_op_mkdir, ROOT, P(tpath("/canary/x")), 0755), -NH_ENOTDIR);
	EQ(CALL(fsshim_op_symlink, P("x"), ROOT, P(tpath("/canary"))), -NH_EEXIST);
	EQ(CALL(fsshim_op_unlink, ROOT, P(tpath("/canary")), 0), -NH_EROFS);
	EQ(CALL(fsshim_op_rename, ROOT, P(tpath("/canary")), ROOT, P(tpath("/c2"))), -NH_EROFS);
	EQ(CALL(fsshim_op_rename, ROOT, P(tpath("/canary")), ROOT, P("/data/c")), -NH_EXDEV);
	EQ(CALL(fsshim_op_link, ROOT, P(tpath("/canary")), ROOT, P("/data/c")), -NH_EXDEV);
	ck_assert_int_eq(stat(tpath("/canary"), &after), 0);
	EQ(after.st_mode, host.st_mode);
	EQ(after.st_size, host.st_size);
	EQ(after.st_mtim.tv_nsec, host.st_mtim.tv_nsec);
	/* the others are not there, or are what the grant shows */
	EQ(stat_(ROOT, tpath("/missing"), &st2, 0), -NH_ENOENT);
	EQ(stat_(ROOT, tpath("/other"), &st2, 0), -NH_ENOENT); /* granted at /other/place */
	EQ(stat_(ROOT, "/other", &st2, 0), 0);
	EQ(st2.mode, S_IFDIR | 0555); /* synthetic */
	EQ(stat_(ROOT, "/dev/null", &st2, 0), 0);
	EQ(st2.mode & S_IFMT, S_IFCHR);
	r = open_(ROOT, ro("/file"), NH_O_RDONLY, 0);
	ck_assert_int_ge(r, 3);
	EQ(CALL(fsshim_op_close, (uint64_t)r), 0);
	EQ(CALL(fsshim_op_close, (uint64_t)t), 0);
	/* a grant that holds it shows what the host has there instead */
	snprintf(dirs, sizeof(dirs), "%s:ro", T);
	H.opts.dir[0] = dirs;
	H.opts.ndirs = 1;
	fsshim_setup(&H);
	fsshim_open(&H);
	EQ(H.fs.nprog, 0);
	r = open_(ROOT, tpath("/canary"), NH_O_RDONLY, 0);
	ck_assert_int_ge(r, 3);
}
END_TEST

/* After every attack: the canary is as it was. */
START_TEST(test_canary_untouched)
{
	char p[PATH_MAX + 16], buf[64] = "";
	struct stat st;
	FILE *f;

	/* run the whole table in this process first (the walk before the
	 * others change the tree) */
	test_openat_walk_fn(_i);
	test_escapes_fn(_i);
	test_cross_grant_fn(_i);
	test_bad_paths_fn(_i);
	test_erofs_fn(_i);
	test_efault_fn(_i);
	snprintf(p, sizeof(p), "%s/canary", T);
	ck_assert_int_eq(stat(p, &st), 0); /* times before reading it */
	ck_assert_int_eq(st.st_mtim.tv_sec, canary_before.st_mtim.tv_sec);
	ck_assert_int_eq(st.st_atim.tv_sec, canary_before.st_atim.tv_sec);
	ck_assert_int_eq(st.st_ino, canary_before.st_ino);
	f = fopen(p, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), f));
	fclose(f);
	ck_assert_str_eq(buf, "canary: must stay untouched\n");
}
END_TEST

/* Entries of a directory, for a forked child (no ck_assert: libcheck
 * writes to descriptors the sandbox does not allow). */
static unsigned count_entries(int64_t fd)
{
	uint64_t buf = galloc(4096), cookie = 0;
	unsigned n = 0;
	int64_t r;

	while ((r = CALL(fsshim_op_readdir, (uint64_t)fd, buf, 4096, cookie)) > 0) {
		for (uint64_t off = 0; off < (uint64_t)r; n++) {
			struct nh_dirent d;

			memcpy(&d, (void *)(uintptr_t)(buf + off), sizeof(d));
			cookie = d.next;
			off += sizeof(d) + d.namlen;
		}
	}
	PROBE(r == 0);
	return n;
}

/* The same ops under the whole sandbox (seccomp with the fs-shim's rules,
 * Landlock with its path rules), in a forked child: every op the guest may
 * ask works, nothing traps, and Landlock keeps the read-only grant and the
 * rest of the machine out of reach even for a direct system call. */
static void sandboxed_ops(const void *arg)
{
	struct sbx_policy p;
	struct nh_stat st;
	char buf[64];
	uint64_t g = galloc(64), ts = galloc(32);
	uint64_t zone = (scratch + 0x100000) & ~(NH_PAGE_SIZE - 1);
	int64_t fd, d;

	(void)arg;
	fsshim_tidy_fds(0); /* as main.c: inherited descriptors closed, grants above 0-2 */
	fsshim_open(&H);
	sbx_policy_init(&p);
	fsshim_policy(&H, &p);
	sbx_apply(&p, false, NULL);
	fd = open_(ROOT, "/data/new", NH_O_RDWR | NH_O_CREAT | NH_O_TRUNC, 0644);
	PROBE(fd >= 3);
	memcpy((void *)(uintptr_t)g, "abcdef", 6);
	PROBE(CALL(fsshim_op_write, (uint64_t)fd, g, 6) == 6);
	PROBE(CALL(fsshim_op_pwrite, (uint64_t)fd, g, 2, 10) == 2);
	PROBE(CALL(fsshim_op_pread, (uint64_t)fd, g, 3, 1) == 3);
	PROBE(CALL(fsshim_op_seek, (uint64_t)fd, 0, SEEK_SET) == 0);
	PROBE(read_all(fd, buf, 6) == 6);
	PROBE(CALL(fsshim_op_fsync, (uint64_t)fd) == 0);
	PROBE(stat_((uint64_t)fd, "", &st, 0) == 0 && st.size == 12);
	PROBE(CALL(fsshim_op_truncate, (uint64_t)fd, 0, 0, 4) == 0);
	PROBE(CALL(fsshim_op_chmod, (uint64_t)fd, 0, 0, 0600) == 0);
	PROBE(CALL(fsshim_op_chown, (uint64_t)fd, 0, 0, -1, H.fs.gid, 0) == 0);
	PROBE(CALL(fsshim_op_utimens, (uint64_t)fd, 0, 0, 0, 0) == 0);
	PROBE(CALL(fsshim_op_flock, (uint64_t)fd, NH_LOCK_EX) == 0);
	PROBE(CALL(fsshim_op_flock, (uint64_t)fd, NH_LOCK_UN) == 0);
	PROBE(CALL(fsshim_op_flock, 0, NH_LOCK_SH) == 0); /* stdin */
	H.ro_end = H.img.image_end = zone;
	PROBE(CALL(hook_mem_map, zone, 4096, 3, NH_MAP_SHARED, (uint64_t)fd, 0) == 0);
	PROBE(CALL(hook_mem_map, zone, 4096, 1, NH_MAP_PRIVATE, (uint64_t)fd, 0) == 0);
	PROBE(CALL(hook_mem_map, zone, 4096, 3, NH_MAP_ANON | NH_MAP_PRIVATE, 0, 0) == 0);
	PROBE(CALL(hook_mem_protect, zone, 4096, 0) == 0 && CALL(hook_mem_release, zone, 4096) == 0);
	PROBE(CALL(hook_mem_protect, zone, 4096, 3) == 0);
	PROBE(CALL(fsshim_op_close, (uint64_t)fd) == 0);
	PROBE(CALL(fsshim_op_truncate, ROOT, P("/data/new"), 2) == 0);
	PROBE(CALL(fsshim_op_chmod, ROOT, P("/data/new"), 0640) == 0);
	PROBE(CALL(fsshim_op_chown, ROOT, P("/data/new"), H.fs.uid, -1, 0) == 0);
	memset((void *)(uintptr_t)ts, 0, 32);
	PROBE(CALL(fsshim_op_utimens, ROOT, P("/data/new"), ts, 0) == 0);
	/* UMASK: the mask new names get, read back for the launcher; bits
	 * beyond 0777 dropped, as umask(2) does */
	PROBE(CALL(fsshim_op_umask, 01027) >= 0 && fsshim_umask() == 027);
	PROBE(CALL(fsshim_op_mkdir, ROOT, P("/data/um"), 0777) == 0);
	PROBE(stat_(ROOT, "/data/um", &st, 0) == 0 && (st.mode & 07777) == 0750);
	fd = open_(ROOT, "/data/um/f", NH_O_RDWR | NH_O_CREAT, 0666);
	PROBE(fd >= 3 && stat_((uint64_t)fd, "", &st, 0) == 0 && (st.mode & 07777) == 0640);
	PROBE(CALL(fsshim_op_close, (uint64_t)fd) == 0);
	PROBE(CALL(fsshim_op_umask, 022) == 027 && fsshim_umask() == 022);
	PROBE(CALL(fsshim_op_unlink, ROOT, P("/data/um/f"), 0) == 0);
	PROBE(CALL(fsshim_op_unlink, ROOT, P("/data/um"), NH_AT_REMOVEDIR) == 0);
	PROBE(CALL(fsshim_op_mkdir, ROOT, P("/data/dir"), 0755) == 0);
	PROBE(CALL(fsshim_op_rename, ROOT, P("/data/new"), ROOT, P("/data/dir/moved")) == 0);
	PROBE(CALL(fsshim_op_link, ROOT, P("/data/dir/moved"), ROOT, P("/data/hard")) == 0);
	PROBE(CALL(fsshim_op_symlink, P("dir/moved"), ROOT, P("/data/soft")) == 0);
	PROBE(CALL(fsshim_op_readlink, ROOT, P("/data/soft"), g, 64) == 9);
	PROBE(stat_(ROOT, "/data/soft", &st, 0) == 0 && st.size == 2);
	PROBE(stat_(ROOT, "/data/soft", &st, NH_AT_SYMLINK_NOFOLLOW) == 0);
	PROBE(CALL(fsshim_op_unlink, ROOT, P("/data/soft"), 0) == 0);
	PROBE(CALL(fsshim_op_unlink, ROOT, P("/data/hard"), 0) == 0);
	PROBE(CALL(fsshim_op_unlink, ROOT, P("/data/dir/moved"), 0) == 0);
	PROBE(CALL(fsshim_op_unlink, ROOT, P("/data/dir"), NH_AT_REMOVEDIR) == 0);
	d = open_(ROOT, "/data/big", NH_O_RDONLY, 0);
	PROBE(d >= 3 && count_entries(d) == 1002);
	PROBE(CALL(fsshim_op_close, (uint64_t)d) == 0);
	d = open_(ROOT, "/", NH_O_RDONLY, 0);
	PROBE(d >= 3 && count_entries(d) == 6);
	PROBE(CALL(fsshim_op_close, (uint64_t)d) == 0);
	fd = open_(ROOT, ro("/file"), NH_O_RDONLY, 0);
	PROBE(fd >= 3 && read_all(fd, buf, 6) == 3 && CALL(fsshim_op_close, (uint64_t)fd) == 0);
	PROBE(open_(ROOT, "/data/toro", NH_O_RDONLY, 0) >= 3);    /* slow path, other grant */
	PROBE(open_(ROOT, "/data/root/etc/passwd", NH_O_RDONLY, 0) == -NH_ENOENT);
	PROBE(open_(ROOT, "/data/loop1", NH_O_RDONLY, 0) == -NH_ELOOP);
	PROBE(stat_(0, "", &st, 0) == 0);                          /* stdin */
	/* trailing slashes and dots: decided by the fs-shim, nothing traps */
	PROBE(CALL(fsshim_op_unlink, ROOT, P("/data/hello.txt/"), 0) == -NH_ENOTDIR);
	PROBE(CALL(fsshim_op_unlink, ROOT, P("/data/sub/."), NH_AT_REMOVEDIR) == -NH_EINVAL);
	PROBE(CALL(fsshim_op_rename, ROOT, P("/data/hello.txt"), ROOT, P("/data/x/")) == -NH_ENOTDIR);
	PROBE(CALL(fsshim_op_link, ROOT, P("/data/sub/"), ROOT, P("/data/x")) == -NH_EPERM);
	PROBE(CALL(fsshim_op_symlink, P("t"), ROOT, P("/data/x/")) == -NH_ENOENT);
	PROBE(open_(ROOT, "/data/x/", NH_O_RDWR | NH_O_CREAT, 0644) == -NH_EISDIR);
	PROBE(stat_(ROOT, "/data/hello.txt/.", &st, 0) == -NH_ENOTDIR);
	/* /dev/null, served without a descriptor */
	fd = open_(ROOT, "/dev/null", NH_O_RDWR, 0);
	PROBE(fd >= 3);
	PROBE(CALL(fsshim_op_write, (uint64_t)fd, g, 6) == 6 && read_all(fd, buf, 6) == 0);
	PROBE(stat_((uint64_t)fd, "", &st, 0) == 0 && (st.mode & S_IFMT) == S_IFCHR);
	PROBE(CALL(fsshim_op_close, (uint64_t)fd) == 0);
	/* A hostile image's own openat2, without RESOLVE_BENEATH: Landlock
	 * keeps everything outside the grants, and writes in ro, out of reach. */
	PROBE(fsshim_openat2(AT_FDCWD, "/etc/passwd", O_RDONLY, 0, 0) == -EACCES);
	PROBE(fsshim_openat2(AT_FDCWD, ro("/file"), O_WRONLY, 0, 0) == -EACCES);
	PROBE(fsshim_openat2(AT_FDCWD, tpath("/canary"), O_RDONLY, 0, 0) == -EACCES);
	PROBE(fsshim_openat2(H.fs.grant[0].fd, "up", O_RDONLY, 0, 0) == -EACCES); /* ../canary */
	PROBE(fsshim_openat2(AT_FDCWD, ro("/file"), O_RDONLY, 0, 0) >= 0);
	/* O_PATH opens are not Landlock's to check: the metadata calls the
	 * filter allows must refuse such a descriptor */
	fd = fsshim_openat2(AT_FDCWD, tpath("/canary"), O_PATH | O_CLOEXEC, 0, 0);
	PROBE(fd >= 0);
	PROBE(fchmod((int)fd, 0777) < 0 && errno == EBADF);
	PROBE(syscall(SYS_utimensat, (int)fd, NULL, NULL, 0) < 0 && errno == EBADF);
	PROBE(ftruncate((int)fd, 0) < 0 && errno == EBADF);
	PROBE(flock((int)fd, LOCK_EX | LOCK_NB) < 0 && errno == EBADF);
	PROBE(write(STDERR_FILENO, "done\n", 5) == 5);
	CHILD_EXIT(0);
}

START_TEST(test_under_sandbox)
{
	struct outcome o;

	if (sbx_landlock_abi() < 3) {
		fprintf(stderr, "# skip under_sandbox: Landlock ABI %d < 3\n", sbx_landlock_abi());
		return;
	}
	unit_fork(sandboxed_ops, NULL, &o, NULL, NULL);
	expect_exit(&o, 0);
	ck_assert_str_eq(o.err, "done\n");
}
END_TEST

START_TEST(test_gate_table)
{
	ck_assert(gate_ops_complete());
	ck_assert_ptr_null(gate_op_lookup(0x0ff));
	ck_assert_ptr_null(gate_op_lookup(NH_OP_FS_MAX + 1));
	ck_assert_str_eq(gate_op_lookup(NH_OP_FS_OPEN)->name, "fs_open");
	ck_assert_str_eq(gate_op_lookup(NH_OP_FS_UTIMENS)->name, "fs_utimens");
	ck_assert_str_eq(gate_op_lookup(NH_OP_FS_UMASK)->name, "fs_umask");
}
END_TEST

/* --trace prints a guest path quoted and escaped, bounded, after checking it. */
static void trace_paths(const void *arg)
{
	static const char path[] = "/a\"b\\c\n\xff";
	uint64_t p;

	(void)arg;
	nh_host.ram_start = H.ram_start; /* the fixture's guest RAM */
	nh_host.ram_end = H.ram_end;
	nh_host.guard_lo = H.guard_lo;
	nh_host.stack_top = H.stack_top;
	p = galloc(256);
	memcpy((void *)(uintptr_t)p, path, sizeof(path) - 1);
	gate_trace(NH_OP_FS_OPEN, (const uint64_t[6]){ROOT, p, sizeof(path) - 1, 0x241, 0644}, 3,
	           1500, true);
	gate_trace(NH_OP_FS_OPEN, (const uint64_t[6]){ROOT, 0x40, 5, 0, 0}, -NH_EFAULT, 100, true);
	memset((void *)(uintptr_t)p, 'x', 200);
	gate_trace(NH_OP_FS_SYMLINK, (const uint64_t[6]){p, 200, ROOT, p, 1}, 0, 100, true);
	CHILD_EXIT(0);
}

START_TEST(test_trace_paths)
{
	struct outcome o;
	char want[512], xs[97];

	unit_fork(trace_paths, NULL, &o, NULL, NULL);
	expect_exit(&o, 0);
	ck_assert_msg(strstr(o.err, "[nh] fs_open(-100, \"/a\\\"b\\\\c\\n\\xff\", 8, 0x241, 0644) "
	                            "= 3 (1.5us)\n") != NULL, "stderr: %s", o.err);
	ck_assert_ptr_nonnull(strstr(o.err, "[nh] fs_open(-100, 0x40, 5, 0x0, 00) = -14 EFAULT (0.1us)\n"));
	memset(xs, 'x', 96); /* at most 96 bytes of a string, then "..." */
	xs[96] = '\0';
	snprintf(want, sizeof(want), "[nh] fs_symlink(\"%s\"..., 200, -100, \"x\", 1) = 0 ", xs);
	ck_assert_msg(strstr(o.err, want) != NULL, "stderr: %s", o.err);
}
END_TEST

/* ---- --dir and the grant set ----------------------------------------------- */

START_TEST(test_dir_parse)
{
	static const struct {
		const char *arg;
		bool ok, rw;
		const char *host, *guest, *err;
	} t[] = {
		{"/srv", true, false, "/srv", "", NULL},
		{"/srv:rw", true, true, "/srv", "", NULL},
		{"/srv:ro", true, false, "/srv", "", NULL},
		{"data:/x//y/./z/../w/", true, false, "data", "/x/y/w", NULL},
		{"/srv:/:rw", true, true, "/srv", "/", NULL},
		{"/srv:/g:ro", true, false, "/srv", "/g", NULL},
		{"", false, false, NULL, NULL, "HOST is empty"},
		{":/g", false, false, NULL, NULL, "HOST is empty"},
		{"/srv:g", false, false, NULL, NULL, "GUEST must be an absolute path"},
		{"/srv:/g:rx", false, false, NULL, NULL, "the mode must be ro or rw"},
		{"/srv:/g:rw:x", false, false, NULL, NULL, "too many ':'"},
		{"/srv:rw:ro", false, false, NULL, NULL, "GUEST must be an absolute path"},
		/* HOST @N: a directory given open (a foreign host's, host/foreign_root.c) */
		{"@7:/g:rw", true, true, "@7", "/g", NULL},
		{"@2147483647:/g", true, false, "@2147483647", "/g", NULL},
		{"@7", false, false, NULL, NULL, "HOST @N needs GUEST"},
		{"@7:rw", false, false, NULL, NULL, "HOST @N needs GUEST"},
		{"@2:/g", false, false, NULL, NULL, "HOST @N needs a descriptor number from 3"},
		{"@2147483648:/g", false, false, NULL, NULL, "HOST @N needs a descriptor number"},
		{"@7x:/g", false, false, NULL, NULL, "HOST @N needs a descriptor number"},
		{"@:/g", false, false, NULL, NULL, "HOST @N needs a descriptor number"},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct fsshim_dirspec d;
		char err[256] = "";

		ck_assert_msg(fsshim_dir_parse(t[i].arg, &d, err, sizeof(err)) == t[i].ok, "%s: %s",
		              t[i].arg, err);
		if (t[i].ok) {
			ck_assert_str_eq(d.host, t[i].host);
			ck_assert_str_eq(d.guest, t[i].guest);
			ck_assert(d.rw == t[i].rw);
			ck_assert_int_eq(d.fd, t[i].host[0] == '@' ? atoi(t[i].host + 1) : -1);
		} else {
			ck_assert_msg(strstr(err, t[i].err) != NULL, "%s: \"%s\"", t[i].arg, err);
		}
	}
}
END_TEST

/* The grant set that must be refused: one line, exit 125. */
static const char *const bad_sets[][3] = {
	{"/nonexistent-nh", NULL, NULL},
	{"/etc/passwd", NULL, NULL},
	{"/tmp:/g", "/var:/g", NULL},
	{"/tmp:rw", "/tmp/..//tmp:/elsewhere:ro", NULL},
	{"/:/r:rw", "/etc:ro", NULL},
};
static const char *const bad_why[] = {
	"--dir /nonexistent-nh: /nonexistent-nh: No such file or directory\n",
	"--dir /etc/passwd: /etc/passwd is not a directory\n",
	"two grants at the same guest path /g\n",
	"(read-only) lies inside --dir /tmp:rw (read-write)",
	"(read-only) lies inside --dir /:/r:rw (read-write)",
};

static void bad_set(const void *arg)
{
	const char *const *dirs = arg;
	static struct nh_host h;

	h.opts.max_files = 4;
	for (int i = 0; i < 3 && dirs[i] != NULL; i++)
		h.opts.dir[h.opts.ndirs++] = dirs[i];
	fsshim_setup(&h);
	CHILD_EXIT(0);
}

START_TEST(test_bad_grant_sets)
{
	struct outcome o;

	unit_fork(bad_set, bad_sets[_i], &o, NULL, NULL);
	expect_exit(&o, NH_EXIT_USAGE);
	ck_assert_msg(strstr(o.err, bad_why[_i]) != NULL && strncmp(o.err, "nonehost: ", 10) == 0,
	              "stderr: %s", o.err);
	ck_assert_msg(strchr(o.err, '\n') == o.err + strlen(o.err) - 1, "one line: %s", o.err);
}
END_TEST

START_TEST(test_cwd_rules)
{
	char rw[PATH_MAX + 8];
	static struct nh_host h;

	/* covered by an rw grant's host directory: no default grant, the
	 * guest's cwd is where it appears there */
	snprintf(rw, sizeof(rw), "%s:/w:rw", T);
	h.opts = (struct nh_opts){.dir = {rw}, .ndirs = 1, .max_files = 4};
	ck_assert_int_eq(chdir(RO), 0);
	fsshim_setup(&h);
	ck_assert_uint_eq(h.fs.ngrants, 1);
	ck_assert_str_eq(h.fs.cwd, "/w/ro");
	/* nothing covers it: granted read-only at its own path */
	h.opts = (struct nh_opts){.max_files = 4};
	fsshim_setup(&h);
	ck_assert_uint_eq(h.fs.ngrants, 1);
	ck_assert_str_eq(h.fs.grant[0].guest, RO);
	ck_assert(!h.fs.grant[0].rw && h.fs.grant[0].origin == FSSHIM_CWD);
	ck_assert_str_eq(h.fs.cwd, RO);
	/* the default grants are the Landlock rules, with the TMPDIR; no /etc
	 * under the default network (none: no names to resolve) */
	setenv("TMPDIR", T, 1);
	fsshim_tmp_create(&h);
	ck_assert_uint_eq(h.fs.ngrants, 2);
	ck_assert(h.fs.grant[1].rw && strncmp(h.fs.grant[1].host, T, strlen(T)) == 0);
	ck_assert(h.fs.grant[1].origin == FSSHIM_TMP && h.fs.tmp == 1);
	ck_assert_int_eq(access(h.fs.grant[1].host, W_OK), 0);
	ck_assert(!h.fs.etc_wanted && h.fs.etc == -1);
	ck_assert_int_ne(access(h.fs.run.etc, F_OK), 0);
	fsshim_tmp_abandon(&h);
	ck_assert_int_ne(access(h.fs.grant[1].host, F_OK), 0);
	ck_assert_int_ne(access(h.fs.run.dir, F_OK), 0);
	/* --net private: and /etc */
	h.opts.net.mode = NSS_PRIVATE;
	fsshim_setup(&h);
	fsshim_tmp_create(&h);
	ck_assert_uint_eq(h.fs.ngrants, 3);
	ck_assert(!h.fs.grant[2].rw && h.fs.grant[2].origin == FSSHIM_ETC && h.fs.etc == 2);
	ck_assert_str_eq(h.fs.grant[2].guest, "/etc");
	fsshim_tmp_abandon(&h); /* the whole run's directory, etc/ (0555) included */
	ck_assert_int_ne(access(h.fs.run.dir, F_OK), 0);
}
END_TEST

/* ---- the private TMPDIR goes when the run ends, however it ends ------------- */

static void run_and_leave(const void *arg)
{
	int how = *(const int *)arg;
	static struct nh_host h;
	char p[PATH_MAX + 64], deep[PATH_MAX];
	int fd;

	setenv("TMPDIR", tpath("/tmpbase"), 1);
	h.opts.max_files = 4;
	h.opts.net.mode = NSS_PRIVATE; /* etc/ too */
	fsshim_setup(&h);
	fsshim_tmp_create(&h);
	sbx_supervise("test", &(const struct sbx_exit){.run = fsshim_tmp_cleanup,
	                                              .policy = fsshim_tmp_policy, .arg = &h});
	/* the child: fill the TMPDIR the way a hostile guest might; etc/ is
	 * there too, read-only (0555, files 0444) */
	h.fs.tmp_owned = false;
	snprintf(p, sizeof(p), "%s/hosts", h.fs.run.etc);
	PROBE(access(p, R_OK) == 0);
	snprintf(p, sizeof(p), "%s/file", h.fs.grant[h.fs.tmp].host);
	fd = open(p, O_CREAT | O_WRONLY, 0600);
	PROBE(fd >= 0);
	close(fd);
	snprintf(p, sizeof(p), "%s/out", h.fs.grant[h.fs.tmp].host);
	PROBE(symlink(T, p) == 0); /* must not be followed */
	snprintf(deep, sizeof(deep), "%s", h.fs.grant[h.fs.tmp].host);
	for (int i = 0; i < 200; i++) {
		strcat(deep, "/d");
		PROBE(mkdir(deep, 0700) == 0);
	}
	snprintf(p, sizeof(p), "%s/locked", h.fs.grant[h.fs.tmp].host);
	PROBE(mkdir(p, 0700) == 0);
	strcat(p, "/x");
	PROBE(mkdir(p, 0700) == 0);
	p[strlen(p) - 2] = '\0';
	PROBE(chmod(p, 0) == 0);
	if (how == 1)
		kill(getpid(), SIGSEGV);
	CHILD_EXIT(42);
}

/* base/nonehost-UID: where this user's runs are made. */
static const char *user_runs(const char *base)
{
	static char p[PATH_MAX + 64];

	snprintf(p, sizeof(p), "%s/nonehost-%u", base, (unsigned)geteuid());
	return p;
}

START_TEST(test_tmp_removed)
{
	char base[PATH_MAX + 16], canary[PATH_MAX + 16];
	struct outcome o;
	struct stat st;
	int how = _i;

	snprintf(base, sizeof(base), "%s/tmpbase", T);
	ck_assert_int_eq(mkdir(base, 0700), 0);
	unit_fork(run_and_leave, &how, &o, NULL, NULL);
	if (how == 0)
		expect_exit(&o, 42);
	else
		ck_assert_msg(WIFSIGNALED(o.status) && WTERMSIG(o.status) == SIGSEGV, "status 0x%x: %s",
		              o.status, o.err);
	ck_assert_str_eq(o.err, "");
	ck_assert_int_eq(rmdir(user_runs(base)), 0); /* empty: the run's directory is gone, all of it */
	ck_assert_int_eq(rmdir(base), 0);
	snprintf(canary, sizeof(canary), "%s/canary", T);
	ck_assert_int_eq(stat(canary, &st), 0);
	ck_assert_int_eq(stat(RO, &st), 0);
}
END_TEST

START_TEST(test_keep_tmp)
{
	static struct nh_host h;
	char base[PATH_MAX + 16], p[NH_PATH_MAX + 16];

	snprintf(base, sizeof(base), "%s/tmpbase", T);
	ck_assert_int_eq(mkdir(base, 0700), 0);
	setenv("TMPDIR", base, 1);
	h.opts = (struct nh_opts){.max_files = 4, .keep_tmp = true, .net.mode = NSS_PRIVATE};
	fsshim_setup(&h);
	fsshim_tmp_create(&h);
	ck_assert(!h.fs.tmp_owned);
	ck_assert_ptr_nonnull(strstr(h.fs.run.dir, "/nonehost-kept.")); /* never swept */
	ck_assert_int_eq(h.fs.run.lock, -1);
	fsshim_tmp_cleanup(&h);
	fsshim_tmp_abandon(&h);
	ck_assert_int_eq(access(h.fs.grant[h.fs.tmp].host, F_OK), 0);
	snprintf(p, sizeof(p), "%s/hosts", h.fs.run.etc);
	ck_assert_int_eq(access(p, F_OK), 0);
	ck_assert_int_eq(fsshim_rmtree(h.fs.run.dir), 0);
	ck_assert_int_eq(rmdir(user_runs(base)), 0);
	ck_assert_int_eq(rmdir(base), 0);
}
END_TEST

/* As nobody the tmpfs is made in a user namespace of the run's own, where
 * one can be made; where none can (here: a process that changed its uid
 * is not dumpable, so its /proc/self/uid_map is root's and its ids cannot
 * be mapped) the run's directory is on disk, as for an image that can
 * start a process. */
static char nobody_tmp[PATH_MAX + 16];

static void tmp_as_nobody(const void *arg)
{
	const bool userns = *(const int *)arg;
	static struct nh_host h;

	PROBE(setresgid(65534, 65534, 65534) == 0 && setresuid(65534, 65534, 65534) == 0);
	PROBE(!userns || prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) == 0);
	if (userns) { /* a system that refuses nobody a user namespace has nothing to test here */
		pid_t pid = fork();
		int st;

		if (pid == 0)
			_exit(unshare(CLONE_NEWUSER) == 0 ? 0 : 1);
		PROBE(pid > 0 && waitpid(pid, &st, 0) == pid);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			CHILD_EXIT(0);
	}
	setenv("TMPDIR", nobody_tmp, 1);
	h.opts = (struct nh_opts){.max_files = 4};
	fsshim_setup(&h);
	h.fs.tmp_private = true;
	PROBE(fsshim_tmp_in_memory(&h.fs) == userns); /* --policy's answer, tried in a child */
	fsshim_tmp_create(&h);
	if (userns) {
		PROBE(h.fs.run.in_memory && !h.fs.run.made && !h.fs.tmp_owned);
		PROBE(access(h.fs.run.dir, F_OK) != 0);
		CHILD_EXIT(0);
	}
	PROBE(!h.fs.run.in_memory && h.fs.run.made && h.fs.tmp_owned);
	PROBE(access(h.fs.grant[h.fs.tmp].host, W_OK) == 0);
	fsshim_tmp_abandon(&h);
	PROBE(access(h.fs.run.dir, F_OK) != 0);
	CHILD_EXIT(0);
}

/* An image that cannot start a process (tmp_private): its run's directory in
 * a tmpfs attached nowhere, granted by descriptor; nothing on disk. */
START_TEST(test_tmp_in_memory)
{
	static struct nh_host h;
	char base[PATH_MAX + 16];
	struct outcome o;
	struct stat st;
	int fd;

	if (geteuid() != 0)
		return; /* root's: its cases as a user are tmp_as_nobody's, by setresuid */
	snprintf(base, sizeof(base), "%s/tmpbase", T);
	ck_assert_int_eq(mkdir(base, 0700), 0);
	setenv("TMPDIR", base, 1);
	h.opts = (struct nh_opts){.max_files = 4, .net.mode = NSS_PRIVATE};
	fsshim_setup(&h);
	h.fs.tmp_private = true;
	ck_assert(fsshim_tmp_in_memory(&h.fs)); /* --policy's answer */
	fsshim_tmp_create(&h);
	ck_assert(h.fs.run.in_memory && fsshim_tmp_in_memory(&h.fs));
	ck_assert(!h.fs.tmp_owned && !h.fs.run.made);
	ck_assert_int_ge(h.fs.run.mount, 3);
	ck_assert_ptr_null(strstr(h.fs.run.dir, "XXXXXX")); /* named as mkdtemp would */
	ck_assert_int_eq(strncmp(h.fs.run.dir, user_runs(base), strlen(user_runs(base))), 0);
	ck_assert_int_ne(access(user_runs(base), F_OK), 0); /* nothing on disk, not even that */
	/* the TMPDIR: read-write, by descriptor, at the path it would have had */
	ck_assert(h.fs.grant[h.fs.tmp].given && h.fs.grant[h.fs.tmp].rw);
	ck_assert_str_eq(h.fs.grant[h.fs.tmp].guest, h.fs.run.tmp);
	ck_assert_str_eq(h.fs.grant[h.fs.tmp].host, "(memory)/tmp"); /* no host path: messages */
	ck_assert_str_eq(h.fs.grant[h.fs.etc].host, "(memory)/etc"); /* not the host's /etc */
	fd = openat(h.fs.grant[h.fs.tmp].fd, "f", O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(fstatat(h.fs.grant[h.fs.tmp].fd, "f", &st, 0), 0);
	ck_assert_int_eq(fstat(h.fs.grant[h.fs.tmp].fd, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0700);
	/* /etc: read-only, filled, 0555 */
	ck_assert(h.fs.grant[h.fs.etc].given && !h.fs.grant[h.fs.etc].rw);
	ck_assert_int_eq(fstatat(h.fs.grant[h.fs.etc].fd, "hosts", &st, 0), 0);
	ck_assert_int_eq(fstat(h.fs.grant[h.fs.etc].fd, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0555);
	/* nothing to remove, nothing removed */
	fsshim_tmp_cleanup(&h);
	fsshim_tmp_abandon(&h);
	ck_assert_int_eq(fstatat(h.fs.grant[h.fs.tmp].fd, "f", &st, 0), 0);
	close(h.fs.grant[h.fs.tmp].fd);
	close(h.fs.grant[h.fs.etc].fd);
	close(h.fs.run.mount);
	/* --keep-tmp: on disk, whatever the image */
	h.opts = (struct nh_opts){.max_files = 4, .keep_tmp = true};
	fsshim_setup(&h);
	h.fs.tmp_private = true;
	ck_assert(!fsshim_tmp_in_memory(&h.fs));
	fsshim_tmp_create(&h);
	ck_assert(!h.fs.run.in_memory && h.fs.run.made);
	ck_assert_int_eq(access(h.fs.grant[h.fs.tmp].host, W_OK), 0);
	ck_assert_int_eq(fsshim_rmtree(h.fs.run.dir), 0);
	ck_assert_int_eq(rmdir(user_runs(base)), 0);
	ck_assert_int_eq(rmdir(base), 0);
	/* as nobody, with and without a user namespace (a shared parent, as /tmp) */
	snprintf(nobody_tmp, sizeof(nobody_tmp), "%s/shared", T);
	ck_assert_int_eq(mkdir(nobody_tmp, 0700), 0);
	ck_assert_int_eq(chmod(nobody_tmp, 01777), 0);
	ck_assert_int_eq(chmod(T, 0755), 0);
	for (int userns = 0; userns < 2; userns++) {
		unit_fork(tmp_as_nobody, &userns, &o, NULL, NULL);
		expect_exit(&o, 0);
	}
	ck_assert_int_eq(fsshim_rmtree(nobody_tmp), 0);
}
END_TEST

__attribute__((format(printf, 3, 4)))
static void make_dir(char *p, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p, n, fmt, ap);
	va_end(ap);
	ck_assert_msg(mkdir(p, 0700) == 0, "mkdir %s: %s", p, strerror(errno));
}

/* The sweep: what a supervisor killed with SIGKILL left in the base
 * directory goes, and nothing else: not a locked (live) run's, not an
 * empty one, not --keep-tmp's, not other names, not through a link, not
 * another user's. */
START_TEST(test_tmp_sweep)
{
	static struct nh_host h;
	char top[PATH_MAX + 16], p[2 * PATH_MAX];
	const char *base;
	int live;

	snprintf(top, sizeof(top), "%s/tmpbase", T);
	ck_assert_int_eq(mkdir(top, 0700), 0);
	setenv("TMPDIR", top, 1);
	h.opts = (struct nh_opts){.max_files = 4};
	fsshim_setup(&h);
	fsshim_tmp_create(&h);
	ck_assert_int_ge(h.fs.run.lock, 0);
	base = user_runs(top); /* the runs' directory, where the sweep looks */
	make_dir(p, sizeof(p), "%s/nonehost.AAAAAA", base);
	make_dir(p, sizeof(p), "%s/nonehost.AAAAAA/tmp", base);
	make_dir(p, sizeof(p), "%s/nonehost.AAAAAA/tmp/a", base);
	snprintf(p, sizeof(p), "%s/nonehost.AAAAAA/tmp/a/out", base);
	ck_assert_int_eq(symlink(T, p), 0);
	make_dir(p, sizeof(p), "%s/nonehost.BBBBBB", base);
	snprintf(p, sizeof(p), "%s/nonehost.BBBBBB", base);
	ck_assert_int_ge(live = open(p, O_RDONLY | O_DIRECTORY), 0);
	ck_assert_int_eq(flock(live, LOCK_EX), 0);
	make_dir(p, sizeof(p), "%s/nonehost.BBBBBB/tmp", base);
	make_dir(p, sizeof(p), "%s/nonehost.CCCCCC", base);
	make_dir(p, sizeof(p), "%s/nonehost-kept.DDDDDD", base);
	make_dir(p, sizeof(p), "%s/nonehost-kept.DDDDDD/tmp", base);
	make_dir(p, sizeof(p), "%s/nonehost.EEEEEEE", base);
	make_dir(p, sizeof(p), "%s/nonehost.EEEEEEE/tmp", base);
	make_dir(p, sizeof(p), "%s/victim", T);
	make_dir(p, sizeof(p), "%s/victim/x", T);
	snprintf(p, sizeof(p), "%s/nonehost.FFFFFF", base);
	ck_assert_int_eq(symlink("../../victim", p), 0);
	make_dir(p, sizeof(p), "%s/nonehost.GGGGGG", base);
	make_dir(p, sizeof(p), "%s/nonehost.GGGGGG/tmp", base);
	if (geteuid() == 0) { /* another user's: not ours to sweep */
		snprintf(p, sizeof(p), "%s/nonehost.GGGGGG", base);
		ck_assert_int_eq(chown(p, 12345, 12345), 0);
	}

	fsshim_tmp_sweep(&h);

	snprintf(p, sizeof(p), "%s/nonehost.AAAAAA", base);
	ck_assert_msg(access(p, F_OK) != 0, "%s (left behind) is still there", p);
	snprintf(p, sizeof(p), "%s/canary", T);
	ck_assert_int_eq(access(p, F_OK), 0);
	for (const char *const *n = (const char *const[]){"nonehost.BBBBBB/tmp", "nonehost.CCCCCC",
	                                                   "nonehost-kept.DDDDDD/tmp",
	                                                   "nonehost.EEEEEEE/tmp", "nonehost.FFFFFF",
	                                                   "../../victim/x", NULL};
	     *n != NULL; n++) {
		snprintf(p, sizeof(p), "%s/%s", base, *n);
		ck_assert_msg(access(p, F_OK) == 0, "%s was removed", p);
	}
	if (geteuid() == 0) {
		snprintf(p, sizeof(p), "%s/nonehost.GGGGGG/tmp", base);
		ck_assert_msg(access(p, F_OK) == 0, "%s (another user's) was removed", p);
	}
	ck_assert_int_eq(access(h.fs.grant[h.fs.tmp].host, F_OK), 0); /* this run's own */

	/* Unlocked, the live one goes at the next sweep; the run's own never. */
	ck_assert_int_eq(close(live), 0);
	fsshim_tmp_sweep(&h);
	snprintf(p, sizeof(p), "%s/nonehost.BBBBBB", base);
	ck_assert_msg(access(p, F_OK) != 0, "%s (its lock free now) is still there", p);
	ck_assert_int_eq(access(h.fs.grant[h.fs.tmp].host, F_OK), 0);
	fsshim_tmp_unlock(&h.fs);
	ck_assert_int_eq(h.fs.run.lock, -1);
	fsshim_tmp_cleanup(&h);
	ck_assert_int_ne(access(h.fs.run.dir, F_OK), 0);
}
END_TEST

static void make_in(const void *base)
{
	static struct nh_host h;

	setenv("TMPDIR", base, 1);
	h.opts.max_files = 4;
	fsshim_setup(&h);
	fsshim_tmp_create(&h);
	CHILD_EXIT(0);
}

/* The user's directory of runs must be this user's, writable by nobody
 * else: whatever is in it may be swept. */
START_TEST(test_tmp_user_dir)
{
	char base[PATH_MAX + 16];
	struct outcome o;

	snprintf(base, sizeof(base), "%s/tmpbase", T);
	ck_assert_int_eq(mkdir(base, 0700), 0);
	ck_assert_int_eq(mkdir(user_runs(base), 0700), 0);
	ck_assert_int_eq(chmod(user_runs(base), 0777), 0);
	unit_fork(make_in, base, &o, NULL, NULL);
	expect_exit(&o, 125);
	ck_assert_msg(strstr(o.err, "is not a directory of this user's that only it can write to "
	                            "(owner") != NULL, "%s", o.err);
	ck_assert_int_eq(rmdir(user_runs(base)), 0);
	ck_assert_int_eq(symlink(T, user_runs(base)), 0); /* a link to a directory: not followed */
	unit_fork(make_in, base, &o, NULL, NULL);
	expect_exit(&o, 125);
	ck_assert_int_eq(unlink(user_runs(base)), 0);
	unit_fork(make_in, base, &o, NULL, NULL); /* made when missing */
	expect_exit(&o, 0);
}
END_TEST

Suite *fsshim_suite(void)
{
	Suite *s = suite_create("fsshim");
	TCase *adv = tcase_create("adversarial"), *ok = tcase_create("ops"),
	      *grants = tcase_create("grants");

	tcase_add_checked_fixture(adv, setup, teardown);
	tcase_add_checked_fixture(ok, setup, teardown);
	tcase_add_checked_fixture(grants, setup, teardown);
	tcase_add_test(adv, test_escapes);
	tcase_add_test(adv, test_cross_grant);
	tcase_add_test(adv, test_bad_paths);
	tcase_add_test(adv, test_openat_walk);
	tcase_add_test(adv, test_erofs);
	tcase_add_test(adv, test_handles);
	tcase_add_test(adv, test_console_dup);
	tcase_add_test(adv, test_efault);
	tcase_add_test(adv, test_canary_untouched);
	tcase_add_test(ok, test_files);
	tcase_add_test(ok, test_names);
	tcase_add_test(ok, test_readdir);
	tcase_add_test(ok, test_devnull);
	tcase_add_test(ok, test_devnull_granted);
	tcase_add_test(ok, test_devices);
	tcase_add_test(ok, test_flock);
	tcase_add_test(ok, test_mem_map);
	tcase_add_test(ok, test_programs_shown);
	tcase_add_test(ok, test_under_sandbox);
	tcase_add_test(grants, test_dir_parse);
	tcase_add_test(grants, test_gate_table);
	tcase_add_test(grants, test_trace_paths);
	tcase_add_loop_test(grants, test_bad_grant_sets, 0, (int)(sizeof(bad_sets) / sizeof(bad_sets[0])));
	tcase_add_test(grants, test_cwd_rules);
	tcase_add_loop_test(grants, test_tmp_removed, 0, 2);
	tcase_add_test(grants, test_keep_tmp);
	tcase_add_test(grants, test_tmp_in_memory);
	tcase_add_test(grants, test_tmp_sweep);
	tcase_add_test(grants, test_tmp_user_dir);
	suite_add_tcase(s, adv);
	suite_add_tcase(s, ok);
	suite_add_tcase(s, grants);
	return s;
}
