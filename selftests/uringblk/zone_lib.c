// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the zone kselftests; see zone_lib.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "zone_lib.h"

int ubz_open(struct ubz_dev *d, int idx)
{
	int ret;

	memset(d, 0, sizeof(*d));
	d->cfd = d->bfd = -1;
	d->cfd = ubt_open_cdev(idx, O_RDWR);
	if (d->cfd < 0)
		return d->cfd;
	d->bfd = ubt_open_blk(idx, O_RDWR | O_DIRECT);
	if (d->bfd < 0) {
		ret = d->bfd;
		goto err_close;
	}
	ret = ubt_ring_init(&d->ring, 0);
	if (ret)
		goto err_close;
	ret = ubt_identify(&d->ring, d->cfd, &d->id);
	if (ret < 0)
		goto err_ring;
	if (!(d->id.features & URINGBLK_F_ZONED)) {
		ret = -ENOTTY;
		goto err_ring;
	}
	d->bs = d->id.logical_block_size;
	d->spb = d->bs / UBT_SECTOR;
	d->zone_lbas = d->id.zone_size / d->bs;
	d->zcap_lbas = d->id.zone_capacity / d->bs;
	d->nr_lbas = d->id.capacity / d->bs;
	d->nr_zones = d->id.nr_zones;
	d->nr_conv = d->id.nr_conv_zones;
	return 0;

err_ring:
	io_uring_queue_exit(&d->ring);
err_close:
	if (d->bfd >= 0)
		close(d->bfd);
	close(d->cfd);
	d->cfd = d->bfd = -1;
	return ret;
}

void ubz_close(struct ubz_dev *d)
{
	if (d->cfd < 0)
		return;
	io_uring_queue_exit(&d->ring);
	close(d->bfd);
	close(d->cfd);
	d->cfd = d->bfd = -1;
}

int ubz_report(struct ubz_dev *d, uint64_t lba, struct uringblk_zone *zones,
	       uint32_t nr)
{
	struct uringblk_cmd cmd;

	ubt_cmd_init(&cmd, zones, nr * sizeof(*zones));
	cmd.report_zones.lba = lba;
	return ubt_uring_cmd(&d->ring, d->cfd, URINGBLK_CMD_REPORT_ZONES, &cmd,
			     NULL);
}

int ubz_zone(struct ubz_dev *d, uint32_t zno, struct uringblk_zone *z)
{
	int ret = ubz_report(d, ubz_lba(d, zno), z, 1);

	if (ret < 0)
		return ret;
	return ret == 1 ? 0 : -ENODATA;
}

int ubz_cond(struct ubz_dev *d, uint32_t zno)
{
	struct uringblk_zone z;
	int ret = ubz_zone(d, zno, &z);

	return ret ? ret : z.cond;
}

int ubz_mgmt_lba(struct ubz_dev *d, uint64_t lba, uint64_t action)
{
	struct uringblk_cmd cmd;

	ubt_cmd_init(&cmd, NULL, 0);
	cmd.zone_mgmt.zone_lba = lba;
	cmd.zone_mgmt.action = action;
	return ubt_uring_cmd(&d->ring, d->cfd, URINGBLK_CMD_ZONE_MGMT, &cmd, NULL);
}

int ubz_mgmt(struct ubz_dev *d, uint32_t zno, uint32_t action)
{
	return ubz_mgmt_lba(d, action == URINGBLK_ZONE_ACTION_RESET_ALL ? 0 :
			    ubz_lba(d, zno), action);
}

int ubz_append(struct ubz_dev *d, uint64_t zone_lba, const void *buf,
	       uint32_t len, uint64_t *lba, uint64_t *res2)
{
	struct uringblk_cmd cmd;

	ubt_cmd_init(&cmd, (void *)buf, len);
	cmd.zone_append.zone_lba = zone_lba;
	cmd.zone_append.lba_out_addr = (uintptr_t)lba;
	return ubt_uring_cmd(&d->ring, d->cfd, URINGBLK_CMD_ZONE_APPEND, &cmd,
			     res2);
}

int ubz_write(struct ubz_dev *d, uint64_t lba, const void *buf, uint64_t nr)
{
	size_t len = nr * d->bs;
	ssize_t n = pwrite(d->bfd, buf, len, lba * d->bs);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

int ubz_read(struct ubz_dev *d, uint64_t lba, void *buf, uint64_t nr)
{
	size_t len = nr * d->bs;
	ssize_t n = ubt_pread_full(d->bfd, buf, len, lba * d->bs);

	if (n < 0)
		return n;
	return (size_t)n == len ? 0 : -EIO;
}

int ubz_write_pattern(struct ubz_dev *d, uint64_t lba, uint64_t nr,
		      uint32_t seed)
{
	size_t len = nr * d->bs;
	void *buf = ubt_alloc(len);
	int ret;

	if (!buf)
		return -ENOMEM;
	ubt_fill(buf, len, lba * d->bs, seed);
	ret = ubz_write(d, lba, buf, nr);
	munmap(buf, len);
	return ret;
}

static int check_range(struct ubz_dev *d, uint64_t lba, uint64_t nr,
		       uint32_t seed, bool zero)
{
	size_t len = nr * d->bs;
	void *buf = ubt_alloc(len);
	int ret;

	if (!buf)
		return -ENOMEM;
	ret = ubz_read(d, lba, buf, nr);
	if (!ret) {
		ssize_t bad = zero ? ubt_check_zero(buf, len) :
				     ubt_check(buf, len, lba * d->bs, seed);

		ret = bad < 0 ? 0 : -EBADMSG;
	}
	munmap(buf, len);
	return ret;
}

int ubz_check_pattern(struct ubz_dev *d, uint64_t lba, uint64_t nr,
		      uint32_t seed)
{
	return check_range(d, lba, nr, seed, false);
}

int ubz_check_zero(struct ubz_dev *d, uint64_t lba, uint64_t nr)
{
	return check_range(d, lba, nr, 0, true);
}

int ubz_blk_mgmt_sectors(struct ubz_dev *d, unsigned long req,
			 uint64_t sector, uint64_t nr_sectors)
{
	struct blk_zone_range r = { .sector = sector, .nr_sectors = nr_sectors };

	return ioctl(d->bfd, req, &r) ? -errno : 0;
}

int ubz_blk_mgmt(struct ubz_dev *d, unsigned long req, uint32_t zno,
		 uint32_t nr)
{
	const uint64_t zs = d->zone_lbas * d->spb;

	return ubz_blk_mgmt_sectors(d, req, zno * zs, nr * zs);
}

int ubz_blk_report(struct ubz_dev *d, uint64_t sector, struct blk_zone *zones,
		   uint32_t nr)
{
	struct blk_zone_report *rep;
	int ret;

	rep = calloc(1, sizeof(*rep) + nr * sizeof(struct blk_zone));
	if (!rep)
		return -ENOMEM;
	rep->sector = sector;
	rep->nr_zones = nr;
	if (ioctl(d->bfd, BLKREPORTZONE, rep)) {
		ret = -errno;
	} else {
		ret = rep->nr_zones;
		memcpy(zones, rep->zones, ret * sizeof(struct blk_zone));
	}
	free(rep);
	return ret;
}

uint32_t ubz_action_of(unsigned long req)
{
	switch (req) {
	case BLKRESETZONE:	return URINGBLK_ZONE_ACTION_RESET;
	case BLKOPENZONE:	return URINGBLK_ZONE_ACTION_OPEN;
	case BLKCLOSEZONE:	return URINGBLK_ZONE_ACTION_CLOSE;
	case BLKFINISHZONE:	return URINGBLK_ZONE_ACTION_FINISH;
	default:		return 0;
	}
}

int ubz_count_cond(struct ubz_dev *d, uint8_t cond)
{
	struct uringblk_zone z[64];
	uint64_t lba = 0;
	int n = 0, i, ret;

	for (;;) {
		ret = ubz_report(d, lba, z, 64);
		if (ret < 0)
			return ret;
		if (!ret)
			return n;
		for (i = 0; i < ret; i++)
			n += z[i].cond == cond;
		/* A report that does not move on would loop forever. */
		if (z[ret - 1].start + z[ret - 1].len <= lba)
			return -EPROTO;
		lba = z[ret - 1].start + z[ret - 1].len;
	}
}

const char *ubz_cond_name(uint8_t cond)
{
	switch (cond) {
	case URINGBLK_ZONE_COND_NOT_WP:		return "not_wp";
	case URINGBLK_ZONE_COND_EMPTY:		return "empty";
	case URINGBLK_ZONE_COND_IMP_OPEN:	return "imp_open";
	case URINGBLK_ZONE_COND_EXP_OPEN:	return "exp_open";
	case URINGBLK_ZONE_COND_CLOSED:		return "closed";
	case URINGBLK_ZONE_COND_READONLY:	return "readonly";
	case URINGBLK_ZONE_COND_FULL:		return "full";
	case URINGBLK_ZONE_COND_OFFLINE:	return "offline";
	default:				return "?";
	}
}
