#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""tools/bench/nvme_report.py DIR - the table of tools/bench/nvme.

Reads DIR/round-N.json (fio, jobs "randread-4k-qd1@TARGET" and
"randread-4k-qd32@TARGET", TARGET cmd, blk, mq (absent from older runs)
or qemu, and nvme and ng when the drive had its NVMe controller), DIR/exec-N.txt
(exec_latency's output), DIR/execute-N.txt (nvme_execute's output), or
DIR/execute-program.txt (a SKIP) and the meta files, and
prints per target the median and min-max over the rounds of the QD1 p50
latency (submission to completion) and the QD32 IOPS, then issue 32's
and issue 53's ratios: of the medians, and the median and min-max of the
per-round ratios.
"""
import glob
import json
import os
import re
import statistics
import sys

TARGETS = {
    "cmd": "io_uring_cmd /dev/uringblkc0",
    "blk": "io_uring O_DIRECT /dev/uringblk0",
    "mq": "io_uring O_DIRECT uringblkN, mq",
    "qemu": "io_uring_cmd QEMU /dev/ngXn1",
    "nvme": "io_uring O_DIRECT its /dev/nvmeXnY",
    "ng": "io_uring_cmd its /dev/ngXnY",
}


def rounds(d):
    """[{(job, target): fio job dict}] per round, in round order."""
    out = []
    files = glob.glob(os.path.join(d, "round-*.json"))
    for f in sorted(files, key=lambda p: int(re.search(r"round-(\d+)", p).group(1))):
        with open(f) as fh:
            data = json.load(fh)
        out.append({tuple(j["jobname"].split("@")): j for j in data["jobs"]})
    return out


def p50_us(j):
    """p50 of fio's total latency (lat_percentiles=1: submission to
    completion), in microseconds."""
    pct = j["read"]["lat_ns"].get("percentile", {})
    if "50.000000" not in pct:
        sys.exit("nvme_report: %s has no lat_ns percentiles" % j["jobname"])
    return pct["50.000000"] / 1000.0


def iops(j):
    return j["read"]["iops"]


def spread(vals):
    return "%s-%s" % (fmt(min(vals)), fmt(max(vals)))


def fmt(v):
    return "%.0f" % v if v >= 100 else "%.2f" % v if v < 10 else "%.1f" % v


def meta(d, name):
    vals = {}
    try:
        with open(os.path.join(d, name)) as f:
            for line in f:
                k, _, v = line.rstrip("\n").partition("=")
                vals[k] = v
    except OSError:
        pass
    return vals


def ratios(title, rows):
    """Print ratios of medians and per round against each row's goal."""
    print(title)
    print("%-44s %10s %12s %14s" % ("ratio", "medians", "per round", "min-max"))
    for name, num, den, goal in rows:
        per = [n / m for n, m in zip(num, den) if m]
        med = statistics.median(num) / statistics.median(den)
        if goal is None:
            verdict = ""
        else:
            verdict = "goal %.1fx %s" % (goal, "met" if med >= goal else "missed")
            if per and min(per) < goal <= max(per):
                verdict += " (rounds on both sides of %.1f)" % goal
        print(("%-44s %9.2fx %11.2fx %14s  %s" % (
            name, med, statistics.median(per),
            "%.2f-%.2fx" % (min(per), max(per)), verdict)).rstrip())
    print()


def main():
    d = sys.argv[1]
    rs = rounds(d)
    if not rs:
        sys.exit("nvme_report: no round-*.json in %s" % d)
    host = meta(d, "host-meta")
    guest = meta(d, "meta")
    print("tools/bench/nvme: %d round(s), git %s, guest %s (%s), %s" % (
        len(rs), host.get("git", "?"), guest.get("kernel", "?"),
        guest.get("clocksource", "?"), host.get("qemu", "?")))
    print("host load average before %s, after %s" % (
        host.get("host_load_start", "?"), host.get("host_load_end", "?")))
    print("QEMU's NVMe: %s" % guest.get("qemu_nvme", "?"))
    print()
    targets = {t: label for t, label in TARGETS.items()
               if all(("randread-4k-qd1", t) in r for r in rs)}
    lat = {t: [p50_us(r[("randread-4k-qd1", t)]) for r in rs] for t in targets}
    io = {t: [iops(r[("randread-4k-qd32", t)]) for r in rs] for t in targets}
    print("%-36s %14s %16s %14s %18s" % ("4 KiB randread", "QD1 p50 lat us", "min-max", "QD32 IOPS", "min-max"))
    for t, label in targets.items():
        print("%-36s %14s %16s %14s %18s" % (
            "%s: %s" % (t, label), fmt(statistics.median(lat[t])), spread(lat[t]),
            fmt(statistics.median(io[t])), spread(io[t])))
    print()
    ratios("issue 32's goals (>= 1.00x: NVMe passthrough at least as fast):", [
        ("QD1 p50 latency: blk / cmd", lat["blk"], lat["cmd"], 1.0),
        ("QD32 IOPS: cmd / blk", io["cmd"], io["blk"], 1.0),
        ("QD1 p50 latency: qemu / cmd", lat["qemu"], lat["cmd"], 1.0),
        ("QD32 IOPS: cmd / qemu", io["cmd"], io["qemu"], 1.0),
    ])
    if "nvme" in targets and "ng" in targets:
        ratios("issue 53's goals (the controller's nodes; the goal after each ratio):", [
            ("QD1 p50 latency: qemu / nvme", lat["qemu"], lat["nvme"], 1.0),
            ("QD32 IOPS: nvme / qemu", io["nvme"], io["qemu"], 1.0),
            ("QD1 p50 latency: blk / nvme", lat["blk"], lat["nvme"], 0.9),
            ("QD32 IOPS: nvme / blk", io["nvme"], io["blk"], 0.9),
            ("QD1 p50 latency: cmd / ng", lat["cmd"], lat["ng"], 0.9),
            ("QD32 IOPS: ng / cmd", io["ng"], io["cmd"], 0.9),
        ])
    if "mq" in targets:
        # No goal: where blk / nvme's gap is, blk-mq's share and the rest.
        rows = [("QD1 p50 latency: blk / mq", lat["blk"], lat["mq"], None),
                ("QD32 IOPS: mq / blk", io["mq"], io["blk"], None)]
        if "nvme" in targets:
            rows += [("QD1 p50 latency: mq / nvme", lat["mq"], lat["nvme"], None),
                     ("QD32 IOPS: nvme / mq", io["nvme"], io["mq"], None)]
        ratios("blk-mq's share (mq: the same drive on blk-mq; no goal):", rows)
    ex = []
    for f in sorted(glob.glob(os.path.join(d, "exec-*.txt"))):
        with open(f) as fh:
            m = re.search(r"^EXEC of a 2-insn program\s+([\d.]+)\s+([\d.]+)", fh.read(), re.M)
        if m:
            ex.append(float(m.group(1)))
    try:
        with open(os.path.join(d, "execute-program.txt")) as fh:
            ep = fh.read().strip()
    except OSError:
        ep = "SKIP: no execute-program.txt"
    print("Execute Program p50 vs EXEC p50 (goal <= 1.10x):")
    if ex:
        print("  EXEC round trip of a trivial program: p50 %s us (median of %d rounds, %s)" % (
            fmt(statistics.median(ex)), len(ex), spread(ex)))
    # nvme_execute's rounds: EXEC, Execute Program by URING_CMD and ioctl,
    # interleaved in one program: compared round by round
    kinds = [("EXEC (drive's own, 1 block)", "EXEC"),
             ("Execute Program URING_CMD", "URING_CMD"),
             ("Execute Program ioctl", "ioctl"),
             ("Execute Program ng URING_CMD", "ng")]
    per = {k: [] for _, k in kinds}
    for f in sorted(glob.glob(os.path.join(d, "execute-[0-9]*.txt"))):
        with open(f) as fh:
            text = fh.read()
        for label, k in kinds:
            m = re.search(r"^%s\s+([\d.]+)\s+([\d.]+)" % re.escape(label), text, re.M)
            if m:
                per[k].append(float(m.group(1)))
    if per["EXEC"] and len(per["URING_CMD"]) == len(per["EXEC"]):
        for _, k in kinds:
            if per[k]:
                print("  %-10s p50 %s us (median of %d rounds, %s)" % (
                    k, fmt(statistics.median(per[k])), len(per[k]), spread(per[k])))
        for k in ("URING_CMD", "ioctl"):
            if len(per[k]) != len(per["EXEC"]):
                continue
            r = [a / b for a, b in zip(per[k], per["EXEC"]) if b]
            med = statistics.median(per[k]) / statistics.median(per["EXEC"])
            print("  Execute Program by %s / EXEC: %.2fx (per round median %.2fx, %.2f-%.2fx): %s" % (
                k, med, statistics.median(r), min(r), max(r),
                "goal met" if med <= 1.10 else "goal missed"))
        # issue 53: through the controller's CP generic node (nvme-core),
        # against the same command on /dev/uringblkc0n2
        if per["ng"] and len(per["ng"]) == len(per["URING_CMD"]):
            r = [a / b for a, b in zip(per["ng"], per["URING_CMD"]) if b]
            med = statistics.median(per["ng"]) / statistics.median(per["URING_CMD"])
            print("  Execute Program on the controller's ng node / on uringblkc0n2: %.2fx "
                  "(per round median %.2fx, %.2f-%.2fx): %s" % (
                      med, statistics.median(r), min(r), max(r),
                      "goal met (<= 1.20x)" if med <= 1.20 else "goal missed (> 1.20x)"))
    else:
        print("  Execute Program: %s" % ep)


if __name__ == "__main__":
    main()
