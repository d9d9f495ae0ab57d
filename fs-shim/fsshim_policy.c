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
 * Under --policy (nothing opened) the floor is what a run would have and
 * the private TMPDIR is shown as the template it will be made from.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "host.h"
#include "sandbox.h"

#define RESOLVE_FDS 4 /* descriptors one op holds at once, at most */
#define TMP_NOTE "the private TMPDIR (made at start, removed at exit)"

static const char *note(const struct fsshim_grant *g)
{
	switch (g->origin) {
	case FSSHIM_CWD: return "the current directory";
	case FSSHIM_TMP: return TMP_NOTE;
	default: return "";
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
	const char *base = getenv("TMPDIR");
	const scmp_datum_t how_size = sizeof(struct open_how);
	scmp_datum_t floor;

	for (unsigned i = 0; i < fs->ngrants; i++) {
		const struct fsshim_grant *g = &fs->grant[i];

		sbx_allow_path(p, &(struct sbx_path){g->fd, g->rw, g->guest, g->host, note(g)});
	}
	if (fs->tmp < 0) { /* --policy: not made yet */
		snprintf(fs->tmp_template, sizeof(fs->tmp_template), "%s/nonehost.XXXXXX",
		         base != NULL && base[0] == '/' ? base : "/tmp");
		sbx_allow_path(p, &(struct sbx_path){-1, true, fs->tmp_template, fs->tmp_template,
		                                      TMP_NOTE});
	}
	floor = (scmp_datum_t)(fs->ready ? first_free_fd() : 3 + (int)fs->ngrants + (fs->tmp < 0));
	p->nofile += fs->max_files + fs->ngrants + (fs->tmp < 0) + RESOLVE_FDS;

	SBX_ALLOW(p, SCMP_SYS(openat2), "fs-shim: every open, beneath a grant or handle "
	          "(RESOLVE_BENEATH is in the how struct, out of seccomp's sight)",
	          SCMP_A3(SCMP_CMP_EQ, how_size));
	SBX_ALLOW(p, SCMP_SYS(close), "fs-shim: CLOSE, and a resolution's O_PATH descriptors",
	          SCMP_A0(SCMP_CMP_GE, floor));
	SBX_ALLOW(p, SCMP_SYS(read), "fs-shim: READ of a handle", SCMP_A0(SCMP_CMP_GE, floor));
	SBX_ALLOW(p, SCMP_SYS(read), "fs-shim: READ of stdin (handle 0)", SCMP_A0(SCMP_CMP_EQ, 0));
	SBX_ALLOW(p, SCMP_SYS(write), "fs-shim: WRITE to a handle", SCMP_A0(SCMP_CMP_GE, floor));
	SBX_ALLOW(p, SCMP_SYS(pread64), "fs-shim: PREAD", SCMP_A0(SCMP_CMP_GE, floor));
	SBX_ALLOW(p, SCMP_SYS(pwrite64), "fs-shim: PWRITE", SCMP_A0(SCMP_CMP_GE, floor));
	SBX_ALLOW(p, SCMP_SYS(lseek), "fs-shim: SEEK, READDIR's cookie", SCMP_A0(SCMP_CMP_GE, floor));
	SBX_ALLOW(p, SCMP_SYS(lseek), "fs-shim: SEEK on stdin", SCMP_A0(SCMP_CMP_EQ, 0));
	SBX_ALLOW(p, SCMP_SYS(fstat), "fs-shim: STAT, OPEN (file or directory), resolution",
	          SCMP_A0(SCMP_CMP_GE, floor));
	SBX_ALLOW(p, SCMP_SYS(fstat), "fs-shim: STAT of stdin", SCMP_A0(SCMP_CMP_EQ, 0));
	SBX_ALLOW(p, SCMP_SYS(getdents64), "fs-shim: READDIR", SCMP_A0(SCMP_CMP_GE, floor));
	SBX_ALLOW(p, SCMP_SYS(fsync), "fs-shim: FSYNC", SCMP_A0(SCMP_CMP_GE, floor));
	SBX_ALLOW(p, SCMP_SYS(fsync), "fs-shim: FSYNC of stdin", SCMP_A0(SCMP_CMP_EQ, 0));
	SBX_ALLOW(p, SCMP_SYS(ftruncate), "fs-shim: TRUNCATE", SCMP_A0(SCMP_CMP_GE, floor));
	sbx_allow(p, SCMP_SYS(mkdirat), "fs-shim: MKDIR (one name in a directory opened beneath a "
	          "grant)", 0, NULL);
	SBX_ALLOW(p, SCMP_SYS(unlinkat), "fs-shim: UNLINK (one name)", SCMP_A2(SCMP_CMP_EQ, 0));
	SBX_ALLOW(p, SCMP_SYS(unlinkat), "fs-shim: UNLINK (one name)",
	          SCMP_A2(SCMP_CMP_EQ, AT_REMOVEDIR));
	sbx_allow(p, SCMP_SYS(renameat), "fs-shim: RENAME (one name each)", 0, NULL);
	SBX_ALLOW(p, SCMP_SYS(linkat), "fs-shim: LINK (one name each, the link not followed)",
	          SCMP_A4(SCMP_CMP_EQ, 0));
	sbx_allow(p, SCMP_SYS(symlinkat), "fs-shim: SYMLINK (one name)", 0, NULL);
	SBX_ALLOW(p, SCMP_SYS(readlinkat), "fs-shim: READLINK, links met while resolving "
	          "(an O_PATH descriptor, empty path)", SCMP_A3(SCMP_CMP_LE, NH_PATH_MAX + 1));
	/* Metadata changes on real descriptors only (opened under Landlock):
	 * fchmodat2/utimensat on O_PATH descriptors would reach any file. */
	SBX_ALLOW(p, SCMP_SYS(fchmod), "fs-shim: CHMOD (a descriptor opened beneath a grant)",
	          SCMP_A0(SCMP_CMP_GE, floor));
	SBX_ALLOW(p, SCMP_SYS(utimensat), "fs-shim: UTIMENS (futimens: no path, no flags)",
	          SCMP_A0(SCMP_CMP_GE, floor), SCMP_A1(SCMP_CMP_EQ, 0), SCMP_A3(SCMP_CMP_EQ, 0));
}
