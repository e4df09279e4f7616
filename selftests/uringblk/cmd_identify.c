// SPDX-License-Identifier: GPL-2.0
/*
 * IDENTIFY against the module parameters the device was created with and
 * against what the block layer shows in sysfs for the same device.
 *
 * Each variant loads the module with its own parameters.  A value of -1
 * in a variant means "the module's default", read back from
 * /sys/module/uringblk/parameters/ so the test does not hard-code defaults
 * the driver may tune; the defaults the brief fixes (one device, 16 GiB,
 * 512 B blocks) are hard-coded in the `defaults` variant.
 *
 * Each variant also says which queue mode queue_mode=auto (the default)
 * must give it: bio-based unless the drive needs blk-mq (zones, or a queue
 * geometry given: bio.c, uringblk_queue_mode_auto()).  A bio drive has no
 * hardware queues, tags or poll queues, and IDENTIFY says so (URINGBLK_F_BIO).
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "uringblk_test.h"

FIXTURE(identify) {
	struct io_uring ring;
	int cfd;
	struct uringblk_identify id;
	int res;
};

FIXTURE_VARIANT(identify) {
	const char *params;
	int nr_devices;
	unsigned long long capacity;	/* bytes */
	int block_size;
	int nr_hw_queues;	/* as given: submission queues; 0 = one per CPU */
	int poll_queues;
	int queue_depth;
	bool bio;		/* queue_mode resolves to bio (else mq) */
	/* zoned drives only */
	bool zoned;
	uint32_t zone_size_mb, zone_capacity_mb, nr_conv, max_open, max_active;
};

FIXTURE_VARIANT_ADD(identify, defaults) {
	.params = "",
	.nr_devices = 1,
	.capacity = 16 * UBT_GIB,
	.block_size = 512,
	.nr_hw_queues = -1,
	.poll_queues = -1,
	.queue_depth = -1,
	.bio = true,
};

/* The defaults on blk-mq: a queue per CPU, one poll queue. */
FIXTURE_VARIANT_ADD(identify, defaults_mq) {
	.params = "queue_mode=mq",
	.nr_devices = 1,
	.capacity = 16 * UBT_GIB,
	.block_size = 512,
	.nr_hw_queues = -1,
	.poll_queues = -1,
	.queue_depth = -1,
};

FIXTURE_VARIANT_ADD(identify, bs4096_1mib) {
	.params = "block_size=4096 capacity_mb=1",
	.nr_devices = 1,
	.capacity = 1 * UBT_MIB,
	.block_size = 4096,
	.nr_hw_queues = -1,
	.poll_queues = -1,
	.queue_depth = -1,
	.bio = true,
};

FIXTURE_VARIANT_ADD(identify, hwq4_depth8_poll1) {
	.params = "nr_hw_queues=4 queue_depth=8 poll_queues=1 capacity_mb=64",
	.nr_devices = 1,
	.capacity = 64 * UBT_MIB,
	.block_size = 512,
	.nr_hw_queues = 4,
	.poll_queues = 1,
	.queue_depth = 8,
};

FIXTURE_VARIANT_ADD(identify, hwq1_nopoll) {
	.params = "nr_hw_queues=1 poll_queues=0 capacity_mb=64",
	.nr_devices = 1,
	.capacity = 64 * UBT_MIB,
	.block_size = 512,
	.nr_hw_queues = 1,
	.poll_queues = 0,
	.queue_depth = -1,
};

FIXTURE_VARIANT_ADD(identify, three_devices) {
	.params = "nr_devices=3 capacity_mb=64 block_size=4096",
	.nr_devices = 3,
	.capacity = 64 * UBT_MIB,
	.block_size = 4096,
	.nr_hw_queues = -1,
	.poll_queues = -1,
	.queue_depth = -1,
	.bio = true,
};

/* A zone capacity below the zone size needs whole zones only. */
FIXTURE_VARIANT_ADD(identify, zoned) {
	.params = "zoned=1 capacity_mb=96 zone_size_mb=8 zone_capacity_mb=6 "
		  "zone_nr_conv=2 zone_max_open=3 zone_max_active=5",
	.nr_devices = 1,
	.capacity = 96 * UBT_MIB,
	.block_size = 512,
	.nr_hw_queues = -1,
	.poll_queues = -1,
	.queue_depth = -1,
	.zoned = true,
	.zone_size_mb = 8,
	.zone_capacity_mb = 6,
	.nr_conv = 2,
	.max_open = 3,
	.max_active = 5,
};

/* 100 MiB in 8 MiB zones: the last zone is 4 MiB. */
FIXTURE_VARIANT_ADD(identify, zoned_short_last_zone) {
	.params = "zoned=1 capacity_mb=100 zone_size_mb=8 block_size=4096",
	.nr_devices = 1,
	.capacity = 100 * UBT_MIB,
	.block_size = 4096,
	.nr_hw_queues = -1,
	.poll_queues = -1,
	.queue_depth = -1,
	.zoned = true,
	.zone_size_mb = 8,
	.zone_capacity_mb = 8,
};

/* A variant value, or the loaded module's default for it. */
static long long expected(int v, const char *param)
{
	char path[128];
	uint64_t val;

	if (v >= 0)
		return v;
	snprintf(path, sizeof(path), "/sys/module/uringblk/parameters/%s", param);
	if (ubt_read_u64(path, &val))
		return -1;
	return val;
}

static uint32_t min_u32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

static int count_dir(const char *path)
{
	struct dirent *de;
	int n = 0;
	DIR *d;

	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* NUL-padded printable ASCII: a non-empty string, then only NULs. */
static bool nul_padded_ascii(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && s[i]) {
		if (!isprint((unsigned char)s[i]))
			return false;
		i++;
	}
	if (i == 0 || i == len)
		return false;
	for (; i < len; i++)
		if (s[i])
			return false;
	return true;
}

FIXTURE_SETUP(identify)
{
	UBT_SETUP_MODULE(ubt_module_ensure, variant->params);
	self->cfd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, self->cfd) TH_LOG("open /dev/uringblkc0: %s",
				       strerror(-self->cfd));
	ASSERT_EQ(0, ubt_ring_init(&self->ring, 0));
	self->res = ubt_identify(&self->ring, self->cfd, &self->id);
	ASSERT_EQ(sizeof(struct uringblk_identify), self->res)
		TH_LOG("IDENTIFY: %s", self->res < 0 ? strerror(-self->res) : "short");
}

FIXTURE_TEARDOWN(identify)
{
	io_uring_queue_exit(&self->ring);
	close(self->cfd);
}

TEST_F(identify, reply_format)
{
	const struct uringblk_identify *id = &self->id;
	size_t i;

	EXPECT_EQ(URINGBLK_ABI_MAJOR, id->abi_major);
	EXPECT_EQ(URINGBLK_ABI_MINOR, id->abi_minor);
	EXPECT_EQ(0, id->dev_index);
	EXPECT_EQ(URINGBLK_MAX_REPLY_LEN, id->max_reply_len);
	EXPECT_EQ(URINGBLK_BACKING_MEM, id->backing);
	EXPECT_TRUE(nul_padded_ascii(id->model, sizeof(id->model)))
		TH_LOG("model '%.32s' is not NUL-padded ASCII", id->model);
	EXPECT_TRUE(nul_padded_ascii(id->firmware_rev, sizeof(id->firmware_rev)))
		TH_LOG("firmware_rev '%.16s' is not NUL-padded ASCII",
		       id->firmware_rev);
	for (i = 0; i < sizeof(id->rsvd) / sizeof(id->rsvd[0]); i++) {
		EXPECT_EQ(0, id->rsvd[i]) TH_LOG("rsvd[%zu]", i);
	}
	EXPECT_EQ(0, id->rsvd0);
	/*
	 * Only bits the header defines may be set: up to URINGBLK_F_EXTENTS (ABI 1.4),
	 * URINGBLK_F_RECORDS and URINGBLK_F_VEC_I8 (ABI 1.7, always), URINGBLK_F_STATUS
	 * (ABI 1.9, always), and URINGBLK_F_KBPF (ABI 1.6), which only a drive whose
	 * engines include the kernel's has.  URINGBLK_F_BIO (ABI 1.10) exactly on
	 * a bio-based drive.  URINGBLK_F_REC_FILTER (ABI 1.11, always).
	 */
	EXPECT_EQ(0, id->features & ~(((URINGBLK_F_EXTENTS << 1) - 1) | URINGBLK_F_KBPF |
				      URINGBLK_F_RECORDS | URINGBLK_F_VEC_I8 |
				      URINGBLK_F_STATUS | URINGBLK_F_BIO |
				      URINGBLK_F_REC_FILTER));
	EXPECT_TRUE(id->features & URINGBLK_F_STATUS);
	EXPECT_EQ(variant->bio, !!(id->features & URINGBLK_F_BIO));
	EXPECT_EQ(!!(id->features & URINGBLK_F_KBPF),
		  !!(id->engines & URINGBLK_ENGINE_KBPF));
	/* ABI 1.6: the interpreter and the native programs are always there */
	EXPECT_EQ(URINGBLK_ENGINE_INTERP | URINGBLK_ENGINE_NATIVE,
		  id->engines & ~URINGBLK_ENGINE_KBPF);
	EXPECT_TRUE(id->features & URINGBLK_F_RECORDS);
	EXPECT_TRUE(id->features & URINGBLK_F_VEC_I8);
	EXPECT_TRUE(id->features & URINGBLK_F_REC_FILTER);
	/* Device memory: slm_size_mb's default, 256 MiB, page granularity. */
	EXPECT_TRUE(id->features & URINGBLK_F_SLM);
	EXPECT_EQ(256 * UBT_MIB, id->slm_size);
	EXPECT_EQ(sysconf(_SC_PAGESIZE), id->slm_granularity);
	EXPECT_EQ(64, id->max_range_sets);
	EXPECT_EQ(64, id->max_set_ranges);
	EXPECT_EQ(16 * UBT_MIB, id->max_mem_xfer);
}

TEST_F(identify, matches_module_params)
{
	const struct uringblk_identify *id = &self->id;
	long long hwq = expected(variant->nr_hw_queues, "nr_hw_queues");
	long long poll = expected(variant->poll_queues, "poll_queues");
	long long depth = expected(variant->queue_depth, "queue_depth");

	ASSERT_LE(0, hwq);
	ASSERT_LE(0, poll);
	ASSERT_LE(0, depth);
	/* nr_hw_queues=0 means one submission queue per online CPU. */
	if (hwq == 0)
		hwq = sysconf(_SC_NPROCESSORS_ONLN);

	EXPECT_EQ(variant->capacity, id->capacity);
	EXPECT_EQ(variant->block_size, id->logical_block_size);
	EXPECT_EQ(variant->block_size, id->physical_block_size);
	if (variant->bio) {
		/* No blk-mq: no queues, no tags, no poll queues, whatever the defaults. */
		EXPECT_EQ(0, id->nr_hw_queues);
		EXPECT_EQ(0, id->nr_poll_queues);
		EXPECT_EQ(0, id->queue_depth);
		EXPECT_FALSE(id->features & URINGBLK_F_POLL);
		return;
	}
	/* IDENTIFY counts every hardware queue, poll queues included. */
	EXPECT_EQ(hwq + poll, id->nr_hw_queues);
	EXPECT_EQ(poll, id->nr_poll_queues);
	EXPECT_EQ(depth, id->queue_depth);
	EXPECT_EQ(poll > 0, !!(id->features & URINGBLK_F_POLL));
}

TEST_F(identify, matches_sysfs)
{
	const struct uringblk_identify *id = &self->id;
	uint32_t ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	uint64_t v;
	char s[64];

	ASSERT_EQ(0, ubt_blk_attr_u64(0, "size", &v));
	EXPECT_EQ(id->capacity, v * UBT_SECTOR);
	ASSERT_EQ(0, ubt_blk_attr_u64(0, "queue/logical_block_size", &v));
	EXPECT_EQ(id->logical_block_size, v);
	ASSERT_EQ(0, ubt_blk_attr_u64(0, "queue/physical_block_size", &v));
	EXPECT_EQ(id->physical_block_size, v);
	ASSERT_EQ(0, ubt_blk_attr_u64(0, "queue/max_hw_sectors_kb", &v));
	EXPECT_EQ(id->max_hw_sectors, v * 2);
	ASSERT_EQ(0, ubt_blk_attr_u64(0, "queue/discard_max_bytes", &v));
	EXPECT_EQ((uint64_t)id->max_discard_sectors * UBT_SECTOR, v);
	EXPECT_EQ(v > 0, !!(id->features & URINGBLK_F_DISCARD));
	ASSERT_EQ(0, ubt_blk_attr_u64(0, "queue/write_zeroes_max_bytes", &v));
	EXPECT_EQ((uint64_t)id->max_write_zeroes_sectors * UBT_SECTOR, v);
	EXPECT_EQ(v > 0, !!(id->features & URINGBLK_F_WRITE_ZEROES));
	/* The drive's own sysfs says what it is: bio or mq, never auto. */
	ASSERT_EQ(0, ubt_read_str("/sys/block/uringblk0/uringblk/queue_mode", s, sizeof(s)));
	EXPECT_STREQ(variant->bio ? "bio" : "mq", s);
	if (variant->bio) {
		/* No hardware queues to show, nothing to poll. */
		EXPECT_EQ(-1, count_dir("/sys/block/uringblk0/mq"));
		ASSERT_EQ(0, ubt_blk_attr_u64(0, "queue/io_poll", &v));
		EXPECT_EQ(0, v);
		goto common;
	}
	/*
	 * blk-mq registers sysfs only for hardware queues some CPU maps to:
	 * on a guest with fewer CPUs than queues the rest stay hidden.
	 */
	EXPECT_EQ(min_u32(id->nr_hw_queues - id->nr_poll_queues, ncpus) +
		  min_u32(id->nr_poll_queues, ncpus),
		  count_dir("/sys/block/uringblk0/mq"));
	ASSERT_EQ(0, ubt_blk_attr_u64(0, "mq/0/nr_tags", &v));
	EXPECT_EQ(id->queue_depth, v);
	ASSERT_EQ(0, ubt_blk_attr_u64(0, "queue/io_poll", &v));
	EXPECT_EQ(id->nr_poll_queues > 0, v);

common:
	/* FLUSH means a volatile cache, which the block layer shows. */
	ASSERT_EQ(0, ubt_read_str("/sys/block/uringblk0/queue/write_cache",
				  s, sizeof(s)));
	EXPECT_EQ(!!(id->features & URINGBLK_F_FLUSH),
		  strcmp(s, "write back") == 0) TH_LOG("write_cache '%s'", s);
	ASSERT_EQ(0, ubt_blk_attr_u64(0, "queue/fua", &v));
	EXPECT_EQ(!!(id->features & URINGBLK_F_FUA), v);
	ASSERT_EQ(0, ubt_read_str("/sys/block/uringblk0/queue/zoned", s, sizeof(s)));
	EXPECT_EQ(!!(id->features & URINGBLK_F_ZONED), strcmp(s, "none") != 0);
}

/*
 * The zone fields: the parameters, the block layer's view in sysfs, and all
 * zero on a drive that is not zoned (as the header promises).
 */
TEST_F(identify, zone_fields)
{
	const struct uringblk_identify *id = &self->id;
	uint64_t v;
	char s[64];

	ASSERT_EQ(0, ubt_read_str("/sys/block/uringblk0/queue/zoned", s, sizeof(s)));
	if (!variant->zoned) {
		EXPECT_FALSE(id->features & URINGBLK_F_ZONED);
		EXPECT_STREQ("none", s);
		EXPECT_EQ(0, id->zone_size);
		EXPECT_EQ(0, id->zone_capacity);
		EXPECT_EQ(0, id->nr_zones);
		EXPECT_EQ(0, id->nr_conv_zones);
		EXPECT_EQ(0, id->max_open_zones);
		EXPECT_EQ(0, id->max_active_zones);
		EXPECT_EQ(0, id->max_zone_append);
		return;
	}
	ASSERT_TRUE(id->features & URINGBLK_F_ZONED);
	EXPECT_STREQ("host-managed", s);
	EXPECT_EQ(variant->zone_size_mb * UBT_MIB, id->zone_size);
	EXPECT_EQ(variant->zone_capacity_mb * UBT_MIB, id->zone_capacity);
	/* The last zone may be smaller. */
	EXPECT_EQ((variant->capacity + id->zone_size - 1) / id->zone_size, id->nr_zones);
	EXPECT_EQ(variant->nr_conv, id->nr_conv_zones);
	EXPECT_EQ(variant->max_open, id->max_open_zones);
	EXPECT_EQ(variant->max_active, id->max_active_zones);
	EXPECT_LT(0, id->max_zone_append);
	EXPECT_EQ(0, id->max_zone_append % id->logical_block_size);

	ASSERT_EQ(0, ubt_blk_attr_u64(0, "queue/chunk_sectors", &v));
	EXPECT_EQ(id->zone_size, v * UBT_SECTOR);
	ASSERT_EQ(0, ubt_blk_attr_u64(0, "queue/nr_zones", &v));
	EXPECT_EQ(id->nr_zones, v);
	ASSERT_EQ(0, ubt_blk_attr_u64(0, "queue/max_open_zones", &v));
	EXPECT_EQ(id->max_open_zones, v);
	ASSERT_EQ(0, ubt_blk_attr_u64(0, "queue/max_active_zones", &v));
	EXPECT_EQ(id->max_active_zones, v);
	ASSERT_EQ(0, ubt_blk_attr_u64(0, "queue/zone_append_max_bytes", &v));
	EXPECT_EQ(id->max_zone_append, v);
}

/* The program limits are the header's constants, or all zero. */
TEST_F(identify, program_fields)
{
	const struct uringblk_identify *id = &self->id;

	if (!(id->features & URINGBLK_F_COMPUTE)) {
		EXPECT_EQ(0, id->max_progs);
		EXPECT_EQ(0, id->max_prog_insns);
		EXPECT_EQ(0, id->max_exec_out);
		EXPECT_EQ(0, id->prog_stack_size);
		EXPECT_EQ(0, id->default_insn_budget);
		EXPECT_EQ(0, id->max_insn_budget);
		return;
	}
	EXPECT_EQ(URINGBLK_MAX_PROGS, id->max_progs);
	EXPECT_EQ(URINGBLK_PROG_MAX_INSNS, id->max_prog_insns);
	EXPECT_EQ(URINGBLK_MAX_EXEC_OUT, id->max_exec_out);
	EXPECT_EQ(URINGBLK_PROG_STACK_SIZE, id->prog_stack_size);
	EXPECT_LT(0, id->default_insn_budget);
	EXPECT_LE(id->default_insn_budget, id->max_insn_budget);
	/* ABI 1.4: EXEC over extents */
	EXPECT_TRUE(id->features & URINGBLK_F_EXTENTS);
	EXPECT_EQ(URINGBLK_MAX_EXEC_EXTENTS, id->max_exec_extents);
}

TEST_F(identify, every_device_has_its_index)
{
	int i;

	for (i = 0; i < variant->nr_devices; i++) {
		struct uringblk_identify id;
		char path[64];
		uint64_t size;
		int fd, res;

		fd = ubt_open_cdev(i, O_RDWR);
		ASSERT_LE(0, fd) TH_LOG("/dev/uringblkc%d: %s", i, strerror(-fd));
		snprintf(path, sizeof(path), "/dev/uringblk%d", i);
		EXPECT_EQ(0, access(path, F_OK)) TH_LOG("%s missing", path);
		res = ubt_identify(&self->ring, fd, &id);
		close(fd);
		ASSERT_EQ(sizeof(id), res);
		EXPECT_EQ(i, id.dev_index);
		EXPECT_EQ(self->id.capacity, id.capacity);
		ASSERT_EQ(0, ubt_blk_attr_u64(i, "size", &size));
		EXPECT_EQ(id.capacity, size * UBT_SECTOR);
	}
	/* Exactly nr_devices of each node. */
	{
		char path[64];

		snprintf(path, sizeof(path), "/dev/uringblkc%d", variant->nr_devices);
		EXPECT_NE(0, access(path, F_OK)) TH_LOG("%s exists", path);
		snprintf(path, sizeof(path), "/dev/uringblk%d", variant->nr_devices);
		EXPECT_NE(0, access(path, F_OK)) TH_LOG("%s exists", path);
	}
}

TEST_F(identify, res2_is_zero)
{
	struct uringblk_identify id;
	struct uringblk_cmd cmd;
	uint64_t res2 = ~0ULL;

	ubt_cmd_init(&cmd, &id, sizeof(id));
	ASSERT_EQ(sizeof(id), ubt_uring_cmd(&self->ring, self->cfd,
					    URINGBLK_CMD_IDENTIFY, &cmd, &res2));
	EXPECT_EQ(0, res2);
}

TEST_F(identify, works_without_cqe32)
{
	struct uringblk_identify id;
	struct io_uring ring;

	ASSERT_EQ(0, io_uring_queue_init(4, &ring, IORING_SETUP_SQE128));
	EXPECT_EQ(sizeof(id), ubt_identify(&ring, self->cfd, &id));
	EXPECT_EQ(0, memcmp(&id, &self->id, sizeof(id)));
	io_uring_queue_exit(&ring);
}

/*
 * Every size limit is a whole number of logical blocks.  The 6.1 block
 * layer splits WRITE_ZEROES (blk-lib) and discards at exactly these
 * limits, so a limit that is not a block multiple hands the driver
 * requests that start inside a block.
 */
TEST_F(identify, limits_are_block_multiples)
{
	const struct uringblk_identify *id = &self->id;
	const uint32_t spb = id->logical_block_size / UBT_SECTOR;

	EXPECT_EQ(0, id->max_hw_sectors % spb);
	EXPECT_EQ(0, id->max_discard_sectors % spb)
		TH_LOG("max_discard_sectors %u, %u sectors per block",
		       id->max_discard_sectors, spb);
	EXPECT_EQ(0, id->max_write_zeroes_sectors % spb)
		TH_LOG("max_write_zeroes_sectors %u, %u sectors per block",
		       id->max_write_zeroes_sectors, spb);
	EXPECT_EQ(0, id->capacity % id->logical_block_size);
}

TEST_F(identify, repeatable)
{
	struct uringblk_identify id;
	int i;

	for (i = 0; i < 100; i++) {
		ASSERT_EQ(sizeof(id), ubt_identify(&self->ring, self->cfd, &id));
		ASSERT_EQ(0, memcmp(&id, &self->id, sizeof(id)));
	}
}

TEST_HARNESS_MAIN
