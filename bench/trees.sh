#!/usr/bin/env bash
# shellcheck disable=SC1091,SC2317 # zk.bash is sourced at run time; trap handler
# bench/trees.sh -- the walk commands on a 100,000-node tree against zkCli.sh:
# zksh tree, ls -R and count against zkCli.sh ls -R and getAllChildrenNumber
# (a single server-side call that the C client lacks), wall time and peak
# RSS (/usr/bin/time's maximum resident set size) of each whole process.
# One run each, one throwaway server from tests/lib/zk.bash, always stopped.
#
#   bench/trees.sh          (after make; ZKSH=path/to/zksh to choose)
#
# Environment: BENCH_DIRS=100 BENCH_KIDS=1000 (the tree: DIRS x KIDS leaves
# with 10 bytes of data each, plus DIRS + 1 nodes), ZK_PORT_MIN/ZK_PORT_MAX,
# ZK_CLI_SH. Exit 0 measured, 1 a contender failed or printed a wrong count,
# 2 setup error. Timings are printed, never asserted.
set -uo pipefail

BENCH_DIR=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd -P)
TOP=$(dirname "$BENCH_DIR")
DIRS=${BENCH_DIRS:-100}
KIDS=${BENCH_KIDS:-1000}
ZKSH=${ZKSH:-$TOP/zksh}
ZK_CLI_SH=${ZK_CLI_SH:-/usr/share/zookeeper/bin/zkCli.sh}
TIME=/usr/bin/time

die() {
	echo "bench/trees: $*" >&2
	exit 2
}

[[ -x $ZKSH ]] || die "no zksh at $ZKSH (make first)"
[[ -x $TIME ]] || die "no $TIME (apt-get install time)"
[[ -x $ZK_CLI_SH ]] || die "no zkCli.sh at $ZK_CLI_SH"

. "$TOP/tests/lib/zk.bash"
TMP=$(mktemp -d /tmp/zksh-trees.XXXXXX) || die "mktemp failed"
export ZK_BASE=$TMP/zk
mkdir -p "$ZK_BASE"
export ZK_EXTRA_CFG="snapCount=10000000"
cleanup() {
	trap - EXIT INT TERM HUP
	zk_stop_all
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM HUP
zk_start 1 || die "the server did not start"

TOTAL=$((DIRS * KIDS + DIRS))
{
	echo "create /bench"
	for ((d = 0; d < DIRS; d++)); do
		echo "create /bench/d$d"
		for ((k = 0; k < KIDS; k++)); do echo "create /bench/d$d/n$k value-$k"; done
	done
} >"$TMP/tree.zk"
echo "bench/trees: creating $TOTAL nodes below /bench" >&2
"$ZKSH" -server "$ZK_CONNECT" --pipeline -q -f "$TMP/tree.zk" || die "creating the tree failed"

# measure NAME EXPECTED CMD...: wall seconds and peak RSS of CMD, and a check
# of its output (the last line must contain EXPECTED).
declare -A WALL
FAILED=0
measure() {
	local name=$1 expect=$2 wall rss last
	shift 2
	"$TIME" -f '%e %M' -o "$TMP/time" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	read -r wall rss <"$TMP/time"
	last=$(grep -v '^$' "$TMP/out" | tail -1)
	if [[ $last != *"$expect"* ]]; then
		echo "bench/trees: $name: expected '$expect' in its last line, got '${last:0:80}'" >&2
		FAILED=1
	fi
	WALL[$name]=$wall
	printf '%-34s %8.2f s %8d KB\n' "$name" "$wall" "$rss"
}

echo "bench/trees: $TOTAL nodes below /bench, one run each"
printf '%-34s %10s %11s\n' "command" "wall" "peak RSS"
measure "zksh tree /bench" "$TOTAL nodes" "$ZKSH" -server "$ZK_CONNECT" tree /bench
measure "zksh ls -R /bench" "/bench/d$((DIRS - 1))/n$((KIDS - 1))" \
	"$ZKSH" -server "$ZK_CONNECT" ls -R /bench
measure "zksh count /bench" "$TOTAL" "$ZKSH" -server "$ZK_CONNECT" count /bench
measure "zkCli.sh ls -R /bench" "/bench/d$((DIRS - 1))/n$((KIDS - 1))" \
	"$ZK_CLI_SH" -server "$ZK_CONNECT" ls -R /bench
measure "zkCli.sh getAllChildrenNumber" "$TOTAL" \
	"$ZK_CLI_SH" -server "$ZK_CONNECT" getAllChildrenNumber /bench

wall_of() { echo "${WALL[$1]:-0}"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "n/a" }'; }
echo "  zkCli ls -R / zksh tree:  $(ratio "$(wall_of "zkCli.sh ls -R /bench")" "$(wall_of "zksh tree /bench")")  (target >= 5x)"
echo "  zkCli ls -R / zksh ls -R: $(ratio "$(wall_of "zkCli.sh ls -R /bench")" "$(wall_of "zksh ls -R /bench")")"
echo "  zksh count / getAllChildrenNumber: $(ratio "$(wall_of "zksh count /bench")" "$(wall_of "zkCli.sh getAllChildrenNumber")") slower (one server call against a walk)"
exit "$FAILED"
