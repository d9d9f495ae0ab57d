#!/bin/sh
# make bench: GOOS=none under nonehost vs GOOS=linux, side by side.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
goroot=${NONEHOST_GOROOT:-$here/../build/go}
cd "$here"
GOROOT=$goroot GOFLAGS= exec "$goroot/bin/go" run . -go "$goroot/bin/go" -nonehost "${NONEHOST:-$here/../build/nonehost}" "$@"
