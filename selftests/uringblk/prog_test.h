/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the program kselftests (prog_hostile_*, prog_correct,
 * prog_concurrency); prefix ubp_ ("uringblk program test").  They sit on
 * top of uringblk_test.h and, like those, return 0 / a value or a negative
 * errno and never abort, so the tests decide what a failure is.
 *
 * Programs come either as raw instruction arrays written with the macros
 * below (the kernel's filter.h names, which the uAPI <linux/bpf.h> lacks)
 * or as clang-built objects: the suite Makefile compiles every
 * bpf/<name>.bpf.c of the repository into <test dir>/progs/<name>.bpf.o
 * and ubp_load_obj() reads one with liburingblk's loader
 * (uringblk_prog_read_obj(), lib/progfile.c, tested in tests/lib).
 */
#ifndef URINGBLK_PROG_TEST_H
#define URINGBLK_PROG_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>

#include "uringblk_test.h"

/* --- instructions ------------------------------------------------------ */

#define BPF_RAW_INSN(CODE, DST, SRC, OFF, IMM)				\
	((struct bpf_insn){ .code = (CODE), .dst_reg = (DST),		\
			    .src_reg = (SRC), .off = (OFF), .imm = (IMM) })
#define BPF_MOV64_IMM(DST, IMM)						\
	BPF_RAW_INSN(BPF_ALU64 | BPF_MOV | BPF_K, DST, 0, 0, IMM)
#define BPF_MOV64_REG(DST, SRC)						\
	BPF_RAW_INSN(BPF_ALU64 | BPF_MOV | BPF_X, DST, SRC, 0, 0)
#define BPF_ALU64_IMM(OP, DST, IMM)					\
	BPF_RAW_INSN(BPF_ALU64 | BPF_OP(OP) | BPF_K, DST, 0, 0, IMM)
#define BPF_ALU64_REG(OP, DST, SRC)					\
	BPF_RAW_INSN(BPF_ALU64 | BPF_OP(OP) | BPF_X, DST, SRC, 0, 0)
/* Two slots: use inside an initializer list. */
#define BPF_LD_IMM64(DST, VAL)						\
	BPF_RAW_INSN(BPF_LD | BPF_DW | BPF_IMM, DST, 0, 0, (uint32_t)(VAL)), \
	BPF_RAW_INSN(0, 0, 0, 0, (uint32_t)((uint64_t)(VAL) >> 32))
#define BPF_LDX_MEM(SIZE, DST, SRC, OFF)				\
	BPF_RAW_INSN(BPF_LDX | BPF_MEM | (SIZE), DST, SRC, OFF, 0)
#define BPF_STX_MEM(SIZE, DST, SRC, OFF)				\
	BPF_RAW_INSN(BPF_STX | BPF_MEM | (SIZE), DST, SRC, OFF, 0)
#define BPF_ST_MEM(SIZE, DST, OFF, IMM)					\
	BPF_RAW_INSN(BPF_ST | BPF_MEM | (SIZE), DST, 0, OFF, IMM)
#define BPF_ATOMIC_OP(SIZE, OP, DST, SRC, OFF)				\
	BPF_RAW_INSN(BPF_STX | BPF_ATOMIC | (SIZE), DST, SRC, OFF, OP)
#define BPF_JMP_A(OFF)		BPF_RAW_INSN(BPF_JMP | BPF_JA, 0, 0, OFF, 0)
#define BPF_JMP_IMM(OP, DST, IMM, OFF)					\
	BPF_RAW_INSN(BPF_JMP | BPF_OP(OP) | BPF_K, DST, 0, OFF, IMM)
#define BPF_JMP_REG(OP, DST, SRC, OFF)					\
	BPF_RAW_INSN(BPF_JMP | BPF_OP(OP) | BPF_X, DST, SRC, OFF, 0)
#define BPF_EMIT_CALL(HELPER)	BPF_RAW_INSN(BPF_JMP | BPF_CALL, 0, 0, 0, HELPER)
/* bpf-to-bpf call: the callee is at pc + 1 + OFF */
#define BPF_CALL_REL(OFF)						\
	BPF_RAW_INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, OFF)
#define BPF_EXIT_INSN()		BPF_RAW_INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

#define UBP_NINSNS(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * ubp_fat_loop(p, lap): an endless loop of @lap slots into @p,
 * "ja +(lap - 2); lap - 2 x mov; ja -lap", returning @lap.  The budget is
 * charged per slot passed (an upper bound), a lap at a time, so even the
 * default budget (2^30) runs out in 2^30 / lap laps: about a second under
 * QEMU's TCG for a lap of 4096, where "ja -1" (one unit a lap) takes over
 * a minute.
 */
static inline size_t ubp_fat_loop(struct bpf_insn *p, size_t lap)
{
	p[0] = BPF_JMP_A(lap - 2);
	for (size_t i = 1; i < lap - 1; i++)
		p[i] = BPF_MOV64_IMM(0, 0);	/* r0 = 0 */
	p[lap - 1] = BPF_JMP_A(-(int)lap);
	return lap;
}

/* Offsets of struct uringblk_prog_ctx fields, for raw loads. */
#define UBP_CTX(field)	((int16_t)offsetof(struct uringblk_prog_ctx, field))

/* --- commands ---------------------------------------------------------- */

/* Reply of an EXEC: the result struct, then the output buffer. */
#define UBP_RES_SIZE	((uint32_t)sizeof(struct uringblk_exec_result))

/**
 * struct ubp_exec - one EXEC's arguments (the command's exec view)
 * @prog:	program id (exec.prog_id; 64 bits so tests can set the high
 *		half)
 * @lba:	first logical block
 * @count:	number of logical blocks
 * @budget:	0 = device default
 * @args:	ctx->args[0..2]
 */
struct ubp_exec {
	uint64_t prog;
	uint64_t lba;
	uint64_t count;
	uint64_t budget;
	uint64_t args[3];
};

/* Programs many tests load (prog_test.c). */
/* r0 = 0; do r0 += 1; while (r0 < args[0]); exit: 2 budget units a lap */
extern const struct bpf_insn ubp_count_loop[5];
/* r0 = args[0] */
extern const struct bpf_insn ubp_ret_arg[2];

/* PROG_LOAD of raw instructions; the id (> 0) or -errno; log may be NULL. */
int ubp_load(struct io_uring *ring, int fd, const struct bpf_insn *insns,
	     size_t cnt, const char *name, char *log, size_t log_len);
/* The same into slot @pind (0: the lowest free one). */
int ubp_load_slot(struct io_uring *ring, int fd, const struct bpf_insn *insns,
		  size_t cnt, const char *name, uint64_t pind, char *log,
		  size_t log_len);
/* PROG_LOAD with URINGBLK_PROG_LOAD_F_IMAGE; the id or -errno. */
int ubp_load_image(struct io_uring *ring, int fd,
		   const struct uringblk_prog_image *img, const char *name,
		   char *log, size_t log_len);
/*
 * PROG_LOAD of progs/<obj>.bpf.o next to the test binary (its program
 * @prog, or the only one if NULL), with its global data if it has some.
 */
int ubp_load_obj_prog(struct io_uring *ring, int fd, const char *obj,
		      const char *prog, char *log, size_t log_len);
int ubp_load_obj(struct io_uring *ring, int fd, const char *obj, char *log,
		 size_t log_len);
int ubp_unload(struct io_uring *ring, int fd, uint32_t id);
/* PROG_LIST from after id @after into @info[n]; entries or -errno. */
int ubp_list(struct io_uring *ring, int fd, uint32_t after,
	     struct uringblk_prog_info *info, uint32_t n);
/* PROG_ACTIVATE of slot @pind with URINGBLK_PROG_ACT_*; 0 or -errno. */
int ubp_activate(struct io_uring *ring, int fd, uint32_t pind, int action);
/*
 * Unload every downloaded program of the device (deactivated first); the
 * device-defined ones stay, active.  -EBUSY from runs still in flight (a
 * killed submitter's) is waited out for up to 10 s.  How many were
 * unloaded, or -errno: a teardown must check it, since a kernel-BPF
 * program left in a slot keeps the module loaded.
 */
int ubp_unload_all(struct io_uring *ring, int fd);

/* Fill the command of an EXEC into @cmd. */
void ubp_exec_cmd(struct uringblk_cmd *cmd, const struct ubp_exec *e,
		  void *reply, uint32_t reply_len);
/*
 * EXEC and wait: cqe->res, big_cqe[0] in *res2 (if not NULL).  The reply
 * buffer holds reply_len bytes (result struct + output).
 */
int ubp_exec(struct io_uring *ring, int fd, const struct ubp_exec *e,
	     void *reply, uint32_t reply_len, uint64_t *res2);
/* Prepare (not submit) an EXEC on a ring's next SQE; -EBUSY if full. */
int ubp_prep_exec(struct io_uring *ring, int fd, const struct ubp_exec *e,
		  void *reply, uint32_t reply_len, uint64_t user_data);

/**
 * struct ubp_execute - one EXECUTE's arguments (the command's execute view)
 * @pind:	slot (64 bits so tests can set the high half)
 * @rsid:	memory range set
 * @budget:	0 = device default
 * @args:	cparam[0], cparam[1], arg2: ctx->args[0..2]
 */
struct ubp_execute {
	uint64_t pind;
	uint64_t rsid;
	uint64_t budget;
	uint64_t args[3];
};

void ubp_execute_cmd(struct uringblk_cmd *cmd, const struct ubp_execute *e,
		     void *reply, uint32_t reply_len);
/* EXECUTE and wait, as ubp_exec(). */
int ubp_execute(struct io_uring *ring, int fd, const struct ubp_execute *e,
		void *reply, uint32_t reply_len, uint64_t *res2);
/* Prepare (not submit) any command on the next SQE; -EBUSY if full. */
int ubp_prep_cmd(struct io_uring *ring, int fd, uint32_t cmd_op,
		 const struct uringblk_cmd *cmd, uint64_t user_data,
		 uint8_t sqe_flags);
/* MEM_READ or MEM_WRITE (@cmd_op) of @len bytes at SLM offset @off. */
int ubp_mem_rw(struct io_uring *ring, int fd, uint32_t cmd_op, uint64_t off,
	       void *buf, uint32_t len);
/* RANGE_SET_CREATE: the rsid, or -errno.  RANGE_SET_DELETE: 0 or -errno. */
int ubp_rset_create(struct io_uring *ring, int fd,
		    const struct uringblk_mem_range *r, uint32_t n);
int ubp_rset_delete(struct io_uring *ring, int fd, uint32_t rsid);

/*
 * Laps for a run of about @secs on this machine of the program @id, which
 * must be "r0 = 0; do r0 += 1; while (r0 < args[0])" (timed by EXEC here);
 * 0 if the timing run failed.
 */
uint64_t ubp_calibrate_loop(struct io_uring *ring, int fd, uint32_t id, double secs);

/* --- objects ------------------------------------------------------------ */

/* <directory of the running binary>/progs/<name>.bpf.o into buf. */
void ubp_obj_path(const char *name, char *buf, size_t len);

/* --- misc --------------------------------------------------------------- */

/* One counter of /sys/block/uringblk<idx>/uringblk/<name>; 0 or -errno. */
int ubp_counter(int idx, const char *name, uint64_t *val);
/*
 * Wait up to @secs until counter @name of drive @idx reaches @want (a run
 * started, say): 0, -ETIME, or the read's -errno; the last value in *@val.
 */
int ubp_wait_counter(int idx, const char *name, uint64_t want, double secs,
		     uint64_t *val);
/* CLOCK_MONOTONIC in seconds. */
double ubp_now(void);
/* Drop CAP_SYS_ADMIN from all sets of the calling task; 0 or -errno. */
int ubp_drop_cap_sys_admin(void);
/*
 * delete_module(2) retried for up to timeout_ms: io_uring releases the
 * files of a closed ring from a workqueue, so the last module reference
 * may go a moment after the close.  0 or -errno of the last attempt.
 */
int ubp_module_unload_wait(int timeout_ms);

/* --- what the bpf/ programs compute, in C (the references) --------------- */

#define UBP_GREP_MORE	(1ULL << 63)	/* grep.bpf.c: the output filled up */

/* count_pattern.bpf.c: occurrences in d[0, len), overlapping ones too */
uint64_t ubp_ref_count(const uint8_t *d, uint64_t len, const void *pat,
		       size_t m);
/*
 * grep.bpf.c: the first @cap offsets into offs; *more if one more follows;
 * *scanned = the bytes its uringblk_find() calls examine.
 */
uint64_t ubp_ref_grep(const uint8_t *d, uint64_t len, const void *pat,
		      size_t m, uint64_t *offs, uint64_t cap, int *more,
		      uint64_t *scanned);
/* histogram.bpf.c: h[256] counts; returns the distinct values */
uint64_t ubp_ref_hist(const uint8_t *d, uint64_t len, uint64_t *h);
/* checksum.bpf.c: args[0] = 0 (sum of LE u32) and 1 (zlib's CRC-32) */
uint64_t ubp_ref_sum32(const uint8_t *d, uint64_t len);
uint32_t ubp_ref_crc32(const uint8_t *d, uint64_t len);
/* sum_records.bpf.c: the sum; *nrec whole records */
uint64_t ubp_ref_records(const uint8_t *d, uint64_t len, uint64_t rec,
			 uint64_t foff, uint64_t width, uint64_t *nrec);
/* args[0..2] of count_pattern.bpf.c and grep.bpf.c for a pattern */
void ubp_pattern_args(struct ubp_exec *e, const char *pat, size_t m);

/*
 * True if the kernel log says the kernel zeroes heap allocations itself
 * (init_on_alloc=1, Debian's default): stale memory then never reaches a
 * fresh allocation, whatever the driver does.
 */
bool ubp_heap_init_on_alloc(void);

/* Deterministic pseudo-random bytes (xorshift64*), seeded. */
void ubp_random(void *buf, size_t len, uint64_t seed);

#endif /* URINGBLK_PROG_TEST_H */
