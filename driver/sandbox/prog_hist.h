/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Counting bytes into a histogram, for the histogram helper (prog_arith.c)
 * and the device-defined histogram program (prog_native.c), which must
 * count, charge and flush alike: one feed, so the two cannot drift.
 *
 * The program's bins are 256 u64 counters in its memory.  A short range
 * is counted into them one byte at a time.  A longer one is counted into
 * four tables of u32 counters in the run state, which break the
 * store-to-load chain a run of one byte value would make on a single
 * counter, and the tables are added into the bins by a flush; clearing
 * and flushing them cost HIST_TABLE_WORK each.
 */
#ifndef _URINGBLK_PROG_HIST_H
#define _URINGBLK_PROG_HIST_H

#include "prog_vm.h"

#define HIST_BINS		256
/* shorter ranges are counted one byte at a time */
#define HIST_DIRECT_MAX		1024
/* clearing or flushing the four counter tables */
#define HIST_TABLE_WORK		(HIST_BINS * URINGBLK_PROG_WORK_STEP)

/*
 * Keeps the u32 table counters exact.  A flush makes a helper call
 * impossible to make again, so it must stay far above what a run does
 * before it may yield ("Yield" in prog_vm.h); tests lower it to reach
 * that case.
 */
#ifdef URINGBLK_PROG_HIST_FLUSH_BYTES
#define HIST_FLUSH_BYTES	URINGBLK_PROG_HIST_FLUSH_BYTES
#else
#define HIST_FLUSH_BYTES	(1ULL << 30)
#endif

/*
 * Count @n bytes at @p straight into the bins at @hist.  The caller
 * charges URINGBLK_PROG_WORK_STEP a byte.
 */
static inline void hist_count_direct(struct uringblk_prog_state *st,
				     u8 *hist, const u8 *p, u64 n)
{
	u64 i, v;

	st->call_dirty = true;
	for (i = 0; i < n; i++) {
		v = get_unaligned_u64(hist + 8 * p[i]);
		put_unaligned_u64(v + 1, hist + 8 * p[i]);
	}
}

/* Clear the tables before a long range, and charge it. */
static inline void hist_tables_clear(struct uringblk_prog_state *st)
{
	BUILD_BUG_ON(sizeof(st->hist[0]) != HIST_BINS * sizeof(u32));
	memset(st->hist, 0, sizeof(st->hist));
	st->work += HIST_TABLE_WORK;
}

/*
 * Add the tables into the bins at @hist and clear them.  The caller
 * charges HIST_TABLE_WORK.  The bins are the program's memory, so from
 * here on a helper call cannot be made again (call_dirty, prog_vm.h,
 * "Yield"); a device-defined program starts again from scratch instead.
 */
static inline void hist_flush(struct uringblk_prog_state *st, u8 *hist)
{
	u32 b;

	st->call_dirty = true;
	for (b = 0; b < HIST_BINS; b++) {
		u64 v = get_unaligned_u64(hist + 8 * b);

		v += (u64)st->hist[0][b] + st->hist[1][b] +
		     st->hist[2][b] + st->hist[3][b];
		put_unaligned_u64(v, hist + 8 * b);
	}
	memset(st->hist, 0, sizeof(st->hist));
}

/*
 * Count @n bytes at @p into the tables and add their work; @since counts
 * the bytes since the last flush, which is made (and charged) here once
 * it reaches HIST_FLUSH_BYTES.  The caller charges st->work afterwards.
 */
static inline void hist_feed(struct uringblk_prog_state *st, u8 *hist,
			     const u8 *p, u64 n, u64 *since)
{
	u64 i;

	for (i = 0; i + 4 <= n; i += 4) {
		st->hist[0][p[i]]++;
		st->hist[1][p[i + 1]]++;
		st->hist[2][p[i + 2]]++;
		st->hist[3][p[i + 3]]++;
	}
	for (; i < n; i++)
		st->hist[0][p[i]]++;
	st->work += n * URINGBLK_PROG_WORK_HIST;
	*since += n;
	if (*since >= HIST_FLUSH_BYTES) {
		st->work += HIST_TABLE_WORK;
		hist_flush(st, hist);
		*since = 0;
	}
}

#endif /* _URINGBLK_PROG_HIST_H */
