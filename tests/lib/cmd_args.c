// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The 1.11 _args calls that send commands, and the old calls that wrap
 * them, without a drive: linked with --wrap=uringblk_submit_cmd as
 * prog_load is, and --wrap=uringblk_identify (which calls it from inside
 * cmd.o, where the linker does not wrap), so every command is logged here (op, payload with its
 * address cleared, and the bytes an input payload points at) and answered
 * by a fake drive with SLM and the vector helpers.  Checked for
 * uringblk_exec_extents_args(), uringblk_vec_store_lbas_args(),
 * uringblk_vec_store_file_args() and uringblk_vec_query_args(): each
 * struct's size rule (args.h), nothing sent on a refusal, and the same
 * commands, results and messages through the new call and the old.
 */
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>

#include "private.h"
#include "test.h"
#include "args.h"

#define MAX_LOG		8
#define PAYLOAD_MAX	64

struct sent {
	__u32			op;
	struct uringblk_cmd	cmd;
	unsigned char		data[PAYLOAD_MAX];
};

static struct {
	unsigned int	n;
	struct sent	log[MAX_LOG];
} sub;

/* What a topk_i8 run answers: two hits. */
static const struct uringblk_vec_hit fake_hits[2] = {
	{ .index = 3, .score = 90 }, { .index = 1, .score = 12 },
};

static void fake_identify(struct uringblk_identify *id)
{
	memset(id, 0, sizeof(*id));
	id->abi_minor = 7;
	id->features = URINGBLK_F_SLM | URINGBLK_F_VEC_I8;
	id->capacity = 1ULL << 30;
	id->logical_block_size = 512;
	id->slm_size = 1ULL << 24;
	id->slm_granularity = 4096;
	id->max_mem_xfer = 1 << 16;
}

int __wrap_uringblk_submit_cmd(struct uringblk_dev *dev, __u32 cmd_op,
			       const struct uringblk_cmd *cmd, __s32 *res,
			       __u64 *res2);
int __wrap_uringblk_submit_cmd(struct uringblk_dev *dev, __u32 cmd_op,
			       const struct uringblk_cmd *cmd, __s32 *res,
			       __u64 *res2)
{
	void *addr = (void *)(uintptr_t)cmd->addr;
	struct sent *s = NULL;
	int ret = 0;

	(void)dev;
	if (sub.n < MAX_LOG) {
		s = &sub.log[sub.n];
		memset(s, 0, sizeof(*s));
		s->op = cmd_op;
		s->cmd = *cmd;
		s->cmd.addr = 0;
	}
	sub.n++;
	switch (cmd_op) {
	case URINGBLK_CMD_IDENTIFY:
		fake_identify(addr);
		break;
	case URINGBLK_CMD_EXEC:
	case URINGBLK_CMD_EXECUTE: {
		struct uringblk_exec_result *r = addr;

		r->r0 = 2;
		r->insns = 1000;
		r->bytes_scanned = 4096;
		if (cmd->len >= sizeof(*r) + sizeof(fake_hits)) {
			r->out_len = sizeof(fake_hits);
			memcpy(uringblk_exec_reply_out(r), fake_hits,
			       sizeof(fake_hits));
		}
		break;
	}
	case URINGBLK_CMD_RANGE_SET_CREATE:
		ret = 5;	/* the rsid; its payload is input */
		__attribute__((fallthrough));
	default:
		if (s && addr)
			memcpy(s->data, addr, cmd->len < PAYLOAD_MAX ?
			       cmd->len : PAYLOAD_MAX);
		break;
	}
	if (res)
		*res = ret;
	if (res2)
		*res2 = 0;
	return ret;
}

int __wrap_uringblk_identify(struct uringblk_dev *dev,
			     struct uringblk_identify *out);
int __wrap_uringblk_identify(struct uringblk_dev *dev,
			     struct uringblk_identify *out)
{
	struct uringblk_cmd cmd;

	if (!out)
		return -EINVAL;
	uringblk_cmd_init(&cmd, 0, out, sizeof(*out));
	return __wrap_uringblk_submit_cmd(dev, URINGBLK_CMD_IDENTIFY, &cmd,
					  NULL, NULL);
}

static struct uringblk_dev *fake_dev(void)
{
	struct uringblk_dev *dev = NULL;
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	CHECK(fd >= 0);
	CHECK_EQ(uringblk_dev_new(0, fd, NULL, false, &dev), 0);
	return dev;
}

/* The log of the last call, kept to compare with the next one's. */
static unsigned int was_n;
static struct sent was[MAX_LOG];

static void keep(void)
{
	was_n = sub.n;
	memcpy(was, sub.log, sizeof(was));
	memset(&sub, 0, sizeof(sub));
}

/* The same commands as the call before keep(). */
static void check_same(void)
{
	CHECK_EQ(sub.n, was_n);
	CHECK(!memcmp(was, sub.log, sizeof(was)));
	memset(&sub, 0, sizeof(sub));
}

static void test_exec_extents(struct uringblk_dev *dev)
{
	const struct uringblk_exec_args x = {
		.prog_id = 4, .budget = 1 << 20, .args = { 1, 2, 3 },
	};
	const struct uringblk_extent ext[2] = {
		{ .lba = 8, .len = 4096 }, { .len = 512,
					     .flags = URINGBLK_EXTENT_F_ZERO },
	};
	struct uringblk_vec_hit o1[4], o2[4];
	struct uringblk_exec_extents_args a = {
		.size = sizeof(a), .exec = &x, .ext = ext, .nr = 2,
	};
	struct uringblk_exec_result r1, r2;

	memset(&sub, 0, sizeof(sub));
	CHECK_SIZE_RULE(struct uringblk_exec_extents_args, a,
			uringblk_exec_extents_args(dev, P, &r2));
	CHECK_EQ(sub.n, 0);

	/* without output, then with */
	CHECK_EQ(uringblk_exec_extents(dev, &x, ext, 2, &r1, NULL, 0), 0);
	keep();
	CHECK_EQ(uringblk_exec_extents_args(dev, &a, &r2), 0);
	check_same();
	CHECK_EQ(was[0].op, URINGBLK_CMD_EXEC);
	CHECK_EQ(was[0].cmd.exec_ext.nr_ext, 2);
	CHECK_EQ(was[0].cmd.exec_ext.prog_id, 4);
	CHECK(!memcmp(&r1, &r2, sizeof(r1)));

	memset(o1, 0, sizeof(o1));
	memset(o2, 0, sizeof(o2));
	CHECK_EQ(uringblk_exec_extents(dev, &x, ext, 2, &r1, o1, sizeof(o1)),
		 0);
	keep();
	a.out = o2;
	a.out_len = sizeof(o2);
	CHECK_EQ(uringblk_exec_extents_args(dev, &a, &r2), 0);
	check_same();
	CHECK(!memcmp(&r1, &r2, sizeof(r1)));
	CHECK(!memcmp(o1, o2, sizeof(o1)));
	CHECK_EQ(o2[0].index, 3);

	/* the refusals before a command, the same */
	CHECK_EQ(uringblk_exec_extents(dev, &x, NULL, 2, &r1, NULL, 0),
		 -EINVAL);
	a.ext = NULL;
	CHECK_EQ(uringblk_exec_extents_args(dev, &a, &r2), -EINVAL);
	a.ext = ext;
	CHECK_EQ(uringblk_exec_extents(dev, &x, ext, 2, &r1, NULL, 8), -EINVAL);
	a.out = NULL;
	CHECK_EQ(uringblk_exec_extents_args(dev, &a, &r2), -EINVAL);
	CHECK_EQ(uringblk_exec_extents(NULL, &x, ext, 2, &r1, NULL, 0),
		 -EINVAL);
	CHECK_EQ(uringblk_exec_extents_args(NULL, &a, &r2), -EINVAL);
	CHECK_EQ(sub.n, 0);
}

static void test_vec_store_lbas(struct uringblk_dev *dev)
{
	struct uringblk_vec_store s1, s2;
	char m1[160], m2[160];
	struct uringblk_vec_store_lbas_args a = {
		.size = sizeof(a), .slm_off = 8192, .lba = 16, .n = 1000,
		.dim = 64, .msg = m2, .msg_len = sizeof(m2),
	};

	memset(&sub, 0, sizeof(sub));
	memset(m2, 'x', sizeof(m2));
	memset(&s2, 0x77, sizeof(s2));
	CHECK_SIZE_RULE(struct uringblk_vec_store_lbas_args, a,
			uringblk_vec_store_lbas_args(dev, P, &s2));
	CHECK_EQ(sub.n, 0);
	CHECK_EQ(m2[0], 'x');
	CHECK_EQ(s2.n, 0x7777777777777777ULL);

	/* IDENTIFY, two MEM_COPYs (64000 bytes, 64 KiB a copy), RANGE_SET */
	CHECK_EQ(uringblk_vec_store_lbas(dev, 8192, 16, 1000, 64, &s1, m1,
					 sizeof(m1)), 0);
	keep();
	CHECK_EQ(uringblk_vec_store_lbas_args(dev, &a, &s2), 0);
	check_same();
	CHECK_EQ(was_n, 3);
	CHECK_EQ(was[1].op, URINGBLK_CMD_MEM_COPY);
	CHECK_EQ(was[2].op, URINGBLK_CMD_RANGE_SET_CREATE);
	CHECK(!memcmp(&s1, &s2, sizeof(s1)));
	CHECK_EQ(s2.rsid, 5);
	CHECK_STR(m1, m2);

	/* refusals after IDENTIFY: the same message */
	CHECK_EQ(uringblk_vec_store_lbas(dev, 100, 16, 1000, 64, &s1, m1,
					 sizeof(m1)), -EINVAL);
	keep();
	a.slm_off = 100;
	CHECK_EQ(uringblk_vec_store_lbas_args(dev, &a, &s2), -EINVAL);
	check_same();
	CHECK_STR(m1, m2);
	CHECK(m2[0] != '\0');
	a.slm_off = 8192;
	CHECK_EQ(uringblk_vec_store_lbas(dev, 8192, 1ULL << 30, 1000, 64, &s1, m1,
					 sizeof(m1)), -ERANGE);
	keep();
	a.lba = 1ULL << 30;
	CHECK_EQ(uringblk_vec_store_lbas_args(dev, &a, &s2), -ERANGE);
	check_same();
	CHECK_STR(m1, m2);
	a.lba = 16;
	a.dim = 0;
	CHECK_EQ(uringblk_vec_store_lbas_args(dev, &a, &s2), -EINVAL);
	CHECK_EQ(uringblk_vec_store_lbas(dev, 8192, 16, 1000, 0, &s1, m1,
					 sizeof(m1)), -EINVAL);
	CHECK_STR(m1, m2);
	CHECK_EQ(uringblk_vec_store_lbas_args(dev, &a, NULL), -EINVAL);
	CHECK_EQ(sub.n, 0);
}

static void test_vec_store_file(struct uringblk_dev *dev)
{
	struct uringblk_file_map map = { .fd = -1 };
	struct uringblk_vec_store s1, s2;
	char m1[160], m2[160];
	struct uringblk_vec_store_file_args a = {
		.size = sizeof(a), .map = &map, .slm_off = 0, .dim = 64,
		.msg = m2, .msg_len = sizeof(m2),
	};

	memset(&sub, 0, sizeof(sub));
	memset(m2, 'x', sizeof(m2));
	CHECK_SIZE_RULE(struct uringblk_vec_store_file_args, a,
			uringblk_vec_store_file_args(dev, P, &s2));
	CHECK_EQ(sub.n, 0);
	CHECK_EQ(m2[0], 'x');

	/* a file that is not whole vectors: refused after IDENTIFY */
	map.version.size = 100;
	CHECK_EQ(uringblk_vec_store_file(dev, &map, 0, 64, &s1, m1,
					 sizeof(m1)), -EINVAL);
	keep();
	CHECK_EQ(uringblk_vec_store_file_args(dev, &a, &s2), -EINVAL);
	check_same();
	CHECK_EQ(was_n, 1);
	CHECK_EQ(was[0].op, URINGBLK_CMD_IDENTIFY);
	CHECK_STR(m1, m2);
	CHECK(m2[0] != '\0');
	map.version.size = 0;
	CHECK_EQ(uringblk_vec_store_file(dev, &map, 0, 64, &s1, m1,
					 sizeof(m1)), -EINVAL);
	keep();
	CHECK_EQ(uringblk_vec_store_file_args(dev, &a, &s2), -EINVAL);
	check_same();
	CHECK_STR(m1, m2);
	CHECK_EQ(uringblk_vec_store_file(dev, NULL, 0, 64, &s1, m1,
					 sizeof(m1)), -EINVAL);
	a.map = NULL;
	CHECK_EQ(uringblk_vec_store_file_args(dev, &a, &s2), -EINVAL);
	CHECK_EQ(sub.n, 0);
}

static void test_vec_query(struct uringblk_dev *dev)
{
	const struct uringblk_vec_store s = {
		.slm_off = 8192, .vec_off = 4096, .n = 1000, .dim = 64,
		.rsid = 5,
	};
	__s8 query[64];
	struct uringblk_vec_hit h1[4], h2[4];
	struct uringblk_exec_result r1, r2;
	struct uringblk_vec_query_args a = {
		.size = sizeof(a), .pind = 6, .k = 4,
		.metric = URINGBLK_VEC_L2SQ, .query = query, .xres = &r2,
	};

	for (size_t i = 0; i < sizeof(query); i++)
		query[i] = (__s8)(i * 7 % 100 - 50);
	memset(&sub, 0, sizeof(sub));
	memset(h2, 0x33, sizeof(h2));
	CHECK_SIZE_RULE(struct uringblk_vec_query_args, a,
			uringblk_vec_query_args(dev, &s, P, h2));
	CHECK_EQ(sub.n, 0);
	CHECK_EQ(h2[0].index, 0x3333333333333333ULL);

	/* MEM_WRITE of the query, then EXECUTE */
	memset(h1, 0, sizeof(h1));
	memset(h2, 0, sizeof(h2));
	CHECK_EQ(uringblk_vec_query(dev, &s, 6, query, 4, URINGBLK_VEC_L2SQ,
				    h1, &r1), 2);
	keep();
	CHECK_EQ(uringblk_vec_query_args(dev, &s, &a, h2), 2);
	check_same();
	CHECK_EQ(was_n, 2);
	CHECK_EQ(was[0].op, URINGBLK_CMD_MEM_WRITE);
	CHECK(!memcmp(was[0].data, query, sizeof(query)));
	CHECK_EQ(was[1].op, URINGBLK_CMD_EXECUTE);
	CHECK(!memcmp(h1, h2, sizeof(h1)));
	CHECK(!memcmp(&r1, &r2, sizeof(r1)));
	CHECK_EQ(h2[0].index, 3);

	/* xres is optional in the new call; res is not in the old */
	a.xres = NULL;
	CHECK_EQ(uringblk_vec_query_args(dev, &s, &a, h2), 2);
	check_same();
	CHECK_EQ(uringblk_vec_query(dev, &s, 6, query, 4, URINGBLK_VEC_L2SQ,
				    h1, NULL), -EINVAL);
	CHECK_EQ(sub.n, 0);

	/* refusals before a command */
	a.k = 0;
	CHECK_EQ(uringblk_vec_query_args(dev, &s, &a, h2), -EINVAL);
	CHECK_EQ(uringblk_vec_query(dev, &s, 6, query, 0, URINGBLK_VEC_L2SQ,
				    h1, &r1), -EINVAL);
	a.k = 4;
	a.metric = 2;
	CHECK_EQ(uringblk_vec_query_args(dev, &s, &a, h2), -EINVAL);
	CHECK_EQ(uringblk_vec_query(dev, &s, 6, query, 4, 2, h1, &r1),
		 -EINVAL);
	a.metric = 0;
	a.query = NULL;
	CHECK_EQ(uringblk_vec_query_args(dev, &s, &a, h2), -EINVAL);
	CHECK_EQ(uringblk_vec_query(dev, &s, 6, NULL, 4, 0, h1, &r1), -EINVAL);
	CHECK_EQ(sub.n, 0);
}

int main(void)
{
	struct uringblk_dev *dev = fake_dev();

	if (dev) {
		test_exec_extents(dev);
		test_vec_store_lbas(dev);
		test_vec_store_file(dev);
		test_vec_query(dev);
		uringblk_close(dev);
	}
	return test_summary("cmd_args");
}
