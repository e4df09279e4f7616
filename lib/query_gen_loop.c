// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Queries: what the two byte loops, CSV (query_gen_csv.c) and JSON Lines
 * (query_gen_json.c), emit alike: the next byte and the buffer's end, a
 * number's digits, sign and point and its scaling, a text's first 8
 * bytes, a value's store, the calendar check and a record's end.  The
 * values of both formats follow the same rules (Documentation/examples/
 * queries.md), so one emitter serves both; where a format differs (what
 * ends a value, blanks, '\r') the caller emits its own part around these.
 *
 * Registers as in query_gen.c: r6 = next byte (index in the buffer), r7 =
 * bytes in it, r5 = the byte, r8 = the value, r9 = its flags and byte
 * count (F_*).
 */
#include <stdint.h>

#include "query_gen.h"

/* the largest magnitude that can take one more digit (S64_MAX / 10) */
#define DIGIT_LIM	922337203685477580ULL

void gen_next_byte(struct gen *g, int empty)
{
	JMP_X(BPF_JGE, 6, 7, empty);
	MOV_X(1, 10);
	ALU_X(BPF_ADD, 1, 6);
	LDX(BPF_B, 5, 1, S_BUF);
	ALU_K(BPF_ADD, 6, 1);
}

void gen_eof(struct gen *g, int eof_data, int eof_nul)
{
	place(g, eof_data);
	MOV_K(6, 1);
	place(g, eof_nul);
	ST(BPF_DW, 10, S_EOF, 1);
}

void gen_loop_end(struct gen *g, int refill, int eof_data, int loop, int done,
		  int overflow)
{
	place(g, refill);
	gen_refill(g, 7, BUF_SIZE, 1, eof_data, loop);
	place(g, done);
	exit_with(g, 0);
	place(g, overflow);
	exit_with(g, QUERY_R0_OVERFLOW);
}

void gen_set_field(struct gen *g, int i)
{
	const struct qfield *f = &g->c->q->fields[i];

	ST(BPF_DW, 10, S_KIND, field_kind(f));
	ST(BPF_DW, 10, S_CUR, i);
	ST(BPF_DW, 10, S_SCALE, f->scale);
}

/*
 * Most values are small: one test a digit, the exact one (gen_num_ovf())
 * rarely.  After the point at most scale digits are kept, past it only
 * zeroes: a value is never rounded.
 */
void gen_num_digit(struct gen *g, int loop, int other, int ovf, int acc2,
		   int bad)
{
	int acc = new_label(g), frac = new_label(g), extra = new_label(g);

	MOV_X(1, 5);
	ALU_K(BPF_SUB, 1, '0');
	JMP_K(BPF_JGT, 1, 9, other);
	ALU_K(BPF_OR, 9, F_DIG);
	JMP_K(BPF_JSET, 9, F_DOT, frac);
	place(g, acc);
	JMP_K(BPF_JGT, 8, INT32_MAX, ovf);
	place(g, acc2);
	ALU_K(BPF_MUL, 8, 10);
	ALU_X(BPF_ADD, 8, 1);
	JA(loop);
	place(g, frac);
	MOV_X(2, 9);
	ALU_K(BPF_RSH, 2, F_FRAC_SHIFT);
	ALU_K(BPF_AND, 2, 0xff);
	LD_STACK(3, S_SCALE);
	JMP_X(BPF_JGE, 2, 3, extra);
	ALU_K(BPF_ADD, 9, 1 << F_FRAC_SHIFT);
	JA(acc);
	place(g, extra);
	JMP_K(BPF_JNE, 1, 0, bad);
	JA(loop);
}

/* v * 10 + d > S64_MAX: v > S64_MAX / 10, or equal and d > 7 */
void gen_num_ovf(struct gen *g, int acc2, int bad)
{
	lddw(g, 2, DIGIT_LIM);
	JMP_X(BPF_JLT, 8, 2, acc2);
	JMP_X(BPF_JGT, 8, 2, bad);
	JMP_K(BPF_JGT, 1, 7, bad);
	JA(acc2);
}

/* a sign only first, '.' only once */
void gen_num_sign_dot(struct gen *g, int loop, int bad)
{
	int sign = new_label(g), plus = new_label(g);
	const int started = F_DIG | F_DOT | F_NEG | F_PLUS;

	JMP_K(BPF_JEQ, 5, '-', sign);
	JMP_K(BPF_JEQ, 5, '+', sign);
	JMP_K(BPF_JNE, 5, '.', bad);
	JMP_K(BPF_JSET, 9, F_DOT, bad);
	ALU_K(BPF_OR, 9, F_DOT);
	JA(loop);
	place(g, sign);
	JMP_K(BPF_JSET, 9, started, bad);
	JMP_K(BPF_JNE, 5, '-', plus);
	ALU_K(BPF_OR, 9, F_NEG);
	JA(loop);
	place(g, plus);
	ALU_K(BPF_OR, 9, F_PLUS);
	JA(loop);
}

void gen_num_valid(struct gen *g, int fail)
{
	JMP_K(BPF_JSET, 9, F_BAD, fail);
	MOV_X(1, 9);
	ALU_K(BPF_AND, 1, F_DIG);
	JMP_K(BPF_JEQ, 1, 0, fail);
}

/* pad to the scale, the magnitude within S64_MAX */
void gen_num_scale(struct gen *g, int fail, int neg)
{
	int pad = new_label(g), padded = new_label(g);

	MOV_X(2, 9);
	ALU_K(BPF_RSH, 2, F_FRAC_SHIFT);
	ALU_K(BPF_AND, 2, 0xff);
	LD_STACK(3, S_SCALE);
	lddw(g, 4, DIGIT_LIM);
	place(g, pad);
	JMP_X(BPF_JGE, 2, 3, padded);
	JMP_X(BPF_JGT, 8, 4, fail);
	ALU_K(BPF_MUL, 8, 10);
	ALU_K(BPF_ADD, 2, 1);
	JA(pad);
	place(g, padded);
	JMP_K(BPF_JSET, 9, F_NEG, neg);
}

void gen_pack_byte(struct gen *g, bool cr, int ret)
{
	MOV_X(2, 9);
	ALU_K(BPF_AND, 2, 0xff);
	JMP_K(BPF_JGE, 2, 8, ret);
	ALU_K(BPF_ADD, 9, 1);
	ALU_K(BPF_LSH, 2, 3);
	if (cr)
		MOV_K(1, '\r');
	else
		MOV_X(1, 5);
	ALU_X(BPF_LSH, 1, 2);
	ALU_X(BPF_OR, 8, 1);
	JA(ret);
}

void gen_store_field(struct gen *g)
{
	LD_STACK(1, S_CUR);
	MOV_K(2, 1);
	ALU_X(BPF_LSH, 2, 1);
	LD_STACK(3, S_VALID);
	ALU_X(BPF_OR, 3, 2);
	ST_STACK(S_VALID, 3);
	ALU_K(BPF_LSH, 1, 3);
	ALU_X(BPF_ADD, 1, 10);
	STX(BPF_DW, 1, 8, S_SLOT(0));
}

/*
 * Jump to @bad unless the yyyymmdd in stack slot @slot is a day of the
 * calendar: month 1-12, day 1-28/29/30/31, February 29 in years divisible
 * by 4 but not by 100 unless by 400.  Uses r0-r4.
 */
void gen_calendar(struct gen *g, int slot, int bad)
{
	int d30 = new_label(g), leap = new_label(g), check = new_label(g);

	LD_STACK(4, S_SLOT(slot));
	MOV_X(1, 4);
	ALU_K(BPF_DIV, 1, 100);
	ALU_K(BPF_MOD, 1, 100);
	MOV_X(2, 4);
	ALU_K(BPF_MOD, 2, 100);
	JMP_K(BPF_JEQ, 2, 0, bad);
	MOV_X(3, 1);
	ALU_K(BPF_SUB, 3, 1);
	JMP_K(BPF_JGT, 3, 11, bad);
	MOV_K(3, 31);
	JMP_K(BPF_JEQ, 1, 4, d30);
	JMP_K(BPF_JEQ, 1, 6, d30);
	JMP_K(BPF_JEQ, 1, 9, d30);
	JMP_K(BPF_JEQ, 1, 11, d30);
	JMP_K(BPF_JNE, 1, 2, check);
	MOV_K(3, 28);
	ALU_K(BPF_DIV, 4, 10000);
	MOV_X(0, 4);
	ALU_K(BPF_MOD, 0, 400);
	JMP_K(BPF_JEQ, 0, 0, leap);
	MOV_X(0, 4);
	ALU_K(BPF_MOD, 0, 100);
	JMP_K(BPF_JEQ, 0, 0, check);
	MOV_X(0, 4);
	ALU_K(BPF_MOD, 0, 4);
	JMP_K(BPF_JNE, 0, 0, check);
	place(g, leap);
	MOV_K(3, 29);
	JA(check);
	place(g, d30);
	MOV_K(3, 30);
	place(g, check);
	JMP_X(BPF_JGT, 2, 3, bad);
}

void gen_rec_end(struct gen *g, int malformed, int reset, int overflow)
{
	struct uringblk_query *q = g->c->q;

	LD_STACK(2, S_VALID);
	JMP_K(BPF_JNE, 2, (__s32)((1U << q->nfields) - 1), malformed);
	for (int i = 0; i < q->nfields; i++)
		if (field_kind(&q->fields[i]) == K_DATE)
			gen_calendar(g, i, malformed);
	gen_record(g, reset, overflow);
	JA(reset);
	place(g, malformed);
	out_inc(g, QOUT_MALFORMED);
	place(g, reset);
}
