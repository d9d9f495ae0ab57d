/*
 * fsshim_grant.c - the grants: --dir values, the defaults, and their
 * descriptors (set-up code: errors die with one line and 125).
 *
 * Contract:
 *   fsshim_dir_parse()  pure: HOST[:GUEST][:ro|rw] -> struct fsshim_dirspec.
 *       Fields split at ':' (so a path with ':' cannot be granted); the mode
 *       defaults to ro; GUEST must be absolute and is cleaned lexically.
 *       false with "<subject>: <why>" in err on a bad value.
 *   fsshim_setup()      the grant set, checked: HOST exists and is a directory
 *       (realpath'd; GUEST defaults to it), at most one grant per guest path,
 *       no read-only grant inside (or at) a read-write grant's host
 *       directory: it could not stay read-only, since Landlock's rights add
 *       up along the path and links reach it through the outer grant (the
 *       guest's /etc is exempt: it is the run's own copy, nothing of the
 *       user's). Then the guest's working directory: --cwd's guest path,
 *       granted nothing (fsshim_open checks that it is a directory in the
 *       grants or above them: fsshim_check_cwd); else the current
 *       directory, at its own path. A grant whose guest path holds it already covers
 *       it; an rw grant whose host directory holds it covers it too (a
 *       read-only grant inside would be refused), and the guest's working
 *       directory is where it appears there; otherwise it is granted
 *       read-only at its own path. Last, whether a grant so far holds /etc
 *       (fs->etc_theirs): then it shows the guest's /etc and ours is not
 *       made; nor under --net none (or the default, none: no names to
 *       resolve) unless fs->users_wanted (the image may read passwd and
 *       group). fs->etc_wanted is that answer, decided here once. The
 *       private TMPDIR and the guest's /etc are added by
 *       fsshim_tmp_create(), except a TMPDIR given with --tmpdir DIR: DIR
 *       (realpath'd, a directory) is granted here, read-write at its own
 *       path, before the current directory (which may lie inside it).
 *   fsshim_grant_add()  appends one grant, unchecked (fsshim_check does).
 *   fsshim_tidy_fds(keep) closes every inherited descriptor >= 3 but keep
 *       (--launcher-fd's; below 3: none) (the guest must not reach the
 *       caller's files through them) and makes sure
 *       0, 1, 2 are open (on /dev/null), so the grants and every descriptor
 *       opened later lie above them (fsshim_policy.c pins that).
 *       fsshim_tidy_fds_except(keep, lo, hi) keeps [lo, hi) as well (a
 *       child image's inherited descriptors, held there: host/inherit.c).
 *   fsshim_open()       right before the image is read: opens each grant
 *       O_PATH|O_DIRECTORY, marks grants with another grant beneath their
 *       guest path (that much alone: fsshim_open_grants(), what a foreign
 *       image's launcher needs: host/foreign.c), and preallocates the handle table, the handles' guest
 *       paths and the getdents64 buffer (mmap MAP_NORESERVE: untouched
 *       pages cost nothing), so nothing is allocated after the sandbox.
 *       And what each served device stats as (/dev/null, /dev/zero, ...:
 *       fsshim.h): the host's (a stat of its path, no descriptor kept), or
 *       when that is not the character device 1,minor, a fixed one (mode
 *       020666, root's, nlink 1).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "host.h"

__attribute__((format(printf, 3, 4)))
static bool fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return false;
}

static bool is_mode(const char *s)
{
	return strcmp(s, "ro") == 0 || strcmp(s, "rw") == 0;
}

int fsshim_given_fd(const char *s)
{
	long long n = 0;

	if (s[0] != '@' || s[1] == '\0')
		return -1;
	for (const char *c = s + 1; *c != '\0'; c++) {
		if (*c < '0' || *c > '9' || (n = n * 10 + (*c - '0')) > INT32_MAX)
			return -1;
	}
	return n >= 3 ? (int)n : -1;
}

bool fsshim_dir_parse(const char *arg, struct fsshim_dirspec *d, char *err, size_t errlen)
{
	char buf[2 * NH_PATH_MAX + 8], *f[3];
	size_t len = strlen(arg);
	int nf = 0;

	*d = (struct fsshim_dirspec){.rw = false, .fd = -1};
	if (len >= sizeof(buf))
		return fail(err, errlen, "--dir %.64s...: too long", arg);
	memcpy(buf, arg, len + 1);
	for (char *p = buf, *c;; p = c + 1) {
		if (nf == 3)
			return fail(err, errlen, "--dir %s: too many ':' (HOST[:GUEST][:ro|rw]; a path "
			            "with ':' cannot be granted)", arg);
		f[nf++] = p;
		if ((c = strchr(p, ':')) == NULL)
			break;
		*c = '\0';
	}
	if (nf == 3 && !is_mode(f[2]))
		return fail(err, errlen, "--dir %s: the mode must be ro or rw, not \"%s\"", arg, f[2]);
	if (nf == 3 || (nf == 2 && is_mode(f[1]))) {
		d->rw = strcmp(f[nf - 1], "rw") == 0;
		nf--;
	}
	if (f[0][0] == '\0')
		return fail(err, errlen, "--dir %s: HOST is empty", arg);
	if (strlen(f[0]) > NH_PATH_MAX)
		return fail(err, errlen, "--dir %.64s...: HOST is longer than %d bytes", arg, NH_PATH_MAX);
	strcpy(d->host, f[0]);
	if (f[0][0] == '@' && ((d->fd = fsshim_given_fd(f[0])) < 0 || nf != 2))
		return fail(err, errlen, d->fd < 0 ? "--dir %s: HOST @N needs a descriptor number from 3 "
		            "to 2147483647" : "--dir %s: HOST @N needs GUEST (a descriptor has no path "
		            "to show it at)", arg);
	if (nf == 2) {
		if (f[1][0] != '/')
			return fail(err, errlen, "--dir %s: GUEST must be an absolute path (or the mode "
			            "ro or rw), not \"%s\"", arg, f[1]);
		if (fsshim_clean(f[1], d->guest, sizeof(d->guest)) == 0)
			return fail(err, errlen, "--dir %.64s...: GUEST is longer than %d bytes", arg,
			            NH_PATH_MAX);
	}
	return true;
}

/* How a message names a grant. */
static void describe(const struct fsshim_grant *g, char *buf, size_t len)
{
	switch (g->origin) {
	case FSSHIM_DIR: snprintf(buf, len, "--dir %s", g->arg); break;
	case FSSHIM_CWD: snprintf(buf, len, "the current directory %s", g->host); break;
	case FSSHIM_TMP: snprintf(buf, len, "the private TMPDIR %s", g->host); break;
	case FSSHIM_ETC: snprintf(buf, len, "the guest's /etc %s", g->host); break;
	case FSSHIM_ZONE: snprintf(buf, len, "the time zone database %s", g->host); break;
	}
}

bool fsshim_host_holds(const char *outer, const char *inner)
{
	size_t n = strlen(outer);

	if (strcmp(outer, "/") == 0)
		return true;
	return strncmp(outer, inner, n) == 0 && (inner[n] == '\0' || inner[n] == '/');
}

int fsshim_grant_add(struct fsshim *fs, enum fsshim_origin origin, const char *arg,
                     const char *host, const char *guest, bool rw)
{
	struct fsshim_grant *g = &fs->grant[fs->ngrants];

	*g = (struct fsshim_grant){.rw = rw, .origin = origin, .arg = arg, .fd = -1};
	strcpy(g->host, host);
	strcpy(g->guest, guest);
	g->guest_len = strlen(guest);
	return (int)fs->ngrants++;
}

void fsshim_check(struct fsshim *fs)
{
	char a[NH_PATH_MAX + 64], b[NH_PATH_MAX + 64];

	for (unsigned i = 0; i < fs->ngrants; i++) {
		for (unsigned j = 0; j < fs->ngrants; j++) {
			const struct fsshim_grant *x = &fs->grant[i], *y = &fs->grant[j];

			if (i == j)
				continue;
			describe(x, a, sizeof(a));
			describe(y, b, sizeof(b));
			if (i < j && strcmp(x->guest, y->guest) == 0)
				nh_die(NH_EXIT_USAGE, "%s and %s: two grants at the same guest path %s", a, b,
				       x->guest);
			if (!x->rw && y->rw && x->origin != FSSHIM_ETC &&
			    fsshim_host_holds(y->host, x->host))
				nh_die(NH_EXIT_USAGE, "%s (read-only) lies inside %s (read-write): it could "
				       "not stay read-only (Landlock's rights add up along the path, and links "
				       "reach it through the outer grant)", a, b);
		}
	}
}

/* HOST @N (--dir @N:GUEST, --tmpdir @N:PATH): the directory already open
 * at descriptor N, what a foreign host in a root of its own gets from its
 * native nonehost (host/foreign_root.c), where no host path leads to it;
 * and the run's directory in memory (fsshim_tmp.c, arg NULL). */
int fsshim_grant_given(struct fsshim *fs, enum fsshim_origin origin, const char *arg, int fd,
                       const char *host, const char *guest, bool rw)
{
	const char *opt = origin == FSSHIM_TMP ? "--tmpdir" : "--dir";
	struct stat st;
	int g;

	if (fstat(fd, &st) != 0)
		nh_die_errno(NH_EXIT_USAGE, "%s %s: descriptor %d", opt, arg != NULL ? arg : host, fd);
	if (!S_ISDIR(st.st_mode))
		nh_die(NH_EXIT_USAGE, "%s %s: descriptor %d is not a directory", opt,
		       arg != NULL ? arg : host, fd);
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) != 0)
		nh_die_errno(NH_EXIT_USAGE, "%s: descriptor %d: close-on-exec", arg != NULL ? arg : host,
		             fd);
	/* only messages and --policy show the host side */
	g = fsshim_grant_add(fs, origin, arg, host, guest, rw);
	fs->grant[g].fd = fd;
	fs->grant[g].given = true;
	if (origin == FSSHIM_TMP)
		fs->tmp = g;
	return g;
}

static void add_dir(struct fsshim *fs, const char *arg)
{
	struct fsshim_dirspec d;
	char err[NH_PATH_MAX + 128], *real;
	struct stat st;

	if (!fsshim_dir_parse(arg, &d, err, sizeof(err)))
		nh_die(NH_EXIT_USAGE, "%s", err);
	if (d.fd >= 0) {
		fsshim_grant_given(fs, FSSHIM_DIR, arg, d.fd, d.guest, d.guest, d.rw);
		return;
	}
	if ((real = realpath(d.host, NULL)) == NULL)
		nh_die_errno(NH_EXIT_USAGE, "--dir %s: %s", arg, d.host);
	if (stat(real, &st) != 0)
		nh_die_errno(NH_EXIT_USAGE, "--dir %s: %s", arg, real);
	if (!S_ISDIR(st.st_mode))
		nh_die(NH_EXIT_USAGE, "--dir %s: %s is not a directory", arg, real);
	if (strlen(real) > NH_PATH_MAX)
		nh_die(NH_EXIT_USAGE, "--dir %s: %s is longer than %d bytes", arg, real, NH_PATH_MAX);
	fsshim_grant_add(fs, FSSHIM_DIR, arg, real, d.guest[0] != '\0' ? d.guest : real, d.rw);
	free(real);
}

/* --tmpdir DIR: the private TMPDIR is DIR, neither made nor removed here
 * (a foreign image's nonehost gets the one its native nonehost made:
 * host/foreign.c). */
static void add_tmpdir(struct fsshim *fs, const char *arg)
{
	const char *colon = strchr(arg, ':');
	char *real, at[24], path[NH_PATH_MAX + 1];
	struct stat st;
	int fd = -1;

	if (arg[0] == '@') {
		if (colon != NULL && (size_t)(colon - arg) < sizeof(at)) {
			memcpy(at, arg, (size_t)(colon - arg));
			at[colon - arg] = '\0';
			fd = fsshim_given_fd(at);
		}
		if (fd < 0 || colon[1] != '/' || fsshim_clean(colon + 1, path, sizeof(path)) == 0)
			nh_die(NH_EXIT_USAGE, "--tmpdir %s: @N:PATH needs a descriptor number from 3 to "
			       "2147483647 and an absolute PATH of at most %d bytes", arg, NH_PATH_MAX);
		fsshim_grant_given(fs, FSSHIM_TMP, arg, fd, path, path, true);
		return;
	}
	if ((real = realpath(arg, NULL)) == NULL)
		nh_die_errno(NH_EXIT_USAGE, "--tmpdir %s", arg);
	if (stat(real, &st) != 0)
		nh_die_errno(NH_EXIT_USAGE, "--tmpdir %s: %s", arg, real);
	if (!S_ISDIR(st.st_mode))
		nh_die(NH_EXIT_USAGE, "--tmpdir %s: %s is not a directory", arg, real);
	if (strlen(real) > NH_PATH_MAX)
		nh_die(NH_EXIT_USAGE, "--tmpdir %s: %s is longer than %d bytes", arg, real,
		       NH_PATH_MAX);
	fs->tmp = fsshim_grant_add(fs, FSSHIM_TMP, arg, real, real, true);
	free(real);
}

/* The current directory: covered, or granted read-only at its own path. */
static void add_cwd(struct fsshim *fs)
{
	char cwd[PATH_MAX];
	size_t n;

	if (getcwd(cwd, sizeof(cwd)) == NULL)
		nh_die_errno(NH_EXIT_USAGE, "cannot find the current directory");
	n = strlen(cwd);
	if (n > NH_PATH_MAX)
		nh_die(NH_EXIT_USAGE, "the current directory %s is longer than %d bytes", cwd, NH_PATH_MAX);
	strcpy(fs->cwd, cwd);
	if (fsshim_grant_of(fs, cwd, n) >= 0)
		return;
	for (unsigned i = 0; i < fs->ngrants; i++) {
		const struct fsshim_grant *g = &fs->grant[i];
		size_t hl = strcmp(g->host, "/") == 0 ? 0 : strlen(g->host);

		if (g->rw && fsshim_host_holds(g->host, cwd)) {
			snprintf(fs->cwd, sizeof(fs->cwd), "%s%s", g->guest_len == 1 && cwd[hl] ? "" : g->guest,
			         cwd + hl);
			return;
		}
	}
	fsshim_grant_add(fs, FSSHIM_CWD, NULL, cwd, cwd, false);
}

/* --cwd GUEST: the working directory is that guest path, and no grant is
 * added for it (a child image's, which its parent chose inside the grants
 * it passed on; fsshim_check_cwd looks at it once they are open). */
static void set_cwd(struct fsshim *fs, const char *guest)
{
	if (fsshim_clean(guest, fs->cwd, sizeof(fs->cwd)) == 0)
		nh_die(NH_EXIT_USAGE, "--cwd %s: longer than %d bytes", guest, NH_PATH_MAX);
}

void fsshim_check_cwd(struct nh_host *h)
{
	struct fsshim_obj o;
	int r;

	if (h->opts.cwd == NULL)
		return; /* the current directory: covered, or granted (add_cwd) */
	r = fsshim_resolve(h, NH_AT_ROOT, h->fs.cwd, O_PATH | O_DIRECTORY | O_CLOEXEC, 0, true,
	                   false, &o);
	if (r < 0)
		nh_die(NH_EXIT_USAGE, "--cwd %s: %s in the grants", h->opts.cwd, strerror(-r));
	fsshim_obj_done(&o);
}

void fsshim_setup(struct nh_host *h)
{
	struct fsshim *fs = &h->fs;

	fs->ngrants = 0;
	fs->tmp = -1;
	fs->etc = -1;
	fs->run = (struct fsshim_run){.made = false};
	fs->keep_tmp = h->opts.keep_tmp;
	fs->max_files = h->opts.max_files;
	/* here, not in fsshim_open: the run's /etc (fsshim_tmp_create, before
	 * that) holds the passwd and group lines of these */
	fs->uid = (uint32_t)geteuid();
	fs->gid = (uint32_t)getegid();
	for (unsigned i = 0; i < h->opts.ndirs; i++)
		add_dir(fs, h->opts.dir[i]);
	if (h->opts.tmpdir != NULL)
		add_tmpdir(fs, h->opts.tmpdir);
	fsshim_check(fs);
	if (h->opts.cwd != NULL)
		set_cwd(fs, h->opts.cwd);
	else
		add_cwd(fs);
	fsshim_check(fs);
	fs->etc_theirs = fsshim_grant_of(fs, FSSHIM_ETC_GUEST, sizeof(FSSHIM_ETC_GUEST) - 1);
	fs->etc_wanted = fs->etc_theirs < 0 && (h->opts.net.mode == NSS_PRIVATE ||
	                                        h->opts.net.mode == NSS_HOST || fs->users_wanted);
}

/* Close [from, to) (to 0: to the end). */
static void close_from(unsigned from, unsigned to)
{
	if (to != 0 && from >= to)
		return;
	if (nh_close_range(from, to != 0 ? to - 1 : ~0U, 0) != 0)
		nh_die_errno(NH_EXIT_USAGE, "cannot close inherited descriptors");
}

/* Add [lo, hi) to the sorted, kept ranges r[0..*n). */
static void keep_range(unsigned (*r)[2], size_t *n, int lo, int hi)
{
	size_t i = *n;

	if (lo < 3 || hi <= lo)
		return;
	for (; i > 0 && r[i - 1][0] > (unsigned)lo; i--) {
		r[i][0] = r[i - 1][0];
		r[i][1] = r[i - 1][1];
	}
	r[i][0] = (unsigned)lo;
	r[i][1] = (unsigned)hi;
	(*n)++;
}

void fsshim_tidy_fds_except(const struct fsshim *fs, const int *keep, size_t nkeep, int lo,
                            int hi)
{
	/* the kept ranges in order; everything >= 3 between them is closed */
	unsigned r[FSSHIM_MAX_GRANTS + 8][2], at = 3;
	size_t n = 0;

	keep_range(r, &n, lo, hi);
	for (size_t i = 0; i < nkeep && i < 4; i++)
		keep_range(r, &n, keep[i], keep[i] + 1);
	for (unsigned i = 0; fs != NULL && i < fs->ngrants; i++)
		if (fs->grant[i].given)
			keep_range(r, &n, fs->grant[i].fd, fs->grant[i].fd + 1);
	for (size_t i = 0; i < n; i++) {
		close_from(at, r[i][0]);
		if (r[i][1] > at)
			at = r[i][1];
	}
	close_from(at, 0);
	for (int fd = 0; fd < 3; fd++) {
		int got;

		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		got = open("/dev/null", O_RDWR);
		if (got != fd)
			nh_die_errno(NH_EXIT_USAGE, "cannot open /dev/null as descriptor %d", fd);
	}
}

void fsshim_tidy_fds(int keep)
{
	fsshim_tidy_fds_except(NULL, &keep, 1, -1, -1);
}

/* What STAT shows for each served device: the host's, when it is that
 * device; else a character device of ours, 0666. */
static void dev_stat(struct fsshim *fs)
{
	for (unsigned d = 1; d < FSSHIM_NDEVS; d++) {
		const struct fsshim_device *v = &fsshim_devices[d];
		struct stat st;

		if (stat(v->path, &st) == 0 && S_ISCHR(st.st_mode) &&
		    st.st_rdev == makedev(1, v->minor)) {
			fsshim_stat_out(&st, &fs->dev[d]);
			continue;
		}
		fs->dev[d] = (struct nh_stat){
			.ino = fsshim_synth_ino(v->path, v->len),
			.nlink = 1,
			.mode = S_IFCHR | 0666,
			.atime_ns = fs->t0_ns,
			.mtime_ns = fs->t0_ns,
			.ctime_ns = fs->t0_ns,
		};
	}
}

void fsshim_open_grants(struct nh_host *h)
{
	struct fsshim *fs = &h->fs;

	for (unsigned i = 0; i < fs->ngrants; i++) {
		struct fsshim_grant *g = &fs->grant[i];
		struct stat st;

		if (!g->given)
			g->fd = open(g->host, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (g->fd < 0 || fstat(g->fd, &st) != 0)
			nh_die_errno(NH_EXIT_USAGE, "cannot open the grant %s", g->host);
		g->dev = st.st_dev;
		g->ino = st.st_ino;
		g->nested = false;
		for (unsigned j = 0; j < fs->ngrants; j++) {
			const struct fsshim_grant *o = &fs->grant[j];

			if (j != i && o->guest_len > g->guest_len &&
			    fsshim_holds(g->guest, g->guest_len, o->guest, o->guest_len))
				g->nested = true;
		}
	}
}

/* The --allow-exec programs no grant holds (nor lies beneath), each a
 * regular file the guest sees at its path (what the launcher runs; a
 * grant that holds the path shows the file there itself). One that is not
 * there or not a regular file is not shown: the launcher refuses it too. */
static void show_programs(struct nh_host *h)
{
	struct fsshim *fs = &h->fs;

	fs->nprog = 0;
	for (unsigned i = 0; i < h->opts.nallow_exec && fs->nprog < FSSHIM_MAX_PROGS; i++) {
		struct fsshim_prog *p = &fs->prog[fs->nprog];
		struct stat st;
		bool covered = false;

		p->len = fsshim_clean(h->opts.allow_exec[i], p->path, sizeof(p->path));
		if (p->len == 0 || fsshim_in_served(fs, p->path, p->len))
			continue; /* too long (cli.c refuses it), or one shown (or beneath it) */
		for (unsigned g = 0; g < fs->ngrants && !covered; g++)
			covered = fsshim_holds(p->path, p->len, fs->grant[g].guest,
			                       fs->grant[g].guest_len) ||
			          fsshim_holds(fs->grant[g].guest, fs->grant[g].guest_len, p->path,
			                       p->len);
		for (unsigned k = 0; k < fs->nprog && !covered; k++)
			covered = fsshim_holds(p->path, p->len, fs->prog[k].path, fs->prog[k].len);
		for (unsigned d = 1; d < FSSHIM_NDEVS && !covered; d++)
			covered = fsshim_holds(p->path, p->len, fsshim_devices[d].path,
			                       fsshim_devices[d].len);
		if (covered || fsshim_through_link(fs, p->path, p->len))
			continue; /* a grant, another program or a device at or beneath it, or
			           * it is (or lies beneath) the /etc/localtime link */
		if (stat(p->path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		fsshim_stat_out(&st, &p->st);
		fs->nprog++;
	}
}

void fsshim_open(struct nh_host *h)
{
	struct fsshim *fs = &h->fs;
	size_t nh = FSSHIM_FIRST_HANDLE + fs->max_files;
	size_t size = nh * (sizeof(struct fsshim_handle) + NH_PATH_MAX + 1) + FSSHIM_DIRBUF;
	struct timespec now;
	uint8_t *mem;

	fsshim_open_grants(h);
	mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
	           -1, 0);
	if (mem == MAP_FAILED)
		nh_die_errno(NH_EXIT_USAGE, "cannot map the file table (%zu handles)", nh);
	fs->dirbuf = mem; /* page-aligned: getdents64 records are 8-byte aligned in it */
	fs->handle = (struct fsshim_handle *)(mem + FSSHIM_DIRBUF);
	fs->paths = (char *)(mem + FSSHIM_DIRBUF + nh * sizeof(struct fsshim_handle));
	fs->nhandles = (unsigned)nh;
	for (size_t i = 0; i < nh; i++)
		fs->handle[i] = (struct fsshim_handle){.fd = -1, .kind = FSSHIM_FREE, .grant = -1,
		                                      .guest = fs->paths + i * (NH_PATH_MAX + 1)};
	fs->handle[0].kind = FSSHIM_STDIN;
	fs->handle[0].fd = STDIN_FILENO;
	fs->next_free = FSSHIM_FIRST_HANDLE;
	if (clock_gettime(CLOCK_REALTIME, &now) != 0)
		nh_die_errno(NH_EXIT_USAGE, "cannot read the clock");
	fs->t0_ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
	dev_stat(fs);
	show_programs(h);
	fs->ready = true;
	fsshim_check_cwd(h);
}
