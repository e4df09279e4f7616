// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * tpch_q1_bin: TPC-H Q1 over lineitem's binary rows (struct tpch_row,
 * bpf/tpch.h), read BATCH rows a uringblk_read().  Same output as
 * tpch_q1_text; r0 is 0.
 */
#include "tpch_prog.h"

#define BATCH	128

static struct tpch_row rows[BATCH];

SEC(URINGBLK_PROG_SEC)
__u64 tpch_q1_bin(const struct uringblk_prog_ctx *ctx)
{
	struct tpch_q1_group *g = uringblk_out(ctx);
	__u64 n = ctx->data_len / TPCH_ROW_SIZE, r = 0, k, i;
	struct tpch_vals v;
	struct tpch_row *p;

	if (ctx->out_len < TPCH_Q1_OUT_LEN)
		return uringblk_abort_einval(ctx);
	tpch_q1_clear(g);
	while (r < n) {
		k = n - r < BATCH ? n - r : BATCH;
		uringblk_read(r * TPCH_ROW_SIZE, rows, k * TPCH_ROW_SIZE);
		for (i = 0, p = rows; i < k; i++, p++) {
			tpch_row_vals(p, &v);
			if (tpch_q1_add(g, &v))
				return uringblk_abort_einval(ctx);
		}
		r += k;
	}
	return 0;
}
