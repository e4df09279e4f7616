#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/docs/check-toy-cmdset.sh - the toy command set of
# Documentation/dev/toy-cmdset.patch (ECHO, made by following
# CONTRIBUTING.md's "Add a command set") still shows what that section
# says:
#   - one check per file the patch touches: the section names it, as a
#     path in backquotes (NAME in a name stands for the set's name, * for
#     any part of a name);
#   - one check per file the section names without NAME or *: it exists
#     (a file renamed or removed since is a stale step);
#   - one check that the patch applies to the tree (git apply --check), so
#     that neither the patch nor the section rots silently.
# No build: the patch was built and its kselftest run when it was made
# (CONTRIBUTING.md, "Example: a toy command set").  PATCH= and
# CONTRIBUTING= override the two files (to show the check failing);
# SECTION= and CHECK= check another toy against another section
# (check-toy-nvme.sh).
# Ends with "check-toy-cmdset: N checks passed, N failed".
set -uo pipefail
top=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)}
patch=${PATCH:-$top/Documentation/dev/toy-cmdset.patch}
contrib=${CONTRIBUTING:-$top/CONTRIBUTING.md}
section_title=${SECTION:-Add a command set}
NAME=${CHECK:-check-toy-cmdset}
pass=0 fail=0
ok() { pass=$((pass + 1)); }
notok() { echo "not ok - $*"; fail=$((fail + 1)); }

# The section: from its heading to the next "## " heading.
section=$(awk -v t="## $section_title" '/^## /{on = ($0 == t)} on' "$contrib" 2>/dev/null)
if [[ -z $section ]]; then
	notok "$contrib has no \"## $section_title\" section"
fi
# Every backquoted token that looks like a path (has a / or a dot and no
# space), as a regex: NAME -> a name, * -> any part of a name.
mapfile -t named < <(grep -o '`[^` ]*`' <<<"$section" | tr -d '`' |
	grep -E '^[A-Za-z0-9_./*-]*[^/]$' | grep -E '/|\.(c|h|md|map|[0-9])$|^Kbuild$|^Makefile$|^VERSION$' |
	sort -u)
regexes=()
for n in "${named[@]}"; do
	r=$(sed -e 's/[.]/\\./g' -e 's/NAME/[a-z0-9_]+/g' -e 's/[*]/[^\/]*/g' <<<"$n")
	regexes+=("$r")
	if [[ $n != *NAME* && $n != *'*'* ]]; then
		if [[ -e $top/$n ]]; then ok; else notok "CONTRIBUTING.md's \"$section_title\" names $n, which does not exist"; fi
	fi
done

if [[ ! -r $patch ]]; then
	notok "no patch $patch"
else
	mapfile -t touched < <(git -C "$top" apply --numstat "$patch" | cut -f3-)
	[[ ${#touched[@]} -gt 0 ]] || notok "$patch touches no file"
	for f in "${touched[@]}"; do
		hit=
		for r in "${regexes[@]}"; do
			[[ $f =~ ^${r}$ ]] && { hit=1; break; }
		done
		if [[ -n $hit ]]; then ok; else notok "the toy touches $f, which CONTRIBUTING.md's \"$section_title\" does not name"; fi
	done
	# Plain, or three-way from the blobs the patch names (in the history
	# of a clone), so that lines moving near its hunks do not fail it.
	idx=$(mktemp)
	if err=$(git -C "$top" apply --check "$patch" 2>&1) ||
	   { GIT_INDEX_FILE=$idx git -C "$top" read-tree HEAD 2>/dev/null &&
	     GIT_INDEX_FILE=$idx git -C "$top" apply --3way --cached "$patch" >/dev/null 2>&1; }; then
		ok
	else
		notok "$patch does not apply to the tree: ${err//$'\n'/; } (apply it to this tree by hand or redo it by the section's steps, test it as the section says, and regenerate it)"
	fi
	rm -f "$idx"
fi
echo "$NAME: $pass checks passed, $fail failed"
[[ $fail -eq 0 ]]
