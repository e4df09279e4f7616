// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Queries: the CSV program's byte loop, a state machine over the 256-byte
 * buffer whose state survives refills (see query_gen.c for the whole
 * program and its registers).
 */
#include "query_gen.h"

static int field_kind(const struct qfield *f)
{
	switch (f->type) {
	case QT_DATE:	return K_DATE;
	case QT_STR:	return K_STR;
	default:	return K_NUM;
	}
}

static bool uses_kind(const struct uringblk_query *q, int kind)
{
	for (int i = 0; i < q->nfields; i++)
		if (field_kind(&q->fields[i]) == kind)
			return true;
	return false;
}

/*
 * Jump to @bad unless the yyyymmdd in stack slot @slot is a day of the
 * calendar: month 1-12, day 1-28/29/30/31, February 29 in years divisible
 * by 4 but not by 100 unless by 400.  Uses r0-r4.
 */
static void gen_calendar(struct gen *g, int slot, int bad)
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

/*
 * The layout matters: the budget charges the straight-line span between
 * backward jumps, forward jumps over code included (prog_interp.c,
 * CHARGE_SEGMENT).  So the per-byte paths are short spans that end in a
 * backward jump: the skip loop, and the main path with its digit handler
 * right after it; the field end (fend, begin, clear) runs straight into
 * the main loop; record ends, refills and the end come last.
 */
void gen_csv(struct gen *g)
{
	struct uringblk_query *q = g->c->q;
	int begin = new_label(g), clear = new_label(g), loop = new_label(g);
	int refill = new_label(g), fend = new_label(g), eof = new_label(g);
	int num = new_label(g), date = new_label(g), str = new_label(g);
	int bad = new_label(g), fin_num = new_label(g), fin_date = new_label(g);
	int fin_str = new_label(g), store = new_label(g), after = new_label(g);
	int rec_end = new_label(g), reset = new_label(g), done = new_label(g);
	int overflow = new_label(g), nonempty = new_label(g);
	int notheader = new_label(g), skip = new_label(g);
	int malformed = new_label(g);
	int set[URINGBLK_QUERY_MAX_FIELDS];
	int i;

	gen_prologue(g);
	ST(BPF_DW, 10, S_HDR, q->has_header ? 1 : 0);
	ST(BPF_DW, 10, S_F, 0);
	ST(BPF_DW, 10, S_VALID, 0);
	ST(BPF_DW, 10, S_EOF, 0);
	JA(begin);

	/*
	 * A field the query does not use: after its first byte (which set
	 * F_ANY) only the end tests, 9 instructions a byte.  At the buffer's
	 * end, to the main loop, which refills and comes back.
	 */
	place(g, skip);
	JMP_X(BPF_JGE, 6, 7, loop);
	MOV_X(1, 10);
	ALU_X(BPF_ADD, 1, 6);
	LDX(BPF_B, 5, 1, S_BUF);
	ALU_K(BPF_ADD, 6, 1);
	JMP_K(BPF_JEQ, 5, (unsigned char)q->sep, fend);
	JMP_K(BPF_JEQ, 5, '\n', fend);
	JMP_K(BPF_JEQ, 5, 0, eof);
	JA(skip);

	/* a field ends (r5: the separator or '\n'): its value to its slot */
	place(g, fend);
	if (q->nfields) {
		LD_STACK(1, S_KIND);
		JMP_K(BPF_JEQ, 1, K_NUM, fin_num);
		JMP_K(BPF_JEQ, 1, K_DATE, fin_date);
		JMP_K(BPF_JEQ, 1, K_STR, fin_str);
	}
	JA(after);
	{
		int pad = new_label(g), padded = new_label(g), neg = new_label(g);

		place(g, fin_num);
		JMP_K(BPF_JSET, 9, F_BAD, after);
		MOV_X(1, 9);
		ALU_K(BPF_AND, 1, F_DIG);
		JMP_K(BPF_JEQ, 1, 0, after);
		/* pad to the scale */
		MOV_X(2, 9);
		ALU_K(BPF_RSH, 2, F_FRAC_SHIFT);
		ALU_K(BPF_AND, 2, 0xff);
		LD_STACK(3, S_SCALE);
		place(g, pad);
		JMP_X(BPF_JGE, 2, 3, padded);
		ALU_K(BPF_MUL, 8, 10);
		ALU_K(BPF_ADD, 2, 1);
		JA(pad);
		place(g, padded);
		JMP_K(BPF_JSET, 9, F_NEG, neg);
		JA(store);
		place(g, neg);
		ALU_K(BPF_NEG, 8, 0);
		JA(store);
	}
	/* ten bytes; the calendar is checked once a record is whole */
	place(g, fin_date);
	JMP_K(BPF_JSET, 9, F_BAD, after);
	MOV_X(1, 9);
	ALU_K(BPF_AND, 1, 0xff);
	JMP_K(BPF_JNE, 1, 10, after);
	JA(store);
	place(g, fin_str);
	JMP_K(BPF_JSET, 9, F_BAD, after);
	place(g, store);
	LD_STACK(1, S_CUR);
	MOV_K(2, 1);
	ALU_X(BPF_LSH, 2, 1);
	LD_STACK(3, S_VALID);
	ALU_X(BPF_OR, 3, 2);
	ST_STACK(S_VALID, 3);
	ALU_K(BPF_LSH, 1, 3);
	ALU_X(BPF_ADD, 1, 10);
	STX(BPF_DW, 1, 8, S_SLOT(0));
	place(g, after);
	JMP_K(BPF_JEQ, 5, '\n', rec_end);
	LD_STACK(1, S_F);
	ALU_K(BPF_ADD, 1, 1);
	ST_STACK(S_F, 1);

	/* a field begins: how to parse it */
	place(g, begin);
	LD_STACK(1, S_F);
	for (i = 0; i < q->nfields; i++) {
		set[i] = new_label(g);
		JMP_K(BPF_JEQ, 1, q->fields[i].col, set[i]);
	}
	ST(BPF_DW, 10, S_KIND, K_SKIP);
	JA(clear);
	for (i = 0; i < q->nfields; i++) {
		place(g, set[i]);
		ST(BPF_DW, 10, S_KIND, field_kind(&q->fields[i]));
		ST(BPF_DW, 10, S_CUR, i);
		ST(BPF_DW, 10, S_SCALE, q->fields[i].scale);
		if (i < q->nfields - 1)
			JA(clear);
	}
	place(g, clear);
	MOV_K(8, 0);
	MOV_K(9, 0);

	/* the byte loop */
	place(g, loop);
	JMP_X(BPF_JGE, 6, 7, refill);
	MOV_X(1, 10);
	ALU_X(BPF_ADD, 1, 6);
	LDX(BPF_B, 5, 1, S_BUF);
	ALU_K(BPF_ADD, 6, 1);
	JMP_K(BPF_JEQ, 5, (unsigned char)q->sep, fend);
	JMP_K(BPF_JEQ, 5, '\n', fend);
	JMP_K(BPF_JEQ, 5, 0, eof);
	JMP_K(BPF_JEQ, 5, '\r', loop);
	ALU_K(BPF_OR, 9, F_ANY);
	if (q->nfields) {
		LD_STACK(1, S_KIND);
		if (uses_kind(q, K_NUM))
			JMP_K(BPF_JEQ, 1, K_NUM, num);
		if (uses_kind(q, K_DATE))
			JMP_K(BPF_JEQ, 1, K_DATE, date);
		if (uses_kind(q, K_STR))
			JMP_K(BPF_JEQ, 1, K_STR, str);
	}
	JA(skip);

	/* [-]digits[.digits], digits first */
	if (uses_kind(q, K_NUM)) {
		int other = new_label(g), notminus = new_label(g);
		int frac = new_label(g), extra = new_label(g);

		place(g, num);
		MOV_X(1, 5);
		ALU_K(BPF_SUB, 1, '0');
		JMP_K(BPF_JGT, 1, 9, other);
		ALU_K(BPF_OR, 9, F_DIG);
		JMP_K(BPF_JSET, 9, F_DOT, frac);
		ALU_K(BPF_MUL, 8, 10);
		ALU_X(BPF_ADD, 8, 1);
		JA(loop);
		/* after the point: keep at most scale digits */
		place(g, frac);
		MOV_X(2, 9);
		ALU_K(BPF_RSH, 2, F_FRAC_SHIFT);
		ALU_K(BPF_AND, 2, 0xff);
		LD_STACK(3, S_SCALE);
		JMP_X(BPF_JGE, 2, 3, extra);
		ALU_K(BPF_ADD, 9, 1 << F_FRAC_SHIFT);
		ALU_K(BPF_MUL, 8, 10);
		ALU_X(BPF_ADD, 8, 1);
		JA(loop);
		/* past the scale only zeroes: a value is never rounded */
		place(g, extra);
		JMP_K(BPF_JNE, 1, 0, bad);
		JA(loop);
		/* '-' only first, '.' only once, nothing else */
		place(g, other);
		JMP_K(BPF_JNE, 5, '-', notminus);
		MOV_X(1, 9);
		ALU_K(BPF_AND, 1, ~F_ANY);
		JMP_K(BPF_JNE, 1, 0, bad);
		ALU_K(BPF_OR, 9, F_NEG);
		JA(loop);
		place(g, notminus);
		JMP_K(BPF_JNE, 5, '.', bad);
		JMP_K(BPF_JSET, 9, F_DOT, bad);
		ALU_K(BPF_OR, 9, F_DOT);
		JA(loop);
	}
	/* yyyy-mm-dd -> yyyymmdd */
	if (uses_kind(q, K_DATE)) {
		int dash = new_label(g);

		place(g, date);
		JMP_K(BPF_JSET, 9, F_BAD, loop);
		MOV_X(2, 9);
		ALU_K(BPF_AND, 2, 0xff);
		ALU_K(BPF_ADD, 9, 1);
		JMP_K(BPF_JEQ, 2, 4, dash);
		JMP_K(BPF_JEQ, 2, 7, dash);
		JMP_K(BPF_JGE, 2, 10, bad);
		MOV_X(1, 5);
		ALU_K(BPF_SUB, 1, '0');
		JMP_K(BPF_JGT, 1, 9, bad);
		ALU_K(BPF_MUL, 8, 10);
		ALU_X(BPF_ADD, 8, 1);
		JA(loop);
		place(g, dash);
		JMP_K(BPF_JNE, 5, '-', bad);
		JA(loop);
	}
	/* up to 8 bytes, packed in memory order */
	if (uses_kind(q, K_STR)) {
		place(g, str);
		JMP_K(BPF_JSET, 9, F_BAD, loop);
		MOV_X(2, 9);
		ALU_K(BPF_AND, 2, 0xff);
		JMP_K(BPF_JGE, 2, 8, bad);
		ALU_K(BPF_ADD, 9, 1);
		ALU_K(BPF_LSH, 2, 3);
		MOV_X(1, 5);
		ALU_X(BPF_LSH, 1, 2);
		ALU_X(BPF_OR, 8, 1);
		JA(loop);
	}
	place(g, bad);
	ALU_K(BPF_OR, 9, F_BAD);
	JA(loop);

	/* a record ends: the header, an empty line, or a record */
	place(g, rec_end);
	LD_STACK(1, S_HDR);
	JMP_K(BPF_JEQ, 1, 0, notheader);
	ST(BPF_DW, 10, S_HDR, 0);
	JA(reset);
	place(g, notheader);
	LD_STACK(1, S_F);
	JMP_K(BPF_JNE, 1, 0, nonempty);
	JMP_K(BPF_JSET, 9, F_ANY, nonempty);
	JA(reset);
	place(g, nonempty);
	out_inc(g, QOUT_RECORDS);
	LD_STACK(2, S_VALID);
	JMP_K(BPF_JNE, 2, (__s32)((1U << q->nfields) - 1), malformed);
	for (i = 0; i < q->nfields; i++)
		if (field_kind(&q->fields[i]) == K_DATE)
			gen_calendar(g, i, malformed);
	gen_record(g, reset, overflow);
	JA(reset);
	place(g, malformed);
	out_inc(g, QOUT_MALFORMED);
	place(g, reset);
	ST(BPF_DW, 10, S_F, 0);
	ST(BPF_DW, 10, S_VALID, 0);
	LD_STACK(1, S_EOF);
	JMP_K(BPF_JNE, 1, 0, done);
	JA(begin);

	/* no more data (or a NUL byte): a last line without '\n' counts */
	place(g, eof);
	ST(BPF_DW, 10, S_EOF, 1);
	MOV_K(5, '\n');
	LD_STACK(1, S_F);
	JMP_K(BPF_JNE, 1, 0, fend);
	JMP_K(BPF_JSET, 9, F_ANY, fend);
	JA(done);

	place(g, refill);
	gen_refill(g, 7, BUF_SIZE, 1, eof, loop);

	place(g, done);
	exit_with(g, 0);
	place(g, overflow);
	exit_with(g, QUERY_R0_OVERFLOW);
}
