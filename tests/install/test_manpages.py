#!/usr/bin/env python3
"""Each man page agrees with --help: nightpose(1) lists every command, and each
nightpose-CMD(1) documents exactly the options `nightpose CMD --help` lists.

    test_manpages.py NIGHTPOSE MAN_DIR
"""
import re
import subprocess
import sys

OPT = re.compile(r"(?:^|(?<=[\s,]))--?[A-Za-z][\w-]*")


def run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def help_options(text):
    """Option names at the start of the lines of the 'options:' block."""
    opts, inside = set(), False
    for line in text.splitlines():
        if line == "options:":
            inside = True
        elif inside and not line.startswith(" "):
            inside = False
        elif inside and re.match(r"  -", line):
            spec = re.split(r"\s{2,}", line.strip())[0]
            opts.update(m for m in OPT.findall(spec))
    return opts


def man_sections(path):
    """The roff page as {SECTION: [lines]}."""
    sections, cur = {}, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith(".SH "):
                cur = line[4:].strip('"')
                sections[cur] = []
            elif cur:
                sections[cur].append(line)
    return sections


def man_options(path):
    """Bold option names in the tags of the OPTIONS section (\\fB--port\\fR ...)."""
    opts = set()
    for line in man_sections(path).get("OPTIONS", []):
        if line.startswith("\\fB-"):
            opts.update(re.findall(r"\\fB(--?[A-Za-z][\w-]*)\\fR", line))
    return opts


def main():
    nightpose, man_dir = sys.argv[1], sys.argv[2]
    top = run(nightpose, "--help")
    commands = re.findall(r"^  (\w+) ", top.split("commands:", 1)[1], re.M)
    failures = []
    listed = {re.sub(r"\\f.", "", l) for l in man_sections(f"{man_dir}/nightpose.1")["COMMANDS"]}
    for cmd in commands:
        if cmd not in listed:
            failures.append(f"nightpose.1: command {cmd} missing from COMMANDS")
        help_opts = help_options(run(nightpose, cmd, "--help"))
        page = f"{man_dir}/nightpose-{cmd}.1"
        try:
            page_opts = man_options(page)
        except FileNotFoundError:
            failures.append(f"{page}: missing")
            continue
        if not help_opts:
            failures.append(f"nightpose {cmd} --help: no options found")
        if help_opts != page_opts:
            failures.append(f"nightpose-{cmd}.1: only in --help: {sorted(help_opts - page_opts)}, "
                            f"only in the man page: {sorted(page_opts - help_opts)}")
    for f in failures:
        print(f, file=sys.stderr)
    print(f"test_manpages: {len(commands)} commands checked")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
