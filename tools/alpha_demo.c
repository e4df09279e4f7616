// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * uringblk-alpha-demo - count a word in a disk's worth of text four ways:
 * the usual way (read everything into the host, count there), the
 * standard's computational-storage flow (MEM_COPY into the drive's memory,
 * EXECUTE a program over a range set of it; with count_pattern.bpf.o in a
 * slot and with the device-defined count_pattern), and the shortcut (one
 * EXEC of count_pattern.bpf.o over the LBA range), then compare what each
 * moved to the host, and inside the drive, and how long it took.
 *
 *   uringblk-alpha-demo DEV [--size 1G] [--seed N] [--prog OBJ] [--budget B]
 *
 * 1. Fill the first --size bytes of DEV with generated English-like text in
 *    which "Alpha" occurs a known number of times (deterministic from the
 *    seed), written with io_uring, O_DIRECT, 16 writes of 1 MiB in flight.
 * 2. Host: reset the drive's counters, read the range back the same way,
 *    count "Alpha" in userspace, read bytes_to_host from sysfs.
 * 3. The standard's flow, per chunk of at most slm_size (see slm_count()):
 *    MEM_COPY the chunk into SLM (max_mem_xfer pieces, QD in flight),
 *    RANGE_SET_CREATE over it, EXECUTE, r0 is the count; GET_STATS before
 *    and after give bytes_to_host and slm_bytes_from_media.  Once with the
 *    program loaded into a slot and activated (PROG_ACTIVATE), once with
 *    the device-defined count_pattern.
 * 4. The shortcut: reset the counters, EXEC the program once over the
 *    whole LBA range, read bytes_to_host.
 * 5. Print them side by side; exit 1 unless every count is the known one.
 *
 * Why the known count is exact: the text is words separated by spaces,
 * punctuation and newlines.  "Alpha" is five letters, so an occurrence lies
 * inside one run of letters, i.e. one word.  No dictionary word contains it
 * (checked at start-up, capitalised forms included), so every occurrence is
 * a planted "Alpha" word, and each planted one is counted if it ends inside
 * the range.  Some are planted across every 1 MiB boundary on purpose, so
 * both counters must carry matches across buffers, pages and blocks.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <liburingblk.h>
#include "../bpf/count_pattern.h"

#define PATTERN		"Alpha"
#define PAT_LEN		5
#define BUF_SIZE	(1U << 20)	/* one I/O */
#define QD		16		/* I/Os in flight */
#define PLANT_EVERY	997		/* about one planted word per this many */
#define EXEC_TAG	0x414c504841ULL

static const char *const words[] = {
	"the", "of", "and", "a", "to", "in", "is", "you", "that", "it", "he",
	"was", "for", "on", "are", "as", "with", "his", "they", "I", "at",
	"be", "this", "have", "from", "or", "one", "had", "by", "word", "but",
	"not", "what", "all", "were", "we", "when", "your", "can", "said",
	"there", "use", "an", "each", "which", "she", "do", "how", "their",
	"if", "will", "up", "other", "about", "out", "many", "then", "them",
	"these", "so", "some", "her", "would", "make", "like", "him", "into",
	"time", "has", "look", "two", "more", "write", "go", "see", "number",
	"no", "way", "could", "people", "my", "than", "first", "water", "been",
	"call", "who", "oil", "its", "now", "find", "long", "down", "day",
	"did", "get", "come", "made", "may", "part", "drive", "storage",
	"block", "queue", "kernel", "data", "host", "compute",
	/*
	 * Near misses, none of them "Alpha" even capitalised at the start of
	 * a sentence (so not "alpha" nor "alphabet": check_words() says so)
	 */
	"ALPHA", "Alp", "lpha", "Alph", "Aleph", "alps", "Alpine", "AlphA",
	"alpine",
};
#define NWORDS	(sizeof(words) / sizeof(words[0]))

static unsigned char word_len[NWORDS];
/*
 * The words as 24-byte slots (NUL-padded): copying a whole slot and then
 * advancing by the word's length is much faster than a copy of the exact
 * length; the bytes past the word are overwritten by what follows.
 */
#define SLOT	24
static char low[NWORDS][SLOT];
static char caps[NWORDS][SLOT];		/* capitalised, for sentence starts */
/* most bytes one generator step appends: a word and ".\n" */
static unsigned int max_step;

/* ---- the text generator ---- */

struct gen {
	uint64_t	rng;		/* xorshift64* state */
	uint64_t	pos;		/* stream offset of the next byte */
	uint64_t	size;		/* the stream ends here */
	uint64_t	planted;	/* "Alpha" words ending <= size */
	uint64_t	next_boundary;	/* next 1 MiB boundary to plant across */
	unsigned int	in_sentence;	/* words so far in this sentence */
	/* bytes generated past the caller's buffer, for the next one */
	char		spill[64];
	unsigned int	nspill;
};

static uint64_t rnd(struct gen *g)
{
	g->rng ^= g->rng >> 12;
	g->rng ^= g->rng << 25;
	g->rng ^= g->rng >> 27;
	return g->rng * 0x2545f4914f6cdd1dULL;
}

static void gen_init(struct gen *g, uint64_t seed, uint64_t size)
{
	memset(g, 0, sizeof(*g));
	g->rng = seed * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL;
	if (!g->rng)
		g->rng = 1;
	g->size = size;
	g->next_boundary = BUF_SIZE;
}

/* Append @n bytes of @s to the stream at @p (buffer end @end, spill after). */
static inline char *put(struct gen *g, char *p, char *end, const char *s,
			unsigned int n)
{
	g->pos += n;
	if ((size_t)(end - p) >= n) {
		memcpy(p, s, n);
		return p + n;
	}
	while (n--) {
		if (p < end)
			*p++ = *s++;
		else
			g->spill[g->nspill++] = *s++;
	}
	return p;
}

static char *plant(struct gen *g, char *p, char *end)
{
	if (g->pos + PAT_LEN <= g->size)
		g->planted++;
	return put(g, p, end, PATTERN, PAT_LEN);
}

/* Append a word slot (see SLOT) of which @n bytes count. */
static inline char *put_slot(struct gen *g, char *p, char *end,
			     const char *slot, unsigned int n)
{
	if ((size_t)(end - p) < SLOT)
		return put(g, p, end, slot, n);
	memcpy(p, slot, SLOT);
	g->pos += n;
	return p + n;
}

/* Separators after a word: never letters. */
static const char seps[][SLOT] = { " ", ", ", ". ", ".\n" };
static const unsigned char sep_len[] = { 1, 2, 2, 2 };

/*
 * Fill @buf (@len bytes) with the next bytes of the stream.  A word or
 * separator that does not fit spills into the next call, so the stream is
 * the same whatever the buffer size.
 */
static void gen_fill(struct gen *g, char *buf, size_t len)
{
	char *p = buf, *end = buf + len;
	unsigned int sep;
	uint64_t r;

	memcpy(p, g->spill, g->nspill);
	p += g->nspill;
	g->nspill = 0;
	while (p < end) {
		/*
		 * Across each 1 MiB boundary: pad with spaces to boundary - 2,
		 * then "Alpha", when the next step could pass that point.
		 */
		if (g->pos + max_step >= g->next_boundary - 2) {
			while (g->pos < g->next_boundary - 2)
				p = put(g, p, end, " ", 1);
			p = plant(g, p, end);
			p = put(g, p, end, " ", 1);
			g->next_boundary += BUF_SIZE;
			continue;
		}
		r = rnd(g);
		if (r % PLANT_EVERY == 0) {
			p = plant(g, p, end);
		} else {
			unsigned int w = (r >> 16) % NWORDS;

			/* "the" -> "The": checked against "Alpha" too */
			p = put_slot(g, p, end, g->in_sentence ? low[w] : caps[w],
				     word_len[w]);
		}
		g->in_sentence++;
		switch ((r >> 40) % 16) {
		case 0:
			sep = 1;
			break;
		case 1:
			sep = g->in_sentence > 4 ? 2 + !((r >> 50) & 3) : 0;
			break;
		default:
			sep = 0;
		}
		if (sep >= 2)
			g->in_sentence = 0;
		p = put_slot(g, p, end, seps[sep], sep_len[sep]);
	}
}

/* No word, capitalised or not, may contain the pattern (see the top). */
static int check_words(void)
{
	max_step = PAT_LEN + 2;
	for (size_t i = 0; i < NWORDS; i++) {
		word_len[i] = strlen(words[i]);
		if (word_len[i] >= sizeof(caps[i]))
			return -1;
		memcpy(low[i], words[i], word_len[i] + 1);
		memcpy(caps[i], words[i], word_len[i] + 1);
		if (caps[i][0] >= 'a' && caps[i][0] <= 'z')
			caps[i][0] += 'A' - 'a';
		if (word_len[i] + 2U > max_step)
			max_step = word_len[i] + 2U;
		if (strstr(words[i], PATTERN) || strstr(caps[i], PATTERN)) {
			fprintf(stderr, "word list: '%s' contains '%s'\n",
				words[i], PATTERN);
			return -1;
		}
	}
	return 0;
}

/* ---- helpers ---- */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *human(char *buf, size_t len, uint64_t bytes)
{
	if (bytes >= 1ULL << 30)
		snprintf(buf, len, "%.2f GiB", bytes / (double)(1ULL << 30));
	else if (bytes >= 1ULL << 20)
		snprintf(buf, len, "%.1f MiB", bytes / (double)(1ULL << 20));
	else if (bytes >= 1024)
		snprintf(buf, len, "%.1f KiB", bytes / 1024.0);
	else
		snprintf(buf, len, "%" PRIu64 " B", bytes);
	return buf;
}

static int parse_size(const char *s, uint64_t *out)
{
	unsigned int shift = 0;
	char *end;
	uint64_t v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *s == '-')
		return -1;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	}
	if (*end && strcmp(end, "iB") && strcmp(end, "B"))
		return -1;
	if (v > (UINT64_MAX >> shift))
		return -1;
	*out = v << shift;
	return 0;
}

static bool progress_tty;

/*
 * A line rewritten in place on a terminal; into a log (the test VM's
 * console), a line per quarter.
 */
static void progress(const char *what, uint64_t done, uint64_t total,
		     double t0)
{
	static double last;
	double t = now(), el = t - t0;

	if (done != total) {
		if (progress_tty ? t - last < 0.5 :
		    (done - BUF_SIZE) * 4 / total == done * 4 / total)
			return;
	}
	last = t;
	fprintf(stderr, "%s      %s %5" PRIu64 "/%" PRIu64 " MiB  %6.1f s  %7.1f MiB/s%s",
		progress_tty ? "\r" : "", what, done >> 20, total >> 20, el,
		el > 0 ? done / el / (1 << 20) : 0.0,
		progress_tty && done != total ? "" : "\n");
}

/* ---- 1. fill ---- */

static int fill(int fd, struct io_uring *ring, char **bufs, uint64_t size,
		uint64_t seed, uint64_t *planted, double *secs)
{
	uint64_t off = 0, done = 0;
	struct io_uring_cqe *cqe;
	int free_slots[QD], nfree = QD, inflight = 0, ret;
	double t0 = now();
	struct gen g;

	gen_init(&g, seed, size);
	for (int i = 0; i < QD; i++)
		free_slots[i] = i;
	while (done < size) {
		while (nfree && off < size) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
			int slot;

			if (!sqe)
				break;	/* cannot happen: 2 * QD entries */
			slot = free_slots[--nfree];
			gen_fill(&g, bufs[slot], BUF_SIZE);
			io_uring_prep_write(sqe, fd, bufs[slot], BUF_SIZE, off);
			io_uring_sqe_set_data64(sqe, slot);
			off += BUF_SIZE;
			inflight++;
		}
		ret = io_uring_submit_and_wait(ring, 1);
		if (ret < 0)
			return ret;
		while (io_uring_peek_cqe(ring, &cqe) == 0) {
			if (cqe->res != BUF_SIZE) {
				fprintf(stderr, "\nwrite: %s\n", cqe->res < 0 ?
					strerror(-cqe->res) : "short write");
				return cqe->res < 0 ? cqe->res : -EIO;
			}
			free_slots[nfree++] = (int)io_uring_cqe_get_data64(cqe);
			io_uring_cqe_seen(ring, cqe);
			inflight--;
			done += BUF_SIZE;
		}
		progress("writing", done, size, t0);
	}
	*planted = g.planted;
	*secs = now() - t0;
	return 0;
}

/* ---- 2. the host way ---- */

/*
 * Occurrences of "Alpha" in [p, p + len).  The same word-at-a-time scan
 * the drive's helper uses (driver/sandbox/prog_helpers.c): with x = word XOR 'A' in
 * every byte, (x - 0x01..) & ~x & 0x80.. flags the lanes that may hold an
 * 'A', and only those are compared.  So the two sides differ in where the
 * data is, not in how it is counted.  (It also beats glibc's memmem() on
 * this text by 2x natively and 8x in the TCG guest.)
 */
static uint64_t count_buf(const char *p, size_t len)
{
	const uint64_t ones = 0x0101010101010101ULL;
	const uint64_t highs = 0x8080808080808080ULL;
	const uint64_t rep = ones * (unsigned char)PATTERN[0];
	size_t i = 0, j, starts;
	uint64_t n = 0, x, t;

	if (len < PAT_LEN)
		return 0;
	starts = len - PAT_LEN + 1;	/* a match may start in [0, starts) */
	for (; i + 8 <= starts; i += 8) {
		memcpy(&x, p + i, 8);
		x ^= rep;
		t = (x - ones) & ~x & highs;
		while (t) {
			j = i + (__builtin_ctzll(t) >> 3);	/* little-endian */
			t &= t - 1;
			n += p[j] == PATTERN[0] &&
			     !memcmp(p + j + 1, PATTERN + 1, PAT_LEN - 1);
		}
	}
	for (; i < starts; i++)
		n += p[i] == PATTERN[0] &&
		     !memcmp(p + i + 1, PATTERN + 1, PAT_LEN - 1);
	return n;
}

/*
 * Read [0, size) in order-independent I/Os but count in stream order: a
 * buffer is counted when it is the next one, with the last PAT_LEN - 1
 * bytes of its predecessor, so matches across buffers are found once.
 */
static int host_count(int fd, struct io_uring *ring, char **bufs, uint64_t size,
		      uint64_t *count, double *count_secs)
{
	double tc;
	uint64_t slot_off[QD], next_off = 0, counted = 0, n = 0;
	char carry[2 * PAT_LEN];
	bool ready[QD] = { false };
	struct io_uring_cqe *cqe;
	unsigned int carry_len = 0;
	double t0 = now();
	int ret;

	for (int i = 0; i < QD; i++) {
		struct io_uring_sqe *sqe;

		slot_off[i] = UINT64_MAX;
		if (next_off >= size)
			continue;
		sqe = io_uring_get_sqe(ring);
		if (!sqe)
			return -EBUSY;
		io_uring_prep_read(sqe, fd, bufs[i], BUF_SIZE, next_off);
		io_uring_sqe_set_data64(sqe, i);
		slot_off[i] = next_off;
		next_off += BUF_SIZE;
	}
	while (counted < size) {
		ret = io_uring_submit_and_wait(ring, 1);
		if (ret < 0)
			return ret;
		while (io_uring_peek_cqe(ring, &cqe) == 0) {
			int slot = (int)io_uring_cqe_get_data64(cqe);

			if (cqe->res != BUF_SIZE) {
				fprintf(stderr, "\nread: %s\n", cqe->res < 0 ?
					strerror(-cqe->res) : "short read");
				return cqe->res < 0 ? cqe->res : -EIO;
			}
			ready[slot] = true;
			io_uring_cqe_seen(ring, cqe);
		}
		/* count every buffer that is next in line, then reuse it */
		for (bool progressed = true; progressed;) {
			progressed = false;
			for (int i = 0; i < QD; i++) {
				if (!ready[i] || slot_off[i] != counted)
					continue;
				/* matches across the boundary: carry + head */
				tc = now();
				memcpy(carry + carry_len, bufs[i], PAT_LEN - 1);
				n += count_buf(carry, carry_len + PAT_LEN - 1);
				n += count_buf(bufs[i], BUF_SIZE);
				memcpy(carry, bufs[i] + BUF_SIZE - (PAT_LEN - 1),
				       PAT_LEN - 1);
				carry_len = PAT_LEN - 1;
				*count_secs += now() - tc;
				counted += BUF_SIZE;
				ready[i] = false;
				progressed = true;
				if (next_off < size) {
					struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

					if (!sqe)
						return -EBUSY;
					io_uring_prep_read(sqe, fd, bufs[i], BUF_SIZE,
							   next_off);
					io_uring_sqe_set_data64(sqe, i);
					slot_off[i] = next_off;
					next_off += BUF_SIZE;
				}
			}
		}
		progress("reading + counting", counted, size, t0);
	}
	*count = n;
	return 0;
}

/* ---- 3. the drive way ---- */

/*
 * One EXEC on our own ring, so that we can show the time going by while
 * the drive scans (the command completes only at the end of the run).
 */
static int drive_count(struct uringblk_dev *dev, struct io_uring *ring,
		       const struct uringblk_exec_args *a,
		       struct uringblk_exec_result *res, int *cqe_res)
{
	struct __kernel_timespec ts = { .tv_nsec = 500 * 1000 * 1000 };
	struct io_uring_cqe *cqe;
	double t0 = now();
	int ret;
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		return -EBUSY;
	memset(res, 0, sizeof(*res));
	uringblk_prep_exec(sqe, uringblk_chr_fd(dev), a, res, sizeof(*res));
	io_uring_sqe_set_data64(sqe, EXEC_TAG);
	ret = io_uring_submit(ring);
	if (ret < 0)
		return ret;
	for (;;) {
		ret = io_uring_wait_cqe_timeout(ring, &cqe, &ts);
		if (ret == -ETIME || ret == -EINTR) {
			if (progress_tty)
				fprintf(stderr, "\r      the drive is scanning ...  %5.1f s",
					now() - t0);
			continue;
		}
		if (ret < 0)
			return ret;
		break;
	}
	if (progress_tty)
		fputs("\r                                          \r", stderr);
	*cqe_res = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return 0;
}

/* ---- 4. the standard's flow: MEM_COPY into SLM, EXECUTE over a range set ---- */

/*
 * Copy [src, src + n) of the drive into SLM at @dst with MEM_COPYs of at
 * most @xfer bytes, QD of them in flight on @ring, as a library
 * pipelining a large copy would.  The data never leave the drive.
 */
static int slm_copy(struct uringblk_dev *dev, struct io_uring *ring,
		    uint64_t src, uint64_t dst, uint64_t n, uint64_t xfer,
		    unsigned int lbs)
{
	struct uringblk_copy_range r[QD];
	uint64_t slot_dst[QD], off = 0, done = 0;
	int free_slots[QD], nfree = QD, ret;
	struct io_uring_cqe *cqe;

	for (int i = 0; i < QD; i++)
		free_slots[i] = i;
	while (done < n) {
		while (nfree && off < n) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
			uint64_t len = n - off < xfer ? n - off : xfer;
			int slot;

			if (!sqe)
				break;
			slot = free_slots[--nfree];
			r[slot].slba = (src + off) / lbs;
			r[slot].nlb = len / lbs;
			r[slot].flags = 0;
			slot_dst[slot] = len;
			uringblk_prep_mem_copy(sqe, uringblk_chr_fd(dev), dst + off,
					       &r[slot], 1);
			io_uring_sqe_set_data64(sqe, slot);
			off += len;
		}
		ret = io_uring_submit_and_wait(ring, 1);
		if (ret < 0)
			return ret;
		while (io_uring_peek_cqe(ring, &cqe) == 0) {
			int slot = (int)io_uring_cqe_get_data64(cqe);

			if (cqe->res < 0 || (uint64_t)cqe->res != slot_dst[slot]) {
				ret = cqe->res < 0 ? cqe->res : -EIO;
				fprintf(stderr, "\nMEM_COPY: %s\n",
					uringblk_strerror(ret));
				return ret;
			}
			io_uring_cqe_seen(ring, cqe);
			free_slots[nfree++] = slot;
			done += slot_dst[slot];
		}
	}
	return 0;
}

/* One EXECUTE of slot @pind over SLM [off, off + len): the count (r0). */
static int slm_execute(struct uringblk_dev *dev, uint32_t pind, uint64_t off,
		       uint64_t len, uint64_t budget_max, uint64_t *count)
{
	struct uringblk_mem_range mr = { .slm_off = off, .len = len };
	struct uringblk_execute_args a = { .pind = pind };
	struct uringblk_exec_result res;
	uint64_t budget = 2 * len + len / 4 + (1 << 20);
	int rsid, ret, del;

	if (budget_max && budget > budget_max)
		budget = budget_max;
	rsid = uringblk_range_set_create(dev, &mr, 1);
	if (rsid < 0) {
		fprintf(stderr, "\nRANGE_SET_CREATE: %s\n", uringblk_strerror(rsid));
		return rsid;
	}
	/* count_pattern's convention: the pattern in args[0..1], its length in args[2] */
	memcpy(a.cparam, PATTERN, PAT_LEN);
	a.arg2 = PAT_LEN;
	a.rsid = rsid;
	a.budget = budget;
	memset(&res, 0, sizeof(res));
	ret = uringblk_execute(dev, &a, &res, NULL, 0);
	del = uringblk_range_set_delete(dev, rsid);
	if (ret < 0 && !(ret == -EOVERFLOW && !res.error)) {
		fprintf(stderr, "\nEXECUTE: %s", uringblk_strerror(ret));
		if (res.abort_code)
			fprintf(stderr, " (abort %s at insn %u)",
				uringblk_prog_abort_name(res.abort_code) ?: "?",
				res.abort_pc);
		fputc('\n', stderr);
		return ret;
	}
	if (del) {
		fprintf(stderr, "\nRANGE_SET_DELETE: %s\n", uringblk_strerror(del));
		return del;
	}
	*count = res.r0;
	return 0;
}

struct slm_run {
	uint64_t	count;
	uint64_t	to_host;	/* bytes_to_host delta */
	uint64_t	from_media;	/* slm_bytes_from_media delta */
	uint64_t	copies, executes;
	unsigned int	chunks;
	double		secs, copy_secs;
};

/*
 * Count "Alpha" in [0, size) with program slot @pind the standard's way:
 * per chunk, MEM_COPY it into SLM, create a range set over it, EXECUTE,
 * take r0.  SLM is usually smaller than the text, so chunks are at most
 * slm_size - ov bytes.  A match may straddle a chunk boundary (the text
 * plants one across every 1 MiB on purpose), and MEM_COPY and range sets
 * move whole blocks and granules, not PAT_LEN - 1 bytes: so chunk k > 0
 * is copied with the ov bytes before it (one granule, >= PAT_LEN - 1) in
 * front, the window [0, ov + len) is counted, and the matches lying
 * wholly inside those ov bytes, already counted with chunk k - 1, are
 * subtracted by a second EXECUTE over [0, ov).  What is left is chunk k's
 * matches plus those straddling its start: each counted exactly once.
 */
static int slm_count(struct uringblk_dev *dev, struct io_uring *ring,
		     const struct uringblk_identify *id, uint32_t pind,
		     uint64_t size, struct slm_run *out)
{
	uint64_t gran = id->slm_granularity, lbs = id->logical_block_size;
	uint64_t ov = gran > lbs ? gran : lbs, chunk, xfer, start, len;
	uint64_t w, p;
	struct uringblk_stats s0, s1;
	double t0, tc;
	int ret;

	memset(out, 0, sizeof(*out));
	if (!gran || ov % gran || ov % lbs || ov < PAT_LEN - 1) {
		fprintf(stderr, "SLM granularity %" PRIu64 " and block size %"
			PRIu64 ": no common overlap\n", gran, lbs);
		return -EINVAL;
	}
	xfer = id->max_mem_xfer / lbs * lbs;
	chunk = id->slm_size > ov ? (id->slm_size - ov) / BUF_SIZE * BUF_SIZE : 0;
	if (!xfer || !chunk) {
		fprintf(stderr, "SLM too small for the demo (%" PRIu64 " bytes)\n",
			(uint64_t)id->slm_size);
		return -ENOSPC;
	}
	if (chunk > size)
		chunk = size;
	ret = uringblk_get_stats(dev, &s0, 0);
	if (ret)
		return ret;
	t0 = now();
	for (start = 0; start < size; start += len) {
		len = size - start < chunk ? size - start : chunk;
		tc = now();
		if (start)	/* the ov bytes before the chunk, then the chunk */
			ret = slm_copy(dev, ring, start - ov, 0, ov + len, xfer, lbs);
		else
			ret = slm_copy(dev, ring, 0, ov, len, xfer, lbs);
		out->copy_secs += now() - tc;
		if (ret)
			return ret;
		ret = slm_execute(dev, pind, start ? 0 : ov, start ? ov + len : len,
				  id->max_insn_budget, &w);
		if (ret)
			return ret;
		p = 0;
		if (start) {
			ret = slm_execute(dev, pind, 0, ov, id->max_insn_budget, &p);
			if (ret)
				return ret;
		}
		out->count += w - p;
		out->chunks++;
		progress("MEM_COPY + EXECUTE", start + len, size, t0);
	}
	out->secs = now() - t0;
	ret = uringblk_get_stats(dev, &s1, 0);
	if (ret)
		return ret;
	out->to_host = s1.bytes_to_host - s0.bytes_to_host;
	out->from_media = s1.slm_bytes_from_media - s0.slm_bytes_from_media;
	out->copies = s1.mem_copies - s0.mem_copies;
	out->executes = s1.executes - s0.executes;
	return 0;
}

/* The pind of program @prog_id, or of the device-defined "count_pattern" (id 0). */
static int find_pind(struct uringblk_dev *dev, uint32_t prog_id, uint32_t *pind)
{
	static struct uringblk_prog_info info[URINGBLK_MAX_PROGS + 64];
	int n = uringblk_prog_list(dev, info, sizeof(info) / sizeof(info[0]));

	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		if (prog_id ? info[i].id == prog_id :
		    (info[i].flags & URINGBLK_PROG_INFO_F_DEVICE) &&
		    !strcmp(info[i].name, "count_pattern")) {
			*pind = info[i].pind;
			return 0;
		}
	}
	return -ENOENT;
}

/* <exe dir>/../bpf/count_pattern.bpf.o: where the build puts it */
static const char *default_prog(void)
{
	static char path[PATH_MAX];
	char exe[PATH_MAX];
	ssize_t n;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		snprintf(path, sizeof(path), "%s/../bpf/count_pattern.bpf.o",
			 dirname(exe));
		if (!access(path, R_OK))
			return path;
	}
	return "out/bpf/count_pattern.bpf.o";
}

/* ---- --file: the same count over a file on a filesystem on the drive ---- */

/*
 * The page cache must not answer for the drive: drop it (root only; the
 * reads are O_DIRECT anyway, this also drops the filesystem's metadata,
 * so that the host way pays for reading it as an application would).
 */
static void drop_caches(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC);

	sync();
	if (fd >= 0) {
		if (write(fd, "3\n", 2) != 2)
			perror("drop_caches");
		close(fd);
	}
}

/* Counter deltas of the drive around one way of counting. */
struct way {
	uint64_t count;
	uint64_t to_host;	/* bytes_to_host: over the bus */
	uint64_t in_drive;	/* bytes read from the media inside the drive */
	double secs;
	bool ran;
};

static int way_stats(struct uringblk_dev *dev, struct uringblk_stats *s)
{
	int ret = uringblk_get_stats(dev, s, 0);

	if (ret)
		fprintf(stderr, "GET_STATS: %s\n", uringblk_strerror(ret));
	return ret;
}

static void way_end(struct way *w, const struct uringblk_stats *s0,
		    const struct uringblk_stats *s1, double t0)
{
	w->secs = now() - t0;
	w->to_host = s1->bytes_to_host - s0->bytes_to_host;
	/*
	 * Media read inside the drive: what MEM_COPY moved into SLM, and what
	 * an EXEC's program scanned (an EXECUTE's scans SLM, not the media).
	 */
	w->in_drive = s1->slm_bytes_from_media - s0->slm_bytes_from_media;
	if (s1->executes == s0->executes)
		w->in_drive += s1->prog_bytes_scanned - s0->prog_bytes_scanned;
	w->ran = true;
}

static void way_row(const char *name, const struct way *w)
{
	char h[32];

	if (!w->ran) {
		printf("%-34s %12s\n", name, "(skipped)");
		return;
	}
	printf("%-34s %12" PRIu64 " %14" PRIu64 " %11s %10.2f\n", name, w->count,
	       w->to_host, human(h, sizeof(h), w->in_drive), w->secs);
}

/* The application's way: drop the page cache, read the file, count. */
static int host_way(struct uringblk_dev *dev, int fd, struct io_uring *ring,
		    char **bufs, uint64_t size, struct way *w, double *count_s)
{
	struct uringblk_stats s0, s1;
	double t0;
	int ret;

	drop_caches();
	if (way_stats(dev, &s0))
		return -EIO;
	t0 = now();
	ret = host_count(fd, ring, bufs, size, &w->count, count_s);
	if (ret || way_stats(dev, &s1))
		return ret ?: -EIO;
	way_end(w, &s0, &s1, t0);
	return 0;
}

/*
 * The drive's way: map the file (FIEMAP), one EXEC over its extents, the
 * check that it did not change (uringblk_file_exec()).  The time counts
 * all three.  @nr_ext, @zeros: the mapping's extents, holes among them.
 */
static int exec_way(struct uringblk_dev *dev, const char *path, int prog_id,
		    uint64_t budget, struct way *w, unsigned int *nr_ext,
		    unsigned int *zeros)
{
	struct uringblk_file_map map = { .fd = -1 };
	struct uringblk_exec_args a = { 0 };
	struct uringblk_exec_result res;
	struct uringblk_stats s0, s1;
	char msg[512];
	double t0;
	int ret;

	if (way_stats(dev, &s0))
		return -EIO;
	t0 = now();
	ret = uringblk_file_map(dev, path, &map, msg, sizeof(msg));
	if (ret) {
		fprintf(stderr, "%s: %s: %s\n", path, uringblk_strerror(ret), msg);
		return ret;
	}
	a.prog_id = prog_id;
	a.budget = budget;
	count_pattern_args(a.args, PATTERN, PAT_LEN);
	ret = uringblk_file_exec(dev, &map, &a, &res, NULL, 0, msg, sizeof(msg));
	if (ret < 0 && !(ret == -EOVERFLOW && !res.error)) {
		fprintf(stderr, "exec over %s: %s%s%s\n", path, uringblk_strerror(ret),
			*msg ? ": " : "", msg);
		goto out;
	}
	ret = way_stats(dev, &s1) ? -EIO : 0;
	if (ret)
		goto out;
	way_end(w, &s0, &s1, t0);
	w->count = res.r0;
	*nr_ext = map.nr;
	*zeros = 0;
	for (unsigned int i = 0; i < map.nr; i++)
		*zeros += !!(map.ext[i].flags & URINGBLK_EXTENT_F_ZERO);
out:
	uringblk_file_unmap(&map);
	return ret;
}

/*
 * The standard's flow over the file (uringblk_file_execute(): MEM_COPY
 * its extents into SLM, EXECUTE the device-defined count_pattern over a
 * range set of it), when the file fits in SLM.
 */
static int flow_way(struct uringblk_dev *dev, const char *path, struct way *w)
{
	struct uringblk_file_map map = { .fd = -1 };
	struct uringblk_execute_args x = { 0 };
	struct uringblk_exec_result res;
	struct uringblk_stats s0, s1;
	uint32_t dd_pind;
	char msg[512];
	double t0;
	int ret;

	ret = find_pind(dev, 0, &dd_pind);
	if (!ret)	/* active from the drive's creation: a no-op then */
		ret = uringblk_prog_activate(dev, dd_pind, 1);
	if (ret) {
		fprintf(stderr, "device-defined count_pattern: %s\n", uringblk_strerror(ret));
		return ret;
	}
	if (way_stats(dev, &s0))
		return -EIO;
	t0 = now();
	ret = uringblk_file_map(dev, path, &map, msg, sizeof(msg));
	if (ret) {
		fprintf(stderr, "%s: %s: %s\n", path, uringblk_strerror(ret), msg);
		return ret;
	}
	x.pind = dd_pind;
	memcpy(x.cparam, PATTERN, PAT_LEN);
	x.arg2 = PAT_LEN;
	ret = uringblk_file_execute(dev, &map, 0, &x, &res, NULL, 0, msg, sizeof(msg));
	if (ret < 0 && !(ret == -EOVERFLOW && !res.error)) {
		fprintf(stderr, "execute over %s: %s%s%s\n", path,
			uringblk_strerror(ret), *msg ? ": " : "", msg);
		goto out;
	}
	ret = way_stats(dev, &s1) ? -EIO : 0;
	if (ret)
		goto out;
	way_end(w, &s0, &s1, t0);
	w->count = res.r0;
out:
	uringblk_file_unmap(&map);
	return ret;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* median, min and max of @n values (sorted in place) */
static void spread(double *v, unsigned int n, double *med, double *lo, double *hi)
{
	qsort(v, n, sizeof(*v), cmp_double);
	*med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	*lo = v[0];
	*hi = v[n - 1];
}

#define MAX_ROUNDS	64
/* maps with and without the verification per round */
#define MAP_PAIRS	15

/*
 * uringblk_file_map() alone, with the verification of the mapping on
 * (the default) or off (URINGBLK_FILE_VERIFY=0): its cost, for the README.
 * Returns the seconds, or a negative value on failure.
 */
static double map_secs(struct uringblk_dev *dev, const char *path, bool verify)
{
	struct uringblk_file_map map = { .fd = -1 };
	const char *was = getenv("URINGBLK_FILE_VERIFY");
	char msg[512], *saved = was ? strdup(was) : NULL;
	double t0, t;
	int ret;

	if (verify)
		unsetenv("URINGBLK_FILE_VERIFY");
	else
		setenv("URINGBLK_FILE_VERIFY", "0", 1);
	t0 = now();
	ret = uringblk_file_map(dev, path, &map, msg, sizeof(msg));
	t = now() - t0;
	uringblk_file_unmap(&map);
	/* as the caller had it */
	if (saved)
		setenv("URINGBLK_FILE_VERIFY", saved, 1);
	else
		unsetenv("URINGBLK_FILE_VERIFY");
	free(saved);
	if (ret) {
		fprintf(stderr, "%s: %s: %s\n", path, uringblk_strerror(ret), msg);
		return -1;
	}
	return t;
}

/*
 * --rounds N: the benchmark (tools/bench/files): N rounds of both ways,
 * in alternating order so that drift in the host's load hits both alike;
 * medians, spreads and the per-round ratios against the goals of issue 13
 * (>= 10^6x fewer bytes over the bus, >= 2x faster).
 */
static int file_bench(struct uringblk_dev *dev, int fd, const char *path,
		      int prog_id, uint64_t budget, uint64_t size, uint64_t planted,
		      unsigned int rounds, struct io_uring *ring, char **bufs)
{
	double th[MAX_ROUNDS], te[MAX_ROUNDS], ratio[MAX_ROUNDS], bus[MAX_ROUNDS];
	double mon[MAX_ROUNDS * MAP_PAIRS], moff[MAX_ROUNDS * MAP_PAIRS];
	double mdiff[MAX_ROUNDS * MAP_PAIRS];
	double med, lo, hi, rmed, rlo, rhi, bmed, blo, bhi;
	unsigned int nr_ext = 0, zeros = 0;
	double count_s;
	int ret;

	printf("%-6s %12s %12s %10s %14s %12s\n", "round", "app (s)", "drive (s)",
	       "speedup", "app to host", "drive to host");
	for (unsigned int r = 0; r < rounds; r++) {
		struct way h = { 0 }, e = { 0 };

		for (int k = 0; k < 2; k++) {
			ret = (k ^ (r & 1)) ?
			      exec_way(dev, path, prog_id, budget, &e, &nr_ext, &zeros) :
			      host_way(dev, fd, ring, bufs, size, &h, &count_s);
			if (ret)
				return 1;
		}
		if (h.count != planted || e.count != planted) {
			printf("round %u: MISMATCH: app %" PRIu64 ", drive %" PRIu64
			       ", expected %" PRIu64 "\n", r, h.count, e.count, planted);
			return 1;
		}
		/*
		 * The mapping alone, verification off and on in pairs of
		 * alternating order: a map takes milliseconds, the guest's
		 * noise as much, so many pairs and the median difference.
		 */
		for (unsigned int p = 0; p < MAP_PAIRS; p++) {
			unsigned int i = r * MAP_PAIRS + p;

			for (int k = 0; k < 2; k++) {
				bool on = k ^ (p & 1);
				double t = map_secs(dev, path, on);

				if (t < 0)
					return 1;
				*(on ? &mon[i] : &moff[i]) = t;
			}
			mdiff[i] = mon[i] - moff[i];
		}
		th[r] = h.secs;
		te[r] = e.secs;
		ratio[r] = h.secs / e.secs;
		bus[r] = e.to_host ? (double)h.to_host / e.to_host : 0;
		printf("%-6u %12.3f %12.3f %9.2fx %14" PRIu64 " %12" PRIu64 "\n", r,
		       h.secs, e.secs, ratio[r], h.to_host, e.to_host);
		fflush(stdout);
	}
	spread(th, rounds, &med, &lo, &hi);
	printf("\napp: read + count     median %.3f s (%.3f..%.3f), %.1f MiB/s\n",
	       med, lo, hi, size / med / (1 << 20));
	spread(te, rounds, &med, &lo, &hi);
	printf("drive: map + EXEC    median %.3f s (%.3f..%.3f), %.1f MiB/s; %u extents\n",
	       med, lo, hi, size / med / (1 << 20), nr_ext);
	spread(moff, rounds * MAP_PAIRS, &med, &lo, &hi);
	printf("map alone, verification off  median %.2f ms (%.2f..%.2f), %u maps\n",
	       med * 1e3, lo * 1e3, hi * 1e3, rounds * MAP_PAIRS);
	spread(mon, rounds * MAP_PAIRS, &med, &lo, &hi);
	printf("map alone, verification on   median %.2f ms (%.2f..%.2f), %u maps\n",
	       med * 1e3, lo * 1e3, hi * 1e3, rounds * MAP_PAIRS);
	spread(mdiff, rounds * MAP_PAIRS, &med, &lo, &hi);
	printf("verification's cost per map  median %.2f ms of the pairs' differences\n",
	       med * 1e3);
	spread(ratio, rounds, &rmed, &rlo, &rhi);
	spread(bus, rounds, &bmed, &blo, &bhi);
	printf("\ngoal: bytes over the bus, app / drive, per round  %.3gx (%.3g..%.3g) "
	       "(goal >= 1e6x): %s\n", bmed, blo, bhi, blo >= 1e6 ? "met" : "MISSED");
	printf("goal: time, app / drive, per round                %.2fx (%.2f..%.2f) "
	       "(goal >= 2x): %s\n", rmed, rlo, rhi, rmed >= 2 ? "met" : "MISSED");
	printf("every count exact (%" PRIu64 ") in %u rounds\n", planted, rounds);
	return 0;
}

/*
 * Fill @path (a new file on a filesystem on @dev) with the text, then
 * count "Alpha" as an application would and in the drive (EXEC over the
 * file's extents; the standard's flow too when the file fits in SLM), or
 * with @rounds, benchmark the first two.  Return: the exit status.
 */
static int file_demo(struct uringblk_dev *dev, const struct uringblk_identify *id,
		     const char *path, uint64_t size, uint64_t seed,
		     const char *prog, uint64_t budget, unsigned int rounds,
		     struct io_uring *ring, char **bufs)
{
	struct way host = { 0 }, exec = { 0 }, flow = { 0 };
	unsigned int nr_ext = 0, zeros = 0;
	uint64_t planted = 0;
	double fill_s, count_s = 0;
	char h1[32], h2[32], log[4096];
	int fd, ret, prog_id, status = 1;

	printf("uringblk \"%s\" demo over a file: %s (%s of generated text, seed %"
	       PRIu64 ") on %s\n\n", PATTERN, path, human(h1, sizeof(h1), size),
	       seed, uringblk_blk_path(dev));

	printf("[1/4] writing the file (io_uring, O_DIRECT, %d x 1 MiB in flight), fsync\n", QD);
	fflush(stdout);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_DIRECT | O_CLOEXEC, 0644);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	ret = fill(fd, ring, bufs, size, seed, &planted, &fill_s);
	if (!ret && fsync(fd))
		ret = -errno;
	if (ret) {
		fprintf(stderr, "%s: %s\n", path, strerror(-ret));
		goto out_fd;
	}
	printf("      %s written in %.2f s; \"%s\" planted %" PRIu64 " times\n\n",
	       human(h1, sizeof(h1), size), fill_s, PATTERN, planted);
	prog_id = uringblk_prog_load_file(dev, prog, NULL, log, sizeof(log));
	if (prog_id < 0) {
		fprintf(stderr, "loading %s: %s\n%s", prog, uringblk_strerror(prog_id), log);
		goto out_fd;
	}
	if (rounds) {
		status = file_bench(dev, fd, path, prog_id, budget, size, planted,
				    rounds, ring, bufs);
		goto out_unload;
	}

	printf("[2/4] as an application would: read the file (page cache dropped\n"
	       "      first; io_uring, O_DIRECT, %d x 1 MiB in flight), count in userspace\n", QD);
	fflush(stdout);
	if (host_way(dev, fd, ring, bufs, size, &host, &count_s))
		goto out_unload;
	printf("      counted %" PRIu64 " in %.2f s (%.2f s of it counting); the "
	       "drive sent %s to the host\n\n", host.count, host.secs, count_s,
	       human(h1, sizeof(h1), host.to_host));

	printf("[3/4] in the drive: map the file to its extents (FIEMAP), one EXEC of\n"
	       "      count_pattern over them, check the file did not change meanwhile\n");
	fflush(stdout);
	if (exec_way(dev, path, prog_id, budget, &exec, &nr_ext, &zeros))
		goto out_unload;
	printf("      %u extent%s (%u of them holes or unwritten); counted %" PRIu64
	       " in %.2f s; the drive sent %s to the host\n\n", nr_ext,
	       nr_ext == 1 ? "" : "s", zeros, exec.count, exec.secs,
	       human(h1, sizeof(h1), exec.to_host));

	printf("[4/4] the standard's flow over the file: MEM_COPY its extents into SLM,\n"
	       "      EXECUTE the device-defined count_pattern over a range set of it\n");
	fflush(stdout);
	if (!(id->features & URINGBLK_F_SLM) || size > id->slm_size) {
		printf("      skipped: the file (%s) is larger than the drive's SLM (%s);\n"
		       "      the flow over the raw drive, chunk by chunk, comes next\n\n",
		       human(h1, sizeof(h1), size), human(h2, sizeof(h2), id->slm_size));
	} else {
		if (flow_way(dev, path, &flow))
			goto out_unload;
		printf("      counted %" PRIu64 " in %.2f s; %s moved media -> SLM inside "
		       "the drive, %s to the host\n\n", flow.count, flow.secs,
		       human(h1, sizeof(h1), flow.in_drive),
		       human(h2, sizeof(h2), flow.to_host));
	}

	printf("%-34s %12s %14s %11s %10s\n", "", "\"" PATTERN "\"", "bytes to host",
	       "media read", "time (s)");
	way_row("application (read + count)", &host);
	way_row("drive: EXEC over the extents", &exec);
	way_row("drive: MEM_COPY + EXECUTE (SLM)", &flow);
	printf("%-34s %12" PRIu64 "\n", "expected", planted);
	if (exec.to_host)
		printf("\nbytes over the bus: %.3gx fewer in the drive; time: %.2fx %s\n",
		       (double)host.to_host / exec.to_host,
		       exec.secs > 0 ? host.secs / exec.secs : 0.0,
		       host.secs >= exec.secs ? "faster in the drive" :
		       "(the drive was slower)");
	if (host.count == planted && exec.count == planted &&
	    (!flow.ran || flow.count == planted)) {
		printf("\nevery count is exact: OK\n");
		status = 0;
	} else {
		printf("\nMISMATCH: expected %" PRIu64 "\n", planted);
	}
out_unload:
	uringblk_prog_unload(dev, prog_id);
out_fd:
	close(fd);
	return status;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: uringblk-alpha-demo DEV [--size SIZE] [--seed N] [--prog OBJ]\n"
		"                           [--budget B] [--file PATH [--rounds N]]\n"
		"\n"
		"Fills the first SIZE bytes of DEV (a uringblk device: its data is\n"
		"overwritten) with text holding a known number of \"Alpha\", then counts\n"
		"them: reading everything into the host; the standard's way, MEM_COPY\n"
		"into the drive's memory (SLM) and EXECUTE over a range set (the eBPF\n"
		"count_pattern.bpf.o in a slot, and the device-defined count_pattern);\n"
		"and with one EXEC of count_pattern.bpf.o.  Prints data moved and time.\n"
		"\n"
		"  -s, --size SIZE   bytes to fill and scan, a multiple of 1M (default 1G)\n"
		"  -S, --seed N      text generator seed (default 1)\n"
		"  -p, --prog OBJ    count_pattern.bpf.o (default: next to this binary,\n"
		"                    ../bpf/count_pattern.bpf.o)\n"
		"  -b, --budget B    EXEC instruction budget (default: 2 * SIZE + SIZE / 4 + 1M,\n"
		"                    capped at the drive's maximum)\n"
		"  -f, --file PATH   write the text to PATH instead, a new file on a\n"
		"                    filesystem on DEV (DEV's other data are kept), and\n"
		"                    count it as an application would (read the file)\n"
		"                    and in the drive over the file's extents\n"
		"  -r, --rounds N    with --file: the benchmark: N rounds of both ways\n"
		"                    (alternating order), medians and ratios\n"
		"Exit status: 0 every count right, 1 a count is wrong or a step failed,\n"
		"2 usage.  Needs root (writes the device, resets its counters).\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "size",	required_argument,	NULL, 's' },
		{ "seed",	required_argument,	NULL, 'S' },
		{ "prog",	required_argument,	NULL, 'p' },
		{ "budget",	required_argument,	NULL, 'b' },
		{ "file",	required_argument,	NULL, 'f' },
		{ "rounds",	required_argument,	NULL, 'r' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL,		0,			NULL, 0 },
	};
	uint64_t size = 1ULL << 30, seed = 1, budget = 0, planted = 0;
	uint64_t host_n = 0, host_bytes, drive_bytes, want_budget;
	double fill_s, host_s, drive_s, t0, count_s = 0;
	const char *prog = NULL, *spec, *file = NULL;
	unsigned long rounds = 0;
	struct uringblk_exec_result res;
	struct uringblk_exec_args a = { 0 };
	struct uringblk_stats st;
	struct uringblk_identify id;
	struct uringblk_dev *dev;
	struct io_uring ring;
	char log[4096], h1[32], h2[32];
	char *bufs[QD] = { NULL };
	int c, fd, ret, cqe_res = 0, status = 1;
	bool budget_short = false;
	int prog_id = -1;
	uint32_t bpf_pind = 0, dd_pind = 0;
	struct slm_run slm_bpf = { 0 }, slm_dd = { 0 };

	while ((c = getopt_long(argc, argv, "s:S:p:b:f:r:h", opts, NULL)) != -1) {
		char *end;

		switch (c) {
		case 's':
			if (parse_size(optarg, &size) || !size ||
			    size % BUF_SIZE) {
				fprintf(stderr, "uringblk-alpha-demo: --size must be "
					"a positive multiple of 1M\n");
				return 2;
			}
			break;
		case 'S':
			errno = 0;
			seed = strtoull(optarg, &end, 0);
			if (errno || *end || *optarg == '-') {
				fprintf(stderr, "uringblk-alpha-demo: bad --seed\n");
				return 2;
			}
			break;
		case 'p':
			prog = optarg;
			break;
		case 'f':
			file = optarg;
			break;
		case 'r':
			errno = 0;
			rounds = strtoul(optarg, &end, 0);
			if (errno || *end || !rounds || rounds > MAX_ROUNDS ||
			    *optarg == '-') {
				fprintf(stderr, "uringblk-alpha-demo: --rounds must be 1..%d\n",
					MAX_ROUNDS);
				return 2;
			}
			break;
		case 'b':
			errno = 0;
			budget = strtoull(optarg, &end, 0);
			if (errno || *end || !budget || *optarg == '-') {
				fprintf(stderr, "uringblk-alpha-demo: bad --budget\n");
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (rounds && !file) {
		fprintf(stderr, "uringblk-alpha-demo: --rounds needs --file\n");
		return 2;
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	spec = argv[optind];
	if (!prog)
		prog = default_prog();
	if (check_words())
		return 1;
	progress_tty = isatty(STDERR_FILENO);

	ret = uringblk_open(spec, &dev);
	if (!ret)
		ret = uringblk_identify(dev, &id);
	if (ret) {
		fprintf(stderr, "%s: %s\n", spec, uringblk_strerror(ret));
		return 1;
	}
	if (!(id.features & URINGBLK_F_COMPUTE)) {
		fprintf(stderr, "%s: the drive has no compute feature\n", spec);
		goto out_dev;
	}
	if (size > id.capacity) {
		fprintf(stderr, "%s: --size %s is larger than the drive (%s)\n",
			spec, human(h1, sizeof(h1), size),
			human(h2, sizeof(h2), id.capacity));
		goto out_dev;
	}
	/*
	 * count_pattern: one scan, about 0.13 units a byte over such text;
	 * at most 2 a byte whatever the data, plus a page fetch per 4 KiB
	 * (32 units, 1024 on a file-backed drive)
	 */
	want_budget = 2 * size + size / 4 + (1 << 20);
	if (!budget) {
		budget = want_budget;
		if (id.max_insn_budget && budget > id.max_insn_budget) {
			budget = id.max_insn_budget;
			budget_short = true;
		}
	} else if (budget > id.max_insn_budget) {
		fprintf(stderr, "%s: --budget above the drive's maximum %" PRIu64 "\n",
			spec, (uint64_t)id.max_insn_budget);
		goto out_dev;
	}

	/* --file: the drive is mounted; its block device is not ours to write */
	fd = file ? -1 : open(uringblk_blk_path(dev), O_RDWR | O_DIRECT | O_CLOEXEC);
	if (fd < 0 && !file) {
		perror(uringblk_blk_path(dev));
		goto out_dev;
	}
	for (int i = 0; i < QD; i++) {
		bufs[i] = aligned_alloc(4096, BUF_SIZE);
		if (!bufs[i]) {
			fprintf(stderr, "out of memory\n");
			goto out_fd;
		}
	}
	ret = io_uring_queue_init(2 * QD, &ring, IORING_SETUP_SQE128 |
				  IORING_SETUP_CQE32);
	if (ret) {
		fprintf(stderr, "io_uring: %s\n", strerror(-ret));
		goto out_fd;
	}

	if (file) {
		status = file_demo(dev, &id, file, size, seed, prog, budget, rounds,
				   &ring, bufs);
		goto out_ring;
	}
	printf("uringblk \"%s\" demo on %s: %s of generated text, seed %" PRIu64 "\n\n",
	       PATTERN, uringblk_blk_path(dev), human(h1, sizeof(h1), size), seed);

	printf("[1/4] filling the drive (io_uring, O_DIRECT, %d x 1 MiB in flight)\n", QD);
	fflush(stdout);
	ret = fill(fd, &ring, bufs, size, seed, &planted, &fill_s);
	if (ret)
		goto out_ring;
	printf("      %s written in %.2f s; \"%s\" planted %" PRIu64 " times\n\n",
	       human(h1, sizeof(h1), size), fill_s, PATTERN, planted);

	printf("[2/4] the host way: read everything, count in userspace\n");
	fflush(stdout);
	ret = uringblk_reset_stats_sysfs(dev);
	if (ret) {
		fprintf(stderr, "reset_stats: %s\n", uringblk_strerror(ret));
		goto out_ring;
	}
	t0 = now();
	ret = host_count(fd, &ring, bufs, size, &host_n, &count_s);
	host_s = now() - t0;
	if (ret)
		goto out_ring;
	ret = uringblk_stats_sysfs(dev, &st);
	if (ret) {
		fprintf(stderr, "sysfs counters: %s\n", uringblk_strerror(ret));
		goto out_ring;
	}
	host_bytes = st.bytes_to_host;
	printf("      counted %" PRIu64 " in %.2f s (%.2f s of it counting); the "
	       "drive sent %s to the host\n\n", host_n, host_s, count_s,
	       human(h1, sizeof(h1), host_bytes));

	printf("[3/4] the standard's flow: MEM_COPY the text into the drive's memory\n"
	       "      (SLM, %s), a range set over it, EXECUTE count_pattern in a program\n"
	       "      slot; chunked, as the text is larger than SLM\n",
	       human(h1, sizeof(h1), id.slm_size));
	fflush(stdout);
	prog_id = uringblk_prog_load_file(dev, prog, NULL, log, sizeof(log));
	if (prog_id < 0) {
		fprintf(stderr, "loading %s: %s\n%s", prog,
			uringblk_strerror(prog_id), log);
		goto out_ring;
	}
	if (!(id.features & URINGBLK_F_SLM)) {
		fprintf(stderr, "%s: the drive has no SLM\n", spec);
		goto out_unload;
	}
	ret = find_pind(dev, prog_id, &bpf_pind);
	if (!ret)
		ret = uringblk_prog_activate(dev, bpf_pind, 1);
	if (ret) {
		fprintf(stderr, "activating program %d: %s\n", prog_id,
			uringblk_strerror(ret));
		goto out_unload;
	}
	ret = slm_count(dev, &ring, &id, bpf_pind, size, &slm_bpf);
	/* deactivated again, so that it can be unloaded */
	uringblk_prog_activate(dev, bpf_pind, 0);
	if (ret)
		goto out_unload;
	printf("      eBPF count_pattern (slot %u): counted %" PRIu64 " in %.2f s "
	       "(%.2f s of it MEM_COPY), %u chunks\n", bpf_pind, slm_bpf.count,
	       slm_bpf.secs, slm_bpf.copy_secs, slm_bpf.chunks);
	fflush(stdout);
	ret = find_pind(dev, 0, &dd_pind);
	if (!ret)	/* active from the drive's creation; this is a no-op then */
		ret = uringblk_prog_activate(dev, dd_pind, 1);
	if (ret) {
		fprintf(stderr, "device-defined count_pattern: %s\n",
			uringblk_strerror(ret));
		goto out_unload;
	}
	ret = slm_count(dev, &ring, &id, dd_pind, size, &slm_dd);
	if (ret)
		goto out_unload;
	printf("      device-defined count_pattern (slot 0x%x): counted %" PRIu64
	       " in %.2f s (%.2f s of it MEM_COPY)\n\n", dd_pind, slm_dd.count,
	       slm_dd.secs, slm_dd.copy_secs);

	printf("[4/4] the shortcut: one EXEC of %s over the LBA range\n", prog);
	if (budget_short)
		printf("      note: a full scan needs about %" PRIu64 " budget units, "
		       "the drive allows at most %" PRIu64 ": the run may stop "
		       "early\n", want_budget, budget);
	fflush(stdout);
	ret = uringblk_reset_stats_sysfs(dev);
	if (ret) {
		fprintf(stderr, "reset_stats: %s\n", uringblk_strerror(ret));
		goto out_unload;
	}
	a.prog_id = prog_id;
	a.lba_start = 0;
	a.lba_count = size / id.logical_block_size;
	a.budget = budget;
	count_pattern_args(a.args, PATTERN, PAT_LEN);
	t0 = now();
	ret = drive_count(dev, &ring, &a, &res, &cqe_res);
	drive_s = now() - t0;
	if (ret) {
		fprintf(stderr, "EXEC: %s\n", strerror(-ret));
		goto out_unload;
	}
	if (cqe_res < 0 && !(cqe_res == -EOVERFLOW && !res.error)) {
		fprintf(stderr, "EXEC failed: %s", uringblk_strerror(cqe_res));
		if (res.abort_code)
			fprintf(stderr, " (abort %s at insn %u after %" PRIu64
				" units, %" PRIu64 " bytes scanned)",
				uringblk_prog_abort_name(res.abort_code) ?: "?",
				res.abort_pc, (uint64_t)res.insns,
				(uint64_t)res.bytes_scanned);
		fputc('\n', stderr);
		goto out_unload;
	}
	ret = uringblk_stats_sysfs(dev, &st);
	if (ret) {
		fprintf(stderr, "sysfs counters: %s\n", uringblk_strerror(ret));
		goto out_unload;
	}
	drive_bytes = st.bytes_to_host;
	printf("      counted %" PRIu64 " in %.2f s (%" PRIu64 " bytes scanned in "
	       "the drive, %" PRIu64 " budget units); the drive sent %s to the "
	       "host\n\n", (uint64_t)res.r0, drive_s, (uint64_t)res.bytes_scanned,
	       (uint64_t)res.insns, human(h1, sizeof(h1), drive_bytes));

	printf("%-24s %-26s %-26s\n", "", "host (read + count)",
	       "drive (EXEC count_pattern)");
	printf("%-24s %-26" PRIu64 " %-26" PRIu64 "\n",
	       "\"" PATTERN "\" counted", host_n, (uint64_t)res.r0);
	printf("%-24s %-26" PRIu64 " %-26" PRIu64 "\n", "expected", planted,
	       planted);
	snprintf(log, sizeof(log), "%" PRIu64 " (%s)", host_bytes,
		 human(h1, sizeof(h1), host_bytes));
	printf("%-24s %-26s %" PRIu64 " (%s)\n", "bytes moved to host", log,
	       drive_bytes, human(h2, sizeof(h2), drive_bytes));
	printf("%-24s %-26.3f %.3f\n", "wall time (s)", host_s, drive_s);
	printf("%-24s %-26.1f %.1f\n", "MiB/s over the range",
	       size / host_s / (1 << 20), size / drive_s / (1 << 20));

	printf("\n%-24s %-26s %-26s\n", "the standard's flow", "EXECUTE eBPF count_pattern",
	       "EXECUTE device-defined");
	printf("%-24s %-26" PRIu64 " %-26" PRIu64 "\n",
	       "\"" PATTERN "\" counted", slm_bpf.count, slm_dd.count);
	printf("%-24s %-26" PRIu64 " %-26" PRIu64 "\n", "expected", planted,
	       planted);
	snprintf(log, sizeof(log), "%" PRIu64 " (%s)", slm_bpf.to_host,
		 human(h1, sizeof(h1), slm_bpf.to_host));
	printf("%-24s %-26s %" PRIu64 " (%s)\n", "bytes moved to host", log,
	       slm_dd.to_host, human(h2, sizeof(h2), slm_dd.to_host));
	snprintf(log, sizeof(log), "%" PRIu64 " (%s)", slm_bpf.from_media,
		 human(h1, sizeof(h1), slm_bpf.from_media));
	printf("%-24s %-26s %" PRIu64 " (%s)\n", "media -> SLM in drive", log,
	       slm_dd.from_media, human(h2, sizeof(h2), slm_dd.from_media));
	snprintf(log, sizeof(log), "%" PRIu64 " / %" PRIu64, slm_bpf.copies,
		 slm_bpf.executes);
	snprintf(h1, sizeof(h1), "%" PRIu64 " / %" PRIu64, slm_dd.copies,
		 slm_dd.executes);
	printf("%-24s %-26s %s\n", "MEM_COPYs / EXECUTEs", log, h1);
	printf("%-24s %-26.3f %.3f\n", "wall time (s)", slm_bpf.secs, slm_dd.secs);
	printf("%-24s %-26.3f %.3f\n", "  of it MEM_COPY (s)", slm_bpf.copy_secs,
	       slm_dd.copy_secs);
	printf("%-24s %-26.1f %.1f\n", "MiB/s over the range",
	       size / slm_bpf.secs / (1 << 20), size / slm_dd.secs / (1 << 20));
	printf("\n");
	if (drive_bytes)
		printf("data moved to the host: %.0fx less\n",
		       (double)host_bytes / drive_bytes);
	printf("wall time: %.2fx %s\n",
	       drive_s > 0 ? host_s / drive_s : 0.0,
	       host_s >= drive_s ? "faster in the drive" : "(the drive was slower)");

	if (host_n == planted && res.r0 == planted && slm_bpf.count == planted &&
	    slm_dd.count == planted) {
		printf("\nall four counts are exact: OK\n");
		status = 0;
	} else {
		printf("\nMISMATCH: host %" PRIu64 ", EXEC %" PRIu64 ", EXECUTE eBPF %"
		       PRIu64 ", EXECUTE device-defined %" PRIu64 ", expected %"
		       PRIu64 "\n", host_n, (uint64_t)res.r0, slm_bpf.count,
		       slm_dd.count, planted);
	}
out_unload:
	if (prog_id > 0)
		uringblk_prog_unload(dev, prog_id);
out_ring:
	io_uring_queue_exit(&ring);
out_fd:
	for (int i = 0; i < QD; i++)
		free(bufs[i]);
	if (fd >= 0)
		close(fd);
out_dev:
	uringblk_close(dev);
	return status;
}
