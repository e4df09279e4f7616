// SPDX-License-Identifier: GPL-2.0
/*
 * The KV engine against power cuts, failing writes and corrupt images
 * (part of kvtest): after every cut the image is reopened and every object
 * must be exactly what the model says, but for the one call the cut
 * interrupted, whose key may hold its old or its new value; then the run
 * goes on.  Fuzzed images must be refused or opened, never crash, and an
 * opened one must be consistent and usable.
 */
#include "kvtest.h"

/* one random mutating call; the key it touched and its value if it worked */
struct kvt_call {
	u32 k;
	bool present;		/* after, if it works */
	u8 *val;
	u64 len;
};

static u8 kvt_vbuf[64 << 10];

static enum kv_status kvt_mutate(struct kv_engine *e, struct kvt_model *md,
				 u64 *rng, u32 maxv, struct kvt_call *c)
{
	u32 r = kvm_rand(rng) % 100, k = kvm_rand(rng) % md->nkeys_pool;
	const struct kvt_key *key = &md->keys[k];
	enum kv_status s;

	c->k = k;
	free(c->val);
	c->val = NULL;
	c->len = 0;
	if (r < 20) {
		s = kv_delete(e, key->b, key->len, kvm_rand(rng) & 1);
		c->present = false;
		return s;
	}
	if (r < 40 && md->present[k]) {
		u64 add = kvm_rand(rng) % 1500;

		if (add > maxv - md->vlen[k])
			add = 0;
		c->len = md->vlen[k] + add;
		c->val = malloc(c->len + 1);
		memcpy(c->val, md->val[k], md->vlen[k]);
		kvt_fill(c->val + md->vlen[k], add, rng);
		c->present = true;
		return kvt_put(e, key, c->val + md->vlen[k], add, KV_STORE_APPEND);
	}
	c->len = kvm_rand(rng) % 4 ? kvm_rand(rng) % 1200 : kvm_rand(rng) % (maxv + 1);
	c->val = malloc(c->len + 1);
	kvt_fill(c->val, c->len, rng);
	c->present = true;
	return kvt_put(e, key, c->val, c->len, 0);
}

static void kvt_apply(struct kvt_model *md, const struct kvt_call *c)
{
	if (c->present)
		kvt_model_set(md, c->k, c->val, c->len);
	else
		kvt_model_del(md, c->k);
}

/* After a reopen: exact, but for @c's key: old or new; adopt what is there. */
static bool kvt_check_after(struct kv_engine *e, struct kvt_model *md,
			    const struct kvt_call *c, const char *what, long n)
{
	bool took = false;
	u32 i;

	for (i = 0; i < md->nkeys_pool; i++) {
		u8 *v;
		u64 len;
		enum kv_status s = kvt_get(e, &md->keys[i], &v, &len);
		bool is_old = md->present[i] ? !s && len == md->vlen[i] &&
			      !memcmp(v, md->val[i], len) : s == KV_KEY_NOT_EXIST;
		bool is_new = false;

		if (c && i == c->k)
			is_new = c->present ? !s && len == c->len && !memcmp(v, c->val, len) :
				 s == KV_KEY_NOT_EXIST;
		CHECK(is_old || is_new, "%s %ld: key %u is neither its old nor its new value "
		      "(%s, %llu bytes)", what, n, i, kv_status_name(s),
		      (unsigned long long)len);
		if (is_new && !is_old) {
			kvt_apply(md, c);
			took = true;
		}
		free(v);
	}
	return took;
}

static void kvt_campaign(u64 seed, long events, bool power)
{
	const char *what = power ? "power cut" : "write fault";
	struct kvt_model *md = calloc(1, sizeof(*md));
	struct kvt_call c = { 0 };
	long ev, ops = 0, inflight_new = 0, compactions = 0;
	u64 rng = seed, gen0;
	struct kv_fsck_report rep;
	struct kv_engine *e;
	struct kv_info info;
	struct kv_media km;
	struct kvm m;

	kvm_init(&m, 512, 2048, seed);
	km = kvm_media(&m);
	kvt_pool_init(md, 64, &rng);
	kvt_format(&m, 40, sizeof(kvt_vbuf), seed);
	e = kvt_open(&m);
	if (!e)
		goto out;
	kv_info(e, &info);
	gen0 = info.generation;
	for (ev = 0; ev < events; ev++) {
		enum kv_status s;
		bool hit = false;

		if (power)
			m.cut_after = kvm_rand(&rng) % 60;
		else
			m.fail_at = (long)m.calls + kvm_rand(&rng) % 60;
		for (;;) {
			unsigned long before = m.calls;

			s = kvt_mutate(e, md, &rng, sizeof(kvt_vbuf), &c);
			ops++;
			hit = power ? m.dead : m.fail_at >= 0 && (long)m.calls > m.fail_at &&
			      (long)before <= m.fail_at;
			if (hit)
				break;
			CHECK(s == KV_OK || s == KV_CAPACITY_EXCEEDED || s == KV_KEY_NOT_EXIST,
			      "%s %ld: call without a fault: %s", what, ev, kv_status_name(s));
			if (!s)
				kvt_apply(md, &c);
		}
		if (!power) {
			/* the engine refuses everything until it is reopened */
			if (s == KV_WRITE_FAULT)
				CHECK(kv_exist(e, md->keys[0].b, md->keys[0].len) == KV_INTERNAL,
				      "a failed engine still answers");
			else if (s == KV_OK)
				kvt_apply(md, &c);	/* the fault hit a read it survived */
			m.fail_at = -1;
		}
		kv_close(e);
		if (power || kvm_rand(&rng) & 1)
			kvm_power_cycle(&m);
		/* a quarter of the runs on a media without FUA: write + flush */
		m.no_fua = ev % 4 == 3;
		e = kvt_open(&m);
		if (!e)
			break;
		inflight_new += kvt_check_after(e, md, s == KV_OK ? NULL : &c, what, ev);
		if (ev % 50 == 0) {
			kv_close(e);
			CHECK(!kv_fsck(&km, true, &rep), "%s %ld: fsck: %s", what, ev, rep.msg);
			e = kvt_open(&m);
			if (!e)
				break;
			kvt_verify_all(e, md, what);
		}
	}
	if (e) {
		kv_info(e, &info);
		compactions = (long)(info.generation - gen0);
		kvt_verify_all(e, md, what);
		kv_close(e);
	}
	printf("  %s: %ld events over %ld calls, %ld compaction generations, "
	       "%ld interrupted calls found in effect\n", what, ev, ops,
	       compactions, inflight_new);
out:
	free(c.val);
	kvt_model_free(md);
	free(md);
	kvm_destroy(&m);
}

void kvt_crash_campaign(u64 seed, long cuts)
{
	kvt_campaign(seed, cuts, true);
}

void kvt_fault_campaign(u64 seed, long faults)
{
	kvt_campaign(seed, faults, false);
}

/* Recompute the CRCs a mutation broke, so validation past them is reached. */
static void kvt_fix_crcs(struct kvm *m, u64 nonce, u64 data_start)
{
	u32 seed = (u32)nonce ^ (u32)(nonce >> 32), i;
	u64 b;

	for (i = 0; i < 2; i++) {
		u8 *sb = m->cur + (u64)i * m->bs;

		put_unaligned_le32(kv_crc32c(0, sb, 124), sb + 124);
	}
	for (b = 2; b < data_start; b++) {
		for (i = 0; i < m->bs / 128; i++) {
			u8 *r = m->cur + b * m->bs + i * 128;

			if (r[0] != 1 && r[0] != 2)
				continue;
			put_unaligned_le32(0, r + 4);
			put_unaligned_le32(kv_crc32c(seed, r, 128), r + 4);
		}
	}
}

/* A consistent image, opened: usable, and what fsck says agrees. */
static void kvt_use_image(struct kvm *m, struct kv_engine *e)
{
	u8 buf[512], *v;
	u32 nrk, total, pos = 4, n;
	struct kvt_key k;
	u64 len;

	CHECK(!kv_check_alloc(e), "fuzzed image: free map disagrees after open");
	if (kv_list(e, NULL, 0, buf, sizeof(buf), &nrk, &total) != KV_OK) {
		CHECK(0, "fuzzed image: list fails");
		return;
	}
	for (n = 0; n < nrk; n++) {
		enum kv_status s;

		k.len = (u8)get_unaligned_le16(buf + pos);
		memcpy(k.b, buf + pos + 2, k.len);
		pos += 2 + k.len + (4 - k.len % 4) % 4;
		s = kvt_get(e, &k, &v, &len);
		CHECK(s == KV_OK || s == KV_UNRECOVERED, "fuzzed image: a listed key: %s",
		      kv_status_name(s));
		free(v);
	}
	memset(buf, 7, sizeof(buf));
	k.len = 3;
	memcpy(k.b, "fzz", 3);
	kvt_put(e, &k, buf, 300, 0);
	kvt_put(e, &k, buf, 300, KV_STORE_APPEND);
	kv_delete(e, k.b, k.len, false);
	CHECK(!kv_check_alloc(e), "fuzzed image: free map disagrees after use");
}

void kvt_fuzz_images(u64 seed, long iters)
{
	struct kvt_model *md = calloc(1, sizeof(*md));
	struct kvt_call c = { 0 };
	u64 rng = seed, data_start, size;
	long it, opened = 0;
	struct kv_fsck_report rep;
	struct kv_engine *e;
	struct kv_media km;
	struct kvm m;
	u8 *base;
	int i;

	kvm_init(&m, 512, 256, seed);
	km = kvm_media(&m);
	kvt_pool_init(md, 40, &rng);
	kvt_format(&m, 24, 4096, seed);
	e = kvt_open(&m);
	if (!e)
		goto out;
	for (i = 0; i < 150; i++)
		if (!kvt_mutate(e, md, &rng, 4096, &c))
			kvt_apply(md, &c);
	kv_close(e);
	size = m.nblocks * m.bs;
	base = malloc(size);
	memcpy(base, m.cur, size);
	data_start = get_unaligned_le64(base + 72);
	for (it = 0; it < iters; it++) {
		u32 mode = kvm_rand(&rng) % 4, n = 1 + kvm_rand(&rng) % 8, j;

		memcpy(m.cur, base, size);
		for (j = 0; j < n; j++) {
			u64 at = mode == 1 ? kvm_rand(&rng) % size :
				 kvm_rand(&rng) % (data_start * m.bs);

			if (mode == 3) {	/* a whole block copied over another */
				u64 from = kvm_rand(&rng) % data_start, to = kvm_rand(&rng) % data_start;

				memcpy(m.cur + to * m.bs, m.cur + from * m.bs, m.bs);
			} else if (kvm_rand(&rng) % 3 == 0) {
				m.cur[at] = (u8)kvm_rand(&rng);
			} else {
				m.cur[at] ^= 1U << (kvm_rand(&rng) % 8);
			}
		}
		if (mode == 2 || (mode == 3 && kvm_rand(&rng) & 1))
			kvt_fix_crcs(&m, seed, data_start);
		if (!kv_open(&km, &e)) {
			opened++;
			kvt_use_image(&m, e);
			kv_close(e);
		}
		kv_fsck(&km, true, &rep);
	}
	printf("  fuzzed images: %ld, %ld opened, %ld refused\n", iters, opened,
	       iters - opened);
	free(base);
out:
	free(c.val);
	kvt_model_free(md);
	free(md);
	kvm_destroy(&m);
}
