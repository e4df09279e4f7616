// SPDX-License-Identifier: GPL-2.0
/*
 * Minimal loader for clang-built uringblk programs (see elfprog.h).
 *
 * libbpf's bpf_object__open() leaves calls into .text unresolved until
 * bpf_object__load(), which needs the kernel's bpf(); this does the one
 * relocation a uringblk program needs: R_BPF_64_32 on a pseudo call.
 */
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "elfprog.h"

#ifndef R_BPF_64_64
#define R_BPF_64_64	1
#endif
#ifndef R_BPF_64_32
#define R_BPF_64_32	10
#endif

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

int elfprog_load(const char *path, const char *secname,
		 struct bpf_insn **insns, unsigned int *len,
		 unsigned int *sec_len, char *err, size_t errlen)
{
	Elf_Data *prog_data = NULL, *text_data = NULL, *syms = NULL;
	size_t shstrndx, prog_idx = 0, text_idx = 0, sym_strndx = 0;
	struct bpf_insn *out = NULL;
	unsigned int nprog, ntext, total;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	Elf *elf;
	int fd, ret = -1;

	elf_version(EV_CURRENT);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return fail(err, errlen, "%s: cannot open", path);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_getshdrstrndx(elf, &shstrndx)) {
		fail(err, errlen, "%s: not an ELF object", path);
		goto out_fd;
	}
	while ((scn = elf_nextscn(elf, scn))) {
		const char *name;

		gelf_getshdr(scn, &sh);
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!name)
			continue;
		if (!strcmp(name, secname)) {
			prog_idx = elf_ndxscn(scn);
			prog_data = elf_getdata(scn, NULL);
		} else if (!strcmp(name, ".text")) {
			text_idx = elf_ndxscn(scn);
			text_data = elf_getdata(scn, NULL);
		} else if (sh.sh_type == SHT_SYMTAB) {
			syms = elf_getdata(scn, NULL);
			sym_strndx = sh.sh_link;
		}
	}
	if (!prog_data || !prog_data->d_size) {
		fail(err, errlen, "%s: no section '%s'", path, secname);
		goto out_elf;
	}
	nprog = prog_data->d_size / sizeof(struct bpf_insn);
	ntext = text_data ? text_data->d_size / sizeof(struct bpf_insn) : 0;
	total = nprog + ntext;
	out = malloc(total * sizeof(*out));
	memcpy(out, prog_data->d_buf, nprog * sizeof(*out));
	if (ntext)
		memcpy(out + nprog, text_data->d_buf, ntext * sizeof(*out));

	scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		Elf_Data *rel;
		size_t base;

		gelf_getshdr(scn, &sh);
		if (sh.sh_type != SHT_REL)
			continue;
		if (sh.sh_info != prog_idx &&
		    (!text_idx || sh.sh_info != text_idx))
			continue;
		base = sh.sh_info == prog_idx ? 0 : nprog;
		rel = elf_getdata(scn, NULL);
		for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Rel r;
			GElf_Sym sym;
			struct bpf_insn *in;
			size_t at, tgt_base;
			long tgt;
			const char *sname;

			gelf_getrel(rel, (int)i, &r);
			if (!syms || !gelf_getsym(syms, GELF_R_SYM(r.r_info), &sym)) {
				fail(err, errlen, "%s: bad relocation", path);
				goto out_elf;
			}
			sname = elf_strptr(elf, sym_strndx, sym.st_name);
			at = base + r.r_offset / sizeof(struct bpf_insn);
			in = &out[at];
			if (GELF_R_TYPE(r.r_info) == R_BPF_64_64) {
				fail(err, errlen,
				     "%s: insn %zu references global data '%s': not supported (keep constants on the stack or in ctx->args)",
				     path, at, sname && *sname ? sname : "?");
				goto out_elf;
			}
			if (GELF_R_TYPE(r.r_info) != R_BPF_64_32 ||
			    in->code != (BPF_JMP | BPF_CALL) ||
			    in->src_reg != BPF_PSEUDO_CALL) {
				fail(err, errlen, "%s: unsupported relocation type %lu at insn %zu",
				     path, (unsigned long)GELF_R_TYPE(r.r_info), at);
				goto out_elf;
			}
			if (sym.st_shndx == text_idx && text_idx)
				tgt_base = nprog;
			else if (sym.st_shndx == prog_idx)
				tgt_base = 0;
			else {
				fail(err, errlen, "%s: call into another section at insn %zu",
				     path, at);
				goto out_elf;
			}
			/* as libbpf: target = symbol + imm + 1 slots */
			tgt = (long)tgt_base + (long)(sym.st_value / sizeof(struct bpf_insn)) +
			      in->imm + 1;
			in->imm = (int)(tgt - (long)at - 1);
		}
	}
	*insns = out;
	*len = total;
	if (sec_len)
		*sec_len = nprog;
	out = NULL;
	ret = 0;
out_elf:
	free(out);
	elf_end(elf);
out_fd:
	close(fd);
	return ret;
}
