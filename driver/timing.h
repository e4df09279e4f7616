/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The timing model (uAPI "The timing model"): a drive's host link, media
 * and compute units, and the deadlines they give each operation.
 *   timing_cfg.c  the parameters: presets, parsing, checks, IDENTIFY, sysfs
 *   timing.c      the model at run time: shared transfer resources,
 *                 request and command deadlines on timers, compute units,
 *                 and the drain at removal
 *   timing_sync.c the same waited for in the caller's task (NVMe's ioctls)
 *   timing_int.h  the model's state, theirs alone
 * rq.c, cmd.c, cmd_slm.c, nvme_slm.c, nvme_zns.c, cmd_zone.c and exec_run.c enter it
 * only where an operation starts and where it would complete, and only
 * while the drive's model is on (dev->timing != NULL): with the model off
 * the request path pays one static-key branch (uringblk_timing_active()).
 */
#ifndef _URINGBLK_TIMING_H
#define _URINGBLK_TIMING_H

#include <linux/hrtimer.h>
#include <linux/jump_label.h>
#include <linux/list.h>
#include <linux/blk_types.h>
#include <linux/types.h>

struct device_attribute;
struct completion;
struct uringblk_dev;
struct uringblk_msg;
struct uringblk_identify;
struct uringblk_timing;
struct request;

/*
 * Limits of the parameters (checked at every store and at power-on).  A
 * latency bounds how long one operation waits beyond its real work; the
 * bandwidths bound how long a full queue of the largest requests waits
 * (128 x 512 KiB at 1 MB/s is about a minute: blk-mq's timeout handler
 * resets the timer of a request the model holds, and a removal completes
 * them all at once).
 */
#define URINGBLK_TIMING_MAX_MBPS	1000000U	/* 1 TB/s */
#define URINGBLK_TIMING_MAX_LAT_NS	100000000U	/* 100 ms */
#define URINGBLK_TIMING_MAX_CU		64U
#define URINGBLK_TIMING_MAX_FACTOR_PCT	100000U		/* 1000x slower than the host */
#define URINGBLK_TIMING_MAX_ADVANCE_NS	1000000U	/* 1 ms */

/**
 * struct uringblk_timing_cfg - the model's parameters (all 0: off)
 * @link_mbps:		host link bandwidth per direction, MB/s (10^6 B/s)
 * @link_lat_ns:	host link latency, once per command
 * @media_read_mbps:	media read bandwidth, MB/s
 * @media_write_mbps:	media write bandwidth, MB/s
 * @media_read_lat_ns:	per media read (a block READ, a MEM_COPY, an EXEC)
 * @media_write_lat_ns:	per media write
 * @fw_overhead_ns:	firmware overhead, once per command
 * @compute_units:	runs at once; 0 = compute not modelled
 * @compute_factor_pct:	modelled run time = measured x this / 100 (100 = the
 *			host's speed; only with compute_units)
 * @timer_advance_ns:	the most a held block request's timer is armed
 *			before its deadline, to make up for the host's timers
 *			firing late (uAPI "Timers"); 0: never before it
 *
 * A zero bandwidth or latency is not modelled: it costs nothing.  The
 * model is on when any parameter but compute_factor_pct and
 * timer_advance_ns is set.
 */
struct uringblk_timing_cfg {
	u32	link_mbps;
	u32	link_lat_ns;
	u32	media_read_mbps;
	u32	media_write_mbps;
	u32	media_read_lat_ns;
	u32	media_write_lat_ns;
	u32	fw_overhead_ns;
	u32	compute_units;
	u32	compute_factor_pct;
	u32	timer_advance_ns;
};

#define URINGBLK_TIMING_FACTOR_DEFAULT	100	/* the host's speed */

/**
 * struct uringblk_tdefer - an operation waiting for its deadline (timing.c)
 * @timer:	fires at @cu_end while a compute unit is held, then at @deadline
 * @node:	in the model's pending list (armed) or compute-unit queue
 * @dev:	the drive (a reference is held while it waits)
 * @arrive:	when the command arrived (ktime_get_ns())
 * @granted:	when it got its compute unit
 * @cu_end:	the modelled end of its run: the unit is released then
 * @deadline:	the modelled completion
 * @cu_held:	it holds a compute unit
 * @task:	its submitter (a reference), or NULL: when its process is
 *		killed or exits, the wait ends at once (an exiting process
 *		waits for its io_uring commands)
 * @start:	a compute unit is granted to this waiting run: start it (any
 *		context: queue work)
 * @fire:	the deadline came: complete the command (any context)
 * @media:	with an SSD model, the end of the run's media reads started
 *		at @t (uringblk_timing_ssd_read() over what it read); NULL:
 *		its media bytes read at the media bandwidth
 *
 * Embedded in the EXEC's run state (exec.h) and in a timed command
 * completion (timing.c).
 */
struct uringblk_tdefer {
	struct hrtimer		timer;
	struct list_head	node;
	struct uringblk_dev	*dev;
	u64			arrive;
	u64			granted;
	u64			cu_end;
	u64			deadline;
	bool			cu_held;
	struct task_struct	*task;
	void			(*start)(struct uringblk_tdefer *d);
	void			(*fire)(struct uringblk_tdefer *d);
	u64			(*media)(struct uringblk_tdefer *d, u64 t);
};

/* timing_cfg.c */
void uringblk_timing_default(struct uringblk_timing_cfg *cfg);
int uringblk_timing_parse(const char *text, struct uringblk_timing_cfg *cfg,
			  struct uringblk_msg *msg);
int uringblk_timing_set(struct uringblk_timing_cfg *cfg, const char *key,
			u64 val, struct uringblk_msg *msg);
u32 uringblk_timing_get(const struct uringblk_timing_cfg *cfg, const char *key);
int uringblk_timing_validate(const struct uringblk_timing_cfg *cfg,
			     struct uringblk_msg *msg);
bool uringblk_timing_cfg_on(const struct uringblk_timing_cfg *cfg);
int uringblk_timing_show(const struct uringblk_timing_cfg *cfg, char *buf,
			 size_t len);
void uringblk_timing_identify(struct uringblk_dev *dev,
			      struct uringblk_identify *id);
extern const char *const uringblk_timing_keys[];
extern struct device_attribute uringblk_timing_attr;

/* timing_ssd.c: the SSD model (driver/ssd/) as the drive's link and media */
struct ssd_cfg;
struct uringblk_config;
int uringblk_ssd_parse(const char *text, struct ssd_cfg *cfg,
		       struct uringblk_msg *msg);
int uringblk_ssd_validate(const struct uringblk_config *cfg,
			  struct uringblk_msg *msg);
int uringblk_ssd_dev_init(struct uringblk_dev *dev, struct uringblk_msg *msg);
extern struct device_attribute uringblk_ssd_attr;
extern struct device_attribute uringblk_ssd_stats_attr;

/*
 * The SSD model's counters in struct uringblk_stats (ABI 1.12), each
 * ssd_<name> there and in sysfs: <name> is struct ssd_counters' field,
 * then the die busy times, which uringblk_ssd_stats() sums.
 */
#define URINGBLK_SSD_COUNTERS(X)	\
	X(host_pages_written)		\
	X(host_pages_read)		\
	X(internal_pages_read)		\
	X(host_pages_trimmed)		\
	X(buffer_read_hits)		\
	X(nand_pages_written)		\
	X(nand_pages_padded)		\
	X(nand_reads)			\
	X(nand_programs)		\
	X(gc_runs)			\
	X(gc_forced_runs)		\
	X(gc_pages_moved)		\
	X(erases)			\
	X(ctrl_busy_ns)			\
	X(ctrl_compute_ns)
#define URINGBLK_SSD_STATS(X)		\
	URINGBLK_SSD_COUNTERS(X)	\
	X(die_busy_ns_sum)		\
	X(die_busy_ns_max)

struct uringblk_stats;
void uringblk_ssd_stats(struct uringblk_dev *dev, struct uringblk_stats *out);

/* timing.c */
DECLARE_STATIC_KEY_FALSE(uringblk_timing_used);

bool uringblk_timing_cfg_timed(const struct uringblk_config *cfg);
u64 uringblk_timing_ssd_read(struct uringblk_dev *dev, u64 pos, u64 bytes, u64 t);

/**
 * struct uringblk_ssd_wear - an SSD model's wear, for the NVMe logs
 * @nand_bytes_written:	bytes programmed to NAND with data (host and GC)
 * @endurance_gb:	NVMe Endurance Estimate (ssd_endurance_gb())
 * @percent_used:	NVMe Percentage Used (ssd_percent_used())
 */
struct uringblk_ssd_wear {
	u64	nand_bytes_written;
	u64	endurance_gb;
	u8	percent_used;
};

bool uringblk_ssd_wear(struct uringblk_dev *dev, struct uringblk_ssd_wear *w);

int uringblk_timing_dev_init(struct uringblk_dev *dev);
void uringblk_timing_dev_exit(struct uringblk_dev *dev);
void uringblk_timing_free(struct uringblk_dev *dev);
void uringblk_timing_drain(struct uringblk_dev *dev);

void uringblk_timing_rq_init(struct request *rq);
void uringblk_timing_rq_exit(struct request *rq);
void uringblk_timing_rq_start(struct uringblk_dev *dev, struct request *rq);
bool uringblk_timing_rq_hold(struct uringblk_dev *dev, struct request *rq,
			     blk_status_t *sts, bool poll);
bool uringblk_timing_rq_due(struct uringblk_dev *dev, struct request *rq,
			    u64 now);

u64 uringblk_timing_link_deadline(struct uringblk_dev *dev, u64 t0, u64 bytes,
				  bool to_host);
struct uringblk_copy_range;
u64 uringblk_timing_media_read_deadline(struct uringblk_dev *dev, u64 t0, u64 bytes,
					const struct uringblk_copy_range *r, u32 nr);
u64 uringblk_timing_io_deadline(struct uringblk_dev *dev, u64 t0, enum req_op op,
				u64 pos, u64 bytes);
struct uringblk_req;
bool uringblk_timing_req_defer(struct uringblk_dev *dev, const struct uringblk_req *req,
			       u64 t0, u64 deadline, int status, u64 result, u8 lat_op);

void uringblk_timing_run_init(struct uringblk_dev *dev, struct uringblk_tdefer *d);
bool uringblk_timing_cu_get(struct uringblk_dev *dev, struct uringblk_tdefer *d);
bool uringblk_timing_cu_wait(struct uringblk_dev *dev, struct uringblk_tdefer *d);
bool uringblk_timing_run_end(struct uringblk_dev *dev, struct uringblk_tdefer *d,
			     u64 run_ns, u64 media_bytes, u64 reply_bytes);

/* timing_sync.c: the same, waited for in the caller's task */
int uringblk_timing_wait(struct uringblk_dev *dev, u64 deadline);
int uringblk_timing_cu_wait_sync(struct uringblk_dev *dev, struct uringblk_tdefer *d,
				 struct completion *done);
void uringblk_timing_cu_put_sync(struct uringblk_dev *dev, struct uringblk_tdefer *d);
void uringblk_timing_end_sync(struct uringblk_dev *dev, struct uringblk_tdefer *d,
			      struct completion *done, u64 run_ns, u64 reply_bytes);

#endif /* _URINGBLK_TIMING_H */
