// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Lesson 4: bounds and the budget.  See docs/learn/04-bounds-and-budget.md.
 *
 * The same job as lesson 2 (count the bytes equal to args[0]), over a
 * range of 4,608 bytes (9 blocks), with three mistakes in it.  The drive
 * catches each one and says where: run the check, read what it prints,
 * fix, repeat:
 *   make learn N=4
 * First the validator refuses the program at load; then runs stop early
 * ("abort") twice, for two different reasons.
 */
#include "uringblk_prog.h"

#define CHUNK	256

/* a habit from kernel eBPF: who ran me? */
static __u64 (*bpf_get_current_pid_tgid)(void) = (void *)14;

SEC(URINGBLK_PROG_SEC)
__u64 count_byte(const struct uringblk_prog_ctx *ctx)
{
	__u8 buf[CHUNK];
	__u8 want = ctx->args[0];
	__u64 off, i, n = 0;

	if (ctx->args[3] == 1)
		return bpf_get_current_pid_tgid();
	for (off = 0; off <= ctx->data_len; off += CHUNK) {
		uringblk_read(off, buf, CHUNK);
		i = 0;
		while (i < CHUNK) {
			if (buf[i] != want)
				continue;
			n++;
			i++;
		}
	}
	return n;
}
