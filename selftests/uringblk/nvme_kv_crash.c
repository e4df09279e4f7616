// SPDX-License-Identifier: GPL-2.0
/*
 * A kv drive's objects across removal, module reload and power cuts
 * (driver/kv_ns.c), on runtime drives (configfs):
 *  - persistence: a file-backed kv drive removed and created again, then
 *    the module reloaded and the drive created again, keeps every object
 *    (and a mem-backed one starts empty);
 *  - removal with KV commands in flight: they end with -ENODEV, the open
 *    file still answers, the module unloads once it is closed;
 *  - the crash campaign: rounds of random stores and deletes against a
 *    model, each cut by fault injection failing the Nth media write (and
 *    flushes, some rounds; a multi-block write fails in its second half,
 *    so it is torn), the drive then removed (its final flush failed when
 *    flushes fail) and created again from its file: every object as
 *    acknowledged, the interrupted one old or new, List agreeing.
 *    KV_CRASH_ROUNDS=N sets the number of cut points (default 40).
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/nvme_ioctl.h>

#include "../kselftest_harness.h"
#include "nvme_kv.h"

#define IMG		"/tmp/uringblk-kv-test.img"
#define DRV		KV_CFS "/kvc"
#define NKEYS		24
#define VMAX		40000

static int cfs_set(const char *attr, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), DRV "/%s", attr);
	return ubt_write_str(path, val);
}

/* The module with no drive, configfs mounted, a kv drive configured. */
static int setup_drive(const char *backing)
{
	int ret;

	for (int i = 0; i < 100 && ubt_module_loaded() && ubt_module_unload(); i++)
		usleep(100 * 1000);
	ret = ubt_module_load("nr_devices=0");
	if (ret)
		return ret;
	if (access(KV_CFS, F_OK))
		mount("configfs", "/sys/kernel/config", "configfs", 0, NULL);
	if (mkdir(DRV, 0755))
		return -errno;
	ret = cfs_set("capacity_mb", "16") ?: cfs_set("backing", backing) ?:
	      (strcmp(backing, "file") ? 0 : cfs_set("path", IMG)) ?: cfs_set("kv", "1");
	return ret;
}

/* Power the drive on; its command device open, or -errno. */
static int power_on(void)
{
	int ret = cfs_set("power", "1"), fd;

	if (ret)
		return ret;
	ret = ubt_wait_path("/dev/uringblkc0", 5000);
	if (ret)
		return ret;
	fd = ubt_open_cdev(0, O_RDWR);
	return fd;
}

static void teardown_drive(void)
{
	cfs_set("power", "0");
	rmdir(DRV);
	for (int i = 0; i < 100 && ubt_module_unload(); i++)
		usleep(100 * 1000);
}

struct obj {
	bool present;
	uint32_t vlen, seed;
};

/* Is @key's object on the drive exactly @o?  0 if so, else what differs. */
static int check_obj(int fd, int k, const struct obj *o, uint8_t *want, uint8_t *got)
{
	char key[8];
	uint64_t size;
	int ret;

	snprintf(key, sizeof(key), "k%02d", k);
	ret = kv_retrieve(fd, key, 3, got, VMAX, &size);
	if (!o->present)
		return ret == KV_SC_NOT_EXIST ? 0 : 1;
	if (ret || size != o->vlen)
		return 2;
	kv_fill(want, o->vlen, o->seed);
	return memcmp(want, got, o->vlen) ? 3 : 0;
}

static uint32_t count_keys(int fd, uint8_t *buf)
{
	return kv_list(fd, NULL, 0, buf, 4096) ? ~0u : le32(buf);
}

TEST(persistence)
{
	uint8_t *v = malloc(VMAX), *g = malloc(VMAX);
	struct obj m[NKEYS] = { 0 };
	uint32_t n = 0;
	char key[8];
	int fd;

	unlink(IMG);
	ASSERT_EQ(0, setup_drive("file"));
	fd = power_on();
	ASSERT_LE(0, fd);
	for (int k = 0; k < NKEYS; k++) {
		m[k] = (struct obj) { true, (uint32_t)(k * 1543) % VMAX, 100 + k };
		kv_fill(v, m[k].vlen, m[k].seed);
		snprintf(key, sizeof(key), "k%02d", k);
		ASSERT_EQ(0, kv_store(fd, key, 3, v, m[k].vlen, 0));
	}
	for (int k = 0; k < NKEYS; k += 5) {
		snprintf(key, sizeof(key), "k%02d", k);
		ASSERT_EQ(0, kv_delete(fd, key, 3));
		m[k].present = false;
	}
	for (int k = 0; k < NKEYS; k++)
		n += m[k].present;
	close(fd);
	/* removed and created again */
	ASSERT_EQ(0, cfs_set("power", "0"));
	fd = power_on();
	ASSERT_LE(0, fd);
	for (int k = 0; k < NKEYS; k++) {
		EXPECT_EQ(0, check_obj(fd, k, &m[k], v, g)) TH_LOG("key %d", k);
	}
	EXPECT_EQ(n, count_keys(fd, g));
	close(fd);
	/* the module reloaded */
	teardown_drive();
	ASSERT_EQ(0, setup_drive("file"));
	fd = power_on();
	ASSERT_LE(0, fd);
	for (int k = 0; k < NKEYS; k++) {
		EXPECT_EQ(0, check_obj(fd, k, &m[k], v, g)) TH_LOG("key %d after reload", k);
	}
	EXPECT_EQ(n, count_keys(fd, g));
	close(fd);
	teardown_drive();
	/* memory: nothing survives removal */
	ASSERT_EQ(0, setup_drive("mem"));
	fd = power_on();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, kv_store(fd, "mem", 3, "x", 1, 0));
	close(fd);
	ASSERT_EQ(0, cfs_set("power", "0"));
	fd = power_on();
	ASSERT_LE(0, fd);
	EXPECT_EQ(KV_SC_NOT_EXIST, kv_exist(fd, "mem", 3));
	EXPECT_EQ(0, count_keys(fd, g));
	close(fd);
	teardown_drive();
	unlink(IMG);
	free(v);
	free(g);
}

struct client {
	int fd, id, last;
	long done;
};

static void *client_loop(void *arg)
{
	struct client *cl = arg;
	uint8_t buf[8192];
	uint8_t key[2] = { 'r', (uint8_t)cl->id };

	for (;;) {
		cl->last = cl->id % 2 ? kv_store(cl->fd, key, 2, buf, sizeof(buf), 0)
				      : kv_retrieve(cl->fd, key, 2, buf, sizeof(buf), NULL);
		if (cl->last && cl->last != KV_SC_NOT_EXIST)
			break;
		cl->done++;
	}
	return NULL;
}

TEST(removal_in_flight)
{
	struct client cl[4];
	pthread_t t[4];
	int fd;

	ASSERT_EQ(0, setup_drive("mem"));
	fd = power_on();
	ASSERT_LE(0, fd);
	for (int i = 0; i < 4; i++) {
		cl[i] = (struct client) { .fd = fd, .id = i };
		ASSERT_EQ(0, pthread_create(&t[i], NULL, client_loop, &cl[i]));
	}
	usleep(300 * 1000);
	ASSERT_EQ(0, cfs_set("power", "0"));
	ASSERT_EQ(0, rmdir(DRV));
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		TH_LOG("client %d: %ld commands, then %d", i, cl[i].done, cl[i].last);
		EXPECT_EQ(-ENODEV, cl[i].last);
	}
	EXPECT_EQ(1, nvme_ioctl(fd, NVME_IOCTL_ID, NULL));
	EXPECT_EQ(-ENODEV, kv_exist(fd, "x", 1));
	ASSERT_NE(0, ubt_module_unload());
	close(fd);
	for (int i = 0; i < 100 && ubt_module_unload(); i++)
		usleep(100 * 1000);
	ASSERT_FALSE(ubt_module_loaded());
}

static int fault_set(const char *knob, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/block/uringblk0/fault/%s", knob);
	return ubt_write_str(path, val);
}

TEST(crash_campaign)
{
	const char *env = getenv("KV_CRASH_ROUNDS");
	int rounds = env ? atoi(env) : 40, cuts = 0, torn_new = 0;
	uint8_t *v = malloc(VMAX), *g = malloc(VMAX);
	struct obj m[NKEYS] = { 0 }, old = { 0 }, new = { 0 };
	int pending = -1, fd;
	uint32_t gen = 1;
	char key[4], nth[16];

	srand(7);
	unlink(IMG);
	ASSERT_EQ(0, setup_drive("file"));
	for (int r = 0; r <= rounds; r++) {
		uint32_t n = 0;

		fd = power_on();
		ASSERT_LE(0, fd) TH_LOG("round %d: power on", r);
		/* the interrupted call: its object old or new, nothing else */
		if (pending >= 0) {
			if (!check_obj(fd, pending, &new, v, g)) {
				m[pending] = new;
				torn_new++;
			} else {
				ASSERT_EQ(0, check_obj(fd, pending, &old, v, g))
					TH_LOG("round %d: key %d neither old nor new", r, pending);
			}
		}
		for (int k = 0; k < NKEYS; k++) {
			ASSERT_EQ(0, check_obj(fd, k, &m[k], v, g))
				TH_LOG("round %d: key %d differs from the model", r, k);
			n += m[k].present;
		}
		ASSERT_EQ(n, count_keys(fd, g)) TH_LOG("round %d", r);
		if (r == rounds) {
			close(fd);
			break;
		}
		pending = -1;
		snprintf(nth, sizeof(nth), "%d", 1 + rand() % 30);
		ASSERT_EQ(0, fault_set("every_nth", nth));
		ASSERT_EQ(0, fault_set("ops", r % 3 ? "write" : "write,flush"));
		for (int op = 0; op < 80; op++) {
			int k = rand() % NKEYS, ret;

			snprintf(key, sizeof(key), "k%02d", k);
			old = m[k];
			if (rand() % 10 < 7) {
				new = (struct obj) { true, rand() % 3 ? rand() % 3000 :
						     rand() % VMAX, gen++ };
				kv_fill(v, new.vlen, new.seed);
				ret = kv_store(fd, key, 3, v, new.vlen, 0);
			} else {
				new = (struct obj) { false };
				ret = kv_delete(fd, key, 3);
			}
			if (!ret) {
				m[k] = new;
				continue;
			}
			ASSERT_TRUE(ret == KV_SC_WRITE_FAULT || ret == KV_SC_INTERNAL)
				TH_LOG("round %d: status %#x", r, ret);
			/* the engine stops at its first failed write: later calls fail */
			ASSERT_EQ(KV_SC_INTERNAL, kv_store(fd, "zz", 2, "z", 1, 0));
			pending = k;
			cuts++;
			break;
		}
		close(fd);
		ASSERT_EQ(0, cfs_set("power", "0"));
	}
	TH_LOG("%d rounds, %d cut by a failed write, %d of those found new", rounds,
	       cuts, torn_new);
	EXPECT_LT(rounds / 2, cuts);
	teardown_drive();
	unlink(IMG);
	free(v);
	free(g);
}

TEST_HARNESS_MAIN
