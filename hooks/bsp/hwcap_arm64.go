// Copyright 2026 The nonehost Authors.

//go:build none

package bsp

import _ "unsafe" // for go:linkname

// internal/cpu learns an arm64 CPU's features (AES, SHA, CRC32, LSE
// atomics) from HWCap, which Linux's runtime fills from the auxiliary
// vector; here the host passes its own AT_HWCAP in the host block (under
// qemu-user, the emulated CPU's). cpuinit reads it after hwinit0.
//
//go:linkname cpuHWCap internal/cpu.HWCap
var cpuHWCap uint

//go:nosplit
func registerHWCap() {
	hb := hostBlockPtr()
	cpuHWCap = uint(hb.hwcap)
}
