// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the program kselftests; see prog_test.h.
 */
#include <elf.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "prog_test.h"

#ifndef R_BPF_64_32
#define R_BPF_64_32	10	/* call imm, in instruction slots */
#endif

int ubp_load(struct io_uring *ring, int fd, const struct bpf_insn *insns,
	     size_t cnt, const char *name, char *log, size_t log_len)
{
	struct uringblk_cmd cmd;

	ubt_cmd_init(&cmd, (void *)insns, cnt * sizeof(*insns));
	cmd.prog_load.log_addr = (uintptr_t)log;
	cmd.prog_load.log_len = log ? log_len : 0;
	if (log && log_len)
		log[0] = '\0';
	if (name)	/* NUL-padded by ubt_cmd_init(), need not be terminated */
		memcpy(cmd.prog_load.name, name,
		       strnlen(name, URINGBLK_PROG_NAME_LEN));
	return ubt_uring_cmd(ring, fd, URINGBLK_CMD_PROG_LOAD, &cmd, NULL);
}

int ubp_load_obj(struct io_uring *ring, int fd, const char *obj, char *log,
		 size_t log_len)
{
	struct bpf_insn *insns;
	char path[512], err[256];
	size_t cnt;
	int ret;

	ubp_obj_path(obj, path, sizeof(path));
	ret = ubp_obj_read(path, &insns, &cnt, err, sizeof(err));
	if (ret) {
		if (log && log_len)
			snprintf(log, log_len, "%s: %s", path, err);
		return ret;
	}
	ret = ubp_load(ring, fd, insns, cnt, obj, log, log_len);
	free(insns);
	return ret;
}

int ubp_unload(struct io_uring *ring, int fd, uint32_t id)
{
	struct uringblk_cmd cmd;

	ubt_cmd_init(&cmd, NULL, 0);
	cmd.prog_unload.prog_id = id;
	return ubt_uring_cmd(ring, fd, URINGBLK_CMD_PROG_UNLOAD, &cmd, NULL);
}

int ubp_list(struct io_uring *ring, int fd, uint32_t after,
	     struct uringblk_prog_info *info, uint32_t n)
{
	struct uringblk_cmd cmd;

	ubt_cmd_init(&cmd, info, n * sizeof(*info));
	cmd.prog_list.after_id = after;
	return ubt_uring_cmd(ring, fd, URINGBLK_CMD_PROG_LIST, &cmd, NULL);
}

int ubp_unload_all(struct io_uring *ring, int fd)
{
	struct uringblk_prog_info info[URINGBLK_MAX_PROGS];
	int n, i, ret, total = 0;

	for (;;) {
		n = ubp_list(ring, fd, 0, info, URINGBLK_MAX_PROGS);
		if (n <= 0)
			return n < 0 ? n : total;
		for (i = 0; i < n; i++) {
			ret = ubp_unload(ring, fd, info[i].id);
			if (ret)
				return ret;
			total++;
		}
	}
}

void ubp_exec_cmd(struct uringblk_cmd *cmd, const struct ubp_exec *e,
		  void *reply, uint32_t reply_len)
{
	ubt_cmd_init(cmd, reply, reply_len);
	cmd->exec.prog_id = e->prog;
	cmd->exec.lba_start = e->lba;
	cmd->exec.lba_count = e->count;
	cmd->exec.insn_budget = e->budget;
	cmd->exec.args[0] = e->args[0];
	cmd->exec.args[1] = e->args[1];
	cmd->exec.args[2] = e->args[2];
}

int ubp_exec(struct io_uring *ring, int fd, const struct ubp_exec *e,
	     void *reply, uint32_t reply_len, uint64_t *res2)
{
	struct uringblk_cmd cmd;

	ubp_exec_cmd(&cmd, e, reply, reply_len);
	return ubt_uring_cmd(ring, fd, URINGBLK_CMD_EXEC, &cmd, res2);
}

int ubp_prep_exec(struct io_uring *ring, int fd, const struct ubp_exec *e,
		  void *reply, uint32_t reply_len, uint64_t user_data)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct uringblk_cmd cmd;

	if (!sqe)
		return -EBUSY;
	/* A 128-byte SQE: liburing's helpers would clear only 64 bytes. */
	memset(sqe, 0, 128);
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = fd;
	sqe->cmd_op = URINGBLK_CMD_EXEC;
	sqe->user_data = user_data;
	ubp_exec_cmd(&cmd, e, reply, reply_len);
	memcpy(sqe->cmd, &cmd, sizeof(cmd));
	return 0;
}

/* --- a minimal linker for clang's eBPF objects ---------------------------- */

static int __attribute__((format(printf, 3, 4)))
obj_err(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (err && len) {
		va_start(ap, fmt);
		vsnprintf(err, len, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static void *read_whole(const char *path, size_t *len)
{
	struct stat st;
	void *buf;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || st.st_size <= 0) {
		close(fd);
		return NULL;
	}
	buf = malloc(st.st_size);
	if (buf && pread(fd, buf, st.st_size, 0) != st.st_size) {
		free(buf);
		buf = NULL;
	}
	close(fd);
	*len = st.st_size;
	return buf;
}

/*
 * The image is the entry section (SEC("uringblk")) followed by the whole
 * .text; a call relocation names a symbol in either and an imm that
 * counts from the symbol (imm + 1 slots past it, as libbpf reads it), so
 * each call is re-pointed at the callee's place in the image.  Calls
 * without a relocation stay inside their section, which the image keeps
 * contiguous.
 */
int ubp_obj_read(const char *path, struct bpf_insn **insns, size_t *cnt,
		 char *err, size_t err_len)
{
	size_t size, i, n_entry = 0, n_text = 0, base[2];
	const Elf64_Shdr *sh, *symtab = NULL;
	const Elf64_Ehdr *eh;
	const char *shstr;
	struct bpf_insn *img = NULL;
	long entry = -1, text = -1;
	uint8_t *buf;
	int ret = 0;

	buf = read_whole(path, &size);
	if (!buf) {
		obj_err(err, err_len, "cannot read %s: %m", path);
		return -ENOENT;
	}
	eh = (const Elf64_Ehdr *)buf;
	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_machine != EM_BPF ||
	    eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(*sh) > size ||
	    eh->e_shstrndx >= eh->e_shnum) {
		ret = obj_err(err, err_len, "%s: not an eBPF ELF object", path);
		goto out;
	}
	sh = (const Elf64_Shdr *)(buf + eh->e_shoff);
	shstr = (const char *)buf + sh[eh->e_shstrndx].sh_offset;
	for (i = 0; i < eh->e_shnum; i++) {
		const char *name = shstr + sh[i].sh_name;

		if (sh[i].sh_type == SHT_SYMTAB)
			symtab = &sh[i];
		else if (sh[i].sh_type == SHT_PROGBITS && !strcmp(name, "uringblk"))
			entry = i;
		else if (sh[i].sh_type == SHT_PROGBITS && !strcmp(name, ".text"))
			text = i;
		else if (sh[i].sh_type == SHT_PROGBITS && sh[i].sh_size &&
			 (!strncmp(name, ".data", 5) || !strncmp(name, ".rodata", 7) ||
			  !strncmp(name, ".bss", 4) || !strcmp(name, ".maps")))
			ret = obj_err(err, err_len, "%s: has section %s (globals "
				      "or constants)", path, name);
	}
	if (ret)
		goto out;
	if (entry < 0 || !symtab) {
		ret = obj_err(err, err_len, "%s: no SEC(\"uringblk\") or no symbols",
			      path);
		goto out;
	}
	n_entry = sh[entry].sh_size / sizeof(struct bpf_insn);
	n_text = text >= 0 ? sh[text].sh_size / sizeof(struct bpf_insn) : 0;
	img = calloc(n_entry + n_text, sizeof(*img));
	if (!img) {
		ret = -ENOMEM;
		goto out;
	}
	memcpy(img, buf + sh[entry].sh_offset, n_entry * sizeof(*img));
	if (n_text)
		memcpy(img + n_entry, buf + sh[text].sh_offset, n_text * sizeof(*img));
	base[0] = 0;
	base[1] = n_entry;

	for (i = 0; i < eh->e_shnum; i++) {
		const Elf64_Sym *syms = (const void *)(buf + symtab->sh_offset);
		size_t nsyms = symtab->sh_size / sizeof(*syms), r, nrel;
		const Elf64_Rel *rel;
		size_t at_base;

		if (sh[i].sh_type != SHT_REL ||
		    ((long)sh[i].sh_info != entry && (long)sh[i].sh_info != text))
			continue;
		at_base = (long)sh[i].sh_info == entry ? base[0] : base[1];
		rel = (const void *)(buf + sh[i].sh_offset);
		nrel = sh[i].sh_size / sizeof(*rel);
		for (r = 0; r < nrel; r++) {
			size_t at = at_base + rel[r].r_offset / sizeof(struct bpf_insn);
			size_t si = ELF64_R_SYM(rel[r].r_info);
			const Elf64_Sym *sym;
			long tsec;
			int64_t target;

			if (si >= nsyms || at >= n_entry + n_text) {
				ret = obj_err(err, err_len, "%s: bad relocation", path);
				goto out;
			}
			sym = &syms[si];
			tsec = sym->st_shndx;
			if (ELF64_R_TYPE(rel[r].r_info) != R_BPF_64_32 ||
			    img[at].code != (BPF_JMP | BPF_CALL) ||
			    img[at].src_reg != BPF_PSEUDO_CALL ||
			    (tsec != entry && tsec != text)) {
				obj_err(err, err_len, "%s: relocation type %lu at "
					"insn %zu is not a call (maps, globals "
					"and externs do not exist)", path,
					(unsigned long)ELF64_R_TYPE(rel[r].r_info), at);
				ret = -EOPNOTSUPP;
				goto out;
			}
			target = (tsec == entry ? base[0] : base[1]) +
				 sym->st_value / sizeof(struct bpf_insn) +
				 img[at].imm + 1;
			img[at].imm = target - (int64_t)(at + 1);
		}
	}
	*insns = img;
	*cnt = n_entry + n_text;
	img = NULL;
out:
	free(img);
	free(buf);
	return ret;
}

void ubp_obj_path(const char *name, char *buf, size_t len)
{
	char exe[512];
	ssize_t n;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		n = 0;
	exe[n] = '\0';
	snprintf(buf, len, "%s/progs/%s.bpf.o", n ? dirname(exe) : ".", name);
}

/* --- misc ---------------------------------------------------------------- */

int ubp_counter(int idx, const char *name, uint64_t *val)
{
	char rel[128];

	snprintf(rel, sizeof(rel), "uringblk/%s", name);
	return ubt_blk_attr_u64(idx, rel, val);
}

double ubp_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int ubp_drop_cap_sys_admin(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	int i = CAP_TO_INDEX(CAP_SYS_ADMIN);

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	data[i].effective &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
	data[i].permitted &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
	data[i].inheritable &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
	if (syscall(SYS_capset, &hdr, data))
		return -errno;
	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	return (data[i].effective & CAP_TO_MASK(CAP_SYS_ADMIN)) ? -EPERM : 0;
}

int ubp_module_unload_wait(int timeout_ms)
{
	double end = ubp_now() + timeout_ms / 1000.0;
	int ret;

	for (;;) {
		if (!ubt_module_loaded())
			return 0;
		if (syscall(SYS_delete_module, "uringblk", O_NONBLOCK) == 0) {
			/* The C helpers' parameter marker is stale now. */
			unlink("/tmp/uringblk-selftest.params");
			return 0;
		}
		ret = -errno;
		if ((ret != -EWOULDBLOCK && ret != -EBUSY) || ubp_now() > end)
			return ret;
		usleep(20000);
	}
}

bool ubp_heap_init_on_alloc(void)
{
	int len = klogctl(10, NULL, 0);		/* SYSLOG_ACTION_SIZE_BUFFER */
	bool on = false;
	char *buf;

	if (len <= 0)
		return false;
	buf = malloc(len + 1);
	if (!buf)
		return false;
	len = klogctl(3, buf, len);		/* SYSLOG_ACTION_READ_ALL */
	if (len > 0) {
		buf[len] = '\0';
		on = strstr(buf, "heap alloc:on") != NULL;
	}
	free(buf);
	return on;
}

void ubp_random(void *buf, size_t len, uint64_t seed)
{
	uint64_t x = seed * 0x9e3779b97f4a7c15ULL + 1, v;
	uint8_t *p = buf;
	size_t i;

	for (i = 0; i < len; i += 8) {
		x ^= x >> 12;
		x ^= x << 25;
		x ^= x >> 27;
		v = x * 0x2545f4914f6cdd1dULL;
		memcpy(p + i, &v, len - i < 8 ? len - i : 8);
	}
}

/* --- what the bpf/ programs compute, in C ---------------------------------- */

/* occurrences of pat lying wholly in d[0, len), overlapping ones included */
uint64_t ubp_ref_count(const uint8_t *d, uint64_t len, const void *pat,
		       size_t m)
{
	const uint8_t *p = d, *end = d + len, *hit;
	uint64_t n = 0;

	while (p < end && (hit = memmem(p, end - p, pat, m))) {
		n++;
		p = hit + 1;
	}
	return n;
}

/*
 * grep.bpf.c: up to cap offsets; *more when one more follows.  *scanned
 * gets the bytes its uringblk_find() calls examine: from where each search
 * starts to the end of the match it finds, or to the end of the range.
 */
uint64_t ubp_ref_grep(const uint8_t *d, uint64_t len, const void *pat,
		      size_t m, uint64_t *offs, uint64_t cap, int *more,
		      uint64_t *scanned)
{
	uint64_t n = 0, off = 0, at;
	const uint8_t *hit;

	*more = 0;
	*scanned = 0;
	while (off < len) {
		hit = memmem(d + off, len - off, pat, m);
		if (!hit) {
			*scanned += len - off;
			break;
		}
		at = hit - d;
		*scanned += at + m - off;
		if (n == cap) {
			*more = 1;
			break;
		}
		offs[n++] = at;
		off = at + 1;
	}
	return n;
}

uint64_t ubp_ref_hist(const uint8_t *d, uint64_t len, uint64_t *h)
{
	uint64_t i, distinct = 0;
	int b;

	memset(h, 0, 256 * sizeof(*h));
	for (i = 0; i < len; i++)
		h[d[i]]++;
	for (b = 0; b < 256; b++)
		distinct += h[b] != 0;
	return distinct;
}

uint64_t ubp_ref_sum32(const uint8_t *d, uint64_t len)
{
	uint64_t i, sum = 0;
	uint32_t w;

	for (i = 0; i + 4 <= len; i += 4) {
		memcpy(&w, d + i, 4);
		sum += le32toh(w);
	}
	return sum;
}

/* zlib's CRC-32: reflected 0x04c11db7, init and final xor all ones */
uint32_t ubp_ref_crc32(const uint8_t *d, uint64_t len)
{
	uint32_t crc = 0xffffffffU;
	uint64_t i;
	int k;

	for (i = 0; i < len; i++) {
		crc ^= d[i];
		for (k = 0; k < 8; k++)
			crc = crc & 1 ? (crc >> 1) ^ 0xedb88320U : crc >> 1;
	}
	return crc ^ 0xffffffffU;
}

uint64_t ubp_ref_records(const uint8_t *d, uint64_t len, uint64_t rec,
			 uint64_t foff, uint64_t width, uint64_t *nrec)
{
	uint64_t i, k, v, sum = 0;

	*nrec = len / rec;
	for (i = 0; i < *nrec; i++) {
		v = 0;
		for (k = width; k > 0; k--)
			v = v << 8 | d[i * rec + foff + k - 1];
		sum += v;
	}
	return sum;
}

/* The pattern packing of count_pattern.bpf.c and grep.bpf.c. */
void ubp_pattern_args(struct ubp_exec *e, const char *pat, size_t m)
{
	char buf[16] = { 0 };

	memcpy(buf, pat, m);
	memcpy(&e->args[0], buf, 8);
	memcpy(&e->args[1], buf + 8, 8);
	e->args[2] = m;
}
