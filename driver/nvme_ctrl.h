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

#include "uringblk.h"

#ifdef URINGBLK_NVME_CTRL
int uringblk_nvme_ctrl_add(struct uringblk_dev *dev, struct uringblk_msg *msg);
void uringblk_nvme_ctrl_del(struct uringblk_dev *dev);
#else
static inline int uringblk_nvme_ctrl_add(struct uringblk_dev *dev,
					 struct uringblk_msg *msg)
{
	uringblk_msg(msg, "%s: nvme_ctrl=1: the module was built without nvme-core's header (tools/nvme-src; Documentation/dev/nvme-controller.md)",
		     dev->name);
	return -EOPNOTSUPP;
}

static inline void uringblk_nvme_ctrl_del(struct uringblk_dev *dev)
{
}
#endif

#endif /* URINGBLK_NVME_CTRL_H */
