// SPDX-License-Identifier: GPL-2.0
/*
 * exec_ring_close: an EXEC must stop when its ring is closed.
 *
 * Found by fuzz_cmds: io_uring in 6.1 cannot cancel a URING_CMD, so when a
 * process closes a ring with an EXEC running and lives on, the run goes on
 * to its budget (up to 2^36 units: minutes), and io_ring_exit_work() WARNs
 * (io_uring/io_uring.c, "WARN_ON_ONCE(time_after(jiffies, timeout))")
 * once the ring's requests are not done five minutes after the close: a
 * kernel WARNING any user who may EXEC a looping program can cause.
 *
 * The test: a program that loops until its budget ends, an EXEC of it
 * with the largest budget, the ring closed after 1 s with the process
 * alive; the run must end (a prog_aborts_* counter moves) within 20 s
 * (driver/exec_run.c's exec_stopped() sees the ring's context dying:
 * compat_internals.h's uringblk_cmd_ring_dying()).  Exiting also ends the run
 * (-EINTR), so a failing run leaves no WARNING behind.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>

#include "uringblk_test.h"

static uint64_t aborts(int idx)
{
	struct uringblk_stats st;

	if (ubt_sysfs_stats(idx, &st))
		return ~0ULL;
	return st.prog_aborts_budget + st.prog_aborts_bounds + st.prog_aborts_fault;
}

int main(void)
{
	const struct bpf_insn loop[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_JA, .off = -1 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	static char reply[4096];
	struct io_uring_sqe *sqe;
	struct uringblk_cmd c;
	struct io_uring ring;
	uint64_t before;
	int fd, id, ret, i;

	printf("TAP version 13\n1..1\n");
	ret = ubt_module_reload("capacity_mb=16");
	if (ret) {
		printf("ok 1 exec_ring_close # SKIP loading the module: %s\n", strerror(-ret));
		printf("# Totals: pass:0 fail:0 xfail:0 xpass:0 skip:1 error:0\n");
		return 4;
	}
	fd = ubt_open_cdev(0, O_RDWR);
	if (fd < 0 || ubt_ring_init(&ring, 0))
		goto fail;
	ubt_cmd_init(&c, (void *)loop, sizeof(loop));
	id = ubt_uring_cmd(&ring, fd, URINGBLK_CMD_PROG_LOAD, &c, NULL);
	if (id <= 0)
		goto fail;
	before = aborts(0);
	ubt_cmd_init(&c, reply, sizeof(reply));
	c.exec.prog_id = id;
	c.exec.lba_count = 1;
	c.exec.insn_budget = 1ULL << 36;
	sqe = io_uring_get_sqe(&ring);
	if (!sqe)
		goto fail;
	memset(sqe, 0, 2 * sizeof(*sqe));	/* an SQE128 slot */
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = fd;
	sqe->cmd_op = URINGBLK_CMD_EXEC;
	memcpy(sqe->cmd, &c, sizeof(c));
	if (io_uring_submit(&ring) != 1)
		goto fail;
	sleep(1);
	if (aborts(0) != before) {
		printf("# the run ended within 1 s: it cannot show the bug\n");
		goto fail;
	}
	io_uring_queue_exit(&ring);	/* the ring closes; the process lives on */
	for (i = 0; i < 200 && aborts(0) == before; i++)
		usleep(100000);
	if (aborts(0) == before) {
		printf("# the EXEC still runs 20 s after its ring was closed "
		       "(io_ring_exit_work() WARNs after 5 min)\n");
		goto fail;
	}
	printf("# the run stopped %.1f s after its ring was closed\n", i / 10.0);
	close(fd);
	printf("ok 1 exec_ring_close\n");
	printf("# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:0 error:0\n");
	return 0;
fail:
	printf("not ok 1 exec_ring_close\n");
	printf("# Totals: pass:0 fail:1 xfail:0 xpass:0 skip:0 error:0\n");
	return 1;	/* exiting ends the run: -EINTR */
}
