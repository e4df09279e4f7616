// SPDX-License-Identifier: GPL-2.0
/*
 * EXEC with URINGBLK_EXEC_F_ZONE_WP: the program is granted only the
 * written part of a zone, [lba_start, min(lba_start + lba_count, wp)), as
 * the write pointer stands when the EXEC is submitted; without the flag it
 * gets the range as asked.  A range over two zones is -EINVAL with the
 * flag, a conventional zone is granted whole, a regular drive says
 * -EOPNOTSUPP.
 *
 * The program reports what it was granted: it stores ctx->lba_count,
 * ctx->data_len and the uringblk_sum_u32() of all its data in its output
 * and returns lba_count, so the test sees both the bounds and that the
 * data inside them are the data written.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness.h"
#include "prog_test.h"
#include "zone_lib.h"

struct grant {
	uint64_t lba_count;
	uint64_t data_len;
	uint64_t sum;
};

static const struct bpf_insn grant_prog[] = {
	BPF_MOV64_REG(BPF_REG_6, BPF_REG_1),
	BPF_MOV64_IMM(BPF_REG_7, 0),
	BPF_LDX_MEM(BPF_DW, BPF_REG_2, BPF_REG_6, UBP_CTX(data_len)),
	/* Nothing granted: no helper call (every access is out of range). */
	BPF_JMP_IMM(BPF_JEQ, BPF_REG_2, 0, 3),
	BPF_MOV64_IMM(BPF_REG_1, 0),
	BPF_EMIT_CALL(URINGBLK_HELPER_SUM_U32),
	BPF_MOV64_REG(BPF_REG_7, BPF_REG_0),
	BPF_LDX_MEM(BPF_DW, BPF_REG_8, BPF_REG_6, UBP_CTX(out)),
	BPF_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_6, UBP_CTX(lba_count)),
	BPF_STX_MEM(BPF_DW, BPF_REG_8, BPF_REG_1, 0),
	BPF_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_6, UBP_CTX(data_len)),
	BPF_STX_MEM(BPF_DW, BPF_REG_8, BPF_REG_1, 8),
	BPF_STX_MEM(BPF_DW, BPF_REG_8, BPF_REG_7, 16),
	BPF_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_6, UBP_CTX(lba_count)),
	BPF_EXIT_INSN(),
};

FIXTURE(exec) {
	struct ubz_dev d;
	uint32_t prog;
	uint8_t *buf;
};

FIXTURE_VARIANT(exec) {
	const char *params;
};

FIXTURE_VARIANT_ADD(exec, bs512_conv) {
	.params = "capacity_mb=32 zoned=1 zone_size_mb=2 zone_nr_conv=1",
};

FIXTURE_VARIANT_ADD(exec, bs4096_cap_lt_size) {
	.params = "capacity_mb=32 block_size=4096 zoned=1 zone_size_mb=4 zone_capacity_mb=2",
};

FIXTURE_SETUP(exec)
{
	char log[256];
	int ret;

	UBT_SETUP_MODULE(ubt_module_reload, variant->params);
	ret = ubz_open(&self->d, 0);
	if (ret == -ENOTTY)
		UBT_SETUP_SKIP("the driver does not report URINGBLK_F_ZONED");
	ASSERT_EQ(0, ret);
	if (!(self->d.id.features & URINGBLK_F_COMPUTE))
		UBT_SETUP_SKIP("the driver does not report URINGBLK_F_COMPUTE");
	ret = ubp_load(&self->d.ring, self->d.cfd, grant_prog, UBP_NINSNS(grant_prog),
		       "zone_grant", log, sizeof(log));
	ASSERT_LT(0, ret) TH_LOG("PROG_LOAD: %s (%s)", strerror(-ret), log);
	self->prog = ret;
	/* Two of the biggest zones (8 MiB): sum_blocks() reads ranges back. */
	self->buf = ubt_alloc(16 * UBT_MIB);
	ASSERT_NE(NULL, self->buf);
}

FIXTURE_TEARDOWN(exec)
{
	ubz_close(&self->d);
}

/* EXEC the grant program; cqe->res, the grant in *g. */
static int run(struct ubz_dev *d, uint32_t prog, uint64_t lba, uint64_t count,
	       bool zone_wp, struct grant *g)
{
	struct {
		struct uringblk_exec_result res;
		struct grant g;
	} reply;
	struct ubp_exec e = { .prog = prog, .lba = lba, .count = count };
	struct uringblk_cmd cmd;
	int ret;

	memset(&reply, 0xee, sizeof(reply));
	ubp_exec_cmd(&cmd, &e, &reply, sizeof(reply));
	cmd.flags = zone_wp ? URINGBLK_EXEC_F_ZONE_WP : 0;
	ret = ubt_uring_cmd(&d->ring, d->cfd, URINGBLK_CMD_EXEC, &cmd, NULL);
	*g = reply.g;
	return ret;
}

/* Sum of the little-endian u32 words of @n blocks written at @lba. */
static uint64_t sum_blocks(struct ubz_dev *d, uint8_t *buf, uint64_t lba, uint64_t n)
{
	uint64_t sum = 0;
	uint32_t w;

	if (!n || ubz_read(d, lba, buf, n))
		return 0;
	for (size_t i = 0; i < n * d->bs; i += 4) {
		memcpy(&w, buf + i, 4);
		sum += w;
	}
	return sum;
}

#define EXPECT_GRANT(lba_, count_, wp_flag, want) do {			\
	struct grant _g;						\
	const uint64_t _w = (want);					\
	int _r = run(d, self->prog, (lba_), (count_), (wp_flag), &_g);	\
	EXPECT_EQ((int)_w, _r) TH_LOG("EXEC [%llu, +%llu) %s",		\
		(unsigned long long)(lba_), (unsigned long long)(count_), \
		(wp_flag) ? "ZONE_WP" : "whole");			\
	EXPECT_EQ(_w, _g.lba_count);					\
	EXPECT_EQ(_w * d->bs, _g.data_len);				\
	EXPECT_EQ(sum_blocks(d, self->buf, (lba_), _w), _g.sum);	\
} while (0)

TEST_F(exec, zone_wp_grants_the_written_part)
{
	struct ubz_dev *d = &self->d;
	const uint32_t zno = ubz_seq(d, 0);
	const uint64_t s = ubz_lba(d, zno), len = d->zone_lbas;
	const uint64_t k = 37;

	/* EMPTY: nothing granted. */
	EXPECT_GRANT(s, len, true, 0);
	EXPECT_GRANT(s, len, false, len);

	ASSERT_EQ(0, ubz_write_pattern(d, s, k, 1));
	EXPECT_GRANT(s, len, true, k);
	EXPECT_GRANT(s, 1, true, 1);
	EXPECT_GRANT(s, k, true, k);
	EXPECT_GRANT(s + 5, len - 5, true, k - 5);
	EXPECT_GRANT(s + 10, 5, true, 5);
	EXPECT_GRANT(s + k - 1, len - k + 1, true, 1);
	EXPECT_GRANT(s + k, len - k, true, 0);
	EXPECT_GRANT(s + len - 1, 1, true, 0);
	/* Without the flag: the whole range, zeroes past the wp. */
	EXPECT_GRANT(s, len, false, len);

	/* Appends move the grant along. */
	{
		uint64_t lba;

		ubt_fill(self->buf, 3 * d->bs, 99, 2);
		ASSERT_EQ(0, ubz_append(d, s, self->buf, 3 * d->bs, &lba, NULL));
		ASSERT_EQ(s + k, lba);
	}
	EXPECT_GRANT(s, len, true, k + 3);
	EXPECT_GRANT(s + k, len - k, true, 3);

	/* FINISH: the wp is the zone end, everything is granted. */
	ASSERT_EQ(0, ubz_mgmt(d, zno, URINGBLK_ZONE_ACTION_FINISH));
	EXPECT_GRANT(s, len, true, len);
	EXPECT_GRANT(s + k + 3, 4, true, 4);
	/* RESET: nothing again. */
	ASSERT_EQ(0, ubz_mgmt(d, zno, URINGBLK_ZONE_ACTION_RESET));
	EXPECT_GRANT(s, len, true, 0);

	/* Written to capacity: FULL, the wp at the zone end. */
	ASSERT_EQ(0, ubz_write_pattern(d, s, d->zcap_lbas, 3));
	ASSERT_EQ(URINGBLK_ZONE_COND_FULL, ubz_cond(d, zno));
	EXPECT_GRANT(s, len, true, len);
}

TEST_F(exec, zone_wp_ranges)
{
	struct ubz_dev *d = &self->d;
	const uint32_t zno = ubz_seq(d, 1);
	const uint64_t s = ubz_lba(d, zno), len = d->zone_lbas;
	struct grant g;

	ASSERT_EQ(0, ubz_write_pattern(d, s, 8, 4));
	ASSERT_EQ(0, ubz_write_pattern(d, s + len, 8, 5));
	/* Two zones: not with the flag, fine without. */
	EXPECT_EQ(-EINVAL, run(d, self->prog, s + len - 1, 2, true, &g));
	EXPECT_EQ(-EINVAL, run(d, self->prog, s, len + 1, true, &g));
	EXPECT_EQ(-EINVAL, run(d, self->prog, s, 2 * len, true, &g));
	EXPECT_GRANT(s, 2 * len, false, 2 * len);
	/* The common range checks come first. */
	EXPECT_EQ(-ERANGE, run(d, self->prog, s, 0, true, &g));
	EXPECT_EQ(-ERANGE, run(d, self->prog, d->nr_lbas, 1, true, &g));
	EXPECT_EQ(-ERANGE, run(d, self->prog, d->nr_lbas - 1, 2, true, &g));
	/* The last zone of the drive. */
	EXPECT_GRANT(ubz_lba(d, d->nr_zones - 1), len, true, 0);
	/* A conventional zone is granted whole. */
	if (d->nr_conv) {
		ASSERT_EQ(0, ubz_write_pattern(d, 3, 2, 6));
		EXPECT_GRANT(0, len, true, len);
		EXPECT_GRANT(1, 4, true, 4);
		/* Conventional into sequential: two zones. */
		EXPECT_EQ(-EINVAL, run(d, self->prog, len - 1, 2, true, &g));
	}
	/* Only the wp matters, not the zone condition. */
	ASSERT_EQ(0, ubz_mgmt(d, zno, URINGBLK_ZONE_ACTION_CLOSE));
	EXPECT_GRANT(s, len, true, 8);
	ASSERT_EQ(0, ubz_mgmt(d, zno, URINGBLK_ZONE_ACTION_OPEN));
	EXPECT_GRANT(s, len, true, 8);
}

/* A regular drive: the flag is refused. */
FIXTURE(exec_not_zoned) {
	int cfd;
	struct io_uring ring;
};

FIXTURE_SETUP(exec_not_zoned)
{
	UBT_SETUP_MODULE(ubt_module_reload, "capacity_mb=16");
	self->cfd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, self->cfd);
	ASSERT_EQ(0, ubt_ring_init(&self->ring, 0));
}

FIXTURE_TEARDOWN(exec_not_zoned)
{
	io_uring_queue_exit(&self->ring);
	close(self->cfd);
}

TEST_F(exec_not_zoned, zone_wp_eopnotsupp)
{
	struct {
		struct uringblk_exec_result res;
		struct grant g;
	} reply;
	struct ubp_exec e = { .lba = 0, .count = 8 };
	struct uringblk_cmd cmd;
	int id;

	id = ubp_load(&self->ring, self->cfd, grant_prog, UBP_NINSNS(grant_prog),
		      "zone_grant", NULL, 0);
	ASSERT_LT(0, id);
	e.prog = id;
	ubp_exec_cmd(&cmd, &e, &reply, sizeof(reply));
	cmd.flags = URINGBLK_EXEC_F_ZONE_WP;
	EXPECT_EQ(-EOPNOTSUPP, ubt_uring_cmd(&self->ring, self->cfd, URINGBLK_CMD_EXEC,
					     &cmd, NULL));
	cmd.flags = 0;
	EXPECT_EQ(8, ubt_uring_cmd(&self->ring, self->cfd, URINGBLK_CMD_EXEC, &cmd, NULL));
	EXPECT_EQ(8, reply.g.lba_count);
}

TEST_HARNESS_MAIN
