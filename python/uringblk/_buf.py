# SPDX-License-Identifier: (GPL-2.0 OR MIT)
"""Python buffers as C memory: what the library reads from and writes
into, without a copy where the buffer allows; numpy, imported only when
an array is asked for."""

import ctypes
import os
from typing import Any, Tuple

MAX_U32 = (1 << 32) - 1
MAX_U64 = (1 << 64) - 1


def numpy():
    """The numpy module, or ImportError saying which package brings it."""
    try:
        import numpy as np       # pylint: disable=import-outside-toplevel
    except ImportError as e:
        raise ImportError("uringblk: numpy arrays need numpy "
                          "(Debian: apt-get install python3-numpy)") from e
    return np


def _view(obj, what):
    try:
        view = memoryview(obj)
    except TypeError:
        raise TypeError(f"{what}: bytes or a buffer (bytearray, numpy array...), "
                        f"not {type(obj).__name__}") from None
    if not view.c_contiguous:
        raise ValueError(f"{what}: a C-contiguous buffer (numpy: np.ascontiguousarray())")
    return view


def data_in(data, what: str) -> Tuple[int, int, Any]:
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


def data_out(out, what: str) -> Tuple[int, int, memoryview]:
    """(address, bytes, byte view) of @out, a writable C-contiguous
    buffer the library writes into in place."""
    view = _view(out, what)
    if view.readonly:
        raise ValueError(f"{what}: a writable buffer, not a read-only one")
    if not view.nbytes:
        return 0, 0, memoryview(b"")
    arr = (ctypes.c_char * view.nbytes).from_buffer(view)
    return ctypes.addressof(arr), view.nbytes, memoryview(arr).cast("B")


def path(p, what: str) -> bytes:
    """@p, a str, bytes or os.PathLike, as the bytes of a path."""
    if not isinstance(p, (str, bytes, os.PathLike)):
        raise TypeError(f"{what}: a path (str, bytes or os.PathLike), not {type(p).__name__}")
    return os.fsencode(p)


def text(v, what: str, none: bool = False):
    """@v, a str (or None with @none), as UTF-8 bytes."""
    if v is None and none:
        return None
    if not isinstance(v, str):
        raise TypeError(f"{what}: a str{' or None' if none else ''}, not {type(v).__name__}")
    return v.encode()


def key(k, what: str, top: int) -> bytes:
    """A KV key: str (as UTF-8) or bytes-like, 1..@top bytes."""
    if isinstance(k, str):
        k = k.encode()
    elif isinstance(k, (bytes, bytearray, memoryview)):
        k = bytes(k)
    else:
        raise TypeError(f"{what}: str or bytes, not {type(k).__name__}")
    if not 1 <= len(k) <= top:
        raise ValueError(f"{what}: a key is 1..{top} bytes, not {len(k)} ({k!r})")
    return k


def u32(v, what: str) -> int:
    return _uint(v, what, MAX_U32)


def u64(v, what: str) -> int:
    return _uint(v, what, MAX_U64)


def arg64(v, what: str) -> int:
    """A run's argument: any int, taken modulo 2**64 (-1 is ~0)."""
    if isinstance(v, bool) or not hasattr(v, "__index__"):
        raise TypeError(f"{what}: an int, not {type(v).__name__}")
    return v.__index__() & MAX_U64


def uint(v, what: str, top: int) -> int:
    """An int in 0..@top, else TypeError or ValueError naming @what."""
    return _uint(v, what, top)


def _uint(v, what, top):
    if isinstance(v, bool) or not hasattr(v, "__index__"):
        raise TypeError(f"{what}: an int, not {type(v).__name__}")
    v = v.__index__()
    if not 0 <= v <= top:
        raise ValueError(f"{what}: {v} is outside 0..{top}")
    return v
