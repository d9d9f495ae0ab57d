# expect.sh - the case checker of the shell test suites (tests/cguest/run.sh,
# tests/cguest/run_foreign.sh, tests/foreign/run.sh). Source it after setting
# TMP (a scratch directory) and defining expect_run, which runs one case's
# command the way that suite needs (stdin, extra descriptors, a timeout)
# with stdout in $TMP/out and stderr in $TMP/err, and returns its status.
# Counts cases in n and failures in failed, and prints TAP-like lines.

n=0
failed=0

# expect NAME STATUS [CHECK]... -- CMD...
# CHECK: out=REGEX, err=REGEX (a line matches), !out=REGEX, !err=REGEX (no
# line matches), outeq=TEXT, erreq=TEXT (the whole stream), errlines=N.
expect() {
	local name=$1 want=$2 got why=""
	shift 2
	local checks=()
	while [ "$1" != "--" ]; do checks+=("$1"); shift; done
	shift
	n=$((n + 1))
	expect_run "$@"
	got=$?
	[ "$got" -eq "$want" ] || why="exit status $got, want $want"
	for c in "${checks[@]}"; do
		local kind=${c%%=*} re=${c#*=}
		case $kind in
		out) grep -Eq -- "$re" "$TMP/out" || why="$why; stdout lacks /$re/" ;;
		err) grep -Eq -- "$re" "$TMP/err" || why="$why; stderr lacks /$re/" ;;
		!out) ! grep -Eq -- "$re" "$TMP/out" || why="$why; stdout has /$re/" ;;
		!err) ! grep -Eq -- "$re" "$TMP/err" || why="$why; stderr has /$re/" ;;
		outeq) [ "$(cat "$TMP/out")" = "$re" ] || why="$why; stdout differs" ;;
		erreq) [ "$(cat "$TMP/err")" = "$re" ] || why="$why; stderr differs" ;;
		errlines) [ "$(wc -l <"$TMP/err")" -eq "$re" ] || why="$why; stderr is not $re line(s)" ;;
		*) why="$why; bad check $c" ;;
		esac
	done
	if [ -z "$why" ]; then
		echo "ok $n - $name"
	else
		failed=$((failed + 1))
		echo "not ok $n - $name: ${why#; }"
		sed 's/^/#   stdout: /' "$TMP/out" | head -20
		sed 's/^/#   stderr: /' "$TMP/err" | head -20
	fi
}
