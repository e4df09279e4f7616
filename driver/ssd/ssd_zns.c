// SPDX-License-Identifier: GPL-2.0
/*
 * Zoned namespaces on the NAND array (SSD_MODE_ZNS): a zone is a line,
 * block i of every plane of every die, so a zone's writes are spread over
 * every die and its reset is one erase per die, in parallel.  No map and
 * no GC: a zone's offset gives its program unit as the FTL's write point
 * would fill the line in order, channel first (unit u is page u / ndies
 * of die u % ndies), and the zone's write pointer says what is written.
 *
 * Each zone's unit being filled sits in the write buffer until it is
 * full: writes are acknowledged from the buffer, a full unit is
 * programmed and frees its slots when the program ends.  The buffer is
 * assumed power-loss protected (as the GC write point's unit is in the
 * FTL, and as enterprise ZNS drives are): FLUSH and FUA wait for the
 * programs under way, and do not close a zone's partial unit, which would
 * break the offset-to-unit rule.  Were every buffer slot held by partial
 * units (more zones written at once than the buffer has units for; a
 * drive's zone_max_active keeps that from happening), the partial unit
 * holding most is programmed padded to make room ("eviction").
 *
 * Zone Reset erases the zone's line if anything was written to it since
 * its last erase; Zone Finish programs its partial unit padded; Zone
 * Append writes at the zone's write pointer as the model knows it.
 */
#include "ssd.h"

static u64 ssd_zns_zone(const struct ssd *ssd, u64 lpn)
{
	return ssd_div64(lpn, ssd->zone_lpages);
}

/* Program @z's partial unit now (full, or padded), releasing its slots. */
static void ssd_zns_prog(struct ssd *ssd, u32 z)
{
	u32 unit = (ssd->zone_wp[z] - 1) / ssd->slots_per_unit;
	u64 end = ssd_nand_prog(ssd, unit % ssd->ndies, ssd->zone_ready[z]);

	ssd->cnt.nand_pages_padded += ssd->slots_per_unit - ssd->zone_buf[z];
	ssd_wb_push(ssd, end, ssd->zone_buf[z]);
	ssd->zone_buf[z] = 0;
	ssd->zone_ready[z] = 0;
}

/*
 * Every free buffer slot is taken and no program is under way to free
 * one: only partial units hold the buffer.  Program the largest.
 */
static void ssd_zns_evict(struct ssd *ssd)
{
	u32 z, best = SSD_NONE, most = 0;

	for (z = 0; z < ssd->nlines; z++) {
		if (ssd->zone_buf[z] > most) {
			most = ssd->zone_buf[z];
			best = z;
		}
	}
	if (best != SSD_NONE)
		ssd_zns_prog(ssd, best);
}

/**
 * ssd_zns_slot() - where a zoned drive's 4 KiB page is on NAND
 * @ssd: the model, SSD_MODE_ZNS
 * @lpn: the page
 *
 * Return: its slot; SSD_NONE when no NAND read is needed: beyond the write
 * pointer (never written since the reset) or still in the write buffer.
 */
u32 ssd_zns_slot(const struct ssd *ssd, u64 lpn)
{
	u32 z = (u32)ssd_zns_zone(ssd, lpn);
	u64 off = lpn - (u64)z * ssd->zone_lpages;

	if (off >= ssd->zone_wp[z] - ssd->zone_buf[z])
		return SSD_NONE;
	return z * ssd->slots_per_line + (u32)off;
}

/**
 * ssd_zns_write() - a write or a zone append on a zoned drive
 * @ssd: the model, SSD_MODE_ZNS
 * @lpn: the first page (an append: the zone's first page)
 * @nlp: pages
 * @append: write at the zone's write pointer rather than at @lpn
 * @now: the command's arrival
 * @end: set to when the last page is in the write buffer
 *
 * The host link, then the write buffer, page by page; a full unit is
 * programmed.  A write must start at the zone's write pointer and stay
 * within the zone's capacity (the line), as the drive checks: the model
 * refuses anything else without changing, so a write the drive fails
 * costs nothing here.
 *
 * Return: 0, or -EINVAL for a write the model refuses.
 */
int ssd_zns_write(struct ssd *ssd, u64 lpn, u64 nlp, bool append, u64 now,
		  u64 *end)
{
	u32 z = (u32)ssd_zns_zone(ssd, lpn);
	u64 off, i, t = now, data;

	*end = now;
	if (!nlp)
		return 0;
	off = append ? ssd->zone_wp[z] : lpn - (u64)z * ssd->zone_lpages;
	if (off != ssd->zone_wp[z] || nlp > ssd->slots_per_line - off)
		return -EINVAL;
	data = ssd_link_xfer(ssd, nlp << SSD_LPAGE_SHIFT, now);
	ssd->cnt.host_pages_written += nlp;
	ssd->line_state[z] = SSD_LINE_OPEN;
	for (i = 0; i < nlp; i++) {
		if (!ssd->wb_free && !ssd->wb_nheap)
			ssd_zns_evict(ssd);
		t = ssd_wb_admit(ssd, t);
		ssd->zone_wp[z]++;
		ssd->zone_buf[z]++;
		ssd->zone_ready[z] = ssd_max(ssd->zone_ready[z], ssd_max(t, data));
		ssd->cnt.nand_pages_written++;
		if (ssd->zone_wp[z] % ssd->slots_per_unit == 0)
			ssd_zns_prog(ssd, z);
	}
	if (ssd->zone_wp[z] == ssd->slots_per_line)
		ssd->line_state[z] = SSD_LINE_FULL;
	*end = ssd_max(t, data);
	return 0;
}

/**
 * ssd_zns_mgmt() - Zone Reset or Zone Finish of the zones in a range
 * @ssd: the model, SSD_MODE_ZNS
 * @op: SSD_ZONE_RESET or SSD_ZONE_FINISH
 * @lpn: a page of the first zone
 * @nlp: pages; 0: the one zone holding @lpn
 * @now: the command's arrival
 *
 * Reset: a zone written since its last erase is erased (tBERS on every
 * die, after what the die is doing); its buffered pages are dropped and
 * its write pointer goes back to its start.  Finish: the partial unit is
 * programmed padded and the zone is full (an empty one stays erased);
 * over a range (NVMe's Select All) only zones written to are finished.
 *
 * Return: when the last erase has ended (Reset), or @now.
 */
u64 ssd_zns_mgmt(struct ssd *ssd, enum ssd_op op, u64 lpn, u64 nlp, u64 now)
{
	u64 z = ssd_zns_zone(ssd, lpn), last = nlp ? ssd_zns_zone(ssd, lpn + nlp - 1) : z;
	u64 end = now;
	u32 d;

	for (; z <= last; z++) {
		if (op == SSD_ZONE_FINISH) {
			/* a range (Select All) finishes open or closed zones */
			if (nlp && !ssd->zone_wp[z])
				continue;
			if (ssd->zone_buf[z])
				ssd_zns_prog(ssd, (u32)z);
			ssd->zone_wp[z] = ssd->slots_per_line;
			if (ssd->line_state[z] == SSD_LINE_OPEN)
				ssd->line_state[z] = SSD_LINE_FULL;
			continue;
		}
		/* its buffered pages are dropped: their slots are free */
		ssd->wb_free += ssd->zone_buf[z];
		ssd->zone_buf[z] = 0;
		ssd->zone_ready[z] = 0;
		ssd->zone_wp[z] = 0;
		if (ssd->line_state[z] == SSD_LINE_FREE)
			continue;	/* nothing programmed since its erase */
		for (d = 0; d < ssd->ndies; d++)
			end = ssd_max(end, ssd_nand_erase(ssd, d, now));
		ssd->line_erases[z]++;
		ssd->line_state[z] = SSD_LINE_FREE;
	}
	return end;
}
