// SPDX-License-Identifier: GPL-2.0
/*
 * Native tests of the KV engine (driver/kv/), ASan and UBSan: directed
 * cases for every status, a random workload against a host-side model
 * (every key length, zero bytes, values of 0, 1, max and max + 1 bytes,
 * a full drive, overwrite, append, the options), List iteration while keys
 * come and go, large values, readers at once, and (kvcrash.c) power cuts, failing writes and
 * fuzzed images.
 *
 * usage: kvtest [seed]   (KVTEST_SEED=N likewise, KVTEST_SEED=time a new
 * one each run, else always the same; KVTEST_LONG=1 runs ten times the
 * operations and cut points; KVTEST_ONLY=directed,random,list,big,readers,
 * crash,fault,fuzz runs only the parts named).  Prints the seed first and
 * "kvtest: N checks passed, N failed" last.
 */
#include <pthread.h>
#include <time.h>
#include "kvtest.h"

long kvt_passed, kvt_failed;

static int kvt_keycmp(const struct kvt_key *a, const struct kvt_key *b)
{
	u32 n = a->len < b->len ? a->len : b->len, i;

	for (i = 0; i < n; i++)
		if (a->b[i] != b->b[i])
			return a->b[i] < b->b[i] ? -1 : 1;
	return a->len < b->len ? -1 : a->len > b->len;
}

static struct kvt_model *kvt_sort_md;
static int kvt_order_cmp(const void *x, const void *y)
{
	return kvt_keycmp(&kvt_sort_md->keys[*(const u32 *)x],
			  &kvt_sort_md->keys[*(const u32 *)y]);
}

void kvt_pool_init(struct kvt_model *md, u32 n, u64 *rng)
{
	static const u8 alpha[] = { 0x00, 0x01, 'a', 'b', 0x7f, 0x80, 0xff };
	u32 i, j;

	memset(md, 0, sizeof(*md));
	for (i = 0; i < n; i++) {
		struct kvt_key *k = &md->keys[i];
again:
		if (i > 0 && kvm_rand(rng) % 4 == 0) {
			/* a prefix or an extension of an earlier key */
			*k = md->keys[kvm_rand(rng) % i];
			if (k->len > 1 && kvm_rand(rng) & 1)
				k->len = 1 + kvm_rand(rng) % (k->len - 1);
			else if (k->len < KV_MAX_KEY_LEN)
				k->b[k->len++] = alpha[kvm_rand(rng) % sizeof(alpha)];
		} else {
			k->len = i < KV_MAX_KEY_LEN ? i + 1 : 1 + kvm_rand(rng) % KV_MAX_KEY_LEN;
			for (j = 0; j < k->len; j++)
				k->b[j] = kvm_rand(rng) & 1 ? alpha[kvm_rand(rng) % sizeof(alpha)] :
					  (u8)kvm_rand(rng);
		}
		memset(k->b + k->len, 0, KV_MAX_KEY_LEN - k->len);
		for (j = 0; j < i; j++)
			if (!kvt_keycmp(k, &md->keys[j]))
				goto again;
	}
	md->nkeys_pool = n;
	for (i = 0; i < n; i++)
		md->order[i] = i;
	kvt_sort_md = md;
	qsort(md->order, n, sizeof(u32), kvt_order_cmp);
}

void kvt_model_free(struct kvt_model *md)
{
	u32 i;

	for (i = 0; i < md->nkeys_pool; i++)
		free(md->val[i]);
}

void kvt_model_set(struct kvt_model *md, u32 i, const u8 *v, u64 len)
{
	u8 *n = malloc(len ? len : 1);

	memcpy(n, v, len);
	if (md->bs)
		md->used += (len + md->bs - 1) / md->bs -
			    (md->vlen[i] + md->bs - 1) / md->bs;
	free(md->val[i]);
	md->val[i] = n;
	md->vlen[i] = len;
	if (!md->present[i])
		md->count++;
	md->present[i] = true;
}

void kvt_model_del(struct kvt_model *md, u32 i)
{
	if (md->present[i])
		md->count--;
	if (md->bs)
		md->used -= (md->vlen[i] + md->bs - 1) / md->bs;
	free(md->val[i]);
	md->val[i] = NULL;
	md->vlen[i] = 0;
	md->present[i] = false;
}

int kvt_from_buf(void *arg, u64 off, void *buf, u32 len)
{
	memcpy(buf, (const u8 *)arg + off, len);
	return 0;
}

int kvt_to_buf(void *arg, u64 off, void *buf, u32 len)
{
	memcpy((u8 *)arg + off, buf, len);
	return 0;
}

void kvt_fill(u8 *v, u64 len, u64 *rng)
{
	u64 i, r = kvm_rand(rng);

	for (i = 0; i < len; i++) {
		if (!(i & 7))
			r = kvm_rand(rng);
		v[i] = (u8)(r >> (8 * (i & 7)));
	}
}

enum kv_status kvt_put(struct kv_engine *e, const struct kvt_key *k,
		       const u8 *v, u64 len, u32 opts)
{
	return kv_store(e, k->b, k->len, len, kvt_from_buf, (void *)v, opts);
}

enum kv_status kvt_get(struct kv_engine *e, const struct kvt_key *k,
		       u8 **out, u64 *len)
{
	u64 vlen = 0, copied = 0;
	enum kv_status s;

	*out = NULL;
	*len = 0;
	s = kv_retrieve(e, k->b, k->len, 0, 0, kvt_to_buf, NULL, &vlen, &copied);
	if (s)
		return s;
	*out = malloc(vlen ? vlen : 1);
	s = kv_retrieve(e, k->b, k->len, 0, vlen, kvt_to_buf, *out, len, &copied);
	if (!s && copied != *len)
		s = KV_INTERNAL;
	return s;
}

void kvt_verify_all(struct kv_engine *e, struct kvt_model *md, const char *what)
{
	u32 bufsz = 4 + md->nkeys_pool * 20, nrk, total, i, pos = 4, n = 0;
	u8 *buf = malloc(bufsz);
	struct kv_info info;
	enum kv_status s;

	for (i = 0; i < md->nkeys_pool; i++) {
		u8 *v;
		u64 len;

		s = kvt_get(e, &md->keys[i], &v, &len);
		if (md->present[i])
			CHECK(!s && len == md->vlen[i] && !memcmp(v, md->val[i], len),
			      "%s: key %u: status %s, %llu bytes, expected %llu", what, i,
			      kv_status_name(s), (unsigned long long)len,
			      (unsigned long long)md->vlen[i]);
		else
			CHECK(s == KV_KEY_NOT_EXIST, "%s: key %u: status %s, expected absent",
			      what, i, kv_status_name(s));
		free(v);
	}
	s = kv_list(e, NULL, 0, buf, bufsz, &nrk, &total);
	CHECK(!s && nrk == md->count && total == md->count,
	      "%s: list: %s, %u keys of %u, model %u", what, kv_status_name(s), nrk,
	      total, md->count);
	for (i = 0; i < md->nkeys_pool && !s; i++) {
		const struct kvt_key *k = &md->keys[md->order[i]];

		if (!md->present[md->order[i]])
			continue;
		if (n >= nrk || get_unaligned_le16(buf + pos) != k->len ||
		    memcmp(buf + pos + 2, k->b, k->len)) {
			CHECK(0, "%s: list entry %u is not key %u", what, n, md->order[i]);
			break;
		}
		pos += 2 + k->len + (4 - k->len % 4) % 4;
		n++;
	}
	kv_info(e, &info);
	CHECK(info.nkeys == md->count, "%s: info: %u keys, model %u", what,
	      info.nkeys, md->count);
	CHECK(!kv_check_alloc(e), "%s: free map disagrees with the index", what);
	free(buf);
}

void kvt_format(struct kvm *m, u32 max_keys, u32 max_value, u64 nonce)
{
	struct kv_format_params p = { max_keys, max_value, nonce };
	struct kv_media km = kvm_media(m);
	int ret = kv_format(&km, &p);

	if (ret) {
		fprintf(stderr, "kvtest: format: %d\n", ret);
		exit(2);
	}
}

struct kv_engine *kvt_open(struct kvm *m)
{
	struct kv_media km = kvm_media(m);
	struct kv_engine *e = NULL;
	int ret = kv_open(&km, &e);

	CHECK(!ret, "open: %d", ret);
	return ret ? NULL : e;
}

/* Directed cases: every refusal and edge with its status. */
static void test_directed(u64 seed)
{
	u8 key[20] = "k", big[4200], out[4200], lbuf[64];
	u64 rng = seed, vlen, copied;
	struct kv_fsck_report rep;
	struct kv_engine *e;
	struct kv_info info;
	struct kv_media km;
	struct kvm m;
	u32 nrk, total, i;
	enum kv_status s;

	kvm_init(&m, 512, 64, seed);
	km = kvm_media(&m);
	CHECK(kv_open(&km, &e) == -ENODEV, "open of zeroes is not -ENODEV");
	kvt_format(&m, 16, 4096, 7);
	e = kvt_open(&m);
	if (!e)
		return;
	kv_info(e, &info);
	CHECK(info.max_key_len == 16 && info.max_value_len == 4096 &&
	      info.max_keys == 16 && info.nkeys == 0, "info after format");
	kvt_fill(big, sizeof(big), &rng);
	/* key sizes, on every operation */
	CHECK(kv_store(e, key, 0, 1, kvt_from_buf, big, 0) == KV_INVALID_KEY_SIZE, "store klen 0");
	CHECK(kv_store(e, key, 17, 1, kvt_from_buf, big, 0) == KV_INVALID_KEY_SIZE, "store klen 17");
	CHECK(kv_retrieve(e, key, 0, 0, 1, kvt_to_buf, out, &vlen, &copied) ==
	      KV_INVALID_KEY_SIZE, "retrieve klen 0");
	CHECK(kv_retrieve(e, key, 17, 0, 1, kvt_to_buf, out, &vlen, &copied) ==
	      KV_INVALID_KEY_SIZE, "retrieve klen 17");
	CHECK(kv_delete(e, key, 0, true) == KV_INVALID_KEY_SIZE, "delete klen 0");
	CHECK(kv_delete(e, key, 17, false) == KV_INVALID_KEY_SIZE, "delete klen 17");
	CHECK(kv_exist(e, key, 0) == KV_INVALID_KEY_SIZE, "exist klen 0");
	CHECK(kv_exist(e, key, 17) == KV_INVALID_KEY_SIZE, "exist klen 17");
	CHECK(kv_list(e, key, 17, lbuf, sizeof(lbuf), &nrk, &total) ==
	      KV_INVALID_KEY_SIZE, "list klen 17");
	CHECK(kv_list(e, NULL, 0, lbuf, 3, &nrk, &total) == KV_INVALID_FIELD,
	      "list buffer of 3 bytes");
	/* options */
	CHECK(kv_store(e, key, 1, 1, kvt_from_buf, big,
		       KV_STORE_MUST_EXIST | KV_STORE_MUST_NOT_EXIST) == KV_INVALID_FIELD,
	      "both exist options");
	CHECK(kv_store(e, key, 1, 1, kvt_from_buf, big, 1U << 2) == KV_INVALID_FIELD,
	      "unknown option bit");
	CHECK(kv_store(e, key, 1, 1, kvt_from_buf, big, KV_STORE_MUST_EXIST) ==
	      KV_KEY_NOT_EXIST, "must exist, absent");
	CHECK(kv_store(e, key, 1, 1, kvt_from_buf, big, KV_STORE_MUST_NOT_EXIST) == KV_OK,
	      "must not exist, absent");
	CHECK(kv_store(e, key, 1, 1, kvt_from_buf, big, KV_STORE_MUST_NOT_EXIST) ==
	      KV_KEY_EXISTS, "must not exist, present");
	CHECK(kv_store(e, key, 1, 2, kvt_from_buf, big, KV_STORE_MUST_EXIST) == KV_OK,
	      "must exist, present");
	/* value sizes: 0, 1, max, max + 1, and append past max */
	CHECK(kv_store(e, key, 1, 0, kvt_from_buf, big, 0) == KV_OK, "0-byte value");
	CHECK(kv_retrieve(e, key, 1, 0, 10, kvt_to_buf, out, &vlen, &copied) == KV_OK &&
	      vlen == 0 && copied == 0, "retrieve 0-byte value");
	CHECK(kv_store(e, key, 1, 4097, kvt_from_buf, big, 0) == KV_INVALID_VALUE_SIZE,
	      "max + 1");
	CHECK(kv_store(e, key, 1, 4096, kvt_from_buf, big, 0) == KV_OK, "max");
	CHECK(kv_store(e, key, 1, 1, kvt_from_buf, big, KV_STORE_APPEND) ==
	      KV_INVALID_VALUE_SIZE, "append past max");
	CHECK(kv_store(e, key, 1, 1, kvt_from_buf, big, 0) == KV_OK, "1 byte");
	CHECK(kv_store(e, key, 1, 4095, kvt_from_buf, big + 1, KV_STORE_APPEND) == KV_OK,
	      "append to max");
	memset(out, 0, sizeof(out));
	CHECK(kv_retrieve(e, key, 1, 0, 4096, kvt_to_buf, out, &vlen, &copied) == KV_OK &&
	      vlen == 4096 && copied == 4096 && !memcmp(out, big, 4096), "appended value");
	/* retrieve from an offset into a small buffer: the full size back */
	memset(out, 0, sizeof(out));
	CHECK(kv_retrieve(e, key, 1, 1000, 10, kvt_to_buf, out, &vlen, &copied) == KV_OK &&
	      vlen == 4096 && copied == 10 && !memcmp(out, big + 1000, 10),
	      "retrieve at offset 1000, 10 bytes");
	CHECK(kv_retrieve(e, key, 1, 5000, 10, kvt_to_buf, out, &vlen, &copied) == KV_OK &&
	      vlen == 4096 && copied == 0, "retrieve past the end");
	CHECK(kv_retrieve(e, key, 1, 0, 0, kvt_to_buf, out, &vlen, &copied) == KV_OK &&
	      vlen == 4096 && copied == 0, "retrieve into no buffer");
	/* delete and its switch */
	CHECK(kv_delete(e, (const u8 *)"zz", 2, false) == KV_OK, "delete missing, no switch");
	CHECK(kv_delete(e, (const u8 *)"zz", 2, true) == KV_KEY_NOT_EXIST,
	      "delete missing, with switch");
	CHECK(kv_exist(e, key, 1) == KV_OK, "exist");
	CHECK(kv_delete(e, key, 1, true) == KV_OK, "delete");
	CHECK(kv_exist(e, key, 1) == KV_KEY_NOT_EXIST, "exist after delete");
	/* zero bytes in keys: "\0" and "\0\0" and "" differ */
	CHECK(kv_store(e, (const u8 *)"\0\0", 1, 1, kvt_from_buf, big, 0) == KV_OK, "key 00");
	CHECK(kv_store(e, (const u8 *)"\0\0", 2, 2, kvt_from_buf, big, 0) == KV_OK, "key 0000");
	CHECK(kv_retrieve(e, (const u8 *)"\0\0", 2, 0, 10, kvt_to_buf, out, &vlen,
			  &copied) == KV_OK && vlen == 2, "key 0000 is its own");
	CHECK(kv_list(e, NULL, 0, lbuf, sizeof(lbuf), &nrk, &total) == KV_OK && nrk == 2 &&
	      get_unaligned_le32(lbuf) == 2 && get_unaligned_le16(lbuf + 4) == 1 &&
	      lbuf[6] == 0 && get_unaligned_le16(lbuf + 10) == 2, "list layout");
	CHECK(kv_list(e, NULL, 0, lbuf, 10, &nrk, &total) == KV_OK && nrk == 1 && total == 2,
	      "list: one entry fits in 10 bytes");
	CHECK(kv_list(e, NULL, 0, lbuf, 9, &nrk, &total) == KV_OK && nrk == 0 &&
	      get_unaligned_le32(lbuf) == 0 && total == 2, "list: none fits in 9 bytes");
	CHECK(kv_list(e, (const u8 *)"\0\0", 2, lbuf, sizeof(lbuf), &nrk, &total) == KV_OK &&
	      nrk == 1 && total == 1, "list from the second key");
	/* the maximum number of keys */
	for (i = 2; i < 16; i++) {
		key[0] = 'a' + i;
		s = kv_store(e, key, 1, 0, kvt_from_buf, big, 0);
		CHECK(s == KV_OK, "key %u of 16: %s", i, kv_status_name(s));
	}
	key[0] = 'z';
	CHECK(kv_store(e, key, 2, 0, kvt_from_buf, big, 0) == KV_CAPACITY_EXCEEDED,
	      "key 17 of 16");
	CHECK(kv_store(e, (const u8 *)"\0\0", 2, 3, kvt_from_buf, big, 0) == KV_OK,
	      "overwrite at the maximum number of keys");
	kv_close(e);
	CHECK(!kv_fsck(&km, true, &rep) && rep.objects == 16 && rep.sb_valid == 3,
	      "fsck: %s", rep.msg);

	/* a value's CRC: a flipped data byte is an Unrecovered Error */
	e = kvt_open(&m);
	if (!e)
		goto out;
	kvt_fill(big, 1000, &rng);
	CHECK(kv_delete(e, (const u8 *)"\0\0", 2, true) == KV_OK, "make room for a key");
	CHECK(kv_store(e, (const u8 *)"crc", 3, 1000, kvt_from_buf, big, 0) == KV_OK, "crc store");
	kv_close(e);
	for (i = 0; i < m.nblocks * m.bs; i++)
		if (!memcmp(m.cur + i, big + 100, 32))
			break;
	CHECK(i < m.nblocks * m.bs, "value bytes not found on media");
	if (i < m.nblocks * m.bs) {
		m.cur[i] ^= 1;
		e = kvt_open(&m);
		if (e) {
			CHECK(kv_retrieve(e, (const u8 *)"crc", 3, 0, 1000, kvt_to_buf, out, &vlen,
					  &copied) == KV_UNRECOVERED, "flipped value byte");
			CHECK(kv_retrieve_buf(e, (const u8 *)"crc", 3, 0, 1000, out, &vlen,
					      &copied) == KV_UNRECOVERED,
			      "flipped value byte, read into the buffer");
			CHECK(kv_retrieve(e, (const u8 *)"crc", 3, 500, 100, kvt_to_buf, out,
					  &vlen, &copied) == KV_OK, "partial read is not checked");
			kv_close(e);
			/* trusted media (a memory drive): no CRC check, the bytes as they are */
			km = kvm_media(&m);
			km.trusted = true;
			e = NULL;
			CHECK(!kv_open(&km, &e), "open trusted");
			if (e) {
				CHECK(kv_retrieve_buf(e, (const u8 *)"crc", 3, 0, 1000, out, &vlen,
						      &copied) == KV_OK && copied == 1000 &&
				      out[100] == (u8)(big[100] ^ 1) && !memcmp(out, big, 100),
				      "trusted media: a whole read is not checked");
				kv_close(e);
			}
			e = kvt_open(&m);
			if (!e)
				goto out;
			m.fail_read_lba = (long)(i / m.bs);
			CHECK(kv_retrieve(e, (const u8 *)"crc", 3, 0, 1000, kvt_to_buf, out,
					  &vlen, &copied) == KV_UNRECOVERED, "read error");
			m.fail_read_lba = -1;
			kv_close(e);
		}
		CHECK(kv_fsck(&km, true, &rep) == -EUCLEAN && rep.values_bad == 1,
		      "fsck finds the flipped value");
		CHECK(kv_fsck(&km, false, &rep) == 0, "fsck without values");
		m.cur[i] ^= 1;
	}
	/*
	 * Stored on trusted media, a value gets no CRC, and keeps none when
	 * appended to elsewhere: nothing checks it, fsck counts it and only
	 * reads it.
	 */
	km = kvm_media(&m);
	km.trusted = true;
	e = NULL;
	CHECK(!kv_open(&km, &e), "open trusted");
	kvt_fill(big, sizeof(big), &rng);
	if (e) {
		CHECK(kv_delete(e, (const u8 *)"c", 1, true) == KV_OK, "make room for a key");
		CHECK(kv_store(e, (const u8 *)"nocrc", 5, 1000, kvt_from_buf, big, 0) == KV_OK &&
		      kv_store(e, (const u8 *)"nocrc", 5, 24, kvt_from_buf, big + 1000,
			       KV_STORE_APPEND) == KV_OK, "trusted store and append");
		kv_close(e);
	}
	e = kvt_open(&m);
	if (e) {
		struct kv_run runs[KV_MAX_RUNS];
		bool check = true;
		u32 nruns, vcrc = 1;

		CHECK(kv_retrieve_runs(e, (const u8 *)"nocrc", 5, &vlen, &check, &vcrc, runs,
				       &nruns) == KV_OK && vlen == 1024 && !check && !vcrc && nruns,
		      "a value without a CRC: nothing to check");
		CHECK(kv_store(e, (const u8 *)"nocrc", 5, 76, kvt_from_buf, big + 1024,
			       KV_STORE_APPEND) == KV_OK, "untrusted append");
		CHECK(kv_retrieve_runs(e, (const u8 *)"crc", 3, &vlen, &check, &vcrc, runs,
				       &nruns) == KV_OK && check, "a value with a CRC is checked");
		kv_close(e);
	}
	for (i = 0; i < m.nblocks * m.bs; i++)
		if (!memcmp(m.cur + i, big + 1030, 32))
			break;
	CHECK(i < m.nblocks * m.bs, "appended bytes not found on media");
	if (i < m.nblocks * m.bs) {
		m.cur[i] ^= 1;
		e = kvt_open(&m);
		if (e) {
			CHECK(kv_retrieve(e, (const u8 *)"nocrc", 5, 0, 2000, kvt_to_buf, out,
					  &vlen, &copied) == KV_OK && copied == 1100 &&
			      out[1030] == (u8)(big[1030] ^ 1) && !memcmp(out, big, 1030),
			      "a value without a CRC is not checked, appended to or not");
			kv_close(e);
		}
		km = kvm_media(&m);
		CHECK(kv_fsck(&km, true, &rep) == 0 && rep.values_nocrc == 1 &&
		      !rep.values_bad, "fsck reads a value without a CRC: %s", rep.msg);
		m.cur[i] ^= 1;
	}
	/* another format's records never show through */
	kvt_format(&m, 16, 4096, 8);
	e = kvt_open(&m);
	if (e) {
		kv_info(e, &info);
		CHECK(info.nkeys == 0, "reformat: %u keys", info.nkeys);
		kv_close(e);
	}
	/* the defaults: one key per 8 blocks, values up to the data area */
	kvt_format(&m, 0, 0, 9);
	e = kvt_open(&m);
	if (e) {
		kv_info(e, &info);
		CHECK(info.max_keys == 16 && info.max_value_len == info.data_blocks * 512 &&
		      info.journal_slots == 32, "default format: %u keys, %u bytes, %u slots",
		      info.max_keys, info.max_value_len, info.journal_slots);
		kv_close(e);
	}
	/* an image on a media of another block size or smaller */
	km.block_size = 1024;
	km.nblocks = 32;
	CHECK(kv_open(&km, &e) == -ENODEV || kv_open(&km, &e) == -EINVAL,
	      "open with another block size");
	km.block_size = 512;
	km.nblocks = 63;
	CHECK(kv_open(&km, &e) == -EINVAL, "open on a smaller media");
	km.nblocks = 4;
	{
		struct kv_format_params p = { 1000, 0, 1 };

		CHECK(kv_format(&km, &p) == -EINVAL, "format of a too small media");
		km.block_size = 768;
		CHECK(kv_format(&km, &p) == -EINVAL, "format with a 768-byte block");
	}
	CHECK(kv_status_to_nvme(KV_KEY_EXISTS) == 0x89 &&
	      kv_status_to_nvme(KV_CAPACITY_EXCEEDED) == 0x81 &&
	      kv_status_to_nvme(KV_INVALID_FIELD) == 0x02, "NVMe statuses");
out:
	kvm_destroy(&m);
}

/* the sum of the 9 longest free runs: what one value can get */
static u64 kvt_alloc_limit(struct kv_engine *e)
{
	u64 runs[KV_MAX_KEY_LEN], sum = 0;
	u32 n = kv_free_runs(e, runs, 9), i;

	for (i = 0; i < n; i++)
		sum += runs[i];
	return sum;
}

static u64 kvt_vsize(u64 *rng, u32 bs, u32 maxv)
{
	u32 r = kvm_rand(rng) % 100;

	if (r < 40)
		return kvm_rand(rng) % 65;
	if (r < 70)
		return kvm_rand(rng) % (2 * bs + 1);
	if (r < 85)
		return kvm_rand(rng) % (8 * bs + 1);
	if (r < 88)
		return kvm_rand(rng) % 2;
	if (r < 93)
		return maxv - 1 + kvm_rand(rng) % 3;	/* max - 1, max, max + 1 */
	return kvm_rand(rng) % ((u64)maxv + 1);
}

/*
 * One random workload against the model on a fresh image: every call's
 * status and result checked, usage after every call, everything every
 * @verify_every calls, a clean close and reopen every @reopen_every.
 */
static void test_random(const char *name, u32 bs, u64 nblocks, u32 max_keys,
			u32 maxv, u32 npool, long ops, u64 seed, bool trusted)
{
	static u8 vbuf[4 << 20], obuf[4 << 20];
	struct kvt_model *md = calloc(1, sizeof(*md));
	u64 rng = seed, used = 0;
	long op, caps = 0, oks = 0;
	struct kv_fsck_report rep;
	struct kv_engine *e;
	struct kv_media km;
	struct kv_info info;
	struct kvm m;

	kvm_init(&m, bs, nblocks, seed);
	m.trusted = trusted;
	kvt_pool_init(md, npool, &rng);
	md->bs = bs;
	kvt_format(&m, max_keys, maxv, seed);
	e = kvt_open(&m);
	if (!e)
		goto out;
	kv_info(e, &info);
	maxv = info.max_value_len;
	if (maxv + 1ULL > sizeof(vbuf)) {
		fprintf(stderr, "kvtest: %s: max value too large for the test\n", name);
		exit(2);
	}
	for (op = 0; op < ops; op++) {
		u32 r = kvm_rand(&rng) % 100, k = kvm_rand(&rng) % npool;
		const struct kvt_key *key = &md->keys[k];
		struct kvt_key bad = *key;
		enum kv_status s, want;
		u64 vlen, copied;

		if (r < 40) {			/* store */
			u32 o = kvm_rand(&rng) % 100, opts = 0;
			u64 len = kvt_vsize(&rng, bs, maxv), limit, need;
			bool present = md->present[k], append;

			opts = o < 60 ? 0 : o < 70 ? KV_STORE_MUST_EXIST :
			       o < 80 ? KV_STORE_MUST_NOT_EXIST : o < 95 ? KV_STORE_APPEND :
			       o < 97 ? KV_STORE_APPEND | KV_STORE_MUST_EXIST :
			       o < 99 ? KV_STORE_MUST_EXIST | KV_STORE_MUST_NOT_EXIST : 1U << 5;
			if (opts & KV_STORE_APPEND && present && kvm_rand(&rng) & 1)
				len = kvm_rand(&rng) % (bs + 2);
			append = opts & KV_STORE_APPEND && present;
			kvt_fill(vbuf, len, &rng);
			limit = kvt_alloc_limit(e);
			if (kvm_rand(&rng) & 1) {
				s = kvt_put(e, key, vbuf, len, opts);
			} else {
				/* kv_store_buf(): exactly the whole blocks, zero-padded */
				u64 padded = (len + bs - 1) / bs * bs;
				u8 *p = calloc(1, padded ? padded : 1);

				memcpy(p, vbuf, len);
				s = kv_store_buf(e, key->b, key->len, len, p, opts);
				free(p);
			}
			if ((opts & ~KV_STORE_OPTS) ||
			    (opts & KV_STORE_MUST_EXIST && opts & KV_STORE_MUST_NOT_EXIST))
				want = KV_INVALID_FIELD;
			else if (len > maxv || (append && len > maxv - md->vlen[k]))
				want = KV_INVALID_VALUE_SIZE;
			else if (opts & KV_STORE_MUST_EXIST && !present)
				want = KV_KEY_NOT_EXIST;
			else if (opts & KV_STORE_MUST_NOT_EXIST && present)
				want = KV_KEY_EXISTS;
			else if (!present && md->count >= max_keys)
				want = KV_CAPACITY_EXCEEDED;
			else if (append)
				/* the fast path's extents are the engine's business:
				 * refusing is right only if a whole rewrite cannot fit */
				want = s == KV_CAPACITY_EXCEEDED &&
				       (md->vlen[k] + len + bs - 1) / bs > limit ?
				       KV_CAPACITY_EXCEEDED : KV_OK;
			else
				want = (len + bs - 1) / bs > limit ? KV_CAPACITY_EXCEEDED : KV_OK;
			CHECK(s == want, "%s op %ld: store key %u len %llu opts %#x: %s, want %s",
			      name, op, k, (unsigned long long)len, opts, kv_status_name(s),
			      kv_status_name(want));
			if (!s && append) {
				need = md->vlen[k] + len;
				memcpy(obuf, md->val[k], md->vlen[k]);
				memcpy(obuf + md->vlen[k], vbuf, len);
				kvt_model_set(md, k, obuf, need);
			} else if (!s) {
				kvt_model_set(md, k, vbuf, len);
			}
			caps += s == KV_CAPACITY_EXCEEDED;
			oks += !s;
		} else if (r < 65) {		/* retrieve */
			u64 vl = md->vlen[k];
			u64 off = kvm_rand(&rng) % 4 ? 0 : kvm_rand(&rng) % (vl + 10);
			u64 blen = kvm_rand(&rng) % 4 ? vl + 1 : kvm_rand(&rng) % (vl + 2);

			bool direct = kvm_rand(&rng) & 1;
			/* kv_retrieve_buf()'s buffer: blen in whole blocks, exactly */
			u8 *dbuf = direct ? malloc((blen + bs - 1) / bs * bs + 1) : NULL;

			memset(obuf, 0xa5, 16);
			if (direct) {
				s = kv_retrieve_buf(e, key->b, key->len, off, blen, dbuf,
						    &vlen, &copied);
				if (!s)
					memcpy(obuf, dbuf, copied);
				free(dbuf);
			} else {
				s = kv_retrieve(e, key->b, key->len, off, blen, kvt_to_buf, obuf,
						&vlen, &copied);
			}
			if (!md->present[k]) {
				CHECK(s == KV_KEY_NOT_EXIST, "%s op %ld: retrieve absent: %s",
				      name, op, kv_status_name(s));
			} else {
				u64 exp = off >= vl ? 0 : vl - off < blen ? vl - off : blen;

				CHECK(!s && vlen == vl && copied == exp &&
				      !memcmp(obuf, md->val[k] + (off < vl ? off : 0), exp),
				      "%s op %ld: retrieve key %u off %llu len %llu: %s %llu/%llu",
				      name, op, k, (unsigned long long)off,
				      (unsigned long long)blen, kv_status_name(s),
				      (unsigned long long)copied, (unsigned long long)vlen);
			}
		} else if (r < 77) {		/* delete */
			bool sw = kvm_rand(&rng) & 1;

			s = kv_delete(e, key->b, key->len, sw);
			want = md->present[k] || !sw ? KV_OK : KV_KEY_NOT_EXIST;
			CHECK(s == want, "%s op %ld: delete: %s", name, op, kv_status_name(s));
			if (!s)
				kvt_model_del(md, k);
		} else if (r < 87) {		/* exist */
			s = kv_exist(e, key->b, key->len);
			CHECK(s == (md->present[k] ? KV_OK : KV_KEY_NOT_EXIST),
			      "%s op %ld: exist: %s", name, op, kv_status_name(s));
		} else if (r < 93) {		/* list from a pool key, a small buffer */
			u32 blen = 4 + kvm_rand(&rng) % 200, nrk, total, pos = 4, j, n = 0, ge = 0;

			s = kv_list(e, key->b, key->len, obuf, blen, &nrk, &total);
			for (j = 0; j < npool; j++)
				ge += md->present[md->order[j]] &&
				      kvt_keycmp(&md->keys[md->order[j]], key) >= 0;
			CHECK(!s && total == ge, "%s op %ld: list total %u, model %u", name,
			      op, total, ge);
			for (j = 0; j < npool && n < nrk && !s; j++) {
				const struct kvt_key *x = &md->keys[md->order[j]];

				if (!md->present[md->order[j]] || kvt_keycmp(x, key) < 0)
					continue;
				if (get_unaligned_le16(obuf + pos) != x->len ||
				    memcmp(obuf + pos + 2, x->b, x->len)) {
					CHECK(0, "%s op %ld: list entry %u", name, op, n);
					break;
				}
				pos += 2 + x->len + (4 - x->len % 4) % 4;
				n++;
			}
			CHECK(n == nrk && get_unaligned_le32(obuf) == nrk &&
			      (nrk == ge || blen - pos < 20U), "%s op %ld: list of %u", name,
			      op, nrk);
		} else {			/* bad key sizes */
			bad.len = kvm_rand(&rng) & 1 ? 0 : 17 + kvm_rand(&rng) % 4;
			s = kvm_rand(&rng) & 1 ? kv_exist(e, bad.b, bad.len) :
			    kv_delete(e, bad.b, bad.len, true);
			CHECK(s == KV_INVALID_KEY_SIZE, "%s op %ld: key of %u bytes: %s",
			      name, op, bad.len, kv_status_name(s));
		}
		/* usage after every call: blocks and keys exactly */
		kv_info(e, &info);
		used = md->used;
		if (info.nkeys != md->count || info.data_blocks - info.free_blocks != used) {
			CHECK(0, "%s op %ld: %u keys, %llu blocks used; model %u, %llu", name,
			      op, info.nkeys,
			      (unsigned long long)(info.data_blocks - info.free_blocks),
			      md->count, (unsigned long long)used);
			break;
		}
		if (op % 5000 == 4999)
			kvt_verify_all(e, md, name);
		if (op % 20000 == 19999) {
			kv_close(e);
			e = kvt_open(&m);
			if (!e)
				break;
			kvt_verify_all(e, md, name);
		}
	}
	if (e) {
		kv_info(e, &info);
		printf("  %s: %ld ops (%ld stores done, %ld Capacity Exceeded), %u keys, "
		       "generation %llu\n", name, op, oks, caps, info.nkeys,
		       (unsigned long long)info.generation);
		kvt_verify_all(e, md, name);
		kv_close(e);
		/* values stored on trusted media have no CRC, the others one each */
		km = kvm_media(&m);
		CHECK(!kv_fsck(&km, true, &rep) && rep.objects == md->count &&
		      rep.values_nocrc == (trusted ? md->count : 0),
		      "%s: fsck: %s, %llu objects, %llu without a CRC", name, rep.msg,
		      (unsigned long long)rep.objects, (unsigned long long)rep.values_nocrc);
	}
out:
	kvt_model_free(md);
	free(md);
	kvm_destroy(&m);
}

/*
 * Stores in three steps (kv_put_begin(), kv_put_write(), kv_put_end()), up
 * to four of them open at once and interleaved with whole stores, deletes
 * and reads, as several clients' stores overlap with the lock dropped:
 * each takes effect at its end, checked there against the model as it is
 * then; the blocks of an open store count as used; reopened at the end.
 */
enum { KVT_IL_MAX_KEYS = 16 };

struct kvt_open_put {
	struct kv_put *p;
	u32 k, opts;
	u64 len;
	u8 *v;			/* whole blocks, zero-padded */
	bool written;
};

/* kv_put_end() of @o, checked against the model as it is now */
static bool kvt_put_end(struct kv_engine *e, struct kvt_model *md,
			struct kvt_open_put *o, const char *name, long op)
{
	bool present = md->present[o->k];
	enum kv_status s, want;

	want = o->opts & KV_STORE_MUST_EXIST && !present ? KV_KEY_NOT_EXIST :
	       o->opts & KV_STORE_MUST_NOT_EXIST && present ? KV_KEY_EXISTS :
	       !present && md->count >= KVT_IL_MAX_KEYS ? KV_CAPACITY_EXCEEDED : KV_OK;
	s = kv_put_end(e, o->p);
	CHECK(s == want, "%s op %ld: end key %u opts %#x (written %d): %s, want %s",
	      name, op, o->k, o->opts, o->written, kv_status_name(s), kv_status_name(want));
	if (!s)
		kvt_model_set(md, o->k, o->v, o->len);
	free(o->v);
	return s == want;
}

static void test_interleaved(const char *name, u64 seed, long ops, bool trusted)
{
	enum { NPOOL = 24, OPEN = 4 };
	struct kvt_open_put o[OPEN] = { 0 };
	struct kvt_model *md = calloc(1, sizeof(*md));
	u64 rng = seed, pend;
	u32 bs = 512, nopen = 0, i;
	long op, ended = 0, refused = 0;
	struct kv_engine *e;
	struct kv_info info;
	struct kvm m;

	kvm_init(&m, bs, 512, seed);
	m.trusted = trusted;
	kvt_pool_init(md, NPOOL, &rng);
	md->bs = bs;
	kvt_format(&m, KVT_IL_MAX_KEYS, 8192, seed);
	e = kvt_open(&m);
	if (!e)
		goto out;
	for (op = 0; op < ops; op++) {
		u32 r = kvm_rand(&rng) % 100, k = kvm_rand(&rng) % NPOOL, j;
		const struct kvt_key *key = &md->keys[k];
		enum kv_status s, want;

		if (r < 30 && nopen < OPEN) {		/* begin */
			u32 x = kvm_rand(&rng) % 10, opts;
			u64 len = kvt_vsize(&rng, bs, 8192), need = (len + bs - 1) / bs;
			struct kv_put *p = (struct kv_put *)&nopen;	/* begin sets it */
			u8 *v = calloc(1, need * bs + 1);

			opts = x < 6 ? 0 : x < 8 ? KV_STORE_MUST_NOT_EXIST :
			       x < 9 ? KV_STORE_MUST_EXIST : KV_STORE_APPEND;
			kvt_fill(v, len, &rng);
			want = opts & KV_STORE_APPEND ? KV_INVALID_FIELD :
			       len > 8192 ? KV_INVALID_VALUE_SIZE :
			       opts & KV_STORE_MUST_EXIST && !md->present[k] ? KV_KEY_NOT_EXIST :
			       opts & KV_STORE_MUST_NOT_EXIST && md->present[k] ? KV_KEY_EXISTS :
			       !md->present[k] && md->count >= KVT_IL_MAX_KEYS ?
			       KV_CAPACITY_EXCEEDED : need > kvt_alloc_limit(e) ? KV_CAPACITY_EXCEEDED : KV_OK;
			s = kv_put_begin(e, key->b, key->len, len, v, opts, &p);
			CHECK(s == want && !p == !!s, "%s op %ld: begin key %u len %llu opts %#x: "
			      "%s, want %s", name, op, k, (unsigned long long)len, opts,
			      kv_status_name(s), kv_status_name(want));
			if (s || !p) {
				free(v);
				refused++;
			} else {
				o[nopen++] = (struct kvt_open_put){ p, k, opts, len, v, false };
			}
		} else if (r < 50 && nopen) {		/* the middle, lock dropped */
			j = kvm_rand(&rng) % nopen;
			if (!o[j].written)
				CHECK(kv_put_write(e, o[j].p) == 0, "%s op %ld: write", name, op);
			o[j].written = true;
		} else if (r < 75 && nopen) {		/* end: takes effect now */
			j = kvm_rand(&rng) % nopen;
			kvt_put_end(e, md, &o[j], name, op);
			o[j] = o[--nopen];
			ended++;
		} else if (r < 85) {			/* a whole store, meanwhile */
			u64 len = kvm_rand(&rng) % (2 * bs + 1);
			u8 v[2 * 512 + 1];

			kvt_fill(v, len, &rng);
			want = !md->present[k] && md->count >= KVT_IL_MAX_KEYS ?
			       KV_CAPACITY_EXCEEDED :
			       (len + bs - 1) / bs > kvt_alloc_limit(e) ? KV_CAPACITY_EXCEEDED : KV_OK;
			s = kvt_put(e, key, v, len, 0);
			CHECK(s == want, "%s op %ld: store: %s", name, op, kv_status_name(s));
			if (!s)
				kvt_model_set(md, k, v, len);
		} else if (r < 93) {			/* delete */
			s = kv_delete(e, key->b, key->len, false);
			CHECK(s == KV_OK, "%s op %ld: delete: %s", name, op, kv_status_name(s));
			kvt_model_del(md, k);
		} else {				/* read back */
			u8 *got = NULL;
			u64 len = 0;

			s = kvt_get(e, key, &got, &len);
			CHECK(md->present[k] ? !s && len == md->vlen[k] &&
					       !memcmp(got, md->val[k], len) :
					       s == KV_KEY_NOT_EXIST,
			      "%s op %ld: retrieve key %u: %s", name, op, k, kv_status_name(s));
			free(got);
		}
		/* the open stores' blocks are allocated, not yet anyone's */
		for (pend = 0, i = 0; i < nopen; i++)
			pend += (o[i].len + bs - 1) / bs;
		kv_info(e, &info);
		if (info.nkeys != md->count ||
		    info.data_blocks - info.free_blocks != md->used + pend) {
			CHECK(0, "%s op %ld: %u keys, %llu blocks used; model %u, %llu + %llu open",
			      name, op, info.nkeys,
			      (unsigned long long)(info.data_blocks - info.free_blocks),
			      md->count, (unsigned long long)md->used, (unsigned long long)pend);
			break;
		}
	}
	while (nopen) {
		nopen--;
		kvt_put_end(e, md, &o[nopen], name, op);
	}
	kvt_verify_all(e, md, name);
	kv_close(e);
	e = kvt_open(&m);
	if (e) {
		kvt_verify_all(e, md, name);
		printf("  %s: %ld ops, %ld three-step stores ended, %ld refused at the start, "
		       "%u keys\n", name, op, ended, refused, md->count);
		kv_close(e);
	}
out:
	kvt_model_free(md);
	free(md);
	kvm_destroy(&m);
}

/*
 * List iteration with a small buffer while keys are stored and deleted
 * between calls: every key present from start to end appears exactly
 * once, no key twice, in strictly increasing order.
 */
static void test_list_iter(u64 seed, long rounds)
{
	struct kvt_model *md = calloc(1, sizeof(*md));
	u8 buf[300], val[8];
	u64 rng = seed;
	long round, seen_total = 0;
	struct kv_engine *e;
	struct kvm m;
	u32 i;

	kvm_init(&m, 512, 4096, seed);
	kvt_pool_init(md, 600, &rng);
	kvt_format(&m, 1024, 0, seed);
	e = kvt_open(&m);
	if (!e)
		goto out;
	for (round = 0; round < rounds; round++) {
		bool stable[KVT_MAXPOOL], seen[KVT_MAXPOOL] = { false };
		struct kvt_key last = { 0 };
		bool have_last = false, bad = false;

		for (i = 0; i < 600; i++)
			if (kvm_rand(&rng) % 3 == 0 && !md->present[i]) {
				kvt_put(e, &md->keys[i], val, 1, 0);
				kvt_model_set(md, i, val, 1);
			}
		for (i = 0; i < 600; i++)
			stable[i] = md->present[i];
		for (;;) {
			u32 blen = 44 + kvm_rand(&rng) % (sizeof(buf) - 44), nrk, total, pos = 4, n;
			enum kv_status s;

			s = kv_list(e, have_last ? last.b : NULL, have_last ? last.len : 0,
				    buf, blen, &nrk, &total);
			if (s) {
				CHECK(0, "list iteration: %s", kv_status_name(s));
				break;
			}
			for (n = 0; n < nrk; n++) {
				struct kvt_key k = { 0 };
				u32 j;

				k.len = (u8)get_unaligned_le16(buf + pos);
				memcpy(k.b, buf + pos + 2, k.len);
				pos += 2 + k.len + (4 - k.len % 4) % 4;
				if (have_last && !kvt_keycmp(&k, &last) && n == 0)
					continue;	/* the start key itself */
				if (have_last && kvt_keycmp(&k, &last) <= 0)
					bad = true;
				for (j = 0; j < 600; j++)
					if (!kvt_keycmp(&k, &md->keys[j]))
						break;
				if (j == 600 || seen[j])
					bad = true;
				else
					seen[j] = true;
				last = k;
				have_last = true;
				seen_total++;
			}
			if (nrk == total)
				break;
			/* change the store between calls */
			for (n = 0; n < 3; n++) {
				i = kvm_rand(&rng) % 600;
				if (md->present[i]) {
					kv_delete(e, md->keys[i].b, md->keys[i].len, false);
					kvt_model_del(md, i);
					stable[i] = false;
				} else {
					kvt_put(e, &md->keys[i], val, 1, 0);
					kvt_model_set(md, i, val, 1);
				}
			}
		}
		for (i = 0; i < 600; i++)
			if (stable[i] && md->present[i] && !seen[i])
				bad = true;
		CHECK(!bad, "list iteration round %ld: a key missed, repeated or out of order",
		      round);
	}
	printf("  list iteration: %ld rounds, %ld keys returned\n", rounds, seen_total);
	kv_close(e);
out:
	kvt_model_free(md);
	free(md);
	kvm_destroy(&m);
}

/* 2 MiB values, and one 64 MiB object, retrieved whole and in pieces */
static void test_big(u64 seed)
{
	u64 rng = seed, len = 64ULL << 20, vlen, copied, off;
	u8 *v = malloc(len), *o = malloc(len);
	struct kv_engine *e;
	struct kvm m;
	u32 i;

	kvm_init(&m, 4096, (80ULL << 20) / 4096, seed);
	kvt_format(&m, 64, 0, seed);
	e = kvt_open(&m);
	if (!e)
		goto out;
	kvt_fill(v, len, &rng);
	CHECK(kv_store(e, (const u8 *)"big", 3, len, kvt_from_buf, v, 0) == KV_OK,
	      "64 MiB store");
	CHECK(kv_store(e, (const u8 *)"big", 3, len + 1, kvt_from_buf, v, 0) ==
	      KV_INVALID_VALUE_SIZE, "64 MiB + 1");
	memset(o, 0, len);
	CHECK(kv_retrieve(e, (const u8 *)"big", 3, 0, len, kvt_to_buf, o, &vlen, &copied) ==
	      KV_OK && vlen == len && copied == len && !memcmp(o, v, len), "64 MiB retrieve");
	for (off = 0, i = 0; i < 8; i++) {
		off = kvm_rand(&rng) % len;
		CHECK(kv_retrieve(e, (const u8 *)"big", 3, off, 100000, kvt_to_buf, o, &vlen,
				  &copied) == KV_OK && !memcmp(o, v + off, copied), "piece at %llu",
		      (unsigned long long)off);
	}
	/* no room for a second 64 MiB copy: the old one stays */
	CHECK(kv_store(e, (const u8 *)"big", 3, len, kvt_from_buf, v + 1, 0) ==
	      KV_CAPACITY_EXCEEDED, "overwrite needs room for both");
	CHECK(kv_delete(e, (const u8 *)"big", 3, true) == KV_OK, "64 MiB delete");
	for (i = 0; i < 16; i++) {
		u8 key[2] = { 'm', (u8)i };

		CHECK(kv_store(e, key, 2, 2 << 20, kvt_from_buf, v + i * 4096, 0) == KV_OK,
		      "2 MiB store %u", i);
	}
	kv_close(e);
	e = kvt_open(&m);
	for (i = 0; e && i < 16; i++) {
		u8 key[2] = { 'm', (u8)i };

		CHECK(kv_retrieve(e, key, 2, 0, 2 << 20, kvt_to_buf, o, &vlen, &copied) ==
		      KV_OK && vlen == 2 << 20 && !memcmp(o, v + i * 4096, 2 << 20),
		      "2 MiB retrieve %u", i);
	}
	if (e)
		kv_close(e);
out:
	free(v);
	free(o);
	kvm_destroy(&m);
}

/* KVTEST_ONLY=crash,fault runs only those parts */
static bool kvt_part(const char *name)
{
	const char *only = getenv("KVTEST_ONLY");

	return !only || strstr(only, name);
}

/*
 * Readers at once (the read side of the engine's lock): four threads
 * retrieve and list the same engine; each must see every value whole.
 */
struct kvt_reader {
	struct kv_engine *e;
	struct kvt_model *md;
	u64 seed;
	long bad;
};

static void *kvt_reader_run(void *arg)
{
	struct kvt_reader *r = arg;
	u8 out[3000], lbuf[256];
	u64 rng = r->seed, vlen, copied;
	u32 nrk, total;
	long i;

	for (i = 0; i < 20000; i++) {
		u32 k = kvm_rand(&rng) % r->md->nkeys_pool;
		const struct kvt_key *key = &r->md->keys[k];

		if (i % 10 == 0) {
			if (kv_list(r->e, key->b, key->len, lbuf, sizeof(lbuf), &nrk, &total))
				r->bad++;
			continue;
		}
		if (kv_retrieve(r->e, key->b, key->len, 0, sizeof(out), kvt_to_buf, out,
				&vlen, &copied) != KV_OK || vlen != r->md->vlen[k] ||
		    memcmp(out, r->md->val[k], vlen))
			r->bad++;
	}
	return NULL;
}

static void test_readers(u64 seed)
{
	struct kvt_model *md = calloc(1, sizeof(*md));
	struct kvt_reader rd[4];
	pthread_t th[4];
	u8 v[3000];
	u64 rng = seed;
	struct kv_engine *e;
	struct kvm m;
	u32 i;

	kvm_init(&m, 512, 4096, seed);
	kvt_pool_init(md, 200, &rng);
	kvt_format(&m, 256, 3000, seed);
	e = kvt_open(&m);
	if (!e)
		goto out;
	for (i = 0; i < 200; i++) {
		u64 len = kvm_rand(&rng) % sizeof(v);

		kvt_fill(v, len, &rng);
		CHECK(kvt_put(e, &md->keys[i], v, len, 0) == KV_OK, "readers: store %u", i);
		kvt_model_set(md, i, v, len);
	}
	for (i = 0; i < 4; i++) {
		rd[i] = (struct kvt_reader){ e, md, seed + i, 0 };
		pthread_create(&th[i], NULL, kvt_reader_run, &rd[i]);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		CHECK(!rd[i].bad, "reader %u: %ld wrong answers", i, rd[i].bad);
	}
	printf("  concurrent readers: 4 threads, 80000 calls\n");
	kv_close(e);
out:
	kvt_model_free(md);
	free(md);
	kvm_destroy(&m);
}

static double kvt_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *env = getenv("KVTEST_SEED");
	long scale = getenv("KVTEST_LONG") ? 10 : 1;
	u64 seed = argc > 1 ? strtoull(argv[1], NULL, 0) :
		   env && !strcmp(env, "time") ? (u64)time(NULL) :
		   env ? strtoull(env, NULL, 0) : 20261124;
	double t0 = kvt_now(), t;

	printf("kvtest: seed %llu (rerun: kvtest %llu)%s\n", (unsigned long long)seed,
	       (unsigned long long)seed, scale > 1 ? ", long run" : "");
	if (kvt_part("directed"))
		test_directed(seed);
	t = kvt_now();
	if (kvt_part("random")) {
		/* 512-byte blocks, keys and the journal tight: compaction often */
		test_random("small-512", 512, 1024, 48, 8192, 96, 60000 * scale, seed + 1,
			    false);
		/* the same on trusted media: values without CRCs */
		test_random("trusted-512", 512, 1024, 48, 8192, 96, 30000 * scale, seed + 11,
			    true);
		/* 4 KiB blocks, a value may take the whole drive: a full drive */
		test_random("full-4k", 4096, 160, 256, 0, 300, 40000 * scale, seed + 2,
			    false);
		/* many keys, values up to 64 KiB, fragmentation */
		test_random("many-512", 512, 8192, 900, 65536, 1000, 120000 * scale, seed + 3,
			    false);
		/* a large block, tiny data area */
		test_random("tiny-64k", 65536, 40, 32, 0, 64, 10000 * scale, seed + 4,
			    false);
		/* stores in three steps, several open at once */
		test_interleaved("interleaved-512", seed + 12, 40000 * scale, false);
		test_interleaved("interleaved-trusted", seed + 13, 20000 * scale, true);
		printf("  random workloads: %.1f s\n", kvt_now() - t);
	}
	t = kvt_now();
	if (kvt_part("list"))
		test_list_iter(seed + 5, 200 * scale);
	if (kvt_part("big"))
		test_big(seed + 6);
	if (kvt_part("readers"))
		test_readers(seed + 10);
	printf("  list and big values: %.1f s\n", kvt_now() - t);
	t = kvt_now();
	if (kvt_part("crash"))
		kvt_crash_campaign(seed + 7, 2000 * scale);
	if (kvt_part("fault"))
		kvt_fault_campaign(seed + 8, 600 * scale);
	printf("  power cuts and faults: %.1f s\n", kvt_now() - t);
	t = kvt_now();
	if (kvt_part("fuzz"))
		kvt_fuzz_images(seed + 9, 3000 * scale);
	printf("  fuzzed images: %.1f s\n", kvt_now() - t);
	printf("kvtest: %ld checks passed, %ld failed (seed %llu, %.1f s)\n", kvt_passed,
	       kvt_failed, (unsigned long long)seed, kvt_now() - t0);
	return kvt_failed ? 1 : 0;
}
