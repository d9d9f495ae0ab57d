/*
 * cguest_arm64.S - the small arm64 test guest (run by tests/cguest/run_foreign.sh
 * under qemu-aarch64; the amd64 cguest.S has the full set of modes).
 *
 * Contract: entered by nonehost with x0 = host block, SP = stack_top and
 * every other general-purpose register zero but x16 (the branch register:
 * host/gate_arm64.S). It checks those registers, the host block magic and
 * version (udf if wrong: nothing else can be trusted then), then runs the
 * mode named by argv[1] (default "hello"):
 *   hello    write "hello from arm64" with NH_OP_WRITE; x19-x29 and SP survive
 *            a gate call, and the 64 bytes below SP are untouched (the gate
 *            uses no guest stack); "regs ok"; exit 0
 *   exit N   exit with status N (decimal)
 *   fault    load from address 0, no handler: the host reports it, 139
 *   handler  register a fault handler (NH_OP_FAULT), load from address 0:
 *            the handler gets SIGSEGV, addr 0 and the load's PC in nh_fault,
 *            SP and x19-x28 as at the fault; "handler ok", exit 3
 *   preempt  register a preemption handler (NH_OP_PREEMPT) with a context
 *            and a resume breakpoint, and spin: the handler checks the
 *            interrupted context, changes it and ends at the breakpoint; the
 *            loop goes on with the changed context (nonehost_abi.h
 *            "Preemption"); "preempt ok", exit 0
 *   pipe     PROC_PIPE, NET_POLL of its read end (tag 7), one byte written
 *            (FS_WRITE), IDLE (1 s at most) reports it readable: "pipe ok",
 *            exit 0 (the readiness backend, epoll under qemu-user)
 *   sigwait [pipe]  catch SIGUSR1 (NH_OP_SIGNAL), print "ready", IDLE with no
 *            deadline until its pending bit is set (with "pipe": a pipe's
 *            read end registered first, so the netstack-shim's epoll waits),
 *            take the bits (ldaxr/stlxr: the host block is writable there)
 *            and exit with the lowest one's signal number
 * Failures print "cguest: FAIL: <what>" on stderr and exit 1.
 * x19 holds the host block and x20 the initial SP, except inside the
 * register check.
 */
#include "abi.inc"

/* Address of sym, anywhere in the image. */
.macro LA reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
.endm

/* Call the host: x8 = op, arguments already in x0-x5. */
.macro NHCALL op
	mov	x8, #\op
	ldr	x16, [x19, #NH_HB_GATE]
	blr	x16
.endm

/* Write a literal string on fd (1 or 2). */
.macro WRITE fd, str
	.pushsection .rodata
.Ls\@:	.ascii	"\str"
.Le\@:
	.popsection
	mov	x0, #\fd
	LA	x1, .Ls\@
	mov	x2, #(.Le\@ - .Ls\@)
	NHCALL	NH_OP_WRITE
.endm

/* Fail: the message on stderr, exit 1. */
.macro FAIL what:vararg
	WRITE	2, "cguest: FAIL: \what\n"
	mov	x0, #1
	NHCALL	NH_OP_EXIT
.endm

/* Fail unless the flags say cond. */
.macro CHECK cond, what:vararg
	b.\cond	.Lok\@
	FAIL	\what
.Lok\@:
.endm

/* A pipe in pipefd whose read end IDLE reports with tag 7. */
.macro POLLED_PIPE
	LA	x0, pipefd
	NHCALL	NH_OP_PROC_PIPE
	cmp	x0, #0
	CHECK	eq, proc_pipe
	LA	x9, pipefd
	ldrsw	x0, [x9]
	mov	x1, #7
	NHCALL	NH_OP_NET_POLL
	cmp	x0, #0
	CHECK	eq, net_poll of the read end
.endm

	.text

	.globl	_start
	.type	_start, %function
_start:
	mov	x9, xzr				/* every GPR but x0, x16 zero? */
	.irp	r, 1,2,3,4,5,6,7,8,10,11,12,13,14,15,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	orr	x9, x9, x\r
	.endr
	mov	x19, x0
	mov	x20, sp
	cmp	x9, #0
	CHECK	eq, registers not zero at entry
	ldr	x9, [x19, #NH_HB_MAGIC]
	ldr	x10, =NH_ABI_MAGIC
	cmp	x9, x10
	b.ne	1f
	ldr	w9, [x19, #NH_HB_ABI_VERSION]
	cmp	w9, #NH_ABI_VERSION
	b.eq	2f
1:	udf	#0
2:	ldr	x9, [x19, #NH_HB_STACK_TOP]
	cmp	x9, x20
	CHECK	eq, SP is not hostblock.stack_top
	ldr	x21, [x19, #NH_HB_ARGC]
	ldr	x22, [x19, #NH_HB_ARGV]
	cmp	x21, #2
	b.lo	mode_hello
	ldr	x23, [x22, #8]			/* argv[1] */
	LA	x24, modes
3:	ldr	x1, [x24]
	cbz	x1, 4f
	mov	x0, x23
	bl	streq
	cbnz	x0, 5f
	add	x24, x24, #16
	b	3b
4:	FAIL	unknown mode
5:	ldr	x9, [x24, #8]
	br	x9
	.size	_start, .-_start

/* ---- modes ---------------------------------------------------------- */

mode_hello:
	WRITE	1, "hello from arm64\n"
	cmp	x0, #17
	CHECK	eq, write returned its length
	.irp	i, 0,1,2,3,4,5,6,7		/* 64 bytes below SP: a pattern */
	mov	x9, #(0x5a0 + \i)
	str	x9, [sp, #-(8 + 8 * \i)]
	.endr
	LA	x9, hb
	str	x19, [x9]
	ldr	x17, [x19, #NH_HB_GATE]
	.irp	r, 19,20,21,22,23,24,25,26,27,28,29	/* x<r> = 0xc0de0000 + r */
	movz	x\r, #(0xc0de >> 0), lsl #16
	movk	x\r, #\r
	.endr
	mov	x8, #NH_OP_NANOTIME
	blr	x17
	cmp	x0, #0
	b.gt	6f
	mov	x19, xzr			/* not reached unless nanotime failed */
6:	.irp	r, 19,20,21,22,23,24,25,26,27,28,29
	movz	x9, #(0xc0de >> 0), lsl #16
	movk	x9, #\r
	cmp	x\r, x9
	b.ne	regs_bad
	.endr
	LA	x9, hb
	ldr	x19, [x9]
	ldr	x9, [x19, #NH_HB_STACK_TOP]
	cmp	sp, x9
	CHECK	eq, SP changed across the gate
	.irp	i, 0,1,2,3,4,5,6,7
	ldr	x9, [sp, #-(8 + 8 * \i)]
	cmp	x9, #(0x5a0 + \i)
	CHECK	eq, the gate wrote below SP
	.endr
	WRITE	1, "regs ok\n"
	mov	x0, #0
	NHCALL	NH_OP_EXIT
regs_bad:
	LA	x9, hb
	ldr	x19, [x9]
	FAIL	x19-x29 not preserved by the gate

mode_exit:
	cmp	x21, #3
	CHECK	hs, exit needs a status
	ldr	x0, [x22, #16]
	bl	atou
	NHCALL	NH_OP_EXIT

mode_fault:
	mov	x9, xzr
	.type	null_load, %function
null_load:
	ldr	x10, [x9]
	FAIL	no fault
	.size	null_load, .-null_load

mode_handler:
	LA	x0, on_fault
	LA	x1, fault_info
	NHCALL	NH_OP_FAULT
	cmp	x0, #0
	CHECK	eq, fault registration
	mov	x21, sp				/* x19-x28 survive the fault */
	mov	x28, #0x77
	mov	x9, xzr
handler_load:
	ldr	x10, [x9]
	FAIL	no fault

	.type	on_fault, %function
on_fault:
	mov	x9, sp
	cmp	x9, x21
	CHECK	eq, SP as at the fault
	cmp	x28, #0x77
	CHECK	eq, x28 as at the fault
	LA	x9, fault_info
	ldr	x10, [x9, #0]
	cmp	x10, #11
	CHECK	eq, nh_fault.signo is SIGSEGV
	ldr	x10, [x9, #16]
	cmp	x10, #0
	CHECK	eq, nh_fault.addr is 0
	ldr	x10, [x9, #24]
	LA	x11, handler_load
	cmp	x10, x11
	CHECK	eq, nh_fault.pc is the load
	WRITE	1, "handler ok\n"
	mov	x0, #3
	NHCALL	NH_OP_EXIT
	.size	on_fault, .-on_fault

mode_preempt:
	LA	x0, on_tick
	LA	x1, tickctx
	LA	x2, tick_resume
	NHCALL	NH_OP_PREEMPT
	cmp	x0, #0
	CHECK	eq, preempt registration
	mov	x21, sp
	mov	x22, xzr
	LA	x23, ticked
	mov	x24, xzr
spin:
	add	x22, x22, #1
	ldr	x9, [x23]
	cbz	x9, spin
spin_end:
	mov	x9, sp
	cmp	x9, x21
	CHECK	eq, SP back where it was
	cmp	x22, #0
	CHECK	ne, x22 restored from the context
	mov	x9, #0x1234
	cmp	x24, x9
	CHECK	eq, x24 loaded from the context the handler changed
	WRITE	1, "preempt ok\n"
	mov	x0, #0
	NHCALL	NH_OP_EXIT

	/* Every register as interrupted; tickctx (struct nh_cpu: pc 0, sp 8,
	 * x[n] at 16+8n) holds the interrupted PC, SP and x0-x30. The handler
	 * checks them, sets ticked, puts 0x1234 in the context's x24, clobbers
	 * x9, x10 and x22, and ends at the resume breakpoint: the host loads
	 * the context, so the loop goes on with x22 as it was and x24 changed. */
	.type	on_tick, %function
on_tick:
	/* A tick before the loop (the timer runs from the registration on, and
	 * a loaded machine may fire it there): x21-x24 are not set yet, and
	 * nothing is checked; the loop waits for the next one. */
	LA	x10, tickctx
	ldr	x9, [x10]
	LA	x11, spin
	cmp	x9, x11
	b.lo	tick_resume
	LA	x11, spin_end
	cmp	x9, x11
	b.hs	tick_resume
	mov	x9, sp
	cmp	x9, x21
	CHECK	eq, SP as interrupted
	LA	x10, tickctx
	ldr	x9, [x10, #8]
	cmp	x9, x21
	CHECK	eq, nh_cpu.sp is the interrupted SP
	ldr	x9, [x10, #(16 + 8 * 22)]
	cmp	x9, x22
	CHECK	eq, nh_cpu.x[22] is x22
	mov	x9, #1
	str	x9, [x23]
	mov	x9, #0x1234
	str	x9, [x10, #(16 + 8 * 24)]
	mov	x22, xzr
tick_resume:
	brk	#0
	.size	on_tick, .-on_tick

mode_pipe:
	POLLED_PIPE
	LA	x9, pipefd
	ldrsw	x0, [x9, #4]
	LA	x1, s_exit			/* any byte */
	mov	x2, #1
	NHCALL	NH_OP_FS_WRITE
	cmp	x0, #1
	CHECK	eq, fs_write of one byte
	NHCALL	NH_OP_NANOTIME
	movz	x9, #(1000000000 >> 16), lsl #16
	movk	x9, #(1000000000 & 0xffff)
	add	x0, x0, x9			/* until: 1 s from now */
	LA	x1, pollev
	mov	x2, #1
	NHCALL	NH_OP_IDLE
	cmp	x0, #1
	CHECK	eq, idle reports one event
	LA	x9, pollev
	ldr	x10, [x9]
	cmp	x10, #7
	CHECK	eq, the event's tag
	ldr	w10, [x9, #8]
	tst	w10, #NH_POLLIN
	CHECK	ne, the event is POLLIN
	WRITE	1, "pipe ok\n"
	mov	x0, #0
	NHCALL	NH_OP_EXIT

mode_sigwait:
	mov	x0, #10
	mov	x1, #NH_SIG_CATCH
	NHCALL	NH_OP_SIGNAL
	cmp	x0, #NH_SIG_DEFAULT
	CHECK	eq, signal(SIGUSR1, CATCH)
	cmp	x21, #3
	b.lo	1f
	POLLED_PIPE
1:	WRITE	1, "ready\n"
2:	mov	x0, #0				/* no deadline: a wait for the signal */
	LA	x1, pollev
	mov	x2, #1
	NHCALL	NH_OP_IDLE
	cmp	x0, #0
	CHECK	ge, idle
	add	x9, x19, #NH_HB_SIG_PENDING
3:	ldaxr	w10, [x9]			/* take the word: exchange with 0 */
	stlxr	w11, wzr, [x9]
	cbnz	w11, 3b
	cbz	w10, 2b
	rbit	w10, w10
	clz	w10, w10			/* the lowest bit: signal - 1 */
	add	x0, x10, #1
	NHCALL	NH_OP_EXIT

/* ---- helpers (leaves: x0, x1 in, x0 out, x9-x12 scratch) ----------- */

/* x0 = 1 if the strings at x0 and x1 are equal, else 0. */
streq:
	ldrb	w9, [x0], #1
	ldrb	w10, [x1], #1
	cmp	w9, w10
	b.ne	1f
	cbnz	w9, streq
	mov	x0, #1
	ret
1:	mov	x0, #0
	ret

/* x0 = the decimal number at x0 (digits only; stops at anything else). */
atou:
	mov	x10, x0
	mov	x0, #0
	mov	x11, #10
1:	ldrb	w9, [x10], #1
	sub	w9, w9, #'0'
	cmp	w9, #9
	b.hi	2f
	madd	x0, x0, x11, x9
	b	1b
2:	ret

	.ltorg

	.section .rodata
	.p2align 3
modes:
	.quad	s_hello, mode_hello
	.quad	s_exit, mode_exit
	.quad	s_fault, mode_fault
	.quad	s_handler, mode_handler
	.quad	s_preempt, mode_preempt
	.quad	s_pipe, mode_pipe
	.quad	s_sigwait, mode_sigwait
	.quad	0, 0
s_hello:	.asciz	"hello"
s_exit:		.asciz	"exit"
s_fault:	.asciz	"fault"
s_handler:	.asciz	"handler"
s_preempt:	.asciz	"preempt"
s_pipe:		.asciz	"pipe"
s_sigwait:	.asciz	"sigwait"

	.bss
	.p2align 3
hb:		.skip	8
ticked:		.skip	8
	.balign	8
tickctx:	.skip	272		/* struct nh_cpu */
fault_info:	.skip	32
pollev:		.skip	16
pipefd:		.skip	8

	.section .note.GNU-stack, "", %progbits
