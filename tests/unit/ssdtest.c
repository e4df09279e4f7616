// SPDX-License-Identifier: GPL-2.0
/*
 * The SSD model (driver/ssd/) against oracles that do not come from it:
 *   - timing by hand: one read on an idle drive, reads on different dies
 *     and channels, reads on one die, a full buffer, FLUSH and FUA, and
 *     sequential write bandwidth = min(dies x unit / tPROG, channels x
 *     channel rate);
 *   - WAF of greedy GC under uniform random 4 KiB writes at steady state
 *     against the analytic model of Xiang and Kurkoski (arXiv:1110.4245,
 *     2012; the large-block limit of Desnoyers, SYSTOR 2012):
 *     WAF = 1 / (1 - u), u = exp(-alpha (1 - u)), alpha = physical over
 *     logical pages, at over-provisioning 7%, 15%, 28% and 50%, within 5%
 *     (paced GC: within bounds of it, and never forced at steady state);
 *   - trim: the trimmed drive's WAF drops to the formula's with the
 *     effective over-provisioning;
 *   - sequential overwrites: WAF 1.0 exactly, erases counted exactly by
 *     replaying the documented GC thresholds on a free-line counter;
 *   - the map a bijection, valid counts right, NAND pages written = host
 *     pages + GC moves, also through a random mix of every command with
 *     both GC modes (100,000 commands each; a million with SSDTEST_LONG);
 *   - no die runs two operations at once: every die operation of every
 *     test (about 24 million) kept and checked (SSD_OP_CHECK);
 *   - zoned namespaces: a zone's programs, reads, refusals, append,
 *     finish, reset (tBERS by hand, behind a program, over a range) and
 *     the buffer's eviction counted exactly; a random mix of every zone
 *     command (200,000; 2 million with SSDTEST_LONG) with WAF exactly 1;
 *   - the controller's cores: firmware time and programs' runs queue on
 *     them, by hand; without cores firmware time is a delay;
 *   - bad geometries refused with their message.
 * Deterministic (seeded xorshift).  SSDTEST_LONG=1: 4 times the lines
 * for the WAF cases, to show the finite-size effect shrinking.
 *
 * usage: ssdtest (prints "ssdtest: N checks passed, N failed")
 */
#include <math.h>
#include <stdlib.h>
#include "../../driver/ssd/ssd.h"

static int passed, failed;
static u64 sub_errors;

#include "../check.h"

static u64 rng = 0x9e3779b97f4a7c15ULL;

static u64 next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* 2 channels x 2 dies, 16 KiB pages (4 slots), 16 pages a block */
static struct ssd_cfg small_cfg(void)
{
	struct ssd_cfg c = {
		.mode = SSD_MODE_FTL,
		.channels = 2,
		.dies_per_channel = 2,
		.planes_per_die = 1,
		.blocks_per_plane = 256,
		.pages_per_block = 16,
		.page_size = 16384,
		.t_read_ns = 50000,
		.t_prog_ns = 500000,
		.t_erase_ns = 3000000,
		.channel_mbps = 400,
		.op_bp = 700,
		.wb_bytes = 65536,
		.gc_low_lines = 1,
		.gc_high_lines = 2,
	};
	return c;
}

/* ceil(bytes x 1000 / mbps): the hand calculation of a transfer */
static u64 xfer(u64 bytes, u64 mbps)
{
	return (bytes * 1000 + mbps - 1) / mbps;
}

/*
 * No die runs two operations at once, checked operation by operation
 * (SSD_OP_CHECK): every die operation's array time is kept, and when the
 * test's model is replaced (mk(), the end) each die's are sorted by start
 * and must not overlap.  Sorted, not checked as they come: a read may go
 * into a hole before a program booked earlier ("Holes", ssd_nand.c).
 */
struct dop {
	u64	start, end;
};

static struct {
	u32		ndies;
	struct dop	**iv;		/* [die]: its operations */
	u64		*n, *cap;	/* [die] */
	u64		ops, overlaps;
} dops;

static int dop_cmp(const void *a, const void *b)
{
	const struct dop *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static void dops_reset(u32 ndies)
{
	u32 die;
	u64 i, end;

	for (die = 0; die < dops.ndies; die++) {
		struct dop *iv = dops.iv[die];

		if (dops.n[die] > 1)
			qsort(iv, dops.n[die], sizeof(*iv), dop_cmp);
		for (i = 0, end = 0; i < dops.n[die]; i++) {
			if (iv[i].start < end && !dops.overlaps++)
				printf("# die %u: an operation [%llu, %llu) starts before the one "
				       "before it ends (%llu)\n", die,
				       (unsigned long long)iv[i].start,
				       (unsigned long long)iv[i].end, (unsigned long long)end);
			end = ssd_max(end, iv[i].end);
		}
		free(iv);
	}
	free(dops.iv);
	free(dops.n);
	free(dops.cap);
	dops.ndies = ndies;
	dops.iv = calloc(ndies, sizeof(*dops.iv));
	dops.n = calloc(ndies, sizeof(*dops.n));
	dops.cap = calloc(ndies, sizeof(*dops.cap));
	if (ndies && (!dops.iv || !dops.n || !dops.cap)) {
		printf("# ssdtest: out of memory\n");
		exit(1);
	}
}

void ssd_op_check(const struct ssd *ssd, u32 die, u64 start, u64 end)
{
	(void)ssd;
	if (die >= dops.ndies) {
		dops.overlaps++;
		printf("# an operation on die %u of %u\n", die, dops.ndies);
		return;
	}
	if (start >= end)	/* optane's erase: none */
		return;
	if (dops.n[die] == dops.cap[die]) {
		dops.cap[die] = dops.cap[die] ? 2 * dops.cap[die] : 1024;
		dops.iv[die] = realloc(dops.iv[die], dops.cap[die] * sizeof(struct dop));
		if (!dops.iv[die]) {
			printf("# ssdtest: out of memory\n");
			exit(1);
		}
	}
	dops.iv[die][dops.n[die]++] = (struct dop){ start, end };
	dops.ops++;
}

static int mk(struct ssd *s, const struct ssd_cfg *c)
{
	char msg[256];
	int err = ssd_init(s, c, msg, sizeof(msg));

	if (!err)
		dops_reset(s->ndies);

	CHECK(!err, "ssd_init: %d %s", err, msg);
	return err;
}

static u64 sub(struct ssd *s, enum ssd_op op, u64 lpn, u64 n, u32 fl, u64 now)
{
	u64 done = 0;
	int err = ssd_submit(s, op, lpn, n, fl, now, &done);

	/* counted here, checked once by each test (check_subs()) */
	if (err && !sub_errors++)
		fprintf(stderr, "submit op %d lpn %llu n %llu: %d\n", op,
			(unsigned long long)lpn, (unsigned long long)n, err);
	return done;
}

static void check_subs(const char *test)
{
	CHECK(!sub_errors, "%s: %llu submits failed", test,
	      (unsigned long long)sub_errors);
	sub_errors = 0;
}

/* Write lpns 0..n-1 in order and wait until they are on NAND. */
static u64 prefill(struct ssd *s, u64 n)
{
	u64 t = 0, i;

	for (i = 0; i < n; i++)
		t = sub(s, SSD_WRITE, i, 1, 0, t);
	return sub(s, SSD_FLUSH, 0, 0, 0, t);
}

static void test_read_timing(void)
{
	struct ssd_cfg c = small_cfg();
	u64 tr = c.t_read_ns, x = xfer(4096, c.channel_mbps), t, d[4], n;
	struct ssd s;
	int i;

	/*
	 * lpns 0-3 are unit 0 (die 0, channel 0), 4-7 die 1 (channel 1),
	 * 8-11 die 2 (channel 0), 12-15 die 3 (channel 1): the striping
	 * order ssd_ftl.c documents.
	 */
	if (mk(&s, &c))
		return;
	t = prefill(&s, 64) + 1000000000ULL;
	CHECK(sub(&s, SSD_READ, 0, 1, 0, t) - t == tr + x,
	      "idle read: tR + 4 KiB transfer = %llu", (unsigned long long)(tr + x));

	t += 1000000000ULL;	/* idle again */
	d[0] = sub(&s, SSD_READ, 0, 1, 0, t);
	d[1] = sub(&s, SSD_READ, 4, 1, 0, t);
	CHECK(d[0] == t + tr + x && d[1] == t + tr + x,
	      "dies 0 and 1 (channels 0 and 1) at once finish together: %llu %llu",
	      (unsigned long long)(d[0] - t), (unsigned long long)(d[1] - t));

	t += 1000000000ULL;
	for (i = 0; i < 4; i++)
		d[i] = sub(&s, SSD_READ, 4 * i, 1, 0, t) - t;
	CHECK(d[0] == tr + x && d[1] == tr + x && d[2] == tr + 2 * x &&
	      d[3] == tr + 2 * x,
	      "4 dies on 2 channels: tR+x twice, then tR+2x twice behind the channel: %llu %llu %llu %llu",
	      (unsigned long long)d[0], (unsigned long long)d[1],
	      (unsigned long long)d[2], (unsigned long long)d[3]);

	t += 1000000000ULL;
	d[0] = sub(&s, SSD_READ, 0, 1, 0, t) - t;
	d[1] = sub(&s, SSD_READ, 1, 1, 0, t) - t;
	CHECK(d[0] == tr + x && d[1] == 2 * (tr + x),
	      "2 reads on one die serialise: %llu %llu, want %llu %llu",
	      (unsigned long long)d[0], (unsigned long long)d[1],
	      (unsigned long long)(tr + x), (unsigned long long)(2 * (tr + x)));

	t += 1000000000ULL;
	CHECK(sub(&s, SSD_READ, 0, 4, 0, t) - t == tr + 4 * x,
	      "4 KiB pages of one NAND page in one command: one tR");

	t += 1000000000ULL;
	CHECK(sub(&s, SSD_READ, 1000, 1, 0, t) == t,
	      "an unmapped page costs no NAND time");
	CHECK(s.cnt.nand_pages_written == s.cnt.host_pages_written,
	      "no GC yet: NAND pages = host pages");
	ssd_destroy(&s);

	/* controller time and the host link: fw + tR + x + link */
	c.fw_read_ns = 7000;
	c.link_mbps = 3000;
	if (mk(&s, &c))
		return;
	t = prefill(&s, 64) + 1000000000ULL;
	CHECK(sub(&s, SSD_READ, 0, 1, 0, t) - t ==
	      7000 + tr + x + xfer(4096, 3000),
	      "idle read with fw_read_ns and the link: %llu",
	      (unsigned long long)(7000 + tr + x + xfer(4096, 3000)));
	t += 1000000000ULL;
	n = s.cnt.host_pages_read;
	CHECK(sub(&s, SSD_READ, 0, 4, SSD_REQ_INTERNAL, t) - t == 7000 + tr + 4 * x,
	      "an internal read (a program in the drive) skips the link: %llu",
	      (unsigned long long)(7000 + tr + 4 * x));
	CHECK(s.cnt.internal_pages_read == 4 && s.cnt.host_pages_read == n,
	      "counted as the drive's, not the host's: %llu internal",
	      (unsigned long long)s.cnt.internal_pages_read);
	ssd_destroy(&s);
	check_subs("read timing");
}

/*
 * A transfer that waits for its die is booked after a gap; others use
 * the gap.  Die 0 erases (busy tBERS), then reads: its transfer waits
 * until tBERS + tR.  Die 2, on the same channel, reads meanwhile: its
 * transfer goes in the gap, tR + x; a second read there too, 2 (tR + x);
 * a read on die 0's channel that would overlap the booking goes after it.
 */
static void test_channel_gaps(void)
{
	struct ssd_cfg c = small_cfg();
	u64 tr = c.t_read_ns, x = xfer(4096, c.channel_mbps), e = c.t_erase_ns;
	u64 d0, d2a, d2b;
	struct ssd s;

	if (mk(&s, &c))
		return;
	ssd_nand_erase(&s, 0, 0);
	d0 = ssd_nand_read(&s, 0, 1, 0);
	d2a = ssd_nand_read(&s, 2, 1, 0);
	d2b = ssd_nand_read(&s, 2, 1, 0);
	CHECK(d0 == e + tr + x && d2a == tr + x && d2b == 2 * (tr + x),
	      "channel gaps: %llu %llu %llu, want %llu %llu %llu",
	      (unsigned long long)d0, (unsigned long long)d2a,
	      (unsigned long long)d2b, (unsigned long long)(e + tr + x),
	      (unsigned long long)(tr + x), (unsigned long long)(2 * (tr + x)));
	/* ready half-way into die 0's booked transfer */
	d2a = ssd_nand_read(&s, 2, 1, e + x / 2);
	CHECK(d2a == e + tr + 2 * x,
	      "a transfer that would overlap a booking goes after it: %llu, want %llu",
	      (unsigned long long)d2a, (unsigned long long)(e + tr + 2 * x));
	ssd_destroy(&s);
}

static void test_write_timing(void)
{
	struct ssd_cfg c = small_cfg();
	u64 ux = xfer(16384, c.channel_mbps), d;
	struct ssd s;

	if (mk(&s, &c))
		return;
	CHECK(sub(&s, SSD_WRITE, 0, 1, 0, 0) == 0,
	      "a write is acknowledged from the buffer at once");
	CHECK(sub(&s, SSD_READ, 0, 1, 0, 0) == 0,
	      "a read of a buffered page costs no NAND time");
	d = sub(&s, SSD_FLUSH, 0, 0, 0, 0);
	CHECK(d == ux + c.t_prog_ns,
	      "FLUSH of one page: the padded unit's transfer + tPROG = %llu, got %llu",
	      (unsigned long long)(ux + c.t_prog_ns), (unsigned long long)d);
	CHECK(s.cnt.nand_pages_padded == 3, "3 slots padded, got %llu",
	      (unsigned long long)s.cnt.nand_pages_padded);
	d = sub(&s, SSD_WRITE, 1, 1, SSD_REQ_FUA, d);
	CHECK(d == 2 * (ux + c.t_prog_ns),
	      "FUA write: on NAND before it completes, got %llu",
	      (unsigned long long)d);
	ssd_destroy(&s);

	/* a buffer of one unit: the 5th page waits for the first program */
	c.wb_bytes = 16384;
	if (mk(&s, &c))
		return;
	d = sub(&s, SSD_WRITE, 0, 8, 0, 0);
	CHECK(d == ux + c.t_prog_ns,
	      "full buffer: the write waits for a program, %llu, got %llu",
	      (unsigned long long)(ux + c.t_prog_ns), (unsigned long long)d);
	ssd_destroy(&s);
	check_subs("write timing");
}

/*
 * Sequential write bandwidth: min(dies x unit / tPROG, channels x rate)
 * with a buffer of two units per die (NVMeVirt's GLOBAL_WB_SIZE rule),
 * where the next unit's transfer overlaps the program.  With one unit
 * per die a buffer slot is held through the transfer and the program:
 * dies x unit / (unit transfer + tPROG).
 */
static void seq_bw(u32 ch_mbps, u32 units_per_die, const char *what)
{
	struct ssd_cfg c = small_cfg();
	u64 bytes = 32ULL << 20, t = 0, lpn, want_mbps, die_bps;
	double got, want;
	struct ssd s;

	c.channel_mbps = ch_mbps;
	c.wb_bytes = 4 * 16384 * units_per_die;
	if (mk(&s, &c))
		return;
	for (lpn = 0; lpn < bytes / 4096; lpn += 32)
		t = sub(&s, SSD_WRITE, lpn, 32, 0, t);
	t = sub(&s, SSD_FLUSH, 0, 0, 0, t);
	/* bytes per second, exact integers */
	if (units_per_die > 1)
		die_bps = 4ULL * 16384 * 1000000000ULL / c.t_prog_ns;
	else
		die_bps = 4ULL * 16384 * 1000000000ULL /
			  (c.t_prog_ns + xfer(16384, ch_mbps));
	want_mbps = c.channels * (u64)ch_mbps * 1000000ULL;
	want = (double)(die_bps < want_mbps ? die_bps : want_mbps) / 1e6;
	got = (double)bytes / ((double)t / 1e9) / 1e6;
	printf("ssdtest: sequential write, %s, buffer of %u unit(s) a die: %.2f MB/s, expected %.2f\n",
	       what, units_per_die, got, want);
	check_subs(what);
	CHECK(fabs(got - want) / want < 0.01, "%s: %.2f MB/s, want %.2f +-1%%",
	      what, got, want);
	ssd_destroy(&s);
}

/* the map's invariants, walked in full */
static void check_map(const struct ssd *s, const char *when)
{
	u64 mapped = 0, valid = 0, bad = 0, i;
	u32 l;

	for (i = 0; i < s->lpages; i++) {
		u32 slot = s->l2p[i];

		if (slot == SSD_NONE)
			continue;
		mapped++;
		bad += s->p2l[slot] != i;
	}
	for (i = 0; i < (u64)s->nlines * s->slots_per_line; i++)
		valid += s->p2l[i] != SSD_NONE;
	for (l = 0; l < s->nlines; l++) {
		u32 n = 0, j;

		for (j = 0; j < s->slots_per_line; j++)
			n += s->p2l[(u64)l * s->slots_per_line + j] != SSD_NONE;
		bad += n != s->line_valid[l];
	}
	CHECK(!bad && mapped == valid,
	      "%s: map not a bijection (%llu bad, %llu mapped, %llu valid)",
	      when, (unsigned long long)bad, (unsigned long long)mapped,
	      (unsigned long long)valid);
	CHECK(s->cnt.nand_pages_written ==
	      s->cnt.host_pages_written + s->cnt.gc_pages_moved,
	      "%s: NAND pages %llu != host %llu + moved %llu", when,
	      (unsigned long long)s->cnt.nand_pages_written,
	      (unsigned long long)s->cnt.host_pages_written,
	      (unsigned long long)s->cnt.gc_pages_moved);
}

/*
 * Xiang and Kurkoski's greedy WAF: u = exp(-alpha (1 - u)) has one root
 * in (0, 1) for alpha > 1 (the valid fraction of the victim); bisection.
 */
static double waf_formula(double alpha)
{
	double lo = 0, hi = 1 - 1e-12;
	int i;

	for (i = 0; i < 200; i++) {
		double u = (lo + hi) / 2;

		if (u - exp(-alpha * (1 - u)) < 0)
			lo = u;
		else
			hi = u;
	}
	return 1 / (1 - lo);
}

/* uniform random 4 KiB writes over lpns [0, span): the WAF of the window */
static double random_waf(struct ssd *s, u64 span, u64 warm, u64 window,
			 u64 *t)
{
	u64 h0, n0, i;

	for (i = 0; i < warm; i++)
		*t = sub(s, SSD_WRITE, next() % span, 1, 0, *t);
	h0 = s->cnt.host_pages_written;
	n0 = s->cnt.nand_pages_written;
	for (i = 0; i < window; i++)
		*t = sub(s, SSD_WRITE, next() % span, 1, 0, *t);
	return (double)(s->cnt.nand_pages_written - n0) /
	       (double)(s->cnt.host_pages_written - h0);
}

/*
 * alpha counts only the lines that cycle: all but @reserve lines that
 * hold no data in steady state.
 */
static double alpha_eff(const struct ssd *s, u64 lpages, double reserve)
{
	return (s->nlines - reserve) * s->slots_per_line / (double)lpages;
}

/*
 * Whole-line GC: between two lines the host takes, the free lines step
 * down from gc_high - 1 to gc_low (GC brings them to gc_high at gc_low,
 * the host takes one), gc_low + gc_high - 1 over 2 on average; and the
 * two open lines are half empty on average: one more line.
 */
static double sync_reserve(const struct ssd_cfg *c)
{
	return (c->gc_low_lines + c->gc_high_lines - 1) / 2.0 + 1;
}

/*
 * Whole-line GC: within 5% of the formula at its alpha (the issue's
 * tolerance; the model sits below the fluid limit by the finite-line
 * effect).  Paced GC: its free lines and the collected part of its victim
 * vary with the pace, so only bounds: between
 * the formula with just the open lines held back (1 line) and with every
 * line it may hold (the open lines, gc_high free and the victim:
 * gc_high + 2), 5% either side; and never a forced collection once the
 * thresholds leave it a line of slack.
 */
static void check_waf(const struct ssd *s, u64 span, double waf,
		      const char *what)
{
	const struct ssd_cfg *c = &s->cfg;
	double tol = 0.05, a, want, lo, hi;

	if (!c->gc_paced) {
		a = alpha_eff(s, span, sync_reserve(c));
		want = waf_formula(a);
		printf("ssdtest: greedy WAF%s, OP %u.%02u%% (%u lines of %u pages, alpha %.4f): model %.3f, formula %.3f (%+.1f%%)\n",
		       what, c->op_bp / 100, c->op_bp % 100, s->nlines,
		       s->slots_per_line, a, waf, want, 100 * (waf - want) / want);
		CHECK(fabs(waf - want) / want < tol,
		      "OP %u bp%s: WAF %.3f, formula %.3f, tolerance %.0f%%",
		      c->op_bp, what, waf, want, 100 * tol);
		return;
	}
	lo = waf_formula(alpha_eff(s, span, 1));
	hi = waf_formula(alpha_eff(s, span, c->gc_high_lines + 2));
	printf("ssdtest: paced greedy WAF%s, OP %u.%02u%%: model %.3f, formula between %.3f and %.3f; %llu forced of %llu\n",
	       what, c->op_bp / 100, c->op_bp % 100, waf, lo, hi,
	       (unsigned long long)s->cnt.gc_forced_runs,
	       (unsigned long long)s->cnt.gc_runs);
	CHECK(waf > lo * (1 - tol) && waf < hi * (1 + tol),
	      "paced, OP %u bp%s: WAF %.3f outside %.3f..%.3f +-5%%",
	      c->op_bp, what, waf, lo, hi);
}

static void test_waf(u32 op_bp, bool with_trim, u32 paced)
{
	struct ssd_cfg c = small_cfg();
	double waf;
	u64 forced;
	u64 t = 0, u;
	struct ssd s;

	c.op_bp = op_bp;
	c.gc_paced = paced;
	if (paced)
		c.gc_high_lines = 3;	/* a line of slack for pacing */
	c.pages_per_block = 32;
	if (getenv("SSDTEST_LONG"))
		c.blocks_per_plane *= 4;
	if (mk(&s, &c))
		return;
	u = s.lpages;
	t = prefill(&s, u);
	random_waf(&s, u, 4 * u, 0, &t);	/* reach the steady state */
	forced = s.cnt.gc_forced_runs;
	waf = random_waf(&s, u, 0, 4 * u, &t);
	check_waf(&s, u, waf, "");
	CHECK(!paced || s.cnt.gc_forced_runs == forced,
	      "paced GC fell behind at steady state: %llu forced",
	      (unsigned long long)(s.cnt.gc_forced_runs - forced));
	check_map(&s, "random writes");
	if (with_trim) {
		double before = waf;

		sub(&s, SSD_TRIM, u / 2, u - u / 2, 0, t);
		CHECK(s.cnt.host_pages_trimmed == u - u / 2,
		      "trimmed %llu of %llu",
		      (unsigned long long)s.cnt.host_pages_trimmed,
		      (unsigned long long)(u - u / 2));
		waf = random_waf(&s, u / 2, 4 * u, 4 * u, &t);
		check_waf(&s, u / 2, waf, " after trimming half");
		CHECK(waf < before, "trim must lower WAF: %.3f, before %.3f",
		      waf, before);
		check_map(&s, "after trim");
	}
	ssd_destroy(&s);
	check_subs("WAF");
}

/* sequential overwrites: no moves, erases as the thresholds say */
static void test_sequential(void)
{
	struct ssd_cfg c = small_cfg();
	u64 t = 0, pass, lpn, takes, erased = 0, nfree;
	u32 lines_used = 200;
	struct ssd s;

	c.capacity_lpages = (u64)lines_used * 4 * 16 * 4;
	if (mk(&s, &c))
		return;
	for (pass = 0; pass < 5; pass++)
		for (lpn = 0; lpn < s.lpages; lpn += 16)
			t = sub(&s, SSD_WRITE, lpn, 16, 0, t);
	CHECK(s.cnt.nand_pages_written == s.cnt.host_pages_written &&
	      !s.cnt.gc_pages_moved,
	      "sequential overwrite: WAF 1.0 exactly (%llu NAND, %llu host, %llu moved)",
	      (unsigned long long)s.cnt.nand_pages_written,
	      (unsigned long long)s.cnt.host_pages_written,
	      (unsigned long long)s.cnt.gc_pages_moved);
	/* replay the thresholds: GC at <= low free until high, then take */
	nfree = c.blocks_per_plane;
	for (takes = 0; takes < 5ULL * lines_used; takes++) {
		if (nfree <= c.gc_low_lines)
			while (nfree < c.gc_high_lines) {
				nfree++;
				erased++;
			}
		nfree--;
	}
	CHECK(s.cnt.gc_runs == erased &&
	      s.cnt.erases == erased * 4 * c.planes_per_die,
	      "erases: %llu lines, %llu blocks; want %llu lines, %llu blocks",
	      (unsigned long long)s.cnt.gc_runs,
	      (unsigned long long)s.cnt.erases, (unsigned long long)erased,
	      (unsigned long long)(erased * 4 * c.planes_per_die));
	check_map(&s, "sequential");
	ssd_destroy(&s);
	check_subs("sequential");
}

/*
 * A random mix (reads, writes, trims, FLUSH, FUA writes, sizes 1..64
 * pages, arrival gaps 0..200 us) on a small drive, GC paced or not; every
 * 50,000 commands: the map walked, the counters' identities, erase counts
 * only growing and summing to the erases, completions never before
 * arrival, and no die booked for more time than its timeline spans (two
 * operations at once would book more).
 */
static void test_random(u32 paced, u64 ops)
{
	struct ssd_cfg c = small_cfg();
	u64 t = 0, i, erases_prev = 0, early = 0, overbooked = 0, shrunk = 0;
	u64 victims = 0, victim_diff = 0;
	u32 *prev;
	struct ssd s;

	c.blocks_per_plane = 64;
	c.gc_paced = paced;
	c.gc_high_lines = paced ? 3 : 2;
	c.fw_read_ns = 3000;
	c.link_mbps = 3000;
	if (mk(&s, &c))
		return;
	prev = calloc(s.nlines, sizeof(*prev));
	for (i = 1; i <= ops && prev; i++) {
		u64 r = next(), n = 1 + (r >> 8) % 64, lpn, d;
		unsigned int k = r % 100;

		lpn = (r >> 20) % (s.lpages - n + 1);
		t += (r >> 40) % 200000;
		if (k < 40)
			d = sub(&s, SSD_READ, lpn, n, 0, t);
		else if (k < 88)
			d = sub(&s, SSD_WRITE, lpn, n, 0, t);
		else if (k < 93)
			d = sub(&s, SSD_WRITE, lpn, n, SSD_REQ_FUA, t);
		else if (k < 98)
			d = sub(&s, SSD_TRIM, lpn, n, 0, t);
		else
			d = sub(&s, SSD_FLUSH, 0, 0, 0, t);
		early += d < t;
		/* the buckets' victim is the scan's, after every command */
		victim_diff += ssd_gc_victim_peek(&s) != ssd_gc_victim_scan(&s);
		victims += ssd_gc_victim_scan(&s) != SSD_NONE;
		if (i % 50000 == 0) {
			u64 sum = 0;
			u32 l, die;

			check_map(&s, paced ? "random mix, paced" : "random mix");
			for (l = 0; l < s.nlines; l++) {
				shrunk += s.line_erases[l] < prev[l];
				prev[l] = s.line_erases[l];
				sum += s.line_erases[l];
			}
			CHECK(sum * s.ndies * c.planes_per_die == s.cnt.erases &&
			      s.cnt.erases >= erases_prev,
			      "erases: %llu lines x dies x planes != %llu",
			      (unsigned long long)sum,
			      (unsigned long long)s.cnt.erases);
			erases_prev = s.cnt.erases;
			for (die = 0; die < s.ndies; die++)
				overbooked += s.die_busy_ns[die] > s.die_free_ns[die];
		}
	}
	CHECK(!early && !overbooked && !shrunk,
	      "%llu completions before arrival, %llu dies overbooked, %llu erase counts fell",
	      (unsigned long long)early, (unsigned long long)overbooked,
	      (unsigned long long)shrunk);
	CHECK(!victim_diff && victims,
	      "GC victim: buckets and scan differ after %llu of %llu commands with a victim",
	      (unsigned long long)victim_diff, (unsigned long long)victims);
	CHECK(s.cnt.gc_runs > 0 && s.cnt.host_pages_trimmed > 0,
	      "the mix reached GC (%llu runs) and trim",
	      (unsigned long long)s.cnt.gc_runs);
	printf("ssdtest: random mix%s: %llu commands, WAF %.3f, %llu GC runs (%llu forced), %llu padded\n",
	       paced ? ", paced GC" : "", (unsigned long long)ops,
	       ssd_waf_x1000(&s.cnt) / 1000.0, (unsigned long long)s.cnt.gc_runs,
	       (unsigned long long)s.cnt.gc_forced_runs,
	       (unsigned long long)s.cnt.nand_pages_padded);
	free(prev);
	ssd_destroy(&s);
	check_subs("random mix");
}

static void bad(struct ssd_cfg c, const char *want)
{
	char msg[256];
	int err = ssd_cfg_check(&c, msg, sizeof(msg));

	CHECK(err == -EINVAL && strstr(msg, want),
	      "want -EINVAL \"%s\", got %d \"%s\"", want, err, msg);
}

static void test_bad(void)
{
	char why[256];
	struct ssd_cfg c;
	struct ssd s;
	unsigned int i;
	u64 d;

	c = small_cfg(); c.ctrl_cores = 65;
	bad(c, "ctrl_cores 65: controller cores");
	c = small_cfg(); c.dies_per_channel = 0;
	bad(c, "dies_per_channel 0: zero dies");
	c = small_cfg(); c.channels = 0;
	bad(c, "channels 0:");
	c = small_cfg(); c.channel_mbps = 0;
	bad(c, "channel_mbps 0:");
	c = small_cfg(); c.page_size = 6144;
	bad(c, "page_size 6144: not a multiple of 4096");
	c = small_cfg(); c.wb_bytes = 8192;
	bad(c, "wb_bytes 8192: smaller than one program unit");
	c = small_cfg(); c.gc_high_lines = 1;
	bad(c, "gc_high_lines 1: GC stops above where it starts");
	c = small_cfg(); c.gc_low_lines = 0;
	bad(c, "gc_low_lines 0:");
	c = small_cfg(); c.blocks_per_plane = 4;
	bad(c, "blocks_per_plane 4: no room for data");
	c = small_cfg(); c.mode = 7;
	bad(c, "mode 7: unknown mode");
	c = small_cfg();
	c.channels = 64; c.dies_per_channel = 64; c.planes_per_die = 8;
	c.pages_per_block = 65536; c.page_size = 65536;
	bad(c, "2^32 or more 4 KiB slots");
	/* capacity: the array (65536 slots) over 1.07, less nothing */
	c = small_cfg();
	c.capacity_lpages = 65536ULL * 10000 / 10700 + 1;
	bad(c, "beyond the NAND array");
	c.capacity_lpages--;
	CHECK(!ssd_cfg_check(&c, NULL, 0), "the largest capacity passes");
	for (i = 0; ssd_preset_at(i); i++) {
		char msg[256];

		CHECK(!ssd_cfg_check(&ssd_preset_at(i)->cfg, msg, sizeof(msg)),
		      "preset %s: %s", ssd_preset_at(i)->name, msg);
	}
	CHECK(i == 4 && ssd_preset_find("970pro") && ssd_preset_find("zn540") &&
	      !ssd_preset_find("x"), "four presets, found by name");
	/* a preset fitted to a small drive: the fewest blocks that hold it */
	for (i = 0; ssd_preset_at(i); i++) {
		char msg[256];
		u64 want = 262144 + 7;	/* 1 GiB and a bit */

		c = ssd_preset_at(i)->cfg;
		CHECK(!ssd_cfg_fit(&c, want, msg, sizeof(msg)) &&
		      c.capacity_lpages == want && ssd_cfg_max_lpages(&c) >= want,
		      "preset %s fits 1 GiB: %s", ssd_preset_at(i)->name, msg);
		c.blocks_per_plane--;
		CHECK(!c.blocks_per_plane || ssd_cfg_max_lpages(&c) < want,
		      "preset %s: one block fewer would not hold it (%u blocks)",
		      ssd_preset_at(i)->name, c.blocks_per_plane + 1);
	}
	c = ssd_preset_find("970pro")->cfg;
	c.dies_per_channel = 0;
	CHECK(ssd_cfg_fit(&c, 1000, why, sizeof(why)) == -EINVAL &&
	      strstr(why, "dies_per_channel 0"), "a bad field is refused for itself: %s", why);
	c = small_cfg();
	CHECK(ssd_cfg_fit(&c, 1ULL << 40, NULL, 0) == -EINVAL,
	      "a capacity beyond 16 TiB of NAND is refused");
	c = small_cfg();
	if (mk(&s, &c))
		return;
	CHECK(ssd_submit(&s, SSD_READ, s.lpages - 1, 2, 0, 0, &d) == -EINVAL,
	      "a range past the end is refused");
	CHECK(ssd_submit(&s, SSD_WRITE, ~0ULL, 2, 0, 0, &d) == -EINVAL,
	      "a range that wraps is refused");
	ssd_destroy(&s);
}

/* the text form (ssd_text.c): presets, overrides, show, errors */
static void test_text(void)
{
	struct ssd_cfg c, d;
	char msg[256], buf[512];

	CHECK(!ssd_cfg_parse("pm9a3, op_bp=2800\tgc_paced=0\n", &c, msg, sizeof(msg)) &&
	      c.op_bp == 2800 && !c.gc_paced &&
	      c.channels == ssd_preset_find("pm9a3")->cfg.channels &&
	      !c.blocks_per_plane && !c.capacity_lpages,
	      "a preset and overrides: %s", msg);
	ssd_cfg_show(&c, buf, sizeof(buf));
	CHECK(!ssd_cfg_parse(buf, &d, msg, sizeof(msg)) && !memcmp(&c, &d, sizeof(c)),
	      "what is shown parses back to the same: %s", buf);
	CHECK(!ssd_cfg_parse("970pro,off", &c, msg, sizeof(msg)) && !ssd_cfg_on(&c),
	      "off after a preset: off");
	ssd_cfg_show(&c, buf, sizeof(buf));
	CHECK(!strcmp(buf, "off\n"), "off shows as off: %s", buf);
	CHECK(!ssd_cfg_parse("", &c, msg, sizeof(msg)) && !ssd_cfg_on(&c), "empty: off");
	c.op_bp = 77;
	CHECK(ssd_cfg_parse("970pro,nope=1", &c, msg, sizeof(msg)) == -EINVAL &&
	      strstr(msg, "unknown key \"nope\"") && c.op_bp == 77,
	      "an unknown key is refused, the configuration untouched: %s", msg);
	CHECK(ssd_cfg_parse("970pr", &c, msg, sizeof(msg)) == -EINVAL &&
	      strstr(msg, "unknown preset \"970pr\""), "an unknown preset: %s", msg);
	CHECK(ssd_cfg_parse("970pro,op_bp=4294967296", &c, msg, sizeof(msg)) == -EINVAL &&
	      strstr(msg, "op_bp"), "a value beyond u32: %s", msg);
	CHECK(ssd_cfg_parse("970pro,op_bp=-1", &c, msg, sizeof(msg)) == -EINVAL,
	      "a negative value: %s", msg);
	CHECK(ssd_cfg_parse("970pro,op_bp=", &c, msg, sizeof(msg)) == -EINVAL,
	      "an empty value: %s", msg);
	CHECK(ssd_cfg_parse("970pro,channels=0", &c, msg, sizeof(msg)) == -EINVAL &&
	      strstr(msg, "channels=0"), "channels=0 is not a way to say off: %s", msg);
	CHECK(ssd_cfg_parse("970pro,blocks_per_plane=9", &c, msg, sizeof(msg)) == -EINVAL &&
	      strstr(msg, "from the drive's capacity"),
	      "blocks_per_plane comes from the capacity: %s", msg);
	CHECK(ssd_cfg_show(&ssd_preset_find("970pro")->cfg, buf, 8) > 8,
	      "a short buffer: the length it would need");
}

/*
 * NVMe Percentage Used (ssd_percent_used()): the average block's erases
 * over its rated cycles x 100, rounded down, capped at 255; then a model's
 * erases after random overwrites give the hand-computed figure, and every
 * line's erase count sums to the erases counted (one block per plane of
 * every die per line erase).
 */
static void test_percent_used(void)
{
	struct ssd_cfg c = small_cfg();
	u64 t = 0, i, sum = 0, blocks, want;
	struct ssd s;
	u32 l;

	CHECK(ssd_percent_used(0, 100, 3000) == 0, "no erase: 0");
	CHECK(ssd_percent_used(100 * 2999, 100, 3000) == 99,
	      "2999 of 3000 cycles: 99 (rounded down)");
	CHECK(ssd_percent_used(100 * 3000, 100, 3000) == 100, "the rating: 100");
	CHECK(ssd_percent_used(100 * 7650, 100, 3000) == 255, "2.55x the rating: 255");
	CHECK(ssd_percent_used(100 * 9000, 100, 3000) == 255, "3x the rating: capped at 255");
	CHECK(ssd_percent_used(~0ULL, 1, 1) == 255, "no wrap of erases x 100");
	CHECK(ssd_percent_used(1000, 100, 0) == 0, "not rated: 0");
	CHECK(ssd_percent_used(1000, 0, 3000) == 0, "no blocks: 0");
	/*
	 * Endurance Estimate, by hand: the 970pro's array, 16 dies x 1 plane
	 * x 8192 blocks x 128 pages x 32 KiB = 549,755,813,888 bytes, x 5000
	 * cycles = 2,748,779,069,440,000 bytes: 2,748,780 billion, rounded up
	 */
	CHECK(ssd_endurance_gb(16ULL * 8192 * 128 * 32768, 5000) == 2748780,
	      "970pro's Endurance Estimate: %llu, want 2748780",
	      (unsigned long long)ssd_endurance_gb(16ULL * 8192 * 128 * 32768, 5000));
	CHECK(ssd_endurance_gb(1000000000, 3) == 3 && ssd_endurance_gb(1000000001, 3) == 4 &&
	      ssd_endurance_gb(4096, 1) == 1, "whole billions exact, a part rounded up");
	CHECK(ssd_endurance_gb(1ULL << 44, 10000000) == 175921860445ULL,
	      "2^44 bytes x 10^7 cycles (175,921,860,444.16 billion) without a wrap: %llu",
	      (unsigned long long)ssd_endurance_gb(1ULL << 44, 10000000));
	CHECK(ssd_endurance_gb(1ULL << 40, 0) == 0, "not rated: 0 (not reported)");
	CHECK(ssd_preset_find("970pro")->cfg.pe_cycles == 5000 &&
	      ssd_preset_find("pm9a3")->cfg.pe_cycles == 3000 &&
	      ssd_preset_find("optane")->cfg.pe_cycles == 0,
	      "presets' rated cycles (assumed, ssd-model.md)");

	/* tiny rating so that a short run uses a measurable share of it */
	c.blocks_per_plane = 32;
	c.pe_cycles = 2;
	if (mk(&s, &c))
		return;
	for (i = 0; i < 20000; i++) {
		u64 r = next();

		t += 1000;
		sub(&s, SSD_WRITE, (r >> 16) % s.lpages, 1, 0, t);
	}
	check_subs("percent used");
	for (l = 0; l < s.nlines; l++)
		sum += s.line_erases[l];
	blocks = ssd_blocks(&s);
	CHECK(blocks == 4ULL * 32, "blocks: 4 dies x 1 plane x 32 lines: %llu",
	      (unsigned long long)blocks);
	CHECK(sum * 4 == s.cnt.erases, "line erases x dies = erases: %llu, %llu",
	      (unsigned long long)sum, (unsigned long long)s.cnt.erases);
	want = s.cnt.erases * 100 / (blocks * 2);
	if (want > 255)
		want = 255;
	CHECK(s.cnt.erases > 0 && ssd_percent_used(s.cnt.erases, blocks, 2) == want,
	      "after random overwrites: %llu erases of %llu blocks at 2 cycles: %u, want %llu",
	      (unsigned long long)s.cnt.erases, (unsigned long long)blocks,
	      ssd_percent_used(s.cnt.erases, blocks, 2), (unsigned long long)want);
	ssd_destroy(&s);
}

/* ---- zoned namespaces (ssd_zns.c) ---- */

/* small_cfg() zoned: 16 units of 4 slots a zone (64 pages), span 128 */
static struct ssd_cfg zns_cfg(void)
{
	struct ssd_cfg c = small_cfg();

	c.mode = SSD_MODE_ZNS;
	c.pages_per_block = 4;
	c.blocks_per_plane = 8;
	c.op_bp = 0;
	c.wb_bytes = 2 * 16384;
	c.gc_low_lines = 0;
	c.gc_high_lines = 0;
	c.zone_lpages = 128;
	return c;
}

static bool same_cnt(const struct ssd *s, const struct ssd_counters *c)
{
	return !memcmp(&s->cnt, c, sizeof(*c));
}

static void test_zns(void)
{
	struct ssd_cfg c = zns_cfg();
	struct ssd_counters before;
	u64 t = 0, done, busy, w, i;
	struct ssd s;
	u32 d;

	if (mk(&s, &c))
		return;
	CHECK(s.lpages == 8 * 128 && s.slots_per_line == 64,
	      "zoned: 8 zones of 128 pages, 64 writable: %llu, %u",
	      (unsigned long long)s.lpages, s.slots_per_line);
	/* a zone written in order: one program per unit, 4 per die */
	for (i = 0; i < 64; i++)
		t = sub(&s, SSD_WRITE, i, 1, 0, t);
	t = sub(&s, SSD_FLUSH, 0, 0, 0, t);
	busy = 0;
	for (d = 0; d < 4; d++)
		busy |= s.die_busy_ns[d] ^ 4 * 500000ULL;
	CHECK(s.cnt.nand_programs == 16 && !busy && s.cnt.nand_pages_written == 64 &&
	      !s.cnt.nand_pages_padded && !s.cnt.erases && s.zone_wp[0] == 64 &&
	      s.line_state[0] == SSD_LINE_FULL,
	      "a zone written: programs %llu, pages %llu, pad %llu, erases %llu, wp %u",
	      (unsigned long long)s.cnt.nand_programs,
	      (unsigned long long)s.cnt.nand_pages_written,
	      (unsigned long long)s.cnt.nand_pages_padded,
	      (unsigned long long)s.cnt.erases, s.zone_wp[0]);
	/* reads: a unit is one NAND read; past the write pointer, none */
	for (i = 0; i < 64; i += 4)
		sub(&s, SSD_READ, i, 4, 0, t);
	sub(&s, SSD_READ, 64, 64, 0, t);
	sub(&s, SSD_READ, 128, 16, 0, t);
	CHECK(s.cnt.nand_reads == 16 && s.cnt.buffer_read_hits == 80,
	      "reads: %llu NAND reads (want 16), %llu without (want 80)",
	      (unsigned long long)s.cnt.nand_reads,
	      (unsigned long long)s.cnt.buffer_read_hits);
	check_subs("zns");

	/* refused, nothing changed: off the write pointer, past the capacity */
	before = s.cnt;
	CHECK(ssd_submit(&s, SSD_WRITE, 128 + 5, 1, 0, t, &done) == -EINVAL &&
	      ssd_submit(&s, SSD_WRITE, 128, 65, 0, t, &done) == -EINVAL &&
	      ssd_submit(&s, SSD_WRITE, 0, 1, 0, t, &done) == -EINVAL &&
	      same_cnt(&s, &before) && !s.zone_wp[1],
	      "writes off the write pointer or past the capacity refused, unchanged");
	/* append goes to the write pointer; a plain write must be there */
	sub(&s, SSD_APPEND, 128, 2, 0, t);
	CHECK(s.zone_wp[1] == 2 &&
	      ssd_submit(&s, SSD_WRITE, 129, 1, 0, t, &done) == -EINVAL,
	      "append: wp %u", s.zone_wp[1]);
	sub(&s, SSD_WRITE, 130, 1, 0, t);
	before = s.cnt;
	sub(&s, SSD_READ, 128, 3, 0, t);
	CHECK(s.cnt.nand_reads == before.nand_reads &&
	      s.cnt.buffer_read_hits == before.buffer_read_hits + 3,
	      "a partial unit is read from the buffer");
	/* finish: the partial unit programmed padded, the zone full */
	sub(&s, SSD_ZONE_FINISH, 128, 0, 0, t);
	CHECK(s.cnt.nand_pages_padded == 1 && s.cnt.nand_programs == before.nand_programs + 1 &&
	      s.zone_wp[1] == 64 && s.line_state[1] == SSD_LINE_FULL && !s.zone_buf[1],
	      "finish: pad %llu, programs +%llu, wp %u",
	      (unsigned long long)s.cnt.nand_pages_padded,
	      (unsigned long long)(s.cnt.nand_programs - before.nand_programs), s.zone_wp[1]);

	/* reset on an idle drive: one tBERS on every die, in parallel */
	t = sub(&s, SSD_FLUSH, 0, 0, 0, t) + 1000000000ULL;
	done = sub(&s, SSD_ZONE_RESET, 0, 0, 0, t);
	CHECK(done == t + 3000000 && s.cnt.erases == 4 && s.line_erases[0] == 1 &&
	      !s.zone_wp[0] && s.line_state[0] == SSD_LINE_FREE,
	      "reset: %llu ns (want tBERS 3000000), erases %llu",
	      (unsigned long long)(done - t), (unsigned long long)s.cnt.erases);
	t = done;
	done = sub(&s, SSD_ZONE_RESET, 0, 0, 0, t);
	CHECK(done == t && s.cnt.erases == 4, "an empty zone's reset erases nothing");
	/* a reset waits for the die's program under way */
	for (i = 0; i < 4; i++)
		sub(&s, SSD_WRITE, 256 + i, 1, 0, t);
	w = sub(&s, SSD_FLUSH, 0, 0, 0, t);
	done = sub(&s, SSD_ZONE_RESET, 256, 0, 0, t);
	CHECK(done == w + 3000000, "reset behind a program: ends %llu after it (want tBERS)",
	      (unsigned long long)(done - w));
	/* a range: every written zone in it (zone 1) */
	t = done;
	sub(&s, SSD_ZONE_RESET, 0, s.lpages, 0, t);
	CHECK(s.cnt.erases == 12 && s.line_erases[1] == 1 && s.line_erases[2] == 1,
	      "reset of a range: erases %llu (want 12)", (unsigned long long)s.cnt.erases);
	CHECK(ssd_submit(&s, SSD_ZONE_RESET, s.lpages, 0, 0, t, &done) == -EINVAL,
	      "a reset past the end is refused");
	/* an empty zone finished is full, and its reset erases nothing */
	before = s.cnt;
	sub(&s, SSD_ZONE_FINISH, 512, 0, 0, t);
	CHECK(s.zone_wp[4] == 64 && ssd_submit(&s, SSD_WRITE, 512, 1, 0, t, &done) == -EINVAL,
	      "an empty zone finished takes no write: wp %u", s.zone_wp[4]);
	sub(&s, SSD_ZONE_FINISH, 0, s.lpages, 0, t);	/* Select All: no change */
	CHECK(!s.zone_wp[5], "a range finishes only zones written to: wp %u", s.zone_wp[5]);
	sub(&s, SSD_ZONE_RESET, 512, 0, 0, t);
	CHECK(same_cnt(&s, &before) && !s.zone_wp[4], "an empty zone finished then reset: no erase");
	check_subs("zns");
	ssd_destroy(&s);

	/* a buffer of one unit, two zones half written: the larger is programmed */
	c.wb_bytes = 16384;
	if (mk(&s, &c))
		return;
	t = 0;
	for (i = 0; i < 3; i++)
		t = sub(&s, SSD_WRITE, i, 1, 0, t);
	for (i = 0; i < 2; i++)
		t = sub(&s, SSD_WRITE, 128 + i, 1, 0, t);
	CHECK(s.cnt.nand_pages_padded == 1 && !s.zone_buf[0] && s.zone_buf[1] == 2 &&
	      s.cnt.nand_programs == 1,
	      "eviction: pad %llu, buffered %u and %u",
	      (unsigned long long)s.cnt.nand_pages_padded, s.zone_buf[0], s.zone_buf[1]);
	check_subs("zns eviction");
	ssd_destroy(&s);

	/* an FTL drive has no zones */
	c = small_cfg();
	if (mk(&s, &c))
		return;
	CHECK(ssd_submit(&s, SSD_ZONE_RESET, 0, 0, 0, 0, &done) == -EINVAL &&
	      ssd_submit(&s, SSD_ZONE_FINISH, 0, 0, 0, 0, &done) == -EINVAL,
	      "zone ops on an FTL drive refused");
	ssd_destroy(&s);
}

/*
 * Random appends, writes, resets, finishes, reads and flushes over every
 * zone: WAF exactly 1 (no GC), the buffer never over-committed, erases =
 * dies x planes x resets of written zones, the die check (SSD_OP_CHECK).
 */
static void test_zns_random(u64 ops)
{
	struct ssd_cfg c = zns_cfg();
	u64 t = 0, i, done, resets = 0, sum, errs = 0, over = 0;
	struct ssd s;
	u32 z;

	c.wb_bytes = 8 * 16384;	/* 8 zones, one unit each */
	if (mk(&s, &c))
		return;
	for (i = 0; i < ops; i++) {
		u64 r = next(), zs;
		u32 room, n;

		z = (u32)(r % s.nlines);
		zs = (u64)z * s.zone_lpages;
		room = s.slots_per_line - s.zone_wp[z];
		t += (r >> 8) % 20000;
		switch ((r >> 32) % 100) {
		case 0 ... 4:
			resets += s.line_state[z] != SSD_LINE_FREE;
			sub(&s, SSD_ZONE_RESET, zs, 0, 0, t);
			break;
		case 5:
			sub(&s, SSD_ZONE_FINISH, zs, 0, 0, t);
			break;
		case 6:
			sub(&s, SSD_FLUSH, 0, 0, 0, t);
			break;
		case 7 ... 39:
			if (s.zone_wp[z])
				sub(&s, SSD_READ, zs + (r >> 40) % s.zone_wp[z],
				    1 + (r >> 48) % 8, 0, t);
			break;
		default:
			n = 1 + (u32)((r >> 40) % 12);
			if (n > room) {
				errs += ssd_submit(&s, SSD_WRITE, zs + s.zone_wp[z], n, 0, t,
						   &done) != -EINVAL;
				break;
			}
			sub(&s, (r >> 52) & 1 ? SSD_APPEND : SSD_WRITE,
			    (r >> 52) & 1 ? zs : zs + s.zone_wp[z], n, 0, t);
			break;
		}
		for (sum = 0, z = 0; z < s.nlines; z++)
			sum += s.zone_buf[z];
		over += sum > s.wb_slots;
	}
	for (sum = 0, z = 0; z < s.nlines; z++)
		sum += s.line_erases[z];
	CHECK(s.cnt.nand_pages_written == s.cnt.host_pages_written && !errs && !over &&
	      sum == resets && s.cnt.erases == 4 * resets && resets > ops / 100 &&
	      s.cnt.host_pages_written > ops,
	      "zoned, %llu random commands: NAND %llu = host %llu pages, %llu resets, "
	      "%llu erases, %llu refusals missed, %llu over-committed",
	      (unsigned long long)ops, (unsigned long long)s.cnt.nand_pages_written,
	      (unsigned long long)s.cnt.host_pages_written, (unsigned long long)resets,
	      (unsigned long long)s.cnt.erases, (unsigned long long)errs,
	      (unsigned long long)over);
	printf("ssdtest: zoned random mix: %llu commands, %llu pages written, %llu resets, %llu erases, %llu padded\n",
	       (unsigned long long)ops, (unsigned long long)s.cnt.host_pages_written,
	       (unsigned long long)resets, (unsigned long long)s.cnt.erases,
	       (unsigned long long)s.cnt.nand_pages_padded);
	check_subs("zns random");
	ssd_destroy(&s);
}

/*
 * The controller's cores (ctrl_cores): firmware time queues on them, a
 * program's run takes one, both by hand; none is a delay, as before.
 */
static void test_ctrl(void)
{
	struct ssd_cfg c = small_cfg();
	u64 tr = c.t_read_ns, x = xfer(4096, c.channel_mbps), t, d, bad = 0;
	struct ssd s;
	u32 cores, i;

	c.wb_bytes = 1 << 20;	/* no write waits for the buffer */
	c.fw_write_ns = 4000;
	c.fw_read_ns = 10000;
	for (cores = 1; cores <= 2; cores++) {
		c.ctrl_cores = cores;
		if (mk(&s, &c))
			return;
		/* 8 writes at once: the cores take them in turn, 4 us each */
		for (i = 0, bad = 0; i < 8; i++)
			bad += sub(&s, SSD_WRITE, i, 1, 0, 0) != (u64)(i / cores + 1) * 4000;
		CHECK(!bad && s.cnt.ctrl_busy_ns == 8 * 4000,
		      "%u core(s): 8 writes at once end every %u us: %llu off, busy %llu",
		      cores, 4 / cores, (unsigned long long)bad,
		      (unsigned long long)s.cnt.ctrl_busy_ns);
		/* a 100 us run on every core, then a read: it waits for one */
		t = sub(&s, SSD_FLUSH, 0, 0, 0, 0) + 1000000000ULL;
		for (i = 0; i < cores; i++)
			ssd_ctrl_run(&s, t, 100000);
		d = sub(&s, SSD_READ, 0, 1, 0, t) - t;
		CHECK(d == 100000 + 10000 + tr + x && s.cnt.ctrl_compute_ns == cores * 100000ULL,
		      "%u core(s) busy with runs: a read ends %llu ns later, want %llu",
		      cores, (unsigned long long)d, (unsigned long long)(100000 + 10000 + tr + x));
		check_subs("ctrl");
		ssd_destroy(&s);
	}
	c.ctrl_cores = 0;
	if (mk(&s, &c))
		return;
	for (i = 0, bad = 0; i < 8; i++)
		bad += sub(&s, SSD_WRITE, i, 1, 0, 0) != 4000;
	CHECK(!bad && ssd_ctrl_run(&s, 5, 100) == 105 && !s.cnt.ctrl_busy_ns &&
	      !s.cnt.ctrl_compute_ns, "no cores: firmware a delay, %llu writes off", (unsigned long long)bad);
	check_subs("ctrl");
	ssd_destroy(&s);
}

/*
 * GC's firmware time (fw_gc_ns): on one core, the core's booked time is
 * exactly the host writes' firmware time plus fw_gc_ns for each page GC
 * moved; the same random writes without it book only the former, and
 * end no later.
 */
static void test_ctrl_gc(void)
{
	struct ssd_cfg c = small_cfg();
	u64 end[2] = { 0, 0 }, moved[2] = { 0, 0 }, n = 0, t, i, lp;
	struct ssd s;
	int k;

	c.fw_write_ns = 4000;
	c.ctrl_cores = 1;
	for (k = 0; k < 2; k++) {
		c.fw_gc_ns = k ? 7000 : 0;
		if (mk(&s, &c))
			return;
		lp = s.lpages;
		t = prefill(&s, lp);
		rng = 0x5eed;
		for (i = 0, n = lp; i < 2 * lp; i++, n++)
			t = ssd_max(t, sub(&s, SSD_WRITE, next() % lp, 1, 0, t / 2));
		end[k] = sub(&s, SSD_FLUSH, 0, 0, 0, t);
		moved[k] = s.cnt.gc_pages_moved;
		CHECK(s.cnt.ctrl_busy_ns == n * 4000 + moved[k] * c.fw_gc_ns,
		      "fw_gc_ns %u: core busy %llu ns, want %llu writes x 4000 + %llu moves x %u",
		      c.fw_gc_ns, (unsigned long long)s.cnt.ctrl_busy_ns, (unsigned long long)n,
		      (unsigned long long)moved[k], c.fw_gc_ns);
		check_subs("ctrl gc");
		ssd_destroy(&s);
	}
	CHECK(moved[0] > 0 && moved[1] > 0 && end[1] >= end[0],
	      "GC moved %llu / %llu pages; with fw_gc_ns the writes end at %llu ns, without %llu",
	      (unsigned long long)moved[0], (unsigned long long)moved[1],
	      (unsigned long long)end[1], (unsigned long long)end[0]);
	printf("ssdtest: GC's firmware time, 1 core: %llu pages moved, the writes end at %.3f s with fw_gc_ns 7000, %.3f s without\n",
	       (unsigned long long)moved[1], end[1] / 1e9, end[0] / 1e9);
}

int main(void)
{
	/* the oracle itself: [xk]'s abstract, OP 0.3 gives 2.36 */
	CHECK(fabs(waf_formula(1.3) - 2.36) < 0.005, "formula at 1.3: %.4f",
	      waf_formula(1.3));
	test_bad();
	test_text();
	test_percent_used();
	test_read_timing();
	test_channel_gaps();
	test_write_timing();
	seq_bw(400, 2, "NAND-bound (4 dies x 16 KiB / 500 us)");
	seq_bw(400, 1, "NAND-bound (4 dies x 16 KiB / (41 + 500 us))");
	seq_bw(20, 2, "channel-bound (2 x 20 MB/s)");
	test_sequential();
	test_waf(700, false, 0);
	test_waf(1500, false, 0);
	test_waf(2800, true, 0);
	test_waf(5000, false, 0);
	test_waf(700, false, 1);
	test_waf(1500, false, 1);
	test_waf(2800, true, 1);
	test_waf(5000, false, 1);
	test_random(0, getenv("SSDTEST_LONG") ? 1000000 : 100000);
	test_random(1, getenv("SSDTEST_LONG") ? 1000000 : 100000);
	test_zns();
	test_ctrl();
	test_ctrl_gc();
	test_zns_random(getenv("SSDTEST_LONG") ? 2000000 : 200000);
	dops_reset(0);
	CHECK(dops.ops > 1000000 && !dops.overlaps,
	      "die operations checked one by one: %llu, %llu overlapping (above)",
	      (unsigned long long)dops.ops, (unsigned long long)dops.overlaps);
	printf("ssdtest: %llu die operations checked one by one, %llu overlapping\n",
	       (unsigned long long)dops.ops, (unsigned long long)dops.overlaps);
	printf("ssdtest: %d checks passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
