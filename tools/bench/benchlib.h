/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * benchlib: what the C benchmarks of tools/bench share - a clock, a
 * percentile, one QD1 round trip on an io_uring, and exec_latency's
 * measurement (EXEC of a trivial program against a 4 KiB read), which
 * tools/bench/lookup reports too.
 */
#ifndef URINGBLK_BENCHLIB_H
#define URINGBLK_BENCHLIB_H

#include <stddef.h>
#include <liburing.h>
#include <liburingblk.h>

/*
 * bench_fill_alpha() - write the "Alpha" text over the start of a drive
 * @blk:	block device, opened O_DIRECT
 * @bytes:	how much, a multiple of 4 MiB
 * @alphas:	receives how many "Alpha" the text holds (count_pattern's r0)
 *
 * English-like words, "Alpha" among them and decoys ("Alphabet", "alpha",
 * "Alp"), one 4 MiB piece repeated: no match straddles two pieces.
 * Return: 0, or -1 after a message on stderr.
 */
int bench_fill_alpha(const char *blk, __u64 bytes, __u64 *alphas);

/* CLOCK_MONOTONIC in microseconds. */
double bench_now_us(void);

/*
 * The @q quantile (0..1) of @v[0..@n), nearest rank below: the sorted
 * v[q * n], clamped to the last.  Sorts @v in place.  0 for @n == 0.
 */
double bench_percentile(double *v, size_t n, double q);

/*
 * The median of @v[0..@n): the middle value, or the mean of the two middle
 * ones for an even @n (for a few rounds, where bench_percentile()'s
 * nearest rank would be the upper one).  Sorts @v.  0 for @n == 0.
 */
double bench_median(double *v, size_t n);

/*
 * Submit the SQEs prepared on @ring, wait for one CQE and consume it.
 * Return: its res, or a negative errno from io_uring itself.
 */
int bench_round_trip(struct io_uring *ring);
/* The same, with the CQE's big_cqe[0] in *@res2 (a CQE32 ring's) */
int bench_round_trip_res2(struct io_uring *ring, __u64 *res2);

/* exec_latency's numbers: round trips at QD1, microseconds. */
struct bench_exec_read {
	int	iters;		/* measured round trips of each kind */
	double	exec_p50, exec_p99;	/* EXEC of "r0 = 0; exit" over one block */
	double	read_p50, read_p99;	/* 4 KiB O_DIRECT read */
};

/*
 * bench_exec_vs_read() - EXEC of a trivial program vs a 4 KiB read
 * @dev:	open drive (the program is loaded and unloaded again)
 * @iters:	round trips of each kind (>= 10), after iters / 10 unmeasured
 * @out:	the percentiles
 * @err:	receives what failed, for a non-zero return
 * @errlen:	its size
 *
 * Both at queue depth 1 on one io_uring (SQE128 | CQE32), alternating,
 * so drift of the host hits both alike; reads over the first 4 MiB.
 *
 * Return: 0, or a negative errno.
 */
int bench_exec_vs_read(struct uringblk_dev *dev, int iters,
		       struct bench_exec_read *out, char *err, size_t errlen);

/* Print @r as exec_latency always has (a table and the p50 ratio). */
void bench_exec_vs_read_print(FILE *f, const struct bench_exec_read *r);

#endif /* URINGBLK_BENCHLIB_H */
