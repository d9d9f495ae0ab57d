// Copyright 2026 The nonehost Authors.

//go:build none

#include "textflag.h"

// faultEntry is where nonehost resumes the guest after a fault (op FAULT):
// every register is as at the fault and faultBuf holds struct nh_fault.
// The runtime makes the fault a Go panic.
TEXT ·faultEntry(SB),NOSPLIT|NOFRAME,$0
	MOV	·faultBuf+0(SB), A0	// signo
	MOV	·faultBuf+8(SB), A1	// si_code
	MOV	·faultBuf+16(SB), A2	// address
	MOV	·faultBuf+24(SB), A3	// pc
	JMP	runtime·sigpanictramp(SB)

// func preemptTick() (handler, ctx, resume uintptr)
TEXT ·preemptTick(SB),NOSPLIT,$0-24
	MOV	$runtime·preempttick(SB), T0
	MOV	T0, handler+0(FP)
	MOV	$runtime·preemptTickCtx(SB), T0
	MOV	T0, ctx+8(FP)
	MOV	$runtime·preempttickResume(SB), T0
	MOV	T0, resume+16(FP)
	RET
