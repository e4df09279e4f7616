// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness over the KV engine's open path (driver/kv/kv_open.c)
 * and what an opened image lets the engine do next, with ASan and UBSan.
 * The input mutates a valid image built once at start (64 KiB: two
 * superblocks, both journal halves used, values in the data area):
 *
 *   byte 0:     bit 0 recompute every superblock and record CRC after the
 *               damage (so validation past the CRCs is reached), bit 1 run
 *               store, append, delete and retrieve on an opened image
 *   then 4-byte edits: offset (2 bytes, little-endian, into the image),
 *               value, what (0 xor, 1 set, 2 copy the block holding the
 *               offset over block value % 128, 3 zero that block)
 *
 * Oracles besides the sanitizers: an image that opens has a free map that
 * agrees with its index, before and after the calls; fsck never crashes.
 */
#include <stdint.h>
#include <stddef.h>
#include "../unit/kvmedia.h"

#define IMG_BLOCKS 128
#define IMG_BS 512
#define NONCE 0x1234abcd5678ef01ULL

static u8 *base;
static struct kvm media;

static int from_buf(void *arg, u64 off, void *buf, u32 len)
{
	memcpy(buf, (const u8 *)arg + off, len);
	return 0;
}

static int to_nothing(void *arg, u64 off, void *buf, u32 len)
{
	return 0;
}

static void build_base(void)
{
	struct kv_format_params p = { 12, 4096, NONCE };
	struct kv_media km;
	struct kv_engine *e;
	u8 val[4096], key[16];
	u64 rng = 42;
	u32 i;

	kvm_init(&media, IMG_BS, IMG_BLOCKS, 1);
	km = kvm_media(&media);
	if (kv_format(&km, &p) || kv_open(&km, &e))
		abort();
	for (i = 0; i < sizeof(val); i++)
		val[i] = (u8)kvm_rand(&rng);
	/* enough calls for several compactions; keys of every length */
	for (i = 0; i < 200; i++) {
		u32 klen = 1 + i % 16, k = (u32)(kvm_rand(&rng) % 20);

		memset(key, 0, sizeof(key));
		key[0] = (u8)k;
		if (i % 5 == 4)
			kv_delete(e, key, klen, false);
		else
			kv_store(e, key, klen, kvm_rand(&rng) % 1500, from_buf, val,
				 i % 7 == 3 ? KV_STORE_APPEND : 0);
	}
	kv_close(e);
	base = malloc(IMG_BLOCKS * IMG_BS);
	memcpy(base, media.cur, IMG_BLOCKS * IMG_BS);
}

static void fix_crcs(u8 *img)
{
	u32 seed = (u32)NONCE ^ (u32)(NONCE >> 32), i;
	u64 b, data_start = get_unaligned_le64(base + 72);

	for (i = 0; i < 2; i++)
		put_unaligned_le32(kv_crc32c(0, img + i * IMG_BS, 124), img + i * IMG_BS + 124);
	for (b = 2; b < data_start && b < IMG_BLOCKS; b++)
		for (i = 0; i < IMG_BS / 128; i++) {
			u8 *r = img + b * IMG_BS + i * 128;

			if (r[0] != 1 && r[0] != 2)
				continue;
			put_unaligned_le32(0, r + 4);
			put_unaligned_le32(kv_crc32c(seed, r, 128), r + 4);
		}
}

static void use(struct kv_engine *e)
{
	u8 buf[600], val[700];
	u32 nrk, total, pos = 4, n;
	u64 vlen, copied;

	memset(val, 3, sizeof(val));
	if (kv_list(e, NULL, 0, buf, sizeof(buf), &nrk, &total) != KV_OK)
		abort();
	for (n = 0; n < nrk; n++) {
		u16 kl = get_unaligned_le16(buf + pos);

		if (kl < 1 || kl > 16)
			abort();
		kv_retrieve(e, buf + pos + 2, kl, 0, ~0ULL, to_nothing, NULL, &vlen, &copied);
		if (n == 0) {
			kv_store(e, buf + pos + 2, kl, 700, from_buf, val, KV_STORE_APPEND);
			kv_store(e, buf + pos + 2, kl, 10, from_buf, val, 0);
		}
		if (n == 1)
			kv_delete(e, buf + pos + 2, kl, true);
		pos += 2 + kl + (4 - kl % 4) % 4;
	}
	kv_store(e, (const u8 *)"fuzz", 4, 600, from_buf, val, KV_STORE_MUST_NOT_EXIST);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kv_fsck_report rep;
	struct kv_engine *e;
	struct kv_media km;
	size_t i;

	if (!base)
		build_base();
	if (!size)
		return 0;
	kvm_drop_pending(&media);
	memcpy(media.cur, base, IMG_BLOCKS * IMG_BS);
	for (i = 1; i + 4 <= size; i += 4) {
		u32 off = get_unaligned_le16(data + i) % (IMG_BLOCKS * IMG_BS);
		u8 v = data[i + 2], what = data[i + 3] % 4;
		u8 *blk = media.cur + off / IMG_BS * IMG_BS;

		if (what == 0)
			media.cur[off] ^= v;
		else if (what == 1)
			media.cur[off] = v;
		else if (what == 2)
			memcpy(media.cur + (v % IMG_BLOCKS) * IMG_BS, blk, IMG_BS);
		else
			memset(blk, 0, IMG_BS);
	}
	if (data[0] & 1)
		fix_crcs(media.cur);
	memcpy(media.dur, media.cur, IMG_BLOCKS * IMG_BS);
	km = kvm_media(&media);
	if (!kv_open(&km, &e)) {
		if (kv_check_alloc(e))
			abort();
		if (data[0] & 2) {
			use(e);
			if (kv_check_alloc(e))
				abort();
		}
		kv_close(e);
	}
	kv_fsck(&km, true, &rep);
	return 0;
}
