// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection and programs: an EXEC whose program reads blocks of a
 * failing range (sysfs fault/ with "read" in ops) stops with -EIO
 * (result.error -EIO, abort_code URINGBLK_PROG_ABORT_IO) instead of
 * returning data; reads beside the range, in the same EXEC or another one,
 * return the data written; a scan stops exactly where the range starts;
 * the EXEC counts as one request for every_nth; ops without "read" and a
 * cleared configuration leave programs alone; faults_injected and
 * prog_aborts_fault count each failed run once.  On a zoned drive an
 * OFFLINE zone fails a program's reads as it fails block reads.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "prog_test.h"

#define FAULT_DIR	"/sys/block/uringblk0/fault/"
#define NBLOCKS		64

/* r0 = 7 after uringblk_read(args[0], out, args[1]) */
static const struct bpf_insn read_prog[] = {
	BPF_MOV64_REG(BPF_REG_6, BPF_REG_1),
	BPF_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_6, UBP_CTX(args[0])),
	BPF_LDX_MEM(BPF_DW, BPF_REG_2, BPF_REG_6, UBP_CTX(out)),
	BPF_LDX_MEM(BPF_DW, BPF_REG_3, BPF_REG_6, UBP_CTX(args[1])),
	BPF_EMIT_CALL(URINGBLK_HELPER_READ),
	BPF_MOV64_IMM(BPF_REG_0, 7),
	BPF_EXIT_INSN(),
};

/* r0 = uringblk_sum_u32(0, data_len) */
static const struct bpf_insn sum_prog[] = {
	BPF_LDX_MEM(BPF_DW, BPF_REG_2, BPF_REG_1, UBP_CTX(data_len)),
	BPF_MOV64_IMM(BPF_REG_1, 0),
	BPF_EMIT_CALL(URINGBLK_HELPER_SUM_U32),
	BPF_EXIT_INSN(),
};

FIXTURE(fexec) {
	struct io_uring ring;
	int cfd, bfd;
	uint32_t bs;
	uint32_t read_id, sum_id;
	uint8_t *data;			/* what blocks [0, NBLOCKS) hold */
	struct {
		struct uringblk_exec_result res;
		uint8_t out[NBLOCKS * 4096];
	} *reply;
};

FIXTURE_VARIANT(fexec) {
	const char *params;
	uint32_t bs;
};

FIXTURE_VARIANT_ADD(fexec, bs512) {
	.params = "capacity_mb=16 nr_devices=1",
	.bs = 512,
};

FIXTURE_VARIANT_ADD(fexec, bs4096) {
	.params = "capacity_mb=16 nr_devices=1 block_size=4096",
	.bs = 4096,
};

static int knob(const char *name, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), FAULT_DIR "%s", name);
	return ubt_write_str(path, val);
}

FIXTURE_SETUP(fexec)
{
	char log[256];
	int ret;

	UBT_SETUP_MODULE(ubt_module_reload, variant->params);
	if (access(FAULT_DIR "ops", W_OK))
		UBT_SETUP_SKIP("the driver has no fault injection (%s)", FAULT_DIR);
	self->bs = variant->bs;
	ASSERT_EQ(0, ubt_ring_init(&self->ring, 0));
	self->cfd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, self->cfd);
	self->bfd = ubt_open_blk(0, O_RDWR | O_DIRECT);
	ASSERT_LE(0, self->bfd);
	ret = ubp_load(&self->ring, self->cfd, read_prog, UBP_NINSNS(read_prog),
		       "fault_read", log, sizeof(log));
	ASSERT_LT(0, ret) TH_LOG("PROG_LOAD: %s (%s)", strerror(-ret), log);
	self->read_id = ret;
	ret = ubp_load(&self->ring, self->cfd, sum_prog, UBP_NINSNS(sum_prog),
		       "fault_sum", log, sizeof(log));
	ASSERT_LT(0, ret) TH_LOG("PROG_LOAD: %s (%s)", strerror(-ret), log);
	self->sum_id = ret;

	self->data = ubt_alloc(NBLOCKS * self->bs);
	self->reply = ubt_alloc(sizeof(*self->reply));
	ASSERT_NE(NULL, self->data);
	ASSERT_NE(NULL, self->reply);
	ubt_fill(self->data, NBLOCKS * self->bs, 0, 41);
	ASSERT_EQ((ssize_t)(NBLOCKS * self->bs),
		  ubt_pwrite_full(self->bfd, self->data, NBLOCKS * self->bs, 0));
	/* Blocks 20..23 fail to read. */
	ASSERT_EQ(0, knob("clear", "1"));
	ASSERT_EQ(0, knob("ops", "read"));
	ASSERT_EQ(0, knob("lba_start", "20"));
	ASSERT_EQ(0, knob("lba_count", "4"));
}

FIXTURE_TEARDOWN(fexec)
{
	knob("clear", "1");
	close(self->bfd);
	close(self->cfd);
	io_uring_queue_exit(&self->ring);
}

/*
 * EXEC read_prog over [lba, lba + count), reading @nblk blocks from block
 * @off of the range into the output.  cqe->res.
 */
static int exec_read(struct __test_metadata *_metadata, FIXTURE_DATA(fexec) *self,
		     uint64_t lba, uint64_t count, uint64_t off, uint64_t nblk)
{
	struct ubp_exec e = {
		.prog = self->read_id, .lba = lba, .count = count,
		.args = { off * self->bs, nblk * self->bs },
	};

	memset(self->reply, 0xee, sizeof(*self->reply));
	return ubp_exec(&self->ring, self->cfd, &e, self->reply,
			sizeof(self->reply->res) + nblk * self->bs, NULL);
}

/* The output of a good exec_read() holds blocks [lba + off, +nblk). */
static bool out_is_data(FIXTURE_DATA(fexec) *self, uint64_t lba, uint64_t off,
			uint64_t nblk)
{
	return self->reply->res.out_len == nblk * self->bs &&
	       !memcmp(self->reply->out, self->data + (lba + off) * self->bs,
		       nblk * self->bs);
}

static uint64_t counter(const char *name)
{
	uint64_t v = ~0ULL;

	ubp_counter(0, name, &v);
	return v;
}

TEST_F(fexec, beside_and_inside)
{
	uint64_t f0 = counter("faults_injected"), a0 = counter("prog_aborts_fault");
	struct uringblk_exec_result *r = &self->reply->res;

	/* Ranges beside the failing one: data. */
	ASSERT_EQ(7, exec_read(_metadata, self, 0, 20, 0, 20));
	EXPECT_TRUE(out_is_data(self, 0, 0, 20));
	ASSERT_EQ(7, exec_read(_metadata, self, 24, 40, 0, 40));
	EXPECT_TRUE(out_is_data(self, 24, 0, 40));

	/* A range over it: reads beside the bad blocks work ... */
	ASSERT_EQ(7, exec_read(_metadata, self, 16, 12, 0, 4));
	EXPECT_TRUE(out_is_data(self, 16, 0, 4));
	ASSERT_EQ(7, exec_read(_metadata, self, 16, 12, 8, 4));
	EXPECT_TRUE(out_is_data(self, 16, 8, 4));
	EXPECT_EQ(f0, counter("faults_injected"));

	/* ... and a read touching one of them stops the run with -EIO. */
	ASSERT_EQ(-EIO, exec_read(_metadata, self, 16, 12, 3, 2));
	EXPECT_EQ(-EIO, r->error);
	EXPECT_EQ(URINGBLK_PROG_ABORT_IO, r->abort_code);
	EXPECT_EQ(4, r->abort_pc);	/* the helper call */
	EXPECT_EQ(0, r->r0);
	ASSERT_EQ(-EIO, exec_read(_metadata, self, 23, 1, 0, 1));
	ASSERT_EQ(-EIO, exec_read(_metadata, self, 0, NBLOCKS, 23, 2));

	EXPECT_EQ(f0 + 3, counter("faults_injected"));
	EXPECT_EQ(a0 + 3, counter("prog_aborts_fault"));
}

/* A scan over the range stops exactly where the bad blocks start. */
TEST_F(fexec, scan_stops_at_range)
{
	struct ubp_exec e = { .prog = self->sum_id, .lba = 0, .count = NBLOCKS };
	struct uringblk_exec_result *r = &self->reply->res;
	int ret;

	memset(r, 0xee, sizeof(*r));
	ASSERT_EQ(-EIO, ubp_exec(&self->ring, self->cfd, &e, r, sizeof(*r), NULL));
	EXPECT_EQ(-EIO, r->error);
	EXPECT_EQ(URINGBLK_PROG_ABORT_IO, r->abort_code);
	EXPECT_EQ(20 * self->bs, r->bytes_scanned);

	/* The same scan after the range: the sum of the data. */
	e.lba = 24;
	e.count = NBLOCKS - 24;
	ret = ubp_exec(&self->ring, self->cfd, &e, r, sizeof(*r), NULL);
	ASSERT_TRUE(ret >= 0 || ret == -EOVERFLOW) TH_LOG("EXEC: %d", ret);
	EXPECT_EQ(0, r->error);
	EXPECT_EQ(ubp_ref_sum32(self->data + 24 * self->bs, (NBLOCKS - 24) * self->bs),
		  r->r0);
}

/* Not a read fault, or no fault: programs see the data. */
TEST_F(fexec, other_ops_and_clear)
{
	ASSERT_EQ(0, knob("ops", "write,flush,discard,write_zeroes"));
	ASSERT_EQ(7, exec_read(_metadata, self, 0, NBLOCKS, 0, NBLOCKS));
	EXPECT_TRUE(out_is_data(self, 0, 0, NBLOCKS));
	ASSERT_EQ(0, knob("ops", "all"));
	ASSERT_EQ(-EIO, exec_read(_metadata, self, 0, NBLOCKS, 0, NBLOCKS));
	ASSERT_EQ(0, knob("clear", "1"));
	ASSERT_EQ(7, exec_read(_metadata, self, 0, NBLOCKS, 0, NBLOCKS));
	EXPECT_TRUE(out_is_data(self, 0, 0, NBLOCKS));
}

/* An EXEC is one request for every_nth; one beside the range is none. */
TEST_F(fexec, every_nth)
{
	ASSERT_EQ(0, knob("every_nth", "2"));
	ASSERT_EQ(7, exec_read(_metadata, self, 16, 8, 4, 4));	/* 1st */
	ASSERT_EQ(7, exec_read(_metadata, self, 0, 16, 0, 16));	/* not counted */
	ASSERT_EQ(-EIO, exec_read(_metadata, self, 16, 8, 4, 4));	/* 2nd */
	ASSERT_EQ(7, exec_read(_metadata, self, 16, 8, 4, 4));	/* 3rd */
	EXPECT_TRUE(out_is_data(self, 16, 4, 4));
	/* A chosen run still reads what lies beside the bad blocks. */
	ASSERT_EQ(7, exec_read(_metadata, self, 16, 8, 0, 4));	/* 4th */
	EXPECT_TRUE(out_is_data(self, 16, 0, 4));
	/* Block reads count in the same sequence: the 5th passes. */
	void *blk = ubt_alloc(self->bs);

	ASSERT_NE(NULL, blk);
	ASSERT_EQ((ssize_t)self->bs, ubt_pread_full(self->bfd, blk, self->bs, 21 * self->bs));
	ASSERT_EQ(-EIO, exec_read(_metadata, self, 20, 1, 0, 1));	/* 6th */
}

/*
 * Zones: an EXEC reading an OFFLINE zone stops with -EIO like a block read
 * does; a READ_ONLY zone stays readable; a restored zone reads zeroes.
 */
#define ZONE_SECTS	8192	/* 4 MiB zones of 512 B blocks */

FIXTURE(fzone) {
	struct io_uring ring;
	int cfd, bfd;
	uint32_t read_id;
	uint8_t *data;
	struct {
		struct uringblk_exec_result res;
		uint8_t out[8 * 512];
	} *reply;
};

FIXTURE_SETUP(fzone)
{
	char log[256];
	int ret;

	UBT_SETUP_MODULE(ubt_module_reload, "capacity_mb=32 nr_devices=1 zoned=1 zone_size_mb=4 zone_nr_conv=1");
	if (access(FAULT_DIR "zone_offline", W_OK))
		UBT_SETUP_SKIP("the driver has no zone fault injection");
	ASSERT_EQ(0, ubt_ring_init(&self->ring, 0));
	self->cfd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, self->cfd);
	self->bfd = ubt_open_blk(0, O_RDWR | O_DIRECT);
	ASSERT_LE(0, self->bfd);
	ret = ubp_load(&self->ring, self->cfd, read_prog, UBP_NINSNS(read_prog),
		       "fault_read", log, sizeof(log));
	ASSERT_LT(0, ret) TH_LOG("PROG_LOAD: %s (%s)", strerror(-ret), log);
	self->read_id = ret;
	self->data = ubt_alloc(8 * 512);
	self->reply = ubt_alloc(sizeof(*self->reply));
	ASSERT_NE(NULL, self->data);
	ASSERT_NE(NULL, self->reply);
	/* 8 blocks at the start of zones 1 and 2, the same bytes. */
	ubt_fill(self->data, 8 * 512, 0, 43);
	for (int z = 1; z <= 2; z++)
		ASSERT_EQ(8 * 512, ubt_pwrite_full(self->bfd, self->data, 8 * 512,
						   z * ZONE_SECTS * 512ULL));
}

FIXTURE_TEARDOWN(fzone)
{
	knob("clear", "1");
	close(self->bfd);
	close(self->cfd);
	io_uring_queue_exit(&self->ring);
}

/* EXEC read_prog over the first 8 blocks of zone @z, with @flags. */
static int exec_zone(FIXTURE_DATA(fzone) *self, int z, uint32_t flags)
{
	struct ubp_exec e = {
		.prog = self->read_id, .lba = z * ZONE_SECTS, .count = 8,
		.args = { 0, 8 * 512 },
	};
	struct uringblk_cmd cmd;

	memset(self->reply, 0xee, sizeof(*self->reply));
	ubp_exec_cmd(&cmd, &e, self->reply, sizeof(*self->reply));
	cmd.flags = flags;
	return ubt_uring_cmd(&self->ring, self->cfd, URINGBLK_CMD_EXEC, &cmd, NULL);
}

TEST_F(fzone, offline_readonly_restore)
{
	uint64_t f0 = counter("faults_injected");

	ASSERT_EQ(7, exec_zone(self, 1, 0));
	EXPECT_EQ(0, memcmp(self->reply->out, self->data, 8 * 512));

	ASSERT_EQ(0, knob("zone_offline", "1"));
	ASSERT_EQ(-EIO, exec_zone(self, 1, 0));
	EXPECT_EQ(-EIO, self->reply->res.error);
	EXPECT_EQ(URINGBLK_PROG_ABORT_IO, self->reply->res.abort_code);
	/* With ZONE_WP the EXEC is refused before it runs. */
	EXPECT_EQ(-EIO, exec_zone(self, 1, URINGBLK_EXEC_F_ZONE_WP));
	/* A zone condition is not an injected request fault. */
	EXPECT_EQ(f0, counter("faults_injected"));

	ASSERT_EQ(0, knob("zone_readonly", "2"));
	ASSERT_EQ(7, exec_zone(self, 2, 0));
	EXPECT_EQ(0, memcmp(self->reply->out, self->data, 8 * 512));
	ASSERT_EQ(7, exec_zone(self, 2, URINGBLK_EXEC_F_ZONE_WP));
	EXPECT_EQ(0, memcmp(self->reply->out, self->data, 8 * 512));

	ASSERT_EQ(0, knob("zone_restore", "1"));
	ASSERT_EQ(7, exec_zone(self, 1, 0));
	EXPECT_EQ(-1, ubt_check_zero(self->reply->out, 8 * 512));
}

TEST_HARNESS_MAIN
