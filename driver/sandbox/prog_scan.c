// SPDX-License-Identifier: GPL-2.0
/*
 * uringblk program helpers' pattern search: count_pattern (2) and find
 * (3), whose contracts are in <linux/uringblk_prog.h>.  Patterns of 2 to
 * FILTER_MAX bytes go through an octet filter (eight positions a load),
 * the others through Knuth-Morris-Pratt; both carry their state across
 * pieces and windows, so a match may span any number of them, and both
 * charge by the data, never by the windows.  Each walks the granted data
 * with prog_helpers.c's charged walk (prog_walk.h) and keeps the charging
 * and yield rules of prog_helpers.c's opening comment.  Pure C, as the
 * rest of the VM: it builds into the module and into the native tests,
 * the fuzzer and the benchmark.
 */
#include "prog_vm.h"
#include "prog_walk.h"

/*
 * First index in [i, n) with s[index] == b, or n.  A word at a time: with
 * x = word XOR (b in every lane), (x - 0x01..) & ~x & 0x80.. is non-zero
 * iff some lane of x is zero, and its lowest flagged lane is the first
 * zero one (lanes above a zero lane may be flagged falsely).
 */
static size_t skip_to(const u8 *s, size_t i, size_t n, u8 b)
{
	const u64 ones = 0x0101010101010101ULL;
	const u64 highs = 0x8080808080808080ULL;
	u64 rep = ones * b, x, t;

	for (; i + 8 <= n; i += 8) {
		x = get_unaligned_u64(s + i) ^ rep;
		t = (x - ones) & ~x & highs;
		if (t) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			return i + (__builtin_ctzll(t) >> 3);
#else
			break;	/* lowest lane = last byte: go bytewise */
#endif
		}
	}
	while (i < n && s[i] != b)
		i++;
	return i;
}

/*
 * Knuth-Morris-Pratt for count_pattern and find: st->fail[q] is the length
 * of the longest proper prefix of pat[0, q) that is also its suffix.  The
 * matcher's state (bytes of the pattern matched so far) carries across
 * pieces and windows, so a match may span any number of them, and every
 * byte costs at most two comparisons over a call however the pattern and
 * the data are made: the budget pays for each comparison it makes.  The
 * table is kept for the next call with the same pattern (grep loops).
 */
static void kmp_prepare(struct uringblk_prog_state *st, const u8 *pat, u32 m)
{
	u64 steps = m;
	u32 q, k = 0;

	if (st->pat_len == m && !memcmp(st->pat, pat, m)) {
		st->work += (u64)m * URINGBLK_PROG_WORK_SCAN;
		return;
	}
	/* the cache the call began with is gone: made again, it rebuilds */
	st->call.pat_len = 0;
	memcpy(st->pat, pat, m);
	st->fail[0] = 0;
	st->fail[1] = 0;
	for (q = 1; q < m; q++) {
		while (k && pat[q] != st->pat[k]) {
			k = st->fail[k];
			steps++;
		}
		if (pat[q] == st->pat[k])
			k++;
		st->fail[q + 1] = k;
	}
	st->pat_len = m;
	st->work += steps * URINGBLK_PROG_WORK_STEP;
}

/*
 * kmp_feed() for a 1-byte pattern: no state, and no byte needs more than
 * its share of a word.  The zero lanes of x = word XOR (b in every lane)
 * are exactly the high bits left in ~(((x & 0x7f..) + 0x7f..) | x | 0x7f..);
 * shifted down to one bit a lane, a multiply adds the lanes up in the top
 * byte (no popcount instruction needed).
 */
static bool byte_feed(struct uringblk_prog_state *st, const u8 *s, size_t n,
		      bool first, u64 *cnt, size_t *end)
{
	const u64 ones = 0x0101010101010101ULL;
	const u64 lows = 0x7f7f7f7f7f7f7f7fULL;
	u8 b = st->pat[0];
	u64 rep = ones * b, x, c = 0;
	size_t i;

	if (first) {
		i = skip_to(s, 0, n, b);
		*end = i + (i < n);
		st->work += *end * URINGBLK_PROG_WORK_SCAN;
		return i < n;
	}
	for (i = 0; i + 8 <= n; i += 8) {
		x = get_unaligned_u64(s + i) ^ rep;
		c += ((~(((x & lows) + lows) | x | lows) >> 7) * ones) >> 56;
	}
	for (; i < n; i++)
		c += s[i] == b;
	*cnt += c;
	*end = n;
	st->work += n * URINGBLK_PROG_WORK_SCAN;
	return false;
}

/*
 * Patterns of 2 to FILTER_MAX bytes skip KMP.  The positions of the range
 * are taken eight at a time, in octets aligned to the range's start: one
 * load tells whether pat[0] is in an octet at all (the common case: no,
 * at memchr() speed); if it is, two more whether a position has the
 * pattern's first, second and last bytes (a candidate), and if one has,
 * m - 3 more which positions hold the whole pattern, without a branch a
 * position.  So an octet costs at most m loads and three data-dependent
 * branches, whatever the pattern and the data.
 *
 * The charge is by octet, the unit of that work: URINGBLK_PROG_WORK_SCAN
 * a position, OCTET_FIRST_WORK for an octet with a pat[0] and
 * OCTET_CAND_WORK plus OCTET_LOAD_WORK for each of its m - 3 more loads
 * for one with a candidate (each priced at a mispredicted
 * branch and its loads).  An octet is evaluated exactly once, inside its
 * piece when its bytes are all there, else from a carry of the bytes
 * since it began when the next piece comes, else at the end of the range
 * with the lanes past it masked; so matches span any number of pieces
 * and windows, and the charge depends on the data only, never on the
 * windows.  Longer patterns keep KMP (below): checking a candidate would
 * cost up to m loads.
 */
#define FILTER_MAX		16
/* bytes the loads of one octet cover: m + 7 */
#define FILTER_NEED		(FILTER_MAX + 7)
#define OCTET_WORK		(8 * URINGBLK_PROG_WORK_SCAN)
#define OCTET_FIRST_WORK	(4 * URINGBLK_PROG_WORK_STEP)
#define OCTET_CAND_WORK		(4 * URINGBLK_PROG_WORK_STEP)
#define OCTET_LOAD_WORK		8
#define FILTER_NONE		(~0ULL)

struct pat_filter {
	const u8 *pat;		/* st->pat */
	u32 m;
	bool first;		/* find: stop at the first match */
	u64 rep0, rep1, repl;	/* pat[0], pat[1], pat[m - 1] in every lane */
	u64 rep[FILTER_MAX];	/* pat[k] in every lane */
	u64 next;		/* range position of the first octet not done */
	u32 clen;		/* the carry: range bytes [next, next + clen) */
	u8 carry[FILTER_NEED];
	u64 count;		/* matches so far */
	u64 found;		/* find: position of the first, or FILTER_NONE */
	u32 checked;		/* find: carry positions filter_early() did */
	u64 octets, firsts, cands;	/* not charged yet */
	u64 cand_work;		/* steps per octet with a candidate */
};

static inline u64 load_le64(const u8 *p)
{
	return get_unaligned_le64(p);
}

/*
 * The high bit of every lane of @x that is zero, and no other bit: unlike
 * skip_to()'s test, exact (no lane carries into the next).
 */
static inline u64 zero_lanes(u64 x)
{
	const u64 lows = 0x7f7f7f7f7f7f7f7fULL;

	return ~(((x & lows) + lows) | x | lows);
}

/* Number of flagged lanes of a zero_lanes() mask, without popcount. */
static inline u64 zero_lanes_count(u64 z)
{
	return ((z >> 7) * 0x0101010101010101ULL) >> 56;
}

static void filter_prepare(struct pat_filter *f, const u8 *pat, u32 m,
			   bool first)
{
	const u64 ones = 0x0101010101010101ULL;

	memset(f, 0, sizeof(*f));
	f->pat = pat;
	f->m = m;
	f->first = first;
	f->found = FILTER_NONE;
	f->cand_work = OCTET_CAND_WORK + (m - min_t(u32, m, 3)) * OCTET_LOAD_WORK;
	for (u32 k = 0; k < m; k++)
		f->rep[k] = ones * pat[k];
	f->rep0 = f->rep[0];
	f->rep1 = f->rep[1];
	f->repl = f->rep[m - 1];
}

/*
 * The octets at s + i, i + 8, ... below @lim, each with its m + 7 bytes
 * inside s: octet_eval() in one loop, alone in a function so that its
 * values stay in registers and the common case (no pat[0]: one load and
 * four operations an octet) makes no call.  Returns where it stopped, at
 * or past @lim, or (find) at the octet of the first match, with its lane
 * in f->found.
 */
static noinline size_t octets_scan(struct pat_filter *f, const u8 *s,
				   size_t i, size_t lim)
{
	const u64 ones = 0x0101010101010101ULL;
	const u64 highs = 0x8080808080808080ULL;
	const u64 rep0 = f->rep0, rep1 = f->rep1, repl = f->repl;
	const size_t last = f->m - 1, from = i;
	const bool first = f->first;
	u64 x, z, firsts = 0, cands = 0, count = 0;
	size_t k;

	for (; i < lim; i += 8) {
		x = load_le64(s + i) ^ rep0;
		if (likely(!((x - ones) & ~x & highs)))
			continue;
		firsts++;
		x |= (load_le64(s + i + 1) ^ rep1) | (load_le64(s + i + last) ^ repl);
		if (likely(!zero_lanes(x)))
			continue;
		cands++;
		for (k = 2; k < last; k++)
			x |= load_le64(s + i + k) ^ f->rep[k];
		z = zero_lanes(x);
		if (!first) {
			count += zero_lanes_count(z);
		} else if (z) {
			f->found = __builtin_ctzll(z) >> 3;
			f->octets++;
			break;
		}
	}
	f->octets += (i - from) / 8;
	f->firsts += firsts;
	f->cands += cands;
	f->count += count;
	return i;
}

/*
 * The rest of octet_eval() for an octet with a pat[0] (@x: its first
 * word XOR pat[0]s).
 */
static inline u64 octet_rest(struct pat_filter *f, const u8 *s, u64 x,
			     u64 valid)
{
	const u64 ones = 0x0101010101010101ULL;
	u64 z;
	u32 k;

	f->firsts++;
	x |= (load_le64(s + 1) ^ f->rep1) | (load_le64(s + f->m - 1) ^ f->repl);
	if (likely(!(zero_lanes(x) & valid)))
		return 0;
	f->cands++;
	for (k = 2; k + 1 < f->m; k++)
		x |= load_le64(s + k) ^ (ones * f->pat[k]);
	z = zero_lanes(x) & valid;
	if (!f->first)
		f->count += zero_lanes_count(z);
	else if (z)
		f->found = __builtin_ctzll(z) >> 3;
	return z;
}

/*
 * The octet of positions s[0, 8), with m + 7 bytes at s, and @valid the
 * high bits of its lanes that are positions of the range (all but at the
 * range's end): returns its matches as a zero_lanes() mask, and counts
 * it.  (octets_scan() is the same, for whole octets, in one loop.)
 */
static u64 octet_eval(struct pat_filter *f, const u8 *s, u64 valid)
{
	u64 x = load_le64(s) ^ f->rep0;

	f->octets++;
	if (!(zero_lanes(x) & valid))
		return 0;
	return octet_rest(f, s, x, valid);
}

/* Octet at range position @pos done: false to stop (find found it). */
static inline bool octet_done(struct pat_filter *f, u64 z, u64 pos)
{
	if (!z || !f->first)
		return true;
	f->found += pos;
	return false;
}

/*
 * find, before the next map: a match in the carry whose bytes are all
 * there is reported now, so that a read fault after it (or a stop at the
 * next map) leaves find's result what a byte-at-a-time search (KMP)
 * gives: the match, found before the fault.  Such a match can only be in
 * the octet at f->next (the carry is shorter than m + 7), and it is that
 * octet's first one when every position before it was checked, so it is
 * the match octet_eval() would find, charged as that octet: it has a
 * pat[0] and a candidate.  Each position is checked once.
 */
static bool filter_early(struct pat_filter *f)
{
	u32 p;

	if (!f->first)
		return false;
	for (p = f->checked; p < 8 && p + f->m <= f->clen; p++) {
		if (f->carry[p] != f->pat[0] ||
		    memcmp(f->carry + p, f->pat, f->m))
			continue;
		f->found = f->next + p;
		f->octets++;
		f->firsts++;
		f->cands++;
		return true;
	}
	f->checked = p;
	return false;
}

/*
 * The piece s[0, n) at range position @at (f->next + f->clen: pieces
 * come in order): the octets begun in the carry, then those inside the
 * piece; what is left of the piece joins the carry.  Returns false when
 * find found its match.
 */
static bool filter_feed(struct uringblk_prog_state *st, struct pat_filter *f,
			const u8 *s, size_t n, u64 at)
{
	const u64 highs = 0x8080808080808080ULL;
	const size_t need = f->m + 7;
	u8 buf[2 * FILTER_NEED];
	size_t i, o, blen;
	bool more = true;

	if (f->clen) {
		blen = f->clen + min_t(size_t, n, sizeof(buf) - f->clen);
		memcpy(buf, f->carry, f->clen);
		memcpy(buf + f->clen, s, blen - f->clen);
		for (o = 0; o < f->clen && o + need <= blen; o += 8) {
			more = octet_done(f, octet_eval(f, buf + o, highs),
					  f->next + o);
			if (!more)
				goto charge;
		}
		if (o < f->clen) {
			/* a short piece: the carry grows (still < need) */
			memmove(f->carry, f->carry + o, f->clen - o);
			memcpy(f->carry + f->clen - o, s, n);
			f->clen += n - o;
			f->next += o;
			if (o)
				f->checked = 0;
			more = !filter_early(f);
			goto charge;
		}
		f->next += o;
		f->clen = 0;
	}
	i = f->next - at;
	if (n >= need) {
		i = octets_scan(f, s, i, n - need + 1);
		if (f->found != FILTER_NONE) {
			f->found += at + i;
			more = false;
			goto charge;
		}
	}
	f->next = at + i;
	f->clen = n - i;
	memcpy(f->carry, s + i, n - i);
	f->checked = 0;
	more = !filter_early(f);
charge:
	st->work += f->octets * OCTET_WORK + f->firsts * OCTET_FIRST_WORK +
		    f->cands * f->cand_work;
	f->octets = f->firsts = f->cands = 0;
	return more;
}

/* The range (@len bytes) is all seen: the octets left, lanes masked. */
static void filter_finish(struct uringblk_prog_state *st,
			  struct pat_filter *f, u64 len)
{
	const u64 highs = 0x8080808080808080ULL;
	u8 buf[2 * FILTER_NEED] = { 0 };
	u64 o, v, lim = len >= f->m ? len - f->m + 1 : 0;

	memcpy(buf, f->carry, f->clen);
	for (o = f->next; o < lim; o += 8) {
		v = lim - o;
		if (!octet_done(f, octet_eval(f, buf + (o - f->next),
				v >= 8 ? highs : highs & ((1ULL << (8 * v)) - 1)), o))
			break;
	}
	st->work += f->octets * OCTET_WORK + f->firsts * OCTET_FIRST_WORK +
		    f->cands * f->cand_work;
	f->octets = f->firsts = f->cands = 0;
}

/*
 * Feed s[0, n) to the KMP matcher in state *@qp (patterns of 1 byte or
 * over FILTER_MAX).  While nothing is matched the bytes are skipped a
 * word at a time to the next pat[0]; from there on, one byte and one
 * comparison at a time until nothing is matched again.  Returns true
 * (with @first only) at the first match, with *@end the index just past
 * it.
 */
static bool kmp_feed(struct uringblk_prog_state *st, const u8 *s, size_t n,
		     u32 *qp, bool first, u64 *cnt, size_t *end)
{
	const u8 *pat = st->pat;
	const u16 *fail = st->fail;
	u32 m = st->pat_len, q = *qp;
	size_t i = 0, from;
	u64 steps = 0, skipped = 0;
	bool found = false;
	u8 c;

	if (m == 1)
		return byte_feed(st, s, n, first, cnt, end);
	while (i < n) {
		if (!q) {
			from = i;
			i = skip_to(s, i, n, pat[0]);
			skipped += i - from;
			if (i == n)
				break;
			/*
			 * a candidate: each costs four steps more (the
			 * mispredicted exit below, restarting the skip)
			 */
			steps += 4;
		}
		/* one byte at a time until nothing is matched again */
		from = i;
		do {
			c = s[i++];
			while (q && pat[q] != c) {
				q = fail[q];
				steps++;
			}
			if (pat[q] == c && ++q == m) {
				q = fail[m];
				if (first) {
					found = true;
					break;
				}
				(*cnt)++;
			}
		} while (q && i < n);
		steps += i - from;
		if (found)
			break;
	}
	*qp = q;
	*end = i;
	st->work += skipped * URINGBLK_PROG_WORK_SCAN +
		    steps * URINGBLK_PROG_WORK_STEP;
	return found;
}

/*
 * Shared by count_pattern and find: scan [off, off + len) for pat.
 * Returns the count, or with @first the range offset of the first match or
 * (u64)-ENOENT.  On abort the return value is ignored.
 */
/* pattern_scan() with the filter: 2 <= m <= FILTER_MAX, table prepared. */
static u64 filter_scan(struct uringblk_prog_state *st, u64 off, u64 len,
		       u32 m, bool first)
{
	struct pat_filter f;
	const u8 *p;
	struct walk w;
	u64 n;

	filter_prepare(&f, st->pat, m, first);
	walk_start(&w, off, len);
	while ((n = walk_next(st, &w, &p))) {
		if (!filter_feed(st, &f, p, n, w.pos - off - n))
			break;
		if (!work_charge(st))
			break;
	}
	if (!st->err && f.found == FILTER_NONE) {
		filter_finish(st, &f, len);
		work_charge(st);
	}
	walk_unmap(st, &w);
	if (f.found == FILTER_NONE)
		return first ? (u64)-ENOENT : f.count;
	/* find: only the bytes up to the match's end count */
	st->bytes_scanned -= w.pos - off - (f.found + m);
	work_charge(st);
	return off + f.found;
}

u64 uringblk_prog_pattern_scan(struct uringblk_prog_state *st, u64 off, u64 len,
			       u64 pat_addr, u32 m, bool first)
{
	const u8 *pat, *p;
	struct walk w;
	u64 n, cnt = 0, ret = (u64)-ENOENT;
	bool filter = m >= 2 && m <= FILTER_MAX;
	size_t end;
	u32 q = 0;

	if (!m || m > URINGBLK_PROG_PAT_MAX)
		return helper_fail(st, -EINVAL, URINGBLK_PROG_ABORT_ARG);
	pat = uringblk_prog_mem(st, pat_addr, m, false);
	if (!pat)
		return helper_fail(st, -EFAULT, URINGBLK_PROG_ABORT_MEM);
	if (!data_range_ok(st, off, len))
		return 0;
	/* the filter needs no table, but the cache is kept as for KMP */
	kmp_prepare(st, pat, m);
	if (!work_charge(st))
		return 0;
	if (filter)
		return filter_scan(st, off, len, m, first);
	walk_start(&w, off, len);
	while ((n = walk_next(st, &w, &p))) {
		if (kmp_feed(st, p, n, &q, first, &cnt, &end)) {
			/* find: only the bytes up to the match's end count */
			st->bytes_scanned -= n - end;
			ret = w.pos - n + end - m;
			work_charge(st);
			break;
		}
		if (!work_charge(st))
			break;
	}
	walk_unmap(st, &w);
	return first ? ret : cnt;
}
