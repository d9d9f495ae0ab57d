// Copyright 2026 The nonehost Authors.

//go:build none

#include "textflag.h"
#include "hostblock.h"

#define nohostlen 88
#define versionlen 56

// cpuinit is the first code of the image (after the runtime's one-jump
// ELF entry). nonehost enters with R0 = host block and SP = its stack
// top. Started any other way (no host block, e.g. run directly by the
// kernel, which clears the registers) it says so and exits 126.
TEXT cpuinit(SB),NOSPLIT|NOFRAME,$0
	CBZ	R0, nohost
	MOVD	$NH_ABI_MAGIC, R1
	MOVD	NH_HB_MAGIC(R0), R2
	CMP	R1, R2
	BNE	nohost
	MOVWU	NH_HB_ABI_VERSION(R0), R2
	CMP	$NH_ABI_VERSION, R2
	BNE	badversion
	MOVD	R0, ·hostBlockAddr(SB)
	MOVD	NH_HB_GATE(R0), R1
	MOVD	R1, ·gate(SB)
	MOVD	NH_HB_RAM_START(R0), R1
	MOVD	R1, runtime·ramStart(SB)
	MOVD	NH_HB_RAM_SIZE(R0), R1
	MOVD	R1, runtime·ramSize(SB)
	MOVD	NH_HB_RAM_STACK_OFFSET(R0), R1
	MOVD	R1, runtime·ramStackOffset(SB)
	MOVD	NH_HB_HEAP_START(R0), R1
	MOVD	R1, runtime·ramBloc(SB)
	MOVD	NH_HB_STACK_TOP(R0), R1
	MOVD	R1, RSP
	MOVD	NH_HB_ARGV(R0), R1
	MOVD	NH_HB_ARGC(R0), R0
	B	runtime·rt0_go(SB)
nohost:
	MOVD	$·nohostMsg(SB), R1
	MOVD	$nohostlen, R2
	B	fail
badversion:
	MOVD	$·versionMsg(SB), R1
	MOVD	$versionlen, R2
fail:
	// No host to ask: these are Linux system calls, the only other
	// thing that starts an AArch64 ELF file in user mode.
	MOVD	$2, R0		// stderr
	MOVD	$64, R8		// write
	SVC
	MOVD	$126, R0
	MOVD	$94, R8		// exit_group
	SVC
	UNDEF
