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
 * the fstat system call itself (see fsshim.h).
 */
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
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

int fsshim_fstat(int fd, struct stat *st)
{
	return (int)syscall(SYS_fstat, fd, st);
}
