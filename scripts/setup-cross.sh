#!/usr/bin/env bash
# setup-cross.sh ARCH - what "make host ARCH=arm64|riscv64|arm" needs, and nothing
# on the machine that the native build uses:
#   - Debian's cross compiler for ARCH and qemu-user-static (apt; sudo when
#     not root), gperf (libseccomp's configure insists on it) and dpkg-dev
#     (apt-get source unpacks with dpkg-source);
#   - libseccomp and liburing as static archives with their headers
#     in a sysroot of our own, ${NONEHOST_CACHE:-~/.cache/nonehost}/sysroot/ARCH
#     ({include,lib}; the Makefile adds -isystem and -L for it).
# Idempotent: a sysroot with its stamp (.versions) is left as it is; remove
# the directory to rebuild it.
#
# Why the libraries are built here from bookworm's source packages instead of
# taken as Debian binaries:
#   - riscv64 is no release architecture of bookworm, and trixie's riscv64
#     archives are built against glibc 2.38 (libcap.a called its
#     __isoc23_strtoul), newer than the cross glibc (2.36,
#     libc6-dev-riscv64-cross); trixie's libraries
#     multiarch-installed beside bookworm's amd64 libc would also conflict
#     (Multi-Arch: same packages must have one version for every arch).
#   - arm64 would work with dpkg --add-architecture, but that changes the
#     whole machine (every later apt-get update fetches arm64 indexes, from
#     every configured repository) for three static archives.
# So one way for every architecture: apt-get source against a private apt
# state (the system's sources and dpkg are untouched; the Sources index and
# the .dsc are verified with Debian's archive key), the same versions the
# native host links, built with the cross compiler (about 15 s each).
set -euo pipefail

# debarch: Debian's name of the architecture (libc6-dev-<debarch>-cross);
# arm is GOARM=7 with hard float, Debian's armhf.
arch=${1:?usage: setup-cross.sh arm64|riscv64|arm}
case $arch in
arm64) triplet=aarch64-linux-gnu debarch=arm64 qemu=qemu-aarch64-static ;;
riscv64) triplet=riscv64-linux-gnu debarch=riscv64 qemu=qemu-riscv64-static ;;
arm) triplet=arm-linux-gnueabihf debarch=armhf qemu=qemu-arm-static ;;
*) echo "setup-cross: $arch: not a cross architecture of nonehost (arm64, riscv64, arm)" >&2; exit 1 ;;
esac
cache=${NONEHOST_CACHE:-$HOME/.cache/nonehost}
sysroot=$cache/sysroot/$arch
[ -f "$sysroot/.versions" ] && exit 0

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
need=(gcc-$triplet "libc6-dev-$debarch-cross" qemu-user-static gperf dpkg-dev make)
missing=()
for p in "${need[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "setup-cross: installing ${missing[*]}"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
command -v "$qemu" >/dev/null || { echo "setup-cross: $qemu missing after install" >&2; exit 1; }

# A private apt state for the source packages: its own lists, cache and
# sources, read as the invoking user (no _apt sandbox for a private cache).
state=$cache/apt-src
key=/usr/share/keyrings/debian-archive-keyring.gpg
mkdir -p "$state/lists/partial" "$state/cache/archives/partial"
cat >"$state/sources.list" <<EOF
deb-src [signed-by=$key] http://deb.debian.org/debian bookworm main
deb-src [signed-by=$key] http://deb.debian.org/debian-security bookworm-security main
EOF
apt_opts=(-q -o "Dir::Etc::SourceList=$state/sources.list" -o Dir::Etc::SourceParts=/nonexistent
          -o "Dir::State::Lists=$state/lists" -o "Dir::Cache=$state/cache"
          -o Dir::State::status=/dev/null -o "APT::Sandbox::User=$(id -un)")
echo "setup-cross: $arch: fetching bookworm's libseccomp and liburing sources"
apt-get "${apt_opts[@]}" update >/dev/null

work=$(mktemp -d "${TMPDIR:-/tmp}/nonehost-cross.XXXXXX")
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get "${apt_opts[@]}" source libseccomp liburing >/dev/null 2>&1) || {
	echo "setup-cross: apt-get source libseccomp liburing failed" >&2; exit 1; }
out=$work/sysroot
mkdir -p "$out/include/liburing" "$out/lib"
jobs=$(nproc 2>/dev/null || echo 2)

echo "setup-cross: $arch: building them with $triplet-gcc"
(
	exec >"$work/build.log" 2>&1
	set -x
	src=$(echo "$work"/libseccomp-*/)
	mkdir "$work/seccomp" && cd "$work/seccomp"
	"$src/configure" --host="$triplet" --enable-static --disable-shared --disable-python
	make -j"$jobs" -C src libseccomp.la
	cp src/.libs/libseccomp.a "$out/lib/"
	cp include/seccomp.h "$src/include/seccomp-syscalls.h" "$out/include/"

	cd "$work"/liburing-*/
	./configure --cc="$triplet-gcc"
	make -j"$jobs" -C src CC="$triplet-gcc" AR="$triplet-ar" RANLIB="$triplet-ranlib" liburing.a
	cp src/liburing.a "$out/lib/"
	cp src/include/liburing.h "$out/include/"
	cp src/include/liburing/*.h "$out/include/liburing/"
) || { echo "setup-cross: $arch: building the libraries failed; the log:" >&2
       tail -30 "$work/build.log" >&2; exit 1; }

for d in "$work"/*.dsc; do basename "$d" .dsc; done >"$out/.versions"
mkdir -p "${sysroot%/*}"
rm -rf "$sysroot"
mv "$out" "$sysroot"
echo "setup-cross: $arch: $sysroot ($(paste -sd ' ' "$sysroot/.versions"))"
