// SPDX-License-Identifier: GPL-2.0
/*
 * kv_fsck_img IMAGE: kv_fsck() (driver/kv/kv_open.c, built natively here)
 * over a kv drive's image file, every value's CRC checked, for
 * nvme_kv_crash's campaign after each power cut.  The block size is the
 * image's: 512 tried first, then 4096 (kv_fsck() refuses another one with
 * -EINVAL).  Prints what it found; exit 0 clean, 1 not, 2 not an image
 * or an I/O error.  Writes nothing (kv_fsck() only flushes).
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../driver/kv/kv_engine.h"

struct img {
	int fd;
	u32 bs;
};

static int img_read(void *ctx, u64 lba, u32 n, void *buf)
{
	struct img *m = ctx;
	size_t len = (size_t)n * m->bs;

	return pread(m->fd, buf, len, (off_t)(lba * m->bs)) == (ssize_t)len ? 0 : -EIO;
}

static int img_write(void *ctx, u64 lba, u32 n, const void *buf)
{
	return -EROFS;
}

static int img_flush(void *ctx)
{
	return 0;
}

static const struct kv_media_ops img_ops = {
	.read = img_read,
	.write = img_write,
	.flush = img_flush,
};

int main(int argc, char **argv)
{
	static const u32 sizes[] = { 512, 4096 };
	struct kv_fsck_report r;
	struct img m;
	struct stat st;
	int ret = -EINVAL;

	if (argc != 2) {
		fprintf(stderr, "usage: kv_fsck_img IMAGE\n");
		return 2;
	}
	m.fd = open(argv[1], O_RDONLY);
	if (m.fd < 0 || fstat(m.fd, &st)) {
		perror(argv[1]);
		return 2;
	}
	for (unsigned int i = 0; i < 2 && ret == -EINVAL; i++) {
		struct kv_media km = { .ops = &img_ops, .ctx = &m, .block_size = sizes[i],
				       .nblocks = st.st_size / sizes[i] };

		m.bs = sizes[i];
		ret = kv_fsck(&km, true, &r);
	}
	close(m.fd);
	printf("kv_fsck %s: %s, %llu objects, %llu records, %llu data blocks, %llu bad values, "
	       "%llu values without a CRC%s%s\n",
	       argv[1], ret ? strerror(-ret) : "clean", (unsigned long long)r.objects,
	       (unsigned long long)r.records, (unsigned long long)r.used_blocks,
	       (unsigned long long)r.values_bad, (unsigned long long)r.values_nocrc,
	       r.msg[0] ? ": " : "", r.msg);
	return !ret ? 0 : ret == -EUCLEAN ? 1 : 2;
}
