#!/usr/bin/env bats
bats_require_minimum_version 1.5.0
# Batch mode: argv, -c, -f and stdin; results on stdout, errors on stderr
# with the script line; exit codes from DESIGN.md; --keep-going; --pipeline.

load helpers

setup_file() {
	zk_start 1
}

teardown_file() {
	zk_stop_all
}

@test "an unreachable server exits 3 within the timeout, with nothing on stdout" {
	# a port that accepts and never answers (a refused one fails at once:
	# faults.bats), served by a listener stopped below
	local errf portf lpid port
	errf=$(mktemp) portf=$(mktemp)
	python3 -c 'import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
print(s.getsockname()[1], flush=True); time.sleep(60)' >"$portf" &
	lpid=$!
	for _ in $(seq 1 50); do [ -s "$portf" ] && break; sleep 0.1; done
	port=$(cat "$portf")
	run bash -c "timeout 20 '$ZKSH' -server 127.0.0.1:$port -timeout 2000 ls / 2>$errf"
	kill "$lpid"
	assert_failure 3
	assert_output ""
	run cat "$errf"
	assert_output "Could not connect to 127.0.0.1:$port within 2000 ms"
	rm -f "$errf" "$portf"
}

@test "a server that is killed mid-session gives exit 3, not a hang" {
	local p; p=$(fresh_node)
	# a second single-server ensemble of our own that we can kill
	local saved_base=$ZK_BASE saved_connect=$ZK_CONNECT
	unset ZK_BASE
	zk_start 1
	local base=$ZK_BASE connect=$ZK_CONNECT
	run timeout 60 "$ZKSH" -server "$connect" -timeout 3000 -c "create /x; get /x"
	assert_success
	zk_kill 1
	run timeout 60 "$ZKSH" -server "$connect" -timeout 3000 get /x
	assert_failure 3
	zk_stop_all
	export ZK_BASE=$saved_base ZK_CONNECT=$saved_connect
	run zk exists "$p"
	assert_success
}

@test "zkCli style: zksh -server HOSTS CMD ARGS" {
	run "$ZKSH" -server "$ZK_CONNECT" create /argv-style data
	assert_success
	assert_output "Created /argv-style"
	run "$ZKSH" --server "$ZK_CONNECT" get /argv-style
	assert_output "data"
}

@test "ZKSH_SERVER is the default connect string" {
	run env ZKSH_SERVER="$ZK_CONNECT" "$ZKSH" ls /zookeeper
	assert_success
	assert_output "[config, quota]"
}

@test "-c runs ';'-separated commands in order" {
	local p; p=$(fresh_node)
	run zk -c "create $p/a 1; set $p/a 2; get $p/a"
	assert_success
	assert_output "Created $p/a
2"
}

@test "commands piped on stdin run as a script" {
	local p; p=$(fresh_node)
	run bash -c "printf 'create $p/s x\n# a comment\n\nget $p/s\n' | timeout 30 '$ZKSH' -server '$ZK_CONNECT'"
	assert_success
	assert_output "Created $p/s
x"
}

@test "the first failing command stops the run and names its line" {
	local p f; p=$(fresh_node); f=$(mktemp)
	printf 'create %s/1\nget %s/missing\ncreate %s/3\n' "$p" "$p" "$p" >"$f"
	zk_split -f "$f"
	assert_failure 1
	assert_output "Created $p/1"
	assert_equal "$stderr" "$f:2: Node does not exist: $p/missing"
	run zk exists "$p/3"
	assert_failure 1
	rm -f "$f"
}

@test "a 10,000-line -f script runs to the end" {
	local p f; p=$(fresh_node); f=$(mktemp)
	for i in $(seq 1 10000); do echo "create $p/n$i"; done >"$f"
	run zk -q -f "$f"
	assert_success
	run zk --json stat "$p"
	assert_equal "$(jq .stat.numChildren <<<"$output")" 10000
	rm -f "$f"
}

@test "an error on line 5,000 of 10,000 stops there and names line 5,000" {
	local p f; p=$(fresh_node); f=$(mktemp)
	for i in $(seq 1 10000); do
		if ((i == 5000)); then echo "delete $p/missing"; else echo "create $p/n$i"; fi
	done >"$f"
	zk_split -q -f "$f"
	assert_failure 1
	assert_equal "$stderr" "$f:5000: Node does not exist: $p/missing"
	run zk --json stat "$p"
	assert_equal "$(jq .stat.numChildren <<<"$output")" 4999
	run zk exists "$p/n5001"
	assert_failure 1
	rm -f "$f"
}

@test "--keep-going runs every line and exits 4 when some failed" {
	local p f; p=$(fresh_node); f=$(mktemp)
	printf 'create %s/a\ncreate %s/a\ncreate %s/b\n' "$p" "$p" "$p" >"$f"
	zk_split --keep-going -f "$f"
	assert_failure 4
	assert_equal "$stderr" "$f:2: Node already exists: $p/a"
	assert_output "Created $p/a
Created $p/b"
	rm -f "$f"
}

@test "quit in a script stops it with the last status" {
	local p; p=$(fresh_node)
	run zk -c "create $p/q; quit; create $p/never"
	assert_success
	run zk exists "$p/never"
	assert_failure 1
}

@test "--pipeline: 5,000 creates, parents before children, all applied in order" {
	local p f; p=$(fresh_node); f=$(mktemp)
	for i in $(seq 1 50); do
		echo "create $p/d$i"
		for j in $(seq 1 99); do echo "create $p/d$i/n$j v$j"; done
	done >"$f"
	run zk --pipeline=500 -q -f "$f"
	assert_success
	assert_output ""
	run zk --json stat "$p/d50"
	assert_equal "$(jq .stat.numChildren <<<"$output")" 99
	run zk get "$p/d50/n99"
	assert_output "v99"
	rm -f "$f"
}

@test "--pipeline: create then set then delete of one node keeps script order" {
	local p f; p=$(fresh_node); f=$(mktemp)
	for i in $(seq 1 200); do
		printf 'create %s/x%d a\nset %s/x%d b\nset -v 1 %s/x%d c\n' "$p" "$i" "$p" "$i" "$p" "$i"
	done >"$f"
	echo "delete $p/x1" >>"$f"
	run zk --pipeline=64 -q -f "$f"
	assert_success
	run zk get "$p/x200"
	assert_output "c"
	run zk exists "$p/x1"
	assert_failure 1
}

@test "--pipeline reports every failure with its line and exits 4" {
	local p f; p=$(fresh_node); f=$(mktemp)
	printf 'create %s/a\ncreate %s/a\ncreate %s/b\ncreate %s/b\ncreate %s/c\n' "$p" "$p" "$p" "$p" "$p" >"$f"
	zk_split --pipeline --keep-going -q -f "$f"
	assert_failure 4
	assert_equal "$stderr" "$f:2: Node already exists: $p/a
$f:4: Node already exists: $p/b"
	run zk ls "$p"
	assert_output "[a, b, c]"
	rm -f "$f"
}

@test "--pipeline without --keep-going stops reading after a failure" {
	local p f; p=$(fresh_node); f=$(mktemp)
	{ echo "create $p/a"; echo "create $p/a"; for i in $(seq 1 3000); do echo "get $p/a"; done; echo "create $p/last"; } >"$f"
	zk_split --pipeline -q -f "$f"
	assert_failure 4
	assert_output ""
	assert_equal "$(head -1 <<<"$stderr")" "$f:2: Node already exists: $p/a"
	run zk exists "$p/last"
	assert_failure 1
	rm -f "$f"
}

@test "-r connects read-only and reads work" {
	local p; p=$(fresh_node)
	run zk -r get "$p"
	assert_success
	assert_output "null"
}

@test "-waitforconnection is accepted in batch mode" {
	run zk -waitforconnection ls /zookeeper
	assert_success
	assert_output "[config, quota]"
}

@test "an unknown global option is a usage error (exit 2)" {
	run "$ZKSH" --frobnicate ls /
	assert_failure 2
	assert_output --partial "unknown option: --frobnicate"
}

@test "an unknown command exits 127" {
	run -127 zk frobnicate /
	assert_failure 127
	assert_output --partial "Command not found: frobnicate"
}

@test "-c, -f and a command together are refused" {
	run "$ZKSH" -c "ls /" ls /
	assert_failure 2
}

