# SPDX-License-Identifier: GPL-2.0
"""tools/bench/report.py on a made-up result directory (what the guest half
of tools/bench/baseline leaves: config, meta, host-meta, batch-N.json, or
round-N.json before 2026-11-28):
the A/A controls (brd2 / brd, bio / uringblk), the verdict that sets
uringblk / brd against them, and the instruction counts of an icount boot
printed beside the wall-clock ratios (issue 56)."""

import json
import os
import subprocess
import sys

import pytest

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
REPORT = os.path.join(TOP, "tools", "bench", "report.py")

# IOPS per (job, device) in each of 3 rounds.  randread: uringblk 3% behind
# brd, while the control brd2 is 5% off brd: not resolved.  read-128k:
# uringblk 10% behind, the controls within 1%: behind.  randwrite: ahead.
IOPS = {
    "randread-4k-qd32": {"uringblk": [97, 97.5, 96.5, 97, 97], "bio": [97, 98, 96, 97, 97],
                         "brd": [100, 100.5, 99.5, 100, 100], "brd2": [95, 96, 94, 95, 95]},
    "read-128k-qd8": {"uringblk": [90, 91, 89, 90, 90], "bio": [91, 92, 90, 91, 91],
                      "brd": [100, 101, 99, 100, 100], "brd2": [101, 100, 99, 100, 100]},
    "randwrite-4k-qd32": {"uringblk": [110, 111, 109, 110, 110], "bio": [110] * 5,
                          "brd": [100] * 5, "brd2": [100] * 5},
    # behind brd by 5% at the median, but ahead in 2 of 5 rounds: p 0.5
    "write-128k-qd8": {"uringblk": [95, 95, 95, 101, 102], "bio": [95, 95, 95, 101, 102],
                       "brd": [100] * 5, "brd2": [100] * 5},
}


def _result(d, devs, rounds=5, per_batch=0):
    """per_batch 0: a round-N.json per round, sections JOB@DEV (the old
    layout); else batch-N.json of per_batch rounds, sections JOB@DEV.rR."""
    jobs = list(IOPS)
    (d / "config").write_text(f"rounds={rounds}\nruntime=8\nramp=1\nsize_mb=256\ncap_mb=1024\n"
                              f"jobs='{' '.join(jobs)}'\ndevs='{' '.join(devs)}'\n")
    (d / "meta").write_text("kernel=k\nclocksource=tsc\nvcpus=2\nerms=yes\n")
    (d / "host-meta").write_text("git=x\nhost_load_start=0.10 0.10 0.10\nhost_cpus=2\n")
    out = []
    for r in range(rounds):
        if not per_batch:
            out = []
        for job in jobs:
            for dev in devs:
                iops = IOPS[job][dev][r]
                d_ = {"io_bytes": int(iops * 4096 * 8), "iops": iops, "bw_bytes": iops * 4096,
                      "total_ios": int(iops * 8), "clat_ns": {"percentile": {}}}
                idle = {"io_bytes": 0, "iops": 0, "bw_bytes": 0, "total_ios": 0, "clat_ns": {}}
                w = "write" in job
                name = f"{job}@{dev}" + (f".r{r + 1}" if per_batch else "")
                out.append({"jobname": name, "error": 0,
                            "read": idle if w else d_, "write": d_ if w else idle})
        if not per_batch:
            (d / f"round-{r + 1}.json").write_text(json.dumps({"jobs": out}))
        elif (r + 1) % per_batch == 0 or r + 1 == rounds:
            (d / f"batch-{r // per_batch + 1}.json").write_text(json.dumps({"jobs": out}))
            out = []


def _report(*dirs):
    r = subprocess.run([sys.executable, REPORT, *map(str, dirs)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout


def _line(out, *words):
    got = [ln for ln in out.splitlines() if all(w in ln.split() for w in words)]
    assert len(got) == 1, (words, got)
    return got[0].split()


def test_aa_controls(tmp_path):
    _result(tmp_path, ["uringblk", "bio", "brd", "brd2"])
    out = _report(tmp_path)
    assert "A/A controls" in out
    # per round brd2 / brd: 0.95, 0.955..., 0.945...: median 0.95
    assert _line(out, "randread-4k-qd32", "brd2", "/", "brd")[4] == "0.95x"
    assert _line(out, "read-128k-qd8", "bio", "/", "uringblk")[4] == "1.01x"
    assert _line(out, "randread-4k-qd32", "brd2", "/", "brd")[-1] == "5"  # below 1 in 5 of 5
    aa = json.loads((tmp_path / "summary.json").read_text())["aa"]
    # behind in every round (p 1/32), but by less than brd2 is off brd
    assert aa["randread-4k-qd32"]["verdict"] == "not resolved"
    assert aa["randread-4k-qd32"]["resolution"] == pytest.approx(0.05, abs=0.001)
    assert aa["randread-4k-qd32"]["p"] == pytest.approx(1 / 32)
    # behind in every round, by more than the controls
    assert aa["read-128k-qd8"]["verdict"] == "BEHIND brd"
    assert aa["read-128k-qd8"]["uringblk_brd"] == pytest.approx(0.9, abs=0.001)
    # ahead in every round, by more than the controls
    assert aa["randwrite-4k-qd32"]["verdict"] == "AHEAD of brd"
    # behind at the median, wider than the controls, but not in enough rounds
    assert aa["write-128k-qd8"]["rounds_behind"] == 3
    assert aa["write-128k-qd8"]["p"] == pytest.approx(0.5)
    assert aa["write-128k-qd8"]["verdict"] == "not resolved"
    assert "read-128k-qd8          0.90x  behind in 5 of 5 rounds (p 0.03)" in out


def test_batches(tmp_path):
    """Rounds in batches (2 + 2 + 1 rounds) report what a file per round does."""
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    _result(old, ["uringblk", "brd", "brd2"])
    _result(new, ["uringblk", "brd", "brd2"], per_batch=2)
    assert sorted(p.name for p in new.glob("batch-*.json")) == [
        "batch-1.json", "batch-2.json", "batch-3.json"]
    assert _report(new) == _report(old)
    summary = json.loads((new / "summary.json").read_text())
    assert summary["aa"] == json.loads((old / "summary.json").read_text())["aa"]
    # a batch lost: its rounds are missing, and the report says so
    (new / "batch-2.json").unlink()
    r = subprocess.run([sys.executable, REPORT, str(new)], capture_output=True, text=True)
    assert r.returncode == 1 and "ERROR: no runs of round(s) 3, 4" in r.stdout


def test_wandering_host(tmp_path):
    """The x columns are medians of the per-round ratios, not ratios of the
    devices' medians: when the host's speed flips between rounds (fast 100,
    slow 60), each device's median lands on whichever speed most of its
    rounds had, while each round still compares like with like."""
    saved = dict(IOPS)
    try:
        IOPS.clear()
        IOPS["randread-4k-qd32"] = {"uringblk": [105, 63, 105, 63, 63],
                                    "brd": [100, 60, 100, 60, 100]}
        _result(tmp_path, ["uringblk", "brd"])
    finally:
        IOPS.clear()
        IOPS.update(saved)
    out = _report(tmp_path)
    # per round 1.05, 1.05, 1.05, 1.05, 0.63; the medians' ratio is 63 / 100
    row = _line(out, "brd", "100", "60-100")  # the table's brd row
    assert row[-1] == "1.05x", row
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["results"]["randread-4k-qd32@brd"]["ratio_iops"] == pytest.approx(1.05)


def test_no_controls(tmp_path):
    _result(tmp_path, ["uringblk", "brd"])
    out = _report(tmp_path)
    assert "A/A controls" not in out and "beside:" not in out
    assert "aa" not in json.loads((tmp_path / "summary.json").read_text())


def test_beside_icount(tmp_path):
    wall, ic = tmp_path / "wall", tmp_path / "icount"
    wall.mkdir()
    ic.mkdir()
    _result(wall, ["uringblk", "brd"])
    # what report.py writes under icount: instructions per I/O in "cpu"
    instr = {"uringblk": 7460, "brd": 7514}
    (ic / "summary.json").write_text(json.dumps({
        "config": {"rounds": "2"}, "host": {"icount": "0"},
        "results": {f"{j}@{d}": {"median": {"cpu": n}} for j in IOPS for d, n in instr.items()}}))
    out = _report(wall, ic)
    assert "beside: instructions per I/O from a second boot under icount (shift 0" in out
    row = _line(out, "read-128k-qd8", "brd", "7460")
    assert row[2] == "0.90x" and row[4] == "7514" and row[5] == "1.007x"
    got = json.loads((wall / "summary.json").read_text())["beside_icount"]
    assert got["randwrite-4k-qd32@brd"]["wall"] == pytest.approx(1.1, abs=0.001)
    assert got["randwrite-4k-qd32@brd"]["instr_ratio"] == pytest.approx(7514 / 7460)
    # a missing icount run is said, not fatal
    out = _report(wall, tmp_path / "nothing")
    assert "instruction counts: no icount run in" in out
