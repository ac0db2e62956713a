#!/bin/sh
# docs/examples/read_night.c built against the INSTALLED libnightpose (headers,
# nightpose.pc, libnightpose.so.0 in a temporary prefix) and run on the sample night.
#   test_libnightpose.sh BUILD_DIR
set -eu
name=test_libnightpose build=$1
. "$(dirname "$0")/installed.sh"
pc=$(dirname "$(ls "$prefix"/lib*/pkgconfig/nightpose.pc)")
flags=$(PKG_CONFIG_PATH=$pc pkg-config --cflags --libs nightpose)
case $flags in *"$prefix"*) ;; *) fail "nightpose.pc does not point into the prefix: $flags" ;; esac
[ "$(PKG_CONFIG_PATH=$pc pkg-config --modversion nightpose)" = "$(sed -n 's/^project(nightpose VERSION \([0-9.]*\).*/\1/p' "$(dirname "$0")/../../CMakeLists.txt")" ] ||
	fail "nightpose.pc version"
# shellcheck disable=SC2086
${CC:-cc} -std=c11 -Wall -Wextra -Werror "$prefix/share/doc/nightpose/examples/read_night.c" $flags \
	-o "$prefix/read_night"
libdir=$(dirname "$(ls "$prefix"/lib*/libnightpose.so.0)")
readelf -d "$libdir/libnightpose.so.0" | grep -q 'SONAME.*\[libnightpose.so.0\]' || fail "soname"
LD_LIBRARY_PATH=$libdir ldd "$prefix/read_night" | grep -q "$libdir/libnightpose.so.0" ||
	fail "read_night does not use the installed library"
LD_LIBRARY_PATH=$libdir "$prefix/read_night" "$prefix/share/nightpose/sample-night.npr" >"$prefix/out.txt"
cat "$prefix/out.txt"
# 8 h at 30-s epochs; every position with time, as 'nightpose report' finds.
grep -q '^960 epochs of 30 s$' "$prefix/out.txt" || fail "epoch count"
for p in supine prone left right upright; do
	grep -Eq "^$p +[0-9]+\.[0-9] min$" "$prefix/out.txt" || fail "no line for $p"
done
supine=$(awk '$1 == "supine" { print int($2) }' "$prefix/out.txt")
[ "$supine" -gt 60 ] || fail "supine only $supine min"
echo "test_libnightpose: ok"
