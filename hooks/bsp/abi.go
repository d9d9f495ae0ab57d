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

	getrandomMax = 256

	edeadlk = 35 // NH_EDEADLK
)

// hostBlock mirrors struct nh_hostblock (version 1 fields); cpuinit reads
// it through abi_amd64.h, and tests/integration checks the two layouts agree.
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
	reserved       [19]uint64
}
