// SPDX-License-Identifier: GPL-2.0
/*
 * Bad input to the seed dialect's select pair on a kv drive's KV namespace
 * (driver/nvme_kv_seed.c), each with the status it must get; run by
 * kv_select.sh after it stored the object "sales":
 *  - Send Select 83h: a bad magic, reserved bits, a program the drive's
 *    validator refuses (a jump out of bounds), a size that is not the
 *    program's, a transfer shorter than CDW10: Invalid Field or Data SGL
 *    Length Invalid; key length 0 and 17: Invalid Key Size; no such key:
 *    KV Key Does Not Exist; an input type past JSON: Invalid Field;
 *  - Retrieve Select 84h: a result read in two pieces (offset in CDW12)
 *    with "keep" (bit 0), then freed; again: not found (87h); ID 0 and
 *    unknown options: Invalid Field.
 *
 * usage: nvme_kv_sel_bad /dev/uringblkcN
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <linux/nvme_ioctl.h>
#include <linux/uringblk_kv.h>

static int fd, failed;

#define EXPECT(what, want, got) do {					\
	if ((want) != (got)) {						\
		printf("FAIL: %s: want 0x%x, got 0x%x\n", what,		\
		       (unsigned int)(want), (unsigned int)(got));	\
		failed++;						\
	}								\
} while (0)

/* the seed's key layout: byte 0 is CDW15's most significant */
static void key(struct nvme_passthru_cmd64 *c, const char *k, unsigned int len)
{
	uint8_t b[16] = { 0 };

	memcpy(b, k, len > 16 ? 16 : len);
	c->cdw15 = (uint32_t)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
	c->cdw14 = (uint32_t)b[4] << 24 | b[5] << 16 | b[6] << 8 | b[7];
	c->cdw3 = (uint32_t)b[8] << 24 | b[9] << 16 | b[10] << 8 | b[11];
	c->cdw2 = (uint32_t)b[12] << 24 | b[13] << 16 | b[14] << 8 | b[15];
	c->cdw11 = (c->cdw11 & ~0xffu) | len;
}

static int io(struct nvme_passthru_cmd64 *c)
{
	int ret = ioctl(fd, NVME_IOCTL_IO64_CMD, c);

	return ret < 0 ? -errno : ret;
}

struct sel {
	struct uringblk_kv_select_prog h;
	struct bpf_insn insns[3];
};

/* r0 = 7; *(u64 *)out = r0 ... kept simple: r0 = 7, exit */
static void prog(struct sel *s, int bad)
{
	memset(s, 0, sizeof(*s));
	s->h.magic = URINGBLK_KV_SELECT_MAGIC;
	s->h.insn_cnt = 2;
	s->h.out_len = 64;
	s->insns[0] = (struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV | BPF_K,
					 .dst_reg = 0, .imm = 7 };
	s->insns[1] = (struct bpf_insn){ .code = BPF_JMP | BPF_EXIT };
	if (bad)	/* a jump out of bounds */
		s->insns[0] = (struct bpf_insn){ .code = BPF_JMP | BPF_JA, .off = 40 };
}

static int send_sel(struct sel *s, const char *k, unsigned int klen, uint32_t cdw11,
		    uint32_t size, uint32_t xfer, uint64_t *id)
{
	struct nvme_passthru_cmd64 c = { .opcode = 0x83, .nsid = 1,
		.addr = (uintptr_t)s, .data_len = xfer, .cdw10 = size,
		.cdw11 = cdw11 };
	int ret;

	key(&c, k, klen);
	ret = io(&c);
	if (id)
		*id = c.result;
	return ret;
}

static int ret_sel(uint32_t id, uint32_t opts, uint32_t off, void *buf,
		   uint32_t len, uint64_t *total)
{
	struct nvme_passthru_cmd64 c = { .opcode = 0x84, .nsid = 1,
		.addr = (uintptr_t)buf, .data_len = len, .cdw10 = len,
		.cdw11 = opts, .cdw12 = off, .cdw13 = id };
	int ret = io(&c);

	if (total)
		*total = c.result;
	return ret;
}

int main(int argc, char **argv)
{
	const uint32_t full = sizeof(struct uringblk_kv_select_prog) + 2 * sizeof(struct bpf_insn);
	struct uringblk_kv_select_result r;
	uint8_t buf[256];
	struct sel s;
	uint64_t id = 0, total = 0;

	fd = open(argc > 1 ? argv[1] : "/dev/uringblkc0", O_RDWR);
	if (fd < 0) {
		perror("open");
		return 1;
	}
	prog(&s, 0);
	EXPECT("good select", 0, send_sel(&s, "sales", 5, 0, full, full, &id));
	EXPECT("an ID", 1, id != 0);
	memset(buf, 0xa5, sizeof(buf));
	EXPECT("result, first piece, keep", 0, ret_sel(id, 1, 0, buf, 16, &total));
	EXPECT("its full size", sizeof(r), total);
	EXPECT("second piece", 0, ret_sel(id, 0, 16, buf + 16, sizeof(buf) - 16, &total));
	memcpy(&r, buf, sizeof(r));
	EXPECT("r0 of the program", 7, r.r0);
	EXPECT("no output", 0, r.out_len);
	EXPECT("value size", 1, r.value_len > 1000);
	EXPECT("freed once read", 0x4087, ret_sel(id, 0, 0, buf, sizeof(buf), NULL));
	EXPECT("ID 0", 0x4002, ret_sel(0, 0, 0, buf, sizeof(buf), NULL));
	EXPECT("unknown options", 0x4002, ret_sel(1, 4, 0, buf, sizeof(buf), NULL));
	EXPECT("buffer shorter than CDW10", 0x400f,
	       ({ struct nvme_passthru_cmd64 c = { .opcode = 0x84, .nsid = 1,
		  .addr = (uintptr_t)buf, .data_len = 8, .cdw10 = 64, .cdw13 = 5 };
		  io(&c); }));

	EXPECT("no such key", 0x4087, send_sel(&s, "nokey", 5, 0, full, full, NULL));
	EXPECT("key length 0", 0x4086, send_sel(&s, "", 0, 0, full, full, NULL));
	EXPECT("key length 17", 0x4086, send_sel(&s, "0123456789abcdefg", 17, 0, full, full, NULL));
	EXPECT("input type 2 (Parquet)", 0x4002, send_sel(&s, "sales", 5, 2 << 16, full, full, NULL));
	EXPECT("size not the program's", 0x4002, send_sel(&s, "sales", 5, 0, full + 8, full + 8, NULL));
	EXPECT("transfer shorter than CDW10", 0x400f, send_sel(&s, "sales", 5, 0, full, full - 8, NULL));
	s.h.magic = 0;
	EXPECT("bad magic", 0x4002, send_sel(&s, "sales", 5, 0, full, full, NULL));
	prog(&s, 0);
	s.h.rsvd[1] = 1;
	EXPECT("reserved field", 0x4002, send_sel(&s, "sales", 5, 0, full, full, NULL));
	prog(&s, 1);
	EXPECT("validator refuses", 0x4002, send_sel(&s, "sales", 5, 0, full, full, NULL));
	close(fd);
	printf("nvme_kv_sel_bad: %s\n", failed ? "FAIL" : "ok");
	return failed ? 1 : 0;
}
