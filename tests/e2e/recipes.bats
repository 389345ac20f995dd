#!/usr/bin/env bats
# Recipes: lock, elect, register/members, incr, wait, queue, publish/fetch.
# Each runs against a real server; concurrency tests check outcomes (no
# overlap, exact counts), never timings.

load helpers
bats_require_minimum_version 1.5.0

setup_file() {
	zk_start 1
}

teardown_file() {
	zk_stop_all
}

teardown() {
	# whatever a failed test left running in the background: only this
	# shell's live jobs, never a pid from a file (it may be reused by now)
	local p
	for p in $(jobs -p); do
		kill -CONT "$p" 2>/dev/null || true
		kill -KILL "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
}

# zksh with a short session timeout (the server caps it at 20 ticks: 4 s)
zks() {
	timeout 60 "$ZKSH" -server "$ZK_CONNECT" -timeout 4000 "$@"
}

# Start zksh ARGS... in the background; its pid goes to $BATS_TEST_TMPDIR/NAME.pid
bg() {
	local name=$1
	shift
	"$ZKSH" -server "$ZK_CONNECT" -timeout 4000 "$@" >"$BATS_TEST_TMPDIR/$name.out" \
		2>"$BATS_TEST_TMPDIR/$name.err" 3>&- &
	echo $! >>"$BATS_TEST_TMPDIR/$name.pid"
}

# Is PID a running (not zombie) process?
alive() {
	local st
	st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
	[[ -n $st && $st != Z ]]
}

# Wait up to 30 s for a command to succeed.
eventually() {
	local i
	for ((i = 0; i < 300; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	echo "never true: $*" >&2
	return 1
}

# The number of lock nodes under a lock directory.
nodes_in() {
	zk lock --list "$1" | grep -c . || true
}

has_nodes() { [[ $(nodes_in "$1") -eq $2 ]]; }

# ---- layering -------------------------------------------------------------

@test "src/recipes stays on the ZooKeeper layer: no shell.h, no render.h" {
	run grep -lE '#include "(shell|render|command)\.h"' "$ZKSH_SRCDIR"/src/recipes/*.[ch]
	assert_failure 1
	assert_output ""
}

# ---- durations ------------------------------------------------------------

@test "a duration without a unit is refused (exit 2) with the accepted forms" {
	run zk wait --timeout 5 /x
	assert_failure 2
	assert_output --partial "invalid duration '5': no unit"
	assert_output --partial "500ms, 20s, 2m"
	run zk lock --wait 10 /l -- true
	assert_failure 2
	run zk queue pop --wait 1x /q
	assert_failure 2
	assert_output --partial "unknown unit"
}

# ---- incr -----------------------------------------------------------------

@test "incr creates a missing counter, adds DELTA and prints the new value" {
	p=$(fresh_node)
	run zk incr "$p/c"
	assert_success
	assert_output "1"
	run zk incr "$p/c" 5
	assert_output "6"
	run zk incr "$p/c" -10
	assert_output "-4"
	run zk incr "$p/d" --init 100
	assert_output "101"
	run zk get "$p/d"
	assert_output "101"
}

@test "incr on non-numeric data fails with exit 1 and leaves the node as it was" {
	p=$(fresh_node)
	zk create "$p/c" hello >/dev/null
	zk_split incr "$p/c"
	assert_failure 1
	assert_equal "$stderr" "incr: $p/c does not hold a number: 'hello'"
	run zk get -s "$p/c"
	assert_line --index 0 "hello"
	assert_line "dataVersion = 0"
}

@test "incr with a non-integer DELTA or --init is a usage error (exit 2), nothing created" {
	p=$(fresh_node)
	run zk incr "$p/c" 1.5
	assert_failure 2
	assert_output --partial "DELTA must be an integer"
	run zk incr "$p/c" --init x
	assert_failure 2
	run zk exists "$p/c"
	assert_failure 1
}

@test "incr from 10 parallel processes, 100 times each, ends at exactly 1000" {
	p=$(fresh_node)
	local cmds="" i
	for ((i = 0; i < 100; i++)); do cmds+="incr $p/c ; "; done
	for ((i = 0; i < 10; i++)); do
		zk -c "$cmds" >"$BATS_TEST_TMPDIR/incr.$i" 2>&1 3>&- &
	done
	wait
	run zk get "$p/c"
	assert_output "1000"
	# every value from 1 to 1000 was handed out exactly once
	run bash -c "cat '$BATS_TEST_TMPDIR'/incr.* | sort -n | uniq | wc -l"
	assert_output "1000"
}

# ---- wait -----------------------------------------------------------------

@test "wait returns 0 once the node is created" {
	p=$(fresh_node)
	bg w wait --timeout 30s "$p/x"
	sleep 0.3
	zk create "$p/x" >/dev/null
	wait "$(cat "$BATS_TEST_TMPDIR/w.pid")"
}

@test "wait exits 124 on timeout, as timeout(1) does" {
	p=$(fresh_node)
	run zk wait --timeout 300ms "$p/never"
	assert_failure 124
	assert_output --partial "timed out"
	run zk wait --gone --timeout 200ms "$p"
	assert_failure 124
}

@test "wait --gone, --value and --children return when the condition holds" {
	p=$(fresh_node)
	zk create "$p/x" a >/dev/null
	bg v wait --value done --timeout 30s "$p/x"
	bg c wait --children 2 --timeout 30s "$p/x"
	sleep 0.3
	zk set "$p/x" almost
	zk create "$p/x/1" >/dev/null
	alive "$(cat "$BATS_TEST_TMPDIR/v.pid")"
	alive "$(cat "$BATS_TEST_TMPDIR/c.pid")"
	zk set "$p/x" done
	zk create "$p/x/2" >/dev/null
	wait "$(cat "$BATS_TEST_TMPDIR/v.pid")"
	wait "$(cat "$BATS_TEST_TMPDIR/c.pid")"
	bg g wait --gone --timeout 30s "$p/x"
	sleep 0.3
	zk deleteall "$p/x"
	wait "$(cat "$BATS_TEST_TMPDIR/g.pid")"
}

@test "wait --changed prints the new mzxid; --since continues from it" {
	p=$(fresh_node)
	zk create "$p/x" a >/dev/null
	bg ch wait --changed --timeout 30s "$p/x"
	sleep 0.3
	zk set "$p/x" b
	wait "$(cat "$BATS_TEST_TMPDIR/ch.pid")"
	m=$(cat "$BATS_TEST_TMPDIR/ch.out")
	want=$(zk stat "$p/x" | sed -n 's/^mZxid = //p')
	assert_equal "$m" "$want"
	# nothing changed since m: times out
	run zk wait --changed --since "$m" --timeout 300ms "$p/x"
	assert_failure 124
	# a change made before the wait starts is seen through --since
	zk set "$p/x" c
	run zk wait --changed --since "$m" --timeout 10s "$p/x"
	assert_success
	refute_output "$m"
}

@test "SIGTERM ends a wait cleanly with 128+15" {
	p=$(fresh_node)
	bg t wait --timeout 60s "$p/never"
	sleep 0.3
	kill -TERM "$(cat "$BATS_TEST_TMPDIR/t.pid")"
	st=0
	wait "$(cat "$BATS_TEST_TMPDIR/t.pid")" || st=$?
	assert_equal "$st" 143
	grep -q "stopped by signal 15" "$BATS_TEST_TMPDIR/t.err"
}

# ---- lock -----------------------------------------------------------------

@test "lock runs the command with its own flags untouched and exits with its status" {
	p=$(fresh_node)
	run zk lock "$p/l" -- sh -c 'echo "args: $*"; exit 7' sh --wait -v --try
	assert_failure 7
	assert_output "args: --wait -v --try"
	run zk lock --list "$p/l"
	assert_output ""
}

@test "lock gives the child ZKSH_LOCK_PATH and a fencing token that grows strictly" {
	p=$(fresh_node)
	local prev=0 i tok path
	for ((i = 0; i < 4; i++)); do
		out=$(zk lock "$p/l" -- sh -c 'echo "$ZKSH_LOCK_PATH $ZKSH_LOCK_TOKEN"')
		path=${out% *}
		tok=${out#* }
		[[ $path == "$p/l/lock-"* ]]
		((tok > prev))
		prev=$tok
		# sequence numbers restart when the directory is re-created: the token does not
		((i != 1)) || zk delete "$p/l"
	done
}

@test "two lock runs never overlap over 20 contended rounds" {
	p=$(fresh_node)
	f=$BATS_TEST_TMPDIR/stamps
	for who in a b; do
		(
			for ((i = 0; i < 20; i++)); do
				"$ZKSH" -server "$ZK_CONNECT" lock --wait 30s "$p/l" -- \
					sh -c "echo start $who >>'$f'; sleep 0.02; echo end $who >>'$f'" ||
					echo "lock failed: $?" >>"$f"
			done
		) 3>&- &
	done
	wait
	run grep -c . "$f"
	assert_output "80"
	# start X is always followed by end X: no interval starts inside another
	run awk 'NR % 2 == 1 { if ($1 != "start") bad = 1; who = $2 }
		 NR % 2 == 0 { if ($1 != "end" || $2 != who) bad = 1 }
		 END { exit bad }' "$f"
	assert_success
}

@test "--try exits 1 at once while held (-E changes it); --wait names the holder" {
	p=$(fresh_node)
	bg h lock "$p/l" -- sleep 30
	eventually has_nodes "$p/l" 1
	run zk lock --try "$p/l" -- echo never
	assert_failure 1
	refute_output --partial never
	assert_output --partial "is held by lock-"
	assert_output --partial "\"pid\":$(cat "$BATS_TEST_TMPDIR/h.pid")"
	run zk lock --try -E 75 "$p/l" -- echo never
	assert_failure 75
	run zk lock --wait 300ms --conflict-exit-code 76 "$p/l" -- echo never
	assert_failure 76
	assert_output --partial "gave up waiting"
	# the failed attempts left no node behind
	run nodes_in "$p/l"
	assert_output "1"
}

@test "lock --list shows the holder and the waiters in order, also as JSON" {
	p=$(fresh_node)
	bg h lock "$p/l" -- sleep 30
	eventually has_nodes "$p/l" 1
	bg w lock "$p/l" -- true
	eventually has_nodes "$p/l" 2
	run zk lock --list "$p/l"
	assert_line --index 0 --regexp '^holder lock-[0-9a-f]{16}-0000000000 \{"host":'
	assert_line --index 1 --regexp '^waiter lock-[0-9a-f]{16}-0000000001 '
	run zk --json lock --list "$p/l"
	[[ $(jq -r '.nodes[0].role + " " + .nodes[1].role' <<<"$output") == "holder waiter" ]]
}

@test "SIGTERM to a waiting lock removes its node; to a holder, reaches the child" {
	p=$(fresh_node)
	bg h lock "$p/l" -- sh -c 'trap "echo child got TERM; exit 3" TERM; sleep 30 & wait'
	eventually has_nodes "$p/l" 1
	bg w lock "$p/l" -- true
	eventually has_nodes "$p/l" 2
	kill -TERM "$(cat "$BATS_TEST_TMPDIR/w.pid")"
	st=0
	wait "$(cat "$BATS_TEST_TMPDIR/w.pid")" || st=$?
	assert_equal "$st" 143
	eventually has_nodes "$p/l" 1
	kill -TERM "$(cat "$BATS_TEST_TMPDIR/h.pid")"
	st=0
	wait "$(cat "$BATS_TEST_TMPDIR/h.pid")" || st=$?
	assert_equal "$st" 3
	grep -q "child got TERM" "$BATS_TEST_TMPDIR/h.out"
	run nodes_in "$p/l"
	assert_output "0"
}

@test "a holder killed with SIGKILL takes its child along; the next waiter gets the lock" {
	p=$(fresh_node)
	bg h lock "$p/l" -- sh -c "echo \$\$ >'$BATS_TEST_TMPDIR/child'; exec sleep 60"
	eventually test -s "$BATS_TEST_TMPDIR/child"
	bg w lock --wait 30s "$p/l" -- echo second
	eventually has_nodes "$p/l" 2
	kill -KILL "$(cat "$BATS_TEST_TMPDIR/h.pid")"
	child=$(cat "$BATS_TEST_TMPDIR/child")
	eventually bash -c "! [[ \$(awk '{print \$3}' /proc/$child/stat 2>/dev/null) =~ ^[RSD]$ ]]"
	# the waiter gets the lock once the dead holder's session expires
	wait "$(cat "$BATS_TEST_TMPDIR/w.pid")"
	run cat "$BATS_TEST_TMPDIR/w.out"
	assert_output "second"
}

@test "a holder whose session expired (SIGSTOP) kills its child and exits 6" {
	p=$(fresh_node)
	bg h lock --grace 2s "$p/l" -- sh -c 'trap "echo child got TERM; exit 0" TERM; sleep 60 & wait'
	eventually has_nodes "$p/l" 1
	kill -STOP "$(cat "$BATS_TEST_TMPDIR/h.pid")"
	# past the 4 s session timeout: the server expires the session
	eventually has_nodes "$p/l" 0
	sleep 1
	kill -CONT "$(cat "$BATS_TEST_TMPDIR/h.pid")"
	st=0
	wait "$(cat "$BATS_TEST_TMPDIR/h.pid")" || st=$?
	assert_equal "$st" 6
	grep -q "child got TERM" "$BATS_TEST_TMPDIR/h.out"
	grep -q "lost $p/l/lock-" "$BATS_TEST_TMPDIR/h.err"
	grep -q "did not finish under the lock (exit 6)" "$BATS_TEST_TMPDIR/h.err"
}

@test "a deleted lock node counts as lost: kill sends SIGTERM, warn lets the command finish; both exit 6" {
	p=$(fresh_node)
	bg k lock "$p/k" -- sh -c 'trap "echo child got TERM; exit 0" TERM; sleep 60 & wait'
	eventually has_nodes "$p/k" 1
	zk delete "$p/k/$(zk lock --list "$p/k" | awk '{print $2}')"
	st=0
	wait "$(cat "$BATS_TEST_TMPDIR/k.pid")" || st=$?
	assert_equal "$st" 6
	grep -q "child got TERM" "$BATS_TEST_TMPDIR/k.out"
	bg w lock --on-loss warn "$p/w" -- sh -c "while [ ! -e '$BATS_TEST_TMPDIR/go' ]; do sleep 0.1; done; echo finished"
	eventually has_nodes "$p/w" 1
	zk delete "$p/w/$(zk lock --list "$p/w" | awk '{print $2}')"
	eventually grep -q "was deleted" "$BATS_TEST_TMPDIR/w.err"
	touch "$BATS_TEST_TMPDIR/go"
	st=0
	wait "$(cat "$BATS_TEST_TMPDIR/w.pid")" || st=$?
	assert_equal "$st" 6
	run cat "$BATS_TEST_TMPDIR/w.out"
	assert_output "finished"
}

@test "lock --shared: readers share, a writer waits for them" {
	p=$(fresh_node)
	bg r1 lock --shared "$p/l" -- sleep 30
	eventually has_nodes "$p/l" 1
	run zk lock --shared --try "$p/l" -- echo reader
	assert_success
	assert_output "reader"
	run zk lock --try "$p/l" -- echo writer
	assert_failure 1
}

@test "lock: bad input gets a clear message and exit 2, and leaves no lock node" {
	p=$(fresh_node)
	run zk lock "$p/l" echo hi
	assert_failure 2
	assert_output --partial "put -- before the command"
	run zk lock "$p/l" --
	assert_failure 2
	assert_output --partial "no command after --"
	run zk lock "$p/l" extra -- echo hi
	assert_failure 2
	run zk lock --try --wait 1s "$p/l" -- echo hi
	assert_failure 2
	run zk lock --on-loss explode "$p/l" -- echo hi
	assert_failure 2
	run -127 zk lock "$p/l" -- /nonexistent/cmd
	assert_output --partial "command not found"
	run zk exists "$p/l"
	assert_failure 1
	# not a lock directory: a foreign child, an election, an ephemeral node
	zk create "$p/d" >/dev/null
	zk create "$p/d/config" >/dev/null
	run zk lock "$p/d" -- echo RAN
	assert_failure 2
	assert_output --partial "$p/d is not a lock directory: its child 'config' is not a lock node"
	refute_output --partial RAN
	run zk ls "$p/d"
	assert_output "[config]"
	bg e register "$p/eph" x -- sleep 30
	eventually zk exists "$p/eph"
	run zk lock "$p/eph" -- echo hi
	assert_failure 2
	assert_output --partial "is an ephemeral node"
}

# ---- elect ----------------------------------------------------------------

@test "elect: three contenders, exactly one leads; killing it makes another leader" {
	p=$(fresh_node)
	for id in a b c; do
		bg "e$id" elect --id "$id" "$p/e" -- sh -c "echo \$\$ >'$BATS_TEST_TMPDIR/lead.$id'; exec sleep 60"
	done
	eventually has_nodes "$p/e" 3
	leaders() {
		local n=0 f
		for f in "$BATS_TEST_TMPDIR"/lead.*; do
			[[ -s $f ]] && alive "$(cat "$f")" && n=$((n + 1))
		done
		echo $n
	}
	eventually bash -c "ls '$BATS_TEST_TMPDIR'/lead.* >/dev/null 2>&1"
	sleep 0.5
	run leaders
	assert_output "1"
	first=$(basename "$(ls "$BATS_TEST_TMPDIR"/lead.*)")
	first=${first#lead.}
	run zk elect --who "$p/e"
	assert_output --regexp "^$first \{\"id\":\"$first\""
	kill -KILL "$(cat "$BATS_TEST_TMPDIR/e$first.pid")"
	eventually bash -c "[[ \$(ls '$BATS_TEST_TMPDIR'/lead.* | wc -l) -eq 2 ]]"
	sleep 0.5
	run leaders
	assert_output "1"
	run zk --json elect --who "$p/e"
	refute_output --partial "\"id\":\"$first\""
}

@test "elect: bad input (no --, no command) is exit 2; --who on an empty election is exit 1" {
	p=$(fresh_node)
	run zk elect "$p/e" sleep 1
	assert_failure 2
	run zk elect "$p/e" --
	assert_failure 2
	run zk elect --who "$p"
	assert_failure 1
	assert_output --partial "has no leader"
}

# ---- register / members ---------------------------------------------------

@test "register keeps an ephemeral node while the command runs; members lists it" {
	p=$(fresh_node)
	bg r1 register "$p/svc/a" "10.0.0.1:80" -- sleep 30
	eventually zk exists "$p/svc/a"
	bg r2 register --seq "$p/svc/n-" "10.0.0.2:80" -- sleep 30
	eventually bash -c "[[ \$('$ZKSH' -server '$ZK_CONNECT' members '$p/svc' | wc -l) -eq 2 ]]"
	run zk members "$p/svc"
	assert_line --index 0 --regexp '^a 0x[0-9a-f]+ 10\.0\.0\.1:80$'
	assert_line --index 1 --regexp '^n-0000000001 0x[0-9a-f]+ 10\.0\.0\.2:80$'
	run zk --json members "$p/svc"
	[[ $(jq -r '.members[1].data' <<<"$output") == "10.0.0.2:80" ]]
	kill -TERM "$(cat "$BATS_TEST_TMPDIR/r1.pid")"
	wait "$(cat "$BATS_TEST_TMPDIR/r1.pid")" || true
	run zk members "$p/svc"
	assert_output --regexp '^n-0000000001 '
}

@test "register creates its node again after a session expiry (SIGSTOP past the timeout)" {
	p=$(fresh_node)
	bg r register "$p/svc/a" "10.0.0.1:80" -- sleep 60
	eventually zk exists "$p/svc/a"
	owner1=$(zk stat "$p/svc/a" | sed -n 's/^ephemeralOwner = //p')
	kill -STOP "$(cat "$BATS_TEST_TMPDIR/r.pid")"
	eventually bash -c "! '$ZKSH' -server '$ZK_CONNECT' exists '$p/svc/a' >/dev/null 2>&1"
	kill -CONT "$(cat "$BATS_TEST_TMPDIR/r.pid")"
	eventually zk exists "$p/svc/a"
	owner2=$(zk stat "$p/svc/a" | sed -n 's/^ephemeralOwner = //p')
	[[ $owner1 != "$owner2" ]]
	run zk get "$p/svc/a"
	assert_output "10.0.0.1:80"
	eventually grep -q "registered again: $p/svc/a" "$BATS_TEST_TMPDIR/r.err"
}

@test "register exits with the command's status and removes its node" {
	p=$(fresh_node)
	run zk register "$p/a" data -- sh -c 'exit 4'
	assert_failure 4
	run zk ls "$p"
	assert_output "[]"
	run zk register "$p/a" data sleep 1
	assert_failure 2
}

# ---- queue ----------------------------------------------------------------

@test "queue pop returns items in FIFO order and deletes them" {
	p=$(fresh_node)
	for i in 1 2 3; do zk queue push "$p/q" "item$i" >/dev/null; done
	run zk queue pop "$p/q"
	assert_output "item1"
	run zk queue pop "$p/q"
	assert_output "item2"
	run zk ls "$p/q"
	assert_output "[item-0000000002]"
}

@test "queue pop on an empty queue: exit 1 at once, 124 after --wait" {
	p=$(fresh_node)
	run zk queue pop "$p/q"
	assert_failure 1
	assert_output --partial "is empty"
	run zk queue pop --wait 300ms "$p/q"
	assert_failure 124
	bg pw queue pop --wait 30s "$p/q2"
	sleep 0.3
	zk queue push "$p/q2" late >/dev/null
	wait "$(cat "$BATS_TEST_TMPDIR/pw.pid")"
	run cat "$BATS_TEST_TMPDIR/pw.out"
	assert_output "late"
}

@test "queue: bad input is exit 2" {
	run zk queue frob /q
	assert_failure 2
	run zk queue push /q
	assert_failure 2
	run zk queue push --wait 1s /q x
	assert_failure 2
}

@test "queue: 5 producers and 5 consumers, 1000 items, each consumed exactly once" {
	p=$(fresh_node)
	local i j cmds
	for ((i = 0; i < 5; i++)); do
		cmds=""
		for ((j = 0; j < 200; j++)); do cmds+="queue push $p/q p$i-$j ; "; done
		zk -q -c "$cmds" >/dev/null 2>"$BATS_TEST_TMPDIR/prod.$i" 3>&- &
	done
	cmds=""
	for ((j = 0; j < 1000; j++)); do cmds+="queue pop --wait 3s $p/q ; "; done
	for ((i = 0; i < 5; i++)); do
		"$ZKSH" -server "$ZK_CONNECT" -c "$cmds" >"$BATS_TEST_TMPDIR/cons.$i" \
			2>"$BATS_TEST_TMPDIR/cons.err.$i" 3>&- &
	done
	wait
	run bash -c "cat '$BATS_TEST_TMPDIR'/cons.[0-9] | wc -l"
	assert_output "1000"
	run bash -c "cat '$BATS_TEST_TMPDIR'/cons.[0-9] | sort -u | wc -l"
	assert_output "1000"
	run zk ls "$p/q"
	assert_output "[]"
}

# ---- publish / fetch ------------------------------------------------------

@test "publish writes key=value lines, JSON or a directory; fetch reads them back" {
	p=$(fresh_node)
	printf 'a=1\nb=two words\n# a comment\n\ndb/host=h1\n' >"$BATS_TEST_TMPDIR/c.txt"
	run zk publish "$p/cfg" "$BATS_TEST_TMPDIR/c.txt"
	assert_success
	run zk fetch "$p/cfg"
	assert_output "$(printf 'a=1\nb=two words\ndb=\ndb/host=h1')"
	run zk get "$p/cfg/db/host"
	assert_output "h1"
	# a new version replaces the old one: gone keys are deleted
	run bash -c "echo '{\"x\":\"1\",\"nested\":{\"k\":\"v\"},\"n\":5}' | '$ZKSH' -server '$ZK_CONNECT' publish '$p/cfg' -"
	assert_success
	run zk --json fetch "$p/cfg"
	assert_output "{\"command\":\"fetch\",\"path\":\"$p/cfg\",\"config\":{\"n\":\"5\",\"nested\":{\"k\":\"v\"},\"x\":\"1\"}}"
	run zk ls "$p/cfg"
	assert_output "[n, nested, ready, x]"
	mkdir -p "$BATS_TEST_TMPDIR/d/sub"
	echo hello >"$BATS_TEST_TMPDIR/d/f1"
	printf world >"$BATS_TEST_TMPDIR/d/sub/f2"
	run zk publish --ready ok "$p/cfg2" "$BATS_TEST_TMPDIR/d"
	assert_success
	run zk ls "$p/cfg2"
	assert_output "[f1, ok, sub]"
	run zk fetch --ready ok "$p/cfg2" 
	assert_line "sub/f2=world"
}

@test "fetch waits for the ready node: exit 124 when it never comes" {
	p=$(fresh_node)
	run zk fetch --timeout 300ms "$p/cfg"
	assert_failure 124
	assert_output --partial "not ready in time"
	bg f fetch --timeout 30s "$p/cfg"
	sleep 0.3
	echo 'k=v' | zk publish "$p/cfg" - >/dev/null
	wait "$(cat "$BATS_TEST_TMPDIR/f.pid")"
	run cat "$BATS_TEST_TMPDIR/f.out"
	assert_output "k=v"
}

@test "publish: bad input is refused before anything is written" {
	p=$(fresh_node)
	run bash -c "printf 'no equals sign\n' | '$ZKSH' -server '$ZK_CONNECT' publish '$p/cfg' -"
	assert_failure 2
	assert_output --partial "line 1: expected key=value"
	run bash -c "printf 'ready=1\n' | '$ZKSH' -server '$ZK_CONNECT' publish '$p/cfg' -"
	assert_failure 2
	assert_output --partial "the name of the ready node"
	run bash -c "printf '{\"a\": ' | '$ZKSH' -server '$ZK_CONNECT' publish '$p/cfg' -"
	assert_failure 2
	run bash -c "printf '../x=1\n' | '$ZKSH' -server '$ZK_CONNECT' publish '$p/cfg' -"
	assert_failure 2
	run zk publish "$p/cfg" /nonexistent/file
	assert_failure 5
	run zk publish --ready a/b "$p/cfg" /dev/null
	assert_failure 2
	run zk exists "$p/cfg"
	assert_failure 1
}

@test "a fetch --ready reader loop never sees a mix while publish rewrites 20 keys 50 times" {
	p=$(fresh_node)
	local v k
	for ((v = 0; v <= 50; v++)); do
		for ((k = 1; k <= 20; k++)); do echo "key$k=version-$v"; done >"$BATS_TEST_TMPDIR/cfg.$v"
	done
	zk publish "$p/cfg" "$BATS_TEST_TMPDIR/cfg.0" >/dev/null
	touch "$BATS_TEST_TMPDIR/publishing"
	(
		for ((v = 1; v <= 50; v++)); do
			"$ZKSH" -server "$ZK_CONNECT" publish "$p/cfg" "$BATS_TEST_TMPDIR/cfg.$v" || echo "publish failed" >&2
		done
		rm -f "$BATS_TEST_TMPDIR/publishing"
	) 3>&- &
	local reads=0 bad=0 out versions
	while [[ -e $BATS_TEST_TMPDIR/publishing ]] || ((reads == 0)); do
		out=$(timeout 60 "$ZKSH" -server "$ZK_CONNECT" fetch --ready ready --timeout 30s "$p/cfg") || { bad=1; break; }
		reads=$((reads + 1))
		[[ $(grep -c '^key[0-9]*=' <<<"$out") -eq 20 ]] || { echo "incomplete: $out" >&2; bad=1; }
		versions=$(cut -d= -f2 <<<"$out" | sort -u | wc -l)
		[[ $versions -eq 1 ]] || { echo "mixed: $out" >&2; bad=1; }
	done
	wait
	echo "reads: $reads" >&2
	assert_equal "$bad" 0
	run zk fetch "$p/cfg"
	assert_line "key1=version-50"
}

# ---- the interactive shell -----------------------------------------------------

@test "in the interactive shell, the recipes' own watches print no WATCHER lines afterwards" {
	/usr/bin/python3 -c 'import pexpect' 2>/dev/null || skip "python3-pexpect is not installed"
	p=$(fresh_node)
	zk create "$p/g" g >/dev/null
	run timeout 120 /usr/bin/python3 - "$ZKSH" "$ZK_CONNECT" "$p" <<'PY'
import io, subprocess, sys, time
import pexpect
zksh, server, p = sys.argv[1:4]
log = io.StringIO()
z = pexpect.spawn(zksh, ["-server", server, "--no-color"], encoding="utf-8", timeout=30,
                  dimensions=(40, 200))
z.logfile_read = log
prompt = r"CONNECTED\) \d+\] /> "
for cmd in ["lock %s/l -- true" % p, "create %s/w x" % p, "wait --exists %s/w" % p,
            "set %s/w y" % p, "delete %s/w" % p, "queue push %s/q a" % p,
            "queue pop --wait 1s %s/q" % p, "elect %s/e -- true" % p, "get -w %s/g" % p]:
    z.expect(prompt)
    z.sendline(cmd)
z.expect(prompt)
subprocess.run([zksh, "-server", server, "set", p + "/g", "h"], check=True)
z.expect("NodeDataChanged path:%s/g" % p)
z.sendline("quit")
z.expect(pexpect.EOF)
out = log.getvalue()
# one for the connection, one for the user's own get -w
print("watcher lines:", out.count("WATCHER::"))
PY
	assert_success
	assert_output --partial "watcher lines: 2"
}

# ---- a server that goes away (keep last: it stops the server) ---------------

@test "when the server goes away a holder loses its lock (exit 6) and a wait gives up (exit 3)" {
	p=$(fresh_node)
	bg h lock "$p/l" -- sh -c 'trap "echo child got TERM; exit 0" TERM; sleep 60 & wait'
	bg w wait "$p/never"
	eventually has_nodes "$p/l" 1
	zk_stop 1
	st=0
	wait "$(cat "$BATS_TEST_TMPDIR/h.pid")" || st=$?
	assert_equal "$st" 6
	grep -q "child got TERM" "$BATS_TEST_TMPDIR/h.out"
	grep -q "the connection was gone for" "$BATS_TEST_TMPDIR/h.err"
	st=0
	wait "$(cat "$BATS_TEST_TMPDIR/w.pid")" || st=$?
	assert_equal "$st" 3
	zk_restart 1
	zk_wait_serving 1
}
