// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * SNIA API batch lists (lib/cs_batch.c) without a drive: where
 * csAddBatchEntry() puts an entry for each Before/After, the refusals,
 * csHelperReconfigureBatchEntry() and csHelperResizeBatchRequest(), and a
 * batch whose entries name no drive refused before anything runs.
 */
#include <string.h>

#include "cs_private.h"
#include "test.h"

static int order_is(CS_BATCH_HANDLE b, const CS_BATCH_INDEX *want,
		    unsigned int n)
{
	CS_BATCH_INDEX got[16];

	return cs_batch_order(b, got, 16) == n &&
	       !memcmp(got, want, n * sizeof(*want));
}

int main(void)
{
	CsBatchRequest r = { .ReqType = CS_COPY_AFDM }, bad = { .ReqType = 9 };
	CS_BATCH_INDEX a, b, c, d, e;
	CS_BATCH_HANDLE h;
	__u64 cv;

	CHECK_EQ(csAllocBatchRequest(CS_BATCH_SERIAL, 4, NULL), CS_INVALID_ARG);
	CHECK_EQ(csAllocBatchRequest(7, 4, &h), CS_INVALID_OPTION);
	CHECK_EQ(csAllocBatchRequest(CS_BATCH_SERIAL, -1, &h), CS_INVALID_ARG);
	CHECK_EQ(csAllocBatchRequest(CS_BATCH_SERIAL, 4, &h), CS_SUCCESS);
	/* empty: nothing to run */
	CHECK_EQ(csQueueBatchRequest(h, NULL, NULL, NULL, &cv), CS_INVALID_ARG);

	CHECK_EQ(csAddBatchEntry(h, &r, 0, 0, &a), CS_SUCCESS);	/* [a] */
	CHECK_EQ(csAddBatchEntry(h, &r, 0, a, &b), CS_SUCCESS);	/* [a b] */
	CHECK_EQ(csAddBatchEntry(h, &r, 0, b, &c), CS_SUCCESS);	/* [a b c] */
	CHECK_EQ(csAddBatchEntry(h, &r, 0, 0, &d), CS_SUCCESS);	/* both 0: first */
	{
		CS_BATCH_INDEX want[] = { d, a, b, c };

		CHECK(order_is(h, want, 4));
	}
	CHECK_EQ(csAddBatchEntry(h, &r, c, 0, &e), CS_SUCCESS);	/* before c */
	{
		CS_BATCH_INDEX want[] = { d, a, b, e, c };

		CHECK(order_is(h, want, 5));
	}
	/* both: they must be neighbours, After first */
	CHECK_EQ(csAddBatchEntry(h, &r, c, a, &e), CS_INVALID_ARG);
	CHECK_EQ(csAddBatchEntry(h, &r, b, a, &e), CS_SUCCESS);
	{
		CS_BATCH_INDEX want[] = { d, a, e, b, 4, c };

		want[4] = 5;	/* the entry added before c above */
		CHECK(order_is(h, want, 6));
	}
	/* unknown indexes and request types, NULLs */
	CHECK_EQ(csAddBatchEntry(h, &r, 99, 0, &e), CS_INVALID_ARG);
	CHECK_EQ(csAddBatchEntry(h, &r, 0, 99, &e), CS_INVALID_ARG);
	CHECK_EQ(csAddBatchEntry(h, &bad, 0, 0, &e), CS_INVALID_ARG);
	CHECK_EQ(csAddBatchEntry(h, NULL, 0, 0, &e), CS_INVALID_ARG);
	CHECK_EQ(csAddBatchEntry(h, &r, 0, 0, NULL), CS_INVALID_ARG);
	CHECK_EQ(csAddBatchEntry(NULL, &r, 0, 0, &e), CS_INVALID_HANDLE);
	CHECK_EQ(cs_batch_order(h, &e, 0), 6);	/* nothing added by a refusal */

	CHECK_EQ(csHelperReconfigureBatchEntry(h, a, &r), CS_SUCCESS);
	CHECK_EQ(csHelperReconfigureBatchEntry(h, 99, &r), CS_INVALID_ARG);
	CHECK_EQ(csHelperReconfigureBatchEntry(h, a, &bad), CS_INVALID_ARG);
	CHECK_EQ(csHelperResizeBatchRequest(h, 100), CS_SUCCESS);
	CHECK_EQ(csHelperResizeBatchRequest(h, -1), CS_INVALID_ARG);
	CHECK_EQ(csHelperResizeBatchRequest(NULL, 1), CS_INVALID_HANDLE);

	/* its copies name no memory: no drive, refused up front */
	CHECK_EQ(csQueueBatchRequest(h, NULL, NULL, NULL, &cv), CS_INVALID_HANDLE);
	CHECK_EQ(csFreeBatchRequest(h), CS_SUCCESS);
	CHECK_EQ(csFreeBatchRequest(NULL), CS_INVALID_HANDLE);
	return test_summary("cs_batch");
}
