// SPDX-License-Identifier: GPL-2.0
/*
 * Opening a KV image (Documentation/dev/kv-format.md): pick the newer
 * valid superblock, replay the active journal half up to its first record
 * that is not of this generation and sequence, rebuild the index and the
 * free map, and refuse an image whose records contradict each other.
 * Writes nothing (but a flush).  Also fsck, which is open plus the checks of what open
 * trusts (allocation against the index, every value's CRC).  Pure C.
 */
#include "kv_int.h"

/* records one half holds */
static u64 kv_slots_of(u32 block_size, u32 half_blocks)
{
	return (u64)half_blocks * (block_size / KV_REC_SIZE);
}

/* 0 if @b is a consistent superblock for media @m, else -EUCLEAN */
static int kv_sb_decode(const struct kv_media *m, const u8 *b, struct kv_sb *s)
{
	u64 slots, jend;
	u32 i;

	if (memcmp(b, KV_SB_MAGIC, 8) || get_unaligned_le32(b + 8) != KV_SB_VERSION ||
	    get_unaligned_le32(b + KV_SB_CRC_OFF) != kv_crc32c(0, b, KV_SB_CRC_OFF))
		return -EUCLEAN;
	for (i = 104; i < KV_SB_CRC_OFF; i++)
		if (b[i])
			return -EUCLEAN;
	s->block_size = get_unaligned_le32(b + 12);
	s->total_blocks = get_unaligned_le64(b + 16);
	s->nonce = get_unaligned_le64(b + 24);
	s->sb_seq = get_unaligned_le64(b + 32);
	s->half_blocks = get_unaligned_le32(b + 40);
	s->active = get_unaligned_le32(b + 44);
	s->journal_gen = get_unaligned_le64(b + 48);
	s->next_gen = get_unaligned_le64(b + 56);
	s->base_seq = get_unaligned_le64(b + 64);
	s->data_start = get_unaligned_le64(b + 72);
	s->data_blocks = get_unaligned_le64(b + 80);
	s->max_keys = get_unaligned_le32(b + 88);
	s->max_value_len = get_unaligned_le32(b + 92);
	if (get_unaligned_le32(b + 96) != KV_REC_SIZE ||
	    get_unaligned_le32(b + 100) != KV_MAX_EXTENTS)
		return -EUCLEAN;
	if (s->block_size != m->block_size)
		return -EINVAL;
	if (s->total_blocks > m->nblocks)
		return -EINVAL;
	slots = kv_slots_of(s->block_size, s->half_blocks);
	jend = KV_JOURNAL_START + 2 * (u64)s->half_blocks;
	if (s->active > 1 || !s->half_blocks || s->half_blocks > (1U << 30) ||
	    s->journal_gen >= s->next_gen || !s->max_keys ||
	    (u64)s->max_keys * 2 > slots || s->data_start != jend ||
	    s->data_start > s->total_blocks ||
	    s->data_blocks != s->total_blocks - s->data_start ||
	    !s->data_blocks || s->data_blocks > 0xffffffffULL ||
	    (u64)s->max_value_len > s->data_blocks * s->block_size ||
	    s->base_seq > (1ULL << 62))
		return -EUCLEAN;
	return 0;
}

enum kv_rec_check {
	KV_REC_OK,
	KV_REC_END,	/* not a record of this generation: the journal's end */
	KV_REC_BAD,	/* a record with a good CRC and an impossible field */
};

static const char *const kv_end_reason[] = {
	"half full", "bad CRC or type", "other generation", "sequence gap",
};

static enum kv_rec_check kv_rec_decode(const struct kv_engine *e, const u8 *r,
				       u64 seq, struct kv_obj *o, u8 *type,
				       u32 *why)
{
	u8 buf[KV_REC_SIZE];
	u64 blocks = 0;
	u32 i, j;

	memcpy(buf, r, KV_REC_SIZE);
	put_unaligned_le32(0, buf + 4);
	*why = 1;
	if ((r[0] != KV_REC_PUT && r[0] != KV_REC_DEL) ||
	    get_unaligned_le32(r + 4) != kv_crc32c(kv_rec_seed(e->sb.nonce), buf,
						   KV_REC_SIZE))
		return KV_REC_END;
	*why = 2;
	if (get_unaligned_le64(r + 16) != e->sb.journal_gen)
		return KV_REC_END;
	*why = 3;
	if (get_unaligned_le64(r + 8) != seq)
		return KV_REC_END;
	*type = r[0];
	memset(o, 0, sizeof(*o));
	o->klen = r[1];
	o->next = (u8)get_unaligned_le16(r + 2);
	o->vlen = get_unaligned_le64(r + 24);
	o->vcrc = get_unaligned_le32(r + 48);
	o->flags = r[52];
	if (!o->klen || o->klen > KV_MAX_KEY_LEN ||
	    get_unaligned_le16(r + 2) > KV_MAX_EXTENTS ||
	    (get_unaligned_le32(r + 52) & ~KV_REC_FLAGS) ||
	    (o->flags & KV_REC_F_NOCRC && o->vcrc))
		return KV_REC_BAD;
	memcpy(o->key, r + 32, o->klen);
	for (i = o->klen; i < KV_MAX_KEY_LEN; i++)
		if (r[32 + i])
			return KV_REC_BAD;
	for (i = 0; i < KV_MAX_EXTENTS; i++) {
		const u8 *x = r + KV_REC_EXT_OFF + 8 * i;

		if (i >= o->next) {
			if (get_unaligned_le64(x))
				return KV_REC_BAD;
			continue;
		}
		o->ext[i].start = get_unaligned_le32(x);
		o->ext[i].count = get_unaligned_le32(x + 4);
		if (!o->ext[i].count || o->ext[i].start >= e->sb.data_blocks ||
		    o->ext[i].count > e->sb.data_blocks - o->ext[i].start)
			return KV_REC_BAD;
		for (j = 0; j < i; j++)
			if (o->ext[i].start < o->ext[j].start + (u64)o->ext[j].count &&
			    o->ext[j].start < o->ext[i].start + (u64)o->ext[i].count)
				return KV_REC_BAD;
		blocks += o->ext[i].count;
	}
	if (*type == KV_REC_DEL)
		return o->next || o->vlen || o->vcrc || o->flags ? KV_REC_BAD : KV_REC_OK;
	if (o->vlen > e->sb.max_value_len || blocks != kv_blocks_of(e, o->vlen))
		return KV_REC_BAD;
	return KV_REC_OK;
}

static int kv_pick_sb(const struct kv_media *m, u8 *blk, struct kv_sb *sb,
		      u32 *valid)
{
	struct kv_sb s[2];
	int ret[2], i, err;

	*valid = 0;
	for (i = 0; i < 2; i++) {
		err = m->ops->read(m->ctx, i, 1, blk);
		if (err)
			return err;
		ret[i] = kv_sb_decode(m, blk, &s[i]);
		if (!ret[i])
			*valid |= 1U << i;
	}
	if (!*valid) {
		/* a size mismatch says more than "not an image" */
		if (ret[0] == -EINVAL || ret[1] == -EINVAL)
			return -EINVAL;
		return -ENODEV;
	}
	if (*valid == 3)
		i = s[1].sb_seq > s[0].sb_seq;
	else
		i = *valid == 2;
	*sb = s[i];
	return 0;
}

static int kv_replay_rec(struct kv_engine *e, u8 type, struct kv_obj *rec)
{
	struct kv_obj *o, *old;

	old = kv_idx_remove(&e->root, rec->key, rec->klen);
	kv_free(old);
	if (type == KV_REC_DEL)
		return 0;
	o = kv_zalloc(sizeof(*o));
	if (!o)
		return -ENOMEM;
	*o = *rec;
	kv_idx_insert(&e->root, o);
	return 0;
}

/* claims every live object's extents; two claims of one block: corrupt */
static int kv_claim_all(struct kv_engine *e, struct kv_obj *n, char *msg,
			size_t msglen)
{
	u32 i;
	int ret;

	if (!n)
		return 0;
	for (i = 0; i < n->next; i++) {
		if (!kv_map_claim(e, &n->ext[i])) {
			if (msg)
				snprintf(msg, msglen, "data block %u..%u held by two objects",
					 n->ext[i].start, n->ext[i].start + n->ext[i].count - 1);
			return -EUCLEAN;
		}
	}
	ret = kv_claim_all(e, n->l, msg, msglen);
	return ret ? ret : kv_claim_all(e, n->r, msg, msglen);
}

static void kv_engine_free(struct kv_engine *e)
{
	if (!e)
		return;
	kv_idx_free(e->root);
	kv_free(e->spare_obj);
	kv_free(e->spare_put);
	kv_free(e->bitmap);
	kv_free(e->tail);
	kv_free(e->wbuf);
	kv_free(e);
}

void kv_close(struct kv_engine *e)
{
	kv_engine_free(e);
}

/* Replays the active half; fills e->used, next_seq, tail and the index. */
static int kv_replay(struct kv_engine *e, const char **reason, char *msg,
		     size_t msglen)
{
	u32 bs = e->sb.block_size, per_chunk = KV_CHUNK / bs;
	u64 lba = kv_half_lba(e, e->sb.active);
	struct kv_obj rec;
	u32 i = 0, why = 0;
	int ret;

	*reason = kv_end_reason[0];
	while (i < e->slots) {
		u32 blk0 = i / e->rec_per_block;
		u32 nb = e->sb.half_blocks - blk0 < per_chunk ?
			 e->sb.half_blocks - blk0 : per_chunk;
		u32 j, stop = 0;

		ret = kv_media_read(e, lba + blk0, nb, e->wbuf);
		if (ret)
			return ret;
		for (j = 0; j < nb * e->rec_per_block; j++, i++) {
			enum kv_rec_check c;
			u8 type = 0;

			c = kv_rec_decode(e, e->wbuf + j * KV_REC_SIZE,
					  e->sb.base_seq + i, &rec, &type, &why);
			if (c == KV_REC_BAD) {
				if (msg)
					snprintf(msg, msglen, "journal record %u: a good CRC over impossible fields", i);
				return -EUCLEAN;
			}
			if (c == KV_REC_END) {
				*reason = kv_end_reason[why];
				stop = 1;
				break;
			}
			ret = kv_replay_rec(e, type, &rec);
			if (ret)
				return ret;
		}
		if (stop || i >= e->slots) {
			/* the tail block as on media, the slots past the end zeroed */
			memset(e->tail, 0, bs);
			if (i % e->rec_per_block) {
				memcpy(e->tail, e->wbuf + (j / e->rec_per_block) * bs,
				       (i % e->rec_per_block) * KV_REC_SIZE);
			}
			break;
		}
	}
	e->used = i;
	e->next_seq = e->sb.base_seq + i;
	return 0;
}

static int kv_open_msg(const struct kv_media *m, struct kv_engine **out,
		       u32 *sb_valid, const char **reason, char *msg,
		       size_t msglen)
{
	struct kv_engine *e;
	int ret;

	*out = NULL;
	*reason = "";
	if (m->block_size < KV_MIN_BLOCK_SIZE || m->block_size > KV_MAX_BLOCK_SIZE ||
	    (m->block_size & (m->block_size - 1)) || m->nblocks < 3)
		return -EINVAL;
	e = kv_zalloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->m = *m;
	e->wbuf = kv_zalloc(KV_CHUNK);
	e->tail = kv_zalloc(m->block_size);
	if (!e->wbuf || !e->tail) {
		ret = -ENOMEM;
		goto out_free;
	}
	ret = kv_pick_sb(m, e->tail, &e->sb, sb_valid);
	if (ret) {
		if (msg)
			snprintf(msg, msglen, "%s", ret == -ENODEV ? "no valid superblock" :
				 "superblock for another media size or block size");
		goto out_free;
	}
	/*
	 * Replay only what is durable: after a failed write the media may
	 * still hold volatile blocks (a record whose flush failed); building
	 * on them, a later store could reuse blocks that only a volatile
	 * record freed, and a power cut that drops that record would then
	 * leave the older record pointing at overwritten blocks.
	 */
	ret = m->ops->flush(m->ctx);
	if (ret)
		goto out_free;
	e->rec_per_block = e->sb.block_size / KV_REC_SIZE;
	e->slots = (u32)kv_slots_of(e->sb.block_size, e->sb.half_blocks);
	e->bitmap = kv_zalloc((e->sb.data_blocks + 63) / 64 * sizeof(u64));
	if (!e->bitmap) {
		ret = -ENOMEM;
		goto out_free;
	}
	e->free_blocks = e->sb.data_blocks;
	ret = kv_replay(e, reason, msg, msglen);
	if (ret)
		goto out_free;
	if (kv_idx_count(e->root) > e->sb.max_keys) {
		if (msg)
			snprintf(msg, msglen, "%u keys, more than the image's maximum %u",
				 kv_idx_count(e->root), e->sb.max_keys);
		ret = -EUCLEAN;
		goto out_free;
	}
	ret = kv_claim_all(e, e->root, msg, msglen);
	if (ret)
		goto out_free;
	*out = e;
	return 0;
out_free:
	kv_engine_free(e);
	return ret;
}

int kv_open(const struct kv_media *m, struct kv_engine **out)
{
	const char *reason;
	u32 valid;

	return kv_open_msg(m, out, &valid, &reason, NULL, 0);
}

/* recount the allocation from the index and compare with the free map */
int kv_check_alloc(struct kv_engine *e)
{
	u64 *saved = e->bitmap, free = e->free_blocks, words;
	int ret;

	words = (e->sb.data_blocks + 63) / 64;
	e->bitmap = kv_zalloc(words * sizeof(u64));
	if (!e->bitmap) {
		e->bitmap = saved;
		return -ENOMEM;
	}
	e->free_blocks = e->sb.data_blocks;
	ret = kv_claim_all(e, e->root, NULL, 0);
	if (!ret && (e->free_blocks != free ||
		     memcmp(e->bitmap, saved, words * sizeof(u64))))
		ret = -EUCLEAN;
	kv_free(e->bitmap);
	e->bitmap = saved;
	e->free_blocks = free;
	return ret;
}

static int kv_discard(void *arg, u64 off, void *buf, u32 len)
{
	return 0;
}

static void kv_fsck_walk(struct kv_engine *e, struct kv_obj *n, bool values,
			 struct kv_fsck_report *r)
{
	u32 i, crc = 0;
	bool nocrc;

	if (!n)
		return;
	for (i = 0; i < n->next; i++)
		r->used_blocks += n->ext[i].count;
	/* a value without a CRC (trusted media): being readable is the check */
	nocrc = n->flags & KV_REC_F_NOCRC;
	r->values_nocrc += values && nocrc;
	if (values && (kv_read_value(e, n, 0, n->vlen, kv_discard, NULL,
				     nocrc ? NULL : &crc) ||
		       (!nocrc && crc != n->vcrc))) {
		if (!r->values_bad)
			snprintf(r->msg, sizeof(r->msg),
				 "value of a key of %u bytes: CRC mismatch or unreadable",
				 n->klen);
		r->values_bad++;
	}
	kv_fsck_walk(e, n->l, values, r);
	kv_fsck_walk(e, n->r, values, r);
}

int kv_fsck(const struct kv_media *m, bool verify_values,
	    struct kv_fsck_report *r)
{
	struct kv_engine *e;
	int ret;

	memset(r, 0, sizeof(*r));
	ret = kv_open_msg(m, &e, &r->sb_valid, &r->tail_reason, r->msg,
			  sizeof(r->msg));
	r->error = ret;
	if (ret)
		return ret;
	r->records = e->used;
	r->objects = kv_idx_count(e->root);
	kv_fsck_walk(e, e->root, verify_values, r);
	if (r->used_blocks != e->sb.data_blocks - e->free_blocks) {
		snprintf(r->msg, sizeof(r->msg), "free map disagrees with the index");
		ret = -EUCLEAN;
	} else if (r->values_bad) {
		ret = -EUCLEAN;
	}
	r->error = ret;
	kv_close(e);
	return ret;
}
