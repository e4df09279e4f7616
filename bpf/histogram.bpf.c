// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * histogram: how often each byte value occurs in the granted range.
 *
 * args:	none (all zero)
 * output:	256 little-endian u64 counts, count[b] for byte value b at
 *		offset 8 * b (2048 bytes; the output buffer must be at least
 *		that large, else the run stops with -EINVAL)
 * r0:		number of distinct byte values present (bins above zero)
 *
 * The counting is one uringblk_histogram() call into the output buffer
 * (which starts zeroed); the loop over the bins is bytecode.
 */
#include "uringblk_prog.h"

#define BINS	256

/* The bins add up; r0, the bins above zero, is counted on the sum. */
URINGBLK_COMBINE(histogram, .r0 = URINGBLK_COMBINE_NONZERO,
		 .out = URINGBLK_COMBINE_SUM, .out_len = BINS * sizeof(__u64));

SEC(URINGBLK_PROG_SEC)
__u64 histogram(const struct uringblk_prog_ctx *ctx)
{
	__u64 *hist = uringblk_out(ctx);
	__u64 distinct = 0;
	int b;

	if (ctx->out_len < BINS * sizeof(__u64))
		return uringblk_abort_einval(ctx);
	uringblk_histogram(0, ctx->data_len, hist);
	for (b = 0; b < BINS; b++)
		distinct += hist[b] != 0;
	return distinct;
}
