// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Programs from clang-built ELF objects, without the kernel's bpf().
 *
 * libbpf opens the object and tells which programs are in SEC("uringblk")
 * and what their instructions are.  What it leaves for load time is done
 * here on the ELF file with libelf, the way libbpf's bpf_object__relocate()
 * does it for calls: an opened program's bpf_program__insns() holds only
 * the entry function, its calls into .text still unresolved.  So the
 * static functions it calls (transitively) are appended after it, each
 * once, and each call's imm is pointed at the copy.
 *
 * Global data (ABI 1.3, "globals" in <linux/uringblk_prog.h>): libbpf
 * turns each .rodata*, .data* and .bss* section into an internal array
 * map, and at load rewrites every ld_imm64 relocated against one
 * (R_BPF_64_64) into BPF_PSEUDO_MAP_VALUE with the map's fd and the
 * offset symbol value + imm (bpf_program__record_reloc(), RELO_DATA, and
 * bpf_object__relocate_data()).  The drive has one region instead: here
 * the sections a program uses are laid out in it, each 8-byte aligned,
 * .rodata ones first, then .data ones, then .bss ones, and the ld_imm64
 * becomes a plain one of URINGBLK_PROG_GLOBAL_ADDR + the section's place
 * + that offset.  clang 14 also puts string literals in .rodata.str1.1
 * and small constant tables in .rodata.cst*: .rodata sections too.
 *
 * Every relocation that would need something the drive does not have (a
 * map, an extern, a kfunc, a pointer stored in global data) is refused
 * with a message naming it.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "private.h"

#ifndef R_BPF_64_32
#define R_BPF_64_32		10	/* call imm, in insn slots */
#endif

/* What a refusal is written into. */
struct plog {
	char	*buf;
	size_t	len;
	size_t	used;
};

static void __attribute__((format(printf, 2, 3)))
plog(struct plog *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!l->buf || l->used + 1 >= l->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(l->buf + l->used, l->len - l->used, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->used += (size_t)n < l->len - l->used ? (size_t)n :
							   l->len - l->used - 1;
}

/*
 * libbpf reports through a process-wide callback without a cookie, so the
 * log being filled is reached through a thread-local pointer.
 */
static __thread struct plog *libbpf_plog;

static int libbpf_to_plog(enum libbpf_print_level level, const char *fmt,
			  va_list ap)
{
	struct plog *l = libbpf_plog;
	char line[512];
	int n;

	if (!l || level == LIBBPF_DEBUG || !l->buf || l->used + 1 >= l->len)
		return 0;
	n = vsnprintf(line, sizeof(line), fmt, ap);
	/*
	 * libbpf does not know the combine declarations' section (ABI 1.5)
	 * and says it skips it: that is what it should do, not news.
	 */
	if (level == LIBBPF_INFO && strstr(line, URINGBLK_COMBINE_SEC))
		return 0;
	plog(l, "%s", line);
	return n;
}

/* A section of code: its instructions and the relocations against them. */
struct code_sec {
	size_t			idx;		/* ELF section index */
	const char		*name;
	const struct bpf_insn	*insns;
	unsigned int		cnt;
	int			*rel;		/* per insn: relocation + 1, or 0 */
};

/* A function copied into the output. */
struct func {
	struct code_sec	*sec;
	const char	*name;
	unsigned int	start, cnt;	/* in the section, insn slots */
	unsigned int	at;		/* in the output */
};

/* A global data section a program uses, and its place in the region. */
enum { GLOB_RODATA, GLOB_DATA, GLOB_BSS, GLOB_KINDS };

struct data_sec {
	size_t		idx;		/* ELF section index */
	const char	*name;
	int		kind;		/* GLOB_* */
	__u64		size;
	const void	*bytes;		/* NULL for .bss */
	__u64		at;		/* offset in its kind's part */
};

/* An ld_imm64 of the output that takes the address of global data. */
struct glob_fixup {
	unsigned int	insn;		/* in the output */
	size_t		sec;		/* index in linker.dsecs */
	__u64		off;		/* in the section */
};

struct linker {
	const char		*path;
	struct plog		*log;
	bool			globals_ok;	/* the caller takes global data */
	Elf			*elf;
	size_t			shstrndx;
	Elf_Data		*symtab;
	size_t			strndx;
	struct code_sec		*secs;
	size_t			nsecs;
	struct func		*funcs;
	size_t			nfuncs, cap_funcs;
	struct bpf_insn		*out;
	unsigned int		nout;
	/* all relocations of all code sections, indexed by code_sec.rel */
	GElf_Rel		*rels;
	size_t			nrels;
	struct data_sec		*dsecs;
	size_t			ndsecs;
	struct glob_fixup	*fixups;
	size_t			nfixups;
	__u32			glob_len[GLOB_KINDS];
};

static const char *sec_name(struct linker *lk, size_t idx)
{
	Elf_Scn *scn = elf_getscn(lk->elf, idx);
	const char *name = NULL;
	GElf_Shdr sh;

	if (scn && gelf_getshdr(scn, &sh))
		name = elf_strptr(lk->elf, lk->shstrndx, sh.sh_name);
	return name ? name : "?";
}

/* A symbol's name; section symbols (clang's for static data) by section. */
static const char *sym_name(struct linker *lk, const GElf_Sym *sym)
{
	const char *name;

	if (GELF_ST_TYPE(sym->st_info) == STT_SECTION &&
	    sym->st_shndx < SHN_LORESERVE)
		return sec_name(lk, sym->st_shndx);
	name = elf_strptr(lk->elf, lk->strndx, sym->st_name);
	return name && *name ? name : "?";
}

static struct code_sec *find_sec(struct linker *lk, size_t idx)
{
	for (size_t i = 0; i < lk->nsecs; i++)
		if (lk->secs[i].idx == idx)
			return &lk->secs[i];
	return NULL;
}

/* Collect the code sections and their relocations. */
static int scan_elf(struct linker *lk)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	size_t nrel = 0;

	if (elf_getshdrstrndx(lk->elf, &lk->shstrndx)) {
		plog(lk->log, "%s: not an ELF object: %s\n", lk->path,
		     elf_errmsg(-1));
		return -EINVAL;
	}
	while ((scn = elf_nextscn(lk->elf, scn))) {
		struct code_sec *cs;
		Elf_Data *data;

		if (!gelf_getshdr(scn, &sh))
			return -EINVAL;
		if (sh.sh_type == SHT_SYMTAB) {
			lk->symtab = elf_getdata(scn, NULL);
			lk->strndx = sh.sh_link;
		} else if (sh.sh_type == SHT_REL) {
			nrel += sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
		}
		if (sh.sh_type != SHT_PROGBITS || !(sh.sh_flags & SHF_EXECINSTR))
			continue;
		data = elf_getdata(scn, NULL);
		if (!data || data->d_size % sizeof(struct bpf_insn)) {
			plog(lk->log, "%s: code section %s is not whole instructions\n",
			     lk->path, sec_name(lk, elf_ndxscn(scn)));
			return -EINVAL;
		}
		cs = realloc(lk->secs, (lk->nsecs + 1) * sizeof(*cs));
		if (!cs)
			return -ENOMEM;
		lk->secs = cs;
		cs = &lk->secs[lk->nsecs++];
		cs->idx = elf_ndxscn(scn);
		cs->name = sec_name(lk, cs->idx);
		cs->insns = data->d_buf;
		cs->cnt = data->d_size / sizeof(struct bpf_insn);
		cs->rel = calloc(cs->cnt ? cs->cnt : 1, sizeof(*cs->rel));
		if (!cs->rel)
			return -ENOMEM;
	}
	if (!lk->symtab) {
		plog(lk->log, "%s: no symbol table\n", lk->path);
		return -EINVAL;
	}
	lk->rels = calloc(nrel ? nrel : 1, sizeof(*lk->rels));
	if (!lk->rels)
		return -ENOMEM;

	/* relocations of code sections (those of .BTF.ext are not ours) */
	scn = NULL;
	while ((scn = elf_nextscn(lk->elf, scn))) {
		struct code_sec *cs;
		Elf_Data *data;
		size_t i, n;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_REL)
			continue;
		cs = find_sec(lk, sh.sh_info);
		if (!cs)
			continue;
		data = elf_getdata(scn, NULL);
		n = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
		for (i = 0; i < n && lk->nrels < nrel; i++) {
			GElf_Rel *r = &lk->rels[lk->nrels];
			size_t at;

			if (!data || !gelf_getrel(data, (int)i, r))
				return -EINVAL;
			at = r->r_offset / sizeof(struct bpf_insn);
			if (r->r_offset % sizeof(struct bpf_insn) || at >= cs->cnt) {
				plog(lk->log, "%s: bad relocation offset %#llx in %s\n",
				     lk->path, (unsigned long long)r->r_offset,
				     cs->name);
				return -EINVAL;
			}
			cs->rel[at] = (int)++lk->nrels;
		}
	}
	return 0;
}

/*
 * The function symbol of section @cs that contains instruction @insn (with
 * @name != NULL: the one called @name).  Returns 0 and fills @f.
 */
static int find_func(struct linker *lk, struct code_sec *cs, unsigned int insn,
		     const char *name, struct func *f)
{
	size_t i, n = lk->symtab->d_size / sizeof(Elf64_Sym);
	GElf_Sym sym;

	for (i = 0; i < n; i++) {
		unsigned int start, cnt;
		const char *sname;

		if (!gelf_getsym(lk->symtab, (int)i, &sym) ||
		    GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
		    sym.st_shndx != cs->idx)
			continue;
		if (sym.st_value % sizeof(struct bpf_insn) ||
		    sym.st_size % sizeof(struct bpf_insn))
			continue;
		start = sym.st_value / sizeof(struct bpf_insn);
		cnt = sym.st_size / sizeof(struct bpf_insn);
		if (start > cs->cnt || cnt > cs->cnt - start || !cnt)
			continue;
		sname = elf_strptr(lk->elf, lk->strndx, sym.st_name);
		if (name ? !sname || strcmp(sname, name) :
			   insn < start || insn - start >= cnt)
			continue;
		f->sec = cs;
		f->name = sname ? sname : "?";
		f->start = start;
		f->cnt = cnt;
		return 0;
	}
	return -ENOENT;
}

/* Output position of function @f, appending it if it is not there yet. */
static int add_func(struct linker *lk, const struct func *f, unsigned int *at)
{
	struct bpf_insn *out;
	struct func *fs;
	size_t i;

	for (i = 0; i < lk->nfuncs; i++) {
		if (lk->funcs[i].sec == f->sec && lk->funcs[i].start == f->start) {
			*at = lk->funcs[i].at;
			return 0;
		}
	}
	if (f->cnt > URINGBLK_PROG_MAX_INSNS * 16U - lk->nout)
		return -E2BIG;	/* far beyond what any drive takes */
	if (lk->nfuncs == lk->cap_funcs) {
		size_t cap = lk->cap_funcs ? 2 * lk->cap_funcs : 8;

		fs = realloc(lk->funcs, cap * sizeof(*fs));
		if (!fs)
			return -ENOMEM;
		lk->funcs = fs;
		lk->cap_funcs = cap;
	}
	out = realloc(lk->out, (lk->nout + f->cnt) * sizeof(*out));
	if (!out)
		return -ENOMEM;
	lk->out = out;
	memcpy(out + lk->nout, f->sec->insns + f->start,
	       f->cnt * sizeof(*out));
	fs = &lk->funcs[lk->nfuncs++];
	*fs = *f;
	fs->at = lk->nout;
	lk->nout += f->cnt;
	*at = fs->at;
	return 0;
}

/*
 * The name of what lies at byte @off of section @shndx: clang relocates
 * static variables and functions against the section symbol, with the
 * offset in the instruction.
 */
static const char *name_at(struct linker *lk, const GElf_Sym *sym, __u64 off)
{
	size_t i, n = lk->symtab->d_size / sizeof(Elf64_Sym);
	GElf_Sym s;

	if (GELF_ST_TYPE(sym->st_info) != STT_SECTION)
		return sym_name(lk, sym);
	for (i = 0; i < n; i++) {
		const char *name;

		if (!gelf_getsym(lk->symtab, (int)i, &s) ||
		    s.st_shndx != sym->st_shndx || s.st_value != off ||
		    (GELF_ST_TYPE(s.st_info) != STT_OBJECT &&
		     GELF_ST_TYPE(s.st_info) != STT_FUNC))
			continue;
		name = elf_strptr(lk->elf, lk->strndx, s.st_name);
		if (name && *name)
			return name;
	}
	return "(unnamed)";
}

/* Why a relocated ld_imm64 cannot be honoured, in the user's terms. */
static void explain_ldimm64(struct linker *lk, const struct func *f,
			    unsigned int j, const GElf_Sym *sym)
{
	const struct bpf_insn *in = f->sec->insns + f->start + j;
	const char *sec = "?", *kind, *hint = "";
	const char *what;
	char desc[160];

	if (sym->st_shndx == SHN_UNDEF) {
		plog(lk->log, "%s: %s: insn %u refers to extern '%s': kconfig "
		     "and ksym externs do not exist on the drive\n",
		     lk->path, f->name, j, sym_name(lk, sym));
		return;
	}
	if (sym->st_shndx < SHN_LORESERVE)
		sec = sec_name(lk, sym->st_shndx);
	what = name_at(lk, sym, sym->st_value + (__u32)in->imm);
	if (find_sec(lk, sym->st_shndx)) {
		kind = "takes the address of function";
		hint = "callbacks (function pointers) are not supported";
	} else if (!strcmp(sec, ".maps") || !strcmp(sec, "maps")) {
		kind = "uses map";
		hint = "the drive has no maps: keep state on the stack or in "
		       "the output buffer";
	} else if (!strncmp(sec, ".rodata.str", 11)) {
		kind = "uses a string literal";
		what = NULL;
		hint = "global data needs uringblk_prog_read_obj() and a drive "
		       "with PROG_LOAD F_IMAGE (or build strings on the stack, "
		       "pass them in ctx->args)";
	} else if (!strncmp(sec, ".data", 5) || !strncmp(sec, ".bss", 4) ||
		   !strncmp(sec, ".rodata", 7)) {
		kind = "uses global or static variable";
		hint = "global data needs uringblk_prog_read_obj() and a drive "
		       "with PROG_LOAD F_IMAGE";
	} else {
		kind = "refers to";
		hint = "the drive cannot relocate this";
	}
	if (what)
		snprintf(desc, sizeof(desc), "%s '%s'", kind, what);
	else
		snprintf(desc, sizeof(desc), "%s", kind);
	plog(lk->log, "%s: %s: insn %u %s (section %s): %s\n", lk->path,
	     f->name, j, desc, sec, hint);
}

/* Is section @idx global data a program may use (kind in *@kind)? */
static bool is_data_sec(struct linker *lk, size_t idx, int *kind)
{
	Elf_Scn *scn = elf_getscn(lk->elf, idx);
	const char *name;
	GElf_Shdr sh;

	if (!scn || !gelf_getshdr(scn, &sh) || !(sh.sh_flags & SHF_ALLOC) ||
	    (sh.sh_flags & SHF_EXECINSTR) ||
	    (sh.sh_type != SHT_PROGBITS && sh.sh_type != SHT_NOBITS))
		return false;
	name = sec_name(lk, idx);
	if (strncmp(name, ".rodata", 7) && strncmp(name, ".data", 5) &&
	    strncmp(name, ".bss", 4))
		return false;
	if (sh.sh_type == SHT_NOBITS)
		*kind = GLOB_BSS;
	else
		*kind = sh.sh_flags & SHF_WRITE ? GLOB_DATA : GLOB_RODATA;
	return true;
}

/*
 * The entry of data section @idx in lk->dsecs, added on first use.  A
 * section with relocations of its own holds addresses (a table of string
 * pointers): those would need relocating too, and are refused.
 */
static int use_data_sec(struct linker *lk, size_t idx, int kind, size_t *out)
{
	Elf_Scn *scn = NULL;
	struct data_sec *ds;
	Elf_Data *data;
	GElf_Shdr sh;

	for (size_t i = 0; i < lk->ndsecs; i++) {
		if (lk->dsecs[i].idx == idx) {
			*out = i;
			return 0;
		}
	}
	while ((scn = elf_nextscn(lk->elf, scn))) {
		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_REL &&
		    sh.sh_info == idx && sh.sh_size) {
			plog(lk->log, "%s: global data in section %s holds "
			     "addresses (it has relocations): pointers in "
			     "global data are not supported\n", lk->path,
			     sec_name(lk, idx));
			return -EOPNOTSUPP;
		}
	}
	scn = elf_getscn(lk->elf, idx);
	if (!scn || !gelf_getshdr(scn, &sh))
		return -EINVAL;
	if (sh.sh_size > UINT32_MAX / 2) {
		plog(lk->log, "%s: section %s is too large (%llu bytes)\n",
		     lk->path, sec_name(lk, idx),
		     (unsigned long long)sh.sh_size);
		return -E2BIG;
	}
	data = kind == GLOB_BSS ? NULL : elf_getdata(scn, NULL);
	if (kind != GLOB_BSS && (!data || data->d_size != sh.sh_size)) {
		plog(lk->log, "%s: cannot read section %s\n", lk->path,
		     sec_name(lk, idx));
		return -EINVAL;
	}
	ds = realloc(lk->dsecs, (lk->ndsecs + 1) * sizeof(*ds));
	if (!ds)
		return -ENOMEM;
	lk->dsecs = ds;
	ds = &lk->dsecs[lk->ndsecs];
	*ds = (struct data_sec){
		.idx = idx, .name = sec_name(lk, idx), .kind = kind,
		.size = sh.sh_size, .bytes = data ? data->d_buf : NULL,
	};
	*out = lk->ndsecs++;
	return 0;
}

/*
 * ld_imm64 @j of @f, relocated against global data (@sym): remember to
 * point it at the data's program address once the region is laid out.
 * Return: 0, 1 if @sym is not global data, or -errno.
 */
static int add_glob_fixup(struct linker *lk, const struct func *f,
			  unsigned int j, const GElf_Sym *sym, const GElf_Rel *r)
{
	const struct bpf_insn *in = f->sec->insns + f->start + j;
	struct glob_fixup *fx;
	size_t ds;
	__u64 off;
	int kind, ret;

	if (sym->st_shndx == SHN_UNDEF || sym->st_shndx >= SHN_LORESERVE ||
	    !is_data_sec(lk, sym->st_shndx, &kind) || in->src_reg ||
	    GELF_R_TYPE(r->r_info) != R_BPF_64_64)
		return 1;
	if (!lk->globals_ok)
		return 1;	/* refused by the caller, with the reason */
	ret = use_data_sec(lk, sym->st_shndx, kind, &ds);
	if (ret)
		return ret;
	/* as libbpf: the symbol's value plus the addend clang left in imm */
	off = sym->st_value + (__u32)in[0].imm;
	if (off > lk->dsecs[ds].size || in[1].imm) {
		plog(lk->log, "%s: %s: insn %u points outside section %s\n",
		     lk->path, f->name, j, lk->dsecs[ds].name);
		return -EINVAL;
	}
	fx = realloc(lk->fixups, (lk->nfixups + 1) * sizeof(*fx));
	if (!fx)
		return -ENOMEM;
	lk->fixups = fx;
	lk->fixups[lk->nfixups++] = (struct glob_fixup){
		.insn = f->at + j, .sec = ds, .off = off,
	};
	return 0;
}

/* Resolve the calls of function number @fi; may append more functions. */
static int link_func(struct linker *lk, size_t fi)
{
	struct func f = lk->funcs[fi];
	const struct bpf_insn *in = f.sec->insns + f.start;
	unsigned int j;
	int ret;

	for (j = 0; j < f.cnt; j++) {
		unsigned int at = f.start + j, tgt_at;
		int rel = f.sec->rel[at];
		GElf_Sym sym = { 0 };
		struct code_sec *tsec;
		struct func tf;
		long long tgt;
		__u8 cls = BPF_CLASS(in[j].code);

		if (rel && !gelf_getsym(lk->symtab,
					(int)GELF_R_SYM(lk->rels[rel - 1].r_info),
					&sym)) {
			plog(lk->log, "%s: %s: bad relocation at insn %u\n",
			     lk->path, f.name, j);
			return -EINVAL;
		}
		if (in[j].code == (BPF_LD | BPF_IMM | BPF_DW)) {
			if (j + 1 < f.cnt && rel) {
				ret = add_glob_fixup(lk, &f, j, &sym,
						     &lk->rels[rel - 1]);
				if (ret < 0)
					return ret;
				if (!ret) {
					j++;
					continue;
				}
			}
			if (rel || in[j].src_reg) {
				if (rel)
					explain_ldimm64(lk, &f, j, &sym);
				else
					plog(lk->log, "%s: %s: insn %u is a "
					     "pseudo ld_imm64 (src_reg %u), which "
					     "the drive does not support\n",
					     lk->path, f.name, j, in[j].src_reg);
				return -EOPNOTSUPP;
			}
			if (j + 1 >= f.cnt) {
				plog(lk->log, "%s: %s: ld_imm64 truncated at insn %u\n",
				     lk->path, f.name, j);
				return -EINVAL;
			}
			j++;
			continue;
		}
		if (in[j].code == (BPF_JMP | BPF_CALL)) {
			if (in[j].src_reg == BPF_PSEUDO_KFUNC_CALL) {
				plog(lk->log, "%s: %s: insn %u calls kfunc '%s': "
				     "kernel functions do not exist on the drive\n",
				     lk->path, f.name, j,
				     rel ? sym_name(lk, &sym) : "?");
				return -EOPNOTSUPP;
			}
			if (in[j].src_reg == 0 && !rel)
				continue;	/* helper: the drive checks its id */
			if (rel && sym.st_shndx == SHN_UNDEF) {
				plog(lk->log, "%s: %s: insn %u calls kernel "
				     "function '%s' (a kfunc): it does not exist "
				     "on the drive\n", lk->path, f.name, j,
				     sym_name(lk, &sym));
				return -EOPNOTSUPP;
			}
			if (in[j].src_reg != BPF_PSEUDO_CALL ||
			    (rel && GELF_R_TYPE(lk->rels[rel - 1].r_info) !=
				    R_BPF_64_32)) {
				plog(lk->log, "%s: %s: insn %u: unsupported call "
				     "(src_reg %u%s)\n", lk->path, f.name, j,
				     in[j].src_reg, rel ? ", relocated" : "");
				return -EOPNOTSUPP;
			}
			/* as libbpf: symbol slot + imm + 1, else pc-relative */
			if (rel) {
				tsec = find_sec(lk, sym.st_shndx);
				tgt = (long long)(sym.st_value /
						  sizeof(struct bpf_insn)) +
				      in[j].imm + 1;
			} else {
				tsec = f.sec;
				tgt = (long long)at + in[j].imm + 1;
			}
			if (!tsec || tgt < 0 || tgt >= tsec->cnt ||
			    find_func(lk, tsec, (unsigned int)tgt, NULL, &tf)) {
				plog(lk->log, "%s: %s: insn %u calls outside any "
				     "function\n", lk->path, f.name, j);
				return -EINVAL;
			}
			ret = add_func(lk, &tf, &tgt_at);
			if (ret)
				return ret;
			tgt_at += (unsigned int)tgt - tf.start;
			lk->out[f.at + j].imm = (int)((long long)tgt_at -
						      (f.at + j) - 1);
			continue;
		}
		if (rel) {
			plog(lk->log, "%s: %s: insn %u has a relocation against "
			     "'%s' the drive cannot honour\n", lk->path, f.name,
			     j, sym_name(lk, &sym));
			return -EOPNOTSUPP;
		}
		/* functions are copied apart: a jump must stay in its own */
		if ((cls == BPF_JMP || cls == BPF_JMP32) &&
		    BPF_OP(in[j].code) != BPF_EXIT &&
		    BPF_OP(in[j].code) != BPF_CALL) {
			tgt = (long long)j + in[j].off + 1;
			if (tgt < 0 || tgt >= f.cnt) {
				plog(lk->log, "%s: %s: insn %u jumps out of its "
				     "function\n", lk->path, f.name, j);
				return -EINVAL;
			}
		}
	}
	return 0;
}

/*
 * Lay the used data sections out in the global region (.rodata ones,
 * .data ones, .bss ones, each 8-byte aligned, in the order the linked
 * code first uses them: deterministic for an object) and point
 * every fixed-up ld_imm64 at its place.
 */
static int layout_globals(struct linker *lk)
{
	__u64 len[GLOB_KINDS] = { 0 }, base;

	for (int k = 0; k < GLOB_KINDS; k++) {
		for (size_t i = 0; i < lk->ndsecs; i++) {
			struct data_sec *ds = &lk->dsecs[i];

			if (ds->kind != k)
				continue;
			ds->at = len[k];
			len[k] = (len[k] + ds->size + 7) & ~7ULL;
		}
		if (len[k] > UINT32_MAX / 2) {
			plog(lk->log, "%s: more than 2 GiB of global data\n",
			     lk->path);
			return -E2BIG;
		}
		lk->glob_len[k] = (__u32)len[k];
	}
	for (size_t i = 0; i < lk->nfixups; i++) {
		const struct glob_fixup *fx = &lk->fixups[i];
		const struct data_sec *ds = &lk->dsecs[fx->sec];
		struct bpf_insn *in = &lk->out[fx->insn];
		__u64 addr;

		base = ds->kind == GLOB_RODATA ? 0 :
		       ds->kind == GLOB_DATA ? len[GLOB_RODATA] :
		       len[GLOB_RODATA] + len[GLOB_DATA];
		addr = URINGBLK_PROG_GLOBAL_ADDR + base + ds->at + fx->off;
		in[0].imm = (__s32)(__u32)addr;
		in[1].imm = (__s32)(__u32)(addr >> 32);
	}
	return 0;
}

/* The initial image: .rodata then .data, as struct uringblk_prog_image. */
static void *globals_image(struct linker *lk)
{
	size_t n = (size_t)lk->glob_len[GLOB_RODATA] + lk->glob_len[GLOB_DATA];
	__u8 *img;

	img = calloc(n, 1);
	if (!img)
		return NULL;
	for (size_t i = 0; i < lk->ndsecs; i++) {
		const struct data_sec *ds = &lk->dsecs[i];

		if (ds->kind == GLOB_BSS)
			continue;
		memcpy(img + (ds->kind == GLOB_DATA ?
			      lk->glob_len[GLOB_RODATA] : 0) + ds->at,
		       ds->bytes, ds->size);
	}
	return img;
}

static void linker_free(struct linker *lk)
{
	for (size_t i = 0; i < lk->nsecs; i++)
		free(lk->secs[i].rel);
	free(lk->secs);
	free(lk->funcs);
	free(lk->rels);
	free(lk->dsecs);
	free(lk->fixups);
	free(lk->out);
	if (lk->elf)
		elf_end(lk->elf);
}

/*
 * Link entry function @name of section @secname: the entry's copy must be
 * what libbpf handed out (@insns, @cnt), a cross-check of the two readers.
 */
static int link_entry(const char *path, const char *secname, const char *name,
		      const struct bpf_insn *insns, size_t cnt,
		      struct uringblk_prog_obj *po, bool globals_ok,
		      struct plog *log)
{
	struct linker lk = { .path = path, .log = log, .globals_ok = globals_ok };
	struct code_sec *cs = NULL;
	struct func entry;
	unsigned int at;
	int fd, ret;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return -ENOSYS;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	lk.elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!lk.elf) {
		plog(log, "%s: %s\n", path, elf_errmsg(-1));
		ret = -EINVAL;
		goto out;
	}
	ret = scan_elf(&lk);
	if (ret)
		goto out;
	for (size_t i = 0; i < lk.nsecs; i++)
		if (!strcmp(lk.secs[i].name, secname))
			cs = &lk.secs[i];
	if (!cs || find_func(&lk, cs, 0, name, &entry)) {
		plog(log, "%s: no function '%s' in section %s\n", path, name,
		     secname);
		ret = -EINVAL;
		goto out;
	}
	if (entry.cnt != cnt ||
	    memcmp(cs->insns + entry.start, insns, cnt * sizeof(*insns))) {
		plog(log, "%s: %s: libbpf and the ELF symbol table disagree on "
		     "the instructions\n", path, name);
		ret = -EINVAL;
		goto out;
	}
	ret = add_func(&lk, &entry, &at);
	/* link_func() may append: walk by index, not pointer */
	for (size_t i = 0; !ret && i < lk.nfuncs; i++)
		ret = link_func(&lk, i);
	if (ret == -E2BIG)
		plog(log, "%s: %s: more than %u instructions with the "
		     "functions it calls\n", path, name, URINGBLK_PROG_MAX_INSNS);
	if (!ret)
		ret = layout_globals(&lk);
	/* only .bss: no image (PROG_LOAD wants globals 0 then) */
	if (!ret && lk.glob_len[GLOB_RODATA] + lk.glob_len[GLOB_DATA]) {
		po->globals = globals_image(&lk);
		if (!po->globals)
			ret = -ENOMEM;
	}
	if (!ret) {
		po->insns = lk.out;
		po->insn_cnt = lk.nout;
		po->rodata_len = lk.glob_len[GLOB_RODATA];
		po->data_len = lk.glob_len[GLOB_DATA];
		po->bss_len = lk.glob_len[GLOB_BSS];
		lk.out = NULL;
	}
out:
	linker_free(&lk);
	close(fd);
	return ret;
}

static bool is_uringblk_prog(const struct bpf_program *prog)
{
	return !strcmp(bpf_program__section_name(prog), "uringblk");
}

/* uringblk_prog_read_file() and uringblk_prog_read_obj() */
static int read_obj(const char *obj_path, const char *prog_name,
		    struct uringblk_prog_obj *po, bool globals_ok, char *log,
		    size_t log_len)
{
	struct plog l = { .buf = log, .len = log ? log_len : 0 };
	const struct bpf_program *pick = NULL;
	struct bpf_program *prog;
	libbpf_print_fn_t old_print;
	struct bpf_object *obj;
	unsigned int nprogs = 0;
	const char *pname;
	int ret;

	if (log && log_len)
		log[0] = '\0';
	if (!obj_path)
		return -EINVAL;

	libbpf_plog = &l;
	old_print = libbpf_set_print(libbpf_to_plog);
	obj = bpf_object__open_file(obj_path, NULL);
	ret = libbpf_get_error(obj);
	libbpf_set_print(old_print);
	libbpf_plog = NULL;
	if (ret) {
		obj = NULL;
		/* libbpf says -LIBBPF_ERRNO__FORMAT & co. for non-objects */
		if (ret < -4000)
			ret = -EINVAL;
		plog(&l, "%s: cannot open as a BPF object: %s\n", obj_path,
		     strerror(-ret));
		return ret;
	}

	bpf_object__for_each_program(prog, obj) {
		if (!is_uringblk_prog(prog))
			continue;
		nprogs++;
		if (!prog_name || !strcmp(bpf_program__name(prog), prog_name))
			pick = pick ? pick : prog;
	}
	if (!nprogs) {
		plog(&l, "%s: no program in SEC(\"uringblk\")\n", obj_path);
		ret = -EINVAL;
		goto out;
	}
	if (!pick) {
		plog(&l, "%s: no program '%s' in SEC(\"uringblk\"); it has:",
		     obj_path, prog_name);
		ret = -ENOENT;
		goto list;
	}
	if (!prog_name && nprogs > 1) {
		plog(&l, "%s: %u programs in SEC(\"uringblk\"), pick one:",
		     obj_path, nprogs);
		ret = -EINVAL;
		goto list;
	}

	pname = bpf_program__name(pick);
	ret = link_entry(obj_path, bpf_program__section_name(pick), pname,
			 bpf_program__insns(pick), bpf_program__insn_cnt(pick),
			 po, globals_ok, &l);
	if (!ret)
		snprintf(po->name, sizeof(po->name), "%s", pname);
	goto out;

list:
	bpf_object__for_each_program(prog, obj)
		if (is_uringblk_prog(prog))
			plog(&l, " %s", bpf_program__name(prog));
	plog(&l, "\n");
out:
	bpf_object__close(obj);
	return ret;
}

/* The size of 1.11's struct uringblk_prog_read_file_args, the first one. */
#define PROG_READ_FILE_ARGS_SIZE_1_11 \
	(offsetof(struct uringblk_prog_read_file_args, log_len) + sizeof(size_t))

int uringblk_prog_read_file_args(const struct uringblk_prog_read_file_args *args,
				 struct bpf_insn **insns, unsigned int *cnt)
{
	struct uringblk_prog_read_file_args ra;
	struct uringblk_prog_obj po = { 0 };
	int ret;

	ret = uringblk_args_in(args, PROG_READ_FILE_ARGS_SIZE_1_11, &ra,
			       sizeof(ra));
	if (ret)
		return ret;
	if (ra.flags)
		return -EINVAL;
	if (ra.log && ra.log_len)
		ra.log[0] = '\0';
	if (!insns || !cnt)
		return -EINVAL;
	/* no global data: this API has nowhere to put it */
	ret = read_obj(ra.path, ra.prog_name, &po, false, ra.log, ra.log_len);
	if (ret)
		return ret;
	*insns = po.insns;
	*cnt = po.insn_cnt;
	if (ra.name)
		memcpy(ra.name, po.name, sizeof(po.name));
	return 0;
}

/* The 1.0 entry point, kept for its callers. */
int uringblk_prog_read_file(const char *obj_path, const char *prog_name,
			    struct bpf_insn **insns, unsigned int *cnt,
			    char *name, char *log, size_t log_len)
{
	const struct uringblk_prog_read_file_args ra = {
		.size = sizeof(ra), .path = obj_path, .prog_name = prog_name,
		.name = name, .log = log, .log_len = log_len,
	};

	return uringblk_prog_read_file_args(&ra, insns, cnt);
}

int uringblk_prog_read_obj(const char *obj_path, const char *prog_name,
			   struct uringblk_prog_obj *po, char *log,
			   size_t log_len)
{
	struct uringblk_prog_obj got = { 0 };
	int ret;

	if (log && log_len)
		log[0] = '\0';
	if (!po)
		return -EINVAL;
	ret = read_obj(obj_path, prog_name, &got, true, log, log_len);
	if (ret)
		return ret;
	*po = got;
	return 0;
}

void uringblk_prog_obj_free(struct uringblk_prog_obj *po)
{
	if (!po)
		return;
	free(po->insns);
	free(po->globals);
	po->insns = NULL;
	po->globals = NULL;
}

void uringblk_prog_obj_image(const struct uringblk_prog_obj *po,
			     struct uringblk_prog_image *img)
{
	memset(img, 0, sizeof(*img));
	img->insns = (__u64)(uintptr_t)po->insns;
	img->insn_cnt = po->insn_cnt;
	img->type = URINGBLK_PROG_TYPE_EBPF;
	img->globals = (__u64)(uintptr_t)po->globals;
	img->rodata_len = po->rodata_len;
	img->data_len = po->data_len;
	img->bss_len = po->bss_len;
}
