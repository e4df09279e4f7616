// SPDX-License-Identifier: GPL-2.0
/*
 * kv_objects - objects per second: a KV drive's Store, Retrieve and Delete
 * against the seed's approach, one file per object on ext4 written and read
 * with O_DIRECT (issue 33's goal: >= 2x at 4 KiB values, >= 1.0x at 1 MiB).
 * Run in the guest by tools/bench/kv-objects, which makes the two drives
 * (same capacity, block size and backing) and ext4 on the plain one.
 *
 *   kv_objects [-r ROUNDS] [-s SIZE:N]... [-t THREADS]... [-b BATCH]
 *              [-y fsync|dsync] [-o kv|ext4] [-F kv|ext4] KVCDEV DIR
 *
 * For every round, thread count and value size, the KV drive and ext4 each
 * store N objects (16-byte keys; on ext4 one file per object in DIR, named
 * by the key in hex), retrieve them all in a random order and delete them.
 * The two take turns within each phase, BATCH objects per thread a turn
 * (a tenth of it for values over 64 KiB; 0: the whole phase), the side going first alternating by turn and by
 * round, so that a busy host slows both alike.  Every retrieved value is checked
 * byte for byte; after the deletes, List (KV) and readdir (ext4) must find
 * nothing.  Any failure exits 1.
 *
 * Durability is the same on both sides: a KV Store completes after the
 * value and its journal record are flushed (Documentation/dev/kv-format.md),
 * a Delete after its tombstone is.  On ext4 a store is open(O_CREAT |
 * O_WRONLY | O_DIRECT), write, fsync, close: the fsync commits the jbd2
 * transaction holding the inode's last change and, transactions committing
 * in order, the earlier one holding the directory entry, then flushes the
 * cache; a delete is unlink then fsync of the directory.  -y dsync opens
 * with O_DSYNC instead of the fsync (ext4 commits the same transactions for
 * a write that allocates blocks).
 *
 * A rate is objects over the time spent in the I/O calls (from the open to
 * the close, or the ioctl) by the thread that spent the most: making and
 * checking the values is the same work for both and is left out.  The wall
 * rate (everything, checks included) is printed beside it.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <linux/nvme_ioctl.h>

#define MAX_SIZES	4
#define MAX_TCOUNTS	4
#define MAX_ROUNDS	32
#define MAX_THREADS	16
#define KEY_LEN		16
#define STAMP_MAGIC	0x6b766f626a656374ULL	/* "kvobject" */
#define BLK		4096			/* O_DIRECT and stamp unit */

enum { SYS_KV, SYS_EXT4, NSYS };
enum { PH_STORE, PH_RETRIEVE, PH_DELETE, NPH };
static const char *const sys_name[NSYS] = { "KV", "ext4" };
static const char *const ph_name[NPH] = { "store", "retrieve", "delete" };

/* Every BLK of a value starts with this; the rest is the shared pattern */
struct stamp {
	uint64_t magic;
	uint32_t obj;
	uint32_t round;
	uint32_t block;
	uint32_t size_kib;
	uint64_t key0;
};

static int kv_fd = -1, dir_fd = -1;
static const char *dir_path;
static int use_dsync;
static int only = -1;			/* -o: one system alone (profiles) */
static int fault = -1;			/* -F: one wrong value (checks the check) */
static uint8_t *pattern;		/* the largest value's shared bytes */

/* io and wall seconds, per size, thread count, system, phase and round */
static double io_s[MAX_SIZES][MAX_TCOUNTS][NSYS][NPH][MAX_ROUNDS];
static double wall_s[MAX_SIZES][MAX_TCOUNTS][NSYS][NPH][MAX_ROUNDS];

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t mix(uint64_t x)		/* splitmix64 */
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static void key_of(uint32_t obj, uint8_t key[KEY_LEN])
{
	uint64_t a = mix(2 * (uint64_t)obj), b = mix(2 * (uint64_t)obj + 1);

	memcpy(key, &a, 8);
	memcpy(key + 8, &b, 8);
}

static void name_of(const uint8_t key[KEY_LEN], char name[2 * KEY_LEN + 1])
{
	for (int i = 0; i < KEY_LEN; i++)
		sprintf(name + 2 * i, "%02x", key[i]);
}

/* The value of @obj in @round: the pattern, a stamp at every BLK */
static void make_value(uint8_t *buf, size_t size, uint32_t obj, uint32_t round,
		       int fresh)
{
	uint8_t key[KEY_LEN];
	struct stamp s = { STAMP_MAGIC, obj, round, 0, size / 1024, 0 };

	key_of(obj, key);
	memcpy(&s.key0, key, 8);
	if (fresh)
		memcpy(buf, pattern, size);
	for (size_t b = 0; b < size / BLK; b++) {
		s.block = b;
		memcpy(buf + b * BLK, &s, sizeof(s));
	}
}

/* 0 if @buf is exactly @obj's value of @round, else the first bad offset + 1 */
static size_t check_value(const uint8_t *buf, size_t size, uint32_t obj,
			  uint32_t round)
{
	uint8_t key[KEY_LEN];
	struct stamp s = { STAMP_MAGIC, obj, round, 0, size / 1024, 0 };

	key_of(obj, key);
	memcpy(&s.key0, key, 8);
	for (size_t b = 0; b < size / BLK; b++) {
		const uint8_t *p = buf + b * BLK;

		s.block = b;
		if (memcmp(p, &s, sizeof(s)))
			return b * BLK + 1;
		if (memcmp(p + sizeof(s), pattern + b * BLK + sizeof(s),
			   BLK - sizeof(s)))
			return b * BLK + sizeof(s) + 1;
	}
	return 0;
}

/* Store 01h, Retrieve 02h, Delete 10h, List 06h of the KV command set */
static int kv_cmd(uint8_t op, const uint8_t *key, uint32_t klen, void *buf,
		  uint32_t len, uint64_t *result)
{
	struct nvme_passthru_cmd64 c = {
		.opcode = op, .nsid = 1, .addr = (uintptr_t)buf, .data_len = len,
		.cdw10 = len, .cdw11 = klen,
	};
	uint32_t w[4] = { 0 };
	int ret;

	if (klen)
		memcpy(w, key, klen);
	c.cdw2 = w[0];
	c.cdw3 = w[1];
	c.cdw14 = w[2];
	c.cdw15 = w[3];
	ret = ioctl(kv_fd, NVME_IOCTL_IO64_CMD, &c);
	if (result)
		*result = c.result;
	return ret < 0 ? -errno : ret;	/* > 0: an NVMe status */
}

struct job {
	pthread_t tid;
	pthread_barrier_t *bar;
	int phase, idx, nthreads, first;
	size_t size;
	uint32_t round;
	const uint32_t *order;	/* objects of this phase, in order */
	uint32_t n;
	uint8_t *buf;
	double io[NSYS];	/* seconds in the I/O calls */
	double wall[NSYS];	/* thread 0: the batches' spans, checks included */
	char err[256];
};

static int batch = 50;			/* -b: objects per thread per turn */
static volatile int stop;		/* a thread failed: the others idle */

static void fail(struct job *j, const char *fmt, ...)
{
	va_list ap;

	if (j->err[0])
		return;
	va_start(ap, fmt);
	vsnprintf(j->err, sizeof(j->err), fmt, ap);
	va_end(ap);
}

static int kv_one(struct job *j, uint32_t obj, const uint8_t *key)
{
	uint64_t res = 0;
	int ret;

	switch (j->phase) {
	case PH_STORE:
		ret = kv_cmd(0x01, key, KEY_LEN, j->buf, j->size, NULL);
		break;
	case PH_RETRIEVE:
		ret = kv_cmd(0x02, key, KEY_LEN, j->buf, j->size, &res);
		if (!ret && res != j->size) {
			fail(j, "KV retrieve of object %u: value size %llu, stored %zu",
			     obj, (unsigned long long)res, j->size);
			return -1;
		}
		break;
	default:
		ret = kv_cmd(0x10, key, KEY_LEN, NULL, 0, NULL);
		break;
	}
	if (ret)
		fail(j, "KV %s of object %u: %s %#x", ph_name[j->phase], obj,
		     ret > 0 ? "NVMe status" : "errno", ret > 0 ? ret : -ret);
	return ret ? -1 : 0;
}

static int ext4_one(struct job *j, uint32_t obj, const uint8_t *key)
{
	char name[2 * KEY_LEN + 1];
	ssize_t r;
	int fd;

	name_of(key, name);
	switch (j->phase) {
	case PH_STORE:
		fd = openat(dir_fd, name, O_CREAT | O_WRONLY | O_DIRECT |
			    (use_dsync ? O_DSYNC : 0), 0644);
		if (fd < 0)
			break;
		r = write(fd, j->buf, j->size);
		if (r != (ssize_t)j->size) {
			fail(j, "ext4 write of %s: %zd (%s)", name, r, strerror(errno));
			close(fd);
			return -1;
		}
		if (!use_dsync && fsync(fd)) {
			close(fd);
			break;
		}
		return close(fd) ? fail(j, "close: %s", strerror(errno)), -1 : 0;
	case PH_RETRIEVE:
		fd = openat(dir_fd, name, O_RDONLY | O_DIRECT);
		if (fd < 0)
			break;
		/* one block more than the value: a longer file reads long */
		r = read(fd, j->buf, j->size + BLK);
		close(fd);
		if (r != (ssize_t)j->size) {
			fail(j, "ext4 read of %s: %zd bytes, stored %zu (%s)", name, r,
			     j->size, r < 0 ? strerror(errno) : "length");
			return -1;
		}
		return 0;
	default:
		if (unlinkat(dir_fd, name, 0) || fsync(dir_fd))
			break;
		return 0;
	}
	fail(j, "ext4 %s of %s (object %u): %s", ph_name[j->phase], name, obj,
	     strerror(errno));
	return -1;
}

/*
 * The phase's objects go in turns: @batch objects per thread on one side,
 * then on the other (which side first alternates by turn), a barrier
 * between turns so that the two never run at once.  Both then meet the
 * same host: a busy host slows the turns of both alike, not one phase of
 * one.  Every thread passes every barrier, failed or not.
 */
static void *worker(void *arg)
{
	struct job *j = arg;
	/* large values: a tenth as many a turn (turns of similar length) */
	uint32_t per = j->size > 65536 ? (batch / 10 ? batch / 10 : 1) : batch;
	uint32_t step = per * j->nthreads;
	uint8_t key[KEY_LEN];
	size_t bad;

	for (uint32_t c = 0; c * step < j->n; c++) {
		for (int s = 0; s < NSYS; s++) {
			int sys = (j->first + c + s) % NSYS;
			uint32_t end = (c + 1) * step < j->n ? (c + 1) * step : j->n;
			double t1, t2 = 0;

			pthread_barrier_wait(j->bar);
			t1 = now();
			for (uint32_t k = c * step + j->idx; k < end && !stop &&
			     (only < 0 || sys == only); k += j->nthreads) {
				uint32_t obj = j->order[k];
				double t0;
				int ret;

				key_of(obj, key);
				/* -F: object 0 gets object 1's value: the check must see it */
				if (j->phase == PH_STORE)
					make_value(j->buf, j->size, obj + (fault == sys && !obj),
						   j->round, 0);
				t0 = now();
				ret = sys == SYS_KV ? kv_one(j, obj, key) : ext4_one(j, obj, key);
				j->io[sys] += now() - t0;
				if (!ret && j->phase == PH_RETRIEVE &&
				    (bad = check_value(j->buf, j->size, obj, j->round))) {
					fail(j, "%s retrieve of object %u, round %u: wrong data at byte %zu",
					     sys_name[sys], obj, j->round + 1, bad - 1);
					ret = -1;
				}
				if (ret)
					stop = 1;
			}
			pthread_barrier_wait(j->bar);
			t2 = now();
			if (!j->idx)
				j->wall[sys] += t2 - t1;
		}
	}
	return NULL;
}

/* Nothing may be left after the deletes: List from the first key, readdir */
static int check_empty(int sys)
{
	if (sys == SYS_KV) {
		uint8_t list[4096];
		uint32_t nkeys;
		int ret = kv_cmd(0x06, NULL, 0, list, sizeof(list), NULL);

		memcpy(&nkeys, list, 4);
		if (ret || nkeys) {
			fprintf(stderr, "KV: List after the deletes: status %#x, %u keys\n",
				ret, ret ? 0 : nkeys);
			return -1;
		}
	} else {
		DIR *d = opendir(dir_path);
		struct dirent *e;
		int n = 0;

		if (!d)
			return perror(dir_path), -1;
		while ((e = readdir(d)))
			n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
		closedir(d);
		if (n) {
			fprintf(stderr, "ext4: %d files left in %s after the deletes\n",
				n, dir_path);
			return -1;
		}
	}
	return 0;
}

static void shuffle(uint32_t *v, uint32_t n, uint64_t seed)
{
	for (uint32_t i = n - 1; i > 0; i--) {
		uint32_t k = mix(seed + i) % (i + 1), t = v[i];

		v[i] = v[k];
		v[k] = t;
	}
}

/* The three phases of both sides; 0, or -1 with the reason printed */
static int run_phases(size_t size, uint32_t n, int nthreads, uint32_t round,
		      int si, int ti, uint8_t **bufs, uint32_t *seq, uint32_t *rnd)
{
	struct job jobs[MAX_THREADS];
	pthread_barrier_t bar;

	for (int ph = 0; ph < NPH; ph++) {
		pthread_barrier_init(&bar, NULL, nthreads);
		for (int t = 0; t < nthreads; t++) {
			jobs[t] = (struct job){
				.bar = &bar, .phase = ph, .idx = t, .first = round % NSYS,
				.nthreads = nthreads, .size = size, .round = round,
				.order = ph == PH_RETRIEVE ? rnd : seq, .n = n,
				.buf = bufs[t],
			};
			if (pthread_create(&jobs[t].tid, NULL, worker, &jobs[t])) {
				perror("pthread_create");
				exit(1);
			}
		}
		for (int t = 0; t < nthreads; t++)
			pthread_join(jobs[t].tid, NULL);
		pthread_barrier_destroy(&bar);
		for (int t = 0; t < nthreads; t++) {
			if (jobs[t].err[0]) {
				fprintf(stderr, "FAIL: %s\n", jobs[t].err);
				return -1;
			}
		}
		for (int sys = 0; sys < NSYS; sys++) {
			double slowest = 0;

			if (only >= 0 && sys != only)
				continue;
			/* the phase ends with its slowest thread */
			for (int t = 0; t < nthreads; t++)
				if (jobs[t].io[sys] > slowest)
					slowest = jobs[t].io[sys];
			io_s[si][ti][sys][ph][round] = slowest;
			wall_s[si][ti][sys][ph][round] = jobs[0].wall[sys];
			printf("round %u  threads %d  %5zu KiB  %-4s  %-8s  %9.1f obj/s  (wall %9.1f obj/s)\n",
			       round + 1, nthreads, size / 1024, sys_name[sys], ph_name[ph],
			       n / slowest, n / jobs[0].wall[sys]);
		}
		fflush(stdout);
	}
	for (int sys = 0; sys < NSYS; sys++)
		if ((only < 0 || sys == only) && check_empty(sys))
			return -1;
	return 0;
}

static int cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* median, min and max of @v[0..n) (sorted in place) */
static void stats(double *v, int n, double *med, double *lo, double *hi)
{
	qsort(v, n, sizeof(*v), cmpd);
	*med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	*lo = v[0];
	*hi = v[n - 1];
}

static void usage(const char *me)
{
	fprintf(stderr, "usage: %s [-r ROUNDS] [-s SIZE:N]... [-t THREADS]... "
		"[-b BATCH] [-y fsync|dsync] [-o kv|ext4] [-F kv|ext4] KVCDEV DIR\n", me);
	exit(2);
}

int main(int argc, char **argv)
{
	size_t sizes[MAX_SIZES], maxsize = 0;
	uint32_t counts[MAX_SIZES], maxn = 0, *seq, *rnd;
	int tcounts[MAX_TCOUNTS], nsizes = 0, ntc = 0, rounds = 3, opt;
	uint8_t *bufs[MAX_THREADS];

	while ((opt = getopt(argc, argv, "r:s:t:b:y:o:F:")) != -1) {
		char *end;

		switch (opt) {
		case 'r':
			rounds = atoi(optarg);
			if (rounds < 1 || rounds > MAX_ROUNDS)
				usage(argv[0]);
			break;
		case 's':
			if (nsizes == MAX_SIZES)
				usage(argv[0]);
			sizes[nsizes] = strtoul(optarg, &end, 0);
			if (*end != ':' || !sizes[nsizes] || sizes[nsizes] % BLK)
				usage(argv[0]);
			counts[nsizes] = strtoul(end + 1, &end, 0);
			if (*end || counts[nsizes] < 1)
				usage(argv[0]);
			nsizes++;
			break;
		case 't':
			if (ntc == MAX_TCOUNTS)
				usage(argv[0]);
			tcounts[ntc] = atoi(optarg);
			if (tcounts[ntc] < 1 || tcounts[ntc] > MAX_THREADS)
				usage(argv[0]);
			ntc++;
			break;
		case 'b':
			batch = atoi(optarg);
			if (batch < 0)
				usage(argv[0]);
			break;
		case 'y':
			if (strcmp(optarg, "fsync") && strcmp(optarg, "dsync"))
				usage(argv[0]);
			use_dsync = !strcmp(optarg, "dsync");
			break;
		case 'o':
			if (strcmp(optarg, "kv") && strcmp(optarg, "ext4"))
				usage(argv[0]);
			only = strcmp(optarg, "kv") ? SYS_EXT4 : SYS_KV;
			break;
		case 'F':
			if (strcmp(optarg, "kv") && strcmp(optarg, "ext4"))
				usage(argv[0]);
			fault = strcmp(optarg, "kv") ? SYS_EXT4 : SYS_KV;
			break;
		default:
			usage(argv[0]);
		}
	}
	if (argc - optind != 2)
		usage(argv[0]);
	if (!nsizes) {
		sizes[0] = 4096, counts[0] = 4000;
		sizes[1] = 1 << 20, counts[1] = 128;
		nsizes = 2;
	}
	if (!ntc)
		tcounts[ntc++] = 1;
	if (!batch)
		batch = 1 << 28;	/* one turn per phase */
	dir_path = argv[optind + 1];
	kv_fd = open(argv[optind], O_RDWR);
	dir_fd = open(dir_path, O_RDONLY | O_DIRECTORY);
	if (kv_fd < 0 || dir_fd < 0) {
		perror(kv_fd < 0 ? argv[optind] : dir_path);
		return 1;
	}
	for (int i = 0; i < nsizes; i++) {
		if (sizes[i] > maxsize)
			maxsize = sizes[i];
		if (counts[i] > maxn)
			maxn = counts[i];
	}
	seq = calloc(maxn, sizeof(*seq));
	rnd = calloc(maxn, sizeof(*rnd));
	if (!seq || !rnd || posix_memalign((void **)&pattern, BLK, maxsize))
		return perror("alloc"), 1;
	for (size_t i = 0; i < maxsize / 8; i++) {
		uint64_t x = mix(i ^ 0x5eed);

		memcpy(pattern + 8 * i, &x, 8);
	}
	for (int t = 0; t < MAX_THREADS; t++) {
		/* one block more: ext4's read asks for it (the length check) */
		if (posix_memalign((void **)&bufs[t], BLK, maxsize + BLK))
			return perror("alloc"), 1;
		memcpy(bufs[t], pattern, maxsize);
	}

	printf("kv_objects: %d rounds; turns of %d objects per thread; ext4 durability: %s;"
	       " rate = objects / time in the I/O calls\n", rounds, batch,
	       use_dsync ? "O_DSYNC" : "fsync (file), fsync (directory) after unlink");
	for (uint32_t r = 0; r < (uint32_t)rounds; r++) {
		for (int ti = 0; ti < ntc; ti++) {
			for (int si = 0; si < nsizes; si++) {
				uint32_t n = counts[si];

				for (uint32_t i = 0; i < n; i++)
					seq[i] = rnd[i] = i;
				shuffle(rnd, n, mix(r * 131 + si * 7 + ti));
				for (int t = 0; t < tcounts[ti]; t++)
					make_value(bufs[t], sizes[si], 0, r, 1);
				if (run_phases(sizes[si], n, tcounts[ti], r, si, ti, bufs,
					       seq, rnd))
					return 1;
			}
		}
	}

	if (only >= 0)
		return 0;	/* no ratios of one system */
	printf("\nobjects per second: median over %d rounds [min-max]; "
	       "KV/ext4 per round, median [min-max]\n", rounds);
	printf("%-7s %-8s %-8s  %-22s  %-22s  %-20s %s\n", "threads", "value", "phase",
	       "KV obj/s", "ext4 obj/s", "KV/ext4", "goal");
	for (int ti = 0; ti < ntc; ti++) {
		for (int si = 0; si < nsizes; si++) {
			double goal = sizes[si] <= 4096 ? 2.0 : sizes[si] >= (1 << 20) ? 1.0 : 0;
			uint32_t n = counts[si];

			/* the three phases, then all of them: n objects' whole life */
			for (int ph = 0; ph <= NPH; ph++) {
				double rate[NSYS][MAX_ROUNDS], ratio[MAX_ROUNDS];
				double m[NSYS + 1], lo[NSYS + 1], hi[NSYS + 1];
				char col[NSYS + 1][40];

				for (int r = 0; r < rounds; r++) {
					for (int s = 0; s < NSYS; s++) {
						double t = 0;

						for (int p = 0; p < NPH; p++)
							if (p == ph || ph == NPH)
								t += io_s[si][ti][s][p][r];
						rate[s][r] = n / t;
					}
					ratio[r] = rate[SYS_KV][r] / rate[SYS_EXT4][r];
				}
				for (int s = 0; s < NSYS; s++) {
					stats(rate[s], rounds, &m[s], &lo[s], &hi[s]);
					snprintf(col[s], sizeof(col[s]), "%.0f [%.0f-%.0f]",
						 m[s], lo[s], hi[s]);
				}
				stats(ratio, rounds, &m[NSYS], &lo[NSYS], &hi[NSYS]);
				snprintf(col[NSYS], sizeof(col[NSYS]), "%.2fx [%.2f-%.2f]",
					 m[NSYS], lo[NSYS], hi[NSYS]);
				printf("%-7d %5zu KiB %-8s  %-22s  %-22s  %-20s", tcounts[ti],
				       sizes[si] / 1024, ph < NPH ? ph_name[ph] : "all",
				       col[0], col[1], col[2]);
				if (goal > 0)
					printf(" >= %.1fx %s%s", goal,
					       m[NSYS] >= goal ? "met" : "MISSED",
					       m[NSYS] >= goal && lo[NSYS] < goal ?
					       " (not every round)" : "");
				printf("\n");
			}
		}
	}
	printf("(\"all\": n objects stored, retrieved and deleted over the time of the three phases)\n");
	for (int t = 0; t < MAX_THREADS; t++)
		free(bufs[t]);
	free(pattern);
	return 0;
}
