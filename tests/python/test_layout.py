# SPDX-License-Identifier: GPL-2.0
"""The bindings' structs are the C structs: every size and field offset
compared with what the C compiler says of <liburingblk.h>, and every
library call the bindings declare exported by the library."""

import ctypes
import os
import subprocess

import pytest

from uringblk import _lib

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


@pytest.fixture(scope="module")
def c_layout(tmp_path_factory):
    d = tmp_path_factory.mktemp("layout")
    lines = ["#include <stddef.h>", "#include <stdio.h>", "#include <liburingblk.h>",
             "int main(void) {",
             '\tprintf("uringblk_stats - %zu 0\\n", sizeof(struct uringblk_stats));']
    for cname, cls in _lib.STRUCTS.items():
        lines.append(f'\tprintf("{cname} - %zu 0\\n", sizeof(struct {cname}));')
        for fname, _ in cls._fields_:
            c = _lib.C_FIELD.get(fname, fname)
            lines.append(f'\tprintf("{cname} {fname} %zu %zu\\n", '
                         f'offsetof(struct {cname}, {c}), '
                         f'sizeof(((struct {cname} *)0)->{c}));')
    lines += ["\treturn 0;", "}"]
    src, exe = d / "layout.c", d / "layout"
    src.write_text("\n".join(lines) + "\n")
    subprocess.run(["cc", "-Wall", "-Werror", "-I", os.path.join(TOP, "lib", "include"),
                    "-o", str(exe), str(src)], check=True)
    out = {}
    for line in subprocess.run([str(exe)], check=True, capture_output=True,
                               text=True).stdout.splitlines():
        s, f, off, size = line.split()
        out[(s, f)] = (int(off), int(size))
    return out


@pytest.mark.parametrize("cname", sorted(_lib.STRUCTS))
def test_struct(c_layout, cname):
    cls = _lib.STRUCTS[cname]
    assert ctypes.sizeof(cls) == c_layout[(cname, "-")][0], f"sizeof(struct {cname})"
    for fname, _ in cls._fields_:
        field = getattr(cls, fname)
        assert (field.offset, field.size) == c_layout[(cname, fname)], \
            f"struct {cname}.{fname}: (offset, size)"


def test_stats_room(c_layout):
    assert c_layout[("uringblk_stats", "-")][0] <= _lib.STATS_BYTES


def test_calls_exported():
    """Every call in _PROTOS is a symbol of the library's version script
    (a typo or a removed symbol fails here, not in a user's program)."""
    with open(os.path.join(TOP, "lib", "liburingblk.map")) as f:
        mapped = f.read()
    for name in _lib._PROTOS:
        assert f"\t\t{name};" in mapped, f"{name} is not in lib/liburingblk.map"
        assert hasattr(_lib.lib, name)


# the bindings' copies of the headers' limits (they check arguments with them)
CONSTANTS = {"KV_MAX_KEY": "URINGBLK_KV_MAX_KEY", "QUERY_MAX_RECLEN": "URINGBLK_QUERY_MAX_RECLEN",
             "QUERY_MAX_AGGS": "URINGBLK_QUERY_MAX_AGGS", "MAX_PROGS": "URINGBLK_MAX_PROGS",
             "PROG_NAME_LEN": "URINGBLK_PROG_NAME_LEN"}


def test_constants(tmp_path):
    src, exe = tmp_path / "c.c", tmp_path / "c"
    src.write_text("#include <stdio.h>\n#include <liburingblk.h>\nint main(void) {\n" +
                   "".join(f'\tprintf("{py} %lld\\n", (long long){c});\n'
                           for py, c in CONSTANTS.items()) + "\treturn 0;\n}\n")
    subprocess.run(["cc", "-Wall", "-Werror", "-I", os.path.join(TOP, "lib", "include"),
                    "-o", str(exe), str(src)], check=True)
    for line in subprocess.run([str(exe)], check=True, capture_output=True,
                               text=True).stdout.splitlines():
        name, value = line.split()
        assert getattr(_lib, name) == int(value), name
