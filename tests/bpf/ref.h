/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * What the bpf/ programs compute, in plain C: the references the native
 * (progs.c) and on-device (devcheck.c) checks compare against.
 */
#ifndef URINGBLK_BPF_TEST_REF_H
#define URINGBLK_BPF_TEST_REF_H

#include <endian.h>
#include <stdint.h>
#include <string.h>

#define GREP_MORE	(1ULL << 63)	/* grep.bpf.c: output filled up */

/* count_pattern.bpf.c: occurrences, overlapping ones included */
static inline uint64_t ref_count(const uint8_t *d, uint64_t len,
				 const void *pat, size_t m)
{
	uint64_t c = 0;

	for (uint64_t i = 0; i + m <= len; i++)
		c += !memcmp(d + i, pat, m);
	return c;
}

/* grep.bpf.c: offsets of the first @cap occurrences; returns how many */
static inline uint64_t ref_grep(const uint8_t *d, uint64_t len,
				const void *pat, size_t m, uint64_t *offs,
				uint64_t cap, int *more)
{
	uint64_t n = 0;

	*more = 0;
	for (uint64_t i = 0; i + m <= len; i++) {
		if (memcmp(d + i, pat, m))
			continue;
		if (n == cap) {
			*more = 1;
			break;
		}
		offs[n++] = i;
	}
	return n;
}

/* histogram.bpf.c: counts into h[256]; returns distinct values */
static inline uint64_t ref_hist(const uint8_t *d, uint64_t len, uint64_t *h)
{
	uint64_t distinct = 0;

	memset(h, 0, 256 * sizeof(*h));
	for (uint64_t i = 0; i < len; i++)
		h[d[i]]++;
	for (int b = 0; b < 256; b++)
		distinct += h[b] != 0;
	return distinct;
}

/* checksum.bpf.c mode 0 */
static inline uint64_t ref_sum32(const uint8_t *d, uint64_t len)
{
	uint64_t sum = 0;
	uint32_t w;

	for (uint64_t i = 0; i + 4 <= len; i += 4) {
		memcpy(&w, d + i, 4);
		sum += le32toh(w);
	}
	return sum;
}

/* checksum.bpf.c mode 2: CRC-32C (Castagnoli), a bit at a time */
static inline uint32_t ref_crc32c(const uint8_t *d, uint64_t len)
{
	uint32_t crc = 0xffffffffU;

	for (uint64_t i = 0; i < len; i++) {
		crc ^= d[i];
		for (int k = 0; k < 8; k++)
			crc = crc & 1 ? (crc >> 1) ^ 0x82f63b78U : crc >> 1;
	}
	return crc ^ 0xffffffffU;
}

/* sum_records.bpf.c: sum of the LE field; *nrec whole records */
static inline uint64_t ref_records(const uint8_t *d, uint64_t len,
				   uint64_t rec, uint64_t foff, uint64_t width,
				   uint64_t *nrec)
{
	uint64_t sum = 0, v;

	*nrec = len / rec;
	for (uint64_t i = 0; i < *nrec; i++) {
		v = 0;
		for (uint64_t k = width; k > 0; k--)
			v = v << 8 | d[i * rec + foff + k - 1];
		sum += v;
	}
	return sum;
}

#endif
