// SPDX-License-Identifier: GPL-2.0
/*
 * Removal is not held by the client's memory: no command touches user
 * memory under the device lock that removal takes, so a page fault the
 * client controls cannot hold a removal (Documentation/uapi/programs.md, "Who may do what").
 * For each command that reads or writes user memory (EXEC's extent list,
 * MEM_WRITE, MEM_READ, RANGE_SET_CREATE, PROG_LOAD, IDENTIFY), its buffer
 * is a page registered with userfaultfd, whose fault the test holds;
 * meanwhile the drive (a configfs one) is removed.  The removal must end
 * while the fault is still held, and the command, issued again once its
 * page is there, ends with -ENODEV.  The fault is held until the removal
 * has returned, or for at most HOLD_MAX_S: a removal that waits for it
 * returns only after it was served, and fails.
 */
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "harness.h"
#include "prog_test.h"

#define CFG_DEV		"/sys/kernel/config/uringblk/uffd_removal"
#define HOLD_MAX_S	30.0	/* the longest the test holds the page fault */
#define R0		0

static const struct bpf_insn seven[] = { BPF_MOV64_IMM(R0, 7), BPF_EXIT_INSN() };

/* The page fault the test holds, served by a thread of its own. */
struct uffd {
	int fd;
	void *page;		/* registered, not yet populated */
	void *src;		/* what the page gets when the fault is served */
	atomic_int faulted;	/* a fault came */
	atomic_int release;	/* serve it now */
	atomic_int served;	/* it was served */
	pthread_t th;
};

static void *uffd_serve(void *arg)
{
	struct uffd *u = arg;
	struct pollfd p = { .fd = u->fd, .events = POLLIN };
	struct uffd_msg msg;
	double t0;

	if (poll(&p, 1, 20000) != 1 || read(u->fd, &msg, sizeof(msg)) != sizeof(msg) ||
	    msg.event != UFFD_EVENT_PAGEFAULT)
		return NULL;
	atomic_store(&u->faulted, 1);
	t0 = ubp_now();
	while (!atomic_load(&u->release) && ubp_now() - t0 < HOLD_MAX_S)
		usleep(1000);
	struct uffdio_copy copy = {
		.dst = (uintptr_t)u->page, .src = (uintptr_t)u->src, .len = 4096,
	};
	atomic_store(&u->served, 1);
	ioctl(u->fd, UFFDIO_COPY, &copy);
	return NULL;
}

/* A page whose first touch faults to the test; NULL if there is no uffd. */
static int uffd_start(struct uffd *u, const void *content, size_t len)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };

	memset(u, 0, sizeof(*u));
	u->fd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (u->fd < 0)
		return -errno;
	if (ioctl(u->fd, UFFDIO_API, &api))
		return -errno;
	u->page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	u->src = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (u->page == MAP_FAILED || u->src == MAP_FAILED)
		return -ENOMEM;
	memset(u->src, 0, 4096);
	memcpy(u->src, content, len);
	reg.range.start = (uintptr_t)u->page;
	reg.range.len = 4096;
	if (ioctl(u->fd, UFFDIO_REGISTER, &reg))
		return -errno;
	return pthread_create(&u->th, NULL, uffd_serve, u) ? -EAGAIN : 0;
}

static void uffd_stop(struct uffd *u)
{
	atomic_store(&u->release, 1);
	pthread_join(u->th, NULL);
	munmap(u->page, 4096);
	munmap(u->src, 4096);
	close(u->fd);
}

FIXTURE(uffd) {
	struct io_uring ring;
	int cfd;
	int idx;
	uint32_t prog;
	uint8_t reply[4096];
};

/* Which command, and how its buffer lies in the held page. */
FIXTURE_VARIANT(uffd) {
	uint32_t cmd_op;
};

FIXTURE_VARIANT_ADD(uffd, exec_extents) { .cmd_op = URINGBLK_CMD_EXEC };
FIXTURE_VARIANT_ADD(uffd, mem_write) { .cmd_op = URINGBLK_CMD_MEM_WRITE };
FIXTURE_VARIANT_ADD(uffd, mem_read) { .cmd_op = URINGBLK_CMD_MEM_READ };
FIXTURE_VARIANT_ADD(uffd, range_set_create) { .cmd_op = URINGBLK_CMD_RANGE_SET_CREATE };
FIXTURE_VARIANT_ADD(uffd, prog_load) { .cmd_op = URINGBLK_CMD_PROG_LOAD };
FIXTURE_VARIANT_ADD(uffd, identify) { .cmd_op = URINGBLK_CMD_IDENTIFY };

FIXTURE_SETUP(uffd)
{
	uint64_t idx;

	self->cfd = -1;
	self->ring.ring_fd = -1;
	UBT_SETUP_MODULE(ubt_module_reload, "capacity_mb=16");
	rmdir(CFG_DEV);
	ASSERT_EQ(0, mkdir(CFG_DEV, 0755)) TH_LOG("mkdir %s: %m", CFG_DEV);
	ASSERT_EQ(0, ubt_write_str(CFG_DEV "/capacity_mb", "16"));
	ASSERT_EQ(0, ubt_write_str(CFG_DEV "/power", "1"));
	ASSERT_EQ(0, ubt_read_u64(CFG_DEV "/index", &idx));
	self->idx = idx;
	ASSERT_EQ(0, ubt_ring_init(&self->ring, 0));
	self->cfd = ubt_open_cdev(self->idx, O_RDWR);
	ASSERT_LE(0, self->cfd);
	self->prog = ubp_load(&self->ring, self->cfd, seven, 2, "seven", NULL, 0);
	ASSERT_LT(0, self->prog);
}

FIXTURE_TEARDOWN(uffd)
{
	if (self->cfd >= 0)
		close(self->cfd);
	if (self->ring.ring_fd >= 0)
		io_uring_queue_exit(&self->ring);
	ubt_write_str(CFG_DEV "/power", "0");
	rmdir(CFG_DEV);
}

TEST_F(uffd, removal_not_held)
{
	const struct uringblk_extent ext = { .lba = 0, .len = 4096 };
	const struct uringblk_mem_range range = { .slm_off = 0, .len = 4096 };
	struct io_uring_cqe *cqe;
	struct uringblk_cmd cmd;
	struct uffd u;
	double t0, removal;
	bool held;
	const void *content = seven;
	size_t len = sizeof(seven);
	int ret;

	if (variant->cmd_op == URINGBLK_CMD_EXEC) {
		content = &ext;
		len = sizeof(ext);
	} else if (variant->cmd_op == URINGBLK_CMD_RANGE_SET_CREATE) {
		content = &range;
		len = sizeof(range);
	}
	ret = uffd_start(&u, content, len);
	if (ret == -ENOSYS || ret == -EPERM)
		SKIP(return, "no userfaultfd (CONFIG_USERFAULTFD): %s", strerror(-ret));
	ASSERT_EQ(0, ret) TH_LOG("userfaultfd: %s", strerror(-ret));

	switch (variant->cmd_op) {
	case URINGBLK_CMD_EXEC:
		ubt_cmd_init(&cmd, self->reply, UBP_RES_SIZE);
		cmd.flags = URINGBLK_EXEC_F_EXTENTS;
		cmd.exec_ext.prog_id = self->prog;
		cmd.exec_ext.ext_addr = (uintptr_t)u.page;
		cmd.exec_ext.nr_ext = 1;
		break;
	case URINGBLK_CMD_MEM_WRITE:
	case URINGBLK_CMD_MEM_READ:
		ubt_cmd_init(&cmd, u.page, 4096);
		break;
	case URINGBLK_CMD_RANGE_SET_CREATE:
		ubt_cmd_init(&cmd, u.page, sizeof(range));
		break;
	case URINGBLK_CMD_PROG_LOAD:
		ubt_cmd_init(&cmd, u.page, sizeof(seven));
		break;
	case URINGBLK_CMD_IDENTIFY:
		ubt_cmd_init(&cmd, u.page, sizeof(struct uringblk_identify));
		break;
	}
	ASSERT_EQ(0, ubp_prep_cmd(&self->ring, self->cfd, variant->cmd_op, &cmd, 1, 0));
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	t0 = ubp_now();
	while (!atomic_load(&u.faulted) && ubp_now() - t0 < 10)
		usleep(5000);
	ASSERT_TRUE(atomic_load(&u.faulted)) TH_LOG("the command never touched its page");

	/* the fault is held: the removal must not wait for it */
	t0 = ubp_now();
	EXPECT_EQ(0, ubt_write_str(CFG_DEV "/power", "0"));
	removal = ubp_now() - t0;
	held = !atomic_load(&u.served);
	atomic_store(&u.release, 1);
	TH_LOG("removal took %.3f s, the client's page fault %s", removal,
	       held ? "still held" : "served first");
	EXPECT_TRUE(held) TH_LOG("removal waited for the client's page fault");

	ASSERT_EQ(0, io_uring_wait_cqe(&self->ring, &cqe));
	EXPECT_EQ(-ENODEV, cqe->res) TH_LOG("res %d (%s)", cqe->res, strerror(-cqe->res));
	io_uring_cqe_seen(&self->ring, cqe);
	uffd_stop(&u);
}

TEST_HARNESS_MAIN
