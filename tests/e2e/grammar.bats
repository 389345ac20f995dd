#!/usr/bin/env bats
# The grammar is the command table (issue 8): --read-only refuses writes up
# front, -r keeps zkCli's meaning, help --json is the whole grammar in the
# shape the completion scripts read, and typed values are range-checked.

load helpers

setup_file() {
	zk_start 1
}

teardown_file() {
	zk_stop_all
}

@test "--read-only refuses a write with exit 2 naming the command; the node is not created" {
	local p; p=$(fresh_node)
	zk_split --read-only -c "create $p/x y"
	assert_failure 2
	assert_equal "$stderr" "-c:1: create: refused: it writes, and --read-only is on"
	run zk exists "$p/x"
	assert_failure 1
	run zk --read-only ls "$p"
	assert_success
	assert_output "[]"
}

@test "--read-only refuses before connecting: a dead server still gives exit 2" {
	run timeout 60 "$ZKSH" --read-only -server 127.0.0.1:1 -timeout 20000 -c 'create /x y'
	assert_failure 2
	assert_output "-c:1: create: refused: it writes, and --read-only is on"
}

@test "--read-only refuses every writing command and subcommand, and only those" {
	local p; p=$(fresh_node)
	zk create "$p/n" d >/dev/null
	local c
	for c in "set $p/n e" "delete $p/n" "setAcl $p/n world:anyone:r" "deleteall $p/n" \
		"setquota -n 5 $p/n" "delquota $p/n" "create -p $p/a/b" "queue push $p/q x" \
		"incr $p/c" "edit $p/n" "import /dev/null $p" "cp $p/n $p/m" \
		"reconfig -remove 9" "ensemble add server.9=127.0.0.1:1:2;3"; do
		zk_split --read-only $c
		assert_failure 2
		[[ $stderr == *"refused: it writes, and --read-only is on"* ]] || {
			echo "$c: $stderr" >&2
			return 1
		}
	done
	run zk get "$p/n"
	assert_success
	assert_output "d"
	run zk exists "$p/a"
	assert_failure 1
	run zk --read-only get "$p/n"
	assert_success
	run zk --read-only stat "$p/n"
	assert_success
}

@test "-r (zkCli: allow read-only servers) still connects to a normal server and writes" {
	local p; p=$(fresh_node)
	run zk -r create "$p/r" data
	assert_success
	run zk -r get "$p/r"
	assert_success
	assert_output "data"
}

@test "--readonly is gone (one hyphen from --read-only, and it meant the opposite)" {
	run "$ZKSH" --readonly ls /
	assert_failure 2
	assert_line --index 0 "zksh: unknown option: --readonly"
}

# The shape in doc/zksh.1 / the grammar contract: checked key by key.
check_json() {
	python3 -c '
import json, sys
doc = json.load(sys.stdin)
TYPES = {"bool", "int", "string", "enum", "path", "file", "duration", "bytes"}
KINDS = {"path", "command", "file", "host", "choice", "none"}
def opt(o, where):
    assert set(o) >= {"spellings", "type", "value", "help"}, where
    assert o["spellings"] and all(s.startswith("-") for s in o["spellings"]), where
    assert o["type"] in TYPES, where
    assert (o["value"] is None) == (o["type"] == "bool"), where
    assert ("min" in o) == ("max" in o) == (o["type"] == "int"), where
    assert ("choices" in o) == (o["type"] == "enum"), where
    assert isinstance(o["help"], str) and o["help"], where
def cmd(c, parent=None):
    where = c.get("command")
    assert set(c) == {"command", "aliases", "usage", "help", "attrs", "options",
                      "positionals", "subcommands"}, where
    start = (parent + " " + c["command"]) if parent else c["command"]
    assert c["usage"] == start or c["usage"].startswith(start + " "), where
    assert set(c["attrs"]) <= {"zk", "write", "secret", "emulated"}, where
    for o in c["options"]: opt(o, where)
    for p in c["positionals"]:
        assert set(p) - {"choices"} == {"name", "complete", "optional", "repeated"}, where
        assert p["complete"] in KINDS, where
    for s in c["subcommands"]: cmd(s, c["command"])
mode = sys.argv[1]
if mode == "all":
    assert set(doc) == {"command", "global_options", "commands"}
    assert doc["command"] == "help"
    for o in doc["global_options"]: opt(o, "global")
    spell = {s for o in doc["global_options"] for s in o["spellings"]}
    assert {"-server", "--server", "-timeout", "-r", "--read-only"} <= spell, spell
    assert "--readonly" not in spell
    names = [c["command"] for c in doc["commands"]]
    for c in doc["commands"]: cmd(c)
    print(len(names))
else:
    cmd(doc)
    print(doc["command"], len(doc["options"]), len(doc["subcommands"]))
' "$1"
}

@test "help --json is one document: global options and every command in the contract's shape" {
	run bash -c "'$ZKSH' help --json | wc -l"
	assert_output 1
	run check_json all < <("$ZKSH" help --json)
	assert_success
	((output > 50))
	local got; got=$("$ZKSH" help --json | python3 -c '
import json, sys
d = {c["command"]: c for c in json.load(sys.stdin)["commands"]}
g = d["get"]
print(g["usage"], "|", " ".join(s for o in g["options"] for s in o["spellings"]))
print(" ".join(d["set"]["attrs"]), "|", " ".join(d["addauth"]["attrs"]), "|", d["delete"]["aliases"][0])
v = [o for o in d["set"]["options"] if "-v" in o["spellings"]][0]
print(v["type"], v["value"], v["min"], v["max"])
print(" ".join(s["command"] for s in d["ensemble"]["subcommands"]))
print(" ".join(p["name"] + ":" + p["complete"] for p in d["create"]["positionals"]))
r = [o for o in d["reconfig"]["options"] if "-members" in o["spellings"]][0]
print(" ".join(r["spellings"]))
')
	assert_equal "$got" "get [-s] [-w] [-b] [-x] path | -s -w -b -x --json -o --output-format -? -help --help
zk write | zk secret | rm
int version -1 2147483647
status plan add remove replace joiner-config
path:path data:none acl:none
-members --members"
}

@test "help CMD --json is that command's object alone; subcommands nest with their own usage" {
	run check_json one < <("$ZKSH" help get --json)
	assert_success
	assert_output "get 7 0"
	run check_json one < <("$ZKSH" help ensemble --json)
	assert_success
	assert_output "ensemble 3 6"
	run bash -c "'$ZKSH' help queue --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print([s[\"usage\"] for s in d[\"subcommands\"]])'"
	assert_output "['queue push [-b] PATH DATA', 'queue pop [--wait DURATION] [-b] PATH']"
}

@test "help CMD has one line per option, from the specs; CMD --help says the same" {
	run "$ZKSH" help deleteall
	assert_success
	assert_line --index 0 "deleteall [-b batchsize] [-y|--yes] path"
	assert_line --regexp '^    -b batchsize +at most this many nodes a multi\(\) \(default 1000\)$'
	assert_line --regexp '^    -y, --yes +do not ask'
	local help=$output
	run "$ZKSH" deleteall --help
	assert_success
	assert_equal "$output" "$help"
	run "$ZKSH" help ensemble status
	assert_success
	assert_line --index 0 "ensemble status [--watch DURATION]"
}

@test "typed values: range errors name the option as typed and the range (exit 2, before connecting)" {
	run timeout 60 "$ZKSH" -server 127.0.0.1:1 -timeout 20000 lock --conflict-exit-code 300 /l -- true
	assert_failure 2
	assert_output "lock: --conflict-exit-code wants an exit code from 0 to 255, not '300'"
	run timeout 60 "$ZKSH" -server 127.0.0.1:1 -timeout 20000 lock -E x /l -- true
	assert_failure 2
	assert_output "lock: -E wants an exit code from 0 to 255, not 'x'"
	run "$ZKSH" --batch-ops 0 ls /
	assert_failure 2
	assert_output "zksh: --batch-ops wants a number from 1 to 100000, not '0'"
	run timeout 60 "$ZKSH" -server 127.0.0.1:1 -timeout 20000 watch --max-watch-bytes 2X /
	assert_failure 2
	assert_output "watch: --max-watch-bytes wants a positive number of bytes from 1 to 1099511627776, not '2X'"
	run timeout 60 "$ZKSH" -server 127.0.0.1:1 -timeout 20000 -c 'get -o yaml /'
	assert_failure 2
	assert_output "-c:1: get: -o wants one of json, text, not 'yaml'"
}

@test "--output-format json|text works on any command, as -o and --json do" {
	local p; p=$(fresh_node)
	zk create "$p/j" v >/dev/null
	run zk get --output-format json "$p/j"
	assert_success
	assert_equal "$(jq -r .data <<<"$output")" v
	run zk --json get --output-format=text "$p/j"
	assert_success
	assert_output v
	run zk get -o json "$p/j"
	assert_equal "$(jq -r .data <<<"$output")" v
}

@test "short flags group where the command declares it (zkCli's commands, as zkCli does)" {
	local p; p=$(fresh_node)
	zk create "$p/c" d >/dev/null
	run zk get -sb "$p/c"
	assert_success
	assert_line --index 0 "ZA=="
	assert_line --regexp '^dataLength = 1$'
	run zk delquota -nb "$p/c"
	assert_failure 2
	assert_output "delquota: give only one of -n, -b, -N, -B"
}

@test "help --man prints the COMMANDS and OPTIONS sections as roff" {
	run "$ZKSH" help --man
	assert_success
	assert_line ".SH OPTIONS"
	assert_line ".SH COMMANDS"
	assert_line '.B get [\-s] [\-w] [\-b] [\-x] path'
	assert_line '.B \-\-read\-only'
}
