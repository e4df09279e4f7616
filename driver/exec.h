/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The run state of an EXEC or EXECUTE, shared by the four files that
 * make one: exec.c (the model's calls: checks, inputs), exec_grant.c (the
 * grant and the map ops that feed a run device data), exec_cache.c (the
 * run state cache, admission) and exec_run.c (inline or worker, engine
 * calls, reply).
 * Nothing outside those files includes it.
 */
#ifndef URINGBLK_EXEC_H
#define URINGBLK_EXEC_H

#include <linux/completion.h>
#include <linux/mm_types.h>
#include <linux/workqueue.h>

#include "sandbox/prog_vm.h"
#include "req.h"
#include "timing.h"
#include "uringblk.h"

struct uringblk_rset;

/* Output bytes a cached run state carries; larger outputs are allocated. */
#define EXEC_OUT_CACHED		4096
/*
 * Writable global data (.data + .bss) a cached run state carries; larger
 * (up to URINGBLK_MAX_RW_GLOBALS) is allocated per run, as a big output.
 */
#define EXEC_GLOBALS_CACHED	1024
/* Run states kept per CPU. */
#define EXEC_CACHE_SLOTS	4
/*
 * Extents a run state carries: a short list (a file of a few extents)
 * costs no allocation; longer ones (up to URINGBLK_MAX_EXEC_EXTENTS) are
 * allocated per run, as a big output.
 */
#define EXEC_EXT_CACHED		16

/*
 * One piece of an EXEC's grant: the stream bytes [end of the piece
 * before, @end) are the device bytes from @pos, or zeroes.  A plain
 * EXEC's range is one piece; F_EXTENTS makes one of each struct
 * uringblk_extent, converted in place (they are the same size).
 */
struct exec_extent {
	u64	pos;	/* device byte offset of the first byte; 0 if @zero */
	u64	end;	/* stream offset past the last byte: the lengths summed */
	u32	zero;	/* reads as zeroes (URINGBLK_EXTENT_F_ZERO) */
	u32	rsvd;
};

static_assert(sizeof(struct exec_extent) == sizeof(struct uringblk_extent));

/**
 * struct uringblk_exec - one EXEC in flight, and its cached memory
 * @st:		the run's memory (stack, frames, saved registers...)
 * @work:	resumes the run (or only writes its reply) on uringblk_exec_wq
 * @req:	the request (req.h): the front end's completion, reply buffer
 *		and way back to the submitter's task, copied from the model
 *		call's (the ops get this copy: exec_done() is their callback)
 * @dev:	the device; referenced only once handed to the worker
 * @prog:	program reference, and a run of it in flight (prog.c)
 * @rs:		EXECUTE: the memory range set (a reference and a user), else NULL
 * @task:	the submitter (maybe an io-wq worker), referenced at handoff:
 *		its process's end stops the run; NULL for the kernel's
 *		requests (req.h, ->kernel)
 * @mm:		its address space, where the reply goes (mmgrab()ed at handoff)
 * @ext:	EXEC: the grant's pieces, @nr_ext of them, stream ends
 *		increasing (@ext_inline or @ext_big); EXECUTE: none
 * @ext_big:	the pieces when more than @ext_inline holds, else NULL
 * @nr_ext:	pieces of @ext (0 for EXECUTE)
 * @ext_cur:	the piece the last map call found: scans go forward
 * @rd_pos:	the device bytes [@rd_pos, + @rd_len) the grant reads from
 * @rd_len:	(the pieces' hull), for the read policy's reader
 * @env:	the run's inputs
 * @res:	the run's outcome, once it ended
 * @page:	page behind the current data window, or NULL
 * @ra:		the backend's readahead for this run (ops->ra->start()), or
 *		NULL; stopped whenever the run stops running (exec_run())
 * @ra_next:	stream offset just past the last window: a map there
 *		continues a forward scan (U64_MAX before the first map)
 * @reader:	the run as a reader of the drive, for the read policy
 *		(its injected fault is chosen when the run starts)
 * @out_big:	the output buffer when larger than @out, else NULL
 * @globals_big: the writable globals when larger than @globals, else NULL
 * @ret:	the run's status once the reply is written: 0 (r0 is
 *		@res.ret), or -errno or a status (req.h, ->complete())
 * @start_ns:	uringblk_lat_start() at issue
 * @ran:	the program started (counted in prog_runs)
 * @yielded:	the run yielded and has not ended: the worker resumes it
 * @ok:		it ran to its end and the reply was written (latency recorded)
 * @timed:	the timing model is on: @td and @run_ns are used
 * @held:	handed off or parked: @dev (and @task, @mm) are referenced
 * @td:		the run in the timing model: its compute unit and deadline
 * @sync_done:	a run waited for in the caller's task
 *		(uringblk_exec_run_sync()): its unit came, or its deadline
 * @run_ns:	how long the run ran (summed over inline slice and worker)
 * @off_cpu_ns:	of which it waited at reschedule points for other tasks
 * @out:	the cached output buffer
 * @globals:	the cached writable globals (the VM resets them every run)
 * @ext_inline:	the cached pieces
 */
struct uringblk_exec {
	struct uringblk_prog_state	st;
	struct work_struct		work;
	struct uringblk_req		req;
	struct uringblk_dev		*dev;
	struct uringblk_prog		*prog;
	struct uringblk_rset		*rs;
	struct task_struct		*task;
	struct mm_struct		*mm;
	struct exec_extent		*ext;
	struct exec_extent		*ext_big;
	u32				nr_ext;
	u32				ext_cur;
	u64				rd_pos;
	u64				rd_len;
	struct uringblk_prog_env	env;
	struct uringblk_prog_result	res;
	struct page			*page;
	void				*ra;
	u64				ra_next;
	struct uringblk_reader		reader;
	void				*out_big;
	void				*globals_big;
	int				ret;
	u64				start_ns;
	bool				ran;
	bool				yielded;
	bool				ok;
	bool				timed;
	bool				held;
	struct uringblk_tdefer		td;
	struct completion		sync_done;
	u64				run_ns;
	u64				off_cpu_ns;
	u8				out[EXEC_OUT_CACHED] __aligned(8);
	u8				globals[EXEC_GLOBALS_CACHED] __aligned(8);
	struct exec_extent		ext_inline[EXEC_EXT_CACHED];
};

/*
 * A run's memory is its submitter's: charged to its memory cgroup, and
 * over the cgroup's limit the EXEC fails with -ENOMEM rather than waking
 * the OOM killer (__GFP_RETRY_MAYFAIL).  A cached run state stays charged
 * to the cgroup that first allocated it (at most EXEC_CACHE_SLOTS a CPU).
 */
#define EXEC_GFP		(GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN)
#define EXEC_GFP_NOWAIT		(GFP_NOWAIT | __GFP_ACCOUNT | __GFP_NOWARN)

/* exec_grant.c: the grant, and the map ops over it */
void uringblk_exec_grant_range(struct uringblk_exec *ex, u64 pos, u64 len);
int uringblk_exec_grant_extents(struct uringblk_exec *ex, const struct uringblk_dev *dev,
				u64 ext_addr, u32 nr, bool nowait, u64 *data_len);
long uringblk_exec_map(void *priv, u64 off, u64 len, const void **win);
long uringblk_exec_map_nowait(void *priv, u64 off, u64 len, const void **win);
long uringblk_execute_map(void *priv, u64 off, u64 len, const void **win);
void uringblk_exec_unmap(void *priv, const void *win);
void uringblk_exec_ra_stop(struct uringblk_exec *ex);
u64 uringblk_exec_media_bytes(const struct uringblk_exec *ex);
u64 uringblk_exec_media_end(struct uringblk_tdefer *d, u64 t);

/* exec_cache.c: admission and the run state cache */
int uringblk_exec_admit(struct uringblk_dev *dev, atomic_t *file_execs);
void uringblk_exec_unadmit(struct uringblk_dev *dev, atomic_t *file_execs);
struct uringblk_exec *uringblk_exec_alloc(bool nowait);
void uringblk_exec_free(struct uringblk_exec *ex);
void uringblk_exec_cache_drain(void);

/* exec_run.c: the run */
u32 uringblk_exec_slice(void);
struct uringblk_exec *uringblk_exec_prepare(struct uringblk_dev *dev,
					    const struct uringblk_req *req,
					    struct uringblk_prog *prog,
					    struct uringblk_rset *rs, bool nowait,
					    u32 *out_len);
void uringblk_exec_setup(struct uringblk_exec *ex, struct uringblk_dev *dev,
			 const struct uringblk_req *req, u64 start_ns);
int uringblk_exec_start(struct uringblk_exec *ex, u32 slice, struct uringblk_issue is);
int uringblk_exec_run_sync(struct uringblk_exec *ex);
void uringblk_exec_release(struct uringblk_exec *ex);

#endif /* URINGBLK_EXEC_H */
