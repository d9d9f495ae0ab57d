#!/usr/bin/env bash
# Runs go test -short for GOOS=none GOARCH=amd64 on the packages listed in
# tests/std/packages.txt, skipping the tests in tests/std/skips.txt, under
# nonehost through scripts/go_none_amd64_exec. Extra arguments go to go test.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
goroot=${NONEHOST_GOROOT:-$top/build/go}
export PATH="$top/scripts:$goroot/bin:$PATH" GOROOT="$goroot" GOOS=none GOARCH=amd64 GOFLAGS=

status=0
while read -r pkg flags; do
	case "$pkg" in ''|'#'*) continue ;; esac
	skip=$(awk -v p="$pkg" '$1 == p { printf "%s%s", sep, $2; sep = "|" }' "$top/tests/std/skips.txt")
	# No preemption yet: a test that spins forever is only ended by the
	# go command, one minute after -timeout. -count=1: the go command
	# cannot see that nonehost changed, so cached results could hide it.
	args=(-short -count=1 -timeout=4m)
	[ -n "$skip" ] && args+=(-skip "^($skip)\$")
	# shellcheck disable=SC2086 # flags are words from packages.txt
	go test "${args[@]}" $flags "$@" "$pkg" || status=1
done < "$top/tests/std/packages.txt"
exit $status
