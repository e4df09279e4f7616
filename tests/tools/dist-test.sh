#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/tools/dist-test.sh - native tests of the release tarball (`make
# dist`, tools/dist) and of `make deb` in a tree without git (run by
# `make -C tools check`):
#   tarball   it holds the files git tracks and MANIFEST, their list, under
#             uringblk-VERSION/, and no .git
#   files     in the unpacked tree, tools/deb/build copies MANIFEST's files
#             (--files), not a build product made there
#   refuse    without MANIFEST, tools/deb/build says the tree is neither a
#             git checkout nor a release tree; tools/dist refuses a tree
#             without git
#   version   the module (Kbuild) and the library (lib/Makefile) take the
#             release's version from VERSION
# Needs git and a checkout (skips otherwise).  Ends with
# "dist: N checks passed, N failed[, N skipped]".
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/uringblk-dist-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0 skipped=0
unset MAKEFLAGS MFLAGS MAKELEVEL

ok() { echo "ok - $1"; ((passed++)); }
notok() { echo "not ok - $1"; shift; printf '  %s\n' "$@"; ((failed++)); }

if [[ $(git -C "$top" rev-parse --show-toplevel 2>/dev/null) != "$top" ]]; then
	echo "ok - dist # SKIP $top is not a git checkout"
	echo "dist: 0 checks passed, 0 failed, 1 skipped"
	exit 0
fi

ver=$(<"$top/VERSION")
name=uringblk-$ver
tarball=$top/out/dist/$name.tar.xz
rel=$tmp/$name

# --- tarball ---------------------------------------------------------------
if out=$("$top/tools/dist" 2>&1) && [[ -f $tarball ]]; then
	ok "tools/dist writes out/dist/$name.tar.xz"
else
	notok "tools/dist writes out/dist/$name.tar.xz" "$out"
fi
tar -C "$tmp" -xJf "$tarball" 2>/dev/null
want=$( (git -C "$top" ls-files --cached | while IFS= read -r f; do
	[[ -e $top/$f || -L $top/$f ]] && echo "$f"; done; echo MANIFEST) | sort)
got=$(cd "$rel" 2>/dev/null && find . -type f -o -type l | sed 's|^\./||' | sort)
if [[ -n $want && $got == "$want" ]]; then
	ok "the tarball holds the tracked files and MANIFEST ($(wc -l <<<"$got") files)"
else
	notok "the tarball holds the tracked files and MANIFEST" \
		"$(diff <(echo "$want") <(echo "$got") | head -5)"
fi
if [[ -f $rel/MANIFEST && $(sort "$rel/MANIFEST") == "$want" && ! -e $rel/.git ]]; then
	ok "MANIFEST lists them, no .git"
else
	notok "MANIFEST lists them, no .git" "$(ls -a "$rel" 2>&1 | head -3)"
fi

# --- files -----------------------------------------------------------------
# (TMPDIR may be inside some git checkout: the tree must not take it for its own)
mkdir -p "$rel/driver" && : > "$rel/driver/product.o"
got=$("$rel/tools/deb/build" --files 2>&1 | sort)
if [[ $got == "$want" ]]; then
	ok "tools/deb/build --files in the unpacked tree: MANIFEST's files, not driver/product.o"
else
	notok "tools/deb/build --files in the unpacked tree" \
		"$(diff <(echo "$want") <(echo "$got") | head -5)"
fi

# --- refuse ----------------------------------------------------------------
mv "$rel/MANIFEST" "$rel/MANIFEST.away"
out=$("$rel/tools/deb/build" 2>&1); st=$?
if ((st != 0)) && [[ $out == *"neither a git checkout nor a release tree (no MANIFEST"* &&
		     ! -e $rel/out/deb ]]; then
	ok "tools/deb/build without git or MANIFEST refuses, building nothing"
else
	notok "tools/deb/build without git or MANIFEST refuses" "status $st: $out"
fi
mv "$rel/MANIFEST.away" "$rel/MANIFEST"
out=$("$rel/tools/dist" 2>&1); st=$?
if ((st != 0)) && [[ $out == *"is not a git checkout"* ]]; then
	ok "tools/dist refuses a tree without git"
else
	notok "tools/dist refuses a tree without git" "status $st: $out"
fi

# --- version ---------------------------------------------------------------
libver=$(make -s --no-print-directory -C "$top/lib" -f Makefile -f - print-version <<<'print-version: ; @echo $(VERSION)' 2>&1)
if [[ $libver == "${ver%.*}" ]]; then
	ok "lib/Makefile's version is VERSION's MAJOR.MINOR ($libver)"
else
	notok "lib/Makefile's version is VERSION's MAJOR.MINOR" "lib: $libver, VERSION: $ver"
fi
if grep -q 'shell cat $(src)/VERSION' "$top/Kbuild" && grep -q 'DURINGBLK_DRV_VERSION=' "$top/Kbuild" &&
   ! grep -rq 'define URINGBLK_DRV_VERSION' "$top/driver" --include='*.h'; then
	ok "Kbuild gives the module VERSION's version, no second copy in driver/"
else
	notok "Kbuild gives the module VERSION's version" "$(grep -rn 'DRV_VERSION' "$top/Kbuild" "$top/driver" --include='*.h')"
fi

echo "dist: $passed checks passed, $failed failed"
((failed == 0))
