#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/docs/check-nvme-statuses.sh - every status the driver can send is a
# value of the uAPI's enum uringblk_status, and has a name in liburingblk.
# The driver's statuses are read from its code, not from a list kept here:
#   - every URINGBLK_SC_* named under driver/;
#   - every NVME_SC_* named under driver/, valued by the kernel headers'
#     linux/nvme.h (KDIR, else the newest /usr/src/linux-headers-*);
#   - every URINGBLK_NVME_SC_* the driver defines;
#   - the KV engine's statuses (kv_status_to_nvme()'s table,
#     driver/kv/kv_engine.c: enum names or numbers).
# (check-statuses.sh then holds the enum, driver/status.c, lib/error.c's
# uringblk_statuses[] and Documentation/uapi/statuses.md to one another.)
# The library's names: lib/error.c's uringblk_statuses[] (by enum name) and
# uringblk_old_statuses[] (by value: statuses only earlier drivers sent,
# so none may be in the enum), which uringblk_status_str() answers from,
# and lib/kv.c's kv_statuses[] (by enum name), which uringblk_kv_strerror()
# answers from before falling back to uringblk_status_str().  A KV engine
# status needs a KV row (SCT 0h 80h-BFh mean something else in the NVM
# set); every other status a name in lib/error.c, and none two there.
# Ends with "check-nvme-statuses: N checks passed, N failed".
set -uo pipefail
top=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)}
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { echo "not ok - $*"; failed=$((failed + 1)); }
hex() { printf '0x%03x' $(($1 & 0x7ff)); }

# the kernel's linux/nvme.h: the one the module is built against
hdr=
for d in ${KDIR:+"$KDIR"} $(ls -d /usr/src/linux-headers-* 2>/dev/null | sort -rV); do
	[[ -f $d/include/linux/nvme.h ]] && { hdr=$d/include/linux/nvme.h; break; }
done

declare -A enum enumval drv drvfrom kv libgen libgenfrom libkv
# enum uringblk_status
while read -r n v; do
	enum[$n]=$v enumval[$(hex "$v")]=$n
done < <(sed -n '/^enum uringblk_status {/,/^};/s/^[[:space:]]*\(URINGBLK_SC_[A-Z0-9_]*\)[[:space:]]*=[[:space:]]*\(0x[0-9a-fA-F]*\).*/\1 \2/p' \
	"$top/include/uapi/linux/uringblk.h")
((${#enum[@]} > 30)) && ok || bad "only ${#enum[@]} statuses read from enum uringblk_status"

# URINGBLK_NVME_SC_* the driver defines: a number, or an expression of
# numbers, enum uringblk_status names and linux/nvme.h names
declare -A own
while read -r n v; do
	own[$n]=$v
done < <(grep -rhE '^#define[[:space:]]+URINGBLK_NVME_SC_[A-Z0-9_]+[[:space:]]' "$top/driver" |
	sed -e 's|/\*.*||' -e 's|//.*||' | awk '{ n = $2; $1 = ""; $2 = ""; print n, $0 }')
# value NAME-OR-EXPRESSION: prints the number, or fails
value() {
	local e=$1 id v depth=${2:-0}
	((depth < 8)) || return 1
	for id in $(grep -oE '\b[A-Za-z_][A-Za-z0-9_]*\b' <<<"$e" | grep -v '^0x' | sort -u); do
		if [[ -n ${enum[$id]+x} ]]; then
			v=${enum[$id]}
		elif [[ -n ${own[$id]+x} ]]; then
			v=$(value "${own[$id]}" $((depth + 1))) || return 1
		elif [[ -n $hdr ]]; then
			v=$(sed -n -e "s/^[[:space:]]*$id[[:space:]]*=[[:space:]]*\([0-9a-fA-Fx]*\).*/\1/p" \
				-e "s/^#define[[:space:]]*$id[[:space:]]*\([0-9a-fA-Fx]*\).*/\1/p" "$hdr" | head -1)
		else
			v=
		fi
		[[ -n $v ]] || return 1
		e=$(sed "s/\b$id\b/($v)/g" <<<"$e")
	done
	echo $((e))
}

# every URINGBLK_SC_*, NVME_SC_* and URINGBLK_NVME_SC_* the driver's code names
nsc=0
while read -r n; do
	nsc=$((nsc + 1))
	if [[ $n == URINGBLK_SC_* ]]; then
		if [[ -z ${enum[$n]+x} ]]; then
			bad "$n: used under driver/ but not a value of enum uringblk_status"
			continue
		fi
		v=${enum[$n]}
	elif [[ $n == URINGBLK_* ]]; then
		if [[ -z ${own[$n]+x} ]] || ! v=$(value "${own[$n]}"); then
			bad "$n: used under driver/ but no #define found that gives it a value"
			continue
		fi
	else
		[[ -n $hdr ]] || continue
		if ! v=$(value "$n"); then
			bad "$n: used under driver/ but not valued in $hdr"
			continue
		fi
	fi
	(( (v & 0x7ff) == 0 )) && continue	# success: uringblk_status_str() says so itself
	drv[$(hex "$v")]=1 drvfrom[$(hex "$v")]="$n"
done < <(grep -rhoE '\b(URINGBLK_SC_[A-Z0-9_]+|(URINGBLK_)?NVME_SC_[A-Z0-9_]+)' "$top/driver" --include='*.c' --include='*.h' |
	grep -vE '^URINGBLK_SC_(SCT|SC)$' | sort -u)
((nsc > 10)) && ok || bad "only $nsc NVME_SC_* names found under driver/"
[[ -n $hdr ]] || echo "# no kernel headers' linux/nvme.h (set KDIR): NVME_SC_* not checked"

# the KV engine's statuses
while read -r v; do
	if [[ $v == URINGBLK_SC_* ]]; then
		if [[ -z ${enum[$v]+x} ]]; then
			bad "$v: kv_status_to_nvme() answers it, it is not a value of enum uringblk_status"
			continue
		fi
		v=${enum[$v]}
	fi
	(( (v & 0x7ff) == 0 )) && continue
	kv[$(hex "$v")]=1 drv[$(hex "$v")]=1 drvfrom[$(hex "$v")]="kv_status_to_nvme()"
done < <(sed -n '/^u16 kv_status_to_nvme(/,/^}/s/^[[:space:]]*\[KV_[A-Z_]*\][[:space:]]*=[[:space:]]*\(0x[0-9a-fA-F]*\|URINGBLK_SC_[A-Z0-9_]*\),.*/\1/p' \
	"$top/driver/kv/kv_engine.c")
((${#kv[@]} > 5)) && ok || bad "only ${#kv[@]} statuses read from kv_status_to_nvme()"

# the library's names
while read -r n; do
	if [[ -z ${enum[$n]+x} ]]; then
		bad "lib/error.c: $n is not in enum uringblk_status"
		continue
	fi
	libgen[$(hex "${enum[$n]}")]=1 libgenfrom[$(hex "${enum[$n]}")]=uringblk_statuses
done < <(sed -n '/uringblk_statuses\[\] = {/,/^};/s/^[[:space:]]*{ \(URINGBLK_SC_[A-Z0-9_]*\),.*/\1/p' "$top/lib/error.c")
nn=0
while read -r v; do
	nn=$((nn + 1))
	h=$(hex "$v")
	if [[ -n ${libgen[$h]+x} ]]; then
		bad "lib/error.c: $h is named in both ${libgenfrom[$h]}[] and uringblk_old_statuses[]"
		continue
	fi
	[[ -n ${enumval[$h]+x} ]] &&
		bad "lib/error.c: $h in uringblk_old_statuses[] is ${enumval[$h]} of enum uringblk_status: name it in uringblk_statuses[]"
	libgen[$h]=1 libgenfrom[$h]=uringblk_old_statuses
done < <(sed -n '/uringblk_old_statuses\[\] = {/,/^};/s/^[[:space:]]*{ \(0x[0-9a-fA-F]*\),.*/\1/p' "$top/lib/error.c")
((nn > 0)) && ok || bad "no status read from lib/error.c's uringblk_old_statuses[]"
while read -r n; do
	if [[ -z ${enum[$n]+x} ]]; then
		bad "lib/kv.c: $n is not in enum uringblk_status"
		continue
	fi
	libkv[$(hex "${enum[$n]}")]=1
done < <(sed -n '/kv_statuses\[\] = {/,/^};/s/^[[:space:]]*{ \(URINGBLK_SC_[A-Z0-9_]*\),.*/\1/p' "$top/lib/kv.c")
((${#libkv[@]} > 5)) && ok || bad "only ${#libkv[@]} statuses read from lib/kv.c's kv_statuses[]"

for h in $(printf '%s\n' "${!kv[@]}" | sort); do
	[[ -n ${libkv[$h]+x} ]] && ok ||
		bad "$h: the KV engine answers it (kv_status_to_nvme()), lib/kv.c's kv_statuses[] has no name for it"
done
for h in $(printf '%s\n' "${!drv[@]}" | sort); do
	[[ -n ${enumval[$h]+x} ]] && ok ||
		bad "$h (${drvfrom[$h]}): the driver sends it, enum uringblk_status (include/uapi/linux/uringblk.h) does not name it"
	[[ -n ${libgen[$h]+x} ]] && ok ||
		bad "$h (${drvfrom[$h]}): the driver sends it, lib/error.c's uringblk_statuses[] has no name for it"
done
echo "check-nvme-statuses: $passed checks passed, $failed failed"
((failed == 0))
