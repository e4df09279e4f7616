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
 *    Every other round is a power cut (fault power_cut, file_cut.c): the
 *    removal then skips the final flush and loses all (or, some rounds,
 *    a random half) of the blocks written since the last flush, as a
 *    drive's volatile cache would; and after every round the image is
 *    checked offline by kv_fsck() (kv_fsck_img, next to this test).
 *    KV_CRASH_ROUNDS=N sets the number of cut points (default 40);
 *  - power_cut_blocks: the knob itself on a plain file-backed drive:
 *    blocks written since the last flush lost, all or some, each whole;
 *    flushed ones kept; a normal removal loses nothing; a memory drive
 *    refuses it.
 */
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/nvme_ioctl.h>

#include "harness.h"
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

/* The module with no drive, configfs mounted, a (kv) drive configured. */
static int setup_drive_kv(const char *backing, bool kv)
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
	      (strcmp(backing, "file") ? 0 : cfs_set("path", IMG)) ?:
	      (kv ? cfs_set("kv", "1") : cfs_set("block_size", "4096"));
	return ret;
}

static int setup_drive(const char *backing)
{
	return setup_drive_kv(backing, true);
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

/*
 * A value damaged on the media (one byte flipped in the image while the
 * drive is off) is reported, not returned: Retrieve of the whole value is
 * Unrecovered Error (88h) on every path of kv_ns.c (straight into a
 * 512-byte aligned buffer, small or large, with a partial last block or
 * not; bounced for an unaligned buffer), while a Retrieve of part of it
 * (no CRC to check) and the other objects still succeed.
 */
TEST(damaged_value)
{
	static const uint32_t sizes[] = { 4096, 5000, 100000, 1 << 20, (1 << 20) + 3 };
	enum { N = sizeof(sizes) / sizeof(sizes[0]) };
	uint8_t *v = malloc(2 << 20), *g = ubt_alloc((2 << 20) + 4096), *img;
	uint64_t size;
	struct stat st;
	char key[8];
	int fd, ifd;

	ASSERT_NE(NULL, v);
	ASSERT_NE(NULL, g);
	unlink(IMG);
	ASSERT_EQ(0, setup_drive("file"));
	fd = power_on();
	ASSERT_LE(0, fd);
	for (int i = 0; i < N; i++) {
		kv_fill(v, sizes[i], 500 + i);
		snprintf(key, sizeof(key), "d%d", i);
		ASSERT_EQ(0, kv_store(fd, key, 2, v, sizes[i], 0));
	}
	ASSERT_EQ(0, kv_store(fd, "ok", 2, "intact", 6, 0));
	close(fd);
	ASSERT_EQ(0, cfs_set("power", "0"));
	/* flip the value's last byte, found by its first 64 in the image */
	ifd = open(IMG, O_RDWR);
	ASSERT_LE(0, ifd);
	ASSERT_EQ(0, fstat(ifd, &st));
	img = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, ifd, 0);
	ASSERT_NE(MAP_FAILED, img);
	for (int i = 0; i < N; i++) {
		uint8_t *at;

		kv_fill(v, sizes[i], 500 + i);
		at = memmem(img, st.st_size, v, 64);
		ASSERT_NE(NULL, at) TH_LOG("value %d not in the image", i);
		/* stored in one piece on a fresh drive: its bytes are contiguous */
		ASSERT_EQ(0, memcmp(at, v, sizes[i]));
		at[sizes[i] - 1] ^= 0x5a;
	}
	ASSERT_EQ(0, msync(img, st.st_size, MS_SYNC));
	munmap(img, st.st_size);
	close(ifd);
	fd = power_on();
	ASSERT_LE(0, fd);
	for (int i = 0; i < N; i++) {
		/* aligned (direct), 512-aligned, unaligned (bounced); exact and larger buffers */
		static const uint32_t offs[] = { 0, 512, 1 };

		snprintf(key, sizeof(key), "d%d", i);
		kv_fill(v, sizes[i], 500 + i);
		for (unsigned int o = 0; o < 3; o++)
			for (uint32_t extra = 0; extra <= 4096; extra += 4096) {
				EXPECT_EQ(KV_DNR | 0x088, kv_retrieve(fd, key, 2, g + offs[o],
								   sizes[i] + extra, &size))
					TH_LOG("size %u off %u extra %u", sizes[i], offs[o], extra);
			}
		/* the first half: no CRC to check, the bytes as stored */
		ASSERT_EQ(0, kv_retrieve(fd, key, 2, g, sizes[i] / 2, &size));
		EXPECT_EQ(sizes[i], size);
		EXPECT_EQ(0, memcmp(g, v, sizes[i] / 2));
	}
	ASSERT_EQ(0, kv_retrieve(fd, "ok", 2, g, 4096, &size));
	EXPECT_EQ(6, size);
	EXPECT_EQ(0, memcmp(g, "intact", 6));
	close(fd);
	teardown_drive();
	unlink(IMG);
	munmap(g, (2 << 20) + 4096);
	free(v);
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

/* kv_fsck() of the image (the drive removed): 0 clean, else the tool's status */
static int fsck_image(void)
{
	char exe[PATH_MAX], cmd[PATH_MAX + 64], *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int st;

	if (n <= 0)
		return -1;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	snprintf(cmd, sizeof(cmd), "timeout 60 %s/kv_fsck_img %s >&2", exe, IMG);
	st = system(cmd);
	st = st == -1 || !WIFEXITED(st) ? -1 : WEXITSTATUS(st);
	/* KV_CRASH_SAVE=DIR: the image that failed, kept for a look */
	if (st && getenv("KV_CRASH_SAVE")) {
		snprintf(cmd, sizeof(cmd), "cp %s %s/", IMG, getenv("KV_CRASH_SAVE"));
		if (system(cmd))
			fprintf(stderr, "could not save %s\n", IMG);
	}
	return st;
}

#define PC_BLK	4096

static void pc_fill(uint8_t *b, uint8_t v)
{
	memset(b, v, PC_BLK);
}

/* The PC_BLK bytes at @off all @v?  1 if so, 0 if all @old, else -1 */
static int pc_is(int fd, uint8_t *b, off_t off, uint8_t v, uint8_t old)
{
	int all_v = 1, all_old = 1;

	if (pread(fd, b, PC_BLK, off) != PC_BLK)
		return -2;
	for (int i = 0; i < PC_BLK; i++) {
		all_v &= b[i] == v;
		all_old &= b[i] == old;
	}
	return all_v ? 1 : all_old ? 0 : -1;
}

static int pc_write(int fd, uint8_t *b, off_t off, uint8_t v)
{
	pc_fill(b, v);
	return pwrite(fd, b, PC_BLK, off) == PC_BLK ? 0 : -errno;
}

static int pc_open(void)
{
	if (cfs_set("power", "1") || ubt_wait_path("/dev/uringblk0", 5000))
		return -1;
	return open("/dev/uringblk0", O_RDWR | O_DIRECT);
}

TEST(power_cut_blocks)
{
	uint8_t *b;
	int fd, lost = 0, kept = 0;

	ASSERT_EQ(0, posix_memalign((void **)&b, 4096, PC_BLK));
	unlink(IMG);
	ASSERT_EQ(0, setup_drive_kv("file", false));
	fd = pc_open();
	ASSERT_LE(0, fd);
	/* durable: A 0x11 at 0, B 0x22 at 8 KiB */
	ASSERT_EQ(0, pc_write(fd, b, 0, 0x11));
	ASSERT_EQ(0, pc_write(fd, b, 8192, 0x22));
	ASSERT_EQ(0, fsync(fd));
	ASSERT_EQ(0, fault_set("power_cut", "1000000"));
	/* B 0x55 flushed; then A overwritten, C new, B 0x66, none flushed */
	ASSERT_EQ(0, pc_write(fd, b, 8192, 0x55));
	ASSERT_EQ(0, fsync(fd));
	ASSERT_EQ(0, pc_write(fd, b, 0, 0x33));
	ASSERT_EQ(0, pc_write(fd, b, 16384, 0x44));
	ASSERT_EQ(0, pc_write(fd, b, 8192, 0x66));
	/* reads see every completed write until the cut */
	EXPECT_EQ(1, pc_is(fd, b, 0, 0x33, 0x11));
	close(fd);
	ASSERT_EQ(0, cfs_set("power", "0"));
	fd = pc_open();
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, pc_is(fd, b, 0, 0x33, 0x11)) TH_LOG("A: the flushed 0x11");
	EXPECT_EQ(0, pc_is(fd, b, 8192, 0x66, 0x55)) TH_LOG("B: the flushed 0x55");
	EXPECT_EQ(0, pc_is(fd, b, 16384, 0x44, 0x00)) TH_LOG("C: never flushed");
	/* the knob is the removed drive's: a normal removal keeps everything */
	ASSERT_EQ(0, pc_write(fd, b, 0, 0x77));
	close(fd);
	ASSERT_EQ(0, cfs_set("power", "0"));
	fd = pc_open();
	ASSERT_LE(0, fd);
	EXPECT_EQ(1, pc_is(fd, b, 0, 0x77, 0x11));
	/* half: 64 blocks, each lost or kept whole */
	ASSERT_EQ(0, fault_set("seed", "12345"));
	ASSERT_EQ(0, fault_set("power_cut", "500000"));
	for (int i = 0; i < 64; i++)
		ASSERT_EQ(0, pc_write(fd, b, (off_t)(64 + i) * PC_BLK, 0x80 + i));
	close(fd);
	ASSERT_EQ(0, cfs_set("power", "0"));
	fd = pc_open();
	ASSERT_LE(0, fd);
	for (int i = 0; i < 64; i++) {
		int r = pc_is(fd, b, (off_t)(64 + i) * PC_BLK, 0x80 + i, 0x00);

		ASSERT_LE(0, r) TH_LOG("block %d: neither old nor new", i);
		kept += r;
		lost += !r;
	}
	TH_LOG("power_cut 500000: %d of 64 unflushed blocks lost, %d kept", lost, kept);
	EXPECT_LT(0, lost);
	EXPECT_LT(0, kept);
	close(fd);
	teardown_drive();
	/* a memory drive has nothing to keep across removal */
	ASSERT_EQ(0, setup_drive_kv("mem", false));
	fd = pc_open();
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EOPNOTSUPP, fault_set("power_cut", "1000000"));
	close(fd);
	teardown_drive();
	unlink(IMG);
	free(b);
}

/* A fixture only for the timeout: an exec of kv_fsck_img a round is slow under TCG */
FIXTURE(campaign) {
	int unused;
};

FIXTURE_SETUP(campaign)
{
}

FIXTURE_TEARDOWN(campaign)
{
}

TEST_F_TIMEOUT(campaign, crash_campaign, 900)
{
	const char *env = getenv("KV_CRASH_ROUNDS");
	int rounds = env ? atoi(env) : 40, cuts = 0, torn_new = 0, pcuts = 0;
	uint8_t *v = malloc(VMAX), *g = malloc(VMAX);
	struct obj m[NKEYS] = { 0 }, old = { 0 }, new = { 0 };
	int pending = -1, fd;
	uint32_t gen = 1;
	char key[8], nth[16];

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
		/* odd rounds: a power cut at removal, all or half the unflushed lost */
		if (r % 2) {
			snprintf(nth, sizeof(nth), "%d", r);
			ASSERT_EQ(0, fault_set("seed", nth));
			ASSERT_EQ(0, fault_set("power_cut", r % 4 == 1 ? "1000000" : "500000"));
		}
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
			pcuts += r % 2;
			break;
		}
		close(fd);
		ASSERT_EQ(0, cfs_set("power", "0"));
		ASSERT_EQ(0, fsck_image()) TH_LOG("round %d: kv_fsck of the image", r);
	}
	TH_LOG("%d rounds, %d cut by a failed write (%d of them power cuts), %d of those found new",
	       rounds, cuts, pcuts, torn_new);
	EXPECT_LT(rounds / 2, cuts);
	EXPECT_LT(0, pcuts);
	teardown_drive();
	unlink(IMG);
	free(v);
	free(g);
}

TEST_HARNESS_MAIN
