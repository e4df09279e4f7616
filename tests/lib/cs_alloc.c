// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The SNIA layer's SLM allocator (lib/cs_alloc.c): first fit, rounding to
 * the granularity, merging with both neighbours on free, exhaustion, double
 * frees refused, and a random workload checked against a bitmap model.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cs_private.h"
#include "test.h"

#define G	4096ULL

static unsigned int nr_extents(const struct cs_alloc *a)
{
	unsigned int n = 0;

	for (const struct cs_extent *e = a->free; e; e = e->next)
		n++;
	return n;
}

static void test_basic(void)
{
	struct cs_alloc a;
	__u64 off, len, o2, l2, o3, l3;

	CHECK_EQ(cs_alloc_init(&a, 10 * G + 100, G), 0);
	CHECK_EQ(a.size, 10 * G);		/* the tail below a unit is unusable */
	CHECK_EQ(a.free_bytes, 10 * G);
	CHECK_EQ(cs_alloc_get(&a, 0, &off, &len), -EINVAL);

	/* rounding up, offsets at multiples of the granularity */
	CHECK_EQ(cs_alloc_get(&a, 1, &off, &len), 0);
	CHECK_EQ(off, 0);
	CHECK_EQ(len, G);
	CHECK_EQ(cs_alloc_get(&a, G + 1, &o2, &l2), 0);
	CHECK_EQ(o2, G);
	CHECK_EQ(l2, 2 * G);
	CHECK_EQ(cs_alloc_get(&a, G, &o3, &l3), 0);
	CHECK_EQ(o3, 3 * G);
	CHECK_EQ(a.free_bytes, 6 * G);

	/* first fit: the hole at 0 takes a one-unit request, not a bigger one */
	CHECK_EQ(cs_alloc_put(&a, off, len), 0);
	CHECK_EQ(cs_alloc_get(&a, 2 * G, &off, &len), 0);
	CHECK_EQ(off, 4 * G);
	CHECK_EQ(cs_alloc_get(&a, G, &off, &len), 0);
	CHECK_EQ(off, 0);

	/* exhaustion: 4 units left at the end, in one piece */
	CHECK_EQ(cs_alloc_largest(&a), 4 * G);
	CHECK_EQ(cs_alloc_get(&a, 4 * G + 1, &off, &len), -ENOSPC);
	CHECK_EQ(cs_alloc_get(&a, 11 * G, &off, &len), -ENOSPC);
	CHECK_EQ(cs_alloc_get(&a, 4 * G, &off, &len), 0);
	CHECK_EQ(off, 6 * G);
	CHECK_EQ(a.free_bytes, 0);
	CHECK_EQ(cs_alloc_get(&a, 1, &off, &len), -ENOSPC);
	cs_alloc_destroy(&a);
}

static void test_merge(void)
{
	struct cs_alloc a;
	__u64 off[5], len;
	int i;

	CHECK_EQ(cs_alloc_init(&a, 5 * G, G), 0);
	for (i = 0; i < 5; i++)
		CHECK_EQ(cs_alloc_get(&a, G, &off[i], &len), 0);
	CHECK(a.free == NULL);
	/* free 1 and 3: two extents; free 2: one, merged both ways */
	CHECK_EQ(cs_alloc_put(&a, off[1], G), 0);
	CHECK_EQ(cs_alloc_put(&a, off[3], G), 0);
	CHECK_EQ(nr_extents(&a), 2);
	CHECK_EQ(cs_alloc_put(&a, off[2], G), 0);
	CHECK_EQ(nr_extents(&a), 1);
	CHECK_EQ(cs_alloc_largest(&a), 3 * G);
	/* merge with the previous only, then the next only */
	CHECK_EQ(cs_alloc_put(&a, off[4], G), 0);
	CHECK_EQ(nr_extents(&a), 1);
	CHECK_EQ(cs_alloc_put(&a, off[0], G), 0);
	CHECK_EQ(nr_extents(&a), 1);
	CHECK_EQ(a.free->off, 0);
	CHECK_EQ(a.free->len, 5 * G);
	/* double frees, partial overlaps and misaligned frees are refused */
	CHECK_EQ(cs_alloc_put(&a, 0, G), -EINVAL);
	CHECK_EQ(cs_alloc_put(&a, 2 * G, 2 * G), -EINVAL);
	CHECK_EQ(cs_alloc_put(&a, 1, G), -EINVAL);
	CHECK_EQ(cs_alloc_put(&a, 4 * G, 2 * G), -EINVAL);	/* past the end */
	CHECK_EQ(a.free_bytes, 5 * G);
	cs_alloc_destroy(&a);

	/* a granularity that is not a power of two, and no SLM at all */
	CHECK_EQ(cs_alloc_init(&a, 1000, 300), 0);
	CHECK_EQ(a.size, 900);
	CHECK_EQ(cs_alloc_get(&a, 301, off, &len), 0);
	CHECK_EQ(len, 600);
	CHECK_EQ(cs_alloc_get(&a, 1, &off[1], &len), 0);
	CHECK_EQ(off[1], 600);
	cs_alloc_destroy(&a);
	CHECK_EQ(cs_alloc_init(&a, 100, 4096), 0);
	CHECK_EQ(cs_alloc_get(&a, 1, off, &len), -ENOSPC);
	cs_alloc_destroy(&a);
	CHECK_EQ(cs_alloc_init(&a, 100, 0), -EINVAL);
}

/* random allocations and frees against a unit map */
#define UNITS	64
static void test_random(void)
{
	struct { __u64 off, len; } live[UNITS];
	unsigned char used[UNITS] = { 0 };
	unsigned int nlive = 0, bad = 0, i, u;
	struct cs_alloc a;
	__u64 off, len;

	srand(12);
	CHECK_EQ(cs_alloc_init(&a, UNITS * G, G), 0);
	for (i = 0; i < 20000; i++) {
		if (nlive && (rand() & 1)) {
			unsigned int k = rand() % nlive;

			if (cs_alloc_put(&a, live[k].off, live[k].len))
				bad++;
			for (u = live[k].off / G; u < (live[k].off + live[k].len) / G; u++)
				used[u] = 0;
			live[k] = live[--nlive];
			continue;
		}
		__u64 want = 1 + rand() % (6 * G);
		int ret = cs_alloc_get(&a, want, &off, &len);
		/* first fit: the lowest run of free units that is long enough */
		unsigned int need = (want + G - 1) / G, run = 0, first = UNITS;

		for (u = 0; u < UNITS; u++) {
			run = used[u] ? 0 : run + 1;
			if (run == need) {
				first = u + 1 - need;
				break;
			}
		}
		if (first == UNITS) {
			if (ret != -ENOSPC)
				bad++;
			continue;
		}
		if (ret || off != first * G || len != need * G) {
			bad++;
			continue;
		}
		for (u = first; u < first + need; u++)
			used[u] = 1;
		live[nlive].off = off;
		live[nlive++].len = len;
	}
	CHECK_EQ(bad, 0);
	for (u = 0, len = 0; u < UNITS; u++)
		len += used[u] ? 0 : G;
	CHECK_EQ(a.free_bytes, len);
	cs_alloc_destroy(&a);
}

int main(void)
{
	test_basic();
	test_merge();
	test_random();
	return test_summary("cs_alloc");
}
