/*
 * hook_mem.c - NH_OP_MEM_PROTECT.
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
 */
#include "host.h"

int64_t hook_mem_protect(struct nh_host *h, const uint64_t a[6])
{
	uint64_t addr = a[0], len = a[1], end;
	uint32_t prot;

	if (a[2] & ~(uint64_t)(NH_PROT_READ | NH_PROT_WRITE))
		return -NH_EINVAL;
	prot = a[2] & NH_PROT_WRITE ? NH_PROT_READ | NH_PROT_WRITE : (uint32_t)a[2];
	if (addr % NH_PAGE_SIZE != 0)
		return -NH_EINVAL;
	if (len == 0)
		return 0;
	if (__builtin_add_overflow(addr, len, &end) || end > UINT64_MAX - NH_PAGE_SIZE + 1)
		return -NH_ENOMEM;
	end = (end + NH_PAGE_SIZE - 1) & ~(NH_PAGE_SIZE - 1);
	if (h->ro_end == 0 || addr < h->ro_end || end > h->guard_lo)
		return -NH_ENOMEM;
	return ram_protect(h, addr, end, prot);
}
