#!/bin/sh
# Regenerates toolchain/none.patch from a working Go tree: a git checkout of
# Debian's golang-1.26-src (BASE, its commit) with our changes on top.
# Leaves out the board support package (hooks/bsp, synced in by sync-bsp.sh)
# and what make.bash generates. New files are included (git add -N).
# Usage: mkpatch.sh GOTREE BASE
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tree=${1:?usage: mkpatch.sh GOTREE BASE}
base=${2:?usage: mkpatch.sh GOTREE BASE}
cd "$tree"
git add -N src
git diff -M "$base" -- src ':!src/nonehost' \
	':!src/cmd/cgo/zdefaultcc.go' ':!src/cmd/go/internal/cfg/zdefaultcc.go' \
	':!src/cmd/dist/dist' ':!src/internal/buildcfg/zbootstrap.go' \
	':!src/time/tzdata/zzipdata.go' > "$here/none.patch.tmp"
mv "$here/none.patch.tmp" "$here/none.patch"
