#!/bin/bash
# SPDX-License-Identifier: (GPL-2.0 OR MIT)
#
# Command-line behaviour of the uringblk CLI that needs no driver: help,
# version, usage errors (exit 2) and device errors (exit 1) in the
# documented "uringblk: CMD DEV: message (errno NAME)" format.
#
# usage: tests/tools/cli-test.sh path/to/uringblk [OUT]
# OUT (default: the uringblk binary's ../) holds bpf/*.bpf.o and
# lib/test/bpf/*.bpf.o (built from tests/lib/bpf) for the "prog load"
# object checks.

bin=${1:?usage: $0 path/to/uringblk [OUT]}
out=${2:-$(dirname "$bin")/..}
pass=0
fail=0

# expect STATUS STREAM PATTERN -- ARGS...: exit status and a grep -E
# pattern that must match stdout or stderr.
expect() {
	local want=$1 stream=$2 pattern=$3 out err status
	shift 4
	out=$("$bin" "$@" 2>/tmp/uringblk-cli-err.$$)
	status=$?
	err=$(cat /tmp/uringblk-cli-err.$$)
	local text=$out
	[[ $stream == stderr ]] && text=$err
	if [[ $status == "$want" ]] && grep -qE -- "$pattern" <<<"$text"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: uringblk $* -> exit $status (want $want), $stream:"
		printf '%s\n' "${text:-<empty>}" | sed 's/^/    /'
		echo "    (wanted /$pattern/)"
	fi
}

expect 0 stdout '^  info DEV \[--json\]$'		-- --help
expect 0 stdout '^  stats DEV '				-- help
expect 0 stdout '^uringblk [0-9.]+ \(liburingblk 1\.[0-9]+, uringblk ABI 1\.[0-9]+\)$' -- --version
expect 0 stdout '^usage: uringblk info DEV'		-- help info
expect 0 stdout '^  -r, --reset'			-- stats --help
expect 0 stdout '^  -l, --latency'			-- stats --help
expect 2 stderr '^usage: uringblk \['			--
expect 2 stderr "unknown command 'frob'"		-- frob
expect 2 stderr "unknown command 'frob'"		-- help frob
expect 2 stderr "unknown option '--frob'"		-- --frob
expect 2 stderr '^uringblk: info: missing DEV$'		-- info
expect 2 stderr '^uringblk: stats: missing DEV$'	-- stats --json
expect 2 stderr '^uringblk: info: too many arguments$'	-- info 0 1
expect 2 stderr "^uringblk: info: unknown option '--frob'$" -- info --frob 0
expect 2 stderr "^uringblk: stats: unknown option '-x'$" -- stats -x 0
expect 2 stderr "^uringblk: info: 'sda' is not a uringblk device" -- info sda
expect 2 stderr "^uringblk: info: 'uringblk01' is not" -- info uringblk01

if [[ ! -e /dev/uringblkc4093 ]]; then
	for dev in /dev/uringblk4093 /dev/uringblkc4093 uringblk4093 4093; do
		expect 1 stderr "^uringblk: info $dev: .*module loaded.* \(errno ENOENT\)$" -- info "$dev"
	done
	expect 1 stderr '^uringblk: stats 4093: .* \(errno ENOENT\)$' -- stats 4093 --sysfs --json
	expect 1 stderr '^uringblk: stats 4093: .* \(errno ENOENT\)$' -- stats 4093 --latency
fi
expect 1 stderr '^uringblk: info /dev/null: not a uringblk device.* \(errno ENODEV\)$' -- info /dev/null
expect 1 stderr '^uringblk: stats /nonexistent/x: .* \(errno ENOENT\)$' -- stats /nonexistent/x

# prog / exec: command lines and object checks, before any device
expect 0 stdout '^  prog load DEV OBJ '				-- --help
expect 0 stdout '^  exec DEV ID --lba START --count N\|--file PATH '		-- --help
expect 0 stdout '^usage: uringblk prog load DEV OBJ'		-- help prog load
expect 0 stdout '^  -p, --pattern STR'				-- exec --help
expect 2 stderr '^uringblk: prog: missing subcommand$'		-- prog
expect 2 stderr "^uringblk: prog: unknown subcommand 'frob'$"	-- prog frob
expect 2 stderr '^uringblk: prog load: missing DEV or OBJ$'	-- prog load 0
expect 2 stderr '^uringblk: prog load: too many arguments$'	-- prog load 0 a.o b.o
expect 2 stderr "^uringblk: prog load: 'sda' is not a uringblk device" -- prog load sda x.o
expect 2 stderr '^uringblk: prog load: --name is longer than 32 bytes$' -- prog load 0 x.o --name 0123456789012345678901234567890123
expect 2 stderr '^uringblk: prog list: missing DEV$'		-- prog list --json
expect 2 stderr "^uringblk: prog unload: 'abc' is not a program id$" -- prog unload 0 abc
expect 2 stderr "^uringblk: prog unload: '0' is not a program id$" -- prog unload 0 0
expect 2 stderr "^uringblk: prog unload: '4294967296' is not a program id$" -- prog unload 0 4294967296
expect 2 stderr '^uringblk: exec: missing DEV or ID$'		-- exec 0
expect 2 stderr "^uringblk: exec: 'x' is not a program id$"	-- exec 0 x --lba 0 --count 1
expect 2 stderr '^uringblk: exec: --lba and --count \(or --file\) are required$' -- exec 0 1 --count 8
expect 2 stderr "^uringblk: exec: --count '0' is not a positive"	-- exec 0 1 --lba 0 --count 0
expect 2 stderr "^uringblk: exec: --lba '-1' is not a block number$" -- exec 0 1 --lba -1 --count 1
expect 2 stderr '^uringblk: exec: --pattern must be 1..16 bytes$'	-- exec 0 1 --lba 0 --count 1 --pattern ''
expect 2 stderr '^uringblk: exec: --pattern must be 1..16 bytes$'	-- exec 0 1 --lba 0 --count 1 --pattern 0123456789abcdefg
expect 2 stderr '^uringblk: exec: --pattern sets args'		-- exec 0 1 --lba 0 --count 1 --arg 1 --pattern x
expect 2 stderr '^uringblk: exec: at most 3 --arg'		-- exec 0 1 --lba 0 --count 1 --arg 1 --arg 2 --arg 0x3 --arg 4
expect 2 stderr "^uringblk: exec: --arg '-5' is not an unsigned"	-- exec 0 1 --lba 0 --count 1 --arg -5
expect 2 stderr "^uringblk: exec: --out-size '2M' is not a size up to 1048576" -- exec 0 1 --lba 0 --count 1 --out-size 2M
expect 2 stderr "^uringblk: exec: --out-size '1x' is not a size"	-- exec 0 1 --lba 0 --count 1 --out-size 1x
expect 2 stderr '^uringblk: exec: --hexdump, --u64s and --offsets exclude' -- exec 0 1 --lba 0 --count 1 --u64s --offsets
expect 2 stderr "^uringblk: exec: unknown option '--frob'$"	-- exec 0 1 --frob
expect 2 stderr "^uringblk: exec: 'sda' is not a uringblk device"	-- exec sda 1 --lba 0 --count 1 --out-size 1M
# slots, activation, EXECUTE (ABI 1.3)
expect 0 stdout '^  execute DEV PIND RSID\|--file PATH '			-- --help
expect 0 stdout '^  -s, --slot N'				-- prog load --help
expect 0 stdout '^  -1, --cparam1 V'				-- execute --help
expect 0 stdout '^usage: uringblk prog activate DEV PIND'	-- help prog activate
expect 2 stderr "^uringblk: prog load: --slot '0' is not a program index$" -- prog load 0 x.o --slot 0
expect 2 stderr "^uringblk: prog load: --slot 'x' is not a program index$" -- prog load 0 x.o --slot x
expect 2 stderr '^uringblk: prog activate: missing DEV or PIND$'	-- prog activate 0
expect 2 stderr "^uringblk: prog activate: '0' is not a program index$" -- prog activate 0 0
expect 2 stderr "^uringblk: prog deactivate: '4294967296' is not a program index$" -- prog deactivate 0 4294967296
expect 2 stderr "^uringblk: prog deactivate: 'sda' is not a uringblk device" -- prog deactivate sda 1
expect 2 stderr '^uringblk: execute: missing DEV, PIND or RSID$'	-- execute 0 1
expect 2 stderr "^uringblk: execute: 'x' is not a program index$"	-- execute 0 x 1
expect 2 stderr "^uringblk: execute: '0' is not a range set id$"	-- execute 0 1 0
expect 2 stderr "^uringblk: execute: --cparam1 '-1' is not an unsigned" -- execute 0 1 1 --cparam1 -1
expect 2 stderr '^uringblk: execute: --pattern must be 1..16 bytes$'	-- execute 0 1 1 --pattern ''
expect 2 stderr '^uringblk: execute: --pattern sets cparam1'	-- execute 0 1 1 --arg2 3 --pattern x
expect 2 stderr '^uringblk: execute: --hexdump and --u64s exclude'	-- execute 0 1 1 --u64s --hexdump
expect 2 stderr "^uringblk: execute: 'sda' is not a uringblk device"	-- execute sda 1 1

# offload over files: usage, and files that are not on a uringblk drive
expect 0 stdout '^  file map PATH \[--dev DEV\] \[--json\]$'	-- --help
expect 0 stdout '^  -f, --file PATH '				-- exec --help
expect 0 stdout '^  -f, --file PATH '				-- execute --help
expect 0 stdout '^usage: uringblk file map PATH'		-- help file map
expect 2 stderr '^uringblk: file map: missing PATH$'		-- file map
expect 2 stderr '^uringblk: file map: too many arguments$'	-- file map a b
expect 2 stderr "^uringblk: file map: 'sda' is not a uringblk device" -- file map --dev sda /etc/passwd
expect 2 stderr '^uringblk: exec: --file replaces --lba and --count: give one or the other$' -- exec 0 1 --file x --lba 0
expect 2 stderr '^uringblk: exec: --file replaces --lba and --count' -- exec 0 1 --count 1 --file x
expect 2 stderr '^uringblk: exec: --zone-wp does not apply to --file$' -- exec 0 1 --file x --zone-wp
expect 2 stderr '^uringblk: exec: --split does not apply to --file \(yet\): a file.s extents are one EXEC$' -- exec 0 1 --file x --split 2
expect 2 stderr "^uringblk: exec: 'sda' is not a uringblk device"	-- exec sda 1 --file x
expect 2 stderr '^uringblk: execute: --file makes its own range set: no RSID with it$' -- execute 0 1 2 --file x
expect 2 stderr '^uringblk: execute: --slm-off goes with --file$'	-- execute 0 1 1 --slm-off 4K
expect 2 stderr "^uringblk: execute: --slm-off 'x' is not a size$"	-- execute 0 1 --file f --slm-off x
expect 2 stderr '^uringblk: execute: missing DEV or PIND$'	-- execute 0 --file x
fm_tmp=$(mktemp -d)
echo Alpha >"$fm_tmp/f"
expect 1 stdout '^offloadable   no: .*/f is on device [0-9]+:[0-9]+ \(.*\), not on a uringblk drive \(errno EXDEV\)$' -- file map "$fm_tmp/f"
expect 1 stdout '"offloadable": false, "errno": "EXDEV", "reason": ".*not on a uringblk drive"' -- file map --json "$fm_tmp/f"
expect 1 stdout '^offloadable   no: .* is a directory, not a regular file \(errno EINVAL\)$' -- file map "$fm_tmp"
expect 1 stdout '^offloadable   no: .*/nope: No such file or directory \(errno ENOENT\)$' -- file map "$fm_tmp/nope"
# a FIFO (also through a symlink) is refused by its type, not opened: its
# open() would wait for a writer
mkfifo "$fm_tmp/fifo" && ln -s fifo "$fm_tmp/to-fifo"
expect 1 stdout '^offloadable   no: .*/fifo is a FIFO \(named pipe\), not a regular file \(errno EINVAL\)$' -- file map "$fm_tmp/fifo"
expect 1 stdout '^offloadable   no: .*/to-fifo is a FIFO \(named pipe\), not a regular file \(errno EINVAL\)$' -- file map "$fm_tmp/to-fifo"
expect 1 stdout '^offloadable   no: /dev/null is a character device, not a regular file \(errno EINVAL\)$' -- file map /dev/null
if [[ ! -e /dev/uringblkc4093 ]]; then
	expect 1 stderr '^uringblk: exec 4093: .* \(errno ENOENT\)$'	-- exec 4093 1 --file "$fm_tmp/f"
fi
rm -rf "$fm_tmp"

tb=$out/lib/test/bpf
if [[ -f $tb/globals_ptr.bpf.o && -f $out/bpf/count_pattern.bpf.o ]]; then
	# global data is loaded (PROG_LOAD F_IMAGE), pointers in it are not
	expect 1 stderr "^  loader: .*: global data in section .rodata holds addresses" \
		-- prog load 0 "$tb/globals_ptr.bpf.o" --section-prog pointer_table
	expect 1 stderr '^uringblk: prog load .*globals_ptr.bpf.o: cannot load: .*\(errno EOPNOTSUPP\)$' \
		-- prog load 0 "$tb/globals_ptr.bpf.o" -p pointer_table
	expect 1 stderr "^  loader: .*: uses_map: insn [0-9]+ uses map 'counts'" \
		-- prog load 0 "$tb/map.bpf.o" -p uses_map
	expect 1 stderr '^  loader: .*pick one: calls just_twice$'	-- prog load 0 "$tb/subprog.bpf.o"
	expect 1 stderr "^  loader: .*no program 'nope'"	-- prog load 0 "$tb/subprog.bpf.o" -p nope
	expect 1 stderr '^uringblk: prog load /nonexistent.o: cannot load: .*\(errno ENOENT\)$' \
		-- prog load 0 /nonexistent.o
	# a good object gets as far as the device
	if [[ ! -e /dev/uringblkc4093 ]]; then
		expect 1 stderr '^uringblk: prog load 4093: .* \(errno ENOENT\)$' \
			-- prog load 4093 "$out/bpf/count_pattern.bpf.o"
	fi
else
	echo "FAIL: no BPF objects under $out (make -C lib check, make -C bpf)"
	fail=$((fail + 1))
fi
if [[ ! -e /dev/uringblkc4093 ]]; then
	expect 1 stderr '^uringblk: prog list 4093: .* \(errno ENOENT\)$'	-- prog list 4093
	expect 1 stderr '^uringblk: prog unload 4093: .* \(errno ENOENT\)$'	-- prog unload 4093 1
	expect 1 stderr '^uringblk: exec 4093: .* \(errno ENOENT\)$'	-- exec 4093 1 --lba 0 --count 1 --pattern Alpha --out-size 64K
fi

# the demo's command line (it needs a device for anything else)
demo=$(dirname "$bin")/uringblk-alpha-demo
if [[ -x $demo ]]; then
	demo_expect() {
		local want=$1 pattern=$2 text status
		shift 2
		text=$("$demo" "$@" 2>&1)
		status=$?
		if [[ $status == "$want" ]] && grep -qE -- "$pattern" <<<"$text"; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "FAIL: uringblk-alpha-demo $* -> exit $status (want $want): $text"
		fi
	}
	demo_expect 0 '^usage: uringblk-alpha-demo DEV'	--help
	demo_expect 2 '^usage: '			
	demo_expect 2 'multiple of 1M'			0 --size 3K
	demo_expect 2 'multiple of 1M'			0 --size 0
	demo_expect 2 'multiple of 1M'			0 --size 1Q
	demo_expect 2 'bad --seed'			0 --seed -1
	demo_expect 2 'bad --budget'			0 --budget x
	[[ -e /dev/uringblkc4093 ]] ||
		demo_expect 1 '^4093: no such device node'	4093 --size 1M
else
	echo "FAIL: $demo not built"
	fail=$((fail + 1))
fi

# zone: command lines, before any device
expect 0 stdout '^  zone report DEV \[--lba LBA\]'		-- --help
expect 0 stdout '^  zone append DEV LBA '			-- --help
expect 0 stdout '^  -a, --all'					-- zone reset --help
expect 0 stdout '^  -z, --zone-wp'				-- exec --help
expect 2 stderr '^uringblk: zone: missing subcommand$'		-- zone
expect 2 stderr "^uringblk: zone: unknown subcommand 'frob'$"	-- zone frob
expect 2 stderr '^uringblk: zone report: missing DEV$'		-- zone report
expect 2 stderr "^uringblk: zone report: --count '0' is not a positive" -- zone report 0 --count 0
expect 2 stderr '^uringblk: zone reset: missing DEV or LBA$'	-- zone reset 0
expect 2 stderr '^uringblk: zone reset: too many arguments$'	-- zone reset 0 --all 5
expect 2 stderr "^uringblk: zone open: unknown option '--all'$" -- zone open 0 --all
expect 2 stderr "^uringblk: zone finish: 'x1' is not a block number$" -- zone finish 0 x1
expect 2 stderr '^uringblk: zone append: give one of --file'	-- zone append 0 0
expect 2 stderr '^uringblk: zone append: --file and --string exclude' -- zone append 0 0 -f x -s y
expect 2 stderr "^uringblk: zone append: --size '0' is not"	-- zone append 0 0 --size 0
expect 2 stderr "^uringblk: zone close: 'sda' is not a uringblk device" -- zone close sda 0
[[ -e /dev/uringblkc4093 ]] ||
	expect 1 stderr '^uringblk: zone report 4093: .* \(errno ENOENT\)$' -- zone report 4093

# mem / rangeset: command lines, before any device
expect 0 stdout '^  mem read DEV OFF LEN \[-o FILE\]$'		-- --help
expect 0 stdout '^  mem copy DEV SLM_OFF LBA:NLB'		-- --help
expect 0 stdout '^  rangeset create DEV OFF:LEN'		-- --help
expect 0 stdout '^  -o, --output FILE'				-- mem read --help
expect 0 stdout '^usage: uringblk rangeset delete DEV RSID$'	-- help rangeset delete
expect 2 stderr '^uringblk: mem: missing subcommand$'		-- mem
expect 2 stderr "^uringblk: rangeset: unknown subcommand 'frob'$" -- rangeset frob
expect 2 stderr '^uringblk: mem read: missing DEV, OFF or LEN$'	-- mem read 0 0
expect 2 stderr "^uringblk: mem read: '0' is not a positive length$" -- mem read 0 0 0
expect 2 stderr "^uringblk: mem read: 'x' is not an SLM offset$" -- mem read 0 x 4
expect 2 stderr "^uringblk: mem read: option '-o' needs an argument$" -- mem read 0 0 4 --output
expect 2 stderr '^uringblk: mem write: too many arguments$'	-- mem write 0 0 a b
expect 2 stderr "^uringblk: mem write: '1Q' is not an SLM offset$" -- mem write 0 1Q -
expect 2 stderr "^uringblk: mem copy: '1:0' is not a list of LBA:NLB" -- mem copy 0 0 1:0
expect 2 stderr "^uringblk: mem copy: '1:2,' is not a list" -- mem copy 0 0 1:2,
expect 2 stderr "^uringblk: mem copy: '1:4294967296' is not a list" -- mem copy 0 0 1:4294967296
expect 2 stderr "^uringblk: mem copy: '5' is not a list"	-- mem copy 0 0 5
expect 2 stderr "^uringblk: mem copy: 'sda' is not a uringblk device" -- mem copy sda 0 1:1
expect 2 stderr "^uringblk: rangeset create: '0:4K,8K' is not a list of OFF:LEN" -- rangeset create 0 0:4K,8K
expect 2 stderr "^uringblk: rangeset create: ',0:4K' is not a list" -- rangeset create 0 ,0:4K
expect 2 stderr '^uringblk: rangeset create: missing DEV or OFF:LEN$' -- rangeset create 0
expect 2 stderr "^uringblk: rangeset delete: '0' is not a range set id$" -- rangeset delete 0 0
expect 2 stderr "^uringblk: rangeset delete: '4294967296' is not a range set id$" -- rangeset delete 0 4294967296
if [[ ! -e /dev/uringblkc4093 ]]; then
	expect 1 stderr '^uringblk: mem read 4093: .* \(errno ENOENT\)$' -- mem read 4093 0 4K
	expect 1 stderr '^uringblk: rangeset create 4093: .* \(errno ENOENT\)$' -- rangeset create 4093 0:4K --json
fi

# query: command lines, bad queries, the host interpreter (no drive)
qcsv=/tmp/uringblk-cli-query.$$.csv
printf 'k,v,d\nA,1.50,1994-01-02\nB,-2,1995-01-01\nA,3.25,1994-12-31\nC,x,1994-05-05\n' > "$qcsv"
expect 0 stdout "^  query DEV\|FILE 'QUERY' \[--header\]"	-- --help
expect 0 stdout '^  -o, --host '				-- query --help
expect 0 stdout '^  -B, --byte-loop '			-- query --help
expect 2 stderr '^uringblk: query: missing DEV\|FILE and QUERY$'	-- query "$qcsv"
expect 2 stderr '^uringblk: query: --host and --check exclude each other$' -- query "$qcsv" 'SELECT count(*)' --host --check
expect 2 stderr '^uringblk: query: --bytes is for a DEV' -- query "$qcsv" 'SELECT count(*)' --bytes 1K
expect 2 stderr "^uringblk: query: query:1:8: unknown function 'summ'" -- query "$qcsv" 'SELECT summ($2)' --host
expect 2 stderr '^         \^~~~$'				-- query "$qcsv" 'SELECT summ($2)' --host
expect 2 stderr "^uringblk: query: query:1:12: no field 'w' in the header line$" -- query "$qcsv" 'SELECT sum(w)' --host --header
expect 0 stdout '^A  2         4.75$'			-- query "$qcsv" 'SELECT k, count(*), sum(v:dec2) GROUP BY k:str' --host --header
expect 0 stdout '^# records 4, matched 3, malformed 1, groups 2$'	-- query "$qcsv" 'SELECT k, count(*), sum(v:dec2) GROUP BY k:str' --host --header
expect 0 stdout '^2         3.25$'				-- query "$qcsv" "SELECT count(*), max(\$2:dec2) WHERE \$3 > date '1994-06-01'" --host --header
expect 1 stderr 'not on a uringblk drive \(errno EXDEV\)$'	-- query "$qcsv" 'SELECT count(*)'
# FROM csv(header) reads the names as --header does (issue 35)
expect 0 stdout '^A  2         4.75$'			-- query "$qcsv" 'SELECT k, count(*), sum(v:dec2) FROM csv(header) GROUP BY k:str' --host
expect 2 stderr 'query:1:12: an empty name'			-- query "$qcsv" 'SELECT sum("")' --host --header
# 30,000 '(' (a 60 KB query): refused with a message, not a crash
deep=$(printf '(%.0s' $(seq 30000))
expect 2 stderr 'expression nested too deeply \(more than 64 levels'	-- query "$qcsv" "SELECT sum(${deep}\$2" --host
expect 2 stderr '^  \.\.\.\(+\.\.\.$'			-- query "$qcsv" "SELECT sum(${deep}\$2" --host
# a header line longer than any buffer (issue 50: the CLI read 4 KiB of
# it): the name after 4090, 70000 and 300000 bytes resolves, as in the
# library; with no newline at all the line is the whole file
for n in 4090 70000 300000; do
	python3 -c "import sys; sys.stdout.write('x' * $n + ',target\n1,2\n3,4\n')" > "$qcsv"
	expect 0 stdout '^6            2$'		-- query "$qcsv" 'SELECT sum(target), count(*)' --host --header
	expect 0 stdout '^6            2$'		-- query "$qcsv" 'SELECT sum(target), count(*) FROM csv(header)' --host
done
python3 -c "import sys; sys.stdout.write('y' * 9000 + ',target')" > "$qcsv"
expect 0 stdout '^# records 0, matched 0'		-- query "$qcsv" 'SELECT sum(target)' --host --header
expect 2 stderr "^uringblk: query: query:1:12: no field 'targe' in the header line$" -- query "$qcsv" 'SELECT sum(targe)' --host --header
rm -f "$qcsv"

# kv: the steps its subcommands share (DEV and KEY checked, then the drive
# opened), without a drive
expect 2 stderr '^uringblk: kv put: missing DEV and KEY$'		-- kv put 0
expect 2 stderr '^uringblk: kv put: --value and --file exclude each other$' -- kv put 0 k --value a --file b
expect 2 stderr '^uringblk: kv put: --must-exist and --must-not-exist exclude each other$' -- kv put 0 k -v a -e -n
expect 2 stderr "^uringblk: kv get: '0x0g' is not hex$"		-- kv get 0 0x0g
expect 2 stderr "^uringblk: kv get: a hex KEY is 0x and 1 to 16 bytes of two hex digits each: '0x123'$" -- kv get 0 0x123
expect 2 stderr "^uringblk: kv exists: a KEY is 1 to 16 bytes, 'abcdefghijklmnopq' is 17$" -- kv exists 0 abcdefghijklmnopq
expect 2 stderr "^uringblk: kv del: 'sda' is not a uringblk device"	-- kv del sda k
expect 2 stderr '^uringblk: kv del: too many arguments$'		-- kv del 0 k x
expect 2 stderr '^uringblk: kv list: missing DEV$'			-- kv list
expect 2 stderr "^uringblk: kv list: '0Xx0' is not hex$"		-- kv list 0 --from 0Xx0
expect 2 stderr '^uringblk: kv query: missing DEV, KEY and QUERY$'	-- kv query 0 k
expect 2 stderr '^uringblk: kv query: --host and --check exclude each other$' -- kv query 0 k 'SELECT count(*)' --host --check
expect 2 stderr "^uringblk: kv query: '0x0g' is not hex$"		-- kv query 0 0x0g 'SELECT count(*)'
expect 1 stderr '^uringblk: kv get /dev/null: not a uringblk device.* \(errno ENODEV\)$' -- kv get /dev/null k
expect 1 stderr '^uringblk: kv list /dev/null: not a uringblk device.* \(errno ENODEV\)$' -- kv list /dev/null

# create / remove / list: command lines, and the module missing
expect 0 stdout '^  create \[NAME\] \[--capacity-mb N\]'		-- --help
expect 0 stdout '^  remove NAME\|DEV\.\.\.$'			-- --help
expect 0 stdout '^  list \[--json\]$'				-- --help
expect 0 stdout '^  --zone-max-active N'			-- create --help
expect 0 stdout '^  -s, --set KEY=VALUE'			-- help create
expect 2 stderr "^uringblk: create: --block-size 'x' is not a number$" -- create d --block-size x
expect 2 stderr "^uringblk: create: --capacity-mb '-1' is not a number$" -- create --capacity-mb -1
expect 2 stderr "^uringblk: create: option '--queues' needs an argument$" -- create --queues
expect 2 stderr "^uringblk: create: unknown option '--frob'$"	-- create --frob
expect 2 stderr '^uringblk: create: too many arguments$'	-- create a b
expect 2 stderr '^uringblk: remove: missing NAME$'		-- remove
expect 2 stderr '^uringblk: list: too many arguments$'		-- list x
if [[ ! -d /sys/module/uringblk ]]; then
	expect 1 stderr '^uringblk: create d: the uringblk module is not loaded .*insmod uringblk.ko \(errno ENODEV\)$' -- create d --zoned
	expect 1 stderr '^uringblk: create drive0: the uringblk module is not loaded' -- create
	expect 1 stderr '^uringblk: remove d: the uringblk module is not loaded .* \(errno ENODEV\)$' -- remove d
	expect 1 stderr '^uringblk: list: the uringblk module is not loaded .* \(errno ENODEV\)$' -- list --json
fi

rm -f /tmp/uringblk-cli-err.$$
echo "cli: $pass checks passed, $fail failed"
((fail == 0))
