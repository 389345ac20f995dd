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
#   BENCH_WINDOW=1000       requests in flight: ceiling -w W, zksh --no-batch --pipeline=W
#   BENCH_BATCH=1000        operations per multi of the multi ceiling (zksh's default)
#   BENCH_RUNS=20           one-shot `get` runs of zksh
#   BENCH_CLI_RUNS=5        one-shot `get` runs of zkCli.sh (0: skip)
#   BENCH_CREATE_RUNS=3     create+delete runs of zksh and of the ceilings (median)
#   BENCH_CLI_CREATE_RUNS=1 create runs of zkCli.sh (0: skip; 7-25 s each)
#   BENCH_WARMUP=2          unmeasured ceiling runs first, to warm the server's JIT
#   BENCH_RESOLVE_DELAY=1000 ceiling -resolve-delay MS, the same as zksh sets
#                           (0: the C client's default, a lookup per I/O loop turn)
#   BENCH_INSTALL=0         1: apt-get install hyperfine if it is missing
#   BENCH_HYPERFINE=auto    0: never use hyperfine, even if installed
#   BENCH_RESULTS=bench/results   where latest.txt and history.jsonl go
#   BENCH_STRICT=0          1: exit 5 if a target is missed
#   BENCH_KEEP=0            1: keep the server's directory (logs) afterwards
#   ZKSH, CEILING, MULTI_CEILING, ZK_CLI_SH   the binaries (default ./zksh,
#                           bench/ceiling, bench/multi_ceiling, /usr/share/zookeeper/bin/zkCli.sh)
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
MULTI_CEILING=${MULTI_CEILING:-$BENCH_DIR/multi_ceiling}
B=${BENCH_BATCH:-1000}
ZK_CLI_SH=${ZK_CLI_SH:-/usr/share/zookeeper/bin/zkCli.sh}
TARGET_SPEEDUP=50    # zksh vs zkCli.sh, creates and deletes
TARGET_FRACTION=0.5 # zksh / multi ceiling throughput

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
if [[ ! -x $MULTI_CEILING ]]; then
	say "bench: building $MULTI_CEILING"
	if [[ -f $TOP/Makefile && $MULTI_CEILING == "$BENCH_DIR/multi_ceiling" ]]; then
		make -C "$TOP" bench/multi_ceiling >&2 || die "could not build bench/multi_ceiling"
	else
		${CC:-cc} -DTHREADED -O2 -Wall -Wextra -o "$MULTI_CEILING" "$BENCH_DIR/multi_ceiling.c" \
			-lzookeeper_mt -lpthread || die "could not build $MULTI_CEILING"
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

# ------------------------------------------------ 2. creates and deletes --

# Files: one per parent, since each run gets a fresh parent.
write_creates() { seq 0 $((N - 1)) | sed "s|.*|create $1/z& data|" >"$2"; }
write_deletes() { seq 0 $((N - 1)) | sed "s|.*|delete $1/z&|" >"$2"; }

children_of() { zksh stat "$1" 2>/dev/null | sed -n 's/^numChildren = //p'; }

FAILED=0
# Per contender: wall ms and cpu ms of each run, space-separated.
declare -A C_MS=() C_CPU=() D_MS=() D_CPU=() RUNS_OF=()

# The command a contender runs for OP (create|delete) under PARENT, FILE.
contender_cmd() { # NAME OP PARENT FILE
	case $1 in
	ceiling) CMD=("$CEILING" -server "$ZK" -op "$2" -n "$N" -w "$W" -p "$3" -d data
		-resolve-delay "$RESOLVE_DELAY") ;;
	multi) CMD=("$MULTI_CEILING" -server "$ZK" -op "$2" -n "$N" -b "$B" -w 1 -p "$3" -d data
		-resolve-delay "$RESOLVE_DELAY") ;;
	multi4) CMD=("$MULTI_CEILING" -server "$ZK" -op "$2" -n "$N" -b "$B" -w 4 -p "$3" -d data
		-resolve-delay "$RESOLVE_DELAY") ;;
	zksh) CMD=("$ZKSH" -server "$ZK" -q -f "$4") ;;
	zksh4) CMD=("$ZKSH" -server "$ZK" --pipeline=4 -q -f "$4") ;;
	zksh-single) CMD=("$ZKSH" -server "$ZK" --no-batch --pipeline="$W" -q -f "$4") ;;
	zkcli) CMD=("$ZK_CLI_SH" -server "$ZK") ;;
	esac
}

# run_pair NAME RUN measure|discard: N creates, check, N deletes, check.
run_pair() {
	local name=$1 r=$2 parent=/bench/$1-$2 ms cms cdel ccpu dcpu got in=/dev/null
	zksh create "$parent" >/dev/null || die "cannot create $parent"
	write_creates "$parent" "$TMP/c.txt"
	write_deletes "$parent" "$TMP/d.txt"
	contender_cmd "$name" create "$parent" "$TMP/c.txt"
	[[ $name == zkcli ]] && in=$TMP/c.txt
	if ! timed cms "${CMD[@]}" <"$in" >"$TMP/out" 2>"$TMP/err"; then
		say "bench: $name create failed: $(grep -v '^SLF4J' "$TMP/err" | head -3)"
		FAILED=1
	fi
	ccpu=$LAST_CPU
	got=$(children_of "$parent")
	[[ $got == "$N" ]] || { say "bench: $name: $parent has ${got:-no} children, want $N"; FAILED=1; }
	contender_cmd "$name" delete "$parent" "$TMP/d.txt"
	[[ $name == zkcli ]] && in=$TMP/d.txt
	if ! timed cdel "${CMD[@]}" <"$in" >"$TMP/out" 2>"$TMP/err"; then
		say "bench: $name delete failed: $(grep -v '^SLF4J' "$TMP/err" | head -3)"
		FAILED=1
	fi
	dcpu=$LAST_CPU
	got=$(children_of "$parent")
	[[ $got == 0 ]] || { say "bench: $name: $parent has ${got:-no} children after the deletes"; FAILED=1; }
	zksh deleteall "$parent" >/dev/null 2>&1
	say "  $(printf '%-12s' "$name") run $r: create $cms ms (cpu $ccpu), delete $cdel ms (cpu $dcpu)"
	[[ $3 == measure ]] || return 0
	C_MS[$name]+="$cms " C_CPU[$name]+="$ccpu " D_MS[$name]+="$cdel " D_CPU[$name]+="$dcpu "
	RUNS_OF[$name]=$((${RUNS_OF[$name]:-0} + 1))
}

CONTENDERS=(ceiling multi multi4 zksh zksh4 zksh-single)
say "bench: $N creates and $N deletes per run: $CREATE_RUNS x ${CONTENDERS[*]}, $CLI_CREATE_RUNS x zkCli.sh"
for ((r = 1; r <= WARMUP; r++)); do
	run_pair multi "warmup$r" discard
	run_pair ceiling "warmup$r" discard
done
# Rotate the order each round, so that no contender always follows the same one.
for ((r = 1; r <= CREATE_RUNS; r++)); do
	for ((k = 0; k < ${#CONTENDERS[@]}; k++)); do
		run_pair "${CONTENDERS[$(((k + r) % ${#CONTENDERS[@]}))]}" "$r" measure
	done
	if ((r == 1)); then
		for ((k = 1; k <= CLI_CREATE_RUNS; k++)); do
			run_pair zkcli "$k" measure
		done
	fi
done

LOAD_END=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo nan)

# ------------------------------------------------------------ 3. report --

med() { if (($#)); then printf '%s\n' "$@" | stats | cut -d' ' -f1; else echo nan; fi; }
# shellcheck disable=SC2086 # word splitting of the run lists is the point
cm() { med ${C_MS[$1]:-}; }
# shellcheck disable=SC2086
dm() { med ${D_MS[$1]:-}; }
# shellcheck disable=SC2086
ccpu() { med ${C_CPU[$1]:-}; }
# shellcheck disable=SC2086
dcpu() { med ${D_CPU[$1]:-}; }

isnum() { [[ $1 =~ ^[0-9]+(\.[0-9]+)?$ ]] && [[ $1 != 0 && $1 != 0.0 ]]; }
ratio() { if isnum "$1" && isnum "$2"; then calc "$1 / $2" "${3:-1}"; else echo nan; fi; }
rate() { if isnum "$1"; then calc "$N * 1000 / $1" 0; else echo nan; fi; }

R_STARTUP=$(ratio "$SU_CLI" "$SU_ZKSH")
# throughput ratios are inverse wall-time ratios
R_C_CLI=$(ratio "$(cm zkcli)" "$(cm zksh)")
R_D_CLI=$(ratio "$(dm zkcli)" "$(dm zksh)")
R_C_MULTI=$(ratio "$(cm multi)" "$(cm zksh)" 2)
R_D_MULTI=$(ratio "$(dm multi)" "$(dm zksh)" 2)
R_C_PIPE=$(ratio "$(cm zksh)" "$(cm zksh4)" 2)
R_D_PIPE=$(ratio "$(dm zksh)" "$(dm zksh4)" 2)
R_C_M4=$(ratio "$(cm multi)" "$(cm multi4)" 2)
R_MULTI_SINGLE=$(ratio "$(cm ceiling)" "$(cm multi)")

verdict() { # value target unit
	[[ $1 == nan ]] && {
		echo "not measured"
		return
	}
	awk "BEGIN { exit !($1 >= $2) }" && echo "target >= $2$3: met" || echo "target >= $2$3: MISSED"
}
met() { [[ $1 == nan ]] && echo null && return; awk "BEGIN { exit !($1 >= $2) }" && echo true || echo false; }
MET=()
for v in "$R_C_CLI:$TARGET_SPEEDUP" "$R_D_CLI:$TARGET_SPEEDUP" "$R_C_MULTI:$TARGET_FRACTION" "$R_D_MULTI:$TARGET_FRACTION"; do
	MET+=("$(met "${v%%:*}" "${v#*:}")")
done

NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
ZKSH_VERSION=$("$ZKSH" --version 2>/dev/null | head -1)
if GIT_REV=$(git -C "$TOP" rev-parse --short HEAD 2>/dev/null); then
	git -C "$TOP" diff --quiet HEAD -- src 2>/dev/null || GIT_REV+="+dirty"
else
	GIT_REV=none
fi

xr() { [[ $1 == nan ]] && echo "n/a" || echo "${1}${2-x}"; }
row() { printf '  %-46s %4s %9s %9s %8s %9s %9s %8s\n' "$@"; }
label() {
	case $1 in
	ceiling) echo "ceiling: zoo_acreate/adelete, $W in flight" ;;
	multi) echo "multi ceiling: zoo_amulti of $B, 1 in flight" ;;
	multi4) echo "multi ceiling: zoo_amulti of $B, 4 in flight" ;;
	zksh) echo "zksh -q -f (default batch mode)" ;;
	zksh4) echo "zksh --pipeline=4 (4 batches in flight)" ;;
	zksh-single) echo "zksh --no-batch --pipeline=$W" ;;
	zkcli) echo "zkCli.sh < file" ;;
	esac
}
report() {
	echo "zksh benchmark  $NOW  ($ZKSH_VERSION, git $GIT_REV)"
	echo "zksh: $ZKSH  ceilings: $CEILING, $MULTI_CEILING"
	echo "host: $CPUS cpus, load average $LOAD_START at start, $LOAD_END at end"
	echo "server: ZooKeeper ${ZK_VERSION:-?}, 1 voting member on $ZK (tests/lib/zk.bash, forceSync=no)"
	echo
	echo "1. start-up: one-shot 'get /node', wall time per invocation; timer: $TIMER"
	printf '  %-20s %5s %10s %10s %10s\n' contender runs "median ms" "min ms" "max ms"
	printf '  %-20s %5s %10s %10s %10s\n' zksh "$RUNS" "$SU_ZKSH" "$SU_ZKSH_MIN" "$SU_ZKSH_MAX"
	printf '  %-20s %5s %10s %10s %10s\n' zkCli.sh "$CLI_RUNS" "$SU_CLI" "$SU_CLI_MIN" "$SU_CLI_MAX"
	echo "  zkCli/zksh start-up ratio: $(xr "$R_STARTUP")"
	echo
	echo "2. $N creates ('create /bench/<run>/zN data'), then $N deletes, from a file;"
	echo "   wall time of the whole process (start-up and connect included), median"
	row contender runs "create ms" "creates/s" "cpu ms" "delete ms" "deletes/s" "cpu ms"
	for name in ceiling multi multi4 zksh zksh4 zksh-single zkcli; do
		[[ -n ${RUNS_OF[$name]:-} ]] || continue
		row "$(label "$name")" "${RUNS_OF[$name]}" "$(cm "$name")" "$(rate "$(cm "$name")")" \
			"$(ccpu "$name")" "$(dm "$name")" "$(rate "$(dm "$name")")" "$(dcpu "$name")"
	done
	echo "  (cpu ms: user + system time of the client process and its threads)"
	echo
	echo "3. ratios (throughput)"
	echo "  zksh vs zkCli.sh, creates:        $(xr "$R_C_CLI")  ($(verdict "$R_C_CLI" "$TARGET_SPEEDUP" x))"
	echo "  zksh vs zkCli.sh, deletes:        $(xr "$R_D_CLI")  ($(verdict "$R_D_CLI" "$TARGET_SPEEDUP" x))"
	echo "  zksh / multi ceiling, creates:    $(xr "$R_C_MULTI" "")  ($(verdict "$R_C_MULTI" "$TARGET_FRACTION" ""))"
	echo "  zksh / multi ceiling, deletes:    $(xr "$R_D_MULTI" "")  ($(verdict "$R_D_MULTI" "$TARGET_FRACTION" ""))"
	echo "  multi ceiling vs single ceiling:  $(xr "$R_MULTI_SINGLE")  (creates)"
	echo "  4 batches in flight vs 1, zksh:   $(xr "$R_C_PIPE") creates, $(xr "$R_D_PIPE") deletes"
	echo "  4 batches in flight vs 1, raw:    $(xr "$R_C_M4") creates"
	((FAILED == 0)) || echo "  WARNING: some runs failed or left the wrong node count; see above"
}

jnum() { [[ $1 =~ ^[0-9]+(\.[0-9]+)?$ ]] && echo "$1" || echo null; }
json() {
	local name sep=""
	printf '{"bench":"zksh","time":"%s","zksh":"%s","git":"%s","zookeeper":"%s",' \
		"$NOW" "$ZKSH_VERSION" "$GIT_REV" "${ZK_VERSION:-}"
	printf '"cpus":%s,"load_start":%s,"load_end":%s,"n":%s,"window":%s,"batch":%s,' \
		"$CPUS" "$(jnum "$LOAD_START")" "$(jnum "$LOAD_END")" "$N" "$W" "$B"
	printf '"startup_ms":{"zksh":%s,"zkcli":%s},' "$(jnum "$SU_ZKSH")" "$(jnum "$SU_CLI")"
	printf '"ms":{'
	for name in ceiling multi multi4 zksh zksh4 zksh-single zkcli; do
		printf '%s"%s":{"create":%s,"delete":%s}' "$sep" "$name" "$(jnum "$(cm "$name")")" "$(jnum "$(dm "$name")")"
		sep=,
	done
	printf '},"zksh_vs_zkcli":{"create":%s,"delete":%s},"zksh_over_multi":{"create":%s,"delete":%s},' \
		"$(jnum "$R_C_CLI")" "$(jnum "$R_D_CLI")" "$(jnum "$R_C_MULTI")" "$(jnum "$R_D_MULTI")"
	printf '"targets":{"speedup":%s,"fraction":%s,"met":[%s,%s,%s,%s]},"failed":%s}\n' \
		"$TARGET_SPEEDUP" "$TARGET_FRACTION" "${MET[0]}" "${MET[1]}" "${MET[2]}" "${MET[3]}" \
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
if [[ ${BENCH_STRICT:-0} == 1 && " ${MET[*]} " == *" false "* ]]; then
	exit 5
fi
exit 0
