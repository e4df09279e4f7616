/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * Minimal harness for the liburingblk tests: count checks, report every
 * failure with its location, end with "NAME: N checks passed, N failed"
 * and an exit status a Makefile can act on.  Each program is one test case
 * of `make check` (tools/check).
 */
#ifndef URINGBLK_TEST_H
#define URINGBLK_TEST_H

#include <stdio.h>

static int test_passed, test_failed, test_skipped;

#define CHECK(cond) do {						\
	if (cond) {							\
		test_passed++;						\
	} else {							\
		test_failed++;						\
		fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, \
			#cond);						\
	}								\
} while (0)

/* Integers of any type; both values are shown on failure. */
#define CHECK_EQ(a, b) do {						\
	long long _a = (long long)(a), _b = (long long)(b);		\
	if (_a == _b) {							\
		test_passed++;						\
	} else {							\
		test_failed++;						\
		fprintf(stderr, "FAIL %s:%d: %s == %s (%lld != %lld)\n", \
			__FILE__, __LINE__, #a, #b, _a, _b);		\
	}								\
} while (0)

#define CHECK_STR(a, b) do {						\
	const char *_a = (a), *_b = (b);				\
	if (_a && _b && !strcmp(_a, _b)) {				\
		test_passed++;						\
	} else {							\
		test_failed++;						\
		fprintf(stderr, "FAIL %s:%d: %s == \"%s\" (got \"%s\")\n", \
			__FILE__, __LINE__, #a, _b ? _b : "(null)",	\
			_a ? _a : "(null)");				\
	}								\
} while (0)

#define SKIP(why) do {							\
	test_skipped++;							\
	printf("SKIP %s:%d: %s\n", __FILE__, __LINE__, why);		\
} while (0)

static inline int test_summary(const char *name)
{
	printf("%s: %d checks passed, %d failed", name, test_passed, test_failed);
	if (test_skipped)
		printf(", %d skipped", test_skipped);
	printf("\n");
	return test_failed ? 1 : 0;
}

#endif /* URINGBLK_TEST_H */
