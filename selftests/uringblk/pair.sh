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
