# SPDX-License-Identifier: (GPL-2.0 OR MIT)
"""Queries: the SQL-like filter/aggregate language of
Documentation/examples/queries.md, compiled by liburingblk into a
program for the drive, and run on the host by the library's own
interpreter (no drive needed)."""

from __future__ import annotations

import ctypes
import datetime
import decimal
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from . import _buf, _lib
from ._lib import lib
from .errors import UringblkError, check

INT, DEC, DATE, STR = 0, 1, 2, 3
_KINDS = {0: "key", 1: "count", 2: "aggregate"}


class Column(NamedTuple):
    """One column of a result: the SELECT item's text, its type ("int",
    "dec", "date" or "str"), the digits after the point of a "dec", and
    what it is ("key", "count" or "aggregate")."""
    name: str
    type: str
    scale: int
    kind: str


class Result:
    """What a query found.

    Attributes:
        columns: a Column per SELECT item.
        rows: a tuple per group (one row without GROUP BY), sorted by key:
            int, decimal.Decimal, datetime.date or str values, None for
            SQL's NULL (an aggregate over no records).
        records, matched, malformed, trailing: the counts the CLI's "#"
            line prints (trailing: bytes after the last binary record).
        insns, bytes_scanned: what the run cost on the drive (None for a
            host run).
    """

    def __init__(self, columns: list[Column], rows: list[tuple[Any, ...]], raw: Any,
                 insns: int | None = None, bytes_scanned: int | None = None):
        self.columns: list[Column] = columns
        self.rows: list[tuple[Any, ...]] = rows
        self.records: int = raw.records
        self.matched: int = raw.matched
        self.malformed: int = raw.malformed
        self.trailing: int = raw.trailing
        self.insns: int | None = insns
        self.bytes_scanned: int | None = bytes_scanned

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def dicts(self) -> list[dict[str, Any]]:
        """The rows as dicts keyed by column name."""
        names = [c.name for c in self.columns]
        return [dict(zip(names, r)) for r in self.rows]

    def __repr__(self) -> str:
        return (f"<uringblk.query.Result {len(self.rows)} rows, records {self.records}, "
                f"matched {self.matched}, malformed {self.malformed}>")


def _value(col: Column, text: str) -> int | decimal.Decimal | datetime.date | str:
    if col.type == "int":
        return int(text)
    if col.type == "dec":
        return decimal.Decimal(text)
    if col.type == "date":
        return datetime.date.fromisoformat(text)
    return text


def _sep(sep: str) -> bytes:
    """The CSV separator: one character of one byte, not a line end."""
    if not isinstance(sep, str):
        raise TypeError(f"sep: a str of one character, not {type(sep).__name__}")
    b = sep.encode()
    if len(b) != 1:
        raise ValueError(f"sep: one character of one byte (ASCII), not {sep!r}")
    if b in (b"\n", b"\r", b"\0"):
        raise ValueError(f"sep: {sep!r} cannot separate fields (a line end or NUL)")
    return b


class Query:
    """A compiled query.

    Query("SELECT count(*), sum($2:dec2) WHERE $1 = 'a'", header=None,
    has_header=False, sep=",", reclen=0, byte_loop=False).  A FROM clause
    in the text overrides the options.  Raises UringblkError (EINVAL, its
    message pointing at the error: "query:1:8: unknown function 'summ'")
    for a bad query, E2BIG over a limit.  A context manager; close() frees
    it (as does the garbage collector).
    """

    def __init__(self, text: str, header: str | None = None, has_header: bool = False,
                 sep: str = ",", reclen: int = 0, byte_loop: bool = False):
        self._q = ctypes.c_void_p()
        if not isinstance(text, str):
            raise TypeError(f"text: a str, the query, not {type(text).__name__}")
        self.text = text
        self._header = _buf.text(header, "header", none=True)
        opts = _lib.QueryOpts(self._header, int(bool(has_header)), _sep(sep),
                              _buf.uint(reclen, "reclen", _lib.QUERY_MAX_RECLEN),
                              int(bool(byte_loop)))
        err = ctypes.create_string_buffer(1024)
        ret = lib.uringblk_query_compile(text.encode(), ctypes.byref(opts),
                                         ctypes.byref(self._q), err, len(err))
        if ret < 0:
            raise UringblkError(ret, err.value.decode(errors="replace") or
                                lib.uringblk_strerror(ret).decode())
        self.columns = self._columns()

    def _handle(self) -> ctypes.c_void_p:
        if not self._q:
            raise ValueError("uringblk.Query: closed")
        return self._q

    def _columns(self) -> list[Column]:
        cols = []
        for i in range(check(lib.uringblk_query_columns(self._q), "uringblk_query_columns")):
            c = _lib.QueryColumn()
            check(lib.uringblk_query_column(self._q, i, ctypes.byref(c)), "uringblk_query_column")
            name = ctypes.string_at(c.name, c.name_len).decode(errors="replace")
            cols.append(Column(name, ("int", "dec", "date", "str")[c.type], c.scale,
                               _KINDS[c.kind]))
        return cols

    @property
    def program(self) -> str:
        """Which program it compiled to: "record helpers", "byte loop" or
        "binary records"."""
        return str(lib.uringblk_query_program(self._handle()).decode())

    def budget(self, nbytes: int) -> int:
        """An instruction budget that covers its program over @nbytes."""
        return int(lib.uringblk_query_budget(self._handle(), _buf.u64(nbytes, "nbytes")))

    def result(self, raw: Any, insns: int | None = None,
               bytes_scanned: int | None = None) -> Result:
        """A Result from a filled struct uringblk_query_result (freed here)."""
        try:
            rows = []
            buf = ctypes.create_string_buffer(96)
            for r in range(check(lib.uringblk_query_rows(self._q, ctypes.byref(raw)),
                                 "uringblk_query_rows")):
                row = []
                for i, col in enumerate(self.columns):
                    ret = check(lib.uringblk_query_cell(self._q, ctypes.byref(raw), r, i,
                                                        buf, len(buf)), "uringblk_query_cell")
                    row.append(None if ret == 1 else _value(col, buf.value.decode()))
                rows.append(tuple(row))
            return Result(self.columns, rows, raw, insns, bytes_scanned)
        finally:
            lib.uringblk_query_result_free(ctypes.byref(raw))

    def run_host(self, data: Any, progress: Callable[[int, int], Any] | None = None) -> Result:
        """Run the query on the host over @data (bytes, bytearray, a
        memoryview or anything with the buffer protocol; str is encoded
        as UTF-8), with the library's interpreter of the query tree.

        @progress, if given, is called as progress(done, total) with the
        bytes read so far, at most once per MiB and once at the end
        (uringblk_query_host_args()); a true return stops the run
        (UringblkError, ECANCELED), and an exception it raises (a
        KeyboardInterrupt too) stops it and is raised again here."""
        if progress is not None and not callable(progress):
            raise TypeError(f"progress: a callable or None, not {type(progress).__name__}")
        if isinstance(data, str):
            data = data.encode()
        try:
            view = memoryview(data).cast("B")
        except TypeError:
            raise TypeError(f"data: str, bytes or a buffer, not {type(data).__name__}") from None
        raw = _lib.QueryResult()
        err = ctypes.create_string_buffer(512)
        buf = (ctypes.c_char * len(view)).from_buffer_copy(view) if view.readonly else \
            (ctypes.c_char * len(view)).from_buffer(view)
        if progress is None:
            ret = lib.uringblk_query_host(self._handle(), buf, len(view), ctypes.byref(raw),
                                          err, len(err))
        else:
            raised: list[BaseException] = []
            report = progress

            def call(_ctx: Any, done: int, total: int) -> int:
                try:
                    return 1 if report(done, total) else 0
                except BaseException as e:  # noqa: B902 - raised again below
                    raised.append(e)
                    return 1

            fn = _lib.QueryProgressFn(call)
            args = _lib.QueryHostArgs(ctypes.sizeof(_lib.QueryHostArgs), 0,
                                      ctypes.cast(buf, ctypes.c_void_p), len(view),
                                      ctypes.cast(err, ctypes.c_char_p), len(err), fn, None)
            ret = lib.uringblk_query_host_args(self._handle(), ctypes.byref(args),
                                               ctypes.byref(raw))
            if raised:
                lib.uringblk_query_result_free(ctypes.byref(raw))
                raise raised[0]
        if ret < 0:
            lib.uringblk_query_result_free(ctypes.byref(raw))
            check(ret, "query on the host", log=err.value)
        return self.result(raw)

    def close(self) -> None:
        if self._q:
            lib.uringblk_query_free(self._q)
            self._q = ctypes.c_void_p()

    def __enter__(self) -> Query:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        if getattr(self, "_q", None):
            self.close()
