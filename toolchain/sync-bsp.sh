#!/bin/sh
# Copies nonehost's board support package (hooks/bsp) into a GOOS=none
# GOROOT as the standard package nonehost/bsp, so every GOOS=none build
# (std tests included) can link it. Cheap; run before every build.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
goroot=${1:?usage: sync-bsp.sh GOROOT}
dst="$goroot/src/nonehost/bsp"
mkdir -p "$dst"
for f in "$here/../hooks/bsp"/*; do
	cmp -s "$f" "$dst/$(basename "$f")" 2>/dev/null || cp "$f" "$dst/"
done
for f in "$dst"/*; do
	[ -e "$here/../hooks/bsp/$(basename "$f")" ] || rm -f "$f"
done
