// SPDX-License-Identifier: GPL-2.0
/*
 * Concurrency: data threads write and verify patterned data in disjoint
 * regions, pinned to different CPUs (so to different hardware queues),
 * some with synchronous O_DIRECT pread/pwrite, some with io_uring at queue
 * depth 8 (interrupt-style and IOPOLL through the poll queue), while
 * command threads hammer IDENTIFY and GET_STATS on their own rings.
 *
 * Afterwards every byte is verified again and the counters must have moved
 * by exactly what the threads did.  For that, no two requests may merge:
 * regions are separated by gaps, synchronous threads have one request in
 * flight, and io_uring threads only keep non-adjacent slots in flight at a
 * time (even slots, then odd slots).  Transfers are at most 256 KiB, below
 * max_sectors_kb, so none is split.  Hardware queues, IOPOLL through a poll
 * queue and "no merge" are blk-mq's: the drives are queue_mode=mq.
 */
#include <fcntl.h>
#include <linux/fs.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "harness.h"
#include "uringblk_test.h"

#define PARAMS		"capacity_mb=1024 nr_hw_queues=4 poll_queues=1 queue_depth=32 queue_mode=mq"
#define REGION_LEN	(24 * UBT_MIB)
#define REGION_GAP	UBT_MIB
#define NR_SYNC		4
#define NR_URING	3	/* the last NR_POLLED of them use IOPOLL */
#define NR_POLLED	2
#define NR_DATA		(NR_SYNC + NR_URING)
#define NR_CMD		3
#define PASSES		2
#define SLOT		(16 * UBT_KIB)
#define DEPTH		8

struct worker {
	pthread_t thread;
	int id;
	int cpu;
	bool polled;
	uint64_t base;
	/* What the thread did, counted as requests and bytes. */
	uint64_t w_ops, w_bytes, r_ops, r_bytes;
	uint64_t cmds;
	char err[256];
};

static atomic_int data_running;

static void fail(struct worker *w, const char *fmt, ...)
{
	va_list ap;

	if (w->err[0])
		return;
	va_start(ap, fmt);
	vsnprintf(w->err, sizeof(w->err), fmt, ap);
	va_end(ap);
}

static void pin(struct worker *w)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(w->cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static uint32_t seed_of(const struct worker *w, int pass)
{
	return 1000 * (w->id + 1) + pass;
}

/* Synchronous pwrite/pread of varying sizes over the region. */
static void *sync_worker(void *arg)
{
	static const uint32_t sizes[] = { 4096, 8192, 65536, 12288, 262144, 512 * 8 };
	struct worker *w = arg;
	uint8_t *buf = ubt_alloc(256 * UBT_KIB);
	int fd, pass, k = w->id;
	uint64_t off;

	pin(w);
	fd = ubt_open_blk(0, O_RDWR | O_DIRECT);
	if (fd < 0 || !buf) {
		fail(w, "setup: %s", strerror(fd < 0 ? -fd : ENOMEM));
		goto out;
	}
	for (pass = 0; pass < PASSES && !w->err[0]; pass++) {
		for (off = 0; off < REGION_LEN; ) {
			uint32_t len = sizes[k++ % ARRAY_SIZE(sizes)];

			if (len > REGION_LEN - off)
				len = REGION_LEN - off;
			ubt_fill(buf, len, w->base + off, seed_of(w, pass));
			if (pwrite(fd, buf, len, w->base + off) != len) {
				fail(w, "pwrite %u at %llu: %m", len,
				     (unsigned long long)(w->base + off));
				goto out;
			}
			w->w_ops++;
			w->w_bytes += len;
			off += len;
		}
		for (off = 0; off < REGION_LEN; off += 65536) {
			ssize_t bad;

			if (pread(fd, buf, 65536, w->base + off) != 65536) {
				fail(w, "pread at %llu: %m",
				     (unsigned long long)(w->base + off));
				goto out;
			}
			w->r_ops++;
			w->r_bytes += 65536;
			bad = ubt_check(buf, 65536, w->base + off, seed_of(w, pass));
			if (bad >= 0) {
				fail(w, "pass %d: data wrong at %llu", pass,
				     (unsigned long long)(w->base + off + bad));
				goto out;
			}
		}
	}
out:
	if (fd >= 0)
		close(fd);
	atomic_fetch_sub(&data_running, 1);
	return NULL;
}

/* Run one batch of up to DEPTH slots (every other slot from first). */
static int uring_batch(struct worker *w, struct io_uring *ring, int fd,
		       uint8_t *buf, bool write, uint64_t first, int n, int pass)
{
	struct io_uring_cqe *cqe;
	int i;

	for (i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
		uint64_t slot = first + 2 * i;
		uint8_t *b = buf + i * SLOT;

		if (write) {
			ubt_fill(b, SLOT, w->base + slot * SLOT, seed_of(w, pass));
			io_uring_prep_write(sqe, fd, b, SLOT, w->base + slot * SLOT);
		} else {
			memset(b, 0, SLOT);
			io_uring_prep_read(sqe, fd, b, SLOT, w->base + slot * SLOT);
		}
		sqe->user_data = i;
	}
	if (io_uring_submit(ring) != n) {
		fail(w, "io_uring_submit");
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (io_uring_wait_cqe(ring, &cqe)) {
			fail(w, "io_uring_wait_cqe");
			return -1;
		}
		if (cqe->res != SLOT)
			fail(w, "%s slot %llu: res %d", write ? "write" : "read",
			     (unsigned long long)(first + 2 * cqe->user_data), cqe->res);
		io_uring_cqe_seen(ring, cqe);
	}
	if (write) {
		w->w_ops += n;
		w->w_bytes += n * SLOT;
		return w->err[0] ? -1 : 0;
	}
	w->r_ops += n;
	w->r_bytes += n * SLOT;
	for (i = 0; i < n; i++) {
		uint64_t slot = first + 2 * i;
		ssize_t bad = ubt_check(buf + i * SLOT, SLOT, w->base + slot * SLOT,
					seed_of(w, pass));

		if (bad >= 0) {
			fail(w, "pass %d: data wrong at %llu", pass,
			     (unsigned long long)(w->base + slot * SLOT + bad));
			return -1;
		}
	}
	return w->err[0] ? -1 : 0;
}

static void *uring_worker(void *arg)
{
	const uint64_t nslots = REGION_LEN / SLOT;
	struct worker *w = arg;
	uint8_t *buf = ubt_alloc(DEPTH * SLOT);
	struct io_uring ring;
	int fd, pass, rw, parity;
	uint64_t s;

	pin(w);
	fd = ubt_open_blk(0, O_RDWR | O_DIRECT);
	if (fd < 0 || !buf) {
		fail(w, "setup: %s", strerror(fd < 0 ? -fd : ENOMEM));
		goto out;
	}
	if (io_uring_queue_init(2 * DEPTH, &ring, w->polled ? IORING_SETUP_IOPOLL : 0)) {
		fail(w, "io_uring_queue_init");
		goto out_close;
	}
	for (pass = 0; pass < PASSES; pass++)
		for (rw = 1; rw >= 0; rw--)
			for (parity = 0; parity < 2; parity++)
				for (s = parity; s < nslots; s += 2 * DEPTH) {
					int n = (nslots - s + 1) / 2;

					if (n > DEPTH)
						n = DEPTH;
					if (uring_batch(w, &ring, fd, buf, rw, s, n, pass))
						goto out_ring;
				}
out_ring:
	io_uring_queue_exit(&ring);
out_close:
	close(fd);
out:
	atomic_fetch_sub(&data_running, 1);
	return NULL;
}

/* IDENTIFY and GET_STATS in a loop while data moves. */
static void *cmd_worker(void *arg)
{
	struct uringblk_identify ref, id;
	struct uringblk_stats prev = { 0 }, st;
	struct worker *w = arg;
	struct io_uring ring;
	int fd, res, i;

	pin(w);
	fd = ubt_open_cdev(0, O_RDWR);
	if (fd < 0 || ubt_ring_init(&ring, 0)) {
		fail(w, "setup");
		return NULL;
	}
	if (ubt_identify(&ring, fd, &ref) != sizeof(ref)) {
		fail(w, "first IDENTIFY");
		goto out;
	}
	while (atomic_load(&data_running) > 0) {
		res = ubt_identify(&ring, fd, &id);
		if (res != sizeof(id) || memcmp(&id, &ref, sizeof(id))) {
			fail(w, "IDENTIFY res %d or reply changed", res);
			break;
		}
		res = ubt_get_stats(&ring, fd, &st, 0);
		if (res != sizeof(st)) {
			fail(w, "GET_STATS res %d", res);
			break;
		}
		/* Counters only go up (in_flight and backing_bytes are gauges). */
		for (i = 0; i < UBT_NR_STATS; i++) {
			if (i == UBT_STAT_IN_FLIGHT || i == UBT_STAT_BACKING_BYTES)
				continue;
			if (ubt_stats_field(&st, i) < ubt_stats_field(&prev, i)) {
				fail(w, "%s went down: %llu -> %llu", ubt_stats_names[i],
				     (unsigned long long)ubt_stats_field(&prev, i),
				     (unsigned long long)ubt_stats_field(&st, i));
				break;
			}
		}
		prev = st;
		/* One thread also reads the same counters through sysfs. */
		if (w->id == NR_DATA && ubt_sysfs_stats(0, &st)) {
			fail(w, "sysfs stats");
			break;
		}
		w->cmds++;
	}
out:
	io_uring_queue_exit(&ring);
	close(fd);
	return NULL;
}

FIXTURE(conc) {
	struct worker w[NR_DATA + NR_CMD];
};

FIXTURE_SETUP(conc)
{
	UBT_SETUP_MODULE(ubt_module_reload, PARAMS);
}

FIXTURE_TEARDOWN(conc)
{
}

TEST_F_TIMEOUT(conc, data_and_commands, 600)
{
	const int ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	uint64_t w_ops = 0, w_bytes = 0, r_ops = 0, r_bytes = 0;
	struct uringblk_stats a, b, sys;
	struct io_uring ring;
	uint8_t *buf;
	int i, cfd, fd;

	cfd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, cfd);
	ASSERT_EQ(0, ubt_ring_init(&ring, 0));
	ASSERT_EQ(sizeof(a), ubt_get_stats(&ring, cfd, &a, 0));

	atomic_store(&data_running, NR_DATA);
	for (i = 0; i < NR_DATA + NR_CMD; i++) {
		struct worker *w = &self->w[i];
		void *(*fn)(void *);

		w->id = i;
		w->cpu = i % ncpu;
		w->base = (uint64_t)i * (REGION_LEN + REGION_GAP) + REGION_GAP;
		if (i < NR_SYNC)
			fn = sync_worker;
		else if (i < NR_DATA)
			fn = uring_worker;
		else
			fn = cmd_worker;
		w->polled = i >= NR_DATA - NR_POLLED && i < NR_DATA;
		ASSERT_EQ(0, pthread_create(&w->thread, NULL, fn, w));
	}
	for (i = 0; i < NR_DATA + NR_CMD; i++)
		pthread_join(self->w[i].thread, NULL);

	for (i = 0; i < NR_DATA + NR_CMD; i++) {
		struct worker *w = &self->w[i];

		EXPECT_EQ('\0', w->err[0]) TH_LOG("thread %d: %s", i, w->err);
		w_ops += w->w_ops;
		w_bytes += w->w_bytes;
		r_ops += w->r_ops;
		r_bytes += w->r_bytes;
		if (i >= NR_DATA) {
			EXPECT_LT(0, w->cmds) TH_LOG("command thread %d did nothing", i);
		}
	}
	ASSERT_EQ(sizeof(b), ubt_get_stats(&ring, cfd, &b, 0));
	EXPECT_EQ(w_ops, b.write_ops - a.write_ops);
	EXPECT_EQ(w_bytes, b.write_bytes - a.write_bytes);
	EXPECT_EQ(r_ops, b.read_ops - a.read_ops);
	EXPECT_EQ(r_bytes, b.read_bytes - a.read_bytes);
	EXPECT_EQ(r_bytes, b.bytes_to_host - a.bytes_to_host);
	EXPECT_EQ(0, b.errors - a.errors);
	EXPECT_EQ(0, b.flush_ops - a.flush_ops);
	EXPECT_EQ(0, b.discard_ops - a.discard_ops);
	EXPECT_EQ(0, b.in_flight);
	EXPECT_EQ(NR_DATA * REGION_LEN, b.backing_bytes);
	ASSERT_EQ(0, ubt_sysfs_stats(0, &sys));
	EXPECT_EQ(0, memcmp(&sys, &b, UBT_NR_STATS * 8));
	io_uring_queue_exit(&ring);
	close(cfd);

	/* Every region holds its last pass, and the gaps are still empty. */
	buf = ubt_alloc(REGION_LEN);
	ASSERT_NE(NULL, buf);
	fd = ubt_open_blk(0, O_RDONLY | O_DIRECT);
	ASSERT_LE(0, fd);
	for (i = 0; i < NR_DATA; i++) {
		const struct worker *w = &self->w[i];
		ssize_t bad;

		ASSERT_EQ(REGION_LEN, ubt_pread_full(fd, buf, REGION_LEN, w->base));
		bad = ubt_check(buf, REGION_LEN, w->base, seed_of(w, PASSES - 1));
		EXPECT_EQ(-1, bad) TH_LOG("thread %d region wrong at +%zd", i, bad);
		ASSERT_EQ(REGION_GAP, ubt_pread_full(fd, buf, REGION_GAP,
						     w->base - REGION_GAP));
		EXPECT_EQ(-1, ubt_check_zero(buf, REGION_GAP)) TH_LOG("gap before %d", i);
	}
	close(fd);
}

/*
 * Writes, discards, write-zeroes and reads racing over the same small
 * region.  The data of racing requests is undefined (as on hardware), so
 * nothing is checked while they run; afterwards the drive must be
 * consistent: no request failed or is left in flight, a full discard
 * leaves no page behind (backing_bytes exactly 0), and the region then
 * stores and returns data exactly.  (MemAvailable is too noisy at this
 * scale, ~20 MiB of page-allocator churn, to spot a page or two leaked by a
 * race; load_unload.sh checks memory across whole load/unload cycles.)
 */
#define RACE_LEN	(16 * UBT_MIB)
#define RACE_THREADS	4
#define RACE_OPS	1500

struct racer {
	pthread_t thread;
	int id;
	int cpu;
	uint64_t writes, discards, zeroouts, reads;
	char err[128];
};

static void *race_worker(void *arg)
{
	struct racer *r = arg;
	uint64_t x = 0x9e3779b97f4a7c15ULL * (r->id + 1);
	uint8_t *buf = ubt_alloc(256 * UBT_KIB);
	uint64_t off = 0, len = 0;
	cpu_set_t set;
	int fd, i;

	CPU_ZERO(&set);
	CPU_SET(r->cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
	fd = ubt_open_blk(0, O_RDWR | O_DIRECT);
	if (fd < 0 || !buf) {
		snprintf(r->err, sizeof(r->err), "setup");
		return NULL;
	}
	memset(buf, 0x40 + r->id, 256 * UBT_KIB);
	for (i = 0; i < RACE_OPS; i++) {
		uint64_t range[2];

		/* xorshift64 */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		len = 4096ULL << (x % 7);			/* 4 KiB .. 256 KiB */
		off = ((x >> 8) % (RACE_LEN / 4096)) * 4096;
		if (off + len > RACE_LEN)
			off = RACE_LEN - len;
		range[0] = off;
		range[1] = len;
		switch ((x >> 40) % 8) {
		case 0 ... 3:
			if (pwrite(fd, buf, len, off) != (ssize_t)len)
				goto fail;
			r->writes++;
			break;
		case 4:
		case 5:
			if (ioctl(fd, BLKDISCARD, range))
				goto fail;
			r->discards++;
			break;
		case 6:
			if (ioctl(fd, BLKZEROOUT, range))
				goto fail;
			r->zeroouts++;
			break;
		default:
			if (pread(fd, buf, len, off) != (ssize_t)len)
				goto fail;
			r->reads++;
			break;
		}
	}
	close(fd);
	return NULL;
fail:
	snprintf(r->err, sizeof(r->err), "op %d: %llu bytes at %llu: %s", i,
		 (unsigned long long)len, (unsigned long long)off, strerror(errno));
	close(fd);
	return NULL;
}

FIXTURE(race) {
};

FIXTURE_SETUP(race)
{
}

FIXTURE_TEARDOWN(race)
{
}

TEST_F_TIMEOUT(race, write_discard_race, 600)
{
	const int ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	struct racer r[RACE_THREADS] = { 0 };
	uint64_t range[2] = { 0, RACE_LEN };
	struct uringblk_stats st;
	uint8_t *buf;
	int i, ret, fd;
	ssize_t bad;

	ret = ubt_module_reload("capacity_mb=64 nr_hw_queues=2 poll_queues=0 queue_mode=mq");
	if (ret == -ENOENT)
		SKIP(return, "URINGBLK_KO not set: cannot load the module");
	ASSERT_EQ(0, ret);

	for (i = 0; i < RACE_THREADS; i++) {
		r[i].id = i;
		r[i].cpu = i % ncpu;
		ASSERT_EQ(0, pthread_create(&r[i].thread, NULL, race_worker, &r[i]));
	}
	for (i = 0; i < RACE_THREADS; i++) {
		pthread_join(r[i].thread, NULL);
		EXPECT_EQ('\0', r[i].err[0]) TH_LOG("racer %d: %s", i, r[i].err);
		TH_LOG("racer %d: %llu writes, %llu discards, %llu zeroouts, %llu reads", i,
		       (unsigned long long)r[i].writes, (unsigned long long)r[i].discards,
		       (unsigned long long)r[i].zeroouts, (unsigned long long)r[i].reads);
	}
	ASSERT_EQ(0, ubt_sysfs_stats(0, &st));
	EXPECT_EQ(0, st.errors);
	EXPECT_EQ(0, st.in_flight);

	fd = ubt_open_blk(0, O_RDWR | O_DIRECT);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, BLKDISCARD, range));
	ASSERT_EQ(0, ubt_sysfs_stats(0, &st));
	EXPECT_EQ(0, st.backing_bytes) TH_LOG("pages left after discarding everything");
	buf = ubt_alloc(RACE_LEN);
	ASSERT_NE(NULL, buf);
	ASSERT_EQ(RACE_LEN, ubt_pread_full(fd, buf, RACE_LEN, 0));
	EXPECT_EQ(-1, ubt_check_zero(buf, RACE_LEN));
	ubt_fill(buf, RACE_LEN, 0, 77);
	ASSERT_EQ(RACE_LEN, ubt_pwrite_full(fd, buf, RACE_LEN, 0));
	memset(buf, 0, RACE_LEN);
	ASSERT_EQ(RACE_LEN, ubt_pread_full(fd, buf, RACE_LEN, 0));
	bad = ubt_check(buf, RACE_LEN, 0, 77);
	EXPECT_EQ(-1, bad) TH_LOG("wrong at %zd", bad);
	ASSERT_EQ(0, ubt_sysfs_stats(0, &st));
	EXPECT_EQ(RACE_LEN, st.backing_bytes);
	close(fd);
}

TEST_HARNESS_MAIN
