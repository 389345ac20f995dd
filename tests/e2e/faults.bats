#!/usr/bin/env bats
# Faults: servers that refuse, freeze or die, connect strings that cannot
# work, paths longer than a fixed buffer. Every run has a deadline (timeout),
# and a frozen server is thawed in teardown whatever happened.

load helpers

setup_file() {
	zk_start 1
}

teardown_file() {
	zk_stop_all
}

# ---- connecting ------------------------------------------------------------

@test "refused on every address before a session: exit 3 at once, naming the addresses" {
	run timeout 10 "$ZKSH" -server 127.0.0.1:1,127.0.0.1:2 -timeout 30000 ls /
	assert_failure 3
	assert_output --partial "127.0.0.1:1 (connection refused)"
	assert_output --partial "127.0.0.1:2 (connection refused)"
}

@test "one refusing address among live ones is not fatal" {
	run timeout 60 "$ZKSH" -server "127.0.0.1:1,$ZK_CONNECT" -timeout 30000 ls /zookeeper
	assert_success
	assert_output --partial "config"
}

@test "a host without a port means port 2181" {
	if ss -ltn 2>/dev/null | grep -q ':2181 '; then
		skip "something listens on 2181 here"
	fi
	run timeout 10 "$ZKSH" -server 127.0.0.1 -timeout 30000 ls /
	assert_failure 3
	assert_output --partial "127.0.0.1:2181 (connection refused)"
}

@test "a port out of range is a usage error (exit 2), no connecting" {
	run timeout 10 "$ZKSH" -server 127.0.0.1:99999 ls /
	assert_failure 2
	assert_output --partial "port '99999' of '127.0.0.1:99999' is not a number in 1..65535"
}

@test "a chroot without a host is a usage error (exit 2)" {
	run timeout 10 "$ZKSH" -server /chroot ls /
	assert_failure 2
	assert_output --partial "no host before the chroot '/chroot'"
}

@test "an unresolvable name says it cannot be resolved (exit 3)" {
	run timeout 20 "$ZKSH" -server nosuch-host.invalid:2181 ls /
	assert_failure 3
	assert_output --partial "cannot be resolved: nosuch-host.invalid:2181"
	refute_output --partial "Invalid connect string"
}

@test "a missing chroot says the chroot does not exist (exit 3)" {
	run timeout 20 "$ZKSH" -server "$ZK_CONNECT/no-such-chroot" -timeout 5000 ls /
	assert_failure 3
	assert_output --partial "The chroot /no-such-chroot does not exist"
	zk create /chroot-ok >/dev/null
	run timeout 20 "$ZKSH" -server "$ZK_CONNECT/chroot-ok" -timeout 5000 create /inside x
	assert_success
	run zk get /chroot-ok/inside
	assert_output "x"
}

@test "connect with a bad connect string is a usage error and keeps the session" {
	run zk -k -c 'create /keep-conn k; connect 127.0.0.1:99999; get /keep-conn'
	assert_failure
	assert_output --partial "connect: port '99999'"
	assert_output --partial "k"
}

@test "a bare connect opens a new session to the same servers" {
	run zk -c 'create -e /bare-connect e; connect ; ls /'
	assert_success
	# the ephemeral node went with the old session
	refute_line --regexp '^\[.*bare-connect'
	assert_line --regexp '^\[.*zookeeper'
}

@test "after a refused addauth every command says the session is gone, once, and suggests connect" {
	run zk -k -c 'addauth nosuchscheme x; ls /; get /zookeeper; connect ; ls /zookeeper'
	assert_failure
	assert_output --partial "addauth: the server refused the nosuchscheme credentials"
	n=$(grep -c "the server closed the session when authentication failed; use connect" <<<"$output")
	assert_equal "$n" 2
	refute_output --partial "InvalidState"
	refute_output --regexp "AuthFailed.*AuthFailed"
	# connect recovered
	assert_output --partial "config"
}

# ---- paths longer than 4 KiB -------------------------------------------------

# A chain of 22 nodes with 200-byte names under $1: the full path passes
# 4,096 bytes. zksh's own path arguments stop at 4,095 bytes, so each level
# is created through a chroot that holds the path so far.
long_chain() {
	local base=$1 name prefix i
	name=$(printf 'n%.0s' {1..199})
	prefix=$base
	for i in $(seq -w 1 22); do
		timeout 30 "$ZKSH" -server "$ZK_CONNECT$prefix" -timeout 10000 create "/$i$name" >/dev/null || return 1
		prefix="$prefix/$i$name"
	done
	echo "$prefix"
}

@test "a chain of nodes past 4 KiB: ls -R, getAllChildrenNumber and deleteall see every node" {
	zk create /long >/dev/null
	deepest=$(long_chain /long)
	[ "${#deepest}" -gt 4096 ]
	run zk ls -R /long
	assert_success
	assert_equal "${#lines[@]}" 23
	assert_equal "${lines[22]}" "$deepest"
	run zk getAllChildrenNumber /long
	assert_success
	assert_output "22"
	run zk deleteall /long
	assert_success
	run zk ls /long
	assert_failure 1
	assert_output --partial "Node does not exist: /long"
}
