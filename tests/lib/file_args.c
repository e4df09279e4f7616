// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * uringblk_file_exec_args() and uringblk_file_execute_args(), and the
 * 1.6 calls that wrap them, without a drive: the size rule of their
 * options structs, and the refusals that come before any command (no
 * handle, no map, an empty file), through the new calls and the old.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "private.h"
#include "test.h"

static struct uringblk_dev *fake_dev(void)
{
	struct uringblk_dev *dev = NULL;
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	CHECK(fd >= 0);
	CHECK_EQ(uringblk_dev_new(0, fd, NULL, false, &dev), 0);
	return dev;
}

#define EMPTY_MSG "the file is empty: there is no data to run over"

static void test_exec(struct uringblk_dev *dev)
{
	const struct uringblk_exec_args x = { .prog_id = 1 };
	struct uringblk_file_map map = { .fd = -1 };	/* no extents */
	struct uringblk_file_exec_args a = {
		.size = sizeof(a), .map = &map, .exec = &x,
	};
	struct {
		struct uringblk_file_exec_args	a;
		__u64				newer;
	} g = { .a = a };
	struct uringblk_exec_result res;
	char msg[128];

	/* the size rule: nothing written on a refusal, msg included */
	memset(&res, 0xee, sizeof(res));
	memset(msg, 'x', sizeof(msg));
	a.msg = msg;
	a.msg_len = sizeof(msg);
	CHECK_EQ(uringblk_file_exec_args(dev, NULL, &res), -EINVAL);
	a.size = offsetof(struct uringblk_file_exec_args, msg);
	CHECK_EQ(uringblk_file_exec_args(dev, &a, &res), -EINVAL);
	a.size = sizeof(a);
	a.flags = 1;
	CHECK_EQ(uringblk_file_exec_args(dev, &a, &res), -EINVAL);
	a.flags = 0;
	g.a = a;
	g.a.size = sizeof(g);
	g.newer = 1;
	CHECK_EQ(uringblk_file_exec_args(dev, &g.a, &res), -E2BIG);
	CHECK_EQ(msg[0], 'x');
	CHECK_EQ(res.r0, 0xeeeeeeeeeeeeeeeeULL);

	/* an empty file: nothing to run, through both calls */
	g.newer = 0;
	CHECK_EQ(uringblk_file_exec_args(dev, &g.a, &res), -ENODATA);
	CHECK_STR(msg, EMPTY_MSG);
	CHECK_EQ(res.r0, 0);
	memset(msg, 'x', sizeof(msg));
	CHECK_EQ(uringblk_file_exec(dev, &map, &x, &res, NULL, 0, msg,
				    sizeof(msg)), -ENODATA);
	CHECK_STR(msg, EMPTY_MSG);
	CHECK_EQ(uringblk_file_exec(NULL, &map, &x, &res, NULL, 0, NULL, 0),
		 -EINVAL);
	CHECK_EQ(uringblk_file_exec(dev, NULL, &x, &res, NULL, 0, NULL, 0),
		 -EINVAL);
	a.map = NULL;
	CHECK_EQ(uringblk_file_exec_args(dev, &a, &res), -EINVAL);
}

/*
 * A byte range of a file (1.12's from and len): the extents cut at its
 * ends, and the refusals, before any command, with their messages.
 */
static void test_range(struct uringblk_dev *dev)
{
	struct uringblk_extent ext[3] = {
		{ .lba = 8, .len = 8192 },
		{ .len = 4096, .flags = URINGBLK_EXTENT_F_ZERO },
		{ .lba = 100, .len = 5000 },	/* cut at the file's size */
	};
	struct uringblk_file_map map = {
		.fd = -1, .ext = ext, .nr = 3, .block_size = 512,
		.version.size = 17288,
	};
	const struct uringblk_exec_args x = { .prog_id = 1 };
	struct uringblk_file_exec_args a = {
		.size = sizeof(a), .map = &map, .exec = &x,
	};
	struct uringblk_exec_result res;
	struct uringblk_extent *cut;
	unsigned int nr;
	char msg[128];

	/* [4096, 13000): the first extent's second half, the hole, 712 bytes */
	CHECK_EQ(uringblk__file_map_cut(&map, 4096, 13000 - 4096, &cut, &nr,
					msg, sizeof(msg)), 0);
	CHECK_EQ(nr, 3);
	CHECK_EQ(cut[0].lba, 16);
	CHECK_EQ(cut[0].len, 4096);
	CHECK_EQ(cut[1].lba, 0);
	CHECK_EQ(cut[1].len, 4096);
	CHECK_EQ(cut[1].flags, URINGBLK_EXTENT_F_ZERO);
	CHECK_EQ(cut[2].lba, 100);
	CHECK_EQ(cut[2].len, 712);
	free(cut);
	/* inside the hole, to the end (len 0) */
	CHECK_EQ(uringblk__file_map_cut(&map, 9216, 0, &cut, &nr, msg,
					sizeof(msg)), 0);
	CHECK_EQ(nr, 2);
	CHECK_EQ(cut[0].len, 3072);
	CHECK_EQ(cut[0].flags, URINGBLK_EXTENT_F_ZERO);
	CHECK_EQ(cut[1].lba, 100);
	CHECK_EQ(cut[1].len, 5000);
	free(cut);
	/* the last block of the last extent: one byte from 17287's block */
	CHECK_EQ(uringblk__file_map_cut(&map, 16896, 0, &cut, &nr, msg,
					sizeof(msg)), 0);
	CHECK_EQ(nr, 1);
	CHECK_EQ(cut[0].lba, 100 + (16896 - 12288) / 512);
	CHECK_EQ(cut[0].len, 17288 - 16896);
	free(cut);

	a.msg = msg;
	a.msg_len = sizeof(msg);
	a.from = 100;
	CHECK_EQ(uringblk_file_exec_args(dev, &a, &res), -EINVAL);
	CHECK_STR(msg, "byte 100 is not a block's start inside the file (17288 bytes, blocks of 512)");
	a.from = 17408;
	CHECK_EQ(uringblk_file_exec_args(dev, &a, &res), -EINVAL);
	map.block_size = 0;	/* not a map of uringblk_file_map()'s */
	a.from = 512;
	CHECK_EQ(uringblk_file_exec_args(dev, &a, &res), -EINVAL);
	map.block_size = 512;
	a.from = 16896;
	a.len = 17288 - 16896 + 1;
	CHECK_EQ(uringblk_file_exec_args(dev, &a, &res), -ERANGE);
	CHECK_STR(msg, "bytes 16896+393 end past the file's 17288");
}

static void test_execute(struct uringblk_dev *dev)
{
	const struct uringblk_execute_args x = { .pind = 1 };
	struct uringblk_file_map map = { .fd = -1 };
	struct uringblk_file_execute_args a = {
		.size = sizeof(a), .map = &map, .execute = &x,
	};
	struct {
		struct uringblk_file_execute_args	a;
		__u64					newer;
	} g = { .a = a };
	struct uringblk_exec_result res;
	char msg[128];

	memset(msg, 'x', sizeof(msg));
	a.msg = msg;
	a.msg_len = sizeof(msg);
	CHECK_EQ(uringblk_file_execute_args(dev, NULL, &res), -EINVAL);
	a.size = 4;
	CHECK_EQ(uringblk_file_execute_args(dev, &a, &res), -EINVAL);
	a.size = sizeof(a);
	a.flags = 2;
	CHECK_EQ(uringblk_file_execute_args(dev, &a, &res), -EINVAL);
	a.flags = 0;
	g.a = a;
	g.a.size = sizeof(g);
	g.newer = 1;
	CHECK_EQ(uringblk_file_execute_args(dev, &g.a, &res), -E2BIG);
	CHECK_EQ(msg[0], 'x');

	g.newer = 0;
	CHECK_EQ(uringblk_file_execute_args(dev, &g.a, &res), -ENODATA);
	CHECK_STR(msg, EMPTY_MSG);
	memset(msg, 'x', sizeof(msg));
	CHECK_EQ(uringblk_file_execute(dev, &map, 0, &x, &res, NULL, 0, msg,
				       sizeof(msg)), -ENODATA);
	CHECK_STR(msg, EMPTY_MSG);
	CHECK_EQ(uringblk_file_execute(dev, &map, 0, NULL, &res, NULL, 0, NULL,
				       0), -EINVAL);
	a.execute = NULL;
	CHECK_EQ(uringblk_file_execute_args(dev, &a, &res), -EINVAL);
}

int main(void)
{
	struct uringblk_dev *dev = fake_dev();

	if (dev) {
		test_exec(dev);
		test_execute(dev);
		test_range(dev);
		uringblk_close(dev);
	}
	return test_summary("file_args");
}
