// Copyright 2026 The nonehost Authors.

//go:build none

#include "textflag.h"
#include "hostblock.h"

#define nohostlen 88
#define versionlen 56

// cpuinit is the first code of the image (after the runtime's one-jump
// ELF entry). nonehost enters in ARM state with R0 = host block and SP =
// its stack top. Started any other way (no host block, e.g. run directly by
// the kernel, which clears the registers) it says so and exits 126. The
// host block's fields are 64-bit; on arm their values fit the low words.
TEXT cpuinit(SB),NOSPLIT|NOFRAME,$0
	CMP	$0, R0
	B.EQ	nohost
	MOVW	$(NH_ABI_MAGIC & 0xffffffff), R1
	MOVW	(NH_HB_MAGIC+0)(R0), R2
	CMP	R1, R2
	B.NE	nohost
	MOVW	$(NH_ABI_MAGIC >> 32), R1
	MOVW	(NH_HB_MAGIC+4)(R0), R2
	CMP	R1, R2
	B.NE	nohost
	MOVW	NH_HB_ABI_VERSION(R0), R2
	CMP	$NH_ABI_VERSION, R2
	B.NE	badversion
	MOVW	R0, ·hostBlockAddr(SB)
	MOVW	NH_HB_GATE(R0), R1
	MOVW	R1, ·gate(SB)
	MOVW	NH_HB_RAM_START(R0), R1
	MOVW	R1, runtime·ramStart(SB)
	MOVW	NH_HB_RAM_SIZE(R0), R1
	MOVW	R1, runtime·ramSize(SB)
	MOVW	NH_HB_RAM_STACK_OFFSET(R0), R1
	MOVW	R1, runtime·ramStackOffset(SB)
	MOVW	NH_HB_HEAP_START(R0), R1
	MOVW	R1, runtime·ramBloc(SB)
	MOVW	NH_HB_STACK_TOP(R0), R13
	// rt0_go stores argv one word above the 64 bytes it takes, as if a
	// Linux initial stack held argc there; the host block is above
	// stack_top and read-only, so give it that word.
	SUB	$8, R13
	MOVW	NH_HB_ARGV(R0), R1
	MOVW	NH_HB_ARGC(R0), R0
	B	runtime·rt0_go(SB)
nohost:
	MOVW	$·nohostMsg(SB), R1
	MOVW	$nohostlen, R2
	B	fail
badversion:
	MOVW	$·versionMsg(SB), R1
	MOVW	$versionlen, R2
fail:
	// No host to ask: these are Linux system calls (EABI), the only other
	// thing that starts an ARM ELF file in user mode.
	MOVW	$2, R0		// stderr
	MOVW	$4, R7		// write
	SWI	$0
	MOVW	$126, R0
	MOVW	$248, R7	// exit_group
	SWI	$0
	WORD	$0xe7f000f0	// UDF
