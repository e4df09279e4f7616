# SPDX-License-Identifier: GPL-2.0
"""Fixtures of the drive tests: run in the test VM by
selftests/uringblk/python.sh, with the module loaded (drive 0, the
default bio-based memory drive) and root."""

import os
import time

import pytest

from vmutil import cli


@pytest.fixture
def runtime_drive():
    """make(name, *create options) -> index: drives made with `uringblk
    create`, removed after the test."""
    made = []

    def make(name, *opts):
        out = cli("create", name, *opts).stdout.split()
        made.append(name)
        idx = int(out[1].removeprefix("/dev/uringblk"))
        for _ in range(100):
            if os.path.exists(f"/dev/uringblkc{idx}"):
                break
            time.sleep(0.05)
        return idx

    yield make
    for name in made:
        cli("remove", name, check=False)
