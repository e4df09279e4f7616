// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Lesson 6, solution: the number of lines of a file, as `wc -l` counts
 * them plus one for a last line without a newline.
 *
 * Over a file (exec --file, execute --file) the program sees the file's
 * bytes in file order, wherever its extents lie on the drive, and
 * data_len is the file's size: the block's padding after the end is not
 * part of the range.
 */
#include "uringblk_prog.h"

SEC(URINGBLK_PROG_SEC)
__u64 count_lines(const struct uringblk_prog_ctx *ctx)
{
	__u8 nl = '\n', last;
	__u64 n;

	if (ctx->data_len == 0)
		return 0;
	n = uringblk_count_pattern(0, ctx->data_len, &nl, 1);
	uringblk_read(ctx->data_len - 1, &last, 1);
	if (last != '\n')
		n++;
	return n;
}
