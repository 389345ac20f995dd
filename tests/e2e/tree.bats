#!/usr/bin/env bats
# Whole-subtree commands on the pipelined walker: getEphemerals,
# getAllChildrenNumber and deleteall.

load helpers

setup_file() {
	zk_start 1
}

teardown_file() {
	zk_stop_all
}

# A subtree of 1 + 5 + 5*20 = 106 nodes under $1.
make_tree() {
	{
		for d in 1 2 3 4 5; do
			echo "create $1/d$d"
			for n in $(seq 1 20); do echo "create $1/d$d/n$n"; done
		done
	} >"$BATS_TEST_TMPDIR/tree"
	zk --pipeline -q -f "$BATS_TEST_TMPDIR/tree"
}

@test "getAllChildrenNumber counts every node below path, as zkCli.sh does" {
	local p; p=$(fresh_node)
	make_tree "$p"
	run zk getAllChildrenNumber "$p"
	assert_success
	assert_output 105
	run zk_cli getAllChildrenNumber "$p"
	assert_output 105
	run zk --json getAllChildrenNumber "$p/d3"
	assert_output "{\"command\":\"getAllChildrenNumber\",\"path\":\"$p/d3\",\"count\":20}"
	run zk getAllChildrenNumber "$p/d3/n1"
	assert_output 0
}

@test "getAllChildrenNumber of a missing node fails with Node does not exist" {
	zk_split getAllChildrenNumber /no/such
	assert_failure 1
	assert_equal "$stderr" "Node does not exist: /no/such"
}

@test "getEphemerals lists this session's ephemerals; a path is a prefix filter" {
	local p; p=$(fresh_node)
	zk create "$p/dir" >/dev/null
	run zk -q -c "create -e $p/e1; create -e $p/dir/e2; create -e ${p}x; getEphemerals $p; getEphemerals $p/dir; getEphemerals $p/none"
	assert_success
	assert_line --index 0 "[$p/dir/e2, $p/e1, ${p}x]"
	assert_line --index 1 "[$p/dir/e2]"
	assert_line --index 2 "[]"
}

@test "getEphemerals does not list another session's ephemerals" {
	local p; p=$(fresh_node)
	zk create -e "$p/gone" >/dev/null
	run zk -q -c "create -e $p/mine; getEphemerals $p"
	assert_success
	assert_output "[$p/mine]"
	run zk --json -q -c "create -e $p/m2; getEphemerals $p"
	assert_output --partial "{\"command\":\"getEphemerals\",\"path\":\"$p\",\"ephemerals\":[\"$p/m2\"]}"
}

@test "help marks getEphemerals and getAllChildrenNumber as emulated" {
	run "$ZKSH" help getEphemerals
	assert_output --partial "emulated"
	run "$ZKSH" help getAllChildrenNumber
	assert_output --partial "emulated"
}

@test "deleteall removes a subtree of 106 nodes" {
	local p; p=$(fresh_node)
	make_tree "$p"
	run zk deleteall "$p"
	assert_success
	assert_output ""
	run zk stat "$p"
	assert_failure 1
}

@test "deleteall -b 7 deletes in small multi() batches and --json counts them" {
	local p; p=$(fresh_node)
	make_tree "$p"
	run zk --json deleteall "$p" -b 7
	assert_success
	assert_output "{\"command\":\"deleteall\",\"path\":\"$p\",\"deleted\":106}"
	run zk stat "$p"
	assert_failure 1
}

@test "deleteall of a missing node fails with Node does not exist" {
	zk_split deleteall /no/such
	assert_failure 1
	assert_equal "$stderr" "Node does not exist: /no/such"
}

@test "deleteall -b must be a positive number" {
	zk_split deleteall /x -b 0
	assert_failure 2
	zk_split deleteall /x -b many
	assert_failure 2
}

@test "a partial deleteall exits 4 with the count and the first failure" {
	local p; p=$(fresh_node)
	zk -c "create $p/a; create $p/b; create $p/b/c; create $p/b/c/locked; create $p/z" >/dev/null
	# nobody may delete below $p/b/c any more
	zk setAcl "$p/b/c" world:anyone:rwa
	zk_split deleteall "$p" -b 2
	assert_failure 4
	assert_regex "$stderr" "deleteall: 4 of 6 nodes failed; first: Insufficient permission : $p/b/c/locked"
	run zk ls "$p"
	assert_output "[b]"
	run zk ls "$p/b/c"
	assert_output "[locked]"
}

@test "deleteall / keeps /zookeeper" {
	local p; p=$(fresh_node)
	zk create "$p/x" >/dev/null
	# the super user, past the ACLs earlier tests left behind
	ZKSH_AUTH="digest:$ZK_SUPER_AUTH" run zk deleteall /
	assert_success
	run zk ls /
	assert_output "[zookeeper]"
	run zk ls /zookeeper
	assert_success
}

# deleteall deletes a family of 8 or more children before listing it; a
# child found to have children of its own (the multi() fails NotEmpty) is
# listed and emptied first. Smaller families are listed first.
@test "deleteall of a mixed tree: subtrees inside a wide family, small families, a deep chain" {
	local p f q total
	p=$(fresh_node)
	f=$BATS_TEST_TMPDIR/mixed
	{
		echo "create $p/w"
		for i in $(seq 0 11); do echo "create $p/w/k$i"; done
		for i in 0 1 2; do echo "create $p/w/k3/c$i"; echo "create $p/w/k9/c$i"; done
		for i in $(seq 0 9); do echo "create $p/w/k9/c0/l$i"; done
		echo "create $p/chain"
		q=$p/chain
		for i in $(seq 1 30); do q=$q/n$i; echo "create $q"; done
		echo "create $p/s"
		echo "create $p/s/x"
	} >"$f"
	zk -q -f "$f"
	total=$(($(zk getAllChildrenNumber "$p") + 1))
	assert_equal "$total" 63
	run zk --json deleteall "$p"
	assert_success
	assert_output "{\"command\":\"deleteall\",\"path\":\"$p\",\"deleted\":63}"
	run zk stat "$p"
	assert_failure 1
}

@test "deleteall: a node whose children cannot be read stays, and is named as the cause" {
	local p
	p=$(fresh_node)
	{
		echo "create $p/w"
		for i in $(seq 0 9); do echo "create $p/w/k$i"; done
		echo "create $p/w/k3/x"
	} | zk -q >/dev/null
	# k3 may be deleted (its parent allows it) but not read: its child stays unseen
	zk setAcl "$p/w/k3" world:anyone:cdwa
	zk_split deleteall "$p"
	assert_failure 4
	assert_regex "$stderr" "deleteall: 3 of 12 nodes failed; first: Insufficient permission : $p/w/k3"
	run zk ls "$p/w"
	assert_output "[k3]"
}

@test "Ctrl-C stops deleteall at once, on a frozen server too, and says how far it got" {
	local p out err pid rc=0 server n left
	p=$(fresh_node)
	out=$BATS_TEST_TMPDIR/out err=$BATS_TEST_TMPDIR/err
	{ for i in $(seq 1 5000); do echo "create $p/z$i"; done; } >"$BATS_TEST_TMPDIR/flat"
	zk --pipeline -q -f "$BATS_TEST_TMPDIR/flat"
	server=$(zk_pid 1)
	# requests stay out to the frozen server: see tests/lsan.supp
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0 \
		"$ZKSH" -server "$ZK_CONNECT" -timeout 30000 --window 10 deleteall -b 5 "$p" \
		>"$out" 2>"$err" &
	pid=$!
	for _ in $(seq 400); do
		n=$(zk stat "$p" 2>/dev/null | sed -n 's/^numChildren = //p')
		[[ -n $n && $n -lt 5000 ]] && break
		sleep 0.05
	done
	kill -STOP "$server"
	kill -INT "$pid"
	wait "$pid" || rc=$?
	kill -CONT "$server"
	[[ $rc == 130 ]] || { echo "stderr:"; cat "$err"; }
	assert_equal "$rc" 130
	run cat "$err"
	assert_line --index 0 --regexp '^deleteall: interrupted after [0-9]+ nodes$'
	assert_line --index 1 "zksh: interrupted"
	n=$(sed -n 's/^deleteall: interrupted after \([0-9]*\) nodes$/\1/p' "$err")
	left=$(zk stat "$p" | sed -n 's/^numChildren = //p')
	# what it counted went; what was out when it stopped may have gone too
	((left <= 5000 - n)) || fail "$left left after $n deleted"
	((left > 0)) || fail "nothing left: it did not stop"
}
