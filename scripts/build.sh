#!/bin/sh
# Configure (when needed) and build zksh in the source tree. Arguments go to
# configure, e.g. --enable-sanitizers; a build configured with other
# arguments is reconfigured from scratch.
set -eu
cd "$(dirname "$0")/.."
want="--enable-werror $*"
have=""
[ -f config.status ] && have=$(./config.status --config 2>/dev/null | tr -d "'")
if [ ! -f Makefile ] || [ "$have" != "$(echo $want)" ]; then
	[ -f Makefile ] && make distclean >/dev/null 2>&1
	[ -x configure ] || autoreconf -fi >/dev/null 2>&1
	# shellcheck disable=SC2086
	./configure -q $want
fi
make -j"$(nproc)" >/dev/null
