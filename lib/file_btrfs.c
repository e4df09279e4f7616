// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Offload over files on btrfs: which block device a btrfs file system is
 * on, and where its addresses are on it.
 *
 * FIEMAP on btrfs reports fe_physical as a btrfs *logical* address, an
 * address in the file system's own space, which the chunk tree maps to
 * (device, offset) stripes.  The chunk items are read with
 * BTRFS_IOC_TREE_SEARCH_V2 (CAP_SYS_ADMIN), and each FIEMAP extent is
 * moved to the device offset of its chunk's first stripe, split where it
 * crosses a chunk's end.  Only what keeps every byte whole on the one
 * device is taken: a file system of one device, chunks of the single or
 * DUP profile (DUP's two stripes are both whole copies).
 *
 * Zoned btrfs needs nothing else: its chunk items map its zones the same
 * way.  A balance moves chunks: the check after a run re-reads the tree,
 * so a file whose blocks moved is -ESTALE.
 *
 * Parsing and translating are pure (tests/lib/file_btrfs.c feeds them
 * synthetic chunk items and FIEMAP extents).
 */
#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/btrfs.h>
#include <linux/btrfs_tree.h>
#include <linux/fiemap.h>

#include "private.h"

/* Extents whose address the file layer never reads (it refuses them, or
 * reads zeroes): left as they are, for uringblk_file_extents_build(). */
#define NOT_TRANSLATED	(FIEMAP_EXTENT_UNKNOWN | FIEMAP_EXTENT_DELALLOC | \
			 FIEMAP_EXTENT_ENCODED | FIEMAP_EXTENT_DATA_ENCRYPTED | \
			 FIEMAP_EXTENT_DATA_INLINE | FIEMAP_EXTENT_DATA_TAIL | \
			 FIEMAP_EXTENT_NOT_ALIGNED | FIEMAP_EXTENT_UNWRITTEN)

static const char *profile_name(__u64 type)
{
	static const struct {
		__u64		bit;
		const char	*name;
	} names[] = {
		{ BTRFS_BLOCK_GROUP_RAID0, "RAID0" },
		{ BTRFS_BLOCK_GROUP_RAID1, "RAID1" },
		{ BTRFS_BLOCK_GROUP_RAID10, "RAID10" },
		{ BTRFS_BLOCK_GROUP_RAID5, "RAID5" },
		{ BTRFS_BLOCK_GROUP_RAID6, "RAID6" },
		{ BTRFS_BLOCK_GROUP_RAID1C3, "RAID1C3" },
		{ BTRFS_BLOCK_GROUP_RAID1C4, "RAID1C4" },
		{ BTRFS_BLOCK_GROUP_DUP, "DUP" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (type & names[i].bit)
			return names[i].name;
	return "single";
}

/* Insert @c in logical order; -EEXIST if it overlaps a chunk. */
static int add_chunk(struct uringblk__btrfs_map *m,
		     const struct uringblk__btrfs_chunk *c)
{
	unsigned int i;

	if (m->nr == m->cap) {
		unsigned int cap = m->cap ? 2 * m->cap : 32;
		void *p;

		if (cap > (1u << 24))	/* 16M chunks: 16 PiB at 1 GiB each */
			return -E2BIG;
		p = realloc(m->c, cap * sizeof(*m->c));
		if (!p)
			return -ENOMEM;
		m->c = p;
		m->cap = cap;
	}
	/* the search answers in key order; insert in place otherwise */
	for (i = m->nr; i && m->c[i - 1].logical > c->logical; i--)
		;
	if ((i && m->c[i - 1].logical + m->c[i - 1].length > c->logical) ||
	    (i < m->nr && c->logical + c->length > m->c[i].logical))
		return -EEXIST;
	memmove(&m->c[i + 1], &m->c[i], (m->nr - i) * sizeof(*m->c));
	m->c[i] = *c;
	m->nr++;
	return 0;
}

int uringblk__btrfs_parse(struct uringblk__btrfs_map *m, const void *buf,
			  size_t len, unsigned int nr_items, __u64 devid,
			  __u64 *last_offset, char *msg, size_t msg_len)
{
	const char *p = buf, *end = p + len;
	unsigned int i, s;

	for (i = 0; i < nr_items; i++) {
		struct btrfs_ioctl_search_header sh;
		struct uringblk__btrfs_chunk c;
		struct btrfs_chunk ck;
		struct btrfs_stripe st;
		unsigned int ns;
		int ret;

		if ((size_t)(end - p) < sizeof(sh))
			goto short_answer;
		memcpy(&sh, p, sizeof(sh));
		p += sizeof(sh);
		if ((size_t)(end - p) < sh.len)
			goto short_answer;
		*last_offset = sh.offset;
		if (sh.type != BTRFS_CHUNK_ITEM_KEY) {
			p += sh.len;
			continue;
		}
		/* struct btrfs_chunk holds the first stripe; the others follow */
		if (sh.len < sizeof(ck)) {
			set_msg(msg, msg_len, "btrfs chunk item at %" PRIu64
				": %u bytes, too short",
				(uint64_t)sh.offset, sh.len);
			return -EIO;
		}
		memcpy(&ck, p, sizeof(ck));
		ns = le16toh(ck.num_stripes);
		if (!ns || sh.len < sizeof(ck) + (ns - 1) * sizeof(st)) {
			set_msg(msg, msg_len, "btrfs chunk item at %" PRIu64
				": %u stripes in %u bytes",
				(uint64_t)sh.offset, ns, sh.len);
			return -EIO;
		}
		memset(&c, 0, sizeof(c));
		for (s = 0; s < ns; s++) {
			memcpy(&st, p + offsetof(struct btrfs_chunk, stripe) +
			       s * sizeof(st), sizeof(st));
			if (le64toh(st.devid) != devid) {
				set_msg(msg, msg_len, "btrfs chunk at %"
					PRIu64 " has a stripe on device %"
					PRIu64 ", not on the file system's "
					"device %" PRIu64,
					(uint64_t)sh.offset,
					(uint64_t)le64toh(st.devid),
					(uint64_t)devid);
				return -EIO;
			}
			if (!s)
				c.physical = le64toh(st.offset);
		}
		c.logical = sh.offset;
		c.length = le64toh(ck.length);
		c.type = le64toh(ck.type);
		if (!c.length || c.logical + c.length < c.logical ||
		    c.physical + c.length < c.physical) {
			set_msg(msg, msg_len, "btrfs chunk at %" PRIu64
				": length %" PRIu64 " is empty or wraps",
				(uint64_t)c.logical, (uint64_t)c.length);
			return -EIO;
		}
		ret = add_chunk(m, &c);
		if (ret == -EEXIST) {
			set_msg(msg, msg_len, "btrfs chunk at %" PRIu64
				" overlaps another", (uint64_t)c.logical);
			return -EIO;
		}
		if (ret)
			return ret;
		p += sh.len;
	}
	return 0;

short_answer:
	set_msg(msg, msg_len, "btrfs tree search: the answer is shorter than "
		"its %u items", nr_items);
	return -EIO;
}

/*
 * The chunk of @logical: 0 with *@physical and the bytes left in the chunk
 * from there (*@avail), or the refusal.
 */
static int translate(const struct uringblk__btrfs_map *m, __u64 logical,
		     __u64 *physical, __u64 *avail, char *msg, size_t msg_len)
{
	unsigned int lo = 0, hi = m->nr;
	const struct uringblk__btrfs_chunk *c;

	/* the last chunk starting at or before @logical */
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (m->c[mid].logical <= logical)
			lo = mid + 1;
		else
			hi = mid;
	}
	c = lo ? &m->c[lo - 1] : NULL;
	if (!c || logical - c->logical >= c->length) {
		set_msg(msg, msg_len, "btrfs logical address %" PRIu64
			" is in no chunk of the chunk tree",
			(uint64_t)logical);
		return -EIO;
	}
	if (c->type & BTRFS_BLOCK_GROUP_PROFILE_MASK & ~BTRFS_BLOCK_GROUP_DUP) {
		set_msg(msg, msg_len, "btrfs chunk at %" PRIu64 " has the "
			"%s profile: only single and DUP keep every byte "
			"whole on one device", (uint64_t)c->logical,
			profile_name(c->type));
		return -EOPNOTSUPP;
	}
	*physical = c->physical + (logical - c->logical);
	*avail = c->length - (logical - c->logical);
	return 0;
}

int uringblk__btrfs_translate(const struct uringblk__btrfs_map *m,
			      struct fiemap_extent **fe, unsigned int *nr,
			      char *msg, size_t msg_len)
{
	struct fiemap_extent *out = NULL, *in = *fe;
	unsigned int n = 0, cap = 0, i;
	int ret = 0;

	for (i = 0; i < *nr; i++) {
		struct fiemap_extent e = in[i];
		__u64 phys, avail;

		do {
			if (n == cap) {
				void *p;

				cap = cap ? 2 * cap : *nr + 8;
				if (cap < n || cap > UINT32_MAX / 2 / sizeof(e)) {
					ret = -E2BIG;
					goto out;
				}
				p = realloc(out, cap * sizeof(e));
				if (!p) {
					ret = -ENOMEM;
					goto out;
				}
				out = p;
			}
			out[n] = e;
			if ((e.fe_flags & NOT_TRANSLATED) || !e.fe_length) {
				n++;
				break;
			}
			ret = translate(m, e.fe_physical, &phys, &avail, msg,
					msg_len);
			if (ret)
				goto out;
			out[n].fe_physical = phys;
			if (avail >= e.fe_length) {
				n++;
				break;
			}
			/* it crosses the chunk's end: the rest is elsewhere */
			out[n].fe_length = avail;
			out[n++].fe_flags &= ~FIEMAP_EXTENT_LAST;
			e.fe_logical += avail;
			e.fe_physical += avail;
			e.fe_length -= avail;
		} while (e.fe_length);
	}
out:
	if (ret) {
		if (ret == -ENOMEM || ret == -E2BIG)
			set_msg(msg, msg_len, "btrfs: %u extents: %s", *nr,
				strerror(-ret));
		free(out);
		return ret;
	}
	free(in);
	*fe = out;
	*nr = n;
	return 0;
}

void uringblk__btrfs_map_free(struct uringblk__btrfs_map *m)
{
	free(m->c);
	memset(m, 0, sizeof(*m));
}

int uringblk__btrfs_device(int fd, dev_t *rdev, __u64 *devid, char *msg,
			   size_t msg_len)
{
	struct btrfs_ioctl_fs_info_args fi;
	struct btrfs_ioctl_dev_info_args *di;
	struct stat st;
	__u64 id;
	int ret = -ENODEV;

	memset(&fi, 0, sizeof(fi));
	if (ioctl(fd, BTRFS_IOC_FS_INFO, &fi)) {
		ret = -errno;
		set_msg(msg, msg_len, "BTRFS_IOC_FS_INFO: %s",
			strerror(errno));
		return ret;
	}
	if (fi.num_devices != 1) {
		set_msg(msg, msg_len, "the btrfs file system spans %" PRIu64
			" devices: offload needs it on one drive alone",
			(uint64_t)fi.num_devices);
		return -EOPNOTSUPP;
	}
	di = calloc(1, sizeof(*di));	/* 4 KiB: not on the stack */
	if (!di)
		return -ENOMEM;
	/* device ids start at 1; a replaced device leaves a gap */
	for (id = 1; id <= fi.max_id; id++) {
		memset(di, 0, sizeof(*di));
		di->devid = id;
		if (ioctl(fd, BTRFS_IOC_DEV_INFO, di)) {
			ret = -errno;
			continue;
		}
		di->path[sizeof(di->path) - 1] = 0;
		if (stat((const char *)di->path, &st)) {
			ret = -errno;
			set_msg(msg, msg_len, "the btrfs file system's "
				"device %s: %s", (const char *)di->path,
				strerror(errno));
			free(di);
			return ret;
		}
		if (!S_ISBLK(st.st_mode)) {
			set_msg(msg, msg_len, "the btrfs file system's "
				"device %s is not a block device",
				(const char *)di->path);
			free(di);
			return -ENODEV;
		}
		*rdev = st.st_rdev;
		*devid = id;
		free(di);
		return 0;
	}
	free(di);
	set_msg(msg, msg_len, "BTRFS_IOC_DEV_INFO found no device: %s",
		strerror(-ret));
	return ret;
}

int uringblk__btrfs_chunks(int fd, __u64 devid, struct uringblk__btrfs_map *m,
			   char *msg, size_t msg_len)
{
	const size_t buf_size = 64 * 1024;
	struct btrfs_ioctl_search_args_v2 *sa;
	__u64 next = 0, last = 0;
	int ret = 0;

	sa = calloc(1, sizeof(*sa) + buf_size);
	if (!sa)
		return -ENOMEM;
	for (;;) {
		memset(&sa->key, 0, sizeof(sa->key));
		sa->key.tree_id = BTRFS_CHUNK_TREE_OBJECTID;
		sa->key.min_objectid = BTRFS_FIRST_CHUNK_TREE_OBJECTID;
		sa->key.max_objectid = BTRFS_FIRST_CHUNK_TREE_OBJECTID;
		sa->key.min_type = BTRFS_CHUNK_ITEM_KEY;
		sa->key.max_type = BTRFS_CHUNK_ITEM_KEY;
		sa->key.min_offset = next;
		sa->key.max_offset = UINT64_MAX;
		sa->key.max_transid = UINT64_MAX;
		sa->key.nr_items = UINT32_MAX;
		sa->buf_size = buf_size;
		if (ioctl(fd, BTRFS_IOC_TREE_SEARCH_V2, sa)) {
			ret = -errno;
			if (ret == -EPERM)
				set_msg(msg, msg_len, "the file is on btrfs, "
					"whose FIEMAP gives its own logical "
					"addresses; translating them needs "
					"the chunk tree, and reading it "
					"(BTRFS_IOC_TREE_SEARCH_V2) needs "
					"CAP_SYS_ADMIN");
			else
				set_msg(msg, msg_len,
					"BTRFS_IOC_TREE_SEARCH_V2: %s",
					strerror(-ret));
			break;
		}
		if (!sa->key.nr_items)
			break;
		ret = uringblk__btrfs_parse(m, sa->buf, buf_size,
					    sa->key.nr_items, devid, &last,
					    msg, msg_len);
		if (ret)
			break;
		if (last == UINT64_MAX)
			break;
		next = last + 1;
	}
	free(sa);
	if (!ret && !m->nr) {
		set_msg(msg, msg_len, "btrfs: the chunk tree has no chunk");
		ret = -EIO;
	}
	return ret;
}
