// SPDX-License-Identifier: GPL-2.0
/*
 * The file backend: the device's data lives in a regular file, as with the
 * loop driver, so it survives module reloads and reboots.  Byte N of the
 * device is byte N of the file; a zoned device keeps its zone metadata
 * after the data (zoned_meta.c), a drive with kv_nvm_mb its hidden KV
 * region (kv_ns.c), reached only through meta_read and meta_write, so the
 * data operations never go past the capacity.
 *
 * Every request runs on the device's (unbound) workqueue (inline_ops is empty):
 * file I/O sleeps and queue_rq must not, so a slow file never stalls the
 * submitting CPU or another hardware queue; the workqueue starts more workers
 * while some are blocked, so requests to a slow disk overlap.  A request's
 * pages go to the file in one call, through an ITER_BVEC iterator over the
 * request's own bio_vecs (as loop's lo_rw_aio() does), so the driver copies
 * nothing.
 *
 * Direct I/O (direct_io=1, the default) bypasses the backing file's page
 * cache, so data is not cached twice.  It needs a filesystem that supports
 * it and a device block size at least the backing device's logical block
 * size; otherwise the backend uses the page cache and says so.  Either
 * way, flush and FUA call vfs_fsync(): that, not O_DIRECT, is what makes
 * data durable.
 *
 * Discard and write-zeroes punch holes, so the range reads as zeroes and
 * its space goes back to the filesystem; where holes cannot be punched,
 * zeroes are written.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blkdev.h>
#include <linux/falloc.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fadvise.h>
#include <linux/highmem.h>
#include <linux/ioprio.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "file_cut.h"
#include "ra.h"
#include "uringblk.h"

struct uringblk_file {
	struct file		*file;
	bool			direct;		/* O_DIRECT in use */
	atomic_t		ra_runs;	/* runs reading ahead now */
	struct ufile_cut	cut;		/* fault power_cut (file_cut.c) */
	struct list_head	node;		/* in ufile_list */
};

/* Files backing a device now: two devices on one file would corrupt it. */
static LIST_HEAD(ufile_list);
static DEFINE_MUTEX(ufile_mutex);

static struct uringblk_file *to_ufile(struct uringblk_dev *dev)
{
	return dev->backend;
}

/* Move @len bytes between @iter and the file at @pos; a read past EOF gives zeroes. */
static int ufile_iter(struct uringblk_file *uf, struct iov_iter *iter, u64 pos,
		      size_t len, bool write)
{
	loff_t off = pos;
	ssize_t ret;

	if (write) {
		ret = uringblk_vfs_iter_write(uf->file, iter, &off);
	} else {
		ret = vfs_iter_read(uf->file, iter, &off, 0);
		if (ret >= 0 && ret < len)
			ret += iov_iter_zero(len - ret, iter);
	}
	if (ret < 0)
		return ret;
	return ret == len ? 0 : -EIO;
}

/* @len bytes of one page, from @off, to or from the file at @pos. */
static int ufile_page_io(struct uringblk_file *uf, struct page *page, u32 off,
			 u32 len, u64 pos, bool write)
{
	struct bio_vec bv = { .bv_page = page, .bv_offset = off, .bv_len = len };
	struct iov_iter iter;

	iov_iter_bvec(&iter, write ? WRITE : READ, &bv, 1, len);
	return ufile_iter(uf, &iter, pos, len, write);
}

static void ufile_set_direct(struct file *f, bool on)
{
	spin_lock(&f->f_lock);
	if (on)
		f->f_flags |= O_DIRECT;
	else
		f->f_flags &= ~O_DIRECT;
	spin_unlock(&f->f_lock);
}

/*
 * Turn direct I/O on if it works for a device of @block_size bytes.  The
 * flag is ours to set on our own file, as loop does.  FMODE_CAN_ODIRECT is
 * what open(2) asks of O_DIRECT on both kernels: open sets it for an
 * address space with ->direct_IO (6.1's ext4), a filesystem's ->open sets
 * it itself (6.12's ext4, which has no ->direct_IO: testing that refused
 * direct I/O on ext4).  It is not enough (overlayfs says it can, then
 * fails every I/O when the file below cannot), so one block is read to
 * find out.
 */
static bool ufile_try_dio(struct uringblk_file *uf, u32 block_size)
{
	struct file *f = uf->file;
	struct block_device *bdev = file_inode(f)->i_sb->s_bdev;
	struct page *page;
	int ret;

	if (!(f->f_mode & FMODE_CAN_ODIRECT) ||
	    (bdev && bdev_logical_block_size(bdev) > block_size))
		return false;
	page = alloc_page(GFP_KERNEL);
	if (!page)
		return false;
	ufile_set_direct(f, true);
	ret = ufile_page_io(uf, page, 0, block_size, 0, false);
	__free_page(page);
	if (ret)
		ufile_set_direct(f, false);
	return !ret;
}

/*
 * Size the file: a new (empty) file grows to what the device needs, sparse;
 * capacity 0 takes the size of an existing file.  Anything else must match
 * exactly, so data is never silently cut off or reinterpreted.
 */
static int ufile_size(struct uringblk_dev *dev, struct file *f,
		      struct uringblk_msg *msg)
{
	struct uringblk_config *cfg = &dev->cfg;
	loff_t size = i_size_read(file_inode(f));
	u64 need;
	int ret;

	if (!cfg->capacity) {
		/* Never with zones or kv_nvm_mb: the validation refuses it. */
		cfg->capacity = round_down(size, cfg->block_size);
		if (!cfg->capacity) {
			uringblk_msg(msg, "path=%s: capacity_mb=0 takes the file's size, but the file holds less than one %u-byte block",
				     cfg->path, cfg->block_size);
			return -EINVAL;
		}
		return 0;
	}
	need = cfg->capacity + uringblk_zmeta_bytes(cfg) + uringblk_kv_nvm_bytes(cfg);
	if (size == need)
		return 0;
	if (size) {
		const bool meta = uringblk_zmeta_bytes(cfg);	/* zone metadata follow the data */

		uringblk_msg(msg, "path=%s: the file is %lld bytes but capacity_mb=%llu%s needs %llu: it was made with another configuration (use the same capacity%s and kv_nvm_mb, or capacity_mb=0 to take the file's size without kv_nvm_mb)",
			     cfg->path, size, cfg->capacity >> 20,
			     meta ? " plus zone metadata" :
			     cfg->kv_nvm_mb ? " plus kv_nvm_mb" : "", need,
			     meta ? ", zone geometry" : "");
		return -EINVAL;
	}
	ret = vfs_truncate(&f->f_path, need);
	if (ret)
		uringblk_msg(msg, "path=%s: cannot size the new file to %llu bytes: %pe",
			     cfg->path, need, ERR_PTR(ret));
	return ret;
}

static int ufile_init(struct uringblk_dev *dev, struct uringblk_msg *msg)
{
	const struct uringblk_config *cfg = &dev->cfg;
	struct uringblk_file *uf, *other;
	struct file *f;
	int ret;

	f = filp_open(cfg->path, O_RDWR | O_CREAT | O_LARGEFILE, 0600);
	if (IS_ERR(f)) {
		uringblk_msg(msg, "path=%s: cannot open: %pe", cfg->path, f);
		return PTR_ERR(f);
	}
	if (!S_ISREG(file_inode(f)->i_mode) || !f->f_op->read_iter ||
	    !f->f_op->write_iter) {
		uringblk_msg(msg, "path=%s: not a regular file with read/write_iter", cfg->path);
		ret = -EINVAL;
		goto out_put;
	}

	uf = kzalloc(sizeof(*uf), GFP_KERNEL);
	if (!uf) {
		ret = -ENOMEM;
		goto out_put;
	}
	uf->file = f;
	ufile_cut_init(&uf->cut);

	mutex_lock(&ufile_mutex);
	list_for_each_entry(other, &ufile_list, node) {
		if (file_inode(other->file) == file_inode(f)) {
			mutex_unlock(&ufile_mutex);
			uringblk_msg(msg, "path=%s: already backs another uringblk device",
				     cfg->path);
			ret = -EBUSY;
			goto out_free;
		}
	}
	list_add(&uf->node, &ufile_list);
	mutex_unlock(&ufile_mutex);

	ret = ufile_size(dev, f, msg);
	if (ret)
		goto out_unlist;

	if (cfg->direct_io) {
		uf->direct = ufile_try_dio(uf, cfg->block_size);
		if (!uf->direct)
			pr_info("path=%s: no direct I/O here (filesystem %s, block_size=%u): using the page cache\n",
				cfg->path, file_inode(f)->i_sb->s_type->name,
				cfg->block_size);
	}
	dev->backend = uf;
	return 0;

out_unlist:
	mutex_lock(&ufile_mutex);
	list_del(&uf->node);
	mutex_unlock(&ufile_mutex);
out_free:
	kfree(uf);
out_put:
	fput(f);
	return ret;
}

static int ufile_cut_io(struct uringblk_dev *dev, void *buf, u64 pos, u32 len,
			bool write);
static int ufile_fsync(struct uringblk_dev *dev);

static void ufile_exit(struct uringblk_dev *dev)
{
	struct uringblk_file *uf = to_ufile(dev);

	/* a power cut (fault power_cut): unflushed writes lost */
	ufile_cut_exit(dev, &uf->cut, ufile_cut_io, ufile_fsync);
	mutex_lock(&ufile_mutex);
	list_del(&uf->node);
	mutex_unlock(&ufile_mutex);
	/* Writes already completed; whatever is cached goes out on close. */
	fput(uf->file);
	kfree(uf);
	dev->backend = NULL;
}

/*
 * A whole read or write request in one call: the iterator walks the
 * request's bio_vecs; a request of several bios gets a flat copy of their
 * vectors first (loop does the same).
 */
static int ufile_transfer(struct uringblk_dev *dev, struct request *rq, u64 pos,
			  bool write)
{
	struct bio_vec *bvec, *vecs = NULL, tmp;
	struct req_iterator rq_iter;
	struct bio *bio = rq->bio;
	struct iov_iter iter;
	size_t len = blk_rq_bytes(rq);
	unsigned int nr = 0;
	bool locked = false;
	int ret;

	if (write) {
		ret = ufile_cut_write_begin(dev, &to_ufile(dev)->cut, pos, len,
					    ufile_cut_io, &locked);
		if (ret)
			return ret;
	}
	rq_for_each_bvec(tmp, rq, rq_iter)
		nr++;
	if (rq->bio != rq->biotail) {
		vecs = kmalloc_array(nr, sizeof(*vecs), GFP_NOIO);
		if (!vecs) {
			ufile_cut_write_end(&to_ufile(dev)->cut, locked);
			return -ENOMEM;
		}
		bvec = vecs;
		rq_for_each_bvec(tmp, rq, rq_iter)
			*bvec++ = tmp;
		iov_iter_bvec(&iter, write ? WRITE : READ, vecs, nr, len);
		iter.iov_offset = 0;
	} else {
		/* One bio: use its vector in place, from where the bio starts. */
		bvec = __bvec_iter_bvec(bio->bi_io_vec, bio->bi_iter);
		iov_iter_bvec(&iter, write ? WRITE : READ, bvec, nr, len);
		iter.iov_offset = bio->bi_iter.bi_bvec_done;
	}
	ret = ufile_iter(to_ufile(dev), &iter, pos, len, write);
	ufile_cut_write_end(&to_ufile(dev)->cut, locked);
	kfree(vecs);
	return ret;
}

/*
 * Byte-level access, for zone appends from the command device and for the
 * zone metadata (at file offsets from capacity on): through a bounce page,
 * which keeps direct I/O's alignment rules whatever @buf is.  @len does
 * not cross a page of the file.
 */
static int ufile_bounce(struct uringblk_dev *dev, void *buf, u64 pos, u32 len,
			bool write, gfp_t gfp)
{
	u32 off = offset_in_page(pos);
	struct page *page;
	int ret;

	if (!gfpflags_allow_blocking(gfp))
		return -EAGAIN;		/* file I/O sleeps: retry where it may */
	page = alloc_page(gfp);
	if (!page)
		return -ENOMEM;
	if (write)
		memcpy_to_page(page, off, buf, len);
	ret = ufile_page_io(to_ufile(dev), page, off, len, pos, write);
	if (!ret && !write)
		memcpy_from_page(buf, page, off, len);
	__free_page(page);
	return ret;
}

static int ufile_read(struct uringblk_dev *dev, void *buf, u64 pos, u32 len)
{
	return ufile_bounce(dev, buf, pos, len, false, GFP_NOIO);
}

static int ufile_write(struct uringblk_dev *dev, const void *buf, u64 pos,
		       u32 len, gfp_t gfp)
{
	bool locked;
	int ret;

	if (!gfpflags_allow_blocking(gfp))
		return -EAGAIN;		/* file I/O sleeps: retry where it may */
	ret = ufile_cut_write_begin(dev, &to_ufile(dev)->cut, pos, len,
				    ufile_cut_io, &locked);
	if (ret)
		return ret;
	ret = ufile_bounce(dev, (void *)buf, pos, len, true, gfp);
	ufile_cut_write_end(&to_ufile(dev)->cut, locked);
	return ret;
}

/* Blocks for file_cut.c: what a cut keeps, written back at removal. */
static int ufile_cut_io(struct uringblk_dev *dev, void *buf, u64 pos, u32 len,
			bool write)
{
	return ufile_bounce(dev, buf, pos, len, write, GFP_NOIO);
}

/*
 * The metadata area (zone metadata, or the KV region) starts at byte capacity
 * of the file (ufile_init() sized the file for it).  Page-cut as the bounce
 * requires.  May sleep.
 */
static int ufile_meta_io(struct uringblk_dev *dev, void *buf, u64 off,
			 size_t len, bool write)
{
	u64 pos = dev->cfg.capacity + off;
	u8 *p = buf;

	while (len) {
		u32 n = min_t(size_t, len, PAGE_SIZE - offset_in_page(pos));
		int ret = ufile_bounce(dev, p, pos, n, write, GFP_KERNEL);

		if (ret)
			return ret;
		p += n;
		pos += n;
		len -= n;
	}
	return 0;
}

static int ufile_meta_read(struct uringblk_dev *dev, void *buf, u64 off, size_t len)
{
	return ufile_meta_io(dev, buf, off, len, false);
}

static int ufile_meta_write(struct uringblk_dev *dev, const void *buf, u64 off,
			    size_t len)
{
	return ufile_meta_io(dev, (void *)buf, off, len, true);
}

/* Write zeroes where a hole cannot be punched, 16 pages of ZERO_PAGE a call. */
static int ufile_write_zeroes(struct uringblk_file *uf, u64 pos, u64 len)
{
	struct bio_vec bv[16];
	struct iov_iter iter;
	int i, ret = 0;

	for (i = 0; i < ARRAY_SIZE(bv); i++)
		bv[i] = (struct bio_vec) { .bv_page = ZERO_PAGE(0), .bv_len = PAGE_SIZE };
	while (len && !ret) {
		size_t n = min_t(u64, len, ARRAY_SIZE(bv) * PAGE_SIZE);

		iov_iter_bvec(&iter, WRITE, bv, ARRAY_SIZE(bv), n);
		ret = ufile_iter(uf, &iter, pos, n, true);
		pos += n;
		len -= n;
		cond_resched();
	}
	return ret;
}

static int ufile_discard(struct uringblk_dev *dev, u64 pos, u64 len)
{
	struct uringblk_file *uf = to_ufile(dev);
	bool locked;
	int ret;

	ret = ufile_cut_write_begin(dev, &uf->cut, pos, len, ufile_cut_io, &locked);
	if (ret)
		return ret;
	ret = vfs_fallocate(uf->file, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			    pos, len);
	if (ret == -EOPNOTSUPP)
		ret = ufile_write_zeroes(uf, pos, len);
	ufile_cut_write_end(&uf->cut, locked);
	return ret;
}

static int ufile_fsync(struct uringblk_dev *dev)
{
	return vfs_fsync(to_ufile(dev)->file, 0);
}

/* Flush and FUA; what is durable then is no longer a power cut's to lose */
static int ufile_flush(struct uringblk_dev *dev)
{
	return ufile_cut_flush(dev, &to_ufile(dev)->cut, ufile_fsync);
}

/*
 * Space the file occupies (its allocated blocks: holes are free), from the
 * real inode: on overlayfs (a container's root, the test VM's /var/tmp)
 * the overlay's own inode keeps the i_blocks it had when it was set up.
 * d_real_inode() does not sleep.
 */
static u64 ufile_used_bytes(struct uringblk_dev *dev)
{
	struct inode *inode = d_real_inode(to_ufile(dev)->file->f_path.dentry);

	return (u64)READ_ONCE(inode->i_blocks) << 9;
}

/*
 * For programs: a private copy of the page of the device at @pos.  Only
 * the device's bytes are read: the zone metadata after them never is.
 */
static struct page *ufile_get_page(struct uringblk_dev *dev, u64 pos)
{
	u64 start = round_down(pos, PAGE_SIZE);
	u32 len = min_t(u64, PAGE_SIZE, dev->cfg.capacity - start);
	struct page *page;
	int ret;

	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!page)
		return ERR_PTR(-ENOMEM);
	ret = ufile_page_io(to_ufile(dev), page, 0, len, start, false);
	if (ret) {
		__free_page(page);
		return ERR_PTR(ret);
	}
	return page;
}

/*
 * Readahead for programs.  A program scanning the drive asks for one page
 * at a time (uringblk_exec_map()); read one by one, each page is a
 * synchronous read of the file: 2.6 million of them for 10 GiB, one after
 * another.  While a run maps its stream forward, it instead reads chunks
 * ahead of the page it asks for and hands out their pages.  As the kernel's
 * own readahead does, it starts small and grows while the scan goes on:
 * the first chunk is UFILE_RA_FIRST bytes, each next one twice the last
 * up to UFILE_RA_CHUNK, and the chunks kept ahead grow from one to
 * UFILE_RA_SLOTS; so a run that maps two pages in a row and stops (a
 * lookup whose record crosses a page) reads 32 KiB, not megabytes.
 *
 * With direct I/O a chunk is one asynchronous read (a kiocb with
 * ki_complete, as loop's lo_rw_aio() issues), into pages of the run's own;
 * through the page cache a chunk is first a POSIX_FADV_WILLNEED (the
 * readahead it starts does not wait) and then, when the scan reaches it,
 * one read that copies the chunk out of the cache.  Either way the pages
 * handed out are private copies, as ufile_get_page()'s are.
 *
 * What a program sees does not change: a chunk is read once the run has
 * started, so every write completed before the EXEC is in it; a chunk
 * whose read failed is not trusted and its pages are read one by one
 * again (ufile_get_page()), which reports the page's own error as before;
 * a short read is the file's end and reads as zeroes, as in ufile_iter();
 * chunks never pass the device's capacity nor the end the
 * caller gives (the grant's piece).  The budget is charged per map call
 * as before, read ahead or not.
 *
 * The state belongs to one run on one worker: nothing in it is shared but
 * the completion of a read in flight.  ufile_ra_stop() waits for those
 * before the run lets go of dev->lock, so removal (which waits for that
 * lock) never sees a read of the file in flight.
 */
#define UFILE_RA_FIRST		(32 * 1024)
#define UFILE_RA_CHUNK		(512 * 1024)
#define UFILE_RA_PAGES		(UFILE_RA_CHUNK / PAGE_SIZE)
#define UFILE_RA_SLOTS		8
/*
 * Runs of one drive that may read ahead at once: each holds up to
 * UFILE_RA_SLOTS * UFILE_RA_CHUNK (4 MiB) of pages, so a drive's readahead
 * holds at most 64 MiB however many EXECs are in flight (max_execs); the
 * runs beyond read a page at a time, as before.
 */
#define UFILE_RA_RUNS		16

enum ufile_ra_state {
	RA_FREE,	/* holds nothing the run needs */
	RA_BUSY,	/* a read in flight: wait for @done */
	RA_WILLNEED,	/* page cache: readahead started, copy not made */
	RA_DONE,	/* @pages hold [@pos, + @len) */
	RA_FAILED,	/* read each page on its own */
};

struct ufile_ra_slot {
	u64			pos;	/* device (file) byte of pages[0] */
	u32			len;	/* bytes, page multiple but maybe the last */
	enum ufile_ra_state	state;
	long			ret;	/* the read's result, from ki_complete */
	struct completion	done;
	struct kiocb		iocb;
	struct page		*pages[UFILE_RA_PAGES];
	struct bio_vec		bv[UFILE_RA_PAGES];
};

/**
 * struct ufile_ra - one run's readahead
 * @uf:		the file
 * @next:	device byte the next chunk starts at
 * @end:	no chunk goes past it (the caller's piece, the capacity)
 * @chunk:	bytes of the next chunk: UFILE_RA_FIRST, doubling up to
 *		UFILE_RA_CHUNK
 * @want:	chunks to keep ahead: grows from 1 to UFILE_RA_SLOTS as the
 *		scan goes on
 * @slot:	chunks, in no order
 */
struct ufile_ra {
	struct uringblk_file	*uf;
	u64			next;
	u64			end;
	u32			chunk;
	u32			want;
	struct ufile_ra_slot	slot[UFILE_RA_SLOTS];
};

/* Direct I/O completion: any context, so only record and wake. */
static void ufile_ra_complete(struct kiocb *iocb, long ret)
{
	struct ufile_ra_slot *s = container_of(iocb, struct ufile_ra_slot, iocb);

	s->ret = ret;
	complete(&s->done);
}

/*
 * Give the slot pages for @len bytes: its old ones when nobody else holds
 * them (the run dropped the page it mapped), else new ones.  May sleep.
 */
static int ufile_ra_pages(struct ufile_ra_slot *s, u32 len)
{
	u32 i, nr = DIV_ROUND_UP(len, PAGE_SIZE);

	for (i = 0; i < UFILE_RA_PAGES; i++) {
		struct page *p = s->pages[i];

		if (p && (i >= nr || page_ref_count(p) != 1)) {
			put_page(p);
			s->pages[i] = p = NULL;
		}
		if (i < nr && !p) {
			p = alloc_page(GFP_KERNEL | __GFP_NOWARN);
			if (!p)
				return -ENOMEM;
			s->pages[i] = p;
		}
		if (i < nr) {
			u32 n = min_t(u32, PAGE_SIZE, len - i * PAGE_SIZE);

			s->bv[i] = (struct bio_vec) { .bv_page = p, .bv_len = n };
			if (n < PAGE_SIZE)	/* past the capacity: zeroes */
				memzero_page(p, n, PAGE_SIZE - n);
		}
	}
	return 0;
}

/* Start reading the chunk [@pos, + @len) into @s.  May sleep. */
static void ufile_ra_issue(struct ufile_ra *ra, struct ufile_ra_slot *s,
			   u64 pos, u32 len)
{
	struct file *f = ra->uf->file;
	struct iov_iter iter;
	ssize_t ret;

	s->pos = pos;
	s->len = len;
	if (ufile_ra_pages(s, len)) {
		s->state = RA_FAILED;
		return;
	}
	if (!ra->uf->direct) {
		/* Starts reads into the page cache; does not wait for them. */
		vfs_fadvise(f, pos, len, POSIX_FADV_WILLNEED);
		s->state = RA_WILLNEED;
		return;
	}
	iov_iter_bvec(&iter, READ, s->bv, DIV_ROUND_UP(len, PAGE_SIZE), len);
	reinit_completion(&s->done);
	s->iocb = (struct kiocb) {
		.ki_filp	= f,
		.ki_pos		= pos,
		.ki_flags	= IOCB_DIRECT,
		.ki_complete	= ufile_ra_complete,
		.ki_ioprio	= IOPRIO_PRIO_VALUE(IOPRIO_CLASS_NONE, 0),
	};
	s->state = RA_BUSY;
	ret = f->f_op->read_iter(&s->iocb, &iter);	/* 6.1's call_read_iter() */
	if (ret != -EIOCBQUEUED)
		ufile_ra_complete(&s->iocb, ret);
}

/*
 * The chunk's data, once: wait for its read, or copy it from the page
 * cache.  A short read is the file's end (ufile_iter() reads zeroes
 * there); an error leaves the pages to be read one by one.  May sleep.
 */
static void ufile_ra_wait(struct ufile_ra *ra, struct ufile_ra_slot *s)
{
	struct iov_iter iter;
	long ret;
	u32 i;

	if (s->state == RA_WILLNEED) {
		iov_iter_bvec(&iter, READ, s->bv, DIV_ROUND_UP(s->len, PAGE_SIZE),
			      s->len);
		s->state = ufile_iter(ra->uf, &iter, s->pos, s->len, false) ?
			   RA_FAILED : RA_DONE;
		return;
	}
	if (s->state != RA_BUSY)
		return;
	wait_for_completion(&s->done);
	ret = s->ret;
	if (ret < 0 || ret > s->len) {
		s->state = RA_FAILED;
		return;
	}
	for (i = ret / PAGE_SIZE; i * PAGE_SIZE < s->len; i++) {
		u32 from = i == ret / PAGE_SIZE ? offset_in_page(ret) : 0;

		memzero_page(s->pages[i], from, s->bv[i].bv_len - from);
	}
	s->state = RA_DONE;
}

/* Keep up to ra->want chunks ahead of @pos, in slots the scan has passed. */
static void ufile_ra_fill(struct ufile_ra *ra, u64 pos)
{
	u32 i, ahead = 0;

	for (i = 0; i < UFILE_RA_SLOTS; i++)
		if (ra->slot[i].state != RA_FREE &&
		    ra->slot[i].pos + ra->slot[i].len > pos)
			ahead++;
	for (i = 0; i < UFILE_RA_SLOTS && ahead < ra->want && ra->next < ra->end; i++) {
		struct ufile_ra_slot *s = &ra->slot[i];

		if (s->state != RA_FREE && s->pos + s->len > pos)
			continue;	/* not passed yet */
		if (s->state == RA_BUSY)	/* passed, but still in flight */
			wait_for_completion(&s->done);
		ufile_ra_issue(ra, s, ra->next,
			       min_t(u64, ra->chunk, ra->end - ra->next));
		ra->next += s->len;
		ra->chunk = min(2 * ra->chunk, UFILE_RA_CHUNK);
		ahead++;
	}
}

static struct ufile_ra_slot *ufile_ra_find(struct ufile_ra *ra, u64 pos)
{
	for (u32 i = 0; i < UFILE_RA_SLOTS; i++) {
		struct ufile_ra_slot *s = &ra->slot[i];

		if (s->state != RA_FREE && pos >= s->pos && pos - s->pos < s->len)
			return s;
	}
	return NULL;
}

/* Let every read in flight end, and forget the chunks.  May sleep. */
static void ufile_ra_drain(struct ufile_ra *ra)
{
	for (u32 i = 0; i < UFILE_RA_SLOTS; i++) {
		struct ufile_ra_slot *s = &ra->slot[i];

		if (s->state == RA_BUSY)
			wait_for_completion(&s->done);
		s->state = RA_FREE;
	}
}

/*
 * A run's readahead: NULL (no readahead, get_page() alone) without memory
 * or when UFILE_RA_RUNS runs of the drive already read ahead.
 */
static void *ufile_ra_start(struct uringblk_dev *dev)
{
	struct uringblk_file *uf = to_ufile(dev);
	struct ufile_ra *ra;

	if (atomic_inc_return(&uf->ra_runs) > UFILE_RA_RUNS)
		goto out_dec;
	ra = kvzalloc(sizeof(*ra), GFP_KERNEL | __GFP_NOWARN);
	if (!ra)
		goto out_dec;
	ra->uf = uf;
	for (u32 i = 0; i < UFILE_RA_SLOTS; i++)
		init_completion(&ra->slot[i].done);
	return ra;

out_dec:
	atomic_dec(&uf->ra_runs);
	return NULL;
}

static void ufile_ra_stop(struct uringblk_dev *dev, void *priv)
{
	struct ufile_ra *ra = priv;

	ufile_ra_drain(ra);
	for (u32 i = 0; i < UFILE_RA_SLOTS; i++)
		for (u32 j = 0; j < UFILE_RA_PAGES; j++)
			if (ra->slot[i].pages[j])
				put_page(ra->slot[i].pages[j]);
	atomic_dec(&ra->uf->ra_runs);
	kvfree(ra);
}

/*
 * get_page() for a run reading ahead: the page at @pos from a chunk,
 * after starting reads of what follows it up to @pos + @ahead (0: the run
 * is not scanning forward; a page not read ahead is then read alone).
 */
static struct page *ufile_ra_get_page(struct uringblk_dev *dev, void *priv,
				      u64 pos, u64 ahead)
{
	struct ufile_ra *ra = priv;
	struct ufile_ra_slot *s = ufile_ra_find(ra, pos);
	u64 start = round_down(pos, PAGE_SIZE);

	if (!s && ahead) {
		/* A scan starts here (or jumped here): read ahead from here on. */
		ufile_ra_drain(ra);
		ra->next = start;
		/* pos < capacity, so pos + the rest of the drive does not wrap */
		ra->end = pos + min(ahead, dev->cfg.capacity - pos);
		ra->end = min(dev->cfg.capacity, round_up(ra->end, PAGE_SIZE));
		ra->chunk = UFILE_RA_FIRST;
		ra->want = 1;
		ufile_ra_fill(ra, pos);
		s = ufile_ra_find(ra, pos);
	}
	if (!s)
		return ufile_get_page(dev, pos);
	ufile_ra_wait(ra, s);
	if (s->state != RA_DONE)
		return ufile_get_page(dev, pos);
	if (ahead) {
		/* Entering a new chunk: the scan goes on, read further ahead. */
		if (pos - s->pos < PAGE_SIZE && ra->want < UFILE_RA_SLOTS)
			ra->want++;
		ufile_ra_fill(ra, pos);
	}
	s = ufile_ra_find(ra, pos);	/* fill never reuses a slot holding pos */
	get_page(s->pages[(start - s->pos) / PAGE_SIZE]);
	return s->pages[(start - s->pos) / PAGE_SIZE];
}

static const struct uringblk_ra_ops ufile_ra_ops = {
	.start		= ufile_ra_start,
	.get_page	= ufile_ra_get_page,
	.stop		= ufile_ra_stop,
};

const struct uringblk_backend_ops uringblk_file_ops = {
	.name		= "file",
	.inline_ops	= 0,		/* file I/O sleeps: all on the workqueue */
	.persistent	= true,
	.init		= ufile_init,
	.exit		= ufile_exit,
	.transfer	= ufile_transfer,
	.read		= ufile_read,
	.write		= ufile_write,
	.discard	= ufile_discard,
	.flush		= ufile_flush,
	.meta_read	= ufile_meta_read,
	.meta_write	= ufile_meta_write,
	.used_bytes	= ufile_used_bytes,
	.get_page	= ufile_get_page,
	.ra		= &ufile_ra_ops,
	/* a page allocated and read from the file: about 1.3 us natively */
	.prog_page_cost	= 1024,
};
