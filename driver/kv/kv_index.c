// SPDX-License-Identifier: GPL-2.0
/*
 * The KV engine's memory: the index of live objects, an AVL tree ordered
 * by key with subtree sizes (List counts the keys from a key on in
 * O(log n)), and the free map of the data area, one bit per block, with
 * its first-fit allocator.  Both are rebuilt at open from the journal and
 * written nowhere.  Pure C (kv_port.h).
 */
#include "kv_int.h"

/* Byte order; a key sorts before every longer key it is a prefix of. */
int kv_key_cmp(const u8 *a, u32 alen, const u8 *b, u32 blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c)
		return c;
	return alen < blen ? -1 : alen > blen;
}

static inline int kv_obj_cmp(const u8 *key, u32 klen, const struct kv_obj *o)
{
	return kv_key_cmp(key, klen, o->key, o->klen);
}

static inline u8 kv_h(const struct kv_obj *o)
{
	return o ? o->height : 0;
}

static inline u32 kv_sz(const struct kv_obj *o)
{
	return o ? o->size : 0;
}

static void kv_fix(struct kv_obj *o)
{
	u8 hl = kv_h(o->l), hr = kv_h(o->r);

	o->height = (hl > hr ? hl : hr) + 1;
	o->size = kv_sz(o->l) + kv_sz(o->r) + 1;
}

static struct kv_obj *kv_rot_right(struct kv_obj *o)
{
	struct kv_obj *l = o->l;

	o->l = l->r;
	l->r = o;
	kv_fix(o);
	kv_fix(l);
	return l;
}

static struct kv_obj *kv_rot_left(struct kv_obj *o)
{
	struct kv_obj *r = o->r;

	o->r = r->l;
	r->l = o;
	kv_fix(o);
	kv_fix(r);
	return r;
}

static struct kv_obj *kv_balance(struct kv_obj *o)
{
	int bf;

	kv_fix(o);
	bf = (int)kv_h(o->l) - (int)kv_h(o->r);
	if (bf > 1) {
		if (kv_h(o->l->l) < kv_h(o->l->r))
			o->l = kv_rot_left(o->l);
		return kv_rot_right(o);
	}
	if (bf < -1) {
		if (kv_h(o->r->r) < kv_h(o->r->l))
			o->r = kv_rot_right(o->r);
		return kv_rot_left(o);
	}
	return o;
}

struct kv_obj *kv_idx_find(struct kv_obj *root, const u8 *key, u32 klen)
{
	while (root) {
		int c = kv_obj_cmp(key, klen, root);

		if (!c)
			return root;
		root = c < 0 ? root->l : root->r;
	}
	return NULL;
}

static struct kv_obj *kv_ins(struct kv_obj *n, struct kv_obj *o,
			     struct kv_obj **dup)
{
	int c;

	if (!n) {
		o->l = o->r = NULL;
		o->height = 1;
		o->size = 1;
		return o;
	}
	c = kv_obj_cmp(o->key, o->klen, n);
	if (!c) {
		*dup = n;
		return n;
	}
	if (c < 0)
		n->l = kv_ins(n->l, o, dup);
	else
		n->r = kv_ins(n->r, o, dup);
	return *dup ? n : kv_balance(n);
}

struct kv_obj *kv_idx_insert(struct kv_obj **root, struct kv_obj *o)
{
	struct kv_obj *dup = NULL;

	*root = kv_ins(*root, o, &dup);
	return dup;
}

static struct kv_obj *kv_unlink_min(struct kv_obj *n, struct kv_obj **min)
{
	if (!n->l) {
		*min = n;
		return n->r;
	}
	n->l = kv_unlink_min(n->l, min);
	return kv_balance(n);
}

static struct kv_obj *kv_rem(struct kv_obj *n, const u8 *key, u32 klen,
			     struct kv_obj **out)
{
	struct kv_obj *min;
	int c;

	if (!n)
		return NULL;
	c = kv_obj_cmp(key, klen, n);
	if (c < 0) {
		n->l = kv_rem(n->l, key, klen, out);
	} else if (c > 0) {
		n->r = kv_rem(n->r, key, klen, out);
	} else {
		*out = n;
		if (!n->r)
			return n->l;
		n->r = kv_unlink_min(n->r, &min);
		min->l = n->l;
		min->r = n->r;
		return kv_balance(min);
	}
	return *out ? kv_balance(n) : n;
}

struct kv_obj *kv_idx_remove(struct kv_obj **root, const u8 *key, u32 klen)
{
	struct kv_obj *out = NULL;

	*root = kv_rem(*root, key, klen, &out);
	return out;
}

struct kv_obj **kv_idx_link(struct kv_obj **root, const u8 *key, u32 klen)
{
	struct kv_obj **link = root;

	while (*link) {
		int c = kv_obj_cmp(key, klen, *link);

		if (!c)
			break;
		link = c < 0 ? &(*link)->l : &(*link)->r;
	}
	return link;
}

void kv_idx_replace(struct kv_obj **link, struct kv_obj *n)
{
	struct kv_obj *old = *link;

	n->l = old->l;
	n->r = old->r;
	n->size = old->size;
	n->height = old->height;
	*link = n;
}

struct kv_obj *kv_idx_lower_bound(struct kv_obj *root, const u8 *key, u32 klen,
				  u32 *count_ge)
{
	struct kv_obj *best = NULL;
	u32 ge = 0;

	while (root) {
		if (kv_obj_cmp(key, klen, root) <= 0) {
			/* root and its right subtree are >= key */
			ge += kv_sz(root->r) + 1;
			best = root;
			root = root->l;
		} else {
			root = root->r;
		}
	}
	if (count_ge)
		*count_ge = ge;
	return best;
}

struct kv_obj *kv_idx_next(struct kv_obj *root, const struct kv_obj *o)
{
	struct kv_obj *best = NULL;

	while (root) {
		if (kv_obj_cmp(o->key, o->klen, root) < 0) {
			best = root;
			root = root->l;
		} else {
			root = root->r;
		}
	}
	return best;
}

void kv_idx_free(struct kv_obj *root)
{
	/* iterative: walk down the left spine, rotating it away */
	while (root) {
		struct kv_obj *l = root->l;

		if (l) {
			root->l = l->r;
			l->r = root;
			root = l;
		} else {
			struct kv_obj *r = root->r;

			kv_free(root);
			root = r;
		}
	}
}

/* The free map */

bool kv_bit_test(const u64 *map, u64 b)
{
	return map[b / 64] >> (b % 64) & 1;
}

static void kv_bits(u64 *map, u64 b, u64 n, bool set)
{
	while (n) {
		u64 off = b % 64, k = 64 - off < n ? 64 - off : n;
		u64 mask = (k == 64 ? ~0ULL : ((1ULL << k) - 1)) << off;

		if (set)
			map[b / 64] |= mask;
		else
			map[b / 64] &= ~mask;
		b += k;
		n -= k;
	}
}

bool kv_map_claim(struct kv_engine *e, const struct kv_ext *x)
{
	u64 i;

	for (i = 0; i < x->count; i++)
		if (kv_bit_test(e->bitmap, (u64)x->start + i))
			return false;
	kv_bits(e->bitmap, x->start, x->count, true);
	e->free_blocks -= x->count;
	return true;
}

void kv_map_release(struct kv_engine *e, const struct kv_ext *x)
{
	kv_bits(e->bitmap, x->start, x->count, false);
	e->free_blocks += x->count;
}

/* the free run starting at or after *pos: its start and length */
static bool kv_next_run(const struct kv_engine *e, u64 *pos, u64 *len)
{
	u64 n = e->sb.data_blocks, b = *pos, s;

	while (b < n) {
		u64 w = e->bitmap[b / 64] >> (b % 64);

		if (w == (~0ULL >> (b % 64))) {	/* rest of the word taken */
			b = (b / 64 + 1) * 64;
			continue;
		}
		if (w & 1) {
			b += __builtin_ctzll(~w);
			continue;
		}
		break;
	}
	if (b >= n)
		return false;
	s = b;
	while (b < n) {
		u64 w = e->bitmap[b / 64] >> (b % 64);

		if (!w) {
			b = (b / 64 + 1) * 64;
			continue;
		}
		b += __builtin_ctzll(w);
		break;
	}
	if (b > n)
		b = n;
	*pos = s;
	*len = b - s;
	return true;
}

/*
 * the @n longest free runs, longest first (the lower address first among
 * equals); how many there are
 */
static u32 kv_top_runs(struct kv_engine *e, struct kv_ext *runs, u32 n)
{
	u64 pos = 0, len;
	u32 got = 0, i;

	while (n && kv_next_run(e, &pos, &len)) {
		for (i = got; i > 0 && runs[i - 1].count < len; i--)
			if (i < n)
				runs[i] = runs[i - 1];
		if (i < n) {
			runs[i].start = (u32)pos;
			runs[i].count = (u32)len;
			if (got < n)
				got++;
		}
		pos += len;
	}
	return got;
}

int kv_map_alloc(struct kv_engine *e, u64 blocks, struct kv_ext *x, u32 max,
		 u32 *nx)
{
	u64 pos = 0, len, got = 0;
	u32 i, n = 0, nr;

	*nx = 0;
	if (!blocks)
		return 0;
	if (blocks > e->free_blocks || !max)
		return -ENOSPC;
	/* first fit of one run */
	while (kv_next_run(e, &pos, &len)) {
		if (len >= blocks) {
			x[0].start = (u32)pos;
			x[0].count = (u32)blocks;
			n = 1;
			goto claim;
		}
		pos += len;
	}
	/* else the longest runs, longest first: the fewest extents */
	nr = kv_top_runs(e, x, max);
	for (n = 0; n < nr && got < blocks; n++) {
		if (x[n].count > blocks - got)
			x[n].count = (u32)(blocks - got);
		got += x[n].count;
	}
	if (got < blocks)
		return -ENOSPC;
claim:
	for (i = 0; i < n; i++)
		kv_map_claim(e, &x[i]);
	*nx = n;
	return 0;
}

u32 kv_free_runs(struct kv_engine *e, u64 *runs, u32 n)
{
	struct kv_ext x[KV_MAX_EXTENTS];
	u32 got, i;

	got = kv_top_runs(e, x, n < KV_MAX_EXTENTS ? n : KV_MAX_EXTENTS);
	for (i = 0; i < got; i++)
		runs[i] = x[i].count;
	return got;
}
