# SPDX-License-Identifier: GPL-2.0
"""Documentation/uapi/python.md's session runs as shown (doctest), on the
drive as README's tour leaves it: its 1 MiB of text, counters zeroed; and
so does the learning path's Python session (lesson 5, with its solution)."""

import doctest
import os

import pytest

import uringblk
from test_tour import TEXT, write_direct
from vmutil import TOP


def test_python_md_session():
    pytest.importorskip("numpy", reason="the session shows numpy arrays: needs python3-numpy "
                        "(tools/deps.sh installs it)")
    with uringblk.Drive("/dev/uringblk0") as d:
        for p in d.programs():
            if p.type != "device":
                d.unload(p.id)
        write_direct("/dev/uringblk0", TEXT)
        d.stats(reset=True)
    cwd = os.getcwd()
    os.chdir(TOP)
    try:
        res = doctest.testfile(os.path.join(TOP, "Documentation", "uapi", "python.md"),
                               module_relative=False, verbose=False,
                               optionflags=doctest.ELLIPSIS)
    finally:
        os.chdir(cwd)
    assert res.attempted >= 7
    assert res.failed == 0


def test_lesson5_python_session():
    obj = os.path.join(TOP, "out", "learn", "05-slm-and-range-sets", "solution.bpf.o")
    if not os.path.exists(obj):
        pytest.skip("the lessons are not built (make learn)")
    cwd = os.getcwd()
    os.chdir(TOP)
    try:
        res = doctest.testfile(os.path.join(TOP, "docs", "learn", "05-slm-and-range-sets.md"),
                               module_relative=False, verbose=False)
    finally:
        os.chdir(cwd)
    assert res.attempted >= 8
    assert res.failed == 0
