#!/usr/bin/env bats
# ACLs and identities against a real server: getAcl/setAcl (also -R over a
# thousand nodes), the ACL parser's errors, addauth and the credentials of
# ZKSH_AUTH and --auth-file, digest and whoami.

load helpers

setup_file() {
	zk_start 1
}

teardown_file() {
	zk_stop_all
}

USER1_ID='user1:+owfoSBn/am19roBPzR1/MfCblE='

@test "digest user1:12345 prints ZooKeeper's id for it" {
	run "$ZKSH" digest user1:12345
	assert_success
	assert_output "$USER1_ID"
	run "$ZKSH" digest nocolon
	assert_failure 2
}

@test "getAcl prints zkCli's two lines per entry, identical to zkCli.sh" {
	local p; p=$(fresh_node)
	zk setAcl "$p" "world:anyone:rwa,ip:127.0.0.1:cd"
	run zk getAcl "$p"
	assert_success
	assert_output "$(printf "'world,'anyone\n: rwa\n'ip,'127.0.0.1\n: cd")"
	local ours=$output
	run zk_cli getAcl "$p"
	assert_equal "$ours" "$output"
}

@test "getAcl -s adds the stat and --json gives scheme, id and perms" {
	local p; p=$(fresh_node)
	run zk getAcl -s "$p"
	assert_success
	assert_line --index 0 "'world,'anyone"
	assert_line --index 1 ": cdrwa"
	assert_line --index 9 "aclVersion = 0"
	run zk --json getAcl -s "$p"
	assert_success
	assert_output --partial '"acl":[{"scheme":"world","id":"anyone","perms":"cdrwa"}]'
	assert_output --partial '"aclVersion":0'
}

@test "a node created with a digest ACL is unreadable until addauth digest" {
	local p="/secret$RANDOM"
	run zk create "$p" hidden "digest:$USER1_ID:cdrwa"
	assert_success
	zk_split get "$p"
	assert_failure 1
	assert_equal "$stderr" "Insufficient permission : $p"
	run zk -c "addauth digest user1:wrong; get $p"
	assert_failure 1
	run zk -c "addauth digest user1:12345; get $p"
	assert_success
	assert_output hidden
}

@test "credentials from ZKSH_AUTH and --auth-file are applied before the first command" {
	local p="/secret$RANDOM" f="$BATS_TEST_TMPDIR/auth"
	zk create "$p" hidden "digest:$USER1_ID:cdrwa" >/dev/null
	ZKSH_AUTH="digest:nobody:x,digest:user1:12345" run zk get "$p"
	assert_success
	assert_output hidden
	printf '# test credentials\n\ndigest:user1:12345\n' >"$f"
	chmod 600 "$f" # a file others can read gets a warning on stderr
	run zk --auth-file "$f" get "$p"
	assert_success
	assert_output hidden
	run zk --auth-file "$BATS_TEST_TMPDIR/missing" get "$p"
	assert_failure 2
	assert_output --partial "missing"
}

@test "a malformed ZKSH_AUTH entry is refused without echoing the secret" {
	ZKSH_AUTH="digest:user1:12345,notascheme" run zk ls /
	assert_failure 2
	assert_output --partial "ZKSH_AUTH: entry 2"
	refute_output --partial "12345"
}

@test "whoami shows the client address and the digest users added, as zkCli" {
	run zk -c "addauth digest user1:12345; addauth digest bob:pw; whoami"
	assert_success
	assert_output "$(printf 'Auth scheme: User\nip: 127.0.0.1\ndigest: user1\ndigest: bob')"
	refute_output --partial 12345
	run zk --json whoami
	assert_success
	assert_output '{"command":"whoami","identities":[{"scheme":"ip","user":"127.0.0.1"}]}'
}

@test "help whoami says the C client has no whoami call" {
	run "$ZKSH" help whoami
	assert_success
	assert_output --partial "no whoami call"
}

@test "setAcl changes the ACL; -s prints the new aclVersion; -v checks it" {
	local p; p=$(fresh_node)
	run zk setAcl -s "$p" world:anyone:cdrwa
	assert_success
	assert_line "aclVersion = 1"
	zk_split setAcl -v 0 "$p" world:anyone:r
	assert_failure 1
	assert_equal "$stderr" "version No is not valid : $p"
	run zk setAcl -v 1 "$p" world:anyone:cdra
	assert_success
	run zk getAcl "$p"
	assert_line ": cdra"
}

@test "a bad ACL string exits 2 and names the bad entry" {
	local p; p=$(fresh_node)
	zk_split setAcl "$p" "world:anyone:r,world:anyone:xyz"
	assert_failure 2
	assert_equal "$stderr" \
		"malformed ACL entry 'world:anyone:xyz': permissions are letters of cdrwa"
	zk_split create "$p/c" data "digest:bob:plaintext:cdrwa"
	assert_failure 2
	assert_regex "$stderr" "'digest:bob:plaintext:cdrwa'"
	zk_split setAcl "$p" "ip:10.0.0.0/40:r"
	assert_failure 2
	assert_regex "$stderr" "'ip:10.0.0.0/40:r'"
	zk_split setAcl "$p" "wrold:anyone:r"
	assert_failure 2
	assert_regex "$stderr" "'wrold:anyone:r'.*unknown scheme"
	# nothing was applied
	run zk getAcl "$p"
	assert_output "$(printf "'world,'anyone\n: cdrwa")"
}

@test "ip ACLs with a prefix length are accepted by the parser and the server" {
	local p; p=$(fresh_node)
	run zk setAcl "$p" "ip:10.0.0.0/8:r,ip:127.0.0.1:cdrwa"
	assert_success
	run zk getAcl "$p"
	assert_line "'ip,'10.0.0.0/8"
}

@test "an auth:: entry grants the session's own identity" {
	local p="/auth$RANDOM"
	run zk -c "addauth digest user1:12345; create $p x auth::cdrwa; getAcl $p"
	assert_success
	assert_line "'digest,'$USER1_ID"
}

@test "setAcl -R over 1,000 nodes applies the ACL everywhere" {
	local p; p=$(fresh_node)
	{
		for d in $(seq 1 10); do
			echo "create $p/d$d"
			for n in $(seq 1 99); do echo "create $p/d$d/n$n"; done
		done
	} >"$BATS_TEST_TMPDIR/tree"
	zk --pipeline -q -f "$BATS_TEST_TMPDIR/tree"
	run zk setAcl -R "$p" world:anyone:crwa
	assert_success
	assert_output ""
	# every node, the root included, has the new ACL
	run zk --json setAcl -R "$p" world:anyone:crwa
	assert_success
	assert_output '{"command":"setAcl","path":"'"$p"'","updated":1001}'
	for n in "$p" "$p/d1" "$p/d7/n55" "$p/d10/n99"; do
		run zk getAcl "$n"
		assert_output "$(printf "'world,'anyone\n: crwa")"
	done
}

@test "setAcl -R lists the nodes it could not change and exits 4" {
	local p; p=$(fresh_node)
	zk -c "create $p/a; create $p/b; create $p/c" >/dev/null
	# without admin permission for us, setAcl on $p/b is refused
	zk setAcl "$p/b" world:anyone:cdrw
	zk_split setAcl -R "$p" world:anyone:cdrwa
	assert_failure 4
	assert_regex "$stderr" "Insufficient permission : $p/b"
	assert_regex "$stderr" "setAcl -R: 1 of 4 nodes failed; first: Insufficient permission : $p/b"
	run zk getAcl "$p/c"
	assert_output "$(printf "'world,'anyone\n: cdrwa")"
}

@test "getAcl and setAcl of a missing node fail with zkCli's message" {
	zk_split getAcl /no/such/node
	assert_failure 1
	assert_equal "$stderr" "Node does not exist: /no/such/node"
	zk_split setAcl -R /no/such/node world:anyone:r
	assert_failure 1
	assert_equal "$stderr" "Node does not exist: /no/such/node"
}

@test "-tls and the SASL options name the missing library support and exit 2" {
	local cfg
	cfg=$(dirname "$ZKSH")/config.h
	if grep -q '^#define HAVE_ZOOKEEPER_INIT_SSL' "$cfg" 2>/dev/null; then
		skip "this ZooKeeper C client has TLS"
	fi
	run zk -tls ca.pem,cert.pem,key.pem ls /
	assert_failure 2
	assert_output --partial "without TLS (no zookeeper_init_ssl"
	run zk --sasl-mech DIGEST-MD5 --sasl-user bob ls /
	assert_failure 2
	assert_output --partial "without SASL"
	run zk -tls a,b,c --sasl-user bob ls /
	assert_failure 2
	assert_output --partial "cannot be combined"
}

@test "setAcl with a plaintext password as digest id exits 2 with the 'digest user:password' hint" {
	local p; p=$(fresh_node)
	zk_split setAcl "$p" digest:alice:secret6
	assert_failure 2
	assert_output ""
	[[ $stderr == *"'digest user:password' computes it"* ]]
	[[ $stderr == *"28 base64"* ]]
	run zk getAcl "$p"
	assert_output "$(printf "'world,'anyone\n: cdrwa")"
}

@test "an --auth-file readable by group or others gets a warning naming it and its mode, and still works" {
	local p="/secret$RANDOM" f="$BATS_TEST_TMPDIR/auth"
	zk create "$p" hidden "digest:$USER1_ID:cdrwa" >/dev/null
	printf 'digest:user1:12345\n' >"$f"
	chmod 644 "$f"
	zk_split --auth-file "$f" get "$p"
	assert_success
	assert_output hidden
	[[ $stderr == *"warning: --auth-file $f has mode 0644"* ]]
	[[ $stderr == *"chmod 600"* ]]
	[[ $stderr != *12345* ]]
	chmod 640 "$f"
	zk_split --auth-file "$f" get "$p"
	assert_success
	[[ $stderr == *"mode 0640"*"its group"* ]]
	chmod 600 "$f"
	zk_split --auth-file "$f" get "$p"
	assert_success
	assert_equal "$stderr" ""
}

@test "ZKSH_AUTH with an unknown scheme gets the same explanation as addauth with it, exit 3" {
	ZKSH_AUTH=foo:bar zk_split ls /
	assert_failure 3
	local env_msg=$stderr
	echo "ZKSH_AUTH=foo:bar said: $env_msg" # shown if a check below fails
	[[ $env_msg == "ZKSH_AUTH: the server refused the foo credentials (AuthFailed)"* ]]
	[[ $env_msg == *"authentication provider"* ]]
	[[ $env_msg != *bar* ]]
	zk_split -c "addauth foo bar"
	assert_failure 3
	# one message: only the origin in front differs
	assert_equal "${stderr#-c:1: addauth: }" "${env_msg#ZKSH_AUTH: }"
	ZKSH_AUTH=foo zk_split ls /
	assert_failure 2
	[[ $stderr == *"ZKSH_AUTH: entry 1 is not scheme:credential (for example digest:user:password"* ]]
}
