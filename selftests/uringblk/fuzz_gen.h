/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The structure-aware command fuzzer's generator (prefix fz_): a seedable
 * PRNG, the table of every command's fields with their interesting values
 * (fuzz_table.c), and the code that turns a table entry into one command
 * payload and the shape of its data buffer (fuzz_gen.c).  Nothing here
 * talks to the driver, so the generator is checked natively
 * (fuzz_cmds --check-gen) and the runner (fuzz_cmds.c) only sends what it
 * is given.
 *
 * Adding a command: one struct fz_cmd in fuzz_table.c (its front end,
 * opcode, fields and buffer); a field is a byte offset, a bit range and a
 * list of values, each a literal or a symbol resolved against the target
 * drive (FZ_S_*: its LBAs, zone size, SLM, a program id the drive gave
 * out...) plus an addend, so "the last LBA" is S(FZ_S_NLBA, -1).
 */
#ifndef URINGBLK_FUZZ_GEN_H
#define URINGBLK_FUZZ_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* --- PRNG: xoshiro256**, seeded by splitmix64 -------------------------- */

struct fz_rng {
	uint64_t s[4];
};

void fz_rng_seed(struct fz_rng *r, uint64_t seed);
uint64_t fz_next(struct fz_rng *r);
/* Uniform in [0, n); n == 0 gives 0. */
uint64_t fz_below(struct fz_rng *r, uint64_t n);
/* True with probability pct percent. */
static inline bool fz_pct(struct fz_rng *r, unsigned int pct)
{
	return fz_below(r, 100) < pct;
}

/* --- what a value may be ------------------------------------------------ */

enum fz_sym {
	FZ_END = 0,		/* ends a value list */
	FZ_S_LIT,		/* the addend itself */
	FZ_S_NLBA,		/* LBAs of the drive */
	FZ_S_LBA,		/* a random LBA of the drive */
	FZ_S_BS,		/* logical block size */
	FZ_S_BS_SHIFT,		/* log2 of it */
	FZ_S_ZONE_LBAS,		/* LBAs per zone (0 on a regular drive) */
	FZ_S_ZONE_START,	/* the first LBA of a random zone */
	FZ_S_NZONES,
	FZ_S_MAX_NLB,		/* blocks per NVMe transfer at MDTS */
	FZ_S_SLM,		/* bytes of SLM */
	FZ_S_SLM_OFF,		/* a random granule-aligned SLM offset */
	FZ_S_SLM_GRAN,
	FZ_S_MEM_XFER,		/* identify.max_mem_xfer */
	FZ_S_SET_RANGES,	/* identify.max_set_ranges */
	FZ_S_MAX_EXT,		/* identify.max_exec_extents */
	FZ_S_MAX_BUDGET,	/* identify.max_insn_budget */
	FZ_S_DD_PIND,		/* the first device-defined program slot */
	FZ_S_PROG_ID,		/* a program id the drive gave out */
	FZ_S_PIND,		/* a slot a program was loaded into */
	FZ_S_RSID,		/* a range set id the drive gave out */
	FZ_S_RAND,		/* random bits (masked to the field) */
	FZ_S_AUX,		/* the user address of the slot's side buffer */
	FZ_S_AUX_LEN,		/* its length */
	FZ_S_PROG_LEN,		/* bytes of the program the command carries (FZ_B_INSNS) */
	FZ_S_FREE_PIND,		/* a slot only NVMe Load Program loads (FZ_FREE_PIND_*) */
	FZ_S_CP_PIND,		/* a slot the churn filled through NVMe with a bounded program */
	FZ_S_LBA_LOW,		/* a random LBA of the drive's first half */
};

/*
 * Slots of the Computational Programs flows: the churn's NVMe loads use
 * FZ_CP_PIND_*, whose programs are unmutated fz_prog()s (they end within
 * any budget), so Execute Program, which runs with the drive's default
 * budget, cannot meet an endless loop there; the workers' Load Programs,
 * hostile bytecode included, go to FZ_FREE_PIND_* (the uringblk PROG_LOAD
 * entries use 1, 2, 7, the churn's uringblk loads 1..8).
 */
#define FZ_CP_PIND_FIRST	9
#define FZ_CP_PIND_LAST		16
#define FZ_FREE_PIND_FIRST	24
#define FZ_FREE_PIND_LAST	64

struct fz_val {
	uint8_t	sym;		/* enum fz_sym */
	int64_t	add;		/* added to the symbol's value (the literal for FZ_S_LIT) */
};

#define FZ_L(x)		{ FZ_S_LIT, (int64_t)(x) }
#define FZ_S(sym, a)	{ (sym), (a) }
/* A value list: FZ_V(FZ_L(0), FZ_S(FZ_S_NLBA, -1)) */
#define FZ_V(...)	((const struct fz_val[]){ __VA_ARGS__, { FZ_END, 0 } })

/**
 * struct fz_field - one field of a command payload
 * @name:	for messages
 * @off:	byte offset in the payload
 * @bytes:	size of the word holding it: 1, 2, 4 or 8
 * @lo:		lowest bit of the field in that word
 * @width:	bits (0: the whole word)
 * @vals:	the interesting values, valid ones first in spirit: the
 *		generator picks among them, and sometimes mutates the pick
 */
struct fz_field {
	const char		*name;
	uint16_t		off;
	uint8_t			bytes;
	uint8_t			lo;
	uint8_t			width;
	const struct fz_val	*vals;
};

/* Front ends */
enum fz_fe {
	FZ_FE_UBLK = 1,		/* URINGBLK_CMD_* by URING_CMD */
	FZ_FE_NVME_ADMIN,	/* NVMe admin: ioctls ADMIN(64), URING_CMD ADMIN(_VEC) */
	FZ_FE_NVME_IO,		/* NVMe I/O: ioctls IO(64)(_VEC), URING_CMD IO(_VEC) */
	FZ_FE_NVME_ID,		/* the NVME_IOCTL_ID ioctl */
};

/* Namespaces an NVMe I/O command is for (its NSID) */
enum fz_ns {
	FZ_NS_NVM = 1,		/* /dev/uringblkcN */
	FZ_NS_CP = 2,		/* Computational Programs: /dev/uringblkcNn2 */
	FZ_NS_SLM = 3,		/* SLM: /dev/uringblkcNn3 */
};

/* What the data buffer of a command is */
enum fz_buf {
	FZ_B_NONE = 0,		/* no buffer (addr, len 0 when valid) */
	FZ_B_OUT,		/* device -> host */
	FZ_B_IN,		/* host -> device, plain bytes */
	FZ_B_INSNS,		/* host -> device: an eBPF program */
	FZ_B_IMAGE,		/* host -> device: struct uringblk_prog_image */
	FZ_B_COPY_RANGES,	/* struct uringblk_copy_range[] */
	FZ_B_MEM_RANGES,	/* struct uringblk_mem_range[] */
	FZ_B_EXTENTS,		/* EXEC's struct uringblk_extent[] (at exec_ext.ext_addr) */
	FZ_B_DSM_RANGES,	/* NVMe DSM ranges (16 bytes each) */
	FZ_B_NVME_COPY,		/* NVMe Copy source range entries, format 0 (32 bytes) */
	FZ_B_SLM_COPY,		/* SLM Memory Copy: format 2h entries (SNSID, SLBA, NLB 0) */
	FZ_B_NVME_MRD,		/* Memory Range Descriptors (MNSID 3, length, start; 32 bytes) */
};

/* struct fz_cmd.flags */
#define FZ_C_PENDING	(1u << 0)	/* not merged yet: Invalid Opcode / ENOTTY allowed forever */
#define FZ_C_NEG	(1u << 1)	/* never succeeds by design (a vendor opcode, ...) */
#define FZ_C_ZONED	(1u << 2)	/* succeeds only on a zoned drive */
#define FZ_C_MKPROG	(1u << 3)	/* res > 0 is a program id (PROG_LOAD) */
#define FZ_C_MKRSET	(1u << 4)	/* res > 0 is a range set id */
#define FZ_C_ASYNC_OK	(1u << 5)	/* fine to send with IOSQE_ASYNC */
#define FZ_C_NOZONED	(1u << 6)	/* succeeds only on a regular drive */
/*
 * Mostly-valid commands, one thing wrong at a time: unless hostile, every
 * field takes its first (valid) value but at most one, which takes any of
 * its values or a mutation; the buffer's content counts as one more field.
 * Such a command with nothing changed is "clean", and its result must be
 * one of @clean_ok.
 */
#define FZ_C_ONEFIELD	(1u << 7)

/* Ends a clean_ok list (0 is a valid entry: success). */
#define FZ_OK_END	INT32_MIN

struct fz_env;

/**
 * struct fz_cmd - one command of the table
 * @name:	printed in the counts
 * @fe:		enum fz_fe
 * @cmd_op:	URINGBLK_CMD_* (FZ_FE_UBLK)
 * @opcode:	NVMe opcode (FZ_FE_NVME_*)
 * @ns:		enum fz_ns of an I/O command
 * @flags:	FZ_C_*
 * @valid_flags: the uringblk command's flag bits worth setting
 * @fields:	the payload's fields (ends with a NULL name)
 * @buf:	enum fz_buf
 * @len:	the length a well-formed command's buffer has, given the
 *		fields already generated (NULL: @fixed_len)
 * @fixed_len:	that length when it does not depend on the fields
 */
struct fz_cmd {
	const char		*name;
	uint8_t			fe;
	uint32_t		cmd_op;
	uint8_t			opcode;
	uint8_t			ns;
	uint32_t		flags;
	const uint32_t		*valid_flags;	/* 0-terminated list */
	const struct fz_field	*fields;
	uint8_t			buf;
	uint32_t		(*len)(const void *payload, const struct fz_env *env);
	uint32_t		fixed_len;
	uint32_t		set_flags;	/* flags a well-formed command has */
	uint8_t			aux;		/* enum fz_buf of the side buffer */
	uint8_t			aux_count;	/* payload byte offset of its entry count (u64) */
	/*
	 * a result that also proves the handler ran (its own check, past the
	 * decoding): Compare Failure, a slot not activated...; 0 = none
	 */
	int32_t			reached;
	/* last word on the payload: a bound the campaign needs (NULL: none) */
	void			(*fixup)(uint8_t *payload);
	/*
	 * FZ_C_ONEFIELD: every result a clean command may have on a drive that
	 * stays (uringblk0, the zoned drive), FZ_OK_END-terminated; the table
	 * says why each is possible under the racing threads
	 */
	const int32_t		*clean_ok;
	/*
	 * Handlers below the opcode (CNS, LID, FID): the key of a command
	 * (NULL: none) and the keys the driver supports, each of which must
	 * succeed at least once in a campaign (0xffff-terminated)
	 */
	uint32_t		(*subkey)(const void *payload);
	const uint16_t		*subs;
};

#define FZ_SUB_END	0xffff

extern const struct fz_cmd fz_cmds[];
extern const unsigned int fz_nr_cmds;

/**
 * struct fz_env - what the generator knows of the target drive
 * (IDENTIFY's numbers) and of the ids the drive gave out
 */
struct fz_env {
	uint64_t	nlba;
	uint32_t	bs;
	uint32_t	bs_shift;
	uint64_t	zone_lbas;
	uint32_t	nr_zones;
	uint32_t	max_nlb;
	uint64_t	slm;
	uint32_t	slm_gran;
	uint32_t	mem_xfer;
	uint32_t	set_ranges;
	uint32_t	max_ext;
	uint64_t	max_budget;
	uint32_t	dd_pind;
	bool		zoned;
	uint64_t	aux_addr;	/* the side buffer (extents, log, LBA out) */
	uint32_t	aux_len;
	/* ids: filled by the runner from its pools */
	uint32_t	(*pick_id)(struct fz_rng *r, int sym);
};

/* --- generation ---------------------------------------------------------- */

/* The payload: the larger of struct uringblk_cmd and nvme_passthru_cmd64. */
#define FZ_PAYLOAD	80

/* How the buffer of one generated command is to be laid out */
enum fz_shape {
	FZ_SH_OK = 0,		/* page-aligned, mapped, len as generated */
	FZ_SH_NULL,		/* addr 0 */
	FZ_SH_UNALIGNED,	/* addr + 1..511 */
	FZ_SH_UNMAPPED,		/* an address nothing is mapped at */
	FZ_SH_TAIL,		/* ends len/2 bytes into an unmapped guard page */
	FZ_SH_RDONLY,		/* a read-only mapping (copy_to_user fails) */
	FZ_SH_NR,
};

/**
 * struct fz_gen_out - one generated command
 * @payload:	the 80 payload bytes (struct uringblk_cmd, or the NVMe
 *		command in struct nvme_passthru_cmd64's layout)
 * @len:	the buffer length to put in the command (may be wrong on purpose)
 * @want_len:	what a well-formed command would have had
 * @fill_len:	bytes of buffer content to generate (<= the slot's size)
 * @shape:	enum fz_shape
 * @hostile:	the command was generated with most fields mutated
 * @prog:	FZ_B_INSNS/FZ_B_IMAGE: which program (index of fz_prog())
 * @prog_mutate: ... and mutated (fz_prog_mutated())
 */
struct fz_gen_out {
	uint8_t		payload[FZ_PAYLOAD];
	uint32_t	len;
	uint32_t	want_len;
	uint32_t	fill_len;
	uint8_t		shape;
	bool		hostile;
	int		prog;
	bool		prog_mutate;
	uint32_t	mutated;	/* fields, header words, length or shape changed */
	bool		content_mut;	/* FZ_C_ONEFIELD: the buffer's content is the field */
};

/* Resolve one value against a drive. */
uint64_t fz_resolve(struct fz_rng *r, const struct fz_val *v,
		    const struct fz_env *env);
/* Set a field's bits in a payload; get them back. */
void fz_field_set(uint8_t *payload, const struct fz_field *f, uint64_t v);
uint64_t fz_field_get(const uint8_t *payload, const struct fz_field *f);
/* Generate command @c for @env; @max_len bounds the buffer's content. */
void fz_generate(struct fz_rng *r, const struct fz_cmd *c,
		 const struct fz_env *env, uint32_t max_len,
		 struct fz_gen_out *out);
/*
 * Fill @buf (@len bytes) with the content of command @c's input buffer:
 * structured entries (ranges, extents, a program) mostly valid for @env.
 * Returns the bytes a program image's instructions need after the image
 * (FZ_B_IMAGE: the image points into @buf itself, whose user address is
 * @uaddr).
 */
void fz_fill(struct fz_rng *r, const struct fz_cmd *c, const struct fz_env *env,
	     const struct fz_gen_out *g, uint8_t *buf, uint32_t len, uint64_t uaddr);

/* The side buffer's content (struct fz_cmd.aux), @len bytes at @aux. */
void fz_fill_aux(struct fz_rng *r, const struct fz_cmd *c, const struct fz_env *env,
		 const struct fz_gen_out *g, uint8_t *aux, uint32_t len);

/*
 * Valid small programs (fuzz_gen.c), then fz_nr_hostile hostile ones
 * (indexes fz_nr_progs and up), and a mutated one.
 */
extern const unsigned int fz_nr_progs, fz_nr_hostile;
/* Hostile program i (0-based among them) must be refused by the validator. */
bool fz_hostile_must_refuse(unsigned int i);
/* Instructions of program i (8 bytes each) into buf; their count. */
unsigned int fz_prog(unsigned int i, void *buf, unsigned int max_insns);
/* Program i, then mutated; its count. */
unsigned int fz_prog_mutated(struct fz_rng *r, unsigned int i, void *buf,
			     unsigned int max_insns);

/* Self-check of the generator (no driver): 0 or the number of failures. */
int fz_check_gen(uint64_t seed, unsigned long rounds, bool verbose);

#endif /* URINGBLK_FUZZ_GEN_H */
