// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the program VM: validator + interpreter.
 *
 * Input: byte 0 picks the mode and the run's shape, the rest are 8-byte
 * instruction slots.
 *   raw mode (byte 0 bit 7 set): the slots go to the validator as they
 *     are; valid programs run.  Exercises the validator on anything.
 *   structured mode: each slot is mapped onto an opcode of the VM's table
 *     with fields bent into their legal ranges (registers 0..10, jump
 *     offsets inside the program, known helper ids, ...) and an exit is
 *     appended, so most inputs pass the validator and reach the
 *     interpreter with wild pointers, loops, calls and helper calls.
 *     Reads of r1-r5 after a call, which the validator refuses, are
 *     moved to r6-r9 first (unclobber()).
 *
 * Every accepted program runs twice, through the computed-goto and the
 * switch interpreter, with a small budget against a 4 KiB data buffer
 * delivered in windows of 1..256 bytes; the two runs must agree exactly
 * (result, errno, abort pc, budget charged, bytes scanned, output), maps
 * and unmaps must balance, and a validated program must never reach the
 * interpreter's "unknown opcode" path.  ASan/UBSan catch the rest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../driver/prog_opcodes.h"
#include "../unit/memenv.h"

#define DECL_RUN(name)							\
	int name(struct uringblk_prog_state *st,			\
		 const struct bpf_insn *insns, u32 len,			\
		 const struct uringblk_prog_env *env,			\
		 struct uringblk_prog_result *res)
DECL_RUN(uringblk_prog_run_goto);
DECL_RUN(uringblk_prog_run_switch);
typedef DECL_RUN((*run_fn));

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

#define MAX_SLOTS	512

static u8 data[4096];
static struct uringblk_prog_state st_a, st_b;
static u8 out_a[1024], out_b[1024];

/* Bend one slot into the legal shape of a VM opcode. */
static void shape(struct bpf_insn *in, const u8 *b, u32 pc, u32 len)
{
	u32 k = b[0] % sizeof(codes);
	s16 off;
	s32 imm;

	memcpy(&off, b + 2, 2);
	memcpy(&imm, b + 4, 4);
	memset(in, 0, sizeof(*in));
	in->code = codes[k];
	in->dst_reg = (b[1] & 15) % 11;
	in->src_reg = (b[1] >> 4) % 11;
	switch (kinds[k]) {
	case PK_ALU_K:
		in->src_reg = 0;
		in->imm = imm;
		break;
	case PK_ALU_X:
		break;
	case PK_DIV_K:
		in->src_reg = 0;
		in->imm = imm ? imm : 1;
		in->off = off & 1;	/* div/mod or sdiv/smod */
		break;
	case PK_DIV_X:
		in->off = off & 1;
		break;
	case PK_MOV32_X:
		in->off = (s16[]){ 0, 8, 16 }[(u16)off % 3];	/* mov, movsx */
		break;
	case PK_MOV64_X:
		in->off = (s16[]){ 0, 8, 16, 32 }[(u16)off % 4];
		break;
	case PK_SH32_K:
	case PK_SH64_K:
		in->src_reg = 0;
		in->imm = (u32)imm % (kinds[k] == PK_SH32_K ? 32 : 64);
		break;
	case PK_NEG:
		in->src_reg = 0;
		break;
	case PK_END:
		in->src_reg = 0;
		in->imm = 16 << ((u32)imm % 3);
		break;
	case PK_LDX:
	case PK_STX:
		in->off = off;
		break;
	case PK_ST:
		in->src_reg = 0;
		in->off = off;
		in->imm = imm;
		break;
	case PK_ATOMIC:
		in->off = off;
		in->imm = atomic_imms[(u32)imm % 10];
		break;
	case PK_LDDW:
		/* a full lddw needs two slots: degrade to mov when none left */
		in->code = BPF_ALU64 | BPF_MOV | BPF_K;
		in->src_reg = 0;
		in->imm = imm;
		break;
	case PK_JA:
	case PK_JMP_K:
	case PK_JMP_X:
		if (kinds[k] == PK_JA)
			in->dst_reg = 0;
		if (kinds[k] != PK_JMP_X)
			in->src_reg = 0;
		if (kinds[k] == PK_JMP_K)
			in->imm = imm;
		/* any target in [0, len]: len is the appended exit */
		in->off = (s16)((s32)((u16)off % (len + 1)) - (s32)pc - 1);
		break;
	case PK_JA32:
		in->dst_reg = 0;
		in->src_reg = 0;
		in->imm = (s32)((u16)off % (len + 1)) - (s32)pc - 1;
		break;
	case PK_CALL:
		in->dst_reg = 0;
		if (b[1] & 1) {
			in->src_reg = BPF_PSEUDO_CALL;
			in->imm = (s32)((u32)imm % (len + 1)) - (s32)pc - 1;
		} else {
			in->src_reg = 0;
			in->imm = 1 + (u32)imm % URINGBLK_HELPER_MAX;
		}
		break;
	case PK_EXIT:
		in->dst_reg = 0;
		in->src_reg = 0;
		break;
	}
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

static void run(run_fn fn, struct uringblk_prog_state *st, u8 *out,
		const struct bpf_insn *insns, u32 len, u8 cfg,
		struct uringblk_prog_result *r)
{
	static const u32 out_lens[] = { 0, 7, 256, 1024 };
	struct uringblk_prog_env env;
	struct memenv m;

	memenv_init(&m, &env, data, sizeof(data), out, out_lens[cfg & 3],
		    20000);
	m.chunk = 1 + ((cfg >> 2) & 15) * 17;
	env.resched_every = 1000;
	env.ctx.args[0] = 0x6968676665646362ULL;
	env.ctx.args[1] = 5;
	fn(st, insns, len, &env, r);
	if (m.maps != m.unmaps)
		abort();
}

int LLVMFuzzerTestOneInput(const u8 *buf, size_t size)
{
	static struct bpf_insn insns[MAX_SLOTS + 1];
	struct uringblk_prog_result ra, rb;
	char msg[128];
	u32 len, i;
	u8 cfg;

	if (size < 1)
		return 0;
	if (!data[1])
		for (i = 0; i < sizeof(data); i++)
			data[i] = "abcdefghi\n"[(i * 7 + i / 13) % 10];
	cfg = buf[0];
	buf++;
	size--;
	len = size / 8;
	if (len > MAX_SLOTS)
		len = MAX_SLOTS;
	if (cfg & 0x80) {
		memcpy(insns, buf, len * sizeof(insns[0]));
	} else {
		for (i = 0; i < len; i++)
			shape(&insns[i], buf + 8 * i, i, len);
		insns[len].code = BPF_JMP | BPF_EXIT;
		insns[len].dst_reg = insns[len].src_reg = 0;
		insns[len].off = 0;
		insns[len].imm = 0;
		len++;
	}
	if ((cfg & 0x80) ? uringblk_prog_verify(insns, len, msg, sizeof(msg)) :
			   unclobber(insns, len, msg, sizeof(msg))) {
		if (!strstr(msg, " at insn "))
			abort();	/* every rejection names its insn */
		return 0;
	}

	run(uringblk_prog_run_goto, &st_a, out_a, insns, len, cfg, &ra);
	run(uringblk_prog_run_switch, &st_b, out_b, insns, len, cfg, &rb);
	if (ra.ret != rb.ret || ra.err != rb.err ||
	    ra.abort_code != rb.abort_code || ra.abort_pc != rb.abort_pc ||
	    ra.insns != rb.insns || ra.bytes_scanned != rb.bytes_scanned ||
	    ra.out_used != rb.out_used || memcmp(out_a, out_b, ra.out_used)) {
		fprintf(stderr, "goto/switch disagree: ret %llx/%llx err %d/%d pc %u/%u\n",
			(unsigned long long)ra.ret, (unsigned long long)rb.ret,
			ra.err, rb.err, ra.abort_pc, rb.abort_pc);
		abort();
	}
	/* a validated program never reaches the unknown-opcode path */
	if (ra.abort_code == URINGBLK_PROG_ABORT_ARG &&
	    insns[ra.abort_pc].code != (BPF_JMP | BPF_CALL))
		abort();
	if (ra.out_used > sizeof(out_a) || ra.abort_pc >= len)
		abort();
	return 0;
}
