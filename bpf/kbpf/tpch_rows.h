/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * tpch_rows.h - how the kernel-BPF TPC-H twins (tpch_q*_bin.bpf.c) read
 * lineitem's binary rows (struct tpch_row, bpf/tpch.h): a batch at a
 * time into the run's scratch, one bpf_loop() turn each.
 */
#ifndef URINGBLK_KBPF_TPCH_ROWS_H
#define URINGBLK_KBPF_TPCH_ROWS_H

#include "uringblk_kbpf.h"
#include "../tpch.h"

/*
 * Rows @r.. of @n, at most @per (a constant, per * TPCH_ROW_SIZE <=
 * URINGBLK_KBPF_SCRATCH), read into the scratch buffer: returns it, with
 * how many rows in *@k; NULL when none are left or the read failed (the
 * run then has its error).
 */
static __always_inline const struct tpch_row *
tpch_kf_rows(__u64 r, __u64 n, __u64 per, __u64 *k)
{
	__u8 *buf = uringblk_kf_scratch(URINGBLK_KBPF_SCRATCH);

	if (!buf || r >= n)
		return NULL;
	*k = n - r < per ? n - r : per;
	if (uringblk_kf_read(r * TPCH_ROW_SIZE, buf, *k * TPCH_ROW_SIZE))
		return NULL;
	return (const struct tpch_row *)buf;
}

#endif /* URINGBLK_KBPF_TPCH_ROWS_H */
