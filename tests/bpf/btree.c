// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * btree_lookup.bpf.o and btree_range.bpf.o (bpf/) run natively in the
 * drive's VM over tree images tools/btree builds in memory, every answer
 * compared with the host walks of tools/btree/btree.c
 * (btree_lookup_host(), btree_range_host()) and with btree_value():
 *  - depths 1..6, each at its smallest key count, one in between and a
 *    large one: random present keys, the smallest and the largest, and
 *    missing ones (below the smallest, above the largest, between two);
 *  - lookups again with args[2] BTREE_LOOKUP_OFFSET and no output room
 *    (NVMe Execute Program): r0 the value's offset, or the same status;
 *    any other args[2] BTREE_BAD_ARGS;
 *  - ranges: random intervals, empty ones, all keys, and output buffers
 *    that fill up;
 *  - corrupt trees: a pointer outside the range, a misaligned one, a
 *    child pointing at an ancestor, a leaf chain pointing back, num 0 and
 *    over capacity, a bad type, a bad value pointer, a bad root: each
 *    gives the documented status (bpf/btree.h) without an abort, in a
 *    small budget;
 *  - the units a lookup is charged, per depth (printed: Documentation/examples/btree.md "B+-tree
 *    lookups").
 * Windows of the whole image and of 4 KiB (the drive's pages).
 *
 * usage: btree <dir of bpf/ objects>
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <liburingblk.h>

#include "../../tools/btree/btree.h"
#include "vm.h"

#define BUDGET		(1ULL << 32)
/* a walk of at most BTREE_MAX_DEPTH levels stays far below this */
#define SMALL_BUDGET	20000
#define OUT_MAX		URINGBLK_MAX_EXEC_OUT

static uint8_t out[OUT_MAX];
static __u64 want_out[OUT_MAX / 8];
static int passed, failed;
static uint64_t chunk;

#define CHECK_CONTEXT()	fprintf(stderr, " (chunk %llu)", (unsigned long long)chunk)
#include "../check.h"

struct prog {
	struct bpf_insn	*insns;
	unsigned int	cnt;
};

static struct prog lookup_prog, range_prog;

static struct prog load(const char *dir, const char *obj)
{
	char path[512], log[1024];
	struct prog p = { 0 };

	snprintf(path, sizeof(path), "%s/%s", dir, obj);
	if (uringblk_prog_read_file(path, NULL, &p.insns, &p.cnt, NULL, log,
				    sizeof(log))) {
		fprintf(stderr, "%s: %s\n", path, log);
		exit(2);
	}
	return p;
}

static struct vm_result run(struct prog p, const void *img, uint64_t len,
			    uint64_t a0, uint64_t a1, uint64_t a2,
			    uint32_t out_len, uint64_t budget)
{
	uint64_t args[3] = { a0, a1, a2 };
	struct vm_result r;
	char msg[256] = "";

	if (out_len > sizeof(out)) {
		fprintf(stderr, "out_len %u: the test's buffer is smaller\n", out_len);
		exit(2);
	}
	memset(out, 0xa5, out_len);
	if (vm_run(p.insns, p.cnt, img, len, chunk, args, out, out_len, budget,
		   &r, msg, sizeof(msg))) {
		fprintf(stderr, "validator: %s\n", msg);
		exit(2);
	}
	CHECK(r.work_bounded, "helper work beyond the %llu units charged",
	      (unsigned long long)r.insns);
	return r;
}

/* the host walks' reads, from the image in memory */
struct img {
	const uint8_t *p;
	uint64_t len;
};

static int img_read(void *priv, __u64 off, void *buf, unsigned int len)
{
	const struct img *m = priv;

	if (off > m->len || len > m->len - off)
		return -ERANGE;
	memcpy(buf, m->p + off, len);
	return 0;
}

static uint64_t rnd_state = 0x243f6a8885a308d3ULL;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

/*
 * Look key up with the program and with the host walk; they must agree,
 * and a found value must be btree_value(key).  @want: the status the
 * caller knows (-1: whatever the host says).  Returns the units charged.
 */
static uint64_t check_lookup(const uint8_t *img, uint64_t len, uint64_t root,
			     uint64_t key, int want, const char *what)
{
	struct img m = { img, len };
	__u64 hv = 0, v;
	struct vm_result r;
	int host;

	host = btree_lookup_host(img_read, &m, len, root, key, &hv, NULL);
	r = run(lookup_prog, img, len, key, root, 0, 64, SMALL_BUDGET);
	memcpy(&v, out, 8);
	CHECK(r.error == 0 && (int64_t)r.r0 == host &&
	      (want < 0 || host == want),
	      "%s: key %#llx: r0 %llu, host %d, want %d (error %d, abort %u "
	      "at %u)", what, (unsigned long long)key,
	      (unsigned long long)r.r0, host, want, r.error, r.abort_code,
	      r.abort_pc);
	if (host == BTREE_FOUND)
		CHECK(r.out_len == 8 && v == hv &&
		      (want < 0 || v == btree_value(key)),
		      "%s: key %#llx: value %#llx (%llu bytes), host %#llx, "
		      "btree_value %#llx", what, (unsigned long long)key,
		      (unsigned long long)v, (unsigned long long)r.out_len,
		      (unsigned long long)hv,
		      (unsigned long long)btree_value(key));
	else
		CHECK(r.out_len == 0, "%s: key %#llx: %llu bytes of output",
		      what, (unsigned long long)key,
		      (unsigned long long)r.out_len);
	/* BTREE_LOOKUP_OFFSET, with no output room (Execute Program) */
	r = run(lookup_prog, img, len, key, root, BTREE_LOOKUP_OFFSET, 0, SMALL_BUDGET);
	if (host == BTREE_FOUND) {
		CHECK(r.error == 0 && r.r0 >= 512 && !(r.r0 & 7) && r.r0 <= len - 8 &&
		      !memcmp(img + r.r0, &hv, 8),
		      "%s: key %#llx, offset mode: r0 %#llx, not the offset of "
		      "value %#llx (error %d)", what, (unsigned long long)key,
		      (unsigned long long)r.r0, (unsigned long long)hv, r.error);
	} else {
		CHECK(r.error == 0 && (int64_t)r.r0 == host,
		      "%s: key %#llx, offset mode: r0 %llu, host %d (error %d)",
		      what, (unsigned long long)key, (unsigned long long)r.r0,
		      host, r.error);
	}
	return r.insns;
}

/*
 * The range [lo, hi) with room for @room values (out_len = 8 * room +
 * @extra): the program against the host walk, r0 and bytes.
 */
static uint64_t check_range(const uint8_t *img, uint64_t len, uint64_t root,
			    uint64_t lo, uint64_t hi, uint64_t room,
			    uint32_t extra, int64_t want, const char *what)
{
	struct img m = { img, len };
	struct vm_result r;
	int64_t host;

	host = btree_range_host(img_read, &m, len, root, lo, hi, want_out,
				room);
	r = run(range_prog, img, len, lo, hi, root, room * 8 + extra, BUDGET);
	CHECK(r.error == 0 && (int64_t)r.r0 == host &&
	      (want < 0 || host == want),
	      "%s: [%#llx, %#llx) room %llu: r0 %#llx, host %#llx, want %#llx "
	      "(error %d, abort %u at %u)", what, (unsigned long long)lo,
	      (unsigned long long)hi, (unsigned long long)room,
	      (unsigned long long)r.r0, (unsigned long long)host,
	      (unsigned long long)want, r.error, r.abort_code, r.abort_pc);
	if (host >= 0) {
		uint64_t n = host & BTREE_RANGE_COUNT_MASK;

		CHECK(r.out_len == n * 8 && !memcmp(out, want_out, n * 8),
		      "%s: [%#llx, %#llx): %llu bytes of output, want %llu, or "
		      "values differ", what, (unsigned long long)lo,
		      (unsigned long long)hi, (unsigned long long)r.out_len,
		      (unsigned long long)n * 8);
	}
	return r.insns;
}

/* Per depth: the units a found lookup was charged (chunk 4096 runs). */
static struct {
	uint64_t n, sum, min, max;
	uint64_t keys;
	unsigned int fill, leaf_fill;
	uint64_t range_units, range_keys;	/* a range over every key */
} units[BTREE_MAX_DEPTH + 1];

static uint8_t *build(uint64_t nr, unsigned int depth, uint64_t seed,
		      struct btree_shape *s)
{
	char err[256];
	uint8_t *img;

	if (btree_plan(nr, depth, seed, s, err, sizeof(err))) {
		fprintf(stderr, "plan %llu keys depth %u: %s\n",
			(unsigned long long)nr, depth, err);
		exit(2);
	}
	img = malloc(s->size);
	if (!img || btree_build_image(s, img, s->size)) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	return img;
}

/*
 * One tree: lookups of @lookups random keys (and as many missing ones),
 * ranges; @stats: record the units of the found lookups and of a range
 * over every key in units[depth].
 */
static void test_tree(uint64_t nr, unsigned int depth, int lookups, int stats)
{
	struct btree_shape s;
	uint8_t *img = build(nr, depth, nr * 31 + depth, &s);
	uint64_t n = s.nr_keys, root = s.root, len = s.size, u, i, k, a, b;
	char what[64];

	snprintf(what, sizeof(what), "depth %u, %llu keys", depth,
		 (unsigned long long)nr);
	/* the ends and the gaps around them */
	check_lookup(img, len, root, btree_key(&s, 0), BTREE_FOUND, what);
	check_lookup(img, len, root, btree_key(&s, n - 1), BTREE_FOUND, what);
	check_lookup(img, len, root, 0, BTREE_NOT_FOUND, what);
	check_lookup(img, len, root, btree_key(&s, 0) - 1, BTREE_NOT_FOUND, what);
	check_lookup(img, len, root, btree_missing_key(&s, n), BTREE_NOT_FOUND,
		     what);
	check_lookup(img, len, root, btree_key(&s, n - 1) + 1, BTREE_NOT_FOUND,
		     what);
	check_lookup(img, len, root, ~0ULL, BTREE_NOT_FOUND, what);
	for (i = 0; i < (uint64_t)lookups; i++) {
		k = btree_key(&s, rnd() % n);
		u = check_lookup(img, len, root, k, BTREE_FOUND, what);
		if (stats && chunk == 4096) {
			units[depth].n++;
			units[depth].sum += u;
			if (!units[depth].min || u < units[depth].min)
				units[depth].min = u;
			if (u > units[depth].max)
				units[depth].max = u;
			units[depth].keys = nr;
			units[depth].fill = s.fill;
			units[depth].leaf_fill = s.leaf_fill;
		}
		/* between two keys, and next to a key */
		check_lookup(img, len, root, btree_missing_key(&s, rnd() % (n + 1)),
			     BTREE_NOT_FOUND, what);
		check_lookup(img, len, root, k + 1, BTREE_NOT_FOUND, what);
	}

	/* ranges */
	u = check_range(img, len, root, 0, ~0ULL, OUT_MAX / 8, 0,
			n <= OUT_MAX / 8 ? (int64_t)n : (int64_t)(OUT_MAX / 8) |
			(int64_t)BTREE_RANGE_MORE, what);
	if (stats && chunk == 4096) {
		units[depth].range_units = u;
		units[depth].range_keys = n <= OUT_MAX / 8 ? n : OUT_MAX / 8;
	}
	check_range(img, len, root, 5, 5, 16, 0, 0, what);
	check_range(img, len, root, ~0ULL, 0, 16, 0, 0, what);
	/* no key in [slot bound, the key of that slot) */
	i = rnd() % n;
	check_range(img, len, root, btree_missing_key(&s, i), btree_key(&s, i),
		    16, 0, 0, what);
	/* exactly one */
	check_range(img, len, root, btree_key(&s, i), btree_key(&s, i) + 1,
		    16, 0, 1, what);
	/* above the largest */
	check_range(img, len, root, btree_key(&s, n - 1) + 1, ~0ULL, 16, 0, 0,
		    what);
	for (i = 0; i < (uint64_t)lookups / 8 + 4; i++) {
		a = rnd() % n;
		b = a + rnd() % 100;
		if (b > n)
			b = n;
		/* keys a..b-1, from slot bounds or from keys */
		check_range(img, len, root,
			    rnd() & 1 ? btree_key(&s, a) :
					btree_missing_key(&s, a),
			    b == n ? btree_missing_key(&s, n) :
			    rnd() & 1 ? btree_key(&s, b) :
					btree_missing_key(&s, b),
			    OUT_MAX / 8, 0, (int64_t)(b - a), what);
		/* an output that fills up: 0..b-a values of room, and odd bytes */
		if (b > a)
			check_range(img, len, root, btree_key(&s, a),
				    btree_missing_key(&s, b), rnd() % (b - a),
				    rnd() % 8, -1, what);
	}
	free(img);
}

/* --- corrupt trees -------------------------------------------------------- */

static struct btree_node *node_at(uint8_t *img, uint64_t off)
{
	return (struct btree_node *)(img + off);
}

/* The first leaf: down the ptr[0]s. */
static uint64_t first_leaf(uint8_t *img, uint64_t root)
{
	uint64_t off = root;

	while (node_at(img, off)->type == BTREE_INTERNAL)
		off = node_at(img, off)->ptr[0];
	return off;
}

static uint64_t last_leaf(uint8_t *img, uint64_t root)
{
	uint64_t off = first_leaf(img, root);

	while (node_at(img, off)->ptr[BTREE_LEAF_NEXT])
		off = node_at(img, off)->ptr[BTREE_LEAF_NEXT];
	return off;
}

/*
 * One corruption of a fresh depth-@depth tree: @mutate changes it; then
 * the smallest key's lookup and a range from it must give @look and @rng
 * (the range's r0 with its count bits masked off: the count is compared
 * with the host walk's by check_range()).
 */
struct corruption {
	const char *what;
	void (*mutate)(uint8_t *img, const struct btree_shape *s);
	int look;		/* status of looking up key 0 */
	uint64_t rng;		/* range [key 0, max) r0 flags */
};

static void c_out_of_range(uint8_t *img, const struct btree_shape *s)
{
	node_at(img, s->root)->ptr[0] = s->size;	/* just past the end */
}

static void c_tail_of_range(uint8_t *img, const struct btree_shape *s)
{
	/* the node's first bytes are in, its 512 are not */
	node_at(img, s->root)->ptr[0] = s->size - 264;
}

static void c_huge(uint8_t *img, const struct btree_shape *s)
{
	node_at(img, s->root)->ptr[0] = ~0ULL - 7;	/* wraps if added to */
}

static void c_misaligned(uint8_t *img, const struct btree_shape *s)
{
	node_at(img, s->root)->ptr[0] += 4;
}

static void c_child_is_root(uint8_t *img, const struct btree_shape *s)
{
	/* the root's first child points back at the root */
	node_at(img, node_at(img, s->root)->ptr[0])->ptr[0] = s->root;
}

static void c_self_loop(uint8_t *img, const struct btree_shape *s)
{
	node_at(img, s->root)->ptr[0] = s->root;
}

static void c_num0(uint8_t *img, const struct btree_shape *s)
{
	node_at(img, first_leaf(img, s->root))->num = 0;
}

static void c_leaf_num31(uint8_t *img, const struct btree_shape *s)
{
	node_at(img, first_leaf(img, s->root))->num = BTREE_LEAF_KEYS + 1;
}

static void c_internal_num32(uint8_t *img, const struct btree_shape *s)
{
	node_at(img, s->root)->num = BTREE_FANOUT + 1;
}

static void c_num_huge(uint8_t *img, const struct btree_shape *s)
{
	node_at(img, s->root)->num = 1ULL << 63;
}

static void c_type2(uint8_t *img, const struct btree_shape *s)
{
	node_at(img, first_leaf(img, s->root))->type = 2;
}

static void c_type_huge(uint8_t *img, const struct btree_shape *s)
{
	node_at(img, s->root)->type = 0x100000000ULL;	/* low word 0 */
}

static void c_value_misaligned(uint8_t *img, const struct btree_shape *s)
{
	node_at(img, first_leaf(img, s->root))->ptr[0] += 1;
}

static void c_value_out(uint8_t *img, const struct btree_shape *s)
{
	node_at(img, first_leaf(img, s->root))->ptr[0] = s->size;
}

/* the chain of the last leaf back to the first: a cycle */
static void c_chain_cycle(uint8_t *img, const struct btree_shape *s)
{
	node_at(img, last_leaf(img, s->root))->ptr[BTREE_LEAF_NEXT] =
		first_leaf(img, s->root);
}

/* the first leaf's next pointing at itself */
static void c_chain_self(uint8_t *img, const struct btree_shape *s)
{
	uint64_t f = first_leaf(img, s->root);

	node_at(img, f)->ptr[BTREE_LEAF_NEXT] = f;
}

/* the first leaf's next pointing at an internal node (the root) */
static void c_chain_internal(uint8_t *img, const struct btree_shape *s)
{
	node_at(img, first_leaf(img, s->root))->ptr[BTREE_LEAF_NEXT] = s->root;
}

static void c_chain_misaligned(uint8_t *img, const struct btree_shape *s)
{
	node_at(img, first_leaf(img, s->root))->ptr[BTREE_LEAF_NEXT] += 2;
}

static void c_chain_out(uint8_t *img, const struct btree_shape *s)
{
	node_at(img, first_leaf(img, s->root))->ptr[BTREE_LEAF_NEXT] = s->size;
}

/* two keys of the first leaf swapped: out of order inside a leaf */
static void c_leaf_order(uint8_t *img, const struct btree_shape *s)
{
	struct btree_node *n = node_at(img, first_leaf(img, s->root));
	uint64_t t = n->key[1];

	n->key[1] = n->key[2];
	n->key[2] = t;
}

static const struct corruption corruptions[] = {
	{ "child pointer past the range", c_out_of_range, BTREE_CORRUPT, BTREE_RANGE_CORRUPT },
	{ "child node not wholly in the range", c_tail_of_range, BTREE_CORRUPT, BTREE_RANGE_CORRUPT },
	{ "child pointer 2^64 - 8", c_huge, BTREE_CORRUPT, BTREE_RANGE_CORRUPT },
	{ "misaligned child pointer", c_misaligned, BTREE_CORRUPT, BTREE_RANGE_CORRUPT },
	{ "child pointing at the root (cycle)", c_child_is_root, BTREE_CORRUPT, BTREE_RANGE_CORRUPT },
	{ "root pointing at itself", c_self_loop, BTREE_CORRUPT, BTREE_RANGE_CORRUPT },
	{ "leaf num 0", c_num0, BTREE_CORRUPT, BTREE_RANGE_CORRUPT },
	{ "leaf num 31", c_leaf_num31, BTREE_CORRUPT, BTREE_RANGE_CORRUPT },
	{ "internal num 32", c_internal_num32, BTREE_CORRUPT, BTREE_RANGE_CORRUPT },
	{ "internal num 2^63", c_num_huge, BTREE_CORRUPT, BTREE_RANGE_CORRUPT },
	{ "leaf type 2", c_type2, BTREE_CORRUPT, BTREE_RANGE_CORRUPT },
	{ "internal type 2^32", c_type_huge, BTREE_CORRUPT, BTREE_RANGE_CORRUPT },
	{ "value pointer misaligned", c_value_misaligned, BTREE_CORRUPT, BTREE_RANGE_CORRUPT },
	{ "value pointer past the range", c_value_out, BTREE_CORRUPT, BTREE_RANGE_CORRUPT },
	{ "leaf chain: last leaf back to the first", c_chain_cycle, BTREE_FOUND, BTREE_RANGE_CORRUPT },
	{ "leaf chain: leaf to itself", c_chain_self, BTREE_FOUND, BTREE_RANGE_CORRUPT },
	{ "leaf chain: to an internal node", c_chain_internal, BTREE_FOUND, BTREE_RANGE_CORRUPT },
	{ "leaf chain: misaligned", c_chain_misaligned, BTREE_FOUND, BTREE_RANGE_CORRUPT },
	{ "leaf chain: past the range", c_chain_out, BTREE_FOUND, BTREE_RANGE_CORRUPT },
	{ "leaf keys out of order", c_leaf_order, -1, BTREE_RANGE_CORRUPT },
};

static void test_corrupt(uint64_t nr, unsigned int depth)
{
	for (size_t c = 0; c < sizeof(corruptions) / sizeof(corruptions[0]); c++) {
		const struct corruption *k = &corruptions[c];
		struct img m;
		struct btree_shape s;
		uint8_t *img = build(nr, depth, 7, &s);
		uint64_t room = nr + 8, key0 = btree_key(&s, 0);
		struct vm_result r;
		char what[128];
		int64_t host;

		snprintf(what, sizeof(what), "depth %u: %s", depth, k->what);
		k->mutate(img, &s);
		check_lookup(img, s.size, s.root, key0, k->look, what);
		/* the range from the first key over everything */
		m = (struct img){ img, s.size };
		host = btree_range_host(img_read, &m, s.size, s.root, key0, ~0ULL,
					want_out, room);
		CHECK(host >= 0 && (host & ~BTREE_RANGE_COUNT_MASK) == k->rng,
		      "%s: range host r0 %#llx, want flags %#llx", what,
		      (unsigned long long)host, (unsigned long long)k->rng);
		check_range(img, s.size, s.root, key0, ~0ULL, room, 0, host, what);
		/* and it ends in a small budget */
		r = run(range_prog, img, s.size, key0, ~0ULL, s.root, room * 8,
			(s.leaves + depth + 4) * 1000);
		CHECK(r.error == 0, "%s: range: error %d (abort %u) in %llu units",
		      what, r.error, r.abort_code, (unsigned long long)r.insns);
		free(img);
	}
}

/* Roots the host passes in args: checked like any node pointer. */
static void test_bad_root(void)
{
	struct btree_shape s;
	uint8_t *img = build(1000, 3, 1, &s);
	uint64_t k = btree_key(&s, 0);
	const uint64_t roots[] = { 0, 4, s.size, s.size - 8, ~0ULL, 1ULL << 63 };

	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		check_lookup(img, s.size, roots[i], k, BTREE_CORRUPT, "bad root");
		check_range(img, s.size, roots[i], k, ~0ULL, 16, 0,
			    BTREE_RANGE_CORRUPT, "bad root");
	}
	/* a range smaller than a node: nothing can be read */
	check_lookup(img, 511, s.root, k, BTREE_CORRUPT, "range of 511 bytes");
	check_range(img, 511, s.root, k, ~0ULL, 16, 0, BTREE_RANGE_CORRUPT,
		    "range of 511 bytes");
	/* the image cut short: the values are outside the range */
	check_lookup(img, s.values_off, s.root, k, BTREE_CORRUPT, "no values");
	/* args[2] neither 0 nor BTREE_LOOKUP_OFFSET */
	for (uint64_t a2 = 2; a2 < 1ULL << 63; a2 = a2 * 3 + 1) {
		struct vm_result r = run(lookup_prog, img, s.size, k, s.root, a2, 64,
					 SMALL_BUDGET);

		CHECK(r.error == 0 && r.r0 == BTREE_BAD_ARGS && r.out_len == 0,
		      "args[2] %#llx: r0 %llu, %llu bytes out (error %d)",
		      (unsigned long long)a2, (unsigned long long)r.r0,
		      (unsigned long long)r.out_len, r.error);
	}
	free(img);
}

/* The budget a lookup uses is enough; one unit less is not. */
static void test_budget(void)
{
	struct btree_shape s;
	uint8_t *img = build(100000, 4, 3, &s);
	uint64_t k = btree_key(&s, 4242);
	struct vm_result r;

	r = run(lookup_prog, img, s.size, k, s.root, 0, 8, BUDGET);
	CHECK(r.error == 0 && r.r0 == BTREE_FOUND, "budget: r0 %llu",
	      (unsigned long long)r.r0);
	r = run(lookup_prog, img, s.size, k, s.root, 0, 8, r.insns);
	CHECK(r.error == 0 && r.r0 == BTREE_FOUND, "exact budget: error %d",
	      r.error);
	r = run(lookup_prog, img, s.size, k, s.root, 0, 8, r.insns - 1);
	CHECK(r.error == -ETIME, "budget - 1: error %d", r.error);
	/* no room for the value: found, nothing emitted */
	r = run(lookup_prog, img, s.size, k, s.root, 0, 7, BUDGET);
	CHECK(r.error == 0 && r.r0 == BTREE_FOUND && r.out_len == 0,
	      "out_len 7: r0 %llu, %llu bytes", (unsigned long long)r.r0,
	      (unsigned long long)r.out_len);
	free(img);
}

int main(int argc, char **argv)
{
	/* keys per depth: the fewest, a middle, and many */
	static const struct { unsigned int depth; uint64_t keys[3]; } trees[] = {
		{ 1, { 1, 17, 30 } },
		{ 2, { 2, 400, 930 } },
		{ 3, { 3, 5000, 28830 } },
		{ 4, { 5, 30000, 300000 } },
		{ 5, { 9, 20000, 500000 } },
		{ 6, { 17, 40000, 1000000 } },
	};
	static const uint64_t chunks[] = { 0, 4096 };

	if (argc != 2) {
		fprintf(stderr, "usage: %s BPF_OBJ_DIR\n", argv[0]);
		return 2;
	}
	lookup_prog = load(argv[1], "btree_lookup.bpf.o");
	range_prog = load(argv[1], "btree_range.bpf.o");
	for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
		chunk = chunks[c];
		for (size_t t = 0; t < sizeof(trees) / sizeof(trees[0]); t++)
			for (int i = 0; i < 3; i++)
				test_tree(trees[t].keys[i], trees[t].depth,
					  i == 2 ? 300 : 100, i == 2);
		/* a child pointing at an ancestor needs two internal levels */
		for (unsigned int d = 3; d <= 6; d++)
			test_corrupt(d == 3 ? 2000 : 30000, d);
		test_bad_root();
		test_budget();
	}
	printf("units charged (4 KiB windows), by depth: a found lookup; a "
	       "range over every key (up to %u), per key\n", OUT_MAX / 8);
	for (unsigned int d = 1; d <= 6; d++)
		printf("  depth %u, %7llu keys, fill %2u/%2u: lookup mean %.1f, "
		       "min %llu, max %llu (%llu lookups); range %.1f\n", d,
		       (unsigned long long)units[d].keys, units[d].fill,
		       units[d].leaf_fill, (double)units[d].sum / units[d].n,
		       (unsigned long long)units[d].min,
		       (unsigned long long)units[d].max,
		       (unsigned long long)units[d].n,
		       (double)units[d].range_units / units[d].range_keys);
	printf("btree programs (native VM): %d checks passed, %d failed\n",
	       passed, failed);
	return failed ? 1 : 0;
}
