// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * benchlib: the helpers the C benchmarks of tools/bench share (see
 * benchlib.h), and exec_latency's measurement.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "benchlib.h"

/*
 * The demo's text (tools/bench/kbpf's (b), tools/bench/compare): one 4 MiB
 * piece of words, repeated, so its count is computed once by hand.
 */
int bench_fill_alpha(const char *blk, __u64 bytes, __u64 *alphas)
{
	static const char *const words[] = {
		"the", "quick", "Alpha", "brown", "fox", "jumps", "over", "lazy",
		"dog", "Alphabet", "beta", "gamma", "alpha", "delta", "ALPHA", "Alp",
	};
	size_t bufsz = 4 << 20, n = 0, w = 0;
	char *buf;
	int fd = open(blk, O_WRONLY | O_DIRECT);

	if (fd < 0 || posix_memalign((void **)&buf, 4096, bufsz)) {
		perror(blk);
		return -1;
	}
	/* one 4 MiB piece of text, repeated; its count by hand */
	while (n < bufsz) {
		const char *s = words[(w * 7 + w / 3) % 16];
		size_t l = strlen(s);

		for (size_t k = 0; k <= l && n < bufsz; k++, n++)
			buf[n] = k < l ? s[k] : (w % 11 == 10 ? '\n' : ' ');
		w++;
	}
	*alphas = 0;
	for (size_t i = 0; i + 5 <= bufsz; i++)
		*alphas += !memcmp(buf + i, "Alpha", 5);
	/* no match across pieces: a piece starts with "the" */
	*alphas *= bytes / bufsz;
	for (__u64 off = 0; off < bytes; off += bufsz)
		if (pwrite(fd, buf, bufsz, off) != (ssize_t)bufsz) {
			perror("writing the text");
			return -1;
		}
	close(fd);
	free(buf);
	return 0;
}

double bench_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double bench_percentile(double *v, size_t n, double q)
{
	size_t i;

	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	i = (size_t)(q * n);
	return v[i < n ? i : n - 1];
}

double bench_median(double *v, size_t n)
{
	double hi = bench_percentile(v, n, 0.5);

	return n && !(n & 1) ? (v[n / 2 - 1] + hi) / 2 : hi;
}

int bench_round_trip_res2(struct io_uring *ring, __u64 *res2)
{
	struct io_uring_cqe *cqe;
	int ret = io_uring_submit_and_wait(ring, 1);

	if (ret < 0)
		return ret;
	ret = io_uring_wait_cqe(ring, &cqe);
	if (ret < 0)
		return ret;
	ret = cqe->res;
	if (res2)
		*res2 = cqe->big_cqe[0];
	io_uring_cqe_seen(ring, cqe);
	return ret;
}

int bench_round_trip(struct io_uring *ring)
{
	return bench_round_trip_res2(ring, NULL);
}

/* The measuring loop of bench_exec_vs_read(); t_exec, t_read: iters each. */
static int exec_vs_read_loop(struct io_uring *ring, int cfd, int bfd,
			     const struct uringblk_exec_args *a, void *buf,
			     int iters, double *t_exec, double *t_read,
			     char *err, size_t errlen)
{
	char reply[sizeof(struct uringblk_exec_result)];

	for (int i = -iters / 10; i < iters; i++) {	/* first 10%: warm-up */
		struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
		double t0;
		int ret;

		if (!sqe)	/* not at QD1: each round trip empties the ring */
			goto no_sqe;
		uringblk_prep_exec(sqe, cfd, a, reply, sizeof(reply));
		t0 = bench_now_us();
		ret = bench_round_trip(ring);
		if (ret != 0) {
			snprintf(err, errlen, "EXEC: %d (%s)", ret, uringblk_strerror(ret));
			return ret < 0 ? ret : -EIO;
		}
		if (i >= 0)
			t_exec[i] = bench_now_us() - t0;

		sqe = io_uring_get_sqe(ring);
		if (!sqe)
			goto no_sqe;
		io_uring_prep_read(sqe, bfd, buf, 4096, (off_t)(i & 1023) * 4096);
		t0 = bench_now_us();
		ret = bench_round_trip(ring);
		if (ret != 4096) {
			snprintf(err, errlen, "4 KiB read: %d", ret);
			return ret < 0 ? ret : -EIO;
		}
		if (i >= 0)
			t_read[i] = bench_now_us() - t0;
	}
	return 0;
no_sqe:
	snprintf(err, errlen, "no free SQE");
	return -EBUSY;
}

int bench_exec_vs_read(struct uringblk_dev *dev, int iters,
		       struct bench_exec_read *out, char *err, size_t errlen)
{
	static const struct bpf_insn prog[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	struct uringblk_exec_args a = { .lba_count = 1 };
	double *t_exec = NULL, *t_read = NULL;
	struct io_uring ring;
	void *buf = NULL;
	int id, bfd, ret;

	if (iters < 10) {
		snprintf(err, errlen, "%d iterations: at least 10", iters);
		return -EINVAL;
	}
	id = uringblk_prog_load(dev, prog, 2, "nop", NULL, 0);
	if (id < 0) {
		snprintf(err, errlen, "loading the trivial program: %s", uringblk_strerror(id));
		return id;
	}
	a.prog_id = id;
	bfd = open(uringblk_blk_path(dev), O_RDONLY | O_DIRECT);
	if (bfd < 0) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", uringblk_blk_path(dev), strerror(errno));
		goto unload;
	}
	ret = io_uring_queue_init(4, &ring, IORING_SETUP_SQE128 | IORING_SETUP_CQE32);
	if (ret) {
		snprintf(err, errlen, "io_uring_queue_init: %s", strerror(-ret));
		goto close_bfd;
	}
	t_exec = calloc(iters, sizeof(double));
	t_read = calloc(iters, sizeof(double));
	if (posix_memalign(&buf, 4096, 4096) || !t_exec || !t_read) {
		ret = -ENOMEM;
		snprintf(err, errlen, "out of memory");
		goto free;
	}
	ret = exec_vs_read_loop(&ring, uringblk_chr_fd(dev), bfd, &a, buf, iters,
				t_exec, t_read, err, errlen);
	if (!ret) {
		out->iters = iters;
		out->exec_p50 = bench_percentile(t_exec, iters, 0.5);
		out->exec_p99 = bench_percentile(t_exec, iters, 0.99);
		out->read_p50 = bench_percentile(t_read, iters, 0.5);
		out->read_p99 = bench_percentile(t_read, iters, 0.99);
	}
free:
	free(buf);
	free(t_read);
	free(t_exec);
	io_uring_queue_exit(&ring);
close_bfd:
	close(bfd);
unload:
	uringblk_prog_unload(dev, id);
	return ret;
}

void bench_exec_vs_read_print(FILE *f, const struct bench_exec_read *r)
{
	fprintf(f, "%-28s %10s %10s\n", "QD1 round trip (us)", "p50", "p99");
	fprintf(f, "%-28s %10.1f %10.1f\n", "4 KiB read (O_DIRECT)", r->read_p50, r->read_p99);
	fprintf(f, "%-28s %10.1f %10.1f\n", "EXEC of a 2-insn program", r->exec_p50,
		r->exec_p99);
	fprintf(f, "EXEC / read (p50): %.2fx over %d iterations each\n",
		r->exec_p50 / r->read_p50, r->iters);
	fprintf(f, "EXEC / read (p99): %.2fx\n", r->exec_p99 / r->read_p99);
}
