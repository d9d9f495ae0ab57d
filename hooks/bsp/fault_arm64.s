// Copyright 2026 The nonehost Authors.

//go:build none

#include "textflag.h"

// faultEntry is where nonehost resumes the guest after a fault (op FAULT):
// every register is as at the fault and faultBuf holds struct nh_fault.
// The runtime makes the fault a Go panic.
TEXT ·faultEntry(SB),NOSPLIT|NOFRAME,$0
	MOVD	·faultBuf+0(SB), R0	// signo
	MOVD	·faultBuf+8(SB), R1	// si_code
	MOVD	·faultBuf+16(SB), R2	// address
	MOVD	·faultBuf+24(SB), R3	// pc
	B	runtime·sigpanictramp(SB)

// func preemptTick() (handler, ctx, resume uintptr)
TEXT ·preemptTick(SB),NOSPLIT,$0-24
	MOVD	$runtime·preempttick(SB), R0
	MOVD	R0, handler+0(FP)
	MOVD	$runtime·preemptTickCtx(SB), R0
	MOVD	R0, ctx+8(FP)
	MOVD	$runtime·preempttickResume(SB), R0
	MOVD	R0, resume+16(FP)
	RET
