#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Table of a tools/bench/zoned run.

usage: zoned_report.py RESULT_DIR

Reads rN.<job>.<device>.json (fio) and tool.txt (zone_append_bench) and
prints, per run, the median over the rounds of each device's MiB/s (and
IOPS), and uringblk / null_blk; and, from cpu.txt (QEMU's CPU time noted by
the host at each start/end event of a run), the median host CPU ms per MiB
written and null_blk / uringblk of that (> 1: uringblk needs less per MiB).  Append rows are compared with null_blk's
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


def fmt(x):
    return f"{x:.1f}" if x is not None else "-"


def main():
    out = sys.argv[1]
    cfg = read_kv(os.path.join(out, "config"))
    host = read_kv(os.path.join(out, "host-meta"))
    rounds = int(cfg["rounds"])
    res = {}  # (run, dev) -> [(MiB/s, IOPS)]
    cpu = {}  # (run, dev) -> [host CPU ms per MiB]
    span = int(cfg.get("runtime", 0)) + int(cfg.get("ramp", 0))
    fio_bw = {}  # (round, run, dev) -> bytes/s
    tool_bytes = {}  # (round, run, dev) -> bytes
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
        fio_bw[(m.group(1), m.group(2), m.group(3))] = w["bw_bytes"]
        res.setdefault((m.group(2), m.group(3)), []).append(
            (w["bw_bytes"] / 1048576.0, w["iops"]))

    tool = os.path.join(out, "tool.txt")
    if os.path.exists(tool):
        with open(tool) as f:
            for line in f:
                kv = dict(p.split("=", 1) for p in line.split() if "=" in p)
                res.setdefault((kv["name"], kv["dev"]), []).append(
                    (float(kv["mib_s"]), float(kv["iops"])))
                tool_bytes[(kv["r"], kv["name"], kv["dev"])] = int(kv["bytes"])
    # CPU windows: the first start and the last end event of each run.
    win = {}
    cpu_txt = os.path.join(out, "cpu.txt")
    if os.path.exists(cpu_txt):
        with open(cpu_txt) as f:
            for line in f:
                what = line.split()[0]
                kv = dict(p.split("=", 1) for p in line.split() if "=" in p)
                key = (kv["r"], kv["name"], kv["dev"])
                t = int(kv["ticks"]) / int(kv["hz"])
                w = win.setdefault(key, [None, None])
                if what == "start" and w[0] is None:
                    w[0] = t
                elif what == "end":
                    w[1] = t
    for key, (t0, t1) in win.items():
        if t0 is None or t1 is None:
            continue
        if key in tool_bytes:
            nbytes = tool_bytes[key]
        elif key in fio_bw:
            # fio: exec_prerun to exec_postrun is ramp + runtime.
            nbytes = fio_bw[key] * span
        else:
            continue
        if nbytes:
            cpu.setdefault(key[1:], []).append(1000 * (t1 - t0) / (nbytes / 1048576))

    def spread(run, dev):
        """(max - min) / median of the rounds, percent: how noisy."""
        v = [x[0] for x in res.get((run, dev), [])]
        if len(v) < 2 or not statistics.median(v):
            return "-"
        return f"{100 * (max(v) - min(v)) / statistics.median(v):.0f}%"

    def cpu_med(run, dev):
        v = cpu.get((run, dev))
        return statistics.median(v) if v else None

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
           f"{'uringblk IOPS':>13} {'null_blk IOPS':>13}  {'spread u/n':>11}  "
           f"{'CPU ms/MiB u':>12} {'n':>6} {'cpu ratio':>9}")
    print(hdr)
    print("-" * len(hdr))
    summary = {}
    for run in runs:
        u = med(run, "uringblk")
        peer_run = run.replace("append-", "write-") if run.startswith("append-") else run
        n = med(peer_run, "null_blk")
        ratio = f"{u[0] / n[0]:.2f}x" if u and n and n[0] else "-"
        label = run + (" *" if peer_run != run else "")
        cu, cn = cpu_med(run, "uringblk"), cpu_med(peer_run, "null_blk")
        cr = f"{cn / cu:.2f}x" if cu and cn else "-"
        print(f"{label:<22} {u[0] if u else 0:>15.1f} "
              f"{n[0] if n else 0:>15.1f} "
              f"{ratio:>7}  {u[1] if u else 0:>13.0f} {n[1] if n else 0:>13.0f}  "
              f"{spread(run, 'uringblk') + '/' + spread(peer_run, 'null_blk'):>11}  "
              f"{fmt(cu):>12} {fmt(cn):>6} {cr:>9}")
        summary[run] = {"uringblk": u, "null_blk": n, "peer": peer_run,
                        "cpu_ms_per_mib": {"uringblk": cu, "null_blk": cn}}
    print()
    print("* append rows: uringblk ZONE_APPEND over io_uring (command device) against")
    print("  null_blk's io_uring writes at the write pointer at the same QD (null_blk")
    print("  has no userspace zone-append path on 6.1); the null_blk columns repeat")
    print("  that write row.")
    print("spread: (max - min) / median of the rounds, uringblk/null_blk.")
    print("CPU ms/MiB: host CPU time QEMU spent per MiB written (median); cpu ratio =")
    print("  null_blk / uringblk, > 1 when uringblk needs less.  Steadier than MiB/s")
    print("  on a busy host; fio rows include the ramp (see tools/bench/zoned).")
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    missing = [r for r in runs if not med(r, "uringblk")]
    return 1 if bad or missing else 0


if __name__ == "__main__":
    sys.exit(main())
