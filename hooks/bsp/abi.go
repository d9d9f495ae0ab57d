// Copyright 2026 The nonehost Authors.

//go:build none

package bsp

// Mirrors of hooks/nonehost_abi.h; tests/abi checks every value against
// the header.
const (
	abiMagic   = 0x54534f48454e4f4e
	abiVersion = 1

	opExit      = 0x001
	opWrite     = 0x002
	opPrintk    = 0x003
	opNanotime  = 0x004
	opWalltime  = 0x005
	opGetrandom = 0x006
	opIdle      = 0x007
	opFault     = 0x008
	opPreempt   = 0x009
	opSignal    = 0x00a
	opRaise     = 0x00b
	opNow       = 0x00c

	opMemProtect = 0x00d
	opMemRelease = 0x00e
	opMemMap     = 0x00f
	mapShared    = 0x01
	mapPrivate   = 0x02
	mapAnon      = 0x20
	protRead     = 1
	protWrite    = 2

	sigDefault     = 0
	sigIgnore      = 1
	sigCatch       = 2
	sigCatchNowait = 3

	getrandomMax = 256

	hbTrace = 1
	hbFs    = 2
	hbNet   = 4
	hbProc  = 8
	hbIds   = 16
	hbPids  = 32

	opFsOpen     = 0x100
	opFsClose    = 0x101
	opFsRead     = 0x102
	opFsWrite    = 0x103
	opFsPread    = 0x104
	opFsPwrite   = 0x105
	opFsSeek     = 0x106
	opFsStat     = 0x107
	opFsReaddir  = 0x108
	opFsMkdir    = 0x109
	opFsUnlink   = 0x10a
	opFsRename   = 0x10b
	opFsLink     = 0x10c
	opFsSymlink  = 0x10d
	opFsReadlink = 0x10e
	opFsChmod    = 0x10f
	opFsTruncate = 0x110
	opFsFsync    = 0x111
	opFsUtimens  = 0x112
	opFsDup      = 0x113
	opFsChown    = 0x114
	opFsFlock    = 0x115
	opFsUmask    = 0x116

	lockSh = 1
	lockEx = 2
	lockUn = 8

	atRoot            = -100
	atSymlinkNofollow = 0x100
	atRemovedir       = 0x200

	oRdonly    = 0
	oWronly    = 01
	oRdwr      = 02
	oCreat     = 0100
	oExcl      = 0200
	oTrunc     = 01000
	oAppend    = 02000
	oSync      = 04010000
	oDirectory = 0200000
	oNofollow  = 0400000

	opNetSocket     = 0x200
	opNetBind       = 0x201
	opNetListen     = 0x202
	opNetAccept     = 0x203
	opNetConnect    = 0x204
	opNetRecvfrom   = 0x205
	opNetSendto     = 0x206
	opNetShutdown   = 0x207
	opNetGetsockopt = 0x208
	opNetSetsockopt = 0x209
	opNetSockname   = 0x20a
	opNetPoll       = 0x20b
	opNetIfaces     = 0x20c

	opProcPipe  = 0x300
	opProcStart = 0x301
	opProcWait  = 0x302
	opProcKill  = 0x303

	edeadlk = 35 // NH_EDEADLK
	enosys  = 38 // NH_ENOSYS
)

// hostBlock mirrors struct nh_hostblock (version 1 fields); cpuinit reads
// it through hostblock.h, and tests/integration checks the two layouts agree.
type hostBlock struct {
	magic          uint64
	abiVersion     uint32
	size           uint32
	ramStart       uint64
	ramSize        uint64
	ramStackOffset uint64
	heapStart      uint64
	stackTop       uint64
	stackSize      uint64
	argc           uint64
	argv           uint64
	gate           uint64
	gateStack      uint64
	flags          uint64
	cwd            uint64
	sigPending     [2]uint32
	sigIgnored     [2]uint32
	uid            uint32
	gid            uint32
	hwcap          uint64
	hwcap2         uint64
	pid            int32
	ppid           int32
	hostname       uint64
	executable     uint64
	reserved       [10]uint64
}

// nhIfaces, nhIface and nhIfaddr mirror NET_IFACES's records.
type nhIfaces struct {
	niface uint32
	naddr  uint32
}

type nhIface struct {
	index    int32
	flags    uint32
	mtu      uint32
	typ      uint16
	hwlen    uint8
	reserved uint8
	hw       [32]byte
	name     [16]byte
}

type nhIfaddr struct {
	index     int32
	family    uint8
	prefixlen uint8
	reserved  [2]uint8
	addr      [16]byte
}

// nhStr mirrors struct nh_str.
type nhStr struct {
	ptr uint64
	len uint64
}

// nhSpawn mirrors struct nh_spawn.
type nhSpawn struct {
	path, pathlen uint64
	argv, argc    uint64
	envv, envc    uint64
	dir, dirlen   uint64
	fds, nfds     uint64
	pid           int64
}

// nhStat mirrors struct nh_stat.
type nhStat struct {
	dev     uint64
	ino     uint64
	nlink   uint64
	mode    uint32
	uid     uint32
	gid     uint32
	pad0    uint32
	size    int64
	blocks  int64
	atimeNs int64
	mtimeNs int64
	ctimeNs int64
}
