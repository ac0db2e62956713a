#!/bin/sh
# cmake --install into a temporary prefix: every file in its usual place, and the
# installed program, man pages and sample night work from there.
#   test_install.sh BUILD_DIR
set -eu
name=test_install build=$1
. "$(dirname "$0")/installed.sh"
for f in bin/nightpose \
	share/man/man1/nightpose.1 share/man/man1/nightpose-report.1 share/man/man1/nightpose-config.1 \
	share/bash-completion/completions/nightpose share/zsh/site-functions/_nightpose \
	lib/udev/rules.d/60-nightpose.rules \
	share/doc/nightpose/README.md share/doc/nightpose/CHANGELOG.md share/doc/nightpose/LICENSE \
	share/doc/nightpose/examples/read_night.c share/nightpose/sample-night.npr \
	include/nightpose/np_night.h include/nightpose/np_epochs.h include/nightpose/np_posture.h; do
	[ -f "$prefix/$f" ] || fail "missing $f"
done
ls "$prefix"/lib*/libnightpose.so.0 "$prefix"/lib*/pkgconfig/nightpose.pc >/dev/null ||
	fail "missing libnightpose.so.0 or nightpose.pc"

np=$prefix/bin/nightpose
"$np" --version | grep -Eq '^nightpose [0-9]+\.[0-9]+\.[0-9]+( \(git [0-9a-f]+(-dirty)?\))?$' ||
	fail "--version: $("$np" --version)"
# The program reads no config of the user running the tests.
XDG_CONFIG_HOME=$prefix "$np" report "$prefix/share/nightpose/sample-night.npr" >"$prefix/report.txt"
grep -q "^Positions to avoid (prone)" "$prefix/report.txt" || fail "report of the sample night"
if command -v man >/dev/null 2>&1; then
	MANPATH=$prefix/share/man MANWIDTH=80 man nightpose-report 2>/dev/null | grep -q "nightpose-report - summary of a night" ||
		fail "man nightpose-report"
fi
echo "test_install: ok"
