// SPDX-License-Identifier: GPL-2.0
/*
 * uringblk program helpers that reduce data to numbers (the contracts are
 * in <linux/uringblk_prog.h>): sum_u32 (4), histogram (5), and the int8
 * vector scores dot_i8 and l2sq_i8 (10, 11).  Each walks the granted data
 * with prog_helpers.c's charged walk (prog_walk.h), so a word, a vector or
 * a run of bytes may span any number of windows, and keeps the charging
 * and yield rules of prog_helpers.c's opening comment.  Pure C, as the
 * rest of the VM: it builds into the module and into the native tests,
 * the fuzzer and the benchmark.
 */
#include "prog_hist.h"
#include "prog_vm.h"
#include "prog_walk.h"

/* sum_u32: the u32 words of [@off, @off + @len) summed; a word may span windows. */
u64 uringblk_prog_sum_u32(struct uringblk_prog_state *st, u64 off, u64 len)
{
	const u8 *p;
	struct walk w;
	u64 n, i, sum = 0, x;
	u8 part[4];
	u32 plen = 0;

	if (len % 4)
		return helper_fail(st, -EINVAL, URINGBLK_PROG_ABORT_ARG);
	if (!data_range_ok(st, off, len))
		return 0;
	walk_start(&w, off, len);
	while ((n = walk_next(st, &w, &p))) {
		i = 0;
		/* finish a word split by the previous piece's end */
		while (plen && plen < 4 && i < n)
			part[plen++] = p[i++];
		if (plen == 4) {
			sum += get_unaligned_le32(part);
			plen = 0;
		}
		for (; i + 8 <= n; i += 8) {
			x = get_unaligned_le64(p + i);
			sum += (u32)x + (x >> 32);
		}
		for (; i + 4 <= n; i += 4)
			sum += get_unaligned_le32(p + i);
		while (i < n)
			part[plen++] = p[i++];
		st->work += n * URINGBLK_PROG_WORK_SCAN;
		if (!work_charge(st))
			break;
	}
	walk_unmap(st, &w);
	return sum;
}

/* histogram: the count of each byte value of [@off, @off + @len), added to hist. */
u64 uringblk_prog_histogram(struct uringblk_prog_state *st, u64 off, u64 len,
			    u64 hist_addr)
{
	const u8 *p;
	struct walk w;
	u64 n, since = 0, staged = 0;
	u8 *hist;
	bool direct;

	BUILD_BUG_ON(sizeof(st->hist_stage) < HIST_DIRECT_MAX);
	hist = uringblk_prog_mem(st, hist_addr, HIST_BINS * sizeof(u64), true);
	if (!hist)
		return helper_fail(st, -EFAULT, URINGBLK_PROG_ABORT_MEM);
	if (!data_range_ok(st, off, len))
		return 0;
	/*
	 * Short ranges count one byte at a time, longer ones into the
	 * tables (prog_hist.h).  Nothing reaches hist before the last
	 * charge that may yield, so that a yield can make the call again
	 * from its start ("Yield"): short ranges are copied into st first
	 * and counted after their last map (charged as they are copied: the
	 * same units, earlier), and the final flush is charged before it is
	 * made.
	 */
	direct = len < HIST_DIRECT_MAX;
	if (!direct) {
		hist_tables_clear(st);
		if (!work_charge(st))
			return 0;
	}
	walk_start(&w, off, len);
	while ((n = walk_next(st, &w, &p))) {
		if (direct) {
			memcpy(st->hist_stage + staged, p, n);
			staged += n;
			st->work += n * URINGBLK_PROG_WORK_STEP;
			if (!work_charge(st))
				break;
			continue;
		}
		hist_feed(st, hist, p, n, &since);
		if (!work_charge(st))
			break;
	}
	walk_unmap(st, &w);
	if (st->err == URINGBLK_PROG_YIELDED)
		return 0;	/* counted when the call is made again */
	/* on abort too: the bytes counted so far are real work */
	if (direct) {
		hist_count_direct(st, hist, st->hist_stage, staged);
	} else {
		st->work += HIST_TABLE_WORK;
		work_charge(st);
		if (st->err != URINGBLK_PROG_YIELDED)
			hist_flush(st, hist);
	}
	return 0;
}

/*
 * Int8 vectors (dot_i8, l2sq_i8).  One partial sum over m bytes of a
 * vector against the query bytes lined up with them: four accumulators
 * keep the multiplies independent (the module has no SIMD).  s32 cannot
 * overflow: the uAPI bounds dim, and so the sums.
 */
static s32 dot_part(const s8 *q, const s8 *x, u32 m)
{
	s32 a0 = 0, a1 = 0, a2 = 0, a3 = 0;
	u32 i = 0;

	for (; i + 4 <= m; i += 4) {
		a0 += q[i] * x[i];
		a1 += q[i + 1] * x[i + 1];
		a2 += q[i + 2] * x[i + 2];
		a3 += q[i + 3] * x[i + 3];
	}
	for (; i < m; i++)
		a0 += q[i] * x[i];
	return a0 + a1 + a2 + a3;
}

static s32 l2sq_part(const s8 *q, const s8 *x, u32 m)
{
	s32 a0 = 0, a1 = 0, a2 = 0, a3 = 0, d0, d1, d2, d3;
	u32 i = 0;

	for (; i + 4 <= m; i += 4) {
		d0 = q[i] - x[i];
		d1 = q[i + 1] - x[i + 1];
		d2 = q[i + 2] - x[i + 2];
		d3 = q[i + 3] - x[i + 3];
		a0 += d0 * d0;
		a1 += d1 * d1;
		a2 += d2 * d2;
		a3 += d3 * d3;
	}
	for (; i < m; i++) {
		d0 = q[i] - x[i];
		a0 += d0 * d0;
	}
	return a0 + a1 + a2 + a3;
}

/* [a, a + alen) and [b, b + blen) share a byte?  Lengths > 0. */
static bool spans_overlap(u64 a, u64 alen, u64 b, u64 blen)
{
	return a < b + blen && b < a + alen;
}

/*
 * dst[i] = score of vector i for i < n.  The vectors are walked piece by
 * piece (a vector may straddle pieces and windows: its partial sum and
 * position carry over), and dst[i] is stored as each vector completes.
 * A call made again after a yield stores the same values again: the
 * query must not overlap dst, and under EXECUTE (where the data are the
 * mem window, so dst may alias them) dst must not overlap the vectors.
 */
u64 uringblk_prog_vec_i8(struct uringblk_prog_state *st, u64 off,
			 u64 q_addr, u32 dim, u32 n, u64 dst_addr, bool l2)
{
	const u8 *p;
	const s8 *q;
	u8 *dst;
	struct walk w;
	u64 len, got, i = 0;
	u32 j = 0, m;
	s32 acc = 0;

	if (!dim || dim > URINGBLK_PROG_VEC_DIM_MAX ||
	    n > URINGBLK_PROG_VEC_N_MAX || dst_addr % 4)
		return helper_fail(st, -EINVAL, URINGBLK_PROG_ABORT_ARG);
	q = uringblk_prog_mem(st, q_addr, dim, false);
	dst = uringblk_prog_mem(st, dst_addr, (u64)n * 4, true);
	if (!q || !dst)
		return helper_fail(st, -EFAULT, URINGBLK_PROG_ABORT_MEM);
	len = (u64)n * dim;
	if (!data_range_ok(st, off, len) || !n)
		return 0;
	if (spans_overlap(q_addr, dim, dst_addr, (u64)n * 4) ||
	    (st->ctx.mem && dst_addr - URINGBLK_PROG_MEM_ADDR < st->mem_len &&
	     spans_overlap(dst_addr - URINGBLK_PROG_MEM_ADDR, (u64)n * 4,
			   off, len)))
		return helper_fail(st, -EINVAL, URINGBLK_PROG_ABORT_ARG);
	walk_start(&w, off, len);
	while ((got = walk_next(st, &w, &p))) {
		u64 k = 0;

		while (k < got) {
			m = min_t(u64, dim - j, got - k);
			acc += l2 ? l2sq_part(q + j, (const s8 *)p + k, m) :
				    dot_part(q + j, (const s8 *)p + k, m);
			j += m;
			k += m;
			if (j == dim) {
				put_unaligned_u32((u32)acc, dst + 4 * i);
				i++;
				acc = 0;
				j = 0;
				st->work += URINGBLK_PROG_WORK_VEC_STORE;
			}
		}
		st->work += got * URINGBLK_PROG_WORK_VEC;
		if (!work_charge(st))
			break;
	}
	walk_unmap(st, &w);
	return n;
}
