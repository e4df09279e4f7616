// SPDX-License-Identifier: GPL-2.0
/*
 * zone_append_bench - sequential zone-write throughput through io_uring,
 * by ZONE_APPEND on a uringblk command device or by plain writes at the
 * write pointer on any zoned block device (uringblk or null_blk).
 *
 *   zone_append_bench append /dev/uringblkcN /dev/uringblkN BS QD SECS
 *   zone_append_bench write  /dev/<zoned blockdev>          BS QD SECS
 *
 * Both modes fill the device's sequential zones one after the other, up to
 * each zone's capacity, and reset a zone (BLKRESETZONE) before writing it
 * again, for SECS seconds; the resets are part of the measured time.
 *
 *   append  QD ZONE_APPEND commands in flight to the same zone (the point
 *           of append: the drive picks the LBAs, so the host need not
 *           serialise); data land whole, in some order.
 *   write   IORING_OP_WRITE, O_DIRECT, at the write pointer.  Only one
 *           write per zone can be in flight (the block layer's zone write
 *           lock would otherwise reorder nothing but a submission that
 *           io_uring punts to a worker could overtake its predecessor), so
 *           QD writes go to QD different zones, each sequential.
 *
 * Prints one line: mode, bs, qd, bytes, seconds, MiB/s, IOPS, resets.
 * If $BENCH_EVENTS names a file, "start TAG" and "end TAG" lines ($BENCH_TAG)
 * are appended to it right around the measured interval: tools/bench/zoned
 * shares that file with the host, which notes QEMU's CPU time at each.
 * Exit status 0, or 1 with a message on any failed command.
 */
#define _GNU_SOURCE	/* O_DIRECT */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <liburing.h>
#include <linux/blkzoned.h>
#include <linux/fs.h>
#include <linux/uringblk.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

struct zone {
	uint64_t start;		/* sectors */
	uint64_t len;		/* sectors */
	uint64_t cap;		/* bytes that can be written */
	uint64_t queued;	/* bytes submitted since the last reset */
	unsigned int inflight;
	bool held;		/* write mode: a slot is writing it */
};

static struct zone *zones;
static unsigned int nr_zones;
static uint64_t resets;

static void die(const char *what, int err)
{
	fprintf(stderr, "zone_append_bench: %s: %s\n", what, strerror(err));
	exit(1);
}

/* Append "WHAT TAG" to $BENCH_EVENTS, if set. */
static void event(const char *what)
{
	const char *path = getenv("BENCH_EVENTS"), *tag = getenv("BENCH_TAG");
	FILE *f;

	if (!path)
		return;
	f = fopen(path, "a");
	if (!f)
		die(path, errno);
	fprintf(f, "%s %s\n", what, tag ? tag : "-");
	if (fclose(f))
		die(path, errno);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The sequential zones of @fd, from BLKREPORTZONE. */
static void load_zones(int fd)
{
	struct blk_zone_report *rep;
	unsigned int total = 0;

	if (ioctl(fd, BLKGETNRZONES, &total) || !total)
		die("BLKGETNRZONES (not a zoned block device?)", errno ? errno : ENOTTY);
	rep = calloc(1, sizeof(*rep) + total * sizeof(struct blk_zone));
	zones = calloc(total, sizeof(*zones));
	if (!rep || !zones)
		die("calloc", ENOMEM);
	rep->nr_zones = total;
	if (ioctl(fd, BLKREPORTZONE, rep))
		die("BLKREPORTZONE", errno);
	for (unsigned int i = 0; i < rep->nr_zones; i++) {
		struct blk_zone *z = &rep->zones[i];

		if (z->type != BLK_ZONE_TYPE_SEQWRITE_REQ)
			continue;
		zones[nr_zones].start = z->start;
		zones[nr_zones].len = z->len;
		zones[nr_zones].cap = ((rep->flags & BLK_ZONE_REP_CAPACITY) ?
				       z->capacity : z->len) * 512;
		nr_zones++;
	}
	free(rep);
	if (!nr_zones)
		die("no sequential zones", ENODEV);
}

static void reset_zone(int bfd, struct zone *z, bool count)
{
	struct blk_zone_range r = { .sector = z->start, .nr_sectors = z->len };

	if (ioctl(bfd, BLKRESETZONE, &r))
		die("BLKRESETZONE", errno);
	z->queued = 0;
	resets += count;
}

/* Room for one more @bs in zone @z? */
static bool fits(const struct zone *z, uint32_t bs)
{
	return z->queued + bs <= z->cap;
}

/*
 * Append mode: every command goes to zone `cur`; when it cannot take one
 * more, the next zone (reset first if it was written) becomes `cur`, while
 * the last commands to the old one complete.
 */
static void run_append(struct io_uring *ring, int cfd, int bfd, void *buf,
		       uint32_t bs, uint32_t qd, uint32_t lbs, double t_end,
		       uint64_t *ios)
{
	unsigned int inflight = 0, cur = 0;
	bool stop = false;

	while (!stop || inflight) {
		struct io_uring_cqe *cqe;
		int ret;

		while (!stop && inflight < qd) {
			struct zone *z = &zones[cur];
			struct io_uring_sqe *sqe;
			struct uringblk_cmd cmd;

			if (!fits(z, bs)) {
				struct zone *n = &zones[(cur + 1) % nr_zones];

				if (n->inflight)
					break;	/* wrapped onto a busy zone: wait */
				cur = (cur + 1) % nr_zones;
				if (n->queued)
					reset_zone(bfd, n, true);
				z = n;
			}
			memset(&cmd, 0, sizeof(cmd));
			cmd.abi_major = URINGBLK_ABI_MAJOR;
			cmd.addr = (uintptr_t)buf;
			cmd.len = bs;
			cmd.zone_append.zone_lba = z->start * 512 / lbs;	/* LBAs */
			sqe = io_uring_get_sqe(ring);	/* 2 * qd entries: never NULL */
			if (!sqe)
				die("io_uring_get_sqe", EBUSY);
			/* 128-byte SQE: clear all of it. */
			memset((uint8_t *)sqe, 0, 2 * sizeof(*sqe));
			sqe->opcode = IORING_OP_URING_CMD;
			sqe->fd = cfd;
			sqe->cmd_op = URINGBLK_CMD_ZONE_APPEND;
			sqe->user_data = cur;
			memcpy(sqe->cmd, &cmd, sizeof(cmd));
			z->queued += bs;
			z->inflight++;
			inflight++;
		}
		ret = io_uring_submit_and_wait(ring, 1);
		if (ret < 0)
			die("io_uring_submit_and_wait", -ret);
		while (io_uring_peek_cqe(ring, &cqe) == 0) {
			if (cqe->res < 0)
				die("ZONE_APPEND", -cqe->res);
			zones[cqe->user_data].inflight--;
			io_uring_cqe_seen(ring, cqe);
			inflight--;
			(*ios)++;
		}
		if (now() >= t_end)
			stop = true;
	}
}

/*
 * Write mode: QD slots, each writing its own zone sequentially with one
 * write in flight; a slot whose zone is full takes the next zone no slot
 * holds (reset first if it was written).
 */
static void run_write(struct io_uring *ring, int bfd, void *buf, uint32_t bs,
		      uint32_t qd, double t_end, uint64_t *ios)
{
	unsigned int slot_zone[256], next = 0, inflight = 0, i;
	bool busy[256] = { false };
	bool stop = false;

	for (i = 0; i < qd; i++) {
		slot_zone[i] = next++;
		zones[slot_zone[i]].held = true;
	}
	while (!stop || inflight) {
		struct io_uring_cqe *cqe;
		int ret;

		for (i = 0; !stop && i < qd; i++) {
			struct zone *z = &zones[slot_zone[i]];
			struct io_uring_sqe *sqe;

			if (busy[i])
				continue;
			if (!fits(z, bs)) {
				unsigned int n;

				do
					n = next++ % nr_zones;
				while (zones[n].held);
				z->held = false;
				slot_zone[i] = n;
				z = &zones[n];
				z->held = true;
				if (z->queued)
					reset_zone(bfd, z, true);
			}
			sqe = io_uring_get_sqe(ring);
			if (!sqe)
				die("io_uring_get_sqe", EBUSY);
			io_uring_prep_write(sqe, bfd, buf, bs, z->start * 512 + z->queued);
			sqe->user_data = i;
			z->queued += bs;
			busy[i] = true;
			inflight++;
		}
		ret = io_uring_submit_and_wait(ring, 1);
		if (ret < 0)
			die("io_uring_submit_and_wait", -ret);
		while (io_uring_peek_cqe(ring, &cqe) == 0) {
			if (cqe->res != (int)bs)
				die("write", cqe->res < 0 ? -cqe->res : EIO);
			busy[cqe->user_data] = false;
			io_uring_cqe_seen(ring, cqe);
			inflight--;
			(*ios)++;
		}
		if (now() >= t_end)
			stop = true;
	}
}

int main(int argc, char **argv)
{
	const char *cdev = NULL, *bdev;
	uint32_t bs, qd, lbs = 512;
	uint64_t ios = 0;
	struct io_uring ring;
	double secs, t0, t1;
	int bfd, cfd = -1, ret, argi = 2;
	bool append;
	void *buf;

	if (argc < 6 || (strcmp(argv[1], "append") && strcmp(argv[1], "write"))) {
		fprintf(stderr, "usage: %s append CHARDEV BLOCKDEV BS QD SECS\n"
				"       %s write BLOCKDEV BS QD SECS\n", argv[0], argv[0]);
		return 2;
	}
	append = !strcmp(argv[1], "append");
	if (argc != (append ? 7 : 6)) {
		fprintf(stderr, "zone_append_bench: wrong number of arguments\n");
		return 2;
	}
	if (append)
		cdev = argv[argi++];
	bdev = argv[argi++];
	bs = strtoul(argv[argi++], NULL, 0);
	qd = strtoul(argv[argi++], NULL, 0);
	secs = strtod(argv[argi++], NULL);
	if (!bs || bs % 4096 || !qd || qd > 256 || secs <= 0) {
		fprintf(stderr, "zone_append_bench: BS must be a multiple of 4096, QD 1-256, SECS > 0\n");
		return 2;
	}

	bfd = open(bdev, O_RDWR | O_DIRECT);
	if (bfd < 0)
		die(bdev, errno);
	if (ioctl(bfd, BLKSSZGET, &lbs))
		die("BLKSSZGET", errno);
	load_zones(bfd);
	if (!append && qd > nr_zones)
		die("QD is more than the sequential zones (one write per zone)", EINVAL);
	if (posix_memalign(&buf, 4096, bs))
		die("posix_memalign", ENOMEM);
	memset(buf, 0x5a, bs);
	/* Start from empty zones: nothing to reset in the measured time. */
	for (unsigned int i = 0; i < nr_zones; i++)
		reset_zone(bfd, &zones[i], false);

	if (append) {
		cfd = open(cdev, O_RDWR);
		if (cfd < 0)
			die(cdev, errno);
		ret = io_uring_queue_init(2 * qd, &ring, IORING_SETUP_SQE128);
	} else {
		ret = io_uring_queue_init(2 * qd, &ring, 0);
	}
	if (ret)
		die("io_uring_queue_init", -ret);

	event("start");
	t0 = now();
	if (append)
		run_append(&ring, cfd, bfd, buf, bs, qd, lbs, t0 + secs, &ios);
	else
		run_write(&ring, bfd, buf, bs, qd, t0 + secs, &ios);
	t1 = now();
	event("end");
	printf("mode=%s bs=%u qd=%u bytes=%" PRIu64 " secs=%.3f mib_s=%.1f iops=%.0f resets=%" PRIu64 "\n",
	       append ? "append" : "write", bs, qd, ios * bs, t1 - t0,
	       ios * bs / (t1 - t0) / 1048576.0, ios / (t1 - t0), resets);
	io_uring_queue_exit(&ring);
	/* Leave the device empty for whatever runs next. */
	for (unsigned int i = 0; i < nr_zones; i++)
		reset_zone(bfd, &zones[i], false);
	return 0;
}
