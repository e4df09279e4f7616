// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * vec: int8 vector top-k over >= 256 MiB of embeddings, the host path
 * against the drive path, in one VM boot.  Numbers, not a test: run it
 * through tools/bench/vec (see tools/bench/README.md).
 *
 *   vec [-m MIB] [-d DIM] [-k K] [-r ROUNDS] BPF_OBJ_DIR
 *
 * Creates configfs drive "vecbench" (memory, 4 KiB blocks), writes
 * MIB MiB of random int8 vectors (splitmix64, as uringblk-embed random)
 * at LBA 0, and loads them once into SLM (MEM_COPY: inside the drive;
 * timed apart).  After one query each way not counted (the first
 * EXECUTE pays one-time costs), per round, in alternating order, one
 * query each way:
 *  - host: O_DIRECT reads of every vector (4 MiB at a time) scored in C
 *    with the compiler's vectorizer (uringblk_vec_topk_read());
 *  - drive: MEM_WRITE of the query + EXECUTE of topk_i8, which returns
 *    the k hits (uringblk_vec_query()).
 * Every round's two lists must be equal (else exit 1).  Bytes moved are
 * the drive's own counters (GET_STATS bytes_to_host + slm_bytes_from_host)
 * around each query.  Prints medians, min and max.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "benchlib.h"

#define DRIVE_NAME	"vecbench"
#define MAX_ROUNDS	64

static uint64_t splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static void random_bytes(uint64_t *state, void *p, size_t n)
{
	unsigned char *b = p;

	for (size_t i = 0; i < n; i += 8) {
		uint64_t r = splitmix64((*state)++);

		for (size_t j = 0; j < 8 && i + j < n; j++)
			b[i + j] = (unsigned char)(r >> (8 * j));
	}
}

static int fill(const char *blk, __u64 bytes)
{
	size_t bufsz = 4 << 20;
	uint64_t st = 1;
	char *buf;
	int fd = open(blk, O_WRONLY | O_DIRECT);

	if (fd < 0 || posix_memalign((void **)&buf, 4096, bufsz))
		return -1;
	for (__u64 off = 0; off < bytes; off += bufsz) {
		random_bytes(&st, buf, bufsz);
		if (pwrite(fd, buf, bufsz, (off_t)off) != (ssize_t)bufsz) {
			close(fd);
			return -1;
		}
	}
	close(fd);
	free(buf);
	return 0;
}

static __u64 bus_bytes(struct uringblk_dev *dev)
{
	struct uringblk_stats s;

	if (uringblk_get_stats(dev, &s, 0))
		return 0;
	return s.bytes_to_host + s.slm_bytes_from_host;
}

static void stat3(const char *what, double *v, int n, const char *unit)
{
	double c[MAX_ROUNDS], med, lo, hi;

	memcpy(c, v, n * sizeof(*v));
	med = bench_median(c, n);
	lo = c[0];
	hi = c[n - 1];
	printf("  %-34s median %12.3f %s  (min %.3f, max %.3f)\n", what, med,
	       unit, lo, hi);
}

int main(int argc, char **argv)
{
	__u64 mib = 256, dim = 384, k = 10, rounds = 5, n, bytes;
	char cap[48], slm[48], msg[512], obj[1024];
	const char *kv[] = { "backing=mem", "block_size=4096", cap, slm, NULL };
	static struct uringblk_vec_hit hh[URINGBLK_VEC_K_MAX], dh[URINGBLK_VEC_K_MAX];
	double th[MAX_ROUNDS], td[MAX_ROUNDS], bh[MAX_ROUNDS], bd[MAX_ROUNDS];
	double ratio_t[MAX_ROUNDS], t0, load_s;
	struct uringblk_vec_store store;
	struct uringblk_exec_result res;
	struct uringblk_vec_topk t;
	struct uringblk_dev *dev = NULL;
	__s8 q[URINGBLK_VEC_DIM_MAX];
	__u64 b0, hread, insns = 0;
	int c, index, ret, status = 1, nh = 0, nd = -1, fd = -1;
	uint64_t qs = 1000;
	__u32 pind;

	while ((c = getopt(argc, argv, "m:d:k:r:")) != -1) {
		switch (c) {
		case 'm': mib = strtoull(optarg, NULL, 0); break;
		case 'd': dim = strtoull(optarg, NULL, 0); break;
		case 'k': k = strtoull(optarg, NULL, 0); break;
		case 'r': rounds = strtoull(optarg, NULL, 0); break;
		default: goto usage;
		}
	}
	if (optind + 1 != argc || !dim || dim > URINGBLK_VEC_DIM_MAX || !k ||
	    k > URINGBLK_VEC_K_MAX || !rounds || rounds > MAX_ROUNDS || !mib) {
usage:
		fprintf(stderr, "usage: vec [-m MIB] [-d DIM] [-k K] [-r ROUNDS] BPF_OBJ_DIR\n");
		return 2;
	}
	snprintf(obj, sizeof(obj), "%s/topk_i8.bpf.o", argv[optind]);
	n = (mib << 20) / dim;
	bytes = n * dim;
	snprintf(cap, sizeof(cap), "capacity_mb=%llu", (unsigned long long)mib + 4);
	snprintf(slm, sizeof(slm), "slm_size=%llu",
		 (unsigned long long)((mib + 4) << 20));
	ret = uringblk_create(DRIVE_NAME, kv, &index, msg, sizeof(msg));
	if (ret) {
		fprintf(stderr, "vec: creating drive: %s %s\n", uringblk_strerror(ret), msg);
		return 1;
	}
	ret = uringblk_open_index(index, &dev);
	if (ret)
		goto remove;
	if (fill(uringblk_blk_path(dev), (bytes + (4 << 20) - 1) / (4 << 20) * (4 << 20))) {
		fprintf(stderr, "vec: writing the vectors: %s\n", strerror(errno));
		goto close;
	}
	t0 = bench_now_us();
	ret = uringblk_vec_store_lbas(dev, 0, 0, n, (__u32)dim, &store, msg, sizeof(msg));
	load_s = (bench_now_us() - t0) / 1e6;
	if (ret) {
		fprintf(stderr, "vec: store: %s %s\n", uringblk_strerror(ret), msg);
		goto close;
	}
	ret = uringblk_vec_prog(dev, obj, &pind, msg, sizeof(msg));
	if (ret) {
		fprintf(stderr, "vec: %s: %s %s\n", obj, uringblk_strerror(ret), msg);
		goto free_store;
	}
	fd = open(uringblk_blk_path(dev), O_RDONLY | O_DIRECT);
	if (fd < 0)
		goto free_store;
	/* one query each way first, not counted: the first EXECUTE pays one-time costs */
	random_bytes(&qs, q, dim);
	t0 = bench_now_us();
	nd = uringblk_vec_query(dev, &store, pind, q, (__u32)k, URINGBLK_VEC_DOT, dh, &res);
	if (nd < 0) {
		fprintf(stderr, "vec: drive query: %s\n", uringblk_strerror(nd));
		goto free_store;
	}
	fprintf(stderr, "vec: warm-up drive query %.3f s\n", (bench_now_us() - t0) / 1e6);
	uringblk_vec_topk_init(&t, q, (__u32)dim, (__u32)k, URINGBLK_VEC_DOT, hh);
	t0 = bench_now_us();
	if (uringblk_vec_topk_read(&t, fd, 0, n, &hread))
		goto free_store;
	fprintf(stderr, "vec: warm-up host query %.3f s\n", (bench_now_us() - t0) / 1e6);
	printf("vec: int8 top-k, host path vs drive path (issue 15)\n");
	printf("drive %s: memory, 4 KiB blocks; %llu vectors x %llu bytes = %.1f MiB; k %llu, "
	       "dot product; %llu rounds, alternating order\n", uringblk_blk_path(dev),
	       (unsigned long long)n, (unsigned long long)dim, bytes / 1048576.0,
	       (unsigned long long)k, (unsigned long long)rounds);
	printf("one-time load into SLM (MEM_COPY inside the drive, no bus bytes): %.2f s\n",
	       load_s);
	fflush(stdout);
	for (__u64 r = 0; r < rounds; r++) {
		random_bytes(&qs, q, dim);
		for (int side = 0; side < 2; side++) {
			bool host = (side == 0) == (r % 2 == 0);

			b0 = bus_bytes(dev);
			t0 = bench_now_us();
			if (host) {
				uringblk_vec_topk_init(&t, q, (__u32)dim, (__u32)k,
						       URINGBLK_VEC_DOT, hh);
				ret = uringblk_vec_topk_read(&t, fd, 0, n, &hread);
				nh = (int)uringblk_vec_topk_finish(&t);
				th[r] = (bench_now_us() - t0) / 1e6;
				bh[r] = (double)(bus_bytes(dev) - b0);
				if (ret) {
					fprintf(stderr, "vec: host read: %s\n", strerror(-ret));
					goto free_store;
				}
			} else {
				nd = uringblk_vec_query(dev, &store, pind, q, (__u32)k,
							URINGBLK_VEC_DOT, dh, &res);
				td[r] = (bench_now_us() - t0) / 1e6;
				bd[r] = (double)(bus_bytes(dev) - b0);
				if (nd < 0) {
					fprintf(stderr, "vec: drive query: %s\n",
						uringblk_strerror(nd));
					goto free_store;
				}
				insns = res.insns;
			}
		}
		if (nh != nd || memcmp(hh, dh, nh * sizeof(hh[0]))) {
			fprintf(stderr, "vec: round %llu: host and drive lists differ\n",
				(unsigned long long)r);
			goto free_store;
		}
		ratio_t[r] = th[r] / td[r];
		fprintf(stderr, "vec: round %llu: host %.3f s, drive %.3f s, best %llu/%lld\n",
			(unsigned long long)r + 1, th[r], td[r],
			(unsigned long long)dh[0].index, (long long)dh[0].score);
	}
	printf("\nper query (%llu rounds; host and drive lists identical in every round):\n",
	       (unsigned long long)rounds);
	stat3("host: read + score, seconds", th, (int)rounds, "s");
	stat3("drive: MEM_WRITE + EXECUTE, seconds", td, (int)rounds, "s");
	stat3("speedup (host time / drive time)", ratio_t, (int)rounds, "x");
	stat3("host: bytes to the host", bh, (int)rounds, "B");
	stat3("drive: bytes over the bus", bd, (int)rounds, "B");
	printf("  drive bytes = query %llu + result %zu + hits %llu x %zu; budget units "
	       "per query %llu (%.3f per byte)\n", (unsigned long long)dim,
	       sizeof(struct uringblk_exec_result), (unsigned long long)k,
	       sizeof(struct uringblk_vec_hit), (unsigned long long)insns,
	       (double)insns / bytes);
	{
		double rb[MAX_ROUNDS];

		for (__u64 r = 0; r < rounds; r++)
			rb[r] = bh[r] / (bd[r] ? bd[r] : 1);
		stat3("fewer bytes (host bytes / drive bytes)", rb, (int)rounds, "x");
	}
	status = 0;
free_store:
	if (fd >= 0)
		close(fd);
	uringblk_vec_store_free(dev, &store);
close:
	uringblk_close(dev);
remove:
	ret = uringblk_remove(DRIVE_NAME, msg, sizeof(msg));
	if (ret) {
		fprintf(stderr, "vec: removing drive: %s %s\n", uringblk_strerror(ret), msg);
		status = 1;
	}
	return status;
}
