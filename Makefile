# nonehost - top-level Makefile.
#
#   make run           set everything up, then run examples/hello under the host
#   make test          every test CI runs (README)
#   make deps          install the Debian packages we need (scripts/setup-deps.sh)
#   make toolchain     build (or reuse the cached) GOOS=none Go toolchain: build/go
#   make host          build build/nonehost
#   make host ARCH=arm64|riscv64|arm   the same host, static, cross-compiled:
#                      build/ARCH/nonehost (check-cguest runs it under qemu-user)
#   make check-unit    build and run the libcheck unit tests (tests/unit)
#   make check-fuzz    the fuzz targets on their seeds and found inputs (tests/fuzz)
#   make fuzz          the fuzz targets under libFuzzer, FUZZ_TIME seconds each
#   make check-cguest  build the assembly test guest and run it under the host
#   make bench-gate    measure the gate round trip (tests/cguest bench mode)
#   make test-integration  guest programs under the host (tests/integration)
#   make test-foreign  arm, arm64 and riscv64 under qemu-user: hosts, assembly guests
#                      and the integration tests that are not about amd64
#   make test-std      CI's subset of std for none and linux, held to tests/std/expect.txt
#   make test-linux-std  std packages for GOOS=linux with the patched toolchain
#   make std [ARCH=arm64|arm|riscv64|all]  the builder: all of std for none and
#                      linux side by side (scripts/std.sh; long, not in CI)
#   make std-arch-subset  eight std packages on every architecture, their wall
#                      times side by side (tests/std/arch-subset.txt)
#   make bench         GOOS=none vs GOOS=linux benchmarks (bench/)
#   make bench-foreign the same for arm, arm64 and riscv64 under qemu-user (fewer)
#   make bench-fsio    pread vs io_uring for the fs-shim's reads (bench/fsio)
#   make install       install nonehost, the toolchain (go-none), the man page and
#                      a binfmt.d file under PREFIX (default /usr/local; DESTDIR)
#   make uninstall     remove exactly what install wrote
#   make check-install install to temporary prefixes, use it, uninstall (tests/install)
#   make check-fresh   CI's run on a new minimal Debian made here (root; about
#                      25 minutes; FRESH_USER=name: as a user with sudo)
#   make clean         remove build/ (the cached toolchain stays)
#
# Quiet by default; V=1 prints every command.

ifeq ($(origin CC),default)
CC := gcc
endif
BUILD ?= build

# 64-bit file offsets and time_t on a 32-bit host (arm), as the ABI's are
# (host.h checks); nothing changes on a 64-bit one.
CPPFLAGS += -D_GNU_SOURCE -D_FORTIFY_SOURCE=2 -D_FILE_OFFSET_BITS=64 -D_TIME_BITS=64 \
	-Ihooks -Ihost -Isandbox -Ifs-shim -Inetstack-shim
CFLAGS   ?= -O2 -g
CFLAGS   += -std=c11 -Wall -Wextra -Werror -fstack-protector-strong -MMD -MP
ASFLAGS  += -MMD -MP -Wa,--noexecstack
LDFLAGS  += -Wl,-z,noexecstack -Wl,-z,relro -Wl,-z,now

# The target architecture. amd64 is the native build (build/nonehost) and the
# only one with unit tests, the toolchain, install and the rest. ARCH=arm64,
# riscv64 or arm builds the host alone with Debian's cross compiler into
# build/ARCH/, against libseccomp and liburing built into a sysroot of
# our own by scripts/setup-cross.sh (its header says why), and check-cguest
# runs a small guest of that architecture under qemu-user. Per architecture:
# the compiler, the seccomp ABIs whose system call names the SIGSYS report
# knows (the first is the native one; sbx_names_gen runs here, built with
# BUILD_CC, so it names the target's calls with this machine's libseccomp)
# and the emulator. The gate is host/gate_$(ARCH).S. arm is 32-bit ARMv7
# with hard float (GOARM=7, Debian's armhf): its gate takes the six 64-bit
# arguments from guest memory (nonehost_abi.h "The gate").
ARCH ?= amd64
# For make std and std-arch-subset, ARCH is instead the architectures the
# builder tests (scripts/std.sh: amd64, arm, arm64, riscv64, all or a list):
# the build stays native, and the native host hands foreign images to
# build/ARCH/nonehost (foreign-hosts).
ifneq ($(filter std std-arch-subset,$(MAKECMDGOALS)),)
STD_ARCH := $(ARCH)
override ARCH := amd64
endif
HOST_LINK      := -static-pie
HOST_CC         = $(CC)
HOST_START     :=
HOST_END       :=
URING_LIB      := -l:liburing.a
BUILD_CC       := $(CC)
BUILD_CPPFLAGS := $(CPPFLAGS)
BUILD_LDFLAGS  := $(LDFLAGS)
NATIVE_BUILD   := $(BUILD)
ifeq ($(ARCH),amd64)
SBX_ABIS  := x86_64 x86:i386 x32
# The native host is linked with musl (Debian's musl-tools), not glibc: a
# static glibc spends ~0.3 ms of every start in its CPU and cache probe, a
# hundred cpuid instructions at ~2 us each in a virtual machine, before
# main; musl's start costs ~20 us. Compiled against its headers plus the
# kernel's and those of liburing and libseccomp (build/musl-include); linked
# by gcc's own static PIE rules with musl's start files and libc named here
# (musl-gcc.specs knows no static PIE). Unit tests and fuzz targets stay
# glibc builds of the same sources. musl's memcpy starts a rep movsq even
# for a few bytes: short copies of unknown length are inlined.
MUSL_LIB   := /usr/lib/x86_64-linux-musl
MUSL_INC   := $(BUILD)/musl-include
HOST_CC     = $(CC) -specs $(MUSL_LIB)/musl-gcc.specs -isystem $(MUSL_INC) -minline-stringops-dynamically
HOST_START := -nostdlib $(MUSL_LIB)/rcrt1.o $(MUSL_LIB)/crti.o $(shell $(CC) -print-file-name=crtbeginS.o)
HOST_END   := -L$(MUSL_LIB) -lc $(shell $(CC) -print-libgcc-file-name) \
	$(shell $(CC) -print-file-name=crtendS.o) $(MUSL_LIB)/crtn.o
# By path: musl's link searches only its own directory. Debian builds it
# without libc (it needs calloc, free and __stack_chk_fail), so it links
# with musl as it is.
URING_LIB  := /usr/lib/x86_64-linux-gnu/liburing.a
else ifeq ($(ARCH),arm64)
TRIPLET   := aarch64-linux-gnu
SBX_ABIS  := aarch64
QEMU      := qemu-aarch64-static
else ifeq ($(ARCH),riscv64)
TRIPLET   := riscv64-linux-gnu
SBX_ABIS  := riscv64
QEMU      := qemu-riscv64-static
# glibc 2.36 has no static PIE for riscv64 (no rcrt1.o): a plain static
# executable at ld's default 0x10000, below guest RAM (crtbeginT.o is
# medlow code: it must lie in the low 2 GiB, which RAM mostly covers).
HOST_LINK := -static
else ifeq ($(ARCH),arm)
TRIPLET   := arm-linux-gnueabihf
SBX_ABIS  := arm
QEMU      := qemu-arm-static
# glibc 2.36 has no static PIE for armhf either (no rcrt1.o): a plain static
# executable at ld's default 0x10000, below guest RAM, its brk heap after it;
# where the mmaps go, and so how much RAM fits: arch.h ARCH_MAX_MEMORY.
HOST_LINK := -static
else
$(error ARCH=$(ARCH): nonehost builds for amd64, arm64, riscv64 and arm)
endif
ifneq ($(ARCH),amd64)
NATIVE_ONLY := check check-unit check-fuzz fuzz bench-gate deps toolchain run test test-integration test-foreign test-std \
	test-linux-std std bench bench-fsio install uninstall check-install check-fresh foreign-hosts
ifneq ($(filter $(NATIVE_ONLY),$(MAKECMDGOALS)),)
$(error ARCH=$(ARCH) builds the host and runs check-cguest; $(filter $(NATIVE_ONLY),$(MAKECMDGOALS)) is amd64 only)
endif
CC       := $(TRIPLET)-gcc
override BUILD := $(BUILD)/$(ARCH)
NH_CACHE := $(or $(NONEHOST_CACHE),$(HOME)/.cache/nonehost)
SYSROOT  := $(NH_CACHE)/sysroot/$(ARCH)
CPPFLAGS += -isystem $(SYSROOT)/include
LDFLAGS  += -L$(SYSROOT)/lib
endif

ifeq ($(V),1)
Q :=
say = @:
else ifneq ($(findstring s,$(firstword -$(MAKEFLAGS))),)
Q := @
say = @:
else
Q := @
say = @printf '  %-7s %s\n'
endif

HOST_C    := $(wildcard host/*.c)
# The sandbox (sandbox/README.md). sbx_names.c, the system call names of the
# SIGSYS report, is generated at build time by sbx_names_gen (run here).
SBX_C     := $(filter-out sandbox/sbx_names_gen.c,$(wildcard sandbox/*.c))
SBX_NAMES := $(BUILD)/sandbox/sbx_names.c
SBX_GEN   := $(BUILD)/sandbox/sbx_names_gen
SBX_OBJS  := $(SBX_C:%.c=$(BUILD)/%.o) $(BUILD)/sandbox/sbx_names.o
# The file system (fs-shim/README.md) and the network (netstack-shim/README.md).
FS_C      := $(wildcard fs-shim/*.c)
NSS_C     := $(wildcard netstack-shim/*.c)
HOST_OBJS := $(HOST_C:%.c=$(BUILD)/%.o) $(SBX_OBJS) $(FS_C:%.c=$(BUILD)/%.o) \
	$(NSS_C:%.c=$(BUILD)/%.o) $(BUILD)/host/gate_$(ARCH).o
# liburing from its archive, also for the (dynamic) unit tests: Debian's
# liburing.so.2 (2.3) does not export io_uring_register_restrictions and
# io_uring_enable_rings.
HOST_LIBS := $(URING_LIB)
NONEHOST  := $(BUILD)/nonehost
# Links named go_none_<arch>_exec to nonehost: the go command's exec wrapper
# inside an image (host/goexec.c); scripts/go_none_amd64_exec puts their
# directory first on the image's PATH.
ifeq ($(ARCH),amd64)
GOEXEC_LINKS := $(foreach a,amd64 arm arm64 riscv64,$(BUILD)/goexec/go_none_$(a)_exec)
endif

# Unit tests link the pure parts of the host, rebuilt with ASan and UBSan so
# an out-of-bounds read on a malformed image fails the test.
UNIT_C    := $(wildcard tests/unit/*.c)
UNIT_HOST := elf_file elf_load elf_sym cli ram die sigmsg hook_console policy gate gate_trace \
	hook_time hook_random hook_fault hook_mem preempt signal binfmt goexec proc proc_start proc_policy \
	launcher launcher_msg launcher_rights launcher_confine launcher_call launcher_sock \
	foreign foreign_confine foreign_policy foreign_root inherit
UNIT_SBX  := $(SBX_C:sandbox/%.c=%) sbx_names
UNIT_FS   := $(FS_C:fs-shim/%.c=%)
UNIT_NSS  := $(NSS_C:netstack-shim/%.c=%)
UNIT_OBJS := $(UNIT_C:%.c=$(BUILD)/%.o) $(UNIT_HOST:%=$(BUILD)/tests/unit/host/%.o) \
	$(UNIT_SBX:%=$(BUILD)/tests/unit/sandbox/%.o) $(UNIT_FS:%=$(BUILD)/tests/unit/fs-shim/%.o) \
	$(UNIT_NSS:%=$(BUILD)/tests/unit/netstack-shim/%.o)
UNIT_SAN  := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
UNIT_BIN  := $(BUILD)/tests/unit/check_host
CHECK_CFLAGS := $(shell pkg-config --cflags check)
CHECK_LIBS   := $(shell pkg-config --libs check)

CGUEST    := $(BUILD)/tests/cguest/cguest.elf
CGUEST_SRC := tests/cguest/cguest.S
CGUEST_RUN := tests/cguest/run.sh $(NONEHOST) $(CGUEST)
ifneq ($(ARCH),amd64)
# A small guest of the target's own (the amd64 one is not ported), run under
# qemu-user as it is and under a qemu confined by a seccomp filter of
# seccomp_exec (native), the way the native launcher will start it.
SECCOMP_EXEC := $(NATIVE_BUILD)/tests/cguest/seccomp_exec
CGUEST_SRC := tests/cguest/cguest_$(ARCH).S
CGUEST_RUN := tests/cguest/run_foreign.sh $(ARCH) $(QEMU) $(NONEHOST) $(CGUEST) $(SECCOMP_EXEC)
endif
# The guest is linked inside guest RAM (NH_RAM_START) with one page per
# segment, no libc and no start files; then marked EI_OSABI = 255 (GOOS=none).
CGUEST_LDFLAGS := -nostdlib -static -no-pie -Wl,-Ttext-segment=0x10000000 \
	-Wl,-z,max-page-size=4096 -Wl,-z,separate-code -Wl,-z,noexecstack -Wl,--build-id=none

.PHONY: all host check-unit check-fuzz fuzz check-cguest check bench-gate clean
.PHONY: deps toolchain run test test-integration test-foreign test-std test-linux-std std std-arch-subset bench bench-foreign bench-fsio
.PHONY: install uninstall check-install check-fresh foreign-hosts
all: host
host: $(NONEHOST) $(GOEXEC_LINKS)
check: check-unit check-cguest

# Static PIE: no dynamic loader at start-up (0.2 ms of a 2 ms hello world),
# nothing to resolve after the sandbox is on, and the same binary runs
# anywhere; PIE keeps the host far from guest RAM at 256 MiB.
$(NONEHOST): $(HOST_OBJS)
	$(say) LD $@
	$(Q)$(CC) $(HOST_LINK) $(LDFLAGS) -o $@ $(HOST_START) $^ $(HOST_LIBS) $(HOST_END)

$(BUILD)/goexec/%: | $(NONEHOST)
	@mkdir -p $(@D)
	$(Q)ln -sfn ../nonehost $@

$(BUILD)/host/%.o: host/%.c | $(MUSL_INC)
	$(say) CC $<
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/host/%.o: host/%.S | $(MUSL_INC)
	$(say) AS $<
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(CPPFLAGS) $(ASFLAGS) -c -o $@ $<

$(BUILD)/fs-shim/%.o: fs-shim/%.c | $(MUSL_INC)
	$(say) CC $<
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/unit/fs-shim/%.o: fs-shim/%.c
	$(say) CC "$< (sanitized)"
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(UNIT_SAN) -c -o $@ $<

$(BUILD)/netstack-shim/%.o: netstack-shim/%.c | $(MUSL_INC)
	$(say) CC $<
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/unit/netstack-shim/%.o: netstack-shim/%.c
	$(say) CC "$< (sanitized)"
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(UNIT_SAN) -c -o $@ $<

$(BUILD)/sandbox/%.o: sandbox/%.c | $(MUSL_INC)
	$(say) CC $<
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# The headers musl's own do not hold, each by a link: the kernel's (linux,
# asm, asm-generic), liburing's and libseccomp's (sandbox.h takes SCMP_SYS
# and struct scmp_arg_cmp from it; the library itself is not linked).
$(BUILD)/musl-include:
	$(say) GEN $@
	@mkdir -p $@.tmp
	$(Q)for h in linux asm-generic liburing liburing.h seccomp.h seccomp-syscalls.h; do \
		ln -sfn /usr/include/$$h $@.tmp/$$h || exit 1; done; \
	ln -sfn /usr/include/x86_64-linux-gnu/asm $@.tmp/asm && rm -rf $@ && mv $@.tmp $@

$(SBX_GEN): sandbox/sbx_names_gen.c
	$(say) CC $<
	@mkdir -p $(@D)
	$(Q)$(BUILD_CC) $(BUILD_CPPFLAGS) $(CFLAGS) $(BUILD_LDFLAGS) -o $@ $< -lseccomp

$(SBX_NAMES): $(SBX_GEN)
	$(say) GEN $@
	$(Q)$(SBX_GEN) $(SBX_ABIS) > $@.tmp && mv $@.tmp $@

$(BUILD)/sandbox/sbx_names.o: $(SBX_NAMES) | $(MUSL_INC)
	$(say) CC $<
	$(Q)$(HOST_CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/unit/sandbox/%.o: sandbox/%.c
	$(say) CC "$< (sanitized)"
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(UNIT_SAN) -c -o $@ $<

$(BUILD)/tests/unit/sandbox/sbx_names.o: $(SBX_NAMES)
	$(say) CC "$< (sanitized)"
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(UNIT_SAN) -c -o $@ $<

$(BUILD)/tests/unit/host/%.o: host/%.c
	$(say) CC "$< (sanitized)"
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(UNIT_SAN) -c -o $@ $<

$(BUILD)/tests/unit/%.o: tests/unit/%.c
	$(say) CC $<
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CHECK_CFLAGS) $(CFLAGS) $(UNIT_SAN) -c -o $@ $<

$(UNIT_BIN): $(UNIT_OBJS)
	$(say) LD $@
	$(Q)$(CC) $(LDFLAGS) $(UNIT_SAN) -o $@ $^ $(CHECK_LIBS) $(HOST_LIBS) -lseccomp -lcap

check-unit: $(UNIT_BIN)
	$(say) RUN $<
	$(Q)$(UNIT_BIN)

# Fuzz targets (tests/fuzz/README.md): each tests/fuzz/fuzz_<name>.c, with
# the host's parts built by clang with ASan, UBSan and the fuzzer's
# coverage, is linked twice: against replay.c, replay_<name> runs the
# target's seeds and tests/fuzz/regress/ (check-fuzz, in make test); with
# libFuzzer, fuzz_<name> searches (make fuzz: FUZZ_TIME seconds each,
# FUZZ_TARGETS to choose, the corpus kept in ~/.cache/nonehost/fuzz).
FUZZ_TARGETS ?= $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_TIME    ?= 300
FUZZ_CC      := clang
FUZZ_CFLAGS  := -O1 -g -std=c11 -Itests/fuzz $(UNIT_SAN)
FUZZ_OBJS    := $(patsubst %.c,$(BUILD)/fuzz/obj/%.o,$(UNIT_HOST:%=host/%.c) $(SBX_C) $(FS_C) \
	$(NSS_C) tests/fuzz/support.c) $(BUILD)/fuzz/obj/sandbox/sbx_names.o \
	$(BUILD)/host/gate_$(ARCH).o
FUZZ_REPLAY  := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/replay_%)

# the targets themselves as strictly as the host's own build
$(BUILD)/fuzz/obj/tests/fuzz/%.o: FUZZ_CFLAGS += -Wall -Wextra -Werror
.PRECIOUS: $(BUILD)/fuzz/obj/%.o
$(BUILD)/fuzz/obj/%.o: %.c
	$(say) CC "$< (fuzzing)"
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -MMD -MP -fsanitize=fuzzer-no-link -c -o $@ $<

$(BUILD)/fuzz/obj/sandbox/sbx_names.o: $(SBX_NAMES)
	$(say) CC "$< (fuzzing)"
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(BUILD)/fuzz/replay_%: $(BUILD)/fuzz/obj/tests/fuzz/fuzz_%.o $(BUILD)/fuzz/obj/tests/fuzz/replay.o \
		$(FUZZ_OBJS)
	$(say) LD $@
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(LDFLAGS) -o $@ $^ $(HOST_LIBS) -lseccomp

# fuzz_fs answers the host's openat2 with ENOSYS, as qemu-user does
$(BUILD)/fuzz/replay_fs $(BUILD)/fuzz/fuzz_fs: LDFLAGS += -Wl,--wrap=syscall

$(BUILD)/fuzz/fuzz_%: $(BUILD)/fuzz/obj/tests/fuzz/fuzz_%.o $(FUZZ_OBJS)
	$(say) LD "$@ (libFuzzer)"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(LDFLAGS) -o $@ $^ $(HOST_LIBS) -lseccomp

check-fuzz: $(FUZZ_REPLAY) $(CGUEST)
	$(Q)BUILD=$(BUILD) scripts/fuzz.sh replay $(FUZZ_TARGETS)

fuzz: deps host $(FUZZ_REPLAY) $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%) $(CGUEST) \
		$(BUILD)/examples/hello.elf
	$(Q)BUILD=$(BUILD) FUZZ_TIME=$(FUZZ_TIME) scripts/fuzz.sh run $(FUZZ_TARGETS)

# ABI constants for the assembly guest, generated from the header (abi_gen.c)
# by this machine's compiler: they are the same on every architecture.
$(BUILD)/tests/cguest/abi.inc: tests/cguest/abi_gen.c hooks/nonehost_abi.h
	$(say) GEN $@
	@mkdir -p $(@D)
	$(Q)$(BUILD_CC) $(BUILD_CPPFLAGS) -S -o $@.s $<
	$(Q)sed -n 's/^[[:space:]]*\(\.set NH_[A-Z0-9_]*, .*\)$$/\1/p' $@.s > $@.tmp
	$(Q)test -s $@.tmp && mv $@.tmp $@ && rm -f $@.s

$(BUILD)/tests/cguest/cguest.o: $(CGUEST_SRC) $(BUILD)/tests/cguest/abi.inc
	$(say) AS $<
	$(Q)$(CC) $(CPPFLAGS) -I$(BUILD)/tests/cguest $(ASFLAGS) -c -o $@ $<

$(CGUEST): $(BUILD)/tests/cguest/cguest.o
	$(say) LD $@
	$(Q)$(CC) $(CGUEST_LDFLAGS) -o $@.tmp $<
	$(Q)printf '\377' | dd of=$@.tmp bs=1 seek=7 conv=notrunc status=none
	$(Q)mv $@.tmp $@

check-cguest: $(NONEHOST) $(CGUEST) $(SECCOMP_EXEC)
	$(say) RUN $(firstword $(CGUEST_RUN))
	$(Q)$(CGUEST_RUN)

ifneq ($(ARCH),amd64)
# The cross compiler and the sysroot come first (scripts/setup-cross.sh).
$(HOST_OBJS) $(BUILD)/tests/cguest/cguest.o: | $(SYSROOT)/.versions
$(SYSROOT)/.versions:
	$(say) SETUP "$(SYSROOT) (scripts/setup-cross.sh $(ARCH))"
	$(Q)NONEHOST_CACHE=$(NH_CACHE) scripts/setup-cross.sh $(ARCH)

$(SECCOMP_EXEC): tests/cguest/seccomp_exec.c
	$(say) CC $<
	@mkdir -p $(@D)
	$(Q)$(BUILD_CC) $(BUILD_CPPFLAGS) $(CFLAGS) $(BUILD_LDFLAGS) -o $@ $< -lseccomp
endif

bench-gate: $(NONEHOST) $(CGUEST)
	$(Q)$(NONEHOST) $(CGUEST) bench

# ---- The Go side ---------------------------------------------------------

GOROOT_NONE := $(CURDIR)/$(BUILD)/go
GO          := $(GOROOT_NONE)/bin/go
GOENV_NONE  := GOROOT=$(GOROOT_NONE) GOFLAGS= GOOS=none GOARCH=amd64

deps:
	$(Q)scripts/setup-deps.sh

# Cached by a hash of (Go version, patch): a rebuild only when none.patch
# changes. Also copies hooks/bsp into it and points build/go at it.
toolchain: deps
	$(say) GO "toolchain (cached in $${NONEHOST_CACHE:-~/.cache/nonehost})"
	$(Q)toolchain/build.sh >/dev/null

$(BUILD)/examples/hello.elf: toolchain $(wildcard examples/hello/*.go)
	$(say) GO $@
	$(Q)cd examples && $(GOENV_NONE) $(GO) build -o $(CURDIR)/$@ ./hello

run: deps toolchain host $(BUILD)/examples/hello.elf
	$(say) RUN "$(NONEHOST) run $(BUILD)/examples/hello.elf"
	$(Q)$(NONEHOST) run $(BUILD)/examples/hello.elf

test: deps toolchain host check-unit check-fuzz check-cguest test-integration test-foreign check-install \
	test-std test-linux-std

test-integration: toolchain host
	$(say) TEST tests/integration
	$(Q)cd tests/integration && GOROOT=$(GOROOT_NONE) GOFLAGS= $(GO) test -count=1 ./...
	$(Q)cd tests/std/report && GOROOT=$(GOROOT_NONE) GOFLAGS= $(GO) test -count=1 .

# Foreign architectures under qemu-user: for each, the cross-built host and
# its assembly guest (check-cguest ARCH=...), then the integration tests that
# are not about amd64 (FOREIGN_TESTS: not the hostile guest, which is amd64
# assembly, nor the sleep-accuracy bound, which emulation misses) with
# guests built for it, started by the native nonehost, which hands them to
# qemu and the foreign host.
FOREIGN_ARCHES := arm arm64 riscv64
FOREIGN_TESTS  := ^Test(Hello|ArgsAndEnvironment|ExitStatus|WallClock|Goroutines|CryptoRand|PanicTraceback|DeepRecursion|Allocate512MiB|OutOfMemory|FaultBecomesPanic|ImageWithoutHost|Trace|Events|PreemptsSpinningGoroutine|PipeBetweenGoroutines|FileOperationsMatchLinux|TimeZoneMatchesLinux|UserMatchesLinux|Umask|InterfacesMatchLinux|FileEscapes|PrivateTempDir.*|DirGrantErrors|UnixMatchesLinux|UnixGrants|UnixgramMatchesLinux|UnixgramGrants|UnixpacketMatchesLinux|UnixpacketGrants|ProcsMatchLinux|StdinWaitsInThePoller|ExecHostProgram.*|ChildImageGrants|WorkingDirectory|ExtraFilesChildImage|MaxProcs|ProcsOff|NothingOutlivesTheRun|ChildImageNetwork|Signal.*|MemoryMap.*|ScavengerGivesMemoryBack)$$
# Then tests/foreign/run.sh: the native nonehost dispatching to each, and the
# confinement of the qemu process against a hostile program in its place.
test-foreign: toolchain host
	$(Q)for a in $(FOREIGN_ARCHES); do \
		$(MAKE) --no-print-directory host check-cguest ARCH=$$a || exit 1; \
		printf '  %-7s %s\n' TEST "tests/integration for none/$$a (qemu-user)"; \
		(cd tests/integration && NONEHOST_GOARCH=$$a GOROOT=$(GOROOT_NONE) GOFLAGS= \
			$(GO) test -count=1 -run '$(FOREIGN_TESTS)' .) || exit 1; \
	done
	$(say) RUN tests/foreign/run.sh
	$(Q)tests/foreign/run.sh $(NONEHOST)

# The foreign hosts the native one hands foreign images to (build/ARCH/).
foreign-hosts:
	$(Q)for a in $(FOREIGN_ARCHES); do $(MAKE) --no-print-directory host ARCH=$$a || exit 1; done

test-std: toolchain host
	$(say) TEST "std for none/amd64 (tests/std)"
	$(Q)NONEHOST_GOROOT=$(GOROOT_NONE) STD_LIST=tests/std/packages.txt scripts/std.sh -timeout=4m

# The whole std for none and for linux, side by side (results/; long: not in CI).
# ARCH=arm64 (arm, riscv64, all or a list) runs it for those: the linux side
# under qemu-user, the none side through the foreign hosts.
std: toolchain host $(if $(filter-out amd64,$(STD_ARCH)),foreign-hosts)
	$(Q)NONEHOST_GOROOT=$(GOROOT_NONE) ARCH='$(STD_ARCH)' scripts/std.sh

# Eight packages on every architecture, for their wall times side by side
# (results/arch-subset/).
std-arch-subset: toolchain host foreign-hosts
	$(Q)NONEHOST_GOROOT=$(GOROOT_NONE) ARCH=all STD_LIST=tests/std/arch-subset.txt \
		RESULTS=results/arch-subset scripts/std.sh

# GOOS=linux must behave exactly as before the patch.
LINUX_STD := errors strings os syscall time internal/poll os/exec runtime/debug
test-linux-std: toolchain
	$(say) TEST "std for linux/amd64 with the patched toolchain"
	$(Q)GOROOT=$(GOROOT_NONE) GOFLAGS= $(GO) test -short -count=1 $(LINUX_STD)

bench: toolchain host
	$(Q)NONEHOST_GOROOT=$(GOROOT_NONE) bench/run.sh

# Start-up, time.Now and fmt.Println for each foreign architecture, none
# against linux under the same qemu-user.
bench-foreign: toolchain host foreign-hosts
	$(Q)for a in $(FOREIGN_ARCHES); do NONEHOST_GOROOT=$(GOROOT_NONE) bench/run.sh -arch $$a || exit 1; done

# Why the fs-shim reads with pread, not io_uring: one 1 GiB file in the
# page cache, read in 1 MiB, 64 KiB and 4 KiB requests each way.
$(BUILD)/bench/fsio: bench/fsio/fsio.c
	$(say) CC $<
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< -luring

bench-fsio: $(BUILD)/bench/fsio
	$(Q)f=$$(mktemp); head -c 1073741824 /dev/zero > $$f; \
	for s in 1048576 65536 4096; do $(BUILD)/bench/fsio $$f $$s; done; rm -f $$f

# That the README's setup works on a brand-new machine: .ci/run for HEAD in
# a minimal bookworm made with debootstrap, nothing of this machine's
# packages or caches (scripts/fresh-machine.sh).
check-fresh:
	$(Q)scripts/fresh-machine.sh

# ---- Install --------------------------------------------------------------
#
# Under $(DESTDIR)$(PREFIX): bin/nonehost; lib/nonehost/go, a copy of the
# toolchain (the real tree: nothing installed points into ~/.cache; not its
# commands built for none, bin/none_* and pkg/tool/none_*, which a test may
# have put in it);
# bin/go-none -> ../lib/nonehost/go/bin/go (go finds its GOROOT through the
# link); bin/go_none_amd64_exec (runs images with the nonehost beside it);
# share/man/man1/nonehost.1; and $(BINFMTDIR)/nonehost.conf, the entry with
# PREFIX/bin/nonehost as interpreter. BINFMTDIR is PREFIX/lib/binfmt.d, the
# packages' place: systemd-binfmt reads /usr/lib and /usr/local/lib/binfmt.d
# at boot (no other PREFIX's); /etc/binfmt.d is the admin's (binfmt install
# --persist writes there, and its nonehost.conf overrides ours).
# As root without DESTDIR, install also registers the entry now (nonehost
# binfmt install), so an image runs by its path at once; BINFMT=0 leaves it.
PREFIX    ?= /usr/local
BINFMTDIR ?= $(PREFIX)/lib/binfmt.d
BINFMT    ?= 1
INST      := $(DESTDIR)$(PREFIX)
BM_DIR    := /proc/sys/fs/binfmt_misc

# Only when missing: install never rebuilds a toolchain that is there.
$(GO):
	$(Q)$(MAKE) --no-print-directory toolchain

install: host foreign-hosts $(GO)
	@case "$(PREFIX)" in /*) ;; *) echo "install: PREFIX must be absolute: $(PREFIX)" >&2; exit 1 ;; esac
	$(say) INSTALL "$(INST)"
	$(Q)install -d "$(INST)/bin" "$(INST)/lib/nonehost" "$(INST)/share/man/man1" "$(DESTDIR)$(BINFMTDIR)"
	$(Q)install -m 0755 $(NONEHOST) "$(INST)/bin/nonehost"
	$(Q)for a in $(FOREIGN_ARCHES); do \
		install -D -m 0755 $(BUILD)/$$a/nonehost "$(INST)/lib/nonehost/$$a/nonehost" || exit 1; done
	$(Q)install -m 0755 scripts/go_none_amd64_exec "$(INST)/bin/go_none_amd64_exec"
	$(Q)for a in $(FOREIGN_ARCHES); do ln -sfn go_none_amd64_exec "$(INST)/bin/go_none_$${a}_exec"; done
	$(Q)install -d "$(INST)/lib/nonehost/goexec"
	$(Q)for a in amd64 $(FOREIGN_ARCHES); do \
		ln -sfn ../../../bin/nonehost "$(INST)/lib/nonehost/goexec/go_none_$${a}_exec" || exit 1; done
	$(Q)install -m 0644 docs/nonehost.1 "$(INST)/share/man/man1/nonehost.1"
	$(Q)rm -rf "$(INST)/lib/nonehost/go"
	$(Q)cp -a --no-preserve=ownership "$$(readlink -f $(GOROOT_NONE))" "$(INST)/lib/nonehost/go"
	$(Q)rm -rf "$(INST)"/lib/nonehost/go/bin/none_* "$(INST)"/lib/nonehost/go/pkg/tool/none_*
	$(Q)toolchain/sync-bsp.sh "$(INST)/lib/nonehost/go"
	$(Q)ln -sfn ../lib/nonehost/go/bin/go "$(INST)/bin/go-none"
	$(Q)f="$(DESTDIR)$(BINFMTDIR)/nonehost.conf"; \
	{ echo "# make install: GOOS=none images (every architecture) run through nonehost"; \
	  "$(INST)/bin/nonehost" binfmt line "$(PREFIX)/bin/nonehost"; } >"$$f.tmp" && \
	chmod 0644 "$$f.tmp" && mv "$$f.tmp" "$$f" || { rm -f "$$f.tmp"; exit 1; }
	@echo "installed in $(INST): bin/nonehost, bin/go-none, bin/go_none_{amd64,arm,arm64,riscv64}_exec,"
	@echo "  lib/nonehost/go (the toolchain), lib/nonehost/ARCH/nonehost (images of $(FOREIGN_ARCHES)),"
	@echo "  lib/nonehost/goexec (go_none_*_exec links to nonehost: the go tool's wrapper inside images),"
	@echo "  share/man/man1/nonehost.1; $(DESTDIR)$(BINFMTDIR)/nonehost.conf"
	@echo "build: GOOS=none GOARCH=amd64 go-none build; run: nonehost IMAGE (man nonehost)"
	$(Q)if [ -n "$(DESTDIR)" ] || [ "$(BINFMT)" = 0 ] || [ "$$(id -u)" != 0 ]; then \
		echo "to run images by their path (./app), register the entry as root: $(PREFIX)/bin/nonehost binfmt install"; \
	elif ! "$(PREFIX)/bin/nonehost" binfmt install; then \
		echo "install: the binfmt_misc entry is not registered (above): images run as nonehost IMAGE" >&2; \
	fi

# The entry goes first, and only if it runs this nonehost (none without
# root: then nothing is removed, so that sudo make uninstall can follow).
uninstall:
	@case "$(PREFIX)" in /*) ;; *) echo "uninstall: PREFIX must be absolute: $(PREFIX)" >&2; exit 1 ;; esac
	$(say) UNINSTALL "$(INST)"
	$(Q)self=$$(readlink -f "$(PREFIX)/bin/nonehost"); \
	for a in amd64 $(FOREIGN_ARCHES); do \
		e=$(BM_DIR)/nonehost-$$a; \
		if [ -z "$(DESTDIR)" ] && [ -n "$$self" ] && grep -qxF "interpreter $$self" $$e 2>/dev/null; then \
			if ! echo -1 >$$e; then \
				echo "uninstall: nonehost-$$a runs $$self; only root can remove it" >&2; exit 1; \
			fi; \
			echo "nonehost-$$a: removed (interpreter $$self)"; \
		fi; \
	done; \
	if [ -z "$(DESTDIR)" ] && [ -n "$$self" ] && grep -qF ":$$self:" /etc/binfmt.d/nonehost.conf 2>/dev/null; then \
		echo "note: /etc/binfmt.d/nonehost.conf (binfmt install --persist) names $$self: remove it too"; \
	fi
	$(Q)for a in $(FOREIGN_ARCHES); do rm -f "$(INST)/bin/go_none_$${a}_exec"; done
	$(Q)rm -f "$(INST)/bin/nonehost" "$(INST)/bin/go_none_amd64_exec" "$(INST)/bin/go-none" \
		"$(INST)/share/man/man1/nonehost.1" "$(DESTDIR)$(BINFMTDIR)/nonehost.conf"
	$(Q)rm -rf "$(INST)/lib/nonehost/go"
	$(Q)for a in amd64 $(FOREIGN_ARCHES); do rm -f "$(INST)/lib/nonehost/goexec/go_none_$${a}_exec"; done
	$(Q)rmdir "$(INST)/lib/nonehost/goexec" 2>/dev/null || true
	$(Q)for a in $(FOREIGN_ARCHES); do rm -f "$(INST)/lib/nonehost/$$a/nonehost"; \
		rmdir "$(INST)/lib/nonehost/$$a" 2>/dev/null || true; done
	$(Q)rmdir "$(INST)/lib/nonehost" 2>/dev/null || true

check-install: toolchain host
	$(say) TEST tests/install
	$(Q)tests/install/check.sh

clean:
	$(say) CLEAN $(BUILD)
	$(Q)rm -rf $(BUILD)

-include $(HOST_OBJS:.o=.d) $(UNIT_OBJS:.o=.d) $(BUILD)/tests/cguest/cguest.d \
	$(wildcard $(BUILD)/fuzz/obj/*/*.d $(BUILD)/fuzz/obj/*/*/*.d)
