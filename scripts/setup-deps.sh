#!/usr/bin/env bash
# Installs what nonehost needs on a Debian/Ubuntu machine. Idempotent: does
# nothing when everything is present. Go 1.26 comes from trixie-backports on
# bookworm (its packages depend on nothing else from trixie).
#
# "setup-deps.sh cross [ARCH...]" does the cross builds' part instead, and
# only that: scripts/setup-cross.sh for each ARCH (default arm arm64 riscv64),
# which make host ARCH=... also runs by itself when its sysroot is missing.
set -euo pipefail

if [ "${1:-}" = cross ]; then
	shift
	arches=("$@")
	[ ${#arches[@]} -gt 0 ] || arches=(arm arm64 riscv64)
	for a in "${arches[@]}"; do
		"$(dirname "$0")/setup-cross.sh" "$a"
	done
	exit 0
fi

# git: toolchain/build.sh applies none.patch with git apply.
# chromium: tests/std/report's test renders the HTML report headless.
# man-db: tests/install checks that the man page renders without warnings.
# clang, libclang-rt-dev: tests/fuzz (its sanitizers and libFuzzer).
# ca-certificates: the system roots --net host gives an image (tests/integration).
# musl-tools: the native host's libc (Makefile, "linked with musl").
# libcap-dev: the unit tests read the capabilities back with it.
need_pkgs=(build-essential pkg-config check libseccomp-dev libcap-dev liburing-dev curl wrk
           git golang-1.26-go golang-1.26-src chromium man-db clang libclang-rt-dev
           ca-certificates musl-tools)

missing=()
for p in "${need_pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo

if ! apt-cache policy golang-1.26-src 2>/dev/null | grep -q 'Candidate: [0-9]'; then
	. /etc/os-release
	if [ "${ID:-}" = debian ] && [ "${VERSION_CODENAME:-}" = bookworm ]; then
		echo "setup: adding trixie-backports for golang-1.26 (pinned low: only what we ask for)"
		$SUDO tee /etc/apt/sources.list.d/nonehost-trixie-backports.list >/dev/null <<'LIST'
deb http://deb.debian.org/debian trixie-backports main
deb http://deb.debian.org/debian trixie main
LIST
		$SUDO tee /etc/apt/preferences.d/nonehost-trixie >/dev/null <<'PREF'
Package: *
Pin: release n=trixie
Pin-Priority: 100

Package: *
Pin: release n=trixie-backports
Pin-Priority: 100
PREF
	fi
fi
$SUDO apt-get update -qq
# golang-1.26 lives in backports; name the release so apt takes it from there.
go_rel=""
apt-cache policy golang-1.26-src | grep -q trixie-backports && go_rel=/trixie-backports
pkgs=()
for p in "${missing[@]}"; do
	case "$p" in golang-1.26-*) pkgs+=("$p$go_rel") ;; *) pkgs+=("$p") ;; esac
done
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${pkgs[@]}"
