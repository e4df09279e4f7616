// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Offload over files (drive ABI 1.4, liburingblk 1.6) byte for byte: the
 * SQEs of uringblk_prep_exec_extents(), of uringblk_prep_execute() with a
 * data_len and of uringblk_prep_mem_copy() with a zero range, against
 * offsets written out by hand from <linux/uringblk.h> (cdw[i] is at SQE
 * byte 72 + 8 i); the layouts of struct uringblk_extent, the exec_ext
 * view and the identify limit; uringblk_exec_extents() and the 1.5
 * uringblk_execute() over a real ring without the driver (/dev/zero:
 * -EOPNOTSUPP, /dev/null: "res 0"); the strerror texts of the refusals.
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

/* lib/prog.c: uringblk_execute@LIBURINGBLK_1.5, over 1.5's struct */
struct execute_args_1_5 {
	__u32	pind;
	__u32	rsid;
	__u64	budget;
	__u64	cparam[2];
	__u64	arg2;
};
int uringblk_execute_1_5(struct uringblk_dev *dev,
			 const struct execute_args_1_5 *a,
			 struct uringblk_exec_result *res, void *out,
			 size_t out_len);

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

static void sqe_head(uint8_t *want, uint32_t cmd_op, uint32_t flags,
		     const void *addr, uint32_t len)
{
	memset(want, 0, SQE_BYTES);
	want[0] = IORING_OP_URING_CMD;
	put32(want + 4, 13);			/* fd */
	put32(want + 8, cmd_op);
	put16(want + 48, URINGBLK_ABI_MAJOR);
	put16(want + 50, URINGBLK_ABI_MINOR);
	put32(want + 52, flags);
	put64(want + 56, (uintptr_t)addr);
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
	CHECK_EQ(URINGBLK_ABI_MINOR >= 4, 1);
	CHECK_EQ(URINGBLK_EXEC_F_EXTENTS, 1u << 1);
	CHECK_EQ(URINGBLK_EXTENT_F_ZERO, 1u << 0);
	CHECK_EQ(URINGBLK_COPY_F_ZERO, 1u << 0);
	CHECK_EQ(URINGBLK_F_EXTENTS, 1ULL << 10);
	CHECK_EQ(URINGBLK_MAX_EXEC_EXTENTS, 65536);
	CHECK_EQ(sizeof(struct uringblk_extent), 24);
	CHECK_EQ(offsetof(struct uringblk_extent, len), 8);
	CHECK_EQ(offsetof(struct uringblk_extent, flags), 16);
	CHECK_EQ(offsetof(struct uringblk_extent, rsvd), 20);
	/* the exec_ext view: EXEC's words, cdw[1..2] the list */
	CHECK_EQ(offsetof(struct uringblk_cmd, exec_ext.prog_id), 24);
	CHECK_EQ(offsetof(struct uringblk_cmd, exec_ext.ext_addr), 32);
	CHECK_EQ(offsetof(struct uringblk_cmd, exec_ext.nr_ext), 40);
	CHECK_EQ(offsetof(struct uringblk_cmd, exec_ext.insn_budget), 48);
	CHECK_EQ(offsetof(struct uringblk_cmd, exec_ext.args), 56);
	CHECK_EQ(sizeof(((struct uringblk_cmd *)0)->exec_ext),
		 sizeof(((struct uringblk_cmd *)0)->exec));
	CHECK_EQ(offsetof(struct uringblk_cmd, execute.data_len), 72);
	CHECK_EQ(offsetof(struct uringblk_identify, max_exec_extents), 224);
	CHECK_EQ(offsetof(struct uringblk_identify, engines), 228);	/* was rsvd1 until ABI 1.6 */
	CHECK_EQ(offsetof(struct uringblk_identify, rsvd), 232);
	CHECK_EQ(offsetof(struct uringblk_identify, timing_link_mbps), 256);
	CHECK_EQ(sizeof(struct uringblk_identify), 296);	/* ABI 1.5 appended the timing model's 40 bytes */
	CHECK(URINGBLK_LIB_VERSION_MINOR >= 6);	/* the 1.6 calls are there */
}

static void test_prep_exec_extents(void)
{
	uint8_t slots[2 * SQE_BYTES] __attribute__((aligned(64)));
	uint8_t want[SQE_BYTES];
	static uint64_t reply[8 + 512];
	static const struct uringblk_extent ext[3] = {
		{ .lba = 100, .len = 4097 },
		{ .len = 512, .flags = URINGBLK_EXTENT_F_ZERO },
		{ .lba = 7, .len = 1 },
	};
	struct uringblk_exec_args a = {
		.prog_id	= 9,
		.lba_start	= 0xdead,	/* not used with extents */
		.lba_count	= 0xbeef,
		.budget		= 1 << 24,
		.args		= { 0x6168706c41ULL, 0, 5 },
	};

	sqe_head(want, 0xc0505513u, URINGBLK_EXEC_F_EXTENTS, reply, sizeof(reply));
	put64(want + 72, 9);				/* cdw[0] prog_id */
	put64(want + 80, (uintptr_t)ext);		/* cdw[1] ext_addr */
	put64(want + 88, 3);				/* cdw[2] nr_ext */
	put64(want + 96, 1 << 24);			/* cdw[3] insn_budget */
	put64(want + 104, 0x6168706c41ULL);		/* cdw[4..6] args */
	put64(want + 120, 5);
	memset(slots, GUARD, sizeof(slots));
	uringblk_prep_exec_extents((struct io_uring_sqe *)slots, 13, &a, ext, 3,
				   reply, sizeof(reply));
	check_sqe(slots, want, "exec_extents");

	/* the caller's flags go along (the drive refuses ZONE_WP with it) */
	a.flags = URINGBLK_EXEC_F_ZONE_WP;
	put32(want + 52, URINGBLK_EXEC_F_EXTENTS | URINGBLK_EXEC_F_ZONE_WP);
	memset(slots, GUARD, sizeof(slots));
	uringblk_prep_exec_extents((struct io_uring_sqe *)slots, 13, &a, ext, 3,
				   reply, sizeof(reply));
	check_sqe(slots, want, "exec_extents with a flag");
}

static void test_prep_execute_data_len(void)
{
	uint8_t slots[2 * SQE_BYTES] __attribute__((aligned(64)));
	uint8_t want[SQE_BYTES];
	static uint64_t reply[8];
	struct uringblk_execute_args a = {
		.pind		= 3,
		.rsid		= 4,
		.cparam		= { 1, 2 },
		.arg2		= 3,
		.data_len	= 0x123456789ULL,
	};

	sqe_head(want, 0xc0505515u, 0, reply, sizeof(reply));
	put64(want + 72, 3);			/* cdw[0] pind */
	put64(want + 80, 4);			/* cdw[1] rsid */
	put64(want + 96, 1);			/* cdw[3..4] cparam */
	put64(want + 104, 2);
	put64(want + 112, 3);			/* cdw[5] arg2 */
	put64(want + 120, 0x123456789ULL);	/* cdw[6] data_len */
	memset(slots, GUARD, sizeof(slots));
	uringblk_prep_execute((struct io_uring_sqe *)slots, 13, &a, reply,
			      sizeof(reply));
	check_sqe(slots, want, "execute data_len");
}

static void test_prep_mem_copy_zero(void)
{
	uint8_t slots[2 * SQE_BYTES] __attribute__((aligned(64)));
	uint8_t want[SQE_BYTES], bytes[32];
	struct uringblk_copy_range cr[2] = {
		{ .slba = 0x10, .nlb = 8 },
		{ .nlb = 3, .flags = URINGBLK_COPY_F_ZERO },
	};

	sqe_head(want, 0xc0505532u, 0, cr, sizeof(cr));
	put64(want + 72, 4096);			/* cdw[0] slm_off */
	put64(want + 80, 2);			/* cdw[1] nr_ranges */
	memset(slots, GUARD, sizeof(slots));
	uringblk_prep_mem_copy((struct io_uring_sqe *)slots, 13, 4096, cr, 2);
	check_sqe(slots, want, "mem_copy zero range");
	/* the ranges as the drive reads them */
	memset(bytes, 0, sizeof(bytes));
	put64(bytes, 0x10);
	put32(bytes + 8, 8);
	put32(bytes + 24, 3);
	put32(bytes + 28, 1);			/* flags: F_ZERO */
	CHECK_EQ(first_diff((const uint8_t *)cr, bytes, sizeof(bytes)), -1);
}

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
	struct uringblk_extent ext[2] = { { .lba = 1, .len = 10 } };
	struct uringblk_exec_args a = { .prog_id = 1 };
	struct execute_args_1_5 old = { .pind = 1, .rsid = 1 };
	struct uringblk_exec_result res;
	struct uringblk_dev *dev;
	char out[16];

	dev = open_fake("/dev/zero");
	if (!dev)
		return;
	memset(&res, 0xee, sizeof(res));
	CHECK_EQ(uringblk_exec_extents(dev, &a, ext, 1, &res, out, sizeof(out)),
		 -EOPNOTSUPP);
	CHECK_EQ(res.r0 | res.out_len | res.insns | res.abort_code, 0);
	CHECK_EQ(uringblk_execute_1_5(dev, &old, &res, NULL, 0), -EOPNOTSUPP);
	uringblk_close(dev);

	dev = open_fake("/dev/null");
	if (!dev)
		return;
	CHECK_EQ(uringblk_exec_extents(dev, &a, ext, 2, &res, NULL, 0), 0);
	CHECK_EQ(uringblk_execute_1_5(dev, &old, &res, NULL, 0), 0);
	/* the library's own refusals */
	CHECK_EQ(uringblk_exec_extents(NULL, &a, ext, 1, &res, NULL, 0), -EINVAL);
	CHECK_EQ(uringblk_exec_extents(dev, NULL, ext, 1, &res, NULL, 0), -EINVAL);
	CHECK_EQ(uringblk_exec_extents(dev, &a, NULL, 1, &res, NULL, 0), -EINVAL);
	CHECK_EQ(uringblk_exec_extents(dev, &a, ext, 1, NULL, NULL, 0), -EINVAL);
	CHECK_EQ(uringblk_exec_extents(dev, &a, ext, 1, &res, NULL, 8), -EINVAL);
	CHECK_EQ(uringblk_execute_1_5(dev, NULL, &res, NULL, 0), -EINVAL);
	uringblk_close(dev);
}

static void check_cmd_means(__u32 op, int err, const char *needle)
{
	const char *s = uringblk_strerror_cmd(op, -err);

	if (!strstr(s, needle))
		fprintf(stderr, "op %#x errno %d: \"%s\" lacks \"%s\"\n", op, err,
			s, needle);
	CHECK(strstr(s, needle) != NULL);
	CHECK(s == uringblk_strerror_cmd(op, err));
}

static void test_strerror_cmd(void)
{
	check_cmd_means(URINGBLK_CMD_EXEC, ERANGE, "an extent lies outside");
	check_cmd_means(URINGBLK_CMD_EXEC, E2BIG, "identify.max_exec_extents");
	check_cmd_means(URINGBLK_CMD_EXEC, EINVAL, "a zero extent with an LBA");
	check_cmd_means(URINGBLK_CMD_EXECUTE, ERANGE, "data_len beyond the set");
	check_cmd_means(URINGBLK_CMD_EXECUTE, ERANGE, "Invalid Program Index (8Fh)");
	check_cmd_means(URINGBLK_CMD_MEM_COPY, EINVAL, "zero range (COPY_F_ZERO)");
	/* EXEC's other errnos stay the general ones */
	CHECK(uringblk_strerror_cmd(URINGBLK_CMD_EXEC, -EFAULT) ==
	      uringblk_strerror(-EFAULT));
	/* a missing program id is No Program (96h), as for PROG_UNLOAD */
	check_cmd_means(URINGBLK_CMD_EXEC, ENOENT, "No Program (96h)");
}

int main(void)
{
	test_layout();
	test_prep_exec_extents();
	test_prep_execute_data_len();
	test_prep_mem_copy_zero();
	test_calls();
	test_strerror_cmd();
	return test_summary("extent_prep");
}
