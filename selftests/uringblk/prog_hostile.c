// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile programs and hostile EXEC/PROG_* commands.  Every one gets the
 * exact errno, abort code and abort pc the uAPI header promises, the
 * matching prog_aborts_* counter moves by exactly one (and the others not
 * at all), and the device still answers correctly afterwards (checked in
 * the fixture teardown after every test: a program reads the data written
 * at setup, IDENTIFY still works).
 *
 * The programs are raw instruction arrays: each probes one rule, at a
 * known instruction index.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "prog_test.h"

#define PARAMS		"capacity_mb=64"
#define CAPACITY	(64 * UBT_MIB)
#define BS		512ULL
#define NR_BLOCKS	(CAPACITY / BS)

/* Blocks 0, 1, 2 hold bytes 0x11, 0x22, 0x33; EXECs mostly grant block 1. */
#define BLOCK1_WORD	0x2222222222222222ULL

/* Room for the largest reply, and a page to spare for tests that overrun. */
#define REPLY_SIZE	(UBP_RES_SIZE + URINGBLK_MAX_EXEC_OUT + 4096)

#define R0 0
#define R1 1
#define R2 2
#define R3 3
#define R4 4
#define R5 5
#define R6 6
#define R7 7
#define R10 10

FIXTURE(hostile) {
	struct io_uring ring;
	int cfd;
	struct uringblk_identify id;
	uint8_t *reply;		/* result struct + URINGBLK_MAX_EXEC_OUT */
	char log[4096];
};

FIXTURE_SETUP(hostile)
{
	uint8_t *blk;
	int bfd;

	UBT_SETUP_MODULE(ubt_module_ensure, PARAMS);
	self->cfd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, self->cfd) TH_LOG("open: %s", strerror(-self->cfd));
	ASSERT_EQ(0, ubt_ring_init(&self->ring, 0));
	ASSERT_EQ(sizeof(self->id), ubt_identify(&self->ring, self->cfd, &self->id));
	if (!(self->id.features & URINGBLK_F_COMPUTE))
		UBT_SETUP_SKIP("the drive has no URINGBLK_F_COMPUTE");
	/* A clean program store: -ENOSPC and id tests count on it. */
	ASSERT_LE(0, ubp_unload_all(&self->ring, self->cfd));

	self->reply = ubt_alloc(REPLY_SIZE);
	ASSERT_NE(NULL, self->reply);
	blk = ubt_alloc(4096);
	ASSERT_NE(NULL, blk);
	memset(blk, 0x11, BS);
	memset(blk + BS, 0x22, BS);
	memset(blk + 2 * BS, 0x33, BS);
	memset(blk + 3 * BS, 0x44, 4096 - 3 * BS);
	bfd = ubt_open_blk(0, O_RDWR | O_DIRECT);
	ASSERT_LE(0, bfd);
	ASSERT_EQ(4096, ubt_pwrite_full(bfd, blk, 4096, 0));
	close(bfd);
	munmap(blk, 4096);
}

/*
 * After anything hostile the drive must still run programs correctly.
 * EXPECT only: an ASSERT failing in a 6.1 teardown re-enters it.
 */
FIXTURE_TEARDOWN(hostile)
{
	const struct bpf_insn good[] = {
		BPF_MOV64_IMM(R1, 8),
		BPF_MOV64_REG(R2, R10),
		BPF_ALU64_IMM(BPF_ADD, R2, -8),
		BPF_MOV64_IMM(R3, 8),
		BPF_EMIT_CALL(URINGBLK_HELPER_READ),
		BPF_LDX_MEM(BPF_DW, R0, R10, -8),
		BPF_EXIT_INSN(),
	};
	struct uringblk_exec_result *r = (void *)self->reply;
	struct ubp_exec e = { .lba = 1, .count = 1 };
	struct uringblk_identify id;
	uint64_t res2 = 0;
	int pid, res;

	EXPECT_LE(0, ubp_unload_all(&self->ring, self->cfd));
	pid = ubp_load(&self->ring, self->cfd, good, UBP_NINSNS(good), "good",
		       NULL, 0);
	EXPECT_LT(0, pid) TH_LOG("load after the test: %d", pid);
	e.prog = pid;
	res = ubp_exec(&self->ring, self->cfd, &e, self->reply, UBP_RES_SIZE, &res2);
	EXPECT_EQ(-EOVERFLOW, res) TH_LOG("EXEC after the test");
	EXPECT_EQ(BLOCK1_WORD, res2);
	EXPECT_EQ(BLOCK1_WORD, r->r0);
	EXPECT_EQ(0, r->error);
	EXPECT_EQ(sizeof(id), ubt_identify(&self->ring, self->cfd, &id));
	EXPECT_EQ(CAPACITY, id.capacity);
	EXPECT_EQ(0, ubp_unload(&self->ring, self->cfd, pid));
	io_uring_queue_exit(&self->ring);
	close(self->cfd);
	munmap(self->reply, REPLY_SIZE);
}

/* One EXEC of a freshly loaded program, with the counters around it. */
struct run {
	int res;
	uint64_t res2;
	struct uringblk_exec_result r;
	const uint8_t *out;
	struct uringblk_stats before, after;
};

#define DELTA(h, f)	((h)->after.f - (h)->before.f)

static int load(struct __test_metadata *_metadata, FIXTURE_DATA(hostile) *self,
		const struct bpf_insn *insns, size_t cnt)
{
	int id = ubp_load(&self->ring, self->cfd, insns, cnt, "hostile",
			  self->log, sizeof(self->log));

	EXPECT_LT(0, id) TH_LOG("load: %d: %s", id, self->log);
	return id;
}

static void exec_id(struct __test_metadata *_metadata,
		    FIXTURE_DATA(hostile) *self, int id, struct ubp_exec e,
		    uint32_t out_len, struct run *h)
{
	memset(h, 0, sizeof(*h));
	/* Stale bytes in the reply must be overwritten, not trusted. */
	memset(self->reply, 0xa5, UBP_RES_SIZE + out_len + 64 < REPLY_SIZE ?
				  UBP_RES_SIZE + out_len + 64 : REPLY_SIZE);
	e.prog = id;
	ASSERT_EQ(sizeof(h->before), ubt_get_stats(&self->ring, self->cfd,
						   &h->before, 0));
	h->res = ubp_exec(&self->ring, self->cfd, &e, self->reply,
			  UBP_RES_SIZE + out_len, &h->res2);
	ASSERT_EQ(sizeof(h->after), ubt_get_stats(&self->ring, self->cfd,
						  &h->after, 0));
	memcpy(&h->r, self->reply, sizeof(h->r));
	h->out = self->reply + UBP_RES_SIZE;
}

static void run_prog(struct __test_metadata *_metadata,
		     FIXTURE_DATA(hostile) *self, const struct bpf_insn *insns,
		     size_t cnt, struct ubp_exec e, uint32_t out_len,
		     struct run *h)
{
	int id = load(_metadata, self, insns, cnt);

	ASSERT_LT(0, id);
	exec_id(_metadata, self, id, e, out_len, h);
	EXPECT_EQ(0, ubp_unload(&self->ring, self->cfd, id));
}

/*
 * A run that stopped: errno everywhere, r0 0 (also big_cqe[0]), the code
 * and pc, the result struct's reserved fields zero, and exactly the one
 * abort counter of that code moved; the run itself is counted.
 */
static void expect_abort(struct __test_metadata *_metadata, const struct run *h,
			 int err, uint32_t code, uint32_t pc)
{
	uint64_t budget = 0, bounds = 0, fault = 0;

	EXPECT_EQ(err, h->res);
	EXPECT_EQ(err, h->r.error);
	EXPECT_EQ(code, h->r.abort_code);
	EXPECT_EQ(pc, h->r.abort_pc);
	EXPECT_EQ(0, h->r.r0);
	EXPECT_EQ(0, h->res2);
	EXPECT_EQ(0, h->r.rsvd0);
	EXPECT_EQ(0, h->r.rsvd[0]);
	EXPECT_EQ(0, h->r.rsvd[1]);
	switch (code) {
	case URINGBLK_PROG_ABORT_BUDGET:
		budget = 1;
		break;
	case URINGBLK_PROG_ABORT_MEM:
	case URINGBLK_PROG_ABORT_RANGE:
		bounds = 1;
		break;
	default:
		fault = 1;
		break;
	}
	EXPECT_EQ(1, DELTA(h, prog_runs));
	EXPECT_EQ(budget, DELTA(h, prog_aborts_budget));
	EXPECT_EQ(bounds, DELTA(h, prog_aborts_bounds));
	EXPECT_EQ(fault, DELTA(h, prog_aborts_fault));
	EXPECT_EQ(h->r.insns, DELTA(h, prog_insns));
	EXPECT_EQ(UBP_RES_SIZE + h->r.out_len, DELTA(h, prog_bytes_to_host));
}

static void expect_ok(struct __test_metadata *_metadata, const struct run *h,
		      uint64_t r0)
{
	EXPECT_EQ(r0 > INT32_MAX ? -EOVERFLOW : (int)r0, h->res);
	EXPECT_EQ(r0, h->r.r0);
	EXPECT_EQ(r0, h->res2);
	EXPECT_EQ(0, h->r.error);
	EXPECT_EQ(URINGBLK_PROG_OK, h->r.abort_code);
	EXPECT_EQ(0, h->r.abort_pc);
	EXPECT_EQ(1, DELTA(h, prog_runs));
	EXPECT_EQ(0, DELTA(h, prog_aborts_budget));
	EXPECT_EQ(0, DELTA(h, prog_aborts_bounds));
	EXPECT_EQ(0, DELTA(h, prog_aborts_fault));
}

/* A command refused before any run: nothing ran, nothing was written. */
static void expect_refused(struct __test_metadata *_metadata,
			   FIXTURE_DATA(hostile) *self, const struct run *h,
			   int err)
{
	EXPECT_EQ(err, h->res);
	EXPECT_EQ(0, h->res2);
	EXPECT_EQ(0, DELTA(h, prog_runs));
	EXPECT_EQ(0, DELTA(h, prog_bytes_to_host));
	EXPECT_EQ(0, DELTA(h, bytes_to_host));
	EXPECT_EQ(0xa5a5a5a5a5a5a5a5ULL, h->r.r0) TH_LOG("reply written by a refused EXEC");
	EXPECT_EQ(0xa5a5a5a5a5a5a5a5ULL, h->r.insns);
}

/* --- budget ------------------------------------------------------------- */

/*
 * "ja +4000; 4000 x mov; ja -4002": two instructions per iteration, but
 * the budget is charged per slot passed (an upper bound), 4002 a lap, so
 * even the default budget (2^30) runs out in a fraction of a second.
 */
static size_t fat_loop(struct bpf_insn *p)
{
	size_t i;

	p[0] = BPF_JMP_A(4000);
	for (i = 1; i <= 4000; i++)
		p[i] = BPF_MOV64_IMM(R0, 0);
	p[4001] = BPF_JMP_A(-4002);
	return 4002;
}

TEST_F(hostile, infinite_loop_default_budget)
{
	static struct bpf_insn p[4002];
	struct ubp_exec e = { .lba = 1, .count = 1 };
	struct run h;
	size_t n = fat_loop(p);

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

/* --- the validator -------------------------------------------------------- */

TEST_F(hostile, huge_program)
{
	static struct bpf_insn p[URINGBLK_PROG_MAX_INSNS + 2];
	struct uringblk_stats before, after;
	size_t i;
	int id;

	for (i = 0; i < ARRAY_SIZE(p); i++)
		p[i] = BPF_MOV64_IMM(R0, 0);
	ASSERT_EQ(sizeof(before), ubt_get_stats(&self->ring, self->cfd, &before, 0));
	p[URINGBLK_PROG_MAX_INSNS] = BPF_EXIT_INSN();
	id = ubp_load(&self->ring, self->cfd, p, URINGBLK_PROG_MAX_INSNS + 1,
		      "huge", self->log, sizeof(self->log));
	EXPECT_EQ(-E2BIG, id);
	EXPECT_NE(NULL, strstr(self->log, "4097"))
		TH_LOG("log: '%s'", self->log);
	EXPECT_NE(NULL, strstr(self->log, "4096"))
		TH_LOG("log: '%s'", self->log);
	p[URINGBLK_PROG_MAX_INSNS + 1] = BPF_EXIT_INSN();
	id = ubp_load(&self->ring, self->cfd, p, ARRAY_SIZE(p), "huge",
		      self->log, sizeof(self->log));
	EXPECT_EQ(-E2BIG, id);
	/* 1 MiB + 8 bytes of instructions: refused on the length alone */
	id = ubp_load(&self->ring, self->cfd, (void *)self->reply,
		      (1U << 20) / 8 + 1, "huge", NULL, 0);
	EXPECT_EQ(-E2BIG, id);
	ASSERT_EQ(sizeof(after), ubt_get_stats(&self->ring, self->cfd, &after, 0));
	EXPECT_EQ(before.prog_loads, after.prog_loads);

	/* exactly the limit loads, and runs */
	p[URINGBLK_PROG_MAX_INSNS - 1] = BPF_EXIT_INSN();
	id = ubp_load(&self->ring, self->cfd, p, URINGBLK_PROG_MAX_INSNS,
		      "limit", self->log, sizeof(self->log));
	EXPECT_LT(0, id) TH_LOG("log: '%s'", self->log);
	EXPECT_STREQ("ok", self->log);
}

TEST_F(hostile, malformed_programs)
{
	struct uringblk_cmd cmd;
	struct bpf_insn two[2] = { BPF_MOV64_IMM(R0, 0), BPF_EXIT_INSN() };
#pragma GCC diagnostic push
/* Most cases leave err out: 0 means the common -EINVAL. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
	static const struct {
		const char *what;
		struct bpf_insn insns[4];
		size_t cnt;
		const char *log;
		int err;	/* 0: -EINVAL */
	} cases[] = {
		{ "bad opcode", { BPF_MOV64_IMM(R0, 0),
			BPF_RAW_INSN(BPF_JMP | BPF_EXIT | BPF_X, 0, 0, 0, 0),
			BPF_EXIT_INSN() }, 3, "unknown opcode 0x9d at insn 1" },
		{ "opcode 0", { BPF_RAW_INSN(0, 0, 0, 0, 0), BPF_EXIT_INSN() }, 2,
			"unknown opcode 0x00 at insn 0" },
		{ "classic ld_abs", { BPF_RAW_INSN(BPF_LD | BPF_ABS | BPF_W, 0, 0, 0, 0),
			BPF_EXIT_INSN() }, 2,
			"legacy packet loads (ld_abs, ld_ind) are not supported at insn 0",
			-EOPNOTSUPP },
		{ "callx", { BPF_MOV64_IMM(R0, 0),
			BPF_RAW_INSN(BPF_JMP | BPF_CALL | BPF_X, 0, 0, 0, 0),
			BPF_EXIT_INSN() }, 3,
			"indirect calls (callx) are not supported at insn 1",
			-EOPNOTSUPP },
		{ "r1 after a helper call", { BPF_EMIT_CALL(URINGBLK_HELPER_SUM_U32),
			BPF_MOV64_REG(R0, R1), BPF_EXIT_INSN() }, 3,
			"r1 is read after a call clobbered it at insn 1" },
		{ "sdiv with off 2", { BPF_RAW_INSN(BPF_ALU64 | BPF_DIV | BPF_K, R0, 0, 2, 3),
			BPF_EXIT_INSN() }, 2,
			"invalid off 2 for div/mod (0 unsigned, 1 signed) at insn 0" },
		{ "gotol with off", { BPF_RAW_INSN(BPF_JMP32 | BPF_JA, 0, 0, 1, 0),
			BPF_EXIT_INSN(), BPF_EXIT_INSN() }, 3,
			"gotol has its target in imm: off must be 0 at insn 0" },
		{ "write to r10", { BPF_MOV64_IMM(R10, 0), BPF_EXIT_INSN() }, 2,
			"r10 is read-only at insn 0" },
		{ "add to r10", { BPF_MOV64_IMM(R0, 0),
			BPF_ALU64_IMM(BPF_ADD, R10, -8), BPF_EXIT_INSN() }, 3,
			"r10 is read-only at insn 1" },
		{ "load into r10", { BPF_LDX_MEM(BPF_DW, R10, R1, 0),
			BPF_EXIT_INSN() }, 2, "r10 is read-only at insn 0" },
		{ "jump past the end", { BPF_MOV64_IMM(R0, 0), BPF_JMP_A(1),
			BPF_EXIT_INSN() }, 3, "jump out of range at insn 1" },
		{ "jump before the start", { BPF_MOV64_IMM(R0, 0),
			BPF_JMP_IMM(BPF_JEQ, R0, 0, -3), BPF_EXIT_INSN() }, 3,
			"jump out of range at insn 1" },
		{ "call past the end", { BPF_CALL_REL(5), BPF_EXIT_INSN() }, 2,
			"call target out of range at insn 0" },
		{ "unknown helper", { BPF_EMIT_CALL(URINGBLK_HELPER_MAX + 1),
			BPF_EXIT_INSN() }, 2, "unknown helper 7 at insn 0" },
		{ "helper 0", { BPF_MOV64_IMM(R0, 0), BPF_EMIT_CALL(0),
			BPF_EXIT_INSN() }, 3, "unknown helper 0 at insn 1" },
		{ "kernel helper id", { BPF_EMIT_CALL(-1), BPF_EXIT_INSN() }, 2,
			"unknown helper -1 at insn 0" },
		{ "register 11", { BPF_MOV64_IMM(11, 0), BPF_EXIT_INSN() }, 2,
			"invalid dst register r11 at insn 0" },
		{ "falls off the end", { BPF_MOV64_IMM(R0, 0) }, 1,
			"last insn is not exit or ja at insn 0" },
		{ "division by zero", { BPF_ALU64_IMM(BPF_DIV, R0, 0),
			BPF_EXIT_INSN() }, 2, "division by zero at insn 0" },
		{ "lddw truncated", { BPF_MOV64_IMM(R0, 0),
			BPF_RAW_INSN(BPF_LD | BPF_DW | BPF_IMM, 0, 0, 0, 0) }, 2,
			"lddw truncated at insn 1" },
	};
#pragma GCC diagnostic pop
	struct uringblk_stats before, after;
	size_t i;
	int id;

	ASSERT_EQ(sizeof(before), ubt_get_stats(&self->ring, self->cfd, &before, 0));
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		memset(self->log, 'x', sizeof(self->log));
		id = ubp_load(&self->ring, self->cfd, cases[i].insns,
			      cases[i].cnt, "bad", self->log, sizeof(self->log));
		EXPECT_EQ(cases[i].err ? cases[i].err : -EINVAL, id)
			TH_LOG("%s", cases[i].what);
		EXPECT_STREQ(cases[i].log, self->log) TH_LOG("%s", cases[i].what);
	}
	/* lengths that are not whole instructions */
	id = ubp_load(&self->ring, self->cfd, NULL, 0, "empty", self->log,
		      sizeof(self->log));
	EXPECT_EQ(-EINVAL, id);
	EXPECT_STREQ("program length 0 is not a positive multiple of 8", self->log);
	ubt_cmd_init(&cmd, two, 12);
	cmd.cdw[0] = (uintptr_t)self->log;
	cmd.cdw[1] = sizeof(self->log);
	EXPECT_EQ(-EINVAL, ubt_uring_cmd(&self->ring, self->cfd,
					 URINGBLK_CMD_PROG_LOAD, &cmd, NULL));
	EXPECT_STREQ("program length 12 is not a positive multiple of 8",
		     self->log);
	/* a log buffer too small: truncated, still NUL-terminated */
	memset(self->log, 'x', sizeof(self->log));
	cmd.len = 16;
	two[1] = BPF_MOV64_IMM(R10, 1);
	cmd.cdw[1] = 8;
	EXPECT_EQ(-EINVAL, ubt_uring_cmd(&self->ring, self->cfd,
					 URINGBLK_CMD_PROG_LOAD, &cmd, NULL));
	EXPECT_STREQ("r10 is ", self->log);
	EXPECT_EQ('x', self->log[8]) TH_LOG("wrote past the log buffer");
	/* the log buffer faulting does not hide the errno */
	cmd.cdw[0] = 0xffffffff81000000ULL;
	cmd.cdw[1] = 256;
	EXPECT_EQ(-EINVAL, ubt_uring_cmd(&self->ring, self->cfd,
					 URINGBLK_CMD_PROG_LOAD, &cmd, NULL));
	/* the instructions faulting */
	cmd.addr = 0xffffffff81000000ULL;
	cmd.cdw[0] = 0;
	cmd.cdw[1] = 0;
	EXPECT_EQ(-EFAULT, ubt_uring_cmd(&self->ring, self->cfd,
					 URINGBLK_CMD_PROG_LOAD, &cmd, NULL));
	ASSERT_EQ(sizeof(after), ubt_get_stats(&self->ring, self->cfd, &after, 0));
	EXPECT_EQ(before.prog_loads, after.prog_loads);
	EXPECT_EQ(0, ubp_list(&self->ring, self->cfd, 0,
			      (struct uringblk_prog_info *)self->reply, 1));
}

/* --- ids, privileges, limits ------------------------------------------------ */

TEST_F(hostile, exec_unknown_id)
{
	struct uringblk_cmd cmd;
	const struct bpf_insn ret7[] = { BPF_MOV64_IMM(R0, 7), BPF_EXIT_INSN() };
	struct ubp_exec e = { .lba = 1, .count = 1 };
	int id = load(_metadata, self, ret7, 2);
	struct run h;

	exec_id(_metadata, self, id, e, 0, &h);
	expect_ok(_metadata, &h, 7);
	exec_id(_metadata, self, 0, e, 0, &h);
	expect_refused(_metadata, self, &h, -ENOENT);
	exec_id(_metadata, self, id + 1000, e, 0, &h);
	expect_refused(_metadata, self, &h, -ENOENT);
	/* the id's high half must be zero, not ignored */
	e.prog = (1ULL << 32) | id;
	memset(self->reply, 0xa5, UBP_RES_SIZE);
	memset(&h, 0, sizeof(h));
	ASSERT_EQ(sizeof(h.before), ubt_get_stats(&self->ring, self->cfd, &h.before, 0));
	h.res = ubp_exec(&self->ring, self->cfd, &e, self->reply, UBP_RES_SIZE,
			 &h.res2);
	ASSERT_EQ(sizeof(h.after), ubt_get_stats(&self->ring, self->cfd, &h.after, 0));
	memcpy(&h.r, self->reply, sizeof(h.r));
	expect_refused(_metadata, self, &h, -EINVAL);

	EXPECT_EQ(0, ubp_unload(&self->ring, self->cfd, id));
	exec_id(_metadata, self, id, e, 0, &h);
	expect_refused(_metadata, self, &h, -ENOENT);
	EXPECT_EQ(-ENOENT, ubp_unload(&self->ring, self->cfd, id));
	EXPECT_EQ(-ENOENT, ubp_unload(&self->ring, self->cfd, 0));
	EXPECT_EQ(-ENOENT, ubp_unload(&self->ring, self->cfd, UINT32_MAX));
	ubt_cmd_init(&cmd, NULL, 0);
	cmd.cdw[0] = (1ULL << 32) | id;
	EXPECT_EQ(-EINVAL, ubt_uring_cmd(&self->ring, self->cfd,
					 URINGBLK_CMD_PROG_UNLOAD, &cmd, NULL));
}

TEST_F(hostile, load_unload_need_cap_sys_admin)
{
	const struct bpf_insn ret7[] = { BPF_MOV64_IMM(R0, 7), BPF_EXIT_INSN() };
	struct uringblk_prog_info info[2];
	int id = load(_metadata, self, ret7, 2);
	int results[5], pipefd[2], status;
	pid_t pid;

	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct ubp_exec e = { .prog = id, .lba = 1, .count = 1 };
		struct uringblk_prog_info li[2];
		uint8_t reply[UBP_RES_SIZE];
		struct io_uring ring;
		int fd;

		close(pipefd[0]);
		results[0] = ubp_drop_cap_sys_admin();
		/* file and ring made without the capability */
		fd = ubt_open_cdev(0, O_RDWR);
		if (fd < 0 || ubt_ring_init(&ring, 0))
			_exit(2);
		results[1] = ubp_load(&ring, fd, ret7, 2, "nocap", NULL, 0);
		results[2] = ubp_unload(&ring, fd, id);
		results[3] = ubp_list(&ring, fd, 0, li, 2);
		results[4] = ubp_exec(&ring, fd, &e, reply, sizeof(reply), NULL);
		if (write(pipefd[1], results, sizeof(results)) != sizeof(results))
			_exit(3);
		_exit(0);
	}
	close(pipefd[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ASSERT_EQ(sizeof(results), read(pipefd[0], results, sizeof(results)));
	close(pipefd[0]);
	ASSERT_EQ(0, results[0]) TH_LOG("could not drop CAP_SYS_ADMIN");
	EXPECT_EQ(-EPERM, results[1]) TH_LOG("PROG_LOAD without CAP_SYS_ADMIN");
	EXPECT_EQ(-EPERM, results[2]) TH_LOG("PROG_UNLOAD without CAP_SYS_ADMIN");
	/* listing and running need only the open command device */
	EXPECT_EQ(1, results[3]);
	EXPECT_EQ(7, results[4]);
	/* the program is still there, and alone */
	ASSERT_EQ(1, ubp_list(&self->ring, self->cfd, 0, info, 2));
	EXPECT_EQ(id, info[0].id);
}

TEST_F(hostile, too_many_programs)
{
	const struct bpf_insn ret7[] = { BPF_MOV64_IMM(R0, 7), BPF_EXIT_INSN() };
	struct uringblk_prog_info info[URINGBLK_MAX_PROGS];
	int ids[URINGBLK_MAX_PROGS], i, id;

	ASSERT_EQ(URINGBLK_MAX_PROGS, self->id.max_progs);
	for (i = 0; i < URINGBLK_MAX_PROGS; i++) {
		ids[i] = load(_metadata, self, ret7, 2);
		ASSERT_LT(0, ids[i]) TH_LOG("program %d", i + 1);
	}
	id = ubp_load(&self->ring, self->cfd, ret7, 2, "65th", self->log,
		      sizeof(self->log));
	EXPECT_EQ(-ENOSPC, id);
	EXPECT_STREQ("the device already holds 64 programs", self->log);
	EXPECT_EQ(URINGBLK_MAX_PROGS, ubp_list(&self->ring, self->cfd, 0, info,
					       URINGBLK_MAX_PROGS));
	/* one slot freed: one more fits, and only one */
	EXPECT_EQ(0, ubp_unload(&self->ring, self->cfd, ids[17]));
	EXPECT_LT(0, load(_metadata, self, ret7, 2));
	EXPECT_EQ(-ENOSPC, ubp_load(&self->ring, self->cfd, ret7, 2, "65th",
				    NULL, 0));
}

/* --- the reply buffer ------------------------------------------------------ */

TEST_F(hostile, reply_too_short)
{
	struct uringblk_cmd cmd;
	const struct bpf_insn ret7[] = { BPF_MOV64_IMM(R0, 7), BPF_EXIT_INSN() };
	struct ubp_exec e = { .lba = 1, .count = 1 };
	int id = load(_metadata, self, ret7, 2);
	const uint32_t lens[] = { 0, 1, 8, UBP_RES_SIZE - 1 };
	struct run h;
	size_t i;

	ASSERT_EQ(64, UBP_RES_SIZE);
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		memset(&h, 0, sizeof(h));
		memset(self->reply, 0xa5, UBP_RES_SIZE);
		e.prog = id;
		ASSERT_EQ(sizeof(h.before), ubt_get_stats(&self->ring, self->cfd,
							  &h.before, 0));
		h.res = ubp_exec(&self->ring, self->cfd, &e, self->reply, lens[i],
				 &h.res2);
		ASSERT_EQ(sizeof(h.after), ubt_get_stats(&self->ring, self->cfd,
							 &h.after, 0));
		memcpy(&h.r, self->reply, sizeof(h.r));
		expect_refused(_metadata, self, &h, -EINVAL);
	}
	/* no reply address at all */
	ubp_exec_cmd(&cmd, &e, NULL, 0);
	EXPECT_EQ(-EINVAL, ubt_uring_cmd(&self->ring, self->cfd,
					 URINGBLK_CMD_EXEC, &cmd, NULL));
	exec_id(_metadata, self, id, e, 0, &h);
	expect_ok(_metadata, &h, 7);
}

TEST_F(hostile, output_too_big)
{
	struct uringblk_cmd cmd;
	/* out[out_len - 1] = 7: the highest byte of a full-size output */
	const struct bpf_insn p[] = {
		BPF_LDX_MEM(BPF_DW, R2, R1, UBP_CTX(out)),
		BPF_LDX_MEM(BPF_W, R3, R1, UBP_CTX(out_len)),
		BPF_ALU64_REG(BPF_ADD, R2, R3),
		BPF_ST_MEM(BPF_B, R2, -1, 7),
		BPF_MOV64_IMM(R0, 1),
		BPF_EXIT_INSN(),
	};
	struct ubp_exec e = { .lba = 1, .count = 1 };
	int id = load(_metadata, self, p, UBP_NINSNS(p));
	struct run h;

	ASSERT_EQ(URINGBLK_MAX_EXEC_OUT, self->id.max_exec_out);
	exec_id(_metadata, self, id, e, URINGBLK_MAX_EXEC_OUT + 1, &h);
	expect_refused(_metadata, self, &h, -E2BIG);
	exec_id(_metadata, self, id, e, URINGBLK_MAX_EXEC_OUT + 4096, &h);
	expect_refused(_metadata, self, &h, -E2BIG);
	exec_id(_metadata, self, id, e, URINGBLK_MAX_EXEC_OUT, &h);
	expect_ok(_metadata, &h, 1);
	EXPECT_EQ(URINGBLK_MAX_EXEC_OUT, h.r.out_len);
	EXPECT_EQ(7, h.out[URINGBLK_MAX_EXEC_OUT - 1]);
	EXPECT_EQ(0, h.out[0]);
	EXPECT_EQ(0xa5, h.out[URINGBLK_MAX_EXEC_OUT]);
	EXPECT_EQ(UBP_RES_SIZE + URINGBLK_MAX_EXEC_OUT, DELTA(&h, prog_bytes_to_host));
	/* the largest reply length is a u32: it must not wrap into range */
	e.prog = id;
	ubp_exec_cmd(&cmd, &e, self->reply, UINT32_MAX);
	EXPECT_EQ(-E2BIG, ubt_uring_cmd(&self->ring, self->cfd,
					URINGBLK_CMD_EXEC, &cmd, NULL));
}

TEST_F(hostile, reply_address_faults)
{
	/* out[0] = 1; r0 = 5 */
	const struct bpf_insn p[] = {
		BPF_LDX_MEM(BPF_DW, R2, R1, UBP_CTX(out)),
		BPF_ST_MEM(BPF_B, R2, 0, 1),
		BPF_MOV64_IMM(R0, 5),
		BPF_EXIT_INSN(),
	};
	/* page 0 writable, page 1 read-only, page 2 not mapped */
	static const struct {
		int page, delta;
		uint32_t out_len;
	} cases[] = {
		{ 2, 0, 8 },				/* not mapped */
		{ 1, 0, 8 },				/* read-only */
		{ 1, -(int)UBP_RES_SIZE, 8 },		/* output read-only */
		{ 2, -(int)UBP_RES_SIZE / 2, 0 },	/* result straddles */
	};
	struct ubp_exec e = { .lba = 1, .count = 1 };
	struct uringblk_stats before, after;
	long pg = sysconf(_SC_PAGESIZE);
	size_t i;
	uint8_t *map;
	int id = load(_metadata, self, p, UBP_NINSNS(p));
	int res;

	e.prog = id;
	/* a kernel address: refused before the run */
	ASSERT_EQ(sizeof(before), ubt_get_stats(&self->ring, self->cfd, &before, 0));
	res = ubp_exec(&self->ring, self->cfd, &e, (void *)0xffffffff81000000ULL,
		       UBP_RES_SIZE + 8, NULL);
	EXPECT_EQ(-EFAULT, res);
	ASSERT_EQ(sizeof(after), ubt_get_stats(&self->ring, self->cfd, &after, 0));
	EXPECT_EQ(before.prog_runs, after.prog_runs);
	/* a range that wraps past the top of the address space */
	res = ubp_exec(&self->ring, self->cfd, &e, (void *)(UINT64_MAX - 31),
		       UBP_RES_SIZE + 8, NULL);
	EXPECT_EQ(-EFAULT, res);

	/*
	 * User memory that is not mapped, read-only, or mapped for the result
	 * but not the output: the run happens, the copy faults, nothing is
	 * counted as sent to the host, and the run counts as a fault (every
	 * run is either recorded in the exec latency histogram, having ended
	 * with its reply written, or in one prog_aborts_* counter).
	 */
	map = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, munmap(map + 2 * pg, pg));
	ASSERT_EQ(0, mprotect(map + pg, pg, PROT_READ));
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		uint8_t *addr = map + cases[i].page * pg + cases[i].delta;

		ASSERT_EQ(sizeof(before), ubt_get_stats(&self->ring, self->cfd,
							&before, 0));
		res = ubp_exec(&self->ring, self->cfd, &e, addr,
			       UBP_RES_SIZE + cases[i].out_len, NULL);
		EXPECT_EQ(-EFAULT, res) TH_LOG("case %zu", i);
		ASSERT_EQ(sizeof(after), ubt_get_stats(&self->ring, self->cfd,
						       &after, 0));
		EXPECT_EQ(before.prog_runs + 1, after.prog_runs);
		EXPECT_EQ(before.bytes_to_host, after.bytes_to_host);
		EXPECT_EQ(before.prog_bytes_to_host, after.prog_bytes_to_host);
		/* a fault; the last case's store to its empty output a bounds abort */
		EXPECT_EQ(before.prog_aborts_fault + (cases[i].out_len ? 1 : 0),
			  after.prog_aborts_fault) TH_LOG("case %zu", i);
		EXPECT_EQ(before.prog_aborts_bounds + (cases[i].out_len ? 0 : 1),
			  after.prog_aborts_bounds) TH_LOG("case %zu", i);
	}
	/* the writable part right before works */
	res = ubp_exec(&self->ring, self->cfd, &e, map + pg - UBP_RES_SIZE - 8,
		       UBP_RES_SIZE + 8, NULL);
	EXPECT_EQ(5, res);
	EXPECT_EQ(1, map[pg - 8]);
	munmap(map, 2 * pg);
}

/* --- r0, CQE32 and the result struct ------------------------------------- */

TEST_F(hostile, r0_above_int32_max)
{
	const struct bpf_insn p[] = {
		BPF_LDX_MEM(BPF_DW, R0, R1, UBP_CTX(args[0])),
		BPF_EXIT_INSN(),
	};
	static const uint64_t vals[] = {
		0, 1, INT32_MAX, (uint64_t)INT32_MAX + 1, UINT32_MAX,
		1ULL << 32, 1ULL << 63, UINT64_MAX, (uint64_t)-EINVAL,
	};
	struct ubp_exec e = { .lba = 1, .count = 1 };
	int id = load(_metadata, self, p, UBP_NINSNS(p));
	struct io_uring ring64;
	uint8_t reply[UBP_RES_SIZE];
	struct uringblk_exec_result *r = (void *)reply;
	struct run h;
	size_t i;
	int res;

	for (i = 0; i < ARRAY_SIZE(vals); i++) {
		e.args[0] = vals[i];
		exec_id(_metadata, self, id, e, 0, &h);
		/* a negative r0 must not pass for an errno either */
		expect_ok(_metadata, &h, vals[i]);
		EXPECT_EQ(0, h.r.rsvd0);
		EXPECT_EQ(0, h.r.rsvd[0]);
		EXPECT_EQ(0, h.r.rsvd[1]);
		EXPECT_EQ(0, h.r.out_len);
	}
	/* without CQE32 the result struct still has the full value */
	ASSERT_EQ(0, io_uring_queue_init(4, &ring64, IORING_SETUP_SQE128));
	e.prog = id;
	e.args[0] = 0xdeadbeefcafeULL;
	res = ubp_exec(&ring64, self->cfd, &e, reply, sizeof(reply), NULL);
	EXPECT_EQ(-EOVERFLOW, res);
	EXPECT_EQ(0xdeadbeefcafeULL, r->r0);
	EXPECT_EQ(0, r->error);
	io_uring_queue_exit(&ring64);
}

TEST_F(hostile, reserved_fields)
{
	const struct bpf_insn ret7[] = { BPF_MOV64_IMM(R0, 7), BPF_EXIT_INSN() };
	struct ubp_exec e = { .lba = 1, .count = 1 };
	int id = load(_metadata, self, ret7, 2);
	struct uringblk_prog_info info[2];
	struct uringblk_cmd cmd;
	int i;

	e.prog = id;
#define EXPECT_CMD(err, op) \
	EXPECT_EQ(err, ubt_uring_cmd(&self->ring, self->cfd, op, &cmd, NULL))

	ubp_exec_cmd(&cmd, &e, self->reply, UBP_RES_SIZE);
	EXPECT_CMD(7, URINGBLK_CMD_EXEC);
	cmd.rsvd0 = 1;
	EXPECT_CMD(-EINVAL, URINGBLK_CMD_EXEC);
	cmd.rsvd0 = 0;
	cmd.flags = URINGBLK_EXEC_F_ZONE_WP << 1;
	EXPECT_CMD(-EINVAL, URINGBLK_CMD_EXEC);
	cmd.flags = 1U << 31;
	EXPECT_CMD(-EINVAL, URINGBLK_CMD_EXEC);
	/* the zone flag is known, but this drive is not zoned */
	if (!(self->id.features & URINGBLK_F_ZONED)) {
		cmd.flags = URINGBLK_EXEC_F_ZONE_WP;
		EXPECT_CMD(-EOPNOTSUPP, URINGBLK_CMD_EXEC);
	}
	cmd.flags = 0;
	cmd.abi_major = URINGBLK_ABI_MAJOR + 1;
	EXPECT_CMD(-EPROTO, URINGBLK_CMD_EXEC);

	/* PROG_UNLOAD uses cdw[0] only */
	for (i = 1; i < 7; i++) {
		ubt_cmd_init(&cmd, NULL, 0);
		cmd.cdw[0] = id;
		cmd.cdw[i] = 1;
		EXPECT_CMD(-EINVAL, URINGBLK_CMD_PROG_UNLOAD) TH_LOG("cdw[%d]", i);
	}
	/* PROG_LIST: cdw[0] only, len a multiple of the entry, <= 64 entries */
	for (i = 1; i < 7; i++) {
		ubt_cmd_init(&cmd, info, sizeof(info));
		cmd.cdw[i] = 1;
		EXPECT_CMD(-EINVAL, URINGBLK_CMD_PROG_LIST) TH_LOG("cdw[%d]", i);
	}
	ubt_cmd_init(&cmd, info, sizeof(info[0]) + 1);
	EXPECT_CMD(-EINVAL, URINGBLK_CMD_PROG_LIST);
	ubt_cmd_init(&cmd, info, 0);
	EXPECT_CMD(-EINVAL, URINGBLK_CMD_PROG_LIST);
	ubt_cmd_init(&cmd, self->reply, (URINGBLK_MAX_PROGS + 1) * sizeof(info[0]));
	EXPECT_CMD(-E2BIG, URINGBLK_CMD_PROG_LIST);
	ubt_cmd_init(&cmd, info, sizeof(info));
	cmd.cdw[0] = 1ULL << 32;
	EXPECT_CMD(-EINVAL, URINGBLK_CMD_PROG_LIST);
	/* PROG_LOAD: cdw[6] is unused; the log is at most 4096 bytes */
	ubt_cmd_init(&cmd, (void *)ret7, sizeof(ret7));
	cmd.cdw[6] = 1;
	EXPECT_CMD(-EINVAL, URINGBLK_CMD_PROG_LOAD);
	cmd.cdw[6] = 0;
	cmd.cdw[0] = (uintptr_t)self->log;
	cmd.cdw[1] = 4097;
	EXPECT_CMD(-EINVAL, URINGBLK_CMD_PROG_LOAD);
	cmd.rsvd0 = 1;
	cmd.cdw[1] = 0;
	EXPECT_CMD(-EINVAL, URINGBLK_CMD_PROG_LOAD);
#undef EXPECT_CMD
	/* nothing but the first program got loaded */
	EXPECT_EQ(1, ubp_list(&self->ring, self->cfd, 0, info, 2));
}

/*
 * What a program sees of its context: ctx->rsvd and args[3] are zero, the
 * other fields are those of the EXEC.  r0 = OR of the reserved words.
 */
TEST_F(hostile, ctx_contents)
{
	struct uringblk_prog_ctx c;
	struct bpf_insn p[32];
	struct ubp_exec e = { .lba = 5, .count = 3, .args = { ~0ULL, ~0ULL, ~0ULL } };
	struct run h;
	size_t n = 0;
	int i;

	p[n++] = BPF_MOV64_IMM(R0, 0);
	p[n++] = BPF_LDX_MEM(BPF_DW, R2, R1, UBP_CTX(args[3]));
	p[n++] = BPF_ALU64_REG(BPF_OR, R0, R2);
	for (i = 0; i < 7; i++) {
		p[n++] = BPF_LDX_MEM(BPF_DW, R2, R1, UBP_CTX(rsvd[i]));
		p[n++] = BPF_ALU64_REG(BPF_OR, R0, R2);
	}
	/* and emit the whole ctx */
	p[n++] = BPF_MOV64_REG(R6, R0);
	p[n++] = BPF_MOV64_IMM(R2, 128);
	p[n++] = BPF_EMIT_CALL(URINGBLK_HELPER_EMIT);
	p[n++] = BPF_MOV64_REG(R0, R6);
	p[n++] = BPF_EXIT_INSN();
	run_prog(_metadata, self, p, n, e, 256, &h);
	expect_ok(_metadata, &h, 0);
	ASSERT_EQ(128, h.r.out_len);
	memcpy(&c, h.out, sizeof(c));
	EXPECT_EQ(5, c.lba_start);
	EXPECT_EQ(3, c.lba_count);
	EXPECT_EQ(3 * BS, c.data_len);
	EXPECT_EQ(BS, c.block_size);
	EXPECT_EQ(256, c.out_len);
	EXPECT_EQ(URINGBLK_PROG_OUT_ADDR, c.out);
	EXPECT_EQ(~0ULL, c.args[0]);
	EXPECT_EQ(~0ULL, c.args[2]);
	EXPECT_EQ(0, c.args[3]);
}

/*
 * A program never sees a kernel address: r1, r10 (in the entry function
 * and in a callee) and ctx->out are the fixed program addresses of the
 * header, and every other register starts at 0.
 */
TEST_F(hostile, no_kernel_addresses)
{
	struct bpf_insn p[40];
	struct ubp_exec e = { .lba = 1, .count = 1 };
	uint64_t v[11 + 3];
	struct run h;
	size_t n = 0;
	int i;

	/* entry registers into the stack, r0 at r10 - 88 ... r10 at r10 - 8 */
	for (i = 0; i <= 10; i++)
		p[n++] = BPF_STX_MEM(BPF_DW, R10, i, -88 + 8 * i);
	p[n++] = BPF_LDX_MEM(BPF_DW, R6, R1, UBP_CTX(out));
	p[n++] = BPF_STX_MEM(BPF_DW, R10, R6, -96);
	p[n++] = BPF_MOV64_REG(R1, R10);
	p[n++] = BPF_ALU64_IMM(BPF_ADD, R1, -96);
	p[n++] = BPF_MOV64_IMM(R2, 96);
	p[n++] = BPF_EMIT_CALL(URINGBLK_HELPER_EMIT);
	p[n++] = BPF_CALL_REL(2);
	p[n++] = BPF_MOV64_IMM(R0, 0);
	p[n++] = BPF_EXIT_INSN();
	/* callee: emit its r10 and the r0 that a helper call left */
	p[n++] = BPF_STX_MEM(BPF_DW, R10, R10, -8);
	p[n++] = BPF_STX_MEM(BPF_DW, R10, R0, -16);
	p[n++] = BPF_MOV64_REG(R1, R10);
	p[n++] = BPF_ALU64_IMM(BPF_ADD, R1, -16);
	p[n++] = BPF_MOV64_IMM(R2, 16);
	p[n++] = BPF_EMIT_CALL(URINGBLK_HELPER_EMIT);
	p[n++] = BPF_EXIT_INSN();
	ASSERT_GE(ARRAY_SIZE(p), n);
	run_prog(_metadata, self, p, n, e, 256, &h);
	expect_ok(_metadata, &h, 0);
	ASSERT_EQ(96 + 16, h.r.out_len);
	memcpy(v, h.out, sizeof(v));
	EXPECT_EQ(URINGBLK_PROG_OUT_ADDR, v[0]);	/* ctx->out */
	EXPECT_EQ(0, v[1]);				/* r0 */
	EXPECT_EQ(URINGBLK_PROG_CTX_ADDR, v[2]);	/* r1 */
	for (i = 2; i <= 9; i++)
		EXPECT_EQ(0, v[1 + i]) TH_LOG("r%d", i);
	EXPECT_EQ(URINGBLK_PROG_STACK_TOP, v[11]);	/* r10 */
	EXPECT_EQ(96, v[12]);				/* emit's return */
	EXPECT_EQ(URINGBLK_PROG_STACK_TOP - URINGBLK_PROG_STACK_SIZE, v[13]);
}

TEST_HARNESS_MAIN
