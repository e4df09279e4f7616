/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * <liburingblk/split.h> - split scans: one EXEC's range cut into pieces run
 * concurrently, for programs that declare how their results combine.
 *
 * Part of <liburingblk.h>, which includes every header of liburingblk.
 */
#ifndef LIBURINGBLK_SPLIT_H
#define LIBURINGBLK_SPLIT_H

#include <stddef.h>
#include <liburingblk/uapi/uringblk.h>
#include <liburingblk/device.h>
#include <liburingblk/prog.h>
#include <liburingblk/exec.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Split scans (since 1.7, drives of ABI 1.5): one scan as several
 * concurrent EXECs, for programs that declare how their results combine
 * ("How a program's results combine" in <liburingblk/uapi/uringblk_prog.h>; in
 * program sources, URINGBLK_COMBINE() of bpf/uringblk_prog.h).
 */

/* Pieces a split scan takes at most (and EXECs: twice that, less one). */
#define URINGBLK_SPLIT_MAX	256

/**
 * struct uringblk_split_piece - one EXEC of a split scan
 * @lba_start:	its range
 * @lba_count:	(> 0)
 * @sign:	+1: its result counts; -1: it is taken away (the matches of an
 *		overlap, counted twice otherwise)
 * @rsvd:	zero
 */
struct uringblk_split_piece {
	__u64	lba_start;
	__u64	lba_count;
	__s32	sign;
	__u32	rsvd;
};

/**
 * uringblk_prog_read_combine() - a program's combine declaration
 * @obj_path:	clang-built object, as for uringblk_prog_read_obj()
 * @prog_name:	the program's function; NULL: the only declaration there is
 * @cb:		receives it; all zero if the program does not declare
 * @log:	reason of a refusal, or NULL
 * @log_len:	its size
 *
 * Return: 0 (declared or not), -EINVAL (a malformed declaration, or
 * several and @prog_name NULL), or the errno of opening the file.
 */
int uringblk_prog_read_combine(const char *obj_path, const char *prog_name,
			       struct uringblk_prog_combine *cb, char *log,
			       size_t log_len);

/**
 * uringblk_prog_load_obj_combine() - load a program with its declaration
 * @dev:	as for uringblk_prog_load_obj_slot()
 * @po:		as for uringblk_prog_load_obj_slot()
 * @pind:	as for uringblk_prog_load_obj_slot()
 * @log:	as for uringblk_prog_load_obj_slot()
 * @log_len:	as for uringblk_prog_load_obj_slot()
 * @cb:		from uringblk_prog_read_combine(); NULL or r0 NONE: none
 *
 * A declaration travels in PROG_LOAD F_IMAGE (image.combine); the drive
 * refuses a bad one with -EINVAL and the reason in @log.  A drive before
 * ABI 1.5 refuses any with -EINVAL ("image reserved fields").
 * uringblk_prog_load_file() reads and passes the declaration itself.
 *
 * Return: as uringblk_prog_load_obj().
 */
int uringblk_prog_load_obj_combine(struct uringblk_dev *dev,
				   const struct uringblk_prog_obj *po, __u32 pind,
				   const struct uringblk_prog_combine *cb,
				   char *log, size_t log_len);

/**
 * uringblk_prog_get_combine() - the declaration the drive keeps for a program
 * @dev:	open handle
 * @prog_id:	the program
 * @cb:		receives it (all zero: not declared)
 *
 * Return: 0, -ENOENT (no such program), or a negative errno of PROG_LIST.
 */
int uringblk_prog_get_combine(struct uringblk_dev *dev, __u32 prog_id,
			      struct uringblk_prog_combine *cb);

/**
 * uringblk_split_plan() - cut one EXEC's range into pieces
 * @cb:		the program's declaration
 * @a:		the EXEC over the whole range (flags 0: a zone's written part
 *		is not split)
 * @block_size:	the drive's logical block size
 * @nr:		pieces wanted, 1..URINGBLK_SPLIT_MAX
 * @pieces:	receives the EXECs: the pieces in order, then the overlaps
 *		taken away
 * @max:	capacity of @pieces (2 * @nr - 1 always suffices)
 *
 * Pieces are whole blocks, at multiples of the record size when the
 * program declares align_arg, and fewer than @nr when the range has fewer
 * such units.  With an overlap (a pattern of length L), each piece but the
 * last extends by ceil((L - 1) / @block_size) blocks into the next, and an
 * EXEC over just that extension is taken away.  Pure: no device.
 *
 * Return: the number of EXECs, or -EOPNOTSUPP (the program does not
 * declare: it cannot be split), -EINVAL, -E2BIG (@max too small).
 */
int uringblk_split_plan(const struct uringblk_prog_combine *cb,
			const struct uringblk_exec_args *a, __u32 block_size,
			unsigned int nr, struct uringblk_split_piece *pieces,
			unsigned int max);

/**
 * uringblk_split_combine() - the result over the whole range, from the pieces'
 * @cb:		the program's declaration
 * @pieces:	the plan
 * @n:		its EXECs
 * @results:	their results, in plan order (all completed)
 * @outs:	their outputs, cb->out_len bytes each (zero past their
 *		out_len, as an EXEC's output buffer starts zeroed); may be
 *		NULL without an output rule
 * @res:	receives the combined result: r0, out_len = cb->out_len,
 *		insns and bytes_scanned summed over all EXECs
 * @out:	receives the combined output (cb->out_len bytes)
 * @out_len:	its size
 *
 * Pure: no device.  Return: 0, -EOPNOTSUPP (no declaration), -ENOSPC
 * (@out_len below cb->out_len), -EINVAL.
 */
int uringblk_split_combine(const struct uringblk_prog_combine *cb,
			   const struct uringblk_split_piece *pieces, unsigned int n,
			   const struct uringblk_exec_result *results,
			   const void *const *outs, struct uringblk_exec_result *res,
			   void *out, size_t out_len);

/**
 * struct uringblk_split_combine_args - the pieces
 *	uringblk_split_combine_args() combines (since 1.11)
 * @size:	sizeof(struct uringblk_split_combine_args) as the caller was
 *		built (the rule of struct uringblk_prog_load_args)
 * @flags:	0 (reserved for options)
 * @pieces:	as for uringblk_split_combine()
 * @n:		as for uringblk_split_combine()
 * @results:	as for uringblk_split_combine()
 * @outs:	as for uringblk_split_combine()
 * @out:	as for uringblk_split_combine()
 * @out_len:	as for uringblk_split_combine()
 */
struct uringblk_split_combine_args {
	__u32					size;
	__u32					flags;
	const struct uringblk_split_piece	*pieces;
	unsigned int				n;
	const struct uringblk_exec_result	*results;
	const void *const			*outs;
	void					*out;
	size_t					out_len;
};

/**
 * uringblk_split_combine_args() - uringblk_split_combine() with its
 *	options in a struct that can grow (since 1.11)
 * @cb:		the program's declaration
 * @args:	the plan, its results and outputs (@args->size set)
 * @res:	as for uringblk_split_combine()
 *
 * Pure: no device.  Return: as uringblk_split_combine(); -EINVAL (@args NULL, its size below
 * that of 1.11's struct, or flags not 0) or -E2BIG (a larger struct whose
 * bytes past the ones this library knows are not 0), before anything is
 * written.
 */
int uringblk_split_combine_args(const struct uringblk_prog_combine *cb,
				const struct uringblk_split_combine_args *args,
				struct uringblk_exec_result *res);

/**
 * uringblk_exec_split() - one scan as concurrent EXECs, combined
 * @dev:	open handle
 * @a:		as for uringblk_exec()
 * @nr:		pieces; 0: the drive's compute units (identify.timing_*) if
 *		its timing model has some, else the online CPUs
 * @res:	the combined result (or, if an EXEC failed, the first failing
 *		piece's result)
 * @out:	the combined output, or NULL without an output rule
 * @out_len:	its size, at least the declared out_len
 *
 * Asks the drive how the program's results combine (PROG_LIST), plans
 * the pieces (uringblk_split_plan()), submits all their EXECs at once on a
 * ring of its own and combines their results (uringblk_split_combine()):
 * the result one EXEC over the whole range gives.
 *
 * Return: 0, or -EOPNOTSUPP: the program does not declare how its results
 * combine, so it cannot be split (nothing ran); -ENOENT (no such program);
 * -ENOSPC (@out_len below the declared output); -EINVAL; or the errno
 * of the first failing EXEC, in plan order.
 */
int uringblk_exec_split(struct uringblk_dev *dev, const struct uringblk_exec_args *a,
			unsigned int nr, struct uringblk_exec_result *res, void *out,
			size_t out_len);

#ifdef __cplusplus
}
#endif

#endif /* LIBURINGBLK_SPLIT_H */
