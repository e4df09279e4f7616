// SPDX-License-Identifier: GPL-2.0
/*
 * The KV drive's side of the KV engine (kv_ns.h): its media over the
 * drive's own disk, the image formatted or opened when the drive is
 * created and closed when it is removed, the engine's locking, and the
 * bounce of values between a client's buffer and the engine.
 *
 * Media.  Every block the engine reads or writes is a bio on the drive's
 * disk (part0), waited for: the request path (rq.c) then applies fault
 * injection, the timing model, the counters and the backend as for any
 * other I/O, and a file-backed drive keeps the image in its file.  A
 * write of more than one block goes as two bios, the first half first:
 * a write that fault injection fails part-way is thus torn as a power cut
 * tears it, on a block boundary (the engine's one assumption is that a
 * single block is written whole or not at all).  Flush is an empty
 * REQ_PREFLUSH bio; a durable write (a Store's value and record) is a
 * REQ_FUA one.  When all the bio path would do is copy - a memory drive
 * with neither fault injection nor the timing model on, what NVMe Read
 * and Write take the fast path for (nvme_fast.c) - the blocks are copied
 * to or from the drive's store here instead, counted as the bio path
 * counts them, as a device's controller writes its own media without the
 * host's block layer: a 4 KiB Store is two media writes, and as bios they
 * cost more than the client's own FUA write of the value (nvme-kv.md).
 *
 * The hidden region (kv_nvm_mb): on an NVM drive with that option the
 * image is not on the disk, whose LBAs are the host's, but in the region
 * the backend keeps after them (its metadata area, struct
 * uringblk_backend_ops), which the block layer cannot reach: the engine's
 * blocks go to the backend's meta_read/meta_write directly and its flush
 * is the backend's.  None of the request path applies to them (fault
 * injection, power cuts, the timing model, the read/write counters), and
 * values are bounced, never read straight into a client's pages.
 *
 * The image: at creation an image that opens (kv_open()) is kept, its
 * index rebuilt from its journal; media with no valid superblock is
 * formatted (kv_format(): one key per 8 blocks, values up to 64 MiB or
 * the data area); a corrupt image or one of another block size is refused
 * with the reason, so that a mistake never formats over objects.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "cmd_mem.h"
#include "kv_ns.h"
#include "uringblk.h"

/* Retrieve buffers up to this are bounced whole, without a size lookup. */
#define URINGBLK_KV_SMALL_BOUNCE	(SZ_64K)
/* The pages of a Retrieve read straight into the client's buffer, at most */
#define URINGBLK_KV_DIRECT_PAGES	(URINGBLK_KV_SMALL_BOUNCE / PAGE_SIZE + 1)
/* The most one media bio carries: well under any queue's limit. */
#define URINGBLK_KV_BIO_MAX	(SZ_256K)

/*
 * A bio for @nr pages: on the stack (@onstack, with @vecs) when they fit,
 * as a small O_DIRECT transfer's is (no bio set round trip), else from
 * the bio set.  No disk yet: uringblk_kv_bio_run() sets it if it submits.
 */
static struct bio *uringblk_kv_bio_get(struct bio *onstack, struct bio_vec *vecs,
				       u32 nr, blk_opf_t opf)
{
	if (nr <= URINGBLK_KV_DIRECT_PAGES) {
		bio_init(onstack, NULL, vecs, nr, opf);
		return onstack;
	}
	return bio_alloc(NULL, nr, opf, GFP_NOIO);
}

/*
 * @bio's pages to or from the drive at byte @pos: copied by the fast path
 * when it may (the file comment: the bio is then only a list of pages,
 * never submitted), else submitted on the drive's disk and waited for.
 * Then @bio is released.  Return: 0 or -errno (-EIO as the request's).
 */
static int uringblk_kv_bio_run(struct uringblk_dev *dev, struct bio *bio,
			       struct bio *onstack, u64 pos)
{
	int ret = 0;

	/* the fast path leaves the bio as it was: the bio path may redo it */
	if (!uringblk_fast_media_ok(dev) ||
	    uringblk_fast_io(dev, bio, bio->bi_opf, pos, bio->bi_iter.bi_size, GFP_NOIO)) {
		bio_set_dev(bio, dev->disk->part0);
		bio->bi_iter.bi_sector = pos >> SECTOR_SHIFT;
		ret = submit_bio_wait(bio);
	}
	if (bio == onstack)
		bio_uninit(bio);
	else
		bio_put(bio);
	return ret;
}

/*
 * The kernel buffer [@buf, @buf + @len) (kmalloc'ed or vmalloc'ed) at
 * byte @pos, in one transfer (uringblk_kv_bio_run()).  Return: 0 or -errno.
 */
static int uringblk_kv_bio(struct uringblk_dev *dev, blk_opf_t opf, u64 pos,
			   void *buf, u32 len)
{
	struct bio_vec vecs[URINGBLK_KV_DIRECT_PAGES];
	u32 nr = DIV_ROUND_UP(offset_in_page(buf) + len, PAGE_SIZE);
	bool vm = is_vmalloc_addr(buf);
	struct bio onstack, *bio = uringblk_kv_bio_get(&onstack, vecs, nr, opf);

	while (len) {
		u32 off = offset_in_page(buf);
		u32 n = min_t(u32, len, PAGE_SIZE - off);
		struct page *page = vm ? vmalloc_to_page(buf) : virt_to_page(buf);

		__bio_add_page(bio, page, n, off);	/* @nr vecs: always room */
		buf += n;
		len -= n;
	}
	return uringblk_kv_bio_run(dev, bio, &onstack, pos);
}

/*
 * Blocks [@lba, @lba + @nblocks) to or from @buf, in transfers of at most
 * URINGBLK_KV_BIO_MAX; a write of several blocks in at least two, its
 * first half first (the file comment: torn writes).
 */
static int uringblk_kv_rw(struct uringblk_dev *dev, blk_opf_t opf, u64 lba,
			  u32 nblocks, void *buf)
{
	u32 shift = ilog2(dev->cfg.block_size);
	u64 len = (u64)nblocks << shift;
	bool write = op_is_write(opf);
	u64 done = 0;
	int ret = 0;

	if (!nblocks || lba >= dev->kv->media.nblocks ||
	    nblocks > dev->kv->media.nblocks - lba)
		return -EINVAL;
	if (is_vmalloc_addr(buf) && write)
		flush_kernel_vmap_range(buf, len);
	while (done < len && !ret) {
		u64 n = min_t(u64, len - done, URINGBLK_KV_BIO_MAX);

		if (write && !done && n == len && nblocks > 1)
			n = (u64)(nblocks / 2) << shift;
		ret = uringblk_kv_bio(dev, opf, (lba << shift) + done, buf + done, n);
		done += n;
	}
	if (is_vmalloc_addr(buf) && !write)
		invalidate_kernel_vmap_range(buf, len);
	return ret;
}

static int uringblk_kv_media_read(void *ctx, u64 lba, u32 nblocks, void *buf)
{
	return uringblk_kv_rw(ctx, REQ_OP_READ, lba, nblocks, buf);
}

static int uringblk_kv_media_write(void *ctx, u64 lba, u32 nblocks, const void *buf)
{
	return uringblk_kv_rw(ctx, REQ_OP_WRITE | REQ_SYNC, lba, nblocks, (void *)buf);
}

/*
 * Each bio with REQ_FUA: the queue advertises FUA (main.c), so blk-mq
 * passes it to the driver as is (rq.c: the write, then the backend's
 * flush, in one request) instead of sequencing a flush request through
 * kblockd as it does for an empty REQ_PREFLUSH bio.
 */
static int uringblk_kv_media_write_fua(void *ctx, u64 lba, u32 nblocks, const void *buf)
{
	return uringblk_kv_rw(ctx, REQ_OP_WRITE | REQ_SYNC | REQ_FUA, lba, nblocks,
			      (void *)buf);
}

static int uringblk_kv_media_flush(void *ctx)
{
	struct uringblk_dev *dev = ctx;
	struct bio *bio;
	int ret;

	if (uringblk_fast_media_ok(dev))
		return uringblk_fast_flush(dev);
	bio = bio_alloc(dev->disk->part0, 0, REQ_OP_WRITE | REQ_PREFLUSH, GFP_NOIO);
	ret = submit_bio_wait(bio);

	bio_put(bio);
	return ret;
}

static const struct kv_media_ops uringblk_kv_media_ops = {
	.read	= uringblk_kv_media_read,
	.write	= uringblk_kv_media_write,
	.flush	= uringblk_kv_media_flush,
	.write_fua = uringblk_kv_media_write_fua,
};

/*
 * The hidden region's media (the file comment): blocks [@lba, @lba +
 * @nblocks) at the same offset of the backend's metadata area.  May sleep.
 */
static int uringblk_kv_region_rw(struct uringblk_dev *dev, u64 lba, u32 nblocks,
				 void *buf, bool write)
{
	u32 shift = ilog2(dev->cfg.block_size);

	if (!nblocks || lba >= dev->kv->media.nblocks ||
	    nblocks > dev->kv->media.nblocks - lba)
		return -EINVAL;
	if (write)
		return dev->ops->meta_write(dev, buf, lba << shift, (size_t)nblocks << shift);
	return dev->ops->meta_read(dev, buf, lba << shift, (size_t)nblocks << shift);
}

static int uringblk_kv_region_read(void *ctx, u64 lba, u32 nblocks, void *buf)
{
	return uringblk_kv_region_rw(ctx, lba, nblocks, buf, false);
}

static int uringblk_kv_region_write(void *ctx, u64 lba, u32 nblocks, const void *buf)
{
	return uringblk_kv_region_rw(ctx, lba, nblocks, (void *)buf, true);
}

static int uringblk_kv_region_flush(void *ctx)
{
	struct uringblk_dev *dev = ctx;

	return dev->ops->flush(dev);
}

/* Durable once the backend is flushed: a file-backed drive's file synced */
static int uringblk_kv_region_write_fua(void *ctx, u64 lba, u32 nblocks,
					const void *buf)
{
	int ret = uringblk_kv_region_write(ctx, lba, nblocks, buf);

	return ret ?: uringblk_kv_region_flush(ctx);
}

static const struct kv_media_ops uringblk_kv_region_ops = {
	.read	= uringblk_kv_region_read,
	.write	= uringblk_kv_region_write,
	.flush	= uringblk_kv_region_flush,
	.write_fua = uringblk_kv_region_write_fua,
};

/* The seed dialect's select results (nvme_kv_seed.c) live with the drive */
static void uringblk_kv_sel_init(struct uringblk_kv_sel *s)
{
	mutex_init(&s->lock);
	s->next_id = 1;
}

/* At removal: the results go, later Retrieve Selects find none */
static void uringblk_kv_sel_exit(struct uringblk_kv_sel *s)
{
	int i;

	mutex_lock(&s->lock);
	s->closed = true;
	for (i = 0; i < ARRAY_SIZE(s->res); i++) {
		kvfree(s->res[i].buf);
		s->res[i].buf = NULL;
		s->res[i].id = 0;
	}
	mutex_unlock(&s->lock);
}

/**
 * uringblk_kv_dev_init() - open or format the KV image of a new drive
 * @dev:	the drive, its disk added (a KV drive's media I/O goes through it)
 * @msg:	why it failed
 *
 * A KV drive's image is its whole media, a drive with kv_nvm_mb's its
 * hidden region; nothing for other drives.  May sleep.
 * Return: 0, or -errno with nothing left.
 */
int uringblk_kv_dev_init(struct uringblk_dev *dev, struct uringblk_msg *msg)
{
	const bool region = dev->cfg.kv_nvm_mb;
	struct kv_format_params p = {};
	bool formatting = false;
	struct uringblk_kv *kv;
	int ret;

	if (!dev->cfg.kv && !region)
		return 0;
	kv = kzalloc(sizeof(*kv), GFP_KERNEL);
	if (!kv)
		return -ENOMEM;
	init_rwsem(&kv->lock);
	uringblk_kv_sel_init(&kv->sel);
	kv->media = (struct kv_media) {
		.ops		= region ? &uringblk_kv_region_ops : &uringblk_kv_media_ops,
		.ctx		= dev,
		.block_size	= dev->cfg.block_size,
		.nblocks	= (region ? uringblk_kv_nvm_bytes(&dev->cfg) : dev->cfg.capacity) >>
				  ilog2(dev->cfg.block_size),
		/* the drive's own memory: only the engine writes it, it dies with the drive */
		.trusted	= dev->cfg.backing != URINGBLK_BACKING_FILE,
	};
	dev->kv = kv;
	ret = kv_open(&kv->media, &kv->engine);
	if (ret == -ENODEV) {		/* no image: a new drive */
		get_random_bytes(&p.nonce, sizeof(p.nonce));
		formatting = true;
		ret = kv_format(&kv->media, &p);
		if (!ret)
			ret = kv_open(&kv->media, &kv->engine);
		if (!ret)
			pr_info("%s: formatted a new KV image%s\n", dev->name,
				region ? " in the kv_nvm_mb region" : "");
	}
	if (!ret) {
		struct kv_info info;

		kv_info(kv->engine, &info);
		kv->max_value_len = info.max_value_len;
	}
	if (ret && region) {
		uringblk_msg(msg, "kv_nvm_mb=%u: %s (%d)", dev->cfg.kv_nvm_mb,
			     ret == -EUCLEAN ? "the region holds a corrupt KV image; not formatted over" :
			     ret == -EINVAL && formatting ? "the region is too small for a KV image" :
			     ret == -EINVAL ? "the region holds a KV image of another block size or larger than the region; not formatted over" :
			     "the KV image could not be read or formatted", ret);
	} else if (ret) {
		uringblk_msg(msg, "kv: %s (%d)",
			     ret == -EUCLEAN ? "the media holds a corrupt KV image (check it with kv fsck); not formatted over" :
			     ret == -EINVAL ? "the media holds a KV image of another block size or larger than the drive, or is too small for one" :
			     "the KV image could not be read or formatted", ret);
	}
	if (ret) {
		dev->kv = NULL;
		kfree(kv);
		return ret;
	}
	return 0;
}

/**
 * uringblk_kv_dev_exit() - close the engine of a drive being removed
 * @dev:	the drive: dev->removing set and dev->lock taken and released
 *		for write since, so no KV call runs or starts; its disk still up
 *
 * Every acknowledged store is already durable.  The struct stays until the
 * drive's last reference (main.c frees it): an admin command on a file
 * still open (Get Features) may read it.  May sleep.
 */
void uringblk_kv_dev_exit(struct uringblk_dev *dev)
{
	struct uringblk_kv *kv = dev->kv;

	if (!kv)
		return;
	down_write(&kv->lock);
	if (kv->engine)
		kv_close(kv->engine);
	kv->engine = NULL;
	up_write(&kv->lock);
	uringblk_kv_sel_exit(&kv->sel);
}

struct kv_engine *uringblk_kv_get(struct uringblk_dev *dev, bool write)
{
	down_read(&dev->lock);
	if (READ_ONCE(dev->removing) || !dev->kv || !dev->kv->engine) {
		up_read(&dev->lock);
		return ERR_PTR(-ENODEV);
	}
	if (write)
		down_write(&dev->kv->lock);
	else
		down_read(&dev->kv->lock);
	return dev->kv->engine;
}

void uringblk_kv_put(struct uringblk_dev *dev, bool write)
{
	if (write)
		up_write(&dev->kv->lock);
	else
		up_read(&dev->kv->lock);
	up_read(&dev->lock);
}

/**
 * uringblk_kv_flush() - the KV namespace's Flush
 * @dev:	the drive, a KV drive, its engine held (uringblk_kv_get())
 *
 * Every Store and Delete acknowledged is durable already (its value and
 * journal record written with FUA); a Flush flushes the media as the NVM
 * namespace's Flush does (the backend's flush: a file-backed drive's file
 * synced), so that nothing the engine wrote without FUA and nothing in
 * the drive's cache is left volatile.  The caller holds the engine's read
 * lock: a command that holds it for writing (a Store) ends first.  May
 * sleep.  Return: 0, or the media's -errno (the front end's to report: a
 * write's failure).
 */
int uringblk_kv_flush(struct uringblk_dev *dev)
{
	return uringblk_kv_media_flush(dev);
}

int uringblk_kv_info(struct uringblk_dev *dev, struct kv_info *info)
{
	struct kv_engine *e = uringblk_kv_get(dev, false);

	if (IS_ERR(e))
		return PTR_ERR(e);
	kv_info(e, info);
	uringblk_kv_put(dev, false);
	return 0;
}

/* kv_copy_fn into a kernel buffer: the engine's bytes at @off of it */
static int uringblk_kv_copy_out(void *arg, u64 off, void *buf, u32 len)
{
	memcpy((u8 *)arg + off, buf, len);
	return 0;
}

/* The client's buffer, pinned as an O_DIRECT transfer pins it. */
struct uringblk_kv_pin {
	struct page	*stack[URINGBLK_KV_DIRECT_PAGES];	/* small buffers */
	struct page	**pages;	/* @stack or a kvmalloc'ed array */
	u32		npages;		/* pinned: released by uringblk_kv_unpin() */
	size_t		start;		/* the buffer's offset in pages[0] */
};

/*
 * Pin the first @len bytes of @iter (not advanced) into @p, before any lock
 * is taken, so that nothing waits on the client's memory under one.
 * Return: true when they are one segment, all pinned; false otherwise
 * (the caller bounces).  Either way uringblk_kv_unpin() releases @p.
 */
static bool uringblk_kv_pin(struct uringblk_kv_pin *p, const struct iov_iter *iter,
			    u64 len)
{
	u32 maxpages = DIV_ROUND_UP(len, PAGE_SIZE) + 1;
	struct iov_iter it = *iter;
	ssize_t got;

	p->pages = p->stack;
	p->npages = 0;
	if (maxpages > ARRAY_SIZE(p->stack)) {
		p->pages = kvmalloc_array(maxpages, sizeof(*p->pages), GFP_KERNEL_ACCOUNT);
		if (!p->pages) {
			p->pages = p->stack;
			return false;
		}
	}
	got = iov_iter_get_pages2(&it, p->pages, len, maxpages, &p->start);
	if (got <= 0)
		return false;
	p->npages = DIV_ROUND_UP(p->start + got, PAGE_SIZE);
	return got == len;		/* else several segments */
}

/*
 * Release pinned client pages, after a read into them dirtied (that takes
 * the page lock: no engine lock may be held).
 */
static void uringblk_kv_unpin(struct uringblk_kv_pin *p, bool dirty)
{
	while (p->npages--) {
		if (dirty)
			set_page_dirty_lock(p->pages[p->npages]);
		put_page(p->pages[p->npages]);
	}
	if (p->pages != p->stack)
		kvfree(p->pages);
}

/*
 * kv_store_buf() with the engine's lock dropped while the value's blocks
 * are written (kv_put_begin()), so that the Stores of several clients
 * overlap: only the checks, the allocation and the journal record are
 * made one at a time.  dev->lock stays held for reading, so the engine
 * stays open meanwhile.  An append holds the lock throughout (it reads the
 * old value).  Return: a kv_status or -ENODEV.
 */
static int uringblk_kv_store_buf(struct uringblk_dev *dev, const u8 *key, u32 klen,
				 u64 vlen, const void *buf, u32 opts)
{
	struct kv_engine *e = uringblk_kv_get(dev, true);
	struct kv_put *put;
	int ret;

	if (IS_ERR(e))
		return PTR_ERR(e);
	if (opts & KV_STORE_APPEND) {
		ret = kv_store_buf(e, key, klen, vlen, buf, opts);
	} else {
		ret = kv_put_begin(e, key, klen, vlen, buf, opts, &put);
		if (ret == KV_OK) {
			up_write(&dev->kv->lock);
			kv_put_write(e, put);
			down_write(&dev->kv->lock);
			ret = kv_put_end(e, put);
		}
	}
	uringblk_kv_put(dev, true);
	return ret;
}

/*
 * A Store of whole blocks from a 512-byte aligned buffer written to the
 * media straight from the client's pages, as an O_DIRECT write is: they
 * are pinned (before any lock) and, when more than one, mapped
 * contiguously (vmap), and the engine takes that as the bounce it would
 * otherwise fill (kv_store_buf()).  That saves allocating and zeroing a
 * bounce of the value's size and copying the value into it (under QEMU
 * TCG the kernel's "rep stosb" and "rep movsb" run a byte at a time).
 * On a file-backed drive the engine computes the value's CRC on the
 * client's pages as it writes them, so a client that writes to its buffer
 * meanwhile stores a value whose later whole Retrieve is Unrecovered
 * Error: its own torn value, as with an O_DIRECT write.
 * Return: as uringblk_kv_store_iter(), or -EAGAIN (nothing done: the
 * caller bounces).
 */
static int uringblk_kv_store_direct(struct uringblk_dev *dev, const u8 *key,
				    u32 klen, struct iov_iter *iter, u64 vlen,
				    u32 opts)
{
	struct uringblk_kv_pin pin;
	void *map = NULL;
	int ret = -EAGAIN;

	if (!uringblk_kv_pin(&pin, iter, vlen))
		goto out;
	/* one page (a 4 KiB value, page-aligned) needs no mapping */
	if (pin.npages > 1) {
		map = vmap(pin.pages, pin.npages, VM_MAP, PAGE_KERNEL);
		if (!map)
			goto out;
	}
	ret = uringblk_kv_store_buf(dev, key, klen, vlen,
				    (map ?: page_address(pin.pages[0])) + pin.start, opts);
	if (ret == KV_OK)
		iov_iter_advance(iter, vlen);
out:
	if (map)
		vunmap(map);
	uringblk_kv_unpin(&pin, false);
	return ret;
}

int uringblk_kv_store_iter(struct uringblk_dev *dev, const u8 *key, u32 klen,
			   struct iov_iter *iter, u64 vlen, u32 opts)
{
	u32 bs = dev->cfg.block_size;
	u64 padded = round_up(vlen, bs);
	void *buf = NULL;
	int ret;

	/* Sizes the engine refuses anyway: before a bounce that large */
	if (!dev->kv)
		return -ENODEV;
	if (!klen || klen > KV_MAX_KEY_LEN)
		return KV_INVALID_KEY_SIZE;
	if (vlen > dev->kv->max_value_len)
		return KV_INVALID_VALUE_SIZE;
	if (vlen && !(vlen & (bs - 1)) &&
	    user_backed_iter(iter) && iov_iter_count(iter) >= vlen &&
	    !(iov_iter_alignment(iter) & (SECTOR_SIZE - 1))) {
		ret = uringblk_kv_store_direct(dev, key, klen, iter, vlen, opts);
		if (ret != -EAGAIN)
			return ret;
	}
	/*
	 * The bounce is the value in whole blocks, zero-padded: the engine
	 * writes it to the media from where it is (kv_store_buf()).
	 */
	if (vlen) {
		buf = uringblk_cmd_buf(dev, padded, 0);
		if (IS_ERR(buf))
			return PTR_ERR(buf);
		memset(buf + vlen, 0, padded - vlen);
		if (copy_from_iter(buf, vlen, iter) != vlen) {
			ret = -EFAULT;
			goto out;
		}
	}
	ret = uringblk_kv_store_buf(dev, key, klen, vlen, buf, opts);
out:
	uringblk_cmd_buf_free(dev, buf, padded);
	return ret;
}

/*
 * @len bytes at @lba into the client's bytes [@voff, @voff + @len), which
 * are @pages from @start on, in transfers of at most BIO_MAX_VECS pages
 * one after the other (uringblk_kv_bio_run()).  Return: 0 or -errno.
 */
static int uringblk_kv_read_pages(struct uringblk_dev *dev, u64 lba,
				  struct page **pages, size_t start, u64 voff,
				  u64 len)
{
	struct bio_vec vecs[URINGBLK_KV_DIRECT_PAGES];
	u64 pos = lba << ilog2(dev->cfg.block_size);
	int ret = 0;

	voff += start;
	while (len && !ret) {
		u32 first = voff >> PAGE_SHIFT;
		u32 nr = DIV_ROUND_UP(offset_in_page(voff) + len, PAGE_SIZE);
		struct bio onstack, *bio;
		u64 done = 0;

		nr = min_t(u32, nr, BIO_MAX_VECS);
		bio = uringblk_kv_bio_get(&onstack, vecs, nr, REQ_OP_READ);
		for (u32 i = 0; i < nr && done < len; i++) {
			u32 off = offset_in_page(voff + done);
			u32 n = min_t(u64, len - done, PAGE_SIZE - off);

			__bio_add_page(bio, pages[first + i], n, off);
			done += n;
		}
		ret = uringblk_kv_bio_run(dev, bio, &onstack, pos);
		pos += done;
		voff += done;
		len -= done;
	}
	return ret;
}

/* kv_crc32c() of @len bytes of @pages from @start on */
static u32 uringblk_kv_crc_pages(struct page **pages, size_t start, u64 len)
{
	u64 done = 0;
	u32 crc = 0, i;

	for (i = 0; done < len; i++) {
		u32 off = i ? 0 : start, n = min_t(u64, len - done, PAGE_SIZE - off);
		void *p = kmap_local_page(pages[i]);

		crc = kv_crc32c(crc, p + off, n);
		kunmap_local(p);
		done += n;
	}
	return crc;
}

/*
 * The value's blocks [0, @len / bs) from @runs into the client's pages
 * (@len whole blocks), then its partial last block, if @tail bytes of one
 * are wanted, through @blk (one block) into the pages after them.
 * Return: 0 or -errno.
 */
static int uringblk_kv_read_runs(struct uringblk_dev *dev, const struct kv_run *runs,
				 u32 nruns, struct page **pages, size_t start,
				 u64 len, u32 tail, u8 *blk)
{
	u32 shift = ilog2(dev->cfg.block_size);
	u64 voff = 0;
	int ret;

	for (u32 r = 0; r < nruns && voff <= len; r++) {
		u64 rlen = (u64)runs[r].nblocks << shift;
		u64 n = min(rlen, len - voff);

		if (n) {
			ret = uringblk_kv_read_pages(dev, runs[r].lba, pages, start,
						     voff, n);
			if (ret)
				return ret;
		}
		if (tail && n < rlen) {	/* the partial block is in this run */
			u64 at = start + len;	/* in the pinned pages */

			ret = uringblk_kv_rw(dev, REQ_OP_READ, runs[r].lba + (n >> shift),
					     1, blk);
			/* at most two pages: a block is no larger than one */
			for (u32 done = 0, k; !ret && done < tail; done += k, at += k) {
				k = min_t(u32, tail - done, PAGE_SIZE - offset_in_page(at));
				memcpy_to_page(pages[at >> PAGE_SHIFT], offset_in_page(at),
					       blk + done, k);
			}
			return ret;
		}
		voff += rlen;
	}
	return tail ? -EIO : 0;	/* runs shorter than the value: never */
}

/*
 * A Retrieve from offset 0 read straight into the client's pages, as an
 * O_DIRECT read is: no bounce of the value, no copy to user memory.  The
 * first @want bytes of the buffer are pinned before any lock is taken,
 * so nothing waits on the client's memory under them; what is copied,
 * min(buffer, value), must fit in them (the value may have grown since
 * the caller looked at its size: then -EAGAIN).  Whole blocks go from the
 * media into the pages, a partial last block through a one-block bounce;
 * a whole-value read checks the value's CRC on the client's pages, as
 * kv_retrieve() checks it on its bounce, when kv_retrieve_runs() says it
 * has one to check (not on a memory-backed drive); a client writing to its buffer
 * meanwhile gets Unrecovered Read Error, as it would get torn data from an
 * O_DIRECT read.  Return: as uringblk_kv_retrieve_iter(), or -EAGAIN
 * (nothing done: the caller bounces).
 */
static int uringblk_kv_retrieve_direct(struct uringblk_dev *dev, const u8 *key,
				       u32 klen, u64 buflen, u64 want,
				       struct iov_iter *iter, u64 *vlen, u64 *copied)
{
	u32 bs = dev->cfg.block_size, nruns, vcrc, tail;
	struct kv_run runs[KV_MAX_RUNS];
	struct uringblk_kv_pin pin;
	bool dirty = false, check;
	struct kv_engine *e;
	u8 *blk = NULL;
	u64 c;
	int ret = -EAGAIN;

	if (!uringblk_kv_pin(&pin, iter, want))
		goto out;
	e = uringblk_kv_get(dev, false);
	if (IS_ERR(e)) {
		ret = PTR_ERR(e);
		goto out;
	}
	ret = kv_retrieve_runs(e, key, klen, vlen, &check, &vcrc, runs, &nruns);
	if (ret != KV_OK)
		goto unlock;
	c = min(buflen, *vlen);
	if (!c)
		goto unlock;		/* KV_OK, nothing to copy */
	tail = c & (bs - 1);
	if (c > want) {
		ret = -EAGAIN;
		goto unlock;
	}
	/* No client memory is touched here: only the engine's lock is held */
	if (tail) {
		blk = kmalloc(bs, GFP_NOIO | __GFP_ACCOUNT);
		if (!blk) {
			ret = -ENOMEM;
			goto unlock;
		}
	}
	dirty = true;
	if (uringblk_kv_read_runs(dev, runs, nruns, pin.pages, pin.start, c - tail, tail,
				  blk) ||
	    /* a whole-value read checks the value's CRC (kv_retrieve()) */
	    (c == *vlen && check &&
	     uringblk_kv_crc_pages(pin.pages, pin.start, c) != vcrc)) {
		ret = KV_UNRECOVERED;
		goto unlock;
	}
	*copied = c;
unlock:
	uringblk_kv_put(dev, false);
out:
	uringblk_kv_unpin(&pin, dirty);
	kfree(blk);
	if (ret == KV_OK)
		iov_iter_advance(iter, *copied);
	return ret;
}

int uringblk_kv_retrieve_iter(struct uringblk_dev *dev, const u8 *key, u32 klen,
			      u64 offset, u64 buflen, struct iov_iter *iter,
			      u64 *vlen, u64 *copied)
{
	u32 bs = dev->cfg.block_size;
	struct kv_engine *e;
	void *buf = NULL;
	size_t bsize = 0;	/* buf's, counted against max_cmd_kb */
	u64 want;
	int ret;

	*vlen = 0;
	*copied = 0;
	/*
	 * Straight into the client's pages when the buffer allows it: a small
	 * buffer pinned whole, a larger one only as far as the value goes
	 * (its size looked up first: a 64 MiB buffer for a 4 KiB value pins
	 * one page, not 16384).
	 */
	if (!offset && buflen >= bs && !dev->cfg.kv_nvm_mb && user_backed_iter(iter) &&
	    iov_iter_count(iter) >= buflen &&
	    !(iov_iter_alignment(iter) & (SECTOR_SIZE - 1))) {
		want = buflen;
		if (buflen > URINGBLK_KV_SMALL_BOUNCE) {
			e = uringblk_kv_get(dev, false);
			if (IS_ERR(e))
				return PTR_ERR(e);
			ret = kv_retrieve(e, key, klen, 0, 0, uringblk_kv_copy_out, NULL,
					  vlen, copied);
			uringblk_kv_put(dev, false);
			if (ret != KV_OK)
				return ret;
			want = min(buflen, *vlen);
		}
		ret = want ? uringblk_kv_retrieve_direct(dev, key, klen, buflen, want,
							 iter, vlen, copied) : KV_OK;
		if (ret != -EAGAIN)
			return ret;
		*vlen = 0;
	}
	/*
	 * A small buffer: bounced whole, one lookup (the common case).  The
	 * bounce is whole blocks, so the engine reads the value's blocks
	 * straight into it (kv_retrieve_buf()).
	 */
	if (buflen && buflen <= URINGBLK_KV_SMALL_BOUNCE) {
		bsize = round_up(buflen, dev->cfg.block_size);
		buf = uringblk_cmd_buf(dev, bsize, 0);
		if (IS_ERR(buf))
			return PTR_ERR(buf);
	}
	e = uringblk_kv_get(dev, false);
	if (IS_ERR(e)) {
		uringblk_cmd_buf_free(dev, buf, bsize);
		return PTR_ERR(e);
	}
	if (buf) {
		ret = kv_retrieve_buf(e, key, klen, offset, buflen, buf, vlen, copied);
		goto unlock;
	}
	/* The size first, so the bounce is only what is copied */
	ret = kv_retrieve(e, key, klen, 0, 0, uringblk_kv_copy_out, NULL, vlen, copied);
	if (ret != KV_OK)
		goto unlock;
	want = offset < *vlen ? min(buflen, *vlen - offset) : 0;
	if (want) {
		bsize = round_up(want, dev->cfg.block_size);
		buf = uringblk_cmd_buf(dev, bsize, 0);
		if (IS_ERR(buf)) {
			ret = PTR_ERR(buf);
			buf = NULL;
			goto unlock;
		}
		ret = kv_retrieve_buf(e, key, klen, offset, want, buf, vlen, copied);
	}
unlock:
	uringblk_kv_put(dev, false);
	/* The client's memory only once the locks are dropped */
	if (ret == KV_OK && *copied && copy_to_iter(buf, *copied, iter) != *copied)
		ret = -EFAULT;
	uringblk_cmd_buf_free(dev, buf, bsize);
	return ret;
}
