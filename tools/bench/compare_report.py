#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""tools/bench/compare's table, from the raw files its guest left.

usage: compare_report.py DIR ROUNDS [--plot FILE.svg]

DIR/r<N>-<old|new>-randread-4k-qd{1,32}.json and
-cmd-randread-4k-qd{1,32}.json (fio: block device, NVMe passthrough),
-exec.txt ("exec_p50 exec_p99 read_p50 read_p99", us), -alpha.txt
("MB/s count") and -kv.txt (KV Retrieve, us: "ioctl_p50 ioctl_p99
uring_p50 uring_p99").
Prints each round's values, then per row: each module's median and
min-max over the rounds, new/old of the medians, the per-round ratios'
min-max, the noise and the reading.  Run on the host: python under TCG
over 9p takes seconds to start.

--plot FILE.svg also draws each row's per-round speed of new relative to
old (new/old for IOPS and MB/s, old/new for latencies, so that above 1
is always "new faster"): a bar at the median of the rounds' ratios, a
whisker over their min-max (uringblk.plot.bars()).
"""
import json
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "..", "python"))

# (title, unit, higher is better, how to read a round's value)
ROWS = [
    ("4K randread QD1", "IOPS", True, "qd1"),
    ("4K randread QD32", "IOPS", True, "qd32"),
    ("4K passthru read QD1", "IOPS", True, "cmd_qd1"),
    ("4K passthru read QD32", "IOPS", True, "cmd_qd32"),
    ("EXEC round trip p50", "us", False, "exec_p50"),
    ("EXEC round trip p99", "us", False, "exec_p99"),
    ("Alpha count interp", "MB/s", True, "alpha"),
    ("KV Retrieve ioctl p50", "us", False, "kv_p50"),
    ("KV Retrieve ioctl p99", "us", False, "kv_p99"),
    ("KV Retrieve uring p50", "us", False, "kv_uring_p50"),
    ("KV Retrieve uring p99", "us", False, "kv_uring_p99"),
]


def read_round(d, r, mod):
    p = os.path.join(d, f"r{r}-{mod}-")
    v = {}
    for key, job in (("qd1", "randread-4k-qd1"), ("qd32", "randread-4k-qd32"),
                     ("cmd_qd1", "cmd-randread-4k-qd1"), ("cmd_qd32", "cmd-randread-4k-qd32")):
        with open(p + job + ".json") as f:
            # fio prints warnings before the JSON on some errors: skip them
            text = f.read()
            v[key] = json.loads(text[text.index("{"):])["jobs"][0]["read"]["iops"]
    with open(p + "exec.txt") as f:
        e = [float(x) for x in f.read().split()]
    v["exec_p50"], v["exec_p99"] = e[0], e[1]
    with open(p + "alpha.txt") as f:
        v["alpha"] = float(f.read().split()[0])
    with open(p + "kv.txt") as f:
        k = [float(x) for x in f.read().split()]
    v["kv_p50"], v["kv_p99"], v["kv_uring_p50"], v["kv_uring_p99"] = k
    return v


def fmt(x, unit):
    if unit == "IOPS":
        return f"{x / 1000:.1f}k"
    return f"{x:.1f}" if x >= 10 else f"{x:.2f}"


# the picture's title and value axis (plots.py draws older results alike)
TITLE = "compare: new against old, {rounds} rounds (bar: median, whisker: min-max)"
XLABEL = "speed of new relative to old (above 1: new faster)"


def speedups(data, rounds):
    """Per row: (label, median, min, max) of the rounds' new-against-old
    speed ratios, above 1 when new was faster.  A row @data has no value
    for (a table of an older compare, read by plots.py) is left out."""
    rows = []
    for title, unit, higher, key in ROWS:
        if key not in data["old"][0]:
            continue
        per = [n[key] / o[key] if higher else o[key] / n[key]
               for o, n in zip(data["old"], data["new"])]
        rows.append((f"{title} ({unit})", statistics.median(per), min(per), max(per)))
    return rows


def write_plot(path, data, rounds):
    from uringblk.plot import bars   # the build tree's python/ (above)

    svg = bars(TITLE.format(rounds=rounds), speedups(data, rounds), XLABEL, ref=1.0)
    with open(path, "w") as f:
        f.write(svg)


def main():
    args = sys.argv[1:]
    plot = None
    if len(args) == 4 and args[2] == "--plot":
        plot = args[3]
        args = args[:2]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    d, rounds = args[0], int(args[1])
    data = {m: [read_round(d, r, m) for r in range(1, rounds + 1)] for m in ("old", "new")}

    print("\nper round (odd rounds ran old first, even rounds new first):")
    print(f"{'row':22} {'unit':5} " + " ".join(f"{'r' + str(r) + ' old':>9} {'new':>8}"
                                             for r in range(1, rounds + 1)))
    for title, unit, _, key in ROWS:
        cells = " ".join(f"{fmt(data['old'][i][key], unit):>9} {fmt(data['new'][i][key], unit):>8}"
                         for i in range(rounds))
        print(f"{title:22} {unit:5} {cells}")

    print(f"\nmedians over {rounds} rounds; spread = (max - min) / median of each module's "
          "values;\nnoise = the larger of the two spreads; within noise when |new/old - 1| < noise")
    head = (f"{'row':22} {'unit':5} {'old median':>10} {'old min-max':>15} {'new median':>10} "
            f"{'new min-max':>15} {'new/old':>7} {'rounds min-max':>14} {'worse':>5} {'noise':>6}  reading")
    print(head)
    print("-" * len(head))
    for title, unit, higher, key in ROWS:
        o = [v[key] for v in data["old"]]
        n = [v[key] for v in data["new"]]
        om, nm = statistics.median(o), statistics.median(n)
        ratio = nm / om
        # each round's pair ran seconds apart: their ratio shows the drift
        per = [b / a for a, b in zip(o, n)]
        # in how many rounds new did worse than old: a shift smaller than the
        # noise that shows in nearly every round is worth a longer run
        worse = sum((r < 1) if higher else (r > 1) for r in per)
        noise = max((max(o) - min(o)) / om, (max(n) - min(n)) / nm)
        if ratio == 1:
            reading = "the same"  # under icount, an unchanged path
        elif abs(ratio - 1) < noise:
            reading = "within noise"
        else:
            better = ratio > 1 if higher else ratio < 1
            reading = "new FASTER beyond noise" if better else "new SLOWER beyond noise"
        print(f"{title:22} {unit:5} {fmt(om, unit):>10} "
              f"{fmt(min(o), unit) + '-' + fmt(max(o), unit):>15} {fmt(nm, unit):>10} "
              f"{fmt(min(n), unit) + '-' + fmt(max(n), unit):>15} {ratio:7.3f} "
              f"{f'{min(per):.2f}-{max(per):.2f}':>14} {f'{worse}/{rounds}':>5} {100 * noise:5.1f}%  {reading}")
    print("new/old: above 1 is faster for IOPS and MB/s, slower for us (latency); "
          "worse: rounds in which new did worse than old")
    if plot:
        write_plot(plot, data, rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
