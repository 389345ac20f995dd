# Shared set-up for the end-to-end tests: bats libraries, the ZooKeeper
# harness and a `zk` function that runs the zksh under test against it.
load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
load '../lib/zk'

: "${ZKSH:=$BATS_TEST_DIRNAME/../../zksh}"
export ZKSH

# zksh against the test ensemble; never waits longer than 60 s.
zk() {
	timeout 60 "$ZKSH" -server "$ZK_CONNECT" -timeout 30000 "$@"
}

# zksh with stdout and stderr kept apart: $output is stdout, $stderr the rest.
zk_split() {
	local errf
	errf=$(mktemp)
	run bash -c '"$@" 2>"'"$errf"'"' _ timeout 60 "$ZKSH" -server "$ZK_CONNECT" -timeout 30000 "$@"
	stderr=$(cat "$errf")
	rm -f "$errf"
}

# A fresh parent node per test, so tests sharing an ensemble do not collide.
fresh_node() {
	local p="/t$BATS_TEST_NUMBER-$RANDOM"
	zk create "$p" >/dev/null
	echo "$p"
}
