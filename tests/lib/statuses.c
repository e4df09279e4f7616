// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Every value of enum uringblk_status (the uAPI's one list of the statuses
 * the drive sends, on either face) is known to every name table of the
 * library: uringblk_status_str(), uringblk_kv_strerror() (with and without
 * DNR), uringblk_dev_strerror() and the SNIA layer's CS_STATUS
 * (lib/cs_status.c's row for it).  The list
 * is read from the uAPI header when this test is built (uapi_statuses.h,
 * lib/Makefile), so a status added to the enum without its rows fails here.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cs_private.h"
#include "test.h"

static const struct {
	const char	*name;
	__u16		status;
} statuses[] = {
#define S(n) { #n, n },
#include "uapi_statuses.h"
#undef S
};

/* "(1h/8Fh)": how every table writes a status's SCT and SC */
static void code_of(__u16 st, char *buf, size_t len)
{
	snprintf(buf, len, "(%Xh/%02Xh)", URINGBLK_SC_SCT(st), URINGBLK_SC_SC(st));
}

static void check_names(const char *name, __u16 st)
{
	const char *s = uringblk_status_str(st), *kv, *kvdnr;
	char code[16];

	code_of(st, code, sizeof(code));
	if (!s || !strstr(s, code))
		fprintf(stderr, "%s (0x%03x): uringblk_status_str() says \"%s\"\n",
			name, st, s ? s : "(null)");
	CHECK(s && strstr(s, code));

	kv = uringblk_kv_strerror(st);
	kvdnr = uringblk_kv_strerror(st | 0x4000);
	if (!strstr(kv, code))
		fprintf(stderr, "%s (0x%03x): uringblk_kv_strerror() says \"%s\"\n",
			name, st, kv);
	CHECK(strstr(kv, code) != NULL);
	CHECK(kv == kvdnr);	/* DNR is not part of the status's name */
}

int main(void)
{
	struct uringblk_dev dev = { .last_cmd_op = 0 };	/* no command's own text */
	unsigned int i, j, n = 0;

	CHECK(ARRAY_SIZE(statuses) > 50);
	for (i = 0; i < ARRAY_SIZE(statuses); i++) {
		__u16 st = statuses[i].status;

		for (j = 0; j < i && statuses[j].status != st; j++)
			;
		if (j < i)
			fprintf(stderr, "%s and %s are both 0x%03x\n",
				statuses[j].name, statuses[i].name, st);
		CHECK(j == i);	/* each value named once */
		if (st == URINGBLK_SC_SUCCESS)
			continue;
		n++;
		check_names(statuses[i].name, st);
		/* a failed command with this status is explained by it */
		dev.last_res = -EIO;
		dev.last_status = st;
		CHECK(uringblk_dev_strerror(&dev, -EIO) == uringblk_status_str(st));
		if (!cs_status_known(st))
			fprintf(stderr, "%s (0x%03x): no row in lib/cs_status.c\n",
				statuses[i].name, st);
		CHECK(cs_status_known(st));
		CHECK(uringblk_cs_status_name(cs_status_from_drive(CS_OP_COMPUTE, -EIO,
								  st)) != NULL);
	}
	CHECK_EQ(n + 1, ARRAY_SIZE(statuses));

	/* issue 51's example: the KV engine's Unrecovered Error with DNR */
	CHECK(strstr(uringblk_kv_strerror(0x4088), "KV Unrecovered Error (0h/88h)") != NULL);
	CHECK(!strstr(uringblk_kv_strerror(0x4088), "does not know"));
	/* and a status no drive sends still gets an answer, not NULL */
	CHECK(uringblk_status_str(0x7ff) == NULL);
	CHECK(strstr(uringblk_kv_strerror(0x7ff), "does not know") != NULL);

	return test_summary("statuses");
}
