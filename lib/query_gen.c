// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Queries: code generation.  A checked query becomes one eBPF program for
 * the drive's VM (<linux/uringblk_prog.h>):
 *
 *  - CSV, by default: the record helpers' program (query_gen_rec.c), which
 *    has uringblk_rec_parse() split and parse batches of records into rows
 *    of values and walks the rows;
 *  - CSV, the reference (--byte-loop, or a query the helpers cannot
 *    serve): the byte loop (query_gen_csv.c), which reads the data with
 *    uringblk_read() into a 256-byte stack buffer and parses it one byte
 *    at a time, a state machine whose state survives buffer refills.  A
 *    field the query uses is parsed while it streams by into r8 (value)
 *    and r9 (flags); at its end the value goes to its stack slot and its
 *    bit to VALID;
 *  - binary: whole records of the same buffer (refills take whole
 *    records), here.
 *
 * At a record's end, in all three: WHERE, then the group table
 * (gen_record()).  Fields are read with load_field(): stack slots, or the
 * row at g->row_reg.
 *
 * Registers (byte loop, binary): r6 = next byte (index in the buffer),
 * r7 = bytes in the buffer, r8/r9 = CSV field parse state; r0-r5 scratch,
 * never live across a helper call (the validator refuses that).
 * Expressions use r0-r5, r8, r9 as a register stack (8 deep).
 *
 * The output layout is in query.h; its rules (what a malformed record is,
 * how numbers are parsed) are the host interpreter's (query_host.c), and
 * the tests run all of them over the same data.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

#include "query_gen.h"

/* expression temporaries: r0-r5, r8, r9 (r6, r7: the buffer position) */
static const int treg[] = { 0, 1, 2, 3, 4, 5, 8, 9 };
#define NTREGS	((int)ARRAY_SIZE(treg))

void I(struct gen *g, __u8 code, __u8 dst, __u8 src, __s16 off, __s32 imm)
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


int new_label(struct gen *g)
{
	if (g->nlabels == MAX_LABELS) {
		g->err = -E2BIG;
		return 0;
	}
	g->label[g->nlabels] = -1;
	return g->nlabels++;
}

void place(struct gen *g, int l)
{
	g->label[l] = g->n;
}

void jump(struct gen *g, __u8 code, __u8 dst, __u8 src, __s32 imm, int l)
{
	if (g->nfix == MAX_FIXUPS) {
		g->err = -E2BIG;
		return;
	}
	g->fix[g->nfix].insn = g->n;
	g->fix[g->nfix++].label = l;
	I(g, code, dst, src, 0, imm);
}


void lddw(struct gen *g, __u8 d, __u64 v)
{
	I(g, BPF_LD | BPF_IMM | BPF_DW, d, 0, 0, (__s32)(__u32)v);
	I(g, 0, 0, 0, 0, (__s32)(__u32)(v >> 32));
}

void exit_with(struct gen *g, int r0)
{
	MOV_K(0, r0);
	I(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

/* out[off] += 1 */
void out_inc(struct gen *g, int off)
{
	lddw(g, 1, URINGBLK_PROG_OUT_ADDR);
	LDX(BPF_DW, 2, 1, off);
	ALU_K(BPF_ADD, 2, 1);
	STX(BPF_DW, 1, 2, off);
}

/* field @i's value into @reg: its stack slot, or the row at g->row_reg */
void load_field(struct gen *g, int reg, int i)
{
	if (g->row_reg)
		LDX(BPF_DW, reg, g->row_reg, 8 * i);
	else
		LD_STACK(reg, S_SLOT(i));
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
		load_field(g, r, n->field);
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

/* 10^k, k <= QUERY_MAX_SCALE */
static __s64 pow10s(int k)
{
	__s64 p = 1;

	while (k-- > 0)
		p *= 10;
	return p;
}

/*
 * Does (a op b) hold when a is the greater (@a_greater) or the smaller?
 */
static bool cmp_known(enum qop op, bool a_greater)
{
	switch (op) {
	case QOP_NE:	return true;
	case QOP_LT:
	case QOP_LE:	return !a_greater;
	case QOP_GT:
	case QOP_GE:	return a_greater;
	default:	return false;
	}
}

/*
 * Jump to @l if (a op b) == @jump_if, else fall through.
 *
 * The comparison is exact for every value of both sides: the side of the
 * smaller scale is multiplied by 10^k only when the product fits, |x| <=
 * S64_MAX / 10^k; beyond that it is greater (or smaller) than any s64 the
 * other side can hold, and the answer is known without the product, which
 * would wrap (in `$1:int > 0.5`, -10^18 times 10 wraps to 8446744073709551616).
 * Arithmetic inside each side keeps its own rule (it wraps).
 */
static void gen_cmp(struct gen *g, const struct qnode *at, const struct qnode *a,
		    const struct qnode *b, enum qop op, bool jump_if, int l)
{
	int s = a->scale > b->scale ? a->scale : b->scale;
	bool a_low = a->scale < s;
	int k = s - (a_low ? a->scale : b->scale), x, done;
	__s64 lim;

	if (NTREGS < 3) {
		too_deep(g, at);
		return;
	}
	gen_value(g, a, 0, a->scale);
	gen_value(g, b, 1, b->scale);
	if (k) {
		/* treg[2] is free once both sides are in treg[0] and treg[1] */
		x = treg[a_low ? 0 : 1];
		lim = INT64_MAX / pow10s(k);
		done = new_label(g);
		lddw(g, treg[2], (__u64)lim);
		/* x > lim: x's side is the greater */
		JMP_X(BPF_JSGT, x, treg[2],
		      cmp_known(op, a_low) == jump_if ? l : done);
		ALU_K(BPF_NEG, treg[2], 0);
		JMP_X(BPF_JSLT, x, treg[2],
		      cmp_known(op, !a_low) == jump_if ? l : done);
		rescale(g, x, k);
		JMP_X(jop[jump_if ? op : negated[op]], treg[0], treg[1], l);
		place(g, done);
		return;
	}
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

	if (q->key < 0) {
		/* one group, entry 0: no probe */
		MOV_K(1, 0);
		lddw(g, 3, URINGBLK_PROG_OUT_ADDR + QOUT_HDR);
		LDX(BPF_DW, 4, 3, 8);
		JMP_K(BPF_JEQ, 4, 0, newg);
		JA(found);
	} else {
		load_field(g, 1, q->key);
		lddw(g, 2, QUERY_HASH_MUL);
		ALU_X(BPF_MUL, 2, 1);
		ALU_K(BPF_RSH, 2, 64 - QUERY_HASH_BITS);
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
	}

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
void gen_record(struct gen *g, int next, int overflow)
{
	struct uringblk_query *q = g->c->q;

	if (q->where)
		gen_cond(g, q->where, false, next);
	out_inc(g, QOUT_MATCHED);
	gen_group(g, overflow);
}

/* ctx->data_len, or ctx->args[0] when that is smaller and not 0 */
void gen_prologue(struct gen *g)
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
void gen_refill(struct gen *g, int consumed, int chunk, int min, int end,
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
	if (q->binary) {
		q->engine = QUERY_ENGINE_BINARY;
		gen_binary(g);
	} else if (q->json) {
		q->engine = QUERY_ENGINE_JSON;
		gen_json(g);
	} else if (q->engine == QUERY_ENGINE_REC && query_gen_rec_fits(q)) {
		g->row_reg = 7;	/* query_gen_rec.c: the row */
		gen_rec(g);
	} else {
		q->engine = QUERY_ENGINE_BYTES;
		gen_csv(g);
	}
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
	if (g->err == -E2BIG && !c->ret) {
		struct qspan all = { 0, 6 };

		/* the generator's own tables (MAX_LABELS, MAX_FIXUPS) */
		query_error(c, -E2BIG, all,
			    "the query needs more than %d jumps or %d labels in its program: make it simpler",
			    MAX_FIXUPS, MAX_LABELS);
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
