#!/usr/bin/env bash
# run.sh - a foreign image under the native nonehost: dispatch to qemu-user,
# and the emulator's confinement against a hostile guest.
#
# usage: tests/foreign/run.sh NONEHOST [BUILD]
#   NONEHOST  the native nonehost (build/nonehost); BUILD its directory's
#             tree with the foreign hosts and guests (default: its directory)
#
# Part A, the real thing, for arm64, riscv64 and arm (each needs
# BUILD/ARCH/nonehost and the test guest BUILD/ARCH/tests/cguest/cguest.elf:
# make host check-cguest ARCH=ARCH): "nonehost run GUEST" runs it under
# qemu-<arch>-static with that host: output, exit statuses, a fault, a fault
# handler, the preemption tick, --trace, --isolate, --net private and host,
# the private TMPDIR made and removed (kept with --keep-tmp), --policy.
#
# Part B, the boundary (needs qemu-aarch64-static, aarch64-linux-gnu-gcc and
# a static glibc for gcc): tests/foreign/hostile.c plays the guest. nonehost
# is copied into a tree of its own with hostile.c built for aarch64 as its
# arm64 host, so a real nonehost confines a real qemu that runs it, and
# every call goes through qemu's emulation as a guest's would; then, with a
# native build of hostile.c first on PATH as "qemu-aarch64-static", the same
# layers hold native code making raw system calls, as a guest that took qemu
# over could (qemu-user hides nothing of its process from its guest). Each
# case gives the exit status hostile.c reports: 0 done, the errno it got
# (13 EACCES: Landlock; 1 EPERM, 38 ENOSYS: an errno rule, or qemu's own
# refusal), or 159 (killed by SIGSYS: the allowlist).
#
# Prints "ok N - name" / "not ok N - name" and "# skip ..." for a part whose
# pieces are missing; exits 1 if a case failed.
set -u

NH=${1:?usage: run.sh NONEHOST [BUILD]}
NH=$(readlink -f "$NH")
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(readlink -f "${2:-$(dirname "$NH")}")
TMP=$(mktemp -d "${TMPDIR:-/tmp}/nh-foreign.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

VIOLATION='^nonehost: sandbox violation: .*qemu-aarch64-static: killed by SIGSYS'

# A case's command, in a group whose stderr is /dev/null: bash's "Bad
# system call" notice for a killed command goes there, not into the report.
expect_run() {
	{ "$@" >"$TMP/out" 2>"$TMP/err" </dev/null; } 2>/dev/null
}
. "$(dirname "$0")/../lib/expect.sh"

# The run's directories go to a TMPDIR of ours, so that what stays is seen.
mkdir -p "$TMP/tmpbase" "$TMP/cwd" "$TMP/g" "$TMP/w" "$TMP/secret"
export TMPDIR=$TMP/tmpbase
echo "granted data" >"$TMP/g/data"
echo "secret data" >"$TMP/secret/data"
cd "$TMP/cwd" || exit 1 # the current directory is granted read-only: keep it empty
left() { find "$TMPDIR" -mindepth 1 -maxdepth 1 | wc -l; }

# ---- Part A: the foreign hosts and guests ---------------------------------

for a in arm64:aarch64 riscv64:riscv64 arm:arm; do
	A=${a%%:*} Q=qemu-${a#*:}-static
	G=$BUILD/$A/tests/cguest/cguest.elf
	if [ ! -x "$BUILD/$A/nonehost" ] || [ ! -f "$G" ] || ! command -v "$Q" >/dev/null; then
		echo "# skip part A for $A: needs $BUILD/$A/nonehost, $G (make host check-cguest ARCH=$A) and $Q"
		continue
	fi
	expect "$A: hello" 0 "out=^hello from $A$" "out=^regs ok$" -- "$NH" run "$G" hello
	expect "$A: hello without run" 0 "out=^hello from $A$" -- "$NH" "$G"
	expect "$A: exit status passes through" 42 -- "$NH" "$G" exit 42
	expect "$A: guest fault is 139" 139 \
		"err=^nonehost: guest fault: SIGSEGV at 0x0 \(pc 0x[0-9a-f]+ in null_load\)$" -- "$NH" "$G" fault
	expect "$A: fault handler" 3 "out=^handler ok$" -- "$NH" "$G" handler
	expect "$A: preemption tick" 0 "out=^preempt ok$" -- "$NH" "$G" preempt
	# arm's 64-bit offsets and times take other calls through qemu (statx,
	# _llseek, fcntl64, ftruncate64): the emulator's allowlist has them
	[ "$A" = arm ] && expect "$A: files" 0 "out=^files ok$" -- \
		"$NH" --dir "$TMP/w:rw" "$G" files "$TMP/w/arm-files"
	expect "$A: --trace" 0 "out=^hello from $A$" \
		"err=^\[nh\] foreign: $A image, .*$Q with .*/$A/nonehost: a new empty network namespace, no_new_privs, core 0, capabilities dropped.*seccomp: [0-9]+ system calls, [0-9]+ rules, default kill" \
		"err=^\[nh\] sandbox: .*seccomp: applied outside, to the emulator" \
		"err=^\[nh\] write\(1, " -- "$NH" --trace "$G" hello
	expect "$A: --isolate" 42 -- "$NH" --isolate "$G" exit 42
	expect "$A: --isolate, a fault" 139 "err=^nonehost: guest fault: SIGSEGV" -- "$NH" --isolate "$G" fault
	expect "$A: --net private" 0 "out=^hello from $A$" -- "$NH" --net private "$G" hello
	expect "$A: --net host" 0 "out=^hello from $A$" -- "$NH" --net host --net-bind 0 "$G" hello
	expect "$A: the private TMPDIR is gone" 0 -- test "$(left)" -eq 0
	expect "$A: --keep-tmp" 0 "err=^nonehost: --keep-tmp: the private TMPDIR is $TMPDIR/nonehost\.[A-Za-z0-9]{6}/tmp " \
		-- "$NH" --keep-tmp "$G" hello
	expect "$A: --keep-tmp keeps it" 0 -- test "$(left)" -eq 1
	rm -rf "${TMPDIR:?}"/*
	expect "$A: --policy" 0 "out=GOOS=none $A, another machine than this nonehost's \(amd64\): run under emulation" \
		"out=^emulator: .*$Q$" "out=^foreign host: $BUILD/$A/nonehost$" \
		"out=^  5 seccomp        the emulator's allowlist" "out=^  execve " -- "$NH" --policy "$G"
	expect "$A: --policy runs nothing" 0 -- test "$(left)" -eq 0
done

# ---- Part B: a hostile guest ---------------------------------------------

T=$TMP/tree
mkdir -p "$T/arm64" "$T/fake"
if ! command -v qemu-aarch64-static >/dev/null || ! command -v aarch64-linux-gnu-gcc >/dev/null ||
	! aarch64-linux-gnu-gcc -static -O2 -o "$T/arm64/nonehost" "$HERE/hostile.c" ||
	! cc -static -O2 -o "$T/fake/qemu-aarch64-static" "$HERE/hostile.c"; then
	echo "# skip part B: needs qemu-aarch64-static, aarch64-linux-gnu-gcc and a static libc for cc"
else
	cp "$NH" "$T/nonehost"
	# A GOOS=none arm64 ELF header is all the dispatch reads; the hostile
	# "host" never reads the image.
	I=$TMP/img.elf
	printf '\177ELF\002\001\001\377\000\000\000\000\000\000\000\000\002\000\267\000' >"$I"
	head -c 44 /dev/zero >>"$I"

	expect "dispatch: a missing foreign host is 125" 125 \
		"err=^nonehost: image for riscv64: $T/riscv64/nonehost: not found \(nor $TMP/lib/nonehost/riscv64/nonehost; make host ARCH=riscv64\)$" \
		-- bash -c "printf '\177ELF\002\001\001\377\000\000\000\000\000\000\000\000\002\000\363\000' >'$TMP/rv.elf'; exec '$T/nonehost' '$TMP/rv.elf'"
	expect "dispatch: the words" 0 "out=^arg: run$" "out=^arg: --tmpdir=$TMPDIR/nonehost\.[A-Za-z0-9]{6}/tmp$" \
		"out=^arg: --dir=$TMP/g:$TMP/g:ro$" "out=^TMPDIR=$TMPDIR/nonehost\.[A-Za-z0-9]{6}/tmp$" \
		"!out=^arg: --isolate" "!out=^arg: --dir=$TMPDIR" -- "$T/nonehost" --dir "$TMP/g" "$I" args

	# hostile [--native] STATUS NAME ARGS...: one case under qemu, or with
	# the native stand-in for qemu.
	hostile() {
		local label=aarch64 env=()
		if [ "$1" = --native ]; then label=native env=(env "PATH=$T/fake:$PATH"); shift; fi
		local want=$1 name=$2 checks=()
		shift 2
		[ "$want" -eq 159 ] && checks+=("err=$VIOLATION")
		while [ "$1" != "--" ]; do checks+=("$1"); shift; done
		shift
		expect "hostile $label: $name" "$want" "${checks[@]}" -- "${env[@]}" "$T/nonehost" "$@"
	}
	for mode in "" --native; do
		hostile $mode 0 "reads a granted file" "out=^granted data$" -- --dir "$TMP/g" "$I" read "$TMP/g/data"
		hostile $mode 13 "cannot read a file beside the grants" "!out=secret" -- --dir "$TMP/g" "$I" read "$TMP/secret/data"
		hostile $mode 13 "cannot read /etc/shadow" -- "$I" read /etc/shadow
		hostile $mode 13 "cannot read another process's /proc" -- "$I" read /proc/1/status
		hostile $mode 0 "reads its own /proc/self/status" "out=^Seccomp:	2$" "out=^NoNewPrivs:	1$" \
			"out=^CapEff:	0000000000000000$" -- "$I" read /proc/self/status
		hostile $mode 13 "cannot write in a read-only grant" -- --dir "$TMP/g" "$I" write "$TMP/g/new"
		hostile $mode 0 "writes in a read-write grant" -- --dir "$TMP/w:rw" "$I" write "$TMP/w/new"
		hostile $mode 0 "writes in its TMPDIR" -- "$I" write '$TMPDIR/new'
		hostile $mode 13 "cannot write beside its TMPDIR" -- "$I" write "$TMPDIR/new"
		hostile $mode 13 "cannot write in /tmp" -- "$I" write /tmp/nh-foreign-hostile
		hostile $mode 13 "cannot list /tmp" -- "$I" list /tmp
		hostile $mode 13 "cannot run /bin/sh" -- "$I" exec /bin/sh
		hostile $mode 1 "cannot signal its supervisor" -- "$I" kill-parent
		hostile $mode 13 "cannot make a UNIX socket" -- "$I" unix /run/nh-foreign.sock
		hostile $mode 159 "no TCP socket under --net none" -- "$I" inet
		hostile $mode 0 "a TCP socket under --net private" -- --net private "$I" inet
		hostile $mode 1 "cannot chmod a path" -- "$I" chmod /etc/hostname
		hostile $mode 38 "clone3 is ENOSYS" -- "$I" clone3
		hostile $mode 1 "unshare is EPERM" -- "$I" sys unshare
		# Nothing in the emulator makes a process or a socket pair: the
		# launcher runs natively (host/foreign.c).
		for call in mount setns personality setuid memfd_create fork socketpair; do
			hostile $mode 159 "$call kills" -- "$I" sys $call
		done
	done
	expect "hostile aarch64: the TMPDIR stays inside its grant" 0 -- test ! -e /tmp/nh-foreign-hostile
	# qemu answers these itself, without a host call: ENOSYS (or EINVAL for
	# a clone flag it does not know); the native stand-in meets the filter.
	for call in ptrace bpf keyctl io_uring_setup execveat; do
		hostile 38 "$call is qemu's ENOSYS" -- "$I" sys $call
		hostile --native 159 "$call kills" -- "$I" sys $call
	done
	hostile 22 "clone with CLONE_NEWUSER is qemu's EINVAL" -- "$I" sys clone-newuser
	hostile --native 159 "clone with CLONE_NEWUSER kills" -- "$I" sys clone-newuser
	hostile 13 "--isolate: cannot read another process's /proc" -- --isolate "$I" read /proc/1/status
	hostile 1 "--isolate: cannot signal PID 1" -- --isolate "$I" kill-parent
	expect "hostile aarch64: --isolate, mount kills (PID 1 reports)" 159 "err=$VIOLATION" \
		-- "$T/nonehost" --isolate "$I" sys mount
	expect "hostile: every TMPDIR is gone" 0 -- test "$(left)" -eq 0
fi

echo "# $n cases, $failed failed"
[ "$failed" -eq 0 ]
