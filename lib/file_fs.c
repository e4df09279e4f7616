// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Offload over files: what each filesystem's FIEMAP means, decided before
 * the file is mapped (file.c calls uringblk__file_fs_policy() once the
 * file is known to be on the drive).  A wrong mapping does not fail: the
 * drive answers over the wrong blocks.  So a filesystem is taken only
 * where FIEMAP's addresses were confirmed to be the drive's bytes, and the
 * per-file cases where they are not (XFS realtime, fscrypt, ext4 journaled
 * data, f2fs over several devices) are refused or fixed by name.  The
 * parsers (mount options, mountinfo, the f2fs superblock) are pure, for
 * the tests (tests/lib/file_fs.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <linux/fs.h>
#include <linux/magic.h>

#include "private.h"

/* ext4's "write the journal's blocks home" (fs/ext4/ioctl.c, 5.13+) */
#ifndef EXT4_IOC_CHECKPOINT
#define EXT4_IOC_CHECKPOINT	_IOW('f', 43, __u32)
#endif

#define F2FS_SB_OFFSET		1024	/* F2FS_SUPER_OFFSET */
#define F2FS_SB_DEVS		2201	/* offsetof(struct f2fs_super_block, devs) */
#define F2FS_DEV_SIZE		68	/* path[64] + __le32 total_segments */
#define F2FS_MAX_DEVICES	8
#define F2FS_SB_READ		4096	/* block 0 holds the first copy */

static const struct {
	long		type;
	const char	*name;
	bool		confirmed;	/* FIEMAP's addresses checked on it */
} fs_table[] = {
	{ EXT4_SUPER_MAGIC,		"ext2/3/4",	true },
	{ XFS_SUPER_MAGIC,		"xfs",		true },
	{ BTRFS_SUPER_MAGIC,		"btrfs",	true },
	{ F2FS_SUPER_MAGIC,		"f2fs",		true },
	{ TMPFS_MAGIC,			"tmpfs",	false },
	{ OVERLAYFS_SUPER_MAGIC,	"overlayfs",	false },
	{ NFS_SUPER_MAGIC,		"nfs",		false },
	{ 0x01021997,			"9p",		false },
	{ 0x65735546,			"fuse",		false },
	{ SQUASHFS_MAGIC,		"squashfs",	false },
	{ MSDOS_SUPER_MAGIC,		"vfat/msdos",	false },
	{ 0x3434,			"nilfs2",	false },
	{ 0x01161970,			"gfs2",		false },
	{ 0x7461636f,			"ocfs2",	false },
	{ 0x7366746e,			"ntfs3",	false },
	{ 0xE0F5E1E2,			"erofs",	false },
	{ MINIX_SUPER_MAGIC,		"minix",	false },
	{ MINIX_SUPER_MAGIC2,		"minix",	false },
	{ MINIX2_SUPER_MAGIC,		"minix2",	false },
	{ MINIX2_SUPER_MAGIC2,		"minix2",	false },
	{ MINIX3_SUPER_MAGIC,		"minix3",	false },
};

const char *uringblk__fs_name(long type)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fs_table); i++)
		if (fs_table[i].type == type)
			return fs_table[i].name;
	return NULL;
}

bool uringblk__fs_confirmed(long type)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fs_table); i++)
		if (fs_table[i].type == type)
			return fs_table[i].confirmed;
	return false;
}

bool uringblk__opt_has(const char *opts, const char *opt)
{
	size_t n = strlen(opt);
	const char *p = opts;

	if (!opts || !n)
		return false;
	while (*p) {
		size_t len = strcspn(p, ",");

		if (len == n && !strncmp(p, opt, n))
			return true;
		p += len;
		if (*p == ',')
			p++;
	}
	return false;
}

int uringblk__mountinfo_opts(const char *text, unsigned int maj,
			     unsigned int min, char *opts, size_t len)
{
	const char *line = text;

	if (!text || !opts || !len)
		return -EINVAL;
	while (*line) {
		const char *end = strchr(line, '\n'), *sep;
		unsigned int a, b;
		char fstype[64], source[256], sopts[4096];
		size_t ll = end ? (size_t)(end - line) : strlen(line);
		char buf[8192];

		if (ll >= sizeof(buf))
			goto next;
		memcpy(buf, line, ll);
		buf[ll] = '\0';
		/* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [TAGS...] - TYPE SOURCE SOPTS */
		if (sscanf(buf, "%*u %*u %u:%u", &a, &b) != 2 || a != maj ||
		    b != min)
			goto next;
		sep = strstr(buf, " - ");
		if (!sep || sscanf(sep + 3, "%63s %255s %4095s", fstype, source,
				   sopts) != 3)
			goto next;
		if (strlen(sopts) >= len)
			return -ENAMETOOLONG;
		strcpy(opts, sopts);
		return 0;
next:
		if (!end)
			break;
		line = end + 1;
	}
	return -ENOENT;
}

int uringblk__f2fs_devices(const void *sb, size_t len, unsigned int *ndev,
			   char *names, size_t names_len)
{
	const unsigned char *p = sb;
	unsigned int i, n = 0;
	__u32 magic;

	*ndev = 0;
	if (names && names_len)
		*names = '\0';
	if (len < F2FS_SB_OFFSET + F2FS_SB_DEVS +
		  F2FS_MAX_DEVICES * F2FS_DEV_SIZE)
		return -EINVAL;
	p += F2FS_SB_OFFSET;
	magic = p[0] | p[1] << 8 | p[2] << 16 | (__u32)p[3] << 24;
	if (magic != F2FS_SUPER_MAGIC)
		return -EINVAL;
	/* devs[0].path is empty on a file system of one device */
	for (i = 0; i < F2FS_MAX_DEVICES; i++) {
		const char *path = (const char *)p + F2FS_SB_DEVS +
				   i * F2FS_DEV_SIZE;
		size_t pl = strnlen(path, 64);

		if (!pl)
			break;
		n++;
		if (names && names_len) {
			size_t used = strlen(names);

			snprintf(names + used, names_len - used, "%s%.*s",
				 used ? ", " : "", (int)pl, path);
		}
	}
	*ndev = n ? n : 1;
	return 0;
}

/* the whole of a small file (mountinfo, an options file), NUL-ended */
static char *slurp(const char *path)
{
	size_t cap = 16384, n = 0;
	char *buf = malloc(cap);
	int fd;

	if (!buf)
		return NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(buf);
		return NULL;
	}
	for (;;) {
		ssize_t r;

		if (n + 1 == cap) {
			char *nb = cap < (1u << 24) ? realloc(buf, 2 * cap) : NULL;

			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += r;
	}
	close(fd);
	if (buf)
		buf[n] = '\0';
	return buf;
}

/*
 * The ext4 mount options of device @d, comma-separated:
 * /proc/fs/ext4/NAME/options lists them all, one a line (data= and
 * delalloc included: _ext4_show_options() with nodefs), while
 * mountinfo shows only those that differ from the superblock's defaults:
 * a file system made with `tune2fs -o journal_data` shows no data=journal
 * there.  mountinfo is the fallback.  0, or -ENOENT when neither says.
 */
static int ext4_opts(dev_t d, char *opts, size_t len)
{
	char path[PATH_MAX + 32], link[PATH_MAX], *text;
	const char *name;
	ssize_t n;
	int ret;

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u", major(d), minor(d));
	n = readlink(path, link, sizeof(link) - 1);
	if (n > 0) {
		link[n] = '\0';
		name = strrchr(link, '/');
		snprintf(path, sizeof(path), "/proc/fs/ext4/%s/options",
			 name ? name + 1 : link);
		text = slurp(path);
		if (text && *text) {
			char *c;

			/* one option a line there */
			for (c = text; *c; c++)
				if (*c == '\n')
					*c = ',';
			snprintf(opts, len, "%s", text);
			free(text);
			return 0;
		}
		free(text);
	}
	text = slurp("/proc/self/mountinfo");
	if (!text)
		return -ENOENT;
	ret = uringblk__mountinfo_opts(text, major(d), minor(d), opts, len);
	free(text);
	return ret;
}

static int get_flags(int fd, unsigned int *flags)
{
	int f = 0;

	if (ioctl(fd, FS_IOC_GETFLAGS, &f))
		return -errno;
	*flags = (unsigned int)f;
	return 0;
}

static int refuse_encrypted(int fd, const char *fs, char *msg, size_t msg_len)
{
	unsigned int flags = 0;

	if (!get_flags(fd, &flags) && (flags & FS_ENCRYPT_FL)) {
		set_msg(msg, msg_len, "the file is encrypted (fscrypt, on %s): "
			"the blocks hold ciphertext", fs);
		return -EOPNOTSUPP;
	}
	return 0;
}

static int policy_ext4(int fd, const struct stat *st,
		       struct uringblk__fs_policy *p, char *msg, size_t msg_len)
{
	char opts[4096] = "";
	unsigned int flags = 0;
	bool known;
	int ret;

	ret = refuse_encrypted(fd, "ext4", msg, msg_len);
	if (ret)
		return ret;
	get_flags(fd, &flags);
	known = !ext4_opts(st->st_dev, opts, sizeof(opts));
	/*
	 * ext4_inode_journal_mode(): data=journal journals every regular
	 * file's data; the per-file flag (chattr +j) only on a nodelalloc
	 * mount.  Options not known: take +j as journaled (the checkpoint
	 * is harmless where it was not needed).
	 */
	if (known && uringblk__opt_has(opts, "data=journal"))
		p->journaled = "the file system is mounted data=journal";
	else if ((flags & FS_JOURNAL_DATA_FL) &&
		 (!known || !uringblk__opt_has(opts, "delalloc")))
		p->journaled = "the file has the journal-data flag (chattr +j) "
			       "on a nodelalloc mount";
	return 0;
}

static int policy_xfs(int fd, char *msg, size_t msg_len)
{
	struct fsxattr fa;

	memset(&fa, 0, sizeof(fa));
	if (ioctl(fd, FS_IOC_FSGETXATTR, &fa)) {
		int ret = -errno;

		set_msg(msg, msg_len, "FS_IOC_FSGETXATTR on an XFS file: %s: "
			"cannot tell whether it is on the realtime device",
			strerror(-ret));
		return ret;
	}
	if (fa.fsx_xflags & FS_XFLAG_REALTIME) {
		set_msg(msg, msg_len, "the file is on the XFS realtime device: "
			"FIEMAP's addresses are on that device, not on the "
			"data device");
		return -EOPNOTSUPP;
	}
	return 0;
}

/*
 * f2fs over several devices (mkfs.f2fs -c) numbers its blocks across all
 * of them: FIEMAP's addresses past the first device are on the next.
 * Only the superblock's devs[] says so; it is read through the drive.
 */
static int policy_f2fs(int fd, const char *bdev, __u64 part_start,
		       char *msg, size_t msg_len)
{
	char names[8 * 70];
	unsigned int ndev;
	void *buf;
	int ret, bfd;

	ret = refuse_encrypted(fd, "f2fs", msg, msg_len);
	if (ret)
		return ret;
	bfd = open(bdev, O_RDONLY | O_CLOEXEC | O_DIRECT);
	if (bfd < 0) {
		ret = -errno;
		set_msg(msg, msg_len, "cannot read the f2fs superblock on %s "
			"to see how many devices the file system spans: %s",
			bdev, strerror(-ret));
		return ret;
	}
	if (posix_memalign(&buf, 4096, F2FS_SB_READ)) {
		close(bfd);
		return -ENOMEM;
	}
	ret = uringblk__pread_full(bfd, buf, F2FS_SB_READ, part_start);
	close(bfd);
	if (ret) {
		set_msg(msg, msg_len, "reading the f2fs superblock on %s at "
			"byte %" PRIu64 ": %s", bdev, (uint64_t)part_start,
			strerror(-ret));
		free(buf);
		return ret;
	}
	ret = uringblk__f2fs_devices(buf, F2FS_SB_READ, &ndev, names,
				     sizeof(names));
	free(buf);
	if (ret) {
		set_msg(msg, msg_len, "no f2fs superblock at byte %" PRIu64
			" of %s: cannot tell how many devices the file system "
			"spans", (uint64_t)part_start + F2FS_SB_OFFSET, bdev);
		return -EOPNOTSUPP;
	}
	if (ndev > 1) {
		set_msg(msg, msg_len, "the f2fs file system spans %u devices "
			"(%s): its block addresses run across all of them, "
			"offload needs it on one drive alone", ndev, names);
		return -EOPNOTSUPP;
	}
	return 0;
}

int uringblk__file_fs_policy(int fd, const struct stat *st,
			     const struct statfs *sfs, const char *bdev,
			     __u64 part_start, struct uringblk__fs_policy *p,
			     char *msg, size_t msg_len)
{
	const char *name = uringblk__fs_name(sfs->f_type), *env;
	char buf[32];

	memset(p, 0, sizeof(*p));
	switch (sfs->f_type) {
	case EXT4_SUPER_MAGIC:
		return policy_ext4(fd, st, p, msg, msg_len);
	case XFS_SUPER_MAGIC:
		return policy_xfs(fd, msg, msg_len);
	case BTRFS_SUPER_MAGIC:
		return 0;	/* file_btrfs.c translates, refuses by name */
	case F2FS_SUPER_MAGIC:
		return policy_f2fs(fd, bdev, part_start, msg, msg_len);
	}
	env = secure_getenv("URINGBLK_FILE_UNCONFIRMED");
	if (env && !strcmp(env, "1")) {
		p->unconfirmed = true;
		return 0;
	}
	if (!name) {
		snprintf(buf, sizeof(buf), "filesystem type 0x%lx",
			 (unsigned long)sfs->f_type);
		name = buf;
	}
	set_msg(msg, msg_len, "offload over files on %s is not confirmed; set "
		"URINGBLK_FILE_UNCONFIRMED=1 to try it (the verification "
		"still runs)", name);
	return -EOPNOTSUPP;
}

int uringblk__file_settle(int fd, const struct uringblk__fs_policy *p,
			  char *msg, size_t msg_len)
{
	__u32 flags = 0;
	int ret;

	if (!p->journaled)
		return 0;
	/*
	 * Journaled data reach the journal on commit and their home blocks
	 * (the ones FIEMAP names) only at a checkpoint: FIEMAP_FLAG_SYNC
	 * alone leaves the drive's blocks old or empty.
	 */
	if (fsync(fd)) {
		ret = -errno;
		set_msg(msg, msg_len, "fsync before the journal checkpoint: %s",
			strerror(-ret));
		return ret;
	}
	if (!ioctl(fd, EXT4_IOC_CHECKPOINT, &flags))
		return 0;
	ret = -errno;
	if (ret == -ENODEV)	/* no journal: nothing is journaled */
		return 0;
	if (ret == -EPERM)
		set_msg(msg, msg_len, "journaled data (%s): the blocks FIEMAP "
			"names get the data only at a journal checkpoint, and "
			"EXT4_IOC_CHECKPOINT needs CAP_SYS_ADMIN", p->journaled);
	else
		set_msg(msg, msg_len, "journaled data (%s): "
			"EXT4_IOC_CHECKPOINT failed: %s", p->journaled,
			strerror(-ret));
	return ret;
}
