#!/usr/bin/env bats
# Quotas: stored as ZooKeeper 3.8 stores them, so zkCli.sh and zksh list each
# other's quotas identically; zkCli's validations and messages.

load helpers

setup_file() {
	zk_start 1
}

teardown_file() {
	zk_stop_all
}

# zkCli's listquota lines: stdout only (it says "absolute path is" on stderr).
cli_listquota() {
	zk_cli listquota "$1" 2>/dev/null
}

@test "setquota -n stores zkCli's format under /zookeeper/quota and listquota prints it" {
	local p; p=$(fresh_node)
	zk -c "create $p/a; create $p/a/b" >/dev/null
	run zk setquota -n 10 "$p"
	assert_success
	assert_output ""
	run zk get "/zookeeper/quota$p/zookeeper_limits"
	assert_output "count=10,bytes=-1=;byteHardLimit=-1;countHardLimit=-1"
	run zk listquota "$p"
	assert_success
	assert_output "$(printf 'Output quota for %s count=10,bytes=-1=;byteHardLimit=-1;countHardLimit=-1\nOutput stat for %s count=3,bytes=0' "$p" "$p")"
}

@test "a quota set by zksh is listed identically by zkCli.sh" {
	local p; p=$(fresh_node)
	zk create "$p/x" 12345 >/dev/null
	zk setquota -b 1000 "$p"
	zk setquota -N 7 "$p"
	run zk listquota "$p"
	assert_success
	local ours=$output
	run cli_listquota "$p"
	assert_equal "$output" "$ours"
	assert_line --index 0 "Output quota for $p count=-1,bytes=1000=;byteHardLimit=-1;countHardLimit=7"
	assert_line --index 1 "Output stat for $p count=2,bytes=5"
}

@test "a quota set by zkCli.sh is listed identically by zksh" {
	local p; p=$(fresh_node)
	zk_cli setquota -B 4096 "$p" >/dev/null 2>&1
	zk_cli setquota -n 3 "$p" >/dev/null 2>&1
	run cli_listquota "$p"
	local theirs=$output
	assert_line --index 0 "Output quota for $p count=3,bytes=-1=;byteHardLimit=4096;countHardLimit=-1"
	run zk listquota "$p"
	assert_success
	assert_equal "$output" "$theirs"
}

@test "a quota in the old count=,bytes= form is read and kept in that form" {
	local p; p=$(fresh_node)
	zk create "/zookeeper/quota$p" >/dev/null
	zk create "/zookeeper/quota$p/zookeeper_limits" "count=5,bytes=-1" >/dev/null
	zk create "/zookeeper/quota$p/zookeeper_stats" "count=0,bytes=0" >/dev/null
	run zk listquota "$p"
	assert_line --index 0 "Output quota for $p count=5,bytes=-1"
	zk setquota -b 64 "$p"
	run zk get "/zookeeper/quota$p/zookeeper_limits"
	assert_output "count=5,bytes=64"
}

@test "listquota --json gives the limits and the counts as numbers" {
	local p; p=$(fresh_node)
	zk setquota -n 4 "$p"
	run zk --json listquota "$p"
	assert_success
	assert_output "{\"command\":\"listquota\",\"path\":\"$p\",\"quota\":{\"count\":4,\"bytes\":-1,\"countHardLimit\":-1,\"byteHardLimit\":-1},\"stat\":{\"count\":1,\"bytes\":0}}"
}

@test "delquota -n resets one limit; delquota removes the quota and its empty parents" {
	local p; p=$(fresh_node)
	zk create "$p/deep" >/dev/null
	zk setquota -n 10 "$p/deep"
	zk setquota -B 99 "$p/deep"
	run zk delquota -n "$p/deep"
	assert_success
	run zk get "/zookeeper/quota$p/deep/zookeeper_limits"
	assert_output "count=-1,bytes=-1=;byteHardLimit=99;countHardLimit=-1"
	run zk delquota "$p/deep"
	assert_success
	run zk stat "/zookeeper/quota$p"
	assert_failure 1
	zk_split listquota "$p/deep"
	assert_failure 1
	assert_equal "$stderr" "quota for $p/deep does not exist."
	zk_split delquota "$p/deep"
	assert_failure 1
	assert_equal "$stderr" "Quota does not exist for $p/deep"
}

@test "delquota by zksh is seen by zkCli.sh" {
	local p; p=$(fresh_node)
	zk_cli setquota -n 2 "$p" >/dev/null 2>&1
	run zk delquota "$p"
	assert_success
	run zk_cli listquota "$p"
	assert_output --partial "quota for $p does not exist."
}

@test "setquota refuses nested quotas with zkCli's messages" {
	local p; p=$(fresh_node)
	zk -c "create $p/a; create $p/a/b" >/dev/null
	zk setquota -n 5 "$p/a"
	zk_split setquota -n 5 "$p/a/b"
	assert_failure 1
	assert_equal "$stderr" "$p/a/b has a parent $p/a which has a quota"
	zk_split setquota -n 5 "$p"
	assert_failure 1
	assert_equal "$stderr" "$p has a child $p/a which has a quota"
}

@test "setquota validates its flag, value and path" {
	local p; p=$(fresh_node)
	zk_split setquota "$p"
	assert_failure 2
	zk_split setquota -n 1 -b 2 "$p"
	assert_failure 2
	assert_equal "$stderr" "setquota: give only one of -n, -b, -N, -B"
	zk_split setquota -n 0 "$p"
	assert_failure 2
	assert_equal "$stderr" "the num quota must be greater than zero"
	zk_split setquota -B -1 "$p"
	assert_failure 2
	assert_equal "$stderr" "the bytes quota must be greater than or equal to zero"
	zk_split setquota -n lots "$p"
	assert_failure 2
	zk_split setquota -n 1 /zookeeper/quota/x
	assert_failure 2
	assert_equal "$stderr" "cannot set a quota under the path: /zookeeper/quota"
	zk_split setquota -n 1 /no/such/node
	assert_failure 1
	assert_equal "$stderr" "/no/such/node does not exist."
	zk_split setquota -n 1 /
	assert_failure 2
}

@test "listquota over a hard limit notes that only zookeeper.enforceQuota makes the server enforce it" {
	local p; p=$(fresh_node)
	run zk setquota -N 2 "$p"
	assert_success
	# this server runs without zookeeper.enforceQuota: the creates go through
	zk -c "create $p/a; create $p/b; create $p/c" >/dev/null
	zk_split listquota "$p"
	assert_success
	assert_output "$(printf 'Output quota for %s count=-1,bytes=-1=;byteHardLimit=-1;countHardLimit=2\nOutput stat for %s count=4,bytes=0' "$p" "$p")"
	assert_equal "$stderr" "Note: $p holds 4 nodes, over its hard limit of 2: the server enforces hard quotas only when started with zookeeper.enforceQuota=true (or the nodes were there before the limit)"
	run zk --json listquota "$p"
	assert_equal "$(jq -r .note <<<"$output")" "$p holds 4 nodes, over its hard limit of 2: the server enforces hard quotas only when started with zookeeper.enforceQuota=true (or the nodes were there before the limit)"
	# under the limit: no note
	local q; q=$(fresh_node)
	zk setquota -N 5 "$q"
	zk_split listquota "$q"
	assert_equal "$stderr" ""
}

@test "setquota's help says -N/-B are enforced only with zookeeper.enforceQuota" {
	run zk help setquota
	assert_success
	assert_output --partial "zookeeper.enforceQuota=true"
}
