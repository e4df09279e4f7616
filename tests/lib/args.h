/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * The size rule every 1.11 options struct follows (uringblk_args_in()),
 * checked the same way for each: NULL, a size below the first version's,
 * flags not 0 (-EINVAL), and a larger struct with a non-zero byte past
 * the ones the library knows (-E2BIG).  @CALL is an expression over @P,
 * the struct pointer under test; @init a valid struct of @type.  A larger
 * struct with a zero tail is left to the caller: what it gives depends on
 * the call.
 */
#ifndef URINGBLK_TEST_ARGS_H
#define URINGBLK_TEST_ARGS_H

#define CHECK_SIZE_RULE(type, init, CALL) do {				\
	struct { type a; __u64 newer; } g_ = { .a = (init) };		\
	const type *P = NULL;						\
									\
	CHECK_EQ(CALL, -EINVAL);					\
	P = &g_.a;							\
	g_.a.size = sizeof(__u32);					\
	CHECK_EQ(CALL, -EINVAL);					\
	g_.a.size = sizeof(type) - 1;					\
	CHECK_EQ(CALL, -EINVAL);					\
	g_.a.size = sizeof(type);					\
	g_.a.flags = 1;							\
	CHECK_EQ(CALL, -EINVAL);					\
	g_.a.flags = 0;							\
	g_.a.size = sizeof(g_);						\
	g_.newer = 1;							\
	CHECK_EQ(CALL, -E2BIG);						\
} while (0)

#endif /* URINGBLK_TEST_ARGS_H */
