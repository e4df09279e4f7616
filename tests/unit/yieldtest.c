// SPDX-License-Identifier: GPL-2.0
/*
 * Yield and resume (prog_vm.h, "Yield") where yieldcheck.h does not
 * reach: every other test's runs are compared with their yielding twins
 * there; here are the cases that need a run steered by hand.
 *
 *   abort     a budget, range or memory abort after yields is the same
 *             abort (resched yields, map refusals, both);
 *   errno     resched returning -errno after k yields stops the run where
 *             a run without yields stops on the same call: resume moves
 *             the next slice as the refill would have, so the reschedule
 *             points do not move;
 *   stop      uringblk_prog_stop() after k yields reports what -errno
 *             from that call would have (charge point), or the state
 *             before the helper call (yield inside it);
 *   dirty     a histogram that flushed into the program's counters (at
 *             8 KiB in this build: -DURINGBLK_PROG_HIST_FLUSH_BYTES) goes
 *             on through yield requests, and aborts with -EWOULDBLOCK
 *             (URINGBLK_PROG_ABORT_IO) on a refused window;
 *   driver    the driver's way: started with ops that yield after a
 *             slice and whose map never maps, finished with other ops,
 *             priv and resched_every (and an env whose budget and output
 *             fields differ, which resume does not read);
 *   both      resched yields and map refusals in one run;
 *   misuse    resume of a run that did not yield is -EINVAL.
 *
 * usage: yieldtest (prints "yieldtest: N checks passed, N failed")
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "advprogs.h"
#include "asm.h"
#include "memenv.h"

#define DATA_LEN	(64 << 10)
#define OUT_LEN		65536

static struct uringblk_prog_state st_once, st_y;
static u8 data[DATA_LEN];
static u8 out[OUT_LEN] __attribute__((aligned(8)));
static u8 want[OUT_LEN];
static int passed, failed;

/*
 * args[0] reads of 64 bytes into the output, then by args[1]: 0 a store
 * of the bytes read at out + 8 and exit, 1 a read past the range
 * (-ERANGE), 2 a store outside every region (-EFAULT).
 */
static const char reads[] =
	"mov r6, r1\n"
	"ldxdw r7, [r6+40]\n"
	"ldxdw r9, [r6+48]\n"
	"mov r8, 0\n"
	"loop:\n"
	"mov r1, r8\n"
	"ldxdw r2, [r6+32]\n"
	"add r2, r8\n"
	"mov r3, 64\n"
	"call 1\n"
	"add r8, 64\n"
	"mov r0, r8\n"
	"rsh r0, 6\n"
	"jlt r0, r7, loop\n"
	"jeq r9, 1, range\n"
	"jeq r9, 2, mem\n"
	"ldxdw r1, [r6+32]\n"		/* a store after the yields */
	"stxdw [r1+8], r8\n"
	"mov r0, r8\n"
	"exit\n"
	"range:\n"
	"ldxdw r1, [r6+16]\n"
	"ldxdw r2, [r6+32]\n"
	"mov r3, 1\n"
	"call 1\n"
	"exit\n"
	"mem:\n"
	"lddw r1, 0x400000000\n"
	"stxdw [r1+0], r8\n"
	"exit\n";

struct prog {
	const char *name;
	struct bpf_insn insns[64];
	int len;
};

/* Index of the first instruction with opcode @code. */
static u32 first(const struct prog *p, u8 code)
{
	int i = 0;

	while (i < p->len && p->insns[i].code != code)
		i++;
	return i;
}

/* One run's configuration. */
struct cfg {
	const struct prog *p;
	u64 args[4];
	u64 chunk;
	u64 budget;
	u32 resched_every;
	u32 out_len;
};

static void check(bool ok, const char *test, const struct cfg *c,
		  const char *what)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	fprintf(stderr, "FAIL %s: %s (args %llu %llu %llu, window %llu, budget %llu)\n",
		test, what, (unsigned long long)c->args[0],
		(unsigned long long)c->args[1], (unsigned long long)c->args[2],
		(unsigned long long)c->chunk, (unsigned long long)c->budget);
}

static void setup(const struct cfg *c, struct memenv *m,
		  struct uringblk_prog_env *env)
{
	memenv_init(m, env, data, DATA_LEN, out, c->out_len, c->budget);
	memcpy(env->ctx.args, c->args, sizeof(c->args));
	env->resched_every = c->resched_every;
	m->chunk = c->chunk;
	m->max_yields = 1 << 20;	/* else the VM livelocks */
}

/* The reference: no yields.  Its output is kept in want[]. */
static int once(const struct cfg *c, struct memenv *m,
		struct uringblk_prog_result *r)
{
	struct uringblk_prog_env env;
	int err;

	setup(c, m, &env);
	err = uringblk_prog_run(&st_once, c->p->insns, &env, r);
	memcpy(want, out, c->out_len);
	return err;
}

static bool same(const struct uringblk_prog_result *a,
		 const struct uringblk_prog_result *b, u32 out_len)
{
	return a->ret == b->ret && a->err == b->err &&
	       a->abort_code == b->abort_code && a->abort_pc == b->abort_pc &&
	       a->insns == b->insns && a->bytes_scanned == b->bytes_scanned &&
	       a->bytes_emitted == b->bytes_emitted &&
	       a->out_used == b->out_used && !memcmp(want, out, out_len);
}

static bool work_bound(const struct uringblk_prog_result *r)
{
	return st_y.work <= URINGBLK_PROG_MAX_WORK_PER_UNIT * r->insns +
			    URINGBLK_PROG_WORK_SLACK;
}

enum { Y_RESCHED = 1, Y_MAP = 2 };

/* A run with yields of @how, resumed to its end. */
static int yielding(const struct cfg *c, int how, struct memenv *m,
		    struct uringblk_prog_result *r)
{
	struct uringblk_prog_env env;
	int err;

	setup(c, m, &env);
	if (how & Y_RESCHED) {
		m->yield_resched = true;
		env.resched_every = 1;
	}
	if (how & Y_MAP)
		m->refused = calloc(DATA_LEN / 8 + 1, 1);
	err = memenv_run(&st_y, c->p->insns, &env, m, r);
	free(m->refused);
	m->refused = NULL;
	return err;
}

static void test_abort(const struct prog *p)
{
	static const struct { u64 fault; int err; } faults[] = {
		{ 0, -ETIME }, { 1, -ERANGE }, { 2, -EFAULT },
	};
	struct uringblk_prog_result a, b;
	struct memenv m;
	struct cfg c = { .p = p, .args = { 40 }, .chunk = 4096,
			 .budget = 1ULL << 40, .out_len = OUT_LEN };
	u64 full;

	once(&c, &m, &a);
	full = a.insns;
	for (size_t f = 0; f < 3; f++) {
		c.args[1] = faults[f].fault;
		/* the budget abort: in the middle of the reads */
		c.budget = f ? 1ULL << 40 : full / 2;
		for (int how = Y_RESCHED; how <= (Y_RESCHED | Y_MAP); how++) {
			once(&c, &m, &a);
			check(a.err == faults[f].err, "abort", &c,
			      "the reference does not abort as expected");
			yielding(&c, how, &m, &b);
			check(m.yields > 0 && !m.stuck, "abort", &c,
		      "no yield before the abort, or no end");
			check(same(&a, &b, c.out_len), "abort", &c,
			      "the run with yields differs");
			check(m.maps == m.unmaps && !m.bad_calls && work_bound(&b),
			      "abort", &c, "maps, unmaps or work");
		}
	}
}

/*
 * Resched returns -ENODEV at call k + 1, after k yields (with the loop,
 * all at charge points: no call is made again, so the calls line up if
 * resume moves the next slice of 100 units, 33 loop iterations, as the
 * refill would have).
 */
static void test_errno(const struct prog *loop, const struct prog *rd)
{
	struct uringblk_prog_result a, b;
	struct memenv m;
	struct cfg c = { .p = loop, .args = { 5000 }, .budget = 1ULL << 40,
			 .resched_every = 100, .out_len = 64 };
	struct uringblk_prog_env env;

	for (int k = 0; k < 40; k += 13) {
		setup(&c, &m, &env);
		m.stop_after = k + 1;
		m.stop_err = -ENODEV;
		uringblk_prog_run(&st_once, c.p->insns, &env, &a);
		memcpy(want, out, c.out_len);
		setup(&c, &m, &env);
		m.stop_after = k + 1;
		m.stop_err = -ENODEV;
		m.yield_resched = true;
		memenv_run(&st_y, c.p->insns, &env, &m, &b);
		check(a.err == -ENODEV && a.abort_code == URINGBLK_PROG_ABORT_STOPPED,
		      "errno", &c, "the reference does not stop");
		check(m.yields == k, "errno", &c, "not k yields");
		check(same(&a, &b, c.out_len), "errno", &c,
		      "the run with yields stops elsewhere");
	}
	/* and every reschedule call where the run without yields makes it */
	setup(&c, &m, &env);
	uringblk_prog_run(&st_once, c.p->insns, &env, &a);
	memcpy(want, out, c.out_len);
	{
		int calls = m.resched_calls;

		setup(&c, &m, &env);
		m.yield_resched = true;
		memenv_run(&st_y, c.p->insns, &env, &m, &b);
		check(m.resched_calls == calls && m.yields == calls, "errno", &c,
		      "resume moved the reschedule points");
		check(same(&a, &b, c.out_len), "errno", &c, "results differ");
	}
	/* with helpers, calls made again call resched again: the errno only */
	c.p = rd;
	c.args[0] = 200;
	c.chunk = 7;
	c.resched_every = 1;
	c.out_len = OUT_LEN;
	for (int k = 0; k < 200; k += 37) {
		setup(&c, &m, &env);
		m.stop_after = k + 1;
		m.stop_err = -ENODEV;
		m.yield_resched = true;
		memenv_run(&st_y, c.p->insns, &env, &m, &b);
		check(b.err == -ENODEV && b.abort_code == URINGBLK_PROG_ABORT_STOPPED &&
		      m.maps == m.unmaps && !m.bad_calls && work_bound(&b) &&
		      (!k || m.yields), "errno", &c, "helper run not stopped cleanly");
	}
}

/* Start a yielding run and stop it at its (k + 1)th yield. */
static int stop_at(const struct cfg *c, int how, int k, struct memenv *m,
		   struct uringblk_prog_result *r)
{
	struct uringblk_prog_env env;
	int err;

	setup(c, m, &env);
	if (how & Y_RESCHED) {
		m->yield_resched = true;
		env.resched_every = 1;
	}
	if (how & Y_MAP)
		m->refused = calloc(DATA_LEN / 8 + 1, 1);
	err = uringblk_prog_run(&st_y, c->p->insns, &env, r);
	while (err == URINGBLK_PROG_YIELDED && m->yields < k) {
		m->yields++;
		err = uringblk_prog_resume(&st_y, &env, r);
	}
	if (err == URINGBLK_PROG_YIELDED) {
		if (m->maps != m->unmaps)
			m->bad_calls++;
		uringblk_prog_stop(&st_y, -ENODEV, r);
		err = r->err;
	}
	free(m->refused);
	m->refused = NULL;
	return err;
}

static void test_stop(const struct prog *loop, const struct prog *rd,
		      const struct prog *count)
{
	struct uringblk_prog_result a, b;
	struct uringblk_prog_env env;
	struct memenv m;
	struct cfg c = { .p = loop, .args = { 5000 }, .budget = 1ULL << 40,
			 .resched_every = 1, .out_len = 64 };
	u32 call_pc = first(rd, BPF_JMP | BPF_CALL);
	u32 jlt_pc = first(rd, BPF_JMP | BPF_JLT | BPF_X);
	u64 units;

	/* at a charge point: as if resched had returned -ENODEV there */
	for (int k = 0; k < 40; k += 7) {
		setup(&c, &m, &env);
		m.stop_after = k + 1;
		m.stop_err = -ENODEV;
		uringblk_prog_run(&st_once, c.p->insns, &env, &a);
		memcpy(want, out, c.out_len);
		stop_at(&c, Y_RESCHED, k, &m, &b);
		check(same(&a, &b, c.out_len), "stop", &c,
		      "stop differs from -ENODEV at the same point");
	}

	/*
	 * In a helper call: the state before the call.  The second read's
	 * window is refused: one read done (64 bytes, 35 units), the
	 * segment up to the loop's jump charged, abort_pc the call.
	 */
	c = (struct cfg){ .p = rd, .args = { 3 }, .chunk = 4096,
			  .budget = 1ULL << 40, .out_len = 256 };
	memset(want, 0, sizeof(want));
	memcpy(want, data, 64);
	units = (URINGBLK_PROG_WORK_CALL +
		 URINGBLK_PROG_MAP_COST * URINGBLK_PROG_MAX_WORK_PER_UNIT +
		 64 * URINGBLK_PROG_WORK_COPY + 63) / 64;
	stop_at(&c, Y_MAP, 1, &m, &b);
	check(b.err == -ENODEV && b.abort_code == URINGBLK_PROG_ABORT_STOPPED &&
	      b.abort_pc == call_pc && b.bytes_scanned == 64 &&
	      b.out_used == 64 && b.insns == units + jlt_pc + 1 &&
	      !memcmp(out, want, 256) && m.maps == m.unmaps && !m.bad_calls,
	      "stop", &c, "not the state before the second read");
	/* the first call: nothing charged, scanned or written yet */
	memset(want, 0, 256);
	stop_at(&c, Y_MAP, 0, &m, &b);
	check(b.err == -ENODEV && b.abort_pc == call_pc && !b.insns &&
	      !b.bytes_scanned && !b.out_used && !memcmp(out, want, 256),
	      "stop", &c, "not the state before the first read");
	/* a resched yield inside a long pattern count: before the call */
	c = (struct cfg){ .p = count, .args = { DATA_LEN, 16, 1 },
			  .chunk = 4096, .budget = 1ULL << 40, .out_len = 0 };
	stop_at(&c, Y_RESCHED, 0, &m, &b);
	check(b.err == -ENODEV && !b.insns && !b.bytes_scanned &&
	      count->insns[b.abort_pc].code == (BPF_JMP | BPF_CALL),
	      "stop", &c, "not the state before the count");
	/* after a few: a run's worth of work, still bounded and balanced */
	stop_at(&c, Y_RESCHED, 5, &m, &b);
	check(b.err == -ENODEV && m.maps == m.unmaps && !m.bad_calls &&
	      work_bound(&b), "stop", &c, "stopped count unbalanced");
}

/* A histogram that flushed into the program's counters cannot yield. */
static void test_dirty(const struct prog *hist)
{
	struct uringblk_prog_result a, b;
	struct memenv m;
	struct cfg c = { .p = hist, .args = { DATA_LEN, 1 }, .chunk = 4096,
			 .budget = 1ULL << 40, .out_len = 2048 };

	BUILD_BUG_ON(URINGBLK_PROG_HIST_FLUSH_BYTES != 8192);
	once(&c, &m, &a);
	yielding(&c, Y_RESCHED, &m, &b);
	/* yields until the flush at 8 KiB, refused past it, same result */
	check(m.yields > 0 &&
	      m.resched_calls - m.yields >= 2 * (DATA_LEN - 8192) / 4096,
	      "dirty", &c, "yield requests after the flush were not ignored");
	check(same(&a, &b, c.out_len), "dirty", &c, "result differs");
	/* windows 0 and 4096 refused, then 8192 after the flush: abort */
	yielding(&c, Y_MAP, &m, &b);
	check(m.yields == 2 && b.err == -EWOULDBLOCK &&
	      b.abort_code == URINGBLK_PROG_ABORT_IO &&
	      hist->insns[b.abort_pc].code == (BPF_JMP | BPF_CALL) &&
	      m.maps == m.unmaps, "dirty", &c,
	      "a refused window after the flush does not abort");
	/* short ranges (counted at the end, one call per 1000 bytes) yield */
	c.args[0] = 1000;
	once(&c, &m, &a);
	yielding(&c, Y_MAP | Y_RESCHED, &m, &b);
	check(m.yields > 0 && same(&a, &b, c.out_len), "dirty", &c,
	      "short histograms with yields differ");
}

/*
 * The driver's way: a first slice where resched asks to yield and map
 * cannot map, then a worker with its own ops, priv and interval.
 */
static long nomap(void *priv, u64 off, u64 len, const void **win)
{
	(*(int *)priv)++;
	return -EWOULDBLOCK;
}

static int yield_now(void *priv)
{
	return URINGBLK_PROG_YIELD;
}

static const struct uringblk_prog_env_ops inline_ops = {
	.map = nomap,
	.resched = yield_now,
};

static void test_driver(const struct prog *p, const u64 *args, u64 chunk)
{
	static u8 other[OUT_LEN];
	struct uringblk_prog_result a, b;
	struct uringblk_prog_env env, wenv;
	struct memenv m;
	struct cfg c = { .p = p, .chunk = chunk, .budget = 1ULL << 40,
			 .out_len = OUT_LEN };
	int err, tries = 0;

	memcpy(c.args, args, sizeof(c.args));
	once(&c, &m, &a);
	for (u32 slice = 1; slice <= 4096; slice *= 8) {
		int inline_maps = 0;

		setup(&c, &m, &env);
		wenv = env;		/* the worker's: memenv, default interval */
		wenv.resched_every = 0;
		wenv.budget = 1;	/* not read again, nor out/out_len */
		wenv.out = other;
		wenv.out_len = 1;
		env.ops = &inline_ops;
		env.priv = &inline_maps;
		env.resched_every = slice;
		err = uringblk_prog_run(&st_y, c.p->insns, &env, &b);
		if (err == URINGBLK_PROG_YIELDED) {
			tries++;
			err = uringblk_prog_resume(&st_y, &wenv, &b);
		}
		check(err != URINGBLK_PROG_YIELDED && same(&a, &b, c.out_len) &&
		      m.maps == m.unmaps && inline_maps <= 1, "driver", &c,
		      "inline start and worker resume differ from one run");
	}
	check(tries > 0, "driver", &c, "never yielded");
}

static void test_misuse(const struct prog *loop)
{
	struct uringblk_prog_result r;
	struct uringblk_prog_env env;
	struct memenv m;
	struct cfg c = { .p = loop, .args = { 10 }, .budget = 1000,
			 .out_len = 64 };

	setup(&c, &m, &env);
	uringblk_prog_run(&st_y, c.p->insns, &env, &r);
	check(!r.err && uringblk_prog_resume(&st_y, &env, &r) == -EINVAL &&
	      r.err == -EINVAL && uringblk_prog_resume(&st_y, &env, &r) == -EINVAL,
	      "misuse", &c, "resume of an ended run is not -EINVAL");
}

static void assemble(struct prog *p, const char *name, const char *fmt,
		     const char *r3, int helper)
{
	char text[2048], err[256], msg[256];

	p->name = name;
	snprintf(text, sizeof(text), fmt, r3, helper);
	p->len = asm_text(text, p->insns, 64, err, sizeof(err));
	if (p->len < 0 || uringblk_prog_verify(p->insns, p->len, msg, sizeof(msg))) {
		fprintf(stderr, "%s: %s\n", name, p->len < 0 ? err : msg);
		exit(2);
	}
}

int main(void)
{
	static struct prog loop, rd, count, find, hist, sum, rloop, emit, floop;
	static const u64 ks[] = { 1, 300, 4096, DATA_LEN };
	u64 seed = 1;

	/* text-like bytes with a 16-byte motif planted now and then */
	for (size_t i = 0; i < DATA_LEN; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		data[i] = "abc \n"[(seed >> 60) % 5];
	}
	for (size_t i = 100; i + 16 < DATA_LEN; i += 997)
		memset(data + i, 0, 16);
	assemble(&loop, "plain loop", plain_loop, "", 0);
	assemble(&rd, "reads", reads, "", 0);
	assemble(&count, "count_pattern", range_loop, PAT_PTR,
		 URINGBLK_HELPER_COUNT_PATTERN);
	assemble(&find, "find", range_loop, PAT_PTR, URINGBLK_HELPER_FIND);
	assemble(&hist, "histogram", range_loop, OUT_PTR,
		 URINGBLK_HELPER_HISTOGRAM);
	assemble(&sum, "sum_u32", range_loop, OUT_PTR, URINGBLK_HELPER_SUM_U32);
	assemble(&rloop, "read loop", read_loop, "", 0);
	assemble(&emit, "emit loop", emit_loop, "", 0);
	assemble(&floop, "find loop", find_loop, "", 0);

	test_abort(&rd);
	test_errno(&loop, &rd);
	test_stop(&loop, &rd, &count);
	test_dirty(&hist);
	test_misuse(&loop);
	for (size_t i = 0; i < sizeof(ks) / sizeof(ks[0]); i++) {
		u64 k = ks[i], a16[4] = { k, 16, 0 }, a1[4] = { k, 1, 0 };
		u64 a4[4] = { k < 4 ? 4 : k & ~3ULL, 1, 0 };
		u64 ak[4] = { k > 4096 ? 4096 : k };

		test_driver(&count, a16, 4096);
		test_driver(&find, a16, 4096);
		test_driver(&hist, a1, 4096);
		test_driver(&sum, a4, 7);
		test_driver(&rloop, ak, 4096);
		test_driver(&emit, ak, 0);
	}
	test_driver(&floop, (u64[4]){ 0 }, 4096);
	test_driver(&rd, (u64[4]){ 100, 1 }, 1);
	test_driver(&rd, (u64[4]){ 100, 0 }, 7);
	test_driver(&loop, (u64[4]){ 100000 }, 0);

	printf("yieldtest: %d checks passed, %d failed\n", passed, failed);
	return failed || !passed;
}
