// SPDX-License-Identifier: GPL-2.0
/*
 * The NVMe Key Value command set (CSI 01h) on a KV drive's NSID 1: its I/O
 * commands decoded onto the KV engine (kv_ns.h) and its Identify data.
 * Layouts as the NVM Express Key Value Command Set 1.0 and the public code
 * that implements it show them (SPDK's nvme_kv_spec.h); what could not be
 * confirmed is listed in Documentation/dev/nvme-kv.md.
 *
 *   Store 01h     CDW10 value size (bytes); CDW11 7:0 key length, 8 store
 *                 only if the key exists, 9 only if it does not (both:
 *                 Invalid Field); data: the value (at least CDW10 bytes)
 *   Retrieve 02h  CDW10 host buffer size; CDW11 7:0 key length; data: up to
 *                 that many bytes of the value; DW0: the value's full size
 *   List 06h      CDW10 host buffer size; CDW11 7:0 key length (0: from the
 *                 first key); data: the list (kv_list(), kv_engine.h)
 *   Delete 10h    CDW11 7:0 key length; no data
 *   Exist 14h     CDW11 7:0 key length; no data
 * The key: bytes 0-3 in CDW2, 4-7 in CDW3, 8-11 in CDW14, 12-15 in CDW15,
 * each dword little-endian (its byte 0 the key's first byte).
 *
 * Data buffer checks: a transfer shorter than CDW10 says is Data SGL Length
 * Invalid, as the NVM commands' mismatches here.
 */
#include <linux/nvme.h>
#include <linux/nvme_ioctl.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include "compat.h"	/* <linux/unaligned.h> on 6.12 */

#include "cmd_mem.h"
#include "kv_ns.h"
#include "nvme.h"
#include "stats.h"
#include "uringblk.h"

/**
 * uringblk_nvme_kv_io_effects() - the KV namespace's entry in the effects log
 * @dev:	the drive (a drive without the kv option has no KV namespace)
 * @opcode:	an I/O opcode
 *
 * The one list of the KV commands: the effects log, the permission rule
 * (nvme.c: Store moves data to the drive, Delete changes it: LBCC) and the
 * decoding all ask it.  Return: NVME_CMD_EFFECTS_* or 0 (not supported).
 */
u32 uringblk_nvme_kv_io_effects(struct uringblk_dev *dev, u8 opcode)
{
	const u32 sup = NVME_CMD_EFFECTS_CSUPP;

	if (!dev->cfg.kv)
		return 0;
	switch (opcode) {
	case nvme_cmd_flush:	/* the KV command set's Flush (00h) */
		return sup;
	case URINGBLK_NVME_KV_STORE:
	case URINGBLK_NVME_KV_DELETE:
		return sup | NVME_CMD_EFFECTS_LBCC;
	case URINGBLK_NVME_KV_RETRIEVE:
	case URINGBLK_NVME_KV_LIST:
	case URINGBLK_NVME_KV_EXIST:
		return sup;
	default:
		return uringblk_nvme_kv_seed_effects(opcode);	/* 81h-84h */
	}
}

/**
 * uringblk_nvme_kv_nvm_effects() - the seed dialect's effects on NVM
 * @dev:	the drive
 * @opcode:	an I/O opcode of the NVM namespace (NSID 1) the NVM set lacks
 *
 * A drive with kv_nvm_mb takes the seed dialect (81h-84h, vendor specific
 * in the NVM set) on its NVM namespace, over the KV image of its hidden
 * region; the standard KV commands stay on KV drives.  Return:
 * NVME_CMD_EFFECTS_* or 0 (not supported).
 */
u32 uringblk_nvme_kv_nvm_effects(struct uringblk_dev *dev, u8 opcode)
{
	return dev->cfg.kv_nvm_mb ? uringblk_nvme_kv_seed_effects(opcode) : 0;
}

void uringblk_nvme_kv_key(const struct nvme_passthru_cmd64 *c, u8 key[KV_MAX_KEY_LEN])
{
	put_unaligned_le32(c->cdw2, key);
	put_unaligned_le32(c->cdw3, key + 4);
	put_unaligned_le32(c->cdw14, key + 8);
	put_unaligned_le32(c->cdw15, key + 12);
}

int uringblk_kv_nvme_status(enum kv_status s)
{
	u16 st = kv_status_to_nvme(s);

	if (s == KV_OK)
		return 0;
	return s == KV_INTERNAL ? st : st | URINGBLK_NVME_DNR;
}

/*
 * Flush: the engine held while the media is flushed; a failed flush is
 * Write Fault, as the NVM namespace's Flush (Namespace Not Ready once the
 * removal has begun).  Return: 0, -ENODEV (removed before it began) or
 * the NVMe status.
 */
static int uringblk_nvme_kv_flush(struct uringblk_dev *dev)
{
	struct kv_engine *e = uringblk_kv_get(dev, false);
	int ret;

	if (IS_ERR(e))
		return PTR_ERR(e);
	ret = uringblk_kv_flush(dev);
	if (ret)
		ret = uringblk_nvme_write_status(dev->disk, ret);
	uringblk_kv_put(dev, false);
	return ret;
}

/* An engine status or -errno as the command's: 0, an NVMe status or -errno */
static int uringblk_nvme_kv_ret(int ret)
{
	return ret < 0 ? ret : uringblk_kv_nvme_status(ret);
}

static int uringblk_nvme_kv_list(struct uringblk_dev *dev, const u8 *key, u32 klen,
				 u32 buflen, struct iov_iter *iter)
{
	struct kv_engine *e;
	u32 nrk, total;
	void *buf;
	int ret;

	if (buflen > URINGBLK_NVME_KV_LIST_MAX)
		return NVME_SC_INVALID_FIELD | URINGBLK_NVME_DNR;
	buf = uringblk_cmd_buf(dev, max(buflen, 4U), __GFP_ZERO);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	e = uringblk_kv_get(dev, false);
	if (IS_ERR(e)) {
		ret = PTR_ERR(e);
		goto out;
	}
	ret = kv_list(e, key, klen, buf, buflen, &nrk, &total);
	uringblk_kv_put(dev, false);
	if (ret == KV_OK && copy_to_iter(buf, buflen, iter) != buflen)
		ret = -EFAULT;
out:
	uringblk_cmd_buf_free(dev, buf, max(buflen, 4U));
	return uringblk_nvme_kv_ret(ret);
}

/**
 * uringblk_nvme_kv_exec() - the device half of a KV namespace's I/O command
 * @dev:	the drive, a KV drive or one with kv_nvm_mb
 * @c:		the command, checked by the host half; its opcode one that
 *		uringblk_nvme_kv_io_effects() (or, with kv_nvm_mb,
 *		uringblk_nvme_kv_nvm_effects()) supports
 * @iter:	its data buffer, mapped (opcode bit 0: from the host)
 * @result:	the completion's DW0 (Retrieve: the value's size)
 *
 * Process context; sleeps.  Return: 0, an NVMe status or -errno.
 */
int uringblk_nvme_kv_exec(struct uringblk_dev *dev,
			  const struct nvme_passthru_cmd64 *c,
			  struct iov_iter *iter, u64 *result)
{
	u32 klen = c->cdw11 & 0xff;
	u32 xfer = uringblk_nvme_xfer_len(c);
	u8 key[KV_MAX_KEY_LEN];
	struct kv_engine *e;
	u64 vlen, copied;
	int ret;

	uringblk_nvme_kv_key(c, key);
	this_cpu_inc(dev->stats->kv_cmds);
	switch (c->opcode) {
	case nvme_cmd_flush:
		if (xfer)
			return NVME_SC_SGL_INVALID_DATA | URINGBLK_NVME_DNR;
		return uringblk_nvme_kv_flush(dev);
	case URINGBLK_NVME_KV_STORE: {
		u32 opts = (c->cdw11 >> 8) & (KV_STORE_MUST_EXIST | KV_STORE_MUST_NOT_EXIST);

		if (xfer < c->cdw10)
			return NVME_SC_SGL_INVALID_DATA | URINGBLK_NVME_DNR;
		ret = uringblk_kv_store_iter(dev, key, klen, iter, c->cdw10, opts);
		if (ret == KV_OK)
			this_cpu_add(dev->stats->kv_bytes_from_host, c->cdw10);
		return uringblk_nvme_kv_ret(ret);
	}
	case URINGBLK_NVME_KV_RETRIEVE:
		if (xfer < c->cdw10)
			return NVME_SC_SGL_INVALID_DATA | URINGBLK_NVME_DNR;
		ret = uringblk_kv_retrieve_iter(dev, key, klen, 0, c->cdw10, iter,
						&vlen, &copied);
		if (ret == KV_OK) {
			/* DW0 is 32 bits: values are at most 4 GiB - 1 */
			*result = vlen;
			this_cpu_add(dev->stats->kv_bytes_to_host, copied);
			this_cpu_add(dev->stats->bytes_to_host, copied);
		}
		return uringblk_nvme_kv_ret(ret);
	case URINGBLK_NVME_KV_LIST:
		if (xfer < c->cdw10)
			return NVME_SC_SGL_INVALID_DATA | URINGBLK_NVME_DNR;
		ret = uringblk_nvme_kv_list(dev, key, klen, c->cdw10, iter);
		if (!ret) {
			this_cpu_add(dev->stats->kv_bytes_to_host, c->cdw10);
			this_cpu_add(dev->stats->bytes_to_host, c->cdw10);
		}
		return ret;
	case URINGBLK_NVME_KV_DELETE:
		e = uringblk_kv_get(dev, true);
		if (IS_ERR(e))
			return PTR_ERR(e);
		ret = kv_delete(e, key, klen, READ_ONCE(dev->kv->del_err));
		uringblk_kv_put(dev, true);
		return uringblk_nvme_kv_ret(ret);
	case URINGBLK_NVME_KV_EXIST:
		e = uringblk_kv_get(dev, false);
		if (IS_ERR(e))
			return PTR_ERR(e);
		ret = kv_exist(e, key, klen);
		uringblk_kv_put(dev, false);
		return uringblk_nvme_kv_ret(ret);
	default:
		return uringblk_nvme_kv_seed_exec(dev, c, iter, result);
	}
}

/*
 * KV Identify Namespace (CNS 05h, CSI 01h), as public code lays it out
 * (SPDK's struct spdk_nvme_kv_ns_data): NSZE and NUSE in bytes of the data
 * area, one KV format.
 */
struct uringblk_nvme_kv_format {
	__le16	kml;		/* Key Maximum Length */
	__u8	rsvd2;
	__u8	fea;		/* Additional Format Attributes */
	__le32	vml;		/* Value Maximum Length */
	__le32	mnk;		/* Maximum Number of Keys */
	__u8	rsvd12[4];
};

struct uringblk_nvme_id_ns_kv {
	__le64	nsze;		/* Namespace Size (bytes) */
	__u8	rsvd8[8];
	__le64	nuse;		/* Namespace Utilization (bytes) */
	__u8	nsfeat;
	__u8	nkvf;		/* Number of KV Formats, 0's based */
	__u8	nmic;
	__u8	rescap;
	__u8	fpi;
	__u8	rsvd29[3];
	__le32	novg;		/* Namespace Optimal Value Granularity */
	__le32	anagrpid;
	__u8	rsvd40[3];
	__u8	nsattr;
	__le16	nvmsetid;
	__le16	endgid;
	__u8	nguid[16];
	__le64	eui64;
	struct uringblk_nvme_kv_format kvf[16];
	__u8	rsvd328[3512];
	__u8	vs[256];
};

static_assert(sizeof(struct uringblk_nvme_id_ns_kv) == NVME_IDENTIFY_DATA_SIZE);
static_assert(offsetof(struct uringblk_nvme_id_ns_kv, kvf) == 72);

/**
 * uringblk_nvme_kv_identify() - Identify CNS 05h / 06h of the KV set
 * @dev:	a KV drive
 * @cns:	05h (namespace, NSID 1, checked by nvme_admin.c) or 06h
 * @nsid:	the command's NSID
 * @buf:	the 4 KiB answer, zeroed
 *
 * The KV controller data (06h) is all zero: no field of it shows in the
 * public code.  Return: 0, or -ENODEV (removed).
 */
int uringblk_nvme_kv_identify(struct uringblk_dev *dev, u8 cns, u32 nsid, void *buf)
{
	struct uringblk_nvme_id_ns_kv *id = buf;
	struct kv_info info;
	int ret;

	BUILD_BUG_ON(sizeof(struct uringblk_nvme_kv_format) != 16);
	if (cns != NVME_ID_CNS_CS_NS)
		return 0;
	ret = uringblk_kv_info(dev, &info);
	if (ret)
		return ret;
	id->nsze = cpu_to_le64(info.data_blocks * info.block_size);
	id->nuse = cpu_to_le64((info.data_blocks - info.free_blocks) * info.block_size);
	id->nkvf = 0;			/* one format */
	/* as CNS 08h says (nvme_admin.c): shared by several controllers */
	id->nmic = uringblk_nvme_shared(dev) ? NVME_NS_NMIC_SHARED : 0;
	id->novg = cpu_to_le32(info.block_size);
	id->kvf[0].kml = cpu_to_le16(info.max_key_len);
	id->kvf[0].vml = cpu_to_le32(info.max_value_len);
	id->kvf[0].mnk = cpu_to_le32(info.max_keys);
	return 0;
}

static int uringblk_nvme_kv_io(struct uringblk_dev *dev, const struct nvme_passthru_cmd64 *c,
			       struct iov_iter *iter, const struct uringblk_req *req,
			       struct uringblk_issue is, bool vec, u64 *result)
{
	return uringblk_nvme_kv_exec(dev, c, iter, result);
}

/*
 * The Key Value command set (CSI 01h), a kv drive's NSID 1.  Its commands
 * wait for the KV engine's lock and media: from io-wq.
 */
const struct uringblk_nvme_cset uringblk_nvme_cset_kv = {
	.csi		= URINGBLK_NVME_CSI_KV,
	.optional	= true,
	.effects	= uringblk_nvme_kv_io_effects,
	.io		= uringblk_nvme_kv_io,
	.identify	= uringblk_nvme_kv_identify,
};
