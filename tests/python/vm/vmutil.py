# SPDX-License-Identifier: GPL-2.0
"""What the drive tests share: the tree, the CLI, a file system."""

import contextlib
import os
import subprocess
import tempfile

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
CLI = os.environ.get("URINGBLK_CLI", os.path.join(TOP, "out", "bin", "uringblk"))


def cli(*args, check=True):
    return subprocess.run([CLI, *args], capture_output=True, text=True, check=check)


@contextlib.contextmanager
def ext4_on(dev):
    """A new ext4 on @dev, mounted on a temporary directory for the block:
    yields the mount point, unmounted after."""
    subprocess.run(["mkfs.ext4", "-q", "-F", dev], check=True)
    with tempfile.TemporaryDirectory() as mnt:
        subprocess.run(["mount", dev, mnt], check=True)
        try:
            yield mnt
        finally:
            subprocess.run(["umount", mnt], check=True)
