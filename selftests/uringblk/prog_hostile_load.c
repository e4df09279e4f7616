// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile PROG_LOAD and EXEC commands (see prog_hostile.h): programs the
 * validator must refuse (too big, malformed), unknown ids, CAP_SYS_ADMIN,
 * the program store's limit.
 */
#include "prog_hostile.h"

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
			BPF_EXIT_INSN() }, 2, "unknown helper 12 at insn 0" },
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
	cmd.prog_load.log_addr = (uintptr_t)self->log;
	cmd.prog_load.log_len = sizeof(self->log);
	EXPECT_EQ(-EINVAL, ubt_uring_cmd(&self->ring, self->cfd,
					 URINGBLK_CMD_PROG_LOAD, &cmd, NULL));
	EXPECT_STREQ("program length 12 is not a positive multiple of 8",
		     self->log);
	/* a log buffer too small: truncated, still NUL-terminated */
	memset(self->log, 'x', sizeof(self->log));
	cmd.len = 16;
	two[1] = BPF_MOV64_IMM(R10, 1);
	cmd.prog_load.log_len = 8;
	EXPECT_EQ(-EINVAL, ubt_uring_cmd(&self->ring, self->cfd,
					 URINGBLK_CMD_PROG_LOAD, &cmd, NULL));
	EXPECT_STREQ("r10 is ", self->log);
	EXPECT_EQ('x', self->log[8]) TH_LOG("wrote past the log buffer");
	/* the log buffer faulting does not hide the errno */
	cmd.prog_load.log_addr = 0xffffffff81000000ULL;
	cmd.prog_load.log_len = 256;
	EXPECT_EQ(-EINVAL, ubt_uring_cmd(&self->ring, self->cfd,
					 URINGBLK_CMD_PROG_LOAD, &cmd, NULL));
	/* the instructions faulting */
	cmd.addr = 0xffffffff81000000ULL;
	cmd.prog_load.log_addr = 0;
	cmd.prog_load.log_len = 0;
	EXPECT_EQ(-EFAULT, ubt_uring_cmd(&self->ring, self->cfd,
					 URINGBLK_CMD_PROG_LOAD, &cmd, NULL));
	ASSERT_EQ(sizeof(after), ubt_get_stats(&self->ring, self->cfd, &after, 0));
	EXPECT_EQ(before.prog_loads, after.prog_loads);
	/* nothing loaded: at most a device-defined program is listed */
	EXPECT_EQ(self->id.nr_dd_progs ? 1 : 0,
		  ubp_list(&self->ring, self->cfd, 0,
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
	cmd.prog_unload.prog_id = (1ULL << 32) | id;
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
	EXPECT_EQ(self->id.nr_dd_progs ? 2 : 1, results[3]);
	EXPECT_EQ(7, results[4]);
	/* the program is still there, and the only downloaded one */
	ASSERT_EQ(self->id.nr_dd_progs ? 2 : 1,
		  ubp_list(&self->ring, self->cfd, 0, info, 2));
	if (self->id.nr_dd_progs)
		EXPECT_TRUE(info[1].flags & URINGBLK_PROG_INFO_F_DEVICE);
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

TEST_HARNESS_MAIN
