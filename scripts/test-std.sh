#!/usr/bin/env bash
# Runs go test -short for GOOS=none GOARCH=amd64 on the packages listed in
# tests/std/packages.txt, skipping the tests in tests/std/skips.txt, under
# nonehost through scripts/go_none_amd64_exec. Extra arguments go to go test.
#
# A skip names top-level tests (TestA|TestB), or subtests (TestA.*/sub,
# one pattern per level as go test -skip takes it): go test takes one
# -skip pattern, so each subtest line is one more run of just the tests
# its first level names, and the first run skips those tests whole.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
goroot=${NONEHOST_GOROOT:-$top/build/go}
export PATH="$top/scripts:$goroot/bin:$PATH" GOROOT="$goroot" GOOS=none GOARCH=amd64 GOFLAGS=

# No preemption yet: a test that spins forever is only ended by the go
# command, one minute after -timeout. -count=1: the go command cannot see
# that nonehost changed, so cached results could hide it.
common=(-short -count=1 -timeout=4m)

status=0
while read -r pkg words; do
	case "$pkg" in ''|'#'*) continue ;; esac
	# NAME=value words are the environment of that package's run.
	envs=() flags=''
	for w in $words; do
		case "$w" in -*) flags+=" $w" ;; *=*) envs+=("$w") ;; *) flags+=" $w" ;; esac
	done
	skip=$(awk -v p="$pkg" '$1 == p { sub(/\/.*/, "", $2); printf "%s%s", sep, $2; sep = "|" }' "$top/tests/std/skips.txt")
	args=("${common[@]}")
	[ -n "$skip" ] && args+=(-skip "^($skip)\$")
	# shellcheck disable=SC2086 # flags are words from packages.txt
	env "${envs[@]}" go test "${args[@]}" $flags "$@" "$pkg" || status=1
	while read -r tests pattern; do
		# shellcheck disable=SC2086
		env "${envs[@]}" go test "${common[@]}" -run "^($tests)\$" -skip "$pattern" $flags "$@" "$pkg" || status=1
	done < <(awk -v p="$pkg" '$1 == p && $2 ~ /\// { t = $2; sub(/\/.*/, "", t); print t, $2 }' "$top/tests/std/skips.txt")
done < "$top/tests/std/packages.txt"
exit $status
