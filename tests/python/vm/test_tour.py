# SPDX-License-Identifier: GPL-2.0
"""README's tour from Python: identify, 1 MiB of text on the drive, a
program loaded for the interpreter and for the kernel's BPF engine, each
run over it, the counters; and the same count over a file on ext4."""

import errno
import json
import mmap
import os

import pytest

import uringblk
from vmutil import TOP, cli, ext4_on

TEXT = (b"Alpha, Bravo, Charlie\n" * 50000)[:1 << 20]
ALPHAS = TEXT.count(b"Alpha")


def write_direct(path, data, offset=0):
    buf = mmap.mmap(-1, len(data))
    buf.write(data)
    fd = os.open(path, os.O_WRONLY | os.O_DIRECT)
    try:
        assert os.pwritev(fd, [buf], offset) == len(data)
    finally:
        os.close(fd)
        buf.close()


@pytest.fixture(scope="module")
def drive():
    with uringblk.Drive("/dev/uringblk0") as d:
        yield d


def test_identify_matches_the_cli(drive):
    """Every IDENTIFY field the CLI's JSON prints, the same from Python."""
    py = drive.identify()
    js = json.loads(cli("info", "/dev/uringblk0", "--json").stdout)
    common = [k for k in js if k in py]
    assert len(common) >= 20, f"few fields in common: {common}"
    for k in common:
        assert py[k] == js[k], k
    assert py["dev_index"] == drive.index == 0
    assert "compute" in py["feature_names"]
    assert drive.blk_path == "/dev/uringblk0" and drive.chr_path == "/dev/uringblkc0"


def test_count_on_both_engines_and_counters(drive):
    drive.stats(reset=True)
    write_direct("/dev/uringblk0", TEXT)
    ids = [drive.load(os.path.join(TOP, "out/bpf/count_pattern.bpf.o"))]
    kbpf = drive.identify()["engines"] & 4
    if kbpf:
        ids.append(drive.load(os.path.join(TOP, "out/bpf/kbpf/count_pattern.bpf.o"),
                              engine="kernel"))
    try:
        listed = {p.id: p for p in drive.programs()}
        assert listed[ids[0]].type == "ebpf" and listed[ids[0]].name == "count_pattern"
        for pid in ids:
            r = drive.exec(pid, lba=0, count=2048, args=uringblk.pattern_args("Alpha"))
            assert r.r0 == ALPHAS
            assert r.bytes_scanned == len(TEXT)
        assert {p.id: p.runs for p in drive.programs()}[ids[0]] == 1
        st = drive.stats()
        assert st["write_bytes"] == len(TEXT)
        assert st["read_ops"] == 0
        assert st["prog_runs"] == len(ids)
        assert st["prog_bytes_scanned"] == len(TEXT) * len(ids)
    finally:
        for pid in ids:
            drive.unload(pid)
    assert not [p for p in drive.programs() if p.id in ids]


def test_run_stopped_by_its_budget(drive):
    pid = drive.load(os.path.join(TOP, "out/bpf/count_pattern.bpf.o"))
    try:
        with pytest.raises(uringblk.ExecError) as e:
            drive.exec(pid, 0, 2048, args=uringblk.pattern_args("Alpha"), budget=1000)
        assert e.value.abort == "budget"
        assert e.value.errno == errno.ETIME
        assert 0 < e.value.result.insns <= 1000 + 64
    finally:
        drive.unload(pid)


def test_errors_are_exceptions(drive):
    with pytest.raises(uringblk.UringblkError) as e:
        drive.exec(12345, 0, 8)
    assert e.value.errno == errno.ENOENT
    with pytest.raises(uringblk.UringblkError) as e:
        drive.load("/nonexistent.bpf.o")
    assert e.value.errno == errno.ENOENT
    with pytest.raises(uringblk.UringblkError) as e:
        drive.exec(1, 1 << 40, 8)       # no such program or no such range
    assert e.value.errno in (errno.ENOENT, errno.ERANGE)
    with pytest.raises(FileNotFoundError) as e:
        uringblk.Drive("/dev/uringblk77")
    assert e.value.errno == errno.ENOENT and isinstance(e.value, uringblk.UringblkError)
    with pytest.raises(ValueError):
        uringblk.pattern_args("x" * 17)


def test_one_cause_per_message(drive, tmp_path):
    """Issue 73: each message names the one cause that happened, not the
    errno's list of every cause; arguments are refused before the drive."""
    pid = drive.load(os.path.join(TOP, "out/bpf/count_pattern.bpf.o"))
    try:
        with pytest.raises(ValueError, match=r"^lba: -1 is outside 0\.\."):
            drive.exec(pid, -1, 1)
        with pytest.raises(ValueError, match="^count"):
            drive.exec(pid, 0, -1)
    finally:
        drive.unload(pid)
    junk = tmp_path / "junk.bpf.o"
    junk.write_bytes(b"this is not an ELF file\n" * 4)
    with pytest.raises(uringblk.UringblkError) as e:
        drive.load(str(junk))
    assert e.value.errno == errno.EINVAL
    # libbpf's reason alone, not EINVAL's list (reserved fields, buffers...)
    assert e.value.strerror.startswith(f"load {junk}: libbpf: elf: '{junk}' is not a proper "
                                       f"ELF object"), e.value.strerror
    assert "reserved field" not in e.value.strerror
    with pytest.raises(FileNotFoundError) as e:
        drive.load(str(tmp_path / "missing.bpf.o"))
    # libbpf's reason: the file, not ENOENT's list (device node, program slot...)
    assert e.value.strerror.startswith(f"load {tmp_path}/missing.bpf.o: libbpf: elf: failed "
                                       f"to open {tmp_path}/missing.bpf.o: No such file or "
                                       f"directory"), e.value.strerror
    assert "slot" not in e.value.strerror
    with pytest.raises(FileNotFoundError) as e:
        uringblk.Drive(str(tmp_path / "missing"))
    assert e.value.strerror == f"open {tmp_path}/missing: No such file or directory"
    with pytest.raises(FileNotFoundError) as e:
        uringblk.Drive("uringblkc77")
    assert e.value.strerror == ("open uringblkc77: no drive 77: /dev/uringblkc77 does not "
                                "exist (is the uringblk module loaded?)")
    with pytest.raises(uringblk.UringblkError) as e:
        uringblk.Drive("/dev/null")
    assert e.value.errno == errno.ENODEV
    assert e.value.strerror == "open /dev/null: not a uringblk drive"


def test_count_over_a_file_and_a_query(runtime_drive):
    idx = runtime_drive("pyfile", "--capacity-mb", "256")
    dev = f"/dev/uringblk{idx}"
    with ext4_on(dev) as mnt:
        path = os.path.join(mnt, "text")
        with open(path, "wb") as f:
            f.write(TEXT + b"Alpha\n")
        csv = os.path.join(mnt, "t.csv")
        rows = "".join(f"{i % 7},{i}.{i % 100:02d}\n" for i in range(5000))
        with open(csv, "w") as f:
            f.write(rows)
        os.sync()
        with uringblk.Drive(dev) as d:
            pid = d.load(os.path.join(TOP, "out/bpf/count_pattern.bpf.o"))
            try:
                r = d.exec_file(pid, path, args=uringblk.pattern_args("Alpha"))
                assert r.r0 == ALPHAS + 1
            finally:
                d.unload(pid)
            q = uringblk.Query("SELECT $1, count(*), sum($2:dec2) GROUP BY $1")
            on_drive = d.query(q, file=csv)
            assert on_drive.rows == q.run_host(rows).rows
            assert len(on_drive.rows) == 7 and on_drive.insns > 0


def test_removed_drive_raises(runtime_drive):
    idx = runtime_drive("pyrm", "--capacity-mb", "64")
    d = uringblk.Drive(f"/dev/uringblkc{idx}")
    try:
        cli("remove", "pyrm")
        with pytest.raises(uringblk.UringblkError) as e:
            d.identify()
        assert e.value.errno in (errno.ENODEV, errno.ENXIO, errno.EIO)
    finally:
        d.close()
    d.close()                           # twice: nothing
    with pytest.raises(ValueError):
        d.stats()
