// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * uringblk prog load|list|unload|activate|deactivate: the drive's program
 * store and its slots.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Log lines from the loader or the validator, indented under the error. */
static void print_log(const char *who, const char *log)
{
	const char *p = log, *nl;

	while (*p) {
		nl = strchr(p, '\n');
		fprintf(stderr, "  %s: %.*s\n", who,
			(int)(nl ? (size_t)(nl - p) : strlen(p)), p);
		if (!nl)
			break;
		p = nl + 1;
	}
}

/* The entry of program @id: 0, -ENOENT or the errno of PROG_LIST. */
static int find_by_id(struct uringblk_dev *dev, __u32 id,
				 struct uringblk_prog_info *out)
{
	struct uringblk_prog_info info[URINGBLK_MAX_PROGS + URINGBLK_MAX_ACTIVE_PROGS];
	int n = uringblk_prog_list(dev, info, ARRAY_SIZE(info));

	for (int i = 0; i < n; i++) {
		if (info[i].id == id) {
			*out = info[i];
			return 0;
		}
	}
	return n < 0 ? n : -ENOENT;
}

/* URINGBLK_PROG_TYPE_* in words */
static const char *type_name(__u16 type)
{
	switch (type) {
	case URINGBLK_PROG_TYPE_DEVICE:
		return "device";
	case URINGBLK_PROG_TYPE_EBPF:
		return "ebpf";
	case URINGBLK_PROG_TYPE_KBPF:
		return "kbpf";
	default:
		return "?";
	}
}

/* What runs a program of this type: identify.engines' names. */
static const char *engine_name(__u16 type)
{
	switch (type) {
	case URINGBLK_PROG_TYPE_DEVICE:
		return "native";
	case URINGBLK_PROG_TYPE_EBPF:
		return "interp";
	case URINGBLK_PROG_TYPE_KBPF:
		return "kernel";
	default:
		return "?";
	}
}

/*
 * --engine kernel: libbpf loads the SEC("syscall") program into the host
 * kernel, then the drive takes its fd.  Returns a CLI status.
 */
static int load_kernel(const struct cli_cmd *cmd, const char *spec,
		       const char *obj, const char *pick, const char *name,
		       __u64 slot, bool json, bool quiet)
{
	/*
	 * The verifier's log of a refused program can be long, and 6.1
	 * fails a load whose log does not fit with ENOSPC, hiding the
	 * reason: room for it all, and only its end is printed.
	 */
	const size_t log_len = 4 << 20;
	struct uringblk_prog_info info = { 0 };
	struct uringblk_dev *dev;
	char *log, *tail;
	int ret, id, lines;

	log = calloc(1, log_len);
	if (!log)
		return cli_fail(spec, -ENOMEM);
	ret = cli_open(cmd, spec, &dev);
	if (ret) {
		free(log);
		return ret;
	}
	ret = uringblk_prog_load_args(dev, &(struct uringblk_prog_load_args){
		.size = sizeof(struct uringblk_prog_load_args),
		.from = URINGBLK_PROG_FROM_FILE,
		.type = URINGBLK_PROG_TYPE_KBPF, .path = obj,
		.prog_name = pick, .name = name, .pind = (__u32)slot,
		.log = log, .log_len = log_len });
	if (ret < 0) {
		const char *en = strerrorname_np(-ret);

		fprintf(stderr, "uringblk: %s %s: cannot load %s as a kernel-BPF "
			"program (errno %s)\n", cli_cmd_path, spec, obj,
			en ? en : "?");
		/* the last 20 lines: where the verifier stopped, and why */
		tail = log + strlen(log);
		for (lines = 0; tail > log && lines <= 20; tail--)
			if (tail[-1] == '\n' && tail[0])
				lines++;
		while (*tail == '\n')
			tail++;
		if (*tail)
			print_log("kernel-bpf", tail);
		uringblk_close(dev);
		free(log);
		return CLI_FAIL;
	}
	free(log);
	id = ret;
	find_by_id(dev, id, &info);
	uringblk_close(dev);
	if (json) {
		printf("{\"id\": %d, \"pind\": %u, \"name\": ", id, info.pind);
		uringblk_fprint_json_string(stdout, info.name, sizeof(info.name));
		printf(", \"insn_cnt\": %u, \"engine\": \"kernel\", \"bpf_id\": %u, "
		       "\"object\": ", info.insn_cnt, info.bpf_id);
		uringblk_fprint_json_string(stdout, obj, strlen(obj));
		printf("}\n");
	} else if (quiet) {
		printf("%d\n", id);
	} else {
		printf("loaded %s:%.*s as program %d in slot %u (kernel-BPF, %u "
		       "translated insns, bpf prog id %u, inactive)\n", obj,
		       (int)sizeof(info.name), info.name, id, info.pind,
		       info.insn_cnt, info.bpf_id);
	}
	return CLI_OK;
}

static int load_run(const struct cli_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name",		required_argument,	NULL, 'n' },
		{ "section-prog",	required_argument,	NULL, 'p' },
		{ "slot",		required_argument,	NULL, 's' },
		{ "engine",		required_argument,	NULL, 'e' },
		{ "json",		no_argument,		NULL, 'j' },
		{ "quiet",		no_argument,		NULL, 'q' },
		{ "help",		no_argument,		NULL, 'h' },
		{ NULL,			0,			NULL, 0 },
	};
	char fname[URINGBLK_PROG_NAME_LEN + 1], log[4096];
	const char *name = NULL, *pick = NULL, *spec, *obj;
	struct uringblk_prog_info info;
	bool json = false, quiet = false, kernel = false;
	struct uringblk_prog_obj po;
	struct uringblk_prog_combine cb;
	struct uringblk_dev *dev;
	unsigned int cnt;
	__u64 slot = 0;
	int c, ret, id;

	while ((c = cli_getopt(cmd, argc, argv, "n:p:s:e:jqh", opts)) != -1) {
		switch (c) {
		case 'n':
			name = optarg;
			break;
		case 'e':
			if (!strcmp(optarg, "kernel"))
				kernel = true;
			else if (!strcmp(optarg, "interp"))
				kernel = false;
			else
				return cli_usage_error(cmd, "--engine '%s': 'interp' or 'kernel'",
						       optarg);
			break;
		case 's':
			if (cli_parse_u64(optarg, &slot) || !slot || slot > UINT32_MAX)
				return cli_usage_error(cmd, "--slot '%s' is not a program index",
						       optarg);
			break;
		case 'p':
			pick = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			return CLI_OK;
		default:
			return CLI_USAGE;
		}
	}
	ret = cli_want_args(cmd, argc, 2, "DEV or OBJ");
	if (ret)
		return ret;
	spec = argv[optind];
	obj = argv[optind + 1];
	if (name && strlen(name) > URINGBLK_PROG_NAME_LEN)
		return cli_usage_error(cmd, "--name is longer than %d bytes",
				       URINGBLK_PROG_NAME_LEN);

	ret = cli_check_dev(cmd, spec);
	if (ret)
		return ret;
	if (kernel)
		return load_kernel(cmd, spec, obj, pick, name, slot, json, quiet);
	/* the object first: its mistakes need no device */
	/* with its global data, if any (PROG_LOAD F_IMAGE then) */
	ret = uringblk_prog_read_obj(obj, pick, &po, log, sizeof(log));
	if (ret) {
		const char *en = strerrorname_np(-ret);

		/* a file, not the drive: libc's words, then the reason */
		fprintf(stderr, "uringblk: %s %s: cannot load: %s (errno %s)\n",
			cli_cmd_path, obj, strerror(-ret), en ? en : "?");
		print_log("loader", log);
		return CLI_FAIL;
	}
	/* how its results combine, if it declares (uringblk exec --split) */
	ret = uringblk_prog_read_combine(obj, po.name, &cb, log, sizeof(log));
	if (ret) {
		fprintf(stderr, "uringblk: %s %s: cannot load: %s\n", cli_cmd_path,
			obj, strerror(-ret));
		print_log("loader", log);
		uringblk_prog_obj_free(&po);
		return CLI_FAIL;
	}
	cnt = po.insn_cnt;
	memcpy(fname, po.name, sizeof(fname));
	ret = cli_open(cmd, spec, &dev);
	if (ret)
		goto out_free;
	ret = uringblk_prog_load_args(dev, &(struct uringblk_prog_load_args){
		.size = sizeof(struct uringblk_prog_load_args),
		.from = URINGBLK_PROG_FROM_OBJ, .obj = &po, .combine = &cb,
		.name = name, .pind = (__u32)slot,
		.log = log, .log_len = sizeof(log) });
	if (ret < 0) {
		if (log[0]) {
			const char *en = strerrorname_np(-ret);

			fprintf(stderr, "uringblk: %s %s: the drive refused the "
				"program (errno %s)\n", cli_cmd_path, spec,
				en ? en : "?");
			print_log("validator", log);
		} else {
			cli_fail_dev(dev, spec, ret);
		}
		ret = CLI_FAIL;
		goto out_close;
	}
	id = ret;
	/* where it landed: the slot it was given, or the one the drive chose */
	if (!slot && find_by_id(dev, id, &info) == 0)
		slot = info.pind;
	if (json) {
		printf("{\"id\": %d, \"pind\": %" PRIu64 ", \"name\": ", id,
		       (uint64_t)slot);
		uringblk_fprint_json_string(stdout, name ? name : fname,
					    URINGBLK_PROG_NAME_LEN);
		printf(", \"insn_cnt\": %u, \"object\": ", cnt);
		uringblk_fprint_json_string(stdout, obj, strlen(obj));
		printf("}\n");
	} else if (quiet) {
		printf("%d\n", id);
	} else {
		printf("loaded %s:%s as program %d in slot %" PRIu64 " (%s, %u insns, "
		       "inactive)\n", obj, fname, id, (uint64_t)slot,
		       name ? name : fname, cnt);
	}
	ret = CLI_OK;
out_close:
	uringblk_close(dev);
out_free:
	uringblk_prog_obj_free(&po);
	return ret;
}

static int list_run(const struct cli_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json",	no_argument,	NULL, 'j' },
		{ "help",	no_argument,	NULL, 'h' },
		{ NULL,		0,		NULL, 0 },
	};
	struct uringblk_prog_info info[URINGBLK_MAX_PROGS + URINGBLK_MAX_ACTIVE_PROGS];
	struct uringblk_dev *dev;
	const char *spec;
	bool json = false;
	int c, i, n, ret;

	while ((c = cli_getopt(cmd, argc, argv, "jh", opts)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'h':
			return CLI_OK;
		default:
			return CLI_USAGE;
		}
	}
	ret = cli_want_args(cmd, argc, 1, "DEV");
	if (ret)
		return ret;
	spec = argv[optind];
	ret = cli_open(cmd, spec, &dev);
	if (ret)
		return ret;
	n = uringblk_prog_list(dev, info, ARRAY_SIZE(info));
	uringblk_close(dev);
	if (n < 0)
		return cli_fail(spec, n);

	if (json) {
		printf("[");
		for (i = 0; i < n; i++) {
			printf("%s\n  {\"id\": %u, \"pind\": %u, \"type\": \"%s\", "
			       "\"active\": %s, \"device_defined\": %s, \"name\": ",
			       i ? "," : "", info[i].id, info[i].pind,
			       type_name(info[i].type),
			       info[i].flags & URINGBLK_PROG_INFO_F_ACTIVE ? "true" : "false",
			       info[i].flags & URINGBLK_PROG_INFO_F_DEVICE ? "true" : "false");
			uringblk_fprint_json_string(stdout, info[i].name,
						    sizeof(info[i].name));
			printf(", \"insn_cnt\": %u, \"globals_len\": %u, \"runs\": %"
			       PRIu64 ", \"engine\": \"%s\", \"bpf_id\": %u}",
			       info[i].insn_cnt, info[i].globals_len,
			       (uint64_t)info[i].runs, engine_name(info[i].type),
			       info[i].bpf_id);
		}
		printf("%s]\n", n ? "\n" : "");
		return CLI_OK;
	}
	if (!n) {
		printf("no programs loaded\n");
		return CLI_OK;
	}
	printf("%10s  %5s  %-6s  %-6s  %-6s  %-32s  %6s  %s\n", "ID", "PIND",
	       "TYPE", "ENGINE", "ACTIVE", "NAME", "INSNS", "RUNS");
	for (i = 0; i < n; i++)
		printf("%10u  %5u  %-6s  %-6s  %-6s  %-32.*s  %6u  %" PRIu64 "\n",
		       info[i].id, info[i].pind, type_name(info[i].type),
		       engine_name(info[i].type),
		       info[i].flags & URINGBLK_PROG_INFO_F_ACTIVE ? "yes" : "no",
		       (int)sizeof(info[i].name), info[i].name,
		       info[i].insn_cnt, (uint64_t)info[i].runs);
	return CLI_OK;
}

static int unload_run(const struct cli_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help",	no_argument,	NULL, 'h' },
		{ NULL,		0,		NULL, 0 },
	};
	struct uringblk_dev *dev;
	const char *spec;
	__u64 id;
	int c, ret;

	while ((c = cli_getopt(cmd, argc, argv, "h", opts)) != -1) {
		if (c == 'h')
			return CLI_OK;
		return CLI_USAGE;
	}
	ret = cli_want_args(cmd, argc, 2, "DEV or ID");
	if (ret)
		return ret;
	spec = argv[optind];
	if (cli_parse_u64(argv[optind + 1], &id) || !id || id > UINT32_MAX)
		return cli_usage_error(cmd, "'%s' is not a program id",
				       argv[optind + 1]);
	ret = cli_open(cmd, spec, &dev);
	if (ret)
		return ret;
	ret = uringblk_prog_unload(dev, (__u32)id);
	if (ret)
		cli_fail_dev(dev, spec, ret);
	uringblk_close(dev);
	return ret ? CLI_FAIL : CLI_OK;
}

/* prog activate|deactivate DEV PIND */
static int activate_run(const struct cli_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help",	no_argument,	NULL, 'h' },
		{ NULL,		0,		NULL, 0 },
	};
	const bool on = !strcmp(cmd->name, "activate");
	struct uringblk_dev *dev;
	const char *spec;
	__u64 pind;
	int c, ret;

	while ((c = cli_getopt(cmd, argc, argv, "h", opts)) != -1) {
		if (c == 'h')
			return CLI_OK;
		return CLI_USAGE;
	}
	ret = cli_want_args(cmd, argc, 2, "DEV or PIND");
	if (ret)
		return ret;
	spec = argv[optind];
	if (cli_parse_u64(argv[optind + 1], &pind) || !pind || pind > UINT32_MAX)
		return cli_usage_error(cmd, "'%s' is not a program index",
				       argv[optind + 1]);
	ret = cli_open(cmd, spec, &dev);
	if (ret)
		return ret;
	ret = uringblk_prog_activate(dev, (__u32)pind, on);
	if (ret)
		cli_fail_dev(dev, spec, ret);
	uringblk_close(dev);
	return ret ? CLI_FAIL : CLI_OK;
}

static const struct cli_cmd prog_load = {
	.name		= "load",
	.args		= "DEV OBJ [--engine interp|kernel] [--slot N] [--name N] [--section-prog P] [--json|--quiet]",
	.summary	= "Load a program from a clang-built BPF object; prints its id.",
	.help		=
	"  -e, --engine E         interp (default): a SEC(\"uringblk\") program for the\n"
	"                         drive's interpreter; kernel: a SEC(\"syscall\")\n"
	"                         program calling the drive's kfuncs, which libbpf\n"
	"                         loads into the kernel (verified, JIT-compiled)\n"
	"                         and the drive then takes by fd (bpf/kbpf/;\n"
	"                         'uringblk info' lists the engines there are)\n"
	"  -s, --slot N           program index (slot) 1..64 to load into\n"
	"                         (default: the lowest free one)\n"
	"  -n, --name N           name to store (default: the function's name),\n"
	"                         at most 32 bytes\n"
	"  -p, --section-prog P   the function to load, when OBJ has several in\n"
	"                         SEC(\"uringblk\") (SEC(\"syscall\") with --engine kernel)\n"
	"  -j, --json             print {\"id\", \"pind\", \"name\", \"insn_cnt\", \"object\"}\n"
	"  -q, --quiet            print only the id\n"
	"The functions the program calls are linked in; maps, global data,\n"
	"kfuncs and the like are refused with the reason.  Validator messages\n"
	"of the drive are printed on failure.  The program is loaded inactive\n"
	"('prog activate' for EXECUTE; exec runs it anyway).  Needs\n"
	"CAP_SYS_ADMIN.\n",
	.run		= load_run,
};

static const struct cli_cmd prog_list = {
	.name		= "list",
	.args		= "DEV [--json]",
	.summary	= "List the programs: id, slot, type, engine, active, name, instructions, runs.",
	.help		= "  -j, --json   print a JSON array\n",
	.run		= list_run,
};

static const struct cli_cmd prog_unload = {
	.name		= "unload",
	.args		= "DEV ID",
	.summary	= "Unload an inactive program with no run in flight.",
	.run		= unload_run,
};

static const struct cli_cmd prog_activate = {
	.name		= "activate",
	.args		= "DEV PIND",
	.summary	= "Activate the program in slot PIND (EXECUTE runs active ones).",
	.help		= "At most identify.max_active_progs are active, device-defined\n"
			  "programs included.  Needs CAP_SYS_ADMIN.\n",
	.run		= activate_run,
};

static const struct cli_cmd prog_deactivate = {
	.name		= "deactivate",
	.args		= "DEV PIND",
	.summary	= "Deactivate the program in slot PIND.",
	.help		= "Refused (EBUSY) while an EXECUTE runs it.  Needs CAP_SYS_ADMIN.\n",
	.run		= activate_run,
};

static const struct cli_cmd *const prog_cmds[] = {
	&prog_load,
	&prog_list,
	&prog_unload,
	&prog_activate,
	&prog_deactivate,
	NULL,
};

const struct cli_cmd cli_cmd_prog = {
	.name		= "prog",
	.args		= "load|list|unload|activate|deactivate ...",
	.summary	= "Manage the programs stored in the drive.",
	.subcmds	= prog_cmds,
};
