/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CHECK() of the native test programs: one comparison, counted in the
 * includer's `passed` and `failed` (ints it defines), a failure printed to
 * stderr as "FAIL file:line: cond: message".  Each program then ends with
 * "NAME: N checks passed, N failed" (tools/check counts those).
 *
 * Before including, a program may define
 *   CHECK_REPORTS	how many failures to print (the rest only counted;
 *			default: all)
 *   CHECK_CONTEXT()	a statement printing more after the message, such
 *			as the chunk size the failing run used
 */
#ifndef URINGBLK_TESTS_CHECK_H
#define URINGBLK_TESTS_CHECK_H

#include <stdio.h>

#ifndef CHECK_REPORTS
#define CHECK_REPORTS	__INT_MAX__
#endif
#ifndef CHECK_CONTEXT
#define CHECK_CONTEXT()	do { } while (0)
#endif

#define CHECK(cond, ...) do {						\
	if (cond) {							\
		passed++;						\
	} else if (failed++ < (CHECK_REPORTS)) {			\
		fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
		fprintf(stderr, __VA_ARGS__);				\
		CHECK_CONTEXT();					\
		fputc('\n', stderr);					\
	}								\
} while (0)

#endif /* URINGBLK_TESTS_CHECK_H */
