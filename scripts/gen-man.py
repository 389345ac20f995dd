#!/usr/bin/env python3
"""Generate the OPTIONS and COMMANDS sections of doc/zksh.1 from the command
table, as `zksh help --json` prints it (the shape of the grammar contract:
global_options, commands with options, positionals and subcommands), plus
the hand-written text of doc/man-notes.roff. Everything outside the marker
comments of zksh.1 stays hand-written.

  gen-man.py [--zksh BIN | --json FILE] [--notes FILE] [--check] MANPAGE

Without --check the generated sections are written into MANPAGE; with it
nothing is written and the exit status is 1 (with a diff on stderr) when
MANPAGE differs from what the table gives. Exit 2 on bad input: a missing
marker, a note naming a command or option the table lacks, a flag without
a help line.
"""
import argparse
import difflib
import json
import os
import subprocess
import sys

BEGIN = '.\\" BEGIN GENERATED %s: scripts/gen-man.py from `zksh help --json` and doc/man-notes.roff; run `make man`'
END = '.\\" END GENERATED %s'


def die(msg):
    sys.stderr.write("gen-man: %s\n" % msg)
    sys.exit(2)


def load(args):
    if args.json:
        with open(args.json) as f:
            return json.load(f)
    out = subprocess.run([args.zksh, "help", "--json"], stdout=subprocess.PIPE,
                         stdin=subprocess.DEVNULL, check=True).stdout
    doc = json.loads(out)
    if "global_options" not in doc:
        die("%s help --json has no global_options: not the grammar" % args.zksh)
    return doc


def esc(text):
    """Plain text as roff: backslashes and hyphens escaped, no control lines."""
    t = text.replace("\\", "\\e").replace("-", "\\-")
    if t.startswith(".") or t.startswith("'"):
        t = "\\&" + t
    return t


def notes(path):
    """{'options': {spelling: [lines]}, 'sections': [(title, intro, [keys])],
    'commands': {key: [lines]}} where key is "name" or "name sub"."""
    opts, cmds, sections = {}, {}, []
    cur = None
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line.startswith("@option "):
                cur = opts.setdefault(line[8:].strip(), [])
            elif line.startswith("@section "):
                sections.append((line[9:].strip(), [], []))
                cur = sections[-1][1]
            elif line.startswith("@command "):
                key = " ".join(line[9:].split())
                if not sections:
                    die("%s:%d: @command before the first @section" % (path, n))
                sections[-1][2].append((key, n))
                cur = cmds.setdefault(key, [])
            elif line.startswith("@"):
                die("%s:%d: unknown directive %s" % (path, n, line.split()[0]))
            elif cur is not None:
                cur.append(line)
    return {"options": opts, "commands": cmds, "sections": sections}


def sentence(text):
    """A help line as the first sentence of an entry: capitalised, with a full stop."""
    t = text.strip()
    if t and t[0].islower():
        t = t[0].upper() + t[1:]
    if t and t[-1] not in ".!?":
        t += "."
    return esc(t)


def opt_tag(o):
    tag = ", ".join("\\fB%s\\fR" % esc(s) for s in o["spellings"])
    if o.get("value"):
        tag += " \\fI%s\\fR" % esc(o["value"])
    return tag


def opt_help(o, where):
    h = o.get("help") or ""
    if not h.strip():
        die("%s: %s has no help line" % (where, o["spellings"][0]))
    if o.get("choices"):
        h = h.rstrip(".") + " (one of: %s)" % ", ".join(o["choices"])
    return sentence(h)


def gen_options(doc, nt):
    out = []
    seen = set()
    for o in doc.get("global_options", []):
        out += [".TP", opt_tag(o), opt_help(o, "global options")]
        for s in o["spellings"]:
            if s in nt["options"]:
                out += nt["options"][s]
                seen.add(s)
    for s in nt["options"]:
        if s not in seen:
            die("doc/man-notes.roff: @option %s: no such global option in the table" % s)
    return out


def gen_command(c, parent, nt, used):
    key = (parent + " " + c["command"]) if parent else c["command"]
    if not (c.get("help") or "").strip():
        die("%s has no help line" % key)
    usage = c.get("usage") or key
    out = [".TP", ".B " + esc(usage), sentence(c["help"])]
    if key in nt["commands"]:
        used.add(key)
        body = nt["commands"][key]
        if any(line.strip() for line in body):
            out += [".br"] + body
    if c.get("aliases"):
        out += [".br", "Alias: " + ", ".join("\\fB%s\\fR" % esc(a) for a in c["aliases"]) + "."]
    if c.get("options"):
        out.append(".RS")
        for o in c["options"]:
            out += [".TP", opt_tag(o), opt_help(o, key)]
        out.append(".RE")
    for s in c.get("subcommands") or []:
        out += gen_command(s, key, nt, used)
    return out


def gen_commands(doc, nt):
    by_name = {c["command"]: c for c in doc["commands"]}
    placed, used, out = set(), set(), []
    for title, intro, keys in nt["sections"]:
        out += [".SS " + title] + intro
        for key, line in keys:
            name = key.split()[0]
            if name not in by_name:
                die("doc/man-notes.roff:%d: @command %s: no such command in the table" % (line, key))
            if name in placed:
                continue
            placed.add(name)
            out += gen_command(by_name[name], "", nt, used)
    rest = [c for c in doc["commands"] if c["command"] not in placed]
    if rest:
        out.append(".SS Other commands")
        for c in rest:
            out += gen_command(c, "", nt, used)
    for key in nt["commands"]:
        if key not in used:
            die("doc/man-notes.roff: @command %s: no such subcommand in the table" % key)
    return out


def splice(page, what, lines):
    b, e = BEGIN % what, END % what
    if b not in page or e not in page:
        die("no '%s' ... '%s' markers in the man page" % (b, e))
    i, j = page.index(b), page.index(e)
    return page[:i + 1] + lines + page[j:]


def main():
    ap = argparse.ArgumentParser(description="generate zksh.1's OPTIONS and COMMANDS")
    src = ap.add_mutually_exclusive_group()
    src.add_argument("--zksh", default="./zksh")
    src.add_argument("--json")
    ap.add_argument("--notes")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("manpage")
    args = ap.parse_args()
    notes_path = args.notes or os.path.join(os.path.dirname(args.manpage), "man-notes.roff")
    doc = load(args)
    nt = notes(notes_path)
    with open(args.manpage) as f:
        old = f.read().split("\n")
    new = splice(old, "OPTIONS", gen_options(doc, nt))
    new = splice(new, "COMMANDS", gen_commands(doc, nt))
    if args.check:
        if new != old:
            sys.stderr.writelines(difflib.unified_diff(
                [l + "\n" for l in old], [l + "\n" for l in new], args.manpage,
                "generated from the table"))
            sys.stderr.write("gen-man: %s differs from the table; run `make man`\n" % args.manpage)
            return 1
        return 0
    if new != old:
        with open(args.manpage, "w") as f:
            f.write("\n".join(new))
    return 0


sys.exit(main())
