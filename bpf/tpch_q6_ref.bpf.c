// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * tpch_q6_ref: TPC-H Q6 over lineitem text, parsed a byte at a time in
 * the interpreter (tpch_prog.h's reference parser, uringblk_read() only):
 * the slow reference tpch_q6_text must agree with.  Same r0 and output.
 */
#include "tpch_prog.h"

#define CHUNK	4096

static __u8 buf[CHUNK];

SEC(URINGBLK_PROG_SEC)
__u64 tpch_q6_ref(const struct uringblk_prog_ctx *ctx)
{
	struct tpch_q6_out res = { 0 };
	struct tpch_ref s = { 0 };
	__u64 off = 0, end = ctx->data_len, k, i;

	while (off < end) {
		k = end - off < CHUNK ? end - off : CHUNK;
		uringblk_read(off, buf, k);
		for (i = 0; i < k; i++) {
			if (!tpch_ref_byte(&s, buf[i]))
				continue;
			res.rows++;
			if (s.bad)
				res.bad++;
			else if (tpch_q6_match(s.v.qty, s.v.disc, s.v.ship))
				res.revenue += s.v.price * s.v.disc;
			s.bad = 0;
		}
		off += k;
	}
	/* a last line without a newline */
	if (end && buf[(end - 1) % CHUNK] != '\n' && tpch_ref_byte(&s, '\n')) {
		res.rows++;
		if (s.bad)
			res.bad++;
		else if (tpch_q6_match(s.v.qty, s.v.disc, s.v.ship))
			res.revenue += s.v.price * s.v.disc;
	}
	if (ctx->out_len >= sizeof(res))
		uringblk_emit(&res, sizeof(res));
	return res.revenue;
}
