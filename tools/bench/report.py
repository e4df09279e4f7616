#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the fio JSON of a tools/bench/baseline run into the table.

usage: report.py RESULT_DIR [ICOUNT_DIR]

RESULT_DIR holds config, meta, host-meta and batch-N.json (fio's output for
a batch of rounds, a section per JOB@DEVICE.rROUND; before 2026-11-28 one
round-N.json per round, sections JOB@DEVICE) as the guest and host halves of
tools/bench/baseline leave them.  Prints the table and writes
summary.json next to the inputs.  ICOUNT_DIR: a run under icount whose
report has written its summary.json; its instructions per I/O are printed
beside this run's wall-clock ratios.  Exits 1 if a round is missing or a
job reported an error.
"""
import json
import math
import os
import re
import statistics
import sys

# Issue 31's rows and goals: each row >= 1.0x brd and >= 1.0x null_blk, by
# IOPS (the QD1 row is the latency row: at QD1 a closed loop's mean latency
# is 1/IOPS, so its IOPS ratio is the latency ratio).
ROWS = ["randread-4k-qd32", "read-128k-qd8", "randwrite-4k-qd32", "randread-4k-qd1"]
PEERS = [("brd", 1.0), ("null_blk", 1.0)]
GOALS = [(job, peer, want) for job in ROWS for peer, want in PEERS]
# A/A controls (BENCH_DEVICES): (the second disk, the first), the same code.
AA_CONTROLS = [("brd2", "brd"), ("bio", "uringblk")]

def read_kv(path):
    """key=value lines (value may hold '=' and spaces)."""
    kv = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                line = line.rstrip("\n")
                if "=" in line:
                    k, v = line.split("=", 1)
                    kv[k] = v.strip("'")
    return kv


def read_hostcpu(path):
    """[(host time s, QEMU host CPU s)] from the host's sampler."""
    pts = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                p = line.split()
                if len(p) == 2:
                    pts.append((float(p[0]), int(p[1]) / 100.0))  # USER_HZ
    return pts


def cpu_at(pts, t):
    """QEMU's host CPU seconds at host time t, linearly interpolated."""
    if not pts or t < pts[0][0] or t > pts[-1][0]:
        return None
    lo, hi = 0, len(pts) - 1
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if pts[mid][0] <= t:
            lo = mid
        else:
            hi = mid
    (t0, c0), (t1, c1) = pts[lo], pts[hi]
    return c0 if t1 == t0 else c0 + (c1 - c0) * (t - t0) / (t1 - t0)


def read_kv_space(path):
    """"name value" lines -> {name: float(value)}."""
    kv = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                p = line.split()
                if len(p) == 2:
                    try:
                        kv[p[0]] = float(p[1])
                    except ValueError:
                        pass
    return kv


def human(n):
    """IOPS as 12.3k / 1.23M, three significant digits."""
    for unit, div in (("M", 1e6), ("k", 1e3)):
        if n >= div:
            v = n / div
            return f"{v:.3g}{unit}" if v < 100 else f"{v:.0f}{unit}"
    return f"{n:.0f}"


def sign_test(k, n):
    """P(k or more of n rounds behind) if each round were a fair coin: the
    one-sided sign test of "uringblk and brd are equally fast"."""
    return sum(math.comb(n, i) for i in range(k, n + 1)) / 2 ** n


def print_beside(icdir, jobs, devs, samples, round_ratios, summary):
    """Instructions per I/O from the icount boot in icdir beside this boot's
    wall-clock ratios: where the two disagree, an instruction's cost does."""
    try:
        with open(os.path.join(icdir, "summary.json")) as f:
            ic = json.load(f)
    except (OSError, ValueError) as e:
        print(f"\ninstruction counts: no icount run in {icdir} ({e})")
        return
    icr = ic.get("results", {})
    print()
    print(f"beside: instructions per I/O from a second boot under icount "
          f"(shift {ic['host'].get('icount', '?')}, 1 vCPU, {ic['config'].get('rounds', '?')} rounds):")
    print("x wall: this boot's uringblk / peer by IOPS (median of rounds); x instr: the peer's")
    print("instructions per I/O over uringblk's; >1 is uringblk ahead in both")
    print(f"{'job':<21} {'peer':<9} {'x wall':>6} {'uringblk':>9} {'peer':>9} {'x instr':>7}")
    out = {}
    for job in jobs:
        u = (icr.get(f"{job}@uringblk") or {}).get("median", {}).get("cpu")
        for peer in devs:
            if peer in ("uringblk", "lat_on", "bare", "iostats_on"):   # uringblk itself
                continue
            p = (icr.get(f"{job}@{peer}") or {}).get("median", {}).get("cpu")
            ri = round_ratios(job, peer, "iops", False)
            wall = statistics.median(ri) if ri else None
            if wall is None and not (u and p):
                continue
            xi = p / u if u and p else None
            print(f"{job:<21} {peer:<9} "
                  f"{(f'{wall:.2f}x' if wall else '-'):>6} "
                  f"{(f'{u:.0f}' if u else '-'):>9} {(f'{p:.0f}' if p else '-'):>9} "
                  f"{(f'{xi:.3f}x' if xi else '-'):>7}")
            out[f"{job}@{peer}"] = {"wall": wall, "instr_uringblk": u, "instr_peer": p,
                                    "instr_ratio": xi}
    summary["beside_icount"] = out


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    out = sys.argv[1]
    beside = sys.argv[2] if len(sys.argv) == 3 else None
    cfg = read_kv(os.path.join(out, "config"))
    meta = read_kv(os.path.join(out, "meta"))
    hmeta = read_kv(os.path.join(out, "host-meta"))
    rounds = int(cfg["rounds"])
    jobs = cfg["jobs"].split()
    devs = cfg["devs"].split()

    runtime = float(cfg["runtime"])
    hostcpu = read_hostcpu(os.path.join(out, "hostcpu.log"))
    # Host cores the VM burns while the guest idles (timer ticks, QEMU's
    # main loop); subtracted so that a run the host starved (fewer I/Os
    # per second) is not charged more per I/O for it.
    idle = None
    try:
        with open(os.path.join(out, "idle.window")) as f:
            h0, h1 = map(float, f.read().split())
        c0, c1 = cpu_at(hostcpu, h0), cpu_at(hostcpu, h1)
        if c0 is not None and c1 is not None and h1 > h0:
            idle = max(0.0, (c1 - c0) / (h1 - h0))
    except (OSError, ValueError):
        pass
    # samples[(job, dev)] = list of dicts, one per round
    samples = {}
    errors = []
    # (fio JSON path, its .ends path, round of a section without ".rN")
    files = [(os.path.join(out, f"round-{r}.json"), os.path.join(out, f"round-{r}.ends"), r)
             for r in range(1, rounds + 1)]
    batches = sorted((f for f in os.listdir(out) if re.fullmatch(r"batch-\d+\.json", f)),
                     key=lambda f: int(f[6:-5]))
    if batches:
        files = [(os.path.join(out, f), os.path.join(out, f[:-5] + ".ends"), None)
                 for f in batches]
    seen = set()
    for path, ends_path, file_round in files:
        ends = read_kv_space(ends_path)
        try:
            with open(path) as f:
                data = json.load(f)
        except (OSError, ValueError) as e:
            errors.append(f"cannot read {path}: {e}")
            continue
        for j in data["jobs"]:
            m = re.fullmatch(r"(.+)@(.+?)(?:\.r(\d+))?", j["jobname"])
            job, dev = m.group(1), m.group(2)
            r = int(m.group(3)) if m.group(3) else file_round
            seen.add(r)
            if j.get("error"):
                errors.append(f"round {r}: {job} on {dev}: fio error {j['error']}")
            # A job reads or writes; take the direction that moved data.
            d = max((j["read"], j["write"]), key=lambda x: x["io_bytes"])
            pct = d["clat_ns"].get("percentile", {})
            # Host CPU over the measured window, which ends when the job
            # does (its exec_postrun stamp) and lasts runtime seconds.
            cpu = cores = None
            end = ends.get(j["jobname"])
            if end is not None:
                c0, c1 = cpu_at(hostcpu, end - runtime), cpu_at(hostcpu, end)
                if c0 is not None and c1 is not None and d["total_ios"]:
                    cores = (c1 - c0) / runtime
                    net = max(0.0, c1 - c0 - (idle or 0.0) * runtime)
                    cpu = net * 1e6 / d["total_ios"]
            samples.setdefault((job, dev), []).append({
                "round": r,
                "iops": d["iops"],
                "bw": d["bw_bytes"],
                "p50": pct.get("50.000000", 0) / 1000.0,
                "p99": pct.get("99.000000", 0) / 1000.0,
                "cpu": cpu,
                "cores": cores,
            })

    missing = sorted(set(range(1, rounds + 1)) - seen)
    if missing:
        errors.append(f"no runs of round(s) {', '.join(map(str, missing))}")

    # Under icount (BENCH_ICOUNT) the guest's clock is the instruction
    # count: IOPS give instructions per I/O exactly, and that is the cost
    # column; the host's CPU time says nothing more.
    icount = hmeta.get("icount", "")
    if icount:
        ns_per_insn = 2 ** int(icount)
        for s in samples.values():
            for x in s:
                x["cpu"] = 1e9 / (x["iops"] * ns_per_insn) if x["iops"] else None
                x["cores"] = None
    cs = meta.get("clocksource", "?")
    print(f"uringblk baseline  git {hmeta.get('git', '?')}  kernel {meta.get('kernel', '?')}"
          f"  {meta.get('vcpus', '?')} vCPUs (TCG)  clocksource {cs}"
          f"  guest ERMS {meta.get('erms', '?')}")
    print(f"{rounds} round(s) per (job, device), interleaved; "
          f"{cfg['ramp']} s ramp + {cfg['runtime']} s measured per run; "
          f"{cfg['size_mb']} MiB pre-filled region; {hmeta.get('fio', 'fio ?')}")
    print(f"host load average at start {hmeta.get('host_load_start', '?')}, "
          f"at end {hmeta.get('host_load_end', '?')} ({hmeta.get('host_cpus', '?')} CPUs)")
    if "tsc=reliable" in meta.get("cmdline", "") and cs != "tsc":
        print(f"WARNING: asked for clocksource=tsc but the guest uses {cs}")
    if icount:
        print(f"icount shift {icount}: the guest's clock advances {2 ** int(icount)} ns per guest "
              "instruction; IOPS and instr/IO are instruction counts, not the host's speed")
    elif hostcpu:
        print(f"host CPU of the VM sampled every 20 ms; idle VM costs "
              f"{idle if idle is not None else float('nan'):.3f} cores (subtracted)")
    else:
        print("host CPU of the VM: not sampled (QEMU not found); CPU columns empty")
    load = hmeta.get("host_load_start", "0").split()[0]
    if float(load) > 1 and not icount:
        print("WARNING: host load average > 1 at start: numbers are noisy")
    print()
    print("IOPS, MiB/s, p50/p99 completion latency: medians over rounds; spread: min-max IOPS.")
    if icount:
        print("instr/IO: guest instructions per I/O (all of them: fio, io_uring, the block layer,")
        print("the driver), from IOPS on the instruction clock; the same in every boot.")
        print("x IOPS, x instr: uringblk relative to this device (>1 is uringblk ahead), the")
        print("median over rounds of the ratio within a round.")
    else:
        print("CPU us/IO: host CPU time QEMU spent per I/O, net of the idle VM (steadier than IOPS")
        print("when other work takes the host's CPU, not when the host itself slows down); cores:")
        print("host cores the VM got during the run (below ~1 the guest was starved by other work).")
        print("x IOPS, x CPU: uringblk relative to this device, by IOPS and by CPU per I/O (>1 is")
        print("uringblk ahead), the median over rounds of the ratio within a round: the host's")
        print("speed wanders, and the devices of one round ran seconds apart.")
    print()
    cost = "instr/IO" if icount else "CPU us/IO"
    hdr = (f"{'job':<21} {'device':<9} {'IOPS':>6} {'spread':>12} {'MiB/s':>7} "
           f"{'p50 us':>7} {'p99 us':>8} {cost:>9} {'cores':>5} {'x IOPS':>6} {'x CPU':>6}")
    print(hdr)
    print("-" * len(hdr))

    def med(xs):
        xs = [x for x in xs if x is not None]
        return statistics.median(xs) if xs else None

    # Per-round ratios: a round runs every device on a job within seconds,
    # so uringblk/peer of the same round is the sample that host drift
    # hits least; its median and min-max are the ratio and its spread.
    def round_ratios(job, peer, key, invert, base="uringblk"):
        u = {x["round"]: x[key] for x in samples.get((job, base), [])}
        p = {x["round"]: x[key] for x in samples.get((job, peer), [])}
        rs = []
        for r in sorted(u):
            a, b = u[r], p.get(r)
            if a and b:
                rs.append(b / a if invert else a / b)
        return rs

    summary = {"config": cfg, "meta": meta, "host": hmeta, "idle_cores": idle,
               "results": {}}
    ratio, cratio = {}, {}
    for job in jobs:
        first = True
        for dev in devs:
            name = job if first else ""
            first = False
            s = samples.get((job, dev))
            if not s:
                why = meta.get(f"na.{job}@{dev}", "no result")
                print(f"{name:<21} {dev:<9} {'n/a':>6}  ({why})")
                summary["results"][f"{job}@{dev}"] = None
                continue
            m = {k: med([x[k] for x in s]) for k in ("iops", "bw", "p50", "p99", "cpu", "cores")}
            lo = min(x["iops"] for x in s)
            hi = max(x["iops"] for x in s)
            rel = crel = ""
            if dev != "uringblk":
                ri = round_ratios(job, dev, "iops", False)
                rc = round_ratios(job, dev, "cpu", True)
                if ri:
                    ratio[(job, dev)] = statistics.median(ri)
                    rel = f"{ratio[(job, dev)]:.2f}x"
                if rc:
                    cratio[(job, dev)] = statistics.median(rc)
                    crel = f"{cratio[(job, dev)]:.2f}x"
            cpu = (f"{m['cpu']:.0f}" if icount else f"{m['cpu']:.1f}") if m["cpu"] is not None else "-"
            cores = f"{m['cores']:.2f}" if m["cores"] is not None else "-"
            spread = f"{human(lo)}-{human(hi)}"
            print(f"{name:<21} {dev:<9} {human(m['iops']):>6} {spread:>12} "
                  f"{m['bw'] / 2**20:>7.1f} {m['p50']:>7.1f} {m['p99']:>8.0f} "
                  f"{cpu:>9} {cores:>5} {rel:>6} {crel:>6}")
            summary["results"][f"{job}@{dev}"] = {
                "median": m, "iops_min": lo, "iops_max": hi, "rounds": len(s),
                "ratio_iops": ratio.get((job, dev)),
                "ratio_cpu": cratio.get((job, dev)),
                "samples": s,
            }

    print()
    if icount:
        print("issue 31's rows: uringblk / peer per round (IOPS; CPU: the peer's instructions per")
        print("I/O over uringblk's, the same ratio under icount), median and min-max over the")
        print("rounds; >= 1.00x is uringblk ahead")
    else:
        print("issue 31's rows: uringblk / peer per round (IOPS; CPU: peer's CPU us/IO over")
        print("uringblk's), median and min-max over the rounds; >= 1.00x is uringblk ahead")
    print(f"{'job':<21} {'peer':<9} {'x IOPS':>6} {'min-max':>11} {'x CPU':>6} {'min-max':>11}  goal")
    rr = {}
    for job, peer, want in GOALS:
        ri = round_ratios(job, peer, "iops", False)
        rc = round_ratios(job, peer, "cpu", True)
        if not ri:
            print(f"{job:<21} {peer:<9} {'n/a':>6}")
            continue
        mi = statistics.median(ri)
        line = f"{job:<21} {peer:<9} {mi:>5.2f}x {min(ri):>5.2f}-{max(ri):<5.2f}"
        mc = statistics.median(rc) if rc else None
        if rc:
            line += f" {mc:>5.2f}x {min(rc):>5.2f}-{max(rc):<5.2f}"
        else:
            line += f" {'-':>6} {'':>11}"
        line += f"  >= {want:.1f}x: IOPS {'met' if mi >= want else 'MISSED'}"
        if mc is not None:
            line += f", CPU {'met' if mc >= want else 'MISSED'}"
        print(line)
        rr[(job, peer)] = {"iops": ri, "cpu": rc, "iops_median": mi, "cpu_median": mc}
    # The same for the queue_mode=bio and queue_mode=mq drives (BENCH_DEVICES
    # with bio, mq): uringblk is the default drive (queue_mode=auto).
    for mode in ("bio", "mq"):
        if mode not in devs:
            continue
        print()
        print(f"queue_mode={mode}: {mode} / peer per round, as above")
        print(f"{'job':<21} {'peer':<9} {'x IOPS':>6} {'min-max':>11} {'x CPU':>6} {'min-max':>11}")
        for job, peer, want in GOALS + [(j, "uringblk", 1.0) for j in ROWS]:
            ri = round_ratios(job, peer, "iops", False, mode)
            rc = round_ratios(job, peer, "cpu", True, mode)
            if not ri or not rc:
                continue
            print(f"{job:<21} {peer:<9} {statistics.median(ri):>5.2f}x "
                  f"{min(ri):>5.2f}-{max(ri):<5.2f} {statistics.median(rc):>5.2f}x "
                  f"{min(rc):>5.2f}-{max(rc):<5.2f}")
            rr[(job, peer, mode)] = {"iops": ri, "cpu": rc}
    # A/A controls (README, "A/A controls"): a second disk of the same code
    # measured as a peer.  Its ratio to the first would be 1.00x with a
    # perfect method; how far it is from 1 in this boot is the smallest
    # gap between two drives this boot resolves.
    controls = [(t, o) for t, o in AA_CONTROLS if t in devs and o in devs]
    aa = {}
    if controls:
        print()
        print("A/A controls: the same code twice (a second disk), per round as above; a perfect")
        print("method gives 1.00x, and the distance from 1 is what this boot cannot resolve")
        print(f"{'job':<21} {'pair':<16} {'x IOPS':>6} {'min-max':>11} {'x CPU':>6} {'min-max':>11}"
              "  rounds")
        for job in jobs:
            for twin, orig in controls:
                ri = round_ratios(job, orig, "iops", False, twin)
                rc = round_ratios(job, orig, "cpu", True, twin)
                if not ri:
                    continue
                mi = statistics.median(ri)
                mc = statistics.median(rc) if rc else None
                aa.setdefault(job, []).append(abs(mi - 1))
                line = (f"{job:<21} {twin + ' / ' + orig:<16} {mi:>5.2f}x "
                        f"{min(ri):>5.2f}-{max(ri):<5.2f}")
                if mc is not None:
                    line += f" {mc:>5.2f}x {min(rc):>5.2f}-{max(rc):<5.2f}"
                else:
                    line += f" {'-':>6} {'':>11}"
                below = sum(x < 1 for x in ri)
                line += f"  below 1 in {below} of {len(ri)}"
                print(line)
        print()
        print("uringblk / brd, resolved or not (IOPS): behind brd only if uringblk was behind in")
        print("so many rounds that chance alone gives p < 0.05 (sign test, one-sided) and the")
        print("median gap is wider than the A/A controls' distance from 1.00x; ahead likewise")
        for job in jobs:
            ri = round_ratios(job, "brd", "iops", False)
            if not ri or job not in aa:
                continue
            r, res = statistics.median(ri), max(aa[job])
            below = sum(x < 1 for x in ri)
            p = sign_test(below, len(ri))
            ahead = sum(x > 1 for x in ri)
            if r > 1 and sign_test(ahead, len(ri)) < 0.05 and r - 1 > res:
                verdict = "AHEAD of brd"
            elif r >= 1:
                verdict = "at or ahead of brd"
            elif p < 0.05 and 1 - r > res:
                verdict = "BEHIND brd"
            else:
                verdict = "not resolved"
            print(f"{job:<21} {r:>5.2f}x  behind in {below} of {len(ri)} rounds (p {p:.2f})"
                  f"  A/A +-{res:.2f}  {verdict}")
            summary.setdefault("aa", {})[job] = {"uringblk_brd": r, "resolution": res,
                                                 "rounds_behind": below, "p": p,
                                                 "verdict": verdict}
    q = samples.get(("randread-4k-qd1", "uringblk"))
    if q:
        lat = {d: med([1e6 / x["iops"] for x in samples.get(("randread-4k-qd1", d), []) if x["iops"]])
               for d in devs}
        if icount:
            print("QD1 instructions per I/O (median over rounds): " +
                  ", ".join(f"{d} {v * 1000 / 2 ** int(icount):.0f}" for d, v in lat.items() if v))
        else:
            print("QD1 latency (mean, 1/IOPS, median over rounds): " +
                  ", ".join(f"{d} {v:.1f} us" for d, v in lat.items() if v))
    if beside:
        print_beside(beside, jobs, devs, samples, round_ratios, summary)
    summary["goals"] = [
        {"job": j, "peer": p, "goal": w, "ratio_iops": ratio.get((j, p)),
         "ratio_cpu": cratio.get((j, p)),
         "round_ratios": rr.get((j, p))} for j, p, w in GOALS
    ]
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)

    if errors:
        print()
        for e in errors:
            print("ERROR:", e)
        sys.exit(1)


if __name__ == "__main__":
    main()
