// SPDX-License-Identifier: GPL-2.0
/*
 * The NVMe Computational Programs command set on the command device
 * (driver/nvme_cp.c): the admin commands Load Program (85h), Program
 * Activation Management (88h) and Memory Range Set Management (89h), each
 * checked against the drive's own commands (PROG_LIST, EXEC, EXECUTE);
 * Execute Program: nvme_cp_io.c, nvme_cp_exec.c:
 *  - a program loaded in one piece and in several (LOFF), by ioctl and by
 *    URING_CMD, is the program: EXEC by the id the result gives counts what
 *    the same program loaded by PROG_LOAD counts; until its last piece the
 *    slot holds nothing;
 *  - every bad field's status: NSID, reserved bits, PTYPE (device-defined,
 *    kernel-BPF, unknown), NUMB and the transfer, PSIZE, a program too big,
 *    unknown and device-defined PINDs, a taken slot, pieces that overlap or
 *    leave a gap or continue no load, unload of a load under way, a
 *    PROG_LOAD into the lowest free slot when loads under way hold every
 *    free one;
 *  - hostile programs (the validator's refusals) are Invalid Program Data
 *    and leave the slot empty, in one piece or in several;
 *  - activation and deactivation (PROG_LIST's flag), an empty slot, the
 *    activation limit, unloading an active program;
 *  - range sets: create (the RSID in the result; EXECUTE over it runs),
 *    delete, every bad descriptor (wrong MNSID, beyond SLM, misaligned,
 *    overlapping, reserved bytes), NUMR, the transfer, a set in use by a
 *    running EXECUTE, a drive without SLM;
 *  - the effects log lists the three; without CAP_SYS_ADMIN each is -EACCES;
 *    a drive removed while a load is half done.
 * The runner fails the test if the kernel logs a warning meanwhile.
 */
#include <fcntl.h>
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
#define R10 10

#define BS		512

/* The program in slot @pind as PROG_LIST shows it; 0 or -ENOENT. */
static int listed(struct io_uring *ring, int fd, uint32_t pind,
		  struct uringblk_prog_info *out)
{
	struct uringblk_prog_info info[URINGBLK_MAX_PROGS + 8];
	int n = ubp_list(ring, fd, 0, info, URINGBLK_MAX_PROGS);

	for (int i = 0; i < n; i++)
		if (info[i].pind == pind) {
			*out = info[i];
			return 0;
		}
	return -ENOENT;
}

CP_FIXTURE()

/* Data of @nblk blocks with "Alpha" @k times at known places, on the drive. */
static int write_alpha(int idx, uint8_t *buf, uint32_t nblk, uint32_t k)
{
	int bfd = ubt_open_blk(idx, O_WRONLY | O_DIRECT);
	ssize_t n;

	if (bfd < 0)
		return -1;
	memset(buf, '.', nblk * BS);
	for (uint32_t i = 0; i < k; i++)
		memcpy(buf + (uint64_t)i * (nblk * BS / k), "Alpha", 5);
	n = pwrite(bfd, buf, nblk * BS, 0);
	close(bfd);
	return n == nblk * BS ? 0 : -1;
}

/* EXEC of program @id over the first @nblk blocks, pattern "Alpha": r0. */
static int exec_alpha(struct io_uring *ring, int fd, int id, uint32_t nblk)
{
	struct ubp_exec e = { .prog = id, .lba = 0, .count = nblk };
	uint8_t reply[UBP_RES_SIZE];

	ubp_pattern_args(&e, "Alpha", 5);
	return ubp_exec(ring, fd, &e, reply, sizeof(reply), NULL);
}

TEST_F(cp, load_one_piece)
{
	struct uringblk_prog_info info;
	struct nvme_passthru_cmd64 c;
	unsigned int cnt;
	struct bpf_insn *insns = count_pattern_insns(&cnt);
	uint64_t res2 = 0;
	int id, ref;

	ASSERT_NE(NULL, insns);
	ASSERT_EQ(0, write_alpha(0, self->buf, 256, 37));
	/* the reference: the same instructions by PROG_LOAD */
	ref = ubp_load_slot(&self->ring, self->fd, insns, cnt, "ref", 9, NULL, 0);
	ASSERT_LT(0, ref);
	ASSERT_EQ(37, exec_alpha(&self->ring, self->fd, ref, 256));

	/* by ioctl: the result is the program's id */
	id = load_whole(self->fd, 3, insns, cnt);
	ASSERT_LT(0, id);
	ASSERT_EQ(0, listed(&self->ring, self->fd, 3, &info));
	EXPECT_EQ((uint32_t)id, info.id);
	EXPECT_EQ(cnt, info.insn_cnt);
	EXPECT_EQ(URINGBLK_PROG_TYPE_EBPF, info.type);
	EXPECT_EQ(0, info.flags & URINGBLK_PROG_INFO_F_ACTIVE);
	EXPECT_EQ(0, strncmp(info.name, "nvme pit=0 pid=0", sizeof(info.name)));
	EXPECT_EQ(37, exec_alpha(&self->ring, self->fd, id, 256));

	/* by URING_CMD, with a PIT and PID: big_cqe[0] is the id */
	c = load_cmd(4, PTYPE_EBPF, cnt * 8, 0, insns, cnt * 8);
	c.cdw10 |= 2u << 25;
	c.cdw12 = 0x89abcdef;
	c.cdw13 = 0x1234567;
	ASSERT_EQ(0, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_ADMIN, &c, &res2));
	ASSERT_EQ(0, listed(&self->ring, self->fd, 4, &info));
	EXPECT_EQ(info.id, res2);
	EXPECT_EQ(0, strncmp(info.name, "nvme pit=2 pid=123456789abcdef", sizeof(info.name)));
	EXPECT_EQ(37, exec_alpha(&self->ring, self->fd, res2, 256));
	/* unload (SEL 1) empties the slot */
	EXPECT_EQ(0, unload(self->fd, 4));
	EXPECT_EQ(-ENOENT, listed(&self->ring, self->fd, 4, &info));
	EXPECT_EQ(SC_NO_PROGRAM, unload(self->fd, 4));
	free(insns);
}

TEST_F(cp, load_pieces)
{
	struct uringblk_prog_info info;
	unsigned int cnt;
	struct bpf_insn *insns = count_pattern_insns(&cnt);
	const uint8_t *p = (const uint8_t *)insns;
	uint32_t size, a, b;
	uint64_t id = 0;

	ASSERT_NE(NULL, insns);
	size = cnt * 8;
	ASSERT_LE(24, size);
	a = 13;			/* pieces need not be whole instructions */
	b = size / 2 + 3;
	ASSERT_EQ(0, write_alpha(0, self->buf, 64, 11));
	ASSERT_EQ(0, load_piece(self->fd, 7, size, 0, p, a, &id));
	EXPECT_EQ(0, id);
	/* not loaded yet: the slot is empty */
	EXPECT_EQ(-ENOENT, listed(&self->ring, self->fd, 7, &info));
	EXPECT_EQ(SC_NO_PROGRAM, act(self->fd, 7, 1));
	/* another first piece for the slot while a load is under way */
	EXPECT_EQ(SC_PROG_IN_USE, load_piece(self->fd, 7, size, 0, p, a, NULL));
	/*
	 * nor a PROG_LOAD of the command device (found by fuzz_cmds: it took
	 * the slot, and the last piece then got Program In Use)
	 */
	EXPECT_GT(0, ubp_load_slot(&self->ring, self->fd, insns, cnt, "x", 7, NULL, 0));
	EXPECT_EQ(-ENOENT, listed(&self->ring, self->fd, 7, &info));
	/* overlapping, a gap, past the end, another size */
	EXPECT_EQ(SC_INVALID_PROG_DATA, load_piece(self->fd, 7, size, a - 1, p + a - 1, 8, NULL));
	EXPECT_EQ(SC_INVALID_PROG_DATA, load_piece(self->fd, 7, size, a + 1, p + a + 1, 8, NULL));
	EXPECT_EQ(SC_PROG_TOO_BIG, load_piece(self->fd, 7, size, a, p + a, size - a + 1, NULL));
	EXPECT_EQ(SC_INVALID_FIELD, load_piece(self->fd, 7, size + 8, a, p + a, 8, NULL));
	/* a piece for a slot with no load under way */
	EXPECT_EQ(SC_INVALID_PROG_DATA, load_piece(self->fd, 8, size, a, p + a, 8, NULL));
	/* the refusals left the load as it was: go on */
	ASSERT_EQ(0, load_piece(self->fd, 7, size, a, p + a, b - a, &id));
	EXPECT_EQ(0, id);
	EXPECT_EQ(-ENOENT, listed(&self->ring, self->fd, 7, &info));
	ASSERT_EQ(0, load_piece(self->fd, 7, size, b, p + b, size - b, &id));
	ASSERT_LT(0, id);
	ASSERT_EQ(0, listed(&self->ring, self->fd, 7, &info));
	EXPECT_EQ(id, info.id);
	EXPECT_EQ(cnt, info.insn_cnt);
	EXPECT_EQ(11, exec_alpha(&self->ring, self->fd, id, 64));
	/* the slot is taken now */
	EXPECT_EQ(SC_PROG_IN_USE, load_piece(self->fd, 7, size, 0, p, a, NULL));

	/* unload (SEL 1) of a load under way drops it */
	ASSERT_EQ(0, load_piece(self->fd, 8, size, 0, p, a, NULL));
	EXPECT_EQ(0, unload(self->fd, 8));
	EXPECT_EQ(SC_INVALID_PROG_DATA, load_piece(self->fd, 8, size, a, p + a, 8, NULL));
	EXPECT_EQ(SC_NO_PROGRAM, unload(self->fd, 8));
	ASSERT_LT(0, load_whole(self->fd, 8, insns, cnt));
	free(insns);
}

/*
 * PROG_LOAD into the lowest free slot when every free slot is held by a
 * load in pieces: no slot for it (Insufficient Program Resources, -ENOSPC,
 * and the log says why).  Before, it took the staged slot, and the
 * staged load's last piece then got Program In Use.
 */
TEST_F(cp, load_lowest_free_all_staged)
{
	struct bpf_insn two[2] = { BPF_MOV64_IMM(R0, 1), BPF_EXIT_INSN() };
	struct uringblk_prog_info info;
	char log[256] = "";
	uint64_t id = 0;
	uint32_t i;

	for (i = 1; i < URINGBLK_MAX_PROGS; i++)
		ASSERT_LT(0, load_whole(self->fd, i, two, 2)) TH_LOG("slot %u", i);
	/* the last free slot: a load under way */
	ASSERT_EQ(0, load_piece(self->fd, URINGBLK_MAX_PROGS, sizeof(two), 0, two, 8, NULL));
	EXPECT_EQ(-ENOSPC, ubp_load_slot(&self->ring, self->fd, two, 2, "x", 0,
					 log, sizeof(log)));
	EXPECT_NE(NULL, strstr(log, "held by an NVMe Load Program")) TH_LOG("log: %s", log);
	EXPECT_EQ(-ENOENT, listed(&self->ring, self->fd, URINGBLK_MAX_PROGS, &info));
	/* the staged load still gets its slot */
	ASSERT_EQ(0, load_piece(self->fd, URINGBLK_MAX_PROGS, sizeof(two), 8,
				(const uint8_t *)two + 8, 8, &id));
	ASSERT_LT(0, id);
	ASSERT_EQ(0, listed(&self->ring, self->fd, URINGBLK_MAX_PROGS, &info));
	EXPECT_EQ(id, info.id);
	/* full now: the old message */
	EXPECT_EQ(-ENOSPC, ubp_load_slot(&self->ring, self->fd, two, 2, "x", 0,
					 log, sizeof(log)));
	EXPECT_NE(NULL, strstr(log, "already holds")) TH_LOG("log: %s", log);
}

TEST_F(cp, load_bad_fields)
{
	struct nvme_passthru_cmd64 c;
	struct bpf_insn big[2] = { BPF_MOV64_IMM(R0, 1), BPF_EXIT_INSN() };
	const uint32_t sz = sizeof(big);

	/* the CP namespace only */
	c = load_cmd(1, PTYPE_EBPF, sz, 0, big, sz);
	c.nsid = 1;
	EXPECT_EQ(SC_INVALID_NS, admin(self->fd, &c));
	c.nsid = 0;
	EXPECT_EQ(SC_INVALID_NS, admin(self->fd, &c));
	c.nsid = 0xffffffff;
	EXPECT_EQ(SC_INVALID_NS, admin(self->fd, &c));
	/* reserved bits of CDW10 */
	c = load_cmd(1, PTYPE_EBPF, sz, 0, big, sz);
	c.cdw10 |= 1u << 28;
	EXPECT_EQ(SC_INVALID_FIELD, admin(self->fd, &c));
	/* program types: device-defined, kernel BPF, unknown */
	for (uint32_t t = 0; t < 256; t++) {
		if (t == PTYPE_EBPF)
			continue;
		c = load_cmd(1, t, sz, 0, big, sz);
		ASSERT_EQ(SC_INVALID_PTYPE, admin(self->fd, &c)) TH_LOG("PTYPE %#x", t);
	}
	/* NUMB 0; a transfer other than NUMB */
	c = load_cmd(1, PTYPE_EBPF, sz, 0, big, 0);
	EXPECT_EQ(SC_INVALID_FIELD, admin(self->fd, &c));
	c = load_cmd(1, PTYPE_EBPF, sz, 0, big, sz);
	c.data_len = 8;
	EXPECT_EQ(SC_SGL_INVALID_DATA, admin(self->fd, &c));
	c.addr = 0;
	EXPECT_EQ(SC_SGL_INVALID_DATA, admin(self->fd, &c));
	/* PSIZE: not whole instructions, 0, above the drive's limit */
	EXPECT_EQ(SC_INVALID_PROG_DATA, load_piece(self->fd, 1, 12, 0, big, 12, NULL));
	EXPECT_EQ(SC_INVALID_PROG_DATA, load_piece(self->fd, 1, 0, 0, big, 8, NULL));
	EXPECT_EQ(SC_PROG_TOO_BIG, load_piece(self->fd, 1, (URINGBLK_PROG_MAX_INSNS + 1) * 8,
					      0, big, sz, NULL));
	EXPECT_EQ(SC_PROG_TOO_BIG, load_piece(self->fd, 1, 8, 0, big, sz, NULL));
	EXPECT_EQ(SC_PROG_TOO_BIG, load_piece(self->fd, 1, sz, 0xfffffff8, big, sz, NULL));
	/* slots: none, past the downloadable ones, device-defined */
	EXPECT_EQ(SC_INVALID_PIND, load_piece(self->fd, 0, sz, 0, big, sz, NULL));
	EXPECT_EQ(SC_INVALID_PIND, load_piece(self->fd, URINGBLK_MAX_PROGS + 1, sz, 0, big, sz,
					      NULL));
	EXPECT_EQ(SC_INVALID_PIND, load_piece(self->fd, 0xffff, sz, 0, big, sz, NULL));
	EXPECT_EQ(SC_NOT_DOWNLOADABLE, load_piece(self->fd, URINGBLK_DD_PIND_BASE, sz, 0, big,
						  sz, NULL));
	EXPECT_EQ(SC_NOT_DOWNLOADABLE, unload(self->fd, URINGBLK_DD_PIND_BASE));
	EXPECT_EQ(SC_INVALID_PIND, unload(self->fd, 0));
	/* unload takes no data */
	c = load_cmd(1, 0, 0, 0, big, sz);
	c.cdw10 |= SEL_UNLOAD;
	EXPECT_EQ(SC_SGL_INVALID_DATA, admin(self->fd, &c));
	/* a taken slot */
	ASSERT_LT(0, load_whole(self->fd, 1, big, 2));
	EXPECT_EQ(SC_PROG_IN_USE, load_piece(self->fd, 1, sz, 0, big, sz, NULL));
	/* an unmapped buffer: the host's -EFAULT, nothing staged */
	c = load_cmd(2, PTYPE_EBPF, sz, 0, (void *)8, sz);
	EXPECT_EQ(-EFAULT, admin(self->fd, &c));
	EXPECT_EQ(0, load_piece(self->fd, 2, sz, 0, big, 8, NULL));
	EXPECT_EQ(0, unload(self->fd, 2));
}

/* Programs the validator refuses (prog_hostile_load's kinds). */
TEST_F(cp, load_hostile)
{
	static const struct {
		const char *what;
		struct bpf_insn insns[4];
		unsigned int cnt;
	} bad[] = {
		{ "unknown opcode", { BPF_RAW_INSN(0, 0, 0, 0, 0), BPF_EXIT_INSN() }, 2 },
		{ "write to r10", { BPF_MOV64_IMM(R10, 0), BPF_EXIT_INSN() }, 2 },
		{ "jump past the end", { BPF_MOV64_IMM(R0, 0), BPF_JMP_A(1), BPF_EXIT_INSN() }, 3 },
		{ "unknown helper", { BPF_EMIT_CALL(9999), BPF_EXIT_INSN() }, 2 },
		{ "no exit", { BPF_MOV64_IMM(R0, 0), BPF_MOV64_IMM(R0, 1) }, 2 },
		{ "r1 after a call", { BPF_EMIT_CALL(URINGBLK_HELPER_SUM_U32),
			BPF_MOV64_REG(R0, R1), BPF_EXIT_INSN() }, 3 },
	};
	struct uringblk_prog_info info;
	static struct bpf_insn long_prog[URINGBLK_PROG_MAX_INSNS];

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint32_t sz = bad[i].cnt * 8;

		EXPECT_EQ(-SC_INVALID_PROG_DATA, load_whole(self->fd, 5, bad[i].insns, bad[i].cnt))
			TH_LOG("%s", bad[i].what);
		EXPECT_EQ(-ENOENT, listed(&self->ring, self->fd, 5, &info));
		EXPECT_EQ(SC_NO_PROGRAM, act(self->fd, 5, 1));
		/* in two pieces: refused at the last, nothing left behind */
		ASSERT_EQ(0, load_piece(self->fd, 5, sz, 0, bad[i].insns, 8, NULL));
		EXPECT_EQ(SC_INVALID_PROG_DATA,
			  load_piece(self->fd, 5, sz, 8, (uint8_t *)bad[i].insns + 8, sz - 8, NULL))
			TH_LOG("%s in pieces", bad[i].what);
		EXPECT_EQ(SC_INVALID_PROG_DATA,
			  load_piece(self->fd, 5, sz, 8, (uint8_t *)bad[i].insns + 8, sz - 8, NULL));
		EXPECT_EQ(-ENOENT, listed(&self->ring, self->fd, 5, &info));
	}
	/* the longest program is taken, in 8 pieces */
	for (unsigned int i = 0; i < URINGBLK_PROG_MAX_INSNS - 1; i++)
		long_prog[i] = BPF_MOV64_IMM(R0, i);
	long_prog[URINGBLK_PROG_MAX_INSNS - 1] = BPF_EXIT_INSN();
	for (uint32_t off = 0; off < sizeof(long_prog); off += sizeof(long_prog) / 8)
		ASSERT_EQ(0, load_piece(self->fd, 5, sizeof(long_prog), off,
					(uint8_t *)long_prog + off, sizeof(long_prog) / 8, NULL));
	ASSERT_EQ(0, listed(&self->ring, self->fd, 5, &info));
	EXPECT_EQ(URINGBLK_PROG_MAX_INSNS, info.insn_cnt);
}

TEST_F(cp, activation)
{
	struct bpf_insn one[2] = { BPF_MOV64_IMM(R0, 1), BPF_EXIT_INSN() };
	struct uringblk_prog_info info;
	struct nvme_passthru_cmd64 c;
	struct uringblk_identify id;
	uint32_t slots;
	int i;

	ASSERT_LT(0, ubt_identify(&self->ring, self->fd, &id));
	ASSERT_LT(0, load_whole(self->fd, 6, one, 2));
	ASSERT_EQ(0, act(self->fd, 6, 1));
	ASSERT_EQ(0, listed(&self->ring, self->fd, 6, &info));
	EXPECT_NE(0, info.flags & URINGBLK_PROG_INFO_F_ACTIVE);
	EXPECT_EQ(0, act(self->fd, 6, 1));	/* already: a no-op */
	/* an active program cannot be unloaded */
	EXPECT_EQ(SC_PROG_IN_USE, unload(self->fd, 6));
	ASSERT_EQ(0, act(self->fd, 6, 0));
	ASSERT_EQ(0, listed(&self->ring, self->fd, 6, &info));
	EXPECT_EQ(0, info.flags & URINGBLK_PROG_INFO_F_ACTIVE);
	EXPECT_EQ(0, unload(self->fd, 6));
	/* empty, unknown and bad */
	EXPECT_EQ(SC_NO_PROGRAM, act(self->fd, 6, 1));
	EXPECT_EQ(SC_NO_PROGRAM, act(self->fd, 6, 0));
	EXPECT_EQ(SC_INVALID_PIND, act(self->fd, 0, 1));
	EXPECT_EQ(SC_INVALID_PIND, act(self->fd, URINGBLK_MAX_PROGS + 1, 1));
	EXPECT_EQ(SC_INVALID_FIELD, act(self->fd, 6, 2));
	EXPECT_EQ(SC_INVALID_FIELD, act(self->fd, 6, 0xf));
	c = (struct nvme_passthru_cmd64) { .opcode = OP_ACT, .nsid = CP_NSID,
					   .cdw10 = 6 | 1 << 16 | 1u << 20 };
	EXPECT_EQ(SC_INVALID_FIELD, admin(self->fd, &c));
	c = (struct nvme_passthru_cmd64) { .opcode = OP_ACT, .nsid = CP_NSID,
					   .cdw10 = 6 | 1 << 16,
					   .addr = (uintptr_t)self->buf, .data_len = 4096 };
	EXPECT_EQ(SC_SGL_INVALID_DATA, admin(self->fd, &c));
	c.addr = 0;
	c.data_len = 0;
	c.nsid = 1;
	EXPECT_EQ(SC_INVALID_NS, admin(self->fd, &c));
	/* device-defined programs: deactivated and activated like any */
	EXPECT_EQ(0, act(self->fd, URINGBLK_DD_PIND_BASE, 0));
	EXPECT_EQ(0, act(self->fd, URINGBLK_DD_PIND_BASE, 1));
	/* the limit: the device-defined ones are active already */
	slots = id.max_active_progs - id.nr_dd_progs;
	for (i = 1; i <= (int)slots + 1; i++)
		ASSERT_LT(0, load_whole(self->fd, 10 + i, one, 2));
	for (i = 1; i <= (int)slots; i++)
		ASSERT_EQ(0, act(self->fd, 10 + i, 1));
	EXPECT_EQ(SC_MAX_ACTIVATED, act(self->fd, 10 + i, 1));
	ASSERT_EQ(0, act(self->fd, 11, 0));
	EXPECT_EQ(0, act(self->fd, 10 + i, 1));
}

TEST_F(cp, range_sets)
{
	struct bpf_insn ret_len[3] = {
		BPF_LDX_MEM(BPF_DW, R0, R1, UBP_CTX(mem_len)), BPF_EXIT_INSN(),
	};
	struct mrd *d = (struct mrd *)self->buf;
	struct ubp_execute x = { .pind = 2 };
	uint8_t reply[UBP_RES_SIZE];
	struct nvme_passthru_cmd64 c;
	uint64_t rsid, rsid2;

	ASSERT_LT(0, load_whole(self->fd, 2, ret_len, 2));
	ASSERT_EQ(0, act(self->fd, 2, 1));
	d[0] = slm_range(0, PAGE);
	d[1] = slm_range(3 * PAGE, 2 * PAGE);
	ASSERT_EQ(0, mrs_create(self->fd, d, 2, &rsid));
	ASSERT_LT(0, rsid);
	ASSERT_GE(0xffff, rsid);
	/* the drive's own EXECUTE runs over it: 3 pages */
	x.rsid = rsid;
	EXPECT_EQ(3 * PAGE, ubp_execute(&self->ring, self->fd, &x, reply, sizeof(reply), NULL));
	ASSERT_EQ(0, mrs_create(self->fd, d, 1, &rsid2));
	EXPECT_NE(rsid, rsid2);
	EXPECT_EQ(0, mrs_delete(self->fd, rsid2));
	EXPECT_EQ(SC_INVALID_MRS_ID, mrs_delete(self->fd, rsid2));
	EXPECT_EQ(SC_INVALID_MRS_ID, mrs_delete(self->fd, 0));
	EXPECT_EQ(-EBADSLT, ubp_rset_delete(&self->ring, self->fd, rsid2));

	/* descriptors: the SLM namespace only */
	d[1].mnsid = 1;
	EXPECT_EQ(SC_INVALID_MEM_NS, mrs_create(self->fd, d, 2, NULL));
	d[1].mnsid = CP_NSID;
	EXPECT_EQ(SC_INVALID_MEM_NS, mrs_create(self->fd, d, 2, NULL));
	d[1].mnsid = 0;
	EXPECT_EQ(SC_INVALID_MEM_NS, mrs_create(self->fd, d, 2, NULL));
	/* beyond SLM, across its end, misaligned, empty, overlapping */
	d[1] = slm_range((uint64_t)SLM_MB << 20, PAGE);
	EXPECT_EQ(SC_INVALID_MRS, mrs_create(self->fd, d, 2, NULL));
	d[1] = slm_range(((uint64_t)SLM_MB << 20) - PAGE, 2 * PAGE);
	EXPECT_EQ(SC_INVALID_MRS, mrs_create(self->fd, d, 2, NULL));
	d[1] = slm_range(1ULL << 62, PAGE);
	EXPECT_EQ(SC_INVALID_MRS, mrs_create(self->fd, d, 2, NULL));
	d[1] = slm_range(PAGE + 512, PAGE);
	EXPECT_EQ(SC_INVALID_FIELD, mrs_create(self->fd, d, 2, NULL));
	d[1] = slm_range(PAGE, 0);
	EXPECT_EQ(SC_INVALID_FIELD, mrs_create(self->fd, d, 2, NULL));
	d[1] = slm_range(0, 2 * PAGE);
	EXPECT_EQ(SC_OVERLAPPING, mrs_create(self->fd, d, 2, NULL));
	d[1] = slm_range(PAGE, PAGE);
	d[1].rsvd[15] = 1;
	EXPECT_EQ(SC_INVALID_FIELD, mrs_create(self->fd, d, 2, NULL));
	d[1].rsvd[15] = 0;
	/* NUMR and the transfer */
	EXPECT_EQ(SC_INVALID_FIELD, mrs_create(self->fd, d, 0, NULL));
	for (int i = 0; i < 65; i++)
		d[i] = slm_range((uint64_t)i * PAGE, PAGE);
	EXPECT_EQ(SC_MAX_MEM_RANGES, mrs_create(self->fd, d, 65, NULL));
	EXPECT_EQ(SC_MAX_MEM_RANGES, mrs_create(self->fd, d, 255, NULL));
	c = (struct nvme_passthru_cmd64) { .opcode = OP_MRS, .nsid = CP_NSID,
					   .addr = (uintptr_t)d, .data_len = 32, .cdw11 = 2 };
	EXPECT_EQ(SC_SGL_INVALID_DATA, admin(self->fd, &c));
	/* create with an RSID, other SELs, reserved bits */
	c.data_len = 64;
	c.cdw10 = 5 << 16;
	EXPECT_EQ(SC_INVALID_FIELD, admin(self->fd, &c));
	c.cdw10 = 2;
	EXPECT_EQ(SC_INVALID_FIELD, admin(self->fd, &c));
	c.cdw10 = 1 << 4;
	EXPECT_EQ(SC_INVALID_FIELD, admin(self->fd, &c));
	c.cdw10 = 0;
	c.cdw11 = 2 | 1 << 8;
	EXPECT_EQ(SC_INVALID_FIELD, admin(self->fd, &c));
	c.cdw11 = 2;
	c.nsid = SLM_NSID;
	EXPECT_EQ(SC_INVALID_NS, admin(self->fd, &c));
	/* delete: no data, no NUMR */
	c = (struct nvme_passthru_cmd64) { .opcode = OP_MRS, .nsid = CP_NSID,
					   .cdw10 = 1 | (uint32_t)rsid << 16, .cdw11 = 1 };
	EXPECT_EQ(SC_INVALID_FIELD, admin(self->fd, &c));
	c.cdw11 = 0;
	c.addr = (uintptr_t)d;
	c.data_len = 32;
	EXPECT_EQ(SC_SGL_INVALID_DATA, admin(self->fd, &c));
	EXPECT_EQ(0, mrs_delete(self->fd, rsid));
	/* the limit of sets */
	for (int i = 0; i < 64; i++) {
		d[0] = slm_range(0, PAGE);
		ASSERT_EQ(0, mrs_create(self->fd, d, 1, NULL)) TH_LOG("set %d", i);
	}
	EXPECT_EQ(DNR | 0x192, mrs_create(self->fd, d, 1, NULL));
}

/* Deleting a set a running EXECUTE uses. */
TEST_F(cp, range_set_in_use)
{
	uint8_t reply[UBP_RES_SIZE];
	struct ubp_execute x = { .pind = 4 };
	struct io_uring_cqe *cqe;
	struct uringblk_cmd cmd;
	struct mrd d = slm_range(0, PAGE);
	uint64_t rsid, was, now;
	int id;

	id = load_whole(self->fd, 4, ubp_count_loop, UBP_NINSNS(ubp_count_loop));
	ASSERT_LT(0, id);
	ASSERT_EQ(0, act(self->fd, 4, 1));
	ASSERT_EQ(0, mrs_create(self->fd, &d, 1, &rsid));
	x.rsid = rsid;
	x.args[0] = ubp_calibrate_loop(&self->ring, self->fd, id, 1.5);
	ASSERT_LT(0, x.args[0]);
	ASSERT_EQ(0, ubp_counter(0, "executes", &was));
	ubp_execute_cmd(&cmd, &x, reply, sizeof(reply));
	ASSERT_EQ(0, ubp_prep_cmd(&self->ring, self->fd, URINGBLK_CMD_EXECUTE, &cmd, 7, 0));
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	ASSERT_EQ(0, ubp_wait_counter(0, "executes", was + 1, 5, &now));
	EXPECT_EQ(SC_MRS_IN_USE, mrs_delete(self->fd, rsid));
	EXPECT_EQ(SC_PROG_IN_USE, act(self->fd, 4, 0));
	EXPECT_EQ(0, io_uring_cq_ready(&self->ring)) TH_LOG("the run ended too soon");
	ASSERT_EQ(0, io_uring_wait_cqe(&self->ring, &cqe));
	EXPECT_EQ((int)x.args[0], cqe->res);
	io_uring_cqe_seen(&self->ring, cqe);
	EXPECT_EQ(0, mrs_delete(self->fd, rsid));
	EXPECT_EQ(0, act(self->fd, 4, 0));
	EXPECT_EQ(0, unload(self->fd, 4));
}

/* The effects log's admin part lists the three commands. */
TEST_F(cp, effects_log)
{
	struct nvme_passthru_cmd64 c = {
		.opcode = OP_GET_LOG, .nsid = 0xffffffff, .addr = (uintptr_t)self->buf,
		.data_len = 4096, .cdw10 = 0x05 | (4096 / 4 - 1) << 16,
	};
	uint32_t acs[256];

	ASSERT_EQ(0, admin(self->fd, &c));
	memcpy(acs, self->buf, sizeof(acs));
	EXPECT_EQ(1, acs[OP_LOAD]);
	EXPECT_EQ(1, acs[OP_ACT]);
	EXPECT_EQ(1, acs[OP_MRS]);
	EXPECT_EQ(0, acs[0x86]);
	EXPECT_EQ(0, acs[0x87]);
}

/* Admin commands: CAP_SYS_ADMIN only, whatever the open mode. */
TEST_F(cp, unprivileged)
{
	struct bpf_insn one[2] = { BPF_MOV64_IMM(R0, 1), BPF_EXIT_INSN() };
	struct mrd d = slm_range(0, PAGE);
	struct nvme_passthru_cmd64 c;
	uint64_t res2;
	int rofd;

	ASSERT_LT(0, load_whole(self->fd, 3, one, 2));
	ASSERT_EQ(0, drop_sys_admin());
	c = load_cmd(1, PTYPE_EBPF, 16, 0, one, 16);
	EXPECT_EQ(-EACCES, admin(self->fd, &c));
	EXPECT_EQ(-EACCES, nvme_uring(&self->ring, self->fd, NVME_URING_CMD_ADMIN, &c, &res2));
	EXPECT_EQ(-EACCES, act(self->fd, 3, 1));
	EXPECT_EQ(-EACCES, unload(self->fd, 3));
	EXPECT_EQ(-EACCES, mrs_create(self->fd, &d, 1, NULL));
	EXPECT_EQ(-EACCES, mrs_delete(self->fd, 1));
	rofd = ubt_open_cdev(0, O_RDONLY);
	ASSERT_LE(0, rofd);
	EXPECT_EQ(-EACCES, admin(rofd, &c));
	close(rofd);
}

/* A drive without SLM has no range sets; programs still load. */
TEST(no_slm)
{
	struct bpf_insn one[2] = { BPF_MOV64_IMM(R0, 1), BPF_EXIT_INSN() };
	struct mrd d = slm_range(0, PAGE);
	int fd;

	UBT_SETUP_MODULE(ubt_module_reload, "capacity_mb=16 nr_devices=1 slm_size_mb=0");
	fd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(SC_INVALID_OPCODE, mrs_create(fd, &d, 1, NULL));
	EXPECT_EQ(SC_INVALID_OPCODE, mrs_delete(fd, 1));
	EXPECT_LT(0, load_whole(fd, 1, one, 2));
	EXPECT_EQ(0, act(fd, 1, 1));
	close(fd);
}

/* A load under way when the drive goes: nothing leaks, the module unloads. */
TEST(removal_mid_load)
{
	struct bpf_insn one[2] = { BPF_MOV64_IMM(R0, 1), BPF_EXIT_INSN() };
	int fd;

	UBT_SETUP_MODULE(ubt_module_reload, "capacity_mb=16 nr_devices=2");
	for (int i = 0; i < 2; i++) {
		fd = ubt_open_cdev(i, O_RDWR);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, load_piece(fd, 1, 16, 0, one, 8, NULL));
		ASSERT_EQ(0, load_piece(fd, 2, 16, 0, one, 8, NULL));
		close(fd);
	}
	ASSERT_EQ(0, ubt_module_unload());
	UBT_SETUP_MODULE(ubt_module_reload, "capacity_mb=16 nr_devices=1");
	fd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, fd);
	/* a new drive: no load under way */
	EXPECT_EQ(SC_INVALID_PROG_DATA, load_piece(fd, 1, 16, 8, one + 1, 8, NULL));
	close(fd);
}

TEST_HARNESS_MAIN
