// Copyright 2026 The nonehost Authors.

//go:build none

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

// preemptTick returns NH_OP_PREEMPT's arguments on this architecture
// (fault_$GOARCH.s): the runtime's tick entry, runtime·preempttick, and,
// where the host restores the interrupted context itself (arm, arm64,
// riscv64), the runtime's context and its resume breakpoint; 0 on amd64.
func preemptTick() (handler, ctx, resume uintptr)

// registerPreemptTick asks the host for a time-slice tick, so that a
// goroutine that never yields cannot keep the one CPU (runtime's
// preemptTickCheck does what sysmon does elsewhere).
func registerPreemptTick() {
	handler, ctx, resume := preemptTick()
	call(opPreempt, int64(handler), int64(ctx), int64(resume), 0, 0, 0)
}

// registerFaultHandler asks the host to turn faults into Go panics, as a
// nil pointer dereference is on Linux.
func registerFaultHandler() {
	call(opFault, int64(abi.FuncPCABI0(faultEntry)), argp(unsafe.Pointer(&faultBuf)), 0, 0, 0, 0)
}
