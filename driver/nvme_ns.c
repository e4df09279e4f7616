// SPDX-License-Identifier: GPL-2.0
/*
 * The NVMe front end's namespaces beyond the NVM one: their character
 * devices and the routing of their I/O commands to their command sets.
 *
 * Every drive has three namespaces.  NSID 1, NVM (ZNS on a zoned drive),
 * lives on the command device /dev/uringblkcN, which also takes the admin
 * commands and the drive's own URINGBLK_CMD_* (cmd.c).  NSID 2 is the
 * Computational Programs namespace (CSI 04h, nvme_cp_io.c) and NSID 3 the
 * Subsystem Local Memory namespace (CSI 03h, nvme_slm.c), each on a node
 * of its own, /dev/uringblkcNn2 and /dev/uringblkcNn3, as the kernel gives
 * each namespace a /dev/ngXnY.  A namespace node answers what 6.1's
 * nvme_ns_chr_fops do (drivers/nvme/host/ioctl.c):
 *   NVME_IOCTL_ID: its NSID
 *   NVME_IOCTL_IO_CMD, _IO64_CMD, NVME_URING_CMD_IO: its namespace's I/O
 *     commands; nsid must be its NSID (-EINVAL)
 *   NVME_IOCTL_ADMIN_CMD, _ADMIN64_CMD: admin commands to the controller,
 *     as __nvme_ioctl() sends is_ctrl_ioctl() ones (nvme-cli's id-ns on the
 *     node depends on it)
 *   NVME_URING_CMD_ADMIN and every other cmd_op (the drive's own
 *     URINGBLK_CMD_*): -ENOTTY, as nvme_ns_uring_cmd(), after the same
 *     SQE128/CQE32 check (-EOPNOTSUPP); the drive's commands are the
 *     controller node's.
 *
 * Minors: the region cmd.c reserves holds URINGBLK_NVME_NR_NS minors per
 * drive index N: NSID M's node is minor (M - 1) * URINGBLK_MAX_DEVS + N,
 * so /dev/uringblkcN keeps minor N.
 *
 * Lifetime, as the command device's: the node holds a reference on the
 * drive, dropped by its struct device's release; an open file pins the
 * cdev, whose parent is that device, so a command on a node of a removed
 * drive still finds the drive and answers -ENODEV (removal sets
 * dev->removing before it deletes the nodes).
 */
#include <linux/cdev.h>
#include <linux/blkdev.h>
#include <linux/device.h>
#include <linux/fdtable.h>
#include <linux/fs.h>
#include <linux/io_uring.h>
#include <linux/nvme.h>
#include <linux/nvme_ioctl.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "compat.h"
#include "compat_internals.h"
#include "gate.h"
#include "nvme.h"
#include "slm.h"
#include "uringblk.h"

/* Every command set the drive knows, by CSI (the effects log asks by CSI) */
static const struct uringblk_nvme_cset *const uringblk_nvme_csets[] = {
	&uringblk_nvme_cset_nvm,
	&uringblk_nvme_cset_kv,
	&uringblk_nvme_cset_zns,
	&uringblk_nvme_cset_slm,
	&uringblk_nvme_cset_cp,
};

/**
 * uringblk_nvme_ns_setup() - choose each namespace's command set, once
 * @dev:	the drive, configured (its zones built), no node added yet
 *
 * NSID 1 is KV on a kv drive, ZNS on a zoned one, else NVM; NSID 2 is
 * Computational Programs, NSID 3 SLM.  The one place the drive's kind picks
 * a command set: every command then goes through its namespace's table.
 */
void uringblk_nvme_ns_setup(struct uringblk_dev *dev)
{
	BUILD_BUG_ON(ARRAY_SIZE(dev->nvme_cset) != URINGBLK_NVME_NR_NS);
	if (dev->cfg.kv)
		dev->nvme_cset[0] = &uringblk_nvme_cset_kv;
	else
		dev->nvme_cset[0] = uringblk_zone_nvme_cset(dev) ?: &uringblk_nvme_cset_nvm;
	dev->nvme_cset[URINGBLK_NVME_NSID_CP - 1] = &uringblk_nvme_cset_cp;
	dev->nvme_cset[URINGBLK_NVME_NSID_SLM - 1] = &uringblk_nvme_cset_slm;
}

/**
 * uringblk_nvme_ns_cset() - the command set of namespace @nsid
 * @dev:	the drive
 * @nsid:	1 to URINGBLK_NVME_NR_NS (another: NSID 1's)
 */
const struct uringblk_nvme_cset *uringblk_nvme_ns_cset(struct uringblk_dev *dev, u32 nsid)
{
	if (nsid < 1 || nsid > URINGBLK_NVME_NR_NS)
		nsid = URINGBLK_NVME_NSID;
	return dev->nvme_cset[nsid - 1];
}

/**
 * uringblk_nvme_cset_of() - the command set of CSI @csi
 * @csi:	a Command Set Identifier
 *
 * Return: the set, or NULL for one the drive does not know.
 */
const struct uringblk_nvme_cset *uringblk_nvme_cset_of(u8 csi)
{
	for (size_t i = 0; i < ARRAY_SIZE(uringblk_nvme_csets); i++)
		if (uringblk_nvme_csets[i]->csi == csi)
			return uringblk_nvme_csets[i];
	return NULL;
}

/**
 * uringblk_nvme_ns_csi() - the command set of namespace @nsid
 * @dev:	the drive
 * @nsid:	1 to URINGBLK_NVME_NR_NS
 *
 * Return: its CSI: NVM, ZNS or KV for NSID 1, CP for 2, SLM for 3.
 */
u8 uringblk_nvme_ns_csi(struct uringblk_dev *dev, u32 nsid)
{
	return uringblk_nvme_ns_cset(dev, nsid)->csi;
}

/* The NVM namespace's (NSID 1's) command set: NVM, ZNS or KV. */
u8 uringblk_nvme_csi(struct uringblk_dev *dev)
{
	return dev->nvme_cset[0]->csi;
}

/**
 * uringblk_nvme_cset_present() - the command set of CSI @csi, if the drive has it
 * @dev:	the drive
 * @csi:	a Command Set Identifier
 *
 * Return: the set, or NULL for one the drive does not know or, an optional
 * set (&uringblk_nvme_cset.optional), has no namespace of.
 */
const struct uringblk_nvme_cset *uringblk_nvme_cset_present(struct uringblk_dev *dev, u8 csi)
{
	const struct uringblk_nvme_cset *cs = uringblk_nvme_cset_of(csi);

	if (!cs || !cs->optional)
		return cs;
	for (u32 nsid = 1; nsid <= URINGBLK_NVME_NR_NS; nsid++)
		if (uringblk_nvme_ns_cset(dev, nsid) == cs)
			return cs;
	return NULL;
}

/**
 * uringblk_nvme_cset_io() - an I/O command to its namespace's command set
 * @dev:	the drive
 * @cs:		the namespace's set (uringblk_nvme_ns_cset())
 * @c:		the command, checked by the host half
 * @iter:	its data buffer, mapped
 * @req:	the command as a request the set may complete later, or NULL:
 *		the caller waits (an ioctl)
 * @is:		the issue's context
 * @vec:	@iter is a vectored command's
 * @result:	the command's result (CQE DW0)
 *
 * As nvmet_parse_io_cmd(): the set's list decides whether the opcode is
 * taken (Invalid Opcode), then its handler runs (-EAGAIN for an @is.nowait
 * issue unless the set may run one: the front end issues it again where
 * it may sleep).  Every front end's way in: the command device's ioctls
 * and URING_CMDs, the controller's ->queue_rq() and workqueue.  Process
 * context, or a ->queue_rq() (@is.atomic).
 * Return: as &uringblk_nvme_cset.io.
 */
int uringblk_nvme_cset_io(struct uringblk_dev *dev, const struct uringblk_nvme_cset *cs,
			  const struct nvme_passthru_cmd64 *c, struct iov_iter *iter,
			  const struct uringblk_req *req, struct uringblk_issue is,
			  bool vec, u64 *result)
{
	if (!cs->effects(dev, c->opcode))
		return NVME_SC_INVALID_OPCODE | URINGBLK_NVME_DNR;
	if (!cs->nowait && is.nowait)
		return -EAGAIN;
	return cs->io(dev, c, iter, req, is, vec, result);
}

/**
 * uringblk_nvme_ns_list() - Identify CNS 02h / 07h: active NSIDs above @after
 * @dev:	the drive
 * @after:	the command's NSID: the list starts above it
 * @csi:	only the namespaces of this command set (CNS 07h), or -1: all
 * @list:	the 4 KiB list, zeroed: filled in increasing order
 */
void uringblk_nvme_ns_list(struct uringblk_dev *dev, u32 after, int csi, __le32 *list)
{
	for (u32 nsid = after + 1; nsid <= URINGBLK_NVME_NR_NS; nsid++)
		if (csi < 0 || uringblk_nvme_ns_csi(dev, nsid) == csi)
			*list++ = cpu_to_le32(nsid);
}

/**
 * uringblk_nvme_file_nsid() - the namespace of the node @file is open on
 * @file:	an open /dev/uringblkcN (NSID 1) or /dev/uringblkcNnM (M)
 */
u32 uringblk_nvme_file_nsid(struct file *file)
{
	return ((struct uringblk_cfile *)file->private_data)->nsid;
}

/**
 * uringblk_nvme_changes_data() - does the command need a node open for writing
 * beyond Linux 6.2's rule (opcode bit 0 or LBCC in its effects)?
 * @nsid:	the node's namespace
 * @opcode:	an I/O opcode the namespace takes
 *
 * Flush (it changes the media) and the SLM set's Memory Fill (no data
 * from the host, yet it writes SLM).
 */
bool uringblk_nvme_changes_data(u32 nsid, u8 opcode)
{
	if (nsid == URINGBLK_NVME_NSID_SLM)
		return opcode == URINGBLK_NVME_SLM_FILL;
	return nsid == URINGBLK_NVME_NSID && opcode == nvme_cmd_flush;
}

/* iterate_fd()'s test: a file that lets its holder read the NVM namespace */
static int uringblk_nvme_nvm_reader(const void *p, struct file *file, unsigned int fd)
{
	const struct uringblk_dev *dev = p;
	struct inode *inode = file_inode(file);
	struct block_device *bdev;

	if (file->f_mode & FMODE_PATH)		/* O_PATH: opened without access */
		return 0;
	/* The NVM namespace node: anyone who could open it may Read */
	if (S_ISCHR(inode->i_mode))
		return inode->i_rdev == dev->cdev_dev.devt;
	if (!S_ISBLK(inode->i_mode) || !(file->f_mode & FMODE_READ))
		return 0;
	/* The whole block device, opened for reading (a partition is a part) */
	bdev = I_BDEV(file->f_mapping->host);
	return !bdev_is_partition(bdev) && bdev->bd_disk->private_data == dev;
}

/**
 * uringblk_nvme_may_read_nvm() - may the caller read the NVM namespace?
 * @dev:	the drive
 *
 * For a command of another node that reads the NVM namespace's LBAs (SLM's
 * Memory Copy): the node's own permission does not say the caller may read
 * them, and the nodes' permissions are the drive's only access control.
 * True with CAP_SYS_ADMIN, or if the calling process holds an open file of
 * the drive's NVM namespace node (/dev/uringblkcN, any mode: anyone who
 * could open it may Read) or of its whole block device (/dev/uringblkN)
 * opened for reading: what the caller could read by itself.  An io-wq
 * worker shares its ring's process's files, so a URING_CMD issued from
 * one sees the same.  Process context.
 */
bool uringblk_nvme_may_read_nvm(struct uringblk_dev *dev)
{
	if (capable(CAP_SYS_ADMIN))
		return true;
	return current->files &&
	       iterate_fd(current->files, 0, uringblk_nvme_nvm_reader, dev);
}

/**
 * uringblk_nvme_ns_io() - an I/O command of a namespace node, NSID 2 or 3
 * @dev:	the drive
 * @c:		the command, its nsid the node's (nvme.c checked it)
 * @ioucmd:	the URING_CMD, for its buffer, or NULL for an ioctl
 * @req:	its request (nvme.c), or NULL for an ioctl
 * @is:		the issue's context
 * @result:	the command's result (CQE DW0)
 *
 * The host half's last steps, then the namespace's command set: the opcode
 * against its set's effects (Invalid Opcode), a non-blocking issue of a set
 * that may sleep (SLM's) -EAGAIN, for io_uring to issue it from io-wq, the
 * metadata buffer (none here: -EINVAL), the data buffer mapped in the
 * direction of the opcode's bits 1:0 (10b: to the host, else from it).  A
 * request of the CP set (Execute Program) is not waited for: nvme_cp_io.c
 * runs it as the drive's EXECUTE.
 * Return: 0, -EIOCBQUEUED (a URING_CMD under way), an NVMe status or -errno.
 */
int uringblk_nvme_ns_io(struct uringblk_dev *dev, const struct nvme_passthru_cmd64 *c,
			struct io_uring_cmd *ioucmd, const struct uringblk_req *req,
			struct uringblk_issue is, u64 *result)
{
	const struct uringblk_nvme_cset *cs = uringblk_nvme_ns_cset(dev, c->nsid);
	struct iovec iov;
	struct iov_iter iter = {};
	int ret;

	if (is.nowait && !cs->nowait)
		return -EAGAIN;
	if (!cs->effects(dev, c->opcode))
		return NVME_SC_INVALID_OPCODE | URINGBLK_NVME_DNR;
	if (c->metadata && c->metadata_len)
		return -EINVAL;
	if (uringblk_nvme_xfer_len(c)) {
		ret = uringblk_nvme_import(c, ioucmd, (c->opcode & 3) == 2 ? READ : WRITE,
					   &iov, &iter);
		if (ret < 0)
			return ret;
	}
	return uringblk_nvme_cset_io(dev, cs, c, &iter, req, is, false, result);
}

static int uringblk_nvme_ns_open(struct inode *inode, struct file *file)
{
	struct uringblk_nvme_node *node =
		container_of(inode->i_cdev, struct uringblk_nvme_node, cdev);
	struct uringblk_cfile *uf = kzalloc(sizeof(*uf), GFP_KERNEL_ACCOUNT);

	if (!uf)
		return -ENOMEM;
	/* chrdev_open() pinned the cdev, whose parent is node->dev. */
	uf->dev = node->drive;
	uf->nsid = node->nsid;
	file->private_data = uf;
	return 0;
}

static int uringblk_nvme_ns_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

/* NVME_URING_CMD_IO only, as nvme_ns_uring_cmd(); completed as cmd.c does. */
static int uringblk_nvme_ns_uring_cmd(struct io_uring_cmd *ioucmd,
				      unsigned int issue_flags)
{
	int ret = -ENOTTY;

	if (ioucmd->cmd_op == NVME_URING_CMD_IO)
		return uringblk_cmd_issued(ioucmd,
					   uringblk_nvme_uring_cmd(ioucmd, issue_flags),
					   issue_flags);
	if ((issue_flags & (IO_URING_F_SQE128 | IO_URING_F_CQE32)) !=
	    (IO_URING_F_SQE128 | IO_URING_F_CQE32))
		ret = -EOPNOTSUPP;
	uringblk_cmd_done(ioucmd, ret, 0, issue_flags);
	return -EIOCBQUEUED;
}

static const struct file_operations uringblk_nvme_ns_fops = {
	.owner		= THIS_MODULE,
	.open		= uringblk_nvme_ns_open,
	.release	= uringblk_nvme_ns_release,
	.uring_cmd	= uringblk_nvme_ns_uring_cmd,
	.unlocked_ioctl	= uringblk_nvme_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static void uringblk_nvme_node_release(struct device *d)
{
	struct uringblk_nvme_node *node =
		container_of(d, struct uringblk_nvme_node, dev);

	uringblk_dev_put(node->drive);
	kfree(node);
}

/* One node; its reference on the drive is dropped by its release. */
static int uringblk_nvme_node_add(struct uringblk_dev *dev, struct class *class,
				  dev_t base, u32 nsid)
{
	struct uringblk_nvme_node *node = kzalloc(sizeof(*node), GFP_KERNEL);
	int ret;

	if (!node)
		return -ENOMEM;
	cdev_init(&node->cdev, &uringblk_nvme_ns_fops);
	node->cdev.owner = THIS_MODULE;
	node->nsid = nsid;
	node->drive = dev;
	kref_get(&dev->ref);
	device_initialize(&node->dev);
	node->dev.class = class;
	node->dev.devt = MKDEV(MAJOR(base), (nsid - 1) * URINGBLK_MAX_DEVS + dev->index);
	node->dev.release = uringblk_nvme_node_release;
	ret = dev_set_name(&node->dev, URINGBLK_CHRDEV_NAME "%dn%u", dev->index, nsid);
	if (!ret)
		ret = cdev_device_add(&node->cdev, &node->dev);
	if (ret) {
		put_device(&node->dev);		/* frees it, drops the reference */
		return ret;
	}
	dev->nvme_nodes[nsid - URINGBLK_NVME_NSID_CP] = node;
	return 0;
}

/**
 * uringblk_nvme_nodes_add() - create /dev/uringblkcNn2 and /dev/uringblkcNn3
 * @dev:	the drive, its index assigned, its command device added
 * @class:	the command devices' class
 * @base:	the first dev_t of cmd.c's region
 *
 * May sleep.  Return: 0, or -errno with no node left.
 */
int uringblk_nvme_nodes_add(struct uringblk_dev *dev, struct class *class,
			    dev_t base)
{
	BUILD_BUG_ON(ARRAY_SIZE(dev->nvme_nodes) !=
		     URINGBLK_NVME_NR_NS - URINGBLK_NVME_NSID_CP + 1);
	for (u32 nsid = URINGBLK_NVME_NSID_CP; nsid <= URINGBLK_NVME_NR_NS; nsid++) {
		int ret = uringblk_nvme_node_add(dev, class, base, nsid);

		if (ret) {
			uringblk_nvme_nodes_del(dev);
			return ret;
		}
	}
	return 0;
}

/**
 * uringblk_nvme_nodes_del() - remove the namespace nodes that exist
 * @dev:	the drive
 *
 * Open files keep their node's struct and the drive (and get -ENODEV once
 * dev->removing is set).  May sleep.
 */
void uringblk_nvme_nodes_del(struct uringblk_dev *dev)
{
	for (size_t i = 0; i < ARRAY_SIZE(dev->nvme_nodes); i++) {
		struct uringblk_nvme_node *node = dev->nvme_nodes[i];

		if (!node)
			continue;
		dev->nvme_nodes[i] = NULL;
		cdev_device_del(&node->cdev, &node->dev);
		put_device(&node->dev);
	}
}
