// SPDX-License-Identifier: GPL-2.0
/*
 * Native speed of the program VM, in million eBPF instructions per second
 * on loop-heavy clang-built programs, and GB/s for the bulk helpers.
 *
 * The interpreter is linked three times (see Makefile): computed-goto
 * dispatch, switch dispatch, and a counting build that reports the exact
 * number of instructions executed (the budget charge is only an upper
 * bound), which is what the rates are computed from.
 *
 * Then the cost of a budget unit: every helper on adversarial inputs
 * (../unit/advprogs.h: near-miss patterns over zeroes, 1-byte patterns,
 * tiny reads, emits and histograms, 1-byte windows), in ns per unit
 * charged against a plain instruction loop, and the longest stretch
 * between two reschedule points.
 *
 * usage: bench <progs dir> [MiB of data] [runs]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../unit/advprogs.h"
#include "../unit/asm.h"
#include "../unit/memenv.h"
#include "liburingblk.h"	/* uringblk_prog_read_file() */

#define DECL_RUN(name)							\
	int name(struct uringblk_prog_state *st,			\
		 const struct bpf_insn *insns,				\
		 const struct uringblk_prog_env *env,			\
		 struct uringblk_prog_result *res)
DECL_RUN(uringblk_prog_run_goto);
DECL_RUN(uringblk_prog_run_switch);
DECL_RUN(uringblk_prog_run_count);

typedef DECL_RUN((*run_fn));

static struct uringblk_prog_state state;
static u8 out[4096] __attribute__((aligned(8)));
static u8 *data;
static u64 data_len;

static double now(void)
{
	struct timespec ts;

	/* CPU time of this thread: other load on the machine does not count */
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

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

/* Best-of-@runs seconds for one run of @prog through @fn. */
static double time_run(run_fn fn, const struct bpf_insn *insns,
		       const u64 *args, int runs, struct uringblk_prog_result *r)
{
	struct uringblk_prog_env env;
	struct memenv m;
	double best = 1e9, t;

	for (int i = 0; i < runs; i++) {
		memenv_init(&m, &env, data, data_len, out, sizeof(out), ~0ULL >> 2);
		m.chunk = 4096;	/* page-sized windows, as the driver's */
		if (args)
			memcpy(env.ctx.args, args, sizeof(env.ctx.args));
		t = now();
		fn(&state, insns, &env, r);
		t = now() - t;
		if (r->err) {
			fprintf(stderr, "run failed: %d at insn %u\n", r->err,
				r->abort_pc);
			exit(1);
		}
		if (t < best)
			best = t;
	}
	return best;
}

#define I(c, d, s, o, i)	{ .code = (c), .dst_reg = (d), .src_reg = (s), \
				  .off = (o), .imm = (i) }
/* call helper h(0, data_len & ~3, r3, args[3]), r3 = ctx + r3_off */
#define HELPER_PROG(h, r3_insn)						\
	{								\
		I(BPF_LDX | BPF_MEM | BPF_DW, 2, 1, 16, 0),		\
		I(BPF_LDX | BPF_MEM | BPF_DW, 4, 1, 64, 0),		\
		I(BPF_ALU64 | BPF_MOV | BPF_X, 3, 1, 0, 0),		\
		r3_insn,						\
		I(BPF_ALU64 | BPF_MOV | BPF_K, 1, 0, 0, 0),		\
		I(BPF_ALU64 | BPF_AND | BPF_K, 2, 0, 0, -4),		\
		I(BPF_JMP | BPF_CALL, 0, 0, 0, h),			\
		I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),			\
	}
#define R3_ADD(n)	I(BPF_ALU64 | BPF_ADD | BPF_K, 3, 0, 0, n)
#define R3_OUT		I(BPF_LDX | BPF_MEM | BPF_DW, 3, 1, 32, 0)
static const struct {
	const char *name;
	struct bpf_insn insns[8];
} helper_progs[] = {
	{ "count_pattern", HELPER_PROG(URINGBLK_HELPER_COUNT_PATTERN, R3_ADD(40)) },
	{ "find (no match)", HELPER_PROG(URINGBLK_HELPER_FIND, R3_ADD(48)) },
	{ "sum_u32", HELPER_PROG(URINGBLK_HELPER_SUM_U32, R3_ADD(0)) },
	{ "histogram", HELPER_PROG(URINGBLK_HELPER_HISTOGRAM, R3_OUT) },
};

/* ---- what a budget unit costs ---- */

#define UBUDGET	(~0ULL >> 2)
static double last_resched, max_gap;
static u64 last_units, max_units;

/*
 * memenv's resched, measuring the stretches between reschedule points in
 * CPU time (noisy on a shared machine) and in units charged (exact: the
 * refill that calls it has just moved the units used into the total)
 */
static int timed_resched(void *priv)
{
	double t = now();
	u64 units = UBUDGET - state.reserve;

	if (t - last_resched > max_gap)
		max_gap = t - last_resched;
	if (units - last_units > max_units)
		max_units = units - last_units;
	last_resched = t;
	last_units = units;
	return 0;
}

static const struct uringblk_prog_env_ops timed_ops = {
	.map = memenv_map,
	.unmap = memenv_unmap,
	.resched = timed_resched,
};

struct ucase {
	const char *name;
	const char *src;	/* advprogs.h */
	int helper;
	const char *r3;
	u64 k, m, last;		/* args[0..2] */
	u64 window;		/* embedder's window size */
	int alt;		/* data 00 01 00 01 ... instead of zeroes;
				 * 2: random 00 and 01 bytes */
};

#define PAT	"mov r3, r10\nadd r3, -256"
#define OUTP	"ldxdw r3, [r6+32]"
#define ALL	(~0ULL >> 8)	/* one call over the whole range */
static const struct ucase ucases[] = {
	{ "count_pattern 256 B near miss", range_loop, 3, PAT, ALL, 256, 1, 4096, 0 },
	{ "count_pattern 16 B near miss", range_loop, 3, PAT, ALL, 16, 1, 4096, 0 },
	{ "count_pattern 2 B all match", range_loop, 3, PAT, ALL, 2, 0, 4096, 0 },
	{ "count_pattern 1 B all match", range_loop, 3, PAT, ALL, 1, 0, 4096, 0 },
	{ "count_pattern 1 B none", range_loop, 3, PAT, ALL, 1, 1, 4096, 0 },
	{ "count_pattern 256 B, 300 B calls", range_loop, 3, PAT, 300, 256, 1, 4096, 0 },
	{ "count_pattern 16 B on 00 01", range_loop, 3, PAT, ALL, 16, 1, 4096, 1 },
	{ "count_pattern 2 B on 00 01", range_loop, 3, PAT, ALL, 2, 1, 4096, 1 },
	/* the candidate filter's worst: unpredictable candidates and checks */
	{ "count_pattern 5 B on random 00/01", range_loop, 3, PAT, ALL, 5, 1, 4096, 2 },
	{ "count_pattern 16 B on random 00/01", range_loop, 3, PAT, ALL, 16, 1, 4096, 2 },
	{ "find 16 B on random 00/01", range_loop, 6, PAT, ALL, 16, 1, 4096, 2 },
	{ "find 256 B near miss", range_loop, 6, PAT, ALL, 256, 1, 4096, 0 },
	{ "find 1 B grep loop", find_loop, 0, "", 1, 1, 0, 4096, 0 },
	{ "read 1 B", read_loop, 0, "", 1, 0, 0, 4096, 0 },
	{ "read 7 B", read_loop, 0, "", 7, 0, 0, 4096, 0 },
	{ "read 4 KiB", read_loop, 0, "", 4096, 0, 0, 4096, 0 },
	{ "emit 1 B", emit_loop, 0, "", 1, 0, 0, 0, 0 },
	{ "emit 4 KiB", emit_loop, 0, "", 4096, 0, 0, 0, 0 },
	{ "histogram 1 B calls", range_loop, 5, OUTP, 1, 1, 0, 4096, 0 },
	{ "histogram 1023 B calls", range_loop, 5, OUTP, 1023, 1, 0, 4096, 0 },
	{ "histogram 1 KiB calls", range_loop, 5, OUTP, 1024, 1, 0, 4096, 0 },
	{ "histogram", range_loop, 5, OUTP, ALL, 1, 0, 4096, 0 },
	{ "sum_u32 4 B calls", range_loop, 4, OUTP, 4, 1, 0, 4096, 0 },
	{ "sum_u32", range_loop, 4, OUTP, ALL, 1, 0, 4096, 0 },
	{ "sum_u32, 64 KiB windows", range_loop, 4, OUTP, ALL, 1, 0, 65536, 0 },
	{ "count_pattern 256 B, 64 KiB windows", range_loop, 3, PAT, ALL, 256, 1, 65536, 0 },
	{ "sum_u32, 1 B windows", range_loop, 4, OUTP, ALL, 1, 0, 1, 0 },
	{ "histogram, 1 B windows", range_loop, 5, OUTP, ALL, 1, 0, 1, 0 },
	{ "count_pattern 256 B, 1 B windows", range_loop, 3, PAT, ALL, 256, 1, 1, 0 },
	{ "find 1 B grep, 1 B windows", find_loop, 0, "", 1, 1, 0, 1, 0 },
	{ "read 4 KiB, 1 B windows", read_loop, 0, "", 4096, 0, 0, 1, 0 },
};

/*
 * Best of @runs: seconds per unit charged, and the longest gap between
 * reschedule points (or between start/end and the nearest one).
 */
static double unit_time(const struct bpf_insn *insns, const u8 *d,
			u64 dlen, u64 window, const u64 *args, int runs,
			double *gap, u64 *units, u64 *gap_units)
{
	static u8 big_out[65536] __attribute__((aligned(8)));
	struct uringblk_prog_result r;
	struct uringblk_prog_env env;
	struct memenv m;
	double best = 1e9, t, end;

	*gap = 1e9;
	for (int i = 0; i < runs; i++) {
		memenv_init(&m, &env, d, dlen, big_out, sizeof(big_out), UBUDGET);
		env.ops = &timed_ops;
		m.chunk = window;
		memcpy(env.ctx.args, args, sizeof(env.ctx.args));
		max_gap = 0;
		max_units = last_units = 0;
		last_resched = t = now();
		uringblk_prog_run_goto(&state, insns, &env, &r);
		end = now();
		t = end - t;
		if (end - last_resched > max_gap)
			max_gap = end - last_resched;
		if (r.insns - last_units > max_units)
			max_units = r.insns - last_units;
		*gap_units = max_units;
		if (r.err) {
			fprintf(stderr, "run failed: %d at insn %u\n", r.err,
				r.abort_pc);
			exit(1);
		}
		if (t / r.insns < best)
			best = t / r.insns;
		if (max_gap < *gap)
			*gap = max_gap;
		*units = r.insns;
	}
	return best;
}

static void print_row(const char *name, u64 units, double ns, double plain,
		      u64 gu, double gap, double *worst, const char **worst_name,
		      double *worst_gap)
{
	printf("%-36s %10llu %7.2f %5.2fx %7llu %6.0f %6.0f\n", name,
	       (unsigned long long)units, ns * 1e9, ns / plain,
	       (unsigned long long)gu, gu * ns * 1e6, gap * 1e6);
	static char wn[64];

	if (ns / plain > *worst) {
		*worst = ns / plain;
		snprintf(wn, sizeof(wn), "%s", name);
		*worst_name = wn;
	}
	if (gu * ns > *worst_gap)
		*worst_gap = gu * ns;
}

static void unit_costs(int runs)
{
	struct bpf_insn insns[64];
	char text[2048], err[256];
	u64 args[4] = { 20000000 }, units, gu;
	double plain, ns, gap, worst = 0, worst_gap = 0;
	const char *worst_name = "";
	u8 *zero, *alt, *rnd01;
	u64 seed = 31;
	int len;
	/* never-written blocks read as zeroes: the worst data for patterns */
	u64 zlen = 1ULL << 20;

	zero = calloc(1, zlen);
	alt = calloc(1, zlen);
	for (u64 i = 1; i < zlen; i += 2)
		alt[i] = 1;
	rnd01 = calloc(1, zlen);
	for (u64 i = 0; i < zlen; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		rnd01[i] = seed >> 63;
	}
	len = asm_text(plain_loop, insns, 64, err, sizeof(err));
	if (len < 0 || uringblk_prog_verify(insns, len, err, sizeof(err))) {
		fprintf(stderr, "plain loop: %s\n", err);
		exit(1);
	}
	plain = unit_time(insns, zero, zlen, 4096, args, runs, &gap, &units,
			  &gu);
	printf("\nbudget unit cost (ratio: ns/unit over the plain loop's), the text\n"
	       "above or 1 MiB of zeroes, best of %d runs; between two reschedule\n"
	       "points (gap): most units charged, that times ns/unit in us, and the\n"
	       "longest CPU time measured (max us, noisy on a shared machine)\n\n",
	       runs);
	printf("%-36s %10s %7s %6s %7s %6s %6s\n", "program", "units", "ns/unit",
	       "ratio", "gap", "us", "max us");
	printf("%-36s %10llu %7.2f %5.2fx %7llu %6.0f %6.0f\n",
	       "plain instruction loop", (unsigned long long)units, plain * 1e9,
	       1.0, (unsigned long long)gu, gu * plain * 1e6, gap * 1e6);
	/* the bulk helpers on text, as in the table above */
	for (size_t i = 0; i < sizeof(helper_progs) / sizeof(helper_progs[0]); i++) {
		u64 a[4] = { 0 };
		char name[64];

		memcpy(&a[0], "Alpha", 5);
		memcpy(&a[1], "qqqqq", 5);
		a[3] = 5;
		snprintf(name, sizeof(name), "%s, text", helper_progs[i].name);
		ns = unit_time(helper_progs[i].insns, data, data_len, 4096,
			       a, runs, &gap, &units, &gu);
		print_row(name, units, ns, plain, gu, gap, &worst, &worst_name,
			  &worst_gap);
	}
	for (size_t i = 0; i < sizeof(ucases) / sizeof(ucases[0]); i++) {
		const struct ucase *c = &ucases[i];
		u64 a[4] = { c->k == ALL ? zlen : c->k, c->m, c->last };

		snprintf(text, sizeof(text), c->src, c->r3, c->helper);
		len = asm_text(text, insns, 64, err, sizeof(err));
		if (len < 0 || uringblk_prog_verify(insns, len, err, sizeof(err))) {
			fprintf(stderr, "%s: %s\n", c->name, err);
			exit(1);
		}
		ns = unit_time(insns, c->alt == 2 ? rnd01 : c->alt ? alt : zero,
			       zlen, c->window,
			       a, runs, &gap, &units, &gu);
		print_row(c->name, units, ns, plain, gu, gap, &worst,
			  &worst_name, &worst_gap);
	}
	printf("\n%s: worst helper %.2fx a plain instruction per unit (%s), "
	       "goal 4x; at most %.0f us of work between reschedule points\n",
	       worst <= 4 ? "ok" : "ABOVE GOAL", worst, worst_name,
	       worst_gap * 1e6);
	free(zero);
	free(alt);
	free(rnd01);
}

static int load(const char *dir, const char *name, struct bpf_insn **insns,
		u32 *len)
{
	char path[4096], err[512], msg[256];

	snprintf(path, sizeof(path), "%s/%s.bpf.o", dir, name);
	if (uringblk_prog_read_file(path, NULL, insns, len, NULL, err,
				    sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	if (uringblk_prog_verify(*insns, *len, msg, sizeof(msg))) {
		fprintf(stderr, "%s: %s\n", path, msg);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const char *bytecode[] = { "count_bytecode", "sum_bytecode",
					  "hist_bytecode" };
	const char *dir = argc > 1 ? argv[1] : "out/tests/bench-native/progs";
	u64 mib = argc > 2 ? strtoull(argv[2], NULL, 0) : 4;
	int runs = argc > 3 ? atoi(argv[3]) : 5;
	struct uringblk_prog_result r;
	struct bpf_insn *insns;
	u32 len;
	u64 args[4] = { 0 };
	int fails = 0;

	make_data(mib << 20);
	printf("program VM, %llu MiB of text, 4 KiB windows, best of %d runs\n\n",
	       (unsigned long long)mib, runs);
	printf("%-16s %8s %12s %10s %10s %10s\n", "program", "insns",
	       "executed", "goto M/s", "switch M/s", "charged");
	for (size_t i = 0; i < sizeof(bytecode) / sizeof(bytecode[0]); i++) {
		double tg, ts;
		u64 executed, charged;

		if (load(dir, bytecode[i], &insns, &len))
			return 1;
		time_run(uringblk_prog_run_count, insns, NULL, 1, &r);
		executed = state.executed;
		charged = r.insns;
		tg = time_run(uringblk_prog_run_goto, insns, NULL, runs, &r);
		ts = time_run(uringblk_prog_run_switch, insns, NULL, runs, &r);
		printf("%-16s %8u %12llu %10.0f %10.0f %9.2fx\n", bytecode[i], len,
		       (unsigned long long)executed, executed / tg / 1e6,
		       executed / ts / 1e6, (double)charged / executed);
		if (executed / tg / 1e6 < 330)
			fails++;
		free(insns);
	}

	printf("\n%-16s %10s %12s\n", "bulk helper", "GB/s", "units/MiB");
	memcpy(&args[0], "Alpha", 5);
	memcpy(&args[1], "qqqqq", 5);	/* not in the data */
	args[3] = 5;
	for (size_t i = 0; i < sizeof(helper_progs) / sizeof(helper_progs[0]); i++) {
		char msg[128];
		double t;

		if (uringblk_prog_verify(helper_progs[i].insns, 8, msg, sizeof(msg))) {
			fprintf(stderr, "%s: %s\n", helper_progs[i].name, msg);
			return 1;
		}
		t = time_run(uringblk_prog_run_goto, helper_progs[i].insns, args,
			     runs, &r);

		printf("%-16s %10.2f %12.0f\n", helper_progs[i].name,
		       r.bytes_scanned / t / 1e9,
		       (double)r.insns / (r.bytes_scanned / 1048576.0));
	}
	printf("\n%s: goto dispatch %s 330 M insns/s on every program\n",
	       fails ? "BELOW GOAL" : "ok", fails ? "below" : "at or above");
	unit_costs(runs);
	return 0;
}
