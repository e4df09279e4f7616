// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Offload over files: a file on a filesystem on the drive becomes a list
 * of extents (FIEMAP), which EXEC over extents or MEM_COPY + EXECUTE run
 * a program over; each run is followed by a check that the file did not
 * change (-ESTALE).  The extent list is built by a pure function,
 * uringblk_file_extents_build(), that the tests feed synthetic FIEMAP
 * replies.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <linux/magic.h>

#include "private.h"

/* within this of the mapping, a timestamp may not change on a write */
#define RACY_NS		(20 * 1000 * 1000LL)
#define MAP_ATTEMPTS	10
#define FIEMAP_BATCH	256

/* The FIEMAP flags that make an extent unfit to read from the drive. */
static const struct {
	__u32		flag;
	const char	*name;
	const char	*why;
} bad_flags[] = {
	{ FIEMAP_EXTENT_UNKNOWN, "FIEMAP_EXTENT_UNKNOWN",
	  "its location is not known" },
	{ FIEMAP_EXTENT_DELALLOC, "FIEMAP_EXTENT_DELALLOC",
	  "delayed allocation: no blocks yet" },
	{ FIEMAP_EXTENT_ENCODED, "FIEMAP_EXTENT_ENCODED",
	  "the blocks are encoded (compressed): not the file's bytes" },
	{ FIEMAP_EXTENT_DATA_ENCRYPTED, "FIEMAP_EXTENT_DATA_ENCRYPTED",
	  "the blocks are encrypted: not the file's bytes" },
	{ FIEMAP_EXTENT_DATA_INLINE, "FIEMAP_EXTENT_DATA_INLINE",
	  "the data live inside metadata" },
	{ FIEMAP_EXTENT_DATA_TAIL, "FIEMAP_EXTENT_DATA_TAIL",
	  "the data are packed with other files' tails" },
	{ FIEMAP_EXTENT_NOT_ALIGNED, "FIEMAP_EXTENT_NOT_ALIGNED",
	  "the data are not block-aligned" },
};

struct ext_list {
	struct uringblk_extent	*ext;
	unsigned int		nr, cap;
	__u32			bs;
};

/* Append an extent, merging it with the previous one when they touch. */
static int ext_add(struct ext_list *l, __u64 lba, __u64 len, __u32 flags)
{
	struct uringblk_extent *p = l->nr ? &l->ext[l->nr - 1] : NULL;

	if (!len)
		return 0;
	if (p && p->flags == flags && p->len + len > p->len &&
	    (flags == URINGBLK_EXTENT_F_ZERO ||
	     (p->len % l->bs == 0 && p->lba + p->len / l->bs == lba))) {
		p->len += len;
		return 0;
	}
	if (l->nr == l->cap) {
		unsigned int cap = l->cap ? 2 * l->cap : 16;
		void *n;

		if (cap < l->cap || cap > UINT_MAX / 2)
			return -ENOMEM;
		n = realloc(l->ext, cap * sizeof(*l->ext));
		if (!n)
			return -ENOMEM;
		l->ext = n;
		l->cap = cap;
	}
	l->ext[l->nr++] = (struct uringblk_extent){ .lba = lba, .len = len,
						     .flags = flags };
	return 0;
}

int uringblk_file_extents_build(const struct fiemap_extent *fe,
				unsigned int nr_fe, __u64 size,
				__u64 part_start, __u32 block_size,
				struct uringblk_extent **ext,
				unsigned int *nr, char *msg, size_t msg_len)
{
	struct ext_list l = { .bs = block_size };
	__u64 pos = 0;
	unsigned int i, j;
	int ret;

	*ext = NULL;
	*nr = 0;
	if (!block_size || (nr_fe && !fe))
		return -EINVAL;
	for (i = 0; i < nr_fe && pos < size; i++) {
		const struct fiemap_extent *e = &fe[i];
		__u64 len, phys;

		if (e->fe_logical >= size)
			break;	/* past the end: preallocated, not the file's */
		for (j = 0; j < ARRAY_SIZE(bad_flags); j++) {
			if (e->fe_flags & bad_flags[j].flag) {
				set_msg(msg, msg_len, "extent at file offset %"
					PRIu64 " is %s: %s", (uint64_t)e->fe_logical,
					bad_flags[j].name, bad_flags[j].why);
				ret = -EOPNOTSUPP;
				goto fail;
			}
		}
		if (e->fe_logical < pos || !e->fe_length ||
		    e->fe_logical + e->fe_length < e->fe_logical) {
			set_msg(msg, msg_len, "extent at file offset %" PRIu64
				" (length %" PRIu64 ") overlaps the previous one "
				"or is empty: the filesystem's map is inconsistent",
				(uint64_t)e->fe_logical, (uint64_t)e->fe_length);
			ret = -EINVAL;
			goto fail;
		}
		/* a hole before it */
		ret = ext_add(&l, 0, e->fe_logical - pos, URINGBLK_EXTENT_F_ZERO);
		if (ret)
			goto nomem;
		len = e->fe_length;
		if (len > size - e->fe_logical)
			len = size - e->fe_logical;
		if (e->fe_flags & FIEMAP_EXTENT_UNWRITTEN) {
			ret = ext_add(&l, 0, len, URINGBLK_EXTENT_F_ZERO);
		} else {
			phys = e->fe_physical + part_start;
			if (phys < part_start || phys % block_size) {
				set_msg(msg, msg_len, "extent at file offset %"
					PRIu64 " starts at drive byte %" PRIu64
					", not a multiple of the drive's block "
					"size %u", (uint64_t)e->fe_logical,
					(uint64_t)phys, block_size);
				ret = -EOPNOTSUPP;
				goto fail;
			}
			ret = ext_add(&l, phys / block_size, len, 0);
		}
		if (ret)
			goto nomem;
		pos = e->fe_logical + len;
	}
	/* a hole at the end (also: the whole of a file without extents) */
	if (pos < size) {
		ret = ext_add(&l, 0, size - pos, URINGBLK_EXTENT_F_ZERO);
		if (ret)
			goto nomem;
	}
	*ext = l.ext;
	*nr = l.nr;
	return 0;
nomem:
	set_msg(msg, msg_len, "out of memory");
fail:
	free(l.ext);
	return ret;
}

/* All the FIEMAP extents of @fd (with FIEMAP_FLAG_SYNC). */
static int fiemap_all(int fd, struct fiemap_extent **out, unsigned int *nr,
		      char *msg, size_t msg_len)
{
	struct fiemap *fm;
	struct fiemap_extent *all = NULL;
	unsigned int n = 0, cap = 0, i;
	__u64 start = 0;
	bool last = false;
	int ret = 0;

	fm = calloc(1, sizeof(*fm) + FIEMAP_BATCH * sizeof(struct fiemap_extent));
	if (!fm)
		return -ENOMEM;
	while (!last) {
		memset(fm, 0, sizeof(*fm));
		fm->fm_start = start;
		fm->fm_length = FIEMAP_MAX_OFFSET - start;
		fm->fm_flags = FIEMAP_FLAG_SYNC;
		fm->fm_extent_count = FIEMAP_BATCH;
		if (ioctl(fd, FS_IOC_FIEMAP, fm) < 0) {
			ret = -errno;
			set_msg(msg, msg_len, "FIEMAP: %s%s", strerror(errno),
				ret == -EOPNOTSUPP || ret == -ENOTTY ?
				" (the filesystem cannot map files)" : "");
			if (ret == -ENOTTY)
				ret = -EOPNOTSUPP;
			goto out;
		}
		if (!fm->fm_mapped_extents)
			break;
		if (n + fm->fm_mapped_extents > cap) {
			unsigned int c = cap ? 2 * cap : FIEMAP_BATCH;
			void *p;

			while (c < n + fm->fm_mapped_extents)
				c *= 2;
			p = realloc(all, c * sizeof(*all));
			if (!p) {
				ret = -ENOMEM;
				set_msg(msg, msg_len, "out of memory");
				goto out;
			}
			all = p;
			cap = c;
		}
		for (i = 0; i < fm->fm_mapped_extents; i++) {
			struct fiemap_extent *e = &fm->fm_extents[i];

			all[n++] = *e;
			if (e->fe_flags & FIEMAP_EXTENT_LAST)
				last = true;
			start = e->fe_logical + e->fe_length;
		}
		if (start >= FIEMAP_MAX_OFFSET)
			break;
	}
out:
	free(fm);
	if (ret) {
		free(all);
		return ret;
	}
	*out = all;
	*nr = n;
	return 0;
}

static __s64 ts_ns(const struct timespec *t)
{
	return (__s64)t->tv_sec * 1000000000LL + t->tv_nsec;
}

static __s64 now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return ts_ns(&t);
}

static int get_version(int fd, struct uringblk_file_version *v)
{
	struct stat st;
	int gen;

	if (fstat(fd, &st))
		return -errno;
	memset(v, 0, sizeof(*v));
	v->dev = st.st_dev;
	v->ino = st.st_ino;
	v->size = st.st_size;
	v->mtime_ns = ts_ns(&st.st_mtim);
	v->ctime_ns = ts_ns(&st.st_ctim);
	if (!ioctl(fd, FS_IOC_GETVERSION, &gen)) {
		v->generation = (__u32)gen;
		v->has_generation = 1;
	}
	return 0;
}

/* Which field of two versions differs, or NULL. */
static const char *version_diff(const struct uringblk_file_version *a,
				const struct uringblk_file_version *b)
{
	if (a->dev != b->dev || a->ino != b->ino)
		return "inode";
	if (a->has_generation != b->has_generation ||
	    a->generation != b->generation)
		return "generation";
	if (a->size != b->size)
		return "size";
	if (a->mtime_ns != b->mtime_ns)
		return "mtime";
	if (a->ctime_ns != b->ctime_ns)
		return "ctime";
	return NULL;
}

static int read_sysfs(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	int ret = 0;

	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f))
		ret = -EIO;
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return ret;
}

/*
 * Is device @fdev the drive (@drive) or a partition of it?  0 with
 * *@part_start in bytes, or -EXDEV.
 */
static int on_drive(dev_t fdev, dev_t drive, __u64 *part_start)
{
	char path[PATH_MAX], buf[64], want[32];
	unsigned long long start;

	*part_start = 0;
	if (fdev == drive)
		return 0;
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/partition",
		 major(fdev), minor(fdev));
	if (access(path, F_OK))
		return -EXDEV;
	/* the partition's parent is the disk */
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/../dev",
		 major(fdev), minor(fdev));
	snprintf(want, sizeof(want), "%u:%u", major(drive), minor(drive));
	if (read_sysfs(path, buf, sizeof(buf)) || strcmp(buf, want))
		return -EXDEV;
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/start",
		 major(fdev), minor(fdev));
	if (read_sysfs(path, buf, sizeof(buf)) ||
	    sscanf(buf, "%llu", &start) != 1)
		return -EXDEV;
	*part_start = (__u64)start * 512;
	return 0;
}

/* "PATH is on device M:m (fs)": the message of a file off the drive */
static void off_drive_msg(char *msg, size_t msg_len, const char *path,
			  dev_t d, long f_type, const char *not_on)
{
	const char *fs = uringblk__fs_name(f_type);
	char fsbuf[32];

	if (!fs) {
		snprintf(fsbuf, sizeof(fsbuf), "filesystem type 0x%lx",
			 (unsigned long)f_type);
		fs = fsbuf;
	}
	set_msg(msg, msg_len, "%s is on device %u:%u (%s), not on %s", path,
		major(d), minor(d), fs, not_on);
}

static const char *file_type(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO (named pipe)";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISLNK(m))
		return "a symbolic link";
	return "of an unknown type";
}

/* the checks of a file before its drive is known: 0 or the refusal */
static int check_file(const char *path, const struct stat *st, char *msg,
		      size_t msg_len)
{
	if (!S_ISREG(st->st_mode)) {
		set_msg(msg, msg_len, "%s is %s, not a regular file", path,
			file_type(st->st_mode));
		return -EINVAL;
	}
	return 0;
}

/*
 * Open the regular file @path for reading without ever blocking in
 * open(): a FIFO's open() waits for a writer, a device's may wait for
 * the device.  stat() refuses those before anything is opened; the path
 * may change in between, so the open is O_NONBLOCK (a FIFO opens at once)
 * and the fstat() of what was opened decides.  O_NONBLOCK is then
 * cleared.  The descriptor, or -errno with @msg set.
 */
static int open_file(const char *path, struct stat *st, char *msg,
		     size_t msg_len)
{
	int fd, fl, ret;

	if (stat(path, st)) {
		ret = -errno;
		set_msg(msg, msg_len, "%s: %s", path, strerror(errno));
		return ret;
	}
	ret = check_file(path, st, msg, msg_len);
	if (ret)
		return ret;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		ret = -errno;
		set_msg(msg, msg_len, "%s: %s", path, strerror(errno));
		return ret;
	}
	if (fstat(fd, st)) {
		ret = -errno;
		set_msg(msg, msg_len, "%s: %s", path, strerror(errno));
		goto fail;
	}
	ret = check_file(path, st, msg, msg_len);
	if (ret)
		goto fail;
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK)) {
		ret = -errno;
		set_msg(msg, msg_len, "%s: fcntl: %s", path, strerror(errno));
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return ret;
}

/*
 * The block device the bytes of the file open at @fd are on: st_dev, but
 * on btrfs, whose st_dev is an anonymous device of the subvolume, the
 * file system's one device (file_btrfs.c).
 */
static int file_device(int fd, const struct stat *st, const struct statfs *sfs,
		       dev_t *d, char *msg, size_t msg_len)
{
	__u64 devid;

	if (sfs->f_type != BTRFS_SUPER_MAGIC) {
		*d = st->st_dev;
		return 0;
	}
	return uringblk__btrfs_device(fd, d, &devid, msg, msg_len);
}

int uringblk_file_drive(const char *path, int *index, char *msg,
			size_t msg_len)
{
	char link[PATH_MAX], sys[64], part[PATH_MAX];
	const char *name;
	struct stat st;
	struct statfs sfs;
	ssize_t n;
	dev_t d;
	int fd, ret;

	set_msg(msg, msg_len, "%s", "");
	if (!path || !index)
		return -EINVAL;
	fd = open_file(path, &st, msg, msg_len);
	if (fd < 0)
		return fd;
	if (fstatfs(fd, &sfs)) {
		ret = -errno;
		set_msg(msg, msg_len, "%s: %s", path, strerror(errno));
		close(fd);
		return ret;
	}
	/* on btrfs its ioctls find the device */
	ret = file_device(fd, &st, &sfs, &d, msg, msg_len);
	close(fd);
	if (ret)
		return ret;
	/* /sys/dev/block/M:m -> ../../devices/.../block/uringblkN[/uringblkNpK] */
	snprintf(sys, sizeof(sys), "/sys/dev/block/%u:%u", major(d), minor(d));
	n = readlink(sys, link, sizeof(link) - 1);
	if (n > 0) {
		link[n] = '\0';
		snprintf(part, sizeof(part), "%s/partition", sys);
		if (!access(part, F_OK)) {
			/* a partition: its parent directory is the disk */
			char *slash = strrchr(link, '/');

			if (slash)
				*slash = '\0';
		}
		name = strrchr(link, '/');
		name = name ? name + 1 : link;
		if (!strncmp(name, "uringblk", 8) &&
		    !uringblk_parse_dev(name, index))
			return 0;
	}
	off_drive_msg(msg, msg_len, path, d, sfs.f_type, "a uringblk drive");
	return -EXDEV;
}

void uringblk_file_unmap(struct uringblk_file_map *map)
{
	if (!map)
		return;
	free(map->ext);
	if (map->fd >= 0)
		close(map->fd);
	memset(map, 0, sizeof(*map));
	map->fd = -1;
}

/* FIEMAP's btrfs logical addresses of @fd to its device's offsets. */
static int btrfs_translate(int fd, struct fiemap_extent **fe, unsigned int *nr,
			   char *msg, size_t msg_len)
{
	struct uringblk__btrfs_map m = { 0 };
	__u64 devid;
	dev_t d;
	int ret;

	ret = uringblk__btrfs_device(fd, &d, &devid, msg, msg_len);
	if (!ret)
		ret = uringblk__btrfs_chunks(fd, devid, &m, msg, msg_len);
	if (!ret)
		ret = uringblk__btrfs_translate(&m, fe, nr, msg, msg_len);
	uringblk__btrfs_map_free(&m);
	return ret;
}

/*
 * For the verification's test (selftests/uringblk/file_offload.sh): a
 * planted mapping bug, every data extent moved by
 * $URINGBLK_TEST_MAP_SHIFT blocks (may be negative) after FIEMAP.
 */
static void test_shift(struct uringblk_extent *ext, unsigned int nr)
{
	const char *s = secure_getenv("URINGBLK_TEST_MAP_SHIFT");
	long long n;
	unsigned int i;

	if (!s || !*s)
		return;
	n = strtoll(s, NULL, 0);
	for (i = 0; i < nr; i++)
		if (!(ext[i].flags & URINGBLK_EXTENT_F_ZERO) &&
		    (n >= 0 || ext[i].lba >= (__u64)-n))
			ext[i].lba += n;
}

/*
 * Every data extent inside the drive's @blocks: an address past the end
 * is no place on this drive (another device's: XFS realtime, f2fs over
 * several devices) whatever the rules before let through.
 */
static int check_capacity(const struct uringblk_extent *ext, unsigned int nr,
			  __u32 bs, __u64 blocks, char *msg, size_t msg_len)
{
	__u64 off = 0;
	unsigned int i;

	for (i = 0; i < nr; off += ext[i].len, i++) {
		const struct uringblk_extent *e = &ext[i];
		__u64 nb = (e->len + bs - 1) / bs;

		if (e->flags & URINGBLK_EXTENT_F_ZERO)
			continue;
		if (e->lba >= blocks || nb > blocks - e->lba) {
			set_msg(msg, msg_len, "extent at file offset %" PRIu64
				" lies at LBA %" PRIu64 "..%" PRIu64 ", beyond "
				"the drive's %" PRIu64 " blocks: the filesystem's "
				"addresses are not this drive's", (uint64_t)off,
				(uint64_t)e->lba, (uint64_t)(e->lba + nb - 1),
				(uint64_t)blocks);
			return -ERANGE;
		}
	}
	return 0;
}

/*
 * FIEMAP @fd and build its extent list (the mapping's other fields set),
 * checked against the drive's @blocks.
 */
static int map_extents(const struct uringblk_file_map *map, __u64 size,
		       __u64 blocks, struct uringblk_extent **ext,
		       unsigned int *nr, char *msg, size_t msg_len)
{
	struct fiemap_extent *fe = NULL;
	unsigned int nr_fe = 0;
	struct statfs sfs;
	int ret;

	ret = fiemap_all(map->fd, &fe, &nr_fe, msg, msg_len);
	if (ret)
		return ret;
	if (fstatfs(map->fd, &sfs)) {
		ret = -errno;
		free(fe);
		return ret;
	}
	/* btrfs: logical addresses, translated through the chunk tree */
	if (sfs.f_type == BTRFS_SUPER_MAGIC) {
		ret = btrfs_translate(map->fd, &fe, &nr_fe, msg, msg_len);
		if (ret) {
			free(fe);
			return ret;
		}
	}
	ret = uringblk_file_extents_build(fe, nr_fe, size, map->part_start,
					  map->block_size, ext, nr, msg,
					  msg_len);
	free(fe);
	if (ret)
		return ret;
	test_shift(*ext, *nr);
	ret = check_capacity(*ext, *nr, map->block_size, blocks, msg, msg_len);
	if (ret) {
		free(*ext);
		*ext = NULL;
		*nr = 0;
	}
	return ret;
}

/* URINGBLK_FILE_VERIFY=0 turns the verification off */
static bool verify_on(void)
{
	const char *s = secure_getenv("URINGBLK_FILE_VERIFY");

	return !s || strcmp(s, "0");
}

int uringblk_file_map(struct uringblk_dev *dev, const char *path,
		      struct uringblk_file_map *map, char *msg, size_t msg_len)
{
	struct uringblk_identify id;
	struct uringblk_file_version v1, v2;
	struct uringblk__fs_policy pol;
	struct stat st, bst;
	struct statfs sfs;
	const char *what;
	int attempt, ret;
	__u64 blocks;
	dev_t fdev;

	set_msg(msg, msg_len, "%s", "");
	uringblk__begin(dev);
	if (!map)
		return -EINVAL;
	memset(map, 0, sizeof(*map));
	map->fd = -1;
	if (!dev || !path)
		return -EINVAL;
	ret = uringblk_identify(dev, &id);
	if (ret) {
		set_msg(msg, msg_len, "IDENTIFY of %s failed",
			uringblk_chr_path(dev));
		return ret;
	}
	map->block_size = id.logical_block_size;
	if (!map->block_size)
		return -EIO;
	blocks = id.capacity / map->block_size;
	if (stat(uringblk_blk_path(dev), &bst)) {
		ret = -errno;
		set_msg(msg, msg_len, "%s: %s", uringblk_blk_path(dev),
			strerror(errno));
		return ret;
	}
	map->fd = open_file(path, &st, msg, msg_len);
	if (map->fd < 0) {
		ret = map->fd;
		map->fd = -1;
		return ret;
	}
	if (fstatfs(map->fd, &sfs)) {
		ret = -errno;
		set_msg(msg, msg_len, "%s: %s", path, strerror(errno));
		goto fail;
	}
	ret = file_device(map->fd, &st, &sfs, &fdev, msg, msg_len);
	if (ret)
		goto fail;
	if (on_drive(fdev, bst.st_rdev, &map->part_start)) {
		char drv[64];

		snprintf(drv, sizeof(drv), "%s (%u:%u) or a partition of it",
			 uringblk_blk_path(dev), major(bst.st_rdev),
			 minor(bst.st_rdev));
		off_drive_msg(msg, msg_len, path, fdev, sfs.f_type, drv);
		ret = -EXDEV;
		goto fail;
	}
	ret = uringblk__file_fs_policy(map->fd, &st, &sfs,
				       uringblk_blk_path(dev), map->part_start,
				       &pol, msg, msg_len);
	if (ret)
		goto fail;

	for (attempt = 0; attempt < MAP_ATTEMPTS; attempt++) {
		__s64 now, newest, age;

		ret = get_version(map->fd, &v1);
		if (ret)
			goto fail_errno;
		/*
		 * Racily clean: a write in the clock tick of the mapping may
		 * leave mtime as it is.  Map only once the newest timestamp
		 * is RACY_NS old (a timestamp far in the future is not
		 * waited for: a write sets it to now, which differs).
		 */
		now = now_ns();
		newest = v1.mtime_ns > v1.ctime_ns ? v1.mtime_ns : v1.ctime_ns;
		age = now - newest;
		if (age < RACY_NS && age > -RACY_NS) {
			__s64 wait = RACY_NS - age;
			struct timespec ts = { wait / 1000000000LL,
					       wait % 1000000000LL };

			nanosleep(&ts, NULL);
			continue;
		}
		free(map->ext);
		map->ext = NULL;
		ret = uringblk__file_settle(map->fd, &pol, msg, msg_len);
		if (!ret)
			ret = map_extents(map, v1.size, blocks, &map->ext,
					  &map->nr, msg, msg_len);
		if (ret)
			goto fail;
		ret = get_version(map->fd, &v2);
		if (ret)
			goto fail_errno;
		/* FIEMAP_FLAG_SYNC's writeback does not touch the times */
		what = version_diff(&v1, &v2);
		if (what)
			continue;
		if (verify_on()) {
			ret = uringblk__file_verify_dev(map, uringblk_blk_path(dev),
							msg, msg_len);
			if (ret) {
				/* a write meanwhile: map again; else refuse */
				if (!get_version(map->fd, &v2) &&
				    version_diff(&v1, &v2))
					continue;
				goto fail;
			}
		}
		map->version = v1;
		map->mapped_ns = now;
		return 0;
	}
	set_msg(msg, msg_len, "%s kept changing while being mapped (%d "
		"attempts)", path, MAP_ATTEMPTS);
	ret = -EAGAIN;
	goto fail;
fail_errno:
	set_msg(msg, msg_len, "%s: %s", path, strerror(-ret));
fail:
	uringblk_file_unmap(map);
	return ret;
}

int uringblk_file_check(struct uringblk_dev *dev,
			const struct uringblk_file_map *map, char *msg,
			size_t msg_len)
{
	struct uringblk_file_version v;
	struct uringblk_identify id;
	struct uringblk_extent *ext = NULL;
	unsigned int nr = 0, i;
	const char *what;
	int ret;

	uringblk__begin(dev);
	if (!dev || !map || map->fd < 0 || !map->block_size)
		return -EINVAL;
	ret = get_version(map->fd, &v);
	if (ret) {
		set_msg(msg, msg_len, "fstat after the run: %s", strerror(-ret));
		return ret;
	}
	what = version_diff(&map->version, &v);
	if (what) {
		if (!strcmp(what, "size"))
			set_msg(msg, msg_len, "the file changed since it was "
				"mapped: size %" PRIu64 " -> %" PRIu64,
				(uint64_t)map->version.size, (uint64_t)v.size);
		else
			set_msg(msg, msg_len, "the file changed since it was "
				"mapped: %s differs", what);
		return -ESTALE;
	}
	ret = uringblk_identify(dev, &id);
	if (ret) {
		set_msg(msg, msg_len, "IDENTIFY of %s failed",
			uringblk_chr_path(dev));
		return ret;
	}
	ret = map_extents(map, v.size, id.capacity / map->block_size, &ext,
			  &nr, msg, msg_len);
	if (ret == -EOPNOTSUPP || ret == -EINVAL || ret == -ERANGE) {
		/* it mapped before: it is no longer what ran */
		char why[160];

		snprintf(why, sizeof(why), "%s", msg ? msg : "");
		set_msg(msg, msg_len, "the file changed since it was mapped: "
			"now %s", why);
		return -ESTALE;
	}
	if (ret)
		return ret;
	for (i = 0; i < nr && i < map->nr; i++)
		if (memcmp(&ext[i], &map->ext[i], sizeof(*ext)))
			break;
	if (nr != map->nr || i < nr) {
		set_msg(msg, msg_len, "the file changed since it was mapped: "
			"its blocks moved (extent %u of %u differs)", i,
			map->nr);
		ret = -ESTALE;
	}
	free(ext);
	return ret;
}

/* refused before running: no result, no check */
static bool refused(int ret, const struct uringblk_exec_result *res)
{
	return ret && res->abort_code == URINGBLK_PROG_OK && !res->error;
}

/* -ESTALE (or an error of the check) after a run, else @ret */
static int after_run(struct uringblk_dev *dev,
		     const struct uringblk_file_map *map, int ret, char *msg,
		     size_t msg_len)
{
	int c = uringblk_file_check(dev, map, msg, msg_len);

	return c ? c : ret;
}

/*
 * @map's bytes [@from, @from + @len) as extents: *@ext (malloc()ed) and
 * *@nr; @len 0: to the file's end.  For uringblk_file_exec_args()'s
 * @from and @len.
 */
int uringblk__file_map_cut(const struct uringblk_file_map *map, __u64 from,
			   __u64 len, struct uringblk_extent **ext,
			   unsigned int *nr, char *msg, size_t msg_len)
{
	__u64 size = map->version.size, to, o = 0;

	if (!map->block_size || from >= size || from % map->block_size) {
		set_msg(msg, msg_len, "byte %" PRIu64 " is not a block's start "
			"inside the file (%" PRIu64 " bytes, blocks of %u)",
			(uint64_t)from, (uint64_t)size, map->block_size);
		return -EINVAL;
	}
	if (len > size - from) {
		set_msg(msg, msg_len, "bytes %" PRIu64 "+%" PRIu64 " end past "
			"the file's %" PRIu64, (uint64_t)from, (uint64_t)len,
			(uint64_t)size);
		return -ERANGE;
	}
	to = len ? from + len : size;
	*nr = 0;
	*ext = calloc(map->nr, sizeof(**ext));
	if (!*ext)
		return -ENOMEM;
	for (unsigned int i = 0; i < map->nr && o < to; o += map->ext[i++].len) {
		const struct uringblk_extent *x = &map->ext[i];
		__u64 lo = from > o ? from : o;
		__u64 hi = to < o + x->len ? to : o + x->len;
		struct uringblk_extent *e = &(*ext)[*nr];

		if (lo >= hi)
			continue;
		*e = *x;
		e->len = hi - lo;
		/* extents start on blocks, so lo - o is a multiple of one */
		if (!(x->flags & URINGBLK_EXTENT_F_ZERO))
			e->lba += (lo - o) / map->block_size;
		(*nr)++;
	}
	return 0;
}

/* uringblk_file_exec_args(), once its struct is read. */
static int file_exec(struct uringblk_dev *dev,
		     const struct uringblk_file_map *map, __u64 from,
		     __u64 len, const struct uringblk_exec_args *a,
		     struct uringblk_exec_result *res, void *out,
		     size_t out_len, char *msg, size_t msg_len)
{
	struct uringblk_extent *ext;
	struct uringblk_identify id;
	unsigned int nr;
	int ret;

	set_msg(msg, msg_len, "%s", "");
	if (!dev || !map || !a || !res)
		return -EINVAL;
	memset(res, 0, sizeof(*res));
	if (!map->nr) {
		set_msg(msg, msg_len, "the file is empty: there is no data to "
			"run over");
		return -ENODATA;
	}
	ext = map->ext;
	nr = map->nr;
	if (from || len) {
		ret = uringblk__file_map_cut(map, from, len, &ext, &nr, msg,
					     msg_len);
		if (ret)
			return ret;
	}
	ret = uringblk_identify(dev, &id);
	if (ret)
		goto out;
	if (!(id.features & URINGBLK_F_EXTENTS)) {
		set_msg(msg, msg_len, "the drive has no EXEC over extents "
			"(URINGBLK_F_EXTENTS, ABI 1.4)");
		ret = -EOPNOTSUPP;
		goto out;
	}
	if (nr > id.max_exec_extents) {
		set_msg(msg, msg_len, "the file%s has %u extents, more than "
			"the %u an EXEC takes (identify.max_exec_extents)",
			ext != map->ext ? "'s range" : "", nr,
			id.max_exec_extents);
		ret = -E2BIG;
		goto out;
	}
	ret = uringblk_exec_extents(dev, a, ext, nr, res, out, out_len);
	if (!refused(ret, res))
		ret = after_run(dev, map, ret, msg, msg_len);
out:
	if (ext != map->ext)
		free(ext);
	return ret;
}

static int copy_chunk(struct uringblk_dev *dev, __u64 slm_off,
		      const struct uringblk_copy_range *r, unsigned int n,
		      __u64 bytes, char *msg, size_t msg_len)
{
	int ret;

	if (!n)
		return 0;
	ret = uringblk_mem_copy(dev, slm_off, r, n);
	if (ret < 0) {
		set_msg(msg, msg_len, "MEM_COPY of %u ranges to SLM offset %"
			PRIu64 " failed", n, (uint64_t)slm_off);
		return ret;
	}
	if ((__u64)ret != bytes) {
		set_msg(msg, msg_len, "MEM_COPY copied %d bytes, not %" PRIu64,
			ret, (uint64_t)bytes);
		return -EIO;
	}
	return 0;
}

/*
 * Copy the file's blocks into SLM from @slm_off (a multiple of the SLM
 * granularity): MEM_COPY in chunks of at most max_set_ranges ranges and
 * max_mem_xfer bytes, holes as zero ranges.  *@setlen: the bytes copied,
 * rounded up to the granularity.  Shared by uringblk_file_execute() and
 * the vector store (vec.c).
 */
int uringblk__file_to_slm(struct uringblk_dev *dev,
			  const struct uringblk_file_map *map, __u64 slm_off,
			  const struct uringblk_identify *idp, __u64 *setlen_out,
			  char *msg, size_t msg_len)
{
	const struct uringblk_identify id = *idp;
	struct uringblk_copy_range *r = NULL;
	__u64 blocks = 0, bytes, setlen, chunk_off, chunk_bytes, max_blocks;
	unsigned int i, n = 0;
	__u32 bs;
	int ret;

	if (!(id.features & URINGBLK_F_SLM) ||
	    !(id.features & URINGBLK_F_EXTENTS)) {
		set_msg(msg, msg_len, "the drive has no SLM with zero ranges "
			"and data_len (URINGBLK_F_SLM, URINGBLK_F_EXTENTS)");
		return -EOPNOTSUPP;
	}
	bs = id.logical_block_size;
	if (!bs || bs != map->block_size || id.max_mem_xfer < bs ||
	    !id.max_set_ranges || !id.slm_granularity)
		return -EINVAL;
	if (slm_off % id.slm_granularity) {
		set_msg(msg, msg_len, "SLM offset %" PRIu64 " is not a multiple "
			"of the SLM granularity %u", (uint64_t)slm_off,
			id.slm_granularity);
		return -EINVAL;
	}
	/* blocks in SLM: only the last extent may end inside a block */
	for (i = 0; i < map->nr; i++) {
		if (i + 1 < map->nr && map->ext[i].len % bs) {
			set_msg(msg, msg_len, "extent %u (%" PRIu64 " bytes) is "
				"not a whole number of %u-byte blocks: it cannot "
				"be copied end to end", i,
				(uint64_t)map->ext[i].len, bs);
			return -EOPNOTSUPP;
		}
		blocks += (map->ext[i].len + bs - 1) / bs;
	}
	bytes = blocks * bs;
	setlen = (bytes + id.slm_granularity - 1) / id.slm_granularity *
		 id.slm_granularity;
	if (setlen > id.slm_size || slm_off > id.slm_size - setlen) {
		set_msg(msg, msg_len, "the file (%" PRIu64 " bytes, %" PRIu64
			" in SLM) does not fit in SLM (%" PRIu64 " bytes) from "
			"offset %" PRIu64, (uint64_t)map->version.size,
			(uint64_t)setlen, (uint64_t)id.slm_size,
			(uint64_t)slm_off);
		return -ERANGE;
	}

	r = calloc(id.max_set_ranges, sizeof(*r));
	if (!r)
		return -ENOMEM;
	max_blocks = id.max_mem_xfer / bs;
	chunk_off = slm_off;
	chunk_bytes = 0;
	for (i = 0; i < map->nr; i++) {
		const struct uringblk_extent *e = &map->ext[i];
		bool zero = e->flags & URINGBLK_EXTENT_F_ZERO;
		__u64 lba = e->lba, nb = (e->len + bs - 1) / bs;

		while (nb) {
			__u64 room = max_blocks - chunk_bytes / bs, take = nb;

			if (take > room)
				take = room;
			if (take > UINT32_MAX)
				take = UINT32_MAX;
			r[n++] = (struct uringblk_copy_range){
				.slba = zero ? 0 : lba, .nlb = (__u32)take,
				.flags = zero ? URINGBLK_COPY_F_ZERO : 0 };
			chunk_bytes += take * bs;
			if (!zero)
				lba += take;
			nb -= take;
			if (n == id.max_set_ranges || chunk_bytes / bs == max_blocks) {
				ret = copy_chunk(dev, chunk_off, r, n,
						 chunk_bytes, msg, msg_len);
				if (ret)
					goto out;
				chunk_off += chunk_bytes;
				chunk_bytes = 0;
				n = 0;
			}
		}
	}
	ret = copy_chunk(dev, chunk_off, r, n, chunk_bytes, msg, msg_len);
	*setlen_out = setlen;
out:
	free(r);
	return ret;
}

/* uringblk_file_execute_args(), once its struct is read. */
static int file_execute(struct uringblk_dev *dev,
			const struct uringblk_file_map *map, __u64 slm_off,
			const struct uringblk_execute_args *a,
			struct uringblk_exec_result *res, void *out,
			size_t out_len, char *msg, size_t msg_len)
{
	struct uringblk_identify id;
	struct uringblk_execute_args ea;
	struct uringblk_mem_range set;
	__u64 setlen = 0;
	int ret, rsid, d;

	set_msg(msg, msg_len, "%s", "");
	if (!dev || !map || !a || !res)
		return -EINVAL;
	memset(res, 0, sizeof(*res));
	if (!map->nr) {
		set_msg(msg, msg_len, "the file is empty: there is no data to "
			"run over");
		return -ENODATA;
	}
	ret = uringblk_identify(dev, &id);
	if (ret)
		return ret;
	ret = uringblk__file_to_slm(dev, map, slm_off, &id, &setlen, msg,
				    msg_len);
	if (ret)
		return ret;

	set.slm_off = slm_off;
	set.len = setlen;
	rsid = uringblk_range_set_create(dev, &set, 1);
	if (rsid < 0) {
		set_msg(msg, msg_len, "RANGE_SET_CREATE [%" PRIu64 ", +%" PRIu64
			") failed", (uint64_t)slm_off, (uint64_t)setlen);
		return rsid;
	}
	ea = *a;
	ea.rsid = (__u32)rsid;
	ea.data_len = map->version.size;
	ret = uringblk_execute(dev, &ea, res, out, out_len);
	d = uringblk_range_set_delete(dev, (__u32)rsid);
	if (refused(ret, res))
		return ret;
	ret = after_run(dev, map, ret, msg, msg_len);
	if (!ret && d) {
		set_msg(msg, msg_len, "RANGE_SET_DELETE of set %d failed", rsid);
		ret = d;
	}
	return ret;
}

/* The size of 1.11's struct uringblk_file_exec_args, the first one. */
#define FILE_EXEC_ARGS_SIZE_1_11 \
	(offsetof(struct uringblk_file_exec_args, msg_len) + sizeof(size_t))
#define FILE_EXECUTE_ARGS_SIZE_1_11 \
	(offsetof(struct uringblk_file_execute_args, msg_len) + sizeof(size_t))

int uringblk_file_exec_args(struct uringblk_dev *dev,
			    const struct uringblk_file_exec_args *args,
			    struct uringblk_exec_result *res)
{
	struct uringblk_file_exec_args fa;
	int ret;

	uringblk__begin(dev);
	ret = uringblk_args_in(args, FILE_EXEC_ARGS_SIZE_1_11, &fa, sizeof(fa));
	if (ret)
		return ret;
	if (fa.flags)
		return -EINVAL;
	return file_exec(dev, fa.map, fa.from, fa.len, fa.exec, res, fa.out,
			 fa.out_len, fa.msg, fa.msg_len);
}

int uringblk_file_execute_args(struct uringblk_dev *dev,
			       const struct uringblk_file_execute_args *args,
			       struct uringblk_exec_result *res)
{
	struct uringblk_file_execute_args fa;
	int ret;

	uringblk__begin(dev);
	ret = uringblk_args_in(args, FILE_EXECUTE_ARGS_SIZE_1_11, &fa,
			       sizeof(fa));
	if (ret)
		return ret;
	if (fa.flags)
		return -EINVAL;
	return file_execute(dev, fa.map, fa.slm_off, fa.execute, res, fa.out,
			    fa.out_len, fa.msg, fa.msg_len);
}

/* The 1.6 entry points, kept for their callers. */

int uringblk_file_exec(struct uringblk_dev *dev,
		       const struct uringblk_file_map *map,
		       const struct uringblk_exec_args *a,
		       struct uringblk_exec_result *res, void *out,
		       size_t out_len, char *msg, size_t msg_len)
{
	const struct uringblk_file_exec_args fa = {
		.size = sizeof(fa), .map = map, .exec = a, .out = out,
		.out_len = out_len, .msg = msg, .msg_len = msg_len,
	};

	uringblk__begin(dev);
	return uringblk_file_exec_args(dev, &fa, res);
}

int uringblk_file_execute(struct uringblk_dev *dev,
			  const struct uringblk_file_map *map, __u64 slm_off,
			  const struct uringblk_execute_args *a,
			  struct uringblk_exec_result *res, void *out,
			  size_t out_len, char *msg, size_t msg_len)
{
	const struct uringblk_file_execute_args fa = {
		.size = sizeof(fa), .map = map, .slm_off = slm_off,
		.execute = a, .out = out, .out_len = out_len, .msg = msg,
		.msg_len = msg_len,
	};

	uringblk__begin(dev);
	return uringblk_file_execute_args(dev, &fa, res);
}
