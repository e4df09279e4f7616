# SPDX-License-Identifier: GPL-2.0
"""The pictures tools/bench/record draws from a benchmark's output
(tools/bench/plots.py): output written here in each report's format
(the format strings are those of report.py, nvme_report.py,
kv_objects.c, timing and benchlib.c; compare_report.py's own), recorded, and every bar and
whisker read back from the picture beside the dated result; rows the
picture must leave out are in the output too.  Then the committed
results: each picture beside one is what its output draws today."""

import glob
import importlib.machinery
import importlib.util
import os
import random
import re
import shutil
import subprocess
import sys

import pytest

from test_plot import NS, _axis, _bar_rows, _parse

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BENCH = os.path.join(TOP, "tools", "bench")
RECORD = os.path.join(BENCH, "record")


def _plots():
    spec = importlib.util.spec_from_file_location("plots", os.path.join(BENCH, "plots.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _record(tmp_path, name, text, *args, **more_env):
    env = dict(os.environ, BENCH_RESULTS=str(tmp_path / "results"), **more_env)
    env.pop("BENCH_QUICK", None)
    env.pop("BENCH_RECORD", None)
    return subprocess.run([sys.executable, RECORD, name, "--date", "2026-01-02", "--kernel", "k",
                           *args], input=text, env=env, capture_output=True, text=True)


def _drawn(tmp_path, name, text, log=False):
    """Record @text as result @name; the rows of the picture beside it."""
    r = _record(tmp_path, name, text)
    assert r.returncode == 0, r.stderr
    res = tmp_path / "results"
    md = (res / f"2026-01-02-{name}.md").read_text()
    assert f"![{name}, 2026-01-02](2026-01-02-{name}.svg)\n" in md
    root = _parse((res / f"2026-01-02-{name}.svg").read_text())
    x = _axis(root, "xtick", log=log)
    ref = [ln for ln in root.iter(NS + "line") if ln.get("class") == "ref"]
    assert len(ref) == 1 and x(ref[0].get("x1")) == pytest.approx(1.0, rel=0.01)
    return root, _bar_rows(root, x), x


def _check(got, want, rel=0.01):
    assert [g[0] for g in got] == [w[0] for w in want]
    for (label, v, lo, hi, _), w in zip(got, want):
        assert (v, lo, hi) == pytest.approx(w[1:], rel=rel), label


def _ratio(rnd, lo=0.3, hi=6.0):
    a, b, c = sorted(round(rnd.uniform(lo, hi), 2) for _ in range(3))
    return b, a, c


@pytest.mark.parametrize("icount", [False, True])
def test_baseline(tmp_path, icount):
    rnd = random.Random(31 + icount)
    jobs = ["randread-4k-qd32", "read-128k-qd8", "randwrite-4k-qd32", "randread-4k-qd1"]
    lines = ["uringblk baseline  git x  kernel k  2 vCPUs (TCG)  clocksource tsc",
             "icount shift 0: the guest's clock ..." if icount else "host CPU of the VM ...",
             "job                   device      IOPS       spread   MiB/s  p50 us   p99 us",
             "randread-4k-qd32      uringblk   72.3k    52.7k-78k   282.3   415.7      676", "",
             "issue 31's rows: uringblk / peer per round (IOPS; CPU: peer's CPU us/IO over",
             "uringblk's), median and min-max over the rounds; >= 1.00x is uringblk ahead",
             f"{'job':<21} {'peer':<9} {'x IOPS':>6} {'min-max':>11} {'x CPU':>6} "
             f"{'min-max':>11}  goal"]
    want = []
    for job in jobs:
        for peer in ("brd", "null_blk"):
            mi, li, hi_ = _ratio(rnd)
            mc, lc, hc = _ratio(rnd)
            lines.append(f"{job:<21} {peer:<9} {mi:>5.2f}x {li:>5.2f}-{hi_:<5.2f} {mc:>5.2f}x "
                         f"{lc:>5.2f}-{hc:<5.2f}  >= 1.0x: IOPS met, CPU met")
            want.append((f"{job} / {peer}", mi, li, hi_))   # the wall clock is drawn
    # the mq drive's rows compare another drive: not in the picture
    lines += ["", "queue_mode=mq: mq / peer per round, as above",
              f"{'job':<21} {'peer':<9} {'x IOPS':>6} {'min-max':>11} {'x CPU':>6} {'min-max':>11}",
              f"{jobs[0]:<21} {'brd':<9} {0.8:>5.2f}x {0.59:>5.2f}-{0.95:<5.2f} {0.8:>5.2f}x "
              f"{0.59:>5.2f}-{0.95:<5.2f}",
              "QD1 latency (mean, 1/IOPS, median over rounds): uringblk 14.0 us"]
    # ratios from 0.3x to 6x: a log axis, where a linear one squashed those near 1
    root, got, _ = _drawn(tmp_path, "baseline", "\n".join(lines) + "\n", log=True)
    _check(got, want)
    xlabel = [t.text for t in root.iter(NS + "text") if t.get("class") == "xlabel"][0]
    assert ("instructions per I/O" in xlabel) == icount
    assert ("wall clock" in xlabel) != icount


def test_nvme(tmp_path):
    rnd = random.Random(32)
    names = ["QD1 p50 latency: blk / cmd", "QD32 IOPS: cmd / blk", "QD1 p50 latency: qemu / cmd",
             "QD32 IOPS: cmd / qemu"]
    lines = ["tools/bench/nvme: 5 round(s), git x", "",
             "%-36s %14s %16s %14s %18s" % ("4 KiB randread", "QD1 p50 lat us", "min-max",
                                             "QD32 IOPS", "min-max"),
             "%-36s %14s %16s %14s %18s" % ("cmd: io_uring_cmd /dev/uringblkc0", "6.69",
                                             "6.30-7.20", "115728", "106111-119543"), "",
             "issue 32's goals (>= 1.00x: NVMe passthrough at least as fast):",
             "%-44s %10s %12s %14s" % ("ratio", "medians", "per round", "min-max")]
    want = []
    for name in names:
        med, lo, hi = _ratio(rnd, 0.1, 30)
        lines.append("%-44s %9.2fx %11.2fx %14s  %s" % (name, rnd.uniform(0.1, 30), med,
                                                       "%.2f-%.2fx" % (lo, hi), "goal met"))
        want.append((name, med, lo, hi))   # the per-round median, not the medians' ratio
    lines += ["", "Execute Program p50 vs EXEC p50 (goal <= 1.10x):",
              "  Execute Program by ioctl / EXEC: 0.86x (per round median 0.88x, 0.86-0.88x): "
              "goal met"]
    _, got, _ = _drawn(tmp_path, "nvme", "\n".join(lines) + "\n", log=True)
    _check(got, want)


def test_kv_objects(tmp_path):
    rnd = random.Random(33)
    lines = ["round 1  threads 1      4 KiB  KV    store       24963.6 obj/s  (wall   24693.3 "
             "obj/s)",
             "", "objects per second: median over 3 rounds [min-max]; KV/ext4 per round, median "
             "[min-max]",
             "threads value    phase     KV obj/s                ext4 obj/s              KV/ext4"
             "              goal"]
    want = []
    for t in (1, 4):
        for size in (4096, 1048576):
            for ph in ("store", "retrieve", "delete", "all"):
                m, lo, hi = _ratio(rnd, 0.5, 600)
                goal = 2.0 if size == 4096 else 1.0
                cols = ["%.0f [%.0f-%.0f]" % (m * 100, lo * 100, hi * 100), "100 [90-110]",
                        "%.2fx [%.2f-%.2f]" % (m, lo, hi)]
                lines.append("%-7d %5d KiB %-8s  %-22s  %-22s  %-20s" % (t, size // 1024, ph, *cols)
                             + " >= %.1fx %s" % (goal, "met" if m >= goal else "MISSED"))
                want.append((f"{size // 1024} KiB {ph}, {t} thread{'s' if t > 1 else ''}",
                             m, lo, hi))
    _, got, _ = _drawn(tmp_path, "kv-objects", "\n".join(lines) + "\n", log=True)
    _check(got, want)


def test_timing(tmp_path):
    rnd = random.Random(14)

    def stats():
        m = round(rnd.uniform(0.9, 1.2), 3)
        lo, hi = round(m - rnd.uniform(0, 0.05), 3), round(m + rnd.uniform(0, 0.05), 3)
        return (m, lo, hi), "%.3f median (min %.3f, max %.3f)" % (m, lo, hi)

    lines = ["bench timing: git x", "(a) accuracy: measured / configured (1.000 = exact; goal "
             "within 0.95-1.05)",
             "  bandwidth (fio bw over the run; the rate 40% of the job's rate with the model"]
    want = []
    for name, key in (("seq read 128k qd32 (link)", "link_mbps=127"),
                      ("2 jobs, 2 queues, read 64k qd8 each", "link_mbps=216")):
        v, s = stats()
        lines.append("  %-34s %-24s %s (model off: %d MB/s, held: %d MB/s)" % (name, key, s, 326,
                                                                             318))
        want.append((name, *v))
    lines.append("  QD1 latency, p50 of fio's total latency: (measured - model off) / configured:")
    v, s = stats()
    lines.append("  %-34s %-30s %s" % ("rand read 4k qd1 (irq)", "2 ms media + 100 us link", s))
    want.append(("rand read 4k qd1 (irq)", *v))
    lines.append("  %-34s %-30s %s (model off: %d us)" % ("  raw measured / configured", "",
                                                           stats()[1], 21))
    lines.append("  %-34s %d us late, %d us early per read" % ("  timers (all reads of the load)",
                                                                104, 0))
    lines.append("  %-34s %-30s %s" % ("MEM_COPY 64 MiB (16 MiB commands)", "media_read_mbps=80",
                                        "0.995 median (copy: 79.6 MB/s median (min 79.6, max "
                                        "79.6), 3 x 64 MiB)"))
    want.append(("MEM_COPY 64 MiB (16 MiB commands)", 0.995, 0.995, 0.995))
    v, s = stats()
    lines.append("  compute: EXEC latency / modelled run time (measured run x factor): "
                 "%s, 15 EXECs of 126.2 ms modelled" % s)
    want.append(("compute (EXEC / modelled run)", *v))
    # (c), here without (b): other ratios, not the model's accuracy
    lines += ["(c) model off: this module / the module before the timing model, IOPS or "
              "bandwidth, modules alternating (1.00 = no cost)",
              "  %-34s %s" % ("randread 4k qd32", stats()[1])]
    root, got, x = _drawn(tmp_path, "timing", "\n".join(lines) + "\n")
    _check(got, want, rel=0.002)
    # the goal shaded; MEM_COPY's one copy per round: no whisker
    (band,) = [r for r in root.iter(NS + "rect") if r.get("class") == "band"]
    assert (x(band.get("x")), x(float(band.get("x")) + float(band.get("width")))) == \
        pytest.approx((0.95, 1.05), rel=0.002)
    rows = [g for g in root.iter(NS + "g") if g.get("class") == "row"]
    assert [bool(g.findall(NS + "line")) for g in rows] == [w[2] != w[3] for w in want]


@pytest.mark.parametrize("rounds,kv", [(3, True), (4, False)])
def test_compare(tmp_path, rounds, kv):
    """compare_report.py's per-round table drawn as compare_report.py
    draws its raw files: with values the table prints exactly, the same
    picture; a table of an older compare (no passthrough or KV rows)
    draws the rows it has."""
    rnd = random.Random(rounds)
    for r in range(1, rounds + 1):
        for mod in ("old", "new"):
            p = str(tmp_path / f"r{r}-{mod}-")
            for job in ("randread-4k-qd1", "randread-4k-qd32", "cmd-randread-4k-qd1",
                        "cmd-randread-4k-qd32"):
                with open(p + job + ".json", "w") as f:
                    f.write('{"jobs": [{"read": {"iops": %d}}]}' % (rnd.randrange(100, 999) * 100))
            with open(p + "exec.txt", "w") as f:
                f.write("%.2f %.1f 1 2\n" % (rnd.randrange(300, 999) / 100,
                                              rnd.randrange(100, 999) / 10))
            with open(p + "alpha.txt", "w") as f:
                f.write("%.1f 47663\n" % (rnd.randrange(1000, 9999) / 10))
            with open(p + "kv.txt", "w") as f:
                f.write(" ".join("%.2f" % (rnd.randrange(100, 999) / 100) for _ in range(4)) + "\n")
    raw = tmp_path / "raw.svg"
    r = subprocess.run([sys.executable, os.path.join(BENCH, "compare_report.py"), str(tmp_path),
                        str(rounds), "--plot", str(raw)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    if not kv:   # an older compare printed neither passthrough nor KV rows
        out = "\n".join(ln for ln in out.splitlines() if not ln.startswith(("4K passthru", "KV ")))
    plots = _plots()
    drawn = plots.draw("compare", out)
    if kv:
        assert drawn == raw.read_text()
    root = _parse(drawn)
    labels = [g[0] for g in _bar_rows(root, _axis(root, "xtick"))]
    assert len(labels) == (11 if kv else 5) and labels[0] == "4K randread QD1 (IOPS)"
    assert any("passthru" in lb for lb in labels) == kv


def test_exec_latency(tmp_path):
    text = ("%-28s %10s %10s\n" % ("QD1 round trip (us)", "p50", "p99") +
            "%-28s %10.1f %10.1f\n" % ("4 KiB read (O_DIRECT)", 9.1, 20.4) +
            "%-28s %10.1f %10.1f\n" % ("EXEC of a 2-insn program", 4.5, 8.8) +
            "EXEC / read (p50): 0.49x over 2000 iterations each\n")
    r = _record(tmp_path, "exec_latency", text)
    assert r.returncode == 0, r.stderr
    root = _parse((tmp_path / "results" / "2026-01-02-exec_latency.svg").read_text())
    got = _bar_rows(root, _axis(root, "xtick"))
    assert not root.findall(f".//{NS}line[@class='spread']")    # one run: no whiskers
    _check(got, [("4 KiB read (O_DIRECT) p50", 9.1, 9.1, 9.1),
                 ("4 KiB read (O_DIRECT) p99", 20.4, 20.4, 20.4),
                 ("EXEC of a 2-insn program p50", 4.5, 4.5, 4.5),
                 ("EXEC of a 2-insn program p99", 8.8, 8.8, 8.8)])


def test_sqlite(tmp_path):
    """tools/bench/sqlite's table: drive and host over plain per round,
    plain itself not drawn; a table without min and max draws nothing."""
    rnd = random.Random(76)
    rows, want = [], []
    for q in ("Q1", "Q6"):
        for model in ("off", "csd-gen3", "ssd-970pro"):
            for way in ("drive", "host", "plain"):
                v, lo, hi = (1.0, 1.0, 1.0) if way == "plain" else _ratio(rnd, 0.5, 9.0)
                rows.append(f"{q:5} {model:10} {way:5} {9.055:8.3f} {2.5:7.3f} {8.5:7.3f} "
                            f"{2.4:7.3f} {v:7.2f} {lo:5.2f} {hi:5.2f} {7242896:13d} "
                            f"{1.0:5.2f} {7242752:10d} {14477646:12d} {144:12d}")
                if way != "plain":
                    want.append((f"{q} {model}, engine='{way}'", v, lo, hi))
    head = ("query model      way     wall s  spread   cpu s  spread x plain   min   max "
            "bytes_to_host xfile read_bytes prog_scanned prog_to_host\n")
    _, got, _ = _drawn(tmp_path, "sqlite", head + "\n".join(rows) + "\n", log=True)
    _check(got, want)
    # the first result's table: x plain without its min and max
    old = "\n".join(" ".join(r.split()[:8] + r.split()[10:]) for r in rows)
    with pytest.raises(ValueError):
        _plots().draw("sqlite-6.12-quick", old)


def test_record_undrawable(tmp_path):
    # a quick nvme run whose output has no goal rows: kept, without a picture
    r = _record(tmp_path, "nvme", "tools/bench/nvme: 2 round(s)\nno table\n")
    assert r.returncode == 0 and "nvme: no picture: plot: no rows to draw" in r.stderr
    res = tmp_path / "results"
    assert (res / "2026-01-02-nvme.md").exists() and not (res / "2026-01-02-nvme.svg").exists()
    assert ".svg" not in (res / "2026-01-02-nvme.md").read_text()
    # a benchmark no drawer knows: nothing said, no picture
    r = _record(tmp_path, "vec", "anything\n")
    assert r.returncode == 0 and r.stderr == ""
    assert not (res / "2026-01-02-vec.svg").exists()


def test_record_other_series(tmp_path):
    # a run on 6.12 is a result of its own, beside the default series' one
    res = tmp_path / "results"
    for kernel in ("6.1.0-56-amd64", "6.12.117+deb12-amd64", "6.12.117 (tools/vm/debug-kernel)"):
        r = _record(tmp_path, "vec", "x\n", "--kernel", kernel, KVER="6.12.117+deb12-amd64")
        assert r.returncode == 0, r.stderr
    assert sorted(os.listdir(res)) == ["2026-01-02-vec-6.12.md", "2026-01-02-vec.md"]
    md = (res / "2026-01-02-vec-6.12.md").read_text()
    assert "| command | `KVER=6.12.117+deb12-amd64 tools/bench/vec` |" in md
    assert "| VM kernel | 6.12.117 (tools/vm/debug-kernel) (QEMU, TCG) |" in md
    # a name that already ends with the series gets it once
    r = _record(tmp_path, "vec-6.12", "x\n", "--kernel", "6.12.117+deb12-amd64")
    assert r.returncode == 0
    assert sorted(os.listdir(res)) == ["2026-01-02-vec-6.12.md", "2026-01-02-vec.md"]


def test_redraw(tmp_path):
    res = tmp_path / "results"
    res.mkdir()
    src = os.path.join(BENCH, "results", "2026-11-25-nvme.md")
    md = res / "2026-11-25-nvme.md"
    with open(src) as f:
        # the file as record wrote it, before it had a picture
        md.write_text(re.sub(r"\n!\[nvme, 2026-11-25\]\(2026-11-25-nvme\.svg\)\n", "", f.read()))
    before = md.read_text()
    for _ in range(2):   # a second redraw changes nothing
        r = subprocess.run([sys.executable, RECORD, "--redraw", str(md)], capture_output=True,
                           text=True)
        assert r.returncode == 0, r.stderr
        after = md.read_text()
        assert after.replace("![nvme, 2026-11-25](2026-11-25-nvme.svg)\n\n", "", 1) == before
        assert after.index("2026-11-25-nvme.svg") < after.index("```")
    assert len(_bar_rows(_parse((res / "2026-11-25-nvme.svg").read_text()),
                         lambda p: float(p))) == 4
    for path, msg in ((res / "2026-11-24-kbpf.md", "draws no 'kbpf'"),
                      (res / "notes.md", "not a result file")):
        shutil.copyfile(md, path)
        r = subprocess.run([sys.executable, RECORD, "--redraw", str(path)],
                           capture_output=True, text=True)
        assert r.returncode == 2 and msg in r.stderr, r.stderr


def test_committed_pictures():
    """Every picture beside a committed result is what its output draws
    today (`tools/bench/record --redraw FILE.md` draws it again), shown
    in the file and in the README's list; a result that draws has one."""
    plots = _plots()
    readme = open(os.path.join(BENCH, "README.md")).read()
    drawn = 0
    for md in sorted(glob.glob(os.path.join(BENCH, "results", "*.md"))):
        base = os.path.basename(md)[:-3]
        name, svg = base[11:], md[:-3] + ".svg"
        if not plots.drawer(name):
            continue
        text = open(md).read()
        out = text.split("\n```\n", 1)[1].rstrip()[:-3]
        try:
            want = plots.draw(name, out)
        except ValueError:
            assert not os.path.exists(svg), f"{svg}: its result draws nothing"
            continue
        assert os.path.exists(svg), f"{md} draws a picture: tools/bench/record --redraw {md}"
        have = open(svg).read()
        if name.split("-")[0] in plots.OWN_PICTURE and have != want:
            # drawn from the raw files: the same rows, to the output's precision
            got, exp = (_bar_rows(r, _axis(r, "xtick")) for r in (_parse(have), _parse(want)))
            _check(got, [g[:4] for g in exp], rel=0.01)
        else:
            assert have == want, f"{svg} is stale: tools/bench/record --redraw {md}"
        assert f"![{name}, {base[:10]}]({base}.svg)" in text, md
        if f"({base}.md)" in readme.split("<!-- results: begin -->")[1]:
            assert f"(results/{base}.svg)" in readme, base
        drawn += 1
    # baseline (2), baseline-icount, compare (3 + 1 of its own), kv-objects, nvme (2)
    assert drawn >= 10
