/*
 * fsshim_path.c - the guest's arguments to the file ops, checked.
 *
 * Contract: fsshim_guest_path() copies a path out of guest RAM into a host
 * buffer of NH_PATH_MAX + 1 bytes and NUL-terminates it. The checks, in
 * this order: longer than NH_PATH_MAX is -NH_ENAMETOOLONG (nothing is
 * read), a range that is not readable guest RAM is -NH_EFAULT, a NUL byte
 * inside is -NH_EINVAL, an empty path is -NH_ENOENT. The copy is what the
 * host resolves: the guest cannot change it while the host works.
 * fsshim_open_flags() translates NH_O_* to the host's O_* bit by bit (any
 * other bit is -NH_EINVAL) and adds O_CLOEXEC | O_NOCTTY. fsshim_fstat() is
 * the fstat system call itself (see fsshim.h), on a 32-bit host statx of
 * the descriptor alone.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "host.h"

int fsshim_guest_path(const struct nh_host *h, uint64_t p, uint64_t len, char *buf)
{
	if (len > NH_PATH_MAX)
		return -NH_ENAMETOOLONG;
	if (!ram_readable(h, p, len))
		return -NH_EFAULT;
	if (len == 0)
		return -NH_ENOENT;
	memcpy(buf, (const void *)(uintptr_t)p, len);
	buf[len] = '\0';
	if (memchr(buf, '\0', len) != NULL)
		return -NH_EINVAL;
	return 0;
}

int fsshim_open_flags(uint64_t f, int *oflags)
{
	static const struct {
		uint64_t nh;
		int host;
	} bits[] = {
		{NH_O_CREAT, O_CREAT},         {NH_O_EXCL, O_EXCL},
		{NH_O_TRUNC, O_TRUNC},         {NH_O_APPEND, O_APPEND},
		{NH_O_DIRECTORY, O_DIRECTORY}, {NH_O_NOFOLLOW, O_NOFOLLOW},
	};
	uint64_t known = NH_O_ACCMODE | NH_O_SYNC;
	int o;

	switch (f & NH_O_ACCMODE) {
	case NH_O_RDONLY: o = O_RDONLY; break;
	case NH_O_WRONLY: o = O_WRONLY; break;
	case NH_O_RDWR: o = O_RDWR; break;
	default: return -NH_EINVAL;
	}
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		known |= bits[i].nh;
		if (f & bits[i].nh)
			o |= bits[i].host;
	}
	if ((f & NH_O_SYNC) == NH_O_SYNC) /* two bits: O_DSYNC alone is not in the ABI */
		o |= O_SYNC;
	else if (f & NH_O_SYNC)
		return -NH_EINVAL;
	if (f & ~known)
		return -NH_EINVAL;
	*oflags = o | O_CLOEXEC | O_NOCTTY;
	return 0;
}

#ifdef FSSHIM_FSTAT_STATX
/* A 32-bit host (arm): fstat and fstat64 fill the kernel's old structures
 * (32-bit times, not glibc's struct stat with _TIME_BITS=64), so statx on
 * the descriptor itself, its path the one empty string below: the seccomp
 * rule pins the pointer (read-only memory), so the call can name no path. */
const char fsshim_empty_path[1] = "";

int fsshim_fstat(int fd, struct stat *st)
{
	struct statx x;

	if (syscall(SYS_statx, fd, fsshim_empty_path, AT_EMPTY_PATH, STATX_BASIC_STATS, &x) != 0)
		return -1;
	*st = (struct stat){
		.st_dev = makedev(x.stx_dev_major, x.stx_dev_minor),
		.st_ino = x.stx_ino,
		.st_mode = x.stx_mode,
		.st_nlink = x.stx_nlink,
		.st_uid = x.stx_uid,
		.st_gid = x.stx_gid,
		.st_rdev = makedev(x.stx_rdev_major, x.stx_rdev_minor),
		.st_size = (off_t)x.stx_size,
		.st_blksize = (blksize_t)x.stx_blksize,
		.st_blocks = (blkcnt_t)x.stx_blocks,
		.st_atim = {x.stx_atime.tv_sec, x.stx_atime.tv_nsec},
		.st_mtim = {x.stx_mtime.tv_sec, x.stx_mtime.tv_nsec},
		.st_ctim = {x.stx_ctime.tv_sec, x.stx_ctime.tv_nsec},
	};
	return 0;
}
#else
int fsshim_fstat(int fd, struct stat *st)
{
	return (int)syscall(SYS_fstat, fd, st);
}
#endif
