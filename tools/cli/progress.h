/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * Progress lines for the CLI's long operations: one line on stderr,
 * redrawn in place ("\r" and erase to the end of the line), only when it
 * is wanted (a terminal, or --progress), never on stdout, and erased
 * before the command prints its result or an error.
 *
 * The maths and the text are pure functions (tests/tools/progress.c tests
 * them); struct cli_progress draws them, from the caller's updates or,
 * for one long library call that reports nothing until it returns, from
 * a thread that redraws the elapsed time.
 */
#ifndef URINGBLK_CLI_PROGRESS_H
#define URINGBLK_CLI_PROGRESS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Whether to draw: from --progress / --no-progress or $URINGBLK_PROGRESS */
enum cli_progress_mode {
	CLI_PROGRESS_AUTO,	/* when stderr is a terminal (not TERM=dumb) */
	CLI_PROGRESS_ALWAYS,	/* also into a pipe or a file */
	CLI_PROGRESS_NEVER,
};

/* Set by main() before the command runs; AUTO by default. */
extern enum cli_progress_mode cli_progress_mode;

/* Redraw at most every this often */
#define CLI_PROGRESS_INTERVAL_NS	500000000ULL
/* Nothing for operations shorter than this ($URINGBLK_PROGRESS_DELAY_MS) */
#define CLI_PROGRESS_DELAY_NS		1000000000ULL

/*
 * "auto", "always" or "1", "never" or "0" into *@mode: 0, or -EINVAL for
 * anything else (NULL and "" are AUTO).
 */
int cli_progress_parse_mode(const char *s, enum cli_progress_mode *mode);

/*
 * Draw at all?  @tty: stderr is a terminal; @term: $TERM (a "dumb"
 * terminal cannot erase a line).
 */
bool cli_progress_wanted(enum cli_progress_mode mode, bool tty,
			 const char *term);

/*
 * Is a line due at @now?  The first one @delay after @start, then one
 * every @interval after the last drawn at @last (0: none yet).  All in ns.
 */
bool cli_progress_due(uint64_t start, uint64_t last, uint64_t now,
		      uint64_t delay, uint64_t interval);

/* Whole percent of @done in @total, rounded down; -1 if @total is 0. */
int cli_progress_percent(uint64_t done, uint64_t total);

/*
 * Time left at the average rate so far, in ns, into *@left: false when it
 * cannot be known yet (nothing done, no time gone, no total, or more done
 * than the total).
 */
bool cli_progress_eta(uint64_t done, uint64_t total, uint64_t elapsed,
		      uint64_t *left);

/* "512 B", "1.50 KiB", "20.0 MiB", "1.00 GiB", "123 GiB", "1.25 TiB": three
 * digits, binary units */
void cli_progress_bytes(char *buf, size_t len, uint64_t bytes);

/* "0s", "59s", "1m05s", "59m59s", "1h00m", "100h00m" */
void cli_progress_duration(char *buf, size_t len, uint64_t ns);

/*
 * The line, cut to @width - 1 columns (the cursor must not reach the last
 * one, or the terminal wraps and the next "\r" misses the line):
 *   done unknown (@known false):  "WHAT, 12s"
 *   no total:                     "WHAT: 20.0 MiB, 4.0 MiB/s, 5s"
 *   else:   "WHAT: 512 MiB of 1.00 GiB (50%), 120 MiB/s, 4s left"
 * The rate and the time left appear once they can be known.
 */
void cli_progress_format(char *buf, size_t len, const char *what,
			 bool known, uint64_t done, uint64_t total,
			 uint64_t elapsed, unsigned int width);

/* One progress line and its state; zero-initialise, then start it. */
struct cli_progress {
	bool		on;		/* drawing at all */
	bool		drawn;		/* a line is on the screen */
	bool		known;		/* @done is given (not just time) */
	char		what[128];
	uint64_t	done, total;
	uint64_t	start, last;	/* CLOCK_MONOTONIC ns */
	uint64_t	delay;
	/* the ticker thread of cli_progress_wait() */
	bool		ticking, stop;
	pthread_t	thread;
	pthread_mutex_t	lock;		/* protects all of the above */
	pthread_cond_t	cond;
};

/*
 * Begin an operation named @what (a short phrase: "query in the drive over
 * 1.00 GiB") of @total bytes (0: unknown).  Decides whether to draw from
 * cli_progress_mode and stderr; with a delay of 0 the first line is drawn
 * here, before the operation starts.
 */
void cli_progress_start(struct cli_progress *p, const char *what,
			uint64_t total);

/* @done bytes of the total so far: redrawn if a line is due */
void cli_progress_update(struct cli_progress *p, uint64_t done);

/*
 * Before one long call that reports nothing until it returns: a thread
 * redraws "WHAT, 12s" until cli_progress_end().  Without a thread (it
 * could not be made), the call just runs without a line.
 */
void cli_progress_wait(struct cli_progress *p);

/* Stop the ticker and erase the line: before printing anything else. */
void cli_progress_end(struct cli_progress *p);

#endif /* URINGBLK_CLI_PROGRESS_H */
