// SPDX-License-Identifier: GPL-2.0
/*
 * The NVMe front end's admin commands (nvme.c is the host half and the NVM
 * I/O): the device half of Identify (06h), Get Log Page (02h: its logs are
 * nvme_log.c's), Set Features
 * (09h), Get Features (0Ah), Abort (08h) and Asynchronous Event Request
 * (0Ch), answered as the kernel's NVMe target does
 * (drivers/nvme/target/admin-cmd.c of 6.1) where it answers, from the
 * drive's configuration and counters.  Every answer is an NVMe status;
 * data moves only to the host, built in a zeroed kernel buffer and copied
 * out whole.  The Computational Programs admin commands, which take data
 * in, are nvme_cp.c's.
 * Field layouts: include/linux/nvme.h of 6.1.
 */
#include <linux/blkdev.h>
#include <linux/log2.h>
#include <linux/nvme.h>
#include <linux/nvme_ioctl.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uio.h>
#include "compat.h"	/* <linux/unaligned.h> on 6.12 */

#include "kv_ns.h"
#include "nvme.h"
#include "stats.h"
#include "uringblk.h"
#include "bio.h"

/*
 * Identify Controller's WCTEMP and CCTEMP (Kelvin): a controller that
 * reports a temperature reports its thresholds; 0157h is the value the base
 * specification recommends for WCTEMP, 373 K (100 C) QEMU's CCTEMP.  The
 * constant temperature stays below both: no SMART critical warning.
 */
#define URINGBLK_NVME_WCTEMP_K		343
#define URINGBLK_NVME_CCTEMP_K		373
/* Identify Namespace's DLFEAT: a deallocated block reads as zeroes (001b). */
#define URINGBLK_NVME_DLFEAT_ZEROES	0x1
/* Abort's result (CQE DW0 bit 0): the command was not aborted. */
#define URINGBLK_NVME_ABORT_NOT_DONE	1
/* Get Features' SEL (CDW10 10:8) and Set Features' SV (CDW10 bit 31). */
#define URINGBLK_NVME_SEL_SUPPORTED	3
#define URINGBLK_NVME_SET_SV		(1U << 31)

/*
 * The admin opcodes this front end takes; nvmet lists also Keep Alive
 * (this controller has no keep alive timer: KAS 0, Invalid Opcode).
 */
u32 uringblk_nvme_admin_effects(u8 opcode)
{
	switch (opcode) {
	case nvme_admin_get_log_page:
	case nvme_admin_identify:
	case nvme_admin_abort_cmd:
	case nvme_admin_async_event:
	case nvme_admin_set_features:
	case nvme_admin_get_features:
		return NVME_CMD_EFFECTS_CSUPP;
	default:
		return uringblk_nvme_cp_admin_effects(opcode);	/* nvme_cp.c */
	}
}

/* Space-padded ASCII, as Identify's strings are. */
static void uringblk_nvme_str(char *dst, size_t size, const char *src)
{
	memcpy_and_pad(dst, size, src, strnlen(src, size), ' ');
}

/* nvme.h's: whether the drive is one subsystem of several controllers. */
bool uringblk_nvme_shared(const struct uringblk_dev *dev)
{
	return dev->cfg.nvme_ctrl > 1;
}

/*
 * A shared namespace's identifiers, the same through every controller and
 * unique among drives (nvme-core refuses a namespace whose non-zero
 * identifiers another subsystem reports: nvme_global_check_duplicate_ids()).
 * NGUID: "uringblk", the drive's index, the NSID (big-endian); EUI-64: a
 * locally administered one (bit 1 of its first byte), "ubk", index, NSID;
 * UUID: the NGUID as an RFC 9562 version 8 (custom) UUID.
 */
static void uringblk_nvme_nguid(const struct uringblk_dev *dev, u32 nsid, u8 *nguid)
{
	memcpy(nguid, "uringblk", 8);
	put_unaligned_be32(dev->index, nguid + 8);
	put_unaligned_be32(nsid, nguid + 12);
}

static void uringblk_nvme_eui64(const struct uringblk_dev *dev, u32 nsid, u8 *eui64)
{
	memcpy(eui64, "\x02ubk", 4);
	put_unaligned_be16(dev->index, eui64 + 4);
	put_unaligned_be16(nsid, eui64 + 6);
}

static void uringblk_nvme_uuid(const struct uringblk_dev *dev, u32 nsid, u8 *uuid)
{
	uringblk_nvme_nguid(dev, nsid, uuid);
	uuid[6] = (uuid[6] & 0x0f) | 0x80;	/* version 8 */
	uuid[8] = (uuid[8] & 0x3f) | 0x80;	/* variant 10b */
}

/*
 * The Namespace Identification Descriptor list (CNS 03h): the CSI first
 * (the tests and tools read it there), then a shared namespace's
 * identifiers.
 */
static void uringblk_nvme_ns_descs(struct uringblk_dev *dev, u32 nsid, void *buf)
{
	struct nvme_ns_id_desc *d = buf;

	d->nidt = NVME_NIDT_CSI;
	d->nidl = NVME_NIDT_CSI_LEN;
	/* NVM (ZNS if zoned), CP or SLM */
	*(u8 *)(d + 1) = uringblk_nvme_ns_csi(dev, nsid);
	if (!uringblk_nvme_shared(dev))
		return;
	d = (void *)(d + 1) + NVME_NIDT_CSI_LEN;
	d->nidt = NVME_NIDT_NGUID;
	d->nidl = NVME_NIDT_NGUID_LEN;
	uringblk_nvme_nguid(dev, nsid, (u8 *)(d + 1));
	d = (void *)(d + 1) + NVME_NIDT_NGUID_LEN;
	d->nidt = NVME_NIDT_EUI64;
	d->nidl = NVME_NIDT_EUI64_LEN;
	uringblk_nvme_eui64(dev, nsid, (u8 *)(d + 1));
	d = (void *)(d + 1) + NVME_NIDT_EUI64_LEN;
	d->nidt = NVME_NIDT_UUID;
	d->nidl = NVME_NIDT_UUID_LEN;
	uringblk_nvme_uuid(dev, nsid, (u8 *)(d + 1));
}

/*
 * Identify Controller (CNS 01h), as controller @cntlid of the drive's
 * subsystem answers it.
 */
static void uringblk_nvme_id_ctrl(struct uringblk_dev *dev, u16 cntlid,
				  struct nvme_id_ctrl *id)
{
	u64 max_bytes = uringblk_nvme_max_bytes(dev);
	char sn[21];

	/* No PCI vendor: 0, as the kernel's target reports. */
	id->vid = 0;
	id->ssvid = 0;
	snprintf(sn, sizeof(sn), "uringblk%d", dev->index);
	uringblk_nvme_str(id->sn, sizeof(id->sn), sn);
	uringblk_nvme_str(id->mn, sizeof(id->mn), "uringblk computational storage");
	uringblk_nvme_str(id->fr, sizeof(id->fr), URINGBLK_DRV_VERSION);
	id->cntrltype = NVME_CTRL_IO;
	id->cntlid = cpu_to_le16(cntlid);
	/*
	 * Several controllers: CMIC bit 1, which nvme-core needs to take a
	 * second controller into the subsystem (nvme_validate_cntlid()) and
	 * to give each namespace a multipath head (nvme_mpath_alloc_disk()).
	 * No ANA (bit 3): Documentation/dev/nvme-controller.md, "Multipath".
	 */
	if (uringblk_nvme_shared(dev))
		id->cmic = NVME_CTRL_CMIC_MULTI_CTRL;
	/* 2^MDTS pages of 4 KiB (CAP.MPSMIN): the queue's largest request. */
	id->mdts = max_bytes >= SZ_4K ? ilog2(max_bytes >> 12) : 0;
	id->ver = cpu_to_le32(NVME_VS(2, 0, 0));
	id->acl = 3;
	id->aerl = 3;
	id->frmw = (1 << 1) | (1 << 0);	/* one firmware slot, read-only */
	/* SMART per namespace, Commands Supported and Effects, extended data */
	id->lpa = NVME_CTRL_LPA_CMD_EFFECTS_LOG | (1 << 0) | (1 << 2);
	id->elpe = URINGBLK_NVME_ERR_ENTRIES - 1;
	/*
	 * An SSD model: CTRATT bit 4, Endurance Groups, and ENDGIDMAX (bytes
	 * 341:340, 6.1's rsvd338[2..3]) 1: the Endurance Group Information
	 * log (09h) of group 1 reports the model's wear.
	 */
	if (uringblk_nvme_endgrp(dev)) {
		id->ctratt = cpu_to_le32(NVME_CTRL_CTRATT_ENDURANCE_GROUPS);
		put_unaligned_le16(URINGBLK_NVME_ENDGID, id->rsvd338 + 2);
	}
	id->wctemp = cpu_to_le16(URINGBLK_NVME_WCTEMP_K);
	id->cctemp = cpu_to_le16(URINGBLK_NVME_CCTEMP_K);
	id->sqes = (0x6 << 4) | 0x6;
	id->cqes = (0x4 << 4) | 0x4;
	id->nn = cpu_to_le32(URINGBLK_NVME_NR_NS);
	id->mnan = cpu_to_le32(URINGBLK_NVME_NR_NS);
	id->oncs = cpu_to_le16(uringblk_nvme_oncs(dev));
	/* OCFS (later kernels' nvme_id_ctrl, 6.1's rsvd534): format 0 with Copy. */
	if (uringblk_nvme_oncs(dev) & URINGBLK_NVME_ONCS_COPY)
		put_unaligned_le16(1, id->rsvd534);
	id->oacs = 0;
	/*
	 * SGLS 01b: data of any alignment, as the drive takes it (user pages,
	 * a request's bio_vecs); without it 6.12's passthrough warns "using
	 * unchecked data buffer" on the controller's nodes.
	 */
	id->sgls = cpu_to_le32(1 << 0);
	/*
	 * Every drive has a volatile write cache: Flush does something.  Bits
	 * 2:1 stay 00b (Flush with NSID FFFFFFFFh: not reported), as nvmet's:
	 * the host half refuses an I/O command whose nsid is not the node's
	 * (-EINVAL, as Linux does), so no Flush with FFFFFFFFh ever reaches
	 * the device to be supported or refused.
	 */
	id->vwc = NVME_CTRL_VWC_PRESENT;
	put_unaligned_le64(dev->cfg.capacity, id->tnvmcap);
	snprintf(id->subnqn, sizeof(id->subnqn),
		 "nqn.2014-08.org.uringblk:%s", dev->name);
	/* No power management: the values the kernel's target and QEMU give. */
	id->psd[0].max_power = cpu_to_le16(0x9c4);
	id->psd[0].entry_lat = cpu_to_le32(0x10);
	id->psd[0].exit_lat = cpu_to_le32(0x4);
}

/* Identify Namespace (CNS 00h): one LBA format, the drive's block size. */
static void uringblk_nvme_id_ns(struct uringblk_dev *dev, u32 nsid, struct nvme_id_ns *id)
{
	u64 nlb = dev->cfg.capacity >> uringblk_nvme_lba_shift(dev);

	id->nsze = cpu_to_le64(nlb);
	id->ncap = cpu_to_le64(nlb);
	id->nuse = cpu_to_le64(nlb);
	id->nlbaf = 0;			/* 0's based: one format */
	id->flbas = 0;
	id->lbaf[0].ds = uringblk_nvme_lba_shift(dev);
	/*
	 * A deallocated block (DSM's deallocate, a zone's blocks past its write
	 * pointer) reads as zeroes.  Bit 3 stays 0: Write Zeroes' DEAC
	 * deallocates nothing (the zeroes are written).
	 */
	id->dlfeat = URINGBLK_NVME_DLFEAT_ZEROES;
	put_unaligned_le64(dev->cfg.capacity, id->nvmcap);
	/* its blocks are the SSD model's NAND: in the one Endurance Group */
	if (uringblk_nvme_endgrp(dev))
		id->endgid = cpu_to_le16(URINGBLK_NVME_ENDGID);
	/* Shared through every controller: nvme-core reads NMIC here for NVM and ZNS */
	if (uringblk_nvme_shared(dev)) {
		id->nmic = NVME_NS_NMIC_SHARED;
		uringblk_nvme_nguid(dev, nsid, id->nguid);
		uringblk_nvme_eui64(dev, nsid, id->eui64);
	}
	/*
	 * Copy's limits where later kernels' nvme_id_ns has MSSRL (74), MCL
	 * (76) and MSRC (80), 6.1's rsvd74: set with ONCS bit 8, else 0.
	 */
	if (uringblk_nvme_oncs(dev) & URINGBLK_NVME_ONCS_COPY) {
		u32 mssrl = uringblk_nvme_copy_mssrl(dev);

		put_unaligned_le16(mssrl, id->rsvd74);
		put_unaligned_le32(mssrl * URINGBLK_NVME_COPY_MCL_RANGES, id->rsvd74 + 2);
		id->rsvd74[6] = URINGBLK_NVME_COPY_MSRC;
	}
}

static_assert(offsetof(struct nvme_id_ns, rsvd74) == 74);
static_assert(offsetof(struct nvme_id_ctrl, rsvd534) == 534);
static_assert(offsetof(struct nvme_id_ctrl, rsvd338) == 338);
static_assert(offsetof(struct nvme_id_ns, endgid) == 102);
static_assert(offsetof(struct nvme_id_ns_cs_indep, endgid) == 12);

/*
 * I/O Command Set Independent Identify Namespace (CNS 08h).  ENDGID as CNS
 * 00h's: the namespace of logical blocks, with an SSD model; CP's and
 * SLM's hold no data on NAND (0: no group).
 */
static void uringblk_nvme_id_ns_indep(struct uringblk_dev *dev, u32 nsid,
				      struct nvme_id_ns_cs_indep *id)
{
	/* private to the one controller, or shared by the drive's several */
	id->nmic = uringblk_nvme_shared(dev) ? NVME_NS_NMIC_SHARED : 0;
	id->nsattr = 0;			/* not write protected */
	id->nstat = NVME_NSTAT_NRDY;	/* bit 0: ready */
	if (uringblk_nvme_endgrp(dev) && uringblk_nvme_ns_cset(dev, nsid)->lbas)
		id->endgid = cpu_to_le16(URINGBLK_NVME_ENDGID);
}

/*
 * Whether Identify of one namespace (CNS 00h, 05h, 08h; 03h) may name
 * @nsid (NVMe 2.0 base, "Identify" and "NSID and Namespace Usage"): an
 * active NSID gets its data, an inactive one (allocated or not, within
 * 1..NN) a zero-filled structure, and any other value, 0, above NN or
 * FFFFFFFEh, is invalid: Invalid Namespace or Format, as QEMU's NVMe
 * device answers.  FFFFFFFFh asks CNS 00h for the capabilities common to
 * all namespaces, which a controller with Namespace Management reports;
 * this one has none (OACS bit 3 clear): invalid too, as QEMU's and nvmet's.
 * Every NSID of 1..NN is active here (NVM 1, CP 2, SLM 3; NN = 3), so no
 * Identify answers an inactive NSID's zeroes.
 */
static bool uringblk_nvme_nsid_valid(u32 nsid)
{
	return nsid >= 1 && nsid <= URINGBLK_NVME_NR_NS;
}

/*
 * Identify (06h), as nvmet_execute_identify(): the transfer must be the 4 KiB
 * of Identify data; answers into @buf.  Return: 0 or an NVMe status.
 */
static int uringblk_nvme_identify(struct uringblk_dev *dev, u16 cntlid,
				  const struct nvme_passthru_cmd64 *c, void *buf)
{
	const struct uringblk_nvme_cset *cs;
	u8 cns = c->cdw10 & 0xff;
	u8 csi = c->cdw11 >> 24;

	BUILD_BUG_ON(sizeof(struct nvme_id_ns_nvm) != NVME_IDENTIFY_DATA_SIZE);
	BUILD_BUG_ON(sizeof(struct nvme_id_ns_cs_indep) != NVME_IDENTIFY_DATA_SIZE);
	switch (cns) {
	case NVME_ID_CNS_NS:
	case NVME_ID_CNS_NS_CS_INDEP:
		if (!uringblk_nvme_nsid_valid(c->nsid))
			return NVME_SC_INVALID_NS | URINGBLK_NVME_DNR;
		if (cns == NVME_ID_CNS_NS_CS_INDEP)	/* every namespace's */
			uringblk_nvme_id_ns_indep(dev, c->nsid, buf);
		else if (uringblk_nvme_ns_cset(dev, c->nsid)->lbas)
			uringblk_nvme_id_ns(dev, c->nsid, buf);
		/* CP's, SLM's and KV's: no logical blocks, all zero */
		return 0;
	case NVME_ID_CNS_CTRL:
		uringblk_nvme_id_ctrl(dev, cntlid, buf);
		return 0;
	case NVME_ID_CNS_NS_ACTIVE_LIST:
	case URINGBLK_NVME_ID_CNS_CS_NS_ACTIVE_LIST:
		if (c->nsid >= 0xfffffffe)
			return NVME_SC_INVALID_NS | URINGBLK_NVME_DNR;
		uringblk_nvme_ns_list(dev, c->nsid, cns == NVME_ID_CNS_NS_ACTIVE_LIST ?
				      -1 : csi, buf);
		return 0;
	case NVME_ID_CNS_NS_DESC_LIST:
		if (!uringblk_nvme_nsid_valid(c->nsid))
			return NVME_SC_INVALID_NS | URINGBLK_NVME_DNR;
		uringblk_nvme_ns_descs(dev, c->nsid, buf);
		return 0;
	case NVME_ID_CNS_CS_CTRL:
		/* A set the drive has (ZNS, KV only on such a drive), else as nvmet */
		cs = uringblk_nvme_cset_present(dev, csi);
		if (!cs)
			return NVME_SC_INVALID_FIELD | URINGBLK_NVME_DNR;
		break;
	case NVME_ID_CNS_CS_NS:
		if (!uringblk_nvme_nsid_valid(c->nsid))
			return NVME_SC_INVALID_NS | URINGBLK_NVME_DNR;
		/*
		 * A namespace of another set: Invalid Field, as nvmet's ZNS; a
		 * ZNS namespace answers NVM's too (its set's base).
		 */
		cs = uringblk_nvme_ns_cset(dev, c->nsid);
		if (cs->csi != csi && !(cs->base && cs->base->csi == csi))
			return NVME_SC_INVALID_FIELD | URINGBLK_NVME_DNR;
		if (cs->csi != csi)
			cs = cs->base;
		break;
	default:
		return NVME_SC_INVALID_FIELD | URINGBLK_NVME_DNR;
	}
	/* CNS 05h, 06h: the set's own data (its file), or all zero */
	return cs->identify ? cs->identify(dev, cns, c->nsid, buf) : 0;
}

/*
 * Temperature Threshold (04h) of CDW11: TMPSEL 19:16 (0h the composite
 * temperature, the drive's one sensor), THSEL 21:20 (00b over, 01b under).
 * Over is WCTEMP, under 0 (none), as QEMU's device defaults; a sensor the
 * drive lacks reads 0 (QEMU's answer); THSEL 10b/11b (reserved) Invalid
 * Field.  Return: 0 or an NVMe status; *@result the threshold (Kelvin).
 */
static int uringblk_nvme_temp_thresh(u32 cdw11, u64 *result)
{
	u8 tmpsel = (cdw11 >> 16) & 0xf, thsel = (cdw11 >> 20) & 3;

	if (thsel > 1)
		return NVME_SC_INVALID_FIELD | URINGBLK_NVME_DNR;
	*result = tmpsel == 0 && thsel == 0 ? URINGBLK_NVME_WCTEMP_K : 0;
	return 0;
}

/*
 * Number of Queues' value: the drive's hardware queues, 0's based, both
 * kinds; a bio drive (bio.h) has none, and answers the least NVMe allows, one.
 */
static u32 uringblk_nvme_nr_queues(struct uringblk_dev *dev)
{
	u32 n = dev->cfg.queue_mode == URINGBLK_QUEUE_BIO ? 0 :
		dev->cfg.nr_hw_queues + dev->cfg.nr_poll_queues - 1;

	n = min_t(u32, n, 0xfffe);
	return n | n << 16;
}

/*
 * Get Features' SEL 011b answer (capabilities, CDW0 2:0): saveable,
 * namespace specific, changeable.  Nothing here is saveable; only Error
 * Recovery is per namespace.
 */
#define URINGBLK_NVME_FEAT_NS_SPECIFIC	BIT(1)
#define URINGBLK_NVME_FEAT_CHANGEABLE	(1 << 2)
/* Error Recovery's CDW11: TLER (15:0); DULBE (bit 16) and the rest refused */
#define URINGBLK_NVME_ERR_REC_TLER	0xffff
/* Arbitration: Arbitration Burst (2:0) 111b, no limit; weights 0 (QEMU's) */
#define URINGBLK_NVME_ARB_BURST_NOLIMIT	7
/* Interrupt Vector Configuration: Coalescing Disable (CDW0 bit 16) */
#define URINGBLK_NVME_IV_CD		(1U << 16)

/*
 * The features this controller has, and what SEL 011b says of each; -1: a
 * FID it does not have (Invalid Field in Command, before anything else of
 * the command is looked at).  The mandatory ones of an I/O controller of
 * the NVM command set (NVMe 1.4's Set Features table marks them M;
 * nvmet's admin-cmd.c lists the same as "mandatory in the spec"):
 * Arbitration, Power Management, Temperature Threshold, Error Recovery,
 * Number of Queues, Interrupt Coalescing, Interrupt Vector Configuration,
 * Write Atomicity Normal, Asynchronous Event Configuration; Volatile Write
 * Cache (VWC 1), and a kv drive's vendor feature.  Asynchronous Event
 * Configuration, Error Recovery (per namespace) and the kv feature change
 * (QEMU 7.2's device: the same list, and Timestamp).
 */
static int uringblk_nvme_feature_caps(struct uringblk_dev *dev, u8 fid)
{
	switch (fid) {
	case NVME_FEAT_ARBITRATION:
	case NVME_FEAT_POWER_MGMT:
	case NVME_FEAT_TEMP_THRESH:
	case NVME_FEAT_VOLATILE_WC:
	case NVME_FEAT_NUM_QUEUES:
	case NVME_FEAT_IRQ_COALESCE:
	case NVME_FEAT_IRQ_CONFIG:
	case NVME_FEAT_WRITE_ATOMIC:
		return 0;
	case NVME_FEAT_ERR_RECOVERY:
		return URINGBLK_NVME_FEAT_NS_SPECIFIC | URINGBLK_NVME_FEAT_CHANGEABLE;
	case NVME_FEAT_ASYNC_EVENT:
		return URINGBLK_NVME_FEAT_CHANGEABLE;
	case URINGBLK_NVME_FEAT_KV_DEL_ERR:	/* a kv drive's only (nvme-kv.md) */
		return uringblk_nvme_csi(dev) == URINGBLK_NVME_CSI_KV && dev->kv ?
		       URINGBLK_NVME_FEAT_CHANGEABLE : -1;
	default:
		return -1;
	}
}

/*
 * Get Features (0Ah): the FID first (one the drive lacks: Invalid Field,
 * as nvmet and QEMU), then the buffer (none of these features moves data:
 * Data SGL Length Invalid), then SEL (a reserved one Invalid Field; 011b
 * the capabilities; 010b, saved, is the default: nothing is saveable).
 * The values, where QEMU's device and this drive agree:
 *  - Arbitration: burst no limit, weights 0 (round robin only, CAP.AMS 0);
 *  - Power Management: power state 0, the only one (NPSS 0), no hint;
 *  - Temperature Threshold: uringblk_nvme_temp_thresh();
 *  - Volatile Write Cache: enabled (main.c's queue has a write-back
 *    cache, and Flush empties it);
 *  - Number of Queues: the queues there are (uringblk_nvme_nr_queues());
 *  - Interrupt Coalescing: 0, no aggregation (completions are never held
 *    back to be coalesced: the drive has no interrupts);
 *  - Interrupt Vector Configuration: IV (CDW11 15:0) names one of the
 *    vectors, 0 (admin) to NSQA + 1, as Abort's SQID (else Invalid Field);
 *    Coalescing Disable set for vector 0, as QEMU answers;
 *  - Asynchronous Event Configuration: what Set Features stored (0 by
 *    default); the drive raises no event whatever it holds (OAES 0);
 *  - Error Recovery, of the namespace NSID names (1..NN, else Invalid
 *    Namespace or Format, as QEMU): the TLER Set Features stored (0 by
 *    default, no limit), DULBE 0 (Identify Namespace's NSFEAT bit 2 is
 *    clear: a deallocated block reads as zeroes, never as an error);
 *  - Write Atomicity Normal: DN 0; AWUN and AWUPF are both 0 (one logical
 *    block), so there is nothing for DN to disable and it stays 0.
 * Return: 0 or an NVMe status; *@result.
 */
static int uringblk_nvme_get_features(struct uringblk_dev *dev,
				      const struct nvme_passthru_cmd64 *c, u32 len,
				      u64 *result)
{
	u8 fid = c->cdw10 & 0xff;
	u8 sel = (c->cdw10 >> 8) & 7;
	int caps = uringblk_nvme_feature_caps(dev, fid);

	if (caps < 0)
		return NVME_SC_INVALID_FIELD | URINGBLK_NVME_DNR;
	if (len)
		return NVME_SC_SGL_INVALID_DATA | URINGBLK_NVME_DNR;
	if ((caps & URINGBLK_NVME_FEAT_NS_SPECIFIC) && !uringblk_nvme_nsid_valid(c->nsid))
		return NVME_SC_INVALID_NS | URINGBLK_NVME_DNR;
	if (sel > URINGBLK_NVME_SEL_SUPPORTED)
		return NVME_SC_INVALID_FIELD | URINGBLK_NVME_DNR;
	switch (fid) {
	case NVME_FEAT_ARBITRATION:
		*result = URINGBLK_NVME_ARB_BURST_NOLIMIT;
		break;
	case NVME_FEAT_POWER_MGMT:
	case NVME_FEAT_IRQ_COALESCE:
	case NVME_FEAT_WRITE_ATOMIC:
		*result = 0;
		break;
	case NVME_FEAT_ERR_RECOVERY:
		*result = sel == 0 ? READ_ONCE(dev->nvme_tler[c->nsid - 1]) : 0;
		break;
	case NVME_FEAT_VOLATILE_WC:
		*result = 1;
		break;
	case NVME_FEAT_NUM_QUEUES:
		*result = uringblk_nvme_nr_queues(dev);
		break;
	case NVME_FEAT_TEMP_THRESH: {
		int ret = uringblk_nvme_temp_thresh(c->cdw11, result);

		if (ret)
			return ret;
		break;
	}
	case NVME_FEAT_IRQ_CONFIG: {
		u32 iv = c->cdw11 & 0xffff;

		if (iv > (uringblk_nvme_nr_queues(dev) & 0xffff) + 1)
			return NVME_SC_INVALID_FIELD | URINGBLK_NVME_DNR;
		*result = iv | (iv == 0 ? URINGBLK_NVME_IV_CD : 0);
		break;
	}
	case NVME_FEAT_ASYNC_EVENT:
		*result = sel == 0 ? READ_ONCE(dev->nvme_aec) : 0;
		break;
	case URINGBLK_NVME_FEAT_KV_DEL_ERR:
		*result = READ_ONCE(dev->kv->del_err);
		break;
	}
	if (sel == URINGBLK_NVME_SEL_SUPPORTED)
		*result = caps;
	return 0;
}

/*
 * Set Features (09h), in QEMU's device's order once the FID is known
 * (unknown: Invalid Field) and no buffer came (Data SGL Length Invalid):
 * saving (SV) Feature Identifier Not Saveable (nothing is); a feature
 * Get's SEL 011b calls unchangeable Feature Not Changeable, but Volatile
 * Write Cache may be "set" to what it is, enabled (WCE 0: Not Changeable;
 * the cache cannot be turned off) and Number of Queues is Command Sequence
 * Error: the base specification takes it only before any I/O queue
 * exists, and this controller's I/O queues are the drive's hardware
 * queues, there from its creation (QEMU's answers so once the host has
 * made its queues, as Linux has in any guest that reads it).  Asynchronous
 * Event Configuration stores CDW11 as it is, as QEMU's (nothing follows
 * from it: the drive raises no event).  Error Recovery, namespace specific,
 * takes NSID 1..NN or FFFFFFFFh (every namespace; else Invalid Namespace or
 * Format) and stores TLER (the drive never retries: every command ends
 * well within any limit); DULBE set is Invalid Field, the namespaces not
 * having it (NSFEAT bit 2 clear).  Return: 0 or an NVMe status; *@result.
 */
static int uringblk_nvme_set_features(struct uringblk_dev *dev,
				      const struct nvme_passthru_cmd64 *c, u32 len,
				      u64 *result)
{
	u8 fid = c->cdw10 & 0xff;
	int caps = uringblk_nvme_feature_caps(dev, fid);

	if (caps < 0)
		return NVME_SC_INVALID_FIELD | URINGBLK_NVME_DNR;
	if (len)
		return NVME_SC_SGL_INVALID_DATA | URINGBLK_NVME_DNR;
	if (fid == URINGBLK_NVME_FEAT_KV_DEL_ERR) {
		if (c->cdw11 & ~1U)
			return NVME_SC_INVALID_FIELD | URINGBLK_NVME_DNR;
		if (c->cdw10 & URINGBLK_NVME_SET_SV)
			return NVME_SC_FEATURE_NOT_SAVEABLE | URINGBLK_NVME_DNR;
		WRITE_ONCE(dev->kv->del_err, c->cdw11 & 1);
		*result = c->cdw11 & 1;
		return 0;
	}
	if ((caps & URINGBLK_NVME_FEAT_NS_SPECIFIC) && c->nsid != NVME_NSID_ALL &&
	    !uringblk_nvme_nsid_valid(c->nsid))
		return NVME_SC_INVALID_NS | URINGBLK_NVME_DNR;
	if (c->cdw10 & URINGBLK_NVME_SET_SV)
		return NVME_SC_FEATURE_NOT_SAVEABLE | URINGBLK_NVME_DNR;
	switch (fid) {
	case NVME_FEAT_ERR_RECOVERY: {
		u32 i;

		if (c->cdw11 & ~URINGBLK_NVME_ERR_REC_TLER)
			return NVME_SC_INVALID_FIELD | URINGBLK_NVME_DNR;
		BUILD_BUG_ON(ARRAY_SIZE(dev->nvme_tler) != URINGBLK_NVME_NR_NS);
		for (i = 0; i < URINGBLK_NVME_NR_NS; i++)
			if (c->nsid == NVME_NSID_ALL || c->nsid == i + 1)
				WRITE_ONCE(dev->nvme_tler[i], c->cdw11);
		return 0;
	}
	case NVME_FEAT_NUM_QUEUES:
		return NVME_SC_CMD_SEQ_ERROR | URINGBLK_NVME_DNR;
	case NVME_FEAT_VOLATILE_WC:
		if (!(c->cdw11 & 1))
			return NVME_SC_FEATURE_NOT_CHANGEABLE | URINGBLK_NVME_DNR;
		*result = 1;
		return 0;
	case NVME_FEAT_ASYNC_EVENT:
		WRITE_ONCE(dev->nvme_aec, c->cdw11);
		return 0;
	}
	return NVME_SC_FEATURE_NOT_CHANGEABLE | URINGBLK_NVME_DNR;
}

/*
 * Abort (08h): SQID (CDW10 15:0) must name a submission queue the drive
 * has: 0 (admin) or an I/O queue of Number of Queues' answer, else
 * Invalid Field (QEMU's NVMe device's rule; nvmet checks nothing).  No
 * command is ever aborted: the ones in flight are in the drive already and
 * finish there, so the result's bit 0 says "not aborted", as nvmet and
 * QEMU answer.  Return: 0 or an NVMe status; *@result.
 */
static int uringblk_nvme_abort(struct uringblk_dev *dev,
			       const struct nvme_passthru_cmd64 *c, u32 len,
			       u64 *result)
{
	u32 nsqa = (uringblk_nvme_nr_queues(dev) & 0xffff) + 1;

	if (len)
		return NVME_SC_SGL_INVALID_DATA | URINGBLK_NVME_DNR;
	/* "not aborted" with Invalid Field too, as QEMU's device answers */
	*result = URINGBLK_NVME_ABORT_NOT_DONE;
	if ((c->cdw10 & 0xffff) > nsqa)
		return NVME_SC_INVALID_FIELD | URINGBLK_NVME_DNR;
	return 0;
}

/*
 * Asynchronous Event Request (0Ch): the drive raises no asynchronous event
 * (OAES 0; its SMART log never sets a critical warning: constant
 * temperature below WCTEMP, constant spare), and 6.1's io_uring cannot
 * cancel a URING_CMD held at ring close, so no request is held: each is
 * answered at once Asynchronous Event Request Limit Exceeded, nvmet's
 * answer beyond its limit, as if AERL + 1 requests were outstanding.  A
 * data buffer: Data SGL Length Invalid (nvmet).  Return: an NVMe status.
 */
static int uringblk_nvme_async_event(u32 len)
{
	if (len)
		return NVME_SC_SGL_INVALID_DATA | URINGBLK_NVME_DNR;
	return NVME_SC_ASYNC_LIMIT | URINGBLK_NVME_DNR;
}

/**
 * uringblk_nvme_admin_exec() - the device half of an admin command
 * @dev:	the drive
 * @cntlid:	the controller that asks: URINGBLK_NVME_CNTLID_CDEV for the
 *		command device, its own for a controller of nvme-core
 * @c:		the command, checked by the host half
 * @iter:	the client's data buffer (uringblk_nvme_xfer_len(@c) bytes)
 * @result:	the command's result (CQE DW0), 0 unless the command sets it
 *
 * Process context; may sleep (allocations, the copy to the client).
 * Return: 0, a positive NVMe status or -errno (-EFAULT: the copy failed).
 */
int uringblk_nvme_admin_exec(struct uringblk_dev *dev, u16 cntlid,
			     const struct nvme_passthru_cmd64 *c,
			     struct iov_iter *iter, u64 *result)
{
	u32 len = uringblk_nvme_xfer_len(c);
	void *buf = NULL;
	int ret;

	switch (c->opcode) {
	case nvme_admin_identify:
		if (len != NVME_IDENTIFY_DATA_SIZE)
			return NVME_SC_SGL_INVALID_DATA | URINGBLK_NVME_DNR;
		buf = kzalloc(NVME_IDENTIFY_DATA_SIZE, GFP_KERNEL_ACCOUNT);
		if (!buf)
			return -ENOMEM;
		ret = uringblk_nvme_identify(dev, cntlid, c, buf);
		break;
	case nvme_admin_get_log_page:
		ret = uringblk_nvme_get_log(dev, c, len, &buf);
		break;
	case nvme_admin_get_features:
		return uringblk_nvme_get_features(dev, c, len, result);
	case nvme_admin_set_features:
		return uringblk_nvme_set_features(dev, c, len, result);
	case nvme_admin_abort_cmd:
		return uringblk_nvme_abort(dev, c, len, result);
	case nvme_admin_async_event:
		return uringblk_nvme_async_event(len);
	case URINGBLK_NVME_ADMIN_LOAD_PROGRAM:
	case URINGBLK_NVME_ADMIN_PROG_ACT_MGMT:
	case URINGBLK_NVME_ADMIN_MEM_RANGE_SET_MGMT:
		return uringblk_nvme_cp_admin(dev, c, iter, result);
	default:
		return NVME_SC_INVALID_OPCODE | URINGBLK_NVME_DNR;
	}
	if (!ret && copy_to_iter(buf, len, iter) != len)
		ret = -EFAULT;
	kvfree(buf);
	return ret;
}
