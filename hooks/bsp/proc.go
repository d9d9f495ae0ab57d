// Copyright 2026 The nonehost Authors.

//go:build none

package bsp

import (
	"runtime"
	"syscall"
	"unsafe"
)

// hostProcs is syscall.Processes served by the host (the NH_OP_PROC_*
// ops): its launcher starts the children, its pipes and process handles
// are handles of the fs-shim's table that the poller watches like sockets.
type hostProcs struct{}

func registerProcesses() {
	if hostBlockPtr().flags&hbProc != 0 {
		syscall.SetProcesses(hostProcs{})
	}
}

func (hostProcs) Pipe(fd []int) error {
	var p [2]int32
	if err := errOf(call(opProcPipe, argp(unsafe.Pointer(&p)), 0, 0, 0, 0, 0)); err != nil {
		return err
	}
	fd[0], fd[1] = int(p[0]), int(p[1])
	return nil
}

// strs lays ss out as struct nh_str[], on the heap: the host reads it
// through addresses the stack copier would not update.
func strs(ss []string) []nhStr {
	out := make([]nhStr, len(ss))
	for i, s := range ss {
		out[i] = nhStr{uint64(uintptr(unsafe.Pointer(unsafe.StringData(s)))), uint64(len(s))}
	}
	return out
}

func addr[T any](s []T) uint64 {
	if len(s) == 0 {
		return 0
	}
	return uint64(uintptr(unsafe.Pointer(&s[0])))
}

func (hostProcs) Start(path string, argv, env []string, dir string, files []int) (int, int, error) {
	a, e := strs(argv), strs(env)
	fds := make([]int64, len(files))
	for i, f := range files {
		fds[i] = int64(f)
	}
	sp := &nhSpawn{
		path: uint64(uintptr(unsafe.Pointer(unsafe.StringData(path)))), pathlen: uint64(len(path)),
		argv: addr(a), argc: uint64(len(a)),
		envv: addr(e), envc: uint64(len(e)),
		dir: uint64(uintptr(unsafe.Pointer(unsafe.StringData(dir)))), dirlen: uint64(len(dir)),
		fds: addr(fds), nfds: uint64(len(fds)),
	}
	h, err := result(call(opProcStart, argp(unsafe.Pointer(sp)), 0, 0, 0, 0, 0))
	runtime.KeepAlive(path)
	runtime.KeepAlive(dir)
	runtime.KeepAlive(argv)
	runtime.KeepAlive(env)
	runtime.KeepAlive(a)
	runtime.KeepAlive(e)
	runtime.KeepAlive(fds)
	if err != nil {
		return 0, 0, err
	}
	return int(sp.pid), h, nil
}

func (hostProcs) Wait(proc int) (syscall.WaitStatus, error) {
	var st int32
	if err := errOf(call(opProcWait, int64(proc), argp(unsafe.Pointer(&st)), 0, 0, 0, 0)); err != nil {
		return 0, err
	}
	return syscall.WaitStatus(uint32(st)), nil
}

func (hostProcs) Signal(proc int, sig syscall.Signal) error {
	return errOf(call(opProcKill, int64(proc), int64(sig), 0, 0, 0, 0))
}
