# SPDX-License-Identifier: (GPL-2.0 OR MIT)
"""The release the package belongs to (the tree's VERSION file, also the
module's, the library's and the Debian packages').  pyproject.toml reads it
from here, since an installed package has no VERSION file;
tests/python/test_package.py fails when the two disagree."""

__version__ = "1.12.0"
