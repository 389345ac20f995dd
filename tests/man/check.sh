#!/bin/sh
# TAP: doc/zksh.1's OPTIONS and COMMANDS sections are what the table gives
# (scripts/gen-man.py --check against `zksh help --json`), and groff finds
# nothing to warn about in the whole page. After changing the table or
# doc/man-notes.roff: `make man`, and commit doc/zksh.1.
src=${ZKSH_SRCDIR:-$(dirname "$0")/../..}
zksh=${ZKSH:-$src/zksh}
echo "1..2"
if out=$(python3 "$src/scripts/gen-man.py" --zksh "$zksh" --check "$src/doc/zksh.1" 2>&1); then
	echo "ok 1 doc/zksh.1 matches the command table"
else
	echo "not ok 1 doc/zksh.1 matches the command table"
	printf '%s\n' "$out" | sed 's/^/# /'
fi
if warn=$(groff -ww -man -Tutf8 -z "$src/doc/zksh.1" 2>&1) && [ -z "$warn" ]; then
	echo "ok 2 groff -ww -man renders doc/zksh.1 without warnings"
else
	echo "not ok 2 groff -ww -man renders doc/zksh.1 without warnings"
	printf '%s\n' "$warn" | sed 's/^/# /'
fi
