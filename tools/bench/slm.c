// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * slm: the computational storage model (issue 12) against the EXEC
 * shortcut.  Numbers, not a test: run it in the VM through tools/bench/slm,
 * which also says how to read it.
 *
 * In one process: creates a memory-backed drive (4 KiB blocks, SLM for two
 * pipeline buffers and one scan window), fills it with text whose "Alpha"
 * count is known, loads the eBPF programs of bpf/ and finds the drive's
 * device-defined twins by name, then runs rounds.  A round measures, in an
 * order that rotates with the round,
 *   (a) one EXEC of bpf/count_pattern over the whole text (the shortcut),
 *   (b) the standard flow over the same text: chunks MEM_COPY'd into SLM and
 *       counted by EXECUTE of the eBPF count_pattern in an activated slot,
 *       two buffers (two range sets) on one io_uring, so chunk i + 1 is
 *       copied while chunk i is counted,
 *   (c) (b) with the device-defined count_pattern,
 *   (d) EXECUTE of each device-defined program and of its eBPF twin over
 *       one range set (the scan window, copied in once).
 * Every count is checked: (a), (b), (c) against the text's known count,
 * (d)'s twins against each other.  A wrong answer makes the exit status 1;
 * goals missed are reported, not failed.
 *
 *   slm [-m MIB] [-c CHUNK_MIB] [-w WINDOW_MIB] [-r ROUNDS] BPF_OBJ_DIR
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "benchlib.h"

#define DRIVE_NAME	"slmbench"
#define BLOCK		4096U		/* the drive's block size and SLM page */
#define MAX_ROUNDS	64
#define PAT		"Alpha"
#define PAT_LEN		5
#define NR_BUF		2		/* pipeline buffers, one range set each */
#define BUDGET		(1ULL << 36)	/* URINGBLK_MAX_BUDGET: 1 GiB needs ~140 M */
#define OUT_MAX		65536		/* output room for grep and histogram */
#define GOAL_FLOW	0.5		/* (b)/(a) */
#define GOAL_DD		2.0		/* device-defined / eBPF */

struct opts {
	__u64		bytes;		/* the text */
	__u64		chunk;		/* bytes per pipeline chunk */
	__u64		window;		/* (d)'s range set */
	int		rounds;
	const char	*objdir;	/* out/bpf */
};

/* A program of (d), in both forms; index 0 is also (b)'s and (c)'s. */
struct prog {
	const char	*name;
	__u64		args[3];
	const char	*what;		/* the arguments, for the table */
	__u32		ebpf_id, ebpf_pind, dd_pind;
};

static struct prog progs[] = {
	{ .name = "count_pattern", .args = { 0, 0, PAT_LEN }, .what = "\"" PAT "\"" },
	/* absent: grep scans the whole window instead of filling its output */
	{ .name = "grep", .args = { 0, 0, 5 }, .what = "\"zQxjv\" (absent)" },
	{ .name = "checksum", .args = { 2 }, .what = "crc32c" },
	{ .name = "histogram", .what = "256 bins" },
	{ .name = "sum_records", .args = { 64, 8, 8 }, .what = "64-byte records, u64 at 8" },
};
#define NR_PROGS	(sizeof(progs) / sizeof(progs[0]))

struct bench {
	const struct opts	*o;
	struct uringblk_dev	*dev;
	int			cfd;
	struct io_uring		ring;		/* SQE128 | CQE32 */
	__u64			expect;		/* "Alpha"s in the text */
	__u64			per_unit, per_seam;	/* in a 4 KiB unit, across two */
	__u32			rsid[NR_BUF];	/* pipeline sets */
	__u32			scan_rsid;	/* (d)'s set */
	__u64			scan_off;	/* its SLM offset */
	void			*zero;		/* a page of zeroes */
	__u64			*reply[NR_BUF + 1];
};

enum { M_EXEC, M_FLOW_EBPF, M_FLOW_DD, NR_M };
static const char *const m_name[NR_M] = {
	[M_EXEC] = "(a) EXEC count_pattern (eBPF), whole text, one command",
	[M_FLOW_EBPF] = "(b) MEM_COPY + EXECUTE pipeline, eBPF count_pattern",
	[M_FLOW_DD] = "(c) MEM_COPY + EXECUTE pipeline, device-defined count_pattern",
};
static double m_gbs[NR_M][MAX_ROUNDS];
static double d_gbs[NR_PROGS][2][MAX_ROUNDS];	/* [prog][0 eBPF, 1 dd] */

static __u64 count_mem(const char *p, size_t n)
{
	__u64 c = 0;

	for (size_t i = 0; i + PAT_LEN <= n; i++)
		c += !memcmp(p + i, PAT, PAT_LEN);
	return c;
}

/*
 * One 4 KiB unit of text, repeated over the drive.  It starts with "pha"
 * and ends with "Al", so an "Alpha" straddles every unit boundary - and so
 * every chunk boundary: a pipeline without the overlap would miss them.
 */
static void make_unit(char *u)
{
	static const char *const words[] = {
		"the", "quick", "Alpha", "brown", "fox", "jumps", "over", "lazy",
		"dog", "Alphabet", "beta", "gamma", "alpha", "delta", "ALPHA", "Alp",
	};
	size_t n = 0, w = 0;

	memcpy(u, "pha ", 4);
	n = 4;
	while (n < BLOCK - 3) {
		const char *s = words[(w * 7 + w / 3) % 16];
		size_t l = strlen(s);

		if (n + l + 1 > BLOCK - 3)
			break;
		memcpy(u + n, s, l);
		u[n + l] = (w % 11 == 10) ? '\n' : ' ';
		n += l + 1;
		w++;
	}
	memset(u + n, ' ', BLOCK - 2 - n);
	memcpy(u + BLOCK - 2, "Al", 2);
}

static int fill(struct bench *b, const char *blk)
{
	size_t bufsz = 4 << 20;
	char unit[BLOCK], two[2 * BLOCK], *buf;
	__u64 units = b->o->bytes / BLOCK, c1, c2;
	int fd = open(blk, O_WRONLY | O_DIRECT);

	if (fd < 0 || posix_memalign((void **)&buf, BLOCK, bufsz)) {
		fprintf(stderr, "slm: %s: %s\n", blk, strerror(errno));
		return -1;
	}
	make_unit(unit);
	memcpy(two, unit, BLOCK);
	memcpy(two + BLOCK, unit, BLOCK);
	c1 = count_mem(unit, BLOCK);
	c2 = count_mem(two, 2 * BLOCK);
	b->expect = units * c1 + (units - 1) * (c2 - 2 * c1);
	b->per_unit = c1;
	b->per_seam = c2 - 2 * c1;
	for (size_t i = 0; i < bufsz; i += BLOCK)
		memcpy(buf + i, unit, BLOCK);
	for (__u64 off = 0; off < b->o->bytes; off += bufsz)
		if (pwrite(fd, buf, bufsz, off) != (ssize_t)bufsz) {
			fprintf(stderr, "slm: writing the text: %s\n", strerror(errno));
			close(fd);
			free(buf);
			return -1;
		}
	close(fd);
	free(buf);
	return 0;
}

/* Wait for one CQE; its res and user_data. */
static int reap(struct bench *b, __u64 *ud)
{
	struct io_uring_cqe *cqe;
	int ret = io_uring_wait_cqe(&b->ring, &cqe);

	if (ret)
		return ret;
	ret = cqe->res;
	*ud = cqe->user_data;
	io_uring_cqe_seen(&b->ring, cqe);
	return ret;
}

/* r0 of a completed EXEC/EXECUTE whose reply is @reply. */
static int r0_of(int res, const __u64 *reply, __u64 *r0)
{
	const struct uringblk_exec_result *r = (const void *)reply;

	if (res < 0 && res != -EOVERFLOW)
		return res;
	if (r->error || r->abort_code)
		return r->error ? r->error : -ECANCELED;
	*r0 = r->r0;
	return 0;
}

/* (a): one EXEC over the whole text.  Return: seconds, or < 0. */
static double shortcut(struct bench *b, __u64 *count)
{
	struct uringblk_exec_args a = {
		.prog_id = progs[0].ebpf_id, .lba_start = 0,
		.lba_count = b->o->bytes / BLOCK, .budget = BUDGET,
	};
	struct io_uring_sqe *sqe = io_uring_get_sqe(&b->ring);
	double t0 = bench_now_us();
	int ret;

	if (!sqe)
		return -1;
	memcpy(a.args, progs[0].args, sizeof(a.args));
	memcpy(a.args, PAT, PAT_LEN);
	uringblk_prep_exec(sqe, b->cfd, &a, b->reply[0], sizeof(struct uringblk_exec_result));
	ret = bench_round_trip(&b->ring);
	t0 = bench_now_us() - t0;
	ret = r0_of(ret, b->reply[0], count);
	if (ret) {
		fprintf(stderr, "slm: EXEC count_pattern: %s\n", uringblk_strerror(ret));
		return -1;
	}
	return t0 / 1e6;
}

/*
 * Queue chunk @i into buffer @k: MEM_COPY of its blocks and the first
 * block of the next chunk, MEM_WRITE of zeroes over that block but its
 * first PAT_LEN - 1 bytes (the overlap), EXECUTE over the buffer's set;
 * linked, so they run in order, and the copy is issued asynchronously so
 * that it overlaps the other buffer's EXECUTE.  The write and the EXECUTE
 * are IOSQE_ASYNC too: Linux 6.12's io_uring (6.12.117 at least) copies a
 * URING_CMD's SQE at prep only when the command is forced async, and
 * otherwise reads it from the SQ ring when it issues it, which for a
 * linked command is after io_uring_submit() returned, when flow() may
 * have queued another chunk into that slot (execute.c's linked_pipeline,
 * Documentation/dev/kernels.md).  With 16 slots and NR_BUF chains of three
 * in flight a slot comes back only five chains later, after its chain ran;
 * the flags keep the chains right whatever the ring's size or NR_BUF.
 */
static struct uringblk_copy_range cr[NR_BUF];

/*
 * user_data: chunk @i in buffer @k, command @j (0 copy, 1 write, 2 run).
 * The buffer travels with the chunk: the two chains complete in either
 * order, so chunk i + 2 goes to the buffer that just became free, which is
 * not always buffer i % NR_BUF.  (Deriving it from the chunk's number
 * once queued two chains on one buffer and read the other's reply.)
 */
#define FLOW_UD(i, k, j)	(((i) * NR_BUF + (k)) * 4 + (j))
#define FLOW_CHUNK(ud)		((ud) / 4 / NR_BUF)
#define FLOW_BUF(ud)		((ud) / 4 % NR_BUF)

static int queue_chunk(struct bench *b, __u32 pind, __u64 i, int k)
{
	__u64 c = b->o->chunk, nchunks = b->o->bytes / c;
	__u64 base = k * (c + BLOCK);
	bool last = i == nchunks - 1;
	struct uringblk_execute_args x = { .pind = pind, .rsid = b->rsid[k], .budget = BUDGET };
	struct io_uring_sqe *s[3];

	for (int j = 0; j < 3; j++) {
		s[j] = io_uring_get_sqe(&b->ring);
		if (!s[j])
			return -EBUSY;
	}
	cr[k] = (struct uringblk_copy_range){ .slba = i * c / BLOCK,
					       .nlb = c / BLOCK + !last };
	uringblk_prep_mem_copy(s[0], b->cfd, base, &cr[k], 1);
	s[0]->flags |= IOSQE_IO_LINK | IOSQE_ASYNC;
	s[0]->user_data = FLOW_UD(i, k, 0);
	if (last)
		uringblk_prep_mem_write(s[1], b->cfd, base + c, b->zero, BLOCK);
	else
		uringblk_prep_mem_write(s[1], b->cfd, base + c + PAT_LEN - 1, b->zero,
					BLOCK - (PAT_LEN - 1));
	s[1]->flags |= IOSQE_IO_LINK | IOSQE_ASYNC;
	s[1]->user_data = FLOW_UD(i, k, 1);
	memcpy(x.cparam, PAT, PAT_LEN);
	x.arg2 = PAT_LEN;
	uringblk_prep_execute(s[2], b->cfd, &x, b->reply[k], sizeof(struct uringblk_exec_result));
	s[2]->flags |= IOSQE_ASYNC;
	s[2]->user_data = FLOW_UD(i, k, 2);
	return 0;
}

/* (b), (c): the pipeline over the whole text.  Return: seconds, or < 0. */
static double flow(struct bench *b, __u32 pind, __u64 *count)
{
	__u64 nchunks = b->o->bytes / b->o->chunk, next = 0, done = 0, ud = 0, r0;
	double t0 = bench_now_us();
	int ret;

	*count = 0;
	for (; next < NR_BUF && next < nchunks; next++)
		if (queue_chunk(b, pind, next, next % NR_BUF))
			return -1;
	io_uring_submit(&b->ring);
	while (done < nchunks) {
		ret = reap(b, &ud);
		if (ud % 4 != 2) {
			if (ret < 0) {
				fprintf(stderr, "slm: chunk %llu: %s: %s\n",
					(unsigned long long)FLOW_CHUNK(ud),
					ud % 4 ? "MEM_WRITE" : "MEM_COPY", uringblk_strerror(ret));
				return -1;
			}
			continue;
		}
		ret = r0_of(ret, b->reply[FLOW_BUF(ud)], &r0);
		if (ret) {
			fprintf(stderr, "slm: chunk %llu: EXECUTE: %s\n",
				(unsigned long long)FLOW_CHUNK(ud), uringblk_strerror(ret));
			return -1;
		}
		{
			/* each chunk's own count: says which one went wrong */
			__u64 units = b->o->chunk / BLOCK, i = FLOW_CHUNK(ud);
			__u64 want = units * b->per_unit +
				     (units - (i == nchunks - 1)) * b->per_seam;

			if (r0 != want) {
				fprintf(stderr, "slm: FAILED: chunk %llu of %llu (pind %#x): "
					"EXECUTE counted %llu, the chunk has %llu\n",
					(unsigned long long)i, (unsigned long long)nchunks, pind,
					(unsigned long long)r0, (unsigned long long)want);
				return -1;
			}
		}
		*count += r0;
		done++;
		if (next < nchunks) {
			if (queue_chunk(b, pind, next, FLOW_BUF(ud)))
				return -1;
			next++;
			io_uring_submit(&b->ring);
		}
	}
	return (bench_now_us() - t0) / 1e6;
}

/* (d): one EXECUTE of @pind over the scan set.  Return: seconds, or < 0. */
static double scan(struct bench *b, const struct prog *p, __u32 pind, __u64 *r0)
{
	struct uringblk_execute_args x = { .pind = pind, .rsid = b->scan_rsid, .budget = BUDGET };
	struct io_uring_sqe *sqe = io_uring_get_sqe(&b->ring);
	double t0 = bench_now_us();
	int ret;

	if (!sqe)
		return -1;
	memcpy(x.cparam, p->args, sizeof(x.cparam));
	x.arg2 = p->args[2];
	if (!strcmp(p->name, "count_pattern"))
		memcpy(x.cparam, PAT, PAT_LEN);
	else if (!strcmp(p->name, "grep"))
		memcpy(x.cparam, "zQxjv", 5);
	uringblk_prep_execute(sqe, b->cfd, &x, b->reply[NR_BUF],
			      sizeof(struct uringblk_exec_result) + OUT_MAX);
	ret = bench_round_trip(&b->ring);
	t0 = bench_now_us() - t0;
	ret = r0_of(ret, b->reply[NR_BUF], r0);
	if (ret) {
		fprintf(stderr, "slm: EXECUTE %s (pind %#x): %s\n", p->name, pind,
			uringblk_strerror(ret));
		return -1;
	}
	return t0 / 1e6;
}

static int run_round(struct bench *b, int r)
{
	double gb = b->o->bytes / 1e9, s;
	__u64 count;

	for (int k = 0; k < NR_M; k++) {
		int m = (k + r) % NR_M;

		if (m == M_EXEC)
			s = shortcut(b, &count);
		else
			s = flow(b, m == M_FLOW_EBPF ? progs[0].ebpf_pind : progs[0].dd_pind,
				 &count);
		if (s < 0)
			return -1;
		if (count != b->expect) {
			fprintf(stderr, "slm: FAILED: %s counted %llu \"" PAT "\", the text has %llu\n",
				m_name[m], (unsigned long long)count,
				(unsigned long long)b->expect);
			return -1;
		}
		m_gbs[m][r] = gb / s;
	}
	for (unsigned int i = 0; i < NR_PROGS; i++) {
		struct prog *p = &progs[i];
		__u64 r0[2];

		/* the eBPF twin is active only while measured (max_active_progs) */
		if (uringblk_prog_activate(b->dev, p->ebpf_pind, 1))
			return -1;
		for (int k = 0; k < 2; k++) {
			int dd = (k + r) % 2;

			s = scan(b, p, dd ? p->dd_pind : p->ebpf_pind, &r0[dd]);
			if (s < 0)
				return -1;
			d_gbs[i][dd][r] = b->o->window / 1e9 / s;
		}
		if (i && uringblk_prog_activate(b->dev, p->ebpf_pind, 0))
			return -1;
		if (r0[0] != r0[1]) {
			fprintf(stderr, "slm: FAILED: %s: eBPF r0 %#llx, device-defined %#llx\n",
				p->name, (unsigned long long)r0[0], (unsigned long long)r0[1]);
			return -1;
		}
	}
	return 0;
}

struct spread {
	double	med, min, max;
};

static struct spread spread_of(const double *v, int n)
{
	double tmp[MAX_ROUNDS];
	struct spread s = { v[0], v[0], v[0] };

	for (int i = 0; i < n; i++) {
		s.min = v[i] < s.min ? v[i] : s.min;
		s.max = v[i] > s.max ? v[i] : s.max;
	}
	memcpy(tmp, v, n * sizeof(*v));
	s.med = bench_median(tmp, n);
	return s;
}

static void print_goal(const char *what, double x, double goal)
{
	printf("goal: %-58s %6.2fx (goal >= %.1fx): %s\n", what, x, goal,
	       x >= goal ? "met" : "MISSED");
}

static void print_results(const struct bench *b)
{
	int n = b->o->rounds;
	double ratio[MAX_ROUNDS];
	char what[128];

	printf("\n%-64s %8s %8s %8s\n", "GB/s over the text (medians, min..max)", "median",
	       "min", "max");
	for (int m = 0; m < NR_M; m++) {
		struct spread s = spread_of(m_gbs[m], n);

		printf("%-64s %8.3f %8.3f %8.3f\n", m_name[m], s.med, s.min, s.max);
	}
	printf("\n(d) EXECUTE over one %llu MiB range set, GB/s (median, min..max):\n",
	       (unsigned long long)(b->o->window >> 20));
	printf("%-14s %-28s %22s %22s %8s\n", "program", "arguments", "eBPF", "device-defined",
	       "dd/eBPF");
	for (unsigned int i = 0; i < NR_PROGS; i++) {
		struct spread e = spread_of(d_gbs[i][0], n), d = spread_of(d_gbs[i][1], n);

		for (int r = 0; r < n; r++)
			ratio[r] = d_gbs[i][1][r] / d_gbs[i][0][r];
		printf("%-14s %-28s %7.3f (%5.3f..%5.3f) %7.3f (%5.3f..%5.3f) %7.2fx\n",
		       progs[i].name, progs[i].what, e.med, e.min, e.max, d.med, d.min, d.max,
		       spread_of(ratio, n).med);
	}
	printf("\n");
	for (int m = M_FLOW_EBPF; m <= M_FLOW_DD; m++) {
		for (int r = 0; r < n; r++)
			ratio[r] = m_gbs[m][r] / m_gbs[M_EXEC][r];
		snprintf(what, sizeof(what), "%s / (a), per-round ratio",
			 m == M_FLOW_EBPF ? "(b) standard flow, eBPF" : "(c) standard flow, device-defined");
		print_goal(what, spread_of(ratio, n).med, GOAL_FLOW);
	}
	for (unsigned int i = 0; i < NR_PROGS; i++) {
		for (int r = 0; r < n; r++)
			ratio[r] = d_gbs[i][1][r] / d_gbs[i][0][r];
		snprintf(what, sizeof(what), "(d) %s: device-defined / eBPF", progs[i].name);
		print_goal(what, spread_of(ratio, n).med, GOAL_DD);
	}
}

static void usage(void)
{
	fprintf(stderr,
		"usage: slm [-m MIB] [-c CHUNK_MIB] [-w WINDOW_MIB] [-r ROUNDS] BPF_OBJ_DIR\n"
		"  -m  text size (1024)   -c  pipeline chunk (8, at most 15)\n"
		"  -w  (d)'s range set (64)   -r  rounds, at most %d (3)\n"
		"Creates configfs drive '" DRIVE_NAME "': the uringblk module must be loaded.\n",
		MAX_ROUNDS);
	exit(2);
}

static void parse_opts(int argc, char **argv, struct opts *o)
{
	int c;

	*o = (struct opts){ .bytes = 1024ULL << 20, .chunk = 8 << 20, .window = 64 << 20,
			    .rounds = 3 };
	while ((c = getopt(argc, argv, "hm:c:w:r:")) != -1) {
		switch (c) {
		case 'm': o->bytes = strtoull(optarg, NULL, 0) << 20; break;
		case 'c': o->chunk = strtoull(optarg, NULL, 0) << 20; break;
		case 'w': o->window = strtoull(optarg, NULL, 0) << 20; break;
		case 'r': o->rounds = atoi(optarg); break;
		default: usage();
		}
	}
	if (optind != argc - 1 || !o->chunk || o->chunk > (15ULL << 20) || !o->bytes ||
	    o->bytes % o->chunk || !o->window || o->window > o->bytes || o->rounds < 1 ||
	    o->rounds > MAX_ROUNDS)
		usage();
	o->objdir = argv[optind];
}

/* pind of the downloaded program @id. */
static int pind_of(struct uringblk_dev *dev, __u32 id, __u32 *pind)
{
	static struct uringblk_prog_info pi[URINGBLK_MAX_PROGS + 16];
	int n = uringblk_prog_list(dev, pi, sizeof(pi) / sizeof(pi[0]));

	for (int i = 0; i < n; i++)
		if (pi[i].id == id) {
			*pind = pi[i].pind;
			return 0;
		}
	return n < 0 ? n : -ENOENT;
}

static int setup_progs(struct bench *b)
{
	struct uringblk_prog_info pi;
	char path[512], log[512];
	int ret;

	/* the device-defined ones first: then the names are theirs alone */
	for (unsigned int i = 0; i < NR_PROGS; i++) {
		ret = uringblk_prog_find(b->dev, progs[i].name, &pi);
		if (ret || !(pi.flags & URINGBLK_PROG_INFO_F_DEVICE)) {
			fprintf(stderr, "slm: device-defined %s: %s\n", progs[i].name,
				ret ? uringblk_strerror(ret) : "not device-defined");
			return -1;
		}
		progs[i].dd_pind = pi.pind;
	}
	for (unsigned int i = 0; i < NR_PROGS; i++) {
		snprintf(path, sizeof(path), "%s/%s.bpf.o", b->o->objdir, progs[i].name);
		ret = uringblk_prog_load_file(b->dev, path, NULL, log, sizeof(log));
		if (ret < 0) {
			fprintf(stderr, "slm: loading %s: %s %s\n", path, uringblk_strerror(ret), log);
			return -1;
		}
		progs[i].ebpf_id = ret;
		ret = pind_of(b->dev, progs[i].ebpf_id, &progs[i].ebpf_pind);
		if (ret) {
			fprintf(stderr, "slm: %s's slot: %s\n", path, uringblk_strerror(ret));
			return -1;
		}
	}
	/* (b) needs count_pattern active throughout */
	ret = uringblk_prog_activate(b->dev, progs[0].ebpf_pind, 1);
	if (ret)
		fprintf(stderr, "slm: activating count_pattern: %s\n", uringblk_strerror(ret));
	return ret ? -1 : 0;
}

/* The pipeline's two sets and (d)'s set, filled from the text's start. */
static int setup_sets(struct bench *b)
{
	__u64 c = b->o->chunk;
	int ret;

	for (int k = 0; k < NR_BUF; k++) {
		struct uringblk_mem_range mr = { .slm_off = k * (c + BLOCK), .len = c + BLOCK };

		ret = uringblk_range_set_create(b->dev, &mr, 1);
		if (ret < 0)
			goto fail;
		b->rsid[k] = ret;
	}
	b->scan_off = NR_BUF * (c + BLOCK);
	for (__u64 off = 0; off < b->o->window; off += c) {
		struct uringblk_copy_range r = { .slba = off / BLOCK, .nlb = c / BLOCK };

		if (off + c > b->o->window)
			r.nlb = (b->o->window - off) / BLOCK;
		ret = uringblk_mem_copy(b->dev, b->scan_off + off, &r, 1);
		if (ret < 0)
			goto fail;
	}
	{
		struct uringblk_mem_range mr = { .slm_off = b->scan_off, .len = b->o->window };

		ret = uringblk_range_set_create(b->dev, &mr, 1);
		if (ret < 0)
			goto fail;
		b->scan_rsid = ret;
	}
	return 0;
fail:
	fprintf(stderr, "slm: SLM setup: %s\n", uringblk_strerror(ret));
	return -1;
}

int main(int argc, char **argv)
{
	static struct bench b;
	struct opts o;
	char cap[48], slm[48], msg[512];
	const char *kv[] = { "backing=mem", "block_size=4096", cap, slm, NULL };
	int index, ret, status = 1;
	double t0 = bench_now_us();

	parse_opts(argc, argv, &o);
	b.o = &o;
	snprintf(cap, sizeof(cap), "capacity_mb=%llu", (unsigned long long)(o.bytes >> 20) + 4);
	snprintf(slm, sizeof(slm), "slm_size=%llu",
		 (unsigned long long)(NR_BUF * (o.chunk + BLOCK) + o.window + (1 << 20)));
	ret = uringblk_create(DRIVE_NAME, kv, &index, msg, sizeof(msg));
	if (ret) {
		fprintf(stderr, "slm: creating drive %s: %s%s%s\n", DRIVE_NAME,
			uringblk_strerror(ret), *msg ? ": " : "", msg);
		return 1;
	}
	ret = uringblk_open_index(index, &b.dev);
	if (ret) {
		fprintf(stderr, "slm: /dev/uringblk%d: %s\n", index, uringblk_strerror(ret));
		goto remove;
	}
	b.cfd = uringblk_chr_fd(b.dev);
	b.zero = calloc(1, BLOCK);
	for (int k = 0; k <= NR_BUF; k++)
		b.reply[k] = calloc(1, sizeof(struct uringblk_exec_result) + OUT_MAX);
	if (!b.zero || !b.reply[NR_BUF] ||
	    io_uring_queue_init(16, &b.ring, IORING_SETUP_SQE128 | IORING_SETUP_CQE32)) {
		fprintf(stderr, "slm: out of memory or io_uring setup failed\n");
		goto close;
	}
	if (fill(&b, uringblk_blk_path(b.dev)) || setup_progs(&b) || setup_sets(&b))
		goto close;
	printf("slm: the computational storage model (MEM_COPY + EXECUTE) vs the EXEC shortcut "
	       "(issue 12)\n");
	printf("drive %s: memory, 4 KiB blocks; text %llu MiB with %llu \"" PAT "\" (one across "
	       "every 4 KiB); %u CPUs; %d rounds; pipeline: %d buffers of %llu MiB (+4 KiB "
	       "overlap page), one io_uring, COPY->WRITE->EXECUTE linked\n",
	       uringblk_blk_path(b.dev), (unsigned long long)(o.bytes >> 20),
	       (unsigned long long)b.expect, get_nprocs(), o.rounds, NR_BUF,
	       (unsigned long long)(o.chunk >> 20));
	fflush(stdout);
	for (int r = 0; r < o.rounds; r++) {
		if (run_round(&b, r))
			goto close;
		fprintf(stderr, "slm: round %d of %d done at %.0f s\n", r + 1, o.rounds,
			(bench_now_us() - t0) / 1e6);
	}
	print_results(&b);
	printf("\nEvery count was checked: (a), (b), (c) found all %llu \"" PAT "\"; (d)'s "
	       "twins gave the same r0.\n", (unsigned long long)b.expect);
	status = 0;
close:
	uringblk_close(b.dev);
remove:
	ret = uringblk_remove(DRIVE_NAME, msg, sizeof(msg));
	if (ret) {
		fprintf(stderr, "slm: removing drive %s: %s %s\n", DRIVE_NAME,
			uringblk_strerror(ret), msg);
		status = 1;
	}
	return status;
}
