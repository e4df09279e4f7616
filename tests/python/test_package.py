# SPDX-License-Identifier: GPL-2.0
"""The package as a package: its version is the release's (the tree's
VERSION file, as the module's, the library's and the Debian packages'),
python/pyproject.toml builds a wheel offline with Debian's own pip and
setuptools (no network, no build isolation) holding every module and
py.typed, and debian/ installs the same files."""

import glob
import os
import re
import shutil
import subprocess
import sys
import zipfile

import uringblk

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PKG = os.path.join(TOP, "python", "uringblk")


def _release():
    with open(os.path.join(TOP, "VERSION")) as f:
        return f.read().strip()


def test_version_is_the_release():
    assert re.fullmatch(r"\d+\.\d+\.\d+", _release())
    assert uringblk.__version__ == _release()


def test_wheel_builds_offline(tmp_path):
    src = tmp_path / "python"
    shutil.copytree(os.path.join(TOP, "python"), src,
                    ignore=shutil.ignore_patterns("__pycache__", "build", "*.egg-info"))
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                        "--no-build-isolation", "--no-index", "-q", "-w", str(tmp_path / "dist"),
                        str(src)], capture_output=True, text=True,
                       env=dict(os.environ, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1"))
    assert r.returncode == 0, r.stderr
    wheels = glob.glob(str(tmp_path / "dist" / "*.whl"))
    assert [os.path.basename(w) for w in wheels] == [f"uringblk-{_release()}-py3-none-any.whl"]
    names = set(zipfile.ZipFile(wheels[0]).namelist())
    mine = {f"uringblk/{f}" for f in os.listdir(PKG) if f.endswith(".py") or f == "py.typed"}
    assert "uringblk/py.typed" in mine
    assert mine <= names, mine - names
    meta = zipfile.ZipFile(wheels[0]).read(f"uringblk-{_release()}.dist-info/METADATA")
    assert f"Version: {_release()}" in meta.decode()


def test_debian_installs_the_same_files():
    lines = open(os.path.join(TOP, "debian", "python3-uringblk.install")).read().split("\n")
    got = set()
    for line in filter(None, lines):
        pattern, dest = line.split()
        assert dest == "usr/lib/python3/dist-packages/uringblk"
        got |= {os.path.basename(p) for p in glob.glob(os.path.join(TOP, pattern))}
    assert got == {f for f in os.listdir(PKG) if f.endswith(".py") or f == "py.typed"}
