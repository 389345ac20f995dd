#!/usr/bin/env python3
"""Write tests/man/help-sample.json, a stand-in for `zksh help --json` in the
shape of the grammar contract (SCHEMA.md), from today's table as dumped by
table-sample.c, plus what today's table lacks: a help line, type and value
name per flag, positionals, global options and the subcommands of ensemble
and queue. Ran once; obsolete (delete it) once `zksh help --json` follows
the schema.   usage: gen-sample.py RAW.json > tests/man/help-sample.json"""
import json
import re
import sys

# (command, flag name) -> (help, type, value, extra)
F = {}


def f(cmd, name, help, type="bool", value=None, **extra):
    F[(cmd, name)] = (help, type, value, extra)


f("ls", "s", "print the stat after the list")
f("ls", "w", "leave a child watch")
f("ls", "R", "list every descendant, in zkCli's order")
f("get", "s", "print the stat after the data")
f("get", "w", "leave a data watch")
f("get", "b", "print the data base64-encoded")
f("get", "x", "print the data as a hex dump")
f("set", "s", "print the stat of the node after the write")
f("set", "v", "only if the node is at this version", "int", "VERSION", min=-1, max=2147483647)
f("set", "b", "the data is base64")
f("create", "s", "sequential: the server appends a 10-digit counter")
f("create", "e", "ephemeral: gone with the session")
f("create", "c", "container: removed by the server once empty")
f("create", "t", "TTL node, removed once unchanged and empty for this long", "int", "TTL", min=1, max=1099511627775)
f("create", "b", "the data is base64")
f("create", "p", "create the missing parents first")
f("delete", "v", "only if the node is at this version", "int", "VERSION", min=-1, max=2147483647)
f("stat", "w", "leave a data watch")
f("exists", "s", "print the stat when the node exists")
f("exists", "w", "leave a watch")
f("getAcl", "s", "print the stat after the ACL")
f("setAcl", "s", "print the stat after the write")
f("setAcl", "v", "only if the ACL is at this version", "int", "VERSION", min=-1, max=2147483647)
f("setAcl", "R", "the whole subtree, pipelined")
f("addWatch", "m", "PERSISTENT or PERSISTENT_RECURSIVE (the default)", "enum", "MODE",
  choices=["PERSISTENT", "PERSISTENT_RECURSIVE"])
f("addWatch", "data", "add the version, mzxid and data after each event")
f("addWatch", "max-watch-bytes", "the session's watch budget", "bytes", "N")
f("removewatches", "c", "child watches")
f("removewatches", "d", "data watches")
f("removewatches", "a", "any watch (the default)")
f("removewatches", "l", "remove them locally when the server cannot be reached")
f("watch", "R", "events of every node below path")
f("watch", "n", "stop after this many events", "int", "COUNT", min=1, max=2147483647)
f("watch", "data", "add version, mzxid and data to each event (implies --zxid)")
f("watch", "zxid", "append the change's zxid where known")
f("watch", "max-watch-bytes", "the session's watch budget", "bytes", "N")
for q, what in (("n", "soft limit on the node count"), ("b", "soft limit on the bytes"),
                ("N", "hard limit on the node count"), ("B", "hard limit on the bytes")):
    f("setquota", q, what, "int", "VAL", min=-1, max=9223372036854775807)
    f("delquota", q, "delete only the " + what)
f("config", "c", "only the version and the client addresses")
f("config", "w", "leave a watch on the configuration")
f("config", "s", "print the stat after the configuration")
f("reconfig", "s", "print the stat of the new configuration")
f("reconfig", "v", "only at this configuration version (hex)", "string", "VERSION")
f("reconfig", "file", "the whole new membership from a file", "file", "PATH")
f("reconfig", "members", "the whole new membership", "string", "SERVERS")
f("reconfig", "add", "servers to add", "string", "SERVERS")
f("reconfig", "remove", "server ids to remove", "string", "IDS")
f("deleteall", "b", "nodes per multi() batch (default 1000)", "int", "BATCHSIZE", min=1, max=100000)
f("deleteall", "y", "do not ask, even in the interactive shell")
f("deleteall", "yes", "do not ask, even in the interactive shell")
f("ensemble", "watch", "redraw the status every DURATION", "duration", "DURATION")
f("ensemble", "strategy", "one member at a time, or two batches", "enum", "STRATEGY",
  choices=["sequential", "split"])
f("ensemble", "via-observer", "add joiners as observers first")
f("ensemble", "force", "lift the safety refusals that allow it")
f("ensemble", "yes", "do not ask (required in batch mode)")
f("ensemble", "step-timeout", "the longest wait of one step", "duration", "DURATION")
f("ensemble", "dry-run", "print the plan, change nothing")
f("ensemble", "start-cmd", "command run per joiner not yet answering", "string", "CMD")
f("ensemble", "stop-cmd", "command run per removed server", "string", "CMD")
f("ensemble", "observer", "the joiner is an observer")
f("ensemble", "write", "write the files into DIR instead of printing them", "path", "DIR")
f("tree", "d", "stop at this depth", "int", "DEPTH", min=0, max=2147483647)
f("tree", "s", "size, children, mtime and kind before each name")
f("tree", "l", "show short data values inline")
f("tree", "ascii", "ASCII lines whatever the locale")
f("du", "h", "human units (powers of 1024)")
f("du", "d", "print only down to this depth", "int", "DEPTH", min=0, max=2147483647)
f("du", "s", "print the total only")
f("find", "name", "shell glob on the node's name", "string", "GLOB")
f("find", "path", "shell glob on the whole path", "string", "GLOB")
f("find", "type", "node kinds, comma-separated", "string", "KIND")
f("find", "maxdepth", "descend at most this deep", "int", "N", min=0, max=2147483647)
f("find", "size", "data bytes: +N more, -N less, N exactly", "string", "[+-]N[k|M]")
f("find", "children", "number of children: +N, -N, N", "string", "[+-]N")
f("find", "mtime", "age in days or the unit given", "string", "[+-]N[s|m|h|d]")
f("find", "owner", "the session owning an ephemeral", "string", "SESSION")
f("find", "print0", "end each path with NUL")
f("grep", "i", "ignore case")
f("grep", "l", "print only the paths")
f("grep", "c", "print path:count")
f("grep", "E", "extended regular expressions")
f("grep", "a", "search binary data too")
f("count", "d", "count per depth")
f("lock", "wait", "give up after DURATION", "duration", "DURATION")
f("lock", "try", "give up at once when held")
f("lock", "on-loss", "on a lost lock: kill CMD or only warn", "enum", "ACTION", choices=["kill", "warn"])
f("lock", "grace", "time between SIGTERM and SIGKILL", "duration", "DURATION")
f("lock", "E", "exit code when the lock is held", "int", "N", min=0, max=255)
f("lock", "conflict-exit-code", "exit code when the lock is held", "int", "N", min=0, max=255)
f("lock", "shared", "a read lock")
f("lock", "list", "print holders and waiters")
f("elect", "id", "this candidate's id (default host:pid)", "string", "ID")
f("elect", "who", "print the leader's id and data")
f("elect", "on-loss", "on a lost leadership: kill CMD or only warn", "enum", "ACTION", choices=["kill", "warn"])
f("elect", "grace", "time between SIGTERM and SIGKILL", "duration", "DURATION")
f("register", "seq", "an ephemeral-sequential node")
f("register", "b", "DATA is base64")
f("incr", "init", "the value of a missing node", "int", "N", min=-9223372036854775808, max=9223372036854775807)
f("wait", "exists", "until PATH exists (the default)")
f("wait", "gone", "until PATH is gone")
f("wait", "value", "until PATH holds TEXT", "string", "TEXT")
f("wait", "changed", "until PATH changed")
f("wait", "since", "changed since this mzxid", "string", "MZXID")
f("wait", "children", "until PATH has at least N children", "int", "N", min=0, max=2147483647)
f("wait", "timeout", "give up after DURATION (exit 124)", "duration", "DURATION")
f("queue", "wait", "wait up to DURATION for an item", "duration", "DURATION")
f("queue", "b", "DATA is base64")
f("publish", "ready", "the ready node's name (default ready)", "string", "NAME")
f("fetch", "ready", "the ready node's name (default ready)", "string", "NAME")
f("fetch", "timeout", "give up after DURATION (exit 124)", "duration", "DURATION")
f("export", "output", "write to FILE instead of standard output", "file", "FILE")
f("export", "stat", "add each node's stat")
f("export", "include-zookeeper", "export /zookeeper too")
f("import", "dry-run", "check and say what would be written")
f("import", "overwrite", "set data and ACL of existing nodes")
f("import", "merge", "set the data of existing nodes")
f("import", "skip-existing", "leave existing nodes alone")
f("cp", "r", "the whole subtree")
f("cp", "dry-run", "check and say what would be written")
f("cp", "overwrite", "write into an existing destination")
f("cp", "src-chroot", "the chroot of a zk:// source", "path", "C")
f("cp", "dst-chroot", "the chroot of a zk:// destination", "path", "C")
f("diff", "r", "compare the whole subtrees")

# zkCli's single-dash long names
SINGLE = {("reconfig", n) for n in ("file", "members", "add", "remove")} | \
    {("find", n) for n in ("name", "path", "type", "maxdepth", "size", "children", "mtime",
                           "owner", "print0")}

COMPLETE = {"path": "path", "PATH": "path", "A": "path", "B": "path", "SRC": "path",
            "DST": "path", "FILE": "file", "command": "command", "cmdno": "none",
            "host:port": "host", "host[:port][,host[:port]...][/chroot]": "host",
            "SERVER": "host", "on|off": "choice", "CMD": "command", "WORD": "choice"}


def positionals(usage, name):
    s = usage[len(name):] if usage == name or usage.startswith(name + " ") else usage
    d = 0
    for i, ch in enumerate(s):  # the first form: up to a " | " outside brackets
        d += (ch == "[") - (ch == "]")
        if d == 0 and s[i:i + 3] == " | ":
            s = s[:i]
            break
    out = []
    depth = 0
    tok = ""
    for ch in s + " ":
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        if ch == " " and depth == 0:
            t = tok.strip()
            tok = ""
            if not t or t.startswith("-") or t.startswith("[-") or t == "--":
                continue
            opt = t.startswith("[")
            t = t.strip("[]")
            if t.startswith("-") or "|" in t and t.startswith("-"):
                continue
            rep = t.endswith("...")
            t = t.rstrip(".")
            out.append({"name": t, "complete": COMPLETE.get(t, "none"),
                        "optional": opt, "repeated": rep})
        else:
            tok += ch
    return out


def opt(cmd, spec):
    name = spec["spellings"][0].lstrip("-")
    help, type_, value, extra = F.get((cmd, name), ("", spec["type"], None, {}))
    if spec["type"] == "bool":
        type_, value = "bool", None
    elif type_ == "bool":
        type_, value = "string", "VALUE"
    sp = ["-" + name] if len(name) == 1 or (cmd, name) in SINGLE else ["--" + name]
    o = {"spellings": sp, "type": type_, "value": value}
    o.update(extra)
    o["help"] = help
    return o


def command(c):
    name = c["command"]
    usage = c["usage"]
    if not (usage == name or usage.startswith(name + " ")):
        usage = (name + " " + usage).rstrip()
    return {"command": name, "aliases": c["aliases"], "usage": usage, "help": c["help"],
            "attrs": c["attrs"], "options": [opt(name, o) for o in c["options"]],
            "positionals": positionals(usage, name), "subcommands": []}


def sub(parent, word, usage, help, flags, pos):
    opts = [o for o in parent["options"] if o["spellings"][0].lstrip("-") in flags]
    return {"command": word, "aliases": [], "usage": parent["command"] + " " + usage,
            "help": help, "attrs": parent["attrs"], "options": opts,
            "positionals": pos, "subcommands": []}


def P(name, complete="none", optional=False, repeated=False):
    return {"name": name, "complete": complete, "optional": optional, "repeated": repeated}


G = [
    (["-server", "--server"], "string", "HOSTS", "host[:port] list, optionally with a chroot"),
    (["-timeout", "--timeout"], "int", "MS", "session timeout and connect deadline (default 30000)"),
    (["-r", "--readonly"], "bool", None, "allow a read-only connection to a server without quorum"),
    (["-waitforconnection"], "bool", None, "interactive shell: wait for the connection first"),
    (["--json"], "bool", None, "print every result as one JSON document"),
    (["--keep-going", "-k"], "bool", None, "run every command of a batch even after failures"),
    (["--pipeline"], "bool", None, "keep several batches (or requests) in flight"),
    (["--quiet", "-q"], "bool", None, "no \"Created\" lines"),
    (["--no-color"], "bool", None, "no colour"),
    (["--progress"], "bool", None, "progress lines on stderr even when it is not a terminal"),
    (["--no-progress"], "bool", None, "no progress line, even on a terminal"),
    (["--max-data"], "bytes", "BYTES", "largest request sent (default 1048575)"),
    (["--window"], "int", "N", "requests kept in flight by walks (default 1000)"),
    (["--auth-file"], "file", "FILE", "credentials, one scheme:credential a line"),
    (["--no-batch"], "bool", None, "send every line of a script as its own request"),
    (["--atomic"], "bool", None, "the script's writes as one multi, all or nothing"),
    (["--batch-bytes"], "bytes", "N", "bytes of one multi batch (default 524288)"),
    (["--batch-ops"], "int", "N", "operations of one multi batch (default 1000)"),
    (["-tls"], "string", "CA,CERT,KEY[,PASS]", "TLS, where the C client has it"),
    (["--sasl-mech"], "string", "M", "SASL mechanism, where the C client has it"),
    (["--sasl-user"], "string", "U", "SASL user"),
    (["--sasl-password-file"], "file", "F", "SASL password file"),
    (["--sasl-realm"], "string", "R", "SASL realm"),
    (["--sasl-service"], "string", "S", "SASL service"),
    (["--sasl-host"], "string", "H", "SASL host"),
    (["-c"], "string", "'CMD; CMD'", "run these commands"),
    (["-f"], "file", "FILE", "run the commands of FILE"),
    (["-h", "--help"], "bool", None, "print the usage"),
    (["-V", "--version"], "bool", None, "print the version"),
]


def main():
    raw = json.load(open(sys.argv[1]))
    cmds = [command(c) for c in raw["commands"]]
    for c in cmds:
        if c["command"] == "ensemble":
            c["positionals"] = []
            c["subcommands"] = [
                sub(c, "status", "status [--watch DURATION]", "the ensemble's health", ["watch"], []),
                sub(c, "plan", "plan add|remove|replace [--strategy STRATEGY] [--via-observer] [--force] [--start-cmd CMD] SERVER|ID...",
                    "print the steps of a change, change nothing",
                    ["strategy", "via-observer", "force", "start-cmd"],
                    [P("action", "choice"), P("SERVER", "host", False, True)]),
            ] + [
                sub(c, w, w + " [--strategy STRATEGY] [--via-observer] [--force] [--yes] [--step-timeout DURATION] [--dry-run] [--start-cmd CMD] [--stop-cmd CMD] SERVER|ID...",
                    h, ["strategy", "via-observer", "force", "yes", "step-timeout", "dry-run",
                        "start-cmd", "stop-cmd"], [P("SERVER", "host", False, True)])
                for w, h in (("add", "add members, step by step"),
                             ("remove", "remove members, step by step"),
                             ("replace", "add NEW, then remove OLD"))
            ] + [sub(c, "joiner-config", "joiner-config [--observer] [--write DIR] SERVER",
                     "print what a new server starts with", ["observer", "write"],
                     [P("SERVER", "host")])]
        if c["command"] == "queue":
            c["positionals"] = []
            c["subcommands"] = [
                sub(c, "push", "push [-b] PATH DATA", "add an item", ["b"],
                    [P("PATH", "path"), P("DATA")]),
                sub(c, "pop", "pop [--wait DURATION] PATH",
                    "take the oldest item (each goes to exactly one consumer)", ["wait"],
                    [P("PATH", "path")]),
            ]
            c["options"] = []
    glob = []
    for sp, t, v, h in G:
        o = {"spellings": sp, "type": t, "value": v, "help": h}
        glob.append(o)
    doc = {"command": "help", "global_options": glob, "commands": cmds}
    json.dump(doc, sys.stdout, indent=1)
    sys.stdout.write("\n")


main()
