# SPDX-License-Identifier: GPL-2.0
"""The benchmarks' pictures, drawn from the output a dated result keeps.

tools/bench/record calls draw(NAME, OUTPUT) for a benchmark that hands it
no picture of its own, and writes the SVG beside the dated result
(`record --redraw FILE.md` draws it again from a committed file).  Each
benchmark's drawer reads the summary its report prints (report.py,
nvme's and kv_objects' tables, timing's accuracy lines), so a result
file of any date draws the same way, with no raw files kept:

- baseline: uringblk against brd and null_blk, the peer's CPU per I/O
  (instructions per I/O under icount) over uringblk's, per round, on a
  log axis (ratios from 0.5x to 20x, where a linear one squashed those
  near 1);
- nvme: issue 32's ratios (passthrough against the block device and
  QEMU's NVMe), per round, on a log axis;
- kv-objects: KV objects/s over ext4's, per round, on a log axis;
- timing: the timing model, measured over configured, the goal
  (0.95-1.05) shaded;
- exec_latency: the EXEC round trip against a 4 KiB read, p50 and p99;
- sqlite: the SQLite extension's engines against plain SQLite, per
  round, on a log axis;
- compare: for results without the picture tools/bench/compare draws
  from its raw files (older ones), the same from the per-round table.

Every ratio is a bar at its median with a whisker over its min-max (none
for a row without spread: one run), uringblk.plot.bars() of the build
tree's python/.
"""
import importlib.util
import os
import re
import sys

HERE = os.path.dirname(os.path.realpath(__file__))
sys.path.insert(0, HERE)
import compare_report  # noqa: E402

# uringblk/plot.py by its path: it needs nothing else of the package, whose
# __init__ loads liburingblk (a benchmark that ran needs no `make lib`)
_spec = importlib.util.spec_from_file_location(
    "uringblk_plot", os.path.join(HERE, "..", "..", "python", "uringblk", "plot.py"))
_plot = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_plot)
bars = _plot.bars

NUM = r"(\d+(?:\.\d+)?)"
# a title that says whose numbers, and that they are per round
PER_ROUND = "per round, median and min-max"


def baseline(out):
    """report.py's "issue 31's rows": job, peer, x IOPS, its min-max,
    x CPU, its min-max; the picture draws x IOPS, the wall clock (under
    icount, instructions).  The sections that follow (queue_mode=, A/A
    controls, the icount counts beside) compare other drives or repeat
    these rows, and are left out."""
    row = re.compile(rf"^(\S+)\s+(\S+)\s+{NUM}x\s+{NUM}-{NUM}\s+{NUM}x\s+{NUM}-{NUM}\s")
    rows, inside = [], False
    for line in out.splitlines():
        if line.startswith("issue 31's rows"):
            inside = True
        elif inside and (not line.strip() or line.startswith("queue_mode=")):
            break
        elif inside and (m := row.match(line)):
            job, peer = m.group(1), m.group(2)
            v, lo, hi = (float(m.group(i)) for i in (3, 4, 5))
            rows.append((f"{job} / {peer}", v, lo, hi))
    icount = "icount shift" in out
    what = ("by IOPS under icount: the peer's instructions per I/O / uringblk's" if icount
            else "by IOPS, wall clock")
    return bars(f"baseline: uringblk against brd and null_blk, {PER_ROUND}", rows,
                f"uringblk / peer {what}, log scale (above 1: uringblk ahead)", ref=1.0,
                logx=True)


def nvme(out):
    """nvme_report.py's goals (issue 32's, and issue 53's when the drive
    had its controller): the per-round median and min-max of each ratio
    (above 1: the drive's NVMe node, cmd, nvme or ng, faster)."""
    row = re.compile(rf"^(\S.*?)\s+{NUM}x\s+{NUM}x\s+{NUM}-{NUM}x\s+goal")
    rows = []
    for line in out.splitlines():
        if (m := row.match(line)):
            rows.append((m.group(1), *(float(m.group(i)) for i in (3, 4, 5))))
    return bars(f"nvme: NVMe nodes against blk and QEMU, {PER_ROUND}", rows,
                "ratio, log scale (above 1: the drive's NVMe node, cmd, nvme or ng, faster)",
                ref=1.0, logx=True)


def kv_objects(out):
    """kv_objects' summary: per (threads, size, phase) KV/ext4 per round,
    median [min-max]."""
    row = re.compile(rf"^(\d+)\s+(\d+ KiB)\s+(\w+)\s+.*?\s{NUM}x \[{NUM}-{NUM}\]\s+>=")
    rows = []
    for line in out.splitlines():
        if (m := row.match(line)):
            t = int(m.group(1))
            rows.append((f"{m.group(2)} {m.group(3)}, {t} thread{'s' if t > 1 else ''}",
                         *(float(m.group(i)) for i in (4, 5, 6))))
    return bars(f"kv-objects: KV against a file per object on ext4, {PER_ROUND}", rows,
                "KV objects/s over ext4's, log scale (above 1: KV faster)", ref=1.0, logx=True)


def timing(out):
    """timing's "(a) accuracy" lines: measured / configured, median (min,
    max); a row without a spread (MEM_COPY's one copy per round) is its
    median alone.  The "raw" lines under the QD1 rows are left out."""
    rows, inside = [], False
    row = re.compile(rf"^  (\S.*?)\s{{2,}}.*?\s{NUM} median(?: \(min {NUM}, max {NUM}\))?")
    comp = re.compile(rf"^  compute: .*?: {NUM} median \(min {NUM}, max {NUM}\)")
    for line in out.splitlines():
        if line.startswith("(a) accuracy"):
            inside = True
        elif line.startswith(("(b)", "(c)")):
            break
        elif inside and (m := comp.match(line)):
            rows.append(("compute (EXEC / modelled run)", *(float(g) for g in m.groups())))
        elif inside and (m := row.match(line)):
            v = float(m.group(2))
            lo, hi = (float(m.group(3)), float(m.group(4))) if m.group(3) else (v, v)
            # a name of 35 characters or more runs into its setting
            rows.append((re.sub(r" \w+_mbps=\d+$", "", m.group(1)), v, lo, hi))
    return bars(f"timing: the model, measured against configured, {PER_ROUND}", rows,
                "measured / configured (1: exact; shaded: the goal, 0.95-1.05)", ref=1.0,
                zero=False, band=(0.95, 1.05))


def compare(out):
    """compare_report.py's per-round values, old and new of each round
    (as printed: 4 significant digits), drawn as compare_report.py draws
    them from its raw files.  tools/bench/compare hands record that
    picture; this one is for results that have none."""
    keys = {title: key for title, _, _, key in compare_report.ROWS}
    data, inside = {"old": [], "new": []}, False
    for line in out.splitlines():
        if line.startswith("per round ("):
            inside = True
        elif inside and line.startswith("row "):
            rounds = line.split().count("old")
            data = {m: [{} for _ in range(rounds)] for m in ("old", "new")}
        elif inside and not line.strip():
            break
        elif inside and line[:22].strip() in keys:
            key, cells = keys[line[:22].strip()], line[28:].split()
            for i, c in enumerate(cells):
                v = float(c[:-1]) * 1000 if c.endswith("k") else float(c)
                data["old" if i % 2 == 0 else "new"][i // 2][key] = v
    if not data["old"] or not data["old"][0]:
        raise ValueError("plot: no rows to draw (no per-round table)")
    rounds = len(data["old"])
    return bars(compare_report.TITLE.format(rounds=rounds), compare_report.speedups(data, rounds),
                compare_report.XLABEL, ref=1.0)


def exec_latency(out):
    """benchlib's table: the 4 KiB read's and the EXEC's QD1 p50 and p99
    (one run: no spread)."""
    row = re.compile(rf"^(4 KiB read \(O_DIRECT\)|EXEC of a 2-insn program)\s+{NUM}\s+{NUM}\s*$")
    rows = []
    for line in out.splitlines():
        if (m := row.match(line)):
            for p, g in (("p50", 2), ("p99", 3)):
                v = float(m.group(g))
                rows.append((f"{m.group(1)} {p}", v, v, v))
    return bars("exec_latency: QD1 round trip, EXEC against a 4 KiB read", rows,
                "latency (us)")


def sqlite(out):
    """tools/bench/sqlite's table: each way's speed over plain SQLite's
    (wall time, per round: median, min, max), per query and model; plain
    itself (1 by definition) is left out.  The first result (2026-11-29,
    6.12) has no min and max columns and is not drawn."""
    rows = []
    for line in out.splitlines():
        f = line.split()
        # query model way wall spread cpu spread xplain min max bytes...: 15
        if len(f) == 15 and re.fullmatch(r"Q\w+", f[0]) and f[2] in ("drive", "host"):
            rows.append((f"{f[0]} {f[1]}, engine='{f[2]}'", *(float(v) for v in f[7:10])))
    if not rows:
        raise ValueError("plot: no rows to draw (no table with min and max)")
    return bars(f"sqlite: the extension against plain SQLite's .import, {PER_ROUND}", rows,
                "plain SQLite's wall time over this way's, log scale (above 1: faster)",
                ref=1.0, logx=True)


# benchmarks that hand record a picture of their own (from their raw files),
# which the one drawn here from the output matches only to its precision
OWN_PICTURE = {"compare"}

DRAWERS = {"baseline": baseline, "compare": compare, "nvme": nvme, "kv-objects": kv_objects,
           "timing": timing, "exec_latency": exec_latency, "sqlite": sqlite}


def drawer(name):
    """The drawer of result NAME: its benchmark's (NAME, or NAME with a
    suffix such as -quick or -icount), else None."""
    for bench in sorted(DRAWERS, key=len, reverse=True):
        if name == bench or name.startswith(bench + "-"):
            return DRAWERS[bench]
    return None


def draw(name, out):
    """The SVG of result NAME from the benchmark's output @out; None when
    the benchmark draws nothing.  ValueError when the output has none of
    the rows its drawer reads."""
    d = drawer(name)
    return d(out) if d else None
