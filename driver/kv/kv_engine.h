/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The KV engine's contract: an object store (keys of 1..16 bytes, values
 * up to the image's maximum) on a block media reached only through three
 * callbacks, with the NVMe Key Value command set's semantics and statuses.
 * Pure C (kv_port.h): it builds into the module and into native tests.
 * The on-media format is Documentation/dev/kv-format.md.
 *
 * Locking (the caller's): one reader/writer lock per engine.  Mutating
 * calls - kv_store(), kv_delete(), kv_close(), the ends of kv_put_*() (not
 * its middle, kv_put_write()) - need it held for writing;
 * kv_retrieve(), kv_exist(), kv_list() and kv_info() for reading, and may
 * run concurrently with each other: they read the index and the media and
 * write nothing shared.  Every call may sleep (allocations, media I/O).
 * kv_format() and kv_fsck() work on a media no engine has open.
 */
#ifndef _URINGBLK_KV_ENGINE_H
#define _URINGBLK_KV_ENGINE_H

#include "kv_port.h"

#define KV_MAX_KEY_LEN		16
/* the media's block (LBA) size: a power of two in this range */
#define KV_MIN_BLOCK_SIZE	512
#define KV_MAX_BLOCK_SIZE	65536
/* kv_format()'s default maximum value length, when the data area allows */
#define KV_DEFAULT_MAX_VALUE	(64U << 20)

/*
 * What every call returns.  Each status is one NVMe completion status
 * (kv_status_to_nvme()); the comment is the command set's name for it.
 */
enum kv_status {
	KV_OK = 0,		/* 00h Successful Completion */
	/*
	 * 02h Invalid Field in Command (both store exist options, a List
	 * buffer under 4 bytes)
	 */
	KV_INVALID_FIELD,
	/* 81h Capacity Exceeded: no space for the value, or the maximum number of keys */
	KV_CAPACITY_EXCEEDED,
	/* 85h Invalid Value Size: over the maximum value length (after an append too) */
	KV_INVALID_VALUE_SIZE,
	KV_INVALID_KEY_SIZE,	/* 86h Invalid Key Size: 0 or over 16 bytes */
	KV_KEY_NOT_EXIST,	/* 87h KV Key Does Not Exist */
	/* 88h Unrecovered Error: a media read failed or a value's CRC did not match */
	KV_UNRECOVERED,
	KV_KEY_EXISTS,		/* 89h Key Exists */
	/*
	 * 280h Write Fault (media errors): a media write or flush failed;
	 * the engine is now failed and must be closed and reopened
	 */
	KV_WRITE_FAULT,
	/* 06h Internal Error: no memory, or a call on an engine failed earlier */
	KV_INTERNAL,
};

/* kv_store()'s options (the standard's bits and the seed dialect's append) */
#define KV_STORE_MUST_EXIST	(1U << 0)	/* store only if the key exists */
#define KV_STORE_MUST_NOT_EXIST	(1U << 1)	/* store only if it does not */
#define KV_STORE_APPEND		(1U << 3)	/* append to the existing value */
#define KV_STORE_OPTS		(KV_STORE_MUST_EXIST | KV_STORE_MUST_NOT_EXIST | \
				 KV_STORE_APPEND)

/**
 * struct kv_media_ops - the only way the engine reaches its blocks
 * @read:  read @nblocks blocks from @lba into @buf; 0 or a negative errno
 * @write: write @nblocks blocks at @lba from @buf; 0 or a negative errno.
 *         A write may stay volatile until the next flush.
 * @flush: make every completed write durable; 0 or a negative errno
 * @write_fua: optional: write as @write does, and return 0 only once these
 *         blocks are durable (NVMe's Force Unit Access); other writes not
 *         flushed yet may stay volatile.  NULL: the engine writes, then
 *         flushes.  A Store costs two such writes and no flush: on a
 *         block device a flush is a round trip through the flush
 *         machinery (kblockd), a FUA write on a queue that supports FUA
 *         is not.
 *
 * The engine relies on one property of the media (NVMe's power-fail
 * atomicity of a single logical block): a write of one block that a power
 * cut interrupts leaves either all its old or all its new bytes.
 */
struct kv_media_ops {
	int (*read)(void *ctx, u64 lba, u32 nblocks, void *buf);
	int (*write)(void *ctx, u64 lba, u32 nblocks, const void *buf);
	int (*flush)(void *ctx);
	int (*write_fua)(void *ctx, u64 lba, u32 nblocks, const void *buf);
};

/**
 * struct kv_media - a block device as the engine sees it
 * @ops:        the callbacks
 * @ctx:        their first argument
 * @block_size: bytes per block, a power of two, 512..65536
 * @nblocks:    blocks on the media; the image uses the first @nblocks
 * @trusted:    no other writer, no life past a power cycle (below)
 */
struct kv_media {
	const struct kv_media_ops *ops;
	void *ctx;
	u32 block_size;
	u64 nblocks;
	/*
	 * Nothing but this engine writes the media while it is open, and the
	 * media does not outlive the power cycle (a memory-backed drive): no
	 * value can be changed behind the engine's back or torn by a crash.
	 * Values stored there get no CRC (their records say so,
	 * KV_REC_F_NOCRC; kv_fsck() can only read them) and a whole-value
	 * read checks none.  False for anything another writer can reach (a
	 * file).
	 */
	bool trusted;
};

/**
 * struct kv_format_params - what kv_format() lays out
 * @max_keys:      the most keys the image holds (0: one per 8 blocks of
 *                 the media, at least 16); sizes the index journal: two
 *                 halves of 2 x @max_keys records of 128 bytes
 * @max_value_len: the longest value (0: KV_DEFAULT_MAX_VALUE or the data
 *                 area, whichever is smaller)
 * @nonce:         a number unique to this format (the module passes random
 *                 bytes): records of an earlier format of the same media
 *                 never pass the CRC of this one
 */
struct kv_format_params {
	u32 max_keys;
	u32 max_value_len;
	u64 nonce;
};

/**
 * struct kv_info - the figures KV Identify Namespace reports, and usage
 * @max_key_len:   bytes (KV format: Maximum Key Length)
 * @max_value_len: bytes (KV format: Maximum Value Length)
 * @max_keys:      KV format: Maximum Number of Keys
 * @nkeys:         keys stored now
 * @block_size:    bytes per block
 * @data_blocks:   blocks of the data area (the namespace's capacity)
 * @free_blocks:   of which free now
 * @journal_slots: records one journal half holds
 * @journal_used:  records in the active half now
 * @generation:    the active half's journal generation
 */
struct kv_info {
	u32 max_key_len;
	u32 max_value_len;
	u32 max_keys;
	u32 nkeys;
	u32 block_size;
	u64 data_blocks;
	u64 free_blocks;
	u32 journal_slots;
	u32 journal_used;
	u64 generation;
};

/*
 * Value bytes travel through a copy callback, so the caller can feed the
 * engine from user memory or pages a chunk at a time, never more than
 * 256 KiB per call.  kv_store(): fill @buf with the bytes at @off of what
 * is stored (or appended).  kv_retrieve(): take @buf, the bytes at @off of
 * what it returns (offset 0 is the value's byte at the requested offset).
 * A non-zero return aborts the call with KV_INTERNAL, a store before any
 * record is written.
 */
typedef int (*kv_copy_fn)(void *arg, u64 off, void *buf, u32 len);

struct kv_engine;

/**
 * kv_format() - lay out an empty image on @m
 * @m: the media
 * @p: the layout to make
 * Returns 0, -EINVAL (block size, or a media too small for the layout),
 * -ENOMEM or the media's errno.  Writes both superblocks and flushes.
 */
int kv_format(const struct kv_media *m, const struct kv_format_params *p);

/**
 * kv_open() - read an image, replay its journal, rebuild index and free map
 * @m:   the media
 * @out: out: the open engine, for kv_close()
 * Returns 0 and *out, -ENODEV (no valid superblock: not an image),
 * -EINVAL (the image's block size is not the media's, or it is larger),
 * -EUCLEAN (a corrupt image: a record with a good CRC and a bad field,
 * two objects sharing a block), -ENOMEM or the media's errno.  Writes
 * nothing; flushes the media first, so it replays only durable state.
 */
int kv_open(const struct kv_media *m, struct kv_engine **out);

/** kv_close() - free the engine (every acknowledged store is durable) */
void kv_close(struct kv_engine *e);

/**
 * kv_store() - store @vlen bytes from @copy under @key
 * @e:    the engine
 * @key:  the key, @klen bytes
 * @klen: the key's length: 1..16, else KV_INVALID_KEY_SIZE
 * @vlen: the value's length, bytes
 * @copy: called with @arg for each piece of the value, in order
 * @arg:  passed to @copy
 * @opts: KV_STORE_* (anything else, or both exist options: KV_INVALID_FIELD)
 *
 * Returns KV_OK once the object is durable; KV_INVALID_KEY_SIZE,
 * KV_INVALID_FIELD, KV_INVALID_VALUE_SIZE, KV_KEY_NOT_EXIST (must exist),
 * KV_KEY_EXISTS (must not exist), KV_CAPACITY_EXCEEDED (nothing changed),
 * KV_WRITE_FAULT or KV_INTERNAL.  Needs the engine's lock for writing.
 */
enum kv_status kv_store(struct kv_engine *e, const u8 *key, u32 klen,
			u64 vlen, kv_copy_fn copy, void *arg, u32 opts);

/**
 * kv_store_buf() - kv_store() of the kernel buffer @buf
 * @e:    the engine
 * @key:  the key, @klen bytes
 * @klen: the key's length: 1..16, else KV_INVALID_KEY_SIZE
 * @vlen: the value's length, bytes
 * @opts: KV_STORE_* (anything else, or both exist options: KV_INVALID_FIELD)
 * @buf: the value, @vlen bytes then zeroes up to the next whole block:
 *       written to the media from where it is (no copy); an append goes
 *       through a bounce as kv_store()'s does.
 */
enum kv_status kv_store_buf(struct kv_engine *e, const u8 *key, u32 klen,
			    u64 vlen, const void *buf, u32 opts);

struct kv_put;

/*
 * kv_put_begin(), kv_put_write(), kv_put_end() - kv_store_buf() in three
 * steps, so that the value's bytes go to the media with the engine's lock
 * dropped and the stores of several callers overlap
 *
 * kv_put_begin() (the lock held for writing) checks the store as
 * kv_store_buf() does and allocates the value's blocks: KV_OK with *@pp
 * set, or kv_store_buf()'s errors with *@pp NULL; KV_INVALID_FIELD for
 * KV_STORE_APPEND (an append reads the old value: kv_store_buf() under
 * one hold of the lock).  kv_put_write() (no lock needed; the engine must
 * stay open) writes @buf into those blocks and makes them durable; 0 or
 * -EIO.  kv_put_end() (the lock held for writing again; also after a
 * failed kv_put_write(); it writes if kv_put_write() was not called)
 * makes the object durable and visible, or gives
 * the blocks back, and frees *@pp: KV_OK or kv_store_buf()'s errors.  The
 * options and the number of keys are checked again there, against the
 * index as it is then: the store takes effect at kv_put_end(), in the
 * order the ends run.  @buf must stay as it is until kv_put_write()
 * returns.
 */
enum kv_status kv_put_begin(struct kv_engine *e, const u8 *key, u32 klen,
			    u64 vlen, const void *buf, u32 opts, struct kv_put **pp);
int kv_put_write(struct kv_engine *e, struct kv_put *p);
enum kv_status kv_put_end(struct kv_engine *e, struct kv_put *p);

/**
 * kv_retrieve() - copy up to @buflen value bytes from @offset to @copy
 * @e:      the engine
 * @key:    the key, @klen bytes
 * @klen:   the key's length: 1..16, else KV_INVALID_KEY_SIZE
 * @offset: the first byte of the value to copy
 * @buflen: at most this many bytes
 * @copy:   called with @arg for each piece of the value, in order
 * @arg:    passed to @copy
 * @vlen:   out: the value's full size (Retrieve's completion DW0)
 * @copied: out: bytes given to @copy (0 when @offset >= the value's size)
 *
 * Returns KV_OK, KV_INVALID_KEY_SIZE, KV_KEY_NOT_EXIST, KV_UNRECOVERED
 * (a read error, or a whole-value read whose CRC does not match) or
 * KV_INTERNAL.  Needs the engine's lock for reading.
 */
enum kv_status kv_retrieve(struct kv_engine *e, const u8 *key, u32 klen,
			   u64 offset, u64 buflen, kv_copy_fn copy, void *arg,
			   u64 *vlen, u64 *copied);

/**
 * kv_retrieve_buf() - kv_retrieve() into the kernel buffer @buf
 * @e:      the engine
 * @key:    the key, @klen bytes
 * @klen:   the key's length: 1..16, else KV_INVALID_KEY_SIZE
 * @offset: the first byte of the value to copy
 * @buflen: at most this many bytes
 * @vlen:   out: the value's full size (Retrieve's completion DW0)
 * @copied: out: bytes copied (0 when @offset >= the value's size)
 * @buf: room for @buflen rounded up to the block size: when @offset is a
 *       multiple of the block size the value's blocks are read straight
 *       into it (the bytes past *@copied are then scratch), else through
 *       a bounce.  Saves a bounce and a copy per retrieve.
 */
enum kv_status kv_retrieve_buf(struct kv_engine *e, const u8 *key, u32 klen,
			       u64 offset, u64 buflen, void *buf, u64 *vlen,
			       u64 *copied);

/* A run of a value's blocks on the media (kv_retrieve_runs()) */
struct kv_run {
	u64 lba;
	u32 nblocks;
};

/**
 * kv_retrieve_runs() - where @key's value is, for a caller that reads its
 * blocks itself (straight into a client's pages)
 * @e:    the engine
 * @key:  the key, @klen bytes
 * @klen: the key's length: 1..16, else KV_INVALID_KEY_SIZE
 * @vlen:  out: the value's size (its last block is zero-padded)
 * @check: out: whether a whole-value read must match @vcrc, as kv_retrieve()
 *         checks it (answer KV_UNRECOVERED when not): false on trusted
 *         media and for a value stored without a CRC (struct kv_media)
 * @vcrc:  out: kv_crc32c(0, ...) of the whole value
 * @runs:  out: KV_MAX_RUNS at most, in value order
 * @nruns: out: how many
 *
 * Returns KV_OK, KV_INVALID_KEY_SIZE, KV_KEY_NOT_EXIST or KV_INTERNAL (a
 * failed engine).  The read lock, held until the caller's reads are done:
 * a writer may reuse the blocks once it is dropped.
 */
enum kv_status kv_retrieve_runs(struct kv_engine *e, const u8 *key, u32 klen,
				u64 *vlen, bool *check, u32 *vcrc, struct kv_run *runs,
				u32 *nruns);
#define KV_MAX_RUNS	9

/**
 * kv_delete() - delete @key
 * @e:    the engine
 * @key:  the key, @klen bytes
 * @klen: the key's length: 1..16, else KV_INVALID_KEY_SIZE
 * @err_if_missing: the "error on delete of a non-existent key" switch
 * Returns KV_OK, KV_INVALID_KEY_SIZE, KV_KEY_NOT_EXIST (only with the
 * switch), KV_WRITE_FAULT or KV_INTERNAL.  Needs the lock for writing.
 */
enum kv_status kv_delete(struct kv_engine *e, const u8 *key, u32 klen,
			 bool err_if_missing);

/** kv_exist() - KV_OK, KV_KEY_NOT_EXIST or KV_INVALID_KEY_SIZE */
enum kv_status kv_exist(struct kv_engine *e, const u8 *key, u32 klen);

/**
 * kv_list() - the NVMe KV List data of the keys from @key on
 * @e:      the engine
 * @key:    the first key to list, @klen bytes
 * @buflen: @buf's size, bytes
 * @klen:   0 lists from the first key; else 1..16
 * @buf:    out: Number of Returned Keys (4 bytes, little-endian), then per
 *          key its length (2 bytes, little-endian), its bytes and zeroes
 *          to the next multiple of 4 key bytes, as many as fit in @buflen
 * @nrk:    out: keys returned
 * @total:  out: keys from @key on (what an unbounded buffer would hold)
 *
 * Keys in byte order, a key before every key it is a prefix of; the first
 * key returned is @key itself if it exists.  Returns KV_OK,
 * KV_INVALID_KEY_SIZE or KV_INVALID_FIELD (@buflen < 4).  Read lock.
 */
enum kv_status kv_list(struct kv_engine *e, const u8 *key, u32 klen,
		       void *buf, u32 buflen, u32 *nrk, u32 *total);

/** kv_info() - limits and usage (the read lock) */
void kv_info(struct kv_engine *e, struct kv_info *info);

/** kv_status_to_nvme() - the 16-bit NVMe status (SCT << 8 | SC) of @s */
u16 kv_status_to_nvme(enum kv_status s);

/** kv_status_name() - a short name of @s for messages */
const char *kv_status_name(enum kv_status s);

/**
 * struct kv_fsck_report - what kv_fsck() found
 * @sb_valid:      bit 0, 1: superblock copy 0, 1 passed its checks
 * @records:       records replayed from the active half
 * @tail_reason:   why the replay stopped (a static string)
 * @objects:       live objects
 * @used_blocks:   data blocks they hold
 * @values_bad:    objects whose value CRC did not match (or unreadable)
 * @values_nocrc:  objects whose value has no CRC (stored on trusted media):
 *                 read, not checked
 * @error:         0, or the errno kv_open() gave
 * @msg:           what was wrong, for messages (empty when nothing)
 */
struct kv_fsck_report {
	u32 sb_valid;
	u64 records;
	const char *tail_reason;
	u64 objects;
	u64 used_blocks;
	u64 values_bad;
	u64 values_nocrc;
	int error;
	char msg[128];
};

/**
 * kv_fsck() - check an image's invariants without writing to it
 * @m: the media
 * @r: out: what was found
 * @verify_values: also read every value and check its CRC
 * Returns 0 when the image is consistent, -EUCLEAN (with @r->msg) when not,
 * or kv_open()'s errors.
 */
int kv_fsck(const struct kv_media *m, bool verify_values,
	    struct kv_fsck_report *r);

/*
 * For tests and fsck: the lengths of the free map's longest runs, longest
 * first, at most @n and at most 9 of them (returns how many); and the
 * allocation recounted from the index against the free map (0 when they
 * agree, else -EUCLEAN).  The read lock.
 */
u32 kv_free_runs(struct kv_engine *e, u64 *runs, u32 n);
int kv_check_alloc(struct kv_engine *e);

#endif /* _URINGBLK_KV_ENGINE_H */
