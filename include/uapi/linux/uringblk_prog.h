/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * uringblk - the program ABI: what a program running on the drive sees.
 *
 * The contract between the drive's program VM (driver/prog_*.c) and the
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
#define URINGBLK_HELPER_MAX		6

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
	URINGBLK_PROG_ABORT_IO		= 6,	/* backend errno (e.g. -EIO) while reading data; also -EIO for an
						   injected read fault (sysfs fault/) or an OFFLINE zone */
	URINGBLK_PROG_ABORT_STOPPED	= 7,	/* embedder's errno at a reschedule point (e.g. -EINTR, -ENODEV) */
};

#endif /* _UAPI_LINUX_URINGBLK_PROG_H */
