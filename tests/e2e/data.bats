#!/usr/bin/env bats
# The zkCli data commands against a real server: output text, exit codes,
# JSON, and where zkCli.sh itself is the reference, byte-for-byte equality.

load helpers

setup_file() {
	export ZK_EXTRA_CFG="extendedTypesEnabled=true"
	zk_start 1
}

teardown_file() {
	zk_stop_all
}

@test "create /a hello then get /a prints hello" {
	run zk create /a hello
	assert_success
	assert_output "Created /a"
	run zk get /a
	assert_success
	assert_output "hello"
}

@test "stat prints zkCli's 11 lines, identical to zkCli.sh's" {
	local p; p=$(fresh_node)
	zk set "$p" "twelve bytes"
	zk create "$p/c1" >/dev/null
	run zk stat "$p"
	assert_success
	assert_equal "$(wc -l <<<"$output")" 11
	assert_line --index 0 --regexp '^cZxid = 0x[0-9a-f]+$'
	assert_line --index 1 --regexp '^ctime = [A-Z][a-z]{2} [A-Z][a-z]{2} [0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} [A-Z]+ [0-9]{4}$'
	assert_line --index 6 "dataVersion = 1"
	assert_line --index 8 "ephemeralOwner = 0x0"
	assert_line --index 9 "dataLength = 12"
	assert_line --index 10 "numChildren = 1"
	local ours=$output
	run zk_cli stat "$p"
	assert_success
	assert_equal "$ours" "$(grep -E '^[a-zA-Z]+ = ' <<<"$output")"
}

@test "ls prints sorted children in brackets; ls -s adds the stat" {
	local p; p=$(fresh_node)
	for n in zeta alpha mid; do zk create "$p/$n" >/dev/null; done
	run zk ls "$p"
	assert_success
	assert_output "[alpha, mid, zeta]"
	run zk ls -s "$p"
	assert_line --index 0 "[alpha, mid, zeta]"
	assert_line --index 11 "numChildren = 3"
}

@test "ls -R lists the subtree in the same order as zkCli.sh" {
	local p; p=$(fresh_node)
	zk -c "create $p/b; create $p/a; create $p/a/y; create $p/a/x; create $p/b/z; create $p/a/x/deep; create $p/c" >/dev/null
	run zk ls -R "$p"
	assert_success
	local ours=$output
	assert_line --index 0 "$p"
	assert_equal "$(wc -l <<<"$ours")" 8
	run zk_cli ls -R "$p"
	assert_equal "$ours" "$(grep "^$p" <<<"$output")"
}

@test "ls -R of the root starts with / and includes /zookeeper/config" {
	run zk ls -R /
	assert_success
	assert_line --index 0 "/"
	assert_line "/zookeeper/config"
}

@test "get of a node created without data prints null" {
	local p; p=$(fresh_node)
	run zk get "$p"
	assert_success
	assert_output "null"
}

@test "get -s prints the data then the stat" {
	local p; p=$(fresh_node)
	zk set "$p" v1
	run zk get -s "$p"
	assert_line --index 0 "v1"
	assert_line --index 7 "dataVersion = 1"
}

@test "set with a stale version fails with exit 1 and 'version No is not valid'" {
	local p; p=$(fresh_node)
	zk set "$p" one
	zk_split set -v 0 "$p" two
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "version No is not valid : $p"
	run zk get "$p"
	assert_output "one"
	run zk set -v 1 "$p" two
	assert_success
}

@test "delete of a node with children fails with 'Node not empty'" {
	local p; p=$(fresh_node)
	zk create "$p/kid" >/dev/null
	zk_split delete "$p"
	assert_failure 1
	assert_equal "$stderr" "Node not empty: $p"
	run zk delete "$p/kid"
	assert_success
	run zk delete "$p"
	assert_success
	run zk exists "$p"
	assert_failure 1
	assert_output "false"
}

@test "delete -v with a stale version keeps the node" {
	local p; p=$(fresh_node)
	zk set "$p" x
	run zk delete -v 0 "$p"
	assert_failure 1
	run zk exists "$p"
	assert_success
	run zk delete -v 1 "$p"
	assert_success
}

@test "get of a missing node: 'Node does not exist', exit 1, nothing on stdout" {
	zk_split get /no/such/node
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "Node does not exist: /no/such/node"
}

@test "create of an existing node fails with 'Node already exists'" {
	local p; p=$(fresh_node)
	zk_split create "$p" again
	assert_failure 1
	assert_equal "$stderr" "Node already exists: $p"
}

@test "create -s appends a 10-digit sequence number" {
	local p; p=$(fresh_node)
	run zk create -s "$p/job-" x
	assert_success
	assert_output "Created $p/job-0000000000"
	run zk create -s "$p/job-" x
	assert_output "Created $p/job-0000000001"
}

@test "create -e makes an ephemeral node that goes with the session" {
	local p; p=$(fresh_node)
	run zk -c "create -e $p/eph x; stat $p/eph"
	assert_success
	assert_line --regexp '^ephemeralOwner = 0x[0-9a-f]{6,}$'
	run zk exists "$p/eph"
	assert_failure 1
}

@test "ephemerals cannot have children" {
	local p; p=$(fresh_node)
	run zk -c "create -e $p/eph; create $p/eph/kid"
	assert_failure 1
	assert_output --partial "Ephemerals cannot have children: $p/eph/kid"
}

@test "create -c makes a container; -c with -e is a usage error" {
	local p; p=$(fresh_node)
	run zk create -c "$p/box"
	assert_success
	run zk create -c -e "$p/bad"
	assert_failure 2
	assert_output --partial "-c cannot be combined with -s or -e"
	run zk exists "$p/bad"
	assert_failure 1
}

@test "create -t makes a TTL node; a bad ttl is a usage error" {
	local p; p=$(fresh_node)
	run zk create -t 600000 "$p/ttl" x
	assert_success
	run zk get "$p/ttl"
	assert_output "x"
	run zk create -t abc "$p/t2"
	assert_failure 2
	assert_output --partial "-t argument must be a long value"
	run zk create -t 5000 -e "$p/t3"
	assert_failure 2
	assert_output --partial "TTLs cannot be used with Ephemeral znodes"
}

@test "exists exits 0 for a node and 1 for a missing one" {
	local p; p=$(fresh_node)
	run zk exists "$p"
	assert_success
	assert_output "true"
	run zk exists "$p/none"
	assert_failure 1
	assert_output "false"
}

@test "cd and pwd: relative paths resolve against the current node" {
	local p; p=$(fresh_node)
	run zk -c "cd $p; pwd; create kid data; get kid; cd kid; get ../kid; get .; cd ..; ls ."
	assert_success
	assert_output "$p
Created $p/kid
data
data
data
[kid]"
}

@test "cd to a missing node fails and keeps the current node" {
	run zk -c "cd /nope"
	assert_failure 1
	assert_output --partial "Node does not exist: /nope"
}

@test "sync prints 'Sync is OK'" {
	run zk sync /
	assert_success
	assert_output "Sync is OK"
}

@test "--json: get, ls, stat and create each print one JSON document" {
	local p; p=$(fresh_node)
	run zk --json create "$p/j" '{"k": 1}'
	assert_success
	assert_equal "$(jq -r .created <<<"$output")" "$p/j"
	run zk --json get -s "$p/j"
	assert_equal "$(jq -r .data <<<"$output")" '{"k": 1}'
	assert_equal "$(jq -r .stat.dataLength <<<"$output")" 8
	run zk --json ls "$p"
	assert_equal "$(jq -c .children <<<"$output")" '["j"]'
	run zk --json stat "$p"
	assert_equal "$(jq -r .stat.numChildren <<<"$output")" 1
	run zk --json get "$p"
	assert_equal "$(jq -c .data <<<"$output")" 'null'
	run zk --json ls -R "$p"
	assert_equal "$(jq -sc '[.[] | [.command, .path]]' <<<"$output")" "[[\"ls\",\"$p\"],[\"ls\",\"$p/j\"]]"
}

@test "--json -c 'create; get; ls' prints three documents, each naming its command and path" {
	local p; p=$(fresh_node)
	run zk --json -c "create $p/a x; get $p/a; ls $p"
	assert_success
	assert_equal "${#lines[@]}" 3
	assert_line --index 0 "{\"command\":\"create\",\"path\":\"$p/a\",\"created\":\"$p/a\"}"
	assert_line --index 1 "{\"command\":\"get\",\"path\":\"$p/a\",\"data\":\"x\"}"
	assert_line --index 2 "{\"command\":\"ls\",\"path\":\"$p\",\"children\":[\"a\"]}"
	# each line is a JSON document of its own
	local l
	for l in "${lines[@]}"; do
		python3 -c 'import json, sys; json.loads(sys.argv[1])' "$l"
	done
	# the same through the batch writer's pipelined creates
	run zk --json --pipeline -c "create $p/b y; create $p/c; get $p/b"
	assert_success
	assert_equal "$(jq -sc '[.[] | [.command, .path]]' <<<"$output")" \
		"[[\"create\",\"$p/b\"],[\"create\",\"$p/c\"],[\"get\",\"$p/b\"]]"
}

@test "--json errors go to stderr as a JSON object with the exit code" {
	zk_split --json get /none/here
	assert_failure 1
	assert_output ""
	assert_equal "$(jq -r .error.code <<<"$stderr")" "NoNode"
	assert_equal "$(jq -r .error.path <<<"$stderr")" "/none/here"
	assert_equal "$(jq -r .error.exit <<<"$stderr")" 1
}

@test "-o json on one command of a text script" {
	local p; p=$(fresh_node)
	run zk -c "get $p; get -o json $p"
	assert_success
	assert_line --index 0 "null"
	assert_line --index 1 "{\"command\":\"get\",\"path\":\"$p\",\"data\":null}"
}

@test "binary data: set -b from base64, get -b and get -x show it" {
	local p; p=$(fresh_node)
	run zk set -b "$p" AAEC/w==
	assert_success
	run zk get -b "$p"
	assert_output "AAEC/w=="
	run zk get -x "$p"
	assert_line --index 3 "|00000000| 00 01 02 ff                                     |....            |"
	run zk --json get "$p"
	assert_equal "$(jq -r .data_base64 <<<"$output")" "AAEC/w=="
}

@test "a chroot in the connect string scopes every path" {
	local p; p=$(fresh_node)
	zk create "$p/inside" x >/dev/null
	run timeout 30 "$ZKSH" -server "$ZK_CONNECT$p" ls /
	assert_success
	assert_output "[inside]"
}

@test "help lists every command; help CMD describes one" {
	run zk help
	assert_success
	for c in ls get set create delete stat sync cd pwd help version quit; do
		assert_line --regexp "^	$c( |$)"
	done
	run zk help get
	assert_success
	assert_line --index 0 "get [-s] [-w] [-b] [-x] path"
	run zk get --help
	assert_success
	assert_line --index 0 "get [-s] [-w] [-b] [-x] path"
}

@test "version needs no server" {
	run timeout 10 "$ZKSH" -server 127.0.0.1:1 version
	assert_success
	assert_output --regexp '^zksh [0-9]+\.[0-9]+\.[0-9]+ \(ZooKeeper C client 3\.[0-9.]+\)$'
}

@test "create with a missing parent names the parent (zkCli 3.8 names the node), exit 1" {
	local p; p=$(fresh_node)
	run zk create "$p/m1/m2/m3" x
	assert_failure 1
	assert_output "Node does not exist: $p/m1/m2"
	# the same through the pipelined writer
	run zk --pipeline -c "create $p/m1/m2/m3 x"
	assert_failure 1
	assert_output --partial "Node does not exist: $p/m1/m2"
	refute_output --partial "$p/m1/m2/m3"
}

@test "create -p makes the missing parents: persistent, no data, the given ACL; only the last gets data and flags" {
	local p; p=$(fresh_node)
	zk create "$p/a" keep >/dev/null
	run zk create -p -e "$p/a/b/c/leaf" payload world:anyone:cdrw
	assert_success
	assert_output "Created $p/a/b/c/leaf"
	run zk get "$p/a"
	assert_output "keep"
	run zk get "$p/a/b"
	assert_output "null"
	run zk --json stat "$p/a/b/c"
	assert_equal "$(jq -r .stat.ephemeralOwner <<<"$output")" "0x0"
	run zk getAcl "$p/a/b/c"
	assert_output "$(printf "'world,'anyone\n: cdrw")"
	# an ephemeral leaf goes with the session that made it
	run zk exists "$p/a/b/c/leaf"
	assert_failure 1
	run zk create -p -s "$p/x/y/n-" v
	assert_success
	assert_output "Created $p/x/y/n-0000000000"
	run zk get "$p/x/y/n-0000000000"
	assert_output "v"
	# without -p the parents stay missing, and -p of an existing node still fails
	run zk create -p "$p/x/y/n-0000000000" w
	assert_failure 1
	assert_output "Node already exists: $p/x/y/n-0000000000"
}
