#!/usr/bin/env bash
# fresh-machine.sh - CI's run (.ci/run) on a brand-new Debian, to check that
# the project's own files install everything it needs (make check-fresh).
#
# A minimal bookworm (debootstrap --variant=minbase: no make, git, python3
# or compiler) is made in a directory of its own, with what an installed
# system has beyond that: /etc/hosts, /etc/hostname and this machine's
# /etc/resolv.conf. This checkout's HEAD is cloned into it as /work/main
# with ../shared copied beside it (CI's layout), and .ci/run runs there, in
# a mount namespace whose root is that directory (pivot_root): a chroot
# would not do, since the kernel refuses a user namespace to a process
# whose root is not its mount namespace's (EPERM), and the sandbox makes
# them. The kernel, /proc, /sys and /dev are this machine's.
#
# FRESH_USER=NAME runs it as that user instead of root, as the README allows
# ("a user with sudo"): the new system gets sudo, the user, and a sudoers
# line that lets the user run anything without a password.
#
# Root only. Installs debootstrap on this machine if it is missing. Takes
# about 25 minutes with two cores (the toolchain, the cross sysroots and
# Linux's side of the std subset are all made from nothing). The directory
# (mktemp under /var/tmp) is removed at the end; FRESH_KEEP=1 keeps it.
# Exit status: .ci/run's, or 2 when the new system could not be made.
# The whole script is one block, read before it runs, so that editing this
# file during a run cannot change the run.
{
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
shared=$top/../shared
user=${FRESH_USER:-}
[ "$(id -u)" -eq 0 ] || { echo "fresh-machine: must run as root (debootstrap, mounts, pivot_root)" >&2; exit 2; }
[ -d "$shared" ] || { echo "fresh-machine: no $shared beside the checkout (CI's layout)" >&2; exit 2; }
case $user in
root) user= ;;
*[!a-z0-9_-]*) echo "fresh-machine: FRESH_USER=$user: not a user name (a-z, 0-9, _ and -)" >&2; exit 2 ;;
esac
if ! command -v debootstrap >/dev/null; then
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap
fi

root=$(mktemp -d /var/tmp/nonehost-fresh.XXXXXX)
chmod 0755 "$root" # it becomes /, which every user must be able to cross
cleanup() {
	# the mounts are in the child's namespace only: nothing to unmount here
	if [ "${FRESH_KEEP:-0}" = 1 ]; then
		echo "fresh-machine: kept $root" >&2
	else
		rm -rf --one-file-system "$root"
	fi
}
trap cleanup EXIT

echo "fresh-machine: debootstrap --variant=minbase bookworm $root" >&2
debootstrap --variant=minbase ${user:+--include=sudo} bookworm "$root" http://deb.debian.org/debian \
	>"$root.log" 2>&1 || { tail -n 20 "$root.log" >&2; rm -f "$root.log"; exit 2; }
rm -f "$root.log"
printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
echo nonehost-fresh >"$root/etc/hostname"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
mkdir -p "$root/work"
git -C "$top" clone -q "$top" "$root/work/main"
cp -a "$shared" "$root/work/shared"
home=/root
if [ -n "$user" ]; then
	chroot "$root" useradd -m -s /bin/bash "$user"
	echo "$user ALL=(ALL) NOPASSWD: ALL" >"$root/etc/sudoers.d/$user"
	chmod 0440 "$root/etc/sudoers.d/$user"
	chroot "$root" chown -R "$user:" /work
	home=/home/$user
fi

echo "fresh-machine: bash .ci/run in $root as ${user:-root} (HEAD $(git -C "$top" rev-parse --short HEAD))" >&2
# The new root gets its own /proc and this machine's /sys and /dev, then
# becomes / of a private mount namespace; the old root is detached.
status=0
unshare --mount --propagation private -- /bin/sh -ec '
	root=$1 user=$2 home=$3
	mount -t proc proc "$root/proc"
	mount --rbind /sys "$root/sys"
	mount --rbind /dev "$root/dev"
	mount --rbind "$root" "$root"
	cd "$root"
	mkdir .oldroot
	pivot_root . .oldroot
	cd /
	umount -l /.oldroot
	rmdir /.oldroot
	set -- /usr/bin/env -i HOME="$home" USER="${user:-root}" LOGNAME="${user:-root}" TERM=dumb \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		bash -c "cd /work/main && bash .ci/run"
	[ -z "$user" ] || set -- setpriv --reuid="$user" --regid="$user" --init-groups -- "$@"
	exec "$@"
' sh "$root" "$user" "$home" || status=$?
echo "fresh-machine: .ci/run exited $status" >&2
exit "$status"
}
