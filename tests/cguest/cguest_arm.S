/*
 * cguest_arm.S - the small 32-bit arm test guest (ARM state; run by
 * tests/cguest/run_foreign.sh under qemu-arm; the amd64 cguest.S has the
 * full set of modes).
 *
 * Contract: entered by nonehost in ARM state with r0 = host block, sp =
 * stack_top, the flags clear and every other general-purpose register zero
 * but r12, the branch register, which holds the entry point
 * (host/gate_arm.S). It checks those, the host block magic and version
 * (udf if wrong: nothing else can be trusted then), then runs the mode
 * named by argv[1] (default "hello"):
 *   hello    write "hello from arm" with NH_OP_WRITE (the result in r0:r1);
 *            a buffer or length of 4 GiB or more, and an argument block at
 *            0, are -EFAULT (not cut to 32 bits);
 *            r4-r11 and sp survive a gate call (r7 is the op), and the 64
 *            bytes below sp are untouched (the gate uses no guest stack);
 *            "regs ok"; exit 0
 *   exit N   exit with status N (decimal)
 *   fault    load from address 0, no handler: the host reports it, 139
 *   handler  register a fault handler (NH_OP_FAULT), load from address 0:
 *            the handler gets SIGSEGV, addr 0 and the load's PC in nh_fault,
 *            sp and r4-r11 as at the fault; "handler ok", exit 3
 *   preempt  register a preemption handler (NH_OP_PREEMPT) with a context
 *            and a BKPT resume breakpoint, and spin: the handler checks the
 *            interrupted context, changes it and ends at the breakpoint; the
 *            loop goes on with the changed context (nonehost_abi.h
 *            "Preemption"); "preempt ok", exit 0
 *   preempt-udf  the same with Linux's ARM breakpoint, UDF #16, as the
 *            resume breakpoint (host/arch.h says why it may replace BKPT)
 *   pipe     PROC_PIPE, NET_POLL of its read end (tag 7), one byte written
 *            (FS_WRITE), IDLE (1 s at most) reports it readable: "pipe ok",
 *            exit 0 (the readiness backend, epoll under qemu-user)
 *   files P  the file P (a guest path in a read-write grant), through the
 *            calls glibc makes differently on a 32-bit host: FS_OPEN, WRITE,
 *            SEEK to 4 GiB + 2 (the 64-bit offset comes back whole) and to 2,
 *            WRITE, TRUNCATE to 8, UTIMENS to 2001-09-09, STAT (regular, 8
 *            bytes, that mtime), then read-only: PREAD (8 bytes, the file's),
 *            PREAD at 4 GiB (0: the end, not offset 0), DUP, CLOSE; "files
 *            ok", exit 0
 * Failures print "cguest: FAIL: <what>" on stderr and exit 1.
 * The gate takes its six 64-bit arguments from memory at r0: r9 holds the
 * address of that block (args), r4 the host block and r5 the initial sp,
 * except inside the register checks.
 */
#include "abi.inc"

	.syntax	unified
	.arm

/* Address of sym (the image is linked at a fixed address). */
.macro LA reg, sym
	movw	\reg, #:lower16:\sym
	movt	\reg, #:upper16:\sym
.endm

/* A 32-bit constant (no literal pool: the text is larger than its reach). */
.macro LI reg, value
	movw	\reg, #:lower16:(\value)
	movt	\reg, #:upper16:(\value)
.endm

/* args[n] = the 32-bit value in reg, zero-extended (r12 is scratch). */
.macro ARG n, reg
	str	\reg, [r9, #(8 * \n)]
	mov	r12, #0
	str	r12, [r9, #(8 * \n + 4)]
.endm

/* args[n] = the signed 32-bit value in reg, sign-extended (r12 is scratch). */
.macro ARGS n, reg
	str	\reg, [r9, #(8 * \n)]
	asr	r12, \reg, #31
	str	r12, [r9, #(8 * \n + 4)]
.endm

/* Call the host: r7 = op, r0 = args, already filled. */
.macro NHCALL op
	mov	r0, r9
	movw	r7, #\op
	ldr	r12, [r4, #NH_HB_GATE]
	blx	r12
.endm

/* Write a literal string on fd (1 or 2). */
.macro WRITE fd, str
	.pushsection .rodata
.Ls\@:	.ascii	"\str"
.Le\@:
	.popsection
	mov	r0, #\fd
	ARG	0, r0
	LA	r0, .Ls\@
	ARG	1, r0
	mov	r0, #(.Le\@ - .Ls\@)
	ARG	2, r0
	NHCALL	NH_OP_WRITE
.endm

/* Fail: the message on stderr, exit 1. */
.macro FAIL what:vararg
	WRITE	2, "cguest: FAIL: \what\n"
	mov	r0, #1
	ARG	0, r0
	NHCALL	NH_OP_EXIT
.endm

/* Fail unless the flags say cond. */
.macro CHECK cond, what:vararg
	b\cond	.Lok\@
	FAIL	\what
.Lok\@:
.endm

	.text

	.globl	_start
	.type	_start, %function
_start:
	orr	r1, r1, r2			/* every GPR but r0, r12, sp zero? */
	.irp	r, r3,r4,r5,r6,r7,r8,r9,r10,r11,lr
	orr	r1, r1, \r
	.endr
	mrs	r2, APSR			/* before anything sets a flag */
	mov	r4, r0
	mov	r5, sp
	LA	r9, args
	cmp	r1, #0
	CHECK	eq, registers not zero at entry
	LA	r1, _start
	cmp	r12, r1
	CHECK	eq, r12 is not the entry point
	LI	r1, 0xf80f0000			/* N, Z, C, V, Q, GE[3:0] */
	tst	r2, r1
	CHECK	eq, flags not clear at entry
	ldr	r1, [r4, #NH_HB_MAGIC]
	LI	r2, (NH_ABI_MAGIC & 0xffffffff)
	cmp	r1, r2
	bne	1f
	ldr	r1, [r4, #(NH_HB_MAGIC + 4)]
	LI	r2, (NH_ABI_MAGIC >> 32)
	cmp	r1, r2
	bne	1f
	ldr	r1, [r4, #NH_HB_ABI_VERSION]
	cmp	r1, #NH_ABI_VERSION
	beq	2f
1:	udf	#0
2:	ldr	r1, [r4, #NH_HB_STACK_TOP]
	cmp	r1, r5
	CHECK	eq, sp is not hostblock.stack_top
	tst	r5, #15
	CHECK	eq, sp is not 16-byte aligned
	ldr	r6, [r4, #NH_HB_ARGC]
	ldr	r8, [r4, #NH_HB_ARGV]
	cmp	r6, #2
	blo	mode_hello
	ldr	r10, [r8, #4]			/* argv[1] (argv is char *[]: 4 bytes each) */
	LA	r11, modes
3:	ldr	r1, [r11]
	cmp	r1, #0
	beq	4f
	mov	r0, r10
	bl	streq
	cmp	r0, #0
	bne	5f
	add	r11, r11, #8
	b	3b
4:	FAIL	unknown mode
5:	ldr	r1, [r11, #4]
	bx	r1
	.size	_start, .-_start

/* ---- modes ---------------------------------------------------------- */

mode_hello:
	WRITE	1, "hello from arm\n"
	cmp	r0, #15
	CHECK	eq, write returned its length
	cmp	r1, #0
	CHECK	eq, write's result high word is 0
	/* 4 GiB and more is no host address or size: -EFAULT, never cut to 32
	 * bits (which would write "hello"); so is an argument block at 0 */
	mov	r0, #1
	ARG	0, r0
	LA	r0, s_hello
	ARG	1, r0
	mov	r0, #1
	str	r0, [r9, #12]			/* buf = 4 GiB + s_hello */
	mov	r0, #5
	ARG	2, r0
	NHCALL	NH_OP_WRITE
	cmn	r0, #NH_EFAULT
	CHECK	eq, a buffer past 4 GiB is -EFAULT
	cmn	r1, #1
	CHECK	eq, -EFAULT's high word is -1
	LA	r0, s_hello
	ARG	1, r0
	mov	r0, #1
	str	r0, [r9, #20]			/* len = 4 GiB + 5 */
	NHCALL	NH_OP_WRITE
	cmn	r0, #NH_EFAULT
	CHECK	eq, a length past 4 GiB is -EFAULT
	mov	r0, #0				/* no argument block */
	movw	r7, #NH_OP_NANOTIME
	ldr	r12, [r4, #NH_HB_GATE]
	blx	r12
	cmn	r0, #NH_EFAULT
	CHECK	eq, arguments at address 0 are -EFAULT
	.irp	i, 1,2,3,4,5,6,7,8		/* 64 bytes below sp: a pattern */
	mov	r1, #(0x50 + \i)
	str	r1, [sp, #-(4 * \i)]
	str	r1, [sp, #-(32 + 4 * \i)]
	.endr
	LA	r1, hb
	str	r4, [r1]
	mov	r0, r9				/* NANOTIME reads no argument */
	ldr	r12, [r4, #NH_HB_GATE]
	.irp	r, 4,5,6,8,9,10,11		/* r<r> = 0xc0de0000 + r */
	movw	r\r, #\r
	movt	r\r, #0xc0de
	.endr
	movw	r7, #NH_OP_NANOTIME		/* r7, the op, survives too */
	blx	r12
	cmp	r1, #0				/* the int64: > 0 */
	blt	6f
	orrs	r2, r0, r1
	bne	7f
6:	mov	r4, #0				/* not reached unless nanotime failed */
7:	.irp	r, 4,5,6,8,9,10,11
	movw	r2, #\r
	movt	r2, #0xc0de
	cmp	r\r, r2
	bne	regs_bad
	.endr
	cmp	r7, #NH_OP_NANOTIME
	bne	regs_bad
	LA	r1, hb
	ldr	r4, [r1]
	LA	r9, args
	ldr	r1, [r4, #NH_HB_STACK_TOP]
	cmp	sp, r1
	CHECK	eq, sp changed across the gate
	.irp	i, 1,2,3,4,5,6,7,8
	ldr	r1, [sp, #-(4 * \i)]
	cmp	r1, #(0x50 + \i)
	CHECK	eq, the gate wrote below sp
	ldr	r1, [sp, #-(32 + 4 * \i)]
	cmp	r1, #(0x50 + \i)
	CHECK	eq, the gate wrote below sp
	.endr
	WRITE	1, "regs ok\n"
	mov	r0, #0
	ARG	0, r0
	NHCALL	NH_OP_EXIT
regs_bad:
	LA	r1, hb
	ldr	r4, [r1]
	LA	r9, args
	FAIL	r4-r11 not preserved by the gate

mode_exit:
	cmp	r6, #3
	CHECK	hs, exit needs a status
	ldr	r0, [r8, #8]			/* argv[2] */
	bl	atou
	ARG	0, r0
	NHCALL	NH_OP_EXIT

mode_fault:
	mov	r1, #0
	.type	null_load, %function
null_load:
	ldr	r2, [r1]
	FAIL	no fault
	.size	null_load, .-null_load

mode_handler:
	LA	r0, on_fault
	ARG	0, r0
	LA	r0, fault_info
	ARG	1, r0
	NHCALL	NH_OP_FAULT
	orrs	r0, r0, r1
	CHECK	eq, fault registration
	mov	r5, sp				/* r4-r11 survive the fault */
	mov	r11, #0x77
	mov	r1, #0
handler_load:
	ldr	r2, [r1]
	FAIL	no fault

	.type	on_fault, %function
on_fault:
	cmp	sp, r5
	CHECK	eq, sp as at the fault
	cmp	r11, #0x77
	CHECK	eq, r11 as at the fault
	LA	r1, fault_info
	ldr	r2, [r1, #0]
	cmp	r2, #11
	CHECK	eq, nh_fault.signo is SIGSEGV
	ldr	r2, [r1, #16]
	ldr	r3, [r1, #20]
	orrs	r2, r2, r3
	CHECK	eq, nh_fault.addr is 0
	ldr	r2, [r1, #24]
	LA	r3, handler_load
	cmp	r2, r3
	CHECK	eq, nh_fault.pc is the load
	ldr	r2, [r1, #28]
	cmp	r2, #0
	CHECK	eq, nh_fault.pc's high word is 0
	WRITE	1, "handler ok\n"
	mov	r0, #3
	ARG	0, r0
	NHCALL	NH_OP_EXIT
	.size	on_fault, .-on_fault

mode_preempt:
	LA	r1, tick_resume			/* BKPT */
	b	1f
mode_preempt_udf:
	LA	r1, tick_resume_udf		/* UDF #16 */
1:	LA	r0, resume_at
	str	r1, [r0]
	LA	r0, on_tick
	ARG	0, r0
	LA	r0, tickctx
	ARG	1, r0
	ARG	2, r1
	NHCALL	NH_OP_PREEMPT
	orrs	r0, r0, r1
	CHECK	eq, preempt registration
	mov	r5, sp
	mov	r6, #0
	mov	r8, #0
	LA	r10, ticked
spin:
	add	r6, r6, #1
	ldr	r1, [r10]
	cmp	r1, #0
	beq	spin
spin_end:
	cmp	sp, r5
	CHECK	eq, sp back where it was
	cmp	r6, #0
	CHECK	ne, r6 restored from the context
	movw	r1, #0x1234
	cmp	r8, r1
	CHECK	eq, r8 loaded from the context the handler changed
	WRITE	1, "preempt ok\n"
	mov	r0, #0
	ARG	0, r0
	NHCALL	NH_OP_EXIT

	/* Every register as interrupted; tickctx (struct nh_cpu: pc 0, sp 8,
	 * x[n] at 16+8n) holds the interrupted PC, SP, r0-r12 and lr. The
	 * handler checks them, sets ticked, puts 0x1234 in the context's r8,
	 * clobbers r1-r3, r6 and r8, and ends at the resume breakpoint
	 * registered (resume_at): the host loads the context, so the loop goes
	 * on with r6 as it was and r8 changed. */
	.type	on_tick, %function
on_tick:
	/* A tick before the loop (the timer runs from the registration on, and
	 * a loaded machine may fire it there): r5-r10 are not set yet, and
	 * nothing is checked; the loop waits for the next one. */
	LA	r2, tickctx
	ldr	r1, [r2]
	LA	r3, spin
	cmp	r1, r3
	blo	tick_leave
	LA	r3, spin_end
	cmp	r1, r3
	bhs	tick_leave
	cmp	sp, r5
	CHECK	eq, sp as interrupted
	LA	r2, tickctx
	ldr	r1, [r2, #8]
	cmp	r1, r5
	CHECK	eq, nh_cpu.sp is the interrupted sp
	ldr	r1, [r2, #(16 + 8 * 6)]
	cmp	r1, r6
	CHECK	eq, nh_cpu.x[6] is r6
	ldr	r1, [r2, #(16 + 8 * 6 + 4)]
	cmp	r1, #0
	CHECK	eq, nh_cpu.x[6]'s high word is 0
	ldr	r1, [r2, #(16 + 8 * 10)]
	cmp	r1, r10
	CHECK	eq, nh_cpu.x[10] is r10
	mov	r1, #1
	str	r1, [r10]
	movw	r1, #0x1234
	str	r1, [r2, #(16 + 8 * 8)]
	mov	r6, #0
	mov	r8, #0
tick_leave:
	LA	r1, resume_at
	ldr	r1, [r1]
	bx	r1
tick_resume:
	bkpt	#0
tick_resume_udf:
	.word	0xe7f001f0			/* udf #16: Linux's ARM breakpoint */
	.size	on_tick, .-on_tick

mode_pipe:
	LA	r0, pipefd
	ARG	0, r0
	NHCALL	NH_OP_PROC_PIPE
	orrs	r0, r0, r1
	CHECK	eq, proc_pipe
	LA	r1, pipefd
	ldr	r0, [r1]
	ARG	0, r0
	mov	r0, #7
	ARG	1, r0
	NHCALL	NH_OP_NET_POLL
	orrs	r0, r0, r1
	CHECK	eq, net_poll of the read end
	LA	r1, pipefd
	ldr	r0, [r1, #4]
	ARG	0, r0
	LA	r0, s_exit			/* any byte */
	ARG	1, r0
	mov	r0, #1
	ARG	2, r0
	NHCALL	NH_OP_FS_WRITE
	cmp	r0, #1
	CHECK	eq, fs_write of one byte
	NHCALL	NH_OP_NANOTIME
	LI	r2, 1000000000
	adds	r0, r0, r2			/* until: 1 s from now, 64-bit */
	adc	r1, r1, #0
	str	r0, [r9]
	str	r1, [r9, #4]
	LA	r0, pollev
	ARG	1, r0
	mov	r0, #1
	ARG	2, r0
	NHCALL	NH_OP_IDLE
	cmp	r0, #1
	CHECK	eq, idle reports one event
	LA	r1, pollev
	ldr	r2, [r1]
	cmp	r2, #7
	CHECK	eq, the event's tag
	ldr	r2, [r1, #8]
	tst	r2, #NH_POLLIN
	CHECK	ne, the event is POLLIN
	WRITE	1, "pipe ok\n"
	mov	r0, #0
	ARG	0, r0
	NHCALL	NH_OP_EXIT

mode_files:
	cmp	r6, #3
	CHECK	hs, files needs a path
	ldr	r10, [r8, #8]			/* argv[2]: the path */
	mov	r0, r10
	bl	strlen
	mov	r11, r0				/* its length */
	LI	r0, NH_AT_ROOT
	ARGS	0, r0
	ARG	1, r10
	ARG	2, r11
	mov	r0, #(NH_O_WRONLY | NH_O_CREAT | NH_O_TRUNC)
	ARG	3, r0
	movw	r0, #0644
	ARG	4, r0
	NHCALL	NH_OP_FS_OPEN
	cmp	r1, #0
	CHECK	eq, fs_open for writing
	mov	r5, r0				/* the handle */
	ARG	0, r5
	LA	r0, s_digits
	ARG	1, r0
	mov	r0, #10
	ARG	2, r0
	NHCALL	NH_OP_FS_WRITE
	cmp	r0, #10
	CHECK	eq, fs_write of ten bytes
	ARG	0, r5
	mov	r0, #2
	ARG	1, r0
	mov	r0, #1
	str	r0, [r9, #12]			/* offset 4 GiB + 2 */
	mov	r0, #0
	ARG	2, r0
	NHCALL	NH_OP_FS_SEEK
	cmp	r0, #2
	CHECK	eq, fs_seek to 4 GiB + 2 (low word)
	cmp	r1, #1
	CHECK	eq, fs_seek to 4 GiB + 2 (high word)
	mov	r0, #2
	ARG	1, r0
	NHCALL	NH_OP_FS_SEEK
	orr	r1, r1, r0
	cmp	r1, #2
	CHECK	eq, fs_seek to 2
	LA	r0, s_ab
	ARG	1, r0
	mov	r0, #2
	ARG	2, r0
	NHCALL	NH_OP_FS_WRITE
	cmp	r0, #2
	CHECK	eq, fs_write at 2
	LI	r0, NH_AT_ROOT
	ARGS	0, r0
	ARG	1, r10
	ARG	2, r11
	mov	r0, #8
	ARG	3, r0
	NHCALL	NH_OP_FS_TRUNCATE
	orrs	r0, r0, r1
	CHECK	eq, fs_truncate to 8
	LA	r0, times
	ARG	3, r0
	mov	r0, #0
	ARG	4, r0
	NHCALL	NH_OP_FS_UTIMENS
	orrs	r0, r0, r1
	CHECK	eq, fs_utimens
	LA	r0, statbuf
	ARG	3, r0
	NHCALL	NH_OP_FS_STAT
	orrs	r0, r0, r1
	CHECK	eq, fs_stat
	LA	r1, statbuf
	ldr	r2, [r1, #24]			/* mode */
	and	r2, r2, #0xf000
	cmp	r2, #0x8000
	CHECK	eq, nh_stat.mode is a regular file
	ldr	r2, [r1, #40]			/* size */
	ldr	r3, [r1, #44]
	cmp	r2, #8
	CHECK	eq, nh_stat.size is 8
	cmp	r3, #0
	CHECK	eq, nh_stat.size is 8
	ldr	r2, [r1, #64]			/* mtime_ns: 10^18 */
	ldr	r3, [r1, #68]
	LI	r0, 0xa7640000
	cmp	r2, r0
	CHECK	eq, nh_stat.mtime_ns is 10^18
	LI	r0, 0x0de0b6b3
	cmp	r3, r0
	CHECK	eq, nh_stat.mtime_ns is 10^18
	ARG	0, r5
	NHCALL	NH_OP_FS_CLOSE
	orrs	r0, r0, r1
	CHECK	eq, fs_close
	LI	r0, NH_AT_ROOT
	ARGS	0, r0
	ARG	1, r10
	ARG	2, r11
	mov	r0, #0				/* read-only */
	ARG	3, r0
	ARG	4, r0
	NHCALL	NH_OP_FS_OPEN
	cmp	r1, #0
	CHECK	eq, fs_open for reading
	mov	r5, r0
	ARG	0, r5
	LA	r0, filebuf
	ARG	1, r0
	mov	r0, #16
	ARG	2, r0
	mov	r0, #0
	ARG	3, r0
	NHCALL	NH_OP_FS_PREAD
	cmp	r0, #8
	CHECK	eq, fs_pread of 8 bytes
	LA	r1, filebuf
	ldr	r2, [r1]
	LI	r3, 0x42413130			/* "01AB" */
	cmp	r2, r3
	CHECK	eq, the file reads 01AB4567
	ldr	r2, [r1, #4]
	LI	r3, 0x37363534			/* "4567" */
	cmp	r2, r3
	CHECK	eq, the file reads 01AB4567
	mov	r0, #0
	ARG	3, r0
	mov	r0, #1
	str	r0, [r9, #28]			/* offset 4 GiB */
	NHCALL	NH_OP_FS_PREAD
	orrs	r0, r0, r1
	CHECK	eq, fs_pread at 4 GiB is the end
	ARG	0, r5
	NHCALL	NH_OP_FS_DUP
	cmp	r1, #0
	CHECK	eq, fs_dup
	ARG	0, r0
	NHCALL	NH_OP_FS_CLOSE
	orrs	r0, r0, r1
	CHECK	eq, fs_close of the copy
	ARG	0, r5
	NHCALL	NH_OP_FS_CLOSE
	orrs	r0, r0, r1
	CHECK	eq, fs_close
	WRITE	1, "files ok\n"
	mov	r0, #0
	ARG	0, r0
	NHCALL	NH_OP_EXIT

/* ---- helpers (leaves: r0, r1 in, r0 out, r2, r3 scratch) ----------- */

/* r0 = the length of the string at r0. */
strlen:
	mov	r3, r0
1:	ldrb	r2, [r3], #1
	cmp	r2, #0
	bne	1b
	sub	r0, r3, r0
	sub	r0, r0, #1
	bx	lr


/* r0 = 1 if the strings at r0 and r1 are equal, else 0. */
streq:
	ldrb	r2, [r0], #1
	ldrb	r3, [r1], #1
	cmp	r2, r3
	bne	1f
	cmp	r2, #0
	bne	streq
	mov	r0, #1
	bx	lr
1:	mov	r0, #0
	bx	lr

/* r0 = the decimal number at r0 (digits only; stops at anything else). */
atou:
	mov	r3, r0
	mov	r0, #0
1:	ldrb	r2, [r3], #1
	sub	r2, r2, #'0'
	cmp	r2, #9
	bhi	2f
	add	r0, r0, r0, lsl #2		/* r0 * 5 */
	add	r0, r2, r0, lsl #1		/* r0 * 10 + digit */
	b	1b
2:	bx	lr

	.section .rodata
	.p2align 2
modes:
	.word	s_hello, mode_hello
	.word	s_exit, mode_exit
	.word	s_fault, mode_fault
	.word	s_handler, mode_handler
	.word	s_preempt, mode_preempt
	.word	s_preempt_udf, mode_preempt_udf
	.word	s_pipe, mode_pipe
	.word	s_files, mode_files
	.word	0, 0
s_hello:	.asciz	"hello"
s_exit:		.asciz	"exit"
s_fault:	.asciz	"fault"
s_handler:	.asciz	"handler"
s_preempt:	.asciz	"preempt"
s_preempt_udf:	.asciz	"preempt-udf"
s_pipe:		.asciz	"pipe"
s_files:	.asciz	"files"
s_digits:	.ascii	"0123456789"
s_ab:		.ascii	"AB"
	.p2align 3
times:		.quad	1000000000, 0, 1000000000, 0	/* struct nh_timespec[2]: 2001-09-09 */

	.bss
	.p2align 3
args:		.skip	48		/* a0..a5 of the next call */
hb:		.skip	4
ticked:		.skip	4
resume_at:	.skip	4
	.balign	8
tickctx:	.skip	272		/* struct nh_cpu */
fault_info:	.skip	32
pollev:		.skip	16
pipefd:		.skip	8
	.balign	8
statbuf:	.skip	80		/* struct nh_stat */
filebuf:	.skip	16

	.section .note.GNU-stack, "", %progbits
