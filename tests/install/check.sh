#!/usr/bin/env bash
# check.sh - make install and make uninstall, staged and for real.
#
# usage: tests/install/check.sh   (make check-install; needs build/nonehost
# and build/go, which it does not build)
#
# 1. make install DESTDIR=STAGE PREFIX=/usr/local: every file is there, the
#    toolchain is a full copy (without its commands built for none), the
#    man page renders without warnings, the binfmt.d line names
#    /usr/local/bin/nonehost; make uninstall leaves no file.
# 2. make install PREFIX=TMP: the README's use of it (GOROOT unset): go-none
#    builds examples/hello for GOOS=none, the installed nonehost runs it, go
#    test runs through the installed go_none_amd64_exec; as root with no
#    nonehost-* entry yet, install registers them and the images run by
#    its path. make uninstall removes exactly what install wrote (and the
#    entry), and nothing else.
# Prints "ok N - name" or "not ok N - name" with the evidence; exits 1 if any
# case failed.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
make=${MAKE:-make}
T=$(mktemp -d /tmp/nh-install.XXXXXX)
STAGE=$T/stage
P=$T/prefix
BM=/proc/sys/fs/binfmt_misc
ENTRIES=("$BM"/nonehost-{amd64,arm,arm64,riscv64})
BM_TOUCHED=0 BM_MOUNTED_HERE=0

# The entry, if this test's install registered it, and the mount, if the
# install made it, go whatever happens; then the two prefixes.
cleanup() {
	if [ "$BM_TOUCHED" = 1 ]; then
		for e in "${ENTRIES[@]}"; do
			if grep -qxF "interpreter $P/bin/nonehost" "$e" 2>/dev/null; then echo -1 >"$e"; fi
		done
		if [ "$BM_MOUNTED_HERE" = 1 ]; then umount "$BM" 2>/dev/null; fi
	fi
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

n=0
failed=0

# check NAME CMD...: CMD's status 0 is ok; its output is the evidence.
check() {
	local name=$1 st
	shift
	n=$((n + 1))
	"$@" >"$T/log" 2>&1
	st=$?
	if [ "$st" -eq 0 ]; then
		echo "ok $n - $name"
	else
		failed=$((failed + 1))
		echo "not ok $n - $name (exit status $st)"
		tail -n 20 "$T/log" | sed 's/^/#   /'
	fi
}

mk() { "$make" -C "$top" --no-print-directory "$@"; }

# The files install writes, relative to the prefix.
FILES=(bin/nonehost bin/go_none_amd64_exec bin/go_none_arm_exec bin/go_none_arm64_exec
	bin/go_none_riscv64_exec bin/go-none share/man/man1/nonehost.1 lib/binfmt.d/nonehost.conf
	lib/nonehost/go/bin/go lib/nonehost/arm/nonehost lib/nonehost/arm64/nonehost
	lib/nonehost/riscv64/nonehost lib/nonehost/goexec/go_none_amd64_exec
	lib/nonehost/goexec/go_none_arm_exec lib/nonehost/goexec/go_none_arm64_exec
	lib/nonehost/goexec/go_none_riscv64_exec)
all_there() {
	local f
	for f in "${FILES[@]}"; do [ -e "$1/$f" ] || { echo "missing: $1/$f"; return 1; }; done
	# the go tool's wrapper inside images: links to the installed nonehost
	for f in "$1"/lib/nonehost/goexec/*; do
		[ "$(readlink -f "$f")" = "$(readlink -f "$1/bin/nonehost")" ] ||
			{ echo "not a link to bin/nonehost: $f"; return 1; }
	done
	[ -x "$1/bin/nonehost" ] && [ -x "$1/bin/go_none_amd64_exec" ] &&
		[ "$(readlink "$1/bin/go-none")" = ../lib/nonehost/go/bin/go ] && [ -x "$1/bin/go-none" ]
}
# A full, real copy: the same files as build/go (the board support package
# as hooks/bsp has it), no link back to ~/.cache.
full_copy() {
	local goroot
	goroot=$(readlink -f "$top/build/go")
	# none_*: the toolchain's commands built for none, which install leaves
	# out (tests/integration's go install puts them in the cached tree)
	diff -rq -x bsp -x 'none_*' "$goroot" "$1/lib/nonehost/go" &&
		[ -z "$(find "$1/lib/nonehost/go" -name 'none_*')" ] &&
		diff -rq "$top/hooks/bsp" "$1/lib/nonehost/go/src/nonehost/bsp" &&
		[ -z "$(find "$1/lib/nonehost/go" -type l)" ]
}
man_renders() {
	man --warnings -l "$1" >/dev/null 2>"$T/man.err" || return 1
	[ ! -s "$T/man.err" ] || { cat "$T/man.err"; return 1; }
}
conf_names() {
	local want
	want=$("$top/build/nonehost" binfmt line "$2") || return 1
	grep -qxF -- "$want" "$1" && [ "${want%:F}" != "$want" ] && [ "${want%":$2:F"}" != "$want" ]
}
no_files() {
	local left
	left=$(find "$1" ! -type d)
	[ -z "$left" ] || { echo "left behind: $left"; return 1; }
	[ ! -e "$1/lib/nonehost" ] || { echo "left behind: $1/lib/nonehost"; return 1; }
}
outputs() { # REGEX... -- CMD...: CMD succeeds and prints a line matching each REGEX
	local res=() st re
	while [ "$1" != -- ]; do res+=("$1"); shift; done
	shift
	"$@" >"$T/out" 2>&1
	st=$?
	cat "$T/out"
	[ "$st" -eq 0 ] || return 1
	for re in "${res[@]}"; do grep -Eq -- "$re" "$T/out" || { echo "no line matches /$re/"; return 1; }; done
}

# --- 1. staged -------------------------------------------------------------
check "install DESTDIR=STAGE PREFIX=/usr/local" mk install DESTDIR="$STAGE" PREFIX=/usr/local
check "staged: every file is there" all_there "$STAGE/usr/local"
check "staged: the toolchain is a full copy, no links" full_copy "$STAGE/usr/local"
check "staged: the man page renders without warnings" man_renders "$STAGE/usr/local/share/man/man1/nonehost.1"
check "staged: the binfmt.d line names /usr/local/bin/nonehost" \
	conf_names "$STAGE/usr/local/lib/binfmt.d/nonehost.conf" /usr/local/bin/nonehost
# shellcheck disable=SC2016 # expanded by the inner bash
check "staged: nothing registered (DESTDIR)" bash -c '! grep -qF "interpreter $0/" "${@:1}" 2>/dev/null' "$STAGE" "${ENTRIES[@]}"
check "staged: uninstall" mk uninstall DESTDIR="$STAGE" PREFIX=/usr/local
check "staged: no file left" no_files "$STAGE"

# --- 2. a real prefix --------------------------------------------------------
# Registering is global: only as root, with binfmt_misc, and no entry there
# already (someone else's: not touched).
binfmt=0
if [ "$(id -u)" -ne 0 ]; then
	echo "# binfmt: install registers, runs by path, uninstall removes: skipped (not root)"
elif [ ! -d "$BM" ]; then
	echo "# binfmt: install registers, runs by path, uninstall removes: skipped (no binfmt_misc)"
elif ls "${ENTRIES[@]}" >/dev/null 2>&1 || ls "$BM"/nonehost-* >/dev/null 2>&1; then
	echo "# binfmt: install registers, runs by path, uninstall removes: skipped (a nonehost-* entry already there)"
else
	binfmt=1 BM_TOUCHED=1
	[ -e "$BM/register" ] || BM_MOUNTED_HERE=1
fi
mkdir -p "$P"
P=$(readlink -f "$P") # the entry names the real path
check "install PREFIX=TMP (BINFMT=$binfmt)" mk install PREFIX="$P" BINFMT=$binfmt
check "every file is there" all_there "$P"
# The README's form: go-none and the wrapper from PATH, no GOROOT, no GOFLAGS.
export PATH="$P/bin:$PATH"
unset GOROOT GOFLAGS NONEHOST
# shellcheck disable=SC2016 # expanded by the inner bash
check "go-none finds its GOROOT through the link" \
	bash -c '[ "$(go-none env GOROOT)" = "$0" ]' "$(readlink -f "$P/lib/nonehost/go")"
check "go-none builds examples/hello for GOOS=none" \
	env -C "$top/examples" GOOS=none GOARCH=amd64 go-none build -o "$T/hello" ./hello
check "the installed nonehost runs it" \
	outputs '^Hello, install! This is Go .* on none/amd64, under nonehost\.$' -- "$P/bin/nonehost" "$T/hello" install
# A foreign image: the installed nonehost hands it to qemu and the installed
# foreign host (lib/nonehost/arm64/nonehost).
check "go-none builds examples/hello for GOOS=none GOARCH=arm64" \
	env -C "$top/examples" GOOS=none GOARCH=arm64 go-none build -o "$T/hello.arm64" ./hello
check "the installed nonehost runs the arm64 image" \
	outputs '^Hello, arm64! This is Go .* on none/arm64, under nonehost\.$' -- "$P/bin/nonehost" "$T/hello.arm64" arm64
# -x shows the test binary's command: the installed wrapper runs it (not the
# binfmt entry, which would run it without one).
check "go test through the installed go_none_amd64_exec" \
	outputs "^$P/bin/go_none_amd64_exec [^ ]*/strings\.test " '^ok[[:space:]]+strings' -- \
	env -C "$T" GOOS=none GOARCH=amd64 go-none test -x -count=1 -short -run '^TestIndex' strings
if [ "$binfmt" = 1 ]; then
	check "binfmt: install registered the installed nonehost" \
		outputs '^nonehost-amd64: registered, enabled$' '^  interpreter: .* \(this nonehost\)$' -- \
		"$P/bin/nonehost" binfmt status
	check "binfmt: the image runs by its path" \
		outputs '^Hello, path! This is Go .* on none/amd64, under nonehost\.$' -- env -C "$T" ./hello path
	# nonehost-arm64 runs the same nonehost, which hands the image to qemu.
	check "binfmt: the arm64 image runs by its path" \
		outputs '^Hello, path! This is Go .* on none/arm64, under nonehost\.$' -- env -C "$T" ./hello.arm64 path
fi
# Not install's: uninstall must leave them.
touch "$P/bin/other" "$P/lib/binfmt.d/other.conf" "$P/lib/nonehost/other"
check "uninstall" mk uninstall PREFIX="$P"
check "uninstall left what install did not write" \
	test -e "$P/bin/other" -a -e "$P/lib/binfmt.d/other.conf" -a -e "$P/lib/nonehost/other"
rm -f "$P/bin/other" "$P/lib/binfmt.d/other.conf" "$P/lib/nonehost/other"
check "uninstall again: nothing to do" mk uninstall PREFIX="$P"
check "no file left in the prefix" no_files "$P"
if [ "$binfmt" = 1 ]; then
	check "binfmt: uninstall removed the entries" bash -c '! ls "$@" >/dev/null 2>&1' _ "${ENTRIES[@]}"
fi

echo "# $n cases, $failed failed"
[ "$failed" -eq 0 ]
