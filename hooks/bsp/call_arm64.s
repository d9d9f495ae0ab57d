// Copyright 2026 The nonehost Authors.

//go:build none

#include "textflag.h"

// func call(op, a0, a1, a2, a3, a4, a5 uintptr) int64
//
// The guest side of the gate (nonehost_abi.h): op in R8, arguments in
// R0-R5, as Linux system calls. The host runs the call on its own stack
// and preserves R19-R29, so g (R28) and the frame pointer survive; the
// assembler saves LR, which the call clobbers, in this function's frame.
TEXT ·call(SB),NOSPLIT,$0-64
	MOVD	op+0(FP), R8
	MOVD	a0+8(FP), R0
	MOVD	a1+16(FP), R1
	MOVD	a2+24(FP), R2
	MOVD	a3+32(FP), R3
	MOVD	a4+40(FP), R4
	MOVD	a5+48(FP), R5
	MOVD	·gate(SB), R9
	CALL	(R9)
	MOVD	R0, ret+56(FP)
	RET
