// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * tools/bench/compare's guest side for the two rows that are not fio:
 *
 *   compare exec DEV ITERS
 *	exec_latency's measurement (benchlib.c: EXEC of "r0 = 0; exit"
 *	against a 4 KiB read, QD1, alternating); prints one line
 *	"exec_p50 exec_p99 read_p50 read_p99" in microseconds.
 *   compare alpha DEV OBJ MIB REPS
 *	tools/bench/kbpf's (b) with the interpreter only: the "Alpha" text
 *	written over the first MIB MiB (bench_fill_alpha()), OBJ
 *	(out/bpf/count_pattern.bpf.o) loaded as an interpreted program, REPS
 *	EXECs over the text; prints "MB/s count", MB/s of the median EXEC.
 *   compare kv DEV ITERS VSIZE
 *	DEV a KV drive (kv=1): Store of KV_KEYS values of VSIZE (>= 4)
 *	bytes under 4-byte keys, then ITERS / 10 unmeasured and ITERS
 *	timed Retrieves at QD1 of them in turn, by each of two paths,
 *	interleaved: uringblk_kv_get() (NVME_IOCTL_IO64_CMD on the command
 *	device, as tools/bench/kv) and NVME_URING_CMD_IO, this thread and
 *	the ring's io-wq workers on one CPU; prints
 *	"ioctl_p50 ioctl_p99 uring_p50 uring_p99" in microseconds.
 *
 * One line each, so that the script parses it on the host: python under
 * TCG over 9p takes seconds to start.  Every count is checked against the
 * text's (exit 1 on a wrong one): a faster scan that counts wrong is no
 * result (and every Retrieve's size and stamp is checked).  The drive must
 * have 4 KiB blocks for alpha (lba_count).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/nvme_ioctl.h>

#include "benchlib.h"

#define BLOCK		4096
#define MAX_REPS	64
#define KV_KEYS		256
#define KV_MAX_VSIZE	(1 << 20)

static int exec_row(struct uringblk_dev *dev, int iters)
{
	struct bench_exec_read r;
	char err[256];

	if (bench_exec_vs_read(dev, iters, &r, err, sizeof(err))) {
		fprintf(stderr, "compare: exec: %s\n", err);
		return 1;
	}
	printf("%.2f %.2f %.2f %.2f\n", r.exec_p50, r.exec_p99, r.read_p50, r.read_p99);
	return 0;
}

static int alpha_row(struct uringblk_dev *dev, const char *blk, const char *obj,
		     __u64 mib, int reps)
{
	struct uringblk_exec_args a = {
		/* "Alpha" little-endian, no flags, its length: kbpf's args */
		.args = { 0x6168706c41ULL, 0, 5 },
		.lba_count = (mib << 20) / BLOCK, .budget = 1ULL << 36,
	};
	struct uringblk_exec_result res;
	static __u8 out[4096];
	double secs[MAX_REPS];
	char log[4096];
	__u64 alphas;
	int id, ret;

	if (bench_fill_alpha(blk, mib << 20, &alphas))
		return 1;
	id = uringblk_prog_load_file(dev, obj, NULL, log, sizeof(log));
	if (id < 0) {
		fprintf(stderr, "compare: %s: %s\n%s\n", obj, strerror(-id), log);
		return 1;
	}
	a.prog_id = id;
	for (int i = 0; i < reps; i++) {
		double t = bench_now_us();

		ret = uringblk_exec(dev, &a, &res, out, sizeof(out));
		secs[i] = (bench_now_us() - t) / 1e6;
		/* -EOVERFLOW: r0 above INT32_MAX, still a completed run */
		if ((ret < 0 && ret != -EOVERFLOW) || res.error) {
			fprintf(stderr, "compare: EXEC of count_pattern: %s (run error %d)\n",
				strerror(ret < 0 ? -ret : EIO), res.error);
			return 1;
		}
		if (res.r0 != alphas) {
			fprintf(stderr, "compare: FAILED: counted %llu \"Alpha\", the text has %llu\n",
				(unsigned long long)res.r0, (unsigned long long)alphas);
			return 1;
		}
	}
	uringblk_prog_unload(dev, id);
	printf("%.1f %llu\n", (mib << 20) / bench_median(secs, reps) / 1e6,
	       (unsigned long long)alphas);
	return 0;
}

/* the 4-byte key of value @k (tools/bench/kv's keys are 4 bytes too) */
static void kv_key(__u32 k, __u8 key[4])
{
	memcpy(key, &k, 4);
}

/*
 * One Retrieve of @key into @buf by NVME_URING_CMD_IO on @ring (SQE128,
 * CQE32); *@vlen: DW0, the value's size (the CQE's big_cqe[0]).
 * Return: 0, the NVMe status (positive) or a negative errno.
 */
static int kv_get_uring(struct io_uring *ring, int fd, const __u8 *key,
			void *buf, size_t len, size_t *vlen)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct nvme_passthru_cmd64 c;
	__u64 res2 = 0;
	int ret;

	if (!sqe)
		return -EBUSY;
	ret = uringblk_kv_prep(&c, URINGBLK_KV_OP_RETRIEVE, key, 4, buf, len, 0);
	if (ret)
		return ret;
	memset(sqe, 0, 2 * sizeof(*sqe));
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = fd;
	sqe->cmd_op = NVME_URING_CMD_IO;
	memcpy(sqe->cmd, &c, sizeof(struct nvme_uring_cmd));
	ret = bench_round_trip_res2(ring, &res2);
	*vlen = (size_t)res2;
	return ret;
}

/* This thread and @ring's io-wq workers on the CPU it runs on now */
static int kv_pin(struct io_uring *ring)
{
	int cpu = sched_getcpu(), ret;
	cpu_set_t set;

	if (cpu < 0) {
		fprintf(stderr, "compare: kv: sched_getcpu: %s\n", strerror(errno));
		return -1;
	}
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		fprintf(stderr, "compare: kv: sched_setaffinity: %s\n", strerror(errno));
		return -1;
	}
	ret = io_uring_register_iowq_aff(ring, sizeof(set), &set);
	if (ret) {
		fprintf(stderr, "compare: kv: io_uring_register_iowq_aff: %s\n", strerror(-ret));
		return -1;
	}
	return 0;
}

/*
 * The KV rows: ITERS Retrieves by each path, interleaved (each iteration
 * starts with the next one): 0 = uringblk_kv_get() (NVME_IOCTL_IO64_CMD),
 * 1 = NVME_URING_CMD_IO on an io_uring of our own.
 */
static int kv_row(struct uringblk_dev *dev, const char *path, int iters, size_t vsize)
{
	static const char *const name[2] = { "ioctl", "URING_CMD" };
	int warm = iters / 10, ret = 1, fd = -1;
	double *t[2] = { calloc(iters, sizeof(double)), calloc(iters, sizeof(double)) };
	__u8 *buf = malloc(vsize), key[4];
	struct io_uring ring;
	bool ring_up = false;
	size_t vlen;

	if (!t[0] || !t[1] || !buf) {
		fprintf(stderr, "compare: kv: out of memory\n");
		goto out;
	}
	/* the handle's own fd is private: open the node again, read-write */
	fd = open(path, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "compare: kv: %s: %s\n", path, strerror(errno));
		goto out;
	}
	ret = io_uring_queue_init(4, &ring, IORING_SETUP_SQE128 | IORING_SETUP_CQE32);
	if (ret) {
		fprintf(stderr, "compare: kv: io_uring_queue_init: %s\n", strerror(-ret));
		ret = 1;
		goto out;
	}
	ring_up = true;
	/*
	 * A KV command is issued again from io-wq.  Its worker and this
	 * thread on one CPU: under TCG a wake-up of the other vCPU waits for
	 * its timer tick (Retrieves of 0.15 ms or 8 ms by where the worker
	 * ran, for every module alike), which would measure the scheduler.
	 */
	if (kv_pin(&ring)) {
		ret = 1;
		goto out;
	}
	/* each value starts with its key, the rest a fixed pattern */
	memset(buf, 0x5a, vsize);
	for (__u32 k = 0; k < KV_KEYS; k++) {
		kv_key(k, key);
		memcpy(buf, key, 4);
		ret = uringblk_kv_put(dev, key, 4, buf, vsize, 0);
		if (ret) {
			fprintf(stderr, "compare: kv: Store of key %u: %s (%s)\n", k,
				strerror(-ret), uringblk_kv_strerror(uringblk_last_status(dev)));
			ret = 1;
			goto out;
		}
	}
	for (int i = -warm; i < iters; i++) {
		for (int j = 0; j < 2; j++) {
			int kind = (i + warm + j) % 2;
			__u32 k = (__u32)(i + warm) % KV_KEYS;
			double t0;

			kv_key(k, key);
			memset(buf, 0, vsize);
			vlen = 0;
			t0 = bench_now_us();
			if (kind == 0)
				ret = uringblk_kv_get(dev, key, 4, buf, vsize, &vlen);
			else
				ret = kv_get_uring(&ring, fd, key, buf, vsize, &vlen);
			t0 = bench_now_us() - t0;
			if (ret || vlen != vsize || memcmp(buf, key, 4) ||
			    (vsize > 4 && buf[vsize - 1] != 0x5a)) {
				fprintf(stderr,
					"compare: kv: FAILED: Retrieve of key %u by %s: %s, %zu bytes\n",
					k, name[kind],
					ret < 0 ? strerror(-ret) :
					ret > 0 ? uringblk_kv_strerror(ret) : "wrong value", vlen);
				ret = 1;
				goto out;
			}
			if (i >= 0)
				t[kind][i] = t0;
		}
	}
	printf("%.2f %.2f %.2f %.2f\n", bench_percentile(t[0], iters, 0.5),
	       bench_percentile(t[0], iters, 0.99), bench_percentile(t[1], iters, 0.5),
	       bench_percentile(t[1], iters, 0.99));
	ret = 0;
out:
	if (ring_up)
		io_uring_queue_exit(&ring);
	if (fd >= 0)
		close(fd);
	free(t[0]);
	free(t[1]);
	free(buf);
	return ret;
}

int main(int argc, char **argv)
{
	struct uringblk_dev *dev;
	int iters = 0, reps = 0, ret;
	size_t vsize = 0;
	__u64 mib = 0;

	if (argc == 5 && !strcmp(argv[1], "kv")) {
		iters = atoi(argv[3]);
		vsize = strtoull(argv[4], NULL, 0);
		if (iters < 10 || vsize < 4 || vsize > KV_MAX_VSIZE)
			goto usage;
	} else if (argc == 4 && !strcmp(argv[1], "exec")) {
		iters = atoi(argv[3]);
		if (iters < 10)
			goto usage;
	} else if (argc == 6 && !strcmp(argv[1], "alpha")) {
		mib = strtoull(argv[4], NULL, 0);
		reps = atoi(argv[5]);
		if (!mib || mib % 4 || reps < 1 || reps > MAX_REPS)
			goto usage;
	} else {
		goto usage;
	}
	ret = uringblk_open(argv[2], &dev);
	if (ret) {
		fprintf(stderr, "compare: %s: %s\n", argv[2], uringblk_strerror(ret));
		return 1;
	}
	if (vsize)
		ret = kv_row(dev, argv[2], iters, vsize);
	else if (iters)
		ret = exec_row(dev, iters);
	else
		ret = alpha_row(dev, argv[2], argv[3], mib, reps);
	uringblk_close(dev);
	return ret;
usage:
	fprintf(stderr, "usage: compare exec DEV ITERS(>=10)\n"
		"       compare alpha DEV count_pattern.bpf.o MIB(multiple of 4) REPS(1..%d)\n"
		"       compare kv DEV ITERS(>=10) VSIZE(4..%d)\n", MAX_REPS, KV_MAX_VSIZE);
	return 2;
}
