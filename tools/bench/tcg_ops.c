// SPDX-License-Identifier: GPL-2.0
/*
 * tcg_ops: what single CPU operations cost, in ns, where this runs: on the
 * host's CPU, or in the test VM's guest, where QEMU's TCG translates every
 * instruction (tools/bench/tcg-ops runs both and prints the ratios).
 *
 * Issue 56 asks where a 4 KiB write's wall-clock time goes that guest
 * instruction counts do not see: an instruction's cost under TCG is not
 * its cost on a CPU.  These are the kinds of operation the block path is
 * made of: a plain add, locked read-modify-writes (atomics, this_cpu
 * counters are plain adds), fences, clock reads (rdtsc: ktime_get() with
 * the TSC clocksource), a system call, an indirect call, and 4 KiB copies
 * and fills by each of the kernel's ways (rep movsb/stosb: memcpy() and
 * memset() with ERMS; rep movsq: copy_page(); a vector loop: glibc's).
 * User space, so the instructions are the kernel's own but not its
 * context (no page faults, no interrupts, no gs-relative per-CPU adds).
 *
 *   tcg_ops [ROUNDS]   (default 7)
 *
 * Each operation runs in a loop of 64 unrolled copies, timed with
 * CLOCK_MONOTONIC, sized to about 20 ms a measurement; each round
 * measures every operation once, in a fixed order; the median of the
 * rounds is printed, in ns per operation, net of the loop's own cost (the
 * empty loop's, measured the same way).  Lines: "op NAME NS MIN MAX".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <x86intrin.h>

#define UNROLL	64
#define TARGET_NS	20000000ULL
#define MAX_ROUNDS	31

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static unsigned long shared;
static unsigned char src[4096] __attribute__((aligned(4096)));
static unsigned char dst[4096] __attribute__((aligned(4096)));

static void nothing(void)
{
	asm volatile("" ::: "memory");
}

static void (*volatile indirect)(void) = nothing;

/* One copy of the operation; the loops below run UNROLL of them. */
#define OP_empty()	asm volatile("" ::: "memory")
#define OP_add()	asm volatile("addq $1, %0" : "+m"(shared))
#define OP_lock_add()	asm volatile("lock addq $1, %0" : "+m"(shared))
#define OP_lock_xadd()	__atomic_fetch_add(&shared, 1, __ATOMIC_SEQ_CST)
#define OP_cmpxchg()	do { unsigned long o = shared; \
			     __atomic_compare_exchange_n(&shared, &o, o + 1, 0, \
				__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); } while (0)
#define OP_xchg()	__atomic_exchange_n(&shared, 1, __ATOMIC_SEQ_CST)
#define OP_mfence()	asm volatile("mfence" ::: "memory")
#define OP_lfence()	asm volatile("lfence" ::: "memory")
#define OP_rdtsc()	do { shared += __rdtsc(); } while (0)
#define OP_rdtscp()	do { unsigned int a; shared += __rdtscp(&a); } while (0)
#define OP_clock()	do { shared += now_ns(); } while (0)
#define OP_syscall()	syscall(SYS_getppid)
#define OP_icall()	indirect()
#define OP_movsb4k()	do { void *d = dst; const void *s = src; size_t n = 4096; \
			     asm volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) :: "memory"); } while (0)
#define OP_movsq4k()	do { void *d = dst; const void *s = src; size_t n = 512; \
			     asm volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(n) :: "memory"); } while (0)
#define OP_stosb4k()	do { void *d = dst; size_t n = 4096; \
			     asm volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(0) : "memory"); } while (0)
#define OP_memcpy4k()	do { memcpy(dst, src, 4096); asm volatile("" ::: "memory"); } while (0)

#define R8(x)	x; x; x; x; x; x; x; x
#define R64(x)	R8(R8(x))

#define DEFINE_OP(name)							\
static void loop_##name(uint64_t n)					\
{									\
	for (uint64_t i = 0; i < n; i++) {				\
		R64(OP_##name());					\
	}								\
}

DEFINE_OP(empty)
DEFINE_OP(add)
DEFINE_OP(lock_add)
DEFINE_OP(lock_xadd)
DEFINE_OP(cmpxchg)
DEFINE_OP(xchg)
DEFINE_OP(mfence)
DEFINE_OP(lfence)
DEFINE_OP(rdtsc)
DEFINE_OP(rdtscp)
DEFINE_OP(clock)
DEFINE_OP(syscall)
DEFINE_OP(icall)
DEFINE_OP(movsb4k)
DEFINE_OP(movsq4k)
DEFINE_OP(stosb4k)
DEFINE_OP(memcpy4k)

static const struct op {
	const char *name;
	void (*loop)(uint64_t n);
} ops[] = {
#define OP(name) { #name, loop_##name }
	OP(empty), OP(add), OP(lock_add), OP(lock_xadd), OP(cmpxchg), OP(xchg),
	OP(mfence), OP(lfence), OP(rdtsc), OP(rdtscp), OP(clock), OP(syscall),
	OP(icall), OP(movsb4k), OP(movsq4k), OP(stosb4k), OP(memcpy4k),
#undef OP
};
#define NR_OPS	(sizeof(ops) / sizeof(ops[0]))

/* ns per operation of one timed run of @n loops */
static double measure(const struct op *op, uint64_t n)
{
	uint64_t t = now_ns();

	op->loop(n);
	return (double)(now_ns() - t) / (double)(n * UNROLL);
}

/* loops for about TARGET_NS, from a doubling warm-up */
static uint64_t calibrate(const struct op *op)
{
	uint64_t n = 1;

	for (;;) {
		uint64_t t = now_ns();

		op->loop(n);
		t = now_ns() - t;
		if (t >= TARGET_NS / 8 || n >= (1ULL << 40))
			return n * (TARGET_NS / (t ? t : 1)) + 1;
		n *= 2;
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	static double ns[NR_OPS][MAX_ROUNDS];
	uint64_t loops[NR_OPS];
	int rounds = argc > 1 ? atoi(argv[1]) : 7;

	if (argc > 2 || rounds < 1 || rounds > MAX_ROUNDS) {
		fprintf(stderr, "usage: tcg_ops [ROUNDS (1-%d, default 7)]\n", MAX_ROUNDS);
		return 2;
	}
	memset(src, 0x5a, sizeof(src));
	for (size_t i = 0; i < NR_OPS; i++)
		loops[i] = calibrate(&ops[i]);
	for (int r = 0; r < rounds; r++)
		for (size_t i = 0; i < NR_OPS; i++)
			ns[i][r] = measure(&ops[i], loops[i]);
	for (size_t i = 0; i < NR_OPS; i++)
		qsort(ns[i], (size_t)rounds, sizeof(double), cmp_double);
	printf("# tcg_ops: %d rounds, ns per operation net of the empty loop's %.3f: median min max\n",
	       rounds, ns[0][rounds / 2]);
	for (size_t i = 1; i < NR_OPS; i++) {
		double base = ns[0][rounds / 2];

		printf("op %-10s %10.3f %10.3f %10.3f\n", ops[i].name,
		       ns[i][rounds / 2] - base, ns[i][0] - base,
		       ns[i][rounds - 1] - base);
	}
	return 0;
}
