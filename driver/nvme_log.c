// SPDX-License-Identifier: GPL-2.0
/*
 * The NVMe front end's logs: Get Log Page (02h) and what it answers, the
 * Error Information (01h, empty), SMART / Health (02h) and Firmware Slot
 * (03h) logs from the drive's counters, Commands Supported and Effects
 * (05h) from the command sets' tables, and, with an SSD model, the
 * Endurance Group Information log (09h) from the model's wear
 * (uringblk_ssd_wear()).  nvme_admin.c dispatches the command here.  Every
 * answer is an NVMe status; the log is built in a zeroed kernel buffer.
 * Field layouts: include/linux/nvme.h of 6.1; 09h's, libnvme's.
 */
#include <linux/ktime.h>
#include <linux/nvme.h>
#include <linux/nvme_ioctl.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "compat.h"	/* <linux/unaligned.h> on 6.12 */

#include "nvme.h"
#include "stats.h"
#include "uringblk.h"

/**
 * uringblk_nvme_endgrp() - does the drive report an Endurance Group?
 * @dev:	the drive
 *
 * Only with an SSD model (timing_ssd.c): there is NAND whose wear the
 * group's log (09h) counts.  Identify says so (CTRATT bit 4, ENDGIDMAX,
 * the NVM namespace's ENDGID).
 */
bool uringblk_nvme_endgrp(struct uringblk_dev *dev)
{
	return ssd_cfg_on(&dev->cfg.ssd);
}

/* A 128-bit little-endian counter of a SMART log from a u64. */
static void uringblk_nvme_put128(u8 *dst, u64 val)
{
	put_unaligned_le64(val, dst);
	put_unaligned_le64(0, dst + 8);
}

/* Thousands of 512-byte units, rounded up (1 means 1 to 512,000 bytes). */
static u64 uringblk_nvme_data_units(u64 bytes)
{
	return DIV_ROUND_UP_ULL(bytes >> SECTOR_SHIFT, 1000);
}

/*
 * SMART / Health Information (02h), the controller's and the namespace's
 * alike (one namespace), from the drive's counters (stats.c).  Data units
 * are thousands of 512-byte units, rounded up (one means 1 to 1000), as
 * nvmet counts its block device's sectors.  Percentage Used is the SSD
 * model's (its erases over its rated P/E cycles, ssd_percent_used()); 0
 * without one.
 */
static int uringblk_nvme_smart(struct uringblk_dev *dev, struct nvme_smart_log *log)
{
	struct uringblk_stats *s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);
	u64 hours = ktime_get_boottime_seconds() / 3600;
	struct uringblk_ssd_wear w = {};

	if (!s)
		return -ENOMEM;
	put_unaligned_le16(URINGBLK_NVME_TEMP_K, log->temperature);
	log->avail_spare = 100;
	log->spare_thresh = 10;
	uringblk_ssd_wear(dev, &w);
	log->percent_used = w.percent_used;
	/* Powered on with the host: its boot time, one power cycle. */
	uringblk_nvme_put128(log->power_on_hours, hours);
	uringblk_nvme_put128(log->power_cycles, 1);
	uringblk_stats_snapshot(dev, s);
	uringblk_nvme_put128(log->data_units_read, uringblk_nvme_data_units(s->read_bytes));
	uringblk_nvme_put128(log->data_units_written,
			     uringblk_nvme_data_units(s->write_bytes));
	uringblk_nvme_put128(log->host_reads, s->read_ops);
	uringblk_nvme_put128(log->host_writes, s->write_ops);
	/* Each injected fault is an unrecovered error the drive reported. */
	uringblk_nvme_put128(log->media_errors, s->faults_injected);
	kfree(s);
	return 0;
}

/*
 * The Endurance Group Information log (09h), NVMe 2.0 base, bytes as
 * libnvme's struct nvme_endurance_group_log (6.1's nvme.h has none).
 */
#define URINGBLK_EGL_SIZE		512
#define URINGBLK_EGL_AVSP		3	/* Available Spare */
#define URINGBLK_EGL_AVSPT		4	/* Available Spare Threshold */
#define URINGBLK_EGL_PUSED		5	/* Percentage Used */
#define URINGBLK_EGL_EE			32	/* Endurance Estimate */
#define URINGBLK_EGL_DUR		48	/* Data Units Read */
#define URINGBLK_EGL_DUW		64	/* Data Units Written */
#define URINGBLK_EGL_MUW		80	/* Media Units Written */
#define URINGBLK_EGL_HRC		96	/* Host Read Commands */
#define URINGBLK_EGL_HWC		112	/* Host Write Commands */
#define URINGBLK_EGL_MDIE		128	/* Media and Data Integrity Errors */

/* The Endurance Group log's byte counts: billions of bytes, rounded up. */
static u64 uringblk_nvme_egl_units(u64 bytes)
{
	return DIV_ROUND_UP_ULL(bytes, 1000000000);
}

/*
 * Endurance Group Information (09h) of the one group: the SMART log's
 * counters over the group's one namespace, but its data units in billions
 * of bytes, as this log defines them; Media Units Written, the bytes the
 * SSD model programmed to NAND with data (host pages and GC's moves, not
 * a FLUSH's pad), in the same units; the Endurance Estimate, the array's
 * bytes times its rated P/E cycles (0, not reported, when not rated).
 * Critical Warning 0, spare 100% (no bad block is modelled).
 */
static int uringblk_nvme_endgrp_log(struct uringblk_dev *dev, u8 *log)
{
	struct uringblk_stats *s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);
	struct uringblk_ssd_wear w = {};

	if (!s)
		return -ENOMEM;
	uringblk_ssd_wear(dev, &w);	/* true: uringblk_nvme_endgrp() */
	uringblk_stats_snapshot(dev, s);
	log[URINGBLK_EGL_AVSP] = 100;
	log[URINGBLK_EGL_AVSPT] = 10;
	log[URINGBLK_EGL_PUSED] = w.percent_used;
	uringblk_nvme_put128(log + URINGBLK_EGL_EE, w.endurance_gb);
	uringblk_nvme_put128(log + URINGBLK_EGL_DUR, uringblk_nvme_egl_units(s->read_bytes));
	uringblk_nvme_put128(log + URINGBLK_EGL_DUW, uringblk_nvme_egl_units(s->write_bytes));
	uringblk_nvme_put128(log + URINGBLK_EGL_MUW,
			     uringblk_nvme_egl_units(w.nand_bytes_written));
	uringblk_nvme_put128(log + URINGBLK_EGL_HRC, s->read_ops);
	uringblk_nvme_put128(log + URINGBLK_EGL_HWC, s->write_ops);
	uringblk_nvme_put128(log + URINGBLK_EGL_MDIE, s->faults_injected);
	kfree(s);
	return 0;
}

/* Firmware Slot Information (03h): slot 1 active, read-only, the driver's version. */
static void uringblk_nvme_fw_slot(struct nvme_fw_slot_info_log *log)
{
	log->afi = 1;
	memcpy_and_pad(&log->frs[0], sizeof(log->frs[0]), URINGBLK_DRV_VERSION,
		       strnlen(URINGBLK_DRV_VERSION, sizeof(log->frs[0])), ' ');
}

/*
 * Commands Supported and Effects (05h) of one command set: the admin
 * commands, and the I/O commands of @csi that the drive's namespace of that
 * set takes (nvme.c's table; CP and SLM: their files').  Return: 0, or a
 * status for a set the drive lacks.
 */
static int uringblk_nvme_effects(struct uringblk_dev *dev, u8 csi,
				 struct nvme_effects_log *log)
{
	int op;

	const struct uringblk_nvme_cset *cs = uringblk_nvme_cset_of(csi);

	if (!cs)
		return NVME_SC_INVALID_LOG_PAGE | URINGBLK_NVME_DNR;
	/* nvmet 6.1 answers this when it has no ZNS at all (and KV: the same) */
	if (!uringblk_nvme_cset_present(dev, csi))
		return NVME_SC_INVALID_IO_CMD_SET | URINGBLK_NVME_DNR;
	for (op = 0; op < 256; op++) {
		log->acs[op] = cpu_to_le32(uringblk_nvme_admin_effects(op));
		log->iocs[op] = cpu_to_le32(cs->effects(dev, op));
	}
	return 0;
}

/*
 * Get Log Page (02h).  The transfer must be NUMD's (as nvmet), at most MDTS
 * (Invalid Field); LPO a multiple of 4 below the log's size, else Invalid
 * Field (nvmet ignores LPO; QEMU's NVMe device checks it so).  The log from
 * LPO on fills the transfer, zeroes after its end.  An unknown LID is
 * Invalid Field, as nvmet; an unknown CSI of the effects log Invalid Log
 * Page.  Return: 0 or an NVMe status; *@bufp the data (@len bytes).
 */
int uringblk_nvme_get_log(struct uringblk_dev *dev,
			  const struct nvme_passthru_cmd64 *c,
			  u32 len, void **bufp)
{
	u8 lid = c->cdw10 & 0xff;
	u64 numd = ((c->cdw10 >> 16) | (u64)(c->cdw11 & 0xffff) << 16) + 1;
	u64 lpo = c->cdw12 | (u64)c->cdw13 << 32;
	u8 csi = c->cdw14 >> 24;
	size_t size;
	void *log;
	int ret = 0;

	if (len != numd * 4)
		return NVME_SC_SGL_INVALID_DATA | URINGBLK_NVME_DNR;
	if (len > uringblk_nvme_max_bytes(dev))
		return NVME_SC_INVALID_FIELD | URINGBLK_NVME_DNR;
	switch (lid) {
	case NVME_LOG_ERROR:
		size = URINGBLK_NVME_ERR_ENTRIES * sizeof(struct nvme_error_slot);
		break;
	case NVME_LOG_SMART:
		size = sizeof(struct nvme_smart_log);
		/* the one namespace's, or the controller's: the same */
		if (c->nsid != URINGBLK_NVME_NSID && c->nsid != NVME_NSID_ALL)
			return NVME_SC_INVALID_NS | URINGBLK_NVME_DNR;
		break;
	case NVME_LOG_FW_SLOT:
		size = sizeof(struct nvme_fw_slot_info_log);
		break;
	case NVME_LOG_CMD_EFFECTS:
		size = sizeof(struct nvme_effects_log);
		break;
	case NVME_LOG_ENDURANCE_GROUP:
		/*
		 * Without an SSD model there are no Endurance Groups (CTRATT
		 * bit 4 clear): an unsupported LID, Invalid Field as below.
		 * With one, LSI (CDW11 31:16) names the group: only 1.
		 */
		if (!uringblk_nvme_endgrp(dev))
			return NVME_SC_INVALID_FIELD | URINGBLK_NVME_DNR;
		if ((c->cdw11 >> 16) != URINGBLK_NVME_ENDGID)
			return NVME_SC_INVALID_FIELD | URINGBLK_NVME_DNR;
		size = URINGBLK_EGL_SIZE;
		break;
	default:
		return NVME_SC_INVALID_FIELD | URINGBLK_NVME_DNR;
	}
	if ((lpo & 3) || lpo >= size)
		return NVME_SC_INVALID_FIELD | URINGBLK_NVME_DNR;
	/* the whole log, then the transfer's part of it */
	log = kvzalloc(max_t(size_t, size, len + lpo), GFP_KERNEL_ACCOUNT);
	if (!log)
		return -ENOMEM;
	switch (lid) {
	case NVME_LOG_SMART:
		ret = uringblk_nvme_smart(dev, log);
		break;
	case NVME_LOG_FW_SLOT:
		uringblk_nvme_fw_slot(log);
		break;
	case NVME_LOG_CMD_EFFECTS:
		ret = uringblk_nvme_effects(dev, csi, log);
		break;
	case NVME_LOG_ENDURANCE_GROUP:
		ret = uringblk_nvme_endgrp_log(dev, log);
		break;
	}				/* the error log: no entries, all zero */
	if (ret) {
		kvfree(log);
		return ret;
	}
	if (lpo)
		memmove(log, log + lpo, size - lpo);
	memset(log + size - lpo, 0, lpo);
	*bufp = log;
	return 0;
}
