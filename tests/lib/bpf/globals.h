/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * What globals.bpf.c's all_sections returns, in C: shared by the native
 * tests (tests/bpf) and the kselftest (selftests/uringblk/prog_globals.c).
 */
#ifndef URINGBLK_TEST_GLOBALS_H
#define URINGBLK_TEST_GLOBALS_H

#define GLOBALS_WORD		"Alpha"
#define GLOBALS_TABLE		{ 10, 20, 30, 40 }
#define GLOBALS_DATA_INIT	0x1000

#ifndef __bpf__
#include <stdint.h>

static inline uint64_t globals_ref(uint64_t a, uint64_t b)
{
	static const unsigned int table[4] = GLOBALS_TABLE;

	/* .data from its image, .bss from zero: nothing of the last run */
	return GLOBALS_DATA_INIT + table[a & 3] + (a + 1) + 7 +
	       (unsigned char)GLOBALS_WORD[b % 5] + (unsigned char)"xyz"[b & 1];
}
#endif
#endif
