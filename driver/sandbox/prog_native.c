// SPDX-License-Identifier: GPL-2.0
/*
 * uringblk device-defined programs: count_pattern, grep, checksum,
 * histogram and sum_records of bpf/ as native C (the contract, and why a
 * yield restarts a run, are in prog_native.h).
 *
 * Each program reads the range the way its twin's helpers do, window by
 * window through env->ops->map, and asks only for bytes the twin reads,
 * so the read policy, faults and zones stop it where they stop the twin.
 * The twin's bytecode loops become word-at-a-time scans, table-driven
 * CRCs and direct field loads.  Work is added to st->work in the
 * helpers' steps and charged after every piece of at most
 * URINGBLK_PROG_PIECE bytes (work_charge()), with the VM's own budget and
 * reschedule accounting (uringblk_prog_charge()).
 */
#include "prog_hist.h"
#include "prog_native.h"
#include "prog_walk.h"	/* work_charge() */

/* The twins' constants (bpf/<name>.bpf.c). */
#define PAT_MAX		16		/* count_pattern, grep: args[0..1] */
#define GREP_MORE	(1ULL << 63)
#define CK_SUM32	0
#define CK_CRC32	1
#define CK_CRC32C	2
#define REC_MAX		65536
#define REC_BATCH	256		/* sum_records reads smaller records whole */

/* histogram: counting the bins above zero at the end */
#define HIST_BINS_WORK		(HIST_BINS * 1)

static const u64 ones = 0x0101010101010101ULL;
static const u64 lows = 0x7f7f7f7f7f7f7f7fULL;

static inline u64 load_le64(const u8 *p)
{
	return get_unaligned_le64(p);
}

/*
 * The high bit of every lane of @x that is zero, and no other bit: unlike
 * (x - 0x01..) & ~x & 0x80.., exact (no lane carries into the next), so
 * every flagged lane is a real candidate.
 */
static inline u64 zero_lanes(u64 x)
{
	return ~(((x & lows) + lows) | x | lows);
}

/* Number of flagged lanes of a zero_lanes() mask, without popcount. */
static inline u64 lanes(u64 z)
{
	return ((z >> 7) * ones) >> 56;
}

/* ---- run support: start, charge, windows, end ---- */

static void nat_start(struct uringblk_prog_state *st,
		      const struct uringblk_prog_env *env)
{
	uringblk_prog_run_start(st, NULL, env);
	/* the run is one helper call from its entry: work_charge() charges it */
	st->work = URINGBLK_PROG_WORK_CALL;
}

static void nat_fail(struct uringblk_prog_state *st, int err, u32 code)
{
	uringblk_prog_abort(st, err, code);
}

/* A mapped window: data bytes [off, end) at p. */
struct nwin {
	const u8 *p;
	u64 off;
	u64 end;
};

static void nat_unmap(struct uringblk_prog_state *st, struct nwin *w)
{
	const struct uringblk_prog_env *env = st->env;

	if (w->p && env->ops->unmap)
		env->ops->unmap(env->priv, w->p);
	w->p = NULL;
}

/*
 * Map the data bytes from @off, @len of them wanted (a window may be
 * shorter), releasing the previous window, after charging the map call.
 * False when the run aborted or yields: -EWOULDBLOCK from map means the
 * bytes need a sleep, and a native run yields by giving up (prog_native.h).
 */
static bool nat_map(struct uringblk_prog_state *st, struct nwin *w, u64 off,
		    u64 len)
{
	const struct uringblk_prog_env *env = st->env;
	const void *win = NULL;
	long got;

	nat_unmap(st, w);
	if (!env->ops || !env->ops->map) {
		nat_fail(st, -EIO, URINGBLK_PROG_ABORT_IO);
		return false;
	}
	st->work += (u64)st->map_cost * URINGBLK_PROG_MAX_WORK_PER_UNIT;
	if (!work_charge(st))
		return false;
	len = min_t(u64, len, URINGBLK_PROG_WINDOW_MAX);
	got = env->ops->map(env->priv, off, len, &win);
	if (unlikely(got == -EWOULDBLOCK)) {
		st->err = URINGBLK_PROG_YIELDED;
		return false;
	}
	if (got <= 0 || (u64)got > len || !win) {
		/* 0 bytes or past the request: an embedder bug */
		nat_fail(st, got < 0 ? (int)got : -EIO, URINGBLK_PROG_ABORT_IO);
		return false;
	}
	w->p = win;
	w->off = off;
	w->end = off + got;
	return true;
}

static int nat_end(struct uringblk_prog_state *st, struct nwin *w, u64 ret,
		   struct uringblk_prog_result *res)
{
	if (w)
		nat_unmap(st, w);
	/* the work since the last charge, aborted or not */
	work_charge(st);
	if (st->err == URINGBLK_PROG_YIELDED)
		return URINGBLK_PROG_YIELDED;
	uringblk_prog_fill_result(st, ret, res);
	return st->err;
}

/*
 * The twins' uringblk_abort_einval(): a bad ctx->args.  Checked before
 * anything is charged: a twin reaches that call through forward jumps
 * only, never a charge point, so whatever the budget it stops with
 * -EINVAL, not -ETIME.  The entry is booked all the same.
 */
static int nat_einval(struct uringblk_prog_state *st,
		      struct uringblk_prog_result *res)
{
	nat_fail(st, -EINVAL, URINGBLK_PROG_ABORT_ARG);
	return nat_end(st, NULL, 0, res);
}

/* ---- count_pattern and grep ---- */

/*
 * A pattern of 1..16 bytes.  A position is a candidate when its first,
 * second and last bytes match (one exact zero-lane test over three
 * loads covers eight positions); a candidate is a match when the rest
 * matches too, two overlapping loads for any length from 4 (patterns of
 * 2 or 3 bytes are all candidate).  So every position costs O(1) whatever
 * the data, and a candidate begins with the pattern's first byte: a byte
 * the helpers' KMP handles one at a time too (the charge, prog_native.h).
 */
struct npat {
	u8 b[PAT_MAX];
	u32 m;
	u64 rep0, rep1, repl;	/* b[0], b[1], b[m - 1] in every lane */
	u64 head, tail;		/* b[0, 8) and b[m - 8, m) if m >= 8 */
	u32 head4, tail4;	/* b[0, 4) and b[m - 4, m) if 4 <= m < 8 */
};

static void npat_init(struct npat *p, const void *src, u32 m)
{
	memset(p->b, 0, sizeof(p->b));
	memcpy(p->b, src, m);
	p->m = m;
	p->rep0 = ones * p->b[0];
	p->rep1 = ones * p->b[m > 1];
	p->repl = ones * p->b[m - 1];
	p->head = get_unaligned_u64(p->b);
	p->tail = m >= 8 ? get_unaligned_u64(p->b + m - 8) : 0;
	p->head4 = get_unaligned_u32(p->b);
	p->tail4 = m >= 4 ? get_unaligned_u32(p->b + m - 4) : 0;
}

/* s[0, m) == pattern, for a candidate (first, second, last bytes match). */
static inline bool npat_rest(const struct npat *p, const u8 *s)
{
	if (p->m >= 8)
		return get_unaligned_u64(s) == p->head &&
		       get_unaligned_u64(s + p->m - 8) == p->tail;
	if (p->m >= 4)
		return get_unaligned_u32(s) == p->head4 &&
		       get_unaligned_u32(s + p->m - 4) == p->tail4;
	return true;
}

static inline bool npat_cand(const struct npat *p, const u8 *s)
{
	return s[0] == p->b[0] && s[1] == p->b[1] && s[p->m - 1] == p->b[p->m - 1];
}

/*
 * Positions [from, to) of s[0, n), each with its m bytes inside s
 * (to + m - 1 <= n).  With @first, stop at the first match: return its
 * position; else count the matches into *@cnt and return @to.  *@cand
 * counts the candidates checked.  m >= 2.
 */
static u64 npat_scan(const struct npat *p, const u8 *s, u64 from, u64 to,
		     bool first, u64 *cnt, u64 *cand)
{
	const u64 last = p->m - 1;
	u64 i = from, z, c = 0, k = 0, j;

	for (; i + 8 <= to; i += 8) {
		z = zero_lanes((load_le64(s + i) ^ p->rep0) |
			       (load_le64(s + i + 1) ^ p->rep1) |
			       (load_le64(s + i + last) ^ p->repl));
		if (likely(!z))
			continue;
		if (p->m <= 3 && !first) {
			k += lanes(z);
			c += lanes(z);
			continue;
		}
		do {
			j = i + (__builtin_ctzll(z) >> 3);
			k++;
			if (npat_rest(p, s + j)) {
				if (first) {
					*cand += k;
					return j;
				}
				c++;
			}
			z &= z - 1;
		} while (z);
	}
	for (; i < to; i++) {
		if (!npat_cand(p, s + i))
			continue;
		k++;
		if (npat_rest(p, s + i)) {
			if (first) {
				*cand += k;
				return i;
			}
			c++;
		}
	}
	*cnt += c;
	*cand += k;
	return to;
}

/* 1-byte patterns: a word at a time, no candidates. */
static u64 nbyte_scan(u8 b, const u8 *s, u64 from, u64 to, bool first,
		      u64 *cnt)
{
	u64 rep = ones * b, i = from, z, c = 0;

	for (; i + 8 <= to; i += 8) {
		z = zero_lanes(load_le64(s + i) ^ rep);
		if (!first)
			c += lanes(z);
		else if (z)
			return i + (__builtin_ctzll(z) >> 3);
	}
	for (; i < to; i++) {
		if (s[i] == b) {
			if (first)
				return i;
			c++;
		}
	}
	*cnt += c;
	return to;
}

/* One run of count_pattern (!grep) or grep over the whole range. */
struct nscan {
	struct npat pat;
	bool grep;
	bool more;		/* grep: output full, one more match found */
	u64 count;		/* matches (grep: emitted) */
	u64 stop;		/* grep: end of the match that stopped it */
	u8 carry[PAT_MAX - 1];	/* the last m - 1 bytes before the window */
	u32 clen;
};

/* grep charges its emits every this many, besides every piece */
#define GREP_CHARGE_EVERY	32

/*
 * A match at data offset @at.  count_pattern counts it; grep emits it
 * while there is room for 8 bytes (the twin's uringblk_emit() rule), and
 * stops at the first one there is no room for.  Returns false to stop
 * (output full, or the run aborted or yields).
 */
static bool nscan_match(struct uringblk_prog_state *st, struct nscan *sc,
			u64 at)
{
	u64 v;

	if (!sc->grep) {
		sc->count++;
		return true;
	}
	if (st->out_len - st->out_cursor < sizeof(v)) {
		sc->more = true;
		sc->stop = at + sc->pat.m;
		return false;
	}
	v = at;
	memcpy(st->out + st->out_cursor, &v, sizeof(v));
	st->out_cursor += sizeof(v);
	/* as much as the emit call alone costs the twin */
	st->work += URINGBLK_PROG_WORK_CALL + sizeof(v) * URINGBLK_PROG_WORK_COPY;
	sc->count++;
	/* dense matches: a piece's charge stays under 2 * PIECE units */
	return sc->count % GREP_CHARGE_EVERY || work_charge(st);
}

/*
 * Matches that start in the carry (the last m - 1 bytes before the
 * window at @off) and end in the window's first @n bytes: a match
 * across windows, however small they are.
 */
static bool nscan_boundary(struct uringblk_prog_state *st, struct nscan *sc,
			   const u8 *s, u64 n, u64 off)
{
	const struct npat *p = &sc->pat;
	u8 buf[2 * PAT_MAX];
	u64 blen, k, cand = 0;

	if (!sc->clen)
		return true;
	blen = sc->clen + min_t(u64, n, p->m - 1);
	memcpy(buf, sc->carry, sc->clen);
	memcpy(buf + sc->clen, s, blen - sc->clen);
	for (k = 0; k < sc->clen && k + p->m <= blen; k++) {
		if (!npat_cand(p, buf + k))
			continue;
		cand++;
		if (!memcmp(buf + k, p->b, p->m) &&
		    !nscan_match(st, sc, off - sc->clen + k))
			break;
	}
	/* those bytes were charged URINGBLK_PROG_WORK_SCAN in their window */
	st->work += cand * (URINGBLK_PROG_WORK_STEP - URINGBLK_PROG_WORK_SCAN);
	return !sc->more && !st->err;
}

/* Keep the last m - 1 bytes of the data so far, s[0, n) its newest. */
static void nscan_carry(struct nscan *sc, const u8 *s, u64 n)
{
	u32 keep = sc->pat.m - 1, old;

	if (n >= keep) {
		memcpy(sc->carry, s + n - keep, keep);
		sc->clen = keep;
		return;
	}
	old = min_t(u32, sc->clen, keep - n);
	memmove(sc->carry, sc->carry + sc->clen - old, old);
	memcpy(sc->carry + old, s, n);
	sc->clen = old + n;
}

/*
 * Scan one window s[0, n) at data offset @off, in pieces of at most
 * URINGBLK_PROG_PIECE bytes, each charged when done: a byte costs
 * URINGBLK_PROG_WORK_SCAN, or URINGBLK_PROG_WORK_STEP if a candidate
 * starts there.  Positions whose match would end past the window wait in
 * the carry.  False to stop (abort, yield, grep's output full).
 */
static bool nscan_window(struct uringblk_prog_state *st, struct nscan *sc,
			 const u8 *s, u64 n, u64 off)
{
	const struct npat *p = &sc->pat;
	u64 npos = n >= p->m ? n - p->m + 1 : 0;
	u64 a, b, i, to, cnt, cand;

	if (p->m > 1 && !nscan_boundary(st, sc, s, n, off))
		return false;
	for (a = 0; a < n; a = b) {
		b = min_t(u64, n - a, URINGBLK_PROG_PIECE) + a;
		to = min_t(u64, b, npos);
		cand = 0;
		for (i = a; i < to; i++) {
			cnt = 0;
			if (p->m == 1)
				i = nbyte_scan(p->b[0], s, i, to, sc->grep,
					       &cnt);
			else
				i = npat_scan(p, s, i, to, sc->grep, &cnt,
					      &cand);
			if (!sc->grep) {
				sc->count += cnt;
				break;
			}
			if (i < to && !nscan_match(st, sc, off + i)) {
				/* grep stops: the bytes up to its end count */
				b = min_t(u64, b, i + p->m);
				break;
			}
		}
		st->work += (b - a) * URINGBLK_PROG_WORK_SCAN +
			    cand * (URINGBLK_PROG_WORK_STEP -
				    URINGBLK_PROG_WORK_SCAN);
		if (sc->more || !work_charge(st))
			return false;
	}
	if (p->m > 1)
		nscan_carry(sc, s, n);
	return true;
}

static int pattern_run(struct uringblk_prog_state *st,
		       const struct uringblk_prog_env *env,
		       struct uringblk_prog_result *res, bool grep)
{
	struct nscan *sc = (struct nscan *)st->stack;	/* unused by native runs */
	u64 plen = st->ctx.args[2], len, pos = 0, ret;
	struct nwin w = { 0 };

	BUILD_BUG_ON(sizeof(*sc) > sizeof(st->stack));
	if (plen == 0 || plen > PAT_MAX)
		return nat_einval(st, res);
	memset(sc, 0, sizeof(*sc));
	npat_init(&sc->pat, st->ctx.args, plen);
	sc->grep = grep;
	len = st->ctx.data_len;
	while (pos < len) {
		if (!nat_map(st, &w, pos, len - pos))
			break;
		if (!nscan_window(st, sc, w.p, w.end - w.off, w.off))
			break;
		pos = w.end;
	}
	/* what the twin's helpers examined, duplicates included */
	if (sc->more)
		st->bytes_scanned = sc->stop + sc->count * (plen - 1);
	else if (grep)
		st->bytes_scanned = pos + sc->count * (plen - 1);
	else
		st->bytes_scanned = pos;
	ret = sc->more ? sc->count | GREP_MORE : sc->count;
	return nat_end(st, &w, ret, res);
}

static int count_pattern_run(struct uringblk_prog_state *st,
			     const struct uringblk_prog_env *env,
			     struct uringblk_prog_result *res)
{
	nat_start(st, env);
	return pattern_run(st, env, res, false);
}

static int grep_run(struct uringblk_prog_state *st,
		    const struct uringblk_prog_env *env,
		    struct uringblk_prog_result *res)
{
	nat_start(st, env);
	return pattern_run(st, env, res, true);
}

/* ---- checksum ---- */

/* Sum of the little-endian u32 words of s[0, n), n a multiple of 8. */
static u64 sum_words(const u8 *s, u64 n)
{
	u64 a = 0, b = 0, x, y, i;

	for (i = 0; i + 16 <= n; i += 16) {
		x = load_le64(s + i);
		y = load_le64(s + i + 8);
		a += (u32)x + (x >> 32);
		b += (u32)y + (y >> 32);
	}
	if (i < n) {
		x = load_le64(s + i);
		a += (u32)x + (x >> 32);
	}
	return a + b;
}

static int checksum_run(struct uringblk_prog_state *st,
			const struct uringblk_prog_env *env,
			struct uringblk_prog_result *res)
{
	u64 alg, len, pos = 0, sum = 0, a, b, n, i;
	struct nwin w = { 0 };
	u32 crc = ~0U, plen = 0;
	u8 part[4];

	nat_start(st, env);
	alg = st->ctx.args[0];
	len = st->ctx.data_len;
	if (alg > CK_CRC32C || (alg == CK_SUM32 && len % 4))
		return nat_einval(st, res);	/* sum32: the helper's -EINVAL */
	while (pos < len) {
		if (!nat_map(st, &w, pos, len - pos))
			break;
		for (a = w.off; a < w.end; a = b) {
			const u8 *s = w.p + (a - w.off);

			b = min_t(u64, w.end - a, URINGBLK_PROG_PIECE) + a;
			n = b - a;
			if (alg == CK_CRC32) {
				crc = crc32_le(crc, s, n);
				st->work += n * URINGBLK_PROG_WORK_STEP;
			} else if (alg == CK_CRC32C) {
				crc = __crc32c_le(crc, s, n);
				st->work += n * URINGBLK_PROG_WORK_STEP;
			} else {
				/* a word split by the window's start */
				for (i = 0; plen && i < n; i++) {
					part[plen++] = s[i];
					if (plen == 4) {
						sum += get_unaligned_le32(part);
						plen = 0;
					}
				}
				sum += sum_words(s + i, (n - i) & ~7ULL);
				for (i += (n - i) & ~7ULL; i + 4 <= n; i += 4)
					sum += get_unaligned_le32(s + i);
				while (i < n)
					part[plen++] = s[i++];
				st->work += n * URINGBLK_PROG_WORK_SCAN;
			}
			st->bytes_scanned += n;
			if (!work_charge(st))
				goto out;
		}
		pos = w.end;
	}
out:
	return nat_end(st, &w, alg == CK_SUM32 ? sum : (u32)~crc, res);
}

/* ---- histogram ---- */

static int histogram_run(struct uringblk_prog_state *st,
			 const struct uringblk_prog_env *env,
			 struct uringblk_prog_result *res)
{
	u64 len, pos = 0, since = 0, a, b, distinct = 0;
	struct nwin w = { 0 };
	bool direct;
	u8 *hist;

	nat_start(st, env);
	if (st->out_len < HIST_BINS * sizeof(u64))
		return nat_einval(st, res);
	hist = st->out;
	st->out_wm = HIST_BINS * sizeof(u64);
	len = st->ctx.data_len;
	/*
	 * As the helper (prog_hist.h): short ranges straight into the bins,
	 * longer ones into the tables, added to the bins at the end.  A
	 * yield starts the run again, so bytes may reach the bins at once.
	 */
	direct = len < HIST_DIRECT_MAX;
	if (!direct)
		hist_tables_clear(st);
	while (pos < len) {
		if (!nat_map(st, &w, pos, len - pos))
			break;
		for (a = 0; a < w.end - w.off; a = b) {
			const u8 *s = w.p + a;
			u64 n;

			b = min_t(u64, w.end - w.off - a, URINGBLK_PROG_PIECE) + a;
			n = b - a;
			if (direct) {
				hist_count_direct(st, hist, s, n);
				st->work += n * URINGBLK_PROG_WORK_STEP;
			} else {
				hist_feed(st, hist, s, n, &since);
			}
			st->bytes_scanned += n;
			if (!work_charge(st))
				goto out;
		}
		pos = w.end;
	}
out:
	/* on abort too, as the helper: the bytes counted so far count */
	if (!direct) {
		st->work += HIST_TABLE_WORK;
		hist_flush(st, hist);
	}
	for (b = 0; b < HIST_BINS; b++)
		distinct += get_unaligned_u64(hist + 8 * b) != 0;
	st->work += HIST_BINS_WORK;
	return nat_end(st, &w, distinct, res);
}

/* ---- sum_records ---- */

static inline u64 get_field(const u8 *p, u64 width)
{
	switch (width) {
	case 1:
		return p[0];
	case 2:
		return p[0] | (u64)p[1] << 8;
	case 4:
		return get_unaligned_le32(p);
	default:
		return load_le64(p);
	}
}

/*
 * Whole fields of width @w from data offset @f on, one every @rec bytes,
 * while they end by @b (p[0] is data byte @a) and records are left: the
 * fast path, one loop per width so that each load is one instruction.
 */
#define FIELDS_LOOP(w, load)						\
	do {								\
		for (; *r < nrec && f + (w) <= b; (*r)++, f += rec)	\
			sum += load(p + (f - a));			\
	} while (0)

static inline u64 load_u8(const u8 *p) { return p[0]; }
static inline u64 load_le16(const u8 *p) { return p[0] | (u64)p[1] << 8; }
static inline u64 load_le32(const u8 *p) { return get_unaligned_le32(p); }

/*
 * The fields of records [*r, nrec) whose bytes lie in data [a, b), at p
 * (p[0] is data byte a); a field split by @b is gathered in part[], its
 * first *have bytes seen.  Returns the sum of the fields completed.
 */
static u64 fields_in(const u8 *p, u64 a, u64 b, u64 *r, u64 nrec, u64 rec,
		     u64 foff, u64 width, u8 *part, u64 *have)
{
	u64 sum = 0, f, take;

	while (*r < nrec) {
		f = *r * rec + foff + *have;	/* the next byte wanted */
		if (f >= b)
			break;
		if (!*have && f + width <= b) {
			switch (width) {
			case 1:
				FIELDS_LOOP(1, load_u8);
				break;
			case 2:
				FIELDS_LOOP(2, load_le16);
				break;
			case 4:
				FIELDS_LOOP(4, load_le32);
				break;
			default:
				FIELDS_LOOP(8, load_le64);
			}
			continue;
		}
		take = min_t(u64, width - *have, b - f);
		memcpy(part + *have, p + (f - a), take);
		*have += take;
		if (*have == width) {
			sum += get_field(part, width);
			*have = 0;
			(*r)++;
		}
	}
	return sum;
}

static int sum_records_run(struct uringblk_prog_state *st,
			   const struct uringblk_prog_env *env,
			   struct uringblk_prog_result *res)
{
	u64 rec, foff, width, nrec, r = 0, done, sum = 0, have = 0;
	u64 pos = 0, end, want, a, b;
	struct nwin w = { 0 };
	u8 part[8];
	bool batched;

	nat_start(st, env);
	rec = st->ctx.args[0];
	foff = st->ctx.args[1];
	width = st->ctx.args[2];
	if (rec == 0 || rec > REC_MAX ||
	    (width != 1 && width != 2 && width != 4 && width != 8) ||
	    width > rec || foff > rec - width)
		return nat_einval(st, res);
	nrec = st->ctx.data_len / rec;
	/*
	 * The twin reads records of up to REC_BATCH bytes whole, so every
	 * byte of [0, nrec * rec) is read (and may fail); larger records
	 * only their field's bytes.  Ask map for just those.
	 */
	batched = rec <= REC_BATCH;
	end = batched ? nrec * rec : 0;
	while (batched ? pos < end : r < nrec) {
		if (batched) {
			want = end - pos;
		} else {
			pos = r * rec + foff + have;
			want = width - have;
		}
		if (!nat_map(st, &w, pos, want))
			break;
		for (a = w.off; a < w.end; a = b) {
			b = min_t(u64, w.end - a, URINGBLK_PROG_PIECE) + a;
			done = r;
			sum += fields_in(w.p + (a - w.off), a, b, &r, nrec, rec,
					 foff, width, part, &have);
			st->work += (r - done) * URINGBLK_PROG_WORK_STEP +
				    (batched ? (b - a) * URINGBLK_PROG_WORK_COPY : 0);
			if (!work_charge(st))
				goto out;
		}
		pos = w.end;
	}
out:
	st->bytes_scanned = batched ? nrec * rec : nrec * width;
	if (!st->err && st->out_len >= 2 * sizeof(u64)) {
		put_unaligned_u64(sum, st->out);
		put_unaligned_u64(nrec, st->out + 8);
		st->out_wm = 2 * sizeof(u64);
	}
	return nat_end(st, &w, sum, res);
}

/* ---- the table, and bounds ---- */

/* Map calls over [0, len) with windows that end at multiples of W. */
static u64 maps_for(u64 len)
{
	return len ? len / URINGBLK_NATIVE_BOUND_WINDOW + 2 : 0;
}

static u64 units(const struct uringblk_prog_env *env, u64 steps, u64 maps)
{
	u64 cost = env->map_cost ? env->map_cost : URINGBLK_PROG_MAP_COST;

	steps += URINGBLK_PROG_WORK_CALL;
	return (steps + URINGBLK_PROG_MAX_WORK_PER_UNIT - 1) /
	       URINGBLK_PROG_MAX_WORK_PER_UNIT + 1 + maps * cost;
}

static u64 pattern_bound(const struct uringblk_prog_env *env)
{
	u64 len = env->ctx.data_len;

	/* a candidate at every byte, a match (grep: an emit) at each */
	return units(env, len * (URINGBLK_PROG_WORK_STEP +
				 URINGBLK_PROG_WORK_CALL +
				 8 * URINGBLK_PROG_WORK_COPY), maps_for(len));
}

static u64 checksum_bound(const struct uringblk_prog_env *env)
{
	u64 len = env->ctx.data_len;

	return units(env, len * URINGBLK_PROG_WORK_STEP, maps_for(len));
}

static u64 histogram_bound(const struct uringblk_prog_env *env)
{
	u64 len = env->ctx.data_len;

	return units(env, len * URINGBLK_PROG_WORK_STEP +
		     2 * HIST_TABLE_WORK + HIST_BINS_WORK +
		     (len / HIST_FLUSH_BYTES) * HIST_TABLE_WORK,
		     maps_for(len));
}

static u64 sum_records_bound(const struct uringblk_prog_env *env)
{
	u64 len = env->ctx.data_len, rec = env->ctx.args[0];
	u64 nrec = rec ? len / rec : 0;

	if (rec <= REC_BATCH)	/* bad args cost less than any of these */
		return units(env, len * (URINGBLK_PROG_WORK_COPY +
					 URINGBLK_PROG_WORK_STEP),
			     maps_for(len));
	/* a field may straddle two windows */
	return units(env, nrec * URINGBLK_PROG_WORK_STEP, 2 * nrec);
}

/* The combine declarations are the bpf/ twins' (URINGBLK_COMBINE() there). */
const struct uringblk_native_prog uringblk_native_progs[] = {
	{ "count_pattern", count_pattern_run, pattern_bound,
	  { .r0 = URINGBLK_COMBINE_SUM, .overlap_arg = 3 } },
	/* offsets and a CRC do not combine: these cannot be split */
	{ "grep", grep_run, pattern_bound, { .r0 = URINGBLK_COMBINE_NONE } },
	{ "checksum", checksum_run, checksum_bound, { .r0 = URINGBLK_COMBINE_NONE } },
	{ "histogram", histogram_run, histogram_bound,
	  { .r0 = URINGBLK_COMBINE_NONZERO, .out = URINGBLK_COMBINE_SUM,
	    .out_len = 256 * 8 } },
	{ "sum_records", sum_records_run, sum_records_bound,
	  { .r0 = URINGBLK_COMBINE_SUM, .out = URINGBLK_COMBINE_SUM,
	    .out_len = 16, .align_arg = 1 } },
};

const unsigned int uringblk_nr_native_progs = ARRAY_SIZE(uringblk_native_progs);

u64 uringblk_native_work_bound(const struct uringblk_native_prog *p,
			       const struct uringblk_prog_env *env)
{
	return p->bound(env);
}

const struct uringblk_native_prog *uringblk_native_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < uringblk_nr_native_progs; i++)
		if (!strcmp(uringblk_native_progs[i].name, name))
			return &uringblk_native_progs[i];
	return NULL;
}
