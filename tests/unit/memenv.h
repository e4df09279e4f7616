/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A userspace embedder for the program VM: the granted range is a memory
 * buffer, delivered in windows that end at multiples of @chunk (so tests
 * can put window boundaries anywhere, down to one byte).  Shared by the
 * unit tests, the fuzzer and the benchmark.
 */
#ifndef MEMENV_H
#define MEMENV_H

#include "../../driver/prog_vm.h"

struct memenv {
	const u8 *data;
	u64 len;
	u64 chunk;		/* window granularity, 0 = whole buffer */
	u64 fail_at;		/* bytes from this offset on fail with -EIO */
	int stop_after;		/* resched returns -EINTR on call n (0 = never) */
	int resched_calls;
	int maps, unmaps;	/* must balance after a run */
};

static long memenv_map(void *priv, u64 off, u64 len, const void **win)
{
	struct memenv *m = priv;
	u64 n = len;

	if (off >= m->len || len > m->len - off)
		return -EFAULT;	/* the VM asked outside the range: a VM bug */
	if (m->chunk && n > m->chunk - off % m->chunk)
		n = m->chunk - off % m->chunk;
	/* a bad spot: deliver the bytes before it, then fail */
	if (off >= m->fail_at)
		return -EIO;
	if (n > m->fail_at - off)
		n = m->fail_at - off;
	*win = m->data + off;
	m->maps++;
	return (long)n;
}

static void memenv_unmap(void *priv, const void *win)
{
	struct memenv *m = priv;

	(void)win;
	m->unmaps++;
}

static int memenv_resched(void *priv)
{
	struct memenv *m = priv;

	m->resched_calls++;
	if (m->stop_after && m->resched_calls >= m->stop_after)
		return -EINTR;
	return 0;
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

#endif /* MEMENV_H */
