#!/usr/bin/env bats
# config and reconfig on a real 3-server ensemble that grows to 4 and loses
# its leader. The tests build on each other and run in file order.

load helpers

setup_file() {
	zk_start 3
}

teardown_file() {
	zk_stop_all
}

# zksh as the super user: with skipACL=no only it may write /zookeeper/config.
zk_super() {
	ZKSH_AUTH="digest:$ZK_SUPER_AUTH" zk "$@"
}

# The configuration's version, as config prints it.
config_version() {
	zk config | sed -n 's/^version=//p'
}

# Followers apply a committed reconfig a moment after the leader: wait until
# server ID's config contains (or, with !, lacks) LINE.
config_eventually() {
	local id=$1 want=$2 line=$3 i out
	for ((i = 0; i < 100; i++)); do
		out=$("$ZKSH" -server "$(zk_connect_of "$id")" config 2>/dev/null) || true
		if [[ $want == has ]] && grep -qxF -- "$line" <<<"$out"; then return 0; fi
		if [[ $want == lacks ]] && ! grep -qF -- "$line" <<<"$out"; then return 0; fi
		sleep 0.1
	done
	echo "server $id: config does not $want $line: $out" >&2
	return 1
}

@test "config prints the dynamic configuration as zkCli.sh does" {
	run zk config
	assert_success
	assert_equal "$(grep -c '^server\.' <<<"$output")" 3
	assert_line --regexp '^version=[0-9a-f]+$'
	for id in 1 2 3; do
		assert_line "$(zk_server_string "$id")"
	done
	local ours=$output
	run zk_cli config
	assert_equal "$ours" "$output"
}

@test "config -c prints the version and the client addresses; -s adds the stat" {
	local v; v=$(config_version)
	run zk config -c
	assert_success
	local want="$v $(zk_connect_of 1),$(zk_connect_of 2),$(zk_connect_of 3)"
	assert_output "$want"
	# zkCli.sh lists the same addresses (in hash order)
	run zk_cli config -c
	assert_equal "$(tr ' ,' '\n\n' <<<"$output" | sort)" "$(tr ' ,' '\n\n' <<<"$want" | sort)"
	run zk config -s
	assert_line "dataVersion = -1"
	run zk --json config
	assert_output --partial "\"version\":\"$v\""
	run zk --json config -c
	assert_output "{\"command\":\"config\",\"version\":\"$v\",\"clients\":[\"$(zk_connect_of 1)\",\"$(zk_connect_of 2)\",\"$(zk_connect_of 3)\"]}"
}

@test "config --json gives the members as objects: id, host, ports, role, client address" {
	local v; v=$(config_version)
	run zk --json config
	assert_success
	assert_equal "$(jq -r .command <<<"$output")" config
	assert_equal "$(jq -r .version <<<"$output")" "$v"
	assert_equal "$(jq '.members | length' <<<"$output")" 3
	assert_equal "$(jq 'has("config")' <<<"$output")" false
	local id role
	for id in 1 2 3; do
		role=$(_zk_port "$id" role)
		assert_equal "$(jq -c ".members[] | select(.id == $id) | [.host, .quorum_port, .election_port, .role, .client_port, .client_address]" <<<"$output")" \
			"[\"127.0.0.1\",$(_zk_port "$id" quorum),$(_zk_port "$id" election),\"${role:-participant}\",$(zk_client_port "$id"),\"$(zk_connect_of "$id")\"]"
	done
	# every member is also its server string, as config prints it
	for id in 1 2 3; do
		assert_equal "$(jq -r ".members[] | select(.id == $id) | \"server.\\(.id)=\\(.host):\\(.quorum_port):\\(.election_port):\\(.role);\\(.client_host):\\(.client_port)\"" <<<"$output")" \
			"$(zk_server_string "$id")"
	done
}

@test "reconfig without the super user is refused with Insufficient permission" {
	zk_split reconfig -remove 3
	assert_failure 1
	assert_equal "$stderr" "Insufficient permission : /zookeeper/config"
}

@test "reconfig checks its arguments as zkCli does, before asking the server" {
	zk_split reconfig -add "server.9=127.0.0.1:1:2;3" -members "server.1=127.0.0.1:1:2;3"
	assert_failure 2
	assert_equal "$stderr" "Can't use -file or -members together with -add or -remove (mixing incremental and non-incremental modes is not allowed)"
	zk_split reconfig -file /dev/null -members "server.1=127.0.0.1:1:2;3"
	assert_failure 2
	assert_regex "$stderr" "conflicting non-incremental modes"
	zk_split reconfig -v xyz -remove 3
	assert_failure 2
	assert_regex "$stderr" "^-v must be followed by a long"
	zk_split reconfig -s
	assert_failure 2
	zk_split reconfig -file "$BATS_TEST_TMPDIR/none"
	assert_failure 2
	assert_regex "$stderr" "cannot read"
}

@test "reconfig -add of a started fourth server commits and config shows it" {
	local s
	s=$(zk_start_joiner 4)
	run zk_super reconfig -add "$s"
	assert_success
	assert_line --index 0 "Committed new configuration:"
	assert_line "$s"
	assert_line --regexp '^version=[0-9a-f]+$'
	zk_member_add 4
	run zk config
	assert_line "$s"
	config_eventually 4 has "$s"
}

@test "a reconfig with a stale -v is refused with the BadVersion message" {
	local now; now=$(config_version)
	ZKSH_AUTH="digest:$ZK_SUPER_AUTH" zk_split reconfig -v 100000000 -remove 4
	assert_failure 1
	assert_equal "$stderr" "version No is not valid : /zookeeper/config (BadVersion: the configuration is at version $now, not 100000000; read it again with config)"
	run zk config
	assert_line "$(zk_server_string 4)"
}

@test "reconfig -v with the current version (hex) applies; -s adds the stat" {
	local now; now=$(config_version)
	run zk_super reconfig -s -v "$now" -remove 4
	assert_success
	assert_line --index 0 "Committed new configuration:"
	refute_line --partial "server.4="
	assert_line --regexp '^mZxid = 0x'
	zk_member_remove 4
	# and back, as a full member list read from a file
	zk config | grep '^server\.' >"$BATS_TEST_TMPDIR/members"
	zk_server_string 4 >>"$BATS_TEST_TMPDIR/members"
	run zk_super reconfig -file "$BATS_TEST_TMPDIR/members"
	assert_success
	assert_line "$(zk_server_string 4)"
	zk_member_add 4
}

@test "an answer lost after the commit is recovered by reading the configuration again" {
	local before; before=$(config_version)
	ZKSH_TEST_LOSE_RECONFIG=after run zk_super reconfig -remove 4
	assert_success
	assert_line --index 0 "Committed new configuration:"
	refute_line --partial "server.4="
	assert_not_equal "$(config_version)" "$before"
	zk_member_remove 4
}

@test "a request lost before the server saw it is reported as not committed" {
	local before; before=$(config_version)
	ZKSH_TEST_LOSE_RECONFIG=before ZKSH_AUTH="digest:$ZK_SUPER_AUTH" \
		zk_split reconfig -add "$(zk_server_string 4)"
	assert_failure 1
	assert_regex "$stderr" "does not show the change: it did not commit"
	assert_equal "$(config_version)" "$before"
}

@test "an unquoted server string with ';' reaches reconfig whole (-c and -f)" {
	local s f
	s=$(zk_server_string 4)
	# -c: zksh's lexer sees participant;127.0.0.1:PORT unquoted
	run zk_super -c "reconfig -add $s"
	assert_success
	assert_line --index 0 "Committed new configuration:"
	assert_line "$s"
	zk_member_add 4
	config_eventually 4 has "$s"
	run zk_super -c "reconfig -remove 4"
	assert_success
	zk_member_remove 4
	# -f: the same line in a script
	f="$BATS_TEST_TMPDIR/add.zk"
	echo "reconfig -add $s" >"$f"
	run zk_super -f "$f"
	assert_success
	assert_line "$s"
	zk_member_add 4
	run zk config
	assert_line "$s"
	run zk_super -c "reconfig -remove 4"
	assert_success
	zk_member_remove 4
}

@test "removing the leader reports the committed result despite the dropped connection" {
	local s leader
	s=$(zk_server_string 4)
	run zk_super reconfig -add "$s"
	assert_success
	zk_member_add 4
	leader=$(zk_leader)
	# through the members that stay: their connections drop as the leader goes
	local others="" id
	for id in $(zk_members); do
		[[ $id == "$leader" ]] || others+=${others:+,}$(zk_connect_of "$id")
	done
	run env ZKSH_AUTH="digest:$ZK_SUPER_AUTH" timeout 120 "$ZKSH" -server "$others" \
		reconfig -remove "$leader"
	assert_success
	assert_line --index 0 "Committed new configuration:"
	refute_line --partial "server.$leader="
	zk_member_remove "$leader"
	zk_wait_leader 60 >/dev/null
	run zk config
	assert_success
	refute_line --partial "server.$leader="
	assert_equal "$(grep -c '^server\.' <<<"$output")" 3
}
