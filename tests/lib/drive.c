// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Runtime drives (create/remove/list) on a fake configfs and sysfs tree:
 * the errnos and messages of every refusal, cleanup of a half-made item,
 * listing of items, attributes and nr_devices drives, and how remove
 * resolves names.  What only the real driver can show (a successful
 * power-on) is tested in the VM (selftests/uringblk/drive_cli.sh).
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "private.h"
#include "test.h"

static char root[] = "/tmp/uringblk-drive-XXXXXX";
static char cfs[64], blk[64], mod[64];
static const struct uringblk_sysroot r = { cfs, blk, mod };
static char msg[512];

static void put(const char *dir, const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

static void mkdirf(const char *fmt, const char *a, const char *b)
{
	char path[256];

	snprintf(path, sizeof(path), fmt, a, b);
	CHECK_EQ(mkdir(path, 0755), 0);
}

static bool exists(const char *dir, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return !access(path, F_OK);
}

#define CHECK_MSG(needle) do {						\
	if (!strstr(msg, needle))					\
		fprintf(stderr, "message \"%s\" lacks \"%s\"\n", msg, needle); \
	CHECK(strstr(msg, needle) != NULL);				\
} while (0)

static void test_no_module(void)
{
	const char *kv[] = { "capacity_mb=64", NULL };
	struct uringblk_drive *d = NULL;
	int index = 77;

	CHECK_EQ(uringblk_create_at(&r, "x", kv, &index, msg, sizeof(msg)), -ENODEV);
	CHECK_MSG("module is not loaded");
	CHECK_EQ(index, 77);
	CHECK_EQ(uringblk_list_at(&r, &d, msg, sizeof(msg)), -ENODEV);
	CHECK_MSG("module is not loaded");
	CHECK_EQ(uringblk_remove_at(&r, "x", msg, sizeof(msg)), -ENODEV);
	CHECK_MSG("module is not loaded");

	/* loaded, but configfs not mounted: nr_devices drives still list */
	CHECK_EQ(mkdir(mod, 0755), 0);
	CHECK_EQ(uringblk_create_at(&r, "x", kv, &index, msg, sizeof(msg)), -ENODEV);
	CHECK_MSG("configfs is not mounted");
	mkdirf("%s/%s", blk, "uringblk0");
	CHECK_EQ(uringblk_list_at(&r, &d, msg, sizeof(msg)), 1);
	CHECK_EQ(d[0].index, 0);
	CHECK(d[0].name == NULL);
	CHECK_STR(msg, "");
	uringblk_list_free(d, 1);
	CHECK_EQ(uringblk_remove_at(&r, "0", msg, sizeof(msg)), -EPERM);
	CHECK_MSG("nr_devices");
}

static void test_create_refused(void)
{
	const char *unknown[] = { "block_size=512", "frob=1", NULL };
	const char *noeq[] = { "block_size", NULL };
	const char *nokey[] = { "=4", NULL };
	const char *noval[] = { "block_size=", NULL };
	const char *power[] = { "power=1", NULL };
	const char *missing[] = { "capacity_mb=64", NULL };
	char dir[128];

	CHECK_EQ(mkdir(cfs, 0755), 0);
	put(cfs, "features", "block_size,capacity_mb,index,power\n");

	CHECK_EQ(uringblk_create_at(&r, "d", unknown, NULL, msg, sizeof(msg)), -EINVAL);
	CHECK_MSG("unknown attribute 'frob'");
	CHECK_MSG("block_size,capacity_mb");
	CHECK(!exists(cfs, "d"));	/* checked before anything is made */
	CHECK_EQ(uringblk_create_at(&r, "d", noeq, NULL, msg, sizeof(msg)), -EINVAL);
	CHECK_MSG("'block_size' is not KEY=VALUE");
	CHECK_EQ(uringblk_create_at(&r, "d", nokey, NULL, msg, sizeof(msg)), -EINVAL);
	CHECK_EQ(uringblk_create_at(&r, "d", noval, NULL, msg, sizeof(msg)), -EINVAL);
	CHECK_MSG("'block_size=' has no value");
	CHECK_EQ(uringblk_create_at(&r, "d", power, NULL, msg, sizeof(msg)), -EINVAL);
	CHECK_MSG("unknown attribute 'power'");

	CHECK_EQ(uringblk_create_at(&r, "a/b", NULL, NULL, msg, sizeof(msg)), -EINVAL);
	CHECK_MSG("not a drive name");
	CHECK_EQ(uringblk_create_at(&r, "", NULL, NULL, msg, sizeof(msg)), -EINVAL);
	CHECK_EQ(uringblk_create_at(&r, "..", NULL, NULL, msg, sizeof(msg)), -EINVAL);
	CHECK_EQ(uringblk_create_at(&r, NULL, NULL, NULL, NULL, 0), -EINVAL);

	mkdirf("%s/%s", cfs, "dup");
	CHECK_EQ(uringblk_create_at(&r, "dup", NULL, NULL, msg, sizeof(msg)), -EEXIST);
	CHECK_MSG("'dup' already exists");
	CHECK(exists(cfs, "dup"));	/* somebody else's: left alone */

	/*
	 * A plain directory has no attribute files: the write fails as for
	 * an attribute the driver lacks, and the item is removed again.
	 */
	CHECK_EQ(uringblk_create_at(&r, "half", missing, NULL, msg, sizeof(msg)), -EINVAL);
	CHECK_MSG("unknown attribute 'capacity_mb'");
	CHECK(!exists(cfs, "half"));
	/* power-on fails (no power file): the reason, and no item left */
	CHECK_EQ(uringblk_create_at(&r, "half", NULL, NULL, msg, sizeof(msg)), -ENOENT);
	CHECK_MSG("power-on refused");
	CHECK_MSG("dmesg");
	CHECK(!exists(cfs, "half"));
	snprintf(dir, sizeof(dir), "%s/dup", cfs);
	CHECK_EQ(rmdir(dir), 0);
}

static void test_list(void)
{
	struct uringblk_drive *d = NULL;
	char dir[128];
	int nr;

	/* powered item "a" as uringblk3, unpowered "b"; 0 and 10 modparam */
	snprintf(dir, sizeof(dir), "%s/a", cfs);
	CHECK_EQ(mkdir(dir, 0755), 0);
	put(dir, "index", "3\n");
	put(dir, "power", "1\n");
	put(dir, "block_size", "4096\n");
	put(dir, "error", "");
	snprintf(dir, sizeof(dir), "%s/b", cfs);
	CHECK_EQ(mkdir(dir, 0755), 0);
	put(dir, "index", "-1\n");
	put(dir, "power", "0\n");
	mkdirf("%s/%s", blk, "uringblk3");
	mkdirf("%s/%s", blk, "uringblk10");
	mkdirf("%s/%s", blk, "loop0");
	mkdirf("%s/%s", blk, "uringblk01");	/* not a kernel name */

	nr = uringblk_list_at(&r, &d, msg, sizeof(msg));
	CHECK_EQ(nr, 4);
	if (nr != 4)
		return;
	CHECK_EQ(d[0].index, 0);
	CHECK(!d[0].name && !d[0].attrs);
	CHECK_EQ(d[1].index, 3);
	CHECK_STR(d[1].name, "a");
	CHECK_STR(uringblk_drive_attr(&d[1], "block_size"), "4096");
	CHECK_STR(uringblk_drive_attr(&d[1], "power"), "1");
	CHECK_STR(uringblk_drive_attr(&d[1], "error"), "");
	CHECK(uringblk_drive_attr(&d[1], "block") == NULL);
	CHECK_STR(d[1].attrs[0], "block_size=4096");	/* sorted */
	CHECK_STR(d[1].attrs[3], "power=1");
	CHECK(d[1].attrs[4] == NULL);
	CHECK(uringblk_drive_attr(&d[0], "power") == NULL);
	CHECK_EQ(d[2].index, 10);
	CHECK(!d[2].name);
	CHECK_EQ(d[3].index, -1);
	CHECK_STR(d[3].name, "b");
	CHECK_STR(uringblk_drive_attr(&d[3], "power"), "0");
	uringblk_list_free(d, nr);
	CHECK_EQ(uringblk_list_at(&r, NULL, msg, sizeof(msg)), -EINVAL);
}

static void test_remove(void)
{
	/* by a device spelling, an index no drive has */
	CHECK_EQ(uringblk_remove_at(&r, "/dev/uringblk7", msg, sizeof(msg)), -ENOENT);
	CHECK_MSG("no drive uringblk7");
	CHECK_EQ(uringblk_remove_at(&r, "zzz", msg, sizeof(msg)), -ENOENT);
	CHECK_MSG("no drive named 'zzz'");
	CHECK_EQ(uringblk_remove_at(&r, "10", msg, sizeof(msg)), -EPERM);
	CHECK_MSG("uringblk10 was made by the nr_devices module parameter");
	CHECK_EQ(uringblk_remove_at(&r, "", msg, sizeof(msg)), -EINVAL);
	/*
	 * uringblk3 is item "a": power is written, then rmdir fails on a
	 * plain directory with files, which shows which item was picked.
	 */
	CHECK_EQ(uringblk_remove_at(&r, "uringblk3", msg, sizeof(msg)), -ENOTEMPTY);
	CHECK_MSG("/a: ");
	CHECK_EQ(uringblk_remove_at(&r, "b", msg, sizeof(msg)), -ENOTEMPTY);
	CHECK_MSG("/b: ");
	/* an item named like a device is taken by name */
	mkdirf("%s/%s", cfs, "10");
	CHECK_EQ(uringblk_remove_at(&r, "10", msg, sizeof(msg)), 0);
	CHECK_STR(msg, "");
	CHECK(!exists(cfs, "10"));
	/* no power file: nothing to power off, just rmdir */
	mkdirf("%s/%s", cfs, "empty");
	CHECK_EQ(uringblk_remove_at(&r, "empty", NULL, 0), 0);
	CHECK(!exists(cfs, "empty"));
}

int main(void)
{
	char cmd[128];

	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(cfs, sizeof(cfs), "%s/cfs", root);
	snprintf(blk, sizeof(blk), "%s/block", root);
	snprintf(mod, sizeof(mod), "%s/module", root);
	CHECK_EQ(mkdir(blk, 0755), 0);

	test_no_module();
	test_create_refused();
	test_list();
	test_remove();

	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	CHECK_EQ(system(cmd), 0);
	return test_summary("drive");
}
