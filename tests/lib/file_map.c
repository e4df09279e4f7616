// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * uringblk_file_extents_build() (lib/file.c) over synthetic FIEMAP
 * replies: holes, unwritten extents, merges, the cut at the file's size,
 * extents past it, a partition's offset, each flag that refuses a file
 * (with its name in the message), misalignment, overlaps; and
 * uringblk_file_map()'s argument checks (the refusals that need a drive,
 * a file on tmpfs or btrfs, are in selftests/uringblk/file_offload.sh).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/fiemap.h>

#include "private.h"
#include "test.h"

#define BS	512u
#define K4	4096u

static struct fiemap_extent fe(__u64 logical, __u64 physical, __u64 len,
			       __u32 flags)
{
	struct fiemap_extent e;

	memset(&e, 0, sizeof(e));
	e.fe_logical = logical;
	e.fe_physical = physical;
	e.fe_length = len;
	e.fe_flags = flags;
	return e;
}

struct want {
	__u64	lba, len;
	__u32	flags;
};

#define Z	URINGBLK_EXTENT_F_ZERO

/* build and compare with @w[0..nw); returns the errno */
static int build(const struct fiemap_extent *f, unsigned int nf, __u64 size,
		 __u64 part, const struct want *w, unsigned int nw,
		 char *msg, size_t msg_len, int line)
{
	struct uringblk_extent *ext = (void *)1;
	unsigned int nr = 99, i;
	int ret;

	ret = uringblk_file_extents_build(f, nf, size, part, BS, &ext, &nr,
					  msg, msg_len);
	if (ret) {
		CHECK(ext == NULL);
		CHECK_EQ(nr, 0);
		return ret;
	}
	CHECK_EQ(nr, nw);
	if (nr != nw)
		fprintf(stderr, "  (line %d)\n", line);
	for (i = 0; i < nr && i < nw; i++) {
		if (ext[i].lba != w[i].lba || ext[i].len != w[i].len ||
		    ext[i].flags != w[i].flags || ext[i].rsvd)
			fprintf(stderr, "  line %d extent %u: got lba %llu len "
				"%llu flags %u\n", line, i,
				(unsigned long long)ext[i].lba,
				(unsigned long long)ext[i].len, ext[i].flags);
		CHECK_EQ(ext[i].lba, w[i].lba);
		CHECK_EQ(ext[i].len, w[i].len);
		CHECK_EQ(ext[i].flags, w[i].flags);
	}
	free(ext);
	return 0;
}

#define BUILD(f, nf, size, part, w, nw, msg) \
	build(f, nf, size, part, w, nw, msg, sizeof(msg), __LINE__)

static void test_simple(void)
{
	char msg[256];
	/* one extent, the file ends inside it */
	struct fiemap_extent f[] = { fe(0, 8 * K4, 2 * K4, FIEMAP_EXTENT_LAST) };
	struct want w[] = { { 64, 5000, 0 } };

	CHECK_EQ(BUILD(f, 1, 5000, 0, w, 1, msg), 0);
	/* a file smaller than a block */
	struct want w2[] = { { 64, 6, 0 } };
	CHECK_EQ(BUILD(f, 1, 6, 0, w2, 1, msg), 0);
	/* empty file: no extents at all */
	CHECK_EQ(BUILD(NULL, 0, 0, 0, NULL, 0, msg), 0);
	/* an extent that reaches past the size: cut, nothing after */
	struct want w3[] = { { 64, 2 * K4, 0 } };
	CHECK_EQ(BUILD(f, 1, 2 * K4, 0, w3, 1, msg), 0);
}

static void test_holes(void)
{
	char msg[256];
	/* hole at the start, between, and at the end */
	struct fiemap_extent f[] = {
		fe(K4, 100 * K4, K4, 0),
		fe(3 * K4, 50 * K4, K4, FIEMAP_EXTENT_LAST),
	};
	struct want w[] = {
		{ 0, K4, Z }, { 800, K4, 0 }, { 0, K4, Z }, { 400, K4, 0 },
		{ 0, 2 * K4 + 10, Z },
	};

	CHECK_EQ(BUILD(f, 2, 6 * K4 + 10, 0, w, 5, msg), 0);
	/* a sparse file without extents: one zero extent */
	struct want w2[] = { { 0, 3 * K4, Z } };
	CHECK_EQ(BUILD(NULL, 0, 3 * K4, 0, w2, 1, msg), 0);
}

static void test_unwritten_and_merge(void)
{
	char msg[256];
	struct fiemap_extent f[] = {
		/* physically contiguous: merged */
		fe(0, 10 * K4, K4, 0),
		fe(K4, 11 * K4, K4, FIEMAP_EXTENT_MERGED),
		/* contiguous in the file, not on the drive: kept apart */
		fe(2 * K4, 20 * K4, K4, 0),
		/* unwritten, then a hole: one zero extent */
		fe(3 * K4, 30 * K4, K4, FIEMAP_EXTENT_UNWRITTEN),
		/* shared (reflinked) blocks read fine */
		fe(5 * K4, 40 * K4, K4, FIEMAP_EXTENT_SHARED),
		/* past the size: ignored, even with a refusing flag */
		fe(100 * K4, 0, K4, FIEMAP_EXTENT_DELALLOC | FIEMAP_EXTENT_LAST),
	};
	struct want w[] = {
		{ 80, 2 * K4, 0 }, { 160, K4, 0 }, { 0, 2 * K4, Z },
		{ 320, K4, 0 },
	};

	CHECK_EQ(BUILD(f, 6, 6 * K4, 0, w, 4, msg), 0);
	/* everything unwritten (fallocate): zeroes */
	struct fiemap_extent u[] = {
		fe(0, 10 * K4, 4 * K4, FIEMAP_EXTENT_UNWRITTEN | FIEMAP_EXTENT_LAST),
	};
	struct want wu[] = { { 0, 4 * K4, Z } };
	CHECK_EQ(BUILD(u, 1, 4 * K4, 0, wu, 1, msg), 0);
}

static void test_partition(void)
{
	char msg[256];
	struct fiemap_extent f[] = { fe(0, K4, K4, FIEMAP_EXTENT_LAST) };

	/* a partition at sector 2048: 1 MiB further on the drive */
	struct want w[] = { { (K4 + 1048576) / BS, K4, 0 } };
	CHECK_EQ(BUILD(f, 1, K4, 2048 * 512ull, w, 1, msg), 0);
	/* a partition start that is not block aligned for 4K drives */
	struct uringblk_extent *ext;
	unsigned int nr;

	CHECK_EQ(uringblk_file_extents_build(f, 1, K4, 63 * 512ull, K4, &ext,
					     &nr, msg, sizeof(msg)), -EOPNOTSUPP);
	CHECK(strstr(msg, "not a multiple of the drive's block size 4096"));
}

static void test_refusals(void)
{
	static const struct {
		__u32		flag;
		const char	*name;
	} flags[] = {
		{ FIEMAP_EXTENT_UNKNOWN, "FIEMAP_EXTENT_UNKNOWN" },
		{ FIEMAP_EXTENT_DELALLOC, "FIEMAP_EXTENT_DELALLOC" },
		{ FIEMAP_EXTENT_ENCODED, "FIEMAP_EXTENT_ENCODED" },
		{ FIEMAP_EXTENT_DATA_ENCRYPTED, "FIEMAP_EXTENT_DATA_ENCRYPTED" },
		{ FIEMAP_EXTENT_DATA_INLINE, "FIEMAP_EXTENT_DATA_INLINE" },
		{ FIEMAP_EXTENT_DATA_TAIL, "FIEMAP_EXTENT_DATA_TAIL" },
		{ FIEMAP_EXTENT_NOT_ALIGNED, "FIEMAP_EXTENT_NOT_ALIGNED" },
	};
	char msg[256], want[128];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		struct fiemap_extent f[] = {
			fe(0, K4, K4, 0),
			fe(K4, 2 * K4, K4, flags[i].flag | FIEMAP_EXTENT_LAST),
		};

		msg[0] = '\0';
		CHECK_EQ(BUILD(f, 2, 2 * K4, 0, NULL, 0, msg), -EOPNOTSUPP);
		snprintf(want, sizeof(want), "extent at file offset 4096 is %s:",
			 flags[i].name);
		CHECK(!strncmp(msg, want, strlen(want)));
		if (strncmp(msg, want, strlen(want)))
			fprintf(stderr, "  got \"%s\"\n", msg);
	}
	/* a physical start inside a drive block */
	struct fiemap_extent m[] = { fe(0, K4 + 100, K4, FIEMAP_EXTENT_LAST) };
	CHECK_EQ(BUILD(m, 1, K4, 0, NULL, 0, msg), -EOPNOTSUPP);
	CHECK(strstr(msg, "starts at drive byte 4196, not a multiple"));
	/* overlapping extents: the map is inconsistent */
	struct fiemap_extent o[] = {
		fe(0, K4, 2 * K4, 0), fe(K4, 9 * K4, K4, FIEMAP_EXTENT_LAST),
	};
	CHECK_EQ(BUILD(o, 2, 3 * K4, 0, NULL, 0, msg), -EINVAL);
	CHECK(strstr(msg, "overlaps"));
	/* a zero-length extent */
	struct fiemap_extent e0[] = { fe(0, K4, 0, FIEMAP_EXTENT_LAST) };
	CHECK_EQ(BUILD(e0, 1, K4, 0, NULL, 0, msg), -EINVAL);
}

/* no handle: refused, and the map left empty for uringblk_file_unmap() */
static void test_not_on_drive(void)
{
	struct uringblk_file_map map;
	char msg[256];

	/* no handle: nothing to compare with */
	CHECK_EQ(uringblk_file_map(NULL, "/etc/passwd", &map, msg, sizeof(msg)),
		 -EINVAL);
	CHECK_EQ(map.fd, -1);
	CHECK(map.ext == NULL);
	uringblk_file_unmap(&map);
	uringblk_file_unmap(NULL);
}

int main(void)
{
	test_simple();
	test_holes();
	test_unwritten_and_merge();
	test_partition();
	test_refusals();
	test_not_on_drive();
	return test_summary("file_map");
}
