#!/usr/bin/env bats
# ensemble status, plan, add, remove, replace on one real ensemble that
# grows and shrinks through the file (3 -> 5 -> 7 -> 3 -> ...), plus one
# ensemble with ZooKeeper's default whitelist. The tests build on each other
# and run in file order; a background client writes a counter during every
# change and each write it saw acknowledged must be there at the end.

load helpers

setup_file() {
	zk_start 3
}

teardown_file() {
	if [[ -s $BATS_FILE_TMPDIR/other_base ]]; then
		ZK_BASE=$(cat "$BATS_FILE_TMPDIR/other_base") zk_stop_all
	fi
	zk_stop_all
}

setup() {
	ZK_CONNECT=$(zk_connect)
	export ZK_CONNECT
}

# zksh as the super user (reconfig needs it), with room for slow changes.
zks() {
	ZKSH_AUTH="digest:$ZK_SUPER_AUTH" timeout 600 "$ZKSH" -server "$ZK_CONNECT" -timeout 8000 "$@"
}

# Record the members the configuration names (the harness keeps its own list).
sync_members() {
	local ids
	mapfile -t ids < <(zk config | sed -n 's/^server\.\([0-9]*\)=.*/\1/p')
	_zk_set_members "${ids[@]}"
}

# The configuration names exactly IDS... and every member holds its version.
assert_members() {
	local want got
	want=$(printf '%s\n' "$@" | sort -n | tr '\n' ' ')
	got=$(zk config | sed -n 's/^server\.\([0-9]*\)=.*/\1/p' | sort -n | tr '\n' ' ')
	assert_equal "$got" "$want"
	sync_members
	run zk --json ensemble status
	assert_success
	assert_equal "$(jq -r '[.members[].config_version] | unique | length' <<<"$output")" 1
	assert_equal "$(jq -r '.members[0].config_version == .version' <<<"$output")" true
}

# Every server the harness ever started: the writer fails over among them.
all_connect() {
	local id out=""
	for id in $(_zk_ids); do out+=${out:+,}$(zk_connect_of "$id"); done
	echo "$out"
}

# A client creating /wN/n1, /wN/n2, ... until writer_check; each create that
# zksh reported done is written to the acked file.
writer_start() {
	local dir=$BATS_TEST_TMPDIR/writer conn
	mkdir -p "$dir"
	: >"$dir/acked"
	conn=$(all_connect)
	zk create "/w$BATS_TEST_NUMBER" >/dev/null
	(
		i=0
		while [[ ! -e $dir/stop ]]; do
			i=$((i + 1))
			if timeout 30 "$ZKSH" -server "$conn" -timeout 8000 create "/w$BATS_TEST_NUMBER/n$i" \
				>/dev/null 2>&1; then
				echo "n$i" >>"$dir/acked"
			fi
		done
	) 3>&- </dev/null &
	echo $! >"$dir/pid"
}

writer_check() {
	local dir=$BATS_TEST_TMPDIR/writer missing
	touch "$dir/stop"
	wait "$(cat "$dir/pid")" || true
	(($(wc -l <"$dir/acked") > 0)) || fail "the writer saw no write acknowledged"
	missing=$(comm -23 <(sort "$dir/acked") \
		<(zk ls "/w$BATS_TEST_NUMBER" | tr -d '[] ' | tr ',' '\n' | sort))
	[[ -z $missing ]] || fail "acknowledged writes missing: $missing"
}

# Step messages of a --json event stream, one a line.
steps_of() {
	jq -r 'select(.event == "step started") | .message' <<<"$1"
}

@test "ensemble status names every member, one leader and the verdict; --json parses" {
	run zk ensemble status
	assert_success
	assert_line --regexp '^ID +ADDRESS +ROLE +MODE +ZXID +LAG +LATENCY +CONNS +ZNODES +VERSION$'
	for id in 1 2 3; do
		assert_line --regexp "^$id +$(zk_connect_of "$id") +participant +(leader|follower) "
	done
	assert_line --regexp 'configuration version [0-9a-f]+: 3 voters, quorum 2, failures tolerated now 1, members down 0'
	assert_line "verdict: healthy, leader server.$(zk_leader)"
	run zk --json ensemble status
	assert_success
	assert_equal "$(jq '[.members[] | select(.mode == "leader")] | length' <<<"$output")" 1
	assert_equal "$(jq '.leader' <<<"$output")" "$(zk_leader)"
	assert_equal "$(jq '.healthy' <<<"$output")" true
	assert_equal "$(jq '.refused_words | length' <<<"$output")" 0
	# --watch repeats until interrupted (here: until timeout ends it)
	run timeout -s INT 4 "$ZKSH" -server "$ZK_CONNECT" ensemble status --watch 200ms
	(($(grep -c '^verdict: healthy' <<<"$output") >= 2))
}

@test "a joiner that is not running is refused before the configuration is touched, exit 1, named" {
	_zk_alloc_server 4
	local j4 before
	j4=$(zk_server_string 4)
	before=$(zk config)
	zk_split ensemble plan add "$j4"
	assert_failure 1
	assert_equal "$stderr" "ensemble plan: refused: joiner server.4 ($(zk_connect_of 4)) is not running: start it first (ensemble joiner-config prints what it needs) or give --start-cmd"
	ZKSH_AUTH="digest:$ZK_SUPER_AUTH" zk_split ensemble add --yes "$j4"
	assert_failure 1
	assert_output ""
	[[ $stderr == *"joiner server.4 ($(zk_connect_of 4)) is not running"* ]]
	assert_equal "$(zk config)" "$before"
}

@test "ensemble usage errors exit 2 with a message" {
	zk_split ensemble frobnicate
	assert_failure 2
	[[ $stderr == *"unknown subcommand 'frobnicate'"* ]]
	zk_split ensemble status --watch 5
	assert_failure 2
	[[ $stderr == *"duration with a unit"* ]]
	zk_split ensemble add "server.x=h:1:2;3"
	assert_failure 2
	[[ $stderr == *"bad server id 'x'"* ]]
	zk_split ensemble plan add --strategy fast "$(zk_server_string 4)"
	assert_failure 2
	zk_split ensemble status --force
	assert_failure 2
	[[ $stderr == *"status does not take --force"* ]]
	zk_split ensemble replace 1
	assert_failure 2
	# batch mode without --yes: the plan is printed, nothing changes
	zk_start_joiner 4 >/dev/null
	zk_split ensemble add "$(zk_server_string 4)"
	assert_failure 2
	[[ $stderr == *"give --yes"* ]]
	assert_line "step 1: add $(zk_server_string 4)"
	# without the super user reconfig is refused, and the message says what to do
	zk_split ensemble add --yes "$(zk_server_string 4)"
	assert_failure 1
	[[ $stderr == *"reconfig failed: NoAuth: reconfig needs the super user"* ]]
	assert_equal "$(zk config | grep -c '^server\.')" 3
}

@test "ensemble plan shows each step's membership, quorum and tolerance and changes nothing" {
	zk_start_joiner 5 >/dev/null
	local before; before=$(zk config)
	run zk ensemble plan add "$(zk_server_string 4)" "$(zk_server_string 5)"
	assert_success
	assert_line "step 1: add $(zk_server_string 4)"
	assert_line "  members after: 1 2 3 4"
	assert_line "  voters 3 -> 4, quorum 2 -> 3, failures tolerated during 1, after 1"
	assert_line "step 2: add $(zk_server_string 5)"
	assert_line "  voters 4 -> 5, quorum 3 -> 3, failures tolerated during 1, after 2"
	run zk --json ensemble plan add --strategy split "$(zk_server_string 4)" "$(zk_server_string 5)"
	assert_success
	assert_equal "$(jq '.steps | length' <<<"$output")" 2
	assert_equal "$(jq -r '.strategy' <<<"$output")" split
	run zk ensemble plan remove 3
	assert_failure 1
	[[ $output == *"the plan ends with 2 voters"* ]]
	run zks ensemble add --dry-run "$(zk_server_string 4)"
	assert_success
	assert_line "step 1: add $(zk_server_string 4)"
	assert_equal "$(zk config)" "$before"
}

@test "3 -> 5 sequential: two steps, every acknowledged write kept" {
	writer_start
	run zks ensemble add --yes "$(zk_server_string 4)" "$(zk_server_string 5)"
	assert_success
	assert_line "step 1: add $(zk_server_string 4)"
	assert_line "step 2: verified: every member holds version $(zk config | sed -n 's/^version=//p') and a write went through"
	assert_line --partial "done: configuration version"
	writer_check
	assert_members 1 2 3 4 5
}

@test "5 -> 7 split: one reconfig per batch" {
	zk_start_joiner 6 >/dev/null
	zk_start_joiner 7 >/dev/null
	writer_start
	run zks --json ensemble add --yes --strategy split "$(zk_server_string 6)" "$(zk_server_string 7)"
	assert_success
	assert_equal "$(steps_of "$output" | wc -l)" 2
	assert_equal "$(jq -r 'select(.event == "done") | .message' <<<"$output")" \
		"done: configuration version $(zk config | sed -n 's/^version=//p'), 7 voters"
	writer_check
	assert_members 1 2 3 4 5 6 7
}

@test "7 -> 3 remove split with the leader among them: two steps, the leader in the last" {
	local leader ids=() keep=() id
	leader=$(zk_leader)
	ids=("$leader")
	for id in 4 5 6 7 1 2 3; do
		((${#ids[@]} < 4)) && [[ $id != "$leader" ]] && ids+=("$id")
	done
	for id in 1 2 3 4 5 6 7; do
		[[ " ${ids[*]} " == *" $id "* ]] || keep+=("$id")
	done
	writer_start
	run zks --json ensemble remove --yes --strategy split \
		--stop-cmd "$BATS_TEST_DIRNAME/ensemble-stop-server.sh {id}" "${ids[@]}"
	assert_success
	assert_equal "$(steps_of "$output" | wc -l)" 2
	# --stop-cmd stopped each removed server once its step was verified
	for id in "${ids[@]}"; do ! zk_alive "$id"; done
	[[ $(steps_of "$output" | tail -1) =~ ^remove\ ([0-9]+,)*$leader(,|$) ]]
	[[ ! $(steps_of "$output" | head -1) =~ (\ |,)$leader(,|$) ]]
	writer_check
	assert_members "${keep[@]}"
}

@test "replace one member: the new one is added first, then the old one removed" {
	local old=${ZK_CONNECT%%,*} leader members
	mapfile -t members < <(zk_members)
	leader=$(zk_leader)
	for old in "${members[@]}"; do [[ $old != "$leader" ]] && break; done
	zk_start_joiner 8 >/dev/null
	writer_start
	run zks ensemble replace --yes --stop-cmd "$BATS_TEST_DIRNAME/ensemble-stop-server.sh {id}" \
		"$old" "$(zk_server_string 8)"
	assert_success
	assert_line "step 1: add $(zk_server_string 8)"
	assert_line "step 2: remove $old"
	writer_check
	local want=()
	for id in "${members[@]}" 8; do [[ $id != "$old" ]] && want+=("$id"); done
	assert_members "${want[@]}"
}

@test "3 -> 5 --via-observer: joiners enter as observers and are promoted" {
	local members
	mapfile -t members < <(zk_members)
	ZK_JOIN_ROLE=observer zk_start_joiner 9 >/dev/null
	ZK_JOIN_ROLE=observer zk_start_joiner 10 >/dev/null
	local j9 j10
	j9=$(zk_server_string 9 | sed 's/:observer;/:participant;/')
	j10=$(zk_server_string 10 | sed 's/:observer;/:participant;/')
	writer_start
	run zks --json ensemble add --yes --via-observer --strategy split "$j9" "$j10"
	assert_success
	assert_equal "$(steps_of "$output")" "add as observer $(zk_server_string 9)
promote to participant $j9
add as observer $(zk_server_string 10)
promote to participant $j10"
	writer_check
	assert_members "${members[@]}" 9 10
	run zk config
	assert_line "$j9"
	assert_line "$j10"
}

@test "zksh killed between two steps: the same command again finishes the remaining step only" {
	local leader members rm=()
	mapfile -t members < <(zk_members)
	leader=$(zk_leader)
	for id in "${members[@]}"; do
		((${#rm[@]} < 2)) && [[ $id != "$leader" ]] && rm+=("$id")
	done
	ZKSH_TEST_KILL_AFTER_STEP=1 run zks ensemble remove --yes "${rm[@]}"
	assert_equal "$status" 137
	run zk config
	refute_line --regexp "^server\.${rm[0]}="
	assert_line --regexp "^server\.${rm[1]}="
	run zks --json ensemble remove --yes "${rm[@]}"
	assert_success
	zk_stop "${rm[0]}"
	zk_stop "${rm[1]}"
	assert_equal "$(jq -r 'select(.event == "plan") | .already_done' <<<"$output")" 1
	assert_equal "$(steps_of "$output")" "remove ${rm[1]}"
	local want=()
	for id in "${members[@]}"; do [[ " ${rm[*]} " == *" $id "* ]] || want+=("$id"); done
	assert_members "${want[@]}"
}

@test "--start-cmd starts the joiners with the config zksh wrote: 3 -> 5 with the harness script" {
	local members
	mapfile -t members < <(zk_members)
	_zk_alloc_server 11
	_zk_alloc_server 12
	writer_start
	run zks ensemble add --yes --start-cmd "$BATS_TEST_DIRNAME/ensemble-start-joiner.sh {id} {config}" \
		"$(zk_server_string 11)" "$(zk_server_string 12)"
	assert_success
	writer_check
	zk_alive 11
	zk_alive 12
	assert_members "${members[@]}" 11 12
}

@test "a reconfig by another client between plan and step is detected by the version, exit 1, not overwritten" {
	_zk_alloc_server 13
	local obs before
	obs=$(zk_server_string 13 | sed 's/:participant;/:observer;/')
	before=$(zk config | sed -n 's/^version=//p')
	# the hook plays the other operator: it adds server 13 as an observer
	ZKSH_AUTH="digest:$ZK_SUPER_AUTH" ZKSH_BIN=$ZKSH OBS=$obs \
		zk_split ensemble add --yes --start-cmd '"$ZKSH_BIN" -server "$ZK_CONNECT" reconfig -add "$OBS" >/dev/null' \
		"$(zk_server_string 13)"
	assert_failure 1
	[[ $stderr == *"the configuration changed while the plan ran"*"plan was made from $before"* ]]
	run zk config
	assert_line "$obs"
	run zks reconfig -remove 13
	assert_success
}

@test "ensemble status with a member stopped shows it down and exits 1; add refuses then" {
	local leader victim
	leader=$(zk_leader)
	for victim in $(zk_members); do [[ $victim != "$leader" ]] && break; done
	zk_stop "$victim"
	run zk ensemble status
	assert_failure 1
	assert_line --regexp "^$victim +$(zk_connect_of "$victim") +participant +down "
	assert_line --partial "members down 1"
	assert_line --partial "verdict: degraded: server.$victim is down"
	run zk --json ensemble status
	assert_failure 1
	assert_equal "$(jq '.down' <<<"$output")" 1
	zk_start_joiner 14 >/dev/null
	ZKSH_AUTH="digest:$ZK_SUPER_AUTH" zk_split ensemble add --yes "$(zk_server_string 14)"
	assert_failure 1
	[[ $stderr == *"member server.$victim ($(zk_connect_of "$victim")) is down"* ]]
	zk_restart "$victim"
	zk_stop 14
}

@test "a member killed while a plan runs: the next step is refused at its gate, quorum kept; a re-run finishes" {
	local leader victim members
	mapfile -t members < <(zk_members)
	leader=$(zk_leader)
	for victim in "${members[@]}"; do [[ $victim != "$leader" ]] && break; done
	zk_start_joiner 16 >/dev/null
	_zk_alloc_server 17
	# the hook runs for 17 only (16 is up): it kills a member, then starts 17
	local start="$BATS_TEST_DIRNAME/ensemble-start-joiner.sh {id} {config}"
	local kill="$BATS_TEST_DIRNAME/ensemble-stop-server.sh"
	ZK_STOP_TIMEOUT=0 run zks ensemble add --yes --step-timeout 20s \
		--start-cmd "$kill $victim; $start" \
		"$(zk_server_string 16)" "$(zk_server_string 17)"
	assert_failure 1
	assert_line --partial "step 1: verified"
	assert_line "ensemble: step 2: health gate not passed within the step timeout: member server.$victim is not serving; nothing was changed by this step"
	run zk config
	assert_line --regexp "^server\.16="
	refute_line --regexp "^server\.17="
	run zk --json ensemble status
	assert_failure 1
	[[ $(jq '.leader' <<<"$output") =~ ^[0-9]+$ ]]
	zk_restart "$victim"
	run zks --json ensemble add --yes "$(zk_server_string 16)" "$(zk_server_string 17)"
	assert_success
	assert_equal "$(steps_of "$output")" "add $(zk_server_string 17)"
	assert_members "${members[@]}" 16 17
	zk_stop 16
	zk_stop 17
	run zks ensemble remove --yes --force 16 17
	assert_success
	sync_members
}

@test "joiner-config prints and writes what a new server starts with" {
	_zk_alloc_server 15
	local j15; j15=$(zk_server_string 15)
	run zk ensemble joiner-config "$j15"
	assert_success
	assert_line "$j15"
	assert_line "reconfigEnabled=true"
	assert_line "standaloneEnabled=false"
	for id in $(zk_members); do assert_line --regexp "^server\.$id="; done
	run zk ensemble joiner-config --observer --write "$BATS_TEST_TMPDIR" "$j15"
	assert_success
	assert_equal "$(cat "$BATS_TEST_TMPDIR/myid")" 15
	grep -qxF "$(sed 's/:participant;/:observer;/' <<<"$j15")" "$BATS_TEST_TMPDIR/zoo.cfg.dynamic"
	run zk ensemble joiner-config "$(zk_server_string "$(zk_members | head -1)")"
	assert_failure 1
}

@test "with the default whitelist (srvr only) status, add and remove work and the refused words are named" {
	local base
	base=$(mktemp -d /tmp/zksh-zk.XXXXXX)
	echo "$base" >"$BATS_FILE_TMPDIR/other_base"
	ZK_BASE=$base
	ZK_EXTRA_CFG="4lw.commands.whitelist=srvr" zk_start 3
	ZK_CONNECT=$(zk_connect)
	run zk ensemble status
	assert_success
	assert_line "refused by 4lw.commands.whitelist: mntr conf"
	assert_line --partial "verdict: healthy"
	ZK_EXTRA_CFG="4lw.commands.whitelist=srvr" zk_start_joiner 4 >/dev/null
	run zks ensemble add --yes "$(zk_server_string 4)"
	assert_success
	assert_members 1 2 3 4
	run zks ensemble remove --yes 4
	assert_success
	assert_members 1 2 3
	zk_stop_all
}
