#!/usr/bin/env bats
# Watches: the emulated persistent watches (addWatch in the shell, the watch
# command in batch mode), removewatches, and the event lines of both.

load helpers

setup_file() {
	zk_start 1
}

teardown_file() {
	zk_stop_all
}

teardown() {
	# a watch left running by a failed test
	if [[ -s $BATS_TEST_TMPDIR/watch.pid ]]; then
		kill "$(cat "$BATS_TEST_TMPDIR/watch.pid")" 2>/dev/null || true
	fi
}

# Start `zksh watch ARGS...` in the background; its stdout goes to $WOUT.
start_watch() {
	WOUT=$BATS_TEST_TMPDIR/watch.out
	"$ZKSH" -server "$ZK_CONNECT" watch "$@" >"$WOUT" 2>"$BATS_TEST_TMPDIR/watch.err" 3>&- &
	echo $! >"$BATS_TEST_TMPDIR/watch.pid"
}

# Wait (up to 60 s) until $WOUT has at least N lines matching REGEX.
wait_lines() {
	local regex=$1 n=$2 i
	for ((i = 0; i < 600; i++)); do
		(($(grep -cE -- "$regex" "$WOUT") >= n)) && return 0
		sleep 0.1
	done
	echo "only $(grep -cE -- "$regex" "$WOUT") of $n lines match $regex" >&2
	cat "$WOUT" >&2
	return 1
}

# The watch is armed once a change of the node READY shows up.
wait_armed() {
	local ready=$1 i
	for ((i = 0; i < 300; i++)); do
		zk set "$ready" "$i"
		grep -q "path:$ready\$" "$WOUT" && return 0
		sleep 0.2
	done
	return 1
}

stop_watch() {
	local pid
	pid=$(cat "$BATS_TEST_TMPDIR/watch.pid")
	kill -INT "$pid"
	wait "$pid"
}

@test "watch -R reports the final change of every one of 100 nodes another client touches" {
	local p; p=$(fresh_node)
	zk create "$p/ready" >/dev/null
	start_watch -R "$p"
	wait_armed "$p/ready"
	for i in $(seq 1 100); do echo "create $p/n$i v0"; done >"$BATS_TEST_TMPDIR/create"
	zk --pipeline -q -f "$BATS_TEST_TMPDIR/create"
	wait_lines "type:NodeCreated path:$p/n[0-9]+$" 100
	{
		for i in $(seq 1 100); do echo "set $p/n$i v1"; done
		for i in $(seq 1 100); do echo "delete $p/n$i"; done
	} >"$BATS_TEST_TMPDIR/change"
	zk --pipeline -q -f "$BATS_TEST_TMPDIR/change"
	wait_lines "type:NodeDeleted path:$p/n[0-9]+$" 100
	stop_watch
	for i in $(seq 1 100); do
		grep -qx "WatchedEvent state:SyncConnected type:NodeCreated path:$p/n$i" "$WOUT"
		grep -qx "WatchedEvent state:SyncConnected type:NodeDataChanged path:$p/n$i" "$WOUT"
		grep -qx "WatchedEvent state:SyncConnected type:NodeDeleted path:$p/n$i" "$WOUT"
	done
	# the deletion is each node's last event
	for i in 1 50 100; do
		run grep "path:$p/n$i\$" "$WOUT"
		assert_line --index 2 --partial "type:NodeDeleted"
	done
}

@test "watch -R sees nodes deep below, created after it started" {
	local p; p=$(fresh_node)
	zk create "$p/ready" >/dev/null
	start_watch -R "$p"
	wait_armed "$p/ready"
	zk create "$p/a" >/dev/null
	wait_lines "NodeCreated path:$p/a$" 1
	zk create "$p/a/b" >/dev/null
	wait_lines "NodeCreated path:$p/a/b$" 1
	zk create "$p/a/b/c" deep >/dev/null
	wait_lines "NodeCreated path:$p/a/b/c$" 1
	zk set "$p/a/b/c" deeper
	wait_lines "NodeDataChanged path:$p/a/b/c$" 1
	zk deleteall "$p/a"
	wait_lines "NodeDeleted path:$p/a$" 1
	stop_watch
	run grep -c "NodeDeleted" "$WOUT"
	assert_output 3
	run grep -c "NodeChildrenChanged" "$WOUT"
	assert_output 0
}

@test "watch -n 2 --json prints one JSON object a line and ends after 2 events" {
	local p; p=$(fresh_node)
	start_watch --json -n 2 "$p"
	local i
	for ((i = 0; i < 300; i++)); do
		zk create "$p/c$i" >/dev/null
		[[ $(wc -l <"$WOUT") -ge 2 ]] && break
		sleep 0.2
	done
	wait "$(cat "$BATS_TEST_TMPDIR/watch.pid")"
	run cat "$WOUT"
	assert_equal "${#lines[@]}" 2
	assert_line --index 0 "{\"command\":\"watch\",\"type\":\"NodeChildrenChanged\",\"state\":\"SyncConnected\",\"path\":\"$p\"}"
	assert_line --index 1 "{\"command\":\"watch\",\"type\":\"NodeChildrenChanged\",\"state\":\"SyncConnected\",\"path\":\"$p\"}"
}

@test "watch of a missing node reports its creation" {
	local p i
	p=$(fresh_node)
	start_watch -n 1 "$p/later"
	# armed once the server lists a watch on the path (four-letter word wchp)
	for ((i = 0; i < 300; i++)); do
		zk_4lw 1 wchp | grep -qx "$p/later" && break
		sleep 0.1
	done
	zk create "$p/later" >/dev/null
	wait "$(cat "$BATS_TEST_TMPDIR/watch.pid")" || { cat "$BATS_TEST_TMPDIR/watch.err"; false; }
	run cat "$WOUT"
	assert_output "WatchedEvent state:SyncConnected type:NodeCreated path:$p/later"
}

@test "watch without -R reports the node's own children changes" {
	local p; p=$(fresh_node)
	start_watch -n 1 "$p"
	local i
	for ((i = 0; i < 300; i++)); do
		zk create "$p/c$i" >/dev/null
		[[ -s $WOUT ]] && break
		sleep 0.2
	done
	wait "$(cat "$BATS_TEST_TMPDIR/watch.pid")"
	run cat "$WOUT"
	assert_output "WatchedEvent state:SyncConnected type:NodeChildrenChanged path:$p"
}

@test "addWatch checks its mode; removewatches without a watch says so" {
	local p; p=$(fresh_node)
	zk_split addWatch -m SOMETIMES "$p"
	assert_failure 2
	assert_regex "$stderr" "PERSISTENT or PERSISTENT_RECURSIVE"
	run zk addWatch "$p"
	assert_success
	zk_split removewatches "$p"
	assert_failure 1
	assert_equal "$stderr" "KeeperErrorCode = No such watcher for $p"
	run zk -c "addWatch -m PERSISTENT $p; removewatches $p"
	assert_success
	run zk -c "get -w $p; removewatches $p -d"
	assert_success
	zk_split removewatches "$p" -c -d
	assert_failure 2
}

@test "help says addWatch is emulated and that events may coalesce" {
	run "$ZKSH" help addWatch
	assert_output --partial "emulated"
	assert_output --partial "coalesce"
}

# The shell: addWatch's events appear between prompts like zkCli's.
@test "in the shell, addWatch -m PERSISTENT_RECURSIVE reports 100 nodes created, changed and deleted" {
	python3 -c 'import pexpect' 2>/dev/null || skip "python3-pexpect is not installed"
	local p; p=$(fresh_node)
	run timeout 300 python3 - "$ZKSH" "$ZK_CONNECT" "$p" <<-'EOF'
		import re, subprocess, sys
		import pexpect
		zksh, connect, root = sys.argv[1:4]
		def other(cmds):
		    subprocess.run([zksh, "-server", connect, "-q", "--no-batch", "--pipeline"],
		                   input="\n".join(cmds) + "\n", text=True, check=True)
		sh = pexpect.spawn(zksh, ["-server", connect], encoding="utf-8", timeout=60)
		sh.sendline("addWatch -m PERSISTENT_RECURSIVE " + root)
		sh.sendline("sync /")
		sh.expect("Sync is OK")
		seen = {"NodeCreated": set(), "NodeDataChanged": set(), "NodeDeleted": set()}
		last = {}
		def collect(kind, want):
		    event = re.compile(r"WatchedEvent state:SyncConnected type:(\w+) path:"
		                       + re.escape(root) + r"/n(\d+)\r?\n")
		    while len(seen[kind]) < want:
		        sh.expect(event)
		        t, n = sh.match.group(1), int(sh.match.group(2))
		        seen.setdefault(t, set()).add(n)
		        last[n] = t
		other(["create %s/n%d" % (root, i) for i in range(100)])
		collect("NodeCreated", 100)
		other(["set %s/n%d x" % (root, i) for i in range(100)] +
		      ["delete %s/n%d" % (root, i) for i in range(100)])
		collect("NodeDeleted", 100)
		for kind, nodes in seen.items():
		    if kind in ("NodeCreated", "NodeDataChanged", "NodeDeleted") and len(nodes) != 100:
		        sys.exit("%s for %d nodes only" % (kind, len(nodes)))
		if set(last.values()) != {"NodeDeleted"}:
		    sys.exit("a node's last event is not NodeDeleted")
		sh.sendline("removewatches " + root)
		sh.expect("type:PersistentWatchRemoved path:" + re.escape(root))
		sh.sendline("quit")
		sh.expect(pexpect.EOF)
		print("ok")
	EOF
	assert_success
	assert_output --partial "ok"
}

@test "in the shell, removewatches reports each kind of watch it removed" {
	python3 -c 'import pexpect' 2>/dev/null || skip "python3-pexpect is not installed"
	local p; p=$(fresh_node)
	run timeout 120 python3 - "$ZKSH" "$ZK_CONNECT" "$p" <<-'EOF'
		import sys
		import pexpect
		zksh, connect, p = sys.argv[1:4]
		sh = pexpect.spawn(zksh, ["-server", connect], encoding="utf-8", timeout=30)
		sh.sendline("get -w " + p)
		sh.sendline("ls -w " + p)
		sh.sendline("removewatches %s -d" % p)
		sh.expect("type:DataWatchRemoved path:" + p)
		sh.sendline("removewatches " + p)
		sh.expect("type:ChildWatchRemoved path:" + p)
		sh.sendline("removewatches " + p)
		sh.expect("No such watcher for " + p)
		sh.sendline("quit")
		sh.expect(pexpect.EOF)
		print("ok")
	EOF
	assert_success
	assert_output --partial "ok"
}

# issue 7 item 13: data, version and zxids with each event

# wait_armed for watch --zxid/--data, whose lines go on after the path.
wait_armed_z() {
	local ready=$1 i
	for ((i = 0; i < 300; i++)); do
		zk set "$ready" "$i"
		grep -q "path:$ready " "$WOUT" && return 0
		sleep 0.2
	done
	return 1
}

@test "watch --data prints each change's zxid, version, mzxid and the new data; the zxid matches stat" {
	local p; p=$(fresh_node)
	zk create "$p/x" v0 >/dev/null
	start_watch --data -R "$p"
	wait_armed_z "$p/x"
	zk set "$p/x" hello >/dev/null
	wait_lines "^hello$" 1
	zk create "$p/y" born >/dev/null
	wait_lines "type:NodeCreated path:$p/y " 1
	stop_watch
	local mzxid czxid version
	mzxid=$(zk stat "$p/x" | sed -n 's/^mZxid = //p')
	version=$(zk stat "$p/x" | sed -n 's/^dataVersion = //p')
	czxid=$(zk stat "$p/y" | sed -n 's/^cZxid = //p')
	run grep -A1 -x "WatchedEvent state:SyncConnected type:NodeDataChanged path:$p/x zxid:$mzxid version:$version mzxid:$mzxid" "$WOUT"
	assert_success
	assert_line --index 1 hello
	run grep -A1 -x "WatchedEvent state:SyncConnected type:NodeCreated path:$p/y zxid:$czxid version:0 mzxid:$czxid" "$WOUT"
	assert_success
	assert_line --index 1 born
}

@test "watch --data --json carries zxid, version, mzxid and data (base64 when binary, null when null)" {
	local p; p=$(fresh_node)
	zk create "$p/x" v0 >/dev/null
	WOUT=$BATS_TEST_TMPDIR/watch.out
	"$ZKSH" -server "$ZK_CONNECT" --json watch --data -R "$p" >"$WOUT" 2>"$BATS_TEST_TMPDIR/watch.err" 3>&- &
	echo $! >"$BATS_TEST_TMPDIR/watch.pid"
	local i
	for ((i = 0; i < 300; i++)); do
		zk set "$p/x" "r$i" >/dev/null
		grep -q "\"path\":\"$p/x\"" "$WOUT" && break
		sleep 0.2
	done
	zk set -b "$p/x" "AAEC" >/dev/null
	wait_lines '"data_base64":"AAEC"' 1
	zk create "$p/n" >/dev/null
	wait_lines "\"type\":\"NodeCreated\",\"state\":\"SyncConnected\",\"path\":\"$p/n\"" 1
	stop_watch
	local mzxid version
	mzxid=$(zk stat "$p/x" | sed -n 's/^mZxid = //p')
	version=$(zk stat "$p/x" | sed -n 's/^dataVersion = //p')
	run grep -F "\"data_base64\":\"AAEC\"" "$WOUT"
	assert_output "{\"command\":\"watch\",\"type\":\"NodeDataChanged\",\"state\":\"SyncConnected\",\"path\":\"$p/x\",\"zxid\":\"$mzxid\",\"version\":$version,\"mzxid\":\"$mzxid\",\"data_base64\":\"AAEC\"}"
	run grep -F "\"path\":\"$p/n\"" "$WOUT"
	assert_output --partial '"version":0,'
	assert_output --partial '"data":null'
}

@test "watch --zxid orders events across nodes: deletions carry the parent's pzxid, changes their mzxid" {
	local p; p=$(fresh_node)
	zk create "$p/ready" >/dev/null
	zk create "$p/db" >/dev/null
	zk create "$p/db/y" >/dev/null
	start_watch --zxid -R "$p"
	wait_armed_z "$p/ready"
	# two transactions (batch mode would commit both in one multi, one zxid)
	zk --no-batch -c "delete $p/db/y; set $p v1" >/dev/null
	wait_lines "type:NodeDeleted path:$p/db/y zxid:0x[0-9a-f]+$" 1
	wait_lines "type:NodeDataChanged path:$p zxid:0x[0-9a-f]+$" 1
	stop_watch
	local del chg pz
	del=$(sed -n "s|.*type:NodeDeleted path:$p/db/y zxid:\(0x[0-9a-f]*\)$|\1|p" "$WOUT")
	chg=$(sed -n "s|.*type:NodeDataChanged path:$p zxid:\(0x[0-9a-f]*\)$|\1|p" "$WOUT")
	pz=$(zk stat "$p/db" | sed -n 's/^pZxid = //p')
	assert_equal "$del" "$pz"
	# the deletion happened first, whatever order the lines came in
	((del < chg))
}

@test "addWatch --data in the shell adds version, mzxid and data after zkCli's unchanged event line" {
	python3 -c 'import pexpect' 2>/dev/null || skip "python3-pexpect is not installed"
	local p; p=$(fresh_node)
	zk create "$p/x" v0 >/dev/null
	run timeout 120 python3 - "$ZKSH" "$ZK_CONNECT" "$p" <<-'EOF'
		import re, subprocess, sys
		import pexpect
		zksh, connect, p = sys.argv[1:4]
		sh = pexpect.spawn(zksh, ["-server", connect], encoding="utf-8", timeout=30)
		sh.sendline("addWatch --data " + p)
		sh.sendline("sync /")
		sh.expect("Sync is OK")
		subprocess.run([zksh, "-server", connect, "set", p + "/x", "hello"], check=True)
		sh.expect(r"WatchedEvent state:SyncConnected type:NodeDataChanged path:"
		          + re.escape(p) + r"/x\r?\nversion:1 mzxid:0x[0-9a-f]+\r?\nhello\r?\n")
		sh.sendline("quit")
		sh.expect(pexpect.EOF)
		print("ok")
	EOF
	assert_success
	assert_output --partial "ok"
}

@test "watch -R over the watch budget is refused with exit 2, says why, and gives back all it had armed" {
	# paths of a known length: each node costs 2 * (length + 4) bytes
	local p="/budget$BATS_TEST_NUMBER$RANDOM$RANDOM"
	p=${p:0:14}
	zk create "$p" >/dev/null
	for i in $(seq 100 159); do echo "create $p/n$i"; done >"$BATS_TEST_TMPDIR/create"
	zk --pipeline -q -f "$BATS_TEST_TMPDIR/create"
	# 60 nodes of 19 characters: 2760 bytes, and the root
	zk_split watch -R --max-watch-bytes 2000 "$p"
	assert_failure 2
	[[ $stderr == *"watch budget of 2000 bytes"* ]]
	[[ $stderr == *"SetWatches"*"jute.maxbuffer"* ]]
	[[ $stderr == *"nothing was left armed"* ]]
	# in one session: the refused watch gives back what it had counted, so a
	# second refusal sees nothing in use and a watch that fits is then set
	zk_split --keep-going -c "addWatch --max-watch-bytes 2000 $p; addWatch --max-watch-bytes 2000 $p"
	assert_failure
	# (the --keep-going summary line repeats the first refusal: not counted)
	run grep -c "(0 in use by other watches)" <<<"$(grep -v ' lines failed; first: ' <<<"$stderr")"
	assert_output 2
	zk_split --keep-going -c "addWatch --max-watch-bytes 2000 $p; addWatch --max-watch-bytes 2000 $p/n100; addWatch --max-watch-bytes 2000 $p"
	assert_failure
	# the first and the third are refused; the second (one node, 46 bytes) is set
	[[ $stderr == *"refused"*"(0 in use by other watches)"*"refused"*"(46 in use by other watches)"* ]]
	run grep -c "refused" <<<"$(grep -v ' lines failed; first: ' <<<"$stderr")"
	assert_output 2
	# a budget that fits: the same watch is set and reports changes
	start_watch -R -n 1 --max-watch-bytes 4000 "$p"
	local i
	for ((i = 0; i < 300; i++)); do
		zk set "$p/n100" "$i" >/dev/null
		[[ -s $WOUT ]] && break
		sleep 0.2
	done
	wait "$(cat "$BATS_TEST_TMPDIR/watch.pid")"
	assert_equal "$(cat "$WOUT")" "WatchedEvent state:SyncConnected type:NodeDataChanged path:$p/n100"
	zk_split watch --max-watch-bytes 0 "$p"
	assert_failure 2
	[[ $stderr == *"--max-watch-bytes wants a positive number"* ]]
}

@test "a watch that grows past its budget reports new nodes without watching them and says so once" {
	local p="/grow$BATS_TEST_NUMBER$RANDOM$RANDOM"
	p=${p:0:12}
	zk create "$p" >/dev/null
	zk create "$p/ready" >/dev/null
	start_watch -R --max-watch-bytes 200 "$p"
	wait_armed "$p/ready"
	for i in $(seq 10 19); do echo "create $p/c$i"; done >"$BATS_TEST_TMPDIR/create"
	zk --pipeline -q -f "$BATS_TEST_TMPDIR/create"
	wait_lines "type:NodeCreated path:$p/c1[0-9]" 10
	stop_watch
	run grep -c "budget (200 bytes of watched paths) is full" "$BATS_TEST_TMPDIR/watch.err"
	assert_output 1
}
