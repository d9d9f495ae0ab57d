#!/usr/bin/env bash
# The fuzz targets of tests/fuzz (its README): make check-fuzz and make fuzz.
#
#   fuzz.sh replay TARGET...  each target's seeds (written into
#                             $BUILD/fuzz/seeds/TARGET), tests/fuzz/regress/TARGET
#                             and, for elf, the images of this build, through
#                             $BUILD/fuzz/replay_TARGET (gcc, sanitized)
#   fuzz.sh run TARGET...     $BUILD/fuzz/fuzz_TARGET (libFuzzer) for FUZZ_TIME
#                             seconds each (default 300), on a corpus kept in
#                             ~/.cache/nonehost/fuzz/TARGET, started from the same
#                             inputs; what it finds is in $BUILD/fuzz/found/TARGET
#
# Exit 0 when every target kept its invariants, 1 when one did not (the
# input that shows it is named), 2 on a usage error.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
FUZZ_TIME=${FUZZ_TIME:-300}
CACHE=${NONEHOST_CACHE:-$HOME/.cache/nonehost}/fuzz

usage() { echo "usage: fuzz.sh replay|run TARGET..." >&2; exit 2; }
[ $# -ge 2 ] || usage
mode=$1
shift

# The inputs every run of TARGET starts from (its seeds written first).
inputs() {
	local t=$1 f
	echo "$BUILD/fuzz/seeds/$t"
	[ -d "tests/fuzz/regress/$t" ] && echo "tests/fuzz/regress/$t"
	if [ "$t" = elf ]; then # real images: the assembly guests, hello (a folder:
		local d="$BUILD/fuzz/images"  # libFuzzer takes no file)
		rm -rf "$d" && mkdir -p "$d"
		for f in "$BUILD"/tests/cguest/cguest.elf "$BUILD"/*/tests/cguest/cguest.elf \
		         "$BUILD"/examples/hello.elf; do
			[ -f "$f" ] && cp "$f" "$d/$(echo "${f#"$BUILD"/}" | tr / -)"
		done
		echo "$d"
	fi
	return 0
}

failed=0
for t in "$@"; do
	[ -f "tests/fuzz/fuzz_$t.c" ] || { echo "fuzz.sh: no target $t (tests/fuzz/fuzz_$t.c)" >&2; exit 2; }
	mkdir -p "$BUILD/fuzz/seeds"
	"$BUILD/fuzz/replay_$t" --seeds "$BUILD/fuzz/seeds/$t" >/dev/null
	mapfile -t in < <(inputs "$t")
	case $mode in
	replay)
		if out=$("$BUILD/fuzz/replay_$t" "${in[@]}"); then
			printf '  %-7s %s\n' FUZZ "$out, every invariant held"
		else
			echo "fuzz.sh: $t broke an invariant (above)" >&2
			failed=1
		fi
		;;
	run)
		found="$BUILD/fuzz/found/$t"
		rm -rf "$found" && mkdir -p "$CACHE/$t" "$found"
		printf '  %-7s %s\n' FUZZ "$t: ${FUZZ_TIME}s under libFuzzer, corpus $CACHE/$t"
		if ! "$BUILD/fuzz/fuzz_$t" -max_total_time="$FUZZ_TIME" -print_final_stats=1 \
		        -artifact_prefix="$found/" "$CACHE/$t" "${in[@]}" > "$found/log" 2>&1; then
			if ! compgen -G "$found/[a-z]*-*" >/dev/null; then
				echo "fuzz.sh: $t: libFuzzer failed: $found/log" >&2
				tail -5 "$found/log" >&2
				failed=1
				continue
			fi
			echo "fuzz.sh: $t broke an invariant; the input and its report: $found" >&2
			grep -aE '^(fuzz:|SUMMARY|==[0-9]+==ERROR)' "$found/log" >&2 || tail -20 "$found/log" >&2
			echo "fuzz.sh: fix it, then keep the input as tests/fuzz/regress/$t/<what it shows>" >&2
			failed=1
			continue
		fi
		grep -aE '^stat::(number_of_executed_units|new_units_added)' "$found/log" |
			sed "s/^/  $t: /"
		;;
	*) usage ;;
	esac
done
exit $failed
