// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Zone commands byte for byte: the SQEs of uringblk_prep_report_zones(),
 * uringblk_prep_zone_mgmt() and uringblk_prep_zone_append(), against
 * offsets written out by hand from <linux/uringblk.h> (cdw[i] is at SQE
 * byte 72 + 8 i), and struct uringblk_zone's layout.  Also the name
 * tables.
 */
#include <stdint.h>
#include <string.h>

#include "private.h"
#include "test.h"

#define SQE_BYTES	128
#define GUARD		0x3c

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

/* The common part of every uringblk SQE; the rest zero. */
static void want_sqe(uint8_t *w, int fd, uint32_t cmd_op, const void *addr,
		     uint32_t len)
{
	memset(w, 0, SQE_BYTES);
	w[0] = IORING_OP_URING_CMD;
	put32(w + 4, (uint32_t)fd);
	put32(w + 8, cmd_op);
	put16(w + 48, URINGBLK_ABI_MAJOR);
	put16(w + 50, URINGBLK_ABI_MINOR);
	put64(w + 56, (uint64_t)(uintptr_t)addr);
	put32(w + 64, len);
}

/* slots[0] must equal @want; slots[1] (the guard) must be untouched. */
static void check_sqe(const char *what, const uint8_t *slots, const uint8_t *want)
{
	int diff = first_diff(slots, want, SQE_BYTES), i;

	if (diff >= 0)
		fprintf(stderr, "%s: SQE byte %d is 0x%02x, want 0x%02x\n", what,
			diff, slots[diff], want[diff]);
	CHECK(diff < 0);
	for (i = SQE_BYTES; i < 2 * SQE_BYTES && slots[i] == GUARD; i++)
		;
	CHECK_EQ(i, 2 * SQE_BYTES);
}

static void test_layout(void)
{
	CHECK_EQ(sizeof(struct uringblk_zone), 64);
	CHECK_EQ(offsetof(struct uringblk_zone, len), 8);
	CHECK_EQ(offsetof(struct uringblk_zone, capacity), 16);
	CHECK_EQ(offsetof(struct uringblk_zone, wp), 24);
	CHECK_EQ(offsetof(struct uringblk_zone, type), 32);
	CHECK_EQ(offsetof(struct uringblk_zone, cond), 33);
	CHECK_EQ(offsetof(struct uringblk_zone, write_ops), 40);
	CHECK_EQ(offsetof(struct uringblk_zone, reset_ops), 48);
	/* _IOWR('U', nr, 80-byte struct) */
	CHECK_EQ(URINGBLK_CMD_REPORT_ZONES, 0xc0505520u);
	CHECK_EQ(URINGBLK_CMD_ZONE_MGMT, 0xc0505521u);
	CHECK_EQ(URINGBLK_CMD_ZONE_APPEND, 0xc0505522u);
	/* the block layer's values (enum blk_zone_cond / blk_zone_type) */
	CHECK_EQ(URINGBLK_ZONE_COND_EXP_OPEN, 3);
	CHECK_EQ(URINGBLK_ZONE_COND_FULL, 14);
	CHECK_EQ(URINGBLK_ZONE_TYPE_SEQWRITE_REQ, 2);
	/* identify's zone fields came out of rsvd: same size, aligned (the
	 * timing model appended 40 bytes in ABI 1.5) */
	CHECK_EQ(sizeof(struct uringblk_identify), 296);
	CHECK_EQ(offsetof(struct uringblk_identify, zone_size), 144);
	CHECK_EQ(offsetof(struct uringblk_identify, nr_zones), 160);
	CHECK_EQ(offsetof(struct uringblk_identify, max_zone_append), 176);
	CHECK_EQ(offsetof(struct uringblk_stats, zone_resets), 176);
	CHECK_EQ(offsetof(struct uringblk_stats, zone_append_bytes), 216);
}

static void test_prep(void)
{
	uint8_t slots[2 * SQE_BYTES] __attribute__((aligned(64)));
	uint8_t want[SQE_BYTES];
	struct uringblk_zone zones[5];
	static char data[8192];
	__u64 lba_out;

	memset(slots, GUARD, sizeof(slots));
	uringblk_prep_report_zones((struct io_uring_sqe *)slots, 9,
				   0x123456789ULL, zones, 5);
	want_sqe(want, 9, 0xc0505520u, zones, 5 * 64);
	put64(want + 72, 0x123456789ULL);		/* cdw[0] report_zones.lba */
	check_sqe("report", slots, want);

	memset(slots, GUARD, sizeof(slots));
	uringblk_prep_zone_mgmt((struct io_uring_sqe *)slots, 9, 524288,
				URINGBLK_ZONE_ACTION_FINISH);
	want_sqe(want, 9, 0xc0505521u, NULL, 0);
	put64(want + 72, 524288);			/* cdw[0] zone_mgmt.zone_lba */
	put64(want + 80, 4);				/* cdw[1] zone_mgmt.action */
	check_sqe("mgmt", slots, want);

	memset(slots, GUARD, sizeof(slots));
	uringblk_prep_zone_mgmt((struct io_uring_sqe *)slots, 9, 0,
				URINGBLK_ZONE_ACTION_RESET_ALL);
	want_sqe(want, 9, 0xc0505521u, NULL, 0);
	put64(want + 80, 5);
	check_sqe("reset_all", slots, want);

	memset(slots, GUARD, sizeof(slots));
	uringblk_prep_zone_append((struct io_uring_sqe *)slots, 9, 1048576,
				  data, sizeof(data), &lba_out);
	want_sqe(want, 9, 0xc0505522u, data, sizeof(data));
	put64(want + 72, 1048576);			/* cdw[0] zone_append.zone_lba */
	put64(want + 80, (uintptr_t)&lba_out);		/* cdw[1] zone_append.lba_out_addr */
	check_sqe("append", slots, want);

	/* no LBA address: lba_out_addr (cdw[1]) is zero */
	memset(slots, GUARD, sizeof(slots));
	uringblk_prep_zone_append((struct io_uring_sqe *)slots, 9, 1048576,
				  data, 512, NULL);
	want_sqe(want, 9, 0xc0505522u, data, 512);
	put64(want + 72, 1048576);
	check_sqe("append-nolba", slots, want);
}

static void test_names(void)
{
	CHECK_STR(uringblk_zone_cond_name(URINGBLK_ZONE_COND_NOT_WP), "not_wp");
	CHECK_STR(uringblk_zone_cond_name(URINGBLK_ZONE_COND_IMP_OPEN), "imp_open");
	CHECK_STR(uringblk_zone_cond_name(URINGBLK_ZONE_COND_OFFLINE), "offline");
	CHECK(uringblk_zone_cond_name(5) == NULL);
	CHECK(uringblk_zone_cond_name(16) == NULL);
	CHECK(uringblk_zone_cond_name(255) == NULL);

	CHECK_EQ(uringblk_zone_action_parse("reset"), URINGBLK_ZONE_ACTION_RESET);
	CHECK_EQ(uringblk_zone_action_parse("open"), URINGBLK_ZONE_ACTION_OPEN);
	CHECK_EQ(uringblk_zone_action_parse("close"), URINGBLK_ZONE_ACTION_CLOSE);
	CHECK_EQ(uringblk_zone_action_parse("finish"), URINGBLK_ZONE_ACTION_FINISH);
	CHECK_EQ(uringblk_zone_action_parse("reset_all"),
		 URINGBLK_ZONE_ACTION_RESET_ALL);
	CHECK_EQ(uringblk_zone_action_parse("Reset"), -EINVAL);
	CHECK_EQ(uringblk_zone_action_parse(""), -EINVAL);
	CHECK_EQ(uringblk_zone_action_parse(NULL), -EINVAL);
}

/* Argument checks that need no device. */
static void test_args(void)
{
	struct uringblk_zone z;

	CHECK_EQ(uringblk_report_zones(NULL, 0, &z, 1), -EINVAL);
	CHECK_EQ(uringblk_zone_mgmt(NULL, 0, URINGBLK_ZONE_ACTION_RESET), -EINVAL);
	CHECK_EQ(uringblk_zone_append(NULL, 0, &z, 512, NULL), -EINVAL);
}

int main(void)
{
	test_layout();
	test_prep();
	test_names();
	test_args();
	return test_summary("zone_prep");
}
