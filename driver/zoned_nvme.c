// SPDX-License-Identifier: GPL-2.0
/*
 * The zoned layer's part of the NVMe front end (nvme.c): a zoned drive's
 * namespace is a ZNS namespace (CSI 02h).  Its Identify data (CNS 05h and
 * 06h for CSI 02h), Zone Management Send (79h) and Receive (7Ah), filled
 * and answered as the kernel's NVMe target does (drivers/nvme/target/zns.c)
 * through the zone model calls of zoned_lba.c, so the zone statuses come
 * back as the model names them.  Zone Append (7Dh) is nvme.c's, on
 * uringblk_zone_append().  And the zone status of an NVM Write the block
 * layer refused (uringblk_zone_write_refused(), Linux 6.10+'s zone write
 * plugging).  Field layouts: include/linux/nvme.h of 6.1.
 */
#include <linux/log2.h>
#include <linux/nvme.h>
#include <linux/slab.h>

#include "compat.h"
#include "compat_internals.h"
#include "nvme.h"
#include "status.h"
#include "uringblk.h"
#include "zoned.h"

/**
 * uringblk_zone_nvme_cset() - a zoned drive's NVMe command set
 * @dev:	the drive, its zones built
 *
 * Return: ZNS's (nvme_zns.c) on a zoned drive, else NULL.
 */
const struct uringblk_nvme_cset *uringblk_zone_nvme_cset(struct uringblk_dev *dev)
{
	return dev->zoned ? &uringblk_nvme_cset_zns : NULL;
}

/* Identify Controller, ZNS (CNS 06h, CSI 02h): ZASL in 4 KiB pages, as nvmet_zasl(). */
static void uringblk_nvme_id_ctrl_zns(struct uringblk_zoned *zd, struct nvme_id_ctrl_zns *id)
{
	u32 pages = zd->max_append >> (12 - SECTOR_SHIFT);

	id->zasl = pages ? ilog2(pages) : 0;
}

/*
 * Identify Namespace, ZNS (CNS 05h, CSI 02h), as nvmet's
 * nvmet_execute_identify_cns_cs_ns(): no zone operation characteristics,
 * MAR/MOR 0's based (0xffffffff: no limit), the zone size of the one LBA
 * format in LBAs.
 */
static void uringblk_nvme_id_ns_zns(struct uringblk_dev *dev, struct uringblk_zoned *zd,
				    struct nvme_id_ns_zns *id)
{
	id->zoc = 0;
	id->ozcs = 0;
	id->mar = cpu_to_le32(zd->max_active - 1);	/* 0 - 1: no limit */
	id->mor = cpu_to_le32(zd->max_open - 1);
	id->rrl = 0;
	id->frl = 0;
	id->lbafe[0].zsze = cpu_to_le64((u64)zd->zone_sects >> zd->lba_shift);
	id->lbafe[0].zdes = 0;
}

/**
 * uringblk_nvme_zns_identify() - the ZNS Identify data structures
 * @dev:	the device
 * @cns:	NVME_ID_CNS_CS_NS or NVME_ID_CNS_CS_CTRL (the caller checked CSI 02h)
 * @nsid:	the command's NSID (CNS 05h: the namespace's, else Invalid Namespace)
 * @buf:	4 KiB, zeroed
 *
 * Return: 0, -EOPNOTSUPP on a regular drive (no ZNS: Invalid Field), or
 * an NVMe status.
 */
int uringblk_nvme_zns_identify(struct uringblk_dev *dev, u8 cns, u32 nsid, void *buf)
{
	struct uringblk_zoned *zd = dev->zoned;

	BUILD_BUG_ON(sizeof(struct nvme_id_ns_zns) != NVME_IDENTIFY_DATA_SIZE);
	BUILD_BUG_ON(sizeof(struct nvme_id_ctrl_zns) != NVME_IDENTIFY_DATA_SIZE);
	if (!zd)
		return -EOPNOTSUPP;
	if (cns == NVME_ID_CNS_CS_CTRL) {
		uringblk_nvme_id_ctrl_zns(zd, buf);
		return 0;
	}
	if (nsid != 1)
		return NVME_SC_INVALID_NS | NVME_STATUS_DNR;
	uringblk_nvme_id_ns_zns(dev, zd, buf);
	return 0;
}

/* The Zone Receive Action Specific Field's filter: does a zone of @cond pass? */
static bool uringblk_nvme_zrasf_match(u8 zrasf, u8 cond)
{
	switch (zrasf) {
	case NVME_ZRASF_ZONE_REPORT_ALL:
		return true;
	case NVME_ZRASF_ZONE_STATE_EMPTY:
		return cond == BLK_ZONE_COND_EMPTY;
	case NVME_ZRASF_ZONE_STATE_IMP_OPEN:
		return cond == BLK_ZONE_COND_IMP_OPEN;
	case NVME_ZRASF_ZONE_STATE_EXP_OPEN:
		return cond == BLK_ZONE_COND_EXP_OPEN;
	case NVME_ZRASF_ZONE_STATE_CLOSED:
		return cond == BLK_ZONE_COND_CLOSED;
	case NVME_ZRASF_ZONE_STATE_FULL:
		return cond == BLK_ZONE_COND_FULL;
	case NVME_ZRASF_ZONE_STATE_READONLY:
		return cond == BLK_ZONE_COND_READONLY;
	case NVME_ZRASF_ZONE_STATE_OFFLINE:
		return cond == BLK_ZONE_COND_OFFLINE;
	}
	return false;
}

/**
 * uringblk_nvme_zns_report() - Zone Management Receive, Report Zones
 * @dev:	the device
 * @slba:	an LBA in the first zone to report
 * @zra:	Zone Receive Action (only 00h, Report Zones: else Invalid Field)
 * @zrasf:	the filter (00h all, 01h-07h one state: else Invalid Field)
 * @partial:	the Partial Report bit: the header's count is of the
 *		descriptors returned, else of all matching zones from @slba on
 * @buf:	the report, @size bytes, zeroed
 * @size:	@buf's length, at least the report's 64-byte header
 *
 * As nvmet_bdev_execute_zone_mgmt_recv(): checks zra, zrasf, the LBA
 * (LBA Out of Range), then fills.  Takes each zone's mutex: may sleep.
 * Context: dev->lock held for read.
 * Return: 0, -EOPNOTSUPP on a regular drive, or an NVMe status.
 */
int uringblk_nvme_zns_report(struct uringblk_dev *dev, u64 slba, u8 zra, u8 zrasf,
			     bool partial, void *buf, u32 size)
{
	struct uringblk_zoned *zd = dev->zoned;
	struct nvme_zone_report *rep = buf;
	u32 max = (size - sizeof(*rep)) / sizeof(rep->entries[0]);
	u64 matched = 0, n = 0;
	struct uringblk_zone z;
	u32 zno;

	if (!zd)
		return -EOPNOTSUPP;
	if (zra != NVME_ZRA_ZONE_REPORT || zrasf > NVME_ZRASF_ZONE_STATE_OFFLINE)
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	zno = uringblk_zone_of(dev, slba);
	if (zno >= zd->nr_zones)
		return NVME_SC_LBA_RANGE | NVME_STATUS_DNR;
	for (; zno < zd->nr_zones; zno++) {
		uringblk_zone_get(dev, zno, &z);
		if (!uringblk_nvme_zrasf_match(zrasf, z.cond))
			continue;
		matched++;
		if (n < max) {
			struct nvme_zone_descriptor *d = &rep->entries[n++];

			d->zt = z.type;
			d->zs = z.cond << 4;
			d->zcap = cpu_to_le64(z.capacity);
			d->zslba = cpu_to_le64(z.start);
			d->wp = cpu_to_le64(z.wp);
		} else if (partial) {
			break;
		}
		cond_resched();
	}
	rep->nr_zones = cpu_to_le64(partial ? n : matched);
	return 0;
}

/* Does Select All's @zsa apply to a zone of @cond (NVMe ZNS 1.1, 3.4.3)? */
static bool uringblk_nvme_zsa_all_match(u8 zsa, u8 cond)
{
	switch (zsa) {
	case NVME_ZONE_CLOSE:
		return cond == BLK_ZONE_COND_IMP_OPEN || cond == BLK_ZONE_COND_EXP_OPEN;
	case NVME_ZONE_FINISH:
		return cond == BLK_ZONE_COND_IMP_OPEN || cond == BLK_ZONE_COND_EXP_OPEN ||
		       cond == BLK_ZONE_COND_CLOSED;
	case NVME_ZONE_OPEN:
		return cond == BLK_ZONE_COND_CLOSED;
	}
	return false;
}

/**
 * uringblk_nvme_zns_mgmt() - Zone Management Send
 * @dev:	the device
 * @slba:	the zone's first LBA (not looked at with @all)
 * @zsa:	Close 01h, Finish 02h, Open 03h, Reset 04h (else Invalid Field:
 *		Offline and Set Zone Descriptor Extension are not supported,
 *		as nvmet)
 * @all:	Select All: every zone the action applies to
 * @nops:	set to the zone operations done (and counted: one for a single
 *		zone or Reset All, one a zone for the other Select Alls), each
 *		a zone_mgmt latency the caller records
 *
 * ZNS's state machine (URINGBLK_ZMGMT_ZNS): a Close of an open zone
 * without data leaves it CLOSED (ZSIO/ZSEO -> ZSC), where the block
 * device's model (null_blk's) makes it EMPTY.
 * Reset All is the model's reset of all zones; Close, Finish and Open All
 * act on each zone in a state they apply to (closed zones for Open, open
 * ones for Close, open and closed ones for Finish), stopping at the first
 * status.  Context: dev->lock held for read.  May sleep.
 * Return: 0, -EOPNOTSUPP on a regular drive, -errno or a status (as
 * uringblk_zone_mgmt(), but Open of a full zone is Invalid Zone State
 * Transition), or an NVMe status.
 */
int uringblk_nvme_zns_mgmt(struct uringblk_dev *dev, u64 slba, u8 zsa, bool all, u32 *nops)
{
	static const u32 actions[] = {
		[NVME_ZONE_CLOSE]	= URINGBLK_ZONE_ACTION_CLOSE,
		[NVME_ZONE_FINISH]	= URINGBLK_ZONE_ACTION_FINISH,
		[NVME_ZONE_OPEN]	= URINGBLK_ZONE_ACTION_OPEN,
		[NVME_ZONE_RESET]	= URINGBLK_ZONE_ACTION_RESET,
	};
	struct uringblk_zoned *zd = dev->zoned;
	struct uringblk_zone z;
	u32 zno;
	int ret;

	if (!zd)
		return -EOPNOTSUPP;
	if (zsa >= ARRAY_SIZE(actions) || !actions[zsa])
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	*nops = 0;
	if (!all) {
		ret = uringblk_zone_mgmt(dev, slba, actions[zsa], URINGBLK_ZMGMT_ZNS);
		*nops = !ret;
		/*
		 * Open of a full zone: the model answers Zone Is Full (its
		 * uAPI's -ENOSPC since ABI 1.0); ZNS names the transition
		 * invalid, and so does the NVMe front end.
		 */
		if (zsa == NVME_ZONE_OPEN && ret == uringblk_st(URINGBLK_SC_ZONE_FULL))
			return NVME_SC_ZONE_INVALID_TRANSITION | NVME_STATUS_DNR;
		return ret;
	}
	if (zsa == NVME_ZONE_RESET) {
		ret = uringblk_zone_mgmt(dev, 0, URINGBLK_ZONE_ACTION_RESET,
					 URINGBLK_ZMGMT_ALL | URINGBLK_ZMGMT_ZNS);
		*nops = !ret;
		return ret;
	}
	for (zno = 0; zno < zd->nr_zones; zno++) {
		uringblk_zone_get(dev, zno, &z);
		if (z.type == BLK_ZONE_TYPE_CONVENTIONAL ||
		    !uringblk_nvme_zsa_all_match(zsa, z.cond))
			continue;
		ret = uringblk_zone_mgmt(dev, z.start, actions[zsa], URINGBLK_ZMGMT_ZNS);
		if (ret)
			return ret;
		(*nops)++;
		cond_resched();
	}
	return 0;
}

/**
 * uringblk_zone_write_refused() - a front end's write bio failed: its zone status
 * @dev: the device (a drive without zones: @zst as it is)
 * @bio: the ended write bio, not yet released
 * @zst: the status the zone write core noted for it, or 0
 *
 * Zone write plugging (Linux 6.10+) fails a write bio that is not at the
 * write pointer it keeps for the zone, or goes to a full zone, before the
 * drive sees it: BLK_STS_IOERR, nothing noted.  Such a bio was not
 * advanced (its size is still its length), and its status is asked of
 * the zone now, as the write core would have answered it (Zone Invalid
 * Write, Zone Is Full, Zone Boundary Error, Read Only, Offline).  Either
 * way the failed bio left the zone's plug needing a write pointer update,
 * which would fail the next write at the write pointer too: the zone is
 * reported to the block layer (uringblk_zone_plug_resync(), compat_internals.h), so
 * that a front end's next write there works, as on 6.1 (nothing to do
 * there).  Not while a removal runs (dev->lock).  Process context; may
 * sleep (the zone's mutex).
 * Return: the zone status to answer, or 0 (none: the errno's).
 */
int uringblk_zone_write_refused(struct uringblk_dev *dev, struct bio *bio, int zst)
{
	sector_t sector = bio->bi_iter.bi_sector;
	u32 nr = bio_sectors(bio);
	struct uringblk_zone_state *z;

	if (!dev->zoned)
		return zst;
	/*
	 * @sector is the write's first: a bio the plug refused was never
	 * advanced (@nr is its length), and one the drive ended gets its
	 * first sector back on 6.10+ (blk_zone_update_request_bio()).  6.1
	 * leaves the latter past its end (@nr 0), but has no plug to resync.
	 */
	if (sector >= dev->cfg.capacity >> SECTOR_SHIFT)
		return zst;
	/*
	 * The bio has ended: only @lock keeps a removal from freeing the
	 * zones, and only a removal takes it for writing (then: no zone).
	 */
	if (!down_read_trylock(&dev->lock))
		return zst;
	if (READ_ONCE(dev->removing))
		goto out_unlock;
	z = uringblk_zone(dev->zoned, sector);
	if (z->type == BLK_ZONE_TYPE_CONVENTIONAL)
		goto out_unlock;
	if (!zst && nr) {
		mutex_lock(&z->lock);
		zst = uringblk_zone_check_write(z, sector, nr);
		mutex_unlock(&z->lock);
	}
	uringblk_zone_plug_resync(dev->disk, z->start);
out_unlock:
	up_read(&dev->lock);
	return zst;
}
