// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Runtime drives: create, remove and list them through the driver's
 * configfs interface (/sys/kernel/config/uringblk/NAME, see
 * driver/configfs.c).  Nothing here knows the attribute names: the driver
 * lists them in the subsystem's "features" file, so a newer driver's
 * attributes work without a new library.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "private.h"

/* Longest attribute value read back (configfs pages are 4 KiB). */
#define ATTR_MAX	4096

static const struct uringblk_sysroot uringblk_real_root = {
	.configfs	= URINGBLK_CONFIGFS_DIR,
	.sys_block	= "/sys/block",
	.module		= "/sys/module/uringblk",
};

/* @dir/@name into @buf of PATH_MAX; 0 or -ENAMETOOLONG. */
static int path_join(char *buf, const char *dir, const char *name)
{
	if (snprintf(buf, PATH_MAX, "%s/%s", dir, name) >= PATH_MAX)
		return -ENAMETOOLONG;
	return 0;
}

/*
 * Read a small attribute file into @buf, trailing newlines removed.
 * Returns the length or a negative errno.
 */
static int read_attr(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n < 0)
		return n;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0';
	return n;
}

/*
 * configfs hands the whole value to the driver's store in one call; no
 * O_CREAT, so a name the driver lacks is -ENOENT rather than a new file
 * (and, in tests on a plain directory, just as an unknown attribute).
 */
static int write_attr(const char *dir, const char *key, const char *val)
{
	char path[PATH_MAX];
	size_t len = strlen(val);
	ssize_t n;
	int fd;

	if (path_join(path, dir, key))
		return -ENAMETOOLONG;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	if (n < 0)
		n = -errno;
	else if ((size_t)n != len)
		n = -EIO;
	close(fd);
	return n < 0 ? (int)n : 0;
}

/* An item name configfs takes as one directory entry. */
static bool valid_name(const char *name)
{
	return name && *name && !strchr(name, '/') && strcmp(name, ".") &&
	       strcmp(name, "..") && strlen(name) <= NAME_MAX;
}

/*
 * The configfs directory must exist.  If it does not, say which of the
 * two usual causes it is.  Returns 0 or -ENODEV with @msg set.
 */
static int check_configfs(const struct uringblk_sysroot *r, char *msg,
			  size_t msg_len)
{
	if (!access(r->configfs, F_OK))
		return 0;
	if (access(r->module, F_OK))
		set_msg(msg, msg_len, "the uringblk module is not loaded "
			"(%s does not exist): insmod uringblk.ko", r->module);
	else
		set_msg(msg, msg_len, "%s does not exist: configfs is not "
			"mounted (mount -t configfs none /sys/kernel/config)",
			r->configfs);
	return -ENODEV;
}

/* Attributes the library drives itself or that are read-only. */
static bool reserved_key(const char *key)
{
	return !strcmp(key, "power") || !strcmp(key, "index") ||
	       !strcmp(key, "error");
}

/*
 * Is @key among the comma-separated names of @features?  A driver
 * without a features file is trusted: writing tells.
 */
static bool has_feature(const char *features, const char *key, size_t klen)
{
	const char *p = features;

	if (!features)
		return true;
	while (*p) {
		size_t n = strcspn(p, ",");

		if (n == klen && !strncmp(p, key, klen))
			return true;
		p += n;
		if (*p == ',')
			p++;
	}
	return false;
}

/*
 * Every "key=value" well formed, the key a writable attribute the driver
 * lists.  Returns 0 or -EINVAL with @msg naming the entry.
 */
static int check_kv(const char *const *kv, const char *features, char *msg,
		    size_t msg_len)
{
	for (; kv && *kv; kv++) {
		const char *eq = strchr(*kv, '=');
		size_t klen = eq ? (size_t)(eq - *kv) : 0;
		char key[NAME_MAX + 1];

		if (!eq || !klen || klen > NAME_MAX) {
			set_msg(msg, msg_len, "'%s' is not KEY=VALUE", *kv);
			return -EINVAL;
		}
		/* configfs does not even call the driver for an empty write */
		if (!eq[1]) {
			set_msg(msg, msg_len, "'%s' has no value", *kv);
			return -EINVAL;
		}
		memcpy(key, *kv, klen);
		key[klen] = '\0';
		if (strchr(key, '/') || reserved_key(key) ||
		    !has_feature(features, key, klen)) {
			set_msg(msg, msg_len, "unknown attribute '%s' (the driver "
				"has: %s)", key, features ? features : "?");
			return -EINVAL;
		}
	}
	return 0;
}

int uringblk_create_at(const struct uringblk_sysroot *r, const char *name,
		       const char *const *kv, int *index, char *msg,
		       size_t msg_len)
{
	char dir[PATH_MAX], path[PATH_MAX], key[NAME_MAX + 1];
	char features[ATTR_MAX], err_text[ATTR_MAX], buf[32];
	const char *const *p;
	bool have_features;
	int ret, idx;

	set_msg(msg, msg_len, "%s", "");
	if (!valid_name(name)) {
		set_msg(msg, msg_len, "'%s' is not a drive name (one path "
			"component, not . or ..)", name ? name : "(null)");
		return -EINVAL;
	}
	ret = check_configfs(r, msg, msg_len);
	if (ret)
		return ret;
	have_features = !path_join(path, r->configfs, "features") &&
			read_attr(path, features, sizeof(features)) >= 0;
	ret = check_kv(kv, have_features ? features : NULL, msg, msg_len);
	if (ret)
		return ret;

	if (path_join(dir, r->configfs, name)) {
		set_msg(msg, msg_len, "drive name too long");
		return -ENAMETOOLONG;
	}
	if (mkdir(dir, 0755)) {
		ret = -errno;
		if (ret == -EEXIST)
			set_msg(msg, msg_len, "a drive named '%s' already exists "
				"(%s)", name, dir);
		else
			set_msg(msg, msg_len, "mkdir %s: %s", dir, strerror(-ret));
		return ret;
	}

	/* From here on a failure removes the half-made item again. */
	for (p = kv; p && *p; p++) {
		const char *eq = strchr(*p, '=');

		memcpy(key, *p, eq - *p);
		key[eq - *p] = '\0';
		ret = write_attr(dir, key, eq + 1);
		if (ret == -ENOENT) {
			set_msg(msg, msg_len, "unknown attribute '%s' (no %s/%s)",
				key, dir, key);
			ret = -EINVAL;
		} else if (ret && !path_join(path, dir, "error") &&
			   read_attr(path, err_text, sizeof(err_text)) > 0) {
			/* the driver says why in "error" (0.x drivers did not always) */
			set_msg(msg, msg_len, "%s=%s: the driver refused the "
				"value: %s", key, eq + 1, err_text);
		} else if (ret) {
			set_msg(msg, msg_len, "%s=%s: the driver refused the "
				"value: %s", key, eq + 1, strerror(-ret));
		}
		if (ret)
			goto err_rmdir;
	}

	ret = write_attr(dir, "power", "1");
	if (ret) {
		if (!path_join(path, dir, "error") &&
		    read_attr(path, err_text, sizeof(err_text)) > 0) {
			set_msg(msg, msg_len, "power-on refused: %s", err_text);
		} else {
			size_t n;

			/* No reason to read back: at least show the values. */
			n = snprintf(err_text, sizeof(err_text), "%s", "");
			for (p = kv; p && *p && n < sizeof(err_text); p++)
				n += snprintf(err_text + n, sizeof(err_text) - n,
					      " %s", *p);
			set_msg(msg, msg_len, "power-on refused (%s) for%s; the "
				"kernel log says which value is wrong (dmesg)",
				strerror(-ret), n ? err_text : " the defaults");
		}
		goto err_rmdir;
	}

	ret = path_join(path, dir, "index");
	if (!ret)
		ret = read_attr(path, buf, sizeof(buf));
	if (ret >= 0)
		ret = uringblk_parse_dev(buf, &idx) ? -EBADMSG : 0;
	if (ret) {
		/* Powered but nameless: take it down rather than leak it. */
		set_msg(msg, msg_len, "%s: cannot read the index: %s", path,
			strerror(-ret));
		write_attr(dir, "power", "0");
		goto err_rmdir;
	}
	if (index)
		*index = idx;
	return 0;

err_rmdir:
	rmdir(dir);
	return ret;
}

int uringblk_create(const char *name, const char *const *kv, int *index,
		    char *msg, size_t msg_len)
{
	return uringblk_create_at(&uringblk_real_root, name, kv, index, msg,
				  msg_len);
}

static int cmp_drive(const void *a, const void *b)
{
	const struct uringblk_drive *x = a, *y = b;

	/* Powered drives by index, then unpowered items by name. */
	if ((x->index < 0) != (y->index < 0))
		return x->index < 0 ? 1 : -1;
	if (x->index != y->index)
		return x->index < y->index ? -1 : 1;
	if (!x->name || !y->name)
		return !x->name - !y->name;
	return strcmp(x->name, y->name);
}

static void free_drive(struct uringblk_drive *d)
{
	char **a;

	free(d->name);
	for (a = d->attrs; a && *a; a++)
		free(*a);
	free(d->attrs);
}

void uringblk_list_free(struct uringblk_drive *drives, int nr)
{
	int i;

	if (!drives)
		return;
	for (i = 0; i < nr; i++)
		free_drive(&drives[i]);
	free(drives);
}

/* Append an entry to *@d (of *@nr); returns it zeroed, or NULL. */
static struct uringblk_drive *add_drive(struct uringblk_drive **d, int *nr)
{
	struct uringblk_drive *n = realloc(*d, (*nr + 1) * sizeof(**d));

	if (!n)
		return NULL;
	*d = n;
	memset(&n[*nr], 0, sizeof(n[*nr]));
	n[*nr].index = -1;
	return &n[(*nr)++];
}

static int cmp_attr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of item @dir as "key=value", in @d->attrs, sorted. */
static int read_item(const char *dir, struct uringblk_drive *d)
{
	char path[PATH_MAX], val[ATTR_MAX];
	size_t nr = 0;
	struct dirent *e;
	struct stat st;
	DIR *dp;
	int ret = 0;

	dp = opendir(dir);
	if (!dp)
		return -errno;
	while ((e = readdir(dp))) {
		char **a;

		if (path_join(path, dir, e->d_name) || stat(path, &st) ||
		    !S_ISREG(st.st_mode))
			continue;
		/* Write-only or vanished attributes are left out. */
		if (read_attr(path, val, sizeof(val)) < 0)
			continue;
		a = realloc(d->attrs, (nr + 2) * sizeof(*a));
		if (!a || asprintf(&a[nr], "%s=%s", e->d_name, val) < 0) {
			if (a)
				d->attrs = a;
			ret = -ENOMEM;
			break;
		}
		d->attrs = a;
		a[++nr] = NULL;
		if (!strcmp(e->d_name, "index"))
			d->index = atoi(val);
	}
	closedir(dp);
	if (!ret && nr)
		qsort(d->attrs, nr, sizeof(*d->attrs), cmp_attr);
	return ret;
}

/* Configfs items of @r, appended to *@d. */
static int list_items(const struct uringblk_sysroot *r,
		      struct uringblk_drive **d, int *nr)
{
	char path[PATH_MAX];
	struct uringblk_drive *drv;
	struct dirent *e;
	struct stat st;
	DIR *dp;
	int ret = 0;

	dp = opendir(r->configfs);
	if (!dp)
		return errno == ENOENT ? 0 : -errno;
	while ((e = readdir(dp))) {
		if (e->d_name[0] == '.')
			continue;
		if (path_join(path, r->configfs, e->d_name) || stat(path, &st) ||
		    !S_ISDIR(st.st_mode))
			continue;
		drv = add_drive(d, nr);
		if (!drv || !(drv->name = strdup(e->d_name))) {
			ret = -ENOMEM;
			break;
		}
		ret = read_item(path, drv);
		/* removed meanwhile: not a drive any more */
		if (ret == -ENOENT) {
			free_drive(drv);
			(*nr)--;
			ret = 0;
		}
		if (ret)
			break;
	}
	closedir(dp);
	return ret;
}

/* Block devices of @r that no powered item of *@d accounts for. */
static int list_modparam(const struct uringblk_sysroot *r,
			 struct uringblk_drive **d, int *nr)
{
	struct uringblk_drive *drv;
	int i, index, items = *nr;
	struct dirent *e;
	DIR *dp;

	dp = opendir(r->sys_block);
	if (!dp)
		return -errno;
	while ((e = readdir(dp))) {
		/* /sys/block holds only block devices: no "uringblkcN" */
		if (strncmp(e->d_name, URINGBLK_BLKDEV_NAME,
			    strlen(URINGBLK_BLKDEV_NAME)) ||
		    uringblk_parse_dev(e->d_name, &index))
			continue;
		for (i = 0; i < items; i++)
			if ((*d)[i].index == index)
				break;
		if (i < items)
			continue;
		drv = add_drive(d, nr);
		if (!drv) {
			closedir(dp);
			return -ENOMEM;
		}
		drv->index = index;
	}
	closedir(dp);
	return 0;
}

int uringblk_list_at(const struct uringblk_sysroot *r,
		     struct uringblk_drive **drives, char *msg, size_t msg_len)
{
	struct uringblk_drive *d = NULL;
	int nr = 0, ret;

	set_msg(msg, msg_len, "%s", "");
	if (!drives)
		return -EINVAL;
	/* Without configfs the nr_devices drives can still be listed. */
	ret = check_configfs(r, msg, msg_len);
	if (ret && access(r->module, F_OK))
		return ret;
	set_msg(msg, msg_len, "%s", "");
	ret = list_items(r, &d, &nr);
	if (!ret)
		ret = list_modparam(r, &d, &nr);
	if (ret) {
		set_msg(msg, msg_len, "reading %s and %s: %s", r->configfs,
			r->sys_block, strerror(-ret));
		uringblk_list_free(d, nr);
		return ret;
	}
	if (nr)
		qsort(d, nr, sizeof(*d), cmp_drive);
	*drives = d;
	return nr;
}

int uringblk_list(struct uringblk_drive **drives, char *msg, size_t msg_len)
{
	return uringblk_list_at(&uringblk_real_root, drives, msg, msg_len);
}

const char *uringblk_drive_attr(const struct uringblk_drive *d,
				const char *key)
{
	size_t klen = strlen(key);
	char **a;

	for (a = d->attrs; a && *a; a++)
		if (!strncmp(*a, key, klen) && (*a)[klen] == '=')
			return *a + klen + 1;
	return NULL;
}

int uringblk_remove_at(const struct uringblk_sysroot *r, const char *name,
		       char *msg, size_t msg_len)
{
	struct uringblk_drive *d = NULL;
	char dir[PATH_MAX], path[PATH_MAX];
	const char *item = NULL;
	int i, nr, index, ret;
	struct stat st;

	set_msg(msg, msg_len, "%s", "");
	if (!name || !*name) {
		set_msg(msg, msg_len, "no drive name");
		return -EINVAL;
	}
	/* An item name wins over a device spelling ("7" may be either). */
	if (valid_name(name) && !path_join(dir, r->configfs, name) &&
	    !stat(dir, &st) && S_ISDIR(st.st_mode))
		item = name;

	if (!item && !uringblk_parse_dev(name, &index)) {
		nr = uringblk_list_at(r, &d, msg, msg_len);
		if (nr < 0)
			return nr;
		for (i = 0; i < nr; i++)
			if (d[i].index == index)
				break;
		if (i == nr) {
			set_msg(msg, msg_len, "no drive %s%d", URINGBLK_BLKDEV_NAME,
				index);
			ret = -ENOENT;
		} else if (!d[i].name) {
			set_msg(msg, msg_len, "%s%d was made by the nr_devices "
				"module parameter, not in configfs: only unloading "
				"the module removes it (rmmod uringblk)",
				URINGBLK_BLKDEV_NAME, index);
			ret = -EPERM;
		} else {
			ret = path_join(dir, r->configfs, d[i].name);
		}
		uringblk_list_free(d, nr);
		if (ret)
			return ret;
	} else if (!item) {
		ret = check_configfs(r, msg, msg_len);
		if (ret)
			return ret;
		set_msg(msg, msg_len, "no drive named '%s' in %s", name,
			r->configfs);
		return -ENOENT;
	}

	/* power = 0 first: its errors are reported, rmdir's are not specific. */
	ret = path_join(path, dir, "power");
	if (!ret && !access(path, F_OK))
		ret = write_attr(dir, "power", "0");
	if (ret) {
		set_msg(msg, msg_len, "%s: power = 0: %s", dir, strerror(-ret));
		return ret;
	}
	if (rmdir(dir)) {
		ret = -errno;
		set_msg(msg, msg_len, "rmdir %s: %s", dir, strerror(-ret));
		return ret;
	}
	return 0;
}

int uringblk_remove(const char *name, char *msg, size_t msg_len)
{
	return uringblk_remove_at(&uringblk_real_root, name, msg, msg_len);
}
