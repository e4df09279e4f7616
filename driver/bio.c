// SPDX-License-Identifier: GPL-2.0
/*
 * The bio-based drive mode, queue_mode=bio: the drive's queue is made by
 * blk_alloc_disk(), not blk_mq_alloc_disk(), and every bio comes to
 * uringblk_submit_bio() in its submitter's context, as brd's do.  There is
 * no tag, no struct request to start, end and free, no hardware queue:
 * that is the whole difference in CPU per I/O against blk-mq
 * (tools/bench/issue31.md).
 *
 * What a bio drive does as a blk-mq drive does: the same backends through
 * the same per-page copy, the driver's counters and latency histograms,
 * flush and FUA (a bio-based queue gets them as REQ_PREFLUSH / REQ_FUA
 * flags on bios, not as REQ_OP_FLUSH requests: an empty REQ_PREFLUSH
 * write is the flush), discard and write-zeroes, fault injection (the
 * same choice as fault.c makes for a request), the read policy, and the
 * block layer's iostats when queue/iostats is on.  Work that may sleep
 * (the file backend, all of whose I/O sleeps and which must not submit
 * its own bios from inside ours; a memory write whose page allocation
 * would sleep under REQ_NOWAIT; an injected delay) runs on the device's
 * workqueue, holding a reference on the queue's usage counter so that
 * del_gendisk() waits for it as it waits for bios inside submit_bio.
 *
 * What a bio drive cannot do (built on struct request): zones, the timing
 * model, poll queues.  uringblk_queue_mode_validate() refuses them; the
 * default mode, auto, makes a drive that asks for one a blk-mq drive
 * (uringblk_queue_mode_auto()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/delay.h>
#include <linux/highmem.h>
#include <linux/slab.h>

#include "compat_internals.h"
#include "stats.h"
#include "uringblk.h"
#include "bio.h"

static const char *const uringblk_queue_modes[URINGBLK_QUEUE_NR] = {
	[URINGBLK_QUEUE_MQ]	= "mq",
	[URINGBLK_QUEUE_BIO]	= "bio",
	[URINGBLK_QUEUE_AUTO]	= "auto",
};

const char *uringblk_queue_mode_name(u32 mode)
{
	return mode < URINGBLK_QUEUE_NR ? uringblk_queue_modes[mode] : "?";
}

/*
 * "auto", "mq" or "bio" (a trailing newline is fine) -> URINGBLK_QUEUE_*, or
 * -EINVAL, saying why in the kernel log and @msg (may be NULL).
 */
int uringblk_queue_mode_parse(const char *name, struct uringblk_msg *msg)
{
	for (int i = 0; i < URINGBLK_QUEUE_NR; i++)
		if (sysfs_streq(name, uringblk_queue_modes[i]))
			return i;
	uringblk_msg(msg, "queue_mode=\"%.*s\": unknown queue mode (available: auto, mq, bio)",
		     (int)min_t(size_t, strcspn(name, "\n"), 32), name);
	return -EINVAL;
}

/*
 * uringblk_queue_mode_auto() - the mode queue_mode=auto gives @cfg
 * @cfg: the configuration (any queue_mode; only the rest is looked at)
 *
 * Bio-based (brd's path, the cheapest per I/O: tools/bench/issue31.md)
 * unless the drive needs blk-mq:
 *  - zones and the timing model are built on struct request;
 *  - poll queues (poll_queues > 0 given) and a queue geometry (nr_hw_queues
 *    or queue_depth given) describe blk-mq's queues, which a bio drive
 *    would ignore;
 *  - file backing: the blk-mq path hands the file a whole request's pages
 *    in one call with no copy (file.c, ufile_transfer()), the bio path goes
 *    a page at a time through a bounce page (ufile_bounce()), so a 128 KiB
 *    read would be 32 synchronous file reads instead of one.
 * Return: URINGBLK_QUEUE_MQ or URINGBLK_QUEUE_BIO.
 */
static u32 uringblk_queue_mode_auto(const struct uringblk_config *cfg)
{
	if (uringblk_zone_needs_mq(cfg) || uringblk_timing_cfg_timed(cfg) ||
	    cfg->backing == URINGBLK_BACKING_FILE)
		return URINGBLK_QUEUE_MQ;
	if (cfg->given & (URINGBLK_GIVEN_NR_HW_QUEUES | URINGBLK_GIVEN_QUEUE_DEPTH))
		return URINGBLK_QUEUE_MQ;
	if ((cfg->given & URINGBLK_GIVEN_POLL_QUEUES) && cfg->nr_poll_queues)
		return URINGBLK_QUEUE_MQ;
	return URINGBLK_QUEUE_BIO;
}

/**
 * uringblk_queue_mode_resolve() - the mode and poll queues a drive gets
 * @cfg: the device's own copy of its configuration; updated
 *
 * queue_mode=auto becomes mq or bio (uringblk_queue_mode_auto()); a bio
 * drive's poll queues are 0 unless they were given (then validation
 * refuses them, saying so).  Anything else is left for validation.
 */
void uringblk_queue_mode_resolve(struct uringblk_config *cfg)
{
	if (cfg->queue_mode == URINGBLK_QUEUE_AUTO)
		cfg->queue_mode = uringblk_queue_mode_auto(cfg);
	if (cfg->queue_mode == URINGBLK_QUEUE_BIO &&
	    !(cfg->given & URINGBLK_GIVEN_POLL_QUEUES))
		cfg->nr_poll_queues = 0;
}

/**
 * uringblk_queue_mode_validate() - refuse what a bio drive cannot do
 * @cfg: the configuration
 * @msg: why, naming the conflicting option
 *
 * The timing model (it holds requests to their deadlines on tags) and poll
 * queues (HCTX_TYPE_POLL) exist only in blk-mq; so do zones (the zoned
 * layer is a request's state machine), which uringblk_zone_validate()
 * refuses.  Each is -EINVAL, as any other bad combination of options.
 * Return: 0 or -EINVAL.
 */
int uringblk_queue_mode_validate(const struct uringblk_config *cfg,
				 struct uringblk_msg *msg)
{
	/* uringblk_queue_mode_resolve() leaves no AUTO behind */
	if (cfg->queue_mode >= URINGBLK_QUEUE_AUTO) {
		uringblk_msg(msg, "queue_mode=%u: unknown queue mode", cfg->queue_mode);
		return -EINVAL;
	}
	if (cfg->queue_mode != URINGBLK_QUEUE_BIO)
		return 0;
	/* zoned=1: uringblk_zone_validate() refuses it (the zoned layer's flag) */
	if (uringblk_timing_cfg_timed(cfg)) {
		uringblk_msg(msg, "queue_mode=bio with a timing model: the timing model needs queue_mode=mq (or timing=off and ssd=off)");
		return -EINVAL;
	}
	if (cfg->nr_poll_queues) {
		uringblk_msg(msg, "queue_mode=bio with poll_queues=%u: poll queues need queue_mode=mq (or poll_queues=0)",
			     cfg->nr_poll_queues);
		return -EINVAL;
	}
	return 0;
}

/* A bio on its way, when it has to go to the workqueue. */
struct uringblk_bio_work {
	struct work_struct	work;
	struct uringblk_dev	*dev;
	struct bio		*bio;
	struct uringblk_reader	rd;
	u64			start_ns;	/* the driver's latency, 0 = not timed */
	unsigned long		acct;		/* bio_start_io_acct(), 0 = iostats off */
	u32			delay_us;	/* fault.c's delay, slept first */
};

/* The empty REQ_PREFLUSH write is the flush of a bio-based queue. */
static enum req_op ubio_op(const struct bio *bio)
{
	if ((bio->bi_opf & REQ_PREFLUSH) && !bio->bi_iter.bi_size)
		return REQ_OP_FLUSH;
	return bio_op(bio);
}

/* Move a read's or write's data, one bio_vec at a time. */
static int ubio_transfer(struct uringblk_dev *dev, struct bio *bio, u64 pos,
			 bool write, gfp_t gfp)
{
	struct bvec_iter iter;
	struct bio_vec bv;
	int ret;

	if (dev->ops == &uringblk_mem_ops)	/* no per-page indirect call */
		return uringblk_mem_rw_bio(dev, bio, pos, write, gfp);
	bio_for_each_segment(bv, bio, iter) {
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

/*
 * Execute a bio against the backend: 0 or -errno, -EAGAIN meaning "retry
 * where @gfp may sleep" (a write half done is simply done again).
 */
static int ubio_execute(struct uringblk_dev *dev, struct bio *bio,
			const struct uringblk_reader *rd, gfp_t gfp)
{
	const enum req_op op = ubio_op(bio);
	u64 pos = bio->bi_iter.bi_sector << SECTOR_SHIFT;
	u64 len = bio->bi_iter.bi_size;
	int ret;

	if (op == REQ_OP_FLUSH)
		return dev->ops->flush(dev);
	/* The block layer checks bounds too; never trust it with memory. */
	if (pos > dev->cfg.capacity || len > dev->cfg.capacity - pos)
		return -EIO;
	switch (op) {
	case REQ_OP_READ:
		/* The read policy: only a chosen fault can fail a read here. */
		for (u64 off = 0; unlikely(rd->fault_end) && off < len; ) {
			s64 n = uringblk_read_check(dev, rd, pos + off, len - off);

			if (n < 0)
				return n;
			off += n;
		}
		return ubio_transfer(dev, bio, pos, false, gfp);
	case REQ_OP_WRITE:
		if (bio->bi_opf & REQ_PREFLUSH) {
			ret = dev->ops->flush(dev);
			if (ret)
				return ret;
		}
		ret = ubio_transfer(dev, bio, pos, true, gfp);
		if (!ret && (bio->bi_opf & REQ_FUA))
			ret = dev->ops->flush(dev);
		return ret;
	case REQ_OP_DISCARD:
	case REQ_OP_WRITE_ZEROES:
		return dev->ops->discard(dev, pos, len);
	default:
		return -EOPNOTSUPP;
	}
}

/*
 * When a bio's latency starts: when the block layer issued it.  With
 * CONFIG_BLK_CGROUP (Debian's) submit_bio_noacct_nocheck() has just read
 * ktime_get_ns() into bio->bi_issue for blk-iolatency and blk-throttle,
 * and that is the start uringblk_lat_start() would read again a few
 * hundred instructions later: one clock read per bio, not two.
 */
static __always_inline u64 ubio_lat_start(struct uringblk_dev *dev, struct bio *bio)
{
#ifdef CONFIG_BLK_CGROUP
	return READ_ONCE(dev->lat_enable) ?
	       uringblk_bio_issue_time(bio) | URINGBLK_LAT_TIMED : 0;
#else
	return uringblk_lat_start(dev);
#endif
}

/* Count a bio and end it.  Does not sleep. */
static void ubio_end(struct uringblk_dev *dev, struct bio *bio, int ret,
		     u64 start_ns, unsigned long acct)
{
	const enum req_op op = ubio_op(bio);
	blk_status_t sts = likely(!ret) ? BLK_STS_OK : errno_to_blk_status(ret);

	/* A write with a preflush was a flush too, as blk-mq splits it. */
	if (op == REQ_OP_WRITE && (bio->bi_opf & REQ_PREFLUSH) && !sts) {
		this_cpu_inc(dev->stats->in_flight);
		uringblk_stats_done(dev, REQ_OP_FLUSH, 0, false, sts, 0);
	}
	uringblk_stats_done(dev, op, bio->bi_iter.bi_size,
			    bio->bi_opf & REQ_FUA, sts, start_ns);
	if (acct)
		bio_end_io_acct(bio, acct);
	bio->bi_status = sts;
	bio_endio(bio);
}

/* Workqueue side: bios that may sleep.  Process context. */
static void ubio_work(struct work_struct *work)
{
	struct uringblk_bio_work *w = container_of(work, struct uringblk_bio_work, work);
	struct request_queue *q = w->bio->bi_bdev->bd_disk->queue;
	int ret = 0;

	/* A removal ends the delay: the bio ends -ENODEV, unexecuted. */
	if (unlikely(w->delay_us))
		ret = uringblk_fault_sleep(w->dev, w->delay_us);
	if (!ret)
		ret = ubio_execute(w->dev, w->bio, &w->rd, GFP_NOIO);
	ubio_end(w->dev, w->bio, ret, w->start_ns, w->acct);
	kfree(w);
	/* Taken in ubio_queue(): del_gendisk() may go on now. */
	uringblk_queue_release(q);
}

/*
 * Hand a bio to the workqueue.  Does not sleep under REQ_NOWAIT.
 * Return: false if no memory for it (the caller fails the bio).
 */
static bool ubio_queue(struct uringblk_dev *dev, struct bio *bio,
		       const struct uringblk_reader *rd, u32 delay_us,
		       u64 start_ns, unsigned long acct)
{
	struct uringblk_bio_work *w;

	w = kmalloc(sizeof(*w), bio->bi_opf & REQ_NOWAIT ? GFP_NOWAIT : GFP_NOIO);
	if (!w)
		return false;
	*w = (struct uringblk_bio_work) {
		.dev = dev, .bio = bio, .rd = *rd, .delay_us = delay_us,
		.start_ns = start_ns, .acct = acct,
	};
	INIT_WORK(&w->work, ubio_work);
	/*
	 * The submitter's reference (bio_queue_enter()) ends when we return;
	 * this one keeps del_gendisk() waiting until the work has ended the bio.
	 */
	uringblk_queue_hold(bio->bi_bdev->bd_disk->queue);
	queue_work(dev->wq, &w->work);
	return true;
}

/*
 * Every bio but the plain ones (ubio_plain()): fault injection, iostats,
 * flush and FUA, discard and write-zeroes, another backend, a write that
 * must sleep to allocate.  @start_ns: uringblk_submit_bio()'s; the bio is
 * counted in flight.  Out of line: the plain path stays short.
 */
static noinline void ubio_submit(struct uringblk_dev *dev, struct bio *bio,
				 u64 start_ns)
{
	const enum req_op op = ubio_op(bio);
	struct uringblk_reader rd = {};
	unsigned long acct = 0;
	u32 delay_us = 0;
	int ret;

	if (unlikely(blk_queue_io_stat(bio->bi_bdev->bd_disk->queue)))
		acct = bio_start_io_acct(bio);

	/* Fault injection costs one pointer test while it is off. */
	if (unlikely(rcu_access_pointer(dev->fault))) {
		ret = uringblk_fault_io(dev, op, bio->bi_iter.bi_sector,
					bio_sectors(bio), &rd, &delay_us);
		if (ret < 0)
			goto end;
		if (ret > 0)	/* delayed: it sleeps on the workqueue */
			goto queue;
	}
	if (dev->inline_ops & URINGBLK_OP_BIT(op)) {
		ret = ubio_execute(dev, bio,  &rd,
				   bio->bi_opf & REQ_NOWAIT ? GFP_NOWAIT : GFP_NOIO);
		if (ret != -EAGAIN)
			goto end;
	}
queue:
	if (ubio_queue(dev, bio, &rd, delay_us, start_ns, acct))
		return;
	if (bio->bi_opf & REQ_NOWAIT) {
		/* Not counted: the submitter retries it where it may sleep. */
		this_cpu_dec(dev->stats->in_flight);
		if (acct)
			bio_end_io_acct(bio, acct);
		bio_wouldblock_error(bio);
		return;
	}
	ret = -ENOMEM;
end:
	ubio_end(dev, bio, ret, start_ns, acct);
}

/*
 * A plain bio: a read or a write (REQ_OP_READ 0, REQ_OP_WRITE 1) with
 * neither a preflush nor FUA, to a memory drive (dev->mem_bio) with fault
 * injection and iostats off: the defaults, and every O_DIRECT read or write
 * fio or a file system sends.  A mask test and three loads decide it.
 */
static __always_inline bool ubio_plain(const struct uringblk_dev *dev,
				       const struct bio *bio)
{
	const blk_opf_t other = (REQ_OP_MASK & ~REQ_OP_WRITE) | REQ_PREFLUSH | REQ_FUA;

	/* the ops' numbers, not flags: hence the casts (blk_opf_t is restricted) */
	BUILD_BUG_ON((__force unsigned int)REQ_OP_READ != 0 ||
		     (__force unsigned int)REQ_OP_WRITE != 1);
	return !(bio->bi_opf & other) && dev->mem_bio &&
	       !rcu_access_pointer(dev->fault) &&
	       !blk_queue_io_stat(bio->bi_bdev->bd_disk->queue);
}

/**
 * uringblk_submit_bio() - the block_device_operations.submit_bio of a bio drive
 * @bio: a bio inside the device (the block layer checked; we check again)
 *
 * Runs in the submitter's context, inside the queue's usage counter.  A
 * plain read or write of a memory drive (ubio_plain()) is moved, counted
 * and ended here with nothing else looked at: that path is what the
 * drive's speed against brd is made of (tools/bench/issue31.md).  Anything
 * else goes to ubio_submit().  A bio the backend can do without sleeping
 * is done here and now; may sleep to allocate a page unless the bio is
 * REQ_NOWAIT, in which case the bio goes to the workqueue instead (io_uring
 * then need not retry it).
 */
void uringblk_submit_bio(struct bio *bio)
{
	struct uringblk_dev *dev = bio->bi_bdev->bd_disk->private_data;
	u64 start_ns;

	this_cpu_inc(dev->stats->in_flight);
	start_ns = ubio_lat_start(dev, bio);
	if (likely(ubio_plain(dev, bio))) {
		const bool write = op_is_write(bio_op(bio));
		u64 pos = bio->bi_iter.bi_sector << SECTOR_SHIFT;
		u32 len = bio->bi_iter.bi_size;
		int ret = -EIO;

		/* The block layer checks bounds too; never trust it with memory. */
		if (likely(pos <= dev->cfg.capacity && len <= dev->cfg.capacity - pos))
			ret = uringblk_mem_rw_bio(dev, bio, pos, write,
						  bio->bi_opf & REQ_NOWAIT ? GFP_NOWAIT : GFP_NOIO);
		if (likely(!ret)) {
			uringblk_stats_done(dev, write ? REQ_OP_WRITE : REQ_OP_READ,
					    len, false, BLK_STS_OK, start_ns);
			bio_endio(bio);
			return;
		}
		if (ret != -EAGAIN) {
			ubio_end(dev, bio, ret, start_ns, 0);
			return;
		}
		/* A first write that must sleep to allocate: the workqueue. */
	}
	ubio_submit(dev, bio, start_ns);
}
