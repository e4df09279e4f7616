// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * topk_i8: the k vectors nearest a query, by dot product or squared L2,
 * with the drive's bulk int8 helpers (uringblk_dot_i8, uringblk_l2sq_i8:
 * ABI 1.7).  The request, output and tie rule are in topk_i8.h.
 *
 * The helper scores CHUNK vectors per call into the stack; the program
 * only keeps the list, which for most vectors is one compare with its
 * last entry.  The query is copied from the stream into .bss (4 KiB, the
 * most writable globals a program may have) so that it cannot alias
 * the scores or, under EXECUTE, the window.
 */
#include "topk_i8.h"

#define CHUNK	64	/* scores per helper call: 256 bytes of stack */

static __s8 query[TOPK_DIM_MAX];

SEC(URINGBLK_PROG_SEC)
__u64 topk_i8(const struct uringblk_prog_ctx *ctx)
{
	struct topk_hit *hits = uringblk_out(ctx);
	__s32 scores[CHUNK];
	struct topk_req r;
	__u32 cnt = 0, m, i;
	__u64 v, off;
	__s64 key;

	if (topk_req(ctx, &r))
		return uringblk_abort_einval(ctx);
	uringblk_read(0, query, r.dim);
	for (v = 0; v < r.n; v += m) {
		m = r.n - v < CHUNK ? r.n - v : CHUNK;
		off = r.vec_off + v * r.dim;
		if (r.metric == TOPK_DOT)
			uringblk_dot_i8(off, query, r.dim, m, scores);
		else
			uringblk_l2sq_i8(off, query, r.dim, m, scores);
		for (i = 0; i < m && i < CHUNK; i++) {
			key = r.metric == TOPK_DOT ? scores[i] : -(__s64)scores[i];
			topk_add(hits, r.k, &cnt, v + i, key);
		}
	}
	return topk_finish(hits, cnt, r.metric);
}
