// SPDX-License-Identifier: GPL-2.0
/*
 * The NVMe front end: the drive's command device /dev/uringblkcN answers
 * Linux 6.1's NVMe passthrough interface (include/uapi/linux/nvme_ioctl.h)
 * as the kernel's namespace node /dev/ngXnY does, for the drive's NVM
 * namespace (NSID 1), and takes the admin commands a controller node would,
 * so that nvme-cli, libnvme and fio's io_uring_cmd engine drive it unmodified.
 * The CP and SLM namespaces (NSID 2, 3) have nodes of their own (nvme_ns.c)
 * with these file operations; their I/O commands leave here for nvme_ns.c
 * once the shared checks pass.
 *
 * Two halves, as in the kernel.  The host half is drivers/nvme/host/ioctl.c's
 * contract, its checks in its order, each one an errno:
 *   ioctl: unknown ioctl -ENOTTY; the command not readable -EFAULT
 *   URING_CMD: ring without both SQE128 and CQE32 -EOPNOTSUPP
 *   flags != 0 -EINVAL; an I/O command whose nsid is not the node's
 *   (1 here; 2, 3 on the namespace nodes, nvme_ns.c) -EINVAL
 *   not allowed (the permission policy below) -EACCES
 *   drive removed -ENODEV; metadata buffer (no metadata here) -EINVAL;
 *   the data buffer cannot be imported (nvme_map.c: a registered buffer for
 *   a vectored command -EINVAL, import_iovec()'s -EINVAL and -EFAULT)
 *   URING_CMD on an IOPOLL ring: admin commands -EOPNOTSUPP first
 * The device half is the kernel's NVMe target (drivers/nvme/target/
 * admin-cmd.c, io-cmd-bdev.c): it answers an NVMe status (DNR where a
 * retry cannot help).  An I/O command goes to its namespace's command set,
 * chosen once at setup (struct uringblk_nvme_cset, nvme_ns.c), as nvmet's
 * nvmet_parse_io_cmd() picks a parser: nothing here asks the drive's kind.
 * The syscall or cqe->res is then 0, that positive
 * status, or the -errno; the command's result (Zone Append's LBA, Get and
 * Set Features' value, else 0) is written back also with a status, in
 * big_cqe[0] for URING_CMD.
 *
 * Permissions (Documentation/dev/nvme-passthrough.md): CAP_SYS_ADMIN may
 * send anything, whatever the open mode (Linux 6.1 lets nobody else send
 * anything); others get Linux 6.2's finer rule: the Identify CNS values
 * 6.2 lists and NVM Read for anyone who could open the node, commands that
 * move data to the drive or change it (the effects list below) and Flush
 * only on a node opened for writing, every other command -EACCES.
 *
 * A memory drive's Read or Write moves its data without the block layer
 * when nothing but the copy would be done to it (nvme_fast.c).  Else data
 * moves as direct I/O does: a Read, Write or Flush is a bio on the
 * drive's own disk with the client's pages pinned into it (or a bounce of
 * the driver's pages, nvme_map.c, where they cannot be), so it takes the
 * block path's every step (rq.c: fault injection, the zoned layer, the
 * backend ops, the read policy, the timing model, the counters, bytes to
 * host and latency histograms) and nothing here duplicates one.  (The
 * kernel's NVMe driver sends a passthrough request instead; 6.1's
 * blk_execute_rq() takes only those, and rq.c knows only reads and writes.)
 * The NVM set's table and its Write Zeroes, Dataset Management and Compare
 * are nvme_io.c's, Copy nvme_copy.c's, ZNS's nvme_zns.c's, KV's
 * nvme_kv.c's, the admin commands nvme_admin.c's; NVME_IOCTL_SUBMIT_IO
 * and the vectored commands end in the same paths.
 */
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/capability.h>
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/io_uring.h>
#include <linux/log2.h>
#include <linux/nvme.h>
#include <linux/nvme_ioctl.h>
#include <linux/ptrace.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uio.h>
#include "compat.h"	/* <linux/unaligned.h> on 6.12 */

#include "gate.h"
#include "kv_ns.h"
#include "nvme.h"
#include "nvme_ctrl.h"
#include "uringblk.h"

MODULE_INFO(nvme_ctrl, URINGBLK_NVME_CTRL_BUILD);

/* NVM opcodes from 80h are vendor specific; 7Fh is Fabrics. */
#define URINGBLK_NVME_VENDOR	0x80

/*
 * The gate routes these cmd_ops here before anything else; the drive's own
 * commands are _IOWR(URINGBLK_IOC_MAGIC, ...) and so can never be one.
 */
static_assert(_IOC_TYPE(NVME_URING_CMD_IO) != URINGBLK_IOC_MAGIC);
static_assert(_IOC_TYPE(NVME_URING_CMD_ADMIN) != URINGBLK_IOC_MAGIC);
static_assert(_IOC_TYPE(URINGBLK_CMD_IDENTIFY) == URINGBLK_IOC_MAGIC);
/* nvme_uring_cmd is passthru_cmd64 without its result: one decoded form. */
static_assert(sizeof(struct nvme_uring_cmd) ==
	      offsetof(struct nvme_passthru_cmd64, result));
static_assert(sizeof(struct nvme_uring_cmd) <= 80);	/* SQE128's payload */

u32 uringblk_nvme_lba_shift(const struct uringblk_dev *dev)
{
	return ilog2(dev->cfg.block_size);
}

/*
 * The most one Read or Write moves (MDTS): the queue's largest request,
 * and what one bio holds of a buffer that need not start on a page.
 */
u64 uringblk_nvme_max_bytes(const struct uringblk_dev *dev)
{
	return min_t(u64, (u64)dev->cfg.max_hw_sectors << SECTOR_SHIFT,
		     (BIO_MAX_VECS - 1) * PAGE_SIZE);
}

/*
 * The NVMe status of a model result (status.h): the one table's status,
 * with DNR unless trying again may help (no memory, an abort, removal).
 */
int uringblk_nvme_status(int ret)
{
	u16 st = uringblk_status(ret);

	switch (st) {
	case URINGBLK_SC_SUCCESS:
		return 0;
	case URINGBLK_SC_INTERNAL:
	case URINGBLK_SC_ABORT_REQ:
	case URINGBLK_SC_NS_NOT_READY:
		return st;
	default:
		return st | URINGBLK_NVME_DNR;
	}
}

/**
 * uringblk_nvme_disk_errno() - a bio's errno as the drive means it
 * @disk:	the drive's disk, referenced by the caller
 * @err:	the errno the bio (or blkdev_issue_*()) ended with
 *
 * A removal ends what it meets inside the drive with -ENODEV, but a bio
 * that reaches the disk once del_gendisk() has begun is failed by the
 * block layer itself with -EIO (bio_queue_enter() on a dead disk): that
 * is the removal too, Namespace Not Ready, not a media error (Read
 * Error, or, for a write, Write Fault).  Any context.
 * Return: -ENODEV for an -EIO while the drive is being removed, else @err.
 */
int uringblk_nvme_disk_errno(struct gendisk *disk, int err)
{
	struct uringblk_dev *dev = disk->private_data;

	if (err == -EIO && READ_ONCE(dev->removing))
		return -ENODEV;
	return err;
}

/*
 * Linux 6.2's nvme_cmd_allowed() for a caller without CAP_SYS_ADMIN, with
 * this drive's command effects (uringblk_nvme_io_effects()): an I/O command
 * the drive takes, that moves data to it (opcode bit 0) or changes it
 * (LBCC) only on a node opened for writing, Flush too (it changes the
 * media); SLM's Memory Copy also only if the caller may read the NVM
 * namespace it copies from (uringblk_nvme_may_read_nvm()); CAP_SYS_ADMIN
 * may send anything, as 6.1 lets it.
 */
static bool uringblk_nvme_allowed(struct uringblk_dev *dev,
				  const struct nvme_passthru_cmd64 *c,
				  bool admin, fmode_t mode, u32 nsid)
{
	u32 effects;

	if (capable(CAP_SYS_ADMIN))
		return true;
	if (c->opcode >= URINGBLK_NVME_VENDOR || c->opcode == nvme_fabrics_command)
		return false;
	if (admin) {
		if (c->opcode != nvme_admin_identify)
			return false;
		switch (c->cdw10 & 0xff) {
		case NVME_ID_CNS_NS:
		case NVME_ID_CNS_CS_NS:
		case NVME_ID_CNS_NS_CS_INDEP:
		case NVME_ID_CNS_CS_CTRL:
		case NVME_ID_CNS_CTRL:
			return true;
		}
		return false;
	}
	effects = uringblk_nvme_ns_cset(dev, nsid)->effects(dev, c->opcode);
	if (!effects)		/* not supported: no effects to allow it by */
		return false;
	if (!((c->opcode & 1) || (effects & NVME_CMD_EFFECTS_LBCC) ||
	      uringblk_nvme_changes_data(nsid, c->opcode)))
		return true;
	if (!(mode & FMODE_WRITE))
		return false;
	/* SLM's Memory Copy reads the NVM namespace: the caller must be able to */
	if (nsid == URINGBLK_NVME_NSID_SLM && c->opcode == URINGBLK_NVME_SLM_COPY)
		return uringblk_nvme_may_read_nvm(dev);
	return true;
}

/*
 * The host half's checks shared by every command, after its decoding
 * (drivers/nvme/host/ioctl.c's order; 6.2's place for the permission check,
 * which needs the opcode).
 */
static int uringblk_nvme_check(struct uringblk_dev *dev,
			       const struct nvme_passthru_cmd64 *c, bool admin,
			       struct file *file)
{
	u32 nsid = uringblk_nvme_file_nsid(file);

	if (c->flags)
		return -EINVAL;
	if (!admin && c->nsid != nsid)
		return -EINVAL;
	if (!uringblk_nvme_allowed(dev, c, admin, file->f_mode, nsid))
		return -EACCES;
	return 0;
}

/**
 * uringblk_nvme_io_effects() - an I/O command's entry in the effects log
 * @dev:	the drive
 * @csi:	the command set asked about
 * @opcode:	the I/O opcode
 *
 * The set's own list (&uringblk_nvme_cset.effects), which the decoding
 * asks too.  Return: NVME_CMD_EFFECTS_* (CSUPP, LBCC where the data can
 * change), or 0: not supported, or a set the drive does not know.
 */
u32 uringblk_nvme_io_effects(struct uringblk_dev *dev, u8 csi, u8 opcode)
{
	const struct uringblk_nvme_cset *cs = uringblk_nvme_cset_of(csi);

	return cs ? cs->effects(dev, opcode) : 0;
}

/* Identify Controller's ONCS: the optional NVM commands NSID 1's set takes. */
u16 uringblk_nvme_oncs(struct uringblk_dev *dev)
{
	const struct uringblk_nvme_cset *cs = uringblk_nvme_ns_cset(dev, URINGBLK_NVME_NSID);
	u16 oncs = 0;

	if (cs->effects(dev, nvme_cmd_compare))
		oncs |= NVME_CTRL_ONCS_COMPARE;
	if (cs->effects(dev, nvme_cmd_dsm))
		oncs |= NVME_CTRL_ONCS_DSM;
	if (cs->effects(dev, nvme_cmd_write_zeroes))
		oncs |= NVME_CTRL_ONCS_WRITE_ZEROES;
	if (cs->effects(dev, URINGBLK_NVME_CMD_COPY))
		oncs |= URINGBLK_NVME_ONCS_COPY;
	return oncs;
}

/**
 * struct uringblk_nvme_io - an NVM command, decoded and checked
 * @opf:	its request's operation and flags
 * @pos:	device byte offset
 * @len:	bytes (0 for Flush)
 */
struct uringblk_nvme_io {
	blk_opf_t	opf;
	u64		pos;
	u32		len;
};

/*
 * The device half of an NVM command, before any data moves (the checks of
 * io-cmd-bdev.c and QEMU's NVMe device, in their order: opcode, transfer
 * length, LBA range, MDTS).  Return: 0 or an NVMe status.
 */
static int uringblk_nvme_io_decode(struct uringblk_dev *dev,
				   const struct nvme_passthru_cmd64 *c,
				   struct uringblk_nvme_io *io)
{
	u32 shift = uringblk_nvme_lba_shift(dev);
	u64 nsze = dev->cfg.capacity >> shift;
	u64 slba = c->cdw10 | (u64)c->cdw11 << 32;
	u64 nlb = (c->cdw12 & 0xffff) + 1;

	*io = (struct uringblk_nvme_io) {};
	switch (c->opcode) {
	case nvme_cmd_flush:
		/* An empty preflush: the flush machinery sends REQ_OP_FLUSH. */
		io->opf = REQ_OP_WRITE | REQ_PREFLUSH;
		if (uringblk_nvme_xfer_len(c))
			return NVME_SC_SGL_INVALID_DATA | URINGBLK_NVME_DNR;
		return 0;
	case nvme_cmd_read:
	case nvme_cmd_compare:		/* its data is read, then compared */
		io->opf = REQ_OP_READ;
		break;
	case nvme_cmd_write:
		/* One request per command, as passthrough requests are never merged. */
		io->opf = REQ_OP_WRITE | REQ_NOMERGE;
		if ((c->cdw12 >> 16) & NVME_RW_FUA)	/* CDW12 31:16: control */
			io->opf |= REQ_FUA;
		break;
	default:
		return NVME_SC_INVALID_OPCODE | URINGBLK_NVME_DNR;
	}
	if (uringblk_nvme_xfer_len(c) != nlb << shift)
		return NVME_SC_SGL_INVALID_DATA | URINGBLK_NVME_DNR;
	if (slba >= nsze || nlb > nsze - slba)
		return NVME_SC_LBA_RANGE | URINGBLK_NVME_DNR;
	if (nlb << shift > uringblk_nvme_max_bytes(dev))
		return NVME_SC_INVALID_FIELD | URINGBLK_NVME_DNR;
	/*
	 * ZNS: a write stays in its zone (QEMU's nvme_check_zone_write()), and
	 * so do a read and a compare: the namespace reports RAZB (Read Across
	 * Zone Boundaries, OZCS bit 0) clear (QEMU's nvme_check_zone_read()).
	 * The block device splits such a read at the zone's end instead.
	 */
	if (uringblk_nvme_csi(dev) == NVME_CSI_ZNS &&
	    uringblk_zone_of(dev, slba) != uringblk_zone_of(dev, slba + nlb - 1))
		return NVME_SC_ZONE_BOUNDARY_ERROR | URINGBLK_NVME_DNR;
	io->pos = slba << shift;
	io->len = nlb << shift;
	return 0;
}

/*
 * The drive's disk for a bio, referenced: the reference keeps the gendisk,
 * its queue and part0 until the bio is done (uringblk_nvme_disk_put());
 * dev->lock keeps the disk there while it is taken (removal sets removing,
 * then takes the lock for write, then deletes the disk, whose dead queue
 * then fails every bio).  Sleeps unless @nowait.
 * Return: the disk, or ERR_PTR(-ENODEV) or (@nowait) ERR_PTR(-EAGAIN).
 */
static struct gendisk *uringblk_nvme_disk_get(struct uringblk_dev *dev, bool nowait)
{
	struct gendisk *disk = ERR_PTR(-ENODEV);

	if (nowait) {
		if (!down_read_trylock(&dev->lock))
			return ERR_PTR(-EAGAIN);
	} else {
		down_read(&dev->lock);
	}
	if (!READ_ONCE(dev->removing)) {
		disk = dev->disk;
		get_device(disk_to_dev(disk));
	}
	up_read(&dev->lock);
	return disk;
}

/* Process context: the last reference frees the disk, which may sleep. */
static void uringblk_nvme_disk_put(struct gendisk *disk)
{
	put_device(disk_to_dev(disk));
}

/**
 * uringblk_nvme_nvm_sync() - Write Zeroes, Dataset Management, Compare, Copy
 * @dev:	the drive
 * @c:		the command, checked by the host half
 * @iter:	the client's data (DSM's ranges, Compare's data), mapped
 *
 * Compare decoded as a Read first (its length, range and MDTS), then
 * nvme_io.c runs it on the referenced disk.  Process context; sleeps.
 * Return: 0, an NVMe status or -errno.
 */
int uringblk_nvme_nvm_sync(struct uringblk_dev *dev, const struct nvme_passthru_cmd64 *c,
			   struct iov_iter *iter)
{
	struct uringblk_nvme_io io;
	struct gendisk *disk;
	int ret;

	if (c->opcode == nvme_cmd_compare) {
		ret = uringblk_nvme_io_decode(dev, c, &io);
		if (ret)
			return ret;
	}
	disk = uringblk_nvme_disk_get(dev, false);
	if (IS_ERR(disk))
		return PTR_ERR(disk);
	ret = uringblk_nvme_nvm_exec(dev, disk, c, iter);
	uringblk_nvme_disk_put(disk);
	return ret;
}

/**
 * uringblk_nvme_rw() - an NVM Read, Write or Flush: one data bio
 * @dev:	the drive
 * @c:		the command, checked by the host half
 * @iter:	its data buffer, mapped
 * @req:	the request, completed through its ops when the bio ends
 *		(-EIOCBQUEUED); NULL: the caller waits (an ioctl)
 * @is:		the issue's context.  @is.nowait: -EAGAIN unless the fast
 *		path did it or the bio can be submitted for @req, which may
 *		still wait for a tag, as a block device's does; @is.atomic:
 *		never a bio.  On an IOPOLL ring the bio is not REQ_POLLED: it
 *		completes as any other (uringblk_nvme_uring_cmd_iopoll()).
 * @vec:	a vectored command's buffer (never the fast path)
 *
 * Process context, or a ->queue_rq() (@is.atomic).
 * Return: 0, an NVMe status, -errno, or -EIOCBQUEUED.
 */
int uringblk_nvme_rw(struct uringblk_dev *dev, const struct nvme_passthru_cmd64 *c,
		     struct iov_iter *iter, const struct uringblk_req *req,
		     struct uringblk_issue is, bool vec)
{
	struct uringblk_nvme_bounce *bounce;
	struct uringblk_nvme_io io;
	struct gendisk *disk;
	struct bio *bio;
	int ret;

	ret = uringblk_nvme_io_decode(dev, c, &io);
	if (ret)
		return ret;
	/* A memory drive's Read or Write, done here: nvme_fast.c. */
	if (!vec && uringblk_nvme_fast_rw(dev, io.opf, io.pos, io.len, iter, is.nowait))
		return 0;
	if (is.nowait && (is.atomic || !req))
		return -EAGAIN;
	disk = uringblk_nvme_disk_get(dev, is.nowait);
	if (IS_ERR(disk))
		return PTR_ERR(disk);
	bio = uringblk_nvme_data_bio(disk, io.opf, io.pos, iter, io.len, &bounce);
	if (IS_ERR(bio)) {
		uringblk_nvme_disk_put(disk);
		return PTR_ERR(bio);
	}
	if (req) {
		ret = uringblk_nvme_bio_submit_async(req, bio, disk, bounce, is.nowait);
		if (ret == -EIOCBQUEUED)
			return ret;
		uringblk_nvme_bio_put(bio, bounce);
	} else {
		ret = uringblk_nvme_bio_submit_wait(bio);
		ret = uringblk_nvme_bio_finish(bio, bounce, ret);
	}
	uringblk_nvme_disk_put(disk);
	return ret;
}

/*
 * ioctl: one decoded command, both halves (@vec: data_len counts iovecs).
 * Return as the ioctl returns.
 */
static int uringblk_nvme_submit(struct file *file, struct nvme_passthru_cmd64 *c,
				bool admin, bool vec)
{
	struct uringblk_dev *dev = ((struct uringblk_cfile *)file->private_data)->dev;
	struct uringblk_nvme_data d;
	int ret = uringblk_nvme_check(dev, c, admin, file);

	if (ret)
		return ret;
	if (READ_ONCE(dev->removing))
		return -ENODEV;
	if (!admin && c->nsid != URINGBLK_NVME_NSID)	/* nvme_ns.c's */
		return uringblk_nvme_ns_io(dev, c, NULL, NULL, (struct uringblk_issue){},
					   &c->result);
	/* The host maps the buffer before the device sees the command. */
	ret = uringblk_nvme_map(c, NULL, vec, &d);
	if (!ret && admin)
		ret = uringblk_nvme_admin_exec(dev, URINGBLK_NVME_CNTLID_CDEV, c, &d.iter,
					       &c->result);
	else if (!ret)
		ret = uringblk_nvme_cset_io(dev, uringblk_nvme_ns_cset(dev, c->nsid), c,
					    &d.iter, NULL, (struct uringblk_issue){}, vec,
					    &c->result);
	uringblk_nvme_unmap(&d);
	return ret;
}

/* NVME_IOCTL_ADMIN_CMD, NVME_IOCTL_IO_CMD: the 32-bit result. */
static int uringblk_nvme_user_cmd(struct file *file,
				  struct nvme_passthru_cmd __user *ucmd, bool admin)
{
	struct nvme_passthru_cmd cmd;
	struct nvme_passthru_cmd64 c;
	int status;

	if (copy_from_user(&cmd, ucmd, sizeof(cmd)))
		return -EFAULT;
	/* The same fields at the same offsets, up to the result. */
	memcpy(&c, &cmd, offsetof(struct nvme_passthru_cmd, result));
	c.rsvd2 = 0;
	c.result = 0;
	status = uringblk_nvme_submit(file, &c, admin, false);
	if (status >= 0 && put_user((u32)c.result, &ucmd->result))
		return -EFAULT;
	return status;
}

static_assert(offsetof(struct nvme_passthru_cmd, result) ==
	      offsetof(struct nvme_passthru_cmd64, rsvd2));

/*
 * NVME_IOCTL_ADMIN64_CMD, NVME_IOCTL_IO64_CMD, NVME_IOCTL_IO64_CMD_VEC
 * (@vec): the 64-bit result.
 */
static int uringblk_nvme_user_cmd64(struct file *file,
				    struct nvme_passthru_cmd64 __user *ucmd,
				    bool admin, bool vec)
{
	struct nvme_passthru_cmd64 c;
	int status;

	if (copy_from_user(&c, ucmd, sizeof(c)))
		return -EFAULT;
	c.result = 0;
	status = uringblk_nvme_submit(file, &c, admin, vec);
	if (status >= 0 && put_user(c.result, &ucmd->result))
		return -EFAULT;
	return status;
}

#ifdef CONFIG_COMPAT_FOR_U64_ALIGNMENT
/*
 * struct nvme_user_io as i386 lays it out: 44 bytes, the same fields.
 * 6.1's ioctl.c tests COMPAT_FOR_U64_ALIGNMENT, which no 6.1 header
 * defines (the Kconfig symbol is CONFIG_...), so 6.1 answers it -ENOTTY;
 * here it is taken, as that code meant (nvme-passthrough.md).
 */
struct uringblk_nvme_user_io32 {
	__u8	opcode;
	__u8	flags;
	__u16	control;
	__u16	nblocks;
	__u16	rsvd;
	__u64	metadata;
	__u64	addr;
	__u64	slba;
	__u32	dsmgmt;
	__u32	reftag;
	__u16	apptag;
	__u16	appmask;
} __packed;
#define URINGBLK_NVME_IOCTL_SUBMIT_IO32	_IOW('N', 0x42, struct uringblk_nvme_user_io32)
#else
#define URINGBLK_NVME_IOCTL_SUBMIT_IO32	NVME_IOCTL_SUBMIT_IO
#endif

/*
 * NVME_IOCTL_SUBMIT_IO: a Read, Write or Compare of struct nvme_user_io,
 * built as 6.1's nvme_submit_io() builds it (flags -EINVAL, another opcode
 * -EINVAL; the data length (nblocks + 1) LBAs; no metadata on this
 * namespace, so io.metadata is not looked at, as 6.1 with a zero metadata
 * size), then the passthrough path.  6.1 checks no capability here; this
 * drive applies its rule (uringblk_nvme_allowed()) after the opcode.
 */
static int uringblk_nvme_submit_io(struct file *file, struct nvme_user_io __user *uio)
{
	struct uringblk_dev *dev = ((struct uringblk_cfile *)file->private_data)->dev;
	struct nvme_passthru_cmd64 c = {};
	struct nvme_user_io io;

	if (copy_from_user(&io, uio, sizeof(io)))
		return -EFAULT;
	if (io.flags)
		return -EINVAL;
	/* no LBAs (a KV namespace): 6.1 has no node for it */
	if (!uringblk_nvme_ns_cset(dev, URINGBLK_NVME_NSID)->lbas)
		return -ENOTTY;
	switch (io.opcode) {
	case nvme_cmd_write:
	case nvme_cmd_read:
	case nvme_cmd_compare:
		break;
	default:
		return -EINVAL;
	}
	c.opcode = io.opcode;
	c.nsid = URINGBLK_NVME_NSID;
	c.addr = io.addr;
	c.data_len = (io.nblocks + 1) << uringblk_nvme_lba_shift(dev);
	c.cdw10 = lower_32_bits(io.slba);
	c.cdw11 = upper_32_bits(io.slba);
	c.cdw12 = io.nblocks | (u32)io.control << 16;
	c.cdw13 = io.dsmgmt;
	c.cdw14 = io.reftag;
	c.cdw15 = io.apptag | (u32)io.appmask << 16;
	return uringblk_nvme_submit(file, &c, false, false);
}

/**
 * uringblk_nvme_ioctl() - the command device's NVMe passthrough ioctls
 * @file:	an open /dev/uringblkcN
 * @cmd:	NVME_IOCTL_*
 * @arg:	its argument (a user pointer; compat_ptr_ioctl() converts it)
 *
 * Process context; sleeps.  Return: NVME_IOCTL_ID the NSID; the commands 0,
 * a positive NVMe status or -errno; another ioctl -ENOTTY.
 */
long uringblk_nvme_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	/*
	 * The vectored ioctl and SUBMIT_IO are the NVM namespace's only: the
	 * CP and SLM nodes' commands (nvme_ns.c) take a plain buffer, as their
	 * URING_CMD side takes NVME_URING_CMD_IO only.
	 */
	if ((cmd == NVME_IOCTL_IO64_CMD_VEC || cmd == NVME_IOCTL_SUBMIT_IO ||
	     cmd == URINGBLK_NVME_IOCTL_SUBMIT_IO32) &&
	    uringblk_nvme_file_nsid(file) != URINGBLK_NVME_NSID)
		return -ENOTTY;
	switch (cmd) {
	case NVME_IOCTL_ID:
		force_successful_syscall_return();
		return uringblk_nvme_file_nsid(file);
	case NVME_IOCTL_ADMIN_CMD:
		return uringblk_nvme_user_cmd(file, argp, true);
	case NVME_IOCTL_ADMIN64_CMD:
		return uringblk_nvme_user_cmd64(file, argp, true, false);
	case NVME_IOCTL_IO_CMD:
		return uringblk_nvme_user_cmd(file, argp, false);
	case NVME_IOCTL_IO64_CMD:
		return uringblk_nvme_user_cmd64(file, argp, false, false);
	case NVME_IOCTL_IO64_CMD_VEC:
		return uringblk_nvme_user_cmd64(file, argp, false, true);
#ifdef CONFIG_COMPAT_FOR_U64_ALIGNMENT
	case URINGBLK_NVME_IOCTL_SUBMIT_IO32:
#endif
	case NVME_IOCTL_SUBMIT_IO:
		return uringblk_nvme_submit_io(file, argp);
	default:
		return -ENOTTY;
	}
}

/*
 * A URING_CMD's I/O command as a request (req.h), for the command sets
 * that complete it later (a Read's bio, Execute Program's run): cqe->res
 * 0, a positive NVMe status, or -EFAULT when the client's own buffer
 * faulted (a bounced read's copy back, as the ioctl answers);
 * big_cqe[0] the result.
 */
static void uringblk_nvme_req_complete(struct uringblk_req *req, int status, u64 result,
				       struct uringblk_issue is)
{
	if (status && status != -EFAULT)
		status = uringblk_nvme_status(status);
	uringblk_cmd_done(req->handle, status, status ? 0 : result, is.cookie);
}

static const struct uringblk_req_ops uringblk_nvme_req_ops = {
	.complete	= uringblk_nvme_req_complete,
	.to_task	= uringblk_cmd_req_to_task,
	.gone		= uringblk_cmd_req_gone,
};

/**
 * uringblk_nvme_uring_cmd() - NVME_URING_CMD_IO, _IO_VEC, _ADMIN, _ADMIN_VEC
 * @ioucmd:	the command; uringblk_nvme_is_uring_cmd(ioucmd->cmd_op)
 * @issue_flags: as io_uring passed them
 *
 * Called by the command device's gate before its own checks.  Completes the
 * command through io_uring_cmd_done() (for the reasons the gate gives), with
 * cqe->res 0, a positive NVMe status or -errno and big_cqe[0] the result.
 * Admin commands on an IOPOLL ring: -EOPNOTSUPP first, as 6.1's controller
 * node (nvme_dev_uring_cmd()) answers.
 * Return: -EIOCBQUEUED, or -EAGAIN for io_uring to issue it again from io-wq.
 */
int uringblk_nvme_uring_cmd(struct io_uring_cmd *ioucmd, unsigned int issue_flags)
{
	struct uringblk_dev *dev = uringblk_cmd_file(ioucmd)->dev;
	u32 op = ioucmd->cmd_op;
	bool admin = op == NVME_URING_CMD_ADMIN || op == NVME_URING_CMD_ADMIN_VEC;
	bool vec = op == NVME_URING_CMD_IO_VEC || op == NVME_URING_CMD_ADMIN_VEC;
	const struct uringblk_req req = {
		.ops		= &uringblk_nvme_req_ops,
		.handle		= ioucmd,
		.file_execs	= &uringblk_cmd_file(ioucmd)->execs,
	};
	struct uringblk_issue is = uringblk_issue_of(issue_flags);
	struct nvme_passthru_cmd64 c = {};
	struct uringblk_nvme_data d;
	u64 result = 0;
	int ret;

	if (admin && (issue_flags & IO_URING_F_IOPOLL)) {
		ret = -EOPNOTSUPP;
		goto done;
	}
	/* NVMe passthrough requires big SQE/CQE support (ioctl.c). */
	if ((issue_flags & (IO_URING_F_SQE128 | IO_URING_F_CQE32)) !=
	    (IO_URING_F_SQE128 | IO_URING_F_CQE32)) {
		ret = -EOPNOTSUPP;
		goto done;
	}
	/* The SQE is the client's to change: read it once. */
	memcpy(&c, uringblk_cmd_payload(ioucmd), sizeof(struct nvme_uring_cmd));
	ret = uringblk_nvme_check(dev, &c, admin, ioucmd->file);
	if (ret)
		goto done;
	/* The CP admin commands wait for the drive's locks: from io-wq. */
	if (admin && (issue_flags & IO_URING_F_NONBLOCK) &&
	    uringblk_nvme_cp_admin_effects(c.opcode))
		return -EAGAIN;
	if (READ_ONCE(dev->removing)) {
		ret = -ENODEV;
		goto done;
	}
	if (!admin && c.nsid != URINGBLK_NVME_NSID) {	/* nvme_ns.c's */
		ret = uringblk_nvme_ns_io(dev, &c, ioucmd, &req, is, &result);
	} else {
		/*
		 * A set that may sleep (KV) runs from io-wq: before the map, as
		 * uringblk_nvme_ns_io() does, not after it, mapped twice.
		 */
		if (!admin && is.nowait && !uringblk_nvme_ns_cset(dev, c.nsid)->nowait)
			return -EAGAIN;
		ret = uringblk_nvme_map(&c, ioucmd, vec, &d);
		if (!ret && admin)
			ret = uringblk_nvme_admin_exec(dev, URINGBLK_NVME_CNTLID_CDEV, &c,
						       &d.iter, &result);
		else if (!ret)
			ret = uringblk_nvme_cset_io(dev, uringblk_nvme_ns_cset(dev, c.nsid),
						    &c, &d.iter, &req, is, vec, &result);
		uringblk_nvme_unmap(&d);
	}
	if (ret == -EIOCBQUEUED)
		return ret;
	if (ret == -EAGAIN && (issue_flags & IO_URING_F_NONBLOCK))
		return ret;
done:
	uringblk_cmd_done(ioucmd, ret, result, issue_flags);
	return -EIOCBQUEUED;
}

/**
 * uringblk_nvme_uring_cmd_iopoll() - file_operations.uring_cmd_iopoll
 * @ioucmd:	a command of an IOPOLL ring, the drive's own or NVMe's
 * @iob:	unused
 * @poll_flags:	unused
 *
 * Present so that io_uring takes URING_CMDs on IOPOLL rings (it refuses
 * them with -EOPNOTSUPP without it).  It polls nothing: NVMe I/O bios are
 * not REQ_POLLED and complete as any other, then in the submitter's task
 * work, which 6.1's io_iopoll_check() runs between polls; the drive's own
 * commands complete through io_uring_cmd_done() as always.  6.1's NVMe
 * driver polls ioucmd->cookie as a bio, but cookie shares a union with the
 * task work callback, so it is not read here.
 * Return: 0, no completion found by polling.
 */
int uringblk_nvme_uring_cmd_iopoll(struct io_uring_cmd *ioucmd,
				   struct io_comp_batch *iob, unsigned int poll_flags)
{
	return 0;
}
