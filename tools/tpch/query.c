// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * query.c - TPC-H Q6 and Q1 on the host, over lineitem text or binary
 * rows, in the fixed-point representation of bpf/tpch.h: what an
 * application does after reading the file, and the answer every drive
 * path and sqlite3 must match.
 */
#include <string.h>
#include <stdlib.h>
#include <inttypes.h>
#include "lineitem.h"

void tpch_result_init(struct tpch_result *res)
{
	memset(res, 0, sizeof(*res));
}

void tpch_add_row(struct tpch_result *res, const struct tpch_row *r)
{
	struct tpch_q1_group *g;
	int64_t key, i, price = r->extendedprice, dp;

	res->rows++;
	if (r->shipdate >= TPCH_Q6_DATE_LO && r->shipdate < TPCH_Q6_DATE_HI &&
	    r->discount >= TPCH_Q6_DISC_LO && r->discount <= TPCH_Q6_DISC_HI &&
	    r->quantity < TPCH_Q6_QTY_LT)
		res->q6_revenue += price * r->discount;
	if (r->shipdate > TPCH_Q1_DATE_LE)
		return;
	key = r->returnflag | r->linestatus << 8;
	for (i = 0; i < TPCH_Q1_MAX_GROUPS; i++) {
		g = &res->q1[i];
		if (g->key == key || !g->key)
			break;
	}
	if (i == TPCH_Q1_MAX_GROUPS) {
		res->bad++;		/* more groups than the layout holds */
		return;
	}
	g->key = key;
	g->count++;
	g->sum_qty += r->quantity;
	g->sum_base_price += price;
	g->sum_disc += r->discount;
	dp = price * (100 - r->discount);
	g->sum_disc_price += dp;
	g->sum_charge += dp * (100 + r->tax);
}

static int cmp_group(const void *a, const void *b)
{
	const struct tpch_q1_group *x = a, *y = b;
	int64_t kx = x->key ? (x->key & 0xff) << 8 | x->key >> 8 : INT64_MAX;
	int64_t ky = y->key ? (y->key & 0xff) << 8 | y->key >> 8 : INT64_MAX;

	return (kx > ky) - (kx < ky);
}

void tpch_q1_sort(struct tpch_q1_group *g)
{
	qsort(g, TPCH_Q1_MAX_GROUPS, sizeof(*g), cmp_group);
}

/* [+]digits[.digits] times 10^scale, exactly; -1 if it is not one */
static int64_t num(const char *s, size_t len, int scale)
{
	int64_t v = 0;
	size_t i = 0;
	int fd = -1;

	if (!len)
		return -1;
	for (; i < len; i++) {
		if (s[i] == '.' && fd < 0) {
			fd = 0;
			continue;
		}
		if (s[i] < '0' || s[i] > '9' || fd == scale)
			return -1;
		v = v * 10 + (s[i] - '0');
		if (fd >= 0)
			fd++;
	}
	for (fd = fd < 0 ? 0 : fd; fd < scale; fd++)
		v *= 10;
	return v;
}

static int64_t date(const char *s, size_t len)
{
	if (len != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	return num(s, 4, 0) * 10000 + num(s + 5, 2, 0) * 100 + num(s + 8, 2, 0);
}

/* one dbgen line without its '\n' */
static void text_line(struct tpch_result *res, const char *s, size_t len)
{
	const char *f[TPCH_NCOLS + 1];
	size_t fl[TPCH_NCOLS + 1], n = 0, start = 0, i;
	struct tpch_row r;
	int64_t qty, price, disc, tax, ship;

	for (i = 0; i <= len && n <= TPCH_NCOLS; i++) {
		if (i == len || s[i] == '|') {
			f[n] = s + start;
			fl[n++] = i - start;
			start = i + 1;
		}
	}
	if (n < TPCH_COL_SHIPDATE + 1) {
		res->bad++;
		return;
	}
	qty = num(f[TPCH_COL_QUANTITY], fl[TPCH_COL_QUANTITY], 0);
	price = num(f[TPCH_COL_EXTENDEDPRICE], fl[TPCH_COL_EXTENDEDPRICE], 2);
	disc = num(f[TPCH_COL_DISCOUNT], fl[TPCH_COL_DISCOUNT], 2);
	tax = num(f[TPCH_COL_TAX], fl[TPCH_COL_TAX], 2);
	ship = date(f[TPCH_COL_SHIPDATE], fl[TPCH_COL_SHIPDATE]);
	if (qty < 0 || price < 0 || disc < 0 || tax < 0 || ship < 0 ||
	    fl[TPCH_COL_RETURNFLAG] != 1 || fl[TPCH_COL_LINESTATUS] != 1) {
		res->bad++;
		return;
	}
	memset(&r, 0, sizeof(r));
	r.quantity = qty;
	r.extendedprice = price;
	r.discount = disc;
	r.tax = tax;
	r.shipdate = ship;
	r.returnflag = f[TPCH_COL_RETURNFLAG][0];
	r.linestatus = f[TPCH_COL_LINESTATUS][0];
	tpch_add_row(res, &r);
}

void tpch_feed_text(struct tpch_result *res, struct tpch_carry *c,
		    const char *buf, size_t len, int last)
{
	const char *p = buf, *end = buf + len, *nl;
	size_t k;

	while (p < end) {
		nl = memchr(p, '\n', end - p);
		if (!nl) {
			k = end - p;
			if (c->len + k > sizeof(c->buf)) {
				res->bad++;	/* a line longer than any row */
				c->len = 0;
				return;
			}
			memcpy(c->buf + c->len, p, k);
			c->len += k;
			break;
		}
		if (c->len) {
			k = nl - p;
			if (c->len + k <= sizeof(c->buf)) {
				memcpy(c->buf + c->len, p, k);
				text_line(res, c->buf, c->len + k);
			} else {
				res->bad++;
			}
			c->len = 0;
		} else {
			text_line(res, p, nl - p);
		}
		p = nl + 1;
	}
	if (last && c->len) {
		text_line(res, c->buf, c->len);
		c->len = 0;
	}
}

void tpch_feed_bin(struct tpch_result *res, struct tpch_carry *c,
		   const char *buf, size_t len)
{
	struct tpch_row r;
	size_t k;

	if (c->len) {
		k = TPCH_ROW_SIZE - c->len;
		if (k > len)
			k = len;
		memcpy(c->buf + c->len, buf, k);
		c->len += k;
		buf += k;
		len -= k;
		if (c->len < TPCH_ROW_SIZE)
			return;
		memcpy(&r, c->buf, sizeof(r));
		tpch_add_row(res, &r);
		c->len = 0;
	}
	for (; len >= TPCH_ROW_SIZE; buf += TPCH_ROW_SIZE, len -= TPCH_ROW_SIZE) {
		memcpy(&r, buf, sizeof(r));
		tpch_add_row(res, &r);
	}
	memcpy(c->buf, buf, len);
	c->len = len;
}

static void fix(FILE *f, int64_t v, int scale)
{
	int64_t p = 1;
	int i;

	for (i = 0; i < scale; i++)
		p *= 10;
	if (v < 0) {
		fputc('-', f);
		v = -v;
	}
	fprintf(f, "%" PRId64 ".%0*" PRId64, v / p, scale, v % p);
}

void tpch_print_q6(FILE *f, int64_t revenue)
{
	fix(f, revenue, 4);
	fputc('\n', f);
}

/*
 * flag|status|sum_qty|sum_base_price|sum_disc_price|sum_charge|avg_qty|
 * avg_price|avg_disc|count: sums exact at their scale, averages truncated
 * to 4 decimals (integer division), one line a group, sorted.
 */
void tpch_print_q1(FILE *f, const struct tpch_q1_group *in)
{
	struct tpch_q1_group g[TPCH_Q1_MAX_GROUPS];
	int i;

	memcpy(g, in, sizeof(g));
	tpch_q1_sort(g);
	for (i = 0; i < TPCH_Q1_MAX_GROUPS && g[i].key; i++) {
		fprintf(f, "%c|%c|%" PRId64 "|", (int)(g[i].key & 0xff),
			(int)(g[i].key >> 8), (int64_t)g[i].sum_qty);
		fix(f, g[i].sum_base_price, 2);
		fputc('|', f);
		fix(f, g[i].sum_disc_price, 4);
		fputc('|', f);
		fix(f, g[i].sum_charge, 6);
		fputc('|', f);
		fix(f, g[i].sum_qty * 10000 / g[i].count, 4);
		fputc('|', f);
		fix(f, g[i].sum_base_price * 100 / g[i].count, 4);
		fputc('|', f);
		fix(f, g[i].sum_disc * 100 / g[i].count, 4);
		fprintf(f, "|%" PRId64 "\n", (int64_t)g[i].count);
	}
}
