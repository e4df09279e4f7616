// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Device naming and opening, without the driver: every accepted and
 * refused spelling, and the errors a missing or foreign device gives.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "private.h"
#include "test.h"

static void test_parse(void)
{
	static const struct {
		const char *spec;
		int ret;
		int index;
	} cases[] = {
		{ "/dev/uringblk0",		0,	0 },
		{ "/dev/uringblkc0",		0,	0 },
		{ "/dev/uringblk17",		0,	17 },
		{ "/dev/uringblkc17",		0,	17 },
		{ "uringblk3",			0,	3 },
		{ "uringblkc3",			0,	3 },
		{ "0",				0,	0 },
		{ "42",				0,	42 },
		{ "2147483647",			0,	2147483647 },
		{ "2147483648",			-EINVAL,	0 },
		{ "99999999999999999999",	-EINVAL,	0 },
		{ "",				-EINVAL,	0 },
		{ "-1",				-EINVAL,	0 },
		{ "+1",				-EINVAL,	0 },
		{ "01",				-EINVAL,	0 },
		{ "uringblk01",			-EINVAL,	0 },
		{ "uringblk",			-EINVAL,	0 },
		{ "uringblkc",			-EINVAL,	0 },
		{ "uringblk0p1",		-EINVAL,	0 },
		{ "uringblkcc0",		-EINVAL,	0 },
		/* the NVMe namespace nodes: NSIDs 2 and 3 name their drive */
		{ "/dev/uringblkc0n2",		0,	0 },
		{ "/dev/uringblkc0n3",		0,	0 },
		{ "uringblkc17n2",		0,	17 },
		{ "uringblkc5n3",		0,	5 },
		{ "uringblkc0n1",		-EINVAL,	0 },
		{ "uringblkc0n4",		-EINVAL,	0 },
		{ "uringblkc0n0",		-EINVAL,	0 },
		{ "uringblkc0n",		-EINVAL,	0 },
		{ "uringblkc0n22",		-EINVAL,	0 },
		{ "uringblkc0n2x",		-EINVAL,	0 },
		{ "uringblkcn2",		-EINVAL,	0 },
		{ "uringblkc01n2",		-EINVAL,	0 },
		{ "uringblk0n2",		-EINVAL,	0 },
		{ "2n2",			-EINVAL,	0 },
		{ "uringblkc0n2n3",		-EINVAL,	0 },
		{ "uringblk 0",			-EINVAL,	0 },
		{ "/dev/",			-EINVAL,	0 },
		{ "/dev/0",			-EINVAL,	0 },
		{ "/dev/null",			-EINVAL,	0 },
		{ "/dev//uringblk0",		-EINVAL,	0 },
		{ "/sys/uringblk0",		-EINVAL,	0 },
		{ "nullb0",			-EINVAL,	0 },
		{ "1x",				-EINVAL,	0 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int index = -1, ret = uringblk_parse_dev(cases[i].spec, &index);

		if (ret != cases[i].ret || (!ret && index != cases[i].index))
			fprintf(stderr, "parse \"%s\": ret %d index %d\n",
				cases[i].spec, ret, index);
		CHECK_EQ(ret, cases[i].ret);
		if (!cases[i].ret)
			CHECK_EQ(index, cases[i].index);
	}
	int dummy;

	CHECK_EQ(uringblk_parse_dev(NULL, &dummy), -EINVAL);
	CHECK_EQ(uringblk_parse_dev("0", NULL), -EINVAL);
}

static void test_open_errors(void)
{
	struct uringblk_dev *dev = NULL;

	/* No such node: the driver is not loaded on the host. */
	if (access("/dev/uringblkc4093", F_OK)) {
		CHECK_EQ(uringblk_open("/dev/uringblk4093", &dev), -ENOENT);
		CHECK_EQ(uringblk_open("uringblkc4093", &dev), -ENOENT);
		CHECK_EQ(uringblk_open("4093", &dev), -ENOENT);
		CHECK_EQ(uringblk_open_index(4093, &dev), -ENOENT);
	} else {
		SKIP("/dev/uringblkc4093 exists");
	}
	CHECK_EQ(uringblk_open("/nonexistent/dir/disk", &dev), -ENOENT);
	CHECK_EQ(uringblk_open("nullb0", &dev), -EINVAL);
	CHECK_EQ(uringblk_open_index(-1, &dev), -EINVAL);
	CHECK_EQ(uringblk_open(NULL, &dev), -EINVAL);
	/* A device node, but another driver's: resolved via /sys/dev. */
	CHECK_EQ(uringblk_open("/dev/null", &dev), -ENODEV);
	CHECK_EQ(uringblk_open("/dev/zero", &dev), -ENODEV);
	/* Not a device node at all. */
	CHECK_EQ(uringblk_open("/proc/self/exe", &dev), -ENODEV);
	CHECK(dev == NULL);
}

static void test_accessors(void)
{
	struct uringblk_dev *dev;
	int fd, ret;

	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	CHECK(fd >= 0);
	ret = uringblk_dev_new(12, fd, NULL, false, &dev);
	CHECK_EQ(ret, 0);
	if (ret)
		return;
	CHECK_EQ(uringblk_index(dev), 12);
	CHECK_STR(uringblk_blk_path(dev), "/dev/uringblk12");
	CHECK_STR(uringblk_chr_path(dev), "/dev/uringblkc12");
	CHECK_STR(uringblk_sysfs_dir(dev), "/sys/block/uringblk12");
	CHECK_EQ(uringblk_chr_fd(dev), fd);
	/* Without a ring, commands are refused rather than crashing. */
	struct uringblk_identify id;

	CHECK_EQ(uringblk_identify(dev, &id), -EBADFD);
	uringblk_close(dev);
	/* The handle owned the descriptor. */
	CHECK_EQ(fcntl(fd, F_GETFD), -1);
	uringblk_close(NULL);
}

int main(void)
{
	test_parse();
	test_open_errors();
	test_accessors();
	return test_summary("dev");
}
