#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Objects by key on a kv drive through the CLI (uringblk kv, liburingblk's
# <liburingblk/kv.h>) and select queries over them in the drive
# (Documentation/dev/kv-select.md):
#  - kv put/get/list/exists/del: text and binary keys (0x00ff), a value
#    from a file, --must-exist / --must-not-exist, their statuses as
#    messages and exit codes, List printing every key once;
#  - kv load: a file and stdin of KEY<tab>VALUE lines (a repeated key, a
#    binary key, a tab, \r or nothing in a value, --sep), and the first bad
#    line stopping it with its line number: no separator, a 17-byte key,
#    a NUL byte in a key,
#    --must-(not-)exist, a line over 16 MiB, no such file;
#  - kv query over a CSV and a JSON Lines object: in the drive (Send
#    Select 83h / Retrieve Select 84h) and on the host (retrieve, then the
#    library's interpreter) print the same answers (--check, and the two
#    outputs compared), several queries, CSV header names;
#  - bad input: no such key (KV Key Does Not Exist, exit 1), a bad query
#    (exit 2), a key of 17 bytes (exit 2), a program the drive's validator
#    refuses (Invalid Field), Retrieve Select of an unknown ID;
#  - the seed's dialect with the unmodified nvme-cli: io-passthru
#    --opcode=0x81 stores an object (key big-endian from CDW15), which
#    kv get reads; 0x82 with an offset in CDW12 reads part of it; 0x81
#    with the append option 800h appends;
#  - a select over a large CSV object: bytes to the host (the drive's
#    kv_bytes_to_host counter) against retrieving it (10^4x fewer at
#    least), and the times of URINGBLK_KV_SEL_RUNS (3) rounds of the
#    select and of retrieve-then-evaluate, alternating, answers equal;
#  - on an NVM drive, kv put/get/del are refused (not a KV drive) and
#    the drive's blocks are unchanged;
#  - nothing in dmesg.
#
# Needs root and URINGBLK_KO; nvme-cli for the seed's example (else that
# case skips).  Leaves the module unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

DEV=/dev/uringblkc0
CLI=${URINGBLK_CLI:-$(dirname "${URINGBLK_KO:-.}")/out/bin/uringblk}
TMP=/tmp/ub-kvsel
BIG_MB=${URINGBLK_KV_BIG_MB:-64}

kv() { "$CLI" kv "$@"; }

# csv ROWS: id,price,qty,day,flag
gen_csv() {
	awk -v n="$1" 'BEGIN { srand(7); print "id,price,qty,day,flag";
		for (i = 1; i <= n; i++)
			printf "%d,%d.%02d,%d,199%d-%02d-%02d,%s\n", i, int(rand() * 1000),
				int(rand() * 100), int(rand() * 50), int(rand() * 8),
				1 + int(rand() * 12), 1 + int(rand() * 28),
				substr("ANR", 1 + int(rand() * 3), 1) }'
}

# gen_csv_big ROWS: a header and ROWS rows (a multiple of 16): the first
# ROWS/16 of gen_csv's, 16 times over.  mawk's 2*10^6 rows took 28 s in
# the TCG guest, these 2.4 s; the queries of t_measure check the drive's
# answer against the host's and count bytes, for which repeated rows do
# as well as new ones.
gen_csv_big() {
	local i
	gen_csv $(($1 / 16)) > $TMP.part
	head -n 1 $TMP.part
	for ((i = 0; i < 16; i++)); do
		tail -n +2 $TMP.part
	done
	rm -f $TMP.part
}

gen_jsonl() {
	awk -v n="$1" 'BEGIN { srand(9);
		for (i = 1; i <= n; i++) {
			if (i % 97 == 0) { print "{\"id\": " i ", \"price\": null}"; continue }
			printf "{\"id\": %d, \"price\": %d.%02d, \"flag\": \"%s\", \"day\": \"199%d-%02d-%02d\", \"note\": \"a\\\"b,}\"}\n",
				i, int(rand() * 1000), int(rand() * 100),
				substr("ANR", 1 + int(rand() * 3), 1), int(rand() * 8),
				1 + int(rand() * 12), 1 + int(rand() * 28) } }'
}

t_cli() {
	local out rc
	check "put" kv put $DEV alpha --value hello || return 1
	expect_eq "get" hello "$(kv get $DEV alpha)" || return 1
	expect_eq "get --size" 5 "$(kv get $DEV alpha --size)" || return 1
	printf 'bin\0ary' > $TMP.bin
	check "put --file" kv put $DEV 0x00ff --file $TMP.bin || return 1
	kv get $DEV 0x00ff -o $TMP.out || return 1
	check "binary value back" cmp $TMP.bin $TMP.out || return 1
	check "put --must-exist" kv put $DEV alpha --value HELLO --must-exist || return 1
	expect_eq "replaced" HELLO "$(kv get $DEV alpha)" || return 1
	out=$(kv put $DEV alpha --value x --must-not-exist 2>&1); rc=$?
	expect_eq "must-not-exist exit" 1 $rc || return 1
	[[ $out == *"Key Exists"*EEXIST* ]] || fail "must-not-exist message: $out" || return 1
	out=$(kv put $DEV beta --value x --must-exist 2>&1); rc=$?
	expect_eq "must-exist exit" 1 $rc || return 1
	[[ $out == *"Does Not Exist"*ENOENT* ]] || fail "must-exist message: $out" || return 1
	out=$(kv put $DEV beta --value x --must-exist --must-not-exist 2>&1); rc=$?
	expect_eq "both options" 2 $rc || return 1
	out=$(kv get $DEV 0123456789abcdefg 2>&1); rc=$?
	expect_eq "17-byte key" 2 $rc || return 1
	expect_eq "exists" yes "$(kv exists $DEV alpha)" || return 1
	out=$(kv exists $DEV nope); rc=$?
	expect_eq "exists no" "no 1" "$out $rc" || return 1
	for i in $(seq 1 40); do kv put $DEV "k$i" --value "$i" || return 1; done
	out=$(kv list $DEV | sort | tr '\n' ' ')
	expect_eq "list" "$( (echo 0x00ff; echo alpha; seq 1 40 | sed 's/^/k/') | sort | tr '\n' ' ')" "$out" || return 1
	check "del" kv del $DEV alpha || return 1
	out=$(kv get $DEV alpha 2>&1); rc=$?
	expect_eq "get deleted" 1 $rc || return 1
	[[ $out == *"Does Not Exist"* ]] || fail "deleted: $out" || return 1
	for i in $(seq 1 40); do kv del $DEV "k$i" || return 1; done
}

# kv load: one Store a line, KEY<tab>VALUE; the first bad line stops it
t_load() {
	local out rc
	# a repeated key (the last wins), a binary key, an empty line, a value
	# holding a tab, an empty value, a \r kept, no newline at the end
	printf 'la\t1\n0x00fe\tbin\n\nlb\tx\ty\nlc\t\nla\t2\nld\tcr\r\nle\tend' > $TMP.load
	out=$(kv load $DEV $TMP.load) || { fail "load"; return 1; }
	expect_eq "load's line" "7 keys stored, 14 bytes of values" "$out" || return 1
	expect_eq "repeated key" 2 "$(kv get $DEV la)" || return 1
	expect_eq "binary key" bin "$(kv get $DEV 0x00fe)" || return 1
	expect_eq "a tab in the value" "$(printf 'x\ty')" "$(kv get $DEV lb)" || return 1
	expect_eq "empty value" 0 "$(kv get $DEV lc --size)" || return 1
	expect_eq "\\r kept" "$(printf 'cr\r' | od -An -c)" "$(kv get $DEV ld | od -An -c)" || return 1
	expect_eq "last line without a newline" end "$(kv get $DEV le)" || return 1
	out=$(printf 'lf,1\nlg,22\n' | kv load $DEV --sep ,) || { fail "load from stdin"; return 1; }
	expect_eq "stdin, --sep" "2 keys stored, 3 bytes of values" "$out" || return 1
	expect_eq "--sep's value" 22 "$(kv get $DEV lg)" || return 1

	# the first bad line stops the load, after the lines before it
	printf 'lh\t1\nnosep\nli\t3\n' > $TMP.bad
	out=$(kv load $DEV $TMP.bad 2>&1); rc=$?
	expect_eq "no separator: exit" 1 $rc || return 1
	[[ $out == *"kv load $TMP.bad:2: no separator (a tab)"*"1 key stored before line 2"* ]] ||
		fail "no separator: $out" || return 1
	expect_eq "line before stored" 1 "$(kv get $DEV lh)" || return 1
	out=$(kv exists $DEV li)
	expect_eq "line after not stored" no "$out" || return 1
	printf 'lj\t1\nla\t9\n' > $TMP.mne
	out=$(kv load $DEV $TMP.mne --must-not-exist 2>&1); rc=$?
	expect_eq "--must-not-exist: exit" 1 $rc || return 1
	[[ $out == *"$TMP.mne:2 key 'la': "*"Key Exists"*EEXIST* ]] || fail "--must-not-exist: $out" || return 1
	expect_eq "existing key unchanged" 2 "$(kv get $DEV la)" || return 1
	out=$(printf 'lk\t1\n' | kv load $DEV --must-exist 2>&1); rc=$?
	expect_eq "--must-exist: exit" 1 $rc || return 1
	[[ $out == *"stdin:1 key 'lk': "*"Does Not Exist"*ENOENT*"0 keys stored before line 1"* ]] ||
		fail "--must-exist: $out" || return 1
	out=$(printf '0123456789abcdefg\tv\n' | kv load $DEV 2>&1); rc=$?
	expect_eq "17-byte key: exit" 1 $rc || return 1
	[[ $out == *"stdin:1: a KEY is 1 to 16 bytes"* ]] || fail "17-byte key: $out" || return 1
	out=$(printf 'l\0m\tv\n' | kv load $DEV 2>&1); rc=$?
	expect_eq "a NUL in a key: exit" 1 $rc || return 1
	[[ $out == *"stdin:1: a NUL byte in the key"* ]] || fail "a NUL in a key: $out" || return 1
	out=$({ printf 'big\t'; head -c $((16 << 20)) /dev/zero; } | kv load $DEV 2>&1); rc=$?
	expect_eq "a line over 16 MiB: exit" 1 $rc || return 1
	[[ $out == *"stdin:1: longer than 16 MiB"* ]] || fail "a line over 16 MiB: $out" || return 1
	out=$(kv load $DEV $TMP.none 2>&1); rc=$?
	expect_eq "no such file: exit" 1 $rc || return 1
	[[ $out == *"$TMP.none"*ENOENT* ]] || fail "no such file: $out" || return 1
	out=$(kv load $DEV --must-exist --must-not-exist < /dev/null 2>&1); rc=$?
	expect_eq "both options: exit" 2 $rc || return 1
	for k in la 0x00fe lb lc ld le lf lg lh lj; do kv del $DEV $k || return 1; done
}

# same QUERY over KEY: in the drive and on the host, identical
same() {
	local key=$1 q=$2 d h
	shift 2
	d=$(kv query $DEV "$key" "$q" "$@") || { fail "drive: $q"; return 1; }
	h=$(kv query $DEV "$key" "$q" --host "$@") || { fail "host: $q"; return 1; }
	echo "$d" | tail -1
	expect_eq "drive = host: $q" "$h" "$d" || return 1
	check "--check: $q" kv query $DEV "$key" "$q" --check "$@" 2>/dev/null
}

t_select_csv() {
	gen_csv 20000 > $TMP.csv
	kv put $DEV sales --file $TMP.csv || return 1
	same sales "SELECT count(*), sum(\$2:dec2), min(\$4:date), max(\$3) FROM csv(header) WHERE \$3 < 25" || return 1
	same sales "SELECT \$5:str, count(*), sum(\$3) FROM csv(header) GROUP BY \$5" || return 1
	same sales "SELECT flag:str, count(*), max(price:dec2) WHERE day BETWEEN date '1993-01-01' AND date '1994-12-31' GROUP BY flag" --header || return 1
	# names from FROM csv(header) without --header, as uringblk query takes
	# them (queries.md: either works), the same answer as both
	local q="SELECT flag:str, count(*), max(price:dec2) FROM csv(header) WHERE day BETWEEN date '1993-01-01' AND date '1994-12-31' GROUP BY flag"
	same sales "$q" || return 1
	expect_eq "kv query = uringblk query of the file: $q" \
		"$($CLI query $TMP.csv "$q" --host)" "$(kv query $DEV sales "$q")" || return 1
	expect_eq "FROM csv(header) = --header" \
		"$(kv query $DEV sales "${q/ FROM csv(header)/}" --header)" "$(kv query $DEV sales "$q")" || return 1
	# the answer is right, too: count of qty < 25 by awk
	expect_eq "count by awk" "$(awk -F, 'NR > 1 && $3 < 25' $TMP.csv | wc -l)" \
		"$(kv query $DEV sales "SELECT count(*) FROM csv(header) WHERE \$3 < 25" | sed -n 2p)"
}

t_select_json() {
	gen_jsonl 20000 > $TMP.jsonl
	kv put $DEV 0x6a736f6e --file $TMP.jsonl || return 1
	same json "SELECT count(*), sum(price:dec2), min(day:date), max(id) FROM json" || return 1
	same json "SELECT flag:str, count(*), sum(price:dec2) FROM json WHERE id > 100 GROUP BY flag" || return 1
	out=$(kv query $DEV json "SELECT count(*), sum(price:dec2) FROM json")
	[[ $out == *"malformed 206"* ]] || fail "206 null prices are malformed: $out"
}

t_bad() {
	local out rc
	out=$(kv query $DEV nokey "SELECT count(*)" 2>&1); rc=$?
	expect_eq "no such key" 1 $rc || return 1
	[[ $out == *"Does Not Exist"* ]] || fail "no key: $out" || return 1
	out=$(kv query $DEV sales "SELECT sum(\$1) WHERE" 2>&1); rc=$?
	expect_eq "bad query" 2 $rc || return 1
	# a program the validator refuses: a jump out of bounds (raw, by nvme_kv_bad)
	check "raw bad statuses" ./nvme_kv_sel_bad $DEV
}

# The standard KV calls on an NVM drive: refused with nothing sent.
# Store 01h and Retrieve 02h are an NVM Write and Read there, CDW10 (the
# value's size) the SLBA's low and CDW11 (the key's length) its high
# dword: before the library asked which command set NSID 1 is, `kv put`
# of a 512-byte value under a 1-byte key wrote the block at LBA 2^32 +
# 512 of a drive that has one (2 TiB and more, sparse here), and on a
# smaller drive answered an NVM status (LBA Out of Range).
t_nvm_drive() {
	local out rc before after blk lba=$(((1 << 32) + 512))
	ub_configfs || fail "configfs" || return 1
	# runtime drives take the module parameters as defaults: this one kv=1
	ub_cli_create kvnvm --capacity-mb $((3 << 20)) --set kv=0 || return 1
	blk=/dev/uringblk$UB_IDX
	head -c 1M /dev/urandom > $TMP.nvm
	dd if=$TMP.nvm of=$blk bs=1M oflag=direct status=none || fail "dd" || return 1
	dd if=$TMP.nvm of=$blk bs=512 count=1 seek=$lba oflag=direct status=none ||
		fail "dd at LBA $lba" || return 1
	before=$( (head -c 1M $blk; dd if=$blk bs=512 count=1 skip=$lba status=none) | md5sum)
	out=$(kv put /dev/uringblkc$UB_IDX a --value "$(printf 'v%.0s' {1..512})" 2>&1); rc=$?
	[[ $rc != 0 && $out == *"not a KV drive"* ]] ||
		fail "kv put on an NVM drive: rc $rc: $out" || return 1
	out=$(kv get /dev/uringblkc$UB_IDX a 2>&1); rc=$?
	[[ $rc != 0 && $out == *"not a KV drive"* ]] ||
		fail "kv get on an NVM drive: rc $rc: $out" || return 1
	kv del /dev/uringblkc$UB_IDX a >/dev/null 2>&1 && { fail "kv del on an NVM drive succeeded"; return 1; }
	after=$( (head -c 1M $blk; dd if=$blk bs=512 count=1 skip=$lba status=none) | md5sum)
	expect_eq "the NVM drive's data" "$before" "$after" || return 1
	"$CLI" remove kvnvm
}

need_nvme() {
	command -v nvme > /dev/null
}

t_seed() {
	local out
	need_nvme || { skip "nvme-cli not installed (tools/deps.sh)"; return; }
	printf 'seed object' > $TMP.seed
	# the seed's Store: key "obj1" big-endian in CDW15, length in CDW11
	nvme io-passthru $DEV --opcode=0x81 --namespace-id=1 --data-len=11 \
		--write --cdw10=11 --cdw11=4 --cdw15=0x6f626a31 \
		--input-file=$TMP.seed > $TMP.nvme 2>&1 || { cat $TMP.nvme; fail "nvme 0x81"; return 1; }
	expect_eq "kv get of the seed's object" "seed object" "$(kv get $DEV obj1)" || return 1
	# Retrieve 82h from offset 5
	nvme io-passthru $DEV --opcode=0x82 --namespace-id=1 --data-len=16 \
		--read --cdw10=16 --cdw11=4 --cdw12=5 --cdw15=0x6f626a31 -b > $TMP.out 2>$TMP.err ||
		{ cat $TMP.err; fail "nvme 0x82"; return 1; }
	expect_eq "0x82 at offset 5" "object" "$(head -c 6 $TMP.out)" || return 1
	# append (800h)
	printf '+more' > $TMP.seed2
	nvme io-passthru $DEV --opcode=0x81 --namespace-id=1 --data-len=5 \
		--write --cdw10=5 --cdw11=0x804 --cdw15=0x6f626a31 \
		--input-file=$TMP.seed2 > $TMP.nvme 2>&1 || { cat $TMP.nvme; fail "nvme 0x81 append"; return 1; }
	expect_eq "appended" "seed object+more" "$(kv get $DEV obj1)" || return 1
	# must not exist (200h) on an existing key: Key Exists 0x89 (DNR 0x4089)
	out=$(nvme io-passthru $DEV --opcode=0x81 --namespace-id=1 --data-len=5 \
		--write --cdw10=5 --cdw11=0x204 --cdw15=0x6f626a31 \
		--input-file=$TMP.seed2 2>&1)
	[[ $out == *4089* || $out == *"0x89"* || $out == *"(0x4089)"* ]] || fail "0x81 must-not-exist: $out"
}

# "median (min..max)" of the numbers given
med3() {
	printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END {
		m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
		printf "%.3f (%.3f..%.3f)", m, a[1], a[NR] }'
}

# Rounds (URINGBLK_KV_SEL_RUNS, default 3) of the select and retrieve then
# evaluate, the order alternating.
t_measure() {
	local big=$TMP.big.csv rows before after sel ret t0 t1 ratio r i k
	local runs=${URINGBLK_KV_SEL_RUNS:-3}
	local kinds=(select host) ans want=""
	declare -A secs
	rows=$((BIG_MB * 1024 * 1024 / 34 / 16 * 16))
	gen_csv_big $rows > $big
	echo "# $(stat -c %s $big) bytes of CSV, $rows rows; host load $(cut -d' ' -f1-3 /proc/loadavg)"
	kv put $DEV big --file $big || { fail "put of the big object"; return 1; }
	rm -f $big
	local q="SELECT count(*), sum(\$2:dec2) FROM csv(header) WHERE \$3 < 10"
	for ((r = 0; r < runs; r++)); do
		for ((i = 0; i < 2; i++)); do
			k=${kinds[(r + i) % 2]}
			before=$(ub_stat 0 kv_bytes_to_host)
			t0=$(date +%s.%N)
			if [[ $k == host ]]; then
				ans=$(kv query $DEV big "$q" --host) || { fail "host query"; return 1; }
			else
				ans=$(kv query $DEV big "$q") || { fail "select"; return 1; }
			fi
			t1=$(date +%s.%N)
			after=$(ub_stat 0 kv_bytes_to_host)
			[[ $k == host ]] && ret=$((after - before)) || sel=$((after - before))
			secs[$k]+="$(awk "BEGIN { print $t1 - $t0 }") "
			echo "# round $r: $k $(awk "BEGIN { print $t1 - $t0 }") s, $((after - before)) bytes to the host"
			[[ -z $want ]] && want=$ans
			expect_eq "$k answer, round $r" "$want" "$ans" || return 1
		done
	done
	ratio=$((ret / (sel ? sel : 1)))
	echo "# select: $sel bytes to the host; retrieve then evaluate: $ret bytes; ratio ${ratio}x"
	for k in "${kinds[@]}"; do
		echo "# $k: $(med3 ${secs[$k]}) s, median (min..max) of $runs"
	done
	((ratio >= 10000)) || fail "fewer than 10^4x the bytes"
}

if ! why=$(ub_need_ko); then
	ktap_plan 1
	ktap_run kv_select skip "$why"
	ktap_finish
fi
if [[ ! -x $CLI ]]; then
	ktap_plan 1
	ktap_run kv_select skip "no $CLI (make tools)"
	ktap_finish
fi

ktap_plan 8
ub_unload && ub_load capacity_mb=$((BIG_MB * 2 + 64)) nr_devices=1 kv=1 || exit $KSFT_FAIL
dmesg_start=$(dmesg | wc -l)
ktap_run cli t_cli
ktap_run load t_load
ktap_run select_csv t_select_csv
ktap_run select_json t_select_json
ktap_run bad_input t_bad
ktap_run seed_nvme_cli t_seed
ktap_run measure t_measure
ktap_run nvm_drive t_nvm_drive
ub_dmesg_clean "$dmesg_start" || _ktap_fail=$((_ktap_fail + 1))
rm -f $TMP.*
ub_unload
ktap_finish
