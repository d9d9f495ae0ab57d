// Copyright 2026 The nonehost Authors.

//go:build none

// Package bsp is nonehost's board support package for GOOS=none: it
// provides the runtime's hooks (toolchain/README.md) by calling the
// nonehost host through its one gate. The go command links it into every
// GOOS=none program (GONONEBSP=nonehost/bsp, the toolchain's default), so
// programs need no import of their own. Every file says //go:build none:
// the package lies in the toolchain's std, which the builder also tests for
// GOOS=linux, where it has nothing to build.
//
// The ABI is defined by ../nonehost_abi.h; abi.go mirrors the parts the
// guest needs and tests/abi checks the two agree.
package bsp
