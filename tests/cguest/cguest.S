/*
 * cguest.S - a tiny GOOS=none-style test guest in x86-64 assembly.
 *
 * Contract: entered by nonehost with RDI = host block, RSP = stack_top. It
 * checks the host block magic and version (ud2 if wrong: nothing else can be
 * trusted then), then runs the mode named by argv[1] (default "hello"):
 *   hello    write a greeting, echo argv, print CGUEST_ENV from envp, printk,
 *            nanotime/walltime, idle 20 ms, getrandom, GS base survives the
 *            gate, host block fields sane; exit 7
 *   exit N   exit with status N (passes through as N & 0xff)
 *   pkexit   printk "bye" with no newline, exit 0 (the host must flush it)
 *   sleep MS idle for MS milliseconds in one call, exit 0 (CPU use check)
 *   enosys   unknown ops return -ENOSYS; exit 0
 *   efault   bad pointers/lengths/fds to every op return -errno and the
 *            guest keeps running; exit 0
 *   handler  register a fault handler, fault twice, check nh_fault; exit 3
 *   fault    null dereference (unhandled): host reports, exit 139
 *   wx       store into its own text          -> 139
 *   nx       execute from its data segment     -> 139
 *   stack    overflow the initial stack        -> 139 (even with a handler)
 *   hbwrite  store into the read-only argument area (argv[0]) -> 139
 *   div0     integer divide by zero (SIGFPE)   -> 139
 *   trap     int3 (SIGTRAP), handler registered: delivered with the PC
 *            after the int3, as Linux reports it; exit 5
 *   trapnoh  int3 (SIGTRAP), no handler      -> 139
 *   ret      return from the entry point       -> 139
 *   bench    time 10M nanotime and 10M unknown-op gate round trips
 *   bigwrite one 64 KiB write to stdout; exit 0
 *   sys NAME [A0]  make the raw system call NAME (see systab: execve,
 *            openat, socket, ...) with the syscall instruction, from guest
 *            code, bypassing the gate; A0 replaces the first argument. The
 *            sandbox must end the image (159); if the call returns, the
 *            guest fails (exit 1) with its result
 *   int80    execve("/bin/sh") through the i386 ABI (int $0x80)   -> 159
 *   x32      getpid through the x32 ABI (number | 0x40000000)     -> 159
 *   cat PATH print the file at guest path PATH (fs-shim OPEN, READ, CLOSE)
 *   put PATH create or truncate PATH and write "put ok\n" into it
 *   fsinfo   NH_HB_FS set; print "cwd: <hostblock.cwd>" and "tmpdir: <TMPDIR>",
 *            then write TMPDIR/probe and read it back; exit 0
 *   net      the network through the gate: NET_SOCKET; -EACCES (--net none)
 *            prints "net: none", exit 0; else a TCP listener on 127.0.0.1
 *            (port 0: SOCKNAME tells it), a client registered with NET_POLL
 *            (tag 7), CONNECT, IDLE until the client's report (POLLOUT),
 *            ACCEPT, FS_WRITE "x" on the client, FS_READ it on the accepted
 *            socket (-EAGAIN retried after a 1 ms IDLE); "net ok", exit 0
 *   unix PATH  a UNIX stream socket at guest path PATH through the gate (the
 *            launcher makes them): NET_SOCKET; -EACCES prints "unix: none",
 *            exit 0; else BIND at PATH, LISTEN, a client's CONNECT to PATH,
 *            the listener registered with NET_POLL (tag 7) and IDLE until
 *            it is readable, ACCEPT, FS_WRITE "x" on the client, FS_READ it
 *            on the accepted socket, whose SOCKNAME must be PATH; "unix ok",
 *            exit 0
 *   sig      the signal ops: SIGNAL's refusals (SIGKILL, 32, 65, action
 *            3) and previous actions, RAISE of a caught SIGUSR1 sets its
 *            pending bit, IDLE(0) returns at once while it is set, the
 *            guest takes it with xchg (the host block is writable there),
 *            RAISE(SIGSTOP) is -EINVAL, an ignored SIGUSR2 and a default
 *            SIGWINCH raised do nothing; "sig ok", exit 0
 *   sigwait [pipe|timed]  catch SIGUSR1 and SIGTERM, print "ready", then
 *            IDLE until a caught signal's bit is set and exit with its
 *            number: IDLE(0) with nothing registered (a wait for a signal,
 *            not -EDEADLK); "pipe": with a pipe's read end registered
 *            (NET_POLL: the netstack-shim's backend waits); "timed": a 10 s
 *            deadline (FAIL when it passes)
 *   raise SIG  RAISE(SIG) with the actions as they started; if it returns,
 *            "raised", exit 0
 *   sigign   SIGHUP is in hostblock.sig_ignored and its action IGNORE (run
 *            with SIGHUP ignored, as nohup does); "sigign ok", exit 0
 * Failures print "cguest: FAIL: <what> (got <value>)" on stderr and exit 1.
 * r15 holds the host block pointer, r14 the initial RSP, throughout.
 */
#include "abi.inc"

	.set	RAND_LEN, 16
	.set	BIGBUF_LEN, 65536
	.set	BENCH_N, 10000000
	.set	OP_UNKNOWN, 0x7ff

/* Call the host: RAX = op, arguments already in RDI, RSI, RDX, R10, R8, R9. */
.macro NHCALL op
	movl	$\op, %eax
	call	*NH_HB_GATE(%r15)
.endm

/* Fail unless RAX == val. */
.macro EXPECT val, what
	cmpq	$\val, %rax
	je	.Lok\@
	.pushsection .rodata
.Lmsg\@:	.asciz	"\what"
	.popsection
	leaq	.Lmsg\@(%rip), %rdi
	movq	%rax, %rsi
	call	fail
.Lok\@:
.endm

/* Fail unless the condition code cc (after a cmp/test) holds. */
.macro ASSERT cc, what
	j\cc	.Lok\@
	.pushsection .rodata
.Lmsg\@:	.asciz	"\what"
	.popsection
	leaq	.Lmsg\@(%rip), %rdi
	movq	%rax, %rsi
	call	fail
.Lok\@:
.endm

/* Print a literal string on stdout. */
.macro PUTS str
	.pushsection .rodata
.Lstr\@:	.asciz	"\str"
	.popsection
	leaq	.Lstr\@(%rip), %rdi
	call	puts
.endm

	.text

	.globl	_start
	.type	_start, @function
_start:
	movq	%rdi, %r15
	movq	%rsp, %r14
	movabsq	$NH_ABI_MAGIC, %rax
	cmpq	%rax, NH_HB_MAGIC(%r15)
	jne	1f
	cmpl	$NH_ABI_VERSION, NH_HB_ABI_VERSION(%r15)
	je	2f
1:	ud2
2:	movq	NH_HB_ARGC(%r15), %r12
	movq	NH_HB_ARGV(%r15), %r13
	cmpq	$2, %r12
	jb	mode_hello
	movq	8(%r13), %rbx			/* argv[1] */
	leaq	modes(%rip), %rbp
3:	movq	(%rbp), %rsi
	testq	%rsi, %rsi
	jz	4f
	movq	%rbx, %rdi
	call	streq
	testl	%eax, %eax
	jnz	5f
	addq	$16, %rbp
	jmp	3b
4:	leaq	s_badmode(%rip), %rdi
	movq	%rbx, %rsi
	call	fail
5:	jmp	*8(%rbp)
	.size	_start, .-_start

/* ---- modes ---------------------------------------------------------- */

mode_hello:
	PUTS	"hello from cguest\n"
	xorl	%ebx, %ebx			/* echo argv */
1:	cmpq	%r12, %rbx
	jae	2f
	PUTS	"arg: "
	movq	(%r13,%rbx,8), %rdi
	call	puts
	PUTS	"\n"
	incq	%rbx
	jmp	1b
2:	cmpq	$0, (%r13,%r12,8)
	ASSERT	e, "argv[argc] is not NULL"
	leaq	8(%r13,%r12,8), %rbx		/* envp */
3:	movq	(%rbx), %rdi
	testq	%rdi, %rdi
	jz	5f
	leaq	s_envkey(%rip), %rsi
	call	hasprefix
	testl	%eax, %eax
	jz	4f
	PUTS	"env: "
	movq	(%rbx), %rdi
	call	puts
	PUTS	"\n"
4:	addq	$8, %rbx
	jmp	3b
5:	leaq	s_printk(%rip), %rbx		/* printk, byte by byte */
6:	movzbl	(%rbx), %edi
	testl	%edi, %edi
	jz	7f
	NHCALL	NH_OP_PRINTK
	EXPECT	0, "printk"
	incq	%rbx
	jmp	6b
7:	NHCALL	NH_OP_NANOTIME
	testq	%rax, %rax
	ASSERT	g, "nanotime > 0"
	movq	%rax, %rbx
	NHCALL	NH_OP_WALLTIME
	movabsq	$1600000000000000000, %rcx	/* after September 2020 */
	cmpq	%rcx, %rax
	ASSERT	g, "walltime after 2020"
	leaq	nowbuf(%rip), %rdi		/* now: both clocks in one call */
	NHCALL	NH_OP_NOW
	movabsq	$1600000000000000000, %rcx
	cmpq	%rcx, %rax
	ASSERT	g, "now: walltime after 2020"
	cmpq	nowbuf(%rip), %rbx
	ASSERT	le, "now: monotonic time not before the nanotime above"
	PUTS	"now ok\n"
	leaq	20000000(%rbx), %rdi		/* idle until t0 + 20 ms */
	xorl	%esi, %esi			/* no readiness reports (cap 0) */
	xorl	%edx, %edx
	NHCALL	NH_OP_IDLE
	EXPECT	0, "idle"
	NHCALL	NH_OP_NANOTIME
	subq	%rbx, %rax
	cmpq	$20000000, %rax
	ASSERT	ge, "idle slept at least 20 ms"
	PUTS	"idle ok\n"
	leaq	randbuf(%rip), %rdi
	movl	$RAND_LEN, %esi
	NHCALL	NH_OP_GETRANDOM
	EXPECT	RAND_LEN, "getrandom"
	movq	randbuf(%rip), %rax
	orq	randbuf+8(%rip), %rax
	ASSERT	nz, "getrandom filled the buffer"
	PUTS	"getrandom ok\n"
	leaq	tlsbuf(%rip), %rax		/* GS base survives the gate */
	wrgsbase %rax
	movabsq	$0x1122334455667788, %rcx
	movq	%rcx, %gs:0
	NHCALL	NH_OP_NANOTIME
	rdgsbase %rax
	leaq	tlsbuf(%rip), %rdx
	cmpq	%rdx, %rax
	ASSERT	e, "GS base after a host call"
	movq	%gs:0, %rax
	movabsq	$0x1122334455667788, %rcx
	cmpq	%rcx, %rax
	ASSERT	e, "GS-relative load after a host call"
	PUTS	"gsbase ok\n"
	call	check_hostblock
	PUTS	"hostblock ok\n"
	movl	$7, %edi
	NHCALL	NH_OP_EXIT
	ud2

mode_exit:
	cmpq	$3, %r12
	movq	%r12, %rax
	ASSERT	ae, "exit needs a status"
	movq	16(%r13), %rdi
	call	atou
	movq	%rax, %rdi
	NHCALL	NH_OP_EXIT
	ud2

mode_sleep:
	cmpq	$3, %r12
	movq	%r12, %rax
	ASSERT	ae, "sleep needs milliseconds"
	movq	16(%r13), %rdi
	call	atou
	imulq	$1000000, %rax, %rbx
	NHCALL	NH_OP_NANOTIME
	leaq	(%rax,%rbx), %rdi
	xorl	%esi, %esi			/* no readiness reports (cap 0) */
	xorl	%edx, %edx
	NHCALL	NH_OP_IDLE
	EXPECT	0, "idle"
	xorl	%edi, %edi
	NHCALL	NH_OP_EXIT
	ud2

mode_pkexit:
	movl	$'b', %edi
	NHCALL	NH_OP_PRINTK
	movl	$'y', %edi
	NHCALL	NH_OP_PRINTK
	movl	$'e', %edi
	NHCALL	NH_OP_PRINTK
	xorl	%edi, %edi
	NHCALL	NH_OP_EXIT
	ud2

mode_enosys:
	NHCALL	OP_UNKNOWN
	EXPECT	-NH_ENOSYS, "op 0x7ff"
	NHCALL	0
	EXPECT	-NH_ENOSYS, "op 0"
	NHCALL	0x0ff			/* between the core and the file ops */
	EXPECT	-NH_ENOSYS, "op 0xff"
	NHCALL	NH_OP_FS_MAX+1			/* past the file ops */
	EXPECT	-NH_ENOSYS, "op past NH_OP_FS_MAX"
	movq	$-1, %rax			/* op 2^64-1 */
	call	*NH_HB_GATE(%r15)
	EXPECT	-NH_ENOSYS, "op -1"
	movabsq	$0x100000001, %rax		/* EXIT plus a high bit: not EXIT */
	call	*NH_HB_GATE(%r15)
	EXPECT	-NH_ENOSYS, "op 0x100000001"
	PUTS	"enosys ok\n"
	xorl	%edi, %edi
	NHCALL	NH_OP_EXIT
	ud2

mode_efault:
	movl	$3, %edi			/* write: bad fd */
	leaq	s_x(%rip), %rsi
	movl	$1, %edx
	NHCALL	NH_OP_WRITE
	EXPECT	-NH_EBADF, "write fd 3"
	movl	$1, %edi			/* write: null */
	xorl	%esi, %esi
	movl	$5, %edx
	NHCALL	NH_OP_WRITE
	EXPECT	-NH_EFAULT, "write null"
	movq	NH_HB_RAM_START(%r15), %rsi	/* write: past the end of RAM */
	addq	NH_HB_RAM_SIZE(%r15), %rsi
	subq	$2, %rsi
	movl	$1, %edi
	movl	$5, %edx
	NHCALL	NH_OP_WRITE
	EXPECT	-NH_EFAULT, "write past RAM end"
	movq	NH_HB_STACK_TOP(%r15), %rsi	/* write: from the stack guard page */
	subq	NH_HB_STACK_SIZE(%r15), %rsi
	subq	$NH_PAGE_SIZE, %rsi
	movl	$1, %edi
	movl	$1, %edx
	NHCALL	NH_OP_WRITE
	EXPECT	-NH_EFAULT, "write from the guard page"
	movl	$1, %edi			/* write: length overflows */
	leaq	s_x(%rip), %rsi
	movq	$-1, %rdx
	NHCALL	NH_OP_WRITE
	EXPECT	-NH_EFAULT, "write huge length"
	movl	$1, %edi			/* write: zero length is fine */
	leaq	s_x(%rip), %rsi
	xorl	%edx, %edx
	NHCALL	NH_OP_WRITE
	EXPECT	0, "write zero length"
	leaq	_start(%rip), %rdi		/* getrandom: into text */
	movl	$RAND_LEN, %esi
	NHCALL	NH_OP_GETRANDOM
	EXPECT	-NH_EFAULT, "getrandom into text"
	movq	%r15, %rdi			/* getrandom: into the host block */
	movl	$RAND_LEN, %esi
	NHCALL	NH_OP_GETRANDOM
	EXPECT	-NH_EFAULT, "getrandom into the host block"
	leaq	s_x(%rip), %rdi			/* getrandom: into rodata */
	movl	$1, %esi
	NHCALL	NH_OP_GETRANDOM
	EXPECT	-NH_EFAULT, "getrandom into rodata"
	leaq	randbuf(%rip), %rdi		/* getrandom: too long */
	movl	$NH_GETRANDOM_MAX+1, %esi
	NHCALL	NH_OP_GETRANDOM
	EXPECT	-NH_EINVAL, "getrandom 257 bytes"
	subq	$32, %rsp			/* getrandom: onto the stack is fine */
	movq	%rsp, %rdi
	movl	$32, %esi
	NHCALL	NH_OP_GETRANDOM
	addq	$32, %rsp
	EXPECT	32, "getrandom onto the stack"
	leaq	randbuf(%rip), %rdi		/* fault: handler not in text */
	leaq	faultinfo(%rip), %rsi
	NHCALL	NH_OP_FAULT
	EXPECT	-NH_EINVAL, "fault handler in data"
	leaq	on_fault(%rip), %rdi		/* fault: info not writable */
	leaq	_start(%rip), %rsi
	NHCALL	NH_OP_FAULT
	EXPECT	-NH_EFAULT, "fault info in text"
	leaq	on_fault(%rip), %rdi		/* fault: info misaligned */
	leaq	faultinfo+4(%rip), %rsi
	NHCALL	NH_OP_FAULT
	EXPECT	-NH_EINVAL, "fault info misaligned"
	xorl	%edi, %edi			/* idle: no deadline */
	xorl	%esi, %esi			/* (cap 0: no reports) */
	xorl	%edx, %edx
	NHCALL	NH_OP_IDLE
	EXPECT	-NH_EDEADLK, "idle(0)"
	movl	$1, %edi			/* idle: deadline in the past */
	xorl	%esi, %esi
	xorl	%edx, %edx
	NHCALL	NH_OP_IDLE
	EXPECT	0, "idle(1)"
	movl	$1, %edi			/* idle: reports wanted at address 0 */
	xorl	%esi, %esi
	movl	$1, %edx
	NHCALL	NH_OP_IDLE
	EXPECT	-NH_EFAULT, "idle(1, 0, 1)"
	xorl	%edi, %edi			/* now: into null */
	NHCALL	NH_OP_NOW
	EXPECT	-NH_EFAULT, "now into null"
	leaq	_start(%rip), %rdi		/* now: into text */
	NHCALL	NH_OP_NOW
	EXPECT	-NH_EFAULT, "now into text"
	movq	%r15, %rdi			/* now: into the host block */
	NHCALL	NH_OP_NOW
	EXPECT	-NH_EFAULT, "now into the host block"
	PUTS	"efault ok\n"
	xorl	%edi, %edi
	NHCALL	NH_OP_EXIT
	ud2

mode_handler:
	leaq	on_fault(%rip), %rdi
	leaq	faultinfo(%rip), %rsi
	NHCALL	NH_OP_FAULT
	EXPECT	0, "register the fault handler"
	.globl	fault_insn
fault_insn:
	movq	0x8, %rax			/* SIGSEGV at address 8 */
	leaq	s_nofault(%rip), %rdi
	call	fail

	.type	on_fault, @function
on_fault:
	cmpq	%r14, %rsp			/* RSP as at the fault */
	movq	%rsp, %rax
	ASSERT	e, "handler RSP"
	movq	faultinfo(%rip), %rax
	EXPECT	11, "nh_fault.signo"
	movq	faultinfo+16(%rip), %rax
	EXPECT	8, "nh_fault.addr"
	movq	faultinfo+24(%rip), %rax
	leaq	fault_insn(%rip), %rcx
	cmpq	%rcx, %rax
	ASSERT	e, "nh_fault.pc"
	incq	faultcount(%rip)		/* deliver twice: the guest resumes */
	cmpq	$2, faultcount(%rip)
	jb	fault_insn
	PUTS	"caught SIGSEGV at 0x8 twice\n"
	movl	$3, %edi
	NHCALL	NH_OP_EXIT
	ud2
	.size	on_fault, .-on_fault

/* The fault handler's info buffer taken away (MEM_PROTECT of its page):
 * the host must not write it, so the fault is reported (139) instead of
 * delivered, and the host's own handler does not fault on it. */
mode_infogone:
	leaq	on_fault(%rip), %rdi
	leaq	faultinfo(%rip), %rsi
	NHCALL	NH_OP_FAULT
	EXPECT	0, "register the fault handler"
	leaq	faultinfo(%rip), %rdi
	andq	$-4096, %rdi
	movl	$4096, %esi
	xorl	%edx, %edx
	NHCALL	NH_OP_MEM_PROTECT
	EXPECT	0, "protect the fault info's page"
	call	do_null_deref
	leaq	s_nofault(%rip), %rdi
	call	fail

mode_fault:
	call	do_null_deref
	leaq	s_nofault(%rip), %rdi
	call	fail

	.type	do_null_deref, @function
do_null_deref:
	movq	0, %rax
	ret
	.size	do_null_deref, .-do_null_deref

mode_wx:
	movb	$0x90, _start(%rip)
	leaq	s_nofault(%rip), %rdi
	call	fail

mode_nx:
	movb	$0xc3, databuf(%rip)		/* ret */
	leaq	databuf(%rip), %rax
	call	*%rax
	leaq	s_nofault(%rip), %rdi
	call	fail

mode_stack:
	leaq	on_fault(%rip), %rdi		/* a handler must not hide an overflow */
	leaq	faultinfo(%rip), %rsi
	NHCALL	NH_OP_FAULT
	EXPECT	0, "register the fault handler"
1:	pushq	%rax
	jmp	1b

mode_hbwrite:
	movq	NH_HB_ARGV(%r15), %rax
	movq	$0, (%rax)
	leaq	s_nofault(%rip), %rdi
	call	fail

mode_div0:
	xorl	%ecx, %ecx
	movl	$1, %eax
	cltd
	idivl	%ecx
	leaq	s_nofault(%rip), %rdi
	call	fail

mode_trap:
	leaq	on_trap(%rip), %rdi
	leaq	faultinfo(%rip), %rsi
	NHCALL	NH_OP_FAULT
	EXPECT	0, "register the fault handler"
	movq	%rsp, %r14
	int3
after_trap:
	leaq	s_nofault(%rip), %rdi
	call	fail

	.type	on_trap, @function
on_trap:
	cmpq	%r14, %rsp			/* RSP as at the trap */
	movq	%rsp, %rax
	ASSERT	e, "handler RSP"
	movq	faultinfo(%rip), %rax
	EXPECT	5, "nh_fault.signo"
	movq	faultinfo+24(%rip), %rax
	leaq	after_trap(%rip), %rcx
	cmpq	%rcx, %rax
	ASSERT	e, "nh_fault.pc"
	PUTS	"caught SIGTRAP\n"
	movl	$5, %edi
	NHCALL	NH_OP_EXIT
	ud2
	.size	on_trap, .-on_trap

mode_trapnoh:
	int3
	leaq	s_nofault(%rip), %rdi
	call	fail

mode_ret:
	ret					/* RSP = stack_top: pops the host block magic */

mode_bench:
	NHCALL	NH_OP_NANOTIME
	movq	%rax, %rbx
	movl	$BENCH_N, %r12d
1:	movl	$NH_OP_NANOTIME, %eax
	call	*NH_HB_GATE(%r15)
	decq	%r12
	jnz	1b
	NHCALL	NH_OP_NANOTIME
	subq	%rbx, %rax
	movq	%rax, %r13
	NHCALL	NH_OP_NANOTIME
	movq	%rax, %rbx
	movl	$BENCH_N, %r12d
2:	movl	$OP_UNKNOWN, %eax
	call	*NH_HB_GATE(%r15)
	decq	%r12
	jnz	2b
	NHCALL	NH_OP_NANOTIME
	subq	%rbx, %rax
	movq	%rax, %rbx
	PUTS	"bench: nanotime round trip "
	movq	%r13, %rdi
	call	print_per_call
	PUTS	" ns/call, empty (unknown op) round trip "
	movq	%rbx, %rdi
	call	print_per_call
	PUTS	" ns/call, 10000000 calls each\n"
	xorl	%edi, %edi
	NHCALL	NH_OP_EXIT
	ud2

mode_bigwrite:
	movl	$1, %edi
	leaq	bigbuf(%rip), %rsi
	movl	$BIGBUF_LEN, %edx
	NHCALL	NH_OP_WRITE
	EXPECT	BIGBUF_LEN, "64 KiB write"
	xorl	%edi, %edi
	NHCALL	NH_OP_EXIT
	ud2

/* open(NH_AT_ROOT, rdi = NUL-terminated path, esi = flags) -> rax */
fs_open:
	pushq	%rbx
	pushq	%r12
	movq	%rdi, %rbx
	movl	%esi, %r12d
	call	strlen
	movq	%rax, %rdx
	movq	%rbx, %rsi
	movq	$NH_AT_ROOT, %rdi
	movl	%r12d, %r10d
	movl	$0644, %r8d
	NHCALL	NH_OP_FS_OPEN
	popq	%r12
	popq	%rbx
	ret

/* copy handle rdi to stdout until end of file */
fs_cat:
	pushq	%rbx
	movq	%rdi, %rbx
1:	movq	%rbx, %rdi
	leaq	bigbuf(%rip), %rsi
	movl	$4096, %edx
	NHCALL	NH_OP_FS_READ
	testq	%rax, %rax
	ASSERT	ns, "read"
	jz	2f
	movq	%rax, %rdx
	movl	$1, %edi
	leaq	bigbuf(%rip), %rsi
	NHCALL	NH_OP_WRITE
	jmp	1b
2:	movq	%rbx, %rdi
	NHCALL	NH_OP_FS_CLOSE
	EXPECT	0, "close"
	popq	%rbx
	ret

mode_cat:
	cmpq	$3, %r12
	movq	%r12, %rax
	ASSERT	ae, "cat needs a path"
	movq	16(%r13), %rdi
	xorl	%esi, %esi
	call	fs_open
	testq	%rax, %rax
	ASSERT	ns, "open"
	movq	%rax, %rdi
	call	fs_cat
	xorl	%edi, %edi
	NHCALL	NH_OP_EXIT
	ud2

/* write "put ok\n" to a new handle opened from path rdi */
fs_put:
	movl	$NH_O_WRONLY|NH_O_CREAT|NH_O_TRUNC, %esi
	call	fs_open
	testq	%rax, %rax
	ASSERT	ns, "open"
	movq	%rax, %rbx
	movq	%rax, %rdi
	leaq	s_putok(%rip), %rsi
	movl	$7, %edx
	NHCALL	NH_OP_FS_WRITE
	EXPECT	7, "write"
	movq	%rbx, %rdi
	NHCALL	NH_OP_FS_CLOSE
	EXPECT	0, "close"
	ret

mode_put:
	cmpq	$3, %r12
	movq	%r12, %rax
	ASSERT	ae, "put needs a path"
	movq	16(%r13), %rdi
	call	fs_put
	xorl	%edi, %edi
	NHCALL	NH_OP_EXIT
	ud2

mode_fsinfo:
	movq	NH_HB_FLAGS(%r15), %rax
	testq	$NH_HB_FS, %rax
	ASSERT	nz, "hostblock.flags has NH_HB_FS"
	PUTS	"cwd: "
	movq	NH_HB_CWD(%r15), %rdi
	call	puts
	PUTS	"\n"
	leaq	8(%r13,%r12,8), %rbx		/* envp: find TMPDIR= */
1:	movq	(%rbx), %rdi
	testq	%rdi, %rdi
	movq	%rdi, %rax
	ASSERT	nz, "TMPDIR in the environment"
	leaq	s_tmpkey(%rip), %rsi
	call	hasprefix
	testl	%eax, %eax
	jnz	2f
	addq	$8, %rbx
	jmp	1b
2:	movq	(%rbx), %rbx
	addq	$7, %rbx			/* the value */
	PUTS	"tmpdir: "
	movq	%rbx, %rdi
	call	puts
	PUTS	"\n"
	leaq	bigbuf(%rip), %rdi		/* bigbuf = value + "/probe" */
3:	movb	(%rbx), %al
	movb	%al, (%rdi)
	incq	%rbx
	incq	%rdi
	testb	%al, %al
	jnz	3b
	decq	%rdi
	leaq	s_probe(%rip), %rsi
4:	movb	(%rsi), %al
	movb	%al, (%rdi)
	incq	%rsi
	incq	%rdi
	testb	%al, %al
	jnz	4b
	leaq	bigbuf(%rip), %rdi
	call	fs_put
	leaq	bigbuf(%rip), %rdi
	xorl	%esi, %esi
	call	fs_open
	testq	%rax, %rax
	ASSERT	ns, "open the probe again"
	movq	%rax, %rdi
	call	fs_cat
	xorl	%edi, %edi
	NHCALL	NH_OP_EXIT
	ud2

/* IDLE for a millisecond, reporting nothing: a retry's pause. */
pause_1ms:
	NHCALL	NH_OP_NANOTIME
	leaq	1000000(%rax), %rdi
	xorl	%esi, %esi
	xorl	%edx, %edx
	NHCALL	NH_OP_IDLE
	ret

/* rbx the listener, rbp the client, r12 the accepted socket. */
mode_net:
	movq	NH_HB_FLAGS(%r15), %rax
	testq	$NH_HB_NET, %rax
	ASSERT	nz, "hostblock.flags has NH_HB_NET"
	movl	$NH_AF_INET, %edi
	movl	$NH_SOCK_STREAM, %esi
	xorl	%edx, %edx
	NHCALL	NH_OP_NET_SOCKET
	cmpq	$-NH_EACCES, %rax
	jne	1f
	PUTS	"net: none\n"
	xorl	%edi, %edi
	NHCALL	NH_OP_EXIT
	ud2
1:	cmpq	$3, %rax
	ASSERT	ge, "socket"
	movq	%rax, %rbx
	movq	%rbx, %rdi
	leaq	sa_lo(%rip), %rsi
	movl	$16, %edx
	NHCALL	NH_OP_NET_BIND
	EXPECT	0, "bind"
	movq	%rbx, %rdi
	movl	$4, %esi
	NHCALL	NH_OP_NET_LISTEN
	EXPECT	0, "listen"
	movq	%rbx, %rdi			/* the port the kernel chose */
	leaq	sa_lo(%rip), %rsi
	leaq	sa_len(%rip), %rdx
	xorl	%r10d, %r10d
	NHCALL	NH_OP_NET_SOCKNAME
	EXPECT	0, "sockname"
	movl	$NH_AF_INET, %edi
	movl	$NH_SOCK_STREAM, %esi
	xorl	%edx, %edx
	NHCALL	NH_OP_NET_SOCKET
	cmpq	$3, %rax
	ASSERT	ge, "socket (client)"
	movq	%rax, %rbp
	movq	%rbp, %rdi
	movl	$7, %esi
	NHCALL	NH_OP_NET_POLL
	EXPECT	0, "poll"
	movq	%rbp, %rdi
	leaq	sa_lo(%rip), %rsi
	movl	$16, %edx
	NHCALL	NH_OP_NET_CONNECT
	cmpq	$-NH_EINPROGRESS, %rax
	je	2f
	EXPECT	0, "connect"
2:	xorl	%edi, %edi			/* IDLE, no deadline: the report */
	leaq	pollev(%rip), %rsi
	movl	$4, %edx
	NHCALL	NH_OP_IDLE
	cmpq	$1, %rax
	ASSERT	ge, "idle reports"
	cmpq	$7, pollev(%rip)
	movq	pollev(%rip), %rax
	ASSERT	e, "the report's tag"
	testl	$NH_POLLOUT, pollev+8(%rip)
	jz	2b
3:	movq	%rbx, %rdi
	xorl	%esi, %esi
	xorl	%edx, %edx
	NHCALL	NH_OP_NET_ACCEPT
	cmpq	$-NH_EAGAIN, %rax
	jne	4f
	call	pause_1ms
	jmp	3b
4:	cmpq	$3, %rax
	ASSERT	ge, "accept"
	movq	%rax, %r12
	movq	%rbp, %rdi
	leaq	s_x(%rip), %rsi
	movl	$1, %edx
	NHCALL	NH_OP_FS_WRITE
	EXPECT	1, "write to the socket"
5:	movq	%r12, %rdi
	leaq	numbuf(%rip), %rsi
	movl	$8, %edx
	NHCALL	NH_OP_FS_READ
	cmpq	$-NH_EAGAIN, %rax
	jne	6f
	call	pause_1ms
	jmp	5b
6:	EXPECT	1, "read from the socket"
	cmpb	$'x', numbuf(%rip)
	ASSERT	e, "the byte read"
	PUTS	"net ok\n"
	xorl	%edi, %edi
	NHCALL	NH_OP_EXIT
	ud2

/* rbx the listener, rbp the client, r12 the accepted socket; argv[2] as a
 * sockaddr_un in sun_buf, its length (family, path, NUL) in sun_len. */
mode_sig:
	movl	$9, %edi			/* SIGKILL: no guest signal */
	movl	$NH_SIG_CATCH, %esi
	NHCALL	NH_OP_SIGNAL
	EXPECT	-NH_EINVAL, "signal(SIGKILL)"
	movl	$32, %edi			/* the C library's */
	movl	$NH_SIG_CATCH, %esi
	NHCALL	NH_OP_SIGNAL
	EXPECT	-NH_EINVAL, "signal(32)"
	movl	$65, %edi
	movl	$NH_SIG_DEFAULT, %esi
	NHCALL	NH_OP_SIGNAL
	EXPECT	-NH_EINVAL, "signal(65)"
	movl	$10, %edi
	movl	$4, %esi			/* no such action */
	NHCALL	NH_OP_SIGNAL
	EXPECT	-NH_EINVAL, "signal(SIGUSR1, 4)"
	movl	$10, %edi
	movl	$NH_SIG_CATCH, %esi
	NHCALL	NH_OP_SIGNAL
	EXPECT	NH_SIG_DEFAULT, "signal(SIGUSR1, CATCH)"
	movl	$10, %edi
	movl	$NH_SIG_CATCH, %esi
	NHCALL	NH_OP_SIGNAL
	EXPECT	NH_SIG_CATCH, "signal(SIGUSR1, CATCH) again"
	movl	$10, %edi
	NHCALL	NH_OP_RAISE
	EXPECT	0, "raise(SIGUSR1)"
	movl	NH_HB_SIG_PENDING(%r15), %eax
	testl	$1 << 9, %eax
	ASSERT	nz, "SIGUSR1's pending bit"
	xorl	%edi, %edi			/* no deadline, nothing registered */
	xorl	%esi, %esi
	xorl	%edx, %edx
	NHCALL	NH_OP_IDLE
	EXPECT	0, "idle(0) with a bit pending"
	xorl	%eax, %eax
	xchgl	%eax, NH_HB_SIG_PENDING(%r15)	/* the guest takes the bits */
	cmpl	$1 << 9, %eax
	ASSERT	e, "the bits taken"
	movl	$19, %edi			/* SIGSTOP */
	NHCALL	NH_OP_RAISE
	EXPECT	-NH_EINVAL, "raise(SIGSTOP)"
	movl	$12, %edi
	movl	$NH_SIG_IGNORE, %esi
	NHCALL	NH_OP_SIGNAL
	EXPECT	NH_SIG_DEFAULT, "signal(SIGUSR2, IGNORE)"
	movl	$12, %edi
	NHCALL	NH_OP_RAISE
	EXPECT	0, "raise(SIGUSR2) ignored"
	movl	$28, %edi			/* SIGWINCH: its default ignores it */
	NHCALL	NH_OP_RAISE
	EXPECT	0, "raise(SIGWINCH)"
	movl	NH_HB_SIG_PENDING(%r15), %eax
	orl	NH_HB_SIG_PENDING+4(%r15), %eax
	EXPECT	0, "no bit for what is not caught"
	PUTS	"sig ok\n"
	xorl	%edi, %edi
	NHCALL	NH_OP_EXIT
	ud2

mode_sigwait:
	movl	$10, %edi
	movl	$NH_SIG_CATCH, %esi
	NHCALL	NH_OP_SIGNAL
	EXPECT	NH_SIG_DEFAULT, "signal(SIGUSR1, CATCH)"
	movl	$15, %edi
	movl	$NH_SIG_CATCH, %esi
	NHCALL	NH_OP_SIGNAL
	EXPECT	NH_SIG_DEFAULT, "signal(SIGTERM, CATCH)"
	xorl	%ebx, %ebx			/* the deadline: none */
	cmpq	$3, %r12
	jb	2f
	movq	16(%r13), %rdi
	leaq	s_timed(%rip), %rsi
	call	streq
	testl	%eax, %eax
	jz	1f
	NHCALL	NH_OP_NANOTIME
	movabsq	$10000000000, %rbx
	addq	%rax, %rbx
	jmp	2f
1:	leaq	sigpipe_fds(%rip), %rdi	/* "pipe" */
	NHCALL	NH_OP_PROC_PIPE
	EXPECT	0, "proc_pipe"
	movslq	sigpipe_fds(%rip), %rdi
	movl	$7, %esi
	NHCALL	NH_OP_NET_POLL
	EXPECT	0, "net_poll(the pipe's read end)"
2:	PUTS	"ready\n"
3:	movq	%rbx, %rdi
	leaq	pollev(%rip), %rsi
	movl	$4, %edx
	NHCALL	NH_OP_IDLE
	testq	%rax, %rax
	ASSERT	ns, "idle"
	xorl	%eax, %eax
	xchgl	%eax, NH_HB_SIG_PENDING(%r15)
	testl	%eax, %eax
	jnz	4f
	testq	%rbx, %rbx
	jz	3b
	NHCALL	NH_OP_NANOTIME
	cmpq	%rbx, %rax
	jb	3b
	leaq	s_nosig(%rip), %rdi
	xorl	%esi, %esi
	call	fail
4:	bsfl	%eax, %edi			/* the lowest bit: signal bit + 1 */
	incl	%edi
	NHCALL	NH_OP_EXIT
	ud2

mode_raise:
	cmpq	$3, %r12
	movq	%r12, %rax
	ASSERT	ae, "raise needs a signal"
	movq	16(%r13), %rdi
	call	atou
	movq	%rax, %rdi
	NHCALL	NH_OP_RAISE
	EXPECT	0, "raise"
	PUTS	"raised\n"
	xorl	%edi, %edi
	NHCALL	NH_OP_EXIT
	ud2

mode_sigign:
	movl	NH_HB_SIG_IGNORED(%r15), %eax
	testl	$1, %eax
	ASSERT	nz, "SIGHUP in hostblock.sig_ignored"
	movl	$1, %edi
	movl	$NH_SIG_DEFAULT, %esi
	NHCALL	NH_OP_SIGNAL
	EXPECT	NH_SIG_IGNORE, "signal(SIGHUP, DEFAULT)"
	PUTS	"sigign ok\n"
	xorl	%edi, %edi
	NHCALL	NH_OP_EXIT
	ud2

mode_unix:
	cmpq	$3, %r12
	movq	%r12, %rax
	ASSERT	ae, "unix needs a path"
	movq	16(%r13), %rdi			/* argv[2] */
	call	strlen
	cmpq	$NH_UNIX_PATH_MAX, %rax
	ASSERT	b, "the path fits sun_path"
	leaq	3(%rax), %rcx
	movq	%rcx, sun_len(%rip)
	movw	$NH_AF_UNIX, sun_buf(%rip)
	movq	16(%r13), %rsi
	leaq	sun_buf+2(%rip), %rdi
1:	movb	(%rsi), %al
	movb	%al, (%rdi)
	incq	%rsi
	incq	%rdi
	testb	%al, %al
	jnz	1b
	movl	$NH_AF_UNIX, %edi
	movl	$NH_SOCK_STREAM, %esi
	xorl	%edx, %edx
	NHCALL	NH_OP_NET_SOCKET
	cmpq	$-NH_EACCES, %rax
	jne	2f
	PUTS	"unix: none\n"
	xorl	%edi, %edi
	NHCALL	NH_OP_EXIT
	ud2
2:	cmpq	$3, %rax
	ASSERT	ge, "socket"
	movq	%rax, %rbx
	movq	%rbx, %rdi
	leaq	sun_buf(%rip), %rsi
	movq	sun_len(%rip), %rdx
	NHCALL	NH_OP_NET_BIND
	EXPECT	0, "bind"
	movq	%rbx, %rdi
	movl	$4, %esi
	NHCALL	NH_OP_NET_LISTEN
	EXPECT	0, "listen"
	movl	$NH_AF_UNIX, %edi
	movl	$NH_SOCK_STREAM, %esi
	xorl	%edx, %edx
	NHCALL	NH_OP_NET_SOCKET
	cmpq	$3, %rax
	ASSERT	ge, "socket (client)"
	movq	%rax, %rbp
	movq	%rbp, %rdi
	leaq	sun_buf(%rip), %rsi
	movq	sun_len(%rip), %rdx
	NHCALL	NH_OP_NET_CONNECT
	EXPECT	0, "connect"
	movq	%rbx, %rdi
	movl	$7, %esi
	NHCALL	NH_OP_NET_POLL
	EXPECT	0, "poll"
3:	xorl	%edi, %edi			/* IDLE, no deadline: the listener's report */
	leaq	pollev(%rip), %rsi
	movl	$4, %edx
	NHCALL	NH_OP_IDLE
	cmpq	$1, %rax
	ASSERT	ge, "idle reports"
	movq	pollev(%rip), %rax
	cmpq	$7, %rax
	ASSERT	e, "the report's tag"
	testl	$NH_POLLIN, pollev+8(%rip)
	jz	3b
	movq	%rbx, %rdi
	xorl	%esi, %esi
	xorl	%edx, %edx
	NHCALL	NH_OP_NET_ACCEPT
	cmpq	$3, %rax
	ASSERT	ge, "accept"
	movq	%rax, %r12
	movq	%rbp, %rdi
	leaq	s_x(%rip), %rsi
	movl	$1, %edx
	NHCALL	NH_OP_FS_WRITE
	EXPECT	1, "write to the socket"
4:	movq	%r12, %rdi
	leaq	numbuf(%rip), %rsi
	movl	$8, %edx
	NHCALL	NH_OP_FS_READ
	cmpq	$-NH_EAGAIN, %rax
	jne	5f
	call	pause_1ms
	jmp	4b
5:	EXPECT	1, "read from the socket"
	cmpb	$'x', numbuf(%rip)
	ASSERT	e, "the byte read"
	movq	%r12, %rdi			/* its name: the guest's path */
	leaq	bigbuf(%rip), %rsi
	leaq	un_room(%rip), %rdx
	xorl	%r10d, %r10d
	NHCALL	NH_OP_NET_SOCKNAME
	EXPECT	0, "sockname"
	movl	un_room(%rip), %eax
	cmpq	sun_len(%rip), %rax
	ASSERT	e, "the name's length"
	leaq	bigbuf+2(%rip), %rdi
	movq	16(%r13), %rsi
	call	streq
	testl	%eax, %eax
	ASSERT	nz, "the name"
	PUTS	"unix ok\n"
	xorl	%edi, %edi
	NHCALL	NH_OP_EXIT
	ud2

mode_sys:
	cmpq	$3, %r12
	movq	%r12, %rax
	ASSERT	ae, "sys needs a system call name"
	movq	16(%r13), %rbx			/* argv[2] */
	leaq	systab(%rip), %rbp
1:	movq	(%rbp), %rsi
	testq	%rsi, %rsi
	jz	4f
	movq	%rbx, %rdi
	call	streq
	testl	%eax, %eax
	jnz	2f
	addq	$SYSTAB_ENTRY, %rbp
	jmp	1b
2:	movq	16(%rbp), %rbx			/* a0, or argv[3] */
	cmpq	$4, %r12
	jb	3f
	movq	24(%r13), %rdi
	call	atou
	movq	%rax, %rbx
3:	movq	%rbx, %rdi
	movq	24(%rbp), %rsi
	movq	32(%rbp), %rdx
	movq	40(%rbp), %r10
	movq	48(%rbp), %r8
	movq	56(%rbp), %r9
	movq	8(%rbp), %rax
	call	raw_syscall
	leaq	s_sysret(%rip), %rdi
	movq	%rax, %rsi
	call	fail
4:	leaq	s_badsys(%rip), %rdi
	movq	%rbx, %rsi
	call	fail

	.type	raw_syscall, @function
raw_syscall:
	syscall
	ret
	.size	raw_syscall, .-raw_syscall

	.type	mode_int80, @function
mode_int80:
	movl	$11, %eax			/* i386 execve */
	leaq	s_binsh(%rip), %rbx		/* below 4 GiB: a valid i386 pointer */
	xorl	%ecx, %ecx
	xorl	%edx, %edx
	int	$0x80
	leaq	s_sysret(%rip), %rdi
	movq	%rax, %rsi
	call	fail
	.size	mode_int80, .-mode_int80

	.type	mode_x32, @function
mode_x32:
	movl	$0x40000000 + 39, %eax		/* x32 getpid */
	syscall
	leaq	s_sysret(%rip), %rdi
	movq	%rax, %rsi
	call	fail
	.size	mode_x32, .-mode_x32

/* ---- helpers (clobber caller-saved registers only) -------------------- */

/* Host block fields the host must fill: ram_start, stack_top = entry RSP,
 * page-aligned heap_start above the image, gate stack outside RAM, flags. */
check_hostblock:
	movq	NH_HB_RAM_START(%r15), %rax
	EXPECT	NH_RAM_START, "hostblock.ram_start"
	movq	NH_HB_STACK_TOP(%r15), %rax
	cmpq	%r14, %rax
	ASSERT	e, "hostblock.stack_top is the entry RSP"
	testq	$15, %rax
	ASSERT	z, "stack_top 16-byte aligned"
	movq	NH_HB_HEAP_START(%r15), %rax
	testq	$NH_PAGE_SIZE-1, %rax
	ASSERT	z, "heap_start page-aligned"
	leaq	_end(%rip), %rcx
	cmpq	%rcx, %rax
	ASSERT	ae, "heap_start above the image"
	movq	NH_HB_GATE_STACK(%r15), %rax
	movq	NH_HB_RAM_START(%r15), %rcx
	movq	%rcx, %rdx
	addq	NH_HB_RAM_SIZE(%r15), %rdx
	cmpq	%rcx, %rax
	jb	1f
	cmpq	%rdx, %rax
	ASSERT	a, "gate_stack outside guest RAM"
1:	movl	NH_HB_SIZE(%r15), %eax
	EXPECT	256, "hostblock.size"
	movq	NH_HB_RAM_STACK_OFFSET(%r15), %rax
	EXPECT	0x100000, "hostblock.ram_stack_offset"
	ret

/* strlen(rdi) -> rax */
strlen:
	xorl	%eax, %eax
1:	cmpb	$0, (%rdi,%rax)
	je	2f
	incq	%rax
	jmp	1b
2:	ret

/* write_str(edi = fd, rsi = NUL-terminated string) */
write_str:
	pushq	%rbx
	pushq	%r12
	movl	%edi, %ebx
	movq	%rsi, %r12
	movq	%rsi, %rdi
	call	strlen
	movq	%rax, %rdx
	movq	%r12, %rsi
	movl	%ebx, %edi
	NHCALL	NH_OP_WRITE
	popq	%r12
	popq	%rbx
	ret

/* puts(rdi): the string on stdout, no newline added */
puts:
	movq	%rdi, %rsi
	movl	$1, %edi
	jmp	write_str

/* streq(rdi, rsi) -> eax = 1 if equal */
streq:
	xorl	%eax, %eax
1:	movb	(%rdi), %cl
	cmpb	(%rsi), %cl
	jne	2f
	incq	%rdi
	incq	%rsi
	testb	%cl, %cl
	jnz	1b
	incl	%eax
2:	ret

/* hasprefix(rdi = s, rsi = prefix) -> eax = 1 if s starts with prefix */
hasprefix:
	xorl	%eax, %eax
1:	movb	(%rsi), %cl
	testb	%cl, %cl
	jz	2f
	cmpb	(%rdi), %cl
	jne	3f
	incq	%rdi
	incq	%rsi
	jmp	1b
2:	incl	%eax
3:	ret

/* atou(rdi) -> rax: decimal digits to unsigned */
atou:
	xorl	%eax, %eax
1:	movzbl	(%rdi), %ecx
	subl	$'0', %ecx
	cmpl	$9, %ecx
	ja	2f
	imulq	$10, %rax
	addq	%rcx, %rax
	incq	%rdi
	jmp	1b
2:	ret

/* format_u64(rdi = value) -> rsi = digits, rdx = length (in numbuf) */
format_u64:
	leaq	numbuf+32(%rip), %rsi
	movq	%rdi, %rax
	movl	$10, %ecx
	xorl	%r8d, %r8d
1:	xorl	%edx, %edx
	divq	%rcx
	addb	$'0', %dl
	decq	%rsi
	movb	%dl, (%rsi)
	incq	%r8
	testq	%rax, %rax
	jnz	1b
	movq	%r8, %rdx
	ret

/* print_u64(rdi) on stdout */
print_u64:
	call	format_u64
	movl	$1, %edi
	NHCALL	NH_OP_WRITE
	ret

/* print_per_call(rdi = total ns for BENCH_N calls): "12.3" on stdout */
print_per_call:
	pushq	%rbx
	movq	%rdi, %rax
	xorl	%edx, %edx
	movl	$BENCH_N/10, %ecx		/* tenths of a ns per call */
	divq	%rcx
	xorl	%edx, %edx
	movl	$10, %ecx
	divq	%rcx
	movq	%rdx, %rbx			/* tenths digit */
	movq	%rax, %rdi
	call	print_u64
	PUTS	"."
	movq	%rbx, %rdi
	call	print_u64
	popq	%rbx
	ret

/* fail(rdi = what, rsi = value): report on stderr and exit 1 */
fail:
	movq	%rdi, %rbx
	movq	%rsi, %r12
	movl	$2, %edi
	leaq	s_fail(%rip), %rsi
	call	write_str
	movl	$2, %edi
	movq	%rbx, %rsi
	call	write_str
	movl	$2, %edi
	leaq	s_got(%rip), %rsi
	call	write_str
	testq	%r12, %r12			/* value, signed */
	jns	1f
	negq	%r12
	movl	$2, %edi
	leaq	s_minus(%rip), %rsi
	call	write_str
1:	movq	%r12, %rdi
	call	format_u64
	movl	$2, %edi
	NHCALL	NH_OP_WRITE
	movl	$2, %edi
	leaq	s_close(%rip), %rsi
	call	write_str
	movl	$1, %edi
	NHCALL	NH_OP_EXIT
	ud2

/* ---- data ---------------------------------------------------------- */

	.section .rodata
/* This image makes process ops (PROC_PIPE): it names the symbol that says
 * so (NH_PROC_START_SYMBOL, nonehost_abi.h), or the host forks it no
 * launcher and serves none. */
	.globl	"nonehost/bsp.hostProcs.Start"
"nonehost/bsp.hostProcs.Start":
	.byte	0
	.p2align 3
modes:
	.quad	s_m_hello, mode_hello
	.quad	s_m_exit, mode_exit
	.quad	s_m_pkexit, mode_pkexit
	.quad	s_m_sleep, mode_sleep
	.quad	s_m_enosys, mode_enosys
	.quad	s_m_efault, mode_efault
	.quad	s_m_handler, mode_handler
	.quad	s_m_fault, mode_fault
	.quad	s_m_infogone, mode_infogone
	.quad	s_m_wx, mode_wx
	.quad	s_m_nx, mode_nx
	.quad	s_m_stack, mode_stack
	.quad	s_m_hbwrite, mode_hbwrite
	.quad	s_m_div0, mode_div0
	.quad	s_m_ret, mode_ret
	.quad	s_m_trap, mode_trap
	.quad	s_m_trapnoh, mode_trapnoh
	.quad	s_m_bench, mode_bench
	.quad	s_m_bigwrite, mode_bigwrite
	.quad	s_m_sys, mode_sys
	.quad	s_m_int80, mode_int80
	.quad	s_m_x32, mode_x32
	.quad	s_m_cat, mode_cat
	.quad	s_m_put, mode_put
	.quad	s_m_fsinfo, mode_fsinfo
	.quad	s_m_net, mode_net
	.quad	s_m_unix, mode_unix
	.quad	s_m_sig, mode_sig
	.quad	s_m_sigwait, mode_sigwait
	.quad	s_m_raise, mode_raise
	.quad	s_m_sigign, mode_sigign
	.quad	0, 0
s_m_hello:	.asciz	"hello"
s_m_exit:	.asciz	"exit"
s_m_pkexit:	.asciz	"pkexit"
s_m_sleep:	.asciz	"sleep"
s_m_enosys:	.asciz	"enosys"
s_m_efault:	.asciz	"efault"
s_m_handler:	.asciz	"handler"
s_m_fault:	.asciz	"fault"
s_m_infogone:	.asciz	"infogone"
s_m_wx:		.asciz	"wx"
s_m_nx:		.asciz	"nx"
s_m_stack:	.asciz	"stack"
s_m_hbwrite:	.asciz	"hbwrite"
s_m_div0:	.asciz	"div0"
s_m_ret:	.asciz	"ret"
s_m_trap:	.asciz	"trap"
s_m_trapnoh:	.asciz	"trapnoh"
s_m_bench:	.asciz	"bench"
s_m_bigwrite:	.asciz	"bigwrite"
s_m_sys:	.asciz	"sys"
s_m_int80:	.asciz	"int80"
s_m_x32:	.asciz	"x32"
s_m_cat:	.asciz	"cat"
s_m_put:	.asciz	"put"
s_m_fsinfo:	.asciz	"fsinfo"
s_m_net:	.asciz	"net"
s_m_unix:	.asciz	"unix"
s_m_sig:	.asciz	"sig"
s_m_sigwait:	.asciz	"sigwait"
s_m_raise:	.asciz	"raise"
s_m_sigign:	.asciz	"sigign"
s_timed:	.asciz	"timed"
s_nosig:	.asciz	"no signal within 10 s"
s_putok:	.asciz	"put ok\n"
s_tmpkey:	.asciz	"TMPDIR="
s_probe:	.asciz	"/probe"
s_sysret:	.asciz	"the system call returned"
s_badsys:	.asciz	"unknown system call name"
s_binsh:	.asciz	"/bin/sh"
s_passwd:	.asciz	"/etc/passwd"

/* systab: name, number, a0..a5 (SYSTAB_ENTRY bytes each), for mode sys.
 * Harmless arguments where the call might succeed if the sandbox failed. */
	.p2align 3
systab:
	.quad	s_y_execve, 59, s_binsh, sh_argv, 0, 0, 0, 0
	.quad	s_y_openat, 257, -100, s_passwd, 0, 0, 0, 0	/* AT_FDCWD, O_RDONLY */
	.quad	s_y_socket, 41, 2, 1, 0, 0, 0, 0		/* AF_INET, SOCK_STREAM */
	.quad	s_y_ptrace, 101, 0, 0, 0, 0, 0, 0		/* PTRACE_TRACEME */
	.quad	s_y_uring, 425, 8, uring_params, 0, 0, 0, 0	/* io_uring_setup */
	.quad	s_y_mmapx, 9, 0, 4096, 5, 0x22, -1, 0		/* R|X, PRIVATE|ANONYMOUS */
	.quad	s_y_mprotx, 10, bigbuf, 4096, 7, 0, 0, 0	/* data page to R|W|X */
	.quad	s_y_mprott, 10, _start, 4096, 7, 0, 0, 0	/* text page to R|W|X (R|W is allowed: MEM_PROTECT's, no X) */
	.quad	s_y_write3, 1, 3, s_x, 1, 0, 0, 0
	.quad	s_y_write1, 1, 1, s_x, 1, 0, 0, 0		/* allowed: returns 1 */
	.quad	s_y_sleeprel, 230, 1, 0, ts_short, 0, 0, 0	/* MONOTONIC, relative */
	.quad	s_y_sleepreal, 230, 0, 1, ts_short, 0, 0, 0	/* REALTIME, TIMER_ABSTIME */
	.quad	s_y_boottime, 228, 7, ts_buf, 0, 0, 0, 0	/* clock_gettime(BOOTTIME) */
	.quad	s_y_grndnb, 318, randbuf, 16, 1, 0, 0, 0	/* GRND_NONBLOCK */
	.quad	s_y_grndbig, 318, bigbuf, 4096, 0, 0, 0, 0
	.quad	s_y_kill, 62, 1, 0, 0, 0, 0, 0			/* kill(A0, 0): a probe */
	.quad	s_y_getppid, 110, 0, 0, 0, 0, 0, 0
	.quad	s_y_clone, 56, 17, 0, 0, 0, 0, 0		/* SIGCHLD: a fork */
	.quad	s_y_setuid, 105, 0, 0, 0, 0, 0, 0
	.quad	s_y_exit, 60, 0, 0, 0, 0, 0, 0			/* exit, not exit_group */
	.quad	s_y_chroot, 161, s_y_dotdot, 0, 0, 0, 0, 0	/* out of the image's own root */
	.quad	s_y_chdir, 80, s_y_dotdot, 0, 0, 0, 0, 0
	.quad	s_y_fchdir, 81, 0, 0, 0, 0, 0, 0		/* to a descriptor opened outside */
	.quad	0
	.set	SYSTAB_ENTRY, 64
s_y_execve:	.asciz	"execve"
s_y_openat:	.asciz	"openat"
s_y_socket:	.asciz	"socket"
s_y_ptrace:	.asciz	"ptrace"
s_y_uring:	.asciz	"io_uring_setup"
s_y_mmapx:	.asciz	"mmap_exec"
s_y_mprotx:	.asciz	"mprotect_exec"
s_y_mprott:	.asciz	"mprotect_text"
s_y_write3:	.asciz	"write_fd3"
s_y_write1:	.asciz	"write_fd1"
s_y_sleeprel:	.asciz	"nanosleep_relative"
s_y_sleepreal:	.asciz	"nanosleep_realtime"
s_y_boottime:	.asciz	"clock_boottime"
s_y_grndnb:	.asciz	"getrandom_nonblock"
s_y_grndbig:	.asciz	"getrandom_big"
s_y_kill:	.asciz	"kill"
s_y_getppid:	.asciz	"getppid"
s_y_clone:	.asciz	"clone"
s_y_setuid:	.asciz	"setuid"
s_y_exit:	.asciz	"exit"
s_y_chroot:	.asciz	"chroot"
s_y_chdir:	.asciz	"chdir"
s_y_fchdir:	.asciz	"fchdir"
s_y_dotdot:	.asciz	".."
	.p2align 3
sh_argv:	.quad	s_binsh, 0
ts_short:	.quad	0, 1000
s_badmode:	.asciz	"unknown mode"
s_nofault:	.asciz	"no fault"
s_envkey:	.asciz	"CGUEST_ENV="
s_printk:	.asciz	"printk ok\n"
s_x:		.asciz	"x"
s_fail:		.asciz	"cguest: FAIL: "
s_got:		.asciz	" (got "
s_close:	.asciz	")\n"
s_minus:	.asciz	"-"

	.data
	.p2align 4
databuf:	.zero	16
sa_lo:		.short	NH_AF_INET, 0		/* sockaddr_in: 127.0.0.1, port 0 */
		.byte	127, 0, 0, 1
		.zero	8
sa_len:		.long	16
un_room:	.long	128

	.bss
	.p2align 4
randbuf:	.zero	RAND_LEN
faultinfo:	.zero	32
faultcount:	.zero	8
numbuf:		.zero	32
tlsbuf:		.zero	64
ts_buf:		.zero	16
nowbuf:		.zero	8
uring_params:	.zero	120
	.p2align 4
pollev:		.zero	64
sigpipe_fds:	.zero	8
sun_len:	.zero	8
sun_buf:	.zero	112			/* sockaddr_un, and its NUL past sun_path */
	.p2align 12
bigbuf:		.zero	BIGBUF_LEN

	.section .note.GNU-stack, "", @progbits
