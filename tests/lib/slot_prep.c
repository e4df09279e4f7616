// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Program slots and EXECUTE (ABI 1.3) byte for byte: the SQEs of
 * uringblk_prep_prog_activate() and uringblk_prep_execute() and the
 * PROG_LOAD pind word, against offsets written out by hand from
 * <linux/uringblk.h> (cdw[i] is at SQE byte 72 + 8 i); the new structs'
 * layouts; the new calls over a real ring without the driver (/dev/zero:
 * -EOPNOTSUPP, /dev/null: "res 0"); the strerror texts of the statuses.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "private.h"
#include "test.h"

#define SQE_BYTES	128
#define GUARD		0x5a

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static int first_diff(const uint8_t *a, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return (int)i;
	return -1;
}

/* The SQE head every command has: opcode, fd, cmd_op, abi, addr/len. */
static void sqe_head(uint8_t *want, uint32_t cmd_op, uint64_t addr, uint32_t len)
{
	memset(want, 0, SQE_BYTES);
	want[0] = IORING_OP_URING_CMD;
	put32(want + 4, 13);			/* fd */
	put32(want + 8, cmd_op);
	put16(want + 48, URINGBLK_ABI_MAJOR);
	put16(want + 50, URINGBLK_ABI_MINOR);
	put64(want + 56, addr);
	put32(want + 64, len);
}

static void check_sqe(const uint8_t *slots, const uint8_t *want, const char *what)
{
	int diff = first_diff(slots, want, SQE_BYTES), i;

	if (diff >= 0)
		fprintf(stderr, "%s: SQE byte %d is 0x%02x, want 0x%02x\n",
			what, diff, slots[diff], want[diff]);
	CHECK(diff < 0);
	for (i = SQE_BYTES; i < 2 * SQE_BYTES && slots[i] == GUARD; i++)
		;
	CHECK_EQ(i, 2 * SQE_BYTES);
}

static void test_layout(void)
{
	CHECK_EQ(URINGBLK_CMD_PROG_ACTIVATE, 0xc0505514u);
	CHECK_EQ(URINGBLK_CMD_EXECUTE, 0xc0505515u);
	CHECK_EQ(offsetof(struct uringblk_cmd, prog_load.pind), 72);
	CHECK_EQ(offsetof(struct uringblk_cmd, prog_activate.pind), 24);
	CHECK_EQ(offsetof(struct uringblk_cmd, prog_activate.action), 32);
	CHECK_EQ(offsetof(struct uringblk_cmd, execute.pind), 24);
	CHECK_EQ(offsetof(struct uringblk_cmd, execute.rsid), 32);
	CHECK_EQ(offsetof(struct uringblk_cmd, execute.insn_budget), 40);
	CHECK_EQ(offsetof(struct uringblk_cmd, execute.cparam), 48);
	CHECK_EQ(offsetof(struct uringblk_cmd, execute.arg2), 64);
	CHECK_EQ(offsetof(struct uringblk_prog_info, pind), 48);
	CHECK_EQ(offsetof(struct uringblk_prog_info, type), 52);
	CHECK_EQ(offsetof(struct uringblk_prog_info, flags), 54);
	CHECK_EQ(offsetof(struct uringblk_prog_info, globals_len), 56);
	CHECK_EQ(sizeof(struct uringblk_prog_info), 80);
	/* the library struct: no hidden padding; data_len appended in 1.6 */
	CHECK_EQ(sizeof(struct uringblk_execute_args), 48);
	CHECK_EQ(offsetof(struct uringblk_execute_args, rsid), 4);
	CHECK_EQ(offsetof(struct uringblk_execute_args, budget), 8);
	CHECK_EQ(offsetof(struct uringblk_execute_args, cparam), 16);
	CHECK_EQ(offsetof(struct uringblk_execute_args, arg2), 32);
	CHECK_EQ(offsetof(struct uringblk_execute_args, data_len), 40);
}

static void test_prep_activate(void)
{
	uint8_t slots[2 * SQE_BYTES] __attribute__((aligned(64)));
	uint8_t want[SQE_BYTES];

	sqe_head(want, 0xc0505514u, 0, 0);
	put64(want + 72, 0x101);		/* cdw[0] pind */
	put64(want + 80, 1);			/* cdw[1] action */
	memset(slots, GUARD, sizeof(slots));
	uringblk_prep_prog_activate((struct io_uring_sqe *)slots, 13, 0x101,
				    URINGBLK_PROG_ACT_ACTIVATE);
	check_sqe(slots, want, "activate");

	put64(want + 72, 7);
	put64(want + 80, 0);
	uringblk_prep_prog_activate((struct io_uring_sqe *)slots, 13, 7,
				    URINGBLK_PROG_ACT_DEACTIVATE);
	check_sqe(slots, want, "deactivate");
	/* an unknown action goes as it is: the drive says -EINVAL */
	put64(want + 80, ~0ULL);
	uringblk_prep_prog_activate((struct io_uring_sqe *)slots, 13, 7, -1);
	check_sqe(slots, want, "bad action");
}

static void test_prep_execute(void)
{
	uint8_t slots[2 * SQE_BYTES] __attribute__((aligned(64)));
	uint8_t want[SQE_BYTES];
	static uint64_t reply[8 + 64];
	struct uringblk_execute_args a = {
		.pind	= 0x100,
		.rsid	= 0x12345678,
		.budget	= 1 << 20,
		.cparam	= { 0x6168706c41ULL, 0xfedcba9876543210ULL },
		.arg2	= 5,
	};

	sqe_head(want, 0xc0505515u, (uintptr_t)reply, sizeof(reply));
	put64(want + 72, 0x100);		/* cdw[0] pind */
	put64(want + 80, 0x12345678);		/* cdw[1] rsid */
	put64(want + 88, 1 << 20);		/* cdw[2] insn_budget */
	put64(want + 96, 0x6168706c41ULL);	/* cdw[3] cparam[0] */
	put64(want + 104, 0xfedcba9876543210ULL); /* cdw[4] cparam[1] */
	put64(want + 112, 5);			/* cdw[5] arg2; cdw[6] zero */
	memset(slots, GUARD, sizeof(slots));
	uringblk_prep_execute((struct io_uring_sqe *)slots, 13, &a, reply,
			      sizeof(reply));
	check_sqe(slots, want, "execute");
}

static const struct bpf_insn ret1[2] = {
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 1 },
	{ .code = BPF_JMP | BPF_EXIT },
};

static struct uringblk_dev *open_fake(const char *node)
{
	struct uringblk_dev *dev = NULL;
	int fd, ret;

	fd = open(node, O_RDWR | O_CLOEXEC);
	CHECK(fd >= 0);
	ret = uringblk_dev_new(0, fd, NULL, true, &dev);
	if (ret == -ENOSYS || ret == -EPERM) {
		SKIP("io_uring unavailable");
		return NULL;
	}
	CHECK_EQ(ret, 0);
	return dev;
}

static void test_calls(void)
{
	struct uringblk_execute_args a = { .pind = 1, .rsid = 1 };
	struct uringblk_exec_result res;
	struct uringblk_prog_info info;
	struct uringblk_dev *dev;
	char name33[34], out[16];

	dev = open_fake("/dev/zero");
	if (!dev)
		return;
	CHECK_EQ(uringblk_prog_load_slot(dev, ret1, 2, "r1", 3, NULL, 0), -EOPNOTSUPP);
	CHECK_EQ(uringblk_prog_activate(dev, 3, 1), -EOPNOTSUPP);
	CHECK_EQ(uringblk_prog_find(dev, "r1", &info), -EOPNOTSUPP);
	memset(&res, 0xee, sizeof(res));
	CHECK_EQ(uringblk_execute(dev, &a, &res, out, sizeof(out)), -EOPNOTSUPP);
	CHECK_EQ(res.r0 | res.out_len | res.insns | res.abort_code, 0);
	uringblk_close(dev);

	dev = open_fake("/dev/null");
	if (!dev)
		return;
	/* nothing listed: no such name */
	CHECK_EQ(uringblk_prog_find(dev, "r1", &info), -ENOENT);
	memset(name33, 'n', 33);
	name33[33] = '\0';
	CHECK_EQ(uringblk_prog_find(dev, name33, &info), -ENAMETOOLONG);
	CHECK_EQ(uringblk_prog_find(dev, NULL, &info), -EINVAL);
	CHECK_EQ(uringblk_prog_activate(dev, 3, 0), 0);
	CHECK_EQ(uringblk_execute(dev, &a, &res, NULL, 0), 0);
	CHECK_EQ(uringblk_execute(NULL, &a, &res, NULL, 0), -EINVAL);
	CHECK_EQ(uringblk_execute(dev, &a, &res, NULL, 8), -EINVAL);
	uringblk_close(dev);
}

static void test_strerror(void)
{
	CHECK(strstr(uringblk_strerror(-EBUSY), "in use") != NULL);
	CHECK(strstr(uringblk_strerror(-EDQUOT), "activated") != NULL);
	CHECK(strstr(uringblk_strerror(-ENOEXEC), "not activated") != NULL);
	CHECK(strstr(uringblk_strerror(-EBADSLT), "range set") != NULL);
	CHECK(strstr(uringblk_strerror(-ERANGE), "program index") != NULL);
	CHECK(strstr(uringblk_strerror(-EPERM), "device-defined") != NULL);
}

int main(void)
{
	test_layout();
	test_prep_activate();
	test_prep_execute();
	test_calls();
	test_strerror();
	return test_summary("slot_prep");
}
