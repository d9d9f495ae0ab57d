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
# Part B, the boundary (for each of arm64, riscv64 and arm: its qemu, its
# cross compiler and static glibc): tests/foreign/hostile.c plays the guest.
# nonehost is copied into a tree of its own with hostile.c built for each
# architecture as its host there, so a real nonehost confines a real qemu
# that runs it, and every call goes through qemu's emulation as a guest's
# would; then, with a native build of hostile.c first on PATH as
# "qemu-aarch64-static", the same
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
# run directories in this user's (fs-shim/README.md), which stays
left() { find "$TMPDIR/nonehost-$(id -u)" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }

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
		"err=^\[nh\] foreign: $A image, .*$Q with .*/$A/nonehost: (a new empty network namespace|new user and network namespaces \(empty\)), no_new_privs, core 0, capabilities dropped.*seccomp: [0-9]+ system calls, [0-9]+ rules, default kill" \
		"err=^\[nh\] sandbox: .*seccomp: applied outside, to the emulator" \
		"err=^\[nh\] write\(1, " -- "$NH" --trace "$G" hello
	expect "$A: --isolate" 42 -- "$NH" --isolate "$G" exit 42
	expect "$A: --isolate, a fault" 139 "err=^nonehost: guest fault: SIGSEGV" -- "$NH" --isolate "$G" fault
	expect "$A: --net private" 0 "out=^hello from $A$" -- "$NH" --net private "$G" hello
	expect "$A: --net host" 0 "out=^hello from $A$" -- "$NH" --net host --net-bind 0 "$G" hello
	expect "$A: the private TMPDIR is gone" 0 -- test "$(left)" -eq 0
	expect "$A: --keep-tmp" 0 "err=^nonehost: --keep-tmp: the private TMPDIR is $TMPDIR/nonehost-[0-9]+/nonehost-kept\.[A-Za-z0-9]{6}/tmp " \
		-- "$NH" --keep-tmp "$G" hello
	expect "$A: --keep-tmp keeps it" 0 -- test "$(left)" -eq 1
	rm -rf "${TMPDIR:?}"/*
	expect "$A: --policy" 0 "out=GOOS=none $A, another machine than this nonehost's \(amd64\): run under emulation" \
		"out=^emulator: .*$Q$" "out=^foreign host: $BUILD/$A/nonehost$" \
		"out=^  5 seccomp        the emulator's allowlist" "out=^  execve " \
		"out=^  0b root          the emulator's own " "out=^  socket .*UNIX stream sockets, in the emulator's own root" \
		-- "$NH" --policy "$G"
	expect "$A: --policy, no root" 0 "out=^  0b root          none: $BUILD/$A/nonehost lies at or beneath $BUILD/$A;" \
		"out=^  socket +a0 == 1 -> EACCES " -- "$NH" --policy --dir "$BUILD/$A:rw" "$G"
	expect "$A: --policy runs nothing" 0 -- test "$(left)" -eq 0
done

# ---- Part B: a hostile guest ---------------------------------------------

T=$TMP/tree
mkdir -p "$T/fake"
cp "$NH" "$T/nonehost"

# hostile [--native] STATUS NAME ARGS...: one case through qemu for the
# architecture of $I (label $L), or with the native stand-in for qemu.
hostile() {
	local label=$L env=()
	if [ "$1" = --native ]; then label=native env=(env "PATH=$T/fake:$PATH"); shift; fi
	local want=$1 name=$2 checks=()
	shift 2
	[ "$want" -eq 159 ] && checks+=("err=$VIOLATION")
	while [ "$1" != "--" ]; do checks+=("$1"); shift; done
	shift
	expect "hostile $label: $name" "$want" "${checks[@]}" -- "${env[@]}" "$T/nonehost" "$@"
}

# cases [--native] [--no-root]: what every architecture's emulator holds.
# In the emulator's own root (host/foreign_root.c: as root here, the
# default) a path outside the read-write grants is not there (ENOENT) and
# the root itself is read-only (EROFS); --no-root gives the emulator a grant
# at its own directory, which nonehost cannot place in such a root, so the
# image runs without one, as where the kernel refuses it, and Landlock and
# the filter refuse (EACCES, EPERM).
cases() {
	local mode= root=() gone=2 ro=30 unix=2 chmod=2 roread=2
	if [ "${1:-}" = --native ]; then mode=--native; shift; fi
	if [ "${1:-}" = --no-root ]; then
		root=(--dir "$TMP/unroot:$QDIR:rw") gone=13 ro=13 unix=13 chmod=1 roread=0
	fi
	hostile $mode $roread "reads a read-only grant's file by its path (else by its descriptor)" \
		-- "${root[@]}" --dir "$TMP/g" "$I" read "$TMP/g/data"
	hostile $mode 0 "reads a read-write grant's file" "out=^written data$" \
		-- "${root[@]}" --dir "$TMP/w:rw" "$I" read "$TMP/w/data"
	hostile $mode $gone "cannot read a file beside the grants" "!out=secret" -- "${root[@]}" --dir "$TMP/g" "$I" read "$TMP/secret/data"
	hostile $mode $gone "cannot read /etc/shadow" -- "${root[@]}" "$I" read /etc/shadow
	hostile $mode $gone "cannot read another process's /proc" -- "${root[@]}" "$I" read /proc/1/status
	hostile $mode 0 "reads its own /proc/self/status" "out=^Seccomp:	2$" "out=^NoNewPrivs:	1$" \
		"out=^CapEff:	0000000000000000$" -- "${root[@]}" "$I" read /proc/self/status
	hostile $mode $gone "cannot write in a read-only grant" -- "${root[@]}" --dir "$TMP/g" "$I" write "$TMP/g/new"
	hostile $mode 0 "writes in a read-write grant" -- "${root[@]}" --dir "$TMP/w:rw" "$I" write "$TMP/w/new"
	hostile $mode 0 "writes in its TMPDIR" -- "${root[@]}" "$I" write '$TMPDIR/new'
	hostile $mode $ro "cannot write beside its TMPDIR" -- "${root[@]}" "$I" write "$TMPDIR/new"
	hostile $mode $ro "cannot write in /tmp" -- "${root[@]}" "$I" write /tmp/nh-foreign-hostile
	hostile $mode 13 "cannot list /tmp" -- "${root[@]}" "$I" list /tmp
	hostile $mode $gone "cannot run /bin/sh" -- "${root[@]}" "$I" exec /bin/sh
	hostile $mode 1 "cannot signal its supervisor" -- "${root[@]}" "$I" kill-parent
	hostile $mode $unix "cannot reach a UNIX socket outside the grants" -- "${root[@]}" "$I" unix "$TMP/secret/sock"
	hostile $mode 159 "no TCP socket under --net none" -- "${root[@]}" "$I" inet
	hostile $mode 0 "a TCP socket under --net private" -- "${root[@]}" --net private "$I" inet
	hostile $mode $chmod "cannot chmod a path outside the grants" -- "${root[@]}" "$I" chmod /etc/hostname
	hostile $mode 38 "clone3 is ENOSYS" -- "${root[@]}" "$I" clone3
	hostile $mode 1 "unshare is EPERM" -- "${root[@]}" "$I" sys unshare
	# Nothing in the emulator makes a process or a socket pair: the
	# launcher runs natively (host/foreign.c).
	for call in mount setns personality setuid memfd_create fork socketpair; do
		hostile $mode 159 "$call kills" -- "${root[@]}" "$I" sys $call
	done
}

# A listening UNIX socket outside the grants, which no case may reach.
echo "written data" >"$TMP/w/data"
mkdir -p "$TMP/unroot"
# perl: Debian's perl-base is essential, so every machine has it.
perl -MIO::Socket::UNIX -e '
	my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Local => $ARGV[0], Listen => 1)
		or die "listen on $ARGV[0]: $!\n";
	sleep 3600;' "$TMP/secret/sock" &
LISTENER=$!
trap 'kill $LISTENER 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 50); do [ -S "$TMP/secret/sock" ] && break; sleep 0.1; done
# without it the cases below that must not reach it would pass for nothing
[ -S "$TMP/secret/sock" ] || { echo "foreign: no listening socket at $TMP/secret/sock" >&2; exit 1; }

# Through each architecture's qemu: hostile.c built for it as its foreign
# host, and the ELF header of a GOOS=none image of it (all the dispatch
# reads; the hostile "host" never reads the image).
ran=
for a in arm64:aarch64:aarch64-linux-gnu-gcc:'\002\001\001\377\000\000\000\000\000\000\000\000\002\000\267\000' \
	riscv64:riscv64:riscv64-linux-gnu-gcc:'\002\001\001\377\000\000\000\000\000\000\000\000\002\000\363\000' \
	arm:arm:arm-linux-gnueabihf-gcc:'\001\001\001\377\000\000\000\000\000\000\000\000\002\000\050\000'; do
	IFS=: read -r A QA CC HDR <<<"$a"
	L=$QA
	if ! command -v "qemu-$QA-static" >/dev/null || ! command -v "$CC" >/dev/null ||
		! mkdir -p "$T/$A" || ! "$CC" -static -O2 -o "$T/$A/nonehost" "$HERE/hostile.c" 2>/dev/null; then
		echo "# skip part B for $A: needs qemu-$QA-static, $CC and its static libc"
		continue
	fi
	VIOLATION="^nonehost: sandbox violation: .*qemu-$QA-static: killed by SIGSYS"
	I=$TMP/img-$A.elf
	printf "\177ELF$HDR" >"$I"
	head -c 44 /dev/zero >>"$I"
	QDIR=$(dirname "$(readlink -f "$(command -v "qemu-$QA-static")")")
	cases
	cases --no-root
	expect "hostile $L: the TMPDIR stays inside its grant" 0 -- test ! -e /tmp/nh-foreign-hostile
	# qemu answers these itself, without a host call: ENOSYS (or EINVAL for
	# a clone flag it does not know).
	for call in ptrace bpf keyctl io_uring_setup execveat; do
		hostile 38 "$call is qemu's ENOSYS" -- "$I" sys $call
	done
	hostile 22 "clone with CLONE_NEWUSER is qemu's EINVAL" -- "$I" sys clone-newuser
	hostile 2 "--isolate: cannot read another process's /proc (not in the root)" -- --isolate "$I" read /proc/1/status
	hostile 1 "--isolate: cannot signal PID 1" -- --isolate "$I" kill-parent
	expect "hostile $L: --isolate, mount kills (PID 1 reports)" 159 "err=$VIOLATION" \
		-- "$T/nonehost" --isolate "$I" sys mount
	ran="$ran $A"
done

# Natively, hostile.c first on PATH as the arm64 emulator: the same layers
# hold raw system calls, as a guest that took qemu over could make; what
# qemu answered itself above meets the filter here.
case " $ran " in *" arm64 "*)
	if cc -static -O2 -o "$T/fake/qemu-aarch64-static" "$HERE/hostile.c"; then
		I=$TMP/img-arm64.elf
		VIOLATION='^nonehost: sandbox violation: .*qemu-aarch64-static: killed by SIGSYS'
		QDIR=$T/fake
		cases --native
		cases --native --no-root
		for call in ptrace bpf keyctl io_uring_setup execveat clone-newuser; do
			hostile --native 159 "$call kills" -- "$I" sys $call
		done
	else
		echo "# skip part B natively: needs a static libc for cc"
	fi
esac
expect "hostile: every TMPDIR is gone" 0 -- test "$(left)" -eq 0

echo "# $n cases, $failed failed"
[ "$failed" -eq 0 ]
