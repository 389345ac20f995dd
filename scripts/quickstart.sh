#!/bin/sh
# Install what is missing, build, start a throwaway ZooKeeper on loopback and
# open zksh on it. The server is stopped again when zksh exits. Each phase
# says what it does, so the minute or two it may take is not silence.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
say() { echo "quickstart: $*"; }

say "checking the Debian packages zksh needs (installing the missing ones may take a few minutes)..."
"$src/scripts/deps.sh"
say "building zksh (about a minute the first time)..."
"$src/scripts/build.sh"
say "built $src/zksh"
base=$(mktemp -d /tmp/zksh-quickstart.XXXXXX)
rmdir "$base"
say "starting a throwaway ZooKeeper on 127.0.0.1 (about ten seconds)..."
ZK_OWNER_PID=$$ "$src/tests/lib/zkctl" start 1 "$base" >"$base.env"
trap '"$src/tests/lib/zkctl" stop "$base" >/dev/null 2>&1; rm -f "$base.env"' EXIT INT TERM
. "$base.env"
say "ZooKeeper is running on $ZK_CONNECT (stopped when you leave zksh)"
say "opening zksh: type quit or press Ctrl-D to leave; help lists the commands"
"$src/zksh" -server "$ZK_CONNECT" || true
