# SPDX-License-Identifier: (GPL-2.0 OR MIT)
"""Plots, for results people would rather look at than read.

With matplotlib (Debian's python3-matplotlib) the *_figure() functions
draw a Figure and save() writes it as PNG or SVG; bars(), lines() and
latency_cdf() write the same pictures as SVG here, with no plotting
library (Debian's python3 alone draws them, a browser shows them): the
benchmarks' committed pictures, reproducible byte for byte, and the
fallback where matplotlib is missing.  Two kinds:

- bars(): a bar per row with a whisker over its spread (min-max) and a
  dashed reference line (1.0 for ratios): tools/bench/compare's new
  against old;
- lines(): series of (x, y) points, x on a linear or a log scale: a
  latency histogram's cumulative distribution (latency_cdf(), from
  `uringblk stats DEV --latency --json`).

Each mark carries a <title> (its value, shown on hover) and every axis
its ticks as <line>/<text> pairs, so a test reads the values back from
the picture's geometry (tests/python/test_plot.py).  From a shell
(matplotlib where it is installed, else SVG only):

    uringblk stats 0 --latency --json | python3 -m uringblk.plot latency -o lat.png

Importing this module needs neither liburingblk nor matplotlib.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable, Sequence
from typing import Any
from xml.sax.saxutils import escape

__all__ = ["bars", "lines", "latency_cdf", "latency_series", "nice_ticks", "log_ticks",
           "bars_figure", "lines_figure", "latency_figure", "save", "matplotlib_available"]

# The picture's frame (px): the plot area is inside the margins.
WIDTH, HEIGHT = 720, 420
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 40, 60
# bars(): the least room on the left for the rows' labels (more for long ones)
BAR_LEFT = 190
# The upper bound the library gives an unbounded bucket (UINT64_MAX).
UNBOUNDED = (1 << 64) - 1
# One colour per series (a colour-blind safe palette, Okabe-Ito).
COLOURS = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442",
           "#000000"]


def _num(v: float) -> str:
    """A tick's label: at most 4 significant digits, no trailing zeros."""
    if v == 0:
        return "0"
    if float(v).is_integer() and abs(v) < 1e12:
        return str(int(v))
    s = f"{v:.4g}"
    return s.replace("e+0", "e").replace("e+", "e")


def nice_ticks(lo: float, hi: float, n: int = 6) -> list[float]:
    """About @n round values (1, 2 or 5 times a power of ten apart) that
    cover [@lo, @hi]: the first <= lo, the last >= hi."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ValueError("plot: axis bounds must be finite")
    if hi <= lo:
        hi = lo + (abs(lo) or 1.0)
    raw = (hi - lo) / max(n - 1, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw)
    first = math.floor(lo / step) * step
    ticks = []
    v = first
    while True:
        ticks.append(round(v, 12))
        if v >= hi - step * 1e-9:
            return ticks
        v = first + len(ticks) * step


def log_ticks(lo: float, hi: float) -> list[float]:
    """Powers of ten covering [@lo, @hi] (both > 0)."""
    if lo <= 0 or hi <= 0:
        raise ValueError("plot: a log axis needs values above 0")
    a, b = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    if b == a:
        b = a + 1
    return [10.0 ** e for e in range(a, b + 1)]


def _log10(v: float) -> float:
    return math.log10(v)


def _same(v: float) -> float:
    return v


class _Axis:
    """A map from data values to pixels along one direction."""

    def __init__(self, ticks: Sequence[float], p0: float, p1: float, log: bool = False):
        self.ticks, self.log = list(ticks), log
        f: Callable[[float], float] = _log10 if log else _same
        self._f, self._lo, self._hi = f, f(self.ticks[0]), f(self.ticks[-1])
        self.p0, self.p1 = p0, p1

    def __call__(self, v: float) -> float:
        return self.p0 + (self._f(v) - self._lo) / (self._hi - self._lo) * (self.p1 - self.p0)


class _Svg:
    def __init__(self, title: str, height: int = HEIGHT):
        self.height = height
        self.parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
            f'viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="12">',
            f'<title>{escape(title)}</title>',
            f'<rect width="{WIDTH}" height="{height}" fill="white"/>',
            f'<text class="title" x="{WIDTH / 2:.1f}" y="22" text-anchor="middle" '
            f'font-size="15">{escape(title)}</text>',
        ]

    def add(self, s: str) -> None:
        self.parts.append(s)

    def axes(self, x: _Axis | None, y: _Axis | None, xlabel: str, ylabel: str,
             left: int = LEFT) -> None:
        x0, x1, y0, y1 = left, WIDTH - RIGHT, self.height - BOTTOM, TOP
        for t in (y.ticks if y is not None else []):
            assert y is not None
            py = y(t)
            self.add(f'<g class="ytick"><line x1="{x0}" y1="{py:.2f}" x2="{x1}" y2="{py:.2f}" '
                     f'stroke="#ddd"/><text x="{x0 - 6}" y="{py + 4:.2f}" '
                     f'text-anchor="end">{_num(t)}</text></g>')
        if x is not None:
            for t in x.ticks:
                px = x(t)
                self.add(f'<g class="xtick"><line x1="{px:.2f}" y1="{y0}" x2="{px:.2f}" '
                         f'y2="{y1}" stroke="#ddd"/><text x="{px:.2f}" y="{y0 + 16}" '
                         f'text-anchor="middle">{_num(t)}</text></g>')
        self.add(f'<rect class="frame" x="{x0}" y="{y1}" width="{x1 - x0}" height="{y0 - y1}" '
                 f'fill="none" stroke="#444"/>')
        self.add(f'<text class="xlabel" x="{(x0 + x1) / 2:.1f}" y="{self.height - 12}" '
                 f'text-anchor="middle">{escape(xlabel)}</text>')
        if ylabel:
            self.add(f'<text class="ylabel" transform="translate(16 {(y0 + y1) / 2:.1f}) '
                     f'rotate(-90)" text-anchor="middle">{escape(ylabel)}</text>')

    def text(self) -> str:
        return "\n".join(self.parts + ["</svg>"]) + "\n"


def bars(title: str, rows: Sequence[tuple[str, float, float, float]], xlabel: str,
         ref: float | None = None, logx: bool = False, zero: bool = True,
         band: tuple[float, float] | None = None) -> str:
    """An SVG bar chart, one horizontal bar per row (top to bottom in the
    order given, the row's label on its left): @rows are (label, value,
    low, high), a bar to value with a whisker from low to high; @ref
    draws a dashed line at that value (1.0 for ratios).  The value axis
    starts at 0 (a bar's length is its value) and is labelled @xlabel;
    with @logx it is a log scale over powers of ten (every value then
    above 0) and a bar starts at the axis's left end: for ratios that
    span decades, where 0.5x and 2x lie as far from 1.  @zero=False
    starts a linear axis near the lowest whisker instead of 0 (bars
    from its left end): values that differ by a few percent.  @band
    shades the goal's range (low, high) across the rows, e.g. (0.95,
    1.05).  A row without spread (low == value == high: one run) has no
    whisker."""
    if not rows:
        raise ValueError("plot: no rows to draw")
    for label, v, lo, hi in rows:
        if not all(math.isfinite(x) and x >= 0 for x in (v, lo, hi)) or not lo <= v <= hi:
            raise ValueError(f"plot: row '{label}': want 0 <= low <= value <= high, "
                             f"got {v}, {lo}, {hi}")
        if logx and lo <= 0:
            raise ValueError(f"plot: row '{label}': a log axis needs values above 0, got {lo}")
    if band is not None and not (math.isfinite(band[0]) and math.isfinite(band[1]) and
                                 0 <= band[0] < band[1]):
        raise ValueError(f"plot: band: want 0 <= low < high, got {band}")
    top = max(max(r[3] for r in rows), ref or 0, band[1] if band else 0)
    # room for the longest label (about 7 px a character at 12 px)
    left = min(max(BAR_LEFT, 16 + 7 * max(len(r[0]) for r in rows)), WIDTH // 2)
    height = max(HEIGHT, TOP + BOTTOM + 28 * len(rows))
    if logx:
        bottom = min(min(r[2] for r in rows), ref or math.inf, band[0] if band else math.inf)
        x = _Axis(log_ticks(bottom, top), left, WIDTH - RIGHT, log=True)
    else:
        bottom = 0 if zero else min(min(r[2] for r in rows), ref if ref is not None else top,
                                    band[0] if band else top)
        x = _Axis(nice_ticks(bottom, top), left, WIDTH - RIGHT)
    y0, y1 = height - BOTTOM, TOP
    y = _Axis([0, len(rows)], y1, y0)   # row i between i and i + 1, downwards
    svg = _Svg(title, height)
    svg.axes(x, None, xlabel, "", left=left)
    bh = (y0 - y1) / len(rows) * 0.6
    x0 = x.p0   # 0, or the log axis's lowest tick
    if band is not None:
        svg.add(f'<rect class="band" x="{x(band[0]):.2f}" y="{y1}" '
                f'width="{x(band[1]) - x(band[0]):.2f}" height="{y0 - y1}" fill="#009e73" '
                f'fill-opacity="0.15"><title>goal {_num(band[0])}-{_num(band[1])}</title></rect>')
    for i, (label, v, lo, hi) in enumerate(rows):
        cy = y(i + 0.5)
        spread = lo != v or hi != v
        tip = (f"{label}: {_num(v)} (min-max {_num(lo)}-{_num(hi)})" if spread else
               f"{label}: {_num(v)}")
        whisker = (f'<line class="spread" x1="{x(lo):.2f}" y1="{cy:.2f}" x2="{x(hi):.2f}" '
                   f'y2="{cy:.2f}" stroke="black" stroke-width="1.5"/>'
                   f'<line x1="{x(lo):.2f}" y1="{cy - 5:.2f}" x2="{x(lo):.2f}" '
                   f'y2="{cy + 5:.2f}" stroke="black"/><line x1="{x(hi):.2f}" '
                   f'y1="{cy - 5:.2f}" x2="{x(hi):.2f}" y2="{cy + 5:.2f}" stroke="black"/>'
                   if spread else "")
        svg.add(f'<g class="row"><rect class="bar" x="{x0:.2f}" y="{cy - bh / 2:.2f}" '
                f'width="{x(v) - x0:.2f}" height="{bh:.2f}" fill="{COLOURS[0]}">'
                f'<title>{escape(tip)}</title></rect>{whisker}'
                f'<text class="label" x="{left - 6}" y="{cy + 4:.2f}" '
                f'text-anchor="end">{escape(label)}</text></g>')
    if ref is not None:
        svg.add(f'<line class="ref" x1="{x(ref):.2f}" y1="{y1}" x2="{x(ref):.2f}" y2="{y0}" '
                f'stroke="#d55e00" stroke-dasharray="6 4"><title>{_num(ref)}</title></line>')
    return svg.text()


def lines(title: str, series: Sequence[tuple[str, Sequence[tuple[float, float]]]],
          xlabel: str, ylabel: str, logx: bool = False,
          ylim: tuple[float, float] | None = None) -> str:
    """An SVG line chart: @series are (name, [(x, y), ...]), each a line
    through its points in the order given, with a legend; @logx puts x on
    a log scale (every x then > 0); @ylim fixes the y axis's range."""
    pts = [p for _, ps in series for p in ps]
    if not pts:
        raise ValueError("plot: no points to draw")
    if not all(math.isfinite(a) and math.isfinite(b) for a, b in pts):
        raise ValueError("plot: points must be finite numbers")
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    xt = log_ticks(min(xs), max(xs)) if logx else nice_ticks(min(xs), max(xs))
    yt = nice_ticks(*(ylim or (min(ys), max(ys))))
    x = _Axis(xt, LEFT, WIDTH - RIGHT, log=logx)
    y = _Axis(yt, HEIGHT - BOTTOM, TOP)
    svg = _Svg(title)
    svg.axes(x, y, xlabel, ylabel)
    for i, (name, ps) in enumerate(series):
        c = COLOURS[i % len(COLOURS)]
        coords = " ".join(f"{x(a):.2f},{y(b):.2f}" for a, b in ps)
        svg.add(f'<polyline class="series" points="{coords}" fill="none" stroke="{c}" '
                f'stroke-width="2"><title>{escape(name)}</title></polyline>')
        ly = TOP + 16 + 16 * i
        svg.add(f'<g class="legend"><line x1="{LEFT + 12}" y1="{ly - 4}" x2="{LEFT + 32}" '
                f'y2="{ly - 4}" stroke="{c}" stroke-width="2"/><text x="{LEFT + 38}" '
                f'y="{ly}">{escape(name)}</text></g>')
    return svg.text()


def latency_cdf(lat: dict[str, Any], title: str = "uringblk latency") -> str:
    """The cumulative distribution of each operation's latency, from the
    JSON `uringblk stats DEV --latency --json` prints: a point at every
    non-empty bucket's upper bound (µs) with the share of operations at
    or below it (an unbounded last bucket: at its lower bound).
    Operations that recorded nothing are left out."""
    return lines(title, latency_series(lat), LATENCY_X, LATENCY_Y, logx=True, ylim=(0, 1))


LATENCY_X = "latency (µs, log scale)"
LATENCY_Y = "share of operations at or below"


def latency_series(lat: dict[str, Any]) -> list[tuple[str, list[tuple[float, float]]]]:
    """latency_cdf()'s series: (name (count), [(µs, share), ...]) per
    operation that recorded any."""
    ops = lat.get("ops") if isinstance(lat, dict) else None
    if not isinstance(ops, dict):
        raise ValueError("plot: not `uringblk stats --latency --json` output (no \"ops\")")
    series: list[tuple[str, list[tuple[float, float]]]] = []
    for name, op in ops.items():
        n = op.get("count", 0)
        if not n:
            continue
        run, ps = 0, []
        for lo, hi, c in op["buckets"]:
            run += c
            # the last bucket may be unbounded (hi 2^64-1): drawn at its low end
            ps.append(((hi if hi < UNBOUNDED else lo) / 1000.0, run / n))
        if run != n:
            raise ValueError(f"plot: op '{name}': its buckets hold {run} operations, "
                             f"its count says {n}")
        series.append((f"{name} ({n})", ps))
    if not series:
        raise ValueError("plot: no operation recorded any latency (latency_enable=0?)")
    return series


# -- matplotlib (Debian's python3-matplotlib), where it is installed ------------
#
# The same pictures as figures of matplotlib's object API on the Agg
# canvas (no pyplot: no global state, no display needed), written as PNG
# or SVG by save().  The hand-made SVG above stays for the benchmarks'
# committed pictures (byte for byte reproducible, checked by
# tests/python/test_bench_results.py) and where matplotlib is missing.

def matplotlib_available() -> bool:
    """Whether matplotlib can be imported (the figures need it)."""
    try:
        import matplotlib  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import
    except ImportError:
        return False
    return True


def _figure(height: float) -> Any:
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as e:
        raise ImportError("uringblk.plot: PNG and the figures need matplotlib "
                          "(Debian: apt-get install python3-matplotlib)") from e
    fig = Figure(figsize=(WIDTH / 100, height / 100), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def bars_figure(title: str, rows: Sequence[tuple[str, float, float, float]], xlabel: str,
                ref: float | None = None, logx: bool = False, zero: bool = True,
                band: tuple[float, float] | None = None) -> Any:
    """bars() as a matplotlib Figure: the same rows, reference line, goal
    band and axes (log, from 0 or near the lowest whisker); whiskers only
    on rows with a spread."""
    bars("", rows, xlabel, ref=ref, logx=logx, zero=zero, band=band)    # the same checks
    fig = _figure(max(HEIGHT, TOP + BOTTOM + 28 * len(rows)))
    ax = fig.add_subplot()
    ys = list(range(len(rows)))
    vals = [r[1] for r in rows]
    left = None
    if logx:
        ax.set_xscale("log")
        left = 10 ** math.floor(math.log10(min(min(r[2] for r in rows), ref or math.inf,
                                                   band[0] if band else math.inf)))
    elif not zero:
        lo = min(min(r[2] for r in rows), ref if ref is not None else math.inf,
                 band[0] if band else math.inf)
        left = nice_ticks(lo, max(r[3] for r in rows))[0]
    base = left if left is not None else 0
    ax.barh(ys, [v - base for v in vals], left=base, height=0.6, color=COLOURS[0], zorder=2)
    spread = [i for i, r in enumerate(rows) if r[2] != r[1] or r[3] != r[1]]
    if spread:
        ax.errorbar([rows[i][1] for i in spread], spread,
                    xerr=[[rows[i][1] - rows[i][2] for i in spread],
                          [rows[i][3] - rows[i][1] for i in spread]],
                    fmt="none", ecolor="black", capsize=4, zorder=3)
    if band is not None:
        ax.axvspan(band[0], band[1], color=COLOURS[2], alpha=0.15, zorder=1,
                   label=f"goal {_num(band[0])}-{_num(band[1])}")
        ax.legend(loc="lower right")
    if ref is not None:
        ax.axvline(ref, color="#d55e00", linestyle="--", zorder=4)
    if left is not None:
        ax.set_xlim(left=left)
    ax.set_yticks(ys, [r[0] for r in rows])
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.grid(axis="x", color="#ddd", zorder=0)
    return fig


def lines_figure(title: str, series: Sequence[tuple[str, Sequence[tuple[float, float]]]],
                 xlabel: str, ylabel: str, logx: bool = False,
                 ylim: tuple[float, float] | None = None) -> Any:
    """lines() as a matplotlib Figure."""
    lines("", series, xlabel, ylabel, logx=logx, ylim=ylim)    # the same checks
    fig = _figure(HEIGHT)
    ax = fig.add_subplot()
    for i, (name, ps) in enumerate(series):
        ax.plot([p[0] for p in ps], [p[1] for p in ps], color=COLOURS[i % len(COLOURS)],
                linewidth=2, marker="o", markersize=3, label=name)
    if logx:
        ax.set_xscale("log")
    if ylim:
        ax.set_ylim(*ylim)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(color="#ddd")
    ax.legend(loc="best")
    return fig


def latency_figure(lat: dict[str, Any], title: str = "uringblk latency") -> Any:
    """latency_cdf() as a matplotlib Figure."""
    return lines_figure(title, latency_series(lat), LATENCY_X, LATENCY_Y, logx=True,
                        ylim=(0, 1))


def save(fig: Any, path: str) -> None:
    """Write matplotlib Figure @fig to @path, PNG or SVG by its suffix
    (SVG with its text as text, and no date: the same figure writes the
    same file)."""
    fmt = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    if fmt not in ("png", "svg"):
        raise ValueError(f"plot: {path}: write .png or .svg")
    import matplotlib  # pylint: disable=import-outside-toplevel
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "uringblk"}):
        fig.savefig(path, format=fmt, metadata={"Date": None} if fmt == "svg" else None)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python3 -m uringblk.plot",
        description="Draw a drive's latency histograms as a PNG or an SVG: "
        "uringblk stats DEV --latency --json | python3 -m uringblk.plot latency -o FILE.png")
    sub = ap.add_subparsers(dest="what", required=True)
    p = sub.add_parser("latency", help="latency CDFs from `uringblk stats --latency --json`")
    p.add_argument("input", nargs="?", default="-", help="the JSON file (default: stdin)")
    p.add_argument("-o", "--output", required=True,
                   help="the picture to write: FILE.png or FILE.svg (matplotlib where it is "
                   "installed; without it, SVG only, drawn here)")
    p.add_argument("--title", default="uringblk latency")
    a = ap.parse_args(argv)
    try:
        if a.input == "-":
            lat = json.load(sys.stdin)
        else:
            with open(a.input) as f:
                lat = json.load(f)
        if matplotlib_available():
            save(latency_figure(lat, a.title), a.output)
        elif a.output.lower().endswith(".svg"):
            svg = latency_cdf(lat, a.title)
            with open(a.output, "w") as f:
                f.write(svg)
        else:
            raise ValueError(f"{a.output}: without matplotlib only SVG is drawn "
                             f"(Debian: apt-get install python3-matplotlib)")
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(f"uringblk.plot: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
