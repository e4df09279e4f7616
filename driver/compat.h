/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version differences, kept in one place: the driver builds against
 * Linux 6.1 (Debian 12's own kernel) and 6.12 (the LTS Debian 12 also
 * ships), and every difference between the two that the driver meets is a
 * shim here or in compat_blk.c, each naming the kernel change it bridges.
 * Documentation/dev/kernels.md lists them and what behaves differently.
 *
 * Where a distribution's stable kernel carries a change before the version
 * that brought it (Debian's 6.1.y has the four-argument io_uring_cmd_done();
 * 6.12.y has struct rq_list), LINUX_VERSION_CODE cannot tell: so Kbuild
 * asks the target kernel's headers for every API difference and defines a
 * URINGBLK_HAS_* symbol (or URINGBLK_CMD_DONE_HAS_FLAGS) when they have
 * it; each shim names the release that brought the change.  Only a change
 * of behaviour the headers cannot show (a function whose prototype stayed)
 * is still a version test here, each with its reason in
 * tools/lint/checkpatch-allow.
 *
 * Only API here: what reaches into io_uring's, the block layer's or
 * nvme-core's internals is fenced in compat_internals.h (workarounds.md).
 */
#ifndef URINGBLK_COMPAT_H
#define URINGBLK_COMPAT_H

#include <linux/version.h>
#include <linux/io_uring.h>
#include <linux/io_uring_types.h>
#include <linux/percpu-refcount.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/blkdev.h>
#include <linux/blk-mq.h>
#include <linux/bio.h>
#include <linux/uio.h>

/*
 * 6.8, commit b66509b8497f ("io_uring: split out cmd api into a separate
 * header"): struct io_uring_cmd and its calls moved from <linux/io_uring.h>
 * to <linux/io_uring/cmd.h>; their signatures are those of Debian's 6.1.y.
 */
#ifdef URINGBLK_HAS_IO_URING_CMD_H
#include <linux/io_uring/cmd.h>
#endif

/*
 * 6.12, commit 5f60d5f6bbc1 ("move asm/unaligned.h to linux/unaligned.h"):
 * the get_unaligned_le32() family's header moved.
 */
#ifdef URINGBLK_HAS_LINUX_UNALIGNED_H
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/*
 * URINGBLK_CMD_DONE_HAS_FLAGS is set by Kbuild when the target kernel's
 * io_uring_cmd_done() takes issue_flags: mainline grew the fourth argument
 * in 6.3, and Debian's 6.1.y (e.g. 6.1.0-56, 6.1.192) carries the backport,
 * so neither LINUX_VERSION_CODE nor the docs can tell; the header can.
 */
static inline void uringblk_cmd_done(struct io_uring_cmd *ioucmd, ssize_t ret,
				     ssize_t res2, unsigned int issue_flags)
{
#ifdef URINGBLK_CMD_DONE_HAS_FLAGS
	io_uring_cmd_done(ioucmd, ret, res2, issue_flags);
#else
	io_uring_cmd_done(ioucmd, ret, res2);
#endif
}

/*
 * The command's payload in the SQE (16 bytes, 80 with IORING_SETUP_SQE128).
 * 6.4, commit fd9b8547bc5c ("io_uring: Pass whole sqe to commands"):
 * struct io_uring_cmd carries the SQE instead of a pointer to its payload.
 */
static inline const void *uringblk_cmd_payload(const struct io_uring_cmd *ioucmd)
{
#ifdef URINGBLK_HAS_CMD_SQE
	return ioucmd->sqe->cmd;
#else
	return ioucmd->cmd;
#endif
}

/*
 * A block device's ->open: 6.5 (Christoph Hellwig's block open series;
 * the commits are not confirmed here) gave it the gendisk and a blk_mode_t
 * (BLK_OPEN_WRITE) instead of the block_device and an fmode_t
 * (FMODE_WRITE).  URINGBLK_BDEV_OPEN(wrapper, fn) defines ->open @wrapper
 * that calls int fn(struct gendisk *disk, bool write).
 */
#ifdef URINGBLK_HAS_BLK_MODE_T
#define URINGBLK_BDEV_OPEN(wrapper, fn)					\
static int wrapper(struct gendisk *disk, blk_mode_t mode)		\
{									\
	return fn(disk, mode & BLK_OPEN_WRITE);				\
}
#else
#define URINGBLK_BDEV_OPEN(wrapper, fn)					\
static int wrapper(struct block_device *bdev, fmode_t mode)		\
{									\
	return fn(bdev->bd_disk, mode & FMODE_WRITE);			\
}
#endif

/* class_create() lost its owner argument in 6.4. */
static inline struct class *uringblk_class_create(const char *name)
{
#ifdef URINGBLK_HAS_CLASS_CREATE_NAME
	return class_create(name);
#else
	return class_create(THIS_MODULE, name);
#endif
}

/*
 * 6.13's struct rq_list (commit a3396b99990d, "block: add a rq_list
 * type"), which Debian's 6.12.y carries: ->queue_rqs() takes a list head
 * struct instead of a pointer to the first request.  Kbuild sets
 * URINGBLK_HAS_RQ_LIST from the headers.
 */
#ifdef URINGBLK_HAS_RQ_LIST
typedef struct rq_list uringblk_rq_list;
#define uringblk_rq_list_empty(list)	rq_list_empty(list)
#else
typedef struct request *uringblk_rq_list;
#define uringblk_rq_list_empty(list)	rq_list_empty(*(list))
#endif

/*
 * 6.4 (the commit is not confirmed here): bdev_start_io_acct() lost its
 * sectors argument and bdev_end_io_acct() gained it, so the sectors count
 * at completion.
 */
static inline void uringblk_bdev_io_acct(struct block_device *bdev,
					 enum req_op op, unsigned int sectors,
					 unsigned long start)
{
#ifdef URINGBLK_HAS_BDEV_ACCT_OP_FIRST
	bdev_start_io_acct(bdev, op, start);
	bdev_end_io_acct(bdev, op, sectors, start);
#else
	bdev_start_io_acct(bdev, sectors, op, start);
	bdev_end_io_acct(bdev, op, start);
#endif
}

/*
 * A queue map's CPUs.  6.3 (Ming Lei's "blk-mq: Build default queue map
 * via group_cpus_evenly()"; commit not confirmed here) maps them with
 * group_cpus_evenly(), which WARNs when asked for more groups than there
 * are CPUs; 6.1 gave each CPU a queue in turn and left the extra queues
 * without one.  Asking for at most one group per CPU maps the same way
 * on both, without the WARN: the queues beyond stay without CPUs (they
 * still exist: IDENTIFY and sysfs count them).  A change of
 * blk_mq_map_queues()'s behaviour, not of its prototype: the headers
 * cannot tell, so the release is tested.
 */
static inline void uringblk_map_queues_cpus(struct blk_mq_queue_map *map)
{
	unsigned int nr = map->nr_queues;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	map->nr_queues = min(nr, num_possible_cpus());
#endif
	blk_mq_map_queues(map);
	map->nr_queues = nr;
}

/*
 * A user buffer as an iov_iter.  6.8 removed import_single_range() (the
 * commit is not confirmed here); its callers use import_ubuf(): an ITER_UBUF
 * iterator instead of a one-segment ITER_IOVEC, which the driver treats
 * alike (user_backed_iter()).  @iov is 6.1's storage for the segment.
 */
static inline int uringblk_import_ubuf(int dir, void __user *buf, size_t len,
				       struct iovec *iov, struct iov_iter *iter)
{
#ifdef URINGBLK_HAS_IMPORT_UBUF
	return import_ubuf(dir, buf, len, iter);
#else
	return import_single_range(dir, buf, len, iov, iter);
#endif
}

/*
 * The segment an ITER_IOVEC is at, no longer than what is left of it.
 * 6.4 replaced iov_iter_iovec() with iter_iov_addr() and iter_iov_len()
 * (the iov member became __iov; the commit is not confirmed here).
 */
static inline struct iovec uringblk_iter_segment(const struct iov_iter *iter)
{
#ifdef URINGBLK_HAS_ITER_IOV_ADDR
	return (struct iovec) {
		.iov_base = iter_iov_addr(iter),
		.iov_len = min(iter->count, iter_iov_len(iter)),
	};
#else
	return iov_iter_iovec(iter);
#endif
}

/*
 * Pages of user memory (or of a bvec iterator) for a bio of the driver's
 * own, and how bio_release_pages() lets them go.  6.1: iov_iter_get_pages2()
 * takes page references that bio_release_pages() drops unless the bio is
 * flagged BIO_NO_PAGE_REF.  6.5 (David Howells' "block: Replace
 * BIO_NO_PAGE_REF with BIO_PAGE_REFFED" and "block: Convert bio_iov_iter_
 * get_pages to use iov_iter_extract_pages") inverted that: the pages of a
 * bio are pinned with iov_iter_extract_pages(), and bio_release_pages()
 * unpins them only if the bio is flagged BIO_PAGE_PINNED; a reference
 * taken by iov_iter_get_pages2() would never be dropped (a leak).  So on
 * 6.12 the driver pins as bio_iov_iter_get_pages() does.
 */
static inline ssize_t uringblk_bio_get_pages(struct bio *bio,
					     struct iov_iter *iter,
					     struct page **pages, size_t len,
					     unsigned int maxpages, size_t *off)
{
#ifdef URINGBLK_HAS_BIO_PAGE_PINNED
	ssize_t got = iov_iter_extract_pages(iter, &pages, len, maxpages, 0, off);

	if (got > 0 && iov_iter_extract_will_pin(iter))
		bio_set_flag(bio, BIO_PAGE_PINNED);
	return got;
#else
	return iov_iter_get_pages2(iter, pages, len, maxpages, off);
#endif
}

/* The bio's pages are the iterator's own (a bvec): nothing to drop. */
static inline void uringblk_bio_no_page_ref(struct bio *bio)
{
#ifndef URINGBLK_HAS_BIO_PAGE_PINNED
	bio_set_flag(bio, BIO_NO_PAGE_REF);
#endif
}

/*
 * Write @iter to @file at *@pos, with the file system's freeze protection
 * held.  6.7 (Amir Goldstein, "fs: move file_start_write() into
 * vfs_iter_write()") made vfs_iter_write() take it itself; before, the
 * caller did (6.1's loop driver: lo_write_bvec()).  Taking it around the
 * 6.7+ call nests sb_writers, which lockdep reports as recursive locking
 * and which deadlocks if a freeze starts between the two: seen on 6.12's
 * debug kernel when a file-backed zoned drive saved its zone metadata.
 * vfs_iter_write()'s prototype did not change: the release is tested.
 */
static inline ssize_t uringblk_vfs_iter_write(struct file *file,
					      struct iov_iter *iter, loff_t *pos)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
	return vfs_iter_write(file, iter, pos, 0);
#else
	ssize_t ret;

	file_start_write(file);
	ret = vfs_iter_write(file, iter, pos, 0);
	file_end_write(file);
	return ret;
#endif
}

/*
 * The queue's limits and features.  6.9 to 6.11 (Christoph Hellwig's
 * queue_limits series: queue_limits_start_update()/commit_update() in
 * 6.9, the BLK_FEAT_* features in 6.11) replaced
 * the blk_queue_*() setters and QUEUE_FLAG_NONROT/IO_STAT/NOWAIT/
 * ZONE_RESETALL with struct queue_limits, set at allocation or changed
 * between queue_limits_start_update() and queue_limits_commit_update().
 * The driver says what it wants here once; compat_blk.c applies it.
 */
struct uringblk_limits {
	u32 block_size;			/* logical = physical, bytes */
	u32 max_hw_sectors;
	u32 max_discard_sectors;	/* 0: no discard */
	u32 max_write_zeroes_sectors;	/* 0: no write-zeroes */
	bool iostats;			/* the block layer's I/O statistics */
	bool bio_based;			/* blk_alloc_disk(): no tag set */
};

struct gendisk *uringblk_alloc_disk(struct blk_mq_tag_set *set, void *queuedata);
int uringblk_set_queue_limits(struct gendisk *disk, const struct uringblk_limits *l);

#ifdef CONFIG_BLK_DEV_ZONED
/* The zoned geometry the driver gives its disk (uringblk_zone_register()). */
struct uringblk_zone_limits {
	u32 zone_sects;			/* zone size, sectors (power of 2) */
	u32 max_append_sects;		/* largest zone append */
	u32 max_open;			/* 0: no limit */
	u32 max_active;			/* 0: no limit */
};

int uringblk_set_zoned(struct gendisk *disk, const struct uringblk_zone_limits *z);
#endif

#endif /* URINGBLK_COMPAT_H */
