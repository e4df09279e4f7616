// SPDX-License-Identifier: GPL-2.0
/*
 * What a run of an EXEC, EXECUTE or NVMe Execute Program takes before it
 * starts and gives back after it ends (exec_run.c has the run itself):
 * its admission against the drive's and the open file's limits of runs in
 * flight, and its run state, from a small per-CPU cache.
 */
#include <linux/local_lock.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/slab.h>

#include "exec.h"
#include "uringblk.h"

/*
 * Per-CPU cache of run states: an EXEC at any queue depth up to
 * EXEC_CACHE_SLOTS per CPU allocates nothing.  The local lock only keeps
 * the task on its CPU while it touches the array; every run, of any
 * engine, starts with uringblk_prog_run_start(), which resets what a run
 * can see (ctx, stack, output, globals), so nothing of an earlier run is
 * visible to the next.
 */
struct exec_cache {
	local_lock_t		lock;
	unsigned int		nr;
	struct uringblk_exec	*slot[EXEC_CACHE_SLOTS];
};

static DEFINE_PER_CPU(struct exec_cache, exec_cache) = {
	.lock = INIT_LOCAL_LOCK(lock),
};

/* A run state: the cache's, else a new one (@nowait: without sleeping). */
struct uringblk_exec *uringblk_exec_alloc(bool nowait)
{
	struct uringblk_exec *ex = NULL;
	struct exec_cache *c;

	/* One slab object of the 16 KiB cache: keep the output buffer so. */
	BUILD_BUG_ON(sizeof(*ex) > 16384);
	local_lock(&exec_cache.lock);
	c = this_cpu_ptr(&exec_cache);
	if (c->nr)
		ex = c->slot[--c->nr];
	local_unlock(&exec_cache.lock);
	if (ex)
		return ex;
	/* kvmalloc() may fall back to vmalloc(), which sleeps */
	return nowait ? kmalloc(sizeof(*ex), EXEC_GFP_NOWAIT) :
			kvmalloc(sizeof(*ex), EXEC_GFP);
}

/* Drop a run state's big buffers and give it back to the cache (or free it). */
void uringblk_exec_free(struct uringblk_exec *ex)
{
	struct exec_cache *c;

	kvfree(ex->out_big);
	ex->out_big = NULL;
	kfree(ex->globals_big);
	ex->globals_big = NULL;
	kvfree(ex->ext_big);
	ex->ext_big = NULL;
	local_lock(&exec_cache.lock);
	c = this_cpu_ptr(&exec_cache);
	if (c->nr < EXEC_CACHE_SLOTS) {
		c->slot[c->nr++] = ex;
		ex = NULL;
	}
	local_unlock(&exec_cache.lock);
	kvfree(ex);
}

/* Module exit, once no run is left: free the cached run states. */
void uringblk_exec_cache_drain(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct exec_cache *c = per_cpu_ptr(&exec_cache, cpu);

		while (c->nr)
			kvfree(c->slot[--c->nr]);
	}
}

/*
 * Count an EXEC, EXECUTE or NVMe Execute Program in flight on its
 * drive and its open file (the command device's or a namespace node's:
 * the request's file_execs, req.h; NULL for a run its front end waits for,
 * the drive's limit only), or refuse it (-EBUSY) if either is at its limit (cfg.max_execs,
 * max_execs_per_file): before anything is allocated, so that no user can
 * hold more than the limits' worth of kernel memory.  Never sleeps.
 */
int uringblk_exec_admit(struct uringblk_dev *dev, atomic_t *file_execs)
{
	if (atomic_inc_return(&dev->execs) > dev->cfg.max_execs)
		goto out_dev;
	if (file_execs && atomic_inc_return(file_execs) > dev->cfg.max_execs_per_file)
		goto out_file;
	return 0;

out_file:
	atomic_dec(file_execs);
out_dev:
	atomic_dec(&dev->execs);
	return -EBUSY;
}

/* The EXEC or EXECUTE admitted by uringblk_exec_admit() is over (or failed). */
void uringblk_exec_unadmit(struct uringblk_dev *dev, atomic_t *file_execs)
{
	if (file_execs)
		atomic_dec(file_execs);
	atomic_dec(&dev->execs);
}
