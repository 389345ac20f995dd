#!/usr/bin/env bats
# Self-test of tests/lib/zk.bash against a real 3-server ensemble.
#
# The tests share one ensemble (setup_file) and run in file order: the kill,
# restart and join tests build on each other, and the last one stops it all.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
load 'zk'

setup_file() {
	local t0=$EPOCHREALTIME
	zk_start 3
	echo "# 3-server ensemble serving after $(elapsed "$t0") s ($ZK_BASE)" >&3
}

teardown_file() {
	zk_stop_all
}

# Seconds (3 decimals) since an $EPOCHREALTIME value.
elapsed() {
	awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }'
}

# Followers apply commits a moment after the leader: retry a read for up to
# 10 s until server ID returns WANT for PATH.
read_eventually() {
	local id=$1 path=$2 want=$3 out _
	for _ in {1..50}; do
		out=$(zk_cli_on "$id" get "$path" 2>&1) && [[ $out == "$want" ]] && return 0
		sleep 0.2
	done
	echo "server $id: get $path gave: $out" >&2
	return 1
}

@test "a 3-server ensemble is up and every member serves" {
	assert_equal "$ZK_N" 3
	assert_equal "$(tr ',' '\n' <<<"$ZK_CONNECT" | wc -l)" 3
	assert_equal "$ZK_CONNECT" "$(zk_connect)"
	for id in 1 2 3; do
		zk_alive "$id"
		assert_equal "$(zk_connect_of "$id")" "127.0.0.1:$(zk_client_port "$id")"
		assert_regex "$(zk_server_string "$id")" \
			"^server\.$id=127\.0\.0\.1:[0-9]+:[0-9]+:participant;127\.0\.0\.1:[0-9]+\$"
		run zk_mode "$id"
		assert_output --regexp '^(leader|follower)$'
	done
	run zk_4lw 1 ruok
	assert_output imok
}

@test "there is exactly one leader" {
	local leaders=() id
	for id in 1 2 3; do
		[[ $(zk_mode "$id") == leader ]] && leaders+=("$id")
	done
	assert_equal "${#leaders[@]}" 1
	assert_equal "$(zk_leader)" "${leaders[0]}"
}

@test "a write through one server is readable through the others" {
	run zk_cli_on 1 create /harness hello
	assert_success
	assert_output --partial 'Created /harness'
	read_eventually 3 /harness hello
	read_eventually 2 /harness hello
	run zk_cli get /harness
	assert_success
	assert_output hello
}

@test "killing the leader elects a new leader" {
	local old new t0
	old=$(zk_leader)
	t0=$EPOCHREALTIME
	zk_kill "$old"
	run zk_alive "$old"
	assert_failure
	assert_equal "$(zk_mode "$old")" down
	new=$(zk_wait_leader 30)
	echo "# new leader $new $(elapsed "$t0") s after SIGKILL of leader $old" >&3
	assert_not_equal "$new" "$old"
	echo "$old" >"$BATS_FILE_TMPDIR/killed"
	read_eventually "$new" /harness hello
}

@test "restarting the killed server brings it back as a member" {
	local id old_pid t0
	id=$(cat "$BATS_FILE_TMPDIR/killed")
	old_pid=$(zk_pid "$id")
	t0=$EPOCHREALTIME
	zk_restart "$id"
	echo "# server $id serving again after $(elapsed "$t0") s" >&3
	zk_alive "$id"
	assert_not_equal "$(zk_pid "$id")" "$old_pid"
	run zk_mode "$id"
	assert_output --regexp '^(leader|follower)$'
	read_eventually "$id" /harness hello
}

@test "a joiner can be added with reconfig -add and shows up in config" {
	local s
	s=$(zk_start_joiner 4)
	assert_equal "$s" "$(zk_server_string 4)"
	# Not yet a voting member, yet it syncs with the leader and serves.
	run zk_mode 4
	assert_output follower
	run zk_cli config
	refute_output --partial 'server.4='

	run zk_cli_super reconfig -add "$s"
	assert_success
	assert_output --partial 'Committed new configuration'
	run zk_cli config
	assert_success
	assert_line "$s"

	zk_member_add 4
	assert_equal "$ZK_N" 4
	assert_equal "$(zk_members | paste -sd' ')" "1 2 3 4"
	read_eventually 4 /harness hello
}

@test "reconfig without the super user is refused (skipACL=no)" {
	run zk_cli reconfig -remove 4
	assert_failure
	assert_output --partial 'Insufficient permission'
}

@test "the watchdog stops the servers when the owner process dies" {
	local owner base pid _
	sleep 600 3>&- &
	owner=$!
	(
		unset ZK_BASE
		ZK_OWNER_PID=$owner zk_start 1
		echo "$ZK_BASE $(zk_pid 1)" >"$BATS_TEST_TMPDIR/wd"
	)
	read -r base pid <"$BATS_TEST_TMPDIR/wd"
	kill -0 "$pid"
	kill "$owner"
	for _ in {1..100}; do
		[[ ! -e $base ]] && ! _zk_pid_running "$pid" && break
		sleep 0.1
	done
	run _zk_pid_running "$pid"
	assert_failure
	assert [ ! -e "$base" ]
}

@test "zk_stop_all leaves no server or watchdog alive and is idempotent" {
	local pids=() id pid base=$ZK_BASE
	for id in $(_zk_ids); do
		pids+=("$(zk_pid "$id")")
	done
	pids+=("$(cat "$ZK_BASE/watchdog.pid")")
	assert_equal "${#pids[@]}" 5
	zk_stop_all
	for pid in "${pids[@]}"; do
		run _zk_pid_running "$pid"
		assert_failure
	done
	run pgrep -f -- "-Dzksh.dir=$base/"
	assert_failure
	assert [ ! -e "$base" ]
	run zk_stop_all
	assert_success
}
