// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Zone commands: REPORT_ZONES, ZONE_MGMT and ZONE_APPEND on a handle's
 * private ring, and the names the CLI and printers use.
 */
#include <errno.h>

#include "private.h"

/* One REPORT_ZONES may ask for this many (more is -E2BIG). */
#define ZONES_PER_CMD	URINGBLK_MAX_REPORT_ZONES

int uringblk_report_zones(struct uringblk_dev *dev, __u64 lba,
			  struct uringblk_zone *zones, unsigned int nr)
{
	unsigned int done = 0;

	uringblk__begin(dev);
	if (!dev || (!zones && nr))
		return -EINVAL;
	while (done < nr) {
		unsigned int want = nr - done;
		struct uringblk_cmd cmd;
		const struct uringblk_zone *last;
		int ret;

		if (want > ZONES_PER_CMD)
			want = ZONES_PER_CMD;
		uringblk_cmd_init(&cmd, 0, zones + done, want * sizeof(*zones));
		cmd.report_zones.lba = lba;
		ret = uringblk_submit_cmd(dev, URINGBLK_CMD_REPORT_ZONES, &cmd,
					  NULL, NULL);
		if (ret < 0)
			return ret;
		if (ret == 0 || (unsigned int)ret > want)
			break;		/* the end (a driver never gives more) */
		done += ret;
		last = &zones[done - 1];
		lba = last->start + last->len;
	}
	return (int)done;
}

int uringblk_zone_mgmt(struct uringblk_dev *dev, __u64 zone_lba,
		       unsigned int action)
{
	struct uringblk_cmd cmd;
	int ret;

	uringblk__begin(dev);
	uringblk_cmd_init(&cmd, 0, NULL, 0);
	cmd.zone_mgmt.zone_lba = zone_lba;
	cmd.zone_mgmt.action = action;
	ret = uringblk_submit_cmd(dev, URINGBLK_CMD_ZONE_MGMT, &cmd, NULL, NULL);
	return ret < 0 ? ret : 0;
}

int uringblk_zone_append(struct uringblk_dev *dev, __u64 zone_lba,
			 const void *buf, __u32 len, __u64 *lba)
{
	struct uringblk_cmd cmd;
	__u64 res2 = 0;
	int ret;

	uringblk__begin(dev);
	if (!buf && len)
		return -EINVAL;
	/* The handle's ring has CQE32: the LBA comes back in big_cqe[0]. */
	uringblk_cmd_init(&cmd, 0, (void *)buf, len);
	cmd.zone_append.zone_lba = zone_lba;
	ret = uringblk_submit_cmd(dev, URINGBLK_CMD_ZONE_APPEND, &cmd, NULL,
				  &res2);
	if (ret < 0)
		return ret;
	if (lba)
		*lba = res2;
	return 0;
}

static const char *const cond_names[] = {
	[URINGBLK_ZONE_COND_NOT_WP]	= "not_wp",
	[URINGBLK_ZONE_COND_EMPTY]	= "empty",
	[URINGBLK_ZONE_COND_IMP_OPEN]	= "imp_open",
	[URINGBLK_ZONE_COND_EXP_OPEN]	= "exp_open",
	[URINGBLK_ZONE_COND_CLOSED]	= "closed",
	[URINGBLK_ZONE_COND_READONLY]	= "readonly",
	[URINGBLK_ZONE_COND_FULL]	= "full",
	[URINGBLK_ZONE_COND_OFFLINE]	= "offline",
};

const char *uringblk_zone_cond_name(__u8 cond)
{
	return cond < ARRAY_SIZE(cond_names) ? cond_names[cond] : NULL;
}

static const char *const action_names[] = {
	[URINGBLK_ZONE_ACTION_RESET]	 = "reset",
	[URINGBLK_ZONE_ACTION_OPEN]	 = "open",
	[URINGBLK_ZONE_ACTION_CLOSE]	 = "close",
	[URINGBLK_ZONE_ACTION_FINISH]	 = "finish",
	[URINGBLK_ZONE_ACTION_RESET_ALL] = "reset_all",
};

int uringblk_zone_action_parse(const char *name)
{
	unsigned int i;

	if (!name)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(action_names); i++)
		if (action_names[i] && !strcmp(name, action_names[i]))
			return (int)i;
	return -EINVAL;
}
