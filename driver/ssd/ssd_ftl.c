// SPDX-License-Identifier: GPL-2.0
/*
 * The flash translation layer: a page-level map (4 KiB logical pages to
 * 4 KiB slots of NAND pages) and its reverse for GC, two write points
 * (host, GC) that fill lines (block i of every plane of every die) one
 * program unit at a time, striped across dies channel first, a DRAM write
 * buffer that acknowledges writes, trim, and greedy GC that places its
 * reads, programs and erases on the same die timelines as host I/O
 * (ssd_nand.c), so GC shows in the latency the host sees.
 *
 * Physical slot numbering: slot = (line x units_per_line + unit) x
 * slots_per_unit + i, and unit u of a line is page u / ndies of die
 * u % ndies.  A write point opens each unit on the die that is idle
 * first (round robin on an idle array), each die's block filling page by
 * page; the line is full when every block is.
 */
#include "ssd.h"

static inline u32 ssd_slot_unit(const struct ssd *ssd, u32 slot)
{
	return slot / ssd->slots_per_unit;
}

static inline u32 ssd_unit_die(const struct ssd *ssd, u32 unit)
{
	return (unit % ssd->units_per_line) % ssd->ndies;
}

/* Has this slot's unit still to be programmed (its data in DRAM)? */
static bool ssd_slot_buffered(const struct ssd *ssd, u32 slot)
{
	const struct ssd_wp *wps[2] = { &ssd->host_wp, &ssd->gc_wp };
	u32 unit = ssd_slot_unit(ssd, slot);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(wps); i++) {
		if (wps[i]->line != SSD_NONE && wps[i]->unit != SSD_NONE &&
		    unit == wps[i]->line * ssd->units_per_line + wps[i]->unit)
			return true;
	}
	return false;
}

/* ---- the write buffer: a min-heap of pending releases ---- */

static void ssd_wb_swap(struct ssd_wb_rel *a, struct ssd_wb_rel *b)
{
	struct ssd_wb_rel t = *a;

	*a = *b;
	*b = t;
}

void ssd_wb_push(struct ssd *ssd, u64 end_ns, u32 count)
{
	struct ssd_wb_rel *h = ssd->wb_heap;
	u32 i = ssd->wb_nheap++;

	h[i].end_ns = end_ns;
	h[i].count = count;
	while (i && h[(i - 1) / 2].end_ns > h[i].end_ns) {
		ssd_wb_swap(&h[(i - 1) / 2], &h[i]);
		i = (i - 1) / 2;
	}
}

static struct ssd_wb_rel ssd_wb_pop(struct ssd *ssd)
{
	struct ssd_wb_rel *h = ssd->wb_heap;
	struct ssd_wb_rel top = h[0];
	u32 i = 0, n = --ssd->wb_nheap;

	h[0] = h[n];
	for (;;) {
		u32 l = 2 * i + 1, r = l + 1, m = i;

		if (l < n && h[l].end_ns < h[m].end_ns)
			m = l;
		if (r < n && h[r].end_ns < h[m].end_ns)
			m = r;
		if (m == i)
			break;
		ssd_wb_swap(&h[i], &h[m]);
		i = m;
	}
	return top;
}

/*
 * Admit one 4 KiB page into the buffer no earlier than @t: writes are
 * admitted in order, and wait for the programs that free buffer slots.
 * There is always one pending when the buffer is full, because a unit is
 * programmed as soon as it is full and the buffer holds at least one.
 */
u64 ssd_wb_admit(struct ssd *ssd, u64 t)
{
	t = ssd_max(t, ssd->wb_time_ns);
	while (ssd->wb_nheap && ssd->wb_heap[0].end_ns <= t)
		ssd->wb_free += ssd_wb_pop(ssd).count;
	while (!ssd->wb_free && ssd->wb_nheap) {
		struct ssd_wb_rel r = ssd_wb_pop(ssd);

		t = ssd_max(t, r.end_ns);
		ssd->wb_free += r.count;
	}
	ssd->wb_free--;
	ssd->wb_time_ns = t;
	return t;
}

/* When is everything in the buffer on NAND? */
static u64 ssd_wb_drained(const struct ssd *ssd, u64 t)
{
	u32 i;

	for (i = 0; i < ssd->wb_nheap; i++)
		t = ssd_max(t, ssd->wb_heap[i].end_ns);
	return t;
}

/* ---- lines and write points ---- */

/*
 * Full lines sit in buckets by valid count (valid >> vb_shift, at most
 * SSD_VB_MAX buckets), each a doubly linked list, so that GC's victim is
 * found without scanning every line: the lowest non-empty bucket, then the
 * line in it with the fewest valid pages and, as the scan did, the lowest
 * index.  vb_min is at or below the lowest non-empty bucket.
 */
static u32 ssd_vb(const struct ssd *ssd, u32 line)
{
	return ssd->line_valid[line] >> ssd->vb_shift;
}

static void ssd_vb_insert(struct ssd *ssd, u32 line)
{
	u32 b = ssd_vb(ssd, line);

	ssd->vb_prev[line] = SSD_NONE;
	ssd->vb_next[line] = ssd->vb_head[b];
	if (ssd->vb_head[b] != SSD_NONE)
		ssd->vb_prev[ssd->vb_head[b]] = line;
	ssd->vb_head[b] = line;
	if (b < ssd->vb_min)
		ssd->vb_min = b;
}

/* @b: the bucket @line is in (its valid count may have just changed) */
static void ssd_vb_remove(struct ssd *ssd, u32 line, u32 b)
{
	if (ssd->vb_prev[line] != SSD_NONE)
		ssd->vb_next[ssd->vb_prev[line]] = ssd->vb_next[line];
	else
		ssd->vb_head[b] = ssd->vb_next[line];
	if (ssd->vb_next[line] != SSD_NONE)
		ssd->vb_prev[ssd->vb_next[line]] = ssd->vb_prev[line];
}

static void ssd_line_set_state(struct ssd *ssd, u32 line, u8 state)
{
	if (ssd->line_state[line] == SSD_LINE_FULL)
		ssd_vb_remove(ssd, line, ssd_vb(ssd, line));
	ssd->line_state[line] = state;
	if (state == SSD_LINE_FULL)
		ssd_vb_insert(ssd, line);
}

static u32 ssd_take_line(struct ssd *ssd)
{
	u32 line;

	if (!ssd->nfree)
		return SSD_NONE;
	line = ssd->free_ring[ssd->free_head];
	ssd->free_head = (ssd->free_head + 1) % ssd->nlines;
	ssd->nfree--;
	ssd_line_set_state(ssd, line, SSD_LINE_OPEN);
	return line;
}

static void ssd_put_free_line(struct ssd *ssd, u32 line)
{
	ssd->free_ring[(ssd->free_head + ssd->nfree) % ssd->nlines] = line;
	ssd->nfree++;
	ssd_line_set_state(ssd, line, SSD_LINE_FREE);
}

static void ssd_unmap(struct ssd *ssd, u64 lpn)
{
	u32 slot = ssd->l2p[lpn], line, b;

	if (slot == SSD_NONE)
		return;
	line = slot / ssd->slots_per_line;
	b = ssd_vb(ssd, line);
	ssd->p2l[slot] = SSD_NONE;
	ssd->line_valid[line]--;
	ssd->l2p[lpn] = SSD_NONE;
	if (ssd->line_state[line] == SSD_LINE_FULL && ssd_vb(ssd, line) != b) {
		ssd_vb_remove(ssd, line, b);
		ssd_vb_insert(ssd, line);
	}
}

static void ssd_map(struct ssd *ssd, u64 lpn, u32 slot)
{
	ssd->l2p[lpn] = slot;
	ssd->p2l[slot] = (u32)lpn;
	ssd->line_valid[slot / ssd->slots_per_line]++;
}

/* @wp starts filling @line (SSD_NONE: there was none free). */
static void ssd_wp_start(struct ssd *ssd, struct ssd_wp *wp, u32 line)
{
	u32 d;

	wp->line = line;
	wp->used = 0;
	wp->unit = SSD_NONE;
	for (d = 0; d < ssd->ndies; d++)
		wp->die_page[d] = 0;
}

/*
 * Open @wp's next unit for data ready at @ready, among the dies whose
 * block in the line has a page left: the die whose timeline it leaves
 * the smallest hole in (max(@ready, free) - free: a single next-free time
 * per die cannot fill holes later), then the one that starts it first,
 * looking from the die after the last one used.  Host data is ready now,
 * so host units go to the die idle first (round robin on an idle array,
 * never behind a die GC keeps busy while others idle); GC moves, ready
 * when their read ends, go where waiting for that read wastes least.
 */
static void ssd_wp_open_unit(struct ssd *ssd, struct ssd_wp *wp, u64 ready)
{
	u64 best_hole = U64_MAX, best_start = U64_MAX;
	u32 best = SSD_NONE, i;

	for (i = 1; i <= ssd->ndies; i++) {
		u32 d = (wp->last_die + i) % ssd->ndies;
		u64 start, hole;

		if (wp->die_page[d] == ssd->cfg.pages_per_block)
			continue;
		start = ssd_max(ready, ssd->die_free_ns[d]);
		hole = start - ssd->die_free_ns[d];
		if (hole < best_hole ||
		    (hole == best_hole && start < best_start)) {
			best = d;
			best_hole = hole;
			best_start = start;
		}
	}
	wp->last_die = best;
	wp->unit = wp->die_page[best]++ * ssd->ndies + best;
}

/* The next slot of @wp's open unit, opening one if needed. */
static u32 ssd_wp_slot(struct ssd *ssd, struct ssd_wp *wp, u64 ready)
{
	if (wp->unit == SSD_NONE)
		ssd_wp_open_unit(ssd, wp, ready);
	return (wp->line * ssd->units_per_line + wp->unit) *
		ssd->slots_per_unit + wp->filled;
}

/* @wp's unit is programmed (or closed): move on, closing a full line. */
static void ssd_wp_advance(struct ssd *ssd, struct ssd_wp *wp)
{
	wp->filled = 0;
	wp->ready_ns = 0;
	wp->unit = SSD_NONE;
	if (++wp->used == ssd->units_per_line) {
		ssd_line_set_state(ssd, wp->line, SSD_LINE_FULL);
		wp->line = SSD_NONE;
	}
}

static u32 ssd_wp_die(const struct ssd *ssd, const struct ssd_wp *wp)
{
	return wp->unit % ssd->ndies;
}

/* A GC move: @lpn's data, read by @ready, goes to the GC write point. */
static void ssd_gc_append(struct ssd *ssd, u64 lpn, u64 ready)
{
	struct ssd_wp *wp = &ssd->gc_wp;

	if (wp->line == SSD_NONE)	/* never none free: ssd_cfg_check() */
		ssd_wp_start(ssd, wp, ssd_take_line(ssd));
	ssd_unmap(ssd, lpn);
	ssd_map(ssd, lpn, ssd_wp_slot(ssd, wp, ready));
	wp->ready_ns = ssd_max(wp->ready_ns, ready);
	ssd->cnt.gc_pages_moved++;
	ssd->cnt.nand_pages_written++;
	if (++wp->filled == ssd->slots_per_unit) {
		ssd_nand_prog(ssd, ssd_wp_die(ssd, wp), wp->ready_ns);
		ssd_wp_advance(ssd, wp);
	}
}

/*
 * The full line with the fewest valid pages (the lowest index of those),
 * or SSD_NONE: the buckets' answer.
 */
static u32 ssd_gc_victim(struct ssd *ssd)
{
	u32 best = SSD_NONE, bestv = U32_MAX, l;

	while (ssd->vb_min < ssd->vb_n && ssd->vb_head[ssd->vb_min] == SSD_NONE)
		ssd->vb_min++;
	if (ssd->vb_min == ssd->vb_n)
		return SSD_NONE;
	for (l = ssd->vb_head[ssd->vb_min]; l != SSD_NONE; l = ssd->vb_next[l]) {
		if (ssd->line_valid[l] < bestv ||
		    (ssd->line_valid[l] == bestv && l < best)) {
			best = l;
			bestv = ssd->line_valid[l];
		}
	}
	return best;
}

/**
 * ssd_gc_victim_peek() - the victim greedy GC would take now
 * @ssd: the model
 *
 * Return: as ssd_gc_victim_scan(), from the buckets; nothing is collected.
 */
u32 ssd_gc_victim_peek(struct ssd *ssd)
{
	return ssd_gc_victim(ssd);
}

/**
 * ssd_gc_victim_scan() - greedy GC's victim by scanning every line
 * @ssd: the model
 *
 * The reference ssd_gc_victim()'s buckets must agree with (ssdtest).
 *
 * Return: the full line with the fewest valid pages, the lowest index of
 * those, or SSD_NONE.
 */
u32 ssd_gc_victim_scan(const struct ssd *ssd)
{
	u32 best = SSD_NONE, bestv = U32_MAX, i;

	for (i = 0; i < ssd->nlines; i++) {
		if (ssd->line_state[i] == SSD_LINE_FULL &&
		    ssd->line_valid[i] < bestv) {
			best = i;
			bestv = ssd->line_valid[i];
		}
	}
	return best;
}

/*
 * Collect unit @u of @line from @t: if it holds valid pages, the
 * firmware's time for them (fw_gc_ns each, on a core), then its read, and
 * move them to the GC write point.
 */
static void ssd_gc_unit(struct ssd *ssd, u32 line, u32 u, u64 t)
{
	u32 slot0 = (line * ssd->units_per_line + u) * ssd->slots_per_unit;
	u32 n = 0, i;
	u64 ready;

	for (i = 0; i < ssd->slots_per_unit; i++)
		n += ssd->p2l[slot0 + i] != SSD_NONE;
	if (!n)
		return;
	if (ssd->cfg.fw_gc_ns)
		t = ssd_ctrl(ssd, t, (u64)n * ssd->cfg.fw_gc_ns);
	ready = ssd_nand_read(ssd, u % ssd->ndies, n, t);
	for (i = 0; i < ssd->slots_per_unit; i++) {
		u32 lpn = ssd->p2l[slot0 + i];

		if (lpn != SSD_NONE)
			ssd_gc_append(ssd, lpn, ready);
	}
}

/* Every unit collected: erase the line's block on every die, free it. */
static void ssd_gc_erase(struct ssd *ssd, u32 line, u64 t)
{
	u32 d;

	for (d = 0; d < ssd->ndies; d++)
		ssd_nand_erase(ssd, d, t);
	ssd->line_erases[line]++;
	ssd->cnt.gc_runs++;
	ssd_put_free_line(ssd, line);
}

/* Collect the rest of @line at @t, from unit @from. */
static void ssd_gc_line(struct ssd *ssd, u32 line, u32 from, u64 t)
{
	u32 u;

	for (u = from; u < ssd->units_per_line; u++)
		ssd_gc_unit(ssd, line, u, t);
	ssd_gc_erase(ssd, line, t);
	ssd->cnt.gc_forced_runs++;
}

/* Paced GC: choose the next victim while fewer than gc_high are free. */
static void ssd_gc_pace_start(struct ssd *ssd)
{
	u32 v;

	if (ssd->gc_victim != SSD_NONE ||
	    ssd->nfree >= ssd->cfg.gc_high_lines)
		return;
	v = ssd_gc_victim(ssd);
	if (v == SSD_NONE || ssd->line_valid[v] == ssd->slots_per_line)
		return;
	ssd->gc_victim = v;
	ssd->gc_vunit = 0;
	ssd->gc_cost = ssd->slots_per_line - ssd->line_valid[v];
	ssd->gc_credit = 0;
	ssd_line_set_state(ssd, v, SSD_LINE_VICTIM);
}

/*
 * One host page written at @t: paced GC collects units_per_line units
 * per gc_cost host pages, so the victim is free by the time the host has
 * filled the room it gives back.
 */
static void ssd_gc_pace(struct ssd *ssd, u64 t)
{
	if (ssd->gc_victim == SSD_NONE)
		return;
	ssd->gc_credit += ssd->units_per_line;
	while (ssd->gc_victim != SSD_NONE && ssd->gc_credit >= ssd->gc_cost) {
		ssd->gc_credit -= ssd->gc_cost;
		ssd_gc_unit(ssd, ssd->gc_victim, ssd->gc_vunit, t);
		if (++ssd->gc_vunit == ssd->units_per_line) {
			ssd_gc_erase(ssd, ssd->gc_victim, t);
			ssd->gc_victim = SSD_NONE;
			ssd_gc_pace_start(ssd);
		}
	}
}

/*
 * The host write point needs a line.  At most gc_low free: finish paced
 * GC's victim and collect whole lines until gc_high are free, the host
 * waiting (ssd_cfg_check()'s capacity limit makes a victim with an
 * invalid page exist whenever fewer than gc_high are free, so the loop
 * ends and a line is there).  Then take one, and let paced GC start.
 */
static u32 ssd_host_line(struct ssd *ssd, u64 t)
{
	u32 line;

	if (ssd->nfree <= ssd->cfg.gc_low_lines) {
		if (ssd->gc_victim != SSD_NONE) {
			ssd_gc_line(ssd, ssd->gc_victim, ssd->gc_vunit, t);
			ssd->gc_victim = SSD_NONE;
		}
		while (ssd->nfree < ssd->cfg.gc_high_lines) {
			u32 v = ssd_gc_victim(ssd);

			if (v == SSD_NONE ||
			    ssd->line_valid[v] == ssd->slots_per_line)
				break;
			ssd_gc_line(ssd, v, 0, t);
		}
	}
	line = ssd_take_line(ssd);
	if (ssd->cfg.gc_paced)
		ssd_gc_pace_start(ssd);
	return line;
}

/* Program the host write point's unit (full, or closed early by FLUSH). */
static void ssd_host_prog(struct ssd *ssd)
{
	struct ssd_wp *wp = &ssd->host_wp;
	u64 end = ssd_nand_prog(ssd, ssd_wp_die(ssd, wp), wp->ready_ns);

	ssd->cnt.nand_pages_padded += ssd->slots_per_unit - wp->filled;
	ssd_wb_push(ssd, end, wp->filled);
	ssd_wp_advance(ssd, wp);
}

/* ---- commands ---- */

static int ssd_write(struct ssd *ssd, u64 lpn, u64 nlp, bool append, u64 now,
		     u64 *done)
{
	struct ssd_wp *wp = &ssd->host_wp;
	u64 data, t = now, end, i;

	if (ssd->cfg.mode == SSD_MODE_ZNS) {
		if (ssd_zns_write(ssd, lpn, nlp, append, now, &end))
			return -EINVAL;
		*done = ssd_ctrl(ssd, end, ssd->cfg.fw_write_ns);
		return 0;
	}
	data = ssd_link_xfer(ssd, nlp << SSD_LPAGE_SHIFT, now);
	end = data;
	ssd->cnt.host_pages_written += nlp;
	if (ssd->cfg.mode == SSD_MODE_INPLACE) {
		for (i = 0; i < nlp; i++) {
			u32 die = (lpn + i) % ssd->ndies;

			end = ssd_max(end, ssd_nand_prog(ssd, die, data));
		}
		ssd->cnt.nand_pages_written += nlp;
		*done = ssd_ctrl(ssd, end, ssd->cfg.fw_write_ns);
		return 0;
	}
	for (i = 0; i < nlp; i++) {
		t = ssd_wb_admit(ssd, t);
		if (wp->line == SSD_NONE) {
			ssd_wp_start(ssd, wp, ssd_host_line(ssd, t));
			if (wp->line == SSD_NONE)
				return -ENOSPC;	/* not reached: ssd_cfg_check() */
		}
		ssd_unmap(ssd, lpn + i);
		ssd_map(ssd, lpn + i, ssd_wp_slot(ssd, wp, 0));
		ssd->cnt.nand_pages_written++;
		wp->ready_ns = ssd_max(wp->ready_ns, ssd_max(t, data));
		if (++wp->filled == ssd->slots_per_unit)
			ssd_host_prog(ssd);
		ssd_gc_pace(ssd, t);
	}
	*done = ssd_ctrl(ssd, ssd_max(t, data), ssd->cfg.fw_write_ns);
	return 0;
}

/* Everything acknowledged is on NAND: close the open unit, wait for all. */
static u64 ssd_flush(struct ssd *ssd, u64 now)
{
	if (ssd->cfg.mode == SSD_MODE_INPLACE)
		return now;
	if (ssd->host_wp.line != SSD_NONE && ssd->host_wp.filled) {
		ssd->host_wp.ready_ns = ssd_max(ssd->host_wp.ready_ns, now);
		ssd_host_prog(ssd);
	}
	return ssd_wb_drained(ssd, now);
}

static void ssd_read(struct ssd *ssd, u64 lpn, u64 nlp, u32 flags, u64 now,
		     u64 *done)
{
	u64 t0 = ssd_ctrl(ssd, now, ssd->cfg.fw_read_ns), end = t0, i;
	u32 cur = SSD_NONE, n = 0;

	if (flags & SSD_REQ_INTERNAL)
		ssd->cnt.internal_pages_read += nlp;
	else
		ssd->cnt.host_pages_read += nlp;
	for (i = 0; i < nlp; i++) {
		u32 slot, unit;

		if (ssd->cfg.mode == SSD_MODE_INPLACE) {
			u32 die = (lpn + i) % ssd->ndies;

			end = ssd_max(end, ssd_nand_read(ssd, die, 1, t0));
			continue;
		}
		slot = ssd->cfg.mode == SSD_MODE_ZNS ? ssd_zns_slot(ssd, lpn + i) :
		       ssd->l2p[lpn + i];
		if (slot == SSD_NONE || ssd_slot_buffered(ssd, slot)) {
			ssd->cnt.buffer_read_hits++;
			continue;
		}
		/* pages of one NAND page in a row: one tR */
		unit = ssd_slot_unit(ssd, slot);
		if (unit != cur && n) {
			end = ssd_max(end, ssd_nand_read(ssd, ssd_unit_die(ssd, cur), n, t0));
			n = 0;
		}
		cur = unit;
		n++;
	}
	if (n)
		end = ssd_max(end, ssd_nand_read(ssd, ssd_unit_die(ssd, cur), n, t0));
	*done = flags & SSD_REQ_INTERNAL ? end :
		ssd_link_xfer(ssd, nlp << SSD_LPAGE_SHIFT, end);
}

/**
 * ssd_submit() - run one host command in model time
 * @ssd: the model
 * @op: what
 * @lpn: first 4 KiB page (ignored for FLUSH)
 * @nlp: 4 KiB pages (ignored for FLUSH)
 * @flags: SSD_REQ_FUA for a write that completes only once on NAND
 *	(modelled as the write followed by FLUSH); SSD_REQ_INTERNAL for a
 *	read whose data stays in the drive (no host link)
 * @now_ns: when the command reaches the drive; calls should come in
 *	non-decreasing @now_ns (the write buffer admits in that order)
 * @done_ns: set to when the command completes
 *
 * Controller time (fw_read_ns, fw_write_ns) runs on one of ctrl_cores
 * cores, the first free (ssd_ctrl()).
 * Read: controller time fw_read_ns, then one NAND read per NAND page
 * touched (pages still in the write buffer, and unmapped pages, cost
 * none), then the host link.  Write: the host link, then admission into
 * the write buffer (which waits for programs to free room), then
 * fw_write_ns; full program units go to NAND as they fill.  Trim:
 * fw_write_ns.  Flush: when every buffered page is programmed (a zoned
 * drive's partial units excepted: ssd_zns.c).  Append, Zone Reset and
 * Zone Finish: ssd_zns.c, then fw_write_ns.
 *
 * Context: any; does not sleep or allocate.  Calls on one model must be
 * serialised by the caller.
 * Return: 0, -EINVAL for a range beyond the capacity, an unknown op, a
 * zone op on a drive without zones, or a zoned write not at its write
 * pointer or past its zone's capacity (nothing changes).
 */
int ssd_submit(struct ssd *ssd, enum ssd_op op, u64 lpn, u64 nlp, u32 flags,
	       u64 now_ns, u64 *done_ns)
{
	u64 i, done = now_ns;
	int err;

	if (op != SSD_FLUSH && (lpn > ssd->lpages || nlp > ssd->lpages - lpn))
		return -EINVAL;
	/* a zone op names a zone by a page of it */
	if ((op == SSD_ZONE_RESET || op == SSD_ZONE_FINISH || op == SSD_APPEND) &&
	    lpn == ssd->lpages)
		return -EINVAL;
	ssd->now_ns = ssd_max(ssd->now_ns, now_ns);
	switch (op) {
	case SSD_READ:
		ssd_read(ssd, lpn, nlp, flags, now_ns, done_ns);
		return 0;
	case SSD_WRITE:
	case SSD_APPEND:
		err = ssd_write(ssd, lpn, nlp, op == SSD_APPEND, now_ns, &done);
		if (!err && (flags & SSD_REQ_FUA))
			done = ssd_max(done, ssd_flush(ssd, now_ns));
		*done_ns = done;
		return err;
	case SSD_TRIM:
		for (i = 0; i < nlp && ssd->cfg.mode == SSD_MODE_FTL; i++) {
			if (ssd->l2p[lpn + i] != SSD_NONE) {
				ssd_unmap(ssd, lpn + i);
				ssd->cnt.host_pages_trimmed++;
			}
		}
		*done_ns = ssd_ctrl(ssd, now_ns, ssd->cfg.fw_write_ns);
		return 0;
	case SSD_FLUSH:
		*done_ns = ssd_flush(ssd, now_ns);
		return 0;
	case SSD_ZONE_RESET:
	case SSD_ZONE_FINISH:
		if (ssd->cfg.mode != SSD_MODE_ZNS)
			return -EINVAL;
		*done_ns = ssd_ctrl(ssd, ssd_zns_mgmt(ssd, op, lpn, nlp, now_ns),
				    ssd->cfg.fw_write_ns);
		return 0;
	}
	return -EINVAL;
}

/**
 * ssd_submit_bytes() - ssd_submit() with a byte range
 * @ssd: the model
 * @op: what
 * @off: first byte
 * @len: bytes; the range is widened to whole 4 KiB pages
 * @flags: as ssd_submit()
 * @now_ns: as ssd_submit()
 * @done_ns: as ssd_submit()
 *
 * Context: as ssd_submit().
 * Return: as ssd_submit().
 */
int ssd_submit_bytes(struct ssd *ssd, enum ssd_op op, u64 off, u64 len,
		     u32 flags, u64 now_ns, u64 *done_ns)
{
	u64 first = off >> SSD_LPAGE_SHIFT;
	u64 last;

	if (len > U64_MAX - off - (SSD_LPAGE_SIZE - 1))
		return -EINVAL;
	last = (off + len + SSD_LPAGE_SIZE - 1) >> SSD_LPAGE_SHIFT;
	return ssd_submit(ssd, op, first, last - first, flags, now_ns, done_ns);
}

/* ---- life cycle ---- */

static size_t ssd_line_bytes(void)
{
	/* valid, erases, free ring, bucket links, state */
	return 5 * sizeof(u32) + sizeof(u8);
}

/**
 * ssd_state_bytes() - the memory ssd_init() allocates for a configuration
 * @cfg: a configuration that passed ssd_cfg_check()
 *
 * About 2.1 MiB per GiB exported at 7% over-provisioning: 4 bytes per
 * exported 4 KiB page (the map) and 4 per physical 4 KiB slot (the
 * reverse map), plus per line, per die and the write buffer's heap.
 *
 * Return: bytes.
 */
size_t ssd_state_bytes(const struct ssd_cfg *cfg)
{
	u64 ndies = (u64)cfg->channels * cfg->dies_per_channel;
	u64 slots = ndies * cfg->planes_per_die * cfg->pages_per_block *
		    (cfg->page_size >> SSD_LPAGE_SHIFT) * cfg->blocks_per_plane;
	u64 lpages = cfg->capacity_lpages ? cfg->capacity_lpages :
		     ssd_cfg_max_lpages(cfg);
	u64 b = ndies * (5 * sizeof(u64) + 2 * sizeof(u32)) +
		(cfg->ctrl_cores + 1) * sizeof(u64) +
		(cfg->channels + 1) * (sizeof(u64) + 2 * sizeof(u32) +
				       SSD_CH_BOOKINGS * sizeof(struct ssd_booking)) +
		(u64)(cfg->wb_bytes >> SSD_LPAGE_SHIFT) * sizeof(struct ssd_wb_rel);

	if (cfg->mode == SSD_MODE_ZNS)
		b += (u64)cfg->blocks_per_plane *
		     (3 * sizeof(u32) + sizeof(u64) + sizeof(u8));
	else if (cfg->mode == SSD_MODE_FTL)
		b += lpages * sizeof(u32) + slots * sizeof(u32) +
		     (u64)cfg->blocks_per_plane * ssd_line_bytes() +
		     SSD_VB_MAX * sizeof(u32);
	return b;
}

/**
 * ssd_destroy() - free what ssd_init() allocated
 * @ssd: the model (zeroed or initialised)
 *
 * Context: may sleep (kvfree).
 */
void ssd_destroy(struct ssd *ssd)
{
	ssd_free(ssd->l2p);
	ssd_free(ssd->p2l);
	ssd_free(ssd->line_valid);
	ssd_free(ssd->line_erases);
	ssd_free(ssd->line_state);
	ssd_free(ssd->free_ring);
	ssd_free(ssd->vb_head);
	ssd_free(ssd->vb_next);
	ssd_free(ssd->vb_prev);
	ssd_free(ssd->die_free_ns);
	ssd_free(ssd->die_cache_ns);
	ssd_free(ssd->die_busy_ns);
	ssd_free(ssd->ch_free_ns);
	ssd_free(ssd->ch_book);
	ssd_free(ssd->ch_nbook);
	ssd_free(ssd->ch_bhead);
	ssd_free(ssd->link_book);
	ssd_free(ssd->die_hole_start);
	ssd_free(ssd->die_hole_end);
	ssd_free(ssd->wp_die_page);
	ssd_free(ssd->wb_heap);
	ssd_free(ssd->zone_wp);
	ssd_free(ssd->zone_buf);
	ssd_free(ssd->zone_ready);
	ssd_free(ssd->ctrl_free_ns);
	memset(ssd, 0, sizeof(*ssd));
}

/* SSD_MODE_ZNS: every zone empty and erased, no map, no GC. */
static int ssd_init_zns(struct ssd *ssd)
{
	ssd->zone_lpages = ssd->cfg.zone_lpages ? ssd->cfg.zone_lpages :
			   ssd->slots_per_line;
	ssd->zone_wp = ssd_zalloc(ssd->nlines * sizeof(u32));
	ssd->zone_buf = ssd_zalloc(ssd->nlines * sizeof(u32));
	ssd->zone_ready = ssd_zalloc(ssd->nlines * sizeof(u64));
	ssd->line_erases = ssd_zalloc(ssd->nlines * sizeof(u32));
	ssd->line_state = ssd_zalloc(ssd->nlines);
	ssd->wb_heap = ssd_zalloc(ssd->wb_slots * sizeof(struct ssd_wb_rel));
	if (!ssd->zone_wp || !ssd->zone_buf || !ssd->zone_ready ||
	    !ssd->line_erases || !ssd->line_state || !ssd->wb_heap) {
		ssd_destroy(ssd);
		return -ENOMEM;
	}
	return 0;
}

/**
 * ssd_init() - an empty, idle drive at model time 0
 * @ssd: the model to set up
 * @cfg: its configuration
 * @msg: where a refusal's reason goes
 * @len: size of @msg
 *
 * Every page starts unmapped and every line free (a new or formatted
 * drive).
 *
 * Context: may sleep (allocates ssd_state_bytes()).
 * Return: 0, -EINVAL with @msg for a bad configuration, -ENOMEM.
 */
int ssd_init(struct ssd *ssd, const struct ssd_cfg *cfg, char *msg, size_t len)
{
	u32 spu, i;
	int err;

	memset(ssd, 0, sizeof(*ssd));
	err = ssd_cfg_check(cfg, msg, len);
	if (err)
		return err;
	ssd->cfg = *cfg;
	ssd->ndies = cfg->channels * cfg->dies_per_channel;
	spu = cfg->planes_per_die * (cfg->page_size >> SSD_LPAGE_SHIFT);
	ssd->slots_per_unit = spu;
	ssd->units_per_line = ssd->ndies * cfg->pages_per_block;
	ssd->slots_per_line = ssd->units_per_line * spu;
	ssd->nlines = cfg->blocks_per_plane;
	ssd->lpages = cfg->capacity_lpages ? cfg->capacity_lpages :
		      ssd_cfg_max_lpages(cfg);
	ssd->lpage_xfer_ns = ssd_xfer_ns(SSD_LPAGE_SIZE, cfg->channel_mbps);
	ssd->unit_xfer_ns = cfg->mode == SSD_MODE_INPLACE ? ssd->lpage_xfer_ns :
			    ssd_xfer_ns((u64)spu << SSD_LPAGE_SHIFT, cfg->channel_mbps);
	ssd->host_wp.line = SSD_NONE;
	ssd->gc_wp.line = SSD_NONE;
	ssd->host_wp.last_die = ssd->ndies - 1;	/* the first unit: die 0 */
	ssd->gc_wp.last_die = ssd->ndies - 1;
	ssd->gc_victim = SSD_NONE;
	ssd->wb_slots = cfg->wb_bytes >> SSD_LPAGE_SHIFT;
	ssd->wb_free = ssd->wb_slots;

	ssd->die_free_ns = ssd_zalloc(ssd->ndies * sizeof(u64));
	ssd->die_cache_ns = ssd_zalloc(ssd->ndies * sizeof(u64));
	ssd->die_busy_ns = ssd_zalloc(ssd->ndies * sizeof(u64));
	ssd->ch_free_ns = ssd_zalloc(cfg->channels * sizeof(u64));
	ssd->ch_book = ssd_zalloc(cfg->channels * SSD_CH_BOOKINGS *
				  sizeof(struct ssd_booking));
	ssd->ch_nbook = ssd_zalloc(cfg->channels * sizeof(u32));
	ssd->ch_bhead = ssd_zalloc(cfg->channels * sizeof(u32));
	ssd->link_book = ssd_zalloc(SSD_CH_BOOKINGS * sizeof(struct ssd_booking));
	ssd->die_hole_start = ssd_zalloc(ssd->ndies * sizeof(u64));
	ssd->die_hole_end = ssd_zalloc(ssd->ndies * sizeof(u64));
	ssd->wp_die_page = ssd_zalloc(2 * ssd->ndies * sizeof(u32));
	ssd->ctrl_free_ns = ssd_zalloc((cfg->ctrl_cores + 1) * sizeof(u64));
	if (!ssd->ctrl_free_ns ||
	    !ssd->die_free_ns || !ssd->die_cache_ns || !ssd->die_busy_ns ||
	    !ssd->ch_free_ns || !ssd->ch_book || !ssd->ch_nbook || !ssd->ch_bhead ||
	    !ssd->link_book || !ssd->die_hole_start || !ssd->die_hole_end ||
	    !ssd->wp_die_page)
		goto nomem;
	ssd->host_wp.die_page = ssd->wp_die_page;
	ssd->gc_wp.die_page = ssd->wp_die_page + ssd->ndies;
	if (cfg->mode == SSD_MODE_INPLACE)
		return 0;
	if (cfg->mode == SSD_MODE_ZNS)
		return ssd_init_zns(ssd);

	ssd->l2p = ssd_zalloc(ssd->lpages * sizeof(u32));
	ssd->p2l = ssd_zalloc((size_t)ssd->nlines * ssd->slots_per_line * sizeof(u32));
	ssd->line_valid = ssd_zalloc(ssd->nlines * sizeof(u32));
	ssd->line_erases = ssd_zalloc(ssd->nlines * sizeof(u32));
	ssd->line_state = ssd_zalloc(ssd->nlines);
	ssd->free_ring = ssd_zalloc(ssd->nlines * sizeof(u32));
	ssd->wb_heap = ssd_zalloc(ssd->wb_slots * sizeof(struct ssd_wb_rel));
	while ((ssd->slots_per_line >> ssd->vb_shift) >= SSD_VB_MAX)
		ssd->vb_shift++;
	ssd->vb_n = (ssd->slots_per_line >> ssd->vb_shift) + 1;
	ssd->vb_min = ssd->vb_n;
	ssd->vb_head = ssd_zalloc(ssd->vb_n * sizeof(u32));
	ssd->vb_next = ssd_zalloc(ssd->nlines * sizeof(u32));
	ssd->vb_prev = ssd_zalloc(ssd->nlines * sizeof(u32));
	if (!ssd->l2p || !ssd->p2l || !ssd->line_valid || !ssd->line_erases ||
	    !ssd->line_state || !ssd->free_ring || !ssd->wb_heap ||
	    !ssd->vb_head || !ssd->vb_next || !ssd->vb_prev)
		goto nomem;
	memset(ssd->vb_head, 0xff, ssd->vb_n * sizeof(u32));
	memset(ssd->l2p, 0xff, ssd->lpages * sizeof(u32));
	memset(ssd->p2l, 0xff, (size_t)ssd->nlines * ssd->slots_per_line * sizeof(u32));
	for (i = 0; i < ssd->nlines; i++)
		ssd_put_free_line(ssd, i);
	return 0;
nomem:
	ssd_destroy(ssd);
	return -ENOMEM;
}
