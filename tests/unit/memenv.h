/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A userspace embedder for the program VM: the granted range is a memory
 * buffer, delivered in windows that end at multiples of @chunk (so tests
 * can put window boundaries anywhere, down to one byte).  Shared by the
 * unit tests, the fuzzer, the benchmark and tests/bpf (vm.c): the one
 * userspace embedder of the VM.
 *
 * The fuzzer turns on the rest: windows of a varying size sequence, each
 * one a fresh malloc'd copy of exactly its bytes (so ASan reports a helper
 * that reads one byte past a window, or keeps using one after unmap or
 * the next map), and errors injected at a chosen map or resched call.
 *
 * Yields (prog_vm.h, "Yield"): resched may ask for one at every call, and
 * map may refuse every window once (-EWOULDBLOCK); memenv_run() resumes
 * the run until it ends, as the driver's worker does.
 */
#ifndef MEMENV_H
#define MEMENV_H

#include <stdlib.h>
#include "../../driver/sandbox/prog_vm.h"

struct memenv {
	const u8 *data;
	u64 len;
	u64 chunk;		/* window granularity, 0 = whole buffer */
	u64 fail_at;		/* bytes from this offset on fail with fail_err */
	int stop_after;		/* resched returns stop_err on call n (0 = never) */
	int resched_calls;
	int maps, unmaps;	/* must balance after a run */
	/* fuzzer knobs; memenv_init() leaves them off */
	/*
	 * a window at offset off has at most win_sizes[off % n] bytes (0
	 * counts as 1; n = 0: no limit): by place, not by call, so that a
	 * call made again after a yield gets the same windows
	 */
	const u16 *win_sizes;
	u32 n_win_sizes;
	int fail_call;		/* map call n (1-based) fails with fail_err */
	int fail_err;		/* errno of fail_at / fail_call (-EIO) */
	int stop_err;		/* errno of stop_after (-EINTR) */
	bool copy;		/* windows are exact-size heap copies */
	void *win;		/* copy mode: the window handed out */
	int map_calls;		/* including failed ones */
	u64 bytes_mapped;	/* sum of the windows' lengths */
	int bad_calls;		/* map outside the range, unmap of no window */
	/* yield injection; memenv_init() leaves it off */
	bool yield_resched;	/* resched returns URINGBLK_PROG_YIELD */
	u8 *refused;		/* bit per data offset: map refused a window
				 * there once; NULL = refuse none */
	int yields;		/* times memenv_run() resumed the run */
	int max_yields;		/* more: the VM livelocks; memenv_run() stops
				 * the run and sets stuck (0 = no limit) */
	bool stuck;
};

static long memenv_map(void *priv, u64 off, u64 len, const void **win)
{
	struct memenv *m = priv;
	u64 n = len;

	m->map_calls++;
	if (off >= m->len || len > m->len - off || !len) {
		m->bad_calls++;
		return -EFAULT;	/* the VM asked outside the range: a VM bug */
	}
	if (m->chunk && n > m->chunk - off % m->chunk)
		n = m->chunk - off % m->chunk;
	if (m->n_win_sizes) {
		u64 w = m->win_sizes[off % m->n_win_sizes];

		if (n > (w ? w : 1))
			n = w ? w : 1;
	}
	if (m->fail_call && m->map_calls == m->fail_call)
		return m->fail_err;
	/* data "not in memory" the first time: the run yields and retries */
	if (m->refused && !(m->refused[off / 8] & (1 << off % 8))) {
		m->refused[off / 8] |= 1 << off % 8;
		return -EWOULDBLOCK;
	}
	/* a bad spot: deliver the bytes before it, then fail */
	if (off >= m->fail_at)
		return m->fail_err;
	if (n > m->fail_at - off)
		n = m->fail_at - off;
	if (m->copy) {
		/* the previous window is dead once map is called again */
		free(m->win);
		m->win = malloc(n);
		if (!m->win)
			abort();
		memcpy(m->win, m->data + off, n);
		*win = m->win;
	} else {
		*win = m->data + off;
	}
	m->maps++;
	m->bytes_mapped += n;
	return (long)n;
}

static void memenv_unmap(void *priv, const void *win)
{
	struct memenv *m = priv;

	if (m->copy) {
		if (!m->win || win != m->win)
			m->bad_calls++;
		free(m->win);
		m->win = NULL;
	}
	m->unmaps++;
}

static int memenv_resched(void *priv)
{
	struct memenv *m = priv;

	m->resched_calls++;
	if (m->stop_after && m->resched_calls >= m->stop_after)
		return m->stop_err;
	return m->yield_resched ? URINGBLK_PROG_YIELD : 0;
}

static const struct uringblk_prog_env_ops memenv_ops = {
	.map = memenv_map,
	.unmap = memenv_unmap,
	.resched = memenv_resched,
};

static inline void memenv_init(struct memenv *m, struct uringblk_prog_env *env,
			       const void *data, u64 len, void *out,
			       u32 out_len, u64 budget)
{
	memset(m, 0, sizeof(*m));
	m->data = data;
	m->len = len;
	m->fail_at = ~0ULL;
	m->fail_err = -EIO;
	m->stop_err = -EINTR;
	memset(env, 0, sizeof(*env));
	env->ops = &memenv_ops;
	env->priv = m;
	env->ctx.data_len = len;
	env->ctx.block_size = 512;
	env->ctx.lba_count = len / 512;
	env->out = out;
	env->out_len = out_len;
	env->budget = budget;
}

/*
 * Run to the end, resuming after every yield with the same env, as the
 * driver does from its worker.  No window may stay mapped across a yield
 * (counted in bad_calls).  Every yield must make progress: a run that
 * yields more than max_yields times is stopped with -EDEADLK.
 */
static inline int memenv_run(struct uringblk_prog_state *st,
			     const struct bpf_insn *insns,
			     const struct uringblk_prog_env *env,
			     struct memenv *m, struct uringblk_prog_result *res)
{
	int err = uringblk_prog_run(st, insns, env, res);

	while (err == URINGBLK_PROG_YIELDED) {
		if (m->maps != m->unmaps)
			m->bad_calls++;
		m->yields++;
		if (m->max_yields && m->yields > m->max_yields) {
			m->stuck = true;
			uringblk_prog_stop(st, -EDEADLK, res);
			return res->err;
		}
		err = uringblk_prog_resume(st, env, res);
	}
	return err;
}

/* Copy mode: drop a window the run left mapped (the caller reports it). */
static inline void memenv_fini(struct memenv *m)
{
	free(m->win);
	m->win = NULL;
}

#endif /* MEMENV_H */
