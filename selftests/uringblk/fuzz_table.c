// SPDX-License-Identifier: GPL-2.0
/*
 * The command fuzzer's table: every command of both front ends, its fields
 * and their interesting values (fuzz_gen.h says how a field and a value
 * are written).  Valid values come first in spirit; the generator picks
 * among them and mutates some picks (off by one, zero, all ones, boundaries
 * of every width, random bits), so that most commands pass the decoding and
 * reach the handler's own checks.
 *
 * To add a command: one entry below.  An opcode that is not merged yet
 * (it answers Invalid Opcode / -ENOTTY) is FZ_C_PENDING: it is sent and
 * counted, but not required to succeed.  Its fields are then the generic
 * CDW10-15 below until its layout is known.  Every other entry must
 * succeed (or give its .reached status) at least once in a campaign, and
 * each of its .subs (the CNS, LID, FID values the driver has a handler
 * for) must succeed at least once: fuzz_cmds fails otherwise.
 */
#include <errno.h>
#include <stddef.h>
#include <linux/nvme_ioctl.h>
#include <linux/uringblk.h>

#include "fuzz_gen.h"

#define L	FZ_L
#define S	FZ_S
#define V	FZ_V

/* struct uringblk_cmd: cdw[i] */
#define UW(i)		(24 + 8 * (i))
/* NVMe: CDWn in struct nvme_passthru_cmd64 */
#define NW(n)		((uint16_t)offsetof(struct nvme_passthru_cmd64, cdw10) + 4 * ((n) - 10))

/* --- values used by many commands --------------------------------------- */

#define LBAS	V(L(0), S(FZ_S_LBA, 0), S(FZ_S_LBA, 0), S(FZ_S_NLBA, -1), S(FZ_S_NLBA, -8), \
		  S(FZ_S_NLBA, 0), S(FZ_S_ZONE_START, 0))
#define PROG_IDS V(S(FZ_S_PROG_ID, 0), S(FZ_S_PROG_ID, 0), S(FZ_S_PROG_ID, 0), L(1), \
		   L(URINGBLK_DD_ID_BASE), L(URINGBLK_DD_ID_BASE + 1))
#define PINDS	V(S(FZ_S_PIND, 0), S(FZ_S_PIND, 0), L(1), L(2), L(URINGBLK_MAX_PROGS), \
		  S(FZ_S_DD_PIND, 0), S(FZ_S_DD_PIND, 1))
#define BUDGETS	V(L(0), L(0), L(1000), L(100000), S(FZ_S_MAX_BUDGET, 0), S(FZ_S_MAX_BUDGET, 1), \
		  L(1ULL << 40))
/* helper arguments of the fuzz programs (offsets, lengths, pattern length) */
#define ARGS	V(L(0), L(1), L(4), L(8), L(64), L(512), S(FZ_S_BS, 0), S(FZ_S_RAND, 0))
#define SLM_OFFS V(L(0), S(FZ_S_SLM_OFF, 0), S(FZ_S_SLM_OFF, 0), S(FZ_S_SLM, -4096), \
		   S(FZ_S_SLM, 0), S(FZ_S_SLM, -1))
#define SLM_LENS V(L(4096), L(4096), L(0), L(4), L(512), L(65536), L(3), S(FZ_S_MEM_XFER, 0))
/* generic NVMe words, for opcodes whose layout is not merged yet */
#define GENERIC	V(L(0), L(0), L(1), L(2), S(FZ_S_PIND, 0), S(FZ_S_RSID, 0), \
		  S(FZ_S_SLM_OFF, 0), S(FZ_S_LBA, 0), L(0x100), L(4095), S(FZ_S_RAND, 0))
#define GENERIC_CDWS \
	{ "cdw10", NW(10), 4, 0, 0, GENERIC }, { "cdw11", NW(11), 4, 0, 0, GENERIC }, \
	{ "cdw12", NW(12), 4, 0, 0, GENERIC }, { "cdw13", NW(13), 4, 0, 0, GENERIC }, \
	{ "cdw14", NW(14), 4, 0, 0, GENERIC }, { "cdw15", NW(15), 4, 0, 0, GENERIC }

/* NVM: SLBA (CDW10-11), NLB (CDW12 15:0, 0's based) */
#define NVM_SLBA	{ "slba", NW(10), 8, 0, 0, LBAS }
#define NVM_NLB		{ "nlb", NW(12), 4, 0, 16, V(L(0), L(7), L(15), L(127), \
						     S(FZ_S_MAX_NLB, -1), S(FZ_S_MAX_NLB, 0)) }

/* --- buffer lengths from the fields -------------------------------------- */

static uint64_t w64(const void *p, unsigned int off)
{
	uint64_t v = 0;

	__builtin_memcpy(&v, (const uint8_t *)p + off, 8);
	return v;
}

static uint32_t w32(const void *p, unsigned int off)
{
	uint32_t v = 0;

	__builtin_memcpy(&v, (const uint8_t *)p + off, 4);
	return v;
}

static uint32_t len_stats(const void *p, const struct fz_env *e)
{
	return w32(p, 4) & URINGBLK_STATS_F_LATENCY ?
	       sizeof(struct uringblk_latency_stats) : sizeof(struct uringblk_stats);
}

static uint32_t len_mem_copy(const void *p, const struct fz_env *e)
{
	return w64(p, UW(1)) * sizeof(struct uringblk_copy_range);
}

static uint32_t len_nvm(const void *p, const struct fz_env *e)
{
	return ((w32(p, NW(12)) & 0xffff) + 1) << e->bs_shift;
}

static uint32_t len_get_log(const void *p, const struct fz_env *e)
{
	uint32_t numd = (w32(p, NW(10)) >> 16) | (w32(p, NW(11)) & 0xffff) << 16;

	return (numd + 1) * 4;
}

static uint32_t len_dsm(const void *p, const struct fz_env *e)
{
	return ((w32(p, NW(10)) & 0xff) + 1) * 16;
}

static uint32_t len_copy(const void *p, const struct fz_env *e)
{
	return ((w32(p, NW(12)) & 0xff) + 1) * 32;
}

static uint32_t len_slm(const void *p, const struct fz_env *e)
{
	return w32(p, NW(12));
}

static uint32_t len_mrd(const void *p, const struct fz_env *e)
{
	return (w32(p, NW(11)) & 0xff) * 32;
}

static uint32_t len_zone_recv(const void *p, const struct fz_env *e)
{
	return (w32(p, NW(12)) + 1) * 4;
}

/*
 * A run's budget: 0 (the default, 2^30 units) and values up to the maximum
 * (2^36) let one looping program run for minutes under TCG, and a run
 * cannot be cancelled (closing the ring does not stop it): the campaign
 * would measure one loop instead of a million commands.  So a budget the
 * drive would accept is bounded to 2^22 units; the refusals above the
 * maximum stay as generated.
 */
#define FUZZ_BUDGET	(1ULL << 22)
static void bound_budget(uint8_t *p, unsigned int off)
{
	uint64_t b = w64(p, off);

	if (b == 0 || (b > FUZZ_BUDGET && b <= (1ULL << 36))) {
		b = FUZZ_BUDGET;
		__builtin_memcpy(p + off, &b, 8);
	}
}

static void fix_exec(uint8_t *p)
{
	bound_budget(p, UW(3));
}

static void fix_execute(uint8_t *p)
{
	bound_budget(p, UW(2));
}

/*
 * Handlers below the opcode: Identify's CNS (with the CSI for the command
 * set data, CNS 05h and 06h), Get Log Page's LID, the Features' FID
 * (CDW10 7:0 for both: key_lid)
 */
static uint32_t key_cns(const void *p)
{
	uint32_t cns = w32(p, NW(10)) & 0xff;

	return cns == 5 || cns == 6 ? cns | (w32(p, NW(11)) >> 24) << 8 : cns;
}

static uint32_t key_lid(const void *p)
{
	return w32(p, NW(10)) & 0xff;
}

/* IdentifyCS: an NSID to be the namespace of the command's CSI */
#define NSID_OF_CSI	0x7ffffff0
static void fix_id_cs(uint8_t *p)
{
	static const uint32_t ns_of_csi[5] = { 1, 1, 1, 3, 2 };	/* NVM, -, ZNS, SLM, CP */
	uint32_t csi = w32(p, NW(11)) >> 24, nsid = w32(p, 4);

	if (nsid == NSID_OF_CSI) {
		nsid = csi < 5 ? ns_of_csi[csi] : 1;
		__builtin_memcpy(p + 4, &nsid, 4);
	}
}

static const uint32_t stats_flags[] = { URINGBLK_STATS_F_RESET, URINGBLK_STATS_F_LATENCY, 0 };
static const uint32_t exec_flags[] = { URINGBLK_EXEC_F_ZONE_WP, 0 };

#define RES	((uint32_t)sizeof(struct uringblk_exec_result))
/* An NVMe status as the passthrough returns it, with DNR */
#define SC(x)	(0x4000 | (x))

const struct fz_cmd fz_cmds[] = {
	/* ---- the drive's own commands (URING_CMD, struct uringblk_cmd) ---- */
	{ .name = "IDENTIFY", .fe = FZ_FE_UBLK, .cmd_op = URINGBLK_CMD_IDENTIFY,
	  .buf = FZ_B_OUT, .fixed_len = sizeof(struct uringblk_identify),
	  .flags = FZ_C_ASYNC_OK },
	{ .name = "GET_STATS", .fe = FZ_FE_UBLK, .cmd_op = URINGBLK_CMD_GET_STATS,
	  .buf = FZ_B_OUT, .len = len_stats, .valid_flags = stats_flags,
	  .flags = FZ_C_ASYNC_OK },
	{ .name = "PROG_LOAD", .fe = FZ_FE_UBLK, .cmd_op = URINGBLK_CMD_PROG_LOAD,
	  .buf = FZ_B_INSNS, .flags = FZ_C_MKPROG,
	  .fields = (const struct fz_field[]){
		{ "log_addr", UW(0), 8, 0, 0, V(L(0), S(FZ_S_AUX, 0)) },
		{ "log_len", UW(1), 8, 0, 0, V(L(0), L(64), L(4096), S(FZ_S_AUX_LEN, 0)) },
		{ "name", UW(2), 8, 0, 0, V(L(0), L(0x7a7a7566), S(FZ_S_RAND, 0)) },
		{ "pind", UW(6), 8, 0, 0, V(L(0), L(0), L(0), L(1), L(2), L(7),
					     L(URINGBLK_MAX_PROGS), S(FZ_S_DD_PIND, 0)) },
		{ NULL } } },
	{ .name = "PROG_LOAD_IMAGE", .fe = FZ_FE_UBLK, .cmd_op = URINGBLK_CMD_PROG_LOAD,
	  .buf = FZ_B_IMAGE, .fixed_len = sizeof(struct uringblk_prog_image),
	  .set_flags = URINGBLK_PROG_LOAD_F_IMAGE, .flags = FZ_C_MKPROG,
	  .fields = (const struct fz_field[]){
		{ "log_addr", UW(0), 8, 0, 0, V(L(0), S(FZ_S_AUX, 0)) },
		{ "log_len", UW(1), 8, 0, 0, V(L(0), L(4096)) },
		{ "pind", UW(6), 8, 0, 0, V(L(0), L(0), L(3), S(FZ_S_DD_PIND, 0)) },
		{ NULL } } },
	{ .name = "PROG_LOAD_BPF_FD", .fe = FZ_FE_UBLK, .cmd_op = URINGBLK_CMD_PROG_LOAD,
	  .buf = FZ_B_IN, .fixed_len = sizeof(struct uringblk_prog_kbpf),
	  .set_flags = URINGBLK_PROG_LOAD_F_BPF_FD, .flags = FZ_C_NEG },
	{ .name = "PROG_UNLOAD", .fe = FZ_FE_UBLK, .cmd_op = URINGBLK_CMD_PROG_UNLOAD,
	  .fields = (const struct fz_field[]){
		{ "prog_id", UW(0), 8, 0, 0, PROG_IDS }, { NULL } } },
	{ .name = "PROG_LIST", .fe = FZ_FE_UBLK, .cmd_op = URINGBLK_CMD_PROG_LIST,
	  .buf = FZ_B_OUT, .fixed_len = 8 * sizeof(struct uringblk_prog_info),
	  .flags = FZ_C_ASYNC_OK,
	  .fields = (const struct fz_field[]){
		{ "after_id", UW(0), 8, 0, 0, V(L(0), L(0), S(FZ_S_PROG_ID, 0),
						 L(URINGBLK_DD_ID_BASE)) }, { NULL } } },
	{ .name = "EXEC", .fe = FZ_FE_UBLK, .cmd_op = URINGBLK_CMD_EXEC,
	  .buf = FZ_B_OUT, .fixed_len = RES + 512, .valid_flags = exec_flags,
	  .flags = FZ_C_ASYNC_OK, .fixup = fix_exec,
	  .fields = (const struct fz_field[]){
		{ "prog_id", UW(0), 8, 0, 0, PROG_IDS },
		{ "lba_start", UW(1), 8, 0, 0, LBAS },
		{ "lba_count", UW(2), 8, 0, 0, V(L(1), L(1), L(8), L(64), L(0),
						  S(FZ_S_NLBA, 0), S(FZ_S_ZONE_LBAS, 0)) },
		{ "insn_budget", UW(3), 8, 0, 0, BUDGETS },
		{ "args0", UW(4), 8, 0, 0, ARGS }, { "args1", UW(5), 8, 0, 0, ARGS },
		{ "args2", UW(6), 8, 0, 0, ARGS }, { NULL } } },
	{ .name = "EXEC_EXTENTS", .fe = FZ_FE_UBLK, .cmd_op = URINGBLK_CMD_EXEC,
	  .buf = FZ_B_OUT, .fixed_len = RES + 64, .set_flags = URINGBLK_EXEC_F_EXTENTS,
	  .aux = FZ_B_EXTENTS, .aux_count = UW(2), .flags = FZ_C_ASYNC_OK, .fixup = fix_exec,
	  .reached = -ERANGE,	/* an extent outside the drive: the list was read */
	  .fields = (const struct fz_field[]){
		{ "prog_id", UW(0), 8, 0, 0, PROG_IDS },
		{ "ext_addr", UW(1), 8, 0, 0, V(S(FZ_S_AUX, 0)) },
		{ "nr_ext", UW(2), 8, 0, 0, V(L(1), L(2), L(16), L(200), S(FZ_S_MAX_EXT, 0),
					       S(FZ_S_MAX_EXT, 1)) },
		{ "insn_budget", UW(3), 8, 0, 0, BUDGETS },
		{ "args0", UW(4), 8, 0, 0, ARGS }, { "args1", UW(5), 8, 0, 0, ARGS },
		{ NULL } } },
	{ .name = "PROG_ACTIVATE", .fe = FZ_FE_UBLK, .cmd_op = URINGBLK_CMD_PROG_ACTIVATE,
	  .fields = (const struct fz_field[]){
		{ "pind", UW(0), 8, 0, 0, PINDS },
		{ "action", UW(1), 8, 0, 0, V(L(URINGBLK_PROG_ACT_ACTIVATE),
					       L(URINGBLK_PROG_ACT_DEACTIVATE)) }, { NULL } } },
	{ .name = "EXECUTE", .fe = FZ_FE_UBLK, .cmd_op = URINGBLK_CMD_EXECUTE,
	  .buf = FZ_B_OUT, .fixed_len = RES + 256, .flags = FZ_C_ASYNC_OK, .fixup = fix_execute,
	  .reached = -ENOEXEC,	/* the slot's program is not active */
	  .fields = (const struct fz_field[]){
		{ "pind", UW(0), 8, 0, 0, PINDS },
		{ "rsid", UW(1), 8, 0, 0, V(S(FZ_S_RSID, 0), S(FZ_S_RSID, 0), L(1)) },
		{ "insn_budget", UW(2), 8, 0, 0, BUDGETS },
		{ "cparam0", UW(3), 8, 0, 0, ARGS }, { "cparam1", UW(4), 8, 0, 0, ARGS },
		{ "arg2", UW(5), 8, 0, 0, ARGS },
		{ "data_len", UW(6), 8, 0, 0, V(L(0), L(0), L(1), L(4096), S(FZ_S_SLM_GRAN, 0)) },
		{ NULL } } },
	{ .name = "REPORT_ZONES", .fe = FZ_FE_UBLK, .cmd_op = URINGBLK_CMD_REPORT_ZONES,
	  .buf = FZ_B_OUT, .fixed_len = 16 * sizeof(struct uringblk_zone),
	  .flags = FZ_C_ZONED | FZ_C_ASYNC_OK,
	  .fields = (const struct fz_field[]){ { "lba", UW(0), 8, 0, 0, LBAS }, { NULL } } },
	{ .name = "ZONE_MGMT", .fe = FZ_FE_UBLK, .cmd_op = URINGBLK_CMD_ZONE_MGMT,
	  .flags = FZ_C_ZONED,
	  .fields = (const struct fz_field[]){
		{ "zone_lba", UW(0), 8, 0, 0, V(S(FZ_S_ZONE_START, 0), S(FZ_S_ZONE_START, 0),
						 L(0), S(FZ_S_ZONE_START, 1), S(FZ_S_NLBA, 0)) },
		{ "action", UW(1), 8, 0, 0, V(L(1), L(2), L(3), L(4), L(5)) }, { NULL } } },
	{ .name = "ZONE_APPEND", .fe = FZ_FE_UBLK, .cmd_op = URINGBLK_CMD_ZONE_APPEND,
	  .buf = FZ_B_IN, .fixed_len = 4096, .flags = FZ_C_ZONED,
	  .fields = (const struct fz_field[]){
		{ "zone_lba", UW(0), 8, 0, 0, V(S(FZ_S_ZONE_START, 0), S(FZ_S_ZONE_START, 0),
						 S(FZ_S_LBA, 0)) },
		{ "lba_out_addr", UW(1), 8, 0, 0, V(L(0), S(FZ_S_AUX, 0)) }, { NULL } } },
	{ .name = "MEM_READ", .fe = FZ_FE_UBLK, .cmd_op = URINGBLK_CMD_MEM_READ,
	  .buf = FZ_B_OUT, .fixed_len = 4096, .flags = FZ_C_ASYNC_OK,
	  .fields = (const struct fz_field[]){
		{ "slm_off", UW(0), 8, 0, 0, SLM_OFFS }, { NULL } } },
	{ .name = "MEM_WRITE", .fe = FZ_FE_UBLK, .cmd_op = URINGBLK_CMD_MEM_WRITE,
	  .buf = FZ_B_IN, .fixed_len = 4096, .flags = FZ_C_ASYNC_OK,
	  .fields = (const struct fz_field[]){
		{ "slm_off", UW(0), 8, 0, 0, SLM_OFFS }, { NULL } } },
	{ .name = "MEM_COPY", .fe = FZ_FE_UBLK, .cmd_op = URINGBLK_CMD_MEM_COPY,
	  .buf = FZ_B_COPY_RANGES, .len = len_mem_copy, .flags = FZ_C_ASYNC_OK,
	  .fields = (const struct fz_field[]){
		{ "slm_off", UW(0), 8, 0, 0, SLM_OFFS },
		{ "nr_ranges", UW(1), 8, 0, 0, V(L(1), L(2), L(4), S(FZ_S_SET_RANGES, 0),
						  S(FZ_S_SET_RANGES, 1)) }, { NULL } } },
	{ .name = "RANGE_SET_CREATE", .fe = FZ_FE_UBLK, .cmd_op = URINGBLK_CMD_RANGE_SET_CREATE,
	  .buf = FZ_B_MEM_RANGES, .fixed_len = 2 * sizeof(struct uringblk_mem_range),
	  .flags = FZ_C_MKRSET },
	{ .name = "RANGE_SET_DELETE", .fe = FZ_FE_UBLK, .cmd_op = URINGBLK_CMD_RANGE_SET_DELETE,
	  .fields = (const struct fz_field[]){
		{ "rsid", UW(0), 8, 0, 0, V(S(FZ_S_RSID, 0), S(FZ_S_RSID, 0), L(1)) },
		{ NULL } } },
	{ .name = "UNKNOWN_CMD_OP", .fe = FZ_FE_UBLK,
	  .cmd_op = _IOWR(URINGBLK_IOC_MAGIC, 0x7f, struct uringblk_cmd), .flags = FZ_C_NEG },

	/* ---- NVMe admin (ioctls and URING_CMD on /dev/uringblkcN) ---- */
	{ .name = "nvme:IOCTL_ID", .fe = FZ_FE_NVME_ID },
	{ .name = "nvme:Identify", .fe = FZ_FE_NVME_ADMIN, .opcode = 0x06,
	  .buf = FZ_B_OUT, .fixed_len = 4096, .subkey = key_cns,
	  .subs = (const uint16_t[]){ 0x00, 0x01, 0x02, 0x03, 0x07, 0x08, FZ_SUB_END },
	  .fields = (const struct fz_field[]){
		{ "nsid", 4, 4, 0, 0, V(L(1), L(1), L(0), L(2), L(3), L(0xffffffff)) },
		{ "cns", NW(10), 4, 0, 8, V(L(0), L(1), L(2), L(3), L(5), L(6), L(7), L(8),
					     L(0x1c), S(FZ_S_RAND, 0)) },
		{ "cntid", NW(10), 4, 16, 16, V(L(0)) },
		{ "csi", NW(11), 4, 24, 8, V(L(0), L(2), L(3), L(4)) }, { NULL } } },
	/*
	 * The command sets' Identify data (CNS 05h, 06h), the NSID mostly the
	 * namespace of the CSI (fix_id_cs), so that each set's handler is
	 * reached: NVM, ZNS (on the zoned drive), SLM, Computational Programs
	 */
	{ .name = "nvme:IdentifyCS", .fe = FZ_FE_NVME_ADMIN, .opcode = 0x06,
	  .buf = FZ_B_OUT, .fixed_len = 4096, .subkey = key_cns, .fixup = fix_id_cs,
	  .subs = (const uint16_t[]){ 0x005, 0x205, 0x305, 0x405, 0x006, 0x206, 0x306, 0x406,
				      FZ_SUB_END },
	  .fields = (const struct fz_field[]){
		{ "nsid", 4, 4, 0, 0, V(L(NSID_OF_CSI), L(NSID_OF_CSI), L(NSID_OF_CSI), L(NSID_OF_CSI),
					 L(NSID_OF_CSI), L(1), L(0), L(2), L(3), L(0xffffffff)) },
		{ "cns", NW(10), 4, 0, 8, V(L(5), L(6)) },
		/* ZNS twice: only the zoned drive (a fifth of the picks) has it */
		{ "csi", NW(11), 4, 24, 8, V(L(0), L(2), L(2), L(3), L(4), L(0xff)) }, { NULL } } },
	{ .name = "nvme:GetLogPage", .fe = FZ_FE_NVME_ADMIN, .opcode = 0x02,
	  .buf = FZ_B_OUT, .len = len_get_log, .subkey = key_lid,
	  .subs = (const uint16_t[]){ 0x01, 0x02, 0x03, 0x05, FZ_SUB_END },
	  .fields = (const struct fz_field[]){
		/* SMART (LID 02h) takes NSID 1 and FFFFFFFFh only: most are */
		{ "nsid", 4, 4, 0, 0, V(L(0xffffffff), L(1), L(0xffffffff), L(1), L(0), L(2)) },
		{ "lid", NW(10), 4, 0, 8, V(L(1), L(2), L(2), L(3), L(5), L(0x80),
					     S(FZ_S_RAND, 0)) },
		{ "rae", NW(10), 4, 15, 1, V(L(0), L(1)) },
		{ "numdl", NW(10), 4, 16, 16, V(L(127), L(1023), L(15), L(0), L(0xffff)) },
		{ "numdu", NW(11), 4, 0, 16, V(L(0)) },
		{ "lpo", NW(12), 4, 0, 0, V(L(0), L(0), L(0), L(4), L(512), L(3), L(4096)) },
		{ "csi", NW(14), 4, 24, 8, V(L(0), L(2), L(3), L(4)) }, { NULL } } },
	/*
	 * Set Features: Volatile Write Cache (to 1) and Asynchronous Event
	 * Configuration succeed; Number of Queues is always Command Sequence
	 * Error (the queues exist), the other mandatory ones Not Changeable
	 */
	{ .name = "nvme:SetFeatures", .fe = FZ_FE_NVME_ADMIN, .opcode = 0x09,
	  .subkey = key_lid, .subs = (const uint16_t[]){ 0x06, 0x0b, FZ_SUB_END },
	  .fields = (const struct fz_field[]){
		{ "fid", NW(10), 4, 0, 8, V(L(6), L(0xb), L(7), L(1), L(2), L(4), L(8), L(9),
					     S(FZ_S_RAND, 0)) },
		{ "sv", NW(10), 4, 31, 1, V(L(0), L(0), L(1)) },
		{ "cdw11", NW(11), 4, 0, 0, V(L(1), L(0), L(0x00ff00ff), L(0xffffffff)) },
		{ NULL } } },
	{ .name = "nvme:GetFeatures", .fe = FZ_FE_NVME_ADMIN, .opcode = 0x0a,
	  .subkey = key_lid,
	  .subs = (const uint16_t[]){ 0x01, 0x02, 0x04, 0x06, 0x07, 0x08, 0x09, 0x0b,
				      FZ_SUB_END },
	  .fields = (const struct fz_field[]){
		{ "fid", NW(10), 4, 0, 8, V(L(6), L(7), L(1), L(2), L(4), L(8), L(9), L(0xb),
					     S(FZ_S_RAND, 0)) },
		{ "sel", NW(10), 4, 8, 3, V(L(0), L(1), L(2), L(3), L(4), L(7)) },
		/* Temperature Threshold's sensor and kind; a vector, 0 or 1 */
		{ "cdw11", NW(11), 4, 0, 0, V(L(0), L(1), L(0x100000), L(0xffff)) },
		{ NULL } } },
	/*
	 * Computational Programs admin commands (driver/nvme_cp.c,
	 * Documentation/dev/nvme-cp.md): one field wrong at a time.  Load
	 * Program's slots are FZ_FREE_PIND_* (no other loader uses them),
	 * its bytes a valid program whose size PSIZE and NUMB name, or (the
	 * content's mutation) a mutated or hostile one (fuzz_gen.c).
	 */
	{ .name = "nvme:LoadProgram", .fe = FZ_FE_NVME_ADMIN, .opcode = 0x85,
	  .buf = FZ_B_INSNS, .flags = FZ_C_ONEFIELD | FZ_C_MKPROG,
	  /*
	   * clean: loaded; or Program In Use: the slot holds a program an
	   * earlier load put there (until the churn unloads it) or another
	   * worker's load is under way in it
	   */
	  .clean_ok = (const int32_t[]){ 0, SC(0x199), FZ_OK_END },
	  .fields = (const struct fz_field[]){
		{ "nsid", 4, 4, 0, 0, V(L(2), L(1), L(3), L(0), L(0xffffffff)) },
		{ "pind", NW(10), 4, 0, 16, V(S(FZ_S_FREE_PIND, 0), L(0), L(1), S(FZ_S_CP_PIND, 0),
					       L(65), S(FZ_S_DD_PIND, 0), L(0xffff)) },
		{ "ptype", NW(10), 4, 16, 8, V(L(0xc0), L(0), L(0xc1), L(0xc2), L(0xff)) },
		{ "sel", NW(10), 4, 24, 1, V(L(0), L(1)) },
		{ "pit", NW(10), 4, 25, 3, V(L(0), L(1), L(7)) },
		{ "rsvd10", NW(10), 4, 28, 4, V(L(0), L(1), L(8)) },
		{ "psize", NW(11), 4, 0, 0, V(S(FZ_S_PROG_LEN, 0), S(FZ_S_PROG_LEN, 8),
					       S(FZ_S_PROG_LEN, -8), S(FZ_S_PROG_LEN, 4), L(0),
					       L(32768), L(32776), L(0xffffffff)) },
		{ "pid", NW(12), 8, 0, 0, V(L(0), S(FZ_S_RAND, 0)) },
		{ "numb", NW(14), 4, 0, 0, V(S(FZ_S_PROG_LEN, 0), L(0), L(8), S(FZ_S_PROG_LEN, -8),
					      S(FZ_S_PROG_LEN, 8), L(0xffffffff)) },
		{ "loff", NW(15), 4, 0, 0, V(L(0), L(8), S(FZ_S_PROG_LEN, 0), S(FZ_S_PROG_LEN, -8),
					      L(0xfffffff8)) },
		{ NULL } } },
	{ .name = "nvme:ProgramActivation", .fe = FZ_FE_NVME_ADMIN, .opcode = 0x88,
	  .flags = FZ_C_ONEFIELD,
	  /*
	   * clean (activate a slot the churn loaded through NVMe): done; No
	   * Program: the churn has unloaded it since, or is loading it again;
	   * Maximum Programs Activated: 16 are active (the churn's, the
	   * workers')
	   */
	  .clean_ok = (const int32_t[]){ 0, SC(0x196), SC(0x193), FZ_OK_END },
	  .fields = (const struct fz_field[]){
		{ "nsid", 4, 4, 0, 0, V(L(2), L(1), L(0xffffffff)) },
		{ "pind", NW(10), 4, 0, 16, V(S(FZ_S_CP_PIND, 0), L(0), L(65), S(FZ_S_FREE_PIND, 0),
					       S(FZ_S_DD_PIND, 0), L(0xffff)) },
		{ "sel", NW(10), 4, 16, 4, V(L(1), L(0), L(2), L(15)) },
		{ "rsvd10", NW(10), 4, 20, 12, V(L(0), L(1), L(0x800)) }, { NULL } } },
	{ .name = "nvme:MemRangeSetCreate", .fe = FZ_FE_NVME_ADMIN, .opcode = 0x89,
	  .buf = FZ_B_NVME_MRD, .len = len_mrd, .flags = FZ_C_ONEFIELD | FZ_C_MKRSET,
	  /* clean: created; or 64 sets exist (the workers' and the churn's) */
	  .clean_ok = (const int32_t[]){ 0, SC(0x192), FZ_OK_END },
	  .fields = (const struct fz_field[]){
		{ "nsid", 4, 4, 0, 0, V(L(2), L(3), L(0xffffffff)) },
		{ "sel", NW(10), 4, 0, 4, V(L(0), L(2), L(15)) },
		{ "rsvd10", NW(10), 4, 4, 12, V(L(0), L(1)) },
		{ "rsid", NW(10), 4, 16, 16, V(L(0), S(FZ_S_RSID, 0), L(0xffff)) },
		{ "numr", NW(11), 4, 0, 8, V(L(2), L(1), L(0), L(64), L(65), L(255)) },
		{ "rsvd11", NW(11), 4, 8, 24, V(L(0), L(1)) }, { NULL } } },
	{ .name = "nvme:MemRangeSetDelete", .fe = FZ_FE_NVME_ADMIN, .opcode = 0x89,
	  .flags = FZ_C_ONEFIELD,
	  /*
	   * clean (a set the drive gave out): deleted; or Invalid Memory Range
	   * Set Identifier: deleted already (by a worker, the churn); or In
	   * Use: an Execute Program or EXECUTE runs over it
	   */
	  .clean_ok = (const int32_t[]){ 0, SC(0x18d), SC(0x195), FZ_OK_END },
	  .fields = (const struct fz_field[]){
		{ "nsid", 4, 4, 0, 0, V(L(2), L(3), L(0)) },
		{ "sel", NW(10), 4, 0, 4, V(L(1), L(0), L(3)) },
		{ "rsvd10", NW(10), 4, 4, 12, V(L(0), L(0x800)) },
		{ "rsid", NW(10), 4, 16, 16, V(S(FZ_S_RSID, 0), L(0), L(0xffff)) },
		{ "numr", NW(11), 4, 0, 8, V(L(0), L(1)) }, { NULL } } },
	{ .name = "nvme:AdminVendorC1", .fe = FZ_FE_NVME_ADMIN, .opcode = 0xc1,
	  .flags = FZ_C_NEG, .fields = (const struct fz_field[]){ GENERIC_CDWS, { NULL } } },

	/* ---- NVMe I/O, NVM namespace (NSID 1, /dev/uringblkcN) ---- */
	{ .name = "nvme:Flush", .fe = FZ_FE_NVME_IO, .opcode = 0x00, .ns = FZ_NS_NVM },
	{ .name = "nvme:Write", .fe = FZ_FE_NVME_IO, .opcode = 0x01, .ns = FZ_NS_NVM,
	  .buf = FZ_B_IN, .len = len_nvm,
	  .fields = (const struct fz_field[]){ NVM_SLBA, NVM_NLB,
		{ "fua", NW(12), 4, 30, 1, V(L(0), L(1)) }, { NULL } } },
	{ .name = "nvme:Read", .fe = FZ_FE_NVME_IO, .opcode = 0x02, .ns = FZ_NS_NVM,
	  .buf = FZ_B_OUT, .len = len_nvm,
	  .fields = (const struct fz_field[]){ NVM_SLBA, NVM_NLB, { NULL } } },
	{ .name = "nvme:Compare", .fe = FZ_FE_NVME_IO, .opcode = 0x05, .ns = FZ_NS_NVM,
	  .buf = FZ_B_IN, .len = len_nvm, .reached = 0x4285,	/* Compare Failure, DNR */
	  .fields = (const struct fz_field[]){ NVM_SLBA, NVM_NLB, { NULL } } },
	{ .name = "nvme:WriteZeroes", .fe = FZ_FE_NVME_IO, .opcode = 0x08, .ns = FZ_NS_NVM,
	  .fields = (const struct fz_field[]){ NVM_SLBA, NVM_NLB,
		{ "deac", NW(12), 4, 25, 1, V(L(0), L(1)) }, { NULL } } },
	{ .name = "nvme:DSM", .fe = FZ_FE_NVME_IO, .opcode = 0x09, .ns = FZ_NS_NVM,
	  .buf = FZ_B_DSM_RANGES, .len = len_dsm, .flags = FZ_C_NOZONED,
	  .fields = (const struct fz_field[]){
		{ "nr", NW(10), 4, 0, 8, V(L(0), L(1), L(3), L(255)) },
		{ "attr", NW(11), 4, 0, 0, V(L(4), L(4), L(0), L(1), L(2)) }, { NULL } } },
	/*
	 * Copy (driver/nvme_copy.c): sources of 1-8 blocks in the drive, the
	 * destination in its first half, so that a clean command fits
	 */
	{ .name = "nvme:Copy", .fe = FZ_FE_NVME_IO, .opcode = 0x19, .ns = FZ_NS_NVM,
	  .buf = FZ_B_NVME_COPY, .len = len_copy, .flags = FZ_C_NOZONED | FZ_C_ONEFIELD,
	  .reached = SC(0x80),	/* LBA Out of Range: the descriptors were read and checked */
	  /* clean (uringblk0: nothing removes it, no fault is injected): copied */
	  .clean_ok = (const int32_t[]){ 0, FZ_OK_END },
	  .fields = (const struct fz_field[]){
		{ "sdlba", NW(10), 8, 0, 0, V(S(FZ_S_LBA_LOW, 0), L(0), S(FZ_S_NLBA, -1),
					       S(FZ_S_NLBA, 0), S(FZ_S_ZONE_START, 0)) },
		{ "nr", NW(12), 4, 0, 8, V(L(0), L(1), L(3), L(127), L(128), L(255)) },
		{ "format", NW(12), 4, 8, 4, V(L(0), L(1), L(2), L(15)) },
		{ "fua", NW(12), 4, 30, 1, V(L(0), L(1)) },
		{ "rsvd12", NW(12), 4, 12, 4, V(L(0)) }, { NULL } } },
	{ .name = "nvme:ZoneMgmtSend", .fe = FZ_FE_NVME_IO, .opcode = 0x79, .ns = FZ_NS_NVM,
	  .flags = FZ_C_ZONED,
	  .fields = (const struct fz_field[]){
		{ "slba", NW(10), 8, 0, 0, V(S(FZ_S_ZONE_START, 0), S(FZ_S_ZONE_START, 0),
					      S(FZ_S_LBA, 0), S(FZ_S_NLBA, 0)) },
		{ "zsa", NW(13), 4, 0, 8, V(L(1), L(2), L(3), L(4), L(5), L(0x10)) },
		{ "select_all", NW(13), 4, 8, 1, V(L(0), L(0), L(0), L(1)) }, { NULL } } },
	{ .name = "nvme:ZoneMgmtRecv", .fe = FZ_FE_NVME_IO, .opcode = 0x7a, .ns = FZ_NS_NVM,
	  .buf = FZ_B_OUT, .len = len_zone_recv, .flags = FZ_C_ZONED,
	  .fields = (const struct fz_field[]){
		{ "slba", NW(10), 8, 0, 0, LBAS },
		{ "numd", NW(12), 4, 0, 0, V(L(15), L(127), L(1023), L(0), L(16)) },
		{ "zra", NW(13), 4, 0, 8, V(L(0), L(0), L(1)) },
		{ "zrasf", NW(13), 4, 8, 8, V(L(0), L(1), L(2), L(3), L(4), L(5), L(6),
					       L(7), L(8)) },
		{ "partial", NW(13), 4, 16, 1, V(L(0), L(1)) }, { NULL } } },
	{ .name = "nvme:ZoneAppend", .fe = FZ_FE_NVME_IO, .opcode = 0x7d, .ns = FZ_NS_NVM,
	  .buf = FZ_B_IN, .len = len_nvm, .flags = FZ_C_ZONED,
	  .fields = (const struct fz_field[]){
		{ "slba", NW(10), 8, 0, 0, V(S(FZ_S_ZONE_START, 0), S(FZ_S_ZONE_START, 0),
					      S(FZ_S_LBA, 0)) },
		{ "nlb", NW(12), 4, 0, 16, V(L(0), L(1), L(7), L(255)) }, { NULL } } },
	{ .name = "nvme:IoVendor81", .fe = FZ_FE_NVME_IO, .opcode = 0x81, .ns = FZ_NS_NVM,
	  .flags = FZ_C_NEG, .fields = (const struct fz_field[]){ GENERIC_CDWS, { NULL } } },

	/* ---- Computational Programs namespace (NSID 2, /dev/uringblkcNn2) ---- */
	/*
	 * Execute Program (driver/nvme_cp_io.c): CDW2 PIND 15:0 (a slot the
	 * churn loaded with an unmutated program and activated), RSID 31:16 (a
	 * set the drive gave out), CDW3 NUMR, CPARAM1-2, parameter data of at
	 * most 8 bytes
	 */
	{ .name = "nvme:ExecuteProgram", .fe = FZ_FE_NVME_IO, .opcode = 0x01, .ns = FZ_NS_CP,
	  .buf = FZ_B_IN, .fixed_len = 8, .flags = FZ_C_ONEFIELD | FZ_C_ASYNC_OK,
	  .reached = SC(0x198),	/* Program Not Activated: the slot was looked at */
	  /*
	   * clean: ran to its end; No Program, Not Activated: the churn
	   * unloaded or deactivated the slot since it entered the pool;
	   * Invalid Memory Range Set Identifier: the set was deleted since;
	   * the drive's runs limit (7D0h): EXECs and EXECUTEs of the others
	   * fill max_execs; a run that stops (7C1h-7C5h): the programs' helper
	   * arguments come from CPARAMs and the window's size, and a slot may
	   * hold for a while a (mutated) program a worker's PROG_LOAD put
	   * there between the churn's unload and its next load
	   */
	  .clean_ok = (const int32_t[]){ 0, SC(0x196), SC(0x198), SC(0x18d), SC(0x7d0),
					 SC(0x7c1), SC(0x7c2), SC(0x7c3), SC(0x7c4), SC(0x7c5),
					 FZ_OK_END },
	  .fields = (const struct fz_field[]){
		{ "pind", 8, 4, 0, 16, V(S(FZ_S_CP_PIND, 0), L(0), S(FZ_S_FREE_PIND, 0), L(65),
					  S(FZ_S_DD_PIND, 0), L(0xffff)) },
		{ "rsid", 8, 4, 16, 16, V(S(FZ_S_RSID, 0), L(0), L(0xffff)) },
		{ "numr", 12, 4, 0, 0, V(L(0), L(1), L(64)) },
		{ "cparam1", NW(10), 8, 0, 0, ARGS }, { "cparam2", NW(12), 8, 0, 0, ARGS },
		{ "cdw14", NW(14), 4, 0, 0, V(L(0), L(1)) },
		{ "cdw15", NW(15), 4, 0, 0, V(L(0), L(0x80000000)) }, { NULL } } },

	/*
	 * ---- SLM namespace (NSID 3, /dev/uringblkcNn3): driver/nvme_slm.c,
	 * Documentation/dev/nvme-passthrough.md "SLM I/O commands" ----
	 */
	{ .name = "nvme:MemoryCopy", .fe = FZ_FE_NVME_IO, .opcode = 0x01, .ns = FZ_NS_SLM,
	  .buf = FZ_B_SLM_COPY, .len = len_copy, .reached = 0x4183,	/* over 64 ranges */
	  .fields = (const struct fz_field[]){
		/* LEN: the ranges' bytes; the entries are one block each */
		{ "len", 8, 8, 0, 0, V(S(FZ_S_BS, 0), S(FZ_S_BS, 0), L(0), L(4096), S(FZ_S_BS, 1)) },
		{ "sdaddr", NW(10), 8, 0, 0, SLM_OFFS },
		{ "nr", NW(12), 4, 0, 8, V(L(0), L(0), L(1), L(63), L(64)) },
		{ "cdft", NW(12), 4, 8, 4, V(L(2), L(2), L(0)) }, { NULL } } },
	{ .name = "nvme:MemoryRead", .fe = FZ_FE_NVME_IO, .opcode = 0x02, .ns = FZ_NS_SLM,
	  .buf = FZ_B_OUT, .len = len_slm,
	  .fields = (const struct fz_field[]){
		{ "sb", NW(10), 8, 0, 0, SLM_OFFS }, { "len", NW(12), 4, 0, 0, SLM_LENS },
		{ NULL } } },
	{ .name = "nvme:MemoryFill", .fe = FZ_FE_NVME_IO, .opcode = 0x04, .ns = FZ_NS_SLM,
	  .fields = (const struct fz_field[]){
		{ "sb", NW(10), 8, 0, 0, SLM_OFFS }, { "len", NW(12), 4, 0, 0, SLM_LENS },
		{ "pattern", NW(13), 4, 0, 0, V(L(0), L(0xdeadbeef), S(FZ_S_RAND, 0)) },
		{ NULL } } },
	{ .name = "nvme:MemoryWrite", .fe = FZ_FE_NVME_IO, .opcode = 0x05, .ns = FZ_NS_SLM,
	  .buf = FZ_B_IN, .len = len_slm,
	  .fields = (const struct fz_field[]){
		{ "sb", NW(10), 8, 0, 0, SLM_OFFS }, { "len", NW(12), 4, 0, 0, SLM_LENS },
		{ NULL } } },
};

const unsigned int fz_nr_cmds = sizeof(fz_cmds) / sizeof(fz_cmds[0]);
