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

/*
 * The number of controllers, checked with the rest of the configuration
 * (with the controller built or not).  Each has its own tag sets (a queue
 * per CPU and a polled one, 128 tags each) and workqueue: two are what
 * multipath needs, four leave an iopolicy room to choose.
 */
static inline int uringblk_nvme_ctrl_validate(const struct uringblk_config *cfg,
					      struct uringblk_msg *msg)
{
	if (cfg->nvme_ctrl <= URINGBLK_NVME_MAX_CTRLS)
		return 0;
	uringblk_msg(msg, "nvme_ctrl=%u: at most %u controllers per drive (0 none, 1 one, 2-%u one multipath subsystem): each has its own queues and workqueue",
		     cfg->nvme_ctrl, URINGBLK_NVME_MAX_CTRLS, URINGBLK_NVME_MAX_CTRLS);
	return -EINVAL;
}

/*
 * Whether this build has the controller, for modinfo's "nvme_ctrl" field
 * (nvme.c) and the load message (main.c): a build without nvme-core's
 * header (a DKMS build on a machine without the kernel's source) would
 * otherwise say so only in its build log.
 */
#ifdef URINGBLK_NVME_CTRL
#define URINGBLK_NVME_CTRL_BUILD "built"
#else
#define URINGBLK_NVME_CTRL_BUILD "not built (no nvme-core header at build time: tools/nvme-src)"
#endif

#ifdef URINGBLK_NVME_CTRL
int uringblk_nvme_ctrl_add(struct uringblk_dev *dev, struct uringblk_msg *msg);
void uringblk_nvme_ctrl_del(struct uringblk_dev *dev);
int uringblk_nvme_ctrl_busy(struct uringblk_dev *dev, struct uringblk_msg *msg);
void uringblk_nvme_ctrl_exit(void);
/* nvme_ctrl_nodes.c, for nvme_ctrl.c's removal */
void uringblk_nvme_ctrl_keep_open_nodes(struct nvme_ctrl *ctrl);
#else
static inline int uringblk_nvme_ctrl_add(struct uringblk_dev *dev,
					 struct uringblk_msg *msg)
{
	uringblk_msg(msg, "%s: nvme_ctrl=%u: the module was built without nvme-core's header (tools/nvme-src; Documentation/dev/nvme-controller.md)",
		     dev->name, dev->cfg.nvme_ctrl);
	return -EOPNOTSUPP;
}

static inline void uringblk_nvme_ctrl_del(struct uringblk_dev *dev)
{
}

static inline int uringblk_nvme_ctrl_busy(struct uringblk_dev *dev,
					  struct uringblk_msg *msg)
{
	return 0;
}

static inline void uringblk_nvme_ctrl_exit(void)
{
}
#endif

#endif /* URINGBLK_NVME_CTRL_H */
