// SPDX-License-Identifier: GPL-2.0
/*
 * uringblk program validator.
 *
 * Runs once at load and proves everything about a program that does not
 * depend on run-time values, so the interpreter can skip those checks:
 * every opcode is in the table of prog_opcodes.h, register numbers are
 * 0..10 and r10 is never written, jump and call targets are instructions
 * (not the second half of an lddw), the program cannot fall off its end,
 * helper ids exist, immediate divisors and shift counts are sane, every
 * field an opcode does not use is zero (so it can gain a meaning later),
 * and no path reads r1-r5 after a call before writing them (calls clobber
 * them, as in eBPF).  Valid eBPF this VM does not run is refused with a
 * message that names it.  Memory safety is not proved here: the
 * interpreter checks every access against the program's regions.
 *
 * May sleep: the clobber check of a program with calls allocates 3 bytes
 * per instruction.  O(len).
 */
#include "prog_vm.h"
#include "prog_opcodes.h"

#define BPF_REG_FP	10

static const u8 uringblk_prog_kinds[256] = {
#define OP(name, code, kind)	[code] = kind,
	URINGBLK_PROG_OPCODES(OP)
#undef OP
};

#define reject(err, fmt, ...)						\
	({								\
		if (msg_size)						\
			snprintf(msg, msg_size, fmt " at insn %u",	\
				 ##__VA_ARGS__, pc);			\
		err;							\
	})

static bool is_lddw_tail(const struct bpf_insn *insns, s64 t)
{
	/*
	 * An lddw's second slot has code 0, so it can never itself look like
	 * the first slot of another lddw: the test needs no second pass.
	 */
	return t > 0 && insns[t - 1].code == (BPF_LD | BPF_IMM | BPF_DW);
}

/*
 * A code outside the table: name what it is when it is eBPF the VM does
 * not run (-EOPNOTSUPP) or a known encoding with reserved bits (-EINVAL),
 * so the user learns more than its hex value.  NULL: an unknown opcode.
 */
static const char *invalid_opcode(const struct bpf_insn *in, int *err)
{
	u8 code = in->code;

	*err = -EOPNOTSUPP;
	switch (code) {
	case BPF_JMP | BPF_JA | BPF_X:
		return "indirect jumps (gotox) are not supported";
	case BPF_JMP | BPF_CALL | BPF_X:
		return "indirect calls (callx) are not supported";
	case BPF_JMP | BPF_JCOND:
		return "may_goto is not supported";
	case BPF_STX | BPF_ATOMIC | BPF_B:
	case BPF_STX | BPF_ATOMIC | BPF_H:
		if (in->imm == BPF_LOAD_ACQ || in->imm == BPF_STORE_REL)
			return "load-acquire and store-release are not supported";
		*err = -EINVAL;
		return "atomic ops exist only for sizes w and dw";
	}
	if (BPF_CLASS(code) == BPF_LD &&
	    (BPF_MODE(code) == BPF_ABS || BPF_MODE(code) == BPF_IND))
		return "legacy packet loads (ld_abs, ld_ind) are not supported";

	*err = -EINVAL;
	switch (code) {
	case BPF_LDX | BPF_MEMSX | BPF_DW:
		return "sign-extending loads exist only for sizes b, h and w";
	case BPF_ALU64 | BPF_END | BPF_TO_BE:
		return "bswap (ALU64 end) must have the source bit clear";
	case BPF_ALU | BPF_NEG | BPF_X:
	case BPF_ALU64 | BPF_NEG | BPF_X:
		return "neg has no register source";
	case BPF_JMP32 | BPF_CALL:
	case BPF_JMP32 | BPF_EXIT:
		return "call and exit exist only in class JMP";
	}
	return NULL;
}

static bool atomic_op_ok(s32 imm)
{
	switch (imm) {
	case BPF_ADD:
	case BPF_AND:
	case BPF_OR:
	case BPF_XOR:
	case BPF_ADD | BPF_FETCH:
	case BPF_AND | BPF_FETCH:
	case BPF_OR | BPF_FETCH:
	case BPF_XOR | BPF_FETCH:
	case BPF_XCHG:
	case BPF_CMPXCHG:
		return true;
	}
	return false;
}

/*
 * Calls clobber r1-r5 (helpers take their arguments there; a bpf-to-bpf
 * callee may change them).  The interpreter does not clear them, so a
 * program that read one after a call would see an old value and come to
 * rely on it.  The kernel's verifier refuses such reads, and so do we,
 * with a forward "may be clobbered" dataflow over the control-flow graph:
 * state[pc] holds (bits 1..5) the argument registers that some path to pc
 * leaves clobbered.  Bits only get set, each at most once per insn, so
 * the worklist sees every insn at most 6 times.  Program entry has none
 * clobbered (registers start at 0); a callee starts with its caller's
 * state, since its arguments are the caller's r1-r5.
 *
 * Path-insensitive, unlike the kernel's: it would refuse a read that only
 * an impossible path reaches after a call.  Compilers never emit one,
 * because no value stays in r1-r5 across a call on any path.
 */
#define CLOBBER_ARGS	0x3e	/* r1..r5 */
#define FLOW_SEEN	0x40
#define FLOW_QUEUED	0x80

/* Argument registers each helper reads (the signatures in the uAPI). */
static const u8 helper_nargs[URINGBLK_HELPER_MAX + 1] = {
	[URINGBLK_HELPER_READ]		= 3,
	[URINGBLK_HELPER_EMIT]		= 2,
	[URINGBLK_HELPER_COUNT_PATTERN]	= 4,
	[URINGBLK_HELPER_SUM_U32]	= 2,
	[URINGBLK_HELPER_HISTOGRAM]	= 3,
	[URINGBLK_HELPER_FIND]		= 4,
	[URINGBLK_HELPER_REC_FIELDS]	= 4,
	[URINGBLK_HELPER_PARSE_NUM]	= 3,
	[URINGBLK_HELPER_REC_PARSE]	= 4,
	[URINGBLK_HELPER_DOT_I8]	= 5,
	[URINGBLK_HELPER_L2SQ_I8]	= 5,
};

/* Registers (bit n = rn) a validated instruction reads. */
static u32 insn_reads(const struct bpf_insn *in, u8 kind)
{
	u32 dst = 1U << in->dst_reg, src = 1U << in->src_reg;

	switch (kind) {
	case PK_ALU_K:
	case PK_DIV_K:
	case PK_SH32_K:
	case PK_SH64_K:
		return BPF_OP(in->code) == BPF_MOV ? 0 : dst;
	case PK_ALU_X:
	case PK_DIV_X:
	case PK_STX:
	case PK_JMP_X:
		return dst | src;
	case PK_MOV32_X:
	case PK_MOV64_X:
	case PK_LDX:
		return src;
	case PK_NEG:
	case PK_END:
	case PK_ST:
	case PK_JMP_K:
		return dst;
	case PK_ATOMIC:
		return dst | src | (in->imm == BPF_CMPXCHG ? 1U : 0);
	case PK_CALL:
		/* a callee's reads are checked in its own body */
		return in->src_reg ? 0 : ((1U << helper_nargs[in->imm]) - 1) << 1;
	}
	return 0;	/* lddw, ja, gotol, exit */
}

/* Registers a validated instruction writes (calls: r0 only, see above). */
static u32 insn_writes(const struct bpf_insn *in, u8 kind)
{
	switch (kind) {
	case PK_ATOMIC:
		if (in->imm == BPF_CMPXCHG)
			return 1U;
		return in->imm & BPF_FETCH ? 1U << in->src_reg : 0;
	case PK_ST:
	case PK_STX:
	case PK_JA:
	case PK_JA32:
	case PK_JMP_K:
	case PK_JMP_X:
	case PK_EXIT:
		return 0;
	case PK_CALL:
		return 1U;
	}
	return 1U << in->dst_reg;
}

/* Joins @clobbered into insn @t's state; queues @t if the state grew. */
static void flow_join(u8 *state, u16 *stack, u32 *sp, u32 t, u8 clobbered)
{
	u8 old = state[t];

	if ((old & FLOW_SEEN) && !(clobbered & ~old))
		return;
	state[t] = old | clobbered | FLOW_SEEN | FLOW_QUEUED;
	if (!(old & FLOW_QUEUED))
		stack[(*sp)++] = t;
}

/* The clobber check above, on a program that passed all other checks. */
static int check_clobbers(const struct bpf_insn *insns, u32 len,
			  char *msg, size_t msg_size)
{
	u16 *stack;
	u8 *state;
	u32 sp = 0, pc = 0;
	int err = 0;

	BUILD_BUG_ON(U16_MAX + 1 < URINGBLK_PROG_MAX_INSNS);
	BUILD_BUG_ON(URINGBLK_HELPER_MAX != 11);	/* add to helper_nargs */
	stack = kvcalloc(len, sizeof(*stack) + sizeof(*state), GFP_KERNEL);
	if (!stack)
		return reject(-ENOMEM, "out of memory for the clobber check");
	state = (u8 *)(stack + len);

	flow_join(state, stack, &sp, 0, 0);
	while (sp) {
		const struct bpf_insn *in;
		u32 bad, c;
		u8 kind;

		pc = stack[--sp];
		in = &insns[pc];
		kind = uringblk_prog_kinds[in->code];
		state[pc] &= ~FLOW_QUEUED;
		c = state[pc] & CLOBBER_ARGS;
		bad = insn_reads(in, kind) & c;
		if (bad) {
			u32 r = 1;

			while (!(bad & (1U << r)))
				r++;
			err = reject(-EINVAL, "r%u is read after a call clobbered it",
				     r);
			break;
		}
		c &= ~insn_writes(in, kind);
		/* the last insn is exit or a jump: pc + 1 is always in range */
		switch (kind) {
		case PK_EXIT:
			continue;
		case PK_JA:
			flow_join(state, stack, &sp, pc + in->off + 1, c);
			continue;
		case PK_JA32:
			flow_join(state, stack, &sp, pc + in->imm + 1, c);
			continue;
		case PK_JMP_K:
		case PK_JMP_X:
			flow_join(state, stack, &sp, pc + in->off + 1, c);
			break;
		case PK_CALL:
			if (in->src_reg)
				flow_join(state, stack, &sp, pc + in->imm + 1, c);
			c = CLOBBER_ARGS;
			break;
		case PK_LDDW:
			flow_join(state, stack, &sp, pc + 2, c);
			continue;
		}
		flow_join(state, stack, &sp, pc + 1, c);
	}
	kvfree(stack);
	return err;
}

/**
 * uringblk_prog_verify() - check a program before it may run
 * @insns:	the instructions
 * @len:	number of 8-byte instruction slots
 * @msg:	buffer for a reason "<what> at insn <index>" (may be NULL when
 *		@msg_size is 0); left untouched on success
 * @msg_size:	its size
 *
 * May sleep (allocates, GFP_KERNEL, when the program has calls).
 *
 * Return: 0 if the program may be passed to uringblk_prog_run();
 * -E2BIG if it is longer than URINGBLK_PROG_MAX_INSNS; -EOPNOTSUPP for
 * valid eBPF this VM does not support (map references, kfunc calls,
 * legacy packet loads, ...); -ENOMEM; -EINVAL for anything malformed.
 */
int uringblk_prog_verify(const struct bpf_insn *insns, u32 len,
			 char *msg, size_t msg_size)
{
	bool has_call = false;
	u32 pc = 0;

	if (!len)
		return reject(-EINVAL, "program is empty");
	if (len > URINGBLK_PROG_MAX_INSNS) {
		pc = URINGBLK_PROG_MAX_INSNS;
		return reject(-E2BIG, "program longer than %u insns",
			      URINGBLK_PROG_MAX_INSNS);
	}

	for (pc = 0; pc < len; pc++) {
		const struct bpf_insn *in = &insns[pc];
		u8 kind = uringblk_prog_kinds[in->code];
		bool src_is_reg = false, writes_dst = false;
		bool uses_off = false, uses_imm = false;
		s64 target;
		int err;

		switch (kind) {
		case PK_INVALID: {
			const char *what = invalid_opcode(in, &err);

			if (what)
				return reject(err, "%s", what);
			return reject(-EINVAL, "unknown opcode 0x%02x",
				      in->code);
		}
		case PK_MOV32_X:
		case PK_MOV64_X:
			if (kind == PK_MOV64_X && in->off == BPF_ADDR_SPACE_CAST)
				return reject(-EOPNOTSUPP,
					      "address space casts (arena) are not supported");
			if (kind == PK_MOV64_X && in->off && in->off != 8 &&
			    in->off != 16 && in->off != 32)
				return reject(-EINVAL,
					      "invalid movsx width %d (8, 16 or 32)",
					      in->off);
			if (kind == PK_MOV32_X && in->off && in->off != 8 &&
			    in->off != 16)
				return reject(-EINVAL,
					      "invalid movsx32 width %d (8 or 16)",
					      in->off);
			uses_off = true;
			src_is_reg = true;
			writes_dst = true;
			break;
		case PK_DIV_X:
			if (in->off && in->off != 1)
				return reject(-EINVAL,
					      "invalid off %d for div/mod (0 unsigned, 1 signed)",
					      in->off);
			uses_off = true;
			fallthrough;
		case PK_ALU_X:
			src_is_reg = true;
			writes_dst = true;
			break;
		case PK_DIV_K:
			if (in->off && in->off != 1)
				return reject(-EINVAL,
					      "invalid off %d for div/mod (0 unsigned, 1 signed)",
					      in->off);
			if (!in->imm)
				return reject(-EINVAL, "division by zero");
			uses_off = true;
			fallthrough;
		case PK_ALU_K:
			if (BPF_OP(in->code) == BPF_MOV &&
			    (in->off == 8 || in->off == 16 || in->off == 32))
				return reject(-EINVAL,
					      "movsx has no immediate form");
			writes_dst = true;
			uses_imm = true;
			break;
		case PK_SH32_K:
		case PK_SH64_K:
			if (in->imm < 0 ||
			    in->imm >= (kind == PK_SH32_K ? 32 : 64))
				return reject(-EINVAL,
					      "shift by %d out of range",
					      in->imm);
			writes_dst = true;
			uses_imm = true;
			break;
		case PK_NEG:
			writes_dst = true;
			break;
		case PK_END:
			if (in->imm != 16 && in->imm != 32 && in->imm != 64)
				return reject(-EINVAL,
					      "invalid byte swap width %d",
					      in->imm);
			writes_dst = true;
			uses_imm = true;
			break;
		case PK_LDX:
			src_is_reg = true;
			writes_dst = true;
			uses_off = true;
			break;
		case PK_ST:
			uses_off = true;
			uses_imm = true;
			break;
		case PK_STX:
			src_is_reg = true;
			uses_off = true;
			break;
		case PK_ATOMIC:
			if (in->imm == BPF_LOAD_ACQ || in->imm == BPF_STORE_REL)
				return reject(-EOPNOTSUPP,
					      "load-acquire and store-release are not supported");
			if (!atomic_op_ok(in->imm))
				return reject(-EINVAL,
					      "unknown atomic op 0x%x",
					      in->imm);
			if ((in->imm & BPF_FETCH) && in->src_reg == BPF_REG_FP &&
			    in->imm != BPF_CMPXCHG)
				return reject(-EINVAL, "r10 is read-only");
			src_is_reg = true;
			uses_off = true;
			uses_imm = true;
			break;
		case PK_LDDW:
			if (in->src_reg == BPF_PSEUDO_BTF_ID)
				return reject(-EOPNOTSUPP,
					      "kernel variable references are not supported");
			if (in->src_reg == BPF_PSEUDO_FUNC)
				return reject(-EOPNOTSUPP,
					      "function references (callbacks) are not supported");
			if (in->src_reg && in->src_reg <= BPF_PSEUDO_MAP_IDX_VALUE)
				return reject(-EOPNOTSUPP,
					      "map references are not supported");
			if (in->src_reg)
				return reject(-EINVAL, "bad lddw src %u",
					      in->src_reg);
			if (pc + 1 >= len)
				return reject(-EINVAL, "lddw truncated");
			if (in[1].code || in[1].dst_reg || in[1].src_reg ||
			    in[1].off) {
				pc++;
				return reject(-EINVAL, "bad lddw second slot");
			}
			writes_dst = true;
			uses_imm = true;
			break;
		case PK_JA:
		case PK_JMP_K:
		case PK_JMP_X:
			src_is_reg = kind == PK_JMP_X;
			uses_imm = kind == PK_JMP_K;
			uses_off = true;
			if (kind == PK_JA && in->dst_reg)
				return reject(-EINVAL, "dst must be 0");
			target = (s64)pc + in->off + 1;
			if (target < 0 || target >= len)
				return reject(-EINVAL, "jump out of range");
			if (is_lddw_tail(insns, target))
				return reject(-EINVAL,
					      "jump into the middle of lddw");
			break;
		case PK_JA32:
			/* gotol: the 16-bit off cannot reach, imm can */
			if (in->dst_reg)
				return reject(-EINVAL, "dst must be 0");
			if (in->off)
				return reject(-EINVAL,
					      "gotol has its target in imm: off must be 0");
			target = (s64)pc + in->imm + 1;
			if (target < 0 || target >= len)
				return reject(-EINVAL, "jump out of range");
			if (is_lddw_tail(insns, target))
				return reject(-EINVAL,
					      "jump into the middle of lddw");
			uses_imm = true;
			break;
		case PK_CALL:
			has_call = true;
			if (in->dst_reg)
				return reject(-EINVAL, "dst must be 0");
			if (in->off)
				return reject(-EINVAL, "off must be 0");
			if (in->src_reg == BPF_PSEUDO_CALL) {
				target = (s64)pc + in->imm + 1;
				if (target < 0 || target >= len)
					return reject(-EINVAL,
						      "call target out of range");
				if (is_lddw_tail(insns, target))
					return reject(-EINVAL,
						      "call into the middle of lddw");
			} else if (in->src_reg == BPF_PSEUDO_KFUNC_CALL) {
				return reject(-EOPNOTSUPP,
					      "kfunc calls are not supported");
			} else if (in->src_reg) {
				return reject(-EINVAL, "bad call src %u",
					      in->src_reg);
			} else if (in->imm < 1 ||
				   in->imm > URINGBLK_HELPER_MAX ||
				   !helper_nargs[in->imm]) {
				/* every helper takes arguments: 0 = a gap */
				return reject(-EINVAL, "unknown helper %d",
					      in->imm);
			}
			continue;
		case PK_EXIT:
			break;
		}

		if (in->dst_reg > BPF_REG_FP)
			return reject(-EINVAL, "invalid dst register r%u",
				      in->dst_reg);
		if (src_is_reg && in->src_reg > BPF_REG_FP)
			return reject(-EINVAL, "invalid src register r%u",
				      in->src_reg);
		if (!src_is_reg && in->src_reg)
			return reject(-EINVAL, "src must be 0");
		if (!uses_off && in->off)
			return reject(-EINVAL, "off must be 0");
		if (!uses_imm && in->imm)
			return reject(-EINVAL, "imm must be 0");
		if (kind == PK_EXIT && in->dst_reg)
			return reject(-EINVAL, "dst must be 0");
		if (writes_dst && in->dst_reg == BPF_REG_FP)
			return reject(-EINVAL, "r10 is read-only");
		if (kind == PK_LDDW)
			pc++;	/* second slot checked above */
	}

	/*
	 * Every path must end in exit: the last slot is the only one whose
	 * fall-through (or not-taken branch, or helper return) would leave
	 * the program.  A jump back is fine: the budget bounds it.
	 */
	pc = len - 1;
	if (is_lddw_tail(insns, pc) ||
	    (insns[pc].code != (BPF_JMP | BPF_EXIT) &&
	     insns[pc].code != (BPF_JMP | BPF_JA) &&
	     insns[pc].code != (BPF_JMP32 | BPF_JA)))
		return reject(-EINVAL, "last insn is not exit or ja");
	return has_call ? check_clobbers(insns, len, msg, msg_size) : 0;
}
