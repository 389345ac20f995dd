/*
 * The progress line (progress.h). It is drawn under out_lock, so that it
 * never lands in the middle of a line another thread is writing.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "progress.h"
#include "render.h"
#include "shell.h"
#include "util.h"

#define PROGRESS_DELAY_MS  1000 /* nothing for a command that ends sooner */
#define PROGRESS_REDRAW_MS 250
#define PROGRESS_LINE_MS   1000

void
progress_start(struct progress *p, struct shell *sh, const char *what, int streams)
{
	int tty = isatty(STDERR_FILENO);

	memset(p, 0, sizeof(*p));
	p->what = what;
	p->total = -1;
	p->start = p->last = now_ms();
	if (sh->progress < 0)
		p->mode = PROGRESS_OFF;
	else if (sh->progress > 0)
		p->mode = tty ? PROGRESS_REDRAW : PROGRESS_LINES;
	else
		/*
		 * The REPL and batch mode alike: a terminal on stderr is someone
		 * watching. Not when the results stream to that terminal too: the
		 * line would be drawn between them.
		 */
		p->mode = tty && !sh->quiet && !(streams && isatty(STDOUT_FILENO)) ? PROGRESS_REDRAW
										   : PROGRESS_OFF;
}

void
progress_total(struct progress *p, long long total)
{
	p->total = total;
}

static void
draw(struct progress *p, long long now, int last)
{
	long long ms = now - p->start;
	long long rate = ms > 0 ? (long long)p->nodes * 1000 / ms : 0;
	char count[64];

	if (p->total >= 0)
		snprintf(count, sizeof(count), "%ld/%lld nodes (%lld%%)", p->nodes, p->total,
			 p->total > 0 ? (long long)p->nodes * 100 / p->total : 100);
	else
		snprintf(count, sizeof(count), "%ld nodes", p->nodes);
	out_lock();
	fprintf(stderr, "%s%s: %s, %lld nodes/s, %.1f s%s%s",
		p->mode == PROGRESS_REDRAW ? "\r" : "", p->what, count, rate, (double)ms / 1000.0,
		last ? ", done" : "", p->mode == PROGRESS_REDRAW ? "\033[K" : "\n");
	fflush(stderr);
	out_unlock();
	p->shown = 1;
}

static void
maybe_draw(struct progress *p)
{
	long long now;

	if (p->mode == PROGRESS_OFF)
		return;
	now = now_ms();
	if (p->mode == PROGRESS_REDRAW &&
	    (now - p->start < PROGRESS_DELAY_MS || now - p->last < PROGRESS_REDRAW_MS))
		return;
	if (p->mode == PROGRESS_LINES && now - p->last < PROGRESS_LINE_MS)
		return;
	p->last = now;
	draw(p, now, 0);
}

void
progress_tick(struct progress *p)
{
	p->nodes++;
	if ((p->nodes & 63) == 0) /* the clock, not every node */
		maybe_draw(p);
}

void
progress_set(struct progress *p, long n)
{
	long before = p->nodes;

	p->nodes = n;
	if ((before >> 6) != (n >> 6))
		maybe_draw(p);
}

void
progress_end(struct progress *p)
{
	if (p->mode == PROGRESS_LINES) {
		draw(p, now_ms(), 1);
	} else if (p->shown) {
		out_lock();
		fputs("\r\033[K", stderr);
		fflush(stderr);
		out_unlock();
	}
	p->shown = 0;
	p->mode = PROGRESS_OFF;
}
