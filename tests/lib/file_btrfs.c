// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * btrfs address translation (lib/file_btrfs.c) on synthetic input:
 * BTRFS_IOC_TREE_SEARCH_V2 answers of chunk items (single, DUP, RAID1,
 * items of other types, out of order) parsed into the chunk map, every
 * malformed answer refused; FIEMAP extents moved to device offsets,
 * split at a chunk's end, left alone where the file layer does not read
 * them, refused outside every chunk or in a profile that spreads bytes
 * over devices; and the whole way to drive LBAs through
 * uringblk_file_extents_build().  The real file systems (btrfs and zoned
 * btrfs on a drive) are in selftests/uringblk/file_offload.sh.
 */
#include <endian.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/btrfs.h>
#include <linux/btrfs_tree.h>
#include <linux/fiemap.h>

#include "private.h"
#include "test.h"

#define MiB	(1024ULL * 1024)
#define DEVID	1

/* A search answer under construction. */
struct answer {
	char		buf[4096];
	size_t		len;
	unsigned int	nr;
};

/* Append an item of @type at key offset @offset with @stripes stripes. */
static void add_item(struct answer *a, __u8 type, __u64 offset, __u64 length,
		     __u64 chunk_type, unsigned int stripes,
		     const __u64 *devids, const __u64 *phys)
{
	struct btrfs_ioctl_search_header sh;
	struct btrfs_chunk ck;
	struct btrfs_stripe st;
	size_t item = sizeof(ck) + (stripes ? stripes - 1 : 0) * sizeof(st);
	unsigned int s;

	memset(&sh, 0, sizeof(sh));
	sh.objectid = BTRFS_FIRST_CHUNK_TREE_OBJECTID;
	sh.type = type;
	sh.offset = offset;
	sh.len = (__u32)item;
	memcpy(a->buf + a->len, &sh, sizeof(sh));
	a->len += sizeof(sh);
	memset(&ck, 0, sizeof(ck));
	ck.length = htole64(length);
	ck.type = htole64(chunk_type);
	ck.num_stripes = htole16((__u16)stripes);
	memcpy(a->buf + a->len, &ck, sizeof(ck));
	for (s = 0; s < stripes; s++) {
		memset(&st, 0, sizeof(st));
		st.devid = htole64(devids[s]);
		st.offset = htole64(phys[s]);
		memcpy(a->buf + a->len + offsetof(struct btrfs_chunk, stripe) +
		       s * sizeof(st), &st, sizeof(st));
	}
	a->len += item;
	a->nr++;
}

static void add_chunk1(struct answer *a, __u64 logical, __u64 length,
		       __u64 type, __u64 phys)
{
	const __u64 devid = DEVID;

	add_item(a, BTRFS_CHUNK_ITEM_KEY, logical, length, type, 1, &devid,
		 &phys);
}

/* The map of a small file system: data chunks at logical 1 GiB on. */
static void build_map(struct uringblk__btrfs_map *m)
{
	const __u64 devs[2] = { DEVID, DEVID }, dup[2] = { 200 * MiB, 264 * MiB };
	struct answer a = { .len = 0 };
	__u64 last = 0;
	char msg[256];

	/* out of key order: 1 GiB + 64 MiB first */
	add_chunk1(&a, 1024 * MiB + 64 * MiB, 64 * MiB,
		   BTRFS_BLOCK_GROUP_DATA, 600 * MiB);
	add_chunk1(&a, 1024 * MiB, 64 * MiB, BTRFS_BLOCK_GROUP_DATA, 8 * MiB);
	/* metadata, DUP: both stripes on the one device */
	add_item(&a, BTRFS_CHUNK_ITEM_KEY, 30 * MiB, 64 * MiB,
		 BTRFS_BLOCK_GROUP_METADATA | BTRFS_BLOCK_GROUP_DUP, 2, devs, dup);
	/* not a chunk item: skipped */
	add_item(&a, BTRFS_DEV_ITEM_KEY, 5000 * MiB, 0, 0, 1, devs, dup);
	CHECK_EQ(0, uringblk__btrfs_parse(m, a.buf, a.len, a.nr, DEVID, &last,
					  msg, sizeof(msg)));
	CHECK_EQ(5000 * MiB, last);
}

static void test_parse(void)
{
	struct uringblk__btrfs_map m = { 0 };

	build_map(&m);
	CHECK_EQ(3, m.nr);
	CHECK_EQ(30 * MiB, m.c[0].logical);
	CHECK_EQ(200 * MiB, m.c[0].physical);
	CHECK_EQ(1024 * MiB, m.c[1].logical);
	CHECK_EQ(8 * MiB, m.c[1].physical);
	CHECK_EQ(1088 * MiB, m.c[2].logical);
	CHECK_EQ(600 * MiB, m.c[2].physical);
	CHECK_EQ(64 * MiB, m.c[2].length);
	uringblk__btrfs_map_free(&m);
	CHECK(!m.c && !m.nr);
}

/* One malformed answer: -EIO and a message containing @want. */
static void refused(const struct answer *a, size_t len, const char *want)
{
	struct uringblk__btrfs_map m = { 0 };
	__u64 last = 0;
	char msg[256] = "";

	CHECK_EQ(-EIO, uringblk__btrfs_parse(&m, a->buf, len, a->nr, DEVID,
					     &last, msg, sizeof(msg)));
	CHECK(strstr(msg, want) != NULL);
	if (!strstr(msg, want))
		fprintf(stderr, "  message: %s\n", msg);
	uringblk__btrfs_map_free(&m);
}

static void test_parse_refusals(void)
{
	const __u64 other[2] = { DEVID, 2 }, phys[2] = { 0, MiB };
	struct answer a = { .len = 0 };
	struct btrfs_ioctl_search_header sh;

	/* a stripe on another device */
	add_item(&a, BTRFS_CHUNK_ITEM_KEY, 0, MiB, BTRFS_BLOCK_GROUP_DATA |
		 BTRFS_BLOCK_GROUP_RAID1, 2, other, phys);
	refused(&a, a.len, "has a stripe on device 2");
	/* an answer cut short: in the header, in the item */
	memset(&a, 0, sizeof(a));
	add_chunk1(&a, 0, MiB, 0, 0);
	refused(&a, sizeof(sh) - 1, "shorter than its 1 items");
	refused(&a, a.len - 1, "shorter than its 1 items");
	/* more items announced than there are */
	a.nr = 2;
	refused(&a, a.len, "shorter than its 2 items");
	/* no stripe */
	memset(&a, 0, sizeof(a));
	add_item(&a, BTRFS_CHUNK_ITEM_KEY, 0, MiB, 0, 0, other, phys);
	refused(&a, a.len, "0 stripes");
	/* two stripes announced, room for one */
	memset(&a, 0, sizeof(a));
	add_chunk1(&a, 0, MiB, 0, 0);
	((struct btrfs_chunk *)(a.buf + sizeof(sh)))->num_stripes = htole16(2);
	refused(&a, a.len, "2 stripes in");
	/* an item shorter than a chunk */
	memset(&a, 0, sizeof(a));
	add_chunk1(&a, 0, MiB, 0, 0);
	((struct btrfs_ioctl_search_header *)a.buf)->len = 8;
	refused(&a, a.len, "8 bytes, too short");
	/* empty, wrapping, overlapping chunks */
	memset(&a, 0, sizeof(a));
	add_chunk1(&a, 0, 0, 0, 0);
	refused(&a, a.len, "is empty or wraps");
	memset(&a, 0, sizeof(a));
	add_chunk1(&a, UINT64_MAX - 10, MiB, 0, 0);
	refused(&a, a.len, "is empty or wraps");
	memset(&a, 0, sizeof(a));
	add_chunk1(&a, 0, 2 * MiB, 0, 0);
	add_chunk1(&a, MiB, 2 * MiB, 0, 10 * MiB);
	refused(&a, a.len, "overlaps another");
}

static struct fiemap_extent *fe_array(unsigned int n)
{
	return calloc(n, sizeof(struct fiemap_extent));
}

static void set_fe(struct fiemap_extent *e, __u64 logical, __u64 phys,
		   __u64 len, __u32 flags)
{
	e->fe_logical = logical;
	e->fe_physical = phys;
	e->fe_length = len;
	e->fe_flags = flags;
}

static void test_translate(void)
{
	struct uringblk__btrfs_map m = { 0 };
	struct fiemap_extent *fe = fe_array(4);
	unsigned int nr = 4;
	char msg[256] = "";

	build_map(&m);
	/* inside the first data chunk */
	set_fe(&fe[0], 0, 1024 * MiB + 4096, 8192, 0);
	/* inline: address 0, in no chunk, left for the builder to refuse */
	set_fe(&fe[1], 8192, 0, 100, FIEMAP_EXTENT_DATA_INLINE);
	/* unwritten: read as zeroes, left alone */
	set_fe(&fe[2], 12288, 7, 4096, FIEMAP_EXTENT_UNWRITTEN);
	/* crosses from the first data chunk into the second: split */
	set_fe(&fe[3], 16384, 1088 * MiB - 4096, 12288, FIEMAP_EXTENT_LAST);
	CHECK_EQ(0, uringblk__btrfs_translate(&m, &fe, &nr, msg, sizeof(msg)));
	CHECK_EQ(5, nr);
	CHECK_EQ(8 * MiB + 4096, fe[0].fe_physical);
	CHECK_EQ(8192, fe[0].fe_length);
	CHECK_EQ(0, fe[1].fe_physical);
	CHECK_EQ(7, fe[2].fe_physical);
	CHECK_EQ(16384, fe[3].fe_logical);
	CHECK_EQ(8 * MiB + 64 * MiB - 4096, fe[3].fe_physical);
	CHECK_EQ(4096, fe[3].fe_length);
	CHECK_EQ(0, fe[3].fe_flags);
	CHECK_EQ(20480, fe[4].fe_logical);
	CHECK_EQ(600 * MiB, fe[4].fe_physical);
	CHECK_EQ(8192, fe[4].fe_length);
	CHECK_EQ(FIEMAP_EXTENT_LAST, fe[4].fe_flags);
	free(fe);

	/* outside every chunk: -EIO, and the caller's array is kept */
	fe = fe_array(1);
	nr = 1;
	set_fe(&fe[0], 0, 2000 * MiB, 4096, FIEMAP_EXTENT_LAST);
	CHECK_EQ(-EIO, uringblk__btrfs_translate(&m, &fe, &nr, msg, sizeof(msg)));
	CHECK(strstr(msg, "logical address 2097152000 is in no chunk") != NULL);
	CHECK_EQ(1, nr);
	CHECK_EQ(2000 * MiB, fe[0].fe_physical);
	/* before the first chunk */
	set_fe(&fe[0], 0, 4096, 4096, FIEMAP_EXTENT_LAST);
	CHECK_EQ(-EIO, uringblk__btrfs_translate(&m, &fe, &nr, msg, sizeof(msg)));
	/* a chunk's end reached with the extent going on into no chunk */
	set_fe(&fe[0], 0, 1152 * MiB - 4096, 8192, FIEMAP_EXTENT_LAST);
	CHECK_EQ(-EIO, uringblk__btrfs_translate(&m, &fe, &nr, msg, sizeof(msg)));
	CHECK(strstr(msg, "is in no chunk") != NULL);
	/* DUP metadata is fine (a whole copy in the first stripe) */
	set_fe(&fe[0], 0, 30 * MiB, 4096, FIEMAP_EXTENT_LAST);
	CHECK_EQ(0, uringblk__btrfs_translate(&m, &fe, &nr, msg, sizeof(msg)));
	CHECK_EQ(200 * MiB, fe[0].fe_physical);
	free(fe);
	uringblk__btrfs_map_free(&m);
}

static void test_profiles(void)
{
	const __u64 devs[2] = { DEVID, DEVID }, phys[2] = { 0, 64 * MiB };
	struct uringblk__btrfs_map m = { 0 };
	struct answer a = { .len = 0 };
	struct fiemap_extent *fe = fe_array(1);
	unsigned int nr = 1;
	__u64 last;
	char msg[256] = "";

	/* RAID0 and RAID1 with both stripes on one device (as a test can
	 * write them; mkfs needs two devices) */
	add_item(&a, BTRFS_CHUNK_ITEM_KEY, 0, 64 * MiB,
		 BTRFS_BLOCK_GROUP_DATA | BTRFS_BLOCK_GROUP_RAID1, 2, devs, phys);
	add_item(&a, BTRFS_CHUNK_ITEM_KEY, 64 * MiB, 64 * MiB,
		 BTRFS_BLOCK_GROUP_DATA | BTRFS_BLOCK_GROUP_RAID0, 2, devs, phys);
	CHECK_EQ(0, uringblk__btrfs_parse(&m, a.buf, a.len, a.nr, DEVID, &last,
					  msg, sizeof(msg)));
	set_fe(&fe[0], 0, 4096, 4096, FIEMAP_EXTENT_LAST);
	CHECK_EQ(-EOPNOTSUPP, uringblk__btrfs_translate(&m, &fe, &nr, msg,
							sizeof(msg)));
	CHECK(strstr(msg, "has the RAID1 profile") != NULL);
	set_fe(&fe[0], 0, 65 * MiB, 4096, FIEMAP_EXTENT_LAST);
	CHECK_EQ(-EOPNOTSUPP, uringblk__btrfs_translate(&m, &fe, &nr, msg,
							sizeof(msg)));
	CHECK(strstr(msg, "has the RAID0 profile") != NULL);
	free(fe);
	uringblk__btrfs_map_free(&m);
}

/* FIEMAP of a btrfs file to drive LBAs, through the file layer's builder. */
static void test_to_lbas(void)
{
	struct uringblk__btrfs_map m = { 0 };
	struct fiemap_extent *fe = fe_array(2);
	struct uringblk_extent *ext = NULL;
	unsigned int nr = 2, n = 0;
	char msg[256] = "";

	build_map(&m);
	set_fe(&fe[0], 0, 1088 * MiB - 4096, 8192, 0);
	set_fe(&fe[1], 16384, 1024 * MiB, 4096, FIEMAP_EXTENT_LAST);
	CHECK_EQ(0, uringblk__btrfs_translate(&m, &fe, &nr, msg, sizeof(msg)));
	/* on a partition at 1 MiB, 4 KiB blocks, a 20000-byte file */
	CHECK_EQ(0, uringblk_file_extents_build(fe, nr, 20000, MiB, 4096, &ext,
						&n, msg, sizeof(msg)));
	CHECK_EQ(4, n);
	if (n == 4) {
		CHECK_EQ((MiB + 72 * MiB - 4096) / 4096, ext[0].lba);
		CHECK_EQ(4096, ext[0].len);
		CHECK_EQ((MiB + 600 * MiB) / 4096, ext[1].lba);
		CHECK_EQ(4096, ext[1].len);
		CHECK_EQ(URINGBLK_EXTENT_F_ZERO, ext[2].flags);	/* the hole */
		CHECK_EQ(8192, ext[2].len);
		CHECK_EQ((MiB + 8 * MiB) / 4096, ext[3].lba);
		CHECK_EQ(20000 - 16384, ext[3].len);
	}
	free(ext);
	free(fe);
	uringblk__btrfs_map_free(&m);
}

int main(void)
{
	test_parse();
	test_parse_refusals();
	test_translate();
	test_profiles();
	test_to_lbas();
	return test_summary("file_btrfs");
}
