// SPDX-License-Identifier: GPL-2.0
/*
 * The NVMe front end's data mapping: the host half's part that turns a
 * command's data pointer into something the device half reads or writes,
 * as drivers/nvme/host/ioctl.c's nvme_map_user_request() and the block
 * layer's blk_rq_map_user_io() do in Linux 6.1:
 *   - a registered buffer (URING_CMD with IORING_URING_CMD_FIXED,
 *     io_uring_cmd_import_fixed()); not for the vectored commands, -EINVAL
 *     (6.1 WARNs once there, here it is only refused);
 *   - a vectored command's iovec array (NVME_IOCTL_IO64_CMD_VEC,
 *     NVME_URING_CMD_IO_VEC and _ADMIN_VEC: data_len counts the iovecs),
 *     import_iovec()'s rules and limits (UIO_MAXIOV, MAX_RW_COUNT, a
 *     compat caller's compat_iovec);
 *   - plain user memory, uringblk_import_ubuf() (compat.h).
 * Then, for a Read or a Write, a bio: the client's pages pinned into it as
 * direct I/O does, or, when they cannot be (a buffer or segment not
 * 512-byte aligned, more segments than one bio holds), a bounce of the
 * driver's own pages, copied from the client before a write and to it after
 * a read, in the submitter's task, as blk_rq_map_user_iov() copies a
 * misaligned buffer.
 * Last, the bio's life: submitted and waited for (the ioctls) or completed
 * in the submitter's task (URING_CMD), with a zone status the zoned layer
 * may note beside it (uringblk_nvme_bio_note()).
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/compat.h>
#include <linux/completion.h>
#include <linux/io_uring.h>
#include <linux/nvme_ioctl.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "cmd_mem.h"
#include "compat.h"
#include "compat_internals.h"
#include "nvme.h"
#include "status.h"
#include "uringblk.h"

/*
 * Is the caller a 32-bit program?  An ioctl's system call says so; a
 * URING_CMD's ring does (io_uring_setup() noted it), not the task issuing
 * it: that may be an io-wq worker, whose saved registers are those its
 * creator had when it ran io-wq's task work, and when that ran on the way
 * back to user mode from an interrupt, orig_ax is -1, in which x86's
 * in_compat_syscall() sees the x32 bit.  Such a worker took a 64-bit
 * program's pointers as 32-bit ones: -EFAULT (fuzz_cmds, nvme_vec's
 * iowq_worker_from_irq).  6.1's nvme_to_user_ptr() asks in_compat_syscall()
 * on both paths.
 */
static bool uringblk_nvme_compat(struct io_uring_cmd *ioucmd)
{
	if (ioucmd)
		return uringblk_cmd_compat(ioucmd);
	return in_compat_syscall();
}

/* As the kernel's nvme_to_user_ptr(): a 32-bit caller's upper bits are ignored. */
static void __user *uringblk_nvme_uptr(u64 val, bool compat)
{
	if (compat)
		val = (compat_uptr_t)val;
	return u64_to_user_ptr(val);
}

/*
 * import_iovec() for a caller whose kind in_compat_syscall() may misjudge
 * (uringblk_nvme_compat()): import_iovec() itself when it judges right,
 * else its rules by hand (__import_iovec(), which takes the kind, is not
 * exported): at most UIO_MAXIOV, a negative length -EINVAL, an unreadable
 * array -EFAULT, the total capped at MAX_RW_COUNT.  *@iovp: as
 * import_iovec()'s, NULL if @fast held the array.
 */
static ssize_t uringblk_nvme_iovec(int dir, u64 addr, u32 nr, bool compat,
				   struct iovec *fast, unsigned int nr_fast,
				   struct iovec **iovp, struct iov_iter *iter)
{
	struct iovec *iov = fast;
	size_t total = 0;
	u32 i;

	if (compat == in_compat_syscall()) {
		*iovp = fast;
		return import_iovec(dir, uringblk_nvme_uptr(addr, compat), nr, nr_fast,
				    iovp, iter);
	}
	*iovp = NULL;
	if (nr > UIO_MAXIOV)
		return -EINVAL;
	if (nr > nr_fast) {
		iov = kmalloc_array(nr, sizeof(*iov), GFP_KERNEL_ACCOUNT);
		if (!iov)
			return -ENOMEM;
	}
	for (i = 0; i < nr; i++) {
		ssize_t len;

		if (compat) {
			struct compat_iovec ci;

			if (copy_from_user(&ci, (struct compat_iovec __user *)
					   uringblk_nvme_uptr(addr, true) + i, sizeof(ci)))
				goto efault;
			iov[i].iov_base = compat_ptr(ci.iov_base);
			len = (compat_ssize_t)ci.iov_len;
		} else {
			if (copy_from_user(&iov[i], (struct iovec __user *)
					   u64_to_user_ptr(addr) + i, sizeof(iov[i])))
				goto efault;
			len = iov[i].iov_len;
		}
		if (len < 0) {
			if (iov != fast)
				kfree(iov);
			return -EINVAL;
		}
		if (len > MAX_RW_COUNT - total)
			len = MAX_RW_COUNT - total;
		iov[i].iov_len = len;
		total += len;
	}
	iov_iter_init(iter, dir, iov, nr, total);
	if (iov != fast)
		*iovp = iov;
	return total;
efault:
	if (iov != fast)
		kfree(iov);
	return -EFAULT;
}

/*
 * A plain data buffer as an iov_iter: a registered buffer for URING_CMD
 * with IORING_URING_CMD_FIXED, else user memory.  @dir: READ (device to
 * host) or WRITE.  For the namespace nodes' commands (nvme_ns.c), which
 * take no vectored buffer.
 */
int uringblk_nvme_import(const struct nvme_passthru_cmd64 *c,
			 struct io_uring_cmd *ioucmd, int dir,
			 struct iovec *iov, struct iov_iter *iter)
{
	if (ioucmd && (ioucmd->flags & IORING_URING_CMD_FIXED))
		return io_uring_cmd_import_fixed(c->addr, c->data_len, dir, iter,
						 ioucmd);
	return uringblk_import_ubuf(dir, uringblk_nvme_uptr(c->addr,
							   uringblk_nvme_compat(ioucmd)),
				   c->data_len, iov, iter);
}

/**
 * uringblk_nvme_map() - import a command's data buffer (the host half)
 * @c:		the command; a vectored one's data_len becomes the bytes its
 *		iovecs describe, as the device half sees the transfer
 * @ioucmd:	the URING_CMD, or NULL for an ioctl
 * @vec:	data_len counts iovecs at addr
 * @d:		filled; uringblk_nvme_unmap() after use, also on failure
 *
 * The direction is the opcode's (bit 0: data to the device), as
 * nvme_req_op().  No buffer (addr or data_len 0) leaves @d->iter empty.
 * Process context.  Return: 0 or -errno (metadata -EINVAL; a registered
 * buffer for a vectored command -EINVAL; import's -EFAULT, -EINVAL).
 */
int uringblk_nvme_map(struct nvme_passthru_cmd64 *c, struct io_uring_cmd *ioucmd,
		      bool vec, struct uringblk_nvme_data *d)
{
	int dir = (c->opcode & 1) ? WRITE : READ;
	struct iovec *iov = d->fast;
	int ret;

	d->iov = NULL;
	iov_iter_kvec(&d->iter, dir, NULL, 0, 0);
	/* This drive's namespace has no metadata (6.1: not supported, -EINVAL). */
	if (c->metadata && c->metadata_len)
		return -EINVAL;
	if (!c->addr || !c->data_len) {
		c->data_len = 0;
		return 0;
	}
	if (ioucmd && (ioucmd->flags & IORING_URING_CMD_FIXED)) {
		if (vec)	/* fixedbufs is only for non-vectored I/O */
			return -EINVAL;
		return io_uring_cmd_import_fixed(c->addr, c->data_len, dir, &d->iter,
						 ioucmd);
	}
	if (!vec)
		return uringblk_import_ubuf(dir, uringblk_nvme_uptr(c->addr,
								   uringblk_nvme_compat(ioucmd)),
					   c->data_len, d->fast, &d->iter);
	ret = uringblk_nvme_iovec(dir, c->addr, c->data_len, uringblk_nvme_compat(ioucmd),
				  d->fast, ARRAY_SIZE(d->fast), &iov, &d->iter);
	if (ret < 0)
		return ret;
	d->iov = iov;		/* NULL if the array fit in fast[] */
	c->data_len = iov_iter_count(&d->iter);
	if (!c->data_len)
		c->addr = 0;
	return 0;
}

/* What uringblk_nvme_map() allocated. */
void uringblk_nvme_unmap(struct uringblk_nvme_data *d)
{
	kfree(d->iov);
	d->iov = NULL;
}

/*
 * A bounced bio's client buffer, kept for the copy after a read (the
 * iovec or bvec array duplicated: the caller's goes away first; an
 * ITER_UBUF has none, uringblk_nvme_bounce_keep()).
 */
struct uringblk_nvme_bounce {
	struct iov_iter	iter;
	struct iovec	iov;	/* @iter's one segment, when it has one */
	const void	*dup;	/* dup_iter()'s array, when it has more */
	struct uringblk_dev *dev;	/* whose cmd_mem holds @charged */
	size_t		charged;	/* uringblk_cmd_mem_get()'s bytes */
};

/**
 * uringblk_nvme_page_bio() - a bio on the driver's own pages
 * @disk:	the drive's disk
 * @opf:	its operation and flags
 * @pos:	device byte offset
 * @len:	bytes, at most what one bio holds (MDTS)
 *
 * For bounces and for commands that move data inside the drive (Copy).
 * The pages are charged to the caller's memory cgroup (the caller counts
 * them against the drive's max_cmd_kb).  May sleep.
 * Return: the bio, or NULL without memory.
 */
struct bio *uringblk_nvme_page_bio(struct gendisk *disk, blk_opf_t opf, u64 pos,
				   u32 len)
{
	u32 nr = DIV_ROUND_UP(len, PAGE_SIZE), n;
	struct bio *bio;

	if (nr > BIO_MAX_VECS)
		return NULL;
	bio = bio_alloc(disk->part0, nr, opf, GFP_KERNEL);
	if (!bio)
		return NULL;
	bio->bi_iter.bi_sector = pos >> SECTOR_SHIFT;
	for (; len; len -= n) {
		struct page *page = alloc_page(URINGBLK_CMD_GFP);

		n = min_t(u32, len, PAGE_SIZE);
		if (!page || bio_add_page(bio, page, n, 0) != n) {
			if (page)
				__free_page(page);
			uringblk_nvme_page_bio_put(bio);
			return NULL;
		}
	}
	return bio;
}

/* A bio of uringblk_nvme_page_bio(): its pages and itself. */
void uringblk_nvme_page_bio_put(struct bio *bio)
{
	struct bvec_iter_all iter_all;
	struct bio_vec *bv;

	bio_for_each_segment_all(bv, bio, iter_all)
		__free_page(bv->bv_page);
	bio_put(bio);
}

/* Copy between a page bio and @iter; @to_client: after a read. */
static int uringblk_nvme_page_bio_copy(struct bio *bio, struct iov_iter *iter,
				       bool to_client)
{
	struct bvec_iter_all iter_all;
	struct bio_vec *bv;

	bio_for_each_segment_all(bv, bio, iter_all) {
		size_t n = to_client ?
			   copy_page_to_iter(bv->bv_page, bv->bv_offset, bv->bv_len, iter) :
			   copy_page_from_iter(bv->bv_page, bv->bv_offset, bv->bv_len, iter);

		if (n != bv->bv_len)
			return -EFAULT;
	}
	return 0;
}

/* A bounce's struct, not its pages: the charge is given back. */
static void uringblk_nvme_bounce_free(struct uringblk_nvme_bounce *b)
{
	kfree(b->dup);
	uringblk_cmd_mem_put(b->dev, b->charged);
	kfree(b);
}

/*
 * Does keeping @iter copy its array?  Not for one segment: a plain buffer
 * is an ITER_UBUF on Linux 6.12 and a one-segment ITER_IOVEC on 6.1
 * (uringblk_import_ubuf(), compat.h); the bounce keeps either in itself,
 * so the same command holds the same memory on both kernels.
 */
static bool uringblk_nvme_bounce_dups(const struct iov_iter *iter)
{
	return !iter_is_ubuf(iter) && !(iter_is_iovec(iter) && iter->nr_segs == 1);
}

/*
 * Keep a read's client buffer for the copy back.  dup_iter() copies an
 * iovec, kvec or bvec array; it returns NULL for an ITER_UBUF, which has
 * none (reading that NULL as -ENOMEM once failed every bounced read on
 * 6.12), so a single segment is kept here instead.
 */
static int uringblk_nvme_bounce_keep(struct uringblk_nvme_bounce *b,
				     struct iov_iter *iter)
{
	if (iter_is_ubuf(iter)) {
		b->iter = *iter;
		return 0;
	}
	if (!uringblk_nvme_bounce_dups(iter)) {
		b->iov = uringblk_iter_segment(iter);
		iov_iter_init(&b->iter, iov_iter_rw(iter), &b->iov, 1, b->iov.iov_len);
		return 0;
	}
	b->dup = dup_iter(&b->iter, iter, URINGBLK_CMD_GFP);
	return b->dup ? 0 : -ENOMEM;
}

/*
 * The bounce: the driver's pages, filled from the client before a write,
 * the client's buffer kept for after a read.  What it holds until the
 * command ends (the pages, a read's copy of the iovec array) counts
 * against the drive's max_cmd_kb first, -EBUSY beyond, and is charged to
 * the submitter's memory cgroup: an unprivileged user's commands waiting
 * on a slow drive cannot pin the kernel's memory.
 */
static struct bio *uringblk_nvme_bounce_bio(struct gendisk *disk, blk_opf_t opf,
					    u64 pos, struct iov_iter *iter, u32 len,
					    struct uringblk_nvme_bounce **bp)
{
	struct uringblk_dev *dev = disk->private_data;
	struct uringblk_nvme_bounce *b;
	struct bio *bio = NULL;
	size_t charge = round_up(len, PAGE_SIZE);
	int ret;

	if (!op_is_write(opf) && uringblk_nvme_bounce_dups(iter))
		charge += iter->nr_segs * sizeof(struct iovec);
	ret = uringblk_cmd_mem_get(dev, charge);
	if (ret)
		return ERR_PTR(ret);
	b = kzalloc(sizeof(*b), URINGBLK_CMD_GFP);
	if (!b) {
		uringblk_cmd_mem_put(dev, charge);
		return ERR_PTR(-ENOMEM);
	}
	b->dev = dev;
	b->charged = charge;
	bio = uringblk_nvme_page_bio(disk, opf, pos, len);
	if (!bio) {
		ret = -ENOMEM;
		goto fail;
	}
	if (op_is_write(opf)) {
		ret = uringblk_nvme_page_bio_copy(bio, iter, false);
		if (ret)
			goto fail;
	} else {
		ret = uringblk_nvme_bounce_keep(b, iter);
		if (ret)
			goto fail;
	}
	*bp = b;
	return bio;
fail:
	if (bio)
		uringblk_nvme_page_bio_put(bio);
	uringblk_nvme_bounce_free(b);
	return ERR_PTR(ret);
}

/**
 * uringblk_nvme_data_bio() - the bio of a Read, Write or Flush
 * @disk:	the drive's disk, referenced by the caller
 * @opf:	the operation
 * @pos:	device byte offset
 * @iter:	the client's buffer (uringblk_nvme_map()), exactly @len bytes
 * @len:	0 (Flush) or the transfer, at most MDTS
 * @bp:		set to the bounce when the pages could not be pinned, else NULL
 *
 * Pins outside dev->lock; may sleep.  Return: the bio or an ERR_PTR
 * (-EFAULT: a hole in the buffer; -ENOMEM; -EBUSY: a bounce with the
 * drive's max_cmd_kb in flight already).
 */
struct bio *uringblk_nvme_data_bio(struct gendisk *disk, blk_opf_t opf, u64 pos,
				   struct iov_iter *iter, u32 len,
				   struct uringblk_nvme_bounce **bp)
{
	struct iov_iter saved = *iter;
	struct bio *bio;
	int ret;

	*bp = NULL;
	if (!len) {
		bio = bio_alloc(disk->part0, 0, opf, GFP_KERNEL);
		return bio ?: ERR_PTR(-ENOMEM);
	}
	/* Direct I/O's rule: segments 512-byte aligned, else the bounce. */
	if (iov_iter_alignment(iter) & (SECTOR_SIZE - 1))
		return uringblk_nvme_bounce_bio(disk, opf, pos, iter, len, bp);
	/*
	 * From the per-CPU bio cache, as the block device's O_DIRECT bios
	 * (fops.c) are: a short transfer's bio then costs no mempool and
	 * slab round trip.  The final bio_put() must be in process context:
	 * it is (the task work, the ioctl, the error path here); a split's
	 * clone comes from the queue's bio set, which has no cache, and
	 * bio_alloc_bioset() drops the flag for long ones.
	 */
	bio = bio_alloc(disk->part0, bio_iov_vecs_to_alloc(iter, BIO_MAX_VECS),
			opf | REQ_ALLOC_CACHE, GFP_KERNEL);
	if (!bio)
		return ERR_PTR(-ENOMEM);
	bio->bi_iter.bi_sector = pos >> SECTOR_SHIFT;
	ret = bio_iov_iter_get_pages(bio, iter);
	if (!ret && !iov_iter_count(iter))
		return bio;
	uringblk_nvme_bio_put(bio, NULL);
	if (ret)
		return ERR_PTR(ret);
	/* More segments than one bio holds (a long iovec array): bounce. */
	*iter = saved;
	return uringblk_nvme_bounce_bio(disk, opf, pos, iter, len, bp);
}

/**
 * uringblk_nvme_bio_put() - release a bio of uringblk_nvme_data_bio()
 * @bio:	the bio, ended or never submitted
 * @b:		its bounce, or NULL: the client's pinned pages (dirtied if
 *		read into)
 *
 * A bounce is only freed: uringblk_nvme_bio_finish() copies a read back.
 * May sleep (the page locks of set_page_dirty_lock()).
 */
void uringblk_nvme_bio_put(struct bio *bio, struct uringblk_nvme_bounce *b)
{
	if (b) {
		uringblk_nvme_page_bio_put(bio);
		uringblk_nvme_bounce_free(b);
		return;
	}
	bio_release_pages(bio, bio_data_dir(bio) == READ);
	bio_put(bio);
}

/**
 * uringblk_nvme_bio_finish() - the end of a Read or Write in the submitter
 * @bio:	the ended bio
 * @b:		its bounce or NULL
 * @status:	the command's answer so far
 *
 * A bounced read that succeeded is copied to the client here, in its task
 * (blk_rq_unmap_user()'s place); then the bio is released.
 * Return: @status, or -EFAULT if that copy faulted (the kernel drops that
 * error; here the client learns its buffer does not hold the data).
 */
int uringblk_nvme_bio_finish(struct bio *bio, struct uringblk_nvme_bounce *b,
			     int status)
{
	if (b && !status && !op_is_write(bio->bi_opf) &&
	    uringblk_nvme_page_bio_copy(bio, &b->iter, true))
		status = -EFAULT;
	uringblk_nvme_bio_put(bio, b);
	return status;
}

/*
 * A Read, Write or Flush not waited for, while its bio is in flight: the
 * front end's request (req.h), copied, and what its end releases.
 */
struct uringblk_nvme_bio_req {
	struct uringblk_req	req;
	struct bio		*bio;		/* its pages to release at completion */
	struct gendisk		*disk;		/* referenced until then */
	struct uringblk_nvme_bounce *bounce;	/* or NULL */
	int			zstatus;	/* the zone write core's, or 0 (bio_note) */
};

/*
 * The NVMe status of a finished bio (@err: its errno; @zst: the status
 * the zone write core noted, uringblk_nvme_bio_note(), or 0), in process
 * context (a zoned drive's failed write may sleep here).  The block
 * layer keeps only an errno, and the one table reads -EIO as a Read
 * Error: a Write that fails so is a Write Fault, unless the zoned layer
 * said why (Zone Invalid Write, Zone Is Full, ...) or the drive is being
 * removed (Namespace Not Ready: uringblk_nvme_disk_errno()).
 */
static int uringblk_nvme_bio_status(struct bio *bio, int err, int zst)
{
	/* A write the block layer refused, or the plug it left behind (6.10+). */
	if (err && op_is_write(bio_op(bio)))
		zst = uringblk_zone_write_refused(bio->bi_bdev->bd_disk->private_data,
						  bio, zst);
	if (err && zst)
		return uringblk_nvme_status(zst);
	err = uringblk_nvme_disk_errno(bio->bi_bdev->bd_disk, err);
	if (op_is_write(bio_op(bio)))
		return uringblk_nvme_write_status(bio->bi_bdev->bd_disk, err);
	return uringblk_nvme_status(err);
}

/* An ioctl's bio, waited for: submit_bio_wait() with room for a zone status. */
struct uringblk_nvme_wait {
	struct completion done;
	int		zstatus;	/* as uringblk_nvme_bio_req's */
};

static void uringblk_nvme_wait_end_io(struct bio *bio)
{
	complete(&((struct uringblk_nvme_wait *)bio->bi_private)->done);
}

/**
 * uringblk_nvme_bio_submit_wait() - submit an ioctl's Read, Write or Flush
 * @bio:	from uringblk_nvme_data_bio()
 *
 * Sleeps until it ends.  Return: its NVMe status (a noted zone status, or
 * that of its errno: Write Fault for a write's -EIO).
 */
int uringblk_nvme_bio_submit_wait(struct bio *bio)
{
	struct uringblk_nvme_wait w = { .zstatus = 0 };

	init_completion(&w.done);
	bio->bi_private = &w;
	bio->bi_end_io = uringblk_nvme_wait_end_io;
	submit_bio(bio);
	wait_for_completion_io(&w.done);
	return uringblk_nvme_bio_status(bio, blk_status_to_errno(bio->bi_status),
					w.zstatus);
}

static void uringblk_nvme_end_io(struct bio *bio);

/**
 * uringblk_nvme_bio_note() - keep a zone status beside an NVMe command's bio
 * @bio:	the first bio of a request that fails
 * @status:	uringblk_st(the status), e.g. Zone Invalid Write
 *
 * The zoned layer's request path, which fails the request with -EIO as
 * the block device must see it, calls it for every failed zone write
 * (registered at load: uringblk_zone_set_status_note(), main.c); an NVMe
 * Write then answers the zone's own status.  NVMe bios are REQ_NOMERGE, so the request holds only
 * the command's bio; a bio of anyone else is left alone.  Any context.
 */
void uringblk_nvme_bio_note(struct bio *bio, int status)
{
	if (bio->bi_end_io == uringblk_nvme_end_io)
		((struct uringblk_nvme_bio_req *)bio->bi_private)->zstatus = status;
	else if (bio->bi_end_io == uringblk_nvme_wait_end_io)
		((struct uringblk_nvme_wait *)bio->bi_private)->zstatus = status;
}

/*
 * In the submitter's task (the request's ->to_task()): a bounce's copy,
 * the pages, the disk, then the completion, with nothing left held.
 */
static void uringblk_nvme_bio_req_end(struct uringblk_req *req, struct uringblk_issue is)
{
	struct uringblk_nvme_bio_req *b = container_of(req, struct uringblk_nvme_bio_req, req);
	struct uringblk_req r = b->req;
	int status = uringblk_nvme_bio_status(b->bio, blk_status_to_errno(b->bio->bi_status),
					      b->zstatus);

	status = uringblk_nvme_bio_finish(b->bio, b->bounce, status);
	put_device(disk_to_dev(b->disk));	/* may free the disk: may sleep */
	kfree(b);
	/* The request's vocabulary (req.h): an NVMe status as uringblk_st() */
	if (status > 0)
		status = uringblk_st(status & ~URINGBLK_NVME_DNR);
	r.ops->complete(&r, status, 0, is);
}

/*
 * The bio ended (any context, a timer's too): its status and the rest in
 * the submitter's task.
 */
static void uringblk_nvme_end_io(struct bio *bio)
{
	struct uringblk_nvme_bio_req *b = bio->bi_private;

	b->req.ops->to_task(&b->req, uringblk_nvme_bio_req_end);
}

/**
 * uringblk_nvme_bio_submit_async() - submit a Read, Write or Flush not waited for
 * @req:	the request, with ->to_task(): completed when the bio ends
 * @bio:	from uringblk_nvme_data_bio()
 * @disk:	the drive's disk, referenced; the reference is dropped at the end
 * @bounce:	the bio's bounce, or NULL
 * @nowait:	the issue must not sleep: the request's copy is allocated
 *		without waiting
 *
 * A copy of @req holds them until then.  The bio is not REQ_POLLED on an
 * IOPOLL ring (uringblk_nvme_uring_cmd_iopoll()).
 * Return: -EIOCBQUEUED; or, with nothing submitted and @bio, @disk still
 * the caller's, -ENOMEM or (@nowait) -EAGAIN.
 */
int uringblk_nvme_bio_submit_async(const struct uringblk_req *req, struct bio *bio,
				   struct gendisk *disk,
				   struct uringblk_nvme_bounce *bounce, bool nowait)
{
	struct uringblk_nvme_bio_req *b;

	b = kmalloc(sizeof(*b), nowait ? GFP_NOWAIT : GFP_KERNEL);
	if (!b)
		return nowait ? -EAGAIN : -ENOMEM;
	b->req = *req;
	b->bio = bio;
	b->disk = disk;
	b->bounce = bounce;
	b->zstatus = 0;
	bio->bi_private = b;
	bio->bi_end_io = uringblk_nvme_end_io;
	submit_bio(bio);
	return -EIOCBQUEUED;
}
