#!/usr/bin/env python3
"""Worst-case stack of a firmware image against the stack its linker script keeps.

usage: stack_usage.py FW_BUILD_DIR BOARD SECTIONS_LD

Reads the GCC call graphs (-fcallgraph-info=su, firmware option NP_STACK_USAGE)
of the objects linked into BOARD (the shared libraries plus boards/BOARD) and
adds the frames up along every call chain from Reset_Handler, then puts every
interrupt handler on top of it, each with the exception frame the core pushes.
The total must fit in _min_stack of SECTIONS_LD. Prints the deepest chains.

Approximations, all towards more stack: an indirect call (the board, sensor and
USB tables) may reach any function no one calls directly; interrupts may all
nest; C library calls cost LIBC_FRAME_BYTES. Recursion or a frame GCC cannot
bound fails the check, since no worst case exists then.

Exit status: 0 fits, 1 does not fit (or cannot be bounded), 2 usage error.
"""
import os
import re
import sys

# Exception entry on a Cortex-M4F with the FPU in use: 8 core + 18 FP words.
EXCEPTION_FRAME_BYTES = 26 * 4
# What a C library routine may take (memset, memcpy, strlen, sinf of newlib-nano, built
# without call graphs): they are leaves or near-leaves that save a few registers.
LIBC_FRAME_BYTES = 64
INDIRECT = "__indirect_call"  # GCC's node for a call through a pointer

GRAPH = re.compile(r'graph: \{ title: "([^"]+)"')
NODE = re.compile(r'node: \{ title: "([^"]+)" label: "([^"]*)"')
EDGE = re.compile(r'edge: \{ sourcename: "([^"]+)" targetname: "([^"]+)"(?: label: "([^"]*)")?')
INITIALIZER = re.compile(r"\.(\w+)\s*=\s*[(&\s]*(\w+)\s*\)?\s*[,}]")
MACRO = re.compile(r"^[ \t]*#[ \t]*define[ \t]+(\w+)\(([^)]*)\)(.*)$", re.M)
# From the callee expression's start to its "(": the last name is the member.
CALLEE = re.compile(r"[\w.\[\]>-]*?(?:->|\.)(\w+)\s*\(")
FRAME = re.compile(r"\\n(\d+) bytes \(([a-z,]+)\)")
MIN_STACK = re.compile(r"^\s*_min_stack\s*=\s*(0x[0-9a-fA-F]+|\d+)\s*;", re.M)


def ci_files(build, board, linked):
    """The .ci files of what BOARD links: outside the other boards' folders, and
    named in its map (an archive member no one references is not in the image)."""
    boards = os.path.join(build, "boards")
    for here, subdirs, names in os.walk(build):
        rel = os.path.relpath(here, boards)
        if not rel.startswith("..") and rel != "." and rel.split(os.sep)[0] != board:
            subdirs[:] = []
            continue
        for name in sorted(names):
            if name.endswith(".ci") and name[:-len(".ci")] + ".obj" in linked:
                yield os.path.join(here, name)


def linked_objects(map_path):
    """Object file names the linker took, from its map."""
    with open(map_path, encoding="utf-8", errors="replace") as f:
        return set(re.findall(r"([\w.-]+\.obj)\b", f.read()))


def read_graph(files):
    """Frames, their kind, direct calls, each indirect call's source location, and
    the source files compiled."""
    frames, flags, calls, indirect_at, compiled = {}, {}, {}, {}, set()
    for path in files:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        compiled.update(GRAPH.findall(text))
        for title, label in NODE.findall(text):
            m = FRAME.search(label)
            if m:
                frames[title] = int(m.group(1))
                flags[title] = m.group(2)
        for src, dst, where in EDGE.findall(text):
            if dst == INDIRECT:
                indirect_at.setdefault(src, set()).add(where)
            else:
                calls.setdefault(src, set()).add(dst)
    return frames, flags, calls, indirect_at, compiled


def table_entries(sources, frames):
    """Member name -> functions stored under it in a designated initializer
    (".read = sensor_read,"), also through a macro parameter
    (BOARD_STM32F4_OPS(motor) with ".motor = (motor_fn)"): what an indirect
    call of that member may reach."""
    texts = {}
    for path in sources:
        with open(path, encoding="utf-8", errors="replace") as f:
            texts[path] = f.read().replace("\\\n", " ")
    # macro name -> [(member, index of the parameter stored there)]
    by_param = {}
    for text in texts.values():
        for macro, params, body in MACRO.findall(text):
            names = [p.strip() for p in params.split(",")]
            for member, value in INITIALIZER.findall(body):
                if value in names:
                    by_param.setdefault(macro, []).append((member, names.index(value)))
    entries = {}

    def add(path, member, fn):
        for title in (f"{path}:{fn}", fn):
            if title in frames:
                entries.setdefault(member, set()).add(title)
                return

    for path, text in texts.items():
        for member, fn in INITIALIZER.findall(text):
            add(path, member, fn)
        for macro, slots in by_param.items():
            for args in re.findall(r"\b" + macro + r"\(([^()]*)\)", text):
                args = [a.strip() for a in args.split(",")]
                for member, i in slots:
                    if i < len(args):
                        add(path, member, args[i])
    return entries


def called_member(where):
    """The member an indirect call at "file:line:col" goes through (b->ops->motor(...))."""
    path, line, col = where.rsplit(":", 2)
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read().splitlines()[int(line) - 1][int(col) - 1:]
    m = CALLEE.match(text)
    if not m:
        raise Unbounded(f"{where}: cannot tell which table member is called")
    return m.group(1)


class Unbounded(Exception):
    pass


def worst_stack(frames, flags, calls, targets_of):
    """depth(fn): (bytes, chain) of the deepest call chain from fn.
    targets_of(fn): the functions fn's indirect calls may reach."""
    memo, active = {}, []

    def depth(fn):
        if fn in memo:
            return memo[fn]
        if fn in active:
            raise Unbounded("recursion: " + " -> ".join(active[active.index(fn):] + [fn]))
        if fn not in frames:
            memo[fn] = (LIBC_FRAME_BYTES, [fn + " (library)"])
            return memo[fn]
        if flags[fn] != "static" and "bounded" not in flags[fn]:
            raise Unbounded(f"{fn}: frame of {flags[fn]} size")
        active.append(fn)
        best = (0, [])
        for t in sorted(calls.get(fn, set()) | targets_of(fn)):
            best = max(best, depth(t), key=lambda d: d[0])
        active.pop()
        memo[fn] = (frames[fn] + best[0], [fn] + best[1])
        return memo[fn]

    return depth


def short(fn):
    return fn.rsplit(":", 1)[-1]


def main(argv):
    if len(argv) != 3:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    build, board, sections = argv
    map_path = os.path.join(build, "boards", board, f"nightpose-{board}.map")
    if not os.path.isfile(map_path):
        print(f"stack_usage: {map_path}: no such file", file=sys.stderr)
        return 2
    files = list(ci_files(build, board, linked_objects(map_path)))
    if not files:
        print(f"stack_usage: no .ci files under {build} (build with -DNP_STACK_USAGE=ON)",
              file=sys.stderr)
        return 2
    with open(sections, encoding="utf-8") as f:
        m = MIN_STACK.search(f.read())
    if not m:
        print(f"stack_usage: {sections}: no _min_stack", file=sys.stderr)
        return 2
    limit = int(m.group(1), 0)

    frames, flags, calls, indirect_at, compiled = read_graph(files)
    # Vector table names (startup.c): SysTick_Handler, USART1_IRQHandler, ...
    handlers = sorted(f for f in frames if f.endswith("Handler") and f != "Reset_Handler")
    # The tables sit in the compiled files or in headers beside them (BOARD_STM32F4_OPS).
    folders = {os.path.dirname(src) for src in compiled}
    sources = sorted(os.path.join(d, n) for d in folders for n in os.listdir(d)
                     if n.endswith((".c", ".h")))
    entries = table_entries(sources, frames)

    def targets_of(fn):
        found = set()
        for where in indirect_at.get(fn, ()):
            member = called_member(where)
            if member not in entries:
                raise Unbounded(f"{where}: no table fills .{member}")
            found |= entries[member]
        return found

    depth = worst_stack(frames, flags, calls, targets_of)
    try:
        main_bytes, main_chain = depth("Reset_Handler")
        irqs = [(h,) + depth(h) for h in handlers]
    except Unbounded as e:
        print(f"stack_usage: {board}: no worst case: {e}")
        return 1

    total = main_bytes + sum(EXCEPTION_FRAME_BYTES + b for _, b, _ in irqs)
    print(f"{board}: main {main_bytes} B: " + " -> ".join(short(f) for f in main_chain))
    for h, b, chain in irqs:
        if b:
            print(f"{board}: {h} {b} B + {EXCEPTION_FRAME_BYTES} B exception frame: "
                  + " -> ".join(short(f) for f in chain))
    print(f"{board}: worst case {total} B (all {len(irqs)} handlers nested) of {limit} B "
          f"_min_stack, {len(files)} objects")
    return 0 if total <= limit else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
