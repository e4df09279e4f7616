// SPDX-License-Identifier: GPL-2.0
/*
 * The drive's device-defined programs (driver/sandbox/prog_native.c) against
 * their eBPF twins (bpf/<name>.bpf.c, clang-built, run in the drive's VM):
 * scan throughput over the same in-memory data, delivered in 4 KiB
 * windows as the driver maps its pages.  The median of @runs rounds
 * (twin and native alternate), in CPU time of this thread, so other load
 * on the machine counts little.  The goal: a device-defined
 * program scans at least 2x faster than its twin.
 *
 * Then what a native budget unit costs on inputs chosen to make it
 * expensive, against a plain bytecode loop's (the VM's "about one
 * instruction"), as bench.c does for the helpers.
 *
 * usage: native <twins dir> [MiB of data] [runs]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../unit/advprogs.h"
#include "../unit/asm.h"
#include "../unit/memenv.h"
#include "../../driver/sandbox/prog_native.h"
#include "liburingblk.h"	/* uringblk_prog_read_file() */

#define BUDGET	(~0ULL >> 2)

static struct uringblk_prog_state state;
static u8 *out;
static u32 out_len = 16 << 20;	/* room for every grep offset */
static u8 *data;
static u64 data_len;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Text as bench.c makes it: one word in ten is "Alpha". */
static void make_data(u64 len)
{
	static const char *words[] = { "Alpha", "beta", "gamma", "delta",
		"epsilon", "zeta", "eta", "theta", "iota", "kappa" };
	u64 seed = 7, n = 0;

	data = malloc(len);
	data_len = len;
	while (n < len) {
		const char *w;
		size_t l;

		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		w = words[(seed >> 33) % 10];
		l = strlen(w);
		if (n + l + 1 > len)
			l = len - n - 1;
		memcpy(data + n, w, l);
		n += l;
		data[n++] = (seed >> 50) % 8 ? ' ' : '\n';
	}
}

struct side {
	const struct bpf_insn *insns;		/* twin, or NULL */
	const struct uringblk_native_prog *nat;	/* or native */
	bool grep;				/* needs a large output */
};

/* One run: seconds, result in *r. */
static double run_once(const struct side *sd, const u8 *d, u64 len,
		       const u64 *args, u64 window,
		       struct uringblk_prog_result *r)
{
	struct uringblk_prog_env env;
	struct memenv m;
	double t;
	int ret;

	/* only grep needs a large output: both sides zero it first */
	memenv_init(&m, &env, d, len, out, sd->grep ? out_len : 4096, BUDGET);
	m.chunk = window;
	memcpy(env.ctx.args, args, sizeof(env.ctx.args));
	t = now();
	if (sd->insns)
		ret = uringblk_prog_run(&state, sd->insns, &env, r);
	else
		ret = sd->nat->run(&state, &env, r);
	t = now() - t;
	if (ret) {
		fprintf(stderr, "run failed: %d\n", ret);
		exit(1);
	}
	return t;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double best(const double *v, int n)
{
	double b = v[0];

	for (int i = 1; i < n; i++)
		b = v[i] < b ? v[i] : b;
	return b;
}

static int load(const char *dir, const char *name, struct bpf_insn **insns)
{
	char path[4096], err[512];
	u32 len;

	snprintf(path, sizeof(path), "%s/%s.bpf.o", dir, name);
	if (uringblk_prog_read_file(path, NULL, insns, &len, NULL, err,
				    sizeof(err)) ||
	    uringblk_prog_verify(*insns, len, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", path, err);
		return -1;
	}
	return 0;
}

struct bcase {
	const char *what;
	const char *prog;
	u64 args[4];
	const char *pat;	/* packed into args[0..2] */
};

static const struct bcase bcases[] = {
	{ "count_pattern Alpha", "count_pattern", { 0 }, "Alpha" },
	{ "count_pattern \\n", "count_pattern", { 0 }, "\n" },
	{ "grep Alpha", "grep", { 0 }, "Alpha" },
	{ "grep kappa\\n", "grep", { 0 }, "kappa\n" },
	{ "checksum sum32", "checksum", { 0 }, NULL },
	{ "checksum crc32", "checksum", { 1 }, NULL },
	{ "checksum crc32c", "checksum", { 2 }, NULL },
	{ "histogram", "histogram", { 0 }, NULL },
	{ "sum_records 16/8/8", "sum_records", { 16, 8, 8 }, NULL },
	{ "sum_records 4/0/4", "sum_records", { 4, 0, 4 }, NULL },
	{ "sum_records 512/12/4", "sum_records", { 512, 12, 4 }, NULL },
};

static void throughput(const char *dir, int runs, int *below)
{
	double tt[64], tn[64], worst = 1e9;
	const char *worst_name = "";

	printf("%-22s %9s %9s %7s %12s %12s\n", "program", "eBPF GB/s",
	       "native", "ratio", "eBPF units", "native units");
	for (size_t i = 0; i < sizeof(bcases) / sizeof(bcases[0]); i++) {
		const struct bcase *c = &bcases[i];
		struct uringblk_prog_result rt, rn;
		struct bpf_insn *insns;
		struct side twin = { 0 }, nat = { 0 };
		u64 args[4], len = data_len;
		double mt, mn;

		memcpy(args, c->args, sizeof(args));
		if (c->pat) {
			memset(args, 0, sizeof(args));
			memcpy(args, c->pat, strlen(c->pat));
			args[2] = strlen(c->pat);
		}
		if (load(dir, c->prog, &insns))
			exit(1);
		twin.insns = insns;
		twin.grep = !strcmp(c->prog, "grep");
		nat.nat = uringblk_native_find(c->prog);
		nat.grep = twin.grep;
		for (int r = 0; r < runs; r++) {
			tt[r] = run_once(&twin, data, len, args, 4096, &rt);
			tn[r] = run_once(&nat, data, len, args, 4096, &rn);
		}
		if (rt.ret != rn.ret || rt.out_used != rn.out_used) {
			fprintf(stderr, "%s: results differ: %#llx/%#llx\n",
				c->what, (unsigned long long)rt.ret,
				(unsigned long long)rn.ret);
			exit(1);
		}
		mt = median(tt, runs);
		mn = median(tn, runs);
		printf("%-22s %9.2f %9.2f %6.1fx %12llu %12llu\n", c->what,
		       len / mt / 1e9, len / mn / 1e9, mt / mn,
		       (unsigned long long)rt.insns,
		       (unsigned long long)rn.insns);
		if (mt / mn < worst) {
			worst = mt / mn;
			worst_name = c->what;
		}
		free(insns);
	}
	printf("\nslowest gain %.1fx (%s); goal: at least 2x\n", worst,
	       worst_name);
	*below = worst < 2;
}

/* ---- what a native unit costs ---- */

struct ucase {
	const char *what;
	const char *prog;
	u64 args[4];
	const char *pat;
	u64 pat_len;
	int data;		/* 0: zeroes, 1: 00 00 01 00 repeated, 2: text */
	u64 window;
};

static const struct ucase ucases[] = {
	{ "count 00 00 01 00 on zeroes", "count_pattern", { 0 }, "\0\0\1\0", 4, 0, 4096 },
	{ "count 16 B near miss, zeroes", "count_pattern", { 0 },
	  "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1\0", 16, 0, 4096 },
	{ "count 00 00 (every byte)", "count_pattern", { 0 }, "\0\0", 2, 0, 4096 },
	{ "count 00 00 01 00 on 00 00 01 00", "count_pattern", { 0 }, "\0\0\1\0", 4, 1, 4096 },
	{ "grep 00 (every byte)", "grep", { 0 }, "\0", 1, 0, 4096 },
	{ "grep 00 00 (every byte)", "grep", { 0 }, "\0\0", 2, 0, 4096 },
	{ "count Alpha, 1 B windows", "count_pattern", { 0 }, "Alpha", 5, 2, 1 },
	{ "checksum crc32", "checksum", { 1 }, NULL, 0, 2, 4096 },
	{ "checksum sum32, 1 B windows", "checksum", { 0 }, NULL, 0, 2, 1 },
	{ "histogram zeroes", "histogram", { 0 }, NULL, 0, 0, 4096 },
	{ "sum_records 1/0/1", "sum_records", { 1, 0, 1 }, NULL, 0, 2, 4096 },
	{ "sum_records 257/249/8", "sum_records", { 257, 249, 8 }, NULL, 0, 2, 4096 },
	{ "sum_records 8/4/4, 7 B windows", "sum_records", { 8, 4, 4 }, NULL, 0, 2, 7 },
};

static void unit_costs(int runs)
{
	const u64 len = 1 << 20;
	u8 *zero = calloc(1, len), *pat4 = malloc(len);
	struct uringblk_prog_result r;
	struct bpf_insn insns[64];
	struct side plain = { insns, NULL, false }, nat = { 0 };
	double t[64], ns_plain, ns, worst = 0;
	const char *worst_name = "";
	char err[256];
	u64 args[4] = { 20000000 };
	int n;

	for (u64 i = 0; i < len; i++)
		pat4[i] = i % 4 == 2;
	n = asm_text(plain_loop, insns, 64, err, sizeof(err));
	if (n < 0 || uringblk_prog_verify(insns, n, err, sizeof(err))) {
		fprintf(stderr, "plain loop: %s\n", err);
		exit(1);
	}
	for (int i = 0; i < runs; i++)
		t[i] = run_once(&plain, zero, len, args, 4096, &r) / r.insns;
	ns_plain = best(t, runs);
	printf("\nnative budget unit cost (ns/unit, and over a plain bytecode loop's "
	       "%.2f ns), 1 MiB,\nbest of %d (as bench.c: the machine's load "
	       "only adds)\n\n", ns_plain * 1e9, runs);
	printf("%-34s %10s %8s %6s\n", "native program, data", "units",
	       "ns/unit", "ratio");
	for (size_t i = 0; i < sizeof(ucases) / sizeof(ucases[0]); i++) {
		const struct ucase *c = &ucases[i];
		const u8 *d = c->data == 0 ? zero : c->data == 1 ? pat4 : data;

		memcpy(args, c->args, sizeof(args));
		if (c->pat) {
			memset(args, 0, sizeof(args));
			memcpy(args, c->pat, c->pat_len);
			args[2] = c->pat_len;
		}
		nat.nat = uringblk_native_find(c->prog);
		nat.grep = !strcmp(c->prog, "grep");
		for (int k = 0; k < runs; k++)
			t[k] = run_once(&nat, d, len, args, c->window, &r) /
			       r.insns;
		ns = best(t, runs);
		printf("%-34s %10llu %8.2f %5.2fx\n", c->what,
		       (unsigned long long)r.insns, ns * 1e9, ns / ns_plain);
		if (ns / ns_plain > worst) {
			worst = ns / ns_plain;
			worst_name = c->what;
		}
	}
	printf("\nworst native unit %.2fx a plain instruction's (%s); the "
	       "helpers' goal is 4x\n", worst, worst_name);
	free(zero);
	free(pat4);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "out/tests/bench-native/twins";
	u64 mib = argc > 2 ? strtoull(argv[2], NULL, 0) : 64;
	int runs = argc > 3 ? atoi(argv[3]) : 5;
	int below;

	if (runs < 1 || runs > 64)
		runs = 5;
	out = malloc(out_len);
	make_data(mib << 20);
	printf("device-defined programs vs their eBPF twins, %llu MiB of text in "
	       "memory, 4 KiB windows,\nmedian of %d rounds (CPU time)\n\n",
	       (unsigned long long)mib, runs);
	throughput(dir, runs, &below);
	unit_costs(runs);
	return 0;
}
