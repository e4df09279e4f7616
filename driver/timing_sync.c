// SPDX-License-Identifier: GPL-2.0
/*
 * The timing model for operations waited for in their caller's task: an
 * NVMe ioctl (or io-wq issuing a URING_CMD that blocks), where timing.c's
 * deferred completions post a CQE from a timer instead.  Two kinds:
 *  - a deadline alone (NVMe's SLM and ZNS commands): uringblk_timing_wait()
 *    sleeps until it;
 *  - a run (NVMe Execute Program by ioctl, exec_run.c): it takes a compute
 *    unit or queues for one (uringblk_timing_cu_wait_sync()), runs, and
 *    sleeps until its deadline (uringblk_timing_end_sync()), on the model's
 *    own unit queue and timers, as an EXECUTE by URING_CMD does.  So the
 *    unit is handed on at the modelled end of the run, first come first
 *    served among both kinds of run, and a removal ends either wait at once
 *    (uringblk_timing_drain() starts queued runs and fires pending timers).
 * Every wait is killable and holds no lock; a killed run leaves the unit
 * queue, or its timer, at once (its unit handed on), rather than waiting
 * for the watch of its process (timing.c's TM_WATCH_NS) that a URING_CMD's
 * needs: a SIGKILL that ends no thread group (exec() killing the other
 * threads) would not satisfy that watch.
 */
#include <linux/completion.h>
#include <linux/hrtimer.h>
#include <linux/sched/signal.h>

#include "stats.h"
#include "timing_int.h"
#include "uringblk.h"

/**
 * uringblk_timing_wait() - end an operation at its deadline, in its caller
 * @dev:	the drive (the caller holds a reference: an open file)
 * @deadline:	from uringblk_timing_*_deadline(); 0: not modelled
 *
 * For the NVMe SLM and ZNS commands (an ioctl, or io-wq for a URING_CMD): sleeps,
 * killable, holding no lock, on dev->removal_wq, so that a removal ends the
 * wait at once as it ends every other (main.c's uringblk_end_waits());
 * counted held, late or (killed, removed) hurried, as the gate's deferred
 * completions are.  May sleep.
 * Return: 0, or -ENODEV if a removal ended the wait before the deadline
 * (the command answers Namespace Not Ready, as a held request does).
 */
int uringblk_timing_wait(struct uringblk_dev *dev, u64 deadline)
{
	ktime_t t = ns_to_ktime(deadline);
	u64 now = ktime_get_ns();
	bool due = deadline <= now, gone = false;
	DEFINE_WAIT(wait);

	if (!deadline)
		return 0;
	while (!due && !fatal_signal_pending(current)) {
		prepare_to_wait(&dev->removal_wq, &wait, TASK_KILLABLE);
		gone = READ_ONCE(dev->removing);
		if (gone)
			break;
		schedule_hrtimeout(&t, HRTIMER_MODE_ABS);
		due = ktime_get_ns() >= deadline;
	}
	finish_wait(&dev->removal_wq, &wait);
	uringblk_tm_account(dev, deadline, now, !due);
	return gone ? -ENODEV : 0;
}

/**
 * uringblk_timing_cu_put_sync() - give back the unit of a run that will not run
 * @dev:	the drive
 * @d:		the run, not on the model's queue or timer (its wait ended)
 *
 * To the first run waiting for one, or to the pool; nothing if @d holds
 * none.  Does not sleep.
 */
void uringblk_timing_cu_put_sync(struct uringblk_dev *dev, struct uringblk_tdefer *d)
{
	struct uringblk_timing *tm = dev->timing;
	struct uringblk_tdefer *next;

	if (!d->cu_held)
		return;
	spin_lock_irq(&tm->lock);
	next = uringblk_tm_cu_put(tm, d, ktime_get_ns());
	spin_unlock_irq(&tm->lock);
	if (next)
		next->start(next);
}

/**
 * uringblk_timing_cu_wait_sync() - wait for a compute unit in the caller's task
 * @dev:	the drive (the caller holds a reference: an open file)
 * @d:		the run (uringblk_timing_run_init(), no @d->task), for which
 *		uringblk_timing_cu_get() found no unit; @d->start completes @done
 * @done:	an initialised completion, completed by @d->start
 *
 * Queues the run for a unit in arrival order, with the URING_CMD runs, and
 * sleeps until it is handed one, or the drive is going (the drain starts
 * it without one), or the caller is killed.  The caller holds no lock: the
 * unit may be held for a long modelled time, and removal takes dev->lock
 * for write before it drains.  May sleep.
 * Return: 0 (a unit is held, or none because the drive is going), or
 * -EINTR: killed, no unit held (counted hurried, as a queued run whose
 * process ends).
 */
int uringblk_timing_cu_wait_sync(struct uringblk_dev *dev, struct uringblk_tdefer *d,
				 struct completion *done)
{
	struct uringblk_timing *tm = dev->timing;
	struct uringblk_tdefer *q;
	bool queued = false;

	if (uringblk_timing_cu_wait(dev, d))
		return 0;
	if (!wait_for_completion_killable(done))
		return 0;
	/* Killed: leave the queue, unless a unit (or the drain) came meanwhile. */
	spin_lock_irq(&tm->lock);
	list_for_each_entry(q, &tm->cu_queue, node) {
		if (q == d) {
			list_del_init(&d->node);
			queued = true;
			break;
		}
	}
	spin_unlock_irq(&tm->lock);
	this_cpu_inc(dev->stats->timing_hurried);
	if (queued)
		return -EINTR;
	/* Off the queue, so ->start is being called: wait for it, then hand the unit on. */
	wait_for_completion(done);
	uringblk_timing_cu_put_sync(dev, d);
	return -EINTR;
}

/**
 * uringblk_timing_end_sync() - a run waited for ended: hold its caller to its deadline
 * @dev:	the drive (the caller holds a reference: an open file)
 * @d:		the run, holding the unit uringblk_timing_cu_get() or
 *		uringblk_timing_cu_wait_sync() gave it (or none: units not
 *		modelled); @d->fire completes @done
 * @done:	completed by @d->fire
 * @run_ns:	its measured run time
 * @reply_bytes: bytes its completion carries over the link
 *
 * uringblk_timing_run_end()'s modelled end and deadline: the model's timer
 * hands the unit on at the end and fires at the deadline; until then the
 * caller sleeps, killable, holding no lock.  Counted as an EXECUTE is:
 * held or late when its deadline is computed, and hurried if a removal or
 * the caller's death ends the wait early.  May sleep.
 */
void uringblk_timing_end_sync(struct uringblk_dev *dev, struct uringblk_tdefer *d,
			      struct completion *done, u64 run_ns, u64 reply_bytes)
{
	struct uringblk_timing *tm = dev->timing;
	struct uringblk_tdefer *next = NULL;

	if (!uringblk_timing_run_end(dev, d, run_ns, 0, reply_bytes))
		return;
	if (wait_for_completion_killable(done)) {
		/*
		 * Killed.  Cancelling the timer (after its callback, if it
		 * runs now) makes the run ours if it was still armed: the
		 * drain takes only an armed timer's run, and the callback
		 * rearms or fires it.
		 */
		if (hrtimer_cancel(&d->timer)) {
			spin_lock_irq(&tm->lock);
			list_del_init(&d->node);
			if (d->cu_held)
				next = uringblk_tm_cu_put(tm, d, ktime_get_ns());
			spin_unlock_irq(&tm->lock);
			if (next)
				next->start(next);
			this_cpu_inc(dev->stats->timing_hurried);
			return;
		}
		wait_for_completion(done);	/* fired, or the drain fires it */
	}
	/* Its callback may still be returning: let it, before @d is reused. */
	hrtimer_cancel(&d->timer);
}
