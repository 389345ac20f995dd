#!/bin/sh
# Install what is missing, build, start a throwaway ZooKeeper on loopback and
# open zksh on it. The server is stopped again when zksh exits.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
"$src/scripts/deps.sh"
"$src/scripts/build.sh"
base=$(mktemp -d /tmp/zksh-quickstart.XXXXXX)
rmdir "$base"
ZK_OWNER_PID=$$ "$src/tests/lib/zkctl" start 1 "$base" >"$base.env"
trap '"$src/tests/lib/zkctl" stop "$base" >/dev/null 2>&1; rm -f "$base.env"' EXIT INT TERM
. "$base.env"
echo "ZooKeeper is running at $ZK_CONNECT (stopped when you leave zksh)"
"$src/zksh" -server "$ZK_CONNECT" || true
