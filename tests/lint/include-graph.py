#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The include graph of src/: which file's code depends on which.

Nodes are the src/*.c files other than the self-tests; there is an edge from
a.c to b.c when a.c itself includes "b.h" (direct includes only). device.h
(the device struct every file shares) and selftest.h are left out. Prints the
largest strongly connected set of files (files that, through their includes,
all depend on one another) and each file's dependencies in layer order.

    include-graph.py [--max N] [SRCDIR]

With --max N, exits 1 when the largest set has more than N files.
"""
import argparse
import os
import re
import sys

IGNORED = {"device", "selftest"}


def graph(srcdir):
    files = sorted(f[:-2] for f in os.listdir(srcdir)
                   if f.endswith(".c") and not f.endswith("_selftest.c"))
    nodes = set(files)
    edges = {}
    for f in files:
        with open(os.path.join(srcdir, f + ".c"), encoding="utf-8") as fh:
            incs = re.findall(r'^\s*#\s*include\s+"([A-Za-z0-9_]+)\.h"', fh.read(), re.M)
        edges[f] = sorted({i for i in incs if i in nodes and i != f and i not in IGNORED})
    return files, edges


def sccs(files, edges):
    """Tarjan's algorithm; the sets come out in reverse topological order."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(sorted(comp))

    for v in files:
        if v not in index:
            visit(v)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--max", type=int)
    ap.add_argument("srcdir", nargs="?",
                    default=os.path.join(os.path.dirname(__file__), "..", "..", "src"))
    a = ap.parse_args()
    files, edges = graph(a.srcdir)
    comps = sccs(files, edges)
    # Layer order: what a file depends on comes before it.
    for layer, comp in enumerate(comps):
        for f in comp:
            print(f"{layer:3} {f}.c -> {' '.join(e + '.c' for e in edges[f]) or '-'}")
    biggest = max(comps, key=len)
    cycles = [c for c in comps if len(c) > 1]
    print(f"{len(files)} files, {sum(len(e) for e in edges.values())} edges, "
          f"{len(cycles)} cycles; largest strongly connected set: {len(biggest)} "
          f"({' '.join(biggest)})")
    if a.max is not None and len(biggest) > a.max:
        print(f"more than {a.max} files depend on one another", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
