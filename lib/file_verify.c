// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Offload over files: the verification of a mapping.  A rule per
 * filesystem (file_fs.c) covers what was foreseen; this catches what was
 * not: a few blocks of the file are read through the file and, at the
 * LBAs the mapping gives, through the drive's block device (O_DIRECT: the
 * block device's page cache may be stale while a filesystem is mounted),
 * and compared, one drive block each; zero extents must read as zeros
 * through the file.  A
 * difference means the drive would run over other bytes than the file's.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>

#include "private.h"

/* data blocks: the first, the last and this many at random */
#define VERIFY_RANDOM_DATA	4
/* zero extents: the first block and this many at random */
#define VERIFY_RANDOM_ZERO	2

int uringblk__pread_full(int fd, void *buf, size_t len, __u64 off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t r = pread(fd, (char *)buf + done, len - done,
				  (off_t)(off + done));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (!r)
			return -ENODATA;	/* short: past the end */
		done += r;
	}
	return 0;
}

/*
 * Block @k (0-based) among the blocks of the extents that are (@zero) or
 * are not zero extents: its file offset, its drive byte and its length
 * in the file (the last block of the file may be short).
 */
static void nth_block(const struct uringblk_extent *ext, unsigned int nr,
		      __u32 bs, bool zero, __u64 k, __u64 *foff, __u64 *dbyte,
		      size_t *len)
{
	__u64 off = 0;
	unsigned int i;

	for (i = 0; i < nr; i++) {
		const struct uringblk_extent *e = &ext[i];
		__u64 nb = (e->len + bs - 1) / bs;

		if (!!(e->flags & URINGBLK_EXTENT_F_ZERO) == zero) {
			if (k < nb) {
				__u64 rest = e->len - k * bs;

				*foff = off + k * bs;
				*dbyte = (e->lba + k) * bs;
				*len = rest < bs ? rest : bs;
				return;
			}
			k -= nb;
		}
		off += e->len;
	}
}

/* @len bytes of the file at @foff, or the refusal saying where */
static int read_file(int fd, void *buf, size_t len, __u64 foff, char *msg,
		     size_t msg_len)
{
	int ret = uringblk__pread_full(fd, buf, len, foff);

	if (ret)
		set_msg(msg, msg_len, "verification: reading the file at "
			"offset %" PRIu64 ": %s", (uint64_t)foff,
			strerror(-ret));
	return ret;
}

static __u64 count_blocks(const struct uringblk_extent *ext, unsigned int nr,
			  __u32 bs, bool zero)
{
	__u64 n = 0;
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (!!(ext[i].flags & URINGBLK_EXTENT_F_ZERO) == zero)
			n += (ext[i].len + bs - 1) / bs;
	return n;
}

int uringblk__file_verify(int fd, const struct uringblk_extent *ext,
			  unsigned int nr, __u32 bs,
			  const __u64 rnd[URINGBLK__VERIFY_RND],
			  uringblk__read_fn read_drive, void *ctx,
			  char *msg, size_t msg_len)
{
	__u64 picks[URINGBLK__VERIFY_RND + 2];
	__u64 nd, nz, foff = 0, dbyte = 0;
	unsigned int i, np, r = 0;
	void *fbuf = NULL, *dbuf = NULL;
	size_t len = 0, j;
	int ret = 0;

	if (!bs || (nr && !ext) || !read_drive)
		return -EINVAL;
	if (posix_memalign(&fbuf, 4096, bs) || posix_memalign(&dbuf, 4096, bs)) {
		free(fbuf);
		return -ENOMEM;
	}

	nd = count_blocks(ext, nr, bs, false);
	np = 0;
	if (nd) {
		picks[np++] = 0;
		if (nd > 1)
			picks[np++] = nd - 1;
		for (i = 0; i < VERIFY_RANDOM_DATA && nd > 2; i++)
			picks[np++] = rnd[r++] % nd;
	}
	for (i = 0; i < np; i++) {
		nth_block(ext, nr, bs, false, picks[i], &foff, &dbyte, &len);
		ret = read_file(fd, fbuf, len, foff, msg, msg_len);
		if (ret)
			goto out;
		ret = read_drive(ctx, dbuf, bs, dbyte);
		if (ret) {
			set_msg(msg, msg_len, "verification: reading the drive "
				"at LBA %" PRIu64 ": %s", (uint64_t)(dbyte / bs),
				strerror(-ret));
			goto out;
		}
		if (memcmp(fbuf, dbuf, len)) {
			for (j = 0; j < len; j++)
				if (((char *)fbuf)[j] != ((char *)dbuf)[j])
					break;
			set_msg(msg, msg_len, "verification: the file's bytes "
				"at offset %" PRIu64 " differ from the drive's at "
				"LBA %" PRIu64 " (byte %zu of the block): the "
				"mapping does not give the file's data",
				(uint64_t)foff, (uint64_t)(dbyte / bs), j);
			ret = -EIO;
			goto out;
		}
	}

	/* holes and unwritten extents run as zeros: the file must agree */
	nz = count_blocks(ext, nr, bs, true);
	np = 0;
	r = VERIFY_RANDOM_DATA;
	if (nz) {
		picks[np++] = 0;
		for (i = 0; i < VERIFY_RANDOM_ZERO && nz > 1; i++)
			picks[np++] = rnd[r++] % nz;
	}
	for (i = 0; i < np; i++) {
		nth_block(ext, nr, bs, true, picks[i], &foff, &dbyte, &len);
		ret = read_file(fd, fbuf, len, foff, msg, msg_len);
		if (ret)
			goto out;
		for (j = 0; j < len; j++)
			if (((char *)fbuf)[j])
				break;
		if (j < len) {
			set_msg(msg, msg_len, "verification: the file's bytes "
				"at offset %" PRIu64 " are not zero, but the "
				"mapping has a hole or unwritten extent there",
				(uint64_t)(foff + j));
			ret = -EIO;
			goto out;
		}
	}
out:
	free(fbuf);
	free(dbuf);
	return ret;
}

static int read_bdev(void *ctx, void *buf, size_t len, __u64 off)
{
	return uringblk__pread_full(*(int *)ctx, buf, len, off);
}

int uringblk__file_verify_dev(const struct uringblk_file_map *map,
			      const char *bdev, char *msg, size_t msg_len)
{
	__u64 rnd[URINGBLK__VERIFY_RND];
	size_t got = 0;
	int fd, ret;

	/* the picks need not be secret, only not chosen by the file */
	while (got < sizeof(rnd)) {
		ssize_t r = getrandom((char *)rnd + got, sizeof(rnd) - got, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		got += r;
	}
	fd = open(bdev, O_RDONLY | O_CLOEXEC | O_DIRECT);
	if (fd < 0) {
		ret = -errno;
		set_msg(msg, msg_len, "verification: cannot open %s to compare "
			"the file with the drive: %s; URINGBLK_FILE_VERIFY=0 "
			"skips the verification (then a wrong mapping gives a "
			"wrong answer)", bdev, strerror(-ret));
		return ret;
	}
	ret = uringblk__file_verify(map->fd, map->ext, map->nr,
				    map->block_size, rnd, read_bdev, &fd, msg,
				    msg_len);
	close(fd);
	return ret;
}
