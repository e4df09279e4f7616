// SPDX-License-Identifier: GPL-2.0
/*
 * Zone metadata of a file-backed zoned drive: each zone's condition and
 * write pointer, kept after the data in the backing file, so that they
 * survive a module reload or a reboot.  The format is this file's job;
 * what a valid zone state is, is zoned_state.c's (uringblk_zone_restore()).
 *
 * Layout, in the backend's metadata area (meta_read/meta_write; the file
 * backend keeps it at byte offset `capacity` of the file): two slots of
 * uringblk_zmeta_slot_bytes() each, written alternately.  A slot is a
 * header and one record per zone, covered by one CRC32, and carries a
 * generation number; a save writes generation + 1 into slot
 * (generation + 1) % 2, never over the newest good copy.  The CRC covers
 * the whole slot, padding included.  Loading takes
 * the valid slot with the higher generation.  A save torn half way (a
 * crash, power loss) leaves a slot whose checksum fails: that is reported
 * and the other slot -- the state of the previous completed save -- is
 * used.  Nothing is guessed: no valid slot, a newer format or another
 * geometry refuses the device with a message that says what to do.
 *
 * When it is saved: on every flush, FUA write and zone management
 * operation that finds a zone changed since the last save, and at clean
 * removal.  A save first snapshots the zones, then syncs the data, then
 * writes and syncs the slot, so a saved write pointer never covers data
 * that is not durable.  That is two syncs, and no fewer will do: one sync
 * over data and slot together may make the slot durable before the data
 * it covers.  A FUA write needs nothing else: its own data sync is the
 * first of the two (zoned.c calls only uringblk_zmeta_sync()).  After an
 * unclean stop the zones are as of the last completed save, like the
 * data, and whatever lies past each write pointer is discarded at load,
 * so "past the write pointer reads as zeroes" holds again.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/crc32.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "uringblk.h"

#define URINGBLK_ZMETA_MAGIC	0x314e5a4b4c425255ULL	/* "URBLKZN1" */
#define URINGBLK_ZMETA_VERSION	1
#define URINGBLK_ZMETA_CLEAN	(1U << 0)	/* written by a clean removal */

/* On-disk, little endian, 64 bytes. */
struct uringblk_zmeta_hdr {
	__le64	magic;
	__le32	version;
	__le32	flags;		/* URINGBLK_ZMETA_* */
	__le64	generation;
	__le64	capacity;	/* bytes */
	__le64	zone_size;	/* bytes */
	__le64	zone_capacity;	/* bytes */
	__le32	block_size;
	__le32	nr_zones;
	__le32	nr_conv;
	__le32	crc;		/* crc32_le(~0) of the whole slot, this field 0 */
};

struct uringblk_zmeta_rec {
	__le64	wp;		/* sector */
	__u8	cond;		/* BLK_ZONE_COND_* */
	__u8	pad[7];
};

struct uringblk_zmeta {
	struct mutex		lock;		/* serialises saves */
	u64			generation;	/* of the newest good slot */
	size_t			slot_bytes;
	void			*buf;		/* one slot */
	struct uringblk_zone_rec *saved;	/* zones as last saved */
	struct uringblk_zone_rec *now;		/* scratch: the snapshot */
};

static u32 uringblk_zmeta_nr_zones(const struct uringblk_config *cfg)
{
	return DIV_ROUND_UP_ULL(cfg->capacity, (u64)cfg->zone_size_mb << 20);
}

static size_t uringblk_zmeta_slot_bytes(u32 nr_zones)
{
	return round_up(sizeof(struct uringblk_zmeta_hdr) +
			(size_t)nr_zones * sizeof(struct uringblk_zmeta_rec), PAGE_SIZE);
}

/**
 * uringblk_zmeta_bytes() - space the zone metadata takes after the data
 * @cfg: a validated configuration
 *
 * Return: bytes; 0 for a device without zones.
 */
u64 uringblk_zmeta_bytes(const struct uringblk_config *cfg)
{
	if (!cfg->zoned)
		return 0;
	return 2 * uringblk_zmeta_slot_bytes(uringblk_zmeta_nr_zones(cfg));
}

/* Read or write slot @slot whole, through the backend's metadata operations. */
static int uringblk_zmeta_io(struct uringblk_dev *dev, int slot, bool write)
{
	struct uringblk_zmeta *zm = dev->zmeta;
	u64 off = slot * zm->slot_bytes;

	if (write)
		return dev->ops->meta_write(dev, zm->buf, off, zm->slot_bytes);
	return dev->ops->meta_read(dev, zm->buf, off, zm->slot_bytes);
}

/* The whole slot, padding included: a torn write may land anywhere. */
static u32 uringblk_zmeta_crc(struct uringblk_zmeta *zm)
{
	struct uringblk_zmeta_hdr *h = zm->buf;
	__le32 saved = h->crc;
	u32 crc;

	h->crc = 0;
	crc = crc32_le(~0U, zm->buf, zm->slot_bytes);
	h->crc = saved;
	return crc;
}

/*
 * Check the slot in zm->buf.  Returns 1 if it holds good metadata (its
 * generation in *gen), 0 if it is all zeroes (never written), or -EINVAL
 * with the reason in @why.
 */
static int uringblk_zmeta_check(struct uringblk_zmeta *zm, u64 *gen,
				const char **why)
{
	struct uringblk_zmeta_hdr *h = zm->buf;
	u32 nr = le32_to_cpu(h->nr_zones);

	if (!memchr_inv(zm->buf, 0, zm->slot_bytes))
		return 0;
	if (le64_to_cpu(h->magic) != URINGBLK_ZMETA_MAGIC) {
		*why = "no uringblk zone metadata (bad magic)";
	} else if (le32_to_cpu(h->version) != URINGBLK_ZMETA_VERSION) {
		*why = "written by another uringblk metadata version";
	} else if (uringblk_zmeta_slot_bytes(nr) != zm->slot_bytes) {
		*why = "made for another number of zones";
	} else if (uringblk_zmeta_crc(zm) != le32_to_cpu(h->crc)) {
		*why = "checksum mismatch (a torn or corrupted update)";
	} else {
		*gen = le64_to_cpu(h->generation);
		return 1;
	}
	return -EINVAL;
}

/* Does the header in zm->buf describe @cfg's geometry?  Says which value differs. */
static int uringblk_zmeta_geometry(struct uringblk_dev *dev, struct uringblk_msg *msg)
{
	const struct uringblk_config *cfg = &dev->cfg;
	const struct uringblk_zmeta_hdr *h = dev->zmeta->buf;
	u64 zcap = (u64)(cfg->zone_capacity_mb ?: cfg->zone_size_mb) << 20;
	const char *what = NULL;
	u64 have = 0, want = 0;

#define CHECK(name, disk, mine)						\
	do {								\
		if (!what && (u64)(disk) != (u64)(mine)) {		\
			what = name;					\
			have = disk;					\
			want = mine;					\
		}							\
	} while (0)
	CHECK("capacity (bytes)", le64_to_cpu(h->capacity), cfg->capacity);
	CHECK("block_size", le32_to_cpu(h->block_size), cfg->block_size);
	CHECK("zone size (bytes)", le64_to_cpu(h->zone_size), (u64)cfg->zone_size_mb << 20);
	CHECK("zone capacity (bytes)", le64_to_cpu(h->zone_capacity), zcap);
	CHECK("zone_nr_conv", le32_to_cpu(h->nr_conv), cfg->zone_nr_conv);
#undef CHECK
	if (!what)
		return 0;
	uringblk_msg(msg, "path=%s: zone metadata was written for %s %llu, this configuration has %llu: use the original geometry",
		     cfg->path, what, have, want);
	return -EINVAL;
}

/* Write the zones in zm->now as the next generation, then sync.  zm->lock held. */
static int uringblk_zmeta_write(struct uringblk_dev *dev, u32 flags)
{
	struct uringblk_zmeta *zm = dev->zmeta;
	const struct uringblk_config *cfg = &dev->cfg;
	struct uringblk_zmeta_hdr *h = zm->buf;
	struct uringblk_zmeta_rec *rec = (void *)(h + 1);
	u32 nr = uringblk_zmeta_nr_zones(cfg);
	u64 gen = zm->generation + 1;
	int ret;

	memset(zm->buf, 0, zm->slot_bytes);
	*h = (struct uringblk_zmeta_hdr) {
		.magic		= cpu_to_le64(URINGBLK_ZMETA_MAGIC),
		.version	= cpu_to_le32(URINGBLK_ZMETA_VERSION),
		.flags		= cpu_to_le32(flags),
		.generation	= cpu_to_le64(gen),
		.capacity	= cpu_to_le64(cfg->capacity),
		.zone_size	= cpu_to_le64((u64)cfg->zone_size_mb << 20),
		.zone_capacity	= cpu_to_le64((u64)(cfg->zone_capacity_mb ?:
						    cfg->zone_size_mb) << 20),
		.block_size	= cpu_to_le32(cfg->block_size),
		.nr_zones	= cpu_to_le32(nr),
		.nr_conv	= cpu_to_le32(cfg->zone_nr_conv),
	};
	for (u32 i = 0; i < nr; i++) {
		rec[i].wp = cpu_to_le64(zm->now[i].wp);
		rec[i].cond = zm->now[i].cond;
	}
	h->crc = cpu_to_le32(uringblk_zmeta_crc(zm));

	ret = uringblk_zmeta_io(dev, gen & 1, true);
	if (!ret)
		ret = dev->ops->flush(dev);
	if (ret) {
		pr_err("%s: saving zone metadata (generation %llu) failed: %d; the previous one stays valid\n",
		       dev->name, gen, ret);
		return ret;
	}
	zm->generation = gen;
	memcpy(zm->saved, zm->now, nr * sizeof(*zm->now));
	return 0;
}

/**
 * uringblk_zmeta_sync() - make completed writes and the zone state durable
 * @dev: the device
 *
 * The flush of a zoned device, and the durability of its FUA writes and
 * zone operations: the backend's flush, and for a file-backed device also
 * the zone metadata, if a zone changed since the last save.  Takes no zone
 * mutex.  Does not sleep on a device without saved zones whose flush does
 * not (memory); else process context, may sleep.  Return: 0 or -errno.
 */
int uringblk_zmeta_sync(struct uringblk_dev *dev)
{
	struct uringblk_zmeta *zm = dev->zmeta;
	u32 nr;
	int ret;

	if (!zm)
		return dev->ops->flush(dev);
	nr = uringblk_zmeta_nr_zones(&dev->cfg);
	mutex_lock(&zm->lock);
	/* Snapshot first: the data sync below then covers every write it counts. */
	uringblk_zone_snapshot(dev, zm->now);
	ret = dev->ops->flush(dev);
	if (!ret && memcmp(zm->now, zm->saved, nr * sizeof(*zm->now)))
		ret = uringblk_zmeta_write(dev, 0);
	mutex_unlock(&zm->lock);
	return ret;
}

static void uringblk_zmeta_free(struct uringblk_dev *dev)
{
	struct uringblk_zmeta *zm = dev->zmeta;

	if (!zm)
		return;
	kvfree(zm->buf);
	kvfree(zm->saved);
	kvfree(zm->now);
	kfree(zm);
	dev->zmeta = NULL;
}

/**
 * uringblk_zmeta_load() - restore the zones of a file-backed zoned device
 * @dev: the device, its backend and zones initialised (all zones empty)
 * @msg: where a refusal is explained
 *
 * A file without metadata (new, or its metadata zeroed) starts with all
 * zones empty.  Otherwise the newest good slot is applied, and a new
 * generation is written at once, so a crash before the next flush finds
 * the device marked in use.  Does nothing for other devices.
 * Process context.  Return: 0 or -errno (message in @msg).
 */
int uringblk_zmeta_load(struct uringblk_dev *dev, struct uringblk_msg *msg)
{
	const struct uringblk_config *cfg = &dev->cfg;
	u32 nr = uringblk_zmeta_nr_zones(cfg);
	const char *why[2] = { NULL, NULL };
	int state[2], best = -1, ret;
	struct uringblk_zmeta *zm;
	u64 gen[2] = { 0, 0 };
	u32 flags = 0;

	BUILD_BUG_ON(sizeof(struct uringblk_zmeta_hdr) != 64);
	BUILD_BUG_ON(sizeof(struct uringblk_zmeta_rec) != 16);
	/* Only a persistent backend (file) keeps zones. */
	if (!dev->zoned || !dev->ops->persistent || !dev->ops->meta_write)
		return 0;

	zm = kzalloc(sizeof(*zm), GFP_KERNEL);
	if (!zm)
		return -ENOMEM;
	mutex_init(&zm->lock);
	dev->zmeta = zm;
	zm->slot_bytes = uringblk_zmeta_slot_bytes(nr);
	zm->buf = kvzalloc(zm->slot_bytes, GFP_KERNEL);
	zm->saved = kvcalloc(nr, sizeof(*zm->saved), GFP_KERNEL);
	zm->now = kvcalloc(nr, sizeof(*zm->now), GFP_KERNEL);
	if (!zm->buf || !zm->saved || !zm->now) {
		ret = -ENOMEM;
		goto out_free;
	}

	for (int s = 0; s < 2; s++) {
		ret = uringblk_zmeta_io(dev, s, false);
		if (ret) {
			uringblk_msg(msg, "path=%s: cannot read zone metadata slot %d: %d",
				     cfg->path, s, ret);
			goto out_free;
		}
		state[s] = uringblk_zmeta_check(zm, &gen[s], &why[s]);
		if (state[s] == 1 && (best < 0 || gen[s] > gen[best]))
			best = s;
	}

	if (best < 0 && state[0] == 0 && state[1] == 0) {
		/* Never written: every zone starts empty, as the snapshot says. */
		pr_info("path=%s: no zone metadata yet: all zones empty\n", cfg->path);
	} else if (best < 0) {
		uringblk_msg(msg, "path=%s: zone metadata unusable (slot 0: %s; slot 1: %s): refusing to guess zone states; to start over with all zones empty, zero it: dd if=/dev/zero of=%s bs=4096 count=%zu seek=%llu oflag=seek_bytes conv=notrunc",
			     cfg->path, why[0] ?: "empty", why[1] ?: "empty", cfg->path,
			     2 * zm->slot_bytes / 4096, cfg->capacity);
		ret = -EINVAL;
		goto out_free;
	} else {
		struct uringblk_zmeta_hdr *h = zm->buf;
		struct uringblk_zmeta_rec *rec = (void *)(h + 1);

		if (best == 0)		/* the buffer holds slot 1: read 0 again */
			ret = uringblk_zmeta_io(dev, 0, false);
		if (ret)
			goto out_free;
		ret = uringblk_zmeta_geometry(dev, msg);
		if (ret)
			goto out_free;
		for (u32 i = 0; i < nr; i++) {
			zm->now[i].wp = le64_to_cpu(rec[i].wp);
			zm->now[i].cond = rec[i].cond;
		}
		flags = le32_to_cpu(h->flags);
		zm->generation = gen[best];
		if (state[!best] < 0)
			pr_warn("path=%s: zone metadata slot %d: %s; using slot %d (generation %llu), the state of the save before it\n",
				cfg->path, !best, why[!best], best, gen[best]);
		ret = uringblk_zone_restore(dev, zm->now, msg);
		if (ret)
			goto out_free;
		pr_info("path=%s: zone state restored (generation %llu)%s\n", cfg->path,
			gen[best], flags & URINGBLK_ZMETA_CLEAN ? "" :
			"; the device was not removed cleanly: zones are as of the last flush");
	}

	/* Past every write pointer reads as zeroes again (see the top). */
	uringblk_zone_clean_all(dev);
	mutex_lock(&zm->lock);
	uringblk_zone_snapshot(dev, zm->now);
	ret = uringblk_zmeta_write(dev, 0);
	mutex_unlock(&zm->lock);
	if (ret) {
		uringblk_msg(msg, "path=%s: cannot write zone metadata: %d", cfg->path, ret);
		goto out_free;
	}
	return 0;

out_free:
	uringblk_zmeta_free(dev);
	return ret;
}

/**
 * uringblk_zmeta_close() - save the zones for the last time, marked clean
 * @dev: the device, no longer taking I/O
 * @save: the caller has just flushed the data; false if that failed: then
 *	nothing is saved (a saved write pointer must never cover data that
 *	are not durable) and the last save stays the newest
 *
 * With no I/O left, no write can slip between the caller's data flush and
 * the snapshot.  A failed save is reported by uringblk_zmeta_write().
 * Frees the metadata either way.  Process context; may sleep.
 */
void uringblk_zmeta_close(struct uringblk_dev *dev, bool save)
{
	struct uringblk_zmeta *zm = dev->zmeta;

	if (!zm)
		return;
	if (save) {
		mutex_lock(&zm->lock);
		uringblk_zone_snapshot(dev, zm->now);
		uringblk_zmeta_write(dev, URINGBLK_ZMETA_CLEAN);
		mutex_unlock(&zm->lock);
	}
	uringblk_zmeta_free(dev);
}

/*
 * What a failed final flush costs the zones, for the end of its message
 * (main.c): "" for a drive that saves none.  Does not sleep.
 */
const char *uringblk_zmeta_unsaved(const struct uringblk_dev *dev)
{
	return dev->zmeta ? ", zones not saved (the next load uses the last save)" : "";
}
