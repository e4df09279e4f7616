// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Helpers every command uses: errors in one format, option parsing, and
 * opening a device from any of the accepted spellings.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
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

int cli_fail(const char *what, int err)
{
	const char *name = strerrorname_np(err < 0 ? -err : err);

	fprintf(stderr, "uringblk: %s %s: %s (errno ", cli_cmd_path, what,
		uringblk_strerror(err));
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
		if (optopt && strchr(shortopts, optopt))
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

int cli_open(const struct cli_cmd *cmd, const char *spec,
	     struct uringblk_dev **dev)
{
	int index, ret;

	/* A name that cannot be a device is the user's typo, not an I/O error. */
	if (!strchr(spec, '/') && uringblk_parse_dev(spec, &index))
		return cli_usage_error(cmd, "'%s' is not a uringblk device "
				       "(expected /dev/uringblkN, "
				       "/dev/uringblkcN, uringblkN or N)",
				       spec);
	ret = uringblk_open(spec, dev);
	if (ret)
		return cli_fail(spec, ret);
	return 0;
}
