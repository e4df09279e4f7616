// SPDX-License-Identifier: GPL-2.0
/*
 * Every command that moves data pays the timing model (Documentation/admin/timing-model.md, "The timing
 * model", the table of what each operation costs), measured against the
 * model's own arithmetic:
 *  - ZONE_APPEND over the command device costs what a block WRITE of the
 *    same size costs (the link from the host, firmware, media write
 *    latency, the media, link latency), at QD1 and from four rings at
 *    once (they share the media: together no faster than its rate);
 *  - ZONE_MGMT costs firmware and link latency, as the block layer's zone
 *    management requests do;
 *  - MEM_WRITE / MEM_READ cross the link, MEM_COPY reads the media, EXEC
 *    reads the media and runs on a compute unit, EXECUTE runs on one.
 * For each: N commands at QD1, and
 *  (a) the exact counter deltas the model produces: every completion is
 *      either held to its deadline or late (timing_held + timing_late ==
 *      N), none hurried, and at QD1 nothing waits for the shared link or
 *      media (each command arrives after the previous one's deadline);
 *      plus the command's own counters, and (zone commands and the
 *      block write) its latency histogram, which holds the modelled time;
 *  (b) each command's measured time, submission to CQE, is at least its
 *      modelled time, computed here as the driver computes it (integer
 *      nanoseconds, rounded the same way).
 * The NVMe front end's ZNS commands on the same node (NVMe Zone Append,
 * Zone Management Send, Select All too) pay the same model and land in
 * the same histograms (one zone_mgmt entry per zone a Select All acts on,
 * as its counters), with the same counter deltas.
 * And appends held for a modelled minute do not hold the submitter or the
 * module: killed, its commands complete at once (timing_hurried) and the
 * module unloads; a drive powered off completes them at once with their
 * results.
 * Only lower bounds: the host is shared and slow, so nothing asserts that
 * a command is fast.  The parameters make every transfer take
 * milliseconds, so a command that skips the model is caught by its time
 * and by the counters alike.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "nvme_test.h"
#include "prog_test.h"
#include "zone_lib.h"

/* The model's parameters (module parameter timing=) */
#define LINK_MBPS	400
#define LINK_LAT_NS	20000
#define MEDIA_MBPS	31		/* read and write, as in issue 27's report */
#define MREAD_LAT_NS	50000
#define MWRITE_LAT_NS	30000
#define FW_NS		10000
#define TIMING		"link_mbps=400,link_lat_ns=20000,media_read_mbps=31," \
			"media_write_mbps=31,media_read_lat_ns=50000," \
			"media_write_lat_ns=30000,fw_overhead_ns=10000," \
			"compute_units=1,compute_factor_pct=100"
/* latency=1: the histograms hold the modelled times checked here */
#define PARAMS		"capacity_mb=64 zoned=1 zone_size_mb=4 zone_nr_conv=1 latency=1 " \
			"timing=" TIMING

#define XFER		(64U << 10)	/* bytes per command */
#define NR_CMDS		8		/* commands per QD1 test */
#define NR_RINGS	4		/* concurrent appenders */
#define NR_PER_RING	8

/* Nanoseconds to move @bytes at @mbps MB/s, rounded as timing.c does. */
static uint64_t xfer_ns(uint64_t bytes, uint64_t mbps)
{
	return mbps ? (bytes * 1000 + mbps / 2) / mbps : 0;
}

/* WRITE and ZONE_APPEND: link from the host, fw + latency, media, link latency */
static uint64_t model_write_ns(uint64_t b)
{
	return xfer_ns(b, LINK_MBPS) + FW_NS + MWRITE_LAT_NS + xfer_ns(b, MEDIA_MBPS) +
	       LINK_LAT_NS;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* GET_STATS (the timing counters are not in ubt_sysfs_stats()); 0 or -errno */
static int stats(struct ubz_dev *d, struct uringblk_stats *st)
{
	int ret = ubt_get_stats(&d->ring, d->cfd, st, 0);

	return ret == (int)sizeof(*st) ? 0 : ret < 0 ? ret : -EPROTO;
}

#define DELTA(a, b, f)	((b)->f - (a)->f)

/* GET_STATS | F_LATENCY; 0 or -errno */
static int lat_stats(struct ubz_dev *d, struct uringblk_latency_stats *l)
{
	struct uringblk_cmd cmd;
	int ret;

	memset(l, 0, sizeof(*l));
	ubt_cmd_init(&cmd, l, sizeof(*l));
	cmd.flags = URINGBLK_STATS_F_LATENCY;
	ret = ubt_uring_cmd(&d->ring, d->cfd, URINGBLK_CMD_GET_STATS, &cmd, NULL);
	return ret == (int)sizeof(*l) ? 0 : ret < 0 ? ret : -EPROTO;
}

/* Operations recorded in histogram @op between @a and @b. */
static uint64_t lat_count(const struct uringblk_latency_stats *a,
			  const struct uringblk_latency_stats *b, int op)
{
	uint64_t n = 0;

	for (int i = 0; i < URINGBLK_LAT_NR_BUCKETS; i++)
		n += b->counts[op][i] - a->counts[op][i];
	return n;
}

/*
 * The latency histogram @op recorded @n operations between @la and @lb,
 * and with the model they took at least @model_ns each (the driver's
 * clock: from the arrival the model counts from to the completion).
 */
#define EXPECT_LAT(la, lb, op, n, model_ns) do {					EXPECT_EQ((uint64_t)(n), lat_count(la, lb, op));				EXPECT_LE((uint64_t)(n) * (model_ns), (lb)->sum_ns[op] - (la)->sum_ns[op]) 		TH_LOG("histogram %d: %llu ns for %d, modelled %llu each", op,			       (unsigned long long)((lb)->sum_ns[op] - (la)->sum_ns[op]), 		       n, (unsigned long long)(model_ns));			} while (0)

/*
 * What the model's counters must have done over @n commands at QD1
 * (held or late, none hurried, nothing waited).
 */
#define EXPECT_MODEL_COUNTERS(a, b, n) do {					\
	EXPECT_EQ((uint64_t)(n), DELTA(a, b, timing_held) + DELTA(a, b, timing_late)) \
		TH_LOG("held %llu + late %llu: the model did not see every command", \
		       (unsigned long long)DELTA(a, b, timing_held),		\
		       (unsigned long long)DELTA(a, b, timing_late));		\
	EXPECT_EQ(0, DELTA(a, b, timing_hurried));				\
	EXPECT_EQ(0, DELTA(a, b, timing_link_wait_ns));				\
	EXPECT_EQ(0, DELTA(a, b, timing_media_wait_ns));			\
} while (0)

FIXTURE(tc) {
	struct ubz_dev d;
	uint8_t *buf;
	uint64_t model_ns;	/* the sum of the commands' modelled times */
	uint64_t meas_ns;	/* and of their measured times */
	uint64_t min_margin;	/* the least measured - modelled */
};

FIXTURE_SETUP(tc)
{
	int ret;

	UBT_SETUP_MODULE(ubt_module_reload, PARAMS);
	ret = ubz_open(&self->d, 0);
	if (ret == -ENOTTY)
		UBT_SETUP_SKIP("the driver does not report URINGBLK_F_ZONED");
	ASSERT_EQ(0, ret);
	ASSERT_TRUE(self->d.id.features & URINGBLK_F_TIMING);
	ASSERT_LE(XFER, self->d.id.max_zone_append);
	self->buf = ubt_alloc(XFER * NR_RINGS);
	ASSERT_NE(NULL, self->buf);
	ubp_random(self->buf, XFER * NR_RINGS, 27);
	self->min_margin = UINT64_MAX;
}

FIXTURE_TEARDOWN(tc)
{
	if (self->buf)
		munmap(self->buf, XFER * NR_RINGS);
	ubz_close(&self->d);
}

/* Account one command that took @meas_ns against its @model_ns. */
static bool check_one(FIXTURE_DATA(tc) *self, uint64_t meas_ns, uint64_t model_ns)
{
	self->meas_ns += meas_ns;
	self->model_ns += model_ns;
	if (meas_ns >= model_ns && meas_ns - model_ns < self->min_margin)
		self->min_margin = meas_ns - model_ns;
	return meas_ns >= model_ns;
}

#define REPORT(self, what, n)						\
	TH_LOG("%s: %d commands, measured %.3f ms (mean %.3f), modelled %.3f ms (mean %.3f), closest %.1f us above", \
	       what, n, (self)->meas_ns / 1e6, (self)->meas_ns / 1e6 / (n), \
	       (self)->model_ns / 1e6, (self)->model_ns / 1e6 / (n),	\
	       (self)->min_margin == UINT64_MAX ? -1.0 : (self)->min_margin / 1e3)

/*
 * The reference: block WRITEs of XFER bytes to the conventional zone at
 * QD1 pay exactly model_write_ns() each.
 */
TEST_F(tc, block_write_reference)
{
	struct uringblk_latency_stats la, lb;
	struct uringblk_stats a, b;
	uint64_t t;

	ASSERT_LE(XFER >> 9, self->d.id.max_hw_sectors) TH_LOG("a write would be split");
	ASSERT_EQ(0, stats(&self->d, &a));
	ASSERT_EQ(0, lat_stats(&self->d, &la));
	for (int i = 0; i < NR_CMDS; i++) {
		t = now_ns();
		ASSERT_EQ(0, ubz_write(&self->d, (uint64_t)i * (XFER / self->d.bs),
				       self->buf, XFER / self->d.bs));
		t = now_ns() - t;
		EXPECT_TRUE(check_one(self, t, model_write_ns(XFER)))
			TH_LOG("write %d: %.3f ms, modelled %.3f ms", i, t / 1e6,
			       model_write_ns(XFER) / 1e6);
	}
	ASSERT_EQ(0, stats(&self->d, &b));
	ASSERT_EQ(0, lat_stats(&self->d, &lb));
	EXPECT_LAT(&la, &lb, URINGBLK_LAT_WRITE, NR_CMDS, model_write_ns(XFER));
	EXPECT_EQ(NR_CMDS, DELTA(&a, &b, write_ops));
	EXPECT_EQ((uint64_t)NR_CMDS * XFER, DELTA(&a, &b, write_bytes));
	EXPECT_MODEL_COUNTERS(&a, &b, NR_CMDS);
	REPORT(self, "block WRITE 64 KiB QD1", NR_CMDS);
}

/* ZONE_APPEND over the command device: the same cost as the block WRITE. */
TEST_F(tc, zone_append_pays_as_a_write)
{
	const uint64_t zlba = ubz_lba(&self->d, ubz_seq(&self->d, 0));
	struct uringblk_latency_stats la, lb;
	struct uringblk_stats a, b;
	uint64_t t, lba;

	ASSERT_EQ(0, stats(&self->d, &a));
	ASSERT_EQ(0, lat_stats(&self->d, &la));
	for (int i = 0; i < NR_CMDS; i++) {
		t = now_ns();
		ASSERT_EQ(0, ubz_append(&self->d, zlba, self->buf, XFER, &lba, NULL));
		t = now_ns() - t;
		EXPECT_EQ(zlba + (uint64_t)i * (XFER / self->d.bs), lba);
		EXPECT_TRUE(check_one(self, t, model_write_ns(XFER)))
			TH_LOG("append %d: %.3f ms, modelled %.3f ms", i, t / 1e6,
			       model_write_ns(XFER) / 1e6);
	}
	ASSERT_EQ(0, stats(&self->d, &b));
	ASSERT_EQ(0, lat_stats(&self->d, &lb));
	/* the histogram holds the modelled time, as the block write's does */
	EXPECT_LAT(&la, &lb, URINGBLK_LAT_ZONE_APPEND, NR_CMDS, model_write_ns(XFER));
	EXPECT_EQ(NR_CMDS, DELTA(&a, &b, zone_appends));
	EXPECT_EQ((uint64_t)NR_CMDS * XFER, DELTA(&a, &b, zone_append_bytes));
	EXPECT_MODEL_COUNTERS(&a, &b, NR_CMDS);
	REPORT(self, "ZONE_APPEND 64 KiB QD1", NR_CMDS);
	/* the data landed as written */
	ASSERT_EQ(0, ubz_read(&self->d, zlba, self->buf + XFER, XFER / self->d.bs));
	EXPECT_EQ(0, memcmp(self->buf, self->buf + XFER, XFER));
}

struct appender {
	struct ubz_dev *d;
	uint64_t zlba;
	const void *buf;
	pthread_barrier_t *go;
	int ret;
};

/* NR_PER_RING appends on a ring of its own. */
static void *append_thread(void *arg)
{
	struct appender *ap = arg;
	struct ubz_dev me = *ap->d;	/* the descriptors, shared */

	int init = io_uring_queue_init(4, &me.ring, IORING_SETUP_SQE128 | IORING_SETUP_CQE32);

	ap->ret = init;
	pthread_barrier_wait(ap->go);
	for (int i = 0; !ap->ret && i < NR_PER_RING; i++)
		ap->ret = ubz_append(&me, ap->zlba, ap->buf, XFER, NULL, NULL);
	if (!init)
		io_uring_queue_exit(&me.ring);
	return NULL;
}

/*
 * Four rings appending at once share one media: together they take at
 * least all their bytes at its rate (issue 27: they reached 41-48 MB/s
 * against a modelled 31).
 */
TEST_F(tc, concurrent_appends_share_the_media)
{
	struct appender ap[NR_RINGS];
	pthread_t th[NR_RINGS];
	pthread_barrier_t go;
	struct uringblk_stats a, b;
	const uint64_t n = NR_RINGS * NR_PER_RING, bytes = n * XFER;
	uint64_t t, floor_ns = xfer_ns(bytes, MEDIA_MBPS);

	ASSERT_EQ(0, stats(&self->d, &a));
	ASSERT_EQ(0, pthread_barrier_init(&go, NULL, NR_RINGS + 1));
	for (int i = 0; i < NR_RINGS; i++) {
		ap[i] = (struct appender) {
			.d = &self->d, .zlba = ubz_lba(&self->d, ubz_seq(&self->d, i)),
			.buf = self->buf + (size_t)i * XFER, .go = &go,
		};
		ASSERT_EQ(0, pthread_create(&th[i], NULL, append_thread, &ap[i]));
	}
	/*
	 * The clock starts before the barrier lets the appenders go: read
	 * after it, it missed what they submitted while this thread waited
	 * for a CPU (on 6.12 once 0.8 ms of the media's 67.7 ms).
	 */
	t = now_ns();
	pthread_barrier_wait(&go);
	for (int i = 0; i < NR_RINGS; i++)
		pthread_join(th[i], NULL);
	t = now_ns() - t;
	for (int i = 0; i < NR_RINGS; i++) {
		EXPECT_EQ(0, ap[i].ret) TH_LOG("ring %d: %s", i, strerror(-ap[i].ret));
	}
	ASSERT_EQ(0, stats(&self->d, &b));
	EXPECT_EQ(n, DELTA(&a, &b, zone_appends));
	EXPECT_EQ(n, DELTA(&a, &b, timing_held) + DELTA(&a, &b, timing_late));
	EXPECT_EQ(0, DELTA(&a, &b, timing_hurried));
	TH_LOG("%d rings x %d appends of 64 KiB: %.3f ms = %.1f MB/s; the media alone takes %.3f ms (%d MB/s); waited for it %.3f ms",
	       NR_RINGS, NR_PER_RING, t / 1e6, bytes * 1e3 / t, floor_ns / 1e6,
	       MEDIA_MBPS, DELTA(&a, &b, timing_media_wait_ns) / 1e6);
	EXPECT_GE(t, floor_ns) TH_LOG("faster than the media");
	pthread_barrier_destroy(&go);
}

/* ZONE_MGMT: firmware and link latency, as a block zone management request. */
TEST_F(tc, zone_mgmt_pays_a_command)
{
	const uint64_t model = FW_NS + LINK_LAT_NS;
	const uint32_t zno = ubz_seq(&self->d, 1);
	struct uringblk_latency_stats la, lb;
	struct uringblk_stats a, b;
	uint64_t t;

	ASSERT_EQ(0, stats(&self->d, &a));
	ASSERT_EQ(0, lat_stats(&self->d, &la));
	for (int i = 0; i < NR_CMDS; i++) {
		uint32_t action = i % 2 ? URINGBLK_ZONE_ACTION_CLOSE : URINGBLK_ZONE_ACTION_OPEN;

		t = now_ns();
		ASSERT_EQ(0, ubz_mgmt(&self->d, zno, action));
		t = now_ns() - t;
		EXPECT_TRUE(check_one(self, t, model))
			TH_LOG("zone mgmt %d: %.3f ms, modelled %.3f ms", i, t / 1e6,
			       model / 1e6);
	}
	ASSERT_EQ(0, stats(&self->d, &b));
	ASSERT_EQ(0, lat_stats(&self->d, &lb));
	EXPECT_LAT(&la, &lb, URINGBLK_LAT_ZONE_MGMT, NR_CMDS, model);
	EXPECT_EQ(NR_CMDS / 2, DELTA(&a, &b, zone_opens));
	EXPECT_EQ(NR_CMDS / 2, DELTA(&a, &b, zone_closes));
	EXPECT_MODEL_COUNTERS(&a, &b, NR_CMDS);
	REPORT(self, "ZONE_MGMT QD1", NR_CMDS);
}

/* NVMe Zone Append (7Dh) on the drive's node: a WRITE's cost, histogram and counters. */
TEST_F(tc, nvme_zone_append_pays_as_a_write)
{
	const uint64_t zlba = ubz_lba(&self->d, ubz_seq(&self->d, 2));
	struct uringblk_latency_stats la, lb;
	struct uringblk_stats a, b;
	uint64_t t;

	ASSERT_EQ(0, stats(&self->d, &a));
	ASSERT_EQ(0, lat_stats(&self->d, &la));
	for (int i = 0; i < NR_CMDS; i++) {
		struct nvme_passthru_cmd64 c = cmd64(0x7d, 1, self->buf, XFER);

		c.cdw10 = (uint32_t)zlba;
		c.cdw11 = zlba >> 32;
		c.cdw12 = XFER / self->d.bs - 1;
		t = now_ns();
		ASSERT_EQ(0, nvme_ioctl(self->d.cfd, NVME_IOCTL_IO64_CMD, &c));
		t = now_ns() - t;
		EXPECT_EQ(zlba + (uint64_t)i * (XFER / self->d.bs), c.result);
		EXPECT_TRUE(check_one(self, t, model_write_ns(XFER)))
			TH_LOG("NVMe append %d: %.3f ms, modelled %.3f ms", i, t / 1e6,
			       model_write_ns(XFER) / 1e6);
	}
	ASSERT_EQ(0, stats(&self->d, &b));
	ASSERT_EQ(0, lat_stats(&self->d, &lb));
	EXPECT_LAT(&la, &lb, URINGBLK_LAT_ZONE_APPEND, NR_CMDS, model_write_ns(XFER));
	EXPECT_EQ(NR_CMDS, DELTA(&a, &b, zone_appends));
	EXPECT_EQ((uint64_t)NR_CMDS * XFER, DELTA(&a, &b, zone_append_bytes));
	EXPECT_MODEL_COUNTERS(&a, &b, NR_CMDS);
	REPORT(self, "NVMe Zone Append 64 KiB QD1", NR_CMDS);
}

/* Zone Management Send (79h): @zsa on the zone at @zlba, or Select All. */
static int nvme_zsa(FIXTURE_DATA(tc) *self, uint64_t zlba, uint8_t zsa, bool all)
{
	struct nvme_passthru_cmd64 c = cmd64(0x79, 1, NULL, 0);

	c.cdw10 = (uint32_t)zlba;
	c.cdw11 = zlba >> 32;
	c.cdw13 = zsa | (all ? 1u << 8 : 0);
	return nvme_ioctl(self->d.cfd, NVME_IOCTL_IO64_CMD, &c);
}

/*
 * NVMe Zone Management Send: firmware and link latency, as ZONE_MGMT; a
 * Close with Select All over three open zones is one command (one
 * deadline) and three zone_mgmt latencies, as it counts three closes.
 */
TEST_F(tc, nvme_zone_mgmt_pays_a_command)
{
	const uint64_t model = FW_NS + LINK_LAT_NS;
	const uint64_t zlba = ubz_lba(&self->d, ubz_seq(&self->d, 3));
	struct uringblk_latency_stats la, lb;
	struct uringblk_stats a, b;
	uint64_t t;

	ASSERT_EQ(0, stats(&self->d, &a));
	ASSERT_EQ(0, lat_stats(&self->d, &la));
	for (int i = 0; i < NR_CMDS; i++) {
		uint8_t zsa = i % 2 ? 0x01 : 0x03;	/* Close, Open */

		t = now_ns();
		ASSERT_EQ(0, nvme_zsa(self, zlba, zsa, false));
		t = now_ns() - t;
		EXPECT_TRUE(check_one(self, t, model))
			TH_LOG("NVMe zone mgmt %d: %.3f ms, modelled %.3f ms", i, t / 1e6,
			       model / 1e6);
	}
	ASSERT_EQ(0, stats(&self->d, &b));
	ASSERT_EQ(0, lat_stats(&self->d, &lb));
	EXPECT_LAT(&la, &lb, URINGBLK_LAT_ZONE_MGMT, NR_CMDS, model);
	EXPECT_EQ(NR_CMDS / 2, DELTA(&a, &b, zone_opens));
	EXPECT_EQ(NR_CMDS / 2, DELTA(&a, &b, zone_closes));
	EXPECT_MODEL_COUNTERS(&a, &b, NR_CMDS);
	REPORT(self, "NVMe Zone Management Send QD1", NR_CMDS);

	for (int z = 0; z < 3; z++)
		ASSERT_EQ(0, nvme_zsa(self, ubz_lba(&self->d, ubz_seq(&self->d, z)), 0x03, false));
	ASSERT_EQ(0, stats(&self->d, &a));
	ASSERT_EQ(0, lat_stats(&self->d, &la));
	t = now_ns();
	ASSERT_EQ(0, nvme_zsa(self, 0, 0x01, true));
	t = now_ns() - t;
	EXPECT_LE(model, t);
	ASSERT_EQ(0, stats(&self->d, &b));
	ASSERT_EQ(0, lat_stats(&self->d, &lb));
	EXPECT_EQ(3, DELTA(&a, &b, zone_closes));
	EXPECT_LAT(&la, &lb, URINGBLK_LAT_ZONE_MGMT, 3, model);
	EXPECT_MODEL_COUNTERS(&a, &b, 1);
}

/* MEM_WRITE and MEM_READ: the link (either direction), firmware, link latency. */
TEST_F(tc, mem_write_read_pay_the_link)
{
	const uint64_t model = xfer_ns(XFER, LINK_MBPS) + FW_NS + LINK_LAT_NS;
	struct uringblk_stats a, b;
	uint64_t t;

	ASSERT_EQ(0, stats(&self->d, &a));
	for (int i = 0; i < NR_CMDS; i++) {
		uint32_t op = i % 2 ? URINGBLK_CMD_MEM_READ : URINGBLK_CMD_MEM_WRITE;

		t = now_ns();
		ASSERT_EQ(XFER, ubp_mem_rw(&self->d.ring, self->d.cfd, op, 0,
					   self->buf + (i % 2) * XFER, XFER));
		t = now_ns() - t;
		EXPECT_TRUE(check_one(self, t, model))
			TH_LOG("mem %d: %.3f ms, modelled %.3f ms", i, t / 1e6, model / 1e6);
	}
	ASSERT_EQ(0, stats(&self->d, &b));
	EXPECT_EQ(NR_CMDS / 2, DELTA(&a, &b, mem_writes));
	EXPECT_EQ(NR_CMDS / 2, DELTA(&a, &b, mem_reads));
	EXPECT_MODEL_COUNTERS(&a, &b, NR_CMDS);
	EXPECT_EQ(0, memcmp(self->buf, self->buf + XFER, XFER));
	REPORT(self, "MEM_WRITE/MEM_READ 64 KiB QD1", NR_CMDS);
}

/* MEM_COPY: a READ of its bytes without the link. */
TEST_F(tc, mem_copy_pays_the_media)
{
	const uint64_t model = FW_NS + MREAD_LAT_NS + xfer_ns(XFER, MEDIA_MBPS) + LINK_LAT_NS;
	struct uringblk_copy_range r = { .slba = 0, .nlb = XFER / self->d.bs };
	struct uringblk_stats a, b;
	struct uringblk_cmd cmd;
	uint64_t t;

	ASSERT_EQ(0, ubz_write(&self->d, 0, self->buf, XFER / self->d.bs));
	ASSERT_EQ(0, stats(&self->d, &a));
	for (int i = 0; i < NR_CMDS; i++) {
		ubt_cmd_init(&cmd, &r, sizeof(r));
		cmd.mem_copy.slm_off = 0;
		cmd.mem_copy.nr_ranges = 1;
		t = now_ns();
		ASSERT_EQ(XFER, ubt_uring_cmd(&self->d.ring, self->d.cfd,
					      URINGBLK_CMD_MEM_COPY, &cmd, NULL));
		t = now_ns() - t;
		EXPECT_TRUE(check_one(self, t, model))
			TH_LOG("copy %d: %.3f ms, modelled %.3f ms", i, t / 1e6, model / 1e6);
	}
	ASSERT_EQ(0, stats(&self->d, &b));
	EXPECT_EQ(NR_CMDS, DELTA(&a, &b, mem_copies));
	EXPECT_EQ((uint64_t)NR_CMDS * XFER, DELTA(&a, &b, slm_bytes_from_media));
	EXPECT_MODEL_COUNTERS(&a, &b, NR_CMDS);
	REPORT(self, "MEM_COPY 64 KiB QD1", NR_CMDS);
}

/*
 * EXEC over LBAs: its run on the unit (factor 100: modelled = measured,
 * timing_cu_model_ns) overlapped with the media read of its bytes, then
 * its reply over the link.  The model of each is computed from the
 * counters of that one run.
 */
TEST_F(tc, exec_pays_the_media_and_a_unit)
{
	struct ubp_exec e = { .lba = 0, .count = XFER / self->d.bs };
	uint8_t reply[UBP_RES_SIZE];
	struct uringblk_stats a, b, s, s2;
	const struct uringblk_exec_result *res = (const void *)reply;
	char log[256] = "";
	uint64_t t, run, media, model;
	int prog;

	ASSERT_EQ(0, ubz_write(&self->d, 0, self->buf, XFER / self->d.bs));
	prog = ubp_load_obj(&self->d.ring, self->d.cfd, "count_pattern", log, sizeof(log));
	ASSERT_LT(0, prog) TH_LOG("%s", log);
	e.prog = prog;
	ubp_pattern_args(&e, "ab", 2);
	ASSERT_EQ(0, stats(&self->d, &a));
	for (int i = 0; i < NR_CMDS; i++) {
		ASSERT_EQ(0, stats(&self->d, &s));
		t = now_ns();
		ASSERT_EQ((int)ubp_ref_count(self->buf, XFER, "ab", 2),
			  ubp_exec(&self->d.ring, self->d.cfd, &e, reply, sizeof(reply), NULL));
		t = now_ns() - t;
		ASSERT_EQ(0, stats(&self->d, &s2));
		run = DELTA(&s, &s2, timing_cu_model_ns);
		EXPECT_EQ(DELTA(&s, &s2, timing_cu_run_ns), run);
		media = MREAD_LAT_NS + xfer_ns(res->bytes_scanned, MEDIA_MBPS);
		model = FW_NS + (run > media ? run : media) +
			xfer_ns(UBP_RES_SIZE + res->out_len, LINK_MBPS) + LINK_LAT_NS;
		EXPECT_EQ(XFER, res->bytes_scanned);
		EXPECT_TRUE(check_one(self, t, model))
			TH_LOG("exec %d: %.3f ms, modelled %.3f ms", i, t / 1e6, model / 1e6);
	}
	ASSERT_EQ(0, stats(&self->d, &b));
	EXPECT_EQ(NR_CMDS, DELTA(&a, &b, prog_runs));
	EXPECT_EQ(0, DELTA(&a, &b, timing_cu_waits));
	EXPECT_MODEL_COUNTERS(&a, &b, NR_CMDS);
	REPORT(self, "EXEC over 64 KiB QD1", NR_CMDS);
}

/* EXECUTE over SLM: a unit for its run, no media, its reply over the link. */
TEST_F(tc, execute_pays_a_unit)
{
	struct uringblk_mem_range r = { .slm_off = 0, .len = self->d.id.slm_granularity };
	struct ubp_execute x = { .pind = 1, .args = { 1000 } };
	uint8_t reply[UBP_RES_SIZE];
	const struct uringblk_exec_result *res = (const void *)reply;
	struct uringblk_stats a, b, s, s2;
	uint64_t t, model;
	int id, rsid;

	id = ubp_load_slot(&self->d.ring, self->d.cfd, ubp_count_loop, UBP_NINSNS(ubp_count_loop),
			   "loop", 1, NULL, 0);
	ASSERT_LT(0, id);
	ASSERT_EQ(0, ubp_activate(&self->d.ring, self->d.cfd, 1, URINGBLK_PROG_ACT_ACTIVATE));
	rsid = ubp_rset_create(&self->d.ring, self->d.cfd, &r, 1);
	ASSERT_LT(0, rsid);
	x.rsid = rsid;
	ASSERT_EQ(0, stats(&self->d, &a));
	for (int i = 0; i < NR_CMDS; i++) {
		ASSERT_EQ(0, stats(&self->d, &s));
		t = now_ns();
		ASSERT_EQ(1000, ubp_execute(&self->d.ring, self->d.cfd, &x, reply,
					    sizeof(reply), NULL));
		t = now_ns() - t;
		ASSERT_EQ(0, stats(&self->d, &s2));
		model = FW_NS + DELTA(&s, &s2, timing_cu_model_ns) +
			xfer_ns(UBP_RES_SIZE + res->out_len, LINK_MBPS) + LINK_LAT_NS;
		EXPECT_TRUE(check_one(self, t, model))
			TH_LOG("execute %d: %.3f ms, modelled %.3f ms", i, t / 1e6,
			       model / 1e6);
	}
	ASSERT_EQ(0, stats(&self->d, &b));
	EXPECT_EQ(NR_CMDS, DELTA(&a, &b, executes));
	EXPECT_MODEL_COUNTERS(&a, &b, NR_CMDS);
	REPORT(self, "EXECUTE QD1", NR_CMDS);
	EXPECT_EQ(0, ubp_rset_delete(&self->d.ring, self->d.cfd, rsid));
}

/* ---- appends held for a modelled minute: kill, removal, rmmod ------------ */

#define HOLD_TIMING	"media_write_mbps=1"	/* 512 KiB: 0.52 s each */
#define HOLD_XFER	(512U << 10)
#define HOLD_NR		128			/* 64 MiB: 67 s of media */
#define HOLD_PER_ZONE	8			/* 4 MiB zones */
#define CFG_ROOT	"/sys/kernel/config/uringblk"
#define CFG_DEV		CFG_ROOT "/timing_cmd"

/* Queue HOLD_NR appends on @d's ring (user_data i), spread over zones. */
static int submit_held_appends(struct ubz_dev *d, const void *buf)
{
	struct uringblk_cmd cmd;

	for (int i = 0; i < HOLD_NR; i++) {
		ubt_cmd_init(&cmd, (void *)buf, HOLD_XFER);
		cmd.zone_append.zone_lba = ubz_lba(d, ubz_seq(d, i / HOLD_PER_ZONE));
		if (ubp_prep_cmd(&d->ring, d->cfd, URINGBLK_CMD_ZONE_APPEND, &cmd, i, 0))
			return -EBUSY;
	}
	return io_uring_submit(&d->ring) == HOLD_NR ? 0 : -EIO;
}

/* Wait until all HOLD_NR appends of drive @idx have landed (and wait). */
static uint64_t wait_landed(int idx)
{
	uint64_t n = 0;
	double t0 = ubp_now();

	while (n < HOLD_NR && ubp_now() - t0 < 120) {
		usleep(20000);
		ubp_counter(idx, "zone_appends", &n);
	}
	return n;
}

/*
 * The submitter killed with a minute of appends held: a kworker tears its
 * ring down and waits for them, holding the drive's file; they must
 * complete at once (timing_hurried), not at their deadlines, and the
 * module unload.
 */
TEST(kill_with_appends_held)
{
	struct ubz_dev d;
	uint64_t hurried = 0;
	int status, ret, fds[2];
	double t0;
	void *buf;
	pid_t pid;
	char c;

	ret = ubt_module_reload("capacity_mb=128 zoned=1 zone_size_mb=4 zone_nr_conv=1 "
				"timing=" HOLD_TIMING);
	if (ret == -ENOENT)
		SKIP(return, "URINGBLK_KO not set: cannot load the module");
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, pipe(fds));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		buf = ubt_alloc(HOLD_XFER);
		if (!buf || ubz_open(&d, 0))
			_exit(2);
		io_uring_queue_exit(&d.ring);
		if (io_uring_queue_init(HOLD_NR, &d.ring, IORING_SETUP_SQE128 |
					IORING_SETUP_CQE32) ||
		    submit_held_appends(&d, buf))
			_exit(3);
		c = 1;
		if (write(fds[1], &c, 1) != 1)
			_exit(4);
		pause();	/* killed here, its appends held */
		_exit(5);
	}
	close(fds[1]);
	ASSERT_EQ(1, read(fds[0], &c, 1)) TH_LOG("the child could not submit");
	close(fds[0]);
	ASSERT_EQ(HOLD_NR, wait_landed(0));
	ubp_counter(0, "timing_hurried", &hurried);
	EXPECT_EQ(0, hurried);

	t0 = ubp_now();
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
		TH_LOG("the child ended otherwise: status %#x", status);
	/* guards, not measures: the watch looks every 100 ms, the backlog is 67 s */
	while (!hurried && ubp_now() - t0 < 20) {
		usleep(10000);
		ubp_counter(0, "timing_hurried", &hurried);
	}
	EXPECT_LT(0, hurried) TH_LOG("no append completed early in 20 s after SIGKILL");
	TH_LOG("held appends completed %.3f s after SIGKILL (%llu hurried)",
	       ubp_now() - t0, (unsigned long long)hurried);
	ret = ubp_module_unload_wait(20000);
	EXPECT_EQ(0, ret) TH_LOG("rmmod: %s", strerror(-ret));
}

struct power_off {
	const char	*path;
	int		ret;
	double		secs;
};

static void *power_off_thread(void *arg)
{
	struct power_off *p = arg;
	double t = ubp_now();

	p->ret = ubt_write_str(p->path, "0");
	p->secs = ubp_now() - t;
	return NULL;
}

/*
 * The drive powered off with a minute of appends held: each completes at
 * once with its result (the data landed: 0), and the module unloads.
 */
TEST(removal_completes_held_appends)
{
	struct power_off po = { .path = CFG_DEV "/power" };
	struct io_uring_cqe *cqe;
	struct ubz_dev d;
	uint64_t idx;
	char path[64];
	pthread_t th;
	int ret, n = 0, ok = 0;
	void *buf;

	ret = ubt_module_loaded() ? ubp_module_unload_wait(5000) : 0;
	ASSERT_EQ(0, ret) TH_LOG("rmmod: %s", strerror(-ret));
	ret = ubt_module_load("nr_devices=0");
	if (ret == -ENOENT)
		SKIP(return, "URINGBLK_KO not set: cannot load the module");
	ASSERT_EQ(0, ret);
	if (access("/sys/kernel/config", F_OK) == 0 && access(CFG_ROOT, F_OK) != 0)
		mount("configfs", "/sys/kernel/config", "configfs", 0, NULL);
	if (access(CFG_ROOT, F_OK) != 0)
		SKIP(return, "no configfs: %s does not exist", CFG_ROOT);
	ASSERT_EQ(0, mkdir(CFG_DEV, 0755)) TH_LOG("mkdir %s: %m", CFG_DEV);
	ASSERT_EQ(0, ubt_write_str(CFG_DEV "/capacity_mb", "128"));
	ASSERT_EQ(0, ubt_write_str(CFG_DEV "/zoned", "1"));
	ASSERT_EQ(0, ubt_write_str(CFG_DEV "/zone_size_mb", "4"));
	ASSERT_EQ(0, ubt_write_str(CFG_DEV "/zone_nr_conv", "1"));
	ASSERT_EQ(0, ubt_write_str(CFG_DEV "/timing", HOLD_TIMING));
	ASSERT_EQ(0, ubt_write_str(CFG_DEV "/power", "1"));
	ASSERT_EQ(0, ubt_read_u64(CFG_DEV "/index", &idx));
	snprintf(path, sizeof(path), "/dev/uringblkc%d", (int)idx);
	ASSERT_EQ(0, ubt_wait_path(path, 5000));
	buf = ubt_alloc(HOLD_XFER);
	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, ubz_open(&d, idx));
	io_uring_queue_exit(&d.ring);
	ASSERT_EQ(0, io_uring_queue_init(HOLD_NR, &d.ring,
					 IORING_SETUP_SQE128 | IORING_SETUP_CQE32));
	ASSERT_EQ(0, submit_held_appends(&d, buf));
	ASSERT_EQ(HOLD_NR, wait_landed(idx));

	ASSERT_EQ(0, pthread_create(&th, NULL, power_off_thread, &po));
	for (; n < HOLD_NR; n++) {
		struct __kernel_timespec ts = { .tv_sec = 20 };

		/* a guard, not a measure: the backlog is a minute of media */
		ret = io_uring_wait_cqe_timeout(&d.ring, &cqe, &ts);
		if (ret)
			break;
		ok += cqe->res == 0;
		io_uring_cqe_seen(&d.ring, cqe);
	}
	pthread_join(th, NULL);
	EXPECT_EQ(HOLD_NR, n) TH_LOG("%d appends completed, then %s", n, strerror(-ret));
	EXPECT_EQ(HOLD_NR, ok) TH_LOG("appends failed after they had landed");
	EXPECT_EQ(0, po.ret) TH_LOG("power = 0: %s", strerror(-po.ret));
	TH_LOG("removal took %.3f s", po.secs);
	ubz_close(&d);
	munmap(buf, HOLD_XFER);
	EXPECT_EQ(0, rmdir(CFG_DEV)) TH_LOG("rmdir: %m");
	ret = ubp_module_unload_wait(5000);
	EXPECT_EQ(0, ret) TH_LOG("rmmod: %s", strerror(-ret));
}

TEST_HARNESS_MAIN
