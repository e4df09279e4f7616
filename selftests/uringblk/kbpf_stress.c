// SPDX-License-Identifier: GPL-2.0
/*
 * Module references of kernel-BPF programs, under load (driver/kbpf.c,
 * driver/debugfs.c).  A drive that holds a kernel-BPF program keeps the
 * module loaded: the drive's own reference, and the kernel's reference
 * through the module's BTF for a program that calls the drive's kfuncs,
 * dropped only once the kernel frees the program (an RCU-tasks-trace grace
 * period and a work item after the last bpf_prog_put()).  So every path
 * that takes a program must give it back, and a test that leaves one in a
 * slot leaves the module stuck: once, a test's teardown ignored the -EBUSY
 * of a killed submitter's run still draining, and every later test failed.
 *
 *   holders	debugfs "holders" lists each program a drive holds, with the
 *		module references it accounts for, and nothing once unloaded;
 *		the dynamic debug lines of kbpf.c log the get and the put
 *   rounds	URINGBLK_KBPF_STRESS_ROUNDS rounds (default 10; 500 for the
 *		long proof) of: insmod, a runtime drive beside two module
 *		drives, NR_THREADS threads that each load fresh kernel
 *		programs (libbpf) into random drives, one into two drives,
 *		close their fds before or after the drive took the program,
 *		make loads fail after the program was taken (slot taken,
 *		slot out of range), run them, and unload them while runs are
 *		in flight; beside them, the main thread kills a submitter in
 *		the middle of a long run, and removes the runtime drive while
 *		it holds programs and runs one.  Then the round's cleanup does
 *		what a test's teardown does (ubp_unload_all()), and the
 *		module's refcount must come back to 0 and rmmod succeed
 *		within 2 s.
 * Needs a module with BTF (else SKIP) and CAP_SYS_ADMIN.
 */
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "prog_test.h"
#include "uringblk_test.h"

#define NR_THREADS	4
#define ITERS		2	/* kernel programs each thread loads a round */
#define CFG_DEV		"/sys/kernel/config/uringblk/kbpf_stress"
#define HOLDERS		"/sys/kernel/debug/uringblk/holders"
#define DYNDBG		"/sys/kernel/debug/dynamic_debug/control"
#define PARAMS		"capacity_mb=16 nr_devices=2"
#define NR_DRIVES	3	/* uringblk0, uringblk1, the runtime drive */
#define DATA		4096	/* 'a' bytes at the start of every drive */
#define RMMOD_MS	2000

enum { OP_COUNT = 1 };	/* probe.bpf.c: count "a" in [args[1], +args[2]) */

struct stress {
	int cfd[NR_DRIVES];
	int idx[NR_DRIVES];
	uint32_t lbs;
	uint64_t budget;
	atomic_int failed;
	char why[512];
	pthread_mutex_t why_lock;
};

/* The first failure of a round, from any thread. */
static void stress_fail(struct stress *s, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&s->why_lock);
	if (!atomic_fetch_add(&s->failed, 1)) {
		va_start(ap, fmt);
		vsnprintf(s->why, sizeof(s->why), fmt, ap);
		va_end(ap);
	}
	pthread_mutex_unlock(&s->why_lock);
}

/* Program @prog of progs/<obj>.bpf.o loaded by the kernel: its fd, or -errno. */
static int kernel_load(const char *obj, const char *prog)
{
	struct bpf_program *p, *want = NULL;
	struct bpf_object *o;
	char path[512];
	int fd;

	ubp_obj_path(obj, path, sizeof(path));
	o = bpf_object__open_file(path, NULL);
	if (libbpf_get_error(o))
		return -ENOENT;
	bpf_object__for_each_program(p, o) {
		bool me = !strcmp(bpf_program__name(p), prog);

		bpf_program__set_autoload(p, me);
		if (me)
			want = p;
	}
	if (!want || bpf_object__load(o)) {
		bpf_object__close(o);
		return -EINVAL;
	}
	fd = dup(bpf_program__fd(want));
	bpf_object__close(o);
	return fd < 0 ? -errno : fd;
}

/* PROG_LOAD F_BPF_FD of @bfd into slot @pind (0: any): the id or -errno. */
static int drive_load(struct io_uring *ring, int cfd, int bfd, uint64_t pind)
{
	struct uringblk_prog_kbpf k = { .type = URINGBLK_PROG_TYPE_KBPF,
					.prog_fd = bfd };
	struct uringblk_cmd cmd;

	ubt_cmd_init(&cmd, &k, sizeof(k));
	cmd.flags = URINGBLK_PROG_LOAD_F_BPF_FD;
	cmd.prog_load.pind = pind;
	memcpy(cmd.prog_load.name, "stress", 6);
	return ubt_uring_cmd(ring, cfd, URINGBLK_CMD_PROG_LOAD, &cmd, NULL);
}

static void count_exec(const struct stress *s, struct ubp_exec *e, uint32_t id)
{
	*e = (struct ubp_exec){ .prog = id, .count = DATA / s->lbs,
				.budget = s->budget,
				.args = { OP_COUNT, 0, DATA } };
}

/* The slot of program @id, or 0. */
static uint32_t slot_of(struct io_uring *ring, int cfd, uint32_t id)
{
	struct uringblk_prog_info info[URINGBLK_MAX_PROGS];
	int n = ubp_list(ring, cfd, id - 1, info, URINGBLK_MAX_PROGS);

	return n > 0 && info[0].id == id ? info[0].pind : 0;
}

/*
 * Unload @id while @nr runs of it are in flight: 0 or -EBUSY, then the
 * runs complete (the count, or -ENOENT for a run that had not started when
 * the unload won), then the unload again if it was refused.
 */
static void unload_racing(struct stress *s, struct io_uring *ring,
			  struct io_uring *ctl, int d, uint32_t id,
			  uint8_t *reply, int nr)
{
	struct ubp_exec e;
	struct io_uring_cqe *cqe;
	int ret, i;

	count_exec(s, &e, id);
	for (i = 0; i < nr; i++)
		if (ubp_prep_exec(ring, s->cfd[d], &e, reply + i * UBP_RES_SIZE,
				  UBP_RES_SIZE, i))
			break;
	nr = i;
	if (io_uring_submit(ring) != nr) {
		stress_fail(s, "submit of %d EXECs failed", nr);
		return;
	}
	/* on another ring, as another thread would: not one of the EXECs' CQEs */
	ret = ubp_unload(ctl, s->cfd[d], id);
	if (ret && ret != -EBUSY)
		stress_fail(s, "unload of %u racing runs: %s", id, strerror(-ret));
	for (i = 0; i < nr; i++) {
		if (io_uring_wait_cqe(ring, &cqe)) {
			stress_fail(s, "no CQE for a racing EXEC");
			return;
		}
		if (cqe->res != DATA && cqe->res != -ENOENT)
			stress_fail(s, "EXEC racing an unload: %d, expected %d or -ENOENT",
				    cqe->res, DATA);
		io_uring_cqe_seen(ring, cqe);
	}
	/* every run has completed: nothing may keep it busy now */
	if (ret == -EBUSY && (ret = ubp_unload(ctl, s->cfd[d], id)))
		stress_fail(s, "unload of %u after its runs completed: %s", id,
			    strerror(-ret));
}

struct worker {
	struct stress *s;
	unsigned int seed;
};

static void *worker(void *arg)
{
	struct worker *w = arg;
	struct stress *s = w->s;
	struct io_uring ring, ctl;
	struct ubp_exec e;
	uint8_t *reply = ubt_alloc(4 * UBP_RES_SIZE);
	int it;

	if (!reply || ubt_ring_init(&ring, 0) || ubt_ring_init(&ctl, 0)) {
		stress_fail(s, "thread setup failed");
		return NULL;
	}
	for (it = 0; it < ITERS && !atomic_load(&s->failed); it++) {
		unsigned int r = rand_r(&w->seed);
		int d = r % NR_DRIVES, d2 = (d + 1) % NR_DRIVES;
		int bfd, id, id2 = 0, ret;

		bfd = kernel_load("kbpf/probe", "probe");
		if (bfd < 0) {
			stress_fail(s, "libbpf could not load kbpf/probe: %s",
				    strerror(-bfd));
			break;
		}
		id = drive_load(&ring, s->cfd[d], bfd, 0);
		if (id <= 0) {
			stress_fail(s, "PROG_LOAD into drive %d: %s", d, strerror(-id));
			close(bfd);
			break;
		}
		/* loads the drive refuses after it took the program */
		ret = drive_load(&ring, s->cfd[d], bfd, slot_of(&ring, s->cfd[d], id));
		if (ret != -EBUSY)
			stress_fail(s, "PROG_LOAD into a taken slot: %d, expected -EBUSY", ret);
		ret = drive_load(&ring, s->cfd[d], bfd, URINGBLK_MAX_PROGS + 1);
		if (ret != -ERANGE)
			stress_fail(s, "PROG_LOAD into slot %d: %d, expected -ERANGE",
				    URINGBLK_MAX_PROGS + 1, ret);
		if (r & 2) {	/* the same program in a second drive */
			id2 = drive_load(&ring, s->cfd[d2], bfd, 0);
			if (id2 <= 0)
				stress_fail(s, "PROG_LOAD into a second drive: %s",
					    strerror(-id2));
		}
		if (r & 4) {	/* the drives hold it alone */
			close(bfd);
			bfd = -1;
		}
		count_exec(s, &e, id);
		ret = ubp_exec(&ring, s->cfd[d], &e, reply, UBP_RES_SIZE, NULL);
		if (ret != DATA)
			stress_fail(s, "EXEC on drive %d: %d, expected %d", d, ret, DATA);
		unload_racing(s, &ring, &ctl, d, id, reply, 1 + (r >> 8) % 4);
		/* left for the round's cleanup: a drive's removal, or a teardown */
		if (id2 > 0 && (r & 8))
			unload_racing(s, &ring, &ctl, d2, id2, reply, 2);
		if (bfd >= 0)
			close(bfd);
	}
	io_uring_queue_exit(&ring);
	io_uring_queue_exit(&ctl);
	munmap(reply, 4 * UBP_RES_SIZE);
	return NULL;
}

/*
 * A child runs program @id (spin: runs until stopped) on drive @d; the
 * caller kills it or removes the drive.  Only system calls in the child:
 * other threads may hold libc's locks.
 */
static pid_t spin_child(struct stress *s, int d, uint32_t id, uint8_t *reply)
{
	pid_t pid = fork();

	if (!pid) {
		struct ubp_exec e = { .prog = id, .count = 8,
				      .budget = s->budget };
		struct io_uring ring;
		int ret;

		if (ubt_ring_init(&ring, 0))
			_exit(2);
		ret = ubp_exec(&ring, s->cfd[d], &e, reply, UBP_RES_SIZE, NULL);
		_exit(ret == -ENODEV ? 0 : 3);
	}
	return pid;
}

static int drive_create(struct stress *s)
{
	uint64_t idx;
	char path[64];

	rmdir(CFG_DEV);
	if (mkdir(CFG_DEV, 0755) || ubt_write_str(CFG_DEV "/power", "1") ||
	    ubt_read_u64(CFG_DEV "/index", &idx))
		return -errno ?: -EIO;
	s->idx[2] = idx;
	snprintf(path, sizeof(path), "/dev/uringblkc%d", (int)idx);
	return ubt_wait_path(path, 5000);
}

static int drive_remove(void)
{
	if (access(CFG_DEV, F_OK))
		return 0;
	if (ubt_write_str(CFG_DEV "/power", "0") || rmdir(CFG_DEV))
		return -errno ?: -EIO;
	return 0;
}

/* The holders file, whole (it is one page at most here): its length or -errno. */
static ssize_t holders_read(char *buf, size_t len)
{
	int fd = open(HOLDERS, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

static void holders_print(void)
{
	char buf[4096];

	if (holders_read(buf, sizeof(buf)) < 0)
		fprintf(stderr, "# %s: %m\n", HOLDERS);
	else
		fprintf(stderr, "# %s", buf);
}

/* Does the kernel log hold @s? */
static bool klog_has(const char *s)
{
	int len = klogctl(10, NULL, 0);		/* SYSLOG_ACTION_SIZE_BUFFER */
	bool found = false;
	char *buf;

	if (len <= 0 || !(buf = malloc(len + 1)))
		return false;
	len = klogctl(3, buf, len);		/* SYSLOG_ACTION_READ_ALL */
	if (len > 0) {
		buf[len] = '\0';
		found = strstr(buf, s);
	}
	free(buf);
	return found;
}

static long refcnt(void)
{
	uint64_t v;

	return ubt_read_u64("/sys/module/uringblk/refcnt", &v) ? -1 : (long)v;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

FIXTURE(stress) {
	struct stress s;
	bool engine;
};

static void stress_open(struct __test_metadata *_metadata, struct stress *s)
{
	struct uringblk_identify id;
	struct io_uring ring;
	uint8_t *a = ubt_alloc(DATA);
	int d, bfd;

	ASSERT_NE(NULL, a);
	memset(a, 'a', DATA);
	s->idx[0] = 0;
	s->idx[1] = 1;
	ASSERT_EQ(0, drive_create(s));
	ASSERT_EQ(0, ubt_ring_init(&ring, 0));
	for (d = 0; d < NR_DRIVES; d++) {
		s->cfd[d] = ubt_open_cdev(s->idx[d], O_RDWR);
		ASSERT_LE(0, s->cfd[d]);
		bfd = ubt_open_blk(s->idx[d], O_RDWR | O_DIRECT);
		ASSERT_LE(0, bfd);
		ASSERT_EQ(DATA, ubt_pwrite_full(bfd, a, DATA, 0));
		close(bfd);
	}
	ASSERT_EQ(sizeof(id), ubt_identify(&ring, s->cfd[0], &id));
	s->lbs = id.logical_block_size;
	s->budget = id.max_insn_budget;
	io_uring_queue_exit(&ring);
	munmap(a, DATA);
}

FIXTURE_SETUP(stress)
{
	struct uringblk_identify id;
	struct io_uring ring;
	int cfd;

	pthread_mutex_init(&self->s.why_lock, NULL);
	UBT_SETUP_MODULE(ubt_module_reload, PARAMS);
	if (access("/sys/kernel/debug/uringblk", F_OK))
		mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	cfd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, cfd);
	ASSERT_EQ(0, ubt_ring_init(&ring, 0));
	ASSERT_EQ(sizeof(id), ubt_identify(&ring, cfd, &id));
	io_uring_queue_exit(&ring);
	close(cfd);
	if (!(id.engines & URINGBLK_ENGINE_KBPF))
		UBT_SETUP_SKIP("no kernel-BPF engine (identify.engines 0x%x)",
			       id.engines);
	ASSERT_EQ(0, access(HOLDERS, R_OK)) TH_LOG("%s: %m", HOLDERS);
}

FIXTURE_TEARDOWN(stress)
{
	drive_remove();
}

/* The tracing aid: what holds the module, program by program. */
TEST_F(stress, holders)
{
	struct io_uring ring;
	char buf[4096], want[128];
	int cfd, bfd, id;

	struct uringblk_prog_info info;
	bool dyndbg = !ubt_write_str(DYNDBG, "file kbpf.c +p");

	ASSERT_EQ(0, ubt_ring_init(&ring, 0));
	cfd = ubt_open_cdev(1, O_RDWR);
	ASSERT_LE(0, cfd);
	bfd = kernel_load("kbpf/probe", "probe");
	ASSERT_LE(0, bfd);
	id = drive_load(&ring, cfd, bfd, 3);
	ASSERT_LT(0, id);
	close(bfd);
	ASSERT_EQ(1, ubp_list(&ring, cfd, id - 1, &info, 1));
	/* the dynamic debug line of the reference the drive took */
	if (dyndbg) {
		snprintf(want, sizeof(want), "took kernel-BPF program %u (", info.bpf_id);
		EXPECT_TRUE(klog_has(want)) TH_LOG("no '%s' in the kernel log", want);
	} else {
		TH_LOG("no %s: the dynamic debug lines are not checked", DYNDBG);
	}
	ASSERT_LT(0, holders_read(buf, sizeof(buf)));
	TH_LOG("%s", buf);
	EXPECT_NE(NULL, strstr(buf, "kbpf_programs_held 1\n"));
	/* drive, id, slot 3, bpf id, no run, calls kfuncs, name */
	snprintf(want, sizeof(want), "uringblk1 %d 3 ", id);
	EXPECT_NE(NULL, strstr(buf, want));
	EXPECT_NE(NULL, strstr(buf, " 0 yes stress\n"));
	/* the drive's reference and the kfunc BTF's, at least */
	EXPECT_LE(2, refcnt() - 1);	/* minus our cfd */
	EXPECT_EQ(0, ubp_unload(&ring, cfd, id));
	ASSERT_LT(0, holders_read(buf, sizeof(buf)));
	EXPECT_NE(NULL, strstr(buf, "kbpf_programs_held 0\n"));
	EXPECT_EQ(NULL, strstr(buf, want));
	if (dyndbg) {
		snprintf(want, sizeof(want), "dropping kernel-BPF program %u (", info.bpf_id);
		EXPECT_TRUE(klog_has(want)) TH_LOG("no '%s' in the kernel log", want);
		ubt_write_str(DYNDBG, "file kbpf.c -p");
	}
	io_uring_queue_exit(&ring);
	close(cfd);
	EXPECT_EQ(0, ubp_module_unload_wait(RMMOD_MS));
}

TEST_F_TIMEOUT(stress, rounds, 7200)
{
	const char *env = getenv("URINGBLK_KBPF_STRESS_ROUNDS");
	int rounds = env ? atoi(env) : 10;
	struct worker w[NR_THREADS];
	pthread_t th[NR_THREADS];
	struct io_uring ring;
	uint8_t *reply = ubt_alloc(UBP_RES_SIZE);
	double t0, *t;
	int round, d, i, status, spin_id, rm_id, bfd, ret;
	pid_t killed, removed;

	ASSERT_NE(NULL, reply);
	ASSERT_LT(0, rounds);
	t = calloc(rounds, sizeof(*t));
	ASSERT_NE(NULL, t);
	ASSERT_EQ(0, ubt_ring_init(&ring, 0));
	for (round = 0; round < rounds; round++) {
		struct stress *s = &self->s;

		if (round)
			ASSERT_EQ(0, ubt_module_load(PARAMS));
		atomic_store(&s->failed, 0);
		stress_open(_metadata, s);

		/* a run on the runtime drive that only the drive's removal ends */
		bfd = kernel_load("kbpf/spin", "spin");
		ASSERT_LE(0, bfd);
		rm_id = drive_load(&ring, s->cfd[2], bfd, 0);
		ASSERT_LT(0, rm_id);
		removed = spin_child(s, 2, rm_id, reply);
		ASSERT_LT(0, removed);

		for (i = 0; i < NR_THREADS; i++) {
			w[i] = (struct worker){ .s = s, .seed = round * 131 + i };
			ASSERT_EQ(0, pthread_create(&th[i], NULL, worker, &w[i]));
		}
		for (i = 0; i < NR_THREADS; i++)
			pthread_join(th[i], NULL);
		ASSERT_EQ(0, atomic_load(&s->failed))
			TH_LOG("round %d: %s", round, s->why);

		/*
		 * A long run whose submitter is killed, then what a test's
		 * teardown does at once (prog_kbpf's did): the run may still
		 * be draining, and its -EBUSY must be waited out.
		 */
		d = round % 2;
		spin_id = drive_load(&ring, s->cfd[d], bfd, 0);
		close(bfd);
		ASSERT_LT(0, spin_id);
		killed = spin_child(s, d, spin_id, reply);
		ASSERT_LT(0, killed);
		usleep(20000 + (round * 7919) % 200000);
		ASSERT_EQ(0, kill(killed, SIGKILL));
		ASSERT_EQ(killed, waitpid(killed, &status, 0));
		for (d = 0; d < 2; d++) {
			ret = ubp_unload_all(&ring, s->cfd[d]);
			EXPECT_LE(0, ret) TH_LOG("round %d: unload_all on drive %d: %s",
						 round, d, strerror(-ret));
		}

		/* the runtime drive goes with its programs, one of them running */
		for (d = 0; d < NR_DRIVES; d++)
			close(s->cfd[d]);
		ASSERT_EQ(0, drive_remove()) TH_LOG("round %d: removing %s: %m",
						    round, CFG_DEV);
		ASSERT_EQ(removed, waitpid(removed, &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
			TH_LOG("round %d: the run on the removed drive did not end with ENODEV (status 0x%x)",
			       round, status);

		/* nothing holds the module now: out within 2 s */
		t0 = ubp_now();
		ret = ubp_module_unload_wait(RMMOD_MS);
		if (ret) {
			TH_LOG("round %d: rmmod: %s after %d ms, refcnt %ld",
			       round, strerror(-ret), RMMOD_MS, refcnt());
			holders_print();
			ASSERT_EQ(0, ret);
		}
		t[round] = ubp_now() - t0;
	}
	qsort(t, rounds, sizeof(*t), cmp_double);
	TH_LOG("%d rounds of %d threads x %d kernel programs; rmmod after the cleanup: median %.3f s, max %.3f s",
	       rounds, NR_THREADS, ITERS, t[rounds / 2], t[rounds - 1]);
	free(t);
	io_uring_queue_exit(&ring);
	munmap(reply, UBP_RES_SIZE);
}

TEST_HARNESS_MAIN
