/* SPDX-License-Identifier: GPL-2.0 */
/*
 * uringblk private header: the device, its configuration, the backend ops
 * table (the counters are stats.h's, the command device gate's interface
 * gate.h's).  One file per job (Documentation/dev/architecture.md
 * has each in more words; tests/docs/check-architecture.sh keeps it whole):
 *   main.c     module load and unload, device lifetime
 *   config.c   module parameters, a configuration's checks
 *   rq.c       the blk-mq queue ops: the request path (a zoned drive's
 *              requests enter zoned.c once)
 *   mem.c      the sparse in-memory backend
 *   file.c     the file backend (data in a regular file, as loop keeps it)
 *   cmd.c      the command character device and its gate (cmd.h: the
 *              gate's contract with the command sets, each in its file)
 *   cmd_admin.c the admin commands: IDENTIFY, GET_STATS
 *   nvme*.c    NVMe passthrough on the command device (nvme.h): ioctls and
 *              NVME_URING_CMD_* (nvme.c), admin (nvme_admin.c), NVM (nvme_io.c)
 *   cmd_zone.c the zone commands: REPORT_ZONES, ZONE_MGMT, ZONE_APPEND
 *   stats.c    per-CPU counters, latency histograms, their sysfs files
 *   configfs.c runtime creation/removal under /sys/kernel/config/uringblk
 *   prog.c     the program store and its slots: PROG_LOAD, PROG_UNLOAD,
 *              PROG_LIST, PROG_ACTIVATE; device-defined programs
 *   prog_image.c  PROG_LOAD F_IMAGE: instructions and global data copied in
 *   cmd_exec.c EXEC and EXECUTE, the command device's: words decoded
 *   exec.c     the model's run calls (req.h); exec_grant.c their grants
 *              and map ops; exec_run.c the run: inline in the issuing
 *              task, or on a worker (exec.h is theirs alone)
 *   engine.c   the engines behind struct uringblk_engine (engine.h)
 *   sandbox/   pure C that also builds natively: the validator, the
 *              interpreter and the helpers (prog_verify.c, prog_interp.c,
 *              prog_helpers.c, prog_scan.c, prog_records.c, prog_arith.c;
 *              prog_vm.h), and device-defined programs (prog_native.c:
 *              native C on the same env)
 *   kbpf.c     kernel-BPF programs: kfuncs, load by fd, runs (the second
 *              engine, beside the interpreter)
 *   zoned.c    the zone model, its write core and every change of a zone's
 *              condition by requests and zone management
 *              (CONFIG_BLK_DEV_ZONED); zoned.h has the state it shares
 *              with the other zoned_*.c and cmd_zone.c
 *   zoned_lba.c the zone model's calls in logical blocks, every front end's
 *   zoned_bad.c bad zones: read-only and offline zones, for fault.c
 *   zoned_state.c the zone states as records, saved and restored
 *   zoned_meta.c  zone state of a file-backed zoned drive, saved in the file
 *   zoned_sysfs.c the zone table in sysfs; which zone-only files a drive shows
 *   fault.c    fault injection (failing and delayed requests, bad zones'
 *              knobs)
 *   read_policy.c the read policy every reader of the data goes through
 *   slm.c      device memory (SLM) and memory range sets (slm.h)
 *   cmd_slm.c  MEM_READ, MEM_WRITE, MEM_COPY, RANGE_SET_CREATE/DELETE
 *   timing_cfg.c, timing.c, timing_sync.c  the timing model (timing.h):
 *              its parameters, and the deadlines of requests and commands
 *   debugfs.c  /sys/kernel/debug/uringblk/holders: what keeps the module
 *              loaded (kernel-BPF programs held by drives)
 *
 * Lock order (outermost first):
 *   uringblk_cfs_mutex (configfs.c) -> uringblk_devs_mutex (main.c)
 *   -> dev->lock -> dev->prog_lock -> backend-internal locks
 *   dev->lock -> zone mutex -> zone res_lock (zoned.c) -> backend-internal locks
 *   uringblk_fault_mutex (fault.c) -> zone mutex
 *   timing.c's tm->lock (irq-safe; its timers take it) -> hrtimer bases;
 *   nothing else is taken under it
 * Nothing waits on a client's memory under dev->lock (cmd.c, "The gate
 * holds dev->lock"): removal takes it for write.
 * Nothing on the I/O path takes a mutex: queue_rq runs in atomic context
 * (RCU, not BLK_MQ_F_BLOCKING) and touches only the backend and per-CPU
 * counters; what must sleep is handed to the device's workqueue.
 */
#ifndef URINGBLK_DRV_H
#define URINGBLK_DRV_H

#include <linux/blk-mq.h>
#include <linux/bpf.h>		/* struct bpf_insn */
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rwsem.h>
#include <linux/timekeeping.h>
#include <linux/types.h>
#include <linux/wait.h>
#include "compat.h"
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <uapi/linux/uringblk.h>

#include "ssd/ssd.h"
#include "status.h"
#include "timing.h"

#define URINGBLK_MAX_DEVS	64	/* minors reserved for command devices */
/*
 * Instruction budget of an EXEC that asks for none (about 3 s of
 * loop-heavy bytecode, or a 64 GiB scan by a bulk helper), and the most
 * it may ask for.
 */
#define URINGBLK_DEFAULT_BUDGET	(1ULL << 30)
#define URINGBLK_MAX_BUDGET	(1ULL << 36)
#define URINGBLK_PATH_MAX	1024	/* a backing file's path, NUL included */
/*
 * EXECs and EXECUTEs in flight (uAPI EXEC, -EBUSY beyond): each holds up
 * to about 2.6 MiB of kernel memory (a 1 MiB output, 65,536 extents),
 * charged to its submitter's memory cgroup.  The defaults of the module
 * parameters max_execs and max_execs_per_file, and their largest value.
 */
#define URINGBLK_DEFAULT_MAX_EXECS		256
#define URINGBLK_DEFAULT_MAX_EXECS_PER_FILE	128
#define URINGBLK_MAX_EXECS			4096

/*
 * Kernel memory a drive's commands hold for their data while they wait
 * (bounce buffers, Compare's and Copy's pages, zone, KV and SLM buffers:
 * Documentation/dev/architecture.md, "Kernel memory a command holds"),
 * KiB: the default of the module parameter max_cmd_kb and its range.
 * One command more is -EBUSY (cmd_mem.h).
 */
#define URINGBLK_DEFAULT_MAX_CMD_KB		65536
#define URINGBLK_MAX_CMD_KB			4194304

/* Controllers of nvme-core per drive (nvme_ctrl.h): 2 or more, one multipath subsystem */
#define URINGBLK_NVME_MAX_CTRLS			4

/*
 * struct uringblk_config - everything that defines one device
 *
 * Module parameters are only the defaults copied in here; the device uses
 * its own copy and never looks at the globals again.
 */
struct uringblk_config {
	u64	capacity;		/* bytes, a multiple of block_size */
	u32	block_size;		/* logical == physical block size: 512 or 4096 */
	u32	nr_hw_queues;		/* submission queues (not counting poll queues) */
	u32	nr_poll_queues;		/* extra HCTX_TYPE_POLL queues, 0 = no polling */
	u32	queue_depth;		/* tags per hardware queue */
	u32	queue_mode;		/* URINGBLK_QUEUE_* (bio.h); a device's never AUTO */
	u32	given;			/* URINGBLK_GIVEN_* (bio.h): queue parameters given */
	u32	backing;		/* URINGBLK_BACKING_* */
	u32	max_hw_sectors;		/* largest request, 512 B sectors */
	bool	zoned;			/* host-managed zoned drive (zoned.c) */
	u32	zone_size_mb;		/* zone size, MiB, a power of two */
	u32	zone_capacity_mb;	/* writable MiB of a sequential zone, 0 = zone size */
	u32	zone_nr_conv;		/* conventional zones, at the start */
	u32	zone_max_open;		/* open zones allowed, 0 = no limit */
	u32	zone_max_active;	/* open + closed zones allowed, 0 = no limit */
	bool	direct_io;		/* file: O_DIRECT when the filesystem allows it */
	bool	kv;			/* a KV drive: its media is a KV image (kv_ns.h) */
	/* controllers of Linux's NVMe driver (nvme_ctrl.c), 0..URINGBLK_NVME_MAX_CTRLS */
	u32	nvme_ctrl;
	/* MiB after the capacity: the seed dialect's KV image (kv_ns.h) */
	u32	kv_nvm_mb;
	/* bytes of SLM (slm.c), a multiple of PAGE_SIZE; 0 = none */
	u64	slm_size;
	/* EXECs + EXECUTEs in flight on the drive, 1..URINGBLK_MAX_EXECS */
	u32	max_execs;
	/* the same per open command-device file, 1..URINGBLK_MAX_EXECS */
	u32	max_execs_per_file;
	/* command data memory in flight, KiB, 1..URINGBLK_MAX_CMD_KB */
	u32	max_cmd_kb;
	struct uringblk_timing_cfg timing; /* the timing model (timing.h), all 0 = off */
	struct ssd_cfg ssd;	/* its SSD model (timing_ssd.c), channels 0 = off */
	char	path[URINGBLK_PATH_MAX]; /* file: absolute path of the backing file */
};

/* Bytes of the hidden KV region: the backend's metadata area (uringblk_backend_ops) */
static inline u64 uringblk_kv_nvm_bytes(const struct uringblk_config *cfg)
{
	return (u64)cfg->kv_nvm_mb << 20;
}

/* Why a configuration was refused; configfs keeps it as "error". */
struct uringblk_msg {
	char	text[512];
};

__printf(2, 3) void uringblk_msg(struct uringblk_msg *msg, const char *fmt, ...);

struct uringblk_dev;
struct uringblk_zoned;
struct uringblk_zmeta;
struct uringblk_slm;
struct uringblk_nvme_cset;
struct nvme_ctrl;

/* A zone's state as zoned_meta.c saves it. */
struct uringblk_zone_rec {
	u64	wp;		/* sector */
	u8	cond;		/* BLK_ZONE_COND_* */
};

struct uringblk_fault;
struct uringblk_fault_ctl;

/*
 * struct uringblk_backend_ops - how a backend stores data
 *
 * All offsets and lengths of the data operations (transfer, read, write,
 * discard, get_page) are in bytes, block aligned, inside the device
 * (rq.c checks bounds before calling).  A transfer never crosses a
 * PAGE_SIZE boundary of the device address space; rq.c splits segments.
 * The driver's own metadata (zoned_meta.c) and a kv_nvm_mb drive's KV
 * region (kv_ns.c) are kept apart from the data, through meta_read and
 * meta_write: after the data, which the data operations never reach.
 *
 * Where they run: request types in @inline_ops are first tried in
 * queue_rq, where nothing may sleep (@gfp is GFP_NOWAIT); a backend that
 * would have to sleep returns -EAGAIN and the request is retried from the
 * device's workqueue (@gfp is GFP_NOIO).  All other types always run there.
 */
struct uringblk_backend_ops {
	const char *name;
	u64 inline_ops;		/* URINGBLK_OP_BIT()s that may run in queue_rq */
	bool persistent;	/* data outlives the device: flushed at removal */
	/* May adjust dev->cfg.capacity (a file's size); says why it failed in @msg. */
	int (*init)(struct uringblk_dev *dev, struct uringblk_msg *msg);
	void (*exit)(struct uringblk_dev *dev);
	/*
	 * Optional: move a whole READ/WRITE/ZONE_APPEND request at @pos (never
	 * inline).  Without it rq.c calls read/write a page at a time.
	 */
	int (*transfer)(struct uringblk_dev *dev, struct request *rq, u64 pos,
			bool write);
	/* Copy len bytes at device offset pos into buf. */
	int (*read)(struct uringblk_dev *dev, void *buf, u64 pos, u32 len);
	/* Copy len bytes from buf to device offset pos; allocate with gfp. */
	int (*write)(struct uringblk_dev *dev, const void *buf, u64 pos, u32 len,
		     gfp_t gfp);
	/* Make [pos, pos+len) read back as zeroes, releasing space if possible. */
	int (*discard)(struct uringblk_dev *dev, u64 pos, u64 len);
	/* Make completed writes durable, metadata written by meta_write too. */
	int (*flush)(struct uringblk_dev *dev);
	/*
	 * @len bytes of the driver's metadata at byte @off of a metadata area
	 * apart from the data: uringblk_zmeta_bytes() (persistent backends'
	 * zoned drives) or uringblk_kv_nvm_bytes() bytes.  Synchronous;
	 * durable only after flush.  Process context; may sleep.
	 */
	int (*meta_read)(struct uringblk_dev *dev, void *buf, u64 off, size_t len);
	int (*meta_write)(struct uringblk_dev *dev, const void *buf, u64 off,
			  size_t len);
	/* Bytes of memory/file space currently holding data. */
	u64 (*used_bytes)(struct uringblk_dev *dev);
	/*
	 * For programs: the page holding device offset pos, with a reference
	 * the caller drops with put_page(); NULL for a hole (reads as zeroes);
	 * or an ERR_PTR.  Process context; may sleep.
	 */
	struct page *(*get_page)(struct uringblk_dev *dev, u64 pos);
	const struct uringblk_ra_ops *ra;	/* optional: programs read ahead (ra.h) */
	/*
	 * Budget units a program pays per get_page() call, in instructions'
	 * time (struct uringblk_prog_env's map_cost); 0 = the VM's default,
	 * which prices a page lookup in memory.
	 */
	u32 prog_page_cost;
};

extern const struct uringblk_backend_ops uringblk_mem_ops;
extern const struct uringblk_backend_ops uringblk_file_ops;

/**
 * struct uringblk_reader - one reader of a drive's data, for the read policy
 * @fault_start: the device bytes [@fault_start, @fault_end) whose reads
 * @fault_end:	 fail by fault injection; both 0: none.  fault.c chooses them
 *		 once per reader: a block READ in queue_rq
 *		 (uringblk_fault_rq()), any other reader when it starts
 *		 (uringblk_reader_start(): an EXEC's run)
 *
 * The read policy, uringblk_read_check(dev, reader, pos, len) in read_policy.c,
 * answers "may this reader read [pos, pos + len) of this drive now?" for
 * every reader: block READs (rq.c), EXEC data windows (exec_grant.c, each
 * window); a new kind of reader (e.g. copies into device memory) starts
 * one with uringblk_reader_start() over its range and asks before each
 * read.  It decides offline zones, injected faults, and that a read past a
 * write pointer proceeds (zeroes); a reader that wants only written data
 * (EXEC's URINGBLK_EXEC_F_ZONE_WP) has its range cut when it is granted
 * (uringblk_zone_exec_range()).
 */
struct uringblk_reader {
	u64	fault_start;
	u64	fault_end;
};

/* blk-mq's per-request driver data. */
struct uringblk_rq {
	struct work_struct	work;	/* runs the request if it may sleep */
	blk_status_t		status;	/* of a request awaiting ->poll() or its deadline */
	bool			tm_late; /* @deadline is its arrival until it has run (timing.c) */
	u32			fault_delay_us;	/* fault.c: sleep this long first */
	u64			start_ns; /* ktime_get_ns() at queue_rq, 0 = not timed */
	struct uringblk_reader	reader;	/* a READ, as a reader (cleared in queue_rq) */
	/* the timing model (timing.c), only while the drive's model is on */
	u64			deadline; /* ktime_get_ns() it may complete at */
	struct hrtimer		timer;	/* completes it at @deadline */
};

/**
 * struct uringblk_wdata - the data of one write, wherever it comes from
 * @rq:		a request's pages (the block path), or NULL
 * @buf:	else a kernel buffer (the ZONE_APPEND command)
 * @len:	bytes
 */
struct uringblk_wdata {
	struct request	*rq;
	const void	*buf;
	u32		len;
};

/* Per hardware queue state; only poll queues use it. */
struct uringblk_queue {
	spinlock_t		poll_lock;	/* protects poll_list */
	struct list_head	poll_list;	/* done, waiting for ->poll() to end them */
};

/*
 * struct uringblk_dev - one drive: block device + command device
 *
 * Lifetime: created and removed only by main.c under uringblk_devs_mutex.
 * The struct is freed when the last reference is dropped: the device list
 * holds one and cdev_dev holds one, and every open command-device file pins
 * cdev_dev (cdev_device_add() makes it the cdev's parent), so a command can
 * still reach a removed dev and answer -ENODEV.
 */
struct uringblk_dev {
	struct uringblk_config	cfg;
	const struct uringblk_backend_ops *ops;
	void			*backend;	/* owned by ops */
	int			index;		/* N in uringblkN / uringblkcN */
	/*
	 * "uringblkN", set once the index is known, for every message: it lives
	 * as long as the struct; the gendisk may be freed in the middle of removal.
	 */
	char			name[DISK_NAME_LEN];

	struct blk_mq_tag_set	tag_set;
	struct gendisk		*disk;		/* NULL once put at removal */
	struct uringblk_queue	*queues;	/* [nr_hw_queues + nr_poll_queues] */
	struct workqueue_struct	*wq;		/* requests that must sleep */
	/* its controllers (nvme_ctrl.c), or NULL */
	struct nvme_ctrl	*nvme_ctrl[URINGBLK_NVME_MAX_CTRLS];
	struct cdev		cdev;
	struct device		cdev_dev;	/* /dev/uringblkcN; its release drops a ref */
	struct uringblk_nvme_node *nvme_nodes[2];	/* NSID 2, 3's nodes (nvme_ns.c) */
	const struct uringblk_nvme_cset *nvme_cset[3];	/* NSID 1-3's, chosen once (nvme_ns.c) */
	/* Asynchronous Event Configuration (nvme_admin.c); READ_ONCE */
	u32			nvme_aec;
	u16			nvme_tler[3];	/* NSID 1-3's Error Recovery TLER (nvme_admin.c) */

	struct uringblk_pcpu_stats __percpu *stats;
	struct uringblk_pcpu_lat __percpu *lat;
	/* module param latency, sysfs latency_enable; READ_ONCE */
	bool			lat_enable;

	struct kref		ref;
	/*
	 * Removal vs commands.  Commands hold @lock for read while they use the
	 * backend and check @removing first (-ENODEV).  Removal sets @removing
	 * (WRITE_ONCE, so long-running commands can notice it and stop early),
	 * then takes @lock for write to wait for the commands already running,
	 * and only then frees the backend.  cfg and stats live until the last
	 * reference is dropped and need no lock.
	 */
	struct rw_semaphore	lock;
	bool			removing;
	/*
	 * Where a request waits for anything but the timing model's timers
	 * (fault.c's injected delay): woken once @removing is set, so that a
	 * removal ends every wait at once (uringblk_end_waits(), main.c).
	 */
	wait_queue_head_t	removal_wq;

	/*
	 * Programs (prog.c); prog_lock serialises the store's writers and
	 * protects the counters and @slots_reserved.  Runs find programs
	 * without it (RCU): by id in @progs (EXEC), by slot in @slots and
	 * @dd_slots (EXECUTE).
	 */
	struct mutex		prog_lock;
	struct xarray		progs;		/* id -> struct uringblk_prog */
	struct uringblk_prog __rcu *slots[URINGBLK_MAX_PROGS];	/* pind 1.. */
	/* bit pind - 1: a load in pieces holds the slot (uringblk_prog_reserve()) */
	DECLARE_BITMAP(slots_reserved, URINGBLK_MAX_PROGS);
	struct uringblk_prog __rcu **dd_slots;	/* pind URINGBLK_DD_PIND_BASE.. */
	u32			nr_dd_progs;	/* entries of dd_slots */
	u32			nr_progs;	/* downloaded ones */
	u32			nr_active;
	u32			next_prog_id;	/* the next downloaded id */

	u64			inline_ops;	/* URINGBLK_OP_BIT()s run in queue_rq */
	/* a bio drive of the memory backend: bio.c's plain path */
	bool			mem_bio;
	struct uringblk_zoned	*zoned;		/* zone model (zoned.c), NULL if not zoned */
	struct uringblk_zmeta	*zmeta;		/* saved zone state (zoned_meta.c), or NULL */
	/* Fault injection (fault.c): what is injected now (NULL: nothing), the knobs */
	struct uringblk_fault __rcu *fault;
	struct uringblk_fault_ctl *fault_ctl;
	struct uringblk_slm	*slm;		/* device memory (slm.c), NULL = none */
	struct uringblk_kv	*kv;		/* the KV namespace (kv_ns.c), NULL = none */
	/* the timing model's state (timing.c), NULL while the model is off */
	struct uringblk_timing	*timing;
	/* EXECs and EXECUTEs in flight (exec_run.c): at most cfg.max_execs */
	atomic_t		execs;
	/* bytes commands hold for their data (cmd_mem.h): at most cfg.max_cmd_kb KiB */
	atomic_long_t		cmd_mem;
};

/*
 * Is the timing model on for @dev?  With no modelled drive anywhere the
 * static key makes this a patched-out jump; otherwise one pointer test.
 * Does not sleep.
 */
static inline bool uringblk_timing_on(const struct uringblk_dev *dev)
{
	return static_branch_unlikely(&uringblk_timing_used) && dev->timing;
}

/* read_policy.c */
void uringblk_reader_start(struct uringblk_dev *dev, struct uringblk_reader *rd,
			   u64 pos, u64 len);
s64 uringblk_read_check(struct uringblk_dev *dev, const struct uringblk_reader *rd,
			u64 pos, u64 len);

/* main.c */
void uringblk_dev_put(struct uringblk_dev *dev);
struct uringblk_dev *uringblk_add(const struct uringblk_config *cfg,
				  struct uringblk_msg *msg);
void uringblk_remove(struct uringblk_dev *dev);
int uringblk_walk_devs(int (*fn)(struct uringblk_dev *dev, void *arg),
		       void *arg);

/* configfs.c */
int uringblk_configfs_init(void);
void uringblk_configfs_exit(void);

struct uringblk_native_prog;
struct uringblk_engine;

/**
 * struct uringblk_prog - a program in a slot (prog.c)
 * @ref:	the store holds one reference, each run in flight one more
 * @rcu:	freed after a grace period: lookups are lockless
 * @id:		its id in dev->progs, never reused while the drive exists
 * @pind:	its slot (uAPI "Program slots")
 * @engine:	what runs it (engine.h), chosen once by the path that loaded
 *		it; its type in PROG_LIST
 * @insn_cnt:	number of instructions in @insns (0 for a native program)
 * @native:	the native code of a device-defined program, else NULL
 *		(uringblk_engine_native's)
 * @bpf:	a kernel-BPF program (kbpf.c), referenced, else NULL
 *		(uringblk_engine_kbpf's, which drops it at release)
 * @runs:	EXECs and EXECUTEs started
 * @lock:	protects @stored, @active, @in_flight, @executing: a run
 *		takes it to start, so that PROG_UNLOAD and deactivation see
 *		every run that may still start
 * @stored:	in the store (false once unloaded: no new run may start)
 * @active:	activated (PROG_ACTIVATE); counted in dev->nr_active
 * @in_flight:	runs (EXEC and EXECUTE) holding it now
 * @executing:	of which EXECUTEs
 * @name:	as given at load, NUL-terminated
 * @globals:	initial global data (ABI 1.3): @rodata_len bytes of .rodata
 *		then @data_len of .data, in the same allocation after
 *		@insns; NULL without; immutable once stored (runs share the
 *		.rodata, and copy .data into their own buffer)
 * @rodata_len:	bytes of .rodata, read-only for the program
 * @data_len:	bytes of .data
 * @bss_len:	bytes of .bss (zeroed at every run)
 * @combine:	how its results combine (ABI 1.5), checked at load; all
 *		zero: not declared
 * @insns:	the instructions; immutable once stored
 */
struct uringblk_prog {
	struct kref	ref;
	struct rcu_head	rcu;
	u32		id;
	u32		pind;
	const struct uringblk_engine *engine;
	u32		insn_cnt;
	const struct uringblk_native_prog *native;
	struct bpf_prog	*bpf;
	atomic64_t	runs;
	spinlock_t	lock;
	bool		stored;
	bool		active;
	u32		in_flight;
	u32		executing;
	char		name[URINGBLK_PROG_NAME_LEN + 1];
	const u8	*globals;
	u32		rodata_len;
	u32		data_len;
	u32		bss_len;
	struct uringblk_prog_combine combine;
	struct bpf_insn	insns[];
};

/*
 * Global data limits (identify.max_globals, max_rw_globals): the whole
 * region, and its writable part, which every run copies (a run's
 * writable globals up to 1 KiB live in its cached state, exec.h).
 */
#define URINGBLK_MAX_GLOBALS	(64U << 10)
#define URINGBLK_MAX_RW_GLOBALS	(4U << 10)

/*
 * mem.c: a memory drive's media without the block layer, for the NVMe
 * face's fast Read and Write (nvme_fast.c) and the KV engine's media (kv_ns.c)
 */
bool uringblk_fast_media_ok(struct uringblk_dev *dev);
int uringblk_fast_io(struct uringblk_dev *dev, struct bio *bio, blk_opf_t opf,
		     u64 pos, u32 len, gfp_t gfp);
int uringblk_fast_flush(struct uringblk_dev *dev);

/* prog.c */
struct uringblk_prog *uringblk_prog_run_get(struct uringblk_dev *dev, u32 id);
struct uringblk_prog *uringblk_prog_execute_get(struct uringblk_dev *dev, u64 pind);
void uringblk_prog_run_put(struct uringblk_prog *prog, bool execute);
int uringblk_prog_dev_init(struct uringblk_dev *dev);
void uringblk_prog_dev_exit(struct uringblk_dev *dev);
struct seq_file;
void uringblk_prog_show_holders(struct uringblk_dev *dev, struct seq_file *m);

/* debugfs.c */
void uringblk_debugfs_init(void);
void uringblk_debugfs_exit(void);

/* prog_image.c */
struct uringblk_prog *uringblk_prog_image_alloc(const struct uringblk_prog_image *img,
						const char *name, char *msg,
						size_t msg_size);

/*
 * kbpf.c: kernel-BPF programs (URINGBLK_PROG_TYPE_KBPF).  Without
 * CONFIG_BPF_SYSCALL there is no such engine: PROG_LOAD F_BPF_FD is
 * -EOPNOTSUPP and identify.engines says so.
 */
struct uringblk_prog_state; struct uringblk_prog_env; struct uringblk_prog_result;
#ifdef CONFIG_BPF_SYSCALL
void uringblk_kbpf_init(void);
u32 uringblk_kbpf_engines(void);
struct bpf_prog *uringblk_kbpf_get(const struct uringblk_prog_kbpf *k, char *msg,
				   size_t msg_size);
void uringblk_kbpf_put(struct bpf_prog *bp);
u32 uringblk_kbpf_id(const struct bpf_prog *bp);
int uringblk_kbpf_held(void);
bool uringblk_kbpf_calls_kfuncs(const struct bpf_prog *bp);
int uringblk_kbpf_run(struct bpf_prog *bp, struct uringblk_prog_state *st,
		      const struct uringblk_prog_env *env,
		      struct uringblk_prog_result *res);
#else
static inline void uringblk_kbpf_init(void) {}
static inline u32 uringblk_kbpf_engines(void) { return 0; }
static inline struct bpf_prog *uringblk_kbpf_get(const struct uringblk_prog_kbpf *k,
						 char *msg, size_t msg_size)
{
	snprintf(msg, msg_size, "this kernel has no CONFIG_BPF_SYSCALL");
	return ERR_PTR(-EOPNOTSUPP);
}

static inline void uringblk_kbpf_put(struct bpf_prog *bp) {}
static inline u32 uringblk_kbpf_id(const struct bpf_prog *bp) { return 0; }
static inline int uringblk_kbpf_held(void) { return 0; }
static inline bool uringblk_kbpf_calls_kfuncs(const struct bpf_prog *bp)
{
	return false;
}

static inline int uringblk_kbpf_run(struct bpf_prog *bp,
				    struct uringblk_prog_state *st,
				    const struct uringblk_prog_env *env,
				    struct uringblk_prog_result *res)
{
	return -EOPNOTSUPP;
}
#endif

/* exec_run.c: the run machinery, at module init and exit */
int uringblk_exec_init(void);
void uringblk_exec_exit(void);

/* fault.c */
extern const struct attribute_group uringblk_fault_group;
int uringblk_fault_rq(struct uringblk_dev *dev, struct request *rq);
int uringblk_fault_sleep(struct uringblk_dev *dev, u32 delay_us);
int uringblk_fault_delay(struct request *rq);
void uringblk_fault_reader(struct uringblk_dev *dev, struct uringblk_reader *rd,
			   u64 pos, u64 len);
int uringblk_fault_final_flush(struct uringblk_dev *dev);
u32 uringblk_fault_power_cut(struct uringblk_dev *dev, u64 *seed);
bool uringblk_fault_cut_loses(u32 ppm, u64 seed, u64 blk);
void uringblk_fault_free(struct uringblk_dev *dev);

/* rq.c: the request path; for main.c and the zoned layer */
int uringblk_init_tag_set(struct uringblk_dev *dev);
void uringblk_end_rq(struct uringblk_dev *dev, struct request *rq,
		     blk_status_t sts);
int uringblk_process_rq(struct uringblk_dev *dev, struct request *rq, gfp_t gfp);
int uringblk_store(struct uringblk_dev *dev, const struct uringblk_wdata *d,
		   u64 pos, gfp_t gfp);

/* cmd.c: the command device (cmd.h has the gate's interface) */
int uringblk_cmd_init(void);
void uringblk_cmd_exit(void);
int uringblk_cmd_add(struct uringblk_dev *dev);
void uringblk_cmd_del(struct uringblk_dev *dev);

#include "zoned_hooks.h"	/* the zoned layer (zoned.c and its files) */

#endif /* URINGBLK_DRV_H */
