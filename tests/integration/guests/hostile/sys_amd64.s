#include "textflag.h"

// func rawSyscall(nr, a1, a2, a3, a4, a5, a6 uintptr) uintptr
// A system call made straight from guest code, past the gate: what a
// compromised image would do. The sandbox must stop it.
TEXT ·rawSyscall(SB),NOSPLIT,$0-64
	MOVQ	nr+0(FP), AX
	MOVQ	a1+8(FP), DI
	MOVQ	a2+16(FP), SI
	MOVQ	a3+24(FP), DX
	MOVQ	a4+32(FP), R10
	MOVQ	a5+40(FP), R8
	MOVQ	a6+48(FP), R9
	SYSCALL
	MOVQ	AX, ret+56(FP)
	RET

// func gateCall(op, a0, a1, a2, a3, a4, a5 uintptr) int64
// The gate, called with whatever arguments a hostile image likes.
TEXT ·gateCall(SB),NOSPLIT,$0-64
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
