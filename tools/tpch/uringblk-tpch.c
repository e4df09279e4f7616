// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * uringblk-tpch - TPC-H lineitem on a uringblk drive: generate it, run Q6
 * and Q1 on the host (read the file, compute) and in the drive (one EXEC
 * over the file's extents), and compare the two in bytes over the bus and
 * time.
 *
 *   uringblk-tpch gen [--sf SF] [--seed N] [--text FILE] [--bin FILE]
 *   uringblk-tpch host q6|q1 FILE [--bin]
 *   uringblk-tpch drive q6|q1 FILE --prog OBJ [--kbpf] [--budget N] [-v]
 *   uringblk-tpch bench FILE --prog OBJ [--kbpf] [--bin] [--rounds N]
 *
 * --kbpf: OBJ is a kernel-BPF program (bpf/kbpf/), which libbpf loads into
 * the host kernel and the drive then takes by fd.
 *
 * Answers print in one format whatever computed them (and tools/tpch/
 * sqlite_check.sh prints sqlite3's in it too): Q6 the revenue at scale 4,
 * Q1 one line a group (lineitem.c, tpch_print_q1()).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <liburingblk.h>
#include "lineitem.h"

#define IO_CHUNK	(1 << 20)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: uringblk-tpch gen [--sf SF] [--seed N] [--text FILE] [--bin FILE]\n"
		"       uringblk-tpch host q6|q1 FILE [--bin]\n"
		"       uringblk-tpch drive q6|q1 FILE --prog OBJ [--kbpf] [--budget N] [-v]\n"
		"       uringblk-tpch bench FILE --prog OBJ [--kbpf] [--bin] [--rounds N]\n"
		"--kbpf: OBJ is a kernel-BPF program (bpf/kbpf/), loaded with libbpf\n");
	return 2;
}

static int gen(int argc, char **argv)
{
	const char *text = NULL, *bin = NULL;
	double sf = 0.01;
	uint64_t seed = 1;
	struct tpch_gen g;
	struct tpch_line l;
	FILE *ft = NULL, *fb = NULL;
	char buf[256];
	int i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--sf") && i + 1 < argc)
			sf = strtod(argv[++i], NULL);
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--text") && i + 1 < argc)
			text = argv[++i];
		else if (!strcmp(argv[i], "--bin") && i + 1 < argc)
			bin = argv[++i];
		else
			return usage();
	}
	if (tpch_gen_init(&g, sf, seed)) {
		fprintf(stderr, "gen: scale factor %g: must be > 0 and <= %g (Q1's sums must fit in 64 bits)\n",
			sf, TPCH_SF_MAX);
		return 2;
	}
	if (!text && !bin)
		ft = stdout;
	if (text && !(ft = fopen(text, "w"))) {
		perror(text);
		return 1;
	}
	if (bin && !(fb = fopen(bin, "w"))) {
		perror(bin);
		return 1;
	}
	while (tpch_gen_next(&g, &l)) {
		if (ft)
			fwrite(buf, 1, tpch_line_text(&l, buf), ft);
		if (fb)
			fwrite(&l.r, sizeof(l.r), 1, fb);
	}
	if ((ft && fflush(ft)) || (fb && fflush(fb))) {
		perror("gen: write");
		return 1;
	}
	if (ft && ft != stdout)
		fclose(ft);
	if (fb)
		fclose(fb);
	return 0;
}

static void print(FILE *f, bool q6, const struct tpch_result *res)
{
	if (q6)
		tpch_print_q6(f, res->q6_revenue);
	else
		tpch_print_q1(f, res->q1);
}

/* the host path: read() the file a MiB at a time and compute */
static int host_run(const char *path, bool bin, struct tpch_result *res,
		    uint64_t *bytes)
{
	struct tpch_carry carry = { .len = 0 };
	char *buf = malloc(IO_CHUNK);
	ssize_t n;
	int fd;

	tpch_result_init(res);
	*bytes = 0;
	fd = open(path, O_RDONLY);
	if (fd < 0 || !buf) {
		perror(path);
		free(buf);
		return 1;
	}
	while ((n = read(fd, buf, IO_CHUNK)) > 0) {
		*bytes += n;
		if (bin)
			tpch_feed_bin(res, &carry, buf, n);
		else
			tpch_feed_text(res, &carry, buf, n, 0);
	}
	if (!bin)
		tpch_feed_text(res, &carry, buf, 0, 1);
	close(fd);
	free(buf);
	if (n < 0) {
		perror(path);
		return 1;
	}
	return 0;
}

struct drive {
	struct uringblk_dev *dev;
	int prog_id;
};

static int drive_open(const char *path, const char *obj, bool kbpf,
		      struct drive *d)
{
	char msg[512];
	int idx, ret;

	ret = uringblk_file_drive(path, &idx, msg, sizeof(msg));
	if (!ret)
		ret = uringblk_open_index(idx, &d->dev);
	if (ret) {
		fprintf(stderr, "%s: %s%s%s\n", path, uringblk_strerror(ret),
			*msg ? ": " : "", msg);
		return 1;
	}
	*msg = 0;
	d->prog_id = kbpf ?
		uringblk_prog_load_kbpf_file(d->dev, obj, NULL, NULL, 0, msg, sizeof(msg)) :
		uringblk_prog_load_file(d->dev, obj, NULL, msg, sizeof(msg));
	if (d->prog_id < 0) {
		fprintf(stderr, "%s: %s\n%s\n", obj, uringblk_strerror(d->prog_id), msg);
		uringblk_close(d->dev);
		return 1;
	}
	return 0;
}

static void drive_close(struct drive *d)
{
	uringblk_prog_unload(d->dev, d->prog_id);
	uringblk_close(d->dev);
}

/*
 * The budget this program can need over the file (uringblk_prog_budget():
 * its longest segment a byte), at most the drive's maximum; 0 (the
 * drive's default) when it cannot be told.  The _ref programs parse a
 * byte at a time and need more than the drive's default at SF 0.01.
 * A kernel-BPF program's units are its kfunc calls' charges, not its
 * instructions: the kbpf/tpch_q*_bin programs pay 1/41 (Q6) and 1/31
 * (Q1) of a unit a byte at SF 0.01, mostly their reads' work, so 1/16 a
 * byte covers them with room (selftests/uringblk/tpch.sh checks the
 * rate); the drive's default (2^30) would not cover the 32 GiB they can
 * read.
 */
#define KBPF_BYTES_PER_UNIT	16

static uint64_t default_budget(struct drive *d, const char *path,
			       const char *obj, bool kbpf)
{
	struct uringblk_prog_obj po = { 0 };
	struct uringblk_identify id;
	uint64_t budget;
	struct stat st;

	if (stat(path, &st) || uringblk_identify(d->dev, &id))
		return 0;
	if (kbpf) {
		budget = (uint64_t)st.st_size / KBPF_BYTES_PER_UNIT + (1 << 20);
	} else {
		/* read as uringblk_prog_load_file() does: with global data */
		if (uringblk_prog_read_obj(obj, NULL, &po, NULL, 0))
			return 0;
		budget = uringblk_prog_budget(po.insns, po.insn_cnt,
					      (uint64_t)st.st_size);
		uringblk_prog_obj_free(&po);
	}
	return budget > id.max_insn_budget ? id.max_insn_budget : budget;
}

/* the drive path: map the file, one EXEC over its extents, the check */
static int drive_run(struct drive *d, const char *path, bool q6,
		     uint64_t budget, struct tpch_result *res,
		     struct uringblk_exec_result *er)
{
	struct uringblk_file_map map = { .fd = -1 };
	struct uringblk_exec_args a = { 0 };
	struct tpch_q1_group out[TPCH_Q1_MAX_GROUPS];
	char msg[512] = "";
	int ret;

	tpch_result_init(res);
	memset(out, 0, sizeof(out));
	ret = uringblk_file_map(d->dev, path, &map, msg, sizeof(msg));
	if (ret) {
		fprintf(stderr, "%s: %s: %s\n", path, uringblk_strerror(ret), msg);
		return 1;
	}
	a.prog_id = d->prog_id;
	a.budget = budget;
	ret = uringblk_file_exec(d->dev, &map, &a, er, out, sizeof(out), msg,
				 sizeof(msg));
	uringblk_file_unmap(&map);
	if (ret < 0 || er->error) {
		fprintf(stderr, "exec over %s: %s (run: %s, abort %u at %u)%s%s\n",
			path, uringblk_strerror(ret), uringblk_strerror(er->error),
			er->abort_code, er->abort_pc, *msg ? ": " : "", msg);
		return 1;
	}
	if (q6) {
		res->q6_revenue = (int64_t)er->r0;
	} else {
		memcpy(res->q1, out, sizeof(out));
		res->bad = (int)er->r0;
	}
	return 0;
}

static int host(int argc, char **argv)
{
	struct tpch_result res;
	uint64_t bytes;
	bool q6, bin = false;

	if (argc < 2 || (strcmp(argv[0], "q6") && strcmp(argv[0], "q1")))
		return usage();
	q6 = !strcmp(argv[0], "q6");
	if (argc > 2) {
		if (argc > 3 || strcmp(argv[2], "--bin"))
			return usage();
		bin = true;
	}
	if (host_run(argv[1], bin, &res, &bytes))
		return 1;
	print(stdout, q6, &res);
	if (res.bad)
		fprintf(stderr, "%d rows did not parse\n", res.bad);
	return res.bad ? 1 : 0;
}

static int drive(int argc, char **argv)
{
	struct uringblk_exec_result er;
	struct tpch_result res;
	const char *obj = NULL;
	uint64_t budget = 0;
	struct drive d;
	bool verbose = false, kbpf = false;
	int i, ret;

	if (argc < 2 || (strcmp(argv[0], "q6") && strcmp(argv[0], "q1")))
		return usage();
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--prog") && i + 1 < argc)
			obj = argv[++i];
		else if (!strcmp(argv[i], "--budget") && i + 1 < argc)
			budget = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "-v"))
			verbose = true;
		else if (!strcmp(argv[i], "--kbpf"))
			kbpf = true;
		else
			return usage();
	}
	if (!obj)
		return usage();
	if (drive_open(argv[1], obj, kbpf, &d))
		return 1;
	if (!budget)
		budget = default_budget(&d, argv[1], obj, kbpf);
	ret = drive_run(&d, argv[1], !strcmp(argv[0], "q6"), budget, &res, &er);
	drive_close(&d);
	if (ret)
		return ret;
	print(stdout, !strcmp(argv[0], "q6"), &res);
	if (verbose)
		fprintf(stderr, "insns %llu, bytes scanned %llu, out %llu\n",
			(unsigned long long)er.insns,
			(unsigned long long)er.bytes_scanned,
			(unsigned long long)er.out_len);
	return 0;
}

/* the page cache would hide the host path's reads from the drive */
static void drop_caches(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd >= 0) {
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
		close(fd);
	}
	sync();
	fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
	if (fd >= 0) {
		if (write(fd, "3\n", 2) != 2)
			perror("drop_caches");
		close(fd);
	}
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* median and spread (max - min) of n values, sorted in place */
static void stats(double *v, int n, double *med, double *spread)
{
	qsort(v, n, sizeof(*v), cmp_d);
	*med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	*spread = v[n - 1] - v[0];
}

/*
 * Q6 both ways, rounds in alternating order: bytes_to_host and time of
 * each, the answers compared every round.
 */
static int bench(int argc, char **argv)
{
	const char *path, *obj = NULL;
	struct uringblk_stats s0, s1;
	struct uringblk_exec_result er;
	struct tpch_result hr, dr;
	double ht[64], dt[64], rt[64], hb[64], db[64], t0, m[5], sp[5];
	int rounds = 5, i, k;
	bool bin = false, kbpf = false;
	uint64_t bytes, budget;
	struct drive d;

	if (argc < 1)
		return usage();
	path = argv[0];
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--prog") && i + 1 < argc)
			obj = argv[++i];
		else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
			rounds = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--bin"))
			bin = true;
		else if (!strcmp(argv[i], "--kbpf"))
			kbpf = true;
		else
			return usage();
	}
	if (!obj || rounds < 1 || rounds > 64)
		return usage();
	if (drive_open(path, obj, kbpf, &d))
		return 1;
	budget = default_budget(&d, path, obj, kbpf);
	for (i = 0; i < rounds; i++) {
		for (k = 0; k < 2; k++) {
			bool host_turn = (k == 0) == (i % 2 == 0);

			drop_caches(path);
			if (uringblk_get_stats(d.dev, &s0, 0))
				goto fail;
			t0 = now();
			if (host_turn ? host_run(path, bin, &hr, &bytes) :
			    drive_run(&d, path, true, budget, &dr, &er))
				goto fail;
			t0 = now() - t0;
			if (uringblk_get_stats(d.dev, &s1, 0))
				goto fail;
			if (host_turn) {
				ht[i] = t0;
				hb[i] = s1.bytes_to_host - s0.bytes_to_host;
			} else {
				dt[i] = t0;
				db[i] = s1.bytes_to_host - s0.bytes_to_host;
			}
		}
		if (hr.q6_revenue != dr.q6_revenue || hr.bad) {
			fprintf(stderr, "round %d: host and drive disagree\n", i);
			goto fail;
		}
		rt[i] = ht[i] / dt[i];
	}
	stats(ht, rounds, &m[0], &sp[0]);
	stats(dt, rounds, &m[1], &sp[1]);
	stats(rt, rounds, &m[2], &sp[2]);
	stats(hb, rounds, &m[3], &sp[3]);
	stats(db, rounds, &m[4], &sp[4]);
	printf("Q6 over %s (%s, %llu bytes, %llu rows), %s, %d rounds, alternating\n",
	       path, bin ? "binary" : "text", (unsigned long long)bytes,
	       (unsigned long long)hr.rows, kbpf ? "kernel-BPF engine" : "interpreter",
	       rounds);
	printf("revenue %s", "");
	tpch_print_q6(stdout, hr.q6_revenue);
	printf("%-28s %14s %14s\n", "", "median", "spread");
	printf("%-28s %14.0f %14.0f\n", "host: bytes over the bus", m[3], sp[3]);
	printf("%-28s %14.0f %14.0f\n", "drive: bytes over the bus", m[4], sp[4]);
	printf("%-28s %14.3g\n", "bytes ratio host/drive", m[3] / (m[4] ? m[4] : 1));
	printf("%-28s %14.3f %14.3f\n", "host: seconds", m[0], sp[0]);
	printf("%-28s %14.3f %14.3f\n", "drive: seconds", m[1], sp[1]);
	printf("%-28s %14.2f %14.2f\n", "speedup host/drive (per round)", m[2], sp[2]);
	drive_close(&d);
	return 0;
fail:
	drive_close(&d);
	return 1;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "gen"))
		return gen(argc - 2, argv + 2);
	if (!strcmp(argv[1], "host"))
		return host(argc - 2, argv + 2);
	if (!strcmp(argv[1], "drive"))
		return drive(argc - 2, argv + 2);
	if (!strcmp(argv[1], "bench"))
		return bench(argc - 2, argv + 2);
	return usage();
}
