#!/usr/bin/env bash
# Builds the GOOS=none Go toolchain: Debian's golang-1.26-src with
# toolchain/none.patch applied, bootstrapped by Debian's golang-1.26-go.
# The result is cached by a hash of (Go version, patch), so an unchanged
# patch never rebuilds; build/go points at it. Prints the GOROOT.
#
# Environment: NONEHOST_CACHE (default ~/.cache/nonehost), GO_SRC (default
# /usr/lib/go-1.26, Debian's tree; also the bootstrap).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
go_src=${GO_SRC:-/usr/lib/go-1.26}
cache=${NONEHOST_CACHE:-$HOME/.cache/nonehost}

die() { echo "toolchain: $*" >&2; exit 1; }
[ -f "$go_src/VERSION" ] || die "no Go tree at $go_src: run scripts/setup-deps.sh (installs golang-1.26-src)"
[ -x "$go_src/bin/go" ] || die "no bootstrap Go at $go_src/bin/go"

base=$(head -n 1 "$go_src/VERSION")
hash=$( { echo "$base"; cat "$here/none.patch"; } | sha256sum | cut -c1-12)
goroot="$cache/go-$base-none-$hash"

if [ ! -f "$goroot/.nonehost-complete" ]; then
	echo "toolchain: building $base with none.patch ($hash) in $goroot" >&2
	tmp="$goroot.tmp.$$"
	rm -rf "$tmp"
	mkdir -p "$cache"
	trap 'rm -rf "$tmp"' EXIT
	cp -rL "$go_src/." "$tmp"
	chmod -R u+w "$tmp"
	rm -rf "$tmp/pkg/tool" "$tmp/bin"
	# GIT_CEILING_DIRECTORIES keeps git from finding an enclosing
	# repository: the patch applies to $tmp alone.
	(cd "$tmp" && GIT_CEILING_DIRECTORIES="$cache" git apply -p1 "$here/none.patch") ||
		die "none.patch does not apply to $base"
	# Mark the port in 'go version' (a -suffix is Go's custom-build form).
	{ echo "$base-nonehost.$hash"; tail -n +2 "$go_src/VERSION"; } > "$tmp/VERSION"
	# The default board support package: nonehost's (hooks/bsp, copied in
	# by toolchain/sync-bsp.sh).
	echo "GONONEBSP=nonehost/bsp" >> "$tmp/go.env"
	(cd "$tmp/src" && GOROOT_BOOTSTRAP="$go_src" GOTOOLCHAIN=local ./make.bash -no-banner >&2) ||
		die "make.bash failed for $base with none.patch"
	touch "$tmp/.nonehost-complete"
	rm -rf "$goroot"
	mv "$tmp" "$goroot"
	trap - EXIT
	# Keep the three most recent toolchains (about 270 MB each).
	ls -dt "$cache"/go-*-none-* 2>/dev/null | grep -v '\.tmp\.' | tail -n +4 | xargs -r rm -rf
fi
"$here/sync-bsp.sh" "$goroot"
mkdir -p "$top/build"
ln -sfn "$goroot" "$top/build/go"
echo "$goroot"
