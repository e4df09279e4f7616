// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The sysfs counter reader and reset on a fake sysfs tree: well-formed
 * files, a counter an older driver lacks, malformed contents, and the
 * write to reset_stats.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "private.h"
#include "test.h"

static char root[] = "/tmp/uringblk-sysfs-XXXXXX";
static char attrs[sizeof(root) + 16];

static void put(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", attrs, name);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

static void drop(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", attrs, name);
	unlink(path);
}

static struct uringblk_dev *fake_dev(const char *dir)
{
	struct uringblk_dev *dev = NULL;
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	CHECK_EQ(uringblk_dev_new(0, fd, dir, false, &dev), 0);
	return dev;
}

static void test_read(struct uringblk_dev *dev)
{
	struct uringblk_stats s;
	const char *name;
	unsigned int i;
	char text[32];

	for (i = 0; (name = uringblk_stats_field_name(i)); i++) {
		/* Newline as sysfs_emit() writes it, except for one file. */
		snprintf(text, sizeof(text), i == 3 ? "%u" : "%u\n", 100 + i);
		put(name, text);
	}
	put("read_bytes", "18446744073709551615\n");
	drop("bytes_to_host");		/* a counter an older driver lacks */

	memset(&s, 0xee, sizeof(s));
	CHECK_EQ(uringblk_stats_sysfs(dev, &s), 0);
	CHECK_EQ(s.read_ops, 100);
	CHECK(s.read_bytes == UINT64_MAX);
	CHECK_EQ(s.write_bytes, 103);
	CHECK_EQ(s.in_flight, 111);
	CHECK_EQ(s.bytes_to_host, 0);
	put("bytes_to_host", "0\n");
}

static void test_malformed(struct uringblk_dev *dev)
{
	static const char *const bad[] = {
		"", "\n", "-1\n", "+1\n", " 1\n", "1 \n", "12x\n", "0x10\n",
		"18446744073709551616\n", "1\n\n",
	};
	struct uringblk_stats s, before;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(&s, 0x11, sizeof(s));
		before = s;
		put("errors", bad[i]);
		CHECK_EQ(uringblk_stats_sysfs(dev, &s), -EBADMSG);
		/* A failed read leaves the caller's struct alone. */
		CHECK(!memcmp(&s, &before, sizeof(s)));
	}
	put("errors", "0\n");
	CHECK_EQ(uringblk_stats_sysfs(dev, &s), 0);
}

static void test_reset(struct uringblk_dev *dev)
{
	char path[256], buf[8] = "";
	FILE *f;

	CHECK_EQ(uringblk_reset_stats_sysfs(dev), -ENOENT);
	put("reset_stats", "");
	CHECK_EQ(uringblk_reset_stats_sysfs(dev), 0);
	snprintf(path, sizeof(path), "%s/reset_stats", attrs);
	f = fopen(path, "r");
	CHECK(fgets(buf, sizeof(buf), f) != NULL);
	fclose(f);
	CHECK_STR(buf, "1\n");
	drop("reset_stats");
}

static void test_missing_dir(void)
{
	struct uringblk_dev *dev = fake_dev("/nonexistent/uringblk99");
	struct uringblk_stats s;

	CHECK_EQ(uringblk_stats_sysfs(dev, &s), -ENOENT);
	CHECK_EQ(uringblk_reset_stats_sysfs(dev), -ENOENT);
	uringblk_close(dev);
}

int main(void)
{
	struct uringblk_dev *dev;
	const char *name;
	unsigned int i;

	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(attrs, sizeof(attrs), "%s/uringblk", root);
	mkdir(attrs, 0755);

	dev = fake_dev(root);
	test_read(dev);
	test_malformed(dev);
	test_reset(dev);
	uringblk_close(dev);
	test_missing_dir();

	for (i = 0; (name = uringblk_stats_field_name(i)); i++)
		drop(name);
	rmdir(attrs);
	rmdir(root);
	return test_summary("sysfs");
}
