/*
 * gate_arm.S - the one crossing between the guest and the host (32-bit arm).
 *
 * gate_entry (its address is hostblock.gate), called by the guest with BLX:
 *     r7 = op, r0 = the guest address of a0..a5 (six 64-bit values: 32-bit
 *     registers cannot carry them), lr = the return address  (nonehost_abi.h)
 * keeps the guest sp in r12, switches to the host-call stack
 * (nh_host.gate_stack_top, the first field of the host context: its low
 * word, little-endian), saves the guest sp and lr there (the call below
 * overwrites lr) and calls
 *     int64_t gate_dispatch_mem(uint32_t op, uint32_t args)   (gate.c)
 * which checks the 48 bytes with ram_readable (-NH_EFAULT if not guest
 * RAM), copies them out and calls gate_dispatch. Then it switches back to
 * the guest stack and returns the int64 in r0 (low word) and r1 (high word)
 * to lr with BX, so a Thumb caller gets back to Thumb state. r4-r11 survive
 * because gate_dispatch_mem preserves them (AAPCS); sp is restored from the
 * host stack. Only r0, r1 and r12 are used before the call, all three
 * scratch in AAPCS and clobbered by the ABI. No system calls and no thread
 * pointer switch: TPIDRURO is the host's throughout (the kernel's, which
 * the guest cannot write). The gate itself touches no guest memory (the
 * ABI: no guest stack; the arguments are read in C). It is not reentrant
 * (one host-call stack): the host never calls the guest. ARM state, as the
 * guest's code: the host's C code is Thumb-2 (Debian's armhf default), and
 * the linker turns the BL into a BLX to reach it.
 *
 * gate_enter(entry, stack_top, hostblock) leaves the host for good. Its
 * three uint64_t arguments come in r0:r1, r2:r3 and on the stack (AAPCS),
 * low words first, all three addresses below 4 GiB. It jumps to entry in
 * ARM state with sp = stack_top, r0 = hostblock, the condition flags (NZCVQ
 * and GE) clear and every other general-purpose register zero but r12, the
 * intra-procedure scratch register the branch goes through, which holds
 * entry (bit 0 clear: elf_load.c accepts only a 4-byte aligned entry for
 * arm, so BX stays in ARM state; lr stays zero, so a return from the entry
 * point faults at 0).
 */

	.syntax	unified
	.arm
	.text

	.globl	gate_entry
	.type	gate_entry, %function
	.p2align 2
gate_entry:
	mov	r12, sp				/* guest sp */
	ldr	r1, .Lnh_host
.Lnh_host_pc:
	add	r1, pc, r1			/* &nh_host (pc reads as . + 8) */
	ldr	sp, [r1]			/* nh_host.gate_stack_top, page-aligned */
	push	{r12, lr}			/* [top-8] guest sp, [top-4] return address;
						 * sp stays 8-byte aligned (AAPCS) */
	mov	r1, r0				/* args */
	mov	r0, r7				/* op */
	bl	gate_dispatch_mem		/* the int64 result in r0:r1 */
	pop	{r12, lr}
	mov	sp, r12				/* back to the guest stack */
	bx	lr
	.p2align 2
.Lnh_host:
	.word	nh_host - (.Lnh_host_pc + 8)
	.size	gate_entry, .-gate_entry

	.globl	gate_enter
	.type	gate_enter, %function
	.p2align 2
gate_enter:
	mov	r12, r0				/* entry (low word) */
	ldr	r0, [sp]			/* hostblock (low word of the third argument) */
	mov	sp, r2				/* stack_top (low word) */
	mov	r1, #0
	mov	r2, #0
	mov	r3, #0
	mov	r4, #0
	mov	r5, #0
	mov	r6, #0
	mov	r7, #0
	mov	r8, #0
	mov	r9, #0
	mov	r10, #0
	mov	r11, #0
	mov	lr, #0
	msr	APSR_nzcvqg, r1			/* N, Z, C, V, Q and GE[3:0] clear */
	bx	r12				/* to entry, ARM state, sp = stack_top */
	.size	gate_enter, .-gate_enter

	.section .note.GNU-stack, "", %progbits
