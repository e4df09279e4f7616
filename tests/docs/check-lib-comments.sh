#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/docs/check-lib-comments.sh - the library's shipped files say why,
# not history, and point at files, not at section titles: no file of lib/
# (sources, headers, Makefile, map) names an issue number ("issue 35"), says
# "as before", or cites a README's section by title (`README.md, "Queries"`,
# which breaks when the docs move).  One check per file.  Ends with
# "check-lib-comments: N checks passed, N failed".
set -uo pipefail
top=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)}
NAME=check-lib-comments
passed=0 failed=0

# -P: \b; case-insensitive; the patterns, one per kind of finding
pat='\bissues? ?#?[0-9]+|\bas before\b|README[A-Za-z0-9_-]*(\.md)?, "'

files=()
while IFS= read -r -d '' f; do
	files+=("$f")
done < <(find "$top/lib" \( -name '*.[ch]' -o -name Makefile -o -name '*.map' \
	-o -name '*.in' \) -type f -print0 | sort -z)
if ((${#files[@]} < 20)); then
	echo "$NAME: only ${#files[@]} files found under $top/lib" >&2
	echo "$NAME: $passed checks passed, 1 failed"
	exit 1
fi
for f in "${files[@]}"; do
	if hits=$(grep -nPi -- "$pat" "$f"); then
		echo "not ok - ${f#"$top"/}: history or a section title in a comment:" >&2
		sed 's/^/  /' <<<"$hits" >&2
		failed=$((failed + 1))
	else
		passed=$((passed + 1))
	fi
done
echo "$NAME: $passed checks passed, $failed failed"
((failed == 0))
