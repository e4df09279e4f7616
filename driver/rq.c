// SPDX-License-Identifier: GPL-2.0
/*
 * The request path: the blk-mq queue operations of every drive.
 * queue_rq (fault.c may fail or delay a request first) ->
 * uringblk_execute() -> for a zoned drive, once, the zoned layer
 * (zoned.c), which hands plain requests back to uringblk_process_rq() ->
 * the backend ops table (mem.c, file.c).  Every READ asks the read policy
 * (fault.c) first.  A request runs in queue_rq when the backend can do it
 * without sleeping, else on the device's workqueue; a poll queue's
 * requests wait for ->poll(); the timing model (timing.c) may hold one to
 * its deadline.  The device's lifetime is main.c's.
 */
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/highmem.h>
#include <linux/slab.h>

#include "stats.h"
#include "uringblk.h"
#include "bio.h"

/*
 * uringblk_copy() - copy between a buffer and the backend, a page at a time
 * (both queue modes: bio.c too)
 * @dev: the device
 * @buf: @len bytes
 * @pos: device byte offset (the caller checks bounds)
 * @len: bytes
 * @write: to the device (else from it)
 * @gfp: for the backend's write; sleeps only if it allows
 *
 * Cut so that no backend call crosses a PAGE_SIZE boundary of the device
 * address space, as struct uringblk_backend_ops requires.
 * Return: 0 or the backend's -errno.
 */
int uringblk_copy(struct uringblk_dev *dev, void *buf, u64 pos, size_t len,
		  bool write, gfp_t gfp)
{
	u8 *p = buf;

	while (len) {
		u32 chunk = min_t(size_t, len, PAGE_SIZE - offset_in_page(pos));
		int ret = write ? dev->ops->write(dev, p, pos, chunk, gfp)
				: dev->ops->read(dev, p, pos, chunk);

		if (ret)
			return ret;
		p += chunk;
		pos += chunk;
		len -= chunk;
	}
	return 0;
}

/*
 * Move the data of a read or write, one host page (bio_vec) at a time.
 * Sleeps only if @gfp allows it.
 */
static int uringblk_transfer(struct uringblk_dev *dev, struct request *rq,
			     u64 pos, gfp_t gfp)
{
	const bool write = op_is_write(req_op(rq));
	struct req_iterator iter;
	struct bio_vec bv;
	int ret = 0;

	if (dev->ops->transfer)
		return dev->ops->transfer(dev, rq, pos, write);
	if (dev->ops == &uringblk_mem_ops) {
		struct bio *bio;

		/* mem.c walks each bio's pages with one lookup state */
		__rq_for_each_bio(bio, rq) {
			ret = uringblk_mem_rw_bio(dev, bio, pos, write, gfp);
			if (ret)
				return ret;
			pos += bio->bi_iter.bi_size;
		}
		return 0;
	}
	rq_for_each_segment(bv, rq, iter) {
		u8 *buf = bvec_kmap_local(&bv);

		ret = uringblk_copy(dev, buf, pos, bv.bv_len, write, gfp);
		kunmap_local(buf);
		if (ret)
			return ret;
		pos += bv.bv_len;
		if (!write)
			flush_dcache_page(bv.bv_page);
	}
	return 0;
}

/**
 * uringblk_store() - store the data of a write at @pos
 * @dev: the device
 * @d: the data: a request's pages or a kernel buffer
 * @pos: device byte offset (bounds checked by the caller)
 * @gfp: as for uringblk_transfer()
 *
 * The zone write core (zoned.c) stores through this too.
 * Return: 0 or -errno; -EAGAIN when @gfp may not sleep and would have to.
 */
int uringblk_store(struct uringblk_dev *dev, const struct uringblk_wdata *d,
		   u64 pos, gfp_t gfp)
{
	if (d->rq)
		return uringblk_transfer(dev, d->rq, pos, gfp);
	return uringblk_copy(dev, (void *)d->buf, pos, d->len, true, gfp);
}

static struct uringblk_rq *to_urq(struct request *rq)
{
	return blk_mq_rq_to_pdu(rq);
}

/* A READ of [@pos, @pos + @len): the read policy, then the data. */
static int uringblk_read_rq(struct uringblk_dev *dev, struct request *rq,
			    u64 pos, u64 len, gfp_t gfp)
{
	for (u64 off = 0; off < len; ) {
		s64 n = uringblk_read_check(dev, &to_urq(rq)->reader, pos + off,
					    len - off);

		if (n < 0)
			return n;
		off += n;
	}
	return uringblk_transfer(dev, rq, pos, gfp);
}

/**
 * uringblk_process_rq() - execute a request of the plain (not zoned) kind
 * @dev: the device
 * @rq: the request, inside the device (uringblk_execute() checked)
 * @gfp: GFP_NOWAIT in queue_rq (atomic), GFP_NOIO on the workqueue
 *
 * Everything a drive without zones does, and what the zoned layer hands
 * back: reads, writes to conventional zones.  Zone operations and appends
 * are refused here: only the zoned layer has them.
 * Return: 0 or -errno, -EAGAIN meaning "retry where @gfp may sleep".
 */
int uringblk_process_rq(struct uringblk_dev *dev, struct request *rq, gfp_t gfp)
{
	u64 pos = blk_rq_pos(rq) << SECTOR_SHIFT;
	u64 len = blk_rq_bytes(rq);
	int ret;

	switch (req_op(rq)) {
	case REQ_OP_FLUSH:
		return dev->ops->flush(dev);
	case REQ_OP_READ:
		return uringblk_read_rq(dev, rq, pos, len, gfp);
	case REQ_OP_WRITE:
		ret = uringblk_transfer(dev, rq, pos, gfp);
		if (!ret && (rq->cmd_flags & REQ_FUA))
			ret = dev->ops->flush(dev);
		return ret;
	case REQ_OP_DISCARD:
	case REQ_OP_WRITE_ZEROES:
		return dev->ops->discard(dev, pos, len);
	default:	/* zone operations, zone append: not without zones */
		return -EOPNOTSUPP;
	}
}

/*
 * Execute one request against the backend; returns 0 or -errno, -EAGAIN
 * meaning "retry where @gfp may sleep".  A write that fails half way is
 * simply executed again in full: rewriting the same data is harmless.
 */
static int uringblk_execute(struct uringblk_dev *dev, struct request *rq,
			    gfp_t gfp)
{
	u64 pos = blk_rq_pos(rq) << SECTOR_SHIFT;
	u64 len = blk_rq_bytes(rq);

	/*
	 * The block layer checks bounds too; never trust it with memory.  A
	 * flush has no range: blk-mq sets its position to -1.
	 */
	if (req_op(rq) != REQ_OP_FLUSH &&
	    (pos > dev->cfg.capacity || len > dev->cfg.capacity - pos))
		return -EIO;
	/* The one way into zones: the zoned layer takes all of it (zoned.c). */
	if (dev->zoned)
		return uringblk_zone_rq(dev, rq, gfp);
	return uringblk_process_rq(dev, rq, gfp);
}

/*
 * Count a request and end it.  One a removal ends (BLK_STS_OFFLINE) is
 * expected, not an I/O error for the kernel log.  Does not sleep; any
 * context (timing.c's timers).
 */
void uringblk_end_rq(struct uringblk_dev *dev, struct request *rq,
		     blk_status_t sts)
{
	if (sts == BLK_STS_OFFLINE)
		rq->rq_flags |= RQF_QUIET;
	uringblk_stats_account(dev, rq, sts);
	blk_mq_end_request(rq, sts);
}

/*
 * A request has been executed.  Default-queue requests end now; poll-queue
 * requests are parked until ->poll() reaps them, so that an IOPOLL
 * submitter really polls.  Does not sleep.
 */
static void uringblk_finish_rq(struct request *rq, blk_status_t sts)
{
	struct blk_mq_hw_ctx *hctx = rq->mq_hctx;
	struct uringblk_queue *q = hctx->driver_data;
	struct uringblk_dev *dev = hctx->queue->queuedata;

	/* The timing model may hold it until its deadline (timing.c). */
	if (uringblk_timing_on(dev) &&
	    uringblk_timing_rq_hold(dev, rq, &sts, hctx->type == HCTX_TYPE_POLL))
		return;
	if (hctx->type != HCTX_TYPE_POLL) {
		uringblk_end_rq(dev, rq, sts);
		return;
	}
	to_urq(rq)->status = sts;
	spin_lock(&q->poll_lock);
	list_add_tail(&rq->queuelist, &q->poll_list);
	spin_unlock(&q->poll_lock);
}

/* Workqueue side: requests that may sleep.  Process context. */
static void uringblk_rq_work(struct work_struct *work)
{
	struct request *rq = blk_mq_rq_from_pdu(container_of(work, struct uringblk_rq, work));
	struct uringblk_dev *dev = rq->q->queuedata;
	int ret = 0;

	/* A removal ends the delay: the request ends -ENODEV, unexecuted. */
	if (unlikely(to_urq(rq)->fault_delay_us))
		ret = uringblk_fault_delay(rq);
	if (!ret)
		ret = uringblk_execute(dev, rq, GFP_NOIO);
	uringblk_finish_rq(rq, errno_to_blk_status(ret));
}

/*
 * Requests run synchronously in the submitter's context whenever the
 * backend can do them without sleeping: that is what makes a memory drive
 * fast.  The rest go to the device's workqueue.  Atomic context.
 */
static blk_status_t uringblk_queue_rq(struct blk_mq_hw_ctx *hctx,
				      const struct blk_mq_queue_data *bd)
{
	struct uringblk_dev *dev = hctx->queue->queuedata;
	struct request *rq = bd->rq;

	blk_mq_start_request(rq);
	uringblk_stats_start(dev, rq);
	to_urq(rq)->reader = (struct uringblk_reader) {};	/* no fault chosen */
	/* Its modelled deadline, while the timing model is on. */
	if (uringblk_timing_on(dev))
		uringblk_timing_rq_start(dev, rq);

	/* Fault injection costs one pointer test while it is off. */
	if (unlikely(rcu_access_pointer(dev->fault))) {
		int ret = uringblk_fault_rq(dev, rq);

		if (ret < 0) {
			uringblk_finish_rq(rq, errno_to_blk_status(ret));
			return BLK_STS_OK;
		}
		if (ret > 0)	/* delayed: it sleeps on the workqueue */
			goto queue;
	}
	if (dev->inline_ops & URINGBLK_OP_BIT(req_op(rq))) {
		int ret = uringblk_execute(dev, rq, GFP_NOWAIT);

		if (ret != -EAGAIN) {
			uringblk_finish_rq(rq, errno_to_blk_status(ret));
			return BLK_STS_OK;
		}
	}
queue:
	queue_work(dev->wq, &to_urq(rq)->work);
	return BLK_STS_OK;
}

/*
 * A plug's whole batch (io_uring submitting several SQEs in one call, a
 * plugged writeback) at once, each request as queue_rq takes it, instead
 * of blk-mq issuing them one by one (blk_mq_plug_issue_direct()).  blk-mq
 * calls this only without a scheduler and without shared tags, so every
 * request already owns its driver tag; publish it as
 * blk_mq_get_driver_tag() would, for the tag iterators (timeouts, the
 * timing model's hurry).  queue_rq never refuses, so nothing is left on
 * the list.  Atomic context, under blk-mq's dispatch RCU.
 */
static void uringblk_queue_rqs(uringblk_rq_list *rqlist)
{
	struct request *rq;

	while ((rq = rq_list_pop(rqlist))) {
		struct blk_mq_queue_data bd = {
			.rq = rq,
			.last = uringblk_rq_list_empty(rqlist),
		};

		rq->mq_hctx->tags->rqs[rq->tag] = rq;
		uringblk_queue_rq(rq->mq_hctx, &bd);
	}
}

static int uringblk_poll(struct blk_mq_hw_ctx *hctx, struct io_comp_batch *iob)
{
	struct uringblk_dev *dev = hctx->queue->queuedata;
	struct uringblk_queue *q = hctx->driver_data;
	struct request *rq, *next;
	LIST_HEAD(done);
	int nr = 0;

	spin_lock(&q->poll_lock);
	if (uringblk_timing_on(dev)) {
		u64 now = ktime_get_ns();

		/* Only those whose modelled deadline has come (timing.c). */
		list_for_each_entry_safe(rq, next, &q->poll_list, queuelist)
			if (uringblk_timing_rq_due(dev, rq, now))
				list_move_tail(&rq->queuelist, &done);
	} else {
		list_splice_init(&q->poll_list, &done);
	}
	/* Claim them under the lock so the timeout handler leaves them alone. */
	list_for_each_entry(rq, &done, queuelist)
		blk_mq_set_request_complete(rq);
	spin_unlock(&q->poll_lock);

	list_for_each_entry_safe(rq, next, &done, queuelist) {
		blk_status_t sts = to_urq(rq)->status;

		list_del_init(&rq->queuelist);
		uringblk_stats_account(dev, rq, sts);
		if (!blk_mq_add_to_batch(rq, iob, sts != BLK_STS_OK,
					 blk_mq_end_request_batch))
			blk_mq_end_request(rq, sts);
		nr++;
	}
	return nr;
}

/*
 * Only a parked poll-queue request can time out (its owner stopped
 * polling).  Anything else is still executing (in queue_rq or the
 * workqueue) and will complete by itself.
 */
static enum blk_eh_timer_return uringblk_timeout(struct request *rq)
{
	struct blk_mq_hw_ctx *hctx = rq->mq_hctx;
	struct uringblk_queue *q = hctx->driver_data;
	bool parked;

	if (hctx->type != HCTX_TYPE_POLL)
		return BLK_EH_RESET_TIMER;

	spin_lock(&q->poll_lock);
	/* Completed: ->poll() claimed it and will end it. */
	parked = !blk_mq_request_completed(rq) && !list_empty(&rq->queuelist);
	if (parked)
		list_del_init(&rq->queuelist);
	spin_unlock(&q->poll_lock);
	if (!parked)
		return blk_mq_request_completed(rq) ? BLK_EH_DONE : BLK_EH_RESET_TIMER;

	uringblk_end_rq(hctx->queue->queuedata, rq,
			to_urq(rq)->status);
	return BLK_EH_DONE;
}

static int uringblk_init_request(struct blk_mq_tag_set *set, struct request *rq,
				 unsigned int hctx_idx, unsigned int numa_node)
{
	INIT_WORK(&to_urq(rq)->work, uringblk_rq_work);
	uringblk_timing_rq_init(rq);
	return 0;
}

static void uringblk_exit_request(struct blk_mq_tag_set *set, struct request *rq,
				  unsigned int hctx_idx)
{
	uringblk_timing_rq_exit(rq);
}

static int uringblk_init_hctx(struct blk_mq_hw_ctx *hctx, void *data,
			      unsigned int hctx_idx)
{
	struct uringblk_dev *dev = data;

	hctx->driver_data = &dev->queues[hctx_idx];
	return 0;
}

static void uringblk_map_queues(struct blk_mq_tag_set *set)
{
	struct uringblk_dev *dev = set->driver_data;
	unsigned int i, qoff = 0;

	for (i = 0; i < set->nr_maps; i++) {
		struct blk_mq_queue_map *map = &set->map[i];

		switch (i) {
		case HCTX_TYPE_DEFAULT:
			map->nr_queues = dev->cfg.nr_hw_queues;
			break;
		case HCTX_TYPE_POLL:
			map->nr_queues = dev->cfg.nr_poll_queues;
			break;
		default:	/* HCTX_TYPE_READ: reads share the default queues */
			map->nr_queues = 0;
			continue;
		}
		map->queue_offset = qoff;
		qoff += map->nr_queues;
		uringblk_map_queues_cpus(map);	/* compat.h */
	}
}

static const struct blk_mq_ops uringblk_mq_ops = {
	.queue_rq	= uringblk_queue_rq,
	.queue_rqs	= uringblk_queue_rqs,
	.poll		= uringblk_poll,
	.timeout	= uringblk_timeout,
	.init_hctx	= uringblk_init_hctx,
	.init_request	= uringblk_init_request,
	.exit_request	= uringblk_exit_request,
	.map_queues	= uringblk_map_queues,
};

/**
 * uringblk_init_tag_set() - the blk-mq tag set of a new device, and its queues
 * @dev: the device, its configuration final
 *
 * May sleep.  Return: 0 or -errno (the caller frees dev->queues).
 */
int uringblk_init_tag_set(struct uringblk_dev *dev)
{
	struct blk_mq_tag_set *set = &dev->tag_set;
	unsigned int nr_queues = dev->cfg.nr_hw_queues + dev->cfg.nr_poll_queues;

	dev->queues = kcalloc(nr_queues, sizeof(*dev->queues), GFP_KERNEL);
	if (!dev->queues)
		return -ENOMEM;
	for (unsigned int i = 0; i < nr_queues; i++) {
		spin_lock_init(&dev->queues[i].poll_lock);
		INIT_LIST_HEAD(&dev->queues[i].poll_list);
	}

	set->ops = &uringblk_mq_ops;
	set->nr_hw_queues = nr_queues;
	/* Poll queues need the POLL map, which comes after DEFAULT and READ. */
	set->nr_maps = dev->cfg.nr_poll_queues ? HCTX_MAX_TYPES : 1;
	set->queue_depth = dev->cfg.queue_depth;
	set->numa_node = NUMA_NO_NODE;
	set->cmd_size = sizeof(struct uringblk_rq);
	/*
	 * Not BLK_MQ_F_BLOCKING: on 6.1 that forces every queue run through
	 * kblockd and SRCU; sleeping work goes to dev->wq instead.
	 */
	set->flags = BLK_MQ_F_SHOULD_MERGE;
	set->driver_data = dev;

	return blk_mq_alloc_tag_set(set);
}
