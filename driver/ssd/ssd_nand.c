// SPDX-License-Identifier: GPL-2.0
/*
 * The NAND array's timelines: each die and each channel is a resource
 * with the time it is next idle, and a page operation is placed on the
 * first moment both it and what it waits for are free.  Queueing on a busy
 * die or channel is what makes latency grow with queue depth; nothing
 * else in the model does.
 *
 * Die d sits on channel d % channels, so consecutive dies are on
 * different channels.  A channel (and the host link) also keeps transfers
 * booked after gaps (struct ssd_tl), so that a transfer waiting for its
 * die does not stall the channel for the others; a die keeps the last hole
 * a program left (ssd_die_hole_read()) for reads.
 *
 * Read: the die's array reads the page into its register (tR), then the
 * channel moves the requested 4 KiB pages out; the die is held until the
 * register is empty.  Program: the channel moves one program unit (a page
 * on every plane: multi-plane) into the die's cache register, which is
 * free once the previous program has started; the array programs for
 * tPROG once it is idle.  So a die streams at page/tPROG while the
 * channel is fast enough (cache program).  Erase: the array, tBERS.
 */
#include "ssd.h"

/**
 * ssd_xfer_ns() - time to move bytes at a rate
 * @bytes: bytes
 * @mbps: rate in MB/s (10^6 bytes/s); 0: free
 *
 * Return: ns, rounded up.
 */
u64 ssd_xfer_ns(u64 bytes, u32 mbps)
{
	if (!mbps)
		return 0;
	return ssd_div(bytes * 1000 + mbps - 1, mbps);
}

static inline u32 ssd_die_channel(const struct ssd *ssd, u32 die)
{
	return die % ssd->cfg.channels;
}

/*
 * A timeline with bookings: the time it is next free, and up to
 * SSD_CH_BOOKINGS intervals booked after gaps, a ring from @h sorted by
 * start, never overlapping each other or the busy time before @free.  A
 * transfer that must wait (for its die's tR, for a cache register) is
 * booked ahead and leaves its gap open, so that later transfers go in the
 * gap instead of queueing behind it.
 */
struct ssd_tl {
	u64			*free;
	struct ssd_booking	*b;
	u32			*n;
	u32			*h;
};

#define SSD_BK_MASK	(SSD_CH_BOOKINGS - 1)

static inline struct ssd_booking *ssd_tl_at(const struct ssd_tl *tl, u32 i)
{
	return &tl->b[(*tl->h + i) & SSD_BK_MASK];
}

/* Bookings the next-free time has reached become part of it. */
static void ssd_tl_merge(struct ssd_tl *tl)
{
	while (*tl->n && ssd_tl_at(tl, 0)->start_ns <= *tl->free) {
		*tl->free = ssd_max(*tl->free, ssd_tl_at(tl, 0)->end_ns);
		*tl->h = (*tl->h + 1) & SSD_BK_MASK;
		(*tl->n)--;
	}
}

/*
 * Nothing is placed before @now (ssd->now_ns: every placement is at or
 * after the command's arrival, and arrivals do not go back), so the gaps
 * before it are gone: without this, every transfer on an idle channel
 * would be a booking.
 */
static void ssd_tl_settle(struct ssd_tl *tl, u64 now)
{
	if (*tl->free < now)
		*tl->free = now;
	ssd_tl_merge(tl);
}

/* The first booking that ends after @t (binary search: sorted, disjoint). */
static u32 ssd_tl_after(const struct ssd_tl *tl, u64 t)
{
	u32 lo = 0, hi = *tl->n;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (ssd_tl_at(tl, mid)->end_ns <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The earliest start at or after @t with @dur free. */
static u64 ssd_tl_find(const struct ssd_tl *tl, u64 t, u64 dur)
{
	u64 start = ssd_max(t, *tl->free);
	u32 i;

	for (i = ssd_tl_after(tl, start); i < *tl->n; i++) {
		const struct ssd_booking *b = ssd_tl_at(tl, i);

		if (start + dur <= b->start_ns)
			break;
		start = ssd_max(start, b->end_ns);
	}
	return start;
}

/*
 * Book [@start, @start + @dur), free (ssd_tl_find()).  With every booking
 * in use, the earliest gap is closed: never an overlap, and the least
 * error bounded memory allows.
 */
static void ssd_tl_book(struct ssd_tl *tl, u64 start, u64 dur)
{
	u32 i, j;

	if (start <= *tl->free) {
		*tl->free = ssd_max(*tl->free, start + dur);
		ssd_tl_merge(tl);
		return;
	}
	i = ssd_tl_after(tl, start);
	if (*tl->n == SSD_CH_BOOKINGS) {
		if (!i) {	/* it is the earliest: close the gap before it */
			*tl->free = start + dur;
			ssd_tl_merge(tl);
			return;
		}
		*tl->free = ssd_max(*tl->free, ssd_tl_at(tl, 0)->end_ns);
		*tl->h = (*tl->h + 1) & SSD_BK_MASK;
		(*tl->n)--;
		i--;
	}
	for (j = *tl->n; j > i; j--)	/* mostly none: it goes last */
		*ssd_tl_at(tl, j) = *ssd_tl_at(tl, j - 1);
	ssd_tl_at(tl, i)->start_ns = start;
	ssd_tl_at(tl, i)->end_ns = start + dur;
	(*tl->n)++;
	ssd_tl_merge(tl);
}

static struct ssd_tl ssd_ch_tl(struct ssd *ssd, u32 ch)
{
	struct ssd_tl tl = {
		.free = &ssd->ch_free_ns[ch],
		.b = &ssd->ch_book[ch * SSD_CH_BOOKINGS],
		.n = &ssd->ch_nbook[ch],
		.h = &ssd->ch_bhead[ch],
	};

	ssd_tl_settle(&tl, ssd->now_ns);
	return tl;
}

/* A channel transfer of @dur ns, no earlier than @t, that overlaps no other. */
static u64 ssd_ch_place(struct ssd *ssd, u32 ch, u64 t, u64 dur)
{
	struct ssd_tl tl = ssd_ch_tl(ssd, ch);
	u64 start = ssd_tl_find(&tl, t, dur);

	ssd_tl_book(&tl, start, dur);
	return start;
}

/*
 * A die keeps the one hole the last program that waited for its data or
 * its channel left in its timeline (die_hole_*: from the die's previous
 * next-free time to the start of that program's transfer into the cache
 * register).  A read that fits in it, tR and its transfer, goes there
 * instead of behind the program: at steady state GC programs wait for
 * their reads on other dies, and their holes were 14% of pm9a3's die
 * time.  One hole, not a list, to keep the cost of every read constant.
 */
static bool ssd_die_hole_read(struct ssd *ssd, u32 die, u64 dur, u64 t,
			      u64 *start, u64 *end)
{
	u64 hs = ssd_max(t, ssd->die_hole_start[die]), he = ssd->die_hole_end[die];
	struct ssd_tl ct;
	u64 xs;

	if (hs + ssd->cfg.t_read_ns + dur > he)
		return false;
	ct = ssd_ch_tl(ssd, ssd_die_channel(ssd, die));
	xs = ssd_tl_find(&ct, hs + ssd->cfg.t_read_ns, dur);
	if (xs + dur > he)
		return false;
	ssd_tl_book(&ct, xs, dur);
	/* start the array as late as its transfer allows; keep the rest after */
	*start = xs - ssd->cfg.t_read_ns;
	*end = xs + dur;
	ssd->die_hole_start[die] = *end;
	return true;
}

/**
 * ssd_nand_read() - place a page read on its die and channel
 * @ssd: the model
 * @die: the die
 * @nslots: 4 KiB pages of the page moved out over the channel
 * @t: the earliest the read may start
 *
 * Return: when the last byte has left the channel.
 */
u64 ssd_nand_read(struct ssd *ssd, u32 die, u32 nslots, u64 t)
{
	u32 ch = ssd_die_channel(ssd, die);
	u64 dur = nslots * ssd->lpage_xfer_ns;
	u64 start, ready, xs, end;

	if (ssd_die_hole_read(ssd, die, dur, t, &start, &end))
		goto done;
	start = ssd_max(t, ssd->die_free_ns[die]);
	ready = start + ssd->cfg.t_read_ns;
	xs = ssd_ch_place(ssd, ch, ready, dur);
	end = xs + dur;
	ssd->die_free_ns[die] = end;
	if (ssd->die_cache_ns[die] < end)
		ssd->die_cache_ns[die] = end;
done:
	ssd_op_check(ssd, die, start, end);
	ssd->die_busy_ns[die] += end - start;
	ssd->cnt.nand_reads++;
	return end;
}

/**
 * ssd_nand_prog() - place a program of one unit on its channel and die
 * @ssd: the model
 * @die: the die
 * @t: when the data is ready in the controller
 *
 * Return: when the program has finished.
 */
u64 ssd_nand_prog(struct ssd *ssd, u32 die, u64 t)
{
	u32 ch = ssd_die_channel(ssd, die);
	u64 xs, xe, ps, pe;

	xs = ssd_ch_place(ssd, ch, ssd_max(t, ssd->die_cache_ns[die]),
			  ssd->unit_xfer_ns);
	xe = xs + ssd->unit_xfer_ns;
	ps = ssd_max(xe, ssd->die_free_ns[die]);
	pe = ps + ssd->cfg.t_prog_ns;
	if (xs > ssd->die_free_ns[die]) {	/* a hole: reads may use it */
		ssd->die_hole_start[die] = ssd->die_free_ns[die];
		ssd->die_hole_end[die] = xs;
	}
	ssd_op_check(ssd, die, ps, pe);
	ssd->die_cache_ns[die] = ps;
	ssd->die_free_ns[die] = pe;
	ssd->die_busy_ns[die] += ssd->cfg.t_prog_ns;
	ssd->cnt.nand_programs++;
	return pe;
}

/**
 * ssd_nand_erase() - place an erase (a block on every plane) on a die
 * @ssd: the model
 * @die: the die
 * @t: the earliest it may start (after the reads of its valid pages)
 *
 * Return: when the erase has finished.
 */
u64 ssd_nand_erase(struct ssd *ssd, u32 die, u64 t)
{
	u64 start = ssd_max(t, ssd->die_free_ns[die]);

	ssd_op_check(ssd, die, start, start + ssd->cfg.t_erase_ns);
	ssd->die_free_ns[die] = start + ssd->cfg.t_erase_ns;
	ssd->die_busy_ns[die] += ssd->cfg.t_erase_ns;
	ssd->cnt.erases += ssd->cfg.planes_per_die;
	return ssd->die_free_ns[die];
}

/**
 * ssd_link_xfer() - place a transfer on the host link
 * @ssd: the model
 * @bytes: bytes moved
 * @t: the earliest it may start
 *
 * Transfers go in the first gap they fit, as on a channel: a read whose
 * data is ready late does not hold the link for reads submitted after it
 * whose data is ready first.
 *
 * Return: when it has finished (@t when the link is not modelled).
 */
u64 ssd_link_xfer(struct ssd *ssd, u64 bytes, u64 t)
{
	struct ssd_tl tl = {
		.free = &ssd->link_free_ns,
		.b = ssd->link_book,
		.n = &ssd->link_nbook,
		.h = &ssd->link_bhead,
	};
	u64 dur, start;

	if (!ssd->cfg.link_mbps)
		return t;
	ssd_tl_settle(&tl, ssd->now_ns);
	dur = ssd_xfer_ns(bytes, ssd->cfg.link_mbps);
	start = ssd_tl_find(&tl, t, dur);
	ssd_tl_book(&tl, start, dur);
	return start + dur;
}

/**
 * ssd_ctrl() - controller time on one of the controller's cores
 * @ssd: the model
 * @t: the earliest it may start
 * @dur: how long it takes
 *
 * With ctrl_cores, the core free first takes it, from when it is free
 * (one next-free time per core, as per die: no gaps are filled); without,
 * it is a delay and any number run at once.
 *
 * Return: when it has finished.
 */
u64 ssd_ctrl(struct ssd *ssd, u64 t, u64 dur)
{
	u32 i, best = 0;

	if (!ssd->cfg.ctrl_cores)
		return t + dur;
	for (i = 1; i < ssd->cfg.ctrl_cores; i++)
		if (ssd->ctrl_free_ns[i] < ssd->ctrl_free_ns[best])
			best = i;
	ssd->ctrl_free_ns[best] = ssd_max(t, ssd->ctrl_free_ns[best]) + dur;
	ssd->cnt.ctrl_busy_ns += dur;
	return ssd->ctrl_free_ns[best];
}

/**
 * ssd_ctrl_run() - a program's run in the drive, on the controller
 * @ssd: the model
 * @t: when it may start
 * @dur: its modelled compute time
 *
 * The compute units are the controller's cores: a run takes one as the
 * FTL's firmware does (ssd_ctrl()), so runs and I/O wait for each other.
 *
 * Return: when it has finished (@t + @dur without ctrl_cores).
 */
u64 ssd_ctrl_run(struct ssd *ssd, u64 t, u64 dur)
{
	if (ssd->cfg.ctrl_cores)
		ssd->cnt.ctrl_compute_ns += dur;
	return ssd_ctrl(ssd, t, dur);
}
