/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * What the query tests share (query.c: CSV and binary records;
 * query_json.c: JSON Lines): the checks' counters, the random numbers, a
 * result printed, and a compiled query's program run in the drive's VM
 * (vm.c) through every window, compared with the host's result.
 */
#ifndef URINGBLK_BPF_TEST_QUERY_RUN_H
#define URINGBLK_BPF_TEST_QUERY_RUN_H

#include <stdint.h>
#include <stdio.h>

#include <liburingblk.h>

extern int passed, failed;
/* failures printed, the rest only counted */
extern int check_reports;

#define CHECK_REPORTS	check_reports
#include "../check.h"

/* xorshift64 from the seed each test sets in rng: the same run every time */
extern unsigned long long rng;
unsigned int rnd(unsigned int n);

/* uringblk_query_fprint() of @res, as a string to free (NULL: no memory) */
char *print_result(const struct uringblk_query *q,
		   const struct uringblk_query_result *res);

/*
 * @q's program (@prog: uringblk_query_program()) over @data in the VM,
 * args[0] @limit, whole and in windows of 1, 7, 13, 64 and 4096 bytes (the
 * small ones skipped over 20000 bytes): the validator takes it, it runs
 * without error, the same with yields, within uringblk_query_budget()
 * (whole and 4 KiB windows), and decodes to the host's errno @hret and
 * printed result @hs.  With @unit, the most budget units a byte of data
 * over 10000 bytes (whole and 4 KiB windows) raise *@unit.
 */
void query_run_windows(const char *text, const char *prog,
		       const struct uringblk_query *q, const void *data,
		       size_t len, uint64_t limit, const char *hs, int hret,
		       double *unit);

#endif
