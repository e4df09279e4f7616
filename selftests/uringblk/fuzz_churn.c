// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_cmds' shared state and the threads that race the workers
 * (fuzz_churn.h): runtime drive removal and program unloads.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fuzz_churn.h"
#include "uringblk_test.h"

/* --- shared state ----------------------------------------------------------- */


struct fz_shared G = { .lock = PTHREAD_MUTEX_INITIALIZER };

static int pool_of(int sym)
{
	return sym == FZ_S_PROG_ID ? 0 : sym == FZ_S_PIND ? 1 : 2;
}

void pool_add(int sym, uint32_t v)
{
	int p = pool_of(sym);
	uint32_t i = __atomic_fetch_add(&G.id_pos[p], 1, __ATOMIC_RELAXED);

	__atomic_store_n(&G.ids[p][i % 32], v, __ATOMIC_RELAXED);
}

uint32_t pool_pick(struct fz_rng *r, int sym)
{
	uint32_t v = __atomic_load_n(&G.ids[pool_of(sym)][fz_below(r, 32)], __ATOMIC_RELAXED);

	return v ? v : 1;
}

bool stopping(void)
{
	return __atomic_load_n(&G.stop, __ATOMIC_RELAXED);
}

double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* IDENTIFY's numbers as the generator wants them. */
int drive_env(struct io_uring *ring, int fd, struct fz_env *e)
{
	struct uringblk_identify id;
	int ret = ubt_identify(ring, fd, &id);

	if (ret < 0)
		return ret;
	memset(e, 0, sizeof(*e));
	e->bs = id.logical_block_size;
	e->bs_shift = __builtin_ctz(e->bs);
	e->nlba = id.capacity / e->bs;
	e->zoned = id.features & URINGBLK_F_ZONED;
	e->zone_lbas = e->zoned ? id.zone_size / e->bs : 0;
	e->nr_zones = id.nr_zones;
	e->max_nlb = (uint64_t)id.max_hw_sectors * 512 / e->bs;
	if (e->max_nlb > 1024)	/* at most 512 KiB: the slot's buffer is 1 MiB */
		e->max_nlb = (512 << 10) / e->bs;
	e->slm = id.slm_size;
	e->slm_gran = id.slm_granularity;
	e->mem_xfer = id.max_mem_xfer;
	e->set_ranges = id.max_set_ranges;
	e->max_ext = id.max_exec_extents;
	e->max_budget = id.max_insn_budget;
	e->dd_pind = URINGBLK_DD_PIND_BASE;
	e->pick_id = pool_pick;
	return 0;
}

void drive_publish(int slot, bool present, int idx, const struct fz_env *e)
{
	pthread_mutex_lock(&G.lock);
	G.drives[slot].present = present;
	G.drives[slot].idx = idx;
	if (e)
		G.drives[slot].env = *e;
	G.drives[slot].gen++;
	pthread_mutex_unlock(&G.lock);
}

/* --- runtime drives (configfs) ---------------------------------------------- */

static int cfg_write(const char *dir, const char *attr, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, attr);
	return ubt_write_str(path, val);
}

/* Make and power on a drive; its index or -errno. */
int cfg_create(const char *dir, bool zoned, const char *cap_mb)
{
	char path[256];
	uint64_t idx;
	int ret;

	rmdir(dir);
	if (mkdir(dir, 0755))
		return -errno;
	ret = cfg_write(dir, "capacity_mb", cap_mb);
	if (!ret)
		ret = cfg_write(dir, "slm_size", "4194304");
	if (!ret && zoned)
		ret = cfg_write(dir, "zoned", "1") ?: cfg_write(dir, "zone_size_mb", "2") ?:
		      cfg_write(dir, "zone_nr_conv", "1") ?: cfg_write(dir, "zone_max_open", "4") ?:
		      cfg_write(dir, "zone_max_active", "6");
	if (!ret)
		ret = cfg_write(dir, "power", "1");
	snprintf(path, sizeof(path), "%s/index", dir);
	if (!ret)
		ret = ubt_read_u64(path, &idx);
	if (ret) {
		rmdir(dir);
		return ret;
	}
	snprintf(path, sizeof(path), "/dev/uringblkc%d", (int)idx);
	ret = ubt_wait_path(path, 5000);
	return ret ? ret : (int)idx;
}

void cfg_remove(const char *dir)
{
	cfg_write(dir, "power", "0");
	rmdir(dir);
}

/* Create and remove a drive while the workers send to it. */
void *churn_drives(void *arg)
{
	struct io_uring ring;
	struct fz_rng r;
	struct fz_env e;
	char path[64];
	int n = 0;

	fz_rng_seed(&r, G.seed ^ 0xc4c4c4c4ULL);
	if (ubt_ring_init(&ring, 0))
		return NULL;
	while (!stopping()) {
		int idx = cfg_create(CFG_CHURN, n++ & 1, "16"), fd;

		if (idx < 0) {
			G.churn_fail++;
			usleep(100000);
			continue;
		}
		fd = ubt_open_cdev(idx, O_RDWR);
		if (fd >= 0 && drive_env(&ring, fd, &e) == 0)
			drive_publish(2, true, idx, &e);
		if (fd >= 0)
			close(fd);
		usleep(50000 + fz_below(&r, 300000));
		/* removal with the workers' commands in flight */
		cfg_write(CFG_CHURN, "power", "0");
		drive_publish(2, false, -1, NULL);
		usleep(fz_below(&r, 20000));
		if (rmdir(CFG_CHURN))
			G.churn_fail++;
		G.churns++;
		snprintf(path, sizeof(path), "/dev/uringblkc%d", idx);
	}
	io_uring_queue_exit(&ring);
	return NULL;
}

/* --- program churn: loads, activations and unloads under the EXECs ---------- */

static int ucmd(struct io_uring *ring, int fd, uint32_t op, struct uringblk_cmd *c)
{
	return ubt_uring_cmd(ring, fd, op, c, NULL);
}

/* Deactivate and unload every downloaded program, delete range sets 1..n. */
static void unload_all(struct io_uring *ring, int fd)
{
	struct uringblk_prog_info info[16];
	struct uringblk_cmd c;
	int n, i;

	ubt_cmd_init(&c, info, sizeof(info));
	n = ucmd(ring, fd, URINGBLK_CMD_PROG_LIST, &c);
	for (i = 0; i < n; i++) {
		if (info[i].id >= URINGBLK_DD_ID_BASE)
			continue;
		ubt_cmd_init(&c, NULL, 0);
		c.prog_activate.pind = info[i].pind;
		c.prog_activate.action = URINGBLK_PROG_ACT_DEACTIVATE;
		ucmd(ring, fd, URINGBLK_CMD_PROG_ACTIVATE, &c);
		ubt_cmd_init(&c, NULL, 0);
		c.prog_unload.prog_id = info[i].id;
		if (ucmd(ring, fd, URINGBLK_CMD_PROG_UNLOAD, &c) == 0)
			G.unloads++;
	}
}

void *churn_progs(void *arg)
{
	uint8_t insns[64 * 8] __attribute__((aligned(8)));
	struct uringblk_mem_range mr[2];
	struct io_uring ring;
	struct uringblk_cmd c;
	struct fz_rng r;
	unsigned long it = 0;
	int fd, id, rs, pind;

	fz_rng_seed(&r, G.seed ^ 0x9a9a9a9aULL);
	fd = ubt_open_cdev(0, O_RDWR);
	if (fd < 0 || ubt_ring_init(&ring, 0))
		return NULL;
	while (!stopping()) {
		unsigned int n = fz_prog(fz_below(&r, fz_nr_progs), insns, 64);

		pind = 1 + fz_below(&r, 8);
		ubt_cmd_init(&c, insns, n * 8);
		c.prog_load.pind = pind;
		id = ucmd(&ring, fd, URINGBLK_CMD_PROG_LOAD, &c);
		if (id > 0) {
			pool_add(FZ_S_PROG_ID, id);
			pool_add(FZ_S_PIND, pind);
			ubt_cmd_init(&c, NULL, 0);
			c.prog_activate.pind = pind;
			c.prog_activate.action = URINGBLK_PROG_ACT_ACTIVATE;
			ucmd(&ring, fd, URINGBLK_CMD_PROG_ACTIVATE, &c);
		}
		mr[0].slm_off = fz_below(&r, 64) * 4096;
		mr[0].len = 4096 * (1 + fz_below(&r, 4));
		mr[1].slm_off = mr[0].slm_off + mr[0].len + 4096;
		mr[1].len = 4096;
		ubt_cmd_init(&c, mr, sizeof(mr));
		rs = ucmd(&ring, fd, URINGBLK_CMD_RANGE_SET_CREATE, &c);
		if (rs > 0)
			pool_add(FZ_S_RSID, rs);
		usleep(1000 + fz_below(&r, 20000));
		if (id > 0) {
			ubt_cmd_init(&c, NULL, 0);
			c.prog_activate.pind = pind;
			c.prog_activate.action = URINGBLK_PROG_ACT_DEACTIVATE;
			ucmd(&ring, fd, URINGBLK_CMD_PROG_ACTIVATE, &c);
			ubt_cmd_init(&c, NULL, 0);
			c.prog_unload.prog_id = id;
			if (ucmd(&ring, fd, URINGBLK_CMD_PROG_UNLOAD, &c) == 0)
				G.unloads++;
		}
		if (rs > 0 && fz_pct(&r, 70)) {
			ubt_cmd_init(&c, NULL, 0);
			c.range_set.rsid = rs;
			if (ucmd(&ring, fd, URINGBLK_CMD_RANGE_SET_DELETE, &c) == 0)
				G.rs_deletes++;
		}
		if (++it % 32 == 0)	/* what the workers loaded, too */
			unload_all(&ring, fd);
	}
	io_uring_queue_exit(&ring);
	close(fd);
	return NULL;
}
