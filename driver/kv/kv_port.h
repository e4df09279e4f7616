/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel facilities the KV engine (driver/kv/kv_*.c) uses, so the
 * same sources build into the module and into native tests and the fuzzer
 * (tests/unit/kvtest.c, tests/fuzz/fuzz_kv.c).  Nothing else from libc or
 * the kernel may be used by those files: memory, CRC-32C, little-endian
 * accessors and string functions (memcpy, memset, memcmp, snprintf: the
 * same in both) come from here, and every block of the
 * media goes through struct kv_media's callbacks (kv_engine.h).
 */
#ifndef _URINGBLK_KV_PORT_H
#define _URINGBLK_KV_PORT_H

#ifdef __KERNEL__

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/crc32.h>
#include "../compat.h"	/* <linux/unaligned.h> on 6.12 */

/* may sleep: the engine runs in process context under the caller's lock */
static inline void *kv_zalloc(size_t size)
{
	return kvzalloc(size, GFP_KERNEL);
}

static inline void kv_free(void *p)
{
	kvfree(p);
}

/* CRC-32C, no pre- or post-inversion (the kernel's crc32c() convention) */
static inline u32 kv_crc32c_raw(u32 crc, const void *p, size_t len)
{
	return __crc32c_le(crc, p, len);
}

#else /* !__KERNEL__ */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <linux/types.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;

#ifndef EUCLEAN
#define EUCLEAN 117
#endif
#ifndef likely
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#endif
#ifndef BUILD_BUG_ON
#define BUILD_BUG_ON(c)	_Static_assert(!(c), #c)
#endif
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

static inline void *kv_zalloc(size_t size)
{
	return calloc(1, size ? size : 1);
}

static inline void kv_free(void *p)
{
	free(p);
}

/*
 * CRC-32C (Castagnoli), reflected, byte at a time with a table built on
 * first use: the native builds that use it are single-threaded where they
 * first call it (kvtest, the fuzzer), and the table is only ever written
 * with the same values.
 */
static inline u32 kv_crc32c_raw(u32 crc, const void *buf, size_t len)
{
	static u32 tab[256];
	static bool ready;
	const u8 *p = buf;
	u32 i, j, c;

	if (!ready) {
		for (i = 0; i < 256; i++) {
			c = i;
			for (j = 0; j < 8; j++)
				c = c & 1 ? (c >> 1) ^ 0x82f63b78U : c >> 1;
			tab[i] = c;
		}
		ready = true;
	}
	while (len--)
		crc = (crc >> 8) ^ tab[(crc ^ *p++) & 0xff];
	return crc;
}

/* Little-endian accessors through memcpy: correct on every host. */
static inline u16 get_unaligned_le16(const void *p)
{
	const u8 *b = p;

	return (u16)(b[0] | b[1] << 8);
}

static inline u32 get_unaligned_le32(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] | (u32)b[1] << 8 | (u32)b[2] << 16 | (u32)b[3] << 24;
}

static inline u64 get_unaligned_le64(const void *p)
{
	return get_unaligned_le32(p) | (u64)get_unaligned_le32((const u8 *)p + 4) << 32;
}

static inline void put_unaligned_le16(u16 v, void *p)
{
	u8 *b = p;

	b[0] = (u8)v;
	b[1] = (u8)(v >> 8);
}

static inline void put_unaligned_le32(u32 v, void *p)
{
	u8 *b = p;

	b[0] = (u8)v;
	b[1] = (u8)(v >> 8);
	b[2] = (u8)(v >> 16);
	b[3] = (u8)(v >> 24);
}

static inline void put_unaligned_le64(u64 v, void *p)
{
	put_unaligned_le32((u32)v, p);
	put_unaligned_le32((u32)(v >> 32), (u8 *)p + 4);
}

#endif /* __KERNEL__ */

/* The finished CRC-32C of the on-media format: inverted in and out. */
static inline u32 kv_crc32c(u32 seed, const void *p, size_t len)
{
	return ~kv_crc32c_raw(~seed, p, len);
}

#endif /* _URINGBLK_KV_PORT_H */
