// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The status a handle keeps is the last call's, never an older one's: a
 * drive failure with a status, then a refusal of the library itself with
 * the same errno on the same handle, must be explained by the errno alone
 * (uringblk_dev_strerror(), uringblk_last_status(), the SNIA layer's
 * CS_STATUS), while the drive failure alone keeps its status.
 *
 * The drive is faked at the ring: the handle's ring is a real one on
 * /dev/null, whose ->uring_cmd completes every command with 0 (as in
 * ring.c); io_uring_submit() is wrapped (-Wl,--wrap=io_uring_submit) to
 * rewrite that completion, in the CQ ring, into the failure the test asks
 * for (cqe->res and big_cqe[0], the status), as the driver posts one.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include "cs_private.h"
#include "private.h"
#include "test.h"

int __real_io_uring_submit(struct io_uring *ring);
int __wrap_io_uring_submit(struct io_uring *ring);

/* the next command's answer; 0: /dev/null's own (success) */
static int fake_res;
static __u16 fake_status;
static unsigned int nr_submitted;

int __wrap_io_uring_submit(struct io_uring *ring)
{
	struct io_uring_cqe *cqe;
	int ret = __real_io_uring_submit(ring);

	if (ret <= 0)
		return ret;
	nr_submitted++;
	if (!fake_res || io_uring_wait_cqe(ring, &cqe))
		return ret;
	cqe->res = fake_res;
	cqe->big_cqe[0] = fake_status;
	fake_res = 0;
	fake_status = 0;
	return ret;
}

static struct uringblk_dev *open_fake(void)
{
	struct uringblk_dev *dev = NULL;
	int fd, ret;

	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	CHECK(fd >= 0);
	ret = uringblk_dev_new(0, fd, NULL, true, &dev);
	if (ret == -ENOSYS || ret == -EPERM) {
		SKIP("io_uring unavailable");
		return NULL;
	}
	CHECK_EQ(ret, 0);
	return ret ? NULL : dev;
}

/* PROG_ACTIVATE refused by the drive: -EINVAL, Invalid Program Type */
static int drive_fails(struct uringblk_dev *dev)
{
	unsigned int n = nr_submitted;
	int ret;

	fake_res = -EINVAL;
	fake_status = URINGBLK_SC_INVALID_PROG_TYPE;
	ret = uringblk_prog_activate(dev, 3, 1);
	CHECK_EQ(nr_submitted, n + 1);	/* it reached the (fake) drive */
	return ret;
}

static void test_drive_failure(struct uringblk_dev *dev)
{
	const char *drive_msg = uringblk_status_str(URINGBLK_SC_INVALID_PROG_TYPE);
	int ret = drive_fails(dev);

	CHECK_EQ(ret, -EINVAL);
	CHECK_EQ(uringblk_last_status(dev), URINGBLK_SC_INVALID_PROG_TYPE);
	CHECK(drive_msg != NULL);
	CHECK_STR(uringblk_dev_strerror(dev, ret), drive_msg);
	CHECK_EQ(cs_drive_status(dev, ret), URINGBLK_SC_INVALID_PROG_TYPE);
	CHECK_EQ(cs_status_of(dev, CS_OP_COMPUTE, ret), CS_LOAD_ERROR);
	/* the status and the errno tell apart what the errno alone cannot */
	CHECK(cs_status_from_errno(CS_OP_COMPUTE, ret) != CS_LOAD_ERROR);
}

/* refused by the library, nothing sent: the errno alone explains it */
static void check_refused(struct uringblk_dev *dev, int ret, unsigned int sent)
{
	CHECK_EQ(ret, -EINVAL);
	CHECK_EQ(nr_submitted, sent);	/* it did not reach the drive */
	CHECK_EQ(uringblk_last_status(dev), 0);
	CHECK_STR(uringblk_dev_strerror(dev, ret), uringblk_strerror(ret));
	CHECK_EQ(cs_drive_status(dev, ret), 0);
	CHECK_EQ(cs_status_of(dev, CS_OP_COMPUTE, ret),
		 cs_status_from_errno(CS_OP_COMPUTE, ret));
}

/* the drive fails with -EINVAL and a status, then @call refuses -EINVAL */
#define REFUSED_AFTER_FAILURE(dev, call) do {				\
	unsigned int sent;						\
									\
	CHECK_EQ(drive_fails(dev), -EINVAL);				\
	sent = nr_submitted;						\
	check_refused(dev, (call), sent);				\
} while (0)

/* several entry points, each refusing -EINVAL before the drive */
static void test_refusal_after_failure(struct uringblk_dev *dev)
{
	REFUSED_AFTER_FAILURE(dev, uringblk_identify(dev, NULL));
	REFUSED_AFTER_FAILURE(dev, uringblk_get_stats(dev, NULL, 0));
	REFUSED_AFTER_FAILURE(dev, uringblk_mem_read(dev, 0, NULL, 8));
	REFUSED_AFTER_FAILURE(dev, uringblk_kv_put(dev, NULL, 0, NULL, 0, 0));
	REFUSED_AFTER_FAILURE(dev, uringblk_submit_cmd(dev, URINGBLK_CMD_IDENTIFY,
						       NULL, NULL, NULL));
}

/* a command that succeeds after a failure leaves no status either */
static void test_success_after_failure(struct uringblk_dev *dev)
{
	drive_fails(dev);
	CHECK_EQ(uringblk_prog_activate(dev, 3, 1), 0);
	CHECK_EQ(uringblk_last_status(dev), 0);
}

/*
 * The SNIA layer's handle: a download whose object the library cannot
 * read (nothing sent) after an earlier call's drive failure with the same
 * errno is answered from the errno, not from that failure's status.
 */
static void test_snia_own_refusal(struct uringblk_dev *dev)
{
	struct cs_drive d = { .refs = 1, .dev = dev };
	struct cs_csx csx = { .magic = CS_CSX_MAGIC, .drive = &d };
	/* two ranges over the same bytes: Overlapping Memory Ranges (97h) */
	struct uringblk_mem_range r[2] = {
		{ .slm_off = 0, .len = 4096 }, { .slm_off = 0, .len = 4096 },
	};
	static char garbage[] = "not an ELF object";
	CsDownloadInfo di = {
		.Type = CS_BPF_PROGRAM, .SubType = CS_BPF_SUBTYPE_OBJECT,
		.Length = sizeof(garbage), .DataBuffer = garbage,
	};
	unsigned int sent;

	pthread_mutex_init(&d.lock, NULL);
	fake_res = -EINVAL;
	fake_status = URINGBLK_SC_OVERLAPPING_MEM_RANGES;
	CHECK_EQ(uringblk_range_set_create(dev, r, 2), -EINVAL);
	/* the status says more than -EINVAL would for a download */
	CHECK_EQ(cs_status_of(dev, CS_OP_DOWNLOAD, -EINVAL), CS_INVALID_ARG);
	CHECK_EQ(cs_status_from_errno(CS_OP_DOWNLOAD, -EINVAL), CS_LOAD_ERROR);

	sent = nr_submitted;
	CHECK_EQ(csDownload(&csx, &di), CS_LOAD_ERROR);
	CHECK_EQ(nr_submitted, sent);	/* refused before the drive */
	CHECK_EQ(uringblk_last_status(dev), 0);
	pthread_mutex_destroy(&d.lock);
}

int main(void)
{
	struct uringblk_dev *dev = open_fake();

	if (dev) {
		test_drive_failure(dev);
		test_refusal_after_failure(dev);
		test_success_after_failure(dev);
		test_snia_own_refusal(dev);
		/* and the drive's failure still has its status afterwards */
		test_drive_failure(dev);
		uringblk_close(dev);
	}
	return test_summary("last_status");
}
