// Copyright 2026 The nonehost Authors.

//go:build none

#include "textflag.h"

// func call(op uintptr, a0, a1, a2, a3, a4, a5 int64) int64
//
// The guest side of the gate (nonehost_abi.h): op in R7 and, since 32-bit
// registers cannot carry them, R0 = the address of a0..a5, which lie in
// this frame one after the other as the ABI wants them; the result comes
// back in R0 (low) and R1 (high). The host runs the call on its own stack
// and preserves R4-R11, so g (R10) survives; the assembler saves LR, which
// the call clobbers, in this function's frame.
TEXT ·call(SB),NOSPLIT,$0-60
	MOVW	op+0(FP), R7
	MOVW	$a0+4(FP), R0
	MOVW	·gate(SB), R8
	BL	(R8)
	MOVW	R0, ret_lo+52(FP)
	MOVW	R1, ret_hi+56(FP)
	RET
