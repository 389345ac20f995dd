#!/usr/bin/env bats
# Batch runs you can trust (issue 7): ';' inside data, failed writes to
# stdout, unreadable scripts, Ctrl-C, the position in error messages, and
# the small things a new user trips over. Against one real server.

load helpers

setup_file() {
	zk_start 1
}

teardown_file() {
	zk_stop_all
}

JDBC='jdbc:mysql://db/x?a=1;b=2'

# ---- ';' is data unless a blank or the end of the line follows it -------------

@test "an unquoted ';' inside a word is data: the whole JDBC URL is stored (argv, -c, -f)" {
	local p f; p=$(fresh_node); f=$(mktemp)
	zk create "$p/argv" >/dev/null
	zk create "$p/c" >/dev/null
	zk create "$p/f" >/dev/null
	# argv: the word reaches set as the shell passed it
	run zk set "$p/argv" "$JDBC"
	assert_success
	run zk get "$p/argv"
	assert_output "$JDBC"
	# -c and -f: through zksh's own lexer, unquoted
	zk_split -c "set $p/c $JDBC"
	assert_success
	assert_equal "$stderr" ""
	run zk get "$p/c"
	assert_output "$JDBC"
	echo "set $p/f $JDBC" >"$f"
	zk_split -f "$f"
	assert_success
	assert_equal "$stderr" ""
	run zk get "$p/f"
	assert_output "$JDBC"
	rm -f "$f"
}

@test "'; ' still separates commands: -c 'create /a x; get /a'" {
	local p; p=$(fresh_node)
	run zk -c "create $p/a x; get $p/a"
	assert_success
	assert_output "Created $p/a
x"
	# a ';' at the end of the line ends the command too
	run zk -c "get $p/a;"
	assert_success
	assert_output "x"
}

# ---- failed writes to stdout ----------------------------------------------------

@test "get > /dev/full reports the write error and exits 5" {
	local p; p=$(fresh_node)
	zk create "$p/app" hello >/dev/null
	run bash -c 'timeout 60 "$ZKSH" -server "$ZK_CONNECT" get "$1" >/dev/full' _ "$p/app"
	assert_failure 5
	assert_output "zksh: write error: No space left on device"
}

@test "--json ls -R and ls -R of a big tree > /dev/full exit 5 with one message" {
	local p f; p=$(fresh_node); f=$(mktemp)
	{
		echo "create $p/big"
		printf "create $p/big/node-with-a-longish-name-%d\n" $(seq 1 3000)
	} >"$f"
	zk -q --pipeline -f "$f"
	run bash -c 'timeout 60 "$ZKSH" -server "$ZK_CONNECT" --json ls -R "$1" >/dev/full' _ "$p/big"
	assert_failure 5
	assert_output "zksh: write error: No space left on device"
	# text: the walk stops at the write error; the one message is the write error
	run bash -c 'timeout 60 "$ZKSH" -server "$ZK_CONNECT" ls -R "$1" >/dev/full' _ "$p/big"
	assert_failure 5
	assert_output "zksh: write error: No space left on device"
	# in a script: the run stops there, even with --keep-going
	printf 'ls -R %s\ncreate %s/after\n' "$p/big" "$p" >"$f"
	run bash -c 'timeout 60 "$ZKSH" -server "$ZK_CONNECT" -k -f "$2" >/dev/full' _ "$p" "$f"
	assert_failure 5
	assert_output "zksh: write error: No space left on device"
	run zk exists "$p/after"
	assert_failure 1
	rm -f "$f"
}

@test "a closed pipe is a quiet stop: no message (SIGPIPE, or EPIPE when it is ignored)" {
	local p f; p=$(fresh_node); f=$(mktemp)
	{
		echo "create $p/wide"
		printf "create $p/wide/node-with-a-longish-name-%d\n" $(seq 1 5000)
	} >"$f"
	zk -q --pipeline -f "$f"
	# more than a pipe buffer of output, read one line of it
	run bash -c 'timeout 60 "$ZKSH" -server "$ZK_CONNECT" ls -R "$1" 2>"$2" | head -1
		echo "status ${PIPESTATUS[0]}"' _ "$p/wide" "$f.err"
	assert_line --index 0 "$p/wide"
	assert_line --index 1 "status 141"
	assert_equal "$(cat "$f.err")" ""
	# started with SIGPIPE ignored (as some supervisors do): EPIPE, still quiet, exit 5
	run bash -c 'trap "" PIPE; timeout 60 "$ZKSH" -server "$ZK_CONNECT" ls -R "$1" 2>"$2" | head -1
		echo "status ${PIPESTATUS[0]}"' _ "$p/wide" "$f.err"
	assert_line --index 0 "$p/wide"
	assert_line --index 1 "status 5"
	assert_equal "$(cat "$f.err")" ""
	rm -f "$f" "$f.err"
}

# ---- script read errors -----------------------------------------------------------

@test "-f on a directory says cannot read ... Is a directory and exits 5" {
	zk_split -f /tmp
	assert_failure 5
	assert_equal "$stderr" "zksh: cannot read /tmp: Is a directory"
}

@test "a directory on stdin says cannot read standard input and exits 5" {
	run bash -c 'timeout 60 "$ZKSH" -server "$ZK_CONNECT" </'
	assert_failure 5
	assert_output "zksh: cannot read standard input: Is a directory"
}

@test "a script line zksh cannot allocate is a read error (exit 5), not the end of input" {
	# ASan reserves terabytes of address space: ulimit -v cannot apply to it
	if ldd "$ZKSH" 2>/dev/null | grep -q 'libasan\|libubsan'; then
		skip "a sanitizer build cannot run under ulimit -v"
	fi
	local p; p=$(fresh_node)
	# the first line runs, then a 200 MB line in 150 MB of address space
	run bash -c 'ulimit -v 150000
		{ echo "create $1/first"; head -c 200000000 /dev/zero | tr "\0" a; } |
		timeout 60 "$ZKSH" -server "$ZK_CONNECT"' _ "$p"
	assert_failure 5
	assert_line "Created $p/first"
	assert_line "zksh: cannot read standard input: Cannot allocate memory"
}

# ---- Ctrl-C in batch mode -----------------------------------------------------------

@test "SIGINT in batch mode names the line it stopped at and exits 130; later lines do not run" {
	local p fifo out pid i; p=$(fresh_node)
	fifo="$BATS_TEST_TMPDIR/script.zk"
	out="$BATS_TEST_TMPDIR/out"
	mkfifo "$fifo"
	timeout 60 "$ZKSH" -server "$ZK_CONNECT" -f "$fifo" >"$out" 2>&1 &
	pid=$!
	exec 7>"$fifo"
	printf 'create %s/1\ncreate %s/2\n' "$p" "$p" >&7
	for ((i = 0; i < 300; i++)); do
		zk exists "$p/2" >/dev/null 2>&1 && break
		sleep 0.1
	done
	# timeout(1) is $pid; zksh is its child
	kill -INT "$(pgrep -P "$pid")"
	sleep 0.5
	printf 'create %s/3\n' "$p" >&7
	exec 7>&-
	local rc=0
	wait "$pid" || rc=$?
	assert_equal "$rc" 130
	run cat "$out"
	assert_output "Created $p/1
Created $p/2
$fifo:2: interrupted"
	run zk exists "$p/3"
	assert_failure 1
}

# ---- positions, suggestions, wording --------------------------------------------------

@test "-c errors carry the command's position (-c:3:), not always -c:1:" {
	local p; p=$(fresh_node)
	zk_split -c "create $p/a; get $p/a; get $p/missing"
	assert_failure 1
	assert_equal "$stderr" "-c:3: Node does not exist: $p/missing"
	zk_split -c "create $p/b; create $p/b"
	assert_failure 1
	assert_equal "$stderr" "-c:2: Node already exists: $p/b"
	zk_split --json -c "get $p/a; get $p/missing"
	assert_equal "$(jq -r .error.source <<<"$stderr"):$(jq .error.line <<<"$stderr")" "-c:2"
}

@test "in a -f script every command of a line carries that line's number" {
	local p f; p=$(fresh_node); f=$(mktemp)
	printf 'create %s/a\nget %s/a; get %s/missing\n' "$p" "$p" "$p" >"$f"
	zk_split -f "$f"
	assert_failure 1
	assert_equal "$stderr" "$f:2: Node does not exist: $p/missing"
	rm -f "$f"
}

@test "an unknown command within two edits gets a did-you-mean; others do not" {
	zk_split gte /
	assert_failure 127
	assert_equal "$stderr" 'Command not found: gte (did you mean `get`?)'
	zk_split getacl /
	assert_equal "$stderr" 'Command not found: getacl (did you mean `getAcl`?)'
	zk_split deletall /x
	assert_equal "$stderr" 'Command not found: deletall (did you mean `deleteall`?)'
	zk_split frobnicate
	assert_failure 127
	assert_equal "$stderr" "Command not found: frobnicate (try: help)"
	zk_split -c "help sl"
	assert_failure 127
	assert_equal "$stderr" '-c:1: Command not found: sl (did you mean `ls`?)'
}

@test "one unreadable node is counted as 1 node, not 1 nodes" {
	local p; p=$(fresh_node)
	zk create "$p/open" >/dev/null
	zk create "$p/closed" x "world:anyone:c" >/dev/null
	zk_split ls -R "$p"
	assert_failure 4
	assert_equal "$stderr" "ls -R: 1 node could not be read; first: Insufficient permission : $p/closed"
}

@test "help output has no trailing blanks (zksh help, help CMD, usage lines)" {
	run "$ZKSH" help
	assert_success
	refute_output --regexp ' $'
	local c
	for c in $("$ZKSH" help | awk '/^\t/ { print $1 }'); do
		run "$ZKSH" help "$c"
		assert_success
		refute_output --regexp ' $'
	done
	run "$ZKSH" pwd extra
	assert_failure 2
	assert_line "usage: pwd"
}

@test "--pipeline=0 is refused naming the option as typed" {
	run "$ZKSH" --pipeline=0 ls /
	assert_failure 2
	assert_output "zksh: --pipeline wants a number from 1 to 100000, not '0'"
	run "$ZKSH" --timeout soon ls /
	assert_failure 2
	assert_output "zksh: --timeout wants a number from 1 to 3600000, not 'soon'"
	run "$ZKSH" -timeout
	assert_failure 2
	assert_output "zksh: option -timeout needs a value"
}

# ---- the quick start -------------------------------------------------------------------

@test "quickstart.sh says what each phase does, then how to leave, before zksh opens" {
	local src=${ZKSH_SRCDIR:-$BATS_TEST_DIRNAME/../..}
	# only where build.sh is a no-op: the tree built by build.sh itself
	[[ $(readlink -f "$ZKSH") == $(readlink -f "$src/zksh") ]] ||
		skip "ZKSH is not the source tree's build"
	[[ $("$src/config.status" --config 2>/dev/null | tr -d "'") == "--enable-werror" ]] ||
		skip "the tree is configured otherwise: build.sh would rebuild it"
	# never install anything from a test: a missing package makes apt-get fail
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	printf '#!/bin/sh\nexit 1\n' >"$BATS_TEST_TMPDIR/bin/apt-get"
	printf '#!/bin/sh\nexit 1\n' >"$BATS_TEST_TMPDIR/bin/sudo"
	chmod +x "$BATS_TEST_TMPDIR/bin/apt-get" "$BATS_TEST_TMPDIR/bin/sudo"
	run bash -c 'echo quit | PATH="$1:$PATH" timeout 180 "$2/scripts/quickstart.sh" 2>&1' \
		_ "$BATS_TEST_TMPDIR/bin" "$src"
	if grep -q "installing Debian packages" <<<"$output"; then
		skip "packages are missing here: $output"
	fi
	assert_success
	assert_line --index 0 --partial "quickstart: checking the Debian packages"
	assert_line --index 1 "quickstart: building zksh (about a minute the first time)..."
	assert_line --index 2 "quickstart: built $src/zksh"
	assert_line --index 3 --partial "quickstart: starting a throwaway ZooKeeper on 127.0.0.1"
	assert_line --index 4 --regexp '^quickstart: ZooKeeper is running on 127\.0\.0\.1:[0-9]+ '
	assert_line --index 5 "quickstart: opening zksh: type quit or press Ctrl-D to leave; help lists the commands"
	assert_equal "${#lines[@]}" 6
}
