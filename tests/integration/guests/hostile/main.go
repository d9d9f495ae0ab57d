// hostile acts as a compromised image: it makes raw system calls past the
// gate and calls the gate with bad arguments. Each attack is one argument;
// the sandbox must end the image (status 159) or the host must refuse the
// call, never crash, and never let a file outside the grants be touched.
package main

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"sync/atomic"
	"syscall"
	"unsafe"
)

func rawSyscall(nr, a1, a2, a3, a4, a5, a6 uintptr) uintptr
func gateCall(op, a0, a1, a2, a3, a4, a5 uintptr) int64

// The RAM layout the runtime got from the BSP; the host block sits at the
// initial stack top (hooks/nonehost_abi.h).
//
//go:linkname ramStart runtime.ramStart
var ramStart uintptr

//go:linkname ramSize runtime.ramSize
var ramSize uintptr

//go:linkname ramStackOffset runtime.ramStackOffset
var ramStackOffset uintptr

type hostBlock struct {
	magic, ver                uint64
	ramStart, ramSize         uint64
	ramStackOffset, heapStart uint64
	stackTop, stackSize       uint64
	argc, argv                uint64
	gate                      uint64
}

var (
	hb   *hostBlock
	gate uintptr // read by gateCall
)

// cstr returns a NUL-terminated copy of s (kept alive by the caller's use).
func cstr(s string) uintptr { return uintptr(unsafe.Pointer(unsafe.StringData(s + "\x00"))) }

const (
	sysRead         = 0
	sysMmap         = 9
	sysMprotect     = 10
	sysClone        = 56
	sysExecve       = 59
	sysKill         = 62
	sysFcntl        = 72
	sysPtrace       = 101
	sysSetuid       = 105
	sysOpenat       = 257
	sysFchmodat     = 268
	sysOpenat2      = 437
	sysSocket       = 41
	sysIoUringSetup = 425
	atFdcwd         = ^uintptr(99) // -100
)

func main() {
	hb = (*hostBlock)(unsafe.Pointer(ramStart + ramSize - ramStackOffset))
	gate = uintptr(hb.gate)
	attack := os.Args[1]
	fmt.Println("attack:", attack)
	var r uintptr
	switch attack {
	case "open":
		r = rawSyscall(sysOpenat, atFdcwd, cstr(os.Args[2]), 0, 0, 0, 0)
	case "write-canary":
		r = rawSyscall(sysOpenat, atFdcwd, cstr(os.Args[2]), 1|0o1000, 0, 0, 0) // O_WRONLY|O_TRUNC
	case "execve":
		argv := [2]uintptr{cstr("/bin/sh"), 0}
		r = rawSyscall(sysExecve, cstr("/bin/sh"), uintptr(unsafe.Pointer(&argv[0])), 0, 0, 0, 0)
	case "socket":
		r = rawSyscall(sysSocket, 2, 1, 0, 0, 0, 0)
	case "ptrace":
		r = rawSyscall(sysPtrace, 0, 0, 0, 0, 0, 0)
	case "mmap-exec":
		r = rawSyscall(sysMmap, 0, 4096, 1|4, 0x22, ^uintptr(0), 0) // PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_ANONYMOUS
	case "mprotect-text":
		text := uintptr(0x10001000) &^ 4095
		r = rawSyscall(sysMprotect, text, 4096, 1|2|4, 0, 0, 0)
	case "io_uring_setup":
		var params [120]byte
		r = rawSyscall(sysIoUringSetup, 8, uintptr(unsafe.Pointer(&params[0])), 0, 0, 0, 0)
	case "clone":
		r = rawSyscall(sysClone, 0x11, 0, 0, 0, 0, 0) // SIGCHLD: a fork
	case "kill":
		r = rawSyscall(sysKill, 1, 9, 0, 0, 0, 0)
	case "setuid":
		r = rawSyscall(sysSetuid, 0, 0, 0, 0, 0, 0)
	case "fcntl-setown":
		// A channel's owner may be the host alone: any other would get its
		// SIGCHLD (F_SETOWN 8; descriptor 1000 is past the floor).
		r = rawSyscall(sysFcntl, 1000, 8, 1, 0, 0, 0)
	case "fchmodat-grant-fd":
		// CHMOD by name is allowed from AT_FDCWD only: a grant's descriptor
		// lies in the tree the image's own root left behind.
		r = rawSyscall(sysFchmodat, 3, cstr("../../../../../../../../../.."+os.Args[2]), 0o777, 0, 0, 0)
	case "fchmodat-canary":
		// From AT_FDCWD the path resolves in the image's own root, where
		// only the read-write grants exist: the canary is not there.
		r := rawSyscall(sysFchmodat, atFdcwd, cstr(os.Args[2]), 0o777, 0, 0, 0)
		fmt.Printf("%s: %d\n", attack, int64(r))
		return
	case "openat2-read", "openat2-write", "openat2-beneath-grant":
		// openat2 is allowed (the fs-shim uses it), without looking at
		// its path or flags: Landlock is what refuses these.
		how := struct{ flags, mode, resolve uint64 }{}
		dirfd, path := atFdcwd, os.Args[2]
		switch attack {
		case "openat2-write":
			how.flags = 1 | 0o1000 // O_WRONLY|O_TRUNC
		case "openat2-beneath-grant":
			// Climb out of every descriptor the host holds, the grants'
			// directories among them, without RESOLVE_BENEATH: nothing
			// opens, and Landlock is what refuses (-EACCES) at least once.
			path = "../../../../../../../../../.." + os.Args[2]
			result := int64(-9) // EBADF: no descriptor at all
			for fd := uintptr(3); fd < 64; fd++ {
				r := int64(rawSyscall(sysOpenat2, fd, cstr(path), uintptr(unsafe.Pointer(&how)), unsafe.Sizeof(how), 0, 0))
				if r >= 0 {
					fmt.Printf("%s: opened through descriptor %d\n", attack, fd)
					return
				}
				if r == -13 {
					result = r
				}
			}
			fmt.Printf("%s: %d\n", attack, result)
			return
		}
		r := rawSyscall(sysOpenat2, dirfd, cstr(path), uintptr(unsafe.Pointer(&how)), unsafe.Sizeof(how), 0, 0)
		fmt.Printf("%s: %d\n", attack, int64(r))
		return
	case "gate-fs-bad":
		// The file ops with bad pointers, lengths, handles and flags.
		p := cstr("/")
		fmt.Println("open wild path:", gateCall(0x100, atFdcwd, 0xffff800000000000, 4, 0, 0, 0))
		fmt.Println("open path past RAM:", gateCall(0x100, atFdcwd, uintptr(hb.ramStart+hb.ramSize-2), 16, 0, 0, 0))
		fmt.Println("open huge length:", gateCall(0x100, atFdcwd, p, ^uintptr(0), 0, 0, 0))
		fmt.Println("open bad flags:", gateCall(0x100, atFdcwd, p, 1, 0x40000000, 0, 0))
		fmt.Println("open bad dirfd:", gateCall(0x100, 77777, cstr("x"), 1, 0, 0, 0))
		fmt.Println("stat into host block:", gateCall(0x107, atFdcwd, p, 1, uintptr(unsafe.Pointer(hb)), 0, 0))
		fmt.Println("stat into text:", gateCall(0x107, atFdcwd, p, 1, 0x10001000, 0, 0))
		fmt.Println("read handle 2:", gateCall(0x102, 2, cstr("xxxx"), 4, 0, 0, 0))
		fmt.Println("read handle -1:", gateCall(0x102, ^uintptr(0), cstr("xxxx"), 4, 0, 0, 0))
		fmt.Println("close handle 99:", gateCall(0x101, 99, 0, 0, 0, 0, 0))
		fmt.Println("readdir stdin:", gateCall(0x108, 0, cstr("xxxx"), 4, 0, 0, 0))
		fmt.Println("still running")
		return
	case "gate-bad":
		// Bad pointers, lengths, descriptors and ops: refused, never fatal.
		fmt.Println("write NULL:", gateCall(0x002, 1, 0, 16, 0, 0, 0))
		fmt.Println("write wild:", gateCall(0x002, 1, 0xffff800000000000, 16, 0, 0, 0))
		fmt.Println("write past RAM:", gateCall(0x002, 1, uintptr(hb.ramStart+hb.ramSize-8), 64, 0, 0, 0))
		fmt.Println("write huge:", gateCall(0x002, 1, uintptr(hb.ramStart), ^uintptr(0), 0, 0, 0))
		fmt.Println("write fd 3:", gateCall(0x002, 3, cstr("x"), 1, 0, 0, 0))
		fmt.Println("getrandom host block:", gateCall(0x006, uintptr(unsafe.Pointer(hb)), 8, 0, 0, 0, 0))
		fmt.Println("getrandom big:", gateCall(0x006, cstr("0123456789"), 4096, 0, 0, 0, 0))
		fmt.Println("op 0:", gateCall(0, 0, 0, 0, 0, 0, 0))
		fmt.Println("op huge:", gateCall(^uintptr(0), 1, 2, 3, 4, 5, 6))
		fmt.Println("fault handler in data:", gateCall(0x008, uintptr(unsafe.Pointer(&gate)), uintptr(unsafe.Pointer(&gate)), 0, 0, 0, 0))
		fmt.Println("still running")
		return
	case "unixgram-sendto":
		// A UNIX datagram socket of the host's, used from guest code with
		// raw sendto(2) on every descriptor: the image's own root must
		// leave it nothing outside the read-write grants to reach.
		if len(os.Args) < 4 {
			fmt.Println("want OUTSIDE and GRANTED socket paths")
			os.Exit(100)
		}
		c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: os.TempDir() + "/s.sock", Net: "unixgram"})
		if err != nil {
			fmt.Println("socket:", err)
			os.Exit(100)
		}
		defer c.Close()
		sendtoEveryFD(os.Args[2], os.Args[3])
		return
	case "unixpacket-connect":
		// A UNIX seqpacket socket the host made at once, not connected,
		// used from guest code with raw connect(2) on every descriptor:
		// as for datagrams, the image's own root is the layer.
		if len(os.Args) < 4 {
			fmt.Println("want OUTSIDE and GRANTED socket paths")
			os.Exit(100)
		}
		fd, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_SEQPACKET, 0)
		if err != nil {
			fmt.Println("socket:", err)
			os.Exit(100)
		}
		defer syscall.Close(fd)
		connectEveryFD(os.Args[2], os.Args[3])
		return
	case "ring-sqe":
		// Crafted submissions written straight into the netstack's ring,
		// whose addresses (from --trace) are the arguments: the ring's
		// restrictions must refuse each (-EACCES), whatever the host thinks.
		if len(os.Args) < 11 {
			fmt.Println("no ring addresses")
			return
		}
		ringSQE(os.Args[2:11])
		fmt.Println("still running")
		return
	default:
		fmt.Println("unknown attack")
		os.Exit(100)
	}
	fmt.Printf("NOT STOPPED: %s returned %#x\n", attack, r)
}

// sendtoEveryFD sends "hello" with raw sendto(2) to the UNIX sockets at
// outside and granted, on each descriptor from 255 down, and prints each
// send the kernel took (a connected socket of another kind, such as the
// launcher's, ignores the address). The host's own descriptors lie below
// the sockets, and the sandbox ends the image at the first of them (159).
func sendtoEveryFD(outside, granted string) {
	const sysSendto = 44
	msg := []byte("hello")
	send := func(fd uintptr, path string) bool {
		var sa [110]byte
		sa[0] = 1 // AF_UNIX
		copy(sa[2:], path)
		return rawSyscall(sysSendto, fd, uintptr(unsafe.Pointer(&msg[0])), uintptr(len(msg)), 0,
			uintptr(unsafe.Pointer(&sa[0])), uintptr(2+len(path))) == uintptr(len(msg))
	}
	for fd := uintptr(255); fd > 0; fd-- {
		if send(fd, outside) {
			fmt.Println("descriptor", fd, "took a datagram for outside")
		}
		if send(fd, granted) {
			fmt.Println("descriptor", fd, "took a datagram for the grant")
		}
	}
}

// connectEveryFD connects with raw connect(2) to the UNIX sockets at
// outside and granted, on each descriptor from 255 down, and prints each
// connect the kernel took. The sandbox ends the image at the first of the
// host's own descriptors (159), which lie below the sockets.
func connectEveryFD(outside, granted string) {
	const sysConnect = 42
	connect := func(fd uintptr, path string) bool {
		var sa [110]byte
		sa[0] = 1 // AF_UNIX
		copy(sa[2:], path)
		return rawSyscall(sysConnect, fd, uintptr(unsafe.Pointer(&sa[0])), uintptr(2+len(path)),
			0, 0, 0) == 0
	}
	for fd := uintptr(255); fd > 0; fd-- {
		if connect(fd, outside) {
			fmt.Println("descriptor", fd, "connected outside")
		}
		if connect(fd, granted) {
			fmt.Println("descriptor", fd, "connected to the grant")
		}
	}
}

// ringSQE submits, through the ring's shared memory and a raw
// io_uring_enter, an IORING_OP_OPENAT of the canary and an IORING_OP_RECV
// (opcodes the ring does not allow), an IORING_OP_ACCEPT (allowed) with
// IOSQE_FIXED_FILE (a flag it does not allow), and prints each completion's
// result.
func ringSQE(args []string) {
	var v [9]uintptr
	for i, a := range args {
		x, err := strconv.ParseUint(a, 0, 64)
		if err != nil {
			fmt.Println("bad address", a)
			os.Exit(100)
		}
		v[i] = uintptr(x)
	}
	ringFD, sqTail, sqMask, sqArray, sqes := v[0], v[1], v[2], v[3], v[4]
	cqHead, cqTail, cqMask, cqes := v[5], v[6], v[7], v[8]
	u32 := func(p uintptr) *uint32 { return (*uint32)(unsafe.Pointer(p)) }
	submit := func(name string, opcode, flags uint8, fd int32, addr uintptr, userData uint64) {
		tail := atomic.LoadUint32(u32(sqTail))
		idx := tail & *u32(sqMask)
		sqe := (*[64]byte)(unsafe.Pointer(sqes + uintptr(idx)*64))
		*sqe = [64]byte{}
		sqe[0], sqe[1] = opcode, flags
		*(*int32)(unsafe.Pointer(&sqe[4])) = fd
		*(*uint64)(unsafe.Pointer(&sqe[16])) = uint64(addr)
		*(*uint64)(unsafe.Pointer(&sqe[32])) = userData
		if sqArray != 0 {
			*u32(sqArray + uintptr(idx)*4) = idx
		}
		atomic.StoreUint32(u32(sqTail), tail+1)
		const sysIoUringEnter, enterGetevents = 426, 1
		r := rawSyscall(sysIoUringEnter, ringFD, 1, 1, enterGetevents, 0, 0)
		res, found := int32(0), false
		head := atomic.LoadUint32(u32(cqHead))
		for end := atomic.LoadUint32(u32(cqTail)); head != end; head++ {
			cqe := cqes + uintptr(head&*u32(cqMask))*16
			if *(*uint64)(unsafe.Pointer(cqe)) == userData {
				res, found = *(*int32)(unsafe.Pointer(cqe + 8)), true
			}
		}
		atomic.StoreUint32(u32(cqHead), head)
		fmt.Printf("%s: enter %d, completion %v, res %d\n", name, int64(r), found, res)
	}
	const opAccept, opOpenat, opRecv, sqeFixedFile = 13, 18, 27, 1
	submit("openat canary", opOpenat, 0, -100, cstr(os.Getenv("CANARY")), 0xdead0001)
	submit("recv stdin", opRecv, 0, 0, 0, 0xdead0002)
	submit("accept fixed file", opAccept, sqeFixedFile, 0, 0, 0xdead0003)
	// The control: an allowed op reaches the kernel, which says stdin is
	// no socket (-ENOTSOCK): the refusals above are the ring's own.
	submit("accept stdin", opAccept, 0, 0, 0, 0xdead0004)
}
