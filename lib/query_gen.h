/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * Queries: what the code generator's files share (query_gen.c: the
 * emitter, expressions, groups, binary records and the entry point;
 * query_gen_csv.c: the CSV byte loop; query_gen_json.c: the JSON Lines
 * byte loop; query_gen_loop.c: what both byte loops emit alike;
 * query_gen_rec.c: CSV on the record helpers): the byte loop's stack
 * layout and parse state flags, and the emitter.
 */
#ifndef LIBURINGBLK_QUERY_GEN_H
#define LIBURINGBLK_QUERY_GEN_H

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
#define S_FSTART	(-88)	/* CSV: data offset of a number's or date's field */
#define S_RSTART	(-96)	/* CSV: data offset of the record */

/* CSV field kinds; _T: blanks after a number or a date, only blanks follow */
enum { K_SKIP, K_NUM, K_DATE, K_STR, K_NUM_T, K_DATE_T };

/* r9 flags while a field is parsed; bits 0-7 count bytes (date, str) */
#define F_NEG	(1 << 8)
#define F_DOT	(1 << 9)
#define F_DIG	(1 << 10)
#define F_BAD	(1 << 11)
#define F_CR	(1 << 12)	/* a '\r' came last: content unless '\n' follows */
#define F_CRDROP_SHIFT 13
#define F_CRDROP (1 << F_CRDROP_SHIFT)	/* the field ended at "\r\n" */
#define F_PLUS	(1 << 14)
#define F_FRAC_SHIFT 16	/* bits 16-23: digits after the point kept */
#define F_ANY	(1 << 30)	/* the field (record, for F == 0) has a byte */

#define MAX_LABELS	4096
#define MAX_FIXUPS	8192

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
	int			row_reg;	/* fields: 0 = stack slots, else a row */
};


/* the emitter (query_gen.c) */
void I(struct gen *g, __u8 code, __u8 dst, __u8 src, __s16 off, __s32 imm);
int new_label(struct gen *g);
void place(struct gen *g, int l);
void jump(struct gen *g, __u8 code, __u8 dst, __u8 src, __s32 imm, int l);
void lddw(struct gen *g, __u8 d, __u64 v);
void exit_with(struct gen *g, int r0);
/* out[off] += 1 */
void out_inc(struct gen *g, int off);

#define ALU_K(op, d, k)		I(g, BPF_ALU64 | BPF_K | (op), d, 0, 0, k)
#define ALU_X(op, d, s)		I(g, BPF_ALU64 | BPF_X | (op), d, s, 0, 0)
#define MOV_K(d, k)		ALU_K(BPF_MOV, d, k)
#define MOV_X(d, s)		ALU_X(BPF_MOV, d, s)
#define LDX(sz, d, s, o)	I(g, BPF_LDX | BPF_MEM | (sz), d, s, o, 0)
#define STX(sz, d, s, o)	I(g, BPF_STX | BPF_MEM | (sz), d, s, o, 0)
#define ST(sz, d, o, k)		I(g, BPF_ST | BPF_MEM | (sz), d, 0, o, k)
#define LD_STACK(d, o)		LDX(BPF_DW, d, 10, o)
#define ST_STACK(o, s)		STX(BPF_DW, 10, s, o)
#define JMP_K(op, d, k, l)	jump(g, BPF_JMP | BPF_K | (op), d, 0, k, l)
#define JMP_X(op, d, s, l)	jump(g, BPF_JMP | BPF_X | (op), d, s, 0, l)
#define JA(l)			jump(g, BPF_JMP | BPF_JA, 0, 0, 0, l)

/* field @i's value into @reg: its stack slot, or the row at g->row_reg */
void load_field(struct gen *g, int reg, int i);

/* ctx->data_len, or ctx->args[0] when smaller and not 0, into S_LIMIT */
void gen_prologue(struct gen *g);
/*
 * Refill the buffer from S_POS + @consumed (a register): at most @chunk
 * bytes, jumping to @end (r2 = bytes left, < @min) when fewer than @min
 * are left, else to @loop.
 */
void gen_refill(struct gen *g, int consumed, int chunk, int min, int end,
		int loop);
/* WHERE and the group update of a record whose fields are in the slots */
void gen_record(struct gen *g, int next, int overflow);
/* the CSV programs: the byte loop (query_gen_csv.c), on the record helpers (query_gen_rec.c) */
void gen_csv(struct gen *g);
void gen_rec(struct gen *g);
/* JSON Lines (query_gen_json.c) */
void gen_json(struct gen *g);

/* How a field's value is parsed */
static inline int field_kind(const struct qfield *f)
{
	switch (f->type) {
	case QT_DATE:	return K_DATE;
	case QT_STR:	return K_STR;
	default:	return K_NUM;
	}
}

/*
 * What both byte loops emit alike (query_gen_loop.c).  Each uses r1-r4 at
 * most; labels are the caller's.
 */
/* the next byte into r5 (r6 moves past it), or to @empty at the buffer's end */
void gen_next_byte(struct gen *g, int empty);
/* places @eof_data (no more data: r6 = 1) and @eof_nul (a NUL byte): S_EOF = 1 */
void gen_eof(struct gen *g, int eof_data, int eof_nul);
/* places @refill (then to @loop, or @eof_data), @done (r0 0) and @overflow */
void gen_loop_end(struct gen *g, int refill, int eof_data, int loop, int done,
		  int overflow);
/* field @i's value comes next: its kind, slot and scale */
void gen_set_field(struct gen *g, int i);
/*
 * A byte (r5) of a number: a digit joins r8, then to @loop; anything else
 * to @other.  Places @acc2, where gen_num_ovf() (placed at @ovf by the
 * caller) returns; a digit the scale cannot keep to @bad.
 */
void gen_num_digit(struct gen *g, int loop, int other, int ovf, int acc2,
		   int bad);
/* at @ovf: the digit (r1) overflows r8: to @bad, else back to @acc2 */
void gen_num_ovf(struct gen *g, int acc2, int bad);
/* a number's '-', '+' or '.' (r5) where it may stand, then to @loop; else @bad */
void gen_num_sign_dot(struct gen *g, int loop, int bad);
/* a number that ended: to @fail if F_BAD or no digit */
void gen_num_valid(struct gen *g, int fail);
/* r8 scaled to the field's scale (to @fail past S64_MAX); negative: to @neg */
void gen_num_scale(struct gen *g, int fail, int neg);
/*
 * Text: a byte (r5, or a '\r' with @cr) joins the field's first 8, packed
 * in memory order into r8; past 8 it is cut.  Then to @ret.
 */
void gen_pack_byte(struct gen *g, bool cr, int ret);
/* r8 into field S_CUR's slot, its bit into S_VALID */
void gen_store_field(struct gen *g);
/* jump to @bad unless the yyyymmdd in field slot @slot is a calendar day */
void gen_calendar(struct gen *g, int slot, int bad);
/*
 * A record's end: to @malformed unless every field is valid and every date
 * a calendar day, else WHERE and the group table (@overflow: too many
 * groups); places @malformed (counted) and @reset, where both go on.
 */
void gen_rec_end(struct gen *g, int malformed, int reset, int overflow);

#endif /* LIBURINGBLK_QUERY_GEN_H */
