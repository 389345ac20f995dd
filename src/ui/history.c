#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "command.h"
#include "ui/history.h"
#include "lexer.h"
#include "util.h"

struct hent {
	char *line;
	int masked;
};

struct hist {
	History *el_hist;
	struct hent *ents; /* numbers first .. first + n - 1 */
	size_t n, cap;
	long first;
	int max;
	char *path;	  /* NULL: nothing is written */
	char *last_saved; /* the file's newest line: repeats are not appended */
	int warned;	  /* a write error was reported once already */
};

/*
 * What keeps a line out of history (the rule README.md states; a leaked
 * password cannot be taken back, so the rule errs on the side of hiding):
 *
 *  1. a command marked CMD_SECRET (addauth, digest), or a word in command
 *     position that is no command and within edit distance 2 of one of them
 *     (addauht, digets, adduath): a typo must not leak what it carries;
 *  2. a digest ACL entry anywhere ("digest:" inside a word): the id should
 *     be a hash, but a plaintext password typed there is the common mistake,
 *     and a hash is a brute-forceable credential too;
 *  3. a user:password-shaped word (text, ':', text, not a path) after an
 *     auth-like word (one containing auth, digest, passw, login, cred, sasl
 *     or super);
 *  4. a password-like word anywhere, comments included (password, passwd,
 *     secret=, token=, ZKSH_AUTH=).
 *
 * The names below back up the table's CMD_SECRET for builds or tables that
 * lack it.
 */
static const char *const secret_commands[] = {"addauth", "digest", NULL};

/* Words that say a password follows, anywhere on the line (comments too). */
static const char *const secret_words[] = {
    "password", "passwd", "secret=", "token=", "zksh_auth=", NULL};

/* Words after which a user:password word is taken for a credential. */
static const char *const auth_words[] = {"auth", "digest", "passw", "login",
					 "cred", "sasl",   "super", NULL};

static int
word_is_secret(const char *w)
{
	for (int i = 0; secret_words[i] != NULL; i++)
		if (strcasestr(w, secret_words[i]) != NULL)
			return 1;
	return strcasestr(w, "digest:") != NULL;
}

static int
word_is_auth_like(const char *w)
{
	for (int i = 0; auth_words[i] != NULL; i++)
		if (strcasestr(w, auth_words[i]) != NULL)
			return 1;
	return 0;
}

/* text:text, not a path: the shape of user:password (and scheme:credential). */
static int
word_is_user_password(const char *w)
{
	const char *colon = strchr(w, ':');

	return w[0] != '/' && colon != NULL && colon != w && colon[1] != '\0';
}

/* Levenshtein distance of a and b (case-insensitive), capped at cap + 1. */
static int
edit_distance(const char *a, const char *b, int cap)
{
	size_t la = strlen(a), lb = strlen(b);
	int row[64], prev_diag, tmp;

	if (la >= sizeof(row) / sizeof(row[0]) || lb >= sizeof(row) / sizeof(row[0]) ||
	    (la > lb ? la - lb : lb - la) > (size_t)cap)
		return cap + 1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		prev_diag = row[0];
		row[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int cost =
			    tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
			int best = prev_diag + cost;

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			tmp = row[j];
			row[j] = best;
			prev_diag = tmp;
		}
	}
	return row[lb];
}

static int
cmd_is_secret(const char *name)
{
	const struct cmd_entry *e = cmd_lookup(name);

	if (e != NULL && (e->attrs & CMD_SECRET))
		return 1;
	for (int i = 0; secret_commands[i] != NULL; i++)
		if (strcmp(name, secret_commands[i]) == 0 ||
		    (e != NULL && strcmp(e->name, secret_commands[i]) == 0) ||
		    (e == NULL && edit_distance(name, secret_commands[i], 2) <= 2))
			return 1;
	return 0;
}

/*
 * Which words of one command are secret: sets hide[j] for argv[j]; returns
 * 1 when any is. A secret command keeps its scheme word ("addauth digest
 * ***"); digest keeps only its name.
 */
static int
words_secret(char **argv, int argc, char *hide)
{
	int any = 0;
	int keep = argc;

	if (argc > 0 && cmd_is_secret(argv[0]))
		keep = argc > 2 ? 2 : 1;
	for (int j = 0; j < argc; j++) {
		hide[j] =
		    j >= keep || word_is_secret(argv[j]) ||
		    (j > 0 && word_is_user_password(argv[j]) && word_is_auth_like(argv[j - 1]));
		any |= hide[j];
	}
	return any;
}

/* For lines the lexer refuses (an open quote): any blank-separated word. */
static int
raw_has_secret(const char *line)
{
	char *copy = xstrdup(line), *save = NULL;
	char *words[256];
	char hide[256];
	int n = 0, secret = 0;

	for (char *w = strtok_r(copy, " \t;'\"", &save); w != NULL;
	     w = strtok_r(NULL, " \t;'\"", &save)) {
		if (cmd_is_secret(w))
			secret = 1;
		if (n < 256)
			words[n++] = w;
	}
	if (!secret)
		secret = words_secret(words, n, hide);
	free(copy);
	return secret;
}

int
hist_is_secret(const char *line)
{
	struct lex_result lx;
	int secret = 0;

	if (word_is_secret(line))
		return 1;
	if (lex_line(line, &lx) != 0)
		return raw_has_secret(line);
	for (int i = 0; i < lx.ncmds && !secret; i++) {
		char *hide = xmalloc((size_t)lx.cmds[i].argc + 1);

		secret = words_secret(lx.cmds[i].argv, lx.cmds[i].argc, hide);
		free(hide);
	}
	lex_free(&lx);
	return secret;
}

char *
hist_mask(const char *line)
{
	struct lex_result lx;
	struct buf b;

	if (lex_line(line, &lx) != 0)
		return xstrdup("*** (a line with a secret; not kept)");
	buf_init(&b);
	for (int i = 0; i < lx.ncmds; i++) {
		char **argv = lx.cmds[i].argv;
		int argc = lx.cmds[i].argc;
		char *hide = xmalloc((size_t)argc + 1);

		words_secret(argv, argc, hide);
		if (i > 0)
			buf_adds(&b, "; ");
		/* the command word itself is kept unless it is the secret */
		buf_adds(&b, hide[0] ? "***" : argv[0]);
		for (int j = 1; j < argc; j++) {
			buf_addc(&b, ' ');
			buf_adds(&b, hide[j] ? "***" : argv[j]);
		}
		free(hide);
	}
	lex_free(&lx);
	if (b.data == NULL)
		buf_adds(&b, "***");
	return buf_steal(&b);
}

struct hist *
hist_new(int max)
{
	struct hist *h = xcalloc(1, sizeof(*h));
	HistEvent ev;

	h->max = max > 0 ? max : HIST_DEFAULT_MAX;
	h->el_hist = history_init();
	if (h->el_hist == NULL) {
		free(h);
		return NULL;
	}
	history(h->el_hist, &ev, H_SETSIZE, h->max);
	/* repeats stay: Up recalls exactly the lines `history` lists */
	history(h->el_hist, &ev, H_SETUNIQUE, 0);
	return h;
}

void
hist_free(struct hist *h)
{
	if (h == NULL)
		return;
	for (size_t i = 0; i < h->n; i++)
		free(h->ents[i].line);
	free(h->ents);
	history_end(h->el_hist);
	free(h->path);
	free(h->last_saved);
	free(h);
}

int
hist_default_path(char *out, size_t outlen)
{
	const char *v = getenv("ZKSH_HISTFILE");
	const char *home = getenv("HOME");

	if (v != NULL) {
		if (*v == '\0')
			return -1;
		snprintf(out, outlen, "%s", v);
		return 0;
	}
	v = getenv("XDG_STATE_HOME");
	if (v != NULL && v[0] == '/') {
		snprintf(out, outlen, "%s/zksh/history", v);
		return 0;
	}
	if (home == NULL || *home == '\0')
		return -1;
	snprintf(out, outlen, "%s/.zksh_history", home);
	return 0;
}

/* mkdir -p of path's directory, private to the user when created. */
static void
make_parent(const char *path)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');

	if (slash != NULL && slash != dir) {
		*slash = '\0';
		for (char *p = dir + 1; *p != '\0'; p++) {
			if (*p != '/')
				continue;
			*p = '\0';
			mkdir(dir, 0700);
			*p = '/';
		}
		mkdir(dir, 0700);
	}
	free(dir);
}

/* Open for appending, created 0600; an existing file too open is narrowed. */
static int
open_private(const char *path)
{
	struct stat st;
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) == 0 && (st.st_mode & 0077) != 0)
		fchmod(fd, st.st_mode & 0700);
	return fd;
}

int
hist_load(struct hist *h, const char *path)
{
	HistEvent ev;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *f;
	int fd;

	free(h->path);
	h->path = xstrdup(path);
	make_parent(path);
	/* create it now, so a first run already has the right mode */
	if ((fd = open_private(path)) >= 0)
		close(fd);
	f = fopen(path, "re");
	if (f == NULL)
		return -1;
	while ((len = getline(&line, &cap, f)) >= 0) {
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len == 0)
			continue;
		history(h->el_hist, &ev, H_ENTER, line);
		free(h->last_saved);
		h->last_saved = xstrdup(line);
	}
	free(line);
	fclose(f);
	return 0;
}

static void
append_to_file(struct hist *h, const char *line)
{
	size_t n = strlen(line);
	char *rec;
	int fd;

	/* a leading blank keeps a line out of the file, as in bash */
	if (h->path == NULL || n == 0 || n > HIST_MAX_LINE || line[0] == ' ' || line[0] == '\t')
		return;
	if (h->last_saved != NULL && strcmp(h->last_saved, line) == 0)
		return;
	rec = xmalloc(n + 2);
	memcpy(rec, line, n);
	rec[n] = '\n';
	rec[n + 1] = '\0';
	fd = open_private(h->path);
	/* one write per line, so concurrent shells do not interleave halves */
	if (fd < 0 || write(fd, rec, n + 1) != (ssize_t)(n + 1)) {
		if (!h->warned)
			fprintf(stderr, "zksh: cannot write history file %s: %s\n", h->path,
				strerror(errno));
		h->warned = 1;
	}
	if (fd >= 0)
		close(fd);
	free(rec);
	free(h->last_saved);
	h->last_saved = xstrdup(line);
}

static void
set_entry(struct hent *e, const char *line)
{
	free(e->line);
	e->masked = hist_is_secret(line);
	e->line = e->masked ? hist_mask(line) : xstrdup(line);
}

long
hist_add(struct hist *h, const char *line)
{
	HistEvent ev;
	struct hent *e;

	/* keep the newest max numbers; the dropped ones can no longer be redone */
	if (h->n == (size_t)h->max * 2) {
		for (size_t i = 0; i < (size_t)h->max; i++)
			free(h->ents[i].line);
		memmove(h->ents, h->ents + h->max, sizeof(*h->ents) * (size_t)h->max);
		h->n -= (size_t)h->max;
		h->first += h->max;
	}
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 64;
		h->ents = xrealloc(h->ents, sizeof(*h->ents) * h->cap);
	}
	e = &h->ents[h->n++];
	e->line = NULL;
	set_entry(e, line);
	if (!e->masked) {
		history(h->el_hist, &ev, H_ENTER, line);
		append_to_file(h, line);
	}
	return h->first + (long)h->n - 1;
}

void
hist_set(struct hist *h, long n, const char *line)
{
	if (n < h->first || n >= h->first + (long)h->n)
		return;
	set_entry(&h->ents[n - h->first], line);
}

const char *
hist_get(const struct hist *h, long n, int *masked)
{
	const struct hent *e;

	if (n < h->first || n >= h->first + (long)h->n)
		return NULL;
	e = &h->ents[n - h->first];
	if (masked != NULL)
		*masked = e->masked;
	return e->line;
}

long
hist_next(const struct hist *h)
{
	return h->first + (long)h->n;
}

long
hist_first(const struct hist *h)
{
	return h->first;
}

History *
hist_editline(struct hist *h)
{
	return h->el_hist;
}

void
hist_each_recall(struct hist *h, int (*fn)(void *ctx, const char *line), void *ctx)
{
	HistEvent ev;

	/* libedit keeps the newest first; H_NEXT walks to older lines */
	for (int rc = history(h->el_hist, &ev, H_FIRST); rc != -1;
	     rc = history(h->el_hist, &ev, H_NEXT))
		if (fn(ctx, ev.str) != 0)
			break;
}

/* Read every line of f into a growable array. */
static char **
read_lines(FILE *f, size_t *count)
{
	char **lines = NULL, *line = NULL;
	size_t n = 0, cap = 0, lcap = 0;
	ssize_t len;

	while ((len = getline(&line, &lcap, f)) >= 0) {
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			lines = xrealloc(lines, sizeof(char *) * cap);
		}
		lines[n++] = xstrndup(line, (size_t)len);
	}
	free(line);
	*count = n;
	return lines;
}

static int
write_tail(const char *path, char **lines, size_t from, size_t n)
{
	size_t plen = strlen(path);
	char *tmp = xmalloc(plen + 8);
	FILE *f;
	int fd, rc = 0;

	snprintf(tmp, plen + 8, "%s.XXXXXX", path);
	fd = mkstemp(tmp); /* 0600 */
	if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
		if (fd >= 0)
			close(fd);
		free(tmp);
		return -1;
	}
	for (size_t i = from; i < n; i++)
		fputs(lines[i], f);
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		rc = -1;
	}
	free(tmp);
	return rc;
}

int
hist_trim_file(const char *path, int max)
{
	/* a symlinked history file (dotfile repositories) stays a symlink */
	char *real = realpath(path, NULL);
	const char *p = real ? real : path;
	size_t n = 0;
	char **lines = NULL;
	FILE *f = fopen(p, "re");
	int rc = 0;

	if (f == NULL) {
		rc = errno == ENOENT ? 0 : -1;
		free(real);
		return rc;
	}
	lines = read_lines(f, &n);
	fclose(f);
	if (n > (size_t)max)
		rc = write_tail(p, lines, n - (size_t)max, n);
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	free(real);
	return rc;
}
