/*
 * gate_amd64.S - the one crossing between the guest and the host (amd64).
 *
 * gate_entry (its address is hostblock.gate), called by the guest with
 *     RAX = op, RDI, RSI, RDX, R10, R8, R9 = a0..a5      (nonehost_abi.h)
 * saves the guest RSP, switches to the host-call stack (nh_host.gate_stack_top,
 * the first field of the host context), stores a0..a5 as an array on that
 * stack, clears DF (the guest may have set it; C code assumes it clear), and
 * calls
 *     int64_t gate_dispatch(uint64_t op, const uint64_t a[6])
 * then switches back to the guest stack and returns RAX. RBX, RBP and R12-R15
 * survive because gate_dispatch preserves them (SysV); the guest's RSP is
 * restored from the host stack. No system calls and no FS/GS switching: the
 * guest keeps its TLS in GS, the host's glibc uses FS, so nothing is swapped.
 * The gate uses no guest stack beyond the return address the call pushed.
 * It is not reentrant (one host-call stack): the host never calls the guest.
 *
 * gate_enter(entry, stack_top, hostblock) leaves the host for good: it jumps
 * to entry with RSP = stack_top, RDI = hostblock, DF clear and every other
 * general-purpose register zero.
 */

	.text

	.globl	gate_entry
	.type	gate_entry, @function
	.p2align 4
gate_entry:
	movq	%rsp, %r11			/* guest RSP (R11 is a scratch register) */
	movq	nh_host(%rip), %rsp		/* nh_host.gate_stack_top, 16-byte aligned */
	pushq	%r11				/* [top-8]  guest RSP */
	pushq	%r9				/* a5 */
	pushq	%r8				/* a4 */
	pushq	%r10				/* a3 */
	pushq	%rdx				/* a2 */
	pushq	%rsi				/* a1 */
	pushq	%rdi				/* a0, at top-56: the array */
	movq	%rax, %rdi			/* op */
	movq	%rsp, %rsi			/* a */
	subq	$8, %rsp			/* top-64: aligned for the call */
	cld
	call	gate_dispatch
	movq	56(%rsp), %rsp			/* back to the guest stack */
	ret
	.size	gate_entry, .-gate_entry

	.globl	gate_enter
	.type	gate_enter, @function
	.p2align 4
gate_enter:
	movq	%rsi, %rsp			/* stack_top */
	pushq	%rdi				/* entry, consumed by ret below */
	movq	%rdx, %rdi			/* hostblock */
	xorl	%eax, %eax
	xorl	%ebx, %ebx
	xorl	%ecx, %ecx
	xorl	%edx, %edx
	xorl	%esi, %esi
	xorl	%ebp, %ebp
	xorl	%r8d, %r8d
	xorl	%r9d, %r9d
	xorl	%r10d, %r10d
	xorl	%r11d, %r11d
	xorl	%r12d, %r12d
	xorl	%r13d, %r13d
	xorl	%r14d, %r14d
	xorl	%r15d, %r15d
	cld
	ret					/* to entry, RSP = stack_top */
	.size	gate_enter, .-gate_enter

	.section .note.GNU-stack, "", @progbits
