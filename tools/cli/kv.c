// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * uringblk kv: objects by key on a KV drive (<liburingblk/kv.h>): put,
 * get, list, exists, del through the NVMe Key Value commands, and query,
 * a query of the language (Documentation/examples/queries.md) over one
 * object's value.
 *
 * KEY is the key's bytes as written (1-16), or 0x and two hex digits a
 * byte (0x00ff: two bytes, 00 and ff), for binary keys.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define LIST_BUF	65536

struct kvkey {
	__u8	b[URINGBLK_KV_MAX_KEY];
	size_t	len;
};

static int parse_key(const struct cli_cmd *cmd, const char *s, struct kvkey *k)
{
	size_t n = strlen(s);

	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		n -= 2;
		if (n % 2 || n / 2 > URINGBLK_KV_MAX_KEY)
			return cli_usage_error(cmd, "a hex KEY is 0x and 1 to %d bytes of two hex digits each: '%s'",
					       URINGBLK_KV_MAX_KEY, s);
		for (size_t i = 0; i < n / 2; i++) {
			unsigned int v;

			if (sscanf(s + 2 + 2 * i, "%2x", &v) != 1 ||
			    !strchr("0123456789abcdefABCDEF", s[3 + 2 * i]) ||
			    !strchr("0123456789abcdefABCDEF", s[2 + 2 * i]))
				return cli_usage_error(cmd, "'%s' is not hex", s);
			k->b[i] = (__u8)v;
		}
		k->len = n / 2;
		return 0;
	}
	if (!n || n > URINGBLK_KV_MAX_KEY)
		return cli_usage_error(cmd, "a KEY is 1 to %d bytes, '%s' is %zu",
				       URINGBLK_KV_MAX_KEY, s, n);
	memcpy(k->b, s, n);
	k->len = n;
	return 0;
}

/* "uringblk: kv get KEY: KV Key Does Not Exist (0h/87h) (errno ENOENT)" */
static int kv_fail(const struct uringblk_dev *dev, const char *key, int err)
{
	__u16 st = uringblk_last_status(dev);
	const char *name = strerrorname_np(err < 0 ? -err : err);

	fprintf(stderr, "uringblk: %s %s: %s (errno %s)\n", cli_cmd_path, key,
		st ? uringblk_kv_strerror(st) : uringblk_strerror(err),
		name ? name : "?");
	return CLI_FAIL;
}

/* The options every subcommand takes, then DEV and @nargs - 1 more */
static int kv_args(const struct cli_cmd *cmd, int argc, char **argv, int nargs,
		   const char *what, struct uringblk_dev **dev, struct kvkey *k)
{
	int ret = cli_want_args(cmd, argc, nargs, what);

	if (ret)
		return ret;
	if (cli_check_dev(cmd, argv[optind]))
		return CLI_USAGE;
	if (k && parse_key(cmd, argv[optind + 1], k))
		return CLI_USAGE;
	return cli_open(cmd, argv[optind], dev);
}

static int read_all(int fd, void **data, size_t *len)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	ssize_t r;

	if (!buf)
		return -ENOMEM;
	while ((r = read(fd, buf + n, cap - n)) > 0) {
		n += (size_t)r;
		if (n == cap) {
			char *nb = realloc(buf, cap * 2);

			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
			cap *= 2;
		}
	}
	if (r < 0) {
		free(buf);
		return -errno;
	}
	*data = buf;
	*len = n;
	return 0;
}

static int run_put(const struct cli_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "value",	    required_argument, NULL, 'v' },
		{ "file",	    required_argument, NULL, 'f' },
		{ "must-exist",	    no_argument,       NULL, 'e' },
		{ "must-not-exist", no_argument,       NULL, 'n' },
		{ "help",	    no_argument,       NULL, 'h' },
		{ 0 }
	};
	const char *value = NULL, *file = NULL;
	struct uringblk_dev *dev = NULL;
	unsigned int flags = 0;
	struct kvkey k;
	void *data = NULL;
	size_t len = 0;
	int c, ret;

	while ((c = cli_getopt(cmd, argc, argv, "v:f:enh", opts)) != -1) {
		switch (c) {
		case 'v': value = optarg; break;
		case 'f': file = optarg; break;
		case 'e': flags |= URINGBLK_KV_MUST_EXIST; break;
		case 'n': flags |= URINGBLK_KV_MUST_NOT_EXIST; break;
		case 'h': return CLI_OK;
		default: return CLI_USAGE;
		}
	}
	if (value && file)
		return cli_usage_error(cmd, "--value and --file exclude each other");
	if (flags == (URINGBLK_KV_MUST_EXIST | URINGBLK_KV_MUST_NOT_EXIST))
		return cli_usage_error(cmd, "--must-exist and --must-not-exist exclude each other");
	ret = kv_args(cmd, argc, argv, 2, "DEV and KEY", &dev, &k);
	if (ret)
		return ret;
	if (value) {
		data = strdup(value);
		len = strlen(value);
		ret = data ? 0 : -ENOMEM;
	} else {
		int fd = file && strcmp(file, "-") ? open(file, O_RDONLY) : 0;

		ret = fd < 0 ? -errno : read_all(fd, &data, &len);
		if (fd > 0)
			close(fd);
		if (ret) {
			uringblk_close(dev);
			return cli_fail(file ? file : "stdin", ret);
		}
	}
	if (!ret)
		ret = uringblk_kv_put(dev, k.b, k.len, data, len, flags);
	ret = ret ? kv_fail(dev, argv[optind + 1], ret) : CLI_OK;
	free(data);
	uringblk_close(dev);
	return ret;
}

static int run_get(const struct cli_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "size",   no_argument,       NULL, 's' },
		{ "help",   no_argument,       NULL, 'h' },
		{ 0 }
	};
	const char *out = NULL;
	struct uringblk_dev *dev = NULL;
	bool size_only = false;
	struct kvkey k;
	void *val = NULL;
	size_t len = 0;
	int c, ret, fd = 1;

	while ((c = cli_getopt(cmd, argc, argv, "o:sh", opts)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 's': size_only = true; break;
		case 'h': return CLI_OK;
		default: return CLI_USAGE;
		}
	}
	ret = kv_args(cmd, argc, argv, 2, "DEV and KEY", &dev, &k);
	if (ret)
		return ret;
	if (size_only)
		ret = uringblk_kv_get(dev, k.b, k.len, NULL, 0, &len);
	else
		ret = uringblk_kv_get_alloc(dev, k.b, k.len, &val, &len);
	if (ret) {
		ret = kv_fail(dev, argv[optind + 1], ret);
		goto out;
	}
	if (size_only) {
		printf("%zu\n", len);
		goto out;
	}
	if (out) {
		fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0) {
			ret = cli_fail(out, -errno);
			goto out;
		}
	}
	for (size_t off = 0; off < len;) {
		ssize_t n = write(fd, (char *)val + off, len - off);

		if (n < 0) {
			ret = cli_fail(out ? out : "stdout", -errno);
			break;
		}
		off += (size_t)n;
	}
	if (out)
		close(fd);
out:
	free(val);
	uringblk_close(dev);
	return ret;
}

/* a key as the CLI takes it back: text if printable, else 0x hex */
static void print_key(const __u8 *b, size_t n)
{
	bool text = true;

	for (size_t i = 0; i < n; i++)
		if (b[i] < 0x21 || b[i] > 0x7e)
			text = false;
	if (text && !(n > 2 && b[0] == '0' && (b[1] == 'x' || b[1] == 'X'))) {
		printf("%.*s\n", (int)n, (const char *)b);
		return;
	}
	printf("0x");
	for (size_t i = 0; i < n; i++)
		printf("%02x", b[i]);
	printf("\n");
}

static int run_list(const struct cli_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "help", no_argument,       NULL, 'h' },
		{ 0 }
	};
	struct uringblk_dev *dev = NULL;
	struct kvkey from = { .len = 0 };
	const char *fromarg = NULL;
	__u8 *buf = malloc(LIST_BUF);
	bool first = true;
	int c, ret;

	if (!buf)
		return cli_fail("list", -ENOMEM);
	while ((c = cli_getopt(cmd, argc, argv, "f:h", opts)) != -1) {
		switch (c) {
		case 'f': fromarg = optarg; break;
		case 'h': free(buf); return CLI_OK;
		default: free(buf); return CLI_USAGE;
		}
	}
	if (fromarg && parse_key(cmd, fromarg, &from)) {
		free(buf);
		return CLI_USAGE;
	}
	ret = kv_args(cmd, argc, argv, 1, "DEV", &dev, NULL);
	if (ret) {
		free(buf);
		return ret;
	}
	/*
	 * A buffer at a time: the next List starts at the last key returned,
	 * which it returns again first (skipped).
	 */
	for (;;) {
		struct kvkey last = { .len = 0 };
		unsigned int n = 0, got = 0;
		size_t off = 4;
		__u8 key[URINGBLK_KV_MAX_KEY];
		size_t klen;
		int r;

		ret = uringblk_kv_list(dev, from.b, from.len, buf, LIST_BUF, &n);
		if (ret) {
			ret = kv_fail(dev, "list", ret);
			break;
		}
		while ((r = uringblk_kv_list_next(buf, LIST_BUF, &off, key, &klen)) == 1) {
			got++;
			if (!first && got == 1 && klen == from.len &&
			    !memcmp(key, from.b, klen))
				continue;
			print_key(key, klen);
			memcpy(last.b, key, klen);
			last.len = klen;
		}
		if (r < 0) {
			ret = cli_fail("list data", r);
			break;
		}
		ret = CLI_OK;
		if (!last.len || got < n || !n)
			break;
		from = last;
		first = false;
		if (got == 1)
			break;	/* only the key we started at: the end */
	}
	free(buf);
	uringblk_close(dev);
	return ret;
}

static const struct option help_only[] = {
	{ "help", no_argument, NULL, 'h' },
	{ 0 }
};

static int run_exists(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct uringblk_dev *dev = NULL;
	struct kvkey k;
	int c, ret;

	while ((c = cli_getopt(cmd, argc, argv, "h", help_only)) != -1)
		return c == 'h' ? CLI_OK : CLI_USAGE;
	ret = kv_args(cmd, argc, argv, 2, "DEV and KEY", &dev, &k);
	if (ret)
		return ret;
	ret = uringblk_kv_exists(dev, k.b, k.len);
	if (ret < 0) {
		ret = kv_fail(dev, argv[optind + 1], ret);
	} else {
		printf("%s\n", ret ? "yes" : "no");
		ret = ret ? CLI_OK : CLI_FAIL;
	}
	uringblk_close(dev);
	return ret;
}

static int run_del(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct uringblk_dev *dev = NULL;
	struct kvkey k;
	int c, ret;

	while ((c = cli_getopt(cmd, argc, argv, "h", help_only)) != -1)
		return c == 'h' ? CLI_OK : CLI_USAGE;
	ret = kv_args(cmd, argc, argv, 2, "DEV and KEY", &dev, &k);
	if (ret)
		return ret;
	ret = uringblk_kv_del(dev, k.b, k.len);
	ret = ret ? kv_fail(dev, argv[optind + 1], ret) : CLI_OK;
	uringblk_close(dev);
	return ret;
}

/* kv query: the host path; the drive's is kv_select.c's (Send Select) */
int cli_kv_query(const struct cli_cmd *cmd, int argc, char **argv);

static const struct cli_cmd kv_put = {
	.name		= "put",
	.args		= "DEV KEY [--value TEXT | --file FILE|-] [--must-exist | --must-not-exist]",
	.summary	= "Store a value under KEY (Store 01h): --value's text, "
			  "FILE's bytes, or stdin's.",
	.help		=
	"  KEY                    1-16 bytes as written, or 0x and hex digits\n"
	"                         (0x00ff is two bytes) for binary keys\n"
	"  -v, --value TEXT       the value is TEXT (no newline added)\n"
	"  -f, --file FILE        the value is FILE's bytes (-: stdin, the default)\n"
	"  -e, --must-exist       replace only: fail with KV Key Does Not Exist\n"
	"  -n, --must-not-exist   create only: fail with KV Key Exists\n",
	.run		= run_put,
};

static const struct cli_cmd kv_get = {
	.name		= "get",
	.args		= "DEV KEY [--output FILE] [--size]",
	.summary	= "Print KEY's value (Retrieve 02h).",
	.help		=
	"  -o, --output FILE      write the value to FILE instead of stdout\n"
	"  -s, --size             print only the value's size in bytes\n",
	.run		= run_get,
};

static const struct cli_cmd kv_list = {
	.name		= "list",
	.args		= "DEV [--from KEY]",
	.summary	= "Print the keys, one a line, in byte order (List 06h); "
			  "keys that are not printable text as 0x hex.",
	.help		= "  -f, --from KEY         start at KEY (itself included)\n",
	.run		= run_list,
};

static const struct cli_cmd kv_exists = {
	.name		= "exists",
	.args		= "DEV KEY",
	.summary	= "Print yes (exit 0) or no (exit 1): does KEY exist (Exist 14h).",
	.run		= run_exists,
};

static const struct cli_cmd kv_del = {
	.name		= "del",
	.args		= "DEV KEY",
	.summary	= "Delete KEY (Delete 10h).",
	.run		= run_del,
};

static const struct cli_cmd kv_query = {
	.name		= "query",
	.args		= "DEV KEY 'QUERY' [--header] [--sep C] [--host|--check] [--stats]",
	.summary	= "Run a query (uringblk query's language; FROM json for "
			  "JSON Lines) over KEY's value.",
	.help		=
	"  -H, --header           the value's first line is a CSV header\n"
	"  -s, --sep C            CSV field separator (default ',')\n"
	"  -o, --host             retrieve the value and run the query on the host\n"
	"  -c, --check            run both; fail if they differ\n"
	"  -S, --stats            bytes the drive sent the host, on stderr\n",
	.run		= cli_kv_query,
};

static const struct cli_cmd *const kv_cmds[] = {
	&kv_put,
	&kv_get,
	&kv_list,
	&kv_exists,
	&kv_del,
	&kv_query,
	NULL,
};

const struct cli_cmd cli_cmd_kv = {
	.name		= "kv",
	.args		= "SUBCOMMAND ...",
	.summary	= "Objects by key on a KV drive (the NVMe Key Value commands).",
	.subcmds	= kv_cmds,
};
