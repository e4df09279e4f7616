// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Lesson 7, solution: a filter and a sum over fixed-width binary records.
 *
 * The range is an array of struct sale (32 bytes, little-endian).
 * r0 = sum of qty * price_cents over the sales with qty >= args[0];
 * output: two u64s { that sum, number of those sales }.
 */
#include "uringblk_prog.h"

struct sale {
	__u32 id;
	__u32 qty;
	__u64 price_cents;
	char item[16];
};				/* 32 bytes, as the check's perl pack("VVQ<a16") */

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
			if (recs[i].qty < ctx->args[0])
				continue;
			sum += (__u64)recs[i].qty * recs[i].price_cents;
			count++;
		}
	}
	if (ctx->out_len >= 16) {
		out[0] = sum;
		out[1] = count;
	}
	return sum;
}
