#!/usr/bin/env bash
# run.sh - C-level smoke test of nonehost with the assembly guest (cguest.S).
#
# usage: tests/cguest/run.sh NONEHOST CGUEST_ELF
#
# Each case runs one command and asserts its exit status and, with grep -E,
# what its stdout/stderr must (or must not) contain. Prints "ok N - name" or
# "not ok N - name" with the evidence, and exits 1 if any case failed.
set -u

NH=${1:?usage: run.sh NONEHOST CGUEST_ELF}
G=${2:?usage: run.sh NONEHOST CGUEST_ELF}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/nh-cguest.XXXXXX")
BM=/proc/sys/fs/binfmt_misc
BM_CONF=/etc/binfmt.d/nonehost.conf
BM_TOUCHED=0 BM_MOUNTED_HERE=0 BM_MADE_CONF_DIR=0
# The host's time zone (fs-shim/fsshim_zone.c): its database is one more
# grant when it has one; a link at /etc/localtime is shown under --net none.
ZONES=0
for d in /usr/share/zoneinfo /usr/share/lib/zoneinfo /usr/lib/locale/TZ /etc/zoneinfo; do
	[ -d "$d" ] && { ZONES=1; break; }
done
ETC_NONE="none of ours"
[ -L /etc/localtime ] && ETC_NONE="only localtime, a link as the host's"

# The binfmt cases change the machine: whatever happens, undo it (the entry,
# the binfmt.d file and its directory, the mount, each only if made here).
bm_cleanup() {
	[ "$BM_TOUCHED" = 1 ] || return 0
	local a
	for a in amd64 arm64 riscv64 arm; do
		if [ -e "$BM/nonehost-$a" ]; then echo -1 >"$BM/nonehost-$a"; fi
	done
	rm -f "$BM_CONF"
	if [ "$BM_MADE_CONF_DIR" = 1 ]; then rmdir "${BM_CONF%/*}" 2>/dev/null; fi
	if [ "$BM_MOUNTED_HERE" = 1 ]; then umount "$BM" 2>/dev/null; fi
	BM_TOUCHED=0
}
trap 'bm_cleanup; rm -rf "$TMP"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A case's command: fd 3 is open so that "only fds 1 and 2" is the host's
# rule, not the kernel's.
expect_run() {
	"$@" >"$TMP/out" 2>"$TMP/err" </dev/null 3>"$TMP/fd3"
}
. "$(dirname "$0")/../lib/expect.sh"

FAULT_LINE='^nonehost: guest fault: '

# --- the command line -------------------------------------------------------
expect "version" 0 "outeq=nonehost 0.1.0 (ABI 1)" -- "$NH" --version
expect "help" 0 "out=^usage: nonehost run \[OPTIONS\] IMAGE" "out=--memory SIZE" -- "$NH" --help
expect "no image" 125 errlines=1 "err=^nonehost: usage: no IMAGE given" -- "$NH"
expect "unknown option" 125 errlines=1 "err=^nonehost: usage: --frobnicate: unknown option" -- "$NH" --frobnicate "$G"
expect "memory too small" 125 errlines=1 "err=--memory 1M: too small" -- "$NH" --memory 1M "$G"
expect "memory not page multiple" 125 errlines=1 "err=not a multiple of the page size" -- "$NH" --memory 16777217 "$G"
expect "memory not a size" 125 errlines=1 "err=--memory 4Q: not a size" -- "$NH" --memory 4Q "$G"
expect "missing image" 125 errlines=1 "err=^nonehost: cannot open image: $TMP/nope: No such file or directory$" -- "$NH" "$TMP/nope"

# --- image rejection (126), one line each ----------------------------------
printf 'hello, I am a text file\n' >"$TMP/text"
: >"$TMP/empty"
head -c 100 "$G" >"$TMP/trunc"
cp "$G" "$TMP/linuxabi" && printf '\000' | dd of="$TMP/linuxabi" bs=1 seek=7 conv=notrunc status=none
cp "$G" "$TMP/bigendian" && printf '\002' | dd of="$TMP/bigendian" bs=1 seek=5 conv=notrunc status=none
expect "reject text file" 126 errlines=1 "err=^nonehost: image rejected: $TMP/text: not an ELF file \(bad magic 68 65 6c 6c\)$" -- "$NH" "$TMP/text"
expect "reject empty file" 126 errlines=1 "err=image rejected: .*: not an ELF file \(file too small: 0 bytes\)" -- "$NH" "$TMP/empty"
expect "reject truncated image" 126 errlines=1 "err=image rejected: .*program headers past end of file" -- "$NH" "$TMP/trunc"
expect "reject EI_OSABI 0" 126 errlines=1 "err=^nonehost: image rejected: .*: not marked GOOS=none \(EI_OSABI 0, want 255\)$" -- "$NH" "$TMP/linuxabi"
expect "reject big-endian" 126 errlines=1 "err=wrong byte order \(EI_DATA 2" -- "$NH" "$TMP/bigendian"
expect "reject a Linux binary" 126 errlines=1 "err=not marked GOOS=none \(EI_OSABI 0, want 255\)" -- "$NH" /bin/true
expect "reject a directory" 126 errlines=1 "err=image rejected: $TMP: not a regular file" -- "$NH" "$TMP"

# --- the guest ---------------------------------------------------------------
HELLO_OUT="hello from cguest
arg: $G
arg: hello
arg: -test.v
arg: x y
arg: --trace
env: CGUEST_ENV=forty two
now ok
idle ok
getrandom ok
gsbase ok
hostblock ok"
expect "hello: output, argv, env, printk, exit 7" 7 "outeq=$HELLO_OUT" "erreq=printk ok" -- \
	env CGUEST_ENV="forty two" "$NH" "$G" hello -test.v "x y" --trace
expect "hello via run and --memory 16M" 7 "out=^hostblock ok$" -- "$NH" run --memory 16M "$G" hello
expect "hello with an empty environment" 7 "out=^hostblock ok$" "!out=^env:" -- env -i "$NH" "$G" hello
expect "exit status passes through" 42 -- "$NH" "$G" exit 42
expect "exit status is masked to 8 bits" 44 -- "$NH" "$G" exit 300
expect "printk flushed at exit" 0 "erreq=bye" -- "$NH" "$G" pkexit
expect "unknown op is -ENOSYS" 0 "outeq=enosys ok" -- "$NH" "$G" enosys
expect "bad pointers are -EFAULT, guest keeps running" 0 "outeq=efault ok" "!err=." -- "$NH" "$G" efault
expect "fault handler gets the fault, twice" 3 "out=^caught SIGSEGV at 0x8 twice$" "!err=." -- "$NH" "$G" handler
expect "fault handler gets a breakpoint" 5 "out=^caught SIGTRAP$" "!err=." -- "$NH" "$G" trap
expect "trace" 7 "err=^\[nh\] write\(1, 0x[0-9a-f]+, 18\) = 18 \([0-9.]+us\)$" \
	"err=^\[nh\] nanotime\(\) = [0-9]+ \([0-9.]+us\)$" "err=^\[nh\] idle\([0-9]+, 0x0, 0\) = 0 " \
	"err=^\[nh\] printk\('p'\) = 0 " "err=^\[nh\] exit\(7\) = \?$" -- "$NH" --trace "$G" hello
expect "trace shows errors by name" 0 "err=^\[nh\] write\(3, 0x[0-9a-f]+, 1\) = -9 EBADF" \
	"err=^\[nh\] idle\(0, 0x0, 0\) = -35 EDEADLK" -- "$NH" --trace "$G" efault
expect "trace shows unknown ops" 0 "err=^\[nh\] op 0x7ff\(0x[0-9a-f]+, .*\) = -38 ENOSYS" -- "$NH" --trace "$G" enosys

# --- faults: one line, exit 139 ------------------------------------------------
expect "null dereference" 139 errlines=1 "err=${FAULT_LINE}SIGSEGV at 0x0 \(pc 0x1000[0-9a-f]{4} in do_null_deref\)$" -- "$NH" "$G" fault
expect "fault info taken away by MEM_PROTECT: reported, not delivered" 139 errlines=1 \
	"err=${FAULT_LINE}SIGSEGV at 0x0 \(pc 0x1000[0-9a-f]{4} in do_null_deref\)$" -- "$NH" "$G" infogone
expect "W^X: store into text" 139 errlines=1 "err=${FAULT_LINE}SIGSEGV at 0x10001000 \(pc 0x[0-9a-f]+ in mode_wx" -- "$NH" "$G" wx
expect "W^X: execute data" 139 errlines=1 "err=${FAULT_LINE}SIGSEGV at (0x[0-9a-f]+) \(pc 0x[0-9a-f]+\)$" -- "$NH" "$G" nx
expect "initial stack overflow" 139 errlines=1 "err=${FAULT_LINE}SIGSEGV at 0x[0-9a-f]+ .*initial stack overflow\)$" -- "$NH" "$G" stack
expect "argument area is read-only" 139 errlines=1 "err=${FAULT_LINE}SIGSEGV at 0x[0-9a-f]+ \(pc 0x[0-9a-f]+ in mode_hbwrite\+0x[0-9a-f]+\)$" -- "$NH" "$G" hbwrite
expect "divide by zero" 139 errlines=1 "err=${FAULT_LINE}SIGFPE at 0x[0-9a-f]+ \(pc 0x[0-9a-f]+ in mode_div0" -- "$NH" "$G" div0
expect "breakpoint trap, no handler" 139 errlines=1 "err=${FAULT_LINE}SIGTRAP at 0x[0-9a-f]+ \(pc 0x[0-9a-f]+ in mode_trapnoh" -- "$NH" "$G" trapnoh
expect "return from the entry point" 139 errlines=1 "err=${FAULT_LINE}SIGSEGV" -- "$NH" "$G" ret
expect "unknown mode fails the guest" 1 "err=cguest: FAIL: unknown mode" -- "$NH" "$G" no-such-mode

# A SIGSEGV sent by another process is not a fault: default action, no report.
sent_segv() {
	"$NH" "$G" sleep 5000 &
	local pid=$!
	sleep 0.2
	kill -SEGV "$pid"
	wait "$pid"
}
expect "SIGSEGV sent from outside kills by signal, no report" 139 "!err=nonehost:" -- sent_segv

# --- the sandbox: raw system calls from guest code end the image (159) ----------
# Each "sys NAME" makes the call with the syscall instruction in raw_syscall,
# bypassing the gate; if the sandbox let it through, the guest would exit 1.
SBX_LINE='^nonehost: sandbox violation: '
forbidden() { # forbidden SYSTAB-NAME SYSCALL NR [A0]
	local what=$1 name=$2 nr=$3
	shift 3
	expect "sandbox: $what" 159 errlines=1 \
		"err=${SBX_LINE}$name \($nr\) from pc 0x1000[0-9a-f]{4} in raw_syscall$" -- "$NH" "$G" sys "$what" "$@"
}
forbidden execve execve 59
forbidden openat openat 257
forbidden socket socket 41
forbidden ptrace ptrace 101
forbidden io_uring_setup io_uring_setup 425
forbidden mmap_exec mmap 9
forbidden mprotect_exec mprotect 10
forbidden mprotect_text mprotect 10
forbidden write_fd3 write 1
forbidden nanosleep_relative clock_nanosleep 230
forbidden nanosleep_realtime clock_nanosleep 230
forbidden clock_boottime clock_gettime 228
forbidden getrandom_nonblock getrandom 318
forbidden getrandom_big getrandom 318
forbidden kill kill 62 "$$"
forbidden getppid getppid 110
forbidden clone clone 56
forbidden setuid setuid 105
forbidden exit exit 60
forbidden chroot chroot 161
forbidden chdir chdir 80
forbidden fchdir fchdir 81
expect "sandbox: i386 execve through int \$0x80" 159 errlines=1 \
	"err=${SBX_LINE}execve \(i386 11\) from pc 0x[0-9a-f]+ in mode_int80\+0x[0-9a-f]+$" -- "$NH" "$G" int80
expect "sandbox: x32 getpid" 159 errlines=1 \
	"err=${SBX_LINE}getpid \(x32 1073741863\) from pc 0x[0-9a-f]+ in mode_x32\+0x[0-9a-f]+$" -- "$NH" "$G" x32
# fd 3 is a grant's O_PATH descriptor by then (inherited ones are closed): EBADF, not 159.
expect "sandbox: --no-sandbox warns, and the same write to fd 3 goes through" 1 errlines=2 \
	"err=^nonehost: WARNING: --no-sandbox: the image runs UNCONFINED" \
	"err=^cguest: FAIL: the system call returned \(got -9\)$" -- "$NH" --no-sandbox "$G" sys write_fd3

# --- the sandbox: what the host needs still works -------------------------------
expect "sandbox: hello (write, printk, idle, getrandom) runs confined" 7 "out=^idle ok$" \
	"out=^getrandom ok$" "erreq=printk ok" -- "$NH" "$G" hello
expect "sandbox: a raw write to fd 1 is allowed (the host's own right)" 1 "outeq=x" \
	"err=^cguest: FAIL: the system call returned \(got 1\)$" -- "$NH" "$G" sys write_fd1
expect "sandbox: --trace names the layers" 7 \
	"err=^\[nh\] sandbox: no_new_privs, rlimits \(nofile [0-9]+, core 0, nproc 0\), capabilities dropped.*, seccomp: [0-9]+ system calls, [0-9]+ rules \([0-9]+ us\)$" \
	-- "$NH" --trace "$G" hello

# stdout is a one-page non-blocking pipe nobody reads for 0.3 s: the host's
# write gets EAGAIN and waits in poll(2), which the filter must allow.
nonblocking_stdout() {
	perl -e '
		use Fcntl;
		pipe(my $r, my $w) or die "pipe: $!";
		fcntl($w, 1031, 4096) or die "F_SETPIPE_SZ: $!";
		my $fl = fcntl($w, F_GETFL, 0) or die "F_GETFL: $!";
		fcntl($w, F_SETFL, $fl | O_NONBLOCK) or die "F_SETFL: $!";
		my $pid = fork() // die "fork: $!";
		if ($pid == 0) { close $r; open(STDOUT, ">&", $w) or die; exec @ARGV or die "exec: $!"; }
		close $w;
		select(undef, undef, undef, 0.3);
		my ($n, $k, $buf) = (0);
		$n += $k while ($k = sysread($r, $buf, 65536));
		waitpid($pid, 0);
		print "$n
";
		exit(($? & 127) ? 128 + ($? & 127) : $? >> 8);' -- "$@"
}
expect "sandbox: a full non-blocking stdout waits in poll" 0 "outeq=65536" "!err=." -- \
	nonblocking_stdout "$NH" "$G" bigwrite

# SIGSTOP/SIGCONT while idle: the kernel restarts clock_nanosleep itself.
stop_cont() {
	"$NH" "$G" sleep 400 &
	local pid=$!
	sleep 0.1
	kill -STOP "$pid"
	sleep 0.1
	kill -CONT "$pid"
	wait "$pid"
}
expect "sandbox: stopped and continued while idle" 0 "!err=." -- stop_cont

# A SIGSYS sent by another process is no violation: killed by it, no report.
sent_sys() {
	"$NH" "$G" sleep 5000 &
	local pid=$!
	sleep 0.2
	kill -SYS "$pid"
	wait "$pid"
}
expect "sandbox: SIGSYS sent from outside kills by signal, no report" 159 "!err=nonehost:" -- sent_sys

# --- --policy: print the effective policy, run nothing --------------------------
expect "policy: layers, grants, the allowlist" 0 "out=^  1 no_new_privs   on$" \
	"out=^  2 rlimits        nofile $((4139 + ZONES)), core 0, nproc 0 \(soft = hard\)$" \
	"out=^  3 capabilities   all dropped" "out=^  4 Landlock       (ABI [0-9]+: |unavailable)" \
	"out=^  5 seccomp        [0-9]+ system calls, [0-9]+ rules" \
	"out=^  files: $((3 + ZONES)) directories " "out=^    $PWD +ro  $PWD  the current directory$" \
	"out=^    /.*/nonehost.XXXXXX/tmp +rw  /.*/nonehost.XXXXXX/tmp  the private TMPDIR " \
	"out=^    /etc +ro  /.*/nonehost.XXXXXX/etc  the guest's /etc: the image's own passwd and group lines \(os/user\), copied at start, and the local time zone$" \
	"out=^allowed system calls: [0-9]+ \([0-9]+ rules\)" \
	"out=^  write            a0 == 1 " "out=^  0 namespaces     off" "out=^image: none given$" "!err=." \
	-- "$NH" --policy
# an image whose symbol table names no os/user reader gets no /etc of ours under none
expect "policy: no /etc for an image that never reads passwd" 0 \
	"out=^  files: $((2 + ZONES)) directories " "!out=nonehost.XXXXXX/etc" \
	"out=^    /etc +$ETC_NONE \(--net none, the default: no names to resolve; --net private or host brings hosts, services, protocols\)$" \
	-- "$NH" --policy "$G"
expect "policy: IMAGE validated and summarized" 0 \
	"out=^image: $G: entry 0x1000[0-9a-f]{4}, [0-9]+ segments" "out=^  segment 1: 0x[0-9a-f]+-0x[0-9a-f]+ r-x, " \
	-- "$NH" --policy "$G" hello
expect "policy: a bad IMAGE is rejected" 126 errlines=1 "err=not marked GOOS=none" -- "$NH" --policy /bin/true
expect "policy: --isolate lists the namespaces" 0 \
	"out=^  0 namespaces     user, mount, ipc, network, pid; the image runs as PID 1$" -- "$NH" --policy --isolate
expect "policy: --no-sandbox says it is off" 0 "out=OFF: --no-sandbox" "!out=^allowed" -- "$NH" --policy --no-sandbox
expect "policy: the supervisor's layers and allowlist" 0 \
	"out=^supervisor \(the waiting parent" "out=^  5 seccomp        19 system calls, 21 rules; default: EPERM" \
	"out=^    /tmp/nonehost-[0-9]+ +REMOVE_DIR  its parent" "out=^supervisor: allowed system calls: 19 \(21 rules\); any other: fails with EPERM$" \
	"out=^  kill +a0 == 0 +supervisor: pass a signal the image catches" -- env TMPDIR=/tmp "$NH" --policy
expect "policy: --keep-tmp: no supervisor" 0 "out=^supervisor: none \(no fork" -- "$NH" --policy --keep-tmp
expect "policy: after IMAGE, --policy is the guest's" 42 -- "$NH" "$G" exit 42 --policy

# --- --isolate: namespaces; the guest behaves and ends exactly as without ------------
expect "isolate: hello, same output and status" 7 "outeq=$HELLO_OUT" "erreq=printk ok" -- \
	env CGUEST_ENV="forty two" "$NH" --isolate "$G" hello -test.v "x y" --trace
expect "isolate: exit status passes through" 42 "!err=." -- "$NH" --isolate "$G" exit 42
expect "isolate: exit 0" 0 "outeq=enosys ok" "!err=." -- "$NH" --isolate "$G" enosys
expect "isolate: --trace names the namespaces" 7 \
	"err=^\[nh\] isolate: namespaces: user, mount, ipc, network, pid \([0-9]+ us\)$" \
	"err=^\[nh\] sandbox: no_new_privs" -- "$NH" --isolate --trace "$G" hello
expect "isolate: guest fault is 139" 139 errlines=1 "err=${FAULT_LINE}SIGSEGV at 0x0 \(pc 0x1000[0-9a-f]{4} in do_null_deref\)$" -- "$NH" --isolate "$G" fault
expect "isolate: W^X is 139" 139 errlines=1 "err=${FAULT_LINE}SIGSEGV" -- "$NH" --isolate "$G" wx
expect "isolate: violation is 159" 159 errlines=1 "err=${SBX_LINE}execve \(59\) from pc 0x1000[0-9a-f]{4} in raw_syscall$" -- "$NH" --isolate "$G" sys execve
expect "isolate: kill is 159" 159 errlines=1 "err=${SBX_LINE}kill \(62\)" -- "$NH" --isolate "$G" sys kill 1
expect "isolate: int \$0x80 is 159" 159 errlines=1 "err=${SBX_LINE}execve \(i386 11\)" -- "$NH" --isolate "$G" int80
expect "isolate: a rejected image is 126" 126 errlines=1 "err=not marked GOOS=none" -- "$NH" --isolate /bin/true
expect "isolate: a missing image is 125" 125 errlines=1 "err=^nonehost: cannot open image: " -- "$NH" --isolate "$TMP/nope"
expect "isolate: with --no-sandbox" 1 errlines=2 "err=UNCONFINED" "err=^cguest: FAIL: the system call returned" -- "$NH" --isolate --no-sandbox "$G" sys write_fd3
# An asynchronous command of a script starts with SIGINT and SIGQUIT ignored,
# which the image keeps (as a Go program on Linux does): env restores the
# default for the signal sent.
sent_to_isolated() { # SIGNAL: sent to nonehost --isolate, which must die by it
	env --default-signal="$1" "$NH" --isolate "$G" sleep 5000 &
	local pid=$!
	sleep 0.2
	kill -"$1" "$pid"
	wait "$pid"
}
expect "isolate: SIGTERM is passed on, status 143" 143 "!err=." -- sent_to_isolated TERM
expect "isolate: SIGINT is passed on, status 130" 130 "!err=." -- sent_to_isolated INT
expect "isolate: SIGSYS sent from outside kills, no report" 159 "!err=nonehost:" -- sent_to_isolated SYS
ignored_sigint_to_isolated() {
	"$NH" --isolate "$G" sleep 300 &
	local pid=$!
	sleep 0.1
	kill -INT "$pid"
	wait "$pid"
}
expect "isolate: a SIGINT ignored at start (a script's background job) stays ignored" 0 "!err=." -- \
	ignored_sigint_to_isolated

# --- signals: SIGNAL, RAISE, IDLE woken by a caught signal, the supervisor's page ----
expect "signal: the ops' rules, a raised bit, IDLE(0) at once" 0 "outeq=sig ok" "!err=." -- "$NH" "$G" sig
expect "signal: --trace names signals and actions" 0 "err=^\[nh\] signal\(SIGUSR1, CATCH\) = 0 " \
	"err=^\[nh\] signal\(SIGKILL, CATCH\) = -22 EINVAL " "err=^\[nh\] raise\(SIGUSR1\) = 0 " \
	"err=^\[nh\] idle\(0, 0x0, 0\) = 0 " -- "$NH" --trace "$G" sig
expect "signal: SIGHUP ignored at start is IGNORE, in sig_ignored" 0 "outeq=sigign ok" -- \
	bash -c 'trap "" HUP; exec "$0" "$1" sigign' "$NH" "$G"
# In a function: the shell's own line for a death by a signal ("Terminated")
# lands in the case's stderr, not between the cases.
signal_run() { "$@"; }
expect "signal: raise SIGTERM ends the image by it (supervisor)" 143 "outeq=" "!err=nonehost" -- \
	signal_run "$NH" "$G" raise 15
expect "signal: raise SIGTERM, no supervisor" 143 "outeq=" "!err=nonehost" -- \
	signal_run "$NH" --tmpdir "$TMP" "$G" raise 15
expect "signal: raise SIGTERM as PID 1 (--isolate)" 143 "outeq=" "!err=nonehost" -- \
	signal_run "$NH" --isolate "$G" raise 15
expect "signal: raise SIGKILL" 137 "outeq=" "!err=nonehost" -- signal_run "$NH" "$G" raise 9
expect "signal: raise SIGSEGV is no fault" 139 "outeq=" "!err=nonehost" -- signal_run "$NH" "$G" raise 11
expect "signal: raise SIGWINCH: its default ignores it" 0 "outeq=raised" -- "$NH" "$G" raise 28
expect "signal: raise SIGTSTP does not stop the image" 0 "outeq=raised" -- "$NH" "$G" raise 20
expect "signal: raise SIGSTOP is EINVAL" 1 "err=^cguest: FAIL: raise \(got -22\)$" -- "$NH" "$G" raise 19
# The guest catches SIGUSR1 and SIGTERM and waits in IDLE; each SIG in turn
# goes to nonehost's pid (the supervisor, or the image host itself without
# one) once the guest says "ready"; the guest exits with the number of the
# caught one. A watchdog ends a lost wake-up after 20 s.
signal_sigwait() { # SIG,SIG... OPTIONS... -- MODE-ARGS...
	local sigs=$1 pid wd i s
	shift
	local opts=()
	while [ "$1" != "--" ]; do opts+=("$1"); shift; done
	shift
	"$NH" "${opts[@]}" "$G" sigwait "$@" &
	pid=$!
	(sleep 20; kill -KILL "$pid") 2>/dev/null &
	wd=$!
	for i in $(seq 200); do grep -q '^ready$' "$TMP/out" && break; sleep 0.05; done
	for s in ${sigs//,/ }; do kill -"$s" "$pid"; sleep 0.1; done
	wait "$pid"
	i=$?
	kill "$wd" 2>/dev/null
	wait "$wd" 2>/dev/null
	return "$i"
}
expect "signal: a caught SIGUSR1 wakes IDLE(0), through the supervisor" 10 "outeq=ready" "!err=." -- \
	signal_sigwait USR1 --
expect "signal: a caught SIGTERM, no supervisor" 15 "outeq=ready" "!err=." -- \
	signal_sigwait TERM --tmpdir "$TMP" --
expect "signal: a caught SIGUSR1 wakes PID 1 (--isolate)" 10 "outeq=ready" "!err=." -- \
	signal_sigwait USR1 --isolate --
expect "signal: a caught signal wakes a timed IDLE" 10 "outeq=ready" "!err=." -- \
	signal_sigwait USR1 -- timed
expect "signal: a caught signal wakes IDLE with a pipe polled (epoll)" 10 "outeq=ready" "!err=." -- \
	signal_sigwait USR1 -- pipe
expect "signal: ... with io_uring" 10 "outeq=ready" "!err=." -- \
	signal_sigwait USR1 --net private --net-backend uring -- pipe
expect "signal: ... with epoll under --net private" 10 "outeq=ready" "!err=." -- \
	signal_sigwait USR1 --net private --net-backend epoll -- pipe
expect "signal: SIGWINCH, SIGURG, SIGCONT, SIGPIPE not caught: nothing, the supervisor neither" 15 \
	"outeq=ready" "!err=." -- signal_sigwait WINCH,URG,CONT,PIPE,TERM --
expect "signal: SIGUSR2 not caught ends it through the supervisor" 140 "outeq=ready" "!err=nonehost" -- \
	signal_sigwait USR2 --
expect "signal: SIGUSR2 not caught ends PID 1 (--isolate)" 140 "outeq=ready" "!err=nonehost" -- \
	signal_sigwait USR2 --isolate --

# --- the fs-shim: grants, the private TMPDIR, escapes (fs-shim/README.md) --------
mkdir -p "$TMP/g/sub" "$TMP/rw"
printf 'granted data\n' >"$TMP/g/data"
printf 'canary: must stay untouched\n' >"$TMP/canary"
touch -d '2020-01-02 03:04:05' "$TMP/canary"
ln -s ../canary "$TMP/g/up"
ln -s / "$TMP/g/root"
ln -s "$TMP/canary" "$TMP/g/abs"
expect "fs: cat a granted file at its own path" 0 "outeq=granted data" "!err=." -- "$NH" --dir "$TMP/g" "$G" cat "$TMP/g/data"
expect "fs: cat through a GUEST path" 0 "outeq=granted data" -- "$NH" --dir "$TMP/g:/data" "$G" cat /data/data
expect "fs: cat through /data/sub/../data" 0 "outeq=granted data" -- "$NH" --dir "$TMP/g:/data" "$G" cat /data/sub/../data
expect "fs: outside every grant is ENOENT" 1 errlines=1 "err=^cguest: FAIL: open \(got -2\)$" -- "$NH" --dir "$TMP/g" "$G" cat /etc/passwd
expect "fs: ../canary is ENOENT" 1 "err=open \(got -2\)$" -- "$NH" --dir "$TMP/g:/data" "$G" cat /data/../canary
expect "fs: a link climbing out is ENOENT" 1 "err=open \(got -2\)$" -- "$NH" --dir "$TMP/g" "$G" cat "$TMP/g/up"
expect "fs: an absolute link out is ENOENT" 1 "err=open \(got -2\)$" -- "$NH" --dir "$TMP/g:/data" "$G" cat /data/abs
expect "fs: a link to / is the guest's root" 1 "err=open \(got -2\)$" -- "$NH" --dir "$TMP/g:/data" "$G" cat /data/root/etc/passwd
expect "fs: a link to / then back into the grant" 0 "outeq=granted data" -- "$NH" --dir "$TMP/g:/data" "$G" cat /data/root/data/data
expect "fs: write into a read-only grant is EROFS" 1 "err=open \(got -30\)$" -- "$NH" --dir "$TMP/g" "$G" put "$TMP/g/new"
expect "fs: write above the grants is EROFS" 1 "err=open \(got -30\)$" -- "$NH" --dir "$TMP/g" "$G" put "$TMP/new"
put_then_look() { "$NH" --dir "$TMP/rw:/out:rw" "$G" put /out/file && cat "$TMP/rw/file"; }
expect "fs: write into a read-write grant" 0 "outeq=put ok" -- put_then_look
expect "fs: the current directory is granted read-only" 1 "err=open \(got -30\)$" -- "$NH" "$G" put "$PWD/nonehost-must-not-exist"
fsinfo_and_gone() {
	local out
	out=$("$NH" "$G" fsinfo) || return $?
	printf '%s\n' "$out"
	local dir=${out#*tmpdir: }
	dir=${dir%%$'\n'*}
	if [ -e "${dir%/tmp}" ]; then echo "still there: ${dir%/tmp}"; fi
}
expect "fs: cwd, TMPDIR, a file in it, and it is gone after" 0 "out=^cwd: $PWD$" \
	"out=^tmpdir: /.*/nonehost\.[A-Za-z0-9]{6}/tmp$" "out=^put ok$" "!out=still there" "!err=." -- fsinfo_and_gone
expect "fs: the TMPDIR is gone after --isolate too" 0 "out=^put ok$" "!out=still there" -- \
	env NH_ISOLATE=1 bash -c 'out=$("$0" --isolate "$1" fsinfo) && d=${out#*tmpdir: } && d=${d%%$'"'"'\n'"'"'*} && echo "$out" && { [ ! -e "${d%/tmp}" ] || echo "still there"; }' "$NH" "$G"
keep_tmp() {
	"$NH" --keep-tmp "$@" "$G" fsinfo 2>"$TMP/keep.err" >"$TMP/keep.out"
	local d
	d=$(sed -n 's/^tmpdir: //p' "$TMP/keep.out")
	cat "$TMP/keep.err"
	[ -f "$d/probe" ] && echo "kept: probe"
	if [ -f "${d%/tmp}/etc/hosts" ]; then echo "kept: etc/hosts"; elif [ ! -e "${d%/tmp}/etc" ]; then echo "no etc/"; fi
	[ -n "$d" ] && chmod -R u+w "${d%/tmp}" && rm -rf "${d%/tmp}"
}
expect "fs: --keep-tmp keeps it and says where" 0 \
	"out=^nonehost: --keep-tmp: the private TMPDIR is (/.*/nonehost-kept\.[A-Za-z0-9]{6})/tmp \(it stays, with all of \1\)$" \
	"out=^kept: probe$" "out=^no etc/$" -- keep_tmp
expect "fs: --keep-tmp --net private keeps etc/ too" 0 "out=^kept: probe$" "out=^kept: etc/hosts$" -- keep_tmp --net private
expect "fs: a fault still removes the TMPDIR" 139 "err=guest fault" -- "$NH" "$G" fault
given_tmpdir() {
	mkdir -p "$TMP/given"
	"$NH" --tmpdir "$TMP/given" "$@" "$G" fsinfo || return $?
	[ -f "$TMP/given/probe" ] && echo "kept: probe"
	rm -rf "$TMP/given"
}
expect "fs: --tmpdir DIR is the TMPDIR, neither made nor removed" 0 "out=^tmpdir: $TMP/given$" \
	"out=^kept: probe$" "!err=." -- given_tmpdir
expect "fs: --tmpdir with --net private (its /etc made apart)" 0 "out=^tmpdir: $TMP/given$" \
	"out=^kept: probe$" "!err=." -- given_tmpdir --net private
expect "fs: --tmpdir missing" 125 errlines=1 "err=^nonehost: --tmpdir $TMP/nope: No such file or directory$" -- "$NH" --tmpdir "$TMP/nope" "$G" exit 0
expect "fs: --tmpdir not a directory" 125 errlines=1 "err=^nonehost: --tmpdir $TMP/canary: $TMP/canary is not a directory$" -- "$NH" --tmpdir "$TMP/canary" "$G" exit 0
expect "fs: --trace prints paths" 0 \
	"err=^\[nh\] fs_open\(-100, \"/data/data\", 10, 0x0, 0644\) = 3 \([0-9.]+us\)$" \
	"err=^\[nh\] fs_read\(3, 0x[0-9a-f]+, 4096\) = 13 " "err=^\[nh\] fs_close\(3\) = 0 " -- \
	"$NH" --trace --dir "$TMP/g:/data" "$G" cat /data/data
expect "fs: --dir HOST missing" 125 errlines=1 "err=^nonehost: --dir $TMP/nope: $TMP/nope: No such file or directory$" -- "$NH" --dir "$TMP/nope" "$G" exit 0
expect "fs: --dir HOST not a directory" 125 errlines=1 "err=^nonehost: --dir $TMP/canary: $TMP/canary is not a directory$" -- "$NH" --dir "$TMP/canary" "$G" exit 0
expect "fs: --dir GUEST relative" 125 errlines=1 "err=^nonehost: usage: --dir $TMP/g:g: GUEST must be an absolute path" -- "$NH" --dir "$TMP/g:g" "$G" exit 0
expect "fs: --dir bad mode" 125 errlines=1 "err=the mode must be ro or rw" -- "$NH" --dir "$TMP/g:/x:wr" "$G" exit 0
expect "fs: two grants at one guest path" 125 errlines=1 "err=two grants at the same guest path /x$" -- "$NH" --dir "$TMP/g:/x" --dir "$TMP/rw:/x" "$G" exit 0
expect "fs: read-only inside read-write" 125 errlines=1 "err=\(read-only\) lies inside --dir $TMP:rw \(read-write\)" -- "$NH" --dir "$TMP:rw" --dir "$TMP/g:/y" "$G" exit 0
expect "fs: --max-files not a number" 125 errlines=1 "err=--max-files x: not a number" -- "$NH" --max-files x "$G" exit 0
expect "fs: --policy lists the grants" 0 "out=^    /data +ro  $TMP/g$" "out=^    /out +rw  $TMP/rw$" \
	"out=^  openat2 +a3 == 24 " "out=^  files: $((5 + ZONES)) directories" -- "$NH" --policy --dir "$TMP/g:/data" --dir "$TMP/rw:/out:rw"

# --- the guest's /etc: name-resolution files, copied at start under --net private or host ---
LOCALHOST=$'127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback'
expect "etc: none by default (no names to resolve)" 1 errlines=1 "err=open \(got -2\)$" -- "$NH" "$G" cat /etc/hosts
expect "etc: none under --net none" 1 errlines=1 "err=open \(got -2\)$" -- "$NH" --net none "$G" cat /etc/services
expect "etc: --net private: /etc/hosts names localhost only" 0 "outeq=$LOCALHOST" "!err=." -- "$NH" --net private "$G" cat /etc/hosts
expect "etc: no resolv.conf without --net host" 1 errlines=1 "err=open \(got -2\)$" -- "$NH" --net private "$G" cat /etc/resolv.conf
expect "etc: nothing else of the host's /etc" 1 "err=open \(got -2\)$" -- "$NH" --net private "$G" cat /etc/shadow
# passwd and group: only the image's own user and group (its members left out)
OWN_PW=$(awk -F: -v u="$(id -u)" '$3 == u { print; exit }' /etc/passwd)
OWN_GR=$(awk -F: -v g="$(id -g)" '$3 == g { print $1 ":" $2 ":" $3 ":"; exit }' /etc/group)
[ -z "$OWN_PW" ] || expect "etc: passwd holds the image's own user only" 0 "outeq=$OWN_PW" -- "$NH" --net private "$G" cat /etc/passwd
[ -z "$OWN_GR" ] || expect "etc: group holds its own group only, no members" 0 "outeq=$OWN_GR" -- "$NH" --net private "$G" cat /etc/group
# the same as another user: root's ids are what an unset id reads as
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
NOBODY_PW=$(awk -F: '$3 == 65534 { print; exit }' /etc/passwd)
if [ "$(id -u)" -eq 0 ] && [ -n "$NOBODY_PW" ] && command -v setpriv >/dev/null &&
	"${NOBODY[@]}" unshare --user true 2>/dev/null && "${NOBODY[@]}" test -r "$G" -a -x "$NH"; then
	expect "etc: as nobody, passwd holds nobody's line" 0 "outeq=$NOBODY_PW" -- \
		"${NOBODY[@]}" env -C /tmp "$(readlink -f "$NH")" --net private "$(readlink -f "$G")" cat /etc/passwd
fi
for f in hosts resolv.conf; do
	[ -f "/etc/$f" ] || continue
	expect "etc: --net host: the host's /etc/$f" 0 "outeq=$(cat "/etc/$f")" -- "$NH" --net host "$G" cat "/etc/$f"
done
expect "etc: write into /etc is EROFS" 1 "err=open \(got -30\)$" -- "$NH" --net private "$G" put /etc/hosts
expect "etc: a --dir at /etc wins" 0 "outeq=granted data" -- "$NH" --net private --dir "$TMP/g:/etc" "$G" cat /etc/data
expect "etc: a --dir at / wins" 1 "err=open \(got -2\)$" -- "$NH" --net private --dir "$TMP:/" "$G" cat /etc/hosts
expect "etc: a --dir beneath /etc nests in ours" 0 "outeq=granted data" -- "$NH" --net private --dir "$TMP/g:/etc/ssl" "$G" cat /etc/ssl/data
expect "etc: ... and ours is around it" 0 "outeq=$LOCALHOST" -- "$NH" --net private --dir "$TMP/g:/etc/ssl" "$G" cat /etc/ssl/../hosts
expect "etc: a --dir beneath /etc under --net none: no /etc of ours around it" 1 "err=open \(got -2\)$" -- "$NH" --dir "$TMP/g:/etc/ssl" "$G" cat /etc/ssl/../hosts
expect "etc: --policy: a --dir at /etc wins, and says so" 0 \
	"out=^    /etc +ro  $TMP/g  it holds the guest's /etc: no name-resolution files of ours there$" \
	"!out=nonehost.XXXXXX/etc" "!out=none of ours" -- "$NH" --policy --net private --dir "$TMP/g:/etc"
expect "etc: --policy --net private: localhost only" 0 \
	"out=^    /etc +ro  /.*/nonehost.XXXXXX/etc  the guest's /etc: name-resolution files, copied at start \(hosts: localhost only; the host's services, protocols\)$" \
	"!out=none of ours" -- "$NH" --policy --net private
expect "etc: --policy --net host: the host's copies" 0 \
	"out=^    /etc +ro  /.*/nonehost.XXXXXX/etc  the guest's /etc: name-resolution files, copied at start \(--net host: the host's hosts, resolv.conf, nsswitch.conf, services, protocols, CA bundle\)$" \
	-- "$NH" --policy --net host
expect "fs: the canary is untouched" 0 "outeq=canary: must stay untouched
2020-01-02 03:04:05" -- bash -c 'cat "$0" && date -r "$0" "+%Y-%m-%d %H:%M:%S"' "$TMP/canary"

# --- the network (netstack-shim) ----------------------------------------------
expect "net: the default is none: SOCKET is EACCES" 0 "outeq=net: none" "!err=." -- "$NH" "$G" net
expect "net: --net private, io_uring" 0 "outeq=net ok" "!err=." -- "$NH" --net private --net-backend uring "$G" net
expect "net: --net private, epoll" 0 "outeq=net ok" "!err=." -- "$NH" --net private --net-backend epoll "$G" net
expect "net: --net private inside --isolate's namespace" 0 "outeq=net ok" -- "$NH" --isolate --net private "$G" net
expect "net: --net host with grants, io_uring" 0 "outeq=net ok" -- "$NH" --net host --net-bind 0 --net-connect '127.0.0.1:*' "$G" net
expect "net: --net host with grants, epoll" 0 "outeq=net ok" -- "$NH" --net host --net-backend epoll --net-bind 0 --net-connect '127.0.0.1:*' "$G" net
expect "net: --net host without a bind grant: EACCES, nothing killed" 1 errlines=1 "err=^cguest: FAIL: bind \(got -13\)$" -- "$NH" --net host "$G" net
expect "net: --net host, the port not granted: EACCES" 1 errlines=1 "err=^cguest: FAIL: connect \(got -13\)$" -- "$NH" --net host --net-bind 0 --net-connect '127.0.0.1:1-2' "$G" net
expect "net: --trace says what was made and traces the ops" 0 \
	"err=^\[nh\] net: private \(--net private\), new (user and )?network namespaces?, lo up, io_uring, 0 bind and 0 connect grants \([0-9]+ us\)$" \
	"err=^\[nh\] net_socket\(2, 0x1, 0\) = 3 " "err=^\[nh\] net_poll\(4, 0x7\) = 0 " "err=^\[nh\] idle\(0, 0x[0-9a-f]+, 4\) = [1-4] " -- "$NH" --trace --net private "$G" net
expect "net: a raw socket(2) from the guest under --net none is 159" 159 errlines=1 "err=${SBX_LINE}socket \(41\)" -- "$NH" "$G" sys socket
expect "net: a raw socket(2) without the host's flags is 159 under --net private too" 159 errlines=1 "err=${SBX_LINE}socket \(41\)" -- "$NH" --net private "$G" sys socket
expect "net: a raw io_uring_setup is 159 under --net private" 159 errlines=1 "err=${SBX_LINE}io_uring_setup \(425\)" -- "$NH" --net private "$G" sys io_uring_setup
expect "net: --net-bind without --net host" 125 errlines=1 "err=^nonehost: usage: --net-bind 80: needs --net host" -- "$NH" --net-bind 80 "$G" net
expect "net: a bad --net-connect" 125 errlines=1 "err=^nonehost: usage: --net-connect ::1:80: an IPv6 literal goes in brackets" -- "$NH" --net host --net-connect ::1:80 "$G" net
expect "net: --net host with --isolate" 125 errlines=1 "err=^nonehost: usage: --net host: --isolate runs the image" -- "$NH" --net host --isolate "$G" net
expect "net: --policy lists the mode, backend, grants, opcodes and Landlock rules" 0 \
	"out=^  network: host \(--net host\); backend (io_uring|epoll) " "out=^    bind \(local ports, TCP and UDP\): 8080$" \
	"out=^    connect \(TCP and UDP destinations\): 127\.0\.0\.1:\*$" "out=^    Landlock TCP bind: 1 port rule: 8080$" \
	"out=^    Landlock TCP connect: not handled " "out=^  socket +a0 == 2 && a1 == 526337 && a2 == 0 " \
	-- "$NH" --policy --net host --net-bind 8080 --net-connect '127.0.0.1:*' "$G"
expect "net: --policy: the default is none" 0 \
	"out=^  network: none \(the default \(--net private or host grants sockets\)\)" "!out=^  socket " \
	-- "$NH" --policy "$G"

# --- UNIX sockets: made by the launcher, beneath read-write grants ----------
mkdir -p "$TMP/unix" "$TMP/unix-ro"
expect "unix: --net private, io_uring: bind, listen, connect, accept, a byte, the name" 0 "outeq=unix ok" "!err=." \
	-- "$NH" --net private --net-backend uring --dir "$TMP/unix:/u:rw" "$G" unix /u/s1
expect "unix: --net private, epoll" 0 "outeq=unix ok" "!err=." \
	-- "$NH" --net private --net-backend epoll --dir "$TMP/unix:/u:rw" "$G" unix /u/s2
expect "unix: --net host" 0 "outeq=unix ok" -- "$NH" --net host --dir "$TMP/unix:/u:rw" "$G" unix /u/s3
expect "unix: the default (none): SOCKET is EACCES" 0 "outeq=unix: none" -- "$NH" --dir "$TMP/unix:/u:rw" "$G" unix /u/s4
expect "unix: --max-procs 0: the host makes it in the image's own root, no launcher needed" 0 \
	"outeq=unix ok" -- "$NH" --net private --max-procs 0 --dir "$TMP/unix:/u:rw" "$G" unix /u/s5
expect "unix: in a read-only grant: BIND is EACCES" 1 errlines=1 "err=^cguest: FAIL: bind \(got -13\)$" \
	-- "$NH" --net private --dir "$TMP/unix-ro:/u:ro" "$G" unix /u/s6
expect "unix: outside the grants: BIND is ENOENT" 1 errlines=1 "err=^cguest: FAIL: bind \(got -2\)$" \
	-- "$NH" --net private --dir "$TMP/unix:/u:rw" "$G" unix /elsewhere/s7
expect "unix: a raw socket(AF_UNIX, 0) from the guest is 159 (only the host's two types)" 159 errlines=1 \
	"err=${SBX_LINE}socket \(41\)" -- "$NH" --net private "$G" sys socket 1

# --- binfmt_misc: images run by their path ----------------------------------
expect "binfmt: no subcommand" 125 errlines=1 "err=^nonehost: usage: binfmt: needs a subcommand" -- "$NH" binfmt
expect "binfmt: an unknown argument" 125 errlines=1 \
	"err=^nonehost: usage: binfmt remove: --persist: unknown argument" -- "$NH" binfmt remove --persist
expect "binfmt: NONEHOST_FLAGS before IMAGE in the kernel's form" 0 "err=^\[nh\] exit\(0\) = \?$" -- \
	env NONEHOST_FLAGS="--trace	--memory 64M" "$NH" "$G" exit 0
expect "binfmt: NONEHOST_FLAGS: an unknown option" 125 errlines=1 \
	"err=^nonehost: usage: NONEHOST_FLAGS: --frob: unknown option \(see nonehost --help\)$" -- \
	env NONEHOST_FLAGS=--frob "$NH" "$G" exit 0
expect "binfmt: NONEHOST_FLAGS: IMAGE is not its to give" 125 errlines=1 \
	"err=^nonehost: usage: NONEHOST_FLAGS: other.elf: not an option" -- \
	env NONEHOST_FLAGS="--trace other.elf" "$NH" "$G" exit 0
expect "binfmt: NONEHOST_FLAGS is not read with run" 0 "!err=." -- env NONEHOST_FLAGS=--frob "$NH" run "$G" exit 0
expect "binfmt: NONEHOST_FLAGS is not read after an option" 0 "!err=." -- \
	env NONEHOST_FLAGS=--frob "$NH" --memory 64M "$G" exit 0
# line: what install registers, printed for a binfmt.d file (make install).
# One entry per architecture (ELF class, e_machine), all run by this nonehost:
# it hands foreign images to qemu-user.
bm_lines() {
	local row interp=$1
	for row in "amd64 02 3e" "arm64 02 b7" "riscv64 02 f3" "arm 01 28"; do
		set -- $row "$interp"
		printf ':nonehost-%s:M:0:\\x7f\\x45\\x4c\\x46\\x%s\\x01\\x01\\xff%s\\x02\\x00\\x%s\\x00:%s%s%s:%s:F\n' \
			"$1" "$2" '\x00\x00\x00\x00\x00\x00\x00\x00' "$3" \
			'\xff\xff\xff\xff\xff\xff\xff\xff' '\x00\x00\x00\x00\x00\x00\x00\x00' '\xff\xff\xff\xff' "$4"
	done
}
expect "binfmt: line with a given interpreter (need not exist)" 0 "!err=." \
	"outeq=$(bm_lines /usr/local/bin/nonehost)" -- "$NH" binfmt line /usr/local/bin/nonehost
expect "binfmt: line defaults to this nonehost" 0 "!err=." \
	"outeq=$(bm_lines "$(readlink -f "$NH")")" -- "$NH" binfmt line
expect "binfmt: line: a relative interpreter" 125 errlines=1 "!out=." \
	"err=^nonehost: binfmt line: bin/nonehost: the interpreter must be an absolute path" -- "$NH" binfmt line bin/nonehost
expect "binfmt: line: one interpreter at most" 125 errlines=1 \
	"err=^nonehost: usage: binfmt line: /b: unknown argument" -- "$NH" binfmt line /a /b
if [ "$(id -u)" -ne 0 ]; then
	echo "# binfmt: install, run by path, status, remove: skipped (not root)"
elif [ ! -d "$BM" ]; then
	echo "# binfmt: install, run by path, status, remove: skipped (no binfmt_misc in this kernel)"
elif ls "$BM"/nonehost-* >/dev/null 2>&1 || [ -e "$BM_CONF" ]; then
	echo "# binfmt: install, run by path, status, remove: skipped (a nonehost-* entry or $BM_CONF already there: not touching them)"
else
	BM_TOUCHED=1
	[ -e "$BM/register" ] || BM_MOUNTED_HERE=1
	[ -d "${BM_CONF%/*}" ] || BM_MADE_CONF_DIR=1
	expect "binfmt: install --persist" 0 "out=^nonehost-amd64: registered: GOOS=none amd64 images now run through /" \
		"out=^nonehost-arm64: registered: GOOS=none arm64 images now run through /" \
		"out=^nonehost-riscv64: registered: " "out=^nonehost-arm: registered: " \
		"out=^$BM_CONF: written" -- "$NH" binfmt install --persist
	expect "binfmt: the binfmt.d file holds every line" 0 "outeq=# nonehost binfmt install --persist: GOOS=none images run through nonehost
$(bm_lines "$(readlink -f "$NH")")" -- cat "$BM_CONF"
	expect "binfmt: the binfmt.d file holds the line" 0 \
		"out=^:nonehost-amd64:M:0:\\\\x7f\\\\x45\\\\x4c\\\\x46\\\\x02\\\\x01\\\\x01\\\\xff(\\\\x00){8}\\\\x02\\\\x00\\\\x3e\\\\x00:(\\\\xff){8}(\\\\x00){8}(\\\\xff){4}:/.*:F$" \
		-- cat "$BM_CONF"
	expect "binfmt: status: registered here" 0 "out=^nonehost-amd64: registered, enabled$" \
		"out=^  interpreter: /.* \(this nonehost\)$" "out=^  flags: F$" \
		"out=^  magic: 7f454c46020101ff000000000000000002003e00 \(as install writes it\)$" \
		"out=^  mask: ffffffffffffffff0000000000000000ffffffff \(as install writes it\)$" \
		"out=^nonehost-arm64: registered, enabled$" "out=^nonehost-arm: registered, enabled$" \
		"out=^  magic: 7f454c46010101ff000000000000000002002800 \(as install writes it\)$" \
		"out=^$BM_CONF: present, with the lines" -- "$NH" binfmt status
	expect "binfmt: the image runs by its path, status passes through" 42 "!err=." -- "$G" exit 42
	expect "binfmt: by its path: argv is the path, then the args" 7 "outeq=$HELLO_OUT" "erreq=printk ok" -- \
		env CGUEST_ENV="forty two" "$G" hello -test.v "x y" --trace
	expect "binfmt: NONEHOST_FLAGS reach it (--trace)" 0 "err=^\[nh\] sandbox: no_new_privs" \
		"err=^\[nh\] exit\(0\) = \?$" -- env NONEHOST_FLAGS="--trace --memory 64M" "$G" exit 0
	expect "binfmt: a bad NONEHOST_FLAGS is a usage error" 125 errlines=1 \
		"err=^nonehost: usage: NONEHOST_FLAGS: --frob: unknown option" -- env NONEHOST_FLAGS=--frob "$G" exit 0
	expect "binfmt: a Linux executable is not matched" 0 "!err=." -- /bin/true
	expect "binfmt: install again replaces the entry" 0 "out=^nonehost-amd64: replaced the existing entry \(interpreter /" \
		"out=^nonehost-amd64: registered: " -- "$NH" binfmt install
	if command -v setpriv >/dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$NH"; then
		expect "binfmt: install as nobody: needs root" 125 errlines=1 "err=^nonehost: binfmt install: needs root: " -- \
			setpriv --reuid=65534 --regid=65534 --clear-groups "$NH" binfmt install
		expect "binfmt: status as nobody works" 0 "out=^nonehost-amd64: registered, enabled$" -- \
			setpriv --reuid=65534 --regid=65534 --clear-groups "$NH" binfmt status
	fi
	expect "binfmt: remove" 0 "out=^nonehost-amd64: removed \(interpreter /" "out=^$BM_CONF: removed$" -- "$NH" binfmt remove
	expect "binfmt: status after remove" 1 "outeq=nonehost-amd64: not registered
nonehost-arm64: not registered
nonehost-riscv64: not registered
nonehost-arm: not registered" -- "$NH" binfmt status
	expect "binfmt: remove with nothing registered" 0 "outeq=nonehost-amd64: not registered, nothing to remove
nonehost-arm64: not registered, nothing to remove
nonehost-riscv64: not registered, nothing to remove
nonehost-arm: not registered, nothing to remove" -- "$NH" binfmt remove
	bm_cleanup
	expect "binfmt: nothing left behind" 0 -- bash -c '! ls "$0"/nonehost-* >/dev/null 2>&1 && [ ! -e "$1" ]' "$BM" "$BM_CONF"
fi

echo "# $n cases, $failed failed"
[ "$failed" -eq 0 ]
