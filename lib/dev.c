// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Device handles: naming, opening, the private command ring.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "private.h"

/* The private ring runs one command at a time; a few entries suffice. */
#define URINGBLK_SYNC_RING_ENTRIES	4

/*
 * Parse "<digits>" the way the kernel prints an index: no sign, no leading
 * zero, no overflow.  Returns 0 or -EINVAL.
 */
static int parse_index(const char *s, int *index)
{
	long long v = 0;

	if (!*s || (s[0] == '0' && s[1]))
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (*s - '0');
		if (v > INT_MAX)
			return -EINVAL;
	}
	*index = (int)v;
	return 0;
}

/*
 * A namespace node's suffix: the drive's NVMe front end names its
 * Computational Programs and SLM namespaces "uringblkcNn2" and
 * "uringblkcNn3" (NSIDs 2 and 3; NSID 1 is the command device itself,
 * which has no such node).  Both belong to drive N.
 */
#define URINGBLK_NS_NODE_FIRST	2
#define URINGBLK_NS_NODE_LAST	3

/* "N" or "NnM" with M a namespace node's NSID -> N */
static int parse_cdev_index(const char *s, int *index)
{
	char digits[16];
	const char *n = strchr(s, 'n');
	size_t len;

	if (!n)
		return parse_index(s, index);
	len = n - s;
	if (len >= sizeof(digits) || n[1] < '0' + URINGBLK_NS_NODE_FIRST ||
	    n[1] > '0' + URINGBLK_NS_NODE_LAST || n[2])
		return -EINVAL;
	memcpy(digits, s, len);
	digits[len] = '\0';
	return parse_index(digits, index);
}

/* "uringblkN", "uringblkcN" or a namespace node "uringblkcNn2" -> N */
static int parse_node_name(const char *name, int *index)
{
	size_t blen = strlen(URINGBLK_BLKDEV_NAME);
	size_t clen = strlen(URINGBLK_CHRDEV_NAME);

	/* Try the longer prefix first: "uringblk" is a prefix of "uringblkc". */
	if (!strncmp(name, URINGBLK_CHRDEV_NAME, clen))
		return parse_cdev_index(name + clen, index);
	if (!strncmp(name, URINGBLK_BLKDEV_NAME, blen))
		return parse_index(name + blen, index);
	return -EINVAL;
}

int uringblk_parse_dev(const char *spec, int *index)
{
	if (!spec || !index)
		return -EINVAL;
	if (!strncmp(spec, "/dev/", 5))
		return parse_node_name(spec + 5, index);
	if (*spec >= '0' && *spec <= '9')
		return parse_index(spec, index);
	return parse_node_name(spec, index);
}

/*
 * Map any device node to its kernel name via /sys/dev/{block,char}/M:m,
 * whose target's last component is the name (.../block/uringblk0,
 * .../uringblkc/uringblkc0).
 */
static int resolve_node(const char *path, int *index)
{
	char link[64], target[PATH_MAX];
	const char *name;
	struct stat st;
	ssize_t n;

	if (stat(path, &st))
		return -errno;
	if (!S_ISBLK(st.st_mode) && !S_ISCHR(st.st_mode))
		return -ENODEV;
	snprintf(link, sizeof(link), "/sys/dev/%s/%u:%u",
		 S_ISBLK(st.st_mode) ? "block" : "char",
		 major(st.st_rdev), minor(st.st_rdev));
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return errno == ENOENT ? -ENODEV : -errno;
	target[n] = '\0';
	name = strrchr(target, '/');
	name = name ? name + 1 : target;
	return parse_node_name(name, index) ? -ENODEV : 0;
}

int uringblk_dev_new(int index, int fd, const char *sysfs_dir, bool ring,
		     struct uringblk_dev **out)
{
	struct uringblk_dev *dev;
	int ret;

	dev = calloc(1, sizeof(*dev));
	if (!dev) {
		close(fd);
		return -ENOMEM;
	}
	dev->index = index;
	dev->fd = fd;
	snprintf(dev->blk_path, sizeof(dev->blk_path), "/dev/%s%d",
		 URINGBLK_BLKDEV_NAME, index);
	snprintf(dev->chr_path, sizeof(dev->chr_path), "/dev/%s%d",
		 URINGBLK_CHRDEV_NAME, index);
	if (sysfs_dir)
		ret = snprintf(dev->sysfs_dir, sizeof(dev->sysfs_dir), "%s",
			       sysfs_dir);
	else
		ret = snprintf(dev->sysfs_dir, sizeof(dev->sysfs_dir),
			       "/sys/block/%s%d", URINGBLK_BLKDEV_NAME, index);
	if (ret >= (int)sizeof(dev->sysfs_dir)) {
		ret = -ENAMETOOLONG;
		goto err_free;
	}

	if (ring) {
		/* CQE32 only to receive res2; SQE128 is what the payload needs. */
		ret = io_uring_queue_init(URINGBLK_SYNC_RING_ENTRIES, &dev->ring,
					  IORING_SETUP_SQE128 |
					  IORING_SETUP_CQE32);
		if (ret < 0)
			goto err_free;
		dev->has_ring = true;
	}
	*out = dev;
	return 0;

err_free:
	close(fd);
	free(dev);
	return ret;
}

int uringblk_open_index(int index, struct uringblk_dev **out)
{
	char path[32];
	int fd;

	if (index < 0 || !out)
		return -EINVAL;
	snprintf(path, sizeof(path), "/dev/%s%d", URINGBLK_CHRDEV_NAME, index);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	return uringblk_dev_new(index, fd, NULL, true, out);
}

int uringblk_open(const char *path, struct uringblk_dev **out)
{
	int index, ret;

	if (!path || !out)
		return -EINVAL;
	ret = uringblk_parse_dev(path, &index);
	/* Not a plain name: maybe a link or node elsewhere; ask sysfs. */
	if (ret && strchr(path, '/'))
		ret = resolve_node(path, &index);
	if (ret)
		return ret;
	return uringblk_open_index(index, out);
}

void uringblk_close(struct uringblk_dev *dev)
{
	uringblk__begin(dev);
	if (!dev)
		return;
	if (dev->has_ring)
		io_uring_queue_exit(&dev->ring);
	close(dev->fd);
	free(dev->exec_buf);
	free(dev);
}

int uringblk_index(const struct uringblk_dev *dev)
{
	return dev->index;
}

const char *uringblk_blk_path(const struct uringblk_dev *dev)
{
	return dev->blk_path;
}

const char *uringblk_chr_path(const struct uringblk_dev *dev)
{
	return dev->chr_path;
}

int uringblk_chr_fd(const struct uringblk_dev *dev)
{
	return dev->fd;
}

const char *uringblk_sysfs_dir(const struct uringblk_dev *dev)
{
	return dev->sysfs_dir;
}
