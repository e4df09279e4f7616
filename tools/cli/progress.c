// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Progress lines on stderr for the CLI's long operations (progress.h):
 * the maths and the text, then the drawing and the ticker thread.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "progress.h"

enum cli_progress_mode cli_progress_mode = CLI_PROGRESS_AUTO;

int cli_progress_parse_mode(const char *s, enum cli_progress_mode *mode)
{
	if (!s || !*s || !strcmp(s, "auto"))
		*mode = CLI_PROGRESS_AUTO;
	else if (!strcmp(s, "always") || !strcmp(s, "1"))
		*mode = CLI_PROGRESS_ALWAYS;
	else if (!strcmp(s, "never") || !strcmp(s, "0"))
		*mode = CLI_PROGRESS_NEVER;
	else
		return -EINVAL;
	return 0;
}

bool cli_progress_wanted(enum cli_progress_mode mode, bool tty,
			 const char *term)
{
	if (mode != CLI_PROGRESS_AUTO)
		return mode == CLI_PROGRESS_ALWAYS;
	return tty && !(term && !strcmp(term, "dumb"));
}

bool cli_progress_due(uint64_t start, uint64_t last, uint64_t now,
		      uint64_t delay, uint64_t interval)
{
	if (!last)
		return now >= start && now - start >= delay;
	return now >= last && now - last >= interval;
}

int cli_progress_percent(uint64_t done, uint64_t total)
{
	if (!total)
		return -1;
	if (done >= total)
		return 100;
	return (int)((unsigned __int128)done * 100 / total);
}

bool cli_progress_eta(uint64_t done, uint64_t total, uint64_t elapsed,
		      uint64_t *left)
{
	unsigned __int128 l;

	if (!done || !elapsed || !total || done > total)
		return false;
	/* the rest at the average rate so far: elapsed * rest / done */
	l = (unsigned __int128)elapsed * (total - done) / done;
	*left = l > UINT64_MAX ? UINT64_MAX : (uint64_t)l;
	return true;
}

void cli_progress_bytes(char *buf, size_t len, uint64_t bytes)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB",
					     "PiB", "EiB" };
	double v = (double)bytes;
	unsigned int u = 0;

	if (bytes < 1024) {
		snprintf(buf, len, "%" PRIu64 " B", bytes);
		return;
	}
	v /= 1024;
	while (v >= 1023.5 && u + 1 < sizeof(unit) / sizeof(unit[0])) {
		v /= 1024;
		u++;
	}
	/* three digits: 1.50, 20.0, 123; the rounding may not add a fourth */
	if (v < 9.995)
		snprintf(buf, len, "%.2f %s", v, unit[u]);
	else if (v < 99.95)
		snprintf(buf, len, "%.1f %s", v, unit[u]);
	else
		snprintf(buf, len, "%.0f %s", v, unit[u]);
}

void cli_progress_duration(char *buf, size_t len, uint64_t ns)
{
	uint64_t s = ns / 1000000000ULL;

	if (s < 60)
		snprintf(buf, len, "%" PRIu64 "s", s);
	else if (s < 3600)
		snprintf(buf, len, "%" PRIu64 "m%02" PRIu64 "s", s / 60, s % 60);
	else
		snprintf(buf, len, "%" PRIu64 "h%02" PRIu64 "m", s / 3600,
			 s / 60 % 60);
}

void cli_progress_format(char *buf, size_t len, const char *what,
			 bool known, uint64_t done, uint64_t total,
			 uint64_t elapsed, unsigned int width)
{
	char d[32], t[32], r[32], e[32];
	uint64_t left, rate = 0;
	size_t n;

	if (!len)
		return;
	cli_progress_duration(e, sizeof(e), elapsed);
	if (!known) {
		snprintf(buf, len, "%s, %s", what, e);
	} else {
		cli_progress_bytes(d, sizeof(d), done);
		/* a rate only after a second: the first ones are noise */
		if (elapsed >= 1000000000ULL) {
			rate = (uint64_t)((unsigned __int128)done * 1000000000ULL /
					  elapsed);
			cli_progress_bytes(r, sizeof(r), rate);
		}
		if (!total) {
			if (rate)
				snprintf(buf, len, "%s: %s, %s/s, %s", what, d,
					 r, e);
			else
				snprintf(buf, len, "%s: %s, %s", what, d, e);
		} else {
			int pc = cli_progress_percent(done, total);

			cli_progress_bytes(t, sizeof(t), total);
			if (rate && cli_progress_eta(done, total, elapsed, &left)) {
				cli_progress_duration(e, sizeof(e), left);
				snprintf(buf, len, "%s: %s of %s (%d%%), %s/s, %s left",
					 what, d, t, pc, r, e);
			} else {
				snprintf(buf, len, "%s: %s of %s (%d%%), %s",
					 what, d, t, pc, e);
			}
		}
	}
	n = strlen(buf);
	if (width > 1 && n > width - 1)
		buf[width - 1] = '\0';
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* stderr's columns, 80 if it does not say */
static unsigned int term_width(void)
{
	struct winsize ws;

	if (!ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) && ws.ws_col >= 20)
		return ws.ws_col;
	return 80;
}

/* Draw the line now.  Under p->lock (or before the ticker exists). */
static void draw(struct cli_progress *p, uint64_t now)
{
	char line[256];

	cli_progress_format(line, sizeof(line), p->what, p->known, p->done,
			    p->total, now - p->start, term_width());
	/* one write: the line, then erase what a longer one left */
	fprintf(stderr, "\r%s\033[K", line);
	fflush(stderr);
	p->drawn = true;
	p->last = now ? now : 1;
}

void cli_progress_start(struct cli_progress *p, const char *what,
			uint64_t total)
{
	const char *d = getenv("URINGBLK_PROGRESS_DELAY_MS");

	memset(p, 0, sizeof(*p));
	p->on = cli_progress_wanted(cli_progress_mode,
				    isatty(STDERR_FILENO), getenv("TERM"));
	if (!p->on)
		return;
	snprintf(p->what, sizeof(p->what), "%s", what);
	p->total = total;
	p->known = total != 0;	/* 0 of it so far */
	p->delay = CLI_PROGRESS_DELAY_NS;
	if (d && *d) {
		char *end;
		unsigned long long ms = strtoull(d, &end, 10);

		if (!*end && ms < UINT64_MAX / 1000000ULL)
			p->delay = ms * 1000000ULL;
	}
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	p->start = now_ns();
	if (!p->delay)
		draw(p, p->start);
}

void cli_progress_update(struct cli_progress *p, uint64_t done)
{
	uint64_t now;

	if (!p->on)
		return;
	pthread_mutex_lock(&p->lock);
	p->known = true;
	p->done = done;
	now = now_ns();
	if (cli_progress_due(p->start, p->last, now, p->delay,
			     CLI_PROGRESS_INTERVAL_NS))
		draw(p, now);
	pthread_mutex_unlock(&p->lock);
}

static void *ticker(void *arg)
{
	struct cli_progress *p = arg;

	pthread_mutex_lock(&p->lock);
	while (!p->stop) {
		uint64_t now = now_ns(), next;
		struct timespec ts;

		if (cli_progress_due(p->start, p->last, now, p->delay,
				     CLI_PROGRESS_INTERVAL_NS)) {
			draw(p, now);
			now = p->last;
		}
		next = p->last ? p->last + CLI_PROGRESS_INTERVAL_NS :
				 p->start + p->delay;
		if (next < now)
			next = now;
		/* the condvar's clock is CLOCK_REALTIME: wait relative to it */
		clock_gettime(CLOCK_REALTIME, &ts);
		next -= now;
		ts.tv_sec += (time_t)(next / 1000000000ULL);
		ts.tv_nsec += (long)(next % 1000000000ULL);
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&p->cond, &p->lock, &ts);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

void cli_progress_wait(struct cli_progress *p)
{
	if (!p->on || p->ticking)
		return;
	if (!pthread_create(&p->thread, NULL, ticker, p))
		p->ticking = true;
}

void cli_progress_end(struct cli_progress *p)
{
	if (!p->on)
		return;
	if (p->ticking) {
		pthread_mutex_lock(&p->lock);
		p->stop = true;
		pthread_cond_signal(&p->cond);
		pthread_mutex_unlock(&p->lock);
		pthread_join(p->thread, NULL);
		p->ticking = false;
	}
	if (p->drawn) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		p->drawn = false;
	}
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->cond);
	p->on = false;
}
