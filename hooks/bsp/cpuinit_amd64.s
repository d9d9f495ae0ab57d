// Copyright 2026 The nonehost Authors.

//go:build none

#include "textflag.h"
#include "hostblock.h"

#define nohostlen 88
#define versionlen 56

// cpuinit is the first code of the image (after the runtime's one-jump
// ELF entry). nonehost enters with DI = host block and SP = its stack
// top. Started any other way (DI = 0, e.g. run directly by the kernel,
// which clears the registers) it says so and exits 126.
TEXT cpuinit(SB),NOSPLIT|NOFRAME,$0
	TESTQ	DI, DI
	JZ	nohost
	MOVQ	$NH_ABI_MAGIC, AX
	CMPQ	NH_HB_MAGIC(DI), AX
	JNE	nohost
	CMPL	NH_HB_ABI_VERSION(DI), $NH_ABI_VERSION
	JNE	badversion

	MOVQ	DI, ·hostBlockAddr(SB)
	MOVQ	NH_HB_GATE(DI), AX
	MOVQ	AX, ·gate(SB)
	MOVQ	NH_HB_RAM_START(DI), AX
	MOVQ	AX, runtime·ramStart(SB)
	MOVQ	NH_HB_RAM_SIZE(DI), AX
	MOVQ	AX, runtime·ramSize(SB)
	MOVQ	NH_HB_RAM_STACK_OFFSET(DI), AX
	MOVQ	AX, runtime·ramStackOffset(SB)
	MOVQ	NH_HB_HEAP_START(DI), AX
	MOVQ	AX, runtime·ramBloc(SB)

	MOVQ	NH_HB_STACK_TOP(DI), SP
	MOVQ	NH_HB_ARGV(DI), SI
	MOVQ	NH_HB_ARGC(DI), DI
	JMP	runtime·rt0_go(SB)

nohost:
	LEAQ	·nohostMsg(SB), SI
	MOVQ	$nohostlen, DX
	JMP	fail
badversion:
	LEAQ	·versionMsg(SB), SI
	MOVQ	$versionlen, DX
fail:
	// No host to ask: these are Linux system calls, the only other
	// thing that starts an x86-64 ELF file in user mode.
	MOVQ	$2, DI		// stderr
	MOVQ	$1, AX		// write
	SYSCALL
	MOVQ	$126, DI
	MOVQ	$231, AX	// exit_group
	SYSCALL
	HLT
