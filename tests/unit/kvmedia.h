/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A simulated block media for the KV engine's native tests (kvtest.c,
 * kvcrash.c) and fuzzer (tests/fuzz/fuzz_kv.c): what reads see (every
 * completed write), what is durable (the state at the last flush) and the
 * writes in between, in order.  A power cut keeps a random subset of those
 * writes and tears one of them at block granularity (each block old or
 * new, never a mix: NVMe's single-block atomicity, which the engine
 * assumes); a write completed with FUA is always kept.  Faults: a power cut after N media calls, every call after it
 * failing; or one failing write or flush with the media staying up.
 */
#ifndef _KVMEDIA_H
#define _KVMEDIA_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../driver/kv/kv_engine.h"

struct kvm_pending {
	u64 lba;
	u32 n;
	bool fua;		/* completed with FUA: durable, whatever comes */
	u8 *data;
};

struct kvm {
	u32 bs;
	u64 nblocks;
	u8 *cur;		/* every completed write */
	u8 *dur;		/* durable: the last flush's state */
	struct kvm_pending *pend;
	u32 npend, cap;
	long cut_after;		/* media calls left before the power cut; -1 never */
	bool dead;		/* power is off: every call fails */
	long fail_at;		/* this call fails (write: torn into cur); -1 never */
	long fail_read_lba;	/* reads of this block fail; -1 never */
	unsigned long calls, writes, flushes, fuas;
	bool no_fua;		/* kvm_media() without write_fua: write + flush */
	bool trusted;		/* kvm_media()'s trusted (a memory drive's media) */
	u64 rng;
};

static inline u64 kvm_rand(u64 *s)
{
	/* xorshift64* */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

static void kvm_init(struct kvm *m, u32 bs, u64 nblocks, u64 seed)
{
	memset(m, 0, sizeof(*m));
	m->bs = bs;
	m->nblocks = nblocks;
	m->cur = calloc(nblocks, bs);
	m->dur = calloc(nblocks, bs);
	m->cut_after = -1;
	m->fail_at = -1;
	m->fail_read_lba = -1;
	m->rng = seed | 1;
	if (!m->cur || !m->dur) {
		fprintf(stderr, "kvmedia: out of memory\n");
		exit(2);
	}
}

static void kvm_drop_pending(struct kvm *m)
{
	u32 i;

	for (i = 0; i < m->npend; i++)
		free(m->pend[i].data);
	m->npend = 0;
}

static void kvm_destroy(struct kvm *m)
{
	kvm_drop_pending(m);
	free(m->pend);
	free(m->cur);
	free(m->dur);
}

/* one more media call: false when it must fail */
static bool kvm_tick(struct kvm *m)
{
	__atomic_add_fetch(&m->calls, 1, __ATOMIC_RELAXED);
	if (m->dead)
		return false;
	if (m->cut_after >= 0 && m->cut_after-- == 0) {
		m->dead = true;
		return false;
	}
	return true;
}

static int kvm_read(void *ctx, u64 lba, u32 n, void *buf)
{
	struct kvm *m = ctx;

	if (!kvm_tick(m))
		return -EIO;
	if (lba > m->nblocks || n > m->nblocks - lba) {
		fprintf(stderr, "kvmedia: read past the end: %llu+%u\n",
			(unsigned long long)lba, n);
		abort();
	}
	if (m->fail_read_lba >= 0 && (u64)m->fail_read_lba >= lba &&
	    (u64)m->fail_read_lba < lba + n)
		return -EIO;
	memcpy(buf, m->cur + lba * m->bs, (size_t)n * m->bs);
	return 0;
}

static struct kvm_pending *kvm_pend(struct kvm *m, u64 lba, u32 n, const void *buf)
{
	struct kvm_pending *p;

	if (m->npend == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 64;
		m->pend = realloc(m->pend, m->cap * sizeof(*m->pend));
	}
	p = &m->pend[m->npend++];
	p->lba = lba;
	p->n = n;
	p->data = malloc((size_t)n * m->bs);
	p->fua = false;
	memcpy(p->data, buf, (size_t)n * m->bs);
	return p;
}

/*
 * A write; with @fua (NVMe's Force Unit Access) one that, once it has
 * completed, is durable: kept whole at a power cut, over whatever earlier
 * pending write it overlaps (they are applied in order).  One that fails
 * or that the cut interrupts is an ordinary pending write, torn or lost.
 */
static int kvm_write_common(void *ctx, u64 lba, u32 n, const void *buf, bool fua)
{
	struct kvm *m = ctx;
	bool was_dead = m->dead, fail = m->fail_at >= 0 && (long)m->calls == m->fail_at;
	u32 i;

	if (lba > m->nblocks || n > m->nblocks - lba || !n) {
		fprintf(stderr, "kvmedia: write past the end: %llu+%u\n",
			(unsigned long long)lba, n);
		abort();
	}
	if (!kvm_tick(m)) {
		/* the write the cut interrupted may yet reach the media */
		if (!was_dead)
			kvm_pend(m, lba, n, buf);
		return -EIO;
	}
	m->writes++;
	if (fail) {
		/* a failed write with the media up: some of its blocks landed */
		for (i = 0; i < n; i++)
			if (kvm_rand(&m->rng) & 1) {
				memcpy(m->cur + (lba + i) * m->bs,
				       (const u8 *)buf + (size_t)i * m->bs, m->bs);
				kvm_pend(m, lba + i, 1, (const u8 *)buf + (size_t)i * m->bs);
			}
		return -EIO;
	}
	kvm_pend(m, lba, n, buf)->fua = fua;
	m->fuas += fua;
	memcpy(m->cur + lba * m->bs, buf, (size_t)n * m->bs);
	return 0;
}

static int kvm_write(void *ctx, u64 lba, u32 n, const void *buf)
{
	return kvm_write_common(ctx, lba, n, buf, false);
}

static int kvm_write_fua(void *ctx, u64 lba, u32 n, const void *buf)
{
	return kvm_write_common(ctx, lba, n, buf, true);
}

static int kvm_flush(void *ctx)
{
	struct kvm *m = ctx;
	u32 i;

	if (!kvm_tick(m))
		return -EIO;
	if (m->fail_at >= 0 && (long)m->calls - 1 == m->fail_at)
		return -EIO;
	m->flushes++;
	for (i = 0; i < m->npend; i++)
		memcpy(m->dur + m->pend[i].lba * m->bs, m->pend[i].data,
		       (size_t)m->pend[i].n * m->bs);
	kvm_drop_pending(m);
	return 0;
}

static const struct kv_media_ops kvm_ops = {
	.read = kvm_read,
	.write = kvm_write,
	.flush = kvm_flush,
	.write_fua = kvm_write_fua,
};

static const struct kv_media_ops kvm_ops_no_fua = {
	.read = kvm_read,
	.write = kvm_write,
	.flush = kvm_flush,
};

static inline struct kv_media kvm_media(struct kvm *m)
{
	struct kv_media km = { m->no_fua ? &kvm_ops_no_fua : &kvm_ops, m, m->bs,
			       m->nblocks, m->trusted };

	return km;
}

/*
 * The power comes back: the durable image plus a random subset of the
 * pending writes in their order, one of them (if any) torn block by block.
 * The media is up again with that as both views.
 */
static void kvm_power_cycle(struct kvm *m)
{
	long torn = m->npend ? (long)(kvm_rand(&m->rng) % m->npend) : -1;
	u32 i, b;

	for (i = 0; i < m->npend; i++) {
		struct kvm_pending *p = &m->pend[i];

		bool tear = (long)i == torn && !p->fua;

		if (!p->fua && !tear && kvm_rand(&m->rng) % 3 == 0)
			continue;
		for (b = 0; b < p->n; b++) {
			if (tear && kvm_rand(&m->rng) & 1)
				continue;
			memcpy(m->dur + (p->lba + b) * m->bs,
			       p->data + (size_t)b * m->bs, m->bs);
		}
	}
	kvm_drop_pending(m);
	memcpy(m->cur, m->dur, (size_t)m->nblocks * m->bs);
	m->dead = false;
	m->cut_after = -1;
	m->fail_at = -1;
}

#endif /* _KVMEDIA_H */
