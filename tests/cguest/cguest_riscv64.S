/*
 * cguest_riscv64.S - the small riscv64 test guest (run by
 * tests/cguest/run_foreign.sh under qemu-riscv64; the amd64 cguest.S has the
 * full set of modes).
 *
 * Contract: entered by nonehost with a0 = host block, sp = stack_top, gp and
 * tp the host's, and every other general-purpose register zero but t1 (the
 * jump register: host/gate_riscv64.S). It checks those registers, the host
 * block magic and version (unimp if wrong: nothing else can be trusted
 * then), then runs the mode named by argv[1] (default "hello"):
 *   hello    write "hello from riscv64" with NH_OP_WRITE; s0-s11, sp, gp and
 *            tp survive a gate call, and the 64 bytes below sp are untouched
 *            (the gate uses no guest stack); "regs ok"; exit 0
 *   exit N   exit with status N (decimal)
 *   fault    load from address 0, no handler: the host reports it, 139
 *   handler  register a fault handler (NH_OP_FAULT), load from address 0:
 *            the handler gets SIGSEGV, addr 0 and the load's PC in nh_fault,
 *            sp and s1-s11 as at the fault; "handler ok", exit 3
 *   preempt  register a preemption handler (NH_OP_PREEMPT) with a context
 *            and a resume breakpoint, and spin: the handler checks the
 *            interrupted context, changes it and ends at the breakpoint; the
 *            loop goes on with the changed context (nonehost_abi.h
 *            "Preemption"); "preempt ok", exit 0
 *   pipe     PROC_PIPE, NET_POLL of its read end (tag 7), one byte written
 *            (FS_WRITE), IDLE (1 s at most) reports it readable: "pipe ok",
 *            exit 0 (the readiness backend, epoll under qemu-user)
 * Failures print "cguest: FAIL: <what>" on stderr and exit 1.
 * s0 holds the host block throughout, except inside the register check. gp
 * and tp are never written (the ABI), and nothing may be addressed through
 * gp: the file is norelax, so the linker makes no gp-relative access of it.
 */
#include "abi.inc"

	.option	norelax

/* Call the host: a7 = op, arguments already in a0-a5. */
.macro NHCALL op
	li	a7, \op
	ld	t0, NH_HB_GATE(s0)
	jalr	t0
.endm

/* Write a literal string on fd (1 or 2). */
.macro WRITE fd, str
	.pushsection .rodata
.Ls\@:	.ascii	"\str"
.Le\@:
	.popsection
	li	a0, \fd
	lla	a1, .Ls\@
	lla	a2, .Le\@
	sub	a2, a2, a1
	NHCALL	NH_OP_WRITE
.endm

/* Fail: the message on stderr, exit 1. */
.macro FAIL what:vararg
	WRITE	2, "cguest: FAIL: \what\n"
	li	a0, 1
	NHCALL	NH_OP_EXIT
.endm

/* Fail unless "b<cond> x, y" branches. */
.macro CHECK cond, x, y, what:vararg
	b\cond	\x, \y, .Lok\@
	FAIL	\what
.Lok\@:
.endm

	.text

	.globl	_start
	.type	_start, @function
_start:
	mv	t0, zero			/* every GPR but a0, sp, gp, tp, t1 zero? */
	.irp	r, ra,t2,s0,s1,a1,a2,a3,a4,a5,a6,a7,s2,s3,s4,s5,s6,s7,s8,s9,s10,s11,t3,t4,t5,t6
	or	t0, t0, \r
	.endr
	mv	s0, a0
	CHECK	eq, t0, zero, registers not zero at entry
	CHECK	ne, gp, zero, gp is zero at entry
	CHECK	ne, tp, zero, tp is zero at entry
	lla	t0, saved			/* gp and tp as the host set them */
	sd	gp, 8(t0)
	sd	tp, 16(t0)
	ld	t0, NH_HB_MAGIC(s0)
	li	t1, NH_ABI_MAGIC
	bne	t0, t1, 1f
	lw	t0, NH_HB_ABI_VERSION(s0)
	li	t1, NH_ABI_VERSION
	beq	t0, t1, 2f
1:	unimp
2:	ld	t0, NH_HB_STACK_TOP(s0)
	CHECK	eq, t0, sp, sp is not hostblock.stack_top
	ld	s1, NH_HB_ARGC(s0)
	ld	s2, NH_HB_ARGV(s0)
	li	t0, 2
	bltu	s1, t0, mode_hello
	ld	s3, 8(s2)			/* argv[1] */
	lla	s4, modes
3:	ld	a1, 0(s4)
	beqz	a1, 4f
	mv	a0, s3
	call	streq
	bnez	a0, 5f
	addi	s4, s4, 16
	j	3b
4:	FAIL	unknown mode
5:	ld	t0, 8(s4)
	jr	t0
	.size	_start, .-_start

/* ---- modes ---------------------------------------------------------- */

mode_hello:
	WRITE	1, "hello from riscv64\n"
	li	t0, 19
	CHECK	eq, a0, t0, write returned its length
	.irp	i, 1,2,3,4,5,6,7,8		/* 64 bytes below sp: a pattern */
	li	t0, 0x5a0 + \i
	sd	t0, -8 * \i(sp)
	.endr
	lla	t0, saved
	sd	s0, 0(t0)
	ld	t2, NH_HB_GATE(s0)
	.irp	r, 0,1,2,3,4,5,6,7,8,9,10,11	/* s<r> = 0xc0de0000 + r */
	li	s\r, 0xc0de0000 + \r
	.endr
	li	a7, NH_OP_NANOTIME
	jalr	t2
	bgtz	a0, 6f
	li	s0, 0				/* nanotime failed: the check below fails */
6:	.irp	r, 0,1,2,3,4,5,6,7,8,9,10,11
	li	t0, 0xc0de0000 + \r
	bne	s\r, t0, regs_bad
	.endr
	lla	t0, saved
	ld	s0, 0(t0)
	ld	t1, 8(t0)
	CHECK	eq, gp, t1, gp changed across gate calls
	ld	t1, 16(t0)
	CHECK	eq, tp, t1, tp changed across gate calls
	ld	t0, NH_HB_STACK_TOP(s0)
	CHECK	eq, sp, t0, sp changed across the gate
	.irp	i, 1,2,3,4,5,6,7,8
	ld	t0, -8 * \i(sp)
	li	t1, 0x5a0 + \i
	CHECK	eq, t0, t1, the gate wrote below sp
	.endr
	WRITE	1, "regs ok\n"
	li	a0, 0
	NHCALL	NH_OP_EXIT
regs_bad:
	lla	t0, saved
	ld	s0, 0(t0)
	FAIL	s0-s11 not preserved by the gate

mode_exit:
	li	t0, 3
	CHECK	geu, s1, t0, exit needs a status
	ld	a0, 16(s2)
	call	atou
	NHCALL	NH_OP_EXIT

mode_fault:
	mv	t2, zero
	.type	null_load, @function
null_load:
	ld	t3, 0(t2)
	FAIL	no fault
	.size	null_load, .-null_load

mode_handler:
	lla	a0, on_fault
	lla	a1, fault_info
	NHCALL	NH_OP_FAULT
	CHECK	eq, a0, zero, fault registration
	mv	s1, sp				/* s1-s11 survive the fault */
	li	s11, 0x77
	mv	t2, zero
handler_load:
	ld	t3, 0(t2)
	FAIL	no fault

	.type	on_fault, @function
on_fault:
	CHECK	eq, sp, s1, sp as at the fault
	li	t0, 0x77
	CHECK	eq, s11, t0, s11 as at the fault
	lla	t0, fault_info
	ld	t1, 0(t0)
	li	t2, 11
	CHECK	eq, t1, t2, nh_fault.signo is SIGSEGV
	ld	t1, 16(t0)
	CHECK	eq, t1, zero, nh_fault.addr is 0
	ld	t1, 24(t0)
	lla	t2, handler_load
	CHECK	eq, t1, t2, nh_fault.pc is the load
	WRITE	1, "handler ok\n"
	li	a0, 3
	NHCALL	NH_OP_EXIT
	.size	on_fault, .-on_fault

mode_preempt:
	lla	a0, on_tick
	lla	a1, tickctx
	lla	a2, tick_resume
	NHCALL	NH_OP_PREEMPT
	CHECK	eq, a0, zero, preempt registration
	mv	s1, sp
	li	s2, 0
	lla	s3, ticked
	li	s4, 0
spin:
	addi	s2, s2, 1
	ld	t0, 0(s3)
	beqz	t0, spin
spin_end:
	CHECK	eq, sp, s1, sp back where it was
	CHECK	ne, s2, zero, s2 restored from the context
	li	t0, 0x1234
	CHECK	eq, s4, t0, s4 loaded from the context the handler changed
	WRITE	1, "preempt ok\n"
	li	a0, 0
	NHCALL	NH_OP_EXIT

	/* Every register as interrupted; tickctx (struct nh_cpu: pc 0, sp 8,
	 * register xN at 16+8N) holds the interrupted PC, SP and registers.
	 * The handler checks them, sets ticked, puts 0x1234 in the context's
	 * s4 (x20), clobbers t0, t1 and s2 (x18), and ends at the resume
	 * breakpoint: the host loads the context, so the loop goes on with s2
	 * as it was and s4 changed. */
	.type	on_tick, @function
on_tick:
	/* A tick before the loop (the timer runs from the registration on, and
	 * a loaded machine may fire it there): s1-s4 are not set yet, and
	 * nothing is checked; the loop waits for the next one. */
	lla	t1, tickctx
	ld	t0, 0(t1)
	lla	t2, spin
	bltu	t0, t2, tick_resume
	lla	t2, spin_end
	bgeu	t0, t2, tick_resume
	CHECK	eq, sp, s1, sp as interrupted
	lla	t1, tickctx
	ld	t0, 8(t1)
	CHECK	eq, t0, s1, nh_cpu.sp is the interrupted sp
	ld	t0, (16 + 8 * 18)(t1)
	CHECK	eq, t0, s2, nh_cpu.x[18] is s2
	li	t0, 1
	sd	t0, 0(s3)
	lla	t1, tickctx
	li	t0, 0x1234
	sd	t0, (16 + 8 * 20)(t1)
	li	s2, 0
tick_resume:
	ebreak
	.size	on_tick, .-on_tick

mode_pipe:
	lla	a0, pipefd
	NHCALL	NH_OP_PROC_PIPE
	CHECK	eq, a0, zero, proc_pipe
	lla	t0, pipefd
	lw	a0, 0(t0)
	li	a1, 7
	NHCALL	NH_OP_NET_POLL
	CHECK	eq, a0, zero, net_poll of the read end
	lla	t0, pipefd
	lw	a0, 4(t0)
	lla	a1, s_exit			/* any byte */
	li	a2, 1
	NHCALL	NH_OP_FS_WRITE
	li	t0, 1
	CHECK	eq, a0, t0, fs_write of one byte
	NHCALL	NH_OP_NANOTIME
	li	t0, 1000000000
	add	a0, a0, t0			/* until: 1 s from now */
	lla	a1, pollev
	li	a2, 1
	NHCALL	NH_OP_IDLE
	li	t0, 1
	CHECK	eq, a0, t0, idle reports one event
	lla	t0, pollev
	ld	t1, 0(t0)
	li	t2, 7
	CHECK	eq, t1, t2, the event's tag
	lw	t1, 8(t0)
	andi	t1, t1, NH_POLLIN
	CHECK	ne, t1, zero, the event is POLLIN
	WRITE	1, "pipe ok\n"
	li	a0, 0
	NHCALL	NH_OP_EXIT

/* ---- helpers (leaves: a0, a1 in, a0 out, t0-t3 scratch) ------------- */

/* a0 = 1 if the strings at a0 and a1 are equal, else 0. */
streq:
	lbu	t0, 0(a0)
	lbu	t1, 0(a1)
	addi	a0, a0, 1
	addi	a1, a1, 1
	bne	t0, t1, 1f
	bnez	t0, streq
	li	a0, 1
	ret
1:	li	a0, 0
	ret

/* a0 = the decimal number at a0 (digits only; stops at anything else). */
atou:
	mv	t1, a0
	li	a0, 0
	li	t2, 10
1:	lbu	t0, 0(t1)
	addi	t1, t1, 1
	addi	t0, t0, -'0'
	bgeu	t0, t2, 2f
	mul	a0, a0, t2
	add	a0, a0, t0
	j	1b
2:	ret

	.section .rodata
	.p2align 3
modes:
	.quad	s_hello, mode_hello
	.quad	s_exit, mode_exit
	.quad	s_fault, mode_fault
	.quad	s_handler, mode_handler
	.quad	s_preempt, mode_preempt
	.quad	s_pipe, mode_pipe
	.quad	0, 0
s_hello:	.asciz	"hello"
s_exit:		.asciz	"exit"
s_fault:	.asciz	"fault"
s_handler:	.asciz	"handler"
s_preempt:	.asciz	"preempt"
s_pipe:		.asciz	"pipe"

	.bss
	.p2align 3
saved:		.skip	24		/* s0 across the register check; gp, tp at entry */
ticked:		.skip	8
	.balign	8
tickctx:	.skip	272		/* struct nh_cpu */
fault_info:	.skip	32
pollev:		.skip	16
pipefd:		.skip	8

	.section .note.GNU-stack, "", @progbits
