/*
 * fsshim.h - the one internal header of the fs-shim (fs-shim/, prefix
 * fsshim_): the host side of the guest's file system.
 *
 * The guest sees one tree: every grant (--dir, the current directory, the
 * private TMPDIR, the guest's /etc under --net private or host, the host's
 * time zone database) at its guest path, read-only synthetic directories
 * above the grants that list only the way down, and /dev/null and
 * /etc/localtime, served by the host itself unless a grant holds that
 * path. The host keeps the guest's descriptor table (handles) and touches
 * files only through
 * openat2(grant or handle fd, rel, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS)
 * or *at calls on one name in a directory opened that way (README.md).
 *
 * The state is struct fsshim, a member of the one host context (host.h);
 * everything it needs after the sandbox is preallocated by fsshim_open().
 * This header needs only the ABI header, so host.h can include it.
 */
#ifndef NONEHOST_FSSHIM_H
#define NONEHOST_FSSHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nonehost_abi.h"

#define FSSHIM_MAX_DIRS          32   /* --dir options */
#define FSSHIM_MAX_GRANTS        (FSSHIM_MAX_DIRS + 4) /* + the cwd, the TMPDIR, /etc, zones */
#define FSSHIM_MAX_FILES_DEFAULT 4096 /* --max-files: Go on Linux raises its soft limit */
#define FSSHIM_MAX_FILES_LIMIT   65536
#define FSSHIM_FIRST_HANDLE      3    /* 0 is stdin, 1 and 2 the console */
#define FSSHIM_MAX_LINKS         40   /* symbolic links followed in one path */
#define FSSHIM_NAME_MAX          255
#define FSSHIM_DIRBUF            32768 /* getdents64 buffer */

struct nh_host;
struct sbx_policy;

/* --dir HOST[:GUEST][:ro|rw], as parsed (fsshim_dir_parse). */
struct fsshim_dirspec {
	char host[NH_PATH_MAX + 1];
	char guest[NH_PATH_MAX + 1]; /* cleaned; "" when not given */
	bool rw;
	int fd; /* HOST "@N": the directory open at descriptor N; else -1 */
};

enum fsshim_origin { FSSHIM_DIR, FSSHIM_CWD, FSSHIM_TMP, FSSHIM_ETC, FSSHIM_ZONE };

struct fsshim_grant {
	char guest[NH_PATH_MAX + 1]; /* absolute, clean: no "//", ".", "..", trailing '/' */
	char host[NH_PATH_MAX + 1];  /* realpath of the host directory */
	size_t guest_len;
	bool rw;
	bool nested;                 /* another grant's guest path lies beneath this one:
	                              * every path in it takes the slow path */
	enum fsshim_origin origin;
	const char *arg;             /* the --dir value (FSSHIM_DIR) */
	int fd;                      /* O_PATH|O_DIRECTORY, opened by fsshim_open() */
	bool given;                  /* fd was given open (HOST @N), not opened here */
	bool in_root;                /* mounted at its guest path in the image's own root */
	uint64_t dev, ino;           /* of the host directory: ino for synthetic listings,
	                              * both to find it again (fsshim_root.c) */
};

/* CHRDEV: one of the devices the fs-shim serves itself, without a host
 * descriptor (enum fsshim_dev: /dev/null, /dev/zero, ...).
 * SOCKET: a socket of the netstack-shim (netstack-shim/nss.h): CLOSE, READ
 * and WRITE go to nss_close, nss_read and nss_write; the ops that need a
 * file give Linux's errors for a socket.
 * PIPE: one end of a PROC_PIPE pipe (host/proc.c), non-blocking: READ and
 * WRITE are read(2) and write(2) (-EAGAIN, -EPIPE pass through), the ops
 * that need a file Linux's errors for a pipe; NET_POLL watches it.
 * PROC: a process handle (host/proc.c), the host end of the child's
 * channel to the launcher: READ and WRITE are -EINVAL; NET_POLL watches
 * it (readable once the exit status came), PROC_WAIT and PROC_KILL use it.
 * CONSOLE: a DUP of the console, 1 or 2 (debug.SetCrashOutput(os.Stdout)):
 * the host's descriptor 1 or 2 duplicated, which CLOSE of the console
 * leaves open, as on Linux; the guest's console, only by another number:
 * WRITE is write(2) (the printk buffer flushed first), READ -EBADF, PREAD,
 * PWRITE and SEEK -ESPIPE, FSYNC 0, STAT the kernel's, the ops that change
 * a file -EBADF.
 * None of these lies in a grant (grant -1). */
enum fsshim_kind { FSSHIM_FREE, FSSHIM_FILE, FSSHIM_DIRH, FSSHIM_SYNTH, FSSHIM_STDIN,
                   FSSHIM_CHRDEV, FSSHIM_SOCKET, FSSHIM_PIPE, FSSHIM_PROC, FSSHIM_CONSOLE };

/* The devices served, each at its Linux path unless a grant holds that
 * path or lies beneath it: Linux's memory devices (major 1, the minor in
 * fsshim_devices[]). null reads nothing and takes every write; zero reads
 * zeros and takes every write; full reads zeros and refuses every write
 * (-ENOSPC); random and urandom read the host's getrandom(2) and take
 * every write (as Linux, which mixes it in: here it goes nowhere). */
enum fsshim_dev { FSSHIM_DEV_NONE, FSSHIM_DEV_NULL, FSSHIM_DEV_ZERO, FSSHIM_DEV_FULL,
                  FSSHIM_DEV_RANDOM, FSSHIM_DEV_URANDOM, FSSHIM_NDEVS };
struct fsshim_device {
	const char *path;
	size_t len;
	unsigned minor;
};
extern const struct fsshim_device fsshim_devices[FSSHIM_NDEVS]; /* [0]: none */

struct fsshim_handle {
	int fd;        /* host descriptor; -1 for FREE, SYNTH and CHRDEV */
	uint8_t kind;  /* enum fsshim_kind */
	int8_t grant;  /* index into grant[], -1 for SYNTH, STDIN and CHRDEV */
	uint8_t acc;   /* CHRDEV: the access mode it was opened with (O_ACCMODE) */
	uint8_t dev;   /* CHRDEV: which (enum fsshim_dev) */
	char *guest;   /* DIRH and SYNTH: the guest path it was opened by */
};

/* The run's own directory, mkdtemp("$TMPDIR/nonehost-UID/nonehost.XXXXXX") (fsshim_tmp.c),
 * and the grants in it: tmp/, the private TMPDIR (read-write at its own
 * path, the guest's TMPDIR), and when fs->etc_wanted etc/, the guest's /etc
 * (read-only at /etc, fsshim_etc.c). fsshim_tmp_plan() and
 * fsshim_tmp_create() are the one place these paths are built. Before it
 * is made (--policy): the template. */
struct fsshim_run {
	char dir[NH_PATH_MAX + 1]; /* realpath'd once made */
	char runs[NH_PATH_MAX + 1]; /* dir's parent: $TMPDIR/nonehost-UID, this user's runs */
	char tmp[NH_PATH_MAX + 1]; /* dir + "/tmp" */
	char etc[NH_PATH_MAX + 1]; /* dir + "/etc" */
	bool made;                 /* dir exists (made by this process) */
	bool in_memory;            /* the grants lie in a tmpfs of the run's own, attached
	                            * nowhere: dir names no host directory (fsshim_tmp.c);
	                            * under --policy, would lie */
	int mount;                 /* in_memory: that tmpfs, held for the run's life (closing
	                            * it would unmount it: the image's own root could not
	                            * clone tmp/); else -1 */
	int lock;                  /* dir open, flock'd while the run lives; -1: none */
};

/* An --allow-exec program that no grant holds, shown at its own path
 * (fsshim_open, fsshim_tree.c): so LookPath finds it. */
#define FSSHIM_MAX_PROGS 32 /* == LAUNCH_MAX_EXEC */
struct fsshim_prog {
	char path[NH_PATH_MAX + 1]; /* cleaned */
	size_t len;
	struct nh_stat st;          /* what STAT shows: the host's file (links followed) */
};

struct fsshim {
	unsigned ngrants;
	struct fsshim_grant grant[FSSHIM_MAX_GRANTS];
	char cwd[NH_PATH_MAX + 1]; /* the guest's initial working directory */
	int tmp;                   /* index of the private TMPDIR grant, -1 before it exists */
	int etc;                   /* index of the guest's /etc grant (ours), -1: none (yet) */
	int etc_theirs;            /* a grant at /etc or above it (--dir /:ro, --dir /etc:ro,
	                            * the current directory /): it shows the guest's /etc and
	                            * ours is not made; its index, or -1 */
	bool etc_wanted;           /* ours is made: etc_theirs < 0 and --net private or host
	                            * (names to resolve) or users_wanted (fsshim_setup) */
	bool users_wanted;         /* the image may read /etc/passwd and /etc/group (names
	                            * FSSHIM_USERS_SYMBOL; set by main.c before fsshim_setup) */
	bool tmp_owned;            /* this process made run.dir and nobody else will remove it */
	bool keep_tmp;             /* --keep-tmp */
	bool tmp_private;          /* nothing outside this process will use the TMPDIR (the
	                            * image cannot start a process, host/proc_policy.c): the
	                            * run's directory may be in memory */
	unsigned max_files;        /* --max-files */
	struct fsshim_run run;     /* the run's directory: the TMPDIR and /etc in it */

	/* Preallocated by fsshim_open(): nothing is allocated after the sandbox. */
	struct fsshim_handle *handle; /* FSSHIM_FIRST_HANDLE + max_files entries */
	unsigned nhandles;
	unsigned next_free;           /* no free handle below this one */
	char *paths;                  /* NH_PATH_MAX + 1 bytes per handle */
	uint8_t *dirbuf;              /* FSSHIM_DIRBUF bytes for getdents64 */
	int fd_floor;                 /* every descriptor opened after set-up is >= this
	                               * (set by fsshim_policy) */
	uint32_t uid, gid;            /* owner shown for synthetic directories */
	int64_t t0_ns;                /* their times: when the host started */
	struct nh_stat dev[FSSHIM_NDEVS]; /* what STAT shows for each device (the host's) */
	struct fsshim_prog prog[FSSHIM_MAX_PROGS];
	unsigned nprog;
	char localtime[NH_PATH_MAX + 1]; /* the target of the link the guest sees at
	                                  * /etc/localtime, the host's; "": none (fsshim_zone.c) */
	struct nh_stat localtime_st;      /* what STAT shows for that link */
	bool own_root;                /* the image's own root (fsshim_root.c) was made */
	bool ready;
};

/* fsshim_grant.c: --dir values and the grant set (set-up; dies 125). */
bool fsshim_dir_parse(const char *arg, struct fsshim_dirspec *d, char *err, size_t errlen);
/* "@N" (N from 3 to INT32_MAX): N; else -1 */
int fsshim_given_fd(const char *s);
/* Append a grant (host and guest at most NH_PATH_MAX bytes); its index. */
int fsshim_grant_add(struct fsshim *fs, enum fsshim_origin origin, const char *arg,
                     const char *host, const char *guest, bool rw);
/* Append a grant of directory fd, already open (HOST @N, whose host side is
 * its guest path; arg NULL: ours, host a label), kept open by
 * fsshim_tidy_fds_except; its index. Dies 125 if fd is no directory. */
int fsshim_grant_given(struct fsshim *fs, enum fsshim_origin origin, const char *arg, int fd,
                       const char *host, const char *guest, bool rw);
size_t fsshim_clean(const char *in, char *out, size_t outsz); /* lexical; 0 if too long */
bool fsshim_host_holds(const char *outer, const char *inner); /* host dir outer is or holds inner */
void fsshim_setup(struct nh_host *h);    /* validate the grants, find the guest cwd */
void fsshim_check(struct fsshim *fs);    /* dies unless the grant set is sound */
void fsshim_check_cwd(struct nh_host *h); /* dies unless --cwd is a directory there */
void fsshim_tidy_fds(int keep);          /* close inherited fds >= 3 but keep; 0-2 open */
/* ... but keep[0..n), [lo, hi) and the grants' given descriptors (@N) */
void fsshim_tidy_fds_except(const struct fsshim *fs, const int *keep, size_t n, int lo, int hi);
void fsshim_open(struct nh_host *h);     /* grant fds, preallocation */
void fsshim_open_grants(struct nh_host *h); /* the grant fds alone */
/* fsshim_root.c: the image's own root (only the read-write grants), after
 * the launcher's fork, before the sandbox; sets own_root when made. */
void fsshim_root(struct nh_host *h);
/* The grants mounted in such a root (indexes into in[]): read-write, not at
 * "/", not beneath another read-write grant's guest path. */
unsigned fsshim_root_grants(const struct fsshim *fs, unsigned *in);

/* fsshim_tmp.c: the run's directory: the private TMPDIR and the guest's /etc. */
#define FSSHIM_USER_DIR  "nonehost-%u"    /* in $TMPDIR or /tmp: this user's runs (euid) */
#define FSSHIM_RUN_NAME  "nonehost.XXXXXX" /* mkdtemp's template, in FSSHIM_USER_DIR */
#define FSSHIM_KEPT_NAME "nonehost-kept.XXXXXX" /* --keep-tmp's: never swept */
#define FSSHIM_ETC_GUEST "/etc"
#define FSSHIM_MEM_HOST  "(memory)" /* the host column of the grants in memory: "(memory)/tmp" */
void fsshim_tmp_plan(struct fsshim *fs);  /* fs->run from the template (--policy) */
void fsshim_tmp_create(struct nh_host *h); /* make it, add the grants, fill any etc/ */
/* The run's directory is (in a run) or would be (--policy: tried in a
 * child; main.c keeps the answer in run.in_memory) in memory. */
bool fsshim_tmp_in_memory(const struct fsshim *fs);
void fsshim_tmp_cleanup(void *host);     /* the supervisor's exit hook: remove the tree */
void fsshim_tmp_abandon(struct nh_host *h); /* a set-up death before the fork: remove it */
void fsshim_tmp_unlock(struct fsshim *fs); /* the supervisor's child: the lock is its parent's */
void fsshim_tmp_sweep(void *host);       /* remove run directories of killed supervisors */
int fsshim_rmtree(const char *path);     /* 0, or -errno; never follows a link */
int fsshim_rmtree_reserve(void);         /* its way down, reserved once: 0 or -errno */
#define FSSHIM_RMTREE_DEPTH ((size_t)1 << 22) /* levels (64 MiB of address space) */
#define FSSHIM_RMTREE_FDS   3                 /* descriptors it holds at once */
#define FSSHIM_RMTREE_BUF   8192              /* its getdents64 buffer */

/* fsshim_etc.c: the guest's /etc, the files Go's resolver and os/user read,
 * as snapshots (mode 0444, the directory 0555). Dies 125 on any failure. */
#define FSSHIM_ETC_SOURCE "/etc"
/* What os/user reads /etc/passwd and /etc/group with: an image whose symbol
 * table lacks it never looks there (elf_may_call). */
#define FSSHIM_USERS_SYMBOL "os/user.readColonFile"
#define FSSHIM_ETC_MAX    ((long long)1 << 20) /* a larger file is refused */
/* etc/ made at directory at (AT_FDCWD: run.etc), filled from /etc, made
 * read-only; its descriptor (O_PATH). */
int fsshim_etc_make(struct nh_host *h, int at);
/* Fill directory dirfd (fs->run.etc, for messages) from directory src for
 * network mode (enum nss_mode); then the empty directories on the way to
 * each grant beneath /etc. */
void fsshim_etc_fill(const struct fsshim *fs, int dirfd, const char *src, int mode);
const char *fsshim_etc_note(const struct nh_host *h); /* --policy's label */

/* fsshim_zone.c: the host's time zone (set-up, after fsshim_setup; root ""
 * in a run, a test's tree otherwise): the zone database granted read-only
 * at its path, and the target of the host's /etc/localtime link
 * (h->opts.localtime instead when given: a foreign image's host). */
#define FSSHIM_LOCALTIME "/etc/localtime"
void fsshim_zone(struct nh_host *h, const char *root);
/* Go's zone directories (time/zoneinfo_unix.go), in its order; NULL-ended */
extern const char *const fsshim_zone_dirs[];

/* fsshim_policy.c: Landlock rules, seccomp rules and limits for the grants. */
void fsshim_policy(struct nh_host *h, struct sbx_policy *p);
/* The supervisor's at_exit->policy (host is the nh_host): Landlock rules
 * for the TMPDIR and its parent, rmtree's system calls, its descriptors
 * and its reservation. Under --policy (no TMPDIR yet) the template. */
void fsshim_tmp_policy(struct sbx_policy *p, void *host);

/* fsshim_tree.c: the guest tree, without system calls. */
int fsshim_grant_of(const struct fsshim *fs, const char *p, size_t n); /* longest, or -1 */
bool fsshim_synth_dir(const struct fsshim *fs, const char *p, size_t n);
/* The object served at p without a descriptor: k > 0 for prog[k - 1],
 * FSSHIM_SERVED_DEV + d for device d, FSSHIM_SERVED_LINK for the
 * /etc/localtime link; -1 none. */
#define FSSHIM_SERVED_DEV  (FSSHIM_MAX_PROGS + 1)
#define FSSHIM_SERVED_LINK (FSSHIM_SERVED_DEV + FSSHIM_NDEVS)
int fsshim_served(const struct fsshim *fs, const char *p, size_t n);
/* p is a device or program served, or beneath one (not the link: a path
 * through it is resolved, fsshim_resolve.c's slow path) */
bool fsshim_in_served(const struct fsshim *fs, const char *p, size_t n);
/* p is the /etc/localtime link shown, or beneath it */
bool fsshim_through_link(const struct fsshim *fs, const char *p, size_t n);
/* Grant path g (length gl) is q or a component prefix of q ("/a" holds
 * "/a/b", not "/ab"; "/" holds everything). */
bool fsshim_holds(const char *g, size_t gl, const char *q, size_t n);
uint64_t fsshim_synth_ino(const char *p, size_t n);
/* The k-th child of synthetic directory p (sorted, unique): its name in
 * name (NUL-terminated), its inode and NH_DT_* type; false past the end. */
bool fsshim_synth_child(const struct fsshim *fs, const char *p, size_t n, unsigned k,
                        char *name, uint64_t *ino, uint8_t *type);

/* fsshim_handle.c */
struct fsshim_handle *fsshim_handle(struct fsshim *fs, uint64_t fd);
/* The host descriptor of handle fd for NH_OP_MEM_MAP, a file's (the
 * kernel says whether it can be mapped); -NH_EBADF for no handle,
 * -NH_ENODEV for one with nothing to map (a directory, standard input, a
 * device the shim serves, a socket, a pipe). */
int fsshim_map_fd(struct fsshim *fs, uint64_t fd);
int fsshim_handle_alloc(struct fsshim *fs); /* lowest free >= 3, or -NH_EMFILE */
void fsshim_handle_set(struct fsshim *fs, int i, int kind, int fd, int grant, const char *guest);
void fsshim_handle_free(struct fsshim *fs, int i);

/* fsshim_path.c: guest arguments. Copies path [p, p+len) out of guest RAM
 * into buf (NH_PATH_MAX + 1 bytes, NUL-terminated); 0 or -errno. */
int fsshim_guest_path(const struct nh_host *h, uint64_t p, uint64_t len, char *buf);
int fsshim_open_flags(uint64_t nh_flags, int *oflags);
/* fstat(2) itself: glibc's fstat is newfstatat(fd, "", AT_EMPTY_PATH), and
 * the seccomp policy pins the plain call to the fs-shim's descriptors. On
 * a 32-bit host (arm, whose fstat's times are 32-bit) it is statx(fd,
 * fsshim_empty_path, AT_EMPTY_PATH), the path's pointer pinned. */
struct stat;
int fsshim_fstat(int fd, struct stat *st);
#if UINTPTR_MAX <= UINT32_MAX
#define FSSHIM_FSTAT_STATX 1
extern const char fsshim_empty_path[1];
#endif
void fsshim_stat_out(const struct stat *st, struct nh_stat *out); /* fsshim_meta.c */

/* fsshim_resolve.c: where a guest path leads. */
struct fsshim_obj {
	int grant;                   /* -1: the synthetic directory guest[], or a device */
	int fd;                      /* the object, opened with the requested flags */
	bool own;                    /* fd is ours to close */
	uint8_t dev;                 /* a served device (grant -1, no fd), or FSSHIM_DEV_NONE */
	const struct fsshim_prog *prog; /* a granted program shown here (grant -1, no fd) */
	bool link;                   /* the /etc/localtime link itself, unfollowed (grant -1,
	                              * no fd): fs->localtime */
	char guest[NH_PATH_MAX + 1]; /* the guest path it was reached by */
};
enum fsshim_child { FSSHIM_PLAIN, FSSHIM_ROOT, FSSHIM_SYNTHDIR, FSSHIM_DEVICE, FSSHIM_PROGRAM,
                   FSSHIM_LINK };
/* How a path ends when its last component names no entry (Linux's
 * LAST_DOT, LAST_DOTDOT, LAST_ROOT). */
enum fsshim_dot { FSSHIM_NAME, FSSHIM_DOT, FSSHIM_DOTDOT, FSSHIM_ROOTDIR };
struct fsshim_at {
	int grant;                   /* -1: the parent is the synthetic directory guest[] */
	int dirfd;                   /* the parent directory (O_PATH); -1 with dot */
	bool own;
	uint8_t dot;                 /* enum fsshim_dot: no name; the directory the path
	                              * names was found (grant: its grant) */
	bool slash;                  /* the name was followed by '/' (not in name[]) */
	enum fsshim_child child;     /* what name is in the guest tree, lexically */
	char name[FSSHIM_NAME_MAX + 1];
	char guest[NH_PATH_MAX + 1]; /* the parent's guest path */
};
int fsshim_resolve(struct nh_host *h, int64_t dirfd, const char *path, int oflags, int mode,
                   bool follow, bool write, struct fsshim_obj *o);
int fsshim_resolve_parent(struct nh_host *h, int64_t dirfd, const char *path, struct fsshim_at *at);
void fsshim_obj_done(struct fsshim_obj *o);
void fsshim_at_done(struct fsshim_at *at);
/* The path's last component is "." or "..", or a '/' follows it: Linux
 * then follows a final link and wants a directory. */
bool fsshim_wants_dir(const char *path);
/* What at's name is, not followed: its S_IFMT bits, or -errno (-ENOENT). */
int fsshim_at_type(const struct fsshim_at *at);
int fsshim_openat2(int dirfd, const char *rel, int oflags, int mode, uint64_t resolve);
/* fsshim_openat2's way where the kernel has no openat2 (ENOSYS, e.g.
 * qemu-user): one name at a time, stricter, never looser. */
int fsshim_openat_walk(int dirfd, const char *rel, int oflags, int mode, uint64_t resolve);

/* The ops (gate.c's table): fsshim_io.c, fsshim_meta.c, fsshim_names.c, fsshim_readdir.c. */
int64_t fsshim_op_open(struct nh_host *h, const uint64_t a[6]);
int64_t fsshim_op_close(struct nh_host *h, const uint64_t a[6]);
int64_t fsshim_op_read(struct nh_host *h, const uint64_t a[6]);
int64_t fsshim_op_write(struct nh_host *h, const uint64_t a[6]);
int64_t fsshim_op_pread(struct nh_host *h, const uint64_t a[6]);
int64_t fsshim_op_pwrite(struct nh_host *h, const uint64_t a[6]);
int64_t fsshim_op_seek(struct nh_host *h, const uint64_t a[6]);
int64_t fsshim_op_fsync(struct nh_host *h, const uint64_t a[6]);
int64_t fsshim_op_flock(struct nh_host *h, const uint64_t a[6]);
int64_t fsshim_op_dup(struct nh_host *h, const uint64_t a[6]);
int64_t fsshim_op_stat(struct nh_host *h, const uint64_t a[6]);
int64_t fsshim_op_chmod(struct nh_host *h, const uint64_t a[6]);
int64_t fsshim_op_chown(struct nh_host *h, const uint64_t a[6]);
int64_t fsshim_op_truncate(struct nh_host *h, const uint64_t a[6]);
int64_t fsshim_op_utimens(struct nh_host *h, const uint64_t a[6]);
int64_t fsshim_op_mkdir(struct nh_host *h, const uint64_t a[6]);
int64_t fsshim_op_umask(struct nh_host *h, const uint64_t a[6]);
/* The image's file-mode creation mask now (the host's own, which UMASK
 * sets): what the launcher makes a child or a UNIX socket's name with. */
uint32_t fsshim_umask(void);
int64_t fsshim_op_unlink(struct nh_host *h, const uint64_t a[6]);
int64_t fsshim_op_rename(struct nh_host *h, const uint64_t a[6]);
int64_t fsshim_op_link(struct nh_host *h, const uint64_t a[6]);
int64_t fsshim_op_symlink(struct nh_host *h, const uint64_t a[6]);
int64_t fsshim_op_readlink(struct nh_host *h, const uint64_t a[6]);
int64_t fsshim_op_readdir(struct nh_host *h, const uint64_t a[6]);

/* A getdents64(2) record (no libc wrapper; fsshim_readdir.c, fsshim_tmp.c). */
struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
};

#endif /* NONEHOST_FSSHIM_H */
