/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The drive as a controller of Linux's own NVMe driver (nvme_ctrl.c): a
 * transport of nvme-core, so that /dev/nvmeX, /dev/nvmeXnY, /dev/ngXnY and
 * `nvme list` see the drive (Documentation/dev/nvme-controller.md).  Built
 * only against nvme-core's private header of the very kernel
 * (tools/nvme-src); without it these are stubs and drives have no
 * controller.
 */
#ifndef URINGBLK_NVME_CTRL_H
#define URINGBLK_NVME_CTRL_H

#include <linux/errno.h>

struct uringblk_dev;

#ifdef URINGBLK_NVME_CTRL
int uringblk_nvme_ctrl_add(struct uringblk_dev *dev);
void uringblk_nvme_ctrl_del(struct uringblk_dev *dev);
#define URINGBLK_HAS_NVME_CTRL	true
#else
static inline int uringblk_nvme_ctrl_add(struct uringblk_dev *dev)
{
	return -EOPNOTSUPP;
}

static inline void uringblk_nvme_ctrl_del(struct uringblk_dev *dev)
{
}
#define URINGBLK_HAS_NVME_CTRL	false
#endif

#endif /* URINGBLK_NVME_CTRL_H */
