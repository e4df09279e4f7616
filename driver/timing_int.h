/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The timing model's run-time state, shared by the two files that use it:
 * timing.c (deadlines on timers, compute units, the drain) and
 * timing_sync.c (the same waited for in the caller's task).  Nothing
 * else includes it: the rest of the driver sees only timing.h.
 */
#ifndef _URINGBLK_TIMING_INT_H
#define _URINGBLK_TIMING_INT_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "timing.h"

struct ssd;

/**
 * struct uringblk_timing - the model of one drive
 * @cfg:	its parameters (a copy of dev->cfg.timing)
 * @link_to_host: when the link towards the host is next free (ns)
 * @link_from_host: the same, from the host
 * @media:	when the media is next free (reads and writes share it)
 * @io_timed:	the parameters give block requests and the SLM transfer
 *		commands a time (else only runs are modelled: they are left
 *		alone, rather than counted late for taking any time at all)
 * @advance:	how long before its deadline a block request's timer is
 *		armed now, ns (0..cfg.timer_advance_ns; timer callbacks on
 *		any CPU adjust it, READ_ONCE/WRITE_ONCE: a lost update only
 *		skips one step)
 * @lock:	protects the fields below
 * @cu_free:	compute units not held
 * @draining:	the drive is being removed: nothing waits any more (also
 *		read without the lock, READ_ONCE, on the request path)
 * @cu_queue:	runs waiting for a unit, in arrival order
 * @pending:	commands waiting on their timer
 * @cu_watch:	while runs wait for a unit, looks at their submitters
 *		every TM_WATCH_NS (tm_cu_watch())
 * @ssd_lock:	serialises the calls on @ssd (irq-safe)
 * @ssd:	the SSD model (timing_ssd.c), or NULL: block requests and media
 *		reads are timed by the link and media parameters
 */
struct uringblk_timing {
	struct uringblk_timing_cfg cfg;
	atomic64_t		link_to_host ____cacheline_aligned_in_smp;
	atomic64_t		link_from_host ____cacheline_aligned_in_smp;
	atomic64_t		media ____cacheline_aligned_in_smp;
	bool			io_timed;
	s64			advance ____cacheline_aligned_in_smp;
	spinlock_t		lock ____cacheline_aligned_in_smp;
	u32			cu_free;
	bool			draining;
	struct list_head	cu_queue;
	struct list_head	pending;
	struct delayed_work	cu_watch;
	spinlock_t		ssd_lock ____cacheline_aligned_in_smp;
	struct ssd		*ssd;
};

/* timing_ssd.c */
void uringblk_ssd_free(struct uringblk_timing *tm);
u64 uringblk_ssd_io(struct uringblk_timing *tm, blk_opf_t opf, u64 pos,
		    u64 bytes, u64 t);
bool uringblk_ssd_late(struct uringblk_timing *tm, blk_opf_t opf);
u64 uringblk_ssd_run(struct uringblk_timing *tm, u64 t, u64 dur);

void uringblk_tm_account(struct uringblk_dev *dev, u64 deadline, u64 now,
			 bool draining);
struct uringblk_tdefer *uringblk_tm_cu_put(struct uringblk_timing *tm,
					   struct uringblk_tdefer *d, u64 now)
	__must_hold(&tm->lock);

#endif /* _URINGBLK_TIMING_INT_H */
