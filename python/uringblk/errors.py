# SPDX-License-Identifier: (GPL-2.0 OR MIT)
"""The exception every call of the bindings raises."""

import errno as _errno
import os

from ._lib import lib


class UringblkError(OSError):
    """A call of liburingblk failed.

    An OSError, so ``except OSError`` and ``e.errno`` work as for any
    system call.

    Attributes:
        errno: the positive errno (``errno.ENOENT``...).
        status: the NVMe status the drive answered (SCT << 8 | SC), or 0
            when there was none (refused before reaching the drive, or an
            errno-only path).
        strerror: the library's message: the drive's reason where it gave
            one (a validator log, a query error with its position), else
            the library's text for the errno and status.
    """

    def __init__(self, err, message, status=0):
        err = abs(err)
        super().__init__(err, message)
        self.status = status

    def __str__(self):
        name = _errno.errorcode.get(self.errno, str(self.errno))
        st = f", status {self.status:#05x}" if self.status else ""
        return f"[{name}{st}] {self.strerror}"


def _text(b):
    return b.decode(errors="replace") if b else ""


def check(ret, what, dev=None, log=None):
    """Raise UringblkError for a negative return, else give it back.

    @what says which call failed; @dev (a handle) adds the drive's status
    and its message; @log (bytes) is a reason the library wrote.
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
        text = f"{text}: {reason}"
    raise UringblkError(ret, f"{what}: {text}", status)


def errno_error(err, what):
    """UringblkError from a positive errno of a system call."""
    return UringblkError(err, f"{what}: {os.strerror(err)}")
