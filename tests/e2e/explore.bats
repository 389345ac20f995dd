#!/usr/bin/env bats
# tree, du, find, grep, count: the walk commands (src/cmd/explore.c, search.c)
# against a real server, on fixtures whose answers are known.

load helpers

# /fx/small (the drawing): a(hello)/{x(one),y(two)}, b/c(three\nfour),
# bin (4 binary bytes), z (46 bytes). /fx/many: 2,000 children k0000..k1999,
# each with the 6 bytes n=NNNN.
setup_file() {
	zk_start 1
	local f="$BATS_FILE_TMPDIR/fixture"
	{
		echo "create /fx"
		echo "create /fx/small"
		echo "create /fx/small/a hello"
		echo "create /fx/small/a/x one"
		echo "create /fx/small/a/y two"
		echo "create /fx/small/b"
		echo "create -b /fx/small/b/c $(printf 'three\nfour' | base64)"
		echo "create -b /fx/small/bin $(printf '\000\001\002\377' | base64)"
		echo "create /fx/small/z 0123456789012345678901234567890123456789012345"
		echo "create /fx/many"
		for i in $(seq -w 0 1999); do echo "create /fx/many/k$i n=$i"; done
	} >"$f"
	zk --pipeline -q -f "$f"
	# /wide: 20,000 children with 200-byte names, a 4 MB child list
	local pad
	pad=$(printf '%0195d' 0)
	{
		echo "create /wide"
		for i in $(seq -w 0 19999); do echo "create /wide/${pad}$i"; done
	} >"$f"
	zk --pipeline -q -f "$f"
}

teardown_file() {
	zk_stop_all
}

# tree -s with each mtime replaced by DATE (its shape checked on the way).
tree_s_dated() {
	sed -E 's/ [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} / DATE /'
}

@test "tree draws /fx/small as tree(1) does, in UTF-8 under a UTF-8 locale" {
	LC_ALL=C.UTF-8 run zk tree /fx/small
	assert_success
	assert_output "/fx/small
├── a
│   ├── x
│   └── y
├── b
│   └── c
├── bin
└── z

7 nodes"
}

@test "tree draws with ASCII lines under LC_ALL=C and with --ascii" {
	LC_ALL=C run zk tree /fx/small
	assert_success
	assert_output '/fx/small
|-- a
|   |-- x
|   `-- y
|-- b
|   `-- c
|-- bin
`-- z

7 nodes'
	LC_ALL=C.UTF-8 run zk tree --ascii /fx/small/a
	assert_output '/fx/small/a
|-- x
`-- y

2 nodes'
}

@test "tree -s adds size, children, mtime and kind columns" {
	LC_ALL=C run zk tree -s /fx/small
	assert_success
	assert_equal "$(tree_s_dated <<<"$output")" '/fx/small
|-- [      5      2 DATE -]  a
|   |-- [      3      0 DATE -]  x
|   `-- [      3      0 DATE -]  y
|-- [      0      1 DATE -]  b
|   `-- [     10      0 DATE -]  c
|-- [      4      0 DATE -]  bin
`-- [     46      0 DATE -]  z

7 nodes'
}

@test "tree -s marks an ephemeral node with e" {
	local p; p=$(fresh_node)
	LC_ALL=C run zk -q -c "create $p/keep; create -e $p/mine; tree -s $p"
	assert_success
	assert_equal "$(tree_s_dated <<<"$output")" "$p
|-- [      0      0 DATE -]  keep
\`-- [      0      0 DATE e]  mine

2 nodes"
}

@test "tree -l shows short values, escaped and cut at 40 bytes; binary data as its size" {
	LC_ALL=C run zk tree -l /fx/small
	assert_success
	assert_output '/fx/small
|-- a = hello
|   |-- x = one
|   `-- y = two
|-- b
|   `-- c = three\nfour
|-- bin = <binary, 4 bytes>
`-- z = 0123456789012345678901234567890123456789...

7 nodes'
}

@test "tree -d stops at a depth; the path is shown as given" {
	LC_ALL=C run zk -c "cd /fx; tree -d 1 small"
	assert_success
	assert_output 'small
|-- a
|-- b
|-- bin
`-- z

4 nodes'
	run zk tree -d 0 /fx/small/a/x
	assert_output '/fx/small/a/x

0 nodes'
}

@test "tree of a leaf says 0 nodes, of one child 1 node" {
	LC_ALL=C run zk tree /fx/small/b
	assert_success
	assert_output '/fx/small/b
`-- c

1 node'
	run zk tree /fx/small/b/c
	assert_output '/fx/small/b/c

0 nodes'
}

@test "tree --json streams one object a line per node, then the node count" {
	run zk --json tree /fx/small
	assert_success
	assert_equal "${#lines[@]}" 9
	# every line parses on its own and names the command
	local l
	for l in "${lines[@]}"; do
		python3 -c 'import json, sys; d = json.loads(sys.argv[1]); assert d["command"] == "tree"' "$l"
	done
	assert_equal "$(jq -sc '[.[0:8][] | [.name, .depth]]' <<<"$output")" \
		'[["small",0],["a",1],["x",2],["y",2],["b",1],["c",2],["bin",1],["z",1]]'
	assert_equal "$(jq -sc '[.[1:3][] | .path]' <<<"$output")" '["/fx/small/a","/fx/small/a/x"]'
	assert_line --index 8 '{"command":"tree","path":"/fx/small","nodes":7}'
	run zk --json tree -s -l -d 1 /fx/small
	assert_equal "$(jq -sc '.[1] | [.data, .stat.numChildren, .type]' <<<"$output")" '["hello",2,"persistent"]'
	assert_equal "$(jq -sc '.[3].data_base64' <<<"$output")" '"AAEC/w=="'
}

@test "tree of a missing node fails with Node does not exist and prints nothing" {
	zk_split tree /fx/none
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "Node does not exist: /fx/none"
	zk_split --json tree /fx/none
	assert_failure 1
	assert_output ""
}

@test "tree, du and count take bad depths as usage errors before connecting" {
	run "$ZKSH" -server 127.0.0.1:1 tree -d -1 /fx
	assert_failure 2
	assert_output --partial "tree: -d wants a depth from 0, not '-1'"
	run "$ZKSH" -server 127.0.0.1:1 du -d x /fx
	assert_failure 2
	run "$ZKSH" -server 127.0.0.1:1 du -s -d 2 /fx
	assert_failure 2
	assert_output --partial "-s prints only the total"
	run "$ZKSH" -server 127.0.0.1:1 count /fx extra
	assert_failure 2
	run "$ZKSH" -server 127.0.0.1:1 tree /fx//bad
	assert_failure 2
}

@test "du prints bytes and nodes per subtree, children before parents" {
	run zk du /fx/small
	assert_success
	assert_output "$(printf '%s\t%s\t%s\n' \
		3 1 /fx/small/a/x 3 1 /fx/small/a/y 11 3 /fx/small/a \
		10 1 /fx/small/b/c 10 2 /fx/small/b 4 1 /fx/small/bin 46 1 /fx/small/z \
		71 8 /fx/small)"
}

@test "du -d 1, -s and -h on the fixture with 2,000 children" {
	run zk du -d 1 /fx
	assert_success
	assert_output "$(printf '%s\t%s\t%s\n' 12000 2001 /fx/many 71 8 /fx/small 12071 2010 /fx)"
	run zk du -s /fx
	assert_output "$(printf '12071\t2010\t/fx')"
	run zk du -s -h /fx
	assert_output "$(printf '12K\t2010\t/fx')"
	run zk du -h -d 0 /fx/many
	assert_output "$(printf '12K\t2001\t/fx/many')"
	run zk du -h -s /fx/small
	assert_output "$(printf '71\t8\t/fx/small')"
	run zk --json du -s /fx/many
	assert_output '{"command":"du","path":"/fx/many","bytes":12000,"nodes":2001}'
}

@test "du's table is tab-separated when piped and aligned columns on a terminal" {
	run zk du -d 1 /fx/small
	assert_success
	assert_equal "${#lines[@]}" 5
	local l
	for l in "${lines[@]}"; do
		[[ $l =~ ^[0-9]+$'\t'[0-9]+$'\t'/fx/small ]] || fail "not tab-separated: $l"
	done
	# on a terminal: no tabs, numbers right-aligned, every path in one column
	run script -qec "COLUMNS=60 '$ZKSH' -server '$ZK_CONNECT' du -d 1 /fx/small" /dev/null
	assert_success
	output=$(tr -d '\r' <<<"$output")
	[[ $output != *$'\t'* ]] || fail "tabs on a terminal: $output"
	mapfile -t lines <<<"$output"
	assert_equal "${#lines[@]}" 5
	assert_equal "$(awk '{ print index($0, "/fx/small") }' <<<"$output" | sort -u | wc -l)" 1
	assert_line --regexp '^ *[0-9]+ +[0-9]+ /fx/small/z$'
}

@test "du -h rounds up in powers of 1024 as du does" {
	local p; p=$(fresh_node)
	zk create "$p/a" "$(head -c 1536 /dev/zero | tr '\0' x)" >/dev/null
	run zk du -h -s "$p"
	assert_output "$(printf '1.5K\t2\t%s' "$p")"
	zk set "$p/a" "$(head -c 10241 /dev/zero | tr '\0' x)"
	run zk du -h -s "$p"
	assert_output "$(printf '11K\t2\t%s' "$p")"
}

@test "du of a missing node fails with Node does not exist" {
	zk_split du /fx/none
	assert_failure 1
	assert_equal "$stderr" "Node does not exist: /fx/none"
}

@test "find -name, -path and -maxdepth" {
	run zk find /fx -name 'k19[0-9]9'
	assert_success
	assert_output "$(for i in $(seq 1909 10 1999); do echo "/fx/many/k$i"; done)"
	run zk find /fx/small -path '/fx/small/a*'
	assert_output '/fx/small/a
/fx/small/a/x
/fx/small/a/y'
	run zk find /fx -maxdepth 1
	assert_output '/fx
/fx/many
/fx/small'
	run zk find /fx -maxdepth 0 -name fx
	assert_output '/fx'
}

@test "find -size and -children answer which nodes are huge and which have many children" {
	run zk find /fx -size +10
	assert_success
	assert_output '/fx/small/z'
	run zk find /fx/small -size -4
	assert_output '/fx/small
/fx/small/a/x
/fx/small/a/y
/fx/small/b'
	run zk find /fx/small -size 10
	assert_output '/fx/small/b/c'
	run zk find /fx/small -maxdepth 1 -size +0k
	assert_output '/fx/small/a
/fx/small/bin
/fx/small/z'
	run zk find /fx -size +1k
	assert_output ''
	run zk find /fx -children +100
	assert_output '/fx/many'
	run zk find /fx/small -children 2
	assert_output '/fx/small/a'
	run zk --json find /fx -children +1
	assert_output '{"command":"find","path":"/fx"}
{"command":"find","path":"/fx/many"}
{"command":"find","path":"/fx/small"}
{"command":"find","path":"/fx/small/a"}
{"command":"find","path":"/fx","matches":4}'
}

@test "find -mtime counts in days or in the unit given" {
	run zk find /fx/small -mtime -1
	assert_success
	assert_line --index 0 /fx/small
	assert_equal "${#lines[@]}" 8
	run zk find /fx/small -mtime +0
	assert_output ""
	run zk find /fx/small -maxdepth 0 -mtime -600m
	assert_output /fx/small
	run zk find /fx/small -maxdepth 0 -mtime +600m
	assert_output ""
}

@test "find -type: ephemeral, sequential, persistent, a list" {
	local p; p=$(fresh_node)
	run zk -q -c "create $p/dir; create -s $p/dir/q- x; create -e $p/e; find $p -type ephemeral; find $p -type sequential; find $p -type ephemeral,sequential; find $p -type persistent -name 'q-*'"
	assert_success
	assert_output "$p/e
$p/dir/q-0000000000
$p/dir/q-0000000000
$p/e
$p/dir/q-0000000000"
}

@test "find -owner lists the ephemerals of one session" {
	local p pid owner; p=$(fresh_node)
	# a session that stays: it watches until killed
	timeout 60 "$ZKSH" -server "$ZK_CONNECT" -c "create -e $p/held; watch $p" >/dev/null 2>&1 &
	pid=$!
	for _ in $(seq 100); do zk exists "$p/held" >/dev/null 2>&1 && break; sleep 0.1; done
	zk create -e "$p/other" >/dev/null
	owner=$(zk stat "$p/held" | sed -n 's/^ephemeralOwner = //p')
	run zk find "$p" -owner "$owner"
	kill "$pid"
	wait "$pid" || true
	assert_success
	assert_output "$p/held"
}

@test "find -print0 ends each path with NUL" {
	run bash -c "timeout 60 '$ZKSH' -server '$ZK_CONNECT' find /fx/small/a -print0 | od -An -c | tr -s ' '"
	assert_success
	assert_output --partial '/ f x / s m a l l / a \0 / f x'
}

@test "find rejects a bad glob, kind, number or session before connecting" {
	local bad
	for bad in "-name a[b" "-path x\\" "-type file" "-size 10x" "-size +" "-children -x" \
		"-mtime 3y" "-maxdepth -1" "-owner nope"; do
		# shellcheck disable=SC2086
		run "$ZKSH" -server 127.0.0.1:1 find /fx $bad
		assert_failure 2
		assert_output --partial "find: "
	done
	run "$ZKSH" -server 127.0.0.1:1 find /fx -name 'a[b'
	assert_output "find: bad -name pattern 'a[b': a '[' has no closing ']'"
}

@test "find of a missing node fails with Node does not exist" {
	zk_split find /fx/none -name x
	assert_failure 1
	assert_equal "$stderr" "Node does not exist: /fx/none"
}

@test "grep prints path:line for each matching line, like grep -r" {
	run zk grep 'o$' /fx/small
	assert_success
	assert_output '/fx/small/a:hello
/fx/small/a/y:two'
	run zk grep -E '^(three|four)$' /fx/small
	assert_output '/fx/small/b/c:three
/fx/small/b/c:four'
	run zk grep -i HELLO /fx/small
	assert_output '/fx/small/a:hello'
}

@test "grep -l and -c on the node with 2,000 children" {
	run zk grep -l 'n=19.5' /fx/many
	assert_success
	assert_output "$(for i in $(seq 1905 10 1995); do echo "/fx/many/k$i"; done)"
	run zk grep -c 'n=1' /fx/many
	assert_equal "${#lines[@]}" 2000
	assert_equal "$(grep -c ':1$' <<<"$output")" 1000
	assert_line --index 0 '/fx/many/k0000:0'
	assert_line --index 1999 '/fx/many/k1999:1'
	run zk --json grep -l 'n=0000' /fx
	assert_output '{"command":"grep","path":"/fx/many/k0000"}
{"command":"grep","path":"/fx","matched":1}'
}

@test "grep skips binary data unless -a" {
	run zk grep -l . /fx/small
	assert_output '/fx/small/a
/fx/small/a/x
/fx/small/a/y
/fx/small/b/c
/fx/small/z'
	run zk grep -l -a . /fx/small/bin
	assert_success
	assert_output /fx/small/bin
	run zk --json grep -a . /fx/small/bin
	assert_output '{"command":"grep","path":"/fx/small/bin","line":1,"text_base64":"AAEC/w=="}
{"command":"grep","path":"/fx/small/bin","matched":1}'
}

@test "grep exits 1 when nothing matched, 2 on a bad regex before connecting" {
	run zk grep nothing-like-this /fx
	assert_failure 1
	assert_output ""
	run "$ZKSH" -server 127.0.0.1:1 grep 'a\(' /fx
	assert_failure 2
	assert_output --partial "grep: bad regular expression 'a\\(':"
	run "$ZKSH" -server 127.0.0.1:1 grep -E 'a{1' /fx
	assert_failure 2
	run "$ZKSH" -server 127.0.0.1:1 grep x /fx a
	assert_failure 2
	run "$ZKSH" -server 127.0.0.1:1 grep x /fx//bad
	assert_failure 2
}

@test "grep of a missing node fails with Node does not exist" {
	zk_split grep x /fx/none
	assert_failure 1
	assert_equal "$stderr" "Node does not exist: /fx/none"
}

@test "count agrees with zkCli's getAllChildrenNumber; -d counts per depth" {
	run zk count /fx
	assert_success
	assert_output 2009
	run zk_cli getAllChildrenNumber /fx
	assert_output 2009
	run zk count -d /fx
	assert_output "$(printf '1\t2\n2\t2004\n3\t3\ntotal\t2009')"
	run zk --json count -d /fx/small
	assert_output '{"command":"count","path":"/fx/small","count":7,"depths":[{"depth":1,"nodes":4},{"depth":2,"nodes":3}]}'
	run zk -c "cd /fx/small/a; count"
	assert_output 2
	run zk count /fx/small/z
	assert_output 0
}

@test "count of a missing node fails with Node does not exist" {
	zk_split count /fx/none
	assert_failure 1
	assert_equal "$stderr" "Node does not exist: /fx/none"
}

@test "a node with 20,000 children of 200-byte names (a 4 MB list): ls, tree, count succeed" {
	run zk count /wide
	assert_success
	assert_output 20000
	zk_split tree /wide
	assert_success
	assert_equal "$stderr" ""
	# bats leaves the blank line out of $lines
	assert_equal "${#lines[@]}" 20002
	assert_line --index 1 "├── $(printf '%0195d' 0)00000"
	assert_line --index 20001 "20000 nodes"
	run bash -c "timeout 60 '$ZKSH' -server '$ZK_CONNECT' ls /wide | wc -c"
	assert_success
	assert_output $((20000 * 202 + 1))
	run zk du -s /wide
	assert_output "$(printf '0\t20001\t/wide')"
	run zk find /wide -name '*19999'
	assert_output "/wide/$(printf '%0195d' 0)19999"
}

@test "Ctrl-C stops a walk at once, on a frozen server too, and says how far it got" {
	local out="$BATS_TEST_TMPDIR/out" err="$BATS_TEST_TMPDIR/err" pid rc=0 server
	server=$(zk_pid 1)
	# zksh exits with reads out to a frozen server: the library can leak their
	# completion entries (tests/lsan.supp), and only the slow unwinder names the
	# frames its suppressions need
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0 \
		"$ZKSH" -server "$ZK_CONNECT" -timeout 30000 --window 10 tree /wide >"$out" 2>"$err" &
	pid=$!
	for _ in $(seq 400); do [[ -s $out ]] && break; sleep 0.05; done
	kill -STOP "$server"
	kill -INT "$pid"
	wait "$pid" || rc=$?
	kill -CONT "$server"
	# what zksh said, for the log if the exit code is wrong
	[[ $rc == 130 ]] || { echo "stderr:"; cat "$err"; echo "stdout: $(wc -c <"$out") bytes"; }
	assert_equal "$rc" 130
	run cat "$err"
	assert_line --index 0 --regexp '^tree: interrupted after [0-9]+ nodes$'
	assert_line --index 1 "zksh: interrupted"
}

@test "a walk of over a second shows progress on a terminal's stderr, and none elsewhere" {
	local start=$SECONDS
	run script -qec "'$ZKSH' -server '$ZK_CONNECT' --window 1 count /wide" /dev/null
	assert_success
	((SECONDS - start >= 2)) || skip "the walk took under a second: no progress to see"
	assert_output --partial "count: "
	assert_output --partial " nodes/s, "
	assert_output --partial "20000"
	zk_split --window 1 count /wide
	assert_success
	assert_output 20000
	assert_equal "$stderr" ""
}

@test "help lists tree, du, find, grep and count" {
	local c
	for c in tree du find grep count; do
		run "$ZKSH" help "$c"
		assert_success
		assert_line --index 0 --partial "$c ["
	done
}
