#!/bin/sh
# Install what is missing, build, and run every test twice: in the normal
# build and in an AddressSanitizer + UndefinedBehaviorSanitizer build (both
# in the source tree, one after the other).
# Then the install, distcheck and Debian package checks (tests/pkg/check.sh).
# Ends with one line "N passed, N failed" over every test that ran.
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
"$src/scripts/deps.sh" || exit 1

passed=0
failed=0
status=0

# make check's TAP driver counts every unit test and bats test case.
run_build() {
	name=$1
	dir=$src
	shift
	echo "== $name build"
	if ! "$src/scripts/build.sh" "$@"; then
		echo "$name build failed"
		failed=$((failed + 1))
		status=1
		return
	fi
	log=$(mktemp)
	(cd "$dir" && make check) >"$log" 2>&1
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
			grep -q '^not ok\|^# FAIL\|^ERROR' "$dir/$t" 2>/dev/null && { echo "--- $t"; tail -40 "$dir/$t"; }
		done
	fi
	rm -f "$log"
}

run_build normal
run_build sanitizer --enable-sanitizers
# leave a normal build behind for the quick start and for people
"$src/scripts/build.sh" || status=1

# install, distcheck and the Debian package, once, from the normal build
echo "== install and package checks"
log=$(mktemp)
"$src/tests/pkg/check.sh" >"$log" 2>&1 || status=1
grep -E '^(not ok|ok)' "$log"
grep -A30 '^not ok' "$log" | grep '^#' | head -60
p=$(grep -c '^ok' "$log")
f=$(grep -c '^not ok' "$log")
passed=$((passed + p))
failed=$((failed + f))
rm -f "$log"

echo "$passed passed, $failed failed"
exit $status
