// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * tools/bench/kbpf - the drive's two program engines and native C, on the
 * same data in one boot (issue 16):
 *   (a) plain bytecode loops: CRC-32 (bpf/checksum, a nibble-table loop
 *       over every byte) and sum_records (a loop over 64-byte records) in
 *       the interpreter (bpf/), as kernel-BPF programs (bpf/kbpf/: the
 *       kernel's verifier and JIT) and as the drive's device-defined
 *       native C programs (driver/sandbox/prog_native.c);
 *   (b) the demo's "Alpha" count (count_pattern, one helper/kfunc call)
 *       with each engine, against a memcpy() and a plain C count in this
 *       process, measured in every round beside them;
 *   (c) bounds: the longest a verified program runs without a reschedule
 *       point (a loop-free program at the verifier's 1M-instruction limit,
 *       run by the drive), what a bpf_loop() of 2^23 turns costs, one and
 *       two deep, outside the drive (BPF_PROG_TEST_RUN), and what the
 *       drive's tick costs a turn.
 * Every result is checked against the other engines' (and (b) against
 * the text's count).  Rates are medians of the rounds; only ratios mean
 * anything under TCG.
 *
 * Usage: kbpf [-m text MiB] [-c crc MiB] [-r rounds] BPFDIR BOUNDS.o
 * (BPFDIR: out/bpf, with kbpf/ inside; BOUNDS.o: kbpf_bounds.bpf.o)
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "benchlib.h"

#define BLOCK		4096
#define MAX_ROUNDS	16

enum { E_INTERP, E_KERNEL, E_NATIVE, NR_ENGINES };
static const char *const engine_names[] = { "interpreter", "kernel-BPF", "native C" };

struct job {
	const char *title;
	const char *prog;	/* bpf/<prog>.bpf.o, bpf/kbpf/<prog>.bpf.o, device-defined <prog> */
	__u64 args[3];
	__u64 bytes;
	__u32 id[NR_ENGINES];
	double secs[NR_ENGINES][MAX_ROUNDS];
	__u64 r0[NR_ENGINES];
	/* run once per round after the engines, in the same round */
	int (*extra)(struct job *j, int round);
};

static struct uringblk_dev *dev;
static int rounds = 3;

static int load(struct job *j, const char *dir)
{
	struct uringblk_prog_info info;
	char path[512], log[4096];
	int ret;

	/* first, while it is the only program of that name (the others are) */
	ret = uringblk_prog_find(dev, j->prog, &info);
	if (ret || !(info.flags & URINGBLK_PROG_INFO_F_DEVICE)) {
		fprintf(stderr, "kbpf: no device-defined %s: %s\n", j->prog,
			strerror(ret ? -ret : ENOENT));
		return ret ? ret : -ENOENT;
	}
	j->id[E_NATIVE] = info.id;
	snprintf(path, sizeof(path), "%s/%s.bpf.o", dir, j->prog);
	ret = uringblk_prog_load_file(dev, path, NULL, log, sizeof(log));
	if (ret < 0) {
		fprintf(stderr, "kbpf: %s: %s\n%s\n", path, strerror(-ret), log);
		return ret;
	}
	j->id[E_INTERP] = ret;
	snprintf(path, sizeof(path), "%s/kbpf/%s.bpf.o", dir, j->prog);
	ret = uringblk_prog_load_kbpf_file(dev, path, NULL, NULL, 0, log, sizeof(log));
	if (ret < 0) {
		fprintf(stderr, "kbpf: %s: %s\n%s\n", path, strerror(-ret), log);
		return ret;
	}
	j->id[E_KERNEL] = ret;
	return 0;
}

/* One EXEC of @id over the first @bytes; seconds, r0 in *@r0; < 0 on error. */
static double run(__u32 id, const __u64 args[3], __u64 bytes, __u64 *r0, __u64 *insns)
{
	struct uringblk_exec_args a = {
		.prog_id = id, .lba_count = bytes / BLOCK, .budget = 1ULL << 36,
	};
	struct uringblk_exec_result res;
	static __u8 out[4096];
	double t;
	int ret;

	memcpy(a.args, args, sizeof(a.args));
	t = bench_now_us();
	ret = uringblk_exec(dev, &a, &res, out, sizeof(out));
	t = (bench_now_us() - t) / 1e6;
	if ((ret < 0 && ret != -EOVERFLOW) || res.error) {
		fprintf(stderr, "kbpf: EXEC of %u: %s (run error %d)\n", id,
			strerror(ret < 0 ? -ret : EIO), res.error);
		return -1;
	}
	*r0 = res.r0;
	if (insns)
		*insns = res.insns;
	return t;
}

static int measure(struct job *j)
{
	for (int r = 0; r < rounds; r++) {
		/* the engines' order rotates with the round */
		for (int k = 0; k < NR_ENGINES; k++) {
			int e = (k + r) % NR_ENGINES;
			__u64 r0;
			double t = run(j->id[e], j->args, j->bytes, &r0, NULL);

			if (t < 0)
				return -1;
			j->secs[e][r] = t;
			if (r && r0 != j->r0[e])
				return -1;
			j->r0[e] = r0;
		}
		if (j->extra && j->extra(j, r))
			return -1;
	}
	for (int e = 1; e < NR_ENGINES; e++)
		if (j->r0[e] != j->r0[E_INTERP]) {
			fprintf(stderr, "kbpf: FAILED: %s: %s says %llu, the interpreter %llu\n",
				j->title, engine_names[e], (unsigned long long)j->r0[e],
				(unsigned long long)j->r0[E_INTERP]);
			return -1;
		}
	return 0;
}

static void report(struct job *j, double *ratio)
{
	double med[NR_ENGINES];

	for (int e = 0; e < NR_ENGINES; e++)
		med[e] = bench_median(j->secs[e], rounds);
	printf("%-34s %7.1f MiB, r0 %llu\n", j->title, j->bytes / 1048576.0,
	       (unsigned long long)j->r0[0]);
	for (int e = 0; e < NR_ENGINES; e++)
		printf("  %-12s %10.1f MB/s %10.3f s   x%.1f the interpreter, x%.2f native\n",
		       engine_names[e], j->bytes / med[e] / 1e6, med[e],
		       med[E_INTERP] / med[e], med[E_NATIVE] / med[e]);
	*ratio = med[E_INTERP] / med[E_KERNEL];
}

/*
 * The guest's own references for (b), measured in every round right after
 * the engines (so a busy host slows them alike): a memcpy() of as many
 * bytes in this process, and the count in plain C over the text read back
 * from the drive (memchr() for the 'A', then memcmp()).
 */
static char *text, *copy;
static double memcpy_secs[MAX_ROUNDS], c_secs[MAX_ROUNDS];
static __u64 c_count;

static int scan_refs_setup(__u64 bytes)
{
	int fd = open("/dev/uringblk0", O_RDONLY);
	__u64 off = 0;
	ssize_t n;

	text = malloc(bytes);
	copy = malloc(bytes);
	if (fd < 0 || !text || !copy) {
		perror("kbpf: the text for memcpy() and C");
		return -1;
	}
	while (off < bytes) {
		n = pread(fd, text + off, bytes - off, off);
		if (n <= 0) {
			perror("kbpf: reading the text back");
			close(fd);
			return -1;
		}
		off += n;
	}
	close(fd);
	memset(copy, 0, bytes);		/* both faulted in */
	return 0;
}

static int scan_refs(struct job *j, int round)
{
	const char *p = text, *end = text + j->bytes;
	__u64 c = 0;
	double t;

	t = bench_now_us();
	memcpy(copy, text, j->bytes);
	memcpy_secs[round] = (bench_now_us() - t) / 1e6;
	t = bench_now_us();
	while ((p = memchr(p, 'A', end - p))) {
		c += end - p >= 5 && !memcmp(p, "Alpha", 5);
		p++;
	}
	c_secs[round] = (bench_now_us() - t) / 1e6;
	if (round && c != c_count)
		return -1;
	c_count = c;
	return copy[j->bytes / 2] == text[j->bytes / 2] ? 0 : -1;
}

/*
 * The scan goals for (b): the default engine's count at >= 50% of the
 * guest's memcpy() bandwidth and within 1.3x of native C's time (the
 * drive's device-defined program); every engine's share of both, and the
 * C count in this process beside them.
 */
static void memcpy_goals(struct job *j)
{
	double mc, cc, rate[NR_ENGINES];

	mc = j->bytes / bench_median(memcpy_secs, rounds) / 1e6;
	cc = j->bytes / bench_median(c_secs, rounds) / 1e6;
	for (int e = 0; e < NR_ENGINES; e++)
		rate[e] = j->bytes / bench_median(j->secs[e], rounds) / 1e6;
	printf("  memcpy()     %10.1f MB/s (userspace, the same %.0f MiB, every round)\n",
	       mc, j->bytes / 1048576.0);
	printf("  C in userspace %8.1f MB/s (memchr() + memcmp() over the text read back; r0 %llu)\n",
	       cc, (unsigned long long)c_count);
	for (int e = 0; e < NR_ENGINES; e++)
		printf("  %-12s %3.0f%% of memcpy, time x%.2f native C, x%.2f C in userspace\n",
		       engine_names[e], 100 * rate[e] / mc, rate[E_NATIVE] / rate[e],
		       cc / rate[e]);
	printf("  goal: the interpreter >= 50%% of memcpy: %s (%.0f%%); "
	       "within 1.3x of native C: %s (x%.2f)\n\n",
	       rate[E_INTERP] >= mc / 2 ? "met" : "MISSED", 100 * rate[E_INTERP] / mc,
	       rate[E_NATIVE] <= 1.3 * rate[E_INTERP] ? "met" : "MISSED",
	       rate[E_NATIVE] / rate[E_INTERP]);
}

/* A loop-free syscall program of @n instructions: r0 += 1, ..., exit. */
static int straight_prog(unsigned int n)
{
	struct bpf_insn *insns = calloc(n, sizeof(*insns));
	LIBBPF_OPTS(bpf_prog_load_opts, o, .prog_flags = BPF_F_SLEEPABLE);
	int fd;

	if (!insns)
		return -ENOMEM;
	insns[0] = (struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0 };
	for (unsigned int i = 1; i < n - 1; i++)
		insns[i] = (struct bpf_insn){ .code = BPF_ALU64 | BPF_ADD | BPF_K,
					      .dst_reg = 0, .imm = 1 };
	insns[n - 1] = (struct bpf_insn){ .code = BPF_JMP | BPF_EXIT };
	fd = bpf_prog_load(BPF_PROG_TYPE_SYSCALL, "straight", "GPL", insns, n, &o);
	free(insns);
	return fd < 0 ? -errno : fd;
}

/* BPF_PROG_TEST_RUN of @fd with @args; seconds, < 0 on error. */
static double test_run(int fd, __u64 a0, __u64 a1, __u32 *ret)
{
	struct uringblk_prog_ctx ctx = { .args = { a0, a1 } };
	LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = &ctx, .ctx_size_in = sizeof(ctx));
	double t = bench_now_us();

	if (bpf_prog_test_run_opts(fd, &o))
		return -1;
	*ret = o.retval;
	return (bench_now_us() - t) / 1e6;
}

static int bounds(const char *obj_path)
{
	const unsigned int n = 1000000 - 1;
	struct uringblk_prog_kbpf k = { .type = URINGBLK_PROG_TYPE_KBPF };
	struct bpf_object *obj;
	double t, t1, t2, tt;
	__u64 r0, insns, args[3] = { 0 };
	__u32 ret;
	char log[4096];
	int fd, id;

	printf("\n(c) bounds\n");
	t = bench_now_us();
	fd = straight_prog(n);
	if (fd < 0) {
		fprintf(stderr, "kbpf: a %u-instruction program: %s\n", n, strerror(-fd));
		return -1;
	}
	t = (bench_now_us() - t) / 1e6;
	id = uringblk_prog_load_kbpf(dev, fd, "straight", 0, log, sizeof(log));
	if (id < 0) {
		fprintf(stderr, "kbpf: the drive refused the straight program: %s\n", log);
		return -1;
	}
	(void)k;
	close(fd);
	t1 = run(id, args, BLOCK, &r0, NULL);
	if (t1 < 0 || r0 != n - 2)
		return -1;
	printf("  loop-free, %u insns (verified and JITed in %.1f s): one EXEC %.4f s;\n"
	       "  the longest a verified program can go without a kfunc call or tick\n"
	       "  (the module is loaded with kbpf_max_verified=1000000 for it)\n", n, t, t1);

	obj = bpf_object__open_file(obj_path, NULL);
	if (libbpf_get_error(obj) || bpf_object__load(obj)) {
		fprintf(stderr, "kbpf: %s does not load\n", obj_path);
		return -1;
	}
	fd = bpf_program__fd(bpf_object__find_program_by_name(obj, "loop"));
	t1 = test_run(fd, 1 << 23, 0, &ret);
	if (t1 < 0 || ret != 1 << 23)
		return -1;
	fd = bpf_program__fd(bpf_object__find_program_by_name(obj, "nested"));
	t2 = test_run(fd, 4, 1 << 23, &ret);
	if (t2 < 0 || ret != 4U << 23)
		return -1;
	printf("  bpf_loop(2^23) of an empty callback: %.3f s (BPF_PROG_TEST_RUN, no tick)\n", t1);
	printf("  bpf_loop(4) of bpf_loop(2^23): %.3f s: nesting multiplies, so the verifier\n"
	       "  accepts 2^46 turns two deep (%.1f days at this rate), 2^69 three deep\n"
	       "  (%.0f years): the drive refuses callbacks without the tick\n",
	       t2, t2 / 4 * (1 << 23) / 86400, t2 / 4 * (double)(1ULL << 46) / 3.15e7);
	fd = bpf_program__fd(bpf_object__find_program_by_name(obj, "ticked"));
	if (fd < 0)
		return -1;
	id = uringblk_prog_load_kbpf(dev, fd, "ticked", 0, log, sizeof(log));
	if (id < 0) {
		fprintf(stderr, "kbpf: the drive refused the ticked loop: %s\n", log);
		return -1;
	}
	args[0] = 1 << 23;
	tt = run(id, args, BLOCK, &r0, &insns);
	if (tt < 0 || r0 != 1 << 23)
		return -1;
	printf("  bpf_loop(2^23) with the tick, in the drive: %.3f s (%.0f ns a turn more;\n"
	       "  %llu budget units): stop and reschedule checks every turn\n",
	       tt, (tt - t1) / (1 << 23) * 1e9, (unsigned long long)insns);
	bpf_object__close(obj);
	return 0;
}

/* Kernel-BPF programs pin the module: leave none behind. */
static void unload_all(void)
{
	struct uringblk_prog_info info[URINGBLK_MAX_PROGS + URINGBLK_MAX_ACTIVE_PROGS];
	int n = uringblk_prog_list(dev, info, sizeof(info) / sizeof(info[0]));

	for (int i = 0; i < n; i++)
		if (!(info[i].flags & URINGBLK_PROG_INFO_F_DEVICE))
			uringblk_prog_unload(dev, info[i].id);
}

int main(int argc, char **argv)
{
	__u64 mib = 64, crc_mib = 4, alphas;
	struct uringblk_identify id;
	double ratio, best = 0;
	int c;

	while ((c = getopt(argc, argv, "m:c:r:")) != -1) {
		switch (c) {
		case 'm': mib = strtoull(optarg, NULL, 0); break;
		case 'c': crc_mib = strtoull(optarg, NULL, 0); break;
		case 'r': rounds = atoi(optarg); break;
		default: goto usage;
		}
	}
	if (argc - optind != 2 || rounds < 1 || rounds > MAX_ROUNDS || !mib ||
	    mib % 4 || !crc_mib || crc_mib > mib)
		goto usage;
	if (uringblk_open("/dev/uringblk0", &dev) ||
	    uringblk_identify(dev, &id)) {
		fprintf(stderr, "kbpf: cannot open /dev/uringblk0\n");
		return 1;
	}
	if (!(id.engines & URINGBLK_ENGINE_KBPF)) {
		fprintf(stderr, "kbpf: the drive has no kernel-BPF engine (see the kernel log)\n");
		return 1;
	}
	/* kernel-BPF programs pin the module: none left behind, even on error */
	atexit(unload_all);
	if (bench_fill_alpha("/dev/uringblk0", mib << 20, &alphas))
		return 1;
	printf("text: %llu MiB, %llu \"Alpha\"; %d rounds, medians\n\n",
	       (unsigned long long)mib, (unsigned long long)alphas, rounds);

	struct job jobs[] = {
		{ .title = "(a) CRC-32, a bytecode loop", .prog = "checksum",
		  .args = { 1 }, .bytes = crc_mib << 20 },
		{ .title = "(a) sum_records 64 B, u32 at 8", .prog = "sum_records",
		  .args = { 64, 8, 4 }, .bytes = crc_mib << 20 },
		{ .title = "(b) count \"Alpha\" (the demo's)", .prog = "count_pattern",
		  .args = { 0x6168706c41ULL, 0, 5 }, .bytes = mib << 20,
		  .extra = scan_refs },
	};
	if (scan_refs_setup(mib << 20))
		return 1;
	for (size_t i = 0; i < sizeof(jobs) / sizeof(jobs[0]); i++) {
		if (load(&jobs[i], argv[optind]) || measure(&jobs[i]))
			return 1;
		report(&jobs[i], &ratio);
		if (i < 2 && ratio > best)
			best = ratio;
		if (i < 2)
			printf("  goal: kernel-BPF >= 5x the interpreter: %s (x%.1f)\n\n",
			       ratio >= 5 ? "met" : "MISSED", ratio);
	}
	memcpy_goals(&jobs[2]);
	if (jobs[2].r0[0] != alphas || c_count != alphas) {
		fprintf(stderr, "kbpf: FAILED: counted %llu \"Alpha\" (C in userspace %llu), the text has %llu\n",
			(unsigned long long)jobs[2].r0[0], (unsigned long long)c_count,
			(unsigned long long)alphas);
		return 1;
	}
	if (bounds(argv[optind + 1]))
		return 1;
	return 0;
usage:
	fprintf(stderr, "usage: kbpf [-m MiB (64, a multiple of 4)] [-c crc MiB (4)] "
		"[-r rounds (3)] BPFDIR BOUNDS.bpf.o\n");
	return 2;
}
