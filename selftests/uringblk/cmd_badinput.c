// SPDX-License-Identifier: GPL-2.0
/*
 * Every malformed command gets the exact errno the uAPI header promises,
 * and the device answers IDENTIFY correctly afterwards (checked in the
 * fixture teardown after every test).
 *
 * Where a rule applies to every command (ABI version, reserved fields,
 * reply buffer), the test runs it against both IDENTIFY and GET_STATS.
 */
#include <dirent.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "harness.h"
#include "uringblk_test.h"

#define CAPACITY	(64 * UBT_MIB)
#define PARAMS		"capacity_mb=64"

/*
 * The two commands, the size of their version-0 reply (the smallest len
 * accepted) and of their reply now.
 */
static const struct {
	const char *name;
	uint32_t op;
	uint32_t min;
	uint32_t size;
} cmds[] = {
	{ "IDENTIFY", URINGBLK_CMD_IDENTIFY, URINGBLK_IDENTIFY_SIZE_VER0,
	  sizeof(struct uringblk_identify) },
	{ "GET_STATS", URINGBLK_CMD_GET_STATS, URINGBLK_STATS_SIZE_VER0,
	  sizeof(struct uringblk_stats) },
};

FIXTURE(bad) {
	struct io_uring ring;
	int cfd;
	/* A reply buffer larger than any reply, for the tests to point at. */
	uint8_t buf[URINGBLK_MAX_REPLY_LEN + 64];
};

/* identify.nr_dd_progs: device-defined programs, listed after the others */
static int nr_dd(FIXTURE_DATA(bad) *self)
{
	struct uringblk_identify id;

	if (ubt_identify(&self->ring, self->cfd, &id) != sizeof(id))
		return -1;
	return id.nr_dd_progs;
}

FIXTURE_SETUP(bad)
{
	UBT_SETUP_MODULE(ubt_module_ensure, PARAMS);
	self->cfd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, self->cfd) TH_LOG("open: %s", strerror(-self->cfd));
	ASSERT_EQ(0, ubt_ring_init(&self->ring, 0));
}

/* After any bad input the device must still be fully usable. */
FIXTURE_TEARDOWN(bad)
{
	struct uringblk_identify id;
	struct io_uring ring;
	int fd, res;

	io_uring_queue_exit(&self->ring);
	close(self->cfd);

	fd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, fd) TH_LOG("device gone after the test: %s", strerror(-fd));
	ASSERT_EQ(0, ubt_ring_init(&ring, 0));
	res = ubt_identify(&ring, fd, &id);
	EXPECT_EQ(sizeof(id), res) TH_LOG("IDENTIFY after the test: %d", res);
	EXPECT_EQ(URINGBLK_ABI_MAJOR, id.abi_major);
	EXPECT_EQ(0, id.dev_index);
	EXPECT_EQ(CAPACITY, id.capacity);
	EXPECT_EQ(URINGBLK_MAX_REPLY_LEN, id.max_reply_len);
	io_uring_queue_exit(&ring);
	close(fd);
}

/* Send cmd_op with a valid payload pointing at self->buf. */
static int send_op(FIXTURE_DATA(bad) *self, uint32_t op)
{
	struct uringblk_cmd cmd;

	ubt_cmd_init(&cmd, self->buf, sizeof(struct uringblk_identify));
	return ubt_uring_cmd(&self->ring, self->cfd, op, &cmd, NULL);
}

static int send_cmd(FIXTURE_DATA(bad) *self, uint32_t op,
		    const struct uringblk_cmd *cmd)
{
	return ubt_uring_cmd(&self->ring, self->cfd, op, cmd, NULL);
}

/* --- cmd_op --------------------------------------------------------- */

TEST_F(bad, unknown_cmd_nr)
{
	/* Numbers outside the defined and the reserved (0x10-0x3f) ranges. */
	static const uint8_t nrs[] = { 0x00, 0x03, 0x0f, 0x40, 0x7f, 0xff };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(nrs); i++) {
		EXPECT_EQ(-ENOTTY, send_op(self, _IOWR(URINGBLK_IOC_MAGIC, nrs[i],
						      struct uringblk_cmd)))
			TH_LOG("nr 0x%02x", nrs[i]);
	}
}

TEST_F(bad, cmd_op_zero)
{
	EXPECT_EQ(-ENOTTY, send_op(self, 0));
}

TEST_F(bad, cmd_op_wrong_size)
{
	static const uint32_t sizes[] = { 0, 16, 64, 79, 81, 128, 256 };
	size_t i, c;

	for (c = 0; c < ARRAY_SIZE(cmds); c++)
		for (i = 0; i < ARRAY_SIZE(sizes); i++) {
			EXPECT_EQ(-ENOTTY, send_op(self, _IOC(_IOC_READ | _IOC_WRITE,
				URINGBLK_IOC_MAGIC, _IOC_NR(cmds[c].op), sizes[i])))
				TH_LOG("%s nr with size %u", cmds[c].name, sizes[i]);
		}
}

TEST_F(bad, cmd_op_wrong_direction)
{
	static const uint32_t dirs[] = { _IOC_NONE, _IOC_READ, _IOC_WRITE };
	size_t i, c;

	for (c = 0; c < ARRAY_SIZE(cmds); c++)
		for (i = 0; i < ARRAY_SIZE(dirs); i++) {
			EXPECT_EQ(-ENOTTY, send_op(self, _IOC(dirs[i],
				URINGBLK_IOC_MAGIC, _IOC_NR(cmds[c].op),
				sizeof(struct uringblk_cmd))))
				TH_LOG("%s nr with dir %u", cmds[c].name, dirs[i]);
		}
}

TEST_F(bad, cmd_op_wrong_magic)
{
	size_t c;

	/* ublk's magic, NVMe's, and none: the right nr and size are not enough. */
	for (c = 0; c < ARRAY_SIZE(cmds); c++) {
		EXPECT_EQ(-ENOTTY, send_op(self, _IOWR('u', _IOC_NR(cmds[c].op),
						      struct uringblk_cmd)));
		EXPECT_EQ(-ENOTTY, send_op(self, _IOWR('N', _IOC_NR(cmds[c].op),
						      struct uringblk_cmd)));
		EXPECT_EQ(-ENOTTY, send_op(self, _IOWR(0, _IOC_NR(cmds[c].op),
						      struct uringblk_cmd)));
	}
}

/* --- ABI version ---------------------------------------------------- */

TEST_F(bad, abi_major_wrong)
{
	static const uint16_t majors[] = { 0, URINGBLK_ABI_MAJOR + 1, 0xffff };
	struct uringblk_cmd cmd;
	size_t i, c;

	for (c = 0; c < ARRAY_SIZE(cmds); c++)
		for (i = 0; i < ARRAY_SIZE(majors); i++) {
			ubt_cmd_init(&cmd, self->buf, cmds[c].size);
			cmd.abi_major = majors[i];
			EXPECT_EQ(-EPROTO, send_cmd(self, cmds[c].op, &cmd))
				TH_LOG("%s abi_major %u", cmds[c].name, majors[i]);
		}
}

TEST_F(bad, abi_minor_any_accepted)
{
	static const uint16_t minors[] = { 0, URINGBLK_ABI_MINOR + 1, 0x7fff, 0xffff };
	struct uringblk_cmd cmd;
	size_t i, c;

	for (c = 0; c < ARRAY_SIZE(cmds); c++)
		for (i = 0; i < ARRAY_SIZE(minors); i++) {
			ubt_cmd_init(&cmd, self->buf, cmds[c].size);
			cmd.abi_minor = minors[i];
			EXPECT_EQ(cmds[c].size, send_cmd(self, cmds[c].op, &cmd))
				TH_LOG("%s abi_minor %u", cmds[c].name, minors[i]);
		}
	/* The driver reports its own minor, whatever the client sent. */
	ubt_cmd_init(&cmd, self->buf, sizeof(struct uringblk_identify));
	cmd.abi_minor = 0xffff;
	ASSERT_EQ(sizeof(struct uringblk_identify),
		  send_cmd(self, URINGBLK_CMD_IDENTIFY, &cmd));
	EXPECT_EQ(URINGBLK_ABI_MINOR,
		  ((struct uringblk_identify *)self->buf)->abi_minor);
}

/* --- reserved fields and flags -------------------------------------- */

TEST_F(bad, rsvd0_nonzero)
{
	static const uint32_t vals[] = { 1, 0x80, 0x80000000u, 0xffffffffu };
	struct uringblk_cmd cmd;
	size_t i, c;

	for (c = 0; c < ARRAY_SIZE(cmds); c++)
		for (i = 0; i < ARRAY_SIZE(vals); i++) {
			ubt_cmd_init(&cmd, self->buf, cmds[c].size);
			cmd.rsvd0 = vals[i];
			EXPECT_EQ(-EINVAL, send_cmd(self, cmds[c].op, &cmd))
				TH_LOG("%s rsvd0 0x%x", cmds[c].name, vals[i]);
		}
}

TEST_F(bad, cdw_nonzero)
{
	static const uint64_t vals[] = { 1, 1ULL << 32, 1ULL << 63 };
	struct uringblk_cmd cmd;
	size_t i, w, c;

	/* Neither command defines any cdw word. */
	for (c = 0; c < ARRAY_SIZE(cmds); c++)
		for (w = 0; w < ARRAY_SIZE(cmd.cdw); w++)
			for (i = 0; i < ARRAY_SIZE(vals); i++) {
				ubt_cmd_init(&cmd, self->buf, cmds[c].size);
				cmd.cdw[w] = vals[i];
				EXPECT_EQ(-EINVAL, send_cmd(self, cmds[c].op, &cmd))
					TH_LOG("%s cdw[%zu] = 0x%llx", cmds[c].name,
					       w, (unsigned long long)vals[i]);
			}
}

TEST_F(bad, identify_any_flag)
{
	struct uringblk_cmd cmd;
	int bit;

	/* IDENTIFY defines no flag at all: every bit is unknown. */
	for (bit = 0; bit < 32; bit++) {
		ubt_cmd_init(&cmd, self->buf, sizeof(struct uringblk_identify));
		cmd.flags = 1U << bit;
		EXPECT_EQ(-EINVAL, send_cmd(self, URINGBLK_CMD_IDENTIFY, &cmd))
			TH_LOG("flag bit %d", bit);
	}
}

TEST_F(bad, stats_unknown_flag)
{
	struct uringblk_cmd cmd;
	int bit;

	for (bit = 0; bit < 32; bit++) {
		/* F_LATENCY's unknown-flag cases are in cmd_latency. */
		if ((1U << bit) & (URINGBLK_STATS_F_RESET | URINGBLK_STATS_F_LATENCY))
			continue;
		ubt_cmd_init(&cmd, self->buf, sizeof(struct uringblk_stats));
		cmd.flags = 1U << bit;
		EXPECT_EQ(-EINVAL, send_cmd(self, URINGBLK_CMD_GET_STATS, &cmd))
			TH_LOG("flag bit %d", bit);
		/* A known bit does not excuse an unknown one. */
		cmd.flags |= URINGBLK_STATS_F_RESET;
		EXPECT_EQ(-EINVAL, send_cmd(self, URINGBLK_CMD_GET_STATS, &cmd))
			TH_LOG("flag bit %d with RESET", bit);
	}
}

/* --- reply buffer length -------------------------------------------- */

TEST_F(bad, len_zero)
{
	struct uringblk_cmd cmd;
	size_t c;

	for (c = 0; c < ARRAY_SIZE(cmds); c++) {
		ubt_cmd_init(&cmd, self->buf, 0);
		EXPECT_EQ(-EINVAL, send_cmd(self, cmds[c].op, &cmd)) TH_LOG("%s", cmds[c].name);
	}
}

TEST_F(bad, len_below_reply_size)
{
	struct uringblk_cmd cmd;
	size_t c, i;

	for (c = 0; c < ARRAY_SIZE(cmds); c++) {
		const uint32_t lens[] = { 1, 8, 64, cmds[c].min - 8, cmds[c].min - 1 };

		for (i = 0; i < ARRAY_SIZE(lens); i++) {
			memset(self->buf, 0xff, sizeof(self->buf));
			ubt_cmd_init(&cmd, self->buf, lens[i]);
			EXPECT_EQ(-EINVAL, send_cmd(self, cmds[c].op, &cmd))
				TH_LOG("%s len %u", cmds[c].name, lens[i]);
			/* A refused command writes nothing. */
			EXPECT_EQ(0xff, self->buf[0]);
		}
	}
}

TEST_F(bad, len_above_max)
{
	static const uint32_t lens[] = { URINGBLK_MAX_REPLY_LEN + 1,
		URINGBLK_MAX_REPLY_LEN + 512, 65536, 0x80000000u, 0xffffffc0u,
		0xffffffffu };
	struct uringblk_cmd cmd;
	size_t c, i;

	for (c = 0; c < ARRAY_SIZE(cmds); c++)
		for (i = 0; i < ARRAY_SIZE(lens); i++) {
			ubt_cmd_init(&cmd, self->buf, lens[i]);
			EXPECT_EQ(-E2BIG, send_cmd(self, cmds[c].op, &cmd))
				TH_LOG("%s len %u", cmds[c].name, lens[i]);
		}
}

/*
 * A buffer larger than the reply: res is the reply size, the reply is the
 * same as with an exact buffer, the rest up to len is zeroed and nothing
 * after len is touched.
 */
TEST_F(bad, len_larger_than_reply)
{
	static const uint8_t guard = 0xa5;
	struct uringblk_cmd cmd;
	uint8_t ref[1024];
	size_t c, i, j;

	for (c = 0; c < ARRAY_SIZE(cmds); c++) {
		const uint32_t lens[] = { cmds[c].size + 1, cmds[c].size + 8, 1000,
					  URINGBLK_MAX_REPLY_LEN };

		ASSERT_GE(sizeof(ref), cmds[c].size);
		ubt_cmd_init(&cmd, ref, cmds[c].size);
		ASSERT_EQ(cmds[c].size, send_cmd(self, cmds[c].op, &cmd));

		for (i = 0; i < ARRAY_SIZE(lens); i++) {
			uint32_t len = lens[i];

			memset(self->buf, 0xff, len);
			memset(self->buf + len, guard, sizeof(self->buf) - len);
			ubt_cmd_init(&cmd, self->buf, len);
			EXPECT_EQ(cmds[c].size, send_cmd(self, cmds[c].op, &cmd))
				TH_LOG("%s len %u", cmds[c].name, len);
			/*
			 * Stats carry a gauge (backing_bytes) that is stable while
			 * nothing writes: the whole reply must match.
			 */
			EXPECT_EQ(0, memcmp(ref, self->buf, cmds[c].size))
				TH_LOG("%s len %u: reply differs", cmds[c].name, len);
			for (j = cmds[c].size; j < len; j++)
				if (self->buf[j] != 0)
					break;
			EXPECT_EQ(len, j) TH_LOG("%s len %u: byte %zu of the tail "
						 "not zeroed (0x%02x)", cmds[c].name,
						 len, j, self->buf[j]);
			for (j = len; j < sizeof(self->buf); j++)
				if (self->buf[j] != guard)
					break;
			EXPECT_EQ(sizeof(self->buf), j)
				TH_LOG("%s len %u: wrote past len at %zu",
				       cmds[c].name, len, j);
		}
	}
}

/*
 * The published minimum of each struct reply (URINGBLK_*_SIZE_VER0) is
 * exactly where -EINVAL stops; the latency struct follows the same rules.
 */
TEST_F(bad, len_min_published)
{
	static const struct { uint32_t op, flags, ver0, size; } r[] = {
		{ URINGBLK_CMD_IDENTIFY, 0, URINGBLK_IDENTIFY_SIZE_VER0,
		  sizeof(struct uringblk_identify) },
		{ URINGBLK_CMD_GET_STATS, 0, URINGBLK_STATS_SIZE_VER0,
		  sizeof(struct uringblk_stats) },
		{ URINGBLK_CMD_GET_STATS, URINGBLK_STATS_F_LATENCY,
		  URINGBLK_LATENCY_STATS_SIZE_VER0,
		  sizeof(struct uringblk_latency_stats) },
	};
	struct uringblk_cmd cmd;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(r); i++) {
		EXPECT_LE(r[i].ver0, r[i].size);
		ubt_cmd_init(&cmd, self->buf, r[i].ver0 - 1);
		cmd.flags = r[i].flags;
		EXPECT_EQ(-EINVAL, send_cmd(self, r[i].op, &cmd)) TH_LOG("reply %zu", i);
		ubt_cmd_init(&cmd, self->buf, r[i].ver0);
		cmd.flags = r[i].flags;
		EXPECT_EQ(r[i].ver0, send_cmd(self, r[i].op, &cmd)) TH_LOG("reply %zu", i);
		ubt_cmd_init(&cmd, self->buf, URINGBLK_MAX_REPLY_LEN + 1);
		cmd.flags = r[i].flags;
		EXPECT_EQ(-E2BIG, send_cmd(self, r[i].op, &cmd)) TH_LOG("reply %zu", i);
	}
}

/* The two instructions of "r0 = 0; exit". */
static const uint64_t ret0_prog[] = { 0xb7, 0x95 };

static int prog_load(FIXTURE_DATA(bad) *self)
{
	struct uringblk_cmd cmd;

	ubt_cmd_init(&cmd, (void *)ret0_prog, sizeof(ret0_prog));
	return send_cmd(self, URINGBLK_CMD_PROG_LOAD, &cmd);
}

static int prog_unload(FIXTURE_DATA(bad) *self, uint32_t id)
{
	struct uringblk_cmd cmd;

	ubt_cmd_init(&cmd, NULL, 0);
	cmd.prog_unload.prog_id = id;
	return send_cmd(self, URINGBLK_CMD_PROG_UNLOAD, &cmd);
}

/*
 * PROG_LIST is an array reply: a non-zero multiple of the entry size for at
 * most URINGBLK_MAX_PROGS entries (5120 bytes, over URINGBLK_MAX_REPLY_LEN);
 * more is -E2BIG whatever its shape, checked first.
 */
TEST_F(bad, prog_list_len)
{
	const uint32_t isz = sizeof(struct uringblk_prog_info);
	const uint32_t max = URINGBLK_MAX_PROGS * isz;
	static const uint32_t e2big[] = { (URINGBLK_MAX_PROGS + 1) * 80,
		(URINGBLK_MAX_PROGS + 1) * 80 + 1, 65536, 0xffffffc0u, 0xffffffffu };
	static const uint32_t einval[] = { 0, 1, 79, 81, 159, 5119 };
	struct uringblk_cmd cmd;
	uint8_t *buf;
	size_t i;
	int id;

	ASSERT_EQ(80, isz);
	buf = malloc(max + 64);
	ASSERT_NE(NULL, buf);
	id = prog_load(self);
	ASSERT_LT(0, id);
	for (i = 0; i < ARRAY_SIZE(e2big); i++) {
		ubt_cmd_init(&cmd, buf, e2big[i]);
		EXPECT_EQ(-E2BIG, send_cmd(self, URINGBLK_CMD_PROG_LIST, &cmd))
			TH_LOG("len %u", e2big[i]);
	}
	for (i = 0; i < ARRAY_SIZE(einval); i++) {
		ubt_cmd_init(&cmd, buf, einval[i]);
		EXPECT_EQ(-EINVAL, send_cmd(self, URINGBLK_CMD_PROG_LIST, &cmd))
			TH_LOG("len %u", einval[i]);
	}
	/*
	 * The largest: every program fits, over URINGBLK_MAX_REPLY_LEN (the
	 * device-defined ones too, listed after, their ids being larger).
	 */
	ubt_cmd_init(&cmd, buf, max);
	EXPECT_EQ(1 + nr_dd(self), send_cmd(self, URINGBLK_CMD_PROG_LIST, &cmd));
	EXPECT_EQ((uint32_t)id, ((struct uringblk_prog_info *)buf)->id);
	EXPECT_EQ(0, prog_unload(self, id));
	free(buf);
}

/*
 * One rule at the gate for every command that takes no buffer (PROG_UNLOAD,
 * ZONE_MGMT): addr or len non-zero is -EINVAL, before the command's own
 * checks (ZONE_MGMT on this drive, which is not zoned, would otherwise be
 * -EOPNOTSUPP), and the command does nothing.
 */
TEST_F(bad, no_buffer_commands)
{
	static const struct { uint64_t addr; uint32_t len; } bufs[] = {
		{ 1, 0 }, { 0, 1 }, { 0x1000, 16 }, { ~0ULL, ~0U },
	};
	struct uringblk_cmd cmd;
	uint8_t list[80];
	size_t i;
	int id;

	id = prog_load(self);
	ASSERT_LT(0, id);
	for (i = 0; i < ARRAY_SIZE(bufs); i++) {
		ubt_cmd_init(&cmd, NULL, 0);
		cmd.addr = bufs[i].addr;
		cmd.len = bufs[i].len;
		cmd.prog_unload.prog_id = id;
		EXPECT_EQ(-EINVAL, send_cmd(self, URINGBLK_CMD_PROG_UNLOAD, &cmd))
			TH_LOG("PROG_UNLOAD addr 0x%llx len %u",
			       (unsigned long long)bufs[i].addr, bufs[i].len);
		ubt_cmd_init(&cmd, NULL, 0);
		cmd.addr = bufs[i].addr;
		cmd.len = bufs[i].len;
		cmd.zone_mgmt.action = URINGBLK_ZONE_ACTION_RESET;
		EXPECT_EQ(-EINVAL, send_cmd(self, URINGBLK_CMD_ZONE_MGMT, &cmd))
			TH_LOG("ZONE_MGMT addr 0x%llx len %u",
			       (unsigned long long)bufs[i].addr, bufs[i].len);
		ubt_cmd_init(&cmd, NULL, 0);
		cmd.addr = bufs[i].addr;
		cmd.len = bufs[i].len;
		cmd.range_set.rsid = 1;
		EXPECT_EQ(-EINVAL, send_cmd(self, URINGBLK_CMD_RANGE_SET_DELETE, &cmd))
			TH_LOG("RANGE_SET_DELETE addr 0x%llx len %u",
			       (unsigned long long)bufs[i].addr, bufs[i].len);
	}
	/* Still loaded: the refused unloads did nothing. */
	ubt_cmd_init(&cmd, list, sizeof(list));
	EXPECT_EQ(1, send_cmd(self, URINGBLK_CMD_PROG_LIST, &cmd));
	/* Without a buffer they go on to their own checks. */
	ubt_cmd_init(&cmd, NULL, 0);
	cmd.zone_mgmt.action = URINGBLK_ZONE_ACTION_RESET;
	EXPECT_EQ(-EOPNOTSUPP, send_cmd(self, URINGBLK_CMD_ZONE_MGMT, &cmd));
	EXPECT_EQ(0, prog_unload(self, id));
	EXPECT_EQ(-ENOENT, prog_unload(self, id));
}

/*
 * Every word past a command's named view must be zero, whatever the
 * command: the gate derives the words a command uses from its view in the
 * uAPI header, and refuses the rest with -EINVAL before the command's own
 * checks (so the zone commands answer -EINVAL, not -EOPNOTSUPP, on this
 * drive, which is not zoned).  The views' sizes come from the header, so
 * this checks the gate against the layout; the per-command tests pin the
 * layout against the documented word numbers.
 */
TEST_F(bad, cdw_past_view)
{
	static const uint64_t vals[] = { 1, 1ULL << 32, 1ULL << 63 };
	struct uringblk_cmd cmd;
	const struct {
		const char *name;
		uint32_t op;
		size_t view;	/* bytes of cdw[] the command's view covers */
		uint32_t len;	/* a buffer length its own checks would take */
	} views[] = {
		{ "PROG_LOAD", URINGBLK_CMD_PROG_LOAD, sizeof(cmd.prog_load),
		  sizeof(ret0_prog) },
		{ "PROG_UNLOAD", URINGBLK_CMD_PROG_UNLOAD, sizeof(cmd.prog_unload), 0 },
		{ "PROG_LIST", URINGBLK_CMD_PROG_LIST, sizeof(cmd.prog_list),
		  sizeof(struct uringblk_prog_info) },
		{ "EXEC", URINGBLK_CMD_EXEC, sizeof(cmd.exec),
		  sizeof(struct uringblk_exec_result) },
		{ "REPORT_ZONES", URINGBLK_CMD_REPORT_ZONES, sizeof(cmd.report_zones),
		  sizeof(struct uringblk_zone) },
		{ "ZONE_MGMT", URINGBLK_CMD_ZONE_MGMT, sizeof(cmd.zone_mgmt), 0 },
		{ "ZONE_APPEND", URINGBLK_CMD_ZONE_APPEND, sizeof(cmd.zone_append),
		  512 },
		{ "PROG_ACTIVATE", URINGBLK_CMD_PROG_ACTIVATE,
		  sizeof(cmd.prog_activate), 0 },
		{ "EXECUTE", URINGBLK_CMD_EXECUTE, sizeof(cmd.execute),
		  sizeof(struct uringblk_exec_result) },
		{ "MEM_READ", URINGBLK_CMD_MEM_READ, sizeof(cmd.mem_rw), 16 },
		{ "MEM_WRITE", URINGBLK_CMD_MEM_WRITE, sizeof(cmd.mem_rw), 16 },
		{ "MEM_COPY", URINGBLK_CMD_MEM_COPY, sizeof(cmd.mem_copy),
		  sizeof(struct uringblk_copy_range) },
		{ "RANGE_SET_CREATE", URINGBLK_CMD_RANGE_SET_CREATE, 0,
		  sizeof(struct uringblk_mem_range) },
		{ "RANGE_SET_DELETE", URINGBLK_CMD_RANGE_SET_DELETE,
		  sizeof(cmd.range_set), 0 },
	};
	size_t c, w, i;

	for (c = 0; c < ARRAY_SIZE(views); c++)
		for (w = (views[c].view + 7) / 8; w < ARRAY_SIZE(cmd.cdw); w++)
			for (i = 0; i < ARRAY_SIZE(vals); i++) {
				ubt_cmd_init(&cmd, views[c].len ? self->buf : NULL,
					     views[c].len);
				if (views[c].op == URINGBLK_CMD_PROG_LOAD)
					cmd.addr = (uintptr_t)ret0_prog;
				cmd.cdw[w] = vals[i];
				EXPECT_EQ(-EINVAL, send_cmd(self, views[c].op, &cmd))
					TH_LOG("%s cdw[%zu] = 0x%llx", views[c].name,
					       w, (unsigned long long)vals[i]);
			}
	/* Nothing got loaded: at most a device-defined program is listed. */
	ubt_cmd_init(&cmd, self->buf, sizeof(struct uringblk_prog_info));
	EXPECT_EQ(nr_dd(self) ? 1 : 0, send_cmd(self, URINGBLK_CMD_PROG_LIST, &cmd));
	if (nr_dd(self))
		EXPECT_TRUE(((struct uringblk_prog_info *)self->buf)->flags &
			    URINGBLK_PROG_INFO_F_DEVICE);
}

/* EXEC's reply: at least the result struct, at most it plus 1 MiB of output. */
TEST_F(bad, exec_reply_len)
{
	const uint32_t rsz = sizeof(struct uringblk_exec_result);
	struct uringblk_cmd cmd;

	/* No such program: the lengths are checked before the lookup. */
	ubt_cmd_init(&cmd, self->buf, rsz - 1);
	cmd.exec.prog_id = 12345;
	cmd.exec.lba_count = 1;
	EXPECT_EQ(-EINVAL, send_cmd(self, URINGBLK_CMD_EXEC, &cmd));
	cmd.len = rsz + URINGBLK_MAX_EXEC_OUT + 1;
	EXPECT_EQ(-E2BIG, send_cmd(self, URINGBLK_CMD_EXEC, &cmd));
	cmd.len = 0xffffffc0u;
	EXPECT_EQ(-E2BIG, send_cmd(self, URINGBLK_CMD_EXEC, &cmd));
	cmd.len = rsz;
	EXPECT_EQ(-ENOENT, send_cmd(self, URINGBLK_CMD_EXEC, &cmd));
}

/* --- reply buffer address ------------------------------------------- */

TEST_F(bad, addr_null)
{
	struct uringblk_cmd cmd;
	size_t c;

	for (c = 0; c < ARRAY_SIZE(cmds); c++) {
		ubt_cmd_init(&cmd, NULL, cmds[c].size);
		EXPECT_EQ(-EFAULT, send_cmd(self, cmds[c].op, &cmd)) TH_LOG("%s", cmds[c].name);
	}
}

TEST_F(bad, addr_unmapped)
{
	struct uringblk_cmd cmd;
	size_t c;
	void *p;

	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, munmap(p, 4096));
	for (c = 0; c < ARRAY_SIZE(cmds); c++) {
		ubt_cmd_init(&cmd, p, cmds[c].size);
		EXPECT_EQ(-EFAULT, send_cmd(self, cmds[c].op, &cmd)) TH_LOG("%s", cmds[c].name);
	}
}

TEST_F(bad, addr_kernel)
{
	struct uringblk_cmd cmd;
	size_t c;

	for (c = 0; c < ARRAY_SIZE(cmds); c++) {
		ubt_cmd_init(&cmd, NULL, cmds[c].size);
		cmd.addr = 0xffffffff81000000ULL;	/* kernel text */
		EXPECT_EQ(-EFAULT, send_cmd(self, cmds[c].op, &cmd)) TH_LOG("%s", cmds[c].name);
		cmd.addr = 0x8000000000000000ULL;	/* non-canonical */
		EXPECT_EQ(-EFAULT, send_cmd(self, cmds[c].op, &cmd)) TH_LOG("%s", cmds[c].name);
	}
}

TEST_F(bad, addr_readonly)
{
	struct uringblk_cmd cmd;
	size_t c;
	uint8_t *p;

	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	memset(p, 0x5a, 4096);
	ASSERT_EQ(0, mprotect(p, 4096, PROT_READ));
	for (c = 0; c < ARRAY_SIZE(cmds); c++) {
		ubt_cmd_init(&cmd, p, cmds[c].size);
		EXPECT_EQ(-EFAULT, send_cmd(self, cmds[c].op, &cmd)) TH_LOG("%s", cmds[c].name);
		EXPECT_EQ(0x5a, p[0]);
	}
	munmap(p, 4096);
}

/*
 * The reply fits in the mapped page but len reaches into an unmapped one:
 * zero-filling the tail faults, and the command must say so.
 */
TEST_F(bad, addr_tail_unmapped)
{
	struct uringblk_cmd cmd;
	size_t c;
	uint8_t *p;

	p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, munmap(p + 4096, 4096));
	for (c = 0; c < ARRAY_SIZE(cmds); c++) {
		/* Exactly the reply, ending at the page end: fine. */
		ubt_cmd_init(&cmd, p + 4096 - cmds[c].size, cmds[c].size);
		EXPECT_EQ(cmds[c].size, send_cmd(self, cmds[c].op, &cmd))
			TH_LOG("%s at the end of a mapping", cmds[c].name);
		/* One byte more crosses into the hole. */
		cmd.len = cmds[c].size + 1;
		EXPECT_EQ(-EFAULT, send_cmd(self, cmds[c].op, &cmd))
			TH_LOG("%s tail in a hole", cmds[c].name);
		/* Reply itself straddling the hole. */
		ubt_cmd_init(&cmd, p + 4096 - cmds[c].size / 2, cmds[c].size);
		EXPECT_EQ(-EFAULT, send_cmd(self, cmds[c].op, &cmd))
			TH_LOG("%s reply straddling a hole", cmds[c].name);
	}
	munmap(p, 4096);
}

/* --- ring setup ----------------------------------------------------- */

TEST_F(bad, ring_without_sqe128)
{
	static const unsigned int flags[] = { 0, IORING_SETUP_CQE32 };
	struct uringblk_cmd cmd;
	struct io_uring ring;
	size_t i, c;

	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		ASSERT_EQ(0, io_uring_queue_init(4, &ring, flags[i]));
		for (c = 0; c < ARRAY_SIZE(cmds); c++) {
			ubt_cmd_init(&cmd, self->buf, cmds[c].size);
			EXPECT_EQ(-EOPNOTSUPP, ubt_uring_cmd(&ring, self->cfd,
							     cmds[c].op, &cmd, NULL))
				TH_LOG("%s, ring flags 0x%x", cmds[c].name, flags[i]);
		}
		io_uring_queue_exit(&ring);
	}
}

TEST_F(bad, ring_iopoll)
{
	struct uringblk_cmd cmd;
	struct io_uring ring;
	size_t c;

	ASSERT_EQ(0, ubt_ring_init(&ring, IORING_SETUP_IOPOLL));
	for (c = 0; c < ARRAY_SIZE(cmds); c++) {
		ubt_cmd_init(&cmd, self->buf, cmds[c].size);
		EXPECT_EQ(-EOPNOTSUPP, ubt_uring_cmd(&ring, self->cfd, cmds[c].op,
						     &cmd, NULL))
			TH_LOG("%s", cmds[c].name);
	}
	io_uring_queue_exit(&ring);
}

/*
 * The drive's commands are not the block device's: 6.1's block devices
 * have no uring_cmd hook (io_uring answers -EOPNOTSUPP); 6.12's have the
 * block layer's own (blkdev_uring_cmd(), BLOCK_URING_CMD_DISCARD), which
 * answers an opcode it does not know with -EINVAL.  Either way the kernel
 * answers, not the drive.
 */
TEST_F(bad, uring_cmd_on_block_device)
{
	struct uringblk_identify id;
	int bfd, res;

	bfd = ubt_open_blk(0, O_RDWR);
	ASSERT_LE(0, bfd);
	res = ubt_identify(&self->ring, bfd, &id);
	close(bfd);
	EXPECT_TRUE(res == -EOPNOTSUPP || res == -EINVAL) TH_LOG("res %d", res);
}

/* --- privileges ----------------------------------------------------- */

static int drop_cap_sys_admin(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	int i = CAP_TO_INDEX(CAP_SYS_ADMIN);

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	data[i].effective &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
	data[i].permitted &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
	data[i].inheritable &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
	if (syscall(SYS_capset, &hdr, data))
		return -errno;
	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	return (data[i].effective & CAP_TO_MASK(CAP_SYS_ADMIN)) ? -EPERM : 0;
}

/*
 * GET_STATS with RESET from a task without CAP_SYS_ADMIN: -EPERM and the
 * counters survive; a plain GET_STATS still works for that task.
 */
TEST_F(bad, stats_reset_needs_cap_sys_admin)
{
	struct uringblk_stats before, after;
	int results[3], pipefd[2], status, bfd;
	char sector[4096] __attribute__((aligned(4096)));
	pid_t pid;

	/* Make sure there is something to lose. */
	bfd = ubt_open_blk(0, O_RDONLY | O_DIRECT);
	ASSERT_LE(0, bfd);
	ASSERT_EQ(4096, pread(bfd, sector, 4096, 0));
	close(bfd);
	ASSERT_EQ(sizeof(before), ubt_get_stats(&self->ring, self->cfd, &before, 0));
	ASSERT_LT(0, before.read_ops);

	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct uringblk_stats st;
		struct io_uring ring;
		int fd;

		close(pipefd[0]);
		results[0] = drop_cap_sys_admin();
		/* Ring and file created without the capability. */
		fd = ubt_open_cdev(0, O_RDWR);
		if (fd < 0 || ubt_ring_init(&ring, 0))
			_exit(2);
		results[1] = ubt_get_stats(&ring, fd, &st, URINGBLK_STATS_F_RESET);
		results[2] = ubt_get_stats(&ring, fd, &st, 0);
		if (write(pipefd[1], results, sizeof(results)) != sizeof(results))
			_exit(3);
		_exit(0);
	}
	close(pipefd[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ASSERT_EQ(sizeof(results), read(pipefd[0], results, sizeof(results)));
	close(pipefd[0]);

	ASSERT_EQ(0, results[0]) TH_LOG("could not drop CAP_SYS_ADMIN: %s",
					 strerror(-results[0]));
	EXPECT_EQ(-EPERM, results[1]);
	EXPECT_EQ(sizeof(struct uringblk_stats), results[2]);
	ASSERT_EQ(sizeof(after), ubt_get_stats(&self->ring, self->cfd, &after, 0));
	EXPECT_EQ(before.read_ops, after.read_ops) TH_LOG("counters were reset");
	EXPECT_EQ(before.read_bytes, after.read_bytes);
}

/* --- module and device lifetime ------------------------------------ */

/* Open files pin the module: delete_module(2) says EWOULDBLOCK. */
TEST_F(bad, rmmod_while_open)
{
	int bfd;

	if (!ubt_ko_path())
		SKIP(return, "URINGBLK_KO not set: would not be able to reload");
	/* self->cfd (the command device) is open. */
	EXPECT_EQ(-1, syscall(SYS_delete_module, "uringblk", O_NONBLOCK));
	EXPECT_EQ(EWOULDBLOCK, errno);
	EXPECT_TRUE(ubt_module_loaded());

	close(self->cfd);
	bfd = ubt_open_blk(0, O_RDONLY);
	ASSERT_LE(0, bfd);
	EXPECT_EQ(-1, syscall(SYS_delete_module, "uringblk", O_NONBLOCK));
	EXPECT_EQ(EWOULDBLOCK, errno);
	EXPECT_TRUE(ubt_module_loaded());
	close(bfd);
	self->cfd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, self->cfd);
}

/*
 * A command on an open command device whose drive is being removed gets
 * -ENODEV and nothing crashes.  Runtime removal needs the configfs
 * interface (/sys/kernel/config/uringblk/<name>/power); without it the
 * test skips.
 */
#define CFG_ROOT	"/sys/kernel/config/uringblk"
#define CFG_DEV		CFG_ROOT "/selftest_removed"

static int find_new_cdev(const bool *before)
{
	char path[64];
	int i;

	for (i = 0; i < 64; i++) {
		snprintf(path, sizeof(path), "/dev/uringblkc%d", i);
		if (!before[i] && access(path, F_OK) == 0)
			return i;
	}
	return -1;
}

TEST_F(bad, command_on_removed_device)
{
	struct uringblk_identify id;
	struct uringblk_stats st;
	bool before[64];
	char path[64];
	uint64_t idx;
	int fd, i, n;

	if (access("/sys/kernel/config", F_OK) == 0 &&
	    access(CFG_ROOT, F_OK) != 0)
		mount("configfs", "/sys/kernel/config", "configfs", 0, NULL);
	if (access(CFG_ROOT, F_OK) != 0)
		SKIP(return, "no runtime device removal: %s does not exist", CFG_ROOT);

	rmdir(CFG_DEV);
	ASSERT_EQ(0, mkdir(CFG_DEV, 0755)) TH_LOG("mkdir %s: %m", CFG_DEV);
	if (access(CFG_DEV "/power", F_OK) != 0) {
		rmdir(CFG_DEV);
		SKIP(return, "%s has no 'power' attribute", CFG_DEV);
	}
	for (i = 0; i < 64; i++) {
		snprintf(path, sizeof(path), "/dev/uringblkc%d", i);
		before[i] = access(path, F_OK) == 0;
	}
	ASSERT_EQ(0, ubt_write_str(CFG_DEV "/power", "1"));
	if (ubt_read_u64(CFG_DEV "/index", &idx) == 0) {
		n = idx;
		snprintf(path, sizeof(path), "/dev/uringblkc%d", n);
		ASSERT_EQ(0, ubt_wait_path(path, 5000));
	} else {
		for (i = 0, n = -1; i < 500 && n < 0; i++, usleep(10000))
			n = find_new_cdev(before);
	}
	ASSERT_LE(0, n) TH_LOG("no new /dev/uringblkcN after power=1");

	fd = ubt_open_cdev(n, O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(sizeof(id), ubt_identify(&self->ring, fd, &id));
	EXPECT_EQ(n, id.dev_index);

	EXPECT_EQ(0, ubt_write_str(CFG_DEV "/power", "0"));
	EXPECT_EQ(-ENODEV, ubt_identify(&self->ring, fd, &id));
	EXPECT_EQ(-ENODEV, ubt_get_stats(&self->ring, fd, &st, 0));
	EXPECT_EQ(-ENODEV, ubt_get_stats(&self->ring, fd, &st, URINGBLK_STATS_F_RESET));

	/*
	 * Power on again (most likely with the same index): the old file
	 * still belongs to the removed drive, a new open gets the new one.
	 */
	if (ubt_write_str(CFG_DEV "/power", "1") == 0) {
		int fd2 = -1;

		if (ubt_read_u64(CFG_DEV "/index", &idx) == 0) {
			snprintf(path, sizeof(path), "/dev/uringblkc%d", (int)idx);
			if (ubt_wait_path(path, 5000) == 0)
				fd2 = ubt_open_cdev(idx, O_RDWR);
		}
		EXPECT_LE(0, fd2) TH_LOG("no command device after power=1 again");
		EXPECT_EQ(-ENODEV, ubt_identify(&self->ring, fd, &id));
		if (fd2 >= 0) {
			EXPECT_EQ(sizeof(id), ubt_identify(&self->ring, fd2, &id));
			EXPECT_EQ(idx, id.dev_index);
			EXPECT_EQ(0, ubt_write_str(CFG_DEV "/power", "0"));
			EXPECT_EQ(-ENODEV, ubt_identify(&self->ring, fd2, &id));
			close(fd2);
		}
	}
	EXPECT_EQ(0, rmdir(CFG_DEV)) TH_LOG("rmdir: %m");
	EXPECT_EQ(-ENODEV, ubt_identify(&self->ring, fd, &id));
	close(fd);
}

TEST_HARNESS_MAIN
