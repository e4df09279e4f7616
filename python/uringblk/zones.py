# SPDX-License-Identifier: (GPL-2.0 OR MIT)
"""Zones of a zoned drive (`uringblk create NAME --set zoned=1`): report,
open, close, finish, reset and append, every position a logical block
(LBA), not a 512-byte sector ("Zones" in <linux/uringblk.h>).  The
methods are Drive's (the class mixes this one in); on a drive that is
not zoned they raise UringblkError EOPNOTSUPP."""

from __future__ import annotations

import ctypes
from typing import TYPE_CHECKING, Any, NamedTuple

from . import _buf, _lib
from ._lib import lib

ZONE_TYPES = {0x1: "conventional", 0x2: "sequential"}


class Zone(NamedTuple):
    """One zone, as REPORT_ZONES describes it.

    start, len, capacity: its first LBA, its LBAs, the LBAs that can be
    written; wp: the write pointer (start + len for conventional and full
    zones, 2**64 - 1 for read-only and offline ones); type:
    "conventional" or "sequential" (sequential write required); cond:
    the condition by the names of the sysfs zone table ("not_wp",
    "empty", "imp_open", "exp_open", "closed", "readonly", "full",
    "offline"); write_ops, reset_ops: writes that landed in it and
    resets that erased it since the drive was made.
    """
    start: int
    len: int
    capacity: int
    wp: int
    type: str
    cond: str
    write_ops: int
    reset_ops: int

    @classmethod
    def from_c(cls, z: Any) -> Zone:
        """A Zone from a struct uringblk_zone."""
        cond = lib.uringblk_zone_cond_name(z.cond)
        return cls(z.start, z.len, z.capacity, z.wp, ZONE_TYPES.get(z.type, hex(z.type)),
                   cond.decode() if cond else hex(z.cond), z.write_ops, z.reset_ops)


def zone_action(action: str) -> int:
    """URINGBLK_ZONE_ACTION_* of "reset", "open", "close", "finish" or
    "reset_all" (the library's names)."""
    if not isinstance(action, str):
        raise TypeError(f"action: a str, not {type(action).__name__}")
    ret: int = lib.uringblk_zone_action_parse(action.encode())
    if ret < 0:
        raise ValueError(f"action is 'reset', 'open', 'close', 'finish' or 'reset_all', "
                         f"not {action!r}")
    return ret


class ZoneMixin:
    """Drive's zone methods (see the module's text)."""

    if TYPE_CHECKING:          # Drive's
        def _h(self) -> Any: ...
        def _check(self, ret: int, what: str, log: bytes | None = None) -> int: ...

    def report_zones(self, lba: int = 0, count: int | None = None) -> list[Zone]:
        """The zones from the one holding @lba on: @count of them at most
        (None: to the end of the drive).  [] when @lba is past the end."""
        lba = _buf.u64(lba, "lba")
        if count is None:
            idf = _lib.Identify()
            self._check(lib.uringblk_identify(self._h(), ctypes.byref(idf)), "identify")
            count = idf.nr_zones or 1   # not zoned: REPORT_ZONES itself says so
        count = _buf.u32(count, "count")
        if not count:
            return []
        arr = (_lib.Zone * count)()
        n = self._check(lib.uringblk_report_zones(self._h(), lba, arr, count),
                        f"report zones from LBA {lba}")
        return [Zone.from_c(z) for z in arr[:n]]

    def zone_mgmt(self, zone_lba: int, action: str) -> None:
        """Zone Management Send: @action ("reset", "open", "close",
        "finish", or "reset_all" with @zone_lba 0) on the zone starting
        at LBA @zone_lba."""
        act = zone_action(action)
        lba = _buf.u64(zone_lba, "zone_lba")
        self._check(lib.uringblk_zone_mgmt(self._h(), lba, act), f"zone {action} at LBA {lba}")

    def zone_open(self, zone_lba: int) -> None:
        """Open the zone explicitly (exp_open)."""
        self.zone_mgmt(zone_lba, "open")

    def zone_close(self, zone_lba: int) -> None:
        """Close an open zone (closed, or empty if nothing was written)."""
        self.zone_mgmt(zone_lba, "close")

    def zone_finish(self, zone_lba: int) -> None:
        """Finish the zone: full, the unwritten rest reads as zeroes."""
        self.zone_mgmt(zone_lba, "finish")

    def zone_reset(self, zone_lba: int) -> None:
        """Reset the zone: empty, its data gone (they read as zeroes)."""
        self.zone_mgmt(zone_lba, "reset")

    def zone_reset_all(self) -> None:
        """Reset every sequential zone that is not empty, read-only or offline."""
        self.zone_mgmt(0, "reset_all")

    def zone_append(self, zone_lba: int, data: Any) -> int:
        """Zone Append: write @data (bytes or a C-contiguous buffer, a
        whole number of logical blocks, at most identify's
        max_zone_append bytes) at the write pointer of the zone starting
        at @zone_lba.  Returns the LBA the data landed at."""
        lba = _buf.u64(zone_lba, "zone_lba")
        addr, n, owner = _buf.data_in(data, "data")
        if not n:
            raise ValueError("data is empty")
        if n > _buf.MAX_U32:
            raise ValueError(f"data: {n} bytes is above what one append carries")
        where = ctypes.c_uint64()
        ret = lib.uringblk_zone_append(self._h(), lba, addr, n, ctypes.byref(where))
        del owner
        self._check(ret, f"zone append of {n} bytes at LBA {lba}")
        return int(where.value)
