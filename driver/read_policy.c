// SPDX-License-Identifier: GPL-2.0
/*
 * The read policy: may this reader read these bytes of the drive now?
 * One answer for every reader of the data: block READs (rq.c), EXEC data
 * windows (exec_grant.c), and any new kind of reader (struct
 * uringblk_reader in uringblk.h says how to add one).  It combines what
 * the zone model says (offline zones, zoned.c) and what fault injection
 * chose for the reader (fault.c).
 *
 * Readers.  Every reader of the data is one read request for fault
 * injection's decision (fault.c), made once: a block READ in queue_rq,
 * an EXEC when its run starts (over its granted range, its first LBA
 * hashed; uringblk_reader_start()).  The decision is kept in the reader
 * (struct uringblk_reader) as the part of its range that fails, and
 * uringblk_read_check(), which every read of every reader goes through,
 * fails reads there with -EIO and counts them; so a program's helpers
 * abort the run with URINGBLK_PROG_ABORT_IO (as a backend read error
 * would) when they reach that part, and read the data beside it.  The
 * same function refuses reads of offline zones.
 */
#include <linux/blkdev.h>
#include <linux/rcupdate.h>

#include "stats.h"
#include "uringblk.h"

/**
 * uringblk_reader_start() - choose which reads of a new reader fail
 * @dev: the device
 * @rd: the reader, set up here
 * @pos: the reader's range in device bytes, block aligned: an EXEC's
 * @len: granted range (may be empty)
 *
 * A reader counts as one read request for fault injection's choice
 * (fault.c, "Readers"); a block READ gets its choice in uringblk_fault_rq().
 * Does not sleep.
 */
void uringblk_reader_start(struct uringblk_dev *dev, struct uringblk_reader *rd,
			   u64 pos, u64 len)
{
	*rd = (struct uringblk_reader) {};
	/* Fault injection costs one pointer test while it is off. */
	if (!len || !rcu_access_pointer(dev->fault))
		return;
	uringblk_fault_reader(dev, rd, pos, len);
}

/**
 * uringblk_read_check() - the read policy: may this read proceed?
 * @dev: the device
 * @rd: who reads (struct uringblk_reader in uringblk.h)
 * @pos: device byte offset, inside the device
 * @len: bytes wanted
 *
 * The one place that decides, for every reader of the data: a read in an
 * offline zone fails (zoned.c, uringblk_zone_readable()); a read in the
 * part an injected fault chose for this reader fails, counted in
 * faults_injected; reads past a zone's write pointer proceed and return
 * zeroes.  Lockless; does not sleep.
 * Return: the bytes from @pos that may be read (at most @len; fewer where
 * the answer may change: a zone's end, the start of a failing part; the
 * caller asks again for the rest), or -EIO.
 */
s64 uringblk_read_check(struct uringblk_dev *dev, const struct uringblk_reader *rd,
			u64 pos, u64 len)
{
	s64 n = uringblk_zone_readable(dev, pos, len);

	if (n < 0)
		return n;
	len = n;
	if (unlikely(rd->fault_end)) {
		if (pos >= rd->fault_start && pos < rd->fault_end) {
			this_cpu_inc(dev->stats->faults_injected);
			return -EIO;
		}
		if (pos < rd->fault_start)
			len = min(len, rd->fault_start - pos);
	}
	return len;
}
