/*
 * check_fsshim_etc.c - unit tests of the guest's /etc (fs-shim/fsshim_etc.c)
 * and of the run's directory that holds it (fs-shim/fsshim_tmp.c): the op
 * functions driven directly, with guest RAM mapped in the (forked) test
 * process, as check_fsshim.c does.
 *
 * The tree, fresh for each test in /tmp/nh-etc.XXXXXX (T), also the
 * current directory (granted read-only at its own path):
 *   T/base/          the TMPDIR the run's directory is made in
 *   T/src/           a stand-in for the host's /etc (fsshim_etc_fill)
 *   T/ssl/cert.pem   for --dir T/ssl:/etc/ssl:ro
 *   T/deep/          for --dir T/deep:/etc/a/b:rw
 *   T/root/etc/hosts for --dir T/root:/:ro
 * Checked: the layout (nonehost.XXXXXX/tmp and etc/, the grants and their
 * modes); no etc/ at all under --net none and the default; etc/'s content
 * under private and host against the host's /etc (the CA bundle under
 * host only: the first of the list, followed through a link); the
 * read-only grant (every write op through the fs-shim is -EROFS; under
 * the sandbox Landlock refuses a raw write too); /etc lists only those
 * files; a copy refused (larger than 1 MiB, not a regular file: one line,
 * 125), a missing one skipped; a grant at or above /etc wins and --policy
 * says so; a grant beneath /etc nests (fast and slow path, its way made in
 * etc/); a read-write grant holding the TMPDIR does not refuse our /etc;
 * --policy's template lines (and its line for no /etc of ours). Tests run
 * under --net private (our /etc made) unless they say otherwise. The removal of the whole tree by the
 * supervisor and --keep-tmp: check_fsshim.c (test_tmp_removed,
 * test_keep_tmp).
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
#include "sandbox.h"
#include "unit.h"

#define MEM (UINT64_C(16) << 20)
#define MAX_FILES 8
#define LOCALHOST "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
#define ROOT ((uint64_t)(int64_t)NH_AT_ROOT)
#define BERLIN "TZif2 a stand-in for Europe/Berlin\n"
#define BERLIN_LINK "../usr/share/zoneinfo/Europe/Berlin" /* as systemd makes it */

static struct nh_host H;
static char T[PATH_MAX], BASE[PATH_MAX + 8], SRC[PATH_MAX + 8], ZROOT[PATH_MAX + 8];
static uint64_t scratch;
static const char *const etc_names[] = {"hosts", "resolv.conf", "nsswitch.conf", "services",
                                        "protocols", "passwd", "group", "localtime"};
#define COPIED_NAMES 5 /* the first five: copies; passwd and group: our own lines */

static char *tpath(const char *rest)
{
	static char buf[4][PATH_MAX + 64];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s%s", T, rest);
	return buf[k];
}

static void setup(void)
{
	char p[PATH_MAX];

	strcpy(T, "/tmp/nh-etc.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(T));
	ck_assert_ptr_nonnull(realpath(T, p));
	strcpy(T, p);
	snprintf(BASE, sizeof(BASE), "%s/base", T);
	snprintf(SRC, sizeof(SRC), "%s/src", T);
	ck_assert_int_eq(mkdir(BASE, 0700), 0);
	ck_assert_int_eq(mkdir(SRC, 0755), 0);
	ck_assert_int_eq(mkdir(tpath("/ssl"), 0755), 0);
	unit_put(tpath("/ssl"), "cert.pem", "cert\n");
	ck_assert_int_eq(mkdir(tpath("/deep"), 0755), 0);
	ck_assert_int_eq(mkdir(tpath("/root"), 0755), 0);
	ck_assert_int_eq(mkdir(tpath("/root/etc"), 0755), 0);
	unit_put(tpath("/root/etc"), "hosts", "10.9.9.9 theirs\n");
	/* ZROOT: a stand-in for the host's root, for fsshim_zone */
	snprintf(ZROOT, sizeof(ZROOT), "%s/zroot", T);
	ck_assert_int_eq(mkdir(ZROOT, 0755), 0);
	ck_assert_int_eq(mkdir(tpath("/zroot/etc"), 0755), 0);
	ck_assert_int_eq(mkdir(tpath("/zroot/usr"), 0755), 0);
	ck_assert_int_eq(mkdir(tpath("/zroot/usr/share"), 0755), 0);
	ck_assert_int_eq(mkdir(tpath("/zroot/usr/share/zoneinfo"), 0755), 0);
	ck_assert_int_eq(mkdir(tpath("/zroot/usr/share/zoneinfo/Europe"), 0755), 0);
	unit_put(tpath("/zroot/usr/share/zoneinfo/Europe"), "Berlin", BERLIN);
	ck_assert_int_eq(symlink(BERLIN_LINK, tpath("/zroot/etc/localtime")), 0);
	ck_assert_int_eq(chdir(T), 0);
	setenv("TMPDIR", BASE, 1);
	memset(&H, 0, sizeof(H));
	H.opts = (struct nh_opts){.memory = MEM, .image = "img", .max_files = MAX_FILES,
	                          .net.mode = NSS_PRIVATE};
}

static void teardown(void)
{
	char cmd[2 * PATH_MAX + 64];

	if (H.fs.run.made)
		fsshim_rmtree(H.fs.run.dir);
	snprintf(cmd, sizeof(cmd), "chmod -R u+rwx %s; rm -rf %s", T, T);
	if (system(cmd) != 0)
		fprintf(stderr, "# could not remove %s\n", T);
}

/* The grants of dirs, the run's directory made, the grants opened. */
static void start(const char *const *dirs)
{
	for (H.opts.ndirs = 0; dirs != NULL && dirs[H.opts.ndirs] != NULL; H.opts.ndirs++)
		H.opts.dir[H.opts.ndirs] = dirs[H.opts.ndirs];
	fsshim_setup(&H);
	fsshim_zone(&H, ZROOT);
	fsshim_tmp_create(&H);
	fsshim_open(&H);
	ram_map(&H);
	scratch = H.ram_start + 0x100000;
}

/* Guest memory, from scratch. */
#define galloc(n) unit_galloc(&scratch, (n))

static uint64_t gstr(const char *s)
{
	uint64_t p = galloc(strlen(s) + 1);

	memcpy((void *)(uintptr_t)p, s, strlen(s));
	return p;
}

#define P(s) gstr(s), strlen(s)

static int64_t open_(const char *p, uint64_t flags, uint64_t mode)
{
	return CALL(fsshim_op_open, ROOT, P(p), flags, mode);
}

/* The content of guest path p (at most n - 1 bytes), read through the ops;
 * its length, or -errno. No ck_assert: the sandboxed child uses it too
 * (libcheck writes to its pipe on every check). */
static int64_t guest_read(const char *p, char *out, size_t n)
{
	int64_t fd = open_(p, NH_O_RDONLY, 0), r, c;
	uint64_t buf = galloc(n);

	if (fd < 0)
		return fd;
	r = CALL(fsshim_op_read, (uint64_t)fd, buf, n - 1);
	c = CALL(fsshim_op_close, (uint64_t)fd);
	if (r >= 0 && c < 0)
		r = c;
	if (r >= 0) {
		memcpy(out, (void *)(uintptr_t)buf, (size_t)r);
		out[r] = '\0';
	}
	return r;
}

/* A host file's content (at most max bytes), or -1 if it does not exist. */
static long slurp(const char *path, char *buf, size_t max)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t n = 0;
	ssize_t r;

	if (fd < 0) {
		ck_assert_int_eq(errno, ENOENT);
		return -1;
	}
	while ((r = read(fd, buf + n, max - n)) > 0)
		n += (size_t)r;
	ck_assert_int_eq(r, 0);
	ck_assert_int_eq(close(fd), 0);
	return (long)n;
}

/* dir/name has exactly content (want < 0: does not exist), mode 0444. */
static void same(const char *dir, const char *name, const char *want, long wantlen)
{
	static char got[(1 << 20) + 2];
	char p[PATH_MAX + 64];
	struct stat st;
	long n;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	n = slurp(p, got, sizeof(got));
	ck_assert_msg(n == wantlen, "%s: %ld bytes, want %ld", p, n, wantlen);
	if (n < 0)
		return;
	ck_assert_msg(memcmp(got, want, (size_t)n) == 0, "%s differs", p);
	ck_assert_int_eq(lstat(p, &st), 0);
	ck_assert_msg(S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0444, "%s: mode 0%o", p,
	              st.st_mode);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in guest directory p, sorted, joined by ' ' ("." and ".." left out). */
static char *listing(const char *p)
{
	static char out[1024], name[32][64];
	char *sorted[32];
	int64_t fd = open_(p, NH_O_RDONLY | NH_O_DIRECTORY, 0);
	uint64_t buf = galloc(4096), cookie = 0;
	unsigned n = 0;

	ck_assert_int_ge(fd, 3);
	for (;;) {
		int64_t r = CALL(fsshim_op_readdir, (uint64_t)fd, buf, 4096, cookie);

		ck_assert_int_ge(r, 0);
		if (r == 0)
			break;
		for (uint64_t off = 0; off < (uint64_t)r;) {
			struct nh_dirent d;
			const char *entry = (const char *)(uintptr_t)(buf + off + sizeof(d));

			memcpy(&d, (void *)(uintptr_t)(buf + off), sizeof(d));
			cookie = d.next;
			off += sizeof(d) + d.namlen;
			if ((d.namlen == 1 && entry[0] == '.') || (d.namlen == 2 && memcmp(entry, "..", 2) == 0))
				continue;
			ck_assert_uint_lt(n, 32);
			ck_assert_uint_lt(d.namlen, 64);
			memcpy(name[n], entry, d.namlen);
			name[n][d.namlen] = '\0';
			sorted[n] = name[n];
			n++;
		}
	}
	EQ(CALL(fsshim_op_close, (uint64_t)fd), 0);
	qsort(sorted, n, sizeof(sorted[0]), by_name);
	out[0] = '\0';
	for (unsigned i = 0; i < n; i++)
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s", i ? " " : "", sorted[i]);
	return out;
}

/* What a listing of /etc must be: those of names that exist in dir, and
 * extra (NULL-terminated), sorted. */
static char *expected_listing(const char *dir, const char *const *extra)
{
	static char out[1024];
	char p[PATH_MAX + 64];
	const char *sorted[16];
	unsigned n = 0;

	for (size_t i = 0; i < sizeof(etc_names) / sizeof(etc_names[0]); i++) {
		struct stat st;

		snprintf(p, sizeof(p), "%s/%s", dir, etc_names[i]);
		if (lstat(p, &st) == 0)
			sorted[n++] = etc_names[i];
	}
	for (; extra != NULL && *extra != NULL; extra++)
		sorted[n++] = *extra;
	qsort(sorted, n, sizeof(sorted[0]), by_name);
	out[0] = '\0';
	for (unsigned i = 0; i < n; i++)
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s", i ? " " : "", sorted[i]);
	return out;
}

/* ---- the layout and the content, for each network --------------------------- */

static const struct {
	uint8_t mode;
	bool users; /* the image may read passwd and group (fs->users_wanted) */
	bool etc;   /* our /etc is made */
	bool net;   /* with name-resolution files */
	bool host;  /* with the host's copies */
} modes[] = {
	{NSS_DEFAULT, false, false, false, false}, {NSS_NONE, false, false, false, false},
	{NSS_PRIVATE, false, true, true, false},   {NSS_HOST, false, true, true, true},
	{NSS_NONE, true, true, false, false},      {NSS_DEFAULT, true, true, false, false},
	{NSS_PRIVATE, true, true, true, false},
};

/* --net none (or the default): the run's directory holds tmp/ only, no
 * grant at /etc, and the guest finds there only the localtime link. */
static void no_etc(void)
{
	char buf[256];
	struct stat st;

	ck_assert(!H.fs.etc_wanted);
	ck_assert_int_eq(H.fs.etc, -1);
	ck_assert_int_eq(H.fs.etc_theirs, -1);
	ck_assert_uint_eq(H.fs.ngrants, 3); /* the current directory, the zones, the TMPDIR */
	for (unsigned i = 0; i < H.fs.ngrants; i++)
		ck_assert_str_ne(H.fs.grant[i].guest, "/etc");
	ck_assert_int_ne(lstat(H.fs.run.etc, &st), 0);
	ck_assert_int_eq(errno, ENOENT);
	EQ(guest_read("/etc/hosts", buf, sizeof(buf)), -NH_ENOENT);
	EQ(guest_read("/etc/services", buf, sizeof(buf)), -NH_ENOENT);
	ck_assert_str_eq(listing("/etc"), "localtime");
}

START_TEST(test_content)
{
	static char want[(1 << 20) + 2], buf[65536];
	static const char *const ssl[] = {"ssl", NULL};
	const bool host = modes[_i].host, net = modes[_i].net;
	const struct fsshim_run *run = &H.fs.run;
	const struct fsshim_grant *tmp, *etc;
	char p[PATH_MAX + 64];
	struct stat st;
	long n, bundle;

	H.opts.net.mode = modes[_i].mode;
	H.fs.users_wanted = modes[_i].users;
	start(NULL);
	/* BASE/nonehost-UID/nonehost.XXXXXX/{tmp,etc}, the grants at tmp/'s own
	 * path and at /etc; under none only tmp/ */
	snprintf(p, sizeof(p), "%s/nonehost-%u/nonehost.", BASE, (unsigned)geteuid());
	ck_assert_msg(strncmp(run->dir, p, strlen(p)) == 0 && strlen(run->dir) == strlen(p) + 6,
	              "run directory %s", run->dir);
	snprintf(p, sizeof(p), "%s/tmp", run->dir);
	ck_assert_str_eq(run->tmp, p);
	snprintf(p, sizeof(p), "%s/etc", run->dir);
	ck_assert_str_eq(run->etc, p);
	ck_assert_int_ge(H.fs.tmp, 0);
	tmp = &H.fs.grant[H.fs.tmp];
	ck_assert(tmp->rw && tmp->origin == FSSHIM_TMP);
	ck_assert_str_eq(tmp->host, run->tmp);
	ck_assert_str_eq(tmp->guest, run->tmp);
	ck_assert_int_eq(stat(run->dir, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0700);
	ck_assert_int_eq(access(run->tmp, W_OK), 0);
	snprintf(p, sizeof(p), "%s/f", run->tmp); /* writable by the guest, at its own path */
	n = open_(p, NH_O_WRONLY | NH_O_CREAT, 0600);
	ck_assert_int_ge(n, 3);
	EQ(CALL(fsshim_op_close, (uint64_t)n), 0);
	if (!modes[_i].etc) {
		no_etc();
		return;
	}
	ck_assert(H.fs.etc_wanted);
	ck_assert_int_ge(H.fs.etc, 0);
	ck_assert_int_eq(H.fs.etc_theirs, -1);
	etc = &H.fs.grant[H.fs.etc];
	ck_assert(!etc->rw && etc->origin == FSSHIM_ETC && !etc->nested);
	ck_assert_str_eq(etc->host, run->etc);
	ck_assert_str_eq(etc->guest, "/etc");
	ck_assert_int_eq(stat(run->etc, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0555);
	/* the files: hosts, and under --net host the host's copies; under none
	 * (an image that reads passwd and group) none of them */
	if (host) {
		n = slurp("/etc/hosts", want, sizeof(want));
		same(run->etc, "hosts", want, n);
	} else {
		same(run->etc, "hosts", net ? LOCALHOST : NULL, net ? (long)strlen(LOCALHOST) : -1);
	}
	for (size_t i = 1; i < COPIED_NAMES; i++) {
		bool always = strcmp(etc_names[i], "services") == 0 || strcmp(etc_names[i], "protocols") == 0;

		snprintf(p, sizeof(p), "/etc/%s", etc_names[i]);
		n = slurp(p, want, sizeof(want));
		same(run->etc, etc_names[i], want, host || (net && always) ? n : -1);
	}
	/* under --net host the CA bundle, where Debian and Ubuntu keep it */
	bundle = slurp("/etc/ssl/certs/ca-certificates.crt", want, sizeof(want));
	snprintf(p, sizeof(p), "%s/ssl/certs", run->etc);
	same(p, "ca-certificates.crt", want, host ? bundle : -1);
	/* the guest reads it at /etc, sees only those files, and cannot write */
	n = guest_read("/etc/hosts", buf, sizeof(buf));
	if (!net) {
		EQ(n, -NH_ENOENT);
	} else if (!host) {
		ck_assert_str_eq(buf, LOCALHOST);
	} else {
		long hn = slurp("/etc/hosts", want, sizeof(want));

		ck_assert_int_eq(n, hn < 0 ? -NH_ENOENT : hn);
		ck_assert(hn < 0 || memcmp(buf, want, (size_t)hn) == 0);
	}
	ck_assert_str_eq(listing("/etc"),
	                 expected_listing(run->etc, host && bundle >= 0 ? ssl : NULL));
	EQ(open_("/etc/hosts", NH_O_WRONLY, 0), -NH_EROFS);
	EQ(open_("/etc/hosts", NH_O_RDWR | NH_O_APPEND, 0), -NH_EROFS);
	EQ(open_("/etc/hosts", NH_O_RDONLY | NH_O_TRUNC, 0), -NH_EROFS);
	EQ(open_("/etc/resolv.conf", NH_O_WRONLY | NH_O_CREAT, 0644), -NH_EROFS);
	EQ(CALL(fsshim_op_unlink, ROOT, P("/etc/hosts"), 0), -NH_EROFS);
	EQ(CALL(fsshim_op_rename, ROOT, P("/etc/hosts"), ROOT, P("/etc/x")), -NH_EROFS);
	EQ(CALL(fsshim_op_mkdir, ROOT, P("/etc/d"), 0755), -NH_EROFS);
	EQ(CALL(fsshim_op_symlink, P("hosts"), ROOT, P("/etc/l")), -NH_EROFS);
	EQ(CALL(fsshim_op_chmod, ROOT, P("/etc/hosts"), 0666), -NH_EROFS);
	EQ(CALL(fsshim_op_truncate, ROOT, P("/etc/hosts"), 0), -NH_EROFS);
	EQ(CALL(fsshim_op_unlink, ROOT, P("/etc"), NH_AT_REMOVEDIR), -EBUSY);
	EQ(CALL(fsshim_op_chown, ROOT, P("/etc/hosts"), -1, (uint64_t)getegid(), 0), -NH_EROFS);
	EQ(open_("/etc/shadow", NH_O_RDONLY, 0), -NH_ENOENT);
	/* passwd: one line, ours (root here: the host's line for uid 0), and
	 * the localtime link, whatever the network */
	snprintf(p, sizeof(p), "%s/localtime", run->etc);
	ck_assert_int_eq(lstat(p, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	n = guest_read("/etc/passwd", buf, sizeof(buf));
	if (n != -NH_ENOENT) {
		char want_id[32];

		ck_assert_int_gt(n, 0);
		ck_assert_ptr_eq(strchr(buf, '\n'), buf + n - 1);
		snprintf(want_id, sizeof(want_id), ":%u:", (unsigned)geteuid());
		ck_assert_ptr_nonnull(strstr(buf, want_id));
	}
}
END_TEST

/* ---- fsshim_etc_fill from a stand-in for the host's /etc --------------------- */

static void fill_into(const char *name, int mode)
{
	char d[PATH_MAX + 16];
	int fd;

	snprintf(d, sizeof(d), "%s/%s", T, name);
	ck_assert_int_eq(mkdir(d, 0755), 0);
	fd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_uint_lt(strlen(d), sizeof(H.fs.run.etc));
	memcpy(H.fs.run.etc, d, strlen(d) + 1);
	fsshim_etc_fill(&H.fs, fd, SRC, mode);
	ck_assert_int_eq(close(fd), 0);
}

START_TEST(test_fill)
{
	static char mib[1 << 20];
	char p[PATH_MAX + 32];
	int fd;

	memset(mib, 's', sizeof(mib));
	unit_put(SRC, "hosts", "10.0.0.1 db\n");
	unit_put(SRC, "resolv.conf", "nameserver 10.0.0.53\n");
	/* no nsswitch.conf, no protocols: not copied */
	snprintf(p, sizeof(p), "%s/services", SRC);
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, mib, sizeof(mib)), (ssize_t)sizeof(mib)); /* 1 MiB: the most */
	ck_assert_int_eq(close(fd), 0);
	fill_into("host", NSS_HOST);
	same(tpath("/host"), "hosts", "10.0.0.1 db\n", 12);
	same(tpath("/host"), "resolv.conf", "nameserver 10.0.0.53\n", 21);
	same(tpath("/host"), "nsswitch.conf", NULL, -1);
	same(tpath("/host"), "services", mib, (long)sizeof(mib));
	same(tpath("/host"), "protocols", NULL, -1);
	fill_into("private", NSS_PRIVATE);
	same(tpath("/private"), "hosts", LOCALHOST, (long)strlen(LOCALHOST));
	same(tpath("/private"), "resolv.conf", NULL, -1);
	same(tpath("/private"), "nsswitch.conf", NULL, -1);
	same(tpath("/private"), "services", mib, (long)sizeof(mib));
	same(tpath("/private"), "protocols", NULL, -1);
	/* no passwd, no group: none of ours */
	same(tpath("/private"), "passwd", NULL, -1);
	same(tpath("/private"), "group", NULL, -1);
	/* none: no name to resolve, nothing of the network's */
	fill_into("none", NSS_NONE);
	for (size_t i = 0; i < COPIED_NAMES; i++)
		same(tpath("/none"), etc_names[i], NULL, -1);
}
END_TEST

/* passwd and group: the image's own entries, a group's members left out. */
START_TEST(test_fill_own_user)
{
	static const char want_pw[] = "me:x:1234:567:Me,,,:/home/me:/bin/sh\n";
	static const char want_gr[] = "mine:x:567:\n";
	uint32_t uid = H.fs.uid, gid = H.fs.gid;

	unit_put(SRC, "passwd", "root:x:0:0:root:/root:/bin/bash\n"
	                        "other:x:12345:567::/home/other:/bin/sh\n"
	                        "broken\n"
	                        "short:x:1234\n"
	                        "me:x:1234:567:Me,,,:/home/me:/bin/sh\n"
	                        "again:x:1234:0::/:/bin/sh\n");
	unit_put(SRC, "group", "root:x:0:\n"
	                       "users:x:5678:me\n"
	                       "mine:x:567:other,me"); /* no final newline */
	H.fs.uid = 1234;
	H.fs.gid = 567;
	fill_into("own", NSS_NONE); /* whatever the network */
	same(tpath("/own"), "passwd", want_pw, (long)strlen(want_pw));
	same(tpath("/own"), "group", want_gr, (long)strlen(want_gr));
	H.fs.uid = 99; /* named by neither */
	H.fs.gid = 99;
	fill_into("nobody", NSS_HOST);
	same(tpath("/nobody"), "passwd", NULL, -1);
	same(tpath("/nobody"), "group", NULL, -1);
	H.fs.uid = uid;
	H.fs.gid = gid;
}
END_TEST

/* mkdir -p p (p absolute). */
static int mkdirs(const char *p)
{
	char q[PATH_MAX + 64];

	snprintf(q, sizeof(q), "%s", p);
	for (char *s = q + 1; *s != '\0'; s++)
		if (*s == '/') {
			*s = '\0';
			if (mkdir(q, 0755) != 0 && errno != EEXIST)
				return -1;
			*s = '/';
		}
	return mkdir(q, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

/* A directory made by the fill: mode 0555. */
static void read_only_dir(const char *p)
{
	struct stat st;

	ck_assert_int_eq(lstat(p, &st), 0);
	ck_assert_msg(S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 0555, "%s: mode 0%o", p,
	              st.st_mode);
}

/* --net host: the first CA bundle of crypto/x509's Linux list that the
 * host has, at its own path, followed through a link; none under private. */
START_TEST(test_fill_ca_bundle)
{
	static const char fedora[] = "-----BEGIN CERTIFICATE-----\nfedora\n", alpine[] = "alpine\n",
	                  debian[] = "debian\n";
	char d[PATH_MAX + 64];

	snprintf(d, sizeof(d), "%s/pki/tls/certs", SRC);
	ck_assert_int_eq(mkdirs(d), 0);
	unit_put(d, "ca-bundle.crt", fedora);
	snprintf(d, sizeof(d), "%s/ssl", SRC);
	ck_assert_int_eq(mkdirs(d), 0);
	unit_put(SRC, "alpine.pem", alpine);
	snprintf(d, sizeof(d), "%s/ssl/cert.pem", SRC);
	ck_assert_int_eq(symlink("../alpine.pem", d), 0);

	fill_into("fedora", NSS_HOST); /* pki/tls/certs/ca-bundle.crt comes before ssl/cert.pem */
	same(tpath("/fedora/pki/tls/certs"), "ca-bundle.crt", fedora, (long)strlen(fedora));
	read_only_dir(tpath("/fedora/pki"));
	read_only_dir(tpath("/fedora/pki/tls"));
	read_only_dir(tpath("/fedora/pki/tls/certs"));
	same(tpath("/fedora/ssl"), "cert.pem", NULL, -1);
	fill_into("private", NSS_PRIVATE);
	same(tpath("/private/pki/tls/certs"), "ca-bundle.crt", NULL, -1);
	same(tpath("/private/ssl"), "cert.pem", NULL, -1);

	snprintf(d, sizeof(d), "%s/pki/tls/certs/ca-bundle.crt", SRC);
	ck_assert_int_eq(unlink(d), 0);
	fill_into("alpine", NSS_HOST); /* a link: its target's bytes, as a file of ours */
	same(tpath("/alpine/ssl"), "cert.pem", alpine, (long)strlen(alpine));
	read_only_dir(tpath("/alpine/ssl"));

	snprintf(d, sizeof(d), "%s/ssl/certs", SRC);
	ck_assert_int_eq(mkdirs(d), 0);
	unit_put(d, "ca-certificates.crt", debian);
	fill_into("debian", NSS_HOST); /* the first of all */
	same(tpath("/debian/ssl/certs"), "ca-certificates.crt", debian, (long)strlen(debian));
	same(tpath("/debian/ssl"), "cert.pem", NULL, -1);
	read_only_dir(tpath("/debian/ssl/certs"));
}
END_TEST

/* A copy that must be refused: one line, exit 125. */
static void refuse(const void *arg)
{
	fill_into("out", *(const bool *)arg ? NSS_HOST : NSS_PRIVATE);
	CHILD_EXIT(0);
}

static const struct {
	const char *name;
	int kind; /* 0: 1 MiB + 1 bytes, 1: a FIFO, 2: a directory */
	bool net_host;
	const char *why;
} refused[] = {
	{"services", 0, false, "/src/services into the guest's /etc: 1048577 bytes, more than 1 MiB "
	                       "(1048576)\n"},
	{"hosts", 1, true, "/src/hosts into the guest's /etc: not a regular file\n"},
	{"protocols", 2, false, "/src/protocols into the guest's /etc: not a regular file\n"},
};

START_TEST(test_fill_refused)
{
	static char big[(1 << 20) + 1];
	char p[PATH_MAX + 16], want[PATH_MAX + 128];
	struct outcome o;
	int fd;

	snprintf(p, sizeof(p), "%s/%s", SRC, refused[_i].name);
	switch (refused[_i].kind) {
	case 0:
		fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0644);
		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(write(fd, big, sizeof(big)), (ssize_t)sizeof(big));
		ck_assert_int_eq(close(fd), 0);
		break;
	case 1: ck_assert_int_eq(mkfifo(p, 0644), 0); break; /* must not hang the start */
	case 2: ck_assert_int_eq(mkdir(p, 0755), 0); break;
	}
	unit_fork(refuse, &refused[_i].net_host, &o, NULL, NULL);
	expect_exit(&o, NH_EXIT_USAGE);
	snprintf(want, sizeof(want), "nonehost: cannot copy %s%s", T, refused[_i].why);
	ck_assert_str_eq(o.err, want);
}
END_TEST

/* ---- a grant at or above /etc wins; one beneath nests ----------------------- */

START_TEST(test_theirs)
{
	char dir[PATH_MAX + 16], buf[256];
	const char *dirs[] = {dir, NULL};

	/* --dir T/root:/:ro: its /etc, not ours (and it covers the cwd) */
	snprintf(dir, sizeof(dir), "%s/root:/:ro", T);
	start(dirs);
	ck_assert_int_eq(H.fs.etc_theirs, 0);
	ck_assert_int_eq(H.fs.etc, -1);
	ck_assert_uint_eq(H.fs.ngrants, 2); /* it and the TMPDIR */
	ck_assert_int_ne(access(H.fs.run.etc, F_OK), 0);
	ck_assert_int_ge(guest_read("/etc/hosts", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "10.9.9.9 theirs\n");
	ck_assert_str_eq(listing("/etc"), "hosts");
}
END_TEST

START_TEST(test_theirs_at_etc)
{
	char dir[PATH_MAX + 16], buf[256];
	const char *dirs[] = {dir, NULL};
	struct sbx_policy p;
	unsigned at_etc = 0;

	/* --dir T/root/etc:/etc (read-only by default) */
	snprintf(dir, sizeof(dir), "%s/root/etc:/etc", T);
	start(dirs);
	ck_assert_int_eq(H.fs.etc_theirs, 0);
	ck_assert_int_eq(H.fs.etc, -1);
	ck_assert_uint_eq(H.fs.ngrants, 4); /* it, the current directory, the zones, the TMPDIR */
	ck_assert_int_ne(access(H.fs.run.etc, F_OK), 0);
	ck_assert_int_ge(guest_read("/etc/hosts", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "10.9.9.9 theirs\n");
	EQ(guest_read("/etc/localtime", buf, sizeof(buf)), -NH_ENOENT); /* theirs has none */
	/* --policy says so */
	sbx_policy_init(&p);
	fsshim_policy(&H, &p);
	for (unsigned i = 0; i < p.npaths; i++) {
		if (strcmp(p.path[i].guest, "/etc") != 0)
			continue;
		at_etc++;
		ck_assert_str_eq(p.path[i].host, tpath("/root/etc"));
		ck_assert_str_eq(p.path[i].note, "it holds the guest's /etc: no name-resolution files "
		                                 "of ours there");
	}
	ck_assert_uint_eq(at_etc, 1);
}
END_TEST

START_TEST(test_nested)
{
	char ssl[PATH_MAX + 32], deep[PATH_MAX + 32], onhosts[PATH_MAX + 32], buf[256];
	char hp[NH_PATH_MAX + 32];
	const char *dirs[] = {ssl, deep, onhosts, NULL};
	struct nh_stat st;
	struct stat hst;
	int64_t fd;

	snprintf(ssl, sizeof(ssl), "%s/ssl:/etc/ssl", T);
	snprintf(deep, sizeof(deep), "%s/deep:/etc/a/b:rw", T);
	snprintf(onhosts, sizeof(onhosts), "%s/ssl:/etc/hosts/x", T); /* where a file is */
	start(dirs);
	ck_assert_int_eq(H.fs.etc_theirs, -1);
	ck_assert_int_ge(H.fs.etc, 0);
	ck_assert(H.fs.grant[H.fs.etc].nested);
	/* the way to each made in etc/, read-only; a file's name left alone */
	snprintf(hp, sizeof(hp), "%s/a/b", H.fs.run.etc);
	ck_assert_int_eq(stat(hp, &hst), 0);
	ck_assert(S_ISDIR(hst.st_mode) && (hst.st_mode & 07777) == 0555);
	snprintf(hp, sizeof(hp), "%s/ssl", H.fs.run.etc);
	ck_assert_int_eq(stat(hp, &hst), 0);
	ck_assert(S_ISDIR(hst.st_mode) && (hst.st_mode & 07777) == 0555);
	snprintf(hp, sizeof(hp), "%s/hosts", H.fs.run.etc);
	ck_assert_int_eq(lstat(hp, &hst), 0);
	ck_assert(S_ISREG(hst.st_mode));
	/* the fast path, and the slow path through our /etc */
	ck_assert_int_ge(guest_read("/etc/ssl/cert.pem", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "cert\n");
	ck_assert_int_ge(guest_read("/etc/ssl/../ssl/cert.pem", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "cert\n");
	ck_assert_int_ge(guest_read("/etc/ssl/../hosts", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, LOCALHOST);
	ck_assert_int_ge(guest_read("/etc/a/b/../../hosts", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, LOCALHOST);
	ck_assert_int_ge(guest_read("/etc/a/../ssl/cert.pem", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "cert\n");
	ck_assert_int_ge(guest_read("/etc/hosts/x/cert.pem", buf, sizeof(buf)), 0); /* it wins there */
	ck_assert_str_eq(buf, "cert\n");
	/* the read-write grant inside the read-only /etc stays writable; around it, EROFS */
	fd = open_("/etc/a/b/new", NH_O_WRONLY | NH_O_CREAT, 0644);
	ck_assert_int_ge(fd, 3);
	EQ(CALL(fsshim_op_close, (uint64_t)fd), 0);
	ck_assert_int_eq(access(tpath("/deep/new"), F_OK), 0);
	fd = open_("/etc/a/../a/b/new2", NH_O_WRONLY | NH_O_CREAT, 0644);
	ck_assert_int_ge(fd, 3);
	EQ(CALL(fsshim_op_close, (uint64_t)fd), 0);
	EQ(open_("/etc/a/new", NH_O_WRONLY | NH_O_CREAT, 0644), -NH_EROFS);
	EQ(open_("/etc/ssl/new", NH_O_WRONLY | NH_O_CREAT, 0644), -NH_EROFS);
	EQ(CALL(fsshim_op_mkdir, ROOT, P("/etc/a/c"), 0755), -NH_EROFS);
	EQ(CALL(fsshim_op_stat, ROOT, P("/etc/a"), galloc(sizeof(st)), 0), 0);
	/* /etc lists the files and the ways to the nested grants */
	ck_assert_str_eq(listing("/etc"), expected_listing(H.fs.run.etc,
	                                                   (const char *const[]){"a", "ssl", NULL}));
	ck_assert_str_eq(listing("/etc/a"), "b");
	ck_assert_str_eq(listing("/etc/ssl"), "cert.pem");
}
END_TEST

/* Our /etc is the run's own copy: a read-write grant holding the TMPDIR
 * (and so etc/) does not make it a read-only grant inside a read-write one. */
START_TEST(test_inside_rw)
{
	char dir[PATH_MAX + 16], buf[256];
	const char *dirs[] = {dir, NULL};

	snprintf(dir, sizeof(dir), "%s:/w:rw", T);
	start(dirs);
	ck_assert_int_ge(H.fs.etc, 0);
	ck_assert_int_ge(guest_read("/etc/hosts", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, LOCALHOST);
	EQ(open_("/etc/hosts", NH_O_WRONLY, 0), -NH_EROFS);
}
END_TEST

/* ---- --policy: the template, and the supervisor's share ---------------------- */

#define ETC_NOTE "the guest's /etc: name-resolution files, copied at start ("
#define USERS_NOTE "the guest's /etc: the image's own passwd and group lines (os/user), " \
                   "copied at start, and the local time zone"
#define NONE_NOTE "none of ours (--net none, the default: no names to resolve; --net private " \
                  "or host brings hosts, services, protocols)"
#define LINK_NOTE "only localtime, a link as the host's (--net none, the default: no names " \
                  "to resolve; --net private or host brings hosts, services, protocols)"
#define ZONE_NOTE "the time zone database (time.LoadLocation; /etc/localtime leads here)"

START_TEST(test_policy)
{
	char tmp[PATH_MAX + 128], etc[PATH_MAX + 128], run[PATH_MAX + 64], runs[PATH_MAX + 32];
	struct sbx_policy p;
	unsigned seen = 0;

	snprintf(runs, sizeof(runs), "%s/nonehost-%u", BASE, (unsigned)geteuid());
	snprintf(run, sizeof(run), "%s/nonehost.XXXXXX", runs);
	snprintf(tmp, sizeof(tmp), "%s/tmp", run);
	snprintf(etc, sizeof(etc), "%s/etc", run);
	for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		const bool host = modes[m].host;

		H.opts.net.mode = modes[m].mode;
		H.fs.users_wanted = modes[m].users;
		fsshim_setup(&H);
		if (m > 0) /* the first without fsshim_zone: no link, no database */
			fsshim_zone(&H, ZROOT);
		sbx_policy_init(&p);
		fsshim_policy(&H, &p);
		/* the current directory, the zones, tmp/, and etc/ unless none; then a
		 * line says why not */
		ck_assert_uint_eq(p.npaths, (m > 0) + (modes[m].etc ? 3 : 2));
		if (modes[m].etc) {
			ck_assert_ptr_null(p.absent_guest);
		} else {
			ck_assert_str_eq(p.absent_guest, "/etc");
			ck_assert_str_eq(p.absent_why, m > 0 ? LINK_NOTE : NONE_NOTE);
		}
		for (unsigned i = 0; i < p.npaths; i++) {
			const struct sbx_path *g = &p.path[i];

			if (strcmp(g->guest, "/usr/share/zoneinfo") == 0) {
				ck_assert(!g->rw);
				ck_assert_str_eq(g->host, tpath("/zroot/usr/share/zoneinfo"));
				ck_assert_str_eq(g->note, ZONE_NOTE);
				seen++;
			} else if (strcmp(g->guest, tmp) == 0) {
				ck_assert(g->rw && g->fd == -1);
				ck_assert_str_eq(g->host, tmp);
				ck_assert_str_eq(g->note, "the private TMPDIR (made at start, removed at exit)");
				seen++;
			} else if (strcmp(g->guest, "/etc") == 0) {
				ck_assert(!g->rw && g->fd == -1);
				ck_assert_str_eq(g->host, etc);
				if (modes[m].net)
					ck_assert_msg(strncmp(g->note, ETC_NOTE, sizeof(ETC_NOTE) - 1) == 0, "%s",
					              g->note);
				else
					ck_assert_str_eq(g->note, USERS_NOTE);
				ck_assert((strstr(g->note, "--net host") != NULL) == host);
				seen++;
			}
		}
		ck_assert(!H.fs.run.made);
	}
	ck_assert_uint_eq(seen, 18); /* tmp/ in every mode, etc/ under private and host and
	                              * for passwd and group, the zones but in the first */
	/* the supervisor removes the run's directory: rules on it and its parent */
	sbx_policy_init(&p);
	fsshim_tmp_policy(&p, &H);
	ck_assert_uint_eq(p.npaths, 2);
	ck_assert_str_eq(p.path[0].host, run);
	ck_assert_str_eq(p.path[1].host, runs);
	ck_assert_ptr_nonnull(strstr(p.path[0].note, "the guest's /etc etc/")); /* --net host */
	H.opts.net.mode = NSS_NONE;
	H.fs.users_wanted = false;
	fsshim_setup(&H);
	sbx_policy_init(&p);
	fsshim_tmp_policy(&p, &H);
	ck_assert_str_eq(p.path[0].note, "the run's directory (the private TMPDIR tmp/): read and "
	                                 "remove what is in it");
	/* the current directory at / instead: no /etc line of ours, whatever the network */
	ck_assert_int_eq(chdir("/"), 0);
	for (int none = 0; none < 2; none++) {
		H.opts.net.mode = none ? NSS_NONE : NSS_HOST;
		fsshim_setup(&H);
		ck_assert_int_eq(H.fs.etc_theirs, 0);
		ck_assert(!H.fs.etc_wanted);
		sbx_policy_init(&p);
		fsshim_policy(&H, &p);
		ck_assert_uint_eq(p.npaths, 2);
		ck_assert_ptr_null(p.absent_guest);
		ck_assert_str_eq(p.path[0].note, "the current directory, it holds the guest's /etc: "
		                                 "no name-resolution files of ours there");
	}
}
END_TEST

/* ---- under the sandbox: Landlock keeps etc/ read-only for raw calls too ------ */

static void sandboxed(const void *arg)
{
	char p[PATH_MAX + 64], buf[256];
	struct sbx_policy pol;

	(void)arg;
	fsshim_setup(&H);
	fsshim_tmp_create(&H);
	fsshim_tidy_fds(0);
	fsshim_open(&H);
	ram_map(&H);
	scratch = H.ram_start + 0x100000;
	sbx_policy_init(&pol);
	fsshim_policy(&H, &pol);
	sbx_apply(&pol, false, NULL);
	PROBE(guest_read("/etc/hosts", buf, sizeof(buf)) == (int64_t)strlen(LOCALHOST));
	PROBE(open_("/etc/hosts", NH_O_WRONLY, 0) == -NH_EROFS);
	snprintf(p, sizeof(p), "%s/hosts", H.fs.run.etc);
	PROBE(fsshim_openat2(AT_FDCWD, p, O_RDONLY | O_CLOEXEC, 0, 0) >= 0);
	PROBE(fsshim_openat2(AT_FDCWD, p, O_WRONLY | O_CLOEXEC, 0, 0) == -EACCES);
	snprintf(p, sizeof(p), "%s/new", H.fs.run.etc);
	PROBE(fsshim_openat2(AT_FDCWD, p, O_WRONLY | O_CREAT | O_CLOEXEC, 0644, 0) == -EACCES);
	snprintf(p, sizeof(p), "%s/new", H.fs.run.dir); /* the run's directory: no grant */
	PROBE(fsshim_openat2(AT_FDCWD, p, O_WRONLY | O_CREAT | O_CLOEXEC, 0644, 0) == -EACCES);
	PROBE(fsshim_openat2(AT_FDCWD, "/etc/hosts", O_RDONLY | O_CLOEXEC, 0, 0) == -EACCES);
	snprintf(p, sizeof(p), "%s/new", H.fs.run.tmp);
	PROBE(fsshim_openat2(AT_FDCWD, p, O_WRONLY | O_CREAT | O_CLOEXEC, 0644, 0) >= 0);
	PROBE(write(STDERR_FILENO, "done\n", 5) == 5);
	CHILD_EXIT(0);
}

START_TEST(test_under_sandbox)
{
	struct outcome o;

	if (sbx_landlock_abi() < 3) {
		fprintf(stderr, "# skip etc under_sandbox: Landlock ABI %d < 3\n", sbx_landlock_abi());
		return;
	}
	unit_fork(sandboxed, NULL, &o, NULL, NULL);
	expect_exit(&o, 0);
	ck_assert_str_eq(o.err, "done\n");
}
END_TEST

/* ---- the time zone (fsshim_zone.c) ------------------------------------------ */

/* The index of the zone database's grant, or -1. */
static int zone_grant(void)
{
	for (unsigned i = 0; i < H.fs.ngrants; i++)
		if (H.fs.grant[i].origin == FSSHIM_ZONE)
			return (int)i;
	return -1;
}

/* The NH_DT_* type readdir gives name in guest directory dir, or -1. */
static int dirent_type(const char *dir, const char *name)
{
	int64_t fd = open_(dir, NH_O_RDONLY | NH_O_DIRECTORY, 0), r;
	uint64_t buf = galloc(4096);
	int type = -1;

	ck_assert_int_ge(fd, 3);
	r = CALL(fsshim_op_readdir, (uint64_t)fd, buf, 4096, 0);
	ck_assert_int_gt(r, 0);
	for (uint64_t off = 0; off < (uint64_t)r;) {
		struct nh_dirent d;
		const char *entry = (const char *)(uintptr_t)(buf + off + sizeof(d));

		memcpy(&d, (void *)(uintptr_t)(buf + off), sizeof(d));
		if (d.namlen == strlen(name) && memcmp(entry, name, d.namlen) == 0)
			type = d.type;
		off += sizeof(d) + d.namlen;
	}
	EQ(CALL(fsshim_op_close, (uint64_t)fd), 0);
	return type;
}

/* What READLINK says of guest path p (at most len bytes), in out. */
static int64_t guest_readlink(const char *p, char *out, uint64_t len)
{
	uint64_t buf = galloc(len);
	int64_t n = CALL(fsshim_op_readlink, ROOT, P(p), buf, len);

	if (n >= 0) {
		memcpy(out, (void *)(uintptr_t)buf, (size_t)n);
		out[n] = '\0';
	}
	return n;
}

static struct nh_stat guest_stat(const char *p, uint64_t flags)
{
	uint64_t st = galloc(sizeof(struct nh_stat));
	struct nh_stat out;

	EQ(CALL(fsshim_op_stat, ROOT, P(p), st, flags), 0);
	memcpy(&out, (void *)(uintptr_t)st, sizeof(out));
	return out;
}

/* --net none: the database granted read-only at its path, and /etc holds
 * only the link the fs-shim serves, which leads into it as the host's does
 * (a relative target, as systemd writes it). Every change is refused. */
START_TEST(test_zone_link)
{
	char buf[256], real[PATH_MAX];
	const size_t tl = strlen(BERLIN_LINK);
	struct nh_stat st;
	int64_t etc, fd;
	int g;

	H.opts.net.mode = NSS_NONE;
	start(NULL);
	ck_assert_int_ge(g = zone_grant(), 0);
	ck_assert(!H.fs.grant[g].rw);
	ck_assert_str_eq(H.fs.grant[g].guest, "/usr/share/zoneinfo");
	ck_assert_ptr_nonnull(realpath(tpath("/zroot/usr/share/zoneinfo"), real));
	ck_assert_str_eq(H.fs.grant[g].host, real);
	ck_assert_str_eq(listing("/etc"), "localtime");
	EQ(dirent_type("/etc", "localtime"), NH_DT_LNK);
	ck_assert_str_eq(listing("/usr/share"), "zoneinfo");
	/* followed: the zone's bytes, by every way there */
	EQ(guest_read("/etc/localtime", buf, sizeof(buf)), (int64_t)strlen(BERLIN));
	ck_assert_str_eq(buf, BERLIN);
	EQ(guest_read("/etc/../etc/localtime", buf, sizeof(buf)), (int64_t)strlen(BERLIN));
	EQ(guest_read("/usr/../etc/./localtime", buf, sizeof(buf)), (int64_t)strlen(BERLIN));
	etc = open_("/etc", NH_O_RDONLY | NH_O_DIRECTORY, 0);
	ck_assert_int_ge(etc, 3);
	fd = CALL(fsshim_op_open, (uint64_t)etc, P("localtime"), NH_O_RDONLY, 0);
	ck_assert_int_ge(fd, 3);
	EQ(CALL(fsshim_op_close, (uint64_t)fd), 0);
	st = guest_stat("/etc/localtime", 0);
	ck_assert_uint_eq(st.mode & S_IFMT, S_IFREG);
	ck_assert_uint_eq(st.size, strlen(BERLIN));
	/* unfollowed: the link itself, as the host's */
	st = guest_stat("/etc/localtime", NH_AT_SYMLINK_NOFOLLOW);
	ck_assert_uint_eq(st.mode & S_IFMT, S_IFLNK);
	ck_assert_uint_eq(st.size, tl);
	EQ(guest_readlink("/etc/localtime", buf, 200), (int64_t)tl);
	ck_assert_str_eq(buf, BERLIN_LINK);
	EQ(guest_readlink("/etc/localtime", buf, 5), 5);
	ck_assert_str_eq(buf, "../us");
	EQ(guest_readlink("/etc/localtime/", buf, 200), -NH_ENOTDIR);
	EQ(guest_readlink("/etc", buf, 200), -NH_EINVAL);
	EQ(open_("/etc/localtime", NH_O_RDONLY | NH_O_NOFOLLOW, 0), -NH_ELOOP);
	EQ(open_("/etc/localtime", NH_O_RDONLY | NH_O_DIRECTORY, 0), -NH_ENOTDIR);
	EQ(open_("/etc/localtime/", NH_O_RDONLY, 0), -NH_ENOTDIR);
	EQ(open_("/etc/localtime/x", NH_O_RDONLY, 0), -NH_ENOTDIR);
	EQ(open_("/etc/localtime", NH_O_WRONLY | NH_O_CREAT | NH_O_EXCL, 0644), -NH_EEXIST);
	/* nothing changes it, nor what it leads to */
	EQ(open_("/etc/localtime", NH_O_WRONLY, 0), -NH_EROFS);
	EQ(open_("/etc/localtime", NH_O_RDWR | NH_O_TRUNC, 0), -NH_EROFS);
	EQ(CALL(fsshim_op_unlink, ROOT, P("/etc/localtime"), 0), -NH_EROFS);
	EQ(CALL(fsshim_op_rename, ROOT, P("/etc/localtime"), ROOT, P("/etc/x")), -NH_EROFS);
	EQ(CALL(fsshim_op_rename, ROOT, P("/usr/share/zoneinfo/Europe/Berlin"), ROOT,
	        P("/etc/localtime")), -NH_EXDEV); /* as Linux: between mounts, first */
	EQ(CALL(fsshim_op_symlink, P("/x"), ROOT, P("/etc/localtime")), -NH_EEXIST);
	EQ(CALL(fsshim_op_mkdir, ROOT, P("/etc/localtime"), 0755), -NH_EEXIST);
	EQ(CALL(fsshim_op_mkdir, ROOT, P("/etc/localtime/d"), 0755), -NH_ENOTDIR);
	EQ(CALL(fsshim_op_chmod, ROOT, P("/etc/localtime"), 0666), -NH_EROFS);
	EQ(CALL(fsshim_op_truncate, ROOT, P("/etc/localtime"), 0), -NH_EROFS);
	EQ(open_("/usr/share/zoneinfo/Europe/x", NH_O_WRONLY | NH_O_CREAT, 0644), -NH_EROFS);
	EQ(guest_read("/etc/localtime", buf, sizeof(buf)), (int64_t)strlen(BERLIN));
	ck_assert_str_eq(buf, BERLIN);
}
END_TEST

/* --net private: our /etc holds the same link, a real one. */
START_TEST(test_zone_in_etc)
{
	char buf[256], p[PATH_MAX + 64];
	ssize_t n;

	start(NULL);
	ck_assert_int_ge(H.fs.etc, 0);
	ck_assert_int_ge(zone_grant(), 0);
	snprintf(p, sizeof(p), "%s/localtime", H.fs.run.etc);
	n = readlink(p, buf, sizeof(buf) - 1);
	ck_assert_int_eq(n, (ssize_t)strlen(BERLIN_LINK));
	buf[n] = '\0';
	ck_assert_str_eq(buf, BERLIN_LINK);
	EQ(dirent_type("/etc", "localtime"), NH_DT_LNK);
	EQ(guest_readlink("/etc/localtime", buf, 200), (int64_t)strlen(BERLIN_LINK));
	EQ(guest_read("/etc/localtime", buf, sizeof(buf)), (int64_t)strlen(BERLIN));
	ck_assert_str_eq(buf, BERLIN);
	EQ(CALL(fsshim_op_unlink, ROOT, P("/etc/localtime"), 0), -NH_EROFS);
}
END_TEST

/* A host whose /etc/localtime is a regular file: no link to show under
 * --net none; a copy in our /etc otherwise. */
START_TEST(test_zone_regular_file)
{
	char buf[256];

	ck_assert_int_eq(unlink(tpath("/zroot/etc/localtime")), 0);
	unit_put(tpath("/zroot/etc"), "localtime", "TZif2 a copy\n");
	H.opts.net.mode = NSS_NONE;
	start(NULL);
	ck_assert_str_eq(H.fs.localtime, "");
	EQ(open_("/etc", NH_O_RDONLY | NH_O_DIRECTORY, 0), -NH_ENOENT);
	EQ(guest_read("/etc/localtime", buf, sizeof(buf)), -NH_ENOENT);
	EQ(guest_read("/usr/share/zoneinfo/Europe/Berlin", buf, sizeof(buf)),
	   (int64_t)strlen(BERLIN));
}
END_TEST

/* The link's target comes from --localtime (a foreign host's, which has no
 * /etc): absolute here. One that leads nowhere is ENOENT to follow; one
 * that leads to itself ELOOP. */
START_TEST(test_zone_given)
{
	char buf[256];
	struct nh_stat st;

	ck_assert_int_eq(unlink(tpath("/zroot/etc/localtime")), 0);
	H.opts.localtime = "/usr/share/zoneinfo/Europe/Berlin";
	H.opts.net.mode = NSS_NONE;
	start(NULL);
	EQ(guest_read("/etc/localtime", buf, sizeof(buf)), (int64_t)strlen(BERLIN));
	ck_assert_str_eq(buf, BERLIN);
	st = guest_stat("/etc/localtime", NH_AT_SYMLINK_NOFOLLOW);
	ck_assert_uint_eq(st.mode, S_IFLNK | 0777);
	ck_assert_uint_eq(st.size, strlen(H.opts.localtime));
	strcpy(H.fs.localtime, "/usr/share/zoneinfo/Mars/Olympus");
	EQ(guest_read("/etc/localtime", buf, sizeof(buf)), -NH_ENOENT);
	strcpy(H.fs.localtime, "/etc/localtime");
	EQ(guest_read("/etc/localtime", buf, sizeof(buf)), -NH_ELOOP);
	EQ(guest_read("/etc/localtime/x", buf, sizeof(buf)), -NH_ELOOP);
	strcpy(H.fs.localtime, "/");
	EQ(open_("/etc/localtime/etc/localtime/usr/share", NH_O_RDONLY | NH_O_DIRECTORY, 0) >= 3,
	   1);
}
END_TEST

/* Grants over the zone's paths leave ours out: --dir ZROOT:/:ro holds both
 * paths, so there is neither a zone grant nor a served link, and the guest
 * follows the root's own link inside that grant; a read-write grant that
 * holds the database's host directory: no zone grant (a read-only one
 * there would be refused), the link served all the same, leading nowhere. */
static const struct {
	const char *dir;      /* --dir, after ZROOT */
	int served;           /* fsshim_served(/etc/localtime) */
	int64_t read;         /* reading /etc/localtime: its length, or -errno */
	const char *also;     /* a path where the zone is read all the same */
} theirs[] = {
	{":/:ro", -1, (int64_t)sizeof(BERLIN) - 1, "/usr/share/zoneinfo/Europe/Berlin"},
	{"/usr:/u:rw", FSSHIM_SERVED_LINK, -NH_ENOENT, "/u/share/zoneinfo/Europe/Berlin"},
};

START_TEST(test_zone_theirs)
{
	char dir[PATH_MAX + 32], buf[256];
	const char *dirs[] = {dir, NULL};

	snprintf(dir, sizeof(dir), "%s%s", ZROOT, theirs[_i].dir);
	H.opts.net.mode = NSS_NONE;
	start(dirs);
	EQ(zone_grant(), -1);
	EQ(fsshim_served(&H.fs, "/etc/localtime", 14), theirs[_i].served);
	EQ(guest_read("/etc/localtime", buf, sizeof(buf)), theirs[_i].read);
	EQ(guest_read(theirs[_i].also, buf, sizeof(buf)), (int64_t)strlen(BERLIN));
	ck_assert_str_eq(buf, BERLIN);
}
END_TEST

Suite *fsshim_etc_suite(void)
{
	Suite *s = suite_create("fsshim_etc");
	TCase *tc = tcase_create("etc");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_content, 0, (int)(sizeof(modes) / sizeof(modes[0])));
	tcase_add_test(tc, test_fill);
	tcase_add_test(tc, test_fill_own_user);
	tcase_add_test(tc, test_fill_ca_bundle);
	tcase_add_loop_test(tc, test_fill_refused, 0, (int)(sizeof(refused) / sizeof(refused[0])));
	tcase_add_test(tc, test_theirs);
	tcase_add_test(tc, test_theirs_at_etc);
	tcase_add_test(tc, test_nested);
	tcase_add_test(tc, test_inside_rw);
	tcase_add_test(tc, test_policy);
	tcase_add_test(tc, test_under_sandbox);
	tcase_add_test(tc, test_zone_link);
	tcase_add_test(tc, test_zone_in_etc);
	tcase_add_test(tc, test_zone_regular_file);
	tcase_add_test(tc, test_zone_given);
	tcase_add_loop_test(tc, test_zone_theirs, 0, (int)(sizeof(theirs) / sizeof(theirs[0])));
	suite_add_tcase(s, tc);
	return s;
}
