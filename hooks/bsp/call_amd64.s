// Copyright 2026 The nonehost Authors.

//go:build none

#include "textflag.h"

// func call(op, a0, a1, a2, a3, a4, a5 uintptr) int64
//
// The guest side of the gate (nonehost_abi.h): op in AX, arguments in the
// Linux system call registers. The host runs the call on its own stack
// and preserves BX, BP, R12-R15, so g (R14) survives; the ABI wrapper
// around this ABI0 function restores X15.
TEXT ·call(SB),NOSPLIT,$0-64
	MOVQ	op+0(FP), AX
	MOVQ	a0+8(FP), DI
	MOVQ	a1+16(FP), SI
	MOVQ	a2+24(FP), DX
	MOVQ	a3+32(FP), R10
	MOVQ	a4+40(FP), R8
	MOVQ	a5+48(FP), R9
	MOVQ	·gate(SB), R11
	CALL	R11
	MOVQ	AX, ret+56(FP)
	RET
