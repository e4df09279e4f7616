// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the uringblk kselftests; see uringblk_test.h.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "uringblk_test.h"

/* Records the parameter string of the module these helpers loaded. */
#define UBT_MARKER	"/tmp/uringblk-selftest.params"

const char *const ubt_stats_names[UBT_NR_STATS] = {
	"read_ops", "read_bytes", "write_ops", "write_bytes", "flush_ops",
	"discard_ops", "discard_bytes", "write_zeroes_ops",
	"write_zeroes_bytes", "fua_ops", "errors", "in_flight",
	"bytes_to_host", "backing_bytes",
	"prog_loads", "prog_runs", "prog_aborts_budget", "prog_aborts_bounds",
	"prog_aborts_fault", "prog_insns", "prog_bytes_scanned",
	"prog_bytes_to_host",
	"zone_resets", "zone_opens", "zone_closes", "zone_finishes",
	"zone_appends", "zone_append_bytes", "faults_injected",
	"delays_injected", "prog_runs_inline", "prog_runs_worker",
	"executes", "mem_reads", "mem_writes", "mem_copies",
	"slm_bytes_to_host", "slm_bytes_from_host", "slm_bytes_from_media",
	"slm_bytes",
};

/*
 * The list above must name every field before the timing model's (ABI
 * 1.8 put two of those where rsvd[] was): a new uAPI counter there has to
 * be added to it (and gets its sysfs checks for free).
 */
_Static_assert(offsetof(struct uringblk_stats, timing_timer_late_ns) ==
	       UBT_NR_STATS * sizeof(__u64),
	       "ubt_stats_names[] does not match struct uringblk_stats");

uint64_t ubt_stats_field(const struct uringblk_stats *st, int i)
{
	/* The named fields are the first __u64s of the struct, in order. */
	return ((const __u64 *)st)[i];
}

const char *ubt_ko_path(void)
{
	const char *p = getenv("URINGBLK_KO");

	return p && *p ? p : NULL;
}

bool ubt_module_loaded(void)
{
	return access("/sys/module/uringblk", F_OK) == 0;
}

int ubt_module_unload(void)
{
	char refcnt[32];
	int i, ret;

	if (!ubt_module_loaded())
		return 0;
	/*
	 * A file closed by an exiting child may still hold a module reference
	 * for a moment (the final fput runs from task work), and a kernel-BPF
	 * program that called the drive's kfuncs holds one until the kernel
	 * frees it, after an RCU-tasks-trace grace period and a work item
	 * (seconds in a loaded TCG guest); so retry for up to 10 s before
	 * reporting the module busy.
	 */
	for (i = 0; i < 500; i++) {
		if (syscall(SYS_delete_module, "uringblk", O_NONBLOCK) == 0) {
			unlink(UBT_MARKER);
			return 0;
		}
		if (errno != EWOULDBLOCK && errno != EBUSY)
			return -errno;
		usleep(20000);
	}
	ret = -errno;
	/* what a CI log needs to tell a slow release from a leak */
	if (ubt_read_str("/sys/module/uringblk/refcnt", refcnt, sizeof(refcnt)))
		strcpy(refcnt, "?");
	fprintf(stderr, "# uringblk still in use after 10 s (refcnt %s): a test left a program, a file or a request behind\n",
		refcnt);
	return ret;
}

int ubt_wait_path(const char *path, int timeout_ms)
{
	int waited;

	for (waited = 0; waited <= timeout_ms; waited += 10) {
		if (access(path, F_OK) == 0)
			return 0;
		usleep(10000);
	}
	return -ETIMEDOUT;
}

/*
 * URINGBLK_TEST_EXTRA_PARAMS is appended to every load's parameters: the
 * same tests on another kind of drive (bio_mode.sh runs io_data with
 * queue_mode=bio).
 */
int ubt_module_load(const char *params)
{
	const char *ko = ubt_ko_path();
	const char *extra = getenv("URINGBLK_TEST_EXTRA_PARAMS");
	const char *given = params;	/* the marker: what ensure() compares */
	char all[1024];
	int fd, ret;
	FILE *f;

	if (!ko)
		return -ENOENT;
	if (extra && *extra) {
		snprintf(all, sizeof(all), "%s %s", params ? params : "", extra);
		params = all;
	}
	/*
	 * The NVMe controller's dependency, which finit_module() does not load
	 * (lib.sh's insmod); a kernel without it has a module without the
	 * controller, so a failure here is not the test's.
	 */
	if (access("/sys/module/nvme_core", F_OK) && system("modprobe -q nvme-core 2>/dev/null")) {
	}
	fd = open(ko, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params ? params : "", 0);
	ret = ret ? -errno : 0;
	close(fd);
	if (ret)
		return ret;
	f = fopen(UBT_MARKER, "w");
	if (f) {
		fputs(given ? given : "", f);
		fclose(f);
	}
	return 0;
}

/*
 * A fresh device is a fresh file too: remove the file a "path=" parameter
 * names (backing=file), so that tests written for memory hold for files.
 */
static void ubt_remove_backing_file(const char *params)
{
	const char *p = params ? strstr(params, "path=") : NULL;
	char path[256];
	size_t n;

	if (!p)
		return;
	p += 5;
	n = strcspn(p, " ");
	if (n >= sizeof(path))
		return;
	memcpy(path, p, n);
	path[n] = '\0';
	unlink(path);
}

int ubt_module_reload(const char *params)
{
	int ret;

	if (!ubt_ko_path())
		return -ENOENT;
	ret = ubt_module_unload();
	if (ret)
		return ret;
	ubt_remove_backing_file(params);
	ret = ubt_module_load(params);
	if (ret)
		return ret;
	/* devtmpfs creates the nodes from device_add(); give it a moment. */
	ret = ubt_wait_path("/dev/uringblk0", 5000);
	if (!ret)
		ret = ubt_wait_path("/dev/uringblkc0", 5000);
	return ret;
}

int ubt_module_ensure(const char *params)
{
	char cur[512];

	if (ubt_module_loaded() &&
	    ubt_read_str(UBT_MARKER, cur, sizeof(cur)) == 0 &&
	    strcmp(cur, params ? params : "") == 0)
		return 0;
	return ubt_module_reload(params);
}

int ubt_read_str(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

int ubt_read_u64(const char *path, uint64_t *val)
{
	char buf[64], *end;
	int ret;

	ret = ubt_read_str(path, buf, sizeof(buf));
	if (ret)
		return ret;
	errno = 0;
	*val = strtoull(buf, &end, 0);
	if (errno || end == buf || *end)
		return -EINVAL;
	return 0;
}

int ubt_write_str(const char *path, const char *val)
{
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -EIO;
}

const char *ubt_memcg_ready(const char *cg)
{
	char ctl[256], max[256];

	if (access(UBT_CG_ROOT "/cgroup.controllers", F_OK) &&
	    mount("none", UBT_CG_ROOT, "cgroup2", 0, NULL))
		return "cannot mount cgroup2";
	if (ubt_read_str(UBT_CG_ROOT "/cgroup.controllers", ctl, sizeof(ctl)) ||
	    !strstr(ctl, "memory"))
		return "no memory controller (CONFIG_MEMCG)";
	if (ubt_write_str(UBT_CG_ROOT "/cgroup.subtree_control", "+memory"))
		return "cannot enable the memory controller";
	if (mkdir(cg, 0755) && errno != EEXIST)
		return "cannot make a cgroup";
	snprintf(max, sizeof(max), "%s/memory.max", cg);
	if (ubt_write_str(max, "max"))
		return "cannot reset memory.max";
	return NULL;
}

int ubt_blk_attr_u64(int idx, const char *rel, uint64_t *val)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/block/uringblk%d/%s", idx, rel);
	return ubt_read_u64(path, val);
}

/*
 * The feature's own trace first: zone write plugging (6.10, dd291d77cc90
 * "block: Introduce zone write plugging") gave every blk-mq queue the
 * debugfs attribute zone_wplugs (block/blk-mq-debugfs.c).  The queue's
 * attributes are there only with CONFIG_BLK_DEBUG_FS (Debian's kernels
 * have it, tools/vm/debug-kernel's allnoconfig-based ones do not):
 * "state", which every blk-mq queue has had since 4.10, says whether
 * they are.  Otherwise (no debugfs mounted, or no BLK_DEBUG_FS) the
 * kernel's version says it.
 */
int ubt_zone_write_plugging(int idx)
{
	struct utsname u;
	char path[96];
	int maj = 0, min = 0;

	snprintf(path, sizeof(path), "/sys/kernel/debug/block/uringblk%d/state", idx);
	if (access(path, F_OK) == 0) {
		snprintf(path, sizeof(path),
			 "/sys/kernel/debug/block/uringblk%d/zone_wplugs", idx);
		return access(path, F_OK) == 0;
	}
	if (uname(&u) || sscanf(u.release, "%d.%d", &maj, &min) != 2)
		return 0;
	return maj > 6 || (maj == 6 && min >= 10);
}

int ubt_sysfs_stats(int idx, struct uringblk_stats *st)
{
	char rel[128];
	uint64_t v;
	int i, ret;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < UBT_NR_STATS; i++) {
		snprintf(rel, sizeof(rel), "uringblk/%s", ubt_stats_names[i]);
		ret = ubt_blk_attr_u64(idx, rel, &v);
		if (ret)
			return ret;
		((__u64 *)st)[i] = v;
	}
	return 0;
}

int ubt_sysfs_reset_stats(int idx)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/block/uringblk%d/uringblk/reset_stats",
		 idx);
	return ubt_write_str(path, "1");
}

uint64_t ubt_mem_available(void)
{
	char line[256];
	uint64_t kb = 0;
	FILE *f;

	f = fopen("/proc/meminfo", "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %" SCNu64 " kB", &kb) == 1)
			break;
	fclose(f);
	return kb * 1024;
}

static int open_node(const char *fmt, int idx, int flags)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), fmt, idx);
	fd = open(path, flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int ubt_open_blk(int idx, int flags)
{
	return open_node("/dev/uringblk%d", idx, flags);
}

int ubt_open_cdev(int idx, int flags)
{
	return open_node("/dev/uringblkc%d", idx, flags);
}

bool ubt_ko_has_ctrl(void)
{
	char cmd[512], line[256] = "";
	const char *ko = ubt_ko_path();
	FILE *p;

	if (!ko)
		return false;
	snprintf(cmd, sizeof(cmd), "modinfo -F depends '%s' 2>/dev/null", ko);
	p = popen(cmd, "r");
	if (!p)
		return false;
	if (!fgets(line, sizeof(line), p))
		line[0] = '\0';
	pclose(p);
	return strstr(line, "nvme-core") != NULL;
}

int ubt_nvme_ctrl(int idx, char *name, size_t len)
{
	char want[64], path[300], got[64];
	struct dirent *e;
	int ret = -ENOENT;
	DIR *d;

	snprintf(want, sizeof(want), "traddr=uringblk%d", idx);
	d = opendir("/sys/class/nvme");
	if (!d)
		return -ENOENT;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "nvme", 4))
			continue;
		snprintf(path, sizeof(path), "/sys/class/nvme/%s/address", e->d_name);
		if (ubt_read_str(path, got, sizeof(got)) || strcmp(got, want))
			continue;
		snprintf(name, len, "%s", e->d_name);
		ret = 0;
		break;
	}
	closedir(d);
	return ret;
}

int ubt_nvme_head(const char *name)
{
	unsigned int subsys, head;
	int end = 0;

	if (sscanf(name, "nvme%un%u%n", &subsys, &head, &end) != 2 || name[end] ||
	    !isdigit((unsigned char)name[4]))
		return -1;
	return head;
}

int ubt_nvme_find(const char *ctrl, uint32_t nsid, char *ng, size_t ng_len,
		  char *blk, size_t blk_len)
{
	char dir[300], attr[600];
	struct dirent *e;
	int ret = -ENOENT;
	uint64_t n;
	DIR *d;

	snprintf(dir, sizeof(dir), "/sys/class/nvme/%s", ctrl);
	d = opendir(dir);
	while (d && (e = readdir(d))) {
		int head = ubt_nvme_head(e->d_name);

		if (head < 0)
			continue;
		snprintf(attr, sizeof(attr), "%s/%s/nsid", dir, e->d_name);
		if (ubt_read_u64(attr, &n) || n != nsid)
			continue;
		snprintf(ng, ng_len, "/dev/ng%sn%d", ctrl + 4, head);
		if (blk)
			snprintf(blk, blk_len, "/dev/%s", e->d_name);
		ret = 0;
		break;
	}
	if (d)
		closedir(d);
	return ret;
}

int ubt_nvme_ng(int idx, uint32_t nsid, char *path, size_t len)
{
	char ctrl[64];

	if (ubt_nvme_ctrl(idx, ctrl, sizeof(ctrl)))
		return -ENOENT;
	for (int i = 0; i < 50; i++) {
		if (!ubt_nvme_find(ctrl, nsid, path, len, NULL, 0))
			return ubt_wait_path(path, 5000) ? -ENOENT : 0;
		usleep(100000);
	}
	return -ENOENT;
}

void ubt_cmd_init(struct uringblk_cmd *cmd, void *addr, uint32_t len)
{
	memset(cmd, 0, sizeof(*cmd));
	cmd->abi_major = URINGBLK_ABI_MAJOR;
	cmd->abi_minor = URINGBLK_ABI_MINOR;
	cmd->addr = (uintptr_t)addr;
	cmd->len = len;
}

int ubt_ring_init(struct io_uring *ring, unsigned int extra_flags)
{
	return io_uring_queue_init(8, ring, IORING_SETUP_SQE128 |
				   IORING_SETUP_CQE32 | extra_flags);
}

int ubt_uring_cmd(struct io_uring *ring, int fd, uint32_t cmd_op,
		  const struct uringblk_cmd *cmd, uint64_t *res2)
{
	return ubt_uring_cmd_flags(ring, fd, cmd_op, cmd, res2, 0);
}

int ubt_uring_cmd_flags(struct io_uring *ring, int fd, uint32_t cmd_op,
			const struct uringblk_cmd *cmd, uint64_t *res2,
			uint8_t sqe_flags)
{
	bool sqe128 = ring->flags & IORING_SETUP_SQE128;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	int ret;

	sqe = io_uring_get_sqe(ring);
	if (!sqe)
		return -EBUSY;
	/* liburing's prep helpers clear only 64 bytes; clear the whole SQE. */
	memset(sqe, 0, sqe128 ? 128 : 64);
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = fd;
	sqe->cmd_op = cmd_op;
	sqe->flags = sqe_flags;
	sqe->user_data = 0x75626c6b;	/* "ublk" */
	memcpy(sqe->cmd, cmd, sqe128 ? sizeof(*cmd) : 16);

	ret = io_uring_submit(ring);
	if (ret < 0)
		return ret;
	if (ret != 1)
		return -EIO;
	ret = io_uring_wait_cqe(ring, &cqe);
	if (ret < 0)
		return ret;
	ret = cqe->res;
	if (res2)
		*res2 = (ring->flags & IORING_SETUP_CQE32) ? cqe->big_cqe[0] : 0;
	io_uring_cqe_seen(ring, cqe);
	return ret;
}

int ubt_identify(struct io_uring *ring, int fd, struct uringblk_identify *id)
{
	struct uringblk_cmd cmd;

	memset(id, 0, sizeof(*id));
	ubt_cmd_init(&cmd, id, sizeof(*id));
	return ubt_uring_cmd(ring, fd, URINGBLK_CMD_IDENTIFY, &cmd, NULL);
}

int ubt_get_stats(struct io_uring *ring, int fd, struct uringblk_stats *st,
		  uint32_t flags)
{
	struct uringblk_cmd cmd;

	memset(st, 0, sizeof(*st));
	ubt_cmd_init(&cmd, st, sizeof(*st));
	cmd.flags = flags;
	return ubt_uring_cmd(ring, fd, URINGBLK_CMD_GET_STATS, &cmd, NULL);
}

/* splitmix64: cheap, and every output bit depends on every input bit. */
static uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static inline uint8_t pattern_byte(uint64_t off, uint32_t seed)
{
	return mix64(((uint64_t)seed << 48) ^ (off >> 3)) >> ((off & 7) * 8);
}

void ubt_fill(void *buf, size_t len, uint64_t dev_off, uint32_t seed)
{
	uint8_t *p = buf;
	size_t i = 0;

	/* Byte-wise up to a word boundary, then one mix64() per word. */
	for (; i < len && ((dev_off + i) & 7); i++)
		p[i] = pattern_byte(dev_off + i, seed);
	for (; i + 8 <= len; i += 8) {
		uint64_t w = mix64(((uint64_t)seed << 48) ^ ((dev_off + i) >> 3));

		memcpy(p + i, &w, 8);
	}
	for (; i < len; i++)
		p[i] = pattern_byte(dev_off + i, seed);
}

ssize_t ubt_check(const void *buf, size_t len, uint64_t dev_off, uint32_t seed)
{
	const uint8_t *p = buf;
	size_t i;

	for (i = 0; i < len; i++) {
		if (((dev_off + i) & 7) == 0 && i + 8 <= len) {
			uint64_t w = mix64(((uint64_t)seed << 48) ^
					   ((dev_off + i) >> 3));

			if (!memcmp(p + i, &w, 8)) {
				i += 7;
				continue;
			}
		}
		if (p[i] != pattern_byte(dev_off + i, seed))
			return i;
	}
	return -1;
}

ssize_t ubt_check_zero(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i])
			return i;
	return -1;
}

void *ubt_alloc(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

ssize_t ubt_pwrite_full(int fd, const void *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pwrite(fd, (const char *)buf + done, len - done,
				   off + done);

		if (n < 0)
			return -errno;
		if (n == 0)
			return done;
		done += n;
	}
	return done;
}

ssize_t ubt_pread_full(int fd, void *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, off + done);

		if (n < 0)
			return -errno;
		if (n == 0)
			return done;
		done += n;
	}
	return done;
}
