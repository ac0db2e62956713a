# Sourced by the install tests, with $name (the test) and $build (the build dir) set:
# `cmake --install $build` into a fresh temporary prefix ($prefix, removed on exit),
# and fail() that names the test.
prefix=$(mktemp -d "${TMPDIR:-/tmp}/np-$name.XXXXXX")
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
fail() { echo "$name: $*" >&2; exit 1; }
