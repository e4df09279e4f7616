// SPDX-License-Identifier: GPL-2.0
/*
 * uringblk program helpers (the contracts are in prog_abi.h).
 *
 * Generic logic on top of the embedder's ops: device data arrives in
 * windows of whatever size ops->map returns (a page, a 64 KiB bounce
 * buffer, a single byte in the tests), so every scan carries its state
 * across window boundaries; a pattern match may span any number of them.
 * Bulk work is charged to the budget per window, after the window is
 * scanned, at 1 unit per 64 bytes counted over the whole call, so the
 * charge does not depend on the window size; windows are at most
 * URINGBLK_PROG_WINDOW_MAX bytes, which bounds the overshoot past the
 * budget and the time between reschedule points.
 *
 * Pointer arguments go through uringblk_prog_mem(), the same region check
 * the interpreter applies to loads and stores.  Helper scratch (pattern
 * copy, carry bytes, histogram counters) lives in the run state, not on
 * the stack.
 */
#include "prog_vm.h"

/* Run support shared with the interpreter. */

void uringblk_prog_abort(struct uringblk_prog_state *st, int err, u32 code)
{
	if (!st->err) {
		st->err = err;
		st->abort_code = code;
	}
}

/**
 * uringblk_prog_refill() - the slow half of budget accounting
 * @st:		the run; st->ticks went negative
 *  Moves the
 * next slice of the budget into ticks and gives the embedder its
 * reschedule point.
 *
 * Return: false (run aborted) when the budget is gone or the embedder
 * wants the run stopped.
 */
bool uringblk_prog_refill(struct uringblk_prog_state *st)
{
	const struct uringblk_prog_env *env = st->env;
	u64 over = -st->ticks;
	u64 slice;
	int err;

	if (over > st->reserve) {
		uringblk_prog_abort(st, -ETIME, URINGBLK_PROG_ABORT_BUDGET);
		return false;
	}
	st->reserve -= over;
	st->ticks = 0;
	if (env->ops && env->ops->resched) {
		err = env->ops->resched(env->priv);
		if (err) {
			uringblk_prog_abort(st, err < 0 ? err : -EINTR,
					    URINGBLK_PROG_ABORT_STOPPED);
			return false;
		}
	}
	slice = env->resched_every ? env->resched_every :
				     URINGBLK_PROG_RESCHED_DEFAULT;
	slice = min_t(u64, slice, st->reserve);
	st->reserve -= slice;
	st->ticks = slice;
	return true;
}

/**
 * uringblk_prog_charge() - charge budget units, e.g. for bulk helper work
 * @st:		the run
 * @units:	units to charge
 *
 * Return: false if the run was aborted (budget, or embedder stop).
 */
bool uringblk_prog_charge(struct uringblk_prog_state *st, u64 units)
{
	/* keeps ticks from wrapping; such a charge fails anyway */
	if (units > (1ULL << 62))
		units = 1ULL << 62;
	st->ticks -= (s64)units;
	if (likely(st->ticks >= 0))
		return true;
	return uringblk_prog_refill(st);
}

/**
 * uringblk_prog_mem() - translate a program address range to kernel memory
 * @st:		the run
 * @addr:	program address
 * @len:	bytes (0 is treated as 1: the address itself must be valid)
 * @write:	the caller writes (the ctx region is read-only)
 *
 * Used by helpers for their pointer arguments; the interpreter inlines the
 * same check.  The whole range must lie in one region.
 *
 * Return: kernel pointer, or NULL if the range is not accessible.
 */
void *uringblk_prog_mem(struct uringblk_prog_state *st, u64 addr, u64 len,
			bool write)
{
	u64 lo = URINGBLK_PROG_STACK_TOP -
		 (u64)(st->depth + 1) * URINGBLK_PROG_STACK_SIZE;
	u64 off;

	if (!len)
		len = 1;
	off = addr - lo;
	if (off < URINGBLK_PROG_STACK_TOP - lo &&
	    len <= URINGBLK_PROG_STACK_TOP - lo - off)
		return st->stack + (addr - URINGBLK_PROG_STACK_BASE);
	off = addr - URINGBLK_PROG_OUT_ADDR;
	if (off < st->out_len && len <= st->out_len - off) {
		if (write && off + len > st->out_wm)
			st->out_wm = off + len;
		return st->out + off;
	}
	off = addr - URINGBLK_PROG_CTX_ADDR;
	if (!write && off < sizeof(st->ctx) && len <= sizeof(st->ctx) - off)
		return (u8 *)&st->ctx + off;
	return NULL;
}

#define HIST_FLUSH_BYTES	(1ULL << 30)	/* keeps u32 counters exact */

static u64 helper_fail(struct uringblk_prog_state *st, int err, u32 code)
{
	uringblk_prog_abort(st, err, code);
	return 0;
}

/* [off, off + len) inside the granted range?  Overflow-safe. */
static bool data_range_ok(struct uringblk_prog_state *st, u64 off, u64 len)
{
	u64 data_len = st->ctx.data_len;

	if (off > data_len || len > data_len - off) {
		uringblk_prog_abort(st, -ERANGE, URINGBLK_PROG_ABORT_RANGE);
		return false;
	}
	return true;
}

/*
 * Map the next window of [off, off + left), at most URINGBLK_PROG_WINDOW_MAX
 * bytes so that budget checks and reschedule points come at least that
 * often.  Returns the window length (1..left), or 0 if the run aborted.
 */
static u64 win_get(struct uringblk_prog_state *st, u64 off, u64 left,
		   const u8 **win)
{
	const struct uringblk_prog_env *env = st->env;
	const void *w = NULL;
	long n;

	if (!env->ops || !env->ops->map) {
		uringblk_prog_abort(st, -EIO, URINGBLK_PROG_ABORT_IO);
		return 0;
	}
	left = min_t(u64, left, URINGBLK_PROG_WINDOW_MAX);
	n = env->ops->map(env->priv, off, left, &w);
	if (n <= 0 || (u64)n > left || !w) {
		/* a window of 0 bytes or past the request is an embedder bug */
		uringblk_prog_abort(st, n < 0 ? (int)n : -EIO,
				    URINGBLK_PROG_ABORT_IO);
		return 0;
	}
	*win = w;
	return n;
}

/*
 * Release a window of which @used bytes were examined, and account them:
 * @done bytes of this helper call came before, so charging the difference
 * of (done + used) / 64 and done / 64 makes the total charge of a call
 * independent of how the embedder cut the windows.  Returns false if the
 * run aborted (budget, or the embedder stopped it).
 */
static bool win_put(struct uringblk_prog_state *st, const u8 *win, u64 done,
		    u64 used)
{
	const struct uringblk_prog_env *env = st->env;

	if (env->ops->unmap)
		env->ops->unmap(env->priv, win);
	st->bytes_scanned += used;
	return uringblk_prog_charge(st, (done + used) / 64 - done / 64);
}

static u64 helper_read(struct uringblk_prog_state *st, u64 off, u64 dst_addr,
		       u32 len)
{
	const u8 *win;
	u64 done, n;
	u8 *dst;

	if (!len) {
		data_range_ok(st, off, 0);	/* off itself must be in range */
		return 0;
	}
	dst = uringblk_prog_mem(st, dst_addr, len, true);
	if (!dst)
		return helper_fail(st, -EFAULT, URINGBLK_PROG_ABORT_MEM);
	if (!data_range_ok(st, off, len))
		return 0;
	for (done = 0; done < len; done += n) {
		n = win_get(st, off + done, len - done, &win);
		if (!n)
			return 0;
		memcpy(dst + done, win, n);
		if (!win_put(st, win, done, n))
			return 0;
	}
	return 0;
}

static u64 helper_emit(struct uringblk_prog_state *st, u64 src_addr, u32 len)
{
	const u8 *src;

	if (!len)
		return 0;
	if (len > st->out_len - st->out_cursor)
		return (u64)-ENOSPC;
	src = uringblk_prog_mem(st, src_addr, len, false);
	if (!src)
		return helper_fail(st, -EFAULT, URINGBLK_PROG_ABORT_MEM);
	if (!uringblk_prog_charge(st, len / 64))
		return 0;
	/* src may be the output buffer itself */
	memmove(st->out + st->out_cursor, src, len);
	st->out_cursor += len;
	return len;
}

/* pat[1, m) == s[1, m)?  Patterns are short: a plain loop beats a call. */
static bool tail_eq(const u8 *s, const u8 *pat, u32 m)
{
	u32 j;

	for (j = 1; j < m; j++)
		if (s[j] != pat[j])
			return false;
	return true;
}

/*
 * Matches of pat (m bytes) lying wholly in s[0, n).  With @first, stop at
 * the first and return its index (n if none); else add them all to *cnt
 * and return n.
 *
 * Candidates for the first byte are found a word at a time: with x = word
 * XOR (first byte in every lane), (x - 0x01..) & ~x & 0x80.. has the high
 * bit set in every lane of x that is zero (and possibly in lanes above a
 * zero one, which the byte compare below weeds out), so the scan walks
 * candidate lanes instead of bytes.
 */
static size_t match_in(const u8 *s, size_t n, const u8 *pat, u32 m,
		       bool first, u64 *cnt)
{
	const u64 ones = 0x0101010101010101ULL;
	const u64 highs = 0x8080808080808080ULL;
	u64 rep = ones * pat[0], x, t;
	size_t i = 0, j, starts;

	if (n < m)
		return n;
	starts = n - m + 1;	/* candidate starts: [0, starts) */
	for (; i + 8 <= starts; i += 8) {
		x = get_unaligned_u64(s + i) ^ rep;
		t = (x - ones) & ~x & highs;
		while (t) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			j = i + (__builtin_ctzll(t) >> 3);
			t &= t - 1;
#else
			j = i + (__builtin_clzll(t) >> 3);
			t &= ~(0x8000000000000000ULL >> (__builtin_clzll(t)));
#endif
			if (s[j] != pat[0] || !tail_eq(s + j, pat, m))
				continue;
			if (first)
				return j;
			(*cnt)++;
		}
	}
	for (; i < starts; i++) {
		if (s[i] != pat[0] || !tail_eq(s + i, pat, m))
			continue;
		if (first)
			return i;
		(*cnt)++;
	}
	return n;
}

/*
 * Shared by count_pattern and find: scan [off, off + len) for pat.  Each
 * match is found in the window holding its last byte; matches that begin
 * in earlier windows are found in st->carry, which holds the m - 1 bytes
 * before the current window followed by (at most) the window's first
 * m - 1 bytes.  Returns the count, or with @first the range offset of the
 * first match or (u64)-ENOENT.  On abort the return value is ignored.
 */
static u64 pattern_scan(struct uringblk_prog_state *st, u64 off, u64 len,
			u64 pat_addr, u32 m, bool first)
{
	const u8 *pat_src, *win;
	u8 *carry = st->carry, *pat = st->pat;
	u64 done, n, cnt = 0, k, i, clen = 0, total, keep;

	if (!m || m > URINGBLK_PROG_PAT_MAX)
		return helper_fail(st, -EINVAL, URINGBLK_PROG_ABORT_ARG);
	pat_src = uringblk_prog_mem(st, pat_addr, m, false);
	if (!pat_src)
		return helper_fail(st, -EFAULT, URINGBLK_PROG_ABORT_MEM);
	if (!data_range_ok(st, off, len))
		return 0;
	memcpy(pat, pat_src, m);

	for (done = 0; done < len; done += n) {
		n = win_get(st, off + done, len - done, &win);
		if (!n)
			return 0;
		/* matches ending in this window that began in earlier ones */
		k = min_t(u64, n, m - 1);
		memcpy(carry + clen, win, k);
		for (i = 0; i < clen; i++) {
			if (i + m > clen + k)
				break;
			if (!memcmp(carry + i, pat, m)) {
				if (first)
					goto found_in_carry;
				cnt++;
			}
		}
		/* matches wholly inside this window */
		i = match_in(win, n, pat, m, first, &cnt);
		if (first && i < n)
			goto found_in_window;
		/* keep the last m - 1 bytes seen for the next window */
		if (n >= m - 1) {
			memcpy(carry, win + n - (m - 1), m - 1);
			clen = m - 1;
		} else {
			total = clen + n;	/* window already appended */
			keep = min_t(u64, total, m - 1);
			memmove(carry, carry + total - keep, keep);
			clen = keep;
		}
		if (!win_put(st, win, done, n))
			return 0;
	}
	return first ? (u64)-ENOENT : cnt;

	/* find: account only the bytes up to the end of the match */
found_in_carry:
	win_put(st, win, done, i + m - clen);
	return off + done - clen + i;
found_in_window:
	win_put(st, win, done, i + m);
	return off + done + i;
}

static u64 helper_sum_u32(struct uringblk_prog_state *st, u64 off, u64 len)
{
	const u8 *win;
	u64 done, n, i, sum = 0, w;
	u8 part[4];
	u32 plen = 0;

	if (len % 4)
		return helper_fail(st, -EINVAL, URINGBLK_PROG_ABORT_ARG);
	if (!data_range_ok(st, off, len))
		return 0;
	for (done = 0; done < len; done += n) {
		n = win_get(st, off + done, len - done, &win);
		if (!n)
			return 0;
		i = 0;
		/* finish a word split by the previous window boundary */
		while (plen && plen < 4 && i < n)
			part[plen++] = win[i++];
		if (plen == 4) {
			sum += get_unaligned_le32(part);
			plen = 0;
		}
		for (; i + 8 <= n; i += 8) {
			w = cpu_to_le64(get_unaligned_u64(win + i));
			sum += (u32)w + (w >> 32);
		}
		for (; i + 4 <= n; i += 4)
			sum += get_unaligned_le32(win + i);
		while (i < n)
			part[plen++] = win[i++];
		if (!win_put(st, win, done, n))
			return 0;
	}
	return sum;
}

static void hist_flush(struct uringblk_prog_state *st, u8 *hist)
{
	u32 b;

	for (b = 0; b < 256; b++) {
		u64 v = get_unaligned_u64(hist + 8 * b);

		v += (u64)st->hist[0][b] + st->hist[1][b] +
		     st->hist[2][b] + st->hist[3][b];
		put_unaligned_u64(v, hist + 8 * b);
	}
	memset(st->hist, 0, sizeof(st->hist));
}

static u64 helper_histogram(struct uringblk_prog_state *st, u64 off, u64 len,
			    u64 hist_addr)
{
	const u8 *win;
	u64 done, n, i, since = 0;
	u8 *hist;

	hist = uringblk_prog_mem(st, hist_addr, 256 * sizeof(u64), true);
	if (!hist)
		return helper_fail(st, -EFAULT, URINGBLK_PROG_ABORT_MEM);
	if (!data_range_ok(st, off, len))
		return 0;
	/*
	 * Four sets of counters break the store-to-load dependency a run
	 * of equal bytes would create on a single counter.
	 */
	memset(st->hist, 0, sizeof(st->hist));
	for (done = 0; done < len; done += n) {
		n = win_get(st, off + done, len - done, &win);
		if (!n)
			break;
		for (i = 0; i + 4 <= n; i += 4) {
			st->hist[0][win[i]]++;
			st->hist[1][win[i + 1]]++;
			st->hist[2][win[i + 2]]++;
			st->hist[3][win[i + 3]]++;
		}
		for (; i < n; i++)
			st->hist[0][win[i]]++;
		if (!win_put(st, win, done, n))
			break;
		since += n;
		if (since >= HIST_FLUSH_BYTES) {
			hist_flush(st, hist);
			since = 0;
		}
	}
	/* on abort too: the windows counted so far are real work */
	hist_flush(st, hist);
	return 0;
}

/**
 * uringblk_prog_call_helper() - run helper @id for the interpreter
 * @st:		the run; st->pc, st->ticks, st->depth and st->out_wm are
 *		current
 * @id:		helper id, validated to be 1..URINGBLK_HELPER_MAX
 * @r1:		first argument
 * @r2:		second argument
 * @r3:		third argument
 * @r4:		fourth argument
 * @r5:		fifth argument (no helper uses it yet)
 *
 * Aborts by setting st->err (uringblk_prog_abort()).
 *
 * Return: the value for r0.
 */
u64 uringblk_prog_call_helper(struct uringblk_prog_state *st, u32 id,
			      u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	(void)r5;
	switch (id) {
	case URINGBLK_HELPER_READ:
		return helper_read(st, r1, r2, (u32)r3);
	case URINGBLK_HELPER_EMIT:
		return helper_emit(st, r1, (u32)r2);
	case URINGBLK_HELPER_COUNT_PATTERN:
		return pattern_scan(st, r1, r2, r3, (u32)r4, false);
	case URINGBLK_HELPER_SUM_U32:
		return helper_sum_u32(st, r1, r2);
	case URINGBLK_HELPER_HISTOGRAM:
		return helper_histogram(st, r1, r2, r3);
	case URINGBLK_HELPER_FIND:
		return pattern_scan(st, r1, r2, r3, (u32)r4, true);
	}
	/* unreachable for validated programs */
	return helper_fail(st, -EINVAL, URINGBLK_PROG_ABORT_ARG);
}
