/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * lineitem.h - a deterministic TPC-H lineitem generator (the spec's value
 * rules, section 4.2.3) and host-side Q6 and Q1 over its text and binary
 * formats (bpf/tpch.h has the formats and the fixed-point conventions).
 */
#ifndef URINGBLK_TPCH_LINEITEM_H
#define URINGBLK_TPCH_LINEITEM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "../../bpf/tpch.h"

/* largest scale factor whose Q1 sums fit in s64 (bpf/tpch.h) */
#define TPCH_SF_MAX		10.0

/* one generated row: the binary columns plus what only the text has */
struct tpch_line {
	struct tpch_row r;
	uint32_t commitdate, receiptdate;	/* yyyymmdd */
	const char *shipinstruct, *shipmode;
	char comment[48];
};

struct tpch_gen {
	uint64_t rng;
	uint64_t orders, order;		/* orders in all, next order (0-based) */
	uint32_t parts, supps;
	uint32_t line, lines;		/* next line of the order, its lines */
	int32_t orderdate;		/* days since 1970 */
	uint32_t orderkey;
};

/* start a generator for scale factor sf (0 < sf <= TPCH_SF_MAX) */
int tpch_gen_init(struct tpch_gen *g, double sf, uint64_t seed);
/* the next row; 0 when all were made */
int tpch_gen_next(struct tpch_gen *g, struct tpch_line *l);
/* dbgen's text line, '\n' included, into buf (>= 256 bytes); its length */
size_t tpch_line_text(const struct tpch_line *l, char *buf);

/* yyyymmdd <-> days since 1970-01-01 */
int32_t tpch_days(uint32_t ymd);
uint32_t tpch_ymd(int32_t days);

/* Q6 and Q1 over rows, fed by the host paths below and the tests */
struct tpch_result {
	int64_t q6_revenue;			/* scale 4 */
	struct tpch_q1_group q1[TPCH_Q1_MAX_GROUPS];
	uint64_t rows;
	int bad;				/* rows that did not parse */
};
void tpch_result_init(struct tpch_result *res);
void tpch_add_row(struct tpch_result *res, const struct tpch_row *r);
/* Q1's groups sorted by (returnflag, linestatus), as ORDER BY does */
void tpch_q1_sort(struct tpch_q1_group *g);

/*
 * Host paths: parse dbgen text (a line at a time, the way an application
 * would: split at '|', convert the columns) or binary rows from buf;
 * may be called on consecutive pieces of a file (*carry holds a partial
 * line or row between calls: TPCH_CARRY_MAX bytes).
 */
#define TPCH_CARRY_MAX		512
struct tpch_carry {
	char buf[TPCH_CARRY_MAX];
	size_t len;
};
void tpch_feed_text(struct tpch_result *res, struct tpch_carry *c,
		    const char *buf, size_t len, int last);
void tpch_feed_bin(struct tpch_result *res, struct tpch_carry *c,
		   const char *buf, size_t len);

/* print Q6 / Q1 as the CLI and the sqlite check do (one format for both) */
void tpch_print_q6(FILE *f, int64_t revenue);
void tpch_print_q1(FILE *f, const struct tpch_q1_group *g);

#endif
