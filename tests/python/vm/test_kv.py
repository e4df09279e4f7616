# SPDX-License-Identifier: GPL-2.0
"""A KV drive from Python: store, retrieve, exist, list, delete, and a
select query run in the drive, checked against the host's run."""

import errno

import pytest

import uringblk


@pytest.fixture
def kv(runtime_drive):
    idx = runtime_drive("pykv", "--capacity-mb", "64", "--set", "kv=1")
    with uringblk.Drive(f"/dev/uringblkc{idx}") as d:
        yield d


def test_store_retrieve_list_delete(kv):
    keys = [b"a", b"b\x00\xff", "c" * 16]
    for i, k in enumerate(keys):
        kv.kv_put(k, b"v%d" % i * (i + 1))
    assert kv.kv_get("a") == b"v0"
    assert kv.kv_get(b"b\x00\xff") == b"v1v1"
    assert kv.kv_exists("c" * 16) and not kv.kv_exists("zz")
    assert sorted(kv.kv_keys()) == sorted(k.encode() if isinstance(k, str) else k for k in keys)
    with pytest.raises(uringblk.UringblkError) as e:
        kv.kv_put("a", b"x", must_not_exist=True)
    assert e.value.status != 0
    kv.kv_delete("a")
    with pytest.raises(uringblk.UringblkError) as e:
        kv.kv_get("a")
    assert e.value.errno == errno.ENOENT and e.value.status != 0
    with pytest.raises(FileNotFoundError) as e:        # a UringblkError, ENOENT
        kv.kv_get("a")
    assert e.value.errno == errno.ENOENT and isinstance(e.value, uringblk.UringblkError)
    # refused before the drive, naming the one cause (issue 73: the
    # library's EINVAL text listed a dozen)
    with pytest.raises(ValueError, match=r"^key: a key is 1\.\.16 bytes, not 17"):
        kv.kv_put("k" * 17, b"x")


def test_kv_on_a_drive_without_kv(runtime_drive):
    idx = runtime_drive("pynokv", "--capacity-mb", "16")
    with uringblk.Drive(f"/dev/uringblkc{idx}") as d:
        for call in (lambda: d.kv_put("a", b"x"), lambda: d.kv_get("a"),
                     lambda: d.kv_exists("a"), lambda: list(d.kv_keys()),
                     lambda: d.kv_select("a", "SELECT count(*)")):
            with pytest.raises(uringblk.UringblkError) as e:
                call()
            assert e.value.errno == errno.EOPNOTSUPP
            assert e.value.strerror.endswith(": not a KV drive (its namespace is not a Key "
                                             "Value one: make one with `uringblk create NAME "
                                             "--set kv=1`)"), e.value.strerror


def test_select_in_the_drive(kv):
    rows = "".join(f"{i % 5},{i % 1000}.{i % 10}\n" for i in range(20000))
    kv.kv_put("table", rows)
    q = uringblk.Query("SELECT $1, count(*), max($2:dec1) WHERE $2:dec1 > 500.5 GROUP BY $1")
    r = kv.kv_select("table", q)
    assert r.rows == q.run_host(rows).rows
    assert r.bytes_scanned >= len(rows)   # the program read the whole value
    with pytest.raises(uringblk.UringblkError) as e:
        kv.kv_select("missing", q)
    assert e.value.errno == errno.ENOENT
