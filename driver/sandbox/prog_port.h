/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel facilities the program VM (prog_verify.c, prog_interp.c,
 * prog_helpers.c) uses, so the same sources build into the module and
 * into native test, fuzz and benchmark binaries.  Nothing else from libc
 * or the kernel may be used by those files.
 */
#ifndef _URINGBLK_PROG_PORT_H
#define _URINGBLK_PROG_PORT_H

#ifdef __KERNEL__

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/slab.h>
#include <linux/swab.h>
#include <linux/compiler.h>
#include <linux/bpf.h>
#include <linux/crc32.h>
#include "../compat.h"	/* <linux/unaligned.h> on 6.12 */

#else /* !__KERNEL__ */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <linux/types.h>
#include <linux/bpf.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;

#ifndef noinline
#define noinline	__attribute__((__noinline__))
#endif
#ifndef likely
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#endif
#ifndef fallthrough
#define fallthrough	__attribute__((__fallthrough__))
#endif
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif
#ifndef min_t
#define min_t(t, a, b)	((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#endif
#ifndef __maybe_unused
#define __maybe_unused	__attribute__((__unused__))
#endif
#ifndef __aligned
#define __aligned(x)	__attribute__((aligned(x)))
#endif
/* sparse's cast from a restricted (__le, __be) type; nothing natively */
#ifndef __force
#define __force
#endif
/* only the kernel's objtool needs to find the interpreter's jump table */
#define __annotate_jump_table
#define BUILD_BUG_ON(c)	_Static_assert(!(c), #c)
#ifndef U16_MAX
#define U16_MAX		0xffff
#endif

/* the validator's scratch memory */
#define GFP_KERNEL	0
static inline void *kvcalloc(size_t n, size_t size, int gfp)
{
	(void)gfp;
	return calloc(n, size);
}

static inline void kvfree(const void *p) { free((void *)p); }

/* Unaligned access through memcpy: one mov on x86, correct everywhere. */
#define __URINGBLK_UNALIGNED(t)						\
	static inline t get_unaligned_##t(const void *p)		\
	{ t v; memcpy(&v, p, sizeof(v)); return v; }			\
	static inline void put_unaligned_##t(t v, void *p)		\
	{ memcpy(p, &v, sizeof(v)); }
__URINGBLK_UNALIGNED(u16)
__URINGBLK_UNALIGNED(u32)
__URINGBLK_UNALIGNED(u64)

static inline u16 swab16(u16 x) { return __builtin_bswap16(x); }
static inline u32 swab32(u32 x) { return __builtin_bswap32(x); }
static inline u64 swab64(u64 x) { return __builtin_bswap64(x); }

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define cpu_to_le16(x)	((u16)(x))
#define cpu_to_le32(x)	((u32)(x))
#define cpu_to_le64(x)	((u64)(x))
#define cpu_to_be16(x)	swab16(x)
#define cpu_to_be32(x)	swab32(x)
#define cpu_to_be64(x)	swab64(x)
#else
#define cpu_to_le16(x)	swab16(x)
#define cpu_to_le32(x)	swab32(x)
#define cpu_to_le64(x)	swab64(x)
#define cpu_to_be16(x)	((u16)(x))
#define cpu_to_be32(x)	((u32)(x))
#define cpu_to_be64(x)	((u64)(x))
#endif

static inline u32 get_unaligned_le32(const void *p)
{
	return cpu_to_le32(get_unaligned_u32(p));
}

static inline u64 get_unaligned_le64(const void *p)
{
	return cpu_to_le64(get_unaligned_u64(p));
}

/*
 * lib/crc32.c's crc32_le() (CRC-32, the IEEE 802.3 polynomial, as zlib's)
 * and __crc32c_le() (CRC-32C, Castagnoli): reflected, no pre- or
 * post-inversion, slicing by 8 with tables built on first use (the
 * userspace builds are single-threaded where they use it).
 */
struct uringblk_crc_tab {
	u32 t[8][256];
	bool ready;
};

static inline u32 uringblk_crc(struct uringblk_crc_tab *tab, u32 poly,
			       u32 crc, const unsigned char *p, size_t len)
{
	u32 (*t)[256] = tab->t;
	u32 i, j, c;

	if (!tab->ready) {
		for (i = 0; i < 256; i++) {
			c = i;
			for (j = 0; j < 8; j++)
				c = c & 1 ? (c >> 1) ^ poly : c >> 1;
			t[0][i] = c;
		}
		for (i = 0; i < 256; i++)
			for (j = 1; j < 8; j++)
				t[j][i] = (t[j - 1][i] >> 8) ^
					  t[0][t[j - 1][i] & 0xff];
		tab->ready = true;
	}
	for (; len >= 8; len -= 8, p += 8) {
		u32 lo = crc ^ cpu_to_le32(get_unaligned_u32(p));
		u32 hi = cpu_to_le32(get_unaligned_u32(p + 4));

		crc = t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^
		      t[5][(lo >> 16) & 0xff] ^ t[4][lo >> 24] ^
		      t[3][hi & 0xff] ^ t[2][(hi >> 8) & 0xff] ^
		      t[1][(hi >> 16) & 0xff] ^ t[0][hi >> 24];
	}
	while (len--)
		crc = (crc >> 8) ^ t[0][(crc ^ *p++) & 0xff];
	return crc;
}

static inline u32 crc32_le(u32 crc, const unsigned char *p, size_t len)
{
	static struct uringblk_crc_tab tab;

	return uringblk_crc(&tab, 0xedb88320U, crc, p, len);
}

static inline u32 __crc32c_le(u32 crc, const unsigned char *p, size_t len)
{
	static struct uringblk_crc_tab tab;

	return uringblk_crc(&tab, 0x82f63b78U, crc, p, len);
}

#endif /* __KERNEL__ */

/* Same spelling on both sides for the unaligned accessors the VM uses. */
#ifdef __KERNEL__
#define get_unaligned_u16(p)	get_unaligned((const u16 *)(p))
#define get_unaligned_u32(p)	get_unaligned((const u32 *)(p))
#define get_unaligned_u64(p)	get_unaligned((const u64 *)(p))
#define put_unaligned_u16(v, p)	put_unaligned((u16)(v), (u16 *)(p))
#define put_unaligned_u32(v, p)	put_unaligned((u32)(v), (u32 *)(p))
#define put_unaligned_u64(v, p)	put_unaligned((u64)(v), (u64 *)(p))
#endif

#endif /* _URINGBLK_PROG_PORT_H */
