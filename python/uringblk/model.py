# SPDX-License-Identifier: (GPL-2.0 OR MIT)
"""The standard's model (NVMe TP4091 Computational Programs, TP4131
Subsystem Local Memory) as liburingblk exposes it: programs in slots,
the drive's memory (SLM), memory range sets and Execute Program over a
set.  "The computational storage model" in <linux/uringblk.h> and
Documentation/uapi/standard-model.md describe the model; the methods here
are Drive's (the class mixes this one in)."""

from __future__ import annotations

import contextlib
import ctypes
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, Union

from . import _buf, _lib
from ._lib import lib

if TYPE_CHECKING:
    from .drive import ExecResult, Program

_PathLike = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]


class CopyRange(NamedTuple):
    """A source range of mem_copy(): @nlb blocks from LBA @slba, or with
    @zero=True (and slba 0) @nlb blocks of zeroes (a file's hole)."""
    slba: int
    nlb: int
    zero: bool = False


class RangeSet:
    """A memory range set on the drive (Memory Range Set Management).

    Attributes:
        rsid: the set's id (> 0); int(rs) and passing rs where an id is
            wanted are the same.
        ranges: the (slm_off, len) ranges, in the order the program sees
            them end to end.
        length: their bytes summed: what a program run over the set sees
            as ctx->mem_len.

    A context manager: the set is deleted when the block ends (delete()
    does it earlier; its memory keeps its contents).
    """

    def __init__(self, drive: ModelMixin, rsid: int, ranges: list[tuple[int, int]]):
        self._drive = drive
        self.rsid = rsid
        self.ranges = ranges
        self.length = sum(n for _, n in ranges)
        self.deleted = False

    def __index__(self) -> int:
        return self.rsid

    __int__ = __index__

    def delete(self) -> None:
        """Delete the set (its memory keeps its contents); a second call does nothing."""
        if not self.deleted:
            self._drive.range_set_delete(self.rsid)
            self.deleted = True

    def __enter__(self) -> RangeSet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.delete()

    def __repr__(self) -> str:
        return f"<uringblk.RangeSet {self.rsid}: {len(self.ranges)} ranges, {self.length} bytes>"


def copy_ranges(ranges: Iterable[CopyRange | tuple[int, int]]) -> ctypes.Array[_lib.CopyRange]:
    """struct uringblk_copy_range[] from CopyRange or (slba, nlb) tuples."""
    out = []
    for i, r in enumerate(ranges):
        if isinstance(r, CopyRange):
            slba, nlb, zero = r
        elif isinstance(r, tuple) and len(r) == 2:
            (slba, nlb), zero = r, False
        else:
            raise TypeError(f"range {i}: a CopyRange or an (slba, nlb) tuple, not {r!r}")
        nlb = _buf.u32(nlb, f"range {i}: nlb")
        if not nlb:
            raise ValueError(f"range {i}: nlb is 0")
        slba = _buf.u64(slba, f"range {i}: slba")
        if zero and slba:
            raise ValueError(f"range {i}: a zero range has slba 0, not {slba}")
        out.append(_lib.CopyRange(slba, nlb, _lib.COPY_F_ZERO if zero else 0))
    if not out:
        raise ValueError("no ranges")
    return (_lib.CopyRange * len(out))(*out)


def mem_ranges(ranges: Iterable[tuple[int, int]]) -> ctypes.Array[_lib.MemRange]:
    """struct uringblk_mem_range[] from (slm_off, len) tuples."""
    out = []
    for i, r in enumerate(ranges):
        if not isinstance(r, tuple) or len(r) != 2:
            raise TypeError(f"range {i}: an (slm_off, len) tuple, not {r!r}")
        off, n = _buf.u64(r[0], f"range {i}: slm_off"), _buf.u64(r[1], f"range {i}: len")
        if not n:
            raise ValueError(f"range {i}: len is 0")
        out.append(_lib.MemRange(off, n))
    if not out:
        raise ValueError("no ranges")
    return (_lib.MemRange * len(out))(*out)


def insns(code: Any) -> tuple[int, int, object]:
    """(address, instruction count, owner) of eBPF instructions given as
    bytes or a buffer of 8-byte slots (numpy uint64 included)."""
    addr, n, owner = _buf.data_in(code, "code")
    if not n or n % 8:
        raise ValueError(f"code: a non-zero multiple of 8 bytes (eBPF instructions), not {n}")
    return addr, n // 8, owner


class ModelMixin:
    """Drive's methods for the standard's model (see the module's text)."""

    _max_xfer: int = 0

    if TYPE_CHECKING:          # Drive's
        def _h(self) -> Any: ...
        def _check(self, ret: int, what: str, log: bytes | None = None) -> int: ...
        @staticmethod
        def _program(p: Any) -> Program: ...
        @staticmethod
        def _out(out: Any, out_len: int) -> tuple[int | None, int, Any]: ...
        def _run_result(self, ret: int, what: str, res: Any, out: Any) -> ExecResult: ...
        def _mapped(self, path: _PathLike | None,
                    msg: Any) -> contextlib.AbstractContextManager[Any]: ...

    # -- program slots ----------------------------------------------------
    def load_insns(self, code: Any, name: str | None = None, pind: int = 0) -> int:
        """Load eBPF instructions (bytes, or a buffer of 8-byte slots, as
        the drive runs them: bpf-to-bpf calls resolved) for the drive's
        interpreter, into slot @pind (0: the lowest free one), named
        @name.  Returns the program id; the program is loaded inactive.
        A refusal raises with the validator's reason ("... at insn N")."""
        addr, cnt, owner = insns(code)
        pind = _buf.u32(pind, "pind")
        log = ctypes.create_string_buffer(4096)
        a = _lib.ProgLoadArgs(size=ctypes.sizeof(_lib.ProgLoadArgs), from_=_lib.PROG_FROM_INSNS,
                              pind=pind, insn_cnt=cnt, insns=addr,
                              name=_buf.text(name, "name", none=True),
                              log=ctypes.cast(log, ctypes.c_char_p), log_len=len(log))
        ret = lib.uringblk_prog_load_args(self._h(), ctypes.byref(a))
        del owner
        return self._check(ret, f"load {cnt} instructions", log.value)

    def find(self, name: str) -> Program:
        """The first program (in id order) named @name, a Program;
        UringblkError ENOENT if there is none."""
        info = _lib.ProgInfo()
        self._check(lib.uringblk_prog_find(self._h(), _buf.text(name, "name"), ctypes.byref(info)),
                    f"find program {name!r}")
        return self._program(info)

    # -- subsystem local memory --------------------------------------------
    def _xfer(self) -> int:
        if not getattr(self, "_max_xfer", 0):
            idf = _lib.Identify()
            self._check(lib.uringblk_identify(self._h(), ctypes.byref(idf)), "identify")
            self._max_xfer = idf.max_mem_xfer or (1 << 20)
        return self._max_xfer

    def mem_read(self, slm_off: int, length: int | None = None, out: Any = None) -> Any:
        """Read the drive's memory (Memory Read) from byte @slm_off.

        Either @length bytes, returned as bytes, or as many as @out holds
        (a writable C-contiguous buffer: bytearray, numpy array...),
        written into it in place and @out returned.  Transfers above
        identify's max_mem_xfer are issued in pieces of it; a failing
        piece raises (the pieces before it are in @out)."""
        off = _buf.u64(slm_off, "slm_off")
        if out is None:
            if length is None:
                raise TypeError("mem_read: give length or out")
            n = _buf.u64(length, "length")
            if not n:
                raise ValueError("length is 0")
            buf = ctypes.create_string_buffer(n)
            self._mem_rw(lib.uringblk_mem_read, off, ctypes.addressof(buf), n, "read")
            return buf.raw
        addr, n, _ = _buf.data_out(out, "out")
        if length is not None and length != n:
            raise ValueError(f"length {length} is not out's {n} bytes")
        if not n:
            raise ValueError("out holds no bytes")
        self._mem_rw(lib.uringblk_mem_read, off, addr, n, "read")
        return out

    def mem_read_array(self, slm_off: int, dtype: Any, count: int) -> Any:
        """@count items of numpy @dtype from the drive's memory at @slm_off,
        read straight into a new array (no copy on the host)."""
        np = _buf.numpy()
        arr = np.empty(_buf.u64(count, "count"), dtype=dtype)
        return self.mem_read(slm_off, out=arr)

    def mem_write(self, slm_off: int, data: Any) -> int:
        """Write @data (bytes, str as UTF-8, or any C-contiguous buffer:
        a numpy array is written from its own memory) into the drive's
        memory at byte @slm_off (Memory Write), in pieces of identify's
        max_mem_xfer.  Returns the bytes written."""
        off = _buf.u64(slm_off, "slm_off")
        addr, n, owner = _buf.data_in(data, "data")
        if not n:
            raise ValueError("data is empty")
        self._mem_rw(lib.uringblk_mem_write, off, addr, n, "write")
        del owner
        return n

    def _mem_rw(self, call: Callable[..., int], off: int, addr: int, n: int,
                what: str) -> None:
        step = self._xfer()
        done = 0
        while done < n:
            k = min(step, n - done)
            self._check(call(self._h(), off + done, addr + done, k),
                        f"mem {what} {k} bytes at {off + done}")
            done += k

    def mem_copy(self, slm_off: int, ranges: Iterable[CopyRange | tuple[int, int]]) -> int:
        """Memory Copy: blocks of the drive into its memory, end to end
        from byte @slm_off; the data never cross to the host.  @ranges:
        CopyRange or (slba, nlb) tuples (at most identify's
        max_set_ranges).  Returns the bytes copied."""
        off = _buf.u64(slm_off, "slm_off")
        r = copy_ranges(ranges)
        return self._check(lib.uringblk_mem_copy(self._h(), off, r, len(r)),
                           f"mem copy of {len(r)} ranges to {off}")

    # -- memory range sets ---------------------------------------------------
    def range_set_create(self, ranges: Iterable[tuple[int, int]]) -> RangeSet:
        """Memory Range Set Management, create: a set of (slm_off, len)
        ranges of the drive's memory, each at and of a multiple of
        identify's slm_granularity.  Returns a RangeSet (a context
        manager that deletes it)."""
        r = mem_ranges(ranges)
        rsid = self._check(lib.uringblk_range_set_create(self._h(), r, len(r)),
                           f"create a range set of {len(r)} ranges")
        return RangeSet(self, rsid, [(x.slm_off, x.len) for x in r])

    def range_set_delete(self, rsid: int | RangeSet) -> None:
        """Delete a memory range set (by id or RangeSet)."""
        rsid = _buf.u32(rsid, "rsid")
        self._check(lib.uringblk_range_set_delete(self._h(), rsid), f"delete range set {rsid}")

    # -- Execute Program ------------------------------------------------------
    def _execute_args(self, pind: int, rsid: int | RangeSet, args: Sequence[int], budget: int,
                      data_len: int) -> _lib.ExecuteArgs:
        args = [_buf.arg64(v, f"args[{i}]") for i, v in enumerate(args)]
        if len(args) > 3:
            raise ValueError("a run takes at most 3 args")
        args += [0] * (3 - len(args))
        a = _lib.ExecuteArgs(_buf.u32(pind, "pind"), _buf.u32(rsid, "rsid"),
                             _buf.u64(budget, "budget"), (ctypes.c_uint64 * 2)(*args[:2]),
                             args[2], _buf.u64(data_len, "data_len"))
        return a

    def execute(self, pind: int, rsid: int | RangeSet, args: Sequence[int] = (),
                budget: int = 0, out_len: int = 0, out: Any = None,
                data_len: int = 0) -> ExecResult:
        """Execute Program: the active program in slot @pind over memory
        range set @rsid (an id or a RangeSet), which it sees as ctx->mem
        and as its data (uringblk_count_pattern() and the other helpers
        read it).  @args: up to 3 u64, the standard's two parameters
        (ctx->args[0..1]) and uringblk's third; @data_len: 0 for the
        whole set, else its first @data_len bytes.  Output as for exec():
        @out_len bytes offered, or @out filled in place.  Returns an
        ExecResult; a run that stops early raises ExecError."""
        a = self._execute_args(pind, rsid, args, budget, data_len)
        res = _lib.ExecResult()
        addr, n, view = self._out(out, out_len)
        ret = lib.uringblk_execute(self._h(), ctypes.byref(a), ctypes.byref(res), addr, n)
        return self._run_result(ret, f"execute slot {a.pind} over set {a.rsid}", res, view)

    def execute_file(self, pind: int, path: _PathLike, slm_off: int = 0,
                     args: Sequence[int] = (), budget: int = 0, out_len: int = 0,
                     out: Any = None) -> ExecResult:
        """The standard's flow over a file on this drive's file system:
        Memory Copy of its blocks into the drive's memory from @slm_off
        (overwritten), a range set over them, Execute Program of slot
        @pind seeing the file's bytes, the set deleted, then a check that
        the file did not change (ESTALE if it did)."""
        msg = ctypes.create_string_buffer(512)
        a = self._execute_args(pind, 0, args, budget, 0)
        off = _buf.u64(slm_off, "slm_off")
        addr, n, view = self._out(out, out_len)
        what = f"execute slot {a.pind} over {os.fsdecode(path)}"
        with self._mapped(path, msg) as fmap:
            fa = _lib.FileExecuteArgs(ctypes.sizeof(_lib.FileExecuteArgs), 0,
                                      ctypes.pointer(fmap), off, ctypes.pointer(a), addr, n,
                                      ctypes.cast(msg, ctypes.c_char_p), len(msg))
            res = _lib.ExecResult()
            ret = lib.uringblk_file_execute_args(self._h(), ctypes.byref(fa), ctypes.byref(res))
            if ret < 0 and msg.value and not res.abort_code:
                self._check(ret, what, msg.value)
            return self._run_result(ret, what, res, view)
