/*
 * fsshim_readdir.c - NH_OP_FS_READDIR(fd, buf, len, cookie).
 *
 * Contract: fills [buf, buf+len) (writable guest RAM, else -EFAULT) with
 * whole struct nh_dirent records: a 24-byte header then namlen bytes of
 * name, not terminated or padded; next is the cookie that continues after
 * the entry. Returns the bytes used; 0 at the end; -EINVAL when not even
 * one record fits. Stops before a record that does not fit, so nothing is
 * lost: the guest continues from the last next it got.
 * A directory handle: lseek(fd, cookie) then getdents64 into the
 * preallocated buffer; next is the kernel's d_off; "." and ".." come as the
 * kernel reports them. A synthetic directory generates ".", ".." and the
 * next component of each grant (and of the served /dev/null) below it, with
 * cookies 1, 2, 3, ... Another handle is -ENOTDIR; a cookie above INT64_MAX
 * is -EINVAL.
 */
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "host.h"

static uint8_t nh_type(uint8_t t)
{
	switch (t) {
	case DT_BLK: return NH_DT_BLK;
	case DT_CHR: return NH_DT_CHR;
	case DT_DIR: return NH_DT_DIR;
	case DT_REG: return NH_DT_REG;
	case DT_SOCK: return NH_DT_SOCK;
	case DT_LNK: return NH_DT_LNK;
	default: return NH_DT_UNKNOWN;
	}
}

/* Append one record at out + *used if it fits in len. */
static bool put(uint8_t *out, uint64_t len, uint64_t *used, uint64_t next, uint64_t ino,
                const char *name, size_t namlen, uint8_t type)
{
	struct nh_dirent d = {.next = next, .ino = ino, .namlen = (uint32_t)namlen, .type = type};

	if (len - *used < sizeof(d) + namlen)
		return false;
	memcpy(out + *used, &d, sizeof(d));
	memcpy(out + *used + sizeof(d), name, namlen);
	*used += sizeof(d) + namlen;
	return true;
}

static int64_t synth_readdir(struct nh_host *h, const char *p, uint8_t *out, uint64_t len,
                             uint64_t cookie)
{
	size_t n = strlen(p), k = n;
	uint64_t used = 0, ino;
	char name[FSSHIM_NAME_MAX + 1];
	uint8_t type;

	while (k > 1 && p[k - 1] != '/') /* the parent, for ".." */
		k--;
	if (k > 1)
		k--;
	for (uint64_t i = cookie;; i++) {
		bool fits;

		if (i == 0)
			fits = put(out, len, &used, 1, fsshim_synth_ino(p, n), ".", 1, NH_DT_DIR);
		else if (i == 1)
			fits = put(out, len, &used, 2, fsshim_synth_ino(p, k), "..", 2, NH_DT_DIR);
		else if (i - 2 <= FSSHIM_MAX_GRANTS &&
		         fsshim_synth_child(&h->fs, p, n, (unsigned)(i - 2), name, &ino, &type))
			fits = put(out, len, &used, i + 1, ino, name, strlen(name), type);
		else
			break;
		if (!fits)
			return used == 0 ? -NH_EINVAL : (int64_t)used;
	}
	return (int64_t)used;
}

int64_t fsshim_op_readdir(struct nh_host *h, const uint64_t a[6])
{
	struct fsshim_handle *e = fsshim_handle(&h->fs, a[0]);
	uint8_t *out = (uint8_t *)(uintptr_t)a[1], *buf = h->fs.dirbuf;
	uint64_t len = a[2], used = 0;
	size_t want;
	long n;

	if (e == NULL)
		return -NH_EBADF;
	if (e->kind != FSSHIM_DIRH && e->kind != FSSHIM_SYNTH)
		return -NH_ENOTDIR;
	if (!ram_writable(h, a[1], len))
		return -NH_EFAULT;
	if (a[3] > INT64_MAX)
		return -NH_EINVAL;
	if (e->kind == FSSHIM_SYNTH)
		return synth_readdir(h, e->guest, out, len, a[3]);
	if (lseek(e->fd, (off_t)a[3], SEEK_SET) < 0)
		return -errno;
	/* At least 1 KiB: room for any one entry (names are at most 255 bytes). */
	want = len < 1024 ? 1024 : len > FSSHIM_DIRBUF ? FSSHIM_DIRBUF : (size_t)len;
	do
		n = syscall(SYS_getdents64, e->fd, buf, want);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	for (long off = 0; off < n;) {
		const struct linux_dirent64 *d = (const struct linux_dirent64 *)(buf + off);
		size_t namlen = strnlen(d->d_name, d->d_reclen - offsetof(struct linux_dirent64, d_name));

		if (!put(out, len, &used, (uint64_t)d->d_off, d->d_ino, d->d_name, namlen, nh_type(d->d_type)))
			return used == 0 ? -NH_EINVAL : (int64_t)used;
		off += d->d_reclen;
	}
	return (int64_t)used;
}
