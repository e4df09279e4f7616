#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Synchronisation of the two halves of a tools/vm/run-pair test: events are
# files in $URINGBLK_PAIR_DIR, a directory on the 9p share both guests
# write (mounted without a cache, so each look-up asks the host).  Sourced
# after lib.sh.

# pair_signal EVENT: tell the other guest that EVENT happened.
pair_signal() {
	echo "${2:-}" > "$URINGBLK_PAIR_DIR/$1"
}

# pair_wait SECONDS EVENT [OTHER...]: wait for EVENT (or one of the OTHERs)
# for up to SECONDS; prints the one that came.  Returns 1 on a timeout or
# when the other guest has ended with a failure (tools/vm/run-pair's abort).
pair_wait() {
	local end=$((SECONDS + $1)) e
	shift
	while ((SECONDS < end)); do
		for e in "$@"; do
			[[ -e $URINGBLK_PAIR_DIR/$e ]] && { echo "$e"; return 0; }
		done
		[[ -e $URINGBLK_PAIR_DIR/abort ]] && { echo "abort"; return 1; }
		sleep 0.2
	done
	echo "timeout"
	return 1
}

# pair_value EVENT: what the other guest wrote with the event.
pair_value() {
	cat "$URINGBLK_PAIR_DIR/$1" 2>/dev/null
}

# pair_acked_writes DEV FIRST GO BACK: the initiator's half of a link cut
# with nothing acknowledged lost.  4 KiB blocks of random data written one
# at a time to DEV from block FIRST on, each logged ("BLOCK SHA256") in
# the pair directory's acked only once its fdatasync returned; event GO
# after 20 writes (the other guest cuts its link), and 20 writes after
# event BACK (the link is up again) it stops, or at 400.  Prints "N SLOW":
# the writes, and those that took 5 s or more.  Returns 1 if a write
# failed (and says which).
pair_acked_writes() {
	local dev=$1 first=$2 k=0 t0 slow=0 after=0 tmp
	tmp=$(mktemp)
	: > "$URINGBLK_PAIR_DIR/acked"
	while ((k < 400)); do
		((k == 20)) && pair_signal "$3"
		{ printf 'uringblk acked write %d\n' $k; head -c 4096 /dev/urandom; } | head -c 4096 > "$tmp"
		t0=$SECONDS
		dd if="$tmp" of="$dev" bs=4096 seek=$((first + k)) count=1 oflag=direct \
			conv=notrunc,fdatasync status=none || { echo "write $k failed"; rm -f "$tmp"; return 1; }
		echo "$((first + k)) $(sha256sum < "$tmp" | cut -d' ' -f1)" >> "$URINGBLK_PAIR_DIR/acked"
		((SECONDS - t0 >= 5)) && slow=$((slow + 1))
		k=$((k + 1))
		((after == 0)) && [[ -e $URINGBLK_PAIR_DIR/$4 ]] && after=$k
		((after && k >= after + 20)) && break
	done
	rm -f "$tmp"
	echo "$k $slow"
}

# pair_verify_acked DEV: the target's half: every block the initiator
# logged as acknowledged, read from DEV (the drive's own block device),
# has the logged SHA-256.  Prints "ok N", or the first that differs.
pair_verify_acked() {
	local n=0 blk sum got
	while read -r blk sum; do
		got=$(dd if="$1" bs=4096 skip="$blk" count=1 iflag=direct status=none | sha256sum)
		[[ ${got%% *} == "$sum" ]] || { echo "block $blk differs from what was acknowledged"; return; }
		n=$((n + 1))
	done < "$URINGBLK_PAIR_DIR/acked"
	echo "ok $n"
}

# pair_reads_removed DEV: the initiator's half of a drive removed on the
# target under reads over the fabric: fio reads DEV, event remove-go asks
# the target to remove the drive, which answers event removed with its
# status.  The reads must end in errors within 120 s, not hang.  Prints
# how fio ended; fails the test (lib.sh) and returns 1 otherwise.
pair_reads_removed() {
	local fpid rc v start log
	log=$(mktemp)
	fio --name=gone --filename="$1" --direct=1 --ioengine=libaio --rw=randread --bs=4k \
		--iodepth=4 --size=32m --time_based --runtime=200 --verify_state_save=0 \
		--output-format=terse > "$log" 2>&1 &
	fpid=$!
	sleep 2
	start=$SECONDS
	pair_signal remove-go
	v=$(pair_wait 180 removed) || { fail "target: $v"; kill $fpid; return; }
	expect_eq "the target's removal" 0 "$(pair_value removed)" || { kill $fpid; return; }
	timeout 120 tail --pid=$fpid -f /dev/null
	if kill -0 $fpid 2>/dev/null; then
		kill -9 $fpid
		fail "fio still reading 120 s after the drive was removed"
		return
	fi
	wait $fpid
	rc=$?
	echo "fio ended after $((SECONDS - start)) s with status $rc: $(grep -m1 -o 'err=[^;]*\|error[^;]*' "$log")"
	rm -f "$log"
	((rc != 0)) || fail "reads of a removed drive succeeded"
}

# The standard's Computational Programs commands by nvme-cli, for both
# halves (Documentation/examples/nvme.md has the flow they come from).
# $(pair_le V N): V as N little-endian bytes.
pair_le() {
	local i
	for ((i = 0; i < $2; i++)); do printf "\\x$(printf %02x $((($1 >> 8 * i) & 255)))"; done
}

# pair_copy_range SLBA NLB: one Memory Copy source range of NSID 1, Copy
# Descriptor Format 2h (32 bytes: SNSID, SLBA, NLB 0's based), on stdout.
pair_copy_range() {
	pair_le 1 4; pair_le 0 4; pair_le "$1" 8; pair_le $(($2 - 1)) 2; head -c 14 /dev/zero
}

# pair_result OUT: the result nvme-cli printed ("... is Success and result:
# 0x0000002a"), as a number.
pair_result() {
	echo $(($(sed -n 's/.* is Success and result: \(0x[0-9a-f]*\)$/\1/p' <<< "$1")))
}

# pair_cp_program CTRL OBJ PIND BYTES [BASE]: on controller CTRL
# (/dev/nvmeX), the eBPF program of OBJ loaded into slot PIND and
# activated, and a memory range set made over BYTES of SLM from byte BASE
# (0): the admin commands nvmet's passthru does not forward, so the
# target's.  Prints the set's RSID, or what failed (status 1).
pair_cp_program() {
	local ctrl=$1 pind=$3 w size out
	w=$(mktemp -d)
	llvm-objcopy -O binary --only-section=uringblk "$2" "$w/prog" || { rm -r "$w"; return 1; }
	size=$(stat -c %s "$w/prog")
	# Load Program (85h): PIND | PTYPE C0h (eBPF) << 16, PSIZE, NUMB, LOFF 0
	out=$(nvme admin-passthru "$ctrl" --opcode=0x85 --namespace-id=2 \
		--cdw10=$((pind | 0xc0 << 16)) --cdw11="$size" --cdw14="$size" --cdw15=0 \
		--data-len="$size" --input-file="$w/prog" -w 2>&1) &&
		# Program Activation Management (88h): activate (SEL 1)
		out=$(nvme admin-passthru "$ctrl" --opcode=0x88 --namespace-id=2 \
			--cdw10=$((pind | 1 << 16)) 2>&1) || { echo "$out"; rm -r "$w"; return 1; }
	# Memory Range Set Management (89h) create: one range, MNSID 3
	{ pair_le 3 4; pair_le "$4" 4; pair_le "${5:-0}" 8; head -c 16 /dev/zero; } > "$w/mrd"
	out=$(nvme admin-passthru "$ctrl" --opcode=0x89 --namespace-id=2 --cdw10=0 --cdw11=1 \
		--data-len=32 --input-file="$w/mrd" -w 2>&1) || { echo "$out"; rm -r "$w"; return 1; }
	rm -r "$w"
	pair_result "$out"
}
