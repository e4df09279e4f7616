/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The NVMe front end's entry points (nvme.c), for the command device's
 * file operations and its URING_CMD gate (cmd.c).
 */
#ifndef URINGBLK_NVME_H
#define URINGBLK_NVME_H

#include <linux/bio.h>
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/fs.h>
#include "compat.h"	/* io_uring_cmd: <linux/io_uring/cmd.h> on 6.8+ */
#include <linux/log2.h>
#include <linux/nvme.h>
#include <linux/nvme_ioctl.h>
#include <linux/uio.h>

#include "kv_ns.h"
#include "req.h"

struct gendisk;
struct seq_file;
struct uringblk_dev;

/* A URING_CMD the NVMe front end takes: the gate hands it over first. */
static inline bool uringblk_nvme_is_uring_cmd(u32 cmd_op)
{
	return cmd_op == NVME_URING_CMD_IO || cmd_op == NVME_URING_CMD_ADMIN ||
	       cmd_op == NVME_URING_CMD_IO_VEC || cmd_op == NVME_URING_CMD_ADMIN_VEC;
}

long uringblk_nvme_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
int uringblk_nvme_uring_cmd(struct io_uring_cmd *ioucmd, unsigned int issue_flags);
int uringblk_nvme_uring_cmd_iopoll(struct io_uring_cmd *ioucmd,
				   struct io_comp_batch *iob, unsigned int poll_flags);

/* Between nvme.c (the host half, NVM I/O) and nvme_admin.c (admin commands) */

/*
 * The drive's namespaces, every drive's: NVM (ZNS on a zoned drive), NSID 1,
 * on /dev/uringblkcN; Computational Programs, NSID 2, and Subsystem Local
 * Memory, NSID 3, each on its node /dev/uringblkcNnM (nvme_ns.c).
 */
#define URINGBLK_NVME_NSID	1
#define URINGBLK_NVME_NSID_CP	2
#define URINGBLK_NVME_NSID_SLM	3
#define URINGBLK_NVME_NR_NS	3
/* cmd.c's char region: URINGBLK_MAX_DEVS minors per NSID (nvme_ns.c) */
#define URINGBLK_NVME_MINORS	(URINGBLK_NVME_NR_NS * URINGBLK_MAX_DEVS)
#define URINGBLK_NVME_DNR	NVME_STATUS_DNR

/*
 * Which controller asks, for the answers that are a controller's (Identify
 * Controller's CNTLID): the drive's controller i of nvme-core asks as
 * CNTLID i (nvme_ctrl.c); the command device answers as the first, 0.
 */
#define URINGBLK_NVME_CNTLID_CDEV	0

/*
 * A drive of two or more controllers is one multipath NVM subsystem: its
 * namespaces are shared (NMIC bit 0) and identified (NGUID, EUI-64, UUID),
 * Identify Controller says CMIC bit 1 (nvme_admin.c).  One controller, or
 * only the command device, answers as before: private, unidentified.
 */
bool uringblk_nvme_shared(const struct uringblk_dev *dev);

/* Command Set Identifiers 6.1's linux/nvme.h lacks (NVMe 2.1, libnvme's NVME_CSI_*) */
#define URINGBLK_NVME_CSI_KV	0x01	/* Key Value: a kv drive's NSID 1 (nvme_kv.c) */
#define URINGBLK_NVME_CSI_SLM	0x03
#define URINGBLK_NVME_CSI_CP	0x04

/* The SLM command set's I/O opcodes (NVMe 2.1 SLM Command Set; nvme_slm.c) */
#define URINGBLK_NVME_SLM_COPY	0x01	/* Memory Copy: LBAs -> SLM */
#define URINGBLK_NVME_SLM_READ	0x02	/* Memory Read: SLM -> host */
#define URINGBLK_NVME_SLM_FILL	0x04	/* Memory Fill: a pattern -> SLM */
#define URINGBLK_NVME_SLM_WRITE	0x05	/* Memory Write: host -> SLM */

/**
 * struct uringblk_nvme_node - a namespace's character device, NSID 2 and 3
 * @cdev:	its cdev; an open file pins it, so @dev, so this struct
 * @dev:	/dev/uringblkcNnM; its release drops the drive's reference
 * @drive:	the drive, referenced
 * @nsid:	M
 */
struct uringblk_nvme_node {
	struct cdev		cdev;
	struct device		dev;
	struct uringblk_dev	*drive;
	u32			nsid;
};

/* The KV command set's I/O opcodes (NVMe KV Command Set 1.0; nvme_kv.c) */
#define URINGBLK_NVME_KV_STORE		0x01
#define URINGBLK_NVME_KV_RETRIEVE	0x02
#define URINGBLK_NVME_KV_LIST		0x06
#define URINGBLK_NVME_KV_DELETE		0x10
#define URINGBLK_NVME_KV_EXIST		0x14
/*
 * Set/Get Features: the "error on delete of a non-existent key" switch, bit
 * 0 of CDW11 / DW0.  A vendor-specific FID: the standard's could not be
 * confirmed from public sources (nvme-kv.md).
 */
#define URINGBLK_NVME_FEAT_KV_DEL_ERR	0xc0
/* The largest List buffer taken (Invalid Field beyond): 16 B keys, 2^16 of them */
#define URINGBLK_NVME_KV_LIST_MAX	(20U << 16)

/* Identify CNS 07h: the active NSIDs of one command set (NVMe 2.0; 6.1 lacks it) */
#define URINGBLK_NVME_ID_CNS_CS_NS_ACTIVE_LIST	0x07

/**
 * struct uringblk_nvme_cset - an NVMe I/O command set, as a namespace has it
 * @csi:	its Command Set Identifier
 * @lbas:	its namespace is one of logical blocks: Identify Namespace
 *		(CNS 00h) describes it, NVME_IOCTL_SUBMIT_IO takes it (6.1 has a
 *		namespace node for it)
 * @optional:	the drive has the set only when a namespace is of it (ZNS,
 *		KV): else its effects log is Invalid I/O Command Set, its
 *		Identify Controller data Invalid Field, as nvmet without ZNS
 * @base:	the set whose commands and Identify data its namespaces also
 *		take (ZNS: NVM's), or NULL
 * @nowait:	@io may be called with @is.nowait (it returns -EAGAIN itself
 *		for a command that would sleep); else uringblk_nvme_cset_io()
 *		answers such an issue -EAGAIN, for the front end to issue the
 *		command again where it may sleep (io-wq, the controller's
 *		workqueue)
 * @effects:	the one list of the I/O commands it takes: an opcode's
 *		NVME_CMD_EFFECTS_* (CSUPP, LBCC where the data can change), or
 *		0: not taken (Invalid Opcode, before @io).  The Commands
 *		Supported and Effects log, the permission rule and ONCS ask it.
 * @io:		the device half of one of those commands, its data buffer
 *		mapped in @iter (vectored: @vec), issued in the context @is;
 *		@req is the command as a request (req.h) the set may complete
 *		later through its ops, or NULL: the caller waits (an ioctl).
 *		*@result is CQE DW0.  Process context, or (@is.atomic) a
 *		->queue_rq().  Return: 0, an NVMe status, -errno, or (@req)
 *		-EIOCBQUEUED: under way, @req's ->complete() ends it; or
 *		(@is.nowait) -EAGAIN: issue it again where it may sleep.
 * @identify:	its Identify data (CNS 05h: namespace @nsid, of this set,
 *		checked by nvme_admin.c; 06h: controller) into @buf, zeroed;
 *		NULL: all zero.  Return: 0, an NVMe status or -errno.
 *
 * Each set's is in its own file, as nvmet's parsers are
 * (drivers/nvme/target/core.c, nvmet_parse_io_cmd()), and each namespace's
 * is chosen once, when the drive's NVMe face is set up
 * (uringblk_nvme_ns_setup()): nothing else asks what kind the drive is.
 */
struct uringblk_nvme_cset {
	u8	csi;
	bool	lbas;
	bool	optional;
	bool	nowait;
	const struct uringblk_nvme_cset *base;
	u32	(*effects)(struct uringblk_dev *dev, u8 opcode);
	int	(*io)(struct uringblk_dev *dev, const struct nvme_passthru_cmd64 *c,
		      struct iov_iter *iter, const struct uringblk_req *req,
		      struct uringblk_issue is, bool vec, u64 *result);
	int	(*identify)(struct uringblk_dev *dev, u8 cns, u32 nsid, void *buf);
};

extern const struct uringblk_nvme_cset uringblk_nvme_cset_nvm;	/* nvme_io.c */
extern const struct uringblk_nvme_cset uringblk_nvme_cset_zns;	/* nvme_zns.c */
extern const struct uringblk_nvme_cset uringblk_nvme_cset_kv;	/* nvme_kv.c */
extern const struct uringblk_nvme_cset uringblk_nvme_cset_cp;	/* nvme_cp_io.c */
extern const struct uringblk_nvme_cset uringblk_nvme_cset_slm;	/* nvme_slm.c */

/* nvme_ns.c: the namespace nodes (for cmd.c) and the namespaces' command sets */
void uringblk_nvme_ns_setup(struct uringblk_dev *dev);
const struct uringblk_nvme_cset *uringblk_nvme_ns_cset(struct uringblk_dev *dev, u32 nsid);
const struct uringblk_nvme_cset *uringblk_nvme_cset_of(u8 csi);
const struct uringblk_nvme_cset *uringblk_nvme_cset_present(struct uringblk_dev *dev, u8 csi);
u8 uringblk_nvme_csi(struct uringblk_dev *dev);
int uringblk_nvme_cset_io(struct uringblk_dev *dev, const struct uringblk_nvme_cset *cs,
			  const struct nvme_passthru_cmd64 *c, struct iov_iter *iter,
			  const struct uringblk_req *req, struct uringblk_issue is,
			  bool vec, u64 *result);
int uringblk_nvme_nodes_add(struct uringblk_dev *dev, struct class *class,
			    dev_t base);
void uringblk_nvme_nodes_del(struct uringblk_dev *dev);
u8 uringblk_nvme_ns_csi(struct uringblk_dev *dev, u32 nsid);
void uringblk_nvme_ns_list(struct uringblk_dev *dev, u32 after, int csi, __le32 *list);
u32 uringblk_nvme_file_nsid(struct file *file);
bool uringblk_nvme_changes_data(u32 nsid, u8 opcode);
bool uringblk_nvme_may_read_nvm(struct uringblk_dev *dev);
int uringblk_nvme_ns_io(struct uringblk_dev *dev, const struct nvme_passthru_cmd64 *c,
			struct io_uring_cmd *ioucmd, const struct uringblk_req *req,
			struct uringblk_issue is, u64 *result);
/* nvme_slm.c: the SLM namespace's I/O commands */
u32 uringblk_nvme_slm_io_effects(struct uringblk_dev *dev, u8 opcode);
int uringblk_nvme_slm_io_exec(struct uringblk_dev *dev,
			      const struct nvme_passthru_cmd64 *c,
			      struct iov_iter *iter, u64 *result);
/*
 * nvme_cp_io.c: the Computational Programs namespace's I/O commands (Execute
 * Program): their effects (0: not supported, Invalid Opcode before the
 * handler) and their device half, called with the data buffer mapped in the
 * direction of the opcode's bits 1:0 (10b: to the host, else from it).
 * Process context; may sleep.  Return: 0, an NVMe status or -errno.
 */
u32 uringblk_nvme_cp_io_effects(struct uringblk_dev *dev, u8 opcode);
int uringblk_nvme_cp_io_exec(struct uringblk_dev *dev,
			     const struct nvme_passthru_cmd64 *c,
			     struct iov_iter *iter, u64 *result);

/* The bytes a command's data pointer describes, as the device sees them. */
static inline u32 uringblk_nvme_xfer_len(const struct nvme_passthru_cmd64 *c)
{
	return c->addr ? c->data_len : 0;
}

/* Not in 6.1's <linux/nvme.h> (later kernels: nvme_cmd_copy, NVME_CTRL_ONCS_COPY). */
#define URINGBLK_NVME_CMD_COPY		0x19
#define URINGBLK_NVME_ONCS_COPY		(1 << 8)

/* Copy's limits (Identify Namespace MSRC, MSSRL, MCL): see nvme_copy.c. */
#define URINGBLK_NVME_COPY_MSRC		127	/* 0's based: 128 ranges */
#define URINGBLK_NVME_COPY_MCL_RANGES	4	/* MCL = this many MSSRL */
u32 uringblk_nvme_copy_mssrl(const struct uringblk_dev *dev);
int uringblk_nvme_copy(struct uringblk_dev *dev, struct gendisk *disk,
		       const struct nvme_passthru_cmd64 *c, struct iov_iter *iter);

/**
 * struct uringblk_nvme_data - a command's data buffer, imported (nvme_map.c)
 * @iter:	the buffer; its count is the transfer
 * @iov:	import_iovec()'s array to free, or NULL
 * @fast:	the iovecs that need no allocation
 */
struct uringblk_nvme_data {
	struct iov_iter	iter;
	struct iovec	*iov;
	struct iovec	fast[UIO_FASTIOV];
};

struct uringblk_nvme_bounce;
int uringblk_nvme_map(struct nvme_passthru_cmd64 *c, struct io_uring_cmd *ioucmd,
		      bool vec, struct uringblk_nvme_data *d);
void uringblk_nvme_unmap(struct uringblk_nvme_data *d);
struct bio *uringblk_nvme_page_bio(struct gendisk *disk, blk_opf_t opf, u64 pos,
				   u32 len);
void uringblk_nvme_page_bio_put(struct bio *bio);
struct bio *uringblk_nvme_data_bio(struct gendisk *disk, blk_opf_t opf, u64 pos,
				   struct iov_iter *iter, u32 len,
				   struct uringblk_nvme_bounce **bp);
void uringblk_nvme_bio_put(struct bio *bio, struct uringblk_nvme_bounce *b);
int uringblk_nvme_bio_finish(struct bio *bio, struct uringblk_nvme_bounce *b,
			     int status);
void uringblk_nvme_bio_note(struct bio *bio, int status);
int uringblk_nvme_bio_submit_wait(struct bio *bio);
int uringblk_nvme_bio_submit_async(const struct uringblk_req *req, struct bio *bio,
				   struct gendisk *disk,
				   struct uringblk_nvme_bounce *bounce, bool nowait);

/* nvme_fast.c: a Read or Write of a memory drive without the block layer */
bool uringblk_nvme_fast_rw(struct uringblk_dev *dev, blk_opf_t opf, u64 pos,
			   u32 len, struct iov_iter *iter, bool nowait);
void uringblk_nvme_fast_show(struct uringblk_dev *dev, struct seq_file *m);

int uringblk_nvme_import(const struct nvme_passthru_cmd64 *c,
			 struct io_uring_cmd *ioucmd, int dir,
			 struct iovec *iov, struct iov_iter *iter);
u32 uringblk_nvme_lba_shift(const struct uringblk_dev *dev);
u64 uringblk_nvme_max_bytes(const struct uringblk_dev *dev);
u32 uringblk_nvme_io_effects(struct uringblk_dev *dev, u8 csi, u8 opcode);
u16 uringblk_nvme_oncs(struct uringblk_dev *dev);
int uringblk_nvme_status(int ret);
int uringblk_nvme_disk_errno(struct gendisk *disk, int err);
int uringblk_nvme_write_status(struct gendisk *disk, int err);
u32 uringblk_nvme_nvm_effects(struct uringblk_dev *dev, u8 opcode);
int uringblk_nvme_nvm_sync(struct uringblk_dev *dev, const struct nvme_passthru_cmd64 *c,
			   struct iov_iter *iter);
int uringblk_nvme_rw(struct uringblk_dev *dev, const struct nvme_passthru_cmd64 *c,
		     struct iov_iter *iter, const struct uringblk_req *req,
		     struct uringblk_issue is, bool vec);
int uringblk_nvme_nvm_exec(struct uringblk_dev *dev, struct gendisk *disk,
			   const struct nvme_passthru_cmd64 *c, struct iov_iter *iter);
int uringblk_nvme_admin_exec(struct uringblk_dev *dev, u16 cntlid,
			     const struct nvme_passthru_cmd64 *c,
			     struct iov_iter *iter, u64 *result);
u32 uringblk_nvme_admin_effects(u8 opcode);

/* A constant composite temperature: 40 degrees Celsius, in Kelvin. */
#define URINGBLK_NVME_TEMP_K		313
/* Error Information Log entries (ELPE + 1): none is ever logged. */
#define URINGBLK_NVME_ERR_ENTRIES	64
/*
 * The one Endurance Group of a drive with an SSD model (ENDGID, ENDGIDMAX,
 * the Endurance Group Information log's LSI): its NAND.
 */
#define URINGBLK_NVME_ENDGID		1

/* nvme_log.c: Get Log Page, and whether the drive has an Endurance Group */
bool uringblk_nvme_endgrp(struct uringblk_dev *dev);
int uringblk_nvme_get_log(struct uringblk_dev *dev,
			  const struct nvme_passthru_cmd64 *c,
			  u32 len, void **bufp);
/* ZNS's I/O commands (nvme_zns.c), in process context, waited for */
bool uringblk_nvme_is_zns(u8 opcode);
int uringblk_nvme_zns_cmd(struct uringblk_dev *dev,
			  const struct nvme_passthru_cmd64 *c,
			  struct iov_iter *iter, u64 *result);

/*
 * The Computational Programs command set's admin commands (nvme_cp.c),
 * NVMe 2.1 opcodes (6.1's <linux/nvme.h> has none of them).  Bit 0 of
 * Load Program's and Memory Range Set Management's opcode: data to the
 * drive, as in every NVMe opcode.
 */
#define URINGBLK_NVME_ADMIN_LOAD_PROGRAM	0x85
#define URINGBLK_NVME_ADMIN_PROG_ACT_MGMT	0x88
#define URINGBLK_NVME_ADMIN_MEM_RANGE_SET_MGMT	0x89

u32 uringblk_nvme_cp_admin_effects(u8 opcode);
int uringblk_nvme_cp_admin(struct uringblk_dev *dev,
			   const struct nvme_passthru_cmd64 *c,
			   struct iov_iter *iter, u64 *result);
void uringblk_nvme_cp_dev_exit(struct uringblk_dev *dev);

/*
 * nvme_kv.c: the NVMe status of an engine status (kv_status_to_nvme()),
 * DNR set unless a retry may help (Internal Error).  0 for KV_OK.
 */
int uringblk_kv_nvme_status(enum kv_status s);

/* nvme_kv.c: the KV namespace's I/O commands and Identify data */
u32 uringblk_nvme_kv_io_effects(struct uringblk_dev *dev, u8 opcode);
int uringblk_nvme_kv_exec(struct uringblk_dev *dev,
			  const struct nvme_passthru_cmd64 *c,
			  struct iov_iter *iter, u64 *result);
u32 uringblk_nvme_kv_nvm_effects(struct uringblk_dev *dev, u8 opcode);
int uringblk_nvme_kv_identify(struct uringblk_dev *dev, u8 cns, u32 nsid, void *buf);

/* The key of a standard KV command: bytes 0-3 CDW2, 4-7 CDW3, 8-11 CDW14, 12-15 CDW15 */
void uringblk_nvme_kv_key(const struct nvme_passthru_cmd64 *c, u8 key[KV_MAX_KEY_LEN]);

/* nvme_kv_seed.c: the seed dialect (81h-84h) on NSID 1, KV or (kv_nvm_mb) NVM */
u32 uringblk_nvme_kv_seed_effects(u8 opcode);
int uringblk_nvme_kv_seed_exec(struct uringblk_dev *dev,
			       const struct nvme_passthru_cmd64 *c,
			       struct iov_iter *iter, u64 *result);

#endif /* URINGBLK_NVME_H */
