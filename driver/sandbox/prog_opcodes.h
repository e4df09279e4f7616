/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one list of eBPF opcodes the uringblk VM accepts.  It drives both
 * the validator (prog_verify.c: which fields each opcode may use) and the
 * interpreter's dispatch table (prog_interp.c: one label per entry), so
 * the two cannot disagree on what a program may contain.
 *
 * OP(name, code, kind): kind says how the validator checks the fields.
 *
 * The ISA is the one clang emits up to -mcpu=v4.  v4's new instructions
 * mostly reuse v1 opcodes with a non-zero off (sdiv/smod: off 1, movsx:
 * off 8/16/32): they share the v1 entry and its label, which tests off.
 * Only bswap, the sign-extending loads and gotol have opcodes of their own.
 */
#ifndef _URINGBLK_PROG_OPCODES_H
#define _URINGBLK_PROG_OPCODES_H

/* ISA v4 and later names that 6.1's <linux/bpf.h> does not have yet */
#ifndef BPF_MEMSX
#define BPF_MEMSX	0x80	/* LDX mode: sign-extending load */
#endif
#ifndef BPF_JCOND
#define BPF_JCOND	0xe0	/* JMP op: may_goto */
#endif
#ifndef BPF_LOAD_ACQ
#define BPF_LOAD_ACQ	0x100	/* atomic imm: load-acquire */
#define BPF_STORE_REL	0x110	/* atomic imm: store-release */
#endif
#ifndef BPF_ADDR_SPACE_CAST
#define BPF_ADDR_SPACE_CAST	1	/* ALU64 mov off: arena address cast */
#endif

enum uringblk_prog_kind {
	PK_INVALID = 0,
	PK_ALU_K,	/* dst op= imm: src == 0, off == 0, dst != r10 */
	PK_ALU_X,	/* dst op= src: imm == 0, off == 0, dst != r10 */
	PK_DIV_K,	/* PK_ALU_K, but off 0 (unsigned) or 1 (signed); imm != 0 */
	PK_DIV_X,	/* PK_ALU_X, but off 0 (unsigned) or 1 (signed) */
	PK_MOV32_X,	/* PK_ALU_X, but off 0 (mov) or 8/16 (movsx) */
	PK_MOV64_X,	/* PK_ALU_X, but off 0 (mov) or 8/16/32 (movsx) */
	PK_SH32_K,	/* PK_ALU_K and 0 <= imm < 32 */
	PK_SH64_K,	/* PK_ALU_K and 0 <= imm < 64 */
	PK_NEG,		/* src == 0, off == 0, imm == 0, dst != r10 */
	PK_END,		/* src == 0, off == 0, imm in {16, 32, 64}, dst != r10 */
	PK_LDX,		/* dst = *(src + off): imm == 0, dst != r10 */
	PK_ST,		/* *(dst + off) = imm: src == 0 */
	PK_STX,		/* *(dst + off) = src: imm == 0 */
	PK_ATOMIC,	/* imm = atomic op */
	PK_LDDW,	/* two slots */
	PK_JA,		/* src == 0, dst == 0, imm == 0 */
	PK_JA32,	/* gotol: src == 0, dst == 0, off == 0, target in imm */
	PK_JMP_K,	/* src == 0 */
	PK_JMP_X,	/* imm == 0 */
	PK_CALL,	/* helper (src 0) or bpf-to-bpf (src 1) */
	PK_EXIT,	/* all fields zero */
};

#define __PROG_ALU(OP, cls, CLS, sh, mov_x)				\
	OP(CLS##_ADD_K,  BPF_##cls | BPF_ADD  | BPF_K, PK_ALU_K)	\
	OP(CLS##_ADD_X,  BPF_##cls | BPF_ADD  | BPF_X, PK_ALU_X)	\
	OP(CLS##_SUB_K,  BPF_##cls | BPF_SUB  | BPF_K, PK_ALU_K)	\
	OP(CLS##_SUB_X,  BPF_##cls | BPF_SUB  | BPF_X, PK_ALU_X)	\
	OP(CLS##_MUL_K,  BPF_##cls | BPF_MUL  | BPF_K, PK_ALU_K)	\
	OP(CLS##_MUL_X,  BPF_##cls | BPF_MUL  | BPF_X, PK_ALU_X)	\
	OP(CLS##_DIV_K,  BPF_##cls | BPF_DIV  | BPF_K, PK_DIV_K)	\
	OP(CLS##_DIV_X,  BPF_##cls | BPF_DIV  | BPF_X, PK_DIV_X)	\
	OP(CLS##_OR_K,   BPF_##cls | BPF_OR   | BPF_K, PK_ALU_K)	\
	OP(CLS##_OR_X,   BPF_##cls | BPF_OR   | BPF_X, PK_ALU_X)	\
	OP(CLS##_AND_K,  BPF_##cls | BPF_AND  | BPF_K, PK_ALU_K)	\
	OP(CLS##_AND_X,  BPF_##cls | BPF_AND  | BPF_X, PK_ALU_X)	\
	OP(CLS##_LSH_K,  BPF_##cls | BPF_LSH  | BPF_K, sh)		\
	OP(CLS##_LSH_X,  BPF_##cls | BPF_LSH  | BPF_X, PK_ALU_X)	\
	OP(CLS##_RSH_K,  BPF_##cls | BPF_RSH  | BPF_K, sh)		\
	OP(CLS##_RSH_X,  BPF_##cls | BPF_RSH  | BPF_X, PK_ALU_X)	\
	OP(CLS##_NEG,    BPF_##cls | BPF_NEG,          PK_NEG)		\
	OP(CLS##_MOD_K,  BPF_##cls | BPF_MOD  | BPF_K, PK_DIV_K)	\
	OP(CLS##_MOD_X,  BPF_##cls | BPF_MOD  | BPF_X, PK_DIV_X)	\
	OP(CLS##_XOR_K,  BPF_##cls | BPF_XOR  | BPF_K, PK_ALU_K)	\
	OP(CLS##_XOR_X,  BPF_##cls | BPF_XOR  | BPF_X, PK_ALU_X)	\
	OP(CLS##_MOV_K,  BPF_##cls | BPF_MOV  | BPF_K, PK_ALU_K)	\
	OP(CLS##_MOV_X,  BPF_##cls | BPF_MOV  | BPF_X, mov_x)		\
	OP(CLS##_ARSH_K, BPF_##cls | BPF_ARSH | BPF_K, sh)		\
	OP(CLS##_ARSH_X, BPF_##cls | BPF_ARSH | BPF_X, PK_ALU_X)

#define __PROG_JMP(OP, cls, CLS)					\
	OP(CLS##_JEQ_K,  BPF_##cls | BPF_JEQ  | BPF_K, PK_JMP_K)	\
	OP(CLS##_JEQ_X,  BPF_##cls | BPF_JEQ  | BPF_X, PK_JMP_X)	\
	OP(CLS##_JNE_K,  BPF_##cls | BPF_JNE  | BPF_K, PK_JMP_K)	\
	OP(CLS##_JNE_X,  BPF_##cls | BPF_JNE  | BPF_X, PK_JMP_X)	\
	OP(CLS##_JGT_K,  BPF_##cls | BPF_JGT  | BPF_K, PK_JMP_K)	\
	OP(CLS##_JGT_X,  BPF_##cls | BPF_JGT  | BPF_X, PK_JMP_X)	\
	OP(CLS##_JGE_K,  BPF_##cls | BPF_JGE  | BPF_K, PK_JMP_K)	\
	OP(CLS##_JGE_X,  BPF_##cls | BPF_JGE  | BPF_X, PK_JMP_X)	\
	OP(CLS##_JLT_K,  BPF_##cls | BPF_JLT  | BPF_K, PK_JMP_K)	\
	OP(CLS##_JLT_X,  BPF_##cls | BPF_JLT  | BPF_X, PK_JMP_X)	\
	OP(CLS##_JLE_K,  BPF_##cls | BPF_JLE  | BPF_K, PK_JMP_K)	\
	OP(CLS##_JLE_X,  BPF_##cls | BPF_JLE  | BPF_X, PK_JMP_X)	\
	OP(CLS##_JSGT_K, BPF_##cls | BPF_JSGT | BPF_K, PK_JMP_K)	\
	OP(CLS##_JSGT_X, BPF_##cls | BPF_JSGT | BPF_X, PK_JMP_X)	\
	OP(CLS##_JSGE_K, BPF_##cls | BPF_JSGE | BPF_K, PK_JMP_K)	\
	OP(CLS##_JSGE_X, BPF_##cls | BPF_JSGE | BPF_X, PK_JMP_X)	\
	OP(CLS##_JSLT_K, BPF_##cls | BPF_JSLT | BPF_K, PK_JMP_K)	\
	OP(CLS##_JSLT_X, BPF_##cls | BPF_JSLT | BPF_X, PK_JMP_X)	\
	OP(CLS##_JSLE_K, BPF_##cls | BPF_JSLE | BPF_K, PK_JMP_K)	\
	OP(CLS##_JSLE_X, BPF_##cls | BPF_JSLE | BPF_X, PK_JMP_X)	\
	OP(CLS##_JSET_K, BPF_##cls | BPF_JSET | BPF_K, PK_JMP_K)	\
	OP(CLS##_JSET_X, BPF_##cls | BPF_JSET | BPF_X, PK_JMP_X)

#define __PROG_MEM(OP, SZ, sz)						\
	OP(LDX_##SZ, BPF_LDX | BPF_MEM | BPF_##sz, PK_LDX)		\
	OP(ST_##SZ,  BPF_ST  | BPF_MEM | BPF_##sz, PK_ST)		\
	OP(STX_##SZ, BPF_STX | BPF_MEM | BPF_##sz, PK_STX)

#define URINGBLK_PROG_OPCODES(OP)					\
	__PROG_ALU(OP, ALU64, ALU64, PK_SH64_K, PK_MOV64_X)		\
	__PROG_ALU(OP, ALU, ALU32, PK_SH32_K, PK_MOV32_X)		\
	OP(ALU32_END_LE, BPF_ALU | BPF_END | BPF_TO_LE, PK_END)		\
	OP(ALU32_END_BE, BPF_ALU | BPF_END | BPF_TO_BE, PK_END)		\
	OP(ALU64_BSWAP,  BPF_ALU64 | BPF_END | BPF_TO_LE, PK_END)	\
	__PROG_JMP(OP, JMP, JMP64)					\
	__PROG_JMP(OP, JMP32, JMP32)					\
	OP(JMP_JA,   BPF_JMP | BPF_JA,   PK_JA)				\
	OP(JMP32_JA, BPF_JMP32 | BPF_JA, PK_JA32)			\
	OP(JMP_CALL, BPF_JMP | BPF_CALL, PK_CALL)			\
	OP(JMP_EXIT, BPF_JMP | BPF_EXIT, PK_EXIT)			\
	__PROG_MEM(OP, B, B)						\
	__PROG_MEM(OP, H, H)						\
	__PROG_MEM(OP, W, W)						\
	__PROG_MEM(OP, DW, DW)						\
	OP(LDXSX_B, BPF_LDX | BPF_MEMSX | BPF_B, PK_LDX)		\
	OP(LDXSX_H, BPF_LDX | BPF_MEMSX | BPF_H, PK_LDX)		\
	OP(LDXSX_W, BPF_LDX | BPF_MEMSX | BPF_W, PK_LDX)		\
	OP(ATOMIC_W,  BPF_STX | BPF_ATOMIC | BPF_W,  PK_ATOMIC)		\
	OP(ATOMIC_DW, BPF_STX | BPF_ATOMIC | BPF_DW, PK_ATOMIC)		\
	OP(LD_IMM64,  BPF_LD  | BPF_IMM | BPF_DW,   PK_LDDW)

#endif /* _URINGBLK_PROG_OPCODES_H */
