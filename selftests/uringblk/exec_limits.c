// SPDX-License-Identifier: GPL-2.0
/*
 * How much one user can hold of the kernel through EXEC (uAPI EXEC,
 * "Limits"):
 *  - in flight: at most max_execs_per_file EXECs on one open file of the
 *    command device and max_execs on a drive; one more is -EBUSY, another
 *    drive is not affected, and the room comes back when the runs end;
 *  - both limits out of range are refused, as module parameters and in
 *    configfs (with the reason in "error");
 *  - memory: a run's memory (here its 1 MiB output buffer) is charged to
 *    the submitter's memory cgroup, and over the cgroup's memory.max an
 *    EXEC is -ENOMEM, with nobody OOM-killed.
 * The runs that stay in flight are "ja -1" spins with the largest budget,
 * submitted by a child process that the test SIGKILLs to end them.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "prog_test.h"

#define R0 0
#define MIB		(1024 * 1024)
#define CG		UBT_CG_ROOT "/ubt_exec_limits"
#define CFG_DEV		"/sys/kernel/config/uringblk/exec_limits"
#define NR_BIG		16	/* runs with a 1 MiB output */
#define ROOM_MIB	4	/* memory.max: this much above memory.current */
#define ROOM_SLACK	4	/* runs that may start on reclaimed memory */

/* forever, one unit a lap: with the largest budget it runs for hours */
static const struct bpf_insn spin[] = { BPF_JMP_A(-1) };
static const struct bpf_insn seven[] = { BPF_MOV64_IMM(R0, 7), BPF_EXIT_INSN() };

/* What the child saw, for the parent to check. */
struct shared {
	volatile int ready;	/* 1: the child is done and waits to be killed; -1: failed;
				 * memcg: 2 while it reaps, until the parent says 1 */
	char why[128];		/* if it failed */
	int res[8];		/* cqe->res by user_data */
	volatile int enomem;	/* memcg: EXECs refused with -ENOMEM */
	volatile int other;	/* memcg: any other early completion */
	uint64_t started;	/* runs that started (prog_runs delta) */
	uint64_t mem_before;	/* memory.current before the EXECs */
	uint64_t mem_after;	/* and with them in flight */
};

static struct shared *shared_new(void)
{
	struct shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (sh == MAP_FAILED)
		return NULL;
	memset(sh, 0, sizeof(*sh));
	return sh;
}

static void child_fail(struct shared *sh, const char *why)
{
	snprintf(sh->why, sizeof(sh->why), "%s", why);
	sh->ready = -1;
	_exit(1);
}

/* Wait until drive 0 counted @want runs since @base (10 s at most). */
static int wait_runs(uint64_t base, uint64_t want)
{
	uint64_t runs;

	return ubp_wait_counter(0, "prog_runs", base + want, 10, &runs);
}

/* Submit one EXEC of @prog with @out output bytes on @fd; 0 or -1. */
static int submit(struct io_uring *ring, int fd, uint32_t prog, void *reply,
		  uint32_t out, uint64_t user_data)
{
	struct ubp_exec e = { .prog = prog, .count = 8, .budget = 1ULL << 36 };

	if (ubp_prep_exec(ring, fd, &e, reply, UBP_RES_SIZE + out, user_data))
		return -1;
	return io_uring_submit(ring) == 1 ? 0 : -1;
}

/* The next CQE within @ms: its res into sh->res[user_data]; 0 or -1. */
static int reap(struct io_uring *ring, struct shared *sh, int ms)
{
	struct __kernel_timespec ts = { .tv_sec = ms / 1000,
					.tv_nsec = (ms % 1000) * 1000000L };
	struct io_uring_cqe *cqe;

	if (io_uring_wait_cqe_timeout(ring, &cqe, &ts))
		return -1;
	if (cqe->user_data < 8)
		sh->res[cqe->user_data] = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return 0;
}

/* Wait for the child to say it is done; SIGKILL it and reap it. */
static int child_end(pid_t pid, struct shared *sh)
{
	double t0 = ubp_now();
	int status;

	while (!sh->ready && ubp_now() - t0 < 60)
		usleep(10000);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return sh->ready;
}

/* The drive-wide EXEC of "seven" on a file of our own: its res. */
static int try_seven(struct io_uring *ring, int fd, uint32_t id)
{
	struct ubp_exec e = { .prog = id, .count = 8 };
	uint8_t reply[UBP_RES_SIZE];

	return ubp_exec(ring, fd, &e, reply, sizeof(reply), NULL);
}


/*
 * The child: join the cgroup, NR_BIG reply buffers of 1 MiB resident, then
 * (@room: memory.max = memory.current + @room) NR_BIG spins with 1 MiB
 * outputs; count the refusals, and wait to be killed.  Once the EXECs are
 * in, the cgroup is at its limit: any further charged allocation of its
 * tasks would wake the memcg OOM killer (a sysfs read's buffer, a new
 * io-wq worker), so after that point the child only reaps CQEs, and the
 * parent, outside the cgroup, reads the counters.
 */
static void memcg_child(struct shared *sh, uint32_t sid, uint64_t room)
{
	unsigned int one[2] = { 1, 1 };
	uint8_t *reply[NR_BIG];
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	char pid[32], max[32];
	struct io_uring r;
	int fd;

	snprintf(pid, sizeof(pid), "%d", getpid());
	if (ubt_write_str(CG "/cgroup.procs", pid))
		child_fail(sh, "cannot join the cgroup");
	fd = ubt_open_cdev(0, O_RDWR);
	if (fd < 0 || io_uring_queue_init(32, &r, IORING_SETUP_SQE128 | IORING_SETUP_CQE32))
		child_fail(sh, "setup");
	/* one io-wq worker, made now: none is created at the limit */
	if (io_uring_register_iowq_max_workers(&r, one))
		child_fail(sh, "iowq max workers");
	sqe = io_uring_get_sqe(&r);
	io_uring_prep_nop(sqe);
	sqe->flags |= IOSQE_ASYNC;
	if (io_uring_submit(&r) != 1 || io_uring_wait_cqe(&r, &cqe))
		child_fail(sh, "async nop");
	io_uring_cqe_seen(&r, cqe);
	for (int i = 0; i < NR_BIG; i++) {
		reply[i] = ubt_alloc(UBP_RES_SIZE + MIB);
		if (!reply[i])
			child_fail(sh, "alloc");
		memset(reply[i], 1, UBP_RES_SIZE + MIB);	/* charged now, not later */
	}
	/*
	 * Every page the child has mapped resident and locked before the
	 * limit: once the EXECs fill the room, a major fault of its own (its
	 * text, a library's page) needs a charge that only the memcg OOM
	 * killer can grant.  The refused EXECs' charges reclaim what they
	 * can first; 6.1's active list keeps mapped text, but the multi-gen
	 * LRU, which Debian's 6.12 turns on (CONFIG_LRU_GEN_ENABLED), evicted
	 * the child's, and its refault in the reap loop was OOM-killed.
	 */
	if (mlockall(MCL_CURRENT))
		child_fail(sh, "mlockall");
	/* what the cgroup could reclaim would blur "room" */
	sync();
	ubt_write_str("/proc/sys/vm/drop_caches", "3");
	if (ubt_read_u64(CG "/memory.current", &sh->mem_before))
		child_fail(sh, "memory.current");
	if (room) {
		snprintf(max, sizeof(max), "%llu",
			 (unsigned long long)(sh->mem_before + room));
		if (ubt_write_str(CG "/memory.max", max))
			child_fail(sh, "memory.max");
	}
	for (int i = 0; i < NR_BIG; i++)
		if (submit(&r, fd, sid, reply[i], MIB, 100 + i))
			child_fail(sh, "submit");
	sh->ready = 2;	/* submitted: the parent counts the starts */
	while (sh->ready == 2) {
		struct __kernel_timespec ts = { .tv_nsec = 50000000 };

		if (io_uring_wait_cqe_timeout(&r, &cqe, &ts))
			continue;
		if (cqe->res == -ENOMEM)
			sh->enomem++;
		else
			sh->other++;
		io_uring_cqe_seen(&r, cqe);
	}
	pause();
	_exit(0);
}

/*
 * The parent's side: once the child submitted, wait until every EXEC
 * started or was refused; the starts from the drive's counter, the
 * memory from the cgroup's.  Then end the child.  1 if it went so.
 */
static int memcg_watch(pid_t pid, struct shared *sh, uint64_t base)
{
	double t0 = ubp_now();
	uint64_t runs = base;
	int status;

	while (sh->ready == 0 && ubp_now() - t0 < 60)
		usleep(10000);
	t0 = ubp_now();
	while (sh->ready == 2 && ubp_now() - t0 < 20) {
		if (ubp_counter(0, "prog_runs", &runs))
			break;
		sh->started = runs - base;
		if (sh->started + sh->enomem + sh->other >= NR_BIG)
			break;
		usleep(10000);
	}
	usleep(200000);		/* late refusals would count as "other" */
	ubt_read_u64(CG "/memory.current", &sh->mem_after);
	if (sh->ready == 2)
		sh->ready = 1;
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return sh->ready;
}

/* Only for TEST_F_TIMEOUT: reloads and dropped caches take minutes on the debug kernel */
FIXTURE(cg) {
};

FIXTURE_SETUP(cg)
{
}

FIXTURE_TEARDOWN(cg)
{
}

TEST_F_TIMEOUT(cg, memcg, 300)
{
	const char *why = ubt_memcg_ready(CG);
	struct shared *sh = shared_new();
	struct io_uring ring;
	uint64_t base, ooms = 0;
	char events[512], *p;
	int fd, sid;
	pid_t pid;

	if (why)
		SKIP(return, "%s", why);
	ASSERT_NE(NULL, sh);
	UBT_SETUP_MODULE(ubt_module_reload, "capacity_mb=16");
	fd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ubt_ring_init(&ring, 0));
	sid = ubp_load(&ring, fd, spin, 1, "spin", NULL, 0);
	ASSERT_LT(0, sid);

	/* charged: NR_BIG MiB of outputs in flight show in memory.current */
	ASSERT_EQ(0, ubp_counter(0, "prog_runs", &base));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		memcg_child(sh, sid, 0);
	ASSERT_EQ(1, memcg_watch(pid, sh, base)) TH_LOG("child: %s", sh->why);
	EXPECT_EQ(NR_BIG, sh->started) TH_LOG("%d refused with ENOMEM, %d otherwise",
					     sh->enomem, sh->other);
	EXPECT_LE(sh->mem_before + NR_BIG * MIB, sh->mem_after + ubt_memcg_stock_slack())
		TH_LOG("memory.current %llu KiB before, %llu KiB with %d runs of 1 MiB outputs",
		       (unsigned long long)sh->mem_before >> 10,
		       (unsigned long long)sh->mem_after >> 10, NR_BIG);
	TH_LOG("%d runs in flight: memory.current +%llu KiB", NR_BIG,
	       (unsigned long long)(sh->mem_after - sh->mem_before) >> 10);

	/*
	 * limited: ROOM_MIB of room, so most fail, and nobody is OOM-killed.
	 * Reaching memory.max, the cgroup reclaims what it can (page cache,
	 * reclaimable slab), so a few more than ROOM_MIB runs may start: at
	 * most ROOM_SLACK more (seen: none in 8 runs with the caches dropped
	 * first, as here; 2 in one run of two without dropping them).
	 */
	memset(sh, 0, sizeof(*sh));
	ASSERT_EQ(0, ubp_counter(0, "prog_runs", &base));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		memcg_child(sh, sid, ROOM_MIB * MIB);
	ASSERT_EQ(1, memcg_watch(pid, sh, base)) TH_LOG("child: %s", sh->why);
	TH_LOG("memory.max = memory.current + %d MiB: %llu started, %d -ENOMEM, %d other",
	       ROOM_MIB,
	       (unsigned long long)sh->started, sh->enomem, sh->other);
	EXPECT_EQ(0, sh->other);
	EXPECT_GE(ROOM_MIB + ROOM_SLACK, sh->started);
	EXPECT_EQ(NR_BIG, sh->started + sh->enomem);
	if (!ubt_read_str(CG "/memory.events", events, sizeof(events)) &&
	    (p = strstr(events, "oom_kill ")))
		ooms = strtoull(p + 9, NULL, 10);
	EXPECT_EQ(0, ooms) TH_LOG("memory.events: %s", events);

	munmap(sh, sizeof(*sh));
	io_uring_queue_exit(&ring);
	close(fd);
	/* the killed children's runs end; then the cgroup can go */
	EXPECT_EQ(0, ubp_module_unload_wait(10000));
	rmdir(CG);
}

TEST(in_flight)
{
	struct shared *sh = shared_new();
	int fd0, fd1, sid, tid, tid1, ret;
	struct io_uring ring;
	uint64_t base;
	double t0;
	pid_t pid;

	ASSERT_NE(NULL, sh);
	UBT_SETUP_MODULE(ubt_module_reload,
			 "nr_devices=2 capacity_mb=16 max_execs=4 max_execs_per_file=3");
	fd0 = ubt_open_cdev(0, O_RDWR);
	fd1 = ubt_open_cdev(1, O_RDWR);
	ASSERT_LE(0, fd0);
	ASSERT_LE(0, fd1);
	ASSERT_EQ(0, ubt_ring_init(&ring, 0));
	sid = ubp_load(&ring, fd0, spin, 1, "spin", NULL, 0);
	tid = ubp_load(&ring, fd0, seven, 2, "seven", NULL, 0);
	tid1 = ubp_load(&ring, fd1, seven, 2, "seven", NULL, 0);
	ASSERT_LT(0, sid);
	ASSERT_LT(0, tid);
	ASSERT_LT(0, tid1);
	ASSERT_EQ(0, ubp_counter(0, "prog_runs", &base));

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		static uint8_t reply[8][UBP_RES_SIZE];
		struct io_uring r;
		int fa = ubt_open_cdev(0, O_RDWR), fb = ubt_open_cdev(0, O_RDWR);
		int fc = ubt_open_cdev(1, O_RDWR);

		if (fa < 0 || fb < 0 || fc < 0 ||
		    io_uring_queue_init(16, &r, IORING_SETUP_SQE128 | IORING_SETUP_CQE32))
			child_fail(sh, "setup");
		for (int i = 1; i <= 3; i++)
			if (submit(&r, fa, sid, reply[i], 0, i))
				child_fail(sh, "submit");
		if (wait_runs(base, 3))
			child_fail(sh, "the first 3 runs did not start");
		/* a 4th on the same file: its limit */
		if (submit(&r, fa, sid, reply[4], 0, 4) || reap(&r, sh, 5000))
			child_fail(sh, "no CQE for run 4");
		/* another file of the same drive: room for one more */
		if (submit(&r, fb, sid, reply[5], 0, 5) || wait_runs(base, 4))
			child_fail(sh, "run 5 did not start");
		/* the drive's limit, even for a short one */
		if (submit(&r, fb, tid, reply[6], 0, 6) || reap(&r, sh, 5000))
			child_fail(sh, "no CQE for EXEC 6");
		/* another drive is not affected */
		if (submit(&r, fc, tid1, reply[7], 0, 7) || reap(&r, sh, 5000))
			child_fail(sh, "no CQE for EXEC 7");
		sh->ready = 1;
		pause();
		_exit(0);
	}
	ASSERT_EQ(1, child_end(pid, sh)) TH_LOG("child: %s", sh->why);
	EXPECT_EQ(-EBUSY, sh->res[4]) TH_LOG("a 4th EXEC on a file with max_execs_per_file=3");
	EXPECT_EQ(-EBUSY, sh->res[6]) TH_LOG("a 5th EXEC on a drive with max_execs=4");
	EXPECT_EQ(7, sh->res[7]) TH_LOG("drive 1 must not be limited by drive 0's runs");
	/* the killed child's runs end, and the drive has room again */
	t0 = ubp_now();
	do {
		ret = try_seven(&ring, fd0, tid);
		if (ret != -EBUSY)
			break;
		usleep(10000);
	} while (ubp_now() - t0 < 10);
	EXPECT_EQ(7, ret) TH_LOG("after the runs ended: %s", strerror(-ret));
	TH_LOG("room again %.3f s after the kill", ubp_now() - t0);
	munmap(sh, sizeof(*sh));
	io_uring_queue_exit(&ring);
	close(fd0);
	close(fd1);
	EXPECT_EQ(0, ubp_module_unload_wait(10000));
}

TEST(limits_refused)
{
	static const char *const bad[] = {
		"max_execs=0", "max_execs=4097", "max_execs_per_file=0",
		"max_execs_per_file=4097",
	};
	char err[512];

	if (ubt_module_loaded())
		ASSERT_EQ(0, ubt_module_unload());
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char params[64];

		snprintf(params, sizeof(params), "capacity_mb=16 %s", bad[i]);
		EXPECT_EQ(-EINVAL, ubt_module_load(params)) TH_LOG("%s", params);
		if (ubt_module_loaded())
			ubt_module_unload();
	}
	/* the largest values are taken; a configfs drive then checks its own */
	ASSERT_EQ(0, ubt_module_load("nr_devices=0 max_execs=4096 max_execs_per_file=4096"));
	if (mkdir(CFG_DEV, 0755))
		SKIP(return, "no configfs drive: %s", strerror(errno));
	EXPECT_EQ(0, ubt_write_str(CFG_DEV "/capacity_mb", "16"));
	EXPECT_EQ(0, ubt_write_str(CFG_DEV "/max_execs", "0"));
	EXPECT_EQ(-EINVAL, ubt_write_str(CFG_DEV "/power", "1"));
	ASSERT_EQ(0, ubt_read_str(CFG_DEV "/error", err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "max_execs=0: must be 1-4096")) TH_LOG("error: %s", err);
	EXPECT_EQ(0, ubt_write_str(CFG_DEV "/max_execs", "2"));
	EXPECT_EQ(0, ubt_write_str(CFG_DEV "/max_execs_per_file", "4097"));
	EXPECT_EQ(-EINVAL, ubt_write_str(CFG_DEV "/power", "1"));
	ASSERT_EQ(0, ubt_read_str(CFG_DEV "/error", err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "max_execs_per_file=4097: must be 1-4096")) TH_LOG("error: %s", err);
	EXPECT_EQ(0, ubt_write_str(CFG_DEV "/max_execs_per_file", "1"));
	EXPECT_EQ(0, ubt_write_str(CFG_DEV "/power", "1"));
	ASSERT_EQ(0, ubt_read_str(CFG_DEV "/max_execs", err, sizeof(err)));
	EXPECT_STREQ("2", err);
	EXPECT_EQ(0, ubt_write_str(CFG_DEV "/power", "0"));
	EXPECT_EQ(0, rmdir(CFG_DEV));
	EXPECT_EQ(0, ubp_module_unload_wait(10000));
}

TEST_HARNESS_MAIN
