#include "config.h"

#include <errno.h>
#include <histedit.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "ui/complete.h"
#include "ui/edit.h"
#include "ui/history.h"
#include "render.h"
#include "zk/session.h"
#include "shell.h"
#include "util.h"

#define LIST_MAX 400 /* a longer completion listing only says how long it is */

struct editor {
	EditLine *el;
	struct shell *sh;
	struct hist *hist;
	struct completer *comp;
	struct edit_hooks hooks;
	int reading;   /* inside el_gets: the terminal shows prompt and line */
	int cancelled; /* Ctrl-C ended the line */
	int tty;       /* stdout is a terminal */
	int ansi;      /* and not a dumb one: cursor movements are safe */
	char mb[MB_LEN_MAX];
	size_t nmb;
	char prompt[ZKSH_PATH_MAX + 256];
};

static struct editor *
client(EditLine *el)
{
	void *p = NULL;

	el_get(el, EL_CLIENTDATA, &p);
	return p;
}

/* ---- where things are on the screen --------------------------------------- */

static int
term_cols(struct editor *ed)
{
	int cols = 0;

	if (el_get(ed->el, EL_GETTC, "co", &cols, NULL) != 0 || cols <= 0)
		return 80;
	return cols;
}

/* Column after drawing p..end from column col, the way libedit draws it. */
static int
text_width(const wchar_t *p, const wchar_t *end, int col)
{
	for (; p < end; p++) {
		int w;

		if (*p == L'\t')
			col = (col / 8 + 1) * 8;
		else if (*p < 0x20 || *p == 0x7f)
			col += 2; /* ^X */
		else
			col += (w = wcwidth(*p)) >= 0 ? w : 4; /* \ooo */
	}
	return col;
}

static int
str_width(const char *s)
{
	wchar_t wbuf[1024];
	size_t n = mbstowcs(wbuf, s, sizeof(wbuf) / sizeof(wbuf[0]) - 1);

	if (n == (size_t)-1)
		return (int)strlen(s);
	return text_width(wbuf, wbuf + n, 0);
}

/* The prompt's width on screen: what lies between '\1' pairs is invisible. */
static int
prompt_width(struct editor *ed)
{
	char visible[sizeof(ed->prompt)];
	size_t o = 0;
	int hidden = 0;

	for (const char *p = ed->prompt; *p != '\0'; p++) {
		if (*p == '\1')
			hidden = !hidden;
		else if (!hidden)
			visible[o++] = *p;
	}
	visible[o] = '\0';
	return str_width(visible);
}

/* Screen rows from the prompt's first row to the cursor, and to the end. */
static void
rows(struct editor *ed, int *cursor_row, int *end_row, int *end_col)
{
	const LineInfoW *li = el_wline(ed->el);
	int cols = term_cols(ed), pw = prompt_width(ed);
	int at = text_width(li->buffer, li->cursor, pw);
	int end = text_width(li->cursor, li->lastchar, at);

	*cursor_row = at / cols;
	*end_row = end / cols;
	*end_col = end % cols;
}

/* Cursor to the prompt's first column, and the prompt and line wiped. */
static void
clear_area(struct editor *ed)
{
	int crow, erow, ecol;

	rows(ed, &crow, &erow, &ecol);
	fputc('\r', stdout);
	if (crow > 0)
		printf("\033[%dA", crow);
	fputs("\033[J", stdout);
}

/* Cursor just after the last character of the line. */
static void
move_to_end(struct editor *ed)
{
	int crow, erow, ecol;

	rows(ed, &crow, &erow, &ecol);
	if (erow > crow)
		printf("\033[%dB", erow - crow);
	fputc('\r', stdout);
	if (ecol > 0)
		printf("\033[%dC", ecol);
}

/* ---- output while the user types -------------------------------------------- */

void
edit_above_begin(struct editor *ed)
{
	if (!ed->reading || !ed->tty)
		return;
	out_lock();
	/* a dumb terminal cannot wipe the line: leave it and start below */
	if (ed->ansi)
		clear_area(ed);
	else
		fputc('\n', stdout);
	fflush(stdout);
	out_unlock();
}

void
edit_above_end(struct editor *ed)
{
	out_lock();
	fflush(stdout);
	fflush(stderr);
	if (ed->reading && ed->tty)
		el_set(ed->el, EL_REFRESH);
	out_unlock();
}

void
edit_redraw(struct editor *ed, int resized)
{
	if (resized)
		el_resize(ed->el);
	if (!ed->reading || !ed->ansi)
		return;
	out_lock();
	clear_area(ed);
	el_set(ed->el, EL_REFRESH);
	out_unlock();
}

void
edit_prep_term(struct editor *ed, int raw)
{
	/* outside el_gets libedit has given the terminal back already */
	if (ed->reading)
		el_set(ed->el, EL_PREP_TERM, raw);
}

/* ---- reading keys ---------------------------------------------------------------- */

static void
cancel_line(struct editor *ed)
{
	ed->cancelled = 1;
	if (!ed->tty)
		return;
	out_lock();
	if (ed->ansi)
		move_to_end(ed);
	fputs("^C\n", stdout);
	fflush(stdout);
	out_unlock();
}

/* Sleep until a key is there, handling events and signals meanwhile. -1: cancelled. */
static int
wait_key(struct editor *ed)
{
	for (;;) {
		struct pollfd fds[3] = {
		    {STDIN_FILENO, POLLIN, 0},
		    {ed->hooks.sigfd, POLLIN, 0},
		    {session_event_fd(ed->sh->sess), POLLIN, 0}, /* -1: ignored by poll */
		};

		if (poll(fds, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (fds[1].revents != 0 && ed->hooks.signals(ed->hooks.arg)) {
			cancel_line(ed);
			errno = EINTR;
			return -1;
		}
		if (fds[2].revents != 0)
			ed->hooks.events(ed->hooks.arg);
		if (fds[0].revents != 0)
			return 0;
	}
}

/* libedit's EL_GETCFN: 1 with a character, 0 at end of input, -1 on error. */
static int
read_char(EditLine *el, wchar_t *wc)
{
	struct editor *ed = client(el);

	*wc = L'\0';
	for (;;) {
		mbstate_t st;
		ssize_t n;
		char c;

		if (wait_key(ed) < 0)
			return -1;
		n = read(STDIN_FILENO, &c, 1);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return (int)n;
		ed->mb[ed->nmb++] = c;
		memset(&st, 0, sizeof(st));
		switch (mbrtowc(wc, ed->mb, ed->nmb, &st)) {
		case (size_t)-2: /* more bytes to come */
			if (ed->nmb < sizeof(ed->mb))
				continue;
			ed->nmb = 0;
			continue;
		case (size_t)-1: /* not a character: dropped, as libedit does */
			ed->nmb = 0;
			continue;
		default:
			ed->nmb = 0;
			return 1;
		}
	}
}

static char *
prompt_fn(EditLine *el)
{
	struct editor *ed = client(el);

	ed->hooks.prompt(ed->hooks.arg, ed->prompt, sizeof(ed->prompt));
	return ed->prompt;
}

/* ---- completion -------------------------------------------------------------- */

/* The choices in columns below the line, then the prompt again. */
static void
show_list(struct editor *ed, const struct completion *c)
{
	int width = 0, cols = term_cols(ed), per, nrows;

	for (int i = 0; i < c->n; i++) {
		int w = str_width(c->cands[i]);
		width = w > width ? w : width;
	}
	width += 2;
	per = cols / width > 0 ? cols / width : 1;
	nrows = (c->n + per - 1) / per;
	out_lock();
	if (ed->ansi)
		move_to_end(ed);
	fputc('\n', stdout);
	if (c->n > LIST_MAX)
		printf("(%d choices: type more of the name)\n", c->n);
	for (int row = 0; row < nrows && c->n <= LIST_MAX; row++) {
		for (int col = 0; col < per; col++) {
			int i = col * nrows + row;
			if (i >= c->n)
				break;
			fputs(c->cands[i], stdout);
			if (col + 1 < per && i + nrows < c->n)
				printf("%*s", width - str_width(c->cands[i]), "");
		}
		fputc('\n', stdout);
	}
	fflush(stdout);
	el_set(ed->el, EL_REFRESH);
	out_unlock();
}

static unsigned char
complete_fn(EditLine *el, int ch)
{
	struct editor *ed = client(el);
	const LineInfo *li = el_line(el);
	char *before = xstrndup(li->buffer, (size_t)(li->cursor - li->buffer));
	struct completion c;
	unsigned char rv = CC_REFRESH;

	(void)ch;
	if (complete_line(ed->comp, ed->sh, ed->hist, before, &c) != 0) {
		free(before);
		return CC_REFRESH_BEEP;
	}
	if (c.insert[0] != '\0')
		el_insertstr(el, c.insert);
	else if (c.list && ed->tty) {
		show_list(ed, &c);
		rv = CC_NORM;
	}
	completion_free(&c);
	free(before);
	return rv;
}

/* ---- the editor --------------------------------------------------------------- */

static int
is_emacs(EditLine *el)
{
	const char *mode = NULL;

	return el_get(el, EL_EDITOR, &mode) == 0 && mode != NULL && strcmp(mode, "emacs") == 0;
}

struct editor *
edit_new(struct shell *sh, struct hist *hist, struct completer *comp,
	 const struct edit_hooks *hooks)
{
	struct editor *ed = xcalloc(1, sizeof(*ed));
	EditLine *el = el_init("zksh", stdin, stdout, stderr);

	if (el == NULL) {
		free(ed);
		return NULL;
	}
	ed->el = el;
	ed->sh = sh;
	ed->hist = hist;
	ed->comp = comp;
	ed->hooks = *hooks;
	ed->tty = isatty(STDOUT_FILENO);
	ed->ansi = ed->tty && getenv("TERM") != NULL && strcmp(getenv("TERM"), "dumb") != 0;
	el_set(el, EL_CLIENTDATA, ed);
	el_set(el, EL_EDITOR, "emacs");
	el_set(el, EL_PROMPT_ESC, prompt_fn, '\1');
	el_set(el, EL_HIST, history, hist_editline(hist));
	el_set(el, EL_GETCFN, read_char);
	/* the wide form: el_set's EL_ADDFN leaks its copies of the strings */
	el_wset(el, EL_ADDFN, L"zksh-complete", L"Complete a command, flag, znode path or host",
		complete_fn);
	el_set(el, EL_BIND, "^I", "zksh-complete", NULL);
	el_set(el, EL_BIND, "^R", "em-inc-search-prev", NULL);
	/* ~/.editrc, as libedit users expect ("bind -v" for vi mode) */
	el_source(el, NULL);
	/* switching to vi resets the key maps: Tab must complete there too */
	if (!is_emacs(el))
		el_set(el, EL_BIND, "^I", "zksh-complete", NULL);
	return ed;
}

void
edit_free(struct editor *ed)
{
	if (ed == NULL)
		return;
	el_end(ed->el);
	free(ed);
}

char *
edit_read(struct editor *ed, int *eof)
{
	const char *line;
	int count = 0;
	size_t n;

	*eof = 0;
	ed->cancelled = 0;
	ed->nmb = 0;
	ed->reading = 1;
	line = el_gets(ed->el, &count);
	ed->reading = 0;
	if (line == NULL) {
		*eof = !ed->cancelled;
		return NULL;
	}
	n = strlen(line);
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	return xstrndup(line, n);
}
