// SPDX-License-Identifier: GPL-2.0
/*
 * uringblk eBPF interpreter.
 *
 * Modelled on ___bpf_prog_run() in kernel/bpf/core.c: one label per
 * opcode of prog_opcodes.h, dispatched through a table of label addresses
 * (GCC "labels as values"); with URINGBLK_PROG_NO_GOTO, or a compiler
 * without that extension, the same bodies become the cases of a switch.
 *
 * Only validated programs run here (uringblk_prog_verify()), so register
 * numbers, opcodes and jump targets are not checked again.  What is
 * checked is what depends on values: every memory access against the three
 * regions of the program address space (include/uapi/linux/uringblk_prog.h),
 * the call depth and the budget.  The stack check comes first and is two
 * instructions, because clang-generated code mostly touches the stack.
 *
 * Does not sleep by itself; sleeps only where the embedder's ops do.
 */
#include "prog_vm.h"
#include "prog_opcodes.h"

#if defined(__GNUC__) && !defined(URINGBLK_PROG_NO_GOTO)
#define URINGBLK_PROG_GOTO 1
#endif

enum {
#define OP(name, code, kind)	OPC_##name = code,
	URINGBLK_PROG_OPCODES(OP)
#undef OP
};

/*
 * Signed division and modulo (ISA v4 sdiv/smod: div/mod with off 1), with
 * the kernel's answers where C has none: x / 0 = 0 and x % 0 = x (as for
 * unsigned), x / -1 = -x and x % -1 = 0, so INT_MIN / -1 = INT_MIN and
 * INT_MIN % -1 = 0 (the kernel's verifier rewrites both -1 cases so).
 * Otherwise C's truncating division, as the eBPF spec requires.  The
 * 32-bit forms work on the low halves; the caller zero-extends.
 */
static inline u64 sdiv64(u64 a, u64 b)
{
	if (!b)
		return 0;
	if (b == (u64)-1)
		return -a;
	return (u64)((s64)a / (s64)b);
}

static inline u64 smod64(u64 a, u64 b)
{
	if (!b)
		return a;
	if (b == (u64)-1)
		return 0;
	return (u64)((s64)a % (s64)b);
}

static inline u32 sdiv32(u32 a, u32 b)
{
	if (!b)
		return 0;
	if (b == (u32)-1)
		return -a;
	return (u32)((s32)a / (s32)b);
}

static inline u32 smod32(u32 a, u32 b)
{
	if (!b)
		return a;
	if (b == (u32)-1)
		return 0;
	return (u32)((s32)a % (s32)b);
}

/* movsx (mov with off 8/16/32, validated): sign-extend the low off bits */
static inline u64 movsx64(u64 v, s16 bits)
{
	if (bits == 8)
		return (u64)(s64)(s8)v;
	if (bits == 16)
		return (u64)(s64)(s16)v;
	return (u64)(s64)(s32)v;
}

/* the 32-bit form extends to 32 bits (8 or 16 validated); zero above */
static inline u32 movsx32(u64 v, s16 bits)
{
	return bits == 8 ? (u32)(s8)v : (u32)(s16)v;
}

/**
 * uringblk_prog_run() - run a validated program once
 * @st:		run state (embedder-allocated, need not be initialised)
 * @insns:	program accepted by uringblk_prog_verify(); the validator
 *		proved every path ends in an exit inside it, so its length
 *		is not needed here
 * @env:	the run's inputs
 * @res:	filled with the outcome, also on abort
 *
 * Context: whatever the embedder's ops need (kernel: process context when
 * ops->map or ops->resched may sleep).
 *
 * Return: 0 if the program reached its final exit (result in res->ret),
 * else the negative errno of the abort (also in res->err).
 */
int uringblk_prog_run(struct uringblk_prog_state *st,
		      const struct bpf_insn *insns,
		      const struct uringblk_prog_env *env,
		      struct uringblk_prog_result *res)
{
#ifdef URINGBLK_PROG_GOTO
	/* a default for all, then the real entries: overriding is the point */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
	static const void * const jumptable[256] __annotate_jump_table = {
		[0 ... 255] = &&default_label,
#define OP(name, code, kind)	[code] = &&L_##name,
		URINGBLK_PROG_OPCODES(OP)
#undef OP
	};
#pragma GCC diagnostic pop
#endif
	u64 regs[MAX_BPF_REG];
	const struct bpf_insn *insn = insns, *seg = insns, *tgt;
	/* accessible stack: [stk_lo, stk_lo + stk_span) */
	u64 stk_lo = URINGBLK_PROG_STACK_TOP - URINGBLK_PROG_STACK_SIZE;
	u64 stk_span = URINGBLK_PROG_STACK_SIZE;
	uintptr_t stk_bias = (uintptr_t)st->stack - URINGBLK_PROG_STACK_BASE;
	uintptr_t out_bias = (uintptr_t)env->out - URINGBLK_PROG_OUT_ADDR;
	u64 out_len = env->out_len, out_wm = 0;
	s64 ticks;
	u64 old, addr, slice;
	u32 depth = 0;
	u8 *p;
#ifdef URINGBLK_PROG_COUNT_INSNS
	u64 executed = 0;
#define COUNT()	(executed++)
#else
#define COUNT()	do { } while (0)
#endif

	BUILD_BUG_ON(sizeof(struct uringblk_prog_ctx) != 128);
	st->ctx = env->ctx;
	st->ctx.out = URINGBLK_PROG_OUT_ADDR;
	st->ctx.out_len = env->out_len;
	memset(st->ctx.rsvd, 0, sizeof(st->ctx.rsvd));
	st->env = env;
	st->insns = insns;
	st->pc = insns;
	st->out = env->out;
	st->out_len = env->out_len;
	/*
	 * Nothing tracks initialisation, so a program may read any byte of
	 * its stack and output buffer: never show it an earlier run's data.
	 */
	memset(st->stack, 0, sizeof(st->stack));
	if (env->out_len)
		memset(env->out, 0, env->out_len);
	st->out_cursor = 0;
	st->out_wm = 0;
	st->depth = 0;
	st->err = 0;
	st->abort_code = URINGBLK_PROG_OK;
	st->bytes_scanned = 0;
	st->work = 0;
	st->pat_len = 0;
	slice = env->resched_every ? env->resched_every :
				     URINGBLK_PROG_RESCHED_DEFAULT;
	slice = min_t(u64, slice, env->budget);
	st->reserve = env->budget - slice;
	ticks = slice;

	memset(regs, 0, sizeof(regs));
	regs[BPF_REG_1] = URINGBLK_PROG_CTX_ADDR;
	regs[BPF_REG_10] = URINGBLK_PROG_STACK_TOP;

#define DST	regs[insn->dst_reg]
#define SRC	regs[insn->src_reg]
#define IMM	insn->imm

#ifdef URINGBLK_PROG_GOTO
#define LABEL(name)	L_##name:
#define DISPATCH()	do { COUNT(); goto *jumptable[insn->code]; } while (0)
#else
#define LABEL(name)	case OPC_##name:
#define DISPATCH()	do { COUNT(); goto select_insn; } while (0)
#endif
#define NEXT()		do { insn++; DISPATCH(); } while (0)

	/* Charge the forward-only segment [seg, insn]; may leave the run. */
#define CHARGE_SEGMENT()						\
	do {								\
		ticks -= insn - seg + 1;				\
		if (unlikely(ticks < 0)) {				\
			st->ticks = ticks;				\
			st->pc = insn;					\
			if (!uringblk_prog_refill(st))			\
				goto aborted;				\
			ticks = st->ticks;				\
		}							\
	} while (0)

#define JUMP_BY(delta)							\
	do {								\
		tgt = insn + (delta) + 1;				\
		if (tgt <= insn) {					\
			CHARGE_SEGMENT();				\
			seg = tgt;					\
		}							\
		insn = tgt;						\
		DISPATCH();						\
	} while (0)
#define JUMP()		JUMP_BY(insn->off)

	/*
	 * Calls clobber r1-r5.  The validator refuses programs that read
	 * them after a call, so this is never observed by a validated one;
	 * zero (rather than stale or helper values) keeps the run defined
	 * even so.
	 */
#define CLOBBER_ARGS()							\
	memset(&regs[BPF_REG_1], 0, 5 * sizeof(regs[0]))

	/*
	 * Region checks, all in unsigned arithmetic so that an address below
	 * a region wraps to a huge offset.  stk_span >= 512 > size, so the
	 * stack test cannot underflow; out_len may be smaller than size,
	 * hence its two-step test.
	 */
#define LOAD_PTR(a, size)						\
	({								\
		addr = (a);						\
		if (likely(addr - stk_lo <= stk_span - (size)))		\
			p = (u8 *)(addr + stk_bias);			\
		else if (addr - URINGBLK_PROG_OUT_ADDR < out_len &&	\
			 out_len - (addr - URINGBLK_PROG_OUT_ADDR) >= (size)) \
			p = (u8 *)(addr + out_bias);			\
		else if (addr - URINGBLK_PROG_CTX_ADDR <=		\
			 sizeof(st->ctx) - (size))			\
			p = (u8 *)&st->ctx +				\
			    (addr - URINGBLK_PROG_CTX_ADDR);		\
		else							\
			goto mem_fault;					\
		p;							\
	})
#define STORE_PTR(a, size)						\
	({								\
		addr = (a);						\
		if (likely(addr - stk_lo <= stk_span - (size))) {	\
			p = (u8 *)(addr + stk_bias);			\
		} else if (addr - URINGBLK_PROG_OUT_ADDR < out_len &&	\
			   out_len - (addr - URINGBLK_PROG_OUT_ADDR) >= (size)) { \
			p = (u8 *)(addr + out_bias);			\
			addr += (size) - URINGBLK_PROG_OUT_ADDR;	\
			if (addr > out_wm)				\
				out_wm = addr;				\
		} else {						\
			goto mem_fault;					\
		}							\
		p;							\
	})

	DISPATCH();

#ifndef URINGBLK_PROG_GOTO
select_insn:
	switch (insn->code) {
#endif

#define ALU(OPN, OP)							\
	LABEL(ALU64_##OPN##_X) DST = DST OP SRC; NEXT();		\
	LABEL(ALU64_##OPN##_K) DST = DST OP (u64)(s64)IMM; NEXT();	\
	LABEL(ALU32_##OPN##_X) DST = (u32)DST OP (u32)SRC; NEXT();	\
	LABEL(ALU32_##OPN##_K) DST = (u32)DST OP (u32)IMM; NEXT();
	ALU(ADD, +)
	ALU(SUB, -)
	ALU(AND, &)
	ALU(OR, |)
	ALU(XOR, ^)
	ALU(MUL, *)
#undef ALU
	/* Shift counts are masked as on every eBPF JIT; K counts validated. */
	LABEL(ALU64_LSH_X) DST <<= SRC & 63; NEXT();
	LABEL(ALU64_LSH_K) DST <<= IMM; NEXT();
	LABEL(ALU32_LSH_X) DST = (u32)DST << (SRC & 31); NEXT();
	LABEL(ALU32_LSH_K) DST = (u32)DST << IMM; NEXT();
	LABEL(ALU64_RSH_X) DST >>= SRC & 63; NEXT();
	LABEL(ALU64_RSH_K) DST >>= IMM; NEXT();
	LABEL(ALU32_RSH_X) DST = (u32)DST >> (SRC & 31); NEXT();
	LABEL(ALU32_RSH_K) DST = (u32)DST >> IMM; NEXT();
	LABEL(ALU64_ARSH_X) DST = (u64)((s64)DST >> (SRC & 63)); NEXT();
	LABEL(ALU64_ARSH_K) DST = (u64)((s64)DST >> IMM); NEXT();
	LABEL(ALU32_ARSH_X) DST = (u32)((s32)DST >> (SRC & 31)); NEXT();
	LABEL(ALU32_ARSH_K) DST = (u32)((s32)DST >> IMM); NEXT();
	LABEL(ALU64_NEG) DST = -DST; NEXT();
	LABEL(ALU32_NEG) DST = (u32)-(u32)DST; NEXT();
	/* off != 0 is movsx (v4); mov stays one predictable branch */
	LABEL(ALU64_MOV_X)
		DST = likely(!insn->off) ? SRC : movsx64(SRC, insn->off);
		NEXT();
	LABEL(ALU64_MOV_K) DST = (u64)(s64)IMM; NEXT();
	LABEL(ALU32_MOV_X)
		DST = likely(!insn->off) ? (u32)SRC : movsx32(SRC, insn->off);
		NEXT();
	LABEL(ALU32_MOV_K) DST = (u32)IMM; NEXT();
	/*
	 * eBPF defines x / 0 = 0 and x % 0 = x (32-bit: zero-extended x).
	 * Immediate divisors are never 0 (validated) and are sign-extended
	 * for 64-bit operations, as in the kernel.  off 1 is signed (v4).
	 */
	LABEL(ALU64_DIV_X)
		DST = likely(!insn->off) ? (SRC ? DST / SRC : 0) :
					   sdiv64(DST, SRC);
		NEXT();
	LABEL(ALU64_DIV_K)
		DST = likely(!insn->off) ? DST / (u64)(s64)IMM :
					   sdiv64(DST, (u64)(s64)IMM);
		NEXT();
	LABEL(ALU32_DIV_X)
		DST = likely(!insn->off) ?
		      ((u32)SRC ? (u32)DST / (u32)SRC : 0) :
		      sdiv32(DST, SRC);
		NEXT();
	LABEL(ALU32_DIV_K)
		DST = likely(!insn->off) ? (u32)DST / (u32)IMM :
					   sdiv32(DST, IMM);
		NEXT();
	LABEL(ALU64_MOD_X)
		DST = likely(!insn->off) ? (SRC ? DST % SRC : DST) :
					   smod64(DST, SRC);
		NEXT();
	LABEL(ALU64_MOD_K)
		DST = likely(!insn->off) ? DST % (u64)(s64)IMM :
					   smod64(DST, (u64)(s64)IMM);
		NEXT();
	LABEL(ALU32_MOD_X)
		DST = likely(!insn->off) ?
		      ((u32)SRC ? (u32)DST % (u32)SRC : (u32)DST) :
		      smod32(DST, SRC);
		NEXT();
	LABEL(ALU32_MOD_K)
		DST = likely(!insn->off) ? (u32)DST % (u32)IMM :
					   smod32(DST, IMM);
		NEXT();
	LABEL(ALU32_END_LE)
		switch (IMM) {
		case 16: DST = (u16)cpu_to_le16((u16)DST); break;
		case 32: DST = (u32)cpu_to_le32((u32)DST); break;
		default: DST = (u64)cpu_to_le64(DST); break;
		}
		NEXT();
	LABEL(ALU32_END_BE)
		switch (IMM) {
		case 16: DST = (u16)cpu_to_be16((u16)DST); break;
		case 32: DST = (u32)cpu_to_be32((u32)DST); break;
		default: DST = (u64)cpu_to_be64(DST); break;
		}
		NEXT();
	/* v4 bswap: unconditional; the narrow forms zero the bits above */
	LABEL(ALU64_BSWAP)
		switch (IMM) {
		case 16: DST = swab16((u16)DST); break;
		case 32: DST = swab32((u32)DST); break;
		default: DST = swab64(DST); break;
		}
		NEXT();
	LABEL(LD_IMM64)
		DST = (u64)(u32)insn[0].imm | ((u64)(u32)insn[1].imm << 32);
		insn++;
		NEXT();

	LABEL(LDX_B) DST = *LOAD_PTR(SRC + insn->off, 1); NEXT();
	LABEL(LDX_H) DST = get_unaligned_u16(LOAD_PTR(SRC + insn->off, 2)); NEXT();
	LABEL(LDX_W) DST = get_unaligned_u32(LOAD_PTR(SRC + insn->off, 4)); NEXT();
	LABEL(LDX_DW) DST = get_unaligned_u64(LOAD_PTR(SRC + insn->off, 8)); NEXT();
	LABEL(LDXSX_B) DST = (u64)(s64)(s8)*LOAD_PTR(SRC + insn->off, 1); NEXT();
	LABEL(LDXSX_H)
		DST = (u64)(s64)(s16)get_unaligned_u16(LOAD_PTR(SRC + insn->off, 2));
		NEXT();
	LABEL(LDXSX_W)
		DST = (u64)(s64)(s32)get_unaligned_u32(LOAD_PTR(SRC + insn->off, 4));
		NEXT();
	LABEL(ST_B) *STORE_PTR(DST + insn->off, 1) = IMM; NEXT();
	LABEL(ST_H) put_unaligned_u16(IMM, STORE_PTR(DST + insn->off, 2)); NEXT();
	LABEL(ST_W) put_unaligned_u32(IMM, STORE_PTR(DST + insn->off, 4)); NEXT();
	LABEL(ST_DW) put_unaligned_u64((u64)(s64)IMM, STORE_PTR(DST + insn->off, 8)); NEXT();
	LABEL(STX_B) *STORE_PTR(DST + insn->off, 1) = SRC; NEXT();
	LABEL(STX_H) put_unaligned_u16(SRC, STORE_PTR(DST + insn->off, 2)); NEXT();
	LABEL(STX_W) put_unaligned_u32(SRC, STORE_PTR(DST + insn->off, 4)); NEXT();
	LABEL(STX_DW) put_unaligned_u64(SRC, STORE_PTR(DST + insn->off, 8)); NEXT();

	/*
	 * A run is single-threaded and its memory private, so "atomic" ops
	 * are plain read-modify-write.  Fetch results are zero-extended
	 * for the 32-bit forms, as in the kernel.
	 */
	LABEL(ATOMIC_W)
		p = STORE_PTR(DST + insn->off, 4);
		old = get_unaligned_u32(p);
		switch (IMM) {
		case BPF_ADD: case BPF_ADD | BPF_FETCH:
			put_unaligned_u32(old + SRC, p); break;
		case BPF_AND: case BPF_AND | BPF_FETCH:
			put_unaligned_u32(old & SRC, p); break;
		case BPF_OR: case BPF_OR | BPF_FETCH:
			put_unaligned_u32(old | SRC, p); break;
		case BPF_XOR: case BPF_XOR | BPF_FETCH:
			put_unaligned_u32(old ^ SRC, p); break;
		case BPF_XCHG:
			put_unaligned_u32(SRC, p); break;
		case BPF_CMPXCHG:
			if ((u32)old == (u32)regs[BPF_REG_0])
				put_unaligned_u32(SRC, p);
			regs[BPF_REG_0] = old;
			NEXT();
		}
		if (IMM & BPF_FETCH)
			SRC = old;
		NEXT();
	LABEL(ATOMIC_DW)
		p = STORE_PTR(DST + insn->off, 8);
		old = get_unaligned_u64(p);
		switch (IMM) {
		case BPF_ADD: case BPF_ADD | BPF_FETCH:
			put_unaligned_u64(old + SRC, p); break;
		case BPF_AND: case BPF_AND | BPF_FETCH:
			put_unaligned_u64(old & SRC, p); break;
		case BPF_OR: case BPF_OR | BPF_FETCH:
			put_unaligned_u64(old | SRC, p); break;
		case BPF_XOR: case BPF_XOR | BPF_FETCH:
			put_unaligned_u64(old ^ SRC, p); break;
		case BPF_XCHG:
			put_unaligned_u64(SRC, p); break;
		case BPF_CMPXCHG:
			if (old == regs[BPF_REG_0])
				put_unaligned_u64(SRC, p);
			regs[BPF_REG_0] = old;
			NEXT();
		}
		if (IMM & BPF_FETCH)
			SRC = old;
		NEXT();

#define COND(CLS, NAME, OP, UT, ST)					\
	LABEL(CLS##_##NAME##_X)						\
		if ((UT)DST OP (UT)SRC)					\
			JUMP();						\
		NEXT();							\
	LABEL(CLS##_##NAME##_K)						\
		if ((UT)DST OP (UT)(ST)IMM)				\
			JUMP();						\
		NEXT();
#define CONDS(CLS, UT, ST)						\
	COND(CLS, JEQ, ==, UT, ST)					\
	COND(CLS, JNE, !=, UT, ST)					\
	COND(CLS, JGT, >, UT, ST)					\
	COND(CLS, JGE, >=, UT, ST)					\
	COND(CLS, JLT, <, UT, ST)					\
	COND(CLS, JLE, <=, UT, ST)					\
	COND(CLS, JSGT, >, ST, ST)					\
	COND(CLS, JSGE, >=, ST, ST)					\
	COND(CLS, JSLT, <, ST, ST)					\
	COND(CLS, JSLE, <=, ST, ST)					\
	LABEL(CLS##_JSET_X)						\
		if ((UT)DST & (UT)SRC)					\
			JUMP();						\
		NEXT();							\
	LABEL(CLS##_JSET_K)						\
		if ((UT)DST & (UT)(ST)IMM)				\
			JUMP();						\
		NEXT();
	CONDS(JMP64, u64, s64)
	CONDS(JMP32, u32, s32)
#undef CONDS
#undef COND
	LABEL(JMP_JA) JUMP();
	LABEL(JMP32_JA) JUMP_BY(IMM);	/* gotol */

	LABEL(JMP_CALL)
		if (!insn->src_reg) {
			st->ticks = ticks;
			st->pc = insn;
			st->depth = depth;
			st->out_wm = out_wm;
			regs[BPF_REG_0] = uringblk_prog_call_helper(st, IMM,
				regs[BPF_REG_1], regs[BPF_REG_2],
				regs[BPF_REG_3], regs[BPF_REG_4],
				regs[BPF_REG_5]);
			CLOBBER_ARGS();
			if (unlikely(st->err))
				goto aborted;
			ticks = st->ticks;
			out_wm = st->out_wm;
			NEXT();
		}
		/* bpf-to-bpf call (BPF_PSEUDO_CALL), imm pc-relative */
		if (unlikely(depth + 1 >= URINGBLK_PROG_MAX_DEPTH)) {
			st->pc = insn;
			st->ticks = ticks;
			uringblk_prog_abort(st, -ELOOP,
					    URINGBLK_PROG_ABORT_DEPTH);
			goto aborted;
		}
		CHARGE_SEGMENT();
		st->frames[depth].ret = insn + 1;
		memcpy(st->frames[depth].callee_saved, &regs[BPF_REG_6],
		       sizeof(st->frames[depth].callee_saved));
		depth++;
		regs[BPF_REG_10] -= URINGBLK_PROG_STACK_SIZE;
		stk_lo -= URINGBLK_PROG_STACK_SIZE;
		stk_span += URINGBLK_PROG_STACK_SIZE;
		insn += IMM + 1;
		seg = insn;
		DISPATCH();

	LABEL(JMP_EXIT)
		CHARGE_SEGMENT();
		if (depth) {
			depth--;
			memcpy(&regs[BPF_REG_6], st->frames[depth].callee_saved,
			       sizeof(st->frames[depth].callee_saved));
			CLOBBER_ARGS();
			regs[BPF_REG_10] += URINGBLK_PROG_STACK_SIZE;
			stk_lo += URINGBLK_PROG_STACK_SIZE;
			stk_span -= URINGBLK_PROG_STACK_SIZE;
			insn = st->frames[depth].ret;
			seg = insn;
			DISPATCH();
		}
		goto done;

#ifndef URINGBLK_PROG_GOTO
	default:
		goto default_label;
	}
#endif

default_label:
	/* unreachable for validated programs; never trust that blindly */
	st->pc = insn;
	st->ticks = ticks;
	uringblk_prog_abort(st, -EINVAL, URINGBLK_PROG_ABORT_ARG);
	goto aborted;
mem_fault:
	st->pc = insn;
	st->ticks = ticks;
	uringblk_prog_abort(st, -EFAULT, URINGBLK_PROG_ABORT_MEM);
	goto aborted;
done:
	st->ticks = ticks;
	st->out_wm = out_wm;
	res->ret = regs[BPF_REG_0];
	res->err = 0;
	res->abort_code = URINGBLK_PROG_OK;
	res->abort_pc = 0;
	goto out;
aborted:
	/* every path to here left st->ticks current */
	res->ret = 0;
	res->err = st->err;
	res->abort_code = st->abort_code;
	res->abort_pc = st->pc - insns;
	if (out_wm > st->out_wm)
		st->out_wm = out_wm;
out:
	res->rsvd = 0;
	res->insns = env->budget - st->reserve - st->ticks;
	res->bytes_scanned = st->bytes_scanned;
	res->bytes_emitted = st->out_cursor;
	res->out_used = st->out_cursor > st->out_wm ? st->out_cursor :
						      st->out_wm;
#ifdef URINGBLK_PROG_COUNT_INSNS
	st->executed = executed;
#endif
	return res->err;
}
