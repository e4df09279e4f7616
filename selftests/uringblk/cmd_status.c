// SPDX-License-Identifier: GPL-2.0
/*
 * Command statuses (uAPI "Command statuses", ABI 1.9): for each failure
 * the drive names a status for, the errno in cqe->res and the status in
 * big_cqe[0] are the pair driver/status.c's table gives, failures that
 * share an errno have different statuses (-ERANGE: Invalid Program Index,
 * Invalid Memory Range Set, LBA Out of Range; -EBUSY, -ENOSPC, -E2BIG,
 * -EPERM likewise), a bare errno gets the generic status of its errno, a
 * stopped run the vendor status of its abort code, and EXEC's -EOVERFLOW
 * keeps r0 in big_cqe[0].  liburingblk knows the name of every status it
 * meets here, and uringblk_dev_strerror() names the one its last command got.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "prog_test.h"

#include <liburingblk.h>

#define R0 0
#define R1 1
#define R6 6
#define R10 10
#define PAGE 4096

/* r0 = args[0] */
static const struct bpf_insn ret_arg[] = {
	BPF_LDX_MEM(BPF_DW, R0, R1, UBP_CTX(args[0])),
	BPF_EXIT_INSN(),
};

/* r0 = 0; do r0 += 1; while (r0 < args[0]); exit */
static const struct bpf_insn count_loop[] = {
	BPF_MOV64_IMM(R0, 0),
	BPF_LDX_MEM(BPF_DW, R6, R1, UBP_CTX(args[0])),
	BPF_ALU64_IMM(BPF_ADD, R0, 1),
	BPF_JMP_REG(BPF_JLT, R0, R6, -2),
	BPF_EXIT_INSN(),
};

/* a load below the stack: outside every region, found when it runs */
static const struct bpf_insn bad_load[] = {
	BPF_LDX_MEM(BPF_DW, R0, R10, -520),
	BPF_EXIT_INSN(),
};

FIXTURE(st) {
	struct io_uring ring;
	int cfd;
	struct uringblk_identify id;
	uint8_t reply[UBP_RES_SIZE];
	uint8_t buf[PAGE];
};

FIXTURE_SETUP(st)
{
	self->ring.ring_fd = -1;
	self->cfd = -1;
	UBT_SETUP_MODULE(ubt_module_ensure, "capacity_mb=16 nr_devices=1 slm_size_mb=4");
	self->cfd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, self->cfd);
	ASSERT_EQ(0, ubt_ring_init(&self->ring, 0));
	ASSERT_EQ(sizeof(self->id), ubt_identify(&self->ring, self->cfd, &self->id));
	ASSERT_TRUE(self->id.features & URINGBLK_F_STATUS);
	ASSERT_TRUE(self->id.features & URINGBLK_F_SLM);
	ASSERT_LE(0, ubp_unload_all(&self->ring, self->cfd));
}

FIXTURE_TEARDOWN(st)
{
	if (self->cfd >= 0) {
		ubp_unload_all(&self->ring, self->cfd);
		close(self->cfd);
	}
	if (self->ring.ring_fd >= 0)
		io_uring_queue_exit(&self->ring);
}

/* One command on @fd; cqe->res, and big_cqe[0] in *st. */
static int run(FIXTURE_DATA(st) *self, int fd, uint32_t op,
	       struct uringblk_cmd *cmd, uint64_t *st)
{
	*st = ~0ULL;
	return ubt_uring_cmd(&self->ring, fd, op, cmd, st);
}

/* The command fails with @err and status @status, which the library names. */
#define EXPECT_STATUS(err, status, res, st)					\
	do {									\
		EXPECT_EQ(-(err), (res));					\
		EXPECT_EQ((uint64_t)(status), (st))				\
			TH_LOG("status %#llx, want %#x", (unsigned long long)(st), \
			       (unsigned int)(status));				\
		EXPECT_NE(NULL, uringblk_status_str(status));			\
	} while (0)

static void prog_load_cmd(struct uringblk_cmd *cmd, const struct bpf_insn *insns,
			  size_t cnt, uint64_t pind)
{
	ubt_cmd_init(cmd, (void *)insns, cnt * sizeof(*insns));
	cmd->prog_load.pind = pind;
}

static void word_cmd(struct uringblk_cmd *cmd, void *addr, uint32_t len,
		     uint64_t w0, uint64_t w1)
{
	ubt_cmd_init(cmd, addr, len);
	cmd->cdw[0] = w0;
	cmd->cdw[1] = w1;
}

/* The gate's refusals: generic statuses. */
TEST_F(st, gate)
{
	struct uringblk_cmd cmd;
	uint64_t st;
	int rofd, res;

	ubt_cmd_init(&cmd, NULL, 0);
	res = run(self, self->cfd, _IOWR(URINGBLK_IOC_MAGIC, 0x7f, struct uringblk_cmd),
		  &cmd, &st);
	EXPECT_STATUS(ENOTTY, URINGBLK_SC_INVALID_OPCODE, res, st);

	ubt_cmd_init(&cmd, NULL, 0);
	cmd.rsvd0 = 1;
	res = run(self, self->cfd, URINGBLK_CMD_PROG_UNLOAD, &cmd, &st);
	EXPECT_STATUS(EINVAL, URINGBLK_SC_INVALID_FIELD, res, st);

	ubt_cmd_init(&cmd, NULL, 0);
	cmd.abi_major = URINGBLK_ABI_MAJOR + 1;
	res = run(self, self->cfd, URINGBLK_CMD_PROG_UNLOAD, &cmd, &st);
	EXPECT_STATUS(EPROTO, URINGBLK_SC_INVALID_FIELD, res, st);

	word_cmd(&cmd, (void *)8, 16, 0, 0);
	res = run(self, self->cfd, URINGBLK_CMD_MEM_WRITE, &cmd, &st);
	EXPECT_STATUS(EFAULT, URINGBLK_SC_DATA_XFER_ERROR, res, st);

	rofd = ubt_open_cdev(0, O_RDONLY);
	ASSERT_LE(0, rofd);
	word_cmd(&cmd, self->buf, 16, 0, 0);
	res = run(self, rofd, URINGBLK_CMD_MEM_WRITE, &cmd, &st);
	EXPECT_STATUS(EBADF, URINGBLK_SC_NS_WRITE_PROTECTED, res, st);
	close(rofd);

	/* success: big_cqe[0] is the command's own (0 for IDENTIFY) */
	ubt_cmd_init(&cmd, &self->id, sizeof(self->id));
	EXPECT_EQ(sizeof(self->id), run(self, self->cfd, URINGBLK_CMD_IDENTIFY, &cmd, &st));
	EXPECT_EQ(0, st);
}

/* Program store: each -ERANGE, -EBUSY, -ENOSPC, -EPERM, -E2BIG by its status. */
TEST_F(st, programs)
{
	const uint64_t dd = URINGBLK_DD_PIND_BASE;
	struct bpf_insn *big;
	struct uringblk_cmd cmd;
	uint64_t st;
	int id, res;

	ASSERT_LT(0, self->id.nr_dd_progs);
	prog_load_cmd(&cmd, ret_arg, UBP_NINSNS(ret_arg), URINGBLK_MAX_PROGS + 1);
	res = run(self, self->cfd, URINGBLK_CMD_PROG_LOAD, &cmd, &st);
	EXPECT_STATUS(ERANGE, URINGBLK_SC_INVALID_PROG_INDEX, res, st);

	prog_load_cmd(&cmd, ret_arg, UBP_NINSNS(ret_arg), dd);
	res = run(self, self->cfd, URINGBLK_CMD_PROG_LOAD, &cmd, &st);
	EXPECT_STATUS(EPERM, URINGBLK_SC_PROG_NOT_DOWNLOADABLE, res, st);

	id = ubp_load_slot(&self->ring, self->cfd, ret_arg, UBP_NINSNS(ret_arg),
			   "a", 1, NULL, 0);
	ASSERT_LT(0, id);
	prog_load_cmd(&cmd, ret_arg, UBP_NINSNS(ret_arg), 1);
	res = run(self, self->cfd, URINGBLK_CMD_PROG_LOAD, &cmd, &st);
	EXPECT_STATUS(EBUSY, URINGBLK_SC_PROG_IN_USE, res, st);

	big = calloc(self->id.max_prog_insns + 1, sizeof(*big));
	ASSERT_NE(NULL, big);
	prog_load_cmd(&cmd, big, self->id.max_prog_insns + 1, 0);
	res = run(self, self->cfd, URINGBLK_CMD_PROG_LOAD, &cmd, &st);
	EXPECT_STATUS(E2BIG, URINGBLK_SC_PROG_TOO_BIG, res, st);
	free(big);

	/* unload: no such id, a device-defined one, an active one */
	word_cmd(&cmd, NULL, 0, id + 1000, 0);
	res = run(self, self->cfd, URINGBLK_CMD_PROG_UNLOAD, &cmd, &st);
	EXPECT_STATUS(ENOENT, URINGBLK_SC_NO_PROGRAM, res, st);
	word_cmd(&cmd, NULL, 0, URINGBLK_DD_ID_BASE, 0);
	res = run(self, self->cfd, URINGBLK_CMD_PROG_UNLOAD, &cmd, &st);
	EXPECT_STATUS(EPERM, URINGBLK_SC_PROG_NOT_DOWNLOADABLE, res, st);
	ASSERT_EQ(0, ubp_activate(&self->ring, self->cfd, 1, URINGBLK_PROG_ACT_ACTIVATE));
	word_cmd(&cmd, NULL, 0, id, 0);
	res = run(self, self->cfd, URINGBLK_CMD_PROG_UNLOAD, &cmd, &st);
	EXPECT_STATUS(EBUSY, URINGBLK_SC_PROG_IN_USE, res, st);

	/* activate: no such slot, an empty one */
	word_cmd(&cmd, NULL, 0, 0, URINGBLK_PROG_ACT_ACTIVATE);
	res = run(self, self->cfd, URINGBLK_CMD_PROG_ACTIVATE, &cmd, &st);
	EXPECT_STATUS(ERANGE, URINGBLK_SC_INVALID_PROG_INDEX, res, st);
	word_cmd(&cmd, NULL, 0, 2, URINGBLK_PROG_ACT_ACTIVATE);
	res = run(self, self->cfd, URINGBLK_CMD_PROG_ACTIVATE, &cmd, &st);
	EXPECT_STATUS(ENOENT, URINGBLK_SC_NO_PROGRAM, res, st);
}

/* Every slot full: Insufficient Program Resources; the activation limit. */
TEST_F(st, program_limits)
{
	struct uringblk_cmd cmd;
	uint64_t st;
	int res, active = self->id.nr_dd_progs;

	for (uint32_t pind = 1; pind <= URINGBLK_MAX_PROGS; pind++)
		ASSERT_LT(0, ubp_load_slot(&self->ring, self->cfd, ret_arg,
					   UBP_NINSNS(ret_arg), "f", pind, NULL, 0));
	prog_load_cmd(&cmd, ret_arg, UBP_NINSNS(ret_arg), 0);
	res = run(self, self->cfd, URINGBLK_CMD_PROG_LOAD, &cmd, &st);
	EXPECT_STATUS(ENOSPC, URINGBLK_SC_INSUFFICIENT_PROG_RES, res, st);

	/* the device-defined programs start active and count */
	for (uint32_t pind = 1; active < URINGBLK_MAX_ACTIVE_PROGS; pind++, active++)
		ASSERT_EQ(0, ubp_activate(&self->ring, self->cfd, pind,
					  URINGBLK_PROG_ACT_ACTIVATE));
	word_cmd(&cmd, NULL, 0, URINGBLK_MAX_PROGS, URINGBLK_PROG_ACT_ACTIVATE);
	res = run(self, self->cfd, URINGBLK_CMD_PROG_ACTIVATE, &cmd, &st);
	EXPECT_STATUS(EDQUOT, URINGBLK_SC_MAX_PROGS_ACTIVATED, res, st);
}

/* SLM and range sets: -ERANGE, -E2BIG, -ENOSPC, -EINVAL by status. */
TEST_F(st, slm)
{
	struct uringblk_mem_range mr[3];
	struct uringblk_copy_range cr[2] = {
		{ .slba = ~0ULL >> 1, .nlb = 1 },
	};
	const uint64_t slm = self->id.slm_size;
	struct uringblk_cmd cmd;
	uint64_t st;
	int res, rsid;

	/* MEM_READ: past SLM (LBA Out of Range), above max_mem_xfer */
	word_cmd(&cmd, self->buf, 16, slm, 0);
	res = run(self, self->cfd, URINGBLK_CMD_MEM_READ, &cmd, &st);
	EXPECT_STATUS(ERANGE, URINGBLK_SC_LBA_RANGE, res, st);
	word_cmd(&cmd, self->buf, self->id.max_mem_xfer + 1, 0, 0);
	res = run(self, self->cfd, URINGBLK_CMD_MEM_READ, &cmd, &st);
	EXPECT_STATUS(E2BIG, URINGBLK_SC_CMD_SIZE_LIMIT, res, st);

	/* MEM_COPY: an LBA past the drive; more ranges than a copy takes */
	word_cmd(&cmd, cr, sizeof(cr[0]), 0, 1);
	res = run(self, self->cfd, URINGBLK_CMD_MEM_COPY, &cmd, &st);
	EXPECT_STATUS(ERANGE, URINGBLK_SC_LBA_RANGE, res, st);
	word_cmd(&cmd, cr, sizeof(cr[0]) * (self->id.max_set_ranges + 1), 0,
		 self->id.max_set_ranges + 1);
	res = run(self, self->cfd, URINGBLK_CMD_MEM_COPY, &cmd, &st);
	EXPECT_STATUS(E2BIG, URINGBLK_SC_CMD_SIZE_LIMIT, res, st);

	/* RANGE_SET_CREATE: outside SLM, overlapping, too many ranges */
	mr[0] = (struct uringblk_mem_range){ slm, PAGE };
	word_cmd(&cmd, mr, sizeof(mr[0]), 0, 0);
	res = run(self, self->cfd, URINGBLK_CMD_RANGE_SET_CREATE, &cmd, &st);
	EXPECT_STATUS(ERANGE, URINGBLK_SC_INVALID_MEM_RANGE_SET, res, st);
	mr[0] = (struct uringblk_mem_range){ 0, 2 * PAGE };
	mr[1] = (struct uringblk_mem_range){ PAGE, PAGE };
	word_cmd(&cmd, mr, 2 * sizeof(mr[0]), 0, 0);
	res = run(self, self->cfd, URINGBLK_CMD_RANGE_SET_CREATE, &cmd, &st);
	EXPECT_STATUS(EINVAL, URINGBLK_SC_OVERLAPPING_MEM_RANGES, res, st);
	word_cmd(&cmd, mr, sizeof(mr[0]) * (self->id.max_set_ranges + 1), 0, 0);
	res = run(self, self->cfd, URINGBLK_CMD_RANGE_SET_CREATE, &cmd, &st);
	EXPECT_STATUS(E2BIG, URINGBLK_SC_MAX_MEM_RANGES, res, st);
	/* a range of 0 bytes: plain Invalid Field */
	mr[0] = (struct uringblk_mem_range){ 0, 0 };
	word_cmd(&cmd, mr, sizeof(mr[0]), 0, 0);
	res = run(self, self->cfd, URINGBLK_CMD_RANGE_SET_CREATE, &cmd, &st);
	EXPECT_STATUS(EINVAL, URINGBLK_SC_INVALID_FIELD, res, st);

	/* the set limit, and a set id that does not exist */
	mr[0] = (struct uringblk_mem_range){ 0, PAGE };
	for (uint32_t i = 0; i < self->id.max_range_sets; i++)
		ASSERT_LT(0, ubp_rset_create(&self->ring, self->cfd, mr, 1));
	word_cmd(&cmd, mr, sizeof(mr[0]), 0, 0);
	res = run(self, self->cfd, URINGBLK_CMD_RANGE_SET_CREATE, &cmd, &st);
	EXPECT_STATUS(ENOSPC, URINGBLK_SC_MAX_MEM_RANGE_SETS, res, st);
	rsid = self->id.max_range_sets + 100;
	word_cmd(&cmd, NULL, 0, rsid, 0);
	res = run(self, self->cfd, URINGBLK_CMD_RANGE_SET_DELETE, &cmd, &st);
	EXPECT_STATUS(EBADSLT, URINGBLK_SC_INVALID_MEM_RANGE_SET_ID, res, st);
	for (int i = 1; i <= (int)self->id.max_range_sets; i++)
		ASSERT_EQ(0, ubp_rset_delete(&self->ring, self->cfd, i));
}

/* EXECUTE's refusals, a stopped run's vendor status, EXEC's -EOVERFLOW. */
TEST_F(st, runs)
{
	struct uringblk_mem_range mr = { 0, PAGE };
	struct ubp_execute x = { .args = { 1 } };
	struct ubp_exec e = { .count = 1 };
	uint64_t st;
	int id, rsid, res;

	rsid = ubp_rset_create(&self->ring, self->cfd, &mr, 1);
	ASSERT_LT(0, rsid);
	id = ubp_load_slot(&self->ring, self->cfd, ret_arg, UBP_NINSNS(ret_arg),
			   "r", 1, NULL, 0);
	ASSERT_LT(0, id);
	x.rsid = rsid;
	x.pind = 0;
	res = ubp_execute(&self->ring, self->cfd, &x, self->reply, sizeof(self->reply), &st);
	EXPECT_STATUS(ERANGE, URINGBLK_SC_INVALID_PROG_INDEX, res, st);
	x.pind = 2;
	res = ubp_execute(&self->ring, self->cfd, &x, self->reply, sizeof(self->reply), &st);
	EXPECT_STATUS(ENOENT, URINGBLK_SC_NO_PROGRAM, res, st);
	x.pind = 1;
	res = ubp_execute(&self->ring, self->cfd, &x, self->reply, sizeof(self->reply), &st);
	EXPECT_STATUS(ENOEXEC, URINGBLK_SC_PROG_NOT_ACTIVATED, res, st);
	ASSERT_EQ(0, ubp_activate(&self->ring, self->cfd, 1, URINGBLK_PROG_ACT_ACTIVATE));
	x.rsid = rsid + 100;
	res = ubp_execute(&self->ring, self->cfd, &x, self->reply, sizeof(self->reply), &st);
	EXPECT_STATUS(EBADSLT, URINGBLK_SC_INVALID_MEM_RANGE_SET_ID, res, st);
	x.rsid = rsid;
	EXPECT_EQ(1, ubp_execute(&self->ring, self->cfd, &x, self->reply,
				 sizeof(self->reply), &st));
	EXPECT_EQ(1, st);

	/* EXEC of an unknown id: No Program */
	e.prog = id + 1000;
	res = ubp_exec(&self->ring, self->cfd, &e, self->reply, sizeof(self->reply), &st);
	EXPECT_STATUS(ENOENT, URINGBLK_SC_NO_PROGRAM, res, st);

	/* r0 above INT32_MAX: -EOVERFLOW, and big_cqe[0] is r0, not a status */
	e.prog = id;
	e.args[0] = 1ULL << 40;
	res = ubp_exec(&self->ring, self->cfd, &e, self->reply, sizeof(self->reply), &st);
	EXPECT_EQ(-EOVERFLOW, res);
	EXPECT_EQ(1ULL << 40, st);

	/* stopped runs: 0x7c0 | the abort code */
	id = ubp_load(&self->ring, self->cfd, count_loop, UBP_NINSNS(count_loop),
		      "loop", NULL, 0);
	ASSERT_LT(0, id);
	e.prog = id;
	e.args[0] = 1000000;
	e.budget = 100;
	res = ubp_exec(&self->ring, self->cfd, &e, self->reply, sizeof(self->reply), &st);
	EXPECT_STATUS(ETIME, URINGBLK_SC_PROG_ABORT_BUDGET, res, st);
	e.budget = 0;
	id = ubp_load(&self->ring, self->cfd, bad_load, UBP_NINSNS(bad_load),
		      "bad", NULL, 0);
	ASSERT_LT(0, id);
	e.prog = id;
	res = ubp_exec(&self->ring, self->cfd, &e, self->reply, sizeof(self->reply), &st);
	EXPECT_STATUS(EFAULT, URINGBLK_SC_PROG_ABORT_MEM, res, st);
	ASSERT_EQ(0, ubp_rset_delete(&self->ring, self->cfd, rsid));
}

/* liburingblk: the status of the handle's last command, and its name. */
TEST_F(st, library)
{
	struct uringblk_dev *dev;
	const char *s;

	ASSERT_EQ(0, uringblk_open("/dev/uringblk0", &dev));
	EXPECT_EQ(-ERANGE, uringblk_prog_activate(dev, 0, 1));
	EXPECT_EQ(URINGBLK_SC_INVALID_PROG_INDEX, uringblk_last_status(dev));
	s = uringblk_dev_strerror(dev, -ERANGE);
	EXPECT_NE(NULL, strstr(s, "Invalid Program Index")) TH_LOG("%s", s);
	/* another errno than the last command's: the errno's own text */
	EXPECT_STREQ(uringblk_strerror(-EINVAL), uringblk_dev_strerror(dev, -EINVAL));
	EXPECT_EQ(-ERANGE, uringblk_mem_read(dev, self->id.slm_size, self->buf, 16));
	EXPECT_EQ(URINGBLK_SC_LBA_RANGE, uringblk_last_status(dev));
	s = uringblk_dev_strerror(dev, -ERANGE);
	EXPECT_NE(NULL, strstr(s, "LBA Out of Range")) TH_LOG("%s", s);
	/* a command that succeeds clears it */
	EXPECT_EQ(16, uringblk_mem_read(dev, 0, self->buf, 16));
	EXPECT_EQ(0, uringblk_last_status(dev));
	uringblk_close(dev);
}

TEST_HARNESS_MAIN
