# SPDX-License-Identifier: GPL-2.0
"""A drive's latency histograms drawn: `uringblk stats --latency --json`
piped into `python3 -m uringblk.plot latency`, after reads counted here;
the picture's read line must end at all of them."""

import json
import mmap
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import uringblk
import uringblk.plot
from vmutil import cli

NS = "{http://www.w3.org/2000/svg}"
READS = 64
ENABLE = "/sys/block/uringblk0/uringblk/latency_enable"


def test_latency_plot_of_the_drive(tmp_path):
    with open(ENABLE) as f:
        was = f.read().strip()
    with open(ENABLE, "w") as f:     # off by default (module parameter latency)
        f.write("1")
    try:
        plot_the_drive(tmp_path)
    finally:
        with open(ENABLE, "w") as f:
            f.write(was)


def plot_the_drive(tmp_path):
    cli("stats", "/dev/uringblk0", "--reset")
    buf = mmap.mmap(-1, 4096)
    fd = os.open("/dev/uringblk0", os.O_RDONLY | os.O_DIRECT)
    try:
        for i in range(READS):
            assert os.preadv(fd, [buf], i * 4096) == 4096
    finally:
        os.close(fd)
        buf.close()
    js = cli("stats", "/dev/uringblk0", "--latency", "--json").stdout
    n = json.loads(js)["ops"]["read"]["count"]
    assert n >= READS   # the kernel may read ahead of us, never less
    env = dict(os.environ,
               PYTHONPATH=os.path.dirname(os.path.dirname(os.path.abspath(uringblk.__file__))))
    # the read series ends at all of them
    series = dict(uringblk.plot.latency_series(json.loads(js)))
    assert series[f"read ({n})"][-1][1] == 1.0
    # with matplotlib (where installed): PNG and SVG
    try:
        import matplotlib  # noqa: F401
        for name in ("lat.png", "lat.svg"):
            r = subprocess.run([sys.executable, "-m", "uringblk.plot", "latency", "-o",
                                str(tmp_path / name)], input=js, env=env, capture_output=True,
                               text=True)
            assert r.returncode == 0, r.stderr
        assert (tmp_path / "lat.png").read_bytes()[:4] == b"\x89PNG"
        assert f">read ({n})<" in (tmp_path / "lat.svg").read_text()
    except ImportError:
        pass
    # without it: the SVG drawn by hand, read back
    out = tmp_path / "hand.svg"
    r = subprocess.run([sys.executable, "-c", "import runpy, sys; sys.modules['matplotlib'] = "
                        "None; sys.argv[0] = 'uringblk.plot'; "
                        "runpy.run_module('uringblk.plot', run_name='__main__')",
                        "latency", "-o", str(out)],
                       input=js, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    root = ET.fromstring(out.read_text())
    lines = {pl.find(NS + "title").text: pl.get("points").split()
             for pl in root.iter(NS + "polyline") if pl.get("class") == "series"}
    assert f"read ({n})" in lines
    # the last point of the CDF is at the top of the plot area: every read
    top = min(float(t.find(NS + "line").get("y1")) for t in root.iter(NS + "g")
              if t.get("class") == "ytick")
    assert float(lines[f"read ({n})"][-1].split(",")[1]) == top
