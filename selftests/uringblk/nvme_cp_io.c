// SPDX-License-Identifier: GPL-2.0
/*
 * NVMe Execute Program (01h) of the Computational Programs command set on
 * /dev/uringblkc0n2 (driver/nvme_cp_io.c) by the 64- and 32-bit ioctls
 * and URING_CMD, each checked against the drive's own EXECUTE (the admin
 * commands: nvme_cp.c; runs in flight by URING_CMD: nvme_cp_exec.c):
 *  - the count in the result against the drive's EXECUTE; every bad
 *    field's status (inactive, empty and unknown slots, unknown sets,
 *    NUMR, reserved words, parameter data above 8 bytes, metadata, other
 *    opcodes); a stopped run's vendor status; a set, program and slot in
 *    use while it runs; the CP set's effects log; without CAP_SYS_ADMIN
 *    only on a node opened for writing; a runtime drive removed while one
 *    runs and a load is half done.
 * The runner fails the test if the kernel logs a warning meanwhile.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/nvme_ioctl.h>

#include "harness.h"
#include "nvme_cp.h"

#define R0 0
#define R1 1

CP_FIXTURE()

/* "Alpha" @k times in @len bytes of SLM at 0 (MEM_WRITE), a set over them. */
static int alpha_set(FIXTURE_DATA(cp) *self, uint32_t len, uint32_t k, uint64_t *rsid)
{
	struct mrd d = slm_range(0, len);

	memset(self->buf, '.', len);
	for (uint32_t i = 0; i < k; i++)
		memcpy(self->buf + (uint64_t)i * (len / k), "Alpha", 5);
	if (ubp_mem_rw(&self->ring, self->fd, URINGBLK_CMD_MEM_WRITE, 0, self->buf, len) != (int)len)
		return -1;
	return mrs_create(self->fd, &d, 1, rsid);
}

TEST_F(cp, execute_program)
{
	struct ubp_execute x = { .pind = 3 };
	struct ubp_exec pat = {};
	uint8_t reply[UBP_RES_SIZE];
	struct nvme_passthru_cmd64 c;
	struct nvme_passthru_cmd c32;
	unsigned int cnt;
	struct bpf_insn *insns = count_pattern_insns(&cnt);
	uint64_t rsid, plen = 5, res2 = 0;
	int nfd;

	ASSERT_NE(NULL, insns);
	ASSERT_LT(0, load_whole(self->fd, 3, insns, cnt));
	free(insns);
	ASSERT_EQ(0, act(self->fd, 3, 1));
	ASSERT_EQ(0, alpha_set(self, 256 << 10, 77, &rsid));
	nfd = open(CP_NODE, O_RDWR);
	ASSERT_LE(0, nfd);
	ubp_pattern_args(&pat, "Alpha", 5);
	/* the drive's own EXECUTE says how many */
	x.rsid = rsid;
	memcpy(x.args, pat.args, sizeof(x.args));
	ASSERT_EQ(77, ubp_execute(&self->ring, self->fd, &x, reply, sizeof(reply), NULL));
	/* by the 64-bit ioctl: the count in the result */
	c = exec_cmd(3, rsid, pat.args[0], pat.args[1], &plen, 8);
	c.result = 0xdead;
	ASSERT_EQ(0, io(nfd, &c));
	EXPECT_EQ(77, c.result);
	/* parameter data of fewer bytes: the same args[2] */
	c = exec_cmd(3, rsid, pat.args[0], pat.args[1], &plen, 1);
	ASSERT_EQ(0, io(nfd, &c));
	EXPECT_EQ(77, c.result);
	/* another pattern: "lph" (CPARAM1 only) */
	plen = 3;
	c = exec_cmd(3, rsid, 0x68706c, 0, &plen, 8);
	ASSERT_EQ(0, io(nfd, &c));
	EXPECT_EQ(77, c.result);
	plen = 5;
	/* by the 32-bit ioctl */
	c = exec_cmd(3, rsid, pat.args[0], pat.args[1], &plen, 8);
	memcpy(&c32, &c, offsetof(struct nvme_passthru_cmd, result));
	ASSERT_EQ(0, nvme_ioctl(nfd, NVME_IOCTL_IO_CMD, &c32));
	EXPECT_EQ(77, c32.result);
	/* by URING_CMD: big_cqe[0] */
	ASSERT_EQ(0, nvme_uring(&self->ring, nfd, NVME_URING_CMD_IO, &c, &res2));
	EXPECT_EQ(77, res2);
	/* no parameter data: args[2] 0, count_pattern stops (argument) */
	c = exec_cmd(3, rsid, pat.args[0], pat.args[1], NULL, 0);
	EXPECT_EQ(DNR | 0x7c4, io(nfd, &c));
	/* the command device's node (NSID 1) takes no CP command */
	c = exec_cmd(3, rsid, pat.args[0], pat.args[1], &plen, 8);
	EXPECT_EQ(-EINVAL, io(self->fd, &c));
	c.nsid = 1;
	EXPECT_NE(0, io(self->fd, &c));
	close(nfd);
}

TEST_F(cp, execute_statuses)
{
	/* *(u8 *)(mem + mem_len) = 1: one byte past the set */
	struct bpf_insn store_past[6] = {
		BPF_LDX_MEM(BPF_DW, 2, R1, UBP_CTX(mem)),
		BPF_LDX_MEM(BPF_DW, 3, R1, UBP_CTX(mem_len)),
		BPF_ALU64_REG(BPF_ADD, 2, 3),
		BPF_ST_MEM(BPF_B, 2, 0, 1),
		BPF_MOV64_IMM(R0, 0),
		BPF_EXIT_INSN(),
	};
	struct bpf_insn one[2] = { BPF_MOV64_IMM(R0, 1), BPF_EXIT_INSN() };
	struct mrd d = slm_range(0, PAGE);
	uint64_t rsid, param[2] = { 0 };
	struct nvme_passthru_cmd64 c;
	int nfd = open(CP_NODE, O_RDWR);

	ASSERT_LE(0, nfd);
	ASSERT_EQ(0, mrs_create(self->fd, &d, 1, &rsid));
	ASSERT_LT(0, load_whole(self->fd, 1, one, 2));
	/* inactive, empty, no such slot */
	c = exec_cmd(1, rsid, 0, 0, NULL, 0);
	EXPECT_EQ(DNR | 0x198, io(nfd, &c));
	ASSERT_EQ(0, act(self->fd, 1, 1));
	c = exec_cmd(1, rsid, 0, 0, NULL, 0);
	c.result = 7;
	EXPECT_EQ(0, io(nfd, &c));
	EXPECT_EQ(1, c.result);
	c = exec_cmd(2, rsid, 0, 0, NULL, 0);
	EXPECT_EQ(SC_NO_PROGRAM, io(nfd, &c));
	c = exec_cmd(0, rsid, 0, 0, NULL, 0);
	EXPECT_EQ(SC_INVALID_PIND, io(nfd, &c));
	c = exec_cmd(URINGBLK_MAX_PROGS + 1, rsid, 0, 0, NULL, 0);
	EXPECT_EQ(SC_INVALID_PIND, io(nfd, &c));
	/* no such set; RSID 0 */
	c = exec_cmd(1, rsid + 1, 0, 0, NULL, 0);
	EXPECT_EQ(SC_INVALID_MRS_ID, io(nfd, &c));
	c = exec_cmd(1, 0, 0, 0, NULL, 0);
	EXPECT_EQ(SC_INVALID_MRS_ID, io(nfd, &c));
	/* NUMR (inline ranges), reserved CDW14/15, parameter data above 8 bytes */
	c = exec_cmd(1, rsid, 0, 0, NULL, 0);
	c.cdw3 = 1;
	EXPECT_EQ(SC_INVALID_FIELD, io(nfd, &c));
	c = exec_cmd(1, rsid, 0, 0, NULL, 0);
	c.cdw14 = 1;
	EXPECT_EQ(SC_INVALID_FIELD, io(nfd, &c));
	c = exec_cmd(1, rsid, 0, 0, NULL, 0);
	c.cdw15 = 1;
	EXPECT_EQ(SC_INVALID_FIELD, io(nfd, &c));
	c = exec_cmd(1, rsid, 0, 0, param, 16);
	EXPECT_EQ(SC_INVALID_FIELD, io(nfd, &c));
	/* metadata; an unmapped parameter buffer */
	c = exec_cmd(1, rsid, 0, 0, param, 8);
	c.metadata = (uintptr_t)param;
	c.metadata_len = 8;
	EXPECT_EQ(-EINVAL, io(nfd, &c));
	c = exec_cmd(1, rsid, 0, 0, (void *)8, 8);
	EXPECT_EQ(-EFAULT, io(nfd, &c));
	/* other opcodes of the CP set: none */
	c = exec_cmd(1, rsid, 0, 0, NULL, 0);
	c.opcode = 0x02;
	EXPECT_EQ(SC_INVALID_OPCODE, io(nfd, &c));
	c.opcode = 0x81;
	EXPECT_EQ(SC_INVALID_OPCODE, io(nfd, &c));
	/* a run that stops: its vendor status, result 0 */
	ASSERT_LT(0, load_whole(self->fd, 2, store_past, 6));
	ASSERT_EQ(0, act(self->fd, 2, 1));
	c = exec_cmd(2, rsid, 0, 0, NULL, 0);
	c.result = 7;
	EXPECT_EQ(DNR | 0x7c2, io(nfd, &c));
	EXPECT_EQ(0, c.result) TH_LOG("the result (0) is written back with a status");
	close(nfd);
}

struct exec_thread {
	int fd;
	struct nvme_passthru_cmd64 c;
	int ret;
};

static void *exec_thread_fn(void *arg)
{
	struct exec_thread *t = arg;

	t->ret = io(t->fd, &t->c);
	return NULL;
}

/* A set and a program in use by a running Execute Program. */
TEST_F(cp, execute_in_use)
{
	struct mrd d = slm_range(0, PAGE);
	struct exec_thread t = { .ret = -1 };
	uint64_t rsid, was, now, n;
	pthread_t th;
	int id;

	id = load_whole(self->fd, 4, ubp_count_loop, UBP_NINSNS(ubp_count_loop));
	ASSERT_LT(0, id);
	ASSERT_EQ(0, act(self->fd, 4, 1));
	ASSERT_EQ(0, mrs_create(self->fd, &d, 1, &rsid));
	n = ubp_calibrate_loop(&self->ring, self->fd, id, 1.5);
	ASSERT_LT(0, n);
	t.fd = open(CP_NODE, O_RDWR);
	ASSERT_LE(0, t.fd);
	t.c = exec_cmd(4, rsid, n, 0, NULL, 0);
	ASSERT_EQ(0, ubp_counter(0, "executes", &was));
	ASSERT_EQ(0, pthread_create(&th, NULL, exec_thread_fn, &t));
	ASSERT_EQ(0, ubp_wait_counter(0, "executes", was + 1, 5, &now));
	EXPECT_EQ(SC_MRS_IN_USE, mrs_delete(self->fd, rsid));
	EXPECT_EQ(SC_PROG_IN_USE, act(self->fd, 4, 0));
	EXPECT_EQ(SC_PROG_IN_USE, unload(self->fd, 4));
	ASSERT_EQ(0, pthread_join(th, NULL));
	EXPECT_EQ(0, t.ret);
	EXPECT_EQ(n, t.c.result);
	EXPECT_EQ(0, mrs_delete(self->fd, rsid));
	EXPECT_EQ(0, act(self->fd, 4, 0));
	close(t.fd);
}

/* The CP set's effects log (CSI 04h): Execute Program only. */
TEST_F(cp, execute_effects_log)
{
	struct nvme_passthru_cmd64 c = {
		.opcode = OP_GET_LOG, .nsid = 0xffffffff, .addr = (uintptr_t)self->buf,
		.data_len = 4096, .cdw10 = 0x05 | (4096 / 4 - 1) << 16,
		.cdw14 = 0x04 << 24,
	};
	uint32_t iocs[256];
	int ret = admin(self->fd, &c);

	/* the log of CSI 04h is the namespace work's (nvme_admin.c) */
	if (ret == (DNR | 0x109))
		SKIP(return, "no effects log for CSI 04h (Invalid Log Page)");
	ASSERT_EQ(0, ret);
	memcpy(iocs, self->buf + 1024, sizeof(iocs));
	for (int op = 0; op < 256; op++) {
		EXPECT_EQ(op == OP_EXECUTE ? 1 : 0, iocs[op]) TH_LOG("opcode %#x", op);
	}
}

/* Execute Program without CAP_SYS_ADMIN: on a node opened for writing only. */
TEST_F(cp, execute_permissions)
{
	struct bpf_insn one[2] = { BPF_MOV64_IMM(R0, 1), BPF_EXIT_INSN() };
	struct mrd d = slm_range(0, PAGE);
	struct nvme_passthru_cmd64 c;
	uint64_t rsid;
	int rw, ro;

	ASSERT_LT(0, load_whole(self->fd, 1, one, 2));
	ASSERT_EQ(0, act(self->fd, 1, 1));
	ASSERT_EQ(0, mrs_create(self->fd, &d, 1, &rsid));
	rw = open(CP_NODE, O_RDWR);
	ro = open(CP_NODE, O_RDONLY);
	ASSERT_LE(0, rw);
	ASSERT_LE(0, ro);
	ASSERT_EQ(0, drop_sys_admin());
	/* data to the drive (opcode bit 0): a node opened for writing */
	c = exec_cmd(1, rsid, 0, 0, NULL, 0);
	EXPECT_EQ(-EACCES, io(ro, &c));
	c = exec_cmd(1, rsid, 0, 0, NULL, 0);
	EXPECT_EQ(0, io(rw, &c));
	EXPECT_EQ(1, c.result);
	close(rw);
	close(ro);
}

#define CFG_ROOT	"/sys/kernel/config/uringblk"
#define CFG_DEV		CFG_ROOT "/nvme_cp_removal"

static void *power_off_fn(void *arg)
{
	*(int *)arg = ubt_write_str(CFG_DEV "/power", "0");
	return NULL;
}

/*
 * A runtime drive removed while an Execute Program runs on it and a Load
 * Program is half done: the run stops (Namespace Not Ready), the staged
 * load goes with the drive, the nodes answer -ENODEV, the drive goes.
 */
TEST_F(cp, removal_during_execute)
{
	struct bpf_insn spin[1] = { BPF_JMP_A(-1) };
	struct bpf_insn one[2] = { BPF_MOV64_IMM(R0, 1), BPF_EXIT_INSN() };
	struct exec_thread t = { .ret = -1 };
	struct mrd d = slm_range(0, PAGE);
	uint64_t idx, n = 0, rsid;
	char path[64];
	pthread_t th, po;
	int fd, po_ret = -1;
	double t0;

	if (access(CFG_ROOT, F_OK) != 0)
		SKIP(return, "no configfs: %s does not exist", CFG_ROOT);
	rmdir(CFG_DEV);
	ASSERT_EQ(0, mkdir(CFG_DEV, 0755)) TH_LOG("mkdir %s: %m", CFG_DEV);
	ASSERT_EQ(0, ubt_write_str(CFG_DEV "/slm_size", "1048576"));
	ASSERT_EQ(0, ubt_write_str(CFG_DEV "/power", "1"));
	ASSERT_EQ(0, ubt_read_u64(CFG_DEV "/index", &idx));
	snprintf(path, sizeof(path), "/dev/uringblkc%dn2", (int)idx);
	ASSERT_EQ(0, ubt_wait_path(path, 5000));
	fd = ubt_open_cdev(idx, O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_LT(0, load_whole(fd, 1, spin, 1));
	ASSERT_EQ(0, act(fd, 1, 1));
	ASSERT_EQ(0, mrs_create(fd, &d, 1, &rsid));
	ASSERT_EQ(0, load_piece(fd, 2, 16, 0, one, 8, NULL));	/* half a program */
	t.fd = open(path, O_RDWR);
	ASSERT_LE(0, t.fd);
	t.c = exec_cmd(1, rsid, 0, 0, NULL, 0);
	ASSERT_EQ(0, pthread_create(&th, NULL, exec_thread_fn, &t));
	t0 = ubp_now();
	do {
		usleep(5000);
		ASSERT_EQ(0, ubp_counter(idx, "executes", &n));
	} while (!n && ubp_now() - t0 < 5);
	ASSERT_EQ(1, n) TH_LOG("the run did not start");
	ASSERT_EQ(0, pthread_create(&po, NULL, power_off_fn, &po_ret));
	ASSERT_EQ(0, pthread_join(th, NULL));
	ASSERT_EQ(0, pthread_join(po, NULL));
	EXPECT_EQ(0, po_ret);
	EXPECT_EQ(0x82, t.ret) TH_LOG("the stopped run: Namespace Not Ready");
	t.c = exec_cmd(1, rsid, 0, 0, NULL, 0);
	EXPECT_EQ(-ENODEV, io(t.fd, &t.c));
	EXPECT_EQ(-ENODEV, load_piece(fd, 2, 16, 8, one + 1, 8, NULL));
	close(t.fd);
	close(fd);
	EXPECT_EQ(0, rmdir(CFG_DEV)) TH_LOG("rmdir: %m");
}

TEST_HARNESS_MAIN
