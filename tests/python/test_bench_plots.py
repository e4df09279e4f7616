# SPDX-License-Identifier: GPL-2.0
"""The benchmarks' pictures: tools/bench/compare_report.py --plot on raw
files made here (each bar and whisker read back from the SVG against the
ratios computed here), and tools/bench/record --plot keeping the picture
beside the dated result and in the README's list."""

import importlib.machinery
import importlib.util
import json
import os
import random
import statistics
import subprocess
import sys

import pytest

from test_plot import NS, _axis, _parse

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BENCH = os.path.join(TOP, "tools", "bench")

# compare_report.py's rows: (label in the picture, key, higher is better)
ROWS = [("4K randread QD1 (IOPS)", "qd1", True), ("4K randread QD32 (IOPS)", "qd32", True),
        ("4K passthru read QD1 (IOPS)", "cmd_qd1", True),
        ("4K passthru read QD32 (IOPS)", "cmd_qd32", True),
        ("EXEC round trip p50 (us)", "exec_p50", False),
        ("EXEC round trip p99 (us)", "exec_p99", False),
        ("Alpha count interp (MB/s)", "alpha", True),
        ("KV Retrieve ioctl p50 (us)", "kv_p50", False),
        ("KV Retrieve ioctl p99 (us)", "kv_p99", False),
        ("KV Retrieve uring p50 (us)", "kv_uring_p50", False),
        ("KV Retrieve uring p99 (us)", "kv_uring_p99", False)]


def _raw(d, rounds, seed):
    """The files tools/bench/compare's guest leaves; returns their values."""
    rnd = random.Random(seed)
    vals = {}
    for r in range(1, rounds + 1):
        for mod in ("old", "new"):
            v = {k: round(rnd.uniform(1, 100) * (1000 if k.startswith(("qd", "cmd")) else 1), 3)
                 for _, k, _ in ROWS}
            vals[(r, mod)] = v
            p = os.path.join(d, f"r{r}-{mod}-")
            for key, job in (("qd1", "randread-4k-qd1"), ("qd32", "randread-4k-qd32"),
                             ("cmd_qd1", "cmd-randread-4k-qd1"),
                             ("cmd_qd32", "cmd-randread-4k-qd32")):
                with open(p + job + ".json", "w") as f:
                    json.dump({"jobs": [{"read": {"iops": v[key]}}]}, f)
            with open(p + "exec.txt", "w") as f:
                f.write(f"{v['exec_p50']} {v['exec_p99']} 1 2\n")
            with open(p + "alpha.txt", "w") as f:
                f.write(f"{v['alpha']} 47663\n")
            with open(p + "kv.txt", "w") as f:
                f.write(f"{v['kv_p50']} {v['kv_p99']} {v['kv_uring_p50']} {v['kv_uring_p99']}\n")
    return vals


@pytest.mark.parametrize("rounds", [2, 5])
def test_compare_plot(tmp_path, rounds):
    vals = _raw(str(tmp_path), rounds, rounds)
    svg = tmp_path / "compare.svg"
    r = subprocess.run([sys.executable, os.path.join(BENCH, "compare_report.py"), str(tmp_path),
                        str(rounds), "--plot", str(svg)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "new/old" in r.stdout   # the table is still printed
    root = _parse(svg.read_text())
    x = _axis(root, "xtick")
    tol = 2 * x.per_px
    got = []
    for g in root.iter(NS + "g"):
        if g.get("class") == "row":
            rect = g.find(NS + "rect")
            spread = [ln for ln in g.findall(NS + "line") if ln.get("class") == "spread"][0]
            got.append((g.find(NS + "text").text,
                        x(float(rect.get("x")) + float(rect.get("width"))),
                        *sorted((x(spread.get("x1")), x(spread.get("x2"))))))
    assert [g[0] for g in got] == [r[0] for r in ROWS]
    for (label, key, higher), (_, v, lo, hi) in zip(ROWS, got):
        per = []
        for rd in range(1, rounds + 1):
            o, n = vals[(rd, "old")][key], vals[(rd, "new")][key]
            per.append(n / o if higher else o / n)   # above 1: new faster
        assert v == pytest.approx(statistics.median(per), abs=tol), label
        assert lo == pytest.approx(min(per), abs=tol), label
        assert hi == pytest.approx(max(per), abs=tol), label
    ref = [ln for ln in root.iter(NS + "line") if ln.get("class") == "ref"]
    assert x(ref[0].get("x1")) == pytest.approx(1.0, abs=tol)


def _record(tmp_path, *args):
    env = dict(os.environ, BENCH_RESULTS=str(tmp_path / "results"))
    env.pop("BENCH_QUICK", None)
    env.pop("BENCH_RECORD", None)
    return subprocess.run([sys.executable, os.path.join(BENCH, "record"), "demo",
                           "--date", "2026-01-02", "--kernel", "k", *args],
                          input="the table\n", env=env, capture_output=True, text=True)


def test_record_plot(tmp_path):
    pic = tmp_path / "p.svg"
    pic.write_text('<svg xmlns="http://www.w3.org/2000/svg"><title>x</title></svg>\n')
    r = _record(tmp_path, "--plot", str(pic))
    assert r.returncode == 0, r.stderr
    res = tmp_path / "results"
    assert (res / "2026-01-02-demo.svg").read_text() == pic.read_text()
    md = (res / "2026-01-02-demo.md").read_text()
    assert "![demo, 2026-01-02](2026-01-02-demo.svg)" in md
    assert md.index("2026-01-02-demo.svg") < md.index("the table")

    # the README's list shows the picture under its result, and only there
    spec = importlib.util.spec_from_loader(
        "record", importlib.machinery.SourceFileLoader("record", os.path.join(BENCH, "record")))
    rec = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(rec)
    (res / "2026-01-01-other.md").write_text("x\n")
    readme = tmp_path / "README.md"
    readme.write_text(f"head\n{rec.BEGIN}\nold\n{rec.END}\ntail\n")
    rec.update_readme(str(readme), str(res))
    assert readme.read_text() == (
        f"head\n{rec.BEGIN}\n"
        "- `demo`: [2026-01-02](results/2026-01-02-demo.md)<br>\n"
        "  ![demo, 2026-01-02](results/2026-01-02-demo.svg)\n"
        "- `other`: [2026-01-01](results/2026-01-01-other.md)\n"
        f"{rec.END}\ntail\n")

    # a second run of the day without a picture leaves none of the first
    r = _record(tmp_path)
    assert r.returncode == 0, r.stderr
    assert not (res / "2026-01-02-demo.svg").exists()
    assert ".svg" not in (res / "2026-01-02-demo.md").read_text()

    # what is not an SVG is refused, and nothing is written
    (tmp_path / "no.svg").write_text("hello\n")
    r = _record(tmp_path, "--plot", str(tmp_path / "no.svg"))
    assert r.returncode == 2 and "not an SVG" in r.stderr
    assert not (res / "2026-01-02-demo.svg").exists()
    r = _record(tmp_path, "--plot", str(tmp_path / "missing.svg"))
    assert r.returncode == 2 and "cannot read" in r.stderr
