// Copyright 2026 The nonehost Authors.

// Package bsp is nonehost's board support package for GOOS=none: it
// provides the runtime's hooks (toolchain/README.md) by calling the
// nonehost host through its one gate. The go command links it into every
// GOOS=none program (GONONEBSP=nonehost/bsp, the toolchain's default), so
// programs need no import of their own.
//
// The ABI is defined by ../nonehost_abi.h; abi.go mirrors the parts the
// guest needs and tests/abi checks the two agree.
package bsp
