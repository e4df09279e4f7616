#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The README's tour, run: every command of README.md's "A short tour"
# section, in order, in one session on the drive the tour's VM has
# (`tools/vm/run --shell --module ./uringblk.ko`: the module loaded with no
# parameters, the tree as the working directory, out/bin first on PATH),
# and its output compared with the output the README shows.  One KTAP
# result per command: it fails when the command exits non-zero or prints
# anything else than what is shown.
#
# How the README is read (between "## A short tour" and the next "## "):
# - a fenced block whose first line starts with "# " is a guest session:
#   each "# " line is a command (run with bash, stdout and stderr
#   together, as a terminal shows them), the lines after it up to the
#   next "# " line are its output;
# - a block whose first line starts with "$ " is the host's part (build,
#   boot the VM): `make check` does that itself before this test runs, so
#   it is not run here; any other block (a diagram) is not a session;
# - in shown output, a line that is exactly "..." stands for any number of
#   lines (none too): the README shows a part of a long listing;
# - a field that differs from run to run is declared, next to its block,
#   by an HTML comment on the line right before the block's opening fence:
#     <!-- tour-vary: REGEX -->
#   (an extended regular expression, bash's =~); in that block every
#   match of REGEX, in the shown output and in the real one, is replaced
#   by <vary> before they are compared.  Nothing else is ignored but
#   trailing blanks.
#
# Other documents' sessions use the same reader (nvme_kv_cli.sh):
# URINGBLK_README names the file, URINGBLK_TOUR_SECTION its section (default
# "## A short tour"), URINGBLK_TOUR_PARAMS the module's parameters (default
# none), URINGBLK_TOUR_NAME the cases' prefix (default tour).
#
# Uses the tree next to $URINGBLK_KO (its README.md, out/bin, out/bpf);
# without them, SKIP.  Leaves the module unloaded.  `readme_tour.sh --list`
# prints the commands and outputs it would compare, anywhere.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

TOP=$(ub_top README.md selftests/uringblk)
README=${URINGBLK_README:-$TOP/README.md}
SECTION=${URINGBLK_TOUR_SECTION:-## A short tour}
TOUR=${URINGBLK_TOUR_NAME:-tour}

# --- the tour, parsed: CMDS[i], WANT[i] (its shown output), VARY[i] (the
# regexes of its block, one a line) ------------------------------------
CMDS=() WANT=() VARY=()
parse_tour() {
	local line in_tour=0 in_block=0 kind='' vary='' first=0 n=-1 re
	while IFS= read -r line || [[ -n $line ]]; do
		if ((!in_block)); then
			if [[ $line == "$SECTION"* ]]; then
				in_tour=1
				continue
			fi
			((in_tour)) || continue
			[[ $line == '## '* ]] && break
			re='^<!-- tour-vary: (.+) -->$'
			if [[ $line =~ $re ]]; then
				vary+=${BASH_REMATCH[1]}$'\n'
			elif [[ $line == '```'* ]]; then
				in_block=1 first=1 kind=''
			else
				# A marker belongs to the block right after it.
				vary=''
			fi
			continue
		fi
		if [[ $line == '```'* ]]; then
			in_block=0 vary=''
			continue
		fi
		if ((first)); then
			first=0
			case $line in
			'# '*) kind=guest ;;
			'$ '*) kind=host ;;
			*) kind=other ;;
			esac
		fi
		[[ $kind == guest ]] || continue
		if [[ $line == '# '* ]]; then
			n=$((n + 1))
			CMDS[n]=${line#'# '}
			WANT[n]=''
			VARY[n]=$vary
		else
			WANT[n]+=$line$'\n'
		fi
	done < "$README"
}

# vary TEXT REGEXES: TEXT with every match of each regex replaced by <vary>,
# line by line, trailing blanks dropped.
vary() {
	local text=$1 res=$2 line re m rest new out=''
	while IFS= read -r line; do
		while IFS= read -r re; do
			[[ -n $re ]] || continue
			rest=$line new=''
			while [[ -n $rest && $rest =~ $re ]]; do
				m=${BASH_REMATCH[0]}
				[[ -n $m ]] || break
				new+=${rest%%"$m"*}'<vary>'
				rest=${rest#*"$m"}
			done
			line=$new$rest
		done <<<"$res"
		line=${line%"${line##*[![:blank:]]}"}
		out+=$line$'\n'
	done <<<"$text"
	printf '%s' "$out"
}

# t_cmd I: run command I of the tour and compare.
t_cmd() {
	local i=$1 got rc w g wi=0 gi=0 bad=''
	echo "# ${CMDS[i]}"
	got=$(cd "$TOP" && PATH=$TOP/out/bin:$PATH bash -c "${CMDS[i]}" 2>&1)
	rc=$?
	printf '%s\n' "$got"
	((rc == 0)) || { fail "the command exited with status $rc"; return; }
	mapfile -t w < <(vary "${WANT[i]%$'\n'}" "${VARY[i]}")
	mapfile -t g < <(vary "$got" "${VARY[i]}")
	# An empty shown output and an empty output are both one empty line.
	[[ -z ${WANT[i]} ]] && w=()
	[[ -z $got ]] && g=()
	while ((wi < ${#w[@]})); do
		if [[ ${w[wi]} == '...' ]]; then
			wi=$((wi + 1))
			if ((wi == ${#w[@]})); then
				gi=${#g[@]}
				break
			fi
			while ((gi < ${#g[@]})) && [[ ${g[gi]} != "${w[wi]}" ]]; do
				gi=$((gi + 1))
			done
			if ((gi == ${#g[@]})); then
				bad="shown line $((wi + 1)) '${w[wi]}' (after '...') is not in the output"
				break
			fi
			continue
		fi
		if ((gi >= ${#g[@]})); then
			bad="shown line $((wi + 1)) '${w[wi]}': the output ended"
			break
		fi
		if [[ ${g[gi]} != "${w[wi]}" ]]; then
			bad="shown line $((wi + 1)) '${w[wi]}', output line $((gi + 1)) '${g[gi]}'"
			break
		fi
		wi=$((wi + 1)) gi=$((gi + 1))
	done
	if [[ -z $bad ]] && ((gi < ${#g[@]})); then
		bad="the output goes on after the shown lines: line $((gi + 1)) '${g[gi]}'"
	fi
	[[ -z $bad ]] || fail "${README##*/} shows another output: $bad"
}

# --list: what would be run and compared (no root, no module needed).
if [[ ${1:-} == --list ]]; then
	parse_tour
	for i in "${!CMDS[@]}"; do
		printf '# %s\n%s' "${CMDS[i]}" "${WANT[i]}"
		[[ -z ${VARY[i]} ]] || printf '  (varies: %s)\n' "${VARY[i]%$'\n'}"
	done
	exit 0
fi

if ! why=$(ub_need_ko); then
	ktap_plan 1
	ktap_run readme_tour skip "$why"
	ktap_finish
fi
parse_tour
# (the README's tour needs them; another document's session may not)
if [[ $TOUR == tour ]] && [[ ! -x $TOP/out/bin/uringblk || ! -d $TOP/out/bpf ]]; then
	ktap_plan 1
	ktap_run readme_tour skip "no CLI or programs in $TOP/out (make tools bpf)"
	ktap_finish
fi
if ((${#CMDS[@]} == 0)); then
	ktap_plan 1
	ktap_run readme_tour fail "no guest command found in the tour of $README"
	ktap_finish
fi

ktap_plan ${#CMDS[@]}
ub_unload || exit $KSFT_FAIL
# shellcheck disable=SC2086 # the parameters are words
ub_load ${URINGBLK_TOUR_PARAMS:-} || exit $KSFT_FAIL
for i in "${!CMDS[@]}"; do
	# A case name from the command's first words.
	name=$(tr -cs 'A-Za-z0-9' _ <<<"${CMDS[i]}" | cut -c1-40)
	ktap_run "${TOUR}_$((i + 1))_${name%_}" t_cmd "$i"
done
# What the tour left: the programs it loaded (a kernel-BPF one holds the
# module), so that the module comes out.
re='^\{"id": ([0-9]+), "pind": ([0-9]+), "type": "[^"]*", "active": (true|false), "device_defined": false,'
while read -r line; do
	[[ $line =~ $re ]] || continue
	[[ ${BASH_REMATCH[3]} == false ]] || "$TOP/out/bin/uringblk" prog deactivate 0 "${BASH_REMATCH[2]}"
	"$TOP/out/bin/uringblk" prog unload 0 "${BASH_REMATCH[1]}" >/dev/null
done < <("$TOP/out/bin/uringblk" prog list 0 --json 2>/dev/null)
ub_unload
ktap_finish
