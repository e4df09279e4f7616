#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Table of a tools/bench/zoned run.

usage: zoned_report.py RESULT_DIR

Reads rN.<job>.<device>.json (fio) and tool.txt (zone_append_bench) and
prints, per run, the median over the rounds of each device's MiB/s (and
IOPS), and uringblk / null_blk.  Append rows are compared with null_blk's
write row of the same queue depth (null_blk has no userspace append path on
6.1; see tools/bench/zoned).  Exits 1 if a run is missing or failed.
"""
import glob
import json
import os
import re
import statistics
import sys


def read_kv(path):
    kv = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    kv[k] = v
    return kv


def main():
    out = sys.argv[1]
    cfg = read_kv(os.path.join(out, "config"))
    host = read_kv(os.path.join(out, "host-meta"))
    rounds = int(cfg["rounds"])
    res = {}  # (run, dev) -> [(MiB/s, IOPS)]
    bad = False

    for path in sorted(glob.glob(os.path.join(out, "r*.*.*.json"))):
        m = re.match(r"r(\d+)\.(.+)\.(uringblk|null_blk)\.json$", os.path.basename(path))
        if not m:
            continue
        with open(path) as f:
            text = f.read()
        # fio may print notes before the JSON object.
        data = json.loads(text[text.index("{"):])
        for job in data["jobs"]:
            if job.get("error"):
                print(f"{path}: job error {job['error']}", file=sys.stderr)
                bad = True
        w = data["jobs"][0]["write"]
        res.setdefault((m.group(2), m.group(3)), []).append(
            (w["bw_bytes"] / 1048576.0, w["iops"]))

    tool = os.path.join(out, "tool.txt")
    if os.path.exists(tool):
        with open(tool) as f:
            for line in f:
                kv = dict(p.split("=", 1) for p in line.split() if "=" in p)
                res.setdefault((kv["name"], kv["dev"]), []).append(
                    (float(kv["mib_s"]), float(kv["iops"])))

    def spread(run, dev):
        """(max - min) / median of the rounds, percent: how noisy."""
        v = [x[0] for x in res.get((run, dev), [])]
        if len(v) < 2 or not statistics.median(v):
            return "-"
        return f"{100 * (max(v) - min(v)) / statistics.median(v):.0f}%"

    def med(run, dev):
        v = res.get((run, dev))
        if not v:
            return None
        if len(v) != rounds:
            print(f"{run}@{dev}: {len(v)} of {rounds} rounds", file=sys.stderr)
        return (statistics.median(x[0] for x in v), statistics.median(x[1] for x in v))

    runs = []
    for run, _ in res:
        if run not in runs:
            runs.append(run)
    order = ["seqwrite-128k-qd8", "seqwrite-128k-4jobs", "seqwrite-4k-qd1",
             "write-128k-qd1", "write-128k-qd8", "append-128k-qd1", "append-128k-qd8"]
    runs.sort(key=lambda r: order.index(r) if r in order else len(order))

    print(f"zoned: {cfg.get('zone_mb')} MiB zones, capacity {cfg.get('zcap_mb')} MiB, "
          f"{cfg.get('cap_gb')} GiB devices; median of {rounds} interleaved rounds, "
          f"{cfg.get('runtime')} s each")
    print(f"host load average: start {host.get('host_load_start', '?')}, "
          f"end {host.get('host_load_end', '?')} ({host.get('host_cpus', '?')} CPUs)")
    print()
    hdr = (f"{'run':<22} {'uringblk MiB/s':>15} {'null_blk MiB/s':>15} {'ratio':>7}  "
           f"{'uringblk IOPS':>13} {'null_blk IOPS':>13}  {'spread u/n':>11}")
    print(hdr)
    print("-" * len(hdr))
    summary = {}
    for run in runs:
        u = med(run, "uringblk")
        peer_run = run.replace("append-", "write-") if run.startswith("append-") else run
        n = med(peer_run, "null_blk")
        ratio = f"{u[0] / n[0]:.2f}x" if u and n and n[0] else "-"
        label = run + (" *" if peer_run != run else "")
        print(f"{label:<22} {u[0] if u else 0:>15.1f} "
              f"{n[0] if n else 0:>15.1f} "
              f"{ratio:>7}  {u[1] if u else 0:>13.0f} {n[1] if n else 0:>13.0f}  "
              f"{spread(run, 'uringblk') + '/' + spread(peer_run, 'null_blk'):>11}")
        summary[run] = {"uringblk": u, "null_blk": n, "peer": peer_run}
    print()
    print("* append rows: uringblk ZONE_APPEND over io_uring (command device) against")
    print("  null_blk's io_uring writes at the write pointer at the same QD (null_blk")
    print("  has no userspace zone-append path on 6.1); the null_blk columns repeat")
    print("  that write row.")
    print("spread: (max - min) / median of the rounds, uringblk/null_blk.")
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    missing = [r for r in runs if not med(r, "uringblk")]
    return 1 if bad or missing else 0


if __name__ == "__main__":
    sys.exit(main())
