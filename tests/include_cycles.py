#!/usr/bin/env python3
"""Fail when #include "..." edges between the project's own files form a cycle.

usage: include_cycles.py ROOT [--dirs DIR...] [--expect-cycle]

Scans the .c and .h files under ROOT/DIR (default: the project's own code) and
resolves each quoted include to the project file of that name: by basename, or
by path suffix when the include names a folder; when several files match, the
one in the including file's directory wins, then the one sharing the longest
leading path with it. Includes that match no project file (vendor and system
headers) are not edges. Each cycle found is printed as a chain of paths.

Exit status: 0 no cycle, 1 cycle (or, with --expect-cycle, no cycle: the
checker's own test against tests/include_cycles/), 2 usage error.
"""
import argparse
import os
import re
import sys

PROJECT_DIRS = ["core", "host", "calibration", "firmware", "tests/fakes"]
SOURCE_EXTS = (".c", ".h")

# Block comments first, so a commented-out #include is no edge.
BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.S)
QUOTED_INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*"([^"]+)"', re.M)


def project_files(root, dirs):
    files = []
    for d in dirs:
        top = os.path.join(root, d)
        if not os.path.isdir(top):
            raise SystemExit(f"include_cycles: {top}: no such directory")
        for here, subdirs, names in os.walk(top):
            subdirs.sort()
            for name in sorted(names):
                if name.endswith(SOURCE_EXTS):
                    files.append(os.path.relpath(os.path.join(here, name), root))
    return files


def includes_of(root, path):
    with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
        text = BLOCK_COMMENT.sub("", f.read())
    return QUOTED_INCLUDE.findall(text)


def common_prefix_len(a, b):
    n = 0
    for x, y in zip(a.split(os.sep), b.split(os.sep)):
        if x != y:
            break
        n += 1
    return n


def resolve(including, name, by_basename):
    """The project file an include of name from including means, or None."""
    candidates = by_basename.get(os.path.basename(name), [])
    if os.sep in name or "/" in name:
        suffix = os.path.normpath(name)
        candidates = [c for c in candidates
                      if c == suffix or c.endswith(os.sep + suffix)]
    if not candidates:
        return None
    here = os.path.dirname(including)
    # A file beside the includer first (what the compiler does for "..."),
    # then the nearest by path, then by name so the answer never varies.
    return min(candidates, key=lambda c: (os.path.dirname(c) != here,
                                          -common_prefix_len(here, os.path.dirname(c)),
                                          c))


def include_graph(root, dirs):
    files = project_files(root, dirs)
    by_basename = {}
    for f in files:
        by_basename.setdefault(os.path.basename(f), []).append(f)
    graph = {}
    for f in files:
        targets = (resolve(f, name, by_basename) for name in includes_of(root, f))
        graph[f] = sorted({t for t in targets if t is not None})
    return graph


def find_cycles(graph):
    """One cycle (a list of files, first repeated at the end) per strongly
    connected component that has one, found by an iterative depth-first search."""
    WHITE, GREY, BLACK = 0, 1, 2
    color = dict.fromkeys(graph, WHITE)
    cycles, seen = [], set()
    for start in sorted(graph):
        if color[start] != WHITE:
            continue
        stack = [(start, iter(graph[start]))]
        path = [start]
        color[start] = GREY
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                color[node] = BLACK
                stack.pop()
                path.pop()
            elif color[child] == GREY:
                cycle = path[path.index(child):] + [child]
                key = frozenset(cycle)
                if key not in seen:
                    seen.add(key)
                    cycles.append(cycle)
            elif color[child] == WHITE:
                color[child] = GREY
                path.append(child)
                stack.append((child, iter(graph[child])))
    return cycles


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root")
    ap.add_argument("--dirs", nargs="+", default=PROJECT_DIRS)
    ap.add_argument("--expect-cycle", action="store_true")
    args = ap.parse_args(argv)

    graph = include_graph(args.root, args.dirs)
    cycles = find_cycles(graph)
    for cycle in cycles:
        print("include cycle: " + " -> ".join(cycle))
    edges = sum(len(t) for t in graph.values())
    print(f"include_cycles: {len(graph)} files, {edges} edges, {len(cycles)} cycle(s)")
    if args.expect_cycle:
        if not cycles:
            print("include_cycles: expected a cycle and found none", file=sys.stderr)
        return 0 if cycles else 1
    return 1 if cycles else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
