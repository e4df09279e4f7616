// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Lesson 7: records.  See docs/learn/07-records.md.
 *
 * The range is an array of sales, 32-byte little-endian records (struct
 * sale below).  Return the revenue, sum(qty * price_cents), of the sales
 * with qty >= args[0], and put two u64s in the output buffer: { that
 * revenue, how many sales it counts }.
 *   make learn N=7
 */
#include "uringblk_prog.h"

struct sale {
	__u32 id;
	__u32 qty;
	__u64 price_cents;
	char item[16];
};

#define BATCH	8		/* records per read: 256 bytes of stack */

SEC(URINGBLK_PROG_SEC)
__u64 revenue(const struct uringblk_prog_ctx *ctx)
{
	struct sale recs[BATCH];
	__u64 *out = uringblk_out(ctx);
	__u64 nrec = ctx->data_len / sizeof(struct sale);
	__u64 r, k, i, sum = 0, count = 0;

	for (r = 0; r < nrec; r += k) {
		k = nrec - r < BATCH ? nrec - r : BATCH;
		uringblk_read(r * sizeof(struct sale), recs, k * sizeof(struct sale));
		for (i = 0; i < k; i++) {
			/* TODO: only the sales with qty >= ctx->args[0]; their
			 * revenue is qty * price_cents (in 64 bits) */
			sum += recs[i].price_cents;
			count++;
		}
	}
	/* TODO: out[0] = sum, out[1] = count (the buffer has ctx->out_len bytes) */
	(void)out;
	return sum;
}
