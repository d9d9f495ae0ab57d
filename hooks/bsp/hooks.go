// Copyright 2026 The nonehost Authors.

//go:build none

package bsp

import (
	"syscall"
	"unsafe"
)

// gate is the host's entry and hostBlockAddr the host block (read-only,
// outside the Go heap), both set by cpuinit before the runtime starts.
var gate, hostBlockAddr uintptr

func hostBlockPtr() *hostBlock { return (*hostBlock)(unsafe.Pointer(hostBlockAddr)) }

// call crosses the gate to the host (call_$GOARCH.s). The arguments are
// int64 on every architecture, as the ABI's are: on 32-bit arm a uintptr
// holds neither a file offset nor a deadline, and a negative handle
// (NH_AT_ROOT) must reach the host negative.
//
//go:noescape
func call(op uintptr, a0, a1, a2, a3, a4, a5 int64) int64

// argp is a guest address as a gate argument. The call is synchronous and
// no Go code runs while the host serves it (no collection, no stack move),
// so what p points to needs no keeping alive beyond the call itself.
//
//go:nosplit
func argp(p unsafe.Pointer) int64 { return int64(uintptr(p)) }

// The runtime's optional hooks (runtime/hooks_none.go), set in hwinit0.
//
//go:linkname runtimeExit runtime.exitHook
var runtimeExit func(code int32)

//go:linkname runtimeIdle runtime.idleHook
var runtimeIdle func(until int64)

//go:linkname runtimeConsoleWrite runtime.consoleWrite
var runtimeConsoleWrite func(fd int32, p uintptr, n int32) int32

//go:linkname runtimeFileWrite runtime.fileWriteHook
var runtimeFileWrite func(fd int32, p uintptr, n int32) int32

//go:linkname runtimeWalltime runtime.walltimeHook
var runtimeWalltime func() (sec int64, nsec int32)

//go:linkname runtimeNow runtime.nowHook
var runtimeNow func() (sec int64, nsec int32, mono int64)

//go:linkname runtimeMemProtect runtime.memProtectHook
var runtimeMemProtect func(p, n uintptr, prot int32) int32

//go:linkname runtimeMemRelease runtime.memReleaseHook
var runtimeMemRelease func(p, n uintptr)

//go:linkname hwinit0 runtime.hwinit0
//go:nosplit
func hwinit0() {
	runtimeExit = exit
	runtimeIdle = idle
	runtimeConsoleWrite = consoleWrite
	runtimeWalltime = walltime
	runtimeMemProtect = memProtect
	runtimeMemRelease = memRelease
	// A host from before NOW does not know it: time.Now then asks twice.
	var mono int64
	if call(opNow, argp(unsafe.Pointer(&mono)), 0, 0, 0, 0, 0) != -enosys {
		runtimeNow = now
	}
	registerSignals()
	registerHWCap()
}

//go:linkname hwinit1 runtime.hwinit1
func hwinit1() {
	registerFaultHandler()
	registerPreemptTick()
	hb := hostBlockPtr()
	if hb.flags&hbIds != 0 {
		syscall.SetIdentity(int(hb.uid), int(hb.gid))
	}
	if hb.flags&hbPids != 0 {
		syscall.SetProcessIDs(int(hb.pid), int(hb.ppid))
	}
	if hb.hostname != 0 {
		syscall.SetHostname(cString(uintptr(hb.hostname)))
	}
	if hb.executable != 0 {
		syscall.SetExecutable(cString(uintptr(hb.executable)))
	}
	if hb.flags&hbFs != 0 {
		syscall.SetFileSystem(hostFS{}, cString(uintptr(hb.cwd)))
		runtimeFileWrite = fileWrite
	}
	registerNetwork()
	registerProcesses()
}

// memProtect is MEM_PROTECT. The runtime's prot bits are the ABI's
// (protRead, protWrite: Linux's PROT_READ and PROT_WRITE), and there is no
// execute bit to pass on: syscall refuses PROT_EXEC itself.
func memProtect(p, n uintptr, prot int32) int32 {
	return int32(call(opMemProtect, int64(p), int64(n), int64(prot), 0, 0, 0))
}

// memRelease is MEM_RELEASE: the scavenger's free pages back to the host.
// An error leaves them as they were, which is all the runtime needs.
//
//go:nosplit
func memRelease(p, n uintptr) {
	call(opMemRelease, int64(p), int64(n), 0, 0, 0, 0)
}

//go:linkname printk runtime.printk
//go:nosplit
func printk(c byte) {
	call(opPrintk, int64(c), 0, 0, 0, 0, 0)
}

//go:linkname initRNG runtime.initRNG
//go:nosplit
func initRNG() {}

//go:linkname getRandomData runtime.getRandomData
//go:nosplit
func getRandomData(b []byte) {
	for len(b) > 0 {
		n := min(len(b), getrandomMax)
		r := call(opGetrandom, argp(unsafe.Pointer(&b[0])), int64(n), 0, 0, 0, 0)
		if r <= 0 {
			// The host cannot fail getrandom for a valid buffer;
			// never hand out predictable bytes.
			exit(2)
		}
		b = b[r:]
	}
}

//go:linkname nanotime1 runtime.nanotime1
//go:nosplit
func nanotime1() int64 {
	return call(opNanotime, 0, 0, 0, 0, 0, 0)
}

//go:nosplit
func walltime() (sec int64, nsec int32) {
	ns := call(opWalltime, 0, 0, 0, 0, 0, 0)
	return ns / 1e9, int32(ns % 1e9)
}

// now is time.Now's: the wall clock, and the monotonic one read right
// after it, in one crossing (NOW).
//
//go:nosplit
func now() (sec int64, nsec int32, mono int64) {
	ns := call(opNow, argp(unsafe.Pointer(&mono)), 0, 0, 0, 0, 0)
	return ns / 1e9, int32(ns % 1e9), mono
}

//go:nosplit
func exit(code int32) {
	call(opExit, int64(code), 0, 0, 0, 0, 0)
}

//go:nosplit
func idle(until int64) {
	if call(opIdle, until, 0, 0, 0, 0, 0) == -edeadlk {
		// Goroutines wait for events (runtime.eventWait) and nothing
		// else will run: the host has nothing that could ready them.
		deadlock()
	}
}

//go:nosplit
func deadlock() {
	const msg = "fatal error: all goroutines are asleep - deadlock! (waiting for events no one will send)\n"
	consoleWrite(2, uintptr(unsafe.Pointer(unsafe.StringData(msg))), int32(len(msg)))
	exit(2)
}

//go:nosplit
func consoleWrite(fd int32, p uintptr, n int32) int32 {
	return int32(call(opWrite, int64(fd), int64(p), int64(n), 0, 0, 0))
}

// fileWrite is the runtime's write to a file descriptor of the fs-shim's
// (debug.SetCrashOutput, debug.WriteHeapDump).
//
//go:nosplit
func fileWrite(fd int32, p uintptr, n int32) int32 {
	return int32(call(opFsWrite, int64(fd), int64(p), int64(n), 0, 0, 0))
}
