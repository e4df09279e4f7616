// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * lineitem.c - TPC-H lineitem rows by the specification's rules (TPC-H
 * 3.0.1, 4.2.3), from a seeded generator (splitmix64, not dbgen's RNG:
 * the values follow the same distributions, not dbgen's exact stream),
 * and host-side Q6 and Q1 over them.
 *
 * Per order (SF * 1,500,000 of them, sparse keys as the spec's
 * O_ORDERKEY): 1..7 lines, an orderdate uniform in [1992-01-01,
 * 1998-12-31 - 151 days].  Per line: partkey in [1, SF * 200,000],
 * suppkey by the spec's PS_SUPPKEY formula, quantity 1..50, discount
 * 0.00..0.10, tax 0.00..0.08, extendedprice = quantity * P_RETAILPRICE(
 * partkey), shipdate = orderdate + 1..121, commitdate = orderdate +
 * 30..90, receiptdate = shipdate + 1..30, returnflag R or A (even odds)
 * if receiptdate <= 1995-06-17 else N, linestatus O if shipdate >
 * 1995-06-17 else F.  So shipdates fall in 1992-01-02..1998-12-01.
 */
#include <string.h>
#include <stdlib.h>
#include "lineitem.h"

#define CURRENTDATE	19950617

static uint64_t rnd(struct tpch_gen *g)
{
	uint64_t z = (g->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* uniform in [lo, hi] (the modulo bias is below 2^-40 for these ranges) */
static int64_t uni(struct tpch_gen *g, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(rnd(g) % (uint64_t)(hi - lo + 1));
}

int32_t tpch_days(uint32_t ymd)
{
	int32_t y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
	int32_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

uint32_t tpch_ymd(int32_t z)
{
	int32_t era, doe, yoe, y, doy, mp, d, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	return (uint32_t)(y * 10000 + m * 100 + d);
}

int tpch_gen_init(struct tpch_gen *g, double sf, uint64_t seed)
{
	if (!(sf > 0) || sf > TPCH_SF_MAX)
		return -1;
	memset(g, 0, sizeof(*g));
	g->rng = seed;
	g->orders = (uint64_t)(sf * 1500000 + 0.5);
	g->parts = (uint32_t)(sf * 200000 + 0.5);
	g->supps = (uint32_t)(sf * 10000 + 0.5);
	if (!g->orders)
		g->orders = 1;
	if (!g->parts)
		g->parts = 1;
	if (g->supps < 4)
		g->supps = 4;	/* the suppkey formula needs S / 4 >= 1 */
	return 0;
}

/* the spec's P_RETAILPRICE, in cents */
static int64_t retailprice(uint32_t partkey)
{
	return 90000 + (partkey / 10) % 20001 + 100 * (partkey % 1000);
}

static const char *const instructs[] = {
	"DELIVER IN PERSON", "COLLECT COD", "NONE", "TAKE BACK RETURN",
};
static const char *const modes[] = {
	"REG AIR", "AIR", "RAIL", "SHIP", "TRUCK", "MAIL", "FOB",
};
/* a few words of the spec's grammar, for 10..43-character comments */
static const char *const words[] = {
	"furiously", "quickly", "carefully", "blithely", "slyly", "final",
	"regular", "express", "pending", "ironic", "bold", "even", "special",
	"deposits", "requests", "accounts", "packages", "theodolites",
	"instructions", "foxes", "ideas", "pinto", "beans", "sleep", "wake",
	"haggle", "nag", "use", "boost", "along", "above", "the", "across",
};

static void comment(struct tpch_gen *g, char *c)
{
	size_t want = uni(g, 10, 43), n = 0;

	while (n < want) {
		const char *w = words[rnd(g) % (sizeof(words) / sizeof(*words))];
		size_t k = strlen(w);

		if (n)
			c[n++] = ' ';
		if (n + k > want)
			k = want - n;
		memcpy(c + n, w, k);
		n += k;
	}
	c[n] = 0;
}

int tpch_gen_next(struct tpch_gen *g, struct tpch_line *l)
{
	struct tpch_row *r = &l->r;
	uint32_t s = g->supps, i;
	int32_t ship;

	if (g->line == g->lines) {
		if (g->order == g->orders)
			return 0;
		/* sparse keys: 8 of every 32 used (O_ORDERKEY) */
		g->orderkey = (uint32_t)(g->order / 8 * 32 + g->order % 8 + 1);
		g->order++;
		g->lines = uni(g, 1, 7);
		g->line = 0;
		g->orderdate = uni(g, tpch_days(19920101),
				   tpch_days(19981231) - 151);
	}
	memset(l, 0, sizeof(*l));
	r->orderkey = g->orderkey;
	r->linenumber = ++g->line;
	r->partkey = uni(g, 1, g->parts);
	i = uni(g, 0, 3);
	r->suppkey = (r->partkey + i * (s / 4 + (r->partkey - 1) / s)) % s + 1;
	r->quantity = uni(g, 1, 50);
	r->extendedprice = r->quantity * retailprice(r->partkey);
	r->discount = uni(g, 0, 10);
	r->tax = uni(g, 0, 8);
	ship = g->orderdate + uni(g, 1, 121);
	r->shipdate = tpch_ymd(ship);
	l->commitdate = tpch_ymd(g->orderdate + uni(g, 30, 90));
	l->receiptdate = tpch_ymd(ship + uni(g, 1, 30));
	if (l->receiptdate <= CURRENTDATE)
		r->returnflag = uni(g, 0, 1) ? 'R' : 'A';
	else
		r->returnflag = 'N';
	r->linestatus = r->shipdate > CURRENTDATE ? 'O' : 'F';
	l->shipinstruct = instructs[uni(g, 0, 3)];
	l->shipmode = modes[uni(g, 0, 6)];
	comment(g, l->comment);
	return 1;
}

static char *put_date(char *p, uint32_t ymd)
{
	return p + sprintf(p, "%04u-%02u-%02u", ymd / 10000, ymd / 100 % 100,
			   ymd % 100);
}

size_t tpch_line_text(const struct tpch_line *l, char *buf)
{
	const struct tpch_row *r = &l->r;
	char *p = buf;

	p += sprintf(p, "%u|%u|%u|%u|%u|%lld.%02lld|0.%02u|0.%02u|%c|%c|",
		     r->orderkey, r->partkey, r->suppkey, r->linenumber,
		     r->quantity, (long long)(r->extendedprice / 100),
		     (long long)(r->extendedprice % 100), r->discount, r->tax,
		     r->returnflag, r->linestatus);
	p = put_date(p, r->shipdate);
	*p++ = '|';
	p = put_date(p, l->commitdate);
	*p++ = '|';
	p = put_date(p, l->receiptdate);
	p += sprintf(p, "|%s|%s|%s|\n", l->shipinstruct, l->shipmode,
		     l->comment);
	return p - buf;
}
