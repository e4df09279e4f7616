/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * topk_i8.h - what topk_i8.bpf.c and topk_i8_ref.bpf.c share: the
 * request's layout and the top-k list.  liburingblk's uringblk_vec_*()
 * (lib/vec.c) builds the same request and the host path keeps the same
 * list, so the drive and the host agree to the byte.
 *
 * The stream (ctx->data_len bytes): the query, dim signed bytes, at
 * offset 0; n vectors of dim signed bytes end to end from offset vec_off.
 * Under EXECUTE the library puts the query in its own SLM page before
 * the vectors (MEM_WRITE: the only bytes a query sends), so a program
 * loaded once serves every query.
 *
 * args[0]:	dim (bits 0-15, 1..4096) | k (bits 16-31, 1..1024)
 *		| metric (bits 32-39: 0 dot product, 1 squared L2)
 * args[1]:	vec_off, >= dim
 * args[2]:	n; 0 = every whole vector in [vec_off, data_len)
 * r0:		hits = min(k, n)
 * output:	hits x struct topk_hit, best first.  Best: higher dot
 *		product, or lower squared L2 distance; equal scores: the
 *		lower index first.
 * Bad args, k * 16 over the output buffer, or vectors past data_len:
 * -EINVAL (abort arg) or -ERANGE.
 */
#ifndef TOPK_I8_H
#define TOPK_I8_H

#include "uringblk_prog.h"

#define TOPK_DIM_MAX	4096
#define TOPK_K_MAX	1024
#define TOPK_DOT	0
#define TOPK_L2SQ	1

/* One result: the layout of liburingblk's struct uringblk_vec_hit. */
struct topk_hit {
	__u64	index;		/* vector number, from 0 */
	__s64	score;		/* dot product, or squared L2 distance */
};

struct topk_req {
	__u32	dim;
	__u32	k;
	__u32	metric;
	__u64	vec_off;
	__u64	n;
};

/* Decode and check ctx->args; 0 or -1 (the caller aborts). */
static __always_inline int topk_req(const struct uringblk_prog_ctx *ctx,
				    struct topk_req *r)
{
	__u64 a = ctx->args[0];

	r->dim = a & 0xffff;
	r->k = (a >> 16) & 0xffff;
	r->metric = (a >> 32) & 0xff;
	r->vec_off = ctx->args[1];
	r->n = ctx->args[2];
	if (!r->dim || r->dim > TOPK_DIM_MAX || !r->k || r->k > TOPK_K_MAX ||
	    r->metric > TOPK_L2SQ || (a >> 40) ||
	    r->vec_off < r->dim || r->vec_off > ctx->data_len ||
	    (__u64)r->k * sizeof(struct topk_hit) > ctx->out_len)
		return -1;
	if (!r->n)
		r->n = (ctx->data_len - r->vec_off) / r->dim;
	/* past the data: the helpers abort with -ERANGE when they get there */
	return 0;
}

/*
 * The list: hits[0, *cnt) sorted best first, by key (the dot product,
 * or minus the L2 distance, so higher is better either way) and then
 * index.  Vectors come in index order, so a newcomer with a key equal
 * to a listed one goes after it: only a strictly higher key moves it up,
 * and a full list takes only a key strictly above its last.
 */
static __always_inline void topk_add(struct topk_hit *hits, __u32 k,
				     __u32 *cnt, __u64 index, __s64 key)
{
	__u32 pos = *cnt;

	if (pos == k) {
		if (key <= hits[k - 1].score)
			return;
		pos = k - 1;
	} else {
		(*cnt)++;
	}
	while (pos > 0 && hits[pos - 1].score < key) {
		hits[pos] = hits[pos - 1];
		pos--;
	}
	hits[pos].index = index;
	hits[pos].score = key;
}

/* Keys back to scores (L2: distances); returns the number of hits. */
static __always_inline __u64 topk_finish(struct topk_hit *hits, __u32 cnt,
					 __u32 metric)
{
	__u32 i;

	if (metric == TOPK_L2SQ)
		for (i = 0; i < cnt; i++)
			hits[i].score = -hits[i].score;
	return cnt;
}

#endif /* TOPK_I8_H */
