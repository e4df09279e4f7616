// SPDX-License-Identifier: GPL-2.0
/*
 * NVMe Execute Program (01h, /dev/uringblkc0n2) pays the timing model as
 * the drive's own EXECUTE does (Documentation/admin/timing-model.md,
 * Documentation/dev/nvme-cp.md): a compute unit, its measured run scaled
 * by compute_factor_pct, firmware and link latency; by URING_CMD (the CQE
 * waits on the model's timer) and by ioctl (the caller sleeps, killable).
 *  - at QD1, by URING_CMD, by the 64-bit and by the 32-bit ioctl: each
 *    completes no earlier than firmware + its modelled run + link latency
 *    (the run's model read from timing_cu_model_ns, which must be
 *    factor x timing_cu_run_ns), and at least the parameters' fixed part;
 *    every completion held or late, none hurried; the result intact;
 *  - one compute unit serialises concurrent runs: N at once (by URING_CMD,
 *    by ioctl from N threads, and both mixed) take at least firmware +
 *    the sum of their modelled runs + link latency, N - 1 of them wait
 *    for the unit (timing_cu_waits);
 *  - ioctl callers killed, one waiting for the unit and one holding it
 *    for a modelled ~100 s: each process ends at once (timing_hurried),
 *    the other is not disturbed, the module unloads; the same for a
 *    process with runs in flight by URING_CMD;
 *  - a drive powered off with ioctl and URING_CMD runs holding and waiting
 *    for its unit: all complete at once (the holder with its result, the
 *    queued ones Namespace Not Ready), and the module unloads.
 * Only lower bounds on time (the host is shared and slow): the guards on
 * the kill and removal cases are tens of seconds against a modelled
 * hundred.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "nvme_cp.h"

#define R0 0
#define R1 1
#define R2 2
#define CFG_ROOT	"/sys/kernel/config/uringblk"
#define CFG_DEV		CFG_ROOT "/nvme_cp_timing"

/* The model (module parameter timing=): milliseconds a command, one unit at 10x. */
#define FW_NS		5000000ULL	/* 5 ms */
#define LINK_LAT_NS	20000000ULL	/* 20 ms */
#define FACTOR_PCT	1000ULL		/* modelled run = 10 x measured */
#define TIMING		"fw_overhead_ns=5000000,link_lat_ns=20000000," \
			"compute_units=1,compute_factor_pct=1000"
#define PARAMS		"capacity_mb=16 nr_devices=1 slm_size_mb=4 " \
			"max_execs_per_file=64 timing=" TIMING
/* A run held ~1000x its measured time: 10^6 laps (~0.1 s on TCG) ~ 100 s. */
#define HOLD_TIMING	"compute_units=1,compute_factor_pct=100000"
#define HOLD_LOOPS	1000000ULL

#define NR_QD1		6
#define NR_BATCH	4

/* r0 = args[0] + args[1] + args[2] */
static const struct bpf_insn sum3[] = {
	BPF_LDX_MEM(BPF_DW, R0, R1, UBP_CTX(args[0])),
	BPF_LDX_MEM(BPF_DW, R2, R1, UBP_CTX(args[1])),
	BPF_ALU64_REG(BPF_ADD, R0, R2),
	BPF_LDX_MEM(BPF_DW, R2, R1, UBP_CTX(args[2])),
	BPF_ALU64_REG(BPF_ADD, R0, R2),
	BPF_EXIT_INSN(),
};

static uint64_t counter(int idx, const char *name)
{
	uint64_t v = ~0ULL;

	ubp_counter(idx, name, &v);
	return v;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* The model's counters on drive 0, read together. */
struct tcount {
	uint64_t held, late, hurried, waits, run_ns, model_ns;
};

static struct tcount tcount(void)
{
	return (struct tcount) {
		.held = counter(0, "timing_held"), .late = counter(0, "timing_late"),
		.hurried = counter(0, "timing_hurried"),
		.waits = counter(0, "timing_cu_waits"),
		.run_ns = counter(0, "timing_cu_run_ns"),
		.model_ns = counter(0, "timing_cu_model_ns"),
	};
}

/* How Execute Program is sent. */
enum how { BY_URING, BY_IOCTL64, BY_IOCTL };

/* One Execute Program: 0 and its result in *@r0, or the status / -errno. */
static int ep_send(struct io_uring *ring, int nfd, enum how how,
		const struct nvme_passthru_cmd64 *c, uint64_t *r0)
{
	struct nvme_passthru_cmd64 c64 = *c;
	struct nvme_passthru_cmd c32;
	int ret;

	switch (how) {
	case BY_URING:
		return uexec(ring, nfd, c, r0, 0);
	case BY_IOCTL64:
		ret = nvme_ioctl(nfd, NVME_IOCTL_IO64_CMD, &c64);
		*r0 = c64.result;
		return ret;
	default:
		memset(&c32, 0, sizeof(c32));
		c32.opcode = c->opcode;
		c32.nsid = c->nsid;
		c32.cdw2 = c->cdw2;
		c32.addr = c->addr;
		c32.data_len = c->data_len;
		c32.cdw10 = c->cdw10;
		c32.cdw11 = c->cdw11;
		c32.cdw12 = c->cdw12;
		c32.cdw13 = c->cdw13;
		ret = nvme_ioctl(nfd, NVME_IOCTL_IO_CMD, &c32);
		*r0 = c32.result;	/* 32 bits of it */
		return ret;
	}
}

FIXTURE(cpt) {
	struct io_uring ring;	/* 64 entries, SQE128 and CQE32 */
	int fd;			/* /dev/uringblkc0: EXEC for the calibration */
	int nfd;		/* /dev/uringblkc0n2 */
	uint32_t rsid;		/* a set over SLM's first page */
	int loop_id;		/* ubp_count_loop in slot 2 */
};

FIXTURE_SETUP(cpt)
{
	self->ring.ring_fd = -1;
	self->fd = self->nfd = -1;
	UBT_SETUP_MODULE(ubt_module_reload, PARAMS);
	self->fd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, self->fd);
	self->nfd = open(CP_NODE, O_RDWR);
	ASSERT_LE(0, self->nfd);
	ASSERT_EQ(0, io_uring_queue_init(64, &self->ring,
					 IORING_SETUP_SQE128 | IORING_SETUP_CQE32));
	self->rsid = set_create(self->fd, PAGE);
	ASSERT_NE(0, self->rsid);
	ASSERT_LT(0, load_act(self->fd, 1, sum3, UBP_NINSNS(sum3)));
	self->loop_id = load_act(self->fd, 2, ubp_count_loop, UBP_NINSNS(ubp_count_loop));
	ASSERT_LT(0, self->loop_id);
}

FIXTURE_TEARDOWN(cpt)
{
	if (self->ring.ring_fd >= 0)
		io_uring_queue_exit(&self->ring);
	if (self->nfd >= 0)
		close(self->nfd);
	if (self->fd >= 0)
		close(self->fd);
}

/*
 * NR_QD1 Execute Programs sent @how at QD1: each no earlier than its model,
 * every one held or late, none hurried, the unit never waited for.
 */
static void qd1(struct __test_metadata *_metadata, FIXTURE_DATA(cpt) *self, enum how how,
		const char *what)
{
	struct tcount a, b, s, s2;
	uint64_t t, r0, model, sum_t = 0, sum_model = 0;

	a = tcount();
	for (int i = 0; i < NR_QD1; i++) {
		struct nvme_passthru_cmd64 c = exec_cmd(1, self->rsid, 1000 + i, 7, NULL, 0);

		s = tcount();
		t = now_ns();
		ASSERT_EQ(0, ep_send(&self->ring, self->nfd, how, &c, &r0))
			TH_LOG("%s %d", what, i);
		t = now_ns() - t;
		s2 = tcount();
		EXPECT_EQ(1007 + i, r0) TH_LOG("%s %d", what, i);
		/* the unit held for 10x the run, as EXECUTE's */
		EXPECT_EQ(FACTOR_PCT / 100 * (s2.run_ns - s.run_ns), s2.model_ns - s.model_ns)
			TH_LOG("%s %d: the run did not hold a unit for its model", what, i);
		EXPECT_LT(s.run_ns, s2.run_ns) TH_LOG("%s %d: no run on a unit", what, i);
		model = FW_NS + (s2.model_ns - s.model_ns) + LINK_LAT_NS;
		EXPECT_LE(model, t) TH_LOG("%s %d: %.3f ms, modelled %.3f ms", what, i,
					   t / 1e6, model / 1e6);
		sum_t += t;
		sum_model += model;
	}
	b = tcount();
	EXPECT_EQ(NR_QD1, (b.held - a.held) + (b.late - a.late))
		TH_LOG("%s: held %llu + late %llu: the model did not see every command", what,
		       (unsigned long long)(b.held - a.held),
		       (unsigned long long)(b.late - a.late));
	EXPECT_EQ(0, b.hurried - a.hurried);
	EXPECT_EQ(0, b.waits - a.waits);
	EXPECT_LE((uint64_t)NR_QD1 * (FW_NS + LINK_LAT_NS), sum_t);
	TH_LOG("%s: %d at QD1, measured %.3f ms, modelled %.3f ms", what, NR_QD1,
	       sum_t / 1e6, sum_model / 1e6);
}

TEST_F(cpt, uring_cmd_pays_the_model)
{
	qd1(_metadata, self, BY_URING, "URING_CMD");
}

TEST_F(cpt, ioctl64_pays_the_model)
{
	qd1(_metadata, self, BY_IOCTL64, "NVME_IOCTL_IO64_CMD");
}

TEST_F(cpt, ioctl_pays_the_model)
{
	qd1(_metadata, self, BY_IOCTL, "NVME_IOCTL_IO_CMD");
}

/* A refused Execute Program costs nothing: no unit, no deadline. */
TEST_F(cpt, refused_costs_nothing)
{
	/* slot 9 is empty: No Program */
	struct nvme_passthru_cmd64 c = exec_cmd(9, self->rsid, 0, 0, NULL, 0);
	struct tcount a, b;
	uint64_t r0;

	a = tcount();
	EXPECT_EQ(DNR | 0x196, ep_send(&self->ring, self->nfd, BY_IOCTL64, &c, &r0));
	EXPECT_EQ(DNR | 0x196, ep_send(&self->ring, self->nfd, BY_URING, &c, &r0));
	b = tcount();
	EXPECT_EQ(0, (b.held - a.held) + (b.late - a.late) + (b.hurried - a.hurried));
	EXPECT_EQ(a.run_ns, b.run_ns);
}

struct runner {
	int nfd;
	enum how how;
	struct nvme_passthru_cmd64 c;
	pthread_barrier_t *go;
	int ret;
	uint64_t r0;
};

/* One Execute Program by ioctl, on a thread of its own. */
static void *run_thread(void *arg)
{
	struct runner *r = arg;

	pthread_barrier_wait(r->go);
	r->ret = ep_send(NULL, r->nfd, r->how, &r->c, &r->r0);
	return NULL;
}

/*
 * NR_BATCH runs at once on the drive's one unit: @nr_ioctl of them by
 * ioctl (a thread each), the rest by URING_CMD.  Together they take at
 * least firmware + the sum of their modelled runs + link latency, and
 * all but the first wait for the unit.
 */
static void batch(struct __test_metadata *_metadata, FIXTURE_DATA(cpt) *self, int nr_ioctl)
{
	struct runner r[NR_BATCH];
	pthread_t th[NR_BATCH];
	pthread_barrier_t go;
	struct io_uring_cqe *cqe;
	struct tcount a, b;
	uint64_t loops, t, floor_ns;
	const int nr_uring = NR_BATCH - nr_ioctl;

	/* ~0.3 s of modelled run each (the calibration's EXEC pays the model) */
	loops = ubp_calibrate_loop(&self->ring, self->fd, self->loop_id, 0.3);
	ASSERT_LT(0, loops);
	ASSERT_EQ(0, pthread_barrier_init(&go, NULL, nr_ioctl + 1));
	a = tcount();
	for (int i = 0; i < nr_ioctl; i++) {
		r[i] = (struct runner) {
			.nfd = self->nfd, .how = BY_IOCTL64, .go = &go,
			.c = exec_cmd(2, self->rsid, loops + i, 0, NULL, 0),
		};
		ASSERT_EQ(0, pthread_create(&th[i], NULL, run_thread, &r[i]));
	}
	for (int i = 0; i < nr_uring; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&self->ring);
		struct nvme_passthru_cmd64 c = exec_cmd(2, self->rsid, loops + 100 + i, 0, NULL, 0);

		ASSERT_NE(NULL, sqe);
		nvme_uring_prep(sqe, self->nfd, &c, 100 + i, 0);
	}
	t = now_ns();
	pthread_barrier_wait(&go);
	if (nr_uring)
		ASSERT_EQ(nr_uring, io_uring_submit(&self->ring));
	for (int i = 0; i < nr_uring; i++) {
		ASSERT_EQ(0, io_uring_wait_cqe(&self->ring, &cqe));
		EXPECT_EQ(0, cqe->res);
		EXPECT_EQ(loops + cqe->user_data, cqe->big_cqe[0]);
		io_uring_cqe_seen(&self->ring, cqe);
	}
	for (int i = 0; i < nr_ioctl; i++) {
		pthread_join(th[i], NULL);
		EXPECT_EQ(0, r[i].ret) TH_LOG("ioctl %d", i);
		EXPECT_EQ(loops + i, r[i].r0) TH_LOG("ioctl %d", i);
	}
	t = now_ns() - t;
	b = tcount();
	pthread_barrier_destroy(&go);
	floor_ns = FW_NS + (b.model_ns - a.model_ns) + LINK_LAT_NS;
	TH_LOG("%d by ioctl + %d by URING_CMD on one unit: %.3f s; modelled runs %.3f s "
	       "(measured %.3f s), %llu waited",
	       nr_ioctl, nr_uring, t / 1e9, (b.model_ns - a.model_ns) / 1e9,
	       (b.run_ns - a.run_ns) / 1e9, (unsigned long long)(b.waits - a.waits));
	EXPECT_EQ(FACTOR_PCT / 100 * (b.run_ns - a.run_ns), b.model_ns - a.model_ns);
	EXPECT_LE(floor_ns, t) TH_LOG("faster than one unit could run them");
	EXPECT_EQ(NR_BATCH - 1, b.waits - a.waits) TH_LOG("the runs did not queue for the unit");
	EXPECT_EQ(NR_BATCH, (b.held - a.held) + (b.late - a.late));
	EXPECT_EQ(0, b.hurried - a.hurried);
}

TEST_F_TIMEOUT(cpt, one_unit_serialises_uring_cmd, 300)
{
	batch(_metadata, self, 0);
}

TEST_F_TIMEOUT(cpt, one_unit_serialises_ioctl, 300)
{
	batch(_metadata, self, NR_BATCH);
}

TEST_F_TIMEOUT(cpt, one_unit_serialises_mixed, 300)
{
	batch(_metadata, self, NR_BATCH / 2);
}

/* ---- killed and removed with runs held for a modelled ~100 s ------------ */

/*
 * A process that sends Execute Program of slot 2 over set @rsid with
 * @loops laps: once by ioctl (@how), or @n times by URING_CMD, then pauses.
 */
static pid_t spawn_runner(uint32_t rsid, enum how how, uint64_t loops, int n)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	{
		struct nvme_passthru_cmd64 c = exec_cmd(2, rsid, loops, 0, NULL, 0);
		int nfd = open(CP_NODE, O_RDWR);
		struct io_uring ring;
		uint64_t r0;

		if (nfd < 0)
			_exit(2);
		if (how != BY_URING) {
			ep_send(NULL, nfd, how, &c, &r0);
			_exit(4);	/* the ioctl returned: killed too late */
		}
		if (io_uring_queue_init(8, &ring, IORING_SETUP_SQE128 | IORING_SETUP_CQE32))
			_exit(5);
		for (int i = 0; i < n; i++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

			if (!sqe)
				_exit(6);
			nvme_uring_prep(sqe, nfd, &c, i, 0);
		}
		if (io_uring_submit(&ring) != n)
			_exit(6);
		pause();	/* killed here, its runs in flight */
		_exit(7);
	}
}

/* Kill @pid; 0 once it is reaped killed, within @secs (a guard). */
static int kill_reap(pid_t pid, double secs, double *took)
{
	double t0 = ubp_now();
	int status = 0;
	pid_t w;

	if (kill(pid, SIGKILL))
		return -errno;
	while ((w = waitpid(pid, &status, WNOHANG)) == 0) {
		if (ubp_now() - t0 > secs)
			return -ETIME;
		usleep(5000);
	}
	*took = ubp_now() - t0;
	if (w != pid)
		return -ECHILD;
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ? 0 : -ECHILD;
}

/* A drive whose runs are held 1000x their measured time; the runners it spawned. */
FIXTURE(hold) {
	int fd;			/* /dev/uringblkc0 */
	uint32_t rsid;		/* a set over SLM's first page */
	pid_t pids[2];		/* runners not reaped yet, 0 once they are */
};

FIXTURE_SETUP(hold)
{
	self->fd = -1;
	self->pids[0] = self->pids[1] = 0;
	UBT_SETUP_MODULE(ubt_module_reload,
			 "capacity_mb=16 nr_devices=1 slm_size_mb=4 timing=" HOLD_TIMING);
	self->fd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, self->fd);
	ASSERT_LT(0, load_act(self->fd, 2, ubp_count_loop, UBP_NINSNS(ubp_count_loop)));
	self->rsid = set_create(self->fd, PAGE);
	ASSERT_NE(0, self->rsid);
}

/* A failed case leaves no runner behind to pin the module. */
FIXTURE_TEARDOWN(hold)
{
	for (int i = 0; i < 2; i++) {
		if (self->pids[i] > 0) {
			kill(self->pids[i], SIGKILL);
			waitpid(self->pids[i], NULL, 0);
		}
	}
	if (self->fd >= 0)
		close(self->fd);
}

/*
 * By ioctl: one process holds the unit for ~100 s of modelled run (its
 * run over, it sleeps to its deadline), another waits for the unit.
 * Killed, each ends at once, hurried; the holder is not disturbed by the
 * waiter's end; the module unloads.  (With the old driver, which did not
 * model Execute Program, the holder's ioctl returns at once and no unit
 * is ever taken: the waits below fail.)
 */
TEST_F(hold, kill_ioctl_holder_and_waiter)
{
	uint64_t hurried, v;
	double took;
	int ret;

	self->pids[0] = spawn_runner(self->rsid, BY_IOCTL64, HOLD_LOOPS, 1);
	ASSERT_LT(0, self->pids[0]);
	ASSERT_EQ(0, ubp_wait_counter(0, "timing_cu_run_ns", 1, 20, &v))
		TH_LOG("the holder's run did not end on a unit");
	v = counter(0, "timing_cu_waits");
	self->pids[1] = spawn_runner(self->rsid, BY_IOCTL64, 1000, 1);
	ASSERT_LT(0, self->pids[1]);
	ASSERT_EQ(0, ubp_wait_counter(0, "timing_cu_waits", v + 1, 20, &v))
		TH_LOG("the second run did not wait for the unit");
	ASSERT_EQ(0, waitpid(self->pids[0], NULL, WNOHANG)) TH_LOG("the holder returned early");
	hurried = counter(0, "timing_hurried");
	EXPECT_EQ(0, kill_reap(self->pids[1], 20, &took)) TH_LOG("the waiter did not end");
	self->pids[1] = 0;
	TH_LOG("the waiter ended %.3f s after SIGKILL", took);
	EXPECT_EQ(hurried + 1, counter(0, "timing_hurried"));
	EXPECT_EQ(0, waitpid(self->pids[0], NULL, WNOHANG)) TH_LOG("the holder was disturbed");
	EXPECT_EQ(0, kill_reap(self->pids[0], 20, &took)) TH_LOG("the holder did not end");
	self->pids[0] = 0;
	TH_LOG("the holder ended %.3f s after SIGKILL", took);
	EXPECT_EQ(hurried + 2, counter(0, "timing_hurried"));
	close(self->fd);
	self->fd = -1;
	ret = ubp_module_unload_wait(5000);
	EXPECT_EQ(0, ret) TH_LOG("rmmod: %s", strerror(-ret));
}

/* By URING_CMD: two runs in flight (one held, one queued), the process killed. */
TEST_F(hold, kill_uring_cmd_runs)
{
	uint64_t hurried, v;
	double took, t0;
	int ret;

	self->pids[0] = spawn_runner(self->rsid, BY_URING, HOLD_LOOPS, 2);
	ASSERT_LT(0, self->pids[0]);
	ASSERT_EQ(0, ubp_wait_counter(0, "timing_cu_run_ns", 1, 20, &v))
		TH_LOG("the first run did not end on a unit");
	EXPECT_EQ(1, counter(0, "timing_cu_waits")) TH_LOG("the second run did not queue");
	hurried = counter(0, "timing_hurried");
	EXPECT_EQ(0, kill_reap(self->pids[0], 20, &took));
	self->pids[0] = 0;
	/*
	 * Guards, not measures: the watch looks every 100 ms, the model is
	 * ~100 s.  The held run is hurried; the queued one too, or, handed
	 * the unit first, it stops at once without running.
	 */
	t0 = ubp_now();
	while (counter(0, "timing_hurried") == hurried && ubp_now() - t0 < 20)
		usleep(10000);
	EXPECT_LT(hurried, counter(0, "timing_hurried"))
		TH_LOG("the runs of the killed process did not end in 20 s");
	TH_LOG("the runs ended %.3f s after the process", ubp_now() - t0);
	close(self->fd);
	self->fd = -1;
	ret = ubp_module_unload_wait(20000);
	EXPECT_EQ(0, ret) TH_LOG("rmmod: %s", strerror(-ret));
}

struct power_off {
	const char	*path;
	int		ret;
	double		secs;
};

static void *power_off_thread(void *arg)
{
	struct power_off *p = arg;
	double t = ubp_now();

	p->ret = ubt_write_str(p->path, "0");
	p->secs = ubp_now() - t;
	return NULL;
}

/*
 * A drive powered off while an ioctl run holds its unit for ~100 s, an
 * ioctl run and two URING_CMD runs wait for it: all complete at once, the
 * holder with its result (it ran), the waiting ones Namespace Not Ready;
 * the module unloads.
 */
/* The configfs drive of removal_ends_held_and_queued, gone whatever the case did. */
FIXTURE(rm) {
	int unused;
};

FIXTURE_SETUP(rm)
{
	self->unused = 0;
}

FIXTURE_TEARDOWN(rm)
{
	if (access(CFG_DEV, F_OK) == 0) {
		ubt_write_str(CFG_DEV "/power", "0");
		rmdir(CFG_DEV);
	}
}

TEST_F(rm, removal_ends_held_and_queued)
{
	struct power_off po = { .path = CFG_DEV "/power" };
	struct runner r[2];
	pthread_t th[2], pt;
	pthread_barrier_t go;
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	uint64_t idx, v;
	uint32_t rsid;
	char node[64];
	int fd, nfd, ret;

	ret = ubt_module_loaded() ? ubp_module_unload_wait(5000) : 0;
	ASSERT_EQ(0, ret) TH_LOG("rmmod: %s", strerror(-ret));
	ret = ubt_module_load("nr_devices=0");
	if (ret == -ENOENT)
		SKIP(return, "URINGBLK_KO not set: cannot load the module");
	ASSERT_EQ(0, ret);
	if (access("/sys/kernel/config", F_OK) == 0 && access(CFG_ROOT, F_OK) != 0)
		mount("configfs", "/sys/kernel/config", "configfs", 0, NULL);
	if (access(CFG_ROOT, F_OK) != 0)
		SKIP(return, "no configfs: %s does not exist", CFG_ROOT);
	ASSERT_EQ(0, mkdir(CFG_DEV, 0755)) TH_LOG("mkdir %s: %m", CFG_DEV);
	ASSERT_EQ(0, ubt_write_str(CFG_DEV "/slm_size", "1048576"));
	ASSERT_EQ(0, ubt_write_str(CFG_DEV "/timing", HOLD_TIMING));
	ASSERT_EQ(0, ubt_write_str(CFG_DEV "/power", "1"));
	ASSERT_EQ(0, ubt_read_u64(CFG_DEV "/index", &idx));
	snprintf(node, sizeof(node), "/dev/uringblkc%dn2", (int)idx);
	ASSERT_EQ(0, ubt_wait_path(node, 5000));
	fd = ubt_open_cdev(idx, O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_LT(0, load_act(fd, 2, ubp_count_loop, UBP_NINSNS(ubp_count_loop)));
	rsid = set_create(fd, PAGE);
	ASSERT_NE(0, rsid);
	nfd = open(node, O_RDWR);
	ASSERT_LE(0, nfd);
	ASSERT_EQ(0, io_uring_queue_init(8, &ring, IORING_SETUP_SQE128 | IORING_SETUP_CQE32));

	/* the holder by ioctl: its run ends for real, then it sleeps ~100 s */
	ASSERT_EQ(0, pthread_barrier_init(&go, NULL, 1));
	r[0] = (struct runner) { .nfd = nfd, .how = BY_IOCTL64, .go = &go,
				 .c = exec_cmd(2, rsid, HOLD_LOOPS, 0, NULL, 0) };
	ASSERT_EQ(0, pthread_create(&th[0], NULL, run_thread, &r[0]));
	ASSERT_EQ(0, ubp_wait_counter(idx, "timing_cu_run_ns", 1, 20, &v))
		TH_LOG("the holder's run did not end on a unit");
	/* then one by ioctl and two by URING_CMD wait for the unit */
	r[1] = (struct runner) { .nfd = nfd, .how = BY_IOCTL64, .go = &go,
				 .c = exec_cmd(2, rsid, 1000, 0, NULL, 0) };
	ASSERT_EQ(0, pthread_create(&th[1], NULL, run_thread, &r[1]));
	ASSERT_EQ(0, ubp_wait_counter(idx, "timing_cu_waits", 1, 20, &v));
	for (int i = 0; i < 2; i++) {
		struct nvme_passthru_cmd64 c = exec_cmd(2, rsid, 1000 + i, 0, NULL, 0);
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

		ASSERT_NE(NULL, sqe);
		nvme_uring_prep(sqe, nfd, &c, i, 0);
	}
	ASSERT_EQ(2, io_uring_submit(&ring));
	ASSERT_EQ(0, ubp_wait_counter(idx, "timing_cu_waits", 3, 20, &v))
		TH_LOG("%llu runs waiting for the unit, not 3", (unsigned long long)v);

	ASSERT_EQ(0, pthread_create(&pt, NULL, power_off_thread, &po));
	for (int i = 0; i < 2; i++) {
		struct __kernel_timespec ts = { .tv_sec = 20 };

		/* a guard, not a measure: the holder's model is ~100 s */
		ASSERT_EQ(0, io_uring_wait_cqe_timeout(&ring, &cqe, &ts))
			TH_LOG("URING_CMD %d not completed 20 s after power = 0", i);
		EXPECT_EQ(SC_NS_NOT_READY, cqe->res);
		EXPECT_EQ(0, cqe->big_cqe[0]);
		io_uring_cqe_seen(&ring, cqe);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	pthread_join(pt, NULL);
	pthread_barrier_destroy(&go);
	EXPECT_EQ(0, po.ret) TH_LOG("power = 0: %s", strerror(-po.ret));
	EXPECT_EQ(0, r[0].ret) TH_LOG("the holder ran: its result");
	EXPECT_EQ(HOLD_LOOPS, r[0].r0);
	EXPECT_EQ(SC_NS_NOT_READY, r[1].ret) TH_LOG("the queued ioctl run");
	TH_LOG("removal took %.3f s", po.secs);
	io_uring_queue_exit(&ring);
	close(nfd);
	close(fd);
	EXPECT_EQ(0, rmdir(CFG_DEV)) TH_LOG("rmdir: %m");
	ret = ubp_module_unload_wait(5000);
	EXPECT_EQ(0, ret) TH_LOG("rmmod: %s", strerror(-ret));
}

TEST_HARNESS_MAIN
