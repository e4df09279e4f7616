/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Programs that drive every helper the hard way (asm.c syntax), shared by
 * the work-per-unit test (worktest.c) and the native benchmark
 * (tests/bench-native): they take their sizes from ctx->args.
 */
#ifndef ADVPROGS_H
#define ADVPROGS_H

/*
 * helper H(r8, k, p, m) for r8 = 0, k, 2k, ... while r8 + k <= data_len;
 * p = a pattern of m bytes on the stack, zeroes but its last byte (args[2]),
 * or the output buffer (histogram).  Returns the bytes covered.
 */
static const char __attribute__((unused)) range_loop[] =
	"mov r6, r1\n"
	"ldxdw r7, [r6+16]\n"
	"ldxdw r9, [r6+40]\n"
	"ldxdw r4, [r6+48]\n"
	"mov r5, r10\n"
	"add r5, -256\n"
	"add r5, r4\n"
	"ldxdw r3, [r6+56]\n"
	"stxb [r5-1], r3\n"
	"mov r8, 0\n"
	"loop:\n"
	"mov r1, r8\n"
	"mov r2, r9\n"
	"%s\n"				/* r3 = pattern or histogram */
	"ldxdw r4, [r6+48]\n"
	"call %d\n"
	"add r8, r9\n"
	"mov r0, r8\n"
	"add r0, r9\n"
	"jle r0, r7, loop\n"
	"mov r0, r8\n"
	"exit\n";
#define PAT_PTR		"mov r3, r10\nadd r3, -256"
#define OUT_PTR		"ldxdw r3, [r6+32]"

/* read(r8, out, k) for r8 = 0, k, ... while r8 + k <= data_len */
static const char __attribute__((unused)) read_loop[] =
	"mov r6, r1\n"
	"ldxdw r7, [r6+16]\n"
	"ldxdw r9, [r6+40]\n"
	"mov r8, 0\n"
	"loop:\n"
	"mov r1, r8\n"
	"ldxdw r2, [r6+32]\n"
	"mov r3, r9\n"
	"call 1\n"
	"add r8, r9\n"
	"mov r0, r8\n"
	"add r0, r9\n"
	"jle r0, r7, loop\n"
	"mov r0, r8\n"
	"exit\n";

/* emit(out, k) until the output is full; returns k */
static const char __attribute__((unused)) emit_loop[] =
	"mov r6, r1\n"
	"ldxdw r9, [r6+40]\n"
	"loop:\n"
	"ldxdw r1, [r6+32]\n"
	"mov r2, r9\n"
	"call 2\n"
	"jeq r0, r9, loop\n"
	"mov r0, r9\n"
	"exit\n";

/* grep a 1-byte pattern: find(pos, len - pos, "\0", 1), pos = match + 1 */
static const char __attribute__((unused)) find_loop[] =
	"mov r6, r1\n"
	"ldxdw r7, [r6+16]\n"
	"mov r8, 0\n"
	"loop:\n"
	"mov r1, r8\n"
	"mov r2, r7\n"
	"sub r2, r8\n"
	"mov r3, r10\n"
	"add r3, -8\n"
	"mov r4, 1\n"
	"call 6\n"
	"jslt r0, 0, done\n"
	"add r0, 1\n"
	"mov r8, r0\n"
	"jlt r8, r7, loop\n"
	"done:\n"
	"mov r0, r8\n"
	"exit\n";

/* the reference: a plain instruction loop of args[0] iterations */
static const char __attribute__((unused)) plain_loop[] =
	"ldxdw r2, [r1+40]\n"
	"mov r0, 0\n"
	"loop:\n"
	"add r0, 1\n"
	"xor r3, r0\n"
	"jlt r0, r2, loop\n"
	"exit\n";

#endif /* ADVPROGS_H */
