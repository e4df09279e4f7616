// SPDX-License-Identifier: GPL-2.0
/*
 * What the zoned layer shows in sysfs: the zone table
 * (/sys/block/uringblkN/uringblk/zones, read through stats.c's attribute
 * group), formatted from uringblk_zone_get() (zoned_lba.c); and which
 * zone-only files a drive shows at all (the zone table, fault/'s bad
 * zones), so those files' owners never ask whether a drive is zoned.
 * Built only with CONFIG_BLK_DEV_ZONED; uringblk.h has the stubs
 * otherwise.
 */
#include <linux/blkdev.h>
#include <linux/math64.h>
#include <linux/string.h>

#include "uringblk.h"

static const char *uringblk_zone_cond_name(u8 cond)
{
	switch (cond) {
	case BLK_ZONE_COND_NOT_WP:	return "not_wp";
	case BLK_ZONE_COND_EMPTY:	return "empty";
	case BLK_ZONE_COND_IMP_OPEN:	return "imp_open";
	case BLK_ZONE_COND_EXP_OPEN:	return "exp_open";
	case BLK_ZONE_COND_CLOSED:	return "closed";
	case BLK_ZONE_COND_READONLY:	return "readonly";
	case BLK_ZONE_COND_FULL:	return "full";
	case BLK_ZONE_COND_OFFLINE:	return "offline";
	default:			return "?";
	}
}

/*
 * The sysfs "zones" table: fixed-width lines (a header, then one per
 * zone), so a read at any offset knows which zones to format, and a table
 * of any number of zones can be read in pieces.  Positions in logical
 * blocks, as in REPORT_ZONES.
 */
#define URINGBLK_ZONE_LINE	"%8s %14s %12s %12s %14s %-4s %-8s %20s %20s\n"
#define URINGBLK_ZONE_LINE_LEN	(8 + 14 + 12 + 12 + 14 + 4 + 8 + 20 + 20 + 9)

static void uringblk_zone_line(struct uringblk_dev *dev, u64 line, char *buf)
{
	char zno[24], start[24], len[24], cap[24], wp[24], wr[24], rs[24];
	struct uringblk_zone z;

	if (!line) {
		scnprintf(buf, URINGBLK_ZONE_LINE_LEN + 1, URINGBLK_ZONE_LINE, "zone",
			  "start", "len", "capacity", "wp", "type", "cond",
			  "write_ops", "reset_ops");
		return;
	}
	uringblk_zone_get(dev, line - 1, &z);
	snprintf(zno, sizeof(zno), "%llu", line - 1);
	snprintf(start, sizeof(start), "%llu", z.start);
	snprintf(len, sizeof(len), "%llu", z.len);
	snprintf(cap, sizeof(cap), "%llu", z.capacity);
	if (z.wp == ~0ULL)
		strscpy(wp, "-", sizeof(wp));
	else
		snprintf(wp, sizeof(wp), "%llu", z.wp);
	snprintf(wr, sizeof(wr), "%llu", z.write_ops);
	snprintf(rs, sizeof(rs), "%llu", z.reset_ops);
	/*
	 * A line is cut at its width on purpose (a field wider than its
	 * column would shift the table): scnprintf(), which, unlike
	 * snprintf(), W=1's -Wformat-truncation does not take for a mistake.
	 */
	scnprintf(buf, URINGBLK_ZONE_LINE_LEN + 1, URINGBLK_ZONE_LINE, zno, start,
		  len, cap, wp, z.type == BLK_ZONE_TYPE_CONVENTIONAL ? "conv" : "seq",
		  uringblk_zone_cond_name(z.cond), wr, rs);
}

/**
 * uringblk_zone_table_read() - read part of the zone table
 * @dev: the zoned device
 * @buf: where the text goes
 * @off: byte offset into the table
 * @count: bytes wanted
 *
 * The text is read at any offset, a line at a time formatted whole.
 * May sleep.  Return: bytes copied (0 at or past the end).
 */
ssize_t uringblk_zone_table_read(struct uringblk_dev *dev, char *buf,
				 loff_t off, size_t count)
{
	const u32 w = URINGBLK_ZONE_LINE_LEN;
	u64 size = (1 + (u64)uringblk_zone_count(dev)) * w;
	char line[URINGBLK_ZONE_LINE_LEN + 1];
	size_t done = 0;

	if (off < 0 || off >= size)
		return 0;
	count = min_t(u64, count, size - off);
	while (done < count) {
		u32 col;
		u64 nr = div_u64_rem(off + done, w, &col);	/* line number */
		size_t n = min_t(size_t, w - col, count - done);

		uringblk_zone_line(dev, nr, line);
		memcpy(buf + done, line + col, n);
		done += n;
	}
	return done;
}

/**
 * uringblk_zone_attr_mode() - the mode of a file that only a zoned drive has
 * @dev: the device
 * @mode: the file's mode
 *
 * For the is_visible hooks of the groups holding such files (stats.c's
 * zone table, fault.c's bad zones).  Does not sleep.
 * Return: @mode on a zoned drive, 0 (the file is not shown) otherwise.
 */
umode_t uringblk_zone_attr_mode(const struct uringblk_dev *dev, umode_t mode)
{
	return dev->zoned ? mode : 0;
}
