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
 *   - plain user memory, import_single_range().
 * Then, for a Read or a Write, a bio: the client's pages pinned into it as
 * direct I/O does, or, when they cannot be (a buffer or segment not
 * 512-byte aligned, more segments than one bio holds), a bounce of the
 * driver's own pages, copied from the client before a write and to it after
 * a read, in the submitter's task, as blk_rq_map_user_iov() copies a
 * misaligned buffer.
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/compat.h>
#include <linux/io_uring.h>
#include <linux/nvme_ioctl.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "nvme.h"
#include "uringblk.h"

/* As the kernel's nvme_to_user_ptr(): a 32-bit caller's upper bits are ignored. */
static void __user *uringblk_nvme_uptr(u64 val)
{
	if (in_compat_syscall())
		val = (compat_uptr_t)val;
	return u64_to_user_ptr(val);
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
		return import_single_range(dir, uringblk_nvme_uptr(c->addr),
					   c->data_len, d->fast, &d->iter);
	ret = import_iovec(dir, uringblk_nvme_uptr(c->addr), c->data_len,
			   ARRAY_SIZE(d->fast), &iov, &d->iter);
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
 * iovec or bvec array duplicated: the caller's goes away first).
 */
struct uringblk_nvme_bounce {
	struct iov_iter	iter;
	const void	*dup;	/* dup_iter()'s array */
};

/**
 * uringblk_nvme_page_bio() - a bio on the driver's own pages
 * @disk:	the drive's disk
 * @opf:	its operation and flags
 * @pos:	device byte offset
 * @len:	bytes, at most what one bio holds (MDTS)
 *
 * For bounces and for commands that move data inside the drive (Copy).
 * May sleep.  Return: the bio, or NULL without memory.
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
		struct page *page = alloc_page(GFP_KERNEL);

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

/*
 * The bounce: the driver's pages, filled from the client before a write,
 * the client's buffer kept for after a read.
 */
static struct bio *uringblk_nvme_bounce_bio(struct gendisk *disk, blk_opf_t opf,
					    u64 pos, struct iov_iter *iter, u32 len,
					    struct uringblk_nvme_bounce **bp)
{
	struct uringblk_nvme_bounce *b;
	struct bio *bio;
	int ret;

	b = kzalloc(sizeof(*b), GFP_KERNEL);
	bio = uringblk_nvme_page_bio(disk, opf, pos, len);
	if (!b || !bio) {
		ret = -ENOMEM;
		goto fail;
	}
	if (op_is_write(opf)) {
		ret = uringblk_nvme_page_bio_copy(bio, iter, false);
		if (ret)
			goto fail;
	} else {
		b->dup = dup_iter(&b->iter, iter, GFP_KERNEL);
		if (!b->dup) {
			ret = -ENOMEM;
			goto fail;
		}
	}
	*bp = b;
	return bio;
fail:
	if (bio)
		uringblk_nvme_page_bio_put(bio);
	kfree(b);
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
 * (-EFAULT: a hole in the buffer; -ENOMEM).
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
	bio = bio_alloc(disk->part0, bio_iov_vecs_to_alloc(iter, BIO_MAX_VECS),
			opf, GFP_KERNEL);
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
		kfree(b->dup);
		kfree(b);
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
