// SPDX-License-Identifier: GPL-2.0
/*
 * A tiny eBPF assembler for the test vectors (ubpf-like syntax):
 *
 *   mov r0, 1            add32 r1, r2         neg r3        le16 r1  be64 r1
 *   sdiv r1, -3          smod32 r1, r2        (ISA v4: div/mod with off 1)
 *   movsxb r1, r2        movsxh32 r1, r2      movsxw r1, r2 (v4: off 8/16/32)
 *   bswap16 r1           bswap64 r1           (v4: ALU64 end, unconditional)
 *   lddw r1, 0x1122334455667788
 *   ldxw r0, [r1+4]      stxdw [r10-8], r1    stb [r10-1], 0x41
 *   ldxsb r0, [r1+4]     ldxsh, ldxsw         (v4: sign-extending loads)
 *   jeq r1, 5, +3        jslt32 r1, r2, done  ja -2         ja loop
 *   gotol +70000         gotol loop           (v4: JMP32 ja, target in imm)
 *   call 1               call local fn        exit
 *   atomic_add [r1+0], r2   atomic_fetch_xor32 [r10-4], r3
 *   xchg [r1+0], r2      cmpxchg32 [r1+0], r2
 *   raw 0x07, 1, 0, 0, 5      (code, dst, src, off, imm: any encoding)
 *   loop:                (a label; jumps and "call local" may use it)
 *
 * '#' starts a comment.  Numbers are C literals (decimal, 0x hex,
 * negative); jump offsets are +N/-N slots or a label.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include "asm.h"

#define MAX_LABELS	256

struct label {
	char name[32];
	int pc;
};

struct asm_ctx {
	struct label labels[MAX_LABELS];
	int nlabels;
	int lineno;
	char *err;
	size_t errlen;
};

static int fail(struct asm_ctx *a, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(a->err, a->errlen, "line %d: ", a->lineno);
	va_start(ap, fmt);
	vsnprintf(a->err + n, a->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

static bool parse_num(const char *s, long long *v)
{
	char *end;

	if (!*s)
		return false;
	errno = 0;
	if (*s == '-')
		*v = strtoll(s, &end, 0);
	else
		*v = (long long)strtoull(*s == '+' ? s + 1 : s, &end, 0);
	return !*end && !errno;
}

static bool parse_reg(const char *s, int *r)
{
	long long v;

	if (s[0] != 'r' || !parse_num(s + 1, &v) || v < 0 || v > 15)
		return false;
	*r = (int)v;
	return true;
}

/* "[rN+off]" / "[rN-off]" / "[rN]" */
static bool parse_mem(const char *s, int *r, int *off)
{
	char buf[64], *p;
	long long v = 0;
	size_t n = strlen(s);

	if (n < 4 || n >= sizeof(buf) || s[0] != '[' || s[n - 1] != ']')
		return false;
	memcpy(buf, s + 1, n - 2);
	buf[n - 2] = 0;
	p = strpbrk(buf, "+-");
	if (p) {
		if (!parse_num(p, &v) || v < -32768 || v > 32767)
			return false;
		*p = 0;
	}
	*off = (int)v;
	return parse_reg(trim(buf), r);
}

static int find_label(struct asm_ctx *a, const char *name)
{
	for (int i = 0; i < a->nlabels; i++)
		if (!strcmp(a->labels[i].name, name))
			return a->labels[i].pc;
	return -1;
}

/* A jump/call target: +N / -N relative to the next slot, or a label. */
static bool parse_target(struct asm_ctx *a, const char *s, int pc, int *rel)
{
	long long v;
	int t;

	if ((s[0] == '+' || s[0] == '-') && parse_num(s, &v)) {
		*rel = (int)v;
		return true;
	}
	t = find_label(a, s);
	if (t < 0)
		return false;
	*rel = t - pc - 1;
	return true;
}

struct alu_op { const char *name; int op; };
static const struct alu_op alu_ops[] = {
	{ "add", BPF_ADD }, { "sub", BPF_SUB }, { "mul", BPF_MUL },
	{ "div", BPF_DIV }, { "or", BPF_OR }, { "and", BPF_AND },
	{ "lsh", BPF_LSH }, { "rsh", BPF_RSH }, { "neg", BPF_NEG },
	{ "mod", BPF_MOD }, { "xor", BPF_XOR }, { "mov", BPF_MOV },
	{ "arsh", BPF_ARSH },
};
/* ISA v4: the same opcodes with a non-zero off */
static const struct { const char *name; int op, off; } alu_v4_ops[] = {
	{ "sdiv", BPF_DIV, 1 }, { "smod", BPF_MOD, 1 },
	{ "movsxb", BPF_MOV, 8 }, { "movsxh", BPF_MOV, 16 },
	{ "movsxw", BPF_MOV, 32 },
};

/* The ALU op and off of a mnemonic without its "32", or -1. */
static int alu_op_of(const char *base, int *off)
{
	*off = 0;
	for (size_t i = 0; i < sizeof(alu_ops) / sizeof(alu_ops[0]); i++)
		if (!strcmp(base, alu_ops[i].name))
			return alu_ops[i].op;
	for (size_t i = 0; i < sizeof(alu_v4_ops) / sizeof(alu_v4_ops[0]); i++) {
		if (!strcmp(base, alu_v4_ops[i].name)) {
			*off = alu_v4_ops[i].off;
			return alu_v4_ops[i].op;
		}
	}
	return -1;
}
static const struct alu_op jmp_ops[] = {
	{ "jeq", BPF_JEQ }, { "jgt", BPF_JGT }, { "jge", BPF_JGE },
	{ "jset", BPF_JSET }, { "jne", BPF_JNE }, { "jsgt", BPF_JSGT },
	{ "jsge", BPF_JSGE }, { "jlt", BPF_JLT }, { "jle", BPF_JLE },
	{ "jslt", BPF_JSLT }, { "jsle", BPF_JSLE },
};
static const struct alu_op atomic_ops[] = {
	{ "atomic_add", BPF_ADD }, { "atomic_and", BPF_AND },
	{ "atomic_or", BPF_OR }, { "atomic_xor", BPF_XOR },
	{ "atomic_fetch_add", BPF_ADD | BPF_FETCH },
	{ "atomic_fetch_and", BPF_AND | BPF_FETCH },
	{ "atomic_fetch_or", BPF_OR | BPF_FETCH },
	{ "atomic_fetch_xor", BPF_XOR | BPF_FETCH },
	{ "xchg", BPF_XCHG }, { "cmpxchg", BPF_CMPXCHG },
};

static int size_code(const char *s)
{
	if (!strcmp(s, "b"))
		return BPF_B;
	if (!strcmp(s, "h"))
		return BPF_H;
	if (!strcmp(s, "w"))
		return BPF_W;
	if (!strcmp(s, "dw"))
		return BPF_DW;
	return -1;
}

/* Splits "mnem a, b, c" into mnem and up to 5 operands. */
static int split(char *line, char **mn, char **ops)
{
	char *p = line, *tok;
	int n = 0;

	while (*p && !isspace((unsigned char)*p))
		p++;
	if (*p)
		*p++ = 0;
	*mn = line;
	p = trim(p);
	if (!*p)
		return 0;
	while ((tok = strsep(&p, ",")) && n < 5)
		ops[n++] = trim(tok);
	return tok ? -1 : n;
}

static int slots_of(const char *mn)
{
	return !strcmp(mn, "lddw") ? 2 : 1;
}

/* Assembles one instruction (2 slots for lddw) at pc. */
static int assemble_one(struct asm_ctx *a, char *mn, char **op, int nops,
			int pc, struct bpf_insn *in)
{
	size_t mlen = strlen(mn);
	bool is32 = mlen > 2 && !strcmp(mn + mlen - 2, "32");
	char base[32];
	long long v;
	int r, r2, off, sz, aop;

	memset(in, 0, sizeof(*in));
	snprintf(base, sizeof(base), "%.*s", (int)(is32 ? mlen - 2 : mlen), mn);

	if (!strcmp(mn, "exit")) {
		in->code = BPF_JMP | BPF_EXIT;
		return nops ? fail(a, "exit takes no operands") : 1;
	}
	if (!strcmp(mn, "raw")) {
		long long f[5];

		if (nops != 5)
			return fail(a, "raw needs code, dst, src, off, imm");
		for (int i = 0; i < 5; i++)
			if (!parse_num(op[i], &f[i]))
				return fail(a, "bad number '%s'", op[i]);
		in->code = (__u8)f[0];
		in->dst_reg = f[1] & 15;
		in->src_reg = f[2] & 15;
		in->off = (__s16)f[3];
		in->imm = (__s32)f[4];
		return 1;
	}
	if (!strcmp(mn, "lddw")) {
		if (nops != 2 || !parse_reg(op[0], &r) || !parse_num(op[1], &v))
			return fail(a, "usage: lddw rN, imm64");
		in[0].code = BPF_LD | BPF_IMM | BPF_DW;
		in[0].dst_reg = r;
		in[0].imm = (__s32)(__u32)v;
		memset(&in[1], 0, sizeof(in[1]));
		in[1].imm = (__s32)(__u32)((unsigned long long)v >> 32);
		return 2;
	}
	if (!strcmp(mn, "call")) {
		in->code = BPF_JMP | BPF_CALL;
		if (nops == 1 && !strncmp(op[0], "local ", 6)) {
			in->src_reg = BPF_PSEUDO_CALL;
			if (!parse_target(a, trim(op[0] + 6), pc, &off))
				return fail(a, "bad call target '%s'", op[0]);
			in->imm = off;
			return 1;
		}
		if (nops != 1 || !parse_num(op[0], &v))
			return fail(a, "usage: call N | call local label");
		in->imm = (__s32)v;
		return 1;
	}
	if (!strcmp(mn, "ja")) {
		in->code = BPF_JMP | BPF_JA;
		if (nops != 1 || !parse_target(a, op[0], pc, &off))
			return fail(a, "usage: ja +N|label");
		in->off = off;
		return 1;
	}
	if (!strcmp(mn, "gotol")) {
		in->code = BPF_JMP32 | BPF_JA;
		if (nops != 1 || !parse_target(a, op[0], pc, &off))
			return fail(a, "usage: gotol +N|label");
		in->imm = off;
		return 1;
	}
	if (!strncmp(mn, "bswap", 5) && parse_num(mn + 5, &v)) {
		in->code = BPF_ALU64 | BPF_END | BPF_TO_LE;
		in->imm = (__s32)v;
		if (nops != 1 || !parse_reg(op[0], &r))
			return fail(a, "usage: %s rN", mn);
		in->dst_reg = r;
		return 1;
	}
	if ((!strncmp(mn, "le", 2) || !strncmp(mn, "be", 2)) &&
	    parse_num(mn + 2, &v)) {
		in->code = BPF_ALU | BPF_END | (mn[0] == 'l' ? BPF_TO_LE : BPF_TO_BE);
		in->imm = (__s32)v;
		if (nops != 1 || !parse_reg(op[0], &r))
			return fail(a, "usage: %s rN", mn);
		in->dst_reg = r;
		return 1;
	}
	for (size_t i = 0; i < sizeof(atomic_ops) / sizeof(atomic_ops[0]); i++) {
		if (strcmp(base, atomic_ops[i].name))
			continue;
		in->code = BPF_STX | BPF_ATOMIC | (is32 ? BPF_W : BPF_DW);
		in->imm = atomic_ops[i].op;
		if (nops != 2 || !parse_mem(op[0], &r, &off) ||
		    !parse_reg(op[1], &r2))
			return fail(a, "usage: %s [rN+off], rM", mn);
		in->dst_reg = r;
		in->src_reg = r2;
		in->off = off;
		return 1;
	}
	aop = alu_op_of(base, &off);
	if (aop >= 0) {
		in->code = (is32 ? BPF_ALU : BPF_ALU64) | aop;
		in->off = off;
		if (aop == BPF_NEG) {
			if (nops != 1 || !parse_reg(op[0], &r))
				return fail(a, "usage: %s rN", mn);
			in->dst_reg = r;
			return 1;
		}
		if (nops != 2 || !parse_reg(op[0], &r))
			return fail(a, "usage: %s rN, rM|imm", mn);
		in->dst_reg = r;
		if (parse_reg(op[1], &r2)) {
			in->code |= BPF_X;
			in->src_reg = r2;
		} else if (parse_num(op[1], &v)) {
			in->imm = (__s32)v;
		} else {
			return fail(a, "bad operand '%s'", op[1]);
		}
		return 1;
	}
	for (size_t i = 0; i < sizeof(jmp_ops) / sizeof(jmp_ops[0]); i++) {
		if (strcmp(base, jmp_ops[i].name))
			continue;
		in->code = (is32 ? BPF_JMP32 : BPF_JMP) | jmp_ops[i].op;
		if (nops != 3 || !parse_reg(op[0], &r))
			return fail(a, "usage: %s rN, rM|imm, +off|label", mn);
		in->dst_reg = r;
		if (parse_reg(op[1], &r2)) {
			in->code |= BPF_X;
			in->src_reg = r2;
		} else if (parse_num(op[1], &v)) {
			in->imm = (__s32)v;
		} else {
			return fail(a, "bad operand '%s'", op[1]);
		}
		if (!parse_target(a, op[2], pc, &off))
			return fail(a, "bad jump target '%s'", op[2]);
		in->off = off;
		return 1;
	}
	if (!strncmp(mn, "ldx", 3) && ((sz = size_code(mn + 3)) >= 0 ||
	    (mn[3] == 's' && (sz = size_code(mn + 4)) >= 0))) {
		/* ldxs*: sign-extending (BPF_MEMSX, 0x80) */
		in->code = BPF_LDX | (mn[3] == 's' ? 0x80 : BPF_MEM) | sz;
		if (nops != 2 || !parse_reg(op[0], &r) ||
		    !parse_mem(op[1], &r2, &off))
			return fail(a, "usage: %s rN, [rM+off]", mn);
		in->dst_reg = r;
		in->src_reg = r2;
		in->off = off;
		return 1;
	}
	if (!strncmp(mn, "stx", 3) && (sz = size_code(mn + 3)) >= 0) {
		in->code = BPF_STX | BPF_MEM | sz;
		if (nops != 2 || !parse_mem(op[0], &r, &off) ||
		    !parse_reg(op[1], &r2))
			return fail(a, "usage: %s [rN+off], rM", mn);
		in->dst_reg = r;
		in->src_reg = r2;
		in->off = off;
		return 1;
	}
	if (!strncmp(mn, "st", 2) && (sz = size_code(mn + 2)) >= 0) {
		in->code = BPF_ST | BPF_MEM | sz;
		if (nops != 2 || !parse_mem(op[0], &r, &off) ||
		    !parse_num(op[1], &v))
			return fail(a, "usage: %s [rN+off], imm", mn);
		in->dst_reg = r;
		in->off = off;
		in->imm = (__s32)v;
		return 1;
	}
	return fail(a, "unknown mnemonic '%s'", mn);
}

int asm_text(const char *src, struct bpf_insn *out, int max, char *err,
	     size_t errlen)
{
	struct asm_ctx a = { .err = err, .errlen = errlen };
	char *copy, *line, *p, *mn, *ops[5];
	int pass, pc, n, nops;

	for (pass = 0; pass < 2; pass++) {
		copy = strdup(src);
		p = copy;
		pc = 0;
		a.lineno = 0;
		while ((line = strsep(&p, "\n"))) {
			char *hash = strchr(line, '#');
			size_t l;

			a.lineno++;
			if (hash)
				*hash = 0;
			line = trim(line);
			if (!*line)
				continue;
			l = strlen(line);
			if (line[l - 1] == ':') {
				line[l - 1] = 0;
				if (pass == 0) {
					if (a.nlabels == MAX_LABELS ||
					    strlen(line) >= 32) {
						free(copy);
						return fail(&a, "too many labels");
					}
					strcpy(a.labels[a.nlabels].name, line);
					a.labels[a.nlabels++].pc = pc;
				}
				continue;
			}
			nops = split(line, &mn, ops);
			if (nops < 0) {
				free(copy);
				return fail(&a, "too many operands");
			}
			if (pc + slots_of(mn) > max) {
				free(copy);
				return fail(&a, "program too long");
			}
			if (pass == 0) {
				pc += slots_of(mn);
				continue;
			}
			n = assemble_one(&a, mn, ops, nops, pc, &out[pc]);
			if (n < 0) {
				free(copy);
				return -1;
			}
			pc += n;
		}
		free(copy);
	}
	return pc;
}
