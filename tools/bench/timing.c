// SPDX-License-Identifier: GPL-2.0
/*
 * tools/bench/timing's measurements that fio cannot make (run in the VM by
 * tools/bench/timing; see tools/bench/README.md, "`tools/bench/timing`:
 * the timing model"):
 *
 *   timing copy DEV MIB ROUNDS
 *	MEM_COPY of MIB MiB (in max_mem_xfer pieces, one at a time) into
 *	SLM, ROUNDS times: MB/s of each round, one line per round
 *   timing compute DEV N
 *	N EXECs at QD1 of a compute loop on a drive with compute units:
 *	each EXEC's latency against its modelled run time (the drive's
 *	timing_cu_model_ns for it, i.e. measured run x compute_factor_pct):
 *	the median ratio, min and max
 *   timing split DEV MIB ROUNDS N...
 *	count_pattern over MIB MiB of text: one EXEC against
 *	uringblk_exec_split() into each N pieces (0: the default), rounds
 *	interleaved; each time, and each speedup's median, min and max; every
 *	count checked against the one EXEC's.  With the model off, each round
 *	also times what the guest's vCPUs themselves give two things at once:
 *	a CPU loop as long as half the one EXEC, run twice in one thread
 *	against once in each of two threads (the ceiling of a 2-piece split
 *	in this boot)
 *
 * Exit status 0, 1 on a failure (a wrong count, a refused command).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/bpf.h>

#include "benchlib.h"
#include "../../bpf/count_pattern.h"

#define MAXN	8
#define MAXR	64

static int die(const char *what, int err)
{
	fprintf(stderr, "timing: %s: %s\n", what, strerror(err < 0 ? -err : err));
	exit(1);
}

static uint64_t counter(struct uringblk_dev *dev, const char *name)
{
	char path[512], buf[64];
	FILE *f;
	uint64_t v = 0;

	snprintf(path, sizeof(path), "%s/uringblk/%s", uringblk_sysfs_dir(dev), name);
	f = fopen(path, "r");
	if (!f)
		die(path, errno);
	if (fgets(buf, sizeof(buf), f))
		v = strtoull(buf, NULL, 10);
	fclose(f);
	return v;
}

/* median, min, max of v[0..n) (sorts a copy) */
static void stats3(const double *v, int n, double *med, double *lo, double *hi)
{
	double s[MAXR * 8];

	memcpy(s, v, n * sizeof(*v));
	*med = bench_median(s, n);
	*lo = s[0];
	*hi = s[n - 1];
}

static int cmd_copy(struct uringblk_dev *dev, int mib, int rounds)
{
	struct uringblk_identify id;
	struct uringblk_copy_range r;
	uint64_t piece, bytes = (uint64_t)mib << 20;
	double mbs[MAXR], med, lo, hi;

	if (uringblk_identify(dev, &id))
		die("identify", EIO);
	piece = id.max_mem_xfer;
	if (bytes > id.slm_size)
		bytes = id.slm_size;
	for (int k = 0; k < rounds && k < MAXR; k++) {
		double t = bench_now_us();

		for (uint64_t off = 0; off < bytes; off += piece) {
			uint64_t n = bytes - off < piece ? bytes - off : piece;
			int ret;

			r = (struct uringblk_copy_range) {
				.slba = off / id.logical_block_size,
				.nlb = n / id.logical_block_size,
			};
			ret = uringblk_mem_copy(dev, off, &r, 1);
			if (ret != (int)n)
				die("MEM_COPY", ret < 0 ? ret : -EIO);
		}
		t = bench_now_us() - t;
		mbs[k] = bytes / t;	/* bytes per us = MB/s */
		printf("copy round %d: %.1f MB/s\n", k + 1, mbs[k]);
	}
	stats3(mbs, rounds, &med, &lo, &hi);
	printf("copy: %.1f MB/s median (min %.1f, max %.1f), %d x %llu MiB\n", med, lo,
	       hi, rounds, (unsigned long long)(bytes >> 20));
	return 0;
}

/* r0 = 0; do r0 += 1; while (r0 < args[0]) */
static const struct bpf_insn count_loop[] = {
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
	{ .code = BPF_LDX | BPF_MEM | BPF_DW, .dst_reg = 6, .src_reg = 1,
	  .off = offsetof(struct uringblk_prog_ctx, args) },
	{ .code = BPF_ALU64 | BPF_ADD | BPF_K, .dst_reg = 0, .imm = 1 },
	{ .code = BPF_JMP | BPF_JLT | BPF_X, .dst_reg = 0, .src_reg = 6, .off = -2 },
	{ .code = BPF_JMP | BPF_EXIT },
};

static int cmd_compute(struct uringblk_dev *dev, int n)
{
	struct uringblk_exec_args a = { .lba_start = 0, .lba_count = 1 };
	struct uringblk_exec_result res;
	double ratio[MAXR * 8], med, lo, hi, t, model_ms = 0;
	uint64_t loops = 1 << 16;
	int id, ret;

	if (n > MAXR * 8)
		n = MAXR * 8;
	id = uringblk_prog_load(dev, count_loop, 5, "loop", NULL, 0);
	if (id < 0)
		die("PROG_LOAD", id);
	a.prog_id = id;
	/* about 20 ms of run on the host: the model's factor makes more */
	for (;;) {
		uint64_t r0 = counter(dev, "timing_cu_run_ns");

		a.args[0] = loops;
		ret = uringblk_exec(dev, &a, &res, NULL, 0);
		if (ret)
			die("EXEC", ret);
		if (counter(dev, "timing_cu_run_ns") - r0 > 20000000 || loops >= 1ULL << 30)
			break;
		loops *= 2;
	}
	for (int k = 0; k < n; k++) {
		uint64_t m0 = counter(dev, "timing_cu_model_ns"), m;

		t = bench_now_us();
		ret = uringblk_exec(dev, &a, &res, NULL, 0);
		t = bench_now_us() - t;
		if (ret)
			die("EXEC", ret);
		m = counter(dev, "timing_cu_model_ns") - m0;
		ratio[k] = t * 1000 / m;
		model_ms += m / 1e6 / n;
	}
	stats3(ratio, n, &med, &lo, &hi);
	printf("compute: EXEC latency / modelled run time (measured run x factor): "
	       "%.3f median (min %.3f, max %.3f), %d EXECs of %.1f ms modelled\n",
	       med, lo, hi, n, model_ms);
	return 0;
}

/* ---- the vCPUs' own parallelism ---- */

/* @p iterations of an LCG: work the compiler cannot drop or vectorise */
static volatile uint64_t spin_sink;

static void *spin(void *p)
{
	uint64_t n = *(uint64_t *)p, x = 1;

	for (uint64_t i = 0; i < n; i++)
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
	spin_sink = x;
	return NULL;
}

/* Iterations of spin() that take @secs here. */
static uint64_t spin_calibrate(double secs)
{
	uint64_t n = 1 << 20;
	double t0 = bench_now_us(), dt;

	spin(&n);
	dt = (bench_now_us() - t0) / 1e6;
	return (uint64_t)(n * secs / (dt > 0 ? dt : 1e-6));
}

/* The time of spin(n) twice in this thread over once in each of two threads. */
static double spin_pair(uint64_t n)
{
	pthread_t th;
	double t0, seq, par;
	int err;

	t0 = bench_now_us();
	spin(&n);
	spin(&n);
	seq = bench_now_us() - t0;
	t0 = bench_now_us();
	err = pthread_create(&th, NULL, spin, &n);
	if (err)
		die("pthread_create", err);
	spin(&n);
	pthread_join(th, NULL);
	par = bench_now_us() - t0;
	return seq / par;
}

static int cmd_split(struct uringblk_dev *dev, int bfd, const char *prog_path,
		     int mib, int rounds, int nn, const unsigned int *ns)
{
	static const char *const words[] = { "the ", "Alpha ", "drive ", "of ",
					     "storage ", "Alph", "compute ", "a" };
	struct uringblk_exec_args a = { .lba_start = 0 };
	struct uringblk_exec_result res;
	double one[MAXR], t[MAXN][MAXR], sp[MAXR], cpu[MAXR], med, lo, hi;
	uint64_t bytes = (uint64_t)mib << 20, want = 0, seed = 1, spins = 0;
	struct uringblk_identify ident;
	char log[512];
	uint8_t *d;
	int id, ret;

	d = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (d == MAP_FAILED)
		die("mmap", errno);
	for (uint64_t i = 0; i < bytes;) {
		const char *w;

		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		for (w = words[seed >> 61]; *w && i < bytes; w++)
			d[i++] = *w;
	}
	for (uint64_t off = 0; off < bytes; off += 1 << 20)
		if (pwrite(bfd, d + off, 1 << 20, off) != 1 << 20)
			die("write", errno);
	munmap(d, bytes);
	id = uringblk_prog_load_file(dev, prog_path, NULL, log, sizeof(log));
	if (id < 0) {
		fprintf(stderr, "%s\n", log);
		die("load count_pattern", id);
	}
	a.prog_id = id;
	a.lba_count = bytes / 512;
	ret = uringblk_identify(dev, &ident);
	if (ret)
		die("IDENTIFY", ret);
	count_pattern_args(a.args, "Alpha", 5);
	for (int k = 0; k < rounds && k < MAXR; k++) {
		double t0 = bench_now_us();

		ret = uringblk_exec(dev, &a, &res, NULL, 0);
		one[k] = (bench_now_us() - t0) / 1e6;
		if (ret)
			die("EXEC", ret);
		if (k && res.r0 != want) {
			fprintf(stderr, "timing: one EXEC counted %llu, before %llu\n",
				(unsigned long long)res.r0, (unsigned long long)want);
			return 1;
		}
		want = res.r0;
		if (!(ident.features & URINGBLK_F_TIMING)) {
			if (!k)
				spins = spin_calibrate(one[0] / 2);
			cpu[k] = spin_pair(spins);
		}
		for (int j = 0; j < nn; j++) {
			t0 = bench_now_us();
			ret = uringblk_exec_split(dev, &a, ns[j], &res, NULL, 0);
			t[j][k] = (bench_now_us() - t0) / 1e6;
			if (ret)
				die("split EXEC", ret);
			if (res.r0 != want) {
				fprintf(stderr, "timing: split into %u counted %llu, one EXEC %llu\n",
					ns[j], (unsigned long long)res.r0,
					(unsigned long long)want);
				return 1;
			}
		}
	}
	stats3(one, rounds, &med, &lo, &hi);
	printf("split: one EXEC over %d MiB: %.3f s median (min %.3f, max %.3f); "
	       "count %llu\n", mib, med, lo, hi, (unsigned long long)want);
	if (spins) {
		stats3(cpu, rounds, &med, &lo, &hi);
		printf("split: the vCPUs alone, a CPU loop of half that in 2 threads: "
		       "%.2fx median (min %.2f, max %.2f)\n", med, lo, hi);
	}
	for (int j = 0; j < nn; j++) {
		double tm, tl, th;

		for (int k = 0; k < rounds; k++)
			sp[k] = one[k] / t[j][k];
		stats3(t[j], rounds, &tm, &tl, &th);
		stats3(sp, rounds, &med, &lo, &hi);
		printf("split: %u pieces%s: %.3f s median; speedup %.2fx median "
		       "(min %.2f, max %.2f)\n", ns[j], ns[j] ? "" : " (default)", tm,
		       med, lo, hi);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct uringblk_dev *dev;
	int ret;

	if (argc < 4) {
		fprintf(stderr, "usage: timing copy DEV MIB ROUNDS | compute DEV N | "
			"split DEV OBJ MIB ROUNDS N...\n");
		return 2;
	}
	ret = uringblk_open(argv[2], &dev);
	if (ret)
		die(argv[2], ret);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(argv[1], "copy") && argc == 5)
		return cmd_copy(dev, atoi(argv[3]), atoi(argv[4]));
	if (!strcmp(argv[1], "compute"))
		return cmd_compute(dev, atoi(argv[3]));
	if (!strcmp(argv[1], "split") && argc >= 7) {
		unsigned int ns[MAXN];
		int nn = 0, bfd = open(uringblk_blk_path(dev), O_RDWR | O_DIRECT);

		if (bfd < 0)
			die(uringblk_blk_path(dev), errno);
		for (int i = 6; i < argc && nn < MAXN; i++)
			ns[nn++] = atoi(argv[i]);
		return cmd_split(dev, bfd, argv[3], atoi(argv[4]), atoi(argv[5]), nn, ns);
	}
	fprintf(stderr, "timing: bad arguments\n");
	return 2;
}
