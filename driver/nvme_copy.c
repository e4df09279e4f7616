// SPDX-License-Identifier: GPL-2.0
/*
 * The NVMe front end's Copy (19h) of the NVM command set, also on a zoned
 * drive's ZNS namespace: source ranges (descriptor format 0) copied to
 * SDLBA, each
 * read and then written through the drive's own block path (read and write
 * bios on its disk into pages of the driver's), so fault injection, the
 * timing model, the counters and the latency histograms see a read and a
 * write as for any other I/O.
 *
 * Linux 6.1 has no Copy: <linux/nvme.h> lacks the opcode, struct
 * nvme_copy_range, ONCS bit 8, Identify Namespace's MSSRL/MCL/MSRC and
 * Identify Controller's OCFS, and nvmet does not take it.  The layouts here
 * are those later kernels' <linux/nvme.h> carry; the checks and their order
 * are QEMU's NVMe device's (hw/nvme/ctrl.c, nvme_copy()): a format not in
 * OCFS Invalid Field; more than MSRC + 1 ranges Command Size Limit
 * Exceeded; then per range more than MSSRL LBAs Command Size Limit
 * Exceeded, a range outside the namespace LBA Out of Range; in all more
 * than MCL LBAs Command Size Limit Exceeded; the destination outside the
 * namespace LBA Out of Range.  All with DNR, all before any data moves.
 * Command Size Limit Exceeded is command specific (SCT 1h, SC 83h: 0x183,
 * the uAPI's URINGBLK_SC_CMD_SIZE_LIMIT, QEMU's NVME_CMD_SIZE_LIMIT); a
 * generic 83h would be Reservation Conflict.
 * The descriptors come from the client's buffer: shorter than NR + 1 of
 * them, Data SGL Length Invalid (as Dataset Management, nvmet's rule).
 * On a ZNS namespace the destination is a write (QEMU's
 * nvme_check_zone_write(), after the checks above): a full, read-only or
 * offline zone gets Zone Is Full / Read Only / Offline, SDLBA off the zone's
 * write pointer Zone Invalid Write, the copied LBAs past the zone's
 * writable end Zone Boundary Error; the zone's open and active limits are
 * the zoned layer's, noted beside the write bio (Too Many Open Zones).
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/nvme.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "cmd_mem.h"
#include "nvme.h"
#include "uringblk.h"

/* Source Range Entry, descriptor format 0 (later kernels' nvme_copy_range). */
struct uringblk_nvme_copy_range {
	__le64	rsvd0;
	__le64	slba;
	__le16	nlb;		/* 0's based */
	__le16	rsvd18;
	__le32	rsvd20;
	__le32	eilbrt;
	__le16	elbat;
	__le16	elbatm;
};

static_assert(sizeof(struct uringblk_nvme_copy_range) == 32);

/* CDW12: NR 7:0 (0's based), descriptor format 11:8, FUA bit 30. */
#define URINGBLK_NVME_COPY_FUA	(1U << 30)

/*
 * MSSRL, the most LBAs one source range may have: what one read and one
 * write of the drive move (MDTS), within NLB's 16 bits.
 */
u32 uringblk_nvme_copy_mssrl(const struct uringblk_dev *dev)
{
	return min_t(u64, uringblk_nvme_max_bytes(dev) >> uringblk_nvme_lba_shift(dev),
		     U16_MAX);
}

/*
 * One bio of @len bytes over @pages, waited for, alone in its request
 * (REQ_NOMERGE) so that a zone status the zoned layer notes is its own.
 * Return: 0, its NVMe status (a read's error, Write Fault, a zone's) or
 * -errno.
 */
static int uringblk_nvme_copy_io(struct gendisk *disk, blk_opf_t opf, u64 pos,
				 struct page **pages, u32 len)
{
	u32 nr = DIV_ROUND_UP(len, PAGE_SIZE), i, n;
	struct bio *bio;
	int ret;

	bio = bio_alloc(disk->part0, nr, opf | REQ_NOMERGE, GFP_KERNEL);
	if (!bio)
		return -ENOMEM;
	bio->bi_iter.bi_sector = pos >> SECTOR_SHIFT;
	for (i = 0; i < nr; i++, len -= n) {
		n = min_t(u32, len, PAGE_SIZE);
		__bio_add_page(bio, pages[i], n, 0);
	}
	ret = uringblk_nvme_bio_submit_wait(bio);
	bio_put(bio);
	return ret;
}

/*
 * ZNS: the destination's zone must take @nlb LBAs at @sdlba now, as a
 * Write would (QEMU's nvme_check_zone_write(): state, write pointer,
 * boundary, in that order).  A conventional zone has no write pointer;
 * the copy stays in it.  May sleep (the zone's mutex).
 * Return: 0 or an NVMe status.
 */
static int uringblk_nvme_copy_zone_check(struct uringblk_dev *dev, u64 sdlba, u64 nlb)
{
	struct uringblk_zone z;

	if (uringblk_zone_get(dev, uringblk_zone_of(dev, sdlba), &z))
		return NVME_SC_LBA_RANGE | URINGBLK_NVME_DNR;
	if (z.type == BLK_ZONE_TYPE_CONVENTIONAL)
		return nlb > z.start + z.len - sdlba ?
		       NVME_SC_ZONE_BOUNDARY_ERROR | URINGBLK_NVME_DNR : 0;
	switch (z.cond) {
	case BLK_ZONE_COND_FULL:
		return NVME_SC_ZONE_FULL | URINGBLK_NVME_DNR;
	case BLK_ZONE_COND_READONLY:
		return NVME_SC_ZONE_READ_ONLY | URINGBLK_NVME_DNR;
	case BLK_ZONE_COND_OFFLINE:
		return NVME_SC_ZONE_OFFLINE | URINGBLK_NVME_DNR;
	}
	if (sdlba != z.wp)
		return NVME_SC_ZONE_INVALID_WRITE | URINGBLK_NVME_DNR;
	if (nlb > z.start + z.capacity - sdlba)
		return NVME_SC_ZONE_BOUNDARY_ERROR | URINGBLK_NVME_DNR;
	return 0;
}

/* The checks above, on the descriptors read.  Return: 0 or an NVMe status. */
static int uringblk_nvme_copy_check(struct uringblk_dev *dev,
				    const struct uringblk_nvme_copy_range *r, u32 nr,
				    u64 sdlba)
{
	u32 mssrl = uringblk_nvme_copy_mssrl(dev);
	u64 nsze = dev->cfg.capacity >> uringblk_nvme_lba_shift(dev);
	u64 total = 0;
	u32 i;

	for (i = 0; i < nr; i++) {
		u64 slba = le64_to_cpu(r[i].slba);
		u64 nlb = le16_to_cpu(r[i].nlb) + 1;

		if (nlb > mssrl)
			return URINGBLK_SC_CMD_SIZE_LIMIT | URINGBLK_NVME_DNR;
		if (slba >= nsze || nlb > nsze - slba)
			return NVME_SC_LBA_RANGE | URINGBLK_NVME_DNR;
		total += nlb;
	}
	if (total > (u64)mssrl * URINGBLK_NVME_COPY_MCL_RANGES)
		return URINGBLK_SC_CMD_SIZE_LIMIT | URINGBLK_NVME_DNR;
	if (sdlba >= nsze || total > nsze - sdlba)
		return NVME_SC_LBA_RANGE | URINGBLK_NVME_DNR;
	if (uringblk_nvme_csi(dev) == NVME_CSI_ZNS)
		return uringblk_nvme_copy_zone_check(dev, sdlba, total);
	return 0;
}

/**
 * uringblk_nvme_copy() - Copy (19h)
 * @dev:	the drive
 * @disk:	its disk, referenced by the caller
 * @c:		the command, checked by the host half
 * @iter:	the client's buffer: the source range descriptors
 *
 * Ranges are copied in order, each read whole and then written, so a
 * failure leaves the ranges before it copied (as a device that stops at
 * its first error).  Process context; sleeps.
 * Return: 0, an NVMe status (a read error's, or Write Fault) or -errno.
 */
int uringblk_nvme_copy(struct uringblk_dev *dev, struct gendisk *disk,
		       const struct nvme_passthru_cmd64 *c, struct iov_iter *iter)
{
	u32 shift = uringblk_nvme_lba_shift(dev);
	u64 sdlba = c->cdw10 | (u64)c->cdw11 << 32;
	u32 nr = (c->cdw12 & 0xff) + 1, fmt = (c->cdw12 >> 8) & 0xf;
	u32 npages = DIV_ROUND_UP(uringblk_nvme_copy_mssrl(dev) << shift, PAGE_SIZE);
	blk_opf_t wopf = REQ_OP_WRITE;
	struct uringblk_nvme_copy_range *r;
	size_t len = nr * sizeof(*r);
	struct page **pages = NULL;
	u64 dst = sdlba;
	int ret;
	u32 i;

	if (fmt != 0)		/* OCFS: format 0 only */
		return NVME_SC_INVALID_FIELD | URINGBLK_NVME_DNR;
	if (nr > URINGBLK_NVME_COPY_MSRC + 1)
		return URINGBLK_SC_CMD_SIZE_LIMIT | URINGBLK_NVME_DNR;
	if (uringblk_nvme_xfer_len(c) < len)
		return NVME_SC_SGL_INVALID_DATA | URINGBLK_NVME_DNR;
	if (c->cdw12 & URINGBLK_NVME_COPY_FUA)
		wopf |= REQ_FUA;
	r = kmalloc(len, GFP_KERNEL_ACCOUNT);
	if (!r)
		return -ENOMEM;
	if (copy_from_iter(r, len, iter) != len) {
		ret = -EFAULT;
		goto out;
	}
	ret = uringblk_nvme_copy_check(dev, r, nr, sdlba);
	if (ret)
		goto out;
	/* MSSRL's pages count against max_cmd_kb, charged to the caller */
	ret = uringblk_cmd_mem_get(dev, (size_t)npages << PAGE_SHIFT);
	if (ret)
		goto out;
	pages = kcalloc(npages, sizeof(*pages), GFP_KERNEL_ACCOUNT);
	if (!pages) {
		ret = -ENOMEM;
		goto out_put;
	}
	for (i = 0; i < npages; i++) {
		pages[i] = alloc_page(URINGBLK_CMD_GFP);
		if (!pages[i]) {
			ret = -ENOMEM;
			goto out_pages;
		}
	}
	for (i = 0; i < nr; i++) {
		u32 n = (le16_to_cpu(r[i].nlb) + 1) << shift;

		ret = uringblk_nvme_copy_io(disk, REQ_OP_READ,
					    le64_to_cpu(r[i].slba) << shift, pages, n);
		if (ret)
			break;
		ret = uringblk_nvme_copy_io(disk, wopf, dst << shift, pages, n);
		if (ret)
			break;
		dst += n >> shift;
	}
out_pages:
	for (i = 0; i < npages; i++)
		if (pages[i])
			__free_page(pages[i]);
	kfree(pages);
out_put:
	uringblk_cmd_mem_put(dev, (size_t)npages << PAGE_SHIFT);
out:
	kfree(r);
	return ret;
}
