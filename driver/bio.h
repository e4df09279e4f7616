/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bio-based drive mode (bio.c): queue_mode=bio, and what queue_mode=auto
 * (the default) resolves to unless the drive needs blk-mq.  A drive in this
 * mode has no blk-mq tag set: bios reach uringblk_submit_bio() directly, as
 * brd's do.  Features built on struct request are refused at creation
 * (uringblk_queue_mode_validate()); an auto drive that asks for one of them
 * becomes a blk-mq drive instead (uringblk_queue_mode_resolve()).
 */
#ifndef URINGBLK_BIO_H
#define URINGBLK_BIO_H

#include <linux/bits.h>
#include <linux/blk_types.h>
#include <linux/types.h>

struct uringblk_config;
struct uringblk_dev;
struct uringblk_msg;
struct uringblk_reader;

/*
 * struct uringblk_config.queue_mode.  A device's own copy (dev->cfg) is
 * always MQ or BIO: uringblk_add() resolves AUTO before anything is made,
 * so every test of the mode on a device is exact.
 */
enum {
	URINGBLK_QUEUE_MQ = 0,	/* blk-mq (rq.c) */
	URINGBLK_QUEUE_BIO = 1,	/* ->submit_bio (bio.c) */
	URINGBLK_QUEUE_AUTO = 2, /* the default: BIO unless the drive needs MQ */
	URINGBLK_QUEUE_NR,
};

/*
 * struct uringblk_config.given: blk-mq's queue parameters the user gave
 * (insmod or configfs), not left at the module's defaults.  Giving any of
 * them describes a blk-mq drive, so an auto drive becomes one (poll_queues
 * only when above 0: no poll queues is what a bio drive has anyway); a bio
 * drive's poll queues are 0 unless given.
 */
#define URINGBLK_GIVEN_NR_HW_QUEUES	BIT(0)
#define URINGBLK_GIVEN_QUEUE_DEPTH	BIT(1)
#define URINGBLK_GIVEN_POLL_QUEUES	BIT(2)

/*
 * An operation's bit in an inline_ops mask (struct uringblk_backend_ops,
 * struct uringblk_dev).  enum req_op's values are blk_opf_t, restricted
 * for sparse: here the op is a number that picks a bit, not a flag.
 */
#define URINGBLK_OP_BIT(op)	BIT_ULL((__force unsigned int)(op))

const char *uringblk_queue_mode_name(u32 mode);
int uringblk_queue_mode_parse(const char *name, struct uringblk_msg *msg);
void uringblk_queue_mode_resolve(struct uringblk_config *cfg);
int uringblk_queue_mode_validate(const struct uringblk_config *cfg,
				 struct uringblk_msg *msg);

void uringblk_submit_bio(struct bio *bio);

/* rq.c: the per-page copy both modes use. */
int uringblk_copy(struct uringblk_dev *dev, void *buf, u64 pos, size_t len,
		  bool write, gfp_t gfp);

/* mem.c: a bio's data, whole pages without a per-page lookup from the root. */
int uringblk_mem_rw_bio(struct uringblk_dev *dev, struct bio *bio, u64 pos,
			bool write, gfp_t gfp);

/* fault.c: the decision of uringblk_fault_rq(), for any I/O. */
int uringblk_fault_io(struct uringblk_dev *dev, enum req_op op, sector_t sector,
		      sector_t nr, struct uringblk_reader *rd, u32 *delay_us);

#endif /* URINGBLK_BIO_H */
