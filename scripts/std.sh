#!/usr/bin/env bash
# The builder: the standard library's tests (go test -short -json) for
# GOOS=none under nonehost (through go_none_ARCH_exec) and, in the same
# command, for GOOS=linux on the same tree; then a summary against Linux,
# the tests that pass on Linux but not on the port, and the port's run held
# to tests/std/expect.txt; for each architecture asked for.
#
#   make std        every package (std), into results/
#   make test-std   the packages of tests/std/packages.txt (CI's subset),
#                   into results/subset/
#   make std-arch-subset  tests/std/arch-subset.txt on every architecture,
#                   into results/arch-subset/ (their wall times side by side)
#
# Environment: ARCH=amd64 (the default), arm, arm64, riscv64, all (those
# four) or a list of them ("amd64 arm64"): each in turn, GOARCH (and GOARM=7
# for arm) for both runs; a foreign architecture's Linux run goes through
# qemu-user (go_linux_ARCH_exec), its none run through nonehost, which
# hands the image to qemu-user and build/ARCH/nonehost. STD_LIST=FILE
# tests the packages listed there (one import path per line, then that
# package's extra words: NAME=value for its environment, -flags for go
# test); STD_PKGS="a b" tests those packages; RESULTS=DIR puts the streams
# elsewhere. Extra arguments go to every go test run (-run, -v, -count,
# -timeout, ...).
#
# Results, per architecture A: DIR/none-A.json and DIR/linux-A.json
# (test2json streams) and their wall times in seconds (.json.wall); then
# one DIR/summary.txt, DIR/std.html (a column per target: linux/A, none/A,
# ...) and its logs in DIR/linux-A/ and DIR/none-A/. The Linux run depends
# only on the tree, the architecture, the packages, the arguments and how it
# is run (its wall time: each run builds every test binary first, untimed,
# then times the tests, longest package first), so it is cached under
# ~/.cache/nonehost/std by their hash and a second run reruns only the port.
#
# Exit status: 0 when the port's runs meet expect.txt, 1 when one does not,
# 2 when the builder itself failed (or ARCH names no architecture).
# The whole script is one block, read before it runs, so that editing this
# file during a long run cannot change the run.
{
# A failure of the builder's own commands exits 2: 1 is the verdict's.
set -eEuo pipefail
trap 'exit 2' ERR
top=$(cd "$(dirname "$0")/.." && pwd)
goroot=$(readlink -f "${NONEHOST_GOROOT:-$top/build/go}")
expect=$top/tests/std/expect.txt
known="amd64 arm arm64 riscv64"
arches=${ARCH:-amd64}
[ "$arches" = all ] && arches=$known
read -ra given <<<"$arches"
arches=
for a in "${given[@]}"; do
	case " $known " in *" $a "*) ;; *)
		echo "std: ARCH=$ARCH: '$a' is not an architecture: want amd64, arm, arm64, riscv64, all or a list of them" >&2
		exit 2
	esac
	case " $arches " in *" $a "*) echo "std: ARCH=$ARCH: $a twice" >&2; exit 2 ;; esac
	arches="${arches:+$arches }$a"
done
[ -n "$arches" ] || arches=amd64
if [ -n "${STD_LIST:-}" ]; then
	results=${RESULTS:-$top/results/subset}
	list=$(grep -v '^[[:space:]]*\(#\|$\)' "$STD_LIST")
else
	results=${RESULTS:-$top/results}
	list=${STD_PKGS:-std}
	list=$(printf '%s\n' $list)
fi
mkdir -p "$results"
results=$(cd "$results" && pwd) # the report is built from another directory
# scripts/ first: go test finds go_none_A_exec and go_linux_A_exec there.
# CGO_ENABLED=0 for both (none has no cgo), and for every go list too: the
# packages a pattern names are those the go test of it would test.
export GOROOT="$goroot" GOFLAGS= CGO_ENABLED=0 PATH="$top/scripts:$goroot/bin:$PATH"

# The host programs std tests run by name (os: pwd, hostname; os/exec:
# echo; internal/zstd: zstd) may run in the images, confined, where this
# machine has them (--allow-exec through go_none_ARCH_exec): a test then
# finds each on PATH, as on Linux.
for p in pwd hostname echo zstd; do
	if path=$(type -P "$p"); then
		NONEHOST_EXEC_FLAGS="${NONEHOST_EXEC_FLAGS:+$NONEHOST_EXEC_FLAGS }--allow-exec $path"
	fi
done
export NONEHOST_EXEC_FLAGS

report=$results/.report
(cd "$top/tests/std/report" && GOOS='' GOARCH='' go build -o "$report" .) || exit 2

# longest_first GOOS: the packages the patterns on stdin name (go list),
# those of tests/std/first.txt first, in its order, then the others in go
# list's. go test starts its test binaries in command-line order, so a long
# package started last would run alone at the end (first.txt says more).
# shellcheck disable=SC2046 # the patterns are words
longest_first() {
	GOOS=$1 go list $(cat) | awk -v first="$top/tests/std/first.txt" '
		BEGIN {
			while ((getline line < first) > 0)
				if (line !~ /^[[:space:]]*(#|$)/) { split(line, f); rank[f[1]] = ++n }
		}
		{ printf "%d %d %s\n", ($1 in rank) ? rank[$1] : n + 1, NR, $1 }' |
		sort -k1,1n -k2,2n | cut -d' ' -f3
}

# each_group GOOS ARGS: go test -short -count=1 ARGS of the list's packages
# for GOOS and $GOARCH, longest first, one go test per group of packages
# sharing their extra words; each one's "exit N" to descriptor 3.
each_group() {
	local goos=$1
	shift
	while read -r words; do
		local envs=() flags=()
		for w in $words; do
			case "$w" in -*) flags+=("$w") ;; *=*) envs+=("$w") ;; esac
		done
		# -count=1: the go command cannot see that nonehost changed, so
		# cached results could hide it.
		# shellcheck disable=SC2046 # the group's packages are words
		env "${envs[@]}" GOOS="$goos" NONEHOST_EXPECT="$expect" \
			go test -short -count=1 "${flags[@]}" "$@" \
			$(awk -v w="$words" '{ p = $1; $1 = ""; sub(/^ /, ""); if ($0 == w) print p }' <<<"$list" |
				longest_first "$goos") 2>&1
		echo "exit $?" >&3
	done < <(awk '{ $1 = ""; sub(/^ /, ""); print }' <<<"$list" | sort -u)
}

# run GOOS OUT [ARGS]: go test -json of the list into OUT, with a progress
# line; the wall time in seconds goes to OUT.wall; returns 1 if any go test
# failed. Every test binary is built first, untimed (-exec true runs none
# of them), so that the wall time is the tests' and not the build cache's:
# after a toolchain change the builds were 120 s of amd64's 270, and a
# cached Linux run kept whatever its cache was then.
run() {
	local goos=$1 out=$2 total start
	total=$(awk '{print $1}' <<<"$list" | GOOS=$goos xargs go list | wc -l)
	set +e
	echo "std: $goos/$GOARCH: building the test binaries (untimed)"
	each_group "$goos" -exec=true -run='^$' "${@:3}" > /dev/null 3> /dev/null
	start=$(date +%s%N)
	each_group "$goos" -json "${@:3}" 3>"$out.status" |
		"$report" -progress -target "$goos/$GOARCH" -total "$total" -o "$out"
	set -e
	local ms=$((($(date +%s%N) - start) / 1000000))
	printf '%d.%03d\n' $((ms / 1000)) $((ms % 1000)) > "$out.wall"
	! grep -qv '^exit 0$' "$out.status"
}

cache=${NONEHOST_CACHE:-$HOME/.cache/nonehost}/std
for arch in $arches; do # words checked above
	export GOARCH=$arch
	# GOARM=7: ARMv7 with hard float, as the arm host is built (Makefile).
	if [ "$arch" = arm ]; then export GOARM=7; else unset GOARM; fi
	emu=
	case "$arch" in arm | arm64 | riscv64) emu=" (qemu-user)" ;; esac
	# The tree is the toolchain (its directory names the patch) and the
	# BSP synced into its std; how it is run (the functions above,
	# first.txt's order) sets its wall time, so that is in the key too.
	key=$( { basename "$goroot"; cat "$goroot"/src/nonehost/bsp/* "$top/tests/std/first.txt"
		sed -n '/^longest_first() {/,/^}/p; /^each_group() {/,/^}/p; /^run() {/,/^}/p' "$0"
		printf '%s\n' "$arch" "$list" "$@"; } | sha256sum | cut -c1-16)
	linux=$cache/linux-$arch.$key.json
	if [ -s "$linux" ] && [ -s "$linux.wall" ]; then
		echo "std: linux/$arch: cached for this tree, packages and arguments ($linux)"
	else
		echo "std: linux/$arch$emu"
		mkdir -p "$cache"
		run linux "$linux.new" "$@" || true
		mv "$linux.new.wall" "$linux.wall"
		mv "$linux.new" "$linux"
		rm -f "$linux.new.status"
	fi
	cp "$linux" "$results/linux-$arch.json"
	cp "$linux.wall" "$results/linux-$arch.json.wall"

	echo "std: none/$arch under nonehost$emu"
	run none "$results/none-$arch.json" "$@" || true
done

status=0
"$report" -dir "$results" -arch "${arches// /,}" -expect "$expect" \
	-html "$results/std.html" > "$results/summary.txt" || status=$?
cat "$results/summary.txt"
echo "std: results in $results (std.html: the matrix)"
exit $status
}
