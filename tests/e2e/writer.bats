#!/usr/bin/env bats
bats_require_minimum_version 1.5.0
# The writer: batch mode groups write lines into multi() batches, with the
# semantics of running the lines one at a time. Each script runs batched
# (the default) and with --no-batch, on fresh parents; stdout, stderr, the
# exit code and the tree must be the same. Then --atomic, and faults: a
# member of an ensemble killed mid-script, a single server killed.

load helpers

setup_file() {
	export ZK_EXTRA_CFG="extendedTypesEnabled=true" # TTL nodes
	zk_start 1
}

teardown_file() {
	zk_stop_all
}

# Every node under $1 with its data and versions (no zxids, times or owners).
dump() {
	local p=$1 paths cmds
	paths=$(zk ls -R "$p")
	cmds=$(sed 's/^/get -s /; s/$/;/' <<<"$paths" | tr '\n' ' ')
	{
		echo "$paths"
		zk -c "$cmds" | grep -v -e time -e Zxid -e ephemeralOwner
	} | sed "s#$p#@#g"
}

# Run the script $1 ('@' stands for a fresh parent) batched and with
# --no-batch, with the options that follow; both must give the same status,
# stdout, stderr and tree. Leaves the batched run's in status/output/stderr.
same_as_no_batch() {
	local script=$1 f=$BATS_TEST_TMPDIR/script.zk a b
	shift
	local sa oa ea ta sb ob eb tb
	b=$(fresh_node)
	sed "s#@#$b#g" <<<"$script" >"$f"
	zk_split --no-batch "$@" -f "$f"
	sb=$status ob=${output//$b/@} eb=${stderr//$b/@}
	tb=$(dump "$b")
	a=$(fresh_node)
	sed "s#@#$a#g" <<<"$script" >"$f"
	zk_split "$@" -f "$f"
	sa=$status oa=${output//$a/@} ea=${stderr//$a/@}
	ta=$(dump "$a")
	assert_equal "$oa" "$ob"
	assert_equal "$ea" "$eb"
	assert_equal "$sa" "$sb"
	assert_equal "$ta" "$tb"
	status=$sa output=$oa stderr=${ea//$f/FILE} tree=$ta
}

@test "writer: a failure on the first line of a batch" {
	local s=$'create @/x\nget @/x\ncreate @/x\ncreate @/a\ncreate @/b'
	same_as_no_batch "$s"
	assert_equal "$status" 1
	assert_equal "$stderr" "FILE:3: Node already exists: @/x"
	same_as_no_batch "$s" --keep-going
	assert_equal "$status" 4
	assert_equal "$output" $'Created @/x\nnull\nCreated @/a\nCreated @/b'
}

@test "writer: a failure on a middle line of a batch" {
	local s=$'create @/a\ncreate @/b\ncreate @/a\ncreate @/c\ncreate @/d'
	same_as_no_batch "$s"
	assert_equal "$status" 1
	assert_equal "$output" $'Created @/a\nCreated @/b'
	assert_equal "$stderr" "FILE:3: Node already exists: @/a"
	same_as_no_batch "$s" --keep-going
	assert_equal "$status" 4
	assert_equal "$output" $'Created @/a\nCreated @/b\nCreated @/c\nCreated @/d'
}

@test "writer: a failure on the last line of a batch, before a read and at the end" {
	local s=$'create @/a\ncreate @/b\ndelete @/nope\nls @\ncreate @/c\nset @/zz 1'
	same_as_no_batch "$s"
	assert_equal "$status" 1
	assert_equal "$stderr" "FILE:3: Node does not exist: @/nope"
	same_as_no_batch "$s" --keep-going
	assert_equal "$status" 4
	assert_equal "$output" $'Created @/a\nCreated @/b\n[a, b]\nCreated @/c'
	assert_equal "$stderr" "FILE:3: Node does not exist: @/nope
FILE:6: Node does not exist: @/zz
2 of 6 lines failed; first: FILE:3: Node does not exist: @/nope"
}

@test "writer: sequential and ephemeral nodes" {
	local s=$'create -s @/s x\ncreate -s @/s y\ncreate -e @/e\ncreate -e -s @/es\nls @\ncreate -s @/s z\ncreate @/s0000000001\ncreate @/after'
	same_as_no_batch "$s" --keep-going
	assert_equal "$status" 4
	assert_equal "$output" $'Created @/s0000000000\nCreated @/s0000000001\nCreated @/e\nCreated @/es0000000003\n[e, es0000000003, s0000000000, s0000000001]\nCreated @/s0000000004\nCreated @/after'
}

@test "writer: a parent and its children in one batch, then set and delete" {
	local s=$'create @/p\ncreate @/p/c 1\ncreate @/p/c/d 2\nset @/p/c 3\nset -v 1 @/p/c 4\ndelete @/p/c/d\nget @/p/c'
	same_as_no_batch "$s"
	assert_success
	assert_equal "$output" $'Created @/p\nCreated @/p/c\nCreated @/p/c/d\n4'
}

@test "writer: a get between writes sees every earlier write" {
	local s=$'create @/g 1\nget @/g\nset @/g 2\nget @/g\ndelete @/g\nget @/g\ncreate @/h'
	same_as_no_batch "$s"
	assert_equal "$status" 1
	assert_equal "$output" $'Created @/g\n1\n2'
	assert_equal "$stderr" "FILE:6: Node does not exist: @/g"
}

@test "writer: batches that reach the byte bound, a failure in the second" {
	local big s="" i
	big=$(head -c 100000 /dev/zero | tr '\0' x)
	for i in $(seq 1 12); do s+="create @/n$i $big"$'\n'; done
	s+="create @/n7 $big"$'\n'"create @/last"
	same_as_no_batch "$s" --keep-going
	assert_equal "$status" 4
	assert_equal "$stderr" "FILE:13: Node already exists: @/n7"
	assert_equal "$(grep -c Created <<<"$output")" 13
}

@test "writer: a data line at the largest size the guard accepts goes plain" {
	local big s
	big=$(head -c 600000 /dev/zero | tr '\0' y)
	s="create @/a"$'\n'"create @/big $big"$'\n'"create @/b"$'\n'"set @/big $big"$'\n'"create @/a"
	# the guard counts the whole request (path, ACL, header): 600,000 bytes of
	# data fit under a limit of 601,000
	same_as_no_batch "$s" --max-data 601000
	assert_equal "$status" 1
	assert_equal "$output" $'Created @/a\nCreated @/big\nCreated @/b'
	assert_equal "$stderr" "FILE:5: Node already exists: @/a"
}

@test "writer: TTL creates between batched lines" {
	local s=$'create @/a\ncreate -t 100000 @/ttl v\ncreate @/b\ncreate -t 100000 @/ttl v\ncreate @/c'
	same_as_no_batch "$s" --keep-going
	assert_equal "$status" 4
	assert_equal "$output" $'Created @/a\nCreated @/ttl\nCreated @/b\nCreated @/c'
	assert_equal "$stderr" "FILE:4: Node already exists: @/ttl"
}

@test "writer: container creates between batched lines go plain (the C client's multi aborts on them)" {
	local s=$'create @/a\ncreate -c @/box\ncreate @/box/in\ncreate -c @/box2\ncreate @/b'
	same_as_no_batch "$s"
	assert_equal "$status" 0
	assert_equal "$output" $'Created @/a\nCreated @/box\nCreated @/box/in\nCreated @/box2\nCreated @/b'
	run zk --atomic -c 'create /atomic-box; create -c /atomic-box/c'
	assert_failure 2
	assert_output --partial "container"
	run zk exists /atomic-box
	assert_failure 1
}

@test "writer: check lines join the batch; a stale one fails its line" {
	local s=$'create @/c 1\nset @/c 2\ncheck @/c 1\ncheck @/c 0\ncreate @/after'
	same_as_no_batch "$s"
	assert_equal "$status" 1
	assert_equal "$stderr" "FILE:4: version No is not valid : @/c"
	run zk check /nonexistent-node 0
	assert_failure 1
}

@test "writer: --json output comes in script order after the batch committed" {
	local s=$'create @/j\ncreate -s @/j x\nset @/j 3\ndelete @/nope\ndelete @/j0000000001'
	same_as_no_batch "$s" --json --keep-going
	assert_equal "$status" 4
	assert_equal "$(jq -c . <<<"$output" | tr '\n' ' ')" '{"created":"@/j"} {"created":"@/j0000000001"} {"path":"@/j"} {"deleted":"@/j0000000001"} '
}

@test "writer: -o json on one line renders that line's output as JSON" {
	local s=$'create @/a\ncreate -o json @/b\ncreate @/c\ncreate --json @/a'
	same_as_no_batch "$s"
	assert_equal "$status" 1
	assert_equal "$output" $'Created @/a\n{"created":"@/b"}\nCreated @/c'
	assert_equal "$(jq -r .error.message <<<"$stderr")" "Node already exists: @/a"
}

@test "writer: 2,500 lines over the count bound, a failure on line 1,500" {
	local s="" i
	for i in $(seq 1 2500); do
		if ((i == 1500)); then s+="create @/n7"$'\n'; else s+="create @/n$i"$'\n'; fi
	done
	same_as_no_batch "$s" -q
	assert_equal "$status" 1
	assert_equal "$stderr" "FILE:1500: Node already exists: @/n7"
	same_as_no_batch "$s" -q --keep-going
	assert_equal "$status" 4
}

@test "writer: with --keep-going, unknown commands as the only failures exit 127" {
	local p f=$BATS_TEST_TMPDIR/s.zk mode; p=$(fresh_node)
	for mode in --no-batch --keep-going; do
		printf 'create %s/a%s\nfrobnicate\ncreate %s/b%s\nfrobnicate\n' "$p" $mode "$p" $mode >"$f"
		run -127 bash -c "timeout 60 '$ZKSH' -server '$ZK_CONNECT' --keep-going $mode -f '$f' 2>/dev/null"
		assert_output "Created $p/a$mode
Created $p/b$mode"
	done
}

@test "writer: --no-batch --pipeline keeps single requests in flight" {
	local p f=$BATS_TEST_TMPDIR/s.zk i; p=$(fresh_node)
	for i in $(seq 1 300); do echo "create $p/n$i"; done >"$f"
	echo "create $p/n7" >>"$f"
	zk_split --no-batch --pipeline=16 --keep-going -q -f "$f"
	assert_failure 4
	assert_equal "$stderr" "$f:301: Node already exists: $p/n7"
	run zk --json stat "$p"
	assert_equal "$(jq .stat.numChildren <<<"$output")" 300
}

# ---- --atomic ----------------------------------------------------------------

@test "--atomic: all lines commit together" {
	local p f=$BATS_TEST_TMPDIR/a.zk; p=$(fresh_node)
	printf 'create %s/a 1\ncreate %s/a/b 2\nset %s/a 3\ncheck %s/a 1\n' "$p" "$p" "$p" "$p" >"$f"
	zk_split --atomic -f "$f"
	assert_success
	assert_output "Created $p/a
Created $p/a/b"
	run zk get "$p/a"
	assert_output "3"
}

@test "--atomic: a failing line applies nothing and names its line" {
	local p f=$BATS_TEST_TMPDIR/a.zk; p=$(fresh_node)
	printf 'create %s/a\ncreate %s/b\ncreate %s/a\ncreate %s/c\n' "$p" "$p" "$p" "$p" >"$f"
	zk_split --atomic -f "$f"
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "$f:3: Node already exists: $p/a"
	run zk ls "$p"
	assert_output "[]"
}

@test "--atomic: a stale check applies nothing, exit 1, names the line" {
	local p f=$BATS_TEST_TMPDIR/a.zk; p=$(fresh_node)
	zk create "$p/conf" v1 >/dev/null
	zk set "$p/conf" v2
	printf 'check %s/conf 0\nset %s/conf v3\ncreate %s/published\n' "$p" "$p" "$p" >"$f"
	zk_split --atomic -f "$f"
	assert_failure 1
	assert_equal "$stderr" "$f:1: version No is not valid : $p/conf"
	run zk get "$p/conf"
	assert_output "v2"
	run zk exists "$p/published"
	assert_failure 1
}

@test "--atomic: a TTL create, a read between writes, or too many bytes is refused up front" {
	local p f=$BATS_TEST_TMPDIR/a.zk big; p=$(fresh_node)
	printf 'create %s/a\ncreate -t 10000 %s/t\ncreate %s/b\n' "$p" "$p" "$p" >"$f"
	zk_split --atomic -f "$f"
	assert_failure 2
	assert_equal "$stderr" "$f:2: --atomic: this create cannot go into a multi (a TTL or container create, create -p or set -s); nothing was sent"
	printf 'create %s/a\nget %s/a\ncreate %s/b\n' "$p" "$p" "$p" >"$f"
	zk_split --atomic -f "$f"
	assert_failure 2
	assert_equal "$stderr" "$f:2: --atomic: a read (get) between writes cannot see them before the multi commits; nothing was sent"
	big=$(head -c 2000 /dev/zero | tr '\0' z)
	for i in 1 2 3; do echo "create $p/big$i $big"; done >"$f"
	zk_split --atomic --batch-bytes 4096 -f "$f"
	assert_failure 2
	assert_equal "$stderr" "$f:2: --atomic: the script's writes pass 4096 bytes, the limit of one multi (--batch-bytes); nothing was sent"
	run zk ls "$p"
	assert_output "[]"
	run "$ZKSH" -server "$ZK_CONNECT" --atomic create "$p/x"
	assert_failure 2
}

# ---- faults ------------------------------------------------------------------

# Feed a script through a FIFO so that the test decides when lines arrive.
# $1: the FIFO; starts zksh on it in the background (pid in $zpid).
start_on_fifo() {
	local fifo=$1
	shift
	mkfifo "$fifo"
	timeout 90 "$ZKSH" "$@" -f "$fifo" >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" &
	zpid=$!
	exec 7>"$fifo"
}

# Wait (at most 30 s) until $1 has $2 children.
wait_children() {
	local i n
	for i in $(seq 1 300); do
		n=$(timeout 10 "$ZKSH" -server "$3" --json stat "$1" 2>/dev/null | jq .stat.numChildren)
		[[ $n == "$2" ]] && return 0
		sleep 0.1
	done
	echo "$1 has $n children, not $2" >&2
	return 1
}

# The member (id) of $ZK_BASE that process $1 has its connection to.
connected_member() {
	local port id pid
	pid=$(pgrep -P "$1" | head -1) # zksh under timeout(1)
	port=$(ss -tnp 2>/dev/null | grep "pid=${pid:-$1}," | awk '{print $5}' | head -1 | sed 's/.*://')
	for id in $(zk_members); do
		[[ $(zk_client_port "$id") == "$port" ]] && echo "$id" && return 0
	done
	return 1
}

@test "fail-over: the member zksh is connected to dies mid-script; it finishes on another, every node once" {
	local saved_base=$ZK_BASE saved_connect=$ZK_CONNECT p=/failover id i
	unset ZK_BASE
	zk_start 3
	local connect=$ZK_CONNECT
	timeout 30 "$ZKSH" -server "$connect" create $p >/dev/null
	start_on_fifo "$BATS_TEST_TMPDIR/fifo" -server "$connect" -timeout 10000 -q
	for i in $(seq 1 10000); do echo "create $p/n$i"; done >&7
	wait_children $p 10000 "$connect"
	id=$(connected_member $zpid)
	# freeze it, so that the next batch is in flight when it dies
	kill -STOP "$(zk_pid "$id")"
	for i in $(seq 10001 11000); do echo "create $p/n$i"; done >&7
	sleep 1
	zk_kill "$id"
	for i in $(seq 11001 20000); do echo "create $p/n$i"; done >&7
	exec 7>&-
	local st=0
	wait "$zpid" || st=$?
	cat "$BATS_TEST_TMPDIR/err"
	assert_equal "$st" 0
	run timeout 30 "$ZKSH" -server "$connect" --json stat $p
	assert_equal "$(jq .stat.numChildren <<<"$output")" 20000
	run timeout 30 "$ZKSH" -server "$connect" ls $p
	assert_equal "$(tr ',' '\n' <<<"$output" | sort | uniq -d | wc -l)" 0
	run cat "$BATS_TEST_TMPDIR/err"
	assert_output --partial "the connection was lost"
	zk_stop_all
	export ZK_BASE=$saved_base ZK_CONNECT=$saved_connect
}

@test "a single server killed mid-script: exit 3 within the session timeout, lines reported" {
	local saved_base=$ZK_BASE saved_connect=$ZK_CONNECT p=/single i
	unset ZK_BASE
	zk_start 1
	local connect=$ZK_CONNECT
	timeout 30 "$ZKSH" -server "$connect" create $p >/dev/null
	start_on_fifo "$BATS_TEST_TMPDIR/fifo" -server "$connect" -timeout 4000 -q --keep-going
	for i in $(seq 1 5000); do echo "create $p/n$i"; done >&7
	wait_children $p 5000 "$connect"
	kill -STOP "$(zk_pid 1)"
	# one write (about 17 KB, less than a pipe holds): zksh reads the 1000
	# lines without a pause, so they go as one batch (a pause over 100 ms
	# on a busy machine would flush them in two, and name other lines)
	for i in $(seq 5001 6000); do echo "create $p/n$i"; done >"$BATS_TEST_TMPDIR/block"
	cat "$BATS_TEST_TMPDIR/block" >&7
	sleep 1
	zk_kill 1
	(for i in $(seq 6001 20000); do echo "create $p/n$i"; done >&7) 2>/dev/null || true
	exec 7>&-
	local st=0
	wait "$zpid" || st=$?
	assert_equal "$st" 3
	run cat "$BATS_TEST_TMPDIR/err"
	assert_line --partial "lines 5001-6000: outcome unknown (connection lost)"
	assert_line --partial "5000 lines acknowledged (up to line 5000)"
	zk_stop_all
	export ZK_BASE=$saved_base ZK_CONNECT=$saved_connect
}
