#!/usr/bin/env bash
# shellcheck disable=SC1091,SC2317 # zk.bash is sourced at run time; trap handler
# bench/trees.sh -- the walk and bulk commands against zkCli.sh and the raw
# C-client ceilings, wall time and peak RSS (/usr/bin/time's maximum resident
# set size) of each whole process. One run each, one throwaway server from
# tests/lib/zk.bash, always stopped.
#
#   walk: zksh tree, ls -R, count and deleteall of a 100,000-node tree against
#         zkCli.sh ls -R, getAllChildrenNumber (a single server-side call that
#         the C client lacks) and deleteall (of a copy of the tree).
#   bulk: count, export, import and deleteall of a flat tree of BENCH_BULK_N
#         nodes (PARENT/z0 .. z<N-1>, 4 bytes each, the shape the ceilings
#         use): count (a walk) against `ceiling -op children` (one
#         get_children2 a node, the walk's own request);
#         export against `ceiling -op get` (three pipelined requests a node:
#         data, children, ACL); import against `multi_ceiling -op create`
#         and against zkCli.sh running the same creates from a file (zkCli
#         has no import); deleteall against zkCli.sh deleteall and
#         `multi_ceiling -op delete`.
#
#   bench/trees.sh   (after make and make bench/ceiling bench/multi_ceiling;
#                     ZKSH=path/to/zksh to choose)
#
# Environment: BENCH_PARTS="walk bulk" (which parts), BENCH_CLI_CREATES=1
# (0 skips zkCli.sh's creates from a file, at about 100 a second), BENCH_DIRS=100
# BENCH_KIDS=1000 (the walk tree: DIRS x KIDS leaves with 10 bytes of data
# each, plus DIRS + 1 nodes), BENCH_BULK_N=20000, BENCH_WINDOW=1000 (requests
# in flight of ceiling -op get), BENCH_BATCH=1000 (operations per multi of
# multi_ceiling), BENCH_RESOLVE_DELAY=1000 (the ceilings' -resolve-delay),
# ZK_PORT_MIN/ZK_PORT_MAX, ZK_CLI_SH, CEILING, MULTI_CEILING.
# Exit 0 measured, 1 a contender failed or printed a wrong count, 2 setup
# error. Timings are printed, never asserted.
set -uo pipefail

BENCH_DIR=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd -P)
TOP=$(dirname "$BENCH_DIR")
DIRS=${BENCH_DIRS:-100}
KIDS=${BENCH_KIDS:-1000}
ZKSH=${ZKSH:-$TOP/zksh}
ZK_CLI_SH=${ZK_CLI_SH:-/usr/share/zookeeper/bin/zkCli.sh}
CEILING=${CEILING:-$TOP/bench/ceiling}
MULTI_CEILING=${MULTI_CEILING:-$TOP/bench/multi_ceiling}
PARTS=${BENCH_PARTS:-walk bulk}
BULK_N=${BENCH_BULK_N:-20000}
W=${BENCH_WINDOW:-1000}
B=${BENCH_BATCH:-1000}
# the value zksh's session sets; the library default makes a connect slower
RESOLVE_DELAY=${BENCH_RESOLVE_DELAY:-1000}
TIME=/usr/bin/time

die() {
	echo "bench/trees: $*" >&2
	exit 2
}

[[ -x $ZKSH ]] || die "no zksh at $ZKSH (make first)"
[[ -x $TIME ]] || die "no $TIME (apt-get install time)"
[[ -x $ZK_CLI_SH ]] || die "no zkCli.sh at $ZK_CLI_SH"
if [[ " $PARTS " == *" bulk "* ]]; then
	[[ -x $CEILING && -x $MULTI_CEILING ]] ||
		die "no $CEILING or $MULTI_CEILING (make bench/ceiling bench/multi_ceiling)"
fi

. "$TOP/tests/lib/zk.bash"
TMP=$(mktemp -d /tmp/zksh-trees.XXXXXX) || die "mktemp failed"
export ZK_BASE=$TMP/zk
mkdir -p "$ZK_BASE"
export ZK_EXTRA_CFG="snapCount=10000000"
# ZooKeeper's own default heap (zkEnv.sh: 1000 MB), not the tests' 256 MB:
# the bulk part holds over 300,000 nodes, and a full heap makes the server,
# not the clients, what is measured (a later -Xmx wins)
export ZK_JVM_OPTS="-Xmx1000m ${ZK_JVM_OPTS:-}"
cleanup() {
	trap - EXIT INT TERM HUP
	zk_stop_all
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM HUP
zk_start 1 || die "the server did not start"

# measure NAME EXPECTED CMD...: wall seconds and peak RSS of CMD, and a check
# of its output (the last line must contain EXPECTED). Stdin is /dev/null,
# or the file MEASURE_STDIN names.
declare -A WALL
FAILED=0
measure() {
	local name=$1 expect=$2 wall rss last
	shift 2
	"$TIME" -f '%e %M' -o "$TMP/time" "$@" >"$TMP/out" 2>"$TMP/err" <"${MEASURE_STDIN:-/dev/null}"
	read -r wall rss <"$TMP/time"
	last=$(grep -v '^$' "$TMP/out" | tail -1)
	if [[ $last != *"$expect"* ]]; then
		echo "bench/trees: $name: expected '$expect' in its last line, got '${last:0:80}'" >&2
		FAILED=1
	fi
	WALL[$name]=$wall
	printf '%-34s %8.2f s %8d KB\n' "$name" "$wall" "$rss"
}

wall_of() { echo "${WALL[$1]:-0}"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.1fx", a / b; else print "n/a" }'; }
# A/B of two wall times as "0.85": A zksh's, B the ceiling's (1 keeps up with it)
frac() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print "n/a" }'; }

# check_gone PATH LABEL: a deleteall left nothing behind
check_gone() {
	"$ZKSH" -server "$ZK_CONNECT" stat "$1" >/dev/null 2>&1 && {
		echo "bench/trees: $2: $1 still exists" >&2
		FAILED=1
	}
	return 0
}

walk_part() {
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

	# deleteall of the same tree: zksh on /bench, zkCli.sh on a copy of it
	sed 's|^create /bench|create /benchcli|' "$TMP/tree.zk" >"$TMP/tree-cli.zk"
	echo "bench/trees: creating $TOTAL nodes below /benchcli" >&2
	"$ZKSH" -server "$ZK_CONNECT" --pipeline -q -f "$TMP/tree-cli.zk" || die "creating the copy failed"
	measure "zksh deleteall /bench" "" "$ZKSH" -server "$ZK_CONNECT" deleteall /bench
	check_gone /bench "zksh deleteall"
	measure "zkCli.sh deleteall /benchcli" "" "$ZK_CLI_SH" -server "$ZK_CONNECT" deleteall /benchcli
	check_gone /benchcli "zkCli.sh deleteall"

	echo "  zkCli ls -R / zksh tree:  $(ratio "$(wall_of "zkCli.sh ls -R /bench")" "$(wall_of "zksh tree /bench")")  (target >= 5x)"
	echo "  zkCli ls -R / zksh ls -R: $(ratio "$(wall_of "zkCli.sh ls -R /bench")" "$(wall_of "zksh ls -R /bench")")"
	echo "  zkCli deleteall / zksh deleteall: $(ratio "$(wall_of "zkCli.sh deleteall /benchcli")" "$(wall_of "zksh deleteall /bench")")  (target >= 6x)"
	echo "  zksh count / getAllChildrenNumber: $(ratio "$(wall_of "zksh count /bench")" "$(wall_of "zkCli.sh getAllChildrenNumber")") slower (one server call against a walk)"
}

# The bulk commands on a flat tree of BULK_N nodes; every run is checked by a
# node count (or the export's line count), the ceilings by their ok= count.
bulk_part() {
	local n=$BULK_N zk=("$ZKSH" -server "$ZK_CONNECT") i
	kids() { "${zk[@]}" stat "$1" 2>/dev/null | sed -n 's/^numChildren = //p'; }
	check_kids() { # PATH WANT LABEL
		local got
		got=$(kids "$1")
		[[ ${got:-gone} == "$2" ]] || {
			echo "bench/trees: $3: $1 has ${got:-no node, not} $2 children" >&2
			FAILED=1
		}
	}
	"${zk[@]}" -c "create /bulk; create /bulk/src; create /bulk/m" >/dev/null ||
		die "cannot create /bulk"
	echo "bench/trees: creating $n nodes below /bulk/src" >&2
	"$MULTI_CEILING" -server "$ZK_CONNECT" -op create -n "$n" -b "$B" -w 1 -p /bulk/src \
		-d data -resolve-delay "$RESOLVE_DELAY" >/dev/null || die "creating /bulk/src failed"
	for ((i = 0; i < n; i++)); do echo "create /bulk/cli/z$i data"; done >"$TMP/cli-creates"
	sed -i '1i create /bulk/cli' "$TMP/cli-creates"

	echo
	echo "bench/trees: bulk: $n nodes below /bulk/src (z0 .. z$((n - 1)), 4 bytes each), one run each"
	printf '%-34s %10s %11s\n' "command" "wall" "peak RSS"
	measure "ceiling -op get (3 req/node)" "ok=$((3 * n)) " \
		"$CEILING" -server "$ZK_CONNECT" -op get -n "$n" -w "$W" -p /bulk/src \
		-resolve-delay "$RESOLVE_DELAY"
	measure "ceiling -op children (1 req/node)" "ok=$n " \
		"$CEILING" -server "$ZK_CONNECT" -op children -n "$n" -w "$W" -p /bulk/src \
		-resolve-delay "$RESOLVE_DELAY"
	measure "zksh count (a walk)" "$n" "${zk[@]}" count /bulk/src
	measure "zksh export" "" "${zk[@]}" export --output "$TMP/export.jsonl" /bulk/src
	i=$(wc -l <"$TMP/export.jsonl")
	[[ $i == $((n + 2)) ]] || {
		echo "bench/trees: zksh export: $i lines, want $((n + 2))" >&2
		FAILED=1
	}
	measure "multi_ceiling -op create" "ok=$n " \
		"$MULTI_CEILING" -server "$ZK_CONNECT" -op create -n "$n" -b "$B" -w 1 -p /bulk/m -d data \
		-resolve-delay "$RESOLVE_DELAY"
	measure "zksh import" "$((n + 1)) nodes created" "${zk[@]}" import "$TMP/export.jsonl" /bulk/imp
	check_kids /bulk/imp "$n" "zksh import"
	if [[ ${BENCH_CLI_CREATES:-1} == 1 ]]; then
		MEASURE_STDIN=$TMP/cli-creates measure "zkCli.sh < $n creates" "" "$ZK_CLI_SH" \
			-server "$ZK_CONNECT"
	else
		# zkCli's creates skipped (about 100 a second): its deleteall still gets a tree
		"${zk[@]}" create /bulk/cli >/dev/null &&
			"$MULTI_CEILING" -server "$ZK_CONNECT" -op create -n "$n" -b "$B" -w 1 \
				-p /bulk/cli -d data -resolve-delay "$RESOLVE_DELAY" >/dev/null
	fi
	check_kids /bulk/cli "$n" "zkCli.sh creates"
	measure "multi_ceiling -op delete" "ok=$n " \
		"$MULTI_CEILING" -server "$ZK_CONNECT" -op delete -n "$n" -b "$B" -w 1 -p /bulk/m \
		-resolve-delay "$RESOLVE_DELAY"
	check_kids /bulk/m 0 "multi_ceiling -op delete"
	measure "zksh deleteall" "" "${zk[@]}" deleteall /bulk/imp
	check_gone /bulk/imp "zksh deleteall"
	measure "zkCli.sh deleteall" "" "$ZK_CLI_SH" -server "$ZK_CONNECT" deleteall /bulk/cli
	check_gone /bulk/cli "zkCli.sh deleteall"

	echo "  walk (count) / children ceiling: $(frac "$(wall_of "zksh count (a walk)")" "$(wall_of "ceiling -op children (1 req/node)")")  (the walk's own request a node)"
	echo "  export / get ceiling:           $(frac "$(wall_of "zksh export")" "$(wall_of "ceiling -op get (3 req/node)")")  (target >= 0.8)"
	echo "  import / multi create ceiling:  $(frac "$(wall_of "zksh import")" "$(wall_of "multi_ceiling -op create")")  (target >= 0.5)"
	echo "  zkCli creates / zksh import:    $(ratio "$(wall_of "zkCli.sh < $n creates")" "$(wall_of "zksh import")")  (zkCli has no import: the same creates from a file)"
	echo "  deleteall / multi delete ceiling: $(frac "$(wall_of "zksh deleteall")" "$(wall_of "multi_ceiling -op delete")")"
	echo "  zkCli deleteall / zksh deleteall: $(ratio "$(wall_of "zkCli.sh deleteall")" "$(wall_of "zksh deleteall")")  (target >= 6x)"
}

for part in $PARTS; do
	case $part in
	walk) walk_part ;;
	bulk) bulk_part ;;
	*) die "BENCH_PARTS: unknown part '$part' (walk, bulk)" ;;
	esac
done
exit "$FAILED"
