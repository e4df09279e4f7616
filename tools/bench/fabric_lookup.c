// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * fabric_lookup: B+-tree lookups (bpf/btree.h, the BPF-KV shape) from a
 * host that reaches the drive's controller over NVMe/TCP (nvmet's
 * passthru, issue 54), two ways:
 *   remote walk  the host reads the tree over the fabric, 512 bytes a
 *                node, then the value (btree_lookup_host(): depth + 1
 *                Read commands a found key);
 *   pushdown     Execute Program of btree_lookup (NSID 2) in
 *                BTREE_LOOKUP_OFFSET mode over a memory range set that
 *                holds the tree in SLM, then Memory Read (NSID 3) of the
 *                8-byte value at the offset it answers: two commands
 *                whatever the depth.  The standard's Execute Program has
 *                no output data, hence the second command.
 * The tree is copied into SLM first by one Memory Copy (NSID 3) sent from
 * here (timed apart: it is paid once per tree, not per lookup).  The
 * program is loaded and activated, and the range set made, on the target:
 * nvmet's passthru does not forward 85h, 88h, 89h
 * (Documentation/dev/fabrics.md).
 *
 *   fabric_lookup BLK CP SLM PIND RSID TREE_OFF SLM_BASE ROUNDS LOOKUPS
 *
 * BLK the NVM namespace's block device (/dev/nvmeXnY, 512-byte LBAs), CP
 * and SLM the generic nodes of NSIDs 2 and 3, TREE_OFF the image's byte
 * offset on BLK, SLM_BASE the SLM byte address of the range set RSID
 * (which must cover the image).  Each round runs LOOKUPS random present
 * keys each way, in blocks of 16 alternating between the ways (drift hits
 * both), and checks every value against btree_value().  Prints
 * "RESULT fabric NAME ROUND VALUE" lines for tools/bench/fabric: per
 * lookup the median microseconds, the commands, the bytes that crossed
 * eth0 (rx + tx); the Memory Copy's time and bytes; mismatches (must be
 * 0).  Exit status 0, 1 on a failure or a mismatch, 2 on usage.
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
#include "btree.h"

#define CP_NSID		2
#define SLM_NSID	3
#define BLOCK		16	/* lookups per block, ways alternating */

static __u64 netbytes(void)
{
	static const char *const f[] = {
		"/sys/class/net/eth0/statistics/rx_bytes",
		"/sys/class/net/eth0/statistics/tx_bytes",
	};
	unsigned long long v, sum = 0;

	for (int i = 0; i < 2; i++) {
		FILE *fp = fopen(f[i], "r");

		if (!fp || fscanf(fp, "%llu", &v) != 1) {
			fprintf(stderr, "fabric_lookup: %s: cannot read\n", f[i]);
			exit(1);
		}
		fclose(fp);
		sum += v;
	}
	return sum;
}

static int io(int fd, struct nvme_passthru_cmd64 *c)
{
	int ret = ioctl(fd, NVME_IOCTL_IO64_CMD, c);

	return ret < 0 ? -errno : ret;	/* > 0: an NVMe status */
}

/* Memory Copy (01h): the image's LBAs of NSID 1 into SLM at @slm */
static int mem_copy(int fd, __u64 slba, __u64 nlb, __u64 slm)
{
	__u8 desc[32] __attribute__((aligned(8))) = { 0 };
	__u32 snsid = 1;
	__u16 nlb0 = nlb - 1;
	struct nvme_passthru_cmd64 c = {
		.opcode = 0x01, .nsid = SLM_NSID,
		.cdw2 = (__u32)(nlb * 512), .cdw3 = (__u32)((nlb * 512) >> 32),
		.cdw10 = (__u32)slm, .cdw11 = (__u32)(slm >> 32),
		.cdw12 = 0 | 2 << 8,	/* NR 0 (one range), CDFT 2h */
		.addr = (__u64)(uintptr_t)desc, .data_len = sizeof(desc),
	};

	if (nlb == 0 || nlb > 65536)
		return -EINVAL;
	memcpy(desc, &snsid, 4);
	memcpy(desc + 8, &slba, 8);
	memcpy(desc + 16, &nlb0, 2);
	return io(fd, &c);
}

struct pd {
	int	cp, slm;
	__u32	pind, rsid;
	__u64	root, base;
};

/* Execute Program then Memory Read: 1 found, 0 not, < 0 errno, else status */
static int pushdown(const struct pd *p, __u64 key, __u64 *value)
{
	__u64 mode = BTREE_LOOKUP_OFFSET, off, sb;
	struct nvme_passthru_cmd64 x = {
		.opcode = 0x01, .nsid = CP_NSID, .cdw2 = p->pind | p->rsid << 16,
		.cdw10 = (__u32)key, .cdw11 = (__u32)(key >> 32),
		.cdw12 = (__u32)p->root, .cdw13 = (__u32)(p->root >> 32),
		.addr = (__u64)(uintptr_t)&mode, .data_len = sizeof(mode),
	};
	int ret = io(p->cp, &x);

	if (ret)
		return ret;
	off = x.result;
	if (off == BTREE_NOT_FOUND)
		return 0;
	if (off < 512 || (off & 7)) {
		fprintf(stderr, "fabric_lookup: key %#llx: r0 %llu\n",
			(unsigned long long)key, (unsigned long long)off);
		return -EPROTO;
	}
	sb = p->base + off;
	struct nvme_passthru_cmd64 r = {
		.opcode = 0x02, .nsid = SLM_NSID,
		.cdw10 = (__u32)sb, .cdw11 = (__u32)(sb >> 32), .cdw12 = 8,
		.addr = (__u64)(uintptr_t)value, .data_len = 8,
	};
	ret = io(p->slm, &r);
	return ret ? ret : 1;
}

static __u64 arg(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || end == s) {
		fprintf(stderr, "fabric_lookup: bad number '%s'\n", s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	struct btree_super sb;
	struct btree_shape s;
	struct btree_fd bf;
	struct pd p;
	char err[256];
	int blk, rounds, lookups, bad = 0, ret;

	if (argc != 10) {
		fprintf(stderr, "usage: fabric_lookup BLK CP SLM PIND RSID TREE_OFF SLM_BASE "
			"ROUNDS LOOKUPS\n");
		return 2;
	}
	p.pind = arg(argv[4]);
	p.rsid = arg(argv[5]);
	bf.off = arg(argv[6]);
	p.base = arg(argv[7]);
	rounds = arg(argv[8]);
	lookups = arg(argv[9]);
	if (bf.off % 512 || p.base % 4 || rounds < 1 || lookups < BLOCK || lookups % BLOCK) {
		fprintf(stderr, "fabric_lookup: TREE_OFF a multiple of 512, SLM_BASE of 4, "
			"LOOKUPS a multiple of %d\n", BLOCK);
		return 2;
	}
	blk = open(argv[1], O_RDONLY | O_DIRECT);
	p.cp = open(argv[2], O_RDWR);
	p.slm = open(argv[3], O_RDWR);
	if (blk < 0 || p.cp < 0 || p.slm < 0) {
		perror("fabric_lookup: open");
		return 1;
	}
	bf.fd = blk;
	ret = btree_read_super(blk, bf.off, &sb);
	if (ret || btree_shape_of(&sb, &s, err, sizeof(err))) {
		fprintf(stderr, "fabric_lookup: no tree at %s offset %llu: %s\n", argv[1],
			(unsigned long long)bf.off, ret ? strerror(-ret) : err);
		return 1;
	}
	p.root = sb.root;
	srandom(1);	/* the same keys every run */
	printf("tree: %llu keys, depth %llu, %llu bytes\n", (unsigned long long)sb.nr_keys,
	       (unsigned long long)sb.depth, (unsigned long long)sb.size);

	/* The tree into SLM, once: one Memory Copy sent over the fabric. */
	{
		__u64 b0 = netbytes();
		double t0 = bench_now_us();

		ret = mem_copy(p.slm, bf.off / 512, (sb.size + 511) / 512, p.base);
		if (ret) {
			fprintf(stderr, "fabric_lookup: Memory Copy: %s %#x\n",
				ret < 0 ? strerror(-ret) : "NVMe status", ret < 0 ? 0 : ret);
			return 1;
		}
		printf("RESULT fabric lookup_copy_us 1 %.0f\n", bench_now_us() - t0);
		printf("RESULT fabric lookup_copy_bytes 1 %llu\n",
		       (unsigned long long)(netbytes() - b0));
	}

	double *us[2];
	us[0] = calloc(lookups, sizeof(double));
	us[1] = calloc(lookups, sizeof(double));
	if (!us[0] || !us[1])
		return 1;
	for (int r = 1; r <= rounds; r++) {
		__u64 bytes[2] = { 0, 0 }, cmds[2] = { 0, 0 };

		for (int i = 0; i < lookups; i += BLOCK) {
			__u64 keys[BLOCK];

			for (int k = 0; k < BLOCK; k++)
				keys[k] = btree_key(&s, (__u64)random() % s.nr_keys);
			for (int w0 = 0; w0 < 2; w0++) {
				/* the way that goes first alternates too */
				int w = (w0 + i / BLOCK) & 1;
				__u64 b0 = netbytes();

				for (int k = 0; k < BLOCK; k++) {
					unsigned int reads = 0;
					__u64 v = 0;
					double t0 = bench_now_us();

					if (w == 0)
						ret = btree_lookup_host(btree_pread, &bf, sb.size,
									sb.root, keys[k], &v,
									&reads);
					else
						ret = pushdown(&p, keys[k], &v);
					us[w][i + k] = bench_now_us() - t0;
					cmds[w] += w == 0 ? reads : 2;
					if (ret != BTREE_FOUND || v != btree_value(keys[k])) {
						if (bad++ < 5)
							fprintf(stderr, "fabric_lookup: %s: key %#llx: "
								"status %d, value %#llx, want %#llx\n",
								w ? "pushdown" : "remote walk",
								(unsigned long long)keys[k], ret,
								(unsigned long long)v,
								(unsigned long long)btree_value(keys[k]));
					}
				}
				bytes[w] += netbytes() - b0;
			}
		}
		for (int w = 0; w < 2; w++) {
			const char *n = w ? "pt" : "remote";

			printf("RESULT fabric lookup_%s_us %d %.1f\n", n, r,
			       bench_median(us[w], lookups));
			printf("RESULT fabric lookup_%s_cmds %d %.2f\n", n, r,
			       (double)cmds[w] / lookups);
			printf("RESULT fabric lookup_%s_bytes %d %.0f\n", n, r,
			       (double)bytes[w] / lookups);
		}
	}
	printf("RESULT fabric lookup_mismatch 1 %d\n", bad);
	return bad ? 1 : 0;
}
