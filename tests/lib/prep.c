// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The prep helpers must produce exactly the SQE the ABI describes.  The
 * expected bytes are built from hard-coded offsets (io_uring's SQE layout
 * and the uringblk_cmd layout in <linux/uringblk.h>), not from the
 * structs, so a layout change on either side is caught here.
 */
#include <stdint.h>
#include <string.h>

#include "private.h"
#include "test.h"

#define SQE_BYTES	128
#define GUARD		0xa5

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

/* The SQE a uringblk command must be: everything else is zero. */
static void expected_sqe(uint8_t *e, int fd, uint32_t cmd_op, uint32_t flags,
			 const void *addr, uint32_t len)
{
	memset(e, 0, SQE_BYTES);
	e[0] = IORING_OP_URING_CMD;		/* opcode */
	put32(e + 4, (uint32_t)fd);		/* fd */
	put32(e + 8, cmd_op);			/* cmd_op; __pad1 at 12 */
	put16(e + 48, URINGBLK_ABI_MAJOR);	/* payload: abi_major */
	put16(e + 50, URINGBLK_ABI_MINOR);
	put32(e + 52, flags);
	put64(e + 56, (uint64_t)(uintptr_t)addr);
	put32(e + 64, len);			/* rsvd0 at 68, cdw[] 72..127 */
}

static int first_diff(const uint8_t *a, const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return (int)i;
	return -1;
}

static void test_layout(void)
{
	CHECK_EQ(sizeof(struct uringblk_cmd), 80);
	CHECK_EQ(offsetof(struct io_uring_sqe, cmd), 48);
	/* 256 and 336 up to ABI 1.4; the timing model appended its words */
	CHECK_EQ(sizeof(struct uringblk_identify), 296);
	/* 416 up to ABI 1.9; 440 with the KV counters (ABI 1.10); the SSD model's (1.12) */
	CHECK_EQ(sizeof(struct uringblk_stats), 576);
	CHECK_EQ(offsetof(struct uringblk_cmd, cdw), 24);
	/* _IOWR('U', nr, 80-byte struct): dir=3, size=80, type='U' */
	CHECK_EQ(URINGBLK_CMD_IDENTIFY, 0xc0505501u);
	CHECK_EQ(URINGBLK_CMD_GET_STATS, 0xc0505502u);
}

/*
 * The named views of the command words sit on the words the uAPI header
 * documents (payload byte 24 + 8 i is cdw[i]); the driver's gate derives
 * which words a command uses from these views' sizes (driver/cmd.c, which
 * asserts the same offsets at build time).  Sizes: the words each view
 * covers, so a view that grows shows here too.
 */
static void test_cmd_views(void)
{
#define AT(field)	offsetof(struct uringblk_cmd, field)
#define SIZE(view)	sizeof(((struct uringblk_cmd *)0)->view)
	CHECK_EQ(AT(prog_load.log_addr), 24);
	CHECK_EQ(AT(prog_load.log_len), 32);
	CHECK_EQ(AT(prog_load.name), 40);
	CHECK_EQ(AT(prog_load.pind), 72);
	CHECK_EQ(SIZE(prog_load), 7 * 8);	/* pind: ABI 1.3 */
	CHECK_EQ(AT(prog_unload.prog_id), 24);
	CHECK_EQ(SIZE(prog_unload), 8);
	CHECK_EQ(AT(prog_list.after_id), 24);
	CHECK_EQ(SIZE(prog_list), 8);
	CHECK_EQ(AT(exec.prog_id), 24);
	CHECK_EQ(AT(exec.lba_start), 32);
	CHECK_EQ(AT(exec.lba_count), 40);
	CHECK_EQ(AT(exec.insn_budget), 48);
	CHECK_EQ(AT(exec.args), 56);
	CHECK_EQ(SIZE(exec), 7 * 8);
	CHECK_EQ(AT(report_zones.lba), 24);
	CHECK_EQ(SIZE(report_zones), 8);
	CHECK_EQ(AT(zone_mgmt.zone_lba), 24);
	CHECK_EQ(AT(zone_mgmt.action), 32);
	CHECK_EQ(SIZE(zone_mgmt), 2 * 8);
	CHECK_EQ(AT(zone_append.zone_lba), 24);
	CHECK_EQ(AT(zone_append.lba_out_addr), 32);
	CHECK_EQ(SIZE(zone_append), 2 * 8);
#undef AT
#undef SIZE
}

static void test_cmd_init(void)
{
	struct uringblk_cmd cmd;
	char buf[8];

	memset(&cmd, 0xff, sizeof(cmd));
	uringblk_cmd_init(&cmd, 0x5, buf, sizeof(buf));
	CHECK_EQ(cmd.abi_major, URINGBLK_ABI_MAJOR);
	CHECK_EQ(cmd.abi_minor, URINGBLK_ABI_MINOR);
	CHECK_EQ(cmd.flags, 0x5);
	CHECK_EQ(cmd.addr, (uintptr_t)buf);
	CHECK_EQ(cmd.len, sizeof(buf));
	CHECK_EQ(cmd.rsvd0, 0);
	for (int i = 0; i < 7; i++)
		CHECK_EQ(cmd.cdw[i], 0);

	uringblk_cmd_init(&cmd, 0, NULL, 0);
	CHECK_EQ(cmd.addr, 0);
}

/*
 * Prep into a slot full of garbage followed by a guard slot: every header
 * byte must be rewritten and nothing past the 128-byte SQE touched.
 */
static void check_prep(const char *what, void (*prep)(struct io_uring_sqe *),
		       int fd, uint32_t cmd_op, uint32_t flags,
		       const void *addr, uint32_t len)
{
	uint8_t slots[2 * SQE_BYTES] __attribute__((aligned(64)));
	uint8_t want[SQE_BYTES];
	int diff, i;

	memset(slots, GUARD, sizeof(slots));
	prep((struct io_uring_sqe *)slots);
	expected_sqe(want, fd, cmd_op, flags, addr, len);
	diff = first_diff(slots, want, SQE_BYTES);
	if (diff >= 0)
		fprintf(stderr, "%s: SQE byte %d is 0x%02x, want 0x%02x\n",
			what, diff, slots[diff], want[diff]);
	CHECK(diff < 0);
	for (i = SQE_BYTES; i < 2 * SQE_BYTES && slots[i] == GUARD; i++)
		;
	CHECK_EQ(i, 2 * SQE_BYTES);
}

static struct uringblk_identify id_buf;
static struct uringblk_stats stats_buf;
static struct uringblk_cmd generic_cmd;

static void prep_identify(struct io_uring_sqe *sqe)
{
	uringblk_prep_identify(sqe, 7, &id_buf);
}

static void prep_stats(struct io_uring_sqe *sqe)
{
	uringblk_prep_get_stats(sqe, 9, &stats_buf, 0);
}

static void prep_stats_reset(struct io_uring_sqe *sqe)
{
	uringblk_prep_get_stats(sqe, 3, &stats_buf, URINGBLK_STATS_F_RESET);
}

static void prep_generic(struct io_uring_sqe *sqe)
{
	uringblk_prep_cmd(sqe, 11, 0xc0505510u, &generic_cmd);
}

static void test_prep(void)
{
	check_prep("identify", prep_identify, 7, URINGBLK_CMD_IDENTIFY, 0,
		   &id_buf, 296);
	check_prep("get_stats", prep_stats, 9, URINGBLK_CMD_GET_STATS, 0,
		   &stats_buf, 576);
	check_prep("get_stats reset", prep_stats_reset, 3,
		   URINGBLK_CMD_GET_STATS, URINGBLK_STATS_F_RESET,
		   &stats_buf, 576);

	/* cdw[] words a later command sets travel unchanged. */
	uint8_t slot[SQE_BYTES] __attribute__((aligned(64)));

	uringblk_cmd_init(&generic_cmd, 2, &id_buf, 64);
	generic_cmd.cdw[0] = 0x1122334455667788ULL;
	generic_cmd.cdw[6] = 42;
	memset(slot, GUARD, sizeof(slot));
	prep_generic((struct io_uring_sqe *)slot);
	CHECK_EQ(slot[0], IORING_OP_URING_CMD);
	CHECK(!memcmp(slot + 48, &generic_cmd, 80));
	CHECK_EQ(((struct io_uring_sqe *)slot)->cmd_op, 0xc0505510u);
}

/* On a real SQE128 ring, the helper fills one slot and leaves the next. */
static void test_ring_slots(void)
{
	struct io_uring_sqe *a, *b;
	struct io_uring ring;
	int ret;

	ret = io_uring_queue_init(4, &ring, IORING_SETUP_SQE128);
	if (ret < 0) {
		SKIP("io_uring unavailable");
		return;
	}
	a = io_uring_get_sqe(&ring);
	b = io_uring_get_sqe(&ring);
	CHECK(a && b);
	if (!a || !b)
		goto out;
	CHECK_EQ((char *)b - (char *)a, SQE_BYTES);
	memset(b, GUARD, SQE_BYTES);
	uringblk_prep_identify(a, 5, &id_buf);
	CHECK_EQ(a->opcode, IORING_OP_URING_CMD);
	CHECK_EQ(((uint8_t *)b)[0], GUARD);
	CHECK_EQ(((uint8_t *)b)[SQE_BYTES - 1], GUARD);
out:
	io_uring_queue_exit(&ring);
}

int main(void)
{
	test_layout();
	test_cmd_views();
	test_cmd_init();
	test_prep();
	test_ring_slots();
	return test_summary("prep");
}
