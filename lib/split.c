// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Split scans (ABI 1.5): a program that declares how its results combine
 * ("How a program's results combine" in <linux/uringblk_prog.h>) runs over
 * one range as several concurrent EXECs, one per piece, whose results are
 * combined here into the result of one EXEC over the whole range.  On a
 * drive whose timing model has compute units the pieces run on them at
 * once; on any drive they run on the driver's workers in parallel.
 *
 *   uringblk_prog_read_combine()  the declaration in the object file
 *   uringblk_prog_get_combine()   the declaration the drive keeps (PROG_LIST)
 *   uringblk_split_plan()         the pieces (pure: no device)
 *   uringblk_split_combine()      their results combined (pure)
 *   uringblk_exec_split()         all of it on a drive
 *
 * Overlaps.  A program counting the matches of a pattern of length L that
 * lie wholly inside its range misses those that straddle two pieces.  Each
 * piece but the last is therefore extended by k = ceil((L - 1) / block
 * size) blocks, and one more EXEC over just those k blocks counts the
 * matches lying wholly inside them, which the extended piece counted but
 * which belong to the next one: taken away, they leave exactly the matches
 * starting in the piece (every one of them ends inside the extension,
 * since L - 1 <= k blocks).  The EXEC grants whole blocks, so the overlap
 * cannot be the L - 1 bytes alone.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <unistd.h>

#include "private.h"

/* ---- the declaration ---- */

int uringblk_prog_read_combine(const char *obj_path, const char *prog_name,
			       struct uringblk_prog_combine *cb, char *log,
			       size_t log_len)
{
	const size_t plen = strlen(URINGBLK_COMBINE_SYM_PREFIX);
	Elf_Data *symtab = NULL, *data = NULL;
	size_t shstrndx, sec = 0, strndx = 0, nsyms, found = 0;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	Elf *elf;
	int fd, ret = 0;

	if (log && log_len)
		log[0] = '\0';
	if (!obj_path || !cb)
		return -EINVAL;
	memset(cb, 0, sizeof(*cb));
	if (elf_version(EV_CURRENT) == EV_NONE)
		return -ENOSYS;
	fd = open(obj_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_getshdrstrndx(elf, &shstrndx)) {
		if (log && log_len)
			snprintf(log, log_len, "%s: %s\n", obj_path, elf_errmsg(-1));
		ret = -EINVAL;
		goto out;
	}
	while ((scn = elf_nextscn(elf, scn))) {
		const char *name;

		if (!gelf_getshdr(scn, &sh))
			continue;
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (sh.sh_type == SHT_SYMTAB) {
			symtab = elf_getdata(scn, NULL);
			strndx = sh.sh_link;
		} else if (name && !strcmp(name, URINGBLK_COMBINE_SEC)) {
			sec = elf_ndxscn(scn);
			data = elf_getdata(scn, NULL);
		}
	}
	/* no section: no program of the object declares */
	if (!sec || !symtab || !data)
		goto out;
	nsyms = symtab->d_size / sizeof(Elf64_Sym);
	for (size_t i = 0; i < nsyms; i++) {
		const char *name;
		GElf_Sym sym;

		if (!gelf_getsym(symtab, (int)i, &sym) || sym.st_shndx != sec)
			continue;
		name = elf_strptr(elf, strndx, sym.st_name);
		if (!name || strncmp(name, URINGBLK_COMBINE_SYM_PREFIX, plen) ||
		    (prog_name && strcmp(name + plen, prog_name)))
			continue;
		if (sym.st_size != sizeof(*cb) ||
		    sym.st_value > data->d_size - sizeof(*cb)) {
			if (log && log_len)
				snprintf(log, log_len, "%s: %s is %llu bytes at %llu, not a "
					 "struct uringblk_prog_combine\n", obj_path, name,
					 (unsigned long long)sym.st_size,
					 (unsigned long long)sym.st_value);
			ret = -EINVAL;
			goto out;
		}
		if (found++) {
			if (log && log_len)
				snprintf(log, log_len, "%s: several combine declarations: "
					 "name the program\n", obj_path);
			ret = -EINVAL;
			goto out;
		}
		memcpy(cb, (const char *)data->d_buf + sym.st_value, sizeof(*cb));
	}
out:
	if (ret)
		memset(cb, 0, sizeof(*cb));
	if (elf)
		elf_end(elf);
	close(fd);
	return ret;
}

int uringblk_prog_get_combine(struct uringblk_dev *dev, __u32 prog_id,
			      struct uringblk_prog_combine *cb)
{
	struct uringblk_prog_info info[16];
	struct uringblk_cmd cmd;
	int n;

	uringblk__begin(dev);
	if (!dev || !cb || !prog_id)
		return -EINVAL;
	/* PROG_LIST from just below the id: it comes first if it exists */
	uringblk_cmd_init(&cmd, 0, info, sizeof(info));
	cmd.prog_list.after_id = prog_id - 1;
	n = uringblk_submit_cmd(dev, URINGBLK_CMD_PROG_LIST, &cmd, NULL, NULL);
	if (n < 0)
		return n;
	if (n == 0 || info[0].id != prog_id)
		return -ENOENT;
	*cb = info[0].combine;
	return 0;
}

/* ---- the pieces ---- */

static __u64 gcd64(__u64 a, __u64 b)
{
	while (b) {
		__u64 t = a % b;

		a = b;
		b = t;
	}
	return a;
}

int uringblk_split_plan(const struct uringblk_prog_combine *cb,
			const struct uringblk_exec_args *a, __u32 block_size,
			unsigned int nr, struct uringblk_split_piece *pieces,
			unsigned int max)
{
	__u64 total, unit = 1, units, overlap = 0, k, n, bytes;
	unsigned int np;

	if (!cb || !a || !block_size || !pieces || !a->lba_count)
		return -EINVAL;
	if (!cb->r0)
		return -EOPNOTSUPP;
	/* a zone's written part is cut by the drive, not here */
	if (a->flags || !nr || nr > URINGBLK_SPLIT_MAX)
		return -EINVAL;
	total = a->lba_count;
	bytes = total * block_size;
	if (cb->align_arg) {
		__u64 rec = cb->align_arg <= 3 ? a->args[cb->align_arg - 1] : 0;
		__u64 g = rec ? gcd64(block_size, rec) : 0;

		/* pieces start at multiples of lcm(block, record) bytes */
		if (!rec || rec / g > bytes / block_size)
			unit = total;	/* one piece (the program judges rec) */
		else
			unit = rec / g;	/* lcm / block_size blocks */
	}
	if (cb->overlap_arg)
		overlap = cb->overlap_arg <= 3 && a->args[cb->overlap_arg - 1] ?
			  a->args[cb->overlap_arg - 1] - 1 : 0;
	else
		overlap = cb->overlap;
	k = overlap >= bytes ? total : (overlap + block_size - 1) / block_size;
	units = total / unit;
	n = units < nr ? units : nr;
	if (!n)
		n = 1;
	np = n + (k ? n - 1 : 0);
	if (np > max)
		return -E2BIG;
	for (__u64 i = 0, c = n; i < n; i++) {
		__u64 lo = units * i / n * unit;
		__u64 hi = i == n - 1 ? total : units * (i + 1) / n * unit;
		__u64 ext = i == n - 1 ? 0 : (k < total - hi ? k : total - hi);

		pieces[i] = (struct uringblk_split_piece) {
			.lba_start = a->lba_start + lo,
			.lba_count = hi - lo + ext,
			.sign = 1,
		};
		if (ext)	/* the next piece's matches inside the extension */
			pieces[c++] = (struct uringblk_split_piece) {
				.lba_start = a->lba_start + hi,
				.lba_count = ext,
				.sign = -1,
			};
	}
	return (int)np;
}

/* ---- their results ---- */

static __u64 rule_init(__u8 rule)
{
	return rule == URINGBLK_COMBINE_MIN ? ~0ULL : 0;
}

static __u64 rule_apply(__u8 rule, __u64 acc, __u64 v, int sign)
{
	switch (rule) {
	case URINGBLK_COMBINE_MIN:
		return v < acc ? v : acc;
	case URINGBLK_COMBINE_MAX:
		return v > acc ? v : acc;
	default:	/* SUM; an overlap's count is taken away */
		return sign < 0 ? acc - v : acc + v;
	}
}

/* uringblk_split_combine_args(), once its struct is read. */
static int split_combine(const struct uringblk_prog_combine *cb,
			 const struct uringblk_split_piece *pieces, unsigned int n,
			 const struct uringblk_exec_result *results,
			 const void *const *outs, struct uringblk_exec_result *res,
			 void *out, size_t out_len)
{
	__u32 olen = cb && cb->out ? cb->out_len : 0;
	__u64 r0, w, v;

	if (!cb || !pieces || !n || !results || !res || (olen && (!outs || !out)))
		return -EINVAL;
	if (!cb->r0)
		return -EOPNOTSUPP;
	if (out_len < olen)
		return -ENOSPC;
	memset(res, 0, sizeof(*res));
	r0 = rule_init(cb->r0);
	for (__u32 i = 0; i < olen / 8; i++) {
		w = rule_init(cb->out);
		memcpy((char *)out + 8 * i, &w, 8);
	}
	for (unsigned int p = 0; p < n; p++) {
		const struct uringblk_exec_result *r = &results[p];

		if (cb->r0 != URINGBLK_COMBINE_NONZERO)
			r0 = rule_apply(cb->r0, r0, r->r0, pieces[p].sign);
		/* the output buffer starts zeroed: words past out_len are 0 */
		for (__u32 i = 0; i < olen / 8; i++) {
			memcpy(&w, (char *)out + 8 * i, 8);
			memcpy(&v, (const char *)outs[p] + 8 * i, 8);
			w = rule_apply(cb->out, w, v, pieces[p].sign);
			memcpy((char *)out + 8 * i, &w, 8);
		}
		res->insns += r->insns;
		res->bytes_scanned += r->bytes_scanned;
	}
	if (cb->r0 == URINGBLK_COMBINE_NONZERO) {
		r0 = 0;
		for (__u32 i = 0; i < olen / 8; i++) {
			memcpy(&w, (char *)out + 8 * i, 8);
			r0 += w != 0;
		}
	}
	res->r0 = r0;
	res->out_len = olen;
	return 0;
}

/* The size of 1.11's struct uringblk_split_combine_args, the first one. */
#define SPLIT_COMBINE_ARGS_SIZE_1_11 \
	(offsetof(struct uringblk_split_combine_args, out_len) + sizeof(size_t))

int uringblk_split_combine_args(const struct uringblk_prog_combine *cb,
				const struct uringblk_split_combine_args *args,
				struct uringblk_exec_result *res)
{
	struct uringblk_split_combine_args ca;
	int ret;

	ret = uringblk_args_in(args, SPLIT_COMBINE_ARGS_SIZE_1_11, &ca,
			       sizeof(ca));
	if (ret)
		return ret;
	if (ca.flags)
		return -EINVAL;
	return split_combine(cb, ca.pieces, ca.n, ca.results, ca.outs, res,
			     ca.out, ca.out_len);
}

/* The 1.7 entry point, kept for its callers. */
int uringblk_split_combine(const struct uringblk_prog_combine *cb,
			   const struct uringblk_split_piece *pieces, unsigned int n,
			   const struct uringblk_exec_result *results,
			   const void *const *outs, struct uringblk_exec_result *res,
			   void *out, size_t out_len)
{
	const struct uringblk_split_combine_args ca = {
		.size = sizeof(ca), .pieces = pieces, .n = n,
		.results = results, .outs = outs, .out = out, .out_len = out_len,
	};

	return uringblk_split_combine_args(cb, &ca, res);
}

/* ---- on a drive ---- */

/* Pieces asked for by default: the drive's compute units, else the CPUs. */
static unsigned int default_pieces(const struct uringblk_identify *id)
{
	long cpus;

	if ((id->features & URINGBLK_F_TIMING) && id->timing_compute_units)
		return id->timing_compute_units;
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	return cpus < 1 ? 1 : cpus > URINGBLK_SPLIT_MAX ? URINGBLK_SPLIT_MAX : cpus;
}

int uringblk_exec_split(struct uringblk_dev *dev, const struct uringblk_exec_args *a,
			unsigned int nr, struct uringblk_exec_result *res, void *out,
			size_t out_len)
{
	struct uringblk_split_piece pieces[2 * URINGBLK_SPLIT_MAX];
	struct uringblk_exec_result *results = NULL;
	const void **outs = NULL;
	struct uringblk_prog_combine cb;
	struct uringblk_identify id;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	size_t slot;
	int np, ret, bad = -1, bad_ret = 0;
	char *bufs = NULL;

	uringblk__begin(dev);
	if (!dev || !a || !res || (out_len && !out))
		return -EINVAL;
	ret = uringblk_prog_get_combine(dev, a->prog_id, &cb);
	if (ret)
		return ret;
	if (!cb.r0)
		return -EOPNOTSUPP;
	ret = uringblk_identify(dev, &id);
	if (ret)
		return ret;
	np = uringblk_split_plan(&cb, a, id.logical_block_size,
				 nr ? nr : default_pieces(&id), pieces,
				 2 * URINGBLK_SPLIT_MAX);
	if (np < 0)
		return np;
	if (out_len < (cb.out ? cb.out_len : 0))
		return -ENOSPC;

	/* each piece's reply: the result struct, then the declared output */
	slot = sizeof(struct uringblk_exec_result) + (cb.out ? cb.out_len : 0);
	slot = (slot + 7) & ~(size_t)7;
	bufs = calloc(np, slot);
	results = calloc(np, sizeof(*results));
	outs = calloc(np, sizeof(*outs));
	if (!bufs || !results || !outs) {
		ret = -ENOMEM;
		goto out_free;
	}
	ret = io_uring_queue_init(np, &ring, IORING_SETUP_SQE128 | IORING_SETUP_CQE32);
	if (ret < 0)
		goto out_free;
	for (int p = 0; p < np; p++) {
		struct uringblk_exec_args pa = *a;
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

		if (!sqe) {	/* the ring has np entries: not reached */
			io_uring_queue_exit(&ring);
			ret = -EBUSY;
			goto out_free;
		}
		pa.lba_start = pieces[p].lba_start;
		pa.lba_count = pieces[p].lba_count;
		uringblk_prep_exec(sqe, uringblk_chr_fd(dev), &pa, bufs + p * slot, slot);
		sqe->user_data = p;
		outs[p] = uringblk_exec_reply_out(bufs + p * slot);
	}
	ret = io_uring_submit(&ring);
	if (ret != np) {
		/* submitted ones must still be reaped: wait for those only */
		np = ret < 0 ? 0 : ret;
		bad_ret = ret < 0 ? ret : -EIO;
	}
	for (int i = 0; i < np; i++) {
		int p, r;

		do {
			ret = io_uring_wait_cqe(&ring, &cqe);
		} while (ret == -EINTR);
		if (ret < 0) {
			bad_ret = ret;
			break;
		}
		p = (int)cqe->user_data;
		r = cqe->res;
		io_uring_cqe_seen(&ring, cqe);
		memcpy(&results[p], bufs + p * slot, sizeof(results[p]));
		/* completed with an r0 above INT32_MAX: the struct has it */
		if (r == -EOVERFLOW && !results[p].error &&
		    results[p].abort_code == URINGBLK_PROG_OK)
			r = 0;
		if (r < 0 && (bad < 0 || p < bad)) {
			bad = p;
			bad_ret = r;
		}
	}
	io_uring_queue_exit(&ring);
	if (bad >= 0) {
		*res = results[bad];	/* the first failing piece says why */
		ret = bad_ret;
	} else if (bad_ret) {
		memset(res, 0, sizeof(*res));
		ret = bad_ret;
	} else {
		ret = uringblk_split_combine(&cb, pieces, np, results, outs, res,
					     out, out_len);
	}
out_free:
	free(outs);
	free(results);
	free(bufs);
	return ret;
}
