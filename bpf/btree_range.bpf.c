// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * btree_range: the values of the keys in [lo, hi) of the on-drive B+-tree
 * of btree.h, in key order: down to the leaf that holds lo, then along
 * the leaf chain (a leaf's ptr[BTREE_LEAF_NEXT]).
 *
 * args[0]:	lo
 * args[1]:	hi (lo >= hi: an empty interval, r0 = 0)
 * args[2]:	offset of the root node in the granted range
 * output:	one u64 value per key in [lo, hi), in key order, as many as
 *		fit in out_len / 8 (read straight into the output buffer)
 * r0:		the number of values in the output (bits 0..31), with
 *		BTREE_RANGE_MORE (bit 32) set when the output filled up
 *		while a key < hi remained (ask again from the next key, or
 *		with more room), and BTREE_RANGE_CORRUPT (bit 33) set when
 *		the walk stopped at a corrupt spot; the values before it are
 *		in the output
 *
 * Corrupt (bpf/btree.h, "What the programs check"): what btree_lookup
 * calls corrupt on the way down, and along the chain a next pointer not
 * 8-byte aligned or with the node not wholly inside the range, a next
 * node that is not a leaf or whose num is 0 or above 30, or a key that is
 * below lo or not above the key before it.  Keys strictly increasing
 * along the chain is what makes a chain cycle end: a cycle comes back to
 * a key already seen.  Pointers are checked before they are read: no tree
 * makes the run abort with -ERANGE.
 *
 * Per leaf: one read of num, type and keys (264 bytes), one of the
 * pointers from the first key in range on (with the next pointer when
 * the chain goes on), and one read per run of values stored next to each
 * other (one per leaf in the images tools/btree writes).  The leaf's keys
 * and its pointers do not fit one 512-byte frame together: scan_leaf()
 * reads the keys in a frame of its own.
 */
#include "uringblk_prog.h"
#include "btree.h"

struct node_head {
	__u64	num;
	__u64	type;
	__u64	key[BTREE_FANOUT];
};

#define PTR_OFF	sizeof(struct node_head)

/* scan_leaf()'s verdicts, in st->stop */
#define GO_ON		0	/* every key of the leaf is in range: next leaf */
#define STOP_HI		1	/* met a key >= hi */

/* The walk's state: lives in btree_range()'s frame, scan_leaf() updates it. */
struct walk {
	__u64	lo, hi;
	__u64	end;		/* ctx->data_len */
	__u64	off;		/* node to read next */
	__u64	room;		/* values the output can still take */
	__u64	floor;	/* the next key must be >= floor: lo, then last + 1 */
	__u64	descend;	/* off is the root: walk down first */
	__u64	ra, rb;		/* keys [ra, rb) of this leaf are taken */
	__u64	flags;		/* BTREE_RANGE_MORE / BTREE_RANGE_CORRUPT */
	__u64	stop;		/* GO_ON, STOP_HI, or flags say why */
};

static __always_inline int node_bad(__u64 off, __u64 end)
{
	return (off & 7) || off > end - BTREE_NODE_SIZE;
}

/*
 * Read the node at w->off (already checked), walking down to the leaf
 * for lo first if w->descend; then decide which of the leaf's keys are
 * taken.  Returns with w->ra, w->rb, w->stop and w->flags set.
 */
static __noinline void scan_leaf(struct walk *w)
{
	const __u64 *kp, *kend, *klim;
	__u64 lo, cap, k, floor, hi;
	struct node_head n;
	__u32 level;

	for (level = 0;; level++) {
		uringblk_read(w->off, &n, sizeof(n));
		if (n.type == BTREE_INTERNAL && w->descend)
			cap = BTREE_FANOUT;
		else if (n.type == BTREE_LEAF)
			cap = BTREE_LEAF_KEYS;
		else
			goto corrupt;
		if (n.num == 0 || n.num > cap)
			goto corrupt;
		if (!w->descend) {
			lo = 0;
			break;
		}
		lo = btree_search(n.key, n.num, w->lo);
		if (n.type == BTREE_LEAF) {
			/* the first key >= lo */
			lo += n.key[lo] < w->lo;
			break;
		}
		uringblk_read(w->off + PTR_OFF + lo * 8, &w->off, 8);
		if (level + 1 == BTREE_MAX_DEPTH || node_bad(w->off, w->end))
			goto corrupt;
	}
	w->descend = 0;
	w->ra = lo;
	/*
	 * Take keys while they are in order and below hi, as many as there
	 * is room for; locals and a moving pointer keep the loop short (the
	 * VM charges its whole body at every turn).
	 */
	kp = &n.key[lo];
	kend = &n.key[n.num];
	klim = w->room < (__u64)(kend - kp) ? kp + w->room : kend;
	floor = w->floor;
	hi = w->hi;
	for (; kp < klim; kp++) {
		k = *kp;
		if (__builtin_expect(k < floor || k >= hi, 0))
			break;
		floor = k + 1;		/* k < hi: no wrap */
	}
	w->rb = kp - n.key;
	w->room -= w->rb - lo;
	w->floor = floor;
	/* why it stopped: a key out of order, one >= hi, no room */
	if (kp < kend) {
		k = *kp;
		if (k < floor)
			w->flags = BTREE_RANGE_CORRUPT;
		else if (k >= hi)
			w->stop = STOP_HI;
		else
			w->flags = BTREE_RANGE_MORE;
	}
	return;
corrupt:
	w->ra = w->rb = 0;
	w->flags = BTREE_RANGE_CORRUPT;
}

SEC(URINGBLK_PROG_SEC)
__u64 btree_range(const struct uringblk_prog_ctx *ctx)
{
	__u64 ptr[BTREE_FANOUT];
	__u64 count = 0, first, last, p, next, vmax;
	const __u64 *q, *qend, *r;
	__u64 *out = uringblk_out(ctx);
	struct walk w = {
		.lo = ctx->args[0],
		.floor = ctx->args[0],
		.hi = ctx->args[1],
		.end = ctx->data_len,
		.off = ctx->args[2],
		.room = ctx->out_len / 8,
		.descend = 1,
	};

	if (w.lo >= w.hi)
		return 0;
	if (w.end < BTREE_NODE_SIZE || node_bad(w.off, w.end))
		return BTREE_RANGE_CORRUPT;
	vmax = w.end - 8;
	for (;;) {
		scan_leaf(&w);
		/* the pointers of the keys taken, and the next leaf's if needed */
		first = w.rb > w.ra ? w.ra : BTREE_LEAF_NEXT;
		last = w.stop || w.flags ? w.rb : BTREE_LEAF_NEXT + 1;
		if (last > first)
			uringblk_read(w.off + PTR_OFF + first * 8, ptr,
				      (last - first) * 8);
		/* the values: one read per run of adjacent ones */
		for (q = ptr, qend = ptr + (w.rb - w.ra); q < qend; q = r) {
			p = *q;
			if ((p & 7) || p > vmax)
				return count | BTREE_RANGE_CORRUPT;
			for (r = q + 1, next = p + 8; r < qend && *r == next &&
			     next <= vmax; r++)
				next += 8;
			uringblk_read(p, out + count, (r - q) * 8);
			count += r - q;
		}
		if (w.stop || w.flags)
			return count | w.flags;
		w.off = ptr[BTREE_LEAF_NEXT - first];
		if (!w.off)
			return count;
		if (node_bad(w.off, w.end))
			return count | BTREE_RANGE_CORRUPT;
	}
}
