// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * btree_lookup, kernel-BPF twin of bpf/btree_lookup.bpf.c: the same
 * arguments, checks, output (the 8-byte value) and result, without
 * args[2]'s BTREE_LOOKUP_OFFSET (NVMe Execute Program runs the
 * interpreter's programs only).  The walk is
 * a bounded loop of BTREE_MAX_DEPTH levels, as there.
 */
#include "uringblk_kbpf.h"
#include "btree.h"

struct node_head {
	__u64	num;
	__u64	type;
	__u64	key[BTREE_FANOUT];
};

#define PTR_OFF	sizeof(struct node_head)	/* ptr[0] in the node */

SEC(URINGBLK_KBPF_SEC)
int btree_lookup(struct uringblk_prog_ctx *ctx)
{
	__u64 key = ctx->args[0], off = ctx->args[1], end = ctx->data_len;
	struct node_head n = {};	/* initialised: the search reads it by index */
	__u64 lo, cap, v = 0;
	__u32 level;

	if (end < BTREE_NODE_SIZE)
		goto corrupt;
	for (level = 0; level < BTREE_MAX_DEPTH; level++) {
		if ((off & 7) || off > end - BTREE_NODE_SIZE)
			goto corrupt;
		if (uringblk_kf_read(off, &n, sizeof(n)))
			return 0;	/* the run stopped: its errno is the answer */
		if (n.type == BTREE_INTERNAL)
			cap = BTREE_FANOUT;
		else if (n.type == BTREE_LEAF)
			cap = BTREE_LEAF_KEYS;
		else
			goto corrupt;
		if (n.num == 0 || n.num > cap)
			goto corrupt;
		lo = btree_search(n.key, n.num, key) & 31;
		if (lo >= BTREE_FANOUT)
			goto corrupt;	/* not reached: for the verifier */
		if (n.type == BTREE_INTERNAL) {
			if (uringblk_kf_read(off + PTR_OFF + lo * 8, &off, 8))
				return 0;
			continue;
		}
		if (n.key[lo] != key) {
			uringblk_kf_result(BTREE_NOT_FOUND);
			return 0;
		}
		if (uringblk_kf_read(off + PTR_OFF + lo * 8, &v, 8))
			return 0;
		if ((v & 7) || v > end - 8)
			goto corrupt;
		if (uringblk_kf_read(v, &v, 8))
			return 0;
		uringblk_kf_emit(&v, 8);
		uringblk_kf_result(BTREE_FOUND);
		return 0;
	}
corrupt:
	uringblk_kf_result(BTREE_CORRUPT);
	return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
