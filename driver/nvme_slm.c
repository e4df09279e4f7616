// SPDX-License-Identifier: GPL-2.0
/*
 * The Subsystem Local Memory namespace's I/O commands (NSID 3, CSI 03h):
 * the device half of Memory Copy (01h), Memory Read (02h), Memory Fill
 * (04h) and Memory Write (05h) over the drive's SLM (slm.c), through the
 * model's calls with decoded arguments (cmd_slm.c: uringblk_slm_rw(),
 * _fill(), _copy()), so that they count and refuse as MEM_READ, MEM_WRITE
 * and MEM_COPY do.  nvme_ns.c mapped the data buffer.
 *
 * Layouts (nvme-passthrough.md, "SLM I/O commands", says which public
 * sources show them and what could not be confirmed):
 *   Read, Write, Fill: CDW10-11 SB (SLM byte address), CDW12 LEN (bytes);
 *     Fill: CDW13 the 32-bit pattern (0: zeroes)
 *   Copy: CDW2-3 LEN (bytes in all), CDW10-11 SDADDR (where in SLM),
 *     CDW12 bits 7:0 NR (ranges, 0's based), bits 11:8 CDFT (descriptor
 *     format: 2h, LBAs of an NVM namespace); the data buffer holds NR + 1
 *     32-byte Format 2h source range entries (NVM Copy's, libnvme's
 *     struct nvme_copy_range_f2)
 * SB, LEN and SDADDR are multiples of 4 (Invalid Field).
 *
 * Data never moves under dev->lock from or to the client's memory: a
 * Write is copied into a kernel buffer first, a Read into one and then out,
 * the lock held only around the model's call (as nvme.c's ZNS commands).
 * With the timing model on, a command that succeeds completes at the
 * deadline MEM_READ, MEM_WRITE or MEM_COPY would get, its caller sleeping
 * until it (uringblk_timing_wait()).
 */
#include <linux/ktime.h>
#include <linux/nvme.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "cmd_mem.h"
#include "nvme.h"
#include "slm.h"
#include "uringblk.h"

/* Memory Copy's descriptor format 2h: LBAs of an NVM namespace. */
#define URINGBLK_NVME_SLM_CDFT_LBA	2
/* Source Options, Fast Copy Only: the copy must be fast (it is not) */
#define URINGBLK_NVME_SOPT_FCO		(1U << 15)

/* Source Range Entries Copy Descriptor Format 2h (NVM Copy's; 32 bytes). */
struct uringblk_nvme_copy_f2 {
	__le32	snsid;
	__u8	rsvd4[4];
	__le64	slba;
	__le16	nlb;		/* 0's based */
	__u8	cetype;
	__u8	rsvd19;
	__le16	cev;
	__le16	sopt;
	__u8	rsvd24[8];	/* protection information: none here */
};

static_assert(sizeof(struct uringblk_nvme_copy_f2) == 32);

/**
 * uringblk_nvme_slm_io_effects() - an SLM I/O command's effects log entry
 * @dev:	the drive
 * @opcode:	the I/O opcode
 *
 * Return: CSUPP for the four commands (none changes logical blocks), else 0.
 */
u32 uringblk_nvme_slm_io_effects(struct uringblk_dev *dev, u8 opcode)
{
	switch (opcode) {
	case URINGBLK_NVME_SLM_COPY:
	case URINGBLK_NVME_SLM_READ:
	case URINGBLK_NVME_SLM_FILL:
	case URINGBLK_NVME_SLM_WRITE:
		return NVME_CMD_EFFECTS_CSUPP;
	default:
		return 0;
	}
}

/* dev->lock for read around a model call; removal takes it for write. */
static int uringblk_nvme_slm_lock(struct uringblk_dev *dev)
{
	down_read(&dev->lock);
	if (READ_ONCE(dev->removing)) {
		up_read(&dev->lock);
		return -ENODEV;
	}
	return 0;
}

/*
 * A model result as the command's answer: its statuses, with DNR.  A drive
 * without SLM has an SLM namespace of 0 bytes: every range is beyond it.
 */
static int uringblk_nvme_slm_status(int ret)
{
	if (ret == -EOPNOTSUPP)
		ret = -ERANGE;
	return ret == -EINTR ? ret : uringblk_nvme_status(ret);
}

/* The arrival time the timing model needs, or 0 while it is off. */
static u64 uringblk_nvme_slm_t0(struct uringblk_dev *dev)
{
	return uringblk_timing_on(dev) ? ktime_get_ns() : 0;
}

/*
 * Memory Read, Write and Fill: SB and LEN dword multiples; the buffer at
 * least LEN (Data SGL Length Invalid) and at most MDTS (Invalid Field);
 * LEN 0 does nothing.  Then the model: beyond SLM is its -ERANGE (LBA Out
 * of Range, as MEM_READ's), more than it moves at once Command Size Limit
 * Exceeded.  Return: 0, an NVMe status or -errno.
 */
static int uringblk_nvme_slm_rw(struct uringblk_dev *dev,
				const struct nvme_passthru_cmd64 *c,
				struct iov_iter *iter)
{
	u64 sb = c->cdw10 | (u64)c->cdw11 << 32;
	u32 len = c->cdw12;
	bool fill = c->opcode == URINGBLK_NVME_SLM_FILL;
	bool write = c->opcode == URINGBLK_NVME_SLM_WRITE;
	u64 t0 = uringblk_nvme_slm_t0(dev), deadline = 0;
	void *buf = NULL;
	int ret;

	if ((sb | len) & 3)
		return NVME_SC_INVALID_FIELD | URINGBLK_NVME_DNR;
	if (fill && uringblk_nvme_xfer_len(c))		/* it moves no data */
		return NVME_SC_SGL_INVALID_DATA | URINGBLK_NVME_DNR;
	if (!fill && uringblk_nvme_xfer_len(c) < len)
		return NVME_SC_SGL_INVALID_DATA | URINGBLK_NVME_DNR;
	if (!fill && len > uringblk_nvme_max_bytes(dev))
		return NVME_SC_INVALID_FIELD | URINGBLK_NVME_DNR;
	if (!len)
		return 0;
	if (!fill) {
		buf = uringblk_cmd_buf(dev, len, 0);
		if (IS_ERR(buf))
			return PTR_ERR(buf);
		if (write && copy_from_iter(buf, len, iter) != len) {
			ret = -EFAULT;
			goto out;
		}
	}
	ret = uringblk_nvme_slm_lock(dev);
	if (ret)
		goto out;
	if (fill)
		ret = uringblk_slm_fill(dev, sb, len, c->cdw13);
	else
		ret = uringblk_slm_rw(dev, sb, buf, len, write);
	/* a Fill crosses no link: the firmware and the link latency only */
	if (!ret)
		deadline = uringblk_timing_link_deadline(dev, t0, fill ? 0 : len, !write);
	up_read(&dev->lock);
	ret = uringblk_nvme_slm_status(ret);
	if (!ret && !fill && !write && copy_to_iter(buf, len, iter) != len)
		ret = -EFAULT;
	if (!ret)
		ret = uringblk_nvme_status(uringblk_timing_wait(dev, deadline));
out:
	uringblk_cmd_buf_free(dev, buf, len);
	return ret;
}

/*
 * One Format 2h entry as the model's range: the source must be the NVM
 * namespace (NSID 1): 0, FFFFFFFFh or no such namespace Invalid Field,
 * the CP or SLM namespace Invalid Namespace or Format (no LBAs); Fast Copy
 * Only Fast Copy Not Possible.  Return: 0 or an NVMe status; *@bytes.
 */
static int uringblk_nvme_slm_range(struct uringblk_dev *dev,
				   const struct uringblk_nvme_copy_f2 *d,
				   struct uringblk_copy_range *r, u64 *bytes)
{
	u32 snsid = le32_to_cpu(d->snsid);

	if (!snsid || snsid > URINGBLK_NVME_NR_NS)
		return NVME_SC_INVALID_FIELD | URINGBLK_NVME_DNR;
	if (snsid != URINGBLK_NVME_NSID)
		return NVME_SC_INVALID_NS | URINGBLK_NVME_DNR;
	if (le16_to_cpu(d->sopt) & URINGBLK_NVME_SOPT_FCO)
		return URINGBLK_SC_FAST_COPY_NOT_POSSIBLE | URINGBLK_NVME_DNR;
	*r = (struct uringblk_copy_range) {
		.slba	= le64_to_cpu(d->slba),
		.nlb	= le16_to_cpu(d->nlb) + 1,
	};
	*bytes = (u64)r->nlb << uringblk_nvme_lba_shift(dev);
	return 0;
}

/*
 * Memory Copy: the descriptors (exactly NR + 1 of them: Data SGL Length
 * Invalid), their ranges summed equal to LEN (Invalid Field); then the
 * model (uringblk_slm_copy(): source LBAs beyond the namespace LBA Out of
 * Range, beyond SLM or too much at once as for MEM_COPY), which reads
 * through the read policy (zones, faults).  More ranges than a MEM_COPY
 * takes: Command Size Limit Exceeded.  Return: 0, an NVMe status, -errno.
 */
static int uringblk_nvme_slm_copy(struct uringblk_dev *dev,
				  const struct nvme_passthru_cmd64 *c,
				  struct iov_iter *iter)
{
	u64 len = c->cdw2 | (u64)c->cdw3 << 32;
	u64 sdaddr = c->cdw10 | (u64)c->cdw11 << 32;
	u32 nr = (c->cdw12 & 0xff) + 1;
	u8 cdft = (c->cdw12 >> 8) & 0xf;
	u64 t0 = uringblk_nvme_slm_t0(dev), deadline = 0;
	struct uringblk_nvme_copy_f2 *d;
	struct uringblk_copy_range *r;
	u64 total = 0;
	int ret;

	if (cdft != URINGBLK_NVME_SLM_CDFT_LBA || ((len | sdaddr) & 3))
		return NVME_SC_INVALID_FIELD | URINGBLK_NVME_DNR;
	if (uringblk_nvme_xfer_len(c) != nr * sizeof(*d))
		return NVME_SC_SGL_INVALID_DATA | URINGBLK_NVME_DNR;
	if (nr > URINGBLK_MAX_SET_RANGES)
		return uringblk_nvme_status(uringblk_st(URINGBLK_SC_CMD_SIZE_LIMIT));
	d = kmalloc_array(nr, sizeof(*d), GFP_KERNEL_ACCOUNT);
	r = kmalloc_array(nr, sizeof(*r), GFP_KERNEL_ACCOUNT);
	ret = -ENOMEM;
	if (!d || !r)
		goto out;
	ret = -EFAULT;
	if (copy_from_iter(d, nr * sizeof(*d), iter) != nr * sizeof(*d))
		goto out;
	for (u32 i = 0; i < nr; i++) {
		u64 bytes;

		ret = uringblk_nvme_slm_range(dev, &d[i], &r[i], &bytes);
		if (ret)
			goto out;
		total += bytes;		/* < 2^8 * 2^16 * 2^12 */
	}
	ret = NVME_SC_INVALID_FIELD | URINGBLK_NVME_DNR;
	if (total != len)
		goto out;
	ret = uringblk_nvme_slm_lock(dev);
	if (ret)
		goto out;
	ret = uringblk_slm_copy(dev, sdaddr, r, nr, NULL);
	if (ret >= 0)		/* every byte from the media: no zero ranges */
		deadline = uringblk_timing_media_read_deadline(dev, t0, total, r, nr);
	up_read(&dev->lock);
	ret = uringblk_nvme_slm_status(ret < 0 ? ret : 0);
	if (!ret)
		ret = uringblk_nvme_status(uringblk_timing_wait(dev, deadline));
out:
	kfree(r);
	kfree(d);
	return ret;
}

/**
 * uringblk_nvme_slm_io_exec() - the device half of an SLM I/O command
 * @dev:	the drive
 * @c:		the command, its opcode one uringblk_nvme_slm_io_effects() takes
 * @iter:	its data buffer, mapped (nvme_ns.c)
 * @result:	CQE DW0: 0
 *
 * Process context; sleeps.  Return: 0, an NVMe status or -errno.
 */
int uringblk_nvme_slm_io_exec(struct uringblk_dev *dev,
			      const struct nvme_passthru_cmd64 *c,
			      struct iov_iter *iter, u64 *result)
{
	switch (c->opcode) {
	case URINGBLK_NVME_SLM_COPY:
		return uringblk_nvme_slm_copy(dev, c, iter);
	case URINGBLK_NVME_SLM_READ:
	case URINGBLK_NVME_SLM_FILL:
	case URINGBLK_NVME_SLM_WRITE:
		return uringblk_nvme_slm_rw(dev, c, iter);
	default:
		return NVME_SC_INVALID_OPCODE | URINGBLK_NVME_DNR;
	}
}

static int uringblk_nvme_slm_io(struct uringblk_dev *dev, const struct nvme_passthru_cmd64 *c,
				struct iov_iter *iter, const struct uringblk_req *req,
				struct uringblk_issue is, bool vec, u64 *result)
{
	return uringblk_nvme_slm_io_exec(dev, c, iter, result);
}

/* The Subsystem Local Memory command set (CSI 03h), NSID 3; it sleeps */
const struct uringblk_nvme_cset uringblk_nvme_cset_slm = {
	.csi		= URINGBLK_NVME_CSI_SLM,
	.effects	= uringblk_nvme_slm_io_effects,
	.io		= uringblk_nvme_slm_io,
	/* Identify: all zero, no layout public code shows (nvme-passthrough.md) */
};
