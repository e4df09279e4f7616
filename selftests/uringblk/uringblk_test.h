/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the uringblk kselftests (prefix ubt_, "uringblk test").
 *
 * Module control: each test says which module parameters it needs and calls
 * ubt_module_reload() (always a fresh device: nothing written yet; a
 * backing file named by path= is removed first) or
 * ubt_module_ensure() (reuse the loaded module when it was loaded by these
 * helpers with the same parameter string).  Loading needs the module file in
 * $URINGBLK_KO; without it a test can only use an already loaded module.
 *
 * Helpers return 0 or a negative errno and never abort, so that tests decide
 * what is a failure and what is a skip.
 */
#ifndef URINGBLK_TEST_H
#define URINGBLK_TEST_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <liburing.h>
#include <linux/uringblk.h>

#define UBT_SECTOR	512ULL
#define UBT_KIB		1024ULL
#define UBT_MIB		(1024ULL * 1024)
#define UBT_GIB		(1024ULL * 1024 * 1024)

/* Exit status the harness reports as SKIP. */
#define UBT_SKIP_EXIT	255

/*
 * SKIP from FIXTURE_SETUP: the 6.1 harness runs the test body after a SKIP
 * in setup, so end the forked test process here (status 255 = skip; the
 * reason already sits in the shared result page).
 */
#define UBT_SETUP_SKIP(fmt, ...) do { \
	SKIP(, fmt, ##__VA_ARGS__); \
	fflush(NULL); \
	_exit(UBT_SKIP_EXIT); \
} while (0)

/*
 * A fixture setup's first step: load the module with @params through
 * @load, ubt_module_reload (a fresh device) or ubt_module_ensure (reuse
 * one these helpers loaded with the same parameters).  Without
 * $URINGBLK_KO the test is a SKIP; any other error fails it.
 */
#define UBT_SETUP_MODULE(load, params) do { \
	const char *_ubt_params = (params); \
	int _ubt_ret = load(_ubt_params); \
	\
	if (_ubt_ret == -ENOENT) \
		UBT_SETUP_SKIP("URINGBLK_KO not set: cannot load the module"); \
	ASSERT_EQ(0, _ubt_ret) TH_LOG("loading the module with '%s': %s", \
				      _ubt_params, strerror(-_ubt_ret)); \
} while (0)

/* --- module control --------------------------------------------------- */

/* Path from $URINGBLK_KO, or NULL. */
const char *ubt_ko_path(void);
bool ubt_module_loaded(void);
/* delete_module(2), non-blocking; -EWOULDBLOCK while in use. */
int ubt_module_unload(void);
/* finit_module(2) of $URINGBLK_KO with params; -ENOENT without it. */
int ubt_module_load(const char *params);
/* Unload if loaded, load with params, wait for /dev/uringblk{,c}0. */
int ubt_module_reload(const char *params);
/* Reuse the loaded module if these helpers loaded it with params. */
int ubt_module_ensure(const char *params);
/* Wait up to timeout_ms for a path to exist. */
int ubt_wait_path(const char *path, int timeout_ms);

/* --- sysfs ------------------------------------------------------------- */

int ubt_read_u64(const char *path, uint64_t *val);
int ubt_read_str(const char *path, char *buf, size_t len);
int ubt_write_str(const char *path, const char *val);
/* cgroup v2, mounted at UBT_CG_ROOT if it is not */
#define UBT_CG_ROOT	"/sys/fs/cgroup"
/*
 * The memory controller on and the cgroup @cg (a path under UBT_CG_ROOT)
 * made, its memory.max reset: NULL, or why not (the test's SKIP reason).
 */
const char *ubt_memcg_ready(const char *cg);
/*
 * What memory.current may fall short of the memory charged since an
 * earlier read: each CPU keeps a stock of up to MEMCG_CHARGE_BATCH (64)
 * pages charged ahead (mm/memcontrol.c), which the earlier read counted
 * and later charges use without raising memory.current.  Seen on the
 * debug kernel: 112 KiB short of 16 MiB charged.
 */
static inline uint64_t ubt_memcg_stock_slack(void)
{
	return 64ULL * sysconf(_SC_PAGESIZE) * sysconf(_SC_NPROCESSORS_CONF);
}
/* /sys/block/uringblk<idx>/<rel> */
int ubt_blk_attr_u64(int idx, const char *rel, uint64_t *val);
/*
 * Does the block layer plug zone writes (Linux 6.10's zone write
 * plugging) for /dev/uringblk<idx>, a blk-mq drive?  1 or 0.
 */
int ubt_zone_write_plugging(int idx);
/* Every counter from /sys/block/uringblk<idx>/uringblk/<field>. */
int ubt_sysfs_stats(int idx, struct uringblk_stats *st);
/* Write 1 to /sys/block/uringblk<idx>/uringblk/reset_stats. */
int ubt_sysfs_reset_stats(int idx);
/* MemAvailable from /proc/meminfo, bytes. */
uint64_t ubt_mem_available(void);

/* --- devices ----------------------------------------------------------- */

/* open(2) of /dev/uringblk<idx> / /dev/uringblkc<idx>; fd or -errno. */
int ubt_open_blk(int idx, int flags);
int ubt_open_cdev(int idx, int flags);
/* Was $URINGBLK_KO built with the NVMe controller (it needs nvme-core)? */
bool ubt_ko_has_ctrl(void);
/*
 * The controller of drive @idx (nvme_ctrl=1): its name (nvme0...) from
 * /sys/class/nvme/<name>/address "traddr=uringblk<idx>"; 0 or -ENOENT.
 */
int ubt_nvme_ctrl(int idx, char *name, size_t len);
/*
 * H of a namespace's block device name nvmeSnH (S the subsystem's
 * instance, H the namespace head's, neither the controller's nor the NSID
 * for sure), or -1 for any other name (a multipath path's nvmeScCnH, ...).
 */
int ubt_nvme_head(const char *name);
/*
 * One look in sysfs for namespace @nsid of controller @ctrl (nvme0...):
 * its generic node /dev/ngCnH (C the controller's instance, H the head's)
 * into @ng and, if @blk, its block device /dev/nvmeSnH; 0 or -ENOENT.
 */
int ubt_nvme_find(const char *ctrl, uint32_t nsid, char *ng, size_t ng_len,
		  char *blk, size_t blk_len);
/*
 * The generic node of namespace @nsid of drive @idx's controller,
 * waiting up to 5 s for nvme-core's scan; 0 or -ENOENT.
 */
int ubt_nvme_ng(int idx, uint32_t nsid, char *path, size_t len);

/* --- commands ----------------------------------------------------------- */

/* A command template: abi_major set, every other field zero. */
void ubt_cmd_init(struct uringblk_cmd *cmd, void *addr, uint32_t len);
/* Ring with SQE128 | CQE32 (plus extra flags); 0 or -errno. */
int ubt_ring_init(struct io_uring *ring, unsigned int extra_flags);
/*
 * Submit one URING_CMD with a full 80-byte payload (only the first 16 bytes
 * if the ring lacks SQE128) and wait for its completion.  Returns cqe->res;
 * *res2 gets big_cqe[0] when the ring has CQE32 and res2 is non-NULL.
 */
int ubt_uring_cmd(struct io_uring *ring, int fd, uint32_t cmd_op,
		  const struct uringblk_cmd *cmd, uint64_t *res2);
/* The same with IOSQE_* flags on the SQE (e.g. IOSQE_ASYNC). */
int ubt_uring_cmd_flags(struct io_uring *ring, int fd, uint32_t cmd_op,
			const struct uringblk_cmd *cmd, uint64_t *res2,
			uint8_t sqe_flags);
/* IDENTIFY / GET_STATS into a full-size struct; returns cqe->res. */
int ubt_identify(struct io_uring *ring, int fd, struct uringblk_identify *id);
int ubt_get_stats(struct io_uring *ring, int fd, struct uringblk_stats *st,
		  uint32_t flags);

/* --- data -------------------------------------------------------------- */

/*
 * A pattern that depends on the absolute device byte offset and a seed, so
 * a block read back at the wrong place or a stale block is detected.
 */
void ubt_fill(void *buf, size_t len, uint64_t dev_off, uint32_t seed);
/* Offset in buf of the first byte that differs, or -1 if none. */
ssize_t ubt_check(const void *buf, size_t len, uint64_t dev_off, uint32_t seed);
/* Offset of the first non-zero byte, or -1. */
ssize_t ubt_check_zero(const void *buf, size_t len);
/* Page-aligned buffer (suitable for O_DIRECT), NULL on failure. */
void *ubt_alloc(size_t len);

/* pwrite/pread that loop over short transfers; len or -errno. */
ssize_t ubt_pwrite_full(int fd, const void *buf, size_t len, uint64_t off);
ssize_t ubt_pread_full(int fd, void *buf, size_t len, uint64_t off);

/*
 * Named fields of struct uringblk_stats, in order (then rsvd[]); each has a
 * file of the same name in /sys/block/uringblkN/uringblk/.  Only in_flight
 * and backing_bytes are gauges.
 */
#define UBT_NR_STATS	40
#define UBT_STAT_IN_FLIGHT	11
#define UBT_STAT_BACKING_BYTES	13
/* Name of a stats field by index (the order of struct uringblk_stats). */
extern const char *const ubt_stats_names[UBT_NR_STATS];
uint64_t ubt_stats_field(const struct uringblk_stats *st, int i);

#endif /* URINGBLK_TEST_H */
