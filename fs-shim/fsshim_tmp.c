/*
 * fsshim_tmp.c - the run's own directory: made fresh for each run, it holds
 * the private TMPDIR (tmp/, granted read-write at its own path, passed to
 * the guest as TMPDIR) and, under --net private or host, the guest's /etc
 * (etc/, granted read-only at /etc, fsshim_etc.c); the whole tree is
 * removed at exit (unless --keep-tmp).
 *
 *   $TMPDIR/nonehost-UID/        0700, this user's runs (made once, kept)
 *     nonehost.XXXXXX/           0700 (mkdtemp), no grant; flock'd while the
 *                                run lives (nonehost-kept.XXXXXX: --keep-tmp)
 *       tmp/                     0700, read-write at its own path: TMPDIR
 *       etc/                     0555, read-only at /etc; files 0444
 *                                (only when fs->etc_wanted)
 *
 * Contract:
 *   fsshim_tmp_plan()    fs->run from the template "$TMPDIR/nonehost-UID/nonehost.XXXXXX"
 *       ($TMPDIR when absolute, else /tmp): what --policy shows; dies 125
 *       if the paths would be too long. With fsshim_tmp_create(), the one
 *       place the run's paths are built.
 *   fsshim_tmp_create()  in memory where it can be (below); else the user's
 *       directory made or checked (this user's,
 *       writable by nobody else: dies 125 if not), mkdtemp of the
 *       template, realpath'd, locked (flock, fs->run.lock; not with
 *       --keep-tmp) before anything is made in it, then tmp/ and
 *       its read-write grant, and when fs->etc_wanted (fsshim_setup: a
 *       network with names to resolve, no grant holding /etc) etc/'s
 *       read-only grant at /etc; checked (fsshim_check), then etc/ made
 *       and filled (fsshim_etc_make). With --tmpdir (its grant made by
 *       fsshim_setup) no tmp/: the run's directory is made only to hold
 *       etc/, and not at all without one.
 *       Dies 125 if anything cannot be made, and nh_die removes what was
 *       (fsshim_tmp_abandon). With --keep-tmp it prints one stderr line
 *       naming the TMPDIR and the run's directory, which is never removed.
 *   In memory: when nothing but this process will use the run's directory
 *       (fs->tmp_private: the image cannot start a process, so no host
 *       program and no child image is given the TMPDIR's path) and no
 *       --keep-tmp, its tmp/ and etc/ are made in a tmpfs of the run's own
 *       that is attached nowhere (sbx_tmpfs; nosuid, nodev, noexec, at most
 *       half the RAM, tmpfs's default) and granted by descriptor
 *       (fsshim_grant_given); the guest's TMPDIR is the path the run's
 *       directory would have had, its X's filled as mkdtemp's, and exists
 *       nowhere on the host. Nothing is written to disk, nothing is left to
 *       remove, whatever ends the run (SIGKILL too): the kernel frees the
 *       tmpfs with the process's last descriptor of it. So no supervisor
 *       is forked for it (host/main.c), which was ~1.1 ms of every run's
 *       start and end. Not root, a tmpfs needs a user namespace of our
 *       own (and with it a mount namespace), made first (memory_fs); where
 *       none can be made the run's directory is made on disk as above;
 *       --trace says which.
 *   fsshim_tmp_cleanup() the supervisor's exit hook (sandbox/sbx_supervise.c),
 *       run in the waiting parent after the image's process ended, however
 *       it ended: removes the run's directory and all in it; a failure is
 *       one stderr line, the exit status stays the image's. After the
 *       sandbox the image's process cannot do it itself: Landlock forbids
 *       removing anything outside tmp/, and tmp/ itself from its parent.
 *   fsshim_tmp_unlock()  the supervisor's child closes its descriptor of
 *       the lock at once: the parent's alone holds it, until the parent
 *       ends, however it ends (SIGKILL included).
 *   fsshim_tmp_sweep()   the supervisor's at_exit->meanwhile, before its
 *       layers: removes from the directory holding the run's what runs
 *       whose supervisor was killed left there (no exit hook ran): entries
 *       named like FSSHIM_RUN_NAME, directories (O_NOFOLLOW), this user's,
 *       not empty, whose lock it takes without waiting. Best effort and
 *       silent but for --trace: others' leftovers are no reason to fail.
 *   fsshim_tmp_abandon() nh_die() before the fork (or in the middle of
 *       fsshim_tmp_create, --keep-tmp or not): removes the run's directory
 *       so a set-up error leaves nothing behind.
 *   fsshim_rmtree()      removes a directory tree without following a link
 *       and without leaving it: entries are unlinked by name in a directory
 *       opened O_NOFOLLOW|O_DIRECTORY; a subdirectory is entered the same
 *       way, and left through ".." only after checking that ".." is the
 *       directory we came from (device and inode), so a tree moved away
 *       meanwhile is not followed. Directories the guest made unwritable or
 *       unreadable (and etc/, 0555) are given u+rwx first. 0, or the first
 *       -errno met.
 *       The way down (one device and inode per level) lives in a reservation
 *       of address space made once by fsshim_rmtree_reserve() (the
 *       supervisor makes it before its seccomp filter; rmtree makes it
 *       itself otherwise), touched page by page as the walk goes down, so
 *       that rmtree allocates nothing: at most FSSHIM_RMTREE_DEPTH levels
 *       (deeper: -ELOOP, the tree stays). It holds at most FSSHIM_RMTREE_FDS
 *       descriptors at once: the parent's, the directory's, and the one
 *       being entered or backed up to. System calls: openat (two flag sets),
 *       close, fsshim_fstat's, newfstatat, fchmod, fchmodat, lseek,
 *       getdents64, unlinkat (fsshim_policy.c, fsshim_tmp_policy(), pins
 *       them); the opens and fstat by number, since a C library may make
 *       another call (musl's openat adds O_LARGEFILE, its fstat is fstat
 *       where glibc's is newfstatat).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"

/* run->dir = dir, its parent and the two paths in it; false if they would
 * be too long. */
static bool run_paths(struct fsshim_run *run, const char *dir)
{
	size_t n = strlen(dir);
	const char *slash;

	if (n + sizeof("/tmp") > sizeof(run->tmp))
		return false;
	memmove(run->dir, dir, n + 1); /* dir may be run->dir itself */
	slash = strrchr(run->dir, '/');
	snprintf(run->runs, sizeof(run->runs), "%.*s",
	         slash > run->dir ? (int)(slash - run->dir) : 1, run->dir);
	snprintf(run->tmp, sizeof(run->tmp), "%s/tmp", dir);
	snprintf(run->etc, sizeof(run->etc), "%s/etc", dir);
	return true;
}

void fsshim_tmp_plan(struct fsshim *fs)
{
	const char *base = getenv("TMPDIR");
	char tmpl[PATH_MAX];

	if (base == NULL || base[0] != '/')
		base = "/tmp";
	if ((size_t)snprintf(tmpl, sizeof(tmpl), "%s/" FSSHIM_USER_DIR "/%s", base, (unsigned)geteuid(),
	                     fs->keep_tmp ? FSSHIM_KEPT_NAME : FSSHIM_RUN_NAME) >= sizeof(tmpl) ||
	    !run_paths(&fs->run, tmpl))
		nh_die(NH_EXIT_USAGE, "cannot make the private TMPDIR: %s: path too long", base);
	fs->run.made = false;
	fs->run.lock = -1;
	fs->run.mount = -1;
}

/* The directory that holds this user's runs, made on first use and kept:
 * it must be a directory of this user's that nobody else can write to,
 * since whatever is in it may be swept (as /tmp/tmux-UID is checked). */
static void user_dir(const struct fsshim_run *run)
{
	const char *dir = run->runs;
	struct stat st;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		nh_die_errno(NH_EXIT_USAGE, "cannot make the private TMPDIR's parent %s", dir);
	if (lstat(dir, &st) != 0)
		nh_die_errno(NH_EXIT_USAGE, "cannot make the private TMPDIR: %s", dir);
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 022) != 0)
		nh_die(NH_EXIT_USAGE, "cannot make the private TMPDIR: %s is not a directory of this "
		       "user's that only it can write to (owner %u, mode %03o)", dir,
		       (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777));
}

/* Hold the run's directory locked for as long as this run (its supervisor)
 * lives, before anything is made in it: an empty one is never swept, so a
 * sweep that takes the lock first finds nothing to remove. */
static void lock_run(struct fsshim_run *run)
{
	run->lock = open(run->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (run->lock < 0)
		nh_die_errno(NH_EXIT_USAGE, "cannot open the private TMPDIR %s", run->dir);
	while (flock(run->lock, LOCK_EX) != 0)
		if (errno != EINTR)
			nh_die_errno(NH_EXIT_USAGE, "cannot lock the private TMPDIR %s", run->dir);
}

/* run->dir's X's (the template's last six) filled as mkdtemp's would be;
 * nothing is made. */
static void name_run(struct fsshim_run *run)
{
	static const char letters[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	char *x = run->dir + strlen(run->dir) - 6;
	uint8_t r[6];

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		nh_die_errno(NH_EXIT_USAGE, "cannot name the private TMPDIR");
	for (size_t i = 0; i < sizeof(r); i++)
		x[i] = letters[r[i] % (sizeof(letters) - 1)];
	run_paths(run, run->dir);
}

/* A tmpfs for the run's directory: its descriptor, or -1 with errno. Not
 * root, first a user and mount namespace of our own (sbx_unshare_mount,
 * mapping our own ids), which the image's own root would make later
 * anyway (fsshim_root.c: sbx_mirror then needs no second one); made only
 * for a TMPDIR of our own (a child image is given its parent's, and its
 * launcher's Landlock domain forbids mounts). *userns: one was made. */
static int memory_fs(const struct fsshim *fs, bool *userns)
{
	int m = sbx_tmpfs("0700", NULL), err;

	*userns = false;
	if (m >= 0 || errno != EPERM || fs->tmp >= 0)
		return m;
	if ((err = sbx_unshare_mount(userns)) != 0) {
		errno = err;
		return -1;
	}
	return sbx_tmpfs("0700", NULL);
}

/* The run's directory in memory (the contract above); false, nothing
 * made, where no tmpfs can be made. */
static bool make_in_memory(struct nh_host *h)
{
	struct fsshim *fs = &h->fs;
	struct fsshim_run *run = &fs->run;
	bool userns;
	int m = memory_fs(fs, &userns), fd;

	if (m < 0) {
		if (h->opts.trace)
			dprintf(STDERR_FILENO, "[nh] tmp: on disk: no tmpfs of our own here (%s)\n",
			        strerror(errno));
		return false;
	}
	name_run(run);
	if (fs->tmp < 0) {
		if (mkdirat(m, "tmp", 0700) != 0 ||
		    (fd = openat(m, "tmp", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
			nh_die_errno(NH_EXIT_USAGE, "cannot make the private TMPDIR %s in memory", run->tmp);
		fsshim_grant_given(fs, FSSHIM_TMP, NULL, fd, FSSHIM_MEM_HOST "/tmp", run->tmp, true);
	}
	if (fs->etc_wanted) /* its host side "(memory)/etc": not the host's /etc */
		fs->etc = fsshim_grant_given(fs, FSSHIM_ETC, NULL, fsshim_etc_make(h, m),
		                             FSSHIM_MEM_HOST "/etc", FSSHIM_ETC_GUEST, false);
	fsshim_check(fs); /* a --dir at the same guest path: dies */
	run->in_memory = true;
	run->mount = m;
	if (h->opts.trace)
		dprintf(STDERR_FILENO, "[nh] tmp: in memory (a tmpfs of the run's own, attached "
		        "nowhere%s): TMPDIR %s%s\n", userns ? ", in a new user namespace" : "",
		        fs->grant[fs->tmp].guest, fs->etc >= 0 ? ", and the guest's /etc" : "");
	return true;
}

/* --policy: whether a run could make the tmpfs, tried in a child (the user
 * namespace a run may make must not change what this process reports). */
static bool memory_possible(const struct fsshim *fs)
{
	pid_t pid = fork();
	int status;
	bool userns;

	if (pid == 0)
		_exit(memory_fs(fs, &userns) >= 0 ? 0 : 1);
	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0;
}

bool fsshim_tmp_in_memory(const struct fsshim *fs)
{
	if (fs->run.in_memory || fs->ready)
		return fs->run.in_memory;
	/* --policy: what a run would do */
	return fs->tmp_private && !fs->keep_tmp && (fs->tmp < 0 || fs->etc_wanted) &&
	       memory_possible(fs);
}

void fsshim_tmp_create(struct nh_host *h)
{
	struct fsshim *fs = &h->fs;
	struct fsshim_run *run = &fs->run;
	char *real;

	fsshim_tmp_plan(fs);
	if (fs->tmp >= 0 && !fs->etc_wanted)
		return; /* --tmpdir, and no /etc of ours: nothing to make */
	if (fs->tmp_private && !fs->keep_tmp && make_in_memory(h))
		return;
	user_dir(run);
	if (mkdtemp(run->dir) == NULL) {
		const char *slash = strrchr(run->dir, '/');

		nh_die_errno(NH_EXIT_USAGE, "cannot make the private TMPDIR under %.*s",
		             slash > run->dir ? (int)(slash - run->dir) : 1, run->dir);
	}
	real = realpath(run->dir, NULL);
	if (real == NULL || !run_paths(run, real)) {
		int err = real == NULL ? errno : ENAMETOOLONG;

		rmdir(run->dir);
		free(real);
		errno = err;
		nh_die_errno(NH_EXIT_USAGE, "cannot make the private TMPDIR: %s", run->dir);
	}
	free(real);
	run->made = true;
	fs->tmp_owned = true; /* until it is complete: nh_die removes it, --keep-tmp or not */
	if (!fs->keep_tmp)
		lock_run(run);
	if (fs->tmp < 0) {
		if (mkdir(run->tmp, 0700) != 0)
			nh_die_errno(NH_EXIT_USAGE, "cannot make the private TMPDIR %s", run->tmp);
		fs->tmp = fsshim_grant_add(fs, FSSHIM_TMP, NULL, run->tmp, run->tmp, true);
	}
	if (fs->etc_wanted)
		fs->etc = fsshim_grant_add(fs, FSSHIM_ETC, NULL, run->etc, FSSHIM_ETC_GUEST, false);
	fsshim_check(fs); /* a --dir at the same guest path: dies, and nh_die removes it */
	if (fs->etc >= 0)
		close(fsshim_etc_make(h, AT_FDCWD)); /* the grant is opened by its path */
	fs->tmp_owned = !fs->keep_tmp;
	if (fs->keep_tmp && fs->grant[fs->tmp].arg != NULL)
		dprintf(STDERR_FILENO, "nonehost: --keep-tmp: the guest's /etc stays in %s\n",
		        run->dir);
	else if (fs->keep_tmp)
		dprintf(STDERR_FILENO, "nonehost: --keep-tmp: the private TMPDIR is %s (it stays, "
		        "with all of %s)\n", run->tmp, run->dir);
}

void fsshim_tmp_abandon(struct nh_host *h)
{
	struct fsshim *fs = &h->fs;

	if (fs->run.made && fs->tmp_owned) {
		fs->tmp_owned = false;
		fsshim_rmtree(fs->run.dir);
	}
}

void fsshim_tmp_unlock(struct fsshim *fs)
{
	if (fs->run.lock >= 0)
		close(fs->run.lock); /* the parent's descriptor holds the lock */
	fs->run.lock = -1;
}

/* name is a run directory's: FSSHIM_RUN_NAME with its X's filled. */
static bool run_name(const char *name)
{
	const size_t len = sizeof(FSSHIM_RUN_NAME) - 1, fixed = len - 6;

	return strlen(name) == len && strncmp(name, FSSHIM_RUN_NAME, fixed) == 0;
}

/* Directory fd holds something other than "." and "..". */
static bool has_entries(int fd)
{
	char buf[256];
	long n = syscall(SYS_getdents64, fd, buf, sizeof(buf));

	for (long off = 0; off < n;) {
		const struct linux_dirent64 *d = (const void *)(buf + off);

		off += d->d_reclen;
		if (strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0)
			return true;
	}
	return false;
}

/* Entry name of directory dfd is a run directory left behind: ours (this
 * user's), its lock free (no live run holds it), not empty (an empty one
 * may be a run's between its mkdtemp and its lock). Its descriptor, the
 * lock held; or -1. */
static int left_behind(int dfd, const char *name)
{
	int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0 || st.st_uid != geteuid() || flock(fd, LOCK_EX | LOCK_NB) != 0 ||
	    !has_entries(fd)) {
		close(fd);
		return -1;
	}
	return fd;
}

void fsshim_tmp_sweep(void *host)
{
	const struct nh_host *h = host;
	const struct fsshim_run *run = &h->fs.run;
	const char *own = strrchr(run->dir, '/');
	char buf[FSSHIM_RMTREE_BUF], path[PATH_MAX];
	int dfd, n;
	long got;

	if (!run->made || run->lock < 0 || own == NULL)
		return;
	n = snprintf(path, sizeof(path), "%s", run->runs);
	if ((dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return;
	while ((got = syscall(SYS_getdents64, dfd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < got;) {
			const struct linux_dirent64 *d = (const void *)(buf + off);
			int fd, r;

			off += d->d_reclen;
			if (!run_name(d->d_name) || strcmp(d->d_name, own + 1) == 0 ||
			    (size_t)snprintf(path + n, sizeof(path) - (size_t)n, "/%s", d->d_name) >=
			            sizeof(path) - (size_t)n ||
			    (fd = left_behind(dfd, d->d_name)) < 0)
				continue;
			r = fsshim_rmtree(path);
			close(fd);
			if (h->opts.trace)
				dprintf(STDERR_FILENO, "[nh] tmp: %s, left by a run killed before its exit: %s\n",
				        path, r == 0 ? "removed" : strerror(-r));
		}
	}
	close(dfd);
}

void fsshim_tmp_cleanup(void *host)
{
	struct fsshim *fs = &((struct nh_host *)host)->fs;
	int r;

	if (!fs->run.made || !fs->tmp_owned)
		return;
	fs->tmp_owned = false;
	if ((r = fsshim_rmtree(fs->run.dir)) < 0) {
		/* one write: dprintf would lseek first, which the supervisor's filter refuses */
		char line[NH_PATH_MAX + 128];
		int n = snprintf(line, sizeof(line), "nonehost: cannot remove %s (the private TMPDIR%s): "
		                 "%s\n", fs->run.dir, fs->etc >= 0 ? " and the guest's /etc" : "",
		                 strerror(-r));

		if (n > 0 && write(STDERR_FILENO, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line)) < 0) {
			/* nothing more can be said */
		}
	}
}

struct level {
	dev_t dev;
	ino_t ino;
};

static int open_dir(int at, const char *name)
{
	return (int)syscall(SYS_openat, at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/* Remove entry name of directory fd: 0 done, 1 with *sub its directory
 * (not empty: enter it), or -errno. */
static int remove_entry(int fd, const char *name, int *sub, struct stat *st)
{
	if (unlinkat(fd, name, 0) == 0)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return -errno;
	if (unlinkat(fd, name, AT_REMOVEDIR) == 0)
		return 0;
	if (errno != ENOTEMPTY && errno != EEXIST && errno != EACCES)
		return -errno;
	if (fstatat(fd, name, st, AT_SYMLINK_NOFOLLOW) != 0)
		return -errno;
	if (!S_ISDIR(st->st_mode))
		return -ENOTDIR;
	if ((st->st_mode & 0700) != 0700 && fchmodat(fd, name, (st->st_mode & 07777) | 0700, 0) != 0)
		return -errno;
	if ((*sub = open_dir(fd, name)) < 0)
		return -errno;
	return 1;
}

static struct level *way; /* FSSHIM_RMTREE_DEPTH levels, reserved once */

int fsshim_rmtree_reserve(void)
{
	void *m;

	if (way != NULL)
		return 0;
	m = mmap(NULL, FSSHIM_RMTREE_DEPTH * sizeof(*way), PROT_READ | PROT_WRITE,
	         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (m == MAP_FAILED)
		return -errno;
	way = m;
	return 0;
}

/* Push the directory open as fd onto the way down. */
static int push(size_t *depth, int fd)
{
	struct stat st;

	if (fsshim_fstat(fd, &st) != 0)
		return -errno;
	if (*depth == FSSHIM_RMTREE_DEPTH)
		return -ELOOP;
	way[(*depth)++] = (struct level){st.st_dev, st.st_ino};
	return 0;
}

/* One pass over directory fd: 1 entered a subdirectory (*fd is it now),
 * 0 removed something or found it empty (*entries), or -errno. */
static int pass(int *fd, unsigned *entries, bool *progress, int *err)
{
	char buf[FSSHIM_RMTREE_BUF];
	struct stat st;
	long n;

	*entries = 0;
	*progress = false;
	if (fsshim_fstat(*fd, &st) == 0 && (st.st_mode & 0700) != 0700)
		fchmod(*fd, (st.st_mode & 07777) | 0700);
	if (lseek(*fd, 0, SEEK_SET) < 0)
		return -errno;
	while ((n = syscall(SYS_getdents64, *fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < n;) {
			const struct linux_dirent64 *d = (const void *)(buf + off);
			int sub = -1, r;

			off += d->d_reclen;
			if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
				continue;
			(*entries)++;
			r = remove_entry(*fd, d->d_name, &sub, &st);
			if (r == 1) {
				close(*fd);
				*fd = sub;
				return 1;
			}
			if (r == 0)
				*progress = true;
			else if (*err == 0)
				*err = r;
		}
	}
	return n < 0 ? -errno : 0;
}

int fsshim_rmtree(const char *path)
{
	char parent[PATH_MAX];
	const char *name = strrchr(path, '/');
	size_t depth = 0;
	int pfd, fd = -1, err = 0, r;

	if (name == NULL || name[1] == '\0' || (size_t)(name - path) >= sizeof(parent))
		return -EINVAL;
	if ((r = fsshim_rmtree_reserve()) < 0)
		return r;
	memcpy(parent, path, (size_t)(name - path));
	parent[name - path] = '\0';
	name++;
	if ((pfd = (int)syscall(SYS_openat, AT_FDCWD, parent[0] ? parent : "/",
	                        O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -errno;
	if ((fd = open_dir(pfd, name)) < 0) {
		err = -errno;
		goto out;
	}
	if ((r = push(&depth, fd)) < 0) {
		err = r;
		goto out;
	}
	for (;;) {
		unsigned entries;
		bool progress;
		struct stat st;
		int up;

		r = pass(&fd, &entries, &progress, &err);
		if (r == 1) {
			if ((r = push(&depth, fd)) < 0) {
				err = r;
				goto out;
			}
			continue;
		}
		if (r < 0) {
			err = r;
			goto out;
		}
		if (entries > 0) {
			if (!progress)
				goto out; /* nothing more can go: err says why */
			continue;
		}
		if (depth == 1) { /* empty: remove the top, and done */
			close(fd);
			fd = -1;
			err = unlinkat(pfd, name, AT_REMOVEDIR) == 0 ? 0 : -errno;
			goto out;
		}
		/* empty: back up through "..", which must be where we came from */
		up = open_dir(fd, "..");
		if (up < 0 || fsshim_fstat(up, &st) != 0) {
			err = -errno;
			if (up >= 0)
				close(up);
			goto out;
		}
		if (st.st_dev != way[depth - 2].dev || st.st_ino != way[depth - 2].ino) {
			close(up);
			err = -ESTALE; /* moved away while we were inside: do not follow */
			goto out;
		}
		close(fd);
		fd = up;
		depth--;
	}
out:
	if (fd >= 0)
		close(fd);
	close(pfd);
	return err;
}
