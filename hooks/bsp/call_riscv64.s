// Copyright 2026 The nonehost Authors.

//go:build none

#include "textflag.h"

// func call(op, a0, a1, a2, a3, a4, a5 uintptr) int64
//
// The guest side of the gate (nonehost_abi.h): op in A7, arguments in
// A0-A5, as Linux system calls. The host runs the call on its own stack
// and preserves S0-S11, so g (X27) survives, and GP and TP, which Go never
// touches; the assembler saves RA, which the call clobbers, in this
// function's frame.
TEXT ·call(SB),NOSPLIT,$0-64
	MOV	op+0(FP), A7
	MOV	a0+8(FP), A0
	MOV	a1+16(FP), A1
	MOV	a2+24(FP), A2
	MOV	a3+32(FP), A3
	MOV	a4+40(FP), A4
	MOV	a5+48(FP), A5
	MOV	·gate(SB), T0
	JALR	RA, T0
	MOV	A0, ret+56(FP)
	RET
