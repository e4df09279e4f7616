// SPDX-License-Identifier: GPL-2.0
/*
 * Command statuses (uAPI "Command statuses", ABI 1.9): for each failure
 * the drive names a status for, the errno in cqe->res and the status in
 * big_cqe[0] are the pair driver/status.c's table gives, failures that
 * share an errno have different statuses (-ERANGE: Invalid Program Index,
 * Invalid Memory Range Set, LBA Out of Range; -EBUSY, -ENOSPC, -E2BIG,
 * -EPERM likewise), a bare errno gets the generic status of its errno, a
 * stopped run the vendor status of its abort code, and EXEC's -EOVERFLOW
 * keeps r0 in big_cqe[0].  The zone commands (fixture zst, a zoned drive)
 * answer the ZNS statuses with the errnos the uAPI has always given.
 * liburingblk knows the name of every status it meets here, and
 * uringblk_dev_strerror() names the one its last command got.
 */
#include <fcntl.h>
#include <linux/blkzoned.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "harness.h"
#include "prog_test.h"

#include <liburingblk.h>

#define R0 0
#define R1 1
#define R6 6
#define R10 10
#define PAGE 4096

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
	prog_load_cmd(&cmd, ubp_ret_arg, UBP_NINSNS(ubp_ret_arg), URINGBLK_MAX_PROGS + 1);
	res = run(self, self->cfd, URINGBLK_CMD_PROG_LOAD, &cmd, &st);
	EXPECT_STATUS(ERANGE, URINGBLK_SC_INVALID_PROG_INDEX, res, st);

	prog_load_cmd(&cmd, ubp_ret_arg, UBP_NINSNS(ubp_ret_arg), dd);
	res = run(self, self->cfd, URINGBLK_CMD_PROG_LOAD, &cmd, &st);
	EXPECT_STATUS(EPERM, URINGBLK_SC_PROG_NOT_DOWNLOADABLE, res, st);

	id = ubp_load_slot(&self->ring, self->cfd, ubp_ret_arg, UBP_NINSNS(ubp_ret_arg),
			   "a", 1, NULL, 0);
	ASSERT_LT(0, id);
	prog_load_cmd(&cmd, ubp_ret_arg, UBP_NINSNS(ubp_ret_arg), 1);
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
		ASSERT_LT(0, ubp_load_slot(&self->ring, self->cfd, ubp_ret_arg,
					   UBP_NINSNS(ubp_ret_arg), "f", pind, NULL, 0));
	prog_load_cmd(&cmd, ubp_ret_arg, UBP_NINSNS(ubp_ret_arg), 0);
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
	id = ubp_load_slot(&self->ring, self->cfd, ubp_ret_arg, UBP_NINSNS(ubp_ret_arg),
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
	id = ubp_load(&self->ring, self->cfd, ubp_count_loop, UBP_NINSNS(ubp_count_loop),
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

/*
 * The zone statuses, on a zoned drive: zone 0 conventional, 1-7
 * sequential, at most 2 open and 3 active zones.
 */
#define ZST_PARAMS "capacity_mb=32 nr_devices=1 zoned=1 zone_size_mb=4 zone_nr_conv=1 " \
		   "zone_max_open=2 zone_max_active=3"
#define ZST_FAULT "/sys/block/uringblk0/fault/"

FIXTURE(zst) {
	struct io_uring ring;
	int cfd;
	struct uringblk_identify id;
	uint64_t zone_lbas;
	uint8_t *buf;		/* one zone of data */
	uint8_t reply[UBP_RES_SIZE];
};

FIXTURE_SETUP(zst)
{
	self->ring.ring_fd = -1;
	self->cfd = -1;
	self->buf = NULL;
	UBT_SETUP_MODULE(ubt_module_reload, ZST_PARAMS);
	if (access(ZST_FAULT "zone_offline", W_OK))
		UBT_SETUP_SKIP("the driver has no zone fault injection");
	self->cfd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, self->cfd);
	ASSERT_EQ(0, ubt_ring_init(&self->ring, 0));
	ASSERT_EQ(sizeof(self->id), ubt_identify(&self->ring, self->cfd, &self->id));
	ASSERT_TRUE(self->id.features & URINGBLK_F_ZONED);
	ASSERT_EQ(1, self->id.nr_conv_zones);
	self->zone_lbas = self->id.zone_size / self->id.logical_block_size;
	self->buf = ubt_alloc(self->id.zone_size);
	ASSERT_NE(NULL, self->buf);
	memset(self->buf, 0x5a, self->id.zone_size);
}

FIXTURE_TEARDOWN(zst)
{
	ubt_write_str(ZST_FAULT "clear", "1");
	if (self->buf)
		munmap(self->buf, self->id.zone_size);
	if (self->cfd >= 0)
		close(self->cfd);
	if (self->ring.ring_fd >= 0)
		io_uring_queue_exit(&self->ring);
}

/* ZONE_MGMT of the zone at @lba: cqe->res, big_cqe[0] in *st. */
static int zmgmt(FIXTURE_DATA(zst) *self, uint64_t lba, uint64_t action, uint64_t *st)
{
	struct uringblk_cmd cmd;

	*st = ~0ULL;
	word_cmd(&cmd, NULL, 0, lba, action);
	return ubt_uring_cmd(&self->ring, self->cfd, URINGBLK_CMD_ZONE_MGMT, &cmd, st);
}

/* ZONE_APPEND of @nr blocks to the zone at @lba: cqe->res, big_cqe[0]. */
static int zappend(FIXTURE_DATA(zst) *self, uint64_t lba, uint64_t nr, uint64_t *st)
{
	struct uringblk_cmd cmd;

	*st = ~0ULL;
	word_cmd(&cmd, self->buf, nr * self->id.logical_block_size, lba, 0);
	return ubt_uring_cmd(&self->ring, self->cfd, URINGBLK_CMD_ZONE_APPEND, &cmd, st);
}

/* A fault knob: put zone @zno in a bad condition. */
static int zknob(const char *name, int zno)
{
	char path[128], val[16];

	snprintf(path, sizeof(path), ZST_FAULT "%s", name);
	snprintf(val, sizeof(val), "%d", zno);
	return ubt_write_str(path, val);
}

#define ZL(zno) ((uint64_t)(zno) * self->zone_lbas)

/* Full zones, invalid transitions, LBAs that are not a zone start. */
TEST_F(zst, full_transition_field)
{
	const uint64_t max = self->id.max_zone_append / self->id.logical_block_size;
	uint64_t st, left = self->zone_lbas - 1;
	int res;

	/* a full zone: append, and the room left smaller than the append */
	ASSERT_EQ(0, zmgmt(self, ZL(1), URINGBLK_ZONE_ACTION_FINISH, &st));
	res = zappend(self, ZL(1), 1, &st);
	EXPECT_STATUS(ENOSPC, URINGBLK_SC_ZONE_FULL, res, st);
	ASSERT_EQ(0, zappend(self, ZL(2), 1, &st));
	EXPECT_EQ(ZL(2), st);
	for (; left >= max; left -= max)
		ASSERT_EQ(0, zappend(self, ZL(2), max, &st));
	res = zappend(self, ZL(2), max, &st);
	EXPECT_STATUS(ENOSPC, URINGBLK_SC_ZONE_FULL, res, st);
	/* OPEN of a full zone keeps its errno, so its status is Zone Is Full */
	res = zmgmt(self, ZL(1), URINGBLK_ZONE_ACTION_OPEN, &st);
	EXPECT_STATUS(ENOSPC, URINGBLK_SC_ZONE_FULL, res, st);

	/* CLOSE of a zone that is not open: empty, full */
	res = zmgmt(self, ZL(3), URINGBLK_ZONE_ACTION_CLOSE, &st);
	EXPECT_STATUS(EINVAL, URINGBLK_SC_ZONE_INVALID_TRANSITION, res, st);
	res = zmgmt(self, ZL(1), URINGBLK_ZONE_ACTION_CLOSE, &st);
	EXPECT_STATUS(EINVAL, URINGBLK_SC_ZONE_INVALID_TRANSITION, res, st);

	/* not a zone start, an unknown action: Invalid Field, as ZNS has it */
	res = zmgmt(self, ZL(3) + 1, URINGBLK_ZONE_ACTION_OPEN, &st);
	EXPECT_STATUS(EINVAL, URINGBLK_SC_INVALID_FIELD, res, st);
	res = zappend(self, ZL(3) + 1, 1, &st);
	EXPECT_STATUS(EINVAL, URINGBLK_SC_INVALID_FIELD, res, st);
	res = zmgmt(self, ZL(3), URINGBLK_ZONE_ACTION_RESET_ALL + 1, &st);
	EXPECT_STATUS(EINVAL, URINGBLK_SC_INVALID_FIELD, res, st);
	/* past the end; a conventional zone */
	res = zmgmt(self, ZL(8), URINGBLK_ZONE_ACTION_OPEN, &st);
	EXPECT_STATUS(ERANGE, URINGBLK_SC_LBA_RANGE, res, st);
	res = zmgmt(self, ZL(0), URINGBLK_ZONE_ACTION_OPEN, &st);
	EXPECT_STATUS(EMEDIUMTYPE, URINGBLK_SC_INVALID_FIELD, res, st);
}

/* The open and active limits: Too Many Open Zones, Too Many Active Zones. */
TEST_F(zst, limits)
{
	uint64_t st;
	int res;

	ASSERT_EQ(0, zmgmt(self, ZL(1), URINGBLK_ZONE_ACTION_OPEN, &st));
	ASSERT_EQ(0, zmgmt(self, ZL(2), URINGBLK_ZONE_ACTION_OPEN, &st));
	res = zmgmt(self, ZL(3), URINGBLK_ZONE_ACTION_OPEN, &st);
	EXPECT_STATUS(ETOOMANYREFS, URINGBLK_SC_ZONE_TOO_MANY_OPEN, res, st);
	res = zappend(self, ZL(3), 1, &st);
	EXPECT_STATUS(ETOOMANYREFS, URINGBLK_SC_ZONE_TOO_MANY_OPEN, res, st);

	/* written and closed zones stay active: 3 of 3 */
	ASSERT_EQ(0, zmgmt(self, 0, URINGBLK_ZONE_ACTION_RESET_ALL, &st));
	for (int z = 1; z <= 3; z++) {
		ASSERT_EQ(0, zappend(self, ZL(z), 1, &st));
		ASSERT_EQ(0, zmgmt(self, ZL(z), URINGBLK_ZONE_ACTION_CLOSE, &st));
	}
	res = zmgmt(self, ZL(4), URINGBLK_ZONE_ACTION_OPEN, &st);
	EXPECT_STATUS(EOVERFLOW, URINGBLK_SC_ZONE_TOO_MANY_ACTIVE, res, st);
	res = zappend(self, ZL(4), 1, &st);
	EXPECT_STATUS(EOVERFLOW, URINGBLK_SC_ZONE_TOO_MANY_ACTIVE, res, st);
}

/*
 * Bad zones (fault injection): read-only and offline zones refuse every
 * write-side command with their own status; offline is -EIO, as before,
 * but no longer an Unrecovered Read Error.  EXEC's ZONE_WP range: Zone
 * Boundary Error across a zone boundary, Zone Is Offline.
 */
TEST_F(zst, bad_zones_and_boundary)
{
	struct ubp_exec e = { .count = 2 };
	struct uringblk_cmd cmd;
	uint64_t st;
	int id, res;

	ASSERT_EQ(0, zknob("zone_readonly", 5));
	ASSERT_EQ(0, zknob("zone_offline", 6));
	res = zappend(self, ZL(5), 1, &st);
	EXPECT_STATUS(EROFS, URINGBLK_SC_ZONE_READ_ONLY, res, st);
	res = zmgmt(self, ZL(5), URINGBLK_ZONE_ACTION_RESET, &st);
	EXPECT_STATUS(EROFS, URINGBLK_SC_ZONE_READ_ONLY, res, st);
	res = zappend(self, ZL(6), 1, &st);
	EXPECT_STATUS(EIO, URINGBLK_SC_ZONE_OFFLINE, res, st);
	res = zmgmt(self, ZL(6), URINGBLK_ZONE_ACTION_FINISH, &st);
	EXPECT_STATUS(EIO, URINGBLK_SC_ZONE_OFFLINE, res, st);
	res = zmgmt(self, ZL(6), URINGBLK_ZONE_ACTION_OPEN, &st);
	EXPECT_STATUS(EIO, URINGBLK_SC_ZONE_OFFLINE, res, st);

	id = ubp_load(&self->ring, self->cfd, ubp_ret_arg, UBP_NINSNS(ubp_ret_arg), "z",
		      NULL, 0);
	ASSERT_LT(0, id);
	e.prog = id;
	e.lba = ZL(5) - 1;	/* the last block of zone 4 and the first of 5 */
	ubp_exec_cmd(&cmd, &e, self->reply, sizeof(self->reply));
	cmd.flags = URINGBLK_EXEC_F_ZONE_WP;
	st = ~0ULL;
	res = ubt_uring_cmd(&self->ring, self->cfd, URINGBLK_CMD_EXEC, &cmd, &st);
	EXPECT_STATUS(EINVAL, URINGBLK_SC_ZONE_BOUNDARY_ERROR, res, st);
	e.lba = ZL(6);
	ubp_exec_cmd(&cmd, &e, self->reply, sizeof(self->reply));
	cmd.flags = URINGBLK_EXEC_F_ZONE_WP;
	st = ~0ULL;
	res = ubt_uring_cmd(&self->ring, self->cfd, URINGBLK_CMD_EXEC, &cmd, &st);
	EXPECT_STATUS(EIO, URINGBLK_SC_ZONE_OFFLINE, res, st);
	ubp_unload_all(&self->ring, self->cfd);
}

TEST_HARNESS_MAIN
