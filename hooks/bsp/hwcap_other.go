// Copyright 2026 The nonehost Authors.

//go:build none && !arm && !arm64

package bsp

// amd64 asks the CPU itself (CPUID); riscv64's internal/cpu asks Linux's
// hwprobe, which a board does not have: nothing to pass.
//
//go:nosplit
func registerHWCap() {}
