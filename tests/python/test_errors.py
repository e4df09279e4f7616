# SPDX-License-Identifier: GPL-2.0
"""UringblkError as Python's own OSError: an errno picks the builtin
subclass OSError(errno, msg) would (ENOENT a FileNotFoundError...), while
``except UringblkError`` still catches every failure; the classes pickle
(multiprocessing sends exceptions back pickled); and the package imports
without liburingblk, which it loads at its first call."""

import errno
import os
import pickle
import subprocess
import sys

import pytest

import uringblk
from uringblk import errors

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def test_subclass_as_oserror():
    for err in sorted(errno.errorcode):      # every errno, as OSError maps it
        builtin = type(OSError(err, "x"))
        for e in (uringblk.UringblkError(err, "msg", 0x1b9),
                  uringblk.UringblkError(-err, "msg")):
            assert isinstance(e, uringblk.UringblkError) and isinstance(e, builtin), err
            assert e.errno == err and e.strerror == "msg" and e.args == (err, "msg")
            if builtin is not OSError:
                assert type(e).__name__ == "Uringblk" + builtin.__name__
                assert type(e).__module__ == "uringblk.errors"
            else:
                assert type(e) is uringblk.UringblkError


def test_except_clauses():
    with pytest.raises(FileNotFoundError) as ei:
        raise uringblk.UringblkError(-errno.ENOENT, "open /dev/uringblk9: no such drive")
    assert ei.value.errno == errno.ENOENT
    for err, builtin in [(errno.EACCES, PermissionError), (errno.EPERM, PermissionError),
                         (errno.EEXIST, FileExistsError), (errno.EAGAIN, BlockingIOError),
                         (errno.ETIMEDOUT, TimeoutError), (errno.EINTR, InterruptedError)]:
        try:
            raise uringblk.UringblkError(err, "x")
        except builtin as e:
            assert isinstance(e, uringblk.UringblkError)
        try:
            raise uringblk.UringblkError(err, "x")
        except uringblk.UringblkError as e:
            assert isinstance(e, builtin)
    # an errno without a builtin subclass is the class itself
    e = uringblk.UringblkError(errno.ENOSPC, "full", 0x1b9)
    assert type(e) is uringblk.UringblkError
    assert str(e) == "[ENOSPC, status 0x1b9] full"


def test_exec_error_subclasses():
    r = uringblk.ExecResult(1, 2, 3, b"")
    e = uringblk.ExecError(-errno.ETIMEDOUT, "run", 0x4, r, "budget")
    assert isinstance(e, uringblk.ExecError) and isinstance(e, TimeoutError)
    assert e.result is r and e.abort == "budget" and e.status == 4
    assert type(uringblk.ExecError(errno.ETIME, "run", 0, r, "budget")) is uringblk.ExecError


def test_pickle():
    for e in (uringblk.UringblkError(errno.ENOENT, "gone", 0x187),
              uringblk.UringblkError(errno.ENOSPC, "full"),
              uringblk.ExecError(errno.EPERM, "run", 2, uringblk.ExecResult(1, 2, 3, b"o"), "x")):
        back = pickle.loads(pickle.dumps(e))
        assert type(back) is type(e) and str(back) == str(e) and back.args == e.args
        assert back.status == e.status
        assert getattr(back, "result", None) == getattr(e, "result", None)


def test_check_names_one_cause():
    # a reason the library wrote is the cause: not the errno's list of causes
    with pytest.raises(uringblk.UringblkError) as ei:
        errors.check(-errno.EINVAL, "load x.o", log=b"x.o: not an ELF object: invalid\n")
    assert ei.value.strerror == "load x.o: x.o: not an ELF object: invalid"


def _python(code, **env):
    e = dict(os.environ, PYTHONPATH=os.path.join(TOP, "python"), **env)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=e)


def test_import_without_library():
    # plot uses nothing of liburingblk, and the package loads it lazily
    r = _python("import uringblk, uringblk.plot; print(uringblk.__version__)",
                URINGBLK_LIB="/nonexistent/liburingblk.so.1")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == uringblk.__version__
    # the first call that needs it says why it is missing
    r = _python("import uringblk; uringblk.Drive('0')",
                URINGBLK_LIB="/nonexistent/liburingblk.so.1")
    assert r.returncode and "ImportError: uringblk: cannot load liburingblk" in r.stderr
    assert "/nonexistent/liburingblk.so.1: no such file" in r.stderr


def test_library_path():
    assert os.path.exists(uringblk.library_path)
    assert "liburingblk" in uringblk.library_path
