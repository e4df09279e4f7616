// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Helpers every command uses: errors in one format, option parsing, and
 * opening a device from any of the accepted spellings.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

char cli_cmd_path[64];

void cli_print_cmd_help(FILE *f, const struct cli_cmd *cmd)
{
	fprintf(f, "usage: uringblk %s %s\n", cli_cmd_path, cmd->args);
	if (cmd->summary)
		fprintf(f, "\n%s\n", cmd->summary);
	if (cmd->help)
		fprintf(f, "\n%s", cmd->help);
}

int cli_usage_error(const struct cli_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "uringblk: %s: ", cli_cmd_path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: uringblk %s %s\n", cli_cmd_path, cmd->args);
	return CLI_USAGE;
}

int cli_want_args(const struct cli_cmd *cmd, int argc, int n, const char *what)
{
	if (argc - optind > n)
		return cli_usage_error(cmd, "too many arguments");
	if (argc - optind < n)
		return cli_usage_error(cmd, "missing %s", what);
	return 0;
}

int cli_fail(const char *what, int err)
{
	return cli_fail_dev(NULL, what, err);
}

int cli_fail_dev(const struct uringblk_dev *dev, const char *what, int err)
{
	const char *name = strerrorname_np(err < 0 ? -err : err);

	fprintf(stderr, "uringblk: %s %s: %s (errno ", cli_cmd_path, what,
		uringblk_dev_strerror(dev, err));
	if (name)
		fprintf(stderr, "%s)\n", name);
	else
		fprintf(stderr, "%d)\n", err < 0 ? -err : err);
	return CLI_FAIL;
}

int cli_getopt(const struct cli_cmd *cmd, int argc, char **argv,
	       const char *shortopts, const struct option *longopts)
{
	int c;

	opterr = 0;	/* our messages, with the command name */
	c = getopt_long(argc, argv, shortopts, longopts, NULL);
	if (c == 'h') {
		cli_print_cmd_help(stdout, cmd);
	} else if (c == '?') {
		/* long-only options (val >= 0x100) have no letter to show */
		if (optopt >= 0x100)
			cli_usage_error(cmd, "option '%s' needs an argument",
					argv[optind - 1]);
		else if (optopt && strchr(shortopts, optopt))
			cli_usage_error(cmd, "option '-%c' needs an argument",
					optopt);
		else if (optopt)
			cli_usage_error(cmd, "unknown option '-%c'", optopt);
		else
			cli_usage_error(cmd, "unknown option '%s'",
					argv[optind - 1]);
	}
	return c;
}

int cli_check_dev(const struct cli_cmd *cmd, const char *spec)
{
	int index;

	/* A name that cannot be a device is the user's typo, not an I/O error. */
	if (!strchr(spec, '/') && uringblk_parse_dev(spec, &index))
		return cli_usage_error(cmd, "'%s' is not a uringblk device "
				       "(expected /dev/uringblkN, "
				       "/dev/uringblkcN, /dev/uringblkcNn2, "
				       "/dev/uringblkcNn3, uringblkN or N)",
				       spec);
	return 0;
}

int cli_open(const struct cli_cmd *cmd, const char *spec,
	     struct uringblk_dev **dev)
{
	int ret;

	ret = cli_check_dev(cmd, spec);
	if (ret)
		return ret;
	ret = uringblk_open(spec, dev);
	if (ret)
		return cli_fail(spec, ret);
	return 0;
}

int cli_open_feature(const struct cli_cmd *cmd, const char *spec,
		     __u64 feature, struct uringblk_dev **dev,
		     struct uringblk_identify *id)
{
	int ret = cli_open(cmd, spec, dev);

	if (ret)
		return ret;
	ret = uringblk_identify(*dev, id);
	if (!ret && !(id->features & feature))
		ret = -EOPNOTSUPP;
	if (ret) {
		cli_fail(spec, ret);
		uringblk_close(*dev);
		return CLI_FAIL;
	}
	return 0;
}

int cli_parse_u64(const char *s, __u64 *val)
{
	unsigned long long v;
	char *end;

	/* strtoull() would take a sign or blanks and wrap "-1" around */
	if (!s || !((*s >= '0' && *s <= '9')))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end)
		return -EINVAL;
	*val = v;
	return 0;
}

int cli_parse_size(const char *s, __u64 *val)
{
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	if (!s || !(*s >= '0' && *s <= '9'))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	switch (*end) {
	case '\0':
		break;
	case 'k': case 'K':
		shift = 10;
		break;
	case 'm': case 'M':
		shift = 20;
		break;
	case 'g': case 'G':
		shift = 30;
		break;
	default:
		return -EINVAL;
	}
	/* "4K", "4KiB" and "4KB" all mean 4096 */
	if (shift && end[1] && strcmp(end + 1, "iB") && strcmp(end + 1, "B"))
		return -EINVAL;
	if (v > (~0ULL >> shift))
		return -EINVAL;
	*val = v << shift;
	return 0;
}

char *cli_first_line(ssize_t (*prefix)(void *ctx, void *buf, size_t len),
		     void *ctx)
{
	size_t len = 4096;
	char *buf = NULL;

	for (;;) {
		char *nb = realloc(buf, len + 1);
		ssize_t n;

		if (!nb) {
			free(buf);
			errno = ENOMEM;
			return NULL;
		}
		buf = nb;
		n = prefix(ctx, buf, len);
		if (n < 0) {
			free(buf);
			errno = (int)-n;
			return NULL;
		}
		buf[n] = '\0';
		/* the line ended (or the data did) within what was read */
		if ((size_t)n < len || strlen(buf) < (size_t)n ||
		    memchr(buf, '\n', n)) {
			buf[strcspn(buf, "\n")] = '\0';
			return buf;
		}
		if (len > SIZE_MAX / 4) {
			free(buf);
			errno = EFBIG;
			return NULL;
		}
		len *= 2;
	}
}

void cli_progress_call(struct cli_progress *p, const char *where,
		       uint64_t bytes)
{
	char what[128], size[32];

	if (bytes) {
		cli_progress_bytes(size, sizeof(size), bytes);
		snprintf(what, sizeof(what), "%s: %s %s", cli_cmd_path, size,
			 where);
	} else {
		snprintf(what, sizeof(what), "%s: %s", cli_cmd_path, where);
	}
	cli_progress_start(p, what, 0);
	cli_progress_wait(p);
}

/* uringblk_query_host_args()'s progress callback: @ctx is the line */
static int host_progress(void *ctx, __u64 done, __u64 total)
{
	(void)total;	/* cli_progress_start() took it */
	cli_progress_update(ctx, done);
	return 0;
}

int cli_query_host(const struct uringblk_query *q, const void *data,
		   size_t len, struct uringblk_query_result *res, char *err,
		   size_t errlen)
{
	struct cli_progress pg;
	char what[96];
	int ret;

	snprintf(what, sizeof(what), "%s on the host", cli_cmd_path);
	cli_progress_start(&pg, what, len);
	ret = uringblk_query_host_args(q, &(struct uringblk_query_host_args){
			.size = sizeof(struct uringblk_query_host_args),
			.data = data, .len = len, .err = err, .errlen = errlen,
			.progress = host_progress, .progress_ctx = &pg }, res);
	cli_progress_end(&pg);
	return ret;
}
