// SPDX-License-Identifier: GPL-2.0
/*
 * The NVMe front end's fast path: a passthrough Read (02h) or Write (01h)
 * of a memory drive moves its data between the client's pages and the
 * drive's page store here, in the command's issue, without a bio on the
 * drive's disk: no bio allocation, no blk-mq request or tag, no
 * completion through task work.  Real NVMe passthrough skips the bio
 * layer too; the kernel's driver sends its own request straight to the
 * device's queue (Documentation/dev/nvme-passthrough.md, "The fast path").
 *
 * It takes only what nothing but the data copy would touch on the bio
 * path (uringblk_nvme_fast_ok()): the memory backend, not zoned (a zone's
 * write pointer and condition are the zoned layer's, a request's state
 * machine), the timing model off (it holds requests to their deadlines),
 * fault injection not armed (its choice is a request's), a plain buffer
 * (not a vectored command: those keep the bio path, bounces and all) that
 * is 512-byte aligned (else the bio path bounces it) and at most
 * URINGBLK_NVME_FAST_PAGES pages.  Everything else, and anything that goes
 * wrong on the way (a buffer that cannot be pinned, dev->lock taken by a
 * removal, a page the store cannot allocate without sleeping), takes the
 * bio path, which answers as it always has: the fast path never answers
 * an error of its own, so every status and errno stays the bio path's.
 *
 * What it keeps of the bio path: the client's pages pinned as direct I/O
 * pins them, before anything moves (a buffer with a hole changes nothing
 * on the drive), outside dev->lock (a fault may take mmap_lock); the copy
 * is mem.c's own, uringblk_mem_rw_bio() on a bio that lives on the stack
 * and is never submitted, so its RCU rules against a racing discard are
 * the block path's; dev->lock held for read with removing clear around
 * it, as the drive's commands hold it, so removal waits for the copy
 * before it frees the store; the driver's counters (in_flight, read/write
 * ops and bytes, bytes_to_host, fua_ops) and latency histograms, FUA's
 * flush, and the block layer's iostats while queue/iostats is on.
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/uio.h>

#include "nvme.h"
#include "uringblk.h"
#include "bio.h"

/* The largest transfer taken here, in pages of the client's buffer: 64 KiB. */
#define URINGBLK_NVME_FAST_PAGES	16

/*
 * A switch for measuring and testing (Documentation/admin/block-device.md):
 * 0 sends every Read and Write, and a KV drive's media I/O (kv_ns.c),
 * through the bio path, as before the fast path existed.  Read at each
 * transfer.
 */
static bool nvme_fast = true;
module_param(nvme_fast, bool, 0644);
MODULE_PARM_DESC(nvme_fast, "NVMe passthrough Read/Write, and a KV drive's media I/O, of a memory drive skip the block layer (default 1)");

/**
 * uringblk_fast_media_ok() - may the drive's data skip the block layer now?
 * @dev:	the drive, not zoned (a zone's state is the zoned layer's)
 *
 * The memory backend, with neither the timing model (it holds requests to
 * their deadlines) nor fault injection (its choice is a request's) on,
 * and the nvme_fast switch on: then the bio path would do nothing but
 * copy.  Read at each transfer.  Does not sleep.
 */
bool uringblk_fast_media_ok(struct uringblk_dev *dev)
{
	return READ_ONCE(nvme_fast) && dev->ops == &uringblk_mem_ops &&
	       !uringblk_timing_on(dev) && !rcu_access_pointer(dev->fault);
}

/**
 * uringblk_fast_io() - move @bio's pages at @pos, counted as the bio path counts
 * @dev:	the drive: uringblk_fast_media_ok(), dev->lock held for read
 *		with removing clear, or in the drive's own creation or removal
 *		(its store exists throughout)
 * @bio:	pages only, never submitted (on the caller's stack)
 * @opf:	REQ_OP_READ, or REQ_OP_WRITE with REQ_FUA or not
 * @pos:	device byte offset, its range checked by the caller
 * @len:	@bio's bytes
 * @gfp:	for the store's new pages
 *
 * The driver's counters (in_flight, ops and bytes, fua_ops) and latency
 * histograms, FUA's flush, and the block layer's iostats while
 * queue/iostats is on.  Return: 0, or the backend's -errno with nothing
 * counted (a write may be half done: the bio path may do it again).
 */
int uringblk_fast_io(struct uringblk_dev *dev, struct bio *bio, blk_opf_t opf,
		     u64 pos, u32 len, gfp_t gfp)
{
	const enum req_op op = opf & REQ_OP_MASK;
	unsigned long start_j = jiffies;
	struct gendisk *disk = dev->disk;
	u64 start_ns;
	int ret;

	this_cpu_inc(dev->stats->in_flight);
	start_ns = uringblk_lat_start(dev);
	ret = uringblk_mem_rw_bio(dev, bio, pos, op_is_write(opf), gfp);
	if (!ret && (opf & REQ_FUA))
		ret = dev->ops->flush(dev);
	if (ret) {
		this_cpu_dec(dev->stats->in_flight);
		return ret;
	}
	uringblk_stats_done(dev, op, len, !!(opf & REQ_FUA), BLK_STS_OK, start_ns);
	if (unlikely(blk_queue_io_stat(disk->queue)))
		uringblk_bdev_io_acct(disk->part0, op, len >> SECTOR_SHIFT, start_j);
	return 0;
}

/**
 * uringblk_fast_flush() - uringblk_fast_io() of a flush
 * @dev:	as uringblk_fast_io()'s
 *
 * Return: 0 or the backend's -errno, counted as the bio path counts it.
 */
int uringblk_fast_flush(struct uringblk_dev *dev)
{
	u64 start_ns;
	int ret;

	this_cpu_inc(dev->stats->in_flight);
	start_ns = uringblk_lat_start(dev);
	ret = dev->ops->flush(dev);
	uringblk_stats_done(dev, REQ_OP_FLUSH, 0, false, errno_to_blk_status(ret), start_ns);
	return ret;
}

/*
 * May a Read or Write of @dev take the fast path?  Only what the bio path
 * would do nothing for but copy: see the file's comment.  Does not sleep.
 */
static bool uringblk_nvme_fast_ok(struct uringblk_dev *dev, blk_opf_t opf,
				  struct iov_iter *iter, u32 len)
{
	/* Not ZNS (the zoned layer's, zoned_hooks.h), nor a KV namespace. */
	if (uringblk_nvme_csi(dev) != NVME_CSI_NVM || !uringblk_fast_media_ok(dev))
		return false;
	if (opf & REQ_PREFLUSH || !len)
		return false;
	if (!user_backed_iter(iter) && !iov_iter_is_bvec(iter))
		return false;
	/* Direct I/O's rule, as uringblk_nvme_data_bio(): else a bounce. */
	return !(iov_iter_alignment(iter) & (SECTOR_SIZE - 1));
}

/*
 * Pin the client's buffer into @bio, all of it or nothing: a registered
 * buffer's bvecs as they are (io_uring holds its pages), user memory
 * through get_user_pages as bio_iov_iter_get_pages() does.  May sleep to
 * fault the buffer in, as the bio path may.  Return: true if @bio holds
 * the whole of @len; false with nothing pinned and @iter unchanged.
 */
static bool uringblk_nvme_fast_pin(struct bio *bio, struct iov_iter *iter, u32 len)
{
	struct page *pages[URINGBLK_NVME_FAST_PAGES];
	size_t off, left;
	ssize_t got;
	int i;

	if (iov_iter_is_bvec(iter)) {
		/* As bio_iov_bvec_set(): the iterator's own array, no page refs. */
		bio->bi_io_vec = (struct bio_vec *)iter->bvec;
		bio->bi_vcnt = iter->nr_segs;
		bio->bi_iter.bi_bvec_done = iter->iov_offset;
		bio->bi_iter.bi_size = len;
		uringblk_bio_no_page_ref(bio);
		iov_iter_advance(iter, len);
		return true;
	}
	got = uringblk_bio_get_pages(bio, iter, pages, len, ARRAY_SIZE(pages), &off);
	if (got <= 0)
		return false;
	for (i = 0, left = got; left; i++) {
		u32 chunk = min_t(size_t, left, PAGE_SIZE - off);

		__bio_add_page(bio, pages[i], chunk, off);
		left -= chunk;
		off = 0;
	}
	if (got == len)
		return true;
	/* More pages than the fast path holds, or a hole: the bio path's. */
	iov_iter_revert(iter, got);
	bio_release_pages(bio, false);
	return false;
}

/**
 * uringblk_nvme_fast_rw() - a Read or Write without the block layer
 * @dev:	the drive
 * @opf:	REQ_OP_READ, or REQ_OP_WRITE with REQ_FUA or not
 * @pos:	device byte offset, its range checked by the caller
 * @len:	bytes, exactly @iter's
 * @iter:	the client's buffer (uringblk_nvme_map()), not vectored
 * @nowait:	a non-blocking issue: neither wait for dev->lock nor sleep to
 *		allocate a page of the store
 *
 * Process context; may sleep to fault the buffer in (not holding dev->lock).
 * Return: true if done and counted: the command's status is success; false
 * if the bio path must do it (@iter unchanged, nothing counted).
 */
bool uringblk_nvme_fast_rw(struct uringblk_dev *dev, blk_opf_t opf, u64 pos,
			   u32 len, struct iov_iter *iter, bool nowait)
{
	struct bio_vec vecs[URINGBLK_NVME_FAST_PAGES];
	const bool write = op_is_write(opf);
	struct bio bio;

	if (!uringblk_nvme_fast_ok(dev, opf, iter, len))
		return false;
	bio_init(&bio, NULL, vecs, ARRAY_SIZE(vecs), opf);
	if (!uringblk_nvme_fast_pin(&bio, iter, len))
		goto fallback;
	if (!nowait)
		down_read(&dev->lock);
	else if (!down_read_trylock(&dev->lock))
		goto unpin;
	if (READ_ONCE(dev->removing)) {
		up_read(&dev->lock);
		goto unpin;
	}
	if (uringblk_fast_io(dev, &bio, opf, pos, len, nowait ? GFP_NOWAIT : GFP_NOIO)) {
		/*
		 * -EAGAIN without sleeping, or no memory: the bio path does
		 * it again in full (a write half done is harmless to redo) and
		 * answers what it answers.
		 */
		up_read(&dev->lock);
		goto unpin;
	}
	this_cpu_inc(dev->stats->nvme_fast);
	up_read(&dev->lock);
	/* A read's pages dirtied, as the bio path releases them. */
	bio_release_pages(&bio, !write);
	bio_uninit(&bio);
	return true;
unpin:
	iov_iter_revert(iter, len);
	bio_release_pages(&bio, false);
fallback:
	bio_uninit(&bio);
	this_cpu_inc(dev->stats->nvme_fast_fallback);
	return false;
}

/**
 * uringblk_nvme_fast_show() - one drive's line of debugfs's nvme_fast
 * @dev:	the drive
 * @m:		the file
 *
 * Commands done here and commands that tried and went to the bio path,
 * summed over the CPUs; not reset by reset_stats.  Does not sleep.
 */
void uringblk_nvme_fast_show(struct uringblk_dev *dev, struct seq_file *m)
{
	u64 fast = 0, fallback = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct uringblk_pcpu_stats *s = per_cpu_ptr(dev->stats, cpu);

		fast += READ_ONCE(s->nvme_fast);
		fallback += READ_ONCE(s->nvme_fast_fallback);
	}
	seq_printf(m, "%s %llu %llu\n", dev->name, fast, fallback);
}
