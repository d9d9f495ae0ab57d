// Copyright 2026 The nonehost Authors.

package bsp

import (
	"internal/abi"
	"unsafe"
)

// faultInfo mirrors struct nh_fault; the host fills faultBuf before it
// resumes the guest at faultEntry.
type faultInfo struct {
	signo uint64
	code  uint64
	addr  uint64
	pc    uint64
}

var faultBuf faultInfo

func faultEntry()

// preempttickPC returns the address of runtime·preempttick, the
// runtime's time-slice tick entry (fault_amd64.s).
func preempttickPC() uintptr

// registerPreemptTick asks the host for a time-slice tick, so that a
// goroutine that never yields cannot keep the one CPU (runtime's
// preemptTickCheck does what sysmon does elsewhere).
func registerPreemptTick() {
	call(opPreempt, preempttickPC(), 0, 0, 0, 0, 0)
}

// registerFaultHandler asks the host to turn faults into Go panics, as a
// nil pointer dereference is on Linux.
func registerFaultHandler() {
	call(opFault, abi.FuncPCABI0(faultEntry), uintptr(unsafe.Pointer(&faultBuf)), 0, 0, 0, 0)
}
