#!/bin/sh
# Install checks, as TAP: the man page renders cleanly, `make install` and `make uninstall` into a scratch
# DESTDIR, `make distcheck` (unit tests only inside it: the end-to-end suite
# has already run in this tree), and the Debian package built from a copy of
# the sources, unpacked with `dpkg -x` and checked with lintian.
# Usage: tests/pkg/check.sh (from a configured, built source tree).
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d /tmp/zksh-pkg.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0
echo "1..6"

result() { # result OK|FAIL description [log]
	n=$((n + 1))
	if [ "$1" = OK ]; then
		echo "ok $n - $2"
	else
		fails=$((fails + 1))
		echo "not ok $n - $2"
		[ -n "${3:-}" ] && [ -f "$3" ] && tail -25 "$3" | sed 's/^/# /'
	fi
}

# The four installed files, relative to a root and a prefix.
have_files() { # root prefix zshdir [.gz: the man page compressed]
	for f in "$2/bin/zksh" "$2/share/man/man1/zksh.1${4:-}" \
		"$2/share/bash-completion/completions/zksh" "$3/_zksh"; do
		[ -f "$1$f" ] || { echo "# missing: $f"; return 1; }
	done
}

cd "$src" || exit 1
warn=$(groff -ww -man -Tutf8 doc/zksh.1 2>&1 >/dev/null)
if [ -z "$warn" ] && man -l doc/zksh.1 >/dev/null 2>&1; then
	result OK "doc/zksh.1 renders with man -l, and groff -ww gives no warnings"
else
	echo "$warn" | sed 's/^/# /'
	result FAIL "doc/zksh.1 renders with man -l, and groff -ww gives no warnings"
fi

d=$tmp/destdir
if make install DESTDIR="$d" >"$tmp/install.log" 2>&1 &&
	have_files "$d" /usr/local /usr/local/share/zsh/site-functions; then
	result OK "make install puts the binary, zksh.1 and both completions in place"
else
	result FAIL "make install puts the binary, zksh.1 and both completions in place" "$tmp/install.log"
fi
make uninstall DESTDIR="$d" >"$tmp/uninstall.log" 2>&1
left=$(find "$d" -type f 2>/dev/null)
if [ -z "$left" ]; then
	result OK "make uninstall removes every installed file"
else
	echo "$left" | sed 's/^/# left: /'
	result FAIL "make uninstall removes every installed file" "$tmp/uninstall.log"
fi

if make distcheck TESTS='$(UNIT_TESTS)' >"$tmp/distcheck.log" 2>&1; then
	result OK "make distcheck: the tarball builds, tests and installs out of tree"
else
	result FAIL "make distcheck: the tarball builds, tests and installs out of tree" "$tmp/distcheck.log"
fi
rm -f zksh-*.tar.gz

# The package is built from a copy of the tracked (and new, unignored) files,
# so this tree's own build is left alone.
b=$tmp/build/zksh
mkdir -p "$b"
git ls-files -co --exclude-standard | tar -cf - -T - | tar -xf - -C "$b"
if command -v dpkg-buildpackage >/dev/null 2>&1 &&
	(cd "$b" && dpkg-buildpackage -us -uc -b) >"$tmp/deb.log" 2>&1; then
	deb=$(ls "$tmp"/build/zksh_*.deb)
	root=$tmp/root
	dpkg -x "$deb" "$root"
	if have_files "$root" /usr /usr/share/zsh/vendor-completions .gz &&
		"$root/usr/bin/zksh" version >/dev/null &&
		dpkg-deb -f "$deb" Depends | grep -q libzookeeper-mt; then
		result OK "the .deb installs binary, man page and both completions and depends on libzookeeper-mt"
	else
		dpkg-deb -c "$deb" | sed 's/^/# /'
		result FAIL "the .deb installs binary, man page and both completions and depends on libzookeeper-mt"
	fi
	lintian "$deb" >"$tmp/lintian.log" 2>&1
	sed 's/^/# /' "$tmp/lintian.log"
	if ! grep -q '^E:' "$tmp/lintian.log"; then
		result OK "lintian reports no errors on the .deb"
	else
		result FAIL "lintian reports no errors on the .deb"
	fi
else
	result FAIL "the .deb builds (dpkg-buildpackage -us -uc -b)" "$tmp/deb.log"
	result FAIL "lintian reports no errors on the .deb"
fi
exit $((fails > 0))
