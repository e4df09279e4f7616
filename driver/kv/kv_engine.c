// SPDX-License-Identifier: GPL-2.0
/*
 * The KV engine's operations: store (with the exist options and append),
 * retrieve, delete, exist, list and info, on the index (kv_index.c) and
 * the journal (kv_journal.c).  A store writes its value into free blocks
 * and makes it durable (FUA, or a flush) before its journal record is
 * written with FUA (or flushed), and the blocks it replaces are freed only
 * after that: a power cut at any point leaves the old object or the new
 * one.  Pure C (kv_port.h).
 */
#include "kv_int.h"
/* enum uringblk_status; by path: the native builds have no uAPI include path */
#include "../../include/uapi/linux/uringblk.h"

u16 kv_status_to_nvme(enum kv_status s)
{
	static const u16 map[] = {
		[KV_OK] = URINGBLK_SC_SUCCESS,
		[KV_INVALID_FIELD] = URINGBLK_SC_INVALID_FIELD,
		[KV_CAPACITY_EXCEEDED] = URINGBLK_SC_CAP_EXCEEDED,
		[KV_INVALID_VALUE_SIZE] = URINGBLK_SC_KV_INVALID_VALUE_SIZE,
		[KV_INVALID_KEY_SIZE] = URINGBLK_SC_KV_INVALID_KEY_SIZE,
		[KV_KEY_NOT_EXIST] = URINGBLK_SC_KV_KEY_NOT_EXIST,
		[KV_UNRECOVERED] = URINGBLK_SC_KV_UNRECOVERED,
		[KV_KEY_EXISTS] = URINGBLK_SC_KV_KEY_EXISTS,
		[KV_WRITE_FAULT] = URINGBLK_SC_WRITE_FAULT,
		[KV_INTERNAL] = URINGBLK_SC_INTERNAL,
	};

	return (unsigned int)s < ARRAY_SIZE(map) ? map[s] : URINGBLK_SC_INTERNAL;
}

const char *kv_status_name(enum kv_status s)
{
	static const char *const names[] = {
		[KV_OK] = "ok",
		[KV_INVALID_FIELD] = "invalid field",
		[KV_CAPACITY_EXCEEDED] = "capacity exceeded",
		[KV_INVALID_VALUE_SIZE] = "invalid value size",
		[KV_INVALID_KEY_SIZE] = "invalid key size",
		[KV_KEY_NOT_EXIST] = "key does not exist",
		[KV_UNRECOVERED] = "unrecovered error",
		[KV_KEY_EXISTS] = "key exists",
		[KV_WRITE_FAULT] = "write fault",
		[KV_INTERNAL] = "internal error",
	};

	return (unsigned int)s < ARRAY_SIZE(names) ? names[s] : "?";
}

/*
 * kv_read_value(), and with @direct (@off a multiple of the block size, and
 * @direct holding the whole blocks of [0, @len)) the blocks are read
 * straight into @direct instead of a bounce, and @copy is not called.
 */
static int kv_read_value_to(struct kv_engine *e, const struct kv_obj *o, u64 off,
			    u64 len, kv_copy_fn copy, void *arg, u32 *crc, u8 *direct)
{
	u32 bs = e->sb.block_size, bufblocks;
	u64 vb, last, pos = off, left = len;
	u8 *buf = NULL;
	int ret = 0;

	if (!len)
		return 0;
	vb = off / bs;
	last = (off + len - 1) / bs;
	bufblocks = last - vb + 1 < KV_CHUNK / bs ? (u32)(last - vb + 1) : KV_CHUNK / bs;
	if (!direct) {
		buf = kv_zalloc((size_t)bufblocks * bs);
		if (!buf)
			return -ENOMEM;
	}
	while (left) {
		u64 acc = 0, lba = 0, run = 0, skip, take;
		u32 k, n;

		for (k = 0; k < o->next; k++) {
			if (vb < acc + o->ext[k].count) {
				lba = e->sb.data_start + o->ext[k].start + (vb - acc);
				run = acc + o->ext[k].count - vb;
				break;
			}
			acc += o->ext[k].count;
		}
		if (!run) {		/* the index promised more blocks */
			ret = -EIO;
			break;
		}
		n = (u32)(run < bufblocks ? run : bufblocks);
		if (n > last - vb + 1)
			n = (u32)(last - vb + 1);
		if (direct)
			buf = direct + (pos - off);	/* pos is vb's first byte */
		ret = kv_media_read(e, lba, n, buf);
		if (ret) {
			ret = -EIO;
			break;
		}
		skip = pos - vb * bs;
		take = (u64)n * bs - skip < left ? (u64)n * bs - skip : left;
		if (crc)
			*crc = kv_crc32c(*crc, buf + skip, take);
		ret = direct ? 0 : copy(arg, pos - off, buf + skip, (u32)take);
		if (ret) {
			ret = -EFAULT;
			break;
		}
		pos += take;
		left -= take;
		vb += n;
	}
	if (!direct)
		kv_free(buf);
	return ret;
}

int kv_read_value(struct kv_engine *e, const struct kv_obj *o, u64 off,
		  u64 len, kv_copy_fn copy, void *arg, u32 *crc)
{
	return kv_read_value_to(e, o, off, len, copy, arg, crc, NULL);
}

/*
 * Whether a whole read of @o's value checks its CRC: not on trusted media
 * (struct kv_media), and not for a value stored without one.
 */
static bool kv_crc_checked(const struct kv_engine *e, const struct kv_obj *o)
{
	return !e->m.trusted && !(o->flags & KV_REC_F_NOCRC);
}

static bool kv_key_ok(const u8 *key, u32 klen)
{
	return key && klen >= 1 && klen <= KV_MAX_KEY_LEN;
}

/*
 * Where a new value's bytes come from: @plen bytes of prefix (the old
 * value's last partial block, or the whole old value), then the caller's.
 */
struct kv_wsrc {
	const struct kv_obj *old;	/* prefix: the old value from @pfrom */
	u64 pfrom;
	u64 plen;
	kv_copy_fn copy;
	void *arg;
	/* or the caller's bytes, whole blocks zero-padded, written from in place */
	const u8 *direct;
	bool nocrc;			/* the value gets no CRC (KV_REC_F_NOCRC) */
	bool media_failed;		/* a media write or flush failed */
	u32 crc;			/* else over the caller's bytes */
};

static int kv_copy_out(void *arg, u64 off, void *buf, u32 len)
{
	memcpy((u8 *)arg + off, buf, len);
	return 0;
}

static int kv_fill(struct kv_engine *e, struct kv_wsrc *s, u64 off, u8 *dst,
		   u32 len)
{
	int ret;

	if (off < s->plen) {
		u32 n = s->plen - off < len ? (u32)(s->plen - off) : len;

		ret = kv_read_value(e, s->old, s->pfrom + off, n, kv_copy_out, dst, NULL);
		if (ret)
			return ret;
		off += n;
		dst += n;
		len -= n;
	}
	if (!len)
		return 0;
	ret = s->copy(s->arg, off - s->plen, dst, len);
	if (ret)
		return -EFAULT;
	if (!s->nocrc)
		s->crc = kv_crc32c(s->crc, dst, len);
	return 0;
}

/*
 * Writes @total bytes of @s into extents @x[0..n) of the data area at
 * @data_start (blocks of @bs bytes) and makes them durable before the
 * record that will point at them is written: a value that takes one media
 * write (one extent of at most KV_CHUNK) goes with FUA, a longer one as
 * plain writes and one flush.  Touches no engine state but the media's
 * callbacks and, for a value not written from @s->direct, the engine's
 * bounce (held under the lock).  0, -EIO with @s->media_failed (a media
 * write or flush: the engine is to be failed) or kv_fill()'s error.
 */
static int kv_write_value(struct kv_engine *e, u64 data_start, u32 bs,
			  const struct kv_ext *x, u32 n, u64 total, struct kv_wsrc *s)
{
	bool one = n == 1 && x[0].count <= KV_CHUNK / bs;
	u64 off = 0;
	u32 k;
	int ret;

	for (k = 0; k < n && off < total; k++) {
		u64 b = 0;

		while (b < x[k].count && off < total) {
			u64 nb = x[k].count - b < KV_CHUNK / bs ? x[k].count - b : KV_CHUNK / bs;
			u64 bytes = total - off < nb * bs ? total - off : nb * bs;
			const u8 *from = e->wbuf;

			nb = (bytes + bs - 1) / bs;
			if (s->direct && !s->plen) {
				from = s->direct + off;
				if (!s->nocrc)
					s->crc = kv_crc32c(s->crc, from, bytes);
			} else {
				ret = kv_fill(e, s, off, e->wbuf, (u32)bytes);
				if (ret)
					return ret;
				memset(e->wbuf + bytes, 0, nb * bs - bytes);
			}
			if (one)
				ret = kv_media_write_durable(e, data_start + x[k].start + b,
							     (u32)nb, from);
			else
				ret = kv_media_write(e, data_start + x[k].start + b,
						     (u32)nb, from);
			if (ret)
				goto media;
			off += bytes;
			b += nb;
		}
	}
	if (!one && total && kv_media_flush(e))
		goto media;
	return 0;
media:
	s->media_failed = true;
	return -EIO;
}

/* The first @blocks blocks of @o's extents into @x; how many extents. */
static u32 kv_ext_head(const struct kv_obj *o, u64 blocks, struct kv_ext *x)
{
	u32 k, n = 0;

	for (k = 0; k < o->next && blocks; k++) {
		x[n] = o->ext[k];
		if (x[n].count > blocks)
			x[n].count = (u32)blocks;
		blocks -= x[n].count;
		n++;
	}
	return n;
}

/* Releases @o's blocks from block @from of its value on. */
static void kv_release_from(struct kv_engine *e, const struct kv_obj *o, u64 from)
{
	u64 acc = 0;
	u32 k;

	for (k = 0; k < o->next; k++) {
		struct kv_ext x = o->ext[k];

		if (acc + x.count > from) {
			u64 skip = from > acc ? from - acc : 0;

			x.start += (u32)skip;
			x.count -= (u32)skip;
			kv_map_release(e, &x);
		}
		acc += o->ext[k].count;
	}
}

/* A store between its start and kv_put_end() (kv_engine.h) */
struct kv_put {
	struct kv_obj *n;		/* the new object: key, kept head extents */
	struct kv_obj **link;		/* kv_idx_link() of its key ... */
	u64 idx_gen;			/* ... valid while e->idx_gen is this */
	struct kv_ext x[KV_MAX_EXTENTS];	/* its new blocks, allocated */
	u32 nx;
	u32 opts;
	u64 total;			/* bytes to write into @x */
	u64 release_from;		/* an append: the old value's blocks kept */
	u64 data_start;			/* the data area, for kv_put_write() */
	u32 bs;
	bool written;			/* kv_write_value() done, @err its result */
	int err;
	struct kv_wsrc src;
};

/*
 * A store's two allocations, a struct kv_obj and a struct kv_put, come
 * from the spares the last store and delete left in @spare (the writer's
 * lock): an overwrite then allocates nothing.  Zeroed, as kv_zalloc().
 */
static void *kv_spare_get(void **spare, size_t size)
{
	void *p = *spare;

	if (!p)
		return kv_zalloc(size);
	*spare = NULL;
	memset(p, 0, size);
	return p;
}

static void kv_spare_put(void **spare, void *p)
{
	if (*spare)
		kv_free(p);
	else
		*spare = p;
}

static void kv_obj_put(struct kv_engine *e, struct kv_obj *o)
{
	kv_spare_put(&e->spare_obj, o);
}

/* Gives back what @p holds and @p itself. */
static void kv_put_drop(struct kv_engine *e, struct kv_put *p)
{
	u32 k;

	for (k = 0; k < p->nx; k++)
		kv_map_release(e, &p->x[k]);
	if (p->n)
		kv_obj_put(e, p->n);
	kv_spare_put(&e->spare_put, p);
}

/*
 * A store's checks against the index: at its start, and again at its end
 * (the index may have changed in between).
 */
static enum kv_status kv_put_check(struct kv_engine *e, const struct kv_obj *old,
				   u32 opts)
{
	if (opts & KV_STORE_MUST_EXIST && !old)
		return KV_KEY_NOT_EXIST;
	if (opts & KV_STORE_MUST_NOT_EXIST && old)
		return KV_KEY_EXISTS;
	if (!old && kv_idx_count(e->root) >= e->sb.max_keys)
		return KV_CAPACITY_EXCEEDED;
	return KV_OK;
}

/*
 * The first step of every store: checks, the new object and its blocks.
 * A value with a prefix (an append) or from a copy callback is written
 * here, through the engine's bounce; a value from a whole-block buffer is
 * left to kv_put_write().  *@pp stays NULL for an empty append (KV_OK,
 * nothing to do) and on an error.
 */
static enum kv_status kv_put_start(struct kv_engine *e, const u8 *key, u32 klen,
				   u64 vlen, kv_copy_fn copy, void *arg,
				   const u8 *direct, u32 opts, struct kv_put **pp)
{
	struct kv_obj **link, *old;
	struct kv_put *p;
	u64 keep = 0;
	u32 nkeep = 0;
	bool append;
	int ret;

	*pp = NULL;
	if (!kv_key_ok(key, klen))
		return KV_INVALID_KEY_SIZE;
	if ((opts & ~KV_STORE_OPTS) ||
	    (opts & KV_STORE_MUST_EXIST && opts & KV_STORE_MUST_NOT_EXIST))
		return KV_INVALID_FIELD;
	if (e->failed)
		return KV_INTERNAL;
	link = kv_idx_link(&e->root, key, klen);
	old = *link;
	append = opts & KV_STORE_APPEND && old;
	if (vlen > e->sb.max_value_len ||
	    (append && vlen > e->sb.max_value_len - old->vlen))
		return KV_INVALID_VALUE_SIZE;
	ret = kv_put_check(e, old, opts);
	if (ret)
		return ret;
	if (append && !vlen)
		return KV_OK;		/* nothing to append: nothing changes */

	p = kv_spare_get(&e->spare_put, sizeof(*p));
	if (!p)
		return KV_INTERNAL;
	p->n = kv_spare_get(&e->spare_obj, sizeof(*p->n));
	if (!p->n) {
		kv_put_drop(e, p);
		return KV_INTERNAL;
	}
	p->link = link;
	p->idx_gen = e->idx_gen;
	memcpy(p->n->key, key, klen);
	p->n->klen = (u8)klen;
	p->opts = opts;
	p->data_start = e->sb.data_start;
	p->bs = e->sb.block_size;
	p->src = (struct kv_wsrc){ .copy = copy, .arg = arg, .direct = direct };
	/*
	 * No value CRC on trusted media (struct kv_media), and none for an
	 * append to a value without one (an image copied from such media).
	 */
	p->src.nocrc = e->m.trusted || (append && old->flags & KV_REC_F_NOCRC);
	p->total = vlen;
	p->n->vlen = vlen;
	if (append) {
		/* keep the old full blocks, rewrite its last partial one */
		u32 bs = e->sb.block_size;

		p->total = old->vlen % bs + vlen;
		p->n->vlen = old->vlen + vlen;
		keep = old->vlen / bs;
		nkeep = kv_ext_head(old, keep, p->n->ext);
		p->src.old = old;
		p->src.pfrom = keep * bs;
		p->src.plen = old->vlen % bs;
		p->src.crc = old->vcrc;
		ret = nkeep < KV_MAX_EXTENTS ?
		      kv_map_alloc(e, kv_blocks_of(e, p->total), p->x,
				   KV_MAX_EXTENTS - nkeep, &p->nx) : -ENOSPC;
		if (ret) {
			/* too fragmented: rewrite the whole value */
			keep = 0;
			nkeep = 0;
			p->src.pfrom = 0;
			p->src.plen = old->vlen;
			p->total = old->vlen + vlen;
			ret = kv_map_alloc(e, kv_blocks_of(e, p->total), p->x,
					   KV_MAX_EXTENTS, &p->nx);
		}
		p->release_from = keep;
	} else {
		ret = kv_map_alloc(e, kv_blocks_of(e, p->total), p->x, KV_MAX_EXTENTS,
				   &p->nx);
	}
	p->n->next = (u8)nkeep;
	if (ret) {
		p->nx = 0;
		kv_put_drop(e, p);
		return KV_CAPACITY_EXCEEDED;
	}
	if (!direct || append)
		kv_put_write(e, p);	/* through the bounce: under the lock */
	*pp = p;
	return KV_OK;
}

int kv_put_write(struct kv_engine *e, struct kv_put *p)
{
	if (!p->written) {
		p->err = kv_write_value(e, p->data_start, p->bs, p->x, p->nx, p->total,
					&p->src);
		p->written = true;
	}
	return p->err;
}

enum kv_status kv_put_end(struct kv_engine *e, struct kv_put *p)
{
	struct kv_obj *old, *n = p->n;
	enum kv_status st;
	u32 k;

	if (kv_put_write(e, p)) {
		/* the media (the engine fails), the old value unreadable, the copy */
		if (p->src.media_failed)
			e->failed = true;
		st = p->src.media_failed ? KV_WRITE_FAULT :
		     p->err == -EIO ? KV_UNRECOVERED : KV_INTERNAL;
		kv_put_drop(e, p);
		return st;
	}
	/* what may have changed while the lock was dropped */
	if (p->idx_gen != e->idx_gen)
		p->link = kv_idx_link(&e->root, n->key, n->klen);
	old = *p->link;
	st = e->failed ? KV_INTERNAL : kv_put_check(e, old, p->opts);
	if (st) {
		kv_put_drop(e, p);
		return st;
	}
	if (kv_journal_make_room(e)) {
		kv_put_drop(e, p);
		return KV_WRITE_FAULT;
	}
	/* the kept head and the new extents; merge where they touch */
	for (k = 0; k < p->nx; k++) {
		if (n->next && n->ext[n->next - 1].start + n->ext[n->next - 1].count ==
		    p->x[k].start)
			n->ext[n->next - 1].count += p->x[k].count;
		else
			n->ext[n->next++] = p->x[k];
	}
	n->flags = p->src.nocrc ? KV_REC_F_NOCRC : 0;
	n->vcrc = p->src.nocrc ? 0 : p->src.crc;
	if (kv_journal_append(e, KV_REC_PUT, n, n->key, n->klen)) {
		kv_put_drop(e, p);
		return KV_WRITE_FAULT;
	}
	/* durable: now the replaced blocks may be reused */
	if (old) {
		kv_release_from(e, old, p->release_from);
		kv_idx_replace(p->link, n);
		kv_obj_put(e, old);
	} else {
		kv_idx_insert(&e->root, n);
	}
	e->idx_gen++;
	p->n = NULL;
	p->nx = 0;
	kv_put_drop(e, p);
	return KV_OK;
}

static int kv_copy_in(void *arg, u64 off, void *buf, u32 len)
{
	memcpy(buf, (const u8 *)arg + off, len);
	return 0;
}

enum kv_status kv_put_begin(struct kv_engine *e, const u8 *key, u32 klen,
			    u64 vlen, const void *buf, u32 opts, struct kv_put **pp)
{
	if (opts & KV_STORE_APPEND) {
		*pp = NULL;
		return KV_INVALID_FIELD;
	}
	return kv_put_start(e, key, klen, vlen, kv_copy_in, (void *)buf, buf, opts, pp);
}

/* A store's steps under one hold of the lock (kv_put_end() writes) */
static enum kv_status kv_store_from(struct kv_engine *e, const u8 *key, u32 klen,
				    u64 vlen, kv_copy_fn copy, void *arg,
				    const u8 *direct, u32 opts)
{
	struct kv_put *p;
	enum kv_status st;

	st = kv_put_start(e, key, klen, vlen, copy, arg, direct, opts, &p);
	return st || !p ? st : kv_put_end(e, p);
}

enum kv_status kv_store(struct kv_engine *e, const u8 *key, u32 klen,
			u64 vlen, kv_copy_fn copy, void *arg, u32 opts)
{
	return kv_store_from(e, key, klen, vlen, copy, arg, NULL, opts);
}

enum kv_status kv_store_buf(struct kv_engine *e, const u8 *key, u32 klen,
			    u64 vlen, const void *buf, u32 opts)
{
	return kv_store_from(e, key, klen, vlen, kv_copy_in, (void *)buf, buf, opts);
}

static enum kv_status kv_retrieve_to(struct kv_engine *e, const u8 *key, u32 klen,
				     u64 offset, u64 buflen, kv_copy_fn copy, void *arg,
				     u8 *direct, u64 *vlen, u64 *copied)
{
	struct kv_obj *o;
	bool check;
	u64 len;
	u32 crc = 0;
	int ret;

	*vlen = 0;
	*copied = 0;
	if (!kv_key_ok(key, klen))
		return KV_INVALID_KEY_SIZE;
	if (e->failed)
		return KV_INTERNAL;
	o = kv_idx_find(e->root, key, klen);
	if (!o)
		return KV_KEY_NOT_EXIST;
	*vlen = o->vlen;
	if (offset >= o->vlen)
		return KV_OK;
	len = o->vlen - offset < buflen ? o->vlen - offset : buflen;
	/* a whole-value read also checks the value's CRC, if it needs one */
	check = !offset && len == o->vlen && kv_crc_checked(e, o);
	if (offset % e->sb.block_size)
		direct = NULL;
	ret = kv_read_value_to(e, o, offset, len, copy, arg, check ? &crc : NULL,
			       direct);
	if (ret == -ENOMEM || ret == -EFAULT)
		return KV_INTERNAL;
	if (ret || (check && crc != o->vcrc))
		return KV_UNRECOVERED;
	*copied = len;
	return KV_OK;
}

enum kv_status kv_retrieve(struct kv_engine *e, const u8 *key, u32 klen,
			   u64 offset, u64 buflen, kv_copy_fn copy, void *arg,
			   u64 *vlen, u64 *copied)
{
	return kv_retrieve_to(e, key, klen, offset, buflen, copy, arg, NULL, vlen,
			      copied);
}

enum kv_status kv_retrieve_buf(struct kv_engine *e, const u8 *key, u32 klen,
			       u64 offset, u64 buflen, void *buf, u64 *vlen,
			       u64 *copied)
{
	return kv_retrieve_to(e, key, klen, offset, buflen, kv_copy_out, buf, buf,
			      vlen, copied);
}

enum kv_status kv_retrieve_runs(struct kv_engine *e, const u8 *key, u32 klen,
				u64 *vlen, bool *check, u32 *vcrc, struct kv_run *runs,
				u32 *nruns)
{
	struct kv_obj *o;
	u32 k;

	BUILD_BUG_ON(KV_MAX_RUNS < KV_MAX_EXTENTS);
	*vlen = 0;
	*nruns = 0;
	if (!kv_key_ok(key, klen))
		return KV_INVALID_KEY_SIZE;
	if (e->failed)
		return KV_INTERNAL;
	o = kv_idx_find(e->root, key, klen);
	if (!o)
		return KV_KEY_NOT_EXIST;
	*vlen = o->vlen;
	*check = kv_crc_checked(e, o);
	*vcrc = o->vcrc;
	for (k = 0; k < o->next; k++) {
		runs[k].lba = e->sb.data_start + o->ext[k].start;
		runs[k].nblocks = o->ext[k].count;
	}
	*nruns = o->next;
	return KV_OK;
}

enum kv_status kv_delete(struct kv_engine *e, const u8 *key, u32 klen,
			 bool err_if_missing)
{
	struct kv_obj *o;

	if (!kv_key_ok(key, klen))
		return KV_INVALID_KEY_SIZE;
	if (e->failed)
		return KV_INTERNAL;
	o = kv_idx_find(e->root, key, klen);
	if (!o)
		return err_if_missing ? KV_KEY_NOT_EXIST : KV_OK;
	if (kv_journal_make_room(e) ||
	    kv_journal_append(e, KV_REC_DEL, NULL, key, klen))
		return KV_WRITE_FAULT;
	kv_release_from(e, o, 0);
	kv_obj_put(e, kv_idx_remove(&e->root, key, klen));
	e->idx_gen++;
	return KV_OK;
}

enum kv_status kv_exist(struct kv_engine *e, const u8 *key, u32 klen)
{
	if (!kv_key_ok(key, klen))
		return KV_INVALID_KEY_SIZE;
	if (e->failed)
		return KV_INTERNAL;
	return kv_idx_find(e->root, key, klen) ? KV_OK : KV_KEY_NOT_EXIST;
}

enum kv_status kv_list(struct kv_engine *e, const u8 *key, u32 klen,
		       void *buf, u32 buflen, u32 *nrk, u32 *total)
{
	u8 *p = buf;
	u32 pos = 4, n = 0;
	struct kv_obj *o;

	*nrk = 0;
	*total = 0;
	if (klen > KV_MAX_KEY_LEN || (klen && !key))
		return KV_INVALID_KEY_SIZE;
	if (buflen < 4)
		return KV_INVALID_FIELD;
	if (e->failed)
		return KV_INTERNAL;
	for (o = kv_idx_lower_bound(e->root, klen ? key : (const u8 *)"", klen, total);
	     o; o = kv_idx_next(e->root, o)) {
		u32 pad = (4 - o->klen % 4) % 4;

		if (buflen - pos < 2U + o->klen + pad)
			break;
		put_unaligned_le16(o->klen, p + pos);
		memcpy(p + pos + 2, o->key, o->klen);
		memset(p + pos + 2 + o->klen, 0, pad);
		pos += 2 + o->klen + pad;
		n++;
	}
	put_unaligned_le32(n, p);
	*nrk = n;
	return KV_OK;
}

void kv_info(struct kv_engine *e, struct kv_info *info)
{
	memset(info, 0, sizeof(*info));
	info->max_key_len = KV_MAX_KEY_LEN;
	info->max_value_len = e->sb.max_value_len;
	info->max_keys = e->sb.max_keys;
	info->nkeys = kv_idx_count(e->root);
	info->block_size = e->sb.block_size;
	info->data_blocks = e->sb.data_blocks;
	info->free_blocks = e->free_blocks;
	info->journal_slots = e->slots;
	info->journal_used = e->used;
	info->generation = e->sb.journal_gen;
}
