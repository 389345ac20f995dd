#!/usr/bin/env bash
# --start-cmd for the ensemble tests: start harness server ID (its ports were
# allocated by the test) with the dynamic config file zksh wrote for it.
#   ensemble-start-joiner.sh ID CONFIG_FILE      (ZK_BASE in the environment)
set -euo pipefail
. "$(dirname "$(readlink -f "$0")")/../lib/zk.bash"
id=$1 config=$2
_zk_write_config "$id" "$id"
cp "$config" "$ZK_BASE/$id/zoo.cfg.dynamic"
_zk_launch "$id"
