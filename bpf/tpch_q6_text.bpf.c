// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * tpch_q6_text: TPC-H Q6 over dbgen's lineitem text (bpf/tpch.h), with
 * the record helper: uringblk_rec_parse() splits TPCH_Q6_RECS lines a
 * call and parses their four columns to fixed point; the program only
 * filters and sums.
 *
 * data:	the whole range is lineitem text ('|'-separated lines)
 * r0:		sum(l_extendedprice * l_discount) over Q6's rows, scale 4
 * output:	struct tpch_q6_out (if out_len allows)
 * errors:	a line over URINGBLK_REC_MAX_LEN bytes: -EINVAL (abort arg)
 */
#include "tpch_prog.h"

#define RECS	64	/* vals: 2056 bytes of the 4096 of writable globals */
#define NV	4

static const struct uringblk_rec_spec spec = {
	.sep = '|',
	.nvals = NV,
	.max_recs = RECS,
	.val = {
		URINGBLK_REC_VAL(TPCH_COL_QUANTITY, URINGBLK_NUM_INT, 0),
		URINGBLK_REC_VAL(TPCH_COL_EXTENDEDPRICE, URINGBLK_NUM_DEC, 2),
		URINGBLK_REC_VAL(TPCH_COL_DISCOUNT, URINGBLK_NUM_DEC, 2),
		URINGBLK_REC_VAL(TPCH_COL_SHIPDATE, URINGBLK_NUM_DATE, 0),
	},
};
static __s64 vals[1 + RECS * NV];

SEC(URINGBLK_PROG_SEC)
__u64 tpch_q6_text(const struct uringblk_prog_ctx *ctx)
{
	struct tpch_q6_out res = { 0 };
	__u64 off = 0, end = ctx->data_len;
	__s64 n, i, *v;

	while (off < end) {
		n = uringblk_rec_parse(off, end, &spec, vals);
		if (n <= 0)
			return uringblk_abort_einval(ctx);
		for (i = 0, v = vals + 1; i < n; i++, v += NV) {
			if (v[0] == URINGBLK_NUM_BAD ||
			    v[1] == URINGBLK_NUM_BAD ||
			    v[2] == URINGBLK_NUM_BAD ||
			    v[3] == URINGBLK_NUM_BAD) {
				res.bad++;
				continue;
			}
			if (tpch_q6_match(v[0], v[2], v[3]))
				res.revenue += v[1] * v[2];
		}
		res.rows += n;
		off = vals[0];
	}
	if (ctx->out_len >= sizeof(res))
		uringblk_emit(&res, sizeof(res));
	return res.revenue;
}
