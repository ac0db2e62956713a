#!/usr/bin/env python3
"""packaging/60-nightpose.rules: valid udev syntax, and it says what it must for
the nightpose device (VID 1209, PID 0001). `udevadm verify` checks the syntax when
this systemd has it (253 and later); systemd 252 (Debian 12) has not, so every
rule is also parsed here the way udev does (udev(7): KEY[{attr}] OP "value", ...).

    test_udev_rules.py RULES_FILE
"""
import re
import shutil
import subprocess
import sys

MATCH_ONLY = {"ACTION", "DEVPATH", "KERNEL", "KERNELS", "SUBSYSTEM", "SUBSYSTEMS", "DRIVER",
              "DRIVERS", "ATTRS", "TAGS", "TEST", "PROGRAM", "RESULT", "CONST", "SYSCTL"}
ASSIGN_ONLY = {"GROUP", "OWNER", "MODE", "SYMLINK", "RUN", "IMPORT", "GOTO", "LABEL", "OPTIONS",
               "NAME", "SECLABEL", "WAIT_FOR"}
BOTH = {"ENV", "ATTR", "TAG"}
ENTRY = re.compile(r'\s*([A-Z_]+)(\{[^}]+\})?\s*(==|!=|\+=|-=|:=|=)\s*"([^"]*)"\s*(,|$)')


def parse(text):
    rules, errors = [], []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        pos, entries = 0, []
        while pos < len(line):
            m = ENTRY.match(line, pos)
            if not m:
                errors.append(f"{n}: cannot parse from column {pos + 1}: {line[pos:]!r}")
                break
            key, attr, op, value = m.group(1), m.group(2), m.group(3), m.group(4)
            is_match = op in ("==", "!=")
            if key not in MATCH_ONLY | ASSIGN_ONLY | BOTH:
                errors.append(f"{n}: unknown key {key}")
            elif is_match and key in ASSIGN_ONLY:
                errors.append(f"{n}: {key} cannot be matched with {op}")
            elif not is_match and key in MATCH_ONLY:
                errors.append(f"{n}: {key} cannot be assigned with {op}")
            if key in ("ATTR", "ATTRS", "ENV", "IMPORT", "TEST") and not attr and key != "TEST":
                errors.append(f"{n}: {key} needs {{name}}")
            entries.append((key, attr and attr[1:-1], op, value))
            pos = m.end()
        rules.append((n, entries))
    labels = {v for _, es in rules for k, _, _, v in es if k == "LABEL"}
    for n, es in rules:
        for k, _, _, v in es:
            if k == "GOTO" and v not in labels:
                errors.append(f"{n}: GOTO {v} without its LABEL")
    return rules, errors


def main():
    path = sys.argv[1]
    text = open(path, encoding="utf-8").read()
    rules, errors = parse(text)
    device = [es for _, es in rules
              if ("ATTR", "idVendor", "==", "1209") in es or ("ATTRS", "idVendor", "==", "1209") in es]
    if not device or not all(any(k in ("ATTR", "ATTRS") and a == "idProduct" and v == "0001"
                                 for k, a, _, v in es) for es in device):
        errors.append("no rule matches idVendor 1209 with idProduct 0001")
    flat = [e for es in device for e in es]
    for want in [("TAG", None, "+=", "uaccess"), ("GROUP", None, "=", "plugdev"), ("MODE", None, "=", "0660"),
                 ("ENV", "ID_MM_DEVICE_IGNORE", "=", "1")]:
        if want not in flat:
            errors.append(f"no {want[0]}{'{' + want[1] + '}' if want[1] else ''}{want[2]}\"{want[3]}\"")
    if not any(k == "SYMLINK" and v.startswith("nightpose-") for k, _, _, v in flat):
        errors.append("no SYMLINK+=\"nightpose-...\" for the serial port")
    if not any(("SUBSYSTEM", None, "==", "tty") in es for es in device):
        errors.append("no rule for the tty")
    if shutil.which("udevadm"):
        verify = subprocess.run(["udevadm", "verify", path], capture_output=True, text=True)
        if verify.returncode != 0 and "unknown command verb" in verify.stderr.lower():
            print("udevadm has no verify (systemd < 253): parsed here only")
        elif verify.returncode != 0:
            errors.append("udevadm verify: " + verify.stderr.strip())
        else:
            print("udevadm verify: ok")
    for e in errors:
        print(f"{path}:{e}", file=sys.stderr)
    print(f"test_udev_rules: {len(rules)} rules parsed")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
