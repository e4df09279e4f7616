/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * uringblk_prog.h - what a program for the uringblk drive includes.
 *
 * A program is one C function in SEC("uringblk"), compiled with
 *   clang -O2 -g -target bpf [-mcpu=v1|v2|v3|v4] -I<repo>/include/uapi \
 *         -I/usr/include/<multiarch> -c prog.bpf.c -o prog.bpf.o
 * and loaded with `uringblk prog load DEV prog.bpf.o` (or
 * uringblk_prog_load_file()).  It is entered with a pointer to the
 * read-only struct uringblk_prog_ctx and returns a 64-bit result (r0).
 *
 * What a program may use (the rest of eBPF has nothing to bind to here):
 *  - the helpers below; kernel BPF helpers, kfuncs and maps do not exist
 *    on the drive;
 *  - static __noinline functions (bpf-to-bpf calls, at most
 *    URINGBLK_PROG_MAX_DEPTH frames deep, entry function included);
 *  - memory: its 512-byte stack frame (and its callers'), the ctx
 *    (read-only) and the output buffer at ctx->out (see uringblk_out());
 *  - global data (ABI 1.3): constant tables and string literals in
 *    .rodata, variables in .data and .bss, at most identify.max_globals
 *    bytes of which identify.max_rw_globals writable (.data and .bss are
 *    reset at every run); <linux/uringblk_prog.h> "globals" has the
 *    layout.
 *
 * The helper contracts below are copied from <linux/uringblk_prog.h>, the
 * program ABI, which is authoritative.
 */
#ifndef URINGBLK_PROG_H
#define URINGBLK_PROG_H

#include <linux/types.h>
#include <linux/uringblk_prog.h>

/* The ELF section the loaders look for. */
#define URINGBLK_PROG_SEC	"uringblk"

#ifndef SEC
#define SEC(name)	__attribute__((section(name), used))
#endif
#ifndef __noinline
#define __noinline	__attribute__((noinline))
#endif
#ifndef __always_inline
#define __always_inline	inline __attribute__((always_inline))
#endif

/*
 * The environment a program runs in (from the "Programs" section of
 * <linux/uringblk_prog.h>):
 *
 * Program address space: the program never sees a kernel address.  Its
 * memory lives in three regions at fixed program addresses; every load,
 * store and helper pointer argument is checked against them at run time:
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
 *
 * A run that breaks a rule stops ("aborts") with a negative errno and an
 * enum uringblk_prog_abort code, which the user sees in the EXEC result;
 * r0 is then 0.  The run also stops when its instruction budget is used
 * up (-ETIME): every instruction slot costs one unit and each helper call
 * costs units for the work it does (see "Helpers" below).
 */

/**
 * uringblk_out() - the output buffer as a pointer
 * @ctx:	the program's context
 *
 * ctx->out is a __u64 program address (URINGBLK_PROG_OUT_ADDR), not a
 * pointer type, so that struct uringblk_prog_ctx has the same layout for
 * the host and the program.  Writable for ctx->out_len bytes.
 */
static __always_inline void *uringblk_out(const struct uringblk_prog_ctx *ctx)
{
	return (void *)(unsigned long)ctx->out;
}

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
 * points.  Helper arguments declared u32 use only the low 32 bits of
 * their register.
 *
 * As in eBPF, a helper is called through a function pointer whose value is
 * the helper id; clang turns the call into `call <id>`.
 */

/* long uringblk_read(u64 off, void *dst, u32 len): copy data -> dst; 0 */
static long (*uringblk_read)(__u64 off, void *dst, __u32 len) =
	(void *)URINGBLK_HELPER_READ;

/*
 * long uringblk_emit(const void *src, u32 len): append to the output at
 * the cursor.  Returns len, or -ENOSPC (run goes on, nothing written) if
 * fewer than len bytes are left.
 */
static long (*uringblk_emit)(const void *src, __u32 len) =
	(void *)URINGBLK_HELPER_EMIT;

/*
 * u64 uringblk_count_pattern(u64 off, u64 len, const void *pat, u32 pat_len):
 * number of positions p with data[p, p + pat_len) == pat inside
 * [off, off + len); overlapping matches count ("aa" is 3 times in "aaaa").
 * 1 <= pat_len <= URINGBLK_PROG_PAT_MAX.
 */
static __u64 (*uringblk_count_pattern)(__u64 off, __u64 len, const void *pat,
				       __u32 pat_len) =
	(void *)URINGBLK_HELPER_COUNT_PATTERN;

/*
 * u64 uringblk_sum_u32(u64 off, u64 len): sum of the little-endian u32
 * words of data[off, off + len), in 64 bits (wrapping); len % 4 == 0.
 */
static __u64 (*uringblk_sum_u32)(__u64 off, __u64 len) =
	(void *)URINGBLK_HELPER_SUM_U32;

/*
 * long uringblk_histogram(u64 off, u64 len, u64 *hist): hist[b] += number
 * of bytes equal to b in data[off, off + len), for all 256 b.  hist is
 * 2048 writable bytes, 8-byte aligned (it does not fit a 512 B stack frame:
 * use the output buffer).  Returns 0.
 */
static long (*uringblk_histogram)(__u64 off, __u64 len, __u64 *hist) =
	(void *)URINGBLK_HELPER_HISTOGRAM;

/*
 * s64 uringblk_find(u64 off, u64 len, const void *pat, u32 pat_len):
 * offset (from the range start) of the first occurrence of pat lying
 * wholly inside [off, off + len), or -ENOENT.
 */
static __s64 (*uringblk_find)(__u64 off, __u64 len, const void *pat,
			      __u32 pat_len) =
	(void *)URINGBLK_HELPER_FIND;

/*
 * Records and numbers (ABI 1.7, identify.features & URINGBLK_F_RECORDS):
 * the rules (what a record, a field and each number format are, the
 * work charged) are in <linux/uringblk_prog.h>, "Records".
 */

/*
 * s64 uringblk_rec_fields(u64 off, u64 end, u32 *pos, u32 sep_n): split
 * the record at off into its first n fields (sep_n = sep | n << 8): field
 * i is [off + pos[i], off + pos[i + 1] - 1).  Returns the next record's
 * offset, -ENOENT at end, -E2BIG for a record too long.
 */
static __s64 (*uringblk_rec_fields)(__u64 off, __u64 end, __u32 *pos,
				    __u32 sep_n) =
	(void *)URINGBLK_HELPER_REC_FIELDS;

/*
 * s64 uringblk_parse_num(u64 off, u32 len, u32 fmt): data[off, off + len)
 * as a number (fmt = URINGBLK_NUM_FMT(kind, scale)), or URINGBLK_NUM_BAD.
 */
static __s64 (*uringblk_parse_num)(__u64 off, __u32 len, __u32 fmt) =
	(void *)URINGBLK_HELPER_PARSE_NUM;

/*
 * s64 uringblk_rec_parse(u64 off, u64 end, const struct uringblk_rec_spec
 * *spec, s64 *vals): up to spec->max_recs records from off, split and
 * parsed: vals[0] = offset past the last one, vals[1 + r * nvals + i] =
 * value i of record r.  Returns the number of records (0 at end), or
 * -E2BIG for a record too long at off.  Filtered calls (ABI 1.11,
 * spec->flags, spec->nconds conditions after the spec) skip empty lines
 * and drop records the conditions reject, return the rows written and,
 * with URINGBLK_REC_F_COUNT, count the records read in vals[1]: loop until
 * vals[0] == end (<linux/uringblk_prog.h>).
 */
static __s64 (*uringblk_rec_parse)(__u64 off, __u64 end,
				   const struct uringblk_rec_spec *spec,
				   __s64 *vals) =
	(void *)URINGBLK_HELPER_REC_PARSE;

/*
 * Int8 vectors (ABI 1.7, identify.features & URINGBLK_F_VEC_I8): the data
 * hold n vectors of dim signed bytes end to end from off; q is the query,
 * dim signed bytes in program memory.  Both write dst[i], an s32, for
 * i < n, and return n:
 *   dot_i8:  dst[i] = sum over j < dim of q[j] * data[off + i * dim + j]
 *   l2sq_i8: dst[i] = sum over j < dim of (q[j] - data[off + i * dim + j])^2
 * 1 <= dim <= URINGBLK_PROG_VEC_DIM_MAX, n <= URINGBLK_PROG_VEC_N_MAX,
 * dst 4-byte aligned and not overlapping q (nor, under EXECUTE, the
 * vectors in the mem window), else -EINVAL.
 */
static long (*uringblk_dot_i8)(__u64 off, const void *q, __u32 dim, __u32 n,
			       __s32 *dst) = (void *)URINGBLK_HELPER_DOT_I8;
static long (*uringblk_l2sq_i8)(__u64 off, const void *q, __u32 dim, __u32 n,
				__s32 *dst) = (void *)URINGBLK_HELPER_L2SQ_I8;

/**
 * uringblk_abort_einval() - stop the run with -EINVAL
 * @ctx:	the program's context (any readable address would do)
 *
 * Not a helper of its own: the convention the programs in bpf/ use to
 * reject bad ctx->args, so that a user sees "error -EINVAL, abort arg" in
 * the EXEC result instead of an r0 that might be mistaken for a count or
 * a sum.  It relies only on the contract above: a pat_len of 0 is a bad
 * scalar argument of uringblk_count_pattern(), and [0, 0) lies inside
 * every granted range, so the run aborts with -EINVAL
 * (URINGBLK_PROG_ABORT_ARG) at this call.  Returns nothing useful: the
 * run does not continue past it.
 */
static __always_inline __u64
uringblk_abort_einval(const struct uringblk_prog_ctx *ctx)
{
	return uringblk_count_pattern(0, 0, ctx, 0);
}

/**
 * URINGBLK_COMBINE() - declare how a program's results combine
 * @prog:	the program's function name
 * @...:	the fields of struct uringblk_prog_combine (<linux/uringblk_prog.h>,
 *		ABI 1.5), designated: .r0 = URINGBLK_COMBINE_SUM, ...
 *
 * A program that declares it can be split by the host into concurrent
 * runs over pieces of one range whose results combine into the result
 * over the whole range (uringblk_exec_split(), `uringblk exec --split`):
 *
 *	URINGBLK_COMBINE(count_pattern, .r0 = URINGBLK_COMBINE_SUM,
 *			 .overlap_arg = 3);
 *
 * It is a constant in section URINGBLK_COMBINE_SEC, which the loader
 * (liburingblk) finds by its name and passes to the drive with the
 * program; it is not part of the program's global data.  Declare only
 * what holds for every argument the program takes: a program whose
 * result does not combine for some of them (checksum.bpf.c's CRCs) must
 * not declare, and then cannot be split.
 */
#define URINGBLK_COMBINE(prog, ...)					\
	const struct uringblk_prog_combine __uringblk_combine_##prog	\
	__attribute__((section(URINGBLK_COMBINE_SEC), used)) = { __VA_ARGS__ }

#endif /* URINGBLK_PROG_H */
