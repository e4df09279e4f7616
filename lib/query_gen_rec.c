// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Queries: the CSV program on the drive's record helpers (the default;
 * query_gen_csv.c's byte loop is the reference it must agree with).
 *
 * uringblk_rec_parse() (<linux/uringblk_prog.h>, "Records") splits a
 * batch of records and parses the fields the query uses into a row of
 * s64 values each, in the drive, a word at a time; the program only walks
 * the rows: WHERE and the group update, as the byte loop does once a
 * record is whole.  The language's record rules are the helpers' (a
 * number's syntax, a '\r' before '\n', text cut to 8 bytes, records of at
 * most URINGBLK_REC_MAX_LEN bytes), plus three the program adds:
 *
 *  - the data end at the first NUL byte: one uringblk_find() first;
 *  - an empty line is no record: the helper skips it
 *    (URINGBLK_REC_F_SKIP_EMPTY).  For a drive before ABI 1.11 (the plain
 *    form, q->rec_plain), each row also gets fields 0 and 1 as text
 *    ("hidden" values): a record is empty iff field 0 is "" and field 1
 *    missing (its text value 0 and URINGBLK_NUM_BAD; no byte before the
 *    end is NUL, so a non-empty field 0 is not 0);
 *  - a record too long for the helper (-E2BIG) is malformed: skipped to
 *    the next '\n' with uringblk_find().
 *
 * WHERE's simple conjuncts (a field against a literal) go to the helper as
 * conditions: a record they reject gets no row, and the helper counts it
 * (URINGBLK_REC_F_COUNT), so the program's per-row loop runs only over the
 * rows that may match or are malformed.
 *
 * The rows are the program's .bss (QUERY_REC_BSS bytes, the drive's
 * writable globals, <linux/uringblk_prog.h> "globals"): 127 records of
 * Q6's 4 values per call, so that a call's fixed cost and page lookups
 * spread over a few KiB of data.
 *
 * Registers: r6 = rows of the batch left, r7 = the row (program address),
 * which survive helper calls and expressions (query_gen.c: temporaries
 * r0-r5, r8, r9).
 */
#include "query_gen.h"

/* Stack layout (the byte loop's S_BUF and slots are free here) */
#define S_SPEC		(-512)	/* struct uringblk_rec_spec, 72 bytes */
#define S_CONDS		(S_SPEC + 72)	/* its conditions, 16 bytes each */
#define S_ZERO		(-104)	/* a 0 byte, the pattern for the NUL */
#define S_NL		(-112)	/* a '\n' byte */
/* vals: vals[0] then the rows, the whole .bss (nothing else in globals) */
#define VALS		URINGBLK_PROG_GLOBAL_ADDR
#define VALS_MAX	(QUERY_REC_BSS / 8)

static __u32 fmt_of(const struct qfield *f)
{
	switch (f->type) {
	case QT_DATE:	return URINGBLK_NUM_FMT(URINGBLK_NUM_DATE, 0);
	case QT_STR:	return URINGBLK_NUM_FMT(URINGBLK_NUM_CHARS, 0);
	/* int is decimal at scale 0: "5.00" is 5, as in the byte loop */
	default:	return URINGBLK_NUM_FMT(URINGBLK_NUM_DEC, f->scale);
	}
}

bool query_gen_rec_fits(const struct uringblk_query *q)
{
	if (q->binary || q->nfields + 2 > URINGBLK_REC_MAX_VALS)
		return false;
	for (int i = 0; i < q->nfields; i++)
		if (q->fields[i].col > 254)
			return false;
	return true;
}

/* r0 = uringblk_find() of the byte at stack offset @pat in [S_POS, S_LIMIT) */
static void gen_find(struct gen *g, int pat)
{
	LD_STACK(1, S_POS);
	LD_STACK(2, S_LIMIT);
	ALU_X(BPF_SUB, 2, 1);
	MOV_X(3, 10);
	ALU_K(BPF_ADD, 3, pat);
	MOV_K(4, 1);
	I(g, BPF_JMP | BPF_CALL, 0, 0, 0, URINGBLK_HELPER_FIND);
}

/* S_POS = past the '\n' at or after S_POS (r0 of gen_find), or S_LIMIT */
static void gen_skip_line(struct gen *g, int then)
{
	int none = new_label(g);

	gen_find(g, S_NL);
	JMP_K(BPF_JSLT, 0, 0, none);
	ALU_K(BPF_ADD, 0, 1);
	ST_STACK(S_POS, 0);
	JA(then);
	place(g, none);
	LD_STACK(0, S_LIMIT);
	ST_STACK(S_POS, 0);
	JA(then);
}

/* @op as uringblk_rec_cond's op, its sides swapped if @swap */
static int rec_op(enum qop op, bool swap)
{
	switch (op) {
	case QOP_EQ:	return URINGBLK_REC_EQ;
	case QOP_NE:	return URINGBLK_REC_NE;
	case QOP_LT:	return swap ? URINGBLK_REC_GT : URINGBLK_REC_LT;
	case QOP_LE:	return swap ? URINGBLK_REC_GE : URINGBLK_REC_LE;
	case QOP_GT:	return swap ? URINGBLK_REC_LT : URINGBLK_REC_GT;
	case QOP_GE:	return swap ? URINGBLK_REC_LE : URINGBLK_REC_GE;
	}
	return -1;
}

/*
 * @a @op @b as a condition on a row value, if it is one exactly: a field
 * against a literal at no greater scale whose value at the field's scale
 * fits in 64 bits, so that the field's value is compared as it is with
 * the literal scaled: what gen_cmp() computes.
 */
static bool rec_cond(const struct uringblk_query *q, const struct qnode *a,
		     const struct qnode *b, enum qop op,
		     struct uringblk_rec_cond *c)
{
	bool swap = a->kind == QN_LIT;
	const struct qnode *f = swap ? b : a, *k = swap ? a : b;
	__s64 v;

	if (f->kind != QN_FIELD || k->kind != QN_LIT ||
	    f->scale != q->fields[f->field].scale || k->scale > f->scale)
		return false;
	v = k->val;
	/* a literal whose scaled value leaves 64 bits: the program decides */
	for (int i = k->scale; i < f->scale; i++)
		if (__builtin_mul_overflow(v, 10, &v))
			return false;
	memset(c, 0, sizeof(*c));
	c->val = (__u8)f->field;
	c->op = (__u8)rec_op(op, swap);
	c->k = v;
	return true;
}

/*
 * The conditions the helper checks for the program: WHERE's conjuncts that are rec_cond()s, at most
 * URINGBLK_REC_MAX_CONDS.  Each is implied by WHERE, so a row the helper
 * drops is one WHERE drops; the program still evaluates WHERE whole.
 */
static void rec_conds(const struct uringblk_query *q, const struct qnode *n,
		      struct uringblk_rec_cond *c, int *nc)
{
	if (!n || *nc == URINGBLK_REC_MAX_CONDS)
		return;
	switch (n->kind) {
	case QN_AND:
		rec_conds(q, n->a, c, nc);
		rec_conds(q, n->b, c, nc);
		return;
	case QN_CMP:
		if (rec_cond(q, n->a, n->b, n->op, &c[*nc]))
			(*nc)++;
		return;
	case QN_BETWEEN:	/* a >= c AND a <= b */
		if (rec_cond(q, n->a, n->c, QOP_GE, &c[*nc]))
			(*nc)++;
		if (*nc < URINGBLK_REC_MAX_CONDS &&
		    rec_cond(q, n->a, n->b, QOP_LE, &c[*nc]))
			(*nc)++;
		return;
	default:
		return;
	}
}

/*
 * Two forms.  Filtered (the default; drive ABI 1.11): the helper skips
 * empty lines, drops the records WHERE's simple conjuncts reject and
 * counts the records it read (URINGBLK_REC_F_*), so the program's loop
 * runs only over rows that are malformed or may match.  Plain
 * (q->rec_plain, for an older drive): every record gets a row, with the
 * two hidden values that tell an empty line.
 */
void gen_rec(struct gen *g)
{
	struct uringblk_query *q = g->c->q;
	bool plain = q->rec_plain;
	/* a query of no field reads field 0 as text, which is never bad */
	int nv = q->nfields + (plain ? 2 : !q->nfields);
	int h0 = q->nfields, h1 = h0 + 1;
	int head = plain ? 1 : 2;
	int recs = (VALS_MAX - head) / nv, nc = 0;
	int batch = new_label(g), rows_done = new_label(g), next = new_label(g);
	int nonempty = new_label(g), malformed = new_label(g);
	int toolong = new_label(g), done = new_label(g), start = new_label(g);
	int overflow = new_label(g), nonul = new_label(g);
	struct uringblk_rec_cond conds[URINGBLK_REC_MAX_CONDS];

	if (recs > URINGBLK_REC_MAX_RECS)
		recs = URINGBLK_REC_MAX_RECS;
	if (!plain)
		rec_conds(q, q->where, conds, &nc);
	q->rec_conds = nc;
	q->bss_len = QUERY_REC_BSS;
	gen_prologue(g);
	/* the spec: sep, nvals, max_recs, flags, nconds, rsvd 0, the values */
	ST(BPF_W, 10, S_SPEC, (unsigned char)q->sep | nv << 8 | recs << 16);
	ST(BPF_W, 10, S_SPEC + 4, plain ? 0 : (URINGBLK_REC_F_SKIP_EMPTY |
					       URINGBLK_REC_F_COUNT | nc << 8));
	for (int i = 0; i < q->nfields; i++)
		ST(BPF_W, 10, S_SPEC + 8 + 4 * i,
		   (__s32)(q->fields[i].col | fmt_of(&q->fields[i]) << 8));
	if (!plain && !q->nfields)
		ST(BPF_W, 10, S_SPEC + 8,
		   (__s32)(0 | URINGBLK_NUM_FMT(URINGBLK_NUM_CHARS, 0) << 8));
	if (plain) {
		ST(BPF_W, 10, S_SPEC + 8 + 4 * h0,
		   (__s32)(0 | URINGBLK_NUM_FMT(URINGBLK_NUM_CHARS, 0) << 8));
		ST(BPF_W, 10, S_SPEC + 8 + 4 * h1,
		   (__s32)(1 | URINGBLK_NUM_FMT(URINGBLK_NUM_CHARS, 0) << 8));
	}
	for (int i = 0; i < nc; i++) {
		int at = S_CONDS + 16 * i;

		ST(BPF_W, 10, at, conds[i].val | conds[i].op << 8);
		ST(BPF_W, 10, at + 4, 0);
		lddw(g, 1, (__u64)conds[i].k);
		STX(BPF_DW, 10, 1, at + 8);
	}
	ST(BPF_DW, 10, S_ZERO, 0);
	ST(BPF_DW, 10, S_NL, '\n');

	/* a NUL byte ends the data */
	gen_find(g, S_ZERO);
	JMP_K(BPF_JSLT, 0, 0, nonul);
	ST_STACK(S_LIMIT, 0);
	place(g, nonul);
	if (q->has_header)
		gen_skip_line(g, batch);

	place(g, batch);
	LD_STACK(1, S_POS);
	LD_STACK(2, S_LIMIT);
	MOV_X(3, 10);
	ALU_K(BPF_ADD, 3, S_SPEC);
	lddw(g, 4, VALS);
	I(g, BPF_JMP | BPF_CALL, 0, 0, 0, URINGBLK_HELPER_REC_PARSE);
	JMP_K(BPF_JSLT, 0, 0, toolong);
	MOV_X(6, 0);
	lddw(g, 7, VALS + 8 * head);
	if (plain) {
		JMP_K(BPF_JEQ, 6, 0, done);
	} else {
		/* every record read counts, rows or not: once a batch */
		lddw(g, 1, VALS);
		LDX(BPF_DW, 3, 1, 8);
		lddw(g, 1, URINGBLK_PROG_OUT_ADDR);
		LDX(BPF_DW, 2, 1, QOUT_RECORDS);
		ALU_X(BPF_ADD, 2, 3);
		STX(BPF_DW, 1, 2, QOUT_RECORDS);
		JMP_K(BPF_JEQ, 6, 0, rows_done);
	}
	JA(start);

	/* per row: (plain: empty,) malformed, or WHERE and the group */
	place(g, next);
	ALU_K(BPF_ADD, 7, 8 * nv);
	ALU_K(BPF_SUB, 6, 1);
	JMP_K(BPF_JEQ, 6, 0, rows_done);
	place(g, start);
	if (plain) {
		lddw(g, 2, (__u64)URINGBLK_NUM_BAD);
		LDX(BPF_DW, 1, 7, 8 * h1);
		JMP_X(BPF_JNE, 1, 2, nonempty);
		LDX(BPF_DW, 1, 7, 8 * h0);
		JMP_K(BPF_JEQ, 1, 0, next);
		place(g, nonempty);
		out_inc(g, QOUT_RECORDS);
	}
	lddw(g, 2, (__u64)URINGBLK_NUM_BAD);
	for (int i = 0; i < q->nfields; i++) {
		LDX(BPF_DW, 1, 7, 8 * i);
		JMP_X(BPF_JEQ, 1, 2, malformed);
	}
	gen_record(g, next, overflow);
	JA(next);
	place(g, malformed);
	out_inc(g, QOUT_MALFORMED);
	JA(next);

	/* the next batch starts past the last record read */
	place(g, rows_done);
	lddw(g, 1, VALS);
	LDX(BPF_DW, 1, 1, 0);
	ST_STACK(S_POS, 1);
	if (!plain) {
		LD_STACK(2, S_LIMIT);
		JMP_X(BPF_JGE, 1, 2, done);
	}
	JA(batch);

	/* a record longer than URINGBLK_REC_MAX_LEN: malformed, skipped */
	place(g, toolong);
	out_inc(g, QOUT_RECORDS);
	out_inc(g, QOUT_MALFORMED);
	gen_skip_line(g, batch);

	place(g, done);
	exit_with(g, 0);
	place(g, overflow);
	exit_with(g, QUERY_R0_OVERFLOW);
}
