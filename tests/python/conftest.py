# SPDX-License-Identifier: GPL-2.0
"""pytest set-up for the Python bindings' tests (tests/python).

The package is imported from the build tree (python/), with the build
tree's liburingblk (out/lib) unless $URINGBLK_LIB says otherwise; an
installed package is tested with URINGBLK_PYTHON_INSTALLED=1 (the build
tree is then not put on sys.path).  The run ends with the kselftest
totals line ("# Totals: pass:N fail:N ... skip:N error:N") that make
check and selftests/run_in_vm.sh count, a test case per pytest test.
"""

import os
import sys

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
if not os.environ.get("URINGBLK_PYTHON_INSTALLED"):
    sys.path.insert(0, os.path.join(TOP, "python"))

# The drive tests need the test VM: selftests/uringblk/python.sh runs them.
collect_ignore = [] if os.environ.get("URINGBLK_PYTEST_VM") else ["vm"]

_counts = {"passed": 0, "failed": 0, "skipped": 0, "error": 0}


def pytest_runtest_logreport(report):
    if report.when == "call" or report.outcome != "passed":
        if report.outcome == "passed":
            _counts["passed"] += 1
        elif report.outcome == "skipped":
            _counts["skipped"] += 1
        elif report.when == "call":
            _counts["failed"] += 1
        else:
            _counts["error"] += 1


def pytest_terminal_summary(terminalreporter):
    c = _counts
    terminalreporter.write_line(
        f"# Totals: pass:{c['passed']} fail:{c['failed']} xfail:0 xpass:0 "
        f"skip:{c['skipped']} error:{c['error']}")
