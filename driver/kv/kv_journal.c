// SPDX-License-Identifier: GPL-2.0
/*
 * The KV engine's on-media metadata (Documentation/dev/kv-format.md): the
 * two superblock copies, the index journal's records and its two halves,
 * format, open (replay of the active half, rebuild of index and free map,
 * every field validated), append, compaction into the other half, and
 * fsck.  Pure C (kv_port.h); the media only through struct kv_media.
 */
#include "kv_int.h"

/* Superblocks */

static void kv_sb_encode(const struct kv_sb *s, u8 *b)
{
	memset(b, 0, KV_SB_SIZE);
	memcpy(b, KV_SB_MAGIC, 8);
	put_unaligned_le32(KV_SB_VERSION, b + 8);
	put_unaligned_le32(s->block_size, b + 12);
	put_unaligned_le64(s->total_blocks, b + 16);
	put_unaligned_le64(s->nonce, b + 24);
	put_unaligned_le64(s->sb_seq, b + 32);
	put_unaligned_le32(s->half_blocks, b + 40);
	put_unaligned_le32(s->active, b + 44);
	put_unaligned_le64(s->journal_gen, b + 48);
	put_unaligned_le64(s->next_gen, b + 56);
	put_unaligned_le64(s->base_seq, b + 64);
	put_unaligned_le64(s->data_start, b + 72);
	put_unaligned_le64(s->data_blocks, b + 80);
	put_unaligned_le32(s->max_keys, b + 88);
	put_unaligned_le32(s->max_value_len, b + 92);
	put_unaligned_le32(KV_REC_SIZE, b + 96);
	put_unaligned_le32(KV_MAX_EXTENTS, b + 100);
	put_unaligned_le32(kv_crc32c(0, b, KV_SB_CRC_OFF), b + KV_SB_CRC_OFF);
}

static int kv_sb_write(const struct kv_media *m, const struct kv_sb *s, u8 *blk)
{
	memset(blk, 0, m->block_size);
	kv_sb_encode(s, blk);
	return m->ops->write(m->ctx, s->sb_seq % 2, 1, blk);
}

/* Records */

void kv_rec_encode(const struct kv_engine *e, u8 *r, u8 type,
		   const struct kv_obj *o, const u8 *key, u32 klen)
{
	u32 i;

	memset(r, 0, KV_REC_SIZE);
	r[0] = type;
	r[1] = (u8)klen;
	memcpy(r + 32, key, klen);
	put_unaligned_le64(e->next_seq, r + 8);
	put_unaligned_le64(e->sb.journal_gen, r + 16);
	if (o) {
		put_unaligned_le16(o->next, r + 2);
		put_unaligned_le64(o->vlen, r + 24);
		put_unaligned_le32(o->vcrc, r + 48);
		put_unaligned_le32(o->flags, r + 52);
		for (i = 0; i < o->next; i++) {
			put_unaligned_le32(o->ext[i].start, r + KV_REC_EXT_OFF + 8 * i);
			put_unaligned_le32(o->ext[i].count, r + KV_REC_EXT_OFF + 8 * i + 4);
		}
	}
	put_unaligned_le32(kv_crc32c(kv_rec_seed(e->sb.nonce), r, KV_REC_SIZE), r + 4);
}

/*
 * Append one record at the active half's next slot: the tail block is
 * rewritten whole, the earlier records in it byte for byte as they are
 * on media, so a power cut leaves the old block or the new one (single
 * block atomicity), with FUA (or a flush after it).  Durable when this
 * returns 0.
 */
int kv_journal_append(struct kv_engine *e, u8 type, const struct kv_obj *o,
		      const u8 *key, u32 klen)
{
	u32 in = e->used % e->rec_per_block;
	int ret;

	if (e->used >= e->slots)
		return -ENOSPC;
	if (!in)
		memset(e->tail, 0, e->sb.block_size);
	kv_rec_encode(e, e->tail + in * KV_REC_SIZE, type, o, key, klen);
	ret = kv_media_write_durable(e, kv_half_lba(e, e->sb.active) +
				     e->used / e->rec_per_block, 1, e->tail);
	if (ret) {
		e->failed = true;
		return ret;
	}
	e->used++;
	e->next_seq++;
	return 0;
}

/*
 * Compaction: every live object as one record, in key order, into the
 * other half under a new generation; flush; then the superblock flip.
 * The new generation is reserved durably first, so the records of a
 * compaction a power cut interrupted can never pass for a later one's.
 */
static int kv_compact(struct kv_engine *e)
{
	struct kv_sb ns = e->sb;
	u32 other = !e->sb.active, n = 0, in = 0;
	u64 lba = kv_half_lba(e, other), seq0 = e->next_seq;
	struct kv_obj *o;
	int ret;

	ns.sb_seq++;
	ns.next_gen++;
	ret = kv_sb_write(&e->m, &ns, e->tail);
	if (!ret)
		ret = kv_media_flush(e);
	if (ret)
		goto fail;
	e->sb = ns;

	/* records with the reserved generation, built in wbuf */
	ns.journal_gen = ns.next_gen - 1;
	ns.base_seq = seq0;
	e->sb.journal_gen = ns.journal_gen;	/* kv_rec_encode()'s view */
	memset(e->wbuf, 0, KV_CHUNK);
	for (o = kv_idx_lower_bound(e->root, (const u8 *)"", 0, NULL); o;
	     o = kv_idx_next(e->root, o)) {
		u32 off = in * KV_REC_SIZE;

		kv_rec_encode(e, e->wbuf + off, KV_REC_PUT, o, o->key, o->klen);
		e->next_seq++;
		n++;
		if (++in * KV_REC_SIZE == KV_CHUNK) {
			ret = kv_media_write(e, lba, KV_CHUNK / e->sb.block_size, e->wbuf);
			if (ret)
				goto fail;
			lba += KV_CHUNK / e->sb.block_size;
			in = 0;
			memset(e->wbuf, 0, KV_CHUNK);
		}
	}
	if (in) {
		u32 nb = (in * KV_REC_SIZE + e->sb.block_size - 1) / e->sb.block_size;

		ret = kv_media_write(e, lba, nb, e->wbuf);
		if (ret)
			goto fail;
	}
	ret = kv_media_flush(e);
	if (ret)
		goto fail;

	ns.sb_seq++;
	ns.active = other;
	ret = kv_sb_write(&e->m, &ns, e->tail);
	if (!ret)
		ret = kv_media_flush(e);
	if (ret)
		goto fail;
	e->sb = ns;
	e->used = n;
	/* the new tail block: the last partial block's records */
	memset(e->tail, 0, e->sb.block_size);
	if (n % e->rec_per_block)
		memcpy(e->tail, e->wbuf + (in * KV_REC_SIZE / e->sb.block_size) *
		       e->sb.block_size, e->sb.block_size);
	return 0;
fail:
	e->failed = true;
	return ret;
}

/* Before a record that may need a slot: compact if the half is full. */
int kv_journal_make_room(struct kv_engine *e)
{
	if (e->used < e->slots)
		return 0;
	return kv_compact(e);
}

/* Format */

int kv_format(const struct kv_media *m, const struct kv_format_params *p)
{
	struct kv_sb s = { 0 };
	u64 slots, half, rpb, maxv;
	u8 *blk;
	int ret;

	if (m->block_size < KV_MIN_BLOCK_SIZE || m->block_size > KV_MAX_BLOCK_SIZE ||
	    (m->block_size & (m->block_size - 1)))
		return -EINVAL;
	rpb = m->block_size / KV_REC_SIZE;
	s.block_size = m->block_size;
	s.max_keys = p->max_keys;
	if (!s.max_keys) {
		u64 k = m->nblocks / 8;

		s.max_keys = k < 16 ? 16 : k > (1U << 24) ? (1U << 24) : (u32)k;
	}
	slots = 2 * (u64)s.max_keys;
	half = (slots + rpb - 1) / rpb;
	if (half > (1U << 30) || KV_JOURNAL_START + 2 * half >= m->nblocks)
		return -EINVAL;
	s.half_blocks = (u32)half;
	s.data_start = KV_JOURNAL_START + 2 * half;
	s.total_blocks = m->nblocks;
	s.data_blocks = m->nblocks - s.data_start;
	if (s.data_blocks > 0xffffffffULL) {
		s.data_blocks = 0xffffffffULL;
		s.total_blocks = s.data_start + s.data_blocks;
	}
	maxv = p->max_value_len ? p->max_value_len : KV_DEFAULT_MAX_VALUE;
	if (maxv > s.data_blocks * s.block_size)
		maxv = s.data_blocks * s.block_size;
	if (maxv > 0xffffffffULL)
		maxv = 0xffffffffULL;
	s.max_value_len = (u32)maxv;
	s.nonce = p->nonce;
	s.journal_gen = 1;
	s.next_gen = 2;
	s.base_seq = 1;
	blk = kv_zalloc(m->block_size);
	if (!blk)
		return -ENOMEM;
	s.sb_seq = 1;
	ret = kv_sb_write(m, &s, blk);
	s.sb_seq = 2;
	if (!ret)
		ret = kv_sb_write(m, &s, blk);
	if (!ret)
		ret = m->ops->flush(m->ctx);
	kv_free(blk);
	return ret;
}
