// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * tpch_q6_bin: TPC-H Q6 over lineitem's binary rows (struct tpch_row,
 * 32 bytes, bpf/tpch.h), read BATCH rows a uringblk_read().  Same r0
 * and output as tpch_q6_text; a partial row at the end is ignored.
 */
#include "tpch_prog.h"

#define BATCH	128

static struct tpch_row rows[BATCH];

SEC(URINGBLK_PROG_SEC)
__u64 tpch_q6_bin(const struct uringblk_prog_ctx *ctx)
{
	struct tpch_q6_out res = { 0 };
	__u64 n = ctx->data_len / TPCH_ROW_SIZE, r = 0, k, i;
	struct tpch_row *p;

	while (r < n) {
		k = n - r < BATCH ? n - r : BATCH;
		uringblk_read(r * TPCH_ROW_SIZE, rows, k * TPCH_ROW_SIZE);
		for (i = 0, p = rows; i < k; i++, p++)
			if (tpch_q6_match(p->quantity, p->discount, p->shipdate))
				res.revenue += p->extendedprice * p->discount;
		r += k;
	}
	res.rows = n;
	if (ctx->out_len >= sizeof(res))
		uringblk_emit(&res, sizeof(res));
	return res.revenue;
}
