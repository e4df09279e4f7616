// SPDX-License-Identifier: GPL-2.0
/*
 * Programs under concurrency and lifetime events:
 *  - EXECs of several programs from several threads on two drives at once,
 *    many in flight per ring, every result checked against C;
 *  - EXEC racing with writes to the range it scans: only values that were
 *    written are ever seen, and a write that completed before the EXEC was
 *    submitted is always seen in full;
 *  - PROG_UNLOAD while runs of the program are in flight: -EBUSY (Program
 *    In Use, ABI 1.3), the runs finish normally, and once they have
 *    completed the unload works and new EXECs get -ENOENT;
 *  - configfs removal (power = 0) of a drive while a run that would last
 *    hours is in flight: it stops with -ENODEV in well under 2 s, and the
 *    removal completes;
 *  - rmmod while an EXEC is in flight is refused, and works after it;
 *  - a submitting thread that exits while its run goes on (the process
 *    and the ring live on): the exit does not wait for the run, which
 *    completes, its reply written, for another thread to reap; also when
 *    it was issued from an io-wq worker (IOSQE_ASYNC) that exits with the
 *    thread;
 *  - SIGKILL of a process whose EXEC is running: the run stops (seen from
 *    another process in the counters), no reference leaks (rmmod works).
 *
 * Runs that must last a while are a counting loop whose length is
 * calibrated on the machine at hand (TCG guests are slow and uneven), or a
 * "ja -1" spin with the largest budget, which only an event can stop.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "prog_test.h"

#define PARAMS		"nr_devices=2 capacity_mb=64"
#define BS		512ULL
#define NR_DEVS		2
#define DATA_LEN	(2 * UBT_MIB)	/* written on each drive */

#define R0 0
#define R1 1
#define R6 6

#define CFG_ROOT	"/sys/kernel/config/uringblk"
#define CFG_DEV		CFG_ROOT "/prog_removal"

/* forever, one unit a lap: with the largest budget it runs for hours */
static const struct bpf_insn spin[] = { BPF_JMP_A(-1) };

FIXTURE(conc) {
	struct io_uring ring;
	int cfd[NR_DEVS];
	struct uringblk_identify id;
};

FIXTURE_SETUP(conc)
{
	int i;

	/* What the teardown must leave alone if setup stops early. */
	self->ring.ring_fd = -1;
	for (i = 0; i < NR_DEVS; i++)
		self->cfd[i] = -1;
	UBT_SETUP_MODULE(ubt_module_ensure, PARAMS);
	ASSERT_EQ(0, ubt_wait_path("/dev/uringblkc1", 5000));
	ASSERT_EQ(0, ubt_ring_init(&self->ring, 0));
	for (i = 0; i < NR_DEVS; i++) {
		self->cfd[i] = ubt_open_cdev(i, O_RDWR);
		ASSERT_LE(0, self->cfd[i]);
		ASSERT_LE(0, ubp_unload_all(&self->ring, self->cfd[i]));
	}
	ASSERT_EQ(sizeof(self->id), ubt_identify(&self->ring, self->cfd[0],
						 &self->id));
	if (!(self->id.features & URINGBLK_F_COMPUTE))
		UBT_SETUP_SKIP("the drive has no URINGBLK_F_COMPUTE");
}

FIXTURE_TEARDOWN(conc)
{
	int i;

	/* A test may have closed these and unloaded the module. */
	for (i = 0; i < NR_DEVS; i++)
		if (self->cfd[i] >= 0)
			close(self->cfd[i]);
	if (self->ring.ring_fd >= 0)
		io_uring_queue_exit(&self->ring);
}

/* Wait up to ms for the next CQE; 0 and *cqe, or -ETIME. */
static int wait_cqe_ms(struct io_uring *ring, struct io_uring_cqe **cqe, int ms)
{
	struct __kernel_timespec ts = {
		.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000LL,
	};

	return io_uring_wait_cqe_timeout(ring, cqe, &ts);
}

/*
 * Loop count for a ubp_count_loop run of about @secs on this machine, from a
 * short run timed here.
 */
static uint64_t calibrate(struct io_uring *ring, int fd, int id, double secs)
{
	struct ubp_exec e = { .prog = id, .lba = 0, .count = 1 };
	uint8_t reply[UBP_RES_SIZE];
	uint64_t n = 1000000, want;
	double t;

	for (;;) {
		e.args[0] = n;
		t = ubp_now();
		if (ubp_exec(ring, fd, &e, reply, sizeof(reply), NULL) != (int)n)
			return 0;
		t = ubp_now() - t;
		if (t > 0.05 || n >= (1ULL << 30))
			break;
		n *= 4;
	}
	want = n * (secs / t);
	/* inside a default budget: 2 units a lap */
	return want > (1ULL << 28) ? 1ULL << 28 : want < 1000 ? 1000 : want;
}

/* --- many threads, programs, drives ----------------------------------------- */

struct shared {
	uint8_t *data[NR_DEVS];		/* what each drive holds at [0, DATA_LEN) */
	int prog[NR_DEVS][4];		/* count_pattern, grep, histogram, checksum */
	atomic_int bad;
	atomic_int done;
	char first_error[256];
	pthread_mutex_t lock;
};

struct job {
	int dev, kind;
	struct ubp_exec e;
	uint8_t reply[UBP_RES_SIZE + 4096];
};

static void job_error(struct shared *sh, const char *fmt, ...)
{
	va_list ap;

	if (atomic_fetch_add(&sh->bad, 1) == 0) {
		pthread_mutex_lock(&sh->lock);
		va_start(ap, fmt);
		vsnprintf(sh->first_error, sizeof(sh->first_error), fmt, ap);
		va_end(ap);
		pthread_mutex_unlock(&sh->lock);
	}
}

static void job_check(struct shared *sh, const struct job *j, int res)
{
	const struct uringblk_exec_result *r = (const void *)j->reply;
	const uint8_t *out = j->reply + UBP_RES_SIZE;
	const uint8_t *d = sh->data[j->dev] + j->e.lba * BS;
	uint64_t len = j->e.count * BS, want, scanned, offs[512], h[256];
	int more;

	switch (j->kind) {
	case 0:
		want = ubp_ref_count(d, len, "Alpha", 5);
		break;
	case 1:
		want = ubp_ref_grep(d, len, "Alpha", 5, offs, 512, &more, &scanned);
		if (memcmp(out, offs, want * 8))
			job_error(sh, "grep dev %d lba %llu: offsets differ", j->dev,
				  (unsigned long long)j->e.lba);
		want |= more ? UBP_GREP_MORE : 0;
		break;
	case 2:
		want = ubp_ref_hist(d, len, h);
		if (memcmp(out, h, sizeof(h)))
			job_error(sh, "histogram dev %d lba %llu: bins differ",
				  j->dev, (unsigned long long)j->e.lba);
		break;
	default:
		want = ubp_ref_sum32(d, len);
		break;
	}
	if (r->r0 != want || r->error ||
	    res != (want > INT32_MAX ? -EOVERFLOW : (int)want))
		job_error(sh, "kind %d dev %d lba %llu count %llu: res %d r0 %#llx "
			  "want %#llx error %d", j->kind, j->dev,
			  (unsigned long long)j->e.lba,
			  (unsigned long long)j->e.count, res,
			  (unsigned long long)r->r0, (unsigned long long)want,
			  r->error);
}

#define PER_THREAD	24
#define IN_FLIGHT	4

static void *worker(void *arg)
{
	struct shared *sh = arg;
	static atomic_int next_seed;
	uint64_t seed = atomic_fetch_add(&next_seed, 1) * 7919 + 17;
	struct job *jobs = calloc(IN_FLIGHT, sizeof(*jobs));
	struct io_uring ring;
	int fd[NR_DEVS], i, k, d;

	if (!jobs || io_uring_queue_init(2 * IN_FLIGHT, &ring, IORING_SETUP_SQE128 |
					 IORING_SETUP_CQE32)) {
		job_error(sh, "thread setup");
		return NULL;
	}
	for (d = 0; d < NR_DEVS; d++)
		fd[d] = ubt_open_cdev(d, O_RDWR);
	for (i = 0; i < PER_THREAD; i += IN_FLIGHT) {
		for (k = 0; k < IN_FLIGHT; k++) {
			struct job *j = &jobs[k];

			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			memset(j, 0, sizeof(*j));
			j->dev = (seed >> 20) % NR_DEVS;
			j->kind = (seed >> 24) % 4;
			j->e.prog = sh->prog[j->dev][j->kind];
			j->e.count = 1 + (seed >> 30) % 512;
			j->e.lba = (seed >> 40) % (DATA_LEN / BS - j->e.count + 1);
			ubp_pattern_args(&j->e, "Alpha", 5);
			if (j->kind == 3)
				j->e.args[0] = 0;	/* sum32 */
			ubp_prep_exec(&ring, fd[j->dev], &j->e, j->reply,
				      sizeof(j->reply), k);
		}
		if (io_uring_submit(&ring) != IN_FLIGHT) {
			job_error(sh, "submit");
			break;
		}
		for (k = 0; k < IN_FLIGHT; k++) {
			struct io_uring_cqe *cqe;

			if (wait_cqe_ms(&ring, &cqe, 60000)) {
				job_error(sh, "no completion within 60 s");
				goto out;
			}
			job_check(sh, &jobs[cqe->user_data], cqe->res);
			io_uring_cqe_seen(&ring, cqe);
			atomic_fetch_add(&sh->done, 1);
		}
	}
out:
	for (d = 0; d < NR_DEVS; d++)
		close(fd[d]);
	io_uring_queue_exit(&ring);
	free(jobs);
	return NULL;
}

TEST_F(conc, threads_programs_drives)
{
	static const char *const objs[4] = {
		"count_pattern", "grep", "histogram", "checksum",
	};
	struct uringblk_stats before[NR_DEVS], after[NR_DEVS];
	struct shared sh = { .lock = PTHREAD_MUTEX_INITIALIZER };
	pthread_t th[4];
	char log[256];
	uint64_t off;
	int d, k, bfd;

	for (d = 0; d < NR_DEVS; d++) {
		sh.data[d] = ubt_alloc(DATA_LEN);
		ASSERT_NE(NULL, sh.data[d]);
		ubp_random(sh.data[d], DATA_LEN, 10 + d);
		for (off = 100 + d * 13; off + 5 < DATA_LEN; off += 3001 + d)
			memcpy(sh.data[d] + off, "Alpha", 5);
		bfd = ubt_open_blk(d, O_WRONLY | O_DIRECT);
		ASSERT_LE(0, bfd);
		ASSERT_EQ(DATA_LEN, ubt_pwrite_full(bfd, sh.data[d], DATA_LEN, 0));
		close(bfd);
		for (k = 0; k < 4; k++) {
			sh.prog[d][k] = ubp_load_obj(&self->ring, self->cfd[d],
						     objs[k], log, sizeof(log));
			ASSERT_LT(0, sh.prog[d][k]) TH_LOG("%s: %s", objs[k], log);
		}
		ASSERT_EQ(sizeof(before[d]), ubt_get_stats(&self->ring, self->cfd[d],
							   &before[d], 0));
	}
	for (k = 0; k < 4; k++)
		ASSERT_EQ(0, pthread_create(&th[k], NULL, worker, &sh));
	for (k = 0; k < 4; k++)
		pthread_join(th[k], NULL);
	EXPECT_EQ(0, sh.bad) TH_LOG("%d bad results, first: %s", sh.bad,
				    sh.first_error);
	EXPECT_EQ(4 * PER_THREAD, sh.done);
	/* every run counted once, on its own drive */
	for (d = 0; d < NR_DEVS; d++)
		ASSERT_EQ(sizeof(after[d]), ubt_get_stats(&self->ring, self->cfd[d],
							  &after[d], 0));
	EXPECT_EQ(4 * PER_THREAD, after[0].prog_runs - before[0].prog_runs +
				  after[1].prog_runs - before[1].prog_runs);
	for (d = 0; d < NR_DEVS; d++) {
		EXPECT_EQ(before[d].prog_aborts_fault, after[d].prog_aborts_fault);
		EXPECT_EQ(before[d].prog_aborts_bounds, after[d].prog_aborts_bounds);
		munmap(sh.data[d], DATA_LEN);
	}
}

/* --- EXEC racing with writes ------------------------------------------------ */

#define RACE_LBA	1024
#define RACE_BLOCKS	64	/* the writer owns the first half */

struct racer {
	int fd;
	atomic_bool stop;
	atomic_bool done;	/* the writer returned */
	atomic_int writes;
	int err;
};

static void *race_writer(void *arg)
{
	struct racer *rc = arg;
	const size_t half = RACE_BLOCKS / 2 * BS;
	uint8_t *buf[2] = { ubt_alloc(half), ubt_alloc(half) };
	unsigned int i = 0;

	if (!buf[0] || !buf[1]) {
		rc->err = -ENOMEM;
		atomic_store(&rc->done, true);
		return NULL;
	}
	memset(buf[0], 0xaa, half);
	memset(buf[1], 0x55, half);
	while (!atomic_load(&rc->stop)) {
		/* whole half, or a few blocks of it: torn at any boundary */
		size_t n = i % 3 ? half : (1 + i % 7) * BS;
		uint64_t at = RACE_LBA * BS + (i % 3 ? 0 : (i % 5) * BS);
		ssize_t ret = ubt_pwrite_full(rc->fd, buf[i & 1], n, at);

		if (ret != (ssize_t)n) {
			rc->err = ret < 0 ? ret : -EIO;
			break;
		}
		atomic_fetch_add(&rc->writes, 1);
		i++;
	}
	munmap(buf[0], half);
	munmap(buf[1], half);
	atomic_store(&rc->done, true);
	return NULL;
}

/*
 * At least 60 EXECs, and as many more as it takes for 10 of the writer's
 * writes to race with them: on a loaded host one vCPU may not run for a
 * while, and a fixed count of EXECs then raced nothing ("the writer never
 * ran").  Counts, not time; the bound on EXECs is a hang guard only.
 */
#define RACE_EXECS	60
#define RACE_WRITES	10
#define RACE_EXECS_MAX	6000

TEST_F(conc, exec_races_writes)
{
	const size_t half = RACE_BLOCKS / 2 * BS;
	struct ubp_exec e = { .lba = RACE_LBA, .count = RACE_BLOCKS };
	uint8_t *reply = ubt_alloc(UBP_RES_SIZE + 2048), *mine = ubt_alloc(half);
	const struct uringblk_exec_result *r = (const void *)reply;
	struct racer rc = { 0 };
	uint64_t h[256];
	pthread_t th;
	char log[256];
	int i, b, res, bad = 0, w0;

	ASSERT_NE(NULL, reply);
	ASSERT_NE(NULL, mine);
	e.prog = ubp_load_obj(&self->ring, self->cfd[0], "histogram", log,
			      sizeof(log));
	ASSERT_LT(0, e.prog) TH_LOG("%s", log);
	rc.fd = ubt_open_blk(0, O_WRONLY | O_DIRECT);
	ASSERT_LE(0, rc.fd);
	/* the writer's half starts as 0xaa: never zero from here on */
	memset(mine, 0xaa, half);
	ASSERT_EQ(half, ubt_pwrite_full(rc.fd, mine, half, RACE_LBA * BS));
	ASSERT_EQ(0, pthread_create(&th, NULL, race_writer, &rc));
	/* the writer is under way (its first run may come late) */
	while (!atomic_load(&rc.writes) && !atomic_load(&rc.done))
		usleep(1000);
	w0 = atomic_load(&rc.writes);

	for (i = 0; i < RACE_EXECS ||
		    (atomic_load(&rc.writes) - w0 < RACE_WRITES &&
		     !atomic_load(&rc.done) && i < RACE_EXECS_MAX); i++) {
		/* our half gets generation g, written before the EXEC */
		uint8_t g = 1 + i % 84;		/* never 0, 0x55 or 0xaa */

		memset(mine, g, half);
		ASSERT_EQ(half, ubt_pwrite_full(rc.fd, mine, half,
						RACE_LBA * BS + half));
		res = ubp_exec(&self->ring, self->cfd[0], &e, reply,
			       UBP_RES_SIZE + 2048, NULL);
		memcpy(h, reply + UBP_RES_SIZE, sizeof(h));
		if (res < 2 || res > 3 || r->error) {
			bad++;
			TH_LOG("run %d: res %d error %d", i, res, r->error);
			continue;
		}
		/* all of ours, and only 0xaa/0x55 in the racing half */
		if (h[g] != half || h[0xaa] + h[0x55] != half) {
			bad++;
			TH_LOG("run %d: gen %u seen %llu of %zu, racing half "
			       "%llu + %llu", i, g, (unsigned long long)h[g],
			       half, (unsigned long long)h[0xaa],
			       (unsigned long long)h[0x55]);
		}
		for (b = 0; b < 256; b++)
			if (b != g && b != 0xaa && b != 0x55 && h[b]) {
				bad++;
				TH_LOG("run %d: byte %#x seen %llu times", i, b,
				       (unsigned long long)h[b]);
			}
	}
	atomic_store(&rc.stop, true);
	pthread_join(th, NULL);
	EXPECT_EQ(0, rc.err);
	EXPECT_EQ(0, bad);
	EXPECT_LE(RACE_WRITES, atomic_load(&rc.writes) - w0)
		TH_LOG("the writer did not run beside the EXECs");
	TH_LOG("%d racing writes during %d EXECs", atomic_load(&rc.writes) - w0, i);
	close(rc.fd);
	munmap(reply, UBP_RES_SIZE + 2048);
	munmap(mine, half);
}

/* --- unload while running ---------------------------------------------------- */

TEST_F(conc, unload_while_running)
{
	const int n = 2;
	struct uringblk_prog_info info[4];
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	uint8_t reply[2][UBP_RES_SIZE];
	struct ubp_exec e = { .lba = 0, .count = 1 };
	uint64_t loops, runs0, runs;
	double t0;
	int id, other, i, res;

	id = ubp_load(&self->ring, self->cfd[0], ubp_count_loop,
		      UBP_NINSNS(ubp_count_loop), "count", NULL, 0);
	ASSERT_LT(0, id);
	other = ubp_load(&self->ring, self->cfd[0], ubp_count_loop,
			 UBP_NINSNS(ubp_count_loop), "other", NULL, 0);
	ASSERT_LT(0, other);
	loops = calibrate(&self->ring, self->cfd[0], id, 1.5);
	ASSERT_LT(0, loops);
	ASSERT_EQ(0, ubp_counter(0, "prog_runs", &runs0));

	ASSERT_EQ(0, io_uring_queue_init(8, &ring, IORING_SETUP_SQE128 |
					 IORING_SETUP_CQE32));
	e.prog = id;
	e.args[0] = loops;
	for (i = 0; i < n; i++)
		ASSERT_EQ(0, ubp_prep_exec(&ring, self->cfd[0], &e, reply[i],
					   UBP_RES_SIZE, i));
	t0 = ubp_now();
	ASSERT_EQ(n, io_uring_submit(&ring));
	/* both started (counted when the run begins), neither finished */
	do {
		usleep(5000);
		ASSERT_EQ(0, ubp_counter(0, "prog_runs", &runs));
	} while (runs < runs0 + n && ubp_now() - t0 < 5);
	ASSERT_EQ(runs0 + n, runs);

	/* Program In Use: runs of it are in flight */
	EXPECT_EQ(-EBUSY, ubp_unload(&self->ring, self->cfd[0], id));
	EXPECT_EQ(0, io_uring_cq_ready(&ring))
		TH_LOG("the runs ended before the unload: calibration off");
	ASSERT_EQ(2 + (self->id.nr_dd_progs > 2 ? 2 : self->id.nr_dd_progs),
		  ubp_list(&self->ring, self->cfd[0], 0, info, 4));
	EXPECT_EQ(id, info[0].id);
	/* another program runs meanwhile */
	e.prog = other;
	e.args[0] = 1000;
	EXPECT_EQ(1000, ubp_exec(&self->ring, self->cfd[0], &e, reply[0],
				 UBP_RES_SIZE, NULL));

	/* the runs in flight finish normally, with their full result */
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, wait_cqe_ms(&ring, &cqe, 60000));
		res = cqe->res;
		EXPECT_EQ((int)loops, res);
		EXPECT_EQ(loops, cqe->big_cqe[0]);
		EXPECT_EQ(loops, ((struct uringblk_exec_result *)
				  reply[cqe->user_data])->r0);
		io_uring_cqe_seen(&ring, cqe);
	}
	/* all completed: the unload works, gone for EXEC and PROG_LIST at once */
	EXPECT_EQ(0, ubp_unload(&self->ring, self->cfd[0], id));
	e.prog = id;
	EXPECT_EQ(-ENOENT, ubp_exec(&self->ring, self->cfd[0], &e, reply[0],
				    UBP_RES_SIZE, NULL));
	EXPECT_EQ(-ENOENT, ubp_unload(&self->ring, self->cfd[0], id));
	ASSERT_EQ(1 + (self->id.nr_dd_progs > 3 ? 3 : self->id.nr_dd_progs),
		  ubp_list(&self->ring, self->cfd[0], 0, info, 4));
	EXPECT_EQ(other, info[0].id);
	TH_LOG("%d runs of %llu laps took %.2f s", n, (unsigned long long)loops,
	       ubp_now() - t0);
	io_uring_queue_exit(&ring);
}

/* --- removal of a drive while a run is in flight ----------------------------- */

struct power_off {
	const char *path;
	int ret;
	double secs;
};

static void *power_off_thread(void *arg)
{
	struct power_off *p = arg;
	double t = ubp_now();

	p->ret = ubt_write_str(p->path, "0");
	p->secs = ubp_now() - t;
	return NULL;
}

TEST_F(conc, removal_during_exec)
{
	struct power_off po = { .path = CFG_DEV "/power" };
	struct uringblk_exec_result res;
	struct io_uring_cqe *cqe;
	struct ubp_exec e = { .lba = 0, .count = 8 };
	uint64_t idx, runs;
	char path[64];
	pthread_t th;
	double t0, t1;
	int fd, id, ret;

	if (access("/sys/kernel/config", F_OK) == 0 && access(CFG_ROOT, F_OK) != 0)
		mount("configfs", "/sys/kernel/config", "configfs", 0, NULL);
	if (access(CFG_ROOT, F_OK) != 0)
		SKIP(return, "no configfs: %s does not exist", CFG_ROOT);
	rmdir(CFG_DEV);
	ASSERT_EQ(0, mkdir(CFG_DEV, 0755)) TH_LOG("mkdir %s: %m", CFG_DEV);
	ASSERT_EQ(0, ubt_write_str(CFG_DEV "/power", "1"));
	ASSERT_EQ(0, ubt_read_u64(CFG_DEV "/index", &idx));
	snprintf(path, sizeof(path), "/dev/uringblkc%d", (int)idx);
	ASSERT_EQ(0, ubt_wait_path(path, 5000));
	fd = ubt_open_cdev(idx, O_RDWR);
	ASSERT_LE(0, fd);

	id = ubp_load(&self->ring, fd, spin, 1, "spin", NULL, 0);
	ASSERT_LT(0, id);
	e.prog = id;
	e.budget = self->id.max_insn_budget;
	memset(&res, 0xa5, sizeof(res));
	ASSERT_EQ(0, ubp_prep_exec(&self->ring, fd, &e, &res, sizeof(res), 1));
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	t0 = ubp_now();
	do {
		usleep(5000);
		ASSERT_EQ(0, ubp_counter(idx, "prog_runs", &runs));
	} while (!runs && ubp_now() - t0 < 5);
	ASSERT_EQ(1, runs) TH_LOG("the run did not start");
	usleep(200000);		/* well inside the spin */
	ASSERT_EQ(-ETIME, wait_cqe_ms(&self->ring, &cqe, 1))
		TH_LOG("the spin ended by itself");

	t0 = ubp_now();
	ASSERT_EQ(0, pthread_create(&th, NULL, power_off_thread, &po));
	ret = wait_cqe_ms(&self->ring, &cqe, 10000);
	t1 = ubp_now() - t0;
	/* before the join, which would wait for as long as the removal does */
	ASSERT_EQ(0, ret) TH_LOG("no completion 10 s after power = 0");
	pthread_join(th, NULL);
	EXPECT_EQ(-ENODEV, cqe->res);
	EXPECT_EQ(URINGBLK_SC_NS_NOT_READY, cqe->big_cqe[0]);	/* the status of -ENODEV */
	io_uring_cqe_seen(&self->ring, cqe);
	EXPECT_EQ(-ENODEV, res.error);
	EXPECT_EQ(URINGBLK_PROG_ABORT_STOPPED, res.abort_code);
	EXPECT_EQ(0, res.abort_pc);
	EXPECT_EQ(0, res.r0);
	EXPECT_LT(t1, 2.0) TH_LOG("the run took %.2f s to stop", t1);
	EXPECT_EQ(0, po.ret) TH_LOG("power = 0: %s", strerror(-po.ret));
	EXPECT_LT(po.secs, 2.0) TH_LOG("removal took %.2f s", po.secs);
	TH_LOG("stopped after %.3f s, removal took %.3f s", t1, po.secs);

	/* the old file answers -ENODEV, the node is gone */
	EXPECT_EQ(-ENODEV, ubp_exec(&self->ring, fd, &e, &res, sizeof(res), NULL));
	EXPECT_NE(0, access(path, F_OK));
	close(fd);
	EXPECT_EQ(0, rmdir(CFG_DEV)) TH_LOG("rmdir: %m");
}

/* --- rmmod while an EXEC is in flight --------------------------------------- */

TEST_F(conc, rmmod_during_exec)
{
	struct ubp_exec e = { .lba = 0, .count = 1 };
	struct io_uring_cqe *cqe;
	uint8_t reply[UBP_RES_SIZE];
	uint64_t loops;
	int id, d, ret;

	if (!ubt_ko_path())
		SKIP(return, "URINGBLK_KO not set: would not be able to reload");
	id = ubp_load(&self->ring, self->cfd[0], ubp_count_loop,
		      UBP_NINSNS(ubp_count_loop), "count", NULL, 0);
	ASSERT_LT(0, id);
	loops = calibrate(&self->ring, self->cfd[0], id, 1.5);
	ASSERT_LT(0, loops);
	e.prog = id;
	e.args[0] = loops;
	ASSERT_EQ(0, ubp_prep_exec(&self->ring, self->cfd[0], &e, reply,
				   sizeof(reply), 1));
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	/* no open file of ours is left: only the request holds the module */
	for (d = 0; d < NR_DEVS; d++) {
		close(self->cfd[d]);
		self->cfd[d] = -1;
	}
	usleep(100000);
	ret = syscall(SYS_delete_module, "uringblk", O_NONBLOCK);
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(EWOULDBLOCK, errno) TH_LOG("delete_module: %m");
	EXPECT_TRUE(ubt_module_loaded());
	EXPECT_EQ(0, io_uring_cq_ready(&self->ring))
		TH_LOG("the run ended before rmmod: calibration off");

	ASSERT_EQ(0, wait_cqe_ms(&self->ring, &cqe, 60000));
	EXPECT_EQ((int)loops, cqe->res);
	io_uring_cqe_seen(&self->ring, cqe);
	io_uring_queue_exit(&self->ring);
	self->ring.ring_fd = -1;
	ret = ubp_module_unload_wait(5000);
	EXPECT_EQ(0, ret) TH_LOG("rmmod after the EXEC: %s", strerror(-ret));
}

/* --- the submitting thread exits ------------------------------------------- */

struct submitter {
	struct io_uring *ring;
	int fd;
	struct ubp_exec e;
	struct uringblk_exec_result *res;
	uint8_t sqe_flags;	/* IOSQE_ASYNC: issued from an io-wq worker */
	int ret;
	double exiting;		/* when the thread began to exit */
};

static void *submit_and_exit(void *arg)
{
	struct submitter *s = arg;
	struct io_uring_sqe *sqe = io_uring_get_sqe(s->ring);
	struct uringblk_cmd cmd;

	if (!sqe) {
		s->ret = -EBUSY;
		return NULL;
	}
	memset(sqe, 0, 128);
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = s->fd;
	sqe->cmd_op = URINGBLK_CMD_EXEC;
	sqe->user_data = 7;
	sqe->flags = s->sqe_flags;
	ubp_exec_cmd(&cmd, &s->e, s->res, sizeof(*s->res));
	memcpy(sqe->cmd, &cmd, sizeof(cmd));
	if (io_uring_submit(s->ring) != 1)
		s->ret = -EIO;
	usleep(300000);		/* the run is well under way */
	s->exiting = ubp_now();
	return NULL;
}

/*
 * A thread that submitted an EXEC exits while the run goes on (the ring
 * and the process live on): its exit must not wait for the run, and the
 * run must complete as if the thread were still there -- another thread
 * of the process reaps the CQE and reads the reply.  With IOSQE_ASYNC the
 * command is issued by an io-wq worker of the exiting thread, which exits
 * with it (as it would after 5 s idle): that must not cut the run short
 * either.  Only the end of the process stops a run (sigkill_during_exec).
 *
 * The reply is a fresh anonymous page the process never touched, so
 * writing it needs a page fault in the process's mm: a driver that copies
 * the reply from wherever io_uring runs its completion callback (the
 * exiting thread after exit_mm(), or io_uring's fallback kworker) gets
 * -EFAULT here every time instead of only when the page happens not to be
 * in the page tables the CPU still has loaded.
 */
static void submitter_exits(struct __test_metadata *_metadata,
			    FIXTURE_DATA(conc) *self, uint8_t sqe_flags)
{
	struct uringblk_exec_result *res;
	struct submitter s = { .ring = &self->ring, .fd = self->cfd[0],
			       .sqe_flags = sqe_flags };
	struct io_uring_cqe *cqe;
	uint64_t loops, aborts0, aborts;
	double joined, t0;
	pthread_t th;
	int id;

	id = ubp_load(&self->ring, self->cfd[0], ubp_count_loop,
		      UBP_NINSNS(ubp_count_loop), "count", NULL, 0);
	ASSERT_LT(0, id);
	loops = calibrate(&self->ring, self->cfd[0], id, 3.0);
	ASSERT_LT(0, loops);
	s.e.prog = id;
	s.e.count = 8;
	s.e.args[0] = loops;
	res = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		   -1, 0);
	ASSERT_NE(MAP_FAILED, res);
	s.res = res;		/* not touched before the EXEC writes it */
	ASSERT_EQ(0, ubp_counter(0, "prog_aborts_fault", &aborts0));
	t0 = ubp_now();
	ASSERT_EQ(0, pthread_create(&th, NULL, submit_and_exit, &s));
	ASSERT_EQ(0, pthread_join(th, NULL));
	joined = ubp_now() - s.exiting;
	ASSERT_EQ(0, s.ret);
	EXPECT_LT(joined, 2.0) TH_LOG("thread exit waited %.2f s for the run",
				      joined);
	ASSERT_EQ(0, wait_cqe_ms(&self->ring, &cqe, 60000))
		TH_LOG("no completion after the submitter exited");
	TH_LOG("thread exit took %.3f s, the run %.2f s", joined, ubp_now() - t0);
	EXPECT_EQ(7, cqe->user_data);
	EXPECT_EQ((int)loops, cqe->res) TH_LOG("%s", cqe->res == -EINTR ?
		"-EINTR: the run was stopped by the thread's exit" :
		cqe->res == -EFAULT ?
		"-EFAULT: the reply was copied without the process's mm" : "");
	io_uring_cqe_seen(&self->ring, cqe);
	EXPECT_EQ(0, res->error);
	EXPECT_EQ(URINGBLK_PROG_OK, res->abort_code);
	EXPECT_EQ(loops, res->r0);
	ASSERT_EQ(0, ubp_counter(0, "prog_aborts_fault", &aborts));
	EXPECT_EQ(aborts0, aborts);
	munmap(res, 4096);
}

TEST_F(conc, submitter_thread_exits)
{
	submitter_exits(_metadata, self, 0);
}

TEST_F(conc, submitter_thread_exits_async)
{
	submitter_exits(_metadata, self, IOSQE_ASYNC);
}

/* --- SIGKILL of the submitter -------------------------------------------- */

TEST_F(conc, sigkill_during_exec)
{
	struct ubp_exec e = { .lba = 0, .count = 8 };
	uint64_t runs0, runs, faults0, faults;
	int id, pipefd[2], status, d, ret;
	double t0, stopped;
	pid_t pid;
	char c;

	if (!ubt_ko_path())
		SKIP(return, "URINGBLK_KO not set: would not be able to reload");
	id = ubp_load(&self->ring, self->cfd[0], spin, 1, "spin", NULL, 0);
	ASSERT_LT(0, id);
	e.prog = id;
	e.budget = self->id.max_insn_budget;
	ASSERT_EQ(0, ubp_counter(0, "prog_runs", &runs0));
	ASSERT_EQ(0, ubp_counter(0, "prog_aborts_fault", &faults0));

	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct uringblk_exec_result res;
		struct io_uring_cqe *cqe;
		struct io_uring ring;
		int fd = ubt_open_cdev(0, O_RDWR);

		if (fd < 0 || ubt_ring_init(&ring, 0) ||
		    ubp_prep_exec(&ring, fd, &e, &res, sizeof(res), 1) ||
		    io_uring_submit(&ring) != 1)
			_exit(2);
		if (write(pipefd[1], "s", 1) != 1)
			_exit(3);
		io_uring_wait_cqe(&ring, &cqe);	/* killed in here */
		_exit(4);
	}
	close(pipefd[1]);
	ASSERT_EQ(1, read(pipefd[0], &c, 1));
	close(pipefd[0]);
	ASSERT_EQ(0, ubp_wait_counter(0, "prog_runs", runs0 + 1, 5, &runs))
		TH_LOG("the child's run did not start");
	ASSERT_EQ(runs0 + 1, runs);
	usleep(200000);
	ASSERT_EQ(0, ubp_counter(0, "prog_aborts_fault", &faults));
	ASSERT_EQ(faults0, faults) TH_LOG("the run stopped before the kill");

	ASSERT_EQ(0, kill(pid, SIGKILL));
	t0 = ubp_now();
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	/* seen from here: the run stops (abort "stopped", a fault) */
	do {
		ASSERT_EQ(0, ubp_counter(0, "prog_aborts_fault", &faults));
		if (faults != faults0)
			break;
		usleep(5000);
	} while (ubp_now() - t0 < 10);
	stopped = ubp_now() - t0;
	EXPECT_EQ(faults0 + 1, faults) TH_LOG("the run did not stop");
	EXPECT_LT(stopped, 2.0) TH_LOG("the run took %.2f s to stop", stopped);
	TH_LOG("run stopped %.3f s after SIGKILL", stopped);

	/* nothing of the child's pins the module any more */
	for (d = 0; d < NR_DEVS; d++) {
		close(self->cfd[d]);
		self->cfd[d] = -1;
	}
	io_uring_queue_exit(&self->ring);
	self->ring.ring_fd = -1;
	ret = ubp_module_unload_wait(5000);
	EXPECT_EQ(0, ret) TH_LOG("rmmod after the kill: %s", strerror(-ret));
}

/*
 * The submitting process dies while another process holds the ring: the
 * run stops, and the CQE the other process reaps says why, -EINTR (uAPI
 * EXEC), not -EFAULT, though the reply could not be written.
 */
TEST_F(conc, submitter_process_exits)
{
	struct ubp_exec e = { .lba = 0, .count = 8 };
	struct io_uring_cqe *cqe;
	struct io_uring shared;
	int id, pipefd[2], status;
	uint64_t runs0, runs;
	pid_t pid;
	char c;

	id = ubp_load(&self->ring, self->cfd[0], spin, 1, "spin", NULL, 0);
	ASSERT_LT(0, id);
	e.prog = id;
	e.budget = self->id.max_insn_budget;
	ASSERT_EQ(0, ubp_counter(0, "prog_runs", &runs0));
	ASSERT_EQ(0, ubt_ring_init(&shared, 0));
	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* the parent's ring, its memory and fd inherited: the child submits */
		struct uringblk_exec_result res;

		if (ubp_prep_exec(&shared, self->cfd[0], &e, &res, sizeof(res), 9) ||
		    io_uring_submit(&shared) != 1)
			_exit(2);
		if (write(pipefd[1], "s", 1) != 1)
			_exit(3);
		pause();	/* killed in here */
		_exit(4);
	}
	close(pipefd[1]);
	ASSERT_EQ(1, read(pipefd[0], &c, 1));
	close(pipefd[0]);
	ASSERT_EQ(0, ubp_wait_counter(0, "prog_runs", runs0 + 1, 5, &runs))
		TH_LOG("the child's run did not start");
	ASSERT_EQ(runs0 + 1, runs);
	usleep(200000);
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, wait_cqe_ms(&shared, &cqe, 10000))
		TH_LOG("no completion after the submitter was killed");
	EXPECT_EQ(9, cqe->user_data);
	EXPECT_EQ(-EINTR, cqe->res) TH_LOG("cqe->res %d (%s)", cqe->res, strerror(-cqe->res));
	io_uring_cqe_seen(&shared, cqe);
	io_uring_queue_exit(&shared);
}

TEST_HARNESS_MAIN
