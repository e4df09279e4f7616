/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TESTS_ASM_H
#define TESTS_ASM_H

#include <stddef.h>
#include <linux/bpf.h>

/*
 * Assemble src into out (at most max slots).  Returns the number of slots,
 * or -1 with a "line N: reason" message in err.
 */
int asm_text(const char *src, struct bpf_insn *out, int max, char *err,
	     size_t errlen);

#endif
