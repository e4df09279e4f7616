// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Counters: the named-field table shared by the sysfs reader and the
 * printers, and the sysfs interface itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "private.h"

#define STAT(name)	{ #name, offsetof(struct uringblk_stats, name) }

/* In struct order; the names are also the sysfs file names. */
static const struct {
	const char	*name;
	size_t		offset;
} stats_fields[] = {
	STAT(read_ops),
	STAT(read_bytes),
	STAT(write_ops),
	STAT(write_bytes),
	STAT(flush_ops),
	STAT(discard_ops),
	STAT(discard_bytes),
	STAT(write_zeroes_ops),
	STAT(write_zeroes_bytes),
	STAT(fua_ops),
	STAT(errors),
	STAT(in_flight),
	STAT(bytes_to_host),
	STAT(backing_bytes),
	STAT(prog_loads),
	STAT(prog_runs),
	STAT(prog_aborts_budget),
	STAT(prog_aborts_bounds),
	STAT(prog_aborts_fault),
	STAT(prog_insns),
	STAT(prog_bytes_scanned),
	STAT(prog_bytes_to_host),
	STAT(zone_resets),
	STAT(zone_opens),
	STAT(zone_closes),
	STAT(zone_finishes),
	STAT(zone_appends),
	STAT(zone_append_bytes),
	STAT(faults_injected),
	STAT(delays_injected),
	STAT(prog_runs_inline),
	STAT(prog_runs_worker),
	STAT(executes),
	STAT(mem_reads),
	STAT(mem_writes),
	STAT(mem_copies),
	STAT(slm_bytes_to_host),
	STAT(slm_bytes_from_host),
	STAT(slm_bytes_from_media),
	STAT(slm_bytes),
	STAT(timing_timer_late_ns),	/* ABI 1.8, where rsvd[2] was */
	STAT(timing_early_ns),
	STAT(timing_held),
	STAT(timing_late),
	STAT(timing_late_ns),
	STAT(timing_hurried),
	STAT(timing_link_wait_ns),
	STAT(timing_media_wait_ns),
	STAT(timing_cu_waits),
	STAT(timing_cu_wait_ns),
	STAT(timing_cu_run_ns),
	STAT(timing_cu_model_ns),
	STAT(kv_cmds),
	STAT(kv_bytes_to_host),
	STAT(kv_bytes_from_host),
	STAT(ssd_host_pages_written),	/* ABI 1.12 */
	STAT(ssd_host_pages_read),
	STAT(ssd_internal_pages_read),
	STAT(ssd_host_pages_trimmed),
	STAT(ssd_buffer_read_hits),
	STAT(ssd_nand_pages_written),
	STAT(ssd_nand_pages_padded),
	STAT(ssd_nand_reads),
	STAT(ssd_nand_programs),
	STAT(ssd_gc_runs),
	STAT(ssd_gc_forced_runs),
	STAT(ssd_gc_pages_moved),
	STAT(ssd_erases),
	STAT(ssd_ctrl_busy_ns),
	STAT(ssd_ctrl_compute_ns),
	STAT(ssd_die_busy_ns_sum),
	STAT(ssd_die_busy_ns_max),
};

/* A counter added to the ABI must be added above: every word. */
_Static_assert(sizeof(struct uringblk_stats) == ARRAY_SIZE(stats_fields) * sizeof(__u64),
	       "stats_fields[] does not cover struct uringblk_stats");

const char *uringblk_stats_field_name(unsigned int i)
{
	return i < ARRAY_SIZE(stats_fields) ? stats_fields[i].name : NULL;
}

__u64 uringblk_stats_field(const struct uringblk_stats *stats, unsigned int i)
{
	if (i >= ARRAY_SIZE(stats_fields))
		return 0;
	return *(const __u64 *)((const char *)stats + stats_fields[i].offset);
}

/* One sysfs counter: decimal digits and an optional newline, nothing else. */
static int read_counter(int dirfd, const char *name, __u64 *val)
{
	char buf[32], *end;
	ssize_t n;
	int fd;

	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n < 0)
		return (int)n;
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	/* strtoull() would accept a sign and leading blanks; sysfs has none. */
	if (n == 0 || buf[0] < '0' || buf[0] > '9')
		return -EBADMSG;
	errno = 0;
	*val = strtoull(buf, &end, 10);
	if (errno || *end)
		return -EBADMSG;
	return 0;
}

static int open_stats_dir(const struct uringblk_dev *dev)
{
	char path[PATH_MAX];
	int fd;

	if (snprintf(path, sizeof(path), "%s/uringblk", dev->sysfs_dir) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int uringblk_stats_sysfs(struct uringblk_dev *dev, struct uringblk_stats *out)
{
	struct uringblk_stats stats;
	unsigned int i;
	int dirfd, ret = 0;

	uringblk__begin(dev);
	if (!dev || !out)
		return -EINVAL;
	dirfd = open_stats_dir(dev);
	if (dirfd < 0)
		return dirfd;

	memset(&stats, 0, sizeof(stats));
	for (i = 0; i < ARRAY_SIZE(stats_fields); i++) {
		__u64 *val = (__u64 *)((char *)&stats + stats_fields[i].offset);

		ret = read_counter(dirfd, stats_fields[i].name, val);
		/* An older driver lacks newer counters: zero, as in GET_STATS. */
		if (ret == -ENOENT)
			ret = 0;
		if (ret)
			break;
	}
	close(dirfd);
	if (!ret)
		*out = stats;
	return ret;
}

int uringblk_reset_stats_sysfs(struct uringblk_dev *dev)
{
	ssize_t n;
	int dirfd, fd, ret = 0;

	uringblk__begin(dev);
	if (!dev)
		return -EINVAL;
	dirfd = open_stats_dir(dev);
	if (dirfd < 0)
		return dirfd;
	fd = openat(dirfd, "reset_stats", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		ret = -errno;
	close(dirfd);
	if (ret)
		return ret;
	n = write(fd, "1\n", 2);
	if (n < 0)
		ret = -errno;
	else if (n != 2)
		ret = -EIO;
	close(fd);
	return ret;
}
