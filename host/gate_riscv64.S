/*
 * gate_riscv64.S - the one crossing between the guest and the host (riscv64).
 *
 * gate_entry (its address is hostblock.gate), called by the guest with JALR:
 *     a7 = op, a0-a5 = a0..a5, ra = the return address  (nonehost_abi.h)
 * saves the guest sp, switches to the host-call stack (nh_host.gate_stack_top,
 * the first field of the host context), saves the guest's sp, ra, gp and tp
 * there, loads the host's gp (__global_pointer$) and tp (nh_host.gate_tp,
 * kept by gate_init), stores a0..a5 as an array on that stack and calls
 *     int64_t gate_dispatch(uint64_t op, const uint64_t a[6])
 * then restores the guest's tp, gp, ra and sp and returns a0. s0-s11 survive
 * because gate_dispatch preserves them (the psABI). gp and tp are the
 * host's anyway (the ABI forbids the guest to change them, since the host's
 * signal handlers run on them); loading them here keeps C code out of
 * whatever a misbehaving guest left there, and putting the guest's back
 * keeps the ABI's "preserved". Only t0 and t1 are used before the switch,
 * both temporaries the ABI clobbers. The whole file is norelax: the linker
 * must not turn an address into a gp-relative one, and gp is the guest's
 * until it is reloaded. No system calls; the gate touches no guest memory
 * (the ABI: no guest stack). It is not reentrant (one host-call stack): the
 * host never calls the guest.
 *
 * gate_enter(entry, stack_top, hostblock) leaves the host for good: it jumps
 * to entry with sp = stack_top, a0 = hostblock, gp and tp the host's (the
 * ABI) and every other general-purpose register zero but t1, which the jump
 * goes through and so holds entry (RISC-V has no jump to an address that is
 * in no register; ra stays zero, so a return from the entry point faults at
 * 0).
 */

	.option	norelax

	.set	FRAME, 80		/* a0..a5, tp, gp, ra, guest sp: 16-byte aligned */

	.text

	.globl	gate_entry
	.type	gate_entry, @function
	.p2align 2
gate_entry:
	mv	t0, sp				/* guest sp */
	lla	t1, nh_host
	ld	sp, 0(t1)			/* nh_host.gate_stack_top, 16-byte aligned */
	addi	sp, sp, -FRAME
	sd	t0, 72(sp)			/* guest sp */
	sd	ra, 64(sp)
	sd	gp, 56(sp)
	sd	tp, 48(sp)
	sd	a5, 40(sp)
	sd	a4, 32(sp)
	sd	a3, 24(sp)
	sd	a2, 16(sp)
	sd	a1, 8(sp)
	sd	a0, 0(sp)			/* a0..a5: the array */
	ld	tp, 8(t1)			/* nh_host.gate_tp */
	lla	gp, __global_pointer$
	mv	a1, sp				/* a */
	mv	a0, a7				/* op */
	call	gate_dispatch
	ld	tp, 48(sp)
	ld	gp, 56(sp)
	ld	ra, 64(sp)
	ld	sp, 72(sp)			/* back to the guest stack */
	ret
	.size	gate_entry, .-gate_entry

	.globl	gate_enter
	.type	gate_enter, @function
	.p2align 2
gate_enter:
	mv	sp, a1				/* stack_top */
	mv	t1, a0				/* entry */
	mv	a0, a2				/* hostblock */
	li	ra, 0				/* gp (x3) and tp (x4) stay */
	li	t0, 0
	li	t2, 0
	li	s0, 0
	li	s1, 0
	li	a1, 0
	li	a2, 0
	li	a3, 0
	li	a4, 0
	li	a5, 0
	li	a6, 0
	li	a7, 0
	li	s2, 0
	li	s3, 0
	li	s4, 0
	li	s5, 0
	li	s6, 0
	li	s7, 0
	li	s8, 0
	li	s9, 0
	li	s10, 0
	li	s11, 0
	li	t3, 0
	li	t4, 0
	li	t5, 0
	li	t6, 0
	jr	t1				/* to entry, sp = stack_top */
	.size	gate_enter, .-gate_enter

	.section .note.GNU-stack, "", @progbits
