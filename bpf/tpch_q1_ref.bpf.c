// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * tpch_q1_ref: TPC-H Q1 over lineitem text, parsed a byte at a time in
 * the interpreter (tpch_prog.h's reference parser, uringblk_read() only):
 * the slow reference tpch_q1_text must agree with.  Same r0 and output.
 */
#include "tpch_prog.h"

#define CHUNK	4096

static __u8 buf[CHUNK];

static __always_inline int row(struct tpch_q1_group *g, struct tpch_ref *s,
			       __u64 *bad)
{
	int err = 0;

	if (s->bad)
		(*bad)++;
	else
		err = tpch_q1_add(g, &s->v);
	s->bad = 0;
	return err;
}

SEC(URINGBLK_PROG_SEC)
__u64 tpch_q1_ref(const struct uringblk_prog_ctx *ctx)
{
	struct tpch_q1_group *g = uringblk_out(ctx);
	struct tpch_ref s = { 0 };
	__u64 off = 0, end = ctx->data_len, k, i, bad = 0;

	if (ctx->out_len < TPCH_Q1_OUT_LEN)
		return uringblk_abort_einval(ctx);
	tpch_q1_clear(g);
	while (off < end) {
		k = end - off < CHUNK ? end - off : CHUNK;
		uringblk_read(off, buf, k);
		for (i = 0; i < k; i++)
			if (tpch_ref_byte(&s, buf[i]) && row(g, &s, &bad))
				return uringblk_abort_einval(ctx);
		off += k;
	}
	if (end && buf[(end - 1) % CHUNK] != '\n' && tpch_ref_byte(&s, '\n') &&
	    row(g, &s, &bad))
		return uringblk_abort_einval(ctx);
	return bad;
}
