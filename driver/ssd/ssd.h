/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SSD model's contract (issue 75; Documentation/dev/ssd-model.md): a
 * NAND array of channels and dies, each a busy timeline, under a
 * page-mapped FTL with a DRAM write buffer and greedy garbage collection.
 * Metadata only: the data stays in the drive's backend.
 *   ssd_nand.c     the dies' and channels' timelines, one page op at a time
 *   ssd_ftl.c      mapping, write points, write buffer, trim, GC, submit
 *   ssd_zns.c      zoned namespaces: zones on lines, resets as erases
 *   ssd_presets.c  the presets (each number with its source) and the checks
 * Pure C (ssd_port.h): it builds into the module and natively.
 *
 * The clock is virtual: every call takes the caller's time in ns and
 * returns model times; the model never reads a clock, never sleeps and
 * allocates only in ssd_init().  Calls on one struct ssd must be
 * serialised by the caller (one lock per drive, or one thread).
 *
 * Units: the mapping unit is a 4 KiB logical page (an "lpn"); capacities
 * and counters are in those units unless they say bytes.
 */
#ifndef _URINGBLK_SSD_H
#define _URINGBLK_SSD_H

#include "ssd_port.h"

#define SSD_LPAGE_SHIFT		12
#define SSD_LPAGE_SIZE		4096U	/* the mapping unit, 1 << SSD_LPAGE_SHIFT */

/* limits that keep every product in u64 and every index in u32 */
#define SSD_MAX_CHANNELS	64U
#define SSD_MAX_DIES_PER_CH	64U
#define SSD_MAX_PLANES		8U
#define SSD_MAX_PAGE_SIZE	65536U
#define SSD_MAX_TIME_NS		100000000U	/* 100 ms per NAND op */
#define SSD_MAX_OP_BP		100000U		/* 1000% over-provisioning */
#define SSD_MAX_WB_BYTES	1073741824U
#define SSD_MAX_CTRL_CORES	64U

/**
 * enum ssd_mode - how writes reach the media
 * @SSD_MODE_FTL:	NAND behind a page-mapped FTL: out-of-place writes
 *			through the write buffer, GC, erases
 * @SSD_MODE_INPLACE:	write-in-place media (3D XPoint-class): every 4 KiB
 *			is written straight to its die, no mapping, no GC,
 *			no erase, no write buffer
 * @SSD_MODE_ZNS:	zoned namespace: a zone is a line, written in order
 *			through the write buffer; no map, no GC; a zone
 *			reset erases its line (ssd_zns.c)
 */
enum ssd_mode {
	SSD_MODE_FTL = 0,
	SSD_MODE_INPLACE = 1,
	SSD_MODE_ZNS = 2,
};

/**
 * struct ssd_cfg - one drive's geometry and timing (ssd_cfg_check())
 * @mode:		enum ssd_mode
 * @channels:		NAND channels (buses), each one transfer at a time
 * @dies_per_channel:	dies (ways, LUNs) on each channel; each die runs
 *			one array operation at a time
 * @planes_per_die:	planes; a program unit is one page on every plane
 *			(multi-plane program and read), one erase takes a
 *			block on every plane
 * @blocks_per_plane:	erase blocks per plane; block i of every plane of
 *			every die forms line (superblock) i
 * @pages_per_block:	NAND pages per block
 * @page_size:		NAND page size, bytes, a multiple of 4096
 * @t_read_ns:		tR: array to register, one page (all planes)
 * @t_prog_ns:		tPROG: register to array, one program unit
 * @t_erase_ns:		tBERS: one block on every plane of a die
 * @channel_mbps:	channel transfer rate, MB/s (10^6 B/s)
 * @link_mbps:		host link rate, MB/s, one transfer at a time for the
 *			whole drive; 0: not modelled
 * @fw_read_ns:		controller time added to every read command
 * @fw_write_ns:	controller time added to every write command
 * @op_bp:		over-provisioning in basis points of the exported
 *			capacity: (physical - exported) / exported x 10000
 * @capacity_lpages:	exported capacity in 4 KiB pages; 0: the most that
 *			@op_bp and the GC reserve leave
 * @wb_bytes:		DRAM write buffer, bytes (FTL mode: at least one
 *			program unit)
 * @gc_low_lines:	the host write point needs a line and at most this many
 *			are free: GC collects whole lines, the host waiting,
 *			until gc_high_lines are free (at least 1)
 * @gc_high_lines:	where GC stops (> low); with @gc_paced, paced GC
 *			starts when the host takes a line and fewer are free
 * @gc_paced:		1: collect a victim a program unit at a time as the
 *			host writes, paced to finish when the host has written
 *			the room it frees (its invalid pages); 0: only whole
 *			lines at once, at gc_low_lines
 * @pe_cycles:		rated program/erase cycles of a block, for the NVMe
 *			logs' Percentage Used (ssd_percent_used()); 0: not
 *			rated (Percentage Used stays 0)
 * @ctrl_cores:		the controller's cores: each command's firmware time
 *			(fw_read_ns, fw_write_ns) and each program run in the
 *			drive (ssd_ctrl_run()) takes the first free one; 0:
 *			firmware time is a delay, as many at once as come
 * @fw_gc_ns:		controller time for each valid page GC moves, before
 *			the read of its program unit (on ctrl_cores as a
 *			command's firmware time is); 0: GC takes none
 * @zone_lpages:	SSD_MODE_ZNS: a zone's span in 4 KiB pages (the
 *			drive's zone size), at least a line's slots (its
 *			capacity); 0: the line's.  Set by the drive from its
 *			zone size, not a key of the text form
 */
struct ssd_cfg {
	u32	mode;
	u32	channels;
	u32	dies_per_channel;
	u32	planes_per_die;
	u32	blocks_per_plane;
	u32	pages_per_block;
	u32	page_size;
	u32	t_read_ns;
	u32	t_prog_ns;
	u32	t_erase_ns;
	u32	channel_mbps;
	u32	link_mbps;
	u32	fw_read_ns;
	u32	fw_write_ns;
	u32	op_bp;
	u64	capacity_lpages;
	u32	wb_bytes;
	u32	gc_low_lines;
	u32	gc_high_lines;
	u32	gc_paced;
	u32	pe_cycles;
	u32	ctrl_cores;
	u32	fw_gc_ns;
	u32	zone_lpages;
};

/**
 * struct ssd_preset - a named configuration (ssd_presets.c)
 * @name:	what users type (--preset, configfs)
 * @desc:	one line: the drive class and where the numbers come from
 * @cfg:	the configuration
 */
struct ssd_preset {
	const char		*name;
	const char		*desc;
	struct ssd_cfg		cfg;
};

/**
 * enum ssd_op - a host command
 * @SSD_READ:	read the range
 * @SSD_WRITE:	write the range (through the write buffer)
 * @SSD_TRIM:	deallocate the range: its pages stop being valid
 * @SSD_FLUSH:	everything acknowledged before is on NAND (range ignored)
 * @SSD_APPEND:	SSD_MODE_ZNS: write at the write pointer of the zone
 *		holding the first page (elsewhere: as SSD_WRITE)
 * @SSD_ZONE_RESET: SSD_MODE_ZNS: reset the zones of the range (0 pages:
 *		the zone holding the first page)
 * @SSD_ZONE_FINISH: SSD_MODE_ZNS: finish them
 */
enum ssd_op {
	SSD_READ,
	SSD_WRITE,
	SSD_TRIM,
	SSD_FLUSH,
	SSD_APPEND,
	SSD_ZONE_RESET,
	SSD_ZONE_FINISH,
};

#define SSD_REQ_FUA	BIT(0)	/* write: complete when on NAND */
/* read: for the drive itself (a program, a copy into its memory): no host link */
#define SSD_REQ_INTERNAL BIT(1)

/**
 * struct ssd_counters - what the model has done since ssd_init()
 * @host_pages_written:	4 KiB pages the host wrote
 * @host_pages_read:	4 KiB pages the host read
 * @internal_pages_read: 4 KiB pages the drive read for itself
 *			(SSD_REQ_INTERNAL: programs' scans, copies into its
 *			memory)
 * @host_pages_trimmed:	4 KiB pages the host deallocated that were mapped
 * @buffer_read_hits:	pages read (host or internal) from the write buffer
 *			or unmapped
 * @nand_pages_written:	4 KiB pages programmed with data: host pages and
 *			GC moves (pad not included)
 * @nand_pages_padded:	4 KiB slots of program units closed early by FLUSH
 *			or FUA, programmed without data
 * @nand_reads:		NAND read operations (one page on all planes)
 * @nand_programs:	NAND program operations (one program unit)
 * @gc_runs:		lines collected by GC
 * @gc_forced_runs:	of those, collected whole with the host waiting (at
 *			gc_low_lines; with gc_paced, when pacing fell behind)
 * @gc_pages_moved:	valid 4 KiB pages GC copied
 * @erases:		NAND blocks erased (one per plane per die)
 * @ctrl_busy_ns:	controller core time booked: firmware and programs
 *			(with ctrl_cores)
 * @ctrl_compute_ns:	of which programs' runs (ssd_ctrl_run())
 */
struct ssd_counters {
	u64	host_pages_written;
	u64	host_pages_read;
	u64	internal_pages_read;
	u64	host_pages_trimmed;
	u64	buffer_read_hits;
	u64	nand_pages_written;
	u64	nand_pages_padded;
	u64	nand_reads;
	u64	nand_programs;
	u64	gc_runs;
	u64	gc_forced_runs;
	u64	gc_pages_moved;
	u64	erases;
	u64	ctrl_busy_ns;
	u64	ctrl_compute_ns;
};

/*
 * A write point: the line it fills (SSD_NONE: none), the program unit it
 * fills (SSD_NONE: none open), how many 4 KiB slots of that unit hold
 * data, the units of the line used, and each die's next page in it.
 */
struct ssd_wp {
	u32	line;
	u32	unit;
	u32	filled;
	u32	used;
	u32	last_die;	/* the die of the last unit opened */
	u32	*die_page;	/* ndies entries (struct ssd's wp_die_page) */
	u64	ready_ns;	/* the unit's data is in the controller by then */
};

/* a write buffer release: @count slots free at @end_ns */
struct ssd_wb_rel {
	u64	end_ns;
	u32	count;
};

#define SSD_NONE	U32_MAX

/* a line's state (struct ssd's line_state) */
enum {
	SSD_LINE_FREE,
	SSD_LINE_OPEN,
	SSD_LINE_FULL,
	SSD_LINE_VICTIM,	/* paced GC is collecting it */
};

#define SSD_VB_MAX	1024	/* GC victim buckets at most (ssd_ftl.c) */

/* a channel transfer booked after a gap (ssd_nand.c) */
struct ssd_booking {
	u64	start_ns;
	u64	end_ns;
};

/*
 * per channel: pm9a3's steady-state random writes keep about 100 ahead
 * (Documentation/dev/ssd-model.md); when they run out the earliest gap is
 * closed
 */
#define SSD_CH_BOOKINGS	256	/* a power of 2: a ring */

/**
 * struct ssd - one drive's model state (fields are the model's alone)
 * @cfg:		the configuration it was made with
 * @ndies:		channels x dies_per_channel
 * @slots_per_unit:	4 KiB slots in a program unit (planes x page / 4 KiB)
 * @units_per_line:	program units in a line (ndies x pages_per_block)
 * @slots_per_line:	4 KiB slots in a line
 * @nlines:		lines (= blocks_per_plane)
 * @lpages:		exported 4 KiB pages
 * @unit_xfer_ns:	channel time of one program unit
 * @lpage_xfer_ns:	channel time of one 4 KiB page
 * @l2p:		lpn -> physical slot, SSD_NONE: unmapped
 * @p2l:		physical slot -> lpn, SSD_NONE: not valid
 * @line_valid:		valid slots per line
 * @line_erases:	erases per line (each erases every block of the line)
 * @line_state:		SSD_LINE_*
 * @free_ring:		free lines, oldest erased first
 * @free_head:		next free line to take (index into @free_ring)
 * @nfree:		free lines
 * @host_wp:		where host writes go
 * @gc_wp:		where GC moves go (its open unit sits in controller
 *			DRAM, assumed power-loss protected)
 * @gc_victim:		the line paced GC is collecting, or SSD_NONE
 * @gc_vunit:		its next unit to collect
 * @gc_cost:		host pages its collection is spread over (its invalid
 *			pages when chosen)
 * @gc_credit:		paced GC's credit: units_per_line per host page, a
 *			unit collected per @gc_cost
 * @wp_die_page:	both write points' die_page arrays (ndies each)
 * @die_free_ns:	when each die's array is next idle
 * @die_cache_ns:	when each die's cache register next takes data
 * @die_busy_ns:	array busy time per die, summed
 * @ch_free_ns:		when each channel is next idle (but for its bookings)
 * @ch_book:		SSD_CH_BOOKINGS transfers booked after gaps per channel
 * @ch_nbook:		bookings in use per channel
 * @link_free_ns:	when the host link is next idle
 * @wb_slots:		write buffer capacity, 4 KiB slots
 * @wb_free:		slots free now (at @wb_time_ns)
 * @wb_heap:		pending releases, a min-heap on end_ns
 * @wb_nheap:		entries in @wb_heap
 * @wb_time_ns:		the buffer's state is known up to this time
 * @cnt:		the counters
 * @now_ns:		the latest command arrival: nothing is placed before it
 * @ch_bhead:		where each channel's ring of bookings starts
 * @link_book:		the host link's transfers booked after gaps (a ring of
 *			SSD_CH_BOOKINGS, as a channel's)
 * @link_nbook:		bookings in use on the link
 * @link_bhead:		where the link's ring starts
 * @die_hole_start:	per die, the hole a program waiting for its data or
 *			channel left (ssd_nand.c): from here...
 * @die_hole_end:	...to here (empty when start >= end)
 * @vb_head:		full lines by valid count: the first line of each
 *			bucket (valid >> @vb_shift), SSD_NONE: empty
 * @vb_next:		per line, the next in its bucket
 * @vb_prev:		per line, the previous in its bucket
 * @vb_shift:		valid counts per bucket, log2
 * @vb_n:		buckets
 * @vb_min:		at or below the lowest non-empty bucket
 * @zone_lpages:	SSD_MODE_ZNS: a zone's span, 4 KiB pages
 * @zone_wp:		per zone (line), its write pointer: pages written
 * @zone_buf:		per zone, its last pages still in the write buffer
 *			(its partial unit)
 * @zone_ready:		per zone, when its partial unit's data is in
 * @ctrl_free_ns:	when each controller core is next free (ctrl_cores)
 */
struct ssd {
	struct ssd_cfg		cfg;
	u32			ndies;
	u32			slots_per_unit;
	u32			units_per_line;
	u32			slots_per_line;
	u32			nlines;
	u64			lpages;
	u64			unit_xfer_ns;
	u64			lpage_xfer_ns;
	u32			*l2p;
	u32			*p2l;
	u32			*line_valid;
	u32			*line_erases;
	u8			*line_state;
	u32			*free_ring;
	u32			free_head;
	u32			nfree;
	struct ssd_wp		host_wp;
	struct ssd_wp		gc_wp;
	u32			gc_victim;
	u32			gc_vunit;
	u32			gc_cost;
	u64			gc_credit;
	u32			*wp_die_page;
	u64			*die_free_ns;
	u64			*die_cache_ns;
	u64			*die_busy_ns;
	u64			*ch_free_ns;
	struct ssd_booking	*ch_book;
	u32			*ch_nbook;
	u64			link_free_ns;
	u32			wb_slots;
	u32			wb_free;
	struct ssd_wb_rel	*wb_heap;
	u32			wb_nheap;
	u64			wb_time_ns;
	struct ssd_counters	cnt;
	u64			now_ns;
	u32			*ch_bhead;
	struct ssd_booking	*link_book;
	u32			link_nbook;
	u32			link_bhead;
	u64			*die_hole_start;
	u64			*die_hole_end;
	u32			*vb_head;
	u32			*vb_next;
	u32			*vb_prev;
	u32			vb_shift;
	u32			vb_n;
	u32			vb_min;
	u64			zone_lpages;
	u32			*zone_wp;
	u32			*zone_buf;
	u64			*zone_ready;
	u64			*ctrl_free_ns;
};

/* ssd_presets.c */
int ssd_cfg_check(const struct ssd_cfg *cfg, char *msg, size_t len);
u64 ssd_cfg_max_lpages(const struct ssd_cfg *cfg);
int ssd_cfg_fit(struct ssd_cfg *cfg, u64 lpages, char *msg, size_t len);
const struct ssd_preset *ssd_preset_find(const char *name);
const struct ssd_preset *ssd_preset_at(unsigned int i);

/* ssd_text.c */
int ssd_cfg_parse(const char *text, struct ssd_cfg *cfg, char *msg, size_t len);
int ssd_cfg_show(const struct ssd_cfg *cfg, char *buf, size_t len);

/* a configuration with no channels is no model: "off" */
static inline bool ssd_cfg_on(const struct ssd_cfg *cfg)
{
	return cfg->channels != 0;
}

/* ssd_ftl.c */
int ssd_init(struct ssd *ssd, const struct ssd_cfg *cfg, char *msg, size_t len);
void ssd_destroy(struct ssd *ssd);
int ssd_submit(struct ssd *ssd, enum ssd_op op, u64 lpn, u64 nlp, u32 flags,
	       u64 now_ns, u64 *done_ns);
int ssd_submit_bytes(struct ssd *ssd, enum ssd_op op, u64 off, u64 len,
		     u32 flags, u64 now_ns, u64 *done_ns);
size_t ssd_state_bytes(const struct ssd_cfg *cfg);
u32 ssd_gc_victim_scan(const struct ssd *ssd);
u32 ssd_gc_victim_peek(struct ssd *ssd);
void ssd_wb_push(struct ssd *ssd, u64 end_ns, u32 count);
u64 ssd_wb_admit(struct ssd *ssd, u64 t);

/* ssd_zns.c */
u32 ssd_zns_slot(const struct ssd *ssd, u64 lpn);
int ssd_zns_write(struct ssd *ssd, u64 lpn, u64 nlp, bool append, u64 now,
		  u64 *end);
u64 ssd_zns_mgmt(struct ssd *ssd, enum ssd_op op, u64 lpn, u64 nlp, u64 now);

/*
 * SSD_OP_CHECK, defined by the native tests only (tests/unit/ssdtest.c):
 * each die operation's array time, [@start, @end), is shown to
 * ssd_op_check(), which checks that no die runs two at once.
 */
#ifdef SSD_OP_CHECK
void ssd_op_check(const struct ssd *ssd, u32 die, u64 start, u64 end);
#else
static inline void ssd_op_check(const struct ssd *ssd __always_unused,
				u32 die __always_unused, u64 start __always_unused,
				u64 end __always_unused)
{
}
#endif

/* ssd_nand.c */
u64 ssd_xfer_ns(u64 bytes, u32 mbps);
u64 ssd_nand_read(struct ssd *ssd, u32 die, u32 nslots, u64 t);
u64 ssd_nand_prog(struct ssd *ssd, u32 die, u64 t);
u64 ssd_nand_erase(struct ssd *ssd, u32 die, u64 t);
u64 ssd_link_xfer(struct ssd *ssd, u64 bytes, u64 t);
u64 ssd_ctrl(struct ssd *ssd, u64 t, u64 dur);
u64 ssd_ctrl_run(struct ssd *ssd, u64 t, u64 dur);

/**
 * ssd_waf_x1000() - write amplification so far, x 1000
 * @cnt: the model's counters
 *
 * NAND pages written with data over host pages written; 1000 before any
 * host write.
 *
 * Return: the ratio x 1000, rounded down.
 */
static inline u64 ssd_waf_x1000(const struct ssd_counters *cnt)
{
	if (!cnt->host_pages_written)
		return 1000;
	return ssd_div64(cnt->nand_pages_written * 1000, cnt->host_pages_written);
}

/**
 * ssd_percent_used() - the life used, as NVMe's Percentage Used reports it
 * @erases:	blocks erased so far (struct ssd_counters' erases)
 * @blocks:	blocks of the NAND array (dies x planes x lines)
 * @pe_cycles:	rated program/erase cycles of a block; 0: not rated
 *
 * The average block's erases over its rated cycles, x 100, rounded down:
 * erases x 100 / (blocks x pe_cycles).  It may pass 100 (a drive used past
 * its rating) and is capped at 255, as the NVMe SMART / Health and
 * Endurance Group Information logs define the field.  Pure: the native
 * unit test (tests/unit/ssdtest.c) checks it.
 *
 * Return: 0..255; 0 when not rated or without blocks.
 */
static inline u8 ssd_percent_used(u64 erases, u64 blocks, u32 pe_cycles)
{
	u64 pct;

	if (!pe_cycles || !blocks)
		return 0;
	if (erases > U64_MAX / 100)
		return 255;
	/* blocks < 2^32 (ssd_cfg_check()), pe_cycles < 2^32: no wrap */
	pct = ssd_div64(erases * 100, blocks * pe_cycles);
	return pct > 255 ? 255 : (u8)pct;
}

/**
 * ssd_endurance_gb() - NVMe's Endurance Estimate of a NAND array
 * @bytes:	the array's bytes (dies x planes x lines x pages x page
 *		size; under 2^44: ssd_cfg_check() keeps its 4 KiB slots
 *		under 2^32)
 * @pe_cycles:	rated program/erase cycles of a block; 0: not rated
 *
 * The bytes the host may write over the array's rated life at a write
 * amplification of 1 (every block erased @pe_cycles times), in billions
 * of bytes, rounded up, as the Endurance Group Information log reports
 * it.  @pe_cycles < 2^24 (its key's limit): no wrap.  Pure: ssdtest
 * checks it against a hand-computed case.
 *
 * Return: billions of bytes; 0 when not rated (the log's "not reported").
 */
static inline u64 ssd_endurance_gb(u64 bytes, u32 pe_cycles)
{
	u64 hi = ssd_div64(bytes, 1000000000), lo = bytes - hi * 1000000000;

	return hi * pe_cycles + ssd_div64(lo * pe_cycles + 999999999, 1000000000);
}

/**
 * ssd_blocks() - the blocks of a model's NAND array
 * @ssd: the model
 *
 * Return: dies x planes per die x lines.
 */
static inline u64 ssd_blocks(const struct ssd *ssd)
{
	return (u64)ssd->ndies * ssd->cfg.planes_per_die * ssd->nlines;
}

#endif /* _URINGBLK_SSD_H */
