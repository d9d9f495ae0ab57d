// Copyright 2026 The nonehost Authors.

//go:build none

#include "textflag.h"

// faultEntry is where nonehost resumes the guest after a fault (op FAULT):
// SP is as at the fault and faultBuf holds struct nh_fault. The runtime
// makes the fault a Go panic.
TEXT ·faultEntry(SB),NOSPLIT|NOFRAME,$0
	MOVQ	·faultBuf+0(SB), AX	// signo
	MOVQ	·faultBuf+8(SB), BX	// si_code
	MOVQ	·faultBuf+16(SB), CX	// address
	MOVQ	·faultBuf+24(SB), DX	// pc
	JMP	runtime·sigpanictramp(SB)

// func preemptTick() (handler, ctx, resume uintptr)
TEXT ·preemptTick(SB),NOSPLIT,$0-24
	MOVQ	$runtime·preempttick(SB), AX
	MOVQ	AX, handler+0(FP)
	MOVQ	$0, ctx+8(FP)
	MOVQ	$0, resume+16(FP)
	RET
