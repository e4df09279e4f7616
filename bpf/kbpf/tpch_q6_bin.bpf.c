// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * tpch_q6_bin, kernel-BPF twin of bpf/tpch_q6_bin.bpf.c: TPC-H Q6 over
 * lineitem's binary rows (struct tpch_row, 32 bytes, bpf/tpch.h), the
 * same r0 (the revenue, scale 4) and output (struct tpch_q6_out, if
 * out_len allows); a partial row at the end is ignored, and data past
 * 32 GiB, beyond bpf_loop()'s reach, stops the run with -EINVAL.  The
 * host kernel JIT-compiles it, which is what makes a per-row predicate
 * cheap: the interpreter's twin costs about 3.7 budget units a byte.
 * Rows are read a scratch buffer at a time (uringblk_kf_read()), each
 * buffer a turn of a bpf_loop(), its rows a bounded loop.
 */
#include "tpch_rows.h"

#define PER	(URINGBLK_KBPF_SCRATCH / TPCH_ROW_SIZE)	/* rows a turn */
#define MAX_TURNS	(1U << 23)	/* bpf_loop()'s limit: 2^23 x 4 KiB */

struct q6 {
	__u64 n, r;
	__s64 revenue;
};

static long batch(__u64 t __attribute__((unused)), void *arg)
{
	struct q6 *s = arg;
	const struct tpch_row *rows, *p;
	__u64 k = 0, i;

	URINGBLK_LOOP_TICK();
	rows = tpch_kf_rows(s->r, s->n, PER, &k);
	if (!rows)
		return 1;
	for (i = 0; i < k && i < PER; i++) {
		p = rows + i;
		if (tpch_q6_match(p->quantity, p->discount, p->shipdate))
			s->revenue += p->extendedprice * p->discount;
	}
	s->r += k;
	return 0;
}

SEC(URINGBLK_KBPF_SEC)
int tpch_q6_bin(struct uringblk_prog_ctx *ctx)
{
	struct q6 s = { .n = ctx->data_len / TPCH_ROW_SIZE };
	struct tpch_q6_out *out;

	bpf_loop(MAX_TURNS, batch, &s, 0);
	/* data past 32 GiB, which bpf_loop() cannot reach, is not summed */
	if (s.r < s.n)
		return uringblk_kf_abort_einval();
	if (ctx->out_len >= sizeof(*out)) {
		out = (struct tpch_q6_out *)uringblk_kf_out(sizeof(*out));
		if (out) {
			out->revenue = s.revenue;
			out->rows = s.n;
			out->bad = 0;
		}
	}
	uringblk_kf_result(s.revenue);
	return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
