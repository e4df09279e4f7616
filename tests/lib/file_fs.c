// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Offload over files, the parts that decide without a drive (lib/file_fs.c,
 * lib/file_verify.c): the mount option and mountinfo parsers, the f2fs
 * superblock's device list on synthetic superblocks, the table of
 * confirmed filesystems, the refusal of other filesystems and its
 * override, and the verification against a fake drive (a buffer) holding
 * a real temporary file's bytes: right, shifted by one block, a hole that
 * is not zero, a short last block.  What needs real filesystems is in
 * selftests/uringblk/file_offload.sh.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>

#include "private.h"
#include "test.h"

static void test_opt_has(void)
{
	const char *o = "rw,relatime,data=journal,nodelalloc,errors=remount-ro";

	CHECK(uringblk__opt_has(o, "rw"));
	CHECK(uringblk__opt_has(o, "data=journal"));
	CHECK(uringblk__opt_has(o, "errors=remount-ro"));
	CHECK(uringblk__opt_has(o, "nodelalloc"));
	/* whole options only: neither a prefix nor a suffix */
	CHECK(!uringblk__opt_has(o, "delalloc"));
	CHECK(!uringblk__opt_has(o, "data=jour"));
	CHECK(!uringblk__opt_has(o, "data"));
	CHECK(!uringblk__opt_has("data=ordered", "data=journal"));
	CHECK(!uringblk__opt_has("", "rw"));
	CHECK(!uringblk__opt_has(NULL, "rw"));
	CHECK(!uringblk__opt_has(o, ""));
	CHECK(uringblk__opt_has("delalloc", "delalloc"));
	CHECK(uringblk__opt_has("a,,delalloc", "delalloc"));
}

static void test_mountinfo(void)
{
	/* proc(5): optional fields before " - ", super options last */
	const char *text =
		"21 1 0:20 / /sys rw,nosuid shared:7 - sysfs sysfs rw\n"
		"36 35 254:0 / /mnt/a rw,noatime master:1 - ext4 /dev/uringblk0 rw,data=ordered\n"
		"37 35 254:16 / /mnt/b rw - ext4 /dev/uringblk1 rw,data=journal\n"
		"38 35 254:16 /sub /mnt/c rw shared:9 master:2 - ext4 /dev/uringblk1 rw,data=journal\n"
		"39 35 8:1 / /mnt/d rw - xfs /dev/sda1 rw,attr2,inode64,rtdev=/dev/sdb\n"
		"bad line\n"
		"40 35 259:3 / /mnt/e rw - f2fs /dev/nvme0n1 rw,lazytime";
	char opts[64];

	CHECK_EQ(uringblk__mountinfo_opts(text, 254, 16, opts, sizeof(opts)), 0);
	CHECK_STR(opts, "rw,data=journal");
	CHECK_EQ(uringblk__mountinfo_opts(text, 254, 0, opts, sizeof(opts)), 0);
	CHECK_STR(opts, "rw,data=ordered");
	CHECK_EQ(uringblk__mountinfo_opts(text, 8, 1, opts, sizeof(opts)), 0);
	CHECK_STR(opts, "rw,attr2,inode64,rtdev=/dev/sdb");
	/* the last line has no newline */
	CHECK_EQ(uringblk__mountinfo_opts(text, 259, 3, opts, sizeof(opts)), 0);
	CHECK_STR(opts, "rw,lazytime");
	/* 254:1 is not 254:16, 25:16 not 254:16 */
	CHECK_EQ(uringblk__mountinfo_opts(text, 254, 1, opts, sizeof(opts)), -ENOENT);
	CHECK_EQ(uringblk__mountinfo_opts(text, 25, 16, opts, sizeof(opts)), -ENOENT);
	CHECK_EQ(uringblk__mountinfo_opts(text, 254, 0, opts, 5), -ENAMETOOLONG);
	CHECK_EQ(uringblk__mountinfo_opts("", 254, 0, opts, sizeof(opts)), -ENOENT);
}

/* a synthetic superblock: block 0 of the device, f2fs's at byte 1024 */
static void f2fs_sb(unsigned char *b, size_t len, __u32 magic,
		    const char *const *paths, unsigned int n)
{
	unsigned int i;

	memset(b, 0, len);
	b[1024] = magic & 0xff;
	b[1025] = magic >> 8 & 0xff;
	b[1026] = magic >> 16 & 0xff;
	b[1027] = magic >> 24 & 0xff;
	/* devs[] at 2201 in struct f2fs_super_block, 68 bytes each */
	for (i = 0; i < n; i++)
		memcpy(b + 1024 + 2201 + 68 * i, paths[i],
		       strnlen(paths[i], 64));
}

static void test_f2fs_devices(void)
{
	static const char *const two[] = { "/dev/uringblk1", "/dev/uringblk2" };
	static const char *const eight[] = { "/dev/a", "/dev/b", "/dev/c",
		"/dev/d", "/dev/e", "/dev/f", "/dev/g", "/dev/h" };
	/* a path of all 64 bytes has no NUL */
	static const char *const full[] = {
		"/dev/disk/by-id/0123456789012345678901234567890123456789abcdefgh",
		"/dev/x" };
	unsigned char b[4096];
	char names[600];
	unsigned int n;

	f2fs_sb(b, sizeof(b), F2FS_SUPER_MAGIC, NULL, 0);
	CHECK_EQ(uringblk__f2fs_devices(b, sizeof(b), &n, names, sizeof(names)), 0);
	CHECK_EQ(n, 1);
	CHECK_STR(names, "");
	f2fs_sb(b, sizeof(b), F2FS_SUPER_MAGIC, two, 2);
	CHECK_EQ(uringblk__f2fs_devices(b, sizeof(b), &n, names, sizeof(names)), 0);
	CHECK_EQ(n, 2);
	CHECK_STR(names, "/dev/uringblk1, /dev/uringblk2");
	f2fs_sb(b, sizeof(b), F2FS_SUPER_MAGIC, eight, 8);
	CHECK_EQ(uringblk__f2fs_devices(b, sizeof(b), &n, NULL, 0), 0);
	CHECK_EQ(n, 8);
	f2fs_sb(b, sizeof(b), F2FS_SUPER_MAGIC, full, 2);
	CHECK_EQ(uringblk__f2fs_devices(b, sizeof(b), &n, names, sizeof(names)), 0);
	CHECK_EQ(n, 2);
	CHECK_STR(names, "/dev/disk/by-id/0123456789012345678901234567890123456789abcdefgh"
		  ", /dev/x");
	/* not f2fs (an ext4 magic where f2fs has its own), too short */
	f2fs_sb(b, sizeof(b), EXT4_SUPER_MAGIC, two, 2);
	CHECK_EQ(uringblk__f2fs_devices(b, sizeof(b), &n, names, sizeof(names)), -EINVAL);
	f2fs_sb(b, sizeof(b), F2FS_SUPER_MAGIC, two, 2);
	CHECK_EQ(uringblk__f2fs_devices(b, 1024 + 2201 + 68 * 8 - 1, &n, NULL, 0), -EINVAL);
	CHECK_EQ(uringblk__f2fs_devices(b, 1024 + 2201 + 68 * 8, &n, NULL, 0), 0);
	CHECK_EQ(n, 2);
}

static void test_policy_table(void)
{
	struct uringblk__fs_policy p;
	struct statfs sfs;
	struct stat st;
	char msg[256];
	int fd;

	CHECK(uringblk__fs_confirmed(EXT4_SUPER_MAGIC));
	CHECK(uringblk__fs_confirmed(XFS_SUPER_MAGIC));
	CHECK(uringblk__fs_confirmed(BTRFS_SUPER_MAGIC));
	CHECK(uringblk__fs_confirmed(F2FS_SUPER_MAGIC));
	CHECK(!uringblk__fs_confirmed(MSDOS_SUPER_MAGIC));
	CHECK(!uringblk__fs_confirmed(TMPFS_MAGIC));
	CHECK(!uringblk__fs_confirmed(0x12345678));
	CHECK_STR(uringblk__fs_name(XFS_SUPER_MAGIC), "xfs");
	CHECK_STR(uringblk__fs_name(MSDOS_SUPER_MAGIC), "vfat/msdos");
	CHECK(uringblk__fs_name(0x12345678) == NULL);

	/* a filesystem not confirmed: refused by name, unless overridden */
	fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	CHECK(fd >= 0);
	CHECK_EQ(fstat(fd, &st), 0);
	memset(&sfs, 0, sizeof(sfs));
	sfs.f_type = MSDOS_SUPER_MAGIC;
	unsetenv("URINGBLK_FILE_UNCONFIRMED");
	CHECK_EQ(uringblk__file_fs_policy(fd, &st, &sfs, "/dev/null", 0, &p,
					  msg, sizeof(msg)), -EOPNOTSUPP);
	CHECK_STR(msg, "offload over files on vfat/msdos is not confirmed; set "
		  "URINGBLK_FILE_UNCONFIRMED=1 to try it (the verification "
		  "still runs)");
	sfs.f_type = 0x12345678;
	CHECK_EQ(uringblk__file_fs_policy(fd, &st, &sfs, "/dev/null", 0, &p,
					  msg, sizeof(msg)), -EOPNOTSUPP);
	CHECK(strstr(msg, "on filesystem type 0x12345678 is not confirmed"));
	setenv("URINGBLK_FILE_UNCONFIRMED", "yes", 1);	/* only "1" */
	CHECK_EQ(uringblk__file_fs_policy(fd, &st, &sfs, "/dev/null", 0, &p,
					  msg, sizeof(msg)), -EOPNOTSUPP);
	setenv("URINGBLK_FILE_UNCONFIRMED", "1", 1);
	CHECK_EQ(uringblk__file_fs_policy(fd, &st, &sfs, "/dev/null", 0, &p,
					  msg, sizeof(msg)), 0);
	CHECK(p.unconfirmed);
	CHECK(p.journaled == NULL);
	unsetenv("URINGBLK_FILE_UNCONFIRMED");
	/* f2fs whose "drive" holds no superblock: refused, saying why */
	sfs.f_type = F2FS_SUPER_MAGIC;
	CHECK(uringblk__file_fs_policy(fd, &st, &sfs, "/nonexistent/dev", 0,
				       &p, msg, sizeof(msg)) == -ENOENT);
	CHECK(strstr(msg, "cannot read the f2fs superblock on /nonexistent/dev"));
	/* a policy with nothing journaled settles nothing */
	memset(&p, 0, sizeof(p));
	CHECK_EQ(uringblk__file_settle(fd, &p, msg, sizeof(msg)), 0);
	close(fd);
}

/* ---- the verification against a fake drive ---- */

#define BS	512u

struct fake_drive {
	unsigned char	*b;
	size_t		len;
	int		reads;
};

static int fake_read(void *ctx, void *buf, size_t len, __u64 off)
{
	struct fake_drive *d = ctx;

	d->reads++;
	if (off > d->len || len > d->len - off)
		return -EIO;
	memcpy(buf, d->b + off, len);
	return 0;
}

static int verify(int fd, const struct uringblk_extent *e, unsigned int nr,
		  const __u64 *rnd, struct fake_drive *d, char *msg)
{
	msg[0] = '\0';
	d->reads = 0;
	return uringblk__file_verify(fd, e, nr, BS, rnd, fake_read, d, msg,
				     256);
}

static void test_verify(void)
{
	char path[] = "/tmp/uringblk-file-fs.XXXXXX", msg[256];
	/* the file: 3 data blocks, a hole of 2, 2.5 data blocks */
	const size_t size = 7 * BS + BS / 2;
	unsigned char *file = malloc(size);
	struct fake_drive d = { .len = 64 * BS };
	__u64 rnd[URINGBLK__VERIFY_RND] = { 0 }, r0[URINGBLK__VERIFY_RND];
	size_t i;
	int fd, k;

	d.b = calloc(1, d.len);
	fd = mkstemp(path);
	CHECK(fd >= 0 && file && d.b);
	if (fd < 0 || !file || !d.b)
		return;
	unlink(path);
	for (i = 0; i < size; i++)
		file[i] = (i / BS) * 16 + i % 13 + 1;	/* no zero byte */
	memset(file + 3 * BS, 0, 2 * BS);
	CHECK_EQ(write(fd, file, size), (ssize_t)size);
	/* on the drive: blocks 0-2 at LBA 10, blocks 5-7 at LBA 40 */
	memcpy(d.b + 10 * BS, file, 3 * BS);
	memcpy(d.b + 40 * BS, file + 5 * BS, 2 * BS + BS / 2);
	memset(d.b + 40 * BS + 2 * BS + BS / 2, 0x5a, BS / 2); /* past EOF */

	struct uringblk_extent e[] = {
		{ .lba = 10, .len = 3 * BS },
		{ .lba = 0, .len = 2 * BS, .flags = URINGBLK_EXTENT_F_ZERO },
		{ .lba = 40, .len = 2 * BS + BS / 2 },
	};
	/* every pick of every block: all agree */
	for (k = 0; k < 6; k++) {
		for (i = 0; i < URINGBLK__VERIFY_RND; i++)
			r0[i] = k + i;
		CHECK_EQ(verify(fd, e, 3, r0, &d, msg), 0);
		if (msg[0])
			fprintf(stderr, "  %s\n", msg);
	}
	/* first, last and 4 random data blocks read from the drive */
	CHECK_EQ(verify(fd, e, 3, rnd, &d, msg), 0);
	CHECK_EQ(d.reads, 6);

	/* the planted bug: data extents one block off */
	struct uringblk_extent s[] = { e[0], e[1], e[2] };
	s[0].lba++;
	s[2].lba++;
	CHECK_EQ(verify(fd, s, 3, rnd, &d, msg), -EIO);
	CHECK_STR(msg, "verification: the file's bytes at offset 0 differ from "
		  "the drive's at LBA 11 (byte 0 of the block): the mapping "
		  "does not give the file's data");
	/* only the last extent wrong: the last block catches it */
	s[0].lba--;
	CHECK_EQ(verify(fd, s, 3, rnd, &d, msg), -EIO);
	CHECK(strstr(msg, "at offset 3584 differ from the drive's at LBA 43"));
	/* only the middle of the first extent wrong: a random pick does */
	d.b[11 * BS + 7] ^= 0xff;
	rnd[0] = 1;
	CHECK_EQ(verify(fd, e, 3, rnd, &d, msg), -EIO);
	CHECK_STR(msg, "verification: the file's bytes at offset 512 differ "
		  "from the drive's at LBA 11 (byte 7 of the block): the "
		  "mapping does not give the file's data");
	d.b[11 * BS + 7] ^= 0xff;
	rnd[0] = 0;

	/* a "hole" over data: the file's bytes there are not zero */
	struct uringblk_extent h[] = {
		{ .lba = 10, .len = 2 * BS },
		{ .lba = 0, .len = 3 * BS, .flags = URINGBLK_EXTENT_F_ZERO },
		{ .lba = 40, .len = 2 * BS + BS / 2 },
	};
	CHECK_EQ(verify(fd, h, 3, rnd, &d, msg), -EIO);
	CHECK_STR(msg, "verification: the file's bytes at offset 1024 are not "
		  "zero, but the mapping has a hole or unwritten extent there");

	/* a drive that cannot be read: its errno, the LBA named */
	struct uringblk_extent far[] = { { .lba = 1000, .len = BS } };
	CHECK_EQ(verify(fd, far, 1, rnd, &d, msg), -EIO);
	CHECK(strstr(msg, "reading the drive at LBA 1000"));
	/* a map longer than the file: the file cannot be read there */
	struct uringblk_extent lng[] = { { .lba = 10, .len = 16 * BS } };
	CHECK_EQ(verify(fd, lng, 1, rnd, &d, msg), -ENODATA);
	CHECK(strstr(msg, "reading the file at offset 7680"));
	/* nothing to compare: an empty map */
	CHECK_EQ(verify(fd, NULL, 0, rnd, &d, msg), 0);
	CHECK_EQ(d.reads, 0);
	CHECK_EQ(uringblk__file_verify(fd, e, 3, 0, rnd, fake_read, &d, msg,
				       sizeof(msg)), -EINVAL);
	close(fd);
	free(file);
	free(d.b);
}

/* a FIFO, also through a symlink, is refused at once, not opened */
static void test_fifo(void)
{
	char dir[] = "/tmp/uringblk-fifo.XXXXXX", fifo[64], link[64], msg[256];
	int index = -1;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	CHECK_EQ(mkfifo(fifo, 0600), 0);
	CHECK_EQ(symlink("fifo", link), 0);
	alarm(10);	/* a regression blocks in open(): fail, not hang */
	CHECK_EQ(uringblk_file_drive(fifo, &index, msg, sizeof(msg)), -EINVAL);
	CHECK(strstr(msg, "/fifo is a FIFO (named pipe), not a regular file"));
	CHECK_EQ(uringblk_file_drive(link, &index, msg, sizeof(msg)), -EINVAL);
	CHECK(strstr(msg, "/link is a FIFO (named pipe), not a regular file"));
	CHECK_EQ(uringblk_file_drive(dir, &index, msg, sizeof(msg)), -EINVAL);
	CHECK(strstr(msg, "is a directory, not a regular file"));
	CHECK_EQ(uringblk_file_drive("/dev/null", &index, msg, sizeof(msg)),
		 -EINVAL);
	CHECK_STR(msg, "/dev/null is a character device, not a regular file");
	alarm(0);
	CHECK_EQ(index, -1);
	unlink(link);
	unlink(fifo);
	rmdir(dir);
}

int main(void)
{
	test_fifo();
	test_opt_has();
	test_mountinfo();
	test_f2fs_devices();
	test_policy_table();
	test_verify();
	return test_summary("file_fs");
}
