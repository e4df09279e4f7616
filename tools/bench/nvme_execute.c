// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * nvme_execute: round trip of NVMe Execute Program (01h, on the CP
 * namespace's node /dev/uringblkcNn2) of a trivial program ("r0 = 0;
 * exit", over a one-page memory range set of SLM) against the drive's
 * EXEC of the same program over one block, at queue depth 1, interleaved
 * (each iteration does one of each: EXEC, Execute Program by
 * NVME_URING_CMD_IO, Execute Program by NVME_IOCTL_IO64_CMD), so drift
 * hits all alike.  The program is loaded and activated by the NVMe admin
 * commands (Load Program 85h, Program Activation Management 88h) in slot
 * PIND 1, the set made by Memory Range Set Management (89h); all three
 * are undone at the end.  EXEC runs the same program by its id.  With
 * NG, the CP namespace's generic node of the drive's controller of Linux's
 * NVMe driver (nvme_ctrl=1, /dev/ngXnY), a fourth kind: Execute Program
 * by NVME_URING_CMD_IO there, through nvme-core (issue 53).
 * Numbers, not a test: tools/bench/nvme runs it in the guest.
 *
 *   nvme_execute /dev/uringblkN [ITERS [NG]]
 *
 * Prints "NAME p50 p90 p99" lines (microseconds) and "p50_us VALUE", the
 * URING_CMD's p50 (what tools/bench/nvme's report compares with EXEC's).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/nvme_ioctl.h>

#include "benchlib.h"

#define CP_NSID		2
#define SLM_NSID	3
#define PIND		1

struct mrd {		/* Memory Range Descriptor (Documentation/dev/nvme-cp.md) */
	__u32 mnsid;
	__u32 len;
	__u64 sb;
	__u8 rsvd[16];
};

static int admin(int fd, struct nvme_passthru_cmd64 *c)
{
	int ret = ioctl(fd, NVME_IOCTL_ADMIN64_CMD, c);

	return ret < 0 ? -errno : ret;
}

static void prep_nvme(struct io_uring_sqe *sqe, int fd, const struct nvme_passthru_cmd64 *c)
{
	memset(sqe, 0, 2 * sizeof(*sqe));
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = fd;
	sqe->cmd_op = NVME_URING_CMD_IO;
	memcpy(sqe->cmd, c, sizeof(struct nvme_uring_cmd));
}

int main(int argc, char **argv)
{
	static const struct bpf_insn prog[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int iters = argc > 2 ? atoi(argv[2]) : 2000;
	struct uringblk_exec_args a = { .lba_count = 1 };
	char reply[sizeof(struct uringblk_exec_result)], node[64];
	struct mrd d = { .mnsid = SLM_NSID, .len = 4096 };
	struct nvme_passthru_cmd64 c, x;
	double *t[4] = { NULL };
	static const char *const name[4] = {
		"EXEC (drive's own, 1 block)", "Execute Program URING_CMD",
		"Execute Program ioctl", "Execute Program ng URING_CMD",
	};
	const int nk = argc > 3 ? 4 : 3;
	struct uringblk_dev *dev;
	struct io_uring ring;
	int cfd, nfd, gfd = -1, ret, rc = 1;
	__u32 rsid = 0;

	if (argc < 2 || argc > 4 || iters < 10) {
		fprintf(stderr, "usage: nvme_execute /dev/uringblkN [ITERS >= 10 [NG]]\n");
		return 2;
	}
	ret = uringblk_open(argv[1], &dev);
	if (ret) {
		fprintf(stderr, "nvme_execute: %s: %s\n", argv[1], uringblk_strerror(ret));
		return 1;
	}
	cfd = uringblk_chr_fd(dev);
	snprintf(node, sizeof(node), "%sn2", uringblk_chr_path(dev));
	nfd = open(node, O_RDWR);
	if (nfd < 0) {
		fprintf(stderr, "nvme_execute: %s: %s\n", node, strerror(errno));
		goto close_dev;
	}
	if (nk == 4) {
		gfd = open(argv[3], O_RDWR);
		if (gfd < 0) {
			fprintf(stderr, "nvme_execute: %s: %s\n", argv[3], strerror(errno));
			goto close_node;
		}
	}
	c = (struct nvme_passthru_cmd64) {
		.opcode = 0x85, .nsid = CP_NSID, .addr = (uintptr_t)prog,
		.data_len = sizeof(prog), .cdw10 = PIND | 0xc0 << 16,
		.cdw11 = sizeof(prog), .cdw14 = sizeof(prog),
	};
	ret = admin(cfd, &c);
	if (ret) {
		fprintf(stderr, "nvme_execute: Load Program: %#x\n", ret);
		goto close_node;
	}
	a.prog_id = c.result;
	c = (struct nvme_passthru_cmd64) { .opcode = 0x88, .nsid = CP_NSID,
					   .cdw10 = PIND | 1 << 16 };
	ret = admin(cfd, &c);
	if (ret) {
		fprintf(stderr, "nvme_execute: Program Activation Management: %#x\n", ret);
		goto unload;
	}
	c = (struct nvme_passthru_cmd64) {
		.opcode = 0x89, .nsid = CP_NSID, .addr = (uintptr_t)&d,
		.data_len = sizeof(d), .cdw11 = 1,
	};
	ret = admin(cfd, &c);
	if (ret) {
		fprintf(stderr, "nvme_execute: Memory Range Set Management: %#x\n", ret);
		goto unload;
	}
	rsid = c.result;
	x = (struct nvme_passthru_cmd64) { .opcode = 0x01, .nsid = CP_NSID,
					   .cdw2 = PIND | rsid << 16 };
	ret = io_uring_queue_init(4, &ring, IORING_SETUP_SQE128 | IORING_SETUP_CQE32);
	if (ret) {
		fprintf(stderr, "nvme_execute: io_uring_queue_init: %s\n", strerror(-ret));
		goto del_set;
	}
	for (int k = 0; k < nk; k++) {
		t[k] = calloc(iters, sizeof(double));
		if (!t[k])
			goto out;
	}
	for (int i = -iters / 10; i < iters; i++) {	/* first 10%: warm-up */
		for (int k = 0; k < nk; k++) {
			/* each iteration starts with the next kind */
			int kind = (k + i + iters) % nk;
			struct io_uring_sqe *sqe;
			double t0;

			if (kind == 2) {
				c = x;
				t0 = bench_now_us();
				ret = ioctl(nfd, NVME_IOCTL_IO64_CMD, &c);
			} else {
				sqe = io_uring_get_sqe(&ring);
				if (!sqe)
					goto out;
				if (kind == 0)
					uringblk_prep_exec(sqe, cfd, &a, reply, sizeof(reply));
				else
					prep_nvme(sqe, kind == 3 ? gfd : nfd, &x);
				t0 = bench_now_us();
				ret = bench_round_trip(&ring);
			}
			if (ret != 0) {
				fprintf(stderr, "nvme_execute: %s: %d\n", name[kind], ret);
				goto out;
			}
			if (i >= 0)
				t[kind][i] = bench_now_us() - t0;
		}
	}
	printf("%-30s %8s %8s %8s\n", "QD1 round trip (us)", "p50", "p90", "p99");
	for (int k = 0; k < nk; k++)
		printf("%-30s %8.1f %8.1f %8.1f\n", name[k], bench_percentile(t[k], iters, 0.5),
		       bench_percentile(t[k], iters, 0.9), bench_percentile(t[k], iters, 0.99));
	printf("iterations %d each\n", iters);
	printf("p50_us %.1f\n", bench_percentile(t[1], iters, 0.5));
	rc = 0;
out:
	for (int k = 0; k < nk; k++)
		free(t[k]);
	io_uring_queue_exit(&ring);
del_set:
	c = (struct nvme_passthru_cmd64) { .opcode = 0x89, .nsid = CP_NSID,
					   .cdw10 = 1 | rsid << 16 };
	admin(cfd, &c);
unload:
	c = (struct nvme_passthru_cmd64) { .opcode = 0x88, .nsid = CP_NSID, .cdw10 = PIND };
	admin(cfd, &c);
	c = (struct nvme_passthru_cmd64) { .opcode = 0x85, .nsid = CP_NSID,
					   .cdw10 = PIND | 1 << 24 };
	admin(cfd, &c);
close_node:
	if (gfd >= 0)
		close(gfd);
	close(nfd);
close_dev:
	uringblk_close(dev);
	return rc;
}
