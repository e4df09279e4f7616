// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * btree.c - plan, write, walk and verify the B+-tree images of bpf/btree.h
 * (API and image layout in btree.h).  Pure libc: no kernel, no liburingblk.
 *
 * Everything in an image is a function of (nr_keys, depth, seed): the
 * level sizes follow from the plan, a node's children and keys from its
 * position in its level, so the writer renders any 512-byte block of the
 * image on its own and never holds the whole tree in memory.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <endian.h>

#include "btree.h"

#define BLK		512ULL
#define NR_KEYS_MAX	(1ULL << 48)	/* keeps images, strides and products in range */
#define WRITE_CHUNK	(1U << 20)

_Static_assert(sizeof(struct btree_node) == BTREE_NODE_SIZE, "node size");
_Static_assert(sizeof(struct btree_super) == BLK, "superblock size");
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "the image is little-endian; this code writes host order");

static void seterr(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* a * b, saturated at UINT64_MAX */
static __u64 mul_sat(__u64 a, __u64 b)
{
	__u64 r;

	return __builtin_mul_overflow(a, b, &r) ? ~0ULL : r;
}

static __u64 pow_sat(__u64 b, unsigned int e)
{
	__u64 r = 1;

	while (e--)
		r = mul_sat(r, b);
	return r;
}

static __u64 ceil_div(__u64 a, __u64 b)
{
	return a / b + (a % b != 0);
}

/* splitmix64's finalizer */
static __u64 mix(__u64 x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

__u64 btree_value(__u64 key)
{
	return (key ^ 0x5bd1e9955bd1e995ULL) * 0x9e3779b97f4a7c15ULL;
}

__u64 btree_key(const struct btree_shape *s, __u64 i)
{
	__u64 h = mix(s->seed + (i + 1) * 0x9e3779b97f4a7c15ULL);

	return i * s->stride + 1 + h % (s->stride - 1);
}

__u64 btree_missing_key(const struct btree_shape *s, __u64 i)
{
	return (i % (s->nr_keys + 1)) * s->stride;
}

/*
 * The fills of depth >= 2: internal fill f in 2..31, leaf fill lf in
 * 1..30.  Level k (1 = leaves) then has ceil(N / (lf * f^(k-1))) nodes,
 * so the depth is exactly d iff lf * f^(d-2) < N <= lf * f^(d-1).
 * Among the pairs that work, the one with lf closest to min(f, 30), then
 * the smallest f: nodes as uniformly full as the depth allows.
 */
static int pick_fill(__u64 n, unsigned int d, unsigned int *fill,
		     unsigned int *leaf_fill)
{
	unsigned int f, best_f = 0, best_lf = 0, best_score = ~0U;

	for (f = 2; f <= BTREE_FANOUT; f++) {
		__u64 below = pow_sat(f, d - 2), top = mul_sat(below, f);
		__u64 lf_min = ceil_div(n, top), lf_max = (n - 1) / below;
		unsigned int want = f < BTREE_LEAF_KEYS ? f : BTREE_LEAF_KEYS;
		unsigned int lf, score;

		if (lf_max > BTREE_LEAF_KEYS)
			lf_max = BTREE_LEAF_KEYS;
		if (lf_min < 1)
			lf_min = 1;
		if (lf_min > lf_max)
			continue;
		lf = want < lf_min ? lf_min : want > lf_max ? lf_max : want;
		score = lf > want ? lf - want : want - lf;
		if (score < best_score) {
			best_score = score;
			best_f = f;
			best_lf = lf;
		}
	}
	if (!best_f)
		return -EINVAL;
	*fill = best_f;
	*leaf_fill = best_lf;
	return 0;
}

/*
 * The nr_keys ranges that have a plan at depth d, as text: the union of
 * (f^(d-2), 30 * f^(d-1)] over f = 2..31, which has a gap from depth 13
 * on (between 30 * 2^(d-1) and 3^(d-2)).
 */
static void depth_ranges(unsigned int d, char *buf, size_t len)
{
	__u64 lo = 0, hi = 0, a, b;
	size_t used = 0;
	unsigned int f;

	if (d == 1) {
		snprintf(buf, len, "1..%u", BTREE_LEAF_KEYS);
		return;
	}
	buf[0] = '\0';
	/* the intervals start higher as f grows: merge them in that order */
	for (f = 2; f <= BTREE_FANOUT; f++) {
		a = pow_sat(f, d - 2) + 1;
		b = mul_sat(BTREE_LEAF_KEYS, pow_sat(f, d - 1));
		if (b > NR_KEYS_MAX)
			b = NR_KEYS_MAX;
		if (a > b)
			break;
		if (hi && a > hi + 1) {
			used += snprintf(buf + used, len - used, "%s%llu..%llu",
					 used ? " or " : "",
					 (unsigned long long)lo,
					 (unsigned long long)hi);
			if (used >= len)
				return;
			hi = 0;
		}
		if (!hi)
			lo = a;
		if (b > hi)
			hi = b;
	}
	if (hi)
		snprintf(buf + used, len - used, "%s%llu..%llu",
			 used ? " or " : "", (unsigned long long)lo,
			 (unsigned long long)hi);
	else if (!used)
		snprintf(buf, len, "none");
}

int btree_plan(__u64 nr_keys, unsigned int depth, __u64 seed,
	       struct btree_shape *s, char *err, size_t errlen)
{
	unsigned int fill = 0, leaf_fill, k;
	__u64 count, nodes, leaves;
	char ranges[128];

	memset(s, 0, sizeof(*s));
	if (depth < BTREE_MIN_DEPTH || depth > BTREE_MAX_DEPTH) {
		seterr(err, errlen, "depth %u: must be %u..%u", depth,
		       BTREE_MIN_DEPTH, BTREE_MAX_DEPTH);
		return -EINVAL;
	}
	if (depth == 1) {
		leaf_fill = nr_keys;
		fill = nr_keys;
	}
	if (nr_keys < 1 || nr_keys > NR_KEYS_MAX ||
	    (depth == 1 && nr_keys > BTREE_LEAF_KEYS) ||
	    (depth > 1 && pick_fill(nr_keys, depth, &fill, &leaf_fill))) {
		depth_ranges(depth, ranges, sizeof(ranges));
		seterr(err, errlen, "%llu key%s cannot make a tree of depth %u "
		       "(31 children per internal node, 30 keys per leaf at "
		       "most): depth %u holds %s keys",
		       (unsigned long long)nr_keys, nr_keys == 1 ? "" : "s", depth,
		       depth, ranges);
		return -EINVAL;
	}
	leaves = ceil_div(nr_keys, leaf_fill);
	for (nodes = 0, count = leaves, k = 1; k <= depth; k++) {
		nodes += count;
		count = ceil_div(count, fill);
	}
	s->nr_keys = nr_keys;
	s->depth = depth;
	s->seed = seed;
	s->fill = fill;
	s->leaf_fill = leaf_fill;
	s->nodes = nodes;
	s->leaves = leaves;
	s->root = BLK;
	s->values_off = BLK + nodes * BLK;
	s->size = s->values_off + ceil_div(nr_keys * 8, BLK) * BLK;
	s->stride = ~0ULL / (nr_keys + 1);
	return 0;
}

/*
 * Level geometry, from the root down: level k (1 = leaves, depth = root)
 * has cnt[k] nodes; the first node of level k is node number base[k] in
 * breadth-first order (the root is node 0).  Node j of level k covers the
 * entries [j * below / cnt[k], (j + 1) * below / cnt[k]) of the level
 * below (keys for leaves): evenly spread.
 */
struct geom {
	__u64 cnt[BTREE_MAX_DEPTH + 2];
	__u64 base[BTREE_MAX_DEPTH + 2];
};

static void geom_init(const struct btree_shape *s, struct geom *g)
{
	unsigned int k;

	g->cnt[1] = s->leaves;
	for (k = 2; k <= s->depth; k++)
		g->cnt[k] = ceil_div(g->cnt[k - 1], s->fill);
	g->base[s->depth] = 0;
	for (k = s->depth; k > 1; k--)
		g->base[k - 1] = g->base[k] + g->cnt[k];
}

/* entries below level k (k = 1: keys) */
static __u64 geom_below(const struct btree_shape *s, const struct geom *g,
			unsigned int k)
{
	return k == 1 ? s->nr_keys : g->cnt[k - 1];
}

static __u64 geom_start(const struct btree_shape *s, const struct geom *g,
			unsigned int k, __u64 j)
{
	return (__u64)((unsigned __int128)j * geom_below(s, g, k) / g->cnt[k]);
}

static __u64 node_off(const struct geom *g, unsigned int k, __u64 j)
{
	return BLK + (g->base[k] + j) * BLK;
}

/* index of the smallest key under node j of level k */
static __u64 first_key_index(const struct btree_shape *s,
			     const struct geom *g, unsigned int k, __u64 j)
{
	for (; k > 1; k--)
		j = geom_start(s, g, k, j);
	return geom_start(s, g, 1, j);
}

static void render_node(const struct btree_shape *s, const struct geom *g,
			__u64 idx, struct btree_node *n)
{
	unsigned int k = s->depth;
	__u64 j, a, b, i;

	while (k > 1 && idx >= g->base[k] + g->cnt[k])
		k--;
	j = idx - g->base[k];
	a = geom_start(s, g, k, j);
	b = geom_start(s, g, k, j + 1);
	memset(n, 0, sizeof(*n));
	n->num = b - a;
	if (k == 1) {
		n->type = BTREE_LEAF;
		for (i = a; i < b; i++) {
			n->key[i - a] = btree_key(s, i);
			n->ptr[i - a] = s->values_off + 8 * i;
		}
		if (j + 1 < g->cnt[1])
			n->ptr[BTREE_LEAF_NEXT] = node_off(g, 1, j + 1);
		return;
	}
	n->type = BTREE_INTERNAL;
	for (i = a; i < b; i++) {
		n->key[i - a] = btree_key(s, first_key_index(s, g, k - 1, i));
		n->ptr[i - a] = node_off(g, k - 1, i);
	}
}

static void render_super(const struct btree_shape *s, struct btree_super *sb)
{
	memset(sb, 0, sizeof(*sb));
	sb->magic = BTREE_MAGIC;
	sb->depth = s->depth;
	sb->nr_keys = s->nr_keys;
	sb->root = s->root;
	sb->values = s->values_off;
	sb->size = s->size;
	sb->seed = s->seed;
	sb->fill = s->fill;
}

/* The 512-byte block number blk of the image. */
static void render_block(const struct btree_shape *s, const struct geom *g,
			 __u64 blk, void *buf)
{
	__u64 *v = buf, i, first;

	if (blk == 0) {
		render_super(s, buf);
	} else if (blk <= s->nodes) {
		render_node(s, g, blk - 1, buf);
	} else {
		first = (blk * BLK - s->values_off) / 8;
		for (i = 0; i < BLK / 8; i++)
			v[i] = first + i < s->nr_keys ?
			       btree_value(btree_key(s, first + i)) : 0;
	}
}

int btree_build_image(const struct btree_shape *s, void *buf, __u64 len)
{
	struct geom g;
	__u64 blk;

	if (len < s->size)
		return -ENOSPC;
	geom_init(s, &g);
	for (blk = 0; blk < s->size / BLK; blk++)
		render_block(s, &g, blk, (char *)buf + blk * BLK);
	return 0;
}

int btree_write(int fd, __u64 off, const struct btree_shape *s)
{
	__u64 pos = 0, blk, n;
	struct geom g;
	ssize_t w;
	char *buf;
	int ret = 0;

	if (posix_memalign((void **)&buf, 4096, WRITE_CHUNK))
		return -ENOMEM;
	geom_init(s, &g);
	while (pos < s->size) {
		n = s->size - pos < WRITE_CHUNK ? s->size - pos : WRITE_CHUNK;
		for (blk = 0; blk < n / BLK; blk++)
			render_block(s, &g, pos / BLK + blk, buf + blk * BLK);
		w = pwrite(fd, buf, n, off + pos);
		if (w < 0) {
			ret = -errno;
			break;
		}
		if ((__u64)w != n) {
			ret = -ENOSPC;
			break;
		}
		pos += n;
	}
	free(buf);
	return ret;
}

int btree_pread(void *priv, __u64 off, void *buf, unsigned int len)
{
	const struct btree_fd *bf = priv;
	__u64 pos = bf->off + off, start = pos & ~(BLK - 1);
	__u64 span = ((pos + len + BLK - 1) & ~(BLK - 1)) - start;
	char *bounce;
	ssize_t r;
	int ret = 0;

	/* aligned everything: straight into buf (O_DIRECT is happy) */
	if (start == pos && span == len && !((unsigned long)buf & (BLK - 1))) {
		r = pread(bf->fd, buf, len, pos);
		return r < 0 ? -errno : (__u64)r == len ? 0 : -EIO;
	}
	if (posix_memalign((void **)&bounce, 4096, span))
		return -ENOMEM;
	r = pread(bf->fd, bounce, span, start);
	if (r < 0)
		ret = -errno;
	else if ((__u64)r < pos - start + len)
		ret = -EIO;
	else
		memcpy(buf, bounce + (pos - start), len);
	free(bounce);
	return ret;
}

int btree_read_super(int fd, __u64 off, struct btree_super *sb)
{
	struct btree_fd bf = { .fd = fd, .off = off };
	int ret;

	ret = btree_pread(&bf, 0, sb, sizeof(*sb));
	if (ret)
		return ret;
	return sb->magic == BTREE_MAGIC ? 0 : -EINVAL;
}

int btree_shape_of(const struct btree_super *sb, struct btree_shape *s,
		   char *err, size_t errlen)
{
	char why[192];

	if (sb->magic != BTREE_MAGIC) {
		seterr(err, errlen, "superblock: magic %#llx, not %#llx",
		       (unsigned long long)sb->magic,
		       (unsigned long long)BTREE_MAGIC);
		return -EINVAL;
	}
	if (sb->depth > BTREE_MAX_DEPTH ||
	    btree_plan(sb->nr_keys, sb->depth, sb->seed, s, why, sizeof(why))) {
		if (sb->depth > BTREE_MAX_DEPTH)
			snprintf(why, sizeof(why), "depth %llu",
				 (unsigned long long)sb->depth);
		seterr(err, errlen, "superblock: %s", why);
		return -EINVAL;
	}
#define SB_CHECK(field, want) do {						\
	if (sb->field != (want)) {						\
		seterr(err, errlen, "superblock: " #field " %llu, the plan for "	\
		       "%llu keys at depth %u says %llu",			\
		       (unsigned long long)sb->field,				\
		       (unsigned long long)s->nr_keys, s->depth,		\
		       (unsigned long long)(want));				\
		return -EINVAL;							\
	}									\
} while (0)
	SB_CHECK(root, s->root);
	SB_CHECK(values, s->values_off);
	SB_CHECK(size, s->size);
	SB_CHECK(fill, s->fill);
#undef SB_CHECK
	for (unsigned int i = 0; i < sizeof(sb->rsvd) / sizeof(sb->rsvd[0]); i++) {
		if (sb->rsvd[i]) {
			seterr(err, errlen, "superblock: rsvd[%u] is %#llx, not 0",
			       i, (unsigned long long)sb->rsvd[i]);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * The walk both host references share with the programs (bpf/btree.h,
 * "What the programs check"): a node pointer must be 8-byte aligned with
 * the whole node inside [0, size); its type fixes its capacity; num must
 * be 1..capacity.  Returns 0 with *cap set, or 1 if corrupt.
 */
static int node_bad(__u64 size, __u64 off)
{
	return (off & 7) || size < BTREE_NODE_SIZE ||
	       off > size - BTREE_NODE_SIZE;
}

static int node_check(const struct btree_node *n, unsigned int *cap)
{
	if (n->type == BTREE_INTERNAL)
		*cap = BTREE_FANOUT;
	else if (n->type == BTREE_LEAF)
		*cap = BTREE_LEAF_KEYS;
	else
		return 1;
	return n->num == 0 || n->num > *cap;
}

static int value_bad(__u64 size, __u64 off)
{
	return (off & 7) || size < 8 || off > size - 8;
}

static unsigned int node_search(const struct btree_node *n, __u64 k)
{
	return btree_search(n->key, n->num, k);
}

/* Read the node at off into n (the 512-aligned scratch). */
static int node_read(btree_read_fn rd, void *priv, __u64 off,
		     struct btree_node *n, unsigned int *reads)
{
	if (reads)
		(*reads)++;
	return rd(priv, off, n, sizeof(*n));
}

int btree_lookup_host(btree_read_fn rd, void *priv, __u64 size, __u64 root,
		      __u64 key, __u64 *value, unsigned int *reads)
{
	struct btree_node n __attribute__((aligned(BLK)));
	__u64 off = root, v __attribute__((aligned(8)));
	unsigned int level, cap, i;
	int ret;

	if (reads)
		*reads = 0;
	for (level = 0; level < BTREE_MAX_DEPTH; level++) {
		if (node_bad(size, off))
			return BTREE_CORRUPT;
		ret = node_read(rd, priv, off, &n, reads);
		if (ret)
			return ret;
		if (node_check(&n, &cap))
			return BTREE_CORRUPT;
		i = node_search(&n, key);
		if (n.type == BTREE_INTERNAL) {
			off = n.ptr[i];
			continue;
		}
		if (n.key[i] != key)
			return BTREE_NOT_FOUND;
		if (value_bad(size, n.ptr[i]))
			return BTREE_CORRUPT;
		if (reads)
			(*reads)++;
		ret = rd(priv, n.ptr[i], &v, sizeof(v));
		if (ret)
			return ret;
		if (value)
			*value = v;
		return BTREE_FOUND;
	}
	return BTREE_CORRUPT;
}

__s64 btree_range_host(btree_read_fn rd, void *priv, __u64 size, __u64 root,
		       __u64 lo, __u64 hi, __u64 *vals, __u64 max)
{
	struct btree_node n __attribute__((aligned(BLK)));
	__u64 off = root, count = 0, prev = 0;
	unsigned int level, cap, i, a;
	int ret, seen = 0;

	if (max > BTREE_RANGE_COUNT_MASK)
		max = BTREE_RANGE_COUNT_MASK;
	if (lo >= hi)
		return 0;
	/* down to the leaf that holds lo, or would */
	for (level = 0;; level++) {
		if (level == BTREE_MAX_DEPTH || node_bad(size, off))
			return BTREE_RANGE_CORRUPT;
		ret = node_read(rd, priv, off, &n, NULL);
		if (ret)
			return ret;
		if (node_check(&n, &cap))
			return BTREE_RANGE_CORRUPT;
		i = node_search(&n, lo);
		if (n.type == BTREE_LEAF)
			break;
		off = n.ptr[i];
	}
	a = i + (n.key[i] < lo);
	/* along the leaf chain */
	for (;;) {
		for (i = a; i < n.num; i++) {
			__u64 k = n.key[i], v;

			if (k < lo || (seen && k <= prev))
				return count | BTREE_RANGE_CORRUPT;
			if (k >= hi)
				return count;
			if (count == max)
				return count | BTREE_RANGE_MORE;
			if (value_bad(size, n.ptr[i]))
				return count | BTREE_RANGE_CORRUPT;
			ret = rd(priv, n.ptr[i], &v, sizeof(v));
			if (ret)
				return ret;
			vals[count++] = v;
			prev = k;
			seen = 1;
		}
		off = n.ptr[BTREE_LEAF_NEXT];
		if (!off)
			return count;
		if (node_bad(size, off))
			return count | BTREE_RANGE_CORRUPT;
		ret = node_read(rd, priv, off, &n, NULL);
		if (ret)
			return ret;
		if (n.type != BTREE_LEAF || node_check(&n, &cap))
			return count | BTREE_RANGE_CORRUPT;
		a = 0;
	}
}

/* --- verify ------------------------------------------------------------- */

struct mem_img {
	const unsigned char *p;
	__u64 len;
};

static int mem_read(void *priv, __u64 off, void *buf, unsigned int len)
{
	const struct mem_img *m = priv;

	if (off > m->len || len > m->len - off)
		return -ERANGE;
	memcpy(buf, m->p + off, len);
	return 0;
}

struct vctx {
	const struct btree_shape *s;
	const unsigned char *img;
	unsigned char *seen;		/* per node slot */
	__u64 *leaf_order;		/* leaf offsets in key order */
	__u64 nleaves, nkeys;
	char *err;
	size_t errlen;
};

/*
 * Check the subtree at off, at level k (1 = leaf), whose keys must lie in
 * [lo, hi) (hi = 0: no upper bound).  Sets *min to its smallest key.
 */
static int verify_node(struct vctx *c, __u64 off, unsigned int k, __u64 lo,
		       __u64 hi, int has_hi, __u64 *min)
{
	const struct btree_shape *s = c->s;
	struct btree_node n;
	unsigned int cap, i;
	__u64 slot, child_min;

	if (off < BLK || off >= s->values_off || off % BLK) {
		seterr(c->err, c->errlen, "node pointer %#llx: not a node slot "
		       "(512-aligned, in [512, %#llx))", (unsigned long long)off,
		       (unsigned long long)s->values_off);
		return -EINVAL;
	}
	slot = off / BLK - 1;
	if (c->seen[slot]) {
		seterr(c->err, c->errlen, "node %#llx is reached twice",
		       (unsigned long long)off);
		return -EINVAL;
	}
	c->seen[slot] = 1;
	memcpy(&n, c->img + off, sizeof(n));
	if (n.type != (k == 1 ? BTREE_LEAF : BTREE_INTERNAL)) {
		seterr(c->err, c->errlen, "node %#llx: type %llu at level %u "
		       "(leaves are level 1, the root %u)",
		       (unsigned long long)off, (unsigned long long)n.type, k,
		       s->depth);
		return -EINVAL;
	}
	cap = k == 1 ? BTREE_LEAF_KEYS : BTREE_FANOUT;
	if (n.num < 1 || n.num > cap ||
	    n.num > (k == 1 ? s->leaf_fill : s->fill)) {
		seterr(c->err, c->errlen, "node %#llx: num %llu, not 1..%u "
		       "(fill %u)", (unsigned long long)off,
		       (unsigned long long)n.num, cap,
		       k == 1 ? s->leaf_fill : s->fill);
		return -EINVAL;
	}
	for (i = 0; i < n.num; i++) {
		if ((i && n.key[i] <= n.key[i - 1]) || n.key[i] < lo ||
		    (has_hi && n.key[i] >= hi)) {
			seterr(c->err, c->errlen, "node %#llx: key[%u] %#llx out "
			       "of order or outside its parent's interval",
			       (unsigned long long)off, i,
			       (unsigned long long)n.key[i]);
			return -EINVAL;
		}
	}
	for (i = n.num; i < BTREE_FANOUT; i++) {
		if (n.key[i] || (n.ptr[i] && !(k == 1 && i == BTREE_LEAF_NEXT))) {
			seterr(c->err, c->errlen, "node %#llx: unused slot %u "
			       "is not zero", (unsigned long long)off, i);
			return -EINVAL;
		}
	}
	*min = n.key[0];
	if (k == 1) {
		for (i = 0; i < n.num; i++) {
			__u64 want = btree_key(s, c->nkeys), vp = n.ptr[i], v;

			if (n.key[i] != want) {
				seterr(c->err, c->errlen, "leaf %#llx: key[%u] "
				       "%#llx, key %llu should be %#llx",
				       (unsigned long long)off, i,
				       (unsigned long long)n.key[i],
				       (unsigned long long)c->nkeys,
				       (unsigned long long)want);
				return -EINVAL;
			}
			if (vp != s->values_off + 8 * c->nkeys) {
				seterr(c->err, c->errlen, "leaf %#llx: ptr[%u] "
				       "%#llx, not the value slot of key %llu",
				       (unsigned long long)off, i,
				       (unsigned long long)vp,
				       (unsigned long long)c->nkeys);
				return -EINVAL;
			}
			memcpy(&v, c->img + vp, 8);
			if (v != btree_value(want)) {
				seterr(c->err, c->errlen, "value of key %#llx "
				       "(at %#llx) is %#llx, not %#llx",
				       (unsigned long long)want,
				       (unsigned long long)vp,
				       (unsigned long long)v,
				       (unsigned long long)btree_value(want));
				return -EINVAL;
			}
			c->nkeys++;
		}
		c->leaf_order[c->nleaves++] = off;
		return 0;
	}
	for (i = 0; i < n.num; i++) {
		int last = i + 1 == n.num;
		int ret = verify_node(c, n.ptr[i], k - 1, n.key[i],
				      last ? hi : n.key[i + 1], last ? has_hi : 1,
				      &child_min);

		if (ret)
			return ret;
		if (child_min != n.key[i]) {
			seterr(c->err, c->errlen, "node %#llx: key[%u] %#llx, the "
			       "smallest key under child %u is %#llx",
			       (unsigned long long)off, i,
			       (unsigned long long)n.key[i], i,
			       (unsigned long long)child_min);
			return -EINVAL;
		}
	}
	return 0;
}

int btree_verify_image(const void *img, __u64 len, char *err, size_t errlen)
{
	struct mem_img m = { .p = img, .len = len };
	struct btree_super sb;
	struct btree_shape s;
	struct vctx c = { .s = &s, .img = img, .err = err, .errlen = errlen };
	__u64 i, min, v, *all = NULL;
	__s64 st;
	int ret = -EINVAL;

	if (len < BLK) {
		seterr(err, errlen, "image of %llu bytes: no superblock",
		       (unsigned long long)len);
		return -EINVAL;
	}
	memcpy(&sb, img, sizeof(sb));
	if (btree_shape_of(&sb, &s, err, errlen))
		return -EINVAL;
	if (len < s.size) {
		seterr(err, errlen, "image of %llu bytes, the superblock says %llu",
		       (unsigned long long)len, (unsigned long long)s.size);
		return -EINVAL;
	}
	c.seen = calloc(s.nodes, 1);
	c.leaf_order = calloc(s.leaves, sizeof(*c.leaf_order));
	if (!c.seen || !c.leaf_order) {
		ret = -ENOMEM;
		goto out;
	}
	if (verify_node(&c, s.root, s.depth, 0, 0, 0, &min))
		goto out;
	if (c.nkeys != s.nr_keys || c.nleaves != s.leaves) {
		seterr(err, errlen, "%llu keys in %llu leaves, the superblock "
		       "says %llu keys (%llu leaves)",
		       (unsigned long long)c.nkeys, (unsigned long long)c.nleaves,
		       (unsigned long long)s.nr_keys,
		       (unsigned long long)s.leaves);
		goto out;
	}
	for (i = 0; i < s.nodes; i++) {
		if (!c.seen[i]) {
			seterr(err, errlen, "node %#llx is not in the tree",
			       (unsigned long long)(BLK + i * BLK));
			goto out;
		}
	}
	/* the leaf chain: every leaf once, in key order, then 0 */
	for (i = 0; i < s.leaves; i++) {
		__u64 next;

		memcpy(&next, c.img + c.leaf_order[i] +
		       offsetof(struct btree_node, ptr[BTREE_LEAF_NEXT]), 8);
		if (next != (i + 1 < s.leaves ? c.leaf_order[i + 1] : 0)) {
			seterr(err, errlen, "leaf %#llx: next is %#llx, not %#llx",
			       (unsigned long long)c.leaf_order[i],
			       (unsigned long long)next,
			       (unsigned long long)(i + 1 < s.leaves ?
						    c.leaf_order[i + 1] : 0));
			goto out;
		}
	}
	/* the value area's padding */
	for (i = s.values_off + 8 * s.nr_keys; i < s.size; i++) {
		if (c.img[i]) {
			seterr(err, errlen, "byte %#llx after the last value is "
			       "not zero", (unsigned long long)i);
			goto out;
		}
	}
	/* what the lookups see: every key found, the slot bounds missing */
	for (i = 0; i <= s.nr_keys; i++) {
		if (i < s.nr_keys) {
			__u64 k = btree_key(&s, i);

			st = btree_lookup_host(mem_read, &m, s.size, s.root, k,
					       &v, NULL);
			if (st != BTREE_FOUND || v != btree_value(k)) {
				seterr(err, errlen, "lookup of key %#llx: status "
				       "%d, value %#llx", (unsigned long long)k,
				       (int)st, (unsigned long long)v);
				goto out;
			}
		}
		st = btree_lookup_host(mem_read, &m, s.size, s.root,
				       btree_missing_key(&s, i), &v, NULL);
		if (st != BTREE_NOT_FOUND) {
			seterr(err, errlen, "lookup of missing key %#llx: "
			       "status %d", (unsigned long long)
			       btree_missing_key(&s, i), (int)st);
			goto out;
		}
	}
	/* and the range walk: all of them, in order, along the leaf chain */
	all = malloc(s.nr_keys * sizeof(*all));
	if (!all) {
		ret = -ENOMEM;
		goto out;
	}
	st = btree_range_host(mem_read, &m, s.size, s.root, 0, ~0ULL, all,
			      s.nr_keys);
	if (st != (__s64)s.nr_keys) {
		seterr(err, errlen, "range query of all keys: r0 %#llx, not %llu",
		       (unsigned long long)st, (unsigned long long)s.nr_keys);
		goto out;
	}
	for (i = 0; i < s.nr_keys; i++) {
		if (all[i] != btree_value(btree_key(&s, i))) {
			seterr(err, errlen, "range query of all keys: value %llu "
			       "is %#llx", (unsigned long long)i,
			       (unsigned long long)all[i]);
			goto out;
		}
	}
	ret = 0;
out:
	free(all);
	free(c.seen);
	free(c.leaf_order);
	return ret;
}

int btree_verify(int fd, __u64 off, char *err, size_t errlen)
{
	struct btree_fd bf = { .fd = fd, .off = off };
	struct btree_super sb;
	struct btree_shape s;
	void *img;
	int ret;

	ret = btree_read_super(fd, off, &sb);
	if (ret) {
		seterr(err, errlen, ret == -EINVAL ? "no B+-tree superblock "
		       "(bad magic)" : "reading the superblock: %s",
		       strerror(-ret));
		return ret;
	}
	if (btree_shape_of(&sb, &s, err, errlen))
		return -EINVAL;
	if (posix_memalign(&img, 4096, s.size))
		return -ENOMEM;
	for (__u64 pos = 0; pos < s.size && !ret; pos += WRITE_CHUNK)
		ret = btree_pread(&bf, pos, (char *)img + pos,
				  s.size - pos < WRITE_CHUNK ? s.size - pos :
							       WRITE_CHUNK);
	if (ret)
		seterr(err, errlen, "reading %llu bytes: %s",
		       (unsigned long long)s.size, strerror(-ret));
	else
		ret = btree_verify_image(img, s.size, err, errlen);
	free(img);
	return ret;
}
