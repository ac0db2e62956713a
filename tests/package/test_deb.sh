#!/bin/sh
# The .deb in a fresh Debian 12 root: builds nightpose_<version>_amd64.deb with
# CPack, installs it with apt in a copy of a debootstrap'ed bookworm (minbase),
# runs `nightpose report` on the installed sample night and `man nightpose-report`
# there, then purges it and checks that every file it installed is gone.
#   test_deb.sh SOURCE_DIR WORK_DIR
# Needs root, network to the Debian mirror and debootstrap. The base root is made
# once and kept in $NP_TEST_CHROOT (default /var/cache/nightpose-test/bookworm-minbase),
# outside the checkout; each run works on a copy. A machine that cannot make one
# (no debootstrap, no network) installs with dpkg -i into itself instead, and removes
# the package again.
set -eu
src=$(cd "$1" && pwd)
work=$2
base=${NP_TEST_CHROOT:-/var/cache/nightpose-test/bookworm-minbase}
# The mirror: $NP_TEST_MIRROR, else debootstrap's own default.
mirror=${NP_TEST_MIRROR:-}
fail() { echo "test_deb: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "needs root (chroot, apt)"

echo "== build the .deb" >&2
mkdir -p "$work"
cmake -S "$src" -B "$work/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr \
	-DNP_BUILD_TESTS=OFF >/dev/null
cmake --build "$work/build" -j"$(nproc)" >/dev/null
(cd "$work/build" && cpack -G DEB >/dev/null)
version=$(sed -n 's/^project(nightpose VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
deb=$work/build/nightpose_${version}_amd64.deb
[ -f "$deb" ] || fail "no $deb"
dpkg-deb -f "$deb" Depends
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' | grep -v '/$' >"$work/files.txt"

if [ ! -d "$base" ] && command -v debootstrap >/dev/null 2>&1; then
	echo "== debootstrap bookworm into $base (once)" >&2
	mkdir -p "$(dirname "$base")"
	rm -rf "$base.tmp"
	if debootstrap --variant=minbase bookworm "$base.tmp" ${mirror:+"$mirror"} >"$work/debootstrap.log" 2>&1; then
		mv "$base.tmp" "$base"
	else
		echo "test_deb: debootstrap failed (see $work/debootstrap.log)" >&2
		rm -rf "$base.tmp"
	fi
fi

if [ -d "$base" ]; then
	root=$work/root
	rm -rf "$root"
	cp -a "$base" "$root"
	trap 'rm -rf "$root"' EXIT
	cp /etc/resolv.conf "$root/etc/resolv.conf"
	cp "$deb" "$root/tmp/"
	in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
		DEBIAN_FRONTEND=noninteractive "$@"; }
	echo "== apt install ./$(basename "$deb") in a fresh bookworm root" >&2
	in_root apt-get update -qq >/dev/null
	in_root apt-get install -y -qq "/tmp/$(basename "$deb")" >"$work/apt.log" 2>&1 ||
		{ cat "$work/apt.log" >&2; fail "apt install"; }
	run=in_root
	remove() { in_root apt-get purge -y -qq nightpose >>"$work/apt.log" 2>&1; }
	gone() { [ ! -e "$root$1" ] && [ ! -L "$root$1" ]; }
else
	echo "== no fresh root: dpkg -i into this machine" >&2
	dpkg -s nightpose >/dev/null 2>&1 && fail "nightpose is installed here already"
	dpkg -i "$deb" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log" >&2; dpkg -r nightpose; fail "dpkg -i"; }
	run=env
	remove() { dpkg --purge nightpose >>"$work/dpkg.log" 2>&1; }
	gone() { [ ! -e "$1" ] && [ ! -L "$1" ]; }
fi

$run nightpose --version
$run nightpose report /usr/share/nightpose/sample-night.npr >"$work/report.txt" || { remove; fail "report"; }
grep -q "^Positions to avoid (prone)" "$work/report.txt" || { remove; fail "report output"; }
$run sh -c 'MANWIDTH=80 man nightpose-report 2>/dev/null' | grep -q "nightpose-report - summary of a night" ||
	{ remove; fail "man nightpose-report"; }
$run sh -c 'test -x /usr/bin/nightpose && test -f /lib/udev/rules.d/60-nightpose.rules &&
	test -f /usr/share/bash-completion/completions/nightpose &&
	test -f /usr/share/zsh/vendor-completions/_nightpose &&
	test -f /usr/lib/x86_64-linux-gnu/libnightpose.so.0 &&
	test -f /usr/lib/x86_64-linux-gnu/pkgconfig/nightpose.pc' || { remove; fail "installed files"; }
echo "== purge" >&2
remove || fail "purge"
left=0
while read -r f; do
	gone "$f" || { echo "test_deb: left behind: $f" >&2; left=1; }
done <"$work/files.txt"
[ "$left" -eq 0 ] || fail "files left after purge"
echo "test_deb: ok ($(wc -l <"$work/files.txt") files installed and removed)"
