// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * rec_probe: each record helper called once, with the arguments taken
 * from ctx->args: the smallest example of their use, and what the tests
 * (tests/bpf/tpch.c, selftests/uringblk/tpch.sh) drive them with.
 *
 * args[0] = 0: r0 = uringblk_parse_num(args[1], args[2] & 0xffffffff,
 *              args[2] >> 32)
 * args[0] = 1: r0 = uringblk_rec_fields(args[1], data_len, pos,
 *              args[2]); output: pos[0..n] (n = (args[2] >> 8) & 0xff,
 *              at most URINGBLK_REC_MAX_FIELDS) as u32
 * args[0] = 2: uringblk_rec_fields() with pos in the read-only ctx:
 *              aborts with -EFAULT
 * args[0] = 3: r0 = uringblk_rec_parse(args[1], data_len, spec, vals) of
 *              spec variant args[2]: 0 good (one INT field 0, 4 records),
 *              1 nvals 0, 2 sep '\n', 3 vals overlapping spec, 4 a bad
 *              fmt, 5 max_recs 0, 6 end past data_len, 7 rsvd set;
 *              output: vals (33 s64) for variant 0; variants 8-13 are
 *              filtered calls' bad specs: 8 an unknown flag, 9 nconds 9,
 *              10 a condition's value past nvals, 11 its op 6, 12 its
 *              rsvd set, 13 vals overlapping a condition
 * args[0] = 4: a filtered call (ABI 1.11): r0 = uringblk_rec_parse(args[1],
 *              data_len, fspec, fvals) of values INT field 0 and DEC2
 *              field 1, 4 lines a call, with args[2]: 0 SKIP_EMPTY |
 *              COUNT; 1 the same and value 0 > 0; 2 COUNT and value 1 >=
 *              600; 3 SKIP_EMPTY; output: fvals (10 s64)
 */
#include "uringblk_prog.h"

static __u32 pos[URINGBLK_REC_MAX_FIELDS + 1];
static struct uringblk_rec_spec spec;
static __s64 vals[1 + 4 * 8];
/* a filtered call's spec, its condition right after it, and its rows */
static struct {
	struct uringblk_rec_spec spec;
	struct uringblk_rec_cond cond[URINGBLK_REC_MAX_CONDS + 1];
} f;
static __s64 fvals[2 + 4 * 2];

static __s64 filtered(__u64 off, __u64 end, __u64 variant)
{
	__s64 r;

	f.spec.sep = '|';
	f.spec.nvals = 2;
	f.spec.max_recs = 4;
	f.spec.val[0] = URINGBLK_REC_VAL(0, URINGBLK_NUM_INT, 0);
	f.spec.val[1] = URINGBLK_REC_VAL(1, URINGBLK_NUM_DEC, 2);
	f.spec.flags = URINGBLK_REC_F_SKIP_EMPTY | URINGBLK_REC_F_COUNT;
	f.cond[0].val = 0;
	f.cond[0].op = URINGBLK_REC_GT;
	f.cond[0].k = 0;
	switch (variant) {
	case 1:
		f.spec.nconds = 1;
		break;
	case 2:
		f.spec.flags = URINGBLK_REC_F_COUNT;
		f.spec.nconds = 1;
		f.cond[0].val = 1;
		f.cond[0].op = URINGBLK_REC_GE;
		f.cond[0].k = 600;
		break;
	case 3:
		f.spec.flags = URINGBLK_REC_F_SKIP_EMPTY;
		break;
	}
	r = uringblk_rec_parse(off, end, &f.spec, fvals);
	uringblk_emit(fvals, sizeof(fvals));
	return r;
}

SEC(URINGBLK_PROG_SEC)
__u64 rec_probe(const struct uringblk_prog_ctx *ctx)
{
	__u64 mode = ctx->args[0], a1 = ctx->args[1], a2 = ctx->args[2];
	__u64 end = ctx->data_len, n;
	__s64 r;

	if (mode == 0)
		return uringblk_parse_num(a1, (__u32)a2, a2 >> 32);
	if (mode == 1) {
		r = uringblk_rec_fields(a1, end, pos, a2);
		n = (a2 >> 8) & 0xff;
		if (n > URINGBLK_REC_MAX_FIELDS)
			n = URINGBLK_REC_MAX_FIELDS;
		uringblk_emit(pos, 4 * (n + 1));
		return r;
	}
	if (mode == 2)
		return uringblk_rec_fields(a1, end, (__u32 *)ctx, a2);
	if (mode == 4)
		return filtered(a1, end, a2);
	if (mode != 3)
		return uringblk_abort_einval(ctx);
	if (a2 >= 8) {
		f.spec.sep = '|';
		f.spec.nvals = 2;
		f.spec.max_recs = 4;
		f.spec.val[0] = URINGBLK_REC_VAL(0, URINGBLK_NUM_INT, 0);
		f.spec.val[1] = URINGBLK_REC_VAL(1, URINGBLK_NUM_INT, 0);
		f.spec.nconds = 1;
		switch (a2) {
		case 8: f.spec.flags = 4; break;
		case 9: f.spec.nconds = URINGBLK_REC_MAX_CONDS + 1; break;
		case 10: f.cond[0].val = 2; break;
		case 11: f.cond[0].op = URINGBLK_REC_GE + 1; break;
		case 12: f.cond[0].rsvd[5] = 1; break;
		case 13: return uringblk_rec_parse(a1, end, &f.spec,
						   (__s64 *)&f.cond[0].k);
		}
		return uringblk_rec_parse(a1, end, &f.spec, fvals);
	}
	spec.sep = '|';
	spec.nvals = 8;
	spec.max_recs = 4;
	spec.val[0] = URINGBLK_REC_VAL(0, URINGBLK_NUM_INT, 0);
	spec.val[1] = URINGBLK_REC_VAL(1, URINGBLK_NUM_DEC, 2);
	spec.val[2] = URINGBLK_REC_VAL(2, URINGBLK_NUM_DATE, 0);
	spec.val[3] = URINGBLK_REC_VAL(3, URINGBLK_NUM_CHARS, 0);
	spec.val[4] = URINGBLK_REC_VAL(0, URINGBLK_NUM_DEC, 1);
	spec.val[5] = URINGBLK_REC_VAL(9, URINGBLK_NUM_INT, 0);
	spec.val[6] = URINGBLK_REC_VAL(2, URINGBLK_NUM_DAYS, 0);
	spec.val[7] = URINGBLK_REC_VAL(254, URINGBLK_NUM_CHARS, 0);
	switch (a2) {
	case 1: spec.nvals = 0; break;
	case 2: spec.sep = '\n'; break;
	case 3: return uringblk_rec_parse(a1, end, &spec,
					  (__s64 *)((char *)&spec + 64));
	case 4: spec.val[3] = URINGBLK_REC_VAL(3, URINGBLK_NUM_DATE, 1); break;
	case 5: spec.max_recs = 0; break;
	case 6: end++; break;
	case 7: spec.rsvd = 1; break;
	}
	r = uringblk_rec_parse(a1, end, &spec, vals);
	uringblk_emit(vals, sizeof(vals));
	return r;
}
