// Copyright 2026 The nonehost Authors.

//go:build none

#include "textflag.h"

// What cpuinit (cpuinit_$GOARCH.s) writes when nothing started the image
// through nonehost: nohostMsg is 88 bytes, versionMsg 56.
DATA ·nohostMsg+0(SB)/8, $"this is "
DATA ·nohostMsg+8(SB)/8, $"a GOOS=n"
DATA ·nohostMsg+16(SB)/8, $"one imag"
DATA ·nohostMsg+24(SB)/8, $"e: no no"
DATA ·nohostMsg+32(SB)/8, $"nehost b"
DATA ·nohostMsg+40(SB)/8, $"lock at "
DATA ·nohostMsg+48(SB)/8, $"entry; r"
DATA ·nohostMsg+56(SB)/8, $"un it wi"
DATA ·nohostMsg+64(SB)/8, $"th 'none"
DATA ·nohostMsg+72(SB)/8, $"host run"
DATA ·nohostMsg+80(SB)/8, $" IMAGE'\n"
GLOBL ·nohostMsg(SB), RODATA, $88

DATA ·versionMsg+0(SB)/8, $"GOOS=non"
DATA ·versionMsg+8(SB)/8, $"e image:"
DATA ·versionMsg+16(SB)/8, $" nonehos"
DATA ·versionMsg+24(SB)/8, $"t ABI ve"
DATA ·versionMsg+32(SB)/8, $"rsion mi"
DATA ·versionMsg+40(SB)/8, $"smatch ("
DATA ·versionMsg+48(SB)/8, $"want 1)\n"
GLOBL ·versionMsg(SB), RODATA, $56
