// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * tpch_q1_bin, kernel-BPF twin of bpf/tpch_q1_bin.bpf.c: TPC-H Q1 over
 * lineitem's binary rows (struct tpch_row, 32 bytes, bpf/tpch.h), the
 * same output (TPCH_Q1_MAX_GROUPS struct tpch_q1_group, unused ones zero)
 * and errors: an output smaller than TPCH_Q1_OUT_LEN, or more groups than
 * slots, stop the run with -EINVAL (and so does data past 8 GiB, which
 * bpf_loop() cannot reach); r0 is 0.  A partial row at the end is
 * ignored.  Rows are read PER at a time into the scratch buffer
 * (uringblk_kf_read()), each read a turn of a bpf_loop(), its rows a
 * bounded loop, each added to the output buffer in place: its group slot
 * found by q1_slot(), its sums by bpf/tpch.h's tpch_q1_sum(), as the
 * interpreted twin's tpch_q1_add() finds and adds them.
 */
#include "tpch_rows.h"

/*
 * Rows a turn: 32, 1 KiB.  The kernel's verifier walks every row of a
 * turn, so its count grows with PER, and Linux 6.12 (6.7 on) walks the
 * callback about five times where 6.1 walks it once.  With
 * tpch_q1_add()'s search (a branch a slot, each leading to its own copy
 * of the sums in the walk) 64 rows took 126225 instructions on 6.1 and
 * 578644 on 6.12, over the 262144 the drive accepts between two
 * reschedule points (kbpf_max_verified); q1_slot() cuts that to 63493 and
 * 333554, and 32 rows a turn take 29765 and 163314.  Fewer rows cost
 * budget: a turn is about 35 units and half a unit a row, and
 * uringblk-tpch gives these programs 1/16 of a unit a byte (16 rows a
 * turn: 1/12, over it).
 */
#define PER	32
#define MAX_TURNS	(1U << 23)	/* bpf_loop()'s limit: 2^23 x 1 KiB */

/* Keep clang from turning the arithmetic on @x back into branches. */
#define Q1_OPAQUE(x)	asm volatile("" : "+r"(x))

/*
 * The slot of @key in g[0..TPCH_Q1_MAX_GROUPS): the first that holds it
 * or is free, as tpch_q1_add() searches, or TPCH_Q1_MAX_GROUPS if none.
 * Without a branch, so that the verifier walks the sums after it once a
 * row, not once a slot.
 */
static __always_inline __u64 q1_slot(const struct tpch_q1_group *g, __s64 key)
{
	__u64 slot = TPCH_Q1_MAX_GROUPS, m;
	int j;

	for (j = TPCH_Q1_MAX_GROUPS - 1; j >= 0; j--) {
		__u64 d = (__u64)(g[j].key ^ key), e = (__u64)g[j].key;
		/* x | -x has its top bit set iff x != 0: hit iff d or e is 0 */
		__u64 hit = (((d | -d) & (e | -e)) >> 63) ^ 1;

		Q1_OPAQUE(hit);
		m = -hit;
		slot = (slot & ~m) | ((__u64)j & m);
	}
	return slot;
}

struct q1 {
	__u64 n, r;
	int full;	/* a row found no free group slot */
};

static long batch(__u64 t __attribute__((unused)), void *arg)
{
	struct q1 *s = arg;
	struct tpch_q1_group *g;
	const struct tpch_row *rows;
	struct tpch_vals v;
	__u64 k = 0, i;

	URINGBLK_LOOP_TICK();
	g = (struct tpch_q1_group *)uringblk_kf_out(TPCH_Q1_OUT_LEN);
	rows = tpch_kf_rows(s->r, s->n, PER, &k);
	if (!g || !rows)
		return 1;
	for (i = 0; i < k && i < PER; i++) {
		__s64 key;
		__u64 slot;

		tpch_row_vals(rows + i, &v);
		if (v.ship > TPCH_Q1_DATE_LE)
			continue;
		key = v.rf | v.ls << 8;
		slot = q1_slot(g, key);
		if (slot >= TPCH_Q1_MAX_GROUPS) {
			s->full = 1;
			return 1;
		}
		tpch_q1_sum(g + slot, &v, key);
	}
	s->r += k;
	return 0;
}

SEC(URINGBLK_KBPF_SEC)
int tpch_q1_bin(struct uringblk_prog_ctx *ctx)
{
	struct q1 s = { .n = ctx->data_len / TPCH_ROW_SIZE };
	struct tpch_q1_group *g;

	g = (struct tpch_q1_group *)uringblk_kf_out(TPCH_Q1_OUT_LEN);
	if (!g)
		return uringblk_kf_abort_einval();
	tpch_q1_clear(g);
	bpf_loop(MAX_TURNS, batch, &s, 0);
	/*
	 * rows left: a slot short, or more data than MAX_TURNS turns read
	 * (a run stopped for another reason keeps its own error)
	 */
	if (s.full || s.r < s.n)
		return uringblk_kf_abort_einval();
	uringblk_kf_result(0);
	return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
