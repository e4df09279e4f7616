/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * tpch_prog.h - what the interpreted TPC-H programs (tpch_*.bpf.c)
 * share besides bpf/tpch.h (Q6's predicate, Q1's accumulation): the
 * reference parser that reads dbgen text a byte at a time in the
 * interpreter (no record helpers), against which the fast programs are
 * checked.  Representation: bpf/tpch.h.
 */
#ifndef URINGBLK_TPCH_PROG_H
#define URINGBLK_TPCH_PROG_H

#include "uringblk_prog.h"
#include "tpch.h"

/*
 * The reference parser: dbgen text a byte at a time, in the interpreter,
 * with nothing but uringblk_read() (tpch_q6_ref, tpch_q1_ref).  Feed each
 * byte to tpch_ref_byte(); it returns 1 when a line ended, with the row in
 * s->v and s->bad set if a column of it did not parse.  The caller clears
 * s->bad after each row.
 */
struct tpch_ref {
	__s64 field, acc, frac, dot, nd, first, bad;
	struct tpch_vals v;
};

/* a scale-2 decimal from the accumulated digits, or mark the row bad */
static __always_inline __s64 tpch_ref_dec2(struct tpch_ref *s)
{
	__s64 a = s->acc, f = s->frac;

	if (!s->nd || f > 2)
		s->bad = 1;
	for (; f < 2; f++)
		a *= 10;
	return a;
}

static __always_inline int tpch_ref_byte(struct tpch_ref *s, __u8 c)
{
	if (c == '|' || c == '\n') {
		switch (s->field) {
		case TPCH_COL_QUANTITY:
			if (!s->nd || s->dot)
				s->bad = 1;
			s->v.qty = s->acc;
			break;
		case TPCH_COL_EXTENDEDPRICE:
			s->v.price = tpch_ref_dec2(s);
			break;
		case TPCH_COL_DISCOUNT:
			s->v.disc = tpch_ref_dec2(s);
			break;
		case TPCH_COL_TAX:
			s->v.tax = tpch_ref_dec2(s);
			break;
		case TPCH_COL_RETURNFLAG:
			s->v.rf = s->first;
			break;
		case TPCH_COL_LINESTATUS:
			s->v.ls = s->first;
			break;
		case TPCH_COL_SHIPDATE:
			if (s->nd != 8)
				s->bad = 1;
			s->v.ship = s->acc;
			break;
		}
		s->field++;
		s->acc = s->frac = s->dot = s->nd = s->first = 0;
		if (c != '\n')
			return 0;
		if (s->field <= TPCH_COL_SHIPDATE)
			s->bad = 1;
		s->field = 0;
		return 1;
	}
	if (s->field > TPCH_COL_SHIPDATE || c == '\r')
		return 0;
	if (s->field == TPCH_COL_RETURNFLAG ||
	    s->field == TPCH_COL_LINESTATUS) {
		if (!s->first)
			s->first = c;
		else
			s->bad = 1;
		return 0;
	}
	if (c >= '0' && c <= '9') {
		s->acc = s->acc * 10 + (c - '0');
		s->nd++;
		s->frac += s->dot;
	} else if (c == '.' && !s->dot) {
		s->dot = 1;
	} else if (c != '-' || s->field != TPCH_COL_SHIPDATE) {
		s->bad = 1;
	}
	return 0;
}

#endif /* URINGBLK_TPCH_PROG_H */
