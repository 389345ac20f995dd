#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexer.h"
#include "util.h"

void
lex_cmd_free(struct lex_cmd *c)
{
	for (int i = 0; i < c->argc; i++)
		free(c->argv[i]);
	free(c->argv);
	c->argv = NULL;
	c->argc = 0;
}

void
lex_free(struct lex_result *res)
{
	for (int i = 0; i < res->ncmds; i++)
		lex_cmd_free(&res->cmds[i]);
	free(res->cmds);
	res->cmds = NULL;
	res->ncmds = 0;
}

static void
push_word(struct lex_cmd *c, struct buf *w)
{
	c->argv = xrealloc(c->argv, sizeof(char *) * (size_t)(c->argc + 2));
	c->argv[c->argc++] = buf_steal(w);
	c->argv[c->argc] = NULL;
}

static void
push_cmd(struct lex_result *res, struct lex_cmd *c)
{
	if (c->argc == 0)
		return;
	res->cmds = xrealloc(res->cmds, sizeof(*res->cmds) * (size_t)(res->ncmds + 1));
	res->cmds[res->ncmds++] = *c;
	c->argc = 0;
	c->argv = NULL;
}

/* Blanks and the end of the line: what must follow a ';' that ends a command. */
static int
ends_word(char c)
{
	return c == '\0' || c == '\n' || c == '\r' || c == ' ' || c == '\t';
}

/*
 * The scanner shared by lex_line and lex_partial. With partial set, an open
 * quote or trailing backslash ends the scan instead of failing, and a
 * separating ';' drops the words before it (completion wants the last
 * command only). A ';' separates only when a blank or the end of the line
 * follows it; elsewhere (a=1;b=2, participant;127.0.0.1:2181) it is data.
 * In a partial line a ';' right at the cursor is still data: what follows it
 * has not been typed yet.
 */
static int
scan(const char *p, struct lex_result *res, int partial, int *new_word)
{
	struct lex_cmd cur = {0, NULL};
	struct buf w;
	int in_word = 0;

	buf_init(&w);
	for (;;) {
		char c = *p;

		int sep = c == ';' && ends_word(p[1]) && !(partial && p[1] == '\0');

		if (ends_word(c) || sep) {
			if (in_word) {
				push_word(&cur, &w);
				in_word = 0;
			}
			if (sep || c == '\0') {
				if (partial && sep)
					lex_cmd_free(&cur);
				else
					push_cmd(res, &cur);
			}
			if (c == '\0')
				break;
			p++;
			continue;
		}
		if (c == '#' && !in_word) {
			while (*p != '\0' && *p != '\n')
				p++;
			continue;
		}
		in_word = 1;
		if (c == '\\') {
			if (p[1] == '\0') {
				if (partial) {
					p++; /* the end of the line ends the word */
					continue;
				}
				snprintf(res->err, sizeof(res->err), "trailing backslash");
				goto fail;
			}
			buf_addc(&w, p[1]);
			p += 2;
			continue;
		}
		if (c == '\'' || c == '"') {
			char q = c;
			p++;
			while (*p != '\0' && *p != q) {
				/* inside "", a backslash escapes only \ and " */
				if (q == '"' && *p == '\\' && (p[1] == '"' || p[1] == '\\'))
					p++;
				buf_addc(&w, *p++);
			}
			if (*p == '\0') {
				if (partial) {
					push_word(&cur, &w);
					in_word = 0;
					if (new_word)
						*new_word = 0;
					push_cmd(res, &cur);
					buf_free(&w);
					return 0;
				}
				snprintf(res->err, sizeof(res->err), "unbalanced %s quote",
					 q == '"' ? "double" : "single");
				goto fail;
			}
			/* an empty "" still makes a word */
			if (w.data == NULL)
				buf_add(&w, "", 0);
			p++;
			continue;
		}
		buf_addc(&w, c);
		p++;
	}
	buf_free(&w);
	return 0;
fail:
	buf_free(&w);
	lex_cmd_free(&cur);
	lex_free(res);
	return -1;
}

int
lex_line(const char *line, struct lex_result *res)
{
	memset(res, 0, sizeof(*res));
	return scan(line, res, 0, NULL);
}

int
lex_partial(const char *line, struct lex_cmd *out, int *new_word)
{
	struct lex_result res;
	size_t n = strlen(line);

	memset(&res, 0, sizeof(res));
	*new_word = n == 0 || line[n - 1] == ' ' || line[n - 1] == '\t';
	scan(line, &res, 1, new_word);
	out->argc = 0;
	out->argv = NULL;
	if (res.ncmds > 0) {
		*out = res.cmds[res.ncmds - 1];
		res.cmds[res.ncmds - 1].argc = 0;
		res.cmds[res.ncmds - 1].argv = NULL;
	}
	lex_free(&res);
	return 0;
}
