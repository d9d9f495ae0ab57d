/*
 * hook_fault.c - NH_OP_FAULT: register the guest's fault handler.
 *
 * Contract: fault(handler_pc, info) registers handler_pc (which must lie in
 * an executable segment of the image) and info (a struct nh_fault, 8-byte
 * aligned, in writable guest RAM) for synchronous faults in guest code; see
 * fault.c for delivery. fault(0, 0) unregisters. Anything else is -EINVAL
 * (handler not in guest text, or misaligned info) or -EFAULT (info not
 * writable). Returns 0.
 */
#include "host.h"

int64_t hook_fault(struct nh_host *h, const uint64_t a[6])
{
	uint64_t pc = a[0], info = a[1];

	if (pc == 0 && info == 0) {
		h->fault_handler = 0;
		h->fault_info = 0;
		return 0;
	}
	if (!ram_in_text(h, pc) || info % 8 != 0)
		return -NH_EINVAL;
	if (!ram_writable(h, info, sizeof(struct nh_fault)))
		return -NH_EFAULT;
	h->fault_info = info;
	h->fault_handler = pc;
	return 0;
}
