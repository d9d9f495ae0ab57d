// Copyright 2026 The nonehost Authors.

//go:build none

package bsp

import _ "unsafe" // for go:linkname

// internal/cpu learns an arm CPU's features (VFPv4, IDIVA) from HWCap and
// HWCap2, which Linux's runtime fills from the auxiliary vector; here the
// host passes its own in the host block (under qemu-user, the emulated
// CPU's). cpuinit reads them after hwinit0.
//
//go:linkname cpuHWCap internal/cpu.HWCap
var cpuHWCap uint

//go:linkname cpuHWCap2 internal/cpu.HWCap2
var cpuHWCap2 uint

//go:nosplit
func registerHWCap() {
	hb := hostBlockPtr()
	cpuHWCap = uint(hb.hwcap)
	cpuHWCap2 = uint(hb.hwcap2)
}
