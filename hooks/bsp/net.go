// Copyright 2026 The nonehost Authors.

//go:build none

package bsp

import (
	"syscall"
	"unsafe"
)

// hostNet is syscall.Network served by the host's netstack-shim (the
// NH_OP_NET_* ops). Sockets are handles of the fs-shim's table, so Read,
// Write, Close and Fstat reach them through hostFS. Every socket is
// non-blocking; the runtime waits for them through pollOpen and pollWait,
// which the host serves with NET_POLL and IDLE.
type hostNet struct{}

// The runtime's poller hooks (runtime/hooks_none.go).
//
//go:linkname runtimePollOpen runtime.pollOpenHook
var runtimePollOpen func(fd uintptr, tag uint64) int32

//go:linkname runtimePollWait runtime.pollWaitHook
var runtimePollWait func(until int64, ev uintptr, n int32) int32

// registerNetwork installs hostNet when the host serves the network, and
// the poller when it serves anything to poll (sockets, pipes, processes).
func registerNetwork() {
	hb := hostBlockPtr()
	if hb.flags&hbNet != 0 {
		syscall.SetNetwork(hostNet{})
	}
	if hb.flags&(hbNet|hbProc) != 0 {
		runtimePollOpen = pollOpen
		runtimePollWait = pollWait
	}
}

//go:nosplit
func pollOpen(fd uintptr, tag uint64) int32 {
	if r := call(opNetPoll, int64(fd), int64(tag), 0, 0, 0, 0); r < 0 {
		return int32(-r)
	}
	return 0
}

//go:nosplit
func pollWait(until int64, ev uintptr, n int32) int32 {
	r := call(opIdle, until, int64(ev), int64(n), 0, 0, 0)
	if r == -edeadlk {
		deadlock()
	}
	if r < 0 {
		return 0
	}
	return int32(r)
}

func ptr(b []byte) int64 {
	if len(b) == 0 {
		return 0
	}
	return argp(unsafe.Pointer(&b[0]))
}

// addrLen is the room for an in/out length: the host stores the full
// length back.
func addrLen(b []byte) uint32 { return uint32(len(b)) }

func (hostNet) Socket(domain, typ, proto int) (int, error) {
	return result(call(opNetSocket, int64(domain), int64(typ), int64(proto), 0, 0, 0))
}

func (hostNet) Bind(fd int, addr []byte) error {
	return errOf(call(opNetBind, int64(fd), ptr(addr), int64(len(addr)), 0, 0, 0))
}

func (hostNet) Listen(fd int, backlog int) error {
	return errOf(call(opNetListen, int64(fd), int64(max(backlog, 0)), 0, 0, 0, 0))
}

func (hostNet) Accept(fd int, addr []byte) (int, int, error) {
	n := addrLen(addr)
	nfd, err := result(call(opNetAccept, int64(fd), ptr(addr), argp(unsafe.Pointer(&n)), 0, 0, 0))
	return nfd, int(n), err
}

func (hostNet) Connect(fd int, addr []byte) error {
	return errOf(call(opNetConnect, int64(fd), ptr(addr), int64(len(addr)), 0, 0, 0))
}

func (hostNet) Recvfrom(fd int, p []byte, flags int, from []byte) (int, int, error) {
	n := addrLen(from)
	r, err := result(call(opNetRecvfrom, int64(fd), ptr(p), int64(len(p)), int64(flags),
		ptr(from), argp(unsafe.Pointer(&n))))
	return r, int(n), err
}

func (hostNet) Sendto(fd int, p []byte, flags int, to []byte) (int, error) {
	return result(call(opNetSendto, int64(fd), ptr(p), int64(len(p)), int64(flags),
		ptr(to), int64(len(to))))
}

func (hostNet) Shutdown(fd int, how int) error {
	return errOf(call(opNetShutdown, int64(fd), int64(how), 0, 0, 0, 0))
}

func (hostNet) Getsockopt(fd, level, opt int, val []byte) (int, error) {
	n := addrLen(val)
	if err := errOf(call(opNetGetsockopt, int64(fd), int64(level), int64(opt), ptr(val),
		argp(unsafe.Pointer(&n)), 0)); err != nil {
		return 0, err
	}
	return int(n), nil
}

func (hostNet) Setsockopt(fd, level, opt int, val []byte) error {
	return errOf(call(opNetSetsockopt, int64(fd), int64(level), int64(opt), ptr(val),
		int64(len(val)), 0))
}

func (hostNet) Sockname(fd int, addr []byte, peer bool) (int, error) {
	n := addrLen(addr)
	p := int64(0)
	if peer {
		p = 1
	}
	if err := errOf(call(opNetSockname, int64(fd), ptr(addr), argp(unsafe.Pointer(&n)), p, 0, 0)); err != nil {
		return 0, err
	}
	return int(n), nil
}

// Interfaces asks NET_IFACES for the table the host took at start-up,
// growing the buffer while the host says it is too small.
func (hostNet) Interfaces() ([]syscall.NetInterface, []syscall.NetInterfaceAddr, error) {
	var buf []byte
	n := 0
	for size := 4096; ; size *= 2 {
		buf = make([]byte, size)
		r, err := result(call(opNetIfaces, ptr(buf), int64(len(buf)), 0, 0, 0, 0))
		if err == syscall.ERANGE && size < 1<<24 {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		n = r
		break
	}
	const hsize, isize, asize = int(unsafe.Sizeof(nhIfaces{})), int(unsafe.Sizeof(nhIface{})),
		int(unsafe.Sizeof(nhIfaddr{}))
	if n < hsize {
		return nil, nil, syscall.EIO
	}
	h := (*nhIfaces)(unsafe.Pointer(&buf[0]))
	if hsize+int(h.niface)*isize+int(h.naddr)*asize != n {
		return nil, nil, syscall.EIO
	}
	links := make([]syscall.NetInterface, h.niface)
	for i := range links {
		in := (*nhIface)(unsafe.Pointer(&buf[hsize+i*isize]))
		name := in.name[:]
		for k, c := range name {
			if c == 0 {
				name = name[:k]
				break
			}
		}
		links[i] = syscall.NetInterface{Index: int(in.index), Name: string(name), MTU: int(in.mtu),
			Type: in.typ, Flags: in.flags, HardwareAddr: append([]byte(nil), in.hw[:min(int(in.hwlen), len(in.hw))]...)}
	}
	addrs := make([]syscall.NetInterfaceAddr, h.naddr)
	for i := range addrs {
		a := (*nhIfaddr)(unsafe.Pointer(&buf[hsize+int(h.niface)*isize+i*asize]))
		ipLen := 16
		if a.family == syscall.AF_INET {
			ipLen = 4
		}
		addrs[i] = syscall.NetInterfaceAddr{Index: int(a.index), Family: int(a.family),
			PrefixLen: int(a.prefixlen), IP: append([]byte(nil), a.addr[:ipLen]...)}
	}
	return links, addrs, nil
}
