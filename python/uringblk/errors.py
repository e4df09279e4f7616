# SPDX-License-Identifier: (GPL-2.0 OR MIT)
"""The exception every call of the bindings raises.

UringblkError is an OSError, and is built the way ``OSError(errno, msg)``
is: an errno that Python maps to a builtin subclass (ENOENT to
FileNotFoundError, EACCES and EPERM to PermissionError, EEXIST to
FileExistsError, EAGAIN to BlockingIOError, ETIMEDOUT to TimeoutError...)
makes an instance of a class derived from both UringblkError and that
builtin.  So ``except FileNotFoundError`` catches a missing drive and
``except UringblkError`` every failure of the bindings.  The derived
classes are made once per subclass of UringblkError (ExecError's too)
and live in its module, named ``UringblkFileNotFoundError``,
``ExecPermissionError`` and so on (they pickle by name).
"""

from __future__ import annotations

import errno as _errno
import os
import sys
from typing import Any, ClassVar

from ._lib import lib


def _builtin_subclasses() -> dict[int, type[OSError]]:
    """errno -> the builtin subclass OSError(errno, msg) makes, for every
    errno that makes one (Python's own table, not a copy of it)."""
    out: dict[int, type[OSError]] = {}
    for err in _errno.errorcode:
        cls = type(OSError(err, ""))
        if cls is not OSError:
            out[err] = cls
    return out


_BUILTIN = _builtin_subclasses()


class UringblkError(OSError):
    """A call of liburingblk failed.

    An OSError, so ``except OSError`` and ``e.errno`` work as for any
    system call; its errno picks the builtin subclass as OSError's does
    (the module's text), so ``except FileNotFoundError`` works too.

    Attributes:
        errno: the positive errno (``errno.ENOENT``...).
        status: the NVMe status the drive answered (SCT << 8 | SC), or 0
            when there was none (refused before reaching the drive, or an
            errno-only path).
        strerror: the library's message: the drive's reason where it gave
            one (a validator log, a query error with its position), else
            the library's text for the errno and status.
    """

    # builtin subclass -> the class derived from this one and it (set per
    # class by __init_subclass__; empty on the derived classes themselves)
    _variants: ClassVar[dict[type[OSError], type[UringblkError]]] = {}
    status: int

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        if "_variant_of" not in cls.__dict__:
            cls._make_variants()

    @classmethod
    def _make_variants(cls) -> None:
        cls._variants = {}
        module = sys.modules[cls.__module__]
        base = cls.__name__[:-len("Error")] if cls.__name__.endswith("Error") else cls.__name__
        for builtin in sorted(set(_BUILTIN.values()), key=lambda c: c.__name__):
            name = base + builtin.__name__
            variant: type[UringblkError] = type(name, (cls, builtin),
                                {"_variant_of": cls, "__module__": cls.__module__,
                                 "__qualname__": name,
                                 "__doc__": f"{cls.__name__} with an errno that makes "
                                            f"OSError a {builtin.__name__}."})
            cls._variants[builtin] = variant
            setattr(module, name, variant)

    def __new__(cls, err: int, message: str, *args: Any, **kw: Any) -> UringblkError:
        # OSError.__new__ sets errno and strerror here (its __init__ then
        # does nothing: this class has a __new__ of its own)
        err = abs(err)
        target = cls._variants.get(_BUILTIN.get(err, OSError), cls)
        # (typeshed gives OSError no __new__ of its own)
        e: UringblkError = OSError.__new__(target, err, message)  # type: ignore[call-arg]
        return e

    def __init__(self, err: int, message: str, status: int = 0) -> None:
        err = abs(err)
        super().__init__(err, message)
        self.status = status

    def __reduce__(self) -> tuple[Any, ...]:
        # OSError's gives back (errno, strerror) only; the subclasses'
        # constructors take more (ExecError's result and abort)
        return (_rebuild, (type(self), self.errno, self.strerror), self.__dict__)

    def __str__(self) -> str:
        name = _errno.errorcode.get(self.errno, str(self.errno))
        st = f", status {self.status:#05x}" if self.status else ""
        return f"[{name}{st}] {self.strerror}"


def _rebuild(cls: type[UringblkError], err: int, message: str) -> UringblkError:
    e: UringblkError = OSError.__new__(cls, err, message)  # type: ignore[call-arg]
    return e


# UringblkError's own derived classes: __init_subclass__ runs only for
# subclasses, so make them here
UringblkError._make_variants()


def _text(b: bytes | None) -> str:
    return b.decode(errors="replace") if b else ""


def check(ret: int, what: str, dev: Any = None, log: bytes | None = None) -> int:
    """Raise UringblkError for a negative return, else give it back.

    @what says which call failed; @dev (a handle) adds the drive's status
    and its message; @log (bytes) is a reason the library wrote.  A
    reason is the one cause that happened, so it replaces the library's
    text for the errno (which lists every cause an errno can have); the
    status stays in the exception (and in its str()).
    """
    if ret >= 0:
        return ret
    status = 0
    if dev:
        status = lib.uringblk_last_status(dev)
        text = _text(lib.uringblk_dev_strerror(dev, ret))
    else:
        text = _text(lib.uringblk_strerror(ret))
    reason = log.decode(errors="replace").strip() if log else ""
    if reason:
        text = reason
    raise UringblkError(ret, f"{what}: {text}", status)


def errno_error(err: int, what: str) -> UringblkError:
    """UringblkError from a positive errno of a system call."""
    return UringblkError(err, f"{what}: {os.strerror(err)}")
