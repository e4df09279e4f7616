// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Lesson 8, solution: a query over a CSV file, in the drive.
 *
 *   SELECT count(*), sum(amount), min(amount), max(amount)
 *   FROM sales.csv WHERE region = '<pattern>'
 *
 * sales.csv: a header line, then lines "id,region,amount" (amount a
 * non-negative integer).  args[0..1]: the region (`--pattern north`),
 * args[2]: its length.  r0 = the sum; output: four u64s { count, sum,
 * min, max } (min and max 0 when nothing matched).
 *
 * One pass, a byte at a time, over 256-byte reads: the field number and
 * the state of the field in progress are all the parser keeps.
 */
#include "uringblk_prog.h"

#define CHUNK		256
#define F_REGION	1	/* field numbers, from 0 */
#define F_AMOUNT	2

struct agg {
	__u64 count, sum, min, max;
};

struct line {
	__u64 field;		/* the field the next byte belongs to */
	__u64 pos;		/* bytes of the region seen so far */
	__u64 region_ok;	/* the region matches the pattern so far */
	__u64 amount;
};

/* A line ended: aggregate it if its region is the pattern. */
static __always_inline void end_line(struct line *l, struct agg *a,
				     __u64 plen, __u64 lineno)
{
	if (lineno > 0 && l->field == F_AMOUNT && l->region_ok &&
	    l->pos == plen) {
		if (a->count == 0 || l->amount < a->min)
			a->min = l->amount;
		if (l->amount > a->max)
			a->max = l->amount;
		a->sum += l->amount;
		a->count++;
	}
	l->field = 0;
	l->pos = 0;
	l->region_ok = 1;
	l->amount = 0;
}

SEC(URINGBLK_PROG_SEC)
__u64 query(const struct uringblk_prog_ctx *ctx)
{
	const __u8 *pat = (const __u8 *)&ctx->args[0];
	__u64 plen = ctx->args[2], off, len, i, lineno = 0;
	struct line l = { .region_ok = 1 };
	struct agg a = {};
	__u64 *out = uringblk_out(ctx);
	__u8 buf[CHUNK];

	if (plen == 0 || plen > 16)
		return uringblk_abort_einval(ctx);
	for (off = 0; off < ctx->data_len; off += len) {
		len = ctx->data_len - off < CHUNK ? ctx->data_len - off : CHUNK;
		uringblk_read(off, buf, len);
		for (i = 0; i < len; i++) {
			__u8 c = buf[i];

			if (c == '\n') {
				end_line(&l, &a, plen, lineno++);
			} else if (c == ',') {
				l.field++;
			} else if (l.field == F_REGION) {
				if (l.pos >= plen || pat[l.pos] != c)
					l.region_ok = 0;
				l.pos++;
			} else if (l.field == F_AMOUNT && c >= '0' && c <= '9') {
				l.amount = l.amount * 10 + (c - '0');
			}
		}
	}
	end_line(&l, &a, plen, lineno);	/* a last line without '\n' */
	if (ctx->out_len >= sizeof(a)) {
		out[0] = a.count;
		out[1] = a.sum;
		out[2] = a.min;
		out[3] = a.max;
	}
	return a.sum;
}
