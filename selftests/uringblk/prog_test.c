// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the program kselftests; see prog_test.h.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "liburingblk.h"	/* uringblk_prog_read_obj() */
#include "prog_test.h"

const struct bpf_insn ubp_count_loop[5] = {
	BPF_MOV64_IMM(0, 0),
	BPF_LDX_MEM(BPF_DW, 6, 1, UBP_CTX(args[0])),
	BPF_ALU64_IMM(BPF_ADD, 0, 1),
	BPF_JMP_REG(BPF_JLT, 0, 6, -2),
	BPF_EXIT_INSN(),
};

const struct bpf_insn ubp_ret_arg[2] = {
	BPF_LDX_MEM(BPF_DW, 0, 1, UBP_CTX(args[0])),
	BPF_EXIT_INSN(),
};

int ubp_load(struct io_uring *ring, int fd, const struct bpf_insn *insns,
	     size_t cnt, const char *name, char *log, size_t log_len)
{
	return ubp_load_slot(ring, fd, insns, cnt, name, 0, log, log_len);
}

int ubp_load_slot(struct io_uring *ring, int fd, const struct bpf_insn *insns,
		  size_t cnt, const char *name, uint64_t pind, char *log,
		  size_t log_len)
{
	struct uringblk_cmd cmd;

	ubt_cmd_init(&cmd, (void *)insns, cnt * sizeof(*insns));
	cmd.prog_load.log_addr = (uintptr_t)log;
	cmd.prog_load.log_len = log ? log_len : 0;
	if (log && log_len)
		log[0] = '\0';
	if (name)	/* NUL-padded by ubt_cmd_init(), need not be terminated */
		memcpy(cmd.prog_load.name, name,
		       strnlen(name, URINGBLK_PROG_NAME_LEN));
	cmd.prog_load.pind = pind;
	return ubt_uring_cmd(ring, fd, URINGBLK_CMD_PROG_LOAD, &cmd, NULL);
}

int ubp_load_image(struct io_uring *ring, int fd,
		   const struct uringblk_prog_image *img, const char *name,
		   char *log, size_t log_len)
{
	struct uringblk_cmd cmd;

	ubt_cmd_init(&cmd, (void *)img, sizeof(*img));
	cmd.flags = URINGBLK_PROG_LOAD_F_IMAGE;
	cmd.prog_load.log_addr = (uintptr_t)log;
	cmd.prog_load.log_len = log ? log_len : 0;
	if (log && log_len)
		log[0] = '\0';
	if (name)
		memcpy(cmd.prog_load.name, name,
		       strnlen(name, URINGBLK_PROG_NAME_LEN));
	return ubt_uring_cmd(ring, fd, URINGBLK_CMD_PROG_LOAD, &cmd, NULL);
}

int ubp_load_obj_prog(struct io_uring *ring, int fd, const char *obj,
		      const char *prog, char *log, size_t log_len)
{
	struct uringblk_prog_image img;
	struct uringblk_prog_obj po;
	char path[512], err[256];
	int ret;

	ubp_obj_path(obj, path, sizeof(path));
	ret = uringblk_prog_read_obj(path, prog, &po, err, sizeof(err));
	if (ret) {
		if (log && log_len)
			snprintf(log, log_len, "%s: %s", path, err);
		return ret;
	}
	/* as liburingblk does: F_IMAGE only with global data */
	if (po.rodata_len || po.data_len || po.bss_len) {
		uringblk_prog_obj_image(&po, &img);
		ret = ubp_load_image(ring, fd, &img, prog ? prog : obj, log,
				     log_len);
	} else {
		ret = ubp_load(ring, fd, po.insns, po.insn_cnt,
			       prog ? prog : obj, log, log_len);
	}
	uringblk_prog_obj_free(&po);
	return ret;
}

int ubp_load_obj(struct io_uring *ring, int fd, const char *obj, char *log,
		 size_t log_len)
{
	return ubp_load_obj_prog(ring, fd, obj, NULL, log, log_len);
}

int ubp_unload(struct io_uring *ring, int fd, uint32_t id)
{
	struct uringblk_cmd cmd;

	ubt_cmd_init(&cmd, NULL, 0);
	cmd.prog_unload.prog_id = id;
	return ubt_uring_cmd(ring, fd, URINGBLK_CMD_PROG_UNLOAD, &cmd, NULL);
}

int ubp_list(struct io_uring *ring, int fd, uint32_t after,
	     struct uringblk_prog_info *info, uint32_t n)
{
	struct uringblk_cmd cmd;

	ubt_cmd_init(&cmd, info, n * sizeof(*info));
	cmd.prog_list.after_id = after;
	return ubt_uring_cmd(ring, fd, URINGBLK_CMD_PROG_LIST, &cmd, NULL);
}

int ubp_activate(struct io_uring *ring, int fd, uint32_t pind, int action)
{
	struct uringblk_cmd cmd;

	ubt_cmd_init(&cmd, NULL, 0);
	cmd.prog_activate.pind = pind;
	cmd.prog_activate.action = action;
	return ubt_uring_cmd(ring, fd, URINGBLK_CMD_PROG_ACTIVATE, &cmd, NULL);
}

/*
 * A deactivation or unload that the drive answers -EBUSY (Program In Use)
 * while runs of the program are in flight: as the uAPI says, wait for them
 * and try again.  A run outlives the process that submitted it: when that
 * process is killed, waitpid() returns before the drive has stopped the
 * run (at its next reschedule point) and posted its completion from
 * io_uring's exit work, so a teardown right after a kill sees -EBUSY for a
 * moment.  Ignoring it left the program in its slot, and a drive that
 * holds a kernel-BPF program keeps the module loaded: every later test
 * that reloads the module failed.  Up to UBP_BUSY_WAIT_MS, then -EBUSY.
 */
#define UBP_BUSY_WAIT_MS	10000

static int ubp_retry_busy(struct io_uring *ring, int fd, uint32_t id,
			  uint32_t pind, bool unload)
{
	double end = ubp_now() + UBP_BUSY_WAIT_MS / 1000.0;
	int ret;

	for (;;) {
		ret = unload ? ubp_unload(ring, fd, id) :
			       ubp_activate(ring, fd, pind,
					    URINGBLK_PROG_ACT_DEACTIVATE);
		if (ret != -EBUSY || ubp_now() > end)
			return ret;
		usleep(10000);
	}
}

/*
 * Unload every downloaded program, deactivating it first; device-defined
 * ones stay (they cannot be unloaded) and are activated again, as at
 * drive creation.  Runs still in flight are waited for (above).
 * Return: the number unloaded, or the first error (-EBUSY: a run did not
 * end within UBP_BUSY_WAIT_MS); a caller's teardown must check it.
 */
int ubp_unload_all(struct io_uring *ring, int fd)
{
	struct uringblk_prog_info info[URINGBLK_MAX_PROGS];
	uint32_t after = 0;
	int n, i, ret, total = 0;

	for (;;) {
		n = ubp_list(ring, fd, after, info, URINGBLK_MAX_PROGS);
		if (n <= 0)
			return n < 0 ? n : total;
		for (i = 0; i < n; i++) {
			after = info[i].id;
			if (info[i].flags & URINGBLK_PROG_INFO_F_DEVICE) {
				ret = ubp_activate(ring, fd, info[i].pind,
						   URINGBLK_PROG_ACT_ACTIVATE);
				if (ret && ret != -EDQUOT)
					return ret;
				continue;
			}
			if (info[i].flags & URINGBLK_PROG_INFO_F_ACTIVE) {
				ret = ubp_retry_busy(ring, fd, 0, info[i].pind,
						     false);
				if (ret)
					return ret;
			}
			ret = ubp_retry_busy(ring, fd, info[i].id, 0, true);
			if (ret)
				return ret;
			total++;
		}
	}
}

void ubp_exec_cmd(struct uringblk_cmd *cmd, const struct ubp_exec *e,
		  void *reply, uint32_t reply_len)
{
	ubt_cmd_init(cmd, reply, reply_len);
	cmd->exec.prog_id = e->prog;
	cmd->exec.lba_start = e->lba;
	cmd->exec.lba_count = e->count;
	cmd->exec.insn_budget = e->budget;
	cmd->exec.args[0] = e->args[0];
	cmd->exec.args[1] = e->args[1];
	cmd->exec.args[2] = e->args[2];
}

int ubp_exec(struct io_uring *ring, int fd, const struct ubp_exec *e,
	     void *reply, uint32_t reply_len, uint64_t *res2)
{
	struct uringblk_cmd cmd;

	ubp_exec_cmd(&cmd, e, reply, reply_len);
	return ubt_uring_cmd(ring, fd, URINGBLK_CMD_EXEC, &cmd, res2);
}

int ubp_prep_exec(struct io_uring *ring, int fd, const struct ubp_exec *e,
		  void *reply, uint32_t reply_len, uint64_t user_data)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct uringblk_cmd cmd;

	if (!sqe)
		return -EBUSY;
	/* A 128-byte SQE: liburing's helpers would clear only 64 bytes. */
	memset(sqe, 0, 128);
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = fd;
	sqe->cmd_op = URINGBLK_CMD_EXEC;
	sqe->user_data = user_data;
	ubp_exec_cmd(&cmd, e, reply, reply_len);
	memcpy(sqe->cmd, &cmd, sizeof(cmd));
	return 0;
}

void ubp_execute_cmd(struct uringblk_cmd *cmd, const struct ubp_execute *e,
		     void *reply, uint32_t reply_len)
{
	ubt_cmd_init(cmd, reply, reply_len);
	cmd->execute.pind = e->pind;
	cmd->execute.rsid = e->rsid;
	cmd->execute.insn_budget = e->budget;
	cmd->execute.cparam[0] = e->args[0];
	cmd->execute.cparam[1] = e->args[1];
	cmd->execute.arg2 = e->args[2];
}

int ubp_execute(struct io_uring *ring, int fd, const struct ubp_execute *e,
		void *reply, uint32_t reply_len, uint64_t *res2)
{
	struct uringblk_cmd cmd;

	ubp_execute_cmd(&cmd, e, reply, reply_len);
	return ubt_uring_cmd(ring, fd, URINGBLK_CMD_EXECUTE, &cmd, res2);
}

int ubp_prep_cmd(struct io_uring *ring, int fd, uint32_t cmd_op,
		 const struct uringblk_cmd *cmd, uint64_t user_data,
		 uint8_t sqe_flags)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		return -EBUSY;
	memset(sqe, 0, 128);
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = fd;
	sqe->cmd_op = cmd_op;
	sqe->user_data = user_data;
	sqe->flags = sqe_flags;
	memcpy(sqe->cmd, cmd, sizeof(*cmd));
	return 0;
}

int ubp_mem_rw(struct io_uring *ring, int fd, uint32_t cmd_op, uint64_t off,
	       void *buf, uint32_t len)
{
	struct uringblk_cmd cmd;

	ubt_cmd_init(&cmd, buf, len);
	cmd.mem_rw.slm_off = off;
	return ubt_uring_cmd(ring, fd, cmd_op, &cmd, NULL);
}

int ubp_rset_create(struct io_uring *ring, int fd,
		    const struct uringblk_mem_range *r, uint32_t n)
{
	struct uringblk_cmd cmd;

	ubt_cmd_init(&cmd, (void *)r, n * sizeof(*r));
	return ubt_uring_cmd(ring, fd, URINGBLK_CMD_RANGE_SET_CREATE, &cmd, NULL);
}

int ubp_rset_delete(struct io_uring *ring, int fd, uint32_t rsid)
{
	struct uringblk_cmd cmd;

	ubt_cmd_init(&cmd, NULL, 0);
	cmd.range_set.rsid = rsid;
	return ubt_uring_cmd(ring, fd, URINGBLK_CMD_RANGE_SET_DELETE, &cmd, NULL);
}

uint64_t ubp_calibrate_loop(struct io_uring *ring, int fd, uint32_t id, double secs)
{
	struct ubp_exec e = { .prog = id, .lba = 0, .count = 1 };
	uint8_t reply[UBP_RES_SIZE];
	uint64_t n = 100000, want;
	double t;

	for (;;) {
		e.args[0] = n;
		t = ubp_now();
		if (ubp_exec(ring, fd, &e, reply, sizeof(reply), NULL) != (int)n)
			return 0;
		t = ubp_now() - t;
		if (t > 0.05 || n >= (1ULL << 28))
			break;
		n *= 4;
	}
	want = n * (secs / t);
	/* inside a default budget (2 units a lap), and r0 fits cqe->res */
	return want > (1ULL << 28) ? 1ULL << 28 : want < 1000 ? 1000 : want;
}

/* --- objects ------------------------------------------------------------- */

void ubp_obj_path(const char *name, char *buf, size_t len)
{
	char exe[512];
	ssize_t n;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		n = 0;
	exe[n] = '\0';
	snprintf(buf, len, "%s/progs/%s.bpf.o", n ? dirname(exe) : ".", name);
}

/* --- misc ---------------------------------------------------------------- */

int ubp_counter(int idx, const char *name, uint64_t *val)
{
	char rel[128];

	snprintf(rel, sizeof(rel), "uringblk/%s", name);
	return ubt_blk_attr_u64(idx, rel, val);
}

int ubp_wait_counter(int idx, const char *name, uint64_t want, double secs,
		     uint64_t *val)
{
	double t0 = ubp_now();
	int ret;

	for (;;) {
		ret = ubp_counter(idx, name, val);
		if (ret || *val >= want)
			return ret;
		if (ubp_now() - t0 >= secs)
			return -ETIME;
		usleep(5000);
	}
}

double ubp_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int ubp_drop_cap_sys_admin(void)
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

int ubp_module_unload_wait(int timeout_ms)
{
	double end = ubp_now() + timeout_ms / 1000.0;
	int ret;

	for (;;) {
		if (!ubt_module_loaded())
			return 0;
		if (syscall(SYS_delete_module, "uringblk", O_NONBLOCK) == 0) {
			/* The C helpers' parameter marker is stale now. */
			unlink("/tmp/uringblk-selftest.params");
			return 0;
		}
		ret = -errno;
		if ((ret != -EWOULDBLOCK && ret != -EBUSY) || ubp_now() > end)
			return ret;
		usleep(20000);
	}
}

bool ubp_heap_init_on_alloc(void)
{
	int len = klogctl(10, NULL, 0);		/* SYSLOG_ACTION_SIZE_BUFFER */
	bool on = false;
	char *buf;

	if (len <= 0)
		return false;
	buf = malloc(len + 1);
	if (!buf)
		return false;
	len = klogctl(3, buf, len);		/* SYSLOG_ACTION_READ_ALL */
	if (len > 0) {
		buf[len] = '\0';
		on = strstr(buf, "heap alloc:on") != NULL;
	}
	free(buf);
	return on;
}

void ubp_random(void *buf, size_t len, uint64_t seed)
{
	uint64_t x = seed * 0x9e3779b97f4a7c15ULL + 1, v;
	uint8_t *p = buf;
	size_t i;

	for (i = 0; i < len; i += 8) {
		x ^= x >> 12;
		x ^= x << 25;
		x ^= x >> 27;
		v = x * 0x2545f4914f6cdd1dULL;
		memcpy(p + i, &v, len - i < 8 ? len - i : 8);
	}
}

/* --- what the bpf/ programs compute, in C ---------------------------------- */

/* occurrences of pat lying wholly in d[0, len), overlapping ones included */
uint64_t ubp_ref_count(const uint8_t *d, uint64_t len, const void *pat,
		       size_t m)
{
	const uint8_t *p = d, *end = d + len, *hit;
	uint64_t n = 0;

	while (p < end && (hit = memmem(p, end - p, pat, m))) {
		n++;
		p = hit + 1;
	}
	return n;
}

/*
 * grep.bpf.c: up to cap offsets; *more when one more follows.  *scanned
 * gets the bytes its uringblk_find() calls examine: from where each search
 * starts to the end of the match it finds, or to the end of the range.
 */
uint64_t ubp_ref_grep(const uint8_t *d, uint64_t len, const void *pat,
		      size_t m, uint64_t *offs, uint64_t cap, int *more,
		      uint64_t *scanned)
{
	uint64_t n = 0, off = 0, at;
	const uint8_t *hit;

	*more = 0;
	*scanned = 0;
	while (off < len) {
		hit = memmem(d + off, len - off, pat, m);
		if (!hit) {
			*scanned += len - off;
			break;
		}
		at = hit - d;
		*scanned += at + m - off;
		if (n == cap) {
			*more = 1;
			break;
		}
		offs[n++] = at;
		off = at + 1;
	}
	return n;
}

uint64_t ubp_ref_hist(const uint8_t *d, uint64_t len, uint64_t *h)
{
	uint64_t i, distinct = 0;
	int b;

	memset(h, 0, 256 * sizeof(*h));
	for (i = 0; i < len; i++)
		h[d[i]]++;
	for (b = 0; b < 256; b++)
		distinct += h[b] != 0;
	return distinct;
}

uint64_t ubp_ref_sum32(const uint8_t *d, uint64_t len)
{
	uint64_t i, sum = 0;
	uint32_t w;

	for (i = 0; i + 4 <= len; i += 4) {
		memcpy(&w, d + i, 4);
		sum += le32toh(w);
	}
	return sum;
}

/* zlib's CRC-32: reflected 0x04c11db7, init and final xor all ones */
uint32_t ubp_ref_crc32(const uint8_t *d, uint64_t len)
{
	uint32_t crc = 0xffffffffU;
	uint64_t i;
	int k;

	for (i = 0; i < len; i++) {
		crc ^= d[i];
		for (k = 0; k < 8; k++)
			crc = crc & 1 ? (crc >> 1) ^ 0xedb88320U : crc >> 1;
	}
	return crc ^ 0xffffffffU;
}

uint64_t ubp_ref_records(const uint8_t *d, uint64_t len, uint64_t rec,
			 uint64_t foff, uint64_t width, uint64_t *nrec)
{
	uint64_t i, k, v, sum = 0;

	*nrec = len / rec;
	for (i = 0; i < *nrec; i++) {
		v = 0;
		for (k = width; k > 0; k--)
			v = v << 8 | d[i * rec + foff + k - 1];
		sum += v;
	}
	return sum;
}

/* The pattern packing of count_pattern.bpf.c and grep.bpf.c. */
void ubp_pattern_args(struct ubp_exec *e, const char *pat, size_t m)
{
	char buf[16] = { 0 };

	memcpy(buf, pat, m);
	memcpy(&e->args[0], buf, 8);
	memcpy(&e->args[1], buf + 8, 8);
	e->args[2] = m;
}
