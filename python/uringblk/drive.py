# SPDX-License-Identifier: (GPL-2.0 OR MIT)
"""A drive: its command device through liburingblk."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple, Union

from . import _buf, _lib
from ._lib import lib, libc
from .errors import UringblkError, check
from .model import ModelMixin
from .query import Query, Result
from .zones import ZoneMixin

_PathLike = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]

PROG_TYPES = {0x00: "device", 0xC0: "ebpf", 0xC1: "kbpf"}
KV_MUST_EXIST = 1
KV_MUST_NOT_EXIST = 2
COUNT_PATTERN_MAX = 16


def pattern_args(pattern: str | bytes) -> list[int]:
    """args[0..2] of count_pattern and grep (bpf/count_pattern.h): the
    pattern's bytes in args[0..1] as they lie in memory, its length in
    args[2]; 1..16 bytes."""
    if isinstance(pattern, str):
        pattern = pattern.encode()
    if not 1 <= len(pattern) <= COUNT_PATTERN_MAX:
        raise ValueError(f"a pattern is 1..{COUNT_PATTERN_MAX} bytes, not {len(pattern)}")
    raw = pattern.ljust(COUNT_PATTERN_MAX, b"\0")
    return [int.from_bytes(raw[:8], "little"), int.from_bytes(raw[8:], "little"), len(pattern)]


class Program(NamedTuple):
    """A loaded program, as PROG_LIST reports it."""
    id: int
    pind: int
    name: str
    type: str           # "ebpf" (the interpreter), "kbpf" (kernel BPF) or "device"
    insn_cnt: int
    runs: int
    active: bool
    globals_len: int
    bpf_id: int


class ExecResult(NamedTuple):
    """How a run went: the program's r0, what it cost and its output
    (bytes; a memoryview of the bytes written into the caller's buffer
    when the run was given one with out=)."""
    r0: int
    insns: int
    bytes_scanned: int
    output: bytes | memoryview

    def array(self, dtype: Any = "u1") -> Any:
        """The output as a numpy array of @dtype (e.g. "<u8" for
        little-endian u64 counts), a view over the output's memory: no
        copy.  Needs numpy; ValueError if the output's length is not a
        multiple of the item size."""
        np = _buf.numpy()
        dt = np.dtype(dtype)
        if len(self.output) % dt.itemsize:
            raise ValueError(f"{len(self.output)} bytes of output are not whole {dt} items "
                             f"of {dt.itemsize} bytes")
        return np.frombuffer(self.output, dtype=dt)


class ExecError(UringblkError):
    """A run that started and stopped early: ``result`` holds what it did
    (insns, bytes scanned, the output so far) and ``abort`` names why
    ("budget", "bounds", ...: uringblk_prog_abort_name())."""

    def __init__(self, err: int, message: str, status: int, result: ExecResult,
                 abort: str) -> None:
        super().__init__(err, message, status)
        self.result = result
        self.abort = abort


def _bytes(b: str | bytes, what: str) -> bytes:
    if isinstance(b, str):
        return b.encode()
    if isinstance(b, (bytes, bytearray, memoryview)):
        return bytes(b)
    raise TypeError(f"{what}: str or bytes, not {type(b).__name__}")


# "N", "uringblkN", "uringblkcN", "uringblkcNn2", under /dev/ or not: a
# name the library reads as drive N (uringblk_parse_dev())
_NODE = re.compile(rb"^(?:/dev/)?(?:uringblkc?)?(0|[1-9][0-9]*)(?:n[23])?$")


def _open_error(path: bytes, err: int) -> str:
    """Why uringblk_open(@path) failed with @err, the one cause: the
    library's text for an errno lists every command's causes."""
    m = _NODE.match(path)
    if err == errno.ENOENT:
        if m and not os.path.exists(path):
            n = m.group(1).decode()
            return (f"no drive {n}: /dev/uringblkc{n} does not exist "
                    f"(is the uringblk module loaded?)")
        return os.strerror(err)
    if err == errno.ENODEV:
        return ("not a uringblk drive" if not m else
                f"{os.fsdecode(path)} is not a uringblk drive's node")
    if err == errno.EINVAL and not m:
        return "not a uringblk drive's node or name (/dev/uringblkN, uringblkcN or N)"
    if err == errno.EACCES:
        return "permission denied (the command device needs root)"
    return os.strerror(err)


def _key(k: str | bytes, what: str = "key") -> bytes:
    return _buf.key(k, what, _lib.KV_MAX_KEY)


def _query(q: Query | str, what: str) -> Query:
    if isinstance(q, Query):
        return q
    if isinstance(q, str):
        return Query(q)
    raise TypeError(f"{what}: a uringblk.Query or a query's text, not {type(q).__name__}")


class Drive(ModelMixin, ZoneMixin):
    """An open drive: Drive("/dev/uringblk0") (or "uringblkc0", "0", a
    namespace node...).  A context manager; close() releases it, and
    every call on a closed drive raises ValueError.  Calls raise
    UringblkError (an OSError carrying errno, the drive's NVMe status and
    the library's message)."""

    def __init__(self, path: _PathLike) -> None:
        self._dev = ctypes.c_void_p()
        raw = _buf.path(path, "path")
        ret = lib.uringblk_open(raw, ctypes.byref(self._dev))
        if ret < 0:
            raise UringblkError(ret, f"open {os.fsdecode(raw)}: {_open_error(raw, -ret)}")

    # -- the handle -------------------------------------------------------
    def _h(self) -> ctypes.c_void_p:
        if not self._dev:
            raise ValueError("uringblk.Drive: closed")
        return self._dev

    def _check(self, ret: int, what: str, log: bytes | None = None) -> int:
        return check(ret, what, self._dev, log)

    def close(self) -> None:
        if self._dev:
            lib.uringblk_close(self._dev)
            self._dev = ctypes.c_void_p()

    def __enter__(self) -> Drive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        if getattr(self, "_dev", None):
            self.close()

    @property
    def index(self) -> int:
        """N of /dev/uringblkN."""
        return int(lib.uringblk_index(self._h()))

    @property
    def blk_path(self) -> str:
        return str(lib.uringblk_blk_path(self._h()).decode())

    @property
    def chr_path(self) -> str:
        return str(lib.uringblk_chr_path(self._h()).decode())

    # -- identify, counters -----------------------------------------------
    def identify(self) -> dict[str, Any]:
        """IDENTIFY: every field of struct uringblk_identify by name
        (model and firmware_rev as str), plus "feature_names", the
        URINGBLK_F_* bits set, by the library's names."""
        idf = _lib.Identify()
        self._check(lib.uringblk_identify(self._h(), ctypes.byref(idf)), "identify")
        out: dict[str, Any] = {}
        for name, _ in _lib.Identify._fields_:
            if name.startswith("rsvd"):
                continue
            v = getattr(idf, name)
            out[name] = v.decode(errors="replace") if isinstance(v, bytes) else v
        out["feature_names"] = [lib.uringblk_feature_name(b).decode() for b in range(64)
                                if idf.features >> b & 1 and lib.uringblk_feature_name(b)]
        return out

    def stats(self, reset: bool = False) -> dict[str, int]:
        """The counters (GET_STATS), by the names `uringblk stats` prints;
        @reset also zeroes them (the values returned are from before)."""
        buf = ctypes.create_string_buffer(_lib.STATS_BYTES)
        self._check(lib.uringblk_get_stats(self._h(), buf, 1 if reset else 0), "get stats")
        out: dict[str, int] = {}
        i = 0
        while True:
            name = lib.uringblk_stats_field_name(i)
            if not name:
                return out
            out[name.decode()] = lib.uringblk_stats_field(buf, i)
            i += 1

    # -- programs ---------------------------------------------------------
    def load(self, obj: _PathLike, function: str | None = None, engine: str = "interp",
             name: str | None = None, pind: int = 0) -> int:
        """Load the program @function (None: the object's only one) of the
        clang-built object @obj, into the drive's interpreter
        (engine="interp") or through the kernel's verifier and JIT
        (engine="kernel": a SEC("syscall") object, needs CAP_BPF and
        CAP_SYS_ADMIN).  @name: the name listed (None: the function's);
        @pind: the slot, 1..64 (0: the lowest free one).  Returns the
        program id; the program is loaded inactive (activate(pind)).  A
        refusal raises with the validator's or the kernel's reason in the
        message."""
        types = {"interp": _lib.PROG_TYPE_EBPF, "kernel": _lib.PROG_TYPE_KBPF}
        if engine not in types:
            raise ValueError(f"engine: 'interp' or 'kernel', not {engine!r}")
        raw = _buf.path(obj, "obj")
        log = ctypes.create_string_buffer(4096)
        a = _lib.ProgLoadArgs(size=ctypes.sizeof(_lib.ProgLoadArgs), from_=_lib.PROG_FROM_FILE,
                              type=types[engine], pind=_buf.u32(pind, "pind"),
                              path=raw,
                              prog_name=_buf.text(function, "function", none=True) or None,
                              name=_buf.text(name, "name", none=True),
                              log=ctypes.cast(log, ctypes.c_char_p), log_len=len(log))
        ret = lib.uringblk_prog_load_args(self._h(), ctypes.byref(a))
        what = f"load {os.fsdecode(raw)}"
        if ret < 0 and not log.value:
            # the object could not be read (the library's text for its
            # errno would list the drive's causes too): say why alone
            try:
                with open(raw, "rb"):
                    pass
            except OSError as e:
                raise UringblkError(e.errno or -ret, f"{what}: {e.strerror}") from None
        return self._check(ret, what, log.value)

    def unload(self, prog_id: int) -> None:
        """Unload program @prog_id (it must be inactive)."""
        prog_id = _buf.u32(prog_id, "prog_id")
        self._check(lib.uringblk_prog_unload(self._h(), prog_id), f"unload {prog_id}")

    def programs(self) -> list[Program]:
        """The loaded programs, device-defined ones included, in id order."""
        arr = (_lib.ProgInfo * (_lib.MAX_PROGS * 8))()
        n = self._check(lib.uringblk_prog_list(self._h(), arr, len(arr)), "list programs")
        return [self._program(p) for p in arr[:n]]

    @staticmethod
    def _program(p: Any) -> Program:
        return Program(p.id, p.pind, p.name.decode(errors="replace"),
                       PROG_TYPES.get(p.type, hex(p.type)), p.insn_cnt, p.runs,
                       bool(p.flags & 1), p.globals_len, p.bpf_id)

    def activate(self, pind: int, active: bool = True) -> None:
        """Program Activation Management: (de)activate the program in slot @pind."""
        pind = _buf.u32(pind, "pind")
        self._check(lib.uringblk_prog_activate(self._h(), pind, int(bool(active))),
                    f"{'activate' if active else 'deactivate'} slot {pind}")

    # -- running ----------------------------------------------------------
    @staticmethod
    def _out(out: Any, out_len: int) -> tuple[int | None, int, Any]:
        """(address, bytes, byte view) of a run's output space: @out_len
        bytes of a new buffer, or the caller's writable buffer @out."""
        if out is None:
            n = _buf.u64(out_len, "out_len")
            if n > _lib.MAX_EXEC_OUT:
                raise ValueError(f"out_len: {n} is above {_lib.MAX_EXEC_OUT} (1 MiB)")
            if not n:
                return None, 0, None
            buf = ctypes.create_string_buffer(n)
            return ctypes.addressof(buf), n, buf
        if out_len:
            raise ValueError("give out_len or out, not both")
        addr, n, view = _buf.data_out(out, "out")
        return addr or None, min(n, _lib.MAX_EXEC_OUT), view

    def _run_result(self, ret: int, what: str, res: Any, out: Any) -> ExecResult:
        n = min(res.out_len, len(out)) if out is not None else 0
        data: bytes | memoryview
        if isinstance(out, memoryview):
            data = out[:n]              # the caller's buffer, in place
        else:
            data = ctypes.string_at(out, n) if n else b""
        r = ExecResult(res.r0, res.insns, res.bytes_scanned, data)
        if ret < 0:
            status = lib.uringblk_last_status(self._dev)
            text = lib.uringblk_dev_strerror(self._dev, ret).decode(errors="replace")
            if res.abort_code:
                abort = lib.uringblk_prog_abort_name(res.abort_code)
                abort = abort.decode() if abort else str(res.abort_code)
                raise ExecError(ret, f"{what}: {text} (stopped: {abort} at insn "
                                f"{res.abort_pc})", status, r, abort)
            raise UringblkError(ret, f"{what}: {text}", status)
        return r

    def _exec_args(self, prog: int, args: Sequence[int], budget: int, flags: int = 0,
                   lba: int = 0, count: int = 0) -> _lib.ExecArgs:
        a = _lib.ExecArgs(_buf.u32(prog, "prog"), flags, _buf.u64(lba, "lba"),
                          _buf.u64(count, "count"), _buf.u64(budget, "budget"))
        if isinstance(args, (str, bytes)) or not hasattr(args, "__iter__"):
            raise TypeError(f"args: a sequence of up to 3 ints, not {type(args).__name__}")
        vals = list(args)
        if len(vals) > 3:
            raise ValueError(f"args: a run takes at most 3, not {len(vals)}")
        for i, v in enumerate(vals):
            a.args[i] = _buf.arg64(v, f"args[{i}]")
        return a

    def exec(self, prog: int, lba: int, count: int, args: Sequence[int] = (),
             budget: int = 0, out_len: int = 0, out: Any = None) -> ExecResult:
        """EXEC: run program @prog over blocks [@lba, @lba + @count).
        @args: up to 3 u64 (pattern_args("Alpha") for count_pattern);
        @budget: 0 for the drive's default; @out_len: output space offered
        (at most 1 MiB), or @out: a writable buffer (a numpy array...)
        the output is written into, whose size is the space offered.  A
        run that stops early raises ExecError."""
        a = self._exec_args(prog, args, budget, lba=lba, count=count)
        res = _lib.ExecResult()
        addr, n, view = self._out(out, out_len)
        ret = lib.uringblk_exec(self._h(), ctypes.byref(a), ctypes.byref(res), addr, n)
        return self._run_result(ret, f"exec {prog}", res, view)

    @contextlib.contextmanager
    def _mapped(self, path: _PathLike | None, msg: Any) -> Iterator[Any]:
        """@path mapped onto the drive (uringblk_file_map()) while in
        the block, unmapped after; None for no file.  @msg receives the
        library's reason."""
        if path is None:
            yield None
            return
        fmap = _lib.FileMap()
        check(lib.uringblk_file_map(self._h(), os.fsencode(path), ctypes.byref(fmap),
                                    msg, len(msg)), f"map {os.fsdecode(path)}", None, msg.value)
        try:
            yield fmap
        finally:
            lib.uringblk_file_unmap(ctypes.byref(fmap))

    def exec_file(self, prog: int, path: _PathLike, args: Sequence[int] = (),
                  budget: int = 0, out_len: int = 0, out: Any = None) -> ExecResult:
        """Run program @prog over the file @path on this drive's file
        system, where its blocks are (EXEC over its extents), then check
        the file did not change (ESTALE if it did).  Output as for exec()."""
        _buf.path(path, "path")
        msg = ctypes.create_string_buffer(512)
        a = self._exec_args(prog, args, budget)
        addr, n, out = self._out(out, out_len)
        with self._mapped(path, msg) as fmap:
            fa = _lib.FileExecArgs(ctypes.sizeof(_lib.FileExecArgs), 0, ctypes.pointer(fmap),
                                   ctypes.pointer(a), addr, n,
                                   ctypes.cast(msg, ctypes.c_char_p), len(msg))
            res = _lib.ExecResult()
            ret = lib.uringblk_file_exec_args(self._h(), ctypes.byref(fa), ctypes.byref(res))
            if ret < 0 and msg.value and not res.abort_code:
                check(ret, f"exec {prog} over {os.fsdecode(path)}", self._dev, msg.value)
            return self._run_result(ret, f"exec {prog} over {os.fsdecode(path)}", res, out)

    def query(self, q: Query | str, lba: int = 0, count: int = 0,
              file: _PathLike | None = None, limit: int = 0, budget: int = 0) -> Result:
        """Run query @q on the drive over blocks [@lba, @lba + @count) or
        over @file (a file on this drive's file system); @limit: bytes to
        read (0: all).  @q is a Query, or its text (compiled with
        Query()'s defaults: a FROM clause in it sets the format).  The
        program is loaded, run and unloaded."""
        q = _query(q, "q")
        lba, count = _buf.u64(lba, "lba"), _buf.u64(count, "count")
        limit, budget = _buf.u64(limit, "limit"), _buf.u64(budget, "budget")
        if file is not None:
            _buf.path(file, "file")
        msg = ctypes.create_string_buffer(512)
        with self._mapped(file, msg) as fmap:
            xres = _lib.ExecResult()
            ra = _lib.QueryRunArgs(ctypes.sizeof(_lib.QueryRunArgs), 0,
                                   ctypes.pointer(fmap) if fmap else None, lba, count, limit,
                                   budget, ctypes.pointer(xres),
                                   ctypes.cast(msg, ctypes.c_char_p), len(msg))
            raw = _lib.QueryResult()
            ret = lib.uringblk_query_run(self._h(), q._handle(), ctypes.byref(ra),
                                         ctypes.byref(raw))
            if ret < 0:
                lib.uringblk_query_result_free(ctypes.byref(raw))
                self._check(ret, "query", msg.value)
            return q.result(raw, xres.insns, xres.bytes_scanned)

    # -- key-value (a drive created with kv=1) ------------------------------
    def _kv_check(self, ret: int, what: str) -> int:
        """check() for a KV call: EOPNOTSUPP without a status is the
        library's answer for a drive whose namespace is not a Key Value
        one (no KV command was sent), and says so alone; so does Invalid
        Command Opcode, what such a namespace answers a KV command."""
        # Invalid Command Opcode: Send Select, which kv_select() sends
        # without that check, reached a namespace without the KV set
        if ret == -errno.EOPNOTSUPP and lib.uringblk_last_status(self._dev) in (0, 0x001):
            raise UringblkError(ret, f"{what}: not a KV drive (its namespace is not a Key "
                                f"Value one: make one with `uringblk create NAME --set kv=1`)")
        return self._check(ret, what)

    def kv_put(self, key: str | bytes, value: str | bytes,
               must_exist: bool = False, must_not_exist: bool = False) -> None:
        """Store @value under @key (1..16 bytes); @must_exist: only replace
        (ENOENT if absent), @must_not_exist: only add (EEXIST if there)."""
        k, v = _key(key), _bytes(value, "value")
        flags = (KV_MUST_EXIST if must_exist else 0) | (KV_MUST_NOT_EXIST if must_not_exist else 0)
        self._kv_check(lib.uringblk_kv_put(self._h(), k, len(k), v, len(v), flags),
                       f"kv store {k!r}")

    def kv_get(self, key: str | bytes) -> bytes:
        """Retrieve @key's whole value; FileNotFoundError (a UringblkError,
        errno ENOENT) if absent."""
        k = _key(key)
        val, vlen = ctypes.c_void_p(), ctypes.c_size_t()
        self._kv_check(lib.uringblk_kv_get_alloc(self._h(), k, len(k), ctypes.byref(val),
                                                 ctypes.byref(vlen)), f"kv retrieve {k!r}")
        try:
            return ctypes.string_at(val, vlen.value)
        finally:
            libc.free(val)

    def kv_exists(self, key: str | bytes) -> bool:
        """Whether @key is stored."""
        k = _key(key)
        return bool(self._kv_check(lib.uringblk_kv_exists(self._h(), k, len(k)),
                                   f"kv exist {k!r}"))

    def kv_delete(self, key: str | bytes) -> None:
        """Delete @key; FileNotFoundError if absent."""
        k = _key(key)
        self._kv_check(lib.uringblk_kv_del(self._h(), k, len(k)), f"kv delete {k!r}")

    def kv_keys(self, start: str | bytes | None = None) -> Iterator[bytes]:
        """Every key from @start (None: the first), in the drive's order,
        as bytes: an iterator that lists them a page at a time."""
        k = _key(start, "start") if start is not None else b""
        self._h()
        return self._kv_keys(k)

    def _kv_keys(self, k: bytes) -> Iterator[bytes]:
        buf = ctypes.create_string_buffer(64 * 1024)
        nkeys = ctypes.c_uint()
        keybuf = ctypes.create_string_buffer(_lib.KV_MAX_KEY)
        seen = None
        while True:
            self._kv_check(lib.uringblk_kv_list(self._h(), k or None, len(k), buf, len(buf),
                                                ctypes.byref(nkeys)), "kv list")
            off, klen = ctypes.c_size_t(4), ctypes.c_size_t()
            got = []
            while self._check(lib.uringblk_kv_list_next(buf, len(buf), ctypes.byref(off),
                                                        keybuf, ctypes.byref(klen)), "kv list"):
                got.append(keybuf.raw[:klen.value])
            if seen is not None and got and got[0] == seen:
                got = got[1:]          # the page's first key is the last one given
            yield from got
            if not got or nkeys.value < 2:
                return
            seen = k = got[-1]

    def kv_select(self, key: str | bytes, q: Query | str) -> Result:
        """Run query @q (a Query or its text) over @key's value in the
        drive (Send Select, then Retrieve Select): only the result crosses."""
        k = _key(key)
        q = _query(q, "q")
        raw = _lib.QueryResult()
        st = _lib.KvSelectStats()
        ret = lib.uringblk_kv_select(self._h(), k, len(k), q._handle(), ctypes.byref(raw),
                                     ctypes.byref(st))
        if ret < 0:
            lib.uringblk_query_result_free(ctypes.byref(raw))
            self._kv_check(ret, f"kv select {k!r}")
        return q.result(raw, st.insns, st.bytes_scanned)
