// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * tpch_q1_bin, kernel-BPF twin of bpf/tpch_q1_bin.bpf.c: TPC-H Q1 over
 * lineitem's binary rows (struct tpch_row, 32 bytes, bpf/tpch.h), the
 * same output (TPCH_Q1_MAX_GROUPS struct tpch_q1_group, unused ones zero)
 * and errors: an output smaller than TPCH_Q1_OUT_LEN, or more groups than
 * slots, stop the run with -EINVAL (and so does data past 16 GiB, which
 * bpf_loop() cannot reach); r0 is 0.  A partial row at the end is
 * ignored.  Rows are read PER at a time into the scratch buffer
 * (uringblk_kf_read()), each read a turn of a bpf_loop(), its rows a
 * bounded loop, each added to the output buffer in place by bpf/tpch.h's
 * tpch_q1_add(), as the interpreted twin adds them.
 */
#include "tpch_rows.h"

/*
 * Rows a turn: 64, 2 KiB.  The kernel's verifier walks each row's search
 * of the 8 group slots; 128 rows a turn took it 266605 instructions, over
 * the 262144 the drive accepts between two reschedule points.
 */
#define PER	64
#define MAX_TURNS	(1U << 23)	/* bpf_loop()'s limit: 2^23 x 2 KiB */

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
		tpch_row_vals(rows + i, &v);
		if (tpch_q1_add(g, &v)) {
			s->full = 1;
			return 1;
		}
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
