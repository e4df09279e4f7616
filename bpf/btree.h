/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * btree.h - the on-drive B+-tree of the lookup programs (btree_lookup,
 * btree_range), the builder (tools/btree) and the lookup benchmark
 * (tools/bench/lookup).  Shared by programs (clang -target bpf) and host C.
 *
 * The shape follows XRP's BPF-KV (OSDI'22; db_types.h in
 * github.com/xrp-project/BPF-KV): 512-byte nodes of two meta words, 31 keys
 * and 31 pointers, 8-byte keys, leaves pointing at the value.  Differences:
 * values are 8 bytes (BPF-KV's are 64), and a leaf keeps its last pointer
 * slot for the next leaf, so range queries walk the leaf level.
 *
 * Layout of a tree image, offsets in bytes from its start (the start of
 * the EXEC's granted LBA range; every pointer below is such an offset):
 *
 *   0      struct btree_super (one 512-byte block)
 *   512    nodes, BTREE_NODE_SIZE each, root first
 *   ...    values: u64 each, packed, 512-byte aligned area
 *
 * Every multi-byte field is little-endian.
 */
#ifndef URINGBLK_BTREE_H
#define URINGBLK_BTREE_H

#include <linux/types.h>

#define BTREE_MAGIC		0x3130454552544255ULL	/* "UBTREE01" */
#define BTREE_NODE_SIZE		512
#define BTREE_FANOUT		31	/* keys and pointers per node */
#define BTREE_LEAF_KEYS		30	/* a leaf's ptr[30] is the next leaf */
#define BTREE_LEAF_NEXT		30
#define BTREE_MIN_DEPTH		1
#define BTREE_MAX_DEPTH		16	/* programs give up below this: a cycle */

#define BTREE_INTERNAL		0	/* node type */
#define BTREE_LEAF		1

/*
 * An internal node with num children: ptr[i] is child i, key[i] the
 * smallest key under it (key[0] included); a key k goes to the largest i
 * with key[i] <= k (to child 0 if k < key[0]).  A leaf with num keys:
 * key[0..num) strictly increasing, ptr[i] the offset of key[i]'s value,
 * ptr[BTREE_LEAF_NEXT] the next leaf (0 = last leaf).  1 <= num.
 */
struct btree_node {
	__u64	num;
	__u64	type;
	__u64	key[BTREE_FANOUT];
	__u64	ptr[BTREE_FANOUT];
};

/*
 * btree_search() - where key k goes in a node: the largest i < num with
 * key[i] <= k, or 0 if there is none (k < key[0], or keys out of order).
 *
 * The one search of the programs and of the host walks (tools/btree), so
 * that they agree on every node, a corrupt one included.  Five unrolled
 * binary steps of 16, 8, 4, 2 and 1 keys (num <= 31), moving a pointer so
 * that each probe is one load at a constant offset: in the drive's VM
 * about 30 units, where a loop pays its whole body at every turn.
 * num must be 1..31 (the caller checks it first).
 */
static inline __u64 btree_search(const __u64 *key, __u64 num, __u64 k)
{
	const __u64 *p = key;
	__u64 left = num - 1;	/* p[1..left] may be probed */

#define BTREE_STEP(s)					\
	do {						\
		if ((s) <= left && p[s] <= k) {		\
			p += (s);			\
			left -= (s);			\
		}					\
	} while (0)
	BTREE_STEP(16);
	BTREE_STEP(8);
	BTREE_STEP(4);
	BTREE_STEP(2);
	BTREE_STEP(1);
#undef BTREE_STEP
	return p - key;
}

/* Block 0 of the image; 512 bytes, the rest zero. */
struct btree_super {
	__u64	magic;		/* BTREE_MAGIC */
	__u64	depth;		/* levels, leaves included */
	__u64	nr_keys;
	__u64	root;		/* offset of the root node (512) */
	__u64	values;		/* offset of the value area */
	__u64	size;		/* bytes of the whole image */
	__u64	seed;		/* the builder's key seed */
	__u64	fill;		/* entries per node the builder aimed at */
	__u64	rsvd[56];
};

/*
 * What the programs check (btree_lookup.bpf.c, btree_range.bpf.c, and the
 * host walks of tools/btree, which follow the same rules, so that all of
 * them give the same answer on any image, a corrupt one included):
 *  - a node pointer (the root argument included) must be 8-byte aligned
 *    and the node's 512 bytes must lie inside the granted range;
 *  - type must be BTREE_INTERNAL or BTREE_LEAF, and num 1..31 in an
 *    internal node, 1..30 in a leaf (BTREE_FANOUT, BTREE_LEAF_KEYS);
 *  - a walk from the root visits at most BTREE_MAX_DEPTH nodes: a child
 *    pointing at an ancestor ends there;
 *  - a value pointer must be 8-byte aligned, its 8 bytes inside the range;
 *  - btree_range: along the leaf chain, a next pointer as a node pointer,
 *    the next node a leaf, and every key taken >= lo and greater than the
 *    key taken before it: a chain cycle comes back to a key already seen.
 * Pointers are checked before they are read, so no image makes a run
 * abort with -ERANGE.  Key order inside a node is not checked by lookups
 * (it would cost a pass over the keys per level): keys out of order give
 * a wrong answer, never an unbounded walk.
 *
 * Program results (r0).  Output: lookup emits the 8-byte value when found;
 * range emits the values of keys in [lo, hi) in key order, as many as fit.
 */
#define BTREE_NOT_FOUND		0
#define BTREE_FOUND		1
#define BTREE_CORRUPT		2	/* one of the checks above failed */
#define BTREE_BAD_ARGS		3	/* lookup: args[2] not 0 or BTREE_LOOKUP_OFFSET */

/*
 * btree_lookup's args[2]: r0 is a found key's value offset in the range
 * (8-byte aligned and at least 512, so never one of the statuses above)
 * and nothing is emitted: for NVMe Execute Program, which has no output
 * buffer (Documentation/dev/nvme-cp.md); its host reads the value with
 * Memory Read.  The kernel-BPF twin (bpf/kbpf) has no such mode.
 */
#define BTREE_LOOKUP_OFFSET	1

/*
 * btree_range's r0: the number of values emitted (bits 0..31), with
 * BTREE_RANGE_MORE set when the output filled up while keys < hi remained,
 * and BTREE_RANGE_CORRUPT set when the walk met a corrupt node or a leaf
 * chain whose keys were not strictly increasing (a cycle); the values
 * emitted before that are still in the output.  Bit 63 is never set, so
 * r0 stays a positive number when host code holds it in a signed 64-bit
 * integer next to negative errnos.
 */
#define BTREE_RANGE_COUNT_MASK	0xffffffffULL
#define BTREE_RANGE_MORE	(1ULL << 32)
#define BTREE_RANGE_CORRUPT	(1ULL << 33)

#endif /* URINGBLK_BTREE_H */
