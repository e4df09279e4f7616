// SPDX-License-Identifier: GPL-2.0
/*
 * The NAND array's timelines: each die and each channel is a resource
 * with the time it is next idle, and a page operation is placed on the
 * first moment both it and what it waits for are free.  Queueing on a busy
 * die or channel is what makes latency grow with queue depth; nothing
 * else in the model does.
 *
 * Die d sits on channel d % channels, so consecutive dies are on
 * different channels.  A channel also keeps a few transfers booked after
 * gaps (ssd_ch_place()), so that a transfer waiting for its die does not
 * stall the channel for the others.
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
 * A channel transfer of @dur ns, no earlier than @t, that overlaps no
 * other.  A transfer that must wait for its die (a program behind
 * queued programs, a read behind its tR) would leave a hole before it if
 * it moved the channel's next-free time, and every later transfer would
 * queue behind the hole; so a transfer after a gap is kept as one of a
 * few bookings ahead instead, and later transfers go in the gaps.  When
 * the bookings are full the channel closes its gaps (never an overlap).
 */
static u64 ssd_ch_place(struct ssd *ssd, u32 ch, u64 t, u64 dur)
{
	struct ssd_booking *b = &ssd->ch_book[ch * SSD_CH_BOOKINGS];
	u32 *n = &ssd->ch_nbook[ch];
	u64 start = ssd_max(t, ssd->ch_free_ns[ch]);
	u32 i;

again:
	for (i = 0; i < *n; i++) {
		if (start < b[i].end_ns && start + dur > b[i].start_ns) {
			start = b[i].end_ns;
			goto again;
		}
	}
	if (start == ssd->ch_free_ns[ch] || *n == SSD_CH_BOOKINGS) {
		ssd->ch_free_ns[ch] = ssd_max(ssd->ch_free_ns[ch], start + dur);
		if (*n == SSD_CH_BOOKINGS) {	/* close every gap */
			for (i = 0; i < *n; i++)
				ssd->ch_free_ns[ch] =
					ssd_max(ssd->ch_free_ns[ch], b[i].end_ns);
			*n = 0;
		}
	} else {
		b[*n].start_ns = start;
		b[*n].end_ns = start + dur;
		(*n)++;
	}
	/* bookings the next-free time has reached are part of it */
	for (i = 0; i < *n;) {
		if (b[i].start_ns <= ssd->ch_free_ns[ch]) {
			ssd->ch_free_ns[ch] =
				ssd_max(ssd->ch_free_ns[ch], b[i].end_ns);
			b[i] = b[--(*n)];
			i = 0;
		} else {
			i++;
		}
	}
	return start;
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
	u64 start, ready, xs, end;

	start = ssd_max(t, ssd->die_free_ns[die]);
	ready = start + ssd->cfg.t_read_ns;
	xs = ssd_ch_place(ssd, ch, ready, nslots * ssd->lpage_xfer_ns);
	end = xs + nslots * ssd->lpage_xfer_ns;
	ssd->die_free_ns[die] = end;
	if (ssd->die_cache_ns[die] < end)
		ssd->die_cache_ns[die] = end;
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
 * Return: when it has finished (@t when the link is not modelled).
 */
u64 ssd_link_xfer(struct ssd *ssd, u64 bytes, u64 t)
{
	u64 start;

	if (!ssd->cfg.link_mbps)
		return t;
	start = ssd_max(t, ssd->link_free_ns);
	ssd->link_free_ns = start + ssd_xfer_ns(bytes, ssd->cfg.link_mbps);
	return ssd->link_free_ns;
}
