// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * lookup: B+-tree point lookups, the host walking the tree with one read
 * per level against one EXEC of bpf/btree_lookup per lookup (issue 11; the
 * comparison XRP, OSDI'22, makes for BPF-KV).  Numbers, not a test: run it
 * in the VM through tools/bench/lookup, which also says how to read it.
 *
 * In one process: creates a memory-backed drive with 512-byte blocks in
 * configfs, writes one tree per depth (the same keys for every depth),
 * reports exec_latency's measurement (benchlib.c), then runs rounds.  A
 * round, for every depth, measures
 *   - QD1 latency (p50, p99) of the host path (io_uring reads, one at a
 *     time, each depending on the last; and the same with pread) and of
 *     the offload (one EXEC, range = the whole tree image),
 *   - lookups/s of the host path (io_uring) and of the offload with T
 *     threads, each at QD1 in a closed loop for a fixed time,
 * alternating which side goes first.  Every answer is checked against
 * btree_value(): one wrong answer or failed lookup makes the exit status 1.
 * Goals missed are reported, not failed.
 *
 *   lookup [options] BTREE_LOOKUP_OBJ      (see usage())
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "benchlib.h"
#include "btree.h"	/* tools/btree: the builder and the host walk */

#define MAX_DEPTHS	8
#define MAX_THREADS	8
#define BLOCK		512		/* the drive's block size */
#define STR_(x)		#x
#define STR(x)		STR_(x)
#define DRIVE_NAME	"lookupbench"
#define GOAL_DEPTH	6
#define MAX_ROUNDS	64

/* How a lookup is made. */
enum side { HOST_URING, HOST_PREAD, OFFLOAD, NR_SIDES };

static const char *const side_name[NR_SIDES] = {
	[HOST_URING] = "host io_uring", [HOST_PREAD] = "host pread",
	[OFFLOAD] = "offload (EXEC)",
};

struct opts {
	__u64		nr_keys;
	unsigned int	depths[MAX_DEPTHS], nr_depths;
	unsigned int	threads[MAX_THREADS], nr_threads;
	int		rounds;
	int		lookups;	/* measured QD1 lookups per side and round */
	double		seconds;	/* per throughput point */
	int		exec_iters;	/* exec_latency's iterations */
	__u64		seed;
	const char	*obj;		/* out/bpf/btree_lookup.bpf.o */
};

/* One tree image on the drive. */
struct tree {
	struct btree_shape	s;
	__u64			base;	/* byte offset of the image on the drive */
	__u64			root;	/* offset of the root, from the super block */
	unsigned int		reads;	/* host reads per lookup (levels + value) */
};

/* What every lookup shares: the drive, its program, the options. */
struct setup {
	const struct opts	*o;
	struct uringblk_dev	*dev;
	int			bfd;		/* block device, O_DIRECT */
	__u32			prog_id;	/* btree_lookup */
};

/* Everything one thread needs to look keys up; one per thread. */
struct looker {
	const struct setup	*su;
	const struct tree	*t;
	enum side		side;
	struct io_uring		ring;	/* SQE128 | CQE32, for EXEC and reads */
	char			block[2 * BLOCK] __attribute__((aligned(BLOCK)));
				/* a value's block (two if it straddled one) */
	__u64			reply[(sizeof(struct uringblk_exec_result) + 8) / 8];
	__u64			rng;
	/* results */
	__u64			done, wrong;
	double			elapsed_us;
	char			why[200];	/* the first wrong answer */
};

/* splitmix64: a key index stream that is the same for every side. */
static __u64 next_rand(__u64 *state)
{
	__u64 z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int looker_init(struct looker *lk, const struct setup *su, const struct tree *t,
		       enum side side, __u64 seed)
{
	memset(lk, 0, sizeof(*lk));
	lk->su = su;
	lk->t = t;
	lk->side = side;
	lk->rng = seed;
	return io_uring_queue_init(4, &lk->ring, IORING_SETUP_SQE128 | IORING_SETUP_CQE32);
}

static void looker_exit(struct looker *lk)
{
	io_uring_queue_exit(&lk->ring);
}

/* A lookup that did not give what it should: count it, keep the first. */
static __attribute__((format(printf, 3, 4)))
void wrong(struct looker *lk, __u64 key, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (lk->wrong++)
		return;
	n = snprintf(lk->why, sizeof(lk->why), "%s, depth %u, key %llu: ",
		     side_name[lk->side], lk->t->s.depth, (unsigned long long)key);
	va_start(ap, fmt);
	vsnprintf(lk->why + n, sizeof(lk->why) - n, fmt, ap);
	va_end(ap);
}

/* One O_DIRECT read of @len bytes at drive offset @pos, the host path's way. */
static int host_read(struct looker *lk, void *buf, unsigned int len, __u64 pos)
{
	struct io_uring_sqe *sqe;
	int ret;

	if (lk->side == HOST_PREAD) {
		ret = pread(lk->su->bfd, buf, len, pos);
		if (ret < 0)
			return -errno;
	} else {
		sqe = io_uring_get_sqe(&lk->ring);
		if (!sqe)
			return -EBUSY;
		io_uring_prep_read(sqe, lk->su->bfd, buf, len, pos);
		ret = bench_round_trip(&lk->ring);
		if (ret < 0)
			return ret;
	}
	return (unsigned int)ret == len ? 0 : -EIO;
}

/*
 * The host path's read function for btree_lookup_host(): what an
 * application without offload does, one O_DIRECT read per call, waited for
 * before the next (it needs the pointer it holds).  Nodes (512 aligned
 * bytes into an aligned buffer) go straight into @buf; the 8-byte value
 * comes from a read of its block into the looker's buffer.
 */
static int lookup_host_read(void *priv, __u64 off, void *buf, unsigned int len)
{
	struct looker *lk = priv;
	__u64 pos = lk->t->base + off, start = pos & ~(__u64)(BLOCK - 1);
	__u64 span = ((pos + len + BLOCK - 1) & ~(__u64)(BLOCK - 1)) - start;
	int ret;

	if (start == pos && span == len && !((unsigned long)buf & (BLOCK - 1)))
		return host_read(lk, buf, len, pos);
	if (span > sizeof(lk->block))
		return -EINVAL;
	ret = host_read(lk, lk->block, span, start);
	if (!ret)
		memcpy(buf, lk->block + (pos - start), len);
	return ret;
}

/*
 * Look @key up the way @lk->side says.
 * Return: BTREE_FOUND, BTREE_NOT_FOUND, BTREE_CORRUPT or a negative errno;
 * *@value is set when found.
 */
static int lookup(struct looker *lk, __u64 key, __u64 *value)
{
	const struct uringblk_exec_result *res = (const void *)lk->reply;
	struct uringblk_exec_args a = {
		.prog_id = lk->su->prog_id,
		.lba_start = lk->t->base / BLOCK,
		.lba_count = (lk->t->s.size + BLOCK - 1) / BLOCK,
		.args = { key, lk->t->root },
	};
	struct io_uring_sqe *sqe;
	int ret;

	if (lk->side != OFFLOAD)
		return btree_lookup_host(lookup_host_read, lk, lk->t->s.size, lk->t->root,
					 key, value, NULL);
	sqe = io_uring_get_sqe(&lk->ring);
	if (!sqe)
		return -EBUSY;
	uringblk_prep_exec(sqe, uringblk_chr_fd(lk->su->dev), &a, lk->reply, sizeof(lk->reply));
	ret = bench_round_trip(&lk->ring);
	if (ret == BTREE_FOUND) {
		if (res->out_len != sizeof(*value))
			return -EBADMSG;
		memcpy(value, uringblk_exec_reply_out(lk->reply), sizeof(*value));
	}
	return ret;
}

/* Look up key @i of the tree, check the answer; its time if @t is set. */
static void lookup_check(struct looker *lk, __u64 i, double *t)
{
	__u64 key = btree_key(&lk->t->s, i), value = 0;
	double t0 = bench_now_us();
	int ret = lookup(lk, key, &value);

	if (t)
		*t = bench_now_us() - t0;
	lk->done++;
	if (ret != BTREE_FOUND)
		wrong(lk, key, "r0/errno %d, expected found (%d)", ret, BTREE_FOUND);
	else if (value != btree_value(key))
		wrong(lk, key, "value %#llx, expected %#llx", (unsigned long long)value,
		      (unsigned long long)btree_value(key));
}

/* ---------------------------------------------------------------- phases */

/* Print a wrong answer and say whether there was one. */
static bool report_wrong(const struct looker *lk)
{
	if (!lk->wrong)
		return false;
	fprintf(stderr, "lookup: FAILED: %llu of %llu lookups wrong; first: %s\n",
		(unsigned long long)lk->wrong, (unsigned long long)lk->done, lk->why);
	return true;
}

/*
 * Before measuring: the first and last key and some absent keys, on every
 * side.  Also learns how many reads the host path makes per lookup.
 * Return: 0, or -1 after printing what was wrong.
 */
static int precheck(const struct setup *su, struct tree *t)
{
	for (int side = 0; side < NR_SIDES; side++) {
		struct looker lk;
		int ret = looker_init(&lk, su, t, side, 0);

		if (ret) {
			fprintf(stderr, "lookup: ring setup: %s\n", strerror(-ret));
			return -1;
		}
		lookup_check(&lk, 0, NULL);
		lookup_check(&lk, t->s.nr_keys - 1, NULL);
		for (__u64 i = 0; i < 16; i++) {
			__u64 key = btree_missing_key(&t->s, i), value;

			ret = lookup(&lk, key, &value);
			lk.done++;
			if (ret != BTREE_NOT_FOUND)
				wrong(&lk, key, "absent key: r0/errno %d, expected not found (%d)",
				      ret, BTREE_NOT_FOUND);
		}
		if (side == HOST_URING) {
			__u64 value;
			unsigned int reads = 0;

			btree_lookup_host(lookup_host_read, &lk, t->s.size, t->root,
					  btree_key(&t->s, t->s.nr_keys / 2), &value, &reads);
			t->reads = reads;
		}
		looker_exit(&lk);
		if (report_wrong(&lk))
			return -1;
	}
	return 0;
}

/*
 * QD1 latency of @side on @t: @n measured lookups after n / 10 unmeasured,
 * keys from @seed.  Fills @p50, @p99 (us).  Return: 0, or -1 on a wrong
 * answer (printed).
 */
static int measure_latency(const struct setup *su, const struct tree *t, enum side side,
			   __u64 seed, double *p50, double *p99)
{
	int n = su->o->lookups;
	double *lat = calloc(n, sizeof(*lat));
	struct looker lk;
	int ret = -1;

	if (!lat || looker_init(&lk, su, t, side, seed)) {
		fprintf(stderr, "lookup: out of memory or io_uring setup failed\n");
		free(lat);
		return -1;
	}
	for (int i = -n / 10; i < n; i++)
		lookup_check(&lk, next_rand(&lk.rng) % t->s.nr_keys, i >= 0 ? &lat[i] : NULL);
	if (!report_wrong(&lk)) {
		*p50 = bench_percentile(lat, n, 0.5);
		*p99 = bench_percentile(lat, n, 0.99);
		ret = 0;
	}
	looker_exit(&lk);
	free(lat);
	return ret;
}

struct tput_arg {
	struct looker		lk;
	pthread_barrier_t	*start;
	double			seconds;
};

static void *tput_thread(void *p)
{
	struct tput_arg *a = p;
	struct looker *lk = &a->lk;
	double t0, now;

	pthread_barrier_wait(a->start);
	t0 = now = bench_now_us();
	while (now - t0 < a->seconds * 1e6) {
		lookup_check(lk, next_rand(&lk->rng) % lk->t->s.nr_keys, NULL);
		now = bench_now_us();
	}
	lk->elapsed_us = now - t0;
	return NULL;
}

/*
 * Lookups/s of @side on @t with @nt threads, each at QD1 in a closed loop
 * for the option's seconds: the sum of the threads' rates.
 * Return: the rate, or a negative value on a wrong answer (printed).
 */
static double measure_tput(const struct setup *su, const struct tree *t, enum side side,
			   unsigned int nt, __u64 seed)
{
	struct tput_arg a[MAX_THREADS];
	pthread_t tid[MAX_THREADS];
	pthread_barrier_t start;
	double rate = 0;
	bool bad = false;
	unsigned int i;

	pthread_barrier_init(&start, NULL, nt);
	for (i = 0; i < nt; i++) {
		a[i].start = &start;
		a[i].seconds = su->o->seconds;
		if (looker_init(&a[i].lk, su, t, side, seed + i)) {
			fprintf(stderr, "lookup: out of memory or io_uring setup failed\n");
			exit(1);
		}
	}
	for (i = 0; i < nt; i++)
		if (pthread_create(&tid[i], NULL, tput_thread, &a[i])) {
			fprintf(stderr, "lookup: pthread_create failed\n");
			exit(1);
		}
	for (i = 0; i < nt; i++) {
		pthread_join(tid[i], NULL);
		bad |= report_wrong(&a[i].lk);
		rate += a[i].lk.done / (a[i].lk.elapsed_us / 1e6);
		looker_exit(&a[i].lk);
	}
	pthread_barrier_destroy(&start);
	return bad ? -1 : rate;
}

/* --------------------------------------------------------------- results */

enum { P50, P99 };
enum { T_HOST, T_OFFLOAD };	/* the throughput sides: HOST_URING, OFFLOAD */

/* What the rounds measured, per depth (index into opts.depths). */
static double lat[MAX_DEPTHS][NR_SIDES][2][MAX_ROUNDS];	/* us */
static double tput[MAX_DEPTHS][2][MAX_THREADS][MAX_ROUNDS];	/* lookups/s */

struct spread {
	double	med, min, max;
};

/* Median, min and max of @v[0..@n) (not modified). */
static struct spread spread_of(const double *v, int n)
{
	double tmp[MAX_ROUNDS];
	struct spread s;

	memcpy(tmp, v, n * sizeof(*v));
	s.med = bench_median(tmp, n);
	s.min = tmp[0];		/* sorted by bench_median() */
	s.max = tmp[n - 1];
	return s;
}

/*
 * The per-round ratio @a[r] / @b[r], summarised.  The two sides of a round
 * ran back to back, so the ratio cancels most of the host's drift between
 * rounds.
 */
static struct spread ratio_of(const double *a, const double *b, int n)
{
	double r[MAX_ROUNDS];

	for (int i = 0; i < n; i++)
		r[i] = a[i] / b[i];
	return spread_of(r, n);
}

static void print_spread(const char *what, struct spread s, const char *fmt)
{
	char m[32], lo[32], hi[32];

	snprintf(m, sizeof(m), fmt, s.med);
	snprintf(lo, sizeof(lo), fmt, s.min);
	snprintf(hi, sizeof(hi), fmt, s.max);
	printf("  %-34s %10s %10s %10s\n", what, m, lo, hi);
}

static void print_trees(const struct opts *o, const struct tree *trees)
{
	printf("\nTrees (%llu keys each; fill: children per internal node, leaf: keys per\n"
	       "leaf; reads: host reads per lookup, one per level and the value's):\n",
	       (unsigned long long)o->nr_keys);
	printf("  %5s %5s %5s %8s %8s %10s %6s\n", "depth", "fill", "leaf", "nodes",
	       "leaves", "image KiB", "reads");
	for (unsigned int d = 0; d < o->nr_depths; d++) {
		const struct btree_shape *s = &trees[d].s;

		printf("  %5u %5u %5u %8llu %8llu %10llu %6u\n", s->depth, s->fill,
		       s->leaf_fill, (unsigned long long)s->nodes,
		       (unsigned long long)s->leaves,
		       (unsigned long long)(s->size + 1023) / 1024, trees[d].reads);
	}
}

/* One row per depth, medians over the rounds. */
static void print_table(const struct opts *o, const struct tree *trees)
{
	int n = o->rounds;

	printf("\nLookups, median over %d rounds.  Latency: QD1, one thread, us.\n"
	       "x: host/offload for latency, offload/host for lookups/s (per round, then\n"
	       "the median): above 1.00x the offload wins.\n\n", n);
	printf("%5s | %15s | %15s | %6s |", "", "host io_uring", "offload", "p50");
	for (unsigned int t = 0; t < o->nr_threads; t++)
		printf(" %-4s%2u thread%s %9s |", "", o->threads[t],
		       o->threads[t] == 1 ? " " : "s", "lookups/s");
	printf("\n%5s | %7s %7s | %7s %7s | %6s |", "depth", "p50", "p99", "p50", "p99", "x");
	for (unsigned int t = 0; t < o->nr_threads; t++)
		printf(" %8s %8s %6s |", "host", "offload", "x");
	printf("\n");
	for (unsigned int d = 0; d < o->nr_depths; d++) {
		printf("%5u | %7.0f %7.0f | %7.0f %7.0f | %5.2fx |", trees[d].s.depth,
		       spread_of(lat[d][HOST_URING][P50], n).med,
		       spread_of(lat[d][HOST_URING][P99], n).med,
		       spread_of(lat[d][OFFLOAD][P50], n).med,
		       spread_of(lat[d][OFFLOAD][P99], n).med,
		       ratio_of(lat[d][HOST_URING][P50], lat[d][OFFLOAD][P50], n).med);
		for (unsigned int t = 0; t < o->nr_threads; t++)
			printf(" %8.0f %8.0f %5.2fx |",
			       spread_of(tput[d][T_HOST][t], n).med,
			       spread_of(tput[d][T_OFFLOAD][t], n).med,
			       ratio_of(tput[d][T_OFFLOAD][t], tput[d][T_HOST][t], n).med);
		printf("\n");
	}
}

/* Every measured value per depth: median and spread over the rounds. */
static void print_detail(const struct opts *o, const struct tree *trees)
{
	int n = o->rounds;
	char what[64];

	printf("\nSpread over the %d rounds (median, min, max):\n", n);
	for (unsigned int d = 0; d < o->nr_depths; d++) {
		printf("depth %u:\n", trees[d].s.depth);
		for (int side = 0; side < NR_SIDES; side++)
			for (int q = P50; q <= P99; q++) {
				snprintf(what, sizeof(what), "%s %s us", side_name[side],
					 q == P50 ? "p50" : "p99");
				print_spread(what, spread_of(lat[d][side][q], n), "%.1f");
			}
		for (int q = P50; q <= P99; q++) {
			snprintf(what, sizeof(what), "%s x host io_uring/offload",
				 q == P50 ? "p50" : "p99");
			print_spread(what, ratio_of(lat[d][HOST_URING][q], lat[d][OFFLOAD][q], n),
				     "%.2fx");
		}
		for (unsigned int t = 0; t < o->nr_threads; t++) {
			snprintf(what, sizeof(what), "%u thr host lookups/s", o->threads[t]);
			print_spread(what, spread_of(tput[d][T_HOST][t], n), "%.0f");
			snprintf(what, sizeof(what), "%u thr offload lookups/s", o->threads[t]);
			print_spread(what, spread_of(tput[d][T_OFFLOAD][t], n), "%.0f");
			snprintf(what, sizeof(what), "%u thr x offload/host", o->threads[t]);
			print_spread(what, ratio_of(tput[d][T_OFFLOAD][t], tput[d][T_HOST][t], n),
				     "%.2fx");
		}
	}
}

static void print_goal(const char *what, double x, bool met)
{
	printf("  %-52s %7.2fx  %s\n", what, x, met ? "MET" : "MISSED");
}

static void print_goals(const struct opts *o, const struct tree *trees,
			const struct bench_exec_read *el)
{
	int n = o->rounds, d;
	char what[80];

	printf("\nGoals (a miss is reported, not failed):\n");
	print_goal("EXEC p50 <= 1.0x 4 KiB read p50 (EXEC/read)",
		   el->exec_p50 / el->read_p50, el->exec_p50 <= 1.0 * el->read_p50);
	print_goal("EXEC p99 <= 1.5x 4 KiB read p99 (EXEC/read)",
		   el->exec_p99 / el->read_p99, el->exec_p99 <= 1.5 * el->read_p99);
	for (d = 0; d < (int)o->nr_depths && trees[d].s.depth != GOAL_DEPTH; d++)
		;
	if (d == (int)o->nr_depths) {
		printf("  depth %d not measured: no lookup goals\n", GOAL_DEPTH);
		return;
	}
	for (unsigned int t = 0; t < o->nr_threads; t++) {
		double x = ratio_of(tput[d][T_OFFLOAD][t], tput[d][T_HOST][t], n).med;

		snprintf(what, sizeof(what), "depth %d, %u thread%s: lookups/s >= 2.5x host",
			 GOAL_DEPTH, o->threads[t], o->threads[t] == 1 ? "" : "s");
		print_goal(what, x, x >= 2.5);
	}
	{
		double x = ratio_of(lat[d][HOST_URING][P99], lat[d][OFFLOAD][P99], n).med;

		snprintf(what, sizeof(what), "depth %d: p99 below host's (host/offload > 1)",
			 GOAL_DEPTH);
		print_goal(what, x, x > 1.0);
	}
}

/* ----------------------------------------------------------------- setup */

static void usage(void)
{
	fprintf(stderr,
		"usage: lookup [-n KEYS] [-d DEPTHS] [-T THREADS] [-r ROUNDS] [-l LOOKUPS]\n"
		"              [-s SECONDS] [-e EXEC_ITERS] [-S SEED] BTREE_LOOKUP_OBJ\n"
		"  -n  keys per tree (20000)        -d  depths, e.g. 3,4,5,6 (3,4,5,6)\n"
		"  -T  thread counts (1,2,4)        -r  rounds, at most %d (5)\n"
		"  -l  QD1 lookups per side and round (1000)\n"
		"  -s  seconds per lookups/s point (3)\n"
		"  -e  exec_latency iterations (2000)    -S  key seed (1)\n"
		"Creates configfs drive '" DRIVE_NAME "': the uringblk module must be loaded.\n",
		MAX_ROUNDS);
	exit(2);
}

/* "3,4,5" into @v (at most @max values, each 1..@hi); the count, or 0. */
static unsigned int parse_list(const char *s, unsigned int *v, unsigned int max,
			       unsigned int hi)
{
	unsigned int n = 0;
	char *end;

	do {
		unsigned long x = strtoul(s, &end, 10);

		if (end == s || !x || x > hi || n == max)
			return 0;
		v[n++] = x;
		s = end + 1;
	} while (*end == ',');
	return *end ? 0 : n;
}

static void parse_opts(int argc, char **argv, struct opts *o)
{
	int c;

	*o = (struct opts){
		.nr_keys = 20000, .depths = { 3, 4, 5, 6 }, .nr_depths = 4,
		.threads = { 1, 2, 4 }, .nr_threads = 3, .rounds = 5,
		.lookups = 1000, .seconds = 3, .exec_iters = 2000, .seed = 1,
	};
	while ((c = getopt(argc, argv, "hn:d:T:r:l:s:e:S:")) != -1) {
		switch (c) {
		case 'n': o->nr_keys = strtoull(optarg, NULL, 0); break;
		case 'd': o->nr_depths = parse_list(optarg, o->depths, MAX_DEPTHS,
						    BTREE_MAX_DEPTH); break;
		case 'T': o->nr_threads = parse_list(optarg, o->threads, MAX_THREADS,
						     MAX_THREADS); break;
		case 'r': o->rounds = atoi(optarg); break;
		case 'l': o->lookups = atoi(optarg); break;
		case 's': o->seconds = atof(optarg); break;
		case 'e': o->exec_iters = atoi(optarg); break;
		case 'S': o->seed = strtoull(optarg, NULL, 0); break;
		default: usage();
		}
	}
	if (optind != argc - 1 || !o->nr_keys || !o->nr_depths || !o->nr_threads ||
	    o->rounds < 1 || o->rounds > MAX_ROUNDS || o->lookups < 10 ||
	    o->seconds <= 0 || o->exec_iters < 10)
		usage();
	o->obj = argv[optind];
}

/* Plan every tree and place them one after the other, 1 MiB aligned. */
static __u64 plan_trees(const struct opts *o, struct tree *trees)
{
	__u64 off = 0;
	char err[256];

	for (unsigned int d = 0; d < o->nr_depths; d++) {
		if (btree_plan(o->nr_keys, o->depths[d], o->seed, &trees[d].s, err,
			       sizeof(err))) {
			fprintf(stderr, "lookup: %llu keys at depth %u: %s\n",
				(unsigned long long)o->nr_keys, o->depths[d], err);
			exit(1);
		}
		trees[d].base = off;
		off += (trees[d].s.size + (1 << 20) - 1) & ~((1ULL << 20) - 1);
	}
	return off;
}

/*
 * Write the trees, check each image as read back (btree_verify()) and take
 * its root from the super block.  Return: 0 or -1.
 */
static int write_trees(const struct opts *o, struct tree *trees, const char *blk)
{
	int fd = open(blk, O_RDWR), ret;
	char err[256] = "";

	if (fd < 0) {
		fprintf(stderr, "lookup: %s: %s\n", blk, strerror(errno));
		return -1;
	}
	for (unsigned int d = 0; d < o->nr_depths; d++) {
		struct btree_super sb;

		ret = btree_write(fd, trees[d].base, &trees[d].s);
		if (!ret)
			ret = fsync(fd) ? -errno : 0;
		if (!ret)
			ret = btree_verify(fd, trees[d].base, err, sizeof(err));
		if (!ret)
			ret = btree_read_super(fd, trees[d].base, &sb);
		if (ret) {
			fprintf(stderr, "lookup: writing the depth-%u tree: %s%s%s\n",
				o->depths[d], strerror(-ret), *err ? ": " : "", err);
			close(fd);
			return -1;
		}
		if (sb.magic != BTREE_MAGIC || sb.depth != o->depths[d] ||
		    sb.nr_keys != o->nr_keys) {
			fprintf(stderr, "lookup: depth-%u tree: super block reads back as "
				"magic %#llx depth %llu keys %llu\n", o->depths[d],
				(unsigned long long)sb.magic, (unsigned long long)sb.depth,
				(unsigned long long)sb.nr_keys);
			close(fd);
			return -1;
		}
		trees[d].root = sb.root;
	}
	close(fd);
	return 0;
}

/* Create the drive; returns its index, or -1. */
static int create_drive(__u64 bytes)
{
	char cap[40], msg[256];
	const char *kv[] = { "backing=mem", "block_size=" STR(BLOCK), cap, NULL };
	int index, ret;

	snprintf(cap, sizeof(cap), "capacity_mb=%llu",
		 (unsigned long long)(bytes >> 20) + 8);	/* 8: exec_latency reads 4 MiB */
	ret = uringblk_create(DRIVE_NAME, kv, &index, msg, sizeof(msg));
	if (ret) {
		fprintf(stderr, "lookup: creating drive %s: %s%s%s\n", DRIVE_NAME,
			uringblk_strerror(ret), *msg ? ": " : "", msg);
		return -1;
	}
	return index;
}

/* One round: every depth, each side's latency then lookups/s. */
static int run_round(const struct setup *su, const struct tree *trees, int r)
{
	const struct opts *o = su->o;

	for (unsigned int d = 0; d < o->nr_depths; d++) {
		__u64 seed = o->seed * 1000003 + r * 131 + d;

		/* alternate which side goes first */
		for (int k = 0; k < NR_SIDES; k++) {
			int side = (k + r) % NR_SIDES;

			if (measure_latency(su, &trees[d], side, seed, &lat[d][side][P50][r],
					    &lat[d][side][P99][r]))
				return -1;
		}
		for (unsigned int t = 0; t < o->nr_threads; t++)
			for (int k = 0; k < 2; k++) {
				int ts = (k + r) % 2;
				double rate = measure_tput(su, &trees[d],
							   ts == T_HOST ? HOST_URING : OFFLOAD,
							   o->threads[t], seed);

				if (rate < 0)
					return -1;
				tput[d][ts][t][r] = rate;
			}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct tree trees[MAX_DEPTHS];
	struct bench_exec_read el;
	struct setup su = { 0 };
	struct uringblk_identify id;
	struct opts o;
	char msg[512];
	int index, ret, status = 1;
	double t0 = bench_now_us();

	parse_opts(argc, argv, &o);
	su.o = &o;
	index = create_drive(plan_trees(&o, trees));
	if (index < 0)
		return 1;
	ret = uringblk_open_index(index, &su.dev);
	if (ret) {
		fprintf(stderr, "lookup: /dev/uringblk%d: %s\n", index, uringblk_strerror(ret));
		goto remove;
	}
	ret = uringblk_identify(su.dev, &id);
	if (ret || id.logical_block_size != BLOCK) {
		fprintf(stderr, "lookup: identify: %s, block size %u (want %u)\n",
			uringblk_strerror(ret), id.logical_block_size, BLOCK);
		goto close;
	}
	if (write_trees(&o, trees, uringblk_blk_path(su.dev)))
		goto close;
	su.bfd = open(uringblk_blk_path(su.dev), O_RDONLY | O_DIRECT);
	if (su.bfd < 0) {
		fprintf(stderr, "lookup: %s: %s\n", uringblk_blk_path(su.dev), strerror(errno));
		goto close;
	}
	ret = uringblk_prog_load_file(su.dev, o.obj, NULL, msg, sizeof(msg));
	if (ret < 0) {
		fprintf(stderr, "lookup: loading %s: %s%s%s\n", o.obj, uringblk_strerror(ret),
			*msg ? ": " : "", msg);
		goto close_bfd;
	}
	su.prog_id = ret;
	for (unsigned int d = 0; d < o.nr_depths; d++)
		if (precheck(&su, &trees[d]))
			goto unload;

	printf("lookup: B+-tree point lookups, host reads per level vs one EXEC (issue 11)\n");
	printf("drive %s: memory, 512-byte blocks; %u CPUs; %d rounds; QD1: %d lookups per "
	       "side and round; lookups/s: %g s per point\n", uringblk_blk_path(su.dev),
	       get_nprocs(), o.rounds, o.lookups, o.seconds);
	print_trees(&o, trees);

	ret = bench_exec_vs_read(su.dev, o.exec_iters, &el, msg, sizeof(msg));
	if (ret) {
		fprintf(stderr, "lookup: exec_latency: %s\n", msg);
		goto unload;
	}
	printf("\nexec_latency (EXEC of a trivial program vs a 4 KiB read):\n");
	bench_exec_vs_read_print(stdout, &el);
	fflush(stdout);

	for (int r = 0; r < o.rounds; r++) {
		if (run_round(&su, trees, r))
			goto unload;
		fprintf(stderr, "lookup: round %d of %d done at %.0f s\n", r + 1, o.rounds,
			(bench_now_us() - t0) / 1e6);
	}
	print_table(&o, trees);
	print_detail(&o, trees);
	print_goals(&o, trees, &el);
	printf("\nEvery lookup's answer was checked against btree_value(): all correct.\n");
	status = 0;
unload:
	uringblk_prog_unload(su.dev, su.prog_id);
close_bfd:
	close(su.bfd);
close:
	uringblk_close(su.dev);
remove:
	ret = uringblk_remove(DRIVE_NAME, msg, sizeof(msg));
	if (ret) {
		fprintf(stderr, "lookup: removing drive %s: %s %s\n", DRIVE_NAME,
			uringblk_strerror(ret), msg);
		status = 1;
	}
	return status;
}
