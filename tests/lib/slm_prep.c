// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Device memory commands byte for byte: the SQEs of the SLM prep helpers
 * against offsets written out by hand from <linux/uringblk.h> (cdw[i] is
 * at SQE byte 72 + 8 i), the layouts of the range structs and identify's
 * and stats' new fields, and uringblk_strerror_cmd()'s statuses.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

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
	/* _IOWR('U', nr, 80-byte struct) */
	CHECK_EQ(URINGBLK_CMD_MEM_READ, 0xc0505530u);
	CHECK_EQ(URINGBLK_CMD_MEM_WRITE, 0xc0505531u);
	CHECK_EQ(URINGBLK_CMD_MEM_COPY, 0xc0505532u);
	CHECK_EQ(URINGBLK_CMD_RANGE_SET_CREATE, 0xc0505533u);
	CHECK_EQ(URINGBLK_CMD_RANGE_SET_DELETE, 0xc0505534u);
	CHECK_EQ(sizeof(struct uringblk_copy_range), 16);
	CHECK_EQ(offsetof(struct uringblk_copy_range, nlb), 8);
	CHECK_EQ(offsetof(struct uringblk_copy_range, flags), 12);	/* was rsvd */
	CHECK_EQ(sizeof(struct uringblk_mem_range), 16);
	CHECK_EQ(offsetof(struct uringblk_mem_range, len), 8);
	CHECK_EQ(URINGBLK_F_SLM, 1ULL << 9);
	CHECK_EQ(offsetof(struct uringblk_identify, slm_size), 184);
	CHECK_EQ(offsetof(struct uringblk_identify, slm_granularity), 192);
	CHECK_EQ(offsetof(struct uringblk_identify, max_range_sets), 196);
	CHECK_EQ(offsetof(struct uringblk_identify, max_set_ranges), 200);
	CHECK_EQ(offsetof(struct uringblk_identify, max_mem_xfer), 204);
	CHECK_EQ(offsetof(struct uringblk_stats, executes), 256);
	CHECK_EQ(offsetof(struct uringblk_stats, mem_reads), 264);
	CHECK_EQ(offsetof(struct uringblk_stats, slm_bytes_to_host), 288);
	CHECK_EQ(offsetof(struct uringblk_stats, slm_bytes_from_media), 304);
	CHECK_EQ(offsetof(struct uringblk_stats, slm_bytes), 312);
	/* ABI 1.8's timer counters where rsvd[2] was, then ABI 1.5's */
	CHECK_EQ(offsetof(struct uringblk_stats, timing_timer_late_ns), 320);
	CHECK_EQ(offsetof(struct uringblk_stats, timing_early_ns), 328);
	CHECK_EQ(offsetof(struct uringblk_stats, timing_held), 336);
	CHECK_EQ(sizeof(struct uringblk_stats), 576);
	CHECK_STR(uringblk_stats_field_name(33), "mem_reads");
	CHECK_STR(uringblk_stats_field_name(39), "slm_bytes");
	CHECK_STR(uringblk_stats_field_name(40), "timing_timer_late_ns");
	CHECK_STR(uringblk_stats_field_name(42), "timing_held");
	CHECK_STR(uringblk_stats_field_name(51), "timing_cu_model_ns");
	CHECK_STR(uringblk_stats_field_name(52), "kv_cmds");
	CHECK_STR(uringblk_stats_field_name(54), "kv_bytes_from_host");
	CHECK_STR(uringblk_stats_field_name(55), "ssd_host_pages_written");
	CHECK_STR(uringblk_stats_field_name(71), "ssd_die_busy_ns_max");
	CHECK(uringblk_stats_field_name(72) == NULL);
}

static void test_prep(void)
{
	uint8_t slots[2 * SQE_BYTES] __attribute__((aligned(64)));
	uint8_t want[SQE_BYTES];
	struct uringblk_copy_range cr[3];
	struct uringblk_mem_range mr[2];
	static char data[8192];

	memset(slots, GUARD, sizeof(slots));
	uringblk_prep_mem_read((struct io_uring_sqe *)slots, 5, 0x1234567000ULL,
			       data, 4097);
	want_sqe(want, 5, 0xc0505530u, data, 4097);
	put64(want + 72, 0x1234567000ULL);	/* cdw[0] mem_rw.slm_off */
	check_sqe("mem_read", slots, want);

	memset(slots, GUARD, sizeof(slots));
	uringblk_prep_mem_write((struct io_uring_sqe *)slots, 5, 77, data, 1);
	want_sqe(want, 5, 0xc0505531u, data, 1);
	put64(want + 72, 77);
	check_sqe("mem_write", slots, want);

	memset(slots, GUARD, sizeof(slots));
	uringblk_prep_mem_copy((struct io_uring_sqe *)slots, 5, 1 << 20, cr, 3);
	want_sqe(want, 5, 0xc0505532u, cr, 3 * 16);
	put64(want + 72, 1 << 20);		/* cdw[0] mem_copy.slm_off */
	put64(want + 80, 3);			/* cdw[1] mem_copy.nr_ranges */
	check_sqe("mem_copy", slots, want);

	memset(slots, GUARD, sizeof(slots));
	uringblk_prep_range_set_create((struct io_uring_sqe *)slots, 5, mr, 2);
	want_sqe(want, 5, 0xc0505533u, mr, 2 * 16);
	check_sqe("range_set_create", slots, want);

	memset(slots, GUARD, sizeof(slots));
	uringblk_prep_range_set_delete((struct io_uring_sqe *)slots, 5, 0xfffffffeu);
	want_sqe(want, 5, 0xc0505534u, NULL, 0);
	put64(want + 72, 0xfffffffeu);		/* cdw[0] range_set.rsid */
	check_sqe("range_set_delete", slots, want);
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
	check_cmd_means(URINGBLK_CMD_RANGE_SET_DELETE, EBADSLT,
			"Invalid Memory Range Set Identifier (8Dh)");
	check_cmd_means(URINGBLK_CMD_RANGE_SET_DELETE, EBUSY,
			"Memory Range Set In Use (95h)");
	check_cmd_means(URINGBLK_CMD_RANGE_SET_CREATE, ERANGE,
			"Invalid Memory Range Set (8Ch)");
	check_cmd_means(URINGBLK_CMD_RANGE_SET_CREATE, EINVAL,
			"Overlapping Memory Ranges (97h)");
	check_cmd_means(URINGBLK_CMD_RANGE_SET_CREATE, E2BIG,
			"Maximum Memory Ranges Exceeded (91h)");
	check_cmd_means(URINGBLK_CMD_RANGE_SET_CREATE, ENOSPC,
			"Maximum Memory Range Sets Exceeded (92h)");
	check_cmd_means(URINGBLK_CMD_MEM_COPY, ERANGE, "LBA Out of Range (80h)");
	check_cmd_means(URINGBLK_CMD_MEM_COPY, EIO, "Unrecovered Read Error");
	check_cmd_means(URINGBLK_CMD_MEM_READ, E2BIG,
			"Command Size Limit Exceeded (83h)");
	check_cmd_means(URINGBLK_CMD_MEM_WRITE, EBADF, "not open for writing");
	/* other commands and errnos: uringblk_strerror() */
	CHECK(uringblk_strerror_cmd(URINGBLK_CMD_IDENTIFY, -E2BIG) ==
	      uringblk_strerror(-E2BIG));
	CHECK(uringblk_strerror_cmd(URINGBLK_CMD_MEM_READ, -EFAULT) ==
	      uringblk_strerror(-EFAULT));
	CHECK(uringblk_strerror_cmd(0, 0) == uringblk_strerror(0));
	CHECK(uringblk_strerror_cmd(URINGBLK_CMD_MEM_READ, INT_MIN) != NULL);
	CHECK(strstr(uringblk_strerror(-EBADSLT), "range set") != NULL);
}

static void test_args(void)
{
	struct uringblk_mem_range r = { 0, 4096 };
	char b[8];

	CHECK_EQ(uringblk_mem_read(NULL, 0, b, 8), -EINVAL);
	CHECK_EQ(uringblk_mem_write(NULL, 0, b, 8), -EINVAL);
	CHECK_EQ(uringblk_mem_copy(NULL, 0, NULL, 0), -EINVAL);
	CHECK_EQ(uringblk_range_set_create(NULL, &r, 1), -EINVAL);
	CHECK_EQ(uringblk_range_set_delete(NULL, 1), -EINVAL);
}

int main(void)
{
	test_layout();
	test_prep();
	test_strerror_cmd();
	test_args();
	return test_summary("slm_prep");
}
