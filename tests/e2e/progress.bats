#!/usr/bin/env bats
# The progress line of export, import, cp and deleteall (src/progress.c): on
# stderr only; plain lines with --progress when stderr is not a terminal;
# nothing at all without --progress when it is not, or with --no-progress.

load helpers

setup_file() {
	zk_start 1
}

teardown_file() {
	zk_stop_all
}

# 301 nodes under $1: 3 dirs of 99 leaves and $1 itself
make_tree() {
	{
		echo "create $1 top"
		for d in 0 1 2; do
			echo "create $1/d$d"
			for n in $(seq 0 98); do echo "create $1/d$d/n$n v$n"; done
		done
	} >"$BATS_TEST_TMPDIR/tree.zk"
	zk -q -f "$BATS_TEST_TMPDIR/tree.zk"
}

# No carriage return and no escape sequence: the --progress lines of a file are plain.
refute_terminal_codes() {
	run grep -c $'[\r\033]' "$1"
	assert_output 0
}

@test "export --progress writes plain progress lines on stderr and the same export on stdout" {
	local p
	p=$(fresh_node)
	make_tree "$p/src"
	zk export "$p/src" >"$BATS_TEST_TMPDIR/plain.jsonl" 2>"$BATS_TEST_TMPDIR/plain.err"
	zk --progress export "$p/src" >"$BATS_TEST_TMPDIR/prog.jsonl" 2>"$BATS_TEST_TMPDIR/prog.err"
	cmp "$BATS_TEST_TMPDIR/plain.jsonl" "$BATS_TEST_TMPDIR/prog.jsonl"
	run cat "$BATS_TEST_TMPDIR/plain.err"
	assert_output ""
	run cat "$BATS_TEST_TMPDIR/prog.err"
	assert_line --regexp '^export: 301 nodes, [0-9]+ nodes/s, [0-9]+\.[0-9] s, done$'
	refute_output --partial '{'
	refute_terminal_codes "$BATS_TEST_TMPDIR/prog.err"
}

@test "import --progress counts against the file's total; stdout is the usual summary" {
	local p
	p=$(fresh_node)
	make_tree "$p/src"
	zk export "$p/src" >"$BATS_TEST_TMPDIR/e.jsonl"
	zk_split --progress import "$BATS_TEST_TMPDIR/e.jsonl" "$p/a"
	assert_success
	assert_output "import: 301 nodes created, 0 updated, 0 skipped under $p/a"
	[[ $stderr =~ (^|$'\n')import:\ 301/301\ nodes\ \(100%\),\ [0-9]+\ nodes/s,\ [0-9.]+\ s,\ done($|$'\n') ]] ||
		fail "no final progress line in: $stderr"
	zk_split import "$BATS_TEST_TMPDIR/e.jsonl" "$p/b"
	assert_success
	assert_output "import: 301 nodes created, 0 updated, 0 skipped under $p/b"
	assert_equal "$stderr" ""
}

@test "deleteall --progress shows the deletes (batch mode reads no count first); without it stderr stays empty" {
	local p
	p=$(fresh_node)
	make_tree "$p/a"
	make_tree "$p/b"
	zk_split --progress deleteall "$p/a"
	assert_success
	assert_output ""
	[[ $stderr =~ deleteall:\ 301\ nodes,\ [0-9]+\ nodes/s,\ .*done ]] ||
		fail "no delete line: $stderr"
	[[ $stderr != *"counting"* ]] || fail "batch mode counted first: $stderr"
	[[ $stderr != *$'\r'* ]] || fail "a carriage return in a file: $stderr"
	zk_split deleteall "$p/b"
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	run zk ls "$p"
	assert_output "[]"
}

@test "cp --progress shows reading and writing; --no-progress after --progress turns it off" {
	local p
	p=$(fresh_node)
	make_tree "$p/src"
	zk_split --progress cp -r "$p/src" "$p/dst"
	assert_success
	assert_output --partial "cp: 301 nodes created"
	[[ $stderr == *"cp (reading): 301 nodes, "* ]] || fail "no reading line: $stderr"
	[[ $stderr == *"cp: 301/301 nodes (100%), "* ]] || fail "no writing line: $stderr"
	zk_split --progress --no-progress cp -r "$p/src" "$p/dst2"
	assert_success
	assert_output --partial "cp: 301 nodes created"
	assert_equal "$stderr" ""
}

@test "--progress in -c mode: JSON on stdout stays one clean document per command" {
	local p
	p=$(fresh_node)
	make_tree "$p/a"
	zk_split --progress --json -c "deleteall $p/a"
	assert_success
	run jq -e '.deleted == 301' <<<"$output"
	assert_success
	[[ $stderr == *"deleteall: 301 nodes, "* ]] || fail "no progress line: $stderr"
}
