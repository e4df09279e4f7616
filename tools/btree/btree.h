/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * tools/btree/btree.h - build, check and walk the B+-tree images of
 * bpf/btree.h (the format btree_lookup.bpf.c and btree_range.bpf.c walk)
 * from host C: the uringblk-btree CLI, the native and VM tests, and
 * tools/bench/lookup link btree.c.  No kernel, no liburingblk: only libc.
 *
 * An image is planned from (nr_keys, depth, seed) alone, so every tool
 * that knows those three (they are in the superblock) knows every key
 * and every value without a table:
 *   - keys: key i (the i-th smallest, 0 <= i < nr_keys) lies in slot i,
 *     [i * stride + 1, (i + 1) * stride), at a seed-derived place inside
 *     it; stride = UINT64_MAX / (nr_keys + 1), so keys spread over the
 *     whole u64 range (the high bit included).  The slot bounds
 *     j * stride (0 <= j <= nr_keys) are never keys: btree_missing_key().
 *   - values: btree_value(key), a fixed bijection of the key.
 *
 * The shape: depth is exact.  Leaves hold leaf_fill keys (the last ones
 * fewer: keys are spread evenly), each internal level above holds
 * ceil(below / fill) nodes with the children spread evenly, so no node
 * is more than one entry fuller than its neighbours.  btree_plan() picks
 * the pair (fill 2..31, leaf_fill 1..30) that gives exactly depth levels
 * with leaf_fill closest to min(fill, 30), the smallest such fill: nodes
 * as uniformly full as the depth allows (1,000,000 keys at depth 6: 10
 * and 10).
 *
 * Image layout (offsets from the image start; see bpf/btree.h):
 *   0              struct btree_super
 *   512            nodes, breadth first: root, its children left to right,
 *                  ..., then the leaves left to right
 *   values_off     value of key i at values_off + 8 * i (512-aligned area)
 *   size           end, a multiple of 512
 * Leaf ptr[] point into the value area; a leaf's ptr[BTREE_LEAF_NEXT] is
 * the next leaf, 0 in the last; unused key and ptr slots are 0.
 *
 * Functions returning int return 0 (or a BTREE_* status where said) on
 * success and a negative errno on failure; those with err/errlen also
 * write a one-line reason there (errlen may be 0).
 */
#ifndef URINGBLK_TOOLS_BTREE_H
#define URINGBLK_TOOLS_BTREE_H

#include <stddef.h>
#include <linux/types.h>

#include "../../bpf/btree.h"

/* Everything a tool needs to know about an image; filled by btree_plan(). */
struct btree_shape {
	__u64		nr_keys;
	unsigned int	depth;		/* levels, leaves included */
	__u64		seed;
	unsigned int	fill;		/* children per internal node aimed at (2..31);
					 * at depth 1 the root leaf's keys */
	unsigned int	leaf_fill;	/* keys per leaf aimed at (1..30) */
	__u64		nodes;		/* all nodes, leaves included */
	__u64		leaves;
	__u64		root;		/* offset of the root: BTREE_NODE_SIZE */
	__u64		values_off;	/* offset of the value area */
	__u64		size;		/* bytes of the whole image */
	__u64		stride;		/* key slot width (see above) */
};

/**
 * btree_plan() - choose the shape of an image of nr_keys keys, depth levels
 * @nr_keys:	number of keys, >= 1
 * @depth:	levels, BTREE_MIN_DEPTH..BTREE_MAX_DEPTH
 * @seed:	key seed (any value)
 * @s:		filled on success
 * @err, @errlen: the reason on failure
 *
 * Return: 0, or -EINVAL with a message naming the nr_keys range that
 * works for that depth (1..30 at depth 1, 2^(depth-2)+1 .. 30*31^(depth-1)
 * above, capped by what fits in a u64 image size).
 */
int btree_plan(__u64 nr_keys, unsigned int depth, __u64 seed,
	       struct btree_shape *s, char *err, size_t errlen);

/**
 * btree_shape_of() - the shape of an image, from its superblock
 * @sb:		a superblock (from btree_read_super())
 * @s:		filled on success
 * @err, @errlen: the reason on failure
 *
 * Plans from sb's nr_keys, depth and seed and checks that the superblock's
 * other fields (root, values, size, fill) are what the plan says.
 * Return: 0, or -EINVAL (the superblock is not one btree_write() writes).
 */
int btree_shape_of(const struct btree_super *sb, struct btree_shape *s,
		   char *err, size_t errlen);

/** btree_key() - the i-th smallest key of the image, i < s->nr_keys */
__u64 btree_key(const struct btree_shape *s, __u64 i);

/**
 * btree_missing_key() - a key that is not in the image
 * @s:	the shape
 * @i:	any; taken modulo nr_keys + 1
 *
 * Return: the slot bound i * stride: 0 (below the smallest key) for
 * i = 0, a key between key i-1 and key i for 0 < i < nr_keys, and
 * nr_keys * stride (above the largest key) for i = nr_keys.
 */
__u64 btree_missing_key(const struct btree_shape *s, __u64 i);

/**
 * btree_value() - the value stored for key
 *
 * Return: (key ^ 0x5bd1e9955bd1e995) * 0x9e3779b97f4a7c15 (mod 2^64), a
 * bijection, so no two keys share a value and no value is the key.
 */
__u64 btree_value(__u64 key);

/**
 * btree_build_image() - write the image of @s into memory
 * @s:		a planned shape
 * @buf:	at least s->size bytes
 * @len:	size of buf
 *
 * Return: 0, or -ENOSPC if len < s->size.
 */
int btree_build_image(const struct btree_shape *s, void *buf, __u64 len);

/**
 * btree_write() - write the image of @s to fd at byte offset off (pwrite)
 * @fd:		a file or block device, O_DIRECT or not
 * @off:	image start; a multiple of 512 for O_DIRECT
 * @s:		a planned shape
 *
 * Writes in chunks from a 4096-aligned buffer (s->size is a multiple of
 * 512), so O_DIRECT fds on 512-byte-block devices work.  Does not fsync.
 * Return: 0, -ENOSPC on a short write, or -errno of pwrite.
 */
int btree_write(int fd, __u64 off, const struct btree_shape *s);

/**
 * btree_read_super() - read and check the magic of the superblock at off
 *
 * Return: 0, -EINVAL if the magic is wrong, -EIO on a short read, or
 * -errno of pread.  Works on O_DIRECT fds (off a multiple of 512).
 */
int btree_read_super(int fd, __u64 off, struct btree_super *sb);

/*
 * How the host walk reads the image: len bytes at image offset off into
 * buf; 0 or a negative errno.  btree_lookup_host() and btree_range_host()
 * read a node as 512 bytes at its offset (a multiple of 512 in the images
 * btree_write() writes; any multiple of 8 in a corrupt one) into a
 * 512-aligned buf, and a value as 8 bytes at its offset.
 */
typedef int (*btree_read_fn)(void *priv, __u64 off, void *buf, unsigned int len);

/* priv of btree_pread(): an fd and the image's offset in it */
struct btree_fd {
	int	fd;
	__u64	off;
};

/** btree_pread() - a btree_read_fn over a struct btree_fd (O_DIRECT safe) */
int btree_pread(void *priv, __u64 off, void *buf, unsigned int len);

/**
 * btree_lookup_host() - the host's lookup, the reference of btree_lookup
 * @rd, @priv:	how to read the image
 * @size:	bytes of the image the walk may touch (the granted range)
 * @root:	offset of the root node (superblock's root)
 * @key:	the key looked up
 * @value:	set when found
 * @reads:	if not NULL, set to the number of reads done (depth + 1 when
 *		found: one 512-byte block per level, then the value's block)
 *
 * Same rules and the same search as the program (bpf/btree.h, "What the
 * programs check"; btree_search()), so the two agree on any image: a node
 * not wholly inside [0, size) or not 8-byte aligned, a bad type, num 0 or
 * over capacity, more than BTREE_MAX_DEPTH levels, a bad value pointer
 * give BTREE_CORRUPT.
 * Return: BTREE_FOUND, BTREE_NOT_FOUND, BTREE_CORRUPT, or the negative
 * errno of rd.
 */
int btree_lookup_host(btree_read_fn rd, void *priv, __u64 size, __u64 root,
		      __u64 key, __u64 *value, unsigned int *reads);

/**
 * btree_range_host() - the host's range query, the reference of btree_range
 * @rd, @priv, @size, @root: as for btree_lookup_host()
 * @lo, @hi:	the interval [lo, hi)
 * @vals:	receives the values of the keys in [lo, hi), in key order
 * @max:	room in vals (the program's out_len / 8)
 *
 * Return: what btree_range returns in r0 (bpf/btree.h: the count, with
 * BTREE_RANGE_MORE / BTREE_RANGE_CORRUPT set as documented there), or
 * the negative errno of rd.
 */
__s64 btree_range_host(btree_read_fn rd, void *priv, __u64 size, __u64 root,
		       __u64 lo, __u64 hi, __u64 *vals, __u64 max);

/**
 * btree_verify_image() - check every invariant of an image in memory
 * @img, @len:	the image (len at least its superblock's size)
 * @err, @errlen: the first violation found
 *
 * Checks: the superblock against btree_shape_of(); every node: type,
 * 1 <= num <= capacity (31, 30 in leaves), keys strictly increasing, an
 * internal key[i] equal to the smallest key under child i, children
 * inside the image and aligned; all leaves at the same depth; the leaf
 * chain visits every leaf once, left to right, and ends with 0; key i
 * is btree_key(i) and its value btree_value(key i); every key is found
 * by btree_lookup_host() and btree_missing_key()s are not.
 * Return: 0, or -EINVAL (corrupt) with the reason in err.
 */
int btree_verify_image(const void *img, __u64 len, char *err, size_t errlen);

/**
 * btree_verify() - btree_verify_image() of the image at fd, offset off
 *
 * Reads the superblock, then the whole image (O_DIRECT safe).
 * Return: 0, -EINVAL (corrupt, reason in err), -ENOMEM, or -errno of pread.
 */
int btree_verify(int fd, __u64 off, char *err, size_t errlen);

#endif /* URINGBLK_TOOLS_BTREE_H */
