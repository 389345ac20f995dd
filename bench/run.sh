#!/usr/bin/env bash
# shellcheck disable=SC2317,SC1091 # trap handlers; zk.bash is sourced at run time
# bench/run.sh -- zksh against zkCli.sh and the raw C-client ceiling, in one
# run, against a throwaway ZooKeeper that tests/lib/zk.bash starts on
# loopback (and always stops again). See bench/README.md.
#
#   bench/run.sh            (or: make bench)
#
# Environment (defaults in brackets):
#   BENCH_N=20000           creates per contender run
#   BENCH_WINDOW=1000       requests in flight: zksh --pipeline=W, ceiling -w W
#   BENCH_RUNS=20           one-shot `get` runs of zksh
#   BENCH_CLI_RUNS=5        one-shot `get` runs of zkCli.sh (0: skip)
#   BENCH_CREATE_RUNS=3     create runs of zksh and of the ceiling (median)
#   BENCH_CLI_CREATE_RUNS=1 create runs of zkCli.sh (0: skip; 7-25 s each)
#   BENCH_WARMUP=2          unmeasured ceiling runs first, to warm the server's JIT
#   BENCH_RESOLVE_DELAY=1000 ceiling -resolve-delay MS, the same as zksh sets
#                           (0: the C client's default, a lookup per I/O loop turn)
#   BENCH_INSTALL=0         1: apt-get install hyperfine if it is missing
#   BENCH_HYPERFINE=auto    0: never use hyperfine, even if installed
#   BENCH_RESULTS=bench/results   where latest.txt and history.jsonl go
#   BENCH_STRICT=0          1: exit 5 if a target is missed
#   BENCH_KEEP=0            1: keep the server's directory (logs) afterwards
#   ZKSH, CEILING, ZK_CLI_SH   the binaries (default ./zksh, bench/ceiling,
#                           /usr/share/zookeeper/bin/zkCli.sh)
# Exit: 0 measured (targets are reported, not asserted), 1 a contender
# failed or produced the wrong number of nodes, 2 usage/setup error,
# 5 a target missed with BENCH_STRICT=1.
set -uo pipefail

BENCH_DIR=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd -P)
TOP=$(dirname "$BENCH_DIR")

N=${BENCH_N:-20000}
W=${BENCH_WINDOW:-1000}
RUNS=${BENCH_RUNS:-20}
CLI_RUNS=${BENCH_CLI_RUNS:-5}
CREATE_RUNS=${BENCH_CREATE_RUNS:-3}
CLI_CREATE_RUNS=${BENCH_CLI_CREATE_RUNS:-1}
WARMUP=${BENCH_WARMUP:-2}
RESOLVE_DELAY=${BENCH_RESOLVE_DELAY:-1000}
RESULTS=${BENCH_RESULTS:-$BENCH_DIR/results}
ZKSH=${ZKSH:-$TOP/zksh}
CEILING=${CEILING:-$BENCH_DIR/ceiling}
ZK_CLI_SH=${ZK_CLI_SH:-/usr/share/zookeeper/bin/zkCli.sh}
TARGET_SPEEDUP=10
TARGET_FRACTION=70

# Messages go to the original stderr even from a trap that runs while a
# timed run's stderr is redirected to a file.
exec {ERR}>&2
say() { printf '%s\n' "$*" >&"$ERR"; }
die() {
	say "bench: $*"
	exit 2
}

for v in N:BENCH_N W:BENCH_WINDOW RUNS:BENCH_RUNS CLI_RUNS:BENCH_CLI_RUNS \
	CREATE_RUNS:BENCH_CREATE_RUNS CLI_CREATE_RUNS:BENCH_CLI_CREATE_RUNS WARMUP:BENCH_WARMUP; do
	var=${v%%:*}
	[[ ${!var} =~ ^[0-9]+$ ]] || die "${v#*:} must be a non-negative integer, not '${!var}'"
done
[[ $RESOLVE_DELAY =~ ^(-1|[0-9]+)$ ]] || die "BENCH_RESOLVE_DELAY must be -1, 0 or milliseconds"
((N >= 1)) || die "BENCH_N must be at least 1"
((W >= 1 && W <= 100000)) || die "BENCH_WINDOW must be 1..100000"
((RUNS >= 1)) || die "BENCH_RUNS must be at least 1"
((CREATE_RUNS >= 1)) || die "BENCH_CREATE_RUNS must be at least 1"

# ------------------------------------------------------------- binaries --

[[ -x $ZKSH ]] || die "no zksh at $ZKSH (build it: make)"
if [[ ! -x $CEILING ]]; then
	say "bench: building $CEILING"
	if [[ -f $TOP/Makefile && $CEILING == "$BENCH_DIR/ceiling" ]]; then
		make -C "$TOP" bench/ceiling >&2 || die "could not build bench/ceiling"
	else
		${CC:-cc} -DTHREADED -O2 -Wall -Wextra -o "$CEILING" "$BENCH_DIR/ceiling.c" \
			-lzookeeper_mt -lpthread || die "could not build $CEILING"
	fi
fi
if ((CLI_RUNS + CLI_CREATE_RUNS > 0)) && [[ ! -x $ZK_CLI_SH ]]; then
	die "no zkCli.sh at $ZK_CLI_SH (apt-get install zookeeper, or BENCH_CLI_RUNS=0 BENCH_CLI_CREATE_RUNS=0)"
fi
if ldd "$ZKSH" 2>/dev/null | grep -q 'libasan\|libubsan'; then
	say "bench: WARNING: $ZKSH is built with sanitizers; its numbers are not representative"
fi

HYPERFINE=""
if [[ ${BENCH_HYPERFINE:-auto} != 0 ]]; then
	if ! command -v hyperfine >/dev/null && [[ ${BENCH_INSTALL:-0} == 1 ]]; then
		say "bench: installing hyperfine (BENCH_INSTALL=1)"
		if ((EUID == 0)); then
			apt-get install -y hyperfine >&2 || say "bench: could not install hyperfine"
		else
			sudo apt-get install -y hyperfine >&2 || say "bench: could not install hyperfine"
		fi
	fi
	command -v hyperfine >/dev/null && HYPERFINE=$(command -v hyperfine)
fi

# --------------------------------------------------------------- timing --

# now_us VAR: wall clock in microseconds. bash 5 has $EPOCHREALTIME (no
# fork, so nothing else is reaped while a run is timed); otherwise date(1).
# The decimal point of EPOCHREALTIME follows the locale.
if [[ -n ${EPOCHREALTIME:-} ]]; then
	now_us() { printf -v "$1" '%s' "${EPOCHREALTIME/[.,]/}"; }
	CLOCK="bash \$EPOCHREALTIME"
else
	now_us() { printf -v "$1" '%s' "$(($(date +%s%N) / 1000))"; }
	CLOCK="date +%s%N"
fi

# CPU time (user + system, ms) of a timed run: the difference of the
# children's totals that the `times` builtin reports (written to a file: a
# command substitution would run it in a fork with totals of its own).
cpu_of_times() { # FILE
	awk 'NR == 2 {
		t = 0
		for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] }
		printf "%.0f\n", t * 1000 }' "$1"
}

# median min max of the numbers on stdin (one per line), with 1 decimal.
stats() {
	sort -g | awk '{ v[NR] = $1 }
		END {
			if (NR == 0) { print "nan nan nan"; exit }
			m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%.1f %.1f %.1f\n", m, v[1], v[NR]
		}'
}

calc() { awk "BEGIN { printf \"%.${2:-1}f\", $1 }"; }

# The child being waited for, so that an interrupt can end it (and the JVM
# that zkCli.sh forks without exec) by pid.
CHILD=""

kill_child() {
	[[ -n $CHILD ]] || return 0
	pkill -TERM -P "$CHILD" 2>/dev/null || true
	kill -TERM "$CHILD" 2>/dev/null || true
	wait "$CHILD" 2>/dev/null || true
	CHILD=""
}

# timed OUTVAR CMD... <redirections are the caller's>: run CMD in the
# background (so that a signal interrupts `wait`), store its wall time in ms
# in OUTVAR and its CPU time (user + system, all its threads and children) in
# ms in LAST_CPU, return its exit status. stdin/stdout/stderr come from the
# caller's redirections of this function (hence `<&0`: a background command
# would otherwise read /dev/null).
LAST_CPU=nan
timed() {
	local __out=$1 t0 t1 rc c0 c1
	shift
	times >"$TIMES.0"
	now_us t0
	"$@" <&0 &
	CHILD=$!
	wait "$CHILD"
	rc=$?
	now_us t1
	times >"$TIMES.1"
	CHILD=""
	c0=$(cpu_of_times "$TIMES.0") c1=$(cpu_of_times "$TIMES.1")
	LAST_CPU=$((c1 - c0))
	printf -v "$__out" '%s' "$(calc "($t1 - $t0) / 1000" 1)"
	return "$rc"
}

# ------------------------------------------------------------- the server --

# shellcheck source=../tests/lib/zk.bash
. "$TOP/tests/lib/zk.bash"

TMP=$(mktemp -d /tmp/zksh-bench.XXXXXX) || die "mktemp failed"
TIMES=$TMP/times
unset ZK_CONNECT ZK_N
ZK_BASE=$TMP/zk
mkdir -p "$ZK_BASE"
export ZK_BASE
[[ ${BENCH_KEEP:-0} == 1 ]] && export ZK_KEEP=1
# No snapshot in the middle of a measured run (default snapCount is 100000
# transactions; one bench run writes about 9 N).
export ZK_EXTRA_CFG="snapCount=10000000
${BENCH_ZK_EXTRA_CFG:-}"

cleanup() {
	local rc=$?
	trap - EXIT INT TERM HUP
	kill_child
	zk_stop_all
	if [[ ${BENCH_KEEP:-0} == 1 ]]; then
		say "bench: kept $TMP"
	else
		rm -rf "$TMP"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'say "bench: interrupted"; exit 130' INT
trap 'say "bench: terminated"; exit 143' TERM HUP

LOAD_START=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo nan)
CPUS=$(nproc 2>/dev/null || echo 1)

if awk "BEGIN { exit !($LOAD_START > $CPUS) }" 2>/dev/null; then
	say "bench: WARNING: load average $LOAD_START on $CPUS cpus: expect noisy numbers" \
		"(zkCli's one-at-a-time creates suffer most)"
fi
say "bench: starting ZooKeeper on loopback (tests/lib/zk.bash) ..."
zk_start 1 >&2 || die "ZooKeeper did not start"
ZK=$ZK_CONNECT
ZK_VERSION=$(zk_srvr 1 | sed -n 's/^Zookeeper version: \([^-,]*\).*/\1/p')
say "bench: server $ZK (ZooKeeper ${ZK_VERSION:-?}), pid $(zk_pid 1)"

zksh() { "$ZKSH" -server "$ZK" "$@"; }

zksh create /node hello >/dev/null || die "cannot create /node"
zksh create /bench >/dev/null || die "cannot create /bench"

# ------------------------------------------------------- 1. start-up (get) --

# startup NAME RUNS CMD...: median/min/max wall time in ms of CMD, one line.
startup() {
	local name=$1 runs=$2 i ms
	shift 2
	"$@" </dev/null >/dev/null 2>&1 || die "$name: '$*' failed"
	if [[ -n $HYPERFINE ]]; then
		local json=$TMP/hf-$name.json q="" a
		for a in "$@"; do q+=" $(printf '%q' "$a")"; done
		"$HYPERFINE" -N --warmup 2 --runs "$runs" --style none \
			--export-json "$json" -- "${q# }" >/dev/null 2>&1 </dev/null ||
			die "$name: hyperfine failed"
		_zk_python - "$json" <<-'EOF'
			import json, sys
			t = sorted(json.load(open(sys.argv[1]))["results"][0]["times"])
			n = len(t)
			m = t[n // 2] if n % 2 else (t[n // 2 - 1] + t[n // 2]) / 2
			print("%.1f %.1f %.1f" % (m * 1e3, t[0] * 1e3, t[-1] * 1e3))
		EOF
		return
	fi
	# one unmeasured warm-up run above; then the loop
	for ((i = 0; i < runs; i++)); do
		timed ms "$@" </dev/null >/dev/null 2>&1 || die "$name: '$*' failed"
		echo "$ms"
	done | stats
}

TIMER=${HYPERFINE:+hyperfine -N --warmup 2}
TIMER=${TIMER:-loop ($CLOCK, 1 warm-up)}
say "bench: start-up: $RUNS x zksh get, $CLI_RUNS x zkCli.sh get ($TIMER)"
read -r SU_ZKSH SU_ZKSH_MIN SU_ZKSH_MAX < <(startup zksh "$RUNS" "$ZKSH" -server "$ZK" get /node)
[[ -n ${SU_ZKSH:-} ]] || exit 2
SU_CLI=nan SU_CLI_MIN=nan SU_CLI_MAX=nan
if ((CLI_RUNS > 0)); then
	read -r SU_CLI SU_CLI_MIN SU_CLI_MAX < <(startup zkcli "$CLI_RUNS" "$ZK_CLI_SH" -server "$ZK" get /node)
	[[ -n ${SU_CLI:-} ]] || exit 2
fi

# ---------------------------------------------------------- 2. creates --

# Files: one per parent, since each run gets a fresh parent.
write_creates() { seq 0 $((N - 1)) | sed "s|.*|create $1/z& data|" >"$2"; }
write_deletes() {
	{
		seq 0 $((N - 1)) | sed "s|.*|delete $1/z&|"
		echo "delete $1"
	} >"$2"
}

children_of() { zksh stat "$1" 2>/dev/null | sed -n 's/^numChildren = //p'; }

FAILED=0
DEL_MS=() DEL_CPU=()

# Check a run made N children, then delete them (pipelined zksh, timed too).
verify_and_clean() {
	local who=$1 parent=$2 got ms
	got=$(children_of "$parent")
	if [[ $got != "$N" ]]; then
		say "bench: $who: $parent has ${got:-no} children, want $N"
		FAILED=1
	fi
	write_deletes "$parent" "$TMP/del.txt"
	if timed ms "$ZKSH" -server "$ZK" --pipeline="$W" -q -f "$TMP/del.txt" \
		</dev/null >/dev/null 2>"$TMP/del.err"; then
		DEL_MS+=("$ms") DEL_CPU+=("$LAST_CPU")
	else
		say "bench: cleanup of $parent failed: $(head -3 "$TMP/del.err")"
		FAILED=1
	fi
}

CEIL_MS=() CEIL_PHASE_MS=() ZKSH_MS=() CLI_MS=()
CEIL_CPU=() ZKSH_CPU=() CLI_CPU=()

run_ceiling() {
	local parent=/bench/ceiling-$1 ms line
	zksh create "$parent" >/dev/null || die "cannot create $parent"
	if timed ms "$CEILING" -server "$ZK" -n "$N" -w "$W" -p "$parent" -d data \
		-resolve-delay "$RESOLVE_DELAY" \
		</dev/null >"$TMP/ceiling.out" 2>"$TMP/ceiling.err"; then
		line=$(cat "$TMP/ceiling.out")
		if [[ $2 == measure ]]; then
			CEIL_MS+=("$ms") CEIL_CPU+=("$LAST_CPU")
			CEIL_PHASE_MS+=("$(sed -n 's/.* create_ms=\([0-9.]*\).*/\1/p' <<<"$line")")
		fi
		say "  ceiling    run $1: $ms ms, cpu $LAST_CPU ms  ($line)"
	else
		say "bench: ceiling failed: $(head -3 "$TMP/ceiling.err")"
		FAILED=1
	fi
	verify_and_clean ceiling "$parent"
}

run_zksh() {
	local parent=/bench/zksh-$1 ms
	zksh create "$parent" >/dev/null || die "cannot create $parent"
	write_creates "$parent" "$TMP/zksh.txt"
	if timed ms "$ZKSH" -server "$ZK" --pipeline="$W" -q -f "$TMP/zksh.txt" \
		</dev/null >"$TMP/zksh.out" 2>"$TMP/zksh.err"; then
		ZKSH_MS+=("$ms") ZKSH_CPU+=("$LAST_CPU")
		say "  zksh       run $1: $ms ms, cpu $LAST_CPU ms"
	else
		say "bench: zksh failed: $(head -3 "$TMP/zksh.err")"
		FAILED=1
	fi
	verify_and_clean zksh "$parent"
}

# zkCli reads commands from stdin when it is not a terminal (no prompt, no
# JLine), runs them one by one, synchronously, and exits 0 at end of input
# whatever happened -- so the node count is what tells success.
run_zkcli() {
	local parent=/bench/zkcli-$1 ms
	zksh create "$parent" >/dev/null || die "cannot create $parent"
	write_creates "$parent" "$TMP/zkcli.txt"
	if timed ms "$ZK_CLI_SH" -server "$ZK" <"$TMP/zkcli.txt" >/dev/null 2>"$TMP/zkcli.err"; then
		CLI_MS+=("$ms") CLI_CPU+=("$LAST_CPU")
		say "  zkCli.sh   run $1: $ms ms, cpu $LAST_CPU ms"
	else
		say "bench: zkCli.sh failed: $(grep -v '^SLF4J' "$TMP/zkcli.err" | head -3)"
		FAILED=1
	fi
	verify_and_clean zkcli "$parent"
}

say "bench: $N creates per run, window $W: $CREATE_RUNS x ceiling, $CREATE_RUNS x zksh, $CLI_CREATE_RUNS x zkCli.sh"
for ((r = 1; r <= WARMUP; r++)); do
	run_ceiling "warmup$r" discard
done
# Alternate the order, so that neither contender always runs on a server
# that has just digested the other's 2 N transactions.
for ((r = 1; r <= CREATE_RUNS; r++)); do
	if ((r % 2)); then
		run_ceiling "$r" measure
		run_zksh "$r"
	else
		run_zksh "$r"
		run_ceiling "$r" measure
	fi
	if ((r == 1)); then
		for ((k = 1; k <= CLI_CREATE_RUNS; k++)); do
			run_zkcli "$k"
		done
	fi
done

LOAD_END=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo nan)

# ------------------------------------------------------------ 3. report --

read -r CR_CEIL CR_CEIL_MIN CR_CEIL_MAX < <(printf '%s\n' "${CEIL_MS[@]}" | stats)
read -r CR_CEILP _ _ < <(printf '%s\n' "${CEIL_PHASE_MS[@]}" | stats)
read -r CR_ZKSH CR_ZKSH_MIN CR_ZKSH_MAX < <(printf '%s\n' "${ZKSH_MS[@]}" | stats)
if ((${#CLI_MS[@]})); then
	read -r CR_CLI CR_CLI_MIN CR_CLI_MAX < <(printf '%s\n' "${CLI_MS[@]}" | stats)
else
	CR_CLI=nan CR_CLI_MIN=nan CR_CLI_MAX=nan
fi
read -r CR_DEL CR_DEL_MIN CR_DEL_MAX < <(printf '%s\n' "${DEL_MS[@]}" | stats)
med() { if (($#)); then printf '%s\n' "$@" | stats | cut -d' ' -f1; else echo nan; fi; }
CPU_CEIL=$(med "${CEIL_CPU[@]}") CPU_ZKSH=$(med "${ZKSH_CPU[@]}")
CPU_CLI=$(med "${CLI_CPU[@]}") CPU_DEL=$(med "${DEL_CPU[@]}")

isnum() { [[ $1 =~ ^[0-9]+(\.[0-9]+)?$ ]] && [[ $1 != 0 && $1 != 0.0 ]]; }
ratio() { if isnum "$1" && isnum "$2"; then calc "$1 / $2" "${3:-1}"; else echo nan; fi; }
rate() { if isnum "$1"; then calc "$N * 1000 / $1" 0; else echo nan; fi; }

R_STARTUP=$(ratio "$SU_CLI" "$SU_ZKSH")
R_SPEEDUP=$(ratio "$CR_CLI" "$CR_ZKSH")
R_BOUND=$(ratio "$CR_CLI" "$CR_CEIL")
R_CPU=$(ratio "$CPU_ZKSH" "$CPU_CEIL" 2)
R_FRACTION=nan
isnum "$CR_ZKSH" && isnum "$CR_CEIL" && R_FRACTION=$(calc "100 * $CR_CEIL / $CR_ZKSH" 0)

verdict() { # value target unit
	[[ $1 == nan ]] && {
		echo "not measured"
		return
	}
	awk "BEGIN { exit !($1 >= $2) }" && echo "target >= $2$3: met" || echo "target >= $2$3: MISSED"
}
MET_SPEEDUP=null MET_FRACTION=null
[[ $R_SPEEDUP != nan ]] && { awk "BEGIN { exit !($R_SPEEDUP >= $TARGET_SPEEDUP) }" && MET_SPEEDUP=true || MET_SPEEDUP=false; }
[[ $R_FRACTION != nan ]] && { awk "BEGIN { exit !($R_FRACTION >= $TARGET_FRACTION) }" && MET_FRACTION=true || MET_FRACTION=false; }

NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
ZKSH_VERSION=$("$ZKSH" --version 2>/dev/null | head -1)
if GIT_REV=$(git -C "$TOP" rev-parse --short HEAD 2>/dev/null); then
	git -C "$TOP" diff --quiet HEAD -- src 2>/dev/null || GIT_REV+="+dirty"
else
	GIT_REV=none
fi

xr() { [[ $1 == nan ]] && echo "n/a" || echo "${1}${2-x}"; }
row() { printf '  %-28s %5s %10s %10s %10s %10s %9s\n' "$@"; }
report() {
	echo "zksh benchmark  $NOW  ($ZKSH_VERSION, git $GIT_REV)"
	echo "zksh: $ZKSH  ceiling: $CEILING"
	echo "host: $CPUS cpus, load average $LOAD_START at start, $LOAD_END at end"
	echo "server: ZooKeeper ${ZK_VERSION:-?}, 1 voting member on $ZK (tests/lib/zk.bash, forceSync=no)"
	echo
	echo "1. start-up: one-shot 'get /node', wall time per invocation; timer: $TIMER"
	row contender runs "median ms" "min ms" "max ms" "" ""
	row "zksh" "$RUNS" "$SU_ZKSH" "$SU_ZKSH_MIN" "$SU_ZKSH_MAX" "" ""
	row "zkCli.sh" "$CLI_RUNS" "$SU_CLI" "$SU_CLI_MIN" "$SU_CLI_MAX" "" ""
	echo "  zkCli/zksh start-up ratio: $(xr "$R_STARTUP")"
	echo
	echo "2. $N creates ('create /bench/<run>/zN data'), wall time of the whole process"
	echo "   (start-up and connect included); window $W"
	row contender runs "median ms" "min ms" "max ms" "creates/s" "cpu ms"
	row "$([[ $RESOLVE_DELAY != 0 ]] && echo "ceiling -resolve-delay $RESOLVE_DELAY" || echo "ceiling (bench/ceiling)")" "${#CEIL_MS[@]}" "$CR_CEIL" "$CR_CEIL_MIN" "$CR_CEIL_MAX" "$(rate "$CR_CEIL")" "$CPU_CEIL"
	row "  its create phase only" "${#CEIL_PHASE_MS[@]}" "$CR_CEILP" "" "" "$(rate "$CR_CEILP")" ""
	row "zksh --pipeline -q -f" "${#ZKSH_MS[@]}" "$CR_ZKSH" "$CR_ZKSH_MIN" "$CR_ZKSH_MAX" "$(rate "$CR_ZKSH")" "$CPU_ZKSH"
	row "zkCli.sh < file" "${#CLI_MS[@]}" "$CR_CLI" "$CR_CLI_MIN" "$CR_CLI_MAX" "$(rate "$CR_CLI")" "$CPU_CLI"
	row "zksh delete (cleanup runs)" "${#DEL_MS[@]}" "$CR_DEL" "$CR_DEL_MIN" "$CR_DEL_MAX" "$(rate "$CR_DEL")" "$CPU_DEL"
	echo "  (cpu ms: user + system time of the client process and its threads, median;"
	echo "   it does not depend on the machine's load as much as the wall time does)"
	echo
	echo "3. ratios"
	echo "  zksh vs zkCli.sh creates speedup: $(xr "$R_SPEEDUP")  ($(verdict "$R_SPEEDUP" "$TARGET_SPEEDUP" x))"
	echo "  zksh / ceiling throughput:        $(xr "$R_FRACTION" %)  ($(verdict "$R_FRACTION" "$TARGET_FRACTION" %))"
	echo "  ceiling vs zkCli.sh:              $(xr "$R_BOUND")  (the most any pipelined client can gain on this server)"
	echo "  zksh / ceiling client CPU:        $(xr "$R_CPU" "")  (1.00: zksh adds nothing to the C client's own cost)"
	((FAILED == 0)) || echo "  WARNING: some runs failed or left the wrong node count; see above"
}

jnum() { [[ $1 =~ ^[0-9]+(\.[0-9]+)?$ ]] && echo "$1" || echo null; }
json() {
	printf '{"bench":"zksh","time":"%s","zksh":"%s","git":"%s","zookeeper":"%s",' \
		"$NOW" "$ZKSH_VERSION" "$GIT_REV" "${ZK_VERSION:-}"
	printf '"cpus":%s,"load_start":%s,"load_end":%s,"n":%s,"window":%s,"resolve_delay":%s,"timer":"%s",' \
		"$CPUS" "$(jnum "$LOAD_START")" "$(jnum "$LOAD_END")" "$N" "$W" "$RESOLVE_DELAY" "${TIMER%% *}"
	printf '"startup_ms":{"zksh":%s,"zkcli":%s},"startup_runs":{"zksh":%s,"zkcli":%s},' \
		"$(jnum "$SU_ZKSH")" "$(jnum "$SU_CLI")" "$RUNS" "$CLI_RUNS"
	printf '"create_ms":{"ceiling":%s,"ceiling_create_phase":%s,"zksh":%s,"zkcli":%s,"zksh_delete":%s},' \
		"$(jnum "$CR_CEIL")" "$(jnum "$CR_CEILP")" "$(jnum "$CR_ZKSH")" "$(jnum "$CR_CLI")" "$(jnum "$CR_DEL")"
	printf '"create_cpu_ms":{"ceiling":%s,"zksh":%s,"zkcli":%s,"zksh_delete":%s},' \
		"$(jnum "$CPU_CEIL")" "$(jnum "$CPU_ZKSH")" "$(jnum "$CPU_CLI")" "$(jnum "$CPU_DEL")"
	printf '"create_runs":{"ceiling":%s,"zksh":%s,"zkcli":%s},' \
		"${#CEIL_MS[@]}" "${#ZKSH_MS[@]}" "${#CLI_MS[@]}"
	printf '"startup_ratio":%s,"create_speedup_vs_zkcli":%s,"ceiling_speedup_vs_zkcli":%s,"ceiling_fraction_pct":%s,"cpu_zksh_over_ceiling":%s,' \
		"$(jnum "$R_STARTUP")" "$(jnum "$R_SPEEDUP")" "$(jnum "$R_BOUND")" "$(jnum "$R_FRACTION")" "$(jnum "$R_CPU")"
	printf '"targets":{"speedup":%s,"speedup_met":%s,"fraction_pct":%s,"fraction_met":%s},"failed":%s}\n' \
		"$TARGET_SPEEDUP" "$MET_SPEEDUP" "$TARGET_FRACTION" "$MET_FRACTION" \
		"$([[ $FAILED == 0 ]] && echo false || echo true)"
}

mkdir -p "$RESULTS" || die "cannot create $RESULTS"
JSON=$(json)
{
	report | sed 's/ *$//'
	echo
	echo "$JSON"
} >"$RESULTS/latest.txt"
echo "$JSON" >>"$RESULTS/history.jsonl"
echo
cat "$RESULTS/latest.txt"
echo
echo "(written to $RESULTS/latest.txt; JSON line appended to $RESULTS/history.jsonl)"

((FAILED == 0)) || exit 1
if [[ ${BENCH_STRICT:-0} == 1 && ($MET_SPEEDUP == false || $MET_FRACTION == false) ]]; then
	exit 5
fi
exit 0
