/*
 * fsshim_policy.c - what the sandbox must leave the fs-shim: one Landlock
 * path-beneath rule per grant, the system calls the ops make (each with
 * its reason and the arguments seccomp can see pinned), and descriptors.
 *
 * Contract: fsshim_policy() is called between sbx_policy_init() and
 * sbx_apply(), after fsshim_open() and once every other set-up descriptor
 * is closed. It records the first free descriptor as the floor: 0, 1, 2
 * and the grants lie below it and stay open, so every descriptor the
 * fs-shim opens while serving the guest (handles, the O_PATH descriptors
 * of a resolution) is >= floor, and the descriptor-only calls are pinned to
 * fd >= floor (or fd 0, stdin, where it reads). openat2's how struct (with
 * RESOLVE_BENEATH) is behind a pointer that seccomp cannot read; its size
 * is pinned. The path calls take a directory descriptor and one name; their
 * flags are pinned. RLIMIT_NOFILE grows by --max-files, the grants and the
 * few descriptors a resolution holds at once.
 * Under --policy (nothing opened) the floor is what a run would have (the
 * network's ring or epoll descriptor included, h->net.fds, and the
 * launcher's control socket when processes are served) and the private
 * TMPDIR and the guest's /etc are shown in the template they will be made
 * from (fsshim_tmp_plan). The floor is kept in fs->fd_floor for the
 * netstack-shim's rules (nss_sandbox.c). A grant that holds /etc instead of
 * ours says so; with neither (--net none, the default: !fs->etc_wanted)
 * --policy says why in one line of its own (p->absent_guest).
 *
 * fsshim_tmp_policy() is the supervisor's share (sandbox/sbx_supervise.c
 * calls it in the waiting parent, before its layers): what fsshim_rmtree()
 * needs to remove the run's directory (the TMPDIR and any /etc in it),
 * measured under strace -f, and nothing else. Landlock: beneath the run's
 * directory READ_DIR, REMOVE_DIR, REMOVE_FILE; on its parent REMOVE_DIR
 * only (removing the directory itself is a right of the directory holding
 * it).
 * The openat flags and the unlinkat, newfstatat, lseek and getdents64
 * arguments are pinned (32-bit arm: statx's, _llseek's); fchmodat's path
 * is not (Landlock has no right for chmod: README.md of sandbox/ says what
 * that leaves). Under --policy the
 * template stands for the run's directory, nothing is opened and nothing
 * reserved.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"

#define RESOLVE_FDS 4 /* descriptors one op holds at once, at most */

/* 32-bit arm (64-bit off_t): glibc's lseek is _llseek(fd, high, low,
 * &result, whence), fcntl fcntl64 and ftruncate ftruncate64 (the same
 * descriptor first); its fstat and fstatat are statx, with AT_NO_AUTOMOUNT
 * added to the flags; fchown is fchown32 (32-bit ids). */
#ifdef __NR__llseek
#define SYS_LSEEK     SCMP_SYS(_llseek)
#define SYS_FCNTL     SCMP_SYS(fcntl64)
#define SYS_FTRUNCATE SCMP_SYS(ftruncate64)
#define SYS_MMAP      SCMP_SYS(mmap2)
#define SYS_FSTATAT   SCMP_SYS(statx)
#define FSTATAT_FLAGS AT_NO_AUTOMOUNT
#define SYS_FCHOWN    SCMP_SYS(fchown32)
#else
#define SYS_LSEEK     SCMP_SYS(lseek)
#define SYS_FCNTL     SCMP_SYS(fcntl)
#define SYS_FTRUNCATE SCMP_SYS(ftruncate)
#define SYS_MMAP      SCMP_SYS(mmap)
#define SYS_FSTATAT   SCMP_SYS(newfstatat)
#define FSTATAT_FLAGS 0
#define SYS_FCHOWN    SCMP_SYS(fchown)
#endif
/* fsshim_fstat's call on the descriptors fd allows: on 32-bit arm statx
 * whose path is the host's one empty string, in read-only memory, so the
 * call can only describe the descriptor itself; fstat elsewhere. */
static void allow_fstat(struct sbx_policy *p, const char *why, struct scmp_arg_cmp fd)
{
#ifdef FSSHIM_FSTAT_STATX
	SBX_ALLOW(p, SCMP_SYS(statx), why, fd,
	          SCMP_A1(SCMP_CMP_EQ, (scmp_datum_t)(uintptr_t)fsshim_empty_path),
	          SCMP_A2(SCMP_CMP_EQ, AT_EMPTY_PATH));
#else
	SBX_ALLOW(p, SCMP_SYS(fstat), why, fd);
#endif
}

#define TMP_NOTE "the private TMPDIR (made at start, removed at exit)"
#define MEM_NOTE "the private TMPDIR (in memory: a tmpfs of the run's own, gone with it)"
#define TMPDIR_NOTE "the private TMPDIR (--tmpdir: neither made nor removed here)"

#define THEIRS_NOTE "it holds the guest's /etc: no name-resolution files of ours there"
#define NONE_NOTE "none of ours (--net none, the default: no names to resolve; --net private " \
                  "or host brings hosts, services, protocols)"
#define LINK_NOTE "only localtime, a link as the host's (--net none, the default: no names " \
                  "to resolve; --net private or host brings hosts, services, protocols)"
#define ZONE_NOTE "the time zone database (time.LoadLocation; /etc/localtime leads here)"

static const char *note(const struct nh_host *h, unsigned i)
{
	const struct fsshim *fs = &h->fs;

	switch (fs->grant[i].origin) {
	case FSSHIM_CWD: return (int)i == fs->etc_theirs ? "the current directory, " THEIRS_NOTE
	                                                 : "the current directory";
	case FSSHIM_TMP: return fs->grant[i].arg != NULL ? TMPDIR_NOTE
	                        : fs->run.in_memory      ? MEM_NOTE
	                                                 : TMP_NOTE;
	case FSSHIM_ETC: return fsshim_etc_note(h);
	case FSSHIM_ZONE: return ZONE_NOTE;
	default: return (int)i == fs->etc_theirs ? THEIRS_NOTE : "";
	}
}

static int first_free_fd(void)
{
	int fd = 0;

	while (fcntl(fd, F_GETFD) >= 0)
		fd++;
	return fd;
}

void fsshim_policy(struct nh_host *h, struct sbx_policy *p)
{
	struct fsshim *fs = &h->fs;
	const scmp_datum_t how_size = sizeof(struct open_how);
	scmp_datum_t floor;
	unsigned planned = 0; /* grants a run would add (--policy) */

	for (unsigned i = 0; i < fs->ngrants; i++) {
		const struct fsshim_grant *g = &fs->grant[i];

		sbx_allow_path(p, &(struct sbx_path){g->fd, g->rw, g->guest, g->host, note(h, i), 0});
	}
	if (fs->tmp < 0 || (fs->etc_wanted && fs->etc < 0)) { /* --policy: not made yet */
		const bool mem = fs->run.in_memory; /* would be: main.c */

		fsshim_tmp_plan(fs);
		if (fs->tmp < 0) {
			sbx_allow_path(p, &(struct sbx_path){-1, true, fs->run.tmp,
			                                      mem ? FSSHIM_MEM_HOST "/tmp" : fs->run.tmp,
			                                      mem ? MEM_NOTE : TMP_NOTE, 0});
			planned++;
		}
		if (fs->etc_wanted) {
			sbx_allow_path(p, &(struct sbx_path){-1, false, FSSHIM_ETC_GUEST,
			                                      mem ? FSSHIM_MEM_HOST "/etc" : fs->run.etc,
			                                      fsshim_etc_note(h), 0});
			planned++;
		}
	}
	if (!fs->etc_wanted && fs->etc_theirs < 0) {
		p->absent_guest = FSSHIM_ETC_GUEST;
		p->absent_why = fsshim_through_link(fs, FSSHIM_LOCALTIME, sizeof(FSSHIM_LOCALTIME) - 1)
		                        ? LINK_NOTE
		                        : NONE_NOTE;
	}
	floor = (scmp_datum_t)(fs->ready ? first_free_fd()
	                                 : 3 + (int)(fs->ngrants + planned) + h->net.fds +
	                                           (h->opts.max_procs > 0)); /* + the launcher's
	                                                                    * control socket */
	fs->fd_floor = (int)floor;
	p->nofile += fs->max_files + fs->ngrants + planned + RESOLVE_FDS;

	SBX_ALLOW(p, SCMP_SYS(openat2), "fs-shim: every open, beneath a grant or handle "
	          "(RESOLVE_BENEATH is in the how struct, out of seccomp's sight)",
	          SCMP_A3(SCMP_CMP_EQ, how_size));
	SBX_ALLOW(p, SCMP_SYS(close), "fs-shim: CLOSE, and a resolution's O_PATH descriptors",
	          SCMP_A0(SCMP_CMP_GE, floor));
	SBX_ALLOW(p, SCMP_SYS(read), "fs-shim: READ of a handle", SCMP_A0(SCMP_CMP_GE, floor));
	SBX_ALLOW(p, SCMP_SYS(read), "fs-shim: READ of stdin (handle 0)", SCMP_A0(SCMP_CMP_EQ, 0));
	SBX_ALLOW(p, SCMP_SYS(write), "fs-shim: WRITE to a handle", SCMP_A0(SCMP_CMP_GE, floor));
	SBX_ALLOW(p, SCMP_SYS(pread64), "fs-shim: PREAD", SCMP_A0(SCMP_CMP_GE, floor));
	SBX_ALLOW(p, SYS_FCNTL, "fs-shim: DUP, at the descriptor floor",
	          SCMP_A1(SCMP_CMP_EQ, F_DUPFD_CLOEXEC), SCMP_A2(SCMP_CMP_EQ, floor));
	SBX_ALLOW(p, SCMP_SYS(pwrite64), "fs-shim: PWRITE", SCMP_A0(SCMP_CMP_GE, floor));
	SBX_ALLOW(p, SYS_LSEEK, "fs-shim: SEEK, READDIR's cookie", SCMP_A0(SCMP_CMP_GE, floor));
	SBX_ALLOW(p, SYS_LSEEK, "fs-shim: SEEK on stdin", SCMP_A0(SCMP_CMP_EQ, 0));
	allow_fstat(p, "fs-shim: STAT, OPEN (file or directory), resolution",
	            SCMP_A0(SCMP_CMP_GE, floor));
	allow_fstat(p, "fs-shim: STAT of stdin", SCMP_A0(SCMP_CMP_EQ, 0));
	SBX_ALLOW(p, SCMP_SYS(getdents64), "fs-shim: READDIR", SCMP_A0(SCMP_CMP_GE, floor));
	SBX_ALLOW(p, SCMP_SYS(fsync), "fs-shim: FSYNC", SCMP_A0(SCMP_CMP_GE, floor));
	SBX_ALLOW(p, SCMP_SYS(fsync), "fs-shim: FSYNC of stdin", SCMP_A0(SCMP_CMP_EQ, 0));
	/* LOCK_NB pinned: an op that waited would stop the guest's one thread */
	SBX_ALLOW(p, SCMP_SYS(flock), "fs-shim: FLOCK (never waits)", SCMP_A0(SCMP_CMP_GE, floor),
	          SCMP_A1(SCMP_CMP_MASKED_EQ, LOCK_NB, LOCK_NB));
	SBX_ALLOW(p, SCMP_SYS(flock), "fs-shim: FLOCK of stdin (never waits)",
	          SCMP_A0(SCMP_CMP_EQ, 0), SCMP_A1(SCMP_CMP_MASKED_EQ, LOCK_NB, LOCK_NB));
	SBX_ALLOW(p, SYS_FTRUNCATE, "fs-shim: TRUNCATE", SCMP_A0(SCMP_CMP_GE, floor));
	SBX_ALLOW(p, SCMP_SYS(umask), "fs-shim: UMASK, and reading it for the launcher",
	          SCMP_A0(SCMP_CMP_MASKED_EQ, ~(scmp_datum_t)0777, 0));
	/* MEM_MAP (host/hook_mem.c): a file over the guest's pages, and fresh
	 * ones where a map ends. MAP_FIXED: over RAM, never a new place;
	 * never executable (the mask keeps PROT_READ and PROT_WRITE). */
	SBX_ALLOW(p, SYS_MMAP, "fs-shim: MEM_MAP of a file, shared",
	          SCMP_A2(SCMP_CMP_MASKED_EQ, (uint32_t)~(PROT_READ | PROT_WRITE), 0),
	          SCMP_A3(SCMP_CMP_EQ, MAP_FIXED | MAP_SHARED), SCMP_A4(SCMP_CMP_GE, floor));
	SBX_ALLOW(p, SYS_MMAP, "fs-shim: MEM_MAP of a file, private",
	          SCMP_A2(SCMP_CMP_MASKED_EQ, (uint32_t)~(PROT_READ | PROT_WRITE), 0),
	          SCMP_A3(SCMP_CMP_EQ, MAP_FIXED | MAP_PRIVATE), SCMP_A4(SCMP_CMP_GE, floor));
	SBX_ALLOW(p, SYS_MMAP, "fs-shim: MEM_MAP's fresh pages, where a map ends",
	          SCMP_A2(SCMP_CMP_MASKED_EQ, (uint32_t)~(PROT_READ | PROT_WRITE), 0),
	          SCMP_A3(SCMP_CMP_EQ, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE));
	sbx_allow(p, SCMP_SYS(mkdirat), "fs-shim: MKDIR (one name in a directory opened beneath a "
	          "grant)", 0, NULL);
	SBX_ALLOW(p, SCMP_SYS(unlinkat), "fs-shim: UNLINK (one name)", SCMP_A2(SCMP_CMP_EQ, 0));
	SBX_ALLOW(p, SCMP_SYS(unlinkat), "fs-shim: UNLINK (one name)",
	          SCMP_A2(SCMP_CMP_EQ, AT_REMOVEDIR));
#ifdef __NR_renameat
	sbx_allow(p, SCMP_SYS(renameat), "fs-shim: RENAME (one name each)", 0, NULL);
#else /* riscv64 has only renameat2: glibc's renameat() is it with no flags */
	SBX_ALLOW(p, SCMP_SYS(renameat2), "fs-shim: RENAME (one name each)", SCMP_A4(SCMP_CMP_EQ, 0));
#endif
	SBX_ALLOW(p, SCMP_SYS(linkat), "fs-shim: LINK (one name each, the link not followed)",
	          SCMP_A4(SCMP_CMP_EQ, 0));
	sbx_allow(p, SCMP_SYS(symlinkat), "fs-shim: SYMLINK (one name)", 0, NULL);
	SBX_ALLOW(p, SCMP_SYS(readlinkat), "fs-shim: READLINK, links met while resolving "
	          "(an O_PATH descriptor, empty path)", SCMP_A3(SCMP_CMP_LE, NH_PATH_MAX + 1));
	/* Metadata changes on real descriptors only (opened under Landlock):
	 * fchmodat2/utimensat on O_PATH descriptors would reach any file. */
	SBX_ALLOW(p, SCMP_SYS(fchmod), "fs-shim: CHMOD (a descriptor opened beneath a grant)",
	          SCMP_A0(SCMP_CMP_GE, floor));
	/* Without a capability (layer 3) only to our own uid and groups. */
	SBX_ALLOW(p, SYS_FCHOWN, "fs-shim: CHOWN (a descriptor opened beneath a grant)",
	          SCMP_A0(SCMP_CMP_GE, floor));
	/* By name, from "/" or the working directory "/", in the image's own
	 * root: only the read-write grants are there (fsshim_root.c). */
	if (h->fs.own_root) {
		SBX_ALLOW(p, SCMP_SYS(fchmodat), "fs-shim: CHMOD by name (in the image's own root, "
		          "where only the read-write grants exist)",
		          SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffffu, (uint32_t)AT_FDCWD));
		SBX_ALLOW(p, SCMP_SYS(fchownat), "fs-shim: CHOWN by name, a link itself too (in the "
		          "image's own root, where only the read-write grants exist)",
		          SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffffu, (uint32_t)AT_FDCWD),
		          SCMP_A4(SCMP_CMP_MASKED_EQ, 0xffffffffu & ~(uint32_t)AT_SYMLINK_NOFOLLOW, 0));
	}
	SBX_ALLOW(p, SCMP_SYS(utimensat), "fs-shim: UTIMENS (futimens: no path, no flags)",
	          SCMP_A0(SCMP_CMP_GE, floor), SCMP_A1(SCMP_CMP_EQ, 0), SCMP_A3(SCMP_CMP_EQ, 0));
#ifdef __NR_utimensat_time64
	/* 32-bit arm: glibc's futimens for times past 2038 */
	SBX_ALLOW(p, SCMP_SYS(utimensat_time64), "fs-shim: UTIMENS (futimens: no path, no flags)",
	          SCMP_A0(SCMP_CMP_GE, floor), SCMP_A1(SCMP_CMP_EQ, 0), SCMP_A3(SCMP_CMP_EQ, 0));
#endif
}

void fsshim_tmp_policy(struct sbx_policy *p, void *host)
{
	struct fsshim *fs = &((struct nh_host *)host)->fs;
	const bool made = fs->run.made;
	const char *dir = fs->run.dir, *parent = fs->run.runs;
	const uint64_t in_tmp = LANDLOCK_ACCESS_FS_READ_DIR | LANDLOCK_ACCESS_FS_REMOVE_DIR |
	                        LANDLOCK_ACCESS_FS_REMOVE_FILE;
	int tfd = -1, pfd = -1, r;

	if (!made && dir[0] == '\0') /* --policy: the template */
		fsshim_tmp_plan(fs);
	if (made) {
		if ((r = fsshim_rmtree_reserve()) < 0) {
			errno = -r;
			nh_die_errno(NH_EXIT_USAGE, "sandbox: supervisor: reserve rmtree's way down");
		}
		if ((tfd = open(dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
		    (pfd = open(parent, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
			nh_die_errno(NH_EXIT_USAGE, "sandbox: supervisor: open %s", tfd < 0 ? dir : parent);
	}
	sbx_allow_path(p, &(struct sbx_path){tfd, true, dir, dir, fs->etc_wanted ?
	               "the run's directory (the private TMPDIR tmp/, the guest's /etc etc/): read "
	               "and remove what is in it" : "the run's directory (the private TMPDIR tmp/): "
	               "read and remove what is in it", in_tmp});
	sbx_allow_path(p, &(struct sbx_path){pfd, true, parent, parent, "its parent: remove the "
	               "run's directory (any empty directory below)", LANDLOCK_ACCESS_FS_REMOVE_DIR});
	p->nofile += FSSHIM_RMTREE_FDS;

	SBX_ALLOW(p, SCMP_SYS(openat), "rmtree: the run's directory's parent (O_PATH, by path)",
	          SCMP_A2(SCMP_CMP_EQ, O_PATH | O_DIRECTORY | O_CLOEXEC));
	SBX_ALLOW(p, SCMP_SYS(openat), "rmtree: enter a directory (links not followed)",
	          SCMP_A2(SCMP_CMP_EQ, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
	SBX_ALLOW(p, SCMP_SYS(close), "rmtree: its own descriptors", SCMP_A0(SCMP_CMP_GE, 3));
	allow_fstat(p, "rmtree: fstat, the way down and \"..\"", SCMP_A0(SCMP_CMP_GE, 3));
#ifdef __NR__llseek
	/* statx(dirfd, path, flags, mask, buf): the flags are the third */
	SBX_ALLOW(p, SYS_FSTATAT, "rmtree: an entry that will not go (links not followed)",
	          SCMP_A2(SCMP_CMP_EQ, AT_SYMLINK_NOFOLLOW | FSTATAT_FLAGS));
#else
	SBX_ALLOW(p, SYS_FSTATAT, "rmtree: an entry that will not go (links not followed)",
	          SCMP_A3(SCMP_CMP_EQ, AT_SYMLINK_NOFOLLOW | FSTATAT_FLAGS));
#endif
	SBX_ALLOW(p, SCMP_SYS(fchmod), "rmtree: u+rwx on a directory it is in",
	          SCMP_A0(SCMP_CMP_GE, 3));
	sbx_allow(p, SCMP_SYS(fchmodat), "rmtree: u+rwx on a directory before entering it", 0, NULL);
#ifdef __NR__llseek
	SBX_ALLOW(p, SYS_LSEEK, "rmtree: rewind a directory", SCMP_A1(SCMP_CMP_EQ, 0),
	          SCMP_A2(SCMP_CMP_EQ, 0), SCMP_A4(SCMP_CMP_EQ, SEEK_SET));
#else
	SBX_ALLOW(p, SYS_LSEEK, "rmtree: rewind a directory",
	          SCMP_A1(SCMP_CMP_EQ, 0), SCMP_A2(SCMP_CMP_EQ, SEEK_SET));
#endif
	SBX_ALLOW(p, SCMP_SYS(getdents64), "rmtree: read a directory",
	          SCMP_A2(SCMP_CMP_EQ, FSSHIM_RMTREE_BUF));
	SBX_ALLOW(p, SCMP_SYS(unlinkat), "rmtree: remove a file", SCMP_A2(SCMP_CMP_EQ, 0));
	SBX_ALLOW(p, SCMP_SYS(unlinkat), "rmtree: remove a directory",
	          SCMP_A2(SCMP_CMP_EQ, AT_REMOVEDIR));
}
