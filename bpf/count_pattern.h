/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * count_pattern.h - the arguments count_pattern.bpf.c and grep.bpf.c take,
 * for the programs and for the hosts that run them (the CLI's --pattern,
 * tests, benchmarks): the pattern in args[0..1] as its bytes lie in
 * memory (byte i of the pattern is byte i of &args[0], the rest zero),
 * its length in args[2].
 */
#ifndef COUNT_PATTERN_H
#define COUNT_PATTERN_H

#include <linux/types.h>

#define COUNT_PATTERN_MAX	16	/* bytes: args[0..1] */

#ifndef __bpf__
#include <errno.h>
#include <string.h>

/**
 * count_pattern_args() - pack a search pattern into a run's args
 * @args:	args[0..2] of an EXEC (struct uringblk_exec_args.args), all
 *		three overwritten
 * @pat:	the pattern's bytes
 * @len:	1..COUNT_PATTERN_MAX
 *
 * Return: 0, or -EINVAL for a @len outside 1..COUNT_PATTERN_MAX.
 */
static inline int count_pattern_args(__u64 args[3], const void *pat,
				     size_t len)
{
	if (!len || len > COUNT_PATTERN_MAX)
		return -EINVAL;
	memset(args, 0, 3 * sizeof(args[0]));
	memcpy(args, pat, len);
	args[2] = len;
	return 0;
}
#endif /* __bpf__ */

#endif /* COUNT_PATTERN_H */
