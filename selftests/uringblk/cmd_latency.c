// SPDX-License-Identifier: GPL-2.0
/*
 * Latency histograms (uAPI "Latency histograms"): every operation the
 * drive completes while recording is on lands in exactly one bucket of its
 * type, so N known operations move that histogram's total by exactly N and
 * it tracks its counter in struct uringblk_stats; a lone operation's
 * recorded latency (sum_ns) lies inside the bucket it was counted in, and
 * an EXEC's inside the time userspace waited for it; GET_STATS and the
 * sysfs files agree; recording is off unless the module's latency=1 or
 * latency_enable=1 turns it on, and nothing is recorded while off; both resets zero
 * the histograms; bad flags, lengths and privileges get the uAPI errnos.
 *
 * Like cmd_stats, exactness relies on nothing else doing I/O to the device
 * and on each O_DIRECT transfer here (4 KiB, aligned, synchronous) being
 * one request.
 */
#include <fcntl.h>
#include <linux/blkzoned.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "prog_test.h"
#include "zone_lib.h"

#define N		16
#define REGION		(16 * UBT_MIB)
#define LAT_SIZE	((int)sizeof(struct uringblk_latency_stats))
#define SYSFS_DIR	"/sys/block/uringblk0/uringblk/"

static const char *const op_names[URINGBLK_LAT_NR_OPS] = {
	"read", "write", "flush", "discard", "write_zeroes", "zone_mgmt",
	"zone_append", "exec",
};

/* GET_STATS | F_LATENCY (| flags) into *lat; cqe->res. */
static int get_lat(struct io_uring *ring, int cfd,
		   struct uringblk_latency_stats *lat, uint32_t flags)
{
	struct uringblk_cmd cmd;

	memset(lat, 0xa5, sizeof(*lat));
	ubt_cmd_init(&cmd, lat, sizeof(*lat));
	cmd.flags = URINGBLK_STATS_F_LATENCY | flags;
	return ubt_uring_cmd(ring, cfd, URINGBLK_CMD_GET_STATS, &cmd, NULL);
}

static uint64_t total(const struct uringblk_latency_stats *lat, int op)
{
	uint64_t n = 0;
	int b;

	for (b = 0; b < URINGBLK_LAT_NR_BUCKETS; b++)
		n += lat->counts[op][b];
	return n;
}

/*
 * The uAPI's bucket bounds, written out independently of the driver and
 * the library: [0, 128), [128, 192), [192, 256), [256, 384), ...
 */
static void bounds(int b, uint64_t *lo, uint64_t *hi)
{
	if (b == 0) {
		*lo = 0;
		*hi = 128;
	} else if (b == URINGBLK_LAT_NR_BUCKETS - 1) {
		*lo = 1ULL << 35;
		*hi = UINT64_MAX;
	} else {
		int k = 7 + (b - 1) / 2;	/* the power of two */

		*lo = (b - 1) % 2 ? 3ULL << (k - 1) : 1ULL << k;
		*hi = (b - 1) % 2 ? 1ULL << (k + 1) : 3ULL << (k - 1);
	}
}

/* The one non-empty bucket of @op (-1 if none, -2 if several). */
static int only_bucket(const struct uringblk_latency_stats *lat, int op)
{
	int b, found = -1;

	for (b = 0; b < URINGBLK_LAT_NR_BUCKETS; b++) {
		if (!lat->counts[op][b])
			continue;
		if (found >= 0)
			return -2;
		found = b;
	}
	return found;
}

/* latency_<op> from sysfs into counts[]; 0 or -errno (-EBADMSG: format). */
static int sysfs_hist(const char *op, uint64_t counts[URINGBLK_LAT_NR_BUCKETS])
{
	char path[128], line[128];
	FILE *f;
	int ret = 0;

	memset(counts, 0, sizeof(uint64_t) * URINGBLK_LAT_NR_BUCKETS);
	snprintf(path, sizeof(path), SYSFS_DIR "latency_%s", op);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long lo, hi, n;
		uint64_t blo, bhi;
		char end;
		int b;

		if (sscanf(line, "%llu %llu %llu%c", &lo, &hi, &n, &end) != 4 ||
		    end != '\n' || !n) {
			ret = -EBADMSG;
			break;
		}
		for (b = 0; b < URINGBLK_LAT_NR_BUCKETS; b++) {
			bounds(b, &blo, &bhi);
			if (blo == lo && bhi == hi)
				break;
		}
		if (b == URINGBLK_LAT_NR_BUCKETS || counts[b]) {
			ret = -EBADMSG;	/* not a bucket, or a bucket twice */
			break;
		}
		counts[b] = n;
	}
	fclose(f);
	return ret;
}

static int set_enable(const char *val)
{
	return ubt_write_str(SYSFS_DIR "latency_enable", val);
}

/*
 * A lone 4 KiB write, then a lone read: each lands in one bucket, with a
 * latency above zero and inside the time userspace waited for its system
 * call.  A start and an end from different clocks, or a wrong mask on a
 * start (driver/uringblk.h, URINGBLK_LAT_TIMED), would record days, which
 * the bucket checks above cannot see: the last bucket holds anything.
 */
static void io_within_wall(struct __test_metadata *_metadata, struct io_uring *ring,
			   int cfd, int bfd, uint8_t *buf)
{
	struct uringblk_latency_stats *lat = malloc(sizeof(*lat));
	const int ops[] = { URINGBLK_LAT_WRITE, URINGBLK_LAT_READ };
	int i;

	ASSERT_NE(NULL, lat);
	for (i = 0; i < (int)ARRAY_SIZE(ops); i++) {
		int op = ops[i], b;
		double t0, wall_ns;
		ssize_t n;

		ASSERT_EQ(LAT_SIZE, get_lat(ring, cfd, lat, URINGBLK_STATS_F_RESET));
		ubt_fill(buf, 4096, REGION, 5);
		t0 = ubp_now();
		n = op == URINGBLK_LAT_WRITE ? pwrite(bfd, buf, 4096, REGION) :
					       pread(bfd, buf, 4096, REGION);
		wall_ns = (ubp_now() - t0) * 1e9;
		ASSERT_EQ(4096, n);
		ASSERT_EQ(LAT_SIZE, get_lat(ring, cfd, lat, 0));
		b = only_bucket(lat, op);
		ASSERT_LE(0, b) TH_LOG("%s: %s", op_names[op],
				       b == -1 ? "nothing recorded" : "several buckets");
		EXPECT_EQ(1, lat->counts[op][b]);
		EXPECT_LT(0, lat->sum_ns[op]) TH_LOG("%s", op_names[op]);
		EXPECT_GE(wall_ns, (double)lat->sum_ns[op])
			TH_LOG("%s: recorded %llu ns, waited %.0f ns", op_names[op],
			       (unsigned long long)lat->sum_ns[op], wall_ns);
	}
	free(lat);
}

/* --- a memory drive with a poll queue ----------------------------------- */

FIXTURE(lat) {
	struct io_uring ring;
	int cfd, bfd;
	struct uringblk_identify id;
	uint8_t *buf;
	int prog;
};

FIXTURE_SETUP(lat)
{
	const struct bpf_insn ret0[] = { BPF_MOV64_IMM(0, 0), BPF_EXIT_INSN() };

	/* a poll queue for the polled-I/O histogram: blk-mq's */
	UBT_SETUP_MODULE(ubt_module_ensure, "capacity_mb=64 poll_queues=1 queue_mode=mq latency=1");
	self->cfd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, self->cfd);
	self->bfd = ubt_open_blk(0, O_RDWR | O_DIRECT);
	ASSERT_LE(0, self->bfd);
	ASSERT_EQ(0, ubt_ring_init(&self->ring, 0));
	ASSERT_EQ(sizeof(self->id), ubt_identify(&self->ring, self->cfd, &self->id));
	if (!(self->id.features & URINGBLK_F_LATENCY))
		UBT_SETUP_SKIP("the drive has no URINGBLK_F_LATENCY");
	self->buf = ubt_alloc(UBT_MIB);
	ASSERT_NE(NULL, self->buf);
	ASSERT_EQ(0, set_enable("1"));
	ASSERT_LE(0, ubp_unload_all(&self->ring, self->cfd));
	self->prog = ubp_load(&self->ring, self->cfd, ret0, UBP_NINSNS(ret0),
			      "ret0", NULL, 0);
	ASSERT_LT(0, self->prog);
}

FIXTURE_TEARDOWN(lat)
{
	set_enable("1");
	io_uring_queue_exit(&self->ring);
	close(self->bfd);
	close(self->cfd);
}

static void exec_ret0(struct __test_metadata *_metadata, FIXTURE_DATA(lat) *self)
{
	struct ubp_exec e = { .prog = self->prog, .lba = 0, .count = 8 };
	uint8_t reply[UBP_RES_SIZE];

	ASSERT_EQ(0, ubp_exec(&self->ring, self->cfd, &e, reply, sizeof(reply), NULL));
}

/* One of each block-device operation and one EXEC (if @n: n of each). */
static void do_ops(struct __test_metadata *_metadata, FIXTURE_DATA(lat) *self,
		   int n)
{
	int i;

	for (i = 0; i < n; i++) {
		uint64_t off = REGION + i * 64 * UBT_KIB;
		uint64_t r[2] = { off + 8192, 4096 };

		ubt_fill(self->buf, 4096, off, 3);
		ASSERT_EQ(4096, pwrite(self->bfd, self->buf, 4096, off));
		ASSERT_EQ(4096, pread(self->bfd, self->buf, 4096, off));
		ASSERT_EQ(0, fsync(self->bfd));
		ASSERT_EQ(0, ioctl(self->bfd, BLKDISCARD, r));
		r[0] += 8192;
		ASSERT_EQ(0, ioctl(self->bfd, BLKZEROOUT, r));
		exec_ret0(_metadata, self);
	}
}

TEST_F(lat, layout_and_defaults)
{
	struct uringblk_latency_stats *lat = malloc(sizeof(*lat));
	char val[8];
	int op, b;

	ASSERT_NE(NULL, lat);
	ASSERT_EQ(LAT_SIZE, get_lat(&self->ring, self->cfd, lat, 0));
	EXPECT_EQ(1, lat->version);
	EXPECT_EQ(1, lat->enabled);
	EXPECT_EQ(8, lat->nr_ops);
	EXPECT_EQ(58, lat->nr_buckets);
	EXPECT_EQ(7, lat->min_shift);
	EXPECT_EQ(35, lat->max_shift);
	EXPECT_EQ(1, lat->sub_bits);
	EXPECT_EQ(0, lat->rsvd0);
	EXPECT_EQ(0, lat->rsvd1[0]);
	EXPECT_EQ(0, lat->rsvd1[1]);
	EXPECT_EQ(URINGBLK_ABI_MINOR, self->id.abi_minor);
	/* On: the fixture loads with latency=1 (default_off_latency_param_on). */
	ASSERT_EQ(0, ubt_read_str(SYSFS_DIR "latency_enable", val, sizeof(val)));
	EXPECT_STREQ("1", val);
	/* Every file exists and parses; its counts are GET_STATS's. */
	for (op = 0; op < URINGBLK_LAT_NR_OPS; op++) {
		uint64_t counts[URINGBLK_LAT_NR_BUCKETS];

		ASSERT_EQ(0, sysfs_hist(op_names[op], counts)) TH_LOG("%s", op_names[op]);
		for (b = 0; b < URINGBLK_LAT_NR_BUCKETS; b++)
			EXPECT_EQ(lat->counts[op][b], counts[b]);
	}
	free(lat);
}

/*
 * N of each operation: each histogram total moves by exactly N, in step
 * with its counter, and each operation's sum of latencies lies between
 * what its buckets' bounds allow.
 */
TEST_F(lat, exact_counts)
{
	struct uringblk_latency_stats *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	struct uringblk_stats sa, sb;
	const int exact[] = { URINGBLK_LAT_READ, URINGBLK_LAT_WRITE,
			      URINGBLK_LAT_DISCARD, URINGBLK_LAT_EXEC };
	uint64_t counter[URINGBLK_LAT_NR_OPS];
	int op, i, bk;

	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	ASSERT_EQ(sizeof(sa), ubt_get_stats(&self->ring, self->cfd, &sa, 0));
	ASSERT_EQ(LAT_SIZE, get_lat(&self->ring, self->cfd, a, 0));
	do_ops(_metadata, self, N);
	ASSERT_EQ(LAT_SIZE, get_lat(&self->ring, self->cfd, b, 0));
	ASSERT_EQ(sizeof(sb), ubt_get_stats(&self->ring, self->cfd, &sb, 0));

	for (i = 0; i < (int)ARRAY_SIZE(exact); i++) {
		EXPECT_EQ(N, total(b, exact[i]) - total(a, exact[i]))
			TH_LOG("%s", op_names[exact[i]]);
	}
	/* fsync and BLKZEROOUT: one request each with this drive's features. */
	if (self->id.features & URINGBLK_F_FLUSH) {
		EXPECT_EQ(N, total(b, URINGBLK_LAT_FLUSH) - total(a, URINGBLK_LAT_FLUSH));
	}
	if (self->id.max_write_zeroes_sectors) {
		EXPECT_EQ(N, total(b, URINGBLK_LAT_WRITE_ZEROES) -
			     total(a, URINGBLK_LAT_WRITE_ZEROES));
	}
	EXPECT_EQ(0, total(b, URINGBLK_LAT_ZONE_MGMT));
	EXPECT_EQ(0, total(b, URINGBLK_LAT_ZONE_APPEND));

	/* Each histogram moves exactly as its counter. */
	counter[URINGBLK_LAT_READ] = sb.read_ops - sa.read_ops;
	counter[URINGBLK_LAT_WRITE] = (sb.write_ops - sb.zone_appends) -
				      (sa.write_ops - sa.zone_appends);
	counter[URINGBLK_LAT_FLUSH] = sb.flush_ops - sa.flush_ops;
	counter[URINGBLK_LAT_DISCARD] = sb.discard_ops - sa.discard_ops;
	counter[URINGBLK_LAT_WRITE_ZEROES] = sb.write_zeroes_ops - sa.write_zeroes_ops;
	counter[URINGBLK_LAT_ZONE_MGMT] = 0;
	counter[URINGBLK_LAT_ZONE_APPEND] = 0;
	/* Runs that ran to their end: every run that started, less the aborted. */
	counter[URINGBLK_LAT_EXEC] = (sb.prog_runs - sb.prog_aborts_budget -
				      sb.prog_aborts_bounds - sb.prog_aborts_fault) -
				     (sa.prog_runs - sa.prog_aborts_budget -
				      sa.prog_aborts_bounds - sa.prog_aborts_fault);
	for (op = 0; op < URINGBLK_LAT_NR_OPS; op++) {
		uint64_t dsum = b->sum_ns[op] - a->sum_ns[op], lo_sum = 0, hi_sum = 0;

		EXPECT_EQ(counter[op], total(b, op) - total(a, op)) TH_LOG("%s", op_names[op]);
		for (bk = 0; bk < URINGBLK_LAT_NR_BUCKETS - 1; bk++) {
			uint64_t lo, hi, d = b->counts[op][bk] - a->counts[op][bk];

			bounds(bk, &lo, &hi);
			lo_sum += d * lo;
			hi_sum += d * hi;
		}
		EXPECT_LE(lo_sum, dsum) TH_LOG("%s: latencies below their buckets", op_names[op]);
		EXPECT_GE(hi_sum, dsum) TH_LOG("%s: latencies above their buckets", op_names[op]);
		if (counter[op]) {
			EXPECT_LT(0, dsum) TH_LOG("%s", op_names[op]);
		}
	}
	free(a);
	free(b);
}

/*
 * A lone operation of each type: its one bucket holds its own latency
 * (sum_ns), which checks the driver's bucket index against its bounds at
 * whatever latencies this machine has.
 */
TEST_F(lat, lone_op_in_its_bucket)
{
	struct uringblk_latency_stats *lat = malloc(sizeof(*lat));
	const int ops[] = { URINGBLK_LAT_READ, URINGBLK_LAT_WRITE, URINGBLK_LAT_FLUSH,
			    URINGBLK_LAT_DISCARD, URINGBLK_LAT_WRITE_ZEROES,
			    URINGBLK_LAT_EXEC };
	int round, i;

	ASSERT_NE(NULL, lat);
	for (round = 0; round < 4; round++) {
		ASSERT_EQ(LAT_SIZE, get_lat(&self->ring, self->cfd, lat,
					    URINGBLK_STATS_F_RESET));
		do_ops(_metadata, self, 1);
		ASSERT_EQ(LAT_SIZE, get_lat(&self->ring, self->cfd, lat, 0));
		for (i = 0; i < (int)ARRAY_SIZE(ops); i++) {
			int op = ops[i], b = only_bucket(lat, op);
			uint64_t lo, hi;

			if (op == URINGBLK_LAT_WRITE_ZEROES && !self->id.max_write_zeroes_sectors)
				continue;
			if (op == URINGBLK_LAT_FLUSH && !(self->id.features & URINGBLK_F_FLUSH))
				continue;
			ASSERT_LE(0, b) TH_LOG("%s: %s", op_names[op],
					       b == -1 ? "nothing recorded" : "several buckets");
			EXPECT_EQ(1, lat->counts[op][b]);
			bounds(b, &lo, &hi);
			EXPECT_LE(lo, lat->sum_ns[op]) TH_LOG("%s bucket %d", op_names[op], b);
			EXPECT_GT(hi, lat->sum_ns[op]) TH_LOG("%s bucket %d", op_names[op], b);
		}
	}
	free(lat);
}

/* A request's latency (blk-mq: queue_rq to completion) within the wall time. */
TEST_F(lat, io_latency_within_wall_time)
{
	io_within_wall(_metadata, &self->ring, self->cfd, self->bfd, self->buf);
}

/*
 * A long EXEC (a 2M-iteration loop): its recorded latency lies inside the
 * time userspace waited for it, and is most of it.
 */
TEST_F(lat, exec_latency_within_wall_time)
{
	const struct bpf_insn loop[] = {
		BPF_MOV64_IMM(1, 2000000),
		BPF_ALU64_IMM(BPF_SUB, 1, 1),
		BPF_JMP_IMM(BPF_JNE, 1, 0, -2),
		BPF_MOV64_IMM(0, 0),
		BPF_EXIT_INSN(),
	};
	struct uringblk_latency_stats *lat = malloc(sizeof(*lat));
	uint8_t reply[UBP_RES_SIZE];
	struct ubp_exec e = { .lba = 0, .count = 1 };
	double t0, wall_ns;
	uint64_t lo, hi;
	int id, b;

	ASSERT_NE(NULL, lat);
	id = ubp_load(&self->ring, self->cfd, loop, UBP_NINSNS(loop), "loop", NULL, 0);
	ASSERT_LT(0, id);
	e.prog = id;
	ASSERT_EQ(LAT_SIZE, get_lat(&self->ring, self->cfd, lat, URINGBLK_STATS_F_RESET));
	t0 = ubp_now();
	ASSERT_EQ(0, ubp_exec(&self->ring, self->cfd, &e, reply, sizeof(reply), NULL));
	wall_ns = (ubp_now() - t0) * 1e9;
	ASSERT_EQ(LAT_SIZE, get_lat(&self->ring, self->cfd, lat, 0));
	b = only_bucket(lat, URINGBLK_LAT_EXEC);
	ASSERT_LE(0, b);
	bounds(b, &lo, &hi);
	EXPECT_LE(lo, lat->sum_ns[URINGBLK_LAT_EXEC]);
	EXPECT_GT(hi, lat->sum_ns[URINGBLK_LAT_EXEC]);
	EXPECT_GE(wall_ns, (double)lat->sum_ns[URINGBLK_LAT_EXEC])
		TH_LOG("recorded %llu ns, waited %.0f ns",
		       (unsigned long long)lat->sum_ns[URINGBLK_LAT_EXEC], wall_ns);
	EXPECT_LE(wall_ns / 10, (double)lat->sum_ns[URINGBLK_LAT_EXEC])
		TH_LOG("recorded %llu ns, waited %.0f ns",
		       (unsigned long long)lat->sum_ns[URINGBLK_LAT_EXEC], wall_ns);
	ubp_unload(&self->ring, self->cfd, id);
	free(lat);
}

/* Polled I/O completes in ->poll(): recorded there. */
TEST_F(lat, polled_io_recorded)
{
	struct uringblk_latency_stats *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	struct io_uring_cqe *cqe;
	struct io_uring pring;
	int i;

	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	if (!(self->id.features & URINGBLK_F_POLL))
		SKIP(return, "device has no poll queues");
	ASSERT_EQ(0, io_uring_queue_init(32, &pring, IORING_SETUP_IOPOLL));
	ASSERT_EQ(LAT_SIZE, get_lat(&self->ring, self->cfd, a, 0));
	for (i = 0; i < N; i++)
		io_uring_prep_read(io_uring_get_sqe(&pring), self->bfd,
				   self->buf + i * 8192, 4096, REGION + i * 8192);
	ASSERT_EQ(N, io_uring_submit(&pring));
	for (i = 0; i < N; i++) {
		ASSERT_EQ(0, io_uring_wait_cqe(&pring, &cqe));
		EXPECT_EQ(4096, cqe->res);
		io_uring_cqe_seen(&pring, cqe);
	}
	io_uring_queue_exit(&pring);
	ASSERT_EQ(LAT_SIZE, get_lat(&self->ring, self->cfd, b, 0));
	EXPECT_EQ(N, total(b, URINGBLK_LAT_READ) - total(a, URINGBLK_LAT_READ));
	free(a);
	free(b);
}

/* GET_STATS and sysfs show the same histograms, in the documented format. */
TEST_F(lat, sysfs_matches_get_stats)
{
	struct uringblk_latency_stats *lat = malloc(sizeof(*lat));
	uint64_t counts[URINGBLK_LAT_NR_BUCKETS];
	int op, b, nonempty = 0;

	ASSERT_NE(NULL, lat);
	do_ops(_metadata, self, 4);
	ASSERT_EQ(LAT_SIZE, get_lat(&self->ring, self->cfd, lat, 0));
	for (op = 0; op < URINGBLK_LAT_NR_OPS; op++) {
		ASSERT_EQ(0, sysfs_hist(op_names[op], counts)) TH_LOG("%s", op_names[op]);
		for (b = 0; b < URINGBLK_LAT_NR_BUCKETS; b++) {
			EXPECT_EQ(lat->counts[op][b], counts[b])
				TH_LOG("%s bucket %d", op_names[op], b);
			nonempty += !!counts[b];
		}
	}
	EXPECT_LT(0, nonempty);
	free(lat);
}

/*
 * Only successful operations are recorded, EXECs included: runs stopped by
 * their budget count in prog_runs and prog_aborts_budget, not in the
 * histogram, which moves as prog_runs minus the aborts.
 */
TEST_F(lat, aborted_exec_not_recorded)
{
	static const struct bpf_insn spin[] = { BPF_JMP_A(-1) };
	struct uringblk_latency_stats *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	struct ubp_exec e = { .lba = 0, .count = 8, .budget = 1000 };
	uint8_t reply[UBP_RES_SIZE];
	struct uringblk_stats sa, sb;
	int id, i;

	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	id = ubp_load(&self->ring, self->cfd, spin, UBP_NINSNS(spin), "spin", NULL, 0);
	ASSERT_LT(0, id);
	e.prog = id;
	ASSERT_EQ(sizeof(sa), ubt_get_stats(&self->ring, self->cfd, &sa, 0));
	ASSERT_EQ(LAT_SIZE, get_lat(&self->ring, self->cfd, a, 0));
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(-ETIME, ubp_exec(&self->ring, self->cfd, &e, reply,
					   sizeof(reply), NULL));
		exec_ret0(_metadata, self);
	}
	ASSERT_EQ(LAT_SIZE, get_lat(&self->ring, self->cfd, b, 0));
	ASSERT_EQ(sizeof(sb), ubt_get_stats(&self->ring, self->cfd, &sb, 0));
	EXPECT_EQ(6, sb.prog_runs - sa.prog_runs);
	EXPECT_EQ(3, sb.prog_aborts_budget - sa.prog_aborts_budget);
	EXPECT_EQ(3, total(b, URINGBLK_LAT_EXEC) - total(a, URINGBLK_LAT_EXEC));
	free(a);
	free(b);
}

/* latency_enable=0: operations complete and count, nothing is recorded. */
TEST_F(lat, disabled_records_nothing)
{
	struct uringblk_latency_stats *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	struct uringblk_stats sa, sb;
	char val[8];

	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	ASSERT_EQ(0, set_enable("0"));
	ASSERT_EQ(0, ubt_read_str(SYSFS_DIR "latency_enable", val, sizeof(val)));
	EXPECT_STREQ("0", val);
	ASSERT_EQ(sizeof(sa), ubt_get_stats(&self->ring, self->cfd, &sa, 0));
	ASSERT_EQ(LAT_SIZE, get_lat(&self->ring, self->cfd, a, 0));
	EXPECT_EQ(0, a->enabled);
	do_ops(_metadata, self, 4);
	ASSERT_EQ(LAT_SIZE, get_lat(&self->ring, self->cfd, b, 0));
	ASSERT_EQ(sizeof(sb), ubt_get_stats(&self->ring, self->cfd, &sb, 0));
	EXPECT_EQ(0, memcmp(a->counts, b->counts, sizeof(a->counts)));
	EXPECT_EQ(0, memcmp(a->sum_ns, b->sum_ns, sizeof(a->sum_ns)));
	EXPECT_EQ(4, sb.read_ops - sa.read_ops);
	EXPECT_EQ(4, sb.prog_runs - sa.prog_runs);

	/* Not a boolean: refused, the setting stays. */
	EXPECT_EQ(-EINVAL, set_enable("maybe"));
	EXPECT_EQ(-EINVAL, set_enable("2"));
	ASSERT_EQ(0, ubt_read_str(SYSFS_DIR "latency_enable", val, sizeof(val)));
	EXPECT_STREQ("0", val);

	/* Back on: recorded again. */
	ASSERT_EQ(0, set_enable("1"));
	do_ops(_metadata, self, 2);
	ASSERT_EQ(LAT_SIZE, get_lat(&self->ring, self->cfd, b, 0));
	EXPECT_EQ(1, b->enabled);
	EXPECT_EQ(2, total(b, URINGBLK_LAT_READ) - total(a, URINGBLK_LAT_READ));
	EXPECT_EQ(2, total(b, URINGBLK_LAT_EXEC) - total(a, URINGBLK_LAT_EXEC));
	free(a);
	free(b);
}

static int all_zero(const struct uringblk_latency_stats *lat)
{
	int op;

	for (op = 0; op < URINGBLK_LAT_NR_OPS; op++)
		if (total(lat, op) || lat->sum_ns[op])
			return 0;
	return 1;
}

/* Every reset path zeroes the histograms (after the snapshot it returns). */
TEST_F(lat, resets)
{
	struct uringblk_latency_stats *lat = malloc(sizeof(*lat));
	struct uringblk_stats st;

	ASSERT_NE(NULL, lat);
	/* GET_STATS F_LATENCY | F_RESET: the snapshot has them, then gone. */
	do_ops(_metadata, self, 2);
	ASSERT_EQ(LAT_SIZE, get_lat(&self->ring, self->cfd, lat, URINGBLK_STATS_F_RESET));
	EXPECT_LE(2, total(lat, URINGBLK_LAT_READ));
	ASSERT_EQ(LAT_SIZE, get_lat(&self->ring, self->cfd, lat, 0));
	EXPECT_TRUE(all_zero(lat));
	ASSERT_EQ(sizeof(st), ubt_get_stats(&self->ring, self->cfd, &st, 0));
	EXPECT_EQ(0, st.read_ops) TH_LOG("counters are reset with the histograms");

	/* GET_STATS F_RESET of the counters resets the histograms too. */
	do_ops(_metadata, self, 2);
	ASSERT_EQ(sizeof(st), ubt_get_stats(&self->ring, self->cfd, &st,
					    URINGBLK_STATS_F_RESET));
	ASSERT_EQ(LAT_SIZE, get_lat(&self->ring, self->cfd, lat, 0));
	EXPECT_TRUE(all_zero(lat));

	/* sysfs reset_stats. */
	do_ops(_metadata, self, 2);
	ASSERT_EQ(LAT_SIZE, get_lat(&self->ring, self->cfd, lat, 0));
	EXPECT_FALSE(all_zero(lat));
	ASSERT_EQ(0, ubt_sysfs_reset_stats(0));
	ASSERT_EQ(LAT_SIZE, get_lat(&self->ring, self->cfd, lat, 0));
	EXPECT_TRUE(all_zero(lat));
	free(lat);
}

/* Flags and lengths: the same rules as the plain GET_STATS reply. */
TEST_F(lat, bad_flags_and_lengths)
{
	uint8_t *buf = ubt_alloc(8192);
	struct uringblk_cmd cmd;
	int bit, i;

	ASSERT_NE(NULL, buf);
	for (bit = 0; bit < 32; bit++) {
		if ((1U << bit) & (URINGBLK_STATS_F_RESET | URINGBLK_STATS_F_LATENCY))
			continue;
		ubt_cmd_init(&cmd, buf, LAT_SIZE);
		cmd.flags = URINGBLK_STATS_F_LATENCY | (1U << bit);
		EXPECT_EQ(-EINVAL, ubt_uring_cmd(&self->ring, self->cfd,
						 URINGBLK_CMD_GET_STATS, &cmd, NULL))
			TH_LOG("flag bit %d", bit);
	}
	/* Shorter than the latency struct (e.g. a struct uringblk_stats): -EINVAL. */
	ubt_cmd_init(&cmd, buf, sizeof(struct uringblk_stats));
	cmd.flags = URINGBLK_STATS_F_LATENCY;
	EXPECT_EQ(-EINVAL, ubt_uring_cmd(&self->ring, self->cfd,
					 URINGBLK_CMD_GET_STATS, &cmd, NULL));
	ubt_cmd_init(&cmd, buf, LAT_SIZE - 8);
	cmd.flags = URINGBLK_STATS_F_LATENCY;
	EXPECT_EQ(-EINVAL, ubt_uring_cmd(&self->ring, self->cfd,
					 URINGBLK_CMD_GET_STATS, &cmd, NULL));
	/* Above URINGBLK_MAX_REPLY_LEN: -E2BIG. */
	ubt_cmd_init(&cmd, buf, URINGBLK_MAX_REPLY_LEN + 1);
	cmd.flags = URINGBLK_STATS_F_LATENCY;
	EXPECT_EQ(-E2BIG, ubt_uring_cmd(&self->ring, self->cfd,
					URINGBLK_CMD_GET_STATS, &cmd, NULL));
	/* A bigger buffer: the struct, then zeroes. */
	memset(buf, 0xa5, 8192);
	ubt_cmd_init(&cmd, buf, URINGBLK_MAX_REPLY_LEN);
	cmd.flags = URINGBLK_STATS_F_LATENCY;
	EXPECT_EQ(LAT_SIZE, ubt_uring_cmd(&self->ring, self->cfd,
					  URINGBLK_CMD_GET_STATS, &cmd, NULL));
	for (i = LAT_SIZE; i < URINGBLK_MAX_REPLY_LEN; i++)
		if (buf[i])
			break;
	EXPECT_EQ(URINGBLK_MAX_REPLY_LEN, i) TH_LOG("byte %d not zeroed", i);
	EXPECT_EQ(0xa5, buf[URINGBLK_MAX_REPLY_LEN]);
	/* A bad address. */
	ubt_cmd_init(&cmd, (void *)8, LAT_SIZE);
	cmd.flags = URINGBLK_STATS_F_LATENCY;
	EXPECT_EQ(-EFAULT, ubt_uring_cmd(&self->ring, self->cfd,
					 URINGBLK_CMD_GET_STATS, &cmd, NULL));
	munmap(buf, 8192);
}

/*
 * Without CAP_SYS_ADMIN: reading works, resetting is -EPERM and leaves the
 * histograms; as an unprivileged user latency_enable is not writable.
 */
TEST_F(lat, unprivileged)
{
	struct uringblk_latency_stats *lat = malloc(sizeof(*lat));
	int results[4], pipefd[2], status;
	pid_t pid;

	ASSERT_NE(NULL, lat);
	do_ops(_metadata, self, 1);
	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct uringblk_latency_stats *l = malloc(sizeof(*l));
		struct io_uring ring;
		int fd;

		close(pipefd[0]);
		results[0] = ubp_drop_cap_sys_admin();
		fd = ubt_open_cdev(0, O_RDWR);
		if (!l || fd < 0 || ubt_ring_init(&ring, 0))
			_exit(2);
		results[1] = get_lat(&ring, fd, l, URINGBLK_STATS_F_RESET);
		results[2] = get_lat(&ring, fd, l, 0);
		/* nobody: the 0644 file is not ours. */
		if (setgid(65534) || setuid(65534))
			_exit(3);
		results[3] = open(SYSFS_DIR "latency_enable", O_WRONLY) < 0 ? -errno : 0;
		if (write(pipefd[1], results, sizeof(results)) != sizeof(results))
			_exit(4);
		_exit(0);
	}
	close(pipefd[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ASSERT_EQ(sizeof(results), read(pipefd[0], results, sizeof(results)));
	close(pipefd[0]);
	ASSERT_EQ(0, results[0]);
	EXPECT_EQ(-EPERM, results[1]);
	EXPECT_EQ(LAT_SIZE, results[2]);
	EXPECT_EQ(-EACCES, results[3]);
	ASSERT_EQ(LAT_SIZE, get_lat(&self->ring, self->cfd, lat, 0));
	EXPECT_LE(1, total(lat, URINGBLK_LAT_READ)) TH_LOG("histograms were reset");
	free(lat);
}

/* --- a zoned drive: zone management and appends -------------------------- */

FIXTURE(zlat) {
	struct ubz_dev d;
};

FIXTURE_SETUP(zlat)
{
	int ret;

	UBT_SETUP_MODULE(ubt_module_reload, "capacity_mb=32 zoned=1 zone_size_mb=2 zone_nr_conv=1 latency=1");
	ret = ubz_open(&self->d, 0);
	if (ret == -ENOTTY)
		UBT_SETUP_SKIP("the drive is not zoned (no CONFIG_BLK_DEV_ZONED?)");
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, set_enable("1"));
}

FIXTURE_TEARDOWN(zlat)
{
	ubz_close(&self->d);
}

/*
 * N zone actions from each device and N appends: zone_mgmt counts both
 * paths, zone_append the appends and write only the plain writes, each in
 * step with its counters.
 */
TEST_F(zlat, zone_ops_counted)
{
	struct uringblk_latency_stats *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	static const unsigned long blk[] = { BLKOPENZONE, BLKCLOSEZONE,
					     BLKFINISHZONE, BLKRESETZONE };
	static const uint32_t act[] = { URINGBLK_ZONE_ACTION_OPEN,
					URINGBLK_ZONE_ACTION_FINISH,
					URINGBLK_ZONE_ACTION_RESET };
	struct ubz_dev *d = &self->d;
	struct uringblk_stats sa, sb;
	uint8_t *buf = ubt_alloc(d->bs);
	uint32_t z = ubz_seq(d, 0);
	int i, j, writes = 0;

	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	ASSERT_NE(NULL, buf);
	memset(buf, 0x5a, d->bs);
	ASSERT_EQ(sizeof(sa), ubt_get_stats(&d->ring, d->cfd, &sa, 0));
	ASSERT_EQ(LAT_SIZE, get_lat(&d->ring, d->cfd, a, 0));
	for (i = 0; i < N; i++) {
		/* Block device: write opens the zone, then close, finish, reset... */
		ASSERT_EQ(0, ubz_write(d, ubz_lba(d, z), buf, 1));
		writes++;
		for (j = 0; j < (int)ARRAY_SIZE(blk); j++)
			ASSERT_EQ(0, ubz_blk_mgmt(d, blk[j], z, 1)) TH_LOG("ioctl %d", j);
		/* ...command device: append, open, finish, reset. */
		ASSERT_EQ(0, ubz_append(d, ubz_lba(d, z), buf, d->bs, NULL, NULL));
		for (j = 0; j < (int)ARRAY_SIZE(act); j++)
			ASSERT_EQ(0, ubz_mgmt(d, z, act[j])) TH_LOG("action %u", act[j]);
	}
	ASSERT_EQ(LAT_SIZE, get_lat(&d->ring, d->cfd, b, 0));
	ASSERT_EQ(sizeof(sb), ubt_get_stats(&d->ring, d->cfd, &sb, 0));

	EXPECT_EQ(N * (ARRAY_SIZE(blk) + ARRAY_SIZE(act)),
		  total(b, URINGBLK_LAT_ZONE_MGMT) - total(a, URINGBLK_LAT_ZONE_MGMT));
	EXPECT_EQ((sb.zone_resets + sb.zone_opens + sb.zone_closes + sb.zone_finishes) -
		  (sa.zone_resets + sa.zone_opens + sa.zone_closes + sa.zone_finishes),
		  total(b, URINGBLK_LAT_ZONE_MGMT) - total(a, URINGBLK_LAT_ZONE_MGMT));
	EXPECT_EQ(N, total(b, URINGBLK_LAT_ZONE_APPEND) - total(a, URINGBLK_LAT_ZONE_APPEND));
	EXPECT_EQ(sb.zone_appends - sa.zone_appends,
		  total(b, URINGBLK_LAT_ZONE_APPEND) - total(a, URINGBLK_LAT_ZONE_APPEND));
	EXPECT_EQ(writes, total(b, URINGBLK_LAT_WRITE) - total(a, URINGBLK_LAT_WRITE));
	EXPECT_EQ((sb.write_ops - sb.zone_appends) - (sa.write_ops - sa.zone_appends),
		  total(b, URINGBLK_LAT_WRITE) - total(a, URINGBLK_LAT_WRITE));
	EXPECT_LT(a->sum_ns[URINGBLK_LAT_ZONE_MGMT], b->sum_ns[URINGBLK_LAT_ZONE_MGMT]);
	EXPECT_LT(a->sum_ns[URINGBLK_LAT_ZONE_APPEND], b->sum_ns[URINGBLK_LAT_ZONE_APPEND]);

	/* A failed action (CLOSE of an EMPTY zone) records nothing. */
	ASSERT_EQ(-EINVAL, ubz_mgmt(d, z, URINGBLK_ZONE_ACTION_CLOSE));
	ASSERT_EQ(LAT_SIZE, get_lat(&d->ring, d->cfd, a, 0));
	EXPECT_EQ(total(b, URINGBLK_LAT_ZONE_MGMT), total(a, URINGBLK_LAT_ZONE_MGMT));
	munmap(buf, d->bs);
	free(a);
	free(b);
}

/*
 * Recording is off unless asked for (module parameter latency, sysfs
 * latency_enable): a drive loaded without it reports enabled 0 and
 * records nothing while its counters count; latency=1 turns it on at
 * creation.
 */
TEST(default_off_latency_param_on)
{
	struct uringblk_latency_stats *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	uint8_t *buf = ubt_alloc(4096);
	struct uringblk_stats sa, sb;
	struct io_uring ring;
	char val[8];
	int cfd, bfd;

	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	ASSERT_NE(NULL, buf);
	for (int on = 0; on <= 1; on++) {
		UBT_SETUP_MODULE(ubt_module_reload, on ? "capacity_mb=16 latency=1" :
							 "capacity_mb=16");
		ASSERT_EQ(0, ubt_read_str(SYSFS_DIR "latency_enable", val, sizeof(val)));
		EXPECT_STREQ(on ? "1" : "0", val);
		cfd = ubt_open_cdev(0, O_RDWR);
		ASSERT_LE(0, cfd);
		bfd = ubt_open_blk(0, O_RDWR | O_DIRECT);
		ASSERT_LE(0, bfd);
		ASSERT_EQ(0, ubt_ring_init(&ring, 0));
		ASSERT_EQ(sizeof(sa), ubt_get_stats(&ring, cfd, &sa, 0));
		ASSERT_EQ(LAT_SIZE, get_lat(&ring, cfd, a, 0));
		EXPECT_EQ(on, a->enabled);
		ASSERT_EQ(4096, pwrite(bfd, buf, 4096, 0));
		ASSERT_EQ(4096, pread(bfd, buf, 4096, 0));
		ASSERT_EQ(LAT_SIZE, get_lat(&ring, cfd, b, 0));
		ASSERT_EQ(sizeof(sb), ubt_get_stats(&ring, cfd, &sb, 0));
		EXPECT_EQ(1, sb.read_ops - sa.read_ops);
		EXPECT_EQ(1, sb.write_ops - sa.write_ops);
		EXPECT_EQ(on, total(b, URINGBLK_LAT_READ) - total(a, URINGBLK_LAT_READ));
		EXPECT_EQ(on, total(b, URINGBLK_LAT_WRITE) - total(a, URINGBLK_LAT_WRITE));
		io_uring_queue_exit(&ring);
		close(bfd);
		close(cfd);
	}
	munmap(buf, 4096);
	free(a);
	free(b);
}

/*
 * --- the default drive, bio-based (driver/bio.c) -------------------------
 * Its latency starts when the block layer issued the bio (bio->bi_issue,
 * with CONFIG_BLK_CGROUP) and ends at bio_endio(): still inside the call.
 */
FIXTURE(lat_bio) {
	struct io_uring ring;
	int cfd, bfd;
	uint8_t *buf;
};

FIXTURE_SETUP(lat_bio)
{
	UBT_SETUP_MODULE(ubt_module_ensure, "capacity_mb=64 queue_mode=bio latency=1");
	self->cfd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, self->cfd);
	self->bfd = ubt_open_blk(0, O_RDWR | O_DIRECT);
	ASSERT_LE(0, self->bfd);
	ASSERT_EQ(0, ubt_ring_init(&self->ring, 0));
	self->buf = ubt_alloc(4096);
	ASSERT_NE(NULL, self->buf);
	ASSERT_EQ(0, set_enable("1"));
}

FIXTURE_TEARDOWN(lat_bio)
{
	io_uring_queue_exit(&self->ring);
	close(self->bfd);
	close(self->cfd);
}

TEST_F(lat_bio, io_latency_within_wall_time)
{
	io_within_wall(_metadata, &self->ring, self->cfd, self->bfd, self->buf);
}

TEST_HARNESS_MAIN
