// Copyright 2026 The nonehost Authors.

//go:build none

package bsp

import _ "unsafe" // for go:linkname

// Signals: the host keeps an action per signal and marks caught ones in
// the host block's sig_pending words, which the runtime takes itself
// (runtime/hooks_none.go, signalHook).

//go:linkname runtimeSignal runtime.signalHook
var runtimeSignal func(sig uint32, action int32) int32

//go:linkname runtimeRaise runtime.raiseHook
var runtimeRaise func(sig uint32) int32

//go:linkname runtimeSignalPending runtime.signalPending
var runtimeSignalPending *[2]uint32

//go:linkname runtimeSignalIgnoredAtStart runtime.signalIgnoredAtStart
var runtimeSignalIgnoredAtStart [2]uint32

// registerSignals runs in hwinit0: initsig, which uses them, comes later.
//
//go:nosplit
func registerSignals() {
	hb := hostBlockPtr()
	runtimeSignal = signal
	runtimeRaise = raise
	runtimeSignalPending = &hb.sigPending
	runtimeSignalIgnoredAtStart = hb.sigIgnored
}

//go:nosplit
func signal(sig uint32, action int32) int32 {
	return int32(call(opSignal, int64(sig), int64(action), 0, 0, 0, 0))
}

//go:nosplit
func raise(sig uint32) int32 {
	return int32(call(opRaise, int64(sig), 0, 0, 0, 0, 0))
}
