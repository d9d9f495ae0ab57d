// Copyright 2026 The nonehost Authors.

//go:build none

#include "textflag.h"

// faultEntry is where nonehost resumes the guest after a fault (op FAULT):
// every register is as at the fault and faultBuf holds struct nh_fault
// (64-bit fields: the low words are the 32-bit values).
TEXT ·faultEntry(SB),NOSPLIT|NOFRAME,$0
	MOVW	·faultBuf+0(SB), R0	// signo
	MOVW	·faultBuf+8(SB), R1	// si_code
	MOVW	·faultBuf+16(SB), R2	// address
	MOVW	·faultBuf+24(SB), R3	// pc
	B	runtime·sigpanictramp(SB)

// func preemptTick() (handler, ctx, resume uintptr)
TEXT ·preemptTick(SB),NOSPLIT,$0-12
	MOVW	$runtime·preempttick(SB), R0
	MOVW	R0, handler+0(FP)
	MOVW	$runtime·preemptTickCtx(SB), R0
	MOVW	R0, ctx+4(FP)
	MOVW	$runtime·preempttickResume(SB), R0
	MOVW	R0, resume+8(FP)
	RET
