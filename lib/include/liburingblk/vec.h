/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * <liburingblk/vec.h> - int8 vector top-k: on the host and in the drive
 * (vectors copied once into SLM, each query one MEM_WRITE and one EXECUTE).
 *
 * Part of <liburingblk.h>, which includes every header of liburingblk.
 */
#ifndef LIBURINGBLK_VEC_H
#define LIBURINGBLK_VEC_H

#include <liburingblk/uapi/uringblk.h>
#include <liburingblk/device.h>
#include <liburingblk/file.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Int8 vector top-k (liburingblk 1.9, drive ABI 1.7: URINGBLK_F_VEC_I8)
 * ---------------------------------------------------------------------
 * Embeddings are n vectors of dim signed bytes end to end.  The k best
 * for a query: by dot product (higher first) or squared L2 distance
 * (lower first); equal scores: the lower index first.  The drive path and
 * the host path give the same list, byte for byte.
 *
 * The drive path is the standard's model: the vectors are copied once
 * into device memory (SLM) after one page reserved for the query (the
 * copy never crosses the bus), a range set names [query page, vectors];
 * each query is one MEM_WRITE of dim bytes and one EXECUTE of
 * bpf/topk_i8.bpf.o (its request layout: bpf/topk_i8.h), which returns
 * only the k hits.
 */
#define URINGBLK_VEC_DOT	0	/* metric: dot product, higher first */
#define URINGBLK_VEC_L2SQ	1	/* metric: squared L2 distance, lower first */
#define URINGBLK_VEC_DIM_MAX	4096	/* URINGBLK_PROG_VEC_DIM_MAX */
#define URINGBLK_VEC_K_MAX	1024

/** struct uringblk_vec_hit - one result: the output of topk_i8 */
struct uringblk_vec_hit {
	__u64	index;		/* vector number, from 0 */
	__s64	score;		/* dot product, or squared L2 distance */
};

/**
 * struct uringblk_vec_topk - the host path's running top-k
 *
 * Filled by uringblk_vec_topk_init(); the fields are the library's.
 */
struct uringblk_vec_topk {
	const __s8		*query;
	struct uringblk_vec_hit	*hits;	/* k entries, keys until finished */
	__u64			next;	/* index of the next vector added */
	__u32			dim;
	__u32			k;
	__u32			metric;
	__u32			cnt;
};

/**
 * uringblk_vec_topk_init() - start a host top-k
 * @t:		filled
 * @query:	@dim signed bytes, kept by pointer until finished
 * @dim:	1..URINGBLK_VEC_DIM_MAX
 * @k:		1..URINGBLK_VEC_K_MAX
 * @metric:	URINGBLK_VEC_DOT or URINGBLK_VEC_L2SQ
 * @hits:	room for @k hits
 *
 * Return: 0 or -EINVAL.
 */
int uringblk_vec_topk_init(struct uringblk_vec_topk *t, const void *query,
			   __u32 dim, __u32 k, __u32 metric,
			   struct uringblk_vec_hit *hits);

/**
 * uringblk_vec_topk_add() - score vectors into a host top-k
 * @t:		from uringblk_vec_topk_init()
 * @vecs:	@n vectors of t->dim signed bytes each
 * @n:		vectors; they are numbered on from the ones added before
 *
 * Each vector is scored against the query (dot product, or the negated
 * squared L2 distance) and kept if it is among the k best so far.
 */
void uringblk_vec_topk_add(struct uringblk_vec_topk *t, const void *vecs,
			   __u64 n);

/**
 * uringblk_vec_topk_finish() - the hits of a host top-k
 * @t:	from uringblk_vec_topk_init() and uringblk_vec_topk_add()
 *
 * Leaves the hits in t->hits, best first; for URINGBLK_VEC_L2SQ their
 * scores become the squared distances (positive).  A second call changes
 * nothing.
 *
 * Return: the number of hits, min(k, vectors added).
 */
unsigned int uringblk_vec_topk_finish(struct uringblk_vec_topk *t);

/**
 * uringblk_vec_topk_host() - the host path in one call
 * @vecs:	@n vectors of @dim bytes
 * @n:		vectors at @vecs
 * @dim:	as for uringblk_vec_topk_init()
 * @query:	as for uringblk_vec_topk_init()
 * @k:		as for uringblk_vec_topk_init()
 * @metric:	as for uringblk_vec_topk_init()
 * @hits:	as for uringblk_vec_topk_init()
 *
 * Return: the number of hits (min(@k, @n)) or -EINVAL.
 */
int uringblk_vec_topk_host(const void *vecs, __u64 n, __u32 dim,
			   const void *query, __u32 k, __u32 metric,
			   struct uringblk_vec_hit *hits);

/**
 * struct uringblk_vec_topk_host_args - what uringblk_vec_topk_host_args()
 *	searches (since 1.11)
 * @size:	sizeof(struct uringblk_vec_topk_host_args) as the caller was
 *		built (the rule of struct uringblk_prog_load_args)
 * @flags:	0 (reserved for options)
 * @vecs:	as for uringblk_vec_topk_host()
 * @n:		as for uringblk_vec_topk_host()
 * @dim:	as for uringblk_vec_topk_init()
 * @k:		as for uringblk_vec_topk_init()
 * @metric:	as for uringblk_vec_topk_init()
 * @query:	as for uringblk_vec_topk_init()
 */
struct uringblk_vec_topk_host_args {
	__u32					size;
	__u32					flags;
	const void				*vecs;
	__u64					n;
	__u32					dim;
	__u32					k;
	__u32					metric;
	const void				*query;
};

/**
 * uringblk_vec_topk_host_args() - uringblk_vec_topk_host() with its
 *	options in a struct that can grow (since 1.11)
 * @args:	the vectors, the query, k and the metric (@args->size set)
 * @hits:	room for @args->k hits
 *
 * Return: as uringblk_vec_topk_host(); -EINVAL (@args NULL, its size below
 * that of 1.11's struct, or flags not 0) or -E2BIG (a larger struct whose
 * bytes past the ones this library knows are not 0), before anything is
 * written.
 */
int uringblk_vec_topk_host_args(const struct uringblk_vec_topk_host_args *args,
				struct uringblk_vec_hit *hits);

/**
 * uringblk_vec_topk_read() - the host path over a file descriptor
 * @t:		from uringblk_vec_topk_init(); the vectors are added to it
 * @fd:		a block device or file, O_DIRECT or not
 * @off:	byte offset of the first vector (a multiple of 4096 for
 *		O_DIRECT)
 * @n:		vectors to read
 * @bytes_read:	receives the bytes read (whole 4 KiB blocks), or NULL
 *
 * Reads as an application would: a few MiB at a time into a page-aligned
 * buffer, each piece scored before the next is read.
 *
 * Return: 0, -EIO at a short read before the vectors' end, or -errno.
 */
int uringblk_vec_topk_read(struct uringblk_vec_topk *t, int fd, __u64 off,
			   __u64 n, __u64 *bytes_read);

/**
 * struct uringblk_vec_store - vectors held in the drive's SLM
 * @slm_off:	the query page; the vectors follow at @slm_off + @vec_off
 * @vec_off:	identify.slm_granularity (the query page)
 * @n:		vectors
 * @dim:	bytes per vector
 * @rsid:	the range set over [query page, vectors]
 */
struct uringblk_vec_store {
	__u64	slm_off;
	__u64	vec_off;
	__u64	n;
	__u32	dim;
	__u32	rsid;
};

/**
 * uringblk_vec_store_lbas() - copy vectors from the drive's blocks to SLM
 * @dev:	open handle (command device open for writing)
 * @slm_off:	where in SLM (a multiple of identify.slm_granularity); the
 *		SLM from there on is overwritten
 * @lba:	first block of the vectors (they start at its first byte)
 * @n:		vectors (>= 1)
 * @dim:	bytes per vector, 1..URINGBLK_VEC_DIM_MAX
 * @s:		filled; release with uringblk_vec_store_free()
 * @msg:	receives the reason of a refusal
 * @msg_len:	its size
 *
 * Return: 0 or -errno: -EOPNOTSUPP (no SLM or no vector helpers), -EINVAL,
 * -ERANGE (past the drive, or does not fit in SLM), MEM_COPY's errnos.
 */
int uringblk_vec_store_lbas(struct uringblk_dev *dev, __u64 slm_off,
			    __u64 lba, __u64 n, __u32 dim,
			    struct uringblk_vec_store *s, char *msg,
			    size_t msg_len);

/**
 * uringblk_vec_store_file() - the same for a file of vectors on the drive
 * @dev:	as for uringblk_vec_store_lbas()
 * @slm_off:	as for uringblk_vec_store_lbas()
 * @dim:	as for uringblk_vec_store_lbas()
 * @s:		as for uringblk_vec_store_lbas()
 * @msg:	as for uringblk_vec_store_lbas()
 * @msg_len:	as for uringblk_vec_store_lbas()
 * @map:	uringblk_file_map() of the file: n * @dim bytes, nothing else
 *		(a size that is not a multiple of @dim is -EINVAL)
 *
 * The file is checked for changes after the copy (-ESTALE).
 */
int uringblk_vec_store_file(struct uringblk_dev *dev,
			    const struct uringblk_file_map *map, __u64 slm_off,
			    __u32 dim, struct uringblk_vec_store *s, char *msg,
			    size_t msg_len);

/**
 * struct uringblk_vec_store_lbas_args - which blocks
 *	uringblk_vec_store_lbas_args() copies where (since 1.11)
 * @size:	sizeof(struct uringblk_vec_store_lbas_args) as the caller was
 *		built (the rule of struct uringblk_prog_load_args)
 * @flags:	0 (reserved for options)
 * @slm_off:	as for uringblk_vec_store_lbas()
 * @lba:	as for uringblk_vec_store_lbas()
 * @n:		as for uringblk_vec_store_lbas()
 * @dim:	as for uringblk_vec_store_lbas()
 * @msg:	as for uringblk_vec_store_lbas(), or NULL
 * @msg_len:	its size
 */
struct uringblk_vec_store_lbas_args {
	__u32					size;
	__u32					flags;
	__u64					slm_off;
	__u64					lba;
	__u64					n;
	__u32					dim;
	char					*msg;
	size_t					msg_len;
};

/**
 * uringblk_vec_store_lbas_args() - uringblk_vec_store_lbas() with its
 *	options in a struct that can grow (since 1.11)
 * @dev:	as for uringblk_vec_store_lbas()
 * @args:	the vectors' blocks and where in SLM (@args->size set)
 * @s:		as for uringblk_vec_store_lbas()
 *
 * Return: as uringblk_vec_store_lbas(); -EINVAL (@args NULL, its size below
 * that of 1.11's struct, or flags not 0) or -E2BIG (a larger struct whose
 * bytes past the ones this library knows are not 0), before anything is
 * written.
 */
int uringblk_vec_store_lbas_args(struct uringblk_dev *dev,
				 const struct uringblk_vec_store_lbas_args *args,
				 struct uringblk_vec_store *s);

/**
 * struct uringblk_vec_store_file_args - which file
 *	uringblk_vec_store_file_args() copies where (since 1.11)
 * @size:	sizeof(struct uringblk_vec_store_file_args) as the caller was
 *		built (the rule of struct uringblk_prog_load_args)
 * @flags:	0 (reserved for options)
 * @map:	as for uringblk_vec_store_file()
 * @slm_off:	as for uringblk_vec_store_lbas()
 * @dim:	as for uringblk_vec_store_lbas()
 * @msg:	as for uringblk_vec_store_lbas(), or NULL
 * @msg_len:	its size
 */
struct uringblk_vec_store_file_args {
	__u32					size;
	__u32					flags;
	const struct uringblk_file_map		*map;
	__u64					slm_off;
	__u32					dim;
	char					*msg;
	size_t					msg_len;
};

/**
 * uringblk_vec_store_file_args() - uringblk_vec_store_file() with its
 *	options in a struct that can grow (since 1.11)
 * @dev:	as for uringblk_vec_store_lbas()
 * @args:	the file and where in SLM (@args->size set)
 * @s:		as for uringblk_vec_store_lbas()
 *
 * Return: as uringblk_vec_store_file(); -EINVAL (@args NULL, its size below
 * that of 1.11's struct, or flags not 0) or -E2BIG (a larger struct whose
 * bytes past the ones this library knows are not 0), before anything is
 * written.
 */
int uringblk_vec_store_file_args(struct uringblk_dev *dev,
				 const struct uringblk_vec_store_file_args *args,
				 struct uringblk_vec_store *s);

/**
 * uringblk_vec_store_free() - release a vector store
 * @dev:	open handle
 * @s:		from uringblk_vec_store_lbas() or uringblk_vec_store_file()
 *
 * Deletes the store's range set (uringblk_range_set_delete()); the SLM
 * keeps its bytes.  On success s->rsid becomes 0.
 *
 * Return: 0; -EINVAL (NULL, or a store already freed); or
 * uringblk_range_set_delete()'s -errno.
 */
int uringblk_vec_store_free(struct uringblk_dev *dev,
			    struct uringblk_vec_store *s);

/**
 * uringblk_vec_query() - the k best vectors of a store, in the drive
 * @dev:	open handle
 * @s:		the store
 * @pind:	slot of an active topk_i8 program
 * @query:	@s->dim signed bytes
 * @k:		as for uringblk_vec_topk_init()
 * @metric:	as for uringblk_vec_topk_init()
 * @hits:	as for uringblk_vec_topk_init()
 * @res:	the EXECUTE result (insns, bytes scanned...)
 *
 * MEM_WRITE of the query into the store's query page, then EXECUTE.
 *
 * Return: the number of hits, or -errno (the run's, e.g. -ETIME).
 */
int uringblk_vec_query(struct uringblk_dev *dev,
		       const struct uringblk_vec_store *s, __u32 pind,
		       const void *query, __u32 k, __u32 metric,
		       struct uringblk_vec_hit *hits,
		       struct uringblk_exec_result *res);

/**
 * struct uringblk_vec_query_args - the query uringblk_vec_query_args()
 *	runs (since 1.11)
 * @size:	sizeof(struct uringblk_vec_query_args) as the caller was
 *		built (the rule of struct uringblk_prog_load_args)
 * @flags:	0 (reserved for options)
 * @pind:	as for uringblk_vec_query()
 * @k:		as for uringblk_vec_topk_init()
 * @metric:	as for uringblk_vec_topk_init()
 * @query:	as for uringblk_vec_query()
 * @xres:	if not NULL, receives the EXECUTE result (insns, bytes
 *		scanned...)
 */
struct uringblk_vec_query_args {
	__u32					size;
	__u32					flags;
	__u32					pind;
	__u32					k;
	__u32					metric;
	const void				*query;
	struct uringblk_exec_result		*xres;
};

/**
 * uringblk_vec_query_args() - uringblk_vec_query() with its options in a
 *	struct that can grow (since 1.11)
 * @dev:	open handle
 * @s:		the store
 * @args:	the program, the query, k and the metric (@args->size set)
 * @hits:	room for @args->k hits
 *
 * Return: as uringblk_vec_query(); -EINVAL (@args NULL, its size below
 * that of 1.11's struct, or flags not 0) or -E2BIG (a larger struct whose
 * bytes past the ones this library knows are not 0), before anything is
 * written.
 */
int uringblk_vec_query_args(struct uringblk_dev *dev,
			    const struct uringblk_vec_store *s,
			    const struct uringblk_vec_query_args *args,
			    struct uringblk_vec_hit *hits);

/**
 * uringblk_vec_prog() - the slot of an active topk_i8 program
 * @dev:	open handle
 * @obj_path:	topk_i8.bpf.o, loaded into the lowest free slot if no
 *		program named "topk_i8" is on the drive (NULL: only look)
 * @pind:	receives its slot
 * @log:	receives the loader's or validator's message on a refusal
 * @log_len:	its size
 *
 * Activates the program if it is not active (both need CAP_SYS_ADMIN).
 *
 * Return: 0, -ENOENT (not loaded and no @obj_path), or the errno of
 * reading, loading or activating it.
 */
int uringblk_vec_prog(struct uringblk_dev *dev, const char *obj_path,
		      __u32 *pind, char *log, size_t log_len);

#ifdef __cplusplus
}
#endif

#endif /* LIBURINGBLK_VEC_H */
