// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/* A BTF-defined map and a program using it: the drive has no maps. */
#include <linux/bpf.h>
#include "uringblk_prog.h"

struct {
	int (*type)[BPF_MAP_TYPE_ARRAY];
	int (*max_entries)[4];
	__u32 *key;
	__u64 *value;
} counts SEC(".maps");

static void *(*map_lookup)(void *map, const void *key) = (void *)1;

SEC("uringblk")
__u64 uses_map(const struct uringblk_prog_ctx *ctx)
{
	__u32 key = 0;
	__u64 *v = map_lookup(&counts, &key);

	return v ? *v + ctx->args[0] : 0;
}

/* same object, no map use: loadable */
SEC("uringblk")
__u64 no_map(const struct uringblk_prog_ctx *ctx)
{
	return ctx->args[0] + 1;
}
