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
cd "$TOP" &&
	PYTHONDONTWRITEBYTECODE=1 URINGBLK_CLI=${URINGBLK_CLI:-$TOP/out/bin/uringblk} \
	URINGBLK_PYTEST_VM=1 "$PYTHON" -m pytest -q -p no:cacheprovider -o addopts= tests/python/vm
rc=$?
ub_unload
exit "$rc"
