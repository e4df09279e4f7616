/* SPDX-License-Identifier: GPL-2.0 */
/*
 * uringblk - what helpers in more than one file share (prog_helpers.c defines
 * it; prog_scan.c, prog_records.c and prog_arith.c use it): the walk over a
 * data range in charged pieces, the range check, the work charge and the abort
 * shorthand.  Internal to the VM; the rules they keep are in prog_vm.h
 * ("Budget", "Yield").
 */
#ifndef _URINGBLK_PROG_WALK_H
#define _URINGBLK_PROG_WALK_H

#include "prog_vm.h"

/*
 * A walk over the data range [pos, end) of one helper call, in pieces of
 * at most URINGBLK_PROG_PIECE bytes: the helper charges its work after
 * each piece, so budget checks and reschedule points come that often
 * whatever the window size, and a window is mapped only once its cost is
 * paid.
 */
struct walk {
	const u8 *win;		/* mapped window, NULL if none */
	u64 wpos;		/* data offset of win[0] */
	u64 wend;		/* end of the window */
	u64 pos;		/* next byte to hand out */
	u64 end;		/* end of the range */
};

void walk_start(struct walk *w, u64 off, u64 len);
/* next piece in *p, its length; 0 at the end, on abort or yield */
u64 walk_next(struct uringblk_prog_state *st, struct walk *w, const u8 **p);
void walk_unmap(struct uringblk_prog_state *st, struct walk *w);
/* [off, off + len) inside the granted range, else -ERANGE abort */
bool data_range_ok(struct uringblk_prog_state *st, u64 off, u64 len);
/* charge the call's work so far; false if the run aborted or yields */
bool work_charge(struct uringblk_prog_state *st);
/* abort with err and code; returns 0 */
u64 helper_fail(struct uringblk_prog_state *st, int err, u32 code);

/* prog_records.c: helpers 7..9 (<linux/uringblk_prog.h>, "Records") */
u64 uringblk_prog_rec_fields(struct uringblk_prog_state *st, u64 off,
			     u64 end, u64 pos_addr, u32 sep_n);
u64 uringblk_prog_parse_num(struct uringblk_prog_state *st, u64 off,
			    u32 len, u32 fmt);
u64 uringblk_prog_rec_parse(struct uringblk_prog_state *st, u64 off,
			    u64 end, u64 spec_addr, u64 vals_addr);

/* prog_scan.c: helpers 2 and 3 (count_pattern, @first false; find) */
u64 uringblk_prog_pattern_scan(struct uringblk_prog_state *st, u64 off, u64 len,
			       u64 pat_addr, u32 m, bool first);

/* prog_arith.c: helpers 4, 5, and 10..11 (dot_i8, @l2 false; l2sq_i8) */
u64 uringblk_prog_sum_u32(struct uringblk_prog_state *st, u64 off, u64 len);
u64 uringblk_prog_histogram(struct uringblk_prog_state *st, u64 off, u64 len,
			    u64 hist_addr);
u64 uringblk_prog_vec_i8(struct uringblk_prog_state *st, u64 off,
			 u64 q_addr, u32 dim, u32 n, u64 dst_addr, bool l2);

#endif /* _URINGBLK_PROG_WALK_H */
