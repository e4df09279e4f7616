# SPDX-License-Identifier: GPL-2.0
"""What the drive tests share: the tree and the CLI."""

import os
import subprocess

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
CLI = os.environ.get("URINGBLK_CLI", os.path.join(TOP, "out", "bin", "uringblk"))


def cli(*args, check=True):
    return subprocess.run([CLI, *args], capture_output=True, text=True, check=check)
