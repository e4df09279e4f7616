/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * The uringblk CLI: one table entry per command, one file per command
 * group under tools/cli/.  Adding a group = a new file defining a
 * struct cli_cmd (with .subcmds for "prog load", "zone report", ...) and
 * one line in the commands[] table of tools/uringblk.c.
 */
#ifndef URINGBLK_CLI_H
#define URINGBLK_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <sys/types.h>

#include <liburingblk.h>

#include "progress.h"

/* Exit codes */
#define CLI_OK		0
#define CLI_FAIL	1	/* the operation failed */
#define CLI_USAGE	2	/* bad command line */

/**
 * struct cli_cmd - a command or a group of subcommands
 * @name:	word on the command line
 * @args:	synopsis after the name, e.g. "DEV [--json]"
 * @summary:	one line for the command list
 * @help:	option descriptions for "uringblk help CMD", or NULL
 * @run:	runs the command; argv[0] is @name, options follow.  Returns a
 *		CLI_* exit code.  NULL for a group.
 * @subcmds:	NULL-terminated subcommands of a group, or NULL
 */
struct cli_cmd {
	const char			*name;
	const char			*args;
	const char			*summary;
	const char			*help;
	int				(*run)(const struct cli_cmd *cmd,
					       int argc, char **argv);
	const struct cli_cmd *const	*subcmds;
};

/* Command groups, one per file in tools/cli/. */
extern const struct cli_cmd cli_cmd_info;
extern const struct cli_cmd cli_cmd_stats;
extern const struct cli_cmd cli_cmd_prog;
extern const struct cli_cmd cli_cmd_exec;
extern const struct cli_cmd cli_cmd_execute;
extern const struct cli_cmd cli_cmd_zone;
extern const struct cli_cmd cli_cmd_mem;
extern const struct cli_cmd cli_cmd_rangeset;
extern const struct cli_cmd cli_cmd_create;
extern const struct cli_cmd cli_cmd_remove;
extern const struct cli_cmd cli_cmd_list;
extern const struct cli_cmd cli_cmd_file;
extern const struct cli_cmd cli_cmd_query;
extern const struct cli_cmd cli_cmd_vec;
extern const struct cli_cmd cli_cmd_kv;

/* "info", "prog load": the command being run, for messages. */
extern char cli_cmd_path[64];

/* Print "uringblk: CMD: <fmt>" and the command's synopsis; CLI_USAGE. */
int cli_usage_error(const struct cli_cmd *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Exactly @n arguments after the options (argv[optind]...): 0, else the
 * usage error "missing @what" or "too many arguments".
 */
int cli_want_args(const struct cli_cmd *cmd, int argc, int n, const char *what);

/* Print "uringblk: CMD WHAT: <uringblk_strerror> (errno NAME)"; CLI_FAIL. */
int cli_fail(const char *what, int err);
/* cli_fail() after a command on @dev failed: names the drive's status */
int cli_fail_dev(const struct uringblk_dev *dev, const char *what, int err);

/* Synopsis and help of @cmd on @f. */
void cli_print_cmd_help(FILE *f, const struct cli_cmd *cmd);

/*
 * getopt_long() over a command's argv with the CLI's error reporting.
 * Call with *optidx unused; returns like getopt_long(), except that an
 * unknown option or missing argument is reported and returns '?', and
 * -h/--help prints the command help and returns 'h'.
 */
int cli_getopt(const struct cli_cmd *cmd, int argc, char **argv,
	       const char *shortopts, const struct option *longopts);

/*
 * Check that @spec can name a device (no I/O): 0, or the usage error is
 * printed and CLI_USAGE returned.
 */
int cli_check_dev(const struct cli_cmd *cmd, const char *spec);

/*
 * Open the device named by @spec for command @cmd.  On failure the error
 * is printed and the CLI_* exit code returned; 0 on success.
 */
int cli_open(const struct cli_cmd *cmd, const char *spec,
	     struct uringblk_dev **dev);

/*
 * cli_open(), then identify the drive into @id and check it announces
 * @feature (a URINGBLK_F_* bit): a drive without it is -EOPNOTSUPP, printed,
 * the device closed and CLI_FAIL returned.  0 on success, @dev open.
 */
int cli_open_feature(const struct cli_cmd *cmd, const char *spec,
		     __u64 feature, struct uringblk_dev **dev,
		     struct uringblk_identify *id);

/*
 * An unsigned integer, decimal or 0x-hex, no sign, nothing after it.
 * Returns 0 or -EINVAL.
 */
int cli_parse_u64(const char *s, __u64 *val);

/*
 * A byte count: decimal with an optional binary suffix K, M or G (also
 * KiB/KB, ...).  Returns 0 or -EINVAL (also on overflow).
 */
int cli_parse_size(const char *s, __u64 *val);

/*
 * Map @path for exec/execute --file (tools/cli/file.c): open the drive
 * @spec (NULL: the one holding the file) into *@dev and map the file.
 * 0; 1 if an error was printed already; else a negative errno with the
 * reason in @msg (*@dev is then NULL).
 */
int cli_file_open(const struct cli_cmd *cmd, const char *spec,
		  const char *path, struct uringblk_dev **dev,
		  struct uringblk_file_map *map, char *msg, size_t msg_len);

/* "uringblk: CMD: MSG (errno NAME)" (or PATH: strerror); CLI_FAIL */
int cli_file_fail(const char *path, int err, const char *msg);

/*
 * The data's first line (up to its '\n' or a NUL byte, whatever its
 * length), for a query's header names: every front end reads it with
 * this, so that names resolve alike.  @prefix reads the data's first @len
 * bytes into @buf and returns how many it got (fewer: the data end) or
 * -errno; it is called with doubling lengths until the line ends.
 * Returns a string to free(), or NULL with errno set.
 */
char *cli_first_line(ssize_t (*prefix)(void *ctx, void *buf, size_t len),
		     void *ctx);

/*
 * Before one long library call over @bytes (0: not known): a progress
 * line "CMD: SIZE WHERE, 12s" (e.g. "query: 1.00 GiB in the drive") on a
 * terminal until cli_progress_end(@p), which the caller calls before it
 * prints anything.
 */
void cli_progress_call(struct cli_progress *p, const char *where,
		       uint64_t bytes);

/*
 * uringblk_query_host() with a progress line "CMD on the host: 512 MiB of
 * 1.00 GiB (50%), 120 MiB/s, 4s left" on a terminal, erased on return.
 */
int cli_query_host(const struct uringblk_query *q, const void *data,
		   size_t len, struct uringblk_query_result *res, char *err,
		   size_t errlen);

/* Runs $URINGBLK_TEST_AFTER_MAP, if set (the staleness tests). */
void cli_file_test_hook(void);

#endif /* URINGBLK_CLI_H */
