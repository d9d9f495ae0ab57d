/*
 * hook_mem.c - NH_OP_MEM_PROTECT, NH_OP_MEM_RELEASE, NH_OP_MEM_MAP.
 *
 * Contract (nonehost_abi.h, "Memory protection"): mem_protect(addr, len,
 * prot) sets the access of the pages of [addr, addr+len) to prot, as
 * mprotect(2), inside the window from the end of the image's read-only
 * segments (ro_end) to the initial stack's guard page: the guest's data and
 * heap. Checked in mprotect's order: prot bits other than NH_PROT_READ and
 * NH_PROT_WRITE, then an unaligned addr, are -EINVAL; len 0 is 0; a range
 * that wraps or leaves the window is -ENOMEM. NH_PROT_WRITE alone means
 * read and write, as on every machine we run on. ram_protect() keeps the
 * ranges that ram_readable() and ram_writable() then refuse.
 *
 * The window keeps the image's code and read-only data, the initial stack
 * (the host's fault handler and time slices run there), the host block and
 * the argument area out of the guest's reach, and there is no execute bit:
 * seccomp pins PROT_EXEC off the host's mprotect too (sandbox/sbx_policy.c).
 *
 * mem_release(addr, len): madvise(MADV_DONTNEED) of the heap's pages, from
 * the first page after the image to the guard page, with mem_protect's
 * checks and errors; madvise's own errors as -errno.
 *
 * mem_map(addr, len, prot, flags, fd, offset): mmap(2) with MAP_FIXED of
 * the handle's host file over heap pages (mem_release's window), or fresh
 * anonymous pages (NH_MAP_ANON). Checked in mmap's order: flags, prot, an
 * unaligned or negative offset, an unaligned addr (-EINVAL), len 0
 * (-EINVAL, as mmap), the window (-ENOMEM), then the handle (-EBADF, or
 * -ENODEV for one with no file); the kernel checks the rest (a read-only
 * handle mapped shared and writable: -EACCES). seccomp lets the host map
 * only with MAP_FIXED, never executable (sandbox/sbx_policy.c).
 */
#include <errno.h>
#include <sys/mman.h>

#include "host.h"

/* The page-aligned addr and len rounded up to pages: *end, 0 when the
 * range lies in [lo, guard page), 1 when len is 0; else -errno. */
static int64_t window(const struct nh_host *h, uint64_t lo, uint64_t addr, uint64_t len,
                      uint64_t *end)
{
	if (addr % NH_PAGE_SIZE != 0)
		return -NH_EINVAL;
	if (len == 0)
		return 1;
	if (__builtin_add_overflow(addr, len, end) || *end > UINT64_MAX - NH_PAGE_SIZE + 1)
		return -NH_ENOMEM;
	*end = PAGE_UP(*end);
	if (lo == 0 || addr < lo || *end > h->guard_lo)
		return -NH_ENOMEM;
	return 0;
}

/* The window of MEM_RELEASE and MEM_MAP: the heap's pages only. The
 * image's data above ro_end is a private map of the image file, where
 * MADV_DONTNEED would bring the file's bytes back and a map would replace
 * them. 0 (no window) before the image is loaded. */
static uint64_t heap_start(const struct nh_host *h)
{
	return h->ro_end != 0 ? PAGE_UP(h->img.image_end) : 0;
}

/* A valid prot (NH_PROT_READ and NH_PROT_WRITE only, checked by the
 * caller) as the ranges keep it: WRITE alone is read and write. */
static uint32_t prot_arg(uint64_t prot)
{
	return prot & NH_PROT_WRITE ? NH_PROT_READ | NH_PROT_WRITE : (uint32_t)prot;
}

int64_t hook_mem_protect(struct nh_host *h, const uint64_t a[6])
{
	uint64_t end;
	int64_t r;

	if (a[2] & ~(uint64_t)(NH_PROT_READ | NH_PROT_WRITE))
		return -NH_EINVAL;
	r = window(h, h->ro_end, a[0], a[1], &end);
	return r != 0 ? (r > 0 ? 0 : r) : ram_protect(h, a[0], end, prot_arg(a[2]));
}

int64_t hook_mem_release(struct nh_host *h, const uint64_t a[6])
{
	uint64_t end;
	int64_t r = window(h, heap_start(h), a[0], a[1], &end);

	if (r != 0)
		return r > 0 ? 0 : r;
	if (madvise((void *)(uintptr_t)a[0], (size_t)(end - a[0]), MADV_DONTNEED) != 0)
		return -errno;
	return 0;
}

int64_t hook_mem_map(struct nh_host *h, const uint64_t a[6])
{
	const uint64_t addr = a[0], len = a[1], flags = a[3], offset = a[5];
	uint64_t end;
	int64_t r;
	int kflags, fd = -1;

	switch (flags) {
	case NH_MAP_SHARED: kflags = MAP_SHARED; break;
	case NH_MAP_PRIVATE: kflags = MAP_PRIVATE; break;
	case NH_MAP_ANON | NH_MAP_PRIVATE: kflags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE; break;
	default: return -NH_EINVAL;
	}
	if (a[2] & ~(uint64_t)(NH_PROT_READ | NH_PROT_WRITE))
		return -NH_EINVAL;
	if (!(flags & NH_MAP_ANON) && (offset % NH_PAGE_SIZE != 0 || offset > INT64_MAX ||
	                               (sizeof(off_t) < 8 && offset > UINT64_C(0xffffffff))))
		return -NH_EINVAL;
	if (len == 0)
		return -NH_EINVAL;
	r = window(h, heap_start(h), addr, len, &end);
	if (r != 0)
		return r;
	if (!(flags & NH_MAP_ANON) && (fd = fsshim_map_fd(&h->fs, a[4])) < 0)
		return fd;
	return ram_map_over(h, addr, end, prot_arg(a[2]), kflags, fd,
	                    flags & NH_MAP_ANON ? 0 : offset);
}
