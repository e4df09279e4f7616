// SPDX-License-Identifier: GPL-2.0
/*
 * A budget unit must bound real work, whatever the arguments: runs every
 * helper on adversarial inputs of growing size (patterns of 1..256 bytes
 * that miss at their last byte over zeroes, 1-byte patterns, tiny reads,
 * emits and histograms, windows of 1 byte to 64 KiB) and checks, without
 * any timing, on the VM's own work counter (st->work, see prog_vm.h):
 *
 *   bound   st->work <= URINGBLK_PROG_MAX_WORK_PER_UNIT * insns +
 *                       URINGBLK_PROG_WORK_SLACK
 *           also when the run stops on its budget, a resched stop or a
 *           read error halfway;
 *   linear  st->work <= maps * map cost + 4 * URINGBLK_PROG_WORK_STEP *
 *                       (bytes scanned + emitted) + CALL_WORK * calls,
 *           i.e. no helper does more than a constant amount of work per
 *           byte it is given (a pattern search: at most 2 comparisons a
 *           byte, plus 2 steps per candidate start; a naive search
 *           comparing the pattern at every position fails this for
 *           patterns over 4 bytes);
 *   charge  insns <= (the same right-hand side) / 64 + 8 per call:
 *           the charge stays proportional too (nothing is billed for
 *           work it did not do).
 *
 * Every run is also made twice with yields and must give the same result
 * (yieldcheck.h).
 *
 * usage: worktest (prints "worktest: N checks passed, N failed")
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "advprogs.h"
#include "asm.h"
#include "yieldcheck.h"

#define DATA_LEN	(3 * 65536 + 100)
#define OUT_LEN		65536
#define MAP_WORK	((u64)URINGBLK_PROG_MAP_COST * URINGBLK_PROG_MAX_WORK_PER_UNIT)
/*
 * per call: the call itself, and a pattern's failure table (2 steps a
 * byte) or the histogram tables
 */
#define CALL_WORK	(URINGBLK_PROG_WORK_CALL + \
			 2ULL * URINGBLK_PROG_PAT_MAX * URINGBLK_PROG_WORK_STEP)

static struct uringblk_prog_state state;
static u8 data[DATA_LEN];
static u8 out[OUT_LEN] __attribute__((aligned(8)));
static int passed, failed;

struct tcase {
	char name[64];
	struct bpf_insn prog[64];
	int len;
	u64 args[4];
	u64 data_len;
	u64 (*calls)(const struct tcase *t, u64 r0);
};

static u64 calls_one(const struct tcase *t, u64 r0) { return 1; }
static u64 calls_loop(const struct tcase *t, u64 r0) { return r0 / t->args[0]; }
static u64 calls_emit(const struct tcase *t, u64 r0) { return OUT_LEN / r0 + 1; }
static u64 calls_find(const struct tcase *t, u64 r0) { return r0 + 1; }

static void report(bool ok, const struct tcase *t, u64 win, const char *what,
		   const struct uringblk_prog_result *r, const struct memenv *m)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	fprintf(stderr, "FAIL %s, window %llu: %s: err=%d insns=%llu work=%llu "
		"scanned=%llu emitted=%llu maps=%d\n", t->name,
		(unsigned long long)win, what, r->err,
		(unsigned long long)r->insns, (unsigned long long)state.work,
		(unsigned long long)r->bytes_scanned,
		(unsigned long long)r->bytes_emitted, m->maps);
}

static bool bound_ok(const struct uringblk_prog_result *r)
{
	return state.work <= URINGBLK_PROG_MAX_WORK_PER_UNIT * r->insns +
			     URINGBLK_PROG_WORK_SLACK;
}

static void run(struct tcase *t, u64 win, u64 budget, u64 fail_at,
		int stop_after, struct uringblk_prog_result *r, struct memenv *m)
{
	struct uringblk_prog_env env;
	const char *why;

	memenv_init(m, &env, data, t->data_len, out, OUT_LEN, budget);
	memcpy(env.ctx.args, t->args, sizeof(t->args));
	m->chunk = win;
	m->fail_at = fail_at;
	m->stop_after = stop_after;
	if (stop_after)
		env.resched_every = 50;
	yield_check_run(&state, t->prog, &env, m, r, &why);
	report(!why, t, win, why ? why : "", r, m);
}

static void check(struct tcase *t)
{
	static const u64 windows[] = { 1, 7, 4096, 65536, 0 };
	struct uringblk_prog_result r;
	struct memenv m;
	char msg[256];

	if (uringblk_prog_verify(t->prog, t->len, msg, sizeof(msg))) {
		fprintf(stderr, "FAIL %s: rejected: %s\n", t->name, msg);
		failed++;
		return;
	}
	for (size_t w = 0; w < sizeof(windows) / sizeof(windows[0]); w++) {
		u64 win = windows[w], calls, lin, full;

		run(t, win, 1ULL << 40, ~0ULL, 0, &r, &m);
		calls = t->calls(t, r.ret);
		lin = (u64)m.maps * MAP_WORK + 4 * URINGBLK_PROG_WORK_STEP *
		      (r.bytes_scanned + r.bytes_emitted) + CALL_WORK * calls;
		report(!r.err && m.maps == m.unmaps, t, win, "run failed", &r, &m);
		report(bound_ok(&r), t, win, "work above the charge", &r, &m);
		report(state.work <= lin, t, win, "work not linear in the bytes",
		       &r, &m);
		report(r.insns <= lin / URINGBLK_PROG_MAX_WORK_PER_UNIT +
				  8 * calls + 64, t, win,
		       "charge out of proportion", &r, &m);

		/* stopped halfway: the work done so far is charged too */
		full = r.insns;
		run(t, win, full / 3, ~0ULL, 0, &r, &m);
		report(r.err == -ETIME && m.maps == m.unmaps && bound_ok(&r),
		       t, win, "budget stop", &r, &m);
		run(t, win, 1ULL << 40, ~0ULL, 3, &r, &m);
		report((r.err == -EINTR || !r.err) &&
		       m.maps == m.unmaps && bound_ok(&r), t, win,
		       "resched stop", &r, &m);
		run(t, win, 1ULL << 40, t->data_len / 2 + 3, 0, &r, &m);
		report((r.err == -EIO || !r.err) &&
		       m.maps == m.unmaps && bound_ok(&r), t, win,
		       "read error", &r, &m);
	}
}

static void add(const char *name, const char *src, int helper, const char *r3,
		u64 k, u64 m, u64 last, u64 (*calls)(const struct tcase *, u64))
{
	struct tcase t = { .data_len = DATA_LEN, .calls = calls };
	char text[2048], err[256];

	snprintf(t.name, sizeof(t.name), "%s k=%llu m=%llu last=%llu", name,
		 (unsigned long long)k, (unsigned long long)m,
		 (unsigned long long)last);
	snprintf(text, sizeof(text), src, r3, helper);
	t.len = asm_text(text, t.prog, 64, err, sizeof(err));
	if (t.len < 0) {
		fprintf(stderr, "FAIL %s: assembler: %s\n", t.name, err);
		failed++;
		return;
	}
	t.args[0] = k;
	t.args[1] = m;
	t.args[2] = last;
	check(&t);
}

int main(void)
{
	static const u64 pats[] = { 1, 2, 3, 7, 8, 16, 64, 255, 256 };
	static const u64 ks[] = { 1, 7, 300, DATA_LEN };

	/*
	 * 00 01 00 01 ...: a pattern start every other byte, each missing at
	 * the next one (the costliest data for the skip to the first byte)
	 */
	for (size_t i = 1; i < sizeof(data); i += 2)
		data[i] = 1;
	for (size_t i = 0; i < sizeof(pats) / sizeof(pats[0]); i++)
		add("count_pattern on 00 01", range_loop,
		    URINGBLK_HELPER_COUNT_PATTERN, PAT_PTR, DATA_LEN, pats[i], 1,
		    calls_loop);
	/* never-written blocks: zeroes */
	memset(data, 0, sizeof(data));
	for (size_t i = 0; i < sizeof(pats) / sizeof(pats[0]); i++) {
		for (u64 last = 0; last < 2; last++) {
			add("count_pattern", range_loop, URINGBLK_HELPER_COUNT_PATTERN,
			    PAT_PTR, DATA_LEN, pats[i], last, calls_loop);
			add("find", range_loop, URINGBLK_HELPER_FIND, PAT_PTR,
			    DATA_LEN, pats[i], last, calls_loop);
		}
		/* many short calls with long near-miss patterns */
		add("count_pattern", range_loop, URINGBLK_HELPER_COUNT_PATTERN,
		    PAT_PTR, 300, pats[i], 1, calls_loop);
	}
	add("find loop", find_loop, 0, "", 1, 1, 0, calls_find);
	for (size_t i = 0; i < sizeof(ks) / sizeof(ks[0]); i++) {
		add("histogram", range_loop, URINGBLK_HELPER_HISTOGRAM, OUT_PTR,
		    ks[i], 1, 0, calls_loop);
		add("read", read_loop, 0, "", ks[i] > 4096 ? 4096 : ks[i], 0, 0,
		    calls_loop);
		add("emit", emit_loop, 0, "", ks[i] > 4096 ? 4096 : ks[i], 0, 0,
		    calls_emit);
	}
	add("histogram", range_loop, URINGBLK_HELPER_HISTOGRAM, OUT_PTR,
	    1024, 1, 0, calls_loop);
	for (u64 k = 4; k <= 4096; k *= 32)
		add("sum_u32", range_loop, URINGBLK_HELPER_SUM_U32, OUT_PTR,
		    k, 1, 0, calls_loop);
	add("sum_u32", range_loop, URINGBLK_HELPER_SUM_U32, OUT_PTR,
	    DATA_LEN & ~3ULL, 1, 0, calls_loop);

	printf("worktest: %d checks passed, %d failed; %d runs compared with "
	       "their yielding twins (%ld yields), %d not\n", passed, failed,
	       yield_stats.compared, yield_stats.yields, yield_stats.skipped);
	return failed || !passed || !yield_stats.yields;
}
