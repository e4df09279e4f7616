// SPDX-License-Identifier: GPL-2.0
/*
 * The command fuzzer's generator: the PRNG, values from the field tables,
 * mutations, buffer contents and programs.  No driver, no io_uring: the
 * same code runs natively in fuzz_cmds --check-gen.
 */
#include <stdio.h>
#include <string.h>
#include <linux/bpf.h>
#include <linux/uringblk.h>

#include "fuzz_gen.h"

/* --- PRNG ------------------------------------------------------------- */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void fz_rng_seed(struct fz_rng *r, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t fz_next(struct fz_rng *r)
{
	uint64_t *s = r->s;
	uint64_t res = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

uint64_t fz_below(struct fz_rng *r, uint64_t n)
{
	return n ? fz_next(r) % n : 0;
}

/* --- values ------------------------------------------------------------ */

/*
 * The bytes of the program the command being generated carries (FZ_B_INSNS):
 * chosen before the fields, so that a field (Load Program's PSIZE, NUMB)
 * can name it.  Per thread: each worker generates its own commands.
 */
static __thread uint32_t fz_cur_prog_len;

/* Values worth trying in any field: boundaries of every width. */
static const uint64_t fz_generic[] = {
	0, 1, 2, 7, 8, 0x7f, 0x80, 0xff, 0x100, 0x1ff, 0x200, 0xfff, 0x1000,
	0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe,
	0xffffffff, 1ULL << 32, (1ULL << 32) + 1, 1ULL << 40, 1ULL << 63,
	~0ULL >> 1, ~0ULL - 1, ~0ULL,
};

uint64_t fz_resolve(struct fz_rng *r, const struct fz_val *v,
		    const struct fz_env *e)
{
	uint64_t base = 0;

	switch (v->sym) {
	case FZ_S_LIT:
		break;
	case FZ_S_NLBA:
		base = e->nlba;
		break;
	case FZ_S_LBA:
		base = fz_below(r, e->nlba);
		break;
	case FZ_S_BS:
		base = e->bs;
		break;
	case FZ_S_BS_SHIFT:
		base = e->bs_shift;
		break;
	case FZ_S_ZONE_LBAS:
		base = e->zone_lbas;
		break;
	case FZ_S_ZONE_START:
		base = e->zone_lbas * fz_below(r, e->nr_zones);
		break;
	case FZ_S_NZONES:
		base = e->nr_zones;
		break;
	case FZ_S_MAX_NLB:
		base = e->max_nlb;
		break;
	case FZ_S_SLM:
		base = e->slm;
		break;
	case FZ_S_SLM_OFF:
		if (e->slm_gran && e->slm > e->slm_gran)
			base = fz_below(r, e->slm / e->slm_gran) * e->slm_gran;
		break;
	case FZ_S_SLM_GRAN:
		base = e->slm_gran;
		break;
	case FZ_S_MEM_XFER:
		base = e->mem_xfer;
		break;
	case FZ_S_SET_RANGES:
		base = e->set_ranges;
		break;
	case FZ_S_MAX_EXT:
		base = e->max_ext;
		break;
	case FZ_S_MAX_BUDGET:
		base = e->max_budget;
		break;
	case FZ_S_DD_PIND:
		base = e->dd_pind;
		break;
	case FZ_S_PROG_ID:
	case FZ_S_PIND:
	case FZ_S_RSID:
		base = e->pick_id ? e->pick_id(r, v->sym) : 1;
		break;
	case FZ_S_RAND:
		base = fz_next(r);
		break;
	case FZ_S_AUX:
		base = e->aux_addr;
		break;
	case FZ_S_AUX_LEN:
		base = e->aux_len;
		break;
	case FZ_S_PROG_LEN:
		base = fz_cur_prog_len;
		break;
	case FZ_S_FREE_PIND:
		base = FZ_FREE_PIND_FIRST + fz_below(r, FZ_FREE_PIND_LAST - FZ_FREE_PIND_FIRST + 1);
		break;
	case FZ_S_CP_PIND:
		base = e->pick_id ? e->pick_id(r, v->sym) : FZ_CP_PIND_FIRST;
		break;
	case FZ_S_LBA_LOW:
		base = fz_below(r, e->nlba / 2);
		break;
	}
	return base + (uint64_t)v->add;
}

static uint64_t field_mask(const struct fz_field *f)
{
	unsigned int bits = f->width ? f->width : f->bytes * 8;

	return bits >= 64 ? ~0ULL : (1ULL << bits) - 1;
}

static uint64_t word_get(const uint8_t *p, unsigned int bytes)
{
	uint64_t w = 0;

	memcpy(&w, p, bytes);	/* little endian, as NVMe and the uAPI */
	return w;
}

void fz_field_set(uint8_t *payload, const struct fz_field *f, uint64_t v)
{
	uint64_t mask = field_mask(f) << f->lo;
	uint64_t w = word_get(payload + f->off, f->bytes);

	w = (w & ~mask) | ((v << f->lo) & mask);
	memcpy(payload + f->off, &w, f->bytes);
}

uint64_t fz_field_get(const uint8_t *payload, const struct fz_field *f)
{
	return (word_get(payload + f->off, f->bytes) >> f->lo) & field_mask(f);
}

static unsigned int nr_vals(const struct fz_val *v)
{
	unsigned int n = 0;

	while (v && v[n].sym != FZ_END)
		n++;
	return n;
}

/* One value of a field: from its list, or (sometimes) mutated. */
static uint64_t gen_value(struct fz_rng *r, const struct fz_field *f,
			  const struct fz_env *e, unsigned int mut_pct,
			  uint32_t *mutated)
{
	unsigned int n = nr_vals(f->vals);
	uint64_t v = n ? fz_resolve(r, &f->vals[fz_below(r, n)], e) : 0;

	if (n && !fz_pct(r, mut_pct))
		return v;
	(*mutated)++;
	switch (fz_below(r, 8)) {
	case 0:
		return 0;
	case 1:
		return ~0ULL;
	case 2:
		return v + 1;
	case 3:
		return v - 1;
	case 4:
		return fz_next(r);
	case 5:
		return 1ULL << fz_below(r, 64);
	case 6:
		return fz_generic[fz_below(r, sizeof(fz_generic) / sizeof(fz_generic[0]))];
	default:
		return v * 2 + fz_below(r, 3);
	}
}

/* Header words every uringblk command has (struct uringblk_cmd). */
static const struct fz_field fz_ublk_hdr[] = {
	{ "abi_major", 0, 2, 0, 0, FZ_V(FZ_L(URINGBLK_ABI_MAJOR)) },
	{ "abi_minor", 2, 2, 0, 0, FZ_V(FZ_L(0), FZ_L(URINGBLK_ABI_MINOR), FZ_S(FZ_S_RAND, 0)) },
	{ "rsvd0", 20, 4, 0, 0, FZ_V(FZ_L(0)) },
	{ NULL }
};

/* ... and every NVMe command (struct nvme_passthru_cmd64's layout). */
static const struct fz_field fz_nvme_hdr[] = {
	{ "flags", 1, 1, 0, 0, FZ_V(FZ_L(0)) },
	{ "rsvd1", 2, 2, 0, 0, FZ_V(FZ_L(0)) },
	{ "cdw2", 8, 4, 0, 0, FZ_V(FZ_L(0)) },
	{ "cdw3", 12, 4, 0, 0, FZ_V(FZ_L(0)) },
	{ "metadata", 16, 8, 0, 0, FZ_V(FZ_L(0)) },
	{ "metadata_len", 32, 4, 0, 0, FZ_V(FZ_L(0)) },
	{ "timeout_ms", 64, 4, 0, 0, FZ_V(FZ_L(0), FZ_L(1000)) },
	{ NULL }
};

static const struct fz_field fz_nvme_opcode = { "opcode", 0, 1, 0, 0, NULL };
static const struct fz_field fz_nvme_nsid = { "nsid", 4, 4, 0, 0,
	FZ_V(FZ_L(0), FZ_L(1), FZ_L(2), FZ_L(3), FZ_L(4), FZ_L(0xffffffff)) };

static void gen_header(struct fz_rng *r, const struct fz_field *hdr,
		       const struct fz_env *e, unsigned int pct,
		       struct fz_gen_out *g)
{
	const struct fz_field *f;

	for (f = hdr; f->name; f++) {
		uint64_t v = fz_resolve(r, &f->vals[0], e);

		if (fz_pct(r, pct))
			v = gen_value(r, f, e, 50, &g->mutated);
		fz_field_set(g->payload, f, v);
	}
}

static uint32_t gen_flags(struct fz_rng *r, const struct fz_cmd *c, bool hostile,
			  uint32_t *mutated)
{
	unsigned int n = 0;
	uint32_t fl = c->set_flags;

	while (c->valid_flags && c->valid_flags[n])
		n++;
	if (n && fz_pct(r, 25))
		fl |= c->valid_flags[fz_below(r, n)];
	if (fz_pct(r, hostile ? 30 : 2)) {
		fl ^= 1u << fz_below(r, 32);
		(*mutated)++;
	}
	return fl;
}

void fz_generate(struct fz_rng *r, const struct fz_cmd *c,
		 const struct fz_env *e, uint32_t max_len,
		 struct fz_gen_out *g)
{
	const struct fz_field *f;
	unsigned int fpct, hpct, nf, k;
	int pick = -1;
	bool one;

	memset(g, 0, sizeof(*g));
	g->hostile = fz_pct(r, 12);
	fpct = g->hostile ? 35 : 4;
	hpct = g->hostile ? 20 : 1;
	for (nf = 0; c->fields && c->fields[nf].name; nf++)
		;
	/*
	 * One field at a time: the header stays as it should be and, in 35%
	 * of the commands, one of the fields, the buffer's content, its
	 * length or its shape (nf, nf + 1, nf + 2) is the one thing wrong.
	 */
	one = c->flags & FZ_C_ONEFIELD && !g->hostile;
	if (one) {
		hpct = 0;
		if (fz_pct(r, 35))
			pick = fz_below(r, nf + 3);
		if (pick == (int)nf) {
			g->content_mut = true;
			g->mutated++;
		}
	}
	if (c->buf == FZ_B_INSNS || c->buf == FZ_B_IMAGE) {
		if (one) {	/* a hostile program is the content's mutation */
			g->prog = g->content_mut && fz_pct(r, 50) ?
				  fz_nr_progs + fz_below(r, fz_nr_hostile) : fz_below(r, fz_nr_progs);
			g->prog_mutate = g->content_mut && g->prog < (int)fz_nr_progs;
		} else {
			g->prog = fz_below(r, fz_nr_progs);
			g->prog_mutate = fz_pct(r, g->hostile ? 80 : 30);
		}
		fz_cur_prog_len = 8 * fz_prog(g->prog, NULL, URINGBLK_PROG_MAX_INSNS);
	}

	if (c->fe == FZ_FE_UBLK) {
		uint32_t fl;

		gen_header(r, fz_ublk_hdr, e, hpct, g);
		fl = gen_flags(r, c, g->hostile, &g->mutated);
		memcpy(g->payload + 4, &fl, 4);
		/* a word past the command's view: must be zero */
		if (fz_pct(r, hpct)) {
			uint64_t w = fz_next(r) | 1;

			memcpy(g->payload + 24 + 8 * fz_below(r, 7), &w, 8);
			g->mutated++;
		}
	} else {
		gen_header(r, fz_nvme_hdr, e, hpct, g);
		fz_field_set(g->payload, &fz_nvme_opcode,
			     fz_pct(r, hpct) ? fz_below(r, 256) : c->opcode);
		/* admin commands take any nsid; their field lists say which */
		fz_field_set(g->payload, &fz_nvme_nsid,
			     c->fe == FZ_FE_NVME_IO && !fz_pct(r, hpct) ? c->ns :
			     gen_value(r, &fz_nvme_nsid, e, 0, &g->mutated));
	}
	for (k = 0, f = c->fields; f && f->name; f++, k++) {
		uint64_t v;

		if (!one) {
			v = gen_value(r, f, e, fpct, &g->mutated);
		} else if ((int)k == pick) {	/* any of its values, or a mutation */
			v = gen_value(r, f, e, 30, &g->mutated);
			g->mutated++;
		} else {
			v = fz_resolve(r, &f->vals[0], e);
		}
		fz_field_set(g->payload, f, v);
	}

	if (c->fixup)
		c->fixup(g->payload);
	if (c->buf == FZ_B_NONE)
		g->want_len = 0;
	else if (c->buf == FZ_B_INSNS)
		g->want_len = fz_prog(g->prog, NULL, URINGBLK_PROG_MAX_INSNS) * 8;
	else if (c->len)
		g->want_len = c->len(g->payload, e);
	else
		g->want_len = c->fixed_len;
	g->len = g->want_len;

	if (one ? pick == (int)nf + 1 : fz_pct(r, g->hostile ? 40 : 5)) {
		static const int64_t d[] = { -1, 1, -8, 8, -512, 512, 4096 };

		g->mutated++;
		switch (fz_below(r, 5)) {
		case 0:
			g->len = 0;
			break;
		case 1:
			g->len = g->want_len + d[fz_below(r, 7)];
			break;
		case 2:
			g->len = g->want_len / 2;
			break;
		case 3:
			g->len = fz_generic[fz_below(r, 21)];
			break;
		default:
			g->len = fz_below(r, max_len + 1);
			break;
		}
	}
	if (one ? pick == (int)nf + 2 : fz_pct(r, g->hostile ? 30 : 3)) {
		g->shape = 1 + fz_below(r, FZ_SH_NR - 1);
		g->mutated++;
	}
	g->fill_len = g->len < max_len ? g->len : max_len;
	if (c->buf == FZ_B_IMAGE)	/* the image, then its instructions */
		g->fill_len = max_len < 64 + 8 * URINGBLK_PROG_MAX_INSNS + 256 ?
			      max_len : 64 + 8 * URINGBLK_PROG_MAX_INSNS + 256;
}

/* --- buffer contents ----------------------------------------------------- */

static uint64_t rand_lba(struct fz_rng *r, const struct fz_env *e, uint64_t room)
{
	return e->nlba > room ? fz_below(r, e->nlba - room) : 0;
}

/* Sometimes a wild value instead of a good one. */
static uint64_t maybe_wild(struct fz_rng *r, uint64_t good, unsigned int pct)
{
	if (!fz_pct(r, pct))
		return good;
	return fz_generic[fz_below(r, sizeof(fz_generic) / sizeof(fz_generic[0]))];
}

static void put(uint8_t *buf, uint32_t len, uint32_t off, uint64_t v, unsigned int bytes)
{
	if (off + bytes <= len)
		memcpy(buf + off, &v, bytes);
}

static void fill_entries(struct fz_rng *r, uint8_t kind, const struct fz_env *e,
			 unsigned int wild, uint8_t *buf, uint32_t len)
{
	uint32_t i, esz, n;
	uint64_t base;

	switch (kind) {
	case FZ_B_COPY_RANGES:
	case FZ_B_DSM_RANGES:
	case FZ_B_MEM_RANGES:
		esz = 16;
		break;
	case FZ_B_EXTENTS:
		esz = 24;
		break;
	case FZ_B_NVME_COPY:
	case FZ_B_SLM_COPY:
	case FZ_B_NVME_MRD:
		esz = 32;
		break;
	default:
		return;
	}
	n = len / esz;
	base = e->slm_gran && e->slm > 64ULL * e->slm_gran ?
	       fz_below(r, e->slm / e->slm_gran / 2) * e->slm_gran : 0;
	for (i = 0; i < n; i++) {
		uint8_t *p = buf + i * esz;
		uint32_t nlb = 1 + fz_below(r, 8);
		bool zero = fz_pct(r, 10);

		memset(p, 0, esz);
		switch (kind) {
		case FZ_B_COPY_RANGES:	/* slba, nlb (1-based), flags */
			put(p, esz, 0, maybe_wild(r, zero ? 0 : rand_lba(r, e, nlb), wild), 8);
			put(p, esz, 8, maybe_wild(r, nlb, wild), 4);
			put(p, esz, 12, maybe_wild(r, zero ? URINGBLK_COPY_F_ZERO : 0, wild), 4);
			break;
		case FZ_B_MEM_RANGES:	/* slm_off, len: granules, not overlapping */
			put(p, esz, 0, maybe_wild(r, base + 4ULL * i * e->slm_gran, wild), 8);
			put(p, esz, 8, maybe_wild(r, (1 + fz_below(r, 4)) * (uint64_t)e->slm_gran,
						  wild), 8);
			break;
		case FZ_B_EXTENTS:	/* lba, len (bytes), flags, rsvd */
			put(p, esz, 0, maybe_wild(r, zero ? 0 : rand_lba(r, e, 16), wild), 8);
			put(p, esz, 8, maybe_wild(r, 1 + fz_below(r, 8 * e->bs), wild), 8);
			put(p, esz, 16, maybe_wild(r, zero ? URINGBLK_EXTENT_F_ZERO : 0, wild), 4);
			put(p, esz, 20, maybe_wild(r, 0, wild / 2), 4);
			break;
		case FZ_B_DSM_RANGES:	/* cattr, nlb, slba */
			put(p, esz, 0, maybe_wild(r, 0, wild), 4);
			put(p, esz, 4, maybe_wild(r, nlb * 8, wild), 4);
			put(p, esz, 8, maybe_wild(r, rand_lba(r, e, 64), wild), 8);
			break;
		case FZ_B_NVME_COPY:	/* format 0: slba at 8, nlb (0's based) at 16 */
			put(p, esz, 8, maybe_wild(r, rand_lba(r, e, nlb), wild), 8);
			put(p, esz, 16, maybe_wild(r, nlb - 1, wild), 2);
			break;
		case FZ_B_NVME_MRD:	/* MNSID 3, length, starting byte: granules apart */
			put(p, esz, 0, maybe_wild(r, 3, wild), 4);
			put(p, esz, 4, maybe_wild(r, (1 + fz_below(r, 4)) * (uint64_t)e->slm_gran,
						  wild), 4);
			put(p, esz, 8, maybe_wild(r, base + 4ULL * i * e->slm_gran, wild), 8);
			put(p, esz, 16 + 4 * fz_below(r, 4), maybe_wild(r, 0, wild / 2), 4);
			break;
		case FZ_B_SLM_COPY:	/* format 2h: snsid, slba, one block (the LEN values assume it) */
			put(p, esz, 0, maybe_wild(r, 1, wild), 4);
			put(p, esz, 8, maybe_wild(r, rand_lba(r, e, 1), wild), 8);
			put(p, esz, 16, maybe_wild(r, 0, wild), 2);
			put(p, esz, 22, maybe_wild(r, 0, wild / 2), 2);
			break;
		}
	}
}

/*
 * How often an entry's word is wild: often in a hostile command, now and
 * then in another, and in a one-field command only when its content is
 * the field (else the entries are all valid: the command may be clean).
 */
static unsigned int fill_wild(const struct fz_cmd *c, const struct fz_gen_out *g)
{
	if (g->hostile)
		return 25;
	if (c->flags & FZ_C_ONEFIELD)
		return g->content_mut ? 40 : 0;
	return 2;
}

void fz_fill(struct fz_rng *r, const struct fz_cmd *c, const struct fz_env *e,
	     const struct fz_gen_out *g, uint8_t *buf, uint32_t len, uint64_t uaddr)
{
	struct uringblk_prog_image img;
	unsigned int n, i;

	switch (c->buf) {
	case FZ_B_INSNS:
		n = len / 8;
		if (n > URINGBLK_PROG_MAX_INSNS + 8)
			n = URINGBLK_PROG_MAX_INSNS + 8;
		if (g->prog_mutate)
			fz_prog_mutated(r, g->prog, buf, n);
		else
			fz_prog(g->prog, buf, n);
		break;
	case FZ_B_IMAGE:
		if (len < sizeof(img) + 8)
			break;
		n = (len - sizeof(img) - 256) / 8;
		n = g->prog_mutate ? fz_prog_mutated(r, g->prog, buf + sizeof(img), n) :
				     fz_prog(g->prog, buf + sizeof(img), n);
		memset(&img, 0, sizeof(img));
		img.insns = uaddr + sizeof(img);
		img.insn_cnt = n;
		img.globals = img.insns + 8ULL * n;
		img.rodata_len = 8 * fz_below(r, 8);
		img.data_len = 8 * fz_below(r, 8);
		img.bss_len = 8 * fz_below(r, 64);
		for (i = 0; i < 256; i++)
			buf[sizeof(img) + 8 * n + i] = (uint8_t)fz_next(r);
		if (fz_pct(r, g->hostile ? 60 : 10)) {	/* one wild word of the image */
			uint64_t w = maybe_wild(r, 0, 100);

			memcpy((uint8_t *)&img + 8 * fz_below(r, sizeof(img) / 8), &w,
			       fz_pct(r, 50) ? 4 : 8);
		}
		memcpy(buf, &img, sizeof(img));
		break;
	case FZ_B_IN:
		/* the data do not matter to the driver: a few bytes change */
		for (i = 0; i < 16 && i < len; i++)
			buf[fz_below(r, len)] = (uint8_t)fz_next(r);
		break;
	default:
		fill_entries(r, c->buf, e, fill_wild(c, g), buf, len);
		break;
	}
}

void fz_fill_aux(struct fz_rng *r, const struct fz_cmd *c, const struct fz_env *e,
		 const struct fz_gen_out *g, uint8_t *aux, uint32_t len)
{
	uint64_t cnt = 0;
	uint32_t n;

	if (c->aux == FZ_B_NONE || c->aux == FZ_B_OUT)
		return;
	memcpy(&cnt, g->payload + c->aux_count, 8);
	n = cnt < len / 24 ? cnt : len / 24;
	fill_entries(r, c->aux, e, fill_wild(c, g), aux, n * 24);
}

/* --- programs ------------------------------------------------------------ */

#define I(CODE, DST, SRC, OFF, IMM) \
	{ .code = (CODE), .dst_reg = (DST), .src_reg = (SRC), .off = (OFF), .imm = (IMM) }
#define MOV_IMM(D, IMM)		I(BPF_ALU64 | BPF_MOV | BPF_K, D, 0, 0, IMM)
#define MOV_REG(D, S)		I(BPF_ALU64 | BPF_MOV | BPF_X, D, S, 0, 0)
#define ADD_IMM(D, IMM)		I(BPF_ALU64 | BPF_ADD | BPF_K, D, 0, 0, IMM)
#define ADD_REG(D, S)		I(BPF_ALU64 | BPF_ADD | BPF_X, D, S, 0, 0)
#define LDX(D, S, OFF)		I(BPF_LDX | BPF_MEM | BPF_DW, D, S, OFF, 0)
#define LDXW(D, S, OFF)		I(BPF_LDX | BPF_MEM | BPF_W, D, S, OFF, 0)
#define ST_B(D, OFF, IMM)	I(BPF_ST | BPF_MEM | BPF_B, D, 0, OFF, IMM)
#define ST_DW(D, OFF, IMM)	I(BPF_ST | BPF_MEM | BPF_DW, D, 0, OFF, IMM)
#define CALL(H)			I(BPF_JMP | BPF_CALL, 0, 0, 0, H)
#define CALL_REL(OFF)		I(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, OFF)
#define JNE_IMM(D, IMM, OFF)	I(BPF_JMP | BPF_JNE | BPF_K, D, 0, OFF, IMM)
#define EXIT()			I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
#define CTX(f)			((int16_t)offsetof(struct uringblk_prog_ctx, f))

/*
 * Small valid programs whose helper arguments come from ctx->args, so that
 * the fuzzed EXEC/EXECUTE arguments reach the helpers' own checks.
 */
static const struct bpf_insn p_ret0[] = { MOV_IMM(0, 0), EXIT() };
static const struct bpf_insn p_sum[] = {
	MOV_REG(6, 1), LDX(1, 6, CTX(args[0])), LDX(2, 6, CTX(args[1])),
	CALL(URINGBLK_HELPER_SUM_U32), EXIT(),
};
static const struct bpf_insn p_count[] = {
	MOV_REG(6, 1), ST_B(10, -8, 'A'), MOV_IMM(1, 0), LDX(2, 6, CTX(data_len)),
	MOV_REG(3, 10), ADD_IMM(3, -8), MOV_IMM(4, 1),
	CALL(URINGBLK_HELPER_COUNT_PATTERN), EXIT(),
};
static const struct bpf_insn p_read[] = {
	MOV_REG(6, 1), LDX(1, 6, CTX(args[0])), MOV_REG(2, 10), ADD_IMM(2, -64),
	LDX(3, 6, CTX(args[1])), CALL(URINGBLK_HELPER_READ), EXIT(),
};
static const struct bpf_insn p_emit[] = {
	MOV_REG(6, 1), ST_DW(10, -16, 0x41424344), ST_DW(10, -8, 0),
	MOV_REG(1, 10), ADD_IMM(1, -16), LDX(2, 6, CTX(args[0])),
	CALL(URINGBLK_HELPER_EMIT), EXIT(),
};
static const struct bpf_insn p_hist[] = {
	MOV_REG(6, 1), LDX(1, 6, CTX(args[0])), LDX(2, 6, CTX(args[1])),
	LDX(3, 6, CTX(out)), CALL(URINGBLK_HELPER_HISTOGRAM), EXIT(),
};
static const struct bpf_insn p_find[] = {
	MOV_REG(6, 1), ST_B(10, -8, 'A'), LDX(1, 6, CTX(args[0])), LDX(2, 6, CTX(args[1])),
	MOV_REG(3, 10), ADD_IMM(3, -8), LDX(4, 6, CTX(args[2])),
	CALL(URINGBLK_HELPER_FIND), EXIT(),
};
static const struct bpf_insn p_mem[] = {	/* a store into the range set window */
	LDX(2, 1, CTX(mem)), LDX(3, 1, CTX(args[0])), ADD_REG(2, 3),
	ST_DW(2, 0, 7), LDX(0, 2, 0), EXIT(),
};
static const struct bpf_insn p_loop[] = {	/* until the budget stops it, or 2^20 rounds */
	MOV_IMM(0, 0), ADD_IMM(0, 1), I(BPF_JMP | BPF_JSET | BPF_K, 0, 0, -2, 0xfffff), EXIT(),
};
static const struct bpf_insn p_call[] = {	/* bpf-to-bpf call, reads a global */
	CALL_REL(1), EXIT(), LDXW(0, 1, CTX(block_size)), EXIT(),
};

static const struct {
	const struct bpf_insn	*insns;
	unsigned int		n;
} fz_progs[] = {
#define P(a) { a, sizeof(a) / sizeof(a[0]) }
	P(p_ret0), P(p_sum), P(p_count), P(p_read), P(p_emit), P(p_hist),
	P(p_find), P(p_mem), P(p_loop), P(p_call),
#undef P
};

const unsigned int fz_nr_progs = sizeof(fz_progs) / sizeof(fz_progs[0]);

/*
 * Hostile bytecode, for NVMe Load Program (fz_prog() indexes past the
 * valid ones): the validator must refuse each at load with Invalid Program
 * Data, or, for those it cannot judge statically (an endless loop, a load
 * the window decides), the interpreter must stop them at run time.
 */
static const struct bpf_insn h_forever[] = {	/* stops only on the budget */
	MOV_IMM(0, 0), ADD_IMM(0, 1), I(BPF_JMP | BPF_JA, 0, 0, -2, 0), EXIT(),
};
static const struct bpf_insn h_ctx_oob[] = { LDX(0, 1, 0x7ff0), EXIT() };
static const struct bpf_insn h_mem_oob[] = {	/* far past any range set's window */
	LDX(2, 1, CTX(mem)), LDX(0, 2, 0x7ff8), EXIT(),
};
static const struct bpf_insn h_r10[] = { MOV_IMM(10, 0), EXIT() };
static const struct bpf_insn h_jmp_oob[] = { I(BPF_JMP | BPF_JA, 0, 0, 100, 0), EXIT() };
static const struct bpf_insn h_jmp_back[] = { I(BPF_JMP | BPF_JA, 0, 0, -5, 0), EXIT() };
static const struct bpf_insn h_noexit[] = { MOV_IMM(0, 0), MOV_IMM(1, 1) };
static const struct bpf_insn h_helper[] = { CALL(0x7fff), EXIT() };
static const struct bpf_insn h_div0[] = {
	MOV_IMM(0, 1), I(BPF_ALU64 | BPF_DIV | BPF_K, 0, 0, 0, 0), EXIT(),
};
static const struct bpf_insn h_badreg[] = { MOV_REG(0, 12), EXIT() };

static const struct {
	const struct bpf_insn	*insns;
	unsigned int		n;
} fz_hostile[] = {
#define P(a) { a, sizeof(a) / sizeof(a[0]) }
	P(h_forever), P(h_ctx_oob), P(h_mem_oob), P(h_r10), P(h_jmp_oob),
	P(h_jmp_back), P(h_noexit), P(h_helper), P(h_div0), P(h_badreg),
#undef P
};

const unsigned int fz_nr_hostile = sizeof(fz_hostile) / sizeof(fz_hostile[0]);

/*
 * Hostile program i's faults are visible to a validator without running
 * it (r10 written, a jump out of the program, no exit, an unknown helper,
 * a register that does not exist): it must be refused at load.
 */
bool fz_hostile_must_refuse(unsigned int i)
{
	const struct bpf_insn *in = fz_hostile[i % fz_nr_hostile].insns;

	return in == h_r10 || in == h_jmp_oob || in == h_jmp_back || in == h_noexit ||
	       in == h_helper || in == h_badreg;
}

unsigned int fz_prog(unsigned int i, void *buf, unsigned int max)
{
	const struct bpf_insn *in;
	unsigned int n;

	i %= fz_nr_progs + fz_nr_hostile;
	if (i < fz_nr_progs) {
		in = fz_progs[i].insns;
		n = fz_progs[i].n;
	} else {
		in = fz_hostile[i - fz_nr_progs].insns;
		n = fz_hostile[i - fz_nr_progs].n;
	}
	if (!buf)
		return n;
	if (n > max)
		n = max;
	memcpy(buf, in, n * 8);
	return n;
}

unsigned int fz_prog_mutated(struct fz_rng *r, unsigned int i, void *buf,
			     unsigned int max)
{
	struct bpf_insn *in = buf;
	unsigned int n = fz_prog(i, buf, max), k, m = 1 + fz_below(r, 3);

	for (k = 0; k < m && n; k++) {
		struct bpf_insn *x = &in[fz_below(r, n)];
		uint64_t rnd = fz_next(r);

		switch (fz_below(r, 7)) {
		case 0:		/* one bit */
			((uint8_t *)x)[fz_below(r, 8)] ^= 1u << fz_below(r, 8);
			break;
		case 1:		/* a random instruction */
			memcpy(x, &rnd, 8);
			break;
		case 2:		/* another opcode */
			x->code = (uint8_t)rnd;
			break;
		case 3:		/* an immediate or offset at a boundary */
			x->imm = (int32_t)maybe_wild(r, 0, 100);
			x->off = (int16_t)(rnd >> 16);
			break;
		case 4:		/* registers */
			x->dst_reg = rnd & 15;
			x->src_reg = (rnd >> 4) & 15;
			break;
		case 5:		/* drop the exit */
			n--;
			break;
		default:	/* grow: repeat the program's instructions */
			while (n < max && n < 64 && fz_pct(r, 80)) {
				in[n] = in[fz_below(r, n)];
				n++;
			}
			break;
		}
	}
	return n;
}

/* --- self-check ------------------------------------------------------------ */

static uint32_t check_pick(struct fz_rng *r, int sym)
{
	return 1 + fz_below(r, 4);
}

#define CHECK(cond, ...) do { \
	if (!(cond)) { \
		fails++; \
		if (verbose || fails < 20) \
			printf("# check-gen: " __VA_ARGS__); \
	} \
} while (0)

int fz_check_gen(uint64_t seed, unsigned long rounds, bool verbose)
{
	static uint8_t buf[64 + 8 * URINGBLK_PROG_MAX_INSNS + 4096];
	struct fz_env e = {
		.nlba = 32768, .bs = 512, .bs_shift = 9, .zone_lbas = 4096,
		.nr_zones = 8, .max_nlb = 1024, .slm = 16 << 20, .slm_gran = 4096,
		.mem_xfer = 1 << 20, .set_ranges = 128, .max_ext = 65536,
		.max_budget = 1 << 30, .dd_pind = 65, .zoned = true,
		.aux_addr = 0x10000, .aux_len = 65536, .pick_id = check_pick,
	};
	struct fz_rng a, b;
	struct fz_gen_out g, h;
	unsigned long i;
	unsigned int c, k;
	int fails = 0;

	/* the same seed gives the same stream; another seed another one */
	fz_rng_seed(&a, seed);
	fz_rng_seed(&b, seed);
	for (i = 0; i < 1000; i++)
		CHECK(fz_next(&a) == fz_next(&b), "PRNG not deterministic at %lu\n", i);
	fz_rng_seed(&b, seed + 1);
	CHECK(fz_next(&a) != fz_next(&b), "seeds %llu and +1 give the same value\n",
	      (unsigned long long)seed);
	for (i = 0; i < 1000; i++)
		CHECK(fz_below(&a, 7) < 7, "fz_below out of range\n");

	/* a field's bits and nothing else */
	for (i = 0; i < 1000; i++) {
		struct fz_field f = { "x", fz_below(&a, 72), 1u << fz_below(&a, 4), 0, 0, NULL };
		uint8_t p[FZ_PAYLOAD], q[FZ_PAYLOAD];
		uint64_t v = fz_next(&a);

		f.lo = fz_below(&a, f.bytes * 8);
		f.width = 1 + fz_below(&a, f.bytes * 8 - f.lo);
		memset(p, 0xa5, sizeof(p));
		memcpy(q, p, sizeof(p));
		fz_field_set(p, &f, v);
		CHECK(fz_field_get(p, &f) == (v & field_mask(&f)),
		      "field off %u lo %u width %u: round trip\n", f.off, f.lo, f.width);
		fz_field_set(p, &f, fz_field_get(q, &f));
		CHECK(!memcmp(p, q, sizeof(p)), "field off %u lo %u width %u: other bits changed\n",
		      f.off, f.lo, f.width);
	}

	/* every command: deterministic, mostly well formed, sometimes not */
	for (c = 0; c < fz_nr_cmds; c++) {
		const struct fz_cmd *cmd = &fz_cmds[c];
		unsigned long clean = 0, dirty = 0;

		CHECK(cmd->name && cmd->fe, "entry %u has no name or front end\n", c);
		for (k = 0; cmd->fields && cmd->fields[k].name; k++) {
			const struct fz_field *f = &cmd->fields[k];

			CHECK(f->off + f->bytes <= FZ_PAYLOAD && f->lo + f->width <= f->bytes * 8 &&
			      (f->width || !f->lo),
			      "%s.%s lies outside the payload\n", cmd->name, f->name);
			CHECK(nr_vals(f->vals) > 0, "%s.%s has no values\n", cmd->name, f->name);
		}
		for (i = 0; i < rounds; i++) {
			fz_rng_seed(&a, seed + i);
			fz_rng_seed(&b, seed + i);
			fz_generate(&a, cmd, &e, 1 << 20, &g);
			fz_generate(&b, cmd, &e, 1 << 20, &h);
			CHECK(!memcmp(&g, &h, sizeof(g)), "%s: same seed, another command\n",
			      cmd->name);
			CHECK(g.fill_len <= 1 << 20, "%s: fill_len %u\n", cmd->name, g.fill_len);
			if (g.mutated)
				dirty++;
			else
				clean++;
			if (!g.mutated && cmd->buf == FZ_B_NONE)
				CHECK(g.len == 0, "%s: a clean command with a buffer\n", cmd->name);
			if (!g.mutated && cmd->buf != FZ_B_NONE)
				CHECK(g.len == g.want_len, "%s: clean len %u != %u\n", cmd->name,
				      g.len, g.want_len);
			if (g.fill_len && g.fill_len <= sizeof(buf))
				fz_fill(&a, cmd, &e, &g, buf, g.fill_len, 0x20000);
		}
		/* most commands must get through the decoding; some must not */
		CHECK(clean * 100 >= rounds * 45, "%s: only %lu of %lu well formed\n",
		      cmd->name, clean, rounds);
		CHECK(dirty * 100 >= rounds * 5, "%s: only %lu of %lu malformed\n",
		      cmd->name, dirty, rounds);
	}

	/* programs: each ends with exit; mutated ones stay in bounds */
	for (k = 0; k < fz_nr_progs; k++) {
		struct bpf_insn *in = (struct bpf_insn *)buf;
		unsigned int n = fz_prog(k, buf, 4096);

		CHECK(n >= 2 && in[n - 1].code == (BPF_JMP | BPF_EXIT), "program %u has no exit\n", k);
		for (i = 0; i < 100; i++)
			CHECK(fz_prog_mutated(&a, k, buf, 16) <= 16, "mutated program %u too long\n", k);
	}
	return fails;
}
