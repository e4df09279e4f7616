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
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "kv.h"
#include "progress.h"

#define LIST_BUF	65536

/* KEY into @k: 0, or -EINVAL and why in @why */
static int key_from(const char *s, struct cli_kv_key *k, char *why,
		    size_t whylen)
{
	size_t n = strlen(s);

	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		n -= 2;
		if (n % 2 || n / 2 > URINGBLK_KV_MAX_KEY) {
			snprintf(why, whylen, "a hex KEY is 0x and 1 to %d bytes of two hex digits each: '%s'",
				 URINGBLK_KV_MAX_KEY, s);
			return -EINVAL;
		}
		if (strspn(s + 2, "0123456789abcdefABCDEF") != n) {
			snprintf(why, whylen, "'%s' is not hex", s);
			return -EINVAL;
		}
		for (size_t i = 0; i < n / 2; i++) {
			unsigned int v;

			sscanf(s + 2 + 2 * i, "%2x", &v);
			k->b[i] = (__u8)v;
		}
		k->len = n / 2;
		return 0;
	}
	if (!n || n > URINGBLK_KV_MAX_KEY) {
		snprintf(why, whylen, "a KEY is 1 to %d bytes, '%s' is %zu",
			 URINGBLK_KV_MAX_KEY, s, n);
		return -EINVAL;
	}
	memcpy(k->b, s, n);
	k->len = n;
	return 0;
}

int cli_kv_parse_key(const struct cli_cmd *cmd, const char *s,
		     struct cli_kv_key *k)
{
	char why[128];

	if (key_from(s, k, why, sizeof(why)))
		return cli_usage_error(cmd, "%s", why);
	return 0;
}

int cli_kv_fail(const struct uringblk_dev *dev, const char *what, int err,
		const char *msg)
{
	__u16 st = uringblk_last_status(dev);
	const char *name = strerrorname_np(err < 0 ? -err : err);

	/* refused by the library before anything was sent (<liburingblk/kv.h>) */
	if (err == -EOPNOTSUPP && !st && !(msg && msg[0]))
		msg = "not a KV drive: its NSID 1 is not a Key Value namespace (make one with --set kv=1)";

	fprintf(stderr, "uringblk: %s %s: %s (errno %s)\n", cli_cmd_path, what,
		msg && msg[0] ? msg : st ? uringblk_kv_strerror(st) :
		uringblk_strerror(err), name ? name : "?");
	return CLI_FAIL;
}

int cli_kv_open(const struct cli_cmd *cmd, int argc, char **argv, int nargs,
		const char *what, struct uringblk_dev **dev,
		struct cli_kv_key *k)
{
	int ret = cli_want_args(cmd, argc, nargs, what);

	if (ret)
		return ret;
	if (cli_check_dev(cmd, argv[optind]))
		return CLI_USAGE;
	if (k && cli_kv_parse_key(cmd, argv[optind + 1], k))
		return CLI_USAGE;
	return cli_open(cmd, argv[optind], dev);
}

/*
 * An operation on the open drive (and KEY): a negative errno, reported
 * with the drive's status, or a CLI_* exit code.
 */
typedef int kv_op_fn(struct uringblk_dev *dev, const struct cli_kv_key *k,
		     void *arg);

/*
 * The steps every subcommand but query takes after its options: DEV (and
 * KEY with @key) checked, the drive opened, @op run, its failure reported
 * under KEY (or the subcommand's name), the drive closed.
 */
static int kv_run(const struct cli_cmd *cmd, int argc, char **argv, bool key,
		  kv_op_fn *op, void *arg)
{
	struct uringblk_dev *dev = NULL;
	struct cli_kv_key k;
	int ret = cli_kv_open(cmd, argc, argv, key ? 2 : 1,
			      key ? "DEV and KEY" : "DEV", &dev, key ? &k : NULL);

	if (ret)
		return ret;
	ret = op(dev, key ? &k : NULL, arg);
	if (ret < 0)
		ret = cli_kv_fail(dev, key ? argv[optind + 1] : cmd->name, ret, NULL);
	uringblk_close(dev);
	return ret;
}

/* "uringblk: kv put FILE: No such file or directory (errno ENOENT)"; CLI_FAIL */
static int input_fail(const char *path, int err)
{
	const char *name = strerrorname_np(-err);

	fprintf(stderr, "uringblk: %s %s: %s (errno %s)\n", cli_cmd_path, path,
		strerror(-err), name ? name : "?");
	return CLI_FAIL;
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

struct put_args {
	const char	*value, *file;
	unsigned int	flags;
};

/* The value (--value, --file or stdin), then Store */
static int put_op(struct uringblk_dev *dev, const struct cli_kv_key *k, void *arg)
{
	const struct put_args *a = arg;
	void *data = NULL;
	size_t len = 0;
	int ret;

	if (a->value) {
		data = strdup(a->value);
		len = strlen(a->value);
		ret = data ? 0 : -ENOMEM;
	} else {
		int fd = a->file && strcmp(a->file, "-") ? open(a->file, O_RDONLY) : 0;

		ret = fd < 0 ? -errno : read_all(fd, &data, &len);
		if (fd > 0)
			close(fd);
		if (ret)
			return input_fail(a->file ? a->file : "stdin", ret);
	}
	if (!ret)
		ret = uringblk_kv_put(dev, k->b, k->len, data, len, a->flags);
	free(data);
	return ret;
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
	struct put_args a = { 0 };
	int c;

	while ((c = cli_getopt(cmd, argc, argv, "v:f:enh", opts)) != -1) {
		switch (c) {
		case 'v': a.value = optarg; break;
		case 'f': a.file = optarg; break;
		case 'e': a.flags |= URINGBLK_KV_MUST_EXIST; break;
		case 'n': a.flags |= URINGBLK_KV_MUST_NOT_EXIST; break;
		case 'h': return CLI_OK;
		default: return CLI_USAGE;
		}
	}
	if (a.value && a.file)
		return cli_usage_error(cmd, "--value and --file exclude each other");
	if (a.flags == (URINGBLK_KV_MUST_EXIST | URINGBLK_KV_MUST_NOT_EXIST))
		return cli_usage_error(cmd, "--must-exist and --must-not-exist exclude each other");
	return kv_run(cmd, argc, argv, true, put_op, &a);
}

struct get_args {
	const char	*out;
	bool		size_only;
};

/* Retrieve, then the value (or its size) to stdout or --output's file */
static int get_op(struct uringblk_dev *dev, const struct cli_kv_key *k, void *arg)
{
	const struct get_args *a = arg;
	void *val = NULL;
	size_t len = 0;
	int ret, fd = 1;

	if (a->size_only)
		ret = uringblk_kv_get(dev, k->b, k->len, NULL, 0, &len);
	else
		ret = uringblk_kv_get_alloc(dev, k->b, k->len, &val, &len);
	if (ret)
		return ret;
	if (a->size_only) {
		printf("%zu\n", len);
		return CLI_OK;
	}
	if (a->out) {
		fd = open(a->out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0) {
			ret = cli_fail(a->out, -errno);
			goto out;
		}
	}
	for (size_t off = 0; off < len;) {
		ssize_t n = write(fd, (char *)val + off, len - off);

		if (n < 0) {
			ret = cli_fail(a->out ? a->out : "stdout", -errno);
			break;
		}
		off += (size_t)n;
	}
	if (a->out)
		close(fd);
out:
	free(val);
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
	struct get_args a = { 0 };
	int c;

	while ((c = cli_getopt(cmd, argc, argv, "o:sh", opts)) != -1) {
		switch (c) {
		case 'o': a.out = optarg; break;
		case 's': a.size_only = true; break;
		case 'h': return CLI_OK;
		default: return CLI_USAGE;
		}
	}
	return kv_run(cmd, argc, argv, true, get_op, &a);
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

/*
 * List from @arg's key (itself included), a buffer at a time: the next
 * List starts at the last key returned, which it returns again first
 * (skipped).
 */
static int list_op(struct uringblk_dev *dev, const struct cli_kv_key *unused,
		   void *arg)
{
	struct cli_kv_key from = *(const struct cli_kv_key *)arg;
	__u8 *buf = malloc(LIST_BUF);
	bool first = true;
	int ret;

	(void)unused;	/* list takes no KEY */
	if (!buf)
		return cli_fail("list", -ENOMEM);
	for (;;) {
		struct cli_kv_key last = { .len = 0 };
		unsigned int n = 0, got = 0;
		size_t off = 4;
		__u8 key[URINGBLK_KV_MAX_KEY];
		size_t klen;
		int r;

		ret = uringblk_kv_list(dev, from.b, from.len, buf, LIST_BUF, &n);
		if (ret)
			break;
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
	return ret;
}

static int run_list(const struct cli_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "help", no_argument,       NULL, 'h' },
		{ 0 }
	};
	struct cli_kv_key from = { .len = 0 };
	const char *fromarg = NULL;
	int c;

	while ((c = cli_getopt(cmd, argc, argv, "f:h", opts)) != -1) {
		switch (c) {
		case 'f': fromarg = optarg; break;
		case 'h': return CLI_OK;
		default: return CLI_USAGE;
		}
	}
	if (fromarg && cli_kv_parse_key(cmd, fromarg, &from))
		return CLI_USAGE;
	return kv_run(cmd, argc, argv, false, list_op, &from);
}

static const struct option help_only[] = {
	{ "help", no_argument, NULL, 'h' },
	{ 0 }
};

/* yes (CLI_OK) or no (CLI_FAIL) */
static int exists_op(struct uringblk_dev *dev, const struct cli_kv_key *k,
		     void *unused)
{
	int ret = uringblk_kv_exists(dev, k->b, k->len);

	(void)unused;
	if (ret < 0)
		return ret;
	printf("%s\n", ret ? "yes" : "no");
	return ret ? CLI_OK : CLI_FAIL;
}

static int run_exists(const struct cli_cmd *cmd, int argc, char **argv)
{
	int c;

	while ((c = cli_getopt(cmd, argc, argv, "h", help_only)) != -1)
		return c == 'h' ? CLI_OK : CLI_USAGE;
	return kv_run(cmd, argc, argv, true, exists_op, NULL);
}

static int del_op(struct uringblk_dev *dev, const struct cli_kv_key *k,
		  void *unused)
{
	(void)unused;
	return uringblk_kv_del(dev, k->b, k->len);
}

static int run_del(const struct cli_cmd *cmd, int argc, char **argv)
{
	int c;

	while ((c = cli_getopt(cmd, argc, argv, "h", help_only)) != -1)
		return c == 'h' ? CLI_OK : CLI_USAGE;
	return kv_run(cmd, argc, argv, true, del_op, NULL);
}

/* kv query: the host path; the drive's is kv_select.c's (Send Select) */
/*
 * kv load: one Store a line of FILE (or stdin), "KEY<sep>VALUE", the value
 * being the rest of the line without its newline.  A line longer than
 * this is refused rather than read into memory: such a value goes through
 * kv put --file.
 */
#define LOAD_MAX_LINE	(16U << 20)

/*
 * The next line of @f into *@buf (NUL-terminated, without the newline):
 * its length, -1 at the end of the input, -EFBIG over LOAD_MAX_LINE bytes,
 * -ENOMEM, or -errno of a read error.  *@eaten counts the bytes consumed.
 */
static ssize_t load_line(FILE *f, char **buf, size_t *cap, uint64_t *eaten)
{
	size_t n = 0;
	int c;

	while ((c = getc_unlocked(f)) != EOF) {
		++*eaten;
		if (c == '\n')
			break;
		if (n == LOAD_MAX_LINE)
			return -EFBIG;
		if (n + 1 >= *cap) {
			size_t nc = *cap ? *cap * 2 : 4096;
			char *nb = realloc(*buf, nc);

			if (!nb)
				return -ENOMEM;
			*buf = nb;
			*cap = nc;
		}
		(*buf)[n++] = (char)c;
	}
	if (ferror(f))
		return -errno;
	if (c == EOF && !n)
		return -1;
	if (!*buf && !(*buf = malloc(*cap = 1)))
		return -ENOMEM;
	(*buf)[n] = '\0';
	return (ssize_t)n;
}

static int run_load(const struct cli_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "sep",	    required_argument, NULL, 's' },
		{ "must-exist",	    no_argument,       NULL, 'e' },
		{ "must-not-exist", no_argument,       NULL, 'n' },
		{ "help",	    no_argument,       NULL, 'h' },
		{ 0 }
	};
	const char *file = NULL, *name;	/* file NULL or "-": stdin */
	unsigned int flags = 0;
	char sep = '\t';
	struct uringblk_dev *dev = NULL;
	struct cli_progress pg;
	uint64_t eaten = 0, lineno = 0, stored = 0, bytes = 0;
	char *line = NULL, what[96], why[160];
	bool drive = false;	/* the drive refused a Store */
	size_t cap = 0;
	struct stat st;
	FILE *f;
	int c, ret;

	while ((c = cli_getopt(cmd, argc, argv, "s:enh", opts)) != -1) {
		switch (c) {
		case 's':
			if (strlen(optarg) != 1 || optarg[0] == '\n')
				return cli_usage_error(cmd, "--sep is one character (not a newline): '%s'", optarg);
			sep = optarg[0];
			break;
		case 'e': flags |= URINGBLK_KV_MUST_EXIST; break;
		case 'n': flags |= URINGBLK_KV_MUST_NOT_EXIST; break;
		case 'h': return CLI_OK;
		default: return CLI_USAGE;
		}
	}
	if (flags == (URINGBLK_KV_MUST_EXIST | URINGBLK_KV_MUST_NOT_EXIST))
		return cli_usage_error(cmd, "--must-exist and --must-not-exist exclude each other");
	if (argc - optind == 2)
		file = argv[optind + 1];
	else if (argc - optind != 1)
		return cli_usage_error(cmd, "wants DEV and at most one FILE");
	if (file && !strcmp(file, "-"))
		file = NULL;
	name = file ? file : "stdin";
	f = file ? fopen(file, "r") : stdin;
	if (!f)
		return input_fail(file, -errno);
	/* DEV alone (FILE, if any, was taken above) */
	ret = cli_kv_open(cmd, optind + 1, argv, 1, "DEV", &dev, NULL);
	if (ret) {
		if (f != stdin)
			fclose(f);
		return ret;
	}

	snprintf(what, sizeof(what), "%s from %s", cli_cmd_path, name);
	cli_progress_start(&pg, what,
			   !fstat(fileno(f), &st) && S_ISREG(st.st_mode) ?
			   (uint64_t)st.st_size : 0);
	for (;;) {
		struct cli_kv_key k;
		ssize_t n = load_line(f, &line, &cap, &eaten);
		size_t vlen;
		char *v;

		if (n == -1)
			break;
		lineno++;
		if (n < 0) {
			ret = (int)n;
			if (n == -EFBIG)
				snprintf(why, sizeof(why), "longer than %u MiB (kv put --file stores big values)",
					 LOAD_MAX_LINE >> 20);
			else
				snprintf(why, sizeof(why), "%s", strerror((int)-n));
			break;
		}
		if (!n)
			continue;	/* an empty line */
		v = memchr(line, sep, (size_t)n);
		if (!v) {
			ret = -EINVAL;
			snprintf(why, sizeof(why), "no separator (%s) between the key and the value",
				 sep == '\t' ? "a tab" : "--sep's");
			break;
		}
		if (memchr(line, '\0', (size_t)(v - line))) {
			ret = -EINVAL;
			snprintf(why, sizeof(why), "a NUL byte in the key (0x and hex digits write any bytes)");
			break;
		}
		*v++ = '\0';
		vlen = (size_t)(line + n - v);
		ret = key_from(line, &k, why, sizeof(why));
		if (ret)
			break;
		ret = uringblk_kv_put(dev, k.b, k.len, v, vlen, flags);
		if (ret) {
			drive = true;
			break;
		}
		stored++;
		bytes += vlen;
		cli_progress_update(&pg, eaten);
	}
	cli_progress_end(&pg);
	if (!ret) {
		printf("%" PRIu64 " key%s stored, %" PRIu64 " bytes of values\n",
		       stored, stored == 1 ? "" : "s", bytes);
	} else {
		char where[PATH_MAX + 64];

		snprintf(where, sizeof(where), "%s:%" PRIu64, name, lineno);
		if (drive) {
			/* "kv load FILE:3 key 'b': Key Exists (0h/89h) (errno EEXIST)" */
			snprintf(where + strlen(where), sizeof(where) - strlen(where),
				 " key '%s'", line);
			ret = cli_kv_fail(dev, where, ret, NULL);
		} else {
			fprintf(stderr, "uringblk: %s %s: %s\n", cli_cmd_path, where, why);
			ret = CLI_FAIL;
		}
		fprintf(stderr, "uringblk: %s: %" PRIu64 " key%s stored before line %" PRIu64 "\n",
			cli_cmd_path, stored, stored == 1 ? "" : "s", lineno);
	}
	free(line);
	if (f != stdin)
		fclose(f);
	uringblk_close(dev);
	return ret;
}

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

static const struct cli_cmd kv_load = {
	.name		= "load",
	.args		= "DEV [FILE|-] [--sep C] [--must-exist | --must-not-exist]",
	.summary	= "Store many values (Store 01h), one a line of FILE or "
			  "stdin: KEY, a tab, the value.",
	.help		=
	"  FILE                   lines of KEY<tab>VALUE (-: stdin, the default);\n"
	"                         VALUE is the rest of the line without its newline\n"
	"                         (a \\r stays in it), KEY as for put; empty lines\n"
	"                         are skipped; a line is at most 16 MiB\n"
	"  -s, --sep C            the separator instead of a tab\n"
	"  -e, --must-exist       replace only: stop at a key that does not exist\n"
	"  -n, --must-not-exist   create only: stop at a key that exists\n"
	"Stores in file order (a repeated key: its last value wins) and stops at\n"
	"the first line that fails, naming it and how many keys were stored\n"
	"before it.  Prints 'N keys stored, B bytes of values'.  On a terminal,\n"
	"a progress line (of FILE's size; bytes read so far from a pipe).\n",
	.run		= run_load,
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
	"  -H, --header           the value's first line is a CSV header (as FROM\n"
	"                         csv(header) in the query: either names fields)\n"
	"  -s, --sep C            CSV field separator (default ',')\n"
	"  -o, --host             retrieve the value and run the query on the host\n"
	"  -c, --check            run both; fail if they differ\n"
	"  -S, --stats            bytes the drive sent the host, on stderr\n",
	.run		= cli_kv_query,
};

static const struct cli_cmd *const kv_cmds[] = {
	&kv_put,
	&kv_load,
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
