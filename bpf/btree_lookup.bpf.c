// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * btree_lookup: one key of the on-drive B+-tree of btree.h, after XRP's
 * BPF-KV lookup: the whole walk from the root to the value in one EXEC.
 *
 * args[0]:	the key
 * args[1]:	offset of the root node in the granted range (the
 *		superblock's root; the host reads it once)
 * args[2]:	0, or BTREE_LOOKUP_OFFSET (1): return the value's offset
 *		instead of emitting the value, for a run with no output
 *		buffer (NVMe Execute Program: its host reads the 8 bytes
 *		with Memory Read); anything else is BTREE_BAD_ARGS (3)
 * output:	the 8-byte value (uringblk_emit()) when found; nothing else
 * r0:		BTREE_FOUND (1), BTREE_NOT_FOUND (0) or BTREE_CORRUPT (2);
 *		with BTREE_LOOKUP_OFFSET a found key's value offset (8-byte
 *		aligned, at least 512) instead of BTREE_FOUND
 *
 * BTREE_CORRUPT when the walk meets (bpf/btree.h, "What the programs
 * check"): a node pointer (the root included) that is not 8-byte aligned
 * or whose 512 bytes are not all inside the granted range; a node type
 * other than BTREE_INTERNAL or BTREE_LEAF; num 0 or above the node's
 * capacity (31 internal, 30 leaf); a value pointer not 8-byte aligned or
 * outside the range; more than BTREE_MAX_DEPTH levels (so a pointer cycle
 * ends there, never in a hang).  Pointers are checked before they are
 * read, so no tree makes the run abort with -ERANGE.  Keys out of order
 * are not looked for: they give a wrong answer, not a corrupt one (the
 * walk stays bounded by the depth limit anyway).
 *
 * Per level: one uringblk_read() of the node's two meta words and 31 keys
 * (264 bytes: the 512-byte stack frame cannot hold the node) and one of
 * the chosen pointer (8 bytes); at the leaf, one more of the value.  The
 * search is btree_search() of btree.h: five unrolled binary steps.  The
 * VM charges a forward run of code by the slots it spans and a loop its
 * whole body at every turn, so a linear scan or a halving loop costs more
 * (Documentation/examples/btree.md: units per lookup of each, by depth).
 */
#include "uringblk_prog.h"
#include "btree.h"

/* what is read of a node first: num, type and the keys */
struct node_head {
	__u64	num;
	__u64	type;
	__u64	key[BTREE_FANOUT];
};

#define PTR_OFF	sizeof(struct node_head)	/* ptr[0] in the node */

SEC(URINGBLK_PROG_SEC)
__u64 btree_lookup(const struct uringblk_prog_ctx *ctx)
{
	__u64 key = ctx->args[0], off = ctx->args[1], end = ctx->data_len;
	__u64 mode = ctx->args[2];
	struct node_head n;
	__u64 lo, cap, v;
	__u32 level;

	if (mode != 0 && mode != BTREE_LOOKUP_OFFSET)
		return BTREE_BAD_ARGS;
	if (end < BTREE_NODE_SIZE)
		return BTREE_CORRUPT;
	for (level = 0; level < BTREE_MAX_DEPTH; level++) {
		if ((off & 7) || off > end - BTREE_NODE_SIZE)
			return BTREE_CORRUPT;
		uringblk_read(off, &n, sizeof(n));
		if (n.type == BTREE_INTERNAL)
			cap = BTREE_FANOUT;
		else if (n.type == BTREE_LEAF)
			cap = BTREE_LEAF_KEYS;
		else
			return BTREE_CORRUPT;
		if (n.num == 0 || n.num > cap)
			return BTREE_CORRUPT;
		lo = btree_search(n.key, n.num, key);
		if (n.type == BTREE_INTERNAL) {
			uringblk_read(off + PTR_OFF + lo * 8, &off, 8);
			continue;
		}
		if (n.key[lo] != key)
			return BTREE_NOT_FOUND;
		uringblk_read(off + PTR_OFF + lo * 8, &v, 8);
		if ((v & 7) || v > end - 8)
			return BTREE_CORRUPT;
		if (mode == BTREE_LOOKUP_OFFSET)
			return v;
		uringblk_read(v, &v, 8);
		uringblk_emit(&v, 8);
		return BTREE_FOUND;
	}
	return BTREE_CORRUPT;
}
