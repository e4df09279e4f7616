// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile EXEC replies (see prog_hostile.h): reply buffers too short or
 * faulting, output too big, r0 above INT32_MAX through CQE32, the result
 * struct's reserved fields, what the context holds, and that no kernel
 * address reaches the program.
 */
#include "prog_hostile.h"

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
	cmd.flags = URINGBLK_EXEC_F_EXTENTS << 1;
	EXPECT_CMD(-EINVAL, URINGBLK_CMD_EXEC);
	cmd.flags = (URINGBLK_EXEC_F_EXTENTS << 1) | URINGBLK_EXEC_F_EXTENTS;
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

	/* PROG_UNLOAD uses cdw[0] (prog_id) only */
	for (i = 1; i < 7; i++) {
		ubt_cmd_init(&cmd, NULL, 0);
		cmd.prog_unload.prog_id = id;
		cmd.cdw[i] = 1;
		EXPECT_CMD(-EINVAL, URINGBLK_CMD_PROG_UNLOAD) TH_LOG("cdw[%d]", i);
	}
	/* PROG_LIST: cdw[0] (after_id) only, len a multiple of the entry, <= 64 */
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
	cmd.prog_list.after_id = 1ULL << 32;
	EXPECT_CMD(-EINVAL, URINGBLK_CMD_PROG_LIST);
	/*
	 * PROG_LOAD: cdw[6] is the slot since ABI 1.3 (no slot past 64:
	 * -ERANGE); the log is at most 4096 bytes
	 */
	ubt_cmd_init(&cmd, (void *)ret7, sizeof(ret7));
	cmd.cdw[6] = URINGBLK_MAX_PROGS + 1;
	EXPECT_CMD(-ERANGE, URINGBLK_CMD_PROG_LOAD);
	cmd.cdw[6] = 0;
	cmd.prog_load.log_addr = (uintptr_t)self->log;
	cmd.prog_load.log_len = 4097;
	EXPECT_CMD(-EINVAL, URINGBLK_CMD_PROG_LOAD);
	cmd.rsvd0 = 1;
	cmd.prog_load.log_len = 0;
	EXPECT_CMD(-EINVAL, URINGBLK_CMD_PROG_LOAD);
#undef EXPECT_CMD
	/* nothing but the first program got loaded (device-defined ones follow) */
	EXPECT_EQ(self->id.nr_dd_progs ? 2 : 1,
		  ubp_list(&self->ring, self->cfd, 0, info, 2));
	if (self->id.nr_dd_progs)
		EXPECT_TRUE(info[1].flags & URINGBLK_PROG_INFO_F_DEVICE);
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
	for (i = 0; i < (int)ARRAY_SIZE(c.rsvd); i++) {
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
	/* EXEC has no mem region; this program no globals (ABI 1.3) */
	EXPECT_EQ(0, c.mem);
	EXPECT_EQ(0, c.mem_len);
	EXPECT_EQ(0, c.globals);
	EXPECT_EQ(0, c.globals_len);
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
