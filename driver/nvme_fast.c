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
 * is mem.c's own, uringblk_fast_io() on a bio that lives on the stack
 * and is never submitted, so its RCU rules against a racing discard are
 * the block path's; dev->lock held for read with removing clear around
 * it, as the drive's commands hold it, so removal waits for the copy
 * before it frees the store; the driver's counters (in_flight, read/write
 * ops and bytes, bytes_to_host, fua_ops) and latency histograms, FUA's
 * flush, and the block layer's iostats while queue/iostats is on.
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/uio.h>

#include "nvme.h"
#include "stats.h"
#include "uringblk.h"
#include "bio.h"

/* The largest transfer taken here, in pages of the client's buffer: 64 KiB. */
#define URINGBLK_NVME_FAST_PAGES	16

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
