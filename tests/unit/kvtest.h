/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What kvtest.c (directed tests, the random workload against the model,
 * List under change) and kvcrash.c (power cuts, failing writes, fuzzed
 * images) share: checks, the key pool and the host-side reference model.
 */
#ifndef _KVTEST_H
#define _KVTEST_H

#include "kvmedia.h"

extern long kvt_passed, kvt_failed;

#define CHECK(cond, ...)							\
	do {									\
		if (cond) {							\
			kvt_passed++;						\
		} else {							\
			kvt_failed++;						\
			if (kvt_failed <= 30) {					\
				fprintf(stderr, "kvtest: %s:%d: ", __FILE__, __LINE__); \
				fprintf(stderr, __VA_ARGS__);			\
				fputc('\n', stderr);				\
			}							\
		}								\
	} while (0)

/* a fixed pool of keys: every length 1..16, zero bytes, shared prefixes */
#define KVT_MAXPOOL 1024
struct kvt_key {
	u8 len;
	u8 b[KV_MAX_KEY_LEN];
};

/* the model: per pool key, its value (or none) */
struct kvt_model {
	u32 nkeys_pool;
	struct kvt_key keys[KVT_MAXPOOL];
	u32 order[KVT_MAXPOOL];		/* pool indices in key order */
	bool present[KVT_MAXPOOL];
	u8 *val[KVT_MAXPOOL];
	u64 vlen[KVT_MAXPOOL];
	u32 count;
	u32 bs;				/* when set: @used is kept */
	u64 used;			/* blocks the values take */
};

void kvt_pool_init(struct kvt_model *md, u32 n, u64 *rng);
void kvt_model_free(struct kvt_model *md);
void kvt_model_set(struct kvt_model *md, u32 i, const u8 *v, u64 len);
void kvt_model_del(struct kvt_model *md, u32 i);

/* the copy callbacks: a flat buffer as the source or the sink */
int kvt_from_buf(void *arg, u64 off, void *buf, u32 len);
int kvt_to_buf(void *arg, u64 off, void *buf, u32 len);

enum kv_status kvt_put(struct kv_engine *e, const struct kvt_key *k,
		       const u8 *v, u64 len, u32 opts);
/* the whole value into a fresh buffer (*out, *len); the status */
enum kv_status kvt_get(struct kv_engine *e, const struct kvt_key *k,
		       u8 **out, u64 *len);
/* every pool key's value and the whole List against the model; checks */
void kvt_verify_all(struct kv_engine *e, struct kvt_model *md, const char *what);
void kvt_fill(u8 *v, u64 len, u64 *rng);

struct kv_engine *kvt_open(struct kvm *m);
void kvt_format(struct kvm *m, u32 max_keys, u32 max_value, u64 nonce);

void kvt_crash_campaign(u64 seed, long cuts);
void kvt_fault_campaign(u64 seed, long faults);
void kvt_fuzz_images(u64 seed, long iters);

#endif /* _KVTEST_H */
