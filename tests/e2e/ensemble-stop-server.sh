#!/usr/bin/env bash
# --stop-cmd for the ensemble tests: stop harness server ID (ZK_BASE in the environment).
set -euo pipefail
. "$(dirname "$(readlink -f "$0")")/../lib/zk.bash"
zk_stop "$1"
