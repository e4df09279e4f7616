// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * uringblk - command-line front end to liburingblk.
 *
 * This file only finds the command and runs it; each command group lives
 * in tools/cli/<group>.c.  Exit status: 0 ok, 1 the operation failed,
 * 2 bad command line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "progress.h"

#define URINGBLK_CLI_VERSION	"1.3"

static const struct cli_cmd cli_cmd_help;

/* Top-level commands, in the order "uringblk --help" lists them. */
static const struct cli_cmd *const commands[] = {
	&cli_cmd_info,
	&cli_cmd_stats,
	&cli_cmd_prog,
	&cli_cmd_exec,
	&cli_cmd_execute,
	&cli_cmd_zone,
	&cli_cmd_mem,
	&cli_cmd_rangeset,
	&cli_cmd_create,
	&cli_cmd_remove,
	&cli_cmd_list,
	&cli_cmd_file,
	&cli_cmd_query,
	&cli_cmd_vec,
	&cli_cmd_kv,
	&cli_cmd_help,
	NULL,
};

static const struct cli_cmd *find_cmd(const struct cli_cmd *const *table,
				      const char *name)
{
	for (; *table; table++)
		if (!strcmp((*table)->name, name))
			return *table;
	return NULL;
}

static void append_path(const char *name)
{
	size_t n = strlen(cli_cmd_path);

	snprintf(cli_cmd_path + n, sizeof(cli_cmd_path) - n, "%s%s",
		 n ? " " : "", name);
}

/* One line per runnable command, groups expanded: "  prog load ARGS  summary" */
static void list_cmds(FILE *f, const struct cli_cmd *const *table,
		      const char *prefix)
{
	char name[64];

	for (; *table; table++) {
		const struct cli_cmd *c = *table;

		snprintf(name, sizeof(name), "%s%s%s", prefix,
			 *prefix ? " " : "", c->name);
		if (c->subcmds) {
			list_cmds(f, c->subcmds, name);
			continue;
		}
		fprintf(f, "  %s %s\n      %s\n", name, c->args, c->summary);
	}
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: uringblk [--help | --version] [--progress | --no-progress]\n"
		"                COMMAND [ARGS]\n"
		"\n"
		"Commands:\n");
	list_cmds(f, commands, "");
	fprintf(f,
		"\n"
		"DEV is /dev/uringblkN, /dev/uringblkcN, uringblkN or N (or another\n"
		"node of a uringblk device).  Exit status: 0 ok, 1 failure, 2 usage.\n"
		"\n"
		"Long operations (exec, execute, query, kv query) show a progress line\n"
		"on stderr when it is a terminal: --progress also elsewhere,\n"
		"--no-progress never (or URINGBLK_PROGRESS=always|never|auto).\n");
}

/*
 * Walk argv down the command tree: a group consumes one word and looks
 * up the next.  Returns the command, with *argcp and *argvp starting at its
 * name, or NULL after reporting a usage error in *err.
 */
static const struct cli_cmd *resolve(int *argcp, char ***argvp, int *err)
{
	const struct cli_cmd *const *table = commands;
	const struct cli_cmd *cmd;

	for (;;) {
		cmd = find_cmd(table, (*argvp)[0]);
		if (!cmd) {
			if (cli_cmd_path[0])
				fprintf(stderr, "uringblk: %s: unknown subcommand '%s'\n",
					cli_cmd_path, (*argvp)[0]);
			else
				fprintf(stderr, "uringblk: unknown command '%s' "
					"(see uringblk --help)\n", (*argvp)[0]);
			*err = CLI_USAGE;
			return NULL;
		}
		append_path(cmd->name);
		if (!cmd->subcmds)
			return cmd;
		if (*argcp < 2) {
			fprintf(stderr, "uringblk: %s: missing subcommand\n",
				cli_cmd_path);
			list_cmds(stderr, cmd->subcmds, cli_cmd_path);
			*err = CLI_USAGE;
			return NULL;
		}
		table = cmd->subcmds;
		(*argcp)--;
		(*argvp)++;
	}
}

/* uringblk help [COMMAND [SUBCOMMAND]] */
static int help_run(const struct cli_cmd *self, int argc, char **argv)
{
	const struct cli_cmd *cmd;
	int err;

	(void)self;
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return CLI_OK;
	}
	argc--;
	argv++;
	cli_cmd_path[0] = '\0';
	cmd = resolve(&argc, &argv, &err);
	if (!cmd)
		return err;
	if (argc > 1) {
		fprintf(stderr, "uringblk: help: '%s' takes no subcommand\n",
			cli_cmd_path);
		return CLI_USAGE;
	}
	cli_print_cmd_help(stdout, cmd);
	return CLI_OK;
}

static const struct cli_cmd cli_cmd_help = {
	.name		= "help",
	.args		= "[COMMAND]",
	.summary	= "Show the help of a command, or the command list.",
	.run		= help_run,
};

int main(int argc, char **argv)
{
	const struct cli_cmd *cmd;
	int err;

	if (cli_progress_parse_mode(getenv("URINGBLK_PROGRESS"),
				    &cli_progress_mode)) {
		fprintf(stderr, "uringblk: URINGBLK_PROGRESS='%s' is not "
			"auto, always (1) or never (0)\n",
			getenv("URINGBLK_PROGRESS"));
		return CLI_USAGE;
	}
	/* the options of every command, before it: the command line wins */
	while (argc > 1 && (!strcmp(argv[1], "--progress") ||
			    !strcmp(argv[1], "--no-progress"))) {
		cli_progress_mode = argv[1][2] == 'n' ? CLI_PROGRESS_NEVER :
							CLI_PROGRESS_ALWAYS;
		argc--;
		argv++;
	}
	if (argc < 2) {
		usage(stderr);
		return CLI_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return CLI_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("uringblk %s (liburingblk %d.%d, uringblk ABI %d.%d)\n",
		       URINGBLK_CLI_VERSION, URINGBLK_LIB_VERSION_MAJOR,
		       URINGBLK_LIB_VERSION_MINOR, URINGBLK_ABI_MAJOR,
		       URINGBLK_ABI_MINOR);
		return CLI_OK;
	}
	if (argv[1][0] == '-') {
		fprintf(stderr, "uringblk: unknown option '%s' (see uringblk --help)\n",
			argv[1]);
		return CLI_USAGE;
	}

	argc--;
	argv++;
	cmd = resolve(&argc, &argv, &err);
	if (!cmd)
		return err;
	return cmd->run(cmd, argc, argv);
}
