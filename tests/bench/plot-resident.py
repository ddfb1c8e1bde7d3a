#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""A small SVG plot of resident GPU memory over time, one line per driver.

    plot-resident.py OUT.svg LABEL=SERIES_FILE...

Each SERIES_FILE holds "SECONDS MIB" lines (tests/vm/guest/pressure.sh's
PRC-PRESSURE-SERIES, one pressure-workload run). No plotting library: the
host has none to rely on.
"""
import re
import sys

W, H, L, R, T, B = 640, 300, 56, 190, 20, 40
COLOURS = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]


def load(path):
    pts = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.split()
            if len(fields) == 2 and all(x.lstrip("-").isdigit() for x in fields):
                pts.append((int(fields[0]), int(fields[1])))
    return pts


def main():
    out, specs = sys.argv[1], sys.argv[2:]
    series = []
    for spec in specs:
        label, path = spec.split("=", 1)
        # Short legend: "stock panthor, 7.3.4+deb13-arm64" -> "stock 7.3".
        label = re.sub(r"(\d+\.\d+)\.\d+\S*", r"\1", label)
        label = label.replace("panthor-reclaim", "ours").replace("stock panthor", "stock")
        label = label.replace(",", "")
        pts = load(path)
        if pts:
            series.append((label, pts))
    if not series:
        print("plot-resident.py: no data", file=sys.stderr)
        return 1
    tmax = max(max(t for t, _ in pts) for _, pts in series) or 1
    mmax = max(max(m for _, m in pts) for _, pts in series) or 1
    mmax = ((mmax + 99) // 100) * 100
    pw, ph = W - L - R, H - T - B

    def xy(t, m):
        return L + pw * t / tmax, T + ph * (1 - m / mmax)

    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
           f'font-family="sans-serif" font-size="11">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<line x1="{L}" y1="{T + ph}" x2="{L + pw}" y2="{T + ph}" stroke="black"/>',
           f'<line x1="{L}" y1="{T}" x2="{L}" y2="{T + ph}" stroke="black"/>',
           f'<text x="{L + pw / 2}" y="{H - 8}" text-anchor="middle">seconds</text>',
           f'<text x="12" y="{T + ph / 2}" transform="rotate(-90 12 {T + ph / 2})" '
           f'text-anchor="middle">GPU memory resident (MiB)</text>']
    for i in range(5):
        m = mmax * i / 4
        _, y = xy(0, m)
        svg.append(f'<text x="{L - 4}" y="{y + 4}" text-anchor="end">{m:.0f}</text>')
        t = tmax * i / 4
        x, _ = xy(t, 0)
        svg.append(f'<text x="{x}" y="{T + ph + 14}" text-anchor="middle">{t:.0f}</text>')
    for i, (label, pts) in enumerate(series):
        colour = COLOURS[i % len(COLOURS)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(t, m) for t, m in pts))
        svg.append(f'<polyline fill="none" stroke="{colour}" stroke-width="1.5" points="{path}"/>')
        ly = T + 14 + 16 * i
        svg.append(f'<line x1="{L + pw + 10}" y1="{ly - 4}" x2="{L + pw + 28}" y2="{ly - 4}" '
                   f'stroke="{colour}" stroke-width="2"/>')
        svg.append(f'<text x="{L + pw + 32}" y="{ly}">{label}</text>')
    svg.append("</svg>")
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(svg) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
