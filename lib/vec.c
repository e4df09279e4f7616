// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Int8 vector top-k: the host path (the same list as bpf/topk_i8.bpf.o
 * keeps, in C) and the drive path (vectors in SLM, one MEM_WRITE of the
 * query and one EXECUTE per query).  See
 * lib/include/liburingblk/vec.h; the tie rule is in bpf/topk_i8.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "private.h"

int uringblk_vec_topk_init(struct uringblk_vec_topk *t, const void *query,
			   __u32 dim, __u32 k, __u32 metric,
			   struct uringblk_vec_hit *hits)
{
	if (!t || !query || !hits || !dim || dim > URINGBLK_VEC_DIM_MAX ||
	    !k || k > URINGBLK_VEC_K_MAX || metric > URINGBLK_VEC_L2SQ)
		return -EINVAL;
	*t = (struct uringblk_vec_topk){ .query = query, .hits = hits,
		.dim = dim, .k = k, .metric = metric };
	return 0;
}

/*
 * The host's scoring loops get the compiler's vectorizer (-O3), as an
 * application's would: the drive has no SIMD, the host does.
 */
__attribute__((optimize("O3"))) static __s32
dot(const __s8 *q, const __s8 *x, __u32 dim)
{
	__s32 s = 0;
	__u32 j;

	for (j = 0; j < dim; j++)
		s += q[j] * x[j];
	return s;
}

__attribute__((optimize("O3"))) static __s32
l2sq(const __s8 *q, const __s8 *x, __u32 dim)
{
	__s32 s = 0, d;
	__u32 j;

	for (j = 0; j < dim; j++) {
		d = q[j] - x[j];
		s += d * d;
	}
	return s;
}

/* The list of bpf/topk_i8.h's topk_add(): keys, higher better. */
static void add_one(struct uringblk_vec_topk *t, __u64 index, __s64 key)
{
	struct uringblk_vec_hit *h = t->hits;
	__u32 pos = t->cnt;

	if (pos == t->k) {
		if (key <= h[t->k - 1].score)
			return;
		pos = t->k - 1;
	} else {
		t->cnt++;
	}
	while (pos > 0 && h[pos - 1].score < key) {
		h[pos] = h[pos - 1];
		pos--;
	}
	h[pos].index = index;
	h[pos].score = key;
}

void uringblk_vec_topk_add(struct uringblk_vec_topk *t, const void *vecs,
			   __u64 n)
{
	const __s8 *x = vecs;
	__u64 i;

	for (i = 0; i < n; i++, x += t->dim) {
		__s64 key = t->metric == URINGBLK_VEC_DOT ?
			    dot(t->query, x, t->dim) :
			    -(__s64)l2sq(t->query, x, t->dim);

		add_one(t, t->next++, key);
	}
}

unsigned int uringblk_vec_topk_finish(struct uringblk_vec_topk *t)
{
	__u32 i;

	if (t->metric == URINGBLK_VEC_L2SQ)
		for (i = 0; i < t->cnt; i++)
			t->hits[i].score = -t->hits[i].score;
	t->metric = URINGBLK_VEC_DOT;	/* a second finish changes nothing */
	return t->cnt;
}

/* The size of 1.11's struct uringblk_vec_topk_host_args, the first one. */
#define VEC_TOPK_HOST_ARGS_SIZE_1_11 \
	(offsetof(struct uringblk_vec_topk_host_args, query) + sizeof(void *))

int uringblk_vec_topk_host_args(const struct uringblk_vec_topk_host_args *args,
				struct uringblk_vec_hit *hits)
{
	struct uringblk_vec_topk_host_args ha;
	struct uringblk_vec_topk t;
	int ret;

	ret = uringblk_args_in(args, VEC_TOPK_HOST_ARGS_SIZE_1_11, &ha,
			       sizeof(ha));
	if (ret)
		return ret;
	if (ha.flags)
		return -EINVAL;
	ret = uringblk_vec_topk_init(&t, ha.query, ha.dim, ha.k, ha.metric,
				     hits);
	if (ret)
		return ret;
	if (ha.n && !ha.vecs)
		return -EINVAL;
	uringblk_vec_topk_add(&t, ha.vecs, ha.n);
	return (int)uringblk_vec_topk_finish(&t);
}

/* The 1.9 entry point, kept for its callers. */
int uringblk_vec_topk_host(const void *vecs, __u64 n, __u32 dim,
			   const void *query, __u32 k, __u32 metric,
			   struct uringblk_vec_hit *hits)
{
	const struct uringblk_vec_topk_host_args ha = {
		.size = sizeof(ha), .vecs = vecs, .n = n, .dim = dim, .k = k,
		.metric = metric, .query = query,
	};

	return uringblk_vec_topk_host_args(&ha, hits);
}

int uringblk_vec_topk_read(struct uringblk_vec_topk *t, int fd, __u64 off,
			   __u64 n, __u64 *bytes_read)
{
	/* whole vectors and whole 4 KiB blocks per piece, about 4 MiB */
	__u64 unit = (__u64)t->dim * 4096, per = (4ULL << 20) / unit;
	__u64 piece, done = 0, want, got, total = 0;
	unsigned char *buf;
	ssize_t r;
	int ret = 0;

	if (!per)
		per = 1;
	piece = per * unit;
	if (posix_memalign((void **)&buf, 4096, piece))
		return -ENOMEM;
	while (done < n) {
		__u64 m = n - done < per * 4096 ? n - done : per * 4096;

		want = (m * t->dim + 4095) / 4096 * 4096;
		for (got = 0; got < m * t->dim; got += (__u64)r) {
			r = pread(fd, buf + got, want - got,
				  (off_t)(off + done * t->dim + got));
			if (r < 0) {
				ret = -errno;
				goto out;
			}
			if (!r) {
				ret = -EIO;
				goto out;
			}
			total += (__u64)r;
		}
		uringblk_vec_topk_add(t, buf, m);
		done += m;
	}
out:
	free(buf);
	if (bytes_read)
		*bytes_read = total;
	return ret;
}

/*
 * args[0] of a topk_i8 request (bpf/topk_i8.h, which a host cannot
 * include: it declares the program's helpers).
 */
static __u64 topk_args0(__u32 dim, __u32 k, __u32 metric)
{
	return (__u64)dim | (__u64)k << 16 | (__u64)metric << 32;
}

/* What the drive needs for a store: SLM and the vector helpers. */
static int store_check(struct uringblk_dev *dev, __u64 slm_off, __u32 dim,
		       struct uringblk_identify *id, char *msg, size_t msg_len)
{
	int ret;

	if (!dim || dim > URINGBLK_VEC_DIM_MAX) {
		set_msg(msg, msg_len, "dim %u is not in 1..%u", dim,
			URINGBLK_VEC_DIM_MAX);
		return -EINVAL;
	}
	ret = uringblk_identify(dev, id);
	if (ret)
		return ret;
	if (!(id->features & URINGBLK_F_VEC_I8) ||
	    !(id->features & URINGBLK_F_SLM)) {
		set_msg(msg, msg_len, "the drive has no %s (ABI 1.7 needed, "
			"it has 1.%u)", !(id->features & URINGBLK_F_SLM) ?
			"SLM" : "int8 vector helpers", id->abi_minor);
		return -EOPNOTSUPP;
	}
	if (!id->slm_granularity || slm_off % id->slm_granularity) {
		set_msg(msg, msg_len, "SLM offset %" PRIu64 " is not a "
			"multiple of the SLM granularity %u",
			(uint64_t)slm_off, id->slm_granularity);
		return -EINVAL;
	}
	return 0;
}

/* The range set [query page, vectors) over SLM from s->slm_off. */
static int store_set(struct uringblk_dev *dev, struct uringblk_vec_store *s,
		     __u64 setlen, char *msg, size_t msg_len)
{
	struct uringblk_mem_range r = { .slm_off = s->slm_off,
					.len = s->vec_off + setlen };
	int rsid = uringblk_range_set_create(dev, &r, 1);

	if (rsid < 0) {
		set_msg(msg, msg_len, "RANGE_SET_CREATE [%" PRIu64 ", +%" PRIu64
			") failed", (uint64_t)r.slm_off, (uint64_t)r.len);
		return rsid;
	}
	s->rsid = (__u32)rsid;
	return 0;
}

static __u64 round_up(__u64 v, __u64 to)
{
	return (v + to - 1) / to * to;
}

/* uringblk_vec_store_lbas_args(), once its struct is read. */
static int store_lbas(struct uringblk_dev *dev, __u64 slm_off, __u64 lba,
		      __u64 n, __u32 dim, struct uringblk_vec_store *s,
		      char *msg, size_t msg_len)
{
	struct uringblk_identify id;
	struct uringblk_copy_range r;
	__u64 bytes, blocks, setlen, done, take, max_blocks;
	__u32 bs;
	int ret;

	set_msg(msg, msg_len, "%s", "");
	if (!dev || !s)
		return -EINVAL;
	ret = store_check(dev, slm_off, dim, &id, msg, msg_len);
	if (ret)
		return ret;
	bs = id.logical_block_size;
	if (!n || n > UINT64_MAX / dim || !bs || id.max_mem_xfer < bs) {
		set_msg(msg, msg_len, "%" PRIu64 " vectors: none, or too many",
			(uint64_t)n);
		return -EINVAL;
	}
	bytes = n * dim;
	blocks = (bytes + bs - 1) / bs;
	if (lba > id.capacity / bs || blocks > id.capacity / bs - lba) {
		set_msg(msg, msg_len, "%" PRIu64 " vectors of %u bytes from "
			"LBA %" PRIu64 " end past the drive (%" PRIu64
			" blocks)", (uint64_t)n, dim, (uint64_t)lba,
			(uint64_t)(id.capacity / bs));
		return -ERANGE;
	}
	*s = (struct uringblk_vec_store){ .slm_off = slm_off,
		.vec_off = round_up(dim, id.slm_granularity), .n = n,
		.dim = dim };
	setlen = round_up(blocks * bs, id.slm_granularity);
	if (s->vec_off + setlen > id.slm_size ||
	    slm_off > id.slm_size - s->vec_off - setlen) {
		set_msg(msg, msg_len, "%" PRIu64 " bytes of vectors and the "
			"query page do not fit in SLM (%" PRIu64 " bytes) "
			"from offset %" PRIu64, (uint64_t)bytes,
			(uint64_t)id.slm_size, (uint64_t)slm_off);
		return -ERANGE;
	}
	max_blocks = id.max_mem_xfer / bs;
	for (done = 0; done < blocks; done += take) {
		take = blocks - done < max_blocks ? blocks - done : max_blocks;
		r = (struct uringblk_copy_range){ .slba = lba + done,
						  .nlb = (__u32)take };
		ret = uringblk_mem_copy(dev, slm_off + s->vec_off + done * bs,
					&r, 1);
		if (ret < 0) {
			set_msg(msg, msg_len, "MEM_COPY of LBA %" PRIu64
				" +%" PRIu64 " failed", (uint64_t)(lba + done),
				(uint64_t)take);
			return ret;
		}
	}
	return store_set(dev, s, setlen, msg, msg_len);
}

/* uringblk_vec_store_file_args(), once its struct is read. */
static int store_file(struct uringblk_dev *dev,
		      const struct uringblk_file_map *map, __u64 slm_off,
		      __u32 dim, struct uringblk_vec_store *s, char *msg,
		      size_t msg_len)
{
	struct uringblk_identify id;
	__u64 setlen = 0, vec_off;
	int ret;

	set_msg(msg, msg_len, "%s", "");
	if (!dev || !map || !s)
		return -EINVAL;
	ret = store_check(dev, slm_off, dim, &id, msg, msg_len);
	if (ret)
		return ret;
	if (!map->version.size || map->version.size % dim) {
		set_msg(msg, msg_len, "the file's %" PRIu64 " bytes are not a "
			"whole number (>= 1) of %u-byte vectors",
			(uint64_t)map->version.size, dim);
		return -EINVAL;
	}
	vec_off = round_up(dim, id.slm_granularity);
	if (slm_off > UINT64_MAX - vec_off)
		return -ERANGE;
	ret = uringblk__file_to_slm(dev, map, slm_off + vec_off, &id, &setlen,
				    msg, msg_len);
	if (ret)
		return ret;
	ret = uringblk_file_check(dev, map, msg, msg_len);
	if (ret)
		return ret;
	*s = (struct uringblk_vec_store){ .slm_off = slm_off,
		.vec_off = vec_off, .n = map->version.size / dim, .dim = dim };
	return store_set(dev, s, setlen, msg, msg_len);
}

/* The sizes of 1.11's structs, the first ones. */
#define VEC_STORE_LBAS_ARGS_SIZE_1_11 \
	(offsetof(struct uringblk_vec_store_lbas_args, msg_len) + sizeof(size_t))
#define VEC_STORE_FILE_ARGS_SIZE_1_11 \
	(offsetof(struct uringblk_vec_store_file_args, msg_len) + sizeof(size_t))

int uringblk_vec_store_lbas_args(struct uringblk_dev *dev,
				 const struct uringblk_vec_store_lbas_args *args,
				 struct uringblk_vec_store *s)
{
	struct uringblk_vec_store_lbas_args la;
	int ret;

	uringblk__begin(dev);
	ret = uringblk_args_in(args, VEC_STORE_LBAS_ARGS_SIZE_1_11, &la,
			       sizeof(la));
	if (ret)
		return ret;
	if (la.flags)
		return -EINVAL;
	return store_lbas(dev, la.slm_off, la.lba, la.n, la.dim, s, la.msg,
			  la.msg_len);
}

int uringblk_vec_store_file_args(struct uringblk_dev *dev,
				 const struct uringblk_vec_store_file_args *args,
				 struct uringblk_vec_store *s)
{
	struct uringblk_vec_store_file_args fa;
	int ret;

	uringblk__begin(dev);
	ret = uringblk_args_in(args, VEC_STORE_FILE_ARGS_SIZE_1_11, &fa,
			       sizeof(fa));
	if (ret)
		return ret;
	if (fa.flags)
		return -EINVAL;
	return store_file(dev, fa.map, fa.slm_off, fa.dim, s, fa.msg,
			  fa.msg_len);
}

/* The 1.9 entry points, kept for their callers. */

int uringblk_vec_store_lbas(struct uringblk_dev *dev, __u64 slm_off,
			    __u64 lba, __u64 n, __u32 dim,
			    struct uringblk_vec_store *s, char *msg,
			    size_t msg_len)
{
	const struct uringblk_vec_store_lbas_args la = {
		.size = sizeof(la), .slm_off = slm_off, .lba = lba, .n = n,
		.dim = dim, .msg = msg, .msg_len = msg_len,
	};

	uringblk__begin(dev);
	return uringblk_vec_store_lbas_args(dev, &la, s);
}

int uringblk_vec_store_file(struct uringblk_dev *dev,
			    const struct uringblk_file_map *map, __u64 slm_off,
			    __u32 dim, struct uringblk_vec_store *s, char *msg,
			    size_t msg_len)
{
	const struct uringblk_vec_store_file_args fa = {
		.size = sizeof(fa), .map = map, .slm_off = slm_off, .dim = dim,
		.msg = msg, .msg_len = msg_len,
	};

	uringblk__begin(dev);
	return uringblk_vec_store_file_args(dev, &fa, s);
}

int uringblk_vec_store_free(struct uringblk_dev *dev,
			    struct uringblk_vec_store *s)
{
	int ret;

	uringblk__begin(dev);
	if (!dev || !s || !s->rsid)
		return -EINVAL;
	ret = uringblk_range_set_delete(dev, s->rsid);
	if (!ret)
		s->rsid = 0;
	return ret;
}

/* The size of 1.11's struct uringblk_vec_query_args, the first one. */
#define VEC_QUERY_ARGS_SIZE_1_11 \
	(offsetof(struct uringblk_vec_query_args, xres) + sizeof(void *))

int uringblk_vec_query_args(struct uringblk_dev *dev,
			    const struct uringblk_vec_store *s,
			    const struct uringblk_vec_query_args *args,
			    struct uringblk_vec_hit *hits)
{
	struct uringblk_vec_query_args qa;
	struct uringblk_execute_args a = { 0 };
	struct uringblk_exec_result local, *res;
	int ret;

	uringblk__begin(dev);
	ret = uringblk_args_in(args, VEC_QUERY_ARGS_SIZE_1_11, &qa, sizeof(qa));
	if (ret)
		return ret;
	if (qa.flags)
		return -EINVAL;
	res = qa.xres ? qa.xres : &local;
	if (!dev || !s || !qa.query || !hits || !qa.k ||
	    qa.k > URINGBLK_VEC_K_MAX || qa.metric > URINGBLK_VEC_L2SQ ||
	    !s->rsid)
		return -EINVAL;
	ret = uringblk_mem_write(dev, s->slm_off, qa.query, s->dim);
	if (ret < 0)
		return ret;
	a.pind = qa.pind;
	a.rsid = s->rsid;
	a.cparam[0] = topk_args0(s->dim, qa.k, qa.metric);
	a.cparam[1] = s->vec_off;
	a.arg2 = s->n;
	a.data_len = s->vec_off + s->n * s->dim;
	ret = uringblk_execute(dev, &a, res, hits,
			       (size_t)qa.k * sizeof(*hits));
	if (ret)
		return ret;
	if (res->r0 > qa.k || res->out_len != res->r0 * sizeof(*hits))
		return -EIO;	/* not topk_i8's reply */
	return (int)res->r0;
}

/* The 1.9 entry point, kept for its callers; its @res is not optional. */
int uringblk_vec_query(struct uringblk_dev *dev,
		       const struct uringblk_vec_store *s, __u32 pind,
		       const void *query, __u32 k, __u32 metric,
		       struct uringblk_vec_hit *hits,
		       struct uringblk_exec_result *res)
{
	const struct uringblk_vec_query_args qa = {
		.size = sizeof(qa), .pind = pind, .k = k, .metric = metric,
		.query = query, .xres = res,
	};

	uringblk__begin(dev);
	if (!res)
		return -EINVAL;
	return uringblk_vec_query_args(dev, s, &qa, hits);
}

int uringblk_vec_prog(struct uringblk_dev *dev, const char *obj_path,
		      __u32 *pind, char *log, size_t log_len)
{
	struct uringblk_prog_info info;
	struct uringblk_prog_obj po;
	int ret;

	set_msg(log, log_len, "%s", "");
	uringblk__begin(dev);
	if (!dev || !pind)
		return -EINVAL;
	ret = uringblk_prog_find(dev, "topk_i8", &info);
	if (ret == -ENOENT && obj_path) {
		ret = uringblk_prog_read_obj(obj_path, "topk_i8", &po, log,
					     log_len);
		if (ret)
			return ret;
		ret = uringblk_prog_load_obj_slot(dev, &po, 0, log, log_len);
		uringblk_prog_obj_free(&po);
		if (ret < 0)
			return ret;
		ret = uringblk_prog_find(dev, "topk_i8", &info);
	}
	if (ret)
		return ret;
	if (!(info.flags & URINGBLK_PROG_INFO_F_ACTIVE)) {
		ret = uringblk_prog_activate(dev, info.pind, 1);
		if (ret) {
			set_msg(log, log_len, "PROG_ACTIVATE of slot %u failed",
				info.pind);
			return ret;
		}
	}
	*pind = info.pind;
	return 0;
}
