# SPDX-License-Identifier: (GPL-2.0 OR MIT)
"""The release the package belongs to: liburingblk's VERSION_MAJOR and
VERSION_MINOR (lib/Makefile) and .0, as the Debian packages are numbered.
pyproject.toml reads it from here; tests/python/test_package.py fails when
it and lib/Makefile disagree."""

__version__ = "1.12.0"
