// SPDX-License-Identifier: GPL-2.0
/*
 * uringblk program helpers 7..9: records of separated fields and exact
 * fixed-point numbers (the contracts are in <linux/uringblk_prog.h>,
 * "Records").
 *
 * One scanner serves uringblk_rec_fields() (one record, field offsets) and
 * uringblk_rec_parse() (many records, chosen fields parsed to numbers).  It
 * runs over the walk of prog_helpers.c, so records and fields may span any
 * number of windows: a wanted field is parsed where it is when one piece
 * holds it, else its bytes are gathered into st->rec.fbuf as they pass (a
 * number is at most URINGBLK_NUM_MAX_LEN bytes), and a record's values
 * are written to program memory when the record ends.  Separators and
 * newlines are found a word at a time.
 *
 * Yields: the helpers write program memory only with bytes a call made
 * again writes the same (the spec is copied first and may not overlap the
 * values), so a yield anywhere in a call is safe (prog_vm.h, "Yield").
 *
 * Work (prog_vm.h, "Budget"): every byte examined costs
 * URINGBLK_PROG_WORK_SCAN, every separator or newline found and every byte
 * parsed URINGBLK_PROG_WORK_STEP, every byte gathered
 * URINGBLK_PROG_WORK_COPY, charged after each piece.
 */
#include "prog_walk.h"

#define NUM_BAD		((s64)URINGBLK_NUM_BAD)

static bool fmt_ok(u32 fmt)
{
	u32 kind = fmt & 0xff, scale = fmt >> 8;

	if (kind < URINGBLK_NUM_INT || kind > URINGBLK_NUM_CHARS)
		return false;
	if (kind == URINGBLK_NUM_INT || kind == URINGBLK_NUM_DEC)
		return scale <= URINGBLK_NUM_MAX_SCALE;
	return scale == 0;
}

static bool is_digit(u8 c)
{
	return c >= '0' && c <= '9';
}

static u32 digits(const u8 *s, u32 n)
{
	u32 v = 0, i;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* days since 1970-01-01 of a valid civil date (H. Hinnant's algorithm) */
static s64 days_from_civil(s32 y, u32 m, u32 d)
{
	s32 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (s64)era * 146097 + doe - 719468;
}

static s64 parse_date(const u8 *s, u32 len, bool days)
{
	static const u8 mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	u32 y, m, d, i, dim;

	if (len != 10 || s[4] != '-' || s[7] != '-')
		return NUM_BAD;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !is_digit(s[i]))
			return NUM_BAD;
	y = digits(s, 4);
	m = digits(s + 5, 2);
	d = digits(s + 8, 2);
	if (m < 1 || m > 12 || d < 1)
		return NUM_BAD;
	dim = mdays[m - 1];
	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		dim = 29;
	if (d > dim)
		return NUM_BAD;
	if (days)
		return days_from_civil(y, m, d);
	return (s64)y * 10000 + m * 100 + d;
}

/*
 * [+|-]digits[.digits] times 10^scale, exactly: fraction digits past the
 * scale must be zeros, and the magnitude must stay within S64_MAX.  With
 * at most 17 digits seen, v < 10^17 and v * 10 + 9 cannot overflow: only
 * longer numbers pay for the check.
 */
static s64 parse_dec(const u8 *s, u32 len, u32 scale, bool dec)
{
	const u64 lim = ~0ULL >> 1;	/* S64_MAX */
	u64 v = 0;
	u32 i = 0, nd = 0, fd = 0, c;
	bool neg = false;

	if (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-';
		i++;
	}
	for (; i < len && is_digit(s[i]); i++, nd++) {
		c = s[i] - '0';
		if (nd > 17 && v > (lim - c) / 10)
			return NUM_BAD;
		v = v * 10 + c;
	}
	if (i < len && s[i] == '.' && dec) {
		for (i++; i < len && is_digit(s[i]); i++, nd++) {
			c = s[i] - '0';
			if (fd == scale) {
				if (c)
					return NUM_BAD;	/* would need rounding */
				continue;
			}
			fd++;
			if (nd > 17 && v > (lim - c) / 10)
				return NUM_BAD;
			v = v * 10 + c;
		}
	}
	if (i != len || !nd)
		return NUM_BAD;
	for (; fd < scale; fd++) {
		if (v > lim / 10)
			return NUM_BAD;
		v *= 10;
	}
	return neg ? -(s64)v : (s64)v;
}

/* s[0, len) (len may exceed URINGBLK_NUM_MAX_LEN: bytes past it unread) */
static s64 num_parse(const u8 *s, u32 len, u32 fmt)
{
	u32 kind = fmt & 0xff, i;
	u64 v = 0;

	if (kind == URINGBLK_NUM_CHARS) {
		for (i = 0; i < len && i < 8; i++)
			v |= (u64)s[i] << (8 * i);
		return (s64)v;
	}
	if (len > URINGBLK_NUM_MAX_LEN)
		return NUM_BAD;
	while (len && (s[0] == ' ' || s[0] == '\t')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (!len)
		return NUM_BAD;
	switch (kind) {
	case URINGBLK_NUM_DATE:
		return parse_date(s, len, false);
	case URINGBLK_NUM_DAYS:
		return parse_date(s, len, true);
	default:
		return parse_dec(s, len, fmt >> 8, kind == URINGBLK_NUM_DEC);
	}
}

/* work to parse a field of len bytes */
static u64 num_work(u32 len, u32 fmt)
{
	if ((fmt & 0xff) == URINGBLK_NUM_CHARS)
		return URINGBLK_PROG_WORK_STEP;
	return (u64)(min_t(u32, len, URINGBLK_NUM_MAX_LEN) + 1) *
	       URINGBLK_PROG_WORK_STEP;
}

/*
 * First index in [i, n) with s[index] == a or == b, or n: a word at a
 * time, as skip_to() in prog_helpers.c (the lowest flagged lane of either
 * test is a true match).
 */
static size_t skip_to2(const u8 *s, size_t i, size_t n, u8 a, u8 b)
{
	const u64 ones = 0x0101010101010101ULL;
	const u64 highs = 0x8080808080808080ULL;
	u64 ra = ones * a, rb = ones * b, w, x, y, t;

	for (; i + 8 <= n; i += 8) {
		w = get_unaligned_u64(s + i);
		x = w ^ ra;
		y = w ^ rb;
		t = (((x - ones) & ~x) | ((y - ones) & ~y)) & highs;
		if (t) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			return i + (__builtin_ctzll(t) >> 3);
#else
			break;
#endif
		}
	}
	while (i < n && s[i] != a && s[i] != b)
		i++;
	return i;
}

/* One scan: rec_fields (pos != NULL) or rec_parse (vals != NULL). */
struct rec_scan {
	u8 sep;
	u8 flags;		/* rec_parse: spec->flags */
	u32 nconds;		/* rec_parse: spec->nconds (st->rec.cond) */
	u32 last_field;		/* separators matter up to this field's end */
	u32 npos;		/* rec_fields: n */
	u32 *pos;		/* st->rec.pos */
	u8 *vals;		/* rec_parse: kernel address of the rows */
	u32 nvals;
	u32 max_recs;
	u32 recs;		/* lines done (records, empty lines) */
	u32 rows;		/* rec_parse: rows written */
	u32 nrec;		/* rec_parse: records read (rows, dropped) */
	u64 rstart;		/* data offset of the current record */
	u32 field;		/* current field */
	u32 flen;		/* its bytes so far */
	u32 last_len;		/* the length of the field that ended last */
	const u8 *fsrc;		/* the wanted field's bytes: in the piece, or fbuf */
	bool too_long;
	s64 row[URINGBLK_REC_MAX_VALS];
};

static void row_reset(struct rec_scan *r)
{
	u32 i;

	for (i = 0; i < r->nvals; i++)
		r->row[i] = NUM_BAD;
}

/* field f's len bytes at s, parsed into every value that wants it; its work */
static u64 field_values(struct uringblk_prog_state *st, struct rec_scan *r,
			u32 f, const u8 *s, u32 len)
{
	u64 work = 0;
	u32 v;

	for (v = st->rec.want[f] - 1; ; v = st->rec.next[v] - 1) {
		u32 fmt = st->rec.spec.val[v] >> 8;

		r->row[v] = num_parse(s, len, fmt);
		work += num_work(len, fmt);
		if (!st->rec.next[v])
			return work;
	}
}

/* the current field ends at data offset e (its terminator; cr: "\r\n") */
static void end_field(struct uringblk_prog_state *st, struct rec_scan *r,
		      u64 e, bool cr)
{
	u32 f = r->field, len = r->flen - cr;

	r->last_len = len;
	if (r->pos) {
		if (f + 1 <= r->npos)
			r->pos[f + 1] = (u32)(e - cr - r->rstart) + 1;
	} else if (f < 255 && st->rec.want[f]) {
		st->work += field_values(st, r, f, r->fsrc, len);
	}
	r->field++;
	r->flen = 0;
}

static bool cond_ok(const struct uringblk_rec_cond *c, u32 nvals)
{
	u32 i;

	for (i = 0; i < sizeof(c->rsvd); i++)
		if (c->rsvd[i])
			return false;
	return c->val < nvals && c->op <= URINGBLK_REC_GE;
}

/* rec_parse: does the record in r->row get a row? (a filtered call) */
static bool row_kept(struct uringblk_prog_state *st, struct rec_scan *r)
{
	const struct uringblk_rec_cond *c = st->rec.cond;
	u32 i;

	for (i = 0; i < r->nvals; i++)
		if (r->row[i] == NUM_BAD)
			return true;	/* the program counts it malformed */
	st->work += (u64)r->nconds * URINGBLK_PROG_WORK_STEP;
	for (i = 0; i < r->nconds; i++) {
		s64 v = r->row[c[i].val], k = c[i].k;
		bool ok;

		switch (c[i].op) {
		case URINGBLK_REC_EQ:
			ok = v == k;
			break;
		case URINGBLK_REC_NE:
			ok = v != k;
			break;
		case URINGBLK_REC_LT:
			ok = v < k;
			break;
		case URINGBLK_REC_LE:
			ok = v <= k;
			break;
		case URINGBLK_REC_GT:
			ok = v > k;
			break;
		default:
			ok = v >= k;
			break;
		}
		if (!ok)
			return false;
	}
	return true;
}

/* the record ends; the next one starts at data offset next */
static void end_record(struct uringblk_prog_state *st, struct rec_scan *r,
		       u64 next)
{
	u32 i;

	if (r->pos) {
		for (i = r->field + 1; i <= r->npos; i++)
			r->pos[i] = r->pos[r->field];
	} else if ((r->flags & URINGBLK_REC_F_SKIP_EMPTY) && r->field == 1 &&
		   !r->last_len) {
		row_reset(r);	/* an empty line: no record */
	} else {
		r->nrec++;
		if (!r->nconds || row_kept(st, r)) {
			u8 *dst = r->vals + 8 * (u64)r->rows * r->nvals;

			for (i = 0; i < r->nvals; i++)
				put_unaligned_u64((u64)r->row[i], dst + 8 * i);
			st->work += (u64)r->nvals * 8 *
				    URINGBLK_PROG_WORK_COPY;
			r->rows++;
		}
		row_reset(r);
	}
	r->recs++;
	r->rstart = next;
	r->field = 0;
	r->flen = 0;
}

/*
 * rec_parse's common case: a whole record, '\n' included, in the piece
 * p[i, n) (no piece is longer than the longest record), starting at data
 * offset base + i.  Its fields are split with a byte loop and parsed where
 * they are, with the general loop's results and charges (rec_scan() below:
 * every byte examined, every terminator, the bytes of wanted fields up to
 * URINGBLK_NUM_MAX_LEN, a '\r' before '\n' being its field's), and
 * without its per-segment bookkeeping.  Returns the index past the '\n', or 0 if
 * the record is not whole in the piece (the general loop then takes it).
 * Not for a '\r' separator, which the '\r' before '\n' rule would meet.
 */
static size_t rec_whole(struct uringblk_prog_state *st, struct rec_scan *r,
			const u8 *p, size_t i, size_t n, u64 base)
{
	size_t nl = skip_to2(p, i, n, '\n', '\n'), clen, a = 0, b, len;
	const u8 *s = p + i;
	u64 work;
	u32 f;

	BUILD_BUG_ON(URINGBLK_PROG_PIECE > URINGBLK_REC_MAX_LEN);
	if (nl == n)
		return 0;
	clen = nl - i;
	if (clen && s[clen - 1] == '\r')
		clen--;
	work = (u64)(nl - i + 1) * URINGBLK_PROG_WORK_SCAN;
	for (f = 0; ; f++) {
		b = clen;
		if (f <= r->last_field)
			for (b = a; b < clen && s[b] != r->sep; b++)
				;
		len = b - a;
		work += URINGBLK_PROG_WORK_STEP;
		if (f < 255 && st->rec.want[f]) {
			size_t raw = len + (b == clen ? nl - i - clen : 0);

			work += min_t(size_t, raw, URINGBLK_NUM_MAX_LEN) *
				URINGBLK_PROG_WORK_COPY;
			work += field_values(st, r, f, s + a, len);
		}
		if (b == clen)
			break;
		a = b + 1;
	}
	st->work += work;
	r->field = f + 1;
	r->last_len = len;
	end_record(st, r, base + nl + 1);
	return nl + 1;
}

/*
 * Scan records from off to end until r->max_recs are done, end is
 * reached or a record is too long (r->too_long).  Returns false if the
 * run aborted or yields.
 */
static bool rec_scan(struct uringblk_prog_state *st, struct rec_scan *r,
		     u64 off, u64 end)
{
	struct walk w;
	const u8 *p;
	u64 n, base, room;
	size_t i, j, lim;
	u8 last = 0, c;
	bool cr;

	r->rstart = off;
	r->field = 0;
	r->flen = 0;
	r->recs = 0;
	r->rows = 0;
	r->nrec = 0;
	r->too_long = false;
	if (r->pos)
		r->pos[0] = 0;
	row_reset(r);
	walk_start(&w, off, end - off);
	while (r->recs < r->max_recs && !r->too_long &&
	       (n = walk_next(st, &w, &p))) {
		base = w.pos - n;
		i = 0;
		while (i < n) {
			if (!r->pos && !r->field && !r->flen && r->sep != '\r') {
				j = rec_whole(st, r, p, i, n, base);
				if (j) {
					i = j;
					last = 0;
					if (r->recs == r->max_recs)
						break;
					continue;
				}
			}
			room = r->rstart + URINGBLK_REC_MAX_LEN - (base + i);
			lim = room < n - i ? i + room : n;
			if (r->field <= r->last_field)
				j = skip_to2(p, i, lim, r->sep, '\n');
			else
				j = skip_to2(p, i, lim, '\n', '\n');
			if (!r->pos && r->field < 255 &&
			    st->rec.want[r->field] &&
			    r->flen < URINGBLK_NUM_MAX_LEN) {
				u32 k = min_t(u32, j - i,
					      URINGBLK_NUM_MAX_LEN - r->flen);

				/* parsed where it is if the piece holds it all */
				if (!r->flen && j < lim) {
					r->fsrc = p + i;
				} else {
					memcpy(st->rec.fbuf + r->flen, p + i, k);
					r->fsrc = st->rec.fbuf;
				}
				st->work += k * URINGBLK_PROG_WORK_COPY;
			}
			r->flen += j - i;
			st->work += (j - i + (j < lim)) *
				    URINGBLK_PROG_WORK_SCAN;
			if (j > i)
				last = p[j - 1];
			if (j == lim) {
				i = j;
				/* room used up before the piece's end */
				if (lim < n) {
					r->too_long = true;
					break;
				}
				continue;
			}
			c = p[j];
			cr = c == '\n' && last == '\r' && r->flen;
			st->work += URINGBLK_PROG_WORK_STEP;
			end_field(st, r, base + j, cr);
			last = c;
			i = j + 1;
			if (c == '\n') {
				end_record(st, r, base + i);
				last = 0;
				if (r->recs == r->max_recs)
					break;
			}
		}
		/* bytes of the piece past where the scan stopped */
		st->bytes_scanned -= n - i;
		if (!work_charge(st))
			break;
	}
	walk_unmap(st, &w);
	if (st->err)
		return false;
	/* a last record without a newline ends at end */
	if (!r->too_long && r->recs < r->max_recs && r->rstart < end) {
		end_field(st, r, end, false);
		end_record(st, r, end);
		work_charge(st);
	}
	return !st->err;
}

u64 uringblk_prog_rec_fields(struct uringblk_prog_state *st, u64 off,
			     u64 end, u64 pos_addr, u32 sep_n)
{
	struct rec_scan r = { 0 };
	u32 n = (sep_n >> 8) & 0xff;
	u8 *pos;

	r.sep = sep_n & 0xff;
	if (sep_n >> 16 || r.sep == '\n' || !n || n > URINGBLK_REC_MAX_FIELDS)
		return helper_fail(st, -EINVAL, URINGBLK_PROG_ABORT_ARG);
	pos = uringblk_prog_mem(st, pos_addr, 4 * (n + 1), true);
	if (!pos)
		return helper_fail(st, -EFAULT, URINGBLK_PROG_ABORT_MEM);
	if (off > end || !data_range_ok(st, 0, end)) {
		if (!st->err)
			uringblk_prog_abort(st, -ERANGE,
					    URINGBLK_PROG_ABORT_RANGE);
		return 0;
	}
	if (off == end)
		return (u64)-ENOENT;
	r.npos = n;
	r.last_field = n - 1;
	r.pos = st->rec.pos;
	r.max_recs = 1;
	if (!rec_scan(st, &r, off, end))
		return 0;
	if (r.too_long)
		return (u64)-E2BIG;
	memcpy(pos, st->rec.pos, 4 * (n + 1));
	st->work += 4 * (n + 1) * URINGBLK_PROG_WORK_COPY;
	return r.rstart;
}

u64 uringblk_prog_parse_num(struct uringblk_prog_state *st, u64 off,
			    u32 len, u32 fmt)
{
	struct walk w;
	const u8 *p;
	u32 got = 0, want;
	u64 n;

	if (!fmt_ok(fmt))
		return helper_fail(st, -EINVAL, URINGBLK_PROG_ABORT_ARG);
	if (!data_range_ok(st, off, len))
		return 0;
	want = len;
	if ((fmt & 0xff) == URINGBLK_NUM_CHARS)
		want = min_t(u32, len, 8);
	else if (len > URINGBLK_NUM_MAX_LEN)
		return (u64)NUM_BAD;
	walk_start(&w, off, want);
	while ((n = walk_next(st, &w, &p))) {
		memcpy(st->rec.fbuf + got, p, n);
		got += n;
	}
	walk_unmap(st, &w);
	if (st->err)
		return 0;
	st->work += num_work(want, fmt);
	return (u64)num_parse(st->rec.fbuf, want, fmt);
}

u64 uringblk_prog_rec_parse(struct uringblk_prog_state *st, u64 off,
			    u64 end, u64 spec_addr, u64 vals_addr)
{
	struct uringblk_rec_spec *spec = &st->rec.spec;
	struct uringblk_rec_cond *cond = st->rec.cond;
	struct rec_scan r = { 0 };
	const u8 *src;
	u64 vlen, slen, head;
	u32 i, f, fmt;

	src = uringblk_prog_mem(st, spec_addr, sizeof(*spec), false);
	if (!src)
		return helper_fail(st, -EFAULT, URINGBLK_PROG_ABORT_MEM);
	memcpy(spec, src, sizeof(*spec));
	if (spec->sep == '\n' || !spec->nvals ||
	    spec->nvals > URINGBLK_REC_MAX_VALS || !spec->max_recs ||
	    spec->max_recs > URINGBLK_REC_MAX_RECS || spec->rsvd ||
	    spec->flags & ~(URINGBLK_REC_F_SKIP_EMPTY | URINGBLK_REC_F_COUNT) ||
	    spec->nconds > URINGBLK_REC_MAX_CONDS)
		return helper_fail(st, -EINVAL, URINGBLK_PROG_ABORT_ARG);
	slen = sizeof(*spec) + (u64)spec->nconds * sizeof(*cond);
	if (spec->nconds) {
		src = uringblk_prog_mem(st, spec_addr, slen, false);
		if (!src)
			return helper_fail(st, -EFAULT,
					   URINGBLK_PROG_ABORT_MEM);
		memcpy(cond, src + sizeof(*spec),
		       spec->nconds * sizeof(*cond));
		st->work += (slen - sizeof(*spec)) * URINGBLK_PROG_WORK_COPY;
	}
	for (i = 0; i < spec->nconds; i++)
		if (!cond_ok(&cond[i], spec->nvals))
			return helper_fail(st, -EINVAL,
					   URINGBLK_PROG_ABORT_ARG);
	head = spec->flags & URINGBLK_REC_F_COUNT ? 2 : 1;
	vlen = 8 * (head + (u64)spec->max_recs * spec->nvals);
	/* overlap would let a call made again read what it wrote */
	if (vals_addr < spec_addr + slen && spec_addr < vals_addr + vlen)
		return helper_fail(st, -EINVAL, URINGBLK_PROG_ABORT_ARG);
	r.vals = uringblk_prog_mem(st, vals_addr, vlen, true);
	if (!r.vals)
		return helper_fail(st, -EFAULT, URINGBLK_PROG_ABORT_MEM);
	memset(st->rec.want, 0, sizeof(st->rec.want));
	r.last_field = 0;
	/* chain the values of each field, in reverse so want[] is the first */
	for (i = spec->nvals; i-- > 0; ) {
		f = URINGBLK_REC_VAL_FIELD(spec->val[i]);
		fmt = spec->val[i] >> 8;
		if (f > 254 || !fmt_ok(fmt))
			return helper_fail(st, -EINVAL,
					   URINGBLK_PROG_ABORT_ARG);
		st->rec.next[i] = st->rec.want[f];
		st->rec.want[f] = i + 1;
		if (f > r.last_field)
			r.last_field = f;
	}
	st->work += (u64)spec->nvals * URINGBLK_PROG_WORK_STEP;
	if (off > end || !data_range_ok(st, 0, end)) {
		if (!st->err)
			uringblk_prog_abort(st, -ERANGE,
					    URINGBLK_PROG_ABORT_RANGE);
		return 0;
	}
	r.sep = spec->sep;
	r.flags = spec->flags;
	r.nconds = spec->nconds;
	r.nvals = spec->nvals;
	r.max_recs = spec->max_recs;
	r.vals += 8 * head;
	if (off < end && !rec_scan(st, &r, off, end))
		return 0;
	if (off == end)
		r.rstart = off;
	put_unaligned_u64(r.rstart, r.vals - 8 * head);
	if (head == 2)
		put_unaligned_u64(r.nrec, r.vals - 8);
	if (r.too_long && !r.recs)
		return (u64)-E2BIG;
	return spec->flags || spec->nconds ? r.rows : r.recs;
}
