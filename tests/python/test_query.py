# SPDX-License-Identifier: GPL-2.0
"""uringblk.Query on the host: typed results checked against sqlite3
(Python's own module, an independent engine), the columns' types, SQL's
NULL, and errors as exceptions with the library's message."""

import datetime
import decimal
import errno
import random
import sqlite3

import pytest

import uringblk

D = decimal.Decimal


def _table(seed, n=300):
    rnd = random.Random(seed)
    rows = []
    for _ in range(n):
        rows.append((rnd.choice("abcde"), rnd.randint(-10**6, 10**6),
                     rnd.randint(-99999, 99999),   # hundredths: dec2
                     datetime.date(1990, 1, 1) + datetime.timedelta(rnd.randint(0, 4000))))
    return rows


def _csv(rows):
    out = []
    for k, b, c, d in rows:
        sign = "-" if c < 0 else ""
        out.append(f"{k},{b},{sign}{abs(c) // 100}.{abs(c) % 100:02d},{d.isoformat()}")
    return ("\n".join(out) + "\n").encode()


def _sqlite(rows):
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (k TEXT, b INTEGER, c INTEGER, d TEXT)")
    db.executemany("INSERT INTO t VALUES (?, ?, ?, ?)",
                   [(k, b, c, d.isoformat()) for k, b, c, d in rows])
    return db


@pytest.mark.parametrize("seed", range(4))
def test_group_by_against_sqlite(seed):
    rows = _table(seed)
    q = uringblk.Query("SELECT $1:str, count(*), sum($2:int), min($3:dec2), max($4:date) "
                       "WHERE $2:int > -500000 AND $3:dec2 BETWEEN -500.00 AND 900.5 "
                       "GROUP BY $1:str")
    got = q.run_host(_csv(rows))
    want = _sqlite(rows).execute(
        "SELECT k, count(*), sum(b), min(c), max(d) FROM t "
        "WHERE b > -500000 AND c BETWEEN -50000 AND 90050 GROUP BY k ORDER BY k").fetchall()
    assert [(k, n, s, D(m) / 100, datetime.date.fromisoformat(d)) for k, n, s, m, d in want] \
        == got.rows
    assert got.records == len(rows) and got.malformed == 0
    assert got.matched == sum(r[1] for r in want)
    assert [c.type for c in got.columns] == ["str", "int", "int", "dec", "date"]
    assert [c.kind for c in got.columns] == ["key", "count", "aggregate", "aggregate",
                                             "aggregate"]
    assert got.columns[3].scale == 2


def test_no_records_is_null():
    """Without GROUP BY: one row, count 0 and NULL aggregates, as SQL."""
    q = uringblk.Query("SELECT count(*), sum($1:int), min($1:int) WHERE $1:int > 100")
    r = q.run_host(b"1\n2\n")
    assert r.rows == [(0, None, None)]
    assert (r.records, r.matched) == (2, 0)
    assert r.dicts() == [{"count(*)": 0, "sum($1:int)": None, "min($1:int)": None}]


def test_header_names_and_bytes_types():
    data = bytearray(b"name,price\nx,1.25\ny,2.50\nx,-0.75\n")
    q = uringblk.Query("SELECT name:str, sum(price:dec2) GROUP BY name:str", has_header=True,
                       header="name,price")
    assert q.run_host(data).rows == [("x", D("0.50")), ("y", D("2.50"))]
    assert q.run_host(memoryview(bytes(data))).rows == [("x", D("0.50")), ("y", D("2.50"))]


def test_exact_at_the_edge():
    """The values of issue 50's wrap: compared exactly, decoded exactly."""
    data = "10,1\n-10,1\n1000000000000000000,1\n-1000000000000000000,1\n5,1\n"
    r = uringblk.Query("SELECT count(*), min($1:int) WHERE $1:int > 0.5").run_host(data)
    assert r.rows == [(3, 5)]
    r = uringblk.Query("SELECT max($1:dec18), count(*)").run_host(
        "-9.223372036854775807\n-9.223372036854775808\n")
    assert r.rows == [(D("-9.223372036854775807"), 1)]
    assert r.malformed == 1         # below the smallest dec18, as the CLI says


def test_binary_records():
    import struct
    recs = b"".join(struct.pack("<iq", i, i * 1000) for i in range(10)) + b"xyz"
    q = uringblk.Query("SELECT count(*), sum(i64@4) FROM binary(reclen=12) WHERE i32@0 >= 5")
    r = q.run_host(recs)
    assert r.rows == [(5, sum(i * 1000 for i in range(5, 10)))]
    assert r.trailing == 3
    assert q.program == "binary records"


def test_bad_query_raises_with_position():
    with pytest.raises(uringblk.UringblkError) as e:
        uringblk.Query("SELECT count(*) WHERE $1 >")
    assert e.value.errno == errno.EINVAL
    assert "query:1:" in str(e.value)
    assert isinstance(e.value, OSError)


def test_over_a_limit_is_e2big():
    aggs = ", ".join(f"sum(${i})" for i in range(1, 11))
    with pytest.raises(uringblk.UringblkError) as e:
        uringblk.Query(f"SELECT {aggs}")
    assert e.value.errno == errno.E2BIG


def test_closed_query():
    q = uringblk.Query("SELECT count(*)")
    with q:
        assert q.run_host(b"1\n").rows == [(1,)]
    with pytest.raises(ValueError):
        q.run_host(b"1\n")


def test_host_progress():
    """run_host(progress=): the bytes read, a MiB apart, ending at the
    total, the answer unchanged; a true return stops with ECANCELED, an
    exception raised in it comes back out (uringblk_query_host_args)."""
    data = b"".join(b"%c,%d\n" % (b"abc"[i % 3], i) for i in range(400000))
    q = uringblk.Query("SELECT $1, count(*), sum($2) GROUP BY $1:str")
    calls = []
    r = q.run_host(data, progress=lambda done, total: calls.append((done, total)))
    assert r.rows == q.run_host(data).rows
    assert calls[-1] == (len(data), len(data))
    assert all(t == len(data) for _, t in calls)
    assert all(b[0] - a[0] >= 1 << 20 for a, b in zip(calls, calls[1:-1]))
    assert len(calls) == len(data) // (1 << 20) + 1
    with pytest.raises(uringblk.UringblkError) as e:
        q.run_host(data, progress=lambda done, total: True)
    assert e.value.errno == errno.ECANCELED

    class Stop(Exception):
        pass

    def boom(done, total):
        raise Stop()
    with pytest.raises(Stop):
        q.run_host(data, progress=boom)
    assert q.run_host(b"", progress=lambda d, t: calls.append((d, t))).records == 0
    assert calls[-1] == (0, 0)


@pytest.mark.parametrize("kw, exc, what", [
    ({"text": 42}, TypeError, "^text: a str, the query, not int"),
    ({"text": b"SELECT count(*)"}, TypeError, "^text: a str"),
    ({"header": 3}, TypeError, "^header: a str or None, not int"),
    ({"sep": ""}, ValueError, "^sep: one character of one byte"),
    ({"sep": ";;"}, ValueError, "^sep: one character"),
    ({"sep": "\u00e9"}, ValueError, "^sep: one character of one byte"),
    ({"sep": "\n"}, ValueError, "^sep: '.n' cannot separate fields"),
    ({"sep": 44}, TypeError, "^sep: a str of one character, not int"),
    ({"reclen": -1}, ValueError, "^reclen: -1 is outside 0..256"),
    ({"reclen": 257}, ValueError, "^reclen: 257 is outside 0..256"),
    ({"reclen": 1 << 32}, ValueError, "^reclen"),
    ({"reclen": "8"}, TypeError, "^reclen: an int, not str"),
])
def test_query_arguments_named(kw, exc, what):
    args = {"text": "SELECT count(*)", **kw}
    with pytest.raises(exc, match=what):
        uringblk.Query(args.pop("text"), **args)
