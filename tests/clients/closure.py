#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The arm64 library closure of some Debian packages, from apt's own indexes.

    closure.py SUITES PKG...

SUITES is a comma-separated preference list of codenames (e.g.
trixie-backports,trixie-updates,trixie): each package is taken at the
version the first of those suites has in its arm64 Packages index, the one
`apt-get update` fetched (found with `apt-get indextargets`).  Depends and
Pre-Depends are followed recursively, the first satisfiable alternative of
each, real packages before virtual ones; every version constraint is checked
with dpkg.  Prints "name:arch=version" lines, ready for `apt-get download`.
Packages that only maintainer scripts need (perl, dpkg, debconf) are left
out: the guest runs client programs, it installs nothing.
"""
import re
import subprocess
import sys

SKIP = {"debconf", "debconf-2.0", "dpkg", "perl-base", "init-system-helpers",
        "adduser", "sensible-utils", "base-files", "usrmerge", "usr-is-merged",
        "libc-bin", "ucf", "install-info", "lsb-base", "sysvinit-utils"}


def run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def parse_deps(text):
    """"a (>= 1) | b, c:any" -> [[("a", ">=", "1"), ("b", None, None)], [("c", ...)]]"""
    deps = []
    for group in filter(None, (g.strip() for g in text.split(","))):
        alts = []
        for alt in group.split("|"):
            m = re.match(r"\s*([^\s(:\[]+)(?::\S+)?\s*(?:\((\S+)\s+([^)]+)\))?", alt)
            alts.append((m.group(1), m.group(2), m.group(3).strip() if m.group(3) else None))
        deps.append(alts)
    return deps


def load(suites):
    """name -> record of its first suite's arm64 index; virtual -> providers."""
    targets = run("apt-get", "indextargets", "--format", "$(FILENAME) $(CODENAME)",
                  "Identifier: Packages", "Architecture: arm64", "Component: main")
    files = {}
    for line in targets.splitlines():
        path, codename = line.split()
        files[codename] = path
    pkgs, provides = {}, {}
    for suite in reversed(suites):		# later suites are overridden
        if suite not in files:
            sys.exit(f"closure: no arm64 index for {suite} (apt sources, apt-get update)")
        text = run("/usr/lib/apt/apt-helper", "cat-file", files[suite])
        seen = {}
        for rec in text.split("\n\n"):
            f = dict(re.findall(r"^(Package|Version|Architecture|Depends|Pre-Depends|"
                                r"Provides): (.*)$", rec, re.M))
            if "Package" not in f:
                continue
            old = seen.get(f["Package"])
            # One version per suite: the newest, as apt would pick.
            if old and subprocess.run(["dpkg", "--compare-versions", old["Version"],
                                       "gt", f["Version"]]).returncode == 0:
                continue
            seen[f["Package"]] = f
        for name, f in seen.items():
            pkgs[name] = f
            for p in parse_deps(f.get("Provides", "")):
                provides.setdefault(p[0][0], set()).add(name)
    return pkgs, provides


def satisfied(have, op, want):
    if op is None:
        return True
    op = {"<<": "lt", "<=": "le", "=": "eq", ">=": "ge", ">>": "gt"}[op]
    return subprocess.run(["dpkg", "--compare-versions", have, op, want]).returncode == 0


def main():
    suites = sys.argv[1].split(",")
    roots = sys.argv[2:]
    pkgs, provides = load(suites)
    chosen, checks, todo = set(), [], list(roots)
    for r in roots:
        if r not in pkgs:
            sys.exit(f"closure: {r} is not in the arm64 index of {suites}")
    while todo:
        name = todo.pop()
        if name in chosen or name in SKIP:
            continue
        chosen.add(name)
        f = pkgs[name]
        for alts in parse_deps(f.get("Pre-Depends", "")) + parse_deps(f.get("Depends", "")):
            if any(d in SKIP for d, _, _ in alts):
                continue
            real = [a for a in alts if a[0] in pkgs]
            pick = next((a for a in real if a[0] in chosen), None) or \
                next(iter(real), None)
            if pick is None:		# a virtual package: its first provider
                prov = sorted(p for d, _, _ in alts for p in provides.get(d, ()))
                if not prov:
                    sys.exit(f"closure: nothing satisfies {name}'s dependency "
                             f"{' | '.join(d for d, _, _ in alts)} in {suites}")
                pick = (prov[0], None, None)
            checks.append((name, *pick))
            todo.append(pick[0])
    for name, dep, op, ver in checks:
        if not satisfied(pkgs[dep]["Version"], op, ver):
            sys.exit(f"closure: {name} wants {dep} ({op} {ver}), {suites} have "
                     f"{pkgs[dep]['Version']}")
    for name in sorted(chosen):
        print(f"{name}:{pkgs[name]['Architecture']}={pkgs[name]['Version']}")


main()
