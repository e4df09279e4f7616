// SPDX-License-Identifier: GPL-2.0
/*
 * The SSD model's presets and the check every configuration passes before
 * a model is made of it.  Each preset number says where it comes from:
 * a datasheet, a paper, NVMeVirt's source, "fitted" (chosen so the model
 * meets a datasheet figure, which then does not count as validation) or
 * "assumption".  Documentation/dev/ssd-model.md has the same table with
 * the full references.  ZNS (WD ZN540-class) presets come with the zoned
 * part of the model, later.
 */
#include "ssd.h"

static const struct ssd_preset ssd_presets[] = {
	{
		.name = "970pro",
		.desc = "PCIe 3.0 client MLC, 970 PRO-class (NVMeVirt's preset)",
		/* NVMeVirt ssd_config.h, BASE_SSD == SAMSUNG_970PRO [nvmevirt] */
		.cfg = {
			.mode = SSD_MODE_FTL,
			.channels = 8,			/* NAND_CHANNELS */
			.dies_per_channel = 2,		/* LUNS_PER_NAND_CH */
			.planes_per_die = 1,		/* PLNS_PER_LUN */
			.blocks_per_plane = 8192,	/* BLKS_PER_PLN */
			/*
			 * NVMeVirt derives the block size from the capacity it
			 * is loaded with; 128 pages give the 512 GB model
			 * (512 GiB of NAND, 7% of it spare): assumption.
			 */
			.pages_per_block = 128,
			.page_size = 32 << 10,		/* FLASH_PAGE_SIZE 32 KiB */
			/*
			 * NAND_4KB_READ_LATENCY_LSB/MSB 29760/41760 ns: their
			 * mean (pages' LSB/MSB kind is not modelled)
			 */
			.t_read_ns = 35760,
			.t_prog_ns = 185000,		/* NAND_PROG_LATENCY */
			/*
			 * NVMeVirt has NAND_ERASE_LATENCY 0; 3 ms is a typical
			 * MLC tBERS: assumption
			 */
			.t_erase_ns = 3000000,
			.channel_mbps = 800,		/* NAND_CHANNEL_BANDWIDTH */
			.link_mbps = 3360,		/* PCIE_BANDWIDTH */
			.fw_read_ns = 21500,		/* FW_4KB_READ_LATENCY */
			/* FW_WBUF_LATENCY0 (its per-4 KiB LATENCY1, 460 ns, is not modelled) */
			.fw_write_ns = 4000,
			.op_bp = 700,			/* OP_AREA_PERCENT 0.07 */
			/* GLOBAL_WB_SIZE: channels x LUNs x 32 KiB x 2 = 1 MiB */
			.wb_bytes = 1 << 20,
			/* NVMeVirt collects when free lines run out: assumption */
			.gc_low_lines = 1,
			.gc_high_lines = 2,
			/*
			 * assumption: a typical rating for 2-bit MLC; Samsung
			 * publishes TBW, not P/E cycles (ssd-model.md)
			 */
			.pe_cycles = 5000,
		},
	},
	{
		.name = "pm9a3",
		.desc = "PCIe 4.0 enterprise TLC, PM9A3 7.68 TB-class",
		/*
		 * Samsung PM9A3 U.2 7.68 TB [pm9a3]: 6,500 MB/s sequential
		 * read, 3,500 MB/s sequential write, 900K IOPS 4 KiB random
		 * read, 200K IOPS 4 KiB random write.  V-NAND V6 (128 layers,
		 * TLC).
		 */
		.cfg = {
			.mode = SSD_MODE_FTL,
			.channels = 8,			/* assumption: 8-channel controller */
			.dies_per_channel = 8,		/* assumption: 64 dies of 1 Tbit */
			.planes_per_die = 2,		/* assumption */
			.blocks_per_plane = 2048,	/* assumption: 8 TiB of NAND */
			.pages_per_block = 2048,	/* assumption */
			.page_size = 16 << 10,		/* assumption: 16 KiB TLC page */
			.t_read_ns = 45000,		/* V6 read "under 45 us" [vnand6] */
			/*
			 * fitted: 64 dies x 32 KiB / tPROG = 3,500 MB/s
			 * sequential write (V6's single-page "under 450 us"
			 * [vnand6] would give 4,660 MB/s)
			 */
			.t_prog_ns = 599000,
			.t_erase_ns = 3500000,		/* assumption: typical TLC tBERS */
			.channel_mbps = 1200,		/* assumption: Toggle 1.2 Gb/s x 8 */
			/* fitted: the 6,500 MB/s sequential read is the host side */
			.link_mbps = 6500,
			.fw_read_ns = 10000,		/* assumption */
			.fw_write_ns = 4000,		/* assumption */
			/* 7.68 TB of 8 TiB of NAND: (8.796 - 7.68) / 7.68 */
			.op_bp = 1453,
			.wb_bytes = 8 << 20,		/* assumption */
			/* assumption: background GC paced with host writes */
			.gc_low_lines = 1,
			.gc_high_lines = 3,
			.gc_paced = 1,
			/* assumption: a typical rating for 3-bit TLC */
			.pe_cycles = 3000,
		},
	},
	{
		.name = "zn540",
		.desc = "zoned namespace TLC, WD ZN540-class (NVMeVirt's preset)",
		/*
		 * NVMeVirt ssd_config.h, BASE_SSD == WD_ZN540 [nvmevirt]: a
		 * zone spans every die (DIES_PER_ZONE), no GC, no OP.
		 */
		.cfg = {
			.mode = SSD_MODE_ZNS,
			.channels = 8,			/* NAND_CHANNELS */
			.dies_per_channel = 4,		/* LUNS_PER_NAND_CH */
			/*
			 * ONESHOT_PAGE_SIZE = 3 x FLASH_PAGE_SIZE (TLC one-shot
			 * program), modelled as 3 planes: the same 96 KiB
			 * program unit, one tPROG
			 */
			.planes_per_die = 3,
			.blocks_per_plane = 1024,
			/*
			 * 32 dies x 96 KiB x 359 = 1077 MiB, the ZN540's zone
			 * capacity [zn540] (NVMeVirt's zones are its 2 GiB
			 * ZONE_SIZE, all of it writable)
			 */
			.pages_per_block = 359,
			.page_size = 32 << 10,		/* FLASH_PAGE_SIZE */
			.t_read_ns = 50000,		/* NAND_4KB_READ_LATENCY */
			.t_prog_ns = 561000,		/* NAND_PROG_LATENCY */
			/* NVMeVirt: 0; a typical TLC tBERS: assumption */
			.t_erase_ns = 3500000,
			.channel_mbps = 450,		/* NAND_CHANNEL_BANDWIDTH */
			.link_mbps = 3050,		/* PCIE_BANDWIDTH */
			.fw_read_ns = 20000,		/* FW_4KB_READ_LATENCY */
			.fw_write_ns = 5600,		/* FW_WBUF_LATENCY0 */
			.op_bp = 0,			/* OP_AREA_PERCENT */
			/*
			 * ZONE_WB_SIZE (10 program units per zone) for the
			 * ZN540's 14 active zones [zn540]: one shared buffer
			 */
			.wb_bytes = 14 * 10 * (96 << 10),
			/* assumption: a typical rating for 3-bit TLC */
			.pe_cycles = 3000,
		},
	},
	{
		.name = "optane",
		.desc = "write-in-place low latency, Optane P5800X-class, no GC",
		/*
		 * Intel Optane SSD DC P5800X 400 GB [p5800x]: 7,200 MB/s
		 * read, 6,100 MB/s write, 1.5M IOPS 4 KiB random read and
		 * write, about 5 us read latency.  The media's organisation
		 * is not public: every geometry and timing number here is an
		 * assumption or fitted.
		 */
		.cfg = {
			.mode = SSD_MODE_INPLACE,
			.channels = 7,			/* assumption */
			.dies_per_channel = 4,		/* assumption */
			.planes_per_die = 1,
			.blocks_per_plane = 1024,	/* sized to 448 GiB: assumption */
			.pages_per_block = 4096,
			.page_size = 4096,
			/* fitted: QD1 read = fw + tR + xfer + link = 5 us */
			.t_read_ns = 2500,
			.t_prog_ns = 3000,		/* assumption */
			.t_erase_ns = 0,		/* no erase */
			.channel_mbps = 2000,		/* assumption */
			.link_mbps = 7200,		/* fitted: sequential read */
			.fw_read_ns = 0,
			.fw_write_ns = 2000,		/* assumption */
			.op_bp = 0,
			.wb_bytes = 0,			/* no write buffer */
			/* no erases to count: Percentage Used stays 0 */
			.pe_cycles = 0,
		},
	},
};

/**
 * ssd_preset_at() - the i-th preset, to list them
 * @i: index from 0
 *
 * Return: the preset, or NULL past the last.
 */
const struct ssd_preset *ssd_preset_at(unsigned int i)
{
	return i < ARRAY_SIZE(ssd_presets) ? &ssd_presets[i] : NULL;
}

/**
 * ssd_preset_find() - a preset by name
 * @name: its name
 *
 * Return: the preset, or NULL.
 */
const struct ssd_preset *ssd_preset_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ssd_presets); i++)
		if (!strcmp(ssd_presets[i].name, name))
			return &ssd_presets[i];
	return NULL;
}

/* 4 KiB slots of the whole NAND array; 0 on overflow of u32. */
static u64 ssd_cfg_slots(const struct ssd_cfg *cfg)
{
	u64 s = (u64)cfg->channels * cfg->dies_per_channel;

	s *= (u64)cfg->planes_per_die * (cfg->page_size >> SSD_LPAGE_SHIFT);
	if (ssd_mul_overflow(s, (u64)cfg->pages_per_block, &s) ||
	    ssd_mul_overflow(s, (u64)cfg->blocks_per_plane, &s) ||
	    s >= U32_MAX)
		return 0;
	return s;
}

/* 4 KiB slots of one line */
static u64 ssd_cfg_line_slots(const struct ssd_cfg *cfg)
{
	return (u64)cfg->channels * cfg->dies_per_channel * cfg->planes_per_die *
	       (cfg->page_size >> SSD_LPAGE_SHIFT) * cfg->pages_per_block;
}

/**
 * ssd_cfg_max_lpages() - the largest exported capacity a geometry allows
 * @cfg: a configuration whose geometry passed ssd_cfg_check()
 *
 * FTL: the NAND array over (1 + op_bp / 10000), and no more than leaves
 * GC its reserve: gc_high_lines free lines plus the two open ones.
 * In place: the whole array.
 *
 * Return: 4 KiB pages.
 */
u64 ssd_cfg_max_lpages(const struct ssd_cfg *cfg)
{
	u64 slots = ssd_cfg_slots(cfg), op, gc;

	if (cfg->mode == SSD_MODE_INPLACE)
		return slots;
	if (cfg->mode == SSD_MODE_ZNS)
		return (u64)cfg->blocks_per_plane *
		       (cfg->zone_lpages ? cfg->zone_lpages : ssd_cfg_line_slots(cfg));
	op = ssd_div64(slots * 10000, 10000 + (u64)cfg->op_bp);
	if (cfg->blocks_per_plane < cfg->gc_high_lines + 2)
		return 0;
	gc = (u64)(cfg->blocks_per_plane - cfg->gc_high_lines - 2) *
	     ssd_cfg_line_slots(cfg);
	return ssd_min(op, gc);
}

/**
 * ssd_cfg_fit() - shrink a geometry to a drive of a given size
 * @cfg: a configuration (a preset's); its blocks_per_plane and
 *	capacity_lpages are set
 * @lpages: the drive's capacity in 4 KiB pages
 * @msg: where the reason goes
 * @len: size of @msg
 *
 * A preset describes a whole drive (970pro: 512 GiB of NAND); a drive of
 * a few GiB keeps its channels, dies, planes, pages, timings, OP and GC
 * thresholds and gets the fewest blocks per plane that hold @lpages with
 * them: the same lines, fewer of them.  Every other field is checked
 * first (ssd_cfg_check()), so a bad one is refused for what it is.
 *
 * Context: any.
 * Return: 0, or -EINVAL with @msg (no number of blocks is enough).
 */
int ssd_cfg_fit(struct ssd_cfg *cfg, u64 lpages, char *msg, size_t len)
{
	struct ssd_cfg c = *cfg;
	u32 lo = 1, hi = U32_MAX;
	int ret;

	/* the fields first, with blocks enough for GC's thresholds */
	c.blocks_per_plane = c.gc_high_lines < U32_MAX - 3 ? c.gc_high_lines + 3 : U32_MAX;
	c.capacity_lpages = 0;
	ret = ssd_cfg_check(&c, msg, len);
	if (ret)
		return ret;
	cfg->capacity_lpages = 0;
	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		cfg->blocks_per_plane = mid;
		/* enough, or too many to address: look lower */
		if (!ssd_cfg_slots(cfg) || ssd_cfg_max_lpages(cfg) >= lpages)
			hi = mid;
		else
			lo = mid + 1;
	}
	cfg->blocks_per_plane = lo;
	if (!ssd_cfg_slots(cfg) || ssd_cfg_max_lpages(cfg) < lpages) {
		snprintf(msg, len,
			 "capacity %llu 4 KiB pages: beyond what the geometry can address (16 TiB of NAND)",
			 (unsigned long long)lpages);
		return -EINVAL;
	}
	cfg->capacity_lpages = lpages;
	return ssd_cfg_check(cfg, msg, len);
}

/* "FIELD VALUE: why (lo..hi)" and -EINVAL unless lo <= v <= hi */
static int ssd_range(const char *field, u64 v, u64 lo, u64 hi, const char *why,
		     char *msg, size_t len)
{
	if (v >= lo && v <= hi)
		return 0;
	snprintf(msg, len, "%s %llu: %s (%llu..%llu)", field,
		 (unsigned long long)v, why, (unsigned long long)lo,
		 (unsigned long long)hi);
	return -EINVAL;
}

/* the u32 fields' ranges, in struct order */
static const struct ssd_field {
	const char	*name;
	size_t		off;
	u32		lo, hi;
	const char	*why;
} ssd_fields[] = {
#define SSD_FIELD(f, lo, hi, why)	{ #f, offsetof(struct ssd_cfg, f), lo, hi, why }
	SSD_FIELD(mode, SSD_MODE_FTL, SSD_MODE_ZNS, "unknown mode (0: FTL, 1: in place, 2: zoned)"),
	SSD_FIELD(channels, 1, SSD_MAX_CHANNELS, "a drive needs channels"),
	SSD_FIELD(dies_per_channel, 1, SSD_MAX_DIES_PER_CH, "zero dies, or too many"),
	SSD_FIELD(planes_per_die, 1, SSD_MAX_PLANES, "a die needs planes"),
	SSD_FIELD(blocks_per_plane, 1, U32_MAX, "a plane needs blocks"),
	SSD_FIELD(pages_per_block, 1, 65536, "a block needs pages"),
	SSD_FIELD(page_size, SSD_LPAGE_SIZE, SSD_MAX_PAGE_SIZE, "NAND page size"),
	SSD_FIELD(t_read_ns, 0, SSD_MAX_TIME_NS, "tR"),
	SSD_FIELD(t_prog_ns, 0, SSD_MAX_TIME_NS, "tPROG"),
	SSD_FIELD(t_erase_ns, 0, SSD_MAX_TIME_NS, "tBERS"),
	SSD_FIELD(channel_mbps, 1, 1000000, "a channel must move data"),
	SSD_FIELD(link_mbps, 0, 1000000, "host link, 0: not modelled"),
	SSD_FIELD(fw_read_ns, 0, SSD_MAX_TIME_NS, "controller time"),
	SSD_FIELD(fw_write_ns, 0, SSD_MAX_TIME_NS, "controller time"),
	SSD_FIELD(op_bp, 0, SSD_MAX_OP_BP, "over-provisioning, basis points"),
	SSD_FIELD(wb_bytes, 0, SSD_MAX_WB_BYTES, "write buffer"),
	SSD_FIELD(gc_paced, 0, 1, "0: whole lines, 1: paced"),
	SSD_FIELD(pe_cycles, 0, 10000000, "rated P/E cycles, 0: not rated"),
	SSD_FIELD(ctrl_cores, 0, SSD_MAX_CTRL_CORES, "controller cores, 0: not modelled"),
	SSD_FIELD(fw_gc_ns, 0, SSD_MAX_TIME_NS, "controller time"),
#undef SSD_FIELD
};

/**
 * ssd_cfg_check() - refuse a bad or impossible configuration
 * @cfg: the configuration
 * @msg: where the reason goes ("FIELD VALUE: why (range)")
 * @len: size of @msg
 *
 * Every field is range-checked; then the geometry must be addressable
 * (fewer than 2^32 4 KiB slots, 16 TiB), the write buffer must hold a
 * program unit, and the capacity must fit in the NAND array minus the
 * over-provisioning and GC's reserve.
 *
 * Context: any.
 * Return: 0 or -EINVAL with @msg.
 */
int ssd_cfg_check(const struct ssd_cfg *cfg, char *msg, size_t len)
{
	bool ftl = cfg->mode == SSD_MODE_FTL;
	u64 slots, unit, max;
	unsigned int i;

	if (len)
		msg[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(ssd_fields); i++) {
		const struct ssd_field *f = &ssd_fields[i];
		u32 v = *(const u32 *)((const u8 *)cfg + f->off);

		if (ssd_range(f->name, v, f->lo, f->hi, f->why, msg, len))
			return -EINVAL;
	}
	if (cfg->page_size % SSD_LPAGE_SIZE) {
		snprintf(msg, len, "page_size %u: not a multiple of 4096",
			 cfg->page_size);
		return -EINVAL;
	}
	if (cfg->wb_bytes % SSD_LPAGE_SIZE) {
		snprintf(msg, len, "wb_bytes %u: not a multiple of 4096",
			 cfg->wb_bytes);
		return -EINVAL;
	}
	if (ftl) {
		if (ssd_range("gc_low_lines", cfg->gc_low_lines, 1,
			      cfg->blocks_per_plane,
			      "GC needs a free line to move pages to", msg, len) ||
		    ssd_range("gc_high_lines", cfg->gc_high_lines,
			      cfg->gc_low_lines + 1, cfg->blocks_per_plane,
			      "GC stops above where it starts", msg, len))
			return -EINVAL;
	}
	slots = ssd_cfg_slots(cfg);
	if (!slots) {
		snprintf(msg, len,
			 "geometry %ux%ux%ux%ux%u of %u B pages: 2^32 or more 4 KiB slots, beyond the map's 16 TiB",
			 cfg->channels, cfg->dies_per_channel,
			 cfg->planes_per_die, cfg->blocks_per_plane,
			 cfg->pages_per_block, cfg->page_size);
		return -EINVAL;
	}
	unit = (u64)cfg->planes_per_die * cfg->page_size;
	if (cfg->mode == SSD_MODE_ZNS && cfg->zone_lpages &&
	    cfg->zone_lpages < ssd_cfg_line_slots(cfg)) {
		snprintf(msg, len,
			 "zone size %llu KiB: smaller than a line (%llu KiB: dies x planes x pages_per_block x page_size), a zone's capacity",
			 (unsigned long long)cfg->zone_lpages * 4,
			 (unsigned long long)ssd_cfg_line_slots(cfg) * 4);
		return -EINVAL;
	}
	if (cfg->mode != SSD_MODE_INPLACE && cfg->wb_bytes < unit) {
		snprintf(msg, len,
			 "wb_bytes %u: smaller than one program unit (%llu B: planes x page)",
			 cfg->wb_bytes, (unsigned long long)unit);
		return -EINVAL;
	}
	max = ssd_cfg_max_lpages(cfg);
	if (!max) {
		snprintf(msg, len,
			 "blocks_per_plane %u: no room for data after GC's reserve of %u lines",
			 cfg->blocks_per_plane, cfg->gc_high_lines + 2);
		return -EINVAL;
	}
	if (cfg->capacity_lpages > max) {
		snprintf(msg, len,
			 "capacity_lpages %llu: beyond the NAND array's %llu 4 KiB slots minus over-provisioning (%u bp) and GC's reserve (%u lines): at most %llu",
			 (unsigned long long)cfg->capacity_lpages,
			 (unsigned long long)slots, ftl ? cfg->op_bp : 0,
			 ftl ? cfg->gc_high_lines + 2 : 0,
			 (unsigned long long)max);
		return -EINVAL;
	}
	return 0;
}
