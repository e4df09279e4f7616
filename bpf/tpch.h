/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * tpch.h - TPC-H lineitem as the drive's programs and the host tools see
 * it: the text columns, the fixed-width binary row, how decimals and dates
 * are represented, Q6's and Q1's constants and Q1's result layout.
 * Included by the eBPF programs (bpf/tpch_*.bpf.c), the generator and host
 * queries (tools/tpch) and the tests: one definition for all.
 *
 * Numbers are exact fixed-point integers, never floating point:
 *   price (l_extendedprice)      cents: 21168.23 is 2116823 (scale 2)
 *   discount, tax                hundredths: 0.04 is 4 (scale 2)
 *   quantity                     an integer 1..50 (dbgen prints "17")
 *   price * discount             scale 4: Q6's revenue, 1/10000 units
 *   price * (1 - discount)       price * (100 - discount): scale 4
 *   price * (1 - disc) * (1 + tax)  * (100 + tax): scale 6
 *   dates                        yyyymmdd integers: 1994-01-01 is 19940101
 *                                (URINGBLK_NUM_DATE), compared as integers
 * Sums are s64: Q1's largest, sum_charge at scale 6, stays below 2^63 up
 * to about scale factor 10 (6e7 rows * 1.05e7 cents * 1.08e4); the tools
 * refuse larger scale factors rather than wrap.
 *
 * Text (dbgen's lineitem.tbl): one row a line, 16 columns each followed
 * by '|', in the TPCH_COL_* order below.
 */
#ifndef URINGBLK_TPCH_H
#define URINGBLK_TPCH_H

#include <linux/types.h>

/* lineitem's text columns (0-based field numbers) */
#define TPCH_COL_ORDERKEY	0
#define TPCH_COL_PARTKEY	1
#define TPCH_COL_SUPPKEY	2
#define TPCH_COL_LINENUMBER	3
#define TPCH_COL_QUANTITY	4
#define TPCH_COL_EXTENDEDPRICE	5
#define TPCH_COL_DISCOUNT	6
#define TPCH_COL_TAX		7
#define TPCH_COL_RETURNFLAG	8
#define TPCH_COL_LINESTATUS	9
#define TPCH_COL_SHIPDATE	10
#define TPCH_COL_COMMITDATE	11
#define TPCH_COL_RECEIPTDATE	12
#define TPCH_COL_SHIPINSTRUCT	13
#define TPCH_COL_SHIPMODE	14
#define TPCH_COL_COMMENT	15
#define TPCH_NCOLS		16

/**
 * struct tpch_row - one lineitem row in the binary format: 32 bytes,
 * little-endian, packed end to end from offset 0 (a file of n rows is
 * 32 * n bytes; no header).  The columns Q1 and Q6 use, and the keys.
 * @extendedprice:	cents
 * @orderkey:		l_orderkey
 * @shipdate:		yyyymmdd
 * @quantity:		1..50
 * @discount:		hundredths, 0..10
 * @tax:		hundredths, 0..8
 * @returnflag:		'R', 'A' or 'N'
 * @linestatus:		'O' or 'F'
 * @linenumber:		1..7
 * @partkey:		l_partkey
 * @suppkey:		l_suppkey
 */
struct tpch_row {
	__s64	extendedprice;
	__u32	orderkey;
	__u32	shipdate;
	__u16	quantity;
	__u8	discount;
	__u8	tax;
	__u8	returnflag;
	__u8	linestatus;
	__u16	linenumber;
	__u32	partkey;
	__u32	suppkey;
};

#define TPCH_ROW_SIZE		32

/* Q6: shipdate in [1994-01-01, 1995-01-01), discount in [5, 7], quantity < 24 */
#define TPCH_Q6_DATE_LO		19940101
#define TPCH_Q6_DATE_HI		19950101
#define TPCH_Q6_DISC_LO		5
#define TPCH_Q6_DISC_HI		7
#define TPCH_Q6_QTY_LT		24

/* Q6's predicate, in the fixed point above (the programs, both engines) */
static inline int tpch_q6_match(__s64 qty, __s64 disc, __s64 ship)
{
	return ship >= TPCH_Q6_DATE_LO && ship < TPCH_Q6_DATE_HI &&
	       disc >= TPCH_Q6_DISC_LO && disc <= TPCH_Q6_DISC_HI &&
	       qty < TPCH_Q6_QTY_LT;
}

/* Q6's output (and Q1's r0): what a run saw */
struct tpch_q6_out {
	__s64 revenue;		/* scale 4 */
	__s64 rows;
	__s64 bad;		/* rows that did not parse */
};

/* Q1: shipdate <= 1998-12-01 - 90 days */
#define TPCH_Q1_DATE_LE		19980902

/**
 * struct tpch_q1_group - one group of Q1's result, as the programs write
 * it to the output buffer (an array of TPCH_Q1_MAX_GROUPS, unused slots
 * zero, used ones in order of first appearance) and the host computes it
 * @key:		returnflag | linestatus << 8
 * @count:		count(*)
 * @sum_qty:		sum(quantity)
 * @sum_base_price:	sum(price), cents
 * @sum_disc:		sum(discount), hundredths
 * @sum_disc_price:	sum(price * (100 - discount)), scale 4
 * @sum_charge:		sum(price * (100 - discount) * (100 + tax)), scale 6
 * The averages are the sums over count (the host divides).
 */
struct tpch_q1_group {
	__s64	key;
	__s64	count;
	__s64	sum_qty;
	__s64	sum_base_price;
	__s64	sum_disc;
	__s64	sum_disc_price;
	__s64	sum_charge;
};

#define TPCH_Q1_MAX_GROUPS	8
#define TPCH_Q1_OUT_LEN		(TPCH_Q1_MAX_GROUPS * 56)

/* the columns a row contributes to Q1, in the fixed point above */
struct tpch_vals {
	__s64 qty, price, disc, tax, ship, rf, ls;
};

/* A binary row's Q1 columns (the _bin programs, both engines). */
static inline void tpch_row_vals(const struct tpch_row *p, struct tpch_vals *v)
{
	v->qty = p->quantity;
	v->price = p->extendedprice;
	v->disc = p->discount;
	v->tax = p->tax;
	v->ship = p->shipdate;
	v->rf = p->returnflag;
	v->ls = p->linestatus;
}

/*
 * Q1's output, before the first row (the programs, both engines): all
 * TPCH_Q1_MAX_GROUPS slots zero.  Written rather than assumed, so that
 * the output is the whole array whatever the data: a kernel-BPF program
 * takes the output whole (uringblk_kf_out()), and its interpreted twin
 * must report the same length.
 */
static inline void tpch_q1_clear(struct tpch_q1_group *g)
{
	__builtin_memset(g, 0, TPCH_Q1_OUT_LEN);
}

/*
 * Q1: add a row with key @key (returnflag | linestatus << 8) to @g, the
 * group slot it was found in or takes.
 */
static inline void tpch_q1_sum(struct tpch_q1_group *g, const struct tpch_vals *v, __s64 key)
{
	__s64 dp;

	g->key = key;
	g->count++;
	g->sum_qty += v->qty;
	g->sum_base_price += v->price;
	g->sum_disc += v->disc;
	dp = v->price * (100 - v->disc);
	g->sum_disc_price += dp;
	g->sum_charge += dp * (100 + v->tax);
}

/*
 * Q1: add a row to its group in g[0..TPCH_Q1_MAX_GROUPS) (the output
 * buffer, cleared).  Returns -1 if all TPCH_Q1_MAX_GROUPS slots hold
 * other groups.
 */
static inline int tpch_q1_add(struct tpch_q1_group *g, const struct tpch_vals *v)
{
	__s64 key = v->rf | v->ls << 8;
	int i;

	if (v->ship > TPCH_Q1_DATE_LE)
		return 0;
	for (i = 0; i < TPCH_Q1_MAX_GROUPS; i++, g++) {
		if (g->key == key || !g->key)
			break;
	}
	if (i == TPCH_Q1_MAX_GROUPS)
		return -1;
	tpch_q1_sum(g, v, key);
	return 0;
}

#endif /* URINGBLK_TPCH_H */
