// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Queries: code generation.  A checked query becomes one eBPF program for
 * the drive's VM (<linux/uringblk_prog.h>) that reads the data with
 * uringblk_read() into a 256-byte stack buffer and walks it:
 *
 *  - CSV: one byte at a time, a state machine whose state (field number,
 *    the field's parse state) survives buffer refills, so records and
 *    fields may cross any buffer, extent or chunk boundary.  A field the
 *    query uses is parsed while it streams by into r8 (value) and r9
 *    (flags); at its end the value goes to its stack slot and its bit to
 *    VALID.  At a record's end: WHERE, then the group table.
 *  - binary: whole records of the buffer (refills take whole records).
 *
 * Registers: r6 = next byte (index in the buffer), r7 = bytes in the
 * buffer, r8/r9 = CSV field parse state; r0-r5 scratch, never live across
 * the uringblk_read() call (the validator refuses that).  Expressions use
 * r0-r5, r8, r9 as a register stack (8 deep).
 *
 * The output layout is in query.h; its rules (what a malformed record is,
 * how numbers are parsed) are the host interpreter's (query_host.c), and
 * the tests run both over the same data.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

#include "query.h"

/* Stack layout, offsets from r10 */
#define BUF_SIZE	256
#define S_BUF		(-512)			/* BUF_SIZE + 8 slack bytes */
#define S_SLOT(i)	(-248 + 8 * (i))	/* field values */
#define S_POS		(-8)	/* data offset of the buffer's first byte */
#define S_LIMIT		(-16)	/* bytes to read */
#define S_F		(-24)	/* CSV: field number in the record */
#define S_KIND		(-32)	/* CSV: how the current field is parsed */
#define S_CUR		(-40)	/* CSV: its slot */
#define S_SCALE		(-48)	/* CSV: its scale */
#define S_VALID		(-56)	/* CSV: bit per slot parsed well */
#define S_HDR		(-64)	/* CSV: the next line is the header */
#define S_EOF		(-72)	/* CSV: no more data after this record */
#define S_ENT		(-80)	/* the group entry being updated */

/* CSV field kinds */
enum { K_SKIP, K_NUM, K_DATE, K_STR };

/* r9 flags while a field is parsed; bits 0-7 count bytes (date, str) */
#define F_NEG	(1 << 8)
#define F_DOT	(1 << 9)
#define F_DIG	(1 << 10)
#define F_BAD	(1 << 11)
#define F_FRAC_SHIFT 16	/* bits 16-23: digits after the point kept */
#define F_ANY	(1 << 30)	/* the field (record, for F == 0) has a byte */

#define MAX_LABELS	1024
#define MAX_FIXUPS	2048

struct gen {
	struct qctx		*c;
	struct bpf_insn		*ins;
	unsigned int		n, cap;
	int			label[MAX_LABELS];
	int			nlabels;
	struct {
		unsigned int	insn;
		int		label;
	}			fix[MAX_FIXUPS];
	int			nfix;
	int			err;
};

static const int treg[] = { 0, 1, 2, 3, 4, 5, 8, 9 };
#define NTREGS	((int)ARRAY_SIZE(treg))

static void I(struct gen *g, __u8 code, __u8 dst, __u8 src, __s16 off, __s32 imm)
{
	if (g->n == g->cap) {
		unsigned int cap = g->cap ? 2 * g->cap : 512;
		struct bpf_insn *ins = realloc(g->ins, cap * sizeof(*ins));

		if (!ins) {
			g->err = -ENOMEM;
			return;
		}
		g->ins = ins;
		g->cap = cap;
	}
	g->ins[g->n++] = (struct bpf_insn){ .code = code, .dst_reg = dst,
					    .src_reg = src, .off = off, .imm = imm };
}

#define ALU_K(op, d, k)		I(g, BPF_ALU64 | BPF_K | (op), d, 0, 0, k)
#define ALU_X(op, d, s)		I(g, BPF_ALU64 | BPF_X | (op), d, s, 0, 0)
#define MOV_K(d, k)		ALU_K(BPF_MOV, d, k)
#define MOV_X(d, s)		ALU_X(BPF_MOV, d, s)
#define LDX(sz, d, s, o)	I(g, BPF_LDX | BPF_MEM | (sz), d, s, o, 0)
#define STX(sz, d, s, o)	I(g, BPF_STX | BPF_MEM | (sz), d, s, o, 0)
#define ST(sz, d, o, k)		I(g, BPF_ST | BPF_MEM | (sz), d, 0, o, k)
#define LD_STACK(d, o)		LDX(BPF_DW, d, 10, o)
#define ST_STACK(o, s)		STX(BPF_DW, 10, s, o)

static int new_label(struct gen *g)
{
	if (g->nlabels == MAX_LABELS) {
		g->err = -E2BIG;
		return 0;
	}
	g->label[g->nlabels] = -1;
	return g->nlabels++;
}

static void place(struct gen *g, int l)
{
	g->label[l] = g->n;
}

static void jump(struct gen *g, __u8 code, __u8 dst, __u8 src, __s32 imm, int l)
{
	if (g->nfix == MAX_FIXUPS) {
		g->err = -E2BIG;
		return;
	}
	g->fix[g->nfix].insn = g->n;
	g->fix[g->nfix++].label = l;
	I(g, code, dst, src, 0, imm);
}

#define JMP_K(op, d, k, l)	jump(g, BPF_JMP | BPF_K | (op), d, 0, k, l)
#define JMP_X(op, d, s, l)	jump(g, BPF_JMP | BPF_X | (op), d, s, 0, l)
#define JA(l)			jump(g, BPF_JMP | BPF_JA, 0, 0, 0, l)

static void lddw(struct gen *g, __u8 d, __u64 v)
{
	I(g, BPF_LD | BPF_IMM | BPF_DW, d, 0, 0, (__s32)(__u32)v);
	I(g, 0, 0, 0, 0, (__s32)(__u32)(v >> 32));
}

static void exit_with(struct gen *g, int r0)
{
	MOV_K(0, r0);
	I(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

/* out[off] += 1 */
static void out_inc(struct gen *g, int off)
{
	lddw(g, 1, URINGBLK_PROG_OUT_ADDR);
	LDX(BPF_DW, 2, 1, off);
	ALU_K(BPF_ADD, 2, 1);
	STX(BPF_DW, 1, 2, off);
}

/* reg *= 10^k */
static void rescale(struct gen *g, int reg, int k)
{
	while (k > 0) {
		int m = k > 9 ? 9 : k, p = 1;

		for (int i = 0; i < m; i++)
			p *= 10;
		ALU_K(BPF_MUL, reg, p);
		k -= m;
	}
}

static int too_deep(struct gen *g, const struct qnode *n)
{
	if (!g->err)
		g->err = query_error(g->c, -E2BIG, n->at,
				     "expression nested too deeply (more than %d values pending)",
				     NTREGS);
	return g->err;
}

/* The value of @n, at scale @scale, into treg[t]. */
static void gen_value(struct gen *g, const struct qnode *n, int t, int scale)
{
	int r = treg[t];

	if (t >= NTREGS) {
		too_deep(g, n);
		return;
	}
	switch (n->kind) {
	case QN_LIT:
		if (n->val >= INT32_MIN && n->val <= INT32_MAX)
			MOV_K(r, (__s32)n->val);
		else
			lddw(g, r, (__u64)n->val);
		break;
	case QN_FIELD:
		LD_STACK(r, S_SLOT(n->field));
		break;
	case QN_NEG:
		gen_value(g, n->a, t, n->scale);
		ALU_K(BPF_NEG, r, 0);
		break;
	case QN_ADD:
	case QN_SUB:
	case QN_MUL:
		if (t + 1 >= NTREGS) {
			too_deep(g, n);
			return;
		}
		gen_value(g, n->a, t, n->kind == QN_MUL ? n->a->scale : n->scale);
		gen_value(g, n->b, t + 1, n->kind == QN_MUL ? n->b->scale : n->scale);
		ALU_X(n->kind == QN_ADD ? BPF_ADD : n->kind == QN_SUB ? BPF_SUB :
		      BPF_MUL, r, treg[t + 1]);
		break;
	default:
		g->err = -EINVAL;	/* the checker let a condition through */
		return;
	}
	rescale(g, r, scale - n->scale);
}

static const __u8 jop[] = {
	[QOP_EQ] = BPF_JEQ, [QOP_NE] = BPF_JNE, [QOP_LT] = BPF_JSLT,
	[QOP_LE] = BPF_JSLE, [QOP_GT] = BPF_JSGT, [QOP_GE] = BPF_JSGE,
};
static const enum qop negated[] = {
	[QOP_EQ] = QOP_NE, [QOP_NE] = QOP_EQ, [QOP_LT] = QOP_GE,
	[QOP_LE] = QOP_GT, [QOP_GT] = QOP_LE, [QOP_GE] = QOP_LT,
};

/* Jump to @l if (a op b) == @jump_if, else fall through. */
static void gen_cmp(struct gen *g, const struct qnode *at, const struct qnode *a,
		    const struct qnode *b, enum qop op, bool jump_if, int l)
{
	int s = a->scale > b->scale ? a->scale : b->scale;

	if (NTREGS < 2) {
		too_deep(g, at);
		return;
	}
	gen_value(g, a, 0, s);
	gen_value(g, b, 1, s);
	JMP_X(jop[jump_if ? op : negated[op]], treg[0], treg[1], l);
}

static void gen_cond(struct gen *g, const struct qnode *n, bool jump_if, int l)
{
	int skip;

	switch (n->kind) {
	case QN_CMP:
		gen_cmp(g, n, n->a, n->b, n->op, jump_if, l);
		return;
	case QN_NOT:
		gen_cond(g, n->a, !jump_if, l);
		return;
	case QN_BETWEEN:
		/* a >= c AND a <= b */
		if (!jump_if) {
			gen_cmp(g, n, n->a, n->c, QOP_GE, false, l);
			gen_cmp(g, n, n->a, n->b, QOP_LE, false, l);
		} else {
			skip = new_label(g);
			gen_cmp(g, n, n->a, n->c, QOP_GE, false, skip);
			gen_cmp(g, n, n->a, n->b, QOP_LE, true, l);
			place(g, skip);
		}
		return;
	case QN_AND:
	case QN_OR:
		/* AND jumps out when a side is false, OR when one is true */
		if (jump_if == (n->kind == QN_OR)) {
			gen_cond(g, n->a, jump_if, l);
			gen_cond(g, n->b, jump_if, l);
		} else {
			skip = new_label(g);
			gen_cond(g, n->a, !jump_if, skip);
			gen_cond(g, n->b, jump_if, l);
			place(g, skip);
		}
		return;
	default:
		g->err = -EINVAL;
	}
}

/*
 * Find or make the record's group, then update its count and aggregates.
 * Jumps to @overflow when a new group would be one too many.
 */
static void gen_group(struct gen *g, int overflow)
{
	struct uringblk_query *q = g->c->q;
	size_t esz = query_entry_size(q);
	int probe = new_label(g), newg = new_label(g), found = new_label(g);
	int upd = new_label(g);

	if (q->key >= 0) {
		LD_STACK(1, S_SLOT(q->key));
		lddw(g, 2, QUERY_HASH_MUL);
		ALU_X(BPF_MUL, 2, 1);
		ALU_K(BPF_RSH, 2, 64 - QUERY_HASH_BITS);
	} else {
		MOV_K(1, 0);
		MOV_K(2, 0);
	}
	place(g, probe);
	MOV_X(3, 2);
	ALU_K(BPF_MUL, 3, (__s32)esz);
	lddw(g, 4, URINGBLK_PROG_OUT_ADDR + QOUT_HDR);
	ALU_X(BPF_ADD, 3, 4);
	LDX(BPF_DW, 4, 3, 8);
	JMP_K(BPF_JEQ, 4, 0, newg);
	LDX(BPF_DW, 4, 3, 0);
	JMP_X(BPF_JEQ, 4, 1, found);
	ALU_K(BPF_ADD, 2, 1);
	ALU_K(BPF_AND, 2, (__s32)(query_slots(q) - 1));
	JA(probe);

	place(g, newg);
	lddw(g, 4, URINGBLK_PROG_OUT_ADDR);
	LDX(BPF_DW, 0, 4, QOUT_GROUPS);
	JMP_K(BPF_JGE, 0, URINGBLK_QUERY_MAX_GROUPS, overflow);
	ALU_K(BPF_ADD, 0, 1);
	STX(BPF_DW, 4, 0, QOUT_GROUPS);
	STX(BPF_DW, 3, 1, 0);
	ST_STACK(S_ENT, 3);
	/* min and max start from the group's first value */
	for (int i = 0; i < q->naggs; i++) {
		const struct qagg *ag = &q->aggs[i];

		if (ag->fn != QA_MIN && ag->fn != QA_MAX)
			continue;
		gen_value(g, ag->arg, 0, ag->scale);
		LD_STACK(1, S_ENT);
		STX(BPF_DW, 1, 0, 16 + 8 * i);
	}
	JA(upd);

	place(g, found);
	ST_STACK(S_ENT, 3);
	place(g, upd);
	LD_STACK(1, S_ENT);
	LDX(BPF_DW, 2, 1, 8);
	ALU_K(BPF_ADD, 2, 1);
	STX(BPF_DW, 1, 2, 8);
	for (int i = 0; i < q->naggs; i++) {
		const struct qagg *ag = &q->aggs[i];
		int keep = new_label(g);

		if (ag->fn == QA_COUNT)
			continue;
		gen_value(g, ag->arg, 0, ag->scale);
		LD_STACK(1, S_ENT);
		LDX(BPF_DW, 2, 1, 16 + 8 * i);
		if (ag->fn == QA_SUM) {
			ALU_X(BPF_ADD, 2, 0);
			STX(BPF_DW, 1, 2, 16 + 8 * i);
		} else {
			JMP_X(ag->fn == QA_MIN ? BPF_JSGE : BPF_JSLE, 0, 2, keep);
			STX(BPF_DW, 1, 0, 16 + 8 * i);
		}
		place(g, keep);
	}
}

/* WHERE and the group update of a record whose fields are in the slots. */
static void gen_record(struct gen *g, int next, int overflow)
{
	struct uringblk_query *q = g->c->q;

	if (q->where)
		gen_cond(g, q->where, false, next);
	out_inc(g, QOUT_MATCHED);
	gen_group(g, overflow);
}

/* ctx->data_len, or ctx->args[0] when that is smaller and not 0 */
static void gen_prologue(struct gen *g)
{
	int keep = new_label(g);

	LDX(BPF_DW, 2, 1, offsetof(struct uringblk_prog_ctx, data_len));
	LDX(BPF_DW, 3, 1, offsetof(struct uringblk_prog_ctx, args));
	JMP_K(BPF_JEQ, 3, 0, keep);
	JMP_X(BPF_JGT, 3, 2, keep);
	MOV_X(2, 3);
	place(g, keep);
	ST_STACK(S_LIMIT, 2);
	ST(BPF_DW, 10, S_POS, 0);
	lddw(g, 1, URINGBLK_PROG_OUT_ADDR);
	lddw(g, 2, QOUT_MAGIC_VAL);
	STX(BPF_DW, 1, 2, QOUT_MAGIC);
	MOV_K(6, 0);
	MOV_K(7, 0);
}

/*
 * Refill the buffer from S_POS + @consumed: at most @chunk bytes, jumping
 * to @end (r2 = bytes left, < @min) when fewer than @min are left.
 */
static void gen_refill(struct gen *g, int consumed, int chunk, int min, int end,
		       int loop)
{
	int rd = new_label(g);

	LD_STACK(1, S_POS);
	ALU_X(BPF_ADD, 1, consumed);
	ST_STACK(S_POS, 1);
	LD_STACK(2, S_LIMIT);
	ALU_X(BPF_SUB, 2, 1);
	JMP_K(BPF_JLT, 2, min, end);
	JMP_K(BPF_JLE, 2, chunk, rd);
	MOV_K(2, chunk);
	place(g, rd);
	MOV_X(7, 2);
	MOV_K(6, 0);
	MOV_X(3, 2);
	MOV_X(2, 10);
	ALU_K(BPF_ADD, 2, S_BUF);
	I(g, BPF_JMP | BPF_CALL, 0, 0, 0, URINGBLK_HELPER_READ);
	JA(loop);
}

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
static void gen_csv(struct gen *g)
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

static void gen_binary(struct gen *g)
{
	struct uringblk_query *q = g->c->q;
	int loop = new_label(g), refill = new_label(g), next = new_label(g);
	int tail = new_label(g), overflow = new_label(g);
	int chunk = BUF_SIZE / q->reclen * q->reclen;

	gen_prologue(g);
	place(g, loop);
	MOV_X(1, 6);
	ALU_K(BPF_ADD, 1, q->reclen);
	JMP_X(BPF_JGT, 1, 7, refill);
	for (int i = 0; i < q->nfields; i++) {
		const struct qfield *f = &q->fields[i];
		static const __u8 sz[] = { [1] = BPF_B, [2] = BPF_H, [4] = BPF_W,
					   [8] = BPF_DW };
		int w = f->bin == QB_CHR ? 8 : f->width;
		int shift = 64 - 8 * f->width;

		MOV_X(1, 10);
		ALU_X(BPF_ADD, 1, 6);
		LDX(sz[w], 2, 1, S_BUF + f->off);
		if (shift && f->bin != QB_U8 && f->bin != QB_U16 && f->bin != QB_U32) {
			ALU_K(BPF_LSH, 2, shift);
			/* text keeps its bytes; integers extend their sign */
			ALU_K(f->bin == QB_CHR ? BPF_RSH : BPF_ARSH, 2, shift);
		}
		ST_STACK(S_SLOT(i), 2);
	}
	out_inc(g, QOUT_RECORDS);
	gen_record(g, next, overflow);
	place(g, next);
	ALU_K(BPF_ADD, 6, q->reclen);
	JA(loop);

	place(g, refill);
	gen_refill(g, 6, chunk, q->reclen, tail, loop);
	place(g, tail);
	lddw(g, 1, URINGBLK_PROG_OUT_ADDR);
	STX(BPF_DW, 1, 2, QOUT_TRAILING);
	exit_with(g, 0);
	place(g, overflow);
	exit_with(g, QUERY_R0_OVERFLOW);
}

int query_gen(struct qctx *c)
{
	struct uringblk_query *q = c->q;
	struct gen *g = calloc(1, sizeof(*g));
	int i;

	if (!g)
		return -ENOMEM;
	g->c = c;
	if (q->binary)
		gen_binary(g);
	else
		gen_csv(g);
	for (i = 0; !g->err && i < g->nfix; i++) {
		int t = g->label[g->fix[i].label];

		if (t < 0)
			g->err = -EINVAL;	/* a bug: an unbound label */
		else
			g->ins[g->fix[i].insn].off = (__s16)(t - (int)g->fix[i].insn - 1);
	}
	if (!g->err && g->n > URINGBLK_PROG_MAX_INSNS) {
		struct qspan all = { 0, 6 };

		g->err = query_error(c, -E2BIG, all,
				     "the query compiles to %u instructions, more than the drive's %u",
				     g->n, URINGBLK_PROG_MAX_INSNS);
	}
	if (g->err) {
		if (g->err == -EINVAL && c->err && !c->err[0])
			snprintf(c->err, c->errlen, "internal error generating the program");
		free(g->ins);
		i = g->err;
		free(g);
		return i;
	}
	q->insns = g->ins;
	q->ninsns = g->n;
	free(g);
	return 0;
}
