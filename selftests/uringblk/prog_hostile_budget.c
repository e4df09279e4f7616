// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile programs (see prog_hostile.h) against the budget (endless
 * loops, the exact limit, a budget above the maximum) and the granted
 * range (helper reads outside it, offsets that wrap around, ranges past
 * the end of the device).
 */
#include "prog_hostile.h"

/* --- budget ------------------------------------------------------------- */

TEST_F(hostile, infinite_loop_default_budget)
{
	static struct bpf_insn p[4002];
	struct ubp_exec e = { .lba = 1, .count = 1 };
	struct run h;
	size_t n = ubp_fat_loop(p, 4002);

	run_prog(_metadata, self, p, n, e, 0, &h);
	expect_abort(_metadata, &h, -ETIME, URINGBLK_PROG_ABORT_BUDGET, 4001);
	/* A charge may overshoot by less than one segment (4002 slots). */
	EXPECT_LE(self->id.default_insn_budget, h.r.insns);
	EXPECT_GT(self->id.default_insn_budget + 4002, h.r.insns);
	EXPECT_EQ(0, h.r.out_len);
	EXPECT_EQ(0, h.r.bytes_scanned);
}

TEST_F(hostile, infinite_loop_small_budget)
{
	const struct bpf_insn spin[] = { BPF_JMP_A(-1) };
	struct ubp_exec e = { .lba = 1, .count = 1 };
	const uint64_t budgets[] = { 1, 2, 1000, 100000 };
	struct run h;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(budgets); i++) {
		e.budget = budgets[i];
		run_prog(_metadata, self, spin, 1, e, 0, &h);
		expect_abort(_metadata, &h, -ETIME, URINGBLK_PROG_ABORT_BUDGET, 0);
		/* one slot per lap: at most one slot past the budget */
		EXPECT_LE(budgets[i], h.r.insns);
		EXPECT_GE(budgets[i] + 1, h.r.insns) TH_LOG("budget %llu",
			  (unsigned long long)budgets[i]);
	}
}

/*
 * The budget is exact at the charge points: a run that used B units
 * completes with budget B and stops with B - 1.
 */
TEST_F(hostile, budget_exact)
{
	/* r0 = 0; do r0 += 1; while (r0 < args[0]); exit */
	const struct bpf_insn count[] = {
		BPF_MOV64_IMM(R0, 0),
		BPF_LDX_MEM(BPF_DW, R6, R1, UBP_CTX(args)),
		BPF_ALU64_IMM(BPF_ADD, R0, 1),
		BPF_JMP_REG(BPF_JLT, R0, R6, -2),
		BPF_EXIT_INSN(),
	};
	struct ubp_exec e = { .lba = 1, .count = 1, .args = { 1000 } };
	int id = load(_metadata, self, count, UBP_NINSNS(count));
	uint64_t used;
	struct run h;

	exec_id(_metadata, self, id, e, 0, &h);
	expect_ok(_metadata, &h, 1000);
	used = h.r.insns;
	/* 2 (entry) + 2 per lap + the exit segment */
	EXPECT_EQ(2003, used);
	e.budget = used;
	exec_id(_metadata, self, id, e, 0, &h);
	expect_ok(_metadata, &h, 1000);
	EXPECT_EQ(used, h.r.insns);
	e.budget = used - 1;
	exec_id(_metadata, self, id, e, 0, &h);
	expect_abort(_metadata, &h, -ETIME, URINGBLK_PROG_ABORT_BUDGET, 4);
}

TEST_F(hostile, budget_above_max)
{
	const struct bpf_insn ret7[] = { BPF_MOV64_IMM(R0, 7), BPF_EXIT_INSN() };
	struct ubp_exec e = { .lba = 1, .count = 1 };
	int id = load(_metadata, self, ret7, 2);
	struct run h;

	ASSERT_NE(0, self->id.max_insn_budget);
	ASSERT_LE(self->id.default_insn_budget, self->id.max_insn_budget);
	e.budget = self->id.max_insn_budget + 1;
	exec_id(_metadata, self, id, e, 0, &h);
	expect_refused(_metadata, self, &h, -EINVAL);
	e.budget = UINT64_MAX;
	exec_id(_metadata, self, id, e, 0, &h);
	expect_refused(_metadata, self, &h, -EINVAL);
	/* the maximum itself is accepted */
	e.budget = self->id.max_insn_budget;
	exec_id(_metadata, self, id, e, 0, &h);
	expect_ok(_metadata, &h, 7);
	EXPECT_EQ(2, h.r.insns);
}

/* --- the granted range ----------------------------------------------------- */

/*
 * uringblk_read(args[0], r10 - 512, args[1]) into the whole frame (so the
 * destination is never what fails); r0 = its first 8 bytes.
 */
static const struct bpf_insn read_at[] = {
	BPF_LDX_MEM(BPF_DW, R2, R1, UBP_CTX(args[0])),
	BPF_LDX_MEM(BPF_DW, R3, R1, UBP_CTX(args[1])),
	BPF_MOV64_REG(R1, R2),
	BPF_MOV64_REG(R2, R10),
	BPF_ALU64_IMM(BPF_ADD, R2, -512),
	BPF_EMIT_CALL(URINGBLK_HELPER_READ),	/* pc 5 */
	BPF_LDX_MEM(BPF_DW, R0, R10, -512),
	BPF_EXIT_INSN(),
};
#define READ_AT_CALL	5

TEST_F(hostile, helper_read_outside_grant)
{
	static const struct {
		uint64_t off, len;
		int err;
		uint64_t r0;
	} cases[] = {
		{ 0, 8, 0, BLOCK1_WORD },
		{ 504, 8, 0, BLOCK1_WORD },	/* last 8 bytes of the grant */
		{ 512, 0, 0, 0 },		/* empty, at the end: allowed */
		/* before the grant (block 0 = 0x11) */
		{ -8ULL, 8, -ERANGE, 0 },
		{ -1ULL, 1, -ERANGE, 0 },
		{ -512ULL, 512, -ERANGE, 0 },
		/* after it (block 2 = 0x33) */
		{ 505, 8, -ERANGE, 0 },
		{ 512, 1, -ERANGE, 0 },
		{ 513, 0, -ERANGE, 0 },
		{ 1ULL << 63, 8, -ERANGE, 0 },
		/* len is a u32: only the low 32 bits count */
		{ 0, (1ULL << 32) | 8, 0, BLOCK1_WORD },
		{ 8, (1ULL << 32) | 512, -ERANGE, 0 },
	};
	struct ubp_exec e = { .lba = 1, .count = 1 };
	int id = load(_metadata, self, read_at, UBP_NINSNS(read_at));
	struct run h;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		e.args[0] = cases[i].off;
		e.args[1] = cases[i].len;
		exec_id(_metadata, self, id, e, 0, &h);
		if (cases[i].err) {
			expect_abort(_metadata, &h, cases[i].err,
				     URINGBLK_PROG_ABORT_RANGE, READ_AT_CALL);
			EXPECT_EQ(0, h.r.bytes_scanned);
		} else {
			expect_ok(_metadata, &h, cases[i].r0);
			EXPECT_EQ((uint32_t)cases[i].len, h.r.bytes_scanned);
		}
		if (_metadata->passed == 0)
			TH_LOG("case %zu: off %#llx len %#llx", i,
			       (unsigned long long)cases[i].off,
			       (unsigned long long)cases[i].len);
	}
}

/* off + len wrapping around 2^64 must not pass the range check. */
TEST_F(hostile, helper_range_overflow)
{
	/* count_pattern(args[0], args[1], &ctx->args[2], 1) */
	const struct bpf_insn scan[] = {
		BPF_MOV64_REG(R3, R1),
		BPF_ALU64_IMM(BPF_ADD, R3, UBP_CTX(args[2])),
		BPF_LDX_MEM(BPF_DW, R2, R1, UBP_CTX(args[1])),
		BPF_LDX_MEM(BPF_DW, R1, R1, UBP_CTX(args[0])),
		BPF_MOV64_IMM(R4, 1),
		BPF_EMIT_CALL(URINGBLK_HELPER_COUNT_PATTERN),	/* pc 5 */
		BPF_EXIT_INSN(),
	};
	struct ubp_exec e = { .lba = 1, .count = 1, .args = { 0, 0, 0x22 } };
	int id = load(_metadata, self, scan, UBP_NINSNS(scan));
	struct run h;

	e.args[0] = 0;
	e.args[1] = 512;
	exec_id(_metadata, self, id, e, 0, &h);
	expect_ok(_metadata, &h, 512);
	e.args[0] = 8;
	e.args[1] = -4ULL;		/* 8 + 2^64 - 4 wraps to 4 */
	exec_id(_metadata, self, id, e, 0, &h);
	expect_abort(_metadata, &h, -ERANGE, URINGBLK_PROG_ABORT_RANGE, 5);
	e.args[0] = -4ULL;		/* wraps to 4 the other way */
	e.args[1] = 8;
	exec_id(_metadata, self, id, e, 0, &h);
	expect_abort(_metadata, &h, -ERANGE, URINGBLK_PROG_ABORT_RANGE, 5);
}

TEST_F(hostile, exec_range_outside_device)
{
	static const struct {
		uint64_t lba, count;
	} bad[] = {
		{ 0, 0 },			/* empty */
		{ NR_BLOCKS - 1, 0 },
		{ NR_BLOCKS, 1 },		/* starts past the end */
		{ NR_BLOCKS - 1, 2 },		/* ends past it */
		{ 0, NR_BLOCKS + 1 },
		{ 1, UINT64_MAX },		/* lba + count wraps to 0 */
		{ 2, UINT64_MAX - 1 },
		{ UINT64_MAX, 2 },		/* wraps to 1 */
		{ UINT64_MAX, 1 },
		{ 1ULL << 63, 1ULL << 63 },
	};
	const struct bpf_insn ret7[] = { BPF_MOV64_IMM(R0, 7), BPF_EXIT_INSN() };
	struct ubp_exec e = { 0 };
	int id = load(_metadata, self, ret7, 2);
	struct run h;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		e.lba = bad[i].lba;
		e.count = bad[i].count;
		exec_id(_metadata, self, id, e, 0, &h);
		expect_refused(_metadata, self, &h, -ERANGE);
		if (h.res != -ERANGE)
			TH_LOG("lba %llu count %llu", (unsigned long long)e.lba,
			       (unsigned long long)e.count);
	}
	/* the whole device and its last block are fine */
	e.lba = 0;
	e.count = NR_BLOCKS;
	exec_id(_metadata, self, id, e, 0, &h);
	expect_ok(_metadata, &h, 7);
	e.lba = NR_BLOCKS - 1;
	e.count = 1;
	exec_id(_metadata, self, id, e, 0, &h);
	expect_ok(_metadata, &h, 7);
}

TEST_HARNESS_MAIN
