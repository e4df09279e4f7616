// SPDX-License-Identifier: GPL-2.0
/*
 * uringblk-ssdsim: a fio-like job replayed on the SSD model
 * (driver/ssd/, Documentation/dev/ssd-model.md) in model time.
 *
 *   uringblk-ssdsim [--preset NAME] [geometry options] [job options]
 *
 * QD jobs run closed-loop: each issues its next I/O when its last
 * completes, in model time, for --time of model time.  Prints one line a
 * --interval (IOPS, MB/s, latency p50/p99/p99.9, the interval's WAF, GC
 * runs) and a summary; --csv prints the lines as CSV.  Exact and
 * deterministic: the model has no noise and the offsets come from a
 * seeded xorshift64* (--seed).  The interval percentiles are exact (every
 * latency sorted); the summary's come from a log-linear histogram
 * (within 1/128 of the value).
 */
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../driver/ssd/ssd.h"

enum rw { RW_READ, RW_WRITE, RW_RANDREAD, RW_RANDWRITE, RW_RANDRW };

static const char *const rw_names[] = {
	[RW_READ] = "read", [RW_WRITE] = "write", [RW_RANDREAD] = "randread",
	[RW_RANDWRITE] = "randwrite", [RW_RANDRW] = "randrw",
};

struct job {
	enum rw rw;
	unsigned int rwmixread;	/* % reads of randrw */
	u64 bs;			/* bytes, a multiple of 4 KiB */
	unsigned int qd;
	double span_pct;	/* of the capacity, from 0 */
	bool fill;
	u64 time_ns;
	u64 interval_ns;
	u64 seed;
	bool csv;
	bool internal;		/* reads for the drive itself: no host link */
	u64 bg_iops;		/* background 4 KiB random writes a second */
	u64 ramp_ns;		/* model time run before anything is counted */
	double precondition;	/* capacities of 4 KiB random writes first */
};

static u64 rng_state;

static u64 rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "uringblk-ssdsim: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(2);
}

/* 4k, 128K, 1m, 1g or plain bytes */
static u64 parse_size(const char *s)
{
	char *end;
	double v = strtod(s, &end);
	u64 mul = 1;

	switch (*end) {
	case 'k': case 'K': mul = 1ULL << 10; end++; break;
	case 'm': case 'M': mul = 1ULL << 20; end++; break;
	case 'g': case 'G': mul = 1ULL << 30; end++; break;
	}
	if (end == s || *end || v < 0)
		die("bad size '%s'", s);
	return (u64)(v * mul);
}

/* 60s, 500ms, 100us, 1000ns; plain: seconds */
static u64 parse_time(const char *s)
{
	char *end;
	double v = strtod(s, &end);
	double mul = 1e9;

	if (!strcmp(end, "ms"))
		mul = 1e6;
	else if (!strcmp(end, "us"))
		mul = 1e3;
	else if (!strcmp(end, "ns"))
		mul = 1;
	else if (*end && strcmp(end, "s"))
		die("bad time '%s'", s);
	if (end == s || v < 0)
		die("bad time '%s'", s);
	return (u64)(v * mul);
}

static u32 parse_u32(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (end == s || *end || v > UINT32_MAX)
		die("bad number '%s'", s);
	return (u32)v;
}

/* ---- latency: exact per interval, log-linear over the run ---- */

struct lats {
	u64 *v;
	size_t n, cap;
};

static void lat_add(struct lats *l, u64 ns)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 65536;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v)
			die("%s", "out of memory");
	}
	l->v[l->n++] = ns;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* the nearest-rank percentile of sorted values */
static u64 pct(const u64 *v, size_t n, double p)
{
	size_t r;

	if (!n)
		return 0;
	r = (size_t)ceil(p / 100 * n);
	return v[r ? r - 1 : 0];
}

#define HSUB	128	/* sub-buckets per power of two */
static u64 hist[64 * HSUB];

static unsigned int hidx(u64 ns)
{
	unsigned int e;

	if (ns < HSUB)
		return (unsigned int)ns;
	e = 63 - __builtin_clzll(ns);	/* >= 7 */
	return (e - 6) * HSUB + (unsigned int)((ns >> (e - 7)) - HSUB);
}

static u64 hval(unsigned int i)
{
	unsigned int e;

	if (i < HSUB)
		return i;
	e = i / HSUB + 6;
	return (u64)(HSUB + i % HSUB) << (e - 7);
}

static u64 hpct(u64 total, double p)
{
	u64 want = (u64)ceil(p / 100 * total), seen = 0;
	unsigned int i;

	for (i = 0; i < 64 * HSUB; i++) {
		seen += hist[i];
		if (seen >= want && seen)
			return hval(i);
	}
	return 0;
}

/* ---- the QD jobs: a min-heap of next issue times ---- */

struct slot {
	u64 t;
	unsigned int id;
};

static void heap_down(struct slot *h, unsigned int n, unsigned int i)
{
	for (;;) {
		unsigned int l = 2 * i + 1, r = l + 1, m = i;
		struct slot t;

		if (l < n && (h[l].t < h[m].t || (h[l].t == h[m].t && h[l].id < h[m].id)))
			m = l;
		if (r < n && (h[r].t < h[m].t || (h[r].t == h[m].t && h[r].id < h[m].id)))
			m = r;
		if (m == i)
			return;
		t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

static void usage(void)
{
	unsigned int i;

	printf("usage: uringblk-ssdsim [--preset NAME] [options]\n"
	       "job:      --rw read|write|randread|randwrite|randrw [--rwmixread N]\n"
	       "          --bs 4k --qd 32 --span 100%% [--fill] --time 60s\n"
	       "          [--interval 1s] [--seed N] [--csv] [--ramp 2s]\n"
	       "          [--internal] [--bg-write-iops N] [--precondition N]\n"
	       "          (background writes and preconditioning: past --span if\n"
	       "          it is under 100%%, else over the whole drive)\n"
	       "geometry: --channels N --dies N (per channel) --planes N --blocks N\n"
	       "          (per plane) --pages N (per block) --page-size 16k\n"
	       "          --tr NS --tprog NS --tbers NS --ch-mbps N --link-mbps N\n"
	       "          --fw-read NS --fw-write NS --op PCT --wb 1m --gc-low N\n"
	       "          --gc-high N --gc-paced 0|1 --capacity SIZE --inplace\n"
	       "          --zone-size SIZE (zoned presets: a zone's span)\n"
	       "          --ctrl-cores N (firmware time on N controller cores)\n"
	       "          --fw-gc NS (firmware time per page GC moves)\n"
	       "          (--capacity without --blocks: the blocks it needs)\n"
	       "zoned:    offsets run over the zones' capacities; a sequential\n"
	       "          write reaching a written zone resets it first\n"
	       "presets:\n");
	for (i = 0; ssd_preset_at(i); i++)
		printf("  %-8s %s\n", ssd_preset_at(i)->name, ssd_preset_at(i)->desc);
}

enum {
	O_PRESET = 256, O_RW, O_MIX, O_BS, O_QD, O_SPAN, O_FILL, O_TIME,
	O_INTERVAL, O_SEED, O_CSV, O_CH, O_DIES, O_PLANES, O_BLOCKS, O_PAGES,
	O_PSIZE, O_TR, O_TPROG, O_TBERS, O_CHMBPS, O_LINK, O_FWR, O_FWW, O_OP,
	O_WB, O_GCLOW, O_GCHIGH, O_GCPACED, O_CAP, O_INPLACE, O_ZSIZE, O_INTERNAL,
	O_BG, O_RAMP, O_PRECOND, O_CORES, O_FWGC, O_HELP,
};

static const struct option opts[] = {
	{ "preset", 1, 0, O_PRESET }, { "rw", 1, 0, O_RW },
	{ "rwmixread", 1, 0, O_MIX }, { "bs", 1, 0, O_BS },
	{ "qd", 1, 0, O_QD }, { "iodepth", 1, 0, O_QD },
	{ "span", 1, 0, O_SPAN }, { "fill", 0, 0, O_FILL },
	{ "time", 1, 0, O_TIME }, { "interval", 1, 0, O_INTERVAL },
	{ "seed", 1, 0, O_SEED }, { "csv", 0, 0, O_CSV },
	{ "channels", 1, 0, O_CH }, { "dies", 1, 0, O_DIES },
	{ "planes", 1, 0, O_PLANES }, { "blocks", 1, 0, O_BLOCKS },
	{ "pages", 1, 0, O_PAGES }, { "page-size", 1, 0, O_PSIZE },
	{ "tr", 1, 0, O_TR }, { "tprog", 1, 0, O_TPROG },
	{ "tbers", 1, 0, O_TBERS }, { "ch-mbps", 1, 0, O_CHMBPS },
	{ "link-mbps", 1, 0, O_LINK }, { "fw-read", 1, 0, O_FWR },
	{ "fw-write", 1, 0, O_FWW }, { "op", 1, 0, O_OP },
	{ "wb", 1, 0, O_WB }, { "gc-low", 1, 0, O_GCLOW },
	{ "gc-high", 1, 0, O_GCHIGH }, { "gc-paced", 1, 0, O_GCPACED },
	{ "capacity", 1, 0, O_CAP },
	{ "inplace", 0, 0, O_INPLACE }, { "zone-size", 1, 0, O_ZSIZE },
	{ "internal", 0, 0, O_INTERNAL }, { "bg-write-iops", 1, 0, O_BG },
	{ "ramp", 1, 0, O_RAMP }, { "precondition", 1, 0, O_PRECOND },
	{ "ctrl-cores", 1, 0, O_CORES }, { "fw-gc", 1, 0, O_FWGC },
	{ "help", 0, 0, O_HELP },
	{ 0 },
};

static void parse(int argc, char **argv, struct ssd_cfg *c, struct job *j)
{
	const struct ssd_preset *p = ssd_preset_find("970pro");
	bool blocks = false;
	char msg[256];
	int o, k;

	/* the preset first, wherever it is: the other options override it */
	for (k = 1; k < argc - 1; k++)
		if (!strcmp(argv[k], "--preset")) {
			p = ssd_preset_find(argv[k + 1]);
			if (!p)
				die("no preset '%s' (--help lists them)", argv[k + 1]);
		}
	*c = p->cfg;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case O_PRESET: break;
		case O_RW:
			for (k = 0; k < (int)ARRAY_SIZE(rw_names); k++)
				if (!strcmp(optarg, rw_names[k]))
					break;
			if (k == (int)ARRAY_SIZE(rw_names))
				die("bad --rw '%s'", optarg);
			j->rw = k;
			break;
		case O_MIX:
			j->rwmixread = parse_u32(optarg);
			if (j->rwmixread > 100)
				die("--rwmixread '%s': 0..100", optarg);
			break;
		case O_BS: j->bs = parse_size(optarg); break;
		case O_QD: j->qd = parse_u32(optarg); break;
		case O_SPAN:
			j->span_pct = strtod(optarg, NULL);
			if (j->span_pct <= 0 || j->span_pct > 100)
				die("--span '%s': (0..100]%%", optarg);
			break;
		case O_FILL: j->fill = true; break;
		case O_TIME: j->time_ns = parse_time(optarg); break;
		case O_INTERVAL: j->interval_ns = parse_time(optarg); break;
		case O_SEED: j->seed = strtoull(optarg, NULL, 0); break;
		case O_CSV: j->csv = true; break;
		case O_CH: c->channels = parse_u32(optarg); break;
		case O_DIES: c->dies_per_channel = parse_u32(optarg); break;
		case O_PLANES: c->planes_per_die = parse_u32(optarg); break;
		case O_BLOCKS:
			c->blocks_per_plane = parse_u32(optarg);
			blocks = true;
			break;
		case O_PAGES: c->pages_per_block = parse_u32(optarg); break;
		case O_PSIZE: c->page_size = (u32)parse_size(optarg); break;
		case O_TR: c->t_read_ns = parse_u32(optarg); break;
		case O_TPROG: c->t_prog_ns = parse_u32(optarg); break;
		case O_TBERS: c->t_erase_ns = parse_u32(optarg); break;
		case O_CHMBPS: c->channel_mbps = parse_u32(optarg); break;
		case O_LINK: c->link_mbps = parse_u32(optarg); break;
		case O_FWR: c->fw_read_ns = parse_u32(optarg); break;
		case O_FWW: c->fw_write_ns = parse_u32(optarg); break;
		case O_OP: c->op_bp = (u32)llround(strtod(optarg, NULL) * 100); break;
		case O_WB: c->wb_bytes = (u32)parse_size(optarg); break;
		case O_GCLOW: c->gc_low_lines = parse_u32(optarg); break;
		case O_GCHIGH: c->gc_high_lines = parse_u32(optarg); break;
		case O_GCPACED: c->gc_paced = parse_u32(optarg); break;
		case O_CAP: c->capacity_lpages = parse_size(optarg) >> SSD_LPAGE_SHIFT; break;
		case O_INPLACE: c->mode = SSD_MODE_INPLACE; break;
		case O_ZSIZE: c->zone_lpages = (u32)(parse_size(optarg) >> SSD_LPAGE_SHIFT); break;
		case O_INTERNAL: j->internal = true; break;
		case O_FWGC: c->fw_gc_ns = parse_u32(optarg); break;
		case O_CORES: c->ctrl_cores = parse_u32(optarg); break;
		case O_BG: j->bg_iops = parse_u32(optarg); break;
		case O_PRECOND:
			j->precondition = strtod(optarg, NULL);
			if (!(j->precondition >= 0 && j->precondition <= 100))
				die("--precondition '%s': 0..100 capacities", optarg);
			break;
		case O_RAMP: j->ramp_ns = parse_time(optarg); break;
		case O_HELP: usage(); exit(0);
		default: usage(); exit(2);
		}
	}
	if (optind < argc)
		die("unexpected '%s'", argv[optind]);
	/* a capacity without --blocks: as many blocks as it needs, as a drive's */
	if (c->capacity_lpages && !blocks &&
	    ssd_cfg_fit(c, c->capacity_lpages, msg, sizeof(msg)))
		die("%s", msg);
	if (!j->bs || j->bs % SSD_LPAGE_SIZE)
		die("%s", "--bs: a multiple of 4 KiB");
	if (!j->qd || j->qd > 65536)
		die("%s", "--qd: 1..65536");
	if ((j->bg_iops || j->precondition) && c->mode == SSD_MODE_ZNS)
		die("%s", "--bg-write-iops, --precondition: a zoned drive takes sequential writes only");
	if (!j->interval_ns)
		die("%s", "--interval: above 0");
	if (c->mode == SSD_MODE_ZNS && (j->rw == RW_RANDWRITE || j->rw == RW_RANDRW))
		die("--rw %s: a zoned drive takes sequential writes only", rw_names[j->rw]);
}

/*
 * A byte offset into the zones' capacities to the drive's: zones span
 * zone_lpages of which the first slots_per_line are writable.
 */
static u64 zoned_off(const struct ssd *s, u64 off)
{
	u64 cap = (u64)s->slots_per_line << SSD_LPAGE_SHIFT;

	if (s->cfg.mode != SSD_MODE_ZNS)
		return off;
	return off / cap * (s->zone_lpages << SSD_LPAGE_SHIFT) + off % cap;
}

static u64 resets, reset_ns;
/* the background writes' 4 KiB pages: past the job's span, or all */
static u64 bg_lo, bg_n;

/*
 * Issue one I/O at @t, a background writer's (@bg: a 4 KiB random write)
 * or the job's; return when it completes.
 */
static u64 issue(struct ssd *s, const struct job *j, bool bg, u64 t, u64 *seq,
		 u64 nbs)
{
	enum ssd_op op = SSD_READ;
	u64 off, done;
	bool rand;

	if (bg) {
		off = (bg_lo + rnd() % bg_n) << SSD_LPAGE_SHIFT;
		if (ssd_submit_bytes(s, SSD_WRITE, off, SSD_LPAGE_SIZE, 0, t, &done))
			die("%s", "submit failed");
		return done;
	}
	switch (j->rw) {
	case RW_READ: case RW_RANDREAD: op = SSD_READ; break;
	case RW_WRITE: case RW_RANDWRITE: op = SSD_WRITE; break;
	case RW_RANDRW:
		op = rnd() % 100 < j->rwmixread ? SSD_READ : SSD_WRITE;
		break;
	}
	rand = j->rw >= RW_RANDREAD;
	off = zoned_off(s, (rand ? rnd() % nbs : (*seq)++ % nbs) * j->bs);
	/* a zoned drive's zone is reset before it is written again */
	if (s->cfg.mode == SSD_MODE_ZNS && op == SSD_WRITE &&
	    off % (s->zone_lpages << SSD_LPAGE_SHIFT) == 0 &&
	    s->zone_wp[off / (s->zone_lpages << SSD_LPAGE_SHIFT)]) {
		ssd_submit_bytes(s, SSD_ZONE_RESET, off, 0, 0, t, &done);
		resets++;
		reset_ns += done - t;
	}
	if (ssd_submit_bytes(s, op, off, j->bs,
			     op == SSD_READ && j->internal ? SSD_REQ_INTERNAL : 0, t, &done))
		die("%s", "submit failed");
	return done;
}

int main(int argc, char **argv)
{
	struct job j = {
		.rw = RW_RANDREAD, .rwmixread = 50, .bs = 4096, .qd = 32,
		.span_pct = 100, .time_ns = 10000000000ULL,
		.interval_ns = 1000000000ULL, .seed = 1,
	};
	struct ssd_counters c0, c1;
	struct lats iv = { 0 };
	u64 span, nbs, seq = 0, t0, next_iv, ops = 0, bytes = 0, host0, nand0;
	u64 all_ops = 0, all_bytes = 0, gc0, done, i, busy0 = 0;
	u64 bg_ops = 0;
	unsigned int nslots;
	struct ssd_cfg cfg;
	struct slot *h;
	char msg[256];
	struct ssd s;
	unsigned int n;

	parse(argc, argv, &cfg, &j);
	rng_state = j.seed ? j.seed : 1;
	if (ssd_init(&s, &cfg, msg, sizeof(msg)))
		die("%s", msg[0] ? msg : "out of memory");
	/* a zoned drive's offsets run over its zones' capacities */
	span = (u64)((s.cfg.mode == SSD_MODE_ZNS ? (u64)s.nlines * s.slots_per_line :
		      s.lpages) * j.span_pct / 100) << SSD_LPAGE_SHIFT;
	if (s.cfg.mode == SSD_MODE_ZNS && ((u64)s.slots_per_line << SSD_LPAGE_SHIFT) % j.bs)
		die("%s", "--bs: must divide a zone's capacity");
	nbs = span / j.bs;
	if (!nbs)
		die("%s", "--span: smaller than one --bs");

	printf("# %u ch x %u dies x %u planes, %u blocks x %u pages of %u B; %.2f GiB exported, OP %.2f%%, state %.1f MiB\n",
	       cfg.channels, cfg.dies_per_channel, cfg.planes_per_die,
	       cfg.blocks_per_plane, cfg.pages_per_block, cfg.page_size,
	       (double)s.lpages / 262144, cfg.op_bp / 100.0,
	       ssd_state_bytes(&cfg) / 1048576.0);
	printf("# job: --rw %s --bs %llu --qd %u --span %g%% --time %.3fs --seed %llu%s%s\n",
	       rw_names[j.rw], (unsigned long long)j.bs, j.qd, j.span_pct,
	       j.time_ns / 1e9, (unsigned long long)j.seed, j.fill ? " --fill" : "",
	       j.internal ? " --internal" : "");

	t0 = 0;
	if (j.fill) {
		u64 step = 128 << 10;

		for (i = 0; i < span; i += step)
			ssd_submit_bytes(&s, SSD_WRITE, zoned_off(&s, i),
					 span - i < step ? span - i : step, 0, t0, &t0);
		ssd_submit(&s, SSD_FLUSH, 0, 0, 0, t0, &t0);
		printf("# fill: %.3f s of model time\n", t0 / 1e9);
	}

	/*
	 * SNIA PTS-style preconditioning: random 4 KiB writes, QD32 closed
	 * loop, until --precondition capacities are written
	 */
	bg_lo = j.span_pct < 100 ? span >> SSD_LPAGE_SHIFT : 0;
	bg_n = s.lpages - bg_lo;
	if (j.precondition > 0) {
		u64 want = (u64)(j.precondition * bg_n), k, pt[32] = { 0 };

		/* each of 32 in turn, when its last write is done */
		for (k = 0; k < want; k++) {
			t0 = ssd_max(t0, pt[k % 32]);
			pt[k % 32] = issue(&s, &j, true, t0, &seq, nbs);
		}
		for (k = 0; k < 32; k++)
			t0 = ssd_max(t0, pt[k]);
		ssd_submit(&s, SSD_FLUSH, 0, 0, 0, t0, &t0);
		printf("# precondition: %.2f capacities of 4 KiB random writes, %.3f s of model time, WAF %.3f\n",
		       j.precondition, t0 / 1e9, ssd_waf_x1000(&s.cnt) / 1000.0);
	}
	/* the job's slots, then the background writer's (id qd, open loop) */
	nslots = j.qd + !!j.bg_iops;
	h = calloc(nslots, sizeof(*h));
	if (!h)
		die("%s", "out of memory");
	for (n = 0; n < nslots; n++) {
		h[n].t = t0;
		h[n].id = n;
	}
	/* --ramp: run, but count from t0 */
	if (j.ramp_ns) {
		u64 end = t0 + j.ramp_ns;

		while (h[0].t < end) {
			if (h[0].id >= j.qd) {
				issue(&s, &j, true, h[0].t, &seq, nbs);
				h[0].t += 1000000000ULL / j.bg_iops;
			} else {
				h[0].t = issue(&s, &j, false, h[0].t, &seq, nbs);
			}
			heap_down(h, nslots, 0);
		}
		t0 = end;
		printf("# ramp: %.3f s of model time\n", j.ramp_ns / 1e9);
	}
	for (i = 0; i < s.ndies; i++)
		busy0 += s.die_busy_ns[i];
	c0 = s.cnt;
	host0 = c0.host_pages_written;
	nand0 = c0.nand_pages_written;
	gc0 = c0.gc_runs;
	next_iv = t0 + j.interval_ns;
	if (j.csv)
		printf("time_s,iops,mbps,p50_us,p99_us,p999_us,waf,gc_runs\n");
	else
		printf("%9s %10s %9s %9s %9s %9s %7s %8s\n", "time_s", "iops",
		       "MB/s", "p50_us", "p99_us", "p99.9_us", "waf", "gc_runs");
	n = nslots;
	while (n) {
		u64 t = h[0].t, lat;

		while (t >= next_iv && next_iv <= t0 + j.time_ns) {
			double secs = j.interval_ns / 1e9;
			u64 hw = s.cnt.host_pages_written - host0;
			u64 nw = s.cnt.nand_pages_written - nand0;

			qsort(iv.v, iv.n, sizeof(*iv.v), cmp_u64);
			printf(j.csv ? "%.3f,%.0f,%.2f,%.2f,%.2f,%.2f,%.3f,%llu\n" :
			       "%9.3f %10.0f %9.2f %9.2f %9.2f %9.2f %7.3f %8llu\n",
			       (next_iv - t0) / 1e9, ops / secs, bytes / secs / 1e6,
			       pct(iv.v, iv.n, 50) / 1e3, pct(iv.v, iv.n, 99) / 1e3,
			       pct(iv.v, iv.n, 99.9) / 1e3, hw ? (double)nw / hw : 0.0,
			       (unsigned long long)(s.cnt.gc_runs - gc0));
			host0 = s.cnt.host_pages_written;
			nand0 = s.cnt.nand_pages_written;
			gc0 = s.cnt.gc_runs;
			iv.n = 0;
			ops = 0;
			bytes = 0;
			next_iv += j.interval_ns;
		}
		if (t >= t0 + j.time_ns) {
			/* this job is done: drop it from the heap */
			h[0] = h[--n];
			heap_down(h, n, 0);
			continue;
		}
		if (h[0].id >= j.qd) {	/* the background writer: open loop */
			issue(&s, &j, true, t, &seq, nbs);
			h[0].t = t + 1000000000ULL / j.bg_iops;
			bg_ops++;
			heap_down(h, n, 0);
			continue;
		}
		done = issue(&s, &j, false, t, &seq, nbs);
		lat = done - t;
		lat_add(&iv, lat);
		hist[hidx(lat)]++;
		ops++;
		bytes += j.bs;
		all_ops++;
		all_bytes += j.bs;
		h[0].t = done;
		heap_down(h, n, 0);
	}
	c1 = s.cnt;
	{
		double secs = j.time_ns / 1e9;
		u64 hw = c1.host_pages_written - c0.host_pages_written;
		u64 nw = c1.nand_pages_written - c0.nand_pages_written;
		u64 busy = 0;

		for (i = 0; i < s.ndies; i++)
			busy += s.die_busy_ns[i];
		printf("# total: %.0f IOPS, %.2f MB/s, p50 %.2f us, p99 %.2f us, p99.9 %.2f us, WAF %.3f, GC runs %llu (%llu forced), pages moved %llu, erases %llu, dies busy %.1f%%\n",
		       all_ops / secs, all_bytes / secs / 1e6,
		       hpct(all_ops, 50) / 1e3, hpct(all_ops, 99) / 1e3,
		       hpct(all_ops, 99.9) / 1e3, hw ? (double)nw / hw : 0.0,
		       (unsigned long long)(c1.gc_runs - c0.gc_runs),
		       (unsigned long long)(c1.gc_forced_runs - c0.gc_forced_runs),
		       (unsigned long long)(c1.gc_pages_moved - c0.gc_pages_moved),
		       (unsigned long long)(c1.erases - c0.erases),
		       100.0 * (busy - busy0) / s.ndies / (double)j.time_ns);
		if (j.bg_iops)
			printf("# background: 4 KiB random writes, %.0f IOPS\n", bg_ops / secs);
		if (resets)
			printf("# zone resets: %llu, %.1f us each (mean)\n",
			       (unsigned long long)resets, reset_ns / 1e3 / resets);
	}
	free(h);
	free(iv.v);
	ssd_destroy(&s);
	return 0;
}
