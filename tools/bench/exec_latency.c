// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * exec_latency: round-trip latency of an EXEC of a trivial program
 * ("r0 = 0; exit", over one block) against a 4 KiB O_DIRECT read, both at
 * queue depth 1 on the same io_uring (SQE128 | CQE32), interleaved in
 * rounds so drift hits both alike.  Prints median and p99 of each and the
 * ratios.  Numbers, not a test: run it in the VM (tools/bench/exec_latency).
 * The measurement is in benchlib.c: tools/bench/lookup reports it too.
 *
 *   exec_latency DEV [ITERS]      DEV: /dev/uringblkN
 */
#include <stdio.h>
#include <stdlib.h>

#include "benchlib.h"

int main(int argc, char **argv)
{
	int iters = argc > 2 ? atoi(argv[2]) : 2000;
	struct bench_exec_read r;
	struct uringblk_dev *dev;
	char err[256];
	int ret;

	if (argc < 2 || iters < 10) {
		fprintf(stderr, "usage: exec_latency /dev/uringblkN [ITERS >= 10]\n");
		return 2;
	}
	ret = uringblk_open(argv[1], &dev);
	if (ret) {
		fprintf(stderr, "exec_latency: %s: %s\n", argv[1], uringblk_strerror(ret));
		return 1;
	}
	ret = bench_exec_vs_read(dev, iters, &r, err, sizeof(err));
	uringblk_close(dev);
	if (ret) {
		fprintf(stderr, "exec_latency: %s\n", err);
		return 1;
	}
	bench_exec_vs_read_print(stdout, &r);
	return 0;
}
