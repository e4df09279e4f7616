/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * uringblk - the program ABI: what a program running on the drive sees.
 *
 * The contract between the drive's program VM (driver/sandbox/prog_*.c) and the
 * programs it runs: the context a program gets, the regions of its address
 * space, its limits, the helpers it may call and why a run stops early.
 * bpf/uringblk_prog.h, the header program authors include, builds on this
 * one; <linux/uringblk.h>, the device ABI (commands, replies), includes it
 * because the EXEC reply reports enum uringblk_prog_abort codes and
 * IDENTIFY the program limits.  Only program-side things live here: how a
 * program is loaded and run is a command, and commands are in
 * <linux/uringblk.h>.
 */
#ifndef _UAPI_LINUX_URINGBLK_PROG_H
#define _UAPI_LINUX_URINGBLK_PROG_H

#include <linux/types.h>

/*
 * Programs
 * --------
 * A program is eBPF bytecode as `clang -O2 -target bpf` emits it for a
 * restricted-C function (any -mcpu from v1 to v4), entered with
 *   r1 = address of a read-only struct uringblk_prog_ctx
 * and returning a 64-bit result in r0.  bpf/uringblk_prog.h is the header
 * for program authors.
 *
 * Program address space: the program never sees a kernel address.  Its
 * memory lives in up to five regions at fixed program addresses; every load,
 * store and helper pointer argument is checked against them at run time:
 *
 *   ctx     [URINGBLK_PROG_CTX_ADDR, +sizeof(struct uringblk_prog_ctx))
 *           read-only
 *   stack   frame d (0 = entry function) is the 512 bytes below
 *           URINGBLK_PROG_STACK_TOP - d * 512; r10 = top of the current
 *           frame.  A function may use its own frame and its callers'
 *           frames (so pointers to a caller's stack work), never the
 *           free space below its own frame.
 *   out     [URINGBLK_PROG_OUT_ADDR, +ctx->out_len), read-write: the output
 *           buffer copied back to the user after the run.  ctx->out holds
 *           its address.
 *
 *   globals [URINGBLK_PROG_GLOBAL_ADDR, +ctx->globals_len): the program's
 *           global data (ABI 1.3), laid out as .rodata, .data, .bss, each
 *           8-byte aligned; .rodata read-only, .data and .bss read-write
 *           and reset at every run to the image loaded with the program
 *           (.bss zeroed): nothing a run stores survives it (persistent
 *           state belongs in SLM).  The loader (liburingblk) turns the
 *           64-bit immediate loads that reference these sections into
 *           program addresses.  .rodata and the writable rest count as
 *           two regions: an access (or helper pointer range) lies wholly
 *           in one of them.
 *   mem     [URINGBLK_PROG_MEM_ADDR, +ctx->mem_len), read-write, under
 *           EXECUTE only: the memory range set's ranges end to end, SLM
 *           itself (stores land in device memory at once).
 *
 * Stack and output buffer start zeroed; registers other than r1 and r10
 * start at 0.  Nothing of an earlier run is ever visible.
 *
 * Device data is not mapped: helpers read it, with offsets relative to the
 * start of the granted range [0, ctx->data_len).  Nothing outside that
 * range can be reached.
 *
 * Output: the bytes copied back are out[0, max(emit cursor, 1 + highest
 * byte stored directly)).  uringblk_emit() appends at the cursor (which
 * starts at 0); direct stores do not move the cursor.
 */
/**
 * struct uringblk_prog_ctx - the read-only context a program gets in r1
 * @lba_start:	first logical block of the granted range (0 for an EXEC
 *		over extents and for EXECUTE)
 * @lba_count:	number of logical blocks in the range (0 likewise)
 * @data_len:	bytes in the range (lba_count * block_size; over extents
 *		their lengths summed, ABI 1.4); helper offsets are relative
 *		to its start
 * @block_size:	logical block size in bytes
 * @out_len:	capacity of the output buffer in bytes
 * @out:	program address of the output buffer (URINGBLK_PROG_OUT_ADDR)
 * @args:	four arguments passed by the user with the run command
 * @mem:	program address of the memory range set window
 *		(URINGBLK_PROG_MEM_ADDR) under EXECUTE, 0 under EXEC (ABI 1.3)
 * @mem_len:	its length: the set's bytes (0 under EXEC)
 * @globals:	program address of the global data (URINGBLK_PROG_GLOBAL_ADDR),
 *		0 if the program has none
 * @globals_len: its length
 * @rsvd:	zero
 */
struct uringblk_prog_ctx {
	__u64	lba_start;
	__u64	lba_count;
	__u64	data_len;
	__u32	block_size;
	__u32	out_len;
	__u64	out;
	__u64	args[4];
	__u64	mem;
	__u64	mem_len;
	__u64	globals;
	__u64	globals_len;
	__u64	rsvd[3];
};	/* 128 bytes */

/* Program addresses of the regions (see above). */
#define URINGBLK_PROG_CTX_ADDR		0x100000000ULL
#define URINGBLK_PROG_STACK_TOP		0x200000000ULL
#define URINGBLK_PROG_OUT_ADDR		0x300000000ULL
#define URINGBLK_PROG_GLOBAL_ADDR	0x400000000ULL
#define URINGBLK_PROG_MEM_ADDR		0x1000000000ULL	/* 64 GiB below the next region */

#define URINGBLK_PROG_MAX_INSNS		4096	/* longer programs: -E2BIG */
#define URINGBLK_PROG_STACK_SIZE	512	/* bytes per frame */
#define URINGBLK_PROG_MAX_DEPTH		8	/* frames, entry function included */
#define URINGBLK_PROG_PAT_MAX		256	/* longest helper search pattern */
#define URINGBLK_KBPF_SCRATCH		4096	/* uringblk_kf_scratch(): bytes a run may have */

/*
 * Helpers: `call N` with N below.  Arguments in r1..r5, result in r0;
 * r1..r5 are clobbered (as in eBPF) by every call, helper or bpf-to-bpf:
 * the validator refuses a program that may read one of them after a call
 * before writing it, as the kernel's verifier does (the VM also zeroes
 * them after each call).  "off" is a byte offset into the
 * granted range; [off, off + len) must lie inside [0, data_len), else the
 * run aborts with -ERANGE.  Pointer arguments must lie, with their length,
 * inside one region (writable where the helper writes), else -EFAULT.
 * Bad scalar arguments abort with -EINVAL; a backend read error aborts
 * with the backend's errno (-EIO).  A helper call costs budget units for
 * the work it really does, on top of its slot: 2 per call, 32 per device
 * page fetched (1024 on a file-backed drive, where a fetch reads the page
 * from the file), and for every 64 bytes 1 if copied (read, emit), 3 if
 * summed or skipped over (sum_u32, pattern search), 8 if counted
 * (histogram), 32 if handled one at a time (histograms under 1 KiB;
 * pattern comparisons: at most 2 per byte, and 4 more per place where the
 * pattern's first byte occurs), rounded up per call.  Helpers are reschedule
 * points.  Helper arguments declared u32 use only the low
 * 32 bits of their register.
 */
/* long uringblk_read(u64 off, void *dst, u32 len): copy data -> dst; 0 */
#define URINGBLK_HELPER_READ		1
/*
 * long uringblk_emit(const void *src, u32 len): append to the output at
 * the cursor.  Returns len, or -ENOSPC (run goes on, nothing written) if
 * fewer than len bytes are left.
 */
#define URINGBLK_HELPER_EMIT		2
/*
 * u64 uringblk_count_pattern(u64 off, u64 len, const void *pat, u32 pat_len):
 * number of positions p with data[p, p + pat_len) == pat inside
 * [off, off + len); overlapping matches count ("aa" is 3 times in "aaaa").
 * 1 <= pat_len <= URINGBLK_PROG_PAT_MAX.
 */
#define URINGBLK_HELPER_COUNT_PATTERN	3
/*
 * u64 uringblk_sum_u32(u64 off, u64 len): sum of the little-endian u32
 * words of data[off, off + len), in 64 bits (wrapping); len % 4 == 0.
 */
#define URINGBLK_HELPER_SUM_U32		4
/*
 * long uringblk_histogram(u64 off, u64 len, u64 *hist): hist[b] += number
 * of bytes equal to b in data[off, off + len), for all 256 b.  hist is
 * 2048 writable bytes, 8-byte aligned (it does not fit a 512 B stack frame:
 * use the output buffer).  Returns 0.
 */
#define URINGBLK_HELPER_HISTOGRAM	5
/*
 * s64 uringblk_find(u64 off, u64 len, const void *pat, u32 pat_len):
 * offset (from the range start) of the first occurrence of pat lying
 * wholly inside [off, off + len), or -ENOENT.
 */
#define URINGBLK_HELPER_FIND		6
/*
 * Records (ABI 1.7, identify.features & URINGBLK_F_RECORDS): text records
 * ("lines") of separated fields, as dbgen's '|' files and CSV without
 * quoting are, split and parsed in the drive so that a program does not
 * walk them a byte at a time in the interpreter.
 *
 * A record starts at a data offset off and ends at the first '\n' at or
 * after off, before end (the helpers' end argument, <= data_len); if
 * there is none before end, at end (a last line without a newline).  Its
 * content is the record without the '\n' and without one '\r' before it
 * (CRLF files).  The content is cut at every separator byte into fields
 * 0, 1, 2, ...: "a|b|" has the three fields "a", "b" and "".  There is no
 * quoting: a separator inside quotes separates too.  A record may be at
 * most URINGBLK_REC_MAX_LEN bytes, '\n' included; for a longer one the
 * helpers return -E2BIG (a value, the run goes on) having scanned
 * URINGBLK_REC_MAX_LEN bytes.
 *
 * Numbers (a "fmt": kind | scale << 8, URINGBLK_NUM_FMT()): a field is
 * parsed to an s64, exactly (no floating point anywhere):
 *   URINGBLK_NUM_INT   [+|-]digits, times 10^scale
 *   URINGBLK_NUM_DEC   [+|-]digits[.digits] (digits on at least one side),
 *                      times 10^scale: "0.06" at scale 2 is 6, "17954.55"
 *                      at scale 2 is 1795455, "3" at scale 2 is 300.
 *                      Fraction digits past the scale must be '0' ("0.060"
 *                      at scale 2 is 6; "0.065" is URINGBLK_NUM_BAD): a
 *                      value is never rounded.
 *   URINGBLK_NUM_DATE  YYYY-MM-DD (a real date, years 0000..9999) as the
 *                      integer yyyymmdd: "1994-01-01" is 19940101, so dates
 *                      compare as integers do; scale 0
 *   URINGBLK_NUM_DAYS  YYYY-MM-DD as days since 1970-01-01 (negative
 *                      before), for date arithmetic; scale 0
 *   URINGBLK_NUM_CHARS the field's first min(len, 8) bytes as a
 *                      little-endian integer ("A" is 65, "" is 0, "AB" is
 *                      0x4241): group keys and equality on short strings;
 *                      scale 0; never bad
 * Spaces and tabs around the number are allowed (", 5," parses as 5).
 * scale is 0..URINGBLK_NUM_MAX_SCALE.  Anything else in the field, an
 * empty field, one longer than URINGBLK_NUM_MAX_LEN bytes, or a value
 * outside [-(2^63 - 1), 2^63 - 1] after scaling, is URINGBLK_NUM_BAD
 * (S64_MIN, which no valid field gives): data errors are values, not
 * aborts, so a program decides what a bad row means (a header line, say).
 * A fmt with another kind, scale or non-zero high bits aborts the run
 * with -EINVAL.
 *
 * Work (on top of the general charges above: 2 per call, the page
 * fetches), per 64 bytes: 3 units for the bytes of records scanned (a
 * word at a time), 1 for the bytes gathered for numbers and the values
 * written, and 32 for the separators and newlines found and the bytes
 * parsed as numbers (one byte more per number; URINGBLK_NUM_CHARS: one
 * byte per value), rounded up per call.
 * So a call costs about what it does, whatever the data, and the budget
 * bounds every call (at most URINGBLK_REC_MAX_LEN bytes scanned per
 * record, URINGBLK_REC_MAX_RECS records per call).
 */
#define URINGBLK_REC_MAX_LEN	65536	/* bytes per record, '\n' included */
#define URINGBLK_REC_MAX_FIELDS	64	/* uringblk_rec_fields(): fields per call */
#define URINGBLK_REC_MAX_VALS	16	/* uringblk_rec_parse(): values per record */
#define URINGBLK_REC_MAX_RECS	1024	/* uringblk_rec_parse(): records per call */
#define URINGBLK_NUM_MAX_LEN	64	/* longest field parsed as a number */
#define URINGBLK_NUM_MAX_SCALE	18

#define URINGBLK_NUM_INT	1
#define URINGBLK_NUM_DEC	2
#define URINGBLK_NUM_DATE	3
#define URINGBLK_NUM_DAYS	4
#define URINGBLK_NUM_CHARS	5
#define URINGBLK_NUM_FMT(kind, scale)	((__u32)(kind) | (__u32)(scale) << 8)
#define URINGBLK_NUM_BAD	(-0x7fffffffffffffffLL - 1)	/* S64_MIN */

/*
 * s64 uringblk_rec_fields(u64 off, u64 end, u32 *pos, u32 sep_n):
 * split the record at off.  sep_n = separator byte (bits 0..7, not '\n')
 * | n << 8, 1 <= n <= URINGBLK_REC_MAX_FIELDS, higher bits zero (else
 * -EINVAL).  Writes pos[0..n] (n + 1 u32, relative to off): field i,
 * i < n, is the bytes [off + pos[i], off + pos[i + 1] - 1); pos[0] = 0.
 * Past the record's last field, pos[i] = content length + 1 (an empty
 * field).  Returns the offset of the next record (> off: just past the
 * '\n', or end), -ENOENT if off == end, -E2BIG (pos unwritten) for a
 * record too long.  off <= end <= data_len, else -ERANGE.
 */
#define URINGBLK_HELPER_REC_FIELDS	7
/*
 * s64 uringblk_parse_num(u64 off, u32 len, u32 fmt): data[off, off + len)
 * as a number of format fmt (see "Numbers" above), or URINGBLK_NUM_BAD.
 * A len above URINGBLK_NUM_MAX_LEN is URINGBLK_NUM_BAD without reading
 * (URINGBLK_NUM_CHARS reads the first 8 bytes); [off, off + len) must lie
 * in the range all the same (else -ERANGE).
 */
#define URINGBLK_HELPER_PARSE_NUM	8
/**
 * struct uringblk_rec_spec - what uringblk_rec_parse() extracts
 * @sep:	field separator (not '\n')
 * @nvals:	values per record, 1..URINGBLK_REC_MAX_VALS
 * @max_recs:	most lines per call (records, and empty lines with
 *		URINGBLK_REC_F_SKIP_EMPTY), 1..URINGBLK_REC_MAX_RECS
 * @flags:	URINGBLK_REC_F_* (ABI 1.11, URINGBLK_F_REC_FILTER), else 0
 * @nconds:	conditions following the spec in program memory, 0..
 *		URINGBLK_REC_MAX_CONDS (ABI 1.11, URINGBLK_F_REC_FILTER)
 * @rsvd:	zero
 * @val:	value i of a record is field URINGBLK_REC_VAL_FIELD(val[i])
 *		(0..254) parsed with fmt val[i] >> 8: build it with
 *		URINGBLK_REC_VAL(field, kind, scale).  Only val[0, nvals)
 *		is read; fields may repeat and come in any order.
 */
struct uringblk_rec_spec {
	__u8	sep;
	__u8	nvals;
	__u16	max_recs;
	__u8	flags;
	__u8	nconds;
	__u16	rsvd;
	__u32	val[URINGBLK_REC_MAX_VALS];
};	/* 72 bytes, then nconds struct uringblk_rec_cond */
/**
 * struct uringblk_rec_cond - a condition on a record's value (ABI 1.11)
 * @val:	the value's index in the record, < nvals
 * @op:	URINGBLK_REC_EQ .. URINGBLK_REC_GE: value @op @k, as s64
 * @rsvd:	zero
 * @k:		the constant
 */
struct uringblk_rec_cond {
	__u8	val;
	__u8	op;
	__u8	rsvd[6];
	__s64	k;
};	/* 16 bytes */
#define URINGBLK_REC_EQ		0
#define URINGBLK_REC_NE		1
#define URINGBLK_REC_LT		2
#define URINGBLK_REC_LE		3
#define URINGBLK_REC_GT		4
#define URINGBLK_REC_GE		5
#define URINGBLK_REC_MAX_CONDS	8
/* an empty line (no byte but a '\r' before its '\n') is no record: no row */
#define URINGBLK_REC_F_SKIP_EMPTY	0x01
/* vals[1] counts the records read (rows and dropped); rows from vals[2] */
#define URINGBLK_REC_F_COUNT		0x02
#define URINGBLK_REC_VAL(field, kind, scale)	\
	((__u32)(field) | URINGBLK_NUM_FMT(kind, scale) << 8)
#define URINGBLK_REC_VAL_FIELD(v)	((v) & 0xff)
/*
 * s64 uringblk_rec_parse(u64 off, u64 end, const struct uringblk_rec_spec
 * *spec, s64 *vals): the fast path: split and parse up to spec->max_recs
 * records from off in one call.  vals is 8 * (1 + max_recs * nvals)
 * writable bytes, not overlapping spec (else -EINVAL): vals[0] is set to
 * the offset just past the last record parsed (off if none), and
 * vals[1 + r * nvals + i] to value i of record r (URINGBLK_NUM_BAD for a
 * bad or missing field).  Returns the number of records parsed: 0 iff
 * off == end; fewer than max_recs only at end or before a record too long,
 * for which a call starting at it returns -E2BIG.  A bad spec (sep '\n',
 * nvals, max_recs, flags, nconds, rsvd, a field above 254, a bad fmt, a
 * bad condition) is -EINVAL; off <= end <= data_len, else -ERANGE.  Other
 * rows' vals beyond those parsed are left as they were.  vals is
 * typically a .bss array (at most identify.max_rw_globals bytes of
 * writable globals, 4 KiB: e.g. 64 records of 7 values) and spec a const
 * (.rodata); a loop calls it with off = vals[0] until it returns 0
 * (bpf/tpch_q6_text.bpf.c).
 *
 * Filtered calls (ABI 1.11, identify.features & URINGBLK_F_REC_FILTER):
 * the records the program would skip get no row, so that its loop runs
 * only over the others.  With URINGBLK_REC_F_SKIP_EMPTY an empty line is
 * no record.  With nconds conditions (struct uringblk_rec_cond, right
 * after the spec, which is then 72 + 16 * nconds bytes) a record none of
 * whose values is URINGBLK_NUM_BAD gets a row only if every condition
 * holds: a record with a bad value always gets one.  With
 * URINGBLK_REC_F_COUNT, vals is 8 * (2 + max_recs * nvals) bytes, vals[1]
 * is set to the records read (rows and records dropped by the conditions;
 * no empty line) and the rows start at vals[2].  A filtered call reads at
 * most max_recs lines and returns the rows it wrote, which may be 0 before
 * end: its loop runs until vals[0] == end (a record too long stops a
 * call before it, and a call starting at it returns -E2BIG, as above).
 */
#define URINGBLK_HELPER_REC_PARSE	9

/*
 * Int8 vectors (ABI 1.7, identify.features & URINGBLK_F_VEC_I8): the data
 * hold n vectors of dim signed bytes end to end from off; q is the query,
 * dim signed bytes in program memory (stack, globals, output or SLM
 * window).  Both write dst[i], an s32, for i < n, and return n:
 *
 * long uringblk_dot_i8(u64 off, const void *q, u32 dim, u32 n, s32 *dst):
 *   dst[i] = sum over j < dim of q[j] * data[off + i * dim + j]
 *   (the inner product: higher is more similar);
 * long uringblk_l2sq_i8(u64 off, const void *q, u32 dim, u32 n, s32 *dst):
 *   dst[i] = sum over j < dim of (q[j] - data[off + i * dim + j])^2
 *   (squared Euclidean distance: lower is more similar).
 *
 * Exact in s32 for every input: |dot| <= 4096 * 128 * 128 = 2^26 and
 * l2sq <= 4096 * 255^2 < 2^28.  1 <= dim <= URINGBLK_PROG_VEC_DIM_MAX and
 * n <= URINGBLK_PROG_VEC_N_MAX, else -EINVAL; n = 0 writes nothing.
 * [off, off + n * dim) must lie in the granted range (-ERANGE), q (dim
 * bytes) readable and dst (4 * n bytes, 4-byte aligned) writable
 * (-EFAULT); dst must not overlap q (-EINVAL): a call may be made again
 * after a yield and must find its query as it was.  Under EXECUTE dst
 * must not overlap the vectors in the mem window either (-EINVAL).
 * Work: 8 budget units per 64 bytes of vectors scored, 1 more per 2
 * vectors (the s32 store), plus the page fetches (see above).
 */
#define URINGBLK_HELPER_DOT_I8		10
#define URINGBLK_HELPER_L2SQ_I8		11
#define URINGBLK_HELPER_MAX		11

#define URINGBLK_PROG_VEC_DIM_MAX	4096	/* bytes per vector */
#define URINGBLK_PROG_VEC_N_MAX		65536	/* vectors per call */

/*
 * Kernel-BPF programs (ABI 1.6, type URINGBLK_PROG_TYPE_KBPF)
 * ----------------------------------------------------------
 * A BPF_PROG_TYPE_SYSCALL program (SEC("syscall"), loaded by libbpf) that
 * the host kernel verified and JIT-compiled, handed to the drive by fd
 * (PROG_LOAD F_BPF_FD) and run by EXEC and EXECUTE like any program.  Its
 * r1 points to a struct uringblk_prog_ctx, filled as for an interpreted
 * program but for out, mem and globals, which are 0 (no program
 * addresses exist here); it may even write it (a copy).  It reaches
 * device data, SLM and the output only through these kfuncs
 * (bpf/uringblk_kbpf.h declares them), which are the helpers above with
 * kernel pointers: the same grant checks, charges, reschedule points,
 * aborts and results.  A "__sz" argument is the size of the buffer before
 * it, which the kernel's verifier proves the program owns (writable: a
 * .rodata pattern must be copied to the stack first).
 *
 *   long uringblk_kf_read(u64 off, void *dst, u32 dst__sz)
 *   long uringblk_kf_emit(const void *src, u32 src__sz)
 *   u64  uringblk_kf_count_pattern(u64 off, u64 len, const void *pat, u32 pat__sz)
 *   s64  uringblk_kf_find(u64 off, u64 len, const void *pat, u32 pat__sz)
 *   u64  uringblk_kf_sum_u32(u64 off, u64 len)
 *   long uringblk_kf_histogram(u64 off, u64 len, u64 *hist, u32 hist__sz)
 *	as helpers 1-6 (hist__sz below 2048 is a bad pointer: -EFAULT)
 *   u8 *uringblk_kf_out(u32 rdwr_buf_size)
 *	the output buffer's first rdwr_buf_size bytes (a constant) for
 *	direct stores, or NULL if it is smaller; they count as output
 *	(out_len >= rdwr_buf_size), as stores do in the interpreter
 *   u8 *uringblk_kf_mem(u64 off, u32 rdwr_buf_size)
 *	EXECUTE: rdwr_buf_size bytes of the set's window from byte off
 *	(SLM itself), or NULL (outside it, or under EXEC)
 *   u8 *uringblk_kf_scratch(u32 rdwr_buf_size)
 *	up to URINGBLK_KBPF_SCRATCH bytes of the run's own memory, zeroed
 *	when the run starts (room a 512-byte BPF stack lacks), or NULL
 *   void uringblk_kf_result(u64 r0)
 *	the run's 64-bit r0 (a program itself returns only 32 bits)
 *   int  uringblk_kf_tick(void)
 *	1 if the run must stop, else 0; one budget unit and a reschedule
 *	point.  Every callback (bpf_loop() and the like) must begin with
 *	"if (uringblk_kf_tick()) return 1;" (URINGBLK_LOOP_TICK()), which
 *	the drive proves at load from the translated program, else
 *	PROG_LOAD is -EOPNOTSUPP.
 * Functions must be static (or inlined): an freplace program
 * (BPF_PROG_TYPE_EXT) can replace a global function of a loaded program
 * after the drive checked it, so PROG_LOAD refuses a program that has one
 * (-EOPNOTSUPP naming it), as it refuses one already extended.
 * A violation does not end the program at once (the kernel cannot stop
 * BPF code from outside): the run is marked stopped with the errno and
 * abort code the interpreter reports, every later kfunc returns that
 * errno (tick returns 1) and does nothing, and the EXEC reply reports the
 * abort (abort_pc 0: there are no instruction indexes).  The same for the
 * budget, device removal and the submitter's death.  The budget counts
 * only kfunc work and ticks: the program's own instructions are bounded
 * by the verifier (at most kbpf_max_verified between two kfunc calls or
 * ticks; Documentation/uapi/kernel-bpf.md).  Outside a drive run (the owner's
 * BPF_PROG_TEST_RUN) every kfunc returns -EPERM (the pointer ones NULL,
 * tick 1).
 */

/*
 * How a program's results combine (ABI 1.5): a program that declares it
 * can be split, by the host, into runs over adjacent pieces of one range
 * whose results combine into the result of one run over the whole range
 * (liburingblk's uringblk_exec_split(), `uringblk exec --split`).  The
 * program declares it in its object file, in section
 * URINGBLK_COMBINE_SEC, as a struct uringblk_prog_combine named
 * URINGBLK_COMBINE_SYM_PREFIX + the program's function name (the
 * URINGBLK_COMBINE() macro of bpf/uringblk_prog.h writes it); the loader
 * passes it with the program (PROG_LOAD F_IMAGE, image.combine), the drive
 * checks it and reports it in PROG_LIST.  A program without it has r0 ==
 * URINGBLK_COMBINE_NONE and cannot be split.
 *
 * struct uringblk_prog_combine:
 *   r0		URINGBLK_COMBINE_*: r0 of the whole from the pieces' r0s;
 *		NONE: the program does not declare (all other fields zero)
 *   out	URINGBLK_COMBINE_*: the output of the whole, little-endian u64
 *		by u64, from the pieces' outputs; NONE: no output combines
 *		(out_len 0); NONZERO is for r0 only
 *   overlap_arg 1..3: args[overlap_arg - 1] is the length L of a pattern
 *		whose matches lying wholly inside the range the program
 *		counts: pieces overlap by L - 1 bytes and the matches of the
 *		overlaps are taken away, so that none is counted twice or
 *		missed (r0 and out SUM or NONE only); 0: @overlap
 *   align_arg	1..3: piece boundaries fall at multiples of
 *		args[align_arg - 1] bytes from the range start (records of
 *		that size); 0: at any block
 *   out_len	bytes of output that combine: a multiple of 8, 8 to
 *		URINGBLK_MAX_EXEC_OUT; 0 with out NONE
 *   overlap	with overlap_arg 0: a fixed L - 1 (the longest pattern the
 *		program counts, less one), 0: pieces do not overlap
 *   rsvd	zero
 */
struct uringblk_prog_combine {
	__u8	r0;
	__u8	out;
	__u8	overlap_arg;
	__u8	align_arg;
	__u32	out_len;
	__u32	overlap;
	__u32	rsvd;
};	/* 16 bytes */

#define URINGBLK_COMBINE_NONE		0
#define URINGBLK_COMBINE_SUM		1	/* wrapping u64 sum: counts, sums, histogram bins */
#define URINGBLK_COMBINE_MIN		2	/* unsigned minimum */
#define URINGBLK_COMBINE_MAX		3	/* unsigned maximum */
#define URINGBLK_COMBINE_NONZERO	4	/* r0 only: the non-zero u64s of the combined output */
#define URINGBLK_COMBINE_SEC		".uringblk.combine"
#define URINGBLK_COMBINE_SYM_PREFIX	"__uringblk_combine_"

/*
 * Why a run stopped early (reported with the errno).  A run that reaches
 * its final exit has code URINGBLK_PROG_OK and its r0 as result.
 */
enum uringblk_prog_abort {
	URINGBLK_PROG_OK		= 0,
	URINGBLK_PROG_ABORT_BUDGET	= 1,	/* -ETIME: instruction budget used up */
	URINGBLK_PROG_ABORT_MEM		= 2,	/* -EFAULT: load/store/helper pointer outside the regions, or store to ctx */
	URINGBLK_PROG_ABORT_RANGE	= 3,	/* -ERANGE: helper offset/length outside the granted range */
	URINGBLK_PROG_ABORT_ARG		= 4,	/* -EINVAL: bad helper scalar argument */
	URINGBLK_PROG_ABORT_DEPTH	= 5,	/* -ELOOP: more than URINGBLK_PROG_MAX_DEPTH frames */
	/*
	 * backend errno (e.g. -EIO) while reading data; also -EIO for an
	 * injected read fault (sysfs fault/) or an OFFLINE zone
	 */
	URINGBLK_PROG_ABORT_IO		= 6,
	URINGBLK_PROG_ABORT_STOPPED	= 7,	/* embedder's errno at a reschedule point (e.g. -EINTR, -ENODEV) */
};

#endif /* _UAPI_LINUX_URINGBLK_PROG_H */
