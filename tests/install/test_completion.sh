#!/bin/sh
# The bash and zsh completions load without error; bash completes commands, each
# command's options (the same as its --help), --avoid lists, --port and files by type.
#   test_completion.sh NIGHTPOSE SOURCE_DIR
set -eu
np=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd)
bash_file=$src/packaging/completion/nightpose.bash
zsh_file=$src/packaging/completion/_nightpose
fail() { echo "test_completion: $*" >&2; exit 1; }

out=$(bash -c ". '$bash_file'" 2>&1) || fail "bash: $out"
[ -z "$out" ] || fail "bash printed: $out"

# complete WORD... : what _nightpose offers for the last word, space separated.
complete_bash() {
	bash -c '. "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _nightpose; echo "${COMPREPLY[*]}"' \
		"$bash_file" nightpose "$@"
}
expect() {
	want=$1
	shift
	got=$(complete_bash "$@")
	[ "$got" = "$want" ] || fail "nightpose $* <TAB>: got '$got', want '$want'"
}
expect "record replay report" re
expect "prone,supine" report --avoid prone,s
expect "left" record --avoid l
expect "vibrate" record --alert v
expect "auto" record --port a
case " $(complete_bash record --port '') " in *" auto "*) ;; *) fail "--port offers no auto" ;; esac

# Each command's options are those its --help lists.
for cmd in $("$np" --help | sed -n '/^commands:/,/^$/s/^  \([a-z]*\) .*/\1/p'); do
	want=$("$np" "$cmd" --help | sed -n '/^options:/,/^$/p' | grep -E '^  -' |
		sed -E 's/  +[^-].*//; s/^ +//' | grep -Eo '(^|[ ,])--?[A-Za-z][A-Za-z-]*' |
		tr -d ' ,' | sort -u | grep -vx -- -h | tr '\n' ' ')
	got=$(complete_bash "$cmd" - | tr ' ' '\n' | sort -u | tr '\n' ' ')
	[ "$got" = "$want" ] || fail "nightpose $cmd -<TAB>: got '$got', --help has '$want'"
done

# Files by extension: only .npr for a recording, only pictures for --plot.
dir=$(mktemp -d "${TMPDIR:-/tmp}/np-compl.XXXXXX")
trap 'rm -rf "$dir"' EXIT
touch "$dir/a.npr" "$dir/b.png" "$dir/c.svg" "$dir/d.pdf" "$dir/e.csv" "$dir/f.json" "$dir/g.edf"
cd "$dir"
expect "a.npr" report ''
expect "b.png c.svg d.pdf" report --plot ''
expect "f.json" epochs --calibration ''
expect "e.csv" epochs -o ''
expect "g.edf" export a.npr --edf ''
expect "spc uci-ar hapt csv" import ''

if command -v zsh >/dev/null 2>&1; then
	out=$(zsh -fc "autoload -Uz compinit; compinit -u -d '$dir/zcompdump'; source '$zsh_file'; print -r -- \$_comps[nightpose]" 2>&1) ||
		fail "zsh: $out"
	[ "$out" = "_nightpose" ] || fail "zsh source: $out"
	out=$(zsh -fc "fpath=('$src/packaging/completion' \$fpath); autoload -Uz compinit; compinit -u -d '$dir/zcompdump2'; print -r -- \$_comps[nightpose]" 2>&1) ||
		fail "zsh fpath: $out"
	[ "$out" = "_nightpose" ] || fail "zsh fpath: $out"
else
	echo "test_completion: zsh not installed, its completion not checked" >&2
fi
echo "test_completion: ok"
