// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Queries: the CSV program's byte loop, a state machine over the 256-byte
 * buffer whose state survives refills (see query_gen.c for the whole
 * program and its registers; query_gen_loop.c for the pieces the JSON
 * Lines loop emits alike).
 */
#include "query_gen.h"

static bool uses_kind(const struct uringblk_query *q, int kind)
{
	for (int i = 0; i < q->nfields; i++)
		if (field_kind(&q->fields[i]) == kind)
			return true;
	return false;
}

/* jump to @l if r5 is a blank (space or tab) */
static void jump_if_blank(struct gen *g, int l)
{
	JMP_K(BPF_JEQ, 5, ' ', l);
	JMP_K(BPF_JEQ, 5, '\t', l);
}

/*
 * The pending '\r' (F_CR) turned out not to end the line: it is a byte of
 * the current field.  Text keeps it, a number or a date is bad with it.
 * Then to @ret.  Uses r1, r2.
 */
static void gen_cr_content(struct gen *g, int ret)
{
	int str = new_label(g);

	ALU_K(BPF_AND, 9, ~F_CR);
	ALU_K(BPF_OR, 9, F_ANY);
	LD_STACK(1, S_KIND);
	if (uses_kind(g->c->q, K_STR))
		JMP_K(BPF_JEQ, 1, K_STR, str);
	JMP_K(BPF_JEQ, 1, K_SKIP, ret);
	ALU_K(BPF_OR, 9, F_BAD);
	JA(ret);
	if (uses_kind(g->c->q, K_STR)) {
		place(g, str);
		gen_pack_byte(g, true, ret);
	}
}

/*
 * Jump to @bad if the field that just ended (its terminator consumed) is
 * longer than QUERY_NUM_MAX_LEN bytes, blanks included, a '\r' dropped
 * before '\n' not.  Uses r1, r2.
 */
static void gen_len_check(struct gen *g, int bad)
{
	LD_STACK(1, S_POS);
	ALU_X(BPF_ADD, 1, 6);
	LD_STACK(2, S_FSTART);
	ALU_X(BPF_SUB, 1, 2);
	ALU_K(BPF_SUB, 1, 1);
	MOV_X(2, 9);
	ALU_K(BPF_RSH, 2, F_CRDROP_SHIFT);
	ALU_K(BPF_AND, 2, 1);
	ALU_X(BPF_SUB, 1, 2);
	JMP_K(BPF_JGT, 1, QUERY_NUM_MAX_LEN, bad);
}

/*
 * The layout matters: the budget charges the straight-line span between
 * backward jumps, forward jumps over code included (prog_interp.c,
 * CHARGE_SEGMENT).  So the per-byte paths are short spans that end in a
 * backward jump: the skip loop, and the main path with its digit handler
 * right after it; the field end (fend, begin, clear) runs straight into
 * the main loop; record ends, refills and the end come last.
 *
 * Positions: the byte at buffer index r6 is at data offset S_POS + r6
 * (across refills too).  The end of the data, or a NUL byte, acts as a
 * terminator one past the last byte, so that at a field's or record's end
 * S_POS + r6 is always one past its terminator.
 */
void gen_csv(struct gen *g)
{
	struct uringblk_query *q = g->c->q;
	int begin = new_label(g), clear = new_label(g), loop = new_label(g);
	int refill = new_label(g), fend = new_label(g), fcr = new_label(g);
	int num = new_label(g), date = new_label(g), str = new_label(g);
	int bad = new_label(g), fin_num = new_label(g), fin_date = new_label(g);
	int fin_str = new_label(g), store = new_label(g), after = new_label(g);
	int rec_end = new_label(g), reset = new_label(g), done = new_label(g);
	int overflow = new_label(g), nonempty = new_label(g);
	int notheader = new_label(g), skip = new_label(g);
	int malformed = new_label(g), back = new_label(g), cr = new_label(g);
	int crpend = new_label(g), fend2 = new_label(g), eof_nul = new_label(g);
	int eof_data = new_label(g), eof2 = new_label(g), tail = new_label(g);
	int eofcr = new_label(g);
	int n_other = new_label(g), n_acc2 = new_label(g), n_ovf = new_label(g);
	int d_dash = new_label(g), d_other = new_label(g);
	int set[URINGBLK_QUERY_MAX_FIELDS];
	bool any_num = uses_kind(q, K_NUM), any_date = uses_kind(q, K_DATE);
	int i;

	gen_prologue(g);
	ST(BPF_DW, 10, S_HDR, q->has_header ? 1 : 0);
	ST(BPF_DW, 10, S_F, 0);
	ST(BPF_DW, 10, S_VALID, 0);
	ST(BPF_DW, 10, S_EOF, 0);
	ST(BPF_DW, 10, S_RSTART, 0);
	JA(begin);

	/*
	 * A field the query does not use: after its first byte (which set
	 * F_ANY) only the end tests, 9 instructions a byte.  At the buffer's
	 * end, to the main loop, which refills and comes back.
	 */
	place(g, skip);
	gen_next_byte(g, loop);
	JMP_K(BPF_JEQ, 5, (unsigned char)q->sep, fend);
	JMP_K(BPF_JEQ, 5, '\n', fend);
	JMP_K(BPF_JEQ, 5, 0, eof_nul);
	JA(skip);

	/*
	 * A field ends (r5: the separator or '\n').  A pending '\r' is
	 * dropped before '\n', else it is the field's last byte.
	 */
	place(g, fend);
	JMP_K(BPF_JSET, 9, F_CR, fcr);
	place(g, fend2);
	if (q->nfields) {
		LD_STACK(1, S_KIND);
		if (any_num) {
			JMP_K(BPF_JEQ, 1, K_NUM, fin_num);
			JMP_K(BPF_JEQ, 1, K_NUM_T, fin_num);
		}
		if (any_date) {
			JMP_K(BPF_JEQ, 1, K_DATE, fin_date);
			JMP_K(BPF_JEQ, 1, K_DATE_T, fin_date);
		}
		JMP_K(BPF_JEQ, 1, K_STR, fin_str);
	}
	JA(after);
	place(g, fcr);
	{
		int content = new_label(g);

		JMP_K(BPF_JNE, 5, '\n', content);
		ALU_K(BPF_AND, 9, ~F_CR);
		ALU_K(BPF_OR, 9, F_CRDROP);
		JA(fend2);
		place(g, content);
		gen_cr_content(g, fend2);
	}
	if (any_num) {
		int neg = new_label(g);

		place(g, fin_num);
		gen_num_valid(g, after);
		gen_len_check(g, after);
		gen_num_scale(g, after, neg);
		JA(store);
		place(g, neg);
		ALU_K(BPF_NEG, 8, 0);
		JA(store);
	}
	/* ten bytes, blanks around them; the calendar is checked at the record's end */
	if (any_date) {
		place(g, fin_date);
		JMP_K(BPF_JSET, 9, F_BAD, after);
		MOV_X(1, 9);
		ALU_K(BPF_AND, 1, 0xff);
		JMP_K(BPF_JNE, 1, 10, after);
		gen_len_check(g, after);
		JA(store);
	}
	place(g, fin_str);
	place(g, store);
	gen_store_field(g);
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
		int kind = field_kind(&q->fields[i]);

		place(g, set[i]);
		gen_set_field(g, i);
		if (kind != K_STR) {
			LD_STACK(1, S_POS);
			ALU_X(BPF_ADD, 1, 6);
			ST_STACK(S_FSTART, 1);
		}
		if (i < q->nfields - 1)
			JA(clear);
	}
	place(g, clear);
	MOV_K(8, 0);
	MOV_K(9, 0);

	/* the byte loop */
	place(g, loop);
	gen_next_byte(g, refill);
	JMP_K(BPF_JEQ, 5, (unsigned char)q->sep, fend);
	JMP_K(BPF_JEQ, 5, '\n', fend);
	JMP_K(BPF_JEQ, 5, 0, eof_nul);
	JMP_K(BPF_JSET, 9, F_CR, crpend);
	place(g, back);
	JMP_K(BPF_JEQ, 5, '\r', cr);
	ALU_K(BPF_OR, 9, F_ANY);
	if (q->nfields) {
		LD_STACK(1, S_KIND);
		if (any_num)
			JMP_K(BPF_JEQ, 1, K_NUM, num);
		if (any_date)
			JMP_K(BPF_JEQ, 1, K_DATE, date);
		if (uses_kind(q, K_STR))
			JMP_K(BPF_JEQ, 1, K_STR, str);
		if (any_num)
			JMP_K(BPF_JEQ, 1, K_NUM_T, tail);
		if (any_date)
			JMP_K(BPF_JEQ, 1, K_DATE_T, tail);
	}
	JA(skip);

	/*
	 * The hot paths first, each ending in its backward jump: digits of a
	 * number, of a date, bytes of text.  The rare ones (a sign, a point,
	 * blanks, overflow) after them all, so that no hot path pays for
	 * them (see the layout note above).
	 */
	/* [+|-]digits[.digits] with blanks around, digits first */
	if (any_num) {
		place(g, num);
		gen_num_digit(g, loop, n_other, n_ovf, n_acc2, bad);
	}
	/* [blanks]yyyy-mm-dd[blanks] -> yyyymmdd */
	if (any_date) {
		place(g, date);
		JMP_K(BPF_JSET, 9, F_BAD, loop);
		MOV_X(2, 9);
		ALU_K(BPF_AND, 2, 0xff);
		ALU_K(BPF_ADD, 9, 1);
		JMP_K(BPF_JEQ, 2, 4, d_dash);
		JMP_K(BPF_JEQ, 2, 7, d_dash);
		JMP_K(BPF_JGE, 2, 10, d_other);
		MOV_X(1, 5);
		ALU_K(BPF_SUB, 1, '0');
		JMP_K(BPF_JGT, 1, 9, d_other);
		ALU_K(BPF_MUL, 8, 10);
		ALU_X(BPF_ADD, 8, 1);
		JA(loop);
		place(g, d_dash);
		JMP_K(BPF_JNE, 5, '-', bad);
		JA(loop);
	}
	/* the first 8 bytes, packed in memory order; the rest is cut */
	if (uses_kind(q, K_STR)) {
		place(g, str);
		gen_pack_byte(g, false, loop);
	}
	if (any_num) {
		int blank = new_label(g), trail = new_label(g);
		const int started = F_DIG | F_DOT | F_NEG | F_PLUS;

		place(g, n_ovf);
		gen_num_ovf(g, n_acc2, bad);
		/* a sign only first, '.' only once, blanks only around */
		place(g, n_other);
		jump_if_blank(g, blank);
		gen_num_sign_dot(g, loop, bad);
		place(g, blank);
		JMP_K(BPF_JSET, 9, started, trail);
		JA(loop);
		place(g, trail);
		ST(BPF_DW, 10, S_KIND, K_NUM_T);
		JA(loop);
	}
	if (any_date) {
		int dblank = new_label(g);

		/* a blank first (count 0) is skipped, after it only blanks */
		place(g, d_other);
		ALU_K(BPF_SUB, 9, 1);
		JMP_K(BPF_JEQ, 5, ' ', dblank);
		JMP_K(BPF_JNE, 5, '\t', bad);
		place(g, dblank);
		JMP_K(BPF_JEQ, 2, 0, loop);
		ST(BPF_DW, 10, S_KIND, K_DATE_T);
		JA(loop);
	}
	/* after a number's or a date's trailing blank, only blanks */
	if (any_num || any_date) {
		place(g, tail);
		jump_if_blank(g, loop);
		JA(bad);
	}
	place(g, bad);
	ALU_K(BPF_OR, 9, F_BAD);
	JA(loop);

	/* a '\r': hold it until the next byte says whether it ends the line */
	place(g, cr);
	ALU_K(BPF_OR, 9, F_CR);
	JA(loop);
	place(g, crpend);
	gen_cr_content(g, back);

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
	/* at most QUERY_REC_MAX_LEN bytes with the '\n', without at the end */
	LD_STACK(1, S_POS);
	ALU_X(BPF_ADD, 1, 6);
	LD_STACK(2, S_RSTART);
	ALU_X(BPF_SUB, 1, 2);
	LD_STACK(2, S_EOF);
	ALU_K(BPF_ADD, 2, QUERY_REC_MAX_LEN);
	JMP_X(BPF_JGT, 1, 2, malformed);
	gen_rec_end(g, malformed, reset, overflow);
	ST(BPF_DW, 10, S_F, 0);
	ST(BPF_DW, 10, S_VALID, 0);
	LD_STACK(1, S_POS);
	ALU_X(BPF_ADD, 1, 6);
	ST_STACK(S_RSTART, 1);
	LD_STACK(1, S_EOF);
	JMP_K(BPF_JNE, 1, 0, done);
	JA(begin);

	/*
	 * No more data (r6 = 1 past S_POS, which the refill moved to the
	 * end), or a NUL byte (r6 past it): a last line without '\n' counts,
	 * a '\r' at its end included.
	 */
	gen_eof(g, eof_data, eof_nul);
	JMP_K(BPF_JSET, 9, F_CR, eofcr);
	place(g, eof2);
	MOV_K(5, '\n');
	LD_STACK(1, S_F);
	JMP_K(BPF_JNE, 1, 0, fend);
	JMP_K(BPF_JSET, 9, F_ANY, fend);
	JA(done);
	place(g, eofcr);
	gen_cr_content(g, eof2);

	gen_loop_end(g, refill, eof_data, loop, done, overflow);
}
