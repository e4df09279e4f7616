// SPDX-License-Identifier: GPL-2.0
/*
 * EXECUTE (ABI 1.3): the active program in a slot over a memory range set.
 *  - every refusal with its errno: no write mode, bad pind (-ERANGE),
 *    empty slot (-ENOENT), inactive program (-ENOEXEC), unknown set
 *    (-EBADSLT), high halves and budget (-EINVAL), short reply, a
 *    data_len past the set (-ERANGE) and one cutting it;
 *  - the same answer as EXEC over the same bytes: count_pattern over data
 *    written to the block device (EXEC) and to SLM (MEM_WRITE, EXECUTE),
 *    and over a set of several ranges; executes and prog_runs counted;
 *  - a program reaches only its set: stores inside land in SLM (seen by
 *    MEM_READ, through a set of ranges out of order), a store one byte past
 *    mem_len aborts -EFAULT and another set's bytes do not change;
 *  - an IOSQE_IO_LINK chain MEM_COPY -> EXECUTE -> MEM_READ in one
 *    submission, and a failing EXECUTE cancels the MEM_READ;
 *  - while an EXECUTE runs: deactivating or unloading its program and
 *    deleting its set are -EBUSY; after it completed they work;
 *  - removal of the drive (configfs) with an EXECUTE in flight: -ENODEV;
 *    SIGKILL of the submitter: the run stops (-EINTR, counted as a fault)
 *    and its program and set are free again;
 *  - the device-defined programs (native code) give their eBPF twins'
 *    answers, by EXECUTE over sets small (inline) and large (the worker)
 *    and by EXEC by id over the same bytes, active or not.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <signal.h>
#include <sys/stat.h>
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

#define BS		512ULL
#define DATA_LEN	(1ULL << 20)
#define PAGE		4096ULL
#define CFG_ROOT	"/sys/kernel/config/uringblk"
#define CFG_DEV		CFG_ROOT "/execute_removal"

/* forever, one unit a lap */
static const struct bpf_insn spin[] = { BPF_JMP_A(-1) };

/* *(u8 *)(mem + mem_len) = 1: one byte past the set */
static const struct bpf_insn store_past[] = {
	BPF_LDX_MEM(BPF_DW, R2, R1, UBP_CTX(mem)),
	BPF_LDX_MEM(BPF_DW, R3, R1, UBP_CTX(mem_len)),
	BPF_ALU64_REG(BPF_ADD, R2, R3),
	BPF_ST_MEM(BPF_B, R2, 0, 1),
	BPF_MOV64_IMM(R0, 0),
	BPF_EXIT_INSN(),
};

/* mem[0..8) = args[0]; mem[mem_len - 8..) = args[1]; r0 = mem_len */
static const struct bpf_insn store_in[] = {
	BPF_LDX_MEM(BPF_DW, R2, R1, UBP_CTX(mem)),
	BPF_LDX_MEM(BPF_DW, R0, R1, UBP_CTX(mem_len)),
	BPF_LDX_MEM(BPF_DW, R4, R1, UBP_CTX(args[0])),
	BPF_STX_MEM(BPF_DW, R2, R4, 0),
	BPF_ALU64_REG(BPF_ADD, R2, R0),
	BPF_LDX_MEM(BPF_DW, R4, R1, UBP_CTX(args[1])),
	BPF_STX_MEM(BPF_DW, R2, R4, -8),
	BPF_EXIT_INSN(),
};

FIXTURE(ex) {
	struct io_uring ring;
	int cfd;
	struct uringblk_identify id;
	uint8_t *data;
};

FIXTURE_SETUP(ex)
{
	int bfd;

	self->ring.ring_fd = -1;
	self->cfd = -1;
	self->data = NULL;
	UBT_SETUP_MODULE(ubt_module_ensure, "capacity_mb=64");
	self->cfd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, self->cfd);
	ASSERT_EQ(0, ubt_ring_init(&self->ring, 0));
	ASSERT_EQ(sizeof(self->id), ubt_identify(&self->ring, self->cfd, &self->id));
	if (!(self->id.features & URINGBLK_F_SLM) || !self->id.slm_size)
		UBT_SETUP_SKIP("the drive has no SLM");
	ASSERT_LE(DATA_LEN * 8, self->id.slm_size);
	ASSERT_LE(0, ubp_unload_all(&self->ring, self->cfd));
	self->data = ubt_alloc(DATA_LEN);
	ASSERT_NE(NULL, self->data);
	ubp_random(self->data, DATA_LEN, 12);
	for (uint64_t off = 77; off + 5 < DATA_LEN; off += 3001)
		memcpy(self->data + off, "Alpha", 5);
	bfd = ubt_open_blk(0, O_RDWR | O_DIRECT);
	ASSERT_LE(0, bfd);
	ASSERT_EQ(DATA_LEN, ubt_pwrite_full(bfd, self->data, DATA_LEN, 0));
	close(bfd);
}

FIXTURE_TEARDOWN(ex)
{
	if (self->cfd >= 0) {
		/* EXPECT, not ASSERT: an ASSERT here would run teardown again */
		EXPECT_LE(0, ubp_unload_all(&self->ring, self->cfd));
		close(self->cfd);
	}
	if (self->ring.ring_fd >= 0)
		io_uring_queue_exit(&self->ring);
	if (self->data)
		munmap(self->data, DATA_LEN);
}

/* Load @insns into slot @pind and activate it; the id. */
static int load_active(FIXTURE_DATA(ex) *self, const struct bpf_insn *insns,
		       size_t cnt, uint32_t pind)
{
	int id = ubp_load_slot(&self->ring, self->cfd, insns, cnt, "ex", pind,
			       NULL, 0);

	if (id > 0 && ubp_activate(&self->ring, self->cfd, pind,
				   URINGBLK_PROG_ACT_ACTIVATE))
		return -EIO;
	return id;
}

/* Load progs/<obj>.bpf.o (it lands in the lowest free slot), activate it. */
static int load_obj_active(FIXTURE_DATA(ex) *self, const char *obj, uint32_t *pind)
{
	struct uringblk_prog_info info;
	int id = ubp_load_obj(&self->ring, self->cfd, obj, NULL, 0);

	if (id <= 0)
		return id;
	if (ubp_list(&self->ring, self->cfd, id - 1, &info, 1) != 1 || info.id != id)
		return -EIO;
	*pind = info.pind;
	if (ubp_activate(&self->ring, self->cfd, info.pind, URINGBLK_PROG_ACT_ACTIVATE))
		return -EIO;
	return id;
}

/* MEM_WRITE @len bytes in max_mem_xfer pieces. */
static int mem_write(FIXTURE_DATA(ex) *self, uint64_t off, const void *buf,
		     uint64_t len)
{
	uint64_t step = self->id.max_mem_xfer;

	for (uint64_t done = 0; done < len; done += step) {
		uint32_t n = len - done < step ? len - done : step;
		int ret = ubp_mem_rw(&self->ring, self->cfd, URINGBLK_CMD_MEM_WRITE,
				     off + done, (uint8_t *)buf + done, n);

		if (ret != (int)n)
			return ret < 0 ? ret : -EIO;
	}
	return 0;
}

static int one_set(FIXTURE_DATA(ex) *self, uint64_t off, uint64_t len)
{
	struct uringblk_mem_range r = { .slm_off = off, .len = len };

	return ubp_rset_create(&self->ring, self->cfd, &r, 1);
}

TEST_F(ex, refusals)
{
	struct ubp_execute x = { .args = { 1 } };
	uint8_t reply[UBP_RES_SIZE];
	int id, rsid, rofd;

	id = ubp_load_slot(&self->ring, self->cfd, store_in, UBP_NINSNS(store_in),
			   "in", 2, NULL, 0);
	ASSERT_LT(0, id);
	rsid = one_set(self, 0, PAGE);
	ASSERT_LT(0, rsid);
	x.rsid = rsid;

	/* Invalid Program Index */
	x.pind = 0;
	EXPECT_EQ(-ERANGE, ubp_execute(&self->ring, self->cfd, &x, reply, sizeof(reply), NULL));
	x.pind = URINGBLK_MAX_PROGS + 1;
	EXPECT_EQ(-ERANGE, ubp_execute(&self->ring, self->cfd, &x, reply, sizeof(reply), NULL));
	x.pind = URINGBLK_DD_PIND_BASE + self->id.nr_dd_progs;
	EXPECT_EQ(-ERANGE, ubp_execute(&self->ring, self->cfd, &x, reply, sizeof(reply), NULL));
	/* No Program */
	x.pind = 3;
	EXPECT_EQ(-ENOENT, ubp_execute(&self->ring, self->cfd, &x, reply, sizeof(reply), NULL));
	/* Program Not Activated (EXEC would run it) */
	x.pind = 2;
	EXPECT_EQ(-ENOEXEC, ubp_execute(&self->ring, self->cfd, &x, reply, sizeof(reply), NULL));
	ASSERT_EQ(0, ubp_activate(&self->ring, self->cfd, 2, URINGBLK_PROG_ACT_ACTIVATE));
	/* Invalid Memory Range Set Identifier */
	x.rsid = 0;
	EXPECT_EQ(-EBADSLT, ubp_execute(&self->ring, self->cfd, &x, reply, sizeof(reply), NULL));
	x.rsid = rsid + 1000;
	EXPECT_EQ(-EBADSLT, ubp_execute(&self->ring, self->cfd, &x, reply, sizeof(reply), NULL));
	/* high halves, budget, reply */
	x.rsid = rsid | (1ULL << 32);
	EXPECT_EQ(-EINVAL, ubp_execute(&self->ring, self->cfd, &x, reply, sizeof(reply), NULL));
	x.rsid = rsid;
	x.pind = 2 | (1ULL << 32);
	EXPECT_EQ(-EINVAL, ubp_execute(&self->ring, self->cfd, &x, reply, sizeof(reply), NULL));
	x.pind = 2;
	x.budget = self->id.max_insn_budget + 1;
	EXPECT_EQ(-EINVAL, ubp_execute(&self->ring, self->cfd, &x, reply, sizeof(reply), NULL));
	x.budget = 0;
	EXPECT_EQ(-EINVAL, ubp_execute(&self->ring, self->cfd, &x, reply, UBP_RES_SIZE - 1, NULL));
	/* needs a command device open for writing */
	rofd = ubt_open_cdev(0, O_RDONLY);
	ASSERT_LE(0, rofd);
	EXPECT_EQ(-EBADF, ubp_execute(&self->ring, rofd, &x, reply, sizeof(reply), NULL));
	close(rofd);
	/* and with all that right, it runs */
	EXPECT_EQ(PAGE, ubp_execute(&self->ring, self->cfd, &x, reply, sizeof(reply), NULL));
	/* execute.data_len (cdw[6], ABI 1.4): up to the set's length */
	{
		struct uringblk_cmd cmd;

		ubp_execute_cmd(&cmd, &x, reply, sizeof(reply));
		cmd.execute.data_len = PAGE + 1;
		EXPECT_EQ(-ERANGE, ubt_uring_cmd(&self->ring, self->cfd,
						 URINGBLK_CMD_EXECUTE, &cmd, NULL));
		cmd.execute.data_len = ~0ULL;
		EXPECT_EQ(-ERANGE, ubt_uring_cmd(&self->ring, self->cfd,
						 URINGBLK_CMD_EXECUTE, &cmd, NULL));
		/* store_in returns mem_len: the cut window's */
		cmd.execute.data_len = 16;
		EXPECT_EQ(16, ubt_uring_cmd(&self->ring, self->cfd,
					    URINGBLK_CMD_EXECUTE, &cmd, NULL));
		cmd.execute.data_len = PAGE;
		EXPECT_EQ(PAGE, ubt_uring_cmd(&self->ring, self->cfd,
					      URINGBLK_CMD_EXECUTE, &cmd, NULL));
	}
	EXPECT_EQ(0, ubp_rset_delete(&self->ring, self->cfd, rsid));
	EXPECT_EQ(-EBADSLT, ubp_execute(&self->ring, self->cfd, &x, reply, sizeof(reply), NULL));
}

/* count_pattern: EXEC over the LBAs, EXECUTE over the same bytes in SLM. */
TEST_F(ex, same_as_exec)
{
	struct uringblk_exec_result *er, *xr;
	struct uringblk_stats b, a;
	struct uringblk_mem_range r[3];
	uint8_t ereply[UBP_RES_SIZE], xreply[UBP_RES_SIZE];
	struct ubp_exec e = { .lba = 0, .count = DATA_LEN / BS };
	struct ubp_execute x = { 0 };
	uint64_t want, res2 = 0;
	uint32_t pind;
	int id, rsid, ret;

	id = load_obj_active(self, "count_pattern", &pind);
	ASSERT_LT(0, id);
	want = ubp_ref_count(self->data, DATA_LEN, "Alpha", 5);
	ASSERT_LT(100, want);
	e.prog = id;
	memcpy(e.args, "Alpha", 5);
	e.args[2] = 5;
	ret = ubp_exec(&self->ring, self->cfd, &e, ereply, sizeof(ereply), NULL);
	ASSERT_EQ((int)want, ret);

	ASSERT_EQ(0, mem_write(self, DATA_LEN, self->data, DATA_LEN));
	rsid = one_set(self, DATA_LEN, DATA_LEN);
	ASSERT_LT(0, rsid);
	x.pind = pind;
	x.rsid = rsid;
	memcpy(x.args, e.args, sizeof(x.args));
	ASSERT_EQ(sizeof(b), ubt_get_stats(&self->ring, self->cfd, &b, 0));
	ret = ubp_execute(&self->ring, self->cfd, &x, xreply, sizeof(xreply), &res2);
	ASSERT_EQ(sizeof(a), ubt_get_stats(&self->ring, self->cfd, &a, 0));
	EXPECT_EQ((int)want, ret);
	EXPECT_EQ(want, res2);
	er = (void *)ereply;
	xr = (void *)xreply;
	EXPECT_EQ(er->r0, xr->r0);
	EXPECT_EQ(0, xr->error);
	EXPECT_EQ(0, xr->abort_code);
	EXPECT_EQ(0, xr->out_len);
	EXPECT_EQ(er->bytes_scanned, xr->bytes_scanned);
	EXPECT_LT(0, xr->insns);
	EXPECT_EQ(1, a.executes - b.executes);
	EXPECT_EQ(1, a.prog_runs - b.prog_runs);
	EXPECT_EQ(1, (a.prog_runs_inline + a.prog_runs_worker) -
		     (b.prog_runs_inline + b.prog_runs_worker));
	EXPECT_EQ(UBP_RES_SIZE, a.bytes_to_host - b.bytes_to_host);

	/*
	 * The same bytes through a set of three ranges, out of SLM order:
	 * the window is the ranges end to end.  Pieces cut at page
	 * boundaries; a pattern across two ranges counts as in the bytes.
	 */
	ASSERT_EQ(0, mem_write(self, 3 * DATA_LEN + 256 * PAGE,
			       self->data, 64 * PAGE));
	ASSERT_EQ(0, mem_write(self, 2 * DATA_LEN, self->data + 64 * PAGE,
			       DATA_LEN - 128 * PAGE));
	ASSERT_EQ(0, mem_write(self, 3 * DATA_LEN, self->data + DATA_LEN - 64 * PAGE,
			       64 * PAGE));
	r[0] = (struct uringblk_mem_range){ 3 * DATA_LEN + 256 * PAGE, 64 * PAGE };
	r[1] = (struct uringblk_mem_range){ 2 * DATA_LEN, DATA_LEN - 128 * PAGE };
	r[2] = (struct uringblk_mem_range){ 3 * DATA_LEN, 64 * PAGE };
	rsid = ubp_rset_create(&self->ring, self->cfd, r, 3);
	ASSERT_LT(0, rsid);
	x.rsid = rsid;
	EXPECT_EQ((int)want, ubp_execute(&self->ring, self->cfd, &x, xreply,
					 sizeof(xreply), NULL));
}

/* Stores land in the set's SLM; past it, the run aborts and nothing moves. */
TEST_F(ex, mem_bounds)
{
	uint8_t *slm, *back, reply[UBP_RES_SIZE];
	struct uringblk_exec_result *res = (void *)reply;
	struct uringblk_mem_range r[2];
	struct ubp_execute x = { .args = { 0x1111111111111111ULL,
					   0x2222222222222222ULL } };
	const uint64_t len = 4 * PAGE;
	int a, b, rsid_a, rsid_b, rsid_ab;

	slm = ubt_alloc(len);
	back = ubt_alloc(len);
	ASSERT_NE(NULL, slm);
	ASSERT_NE(NULL, back);
	ubp_random(slm, len, 5);
	ASSERT_EQ(0, mem_write(self, 0, slm, len));
	a = load_active(self, store_past, UBP_NINSNS(store_past), 1);
	ASSERT_LT(0, a);
	b = load_active(self, store_in, UBP_NINSNS(store_in), 2);
	ASSERT_LT(0, b);
	rsid_a = one_set(self, 0, PAGE);		/* A: page 0 */
	ASSERT_LT(0, rsid_a);
	rsid_b = one_set(self, PAGE, PAGE);		/* B: page 1, right after A */
	ASSERT_LT(0, rsid_b);

	x.pind = 1;
	x.rsid = rsid_a;
	memset(reply, 0xa5, sizeof(reply));
	EXPECT_EQ(-EFAULT, ubp_execute(&self->ring, self->cfd, &x, reply,
				       sizeof(reply), NULL));
	EXPECT_EQ(-EFAULT, res->error);
	EXPECT_EQ(URINGBLK_PROG_ABORT_MEM, res->abort_code);
	EXPECT_EQ(3, res->abort_pc);
	ASSERT_EQ((int)len, ubp_mem_rw(&self->ring, self->cfd, URINGBLK_CMD_MEM_READ,
				       0, back, len));
	EXPECT_EQ(0, memcmp(slm, back, len)) TH_LOG("SLM changed by an aborted run");

	/* inside: the first and last 8 bytes of the window, in SLM at once */
	x.pind = 2;
	EXPECT_EQ(PAGE, ubp_execute(&self->ring, self->cfd, &x, reply,
				    sizeof(reply), NULL));
	memcpy(slm, &x.args[0], 8);
	memcpy(slm + PAGE - 8, &x.args[1], 8);
	ASSERT_EQ((int)len, ubp_mem_rw(&self->ring, self->cfd, URINGBLK_CMD_MEM_READ,
				       0, back, len));
	EXPECT_EQ(0, memcmp(slm, back, len));

	/* a window of two ranges out of order: page 3, then page 2 */
	r[0] = (struct uringblk_mem_range){ 3 * PAGE, PAGE };
	r[1] = (struct uringblk_mem_range){ 2 * PAGE, PAGE };
	rsid_ab = ubp_rset_create(&self->ring, self->cfd, r, 2);
	ASSERT_LT(0, rsid_ab);
	x.rsid = rsid_ab;
	x.args[0] = 0x3333333333333333ULL;
	x.args[1] = 0x4444444444444444ULL;
	EXPECT_EQ(2 * PAGE, ubp_execute(&self->ring, self->cfd, &x, reply,
					sizeof(reply), NULL));
	memcpy(slm + 3 * PAGE, &x.args[0], 8);
	memcpy(slm + 3 * PAGE - 8, &x.args[1], 8);
	ASSERT_EQ((int)len, ubp_mem_rw(&self->ring, self->cfd, URINGBLK_CMD_MEM_READ,
				       0, back, len));
	EXPECT_EQ(0, memcmp(slm, back, len));
	/* and past that window too */
	x.pind = 1;
	EXPECT_EQ(-EFAULT, ubp_execute(&self->ring, self->cfd, &x, reply,
				       sizeof(reply), NULL));
	ASSERT_EQ((int)len, ubp_mem_rw(&self->ring, self->cfd, URINGBLK_CMD_MEM_READ,
				       0, back, len));
	EXPECT_EQ(0, memcmp(slm, back, len));
	munmap(slm, len);
	munmap(back, len);
}

/* MEM_COPY -> EXECUTE -> MEM_READ linked in one submission. */
TEST_F(ex, linked_chain)
{
	const uint64_t off = 8 * PAGE, len = 64 * PAGE;
	struct uringblk_copy_range cr = { .slba = 0, .nlb = len / BS };
	uint8_t xreply[UBP_RES_SIZE], *back;
	struct ubp_execute x = { 0 };
	struct io_uring_cqe *cqe;
	struct uringblk_cmd cmd;
	int res[3], id, rsid;
	uint64_t want;
	uint32_t pind;

	back = ubt_alloc(len);
	ASSERT_NE(NULL, back);
	id = load_obj_active(self, "count_pattern", &pind);
	ASSERT_LT(0, id);
	rsid = one_set(self, off, len);
	ASSERT_LT(0, rsid);
	want = ubp_ref_count(self->data, len, "Alpha", 5);
	x.pind = pind;
	x.rsid = rsid;
	memcpy(x.args, "Alpha", 5);
	x.args[2] = 5;

	for (int round = 0; round < 2; round++) {
		/* round 1: the program is not active, so EXECUTE fails */
		if (round == 1)
			ASSERT_EQ(0, ubp_activate(&self->ring, self->cfd, pind,
						  URINGBLK_PROG_ACT_DEACTIVATE));
		memset(back, 0, len);
		ubt_cmd_init(&cmd, &cr, sizeof(cr));
		cmd.mem_copy.slm_off = off;
		cmd.mem_copy.nr_ranges = 1;
		ASSERT_EQ(0, ubp_prep_cmd(&self->ring, self->cfd, URINGBLK_CMD_MEM_COPY,
					  &cmd, 0, IOSQE_IO_LINK));
		ubp_execute_cmd(&cmd, &x, xreply, sizeof(xreply));
		ASSERT_EQ(0, ubp_prep_cmd(&self->ring, self->cfd, URINGBLK_CMD_EXECUTE,
					  &cmd, 1, IOSQE_IO_LINK));
		ubt_cmd_init(&cmd, back, len);
		cmd.mem_rw.slm_off = off;
		ASSERT_EQ(0, ubp_prep_cmd(&self->ring, self->cfd, URINGBLK_CMD_MEM_READ,
					  &cmd, 2, 0));
		ASSERT_EQ(3, io_uring_submit(&self->ring));
		for (int i = 0; i < 3; i++) {
			ASSERT_EQ(0, io_uring_wait_cqe(&self->ring, &cqe));
			ASSERT_GT(3, cqe->user_data);
			res[cqe->user_data] = cqe->res;
			io_uring_cqe_seen(&self->ring, cqe);
		}
		EXPECT_EQ((int)len, res[0]);
		if (round == 0) {
			EXPECT_EQ((int)want, res[1]);
			EXPECT_EQ((int)len, res[2]);
			EXPECT_EQ(0, memcmp(self->data, back, len));
		} else {
			EXPECT_EQ(-ENOEXEC, res[1]);
			EXPECT_EQ(-ECANCELED, res[2]);
		}
	}
	munmap(back, len);
}

/*
 * tools/bench/slm's pipeline, many times over: per chunk MEM_COPY (async)
 * of the chunk and one page more into a buffer, a linked MEM_WRITE of
 * zeroes over that page but its first 4 bytes (the whole page for the
 * last chunk, which has no next one), a linked EXECUTE of count_pattern
 * over the buffer's set; two buffers alternate, chunk i + 2 reusing chunk
 * the buffer whose chain completed (not buffer i % 2: chains complete in
 * either order).  Every chunk boundary is "Al" | "pha",
 * so the last chunk's count is one more if its EXECUTE saw the page as an
 * earlier chunk left it, and every reply is poisoned before its EXECUTE
 * is queued and checked against cqe->res, so a reply not written (or
 * written by another run) cannot pass for the right count.
 *
 * Every command of a chain is IOSQE_ASYNC: Linux 6.12's io_uring (6.12.117
 * at least) reads a linked URING_CMD's SQE when it issues it, not when it
 * preps it, unless the command is forced async (io_uring_cmd_prep_setup()
 * copies the SQE only then).  Here a chain's second and third commands
 * issue after its first completes in io-wq, when the ring's 8 slots may
 * hold a later chain's SQEs: on 6.12 they ran with that chain's payload
 * (a poisoned reply, a match off by one).  6.1 copies every uring_cmd
 * SQE that goes async, and links were issued from io-wq already.
 */
#define PL_CHUNK	(128 * 1024ULL)
#define PL_NCH		(DATA_LEN / PL_CHUNK)
#define PL_PASSES	100
#define PL_POISON	0x5a5a5a5a5a5a5a5aULL
/*
 * user_data: chain @n, buffer @k, command @j.  The buffer must travel with
 * the chain: two chains complete in either order, so chain n + 2 goes to
 * the buffer that just became free, which is not always buffer n % 2.
 */
#define PL_UD(n, k, j)	(((n) * 2 + (k)) * 4 + (j))

struct pl_buf {
	struct uringblk_copy_range cr;
	struct uringblk_exec_result reply;
	uint32_t rsid;
};

static int pl_queue(FIXTURE_DATA(ex) *self, struct pl_buf *b, int k,
		    uint32_t pind, uint64_t n)
{
	uint64_t i = n % PL_NCH, base = k * (PL_CHUNK + PAGE);
	bool last = i == PL_NCH - 1;
	struct ubp_execute x = { .pind = pind, .rsid = b->rsid, .args = { 0, 0, 5 } };
	static const uint8_t zero[PAGE];
	struct uringblk_cmd cmd;
	int ret;

	memcpy(x.args, "Alpha", 5);
	b->cr = (struct uringblk_copy_range){ .slba = i * PL_CHUNK / BS,
					      .nlb = (PL_CHUNK + (last ? 0 : PAGE)) / BS };
	memset(&b->reply, 0, sizeof(b->reply));
	b->reply.r0 = PL_POISON;
	ubt_cmd_init(&cmd, &b->cr, sizeof(b->cr));
	cmd.mem_copy.slm_off = base;
	cmd.mem_copy.nr_ranges = 1;
	ret = ubp_prep_cmd(&self->ring, self->cfd, URINGBLK_CMD_MEM_COPY, &cmd,
			   PL_UD(n, k, 0), IOSQE_IO_LINK | IOSQE_ASYNC);
	if (ret)
		return ret;
	ubt_cmd_init(&cmd, (void *)(zero + (last ? 0 : 4)), PAGE - (last ? 0 : 4));
	cmd.mem_rw.slm_off = base + PL_CHUNK + (last ? 0 : 4);
	ret = ubp_prep_cmd(&self->ring, self->cfd, URINGBLK_CMD_MEM_WRITE, &cmd,
			   PL_UD(n, k, 1), IOSQE_IO_LINK | IOSQE_ASYNC);
	if (ret)
		return ret;
	ubp_execute_cmd(&cmd, &x, &b->reply, sizeof(b->reply));
	return ubp_prep_cmd(&self->ring, self->cfd, URINGBLK_CMD_EXECUTE, &cmd,
			    PL_UD(n, k, 2), IOSQE_ASYNC);
}

TEST_F(ex, linked_pipeline)
{
	const uint64_t total = PL_PASSES * PL_NCH;
	uint64_t want[PL_NCH], next = 0, done = 0, bad = 0;
	struct pl_buf buf[2] = { 0 };
	struct io_uring_cqe *cqe;
	uint8_t *ref;
	uint32_t pind;
	int bfd;

	/* "Al" | "pha" across every chunk boundary */
	for (uint64_t i = 1; i < PL_NCH; i++) {
		memcpy(self->data + i * PL_CHUNK - 2, "Al", 2);
		memcpy(self->data + i * PL_CHUNK, "pha", 3);
	}
	bfd = ubt_open_blk(0, O_RDWR | O_DIRECT);
	ASSERT_LE(0, bfd);
	ASSERT_EQ(DATA_LEN, ubt_pwrite_full(bfd, self->data, DATA_LEN, 0));
	close(bfd);
	ref = calloc(1, PL_CHUNK + PAGE);
	ASSERT_NE(NULL, ref);
	for (uint64_t i = 0; i < PL_NCH; i++) {
		memset(ref, 0, PL_CHUNK + PAGE);
		memcpy(ref, self->data + i * PL_CHUNK, PL_CHUNK + (i < PL_NCH - 1 ? 4 : 0));
		want[i] = ubp_ref_count(ref, PL_CHUNK + PAGE, "Alpha", 5);
	}
	free(ref);
	ASSERT_LT(0, load_obj_active(self, "count_pattern", &pind));
	for (int k = 0; k < 2; k++) {
		int rsid = one_set(self, k * (PL_CHUNK + PAGE), PL_CHUNK + PAGE);

		ASSERT_LT(0, rsid);
		buf[k].rsid = rsid;
	}
	for (; next < 2; next++) {
		ASSERT_EQ(0, pl_queue(self, &buf[next % 2], next % 2, pind, next));
	}
	ASSERT_EQ(6, io_uring_submit(&self->ring));
	while (done < total) {
		uint64_t ud, n;
		int k;
		int res;

		ASSERT_EQ(0, io_uring_wait_cqe(&self->ring, &cqe));
		ud = cqe->user_data;
		res = cqe->res;
		io_uring_cqe_seen(&self->ring, cqe);
		n = ud / 8;
		k = ud / 4 % 2;
		if (ud % 4 != 2) {
			ASSERT_LE(0, res) TH_LOG("chain %llu, command %llu",
						 (unsigned long long)n,
						 (unsigned long long)ud % 4);
			continue;
		}
		if (res != (int)want[n % PL_NCH] ||
		    buf[k].reply.r0 != want[n % PL_NCH]) {
			TH_LOG("chain %llu (chunk %llu of %llu): cqe->res %d, reply r0 %#llx, want %llu",
			       (unsigned long long)n, (unsigned long long)(n % PL_NCH),
			       (unsigned long long)PL_NCH, res,
			       (unsigned long long)buf[k].reply.r0,
			       (unsigned long long)want[n % PL_NCH]);
			bad++;
		}
		done++;
		if (next < total) {
			ASSERT_EQ(0, pl_queue(self, &buf[k], k, pind, next));
			next++;
			ASSERT_EQ(3, io_uring_submit(&self->ring));
		}
	}
	EXPECT_EQ(0, bad);
}

/* Wait until @name on drive 0 moves past @was; 0 or -ETIME. */
static int wait_counter(const char *name, uint64_t was, double secs)
{
	double t0 = ubp_now();
	uint64_t v;

	do {
		usleep(2000);
		if (ubp_counter(0, name, &v))
			return -EIO;
		if (v != was)
			return 0;
	} while (ubp_now() - t0 < secs);
	return -ETIME;
}

/* Program, slot and set in use while an EXECUTE runs. */
TEST_F(ex, busy_while_running)
{
	uint8_t reply[UBP_RES_SIZE];
	struct ubp_execute x = { .pind = 4 };
	struct io_uring_cqe *cqe;
	uint64_t was;
	int id, rsid;

	id = load_active(self, ubp_count_loop, UBP_NINSNS(ubp_count_loop), 4);
	ASSERT_LT(0, id);
	rsid = one_set(self, 0, PAGE);
	ASSERT_LT(0, rsid);
	x.rsid = rsid;
	/* EXEC may run it too: inactive or not, it is loaded */
	x.args[0] = ubp_calibrate_loop(&self->ring, self->cfd, id, 1.5);
	ASSERT_LT(0, x.args[0]);
	ASSERT_EQ(0, ubp_counter(0, "executes", &was));
	{
		struct uringblk_cmd cmd;

		ubp_execute_cmd(&cmd, &x, reply, sizeof(reply));
		ASSERT_EQ(0, ubp_prep_cmd(&self->ring, self->cfd, URINGBLK_CMD_EXECUTE,
					  &cmd, 7, 0));
	}
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	ASSERT_EQ(0, wait_counter("executes", was, 5));
	/* the command helpers wait for their own CQE, so use another ring */
	{
		struct io_uring r2;

		ASSERT_EQ(0, ubt_ring_init(&r2, 0));
		EXPECT_EQ(-EBUSY, ubp_activate(&r2, self->cfd, 4,
					       URINGBLK_PROG_ACT_DEACTIVATE));
		EXPECT_EQ(-EBUSY, ubp_unload(&r2, self->cfd, id));
		EXPECT_EQ(-EBUSY, ubp_rset_delete(&r2, self->cfd, rsid));
		/* activating it again is fine: it is active */
		EXPECT_EQ(0, ubp_activate(&r2, self->cfd, 4, URINGBLK_PROG_ACT_ACTIVATE));
		EXPECT_EQ(0, io_uring_cq_ready(&self->ring))
			TH_LOG("the run ended too soon: machine too fast");
		io_uring_queue_exit(&r2);
	}
	ASSERT_EQ(0, io_uring_wait_cqe(&self->ring, &cqe));
	EXPECT_EQ(7, cqe->user_data);
	EXPECT_EQ((int)x.args[0], cqe->res);
	io_uring_cqe_seen(&self->ring, cqe);
	/* completed: all of it works now */
	EXPECT_EQ(0, ubp_activate(&self->ring, self->cfd, 4,
				  URINGBLK_PROG_ACT_DEACTIVATE));
	EXPECT_EQ(0, ubp_unload(&self->ring, self->cfd, id));
	EXPECT_EQ(0, ubp_rset_delete(&self->ring, self->cfd, rsid));
}

struct power_off {
	const char *path;
	int ret;
};

static void *power_off_thread(void *arg)
{
	struct power_off *p = arg;

	p->ret = ubt_write_str(p->path, "0");
	return NULL;
}

/* Removal with an EXECUTE in flight: it stops with -ENODEV. */
TEST_F(ex, removal_during_execute)
{
	struct power_off po = { .path = CFG_DEV "/power" };
	struct uringblk_exec_result res;
	struct ubp_execute x = { .pind = 1 };
	struct __kernel_timespec ts = { .tv_sec = 10 };
	struct uringblk_cmd cmd;
	struct io_uring_cqe *cqe;
	uint64_t idx, n;
	char path[64];
	pthread_t th;
	double t0;
	int fd, id, rsid;

	if (access("/sys/kernel/config", F_OK) == 0 && access(CFG_ROOT, F_OK) != 0)
		mount("configfs", "/sys/kernel/config", "configfs", 0, NULL);
	if (access(CFG_ROOT, F_OK) != 0)
		SKIP(return, "no configfs: %s does not exist", CFG_ROOT);
	rmdir(CFG_DEV);
	ASSERT_EQ(0, mkdir(CFG_DEV, 0755)) TH_LOG("mkdir %s: %m", CFG_DEV);
	ASSERT_EQ(0, ubt_write_str(CFG_DEV "/slm_size", "1048576"));
	ASSERT_EQ(0, ubt_write_str(CFG_DEV "/power", "1"));
	ASSERT_EQ(0, ubt_read_u64(CFG_DEV "/index", &idx));
	snprintf(path, sizeof(path), "/dev/uringblkc%d", (int)idx);
	ASSERT_EQ(0, ubt_wait_path(path, 5000));
	fd = ubt_open_cdev(idx, O_RDWR);
	ASSERT_LE(0, fd);
	id = ubp_load_slot(&self->ring, fd, spin, 1, "spin", 1, NULL, 0);
	ASSERT_LT(0, id);
	ASSERT_EQ(0, ubp_activate(&self->ring, fd, 1, URINGBLK_PROG_ACT_ACTIVATE));
	{
		struct uringblk_mem_range r = { 0, PAGE };

		rsid = ubp_rset_create(&self->ring, fd, &r, 1);
		ASSERT_LT(0, rsid);
	}
	x.rsid = rsid;
	x.budget = self->id.max_insn_budget;
	ubp_execute_cmd(&cmd, &x, &res, sizeof(res));
	ASSERT_EQ(0, ubp_prep_cmd(&self->ring, fd, URINGBLK_CMD_EXECUTE, &cmd, 1, 0));
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	t0 = ubp_now();
	do {
		usleep(5000);
		ASSERT_EQ(0, ubp_counter(idx, "executes", &n));
	} while (!n && ubp_now() - t0 < 5);
	ASSERT_EQ(1, n) TH_LOG("the run did not start");

	ASSERT_EQ(0, pthread_create(&th, NULL, power_off_thread, &po));
	ASSERT_EQ(0, io_uring_wait_cqe_timeout(&self->ring, &cqe, &ts))
		TH_LOG("no completion 10 s after power = 0");
	pthread_join(th, NULL);
	EXPECT_EQ(-ENODEV, cqe->res);
	io_uring_cqe_seen(&self->ring, cqe);
	EXPECT_EQ(-ENODEV, res.error);
	EXPECT_EQ(URINGBLK_PROG_ABORT_STOPPED, res.abort_code);
	EXPECT_EQ(0, po.ret);
	EXPECT_EQ(-ENODEV, ubp_execute(&self->ring, fd, &x, &res, sizeof(res), NULL));
	close(fd);
	EXPECT_EQ(0, rmdir(CFG_DEV)) TH_LOG("rmdir: %m");
}

TEST_F(ex, sigkill_during_execute)
{
	struct ubp_execute x = { .pind = 6 };
	uint64_t faults0, faults, n0, n;
	int id, rsid, pipefd[2], status;
	double t0;
	pid_t pid;
	char c;

	id = load_active(self, spin, 1, 6);
	ASSERT_LT(0, id);
	rsid = one_set(self, 0, PAGE);
	ASSERT_LT(0, rsid);
	x.rsid = rsid;
	x.budget = self->id.max_insn_budget;
	ASSERT_EQ(0, ubp_counter(0, "executes", &n0));
	ASSERT_EQ(0, ubp_counter(0, "prog_aborts_fault", &faults0));
	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct uringblk_exec_result res;
		struct io_uring_cqe *cqe;
		struct uringblk_cmd cmd;
		struct io_uring ring;
		int fd = ubt_open_cdev(0, O_RDWR);

		ubp_execute_cmd(&cmd, &x, &res, sizeof(res));
		if (fd < 0 || ubt_ring_init(&ring, 0) ||
		    ubp_prep_cmd(&ring, fd, URINGBLK_CMD_EXECUTE, &cmd, 1, 0) ||
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
	ASSERT_EQ(0, ubp_wait_counter(0, "executes", n0 + 1, 5, &n))
		TH_LOG("the child's run did not start");
	ASSERT_EQ(n0 + 1, n);
	EXPECT_EQ(-EBUSY, ubp_rset_delete(&self->ring, self->cfd, rsid));
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	t0 = ubp_now();
	do {
		ASSERT_EQ(0, ubp_counter(0, "prog_aborts_fault", &faults));
		if (faults != faults0)
			break;
		usleep(5000);
	} while (ubp_now() - t0 < 10);
	EXPECT_EQ(faults0 + 1, faults) TH_LOG("the run did not stop");
	/* the run let go of its program and set (its CQE may come a bit later) */
	t0 = ubp_now();
	while (ubp_rset_delete(&self->ring, self->cfd, rsid) == -EBUSY &&
	       ubp_now() - t0 < 5)
		usleep(10000);
	EXPECT_EQ(-EBADSLT, ubp_rset_delete(&self->ring, self->cfd, rsid));
	EXPECT_EQ(0, ubp_activate(&self->ring, self->cfd, 6,
				  URINGBLK_PROG_ACT_DEACTIVATE));
	EXPECT_EQ(0, ubp_unload(&self->ring, self->cfd, id));
}

/* The device-defined program called @name: its entry, or -ENOENT. */
static int find_dd(FIXTURE_DATA(ex) *self, const char *name,
		   struct uringblk_prog_info *out)
{
	struct uringblk_prog_info info[URINGBLK_MAX_PROGS];
	uint32_t after = 0;
	int n;

	while ((n = ubp_list(&self->ring, self->cfd, after, info,
			     URINGBLK_MAX_PROGS)) > 0) {
		for (int i = 0; i < n; i++) {
			if ((info[i].flags & URINGBLK_PROG_INFO_F_DEVICE) &&
			    !strncmp(info[i].name, name, sizeof(info[i].name))) {
				*out = info[i];
				return 0;
			}
		}
		after = info[n - 1].id;
	}
	return n < 0 ? n : -ENOENT;
}

/* Both replies alike: r0, errno, output; bytes scanned on success. */
static void same_reply(struct __test_metadata *_metadata, const char *what,
		       int ra, const uint8_t *a, int rb, const uint8_t *b)
{
	const struct uringblk_exec_result *x = (const void *)a, *y = (const void *)b;

	EXPECT_EQ(ra, rb) TH_LOG("%s", what);
	EXPECT_EQ(x->r0, y->r0) TH_LOG("%s", what);
	EXPECT_EQ(x->error, y->error) TH_LOG("%s", what);
	EXPECT_EQ(x->abort_code, y->abort_code) TH_LOG("%s", what);
	EXPECT_EQ(x->out_len, y->out_len) TH_LOG("%s", what);
	if (x->out_len == y->out_len) {
		EXPECT_EQ(0, memcmp(a + UBP_RES_SIZE, b + UBP_RES_SIZE, x->out_len))
			TH_LOG("%s: output", what);
	}
	if (!x->error) {
		EXPECT_EQ(x->bytes_scanned, y->bytes_scanned) TH_LOG("%s", what);
	}
}

TEST_F(ex, device_defined_same_as_ebpf)
{
	static const char *const names[] = { "count_pattern", "grep" };
	const uint32_t out = 4096, rlen = UBP_RES_SIZE + out;
	const uint64_t lens[] = { PAGE, DATA_LEN };	/* inline, the worker */
	uint8_t *ra, *rb;
	struct uringblk_stats b, a;
	int rsid[2];

	if (!self->id.nr_dd_progs)
		SKIP(return, "the drive has no device-defined programs");
	ra = ubt_alloc(rlen);
	rb = ubt_alloc(rlen);
	ASSERT_NE(NULL, ra);
	ASSERT_NE(NULL, rb);
	ASSERT_EQ(0, mem_write(self, 0, self->data, DATA_LEN));
	for (int k = 0; k < 2; k++) {
		rsid[k] = one_set(self, 0, lens[k]);
		ASSERT_LT(0, rsid[k]);
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct uringblk_prog_info dd;
		struct ubp_execute x = { 0 };
		struct ubp_exec e = { .lba = 0 };
		uint32_t pind;
		int id, ret_a, ret_b;

		ASSERT_EQ(0, find_dd(self, names[i], &dd)) TH_LOG("%s", names[i]);
		EXPECT_EQ(URINGBLK_PROG_TYPE_DEVICE, dd.type);
		EXPECT_TRUE(dd.flags & URINGBLK_PROG_INFO_F_ACTIVE);
		EXPECT_EQ(0, dd.insn_cnt);
		id = load_obj_active(self, names[i], &pind);
		ASSERT_LT(0, id) TH_LOG("%s", names[i]);
		memcpy(x.args, "Alpha", 5);
		x.args[2] = 5;
		for (int k = 0; k < 2; k++) {
			x.rsid = rsid[k];
			x.pind = dd.pind;
			memset(ra, 0, rlen);
			memset(rb, 0, rlen);
			ASSERT_EQ(sizeof(b), ubt_get_stats(&self->ring, self->cfd, &b, 0));
			ret_a = ubp_execute(&self->ring, self->cfd, &x, ra, rlen, NULL);
			ASSERT_EQ(sizeof(a), ubt_get_stats(&self->ring, self->cfd, &a, 0));
			EXPECT_EQ(1, a.executes - b.executes);
			/* a page's work is inline, a MiB's the worker's */
			if (k == 0) {
				EXPECT_EQ(1, a.prog_runs_inline - b.prog_runs_inline);
			} else {
				EXPECT_EQ(1, a.prog_runs_worker - b.prog_runs_worker);
			}
			x.pind = pind;
			ret_b = ubp_execute(&self->ring, self->cfd, &x, rb, rlen, NULL);
			EXPECT_LT(0, ret_b) TH_LOG("%s found nothing", names[i]);
			same_reply(_metadata, names[i], ret_a, ra, ret_b, rb);
		}
		/* EXEC by id over the same bytes on the block device */
		e.count = DATA_LEN / BS;
		memcpy(e.args, x.args, sizeof(e.args));
		e.prog = dd.id;
		ret_a = ubp_exec(&self->ring, self->cfd, &e, ra, rlen, NULL);
		e.prog = id;
		ret_b = ubp_exec(&self->ring, self->cfd, &e, rb, rlen, NULL);
		same_reply(_metadata, names[i], ret_a, ra, ret_b, rb);
		/* a bad argument: the same refusal */
		x.args[2] = 0;
		x.pind = dd.pind;
		ret_a = ubp_execute(&self->ring, self->cfd, &x, ra, rlen, NULL);
		x.pind = pind;
		ret_b = ubp_execute(&self->ring, self->cfd, &x, rb, rlen, NULL);
		EXPECT_EQ(-EINVAL, ret_a);
		EXPECT_EQ(ret_a, ret_b);
		/* deactivated, EXECUTE refuses it, EXEC still runs it */
		ASSERT_EQ(0, ubp_activate(&self->ring, self->cfd, dd.pind,
					  URINGBLK_PROG_ACT_DEACTIVATE));
		x.args[2] = 5;
		x.pind = dd.pind;
		EXPECT_EQ(-ENOEXEC, ubp_execute(&self->ring, self->cfd, &x, ra, rlen, NULL));
		e.prog = dd.id;
		EXPECT_LT(0, ubp_exec(&self->ring, self->cfd, &e, ra, rlen, NULL));
		ASSERT_EQ(0, ubp_activate(&self->ring, self->cfd, dd.pind,
					  URINGBLK_PROG_ACT_ACTIVATE));
	}
	munmap(ra, rlen);
	munmap(rb, rlen);
}

TEST_HARNESS_MAIN
