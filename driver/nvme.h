/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The NVMe front end's entry points (nvme.c), for the command device's
 * file operations and its URING_CMD gate (cmd.c).
 */
#ifndef URINGBLK_NVME_H
#define URINGBLK_NVME_H

#include <linux/fs.h>
#include <linux/io_uring.h>
#include <linux/nvme_ioctl.h>

/* A URING_CMD the NVMe front end takes: the gate hands it over first. */
static inline bool uringblk_nvme_is_uring_cmd(u32 cmd_op)
{
	return cmd_op == NVME_URING_CMD_IO || cmd_op == NVME_URING_CMD_ADMIN;
}

long uringblk_nvme_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
int uringblk_nvme_uring_cmd(struct io_uring_cmd *ioucmd, unsigned int issue_flags);

#endif /* URINGBLK_NVME_H */
