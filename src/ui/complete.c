#include "config.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <zookeeper/zookeeper.h>

#include "command.h"
#include "ui/complete.h"
#include "ui/history.h"
#include "lexer.h"
#include "zk/path.h"
#include "zk/session.h"
#include "shell.h"
#include "util.h"
#include "zk/znodecache.h"

/* ---- string lists --------------------------------------------------------- */

struct strv {
	char **v;
	int n, cap;
};

static void
strv_add(struct strv *s, const char *str)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 32;
		s->v = xrealloc(s->v, sizeof(char *) * (size_t)s->cap);
	}
	s->v[s->n++] = xstrdup(str);
}

static void
strv_free(struct strv *s)
{
	for (int i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

static void
strv_sort_unique(struct strv *s)
{
	int out = 0;

	if (s->n == 0)
		return;
	sort_strings(s->v, s->n);
	for (int i = 0; i < s->n; i++) {
		if (out > 0 && strcmp(s->v[out - 1], s->v[i]) == 0) {
			free(s->v[i]);
			continue;
		}
		s->v[out++] = s->v[i];
	}
	s->n = out;
}

static void
add_if_prefix(struct strv *s, const char *cand, const char *prefix)
{
	if (strncmp(cand, prefix, strlen(prefix)) == 0)
		strv_add(s, cand);
}

/* ---- the completer ------------------------------------------------------------- */

struct completer {
	struct zcache *cache;
};

struct completer *
completer_new(void)
{
	struct completer *c = xcalloc(1, sizeof(*c));

	c->cache = zcache_new();
	return c;
}

void
completer_flush(struct completer *c)
{
	zcache_flush(c->cache);
}

void
completer_free(struct completer *c)
{
	if (c == NULL)
		return;
	zcache_free(c->cache);
	free(c);
}

/* The children of path, or NULL when the server does not answer in time. */
static const struct zkids *
lookup_children(struct completer *c, struct shell *sh, const char *path)
{
	return zcache_children(c->cache, sh->sess, path, COMPLETE_WAIT_MS, COMPLETE_TTL_MS);
}

/* ---- where the cursor is ---------------------------------------------------- */

/* The quote open at the end of line (0 if none); -1 inside a comment or after a lone '\'. */
static int
open_quote(const char *p)
{
	int q = 0, in_word = 0;

	for (; *p != '\0'; p++) {
		if (q == '\'') {
			q = *p == '\'' ? 0 : q;
			continue;
		}
		if (q == '"') {
			if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
				p++;
			else if (*p == '"')
				q = 0;
			continue;
		}
		if (*p == '\\') {
			if (p[1] == '\0')
				return -1;
			p++;
			in_word = 1;
		} else if (*p == '\'' || *p == '"') {
			q = *p;
			in_word = 1;
		} else if (*p == ' ' || *p == '\t') {
			/* a ';' is data until a blank follows it (lexer.h): no word break */
			in_word = 0;
		} else if (*p == '#' && !in_word) {
			return -1;
		} else {
			in_word = 1;
		}
	}
	return q;
}

static int
flag_takes_value(const struct cmd_entry *e, const char *name, size_t len)
{
	const char *p = e ? e->flags : NULL;

	if (len == 1 && name[0] == 'o')
		return 1; /* -o json|text, understood by every command */
	while (p != NULL && *p != '\0') {
		size_t n;

		while (*p == ' ')
			p++;
		n = strcspn(p, " ");
		if (n > 0 && p[n - 1] == ':' && n - 1 == len && strncmp(p, name, len) == 0)
			return 1;
		p += n;
	}
	return 0;
}

/*
 * Which positional argument words[nprev] is (0 first), or -1 when it is the
 * value of a flag, whose name goes to valflag.
 */
static int
positional_index(const struct cmd_entry *e, char **words, int nprev, char *valflag, size_t len)
{
	int pos = 0, only_args = 0;

	valflag[0] = '\0';
	for (int i = 1; i < nprev; i++) {
		const char *w = words[i];

		if (only_args || w[0] != '-' || w[1] == '\0') {
			pos++;
		} else if (strcmp(w, "--") == 0) {
			only_args = 1;
		} else {
			const char *name = w + 1 + (w[1] == '-');
			size_t n = strlen(name);

			if (strchr(name, '=') == NULL && flag_takes_value(e, name, n)) {
				if (i + 1 == nprev) {
					snprintf(valflag, len, "%s", name);
					return -1;
				}
				i++;
			}
		}
	}
	return pos;
}

/* Copy the next usage token to tok; returns the rest, or NULL at the end. */
static const char *
usage_token(const char *p, char *tok, size_t len)
{
	size_t n;

	while (*p == ' ')
		p++;
	if (*p == '\0')
		return NULL;
	if (*p == '[') {
		int depth = 0;
		const char *s = p;
		do {
			depth += (*p == '[') - (*p == ']');
			p++;
		} while (*p != '\0' && depth > 0);
		n = (size_t)(p - s);
		snprintf(tok, len, "%.*s", (int)n, s);
		return p;
	}
	n = strcspn(p, " ");
	snprintf(tok, len, "%.*s", (int)n, p);
	return p + n;
}

/*
 * The name the usage line gives positional argument idx ("path", "data"),
 * so that `set path data` completes a path first and then nothing.
 */
static int
usage_name(const struct cmd_entry *e, int idx, char *out, size_t len)
{
	const char *p = e->usage ? e->usage : "";
	char tok[128];
	int pos = 0, skip_next = 0;

	while ((p = usage_token(p, tok, sizeof(tok))) != NULL) {
		const char *t = tok;
		if (skip_next) {
			skip_next = 0;
			continue;
		}
		if (t[0] == '[')
			t++;
		if (t[0] == '-') {
			/* "-n|-b val": a bare flag with a value swallows the next token */
			skip_next =
			    tok[0] != '[' && flag_takes_value(e, t + 1, strcspn(t + 1, "|] "));
			continue;
		}
		if (t[0] == '[' || t[0] == '|')
			continue;
		if (pos++ == idx) {
			snprintf(out, len, "%.*s", (int)strcspn(t, "] "), t);
			return 0;
		}
	}
	return -1;
}

/* ---- candidates ---------------------------------------------------------------- */

enum suffix { SUF_NONE, SUF_SPACE, SUF_SLASH };

struct ctx {
	struct shell *sh;
	struct completer *c;
	struct strv cands;
	const char *typed; /* what the candidates extend (the word, or a path's last part) */
	enum cpl kind;
	char dir[ZKSH_PATH_MAX]; /* paths and files: the parent of the candidates */
};

static void
commands(struct ctx *x, const char *word)
{
	const struct cmd_entry *e;
	int i = 0;

	while ((e = cmd_iter(&i)) != NULL) {
		add_if_prefix(&x->cands, e->name, word);
		if (e->alias != NULL)
			add_if_prefix(&x->cands, e->alias, word);
	}
	x->typed = word;
	x->kind = CPL_COMMAND;
}

static void
flags(struct ctx *x, const struct cmd_entry *e, const char *word)
{
	char names[ARGS_MAX_FLAGS][24];
	char flag[sizeof(names[0]) + 1];
	int n = cmd_flag_names(e, names, ARGS_MAX_FLAGS);

	for (int i = 0; i < n; i++) {
		flag[0] = '-';
		memcpy(flag + 1, names[i], sizeof(names[i]));
		flag[sizeof(flag) - 1] = '\0';
		add_if_prefix(&x->cands, flag, word);
	}
	x->typed = word;
	x->kind = CPL_NONE;
}

static void
znodes(struct ctx *x, const char *word)
{
	const char *slash = strrchr(word, '/');
	char rel[ZKSH_PATH_MAX], err[256];
	const struct zkids *k;

	x->kind = CPL_PATH;
	x->typed = slash ? slash + 1 : word;
	snprintf(rel, sizeof(rel), "%.*s", slash ? (int)(slash - word) : 0, word);
	if (word[0] == '/' && rel[0] == '\0')
		strcpy(rel, "/");
	if (rel[0] == '\0')
		snprintf(x->dir, sizeof(x->dir), "%s", x->sh->cwd);
	else if (path_resolve(x->sh->cwd, rel, 0, x->dir, sizeof(x->dir), err, sizeof(err)) != 0)
		return;
	k = lookup_children(x->c, x->sh, x->dir);
	if (k == NULL || k->rc != ZOK)
		return;
	for (int i = 0; i < k->n; i++)
		add_if_prefix(&x->cands, k->names[i], x->typed);
}

static int
host_from_line(void *arg, const char *line)
{
	struct ctx *x = arg;
	struct lex_result lx;

	if (lex_line(line, &lx) != 0)
		return 0;
	for (int i = 0; i < lx.ncmds; i++)
		if (lx.cmds[i].argc >= 2 && strcmp(lx.cmds[i].argv[0], "connect") == 0)
			add_if_prefix(&x->cands, lx.cmds[i].argv[1], x->typed);
	lex_free(&lx);
	return 0;
}

static void
hosts(struct ctx *x, struct hist *hist, const char *word)
{
	const char *env = getenv("ZKSH_SERVER");

	x->typed = word;
	x->kind = CPL_HOST;
	if (hist != NULL)
		hist_each_recall(hist, host_from_line, x);
	add_if_prefix(&x->cands, x->sh->sess->hosts, word);
	if (env != NULL && *env != '\0')
		add_if_prefix(&x->cands, env, word);
}

static void
files(struct ctx *x, const char *word)
{
	const char *slash = strrchr(word, '/');
	struct dirent *d;
	DIR *dir;

	x->kind = CPL_FILE;
	x->typed = slash ? slash + 1 : word;
	if (slash == NULL)
		strcpy(x->dir, ".");
	else
		snprintf(x->dir, sizeof(x->dir), "%.*s", slash == word ? 1 : (int)(slash - word),
			 word);
	if ((dir = opendir(x->dir)) == NULL)
		return;
	while ((d = readdir(dir)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		if (d->d_name[0] == '.' && x->typed[0] != '.')
			continue;
		add_if_prefix(&x->cands, d->d_name, x->typed);
	}
	closedir(dir);
}

static void
words(struct ctx *x, const char *word, const char *list)
{
	char tok[32];

	x->typed = word;
	x->kind = CPL_NONE;
	while ((list = usage_token(list, tok, sizeof(tok))) != NULL)
		add_if_prefix(&x->cands, tok, word);
}

/* What the argument at word can be, from the command's table entry. */
static void
arguments(struct ctx *x, struct hist *hist, const struct lex_cmd *lc, int nprev, const char *word)
{
	const struct cmd_entry *e = cmd_lookup(lc->argv[0]);
	char valflag[32], name[64] = "";
	int pos;

	if (e == NULL)
		return;
	if (word[0] == '-') {
		flags(x, e, word);
		return;
	}
	pos = positional_index(e, lc->argv, nprev, valflag, sizeof(valflag));
	if (pos < 0) {
		if (strcmp(valflag, "file") == 0)
			files(x, word);
		else if (strcmp(valflag, "o") == 0)
			words(x, word, "json text");
		return;
	}
	if (usage_name(e, pos, name, sizeof(name)) != 0 && (pos > 0 || e->max_args == 0))
		return;
	if (e->complete == CPL_PATH && (pos == 0 || strstr(name, "path") != NULL))
		znodes(x, word);
	else if (e->complete == CPL_COMMAND && pos == 0)
		commands(x, word);
	else if (e->complete == CPL_HOST && pos == 0)
		hosts(x, hist, word);
	else if (e->complete == CPL_FILE)
		files(x, word);
}

/* ---- the text to insert ----------------------------------------------------------- */

/* Whether the single candidate is a leaf (space after it) or has children ('/'). */
static enum suffix
unique_suffix(struct ctx *x, const char *cand, int grew)
{
	char full[ZKSH_PATH_MAX];
	struct stat st;
	const struct zkids *k;

	if (x->kind == CPL_FILE) {
		if (strcmp(x->dir, ".") == 0)
			snprintf(full, sizeof(full), "%s", cand);
		else
			path_join(x->dir, cand, full, sizeof(full));
		if (stat(full, &st) == 0 && S_ISDIR(st.st_mode))
			return SUF_SLASH;
		return SUF_SPACE;
	}
	if (x->kind != CPL_PATH)
		return SUF_SPACE;
	path_join(x->dir, cand, full, sizeof(full));
	k = lookup_children(x->c, x->sh, full);
	if (k == NULL || k->rc != ZOK)
		return SUF_NONE;
	if (k->numchildren == 0)
		return SUF_SPACE;
	/* a node with children is a node too (get /app): '/' only on a second Tab */
	return grew ? SUF_NONE : SUF_SLASH;
}

/* Escape s so that the lexer reads it back as it is, inside quote q (0: none). */
static void
add_escaped(struct buf *b, const char *s, int q)
{
	for (; *s != '\0'; s++) {
		if (q == '\'' && *s == '\'')
			continue; /* cannot appear inside '...' */
		if (q == '"' && (*s == '"' || *s == '\\'))
			buf_addc(b, '\\');
		if (q == 0 && strchr(" \t\\'\";#", *s) != NULL)
			buf_addc(b, '\\');
		buf_addc(b, *s);
	}
}

static size_t
common_prefix(char **v, int n)
{
	size_t len = strlen(v[0]);

	for (int i = 1; i < n; i++) {
		size_t k = 0;
		while (k < len && v[i][k] == v[0][k])
			k++;
		len = k;
	}
	return len;
}

static void
build_insert(struct ctx *x, int q, struct completion *out)
{
	size_t typed = strlen(x->typed);
	struct buf b;

	buf_init(&b);
	buf_add(&b, "", 0);
	if (x->cands.n == 1) {
		const char *cand = x->cands.v[0];
		enum suffix s = unique_suffix(x, cand, strlen(cand) > typed);

		add_escaped(&b, cand + typed, q);
		if (s == SUF_SLASH) {
			buf_addc(&b, '/');
		} else if (s == SUF_SPACE) {
			if (q > 0)
				buf_addc(&b, (char)q);
			buf_addc(&b, ' ');
		}
	} else {
		size_t lcp = common_prefix(x->cands.v, x->cands.n);
		char *grow = xstrndup(x->cands.v[0] + typed, lcp > typed ? lcp - typed : 0);

		add_escaped(&b, grow, q);
		free(grow);
		out->list = b.len == 0;
	}
	out->insert = buf_steal(&b);
}

int
complete_line(struct completer *c, struct shell *sh, struct hist *hist, const char *line,
	      struct completion *out)
{
	struct ctx x;
	struct lex_cmd lc;
	int new_word, q = open_quote(line);
	const char *word;
	int nprev;

	memset(out, 0, sizeof(*out));
	if (q < 0)
		return -1;
	memset(&x, 0, sizeof(x));
	x.sh = sh;
	x.c = c;
	x.typed = "";
	lex_partial(line, &lc, &new_word);
	nprev = new_word ? lc.argc : lc.argc - 1;
	word = new_word || lc.argc == 0 ? "" : lc.argv[lc.argc - 1];
	if (nprev == 0)
		commands(&x, word);
	else
		arguments(&x, hist, &lc, nprev, word);
	strv_sort_unique(&x.cands);
	if (x.cands.n > 0)
		build_insert(&x, q, out);
	lex_cmd_free(&lc);
	if (x.cands.n == 0) {
		strv_free(&x.cands);
		return -1;
	}
	out->cands = x.cands.v;
	out->n = x.cands.n;
	return 0;
}

void
completion_free(struct completion *out)
{
	for (int i = 0; i < out->n; i++)
		free(out->cands[i]);
	free(out->cands);
	free(out->insert);
	memset(out, 0, sizeof(*out));
}
