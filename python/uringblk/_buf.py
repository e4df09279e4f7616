# SPDX-License-Identifier: (GPL-2.0 OR MIT)
"""Python buffers as C memory: what the library reads from and writes
into, without a copy where the buffer allows; numpy, imported only when
an array is asked for."""

from __future__ import annotations

import ctypes
import os
from typing import Any

MAX_U32 = (1 << 32) - 1
MAX_U64 = (1 << 64) - 1


def numpy() -> Any:
    """The numpy module, or ImportError saying which package brings it."""
    try:
        import numpy as np       # pylint: disable=import-outside-toplevel
    except ImportError as e:
        raise ImportError("uringblk: numpy arrays need numpy "
                          "(Debian: apt-get install python3-numpy)") from e
    return np


def _view(obj: Any, what: str) -> memoryview:
    try:
        view = memoryview(obj)
    except TypeError:
        raise TypeError(f"{what}: bytes or a buffer (bytearray, numpy array...), "
                        f"not {type(obj).__name__}") from None
    if not view.c_contiguous:
        raise ValueError(f"{what}: a C-contiguous buffer (numpy: np.ascontiguousarray())")
    return view


def data_in(data: Any, what: str) -> tuple[int, int, Any]:
    """(address, bytes, owner) of @data, which the library reads: str
    (as UTF-8), bytes, or a C-contiguous buffer.  Keep owner alive while
    the address is in use.  bytes and writable buffers are used in place;
    a read-only buffer that is not bytes is copied once."""
    if isinstance(data, str):
        data = data.encode()
    if isinstance(data, bytes):
        return ctypes.cast(ctypes.c_char_p(data), ctypes.c_void_p).value or 0, len(data), data
    view = _view(data, what)
    if view.readonly or not view.nbytes:
        return data_in(view.tobytes(), what)
    arr = (ctypes.c_char * view.nbytes).from_buffer(view)
    return ctypes.addressof(arr), view.nbytes, arr


def data_out(out: Any, what: str) -> tuple[int, int, memoryview]:
    """(address, bytes, byte view) of @out, a writable C-contiguous
    buffer the library writes into in place."""
    view = _view(out, what)
    if view.readonly:
        raise ValueError(f"{what}: a writable buffer, not a read-only one")
    if not view.nbytes:
        return 0, 0, memoryview(b"")
    arr = (ctypes.c_char * view.nbytes).from_buffer(view)
    return ctypes.addressof(arr), view.nbytes, memoryview(arr).cast("B")


def path(p: Any, what: str) -> bytes:
    """@p, a str, bytes or os.PathLike, as the bytes of a path."""
    if not isinstance(p, (str, bytes, os.PathLike)):
        raise TypeError(f"{what}: a path (str, bytes or os.PathLike), not {type(p).__name__}")
    return os.fsencode(p)


def text(v: Any, what: str, none: bool = False) -> bytes | None:
    """@v, a str (or None with @none), as UTF-8 bytes."""
    if v is None and none:
        return None
    if not isinstance(v, str):
        raise TypeError(f"{what}: a str{' or None' if none else ''}, not {type(v).__name__}")
    return v.encode()


def key(k: Any, what: str, top: int) -> bytes:
    """A KV key: str (as UTF-8) or bytes-like, 1..@top bytes."""
    b: bytes
    if isinstance(k, str):
        b = k.encode()
    elif isinstance(k, (bytes, bytearray, memoryview)):
        b = bytes(k)
    else:
        raise TypeError(f"{what}: str or bytes, not {type(k).__name__}")
    if not 1 <= len(b) <= top:
        raise ValueError(f"{what}: a key is 1..{top} bytes, not {len(b)} ({b!r})")
    return b


def u32(v: Any, what: str) -> int:
    return _uint(v, what, MAX_U32)


def u64(v: Any, what: str) -> int:
    return _uint(v, what, MAX_U64)


def arg64(v: Any, what: str) -> int:
    """A run's argument: any int, taken modulo 2**64 (-1 is ~0)."""
    if isinstance(v, bool) or not hasattr(v, "__index__"):
        raise TypeError(f"{what}: an int, not {type(v).__name__}")
    return int(v.__index__()) & MAX_U64


def uint(v: Any, what: str, top: int) -> int:
    """An int in 0..@top, else TypeError or ValueError naming @what."""
    return _uint(v, what, top)


def _uint(v: Any, what: str, top: int) -> int:
    if isinstance(v, bool) or not hasattr(v, "__index__"):
        raise TypeError(f"{what}: an int, not {type(v).__name__}")
    n = int(v.__index__())
    if not 0 <= n <= top:
        raise ValueError(f"{what}: {n} is outside 0..{top}")
    return n
