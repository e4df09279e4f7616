// SPDX-License-Identifier: GPL-2.0
/*
 * ZNS's I/O commands of the NVMe front end (nvme.c hands them here once its
 * checks pass): Zone Management Send (79h) and Receive (7Ah), Zone Append
 * (7Dh).  They run in process context, not as bios: each decodes the
 * command, calls the zone model (zoned_nvme.c, through the zoned layer's
 * hooks) under dev->lock for read, and pays the timing model and the
 * latency histograms as the block path's zone operations do.
 */
#include <linux/blkdev.h>
#include <linux/nvme.h>
#include <linux/nvme_ioctl.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "cmd_mem.h"
#include "nvme.h"
#include "stats.h"
#include "timing.h"
#include "uringblk.h"

/* The arrival time the timing model needs, or 0 while it is off. */
static u64 uringblk_nvme_t0(struct uringblk_dev *dev)
{
	return uringblk_timing_on(dev) ? ktime_get_ns() : 0;
}

/* ZNS's I/O commands: executed in process context, not as bios. */
bool uringblk_nvme_is_zns(u8 opcode)
{
	return opcode == nvme_cmd_zone_mgmt_send || opcode == nvme_cmd_zone_mgmt_recv ||
	       opcode == nvme_cmd_zone_append;
}

/* A zone model result as an NVMe status: statuses of zoned_nvme.c pass. */
static int uringblk_nvme_zns_status(int ret)
{
	if (ret == -EOPNOTSUPP)		/* a regular drive: not its command set */
		return NVME_SC_INVALID_OPCODE | URINGBLK_NVME_DNR;
	return ret > 0 ? ret : uringblk_nvme_status(ret);
}

/*
 * The zone model calls need dev->lock for read; removal takes it for write.
 * Only around the call: no client memory is touched under it (a fault
 * there, a userfaultfd's, would hold a removal up).  Return: 0 or -ENODEV.
 */
static int uringblk_nvme_zns_lock(struct uringblk_dev *dev)
{
	down_read(&dev->lock);
	if (READ_ONCE(dev->removing)) {
		up_read(&dev->lock);
		return -ENODEV;
	}
	return 0;
}

/*
 * Zone Management Receive (7Ah): the report built in a kernel buffer, then
 * copied out.  The transfer must be the (NUMD + 1) dwords the command asks
 * for (as nvmet), at least the report's header and at most MDTS.
 */
static int uringblk_nvme_zone_recv(struct uringblk_dev *dev,
				   const struct nvme_passthru_cmd64 *c,
				   struct iov_iter *iter)
{
	u64 size = ((u64)c->cdw12 + 1) * 4;
	u64 slba = c->cdw10 | (u64)c->cdw11 << 32;
	void *buf;
	int ret;

	if (uringblk_nvme_xfer_len(c) != size)
		return NVME_SC_SGL_INVALID_DATA | URINGBLK_NVME_DNR;
	if (size < sizeof(struct nvme_zone_report) || size > uringblk_nvme_max_bytes(dev))
		return NVME_SC_INVALID_FIELD | URINGBLK_NVME_DNR;
	buf = uringblk_cmd_buf(dev, size, __GFP_ZERO);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	ret = uringblk_nvme_zns_lock(dev);
	if (ret)
		goto out;
	ret = uringblk_nvme_zns_report(dev, slba, c->cdw13 & 0xff, (c->cdw13 >> 8) & 0xff,
				       (c->cdw13 >> 16) & NVME_REPORT_ZONE_PARTIAL, buf, size);
	up_read(&dev->lock);
	ret = uringblk_nvme_zns_status(ret);
	if (!ret && copy_to_iter(buf, size, iter) != size)
		ret = -EFAULT;
out:
	uringblk_cmd_buf_free(dev, buf, size);
	return ret;
}

/*
 * Zone Append (7Dh): the data copied into a kernel buffer, appended by the
 * model, uringblk_zone_append(); *@result: the first LBA written.  As the
 * command device's ZONE_APPEND: with the timing model on, a successful
 * append ends at a REQ_OP_ZONE_APPEND's deadline (the caller sleeps), and
 * it is one zone_append latency, arrival to end.
 */
static int uringblk_nvme_zone_append(struct uringblk_dev *dev,
				     const struct nvme_passthru_cmd64 *c,
				     struct iov_iter *iter, u64 *result)
{
	u32 shift = uringblk_nvme_lba_shift(dev);
	u64 slba = c->cdw10 | (u64)c->cdw11 << 32;
	u64 nlb = (c->cdw12 & 0xffff) + 1;
	u64 len = nlb << shift;
	u64 start = uringblk_lat_start(dev), t0 = uringblk_nvme_t0(dev), deadline = 0;
	void *buf;
	u64 lba;
	int ret;

	if (uringblk_nvme_xfer_len(c) != len)
		return NVME_SC_SGL_INVALID_DATA | URINGBLK_NVME_DNR;
	/* The arguments first: nothing is copied for a command refused. */
	ret = uringblk_zone_append_check(dev, slba, len);
	if (ret)
		return uringblk_nvme_zns_status(ret);
	buf = uringblk_cmd_buf(dev, len, 0);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	if (copy_from_iter(buf, len, iter) != len) {
		ret = -EFAULT;
		goto out;
	}
	ret = uringblk_nvme_zns_lock(dev);
	if (ret)
		goto out;
	ret = uringblk_zone_append(dev, slba, buf, len, &lba, GFP_NOIO);
	if (!ret)
		deadline = uringblk_timing_io_deadline(dev, t0, REQ_OP_ZONE_APPEND,
						       slba << shift, len);
	up_read(&dev->lock);
	if (!ret) {
		*result = lba;
		ret = uringblk_timing_wait(dev, deadline);
		uringblk_lat_record(dev, URINGBLK_LAT_ZONE_APPEND, start);
	}
	ret = uringblk_nvme_zns_status(ret);
out:
	uringblk_cmd_buf_free(dev, buf, len);
	return ret;
}

/*
 * The deadline of a Zone Management Send that succeeded: that of the
 * block request doing its work (Reset: ZONE_RESET, or ZONE_RESET_ALL with
 * Select All; Finish: ZONE_FINISH, of every zone with Select All; Open,
 * Close: the firmware), so that a zoned SSD model erases or programs.
 */
static u64 uringblk_nvme_zone_send_deadline(struct uringblk_dev *dev, u64 t0,
					    u64 slba, u8 zsa, bool all)
{
	u64 pos = all ? 0 : slba << uringblk_nvme_lba_shift(dev), range;

	switch (zsa) {
	case NVME_ZONE_RESET:
		return uringblk_timing_io_deadline(dev, t0, all ? REQ_OP_ZONE_RESET_ALL :
						   REQ_OP_ZONE_RESET, pos, 0);
	case NVME_ZONE_FINISH:
		range = all ? get_capacity(dev->disk) << SECTOR_SHIFT : 0;
		return uringblk_timing_io_deadline(dev, t0, REQ_OP_ZONE_FINISH, pos, range);
	case NVME_ZONE_OPEN:
		return uringblk_timing_io_deadline(dev, t0, REQ_OP_ZONE_OPEN, pos, 0);
	default:
		return uringblk_timing_io_deadline(dev, t0, REQ_OP_ZONE_CLOSE, pos, 0);
	}
}

/*
 * Zone Management Send (79h).  As the command device's ZONE_MGMT: with the
 * timing model on, a command that succeeds ends at the deadline of a zone
 * management request (the firmware, the link latency), its caller sleeping
 * until then; each zone operation done (and counted) is one zone_mgmt
 * latency, from the command's arrival to its end.
 */
static int uringblk_nvme_zone_send(struct uringblk_dev *dev,
				   const struct nvme_passthru_cmd64 *c)
{
	u64 start = uringblk_lat_start(dev), t0 = uringblk_nvme_t0(dev), deadline = 0;
	u64 slba = c->cdw10 | (u64)c->cdw11 << 32;
	u8 zsa = c->cdw13 & 0xff;
	bool all = (c->cdw13 >> 8) & 1;
	u32 nops = 0;
	int ret;

	if (uringblk_nvme_xfer_len(c))	/* no descriptor extensions */
		return NVME_SC_SGL_INVALID_DATA | URINGBLK_NVME_DNR;
	ret = uringblk_nvme_zns_lock(dev);
	if (ret)
		return ret;
	ret = uringblk_nvme_zns_mgmt(dev, slba, zsa, all, &nops);
	if (!ret)
		deadline = uringblk_nvme_zone_send_deadline(dev, t0, slba, zsa, all);
	up_read(&dev->lock);
	if (uringblk_timing_wait(dev, deadline) && !ret)
		ret = -ENODEV;
	while (nops--)
		uringblk_lat_record(dev, URINGBLK_LAT_ZONE_MGMT, start);
	return uringblk_nvme_zns_status(ret);
}

/*
 * A ZNS command (Zone Management Send, Receive, Zone Append), executed
 * here through the zone model calls (under dev->lock for read): their
 * statuses are the command's.  Process context; sleeps.
 * Return: 0, an NVMe status or -errno; *@result for Zone Append.
 */
int uringblk_nvme_zns_cmd(struct uringblk_dev *dev,
			  const struct nvme_passthru_cmd64 *c,
			  struct iov_iter *iter, u64 *result)
{
	/* A regular drive's namespace is NVM: the opcode first, as nvmet. */
	if (uringblk_nvme_csi(dev) != NVME_CSI_ZNS)
		return NVME_SC_INVALID_OPCODE | URINGBLK_NVME_DNR;
	switch (c->opcode) {
	case nvme_cmd_zone_mgmt_send:
		return uringblk_nvme_zone_send(dev, c);
	case nvme_cmd_zone_mgmt_recv:
		return uringblk_nvme_zone_recv(dev, c, iter);
	default:
		return uringblk_nvme_zone_append(dev, c, iter, result);
	}
}

/* ZNS's list: NVM's (without Dataset Management) and the zone commands. */
static u32 uringblk_nvme_zns_effects(struct uringblk_dev *dev, u8 opcode)
{
	switch (opcode) {
	case nvme_cmd_zone_mgmt_recv:
		return NVME_CMD_EFFECTS_CSUPP;
	case nvme_cmd_zone_mgmt_send:
	case nvme_cmd_zone_append:
		return NVME_CMD_EFFECTS_CSUPP | NVME_CMD_EFFECTS_LBCC;
	default:
		return uringblk_nvme_nvm_effects(dev, opcode);
	}
}

/*
 * A ZNS namespace's I/O: the zone commands here, which sleep (a zone's
 * mutex, a reset's freeing): from io-wq; the others are NVM's.
 */
static int uringblk_nvme_zns_io(struct uringblk_dev *dev, const struct nvme_passthru_cmd64 *c,
				struct iov_iter *iter, const struct uringblk_req *req,
				struct uringblk_issue is, bool vec, u64 *result)
{
	if (!uringblk_nvme_is_zns(c->opcode))
		return uringblk_nvme_cset_nvm.io(dev, c, iter, req, is, vec, result);
	if (is.nowait)
		return -EAGAIN;
	return uringblk_nvme_zns_cmd(dev, c, iter, result);
}

/* Identify CNS 05h, 06h of CSI 02h: the zoned layer fills them (zoned_nvme.c). */
static int uringblk_nvme_zns_id(struct uringblk_dev *dev, u8 cns, u32 nsid, void *buf)
{
	int ret = uringblk_nvme_zns_identify(dev, cns, nsid, buf);

	return ret == -EOPNOTSUPP ? NVME_SC_INVALID_FIELD | URINGBLK_NVME_DNR : ret;
}

/* The Zoned Namespace command set (CSI 02h), a zoned drive's NSID 1 */
const struct uringblk_nvme_cset uringblk_nvme_cset_zns = {
	.csi		= NVME_CSI_ZNS,
	.lbas		= true,
	.optional	= true,
	.nowait		= true,
	.base		= &uringblk_nvme_cset_nvm,
	.effects	= uringblk_nvme_zns_effects,
	.io		= uringblk_nvme_zns_io,
	.identify	= uringblk_nvme_zns_id,
};
