/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the KV engine's files share and nobody else sees: the on-media
 * layout's constants and encoders (Documentation/dev/kv-format.md), the
 * engine's state, the index (kv_index.c) and the journal (kv_journal.c).
 */
#ifndef _URINGBLK_KV_INT_H
#define _URINGBLK_KV_INT_H

#include "kv_engine.h"

/* superblock: both copies in blocks 0 and 1, 128 bytes each */
#define KV_SB_MAGIC		"UBLKKVS1"
#define KV_SB_VERSION		1
#define KV_SB_SIZE		128
#define KV_SB_CRC_OFF		124
#define KV_JOURNAL_START	2

/* journal record: 128 bytes, never across a block */
#define KV_REC_SIZE		128
#define KV_REC_PUT		1
#define KV_REC_DEL		2
#define KV_MAX_EXTENTS		9
#define KV_REC_EXT_OFF		56
/* record flags (bytes 52..55) */
/* the value has no CRC: stored on trusted media (struct kv_media) */
#define KV_REC_F_NOCRC		(1U << 0)
#define KV_REC_FLAGS		KV_REC_F_NOCRC

/* bytes of value moved per media call (a multiple of every block size) */
#define KV_CHUNK		(256U << 10)

struct kv_ext {
	u32 start;	/* block in the data area */
	u32 count;	/* blocks, > 0 */
};

/* one live object: a node of the AVL tree ordered by key */
struct kv_obj {
	struct kv_obj *l, *r;
	u32 size;		/* nodes in this subtree */
	u8 height;
	u8 klen;
	u8 next;		/* extents used */
	u8 key[KV_MAX_KEY_LEN];
	u8 flags;		/* KV_REC_F_*, as in its record */
	u32 vcrc;		/* CRC-32C of the value; 0 with KV_REC_F_NOCRC */
	u64 vlen;
	struct kv_ext ext[KV_MAX_EXTENTS];
};

/* the superblock in memory (one of the two copies) */
struct kv_sb {
	u32 block_size;
	u64 total_blocks;
	u64 nonce;
	u64 sb_seq;		/* the newer valid copy wins */
	u32 half_blocks;
	u32 active;		/* 0 or 1: the journal half being appended */
	u64 journal_gen;	/* generation of the active half's records */
	u64 next_gen;		/* > every generation ever written */
	u64 base_seq;		/* seq of the active half's first record */
	u64 data_start;
	u64 data_blocks;
	u32 max_keys;
	u32 max_value_len;
};

struct kv_engine {
	struct kv_media m;
	struct kv_sb sb;
	u32 rec_per_block;
	u32 slots;		/* records per journal half */
	u32 used;		/* records in the active half */
	u64 next_seq;
	/* the index */
	struct kv_obj *root;
	/* the free map: one bit per data block, set = allocated */
	u64 *bitmap;
	u64 free_blocks;
	/* the active half's tail block as on media (writer only) */
	u8 *tail;
	/* KV_CHUNK bytes for writes (writer only) */
	u8 *wbuf;
	/* a media write or flush failed: refuse everything until reopened */
	bool failed;
	/* bumped by every change of the index (kv_put_end() keeps a link) */
	u64 idx_gen;
	/* a freed struct kv_obj and a struct kv_put kept for the next store */
	void *spare_obj;
	void *spare_put;
};

/* kv_index.c: the AVL tree */
int kv_key_cmp(const u8 *a, u32 alen, const u8 *b, u32 blen);
struct kv_obj *kv_idx_find(struct kv_obj *root, const u8 *key, u32 klen);
/* inserts @o, or returns the node with its key (left in place) */
struct kv_obj *kv_idx_insert(struct kv_obj **root, struct kv_obj *o);
/* unlinks and returns the node with @key, or NULL */
struct kv_obj *kv_idx_remove(struct kv_obj **root, const u8 *key, u32 klen);
/* the link that points at the node with @key, or where it would go (NULL) */
struct kv_obj **kv_idx_link(struct kv_obj **root, const u8 *key, u32 klen);
/* puts @n, of the same key, where the node *@link is (no rebalancing) */
void kv_idx_replace(struct kv_obj **link, struct kv_obj *n);
/* the first node >= @key and how many nodes are >= @key */
struct kv_obj *kv_idx_lower_bound(struct kv_obj *root, const u8 *key, u32 klen,
				  u32 *count_ge);
/* the node after @o in key order (by key: no parent pointers) */
struct kv_obj *kv_idx_next(struct kv_obj *root, const struct kv_obj *o);
void kv_idx_free(struct kv_obj *root);
static inline u32 kv_idx_count(const struct kv_obj *root)
{
	return root ? root->size : 0;
}

/* kv_index.c: the free map */
bool kv_bit_test(const u64 *map, u64 b);
/* marks @x allocated; false if a block of it already was */
bool kv_map_claim(struct kv_engine *e, const struct kv_ext *x);
void kv_map_release(struct kv_engine *e, const struct kv_ext *x);
/* first fit: one run if any fits, else up to @max runs; 0 or -ENOSPC */
int kv_map_alloc(struct kv_engine *e, u64 blocks, struct kv_ext *x, u32 max,
		 u32 *nx);

/* kv_journal.c */
void kv_rec_encode(const struct kv_engine *e, u8 *rec, u8 type,
		   const struct kv_obj *o, const u8 *key, u32 klen);
int kv_journal_append(struct kv_engine *e, u8 type, const struct kv_obj *o,
		      const u8 *key, u32 klen);
int kv_journal_make_room(struct kv_engine *e);

/*
 * kv_engine.c: read value bytes [off, off + len) of @o to @copy, adding
 * them to *crc when @crc is not NULL; 0, -EIO (media) or the copy's error
 */
int kv_read_value(struct kv_engine *e, const struct kv_obj *o, u64 off,
		  u64 len, kv_copy_fn copy, void *arg, u32 *crc);

/* the media, in blocks */
static inline int kv_media_read(const struct kv_engine *e, u64 lba, u32 n,
				void *buf)
{
	return e->m.ops->read(e->m.ctx, lba, n, buf);
}

static inline int kv_media_write(const struct kv_engine *e, u64 lba, u32 n,
				 const void *buf)
{
	return e->m.ops->write(e->m.ctx, lba, n, buf);
}

static inline int kv_media_flush(const struct kv_engine *e)
{
	return e->m.ops->flush(e->m.ctx);
}

/* @n blocks written and durable when it returns 0 (FUA, or write + flush) */
static inline int kv_media_write_durable(const struct kv_engine *e, u64 lba,
					 u32 n, const void *buf)
{
	int ret;

	if (e->m.ops->write_fua)
		return e->m.ops->write_fua(e->m.ctx, lba, n, buf);
	ret = kv_media_write(e, lba, n, buf);
	return ret ? ret : kv_media_flush(e);
}

static inline u64 kv_blocks_of(const struct kv_engine *e, u64 bytes)
{
	return (bytes + e->sb.block_size - 1) / e->sb.block_size;
}

static inline u64 kv_half_lba(const struct kv_engine *e, u32 half)
{
	return KV_JOURNAL_START + (u64)half * e->sb.half_blocks;
}

static inline u32 kv_rec_seed(u64 nonce)
{
	return (u32)nonce ^ (u32)(nonce >> 32);
}

#endif /* _URINGBLK_KV_INT_H */
