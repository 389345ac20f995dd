#!/bin/sh
# Builds the libFuzzer harnesses with clang (ASan + UBSan) and runs each for
# FUZZ_SECONDS (default 20) from its seed corpus; prints TAP, one test per
# harness. Crash inputs are kept in $FUZZ_OUT (default: a temp dir).
set -u
src=${ZKSH_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${ZKSH_BUILDDIR:-$src} # where configure wrote config.h (a VPATH build: elsewhere)
secs=${FUZZ_SECONDS:-20}
out=${FUZZ_OUT:-$(mktemp -d /tmp/zksh-fuzz.XXXXXX)}
harnesses="lexer path acl args dynconfig fourlw recipes backup script"

set -- $harnesses
echo "1..$#"
if ! command -v clang >/dev/null 2>&1; then
	n=0
	for h in $harnesses; do n=$((n + 1)); echo "ok $n - fuzz_$h # SKIP clang not installed"; done
	exit 0
fi

# Everything but main(): the harnesses link the real parsers.
lib_srcs=$(find "$src/src" -name '*.c' ! -path "$src/src/main.c" | sort)
flags="-g -O1 -DTHREADED -I$src/src -I$build -fsanitize=fuzzer,address,undefined"
libs="-lzookeeper_mt -ledit -lcjson -lcrypto -lpthread"
[ -f "$build/config.h" ] || { echo "Bail out! configure has not run in $build"; exit 1; }

# The sources are compiled once, with coverage for the fuzzer, into one
# archive that every harness links (compiling them per harness took most of
# the run).
objflags="-g -O1 -DTHREADED -I$src/src -I$build -fsanitize=fuzzer-no-link,address,undefined"
mkdir -p "$out/obj"
# shellcheck disable=SC2086
if ! printf '%s\n' $lib_srcs | xargs -P "$(nproc 2>/dev/null || echo 2)" -I{} sh -c \
	'o=$1/obj/$(echo "$2" | tr / _).o; clang '"$objflags"' -c -o "$o" "$2"' _ "$out" {} \
	>"$out/build_lib.log" 2>&1 || ! ar rcs "$out/libzksh-fuzz.a" "$out"/obj/*.o 2>>"$out/build_lib.log"; then
	echo "Bail out! the sources did not build for fuzzing"
	sed 's/^/# /' "$out/build_lib.log" | tail -20
	exit 1
fi

n=0
for h in $harnesses; do
	n=$((n + 1))
	bin=$out/fuzz_$h
	# shellcheck disable=SC2086
	if ! clang $flags -o "$bin" "$src/tests/fuzz/fuzz_$h.c" "$out/libzksh-fuzz.a" $libs \
		>"$out/build_$h.log" 2>&1; then
		echo "not ok $n - fuzz_$h: build failed"
		sed 's/^/# /' "$out/build_$h.log" | tail -20
		continue
	fi
	corpus=$out/corpus_$h
	mkdir -p "$corpus"
	cp "$src/tests/fuzz/corpus/$h"/* "$corpus"/ 2>/dev/null
	if (cd "$out" && ASAN_OPTIONS=detect_leaks=1 "$bin" -max_total_time="$secs" -max_len=4096 \
		-artifact_prefix="$out/crash_${h}_" "$corpus" >"$out/run_$h.log" 2>&1); then
		runs=$(grep -o 'Done [0-9]* runs' "$out/run_$h.log" | tail -1)
		echo "ok $n - fuzz_$h: ${runs:-done}, no crash in ${secs}s"
	else
		echo "not ok $n - fuzz_$h: crash (inputs in $out)"
		grep -E 'ERROR|SUMMARY|==[0-9]+==' "$out/run_$h.log" | head -10 | sed 's/^/# /'
	fi
done
