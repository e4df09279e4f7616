// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Program commands byte for byte: the EXEC SQE from uringblk_prep_exec()
 * and the PROG_LOAD payload, against offsets written out by hand from
 * <linux/uringblk.h> (cdw[i] is at SQE byte 72 + 8 i), so a layout change
 * on either side shows here.  Also the pattern packing of the bpf/
 * programs and the abort names.
 */
#include <stdint.h>
#include <string.h>

#include "private.h"
#include "test.h"

#define SQE_BYTES	128
#define GUARD		0x5a

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static int first_diff(const uint8_t *a, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return (int)i;
	return -1;
}

static void test_layout(void)
{
	CHECK_EQ(sizeof(struct uringblk_prog_info), 80);
	CHECK_EQ(offsetof(struct uringblk_prog_info, name), 8);
	CHECK_EQ(offsetof(struct uringblk_prog_info, runs), 40);
	CHECK_EQ(sizeof(struct uringblk_exec_result), 64);
	CHECK_EQ(offsetof(struct uringblk_exec_result, error), 8);
	CHECK_EQ(offsetof(struct uringblk_exec_result, abort_code), 12);
	CHECK_EQ(offsetof(struct uringblk_exec_result, abort_pc), 16);
	CHECK_EQ(offsetof(struct uringblk_exec_result, out_len), 24);
	CHECK_EQ(offsetof(struct uringblk_exec_result, insns), 32);
	CHECK_EQ(offsetof(struct uringblk_exec_result, bytes_scanned), 40);
	CHECK_EQ(sizeof(struct uringblk_prog_ctx), 128);
	CHECK_EQ(offsetof(struct uringblk_prog_ctx, out), 32);
	CHECK_EQ(offsetof(struct uringblk_prog_ctx, args), 40);
	/* _IOWR('U', nr, 80-byte struct) */
	CHECK_EQ(URINGBLK_CMD_PROG_LOAD, 0xc0505510u);
	CHECK_EQ(URINGBLK_CMD_PROG_UNLOAD, 0xc0505511u);
	CHECK_EQ(URINGBLK_CMD_PROG_LIST, 0xc0505512u);
	CHECK_EQ(URINGBLK_CMD_EXEC, 0xc0505513u);
	/* the library struct: no hidden padding, args last */
	CHECK_EQ(sizeof(struct uringblk_exec_args), 56);
	CHECK_EQ(offsetof(struct uringblk_exec_args, lba_start), 8);
	CHECK_EQ(offsetof(struct uringblk_exec_args, args), 32);
}

static void test_prep_exec(void)
{
	uint8_t slots[2 * SQE_BYTES] __attribute__((aligned(64)));
	uint8_t want[SQE_BYTES];
	static uint64_t reply[8 + 512];
	struct uringblk_exec_args a = {
		.prog_id	= 7,
		.flags		= 0,
		.lba_start	= 0x1122334455ULL,
		.lba_count	= 2048,
		.budget		= 16800000,
		.args		= { 0x6168706c41ULL, 0, 5 },
	};
	int diff, i;

	memset(want, 0, sizeof(want));
	want[0] = IORING_OP_URING_CMD;
	put32(want + 4, 13);				/* fd */
	put32(want + 8, 0xc0505513u);			/* cmd_op */
	put16(want + 48, URINGBLK_ABI_MAJOR);
	put16(want + 50, URINGBLK_ABI_MINOR);
	put32(want + 52, 0);				/* flags */
	put64(want + 56, (uintptr_t)reply);		/* addr */
	put32(want + 64, sizeof(reply));		/* len; rsvd0 at 68 */
	put64(want + 72, 7);				/* cdw[0] exec.prog_id */
	put64(want + 80, 0x1122334455ULL);		/* cdw[1] exec.lba_start */
	put64(want + 88, 2048);				/* cdw[2] exec.lba_count */
	put64(want + 96, 16800000);			/* cdw[3] exec.insn_budget */
	put64(want + 104, 0x6168706c41ULL);		/* cdw[4..6] exec.args */
	put64(want + 112, 0);
	put64(want + 120, 5);

	memset(slots, GUARD, sizeof(slots));
	uringblk_prep_exec((struct io_uring_sqe *)slots, 13, &a, reply,
			   sizeof(reply));
	diff = first_diff(slots, want, SQE_BYTES);
	if (diff >= 0)
		fprintf(stderr, "exec: SQE byte %d is 0x%02x, want 0x%02x\n",
			diff, slots[diff], want[diff]);
	CHECK(diff < 0);
	for (i = SQE_BYTES; i < 2 * SQE_BYTES && slots[i] == GUARD; i++)
		;
	CHECK_EQ(i, 2 * SQE_BYTES);

	/* flags travel in the payload's flags word */
	a.flags = 0x80000000u;
	uringblk_prep_exec((struct io_uring_sqe *)slots, 13, &a, reply, 64);
	put32(want + 52, 0x80000000u);
	put32(want + 64, 64);
	CHECK_EQ(first_diff(slots, want, SQE_BYTES), -1);

	CHECK(uringblk_exec_reply_out(reply) == (char *)reply + 64);
}

static void test_load_cmd(void)
{
	struct bpf_insn prog[3] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 1 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	uint8_t want[80], *p;
	struct uringblk_cmd cmd;
	char log[8192], name33[34];

	CHECK_EQ(uringblk_prog_load_cmd(&cmd, prog, 2, "count_pattern", log,
					sizeof(log)), 0);
	memset(want, 0, sizeof(want));
	put16(want + 0, URINGBLK_ABI_MAJOR);
	put16(want + 2, URINGBLK_ABI_MINOR);
	put64(want + 8, (uintptr_t)prog);
	put32(want + 16, 16);			/* 2 insns */
	put64(want + 24, (uintptr_t)log);	/* cdw[0] prog_load.log_addr */
	put64(want + 32, 4096);			/* cdw[1] log_len: capped at 4096 */
	memcpy(want + 40, "count_pattern", 13);	/* cdw[2..5] name, NUL-padded */
	p = (uint8_t *)&cmd;
	CHECK_EQ(first_diff(p, want, sizeof(want)), -1);

	/* no log: both words zero; a 32-byte name fills its 4 words exactly */
	memset(name33, 'n', 32);
	name33[32] = '\0';
	CHECK_EQ(uringblk_prog_load_cmd(&cmd, prog, 1, name33, NULL, 100), 0);
	CHECK_EQ(cmd.prog_load.log_addr, 0);
	CHECK_EQ(cmd.prog_load.log_len, 0);
	CHECK_EQ(cmd.len, 8);
	CHECK(!memcmp(cmd.prog_load.name, name33, 32));
	CHECK_EQ(cmd.prog_load.pind, 0);	/* the lowest free slot */
	CHECK_EQ(uringblk_prog_load_cmd(&cmd, prog, 1, NULL, log, 10), 0);
	CHECK_EQ(cmd.prog_load.log_len, 10);
	for (int i = 0; i < URINGBLK_PROG_NAME_LEN; i++)
		CHECK_EQ(cmd.prog_load.name[i], 0);

	name33[32] = 'x';
	name33[33] = '\0';
	CHECK_EQ(uringblk_prog_load_cmd(&cmd, prog, 1, name33, NULL, 0),
		 -ENAMETOOLONG);
	CHECK_EQ(uringblk_prog_load_cmd(&cmd, prog, 0, NULL, NULL, 0), -EINVAL);
	CHECK_EQ(uringblk_prog_load_cmd(&cmd, NULL, 1, NULL, NULL, 0), -EINVAL);
	CHECK_EQ(uringblk_prog_load_cmd(&cmd, prog, 1u << 29, NULL, NULL, 0),
		 -E2BIG);
}

static void test_abort_names(void)
{
	CHECK_STR(uringblk_prog_abort_name(URINGBLK_PROG_OK), "ok");
	CHECK_STR(uringblk_prog_abort_name(URINGBLK_PROG_ABORT_BUDGET), "budget");
	CHECK_STR(uringblk_prog_abort_name(URINGBLK_PROG_ABORT_MEM), "mem");
	CHECK_STR(uringblk_prog_abort_name(URINGBLK_PROG_ABORT_RANGE), "range");
	CHECK_STR(uringblk_prog_abort_name(URINGBLK_PROG_ABORT_ARG), "arg");
	CHECK_STR(uringblk_prog_abort_name(URINGBLK_PROG_ABORT_DEPTH), "depth");
	CHECK_STR(uringblk_prog_abort_name(URINGBLK_PROG_ABORT_IO), "io");
	CHECK_STR(uringblk_prog_abort_name(URINGBLK_PROG_ABORT_STOPPED),
		  "stopped");
	CHECK(uringblk_prog_abort_name(8) == NULL);
	CHECK(uringblk_prog_abort_name(~0u) == NULL);
}

int main(void)
{
	test_layout();
	test_prep_exec();
	test_load_cmd();
	test_abort_names();
	return test_summary("prog_prep");
}
