# SPDX-License-Identifier: GPL-2.0
"""Last (files run in name order): nothing the tests did left a kernel
warning, BUG or oops."""

import re
import subprocess

BAD = re.compile(r"WARNING:|BUG:|Oops|general protection|Call Trace")


def test_kernel_log_clean():
    log = subprocess.run(["dmesg"], capture_output=True, text=True, check=True).stdout
    start = int(open("/tmp/ub-python-dmesg-start").read())
    bad = [l for l in log.splitlines()[start:] if BAD.search(l)]
    assert not bad, "\n".join(bad[:20])
