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
 * checked is what depends on values: every memory access against the
 * regions of the program address space (include/uapi/linux/uringblk_prog.h),
 * the call depth and the budget.  The stack check comes first and is two
 * instructions, because clang-generated code mostly touches the stack.
 *
 * A run may yield and be resumed (prog_vm.h, "Yield").  The loop keeps its
 * state in locals, and only the slow paths know about yields: a
 * refill that returns false (budget, stop or yield) and a helper that set
 * st->err already leave the loop, and there the locals are saved to st
 * when st->err is URINGBLK_PROG_YIELDED.  interp() starts from st either
 * way, so a resumed run is the same loop entered at another instruction,
 * and an instruction costs no more than without yields.
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

/*
 * The byte-swap instructions (end: to_le, to_be; width 16, 32 or 64,
 * validated), the narrow forms zero the bits above.  A register holds a
 * plain number, not a __le or __be one: the instruction's result is the
 * converted bytes read back as a number, so the cast from the restricted
 * type is wanted (__force) and is a no-op in the generated code.
 */
static inline u64 insn_end_le(u64 v, s32 bits)
{
	switch (bits) {
	case 16:
		return (__force u16)cpu_to_le16((u16)v);
	case 32:
		return (__force u32)cpu_to_le32((u32)v);
	default:
		return (__force u64)cpu_to_le64(v);
	}
}

static inline u64 insn_end_be(u64 v, s32 bits)
{
	switch (bits) {
	case 16:
		return (__force u16)cpu_to_be16((u16)v);
	case 32:
		return (__force u32)cpu_to_be32((u32)v);
	default:
		return (__force u64)cpu_to_be64(v);
	}
}

/* v4 bswap: unconditional; the narrow forms zero the bits above */
static inline u64 insn_bswap(u64 v, s32 bits)
{
	switch (bits) {
	case 16:
		return swab16((u16)v);
	case 32:
		return swab32((u32)v);
	default:
		return swab64(v);
	}
}

/*
 * The globals region (prog_vm.h): .rodata for loads, the writable rest
 * for both; NULL if neither holds the whole access.  Out of line, after
 * the interpreter's inline checks of the stack, writable globals,
 * output, ctx and mem.
 */
static noinline u8 *globals_ptr(struct uringblk_prog_state *st, u64 addr,
				u64 size, bool write)
{
	u64 off = addr - URINGBLK_PROG_GLOBAL_ADDR;

	if (!write && off < st->ro_len && st->ro_len - off >= size)
		return (u8 *)st->rodata + off;
	off -= st->ro_len;
	if (off < st->rw_len && st->rw_len - off >= size)
		return st->globals_rw + off;
	return NULL;
}

/*
 * The interpreter proper: runs st's program from st->pc, with the
 * registers, frame depth, segment start, output high mark and ticks saved
 * in st (by uringblk_prog_run() for a new run, by a yield for a resumed
 * one), until it exits, aborts or yields.
 */
static int interp(struct uringblk_prog_state *st,
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
	const struct bpf_insn *insn = st->pc, *seg = st->seg, *tgt;
	u32 depth = st->depth;
	/* accessible stack: [stk_lo, stk_lo + stk_span), frames 0..depth */
	u64 stk_span = (u64)(depth + 1) * URINGBLK_PROG_STACK_SIZE;
	u64 stk_lo = URINGBLK_PROG_STACK_TOP - stk_span;
	uintptr_t stk_bias = (uintptr_t)st->stack - URINGBLK_PROG_STACK_BASE;
	uintptr_t out_bias = (uintptr_t)st->out - URINGBLK_PROG_OUT_ADDR;
	u64 out_len = st->out_len, out_wm = st->out_wm;
	/* the writable globals (.data, .bss): query programs keep rows there */
	u64 rw_addr = URINGBLK_PROG_GLOBAL_ADDR + st->ro_len;
	u64 rw_len = st->rw_len;
	uintptr_t rw_bias = (uintptr_t)st->globals_rw - rw_addr;
	s64 ticks = st->ticks;
	u64 old, addr;
	u8 *p;
#ifdef URINGBLK_PROG_COUNT_INSNS
	u64 executed = st->executed;
#define COUNT()	(executed++)
#else
#define COUNT()	do { } while (0)
#endif

	memcpy(regs, st->regs, sizeof(regs));
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
	 * stack test cannot underflow; the other regions may be smaller than
	 * size, hence their two-step tests.  Inline, in order of use: stack
	 * (clang's code mostly touches it), the writable globals (a query
	 * program's row values and counters: before, they were reached only
	 * after four failed checks and a call), output, ctx (loads: programs
	 * reread ctx fields in loops), mem (EXECUTE's data); .rodata last,
	 * out of line (globals_ptr(), which also answers for the writable
	 * globals, so a region missed inline is still found).  The regions
	 * are disjoint, so the order changes no answer.
	 */
#define IN_REGION(off, len, size)	((off) < (len) && (len) - (off) >= (size))
#define LOAD_PTR(a, size)						\
	({								\
		addr = (a);						\
		if (likely(addr - stk_lo <= stk_span - (size)))		\
			p = (u8 *)(addr + stk_bias);			\
		else if (IN_REGION(addr - rw_addr, rw_len, size))	\
			p = (u8 *)(addr + rw_bias);			\
		else if (IN_REGION(addr - URINGBLK_PROG_OUT_ADDR, out_len, size)) \
			p = (u8 *)(addr + out_bias);			\
		else if (addr - URINGBLK_PROG_CTX_ADDR <=		\
			 sizeof(st->ctx) - (size))			\
			p = (u8 *)&st->ctx +				\
			    (addr - URINGBLK_PROG_CTX_ADDR);		\
		else if (IN_REGION(addr - URINGBLK_PROG_MEM_ADDR,	\
				   st->mem_len, size))			\
			p = st->mem + (addr - URINGBLK_PROG_MEM_ADDR);	\
		else {							\
			p = globals_ptr(st, addr, size, false);		\
			if (!p)						\
				goto mem_fault;				\
		}							\
		p;							\
	})
#define STORE_PTR(a, size)						\
	({								\
		addr = (a);						\
		if (likely(addr - stk_lo <= stk_span - (size))) {	\
			p = (u8 *)(addr + stk_bias);			\
		} else if (IN_REGION(addr - rw_addr, rw_len, size)) {	\
			p = (u8 *)(addr + rw_bias);			\
		} else if (IN_REGION(addr - URINGBLK_PROG_OUT_ADDR, out_len, size)) { \
			p = (u8 *)(addr + out_bias);			\
			addr += (size) - URINGBLK_PROG_OUT_ADDR;	\
			if (addr > out_wm)				\
				out_wm = addr;				\
		} else if (IN_REGION(addr - URINGBLK_PROG_MEM_ADDR,	\
				     st->mem_len, size)) {		\
			p = st->mem + (addr - URINGBLK_PROG_MEM_ADDR);	\
		} else {						\
			p = globals_ptr(st, addr, size, true);		\
			if (!p)						\
				goto mem_fault;				\
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
		DST = insn_end_le(DST, IMM);
		NEXT();
	LABEL(ALU32_END_BE)
		DST = insn_end_be(DST, IMM);
		NEXT();
	LABEL(ALU64_BSWAP)
		DST = insn_bswap(DST, IMM);
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
			if (unlikely(st->err))
				goto call_stopped;
			CLOBBER_ARGS();
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
	goto out;
call_stopped:
	if (st->err != URINGBLK_PROG_YIELDED)
		goto aborted;
	/*
	 * The helper put the run back as the call found it, but for ticks
	 * and out_wm, which are ours: resume makes the call again (r1-r5
	 * still hold its arguments, r0 is overwritten by it), in the same
	 * uncharged segment.
	 */
	st->ticks = ticks;
	goto yielded;
aborted:
	/* every path to here left st->ticks current */
	if (st->err == URINGBLK_PROG_YIELDED) {
		/*
		 * At a charge point: [seg, insn] is paid for and the refill
		 * stopped before moving the next slice.  Resume does that
		 * and runs insn again with seg = insn + 1: charged 0.
		 */
		seg = insn + 1;
		st->resume_slice = true;
		goto yielded;
	}
	if (out_wm > st->out_wm)
		st->out_wm = out_wm;
out:
#ifdef URINGBLK_PROG_COUNT_INSNS
	st->executed = executed;
#endif
	uringblk_prog_fill_result(st, regs[BPF_REG_0], res);
	return res->err;
yielded:
	/* st->pc and st->ticks are current */
	memcpy(st->regs, regs, sizeof(regs));
	st->seg = seg;
	st->depth = depth;
	st->out_wm = out_wm;
#ifdef URINGBLK_PROG_COUNT_INSNS
	/* resume dispatches st->pc again: it was counted once already */
	st->executed = executed - 1;
#endif
	return URINGBLK_PROG_YIELDED;
}

/**
 * uringblk_prog_run() - run a validated program
 * @st:		run state (embedder-allocated, need not be initialised)
 * @insns:	program accepted by uringblk_prog_verify(); the validator
 *		proved every path ends in an exit inside it, so its length
 *		is not needed here
 * @env:	the run's inputs
 * @res:	filled with the outcome, also on abort; not on a yield
 *
 * Context: whatever the embedder's ops need (kernel: process context when
 * ops->map or ops->resched may sleep).
 *
 * Return: 0 if the program reached its final exit (result in res->ret),
 * the negative errno of the abort (also in res->err), or
 * URINGBLK_PROG_YIELDED: the run is saved in @st, to be finished with
 * uringblk_prog_resume() or uringblk_prog_stop() (prog_vm.h, "Yield").
 */
int uringblk_prog_run(struct uringblk_prog_state *st,
		      const struct bpf_insn *insns,
		      const struct uringblk_prog_env *env,
		      struct uringblk_prog_result *res)
{
	BUILD_BUG_ON(sizeof(struct uringblk_prog_ctx) != 128);
	uringblk_prog_run_start(st, insns, env);
	st->regs[BPF_REG_1] = URINGBLK_PROG_CTX_ADDR;
	st->regs[BPF_REG_10] = URINGBLK_PROG_STACK_TOP;
	return interp(st, res);
}

/**
 * uringblk_prog_resume() - continue a run that yielded
 * @st:		the run's state, untouched since it yielded
 * @env:	its ops, priv and resched_every are used from now on (e.g. a
 *		worker's, whose map may sleep); the rest is the run's from
 *		its start, whatever this env says (out, out_len, budget, ctx,
 *		map_cost and the globals and mem regions are not read again)
 * @res:	filled with the outcome, unless the run yields again
 *
 * The run goes on as if it had never yielded, to the same result, output
 * and charge (prog_vm.h, "Yield").  @env must stay valid until the run
 * yields again or ends.
 *
 * Context: as uringblk_prog_run().
 *
 * Return: as uringblk_prog_run(); -EINVAL (res filled, @st unchanged) if
 * the last run in @st did not yield.
 */
int uringblk_prog_resume(struct uringblk_prog_state *st,
			 const struct uringblk_prog_env *env,
			 struct uringblk_prog_result *res)
{
	if (st->err != URINGBLK_PROG_YIELDED) {
		/* an embedder bug: say so, and leave st as it is */
		memset(res, 0, sizeof(*res));
		res->err = -EINVAL;
		res->abort_code = URINGBLK_PROG_ABORT_ARG;
		return -EINVAL;
	}
	st->env = env;
	st->err = 0;
	if (st->resume_slice) {
		/* what the refill that yielded would have done next */
		st->resume_slice = false;
		uringblk_prog_next_slice(st);
	}
	return interp(st, res);
}
