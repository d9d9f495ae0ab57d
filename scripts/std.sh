#!/usr/bin/env bash
# The builder: the standard library's tests (go test -short -json) for
# GOOS=none under nonehost (through go_none_amd64_exec) and, in the same
# command, for GOOS=linux on the same tree; then a summary against Linux,
# the tests that pass on Linux but not on the port, and the port's run held
# to tests/std/expect.txt.
#
#   make std        every package (std), into results/
#   make test-std   the packages of tests/std/packages.txt (CI's subset),
#                   into results/subset/
#
# Environment: STD_LIST=FILE tests the packages listed there (one import
# path per line, then that package's extra words: NAME=value for its
# environment, -flags for go test); STD_PKGS="a b" tests those packages;
# RESULTS=DIR puts the streams elsewhere. Extra arguments go to both go
# test runs (-run, -v, -count, -timeout, ...).
#
# Results: DIR/none-amd64.json and DIR/linux-amd64.json (test2json
# streams), DIR/summary.txt, DIR/std.html and its logs in DIR/logs/. The
# Linux run depends only on the tree, the packages and the arguments, so it
# is cached under ~/.cache/nonehost/std by their hash and a second run
# reruns only the port.
#
# Exit status: 0 when the port's run meets expect.txt, 1 when it does not,
# 2 when the builder itself failed.
# The whole script is one block, read before it runs, so that editing this
# file during a long run cannot change the run.
{
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
goroot=$(readlink -f "${NONEHOST_GOROOT:-$top/build/go}")
expect=$top/tests/std/expect.txt
arch=amd64
if [ -n "${STD_LIST:-}" ]; then
	results=${RESULTS:-$top/results/subset}
	list=$(grep -v '^[[:space:]]*\(#\|$\)' "$STD_LIST")
else
	results=${RESULTS:-$top/results}
	list=${STD_PKGS:-std}
	list=$(printf '%s\n' $list)
fi
mkdir -p "$results"
export GOROOT="$goroot" GOFLAGS= GOARCH=$arch PATH="$top/scripts:$goroot/bin:$PATH"

report=$results/.report
(cd "$top/tests/std/report" && go build -o "$report" .) || exit 2

# run GOOS OUT [ARGS]: go test -json of the list into OUT, one go test per
# group of packages sharing their extra words, with a progress line; the
# wall time in seconds goes to OUT.wall; returns 1 if any go test failed.
run() {
	local goos=$1 out=$2 total start
	total=$(awk '{print $1}' <<<"$list" | GOOS=$goos xargs go list | wc -l)
	start=$(date +%s%N)
	set +e
	while read -r words; do
		local envs=() flags=()
		for w in $words; do
			case "$w" in -*) flags+=("$w") ;; *=*) envs+=("$w") ;; esac
		done
		# -count=1: the go command cannot see that nonehost changed, so
		# cached results could hide it.
		# shellcheck disable=SC2046 # the group's packages are words
		env "${envs[@]}" GOOS="$goos" CGO_ENABLED=0 NONEHOST_EXPECT="$expect" \
			go test -short -count=1 -json "${flags[@]}" "${@:3}" \
			$(awk -v w="$words" '{ p = $1; $1 = ""; sub(/^ /, ""); if ($0 == w) print p }' <<<"$list") 2>&1
		echo "exit $?" >&3
	done < <(awk '{ $1 = ""; sub(/^ /, ""); print }' <<<"$list" | sort -u) 3>"$out.status" |
		"$report" -progress -total "$total" -o "$out"
	set -e
	local ms=$((($(date +%s%N) - start) / 1000000))
	printf '%d.%03d\n' $((ms / 1000)) $((ms % 1000)) > "$out.wall"
	! grep -qv '^exit 0$' "$out.status"
}

key=$( { basename "$goroot"; printf '%s\n' "$list" "$@"; } | sha256sum | cut -c1-16)
cache=${NONEHOST_CACHE:-$HOME/.cache/nonehost}/std
linux=$cache/linux-$arch.$key.json
if [ -s "$linux" ] && [ -s "$linux.wall" ]; then
	echo "std: linux/$arch: cached for this tree, packages and arguments ($linux)"
else
	echo "std: linux/$arch"
	mkdir -p "$cache"
	run linux "$linux.new" "$@" || true
	mv "$linux.new.wall" "$linux.wall"
	mv "$linux.new" "$linux"
	rm -f "$linux.new.status"
fi
cp "$linux" "$results/linux-$arch.json"
cp "$linux.wall" "$results/linux-$arch.json.wall"

echo "std: none/$arch under nonehost"
none=$results/none-$arch.json
run none "$none" "$@" || true

status=0
"$report" -linux "$results/linux-$arch.json" -none "$none" -expect "$expect" \
	-linux-wall "$(cat "$linux.wall")" -none-wall "$(cat "$none.wall")" \
	-html "$results/std.html" > "$results/summary.txt" || status=$?
cat "$results/summary.txt"
echo "std: results in $results (std.html: the matrix)"
exit $status
}
