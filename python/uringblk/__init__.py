# SPDX-License-Identifier: (GPL-2.0 OR MIT)
"""uringblk: the computational storage drive from Python.

Bindings over liburingblk (ctypes; nothing of it is rewritten here):

    import uringblk
    with uringblk.Drive("/dev/uringblk0") as d:
        print(d.identify()["model"])
        pid = d.load("out/bpf/count_pattern.bpf.o")
        print(d.exec(pid, lba=0, count=2048, args=uringblk.pattern_args("Alpha")).r0)
        print(d.stats()["prog_bytes_scanned"])

        # the standard's model: blocks -> the drive's memory -> Execute
        d.load("out/bpf/count_pattern.bpf.o", pind=5)
        d.activate(5)
        d.mem_copy(0, [(0, 2048)])
        with d.range_set_create([(0, 1 << 20)]) as rs:
            print(d.execute(5, rs, args=uringblk.pattern_args("Alpha")).r0)

    q = uringblk.Query("SELECT count(*), sum($2:dec2) WHERE $1 = 'a'")
    print(q.run_host(b"a,1.50\\nb,2\\na,0.25\\n").rows)   # [(2, Decimal('1.75'))]

Documentation/uapi/python.md is the reference.  The library is found in
the build tree (out/lib), then where `make install` put it, or at
$URINGBLK_LIB.
"""

from __future__ import annotations

from ._lib import library as _library
from ._version import __version__
from .drive import Drive, ExecError, ExecResult, Program, pattern_args
from .errors import UringblkError
from .model import CopyRange, RangeSet
from .query import Column, Query, Result
from .zones import Zone

__all__ = ["Drive", "ExecError", "ExecResult", "Program", "pattern_args", "UringblkError",
           "CopyRange", "RangeSet", "Zone", "Column", "Query", "Result", "library_path",
           "__version__"]


def __getattr__(name: str) -> str:
    # library_path: the path liburingblk is loaded from, which loads it
    # (the package itself loads it only at its first call)
    if name == "library_path":
        return _library()[1]
    raise AttributeError(f"module 'uringblk' has no attribute {name!r}")
