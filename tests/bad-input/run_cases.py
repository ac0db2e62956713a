#!/usr/bin/env python3
"""Run the bad-input catalogue (cases.tsv) against the nightpose binary.

Each line of cases.tsv: name, input, command, exit code, stderr substring (tab
separated; '#' starts a comment). The input is what {case} names, set up in a fresh
directory {dir} of its own:
  a file of this folder (committed) or one that gen_cases wrote (generated);
  'empty', 'junk' (4 kB of random bytes), 'dir', 'fifo', 'loop' (a symbolic link
  to itself), 'missing', 'unreadable' (mode 000; skipped as root);
  'magic', 'future', 'truncated', 'hugehdr': a generated recording damaged so.
'SRC>NAME' copies SRC under another name.
{gen} is the folder of the generated files. {out} is {dir}/out, which must not exist afterwards; nor may any other new file,
and the files that were there must be unchanged.
Nothing printed may hold a control character but tab and newline (a file's text
must not reach the terminal as escape sequences). Every case runs with a time, an address-space and a file-size limit.
"""
import argparse
import hashlib
import os
import random
import resource
import shlex
import shutil
import subprocess
import sys

TIME_LIMIT_S = 10
MEMORY_LIMIT = 1 << 30
FILE_SIZE_LIMIT = 64 << 20  # no case has a reason to write more


def damaged(base, kind):
    data = bytearray(open(base, "rb").read())
    if kind == "magic":
        data[1:4] = b"XYZ"
    elif kind == "future":
        data[8:10] = (99).to_bytes(2, "little")
    elif kind == "truncated":
        data = data[:20]
    elif kind == "hugehdr":
        data[10:12] = (0xFFFF).to_bytes(2, "little")
    return bytes(data)


def make_input(spec, cases_dir, gen_dir, case_dir):
    """Create the case's input; returns its path, or None to skip the case."""
    spec, _, name = spec.partition(">")
    path = os.path.join(case_dir, name or (spec if spec != "-" else "none"))
    if spec == "-":
        return path
    if spec == "empty":
        open(path, "wb").close()
    elif spec == "junk":
        rnd = random.Random(7)
        open(path, "wb").write(bytes(rnd.getrandbits(8) for _ in range(4096)))
    elif spec == "dir":
        os.mkdir(path)
    elif spec == "fifo":
        os.mkfifo(path)
    elif spec == "loop":
        os.symlink(spec, path)
    elif spec == "missing":
        pass
    elif spec == "unreadable":
        if os.geteuid() == 0:
            return None
        open(path, "wb").write(b"x")
        os.chmod(path, 0)
    elif spec in ("magic", "future", "truncated", "hugehdr"):
        open(path, "wb").write(damaged(os.path.join(gen_dir, "escapes.npr"), spec))
    else:
        src = os.path.join(cases_dir, spec)
        if not os.path.exists(src):
            src = os.path.join(gen_dir, spec)
        shutil.copy(src, path)
    return path


def snapshot(case_dir):
    """Name to content hash of the regular files in case_dir (None for others)."""
    out = {}
    for name in os.listdir(case_dir):
        path = os.path.join(case_dir, name)
        regular = os.path.isfile(path) and not os.path.islink(path) and os.access(path, os.R_OK)
        out[name] = hashlib.sha256(open(path, "rb").read()).hexdigest() if regular else None
    return out


def limits(memory):
    def apply():
        resource.setrlimit(resource.RLIMIT_CPU, (TIME_LIMIT_S, TIME_LIMIT_S))
        resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))
        if memory:
            resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    return apply


def run_case(a, fields, gen_dir):
    name, spec, command, want_rc, want_err = fields
    case_dir = os.path.join(a.work, name)
    os.mkdir(case_dir)
    case = make_input(spec, a.cases, gen_dir, case_dir)
    if case is None:
        print(f"skip {name}: needs a user that permissions apply to")
        return True
    before = snapshot(case_dir)
    out = os.path.join(case_dir, "out")
    argv = [w.replace("{case}", case).replace("{out}", out).replace("{dir}", case_dir)
            .replace("{gen}", gen_dir)
            for w in shlex.split(command)]
    env = dict(os.environ, XDG_CONFIG_HOME=case_dir, TZ="UTC")
    try:
        p = subprocess.run([a.cli] + argv, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=TIME_LIMIT_S, env=env, preexec_fn=limits(a.memory))
    except subprocess.TimeoutExpired:
        print(f"FAIL {name}: still running after {TIME_LIMIT_S} s: {command}")
        return False
    err = p.stderr.decode("utf-8", "replace")
    want_err = want_err.replace("{case}", case).replace("{out}", out).replace("{dir}", case_dir)
    problems = []
    if p.returncode != int(want_rc):
        problems.append(f"exit {p.returncode}, expected {want_rc}")
    for stream, text in (("stdout", p.stdout), ("stderr", p.stderr)):
        bad = sorted({f"\\x{b:02x}" for b in text if (b < 0x20 and b not in (9, 10)) or b == 0x7f})
        if bad:
            problems.append(f"{stream} holds control characters {bad}")
    if want_err not in err:
        problems.append(f"stderr lacks {want_err!r}")
    after = snapshot(case_dir)
    left = sorted(set(after) - set(before))
    if left:
        problems.append(f"left behind: {left}")
    changed = sorted(f for f in before if f in after and after[f] != before[f])
    if changed:
        problems.append(f"changed: {changed}")
    if problems:
        print(f"FAIL {name}: {'; '.join(problems)}\n  command: {command}\n  stderr: {err!r}")
        return False
    print(f"ok   {name}")
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--gen", required=True)
    ap.add_argument("--cases", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--no-memory-limit", dest="memory", action="store_false",
                    help="for sanitizer builds, which reserve terabytes of address space")
    ap.add_argument("only", nargs="*", help="run only these cases")
    a = ap.parse_args()
    if os.path.exists(a.work):
        subprocess.run(["chmod", "-R", "u+rwx", a.work], check=False)
        shutil.rmtree(a.work)
    gen_dir = os.path.join(a.work, "generated")
    os.makedirs(gen_dir)
    subprocess.run([a.gen, gen_dir], check=True)
    ok = True
    for line in open(os.path.join(a.cases, "cases.tsv"), encoding="utf-8"):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.rstrip("\n").split("\t")
        if len(fields) != 5:
            print(f"FAIL bad manifest line: {line!r}")
            ok = False
            continue
        if a.only and fields[0] not in a.only:
            continue
        ok = run_case(a, fields, gen_dir) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
