// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: the drive's device-defined programs
 * (driver/sandbox/prog_native.c) against their eBPF twins (bpf/<name>.bpf.o, run
 * in the drive's VM) on the same input, the differential of
 * tests/bpf/native.c on inputs the fuzzer picks.
 *
 * Input: a 48-byte header, then the data (at most 4096 bytes used).
 *   0      program (mod 5: count_pattern, grep, checksum, histogram,
 *          sum_records)
 *   1      window size: 0 = whole range, else 1..255 bytes
 *   2..3   output buffer size (little-endian, mod 8193)
 *   4      budget: 0 = unlimited, else bytes 5..8 (little-endian) units
 *   9..12  read fault: data offset from which map fails with -EIO
 *          (0xffffffff: none)
 *   13     bit 0: count_pattern and grep take args[2] mod 18 as the
 *          pattern length (mostly valid)
 *   14..15 unused
 *   16..39 args[0..2] (little-endian); args[3] = 0
 *   40..47 unused
 * Native windows are exact heap copies (memenv copy mode), so ASan sees
 * a read past one.
 *
 * Oracles, as tests/bpf/native.c: the same r0, errno and abort code; the
 * same out_used and output bytes but after a budget abort; the same
 * bytes scanned and emitted on success; with an unlimited budget and no
 * fault, a native charge no larger than the twin's; a budget the native
 * run exceeds stops the twin too.  A failed oracle aborts (a crash).
 *
 * BPF_OBJ_DIR (compiled in, or the environment variable of that name)
 * holds the twins: make -C bpf builds them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../unit/memenv.h"
#include "../../driver/sandbox/prog_native.h"
#include <liburingblk.h>

#define HDR	48
#define DATA_MAX 4096

static const char *const names[] = {
	"count_pattern", "grep", "checksum", "histogram", "sum_records",
};
static struct bpf_insn *twin_insns[5];
static unsigned int twin_cnt[5];
static struct uringblk_prog_state *st_t, *st_n;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("BPF_OBJ_DIR");
	char path[1024], log[512];

	if (!dir)
		dir = BPF_OBJ_DIR;
	for (int i = 0; i < 5; i++) {
		snprintf(path, sizeof(path), "%s/%s.bpf.o", dir, names[i]);
		if (uringblk_prog_read_file(path, NULL, &twin_insns[i],
					    &twin_cnt[i], NULL, log, sizeof(log)) ||
		    uringblk_prog_verify(twin_insns[i], twin_cnt[i], log,
					 sizeof(log))) {
			fprintf(stderr, "fuzz_native: %s: %s\n", path, log);
			exit(2);
		}
	}
	st_t = malloc(sizeof(*st_t));
	st_n = malloc(sizeof(*st_n));
	return 0;
}

static u64 le(const u8 *p, int n)
{
	u64 v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

#define ORACLE(cond, ...) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz_native: %s: %s: ", names[pi], #cond); \
		fprintf(stderr, __VA_ARGS__);				\
		fprintf(stderr, "\n");					\
		abort();						\
	}								\
} while (0)

int LLVMFuzzerTestOneInput(const u8 *in, size_t size)
{
	struct uringblk_prog_result rt, rn;
	struct uringblk_prog_env et, en;
	struct memenv mt, mn;
	u8 *data, *out_t, *out_n;
	u64 len, budget, fail_at, args[4] = { 0 };
	u32 out_len;
	int pi;

	if (size < HDR)
		return 0;
	pi = in[0] % 5;
	out_len = le(in + 2, 2) % 8193;
	budget = in[4] ? le(in + 5, 4) : 1ULL << 40;
	fail_at = le(in + 9, 4);
	fail_at = fail_at == 0xffffffff ? ~0ULL : fail_at;
	for (int i = 0; i < 3; i++)
		args[i] = le(in + 16 + 8 * i, 8);
	if ((in[13] & 1) && pi < 2)
		args[2] %= 18;
	len = size - HDR < DATA_MAX ? size - HDR : DATA_MAX;
	/* exact-size copies: ASan sees reads past the data or the output */
	data = malloc(len + 1);
	memcpy(data, in + HDR, len);
	out_t = malloc(out_len + 1);
	out_n = malloc(out_len + 1);

	memenv_init(&mt, &et, data, len, out_t, out_len, budget);
	memenv_init(&mn, &en, data, len, out_n, out_len, budget);
	mt.chunk = mn.chunk = in[1];
	mt.fail_at = mn.fail_at = fail_at;
	mn.copy = true;
	memcpy(et.ctx.args, args, sizeof(args));
	memcpy(en.ctx.args, args, sizeof(args));

	uringblk_prog_run(st_t, twin_insns[pi], &et, &rt);
	ORACLE(uringblk_native_progs[pi].run(st_n, &en, &rn) == rn.err,
	       "native run's return");
	ORACLE(!mn.bad_calls && mn.maps == mn.unmaps, "native map calls");
	if (rn.err == -ETIME) {
		/* the twin never costs less (a fault may come first) */
		ORACLE(rt.err == -ETIME || fail_at != ~0ULL,
		       "native ran out of budget, twin %d", rt.err);
		goto out;
	}
	if (rt.err == -ETIME)
		goto out;	/* budget enough for the native run only */
	ORACLE(rt.ret == rn.ret && rt.err == rn.err &&
	       rt.abort_code == rn.abort_code,
	       "r0 %#llx/%#llx err %d/%d code %u/%u",
	       (unsigned long long)rt.ret, (unsigned long long)rn.ret, rt.err,
	       rn.err, rt.abort_code, rn.abort_code);
	ORACLE(rt.out_used == rn.out_used && !memcmp(out_t, out_n, out_len),
	       "output %llu/%llu", (unsigned long long)rt.out_used,
	       (unsigned long long)rn.out_used);
	if (!rt.err)
		ORACLE(rt.bytes_scanned == rn.bytes_scanned &&
		       rt.bytes_emitted == rn.bytes_emitted,
		       "scanned %llu/%llu", (unsigned long long)rt.bytes_scanned,
		       (unsigned long long)rn.bytes_scanned);
	if (fail_at == ~0ULL && !in[4])
		ORACLE(rn.insns <= rt.insns, "charged %llu, twin %llu",
		       (unsigned long long)rn.insns,
		       (unsigned long long)rt.insns);
out:
	memenv_fini(&mn);
	free(data);
	free(out_t);
	free(out_n);
	return 0;
}
