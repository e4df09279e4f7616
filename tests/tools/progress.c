// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The CLI's progress lines (tools/cli/progress.c): when to draw, the
 * percent and time-left maths, the text and its cut to the terminal's
 * width, and what start/end write to stderr in each mode.  No clock is
 * read by a check: times are passed in, and the drawing checks use a
 * delay of 0, whose line is drawn at the start (0 s elapsed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "progress.h"

#define S	1000000000ULL	/* a second in ns */

static int passed, failed;

#include "../check.h"

#define CHECK_STR(got, want) \
	CHECK(!strcmp((got), (want)), "got '%s', want '%s'", (got), (want))

static void modes(void)
{
	enum cli_progress_mode m = CLI_PROGRESS_NEVER;

	CHECK(!cli_progress_parse_mode(NULL, &m) && m == CLI_PROGRESS_AUTO, "NULL");
	CHECK(!cli_progress_parse_mode("", &m) && m == CLI_PROGRESS_AUTO, "empty");
	CHECK(!cli_progress_parse_mode("auto", &m) && m == CLI_PROGRESS_AUTO, "auto");
	CHECK(!cli_progress_parse_mode("always", &m) && m == CLI_PROGRESS_ALWAYS, "always");
	CHECK(!cli_progress_parse_mode("1", &m) && m == CLI_PROGRESS_ALWAYS, "1");
	CHECK(!cli_progress_parse_mode("never", &m) && m == CLI_PROGRESS_NEVER, "never");
	CHECK(!cli_progress_parse_mode("0", &m) && m == CLI_PROGRESS_NEVER, "0");
	m = CLI_PROGRESS_ALWAYS;
	CHECK(cli_progress_parse_mode("yes", &m) == -22 && m == CLI_PROGRESS_ALWAYS,
	      "refused, mode unchanged");
	CHECK(cli_progress_parse_mode("Always", &m) == -22, "case matters");

	/* a terminal, unless it is dumb; the options override */
	CHECK(cli_progress_wanted(CLI_PROGRESS_AUTO, true, "xterm"), "tty");
	CHECK(cli_progress_wanted(CLI_PROGRESS_AUTO, true, NULL), "tty, no TERM");
	CHECK(!cli_progress_wanted(CLI_PROGRESS_AUTO, true, "dumb"), "dumb tty");
	CHECK(!cli_progress_wanted(CLI_PROGRESS_AUTO, false, "xterm"), "pipe");
	CHECK(cli_progress_wanted(CLI_PROGRESS_ALWAYS, false, "dumb"), "forced");
	CHECK(!cli_progress_wanted(CLI_PROGRESS_NEVER, true, "xterm"), "off");
}

static void rate_limit(void)
{
	const uint64_t d = S, iv = S / 2, t0 = 100 * S;

	/* nothing before the delay, the first line at it */
	CHECK(!cli_progress_due(t0, 0, t0, d, iv), "at the start");
	CHECK(!cli_progress_due(t0, 0, t0 + d - 1, d, iv), "just before the delay");
	CHECK(cli_progress_due(t0, 0, t0 + d, d, iv), "at the delay");
	CHECK(cli_progress_due(t0, 0, t0, 0, iv), "no delay: at once");
	/* then one per interval after the last drawn */
	CHECK(!cli_progress_due(t0, t0 + d, t0 + d, d, iv), "just drawn");
	CHECK(!cli_progress_due(t0, t0 + d, t0 + d + iv - 1, d, iv), "within the interval");
	CHECK(cli_progress_due(t0, t0 + d, t0 + d + iv, d, iv), "an interval on");
	CHECK(cli_progress_due(t0, t0 + d, t0 + 50 * S, d, iv), "long after");
	/* a clock that went back draws nothing rather than a wrapped time */
	CHECK(!cli_progress_due(t0, 0, t0 - 1, d, iv), "before the start");
	CHECK(!cli_progress_due(t0, t0 + d, t0 + d - 1, d, iv), "before the last");

	/* 10,000 updates 1 ms apart over 10 s: the first at 1 s, then 2 a second */
	{
		uint64_t last = 0, now;
		int n = 0;

		for (now = t0; now < t0 + 10 * S; now += S / 1000)
			if (cli_progress_due(t0, last, now, d, iv)) {
				last = now;
				n++;
			}
		CHECK(n == 18, "%d lines, want 18 (1 s, 1.5 s, ... 9.5 s)", n);
	}
}

static void maths(void)
{
	uint64_t left = 7;

	CHECK(cli_progress_percent(0, 100) == 0, "0%%");
	CHECK(cli_progress_percent(50, 100) == 50, "50%%");
	CHECK(cli_progress_percent(999, 1000) == 99, "rounded down: 99.9%% is 99");
	CHECK(cli_progress_percent(1000, 1000) == 100, "done");
	CHECK(cli_progress_percent(2000, 1000) == 100, "more than the total");
	CHECK(cli_progress_percent(5, 0) == -1, "no total");
	CHECK(cli_progress_percent(UINT64_MAX - 1, UINT64_MAX) == 99,
	      "no overflow: %d", cli_progress_percent(UINT64_MAX - 1, UINT64_MAX));
	CHECK(cli_progress_percent(UINT64_MAX / 2, UINT64_MAX) == 49, "half of 2^64");

	/* a quarter in 10 s: 30 s left */
	CHECK(cli_progress_eta(25, 100, 10 * S, &left) && left == 30 * S,
	      "left %llu", (unsigned long long)left);
	CHECK(cli_progress_eta(100, 100, 10 * S, &left) && left == 0, "done: 0 left");
	left = 7;
	CHECK(!cli_progress_eta(0, 100, 10 * S, &left) && left == 7, "nothing done yet");
	CHECK(!cli_progress_eta(10, 100, 0, &left), "no time gone");
	CHECK(!cli_progress_eta(10, 0, S, &left), "no total");
	CHECK(!cli_progress_eta(101, 100, S, &left), "more than the total");
	/* 1 byte of 2^64 in an hour: saturates, does not wrap */
	CHECK(cli_progress_eta(1, UINT64_MAX, 3600 * S, &left) && left == UINT64_MAX,
	      "saturated: %llu", (unsigned long long)left);
	/* 1 TiB at 1 GiB/s: 1023 s left after 1 s */
	CHECK(cli_progress_eta(1ULL << 30, 1ULL << 40, S, &left) && left == 1023 * S,
	      "TiB: %llu", (unsigned long long)left);
}

static void text(void)
{
	char b[160];
	static const struct { uint64_t v; const char *s; } bytes[] = {
		{ 0, "0 B" }, { 1, "1 B" }, { 1023, "1023 B" },
		{ 1024, "1.00 KiB" }, { 1536, "1.50 KiB" },
		{ 10 * 1024 - 1, "10.0 KiB" },	/* 9.999: no "10.00" */
		{ 100 * 1024 - 1, "100 KiB" },	/* 99.999: no "100.0" */
		{ 1048575, "1.00 MiB" },	/* 1023.999 KiB: no "1024 KiB" */
		{ 20 << 20, "20.0 MiB" }, { 1ULL << 30, "1.00 GiB" },
		{ 123ULL << 30, "123 GiB" }, { 1280ULL << 30, "1.25 TiB" },
		{ UINT64_MAX, "16.0 EiB" },
	};
	static const struct { uint64_t ns; const char *s; } durs[] = {
		{ 0, "0s" }, { S - 1, "0s" }, { 59 * S, "59s" }, { 60 * S, "1m00s" },
		{ 65 * S, "1m05s" }, { 3599 * S, "59m59s" }, { 3600 * S, "1h00m" },
		{ 360000 * S, "100h00m" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(bytes) / sizeof(bytes[0]); i++) {
		cli_progress_bytes(b, sizeof(b), bytes[i].v);
		CHECK_STR(b, bytes[i].s);
	}
	for (i = 0; i < sizeof(durs) / sizeof(durs[0]); i++) {
		cli_progress_duration(b, sizeof(b), durs[i].ns);
		CHECK_STR(b, durs[i].s);
	}

	/* done unknown: the time only */
	cli_progress_format(b, sizeof(b), "query: 1.00 GiB in the drive", false,
			    0, 0, 12 * S, 80);
	CHECK_STR(b, "query: 1.00 GiB in the drive, 12s");
	/* no total: bytes, then a rate after the first second */
	cli_progress_format(b, sizeof(b), "load", true, 20 << 20, 0, S / 2, 80);
	CHECK_STR(b, "load: 20.0 MiB, 0s");
	cli_progress_format(b, sizeof(b), "load", true, 20 << 20, 0, 5 * S, 80);
	CHECK_STR(b, "load: 20.0 MiB, 4.00 MiB/s, 5s");
	/* a total: percent, then rate and time left */
	cli_progress_format(b, sizeof(b), "scan", true, 512 << 20, 1ULL << 30,
			    S / 2, 80);
	CHECK_STR(b, "scan: 512 MiB of 1.00 GiB (50%), 0s");
	cli_progress_format(b, sizeof(b), "scan", true, 512 << 20, 1ULL << 30,
			    4 * S, 80);
	CHECK_STR(b, "scan: 512 MiB of 1.00 GiB (50%), 128 MiB/s, 4s left");
	cli_progress_format(b, sizeof(b), "scan", true, 0, 1ULL << 30, 4 * S, 80);
	CHECK_STR(b, "scan: 0 B of 1.00 GiB (0%), 4s");
	/* cut to width - 1 columns: the cursor never reaches the last one */
	cli_progress_format(b, sizeof(b), "scan", true, 512 << 20, 1ULL << 30,
			    4 * S, 20);
	CHECK_STR(b, "scan: 512 MiB of 1.");
	CHECK(strlen(b) == 19, "%zu columns", strlen(b));
	cli_progress_format(b, 10, "a long name", false, 0, 0, 0, 80);
	CHECK_STR(b, "a long na");
}

/* Send stderr to a new temporary file; NULL if that failed. */
static FILE *stderr_to_file(int *saved)
{
	FILE *f = tmpfile();

	*saved = dup(STDERR_FILENO);
	if (!f || *saved < 0) {
		if (f)
			fclose(f);
		if (*saved >= 0)
			close(*saved);
		return NULL;
	}
	fflush(stderr);
	dup2(fileno(f), STDERR_FILENO);
	return f;
}

/* Put stderr back; what went to @f into @got (NUL-terminated), its length */
static size_t stderr_back(FILE *f, int saved, char *got, size_t size)
{
	size_t n;

	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(f);
	n = fread(got, 1, size - 1, f);
	got[n] = '\0';
	fclose(f);
	return n;
}

/* What start and end write to stderr with @mode, delay 0, "WHAT" */
static void drawn(enum cli_progress_mode mode, bool wait, const char *want,
		  const char *what)
{
	char got[256];
	struct cli_progress p;
	int saved;
	FILE *f = stderr_to_file(&saved);

	if (!f) {
		CHECK(0, "tmpfile/dup");
		return;
	}
	cli_progress_mode = mode;
	setenv("URINGBLK_PROGRESS_DELAY_MS", "0", 1);
	cli_progress_start(&p, "WHAT", 0);
	if (wait)
		cli_progress_wait(&p);
	cli_progress_end(&p);
	cli_progress_end(&p);	/* a second end writes nothing */
	stderr_back(f, saved, got, sizeof(got));
	CHECK(!strcmp(got, want), "%s: got '%s'", what, got);
}

static void drawing(void)
{
	/* stderr is a file here: AUTO draws nothing, ALWAYS does */
	drawn(CLI_PROGRESS_AUTO, false, "", "auto, not a terminal");
	drawn(CLI_PROGRESS_NEVER, true, "", "never");
	drawn(CLI_PROGRESS_ALWAYS, false, "\rWHAT, 0s\033[K\r\033[K",
	      "always: the line, then erased");
	/*
	 * With the ticker: the first line drawn at the start, and the end
	 * erases whatever the ticker drew last.  The ticker draws only after
	 * an interval (0.5 s), which a loaded host may or may not reach
	 * here: only the start and the end are checked.
	 */
	{
		char got[4096];
		struct cli_progress p;
		int saved;
		FILE *f = stderr_to_file(&saved);
		size_t n;

		CHECK(f, "tmpfile/dup");
		if (!f)
			return;
		cli_progress_mode = CLI_PROGRESS_ALWAYS;
		cli_progress_start(&p, "WHAT", 0);
		cli_progress_wait(&p);
		cli_progress_end(&p);
		n = stderr_back(f, saved, got, sizeof(got));
		CHECK(!strncmp(got, "\rWHAT, 0s\033[K", 12), "ticker start: '%s'", got);
		CHECK(n >= 4 && !strcmp(got + n - 4, "\r\033[K"), "ticker end: '%s'", got);
	}
	/* a total: the first line is 0 of it */
	{
		char got[256];
		struct cli_progress p;
		int saved;
		FILE *f = stderr_to_file(&saved);

		CHECK(f, "tmpfile/dup");
		if (!f)
			return;
		cli_progress_mode = CLI_PROGRESS_ALWAYS;
		cli_progress_start(&p, "W", 1000);
		cli_progress_end(&p);
		stderr_back(f, saved, got, sizeof(got));
		CHECK_STR(got, "\rW: 0 B of 1000 B (0%), 0s\033[K\r\033[K");
	}
	unsetenv("URINGBLK_PROGRESS_DELAY_MS");
}

int main(void)
{
	modes();
	rate_limit();
	maths();
	text();
	drawing();
	printf("tools/progress: %d checks passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
