/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every run of the native tests, three ways (prog_vm.h, "Yield"):
 *
 *   once     uringblk_prog_run(), as the test configured it;
 *   resched  ops->resched asks to yield at every call, and is called at
 *            every charge (resched_every = 1): the run yields at every
 *            charge point and inside helpers at every charge, and is
 *            resumed each time;
 *   map      ops->map refuses every window once (-EWOULDBLOCK): every
 *            helper call that maps yields, and is made again on resume.
 *
 * The three must agree on everything a run reports (every field of
 * struct uringblk_prog_result, the whole output buffer) and on the VM's
 * work counter, and the yielding runs must really have yielded whenever
 * they could (resched was called, map was called).
 *
 * A test calls yield_check_run() where it called uringblk_prog_run(),
 * with its memenv configured as before: it gets the one-shot run back
 * (state, result, output, memenv counters); the other two use a state
 * of their own.  Not compared: runs whose injections count calls (a
 * reschedule or map call number; a window size sequence), since a call
 * made again makes more calls; and runs with many windows or pieces per
 * helper call, since each yield makes the call again from its start
 * (quadratic: 300 KB in 1-byte windows would take hours).
 */
#ifndef YIELDCHECK_H
#define YIELDCHECK_H

#include "memenv.h"

/* Most windows or pieces a helper call may have for the yielding runs. */
#define YIELD_MAX_PIECES	256

struct yield_stats {
	int compared;		/* runs compared three ways */
	int skipped;		/* runs not compared (see above) */
	long yields;		/* yields of the resched and map runs */
};
static struct yield_stats yield_stats;

static bool yield_same(const struct uringblk_prog_result *a,
		       const struct uringblk_prog_result *b)
{
	return a->ret == b->ret && a->err == b->err &&
	       a->abort_code == b->abort_code && a->abort_pc == b->abort_pc &&
	       a->rsvd == b->rsvd && a->insns == b->insns &&
	       a->bytes_scanned == b->bytes_scanned &&
	       a->bytes_emitted == b->bytes_emitted &&
	       a->out_used == b->out_used;
}

static const char *yield_describe(const char *mode,
				  const struct uringblk_prog_result *a,
				  const struct uringblk_prog_result *b)
{
	static char msg[512];

	snprintf(msg, sizeof(msg),
		 "%s run differs: ret %#llx/%#llx err %d/%d code %u/%u pc %u/%u "
		 "insns %llu/%llu scanned %llu/%llu emitted %llu/%llu used %llu/%llu",
		 mode, (unsigned long long)a->ret, (unsigned long long)b->ret,
		 a->err, b->err, a->abort_code, b->abort_code, a->abort_pc,
		 b->abort_pc, (unsigned long long)a->insns,
		 (unsigned long long)b->insns,
		 (unsigned long long)a->bytes_scanned,
		 (unsigned long long)b->bytes_scanned,
		 (unsigned long long)a->bytes_emitted,
		 (unsigned long long)b->bytes_emitted,
		 (unsigned long long)a->out_used, (unsigned long long)b->out_used);
	return msg;
}

/*
 * Run @insns as configured in @env and @m (memenv_init() and the test's
 * settings), then the two yielding runs, and compare.  Returns
 * uringblk_prog_run()'s value for the one-shot run; *@why is NULL, or
 * says how a yielding run differed.
 */
static int yield_check_run(struct uringblk_prog_state *st,
			   const struct bpf_insn *insns,
			   const struct uringblk_prog_env *env,
			   struct memenv *m, struct uringblk_prog_result *res,
			   const char **why)
{
	static struct uringblk_prog_state *yst;
	const struct memenv cfg = *m;
	struct memenv once;
	struct uringblk_prog_env yenv;
	struct uringblk_prog_result r;
	u64 piece, work, pieces;
	u8 *out = NULL, *mem0 = NULL, *mem1 = NULL;
	int err;

	*why = NULL;
	/* mem is the device's: each run starts from what the first saw */
	if (env->mem_len) {
		mem0 = malloc(env->mem_len);
		mem1 = malloc(env->mem_len);
		if (!mem0 || !mem1)
			abort();
		memcpy(mem0, env->mem, env->mem_len);
	}
	err = uringblk_prog_run(st, insns, env, res);
	if (env->mem_len)
		memcpy(mem1, env->mem, env->mem_len);
	piece = m->chunk && m->chunk < URINGBLK_PROG_PIECE ? m->chunk :
							      URINGBLK_PROG_PIECE;
	pieces = m->len / piece;
	if (m->stop_after || m->fail_call || m->n_win_sizes ||
	    env->priv != m || pieces > YIELD_MAX_PIECES) {
		yield_stats.skipped++;
		free(mem0);
		free(mem1);
		return err;
	}
	if (!yst)
		yst = malloc(sizeof(*yst));
	if (env->out_len)
		out = malloc(env->out_len);
	if (!yst || (env->out_len && !out))
		abort();
	if (env->out_len)
		memcpy(out, env->out, env->out_len);
	once = *m;
	work = st->work;
	yenv = *env;
	yield_stats.compared++;

	for (int mode = 0; mode < 2 && !*why; mode++) {
		const char *name = mode ? "map" : "resched";

		*m = cfg;
		/*
		 * Each yield is at a refill (at most one per unit charged
		 * without yields) or at a window refused once: any more, and
		 * a call made again yields again where it did before.
		 */
		m->max_yields = 2 * (res->insns + m->len) + 1000;
		if (mode) {
			m->refused = calloc(m->len / 8 + 1, 1);
			if (!m->refused)
				abort();
		} else {
			m->yield_resched = true;
			yenv.resched_every = 1;
		}
		if (env->mem_len)
			memcpy(env->mem, mem0, env->mem_len);
		memenv_run(yst, insns, &yenv, m, &r);
		memenv_fini(m);
		free(m->refused);
		yield_stats.yields += m->yields;
		if (m->stuck)
			*why = mode ? "map run: yields make no progress" :
				      "resched run: yields make no progress";
		else if (!yield_same(res, &r))
			*why = yield_describe(name, res, &r);
		else if (env->out_len && memcmp(out, env->out, env->out_len))
			*why = mode ? "map run: output bytes differ" :
				      "resched run: output bytes differ";
		else if (env->mem_len && memcmp(mem1, env->mem, env->mem_len))
			*why = mode ? "map run: mem bytes differ" :
				      "resched run: mem bytes differ";
		else if (yst->work != work)
			*why = mode ? "map run: work differs" :
				      "resched run: work differs";
		else if (m->bad_calls || m->maps != m->unmaps)
			*why = mode ? "map run: a window outlived a yield or a run" :
				      "resched run: a window outlived a yield or a run";
		else if (!m->yields && (mode ? m->map_calls : m->resched_calls))
			*why = mode ? "map run: map was called but the run never yielded" :
				      "resched run: resched was called but the run never yielded";
	}
	/* the caller sees the one-shot run */
	*m = once;
	if (env->out_len)
		memcpy(env->out, out, env->out_len);
	if (env->mem_len)
		memcpy(env->mem, mem1, env->mem_len);
	free(out);
	free(mem0);
	free(mem1);
	return err;
}

#endif /* YIELDCHECK_H */
