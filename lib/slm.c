// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Device memory (SLM) and memory range sets: MEM_READ, MEM_WRITE,
 * MEM_COPY, RANGE_SET_CREATE and RANGE_SET_DELETE on a handle's private
 * ring.  One command each: the driver bounds a transfer by
 * identify.max_mem_xfer and refuses more (-E2BIG), so a larger one is the
 * caller's to cut (it knows whether pieces may go in parallel).
 */
#include <errno.h>

#include "private.h"

int uringblk_mem_read(struct uringblk_dev *dev, __u64 slm_off, void *buf,
		      __u32 len)
{
	struct uringblk_cmd cmd;

	uringblk__begin(dev);
	if (!dev || (!buf && len))
		return -EINVAL;
	uringblk_cmd_init(&cmd, 0, buf, len);
	cmd.mem_rw.slm_off = slm_off;
	return uringblk_submit_cmd(dev, URINGBLK_CMD_MEM_READ, &cmd, NULL, NULL);
}

int uringblk_mem_write(struct uringblk_dev *dev, __u64 slm_off,
		       const void *buf, __u32 len)
{
	struct uringblk_cmd cmd;

	uringblk__begin(dev);
	if (!dev || (!buf && len))
		return -EINVAL;
	uringblk_cmd_init(&cmd, 0, (void *)buf, len);
	cmd.mem_rw.slm_off = slm_off;
	return uringblk_submit_cmd(dev, URINGBLK_CMD_MEM_WRITE, &cmd, NULL, NULL);
}

int uringblk_mem_copy(struct uringblk_dev *dev, __u64 slm_off,
		      const struct uringblk_copy_range *r, unsigned int nr)
{
	struct uringblk_cmd cmd;

	uringblk__begin(dev);
	if (!dev || (!r && nr))
		return -EINVAL;
	uringblk_cmd_init(&cmd, 0, (void *)r, nr * sizeof(*r));
	cmd.mem_copy.slm_off = slm_off;
	cmd.mem_copy.nr_ranges = nr;
	return uringblk_submit_cmd(dev, URINGBLK_CMD_MEM_COPY, &cmd, NULL, NULL);
}

int uringblk_range_set_create(struct uringblk_dev *dev,
			      const struct uringblk_mem_range *r,
			      unsigned int nr)
{
	struct uringblk_cmd cmd;

	uringblk__begin(dev);
	if (!dev || (!r && nr))
		return -EINVAL;
	uringblk_cmd_init(&cmd, 0, (void *)r, nr * sizeof(*r));
	return uringblk_submit_cmd(dev, URINGBLK_CMD_RANGE_SET_CREATE, &cmd,
				   NULL, NULL);
}

int uringblk_range_set_delete(struct uringblk_dev *dev, __u32 rsid)
{
	struct uringblk_cmd cmd;
	int ret;

	uringblk__begin(dev);
	if (!dev)
		return -EINVAL;
	uringblk_cmd_init(&cmd, 0, NULL, 0);
	cmd.range_set.rsid = rsid;
	ret = uringblk_submit_cmd(dev, URINGBLK_CMD_RANGE_SET_DELETE, &cmd,
				  NULL, NULL);
	return ret < 0 ? ret : 0;
}
