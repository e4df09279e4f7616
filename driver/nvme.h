/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The NVMe front end's entry points (nvme.c), for the command device's
 * file operations and its URING_CMD gate (cmd.c).
 */
#ifndef URINGBLK_NVME_H
#define URINGBLK_NVME_H

#include <linux/bio.h>
#include <linux/fs.h>
#include <linux/io_uring.h>
#include <linux/log2.h>
#include <linux/nvme.h>
#include <linux/nvme_ioctl.h>

struct gendisk;
struct uringblk_dev;

/* A URING_CMD the NVMe front end takes: the gate hands it over first. */
static inline bool uringblk_nvme_is_uring_cmd(u32 cmd_op)
{
	return cmd_op == NVME_URING_CMD_IO || cmd_op == NVME_URING_CMD_ADMIN;
}

long uringblk_nvme_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
int uringblk_nvme_uring_cmd(struct io_uring_cmd *ioucmd, unsigned int issue_flags);

/* Between nvme.c (the host half, NVM I/O) and nvme_admin.c (admin commands) */

/* The drive's one namespace: NVM (ZNS on a zoned drive), NSID 1. */
#define URINGBLK_NVME_NSID	1
#define URINGBLK_NVME_DNR	NVME_STATUS_DNR

/* The bytes a command's data pointer describes, as the device sees them. */
static inline u32 uringblk_nvme_xfer_len(const struct nvme_passthru_cmd64 *c)
{
	return c->addr ? c->data_len : 0;
}

u32 uringblk_nvme_lba_shift(const struct uringblk_dev *dev);
u64 uringblk_nvme_max_bytes(const struct uringblk_dev *dev);
u32 uringblk_nvme_io_effects(struct uringblk_dev *dev, u8 csi, u8 opcode);
u16 uringblk_nvme_oncs(struct uringblk_dev *dev);
int uringblk_nvme_status(int ret);
int uringblk_nvme_nvm_exec(struct uringblk_dev *dev, struct gendisk *disk,
			   const struct nvme_passthru_cmd64 *c, struct iov_iter *iter);
int uringblk_nvme_admin_exec(struct uringblk_dev *dev,
			     const struct nvme_passthru_cmd64 *c,
			     struct iov_iter *iter, u64 *result);

/*
 * The Computational Programs command set's admin commands (nvme_cp.c),
 * NVMe 2.1 opcodes (6.1's <linux/nvme.h> has none of them).  Bit 0 of
 * Load Program's and Memory Range Set Management's opcode: data to the
 * drive, as in every NVMe opcode.
 */
#define URINGBLK_NVME_ADMIN_LOAD_PROGRAM	0x85
#define URINGBLK_NVME_ADMIN_PROG_ACT_MGMT	0x88
#define URINGBLK_NVME_ADMIN_MEM_RANGE_SET_MGMT	0x89
/* The Computational Programs namespace and the SLM namespace it reaches. */
#define URINGBLK_NVME_CP_NSID		2
#define URINGBLK_NVME_SLM_NSID		3

u32 uringblk_nvme_cp_admin_effects(u8 opcode);
int uringblk_nvme_cp_admin(struct uringblk_dev *dev,
			   const struct nvme_passthru_cmd64 *c,
			   struct iov_iter *iter, u64 *result);
void uringblk_nvme_cp_dev_exit(struct uringblk_dev *dev);

#endif /* URINGBLK_NVME_H */
