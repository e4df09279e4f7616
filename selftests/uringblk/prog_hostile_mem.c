// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile programs (see prog_hostile.h) against memory: stack overflows
 * (also in a callee), deep recursion, stores and helper writes outside
 * the output buffer, stores to the context, wild pointers in loads and in
 * helper arguments.
 */
#include "prog_hostile.h"

/* --- memory --------------------------------------------------------------- */

TEST_F(hostile, stack_overflow)
{
	static const struct {
		struct bpf_insn insn;
		int ok;
	} cases[] = {
		{ BPF_ST_MEM(BPF_DW, R10, -512, 1), 1 },	/* frame bottom */
		{ BPF_ST_MEM(BPF_B, R10, -1, 1), 1 },		/* frame top */
		{ BPF_ST_MEM(BPF_DW, R10, -520, 1), 0 },
		{ BPF_ST_MEM(BPF_B, R10, -513, 1), 0 },
		{ BPF_ST_MEM(BPF_DW, R10, -516, 1), 0 },	/* straddles */
		{ BPF_ST_MEM(BPF_DW, R10, -4, 1), 0 },		/* past the top */
		{ BPF_ST_MEM(BPF_B, R10, 0, 1), 0 },
		{ BPF_STX_MEM(BPF_DW, R10, R1, -4096), 0 },
		{ BPF_LDX_MEM(BPF_DW, R0, R10, -520), 0 },	/* loads too */
		{ BPF_LDX_MEM(BPF_W, R0, R10, 0), 0 },
	};
	struct ubp_exec e = { .lba = 1, .count = 1 };
	struct run h;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct bpf_insn p[] = {
			BPF_MOV64_IMM(R0, 0),
			cases[i].insn,
			BPF_MOV64_IMM(R0, 9),
			BPF_EXIT_INSN(),
		};

		run_prog(_metadata, self, p, UBP_NINSNS(p), e, 0, &h);
		if (cases[i].ok)
			expect_ok(_metadata, &h, 9);
		else
			expect_abort(_metadata, &h, -EFAULT,
				     URINGBLK_PROG_ABORT_MEM, 1);
		if (_metadata->passed == 0)
			TH_LOG("case %zu", i);
	}
}

/*
 * A callee may use its caller's frame (pointers to a caller's stack), but
 * not the free space below its own frame.
 */
TEST_F(hostile, stack_overflow_in_callee)
{
	struct bpf_insn p[] = {
		BPF_LDX_MEM(BPF_DW, R6, R1, UBP_CTX(args[0])),
		BPF_MOV64_IMM(R1, 5),
		BPF_CALL_REL(2),			/* -> 5 */
		BPF_LDX_MEM(BPF_DW, R0, R10, -8),	/* what the callee left */
		BPF_EXIT_INSN(),
		/* callee: *(r10 + args[0]) = r1 */
		BPF_MOV64_REG(R2, R10),
		BPF_ALU64_REG(BPF_ADD, R2, R6),
		BPF_STX_MEM(BPF_DW, R2, R1, 0),		/* pc 7 */
		BPF_EXIT_INSN(),
	};
	struct ubp_exec e = { .lba = 1, .count = 1 };
	int id = load(_metadata, self, p, UBP_NINSNS(p));
	struct run h;

	e.args[0] = 512 - 8;	/* the caller's r10 - 8 */
	exec_id(_metadata, self, id, e, 0, &h);
	expect_ok(_metadata, &h, 5);
	e.args[0] = -512;	/* its own frame's bottom */
	exec_id(_metadata, self, id, e, 0, &h);
	expect_ok(_metadata, &h, 0);
	e.args[0] = -520;
	exec_id(_metadata, self, id, e, 0, &h);
	expect_abort(_metadata, &h, -EFAULT, URINGBLK_PROG_ABORT_MEM, 7);
	e.args[0] = -1024;	/* where a deeper frame would be */
	exec_id(_metadata, self, id, e, 0, &h);
	expect_abort(_metadata, &h, -EFAULT, URINGBLK_PROG_ABORT_MEM, 7);
	e.args[0] = 512;	/* above the entry frame */
	exec_id(_metadata, self, id, e, 0, &h);
	expect_abort(_metadata, &h, -EFAULT, URINGBLK_PROG_ABORT_MEM, 7);
}

TEST_F(hostile, deep_recursion)
{
	/* f(n) = n ? f(n - 1) + 1 : 0, entered with n = args[0] */
	const struct bpf_insn rec[] = {
		BPF_LDX_MEM(BPF_DW, R1, R1, UBP_CTX(args[0])),
		BPF_CALL_REL(1),			/* -> 3 */
		BPF_EXIT_INSN(),
		BPF_JMP_IMM(BPF_JEQ, R1, 0, 4),		/* -> 8 */
		BPF_ALU64_IMM(BPF_ADD, R1, -1),
		BPF_CALL_REL(-3),			/* pc 5 -> 3 */
		BPF_ALU64_IMM(BPF_ADD, R0, 1),
		BPF_EXIT_INSN(),
		BPF_MOV64_IMM(R0, 0),
		BPF_EXIT_INSN(),
	};
	/* a function that calls itself forever */
	const struct bpf_insn forever[] = {
		BPF_CALL_REL(0),			/* -> 1 */
		BPF_CALL_REL(-1),			/* pc 1 -> 1 */
		BPF_EXIT_INSN(),
	};
	struct ubp_exec e = { .lba = 1, .count = 1 };
	int id = load(_metadata, self, rec, UBP_NINSNS(rec));
	struct run h;

	/* f(n) runs in frame n + 1: n = 6 uses all 8 frames */
	ASSERT_EQ(8, URINGBLK_PROG_MAX_DEPTH);
	e.args[0] = 6;
	exec_id(_metadata, self, id, e, 0, &h);
	expect_ok(_metadata, &h, 6);
	e.args[0] = 7;
	exec_id(_metadata, self, id, e, 0, &h);
	expect_abort(_metadata, &h, -ELOOP, URINGBLK_PROG_ABORT_DEPTH, 5);
	e.args[0] = 1000000;
	exec_id(_metadata, self, id, e, 0, &h);
	expect_abort(_metadata, &h, -ELOOP, URINGBLK_PROG_ABORT_DEPTH, 5);

	run_prog(_metadata, self, forever, UBP_NINSNS(forever), e, 0, &h);
	expect_abort(_metadata, &h, -ELOOP, URINGBLK_PROG_ABORT_DEPTH, 1);
}

/*
 * out[0] = 0x5a, then *(u64 *)(out + args[0]) = -1: the marker shows that
 * output stored before an abort is still returned.
 */
TEST_F(hostile, output_out_of_bounds)
{
	const struct bpf_insn p[] = {
		BPF_LDX_MEM(BPF_DW, R2, R1, UBP_CTX(out)),
		BPF_ST_MEM(BPF_B, R2, 0, 0x5a),
		BPF_LDX_MEM(BPF_DW, R3, R1, UBP_CTX(args[0])),
		BPF_ALU64_REG(BPF_ADD, R2, R3),
		BPF_ST_MEM(BPF_DW, R2, 0, -1),		/* pc 4 */
		BPF_MOV64_IMM(R0, 1),
		BPF_EXIT_INSN(),
	};
	static const struct {
		uint64_t off;
		int ok;
	} cases[] = {
		{ 0, 1 }, { 56, 1 },
		{ 57, 0 }, { 60, 0 }, { 64, 0 }, { 4096, 0 }, { -8ULL, 0 },
		{ -1ULL, 0 }, { 1ULL << 32, 0 },
	};
	struct ubp_exec e = { .lba = 1, .count = 1 };
	int id = load(_metadata, self, p, UBP_NINSNS(p));
	struct run h;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		e.args[0] = cases[i].off;
		exec_id(_metadata, self, id, e, 64, &h);
		if (cases[i].ok) {
			expect_ok(_metadata, &h, 1);
			EXPECT_EQ(cases[i].off + 8, h.r.out_len);
		} else {
			expect_abort(_metadata, &h, -EFAULT,
				     URINGBLK_PROG_ABORT_MEM, 4);
			EXPECT_EQ(1, h.r.out_len);
			EXPECT_EQ(0x5a, h.out[0]);
			/* nothing beyond out_len is written */
			EXPECT_EQ(0xa5, h.out[1]);
		}
		if (_metadata->passed == 0)
			TH_LOG("case %zu: off %#llx", i,
			       (unsigned long long)cases[i].off);
	}
	/* no output buffer at all: even the first store faults */
	exec_id(_metadata, self, id, e, 0, &h);
	expect_abort(_metadata, &h, -EFAULT, URINGBLK_PROG_ABORT_MEM, 1);
	EXPECT_EQ(0, h.r.out_len);
}

/* Helpers writing into the output check it like stores do. */
TEST_F(hostile, helper_output_out_of_bounds)
{
	/* histogram(0, data_len, out + args[0]) */
	const struct bpf_insn hist[] = {
		BPF_LDX_MEM(BPF_DW, R3, R1, UBP_CTX(out)),
		BPF_LDX_MEM(BPF_DW, R4, R1, UBP_CTX(args[0])),
		BPF_ALU64_REG(BPF_ADD, R3, R4),
		BPF_LDX_MEM(BPF_DW, R2, R1, UBP_CTX(data_len)),
		BPF_MOV64_IMM(R1, 0),
		BPF_EMIT_CALL(URINGBLK_HELPER_HISTOGRAM),	/* pc 5 */
		BPF_MOV64_IMM(R0, 3),
		BPF_EXIT_INSN(),
	};
	/* read(0, out + args[0], 8) */
	const struct bpf_insn rd[] = {
		BPF_LDX_MEM(BPF_DW, R2, R1, UBP_CTX(out)),
		BPF_LDX_MEM(BPF_DW, R4, R1, UBP_CTX(args[0])),
		BPF_ALU64_REG(BPF_ADD, R2, R4),
		BPF_MOV64_IMM(R1, 0),
		BPF_MOV64_IMM(R3, 8),
		BPF_EMIT_CALL(URINGBLK_HELPER_READ),		/* pc 5 */
		BPF_MOV64_IMM(R0, 4),
		BPF_EXIT_INSN(),
	};
	struct ubp_exec e = { .lba = 1, .count = 1 };
	int hid = load(_metadata, self, hist, UBP_NINSNS(hist));
	int rid = load(_metadata, self, rd, UBP_NINSNS(rd));
	uint64_t bin;
	struct run h;

	exec_id(_metadata, self, hid, e, 2048, &h);
	expect_ok(_metadata, &h, 3);
	EXPECT_EQ(2048, h.r.out_len);
	memcpy(&bin, h.out + 8 * 0x22, 8);
	EXPECT_EQ(512, bin);
	exec_id(_metadata, self, hid, e, 2047, &h);
	expect_abort(_metadata, &h, -EFAULT, URINGBLK_PROG_ABORT_MEM, 5);
	EXPECT_EQ(0, h.r.bytes_scanned);
	e.args[0] = 8;
	exec_id(_metadata, self, hid, e, 2048, &h);
	expect_abort(_metadata, &h, -EFAULT, URINGBLK_PROG_ABORT_MEM, 5);

	e.args[0] = 56;
	exec_id(_metadata, self, rid, e, 64, &h);
	expect_ok(_metadata, &h, 4);
	EXPECT_EQ(64, h.r.out_len);
	e.args[0] = 60;
	exec_id(_metadata, self, rid, e, 64, &h);
	expect_abort(_metadata, &h, -EFAULT, URINGBLK_PROG_ABORT_MEM, 5);
	EXPECT_EQ(0, h.r.out_len);
}

TEST_F(hostile, store_to_ctx)
{
	static const struct bpf_insn stores[] = {
		BPF_ST_MEM(BPF_DW, R1, 0, 7),
		BPF_STX_MEM(BPF_B, R1, R1, UBP_CTX(args[3])),
		BPF_STX_MEM(BPF_W, R1, R1, UBP_CTX(out_len)),
		BPF_ATOMIC_OP(BPF_DW, BPF_ADD, R1, R1, UBP_CTX(data_len)),
		BPF_ATOMIC_OP(BPF_W, BPF_XCHG, R1, R0, 0),
	};
	/* read(0, ctx, 8): a helper may not write the ctx either */
	const struct bpf_insn rd[] = {
		BPF_MOV64_REG(R2, R1),
		BPF_MOV64_IMM(R1, 0),
		BPF_MOV64_IMM(R3, 8),
		BPF_EMIT_CALL(URINGBLK_HELPER_READ),		/* pc 3 */
		BPF_EXIT_INSN(),
	};
	struct ubp_exec e = { .lba = 1, .count = 1 };
	struct run h;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(stores); i++) {
		struct bpf_insn p[] = {
			BPF_MOV64_IMM(R0, 0),
			stores[i],
			BPF_LDX_MEM(BPF_DW, R0, R1, 0),
			BPF_EXIT_INSN(),
		};

		run_prog(_metadata, self, p, UBP_NINSNS(p), e, 0, &h);
		expect_abort(_metadata, &h, -EFAULT, URINGBLK_PROG_ABORT_MEM, 1);
		if (_metadata->passed == 0)
			TH_LOG("store %zu", i);
	}
	run_prog(_metadata, self, rd, UBP_NINSNS(rd), e, 0, &h);
	expect_abort(_metadata, &h, -EFAULT, URINGBLK_PROG_ABORT_MEM, 3);
	EXPECT_EQ(0, h.r.bytes_scanned);
}

/* r0 = *(u64 *)args[0]: no address outside the three regions is readable. */
TEST_F(hostile, wild_pointer_loads)
{
	const struct bpf_insn p[] = {
		BPF_LDX_MEM(BPF_DW, R2, R1, UBP_CTX(args[0])),
		BPF_LDX_MEM(BPF_DW, R0, R2, 0),		/* pc 1 */
		BPF_EXIT_INSN(),
	};
	static uint64_t user_var = 0x1234;
	const uint64_t bad[] = {
		0, 8, 4096,
		0xffffffff81000000ULL,		/* kernel text */
		0xffff888000000000ULL,		/* direct map */
		0xffffc90000000000ULL,		/* vmalloc */
		(uintptr_t)&user_var,		/* this process */
		(uintptr_t)self->reply,
		URINGBLK_PROG_CTX_ADDR - 8,
		URINGBLK_PROG_CTX_ADDR - 1,
		URINGBLK_PROG_CTX_ADDR + 121,	/* straddles the end */
		URINGBLK_PROG_CTX_ADDR + 128,
		URINGBLK_PROG_STACK_TOP - 520,	/* below the frame */
		URINGBLK_PROG_STACK_TOP - 4096,	/* deepest frame, not ours */
		URINGBLK_PROG_STACK_TOP - 4,
		URINGBLK_PROG_STACK_TOP,
		URINGBLK_PROG_OUT_ADDR + 64,	/* out_len is 64 */
		URINGBLK_PROG_OUT_ADDR + 60,
		URINGBLK_PROG_OUT_ADDR - 8,
		UINT64_MAX - 7,
		UINT64_MAX,
	};
	struct ubp_exec e = { .lba = 1, .count = 1 };
	int id = load(_metadata, self, p, UBP_NINSNS(p));
	struct run h;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		e.args[0] = bad[i];
		exec_id(_metadata, self, id, e, 64, &h);
		expect_abort(_metadata, &h, -EFAULT, URINGBLK_PROG_ABORT_MEM, 1);
		if (_metadata->passed == 0)
			TH_LOG("address %#llx", (unsigned long long)bad[i]);
	}
	/* the regions themselves are readable */
	e.args[0] = URINGBLK_PROG_CTX_ADDR + UBP_CTX(lba_start);
	exec_id(_metadata, self, id, e, 64, &h);
	expect_ok(_metadata, &h, 1);
	e.args[0] = URINGBLK_PROG_CTX_ADDR + UBP_CTX(args[0]);
	exec_id(_metadata, self, id, e, 64, &h);
	expect_ok(_metadata, &h, e.args[0]);
	e.args[0] = URINGBLK_PROG_STACK_TOP - 512;
	exec_id(_metadata, self, id, e, 64, &h);
	expect_ok(_metadata, &h, 0);
	e.args[0] = URINGBLK_PROG_OUT_ADDR + 56;
	exec_id(_metadata, self, id, e, 64, &h);
	expect_ok(_metadata, &h, 0);
}

/* A helper's pointer argument is checked like a load. */
TEST_F(hostile, wild_helper_pointer)
{
	/* count_pattern(0, data_len, args[0], 4) */
	const struct bpf_insn p[] = {
		BPF_LDX_MEM(BPF_DW, R3, R1, UBP_CTX(args[0])),
		BPF_LDX_MEM(BPF_DW, R2, R1, UBP_CTX(data_len)),
		BPF_MOV64_IMM(R1, 0),
		BPF_MOV64_IMM(R4, 4),
		BPF_EMIT_CALL(URINGBLK_HELPER_COUNT_PATTERN),	/* pc 4 */
		BPF_EXIT_INSN(),
	};
	const uint64_t bad[] = {
		0, 0xffffffff81000000ULL, URINGBLK_PROG_CTX_ADDR + 125,
		URINGBLK_PROG_STACK_TOP - 2, URINGBLK_PROG_STACK_TOP - 516,
	};
	struct ubp_exec e = { .lba = 1, .count = 1 };
	int id = load(_metadata, self, p, UBP_NINSNS(p));
	struct run h;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		e.args[0] = bad[i];
		exec_id(_metadata, self, id, e, 0, &h);
		expect_abort(_metadata, &h, -EFAULT, URINGBLK_PROG_ABORT_MEM, 4);
		EXPECT_EQ(0, h.r.bytes_scanned);
	}
	/* the stack (zeroed) is fine: "\0\0\0\0" does not occur in 0x22s */
	e.args[0] = URINGBLK_PROG_STACK_TOP - 4;
	exec_id(_metadata, self, id, e, 0, &h);
	expect_ok(_metadata, &h, 0);
	EXPECT_EQ(512, h.r.bytes_scanned);
}

TEST_HARNESS_MAIN
