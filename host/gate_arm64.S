/*
 * gate_arm64.S - the one crossing between the guest and the host (arm64).
 *
 * gate_entry (its address is hostblock.gate), called by the guest with BLR:
 *     x8 = op, x0-x5 = a0..a5, x30 = the return address  (nonehost_abi.h)
 * saves the guest SP, switches to the host-call stack (nh_host.gate_stack_top,
 * the first field of the host context), saves the guest SP and x30 there
 * (gate_dispatch's BL overwrites x30), stores a0..a5 as an array on that
 * stack and calls
 *     int64_t gate_dispatch(uint64_t op, const uint64_t a[6])
 * then switches back to the guest stack and returns x0 to x30. x19-x29
 * survive because gate_dispatch preserves them (AAPCS64); SP is restored
 * from the host stack. Only x9 and x10 are used before the call, both
 * scratch in AAPCS64 and clobbered by the ABI. No system calls and no
 * TPIDR_EL0 switch: it holds the host's glibc TLS pointer throughout, as
 * riscv64's tp does, so the guest must not change it (the host's signal
 * handlers run on whatever it left there). The gate touches no guest memory
 * at all (the ABI: no guest stack). It is not reentrant (one host-call
 * stack): the host never calls the guest.
 *
 * gate_enter(entry, stack_top, hostblock) leaves the host for good: it jumps
 * to entry with SP = stack_top, x0 = hostblock, the condition flags clear
 * and every other general-purpose register zero but x16, the intra-procedure
 * scratch register the branch goes through, which holds entry (AArch64 has
 * no branch to an address that is in no register; x30 stays zero, so a
 * return from the entry point faults at 0).
 */

	.text

	.globl	gate_entry
	.type	gate_entry, %function
	.p2align 4
gate_entry:
	mov	x9, sp				/* guest SP */
	adrp	x10, nh_host
	ldr	x10, [x10, :lo12:nh_host]	/* nh_host.gate_stack_top, 16-byte aligned */
	mov	sp, x10
	stp	x9, x30, [sp, #-16]!		/* [top-16] guest SP, [top-8] return address */
	stp	x4, x5, [sp, #-16]!
	stp	x2, x3, [sp, #-16]!
	stp	x0, x1, [sp, #-16]!		/* a0..a5 at top-64: the array */
	mov	x1, sp				/* a */
	mov	x0, x8				/* op */
	bl	gate_dispatch
	ldp	x9, x30, [sp, #48]
	mov	sp, x9				/* back to the guest stack */
	ret
	.size	gate_entry, .-gate_entry

	.globl	gate_enter
	.type	gate_enter, %function
	.p2align 4
gate_enter:
	mov	sp, x1				/* stack_top */
	mov	x16, x0				/* entry */
	mov	x0, x2				/* hostblock */
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	mov	x4, xzr
	mov	x5, xzr
	mov	x6, xzr
	mov	x7, xzr
	mov	x8, xzr
	mov	x9, xzr
	mov	x10, xzr
	mov	x11, xzr
	mov	x12, xzr
	mov	x13, xzr
	mov	x14, xzr
	mov	x15, xzr
	mov	x17, xzr
	mov	x18, xzr
	mov	x19, xzr
	mov	x20, xzr
	mov	x21, xzr
	mov	x22, xzr
	mov	x23, xzr
	mov	x24, xzr
	mov	x25, xzr
	mov	x26, xzr
	mov	x27, xzr
	mov	x28, xzr
	mov	x29, xzr
	mov	x30, xzr
	msr	nzcv, xzr
	br	x16				/* to entry, SP = stack_top */
	.size	gate_enter, .-gate_enter

	.section .note.GNU-stack, "", %progbits
