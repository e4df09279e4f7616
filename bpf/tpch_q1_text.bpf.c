// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * tpch_q1_text: TPC-H Q1 (per l_returnflag, l_linestatus: sums and
 * count over shipdate <= 1998-09-02) over dbgen's lineitem text, with
 * the record helper uringblk_rec_parse() (seven columns a line).
 *
 * data:	lineitem text ('|'-separated lines)
 * r0:		rows that did not parse (0 for dbgen's files)
 * output:	TPCH_Q1_MAX_GROUPS struct tpch_q1_group (bpf/tpch.h),
 *		used slots in order of first appearance
 * errors:	out_len < TPCH_Q1_OUT_LEN, more groups than slots, a line
 *		over URINGBLK_REC_MAX_LEN bytes: -EINVAL (abort arg)
 */
#include "tpch_prog.h"

#define RECS	64	/* vals: 3592 bytes of the 4096 of writable globals */
#define NV	7

static const struct uringblk_rec_spec spec = {
	.sep = '|',
	.nvals = NV,
	.max_recs = RECS,
	.val = {
		URINGBLK_REC_VAL(TPCH_COL_QUANTITY, URINGBLK_NUM_INT, 0),
		URINGBLK_REC_VAL(TPCH_COL_EXTENDEDPRICE, URINGBLK_NUM_DEC, 2),
		URINGBLK_REC_VAL(TPCH_COL_DISCOUNT, URINGBLK_NUM_DEC, 2),
		URINGBLK_REC_VAL(TPCH_COL_TAX, URINGBLK_NUM_DEC, 2),
		URINGBLK_REC_VAL(TPCH_COL_SHIPDATE, URINGBLK_NUM_DATE, 0),
		URINGBLK_REC_VAL(TPCH_COL_RETURNFLAG, URINGBLK_NUM_CHARS, 0),
		URINGBLK_REC_VAL(TPCH_COL_LINESTATUS, URINGBLK_NUM_CHARS, 0),
	},
};
static __s64 vals[1 + RECS * NV];

SEC(URINGBLK_PROG_SEC)
__u64 tpch_q1_text(const struct uringblk_prog_ctx *ctx)
{
	struct tpch_q1_group *g = uringblk_out(ctx);
	__u64 off = 0, end = ctx->data_len, bad = 0;
	struct tpch_vals tv;
	__s64 n, i, *v;

	if (ctx->out_len < TPCH_Q1_OUT_LEN)
		return uringblk_abort_einval(ctx);
	tpch_q1_clear(g);
	while (off < end) {
		n = uringblk_rec_parse(off, end, &spec, vals);
		if (n <= 0)
			return uringblk_abort_einval(ctx);
		for (i = 0, v = vals + 1; i < n; i++, v += NV) {
			if (v[0] == URINGBLK_NUM_BAD ||
			    v[1] == URINGBLK_NUM_BAD ||
			    v[2] == URINGBLK_NUM_BAD ||
			    v[3] == URINGBLK_NUM_BAD ||
			    v[4] == URINGBLK_NUM_BAD) {
				bad++;
				continue;
			}
			tv.qty = v[0];
			tv.price = v[1];
			tv.disc = v[2];
			tv.tax = v[3];
			tv.ship = v[4];
			tv.rf = v[5];
			tv.ls = v[6];
			if (tpch_q1_add(g, &tv))
				return uringblk_abort_einval(ctx);
		}
		off = vals[0];
	}
	return bad;
}
