#!/usr/bin/env python3
"""Walk the grammar of `zksh help --json` (the table) for the table-walk test
(tests/e2e/completion.bats).

  walk.py help JSON          every command, subcommand and flag has a help line
  walk.py man JSON MANPAGE   every one of them is in the man page, in its entry
  walk.py cases JSON         completion cases, one a line: the words typed so
                             far (TAB-separated, the last one being completed),
                             then a line "= EXPECTED..." of words that must be
                             offered

The first two print one problem a line and exit 1 when there is any.
"""
import json
import sys


def walk(cmds, parent=""):
    for c in cmds:
        key = (parent + " " + c["command"]).strip()
        yield key, c
        yield from walk(c.get("subcommands") or [], key)


def check_help(doc):
    bad = []
    for o in doc.get("global_options", []):
        if not (o.get("help") or "").strip():
            bad.append("global option %s has no help line" % o["spellings"][0])
    for key, c in walk(doc["commands"]):
        if not (c.get("help") or "").strip():
            bad.append("command %s has no help line" % key)
        for o in c.get("options") or []:
            if not (o.get("help") or "").strip():
                bad.append("%s: flag %s has no help line" % (key, o["spellings"][0]))
    return bad


def esc(t):
    return t.replace("\\", "\\e").replace("-", "\\-")


def check_man(doc, man):
    lines = open(man).read().split("\n")
    bad = []
    text = "\n".join(lines)
    for o in doc.get("global_options", []):
        for s in o["spellings"]:
            if "\\fB%s\\fR" % esc(s) not in text:
                bad.append("global option %s is not in %s" % (s, man))
    for key, c in walk(doc["commands"]):
        head = ".B " + esc(c.get("usage") or key)
        if head not in lines:
            bad.append("command %s: no entry '%s' in %s" % (key, head, man))
            continue
        i = lines.index(head) + 1
        entry = []
        # the entry runs to the next command's entry (".TP" then ".B ")
        while i < len(lines) and not (lines[i] == ".TP" and i + 1 < len(lines) and
                                      lines[i + 1].startswith(".B ")) \
                and not lines[i].startswith(".SS") and not lines[i].startswith(".SH"):
            entry.append(lines[i])
            i += 1
        body = "\n".join(entry)
        for o in c.get("options") or []:
            for s in o["spellings"]:
                if "\\fB%s\\fR" % esc(s) not in body:
                    bad.append("%s: flag %s is not in its man page entry" % (key, s))
    return bad


def cases(doc):
    out = []
    out.append((["-"], [s for o in doc.get("global_options", []) for s in o["spellings"]]))
    names = []
    for c in doc["commands"]:
        names.append(c["command"])
        names += c.get("aliases") or []
    out.append(([""], names))
    # the options every command takes (--json, -o, --help): after a bare "-"
    # a command with options of its own offers those alone, so each command
    # is walked with "-" (its own) and "--" (every long spelling); the common
    # single-dash spellings once, whole, on the first command
    every = None
    for key, c in walk(doc["commands"]):
        sp = {s for o in c.get("options") or [] for s in o["spellings"]}
        every = sp if every is None else every & sp
    every = every or set()
    first = True
    for key, c in walk(doc["commands"]):
        words = key.split()
        flags = [s for o in c.get("options") or [] for s in o["spellings"]]
        own = [s for s in flags if s not in every]
        if flags:
            out.append((words + ["-"], own or flags))
        longs = [s for s in flags if s.startswith("--")]
        if longs:
            out.append((words + ["--"], longs))
        if first and flags:
            for s in sorted(every):
                if not s.startswith("--"):
                    out.append((words + [s], [s]))
            first = False
        subs = c.get("subcommands") or []
        if subs:
            out.append((words + [""], [s["command"] for s in subs]))
        for o in c.get("options") or []:
            if o.get("type") == "enum" and o.get("choices"):
                out.append((words + [o["spellings"][0], ""], o["choices"]))
    for words, want in out:
        print("\t".join(words))
        print("= " + " ".join(want))


def main():
    mode, path = sys.argv[1], sys.argv[2]
    doc = json.load(open(path))
    if mode == "cases":
        cases(doc)
        return 0
    bad = check_help(doc) if mode == "help" else check_man(doc, sys.argv[3])
    for b in bad:
        print(b)
    return 1 if bad else 0


sys.exit(main())
