# SPDX-License-Identifier: GPL-2.0
"""The standard's model from Python, on a drive with 32 MiB of SLM:
programs in slots, the drive's memory written, read and copied from its
blocks, range sets, Execute Program against Python's own count and
numpy's histogram, a file through the standard's flow, and the
refusals as exceptions carrying errno and the drive's status."""

import errno
import os
import struct

import pytest

import uringblk
from test_tour import write_direct
from vmutil import TOP, cli, ext4_on

SLM = 32 << 20
COUNT = os.path.join(TOP, "out/bpf/count_pattern.bpf.o")
HIST = os.path.join(TOP, "out/bpf/histogram.bpf.o")
TEXT = (b"Alpha, Bravo, Charlie\n" * 3000)[:64 << 10]


def _np():
    return pytest.importorskip("numpy", reason="numpy arrays need python3-numpy "
                               "(tools/deps.sh installs it)")


@pytest.fixture
def md(runtime_drive):
    idx = runtime_drive("pymodel", "--capacity-mb", "64", "--slm-size", str(SLM))
    with uringblk.Drive(f"/dev/uringblkc{idx}") as d:
        yield d


def _refused(call, err):
    with pytest.raises(uringblk.UringblkError) as e:
        call()
    assert e.value.errno == err, str(e.value)
    return e.value


def test_slots_find_activate(md):
    pid = md.load(COUNT, name="cp5", pind=5)
    p = md.find("cp5")
    assert (p.id, p.pind, p.type, p.active) == (pid, 5, "ebpf", False)
    e = _refused(lambda: md.load(COUNT, pind=5), errno.EBUSY)
    assert e.status != 0
    _refused(lambda: md.load(COUNT, pind=99), errno.ERANGE)
    _refused(lambda: md.find("nothing"), errno.ENOENT)
    md.activate(5)
    assert md.find("cp5").active
    _refused(lambda: md.unload(pid), errno.EBUSY)           # active
    md.activate(5, False)
    md.unload(pid)


def test_memory_write_read_copy(md):
    idf = md.identify()
    assert idf["slm_size"] == SLM and idf["max_mem_xfer"] == 16 << 20
    data = os.urandom(17 << 20)                 # more than one transfer
    assert md.mem_write(4096, data) == len(data)
    assert md.mem_read(4096, len(data)) == data
    buf = bytearray(100)
    assert md.mem_read(4096 + 5, out=buf) is buf and buf == data[5:105]
    e = _refused(lambda: md.mem_read(SLM - 4, 8), errno.ERANGE)
    assert e.status != 0
    # blocks into SLM, a hole as zeroes; the data never leave the drive
    write_direct(md.blk_path, TEXT)
    bs = idf["logical_block_size"]
    st = md.stats(reset=True)
    n = md.mem_copy(0, [(0, 8), uringblk.CopyRange(0, 2, zero=True), (8, 8)])
    assert n == 18 * bs
    assert md.mem_read(0, n) == TEXT[:8 * bs] + bytes(2 * bs) + TEXT[8 * bs:16 * bs]
    st = md.stats()
    assert st["slm_bytes_from_media"] == 16 * bs
    _refused(lambda: md.mem_copy(0, [(1 << 40, 1)]), errno.ERANGE)


def test_range_sets_and_execute(md):
    pg = 4096
    md.mem_write(0, TEXT[:8 * pg])
    md.mem_write(16 * pg, TEXT[8 * pg:16 * pg])
    pid = md.load(COUNT, pind=3)
    md.activate(3)
    try:
        args = uringblk.pattern_args("Charlie")
        with md.range_set_create([(0, 8 * pg), (16 * pg, 8 * pg)]) as rs:
            assert rs.length == 16 * pg and rs.rsid > 0
            r = md.execute(3, rs, args=args)
            assert r.r0 == TEXT[:16 * pg].count(b"Charlie")
            assert r.bytes_scanned == 16 * pg
            r = md.execute(3, rs.rsid, args=args, data_len=1000)
            assert r.r0 == TEXT[:1000].count(b"Charlie")
            _refused(lambda: md.execute(3, rs, data_len=17 * pg), errno.ERANGE)
            _refused(lambda: md.execute(4, rs, args=args), errno.ENOENT)   # empty slot
        assert rs.deleted
        _refused(lambda: md.execute(3, rs, args=args), errno.EBADSLT)
        _refused(lambda: md.range_set_delete(rs), errno.EBADSLT)
        _refused(lambda: md.range_set_create([(1, pg)]), errno.EINVAL)      # unaligned
        md.activate(3, False)
        with md.range_set_create([(0, pg)]) as rs:
            _refused(lambda: md.execute(3, rs, args=args), errno.ENOEXEC)  # inactive
        with pytest.raises(uringblk.ExecError) as e:
            md.activate(3)
            with md.range_set_create([(0, pg)]) as rs:
                md.execute(3, rs, args=(0, 0, 0))     # pattern length 0: abort "arg"
        assert e.value.abort == "arg" and e.value.errno == errno.EINVAL
    finally:
        md.activate(3, False)
        md.unload(pid)


def test_instructions_as_bytes(md):
    code = struct.pack("<BBhi", 0xb7, 0, 0, 41) + struct.pack("<BBhi", 0x95, 0, 0, 0)
    pid = md.load_insns(code, name="r41", pind=7)
    try:
        assert md.find("r41").insn_cnt == 2
        assert md.exec(pid, 0, 1).r0 == 41
    finally:
        md.unload(pid)
    e = _refused(lambda: md.load_insns(code[:8]), errno.EINVAL)     # no exit
    assert "insn" in e.strerror                                      # the validator's reason


def test_numpy_results(md):
    np = _np()
    write_direct(md.blk_path, TEXT)
    want = np.bincount(np.frombuffer(TEXT, np.uint8), minlength=256)
    pid = md.load(HIST, pind=2)
    md.activate(2)
    try:
        r = md.exec(pid, 0, len(TEXT) // 512, out_len=2048)
        assert (r.array("<u8") == want).all() and r.r0 == np.count_nonzero(want)
        counts = np.zeros(256, dtype="<u8")             # the output lands here
        md.mem_copy(0, [(0, len(TEXT) // 512)])
        with md.range_set_create([(0, len(TEXT))]) as rs:
            r = md.execute(2, rs, out=counts)
        assert (counts == want).all()
        assert np.shares_memory(r.array("<u8"), counts)
    finally:
        md.activate(2, False)
        md.unload(pid)
    a = md.mem_read_array(0, "<u4", len(TEXT) // 4)
    assert a.tobytes() == TEXT
    md.mem_write(8192, np.arange(1024, dtype="<u4"))
    assert md.mem_read_array(8192, "<u4", 1024).tolist() == list(range(1024))


def test_execute_over_a_file(runtime_drive):
    idx = runtime_drive("pymodelfs", "--capacity-mb", "64", "--slm-size", str(SLM))
    dev = f"/dev/uringblk{idx}"
    with ext4_on(dev) as mnt:
        path = os.path.join(mnt, "text")
        with open(path, "wb") as f:
            f.write(TEXT + b"Alpha")
        os.sync()
        with uringblk.Drive(dev) as d:
            pid = d.load(COUNT, pind=1)
            d.activate(1)
            try:
                r = d.execute_file(1, path, args=uringblk.pattern_args("Alpha"))
                assert r.r0 == TEXT.count(b"Alpha") + 1
                _refused(lambda: d.execute_file(1, path, slm_off=SLM - 4096,
                                                args=uringblk.pattern_args("Alpha")),
                         errno.ERANGE)
            finally:
                d.activate(1, False)
                d.unload(pid)


def test_removed_drive_raises(runtime_drive):
    """The model's and zones' calls on a drive removed under them raise
    (ENODEV), the interpreter lives on, and a range set's context exit
    reports the removal rather than crash."""
    idx = runtime_drive("pymodelrm", "--capacity-mb", "64", "--zoned", "--zone-size-mb", "8",
                        "--slm-size", str(SLM))
    d = uringblk.Drive(f"/dev/uringblkc{idx}")
    try:
        d.mem_write(0, b"x" * 4096)
        rs = d.range_set_create([(0, 4096)])
        assert len(d.report_zones()) == 8
        cli("remove", "pymodelrm")
        for call in (lambda: d.mem_read(0, 8), lambda: d.mem_write(0, b"y"),
                     lambda: d.mem_copy(0, [(0, 1)]), lambda: d.range_set_create([(0, 4096)]),
                     lambda: d.execute(1, rs), lambda: d.report_zones(0, 1),
                     lambda: d.zone_append(16384, bytes(512)), lambda: d.zone_reset_all(),
                     rs.delete):
            _refused(call, errno.ENODEV)
    finally:
        d.close()
