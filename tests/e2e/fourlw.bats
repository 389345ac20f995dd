#!/usr/bin/env bats
# Four-letter words: 4lw WORD and srvr, mntr, ruok, conf, cons, envi, wchs,
# isro, dirs, in text and --json, against one real server whose whitelist
# allows those words but not wchc/wchp/crst; plus a dead port and bad
# addresses.

load helpers

setup_file() {
	ZK_EXTRA_CFG="4lw.commands.whitelist=srvr,stat,mntr,ruok,conf,cons,envi,wchs,isro,dirs,dump" \
		zk_start 1
}

teardown_file() {
	if [[ -s $BATS_FILE_TMPDIR/other_base ]]; then
		ZK_BASE=$(cat "$BATS_FILE_TMPDIR/other_base") zk_stop_all
	fi
	zk_stop_all
}

# A loopback port nothing listens on: bound, then closed.
dead_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

@test "srvr prints the server's answer as it is: version, latency, mode lines" {
	run zk srvr
	assert_success
	assert_line --regexp '^Zookeeper version: 3\.'
	assert_line --regexp '^Latency min/avg/max: [0-9]+/[0-9.]+/[0-9]+$'
	assert_line --regexp '^Mode: (standalone|leader)$'
	assert_line --regexp '^Zxid: 0x[0-9a-f]+$'
}

@test "srvr --json splits Latency min/avg/max into numbers and keeps the zxid a hex string" {
	run zk --json srvr
	assert_success
	assert_regex "$(jq -r '.mode' <<<"$output")" '^(standalone|leader)$'
	assert_equal "$(jq -r '[.latency_min, .latency_avg, .latency_max, .node_count, .connections, .received] | map(type) | unique | .[]' <<<"$output")" number
	assert_equal "$(jq -r '.zxid | test("^0x[0-9a-f]+$")' <<<"$output")" true
	assert_equal "$(jq -r '.version | type' <<<"$output")" string
	assert_equal "$(jq -r 'has("Latency min/avg/max")' <<<"$output")" false
}

@test "an explicit host:port wins over -server, which may point at nothing (no session is opened)" {
	local dead
	dead=$(dead_port)
	run timeout 60 "$ZKSH" -server "127.0.0.1:$dead" srvr "$ZK_CONNECT"
	assert_success
	assert_line --regexp '^Mode: (standalone|leader)$'
}

@test "-server with a chroot and several hosts: the first host is asked" {
	local dead
	dead=$(dead_port)
	run timeout 60 "$ZKSH" -server "$ZK_CONNECT,127.0.0.1:$dead/some/chroot" ruok
	assert_success
	assert_output imok
}

@test "mntr --json types the values: numbers as numbers, states as strings" {
	run zk mntr
	assert_success
	assert_line --regexp $'^zk_server_state\t(standalone|leader)$'
	run zk --json mntr
	assert_success
	assert_regex "$(jq -r '.zk_server_state' <<<"$output")" '^(standalone|leader)$'
	assert_equal "$(jq -r '.zk_znode_count | type' <<<"$output")" number
	assert_equal "$(jq -r '.zk_avg_latency | type' <<<"$output")" number
	assert_equal "$(jq -r '.zk_version | type' <<<"$output")" string
	assert_equal "$(jq -r '.zk_num_alive_connections >= 1' <<<"$output")" true
}

@test "ruok prints imok and --json gives {\"ok\":true}" {
	run zk ruok
	assert_success
	assert_output imok
	run zk --json ruok
	assert_success
	assert_equal "$(jq -c . <<<"$output")" '{"command":"ruok","ok":true}'
}

@test "conf prints key=value lines and --json gives them as strings" {
	local port=${ZK_CONNECT##*:}
	run zk conf
	assert_success
	assert_line "clientPort=$port"
	run zk --json conf
	assert_success
	assert_equal "$(jq -r '.clientPort' <<<"$output")" "$port"
	assert_equal "$(jq -r '.clientPort | type' <<<"$output")" string
	assert_equal "$(jq -r '.dataDir | type' <<<"$output")" string
	assert_equal "$(jq -r 'has("tickTime")' <<<"$output")" true
}

@test "cons --json gives one object per connection, with a session's sid as a hex string" {
	local fifo=$BATS_TEST_TMPDIR/in
	mkfifo "$fifo"
	# a second client holding a session while cons runs
	timeout 60 "$ZKSH" -server "$ZK_CONNECT" <"$fifo" >/dev/null 2>&1 &
	local holder=$!
	exec 7>"$fifo"
	echo "ls /" >&7
	local i
	for i in $(seq 50); do
		zk cons | grep -q 'sid=0x' && break
		sleep 0.2
	done
	run zk cons
	assert_success
	assert_line --regexp '^ /127\.0\.0\.1:[0-9]+\[[0-9]+\]\(queued=[0-9]+,recved=[0-9]+,sent=[0-9]+'
	run zk --json cons
	exec 7>&-
	wait "$holder" || true
	assert_success
	assert_equal "$(jq -r '.connections | length >= 2' <<<"$output")" true
	assert_equal "$(jq -r '[.connections[] | .address | test("^127\\.0\\.0\\.1:[0-9]+$")] | all' <<<"$output")" true
	assert_equal "$(jq -r '[.connections[] | .recved | type] | unique | .[]' <<<"$output")" number
	assert_equal "$(jq -r '[.connections[] | select(has("sid"))][0] | (.sid | test("^0x[0-9a-f]+$")), (.to | type), (.lop | type)' <<<"$output")" $'true\nnumber\nstring'
}

@test "envi prints the environment and --json has java.version and zookeeper.version" {
	run zk envi
	assert_success
	assert_line 'Environment:'
	assert_line --regexp '^java\.version='
	run zk --json envi
	assert_success
	assert_equal "$(jq -r '.["java.version"] | type' <<<"$output")" string
	assert_equal "$(jq -r '.["zookeeper.version"] | startswith("3.")' <<<"$output")" true
	assert_equal "$(jq -r 'has("Environment")' <<<"$output")" false
}

@test "wchs counts a watch a session set" {
	local node fifo=$BATS_TEST_TMPDIR/in
	node=$(fresh_node)
	mkfifo "$fifo"
	timeout 60 "$ZKSH" -server "$ZK_CONNECT" <"$fifo" >/dev/null 2>&1 &
	local holder=$!
	exec 7>"$fifo"
	echo "get -w $node" >&7
	local i
	for i in $(seq 50); do
		[[ $(zk --json wchs | jq -r .watches) -ge 1 ]] && break
		sleep 0.2
	done
	run zk wchs
	assert_success
	assert_line --regexp '^[0-9]+ connections watching [0-9]+ paths$'
	assert_line --regexp '^Total watches:[1-9][0-9]*$'
	run zk --json wchs
	exec 7>&-
	wait "$holder" || true
	assert_success
	assert_equal "$(jq -r '[.connections, .paths, .watches] | map(type) | unique | .[]' <<<"$output")" number
	assert_equal "$(jq -r '.watches >= 1 and .paths >= 1' <<<"$output")" true
}

@test "isro prints rw and --json gives {\"mode\":\"rw\"}" {
	run zk isro
	assert_success
	assert_output rw
	run zk --json isro
	assert_success
	assert_equal "$(jq -c . <<<"$output")" '{"command":"isro","mode":"rw"}'
}

@test "dirs prints the directory sizes and --json gives them as numbers" {
	run zk dirs
	assert_success
	assert_line --regexp '^datadir_size: [0-9]+$'
	run zk --json dirs
	assert_success
	assert_equal "$(jq -r '[.datadir_size, .logdir_size] | map(type) | unique | .[]' <<<"$output")" number
}

@test "4lw stat is the server's stat; --json has srvr's fields and the clients" {
	run zk 4lw stat
	assert_success
	assert_line 'Clients:'
	assert_line --regexp '^Mode: (standalone|leader)$'
	run zk --json 4lw stat "$ZK_CONNECT"
	assert_success
	assert_regex "$(jq -r '.mode' <<<"$output")" '^(standalone|leader)$'
	assert_equal "$(jq -r '.clients | length >= 1' <<<"$output")" true
	assert_equal "$(jq -r '.latency_avg | type' <<<"$output")" number
}

@test "4lw gives the same parsed answer as the word's own command, and any other word as text" {
	run zk --json 4lw ruok
	assert_success
	assert_equal "$(jq -c . <<<"$output")" '{"command":"4lw","ok":true}'
	run zk 4lw dump
	assert_success
	assert_line 'SessionTracker dump:'
	run zk --json 4lw dump
	assert_success
	assert_equal "$(jq -r '.word' <<<"$output")" dump
	assert_equal "$(jq -r '.output | startswith("SessionTracker dump:")' <<<"$output")" true
}

@test "a word outside 4lw.commands.whitelist: exit 1, naming the word and the setting" {
	zk_split 4lw wchc
	assert_failure 1
	assert_output ''
	assert_equal "$(grep -c 'wchc' <<<"$stderr")" 1
	[[ $stderr == *"4lw.commands.whitelist"* ]]
	zk_split --json 4lw crst
	assert_failure 1
	assert_equal "$(jq -r '.error.exit' <<<"$stderr")" 1
	[[ $(jq -r '.error.message' <<<"$stderr") == *"crst"*"4lw.commands.whitelist"* ]]
}

@test "nothing listening: exit 3 with the address and the reason, text and JSON" {
	local dead
	dead=$(dead_port)
	zk_split srvr "127.0.0.1:$dead"
	assert_failure 3
	[[ $stderr == *"127.0.0.1:$dead"*"refused"* ]]
	zk_split --json mntr "127.0.0.1:$dead"
	assert_failure 3
	assert_equal "$(jq -r '.error.exit' <<<"$stderr")" 3
}

@test "a bad host:port or an unknown word: exit 2 before any network use" {
	# the address is checked before anything is sent: no connect, no lookup
	local bad
	for bad in nohost 'a b:2181' 'h:0' 'h:99999' 'h:12x' ':2181' '[::1' '[]:2181'; do
		run timeout 10 "$ZKSH" -server 127.0.0.1:1 srvr "$bad"
		assert_failure 2
		assert_output --partial "bad server address"
	done
	run timeout 10 "$ZKSH" -server 'no port here' ruok
	assert_failure 2
	run timeout 10 "$ZKSH" -server 127.0.0.1:1 4lw xyzw
	assert_failure 2
	assert_output --partial "unknown four-letter word 'xyzw'"
	run timeout 10 "$ZKSH" -server 127.0.0.1:1 4lw stat 'bad:port'
	assert_failure 2
}

@test "the words run in a script without a session, one answer each" {
	run timeout 60 "$ZKSH" -server "$ZK_CONNECT" -c "ruok; isro; 4lw ruok"
	assert_success
	assert_output $'imok\nrw\nimok'
}

@test "a server without a quorum: its answer printed and exit 1; --json {\"serving\":false}" {
	local base addr i
	base=$(mktemp -d /tmp/zksh-zk.XXXXXX)
	echo "$base" >"$BATS_FILE_TMPDIR/other_base"
	ZK_BASE=$base
	zk_start 2
	addr=$(zk_connect_of 1)
	zk_stop 2
	for i in $(seq 100); do
		zk_4lw 1 srvr | grep -q 'not currently serving' && break
		sleep 0.2
	done
	zk_split srvr "$addr"
	assert_failure 1
	assert_output --partial 'This ZooKeeper instance is not currently serving requests'
	[[ $stderr == *"$addr is not serving requests"* ]]
	zk_split --json mntr "$addr"
	assert_failure 1
	assert_equal "$(jq -c . <<<"$output")" '{"command":"mntr","serving":false}'
	zk_stop_all
}
