# SPDX-License-Identifier: GPL-2.0
"""Zones from Python on a zoned drive (8 zones of 8 MiB, 6 MiB writable,
the first conventional): report, open, close, finish, reset, reset all,
append and where its data landed, each condition checked in the report,
and the refusals as exceptions with errno and the drive's status."""

import errno
import mmap
import os

import pytest

import uringblk


@pytest.fixture
def zd(runtime_drive):
    idx = runtime_drive("pyzoned", "--capacity-mb", "64", "--zoned", "--zone-size-mb", "8",
                        "--zone-capacity-mb", "6", "--zone-conv", "1", "--zone-max-open", "4")
    with uringblk.Drive(f"/dev/uringblkc{idx}") as d:
        yield d


def _read(path, lba, n, bs):
    buf = mmap.mmap(-1, n * bs)
    fd = os.open(path, os.O_RDONLY | os.O_DIRECT)
    try:
        assert os.preadv(fd, [buf], lba * bs) == n * bs
        return bytes(buf)
    finally:
        os.close(fd)
        buf.close()


def _refused(call, err):
    with pytest.raises(uringblk.UringblkError) as e:
        call()
    assert e.value.errno == err, str(e.value)
    assert e.value.status != 0, str(e.value)


def test_report(zd):
    bs = zd.identify()["logical_block_size"]
    zl, zc = (8 << 20) // bs, (6 << 20) // bs
    zs = zd.report_zones()
    assert len(zs) == 8
    assert zs[0] == uringblk.Zone(0, zl, zl, zl, "conventional", "not_wp", 0, 0)
    for i, z in enumerate(zs[1:], 1):
        assert z == uringblk.Zone(i * zl, zl, zc, i * zl, "sequential", "empty", 0, 0)
    assert zd.report_zones(3 * zl + 5, 2) == zs[3:5]
    assert zd.report_zones(8 * zl) == []


def test_conditions_append_reset(zd):
    bs = zd.identify()["logical_block_size"]
    zl = (8 << 20) // bs
    z1, z2 = zl, 2 * zl
    cond = lambda lba: zd.report_zones(lba, 1)[0]
    zd.zone_open(z1)
    assert cond(z1).cond == "exp_open"
    zd.zone_close(z1)
    assert cond(z1).cond == "empty"              # nothing written
    data = os.urandom(4 * bs)
    assert zd.zone_append(z1, data) == z1
    assert zd.zone_append(z1, bytearray(data[:bs])) == z1 + 4
    z = cond(z1)
    assert (z.cond, z.wp, z.write_ops) == ("imp_open", z1 + 5, 2)
    assert _read(zd.blk_path, z1, 5, bs) == data + data[:bs]
    zd.zone_close(z1)
    assert cond(z1).cond == "closed"
    zd.zone_finish(z1)
    assert (cond(z1).cond, cond(z1).wp) == ("full", z1 + zl)
    _refused(lambda: zd.zone_append(z1, data), errno.ENOSPC)
    zd.zone_reset(z1)
    z = cond(z1)
    assert (z.cond, z.wp, z.reset_ops) == ("empty", z1, 1)
    zd.zone_append(z1, data)
    zd.zone_append(z2, data)
    zd.zone_reset_all()
    assert [z.cond for z in zd.report_zones(z1, 2)] == ["empty", "empty"]


def test_refusals(zd):
    bs = zd.identify()["logical_block_size"]
    zl = (8 << 20) // bs
    _refused(lambda: zd.zone_open(0), errno.EMEDIUMTYPE)        # conventional
    _refused(lambda: zd.zone_open(zl + 1), errno.EINVAL)        # not a zone start
    _refused(lambda: zd.zone_append(zl, b"x" * (bs + 1)), errno.EINVAL)
    _refused(lambda: zd.zone_open(64 * zl), errno.ERANGE)
    for i in range(1, 5):
        zd.zone_open(i * zl)
    _refused(lambda: zd.zone_open(5 * zl), errno.ETOOMANYREFS)  # open limit 4
    zd.zone_reset_all()


def test_not_zoned():
    with uringblk.Drive("/dev/uringblk0") as d:
        with pytest.raises(uringblk.UringblkError) as e:
            d.report_zones()
        assert e.value.errno == errno.EOPNOTSUPP
        with pytest.raises(uringblk.UringblkError) as e:
            d.zone_open(0)
        assert e.value.errno == errno.EOPNOTSUPP
