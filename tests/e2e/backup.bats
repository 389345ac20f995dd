#!/usr/bin/env bats
# export, import, cp, diff and edit against real servers: two independent
# single servers (A is the default, B the destination of cross-cluster cp).

load helpers

U1=digest:user1:+owfoSBn/am19roBPzR1/MfCblE= # user1:12345

setup_file() {
	zk_start 1
	export A_BASE=$ZK_BASE A_CONNECT=$ZK_CONNECT
	unset ZK_BASE
	zk_start 1
	export B_BASE=$ZK_BASE B_CONNECT=$ZK_CONNECT
	export ZK_BASE=$A_BASE ZK_CONNECT=$A_CONNECT
}

teardown_file() {
	ZK_BASE=$B_BASE zk_stop_all
	ZK_BASE=$A_BASE zk_stop_all
}

# zksh as user1 on server A
zk1() { zk -c "addauth digest user1:12345; $*"; }

# 5,008 nodes under $1: 50 dirs of 99 nodes with random binary data, a node
# whose digest ACL denies create (with children), a container, a sequential node
make_fixture() {
	python3 - "$1" >"$BATS_TEST_TMPDIR/fix" <<'PY'
import base64, os, sys
p = sys.argv[1]
print(f"create {p}/src top")
for d in range(50):
    print(f"create {p}/src/d{d:02}")
    for n in range(99):
        data = base64.b64encode(os.urandom(1 + (d * n) % 200)).decode()
        print(f"create -b {p}/src/d{d:02}/n{n:02} {data}")
print(f"create {p}/src/empty ''")
print(f"create {p}/src/locked secret")
print(f"create {p}/src/locked/kid1 a")
print(f"create {p}/src/locked/kid2 b")
PY
	zk -q -f "$BATS_TEST_TMPDIR/fix"
	zk create -c "$1/src/box" >/dev/null
	zk create "$1/src/box/in" >/dev/null
	zk create -s "$1/src/seq-" >/dev/null # seq-0000000053: 53 children before it
	zk setAcl "$1/src/locked" "$U1:rwa"
}

@test "export -> import -> export round trip of 5,000 nodes is byte-identical apart from the header" {
	local p; p=$(fresh_node)
	make_fixture "$p"
	run zk1 "create -e $p/src/eph; export --output $BATS_TEST_TMPDIR/e1 $p/src"
	assert_success
	[ "$(wc -l <"$BATS_TEST_TMPDIR/e1")" -eq 5009 ]
	head -1 "$BATS_TEST_TMPDIR/e1" | grep -q '"root":"'"$p"'/src"'
	head -1 "$BATS_TEST_TMPDIR/e1" | grep -q '"ephemerals_skipped":1,"ephemerals":\["/eph"\]'
	! grep -q '"path":"/eph"' "$BATS_TEST_TMPDIR/e1"
	grep -q '"path":"/empty","data":"",' "$BATS_TEST_TMPDIR/e1"
	grep -q '"path":"/box","data":null,' "$BATS_TEST_TMPDIR/e1"
	run zk1 "import $BATS_TEST_TMPDIR/e1 $p/dst"
	assert_success
	assert_output --partial "5008 nodes created"
	assert_output --partial "1 ephemeral node of the source were not restored"
	assert_output --partial "parent's cversion (its sequence counter) now starts low"
	run zk1 "export --output $BATS_TEST_TMPDIR/e2 $p/dst"
	assert_success
	cmp <(tail -n +2 "$BATS_TEST_TMPDIR/e1") <(tail -n +2 "$BATS_TEST_TMPDIR/e2")
	head -1 "$BATS_TEST_TMPDIR/e2" | grep -q '"root":"'"$p"'/dst"'
	# the locked node got its real ACL once its children existed
	run zk1 "getAcl $p/dst/locked"
	assert_output "$(printf "'digest,'user1:+owfoSBn/am19roBPzR1/MfCblE=\n: rwa")"
	run zk1 "get $p/dst/locked/kid2"
	assert_output b
	run zk ls "$p/dst"
	assert_output --partial "seq-0000000053"
}

@test "import refuses an existing target unless told how to merge" {
	local p; p=$(fresh_node)
	zk create "$p/a" x >/dev/null
	zk create "$p/a/b" y >/dev/null
	zk export --output "$BATS_TEST_TMPDIR/e" "$p/a" >/dev/null
	run zk import "$BATS_TEST_TMPDIR/e" "$p/a"
	assert_failure 1
	assert_output --partial "exists; nothing written"
	zk set "$p/a/b" changed >/dev/null
	run zk import --skip-existing "$BATS_TEST_TMPDIR/e" "$p/a"
	assert_success
	run zk get "$p/a/b"
	assert_output changed
	run zk import --overwrite "$BATS_TEST_TMPDIR/e" "$p/a"
	assert_success
	run zk get "$p/a/b"
	assert_output y
	run zk import --dry-run "$BATS_TEST_TMPDIR/e" "$p/new"
	assert_success
	assert_output --partial "would write 2 nodes"
	run zk stat "$p/new"
	assert_failure 1
}

# a valid two-node export of $1 into $2, then a broken copy in $3 by the sed script $4
broken_file() {
	zk export --output "$2" "$1" >/dev/null
	cp "$2" "$3"
	sed -i "$4" "$3"
}

@test "a malformed, truncated, bad-ACL or oversized file: exit 2, nothing written, the first problem and its line named" {
	local p; p=$(fresh_node) f=$BATS_TEST_TMPDIR
	zk create "$p/s" >/dev/null
	for i in 1 2 3; do zk create "$p/s/n$i" "v$i" >/dev/null; done
	broken_file "$p/s" "$f/ok" "$f/bad1" '3s/.*/{"path": nope/'
	zk_split import "$f/bad1" "$p/d1"
	assert_failure 2
	assert_equal "$stderr" "import: $f/bad1:3: not a JSON object"
	broken_file "$p/s" "$f/ok" "$f/bad2" '$d'
	zk_split import "$f/bad2" "$p/d2"
	assert_failure 2
	assert_equal "$stderr" "import: $f/bad2:5: the file ends after 3 of the 4 nodes its header announces (truncated?)"
	cp "$f/ok" "$f/bad3"
	truncate -s -10 "$f/bad3"
	zk_split import "$f/bad3" "$p/d3"
	assert_failure 2
	assert_equal "$stderr" "import: $f/bad3:5: truncated line (no end of line)"
	broken_file "$p/s" "$f/ok" "$f/bad4" '4s/"perms":"cdrwa"/"perms":"xyz"/'
	zk_split import "$f/bad4" "$p/d4"
	assert_failure 2
	assert_output ""
	[[ $stderr == "import: $f/bad4:4: bad ACL: malformed ACL entry 'world:anyone:xyz'"* ]]
	broken_file "$p/s" "$f/ok" "$f/bad5" '3s/"world"/"wrold"/'
	zk_split import "$f/bad5" "$p/d5"
	assert_failure 2
	[[ $stderr == "import: $f/bad5:3: bad ACL: "*"unknown scheme"* ]]
	# a node over 1 MiB at line 4
	python3 - "$f/ok" "$f/bad6" <<'PY'
import base64, json, sys
lines = open(sys.argv[1]).read().splitlines()
n = json.loads(lines[3]); n["data"] = base64.b64encode(b"x" * (1024 * 1024 + 1)).decode()
lines[3] = json.dumps(n, separators=(",", ":"))
open(sys.argv[2], "w").write("\n".join(lines) + "\n")
PY
	zk_split import "$f/bad6" "$p/d6"
	assert_failure 2
	[[ $stderr == "import: $f/bad6:4: /n2 has 1048577 bytes of data, over the "*"-byte limit" ]]
	broken_file "$p/s" "$f/ok" "$f/bad7" '5s/"path":"\/n3"/"path":"\/n1"/'
	zk_split import "$f/bad7" "$p/d7"
	assert_failure 2
	assert_equal "$stderr" "import: $f/bad7:5: /n1 is out of order (after /n2)"
	broken_file "$p/s" "$f/ok" "$f/bad8" '5s/"path":"\/n3"/"path":"\/x\/y"/'
	zk_split import "$f/bad8" "$p/d8"
	assert_failure 2
	assert_equal "$stderr" "import: $f/bad8:5: /x/y comes without its parent /x"
	for i in 1 2 3 4 5 6 7 8; do
		run zk stat "$p/d$i"
		assert_failure 1
	done
}

@test "cp -r between two servers keeps a restrictive ACL the destination user cannot read under" {
	local p; p=$(fresh_node)
	zk1 "create $p/app data; create $p/app/sec s; create $p/app/sec/kid k; setAcl $p/app/sec $U1:cdrwa" >/dev/null
	ZKSH_AUTH_SRC=digest:user1:12345 ZKSH_AUTH_DST=digest:user2:pw2 \
		run zk cp -r "zk://$A_CONNECT$p/app" "zk://$B_CONNECT/copy"
	assert_success
	assert_output --partial "3 nodes created"
	# user2 (the importer) cannot read it; user1 and the super user can
	run timeout 60 "$ZKSH" -server "$B_CONNECT" -c "addauth digest user2:pw2; get /copy/sec"
	assert_failure 1
	assert_output --partial "Insufficient permission"
	run timeout 60 "$ZKSH" -server "$B_CONNECT" -c "addauth digest user1:12345; get /copy/sec/kid; getAcl /copy/sec"
	assert_success
	assert_output "$(printf "k\n'digest,'user1:+owfoSBn/am19roBPzR1/MfCblE=\n: cdrwa")"
	ZKSH_AUTH_SRC=digest:user1:12345 ZKSH_AUTH_DST=digest:user1:12345 \
		run zk diff -r "zk://$A_CONNECT$p/app" "zk://$B_CONNECT/copy"
	assert_success
	assert_output ""
	run zk cp "zk://$A_CONNECT$p/app" "zk://$B_CONNECT/copy"
	assert_failure 1
	assert_output --partial "exists; nothing written (give --overwrite"
}

@test "diff of identical trees exits 0; after a set, a create, a delete and a setAcl it lists exactly those four" {
	local p; p=$(fresh_node)
	zk -q -c "create $p/a; create $p/a/x 1; create $p/a/y 2; create $p/a/z 3"
	zk cp -r "$p/a" "$p/b" >/dev/null
	run zk diff -r "$p/a" "$p/b"
	assert_success
	assert_output ""
	zk -q -c "set $p/b/x one; create $p/b/w; delete $p/b/z; setAcl $p/b/y world:anyone:r"
	run zk diff -r "$p/a" "$p/b"
	assert_failure 1
	assert_output "$(printf -- "--- $p/a\n+++ $p/b\n+/w\n@@ data /x\n-1\n+one\n@@ acl /y\n-world:anyone:cdrwa\n+world:anyone:r\n-/z")"
	run zk --json diff -r "$p/a" "$p/b"
	assert_failure 1
	assert_output '{"command":"diff","path":"'"$p/a"'","identical":false,"created":["/w"],"deleted":["/z"],"data_changed":["/x"],"acl_changed":["/y"]}'
	zk export --output "$BATS_TEST_TMPDIR/b.jsonl" "$p/b" >/dev/null
	run zk diff -r "$p/b" "$BATS_TEST_TMPDIR/b.jsonl"
	assert_success
	run zk diff -r "$p/a" "zk://127.0.0.1:1/x"
	assert_failure 2
}

@test "edit writes the edited data back with the version read; unchanged writes nothing" {
	local p; p=$(fresh_node)
	zk create "$p/cfg" "port=1" >/dev/null
	printf '#!/bin/sh\nsed -i s/1/2/ "$1"\n' >"$BATS_TEST_TMPDIR/ed"
	chmod +x "$BATS_TEST_TMPDIR/ed"
	EDITOR=$BATS_TEST_TMPDIR/ed run zk edit "$p/cfg"
	assert_success
	run zk get "$p/cfg"
	assert_output "port=2"
	EDITOR=true VISUAL= run zk edit "$p/cfg"
	assert_success
	assert_output --partial "unchanged, nothing written"
	run zk stat "$p/cfg"
	assert_line "dataVersion = 1"
}

@test "edit after a concurrent change keeps the edited copy, says where, and exits 1" {
	local p; p=$(fresh_node)
	zk create "$p/cfg" "v=1" >/dev/null
	cat >"$BATS_TEST_TMPDIR/ed" <<EOF
#!/bin/sh
stat -c %a "\$1" >"$BATS_TEST_TMPDIR/mode"
"$ZKSH" -server "$ZK_CONNECT" set "$p/cfg" theirs >/dev/null
echo mine >"\$1"
EOF
	chmod +x "$BATS_TEST_TMPDIR/ed"
	EDITOR=$BATS_TEST_TMPDIR/ed zk_split edit "$p/cfg"
	assert_failure 1
	[[ $stderr =~ "changed while you edited it".*"kept in "(/[^ ]*zksh-edit-[A-Za-z0-9]*) ]]
	local kept=${BASH_REMATCH[1]}
	[ "$(cat "$kept")" = mine ]
	[ "$(cat "$BATS_TEST_TMPDIR/mode")" = 600 ]
	rm -f "$kept"
	run zk get "$p/cfg"
	assert_output theirs
}

@test "export of a node with 20,000 children of 200-byte names" {
	local p; p=$(fresh_node)
	python3 -c "
for i in range(20000): print('create $p/big/' + ('%05d' % i) + 'x' * 195)
" >"$BATS_TEST_TMPDIR/big"
	zk create "$p/big" >/dev/null
	zk -q -f "$BATS_TEST_TMPDIR/big"
	run zk export --output "$BATS_TEST_TMPDIR/e" "$p/big"
	assert_success
	assert_output --partial "exported 20001 nodes"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/e")" -eq 20002 ]
	head -1 "$BATS_TEST_TMPDIR/e" | grep -q '"nodes":20001,'
}
