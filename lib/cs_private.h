/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * The SNIA Computational Storage API layer's internals (cs_*.c): the SLM
 * allocator, the errno -> CS_STATUS table, the compute request marshalling
 * (all pure, unit-tested in tests/lib/cs_*.c) and the per-drive state.
 */
#ifndef LIBURINGBLK_CS_PRIVATE_H
#define LIBURINGBLK_CS_PRIVATE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "private.h"
#pragma GCC visibility push(default)
#include "uringblk_cs.h"
#pragma GCC visibility pop

/*
 * SLM allocator.  The drive hands out no SLM: the library keeps, per drive,
 * a list of free extents sorted by offset, allocates first-fit in units of
 * identify.slm_granularity (so that every allocation can be a memory range
 * set's range) and merges neighbours when a region is freed.
 */
struct cs_extent {
	__u64		off;
	__u64		len;
	struct cs_extent *next;
};

struct cs_alloc {
	__u64		size;		/* SLM bytes managed, a multiple of gran */
	__u64		gran;		/* allocation unit, a power of two or not */
	__u64		free_bytes;
	struct cs_extent *free;		/* sorted by off, never adjacent */
};

int cs_alloc_init(struct cs_alloc *a, __u64 size, __u64 gran);
void cs_alloc_destroy(struct cs_alloc *a);
/* 0 and *off, -EINVAL (len 0), -ENOSPC (no free extent big enough), -ENOMEM */
int cs_alloc_get(struct cs_alloc *a, __u64 len, __u64 *off, __u64 *alloc_len);
/* -EINVAL if [off, +len) is not wholly allocated (a double free) */
int cs_alloc_put(struct cs_alloc *a, __u64 off, __u64 len);
__u64 cs_alloc_largest(const struct cs_alloc *a);

/*
 * errno -> CS_STATUS.  An errno means different things for different
 * commands (-ENOENT: no such device node, or an empty program slot), so
 * the mapping takes what was being done.  The table is in cs_status.c and
 * in lib/README-cs.md.
 */
enum cs_op {
	CS_OP_OPEN,		/* open a drive, read sysfs */
	CS_OP_MEM,		/* MEM_READ/WRITE, range sets */
	CS_OP_STORAGE,		/* MEM_COPY from LBAs */
	CS_OP_COMPUTE,		/* EXECUTE, PROG_ACTIVATE */
	CS_OP_DOWNLOAD,		/* PROG_LOAD/UNLOAD, object files */
	CS_OP_NR,
};
CS_STATUS cs_status_from_errno(enum cs_op op, int err);

/*
 * The status the drive reported with @err, the failure of @dev's last
 * command (uringblk_last_status()), or 0: the library's own refusals and
 * a driver before ABI 1.9 have none.  Call it under the drive's lock,
 * taken by this call (cs_drive_lock()), before another command of the
 * handle replaces it.
 */
__u16 cs_drive_status(const struct uringblk_dev *dev, int err);
/*
 * @err as CS_STATUS, read from the drive's status @sc when it has one
 * (every value of enum uringblk_status has a row: cs_status_known()),
 * else from the errno.
 */
CS_STATUS cs_status_from_drive(enum cs_op op, int err, __u16 sc);
bool cs_status_known(__u16 sc);
/* cs_status_from_drive() of @dev's last command, under the drive's lock */
static inline CS_STATUS cs_status_of(const struct uringblk_dev *dev,
				     enum cs_op op, int err)
{
	return cs_status_from_drive(op, err, cs_drive_status(dev, err));
}

/*
 * A compute request marshalled: AFDM arguments become the ranges of one
 * memory range set, in argument order (the program sees them end to end);
 * value arguments become cparam[0], cparam[1], arg2 in order.
 */
#define CS_MAX_VALUE_ARGS	3
struct cs_marshal {
	__u32		pind;
	unsigned int	nr_values;
	__u64		values[CS_MAX_VALUE_ARGS];	/* cparam[0..1], arg2 */
	unsigned int	nr_ranges;
	struct uringblk_mem_range *ranges;		/* nr_ranges, malloc()ed */
	struct cs_mem	*whole;		/* the one AFDM if it is a whole region */
};

/* memory region of AFDM */
struct cs_drive;
struct cs_mem {
	__u32		magic;		/* CS_MEM_MAGIC while valid */
	struct cs_drive	*drive;
	__u64		off;		/* SLM offset */
	__u64		len;		/* bytes the user asked for */
	__u64		alloc_len;	/* bytes reserved: len rounded up to gran */
	__u32		rsid;		/* cached set over the region, 0 = none */
	struct cs_mem	*next;		/* the drive's regions */
};
#define CS_MEM_MAGIC	0x4d534321U

/*
 * cs_marshal_compute() - check a request's arguments and marshal them
 * @gran:	SLM granularity (AFDM offsets inside a region must be multiples)
 * @drive:	the drive the request's memory must be on (NULL: any; tests)
 *
 * Return: CS_SUCCESS or why not (CS_INVALID_ARG, CS_UNKNOWN_MEMORY,
 * CS_INVALID_HANDLE, CS_UNSUPPORTED, CS_OUT_OF_RESOURCES).
 */
CS_STATUS cs_marshal_compute(const CsComputeRequest *req, __u64 gran,
			     const struct cs_drive *drive, struct cs_marshal *m);
void cs_marshal_free(struct cs_marshal *m);


/*
 * One per drive a process uses through this API, shared by every CSx and
 * CSE handle of that drive (so that they share one SLM allocator).
 */
struct cs_req;
struct cs_drive {
	int		index;		/* N of uringblkN */
	int		refs;		/* CSx + CSE handles; under cs_drives_lock */
	struct cs_drive	*next;		/* cs_drives list; under cs_drives_lock */
	struct uringblk_identify id;
	/*
	 * @lock: the command handle @dev (not thread-safe itself), @alloc and
	 * @mems.  Never held while calling a user callback.
	 */
	pthread_mutex_t	lock;
	struct uringblk_dev *dev;
	struct cs_alloc	alloc;
	struct cs_mem	*mems;
	__u64		nr_allocs, nr_frees;	/* csAllocMem() / csFreeMem() calls that did */
	char		log[256];	/* the last refused download's reason */
	/* queued requests: @qlock protects the queue and the worker's state */
	pthread_mutex_t	qlock;
	pthread_cond_t	qcond;		/* a request was queued, or stop */
	struct cs_req	*qhead, *qtail;
	bool		worker_started, stop;
	pthread_t	worker;
};

/*
 * cs_drive_lock() - take @d->lock for one call of the API
 *
 * The call starts with the handle's last result forgotten
 * (uringblk__begin()), as a call of liburingblk does: a status
 * cs_status_of() finds is then the failure of a command this call sent,
 * never an earlier call's, when this one refuses on its own (an object it
 * cannot read...) with the same errno.  The SNIA layer takes a drive's
 * lock only so (tests/lib/dev_calls.sh).
 */
static inline void cs_drive_lock(struct cs_drive *d)
{
	pthread_mutex_lock(&d->lock);
	uringblk__begin(d->dev);
}

struct cs_csx {
	__u32		magic;
	struct cs_drive	*drive;
	void		*ctx;
};
#define CS_CSX_MAGIC	0x58534321U

struct cs_cse {
	__u32		magic;
	struct cs_drive	*drive;
	void		*ctx;
};
#define CS_CSE_MAGIC	0x45534321U

/* a queued request: what to run, and whom to tell */
enum cs_req_kind { CS_REQ_STORAGE, CS_REQ_COPY, CS_REQ_COMPUTE, CS_REQ_BATCH };
struct cs_req {
	enum cs_req_kind kind;
	const void	*req;		/* CsStorageRequest ... struct cs_batch */
	void		*ctx;
	csQueueCallbackFn cb;
	CS_EVT_HANDLE	evt;
	__u64		*cv;
	struct cs_req	*next;
};

/* the operations, run synchronously (by the caller, or by the worker) */
CS_STATUS cs_run(struct cs_drive *d, enum cs_req_kind kind, const void *req,
		 __u64 *cv);
/* run now, or queue for the worker: the csQueue*() calls' common tail */
CS_STATUS cs_submit(struct cs_drive *d, enum cs_req_kind kind, const void *req,
		    void *ctx, csQueueCallbackFn cb, CS_EVT_HANDLE evt,
		    __u64 *cv);
/* a completion for an event */
CS_STATUS cs_event_post(CS_EVT_HANDLE evt, CS_STATUS status, void *ctx);
bool cs_event_valid(CS_EVT_HANDLE evt);
/* handle checks: the drive, or NULL */
struct cs_drive *cs_csx_drive(CS_DEV_HANDLE h);
struct cs_drive *cs_cse_drive(CS_CSE_HANDLE h);
/* the drive a request belongs to (and CS_SUCCESS), or why none */
CS_STATUS cs_req_drive(enum cs_req_kind kind, const void *req,
		       struct cs_drive **d);

/* operation pieces (cs_ops.c) the batches reuse; all under d->lock */
CS_STATUS cs_storage_check(struct cs_drive *d, const CsStorageRequest *req,
			   __u64 *off, __u32 *per);
CS_STATUS cs_copy_check(struct cs_drive *d, const CsCopyMemRequest *req,
			__u64 *off);
CS_STATUS cs_compute_prepare(struct cs_drive *d, const CsComputeRequest *req,
			     struct uringblk_execute_args *a, bool *temp);
/* EXECUTE's outcome: @ret from the command, @res its reply */
CS_STATUS cs_compute_status(int ret, __u16 sc, const struct uringblk_exec_result *res);

/* batches (cs_batch.c) */
struct cs_batch;
CS_STATUS cs_batch_drive(const struct cs_batch *b, struct cs_drive **d);
CS_STATUS cs_run_batch(struct cs_drive *d, const struct cs_batch *b, __u64 *cv);
unsigned int cs_batch_order(const struct cs_batch *b, CS_BATCH_INDEX *out,
			    unsigned int max);

/* program helpers (cs_cmd.c); negative errnos */
/* every program, malloc()ed in *@out; the count or an errno */
int cs_prog_list(struct uringblk_dev *dev, struct uringblk_prog_info **out);
/* the program in slot @pind, or (@pind 0) of id @id; 0 or -ENOENT */
int cs_prog_in_slot(struct uringblk_dev *dev, __u32 pind, __u32 id,
		    struct uringblk_prog_info *out);
/* read the object at @path and load it into slot @pind (0: any): its id */
int cs_prog_load_slot(struct uringblk_dev *dev, const char *path, __u32 pind,
		      char *log, size_t log_len);

#endif /* LIBURINGBLK_CS_PRIVATE_H */
