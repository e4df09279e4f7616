// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * uringblk-embed: int8 embeddings without a model, for the vector top-k
 * demo, tests and benchmark (tools/rag/README.md).
 *
 *   uringblk-embed random --dim D --count N [--seed S] -o FILE
 *	N vectors of D bytes from splitmix64(S): uniform int8.
 *   uringblk-embed text --dim D [--seed S] CORPUS -o FILE
 *	one vector per line of CORPUS (a passage per line).
 *   uringblk-embed query --dim D [--seed S] -o FILE TEXT...
 *	the vector of TEXT, by the same method.
 *
 * The method, deterministic and integer-only (the same bytes on every
 * machine): the text is lower-cased and split into words (runs of
 * letters and digits); words under 3 letters and a short stopword list
 * are dropped; its features are the words (weight 2) and their first
 * five letters (weight 1: "planet" and "planets" meet), each hashed with
 * 64-bit FNV-1a.  Feature f adds weight * R(f, j) to coordinate j, where R is a
 * +1/-1 from splitmix64(S ^ hash(f) ^ j * golden): a seeded random
 * projection of the hashed bag of features (the "hashing trick").  The
 * int32 sums are scaled to a fixed length (so that the dot product ranks
 * as the cosine would) and quantized to int8: x * 32 * sqrt(dim) / |x|,
 * rounded half away from zero, clamped to -127..127 (integer square
 * roots: no floating point).  Texts that share words and trigrams get a high dot product.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIM_MAX	4096

static uint64_t splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t fnv1a(const char *s, size_t n, uint64_t h)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static void add_feature(int32_t *acc, uint32_t dim, uint64_t seed,
			uint64_t h, int32_t w)
{
	for (uint32_t j = 0; j < dim; j++)
		acc[j] += splitmix64(seed ^ h ^ (j * 0x9e3779b97f4a7c15ULL)) & 1 ?
			  w : -w;
}

/* floor(sqrt(v)), exactly, in integers */
static uint64_t isqrt(uint64_t v)
{
	uint64_t r = 0, b = 1ULL << 62;

	while (b > v)
		b >>= 2;
	while (b) {
		if (v >= r + b) {
			v -= r + b;
			r = (r >> 1) + b;
		} else {
			r >>= 1;
		}
		b >>= 2;
	}
	return r;
}

/* Words too common to say what a text is about. */
static bool stopword(const char *w)
{
	static const char *const stop[] = {
		"the", "and", "for", "are", "but", "not", "you", "all", "any",
		"can", "her", "was", "one", "our", "out", "has", "have", "how",
		"its", "into", "that", "this", "with", "from", "they", "them",
		"then", "than", "when", "what", "which", "who", "why", "will",
		"would", "there", "their", "been", "were", "does", "only",
		"also", "some", "such", "each", "most", "more", "over", "very",
		"just", "long", "before", "after", "where", "about", "while",
	};

	for (size_t i = 0; i < sizeof(stop) / sizeof(stop[0]); i++)
		if (!strcmp(w, stop[i]))
			return true;
	return false;
}

/* The embedding of text[0, len) into out[dim]. */
static void embed(const char *text, size_t len, uint32_t dim, uint64_t seed,
		  int8_t *out)
{
	static int32_t acc[DIM_MAX];
	char word[258];
	uint64_t sq = 0, norm, scale;
	size_t i = 0, n;

	memset(acc, 0, sizeof(acc));
	while (i < len) {
		while (i < len && !isalnum((unsigned char)text[i]))
			i++;
		n = 0;
		word[n++] = ' ';
		while (i < len && isalnum((unsigned char)text[i])) {
			if (n < sizeof(word) - 1)
				word[n++] = (char)tolower((unsigned char)text[i]);
			i++;
		}
		if (n == 1)
			break;
		word[n] = '\0';
		if (n - 1 < 3 || stopword(word + 1))
			continue;
		/* the word, and its first five letters: plurals meet */
		add_feature(acc, dim, seed,
			    fnv1a(word + 1, n - 1, 0xcbf29ce484222325ULL), 2);
		if (n - 1 > 5)
			add_feature(acc, dim, seed,
				    fnv1a(word + 1, 5, 0x84222325cbf29ce4ULL), 1);
		else
			add_feature(acc, dim, seed,
				    fnv1a(word + 1, n - 1, 0x84222325cbf29ce4ULL), 1);
	}
	/*
	 * Scale to a fixed length, so that the dot product ranks as the
	 * cosine does: coordinates of standard deviation 32 (x * 32 *
	 * sqrt(dim) / |x|), clamped to -127..127 (4 deviations).
	 */
	for (uint32_t j = 0; j < dim; j++)
		sq += (uint64_t)((int64_t)acc[j] * acc[j]);
	norm = isqrt(sq);
	scale = 32 * isqrt((uint64_t)dim << 16);	/* 32 * sqrt(dim) * 256 */
	for (uint32_t j = 0; j < dim; j++) {
		int64_t x = norm ? (int64_t)acc[j] * scale : 0, q;
		int64_t d = (int64_t)norm * 256;

		q = x >= 0 ? (x + d / 2) / (d ? d : 1) : -((-x + d / 2) / (d ? d : 1));
		out[j] = (int8_t)(q > 127 ? 127 : q < -127 ? -127 : q);
	}
}

static int usage(void)
{
	fprintf(stderr,
		"usage: uringblk-embed random --dim D --count N [--seed S] -o FILE\n"
		"       uringblk-embed text --dim D [--seed S] CORPUS -o FILE\n"
		"       uringblk-embed query --dim D [--seed S] -o FILE TEXT...\n");
	return 2;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dim", required_argument, NULL, 'd' },
		{ "count", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "out", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t seed = 1, count = 0, dim = 0;
	const char *mode, *outp = NULL;
	static int8_t v[DIM_MAX];
	FILE *out;
	int c;

	if (argc < 2)
		return usage();
	mode = argv[1];
	optind = 2;
	while ((c = getopt_long(argc, argv, "d:n:s:o:", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dim = strtoull(optarg, NULL, 0); break;
		case 'n': count = strtoull(optarg, NULL, 0); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'o': outp = optarg; break;
		default: return usage();
		}
	}
	if (!dim || dim > DIM_MAX || !outp) {
		fprintf(stderr, "uringblk-embed: --dim 1..%d and -o FILE are required\n",
			DIM_MAX);
		return 2;
	}
	out = fopen(outp, "wb");
	if (!out) {
		perror(outp);
		return 1;
	}
	if (!strcmp(mode, "random")) {
		uint64_t x = seed;

		for (uint64_t i = 0; i < count; i++) {
			for (uint64_t j = 0; j < dim; j += 8) {
				uint64_t r = splitmix64(x++);

				for (uint64_t b = 0; b < 8 && j + b < dim; b++)
					v[j + b] = (int8_t)(r >> (8 * b));
			}
			fwrite(v, 1, dim, out);
		}
	} else if (!strcmp(mode, "text") && optind + 1 == argc) {
		FILE *in = fopen(argv[optind], "r");
		char *line = NULL;
		size_t cap = 0;
		ssize_t n;

		if (!in) {
			perror(argv[optind]);
			return 1;
		}
		while ((n = getline(&line, &cap, in)) >= 0) {
			embed(line, (size_t)n, (uint32_t)dim, seed, v);
			fwrite(v, 1, dim, out);
		}
		free(line);
		fclose(in);
	} else if (!strcmp(mode, "query") && optind < argc) {
		char text[4096] = "";
		size_t len = 0;

		for (int i = optind; i < argc && len < sizeof(text) - 1; i++)
			len += (size_t)snprintf(text + len, sizeof(text) - len,
						"%s%s", i > optind ? " " : "",
						argv[i]);
		embed(text, strlen(text), (uint32_t)dim, seed, v);
		fwrite(v, 1, dim, out);
	} else {
		return usage();
	}
	if (fclose(out)) {
		perror(outp);
		return 1;
	}
	return 0;
}
