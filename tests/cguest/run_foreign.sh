#!/usr/bin/env bash
# run_foreign.sh - a foreign architecture's host under qemu-user, with its small
# assembly guest (cguest_<arch>.S): make check-cguest ARCH=arm64|riscv64|arm.
#
# usage: tests/cguest/run_foreign.sh ARCH QEMU NONEHOST CGUEST_ELF SECCOMP_EXEC
#
# Two ways to start it, as the native launcher will and as a person might:
#   plain      qemu-<arch>-static NONEHOST run ...: seccomp is unavailable under
#              qemu, so only --no-sandbox runs; a sandboxed run stops (125)
#   confined   SECCOMP_EXEC qemu-<arch>-static NONEHOST run ...: a filter is on
#              the emulator, so the sandbox goes on ("applied outside")
# Each case asserts the exit status and, with grep -E, what stdout/stderr must
# (or must not) contain; prints "ok N - name" or "not ok N - name" with the
# evidence, and exits 1 if any case failed.
set -u

usage="usage: run_foreign.sh ARCH QEMU NONEHOST CGUEST_ELF SECCOMP_EXEC"
ARCH=${1:?$usage}
QEMU=${2:?$usage}
NH=${3:?$usage}
G=${4:?$usage}
SX=${5:?$usage}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/nh-foreign.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

command -v "$QEMU" >/dev/null || { echo "run_foreign.sh: $QEMU not found (scripts/setup-cross.sh $ARCH)" >&2; exit 1; }


# A case's command, a minute at most (an emulated guest that hangs).
expect_run() {
	timeout 60 "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
}
. "$(dirname "$0")/../lib/expect.sh"

FAULT='^nonehost: guest fault: SIGSEGV at 0x0 \(pc 0x[0-9a-f]+ in null_load\)$'
UNCONFINED='^nonehost: WARNING: --no-sandbox'
plain=("$QEMU" "$NH")
confined=("$SX" "$QEMU" "$NH")

# --- the host itself ----------------------------------------------------------
expect "version" 0 "out=^nonehost [0-9.]+ \(ABI [0-9]+\)$" -- "${plain[@]}" --version
cp "$G" "$TMP/i386.elf" # the same guest marked EM_386 (3): no GOOS=none machine
printf '\003\000' | dd of="$TMP/i386.elf" bs=1 seek=18 conv=notrunc status=none
expect "an image of no GOOS=none machine" 126 errlines=1 \
	"err=^nonehost: image rejected: .*: wrong machine \(e_machine 3 i386, want [0-9]+ (aarch64|riscv|arm)\)$" -- \
	"${plain[@]}" run --no-sandbox "$TMP/i386.elf"

# --- plain qemu: no seccomp, so only --no-sandbox runs ------------------------
STOP='^nonehost: sandbox: seccomp is unavailable here .* no filter confines this process from outside$'
expect "plain: sandboxed run stops (the supervisor's)" 125 errlines=1 "err=$STOP" -- "${plain[@]}" run "$G"
# --keep-tmp keeps the run's directory: in $TMP, which the trap removes
expect "plain: sandboxed run stops (the image's)" 125 "err=$STOP" -- \
	env TMPDIR="$TMP" "${plain[@]}" run --keep-tmp "$G"
expect "plain: --policy says a run stops" 0 \
	"out=^  5 seccomp        unavailable here .*a run stops \(125\)$" -- "${plain[@]}" --policy
expect "plain: hello" 0 "out=^hello from $ARCH$" "out=^regs ok$" "err=$UNCONFINED" errlines=1 -- \
	"${plain[@]}" run --no-sandbox "$G"
expect "plain: exit 42" 42 "err=$UNCONFINED" errlines=1 -- "${plain[@]}" run --no-sandbox "$G" exit 42
expect "plain: fault" 139 "err=$FAULT" errlines=2 -- "${plain[@]}" run --no-sandbox "$G" fault
expect "plain: fault handler" 3 "out=^handler ok$" -- "${plain[@]}" run --no-sandbox "$G" handler
expect "plain: preemption tick" 0 "out=^preempt ok$" -- "${plain[@]}" run --no-sandbox "$G" preempt
expect "plain: pipe readiness (epoll)" 0 "out=^pipe ok$" -- "${plain[@]}" run --no-sandbox "$G" pipe
expect "plain: guest failure" 1 "err=^cguest: FAIL: unknown mode$" -- \
	"${plain[@]}" run --no-sandbox "$G" frobnicate
# 32-bit arm: Linux's own breakpoint as the tick's resume instruction; the
# file ops whose system calls differ there (64-bit offsets and times through
# _llseek, statx, ftruncate64, fcntl64, utimensat)
if [ "$ARCH" = arm ]; then
	expect "plain: preemption tick, resumed at udf #16" 0 "out=^preempt ok$" -- \
		"${plain[@]}" run --no-sandbox "$G" preempt-udf
	mkdir -p "$TMP/files"
	expect "plain: files (64-bit offsets on a 32-bit host)" 0 "out=^files ok$" -- \
		"${plain[@]}" run --no-sandbox --dir "$TMP/files:rw" "$G" files "$TMP/files/f"
fi

# --- qemu under a seccomp filter: the sandbox runs, seccomp applied outside -----
expect "confined: hello" 0 "out=^hello from $ARCH$" "out=^regs ok$" errlines=0 -- \
	"${confined[@]}" run "$G"
expect "confined: --trace says seccomp is applied outside" 0 "out=^regs ok$" \
	"err=^\[nh\] sandbox: no_new_privs, rlimits .*, seccomp: applied outside, to the emulator \(no seccomp\(2\) here\) \([0-9]+ us\)$" \
	"err=^\[nh\] exit\(0\) = \?$" -- "${confined[@]}" run --trace "$G"
expect "confined: --policy says so" 0 \
	"out=^  5 seccomp        applied outside, to the emulator " \
	"out=^allowed system calls: [0-9]+ \([0-9]+ rules\)" "out=^  write +a0 == 1 " -- \
	"${confined[@]}" --policy
expect "confined: exit 42" 42 errlines=0 -- "${confined[@]}" run "$G" exit 42
expect "confined: exit 300 is 44" 44 -- "${confined[@]}" run "$G" exit 300
expect "confined: fault" 139 "err=$FAULT" errlines=1 -- "${confined[@]}" run "$G" fault
expect "confined: fault handler" 3 "out=^handler ok$" -- "${confined[@]}" run "$G" handler
expect "confined: preemption tick" 0 "out=^preempt ok$" -- "${confined[@]}" run "$G" preempt
expect "confined: pipe readiness (epoll)" 0 "out=^pipe ok$" -- "${confined[@]}" run "$G" pipe
if [ "$ARCH" = arm ]; then
	expect "confined: files (64-bit offsets on a 32-bit host)" 0 "out=^files ok$" -- \
		"${confined[@]}" run --dir "$TMP/files:rw" "$G" files "$TMP/files/g"
fi
expect "confined: --keep-tmp (no supervisor)" 0 "out=^regs ok$" -- \
	env TMPDIR="$TMP" "${confined[@]}" run --keep-tmp "$G"
# Not root, the host under qemu cannot make its network namespace: the
# user namespace it needs first is refused to a process with threads, and
# qemu has them (nonehost makes it natively for a foreign image:
# host/foreign_confine.c). A user namespace of the test's own, in which
# the run is root, stands in for that here (with a TMPDIR of the test's:
# root's own under /tmp is another user's in it).
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(unshare --user --map-root-user env TMPDIR="$TMP")
expect "confined: --net private (epoll, no io_uring)" 0 "out=^regs ok$" \
	"err=^\[nh\] net: io_uring unavailable \(.*\): epoll$" -- \
	"${as_root[@]}" "${confined[@]}" run --trace --net private "$G"
expect "confined: --net-backend uring stops" 125 errlines=1 \
	"err=^nonehost: --net-backend uring: no io_uring ring: " -- \
	"${as_root[@]}" "${confined[@]}" run --net private --net-backend uring "$G"

# A caught SIGUSR1 sent to the emulator wakes the guest's IDLE(0) (ppoll, or
# epoll_pwait with a pipe polled, under qemu's signal emulation; through the
# supervisor inside qemu, or straight to the image host with --tmpdir):
# the guest exits with its number. Only the guests that have the mode.
# SIGS (default USR1): the signals sent in turn once the guest says "ready".
SIGWAIT='"$@" & pid=$!
for i in $(seq 400); do grep -q "^ready$" "$OUT" && break; sleep 0.05; done
for s in ${SIGS:-USR1}; do kill -"$s" "$pid"; sleep 0.1; done
wait "$pid"'
if [ "$ARCH" = arm64 ]; then
	expect "plain: a caught signal wakes IDLE(0)" 10 "out=^ready$" "err=$UNCONFINED" errlines=1 -- \
		env OUT="$TMP/out" bash -c "$SIGWAIT" sigwait "${plain[@]}" run --no-sandbox "$G" sigwait
	expect "confined: a caught signal wakes IDLE(0), through the supervisor" 10 "outeq=ready" \
		errlines=0 -- env OUT="$TMP/out" bash -c "$SIGWAIT" sigwait "${confined[@]}" run "$G" sigwait
	expect "confined: ... no supervisor" 10 "outeq=ready" errlines=0 -- \
		env OUT="$TMP/out" bash -c "$SIGWAIT" sigwait "${confined[@]}" run --tmpdir "$TMP" "$G" sigwait
	expect "confined: ... with a pipe polled (epoll_pwait)" 10 "outeq=ready" errlines=0 -- \
		env OUT="$TMP/out" bash -c "$SIGWAIT" sigwait "${confined[@]}" run "$G" sigwait pipe
fi

# --- the native nonehost: it runs the image under qemu and its supervisor ------
# build/nonehost beside build/ARCH/nonehost dispatches the image to qemu and
# this host itself (host/foreign.c). With the default private TMPDIR its
# supervisor stays outside qemu, and its signal page (a memfd) crosses the
# exec into qemu as --signal-fd: a caught signal sent to the native
# nonehost's pid is passed on to the emulator and reaches the guest; one it
# does not catch still ends it (SIGKILL passed on, the supervisor leaves
# killed by the signal sent); one whose default ignores it does nothing.
# Under --isolate PID 1 of the namespace passes it on once more.
NATIVE=$(dirname "$NH")/../nonehost
if [ "$ARCH" = arm64 ] && [ -x "$NATIVE" ]; then
	native=("$NATIVE")
	expect "native: a caught signal reaches the guest through the supervisor" 10 "outeq=ready" \
		errlines=0 -- env OUT="$TMP/out" bash -c "$SIGWAIT" sigwait "${native[@]}" "$G" sigwait
	expect "native: ... with a pipe polled (epoll_pwait)" 10 "outeq=ready" errlines=0 -- \
		env OUT="$TMP/out" bash -c "$SIGWAIT" sigwait "${native[@]}" "$G" sigwait pipe
	expect "native: ... under --isolate, through PID 1" 10 "outeq=ready" "!err=." -- \
		env OUT="$TMP/out" bash -c "$SIGWAIT" sigwait "${native[@]}" --isolate "$G" sigwait
	expect "native: SIGWINCH, SIGURG not caught do nothing, then SIGUSR1" 10 "outeq=ready" \
		errlines=0 -- env OUT="$TMP/out" SIGS="WINCH URG USR1" bash -c "$SIGWAIT" sigwait \
		"${native[@]}" "$G" sigwait
	expect "native: SIGUSR2 not caught ends it" 140 "outeq=ready" "!err=nonehost" -- \
		env OUT="$TMP/out" SIGS=USR2 bash -c "$SIGWAIT" sigwait "${native[@]}" "$G" sigwait
	expect "native: ... under --isolate" 140 "outeq=ready" "!err=nonehost" -- \
		env OUT="$TMP/out" SIGS=USR2 bash -c "$SIGWAIT" sigwait "${native[@]}" --isolate "$G" sigwait
elif [ "$ARCH" = arm64 ]; then
	echo "# skip the native nonehost's cases: $NATIVE not built (make host)"
fi

echo "# $ARCH under $QEMU: $((n - failed))/$n passed"
[ "$failed" -eq 0 ]
