#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Python bindings (python/uringblk) against the drive: pytest runs
# tests/python/vm in this guest (README's tour from Python, a count over
# a file on ext4, a query on the drive and on the host, a KV drive with a
# select, errors and a removed drive as exceptions, the standard's model
# on a drive with SLM, a zoned drive, Documentation/uapi/python.md's
# session, a clean kernel log).
# Each pytest test is a test case: pytest's plugin in tests/python prints
# the totals line.
#
# Needs root, URINGBLK_KO and Debian's python3-pytest (else skips); the
# numpy cases need python3-numpy (else they skip, saying so).
# URINGBLK_PYTHON_SITE=DIR tests the package installed in DIR instead of
# the tree's python/, e.g. make deb's python3-uringblk unpacked
# (out/deb/unpacked/usr/lib/python3/dist-packages, with URINGBLK_LIB=
# its liburingblk1's library): the package and its library must be loaded
# from there, or the run fails.
# Leaves the module unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

TOP=$(ub_top tests/python/vm)
PYTHON=/usr/bin/python3

if ! ub_need_ko || ! "$PYTHON" -c 'import pytest' 2>/dev/null; then
	echo "# SKIP: needs root, URINGBLK_KO and python3-pytest"
	echo "# Totals: pass:0 fail:0 xfail:0 xpass:0 skip:1 error:0"
	exit "$KSFT_SKIP"
fi
ub_unload
ub_load || exit 1
ub_configfs
dmesg | wc -l > /tmp/ub-python-dmesg-start
installed=()
if [[ -n ${URINGBLK_PYTHON_SITE:-} ]]; then
	installed=(URINGBLK_PYTHON_INSTALLED=1 "PYTHONPATH=$URINGBLK_PYTHON_SITE")
	env "${installed[@]}" PYTHONDONTWRITEBYTECODE=1 "$PYTHON" -c 'import sys, uringblk
print("# uringblk from", uringblk.__file__, "and", uringblk.library_path)
sys.exit(not uringblk.__file__.startswith(sys.argv[1]))' "$URINGBLK_PYTHON_SITE/" || {
		echo "# uringblk is not the one in $URINGBLK_PYTHON_SITE"
		echo "# Totals: pass:0 fail:1 xfail:0 xpass:0 skip:0 error:0"
		ub_unload
		exit 1
	}
fi
cd "$TOP" &&
	env "${installed[@]}" PYTHONDONTWRITEBYTECODE=1 URINGBLK_CLI=${URINGBLK_CLI:-$TOP/out/bin/uringblk} \
	URINGBLK_PYTEST_VM=1 "$PYTHON" -m pytest -q -p no:cacheprovider -o addopts= tests/python/vm
rc=$?
ub_unload
exit "$rc"
