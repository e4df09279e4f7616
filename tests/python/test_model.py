# SPDX-License-Identifier: GPL-2.0
"""The bindings of the standard's model and of zones, without a drive:
how Python values become the library's structs (ranges, instructions,
zone actions and conditions), the buffers the library reads and writes
in place (numpy arrays by their own memory), and every argument refused
with ValueError or TypeError naming it before the drive is asked (a
drive that is not open: an argument that passes gets to "closed")."""

import ctypes
import errno

import pytest

import uringblk
from uringblk import _buf, _lib, model, zones


@pytest.fixture
def closed():
    d = uringblk.Drive.__new__(uringblk.Drive)
    d._dev = ctypes.c_void_p()
    return d


def test_copy_ranges():
    r = model.copy_ranges([(10, 8), uringblk.CopyRange(0, 4, zero=True),
                           uringblk.CopyRange(1 << 40, 1)])
    assert [(x.slba, x.nlb, x.flags) for x in r] == [(10, 8, 0), (0, 4, 1), (1 << 40, 1, 0)]
    assert ctypes.sizeof(r) == 3 * 16
    for bad, exc, what in [([], ValueError, "no ranges"), ([(0, 0)], ValueError, "nlb is 0"),
                           ([(0, 1 << 32)], ValueError, "nlb"), ([(-1, 1)], ValueError, "slba"),
                           ([(0, 1, 2)], TypeError, "range 0"), ([[0, 1]], TypeError, "range 0"),
                           ([(0, 1), uringblk.CopyRange(5, 1, True)], ValueError,
                            "range 1: a zero range"), ([("0", 1)], TypeError, "slba")]:
        with pytest.raises(exc, match=what):
            model.copy_ranges(bad)


def test_mem_ranges():
    r = model.mem_ranges([(0, 4096), (1 << 20, 8192)])
    assert [(x.slm_off, x.len) for x in r] == [(0, 4096), (1 << 20, 8192)]
    for bad, exc, what in [([], ValueError, "no ranges"), ([(0, 0)], ValueError, "len is 0"),
                           ([(0,)], TypeError, "range 0"), ([(1 << 64, 1)], ValueError,
                                                             "slm_off")]:
        with pytest.raises(exc, match=what):
            model.mem_ranges(bad)


def test_insns():
    code = bytes.fromhex("b700000029000000" "9500000000000000")   # r0 = 41; exit
    addr, n, owner = model.insns(code)
    assert n == 2 and ctypes.string_at(addr, 16) == code
    for bad in (b"", b"\x95" * 7, bytearray(12)):
        with pytest.raises(ValueError, match="multiple of 8"):
            model.insns(bad)
    with pytest.raises(TypeError, match="code"):
        model.insns(12)


def test_buffers_in_place():
    ba = bytearray(b"abcdefgh")
    addr, n, view = _buf.data_out(ba, "out")
    ctypes.memmove(addr, b"XY", 2)
    assert n == 8 and ba[:2] == b"XY" and view[:2] == b"XY"
    b = b"constant"
    addr, n, _ = _buf.data_in(b, "data")
    assert n == 8 and ctypes.string_at(addr, 8) == b
    with pytest.raises(ValueError, match="read-only"):
        _buf.data_out(b, "out")
    with pytest.raises(TypeError, match="out: bytes or a buffer"):
        _buf.data_out(3, "out")
    assert _buf.data_in("é", "data")[1] == 2        # str: UTF-8


def test_zone_actions_and_conditions():
    assert [zones.zone_action(a) for a in ("reset", "open", "close", "finish", "reset_all")] \
        == [1, 2, 3, 4, 5]
    with pytest.raises(ValueError, match="'opne'"):
        zones.zone_action("opne")
    with pytest.raises(TypeError):
        zones.zone_action(2)
    c = _lib.Zone(start=64, len=16, capacity=12, wp=70, type=2, cond=2, write_ops=3)
    assert uringblk.Zone.from_c(c) == (64, 16, 12, 70, "sequential", "imp_open", 3, 0)
    names = [uringblk.Zone.from_c(_lib.Zone(type=1, cond=k)).cond
             for k in (0, 1, 2, 3, 4, 0xd, 0xe, 0xf, 9)]
    assert names == ["not_wp", "empty", "imp_open", "exp_open", "closed", "readonly", "full",
                     "offline", "0x9"]


def test_range_set_object(closed):
    rs = uringblk.RangeSet(closed, 7, [(0, 4096), (8192, 4096)])
    assert int(rs) == 7 and rs.length == 8192 and "7: 2 ranges, 8192 bytes" in repr(rs)
    rs.deleted = True
    with rs:
        pass                            # deleted already: nothing to do


@pytest.mark.parametrize("call, exc, what", [
    (lambda d: d.mem_read(-1, 8), ValueError, "slm_off"),
    (lambda d: d.mem_read(0), TypeError, "give length or out"),
    (lambda d: d.mem_read(0, 0), ValueError, "length is 0"),
    (lambda d: d.mem_read(0, out=b"x"), ValueError, "read-only"),
    (lambda d: d.mem_read(0, 3, out=bytearray(4)), ValueError, "not out's 4 bytes"),
    (lambda d: d.mem_write(0, b""), ValueError, "data is empty"),
    (lambda d: d.mem_write(0, 5), TypeError, "data"),
    (lambda d: d.mem_copy(0, []), ValueError, "no ranges"),
    (lambda d: d.range_set_create([(0, 0)]), ValueError, "len is 0"),
    (lambda d: d.range_set_delete(-1), ValueError, "rsid"),
    (lambda d: d.execute(1, 1, args=(1, 2, 3, 4)), ValueError, "at most 3 args"),
    (lambda d: d.execute(1 << 32, 1), ValueError, "pind"),
    (lambda d: d.execute(1, 1, args=("a",)), TypeError, r"args\[0\]"),
    (lambda d: d.execute(1, 1, out_len=2 << 20), ValueError, "1 MiB"),
    (lambda d: d.execute(1, 1, out_len=8, out=bytearray(8)), ValueError, "not both"),
    (lambda d: d.exec(1, 0, 8, out=bytes(8)), ValueError, "read-only"),
    (lambda d: d.load_insns(b"\x95" * 12), ValueError, "multiple of 8"),
    (lambda d: d.load("x.o", engine="jit"), ValueError, "engine"),
    (lambda d: d.load("x.o", pind=-1), ValueError, "pind"),
    (lambda d: d.zone_mgmt(0, "rest"), ValueError, "action"),
    (lambda d: d.zone_append(0, b""), ValueError, "data is empty"),
    (lambda d: d.report_zones(-1), ValueError, "lba"),
])
def test_arguments_refused_before_the_drive(closed, call, exc, what):
    with pytest.raises(exc, match=what):
        call(closed)


@pytest.mark.parametrize("call", [
    lambda d: d.mem_read(0, 8), lambda d: d.mem_write(0, b"x"),
    lambda d: d.mem_copy(0, [(0, 1)]), lambda d: d.range_set_create([(0, 4096)]),
    lambda d: d.range_set_delete(1), lambda d: d.execute(1, 1, args=(-1,), out_len=8),
    lambda d: d.load_insns(b"\x95" + b"\0" * 7), lambda d: d.find("x"),
    lambda d: d.zone_open(0), lambda d: d.zone_append(0, b"\0" * 512),
    lambda d: d.report_zones(0, 1), lambda d: d.load("x.o", pind=3),
])
def test_good_arguments_reach_the_drive(closed, call):
    with pytest.raises(ValueError, match="closed"):
        call(closed)


# Drive's own calls (issue 73: exec(pid, -1, 1) reached the drive): every
# argument checked before the drive is asked, the exception naming it
DRIVE_REFUSALS = [
    (lambda d: d.exec(1, -1, 1), ValueError, "^lba: -1 is outside"),
    (lambda d: d.exec(1, 0, -1), ValueError, "^count: -1 is outside"),
    (lambda d: d.exec(1, 1 << 64, 1), ValueError, "^lba"),
    (lambda d: d.exec(-1, 0, 1), ValueError, "^prog"),
    (lambda d: d.exec(1 << 32, 0, 1), ValueError, "^prog"),
    (lambda d: d.exec("1", 0, 1), TypeError, "^prog: an int, not str"),
    (lambda d: d.exec(1, 0.5, 1), TypeError, "^lba: an int, not float"),
    (lambda d: d.exec(1, 0, 1, budget=-1), ValueError, "^budget"),
    (lambda d: d.exec(1, 0, 1, args=(1, 2, 3, 4)), ValueError, "^args: a run takes at most 3"),
    (lambda d: d.exec(1, 0, 1, args=5), TypeError, "^args"),
    (lambda d: d.exec(1, 0, 1, args="abc"), TypeError, "^args"),
    (lambda d: d.exec(1, 0, 1, args=("x",)), TypeError, r"^args\[0\]"),
    (lambda d: d.exec(1, 0, 1, out_len=-1), ValueError, "^out_len"),
    (lambda d: d.exec(1, 0, 1, out_len=(1 << 20) + 1), ValueError, "^out_len"),
    (lambda d: d.exec_file(1, 42), TypeError, "^path: a path"),
    (lambda d: d.exec_file(-1, "f"), ValueError, "^prog"),
    (lambda d: d.unload(-1), ValueError, "^prog_id"),
    (lambda d: d.unload("3"), TypeError, "^prog_id"),
    (lambda d: d.activate(-2), ValueError, "^pind"),
    (lambda d: d.load(42), TypeError, "^obj: a path"),
    (lambda d: d.load("x.o", engine="jit"), ValueError, "^engine"),
    (lambda d: d.load("x.o", function=3), TypeError, "^function: a str"),
    (lambda d: d.load("x.o", name=b"n"), TypeError, "^name: a str"),
    (lambda d: d.load("x.o", pind=-1), ValueError, "^pind"),
    (lambda d: d.query(42), TypeError, "^q: a uringblk.Query or a query's text, not int"),
    (lambda d: d.query(uringblk.Query("SELECT count(*)"), lba=-1), ValueError, "^lba"),
    (lambda d: d.query(uringblk.Query("SELECT count(*)"), limit=-1), ValueError, "^limit"),
    (lambda d: d.query(uringblk.Query("SELECT count(*)"), budget=-1), ValueError, "^budget"),
    (lambda d: d.query(uringblk.Query("SELECT count(*)"), file=3), TypeError, "^file"),
    (lambda d: d.query("SELECT summ($1)"), uringblk.UringblkError, "unknown function"),
    (lambda d: d.kv_put("k" * 17, b"v"), ValueError, "^key: a key is 1..16 bytes, not 17"),
    (lambda d: d.kv_put("", b"v"), ValueError, "^key: a key is 1..16 bytes, not 0"),
    (lambda d: d.kv_put(7, b"v"), TypeError, "^key: str or bytes, not int"),
    (lambda d: d.kv_put("k", 7), TypeError, "^value: str or bytes, not int"),
    (lambda d: d.kv_get(b"k" * 17), ValueError, "^key"),
    (lambda d: d.kv_exists(b"k" * 17), ValueError, "^key"),
    (lambda d: d.kv_delete(b"k" * 17), ValueError, "^key"),
    (lambda d: d.kv_keys(b"k" * 17), ValueError, "^start"),
    (lambda d: d.kv_select(b"k" * 17, "SELECT count(*)"), ValueError, "^key"),
    (lambda d: d.kv_select(b"k", 42), TypeError, "^q: a uringblk.Query"),
    (lambda d: uringblk.Drive(42), TypeError, "^path: a path"),
]


def test_drive_arguments_refused_before_the_drive(closed):
    for i, (call, exc, what) in enumerate(DRIVE_REFUSALS):
        with pytest.raises(exc, match=what):
            call(closed)


def test_drive_good_arguments_reach_the_drive(closed):
    q = uringblk.Query("SELECT count(*)")
    for call in [lambda d: d.exec(1, 0, 1, args=(-1, 2), budget=5, out_len=8),
                 lambda d: d.exec((1 << 32) - 1, (1 << 64) - 1, 1),
                 lambda d: d.unload(3), lambda d: d.activate(3, False),
                 lambda d: d.query(q, lba=0, count=8), lambda d: d.query("SELECT count(*)"),
                 lambda d: d.kv_put("k" * 16, "v"), lambda d: d.kv_get(bytearray(b"k")),
                 lambda d: d.kv_keys("a"), lambda d: d.kv_select("k", "SELECT count(*)"),
                 lambda d: d.kv_select("k", q)]:
        with pytest.raises(ValueError, match="closed"):
            call(closed)


def test_open_names_the_one_cause(tmp_path):
    with pytest.raises(FileNotFoundError) as e:
        uringblk.Drive(str(tmp_path / "missing"))
    assert e.value.strerror == f"open {tmp_path}/missing: No such file or directory"
    with pytest.raises(FileNotFoundError) as e:
        uringblk.Drive("/dev/uringblk4093")
    assert e.value.strerror == ("open /dev/uringblk4093: no drive 4093: /dev/uringblkc4093 "
                                "does not exist (is the uringblk module loaded?)")
    with pytest.raises(uringblk.UringblkError) as e:
        uringblk.Drive(str(tmp_path))             # a directory, not a device node
    assert e.value.errno == errno.ENODEV
    assert e.value.strerror == f"open {tmp_path}: not a uringblk drive"
    with pytest.raises(uringblk.UringblkError) as e:
        uringblk.Drive("sda")
    assert e.value.errno == errno.EINVAL and "not a uringblk drive's node or name" in str(e.value)


def test_library_refusal_is_an_exception():
    """A NULL handle: the library's own -EINVAL, as UringblkError."""
    with pytest.raises(uringblk.UringblkError) as e:
        uringblk.errors.check(lib_ret := _lib.lib.uringblk_range_set_delete(None, 1), "x")
    assert lib_ret == -errno.EINVAL and e.value.errno == errno.EINVAL and e.value.status == 0


# -- numpy (python3-numpy; skipped without it) -----------------------------

def _np():
    return pytest.importorskip("numpy", reason="numpy arrays need python3-numpy "
                               "(tools/deps.sh installs it)")


def test_exec_result_array_is_a_view():
    np = _np()
    out = np.arange(256, dtype="<u8").tobytes()
    r = uringblk.ExecResult(0, 1, 2, out)
    a = r.array("<u8")
    assert a.tolist() == list(range(256))
    assert a.__array_interface__["data"][0] == _buf.data_in(out, "x")[0]   # no copy
    assert r.array().shape == (2048,)
    with pytest.raises(ValueError, match="2048 bytes of output are not whole"):
        r.array("V3")


def test_numpy_arrays_in_place():
    np = _np()
    arr = np.zeros(16, dtype=np.uint32)
    addr, n, view = _buf.data_out(arr, "out")
    assert addr == arr.ctypes.data and n == 64
    ctypes.memmove(addr + 4, (ctypes.c_uint32 * 1)(7), 4)
    assert arr[1] == 7 and view[4] == 7
    addr, n, _ = _buf.data_in(arr, "data")
    assert addr == arr.ctypes.data and n == 64
    with pytest.raises(ValueError, match="C-contiguous"):
        _buf.data_out(arr[::2], "out")
    ro = np.arange(4, dtype=np.uint8)
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        _buf.data_out(ro, "out")
    addr, n, owner = _buf.data_in(ro, "data")      # read-only: copied once
    assert n == 4 and ctypes.string_at(addr, 4) == bytes([0, 1, 2, 3])


def test_numpy_missing_says_which_package(monkeypatch):
    import builtins
    real = builtins.__import__

    def no_numpy(name, *a, **k):
        if name == "numpy":
            raise ImportError("No module named 'numpy'")
        return real(name, *a, **k)
    monkeypatch.setattr(builtins, "__import__", no_numpy)
    with pytest.raises(ImportError, match="python3-numpy"):
        uringblk.ExecResult(0, 0, 0, b"").array()
