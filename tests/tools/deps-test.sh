#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/tools/deps-test.sh - native tests of tools/deps.sh and of the build's
# dependency check (run by `make -C tools check`):
#   table    every system header, library and compiler the plain `make`
#            uses belongs to a package of deps.sh's build rows, so that a
#            fresh machine is told about all of them
#   missing  packages reported missing (a dpkg-query that says so, first on
#            PATH) are named, with the apt-get command, and exit status 1
#   make     `make` stops with that message before compiling anything, and
#            goes on when nothing is missing
#   bpf      `make -C bpf` without clang says how to install it
#   spaces   make in a tree whose path has spaces says it cannot build there
#   kver     tools/kver picks Linux 6.1's newest release, not the newest in
#            /boot (Debian 12's 6.12 beside it), KVER= picks another one
#            if installed, and both fail with a message otherwise
# Needs the build dependencies installed (dpkg -S finds owners of installed
# files only).  Ends with "deps: N checks passed, N failed".
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
deps=$top/tools/deps.sh
tmp=$(mktemp -d "${TMPDIR:-/tmp}/uringblk-deps-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

# A parent make's state must not leak into the makes run here.
unset URINGBLK_DEPS_CHECKED MAKEFLAGS MFLAGS MAKELEVEL

ok() { echo "ok - $1"; ((passed++)); }
notok() { echo "not ok - $1"; shift; printf '  %s\n' "$@"; ((failed++)); }

# The packages of the build rows, from the table itself.
build_pkgs=$(sed -n 's/^[[:space:]]*"\([^|"]*\)|build|.*/\1/p' "$deps" | sort -u)

# --- table ------------------------------------------------------------------
t_table() {
	local files=() f owners bad=() pkg
	# Headers, as the Makefiles compile (-M: system headers too).
	mapfile -t files < <(
		{
			for f in "$top"/lib/*.c; do
				cc -M -D_GNU_SOURCE -I"$top/lib/include" -I"$top/include/uapi" "$f"
			done
			for f in "$top"/tools/*.c "$top"/tools/cli/*.c; do
				cc -M -D_GNU_SOURCE -I"$top/tools/cli" -I"$top/lib/include" \
					-I"$top/include/uapi" "$f"
			done
			for f in "$top"/bpf/*.bpf.c; do
				clang -M -target bpf -I"$top/bpf" -I"$top/include/uapi" \
					-I"/usr/include/$(cc -print-multiarch)" "$f"
			done
		} | tr ' \\' '\n\n' | grep '^/usr/' |
			# the compilers' own headers come with the compilers
			grep -v -e '^/usr/lib/gcc/' -e '^/usr/lib/llvm-[0-9]*/lib/clang/' | sort -u)
	((${#files[@]} > 10)) || { notok table "found only ${#files[@]} system headers"; return; }
	# Libraries the links name, and the programs that build.
	for f in uring bpf elf z; do
		files+=("$(realpath -s "$(cc -print-file-name="lib$f.so")")")
	done
	for f in gcc clang make; do
		files+=("$(command -v "$f")")
	done
	owners=$(dpkg -S "${files[@]}" 2>&1)
	local -A seen=()
	for f in "${files[@]}"; do
		pkg=$(grep -F ": $f" <<<"$owners" | grep -v '^dpkg' | head -n 1 | cut -d: -f1)
		if [[ -z $pkg ]]; then
			bad+=("$f: no package owns it")
		elif ! grep -qx -- "$pkg" <<<"$build_pkgs" && [[ -z ${seen[$pkg]:-} ]]; then
			seen[$pkg]=1
			bad+=("$f (and maybe more): from $pkg, which is not a build row of tools/deps.sh")
		fi
	done
	if ((${#bad[@]})); then
		notok table "${bad[@]}"
	else
		ok "table (${#files[@]} files from $(wc -w <<<"$build_pkgs") build packages)"
	fi
}

# A dpkg-query that reports every package installed except those in $MISSING.
mkdir "$tmp/bin"
cat >"$tmp/bin/dpkg-query" <<'EOF'
#!/bin/bash
for a; do
	case $a in
	-*) ;;
	*) [[ " ${MISSING:-} " == *" $a "* ]] || echo "$a ii " ;;
	esac
done
EOF
chmod +x "$tmp/bin/dpkg-query"

t_missing() {
	local out rc
	out=$(MISSING="liburing-dev clang" PATH=$tmp/bin:$PATH \
		"$deps" --build --no-install --quiet 2>&1)
	rc=$?
	if ((rc == 1)) && [[ $out == *"the build needs 2 package(s)"* &&
		$out == *"  liburing-dev: io_uring for liburingblk"* &&
		$out == *"  clang: compiling BPF programs"* &&
		$out == *"as root: apt-get install liburing-dev clang"* ]]; then
		ok missing
	else
		notok missing "exit $rc, output:" "$out"
	fi
	# Only the build's packages: a missing test-only package is no reason
	# to refuse a plain make.
	out=$(MISSING="qemu-system-x86" PATH=$tmp/bin:$PATH \
		"$deps" --build --no-install --quiet 2>&1)
	rc=$?
	if ((rc == 0)) && [[ -z $out ]]; then
		ok "missing: test-only packages do not stop the build"
	else
		notok "missing: test-only packages do not stop the build" "exit $rc, output:" "$out"
	fi
}

t_make() {
	local out rc
	out=$(cd "$top" && MISSING="libbpf-dev" PATH=$tmp/bin:$PATH make -n lib 2>&1)
	rc=$?
	if ((rc != 0)) && [[ $out == *"apt-get install libbpf-dev"* &&
		$out == *"missing build dependencies"* && $out != *" -c -o "* ]]; then
		ok "make stops before compiling"
	else
		notok "make stops before compiling" "exit $rc, output:" "$(head -n 20 <<<"$out")"
	fi
	out=$(cd "$top" && PATH=$tmp/bin:$PATH make -n lib 2>&1)
	rc=$?
	if ((rc == 0)) && [[ $out != *deps:* ]]; then
		ok "make goes on when nothing is missing"
	else
		notok "make goes on when nothing is missing" "exit $rc, output:" "$(head -n 20 <<<"$out")"
	fi
}

t_bpf() {
	local out rc
	out=$(make -n -C "$top/bpf" CLANG=clang-not-installed 2>&1)
	rc=$?
	if ((rc != 0)) && [[ $out == *"clang-not-installed not found"*"apt-get install clang"* ]]; then
		ok "make -C bpf without clang"
	else
		notok "make -C bpf without clang" "exit $rc, output:" "$out"
	fi
}

# A tree whose path has spaces cannot be built (make and kbuild split
# paths at spaces): make says so at once, for the top and bpf/ Makefiles.
t_spaces() {
	local out rc f
	mkdir -p "$tmp/a tree"
	for f in Makefile bpf/Makefile; do
		out=$(make -n -C "$tmp/a tree" -f "$top/$f" 2>&1)
		rc=$?
		if ((rc != 0)) && [[ $out == *"path has spaces ('$tmp/a tree')"*"without spaces"* ]]; then
			ok "spaces: $f"
		else
			notok "spaces: $f" "exit $rc, output:" "$(head -n 5 <<<"$out")"
		fi
	done
}

# --- kver -------------------------------------------------------------------
kver_result() {	# NAME STATUS OUTPUT
	if (($2 == 0)); then ok "kver: $1"; else notok "kver: $1" "got: $3"; fi
}

t_kver() {
	local boot=$tmp/boot out rc v

	mkdir -p "$boot"
	for v in 6.1.0-9-amd64 6.1.0-56-amd64 6.1.0-10-amd64 6.12.117+deb12-amd64 6.10.3 6.2.0-1-amd64; do
		: >"$boot/vmlinuz-$v"
	done
	out=$(URINGBLK_BOOT=$boot KVER= "$top/tools/kver" 2>&1)
	[[ $out == 6.1.0-56-amd64 ]]
	kver_result "6.1's newest beside 6.2/6.10/6.12" $? "$out"
	out=$(URINGBLK_BOOT=$boot KVER=6.12.117+deb12-amd64 "$top/tools/kver" 2>&1)
	[[ $out == 6.12.117+deb12-amd64 ]]
	kver_result "KVER= picks 6.12" $? "$out"
	out=$(URINGBLK_BOOT=$boot KVER=6.12.1-amd64 "$top/tools/kver" 2>&1); rc=$?
	[[ $rc == 1 && $out == *"KVER=6.12.1-amd64 is not installed"*"6.12.117+deb12-amd64"* ]]
	kver_result "KVER= not installed" $? "exit $rc: $out"
	rm -f "$boot"/vmlinuz-6.1.*
	out=$(URINGBLK_BOOT=$boot KVER= "$top/tools/kver" 2>&1); rc=$?
	[[ $rc == 1 && $out == *"no Linux 6.1 kernel"*"tools/deps.sh"* ]]
	kver_result "no 6.1 kernel" $? "exit $rc: $out"
}

t_kver
t_table
t_spaces
t_missing
t_make
t_bpf
echo "deps: $passed checks passed, $failed failed"
((failed == 0))
