// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * exec_latency: round-trip latency of an EXEC of a trivial program
 * ("r0 = 0; exit", over one block) against a 4 KiB O_DIRECT read, both at
 * queue depth 1 on the same io_uring (SQE128 | CQE32), interleaved in
 * rounds so drift hits both alike.  Prints median and p99 of each and the
 * ratio.  Numbers, not a test: run it in the VM (tools/bench/exec_latency).
 *
 *   exec_latency DEV [ITERS]      DEV: /dev/uringblkN
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <liburing.h>
#include <liburingblk.h>

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Submit the prepared SQE, wait for its CQE, return cqe->res. */
static int round_trip(struct io_uring *ring)
{
	struct io_uring_cqe *cqe;
	int ret = io_uring_submit_and_wait(ring, 1);

	if (ret < 0)
		return ret;
	ret = io_uring_wait_cqe(ring, &cqe);
	if (ret < 0)
		return ret;
	ret = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return ret;
}

int main(int argc, char **argv)
{
	static const struct bpf_insn prog[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int iters = argc > 2 ? atoi(argv[2]) : 2000;
	struct uringblk_exec_args a = { .lba_count = 1 };
	char reply[sizeof(struct uringblk_exec_result)];
	struct uringblk_dev *dev;
	struct io_uring ring;
	double *t_exec, *t_read;
	void *buf;
	int id, bfd, ret;

	if (argc < 2 || iters < 10) {
		fprintf(stderr, "usage: exec_latency /dev/uringblkN [ITERS >= 10]\n");
		return 2;
	}
	ret = uringblk_open(argv[1], &dev);
	if (ret) {
		fprintf(stderr, "exec_latency: %s: %s\n", argv[1], uringblk_strerror(ret));
		return 1;
	}
	id = uringblk_prog_load(dev, prog, 2, "nop", NULL, 0);
	bfd = open(uringblk_blk_path(dev), O_RDONLY | O_DIRECT);
	if (id < 0 || bfd < 0 || posix_memalign(&buf, 4096, 4096) ||
	    io_uring_queue_init(4, &ring, IORING_SETUP_SQE128 | IORING_SETUP_CQE32)) {
		fprintf(stderr, "exec_latency: setup failed (load %d, open %d)\n", id, bfd);
		return 1;
	}
	a.prog_id = id;
	t_exec = calloc(iters, sizeof(double));
	t_read = calloc(iters, sizeof(double));

	for (int i = -iters / 10; i < iters; i++) {	/* first 10%: warm-up */
		double t0;

		uringblk_prep_exec(io_uring_get_sqe(&ring), uringblk_chr_fd(dev), &a,
				   reply, sizeof(reply));
		t0 = now_us();
		ret = round_trip(&ring);
		if (ret != 0) {
			fprintf(stderr, "exec_latency: EXEC: %d\n", ret);
			return 1;
		}
		if (i >= 0)
			t_exec[i] = now_us() - t0;

		io_uring_prep_read(io_uring_get_sqe(&ring), bfd, buf, 4096,
				   (off_t)(i & 1023) * 4096);
		t0 = now_us();
		ret = round_trip(&ring);
		if (ret != 4096) {
			fprintf(stderr, "exec_latency: read: %d\n", ret);
			return 1;
		}
		if (i >= 0)
			t_read[i] = now_us() - t0;
	}
	qsort(t_exec, iters, sizeof(double), cmp_double);
	qsort(t_read, iters, sizeof(double), cmp_double);
	printf("%-28s %10s %10s\n", "QD1 round trip (us)", "p50", "p99");
	printf("%-28s %10.1f %10.1f\n", "4 KiB read (O_DIRECT)", t_read[iters / 2],
	       t_read[iters * 99 / 100]);
	printf("%-28s %10.1f %10.1f\n", "EXEC of a 2-insn program", t_exec[iters / 2],
	       t_exec[iters * 99 / 100]);
	printf("EXEC / read (p50): %.2fx over %d iterations each\n",
	       t_exec[iters / 2] / t_read[iters / 2], iters);
	uringblk_prog_unload(dev, id);
	uringblk_close(dev);
	return 0;
}
