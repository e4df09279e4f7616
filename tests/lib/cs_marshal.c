// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * A SNIA compute request as EXECUTE's words and range set
 * (lib/cs_marshal.c): AFDM arguments in order become ranges, values become
 * cparam[0], cparam[1], arg2; every refusal; csHelperSetComputeArg().
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cs_private.h"
#include "test.h"

#define G	4096

static struct cs_mem mem(struct cs_drive *d, __u64 off, __u64 len)
{
	struct cs_mem m = {
		.magic = CS_MEM_MAGIC, .drive = d, .off = off, .len = len,
		.alloc_len = (len + G - 1) / G * G,
	};
	return m;
}

static CsComputeRequest *request(int n)
{
	CsComputeRequest *r = calloc(1, CS_COMPUTE_REQUEST_SIZE(n));

	r->NumArgs = n;
	r->FunctionId = 0x101;
	return r;
}

static void test_marshal(void)
{
	struct cs_drive *d1 = (struct cs_drive *)0x1000, *d2 = (struct cs_drive *)0x2000;
	struct cs_mem a = mem(d1, 8 * G, 3 * G), b = mem(d1, 0, 100),
		      other = mem(d2, 0, G), dead = mem(d1, 0, G);
	CsComputeRequest *r = request(5);
	struct cs_marshal m;

	CHECK_EQ(CS_COMPUTE_REQUEST_SIZE(5), sizeof(*r) + 4 * sizeof(CsComputeArg));
	CHECK_EQ(CS_COMPUTE_REQUEST_SIZE(0), sizeof(*r));
	dead.magic = 0;
	/* count_pattern's shape: memory, pattern bytes (2 x 64), length (32) */
	csHelperSetComputeArg(&r->Args[0], CS_AFDM_TYPE, &a, 0UL);
	csHelperSetComputeArg(&r->Args[1], CS_64BIT_VALUE_TYPE, (__u64)0x1122334455667788ULL);
	csHelperSetComputeArg(&r->Args[2], CS_64BIT_VALUE_TYPE, (__u64)0xffULL << 56);
	csHelperSetComputeArg(&r->Args[3], CS_32BIT_VALUE_TYPE, 5U);
	r->NumArgs = 4;
	CHECK_EQ(r->Args[0].Type, CS_AFDM_TYPE);
	CHECK(r->Args[0].u.DevMem.MemHandle == &a);
	CHECK_EQ(cs_marshal_compute(r, G, d1, &m), CS_SUCCESS);
	CHECK_EQ(m.pind, 0x101);
	CHECK_EQ(m.nr_values, 3);
	CHECK_EQ(m.values[0], 0x1122334455667788ULL);
	CHECK_EQ(m.values[1], 0xffULL << 56);
	CHECK_EQ(m.values[2], 5);
	CHECK_EQ(m.nr_ranges, 1);
	CHECK_EQ(m.ranges[0].slm_off, 8 * G);
	CHECK_EQ(m.ranges[0].len, 3 * G);
	CHECK(m.whole == &a);		/* its set is cached with the region */
	cs_marshal_free(&m);

	/* two regions, the second from an offset: ranges in argument order */
	csHelperSetComputeArg(&r->Args[4], CS_AFDM_TYPE, &b, 0UL);
	csHelperSetComputeArg(&r->Args[0], CS_AFDM_TYPE, &a, (unsigned long)G);
	r->NumArgs = 5;
	CHECK_EQ(cs_marshal_compute(r, G, d1, &m), CS_SUCCESS);
	CHECK_EQ(m.nr_ranges, 2);
	CHECK_EQ(m.ranges[0].slm_off, 9 * G);
	CHECK_EQ(m.ranges[0].len, 2 * G);
	CHECK_EQ(m.ranges[1].slm_off, 0);
	CHECK_EQ(m.ranges[1].len, G);	/* the whole unit: padding zeroed */
	CHECK(m.whole == NULL);		/* a set for the run only */
	cs_marshal_free(&m);

	/* a lone region at an offset: not cached either */
	r->NumArgs = 1;
	CHECK_EQ(cs_marshal_compute(r, G, d1, &m), CS_SUCCESS);
	CHECK(m.whole == NULL);
	CHECK_EQ(m.nr_values, 0);
	CHECK_EQ(m.values[0], 0);
	cs_marshal_free(&m);

	/* refusals */
	csHelperSetComputeArg(&r->Args[0], CS_AFDM_TYPE, &a, 100UL);
	CHECK_EQ(cs_marshal_compute(r, G, d1, &m), CS_INVALID_ARG);	/* not granular */
	csHelperSetComputeArg(&r->Args[0], CS_AFDM_TYPE, &a, 3UL * G);
	CHECK_EQ(cs_marshal_compute(r, G, d1, &m), CS_INVALID_ARG);	/* past the end */
	csHelperSetComputeArg(&r->Args[0], CS_AFDM_TYPE, &other, 0UL);
	CHECK_EQ(cs_marshal_compute(r, G, d1, &m), CS_UNKNOWN_MEMORY);	/* other drive */
	csHelperSetComputeArg(&r->Args[0], CS_AFDM_TYPE, &dead, 0UL);
	CHECK_EQ(cs_marshal_compute(r, G, d1, &m), CS_INVALID_HANDLE);	/* freed */
	csHelperSetComputeArg(&r->Args[0], CS_AFDM_TYPE, NULL, 0UL);
	CHECK_EQ(cs_marshal_compute(r, G, d1, &m), CS_INVALID_HANDLE);
	csHelperSetComputeArg(&r->Args[0], CS_STREAM_TYPE, NULL);
	CHECK_EQ(cs_marshal_compute(r, G, d1, &m), CS_UNSUPPORTED);
	r->Args[0].Type = CS_DESCRIPTOR_TYPE;
	CHECK_EQ(cs_marshal_compute(r, G, d1, &m), CS_UNSUPPORTED);
	r->Args[0].Type = 99;
	CHECK_EQ(cs_marshal_compute(r, G, d1, &m), CS_INVALID_ARG);
	/* no memory at all: EXECUTE needs a set */
	csHelperSetComputeArg(&r->Args[0], CS_64BIT_VALUE_TYPE, (__u64)1);
	CHECK_EQ(cs_marshal_compute(r, G, d1, &m), CS_INVALID_ARG);
	r->NumArgs = 0;
	CHECK_EQ(cs_marshal_compute(r, G, d1, &m), CS_INVALID_ARG);
	/* four values: one more than cparam[0..1] + arg2 */
	r->NumArgs = 5;
	csHelperSetComputeArg(&r->Args[0], CS_AFDM_TYPE, &a, 0UL);
	for (int i = 1; i < 5; i++)
		csHelperSetComputeArg(&r->Args[i], CS_32BIT_VALUE_TYPE, (unsigned int)i);
	CHECK_EQ(cs_marshal_compute(r, G, d1, &m), CS_INVALID_ARG);
	r->NumArgs = -1;
	CHECK_EQ(cs_marshal_compute(r, G, d1, &m), CS_INVALID_ARG);
	CHECK_EQ(cs_marshal_compute(NULL, G, d1, &m), CS_INVALID_ARG);
	CHECK(m.ranges == NULL);	/* nothing left to free after a refusal */
	free(r);
}

int main(void)
{
	test_marshal();
	return test_summary("cs_marshal");
}
