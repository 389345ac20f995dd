/*
 * Tables, the record of rows with named columns (render.h). On a terminal
 * the columns are aligned and cut to fit its width; piped, a row is a line of
 * tab-separated cells, what cut(1) and awk(1) want. JSON gets objects.
 *
 * Aligned text is decided on a sample: the first TABLE_SAMPLE rows are held
 * to measure the columns, then printed, and later rows go out at once with
 * those widths, so a table of a million du rows costs the sample's memory.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "render.h"
#include "shell.h"
#include "util.h"

struct table {
	struct shell *sh;
	const char *key;
	const struct table_col *cols;
	int n, flags;
	int json;
	int aligned; /* else tab-separated */
	int fit;     /* cut to the terminal's width */
	int *w;	     /* aligned: the widths, once decided */
	int decided;
	char **held; /* the sample: nheld rows of n cells */
	int nheld;
	struct buf line;
};

int
table_width(void)
{
	const char *c = getenv("COLUMNS");
	struct winsize ws;
	long long n;

	if (c != NULL && parse_long(c, &n) == 0 && n > 0 && n < 100000)
		return (int)n;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

void
table_fit(int *w, const int *minw, int ncols, int width)
{
	for (;;) {
		int total = ncols > 0 ? ncols - 1 : 0, widest = -1;

		for (int i = 0; i < ncols; i++)
			total += w[i];
		if (total <= width)
			return;
		for (int i = 0; i < ncols; i++) {
			int floor = minw[i] > 4 ? minw[i] : 4;
			if (w[i] > floor && (widest < 0 || w[i] > w[widest]))
				widest = i;
		}
		if (widest < 0)
			return; /* as narrow as it goes: the terminal wraps */
		w[widest]--;
	}
}

struct table *
table_begin(struct shell *sh, const char *key, const struct table_col *cols, int ncols, int flags)
{
	struct table *t = xcalloc(1, sizeof(*t));

	t->sh = sh;
	t->key = key;
	t->cols = cols;
	t->n = ncols;
	t->flags = flags;
	t->json = shell_json(sh);
	t->fit = isatty(STDOUT_FILENO);
	t->aligned = t->fit || (flags & TABLE_ALIGNED);
	t->w = xcalloc((size_t)ncols, sizeof(int));
	t->held = xcalloc((size_t)TABLE_SAMPLE * (size_t)ncols, sizeof(char *));
	buf_init(&t->line);
	return t;
}

static cJSON *
row_json(const struct table *t, const char *const *cells)
{
	cJSON *o = cJSON_CreateObject();

	for (int i = 0; i < t->n; i++) {
		const char *c = cells[i] != NULL ? cells[i] : "";
		long long v;

		if (t->cols[i].type != COL_NUM)
			cJSON_AddStringToObject(o, t->cols[i].name, c);
		else if (parse_long(c, &v) == 0)
			cJSON_AddNumberToObject(o, t->cols[i].name, (double)v);
		else
			cJSON_AddNullToObject(o, t->cols[i].name);
	}
	return o;
}

static void
put_line(struct table *t)
{
	render_text(t->sh, "%s\n", t->line.data);
	buf_reset(&t->line);
}

/* One cell in width w: cut with "..." when longer, padded unless last. */
static void
add_cell(struct table *t, int i, const char *c)
{
	int w = t->w[i], len = (int)strlen(c), last = i == t->n - 1;

	if (i > 0)
		buf_addc(&t->line, ' ');
	if (t->fit && len > w) {
		buf_add(&t->line, c, (size_t)(w > 3 ? w - 3 : w));
		if (w > 3)
			buf_adds(&t->line, "...");
		return;
	}
	if (t->cols[i].type == COL_NUM)
		for (int k = len; k < w; k++)
			buf_addc(&t->line, ' ');
	buf_adds(&t->line, c);
	if (t->cols[i].type != COL_NUM && !last)
		for (int k = len; k < w; k++)
			buf_addc(&t->line, ' ');
}

static void
print_row(struct table *t, const char *const *cells)
{
	for (int i = 0; i < t->n; i++) {
		const char *c = cells[i] != NULL ? cells[i] : "";
		if (!t->aligned) {
			if (i > 0)
				buf_addc(&t->line, '\t');
			buf_adds(&t->line, c);
		} else {
			add_cell(t, i, c);
		}
	}
	put_line(t);
}

static const char *
title_of(const struct table_col *c)
{
	return c->title != NULL ? c->title : c->name;
}

/* Measure the sample, print the header and the sample. */
static void
decide(struct table *t)
{
	int *minw = xcalloc((size_t)t->n, sizeof(int));

	t->decided = 1;
	for (int i = 0; i < t->n; i++) {
		t->w[i] = t->cols[i].min_width;
		if (t->flags & TABLE_HEADER && (int)strlen(title_of(&t->cols[i])) > t->w[i])
			t->w[i] = (int)strlen(title_of(&t->cols[i]));
		minw[i] = t->w[i];
		for (int r = 0; r < t->nheld; r++) {
			const char *c = t->held[r * t->n + i];
			if (c != NULL && (int)strlen(c) > t->w[i])
				t->w[i] = (int)strlen(c);
		}
	}
	if (t->fit)
		table_fit(t->w, minw, t->n, table_width());
	free(minw);
	if (t->flags & TABLE_HEADER) {
		const char **titles = xcalloc((size_t)t->n, sizeof(char *));
		for (int i = 0; i < t->n; i++)
			titles[i] = title_of(&t->cols[i]);
		print_row(t, titles);
		free(titles);
	}
	for (int r = 0; r < t->nheld; r++) {
		print_row(t, (const char *const *)&t->held[r * t->n]);
		for (int i = 0; i < t->n; i++)
			free(t->held[r * t->n + i]);
	}
	t->nheld = 0;
}

void
table_row(struct table *t, const char *const *cells, cJSON *json)
{
	if (t->json) {
		cJSON *o = json != NULL ? json : row_json(t, cells);
		if (t->flags & TABLE_STREAM)
			render_stream(t->sh, o, NULL);
		else
			render_item(t->sh, t->key, o, NULL);
		return;
	}
	cJSON_Delete(json);
	if (!t->aligned || t->decided) {
		print_row(t, cells);
		return;
	}
	for (int i = 0; i < t->n; i++)
		t->held[t->nheld * t->n + i] = xstrdup(cells[i] != NULL ? cells[i] : "");
	if (++t->nheld == TABLE_SAMPLE)
		decide(t);
}

void
table_text_row(struct table *t, const char *const *cells)
{
	if (!t->json)
		table_row(t, cells, NULL);
}

void
table_end(struct table *t)
{
	if (t == NULL)
		return;
	if (!t->json && t->aligned && !t->decided)
		decide(t);
	/* a JSON table with no rows still has its (empty) array */
	if (t->json && !(t->flags & TABLE_STREAM) && t->sh->result != NULL &&
	    !cJSON_HasObjectItem(t->sh->result, t->key))
		cJSON_AddArrayToObject(t->sh->result, t->key);
	free(t->w);
	free(t->held);
	buf_free(&t->line);
	free(t);
}
