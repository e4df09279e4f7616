// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * topk_i8_ref: topk_i8 without the vector helpers, the reference it
 * must agree with: the vectors are read a piece at a time and scored
 * byte by byte in bytecode (some 10 budget units per byte: meant for
 * tests, not for speed).  Same request, output and tie rule
 * (topk_i8.h).
 */
#include "topk_i8.h"

#define PIECE	256	/* bytes read per uringblk_read() */

static __s8 query[TOPK_DIM_MAX];

/* the score of the vector at off, in bytecode */
static __noinline __s64 score(__u64 off, __u32 dim, __u32 metric)
{
	__s8 buf[PIECE];
	__u32 j, i, n;
	__s64 s = 0, d;

	for (j = 0; j < dim; j += n) {
		n = dim - j < PIECE ? dim - j : PIECE;
		uringblk_read(off + j, buf, n);
		for (i = 0; i < n && i < PIECE && j + i < TOPK_DIM_MAX; i++) {
			if (metric == TOPK_DOT) {
				s += (__s64)query[j + i] * buf[i];
			} else {
				d = (__s64)query[j + i] - buf[i];
				s += d * d;
			}
		}
	}
	return s;
}

SEC(URINGBLK_PROG_SEC)
__u64 topk_i8_ref(const struct uringblk_prog_ctx *ctx)
{
	struct topk_hit *hits = uringblk_out(ctx);
	struct topk_req r;
	__u32 cnt = 0;
	__u64 v;
	__s64 s;

	if (topk_req(ctx, &r))
		return uringblk_abort_einval(ctx);
	uringblk_read(0, query, r.dim);
	for (v = 0; v < r.n; v++) {
		s = score(r.vec_off + v * r.dim, r.dim, r.metric);
		topk_add(hits, r.k, &cnt, v, r.metric == TOPK_DOT ? s : -s);
	}
	return topk_finish(hits, cnt, r.metric);
}
