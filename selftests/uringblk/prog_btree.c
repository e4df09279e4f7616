// SPDX-License-Identifier: GPL-2.0
/*
 * B+-tree lookups on the drive (XRP's BPF-KV, bpf/btree.h): trees of
 * depth 3 and 6 written through the block device by tools/btree's
 * btree_write() (O_DIRECT, 512-byte blocks) and checked by btree_verify()
 * through it, then
 *  - btree_lookup.bpf.o for thousands of random present keys, missing
 *    ones (below, above, between) and the ends, each against
 *    btree_value() and against the host walk (btree_lookup_host()) over
 *    the image read back from the drive;
 *  - btree_range.bpf.o for random intervals, empty ones and outputs that
 *    fill up, against btree_range_host();
 *  - corrupt trees (nodes rewritten on the device): a pointer outside the
 *    granted range, misaligned, a child pointing at the root, num 0 and
 *    32, a bad type, a leaf chain cycle, and a granted range that ends
 *    before the tree does: the documented status (bpf/btree.h), never an
 *    abort, within a small budget.
 * On memory (eBPF v1 and v3 objects) and file-backed drives.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness.h"
#include "prog_test.h"
#include "tools/btree/btree.h"	/* -I the repository */

#define PARAMS		"capacity_mb=96 block_size=512"
#define BS		512ULL

/* the two trees and where they live on the drive */
#define KEYS3		20000		/* fill 26: a 0.4 MiB image */
#define OFF3		(1 * UBT_MIB)
#define KEYS6		30000		/* fill 6: a 2.8 MiB image */
#define OFF6		(8 * UBT_MIB)

#define OUT_MAX		(64 * 1024)
/* a lookup of depth 6 needs about 1,000 units (4 KiB pages in memory) */
#define LOOKUP_BUDGET	100000

FIXTURE(btree) {
	struct io_uring ring;
	int cfd, bfd;
	struct btree_shape s3, s6;
	uint8_t *img;		/* the tree a test wrote, read back from the drive */
	int lookup_id, range_id;
	uint8_t *reply;
	uint64_t *want;
	char log[4096];
};

FIXTURE_VARIANT(btree) {
	const char *suffix;	/* object name suffix: "" (v1) or ".v3" */
	const char *params;
	uint32_t page_cost;	/* budget units per page a helper fetches */
};

FIXTURE_VARIANT_ADD(btree, v1) {
	.suffix = "",
	.params = PARAMS,
	.page_cost = 32,
};

FIXTURE_VARIANT_ADD(btree, v3) {
	.suffix = ".v3",
	.params = PARAMS,
	.page_cost = 32,
};

FIXTURE_VARIANT_ADD(btree, file_v1) {
	.suffix = "",
	.params = PARAMS " backing=file path=/var/tmp/ubt-prog_btree.img",
	.page_cost = 1024,	/* each fetch reads the page from the file */
};

static int load_obj(struct __test_metadata *_metadata,
		    FIXTURE_DATA(btree) *self, const char *name,
		    const char *suffix)
{
	char obj[64];
	int id;

	snprintf(obj, sizeof(obj), "%s%s", name, suffix);
	id = ubp_load_obj(&self->ring, self->cfd, obj, self->log,
			  sizeof(self->log));
	EXPECT_LT(0, id) TH_LOG("load %s: %d: %s", obj, id, self->log);
	return id;
}

FIXTURE_SETUP(btree)
{
	struct uringblk_identify id;
	char err[256];

	UBT_SETUP_MODULE(ubt_module_reload, variant->params);
	self->cfd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, self->cfd);
	ASSERT_EQ(0, ubt_ring_init(&self->ring, 0));
	ASSERT_EQ(sizeof(id), ubt_identify(&self->ring, self->cfd, &id));
	if (!(id.features & URINGBLK_F_COMPUTE))
		UBT_SETUP_SKIP("the drive has no URINGBLK_F_COMPUTE");
	ASSERT_EQ(BS, id.logical_block_size);

	ASSERT_EQ(0, btree_plan(KEYS3, 3, 3, &self->s3, err, sizeof(err)))
		TH_LOG("%s", err);
	ASSERT_EQ(0, btree_plan(KEYS6, 6, 6, &self->s6, err, sizeof(err)))
		TH_LOG("%s", err);
	ASSERT_GE(OFF6, OFF3 + self->s3.size);
	ASSERT_GE(id.capacity, OFF6 + self->s6.size);

	self->bfd = ubt_open_blk(0, O_RDWR | O_DIRECT);
	ASSERT_LE(0, self->bfd);

	self->reply = ubt_alloc(UBP_RES_SIZE + OUT_MAX);
	self->want = malloc(OUT_MAX);
	ASSERT_NE(NULL, self->reply);
	ASSERT_NE(NULL, self->want);
	self->lookup_id = load_obj(_metadata, self, "btree_lookup",
				   variant->suffix);
	self->range_id = load_obj(_metadata, self, "btree_range",
				  variant->suffix);
	ASSERT_LT(0, self->lookup_id);
	ASSERT_LT(0, self->range_id);
}

FIXTURE_TEARDOWN(btree)
{
	io_uring_queue_exit(&self->ring);
	close(self->cfd);
	close(self->bfd);
	munmap(self->reply, UBP_RES_SIZE + OUT_MAX);
	free(self->want);
	free(self->img);
}

/*
 * Write the tree of shape s at off through the block device (O_DIRECT),
 * check it with btree_verify() through the device, and keep what the
 * drive now holds in self->img: the host walks read that copy (so the
 * reference sees the drive's bytes without a read per level).
 */
static void write_tree(struct __test_metadata *_metadata,
		       FIXTURE_DATA(btree) *self, const struct btree_shape *s,
		       uint64_t off)
{
	char err[256];

	ASSERT_EQ(0, btree_write(self->bfd, off, s));
	ASSERT_EQ(0, btree_verify(self->bfd, off, err, sizeof(err)))
		TH_LOG("%s", err);
	free(self->img);
	self->img = NULL;
	ASSERT_EQ(0, posix_memalign((void **)&self->img, 4096, s->size));
	ASSERT_EQ(s->size, ubt_pread_full(self->bfd, self->img, s->size, off));
}

/* the host walks' reads: the copy of the image */
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

static uint64_t rnd_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

/* One EXEC over the image at off (size bytes); the result in *r. */
static int exec(FIXTURE_DATA(btree) *self, int prog, uint64_t off,
		uint64_t size, const uint64_t args[3], uint32_t out_len,
		uint64_t budget, struct uringblk_exec_result *r)
{
	struct ubp_exec e = {
		.prog = prog,
		.lba = off / BS,
		.count = (size + BS - 1) / BS,
		.budget = budget,
		.args = { args[0], args[1], args[2] },
	};
	int ret;

	memset(self->reply, 0xa5, UBP_RES_SIZE + out_len);
	ret = ubp_exec(&self->ring, self->cfd, &e, self->reply,
		       UBP_RES_SIZE + out_len, NULL);
	memcpy(r, self->reply, sizeof(*r));
	/* cqe->res carries r0 only when it fits; range's flags do not */
	if (ret == -EOVERFLOW && r->r0 > INT32_MAX)
		ret = 0;
	return ret;
}

/*
 * Look @key up on the drive and by the host walk through the block
 * device; 0 if they agree (and a found value is btree_value(key)) and
 * the status is @want (-1: any), else 1, logged.  *units += the charge.
 */
static int lookup(struct __test_metadata *_metadata, FIXTURE_DATA(btree) *self,
		  uint64_t off, uint64_t size, uint64_t root, uint64_t key,
		  int want, uint64_t *units)
{
	struct img m = { self->img, size };
	uint64_t args[3] = { key, root, 0 };
	struct uringblk_exec_result r;
	__u64 hv = 0, v;
	int host, ret;

	host = btree_lookup_host(img_read, &m, size, root, key, &hv, NULL);
	ret = exec(self, self->lookup_id, off, size, args, 64, LOOKUP_BUDGET,
		   &r);
	memcpy(&v, self->reply + UBP_RES_SIZE, 8);
	if (units)
		*units += r.insns;
	if (ret < 0 || r.error || r.r0 != (uint64_t)host ||
	    (want >= 0 && host != want) ||
	    (host == BTREE_FOUND && (r.out_len != 8 || v != hv ||
				     v != btree_value(key))) ||
	    (host != BTREE_FOUND && r.out_len)) {
		TH_LOG("key %#llx at %#llx: exec %d, error %d (abort %u), r0 "
		       "%llu, out %llu bytes %#llx; host %d %#llx; want %d",
		       (unsigned long long)key, (unsigned long long)off, ret,
		       r.error, r.abort_code, (unsigned long long)r.r0,
		       (unsigned long long)r.out_len, (unsigned long long)v,
		       host, (unsigned long long)hv, want);
		return 1;
	}
	return 0;
}

/* As lookup(), for btree_range over [lo, hi) with room for @room values. */
static int range(struct __test_metadata *_metadata, FIXTURE_DATA(btree) *self,
		 uint64_t off, uint64_t size, uint64_t root, uint64_t lo,
		 uint64_t hi, uint64_t room, int64_t want)
{
	struct img m = { self->img, size };
	uint64_t args[3] = { lo, hi, root };
	struct uringblk_exec_result r;
	int64_t host;
	uint64_t n;
	int ret;

	host = btree_range_host(img_read, &m, size, root, lo, hi,
				(__u64 *)self->want, room);
	ret = exec(self, self->range_id, off, size, args, room * 8, 0, &r);
	n = host < 0 ? 0 : host & BTREE_RANGE_COUNT_MASK;
	if (ret < 0 || r.error || host < 0 || r.r0 != (uint64_t)host ||
	    (want >= 0 && host != want) || r.out_len != n * 8 ||
	    memcmp(self->reply + UBP_RES_SIZE, self->want, n * 8)) {
		TH_LOG("range [%#llx, %#llx) room %llu at %#llx: exec %d, error "
		       "%d (abort %u), r0 %#llx, out %llu bytes; host %#llx; "
		       "want %#llx", (unsigned long long)lo,
		       (unsigned long long)hi, (unsigned long long)room,
		       (unsigned long long)off, ret, r.error, r.abort_code,
		       (unsigned long long)r.r0, (unsigned long long)r.out_len,
		       (long long)host, (long long)want);
		return 1;
	}
	return 0;
}

static void lookups(struct __test_metadata *_metadata,
		    FIXTURE_DATA(btree) *self, const struct btree_shape *s,
		    uint64_t off, int n)
{
	uint64_t units = 0, k, bad = 0;
	int i;

	write_tree(_metadata, self, s, off);
	bad += lookup(_metadata, self, off, s->size, s->root, btree_key(s, 0),
		      BTREE_FOUND, NULL);
	bad += lookup(_metadata, self, off, s->size, s->root,
		      btree_key(s, s->nr_keys - 1), BTREE_FOUND, NULL);
	bad += lookup(_metadata, self, off, s->size, s->root, 0,
		      BTREE_NOT_FOUND, NULL);
	bad += lookup(_metadata, self, off, s->size, s->root,
		      btree_missing_key(s, s->nr_keys), BTREE_NOT_FOUND, NULL);
	bad += lookup(_metadata, self, off, s->size, s->root, ~0ULL,
		      BTREE_NOT_FOUND, NULL);
	for (i = 0; i < n && bad < 10; i++) {
		k = btree_key(s, rnd() % s->nr_keys);
		bad += lookup(_metadata, self, off, s->size, s->root, k,
			      BTREE_FOUND, &units);
		if (i % 3 == 0)
			bad += lookup(_metadata, self, off, s->size, s->root,
				      btree_missing_key(s, rnd()), BTREE_NOT_FOUND,
				      NULL);
		if (i % 3 == 1)
			bad += lookup(_metadata, self, off, s->size, s->root,
				      k + 1, BTREE_NOT_FOUND, NULL);
	}
	EXPECT_EQ(0, bad);
	/* stdout is lost when the harness's child exits: say it on stderr */
	TH_LOG("depth %u, %llu keys: %d lookups, %.1f units per found lookup",
	       s->depth, (unsigned long long)s->nr_keys, n, (double)units / n);
}

/* 2,000 present keys, 1,333 missing ones, the ends */
TEST_F_TIMEOUT(btree, lookup_depth3, 300)
{
	lookups(_metadata, self, &self->s3, OFF3, 2000);
}

TEST_F_TIMEOUT(btree, lookup_depth6, 300)
{
	lookups(_metadata, self, &self->s6, OFF6, 2000);
}

static void ranges(struct __test_metadata *_metadata,
		   FIXTURE_DATA(btree) *self, const struct btree_shape *s,
		   uint64_t off)
{
	uint64_t a, b, bad = 0, n = s->nr_keys, room = OUT_MAX / 8;
	int i;

	write_tree(_metadata, self, s, off);
	/* all keys: the output fills up */
	bad += range(_metadata, self, off, s->size, s->root, 0, ~0ULL, room,
		     room | BTREE_RANGE_MORE);
	/* empty: lo >= hi, and an interval between two keys */
	bad += range(_metadata, self, off, s->size, s->root, 9, 9, room, 0);
	bad += range(_metadata, self, off, s->size, s->root,
		     btree_missing_key(s, 77), btree_key(s, 77), room, 0);
	bad += range(_metadata, self, off, s->size, s->root,
		     btree_key(s, n - 1) + 1, ~0ULL, room, 0);
	/* the last keys, to the end of the chain */
	bad += range(_metadata, self, off, s->size, s->root,
		     btree_key(s, n - 100), ~0ULL, room, 100);
	for (i = 0; i < 200 && bad < 10; i++) {
		a = rnd() % n;
		b = a + rnd() % 500;
		if (b > n)
			b = n;
		bad += range(_metadata, self, off, s->size, s->root,
			     btree_missing_key(s, a), btree_missing_key(s, b),
			     room, b - a);
		if (b > a)	/* room for fewer than there are */
			bad += range(_metadata, self, off, s->size, s->root,
				     btree_key(s, a), btree_missing_key(s, b),
				     rnd() % (b - a), -1);
	}
	EXPECT_EQ(0, bad);
}

TEST_F_TIMEOUT(btree, range_depth3, 300)
{
	ranges(_metadata, self, &self->s3, OFF3);
}

TEST_F_TIMEOUT(btree, range_depth6, 300)
{
	ranges(_metadata, self, &self->s6, OFF6);
}

/* --- corrupt trees --------------------------------------------------------- */

/* Node at image offset noff of the tree at off: read, change, write back. */
static void node_io(struct __test_metadata *_metadata,
		    FIXTURE_DATA(btree) *self, uint64_t off, uint64_t noff,
		    struct btree_node *n, int write)
{
	struct btree_node *buf = ubt_alloc(4096);

	ASSERT_NE(NULL, buf);
	if (write) {
		memcpy(buf, n, sizeof(*n));
		ASSERT_EQ(BS, ubt_pwrite_full(self->bfd, buf, BS, off + noff));
		memcpy(self->img + noff, n, sizeof(*n));	/* the copy too */
	} else {
		ASSERT_EQ(BS, ubt_pread_full(self->bfd, buf, BS, off + noff));
		memcpy(n, buf, sizeof(*n));
	}
	munmap(buf, 4096);
}

/* The first child of the node at noff. */
static uint64_t child0(struct __test_metadata *_metadata,
		       FIXTURE_DATA(btree) *self, uint64_t off, uint64_t noff)
{
	struct btree_node n;

	node_io(_metadata, self, off, noff, &n, 0);
	return n.ptr[0];
}

enum what { PTR0, NUM, TYPE, NEXT };

struct corruption {
	const char *name;
	int level;		/* 0 = root, 1 = its child 0, 2 = leaf 0 */
	enum what field;
	uint64_t value;		/* UINT64_MAX - n: image size - n */
	int look;		/* lookup of key 0 */
	uint64_t rng;		/* flags of the range from key 0 */
};

#define SIZE_MINUS(n)	(~0ULL - (n))

static const struct corruption corruptions[] = {
	{ "child past the range", 0, PTR0, SIZE_MINUS(0), BTREE_CORRUPT, BTREE_RANGE_CORRUPT },
	{ "child ends past the range", 0, PTR0, SIZE_MINUS(256), BTREE_CORRUPT, BTREE_RANGE_CORRUPT },
	{ "child misaligned", 0, PTR0, 512 + 4, BTREE_CORRUPT, BTREE_RANGE_CORRUPT },
	{ "child is the root", 1, PTR0, 512, BTREE_CORRUPT, BTREE_RANGE_CORRUPT },
	{ "root num 0", 0, NUM, 0, BTREE_CORRUPT, BTREE_RANGE_CORRUPT },
	{ "root num 32", 0, NUM, 32, BTREE_CORRUPT, BTREE_RANGE_CORRUPT },
	{ "leaf num 31", 2, NUM, 31, BTREE_CORRUPT, BTREE_RANGE_CORRUPT },
	{ "leaf type 7", 2, TYPE, 7, BTREE_CORRUPT, BTREE_RANGE_CORRUPT },
	{ "value past the range", 2, PTR0, SIZE_MINUS(0), BTREE_CORRUPT, BTREE_RANGE_CORRUPT },
	{ "leaf chain to itself", 2, NEXT, 0, BTREE_FOUND, BTREE_RANGE_CORRUPT },
};

static void corrupt(struct __test_metadata *_metadata,
		    FIXTURE_DATA(btree) *self, const struct btree_shape *s,
		    uint64_t off)
{
	uint64_t key0 = btree_key(s, 0), noff, bad = 0;
	struct btree_node n, saved;
	size_t i;

	write_tree(_metadata, self, s, off);
	for (i = 0; i < sizeof(corruptions) / sizeof(corruptions[0]); i++) {
		const struct corruption *c = &corruptions[i];
		uint64_t v = c->value;

		noff = s->root;
		if (c->level == 1)
			noff = child0(_metadata, self, off, noff);
		/* level 2: the first leaf, whatever the depth */
		while (c->level == 2) {
			node_io(_metadata, self, off, noff, &n, 0);
			if (n.type == BTREE_LEAF)
				break;
			noff = n.ptr[0];
		}
		node_io(_metadata, self, off, noff, &saved, 0);
		n = saved;
		if (v >= SIZE_MINUS(4096))
			v = s->size - (~0ULL - v);
		switch (c->field) {
		case PTR0: n.ptr[0] = v; break;
		case NUM: n.num = v; break;
		case TYPE: n.type = v; break;
		case NEXT: n.ptr[BTREE_LEAF_NEXT] = noff; break;
		}
		node_io(_metadata, self, off, noff, &n, 1);
		if (lookup(_metadata, self, off, s->size, s->root, key0, c->look,
			   NULL) ||
		    range(_metadata, self, off, s->size, s->root, key0, ~0ULL,
			  OUT_MAX / 8, -1)) {
			TH_LOG("depth %u: %s", s->depth, c->name);
			bad++;
		}
		/* the flags the range must end with */
		{
			struct img m = { self->img, s->size };
			int64_t host = btree_range_host(img_read, &m, s->size,
							s->root, key0, ~0ULL,
							(__u64 *)self->want,
							OUT_MAX / 8);

			if (host < 0 ||
			    (host & ~(int64_t)BTREE_RANGE_COUNT_MASK) != (int64_t)c->rng) {
				TH_LOG("depth %u: %s: range r0 %#llx", s->depth,
				       c->name, (long long)host);
				bad++;
			}
		}
		node_io(_metadata, self, off, noff, &saved, 1);
	}
	EXPECT_EQ(0, bad);
}

TEST_F(btree, corrupt_depth3)
{
	corrupt(_metadata, self, &self->s3, OFF3);
}

TEST_F(btree, corrupt_depth6)
{
	corrupt(_metadata, self, &self->s6, OFF6);
}

/*
 * A granted range that ends inside the tree: what lies beyond is
 * corrupt to the programs (checked before read), never -ERANGE.
 */
TEST_F(btree, range_cut_short)
{
	const struct btree_shape *s = &self->s3;
	uint64_t cut = s->values_off, bad = 0, i;

	write_tree(_metadata, self, s, OFF3);
	/* every node inside, no value: every present key is corrupt */
	for (i = 0; i < 200; i++)
		bad += lookup(_metadata, self, OFF3, cut, s->root,
			      btree_key(s, rnd() % s->nr_keys), BTREE_CORRUPT,
			      NULL);
	bad += range(_metadata, self, OFF3, cut, s->root, 0, ~0ULL, 16,
		     BTREE_RANGE_CORRUPT);
	/* the root only */
	bad += lookup(_metadata, self, OFF3, 1024, s->root, btree_key(s, 5),
		      BTREE_CORRUPT, NULL);
	EXPECT_EQ(0, bad);
}

/* A cycle ends at the depth limit, in a budget a sound walk would need. */
TEST_F(btree, cycle_budget)
{
	const struct btree_shape *s = &self->s3;
	uint64_t args[3] = { btree_key(s, 0), s->root, 0 };
	struct uringblk_exec_result r;
	struct btree_node n, saved;

	write_tree(_metadata, self, s, OFF3);
	node_io(_metadata, self, OFF3, s->root, &saved, 0);
	n = saved;
	n.ptr[0] = s->root;	/* the root is its own first child */
	node_io(_metadata, self, OFF3, s->root, &n, 1);
	/* per level: two reads of a page each, and some 100 instructions */
	uint64_t budget = BTREE_MAX_DEPTH * (2 * (variant->page_cost + 8) + 120);

	EXPECT_LE(0, exec(self, self->lookup_id, OFF3, s->size, args, 8,
			  budget, &r));
	EXPECT_EQ(0, r.error) TH_LOG("abort %u after %llu units", r.abort_code,
				     (unsigned long long)r.insns);
	EXPECT_EQ(BTREE_CORRUPT, r.r0);
	node_io(_metadata, self, OFF3, s->root, &saved, 1);
}

TEST_HARNESS_MAIN
