// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Lesson 6: files.  See docs/learn/06-files.md.
 *
 * Return the number of lines of a file on an ext4 filesystem on the drive.
 * A line ends with '\n', but the file's last line may not: count it too.
 * The check runs the program over the file both ways (exec --file: one
 * EXEC over the file's extents; execute --file: copied into SLM first).
 *   make learn N=6
 */
#include "uringblk_prog.h"

SEC(URINGBLK_PROG_SEC)
__u64 count_lines(const struct uringblk_prog_ctx *ctx)
{
	__u8 nl = '\n';
	__u64 n;

	if (ctx->data_len == 0)
		return 0;
	n = uringblk_count_pattern(0, ctx->data_len, &nl, 1);
	/* TODO: if the file's last byte (at data_len - 1) is not '\n', the
	 * last line has no newline: count it (read it with uringblk_read) */
	return n;
}
