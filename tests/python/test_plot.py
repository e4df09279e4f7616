# SPDX-License-Identifier: GPL-2.0
"""uringblk.plot: the values are read back from each picture's geometry
(the axes' ticks give the scale; every bar, whisker and line point is
mapped back through it) and compared with what was drawn.  The latency
plot's input is the JSON liburingblk itself prints for a histogram
filled here, so the printer and the plot cannot drift apart."""

import ctypes
import json
import math
import os
import random
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

import uringblk
from uringblk import plot
from uringblk._lib import lib

NS = "{http://www.w3.org/2000/svg}"
TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def _axis(root, cls, log=False):
    """The map pixel -> value of the axis whose ticks are <g class=cls>,
    from two of its ticks, after checking that all of them lie on it."""
    ticks = []
    for g in root.iter(NS + "g"):
        if g.get("class") != cls:
            continue
        line, text = g.find(NS + "line"), g.find(NS + "text")
        px = float(line.get("y1" if cls == "ytick" else "x1"))
        v = float(text.text)
        ticks.append((px, math.log10(v) if log else v))
    assert len(ticks) >= 2, f"no {cls} ticks"
    (p0, v0), (p1, v1) = ticks[0], ticks[-1]
    k = (v1 - v0) / (p1 - p0)
    for p, v in ticks:
        assert v == pytest.approx(v0 + (p - p0) * k, abs=1e-9 + abs(k) * 0.02)

    def value(p):
        v = v0 + (float(p) - p0) * k
        return 10 ** v if log else v
    value.per_px = abs(k)
    return value


def _parse(svg):
    return ET.fromstring(svg)


def test_bars_read_back():
    rows = [("4K randread QD1", 1.02, 0.97, 1.10), ("EXEC p50", 0.81, 0.80, 0.83),
            ("Alpha", 1.37, 1.2, 1.5), ("KV p99", 0.4, 0.1, 0.9)]
    root = _parse(plot.bars("t", rows, "new vs old", ref=1.0))
    x = _axis(root, "xtick")
    tol = 2 * x.per_px   # coordinates are written to 1/100 px; a pixel is generous
    got = []
    for g in root.iter(NS + "g"):
        if g.get("class") != "row":
            continue
        rect = g.find(NS + "rect")
        left = float(rect.get("x"))
        assert x(left) == pytest.approx(0, abs=tol)   # bars start at 0
        spread = [ln for ln in g.findall(NS + "line") if ln.get("class") == "spread"][0]
        lo, hi = sorted((x(spread.get("x1")), x(spread.get("x2"))))
        got.append((g.find(NS + "text").text, x(left + float(rect.get("width"))), lo, hi,
                    float(rect.get("y")) + float(rect.get("height")) / 2,
                    float(spread.get("y1")), float(spread.get("y2"))))
    assert [r[0] for r in got] == [r[0] for r in rows]
    for (label, v, lo, hi), (_, gv, glo, ghi, cy, sy1, sy2) in zip(rows, got):
        assert gv == pytest.approx(v, abs=tol), label
        assert glo == pytest.approx(lo, abs=tol), label
        assert ghi == pytest.approx(hi, abs=tol), label
        assert sy1 == sy2 == pytest.approx(cy, abs=0.01), label   # the whisker is on its bar
    ys = [r[4] for r in got]
    assert ys == sorted(ys)   # rows top to bottom in the order given
    ref = [ln for ln in root.iter(NS + "line") if ln.get("class") == "ref"]
    assert len(ref) == 1 and x(ref[0].get("x1")) == pytest.approx(1.0, abs=tol)
    # the axis covers every whisker
    assert max(r[3] for r in rows) <= x(plot.WIDTH - plot.RIGHT) + tol


@pytest.mark.parametrize("bad", [[], [("a", 1.0, 1.1, 1.2)], [("a", 1.0, 0.5, 0.9)],
                                 [("a", -1.0, -2.0, 0.0)], [("a", float("nan"), 0, 1)]])
def test_bars_refuse(bad):
    with pytest.raises(ValueError):
        plot.bars("t", bad, "y")


def test_nice_ticks_cover():
    rnd = random.Random(55)
    for _ in range(500):
        lo = rnd.choice([0, rnd.uniform(-1e3, 1e3)])
        hi = lo + rnd.choice([1e-3, 1, 7.3, 1e6]) * rnd.random() + 1e-6
        t = plot.nice_ticks(lo, hi)
        assert t[0] <= lo and t[-1] >= hi and 2 <= len(t) <= 12, (lo, hi, t)
        steps = [b - a for a, b in zip(t, t[1:])]
        assert max(steps) - min(steps) <= 1e-9 * max(abs(t[0]), abs(t[-1]), 1), (lo, hi, t)
        m = steps[0] / 10 ** math.floor(math.log10(steps[0]))
        assert any(m == pytest.approx(c) for c in (1, 2, 5, 10)), (lo, hi, t)


class _Lat(ctypes.Structure):
    """struct uringblk_latency_stats (<linux/uringblk.h>; 3808 bytes)"""
    NR_OPS, NR_BUCKETS = 8, 2 + ((35 - 7) << 1)
    _fields_ = [("version", ctypes.c_uint32), ("enabled", ctypes.c_uint32),
                ("nr_ops", ctypes.c_uint16), ("nr_buckets", ctypes.c_uint16),
                ("min_shift", ctypes.c_uint8), ("max_shift", ctypes.c_uint8),
                ("sub_bits", ctypes.c_uint8), ("rsvd0", ctypes.c_uint8),
                ("rsvd1", ctypes.c_uint64 * 2), ("sum_ns", ctypes.c_uint64 * NR_OPS),
                ("counts", (ctypes.c_uint64 * NR_BUCKETS) * NR_OPS)]


def _library_json(tmp_path, counts):
    """What `uringblk stats --latency --json` prints for @counts
    ({op index: {bucket: n}}), printed by liburingblk."""
    assert ctypes.sizeof(_Lat) == 3808
    lat = _Lat(version=1, enabled=1, nr_ops=_Lat.NR_OPS, nr_buckets=_Lat.NR_BUCKETS,
               min_shift=7, max_shift=35, sub_bits=1)
    for op, bs in counts.items():
        for b, n in bs.items():
            lat.counts[op][b] = n
    libc = ctypes.CDLL(None, use_errno=True)
    libc.fopen.restype, libc.fopen.argtypes = ctypes.c_void_p, [ctypes.c_char_p, ctypes.c_char_p]
    libc.fclose.argtypes = [ctypes.c_void_p]
    lib.uringblk_fprint_latency.restype = ctypes.c_int
    lib.uringblk_fprint_latency.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_uint]
    bounds = {}
    lib.uringblk_latency_bucket.argtypes = [ctypes.c_void_p, ctypes.c_uint,
                                            ctypes.POINTER(ctypes.c_uint64),
                                            ctypes.POINTER(ctypes.c_uint64)]
    for b in range(_Lat.NR_BUCKETS):
        lo, hi = ctypes.c_uint64(), ctypes.c_uint64()
        assert lib.uringblk_latency_bucket(ctypes.byref(lat), b, ctypes.byref(lo),
                                           ctypes.byref(hi)) == 0
        bounds[b] = (lo.value, hi.value)
    path = str(tmp_path / "lat.json")
    f = libc.fopen(path.encode(), b"w")
    assert f
    assert lib.uringblk_fprint_latency(f, ctypes.byref(lat), 1) == 0   # URINGBLK_PRINT_JSON
    libc.fclose(f)
    with open(path) as fh:
        return path, json.load(fh), bounds


def _series(root):
    out = {}
    for pl in root.iter(NS + "polyline"):
        if pl.get("class") == "series":
            out[pl.find(NS + "title").text] = [tuple(map(float, p.split(",")))
                                               for p in pl.get("points").split()]
    return out


def test_latency_cdf_read_back(tmp_path):
    # read: three buckets; write: one; exec: the unbounded last bucket too;
    # flush and the others: nothing, so not drawn
    counts = {0: {10: 5, 11: 3, 20: 2}, 1: {14: 7}, 7: {30: 1, _Lat.NR_BUCKETS - 1: 1}}
    _, js, bounds = _library_json(tmp_path, counts)
    root = _parse(plot.latency_cdf(js))
    x, y = _axis(root, "xtick", log=True), _axis(root, "ytick")
    got = _series(root)
    names = {0: "read", 1: "write", 7: "exec"}
    assert sorted(got) == sorted(f"{names[op]} ({sum(bs.values())})" for op, bs in counts.items())
    for op, bs in counts.items():
        n = sum(bs.values())
        pts = got[f"{names[op]} ({n})"]
        run, want = 0, []
        for b in sorted(bs):
            run += bs[b]
            lo, hi = bounds[b]
            want.append(((hi if hi < plot.UNBOUNDED else lo) / 1000, run / n))
        assert len(pts) == len(want)
        for (px, py), (wx, wy) in zip(pts, want):
            assert x(px) == pytest.approx(wx, rel=0.01)
            assert y(py) == pytest.approx(wy, abs=2 * y.per_px)
    # the y axis is the share, 0 to 1
    assert y(plot.HEIGHT - plot.BOTTOM) == pytest.approx(0, abs=1e-9)
    assert y(plot.TOP) == pytest.approx(1, abs=1e-9)


# `python3 -m uringblk.plot` with matplotlib blocked: the hand-made SVG
NO_MPL = ["-c", "import runpy, sys; sys.modules['matplotlib'] = None; "
          "sys.argv[0] = 'uringblk.plot'; runpy.run_module('uringblk.plot', run_name='__main__')"]


def test_latency_cli(tmp_path):
    path, js, _ = _library_json(tmp_path, {2: {12: 4}})
    out = tmp_path / "lat.svg"
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(uringblk.__file__)))
    r = subprocess.run([sys.executable, *NO_MPL, "latency", path, "-o", str(out)],
                       env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert list(_series(_parse(out.read_text()))) == ["flush (4)"]
    # without matplotlib, PNG is refused saying what to install
    r = subprocess.run([sys.executable, *NO_MPL, "latency", path, "-o", str(tmp_path / "l.png")],
                       env=env, capture_output=True, text=True)
    assert r.returncode == 1 and "python3-matplotlib" in r.stderr
    assert not (tmp_path / "l.png").exists()
    # from stdin, as `uringblk stats --latency --json |` gives it
    r = subprocess.run([sys.executable, *NO_MPL, "latency", "-o", str(out)],
                       env=env, input=json.dumps(js), capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    # nothing recorded, and not the JSON it wants: a message, exit status 1
    empty, _, _ = _library_json(tmp_path, {})
    for arg, msg in ((empty, "no operation recorded"), (__file__, "uringblk.plot:")):
        r = subprocess.run([sys.executable, "-m", "uringblk.plot", "latency", arg, "-o",
                            str(tmp_path / "x.svg")], env=env, capture_output=True, text=True)
        assert r.returncode == 1 and msg in r.stderr, r.stderr
        assert not (tmp_path / "x.svg").exists()


def test_latency_cdf_refuses_inconsistent_counts():
    js = {"ops": {"read": {"count": 5, "buckets": [[0, 128, 3]]}}}
    with pytest.raises(ValueError, match="buckets hold 3"):
        plot.latency_cdf(js)


def _bar_rows(root, x):
    """(label, value, low, high, bar's left end) of each row, through @x."""
    got = []
    for g in root.iter(NS + "g"):
        if g.get("class") == "row":
            rect = g.find(NS + "rect")
            left = float(rect.get("x"))
            v = x(left + float(rect.get("width")))
            spread = [ln for ln in g.findall(NS + "line") if ln.get("class") == "spread"]
            # no whisker: no spread (low == value == high)
            lo, hi = sorted((x(spread[0].get("x1")), x(spread[0].get("x2")))) if spread \
                else (v, v)
            got.append((g.find(NS + "text").text, v, lo, hi, x(left)))
    return got


def test_bars_log_read_back():
    rows = [("blk / cmd", 1.2, 1.03, 1.24), ("qemu / cmd", 19.4, 17.3, 21.3),
            ("ext4 retrieve", 2.04, 0.85, 2.12), ("a long label, longer than 190 px allow", 550,
                                                   44, 554)]
    root = _parse(plot.bars("t", rows, "ratio", ref=1.0, logx=True))
    x = _axis(root, "xtick", log=True)
    got = _bar_rows(root, x)
    assert [g[0] for g in got] == [r[0] for r in rows]
    for (label, v, lo, hi), (_, gv, glo, ghi, left) in zip(rows, got):
        for want, have in ((v, gv), (lo, glo), (hi, ghi)):
            assert have == pytest.approx(want, rel=0.01), label
        assert left == pytest.approx(0.1, rel=0.01)   # the lowest power of ten
    ticks = [float(g.find(NS + "text").text) for g in root.iter(NS + "g")
             if g.get("class") == "xtick"]
    assert ticks == [0.1, 1, 10, 100, 1000]
    ref = [ln for ln in root.iter(NS + "line") if ln.get("class") == "ref"]
    assert x(ref[0].get("x1")) == pytest.approx(1.0, rel=0.01)
    # the longest label ends left of the bars, with room for it
    label = [t for t in root.iter(NS + "text") if t.get("class") == "label"][3]
    assert float(label.get("x")) >= 7 * len(rows[3][0])
    with pytest.raises(ValueError, match="log axis"):
        plot.bars("t", [("a", 1.0, 0.0, 2.0)], "x", logx=True)


def test_bars_not_from_zero():
    rows = [("seq read", 1.0, 0.996, 1.0), ("qd1 irq", 1.106, 1.1, 1.12),
            ("MEM_COPY", 0.995, 0.995, 0.995)]
    root = _parse(plot.bars("t", rows, "measured / configured", ref=1.0, zero=False))
    x = _axis(root, "xtick")
    tol = 2 * x.per_px
    got = _bar_rows(root, x)
    for (label, v, lo, hi), (_, gv, glo, ghi, left) in zip(rows, got):
        assert (gv, glo, ghi) == pytest.approx((v, lo, hi), abs=tol), label
    # every bar starts at the axis's left end, at or below the lowest
    # whisker and well above 0: a few percent fill the picture
    lefts = {round(g[4], 9) for g in got}
    assert len(lefts) == 1 and 0.9 <= lefts.pop() <= 0.995


def test_bars_no_whisker_without_spread():
    rows = [("one run", 4.5, 4.5, 4.5), ("rounds", 9.1, 8.0, 9.9)]
    root = _parse(plot.bars("t", rows, "us"))
    kinds = [[ln.get("class") for ln in g.findall(NS + "line")]
             for g in root.iter(NS + "g") if g.get("class") == "row"]
    assert kinds == [[], ["spread", None, None]]
    got = _bar_rows(root, _axis(root, "xtick"))
    for (label, v, lo, hi), g in zip(rows, got):
        assert g[1:4] == pytest.approx((v, lo, hi), rel=0.01) and g[0] == label
    titles = [g.find(NS + "rect").find(NS + "title").text for g in root.iter(NS + "g")
              if g.get("class") == "row"]
    assert titles == ["one run: 4.5", "rounds: 9.1 (min-max 8-9.9)"]


def _band(root, x):
    (b,) = [r for r in root.iter(NS + "rect") if r.get("class") == "band"]
    return x(b.get("x")), x(float(b.get("x")) + float(b.get("width")))


def test_bars_goal_band():
    rows = [("a", 1.01, 0.99, 1.02), ("b", 0.97, 0.96, 0.98)]
    root = _parse(plot.bars("t", rows, "measured / configured", ref=1.0, zero=False,
                            band=(0.95, 1.05)))
    x = _axis(root, "xtick")
    assert _band(root, x) == pytest.approx((0.95, 1.05), rel=0.002)
    # the axis covers the band even where the rows do not reach it
    assert x(float(root.find(f".//{NS}rect[@class='frame']").get("x"))) <= 0.95
    assert not [r for r in _parse(plot.bars("t", rows, "x")).iter(NS + "rect")
                if r.get("class") == "band"]
    for bad in ((1.05, 0.95), (-1, 1), (0, math.inf)):
        with pytest.raises(ValueError, match="band"):
            plot.bars("t", rows, "x", band=bad)


# -- matplotlib (python3-matplotlib; skipped without it) ----------------------

def _mpl():
    return pytest.importorskip("matplotlib", reason="the figures need python3-matplotlib "
                               "(tools/deps.sh installs it)")


def test_bars_figure():
    _mpl()
    rows = [("blk / cmd", 1.2, 1.03, 1.24), ("one run", 0.9, 0.9, 0.9),
            ("qemu / cmd", 19.4, 17.3, 21.3)]
    fig = plot.bars_figure("t", rows, "ratio", ref=1.0, logx=True, band=(0.95, 1.05))
    (ax,) = fig.axes
    assert ax.get_xscale() == "log" and ax.get_title() == "t"
    assert [t.get_text() for t in ax.get_yticklabels()] == [r[0] for r in rows]
    from matplotlib.patches import Rectangle
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert [b.get_x() + b.get_width() for b in bars] == pytest.approx([r[1] for r in rows])
    assert all(b.get_x() == pytest.approx(0.1) for b in bars)      # the lowest power of ten
    # whiskers: the rows with a spread only, from low to high
    (eb,) = ax.containers[1:]
    segs = eb.lines[2][0].get_segments()
    assert [(s[0][0], s[1][0], s[0][1]) for s in segs] == \
        pytest.approx([(1.03, 1.24, 0), (17.3, 21.3, 2)])
    band = [p for p in ax.patches if p not in bars]
    assert len(band) == 1
    xs = [v[0] for v in band[0].get_xy()]
    assert (min(xs), max(xs)) == pytest.approx((0.95, 1.05))
    assert [ln.get_xdata()[0] for ln in ax.lines if ln.get_linestyle() == "--"] == [1.0]
    # linear, from near the lowest whisker
    fig = plot.bars_figure("t", rows[:2], "x", zero=False)
    assert fig.axes[0].get_xscale() == "linear" and fig.axes[0].get_xlim()[0] > 0.5
    with pytest.raises(ValueError, match="band"):
        plot.bars_figure("t", rows, "x", band=(2, 1))


def test_latency_figure_and_files(tmp_path):
    _mpl()
    counts = {0: {10: 5, 11: 3}, 7: {30: 1, _Lat.NR_BUCKETS - 1: 1}}
    _, js, _ = _library_json(tmp_path, counts)
    fig = plot.latency_figure(js)
    (ax,) = fig.axes
    assert ax.get_xscale() == "log" and ax.get_ylim() == (0, 1)
    got = {ln.get_label(): list(zip(ln.get_xdata(), ln.get_ydata())) for ln in ax.lines}
    assert got == {name: pts for name, pts in plot.latency_series(js)}
    assert [y for _, y in got["read (8)"]] == [5 / 8, 1.0]
    png, svg = tmp_path / "l.png", tmp_path / "l.svg"
    plot.save(fig, str(png))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    plot.save(fig, str(svg))
    text = svg.read_text()
    assert text.lstrip().startswith("<?xml") and ">read (8)<" in text   # text as text
    plot.save(fig, str(tmp_path / "again.svg"))
    assert (tmp_path / "again.svg").read_text() == text                 # no date in it
    with pytest.raises(ValueError, match="png or .svg"):
        plot.save(fig, str(tmp_path / "l.jpg"))


def test_latency_cli_matplotlib(tmp_path):
    _mpl()
    path, _, _ = _library_json(tmp_path, {2: {12: 4}})
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(uringblk.__file__)))
    for name in ("lat.png", "lat.svg"):
        r = subprocess.run([sys.executable, "-m", "uringblk.plot", "latency", path, "-o",
                            str(tmp_path / name)], env=env, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
    assert (tmp_path / "lat.png").read_bytes()[:4] == b"\x89PNG"
    assert ">flush (4)<" in (tmp_path / "lat.svg").read_text()


def test_plot_imports_without_matplotlib_or_library():
    code = ("import sys; sys.modules['matplotlib'] = None; import uringblk.plot as p; "
            "import uringblk._lib as l; assert l._loaded is None; "
            "assert not p.matplotlib_available(); print(len(p.bars('t', [('a', 1, 1, 1)], 'x')))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env=dict(os.environ, URINGBLK_LIB="/nonexistent",
                                PYTHONPATH=os.path.dirname(os.path.dirname(uringblk.__file__))))
    assert r.returncode == 0, r.stderr
