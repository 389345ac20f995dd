#!/usr/bin/env bats
# Bad input: a clear message, the documented exit code, nothing half-done,
# never a crash or a hang.

load helpers

setup_file() {
	zk_start 1
}

teardown_file() {
	zk_stop_all
}

@test "a path ending in / is refused with zkCli's message (exit 2)" {
	run zk ls /zookeeper/
	assert_failure 2
	assert_output "Path must not end with / character"
}

@test "an empty node name is refused (exit 2)" {
	run zk create //a
	assert_failure 2
	assert_output --partial 'Invalid path string "//a" caused by empty node name specified'
}

@test "'.' and '..' inside an absolute path are refused (exit 2)" {
	run zk get /a/./b
	assert_failure 2
	assert_output --partial "relative paths not allowed"
	run zk get /a/../b
	assert_failure 2
}

@test "a control character in a path is refused (exit 2), nothing created" {
	run zk create "$(printf '/bad\001name')"
	assert_failure 2
	assert_output --partial "invalid character"
	run zk ls /
	refute_output --partial "bad"
}

@test "invalid UTF-8 in a path is refused (exit 2)" {
	run zk create "$(printf '/bad\xffname')"
	assert_failure 2
	assert_output --partial "invalid UTF-8"
}

@test "a bad path is a usage error even when no server answers" {
	run timeout 20 "$ZKSH" -server 127.0.0.1:1 -timeout 10000 ls /a/
	assert_failure 2
}

@test "an unbalanced quote is a usage error naming it (exit 2), nothing run" {
	run zk -c 'create /quoted "abc'
	assert_failure 2
	assert_output --partial "unbalanced double quote"
	run zk exists /quoted
	assert_failure 1
	run zk -c "create /quoted 'abc"
	assert_failure 2
	assert_output --partial "unbalanced single quote"
}

@test "an unknown flag is a usage error with the usage line (exit 2)" {
	run zk ls -Z /
	assert_failure 2
	assert_line --index 0 "ls: unknown option: -Z"
	assert_line --index 1 "usage: ls [-s] [-w] [-R] path"
}

@test "wrong argument counts are usage errors (exit 2)" {
	run zk get
	assert_failure 2
	assert_line --index 0 "get: missing argument"
	run zk get /a /b
	assert_failure 2
	assert_line --index 0 "get: too many arguments"
	run zk set /zookeeper
	assert_failure 2
}

@test "a flag that needs a value without one is a usage error" {
	run zk set /x data -v
	assert_failure 2
	assert_output --partial "option -v needs a value"
	run zk set -v abc /x data
	assert_failure 2
	assert_output --partial "version must be an integer"
}

@test "data over the server's 1 MB limit is refused before sending (exit 2)" {
	local f; f=$(mktemp)
	{ printf 'create /big '; head -c 1048576 /dev/zero | tr '\0' 'x'; echo; } >"$f"
	run bash -c "timeout 30 '$ZKSH' -server '$ZK_CONNECT' <'$f'"
	assert_failure 2
	assert_output --partial "<stdin>:1: create: data is 1048576 bytes, over the server's limit of 1048575 bytes"
	run zk exists /big
	assert_failure 1
	rm -f "$f"
}

@test "a 1 MB script line is read whole; data just under the limit is stored" {
	local f; f=$(mktemp)
	{ printf 'create /nearly-1mb '; head -c 1000000 /dev/zero | tr '\0' 'y'; printf '\n'; } >"$f"
	run zk -f "$f"
	assert_success
	run zk --json stat /nearly-1mb
	assert_equal "$(jq .stat.dataLength <<<"$output")" 1000000
	run bash -c "timeout 30 '$ZKSH' -server '$ZK_CONNECT' get /nearly-1mb | wc -c"
	assert_output "1000001"
	rm -f "$f"
}

@test "a 1.2 MB script line is refused with exit 2 and its line number" {
	local f; f=$(mktemp)
	{ echo "create /before"; printf 'create /toolarge '; head -c 1200000 /dev/zero | tr '\0' 'z'; printf '\n'; echo "create /after"; } >"$f"
	run zk -f "$f"
	assert_failure 2
	assert_output --partial "$f:2: create: data is 1200000 bytes"
	run zk exists /toolarge
	assert_failure 1
	run zk exists /after
	assert_failure 1
	zk delete /before
}

@test "-b data that is not base64 is a usage error (exit 2)" {
	run zk create -b /b64 'not base64!'
	assert_failure 2
	assert_output --partial "-b data is not valid base64"
	run zk exists /b64
	assert_failure 1
}

@test "invalid UTF-8 data is stored byte for byte and shown as base64 in JSON" {
	run zk create /latin1 "$(printf 'caf\xe9')"
	assert_success
	run bash -c "timeout 30 '$ZKSH' -server '$ZK_CONNECT' get /latin1 | od -An -tx1 | tr -d ' \n'"
	assert_output "636166e90a"
	run zk --json get /latin1
	assert_equal "$(jq -r .data_base64 <<<"$output")" "Y2Fm6Q=="
}

@test "an empty script does nothing and exits 0" {
	local f; f=$(mktemp)
	run zk -f "$f"
	assert_success
	assert_output ""
	run zk -c ""
	assert_success
	run bash -c "timeout 30 '$ZKSH' -server '$ZK_CONNECT' </dev/null"
	assert_success
	assert_output ""
	rm -f "$f"
}

@test "a script file that does not exist cannot be read: exit 5 (local I/O, DESIGN.md)" {
	run zk -f /nonexistent/script
	assert_failure 5
	assert_output --partial "cannot open /nonexistent/script"
}

@test "a bad -timeout is a usage error" {
	run "$ZKSH" -timeout soon ls /
	assert_failure 2
	assert_output --partial "-timeout wants a number"
}
