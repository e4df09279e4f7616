/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TESTS_ELFPROG_H
#define TESTS_ELFPROG_H

#include <stddef.h>
#include <linux/bpf.h>

/*
 * Load the program in ELF section @sec of a clang -target bpf object:
 * its instructions followed by .text (the static __noinline functions it
 * calls), with the bpf-to-bpf call relocations applied, as libbpf would
 * at load time.  Global data references are refused with a clear error.
 * Returns 0 and a malloc'ed *insns, or -1 with a message in err.
 */
int elfprog_load(const char *path, const char *sec, struct bpf_insn **insns,
		 unsigned int *len, unsigned int *sec_len, char *err,
		 size_t errlen);

#endif
