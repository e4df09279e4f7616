// SPDX-License-Identifier: GPL-2.0
/*
 * Program slots and activation (uAPI "The computational storage model",
 * ABI 1.3): PROG_LOAD into a chosen slot or the lowest free one, every
 * refusal with its errno (occupied, device-defined, no such slot), ids
 * never reused, PROG_LIST's pind/type/flags, PROG_ACTIVATE (idempotent,
 * the activation limit with the device-defined programs counted, empty
 * slot, bad action, CAP_SYS_ADMIN, the gate), PROG_UNLOAD of an active
 * program, of a device-defined one and of one with an EXEC in flight
 * (-EBUSY until it completes), and EXEC still running any loaded program,
 * active or not.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "prog_test.h"

#define R0 0
#define R1 1
#define R2 2
#define R3 3
#define R4 4
#define R6 6

FIXTURE(slots) {
	struct io_uring ring;
	int cfd;
	struct uringblk_identify id;
	/* the device-defined programs, as listed at setup */
	struct uringblk_prog_info dd[URINGBLK_MAX_ACTIVE_PROGS];
	int nr_dd;
};

/* Every program of the device from after id 0: entries or -errno. */
static int list_all(FIXTURE_DATA(slots) *self, struct uringblk_prog_info *info)
{
	return ubp_list(&self->ring, self->cfd, 0, info, URINGBLK_MAX_PROGS);
}

/* The entry with id @id, or NULL. */
static const struct uringblk_prog_info *
find_id(const struct uringblk_prog_info *info, int n, uint32_t id)
{
	for (int i = 0; i < n; i++)
		if (info[i].id == id)
			return &info[i];
	return NULL;
}

FIXTURE_SETUP(slots)
{
	struct uringblk_prog_info info[URINGBLK_MAX_PROGS];
	int n;

	self->ring.ring_fd = -1;
	self->cfd = -1;
	UBT_SETUP_MODULE(ubt_module_ensure, "capacity_mb=64");
	self->cfd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, self->cfd);
	ASSERT_EQ(0, ubt_ring_init(&self->ring, 0));
	ASSERT_EQ(sizeof(self->id), ubt_identify(&self->ring, self->cfd, &self->id));
	ASSERT_LE(0, ubp_unload_all(&self->ring, self->cfd));
	n = list_all(self, info);
	ASSERT_LE(0, n);
	/* only device-defined programs are left, all active */
	self->nr_dd = 0;
	for (int i = 0; i < n; i++) {
		ASSERT_TRUE(info[i].flags & URINGBLK_PROG_INFO_F_DEVICE);
		ASSERT_TRUE(info[i].flags & URINGBLK_PROG_INFO_F_ACTIVE);
		ASSERT_GT(URINGBLK_MAX_ACTIVE_PROGS, self->nr_dd);
		self->dd[self->nr_dd++] = info[i];
	}
}

FIXTURE_TEARDOWN(slots)
{
	if (self->cfd >= 0) {
		ubp_unload_all(&self->ring, self->cfd);
		close(self->cfd);
	}
	if (self->ring.ring_fd >= 0)
		io_uring_queue_exit(&self->ring);
}

TEST_F(slots, identify)
{
	EXPECT_EQ(URINGBLK_MAX_ACTIVE_PROGS, self->id.max_active_progs);
	EXPECT_EQ(URINGBLK_MAX_PROGS, self->id.max_progs);
	EXPECT_EQ(self->nr_dd, self->id.nr_dd_progs);
	for (int i = 0; i < self->nr_dd; i++) {
		EXPECT_EQ(URINGBLK_DD_PIND_BASE + i, self->dd[i].pind);
		EXPECT_EQ(URINGBLK_DD_ID_BASE + i, self->dd[i].id);
		EXPECT_EQ(URINGBLK_PROG_TYPE_DEVICE, self->dd[i].type);
		EXPECT_EQ(0, self->dd[i].insn_cnt);
		EXPECT_NE(0, self->dd[i].name[0]);
	}
}

TEST_F(slots, load_into_slots)
{
	struct uringblk_prog_info info[URINGBLK_MAX_PROGS];
	const struct uringblk_prog_info *p;
	char log[256];
	int a, b, c, n;

	/* a chosen slot, then 0: the lowest free one */
	a = ubp_load_slot(&self->ring, self->cfd, ubp_ret_arg, 2, "five", 5, NULL, 0);
	ASSERT_LT(0, a);
	b = ubp_load_slot(&self->ring, self->cfd, ubp_ret_arg, 2, "low", 0, NULL, 0);
	ASSERT_LT(0, b);
	c = ubp_load_slot(&self->ring, self->cfd, ubp_ret_arg, 2, "last",
			  URINGBLK_MAX_PROGS, NULL, 0);
	ASSERT_LT(0, c);
	n = list_all(self, info);
	ASSERT_EQ(3 + self->nr_dd, n);
	p = find_id(info, n, a);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(5, p->pind);
	EXPECT_EQ(URINGBLK_PROG_TYPE_EBPF, p->type);
	EXPECT_EQ(0, p->flags) TH_LOG("a program is loaded inactive");
	EXPECT_EQ(2, p->insn_cnt);
	EXPECT_EQ(0, p->globals_len);
	EXPECT_STREQ("five", p->name);
	p = find_id(info, n, b);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(1, p->pind);
	p = find_id(info, n, c);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(URINGBLK_MAX_PROGS, p->pind);

	/* Program In Use: an occupied slot, with the reason in the log */
	EXPECT_EQ(-EBUSY, ubp_load_slot(&self->ring, self->cfd, ubp_ret_arg, 2, "x",
					5, log, sizeof(log)));
	EXPECT_NE(NULL, strstr(log, "taken")) TH_LOG("log: %s", log);
	/* Invalid Program Index: no such slot */
	EXPECT_EQ(-ERANGE, ubp_load_slot(&self->ring, self->cfd, ubp_ret_arg, 2, "x",
					 URINGBLK_MAX_PROGS + 1, NULL, 0));
	EXPECT_EQ(-ERANGE, ubp_load_slot(&self->ring, self->cfd, ubp_ret_arg, 2, "x",
					 URINGBLK_DD_PIND_BASE + self->nr_dd,
					 NULL, 0));
	EXPECT_EQ(-ERANGE, ubp_load_slot(&self->ring, self->cfd, ubp_ret_arg, 2, "x",
					 1ULL << 40, NULL, 0));
	EXPECT_EQ(-ERANGE, ubp_load_slot(&self->ring, self->cfd, ubp_ret_arg, 2, "x",
					 ~0ULL, NULL, 0));
	/* Program Index Not Downloadable: a device-defined slot */
	for (int i = 0; i < self->nr_dd; i++)
		EXPECT_EQ(-EPERM, ubp_load_slot(&self->ring, self->cfd, ubp_ret_arg, 2,
						"x", self->dd[i].pind, NULL, 0));
	/* nothing of the refused loads was stored */
	EXPECT_EQ(3 + self->nr_dd, list_all(self, info));
}

TEST_F(slots, full_and_ids_never_reused)
{
	struct uringblk_prog_info info[URINGBLK_MAX_PROGS];
	uint32_t ids[URINGBLK_MAX_PROGS];
	int id, again;

	for (int i = 0; i < URINGBLK_MAX_PROGS; i++) {
		id = ubp_load(&self->ring, self->cfd, ubp_ret_arg, 2, "fill", NULL, 0);
		ASSERT_LT(0, id);
		ids[i] = id;
		if (i)
			EXPECT_LT(ids[i - 1], ids[i]);
	}
	/* no free slot: Insufficient Program Resources; a named one is taken */
	EXPECT_EQ(-ENOSPC, ubp_load(&self->ring, self->cfd, ubp_ret_arg, 2, "x", NULL, 0));
	EXPECT_EQ(-EBUSY, ubp_load_slot(&self->ring, self->cfd, ubp_ret_arg, 2, "x",
					7, NULL, 0));
	/* free slot 7: pind 0 finds it, with a new id */
	ASSERT_EQ(URINGBLK_MAX_PROGS, ubp_list(&self->ring, self->cfd, 0, info,
					       URINGBLK_MAX_PROGS));
	EXPECT_EQ(7, info[6].pind);
	ASSERT_EQ(0, ubp_unload(&self->ring, self->cfd, ids[6]));
	again = ubp_load(&self->ring, self->cfd, ubp_ret_arg, 2, "again", NULL, 0);
	ASSERT_LT(0, again);
	EXPECT_LT(ids[URINGBLK_MAX_PROGS - 1], (uint32_t)again);
	EXPECT_EQ(-ENOENT, ubp_unload(&self->ring, self->cfd, ids[6]));
	ASSERT_LE(1, ubp_list(&self->ring, self->cfd, again - 1, info, 1));
	EXPECT_EQ(again, info[0].id);
	EXPECT_EQ(7, info[0].pind);
}

TEST_F(slots, activate)
{
	struct uringblk_prog_info info[URINGBLK_MAX_PROGS];
	const struct uringblk_prog_info *p;
	int id, n;

	id = ubp_load_slot(&self->ring, self->cfd, ubp_ret_arg, 2, "act", 3, NULL, 0);
	ASSERT_LT(0, id);
	/* twice each way: idempotent */
	for (int k = 0; k < 2; k++)
		EXPECT_EQ(0, ubp_activate(&self->ring, self->cfd, 3,
					  URINGBLK_PROG_ACT_ACTIVATE));
	n = list_all(self, info);
	p = find_id(info, n, id);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(URINGBLK_PROG_INFO_F_ACTIVE, p->flags);
	/* Program In Use: an active program cannot be unloaded */
	EXPECT_EQ(-EBUSY, ubp_unload(&self->ring, self->cfd, id));
	for (int k = 0; k < 2; k++)
		EXPECT_EQ(0, ubp_activate(&self->ring, self->cfd, 3,
					  URINGBLK_PROG_ACT_DEACTIVATE));
	n = list_all(self, info);
	p = find_id(info, n, id);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(0, p->flags);

	/* refusals */
	EXPECT_EQ(-ENOENT, ubp_activate(&self->ring, self->cfd, 4,
					URINGBLK_PROG_ACT_ACTIVATE));
	EXPECT_EQ(-ENOENT, ubp_activate(&self->ring, self->cfd, 4,
					URINGBLK_PROG_ACT_DEACTIVATE));
	EXPECT_EQ(-ERANGE, ubp_activate(&self->ring, self->cfd, 0,
					URINGBLK_PROG_ACT_ACTIVATE));
	EXPECT_EQ(-ERANGE, ubp_activate(&self->ring, self->cfd,
					URINGBLK_MAX_PROGS + 1,
					URINGBLK_PROG_ACT_ACTIVATE));
	EXPECT_EQ(-ERANGE, ubp_activate(&self->ring, self->cfd,
					URINGBLK_DD_PIND_BASE + self->nr_dd,
					URINGBLK_PROG_ACT_ACTIVATE));
	EXPECT_EQ(-EINVAL, ubp_activate(&self->ring, self->cfd, 3, 2));
	{
		struct uringblk_cmd cmd;
		uint64_t dummy = 0;

		/* the gate: no buffer, no word past the view */
		ubt_cmd_init(&cmd, &dummy, sizeof(dummy));
		cmd.prog_activate.pind = 3;
		EXPECT_EQ(-EINVAL, ubt_uring_cmd(&self->ring, self->cfd,
						 URINGBLK_CMD_PROG_ACTIVATE, &cmd, NULL));
		ubt_cmd_init(&cmd, NULL, 0);
		cmd.prog_activate.pind = 3;
		cmd.cdw[2] = 1;
		EXPECT_EQ(-EINVAL, ubt_uring_cmd(&self->ring, self->cfd,
						 URINGBLK_CMD_PROG_ACTIVATE, &cmd, NULL));
		cmd.prog_activate.action = ~0ULL;
		cmd.cdw[2] = 0;
		EXPECT_EQ(-EINVAL, ubt_uring_cmd(&self->ring, self->cfd,
						 URINGBLK_CMD_PROG_ACTIVATE, &cmd, NULL));
	}
	EXPECT_EQ(0, ubp_unload(&self->ring, self->cfd, id));
}

TEST_F(slots, activation_limit)
{
	const int room = URINGBLK_MAX_ACTIVE_PROGS - self->nr_dd;
	int n = room + 2, id;

	ASSERT_LE(n, URINGBLK_MAX_PROGS);
	for (int i = 1; i <= n; i++) {
		id = ubp_load_slot(&self->ring, self->cfd, ubp_ret_arg, 2, "lim", i,
				   NULL, 0);
		ASSERT_LT(0, id);
	}
	/* the device-defined programs count: room for the rest only */
	for (int i = 1; i <= room; i++)
		ASSERT_EQ(0, ubp_activate(&self->ring, self->cfd, i,
					  URINGBLK_PROG_ACT_ACTIVATE));
	EXPECT_EQ(-EDQUOT, ubp_activate(&self->ring, self->cfd, room + 1,
					URINGBLK_PROG_ACT_ACTIVATE));
	/* activating an active one is no new activation */
	if (room)
		EXPECT_EQ(0, ubp_activate(&self->ring, self->cfd, 1,
					  URINGBLK_PROG_ACT_ACTIVATE));
	/* one out, another in */
	if (room) {
		EXPECT_EQ(0, ubp_activate(&self->ring, self->cfd, 1,
					  URINGBLK_PROG_ACT_DEACTIVATE));
		EXPECT_EQ(0, ubp_activate(&self->ring, self->cfd, room + 1,
					  URINGBLK_PROG_ACT_ACTIVATE));
		EXPECT_EQ(-EDQUOT, ubp_activate(&self->ring, self->cfd, room + 2,
						URINGBLK_PROG_ACT_ACTIVATE));
	}
	/* a device-defined program deactivated makes room, and takes it back */
	if (self->nr_dd) {
		uint32_t dd = self->dd[0].pind;

		EXPECT_EQ(0, ubp_activate(&self->ring, self->cfd, dd,
					  URINGBLK_PROG_ACT_DEACTIVATE));
		EXPECT_EQ(0, ubp_activate(&self->ring, self->cfd, room + 2,
					  URINGBLK_PROG_ACT_ACTIVATE));
		EXPECT_EQ(-EDQUOT, ubp_activate(&self->ring, self->cfd, dd,
						URINGBLK_PROG_ACT_ACTIVATE));
		EXPECT_EQ(0, ubp_activate(&self->ring, self->cfd, room + 2,
					  URINGBLK_PROG_ACT_DEACTIVATE));
		EXPECT_EQ(0, ubp_activate(&self->ring, self->cfd, dd,
					  URINGBLK_PROG_ACT_ACTIVATE));
	}
}

TEST_F(slots, device_defined_fixed)
{
	if (!self->nr_dd)
		SKIP(return, "the drive has no device-defined programs");
	for (int i = 0; i < self->nr_dd; i++) {
		/* Program Index Not Downloadable, active or not */
		EXPECT_EQ(-EPERM, ubp_unload(&self->ring, self->cfd, self->dd[i].id));
		EXPECT_EQ(0, ubp_activate(&self->ring, self->cfd, self->dd[i].pind,
					  URINGBLK_PROG_ACT_DEACTIVATE));
		EXPECT_EQ(-EPERM, ubp_unload(&self->ring, self->cfd, self->dd[i].id));
		EXPECT_EQ(0, ubp_activate(&self->ring, self->cfd, self->dd[i].pind,
					  URINGBLK_PROG_ACT_ACTIVATE));
	}
}

/* EXEC, the shortcut, runs any loaded program: active or not. */
TEST_F(slots, exec_runs_inactive)
{
	struct ubp_exec e = { .lba = 0, .count = 1, .args = { 42 } };
	uint8_t reply[UBP_RES_SIZE];
	int id;

	id = ubp_load(&self->ring, self->cfd, ubp_ret_arg, 2, "inactive", NULL, 0);
	ASSERT_LT(0, id);
	e.prog = id;
	EXPECT_EQ(42, ubp_exec(&self->ring, self->cfd, &e, reply, sizeof(reply), NULL));
	ASSERT_EQ(0, ubp_activate(&self->ring, self->cfd, 1, URINGBLK_PROG_ACT_ACTIVATE));
	EXPECT_EQ(42, ubp_exec(&self->ring, self->cfd, &e, reply, sizeof(reply), NULL));
}

/* PROG_UNLOAD with an EXEC in flight: -EBUSY; after it completed: 0. */
TEST_F(slots, unload_busy_while_exec)
{
	struct ubp_exec e = { .lba = 0, .count = 1 };
	uint8_t reply[UBP_RES_SIZE];
	struct io_uring_cqe *cqe;
	uint64_t runs0, runs;
	double t0;
	int id;

	id = ubp_load(&self->ring, self->cfd, ubp_count_loop, UBP_NINSNS(ubp_count_loop),
		      "loop", NULL, 0);
	ASSERT_LT(0, id);
	e.prog = id;
	e.args[0] = ubp_calibrate_loop(&self->ring, self->cfd, id, 1.5);
	ASSERT_LT(0, e.args[0]);
	ASSERT_EQ(0, ubp_counter(0, "prog_runs", &runs0));
	ASSERT_EQ(0, ubp_prep_exec(&self->ring, self->cfd, &e, reply,
				   sizeof(reply), 1));
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	t0 = ubp_now();
	do {
		usleep(2000);
		ASSERT_EQ(0, ubp_counter(0, "prog_runs", &runs));
	} while (runs == runs0 && ubp_now() - t0 < 5);
	ASSERT_EQ(runs0 + 1, runs);
	/* ubp_unload() waits for its own CQE: the EXEC's must not come first */
	if (io_uring_cq_ready(&self->ring) == 0) {
		struct uringblk_cmd cmd;

		ubt_cmd_init(&cmd, NULL, 0);
		cmd.prog_unload.prog_id = id;
		ASSERT_EQ(0, ubp_prep_cmd(&self->ring, self->cfd,
					  URINGBLK_CMD_PROG_UNLOAD, &cmd, 2, 0));
		ASSERT_EQ(1, io_uring_submit(&self->ring));
		ASSERT_EQ(0, io_uring_wait_cqe(&self->ring, &cqe));
		if (cqe->user_data == 2) {
			EXPECT_EQ(-EBUSY, cqe->res);
			io_uring_cqe_seen(&self->ring, cqe);
			ASSERT_EQ(0, io_uring_wait_cqe(&self->ring, &cqe));
			EXPECT_EQ(1, cqe->user_data);
		} else {
			TH_LOG("the run ended before the unload: machine too fast");
			io_uring_cqe_seen(&self->ring, cqe);
			ASSERT_EQ(0, io_uring_wait_cqe(&self->ring, &cqe));
		}
	} else {
		TH_LOG("the run ended before the unload: machine too fast");
		ASSERT_EQ(0, io_uring_wait_cqe(&self->ring, &cqe));
	}
	io_uring_cqe_seen(&self->ring, cqe);
	EXPECT_EQ(0, ubp_unload(&self->ring, self->cfd, id));
}

TEST_F(slots, need_cap_sys_admin)
{
	int results[3], pipefd[2], status;
	int id;
	pid_t pid;

	id = ubp_load_slot(&self->ring, self->cfd, ubp_ret_arg, 2, "cap", 2, NULL, 0);
	ASSERT_LT(0, id);
	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct io_uring ring;
		int fd;

		close(pipefd[0]);
		results[0] = ubp_drop_cap_sys_admin();
		fd = ubt_open_cdev(0, O_RDWR);
		if (fd < 0 || ubt_ring_init(&ring, 0))
			_exit(2);
		results[1] = ubp_activate(&ring, fd, 2, URINGBLK_PROG_ACT_ACTIVATE);
		results[2] = ubp_load_slot(&ring, fd, ubp_ret_arg, 2, "x", 9, NULL, 0);
		if (write(pipefd[1], results, sizeof(results)) != sizeof(results))
			_exit(3);
		_exit(0);
	}
	close(pipefd[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ASSERT_EQ(sizeof(results), read(pipefd[0], results, sizeof(results)));
	close(pipefd[0]);
	ASSERT_EQ(0, results[0]);
	EXPECT_EQ(-EPERM, results[1]);
	EXPECT_EQ(-EPERM, results[2]);
}

TEST_HARNESS_MAIN
