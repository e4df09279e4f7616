// SPDX-License-Identifier: GPL-2.0
/*
 * The NVMe front end's NVM commands that are not one data bio (nvme.c has
 * Read, Write and Flush): Write Zeroes (08h), Dataset Management (09h,
 * deallocate) and Compare (05h); Copy (19h) is nvme_copy.c's.  Each runs in process context, waited
 * for, on the drive's disk through the block layer's own calls
 * (blkdev_issue_zeroout(), blkdev_issue_discard(), a read bio), so the
 * block path does the work (rq.c: fault injection, the zoned layer, the
 * backend, the timing model, the counters) as for Read and Write.
 * Checks and statuses follow nvmet's io-cmd-bdev.c where it has the
 * command (Write Zeroes, Dataset Management) and QEMU's NVMe device where
 * it does not (Compare).
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/highmem.h>
#include <linux/nvme.h>
#include <linux/nvme_ioctl.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "cmd_mem.h"
#include "kv_ns.h"
#include "nvme.h"
#include "uringblk.h"

/* Dataset Management's ranges: NR is 8 bits, 0's based. */
#define URINGBLK_NVME_DSM_MAX	256

/*
 * An errno of the block layer on @disk as the status of a command that
 * writes: -EIO a Write Fault, unless the drive is being removed
 * (Namespace Not Ready, uringblk_nvme_disk_errno()).
 */
int uringblk_nvme_write_status(struct gendisk *disk, int err)
{
	int st = uringblk_nvme_status(uringblk_nvme_disk_errno(disk, err));

	if ((st & 0x7ff) == NVME_SC_READ_ERROR)
		st = (st & ~0x7ff) | NVME_SC_WRITE_FAULT;
	return st;
}

/* [slba, slba + nlb) inside the namespace?  Overflow-safe. */
static bool uringblk_nvme_in_range(struct uringblk_dev *dev, u64 slba, u64 nlb)
{
	u64 nsze = dev->cfg.capacity >> uringblk_nvme_lba_shift(dev);

	return slba < nsze && nlb <= nsze - slba;
}

/*
 * Write Zeroes (08h): no data buffer (Data SGL Length Invalid), the range
 * in the namespace (LBA Out of Range); the drive's write-zeroes request,
 * or on a zoned drive (which has none) zeroed pages written at the write
 * pointer, as blkdev_issue_zeroout() falls back.  DEAC and FUA change
 * nothing: the zeroes read back either way, and the request is waited for.
 */
static int uringblk_nvme_write_zeroes(struct uringblk_dev *dev, struct gendisk *disk,
				      const struct nvme_passthru_cmd64 *c)
{
	u32 shift = uringblk_nvme_lba_shift(dev);
	u64 slba = c->cdw10 | (u64)c->cdw11 << 32;
	u64 nlb = (c->cdw12 & 0xffff) + 1;
	int err;

	if (uringblk_nvme_xfer_len(c))
		return NVME_SC_SGL_INVALID_DATA | URINGBLK_NVME_DNR;
	if (!uringblk_nvme_in_range(dev, slba, nlb))
		return NVME_SC_LBA_RANGE | URINGBLK_NVME_DNR;
	err = blkdev_issue_zeroout(disk->part0, (slba << shift) >> SECTOR_SHIFT,
				   (nlb << shift) >> SECTOR_SHIFT, GFP_KERNEL, 0);
	return uringblk_nvme_write_status(disk, err);
}

/*
 * Dataset Management (09h): NR + 1 ranges of 16 bytes from the client (a
 * transfer shorter than they are: Data SGL Length Invalid, as nvmet; a
 * longer one is fine).  With the Attribute Deallocate (AD) alone, as nvmet
 * asks, every range is checked first (LBA Out of Range, nothing
 * deallocated), then discarded: it reads back as zeroes.  Other attributes
 * are hints: success, nothing done (nvmet).
 */
static int uringblk_nvme_dsm(struct uringblk_dev *dev, struct gendisk *disk,
			     const struct nvme_passthru_cmd64 *c, struct iov_iter *iter)
{
	u32 shift = uringblk_nvme_lba_shift(dev);
	u32 nr = (c->cdw10 & 0xff) + 1;
	size_t len = nr * sizeof(struct nvme_dsm_range);
	struct nvme_dsm_range *r;
	int ret = 0, err;
	u32 i;

	BUILD_BUG_ON(URINGBLK_NVME_DSM_MAX * sizeof(*r) > PAGE_SIZE);
	if (uringblk_nvme_xfer_len(c) < len)
		return NVME_SC_SGL_INVALID_DATA | URINGBLK_NVME_DNR;
	r = kmalloc(len, GFP_KERNEL_ACCOUNT);
	if (!r)
		return -ENOMEM;
	if (copy_from_iter(r, len, iter) != len) {
		ret = -EFAULT;
		goto out;
	}
	if (c->cdw11 != NVME_DSMGMT_AD)
		goto out;
	for (i = 0; i < nr; i++) {
		if (!uringblk_nvme_in_range(dev, le64_to_cpu(r[i].slba),
					    le32_to_cpu(r[i].nlb))) {
			ret = NVME_SC_LBA_RANGE | URINGBLK_NVME_DNR;
			goto out;
		}
	}
	for (i = 0; i < nr; i++) {
		u64 nlb = le32_to_cpu(r[i].nlb);

		if (!nlb)
			continue;
		err = blkdev_issue_discard(disk->part0,
					   (le64_to_cpu(r[i].slba) << shift) >> SECTOR_SHIFT,
					   (nlb << shift) >> SECTOR_SHIFT, GFP_KERNEL);
		if (err) {
			ret = uringblk_nvme_write_status(disk, err);
			break;
		}
	}
out:
	kfree(r);
	return ret;
}

/*
 * Compare (05h): the LBAs read (a read bio into pages of the driver's own,
 * so the read path's fault injection and timing apply) and compared with
 * the client's data: Compare Failure (SCT 2h, 85h) with DNR on the first
 * difference.  Its checks are Read's (nvme.c's decoding).
 */
static int uringblk_nvme_compare(struct uringblk_dev *dev, struct gendisk *disk,
				 const struct nvme_passthru_cmd64 *c, struct iov_iter *iter)
{
	u32 shift = uringblk_nvme_lba_shift(dev);
	u64 slba = c->cdw10 | (u64)c->cdw11 << 32;
	u32 len = ((c->cdw12 & 0xffff) + 1) << shift;
	u32 nr = DIV_ROUND_UP(len, PAGE_SIZE), i, n, off;
	struct page **pages;
	struct bio *bio;
	void *host;
	int ret = 0;

	/* its pages count against max_cmd_kb, charged to the caller */
	ret = uringblk_cmd_mem_get(dev, (size_t)nr << PAGE_SHIFT);
	if (ret)
		return ret;
	pages = kcalloc(nr, sizeof(*pages), GFP_KERNEL_ACCOUNT);
	host = kmalloc(PAGE_SIZE, GFP_KERNEL_ACCOUNT);
	bio = bio_alloc(disk->part0, nr, REQ_OP_READ, GFP_KERNEL);
	if (!pages || !host || !bio) {
		ret = -ENOMEM;
		goto out;
	}
	bio->bi_iter.bi_sector = (slba << shift) >> SECTOR_SHIFT;
	for (i = 0, off = 0; i < nr; i++, off += n) {
		n = min_t(u32, len - off, PAGE_SIZE);
		pages[i] = alloc_page(URINGBLK_CMD_GFP);
		if (!pages[i]) {
			ret = -ENOMEM;
			goto out;
		}
		if (bio_add_page(bio, pages[i], n, 0) != n) {
			ret = -EINVAL;	/* cannot happen: MDTS fits one bio */
			goto out;
		}
	}
	ret = submit_bio_wait(bio);
	if (ret) {
		ret = uringblk_nvme_status(uringblk_nvme_disk_errno(disk, ret));
		goto out;
	}
	for (i = 0, off = 0; i < nr; i++, off += n) {
		n = min_t(u32, len - off, PAGE_SIZE);
		if (copy_from_iter(host, n, iter) != n) {
			ret = -EFAULT;
			break;
		}
		if (memcmp(host, page_address(pages[i]), n)) {
			ret = NVME_SC_COMPARE_FAILED | URINGBLK_NVME_DNR;
			break;
		}
	}
out:
	if (pages)
		for (i = 0; i < nr; i++)
			if (pages[i])
				__free_page(pages[i]);
	if (bio)
		bio_put(bio);
	kfree(host);
	kfree(pages);
	uringblk_cmd_mem_put(dev, (size_t)nr << PAGE_SHIFT);
	return ret;
}

/**
 * uringblk_nvme_nvm_effects() - the NVM command set's I/O commands
 * @dev:	the drive
 * @opcode:	an I/O opcode
 *
 * The one list of the NVM commands this drive takes (struct
 * uringblk_nvme_cset): the Commands Supported and Effects log, the
 * permission rule and ONCS (nvme.c), and the decoding all ask it.  ZNS's
 * list is this one plus the zone commands (nvme_zns.c).  A drive whose
 * NSID 1 is of another set (KV) has no NVM namespace: no commands.
 * Return: NVME_CMD_EFFECTS_* (CSUPP, LBCC where the data can change), or 0.
 */
u32 uringblk_nvme_nvm_effects(struct uringblk_dev *dev, u8 opcode)
{
	const u32 sup = NVME_CMD_EFFECTS_CSUPP;
	u8 csi = uringblk_nvme_csi(dev);

	if (csi != NVME_CSI_NVM && csi != NVME_CSI_ZNS)
		return 0;
	switch (opcode) {
	case nvme_cmd_flush:
	case nvme_cmd_read:
	case nvme_cmd_compare:
		return sup;
	case nvme_cmd_write:
	case nvme_cmd_write_zeroes:
		return sup | NVME_CMD_EFFECTS_LBCC;
	case URINGBLK_NVME_CMD_COPY:	/* ZNS: to a write pointer (nvme_copy.c) */
		return sup | NVME_CMD_EFFECTS_LBCC;
	case nvme_cmd_dsm:		/* a zoned drive has no deallocate */
		return csi == NVME_CSI_NVM ? sup | NVME_CMD_EFFECTS_LBCC : 0;
	default:		/* the seed dialect, with kv_nvm_mb (nvme_kv.c) */
		return uringblk_nvme_kv_nvm_effects(dev, opcode);
	}
}

/**
 * uringblk_nvme_nvm_exec() - Write Zeroes, Dataset Management or Compare
 * @dev:	the drive
 * @disk:	its disk, referenced by the caller
 * @c:		the command (one uringblk_nvme_nvm_io() sends here), checked by
 *		the host half; Compare's also decoded as a Read (range, length, MDTS)
 * @iter:	the client's data (DSM's ranges, Compare's data), or empty
 *
 * Process context; sleeps.  Return: 0, an NVMe status or -errno.
 */
int uringblk_nvme_nvm_exec(struct uringblk_dev *dev, struct gendisk *disk,
			   const struct nvme_passthru_cmd64 *c, struct iov_iter *iter)
{
	switch (c->opcode) {
	case nvme_cmd_write_zeroes:
		return uringblk_nvme_write_zeroes(dev, disk, c);
	case nvme_cmd_dsm:
		return uringblk_nvme_dsm(dev, disk, c, iter);
	case URINGBLK_NVME_CMD_COPY:
		return uringblk_nvme_copy(dev, disk, c, iter);
	default:
		return uringblk_nvme_compare(dev, disk, c, iter);
	}
}

/*
 * The NVM namespace's I/O: Read, Write and Flush are one data bio each
 * (nvme.c, which may be issued without blocking); the others here wait
 * (for their requests, a zoned drive's zone): from io-wq.
 */
static int uringblk_nvme_nvm_io(struct uringblk_dev *dev, const struct nvme_passthru_cmd64 *c,
				struct iov_iter *iter, const struct uringblk_req *req,
				struct uringblk_issue is, bool vec, u64 *result)
{
	/* the seed dialect over a kv_nvm_mb drive's KV region: the engine sleeps */
	if (uringblk_nvme_kv_nvm_effects(dev, c->opcode)) {
		if (is.nowait)
			return -EAGAIN;
		return uringblk_nvme_kv_exec(dev, c, iter, result);
	}
	switch (c->opcode) {
	case nvme_cmd_write_zeroes:
	case nvme_cmd_dsm:
	case nvme_cmd_compare:
	case URINGBLK_NVME_CMD_COPY:
		if (is.nowait)
			return -EAGAIN;
		return uringblk_nvme_nvm_sync(dev, c, iter);
	default:
		return uringblk_nvme_rw(dev, c, iter, req, is, vec);
	}
}

/* The NVM command set (CSI 00h), NSID 1 of a drive neither zoned nor kv */
const struct uringblk_nvme_cset uringblk_nvme_cset_nvm = {
	.csi		= NVME_CSI_NVM,
	.lbas		= true,
	.nowait		= true,
	.effects	= uringblk_nvme_nvm_effects,
	.io		= uringblk_nvme_nvm_io,
	/*
	 * Identify: all zero.  Its namespace data (CNS 05h): no protection
	 * information, no storage tag (LBSTM, PIC, ELBAF 0: a 16-bit guard,
	 * unused); nvmet 6.1 does not answer it (Invalid Field).  Its
	 * controller data (06h): no limits to report, as nvmet.
	 */
};
