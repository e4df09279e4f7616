// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_cmds' shared state and the threads that race the workers
 * (fuzz_churn.h): runtime drive removal and program unloads.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fuzz_churn.h"
#include <linux/nvme_ioctl.h>

#include "nvme_test.h"
#include "uringblk_test.h"

/* --- shared state ----------------------------------------------------------- */


struct fz_shared G = { .lock = PTHREAD_MUTEX_INITIALIZER };

static int pool_of(int sym)
{
	return sym == FZ_S_PROG_ID ? 0 : sym == FZ_S_PIND ? 1 : sym == FZ_S_RSID ? 2 : 3;
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

	return v ? v : sym == FZ_S_CP_PIND ? FZ_CP_PIND_FIRST : 1;
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

/*
 * As selftests/uringblk/lib.sh's ub_nvme_ctrl and ub_nvme_ns find them: the
 * controller whose sysfs address is traddr=uringblkN, its namespaces by
 * their sysfs nsid (the kernel's names need not follow the NSIDs, nor the
 * controller: ubt_nvme_head()).
 */
int ctrl_lookup(int idx, struct ctrl_nodes *n, int want, int wait_ms)
{
	char name[64];

	memset(n, 0, sizeof(*n));
	n->ctrl = -1;
	if (ubt_nvme_ctrl(idx, name, sizeof(name)))
		return 0;
	n->ctrl = atoi(name + 4);
	for (int waited = 0; ; waited += 50) {
		int found = 0;

		for (uint32_t nsid = 1; nsid <= 3; nsid++)
			found += !ubt_nvme_find(name, nsid, n->ng[nsid], sizeof(n->ng[nsid]),
						nsid == 1 ? n->blk : NULL, sizeof(n->blk));
		if (found >= want || waited >= wait_ms)
			return found;
		usleep(50000);
	}
}

void drive_publish(int slot, bool present, int idx, const struct fz_env *e)
{
	struct ctrl_nodes n = { .ctrl = -1 };

	/*
	 * The drives that stay wait for the whole scan, up to 30 s: a zoned
	 * namespace's revalidation reads every zone, which took more than 5 s
	 * in the suite's guest beside two others and on the debug kernel;
	 * the churned one not long: every second its workers do not send to
	 * it is a removal less
	 */
	if (present && G.have_ctrl)
		ctrl_lookup(idx, &n, 3, slot == 2 ? 500 : 30000);
	pthread_mutex_lock(&G.lock);
	G.drives[slot].present = present;
	G.drives[slot].idx = idx;
	G.drives[slot].nodes = n;
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
	/*
	 * A conventional zone, unless the drive is a controller too: NVMe's
	 * ZNS has none, and nvme-core refuses the namespace of a drive that
	 * reports one ("invalid zone type 0x1"), after a scan that may first
	 * show its nodes: the fuzzer then found them or not by chance.
	 */
	if (!ret && zoned)
		ret = cfg_write(dir, "zoned", "1") ?: cfg_write(dir, "zone_size_mb", "2") ?:
		      cfg_write(dir, "zone_nr_conv", G.have_ctrl ? "0" : "1") ?:
		      cfg_write(dir, "zone_max_open", "4") ?: cfg_write(dir, "zone_max_active", "6");
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

/*
 * The churned drive is going: the workers close its generic nodes first
 * (struct fz_shared.ng_closed says why), keep its other nodes as they
 * like; the controller node and the block node have lifetimes that hold.
 */
static void ng_going(void)
{
	unsigned int gen;
	int w, left;

	drive_publish(2, false, -1, NULL);
	pthread_mutex_lock(&G.lock);
	gen = G.drives[2].gen;
	pthread_mutex_unlock(&G.lock);
	do {
		for (w = 0, left = 0; w < G.nworkers; w++)
			if (!__atomic_load_n(&G.wdone[w], __ATOMIC_SEQ_CST) &&
			    (int)(__atomic_load_n(&G.ng_closed[w][2], __ATOMIC_SEQ_CST) - gen) < 0)
				left++;
		if (left)
			usleep(2000);
	} while (left);
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
		if (G.have_ctrl)
			ng_going();
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

/* --- the same through NVMe: Computational Programs (driver/nvme_cp*.c) ----- */

#define DNR		0x4000
#define SC_PROG_DATA	(DNR | 0x18e)
#define SC_NO_PROG	(DNR | 0x196)
#define SC_PROG_IN_USE	(DNR | 0x199)
#define SC_MAX_ACT	(DNR | 0x193)
#define SC_MAX_SETS	(DNR | 0x192)
#define SC_MRS_ID	(DNR | 0x18d)
#define SC_MRS_IN_USE	(DNR | 0x195)
#define SC_NOT_ACT	(DNR | 0x198)
#define SC_RUNS		(DNR | 0x7d0)
/* where the churn loads hostile bytecode: no pool names it */
#define HOSTILE_PIND	20

/* Load Program (85h) of @numb bytes at @loff of a @psize-byte program; DW0 in *@id. */
static int cp_load(int fd, int pind, int sel, uint32_t psize, uint32_t loff, void *buf,
		   uint32_t numb, uint32_t *id)
{
	struct nvme_passthru_cmd64 c = cmd64(0x85, 2, buf, numb);
	int ret;

	c.cdw10 = pind | 0xc0u << 16 | (uint32_t)sel << 24;
	c.cdw11 = psize;
	c.cdw14 = numb;
	c.cdw15 = loff;
	ret = nvme_ioctl(fd, NVME_IOCTL_ADMIN64_CMD, &c);
	if (id)
		*id = c.result;
	return ret;
}

static int cp_act(int fd, int pind, int sel)
{
	struct nvme_passthru_cmd64 c = cmd64(0x88, 2, NULL, 0);

	c.cdw10 = pind | sel << 16;
	return nvme_ioctl(fd, NVME_IOCTL_ADMIN64_CMD, &c);
}

/* Memory Range Set Management: create (@mrd, @n descriptors; *@rsid) or delete */
static int cp_mrs(int fd, int sel, uint32_t *rsid, void *mrd, uint32_t n)
{
	struct nvme_passthru_cmd64 c = cmd64(0x89, 2, mrd, n * 32);
	int ret;

	c.cdw10 = sel | (sel ? *rsid : 0) << 16;
	c.cdw11 = sel ? 0 : n;
	ret = nvme_ioctl(fd, NVME_IOCTL_ADMIN64_CMD, &c);
	if (!sel)
		*rsid = c.result;
	return ret;
}

/* Is @ret one of the @n statuses a race explains?  Say so if not. */
static bool cp_expect(const char *what, int ret, int n, ...)
{
	va_list ap;
	int i;

	va_start(ap, n);
	for (i = 0; i < n; i++)
		if (va_arg(ap, int) == ret) {
			va_end(ap);
			return true;
		}
	va_end(ap);
	if (G.cp_bad++ < 5)
		printf("# churn_cp: %s answered %d (%#x)\n", what, ret, ret > 0 ? ret : 0);
	return false;
}

/*
 * One round of the Computational Programs flow through NVMe: a program
 * loaded in 1-3 pieces in order (sometimes after a piece out of order,
 * which must be refused), activated, a range set created over SLM, Execute
 * Program over them, then all undone.  Or hostile bytecode, loaded into a
 * slot no pool names, which the validator must refuse (or, for what it
 * cannot judge statically, takes: it is unloaded unrun).  The statuses each
 * step accepts are those the workers' racing commands explain (a worker's
 * command may name the churn's slots and sets): anything else is counted
 * in cp_bad and fails the campaign.
 */
static void churn_cp(struct fz_rng *r, int fd, int fd2)
{
	uint8_t p[64 * 8] __attribute__((aligned(8)));
	struct { uint32_t mnsid, len; uint64_t start; uint8_t rsvd[16]; } mrd[2];
	bool hostile = fz_pct(r, 15);
	unsigned int i = hostile ? fz_nr_progs + fz_below(r, fz_nr_hostile) :
			 fz_below(r, fz_nr_progs);
	unsigned int n = fz_prog(i, p, 64), done = 0, q, t;
	int pind = hostile ? HOSTILE_PIND :
		   FZ_CP_PIND_FIRST + fz_below(r, FZ_CP_PIND_LAST - FZ_CP_PIND_FIRST + 1);
	uint32_t size = n * 8, id = 0, rsid = 0;
	int ret = 0;

	if (n > 1 && fz_pct(r, 20)) {	/* a later piece first: no load under way */
		G.cp_ooo++;
		ret = cp_load(fd, pind, 0, size, 8, p + 8, size - 8, NULL);
		cp_expect("Load Program, a piece out of order", ret, 2, SC_PROG_DATA,
			  SC_PROG_IN_USE);
	}
	q = n > 2 && fz_pct(r, 40) ? 2 + fz_below(r, 2) : 1;
	G.cp_pieces += q;
	for (; q; q--) {
		bool first = !done;

		t = q == 1 ? n - done : 1 + fz_below(r, n - done - q + 1);
		ret = cp_load(fd, pind, 0, size, done * 8, p + done * 8, t * 8, &id);
		done += t;
		/*
		 * the first piece: the slot may hold what a worker loaded there
		 * (a mutated PIND); a later one: a worker's unload (SEL 1, a
		 * mutated PIND) may have dropped the load under way; the last
		 * one of hostile bytecode: the validator
		 */
		if (ret == 0)
			continue;
		if (first)
			cp_expect("Load Program, first piece", ret, 2, SC_PROG_IN_USE,
				  q == 1 && hostile ? SC_PROG_DATA : SC_PROG_IN_USE);
		else
			cp_expect("Load Program, next piece", ret, 1, SC_PROG_DATA);
		break;
	}
	if (hostile) {
		G.cp_hostile++;
		if (ret == 0 && fz_hostile_must_refuse(i - fz_nr_progs) &&
		    G.cp_bad++ < 5)
			printf("# churn_cp: hostile program %u was loaded\n", i - fz_nr_progs);
		if (ret == 0) {
			G.cp_hostile_loaded++;
			cp_expect("Load Program SEL 1 (unload)", cp_load(fd, pind, 1, 0, 0, NULL, 0, NULL),
				  2, 0, SC_PROG_IN_USE);
		}
		return;
	}
	if (ret)
		return;
	G.cp_loads++;
	ret = cp_act(fd, pind, 1);
	cp_expect("Program Activation Management", ret, 3, 0, SC_MAX_ACT, SC_NO_PROG);
	if (ret == 0)
		pool_add(FZ_S_CP_PIND, pind);
	memset(mrd, 0, sizeof(mrd));
	mrd[0].mnsid = mrd[1].mnsid = 3;
	mrd[0].start = fz_below(r, 64) * 4096;
	mrd[0].len = 4096 * (1 + fz_below(r, 4));
	mrd[1].start = mrd[0].start + mrd[0].len + 4096;
	mrd[1].len = 4096;
	ret = cp_mrs(fd, 0, &rsid, mrd, 2);
	cp_expect("Memory Range Set Management create", ret, 2, 0, SC_MAX_SETS);
	if (ret == 0) {
		struct nvme_passthru_cmd64 c = cmd64(0x01, 2, NULL, 0);

		pool_add(FZ_S_RSID, rsid);
		c.cdw2 = pind | rsid << 16;
		ret = nvme_ioctl(fd2, NVME_IOCTL_IO64_CMD, &c);
		G.cp_execs++;
		G.cp_exec_ok += ret == 0;
		/* a worker may deactivate, unload, delete; the runs limit; a run's end */
		if (ret < (DNR | 0x7c1) || ret > (DNR | 0x7c5))
			cp_expect("Execute Program", ret, 6, 0, SC_NOT_ACT, SC_NO_PROG, SC_MRS_ID,
				  SC_RUNS, SC_MAX_ACT);
	}
	usleep(fz_below(r, 5000));
	cp_expect("Program Activation Management SEL 0", cp_act(fd, pind, 0), 3, 0,
		  SC_PROG_IN_USE, SC_NO_PROG);
	cp_expect("Load Program SEL 1 (unload)", cp_load(fd, pind, 1, 0, 0, NULL, 0, NULL),
		  3, 0, SC_PROG_IN_USE, SC_NO_PROG);
	if (rsid && fz_pct(r, 70))
		cp_expect("Memory Range Set Management delete", cp_mrs(fd, 1, &rsid, NULL, 0),
			  3, 0, SC_MRS_ID, SC_MRS_IN_USE);
}

/* Drop the workers' NVMe loads under way and programs in the slots they load. */
static void cp_unload_all(int fd)
{
	int pind;

	for (pind = FZ_CP_PIND_FIRST; pind <= FZ_FREE_PIND_LAST; pind++)
		cp_load(fd, pind, 1, 0, 0, NULL, 0, NULL);
}

void *churn_progs(void *arg)
{
	uint8_t insns[64 * 8] __attribute__((aligned(8)));
	struct uringblk_mem_range mr[2];
	struct io_uring ring;
	struct uringblk_cmd c;
	struct fz_rng r;
	unsigned long it = 0;
	int fd, fd2, id, rs, pind;

	fz_rng_seed(&r, G.seed ^ 0x9a9a9a9aULL);
	fd = ubt_open_cdev(0, O_RDWR);
	fd2 = open("/dev/uringblkc0n2", O_RDWR | O_CLOEXEC);
	if (fd < 0 || ubt_ring_init(&ring, 0))
		return NULL;
	while (!stopping()) {
		if (fd2 >= 0)
			churn_cp(&r, fd, fd2);
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
		if (++it % 32 == 0) {	/* what the workers loaded, too */
			unload_all(&ring, fd);
			cp_unload_all(fd);
		}
	}
	io_uring_queue_exit(&ring);
	close(fd);
	if (fd2 >= 0)
		close(fd2);
	return NULL;
}

/* --- controller resets under the workers ------------------------------------ */

/*
 * Reset a drive's controller now and then, by NVME_IOCTL_RESET on
 * /dev/nvmeX or by sysfs reset_controller (both nvme_reset_ctrl_sync()):
 * the commands in flight on its queues are cancelled (-EINTR) or refused
 * while it is not live (Host Path Error), which the workers accept only
 * when G.rseq says a reset overlapped them.  A drive that stays must take
 * every reset (0); the churned one may be going (the open fails, -EBUSY
 * from a controller being deleted, -ENETRESET when it was not live after).
 */
void *churn_resets(void *arg)
{
	struct fz_rng r;

	(void)arg;
	fz_rng_seed(&r, G.seed ^ 0x5e5e7ULL);
	while (!stopping()) {
		int slot = fz_pct(&r, 45) ? 0 : fz_pct(&r, 60) ? 1 : 2, ret, fd;
		bool by_ioctl = fz_pct(&r, 50), stays = slot < 2;
		struct drive snap;
		char path[96];

		usleep(100000 + fz_below(&r, 500000));
		pthread_mutex_lock(&G.lock);
		snap = G.drives[slot];
		pthread_mutex_unlock(&G.lock);
		if (!snap.present || snap.nodes.ctrl < 0)
			continue;
		__atomic_fetch_add(&G.rseq[slot], 1, __ATOMIC_SEQ_CST);	/* odd: running */
		__atomic_store_n(&G.reset_since, (int64_t)(now() * 1000), __ATOMIC_SEQ_CST);
		if (by_ioctl) {
			snprintf(path, sizeof(path), "/dev/nvme%d", snap.nodes.ctrl);
			fd = open(path, O_RDONLY | O_CLOEXEC);
			ret = fd < 0 ? -errno : ioctl(fd, NVME_IOCTL_RESET) ? -errno : 0;
			if (fd >= 0)
				close(fd);
			G.resets_ioctl++;
		} else {
			snprintf(path, sizeof(path), "/sys/class/nvme/nvme%d/reset_controller",
				 snap.nodes.ctrl);
			ret = ubt_write_str(path, "1");
			G.resets_sysfs++;
		}
		__atomic_store_n(&G.reset_since, 0, __ATOMIC_SEQ_CST);
		__atomic_fetch_add(&G.rseq[slot], 1, __ATOMIC_SEQ_CST);
		if (!ret) {
			G.resets++;
		} else if (!stays) {
			G.reset_gone++;
		} else if (ret == -EBUSY) {
			/* never from this thread alone: count it, as a failure */
			G.reset_busy++;
			G.reset_bad++;
			printf("# churn_resets: reset of nvme%d (uringblk%d) by %s: %s\n",
			       snap.nodes.ctrl, snap.idx, by_ioctl ? "ioctl" : "sysfs", strerror(-ret));
		} else {
			G.reset_bad++;
			printf("# churn_resets: reset of nvme%d (uringblk%d) by %s: %s\n",
			       snap.nodes.ctrl, snap.idx, by_ioctl ? "ioctl" : "sysfs", strerror(-ret));
		}
	}
	return NULL;
}
