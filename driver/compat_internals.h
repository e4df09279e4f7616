/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fence: every place the driver reaches into io_uring's, the block
 * layer's or nvme-core's internals instead of their API, kept apart from
 * compat.h's API shims so that each can be dropped on the kernel that no
 * longer needs it.  Each entry says on which kernels it is needed and
 * what upstream did about it; Documentation/dev/workarounds.md is the
 * inventory (with the test of each), and tests/tools/workarounds-test.sh
 * reads each supported kernel's sources for the code that makes an entry
 * necessary (it says "remove the workaround" when a kernel no longer has
 * it) and fails if a driver file outside the fence reaches in.
 *
 *   W1  nvme-core frees a generic node under its open file
 *       driver/nvme_ctrl_nodes.c, the whole file: it builds only against
 *       nvme-core's private header (Kbuild), which nothing here may include
 *   W2  6.12's io_uring leaves a URING_CMD's SQE on the SQ ring for its
 *       issue from io-wq                     uringblk_cmd_issued()
 *   W3  6.1's io_uring cannot cancel a URING_CMD at ring exit
 *                                            uringblk_cmd_ring_dying()
 *   W4  the ring's 32-bit-ness, not the task's    uringblk_cmd_compat()
 *   W5  the block layer's issue time of a bio     uringblk_bio_issue_time()
 *   W6  a bio-based drive's hold on its queue past ->submit_bio
 *                                  uringblk_queue_hold(), _release()
 *   W7  zone write plugs told what the drive did without a bio (6.12)
 *                  uringblk_zone_plug_done(), _forget(), _resync():
 *                  compat_internals.c
 */
#ifndef URINGBLK_COMPAT_INTERNALS_H
#define URINGBLK_COMPAT_INTERNALS_H

#include "compat.h"

/*
 * W3.  Needed on 6.1 (and used on 6.12 too, where ctx->refs still is the
 * ring's life).  Upstream: not a bug; 6.7's commit 93b8cc60c37b
 * ("io_uring: cancelable uring_cmd") added the API, IORING_URING_CMD_
 * CANCELABLE with io_uring_cmd_mark_cancelable() and ->uring_cmd called
 * with IO_URING_F_CANCEL at ring exit, which 6.12 has and 6.1 has not:
 * on 6.12 this peek could become that API.  Test: exec_ring_close.
 */
/*
 * Whether the io_uring instance a URING_CMD came from is being torn down
 * (its last file reference closed: io_ring_ctx_wait_and_kill() kills
 * ctx->refs).  Linux 6.1 cannot cancel a URING_CMD (6.7 added
 * IORING_URING_CMD_CANCELABLE and ->uring_cmd with IO_URING_F_CANCEL), so
 * a command that may run long must notice it itself, or io_ring_exit_work()
 * WARNs when the ring's requests are not done five minutes after the
 * close.  The request holds a reference on its ctx while in flight.  The
 * same test serves on 6.12 (ctx->refs is still the ring's life).
 */
static inline bool uringblk_cmd_ring_dying(struct io_uring_cmd *ioucmd)
{
	return percpu_ref_is_dying(&cmd_to_io_kiocb(ioucmd)->ctx->refs);
}

/*
 * W2.  Needed on 6.12 (6.12.117 read): the 6.4-6.13 kernels from the
 * deferred SQE copy on.  Not on 6.1, which copies the payload and points
 * ioucmd->cmd at it.  Upstream: fixed in 6.14 by commits e663da62ba86
 * ("io_uring/uring_cmd: switch sqe to async_data on EAGAIN") and
 * d6211ebbdaa5 ("io_uring/uring_cmd: unconditionally copy SQEs at prep
 * time", read in a linux-next snapshot); Debian's 6.12.117 has neither.
 * Tests: zone_append's many_threads_*, nvme_vec; workarounds-test.sh.
 */
/*
 * A URING_CMD whose non-blocking issue returned -EAGAIN is issued again
 * from io-wq, after io_uring_enter() returned, when the client may have
 * refilled the command's SQ ring slot: that issue must read a copy of the
 * SQE.  6.1's io_uring_cmd() copies it on -EAGAIN and points ioucmd->cmd
 * at the copy (io_uring_cmd_prep_async()).  6.12's (6.12.117 read;
 * io_uring/uring_cmd.c) defers the copy to the -EAGAIN too, into the
 * request's async_data, but leaves ioucmd->sqe on the SQ ring, so the
 * issue from io-wq reads whatever command the client put in that slot
 * since: another command's payload, run a second time (zone_append's
 * many_threads_* saw one append's LBA written to another's lba_out_addr).
 * Upstream fixed it in io_uring ("io_uring/uring_cmd: switch sqe to
 * async_data on EAGAIN", then copies every SQE at prep time from 6.14;
 * neither commit nor its stable releases confirmed here).  Every
 * ->uring_cmd of the module returns through uringblk_cmd_issued(), which
 * on -EAGAIN makes the same copy io_uring would make,
 * into the same place (6.12's async_data, struct uring_cache, is room for
 * two SQEs; 6.14 changed its layout), and ioucmd->sqe pointed at it, as
 * the fix does; io_uring then sees the copy made and does not copy again.
 * Nothing on 6.1 (no ioucmd->sqe), nor where the SQE was copied already
 * (IOSQE_ASYNC: ioucmd->sqe is async_data), nor where io_uring has no
 * async_data yet (it allocated it only on -EAGAIN before the deferred
 * copy; the kernels between 6.1 and 6.12 were not read).  Does not sleep.
 */
static inline int uringblk_cmd_issued(struct io_uring_cmd *ioucmd, int ret,
				      unsigned int issue_flags)
{
#if defined(URINGBLK_HAS_CMD_SQE) && LINUX_VERSION_CODE < KERNEL_VERSION(6, 14, 0)
	void *copy = cmd_to_io_kiocb(ioucmd)->async_data;
	const size_t len = issue_flags & IO_URING_F_SQE128 ?
			   2 * sizeof(struct io_uring_sqe) : sizeof(struct io_uring_sqe);

	if (ret == -EAGAIN && copy && ioucmd->sqe != copy) {
		memcpy(copy, ioucmd->sqe, len);
		ioucmd->sqe = copy;
	}
#endif
	return ret;
}

/*
 * W4.  Whether the ring that sent @ioucmd was set up by a 32-bit program
 * (nvme_map.c: uringblk_nvme_compat() says why the task cannot tell).
 * Needed on 6.1, whose io_uring says it only in ctx->compat; 6.12 also
 * passes IO_URING_F_COMPAT in issue_flags (the commit that added it is
 * not confirmed here), which would replace it there once the callers
 * carry issue_flags.  Upstream: an API exists from then on; nothing to
 * fix.  Test: nvme_vec's iowq_worker_from_irq.
 */
static inline bool uringblk_cmd_compat(struct io_uring_cmd *ioucmd)
{
	return cmd_to_io_kiocb(ioucmd)->ctx->compat;
}

/*
 * W5.  Needed on 6.1 and 6.12 to read the time the block layer already
 * took (bio.c: one clock read per bio, not two); 6.1 has the layout in
 * <linux/blk_types.h>, 6.12 only in block/.  Upstream: no API is meant
 * for drivers; the layout checked by workarounds-test.sh (51 bits of
 * time).  Tests: latency histograms (cli_latency, stats_latency).
 */
/*
 * The low 51 bits of a ktime_get_ns() value: the part of a bio's issue
 * time the block layer keeps in bio->bi_issue (with CONFIG_BLK_CGROUP).
 * By 6.12, __bio_issue_time() and bio_issue_time() are private to
 * block/blk.h (the moving commit is not confirmed here); the
 * layout of bi_issue.value is unchanged (1 reserved bit, 12 bits of size,
 * 51 of time), so the mask is kept here.  On 6.12 the block layer stamps
 * bi_issue with blk_time_get_ns(), the plug's cached clock (6.9): a bio
 * submitted under a plug starts when the plug's first clock read was.
 */
#define URINGBLK_ISSUE_TIME_MASK	((1ULL << 51) - 1)

static inline u64 uringblk_issue_time(u64 ns)
{
	return ns & URINGBLK_ISSUE_TIME_MASK;
}

#ifdef CONFIG_BLK_CGROUP
static inline u64 uringblk_bio_issue_time(const struct bio *bio)
{
	return uringblk_issue_time(bio->bi_issue.value);
}
#endif

/*
 * W6.  A bio-based drive that ends a bio from its workqueue after
 * ->submit_bio returned holds the queue's usage counter until then, so
 * that del_gendisk() waits for the bio: blk_queue_enter() and
 * blk_queue_exit() are declared in <linux/blkdev.h> but exported on
 * neither 6.1 nor 6.12, so this is blk_queue_exit()'s percpu_ref_put()
 * by hand.  Needed on both.  Upstream: no exported way, by design (dm
 * and md count their own I/O).  Tests: bio_mode.sh's removal, nvme_fast's
 * removal_ends_delayed_io.
 */
static inline void uringblk_queue_hold(struct request_queue *q)
{
	percpu_ref_get(&q->q_usage_counter);
}

static inline void uringblk_queue_release(struct request_queue *q)
{
	percpu_ref_put(&q->q_usage_counter);
}

#ifdef CONFIG_BLK_DEV_ZONED
/*
 * W7.  Needed on 6.12 (zone write plugging, 6.10); nothing on 6.1.  The
 * block layer has no call that tells a plug of a write pointer the
 * driver moved: these end never-submitted bios so that its own completion
 * paths do it.  Upstream: no such API (a driver that changes zones
 * outside bios is not a case it serves).  Tests: zone_model, nvme_zns,
 * zone_append on 6.12.
 */
/*
 * Zone write plugging, 6.10 (Damien Le Moal's series, dd291d77cc90
 * "block: Introduce zone write plugging"): the block layer keeps a zone's
 * write pointer in a plug while bios write the zone partly, and fails a
 * bio that is not at it before the driver sees it.  The drive changes
 * zones without a bio too (the zone command set's actions and appends,
 * NVMe's Zone Management Send and Zone Append): these tell the plug, as
 * a bio of the block layer's own would have.  6.1 has no plug: they do
 * nothing there.  compat_blk.c; see Documentation/dev/kernels.md.
 */
void uringblk_zone_plug_done(struct gendisk *disk, enum req_op op, sector_t sector);
void uringblk_zone_plug_forget(struct gendisk *disk, sector_t sector);
void uringblk_zone_plug_resync(struct gendisk *disk, sector_t sector);
#endif

#endif /* URINGBLK_COMPAT_INTERNALS_H */
