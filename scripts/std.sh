#!/usr/bin/env bash
# make std: the whole standard library's tests (go test -short -json std)
# for GOOS=none under nonehost (through go_none_amd64_exec) and, in the same
# command, for GOOS=linux on the same tree, then a summary against Linux.
# Results go to results/ as test2json streams: none-amd64.json and
# linux-amd64.json; the Linux run is cached per toolchain (its hash is in
# the toolchain's directory name), so a second make std reruns only the
# port. Extra arguments go to both go test runs (-run, -v, -count, ...);
# STD_PKGS="a b" tests those packages instead of std (then nothing is
# cached).
# Exit status: 1 if any package failed for none, else 0.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
goroot=$(readlink -f "${NONEHOST_GOROOT:-$top/build/go}")
results=${RESULTS:-$top/results}
tree=$(basename "$goroot")
pkgs=${STD_PKGS:-std}
mkdir -p "$results"
export GOROOT="$goroot" GOFLAGS= GOARCH=amd64 PATH="$top/scripts:$goroot/bin:$PATH"

report_bin="$results/.report"
(cd "$top/tests/std/report" && go build -o "$report_bin" .)

# run GOOS OUT [ARGS]: go test -json of the packages for GOOS into OUT,
# with a progress line; the wall time in seconds goes to OUT.wall; returns
# go test's status.
run() {
	local goos=$1 out=$2 total start status
	total=$(GOOS=$goos go list $pkgs | wc -l)
	start=$(date +%s%N)
	set +e
	# -count=1: the go command cannot see that nonehost changed, so cached
	# results could hide it.
	GOOS=$goos CGO_ENABLED=0 go test -short -count=1 -json "${@:3}" $pkgs 2>&1 |
		"$report_bin" -progress -total "$total" -o "$out"
	status=${PIPESTATUS[0]}
	set -e
	local ms=$((($(date +%s%N) - start) / 1000000))
	printf '%d.%03d\n' $((ms / 1000)) $((ms % 1000)) > "$out.wall"
	return "$status"
}

linux="$results/linux-amd64.$tree.json"
if [ -s "$linux" ] && [ -s "$linux.wall" ] && [ $# -eq 0 ] && [ "$pkgs" = std ]; then
	echo "std: linux/amd64: cached for this toolchain ($linux)"
else
	echo "std: linux/amd64"
	run linux "$linux" "$@" || true
fi
ln -sf "$(basename "$linux")" "$results/linux-amd64.json"

echo "std: none/amd64 under nonehost"
status=0
run none "$results/none-amd64.json" "$@" || status=1

"$report_bin" -linux "$linux" -none "$results/none-amd64.json" \
	-linux-wall "$(cat "$linux.wall")" -none-wall "$(cat "$results/none-amd64.json.wall")" |
	tee "$results/summary.txt"
exit $status
