// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The synchronous program calls over a real io_uring, without the driver
 * (as ring.c does for IDENTIFY): /dev/zero has no ->uring_cmd, so every
 * command fails with -EOPNOTSUPP; /dev/null's completes every command
 * with 0 and writes nothing, which is what a drive with no programs and
 * nothing to say would look like to the paging and reply logic.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "private.h"
#include "test.h"

static struct uringblk_dev *open_fake(const char *node)
{
	struct uringblk_dev *dev = NULL;
	int fd, ret;

	fd = open(node, O_RDWR | O_CLOEXEC);
	CHECK(fd >= 0);
	ret = uringblk_dev_new(0, fd, NULL, true, &dev);
	if (ret == -ENOSYS || ret == -EPERM) {
		SKIP("io_uring unavailable");
		return NULL;
	}
	CHECK_EQ(ret, 0);
	return dev;
}

static const struct bpf_insn ret1[2] = {
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 1 },
	{ .code = BPF_JMP | BPF_EXIT },
};

static void test_unsupported(void)
{
	struct uringblk_exec_args a = { .prog_id = 1, .lba_count = 1 };
	struct uringblk_prog_info info[3];
	struct uringblk_exec_result res;
	struct uringblk_dev *dev;
	char log[64], out[32];

	dev = open_fake("/dev/zero");
	if (!dev)
		return;
	memset(log, 'x', sizeof(log));
	CHECK_EQ(uringblk_prog_load(dev, ret1, 2, "r1", log, sizeof(log)),
		 -EOPNOTSUPP);
	CHECK_STR(log, "");	/* cleared even though nothing answered */
	CHECK_EQ(uringblk_prog_unload(dev, 1), -EOPNOTSUPP);
	CHECK_EQ(uringblk_prog_list(dev, info, 3), -EOPNOTSUPP);

	memset(&res, 0xee, sizeof(res));
	memset(out, 0xcc, sizeof(out));
	CHECK_EQ(uringblk_exec(dev, &a, &res, out, sizeof(out)), -EOPNOTSUPP);
	CHECK_EQ(res.r0 | res.out_len | res.insns | res.abort_code, 0);
	CHECK_EQ((unsigned char)out[0], 0xcc);	/* no output, none copied */
	memset(&res, 0xee, sizeof(res));
	CHECK_EQ(uringblk_exec(dev, &a, &res, NULL, 0), -EOPNOTSUPP);
	CHECK_EQ(res.error, 0);
	uringblk_close(dev);
}

static void test_null_device(void)
{
	struct uringblk_exec_args a = { .prog_id = 1, .lba_count = 1 };
	struct uringblk_prog_info info[URINGBLK_MAX_PROGS + 1];
	struct uringblk_exec_result res;
	struct uringblk_dev *dev;
	static char out[2 << 20];

	dev = open_fake("/dev/null");
	if (!dev)
		return;
	/* "res 0" from /dev/null: no entries, the loop stops */
	CHECK_EQ(uringblk_prog_list(dev, info, ARRAY_SIZE(info)), 0);
	CHECK_EQ(uringblk_prog_list(dev, NULL, 0), 0);
	CHECK_EQ(uringblk_prog_unload(dev, 3), 0);
	CHECK_EQ(uringblk_prog_load(dev, ret1, 2, NULL, NULL, 0), 0);

	/* completed with r0 = 0 and no output; capacity above 1 MiB is cut */
	memset(&res, 0xee, sizeof(res));
	CHECK_EQ(uringblk_exec(dev, &a, &res, out, sizeof(out)), 0);
	CHECK_EQ(res.r0, 0);
	CHECK_EQ(res.out_len, 0);
	/* the reply buffer is reused, and re-zeroed, call after call */
	for (int i = 0; i < 5; i++)
		CHECK_EQ(uringblk_exec(dev, &a, &res, out, 100 + i), 0);
	CHECK_EQ(res.out_len, 0);
	uringblk_close(dev);
}

static void test_bad_args(void)
{
	struct uringblk_exec_args a = { 0 };
	struct uringblk_exec_result res;
	struct uringblk_dev *dev;
	char log[16];

	dev = open_fake("/dev/null");
	if (!dev)
		return;
	CHECK_EQ(uringblk_exec(NULL, &a, &res, NULL, 0), -EINVAL);
	CHECK_EQ(uringblk_exec(dev, NULL, &res, NULL, 0), -EINVAL);
	CHECK_EQ(uringblk_exec(dev, &a, NULL, NULL, 0), -EINVAL);
	CHECK_EQ(uringblk_exec(dev, &a, &res, NULL, 8), -EINVAL);
	CHECK_EQ(uringblk_prog_load(dev, ret1, 0, NULL, log, sizeof(log)),
		 -EINVAL);
	CHECK_EQ(uringblk_prog_load(dev, ret1, 2,
				    "a name that is longer than 32 bytes",
				    log, sizeof(log)), -ENAMETOOLONG);
	CHECK_EQ(uringblk_prog_load(NULL, ret1, 2, NULL, NULL, 0), -EINVAL);
	CHECK_EQ(uringblk_prog_load_file(NULL, "x.o", NULL, NULL, 0), -EINVAL);
	CHECK_EQ(uringblk_prog_list(dev, NULL, 1), -EINVAL);
	uringblk_close(dev);
}

int main(void)
{
	test_unsupported();
	test_null_device();
	test_bad_args();
	return test_summary("prog_ring");
}
