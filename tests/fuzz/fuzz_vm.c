// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the program VM: validator + interpreter + helpers.
 *
 * Input: a 16-byte header (struct hdr) that shapes the run, then 8-byte
 * instruction slots.
 *   raw mode (hdr.mode bit 7 set): the slots go to the validator as they
 *     are; valid programs run.  Exercises the validator on anything.
 *   structured mode: each slot becomes either one opcode of the VM's table
 *     with its fields bent into their legal ranges (registers 0..10, jump
 *     and call targets on slot starts, known helper ids, stack offsets near
 *     the frame; reads of r1-r5 after a call, which the validator
 *     refuses, are moved to r6-r9: unclobber()), or, for slot bytes
 *     0xe0..0xff, a helper call with its
 *     arguments set up (offsets and lengths around the data's size, a
 *     pointer into one of the regions, a pattern copied from the data or
 *     from the header's motif).  An exit is appended, so most inputs pass
 *     the validator and reach the helpers with matches, misses and
 *     out-of-range arguments.
 *
 * The header picks the data (derived from the input, with repeats, so that
 * multi-byte patterns match, also across windows), the size of every
 * window (a cycling sequence, down to one byte), the output buffer's size
 * (0 .. 64 KiB, the histogram's 2048 included), the budget (small, so a
 * run takes microseconds), the reschedule interval, and injected faults: a
 * map call or a data offset that fails, a reschedule point that stops the
 * run with -EINTR or -ENODEV.
 *
 * ASan sees one byte too far everywhere the VM touches memory: the output
 * buffer is a heap allocation of exactly its size, every window is a
 * fresh malloc'd copy of exactly its bytes (freed at unmap or the next
 * map: memenv.h copy mode), and the run state is allocated alone with its
 * stack at the start and a poisoned guard after it
 * (URINGBLK_PROG_STACK_GUARD in prog_vm.h).
 *
 * Every accepted program runs twice, through the computed-goto and the
 * switch interpreter; the two runs must agree exactly (result, errno,
 * abort pc, budget charged, bytes scanned and emitted, output, map and
 * reschedule calls).  With hdr.mode bit 1, a third run through the switch
 * interpreter yields wherever it may (resched asks at every unit, map
 * refuses every window once; prog_vm.h, "Yield") and is resumed until it
 * ends: it must agree exactly too, work included, unless the injections
 * count calls (a call made again makes more of them).  Oracles on the result: maps and unmaps balance and
 * stay inside the range; an abort's errno is the one injected; the budget
 * overshoot stays within its documented bound; output counts stay within
 * the buffer; a validated program never reaches the interpreter's
 * "unknown opcode" path; with URINGBLK_PROG_MAX_WORK_PER_UNIT (prog_vm.h),
 * the run's work stays within that many units per budget unit.
 *
 * The globals and mem regions (ABI 1.3) come from hdr.motif[5]: .rodata,
 * writable globals (half .data, half .bss) and mem of chosen sizes, each
 * an exact-size heap block (ASan again); helper pointers and ld_imm64
 * bases reach into them.  mem must end the same in every run compared.
 *
 * FUZZ_PLANT=1..3 and 5 builds plant a bug in the harness (a window, the
 * output buffer, the stack, the mem region one byte short) so that `make
 * selftest` can prove each overrun is caught.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sanitizer/asan_interface.h>
#include "../../driver/sandbox/prog_opcodes.h"
#include "../unit/memenv.h"

#ifndef URINGBLK_PROG_STACK_GUARD
#error "build with -DURINGBLK_PROG_STACK_GUARD=<bytes> (see Makefile)"
#endif
#ifndef FUZZ_PLANT
#define FUZZ_PLANT 0
#endif

#define DECL_RUN(name)							\
	int name(struct uringblk_prog_state *st,			\
		 const struct bpf_insn *insns,				\
		 const struct uringblk_prog_env *env,			\
		 struct uringblk_prog_result *res)
DECL_RUN(uringblk_prog_run_goto);
DECL_RUN(uringblk_prog_run_switch);
typedef DECL_RUN((*run_fn));
int uringblk_prog_resume_switch(struct uringblk_prog_state *st,
				const struct uringblk_prog_env *env,
				struct uringblk_prog_result *res);

static const u8 codes[] = {
#define OP(name, code, kind)	code,
	URINGBLK_PROG_OPCODES(OP)
#undef OP
};
static const u8 kinds[] = {
#define OP(name, code, kind)	kind,
	URINGBLK_PROG_OPCODES(OP)
#undef OP
};
static const s32 atomic_imms[] = {
	BPF_ADD, BPF_AND, BPF_OR, BPF_XOR, BPF_ADD | BPF_FETCH,
	BPF_AND | BPF_FETCH, BPF_OR | BPF_FETCH, BPF_XOR | BPF_FETCH,
	BPF_XCHG, BPF_CMPXCHG,
};

struct hdr {
	u8 mode;	/* bit 7: raw slots (bit 4: tiled to 4096 + bit 0),
			 * else structured; bits 5-6: the ops (fuzz_ops[]);
			 * bit 3: validate again without a message buffer;
			 * bit 1: a third run with yields */
	u8 out_sel;	/* output buffer size: out_lens[low nibble] */
	u8 data_sel;	/* data: length data_lens[low nibble], generator high */
	u8 win_sel;	/* windows: size range (bits 0-2), alignment (6-7),
			 * budget cost of a map call (3-5, if the VM has one) */
	u8 budget_sel;	/* budget 4 + sel^2 / 16: 4 .. 4068 units */
	u8 resched_sel;	/* budget units between reschedule points */
	u8 fail_sel;	/* low 2 bits 0: a map fails (bit 2: call n, else
			 * offset); 1 and bit 2: map call n breaks the
			 * contract (0 bytes, no window, too many bytes) */
	u8 stop_sel;	/* low 2 bits 0: reschedule call n stops the run */
	u8 motif[8];	/* data motif, window sizes, injection points, args */
};
#define HDR_LEN		16
#define MAX_SLOTS	512
#define GROUP_MIN	0xe0	/* slot byte 0 from here on: a helper call */
#define GROUP_MAX_INSNS	16
/*
 * Speed cap: map call MAP_CAP fails like an injected error, so a run over
 * one-byte windows cannot take milliseconds (until each window fetch is
 * charged to the budget, a budget unit may buy 64 one-byte windows).
 */
#define MAP_CAP		1024

_Static_assert(sizeof(struct hdr) == HDR_LEN, "header layout");

static const u32 out_lens[16] = {
	0, 1, 7, 8, 64, 256, 511, 512, 1024, 2047, 2048, 2049, 2056, 4096,
	8192, 65536,
};
static const u32 data_lens[16] = {
	0, 1, 2, 7, 8, 63, 64, 65, 256, 511, 1000, 2048, 4096, 4099, 16384,
	URINGBLK_PROG_WINDOW_MAX + 4097,
};
static const u16 win_ranges[8] = { 1, 2, 3, 8, 17, 64, 512, 0 };
static const u64 win_aligns[4] = { 0, 0, 512, 4096 };
static const u32 pat_lens[16] = {
	1, 2, 3, 4, 5, 7, 8, 9, 16, 31, 64, 128, 255, 256, 257, 0,
};

static const struct uringblk_prog_env_ops fuzz_ops[3];

/* One input's run configuration, decoded from the header. */
struct cfg {
	u8 *data;
	u64 data_len;
	u32 out_len;
	u16 wins[8];
	u32 n_wins;
	u64 chunk;
	u64 budget;
	u64 overshoot;	/* how far past the budget a run may charge */
	u32 map_cost;
	u32 resched_every;
	int fail_call;
	u64 fail_at;
	int fail_err;
	int bad_call;	/* map call that breaks the contract (bad_kind) */
	int bad_kind;
	int stop_after;
	int stop_err;
	u64 args[4];
	u8 motif[8];
	const struct uringblk_prog_env_ops *ops;
	/* globals and mem regions: sizes, initial bytes (motif-tiled) */
	u32 ro_len, gdata_len, rw_len;
	u32 mem_len;
	u8 *init;	/* at least the largest of them */
};

static const u32 ro_lens[4] = { 0, 8, 40, 256 };
static const u32 rw_lens[4] = { 0, 8, 24, 2048 };
static const u32 mem_lens[8] = { 0, 1, 7, 8, 64, 512, 2048, 4096 };
#define REGION_INIT_MAX	4096

/* Per-byte loops of the harness: not worth coverage feedback or its cost. */
#define NO_COVERAGE	__attribute__((no_sanitize("coverage")))

static NO_COVERAGE void tile(u8 *d, u64 len, const u8 *src, u64 n)
{
	u64 i;

	if (!n) {
		memset(d, 0, len);
		return;
	}
	for (i = 0; i < len; i += n)
		memcpy(d + i, src, len - i < n ? len - i : n);
}

/*
 * Data with repeats so that patterns taken from the input match, many
 * times and across window boundaries; also the adversarial zeros.
 */
static NO_COVERAGE void gen_data(struct cfg *c, const struct hdr *h, const u8 *body,
		     size_t body_len, const u8 *all, size_t all_len)
{
	const u8 *mo = h->motif;
	u64 len = c->data_len, i, x;
	u8 *d = c->data;

	switch (h->data_sel >> 5) {
	case 0:	/* the motif, period 1..8 */
		tile(d, len, mo, 1 + (mo[7] & 7));
		break;
	case 1:	/* zeros, one motif byte at the end */
		memset(d, 0, len);
		if (len)
			d[len - 1] = mo[0];
		break;
	case 2:	/* the slots: their immediates become data */
		tile(d, len, body_len ? body : mo, body_len ? body_len : 8);
		break;
	case 3:	/* text lines */
		for (i = 0; i < len; i++)
			d[i] = "abcdefghi\n"[(i * 7 + i / 13) % 10];
		break;
	case 4:	/* zeros with the motif planted at a stride */
		memset(d, 0, len);
		x = 1 + mo[6];
		for (i = mo[5] % x; i < len; i += x)
			memcpy(d + i, mo, len - i < 8 ? len - i : 8);
		break;
	case 5:	/* pseudo-random bytes seeded by the motif */
		memcpy(&x, mo, 8);
		x |= 1;
		for (i = 0; i < len; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			d[i] = (u8)x;
		}
		break;
	case 6:	/* runs: each motif byte repeated */
		x = 1 + (mo[7] & 31);
		for (i = 0; i < len; i++)
			d[i] = mo[(i / x) % 8];
		break;
	default: /* the whole input */
		tile(d, len, all, all_len);
		break;
	}
}

static void decode(struct cfg *c, const struct hdr *h)
{
	static u8 *data_buf;
	u16 r = win_ranges[h->win_sel & 7];
	u32 i, b = h->budget_sel, rs = h->resched_sel;

	memset(c, 0, sizeof(*c));
	memcpy(c->motif, h->motif, 8);
	c->out_len = out_lens[h->out_sel & 15];
	c->data_len = data_lens[h->data_sel & 15];
	/* the runs only read the data: one buffer, kept across inputs */
	if (!data_buf)
		data_buf = malloc(data_lens[15]);
	c->data = data_buf;
	if (r) {
		for (i = 0; i < 8; i++)
			c->wins[i] = 1 + h->motif[i] % r;
		c->n_wins = 8;
	}
	c->chunk = win_aligns[h->win_sel >> 6];
	c->budget = 4 + b * b / 16;
	/*
	 * prog_vm.h "Budget": a run stops at the first charge past the
	 * budget, one segment (< URINGBLK_PROG_MAX_INSNS) or one helper
	 * charge: a window's bytes / 64, or (work-based charging) a map
	 * call or a piece of a pattern search.
	 */
#ifdef URINGBLK_PROG_PIECE
	{
		static const u32 costs[8] = { 0, 1, 2, 8, 64, 512, 4096, 0 };

		c->map_cost = costs[(h->win_sel >> 3) & 7];
		c->overshoot = URINGBLK_PROG_MAX_INSNS + 2 * URINGBLK_PROG_PIECE +
			       (c->map_cost ? c->map_cost : URINGBLK_PROG_MAP_COST);
	}
#else
	c->overshoot = URINGBLK_PROG_MAX_INSNS + URINGBLK_PROG_WINDOW_MAX / 64;
#endif
	c->resched_every = (1 + (rs & 63)) << (3 * (rs >> 6));
	c->fail_err = h->fail_sel & 0x80 ? -ENXIO : -EIO;
	c->fail_call = MAP_CAP;
	c->fail_at = ~0ULL;
	if (!(h->fail_sel & 3)) {
		if (h->fail_sel & 4)
			c->fail_call = 1 + ((h->fail_sel >> 3) & 15);
		else
			c->fail_at = (h->motif[2] | h->motif[3] << 8) %
				     (c->data_len + 1);
	}
	if ((h->fail_sel & 7) == 5) {
		c->bad_call = 1 + ((h->fail_sel >> 3) & 15);
		c->bad_kind = h->motif[4] % 3;
	}
	if (!(h->stop_sel & 3)) {
		c->stop_after = 1 + (h->stop_sel >> 3);
		c->stop_err = h->stop_sel & 4 ? -ENODEV : -EINTR;
	}
	c->args[0] = 0x6968676665646362ULL;
	memcpy(&c->args[1], h->motif, 8);
	c->args[2] = c->data_len;
	c->args[3] = 5;
	c->ops = &fuzz_ops[((h->mode >> 5) & 3) < 2 ? 0 : ((h->mode >> 5) & 3) - 1];
	{
		static u8 *init;
		u8 sel = h->motif[5];

		if (!init)
			init = malloc(REGION_INIT_MAX);
		if (!init)
			abort();
		c->ro_len = ro_lens[sel & 3];
		c->rw_len = rw_lens[(sel >> 2) & 3];
		c->gdata_len = c->rw_len / 2 & ~7U;
		c->mem_len = mem_lens[(sel >> 4) & 7];
		for (i = 0; i < REGION_INIT_MAX; i++)
			init[i] = h->motif[i % 8] ^ (u8)(i / 8);
		c->init = init;
	}
}

/* Structured mode: slots -> instructions, in two passes (count, emit). */
struct gen {
	struct bpf_insn *insns;	/* NULL in the counting pass */
	u32 n;			/* instructions so far */
	u32 *start;		/* slot -> its first instruction */
	u32 nslots;
	const struct cfg *c;
};

static void put(struct gen *g, u8 code, u8 dst, u8 src, s16 off, s32 imm)
{
	if (g->insns) {
		struct bpf_insn *in = &g->insns[g->n];

		in->code = code;
		in->dst_reg = dst;
		in->src_reg = src;
		in->off = off;
		in->imm = imm;
	}
	g->n++;
}

static void put_lddw(struct gen *g, u8 dst, u64 v)
{
	put(g, BPF_LD | BPF_IMM | BPF_DW, dst, 0, 0, (s32)(u32)v);
	put(g, 0, 0, 0, 0, (s32)(u32)(v >> 32));
}

/* Offset from pc to slot t's first instruction (t == nslots: the exit). */
static s32 rel(struct gen *g, u32 t)
{
	return g->insns ? (s32)g->start[t] - (s32)g->n - 1 : 0;
}

/* A memory offset: near the frame when the base is r10. */
static s16 mem_off(u8 base, s16 off)
{
	return base == BPF_REG_10 ? -(s16)((u16)off % 528) : off;
}

/* Bend one slot into the legal shape of a VM opcode. */
static void shape(struct gen *g, const u8 *b)
{
	u32 k = b[0] % sizeof(codes), t;
	u8 dst = (b[1] & 15) % 11, src = (b[1] >> 4) % 11;
	s16 off;
	s32 imm;

	memcpy(&off, b + 2, 2);
	memcpy(&imm, b + 4, 4);
	t = (u16)off % (g->nslots + 1);
	switch (kinds[k]) {
	case PK_ALU_K:
		put(g, codes[k], dst, 0, 0, imm);
		break;
	case PK_ALU_X:
		put(g, codes[k], dst, src, 0, 0);
		break;
	case PK_DIV_K:		/* div/mod (off 0) or sdiv/smod (off 1) */
		put(g, codes[k], dst, 0, off & 1, imm ? imm : 1);
		break;
	case PK_DIV_X:
		put(g, codes[k], dst, src, off & 1, 0);
		break;
	case PK_MOV32_X:	/* mov or movsx */
		put(g, codes[k], dst, src, (s16[]){ 0, 8, 16 }[(u16)off % 3], 0);
		break;
	case PK_MOV64_X:
		put(g, codes[k], dst, src,
		    (s16[]){ 0, 8, 16, 32 }[(u16)off % 4], 0);
		break;
	case PK_SH32_K:
	case PK_SH64_K:
		put(g, codes[k], dst, 0, 0,
		    (u32)imm % (kinds[k] == PK_SH32_K ? 32 : 64));
		break;
	case PK_NEG:
		put(g, codes[k], dst, 0, 0, 0);
		break;
	case PK_END:
		put(g, codes[k], dst, 0, 0, 16 << ((u32)imm % 3));
		break;
	case PK_LDX:
		put(g, codes[k], dst, src, mem_off(src, off), 0);
		break;
	case PK_STX:
		put(g, codes[k], dst, src, mem_off(dst, off), 0);
		break;
	case PK_ST:
		put(g, codes[k], dst, 0, mem_off(dst, off), imm);
		break;
	case PK_ATOMIC:
		put(g, codes[k], dst, src, mem_off(dst, off),
		    atomic_imms[(u32)imm % 10]);
		break;
	case PK_LDDW:
		/*
		 * upper half: 0, a region's base (ctx, stack, out), or from
		 * the slot; or near the globals or mem region
		 */
		switch ((u16)off % 7) {
		case 4:
			put_lddw(g, dst, URINGBLK_PROG_GLOBAL_ADDR + (u32)imm %
				 (g->c->ro_len + g->c->rw_len + 16));
			break;
		case 5:
			put_lddw(g, dst, URINGBLK_PROG_MEM_ADDR + (u32)imm %
				 (g->c->mem_len + 16));
			break;
		default:
			put_lddw(g, dst, (u32)imm |
				 ((u64)((u16)off % 7 < 4 ? (u16)off % 7 :
					(u32)off) << 32));
			break;
		}
		break;
	case PK_JA:
		put(g, codes[k], 0, 0, (s16)rel(g, t), 0);
		break;
	case PK_JA32:		/* gotol: the target in imm */
		put(g, codes[k], 0, 0, 0, rel(g, t));
		break;
	case PK_JMP_K:
		put(g, codes[k], dst, 0, (s16)rel(g, t), imm);
		break;
	case PK_JMP_X:
		put(g, codes[k], dst, src, (s16)rel(g, t), 0);
		break;
	case PK_CALL:
		if (b[1] & 1)
			put(g, codes[k], 0, BPF_PSEUDO_CALL, 0,
			    rel(g, (u32)imm % (g->nslots + 1)));
		else
			put(g, codes[k], 0, 0, 0,
			    1 + (u32)imm % URINGBLK_HELPER_MAX);
		break;
	case PK_EXIT:
		put(g, codes[k], 0, 0, 0, 0);
		break;
	default:
		/* a kind this harness does not know yet: fields as given */
		put(g, codes[k], dst, src, off, imm);
		break;
	}
}

/* reg = a pointer into a region (see group()) */
static void put_ptr(struct gen *g, u8 reg, u32 region, u16 z)
{
	const struct cfg *c = g->c;

	switch (region) {
	case 0:	/* the current frame, up to 8 bytes below it */
		put(g, BPF_ALU64 | BPF_MOV | BPF_X, reg, BPF_REG_10, 0, 0);
		put(g, BPF_ALU64 | BPF_ADD | BPF_K, reg, 0, 0,
		    -(s32)(1 + z % 520));
		break;
	case 1:	/* the output buffer, up to 8 bytes past it */
		put_lddw(g, reg, URINGBLK_PROG_OUT_ADDR + z % (c->out_len + 9));
		break;
	case 2:	/* ctx (read-only), up to 8 bytes past it */
		put_lddw(g, reg, URINGBLK_PROG_CTX_ADDR +
			 z % (sizeof(struct uringblk_prog_ctx) + 9));
		break;
	default: /* by z: the output's start, the globals, their writable part, mem */
		switch (z & 3) {
		case 0:
			put_lddw(g, reg, URINGBLK_PROG_OUT_ADDR);
			break;
		case 1:
			put_lddw(g, reg, URINGBLK_PROG_GLOBAL_ADDR + (z >> 2) %
				 (c->ro_len + c->rw_len + 9));
			break;
		case 2:
			put_lddw(g, reg, URINGBLK_PROG_GLOBAL_ADDR + c->ro_len +
				 (z >> 2) % (c->rw_len + 9));
			break;
		default:
			put_lddw(g, reg, URINGBLK_PROG_MEM_ADDR + (z >> 2) %
				 (c->mem_len + 9));
			break;
		}
		break;
	}
}

#define MOV_K(g, reg, v) put(g, BPF_ALU64 | BPF_MOV | BPF_K, reg, 0, 0, (s32)(v))
#define CALL(g, id)	 put(g, BPF_JMP | BPF_CALL, 0, 0, 0, id)

/*
 * A helper call with its arguments set up.  Slot bytes:
 *   b[0]	0xe0 | bit 4: len = all the rest of the data | bits 0-3: pattern
 *		length (pat_lens[])
 *   b[1]	bits 0-2: helper (1 + n % URINGBLK_HELPER_MAX: ids 1..8,
 *		so not rec_parse, whose spec random bytes would rarely pass),
 *		3-4: pointer region (stack, out, ctx, out start), 5-6:
 *		pattern source (as is, copied from the
 *		data, the motif), 7: offset from r6 (the last result)
 *   b[2..3]	data offset, modulo data_len + 2 (data_len + 1: -ERANGE)
 *   b[4..5]	length, modulo the rest + 2
 *   b[6..7]	pointer offset in the region; source of a copied pattern
 * The result is kept in r6, so that a find can feed the next read.
 */
static void group(struct gen *g, const u8 *b)
{
	const struct cfg *c = g->c;
	u32 id = 1 + (b[1] & 7) % URINGBLK_HELPER_MAX;
	u32 region = (b[1] >> 3) & 3, psrc = (b[1] >> 5) & 3;
	u32 m = pat_lens[b[0] & 15];
	u16 x = b[2] | b[3] << 8, y = b[4] | b[5] << 8, z = b[6] | b[7] << 8;
	u64 dl = c->data_len;
	u64 off = x % (dl + 2);
	u64 rest = off <= dl ? dl - off : 0;
	u64 len = b[0] & 0x10 ? rest : y % (rest + 2);
	u32 mlen = id == URINGBLK_HELPER_READ || id == URINGBLK_HELPER_EMIT ?
		   (u32)len : m;

	/* the pattern (or a read's source bytes) */
	if ((id == URINGBLK_HELPER_COUNT_PATTERN || id == URINGBLK_HELPER_FIND ||
	     id == URINGBLK_HELPER_EMIT) && psrc) {
		put_ptr(g, BPF_REG_2, region, z);
		if (psrc == 3) {
			u32 lo, hi;

			memcpy(&lo, c->motif, 4);
			memcpy(&hi, c->motif + 4, 4);
			put(g, BPF_ST | BPF_MEM | BPF_W, BPF_REG_2, 0, 0, lo);
			put(g, BPF_ST | BPF_MEM | BPF_W, BPF_REG_2, 0, 4, hi);
		} else {
			MOV_K(g, BPF_REG_1, dl > mlen ? (u64)z * 7 % (dl - mlen + 1) : 0);
			MOV_K(g, BPF_REG_3, mlen);
			CALL(g, URINGBLK_HELPER_READ);
		}
	}
	if (b[1] & 0x80)
		put(g, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_6, 0, 0);
	else
		MOV_K(g, BPF_REG_1, off);
	switch (id) {
	case URINGBLK_HELPER_READ:	/* read(off, dst, len) */
		put_ptr(g, BPF_REG_2, region, z);
		MOV_K(g, BPF_REG_3, len);
		break;
	case URINGBLK_HELPER_EMIT:	/* emit(src, len) */
		put_ptr(g, BPF_REG_1, region, z);
		MOV_K(g, BPF_REG_2, len);
		break;
	case URINGBLK_HELPER_SUM_U32:	/* sum_u32(off, len) */
		MOV_K(g, BPF_REG_2, b[0] & 0x10 ? len & ~3ULL : len);
		break;
	case URINGBLK_HELPER_HISTOGRAM:	/* histogram(off, len, hist) */
		MOV_K(g, BPF_REG_2, len);
		put_ptr(g, BPF_REG_3, region, z);
		break;
	case URINGBLK_HELPER_REC_FIELDS: /* rec_fields(off, end, pos, sep_n) */
		MOV_K(g, BPF_REG_2, off + len);
		put_ptr(g, BPF_REG_3, region, z);
		/* a separator of the data's, 1..66 fields (65, 66: -EINVAL) */
		MOV_K(g, BPF_REG_4, (u32)b[7] | (1 + m % 66) << 8);
		break;
	case URINGBLK_HELPER_PARSE_NUM:	/* parse_num(off, len, fmt) */
		MOV_K(g, BPF_REG_2, len);
		/* kinds 1..6 (6: -EINVAL), scales 0..19 */
		MOV_K(g, BPF_REG_3, (1 + b[6] % 6) | (b[7] % 20) << 8);
		break;
	default:			/* count_pattern/find(off, len, pat, m) */
		MOV_K(g, BPF_REG_2, len);
		put_ptr(g, BPF_REG_3, region, z);
		MOV_K(g, BPF_REG_4, m);
		break;
	}
	CALL(g, id);
	put(g, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_6, BPF_REG_0, 0, 0);
}

static u32 gen_pass(struct gen *g, const u8 *body)
{
	u32 i, before;

	g->n = 0;
	for (i = 0; i < g->nslots; i++) {
		const u8 *b = body + 8 * i;

		if (!g->insns)
			g->start[i] = g->n;
		/* room for the largest expansion and the final exit */
		if (g->n + GROUP_MAX_INSNS + 1 > URINGBLK_PROG_MAX_INSNS) {
			MOV_K(g, BPF_REG_0, i);
			continue;
		}
		before = g->n;
		if (b[0] >= GROUP_MIN)
			group(g, b);
		else
			shape(g, b);
		if (g->n - before > GROUP_MAX_INSNS)
			abort();	/* GROUP_MAX_INSNS is wrong */
	}
	if (!g->insns)
		g->start[g->nslots] = g->n;
	put(g, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	return g->n;
}

/*
 * Random registers often read r1-r5 after a call, which the validator
 * refuses: move each refused read to r6-r9 (never clobbered), or turn a
 * call whose own arguments were clobbered into "mov rN, 0", and validate
 * again.  Each step removes one refused read and adds none.
 */
static int unclobber(struct bpf_insn *insns, u32 len, char *msg, size_t size)
{
	int err = uringblk_prog_verify(insns, len, msg, size);
	unsigned int r, pc;

	for (int i = 0; err && i < 64; i++) {
		struct bpf_insn *in;

		if (sscanf(msg, "r%u is read after a call clobbered it at insn %u",
			   &r, &pc) != 2 || pc >= len)
			break;
		in = &insns[pc];
		if (in->code == (BPF_JMP | BPF_CALL)) {
			memset(in, 0, sizeof(*in));
			in->code = BPF_ALU64 | BPF_MOV | BPF_K;
			in->dst_reg = r;
		} else {
			if (in->dst_reg == r)
				in->dst_reg = 6 + r % 4;
			if (in->src_reg == r)
				in->src_reg = 6 + r % 4;
		}
		err = uringblk_prog_verify(insns, len, msg, size);
	}
	return err;
}

static struct uringblk_prog_state *state_new(void)
{
	struct uringblk_prog_state *st = malloc(sizeof(*st));

	if (!st)
		abort();
	/* the stack starts the allocation; its top meets the guard */
	BUILD_BUG_ON(offsetof(struct uringblk_prog_state, stack) != 0);
	BUILD_BUG_ON(offsetof(struct uringblk_prog_state, stack_guard) !=
		     sizeof(st->stack));
	ASAN_POISON_MEMORY_REGION(st->stack_guard, sizeof(st->stack_guard));
#if FUZZ_PLANT == 3
	/* one byte past the stack's top must be reported */
	{
		volatile u8 *top = st->stack + sizeof(st->stack);

		(void)*top;
	}
#endif
	return st;
}

struct run {
	struct uringblk_prog_result r;
	struct memenv m;
	const struct cfg *c;
	bool bad_done;		/* a contract-breaking window was returned */
	u8 *out;
	u8 *ro, *rw, *mem;	/* the regions, exact-size blocks */
#ifdef URINGBLK_PROG_MAX_WORK_PER_UNIT
	u64 work;
#endif
};

static long fuzz_map(void *priv, u64 off, u64 len, const void **win)
{
	struct memenv *m = priv;
	struct run *rn = (struct run *)((char *)m - offsetof(struct run, m));
	long n = memenv_map(priv, off, len, win);

	if (n > 0 && m->map_calls == rn->c->bad_call) {
		/* the VM must refuse it (-EIO) and not unmap it */
		m->maps--;
		m->bytes_mapped -= n;
		rn->bad_done = true;
		switch (rn->c->bad_kind) {
		case 0:
			return 0;
		case 1:
			*win = NULL;
			return n;
		default:
			return (long)len + 1;
		}
	}
	/* FUZZ_PLANT 1: hand out a copy one byte shorter than claimed */
	if (FUZZ_PLANT == 1 && n > 1) {
		void *w = malloc(n - 1);

		memcpy(w, *win, n - 1);
		free(m->win);
		m->win = w;
		*win = w;
	}
	/* FUZZ_PLANT 4: a window cut short delivers a wrong last byte */
	if (FUZZ_PLANT == 4 && n > 1 && (u64)n < len)
		((u8 *)m->win)[n - 1] ^= 1;
	return n;
}

/*
 * The embedder's ops, by hdr.mode bits 5-6: all of them (0, 1), map only
 * (2: unmap and resched are optional), none (3: helpers that need data
 * abort with -EIO).
 */
static const struct uringblk_prog_env_ops fuzz_ops[3] = {
	{ .map = fuzz_map, .unmap = memenv_unmap, .resched = memenv_resched },
	{ .map = fuzz_map },
	{ 0 },
};

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "fuzz_vm: oracle failed: %s\n", #cond); \
			abort();					\
		}							\
	} while (0)

/*
 * An exact-size copy of the first @n initial bytes (NULL for 0);
 * FUZZ_PLANT 5: @short_one (mem) makes it a byte short.
 */
static u8 *region_block(const struct cfg *c, u32 n, bool short_one)
{
	u8 *b;

	if (!n)
		return NULL;
	if (FUZZ_PLANT == 5 && short_one && n > 1)
		n--;
	b = malloc(n);
	if (!b)
		abort();
	memcpy(b, c->init, n);
	return b;
}

/* The globals and mem regions of a run, afresh; rw starts as garbage. */
static void regions_env(const struct cfg *c, struct run *rn,
			struct uringblk_prog_env *env)
{
	rn->ro = region_block(c, c->ro_len, false);
	rn->rw = region_block(c, c->rw_len, false);
	rn->mem = region_block(c, c->mem_len, true);
	if (rn->rw)
		memset(rn->rw, 0xa5, c->rw_len);
	env->rodata = rn->ro;
	env->rodata_len = c->ro_len;
	/* .data's image: the initial bytes after .rodata's */
	env->data = c->init + c->ro_len;
	env->data_len = c->gdata_len;
	env->globals_rw = rn->rw;
	env->rw_len = c->rw_len;
	env->mem = rn->mem;
	env->mem_len = c->mem_len;
}

static void regions_free(struct run *rn)
{
	free(rn->ro);
	free(rn->rw);
	free(rn->mem);
}

/*
 * One run.  With @whole: every window as large as the VM asks, nothing
 * injected (the reference for the window-independence oracle).
 */
static void run(run_fn fn, struct uringblk_prog_state *st,
		const struct bpf_insn *insns, u32 len, const struct cfg *c,
		struct run *out, bool whole)
{
	static const struct cfg none = { .fail_call = MAP_CAP,
					 .fail_at = ~0ULL };
	struct uringblk_prog_env env;
	struct memenv *m = &out->m;
	const struct cfg *inj = whole ? &none : c;

	/* exactly out_len bytes: one past the end is outside the block */
	out->out = malloc(c->out_len - (FUZZ_PLANT == 2 && c->out_len));
	if (!out->out && c->out_len)
		abort();
	memenv_init(m, &env, c->data, c->data_len, out->out, c->out_len,
		    c->budget);
	env.ops = c->ops;
	out->c = inj;
	out->bad_done = false;
	m->copy = true;
	if (!whole) {
		m->win_sizes = c->wins;
		m->n_win_sizes = c->n_wins;
		m->chunk = c->chunk;
	}
	m->fail_call = inj->fail_call;
	m->fail_at = inj->fail_at;
	m->fail_err = c->fail_err;
	m->stop_after = inj->stop_after;
	m->stop_err = inj->stop_err;
	env.resched_every = c->resched_every;
#ifdef URINGBLK_PROG_PIECE
	env.map_cost = c->map_cost;
#endif
	env.ctx.lba_start = c->motif[0];
	memcpy(env.ctx.args, c->args, sizeof(c->args));
	regions_env(c, out, &env);
	fn(st, insns, &env, &out->r);
	memenv_fini(m);
	/* .rodata is never written */
	CHECK(!c->ro_len || !memcmp(out->ro, c->init, c->ro_len));
#ifdef URINGBLK_PROG_MAX_WORK_PER_UNIT
	out->work = st->work;
#endif
	/* the VM's side of the embedder contract */
	if ((c->ops->unmap && m->maps != m->unmaps) || m->bad_calls)
		abort();
}


/* What must hold of any run, whatever the program did. */
static void oracles(const struct run *a, const struct cfg *c,
		    const struct bpf_insn *insns, u32 len)
{
	const struct uringblk_prog_result *r = &a->r;

	CHECK(r->out_used <= c->out_len && r->bytes_emitted <= r->out_used);
	CHECK(r->abort_pc < len);
	CHECK(!r->err == (r->abort_code == URINGBLK_PROG_OK));
	/* a validated program never reaches the unknown-opcode path */
	CHECK(r->abort_code != URINGBLK_PROG_ABORT_ARG ||
	      insns[r->abort_pc].code == (BPF_JMP | BPF_CALL));
	/* aborts carry the embedder's errno, from the call that failed */
	if (r->abort_code == URINGBLK_PROG_ABORT_IO)
		CHECK(r->err == (c->ops->map && !a->bad_done ? c->fail_err : -EIO));
	CHECK(!a->bad_done || r->abort_code == URINGBLK_PROG_ABORT_IO);
	if (!c->ops->resched)
		CHECK(r->abort_code != URINGBLK_PROG_ABORT_STOPPED);
	if (r->abort_code == URINGBLK_PROG_ABORT_STOPPED)
		CHECK(r->err == c->stop_err &&
		      a->m.resched_calls == c->stop_after);
	CHECK(!c->stop_after || a->m.resched_calls <= c->stop_after);
	/* budget: never over on success, overshoot bounded on -ETIME */
	if (!r->err)
		CHECK(r->insns <= c->budget);
	CHECK(r->insns <= c->budget + c->overshoot);
	if (r->abort_code == URINGBLK_PROG_ABORT_BUDGET)
		CHECK(r->err == -ETIME && r->insns > c->budget);
	/* helpers examine no more than the windows delivered */
	CHECK(r->bytes_scanned <= a->m.bytes_mapped);
#ifdef URINGBLK_PROG_MAX_WORK_PER_UNIT
#ifndef URINGBLK_PROG_WORK_SLACK
#define URINGBLK_PROG_WORK_SLACK (64 * URINGBLK_PROG_MAX_WORK_PER_UNIT)
#endif
	if (a->work > URINGBLK_PROG_MAX_WORK_PER_UNIT * r->insns +
		      URINGBLK_PROG_WORK_SLACK) {
		fprintf(stderr, "fuzz_vm: work %llu for %llu budget units\n",
			(unsigned long long)a->work,
			(unsigned long long)r->insns);
		abort();
	}
#endif
}

/*
 * Did the run read data through windows cut by the configuration, and end
 * in a way that does not depend on where they were cut?  Then the same run
 * with whole windows must give the same result: helpers carry their state
 * across windows.  Budget, I/O and stop aborts depend on when the charges
 * and calls happen: not compared.  The charge itself is the same whatever
 * the cuts only while window fetches are free; with work-based charging
 * (URINGBLK_PROG_MAX_WORK_PER_UNIT) each fetch costs.
 */
#ifdef URINGBLK_PROG_MAX_WORK_PER_UNIT
#define WINDOW_FREE_CHARGE	false
#else
#define WINDOW_FREE_CHARGE	true
#endif

static bool window_sensitive(const struct run *a, const struct cfg *c)
{
	switch (a->r.abort_code) {
	case URINGBLK_PROG_OK:
	case URINGBLK_PROG_ABORT_MEM:
	case URINGBLK_PROG_ABORT_RANGE:
	case URINGBLK_PROG_ABORT_ARG:
	case URINGBLK_PROG_ABORT_DEPTH:
		return a->m.maps && (c->n_wins || c->chunk);
	}
	return false;
}

static bool same(const struct run *a, const struct run *b, u32 out_len,
		 bool charge)
{
	const u32 mem_len = a->c->mem_len;

	return (!mem_len || !memcmp(a->mem, b->mem, mem_len)) &&
	       a->r.ret == b->r.ret && a->r.err == b->r.err &&
	       a->r.abort_code == b->r.abort_code &&
	       a->r.abort_pc == b->r.abort_pc &&
	       (!charge || a->r.insns == b->r.insns) &&
	       a->r.bytes_scanned == b->r.bytes_scanned &&
	       a->r.bytes_emitted == b->r.bytes_emitted &&
	       a->r.out_used == b->r.out_used &&
	       (a->r.out_used > out_len ||
		!memcmp(a->out, b->out, a->r.out_used));
}

/*
 * The run again with yields (hdr.mode bit 1), through the switch
 * interpreter, resumed until it ends: the same as @a in everything.
 * Skipped when an injection counts map or reschedule calls, or when @a
 * met the harness's map call cap.
 */
static void run_yields(struct uringblk_prog_state *st,
		       const struct bpf_insn *insns, const struct cfg *c,
		       const struct run *a)
{
	struct uringblk_prog_env env;
	struct run y;
	struct memenv *m = &y.m;
	int err, limit;

	if (c->fail_call != MAP_CAP || c->stop_after || c->bad_call ||
	    a->m.map_calls >= MAP_CAP || !c->ops->map)
		return;
	y.out = malloc(c->out_len);
	if (!y.out && c->out_len)
		abort();
	memenv_init(m, &env, c->data, c->data_len, y.out, c->out_len,
		    c->budget);
	env.ops = c->ops;
	y.c = c;
	y.bad_done = false;
	m->copy = true;
	m->win_sizes = c->wins;
	m->n_win_sizes = c->n_wins;
	m->chunk = c->chunk;
	m->fail_at = c->fail_at;
	m->fail_err = c->fail_err;
	m->yield_resched = true;
	m->refused = calloc(c->data_len / 8 + 1, 1);
	if (!m->refused)
		abort();
	env.resched_every = 1;
	env.map_cost = c->map_cost;
	env.ctx.lba_start = c->motif[0];
	memcpy(env.ctx.args, c->args, sizeof(c->args));
	regions_env(c, &y, &env);
	/* a yield per unit or per window refused once, else no progress */
	limit = 2 * (a->r.insns + c->data_len) + 1000;
	err = uringblk_prog_run_switch(st, insns, &env, &y.r);
	while (err == URINGBLK_PROG_YIELDED) {
		/* no window outlives a yield */
		CHECK(!c->ops->unmap || (m->maps == m->unmaps && !m->win));
		CHECK(++m->yields <= limit);
		err = uringblk_prog_resume_switch(st, &env, &y.r);
	}
	memenv_fini(m);
	free(m->refused);
	CHECK(err == y.r.err && !m->bad_calls);
	CHECK(!c->ops->unmap || m->maps == m->unmaps);
	if (!same(a, &y, c->out_len, true) || st->work != a->work) {
		fprintf(stderr, "fuzz_vm: yields change the run: ret %llx/%llx err %d/%d pc %u/%u insns %llu/%llu scanned %llu/%llu work %llu/%llu, %d yields\n",
			(unsigned long long)a->r.ret, (unsigned long long)y.r.ret,
			a->r.err, y.r.err, a->r.abort_pc, y.r.abort_pc,
			(unsigned long long)a->r.insns, (unsigned long long)y.r.insns,
			(unsigned long long)a->r.bytes_scanned,
			(unsigned long long)y.r.bytes_scanned,
			(unsigned long long)a->work, (unsigned long long)st->work,
			m->yields);
		abort();
	}
	free(y.out);
	regions_free(&y);
}

int LLVMFuzzerTestOneInput(const u8 *buf, size_t size)
{
	static struct bpf_insn insns[URINGBLK_PROG_MAX_INSNS + 1];
	static u32 start[MAX_SLOTS + 1];
	static struct uringblk_prog_state *st_a, *st_b, *st_y;
	struct run a, b;
	struct hdr h;
	struct cfg c;
	struct gen g;
	char msg[128];
	const u8 *body;
	u32 len;
	int err;

	if (size < HDR_LEN)
		return 0;
	if (!st_a) {
		st_a = state_new();
		st_b = state_new();
		st_y = state_new();
	}
	memcpy(&h, buf, HDR_LEN);
	body = buf + HDR_LEN;
	len = (size - HDR_LEN) / 8;
	if (len > MAX_SLOTS)
		len = MAX_SLOTS;
	decode(&c, &h);
	if (h.mode & 0x80) {
		memcpy(insns, body, len * sizeof(insns[0]));
		/* the longest program, and one slot more (-E2BIG) */
		if ((h.mode & 0x10) && len) {
			tile((u8 *)insns, (URINGBLK_PROG_MAX_INSNS + 1) * 8,
			     body, len * 8);
			len = URINGBLK_PROG_MAX_INSNS + (h.mode & 1);
		}
	} else {
		g = (struct gen){ .start = start, .nslots = len, .c = &c };
		gen_pass(&g, body);
		g.insns = insns;
		len = gen_pass(&g, body);
	}
	err = (h.mode & 0x80) ? uringblk_prog_verify(insns, len, msg, sizeof(msg)) :
				unclobber(insns, len, msg, sizeof(msg));
	/* the verdict does not depend on the message buffer */
	if (h.mode & 0x08)
		CHECK(uringblk_prog_verify(insns, len, NULL, 0) == err);
	if (err) {
		/* every rejection names its insn */
		CHECK(strstr(msg, " at insn "));
		return 0;
	}

	gen_data(&c, &h, body, (size - HDR_LEN) / 8 * 8, buf, size);
	run(uringblk_prog_run_goto, st_a, insns, len, &c, &a, false);
	run(uringblk_prog_run_switch, st_b, insns, len, &c, &b, false);
	if (!same(&a, &b, c.out_len, true) ||
	    a.m.map_calls != b.m.map_calls ||
	    a.m.resched_calls != b.m.resched_calls ||
#ifdef URINGBLK_PROG_MAX_WORK_PER_UNIT
	    a.work != b.work ||
#endif
	    a.bad_done != b.bad_done) {
		fprintf(stderr, "goto/switch disagree: ret %llx/%llx err %d/%d pc %u/%u\n",
			(unsigned long long)a.r.ret, (unsigned long long)b.r.ret,
			a.r.err, b.r.err, a.r.abort_pc, b.r.abort_pc);
		abort();
	}
	oracles(&a, &c, insns, len);
	free(b.out);
	regions_free(&b);
	if (h.mode & 0x02)
		run_yields(st_y, insns, &c, &a);
	if (window_sensitive(&a, &c)) {
		run(uringblk_prog_run_goto, st_b, insns, len, &c, &b, true);
		if (!same(&a, &b, c.out_len, WINDOW_FREE_CHARGE)) {
			fprintf(stderr, "fuzz_vm: whole windows change the run: ret %llx/%llx err %d/%d insns %llu/%llu scanned %llu/%llu\n",
				(unsigned long long)a.r.ret, (unsigned long long)b.r.ret,
				a.r.err, b.r.err,
				(unsigned long long)a.r.insns, (unsigned long long)b.r.insns,
				(unsigned long long)a.r.bytes_scanned,
				(unsigned long long)b.r.bytes_scanned);
			abort();
		}
		free(b.out);
		regions_free(&b);
	}
	free(a.out);
	regions_free(&a);
	return 0;
}
