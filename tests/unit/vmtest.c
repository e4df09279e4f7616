// SPDX-License-Identifier: GPL-2.0
/*
 * Runs program VM test vectors (*.t files).  Format, one section per
 * "-- name" line (ubpf style):
 *
 *   -- asm        the program (see asm.c)
 *   -- config     key=value lines: budget, out_len, chunk (window size;
 *                 default: every test runs with windows of 0 (= whole),
 *                 1, 7 and 4096 bytes and must give the same result),
 *                 repeat (data repeated N times), args=a,b,c,d, lba_start,
 *                 block_size, fail_at (map of offsets >= N fails -EIO),
 *                 stop_after (resched returns -EINTR on call N),
 *                 resched_every, pad (N "mov r0, 0" before the program)
 *   -- data       device range as hex bytes
 *   -- data-text  device range as text, every line ending in "\n"
 *   -- result     expected r0
 *   -- error      expected abort: ERRNO [at PC]
 *   -- reject     expected validator message (exact); optional 2nd line
 *                 ERRNO.  With -- result or -- error as well, the
 *                 program then runs anyway: the interpreter's own
 *                 defence for what the validator refuses
 *   -- out        expected output (result.out_used bytes), hex
 *   -- out-text   same, as text (without the section's final newline)
 *   -- rodata     the program's .rodata (globals region, read-only), hex
 *   -- gdata      its .data (writable, reset every run), hex; config
 *                 bss=N adds N zeroed bytes after it (rodata_len is
 *                 rounded up to 8 here as the loader does: the region
 *                 starts at URINGBLK_PROG_GLOBAL_ADDR, .data at
 *                 GLOBAL_ADDR + rodata_len)
 *   -- mem        the mem region (EXECUTE's range set window), hex; it
 *                 is reset to this before every run
 *   -- mem-after  expected mem region after the run, hex
 *   -- stats      key=value: scanned, emitted, insns, used, work.  insns
 *                 leaves out the map calls' cost (maps * URINGBLK_PROG_MAP_COST),
 *                 the one part of a charge that depends on the windows
 *
 * Every run is also made twice with yields and must give the same result
 * (yieldcheck.h).
 *
 * Prints "vmtest: N checks passed, N failed; ..." ("vmtest-switch" built
 * with URINGBLK_PROG_NO_GOTO) and exits 1 on any failure.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "asm.h"
#include "yieldcheck.h"

#define MAX_SECTIONS	20

/* The name this build reports its counts under: one per dispatcher. */
#ifdef URINGBLK_PROG_NO_GOTO
#define VMTEST_NAME	"vmtest-switch"
#else
#define VMTEST_NAME	"vmtest"
#endif

struct section {
	char name[32];
	char *body;
};

struct test {
	const char *path;
	struct section sec[MAX_SECTIONS];
	int nsec;
};

static int passed, failed;
static struct uringblk_prog_state state;

static const struct { const char *name; int err; } errnos[] = {
	{ "ETIME", ETIME }, { "EFAULT", EFAULT }, { "ERANGE", ERANGE },
	{ "EINVAL", EINVAL }, { "ELOOP", ELOOP }, { "EIO", EIO },
	{ "EINTR", EINTR }, { "E2BIG", E2BIG }, { "EOPNOTSUPP", EOPNOTSUPP },
	{ "ENOSPC", ENOSPC }, { "ENOENT", ENOENT },
};

static int errno_of(const char *s)
{
	for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (!strcmp(errnos[i].name, s))
			return errnos[i].err;
	return 0;
}

static const char *errname(int e)
{
	for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (errnos[i].err == e)
			return errnos[i].name;
	return e ? "E?" : "0";
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc(n + 1);
	if (fread(buf, 1, n, f) != (size_t)n)
		n = 0;
	buf[n] = 0;
	fclose(f);
	return buf;
}

static void parse_sections(struct test *t, char *text)
{
	char *p = text, *eol, *next;

	t->nsec = 0;
	while (*p) {
		eol = strchr(p, '\n');
		next = eol ? eol + 1 : p + strlen(p);
		if (!strncmp(p, "-- ", 3) && t->nsec < MAX_SECTIONS) {
			struct section *s = &t->sec[t->nsec++];
			int n = (int)((eol ? eol : next) - p - 3);

			snprintf(s->name, sizeof(s->name), "%.*s", n, p + 3);
			s->body = next;
			*p = 0;		/* ends the previous section's body */
		}
		p = next;
	}
}

static const char *section(struct test *t, const char *name)
{
	for (int i = 0; i < t->nsec; i++)
		if (!strcmp(t->sec[i].name, name))
			return t->sec[i].body;
	return NULL;
}

static size_t parse_hex(const char *s, u8 *out, size_t max)
{
	size_t n = 0;
	unsigned int b;
	int used;

	while (n < max && sscanf(s, " %2x%n", &b, &used) == 1) {
		out[n++] = (u8)b;
		s += used;
	}
	return n;
}

/* Text as written; @chomp drops the final newline (for -- out-text). */
static size_t parse_text(const char *s, u8 *out, size_t max, bool chomp)
{
	size_t n = strlen(s);

	if (chomp && n && s[n - 1] == '\n')
		n--;
	if (n > max)
		n = max;
	memcpy(out, s, n);
	return n;
}

static bool config(struct test *t, const char *key, u64 *v)
{
	const char *c = section(t, "config"), *p;
	size_t kl = strlen(key);

	for (p = c; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : "") {
		while (*p == ' ')
			p++;
		if (!strncmp(p, key, kl) && p[kl] == '=') {
			*v = strtoull(p + kl + 1, NULL, 0);
			return true;
		}
	}
	return false;
}

static void args_config(struct test *t, u64 *args)
{
	const char *c = section(t, "config"), *p;

	p = c ? strstr(c, "args=") : NULL;
	if (!p)
		return;
	p += 5;
	for (int i = 0; i < 4 && *p && *p != '\n'; i++) {
		char *end;

		args[i] = strtoull(p, &end, 0);
		p = *end == ',' ? end + 1 : end;
	}
}

static int fail(struct test *t, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "FAIL %s: ", t->path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

static int check_stats(struct test *t, const struct uringblk_prog_result *r,
		       const struct memenv *m)
{
	static const char *keys[] = { "scanned", "emitted", "insns", "used",
				      "work" };
	const char *s = section(t, "stats");
	u64 got[5] = { r->bytes_scanned, r->bytes_emitted,
		       r->insns - (u64)m->maps * URINGBLK_PROG_MAP_COST,
		       r->out_used,
		       state.work - (u64)m->maps * URINGBLK_PROG_MAP_COST *
				    URINGBLK_PROG_MAX_WORK_PER_UNIT };

	/* every run, whatever it is: the work bound of prog_vm.h */
	if (state.work > URINGBLK_PROG_MAX_WORK_PER_UNIT * r->insns +
			 URINGBLK_PROG_WORK_SLACK)
		return fail(t, "work %llu > %d * insns %llu + %d",
			    (unsigned long long)state.work,
			    URINGBLK_PROG_MAX_WORK_PER_UNIT,
			    (unsigned long long)r->insns,
			    URINGBLK_PROG_WORK_SLACK);
	for (int i = 0; s && i < 5; i++) {
		const char *p = strstr(s, keys[i]);
		u64 want;

		if (!p || p[strlen(keys[i])] != '=')
			continue;
		want = strtoull(p + strlen(keys[i]) + 1, NULL, 0);
		if (want != got[i])
			return fail(t, "%s = %llu, expected %llu", keys[i],
				    (unsigned long long)got[i],
				    (unsigned long long)want);
	}
	return 0;
}

/*
 * With VMTEST_SEED_DIR set, write every program as a raw-mode input of
 * the fuzzer (tests/fuzz: byte 0x80, then the slots): its seed corpus.
 */
static void dump_seed(struct test *t, const struct bpf_insn *prog, int len)
{
	const char *dir = getenv("VMTEST_SEED_DIR"), *base;
	char path[4096];
	u8 mode = 0x80 | 0x2;	/* raw, out_len 256 */
	FILE *f;

	if (!dir)
		return;
	base = strrchr(t->path, '/');
	snprintf(path, sizeof(path), "%s/%s", dir, base ? base + 1 : t->path);
	f = fopen(path, "w");
	if (!f)
		return;
	fwrite(&mode, 1, 1, f);
	fwrite(prog, sizeof(*prog), len, f);
	fclose(f);
}

/*
 * The globals and mem regions of -- rodata, -- gdata, config bss and
 * -- mem.  The writable globals are left dirty on purpose (0xa5) before
 * every run: the VM must reset them.
 */
static int regions_config(struct test *t, struct uringblk_prog_env *env)
{
	static u8 rodata[1 << 16], data[1 << 12], rw[1 << 13], mem[1 << 16]
		__attribute__((aligned(8)));
	const char *s;
	size_t ro = 0, dl = 0;
	u64 bss = 0;

	if ((s = section(t, "rodata")))
		ro = (parse_hex(s, rodata, sizeof(rodata)) + 7) & ~(size_t)7;
	if ((s = section(t, "gdata")))
		dl = parse_hex(s, data, sizeof(data));
	config(t, "bss", &bss);
	if (dl + bss > sizeof(rw))
		return fail(t, "gdata + bss larger than %zu", sizeof(rw));
	if (ro) {
		env->rodata = rodata;
		env->rodata_len = (u32)ro;
	}
	if (dl + bss) {
		memset(rw, 0xa5, sizeof(rw));
		env->data = data;
		env->data_len = (u32)dl;
		env->globals_rw = rw;
		env->rw_len = (u32)(dl + bss);
	}
	if ((s = section(t, "mem"))) {
		env->mem = mem;
		env->mem_len = parse_hex(s, mem, sizeof(mem));
	}
	return 0;
}

static int run_once(struct test *t, const struct bpf_insn *prog, int len,
		    const u8 *data, size_t dlen, u64 chunk)
{
	static u8 out[1 << 16], want[1 << 16];
	struct uringblk_prog_result r;
	struct uringblk_prog_env env;
	struct memenv m;
	const char *s, *why;
	u64 v, budget = 1000000, out_len = 256;
	size_t wlen;
	int err;

	config(t, "budget", &budget);
	config(t, "out_len", &out_len);
	memset(out, 0xee, sizeof(out));
	memenv_init(&m, &env, data, dlen, out, (u32)out_len, budget);
	m.chunk = chunk;
	if (config(t, "fail_at", &v))
		m.fail_at = v;
	if (config(t, "stop_after", &v))
		m.stop_after = (int)v;
	if (config(t, "resched_every", &v))
		env.resched_every = (u32)v;
	if (config(t, "lba_start", &v))
		env.ctx.lba_start = v;
	if (config(t, "block_size", &v)) {
		env.ctx.block_size = (u32)v;
		env.ctx.lba_count = dlen / v;
	}
	args_config(t, env.ctx.args);
	if (regions_config(t, &env))
		return -1;

	err = yield_check_run(&state, prog, &env, &m, &r, &why);
	if (why)
		return fail(t, "chunk %llu: %s", (unsigned long long)chunk, why);
	if (m.maps != m.unmaps)
		return fail(t, "chunk %llu: %d maps but %d unmaps",
			    (unsigned long long)chunk, m.maps, m.unmaps);
	if (err != r.err)
		return fail(t, "return %d but result.err %d", err, r.err);
	if (r.out_used > out_len)
		return fail(t, "out_used %llu > out_len", (unsigned long long)r.out_used);

	s = section(t, "error");
	if (s) {
		char name[32] = "";
		unsigned int pc;
		int n = sscanf(s, " %31s at %u", name, &pc);

		if (!errno_of(name))
			return fail(t, "unknown errno '%s' in -- error", name);
		if (err != -errno_of(name))
			return fail(t, "chunk %llu: run returned %s (%d), r0=%llu, expected %s",
				    (unsigned long long)chunk, errname(-err),
				    err, (unsigned long long)r.ret, name);
		if (n == 2 && r.abort_pc != pc)
			return fail(t, "aborted at insn %u, expected %u",
				    r.abort_pc, pc);
	} else if (err) {
		return fail(t, "chunk %llu: run aborted with %s at insn %u",
			    (unsigned long long)chunk, errname(-err),
			    r.abort_pc);
	}
	s = section(t, "result");
	if (s) {
		const char *p = s;
		u64 want;

		while (*p == ' ' || *p == '\n')
			p++;
		want = *p == '-' ? (u64)strtoll(p, NULL, 0) :
				   strtoull(p, NULL, 0);
		if (r.ret != want)
			return fail(t, "chunk %llu: r0 = %#llx, expected %#llx",
				    (unsigned long long)chunk,
				    (unsigned long long)r.ret,
				    (unsigned long long)want);
	}
	wlen = (size_t)-1;
	if ((s = section(t, "out")))
		wlen = parse_hex(s, want, sizeof(want));
	else if ((s = section(t, "out-text")))
		wlen = parse_text(s, want, sizeof(want), true);
	if (wlen != (size_t)-1 &&
	    (wlen != r.out_used || memcmp(want, out, wlen))) {
		fprintf(stderr, "  got %llu bytes:", (unsigned long long)r.out_used);
		for (u64 i = 0; i < r.out_used && i < 64; i++)
			fprintf(stderr, " %02x", out[i]);
		fputc('\n', stderr);
		return fail(t, "output differs (expected %zu bytes)", wlen);
	}
	if ((s = section(t, "mem-after"))) {
		wlen = parse_hex(s, want, sizeof(want));
		if (wlen != env.mem_len || memcmp(want, env.mem, wlen))
			return fail(t, "chunk %llu: mem region differs after the run",
				    (unsigned long long)chunk);
	}
	return check_stats(t, &r, &m);
}

static int run_test(struct test *t)
{
	static struct bpf_insn prog[URINGBLK_PROG_MAX_INSNS + 64];
	static u8 data[1 << 22];
	const char *src = section(t, "asm"), *s;
	char msg[256], err[256];
	size_t dlen = 0;
	u64 rep = 1, chunk, pad;
	int len, verr;

	if (!src)
		return fail(t, "no -- asm section");
	len = asm_text(src, prog, sizeof(prog) / sizeof(prog[0]), err,
		       sizeof(err));
	if (len < 0)
		return fail(t, "assembler: %s", err);
	if (config(t, "pad", &pad)) {
		/* pad=N: N "mov r0, 0" in front, for size-limit tests */
		if (pad + len > sizeof(prog) / sizeof(prog[0]))
			return fail(t, "pad too large");
		memmove(prog + pad, prog, len * sizeof(prog[0]));
		for (u64 i = 0; i < pad; i++)
			prog[i] = (struct bpf_insn){
				.code = BPF_ALU64 | BPF_MOV | BPF_K };
		len += (int)pad;
	}
	msg[0] = 0;
	verr = uringblk_prog_verify(prog, len, msg, sizeof(msg));
	dump_seed(t, prog, len);

	s = section(t, "reject");
	if (s) {
		char want[256], ename[32] = "";
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);

		snprintf(want, sizeof(want), "%.*s", (int)n, s);
		if (nl)
			sscanf(nl + 1, " %31s", ename);
		if (!verr)
			return fail(t, "accepted, expected rejection '%s'", want);
		if (strcmp(msg, want))
			return fail(t, "rejected with '%s', expected '%s'", msg, want);
		if (*ename && verr != -errno_of(ename))
			return fail(t, "rejected with %s, expected %s",
				    errname(-verr), ename);
		if (!*ename && verr != -EINVAL)
			return fail(t, "rejected with %s, expected EINVAL",
				    errname(-verr));
		if (!section(t, "result") && !section(t, "error"))
			return 0;
	} else if (verr) {
		return fail(t, "rejected: %s", msg);
	}

	if ((s = section(t, "data")))
		dlen = parse_hex(s, data, sizeof(data));
	else if ((s = section(t, "data-text")))
		dlen = parse_text(s, data, sizeof(data), false);
	if (config(t, "repeat", &rep) && rep > 1) {
		if (dlen * rep > sizeof(data))
			return fail(t, "repeat too large");
		for (u64 i = 1; i < rep; i++)
			memcpy(data + i * dlen, data, dlen);
		dlen *= rep;
	}

	if (config(t, "chunk", &chunk))
		return run_once(t, prog, len, data, dlen, chunk);
	{
		static const u64 chunks[] = { 0, 1, 7, 4096 };

		for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++)
			if (run_once(t, prog, len, data, dlen, chunks[i]))
				return -1;
	}
	return 0;
}

static void run_path(const char *path);

static void run_dir(const char *dir)
{
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;
		size_t l = strlen(name);
		char path[4096];

		if (name[0] != '.' &&
		    (ents[i]->d_type == DT_DIR || (l > 2 && !strcmp(name + l - 2, ".t")))) {
			snprintf(path, sizeof(path), "%s/%s", dir, name);
			run_path(path);
		}
		free(ents[i]);
	}
	free(ents);
}

static void run_path(const char *path)
{
	struct stat sb;
	struct test t = { .path = path };
	char *text;

	if (stat(path, &sb)) {
		fprintf(stderr, "FAIL %s: %s\n", path, strerror(errno));
		failed++;
		return;
	}
	if (S_ISDIR(sb.st_mode)) {
		run_dir(path);
		return;
	}
	text = read_file(path);
	parse_sections(&t, text);
	if (run_test(&t))
		failed++;
	else
		passed++;
	free(text);
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		run_path(argv[i]);
	printf("%s: %d checks passed, %d failed; %d runs compared with their "
	       "yielding twins (%ld yields), %d not\n", VMTEST_NAME, passed,
	       failed, yield_stats.compared, yield_stats.yields,
	       yield_stats.skipped);
	return failed || !passed || !yield_stats.yields;
}
