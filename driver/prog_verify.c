// SPDX-License-Identifier: GPL-2.0
/*
 * uringblk program validator.
 *
 * Runs once at load and proves everything about a program that does not
 * depend on run-time values, so the interpreter can skip those checks:
 * every opcode is in the table of prog_opcodes.h, register numbers are
 * 0..10 and r10 is never written, jump and call targets are instructions
 * (not the second half of an lddw), the program cannot fall off its end,
 * helper ids exist, immediate divisors and shift counts are sane and
 * every field an opcode does not use is zero (so it can gain a meaning
 * later).  Memory safety is not proved here: the interpreter checks every
 * access against the program's regions.
 *
 * Does not sleep, allocates nothing; O(len).
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

/**
 * uringblk_prog_verify() - check a program before it may run
 * @insns:	the instructions
 * @len:	number of 8-byte instruction slots
 * @msg:	buffer for a reason "<what> at insn <index>" (may be NULL when
 *		@msg_size is 0); left untouched on success
 * @msg_size:	its size
 *
 * Does not sleep.
 *
 * Return: 0 if the program may be passed to uringblk_prog_run();
 * -E2BIG if it is longer than URINGBLK_PROG_MAX_INSNS; -EOPNOTSUPP for
 * valid eBPF this VM does not support (map references, kfunc calls);
 * -EINVAL for anything malformed.
 */
int uringblk_prog_verify(const struct bpf_insn *insns, u32 len,
			 char *msg, size_t msg_size)
{
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

		switch (kind) {
		case PK_INVALID:
			return reject(-EINVAL, "unknown opcode 0x%02x",
				      in->code);
		case PK_ALU_X:
			src_is_reg = true;
			writes_dst = true;
			break;
		case PK_DIV_K:
			if (!in->imm)
				return reject(-EINVAL, "division by zero");
			fallthrough;
		case PK_ALU_K:
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
			if (in->src_reg)
				return reject(-EOPNOTSUPP,
					      "map references are not supported");
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
		case PK_CALL:
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
				   in->imm > URINGBLK_HELPER_MAX) {
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
	     insns[pc].code != (BPF_JMP | BPF_JA)))
		return reject(-EINVAL, "last insn is not exit or ja");
	return 0;
}
