// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel memory a user's NVMe commands hold while they wait
 * (Documentation/dev/architecture.md, "Kernel memory a command holds"):
 *  - bounces in flight: as nobody with a read-only file, misaligned Reads
 *    (plain and vectored) on a bio drive whose requests wait (fault
 *    delay_us) fill the drive's max_cmd_kb and the next one is -EBUSY,
 *    counted in bytes (a read's pages and its iovec array); while they
 *    hold it, Compare, Copy and SLM's Memory Read (waited for, data-sized
 *    buffers) are -EBUSY too; the room comes back when they end;
 *  - charged: 32 bounced Reads of 512 KiB in flight raise the submitter's
 *    memory.current by their 16 MiB; with 4 MiB of room under memory.max
 *    most are -ENOMEM, nobody is OOM-killed, and memory.current comes back
 *    once they end;
 *  - every path with a data-sized buffer against a budget of 8 KiB: a
 *    bounced Read and Write, Compare, Copy, SLM Memory Read and Write, ZNS
 *    Zone Append and Zone Management Receive, the command device's
 *    ZONE_APPEND, KV Store, Retrieve and List,
 *    each refused one size up and taken at its size; a pinned (aligned)
 *    Read is not counted.
 * The commands that stay in flight wait on the drive's fault delay (3 s):
 * one submission of a few dozen commands takes far less, and the test
 * counts completions, it does not time them.  Each test loads the module
 * it needs; their fixture is only there for TEST_F_TIMEOUT (a loaded
 * 2-core host runs them at half speed).
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "nvme_test.h"

#define LBA		512
#define KIB		1024
#define MIB		(1024 * 1024)
#define DELAY_US	"3000000"
#define NOBODY		65534
#define CG		UBT_CG_ROOT "/ubt_nvme_kmem"

enum { OP_WRITE = 0x01, OP_READ = 0x02, OP_COMPARE = 0x05, OP_COPY = 0x19,
       OP_ZMR = 0x7a, OP_ZAPPEND = 0x7d,
       KV_STORE_OP = 0x01, KV_RETRIEVE_OP = 0x02, KV_LIST_OP = 0x06,
       SLM_READ = 0x02, SLM_WRITE = 0x05 };

static struct nvme_passthru_cmd64 rw(uint8_t opcode, uint64_t slba, uint32_t len,
				     void *buf)
{
	return (struct nvme_passthru_cmd64) {
		.opcode = opcode, .nsid = 1, .addr = (uintptr_t)buf,
		.data_len = len, .cdw10 = (uint32_t)slba,
		.cdw11 = slba >> 32, .cdw12 = len / LBA - 1,
	};
}

/* SLM's Memory Read or Write through /dev/uringblkc0n3 */
static struct nvme_passthru_cmd64 mem(uint8_t opcode, uint32_t len, void *buf)
{
	struct nvme_passthru_cmd64 c = cmd64(opcode, 3, buf, len);

	c.cdw12 = len;
	return c;
}

/* Copy (19h) of one LBA at 0 to @sdlba: its pages are MSSRL's, 512 KiB */
static struct nvme_passthru_cmd64 copy1(uint64_t sdlba, uint8_t *range)
{
	struct nvme_passthru_cmd64 c = rw(OP_COPY, sdlba, LBA, range);

	memset(range, 0, 32);
	c.data_len = 32;
	c.cdw12 = 0;		/* one range, format 0 */
	return c;
}

static int fault_knob(const char *knob, const char *val)
{
	char path[96];

	snprintf(path, sizeof(path), "/sys/block/uringblk0/fault/%s", knob);
	return ubt_write_str(path, val);
}

/* The module gone (the drive's commands ended), 20 s at most: 0 or -errno */
static int unload_wait(void)
{
	int i, ret = 0;

	for (i = 0; i < 2000; i++) {
		ret = ubt_module_unload();
		if (ret != -EWOULDBLOCK && ret != -EAGAIN && ret != -EBUSY)
			return ret == -ENOENT ? 0 : ret;
		usleep(10000);
	}
	return ret;
}

FIXTURE(kmem) {
	int unused;
};

FIXTURE_SETUP(kmem)
{
}

FIXTURE_TEARDOWN(kmem)
{
}

/* What a child saw, for the parent. */
struct shared {
	volatile int stage;	/* child: 1 budget full, 3 done, -1 failed; parent: 2 go on */
	char why[128];
	int ok[2], busy[2], other[2];	/* by round: plain, vectored */
	int enomem, accepted;		/* memcg */
	uint64_t before, after, end;	/* memory.current */
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
	sh->stage = -1;
	_exit(1);
}

/* @n URING_CMDs in one submission; 0 or -1 */
static int submit_all(struct io_uring *r, int fd, uint32_t op,
		      const struct nvme_passthru_cmd64 *c, int n)
{
	for (int i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(r);

		if (!sqe)
			return -1;
		memset(sqe, 0, 128);
		sqe->opcode = IORING_OP_URING_CMD;
		sqe->fd = fd;
		sqe->cmd_op = op;
		sqe->user_data = i;
		memcpy(sqe->cmd, &c[i], sizeof(struct nvme_uring_cmd));
	}
	return io_uring_submit(r) == n ? 0 : -1;
}

/* @n CQEs (60 s at most each): counted into ok, busy, enomem, other */
static int reap(struct io_uring *r, int n, int *ok, int *busy, int *enomem, int *other)
{
	struct __kernel_timespec ts = { .tv_sec = 60 };
	struct io_uring_cqe *cqe;

	while (n--) {
		if (io_uring_wait_cqe_timeout(r, &cqe, &ts))
			return -1;
		if (cqe->res == 0)
			(*ok)++;
		else if (cqe->res == -EBUSY && busy)
			(*busy)++;
		else if (cqe->res == -ENOMEM && enomem)
			(*enomem)++;
		else
			(*other)++;
		io_uring_cqe_seen(r, cqe);
	}
	return 0;
}

static int wait_stage(struct shared *sh, int stage)
{
	for (int i = 0; i < 12000 && sh->stage != stage && sh->stage >= 0; i++)
		usleep(10000);
	return sh->stage == stage ? 0 : -1;
}

#define BB_CMDS		12
#define BB_LEN		(128 * KIB)
#define BB_BUDGET_KB	1024
/*
 * 8 plain reads of 128 KiB fill 1 MiB exactly (the bounce keeps a single
 * segment in itself, on either kernel); vectored ones are charged their
 * two copied iovecs too, so the 8th of those does not fit.
 */
static const int bb_fit[2] = { 8, 7 };
#define BB_STRIDE	(BB_LEN + 8192)

/*
 * As nobody, a read-only file: BB_CMDS misaligned Reads in one submission,
 * then as many vectored ones (two misaligned iovecs of half each).
 */
static void bounce_child(struct shared *sh)
{
	struct nvme_passthru_cmd64 c[BB_CMDS];
	struct iovec iov[BB_CMDS][2];
	struct io_uring r;
	uint8_t *buf;
	int fd, i, early = BB_CMDS - bb_fit[0];

	if (setgid(NOBODY) || setuid(NOBODY))
		child_fail(sh, "setuid(nobody)");
	fd = open("/dev/uringblkc0", O_RDONLY);
	if (fd < 0 || io_uring_queue_init(64, &r, IORING_SETUP_SQE128 | IORING_SETUP_CQE32))
		child_fail(sh, "open or ring");
	buf = ubt_alloc(BB_CMDS * BB_STRIDE);
	if (!buf)
		child_fail(sh, "alloc");
	memset(buf, 0, BB_CMDS * BB_STRIDE);
	for (i = 0; i < BB_CMDS; i++)
		c[i] = rw(OP_READ, i * (BB_LEN / LBA), BB_LEN, buf + i * BB_STRIDE + 1);
	if (submit_all(&r, fd, NVME_URING_CMD_IO, c, BB_CMDS))
		child_fail(sh, "submit");
	/* the refused complete at once, the others wait for the delay */
	if (reap(&r, early, &sh->ok[0], &sh->busy[0], NULL, &sh->other[0]))
		child_fail(sh, "reap");
	sh->stage = 1;
	while (sh->stage == 1)
		usleep(10000);
	if (reap(&r, bb_fit[0], &sh->ok[0], &sh->busy[0], NULL, &sh->other[0]))
		child_fail(sh, "reap the rest");

	/* vectored: the room came back */
	for (i = 0; i < BB_CMDS; i++) {
		uint8_t *p = buf + i * BB_STRIDE + 3;

		iov[i][0] = (struct iovec){ p, BB_LEN / 2 };
		iov[i][1] = (struct iovec){ p + BB_LEN / 2 + 5, BB_LEN / 2 };
		c[i] = rw(OP_READ, i * (BB_LEN / LBA), BB_LEN, iov[i]);
		c[i].data_len = 2;
	}
	if (submit_all(&r, fd, NVME_URING_CMD_IO_VEC, c, BB_CMDS))
		child_fail(sh, "submit vectored");
	if (reap(&r, BB_CMDS, &sh->ok[1], &sh->busy[1], NULL, &sh->other[1]))
		child_fail(sh, "reap vectored");
	sh->stage = 3;
	_exit(0);
}

TEST_F_TIMEOUT(kmem, bounce_budget, 300)
{
	struct shared *sh = shared_new();
	uint8_t *buf = ubt_alloc(512 * KIB), *range = ubt_alloc(4096);
	struct nvme_passthru_cmd64 c;
	int fd, fd3, status;
	pid_t pid;

	ASSERT_NE(NULL, sh);
	ASSERT_NE(NULL, buf);
	ASSERT_NE(NULL, range);
	UBT_SETUP_MODULE(ubt_module_reload,
			 "capacity_mb=16 nr_devices=1 queue_mode=bio slm_size_mb=4 max_cmd_kb=1024");
	ASSERT_EQ(0, ubt_wait_path("/dev/uringblkc0n3", 5000));
	ASSERT_EQ(0, chmod("/dev/uringblkc0", 0644));
	fd = ubt_open_cdev(0, O_RDWR);
	fd3 = open("/dev/uringblkc0n3", O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_LE(0, fd3);
	ASSERT_EQ(0, fault_knob("delay_us", DELAY_US));

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		bounce_child(sh);
	ASSERT_EQ(0, wait_stage(sh, 1)) TH_LOG("child: %s", sh->why);
	/* the budget is full: waited-for commands with data-sized buffers too */
	c = rw(OP_COMPARE, 0, 256 * KIB, buf);
	EXPECT_EQ(-EBUSY, nvme_ioctl(fd, NVME_IOCTL_IO64_CMD, &c)) TH_LOG("Compare");
	c = copy1(4000, range);
	EXPECT_EQ(-EBUSY, nvme_ioctl(fd, NVME_IOCTL_IO64_CMD, &c)) TH_LOG("Copy");
	c = mem(SLM_READ, 256 * KIB, buf);
	EXPECT_EQ(-EBUSY, nvme_ioctl(fd3, NVME_IOCTL_IO64_CMD, &c)) TH_LOG("Memory Read");
	sh->stage = 2;
	ASSERT_EQ(0, wait_stage(sh, 3)) TH_LOG("child: %s", sh->why);
	waitpid(pid, &status, 0);

	TH_LOG("%d misaligned Reads of %d KiB, max_cmd_kb=%d: %d in flight, %d -EBUSY; vectored %d, %d",
	       BB_CMDS, BB_LEN / KIB, BB_BUDGET_KB, sh->ok[0], sh->busy[0], sh->ok[1],
	       sh->busy[1]);
	for (int i = 0; i < 2; i++) {
		EXPECT_EQ(bb_fit[i], sh->ok[i]) TH_LOG("round %d", i);
		EXPECT_EQ(BB_CMDS - bb_fit[i], sh->busy[i]) TH_LOG("round %d", i);
		EXPECT_EQ(0, sh->other[i]) TH_LOG("round %d", i);
	}
	/* all ended: the whole budget is there again */
	ASSERT_EQ(0, fault_knob("clear", "1"));
	c = rw(OP_COMPARE, 0, 512 * KIB, buf);
	memset(buf, 0, 512 * KIB);
	EXPECT_EQ(0, nvme_ioctl(fd, NVME_IOCTL_IO64_CMD, &c));
	close(fd);
	close(fd3);
	EXPECT_EQ(0, unload_wait());
}


#define MC_CMDS		32
#define MC_LEN		(512 * KIB)
#define MC_ROOM		(4 * MIB)
#define MC_SLACK	4	/* reads that may start on reclaimed memory */

/*
 * Join the cgroup, everything resident first, then (@room: memory.max =
 * memory.current + @room) drop to nobody and submit MC_CMDS misaligned
 * Reads of MC_LEN in one go.  At the limit any other charged allocation
 * of this task could wake the memcg OOM killer, so the ring's requests are
 * made beforehand (NOPs) and the child only reaps after the submission.
 */
static void memcg_child(struct shared *sh, uint64_t room)
{
	struct nvme_passthru_cmd64 c[MC_CMDS];
	struct io_uring_cqe *cqe;
	struct io_uring r;
	char pid[32], max[32];
	int fd, i, ok = 0, other = 0;
	uint8_t *buf;

	snprintf(pid, sizeof(pid), "%d", getpid());
	if (ubt_write_str(CG "/cgroup.procs", pid))
		child_fail(sh, "cannot join the cgroup");
	fd = open("/dev/uringblkc0", O_RDONLY);
	if (fd < 0 || io_uring_queue_init(64, &r, IORING_SETUP_SQE128 | IORING_SETUP_CQE32))
		child_fail(sh, "open or ring");
	buf = ubt_alloc(MC_LEN + 8192);
	if (!buf)
		child_fail(sh, "alloc");
	memset(buf, 0, MC_LEN + 8192);
	for (i = 0; i < MC_CMDS; i++) {
		io_uring_prep_nop(io_uring_get_sqe(&r));
		c[i] = rw(OP_READ, (uint64_t)i * (MC_LEN / LBA) % 16384, MC_LEN, buf + 1);
	}
	if (io_uring_submit_and_wait(&r, MC_CMDS) != MC_CMDS)
		child_fail(sh, "nops");
	for (i = 0; i < MC_CMDS; i++) {
		if (io_uring_peek_cqe(&r, &cqe))
			child_fail(sh, "nop cqe");
		io_uring_cqe_seen(&r, cqe);
	}
	sync();
	ubt_write_str("/proc/sys/vm/drop_caches", "3");
	if (ubt_read_u64(CG "/memory.current", &sh->before))
		child_fail(sh, "memory.current");
	if (room) {
		snprintf(max, sizeof(max), "%llu", (unsigned long long)(sh->before + room));
		if (ubt_write_str(CG "/memory.max", max))
			child_fail(sh, "memory.max");
	}
	if (setgid(NOBODY) || setuid(NOBODY))
		child_fail(sh, "setuid(nobody)");
	if (submit_all(&r, fd, NVME_URING_CMD_IO, c, MC_CMDS))
		child_fail(sh, "submit");
	/* at the limit, a sysfs read's buffer could wake the OOM killer */
	if (!room && ubt_read_u64(CG "/memory.current", &sh->after))
		child_fail(sh, "memory.current after");
	if (reap(&r, MC_CMDS, &ok, NULL, &sh->enomem, &other))
		child_fail(sh, "reap");
	sh->accepted = ok;
	sh->other[0] = other;
	if (!room && ubt_read_u64(CG "/memory.current", &sh->end))
		child_fail(sh, "memory.current at the end");
	sh->stage = 3;
	_exit(0);
}

static int memcg_run(struct shared *sh, uint64_t room)
{
	int status;
	pid_t pid;

	memset(sh, 0, sizeof(*sh));
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid)
		memcg_child(sh, room);
	waitpid(pid, &status, 0);
	return sh->stage == 3 && WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -1;
}

TEST_F_TIMEOUT(kmem, bounce_charged, 300)
{
	struct shared *sh = shared_new();
	uint64_t ooms = 0;
	char events[512] = "";
	const char *why;
	char *p;

	ASSERT_NE(NULL, sh);
	UBT_SETUP_MODULE(ubt_module_reload, "capacity_mb=16 nr_devices=1 queue_mode=bio");
	why = ubt_memcg_ready(CG);
	if (why)
		SKIP(return, "%s", why);
	ASSERT_EQ(0, fault_knob("delay_us", DELAY_US));

	/* charged: MC_CMDS * MC_LEN (16 MiB) in flight show in memory.current */
	ASSERT_EQ(0, memcg_run(sh, 0)) TH_LOG("child: %s", sh->why);
	TH_LOG("%d bounced Reads of %d KiB in flight: memory.current %llu KiB -> %llu KiB, %llu KiB after",
	       MC_CMDS, MC_LEN / KIB, (unsigned long long)sh->before >> 10,
	       (unsigned long long)sh->after >> 10, (unsigned long long)sh->end >> 10);
	EXPECT_EQ(MC_CMDS, sh->accepted);
	EXPECT_LE(sh->before + (uint64_t)MC_CMDS * MC_LEN, sh->after + ubt_memcg_stock_slack());
	/* and given back when they end (1 MiB for what the ring and the task keep) */
	EXPECT_GE(sh->before + MIB, sh->end);

	/* limited: MC_ROOM of room, most are -ENOMEM, nobody is OOM-killed */
	ASSERT_EQ(0, memcg_run(sh, MC_ROOM)) TH_LOG("child: %s", sh->why);
	TH_LOG("memory.max = memory.current + %d MiB: %d started, %d -ENOMEM, %d other",
	       MC_ROOM / MIB, sh->accepted, sh->enomem, sh->other[0]);
	EXPECT_EQ(0, sh->other[0]);
	EXPECT_GE(MC_ROOM / MC_LEN + MC_SLACK, sh->accepted);
	EXPECT_EQ(MC_CMDS, sh->accepted + sh->enomem);
	if (!ubt_read_str(CG "/memory.events", events, sizeof(events)) &&
	    (p = strstr(events, "oom_kill ")))
		ooms = strtoull(p + 9, NULL, 10);
	EXPECT_EQ(0, ooms) TH_LOG("memory.events: %s", events);
	ASSERT_EQ(0, fault_knob("clear", "1"));
	EXPECT_EQ(0, unload_wait());
	rmdir(CG);
}

/*
 * max_cmd_kb=8: every path with a data-sized buffer refuses one size up
 * (-EBUSY) and takes its size.  A bounce of one buffer holds its pages
 * only, a read's as a write's, on either kernel (a vectored read's also
 * holds its copied iovecs: bounce_budget).
 */
TEST_F_TIMEOUT(kmem, each_path, 300)
{
	uint8_t *buf = ubt_alloc(64 * KIB), *range = ubt_alloc(4096);
	struct nvme_passthru_cmd64 c;
	uint8_t key[4] = "k001";
	struct uringblk_cmd zc;
	struct io_uring ring;
	int fd, fd3;

	ASSERT_NE(NULL, buf);
	ASSERT_NE(NULL, range);
	UBT_SETUP_MODULE(ubt_module_reload,
			 "capacity_mb=16 nr_devices=1 slm_size_mb=4 max_cmd_kb=8");
	ASSERT_EQ(0, ubt_wait_path("/dev/uringblkc0n3", 5000));
	fd = ubt_open_cdev(0, O_RDWR);
	fd3 = open("/dev/uringblkc0n3", O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_LE(0, fd3);
	memset(buf, 0, 64 * KIB);
	/* bounces */
	c = rw(OP_WRITE, 0, 12 * KIB, buf + 1);
	EXPECT_EQ(-EBUSY, nvme_ioctl(fd, NVME_IOCTL_IO64_CMD, &c));
	c = rw(OP_WRITE, 0, 8 * KIB, buf + 1);
	EXPECT_EQ(0, nvme_ioctl(fd, NVME_IOCTL_IO64_CMD, &c));
	c = rw(OP_READ, 0, 12 * KIB, buf + 1);
	EXPECT_EQ(-EBUSY, nvme_ioctl(fd, NVME_IOCTL_IO64_CMD, &c));
	c = rw(OP_READ, 0, 8 * KIB, buf + 1);
	EXPECT_EQ(0, nvme_ioctl(fd, NVME_IOCTL_IO64_CMD, &c));
	/* pinned, not bounced: not counted */
	c = rw(OP_READ, 0, 64 * KIB, buf);
	EXPECT_EQ(0, nvme_ioctl(fd, NVME_IOCTL_IO64_CMD, &c));
	/* Compare: its pages */
	memset(buf, 0, 64 * KIB);
	c = rw(OP_COMPARE, 100, 12 * KIB, buf);
	EXPECT_EQ(-EBUSY, nvme_ioctl(fd, NVME_IOCTL_IO64_CMD, &c));
	c = rw(OP_COMPARE, 100, 8 * KIB, buf);
	EXPECT_EQ(0, nvme_ioctl(fd, NVME_IOCTL_IO64_CMD, &c));
	/* Copy: MSSRL's pages, 512 KiB, whatever it copies */
	c = copy1(4000, range);
	EXPECT_EQ(-EBUSY, nvme_ioctl(fd, NVME_IOCTL_IO64_CMD, &c));
	/* SLM's Memory Read and Write */
	c = mem(SLM_WRITE, 12 * KIB, buf);
	EXPECT_EQ(-EBUSY, nvme_ioctl(fd3, NVME_IOCTL_IO64_CMD, &c));
	c = mem(SLM_WRITE, 8 * KIB, buf);
	EXPECT_EQ(0, nvme_ioctl(fd3, NVME_IOCTL_IO64_CMD, &c));
	c = mem(SLM_READ, 12 * KIB, buf);
	EXPECT_EQ(-EBUSY, nvme_ioctl(fd3, NVME_IOCTL_IO64_CMD, &c));
	c = mem(SLM_READ, 8 * KIB, buf);
	EXPECT_EQ(0, nvme_ioctl(fd3, NVME_IOCTL_IO64_CMD, &c));
	close(fd3);
	close(fd);

	/* ZNS: Zone Append's data, Zone Management Receive's report */
	UBT_SETUP_MODULE(ubt_module_reload,
			 "capacity_mb=16 nr_devices=1 zoned=1 zone_size_mb=2 max_cmd_kb=8");
	fd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, fd);
	c = rw(OP_ZAPPEND, 0, 12 * KIB, buf);
	EXPECT_EQ(-EBUSY, nvme_ioctl(fd, NVME_IOCTL_IO64_CMD, &c));
	c = rw(OP_ZAPPEND, 0, 8 * KIB, buf);
	EXPECT_EQ(0, nvme_ioctl(fd, NVME_IOCTL_IO64_CMD, &c));
	c = cmd64(OP_ZMR, 1, buf, 12 * KIB);
	c.cdw12 = 12 * KIB / 4 - 1;
	EXPECT_EQ(-EBUSY, nvme_ioctl(fd, NVME_IOCTL_IO64_CMD, &c));
	c = cmd64(OP_ZMR, 1, buf, 8 * KIB);
	c.cdw12 = 8 * KIB / 4 - 1;
	EXPECT_EQ(0, nvme_ioctl(fd, NVME_IOCTL_IO64_CMD, &c));
	/* the command device's ZONE_APPEND (zone 1 starts at LBA 4096) */
	ASSERT_EQ(0, ubt_ring_init(&ring, 0));
	ubt_cmd_init(&zc, buf, 12 * KIB);
	zc.zone_append.zone_lba = 4096;
	EXPECT_EQ(-EBUSY, ubt_uring_cmd(&ring, fd, URINGBLK_CMD_ZONE_APPEND, &zc, NULL));
	ubt_cmd_init(&zc, buf, 8 * KIB);
	zc.zone_append.zone_lba = 4096;
	EXPECT_EQ(0, ubt_uring_cmd(&ring, fd, URINGBLK_CMD_ZONE_APPEND, &zc, NULL));
	io_uring_queue_exit(&ring);
	close(fd);

	/* KV: Store's and Retrieve's bounces (a misaligned buffer), List's */
	UBT_SETUP_MODULE(ubt_module_reload, "capacity_mb=16 nr_devices=1 kv=1 max_cmd_kb=8");
	fd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, fd);
	c = cmd64(KV_STORE_OP, 1, buf + 1, 12 * KIB);
	c.cdw2 = key[0] | key[1] << 8 | key[2] << 16 | (uint32_t)key[3] << 24;
	c.cdw10 = 12 * KIB;
	c.cdw11 = 4;
	EXPECT_EQ(-EBUSY, nvme_ioctl(fd, NVME_IOCTL_IO64_CMD, &c));
	c.data_len = c.cdw10 = 8 * KIB;
	EXPECT_EQ(0, nvme_ioctl(fd, NVME_IOCTL_IO64_CMD, &c));
	c.opcode = KV_RETRIEVE_OP;
	c.data_len = c.cdw10 = 12 * KIB;
	EXPECT_EQ(-EBUSY, nvme_ioctl(fd, NVME_IOCTL_IO64_CMD, &c));
	c.data_len = c.cdw10 = 8 * KIB;
	EXPECT_EQ(0, nvme_ioctl(fd, NVME_IOCTL_IO64_CMD, &c));
	c.opcode = KV_LIST_OP;
	c.data_len = c.cdw10 = 12 * KIB;
	EXPECT_EQ(-EBUSY, nvme_ioctl(fd, NVME_IOCTL_IO64_CMD, &c));
	c.data_len = c.cdw10 = 4 * KIB;
	EXPECT_EQ(0, nvme_ioctl(fd, NVME_IOCTL_IO64_CMD, &c));
	close(fd);
	EXPECT_EQ(0, unload_wait());
}

TEST_HARNESS_MAIN
