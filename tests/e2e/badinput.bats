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

# zksh against a port where nothing listens, with a long timeout: a usage
# error must come before zksh needs the server (exit 2, not 3).
dead() {
	timeout 60 "$ZKSH" -server 127.0.0.1:1 -timeout 20000 "$@"
}

@test "a bad ACL is a usage error before connecting (setAcl and create, exit 2)" {
	run dead setAcl /a world:anyone:cdrwa,
	assert_failure 2
	assert_output --partial "malformed ACL 'world:anyone:cdrwa,'"
	run dead create /a x world:anyone:rwz
	assert_failure 2
	assert_output --partial "malformed ACL"
	refute_output --partial "connect"
}

@test "bad numbers and versions are usage errors before connecting (exit 2)" {
	run dead setquota -B 18446744073709551616 /
	assert_failure 2
	assert_output "setquota: -B wants a number, not '18446744073709551616'"
	run dead set -v x /a d
	assert_failure 2
	assert_output "set: version must be an integer, not 'x'"
	run dead delete -v 1.5 /a
	assert_failure 2
	assert_output "delete: version must be an integer, not '1.5'"
	run dead setAcl -v z /a world:anyone:r
	assert_failure 2
	assert_output "setAcl: version must be an integer, not 'z'"
	run dead deleteall -b 0 /a
	assert_failure 2
	assert_output --partial "deleteall: -b wants a batch size"
	run dead watch -n 0 /a
	assert_failure 2
	assert_output --partial "watch: -n wants a positive count"
}

@test "a bad quota spec is a usage error before connecting (exit 2)" {
	run dead setquota /a
	assert_failure 2
	assert_output "setquota: give one of -n, -b, -N, -B"
	run dead setquota -n 0 /a
	assert_failure 2
	assert_output "the num quota must be greater than zero"
	run dead setquota -n 5 /
	assert_failure 2
	assert_output "setquota: the root node / cannot have a quota"
	run dead delquota -n -b /a
	assert_failure 2
	assert_output "delquota: give only one of -n, -b, -N, -B"
}

@test "create -t with a bad ttl is a usage error before connecting (exit 2)" {
	run dead create -t soon /a
	assert_failure 2
	assert_output "-t argument must be a long value"
	run dead create -t 0 /a
	assert_failure 2
	assert_output --partial "ttl must be positive"
	run dead create -e -t 100 /a
	assert_failure 2
	assert_output "TTLs cannot be used with Ephemeral znodes"
}

@test "bad reconfig arguments and server strings are usage errors before connecting (exit 2)" {
	run dead reconfig
	assert_failure 2
	assert_output "reconfig: give -add and/or -remove, or -members, or -file"
	run dead reconfig -add "server.x=127.0.0.1:1:2;3"
	assert_failure 2
	assert_output --partial "reconfig: -add: 'server.x=127.0.0.1:1:2;3' is not of the form server.<id>="
	run dead reconfig -add "server.4=127.0.0.1:2:99999;4"
	assert_failure 2
	assert_output --partial "is not of the form"
	run dead reconfig -add "server.4=127.0.0.1:2:3:leader;4"
	assert_failure 2
	run dead reconfig -members "server.1=127.0.0.1:2:3;4,server.2=127.0.0.1:5"
	assert_failure 2
	assert_output --partial "'server.2=127.0.0.1:5' is not of the form"
	run dead reconfig -remove 3,abc
	assert_failure 2
	assert_output "reconfig: -remove: 'abc' is not a server id"
	run dead reconfig -v xyz -remove 3
	assert_failure 2
}

@test "addWatch -m and removewatches flags are checked before connecting (exit 2)" {
	run dead addWatch -m SOMETIMES /a
	assert_failure 2
	assert_output --partial "addWatch: -m is PERSISTENT or PERSISTENT_RECURSIVE"
	run dead removewatches -c -d /a
	assert_failure 2
	assert_output "removewatches: give only one of -c, -d, -a"
}

@test "a well-formed command against the dead server still fails to connect (exit 3)" {
	run timeout 60 "$ZKSH" -server 127.0.0.1:1 -timeout 1000 reconfig -remove 3
	assert_failure 3
}

@test "a script line with bad syntax is a usage error with its line even when no server answers" {
	run dead -c 'setquota /a'
	assert_failure 2
	assert_output "-c:1: setquota: give one of -n, -b, -N, -B"
}

@test "a bad script line fails as a usage error after the writes before it are applied" {
	local f="$BATS_TEST_TMPDIR/script"
	{
		echo "create /pre"
		for i in $(seq 1 50); do echo "create /pre/n$i"; done
		echo "setAcl /pre world:anyone:cdrwa,"
		echo "create /pre/after"
	} >"$f"
	run zk -q -f "$f"
	assert_failure 2
	assert_output "$f:52: malformed ACL 'world:anyone:cdrwa,': empty entry"
	run zk getAllChildrenNumber /pre
	assert_output "50"
	zk deleteall /pre
	# pipelined: the writes in flight are answered first; a run that
	# failed partway exits 4, as every --pipeline run does
	run zk --pipeline -q -f "$f"
	assert_failure 4
	assert_output "$f:52: malformed ACL 'world:anyone:cdrwa,': empty entry"
	run zk getAllChildrenNumber /pre
	assert_output "50"
	run zk exists /pre/after
	assert_failure 1
	zk deleteall /pre
}

@test "a TTL create refused by a server without extended types explains extendedTypesEnabled" {
	run zk create -t 5000 /ttlnode x
	assert_failure 1
	assert_output --partial "KeeperErrorCode = Unimplemented for /ttlnode"
	assert_output --partial "extendedTypesEnabled=true"
	run zk --pipeline -c 'create -t 5000 /ttlnode x'
	assert_failure 1
	assert_output --partial "extendedTypesEnabled"
	run zk exists /ttlnode
	assert_failure 1
}

# The jute size of an ACL list "scheme:id:perms,...": a count, then per
# entry an int (perms) and two strings (4-byte length + bytes each).
jute_acl_size() {
	local n=4 e scheme id rest
	IFS=, read -ra entries <<<"$1"
	for e in "${entries[@]}"; do
		scheme=${e%%:*}
		rest=${e#*:}
		id=${rest%:*}
		n=$((n + 4 + 4 + ${#scheme} + 4 + ${#id}))
	done
	echo "$n"
}

# A script of one line: WORDS DATA [ACL] with DATA n bytes of 'd'.
data_line() {
	local out=$1 cmd=$2 path=$3 n=$4 acl=${5:-}
	{
		printf '%s %s ' "$cmd" "$path"
		head -c "$n" /dev/zero | tr '\0' 'd'
		[[ -z $acl ]] || printf ' %s' "$acl"
		echo
	} >"$out"
}

@test "the size guard counts the whole request: the largest create and set pass, one byte more is refused (exit 2)" {
	local acl="world:anyone:cdrwa,ip:127.0.0.1:cdrwa,digest:user1:+owfoSBn/am19roBPzR1/MfCblE=:r"
	local leaf; leaf=$(printf 'p%.0s' $(seq 1 300))
	local p="/size-guard/$leaf" q="/size-guard/${leaf%p}q"
	zk create /size-guard >/dev/null
	# CreateRequest: header (8), path, data (4 + n), ACL list, flags (4)
	local create_max=$((1048575 - 8 - (4 + ${#p}) - 4 - $(jute_acl_size "$acl") - 4))
	data_line "$BATS_TEST_TMPDIR/c1" create "$q" $((create_max + 1)) "$acl"
	run zk -f "$BATS_TEST_TMPDIR/c1"
	assert_failure 2
	assert_output --partial "create: data is $((create_max + 1)) bytes, over the server's limit of 1048575 bytes"
	assert_output --partial "the request is 1048576 bytes"
	run zk exists "$q"
	assert_failure 1
	data_line "$BATS_TEST_TMPDIR/c0" create "$p" "$create_max" "$acl"
	run zk -f "$BATS_TEST_TMPDIR/c0"
	assert_success
	run zk --json stat "$p"
	assert_equal "$(jq .stat.dataLength <<<"$output")" "$create_max"
	run zk getAcl "$p"
	assert_line "'ip,'127.0.0.1"
	# SetDataRequest: header (8), path, data (4 + n), version (4)
	local set_max=$((1048575 - 8 - (4 + ${#p}) - 4 - 4))
	data_line "$BATS_TEST_TMPDIR/s1" set "$p" $((set_max + 1))
	run zk -f "$BATS_TEST_TMPDIR/s1"
	assert_failure 2
	assert_output --partial "set: data is $((set_max + 1)) bytes, over the server's limit of 1048575 bytes"
	data_line "$BATS_TEST_TMPDIR/s0" set "$p" "$set_max"
	run zk -f "$BATS_TEST_TMPDIR/s0"
	assert_success
	run zk --json stat "$p"
	assert_equal "$(jq .stat.dataLength <<<"$output")" "$set_max"
	zk deleteall /size-guard
}

@test "the size guard is exact: let one byte more through and the server drops the connection" {
	local p="/exact-guard"
	# header 8, path 4+12, data 4+n, ACL world:anyone (4 + 4+4+5+4+6), flags 4
	local create_max=$((1048575 - 8 - 16 - 4 - 27 - 4))
	data_line "$BATS_TEST_TMPDIR/c1" create "$p" $((create_max + 1))
	run zk --max-data 1048576 -timeout 5000 -f "$BATS_TEST_TMPDIR/c1"
	assert_failure 3
	run zk exists "$p"
	assert_failure 1
}
