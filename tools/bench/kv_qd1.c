// SPDX-License-Identifier: GPL-2.0
/*
 * kv_qd1 - a KV drive's Retrieve and Store of 4 KiB values at QD1 against
 * 4 KiB O_DIRECT reads of the same drive and O_DIRECT + O_DSYNC (FUA)
 * writes of a plain drive of the same configuration (issue 33's goals:
 * each <= 1.5x).  Run in the guest by tools/bench/kv; prints p50 and p99
 * in microseconds and the ratios.
 *
 *   kv_qd1 KVCDEV KVBLK PLAINBLK [N]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <linux/nvme_ioctl.h>

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double pct(double *v, int n, double q)
{
	qsort(v, n, sizeof(*v), cmp);
	return v[(int)(q * (n - 1))];
}

/* Store (01h) or Retrieve (02h) of 4 KiB under the 4-byte key @k */
static int kv(int fd, uint8_t op, uint32_t k, void *buf)
{
	struct nvme_passthru_cmd64 c = {
		.opcode = op, .nsid = 1, .addr = (uintptr_t)buf, .data_len = 4096,
		.cdw2 = k, .cdw10 = 4096, .cdw11 = 4,
	};

	return ioctl(fd, NVME_IOCTL_IO64_CMD, &c);
}

int main(int argc, char **argv)
{
	int n = argc > 4 ? atoi(argv[4]) : 2000, kfd, rfd, wfd;
	double *t[4], p50[4], p99[4], t0;
	const char *names[4] = { "Retrieve 4 KiB", "O_DIRECT read 4 KiB",
				 "Store 4 KiB", "O_DIRECT+FUA write 4 KiB" };
	void *buf;

	if (argc < 4) {
		fprintf(stderr, "usage: %s KVCDEV KVBLK PLAINBLK [N]\n", argv[0]);
		return 2;
	}
	kfd = open(argv[1], O_RDWR);
	rfd = open(argv[2], O_RDONLY | O_DIRECT);
	wfd = open(argv[3], O_RDWR | O_DIRECT | O_DSYNC);
	if (kfd < 0 || rfd < 0 || wfd < 0 || posix_memalign(&buf, 4096, 4096)) {
		perror("open");
		return 1;
	}
	memset(buf, 0x5a, 4096);
	for (int i = 0; i < 4; i++)
		t[i] = calloc(n, sizeof(double));
	/* 256 values to retrieve */
	for (uint32_t k = 0; k < 256; k++)
		if (kv(kfd, 0x01, k, buf)) {
			fprintf(stderr, "store %u failed\n", k);
			return 1;
		}
	for (int i = 0; i < n; i++) {
		t0 = now_us();
		if (kv(kfd, 0x02, i % 256, buf))
			return fprintf(stderr, "retrieve failed\n"), 1;
		t[0][i] = now_us() - t0;
		t0 = now_us();
		if (pread(rfd, buf, 4096, (off_t)(i % 256) * 4096) != 4096)
			return perror("pread"), 1;
		t[1][i] = now_us() - t0;
		t0 = now_us();
		if (kv(kfd, 0x01, 1000 + i % 256, buf))
			return fprintf(stderr, "store failed\n"), 1;
		t[2][i] = now_us() - t0;
		t0 = now_us();
		if (pwrite(wfd, buf, 4096, (off_t)(i % 256) * 4096) != 4096)
			return perror("pwrite"), 1;
		t[3][i] = now_us() - t0;
	}
	printf("%-26s %10s %10s\n", "QD1, interleaved", "p50 us", "p99 us");
	for (int i = 0; i < 4; i++) {
		p50[i] = pct(t[i], n, 0.5);
		p99[i] = pct(t[i], n, 0.99);
		printf("%-26s %10.1f %10.1f\n", names[i], p50[i], p99[i]);
	}
	printf("Retrieve / read p50: %.2fx (goal <= 1.5x)\n", p50[0] / p50[1]);
	printf("Store / FUA write p50: %.2fx (goal <= 1.5x)\n", p50[2] / p50[3]);
	return 0;
}
