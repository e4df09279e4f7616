/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hostile programs and hostile EXEC/PROG_* commands: the fixture and
 * checks shared by the prog_hostile_* tests, one program per group of
 * rules (budget and range, memory, loading, reply and result).  Every
 * case gets the exact errno, abort code and abort pc the uAPI header
 * promises, the matching prog_aborts_* counter moves by exactly one (and
 * the others not at all), and the device still answers correctly
 * afterwards (checked in the fixture teardown after every test: a program
 * reads the data written at setup, IDENTIFY still works).
 *
 * The programs are raw instruction arrays: each probes one rule, at a
 * known instruction index.  Include this once, from the test's .c file:
 * it defines the fixture.
 */
#ifndef URINGBLK_PROG_HOSTILE_H
#define URINGBLK_PROG_HOSTILE_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
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

static inline int load(struct __test_metadata *_metadata,
		       FIXTURE_DATA(hostile) *self,
		       const struct bpf_insn *insns, size_t cnt)
{
	int id = ubp_load(&self->ring, self->cfd, insns, cnt, "hostile",
			  self->log, sizeof(self->log));

	EXPECT_LT(0, id) TH_LOG("load: %d: %s", id, self->log);
	return id;
}

static inline void exec_id(struct __test_metadata *_metadata,
			   FIXTURE_DATA(hostile) *self, int id,
			   struct ubp_exec e, uint32_t out_len, struct run *h)
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

static inline void run_prog(struct __test_metadata *_metadata,
			    FIXTURE_DATA(hostile) *self,
			    const struct bpf_insn *insns, size_t cnt,
			    struct ubp_exec e, uint32_t out_len,
			    struct run *h)
{
	int id = load(_metadata, self, insns, cnt);

	ASSERT_LT(0, id);
	exec_id(_metadata, self, id, e, out_len, h);
	EXPECT_EQ(0, ubp_unload(&self->ring, self->cfd, id));
}

/*
 * A run that stopped: errno everywhere, r0 0, the code and pc, the result
 * struct's reserved fields zero, and exactly the one abort counter of that
 * code moved; the run itself is counted.  big_cqe[0] is the status: the
 * program's own faults 0x7c0 | code, an I/O error or a stop from outside
 * that of its errno (not 0).
 */
static inline void expect_abort(struct __test_metadata *_metadata,
				const struct run *h, int err, uint32_t code,
				uint32_t pc)
{
	uint64_t budget = 0, bounds = 0, fault = 0;

	EXPECT_EQ(err, h->res);
	EXPECT_EQ(err, h->r.error);
	EXPECT_EQ(code, h->r.abort_code);
	EXPECT_EQ(pc, h->r.abort_pc);
	EXPECT_EQ(0, h->r.r0);
	if (code >= URINGBLK_PROG_ABORT_BUDGET && code <= URINGBLK_PROG_ABORT_DEPTH) {
		EXPECT_EQ(0x7c0 | code, h->res2);
	} else {
		EXPECT_NE(0, h->res2);
	}
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

static inline void expect_ok(struct __test_metadata *_metadata,
			     const struct run *h, uint64_t r0)
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

/*
 * A command refused before any run: nothing ran, nothing was written;
 * big_cqe[0] is the refusal's status.
 */
static inline void expect_refused(struct __test_metadata *_metadata,
				  FIXTURE_DATA(hostile) *self,
				  const struct run *h, int err)
{
	EXPECT_EQ(err, h->res);
	EXPECT_NE(0, h->res2);
	EXPECT_EQ(0, DELTA(h, prog_runs));
	EXPECT_EQ(0, DELTA(h, prog_bytes_to_host));
	EXPECT_EQ(0, DELTA(h, bytes_to_host));
	EXPECT_EQ(0xa5a5a5a5a5a5a5a5ULL, h->r.r0) TH_LOG("reply written by a refused EXEC");
	EXPECT_EQ(0xa5a5a5a5a5a5a5a5ULL, h->r.insns);
}

#endif /* URINGBLK_PROG_HOSTILE_H */
