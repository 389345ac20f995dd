#!/bin/sh
# Install the Debian packages zksh needs to build and test, if any are missing.
# Runs apt-get as root (or through sudo); does nothing when all are present.
set -eu

PKGS="gcc make autoconf automake libtool pkg-config
libzookeeper-mt-dev libedit-dev libcjson-dev libssl-dev
zookeeper libcmocka-dev bats bats-assert bats-support
jq python3 python3-pexpect expect procps time zsh clang libclang-rt-14-dev
debhelper dpkg-dev lintian bash-completion groff-base man-db"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "deps.sh: installing Debian packages:$missing" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
