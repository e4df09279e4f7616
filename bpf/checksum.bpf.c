// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * checksum: a checksum of the granted range, two ways.
 *
 * args[0]:	the algorithm
 *		0 (CK_SUM32): the 64-bit wrapping sum of the little-endian
 *		  u32 words of the range, with the uringblk_sum_u32()
 *		  helper: as fast as the drive scans, but only a sum
 *		1 (CK_CRC32): CRC-32 as zlib/gzip/PNG compute it (IEEE
 *		  802.3 polynomial, reflected, init and final xor
 *		  0xffffffff), in bytecode with a 16-entry table on the
 *		  stack: a real checksum, at about 27 budget units per
 *		  byte, so meant for ranges of a few MiB (pass --budget)
 *		2 (CK_CRC32C): CRC-32C as iSCSI, ext4 and NVMe compute it
 *		  (Castagnoli polynomial, reflected, init and final xor
 *		  0xffffffff), the same way as CRC-32
 *		other values stop the run with -EINVAL
 * r0:		the checksum (CRC-32 and CRC-32C in the low 32 bits)
 * output:	none
 *
 * A range is whole logical blocks, so its length is a multiple of 4 as
 * uringblk_sum_u32() requires.
 */
#include "uringblk_prog.h"

#define CK_SUM32	0
#define CK_CRC32	1
#define CK_CRC32C	2

#define CRC32_POLY	0xedb88320U	/* reflected 0x04c11db7 */
#define CRC32C_POLY	0x82f63b78U	/* reflected 0x1edc6f41 */
#define CHUNK		256		/* bytes read per uringblk_read() */

/*
 * CRC of [0, len) with the reflected polynomial poly, carried in crc
 * (pre- and post-inverted by the caller)
 */
static __noinline __u32 crc32_range(__u64 len, __u32 crc, __u32 poly)
{
	__u8 buf[CHUNK];
	__u32 tab[16];
	__u64 off, n, i;
	int k, j;

	/* nibble table, computed: a constant array would land in .rodata */
	for (k = 0; k < 16; k++) {
		__u32 c = k;

		for (j = 0; j < 4; j++)
			c = c & 1 ? (c >> 1) ^ poly : c >> 1;
		tab[k] = c;
	}
	for (off = 0; off < len; off += n) {
		n = len - off < CHUNK ? len - off : CHUNK;
		if (uringblk_read(off, buf, n))
			return 0;	/* not reached: a failed read aborts */
		for (i = 0; i < n; i++) {
			crc ^= buf[i];
			crc = (crc >> 4) ^ tab[crc & 15];
			crc = (crc >> 4) ^ tab[crc & 15];
		}
	}
	return crc;
}

SEC(URINGBLK_PROG_SEC)
__u64 checksum(const struct uringblk_prog_ctx *ctx)
{
	switch (ctx->args[0]) {
	case CK_SUM32:
		return uringblk_sum_u32(0, ctx->data_len);
	case CK_CRC32:
		return crc32_range(ctx->data_len, 0xffffffffU, CRC32_POLY) ^
		       0xffffffffU;
	case CK_CRC32C:
		return crc32_range(ctx->data_len, 0xffffffffU, CRC32C_POLY) ^
		       0xffffffffU;
	}
	return uringblk_abort_einval(ctx);
}
