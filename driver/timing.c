// SPDX-License-Identifier: GPL-2.0
/*
 * The timing model at run time (uAPI "The timing model"; parameters in
 * timing_cfg.c).  The work of an operation is done as before, at the
 * host's speed; what the model changes is when the operation completes:
 * at its modelled deadline, from a timer, as null_blk's timer completion
 * mode (irqmode=2) ends its requests.  Nothing here sleeps, so queue_rq
 * and the command issue path never wait for modelled time.
 *
 * Transfer resources.  Each direction of the host link and the media is
 * one resource for the whole drive (all queues, all commands), kept as
 * the time it is next free (an atomic64, updated with cmpxchg): a
 * transfer ready at t reserves [max(t, next free), + its duration).  That
 * is a token bucket in its virtual-scheduling form (the GCRA of ATM
 * traffic shaping) without a burst allowance: an idle link banks no
 * credit, as a real wire cannot send faster later for having been idle.
 * Reservations are made when an operation arrives, so the resources
 * serve operations in arrival order.
 *
 * Deadlines.  A block request's deadline is computed in queue_rq
 * (uringblk_timing_rq_start()), and when it has been executed rq.c
 * asks uringblk_timing_rq_hold(): if the deadline is still ahead the
 * request's own hrtimer ends it then (a poll-queue request instead stays
 * parked until ->poll() finds it due).  A command its front end completes
 * (the gate's MEM_READ/WRITE/COPY, ZONE_APPEND, ZONE_MGMT) gets its
 * deadline from uringblk_timing_{link,media_read,io}_deadline() (a zone
 * command's from tm_io_deadline(), the function that times block
 * requests), and its front end hands it over as a request (req.h) to
 * uringblk_timing_req_defer(); an EXEC or EXECUTE asks
 * uringblk_timing_run_end() when its run has ended and its reply is
 * written.  Both wait in a struct uringblk_tdefer on the model's pending
 * list; its timer completes them through task work, a request by its
 * front end's op: the model knows no front end.
 * Front ends that wait in the caller's task (NVMe's ioctls) sleep on the
 * same deadlines and, for a run, the same units and timers: timing_sync.c.
 *
 * Compute units.  A run takes a unit before it starts
 * (uringblk_timing_cu_get(), or it queues in uringblk_timing_cu_wait()
 * and is started by ->start() when a unit is handed to it) and keeps it
 * until the modelled end of its run, its measured time scaled by
 * compute_factor_pct: the timer releases the unit then, handing it to the
 * first waiting run, and fires again at the deadline (after the reply's
 * transfer).  Waiting runs are served first come, first served.
 *
 * Removal.  uringblk_timing_drain() (main.c's uringblk_end_waits(), once
 * no command can start) completes every waiting operation at once: pending
 * timers are cancelled and fired, queued runs started (they find the drive
 * removing), held block requests ended with -ENODEV; anything arriving
 * afterwards that would wait ends so at once.  So a removal, and rmmod
 * after it, never waits for modelled time.
 *
 * Locking: tm->lock (irq-safe: the timers take it in hard interrupt
 * context) protects the compute units, their queue, the pending list and
 * draining; the transfer resources need none.  Nothing is called under
 * it but list and hrtimer operations.
 */
#include <linux/atomic.h>
#include <linux/blk-mq.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "req.h"
#include "stats.h"
#include "timing_advance.h"
#include "timing_int.h"
#include "uringblk.h"

DEFINE_STATIC_KEY_FALSE(uringblk_timing_used);

/* Nanoseconds to move @bytes at @mbps MB/s (10^6 B/s); 0 if not modelled. */
static u64 tm_xfer_ns(u64 bytes, u32 mbps)
{
	return mbps ? div_u64(bytes * NSEC_PER_USEC + mbps / 2, mbps) : 0;
}

/*
 * Reserve a resource for @cost ns from @ready on: returns the end of the
 * reservation.  Counts the wait for it in @wait.  Lock-free; any context.
 */
static u64 tm_reserve(atomic64_t *res, u64 ready, u64 cost, u64 __percpu *wait)
{
	s64 old, start;

	if (!cost)
		return ready;
	old = atomic64_read(res);
	do {
		start = max_t(s64, old, ready);
	} while (!atomic64_try_cmpxchg(res, &old, start + cost));
	if (start > ready)
		this_cpu_add(*wait, start - ready);
	return start + cost;
}

static u64 tm_link(struct uringblk_dev *dev, atomic64_t *dir, u64 ready, u64 bytes)
{
	return tm_reserve(dir, ready, tm_xfer_ns(bytes, dev->timing->cfg.link_mbps),
			  &dev->stats->timing_link_wait_ns);
}

static u64 tm_media(struct uringblk_dev *dev, u64 ready, u64 bytes, u32 mbps)
{
	return tm_reserve(&dev->timing->media, ready, tm_xfer_ns(bytes, mbps),
			  &dev->stats->timing_media_wait_ns);
}

/* An operation due at @deadline completes at @now: count how (timing_int.h). */
void uringblk_tm_account(struct uringblk_dev *dev, u64 deadline, u64 now,
			 bool draining)
{
	if (deadline > now) {
		if (draining)
			this_cpu_inc(dev->stats->timing_hurried);
		else
			this_cpu_inc(dev->stats->timing_held);
	} else if (deadline < now) {
		this_cpu_inc(dev->stats->timing_late);
		this_cpu_add(dev->stats->timing_late_ns, now - deadline);
	}
}

/* ---- block requests ---- */

/*
 * The one model of an operation on the drive's data: the deadline of
 * @op over @bytes arriving at @t.  READ: firmware and media latency, the
 * media, then the link to the host; WRITE and ZONE_APPEND: the link from
 * the host, firmware and media latency, then the media; others (flush,
 * discard, zone management) move no data: firmware.  Every one pays the
 * link latency once.  With an SSD model (timing_ssd.c) the model is the
 * link and the media: it times @opf over the bytes at @pos, plus the
 * firmware overhead and link latency if set.  Block requests
 * (uringblk_timing_rq_start()) and the commands that do the same work
 * (uringblk_timing_io_deadline()) both come here, so the two paths cannot
 * drift apart.  Does not sleep.
 */
static u64 tm_io_deadline(struct uringblk_dev *dev, blk_opf_t opf, u64 pos,
			  u64 t, u64 bytes)
{
	const struct uringblk_timing_cfg *c = &dev->timing->cfg;

	if (dev->timing->ssd)
		return uringblk_ssd_io(dev->timing, opf, pos, bytes,
				       t + c->fw_overhead_ns) + c->link_lat_ns;
	switch (opf & REQ_OP_MASK) {
	case REQ_OP_READ:
		t += c->fw_overhead_ns + c->media_read_lat_ns;
		t = tm_media(dev, t, bytes, c->media_read_mbps);
		t = tm_link(dev, &dev->timing->link_to_host, t, bytes);
		break;
	case REQ_OP_WRITE:
	case REQ_OP_ZONE_APPEND:
		t = tm_link(dev, &dev->timing->link_from_host, t, bytes);
		t += c->fw_overhead_ns + c->media_write_lat_ns;
		t = tm_media(dev, t, bytes, c->media_write_mbps);
		break;
	default:
		t += c->fw_overhead_ns;
		break;
	}
	return t + c->link_lat_ns;
}

/* The modelled deadline of a request arriving now.  Does not sleep. */
void uringblk_timing_rq_start(struct uringblk_dev *dev, struct request *rq)
{
	struct uringblk_rq *urq = blk_mq_rq_to_pdu(rq);

	if (!dev->timing->io_timed) {
		urq->deadline = 0;	/* not held */
		return;
	}
	urq->tm_late = dev->timing->ssd && uringblk_ssd_late(dev->timing, rq->cmd_flags);
	if (urq->tm_late) {	/* its arrival: asked once it has run */
		urq->deadline = ktime_get_ns();
		return;
	}
	urq->deadline = tm_io_deadline(dev, rq->cmd_flags, blk_rq_pos(rq) << SECTOR_SHIFT,
				       ktime_get_ns(), blk_rq_bytes(rq));
}

/*
 * A held request ends @err ns after its deadline (< 0: before it): count
 * it, and move the timer advance by it (uAPI "Timers").
 */
static void tm_rq_ended(struct uringblk_dev *dev, s64 err)
{
	struct uringblk_timing *tm = dev->timing;

	if (err > 0)
		this_cpu_add(dev->stats->timing_timer_late_ns, err);
	else
		this_cpu_add(dev->stats->timing_early_ns, -err);
	if (tm->cfg.timer_advance_ns)
		WRITE_ONCE(tm->advance,
			   uringblk_timer_advance_next(READ_ONCE(tm->advance), err,
						       tm->cfg.timer_advance_ns));
}

/* The request's timer: its deadline came.  Hard interrupt context. */
static enum hrtimer_restart tm_rq_timer(struct hrtimer *timer)
{
	struct uringblk_rq *urq = container_of(timer, struct uringblk_rq, timer);
	struct request *rq = blk_mq_rq_from_pdu(urq);
	struct uringblk_dev *dev = rq->q->queuedata;

	tm_rq_ended(dev, (s64)(ktime_get_ns() - urq->deadline));
	uringblk_end_rq(dev, rq, urq->status);
	return HRTIMER_NORESTART;
}

/*
 * End a held request now if its timer has not fired (the drive is going):
 * with -ENODEV, as every wait a removal ends (main.c's
 * uringblk_end_waits()); its completion never reached the host.
 */
static void tm_rq_hurry(struct uringblk_dev *dev, struct request *rq)
{
	struct uringblk_rq *urq = blk_mq_rq_to_pdu(rq);

	if (hrtimer_try_to_cancel(&urq->timer) == 1) {
		this_cpu_inc(dev->stats->timing_hurried);
		uringblk_end_rq(dev, rq, BLK_STS_OFFLINE);
	}
}

/* Once per request, at tag set allocation (init_request). */
void uringblk_timing_rq_init(struct request *rq)
{
	struct uringblk_rq *urq = blk_mq_rq_to_pdu(rq);

	hrtimer_init(&urq->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
	urq->timer.function = tm_rq_timer;
}

/*
 * At tag set teardown (exit_request): every request has ended by then,
 * but a timer callback may still be returning from ending it.  May sleep.
 */
void uringblk_timing_rq_exit(struct request *rq)
{
	hrtimer_cancel(&((struct uringblk_rq *)blk_mq_rq_to_pdu(rq))->timer);
}

/**
 * uringblk_timing_rq_hold() - hold an executed request until its deadline
 * @dev:	the drive (its model is on)
 * @rq:		the request, started with uringblk_timing_rq_start()
 * @sts:	how it ended; BLK_STS_OFFLINE (-ENODEV) if it would wait but
 *		the drive is being removed
 * @poll:	it is on a poll queue: rq.c parks it, and ->poll() asks
 *		uringblk_timing_rq_due() before ending it
 *
 * Does not sleep; any context.
 * Return: true if the request's timer will end it; false if the caller
 * ends (or parks) it now, with *@sts.
 */
bool uringblk_timing_rq_hold(struct uringblk_dev *dev, struct request *rq,
			     blk_status_t *sts, bool poll)
{
	struct uringblk_timing *tm = dev->timing;
	struct uringblk_rq *urq = blk_mq_rq_to_pdu(rq);
	bool draining = READ_ONCE(tm->draining);
	u64 now, expires;

	/* a zoned model's write: its deadline if the drive carried it out */
	if (urq->tm_late) {
		urq->tm_late = false;
		urq->deadline = *sts ? 0 :
			tm_io_deadline(dev, rq->cmd_flags, blk_rq_pos(rq) << SECTOR_SHIFT,
				       urq->deadline, blk_rq_bytes(rq));
	}
	if (!urq->deadline)
		return false;
	now = ktime_get_ns();
	urq->status = *sts;
	uringblk_tm_account(dev, urq->deadline, now, draining);
	if (draining && urq->deadline > now) {
		*sts = BLK_STS_OFFLINE;	/* as tm_rq_hurry() ends a held one */
		return false;
	}
	if (poll || urq->deadline <= now)
		return false;
	/* the advance is at most timer_advance_ns, far below any deadline */
	expires = urq->deadline - READ_ONCE(tm->advance);
	if (expires <= now) {
		/* within the advance of its deadline: as if the timer fired now */
		tm_rq_ended(dev, (s64)(now - urq->deadline));
		return false;
	}
	hrtimer_start(&urq->timer, ns_to_ktime(expires), HRTIMER_MODE_ABS);
	/*
	 * Either uringblk_timing_drain() finds the timer armed, or this sees
	 * it draining (the barrier pairs with the one there).
	 */
	smp_mb();
	if (unlikely(READ_ONCE(tm->draining)))
		tm_rq_hurry(dev, rq);
	return true;
}

/*
 * May ->poll() end this parked request now?  Yes at its deadline, or at
 * once when the drive is being removed: then with -ENODEV if it was
 * still waiting (its status is set so).  Under its queue's poll_lock.
 * Does not sleep.
 */
bool uringblk_timing_rq_due(struct uringblk_dev *dev, struct request *rq,
			    u64 now)
{
	struct uringblk_rq *urq = blk_mq_rq_to_pdu(rq);

	if (urq->deadline <= now)
		return true;
	if (!READ_ONCE(dev->timing->draining))
		return false;
	urq->status = BLK_STS_OFFLINE;
	return true;
}

static bool tm_rq_hurry_iter(struct request *rq, void *data)
{
	if (rq->mq_hctx->type != HCTX_TYPE_POLL)
		tm_rq_hurry(data, rq);
	return true;
}

/* ---- commands waiting for their deadline ---- */

/*
 * Give back @d's compute unit: to the first waiting run (returned, to be
 * started by the caller once the lock is dropped), or to the pool.  Also
 * timing_sync.c's (timing_int.h).
 */
struct uringblk_tdefer *uringblk_tm_cu_put(struct uringblk_timing *tm,
					   struct uringblk_tdefer *d, u64 now)
	__must_hold(&tm->lock)
{
	struct uringblk_tdefer *next;

	d->cu_held = false;
	next = list_first_entry_or_null(&tm->cu_queue, struct uringblk_tdefer, node);
	if (!next) {
		tm->cu_free++;
		return NULL;
	}
	list_del_init(&next->node);
	next->cu_held = true;
	next->granted = now;
	this_cpu_add(next->dev->stats->timing_cu_wait_ns, now - next->arrive);
	return next;
}

/*
 * How often a command waiting for its deadline looks at its submitter.
 * When a process is killed or exits, its ring is torn down by a kworker
 * that waits for the ring's commands (6.1 cannot cancel a uring_cmd), and
 * holds the drive's file meanwhile: rmmod fails, the ring's memory stays.
 * That must not last a modelled time (a run at 1000x can model hours).
 */
#define TM_WATCH_NS	(100 * NSEC_PER_MSEC)

/* The process that submitted @d is exiting (or killed): stop waiting. */
static bool tm_owner_gone(const struct uringblk_tdefer *d)
{
	return d->task && (READ_ONCE(d->task->signal->flags) & SIGNAL_GROUP_EXIT);
}

/* When @d's timer fires next: at @target, or sooner to watch its owner. */
static u64 tm_wake(const struct uringblk_tdefer *d, u64 target, u64 now)
{
	return d->task && target - now > TM_WATCH_NS ? now + TM_WATCH_NS : target;
}

/*
 * A run waiting for a compute unit has no timer: the unit may be held
 * for a long modelled time, by another process's run.  While runs wait,
 * this work looks at their submitters every TM_WATCH_NS and starts at
 * once, without a unit, those whose process is going (the worker then
 * finds the submitter gone and stops the run before it runs:
 * exec_work()), so that its exit is not held up.  Process context.
 */
static void tm_cu_watch(struct work_struct *work)
{
	struct uringblk_timing *tm = container_of(to_delayed_work(work),
						  struct uringblk_timing, cu_watch);
	struct uringblk_tdefer *d, *n;
	LIST_HEAD(gone);

	spin_lock_irq(&tm->lock);
	list_for_each_entry_safe(d, n, &tm->cu_queue, node)
		if (tm_owner_gone(d))
			list_move_tail(&d->node, &gone);
	if (!list_empty(&tm->cu_queue) && !tm->draining)
		queue_delayed_work(system_wq, &tm->cu_watch,
				   nsecs_to_jiffies(TM_WATCH_NS));
	spin_unlock_irq(&tm->lock);
	list_for_each_entry_safe(d, n, &gone, node) {
		list_del_init(&d->node);
		this_cpu_inc(d->dev->stats->timing_hurried);
		d->start(d);
	}
}

/*
 * The timer of a waiting command: first (while it holds a compute unit)
 * the modelled end of its run, which frees the unit; then its deadline,
 * which completes it; meanwhile every TM_WATCH_NS, to complete it at once
 * if its submitter is going.  Hard interrupt context.
 */
static enum hrtimer_restart tm_defer_timer(struct hrtimer *timer)
{
	struct uringblk_tdefer *d = container_of(timer, struct uringblk_tdefer, timer);
	struct uringblk_dev *dev = d->dev;
	struct uringblk_timing *tm = dev->timing;
	struct uringblk_tdefer *next = NULL;
	u64 now = ktime_get_ns();
	bool gone = tm_owner_gone(d);
	unsigned long flags;

	spin_lock_irqsave(&tm->lock, flags);
	if (d->cu_held && (gone || d->cu_end <= now))
		next = uringblk_tm_cu_put(tm, d, now);
	if (!tm->draining && !gone && d->deadline > now) {
		hrtimer_set_expires(timer, ns_to_ktime(tm_wake(d, d->cu_held ? d->cu_end :
								d->deadline, now)));
		spin_unlock_irqrestore(&tm->lock, flags);
		if (next)
			next->start(next);
		return HRTIMER_RESTART;
	}
	list_del_init(&d->node);
	spin_unlock_irqrestore(&tm->lock, flags);
	if (next)
		next->start(next);
	if (gone && d->deadline > now)
		this_cpu_inc(dev->stats->timing_hurried);
	/* Last: completing it may free @d. */
	d->fire(d);
	return HRTIMER_NORESTART;
}

/*
 * Wait for @d->deadline (after @d->cu_end, while a unit is held).
 * Return: true if the timer will fire @d; false if it is due now: the
 * caller completes it.  Either way a unit whose run has ended is released.
 * Once the timer is armed @d belongs to it: it may fire, complete the
 * command and free @d on another CPU before this returns, so nothing of
 * @d is read after the lock is dropped.
 */
static bool tm_defer(struct uringblk_dev *dev, struct uringblk_tdefer *d)
{
	struct uringblk_timing *tm = dev->timing;
	struct uringblk_tdefer *next = NULL;
	const u64 deadline = d->deadline;
	u64 now = ktime_get_ns();
	unsigned long flags;
	bool draining, wait;

	spin_lock_irqsave(&tm->lock, flags);
	draining = tm->draining || tm_owner_gone(d);	/* nobody waits for it */
	if (d->cu_held && (draining || d->cu_end <= now))
		next = uringblk_tm_cu_put(tm, d, now);
	wait = !draining && deadline > now;
	if (wait) {
		list_add_tail(&d->node, &tm->pending);
		hrtimer_start(&d->timer,
			      ns_to_ktime(tm_wake(d, d->cu_held ? d->cu_end : deadline, now)),
			      HRTIMER_MODE_ABS);
	}
	spin_unlock_irqrestore(&tm->lock, flags);
	if (next)
		next->start(next);
	uringblk_tm_account(dev, deadline, now, draining);
	return wait;
}

static void tm_defer_init(struct uringblk_dev *dev, struct uringblk_tdefer *d,
			  u64 arrive)
{
	d->dev = dev;
	d->arrive = arrive;
	d->granted = arrive;
	d->cu_held = false;
	d->task = NULL;
	d->media = NULL;
	INIT_LIST_HEAD(&d->node);
	hrtimer_init(&d->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
	d->timer.function = tm_defer_timer;
}

/*
 * A request (req.h) a front end completes at its deadline (the gate's
 * MEM_READ, MEM_WRITE, MEM_COPY, ZONE_APPEND, ZONE_MGMT): its completion's
 * status and result, and the drive reference it holds meanwhile.
 */
struct tm_req {
	struct uringblk_tdefer	d;
	struct uringblk_req	req;
	int			status;
	u8			lat_op;
	u64			result;
};

/*
 * In the submitter's task (the request's ->to_task()): the latency
 * sample, then the front end's completion.
 */
static void tm_req_done(struct uringblk_req *req, struct uringblk_issue is)
{
	struct tm_req *tr = container_of(req, struct tm_req, req);
	struct uringblk_dev *dev = tr->d.dev;

	if (tr->lat_op != URINGBLK_LAT_NR_OPS)
		uringblk_lat_record(dev, tr->lat_op, tr->d.arrive);
	tr->req.ops->complete(&tr->req, tr->status, tr->result, is);
	put_task_struct(tr->d.task);
	kfree(tr);
	uringblk_dev_put(dev);
}

/* Its deadline (any context): back to the submitter's task to complete. */
static void tm_req_fire(struct uringblk_tdefer *d)
{
	struct tm_req *tr = container_of(d, struct tm_req, d);

	tr->req.ops->to_task(&tr->req, tm_req_done);
}

/**
 * uringblk_timing_link_deadline() - when a command moving @bytes over the link ends
 * @dev:	the drive
 * @t0:		its arrival (ktime_get_ns()), 0 if the model was off then
 * @bytes:	payload
 * @to_host:	MEM_READ (firmware, then the link); else MEM_WRITE (the link,
 *		then firmware)
 *
 * For the gate's MEM_READ/WRITE and NVMe's Memory Read/Write/Fill.
 * Context: dev->lock held (the model's state lives while it is).  Does
 * not sleep.  Return: the deadline, or 0 while the model is off.
 */
u64 uringblk_timing_link_deadline(struct uringblk_dev *dev, u64 t0, u64 bytes,
				  bool to_host)
{
	const struct uringblk_timing_cfg *c;
	u64 t;

	if (!t0 || !dev->timing || !dev->timing->io_timed)
		return 0;
	c = &dev->timing->cfg;
	if (to_host) {
		t = tm_link(dev, &dev->timing->link_to_host, t0 + c->fw_overhead_ns,
			    bytes);
	} else {
		t = tm_link(dev, &dev->timing->link_from_host, t0, bytes);
		t += c->fw_overhead_ns;
	}
	return t + c->link_lat_ns;
}

/*
 * The same for MEM_COPY and NVMe's Memory Copy: @bytes read from the media
 * into SLM, inside the drive (a READ without the link), from the @nr
 * ranges @r (the SSD model reads each; a zero range reads nothing).  Does
 * not sleep.
 */
u64 uringblk_timing_media_read_deadline(struct uringblk_dev *dev, u64 t0, u64 bytes,
					const struct uringblk_copy_range *r, u32 nr)
{
	const struct uringblk_timing_cfg *c;
	const unsigned int shift = ilog2(dev->cfg.block_size);
	u64 t, end;

	if (!t0 || !dev->timing || !dev->timing->io_timed)
		return 0;
	c = &dev->timing->cfg;
	t = t0 + c->fw_overhead_ns;
	if (dev->timing->ssd) {
		for (end = t; nr; nr--, r++) {
			if (r->flags & URINGBLK_COPY_F_ZERO)
				continue;
			end = max(end, uringblk_timing_ssd_read(dev, r->slba << shift,
								(u64)r->nlb << shift, t));
		}
		t = end;
	} else if (bytes) {
		t = tm_media(dev, t + c->media_read_lat_ns, bytes, c->media_read_mbps);
	}
	return t + c->link_lat_ns;
}

/**
 * uringblk_timing_io_deadline() - when an NVMe command doing a request's work ends
 * @dev:	the drive
 * @t0:		its arrival (ktime_get_ns()), 0 if the model was off then
 * @op:		the block request it stands for (REQ_OP_ZONE_APPEND, REQ_OP_ZONE_*)
 * @pos:	its zone's first byte (0 for REQ_OP_ZONE_RESET_ALL)
 * @bytes:	its payload
 *
 * The zone commands of the NVMe front end and the command device, which
 * run the zone model's calls rather than bios, once they have succeeded:
 * the deadline a block request of @op would get (tm_io_deadline(), the
 * same shared link and media, and a zoned SSD model's zone, by @pos).
 * Context: dev->lock held.  Does not sleep.  Return: the deadline, or 0
 * while the model is off.
 */
u64 uringblk_timing_io_deadline(struct uringblk_dev *dev, u64 t0, enum req_op op,
				u64 pos, u64 bytes)
{
	if (!t0 || !dev->timing || !dev->timing->io_timed)
		return 0;
	return tm_io_deadline(dev, (__force blk_opf_t)op, pos, t0, bytes);
}

/**
 * uringblk_timing_req_defer() - complete a request at its deadline
 * @dev:	the drive
 * @req:	the request (req.h), with ->to_task(): copied; the model's
 *		copy is what its ops get
 * @t0:		its arrival (ktime_get_ns()), when the model was on
 * @deadline:	its modelled end, from the uringblk_timing_*_deadline() calls
 * @status:	its completion's status, and
 * @result:	result (req.h, ->complete())
 * @lat_op:	the latency histogram to record at its completion, from @t0,
 *		or URINGBLK_LAT_NR_OPS
 *
 * Holds the request until @deadline, then brings it back to the
 * submitter's task (req->ops->to_task()), where it records @lat_op's
 * sample and completes it through req->ops->complete().
 * Context: after the front end dropped dev->lock; may sleep (allocates).
 * Return: true if the request will be completed later; false if the
 * caller completes it now (the deadline has passed, the drive is going, or
 * no memory: a command is never failed for the model's sake), nothing of
 * the front end's touched.
 */
bool uringblk_timing_req_defer(struct uringblk_dev *dev, const struct uringblk_req *req,
			       u64 t0, u64 deadline, int status, u64 result, u8 lat_op)
{
	struct tm_req *tr;

	if (deadline <= ktime_get_ns())
		goto now;
	tr = kmalloc(sizeof(*tr), GFP_KERNEL);
	if (!tr)
		goto now;
	tm_defer_init(dev, &tr->d, t0);
	tr->d.deadline = deadline;
	tr->d.fire = tm_req_fire;
	tr->req = *req;
	tr->status = status;
	tr->result = result;
	tr->lat_op = lat_op;
	tr->d.task = get_task_struct(current);	/* its process's end stops the wait */
	kref_get(&dev->ref);
	if (tm_defer(dev, &tr->d))
		return true;
	/* The caller completes it after all. */
	uringblk_dev_put(dev);
	put_task_struct(tr->d.task);
	kfree(tr);
	return false;
now:
	uringblk_tm_account(dev, deadline, ktime_get_ns(), READ_ONCE(dev->timing->draining));
	return false;
}

/* ---- runs: EXEC and EXECUTE (exec_run.c) ---- */

/**
 * uringblk_timing_run_init() - a run arrives
 * @dev:	the drive (its model is on)
 * @d:		the run's waiting state, in its run state; @d->start and
 *		@d->fire are the caller's
 *
 * Does not sleep.
 */
void uringblk_timing_run_init(struct uringblk_dev *dev, struct uringblk_tdefer *d)
{
	tm_defer_init(dev, d, ktime_get_ns());
}

/**
 * uringblk_timing_cu_get() - take a compute unit for a run, if one is free
 * @dev:	the drive
 * @d:		the run
 *
 * Does not sleep.  Return: true if the run may start (a unit is held, or
 * compute units are not modelled, or the drive is going); false if it
 * must wait: uringblk_timing_cu_wait().
 */
bool uringblk_timing_cu_get(struct uringblk_dev *dev, struct uringblk_tdefer *d)
{
	struct uringblk_timing *tm = dev->timing;
	unsigned long flags;
	bool ok = true;

	if (!tm->cfg.compute_units)
		return true;
	spin_lock_irqsave(&tm->lock, flags);
	if (tm->cu_free && !tm->draining) {
		tm->cu_free--;
		d->cu_held = true;
		d->granted = ktime_get_ns();
	} else if (!tm->draining) {
		ok = false;
	}
	spin_unlock_irqrestore(&tm->lock, flags);
	return ok;
}

/**
 * uringblk_timing_cu_wait() - queue a run for a compute unit
 * @dev:	the drive
 * @d:		the run, ready to be started by @d->start from any context;
 *		with @d->task, its submitter, whose end also starts it
 *		(tm_cu_watch())
 *
 * A unit freed since uringblk_timing_cu_get() is taken at once.
 * Does not sleep.  Return: true if the run may start now (the caller
 * starts it); false if @d->start will be called when a unit is handed to
 * it, in arrival order.
 */
bool uringblk_timing_cu_wait(struct uringblk_dev *dev, struct uringblk_tdefer *d)
{
	struct uringblk_timing *tm = dev->timing;
	unsigned long flags;
	bool ok = true;

	spin_lock_irqsave(&tm->lock, flags);
	if (tm->draining) {
		/* no unit: the run stops at once (the drive is going) */
	} else if (tm->cu_free) {
		tm->cu_free--;
		d->cu_held = true;
		d->granted = ktime_get_ns();
	} else {
		list_add_tail(&d->node, &tm->cu_queue);
		this_cpu_inc(dev->stats->timing_cu_waits);
		if (d->task)
			queue_delayed_work(system_wq, &tm->cu_watch,
					   nsecs_to_jiffies(TM_WATCH_NS));
		ok = false;
	}
	spin_unlock_irqrestore(&tm->lock, flags);
	return ok;
}

/**
 * uringblk_timing_run_end() - a run ended and its reply is written
 * @dev:	the drive
 * @d:		the run
 * @run_ns:	its measured run time
 * @media_bytes: bytes it read from the media (an EXEC's bytes_scanned)
 * @reply_bytes: bytes of its reply (result struct and output)
 *
 * The run's modelled end: from its arrival plus the firmware overhead (or
 * from when it got its unit, if later), its measured time scaled by
 * compute_factor_pct while it held a unit (with an SSD model, on one of
 * its controller's cores: uringblk_ssd_run()), and no earlier than the media
 * could deliver @media_bytes (with an SSD model, @d->media's reads); then
 * its reply crosses the link.
 * Does not sleep.
 * Return: true if @d->fire will complete it; false if the caller does,
 * now.  The unit is released either way.
 */
bool uringblk_timing_run_end(struct uringblk_dev *dev, struct uringblk_tdefer *d,
			     u64 run_ns, u64 media_bytes, u64 reply_bytes)
{
	struct uringblk_timing *tm = dev->timing;
	const struct uringblk_timing_cfg *c = &tm->cfg;
	u64 t = max(d->arrive + c->fw_overhead_ns, d->granted), end, model = run_ns;

	if (d->cu_held) {
		model = div_u64(run_ns * c->compute_factor_pct, 100);
		this_cpu_add(dev->stats->timing_cu_run_ns, run_ns);
		this_cpu_add(dev->stats->timing_cu_model_ns, model);
	}
	/* with an SSD model, on its controller's cores beside the FTL */
	end = tm->ssd ? uringblk_ssd_run(tm, t, model) : t + model;
	if (tm->ssd && d->media)
		end = max(end, d->media(d, t));
	else if (media_bytes)
		end = max(end, tm_media(dev, t + c->media_read_lat_ns, media_bytes,
					c->media_read_mbps));
	d->cu_end = end;
	d->deadline = tm_link(dev, &tm->link_to_host, end, reply_bytes) + c->link_lat_ns;
	return tm_defer(dev, d);
}

/* ---- the drive ---- */

/**
 * uringblk_timing_dev_init() - the model of a drive being created
 * @dev:	the drive; dev->cfg.timing validated
 *
 * Before its queues start: requests test dev->timing.  May sleep.
 * Return: 0 or -ENOMEM.
 */
int uringblk_timing_dev_init(struct uringblk_dev *dev)
{
	struct uringblk_timing *tm;

	if (!uringblk_timing_cfg_timed(&dev->cfg))
		return 0;
	tm = kzalloc(sizeof(*tm), GFP_KERNEL);
	if (!tm)
		return -ENOMEM;
	tm->cfg = dev->cfg.timing;
	spin_lock_init(&tm->lock);
	INIT_LIST_HEAD(&tm->cu_queue);
	INIT_DELAYED_WORK(&tm->cu_watch, tm_cu_watch);
	INIT_LIST_HEAD(&tm->pending);
	tm->cu_free = tm->cfg.compute_units;
	spin_lock_init(&tm->ssd_lock);
	/* the SSD model itself once the capacity is known: uringblk_ssd_dev_init() */
	tm->io_timed = ssd_cfg_on(&dev->cfg.ssd) ||
		       (uringblk_timing_cfg_on(&tm->cfg) &&
			(tm->cfg.link_mbps || tm->cfg.link_lat_ns ||
			 tm->cfg.media_read_mbps || tm->cfg.media_write_mbps ||
			 tm->cfg.media_read_lat_ns || tm->cfg.media_write_lat_ns ||
			 tm->cfg.fw_overhead_ns));
	dev->timing = tm;
	static_branch_inc(&uringblk_timing_used);
	return 0;
}

/**
 * uringblk_timing_drain() - complete everything that waits, at once
 * @dev:	the drive, being removed: no command can start any more
 *
 * Before del_gendisk(), so that draining the queues does not wait for
 * modelled time.  Operations that arrive or end afterwards do not wait
 * either.  May sleep.
 */
void uringblk_timing_drain(struct uringblk_dev *dev)
{
	struct uringblk_timing *tm = dev->timing;
	struct uringblk_tdefer *d, *n;
	LIST_HEAD(fire);
	LIST_HEAD(start);

	if (!tm)
		return;
	spin_lock_irq(&tm->lock);
	WRITE_ONCE(tm->draining, true);
	/* A timer whose callback runs now completes its command itself. */
	list_for_each_entry_safe(d, n, &tm->pending, node)
		if (hrtimer_try_to_cancel(&d->timer) == 1)
			list_move_tail(&d->node, &fire);
	list_splice_init(&tm->cu_queue, &start);
	spin_unlock_irq(&tm->lock);
	/* Nothing queues any more, so the watch does not come back. */
	cancel_delayed_work_sync(&tm->cu_watch);
	/* Pairs with uringblk_timing_rq_hold(). */
	smp_mb();
	blk_mq_tagset_busy_iter(&dev->tag_set, tm_rq_hurry_iter, dev);

	list_for_each_entry_safe(d, n, &start, node) {
		list_del_init(&d->node);
		d->start(d);
	}
	list_for_each_entry_safe(d, n, &fire, node) {
		list_del_init(&d->node);
		d->cu_held = false;
		this_cpu_inc(dev->stats->timing_hurried);
		d->fire(d);
	}
}

/* After del_gendisk(): no request tests dev->timing any more.  May sleep. */
void uringblk_timing_dev_exit(struct uringblk_dev *dev)
{
	if (dev->timing)
		static_branch_dec(&uringblk_timing_used);
}

/*
 * When the last reference goes: commands waiting on their timer hold one,
 * so none is left.
 */
void uringblk_timing_free(struct uringblk_dev *dev)
{
	if (dev->timing)
		uringblk_ssd_free(dev->timing);
	kfree(dev->timing);
	dev->timing = NULL;
}
