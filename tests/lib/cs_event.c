// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * SNIA API events (lib/cs_dev.c) without a drive: completions come back
 * from csPollEvent() oldest first with their status and context, an empty
 * event is CS_NOT_DONE, a deleted or bogus one CS_INVALID_EVENT; and the
 * handle checks of calls that need a drive.
 */
#include <string.h>

#include "cs_private.h"
#include "test.h"

int main(void)
{
	CS_EVT_HANDLE e;
	CsStorageRequest sr = { 0 };
	CsCopyMemRequest cr = { 0 };
	CS_MEM_HANDLE mem;
	CSxProperties props;
	void *ctx = NULL;
	int len = sizeof(props);
	__u64 cv = 7;

	CHECK_EQ(csCreateEvent(NULL), CS_INVALID_ARG);
	CHECK_EQ(csCreateEvent(&e), CS_SUCCESS);
	CHECK_EQ(csPollEvent(e, &ctx), CS_NOT_DONE);
	CHECK(ctx == NULL);
	CHECK_EQ(cs_event_post(e, CS_SUCCESS, (void *)1), CS_SUCCESS);
	CHECK_EQ(cs_event_post(e, CS_ERROR_IN_EXECUTION, (void *)2), CS_SUCCESS);
	CHECK_EQ(cs_event_post(e, CS_INVALID_ID, (void *)3), CS_SUCCESS);
	CHECK_EQ(csPollEvent(e, &ctx), CS_SUCCESS);
	CHECK(ctx == (void *)1);
	CHECK_EQ(csPollEvent(e, &ctx), CS_ERROR_IN_EXECUTION);
	CHECK(ctx == (void *)2);
	CHECK_EQ(csPollEvent(e, NULL), CS_INVALID_ID);	/* Context may be NULL */
	CHECK_EQ(csPollEvent(e, &ctx), CS_NOT_DONE);
	/* deleting with completions still in it frees them */
	CHECK_EQ(cs_event_post(e, CS_SUCCESS, NULL), CS_SUCCESS);
	CHECK_EQ(csDeleteEvent(e), CS_SUCCESS);
	CHECK_EQ(csDeleteEvent(NULL), CS_INVALID_EVENT);
	CHECK_EQ(csPollEvent(NULL, NULL), CS_INVALID_EVENT);

	/* no drive behind NULL handles: refused before any command */
	CHECK_EQ(csCloseCSx(NULL), CS_INVALID_HANDLE);
	CHECK_EQ(csCloseCSE(NULL), CS_INVALID_HANDLE);
	CHECK_EQ(csAllocMem(NULL, 4096, 0, &mem, NULL), CS_INVALID_HANDLE);
	CHECK_EQ(csFreeMem(NULL), CS_INVALID_HANDLE);
	CHECK_EQ(csQueryDeviceProperties(NULL, &len, &props), CS_INVALID_HANDLE);
	CHECK_EQ(csQueueStorageRequest(&sr, NULL, NULL, NULL, &cv), CS_INVALID_HANDLE);
	CHECK_EQ(csQueueStorageRequest(NULL, NULL, NULL, NULL, &cv), CS_INVALID_ARG);
	CHECK_EQ(csQueueCopyMemRequest(&cr, NULL, NULL, NULL, &cv), CS_INVALID_HANDLE);
	CHECK_EQ(csQueueComputeRequest(NULL, NULL, NULL, NULL, &cv), CS_INVALID_ARG);
	CHECK_EQ(cv, 7);	/* untouched by a refusal */
	CHECK_EQ(csOpenCSE("uringblk0", NULL, NULL), CS_INVALID_ARG);
	{
		CS_CSE_HANDLE cse;

		CHECK_EQ(csOpenCSE("uringblk0", NULL, &cse), CS_ENODEV);
		CHECK_EQ(csOpenCSE(".cse0", NULL, &cse), CS_ENODEV);
	}
	/* names: a drive's own name needs no device */
	{
		char name[16];
		unsigned int n = 4;

		CHECK_EQ(csGetCSxFromPath("/dev/uringblk12", &n, name), CS_INVALID_LENGTH);
		CHECK_EQ(n, 11);
		CHECK_EQ(csGetCSxFromPath("/dev/uringblkc12", &n, name), CS_SUCCESS);
		CHECK_STR(name, "uringblk12");
		CHECK_EQ(csGetCSxFromPath("/nonexistent/path", &n, name), CS_ENOENT);
		CHECK_EQ(csGetCSxFromPath("/", &n, name), CS_ENTITY_NOT_ON_DEVICE);
	}
	return test_summary("cs_event");
}
