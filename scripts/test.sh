#!/bin/sh
# Install what is missing, build, and run every test twice: in the normal
# build and in an AddressSanitizer + UndefinedBehaviorSanitizer build (both
# in the source tree, one after the other).
# Then the install, distcheck and Debian package checks (tests/pkg/check.sh).
# Ends with one line "N passed, N failed" over every test that ran.
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
begin=$(date +%s)
"$src/scripts/deps.sh" || exit 1

passed=0
failed=0
status=0

# stage_time NAME START: how long a stage took, for the log
stage_time() {
	t=$(($(date +%s) - $2))
	echo "== $1: $((t / 60)) min $((t % 60)) s"
}
stage_time "dependencies" "$begin"

# make check's TAP driver counts every unit test and bats test case.
run_build() {
	name=$1
	dir=$src
	shift
	start=$(date +%s)
	echo "== $name build"
	if ! "$src/scripts/build.sh" "$@"; then
		echo "$name build failed"
		failed=$((failed + 1))
		status=1
		return
	fi
	log=$(mktemp)
	if [ -n "${ZKSH_SKIP_TESTS:-}" ]; then
		tests=$(cd "$dir" && make -s print-tests | tr ' ' '\n' |
			grep -vxF "$(echo "$ZKSH_SKIP_TESTS" | tr ' ' '\n')" | tr '\n' ' ')
		(cd "$dir" && make check TESTS="$tests") >"$log" 2>&1
	else
		(cd "$dir" && make check) >"$log" 2>&1
	fi
	rc=$?
	grep -E '^(FAIL|ERROR|XPASS):' "$log" || true
	sed -n '/^# TOTAL/,/^# ERROR/p' "$log"
	p=$(sed -n 's/^# PASS: *//p' "$log" | tail -1)
	f=$(sed -n 's/^# FAIL: *//p' "$log" | tail -1)
	e=$(sed -n 's/^# ERROR: *//p' "$log" | tail -1)
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0} + ${e:-0}))
	if [ "$rc" -ne 0 ]; then
		status=1
		[ -n "$f$e" ] || failed=$((failed + 1))
		for t in $(cd "$dir" && ls tests/*/*.log tests/lib/*.log 2>/dev/null); do
			grep -q '^not ok\|^# FAIL\|^ERROR' "$dir/$t" 2>/dev/null || continue
			echo "--- $t"
			# each failing case with the diagnostics that follow it, then the end
			awk '/^not ok/ {n = 40} n > 0 && !/^PASS:/ {print; n--}' "$dir/$t" | head -120
			echo "--- end of $t"
			tail -8 "$dir/$t"
		done
	fi
	rm -f "$log"
	stage_time "$name stage" "$start"
}

run_build normal
# The sanitizer build runs everything but two things the normal build has
# just run: the fuzz harnesses (clang builds them with ASan and UBSan
# whatever configure said, so a second run would only repeat the first) and
# the ensemble suite (minutes of reconfigurations on 2 cores; reconfig.bats
# and the planner's unit tests still run under the sanitizers).
ZKSH_SKIP_TESTS="tests/e2e/ensemble.bats tests/fuzz/run.sh"
run_build sanitizer --enable-sanitizers
ZKSH_SKIP_TESTS=""
# leave a normal build behind for the quick start and for people
"$src/scripts/build.sh" || status=1

# install, distcheck and the Debian package, once, from the normal build
echo "== install and package checks"
start=$(date +%s)
log=$(mktemp)
"$src/tests/pkg/check.sh" >"$log" 2>&1 || status=1
grep -E '^(not ok|ok)' "$log"
grep -A30 '^not ok' "$log" | grep '^#' | head -60
p=$(grep -c '^ok' "$log")
f=$(grep -c '^not ok' "$log")
passed=$((passed + p))
failed=$((failed + f))
rm -f "$log"
stage_time "install and package stage" "$start"

stage_time "the whole run" "$begin"
echo "$passed passed, $failed failed"
exit $status
