// Copyright 2026 The nonehost Authors.

//go:build none

#include "textflag.h"
#include "hostblock.h"

#define nohostlen 88
#define versionlen 56

// cpuinit is the first code of the image (after the runtime's one-jump
// ELF entry). nonehost enters with A0 = host block and SP = its stack
// top. Started any other way (no host block, e.g. run directly by the
// kernel, which clears the registers) it says so and exits 126.
TEXT cpuinit(SB),NOSPLIT|NOFRAME,$0
	BEQZ	A0, nohost
	MOV	$NH_ABI_MAGIC, T0
	MOV	NH_HB_MAGIC(A0), T1
	BNE	T0, T1, nohost
	MOVWU	NH_HB_ABI_VERSION(A0), T1
	MOV	$NH_ABI_VERSION, T0
	BNE	T0, T1, badversion
	MOV	A0, ·hostBlockAddr(SB)
	MOV	NH_HB_GATE(A0), T0
	MOV	T0, ·gate(SB)
	MOV	NH_HB_RAM_START(A0), T0
	MOV	T0, runtime·ramStart(SB)
	MOV	NH_HB_RAM_SIZE(A0), T0
	MOV	T0, runtime·ramSize(SB)
	MOV	NH_HB_RAM_STACK_OFFSET(A0), T0
	MOV	T0, runtime·ramStackOffset(SB)
	MOV	NH_HB_HEAP_START(A0), T0
	MOV	T0, runtime·ramBloc(SB)
	MOV	NH_HB_STACK_TOP(A0), X2
	MOV	NH_HB_ARGV(A0), A1
	MOV	NH_HB_ARGC(A0), A0
	JMP	runtime·rt0_go(SB)
nohost:
	MOV	$·nohostMsg(SB), A1
	MOV	$nohostlen, A2
	JMP	fail
badversion:
	MOV	$·versionMsg(SB), A1
	MOV	$versionlen, A2
fail:
	// No host to ask: these are Linux system calls, the only other
	// thing that starts a RISC-V ELF file in user mode.
	MOV	$2, A0		// stderr
	MOV	$64, A7		// write
	ECALL
	MOV	$126, A0
	MOV	$94, A7		// exit_group
	ECALL
	UNDEF
