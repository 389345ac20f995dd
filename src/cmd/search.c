/*
 * find and grep: the nodes of a subtree that pass tests on their name, kind,
 * stat, or data. Both stream their answers as the walker visits (pre-order,
 * children sorted); their table entries are in explore.c with tree and du.
 *
 * Every option is checked before connecting (the check hooks parse the same
 * way as the commands), so a bad glob, number, kind or regex is exit 2 even
 * with no server.
 */
#include "config.h"

#include <errno.h>
#include <fnmatch.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "cmd/common.h"
#include "cmd/explore.h"
#include "command.h"
#include "zk/path.h"
#include "render.h"
#include "zk/session.h"
#include "shell.h"
#include "util.h"
#include "zk/walk.h"
#include "zkerr.h"

/* ---- find -------------------------------------------------------------- */

#define KIND_SEQUENTIAL 4 /* a bit of its own: orthogonal to the kinds */

struct find {
	struct shell *sh;
	const char *name_glob;
	const char *path_glob;
	unsigned kinds; /* bits 1 << enum node_kind, KIND_SEQUENTIAL; 0 any */
	int max_depth;
	struct numtest size, children, mtime;
	int owner_set;
	int64_t owner;
	int print0;
	long long now; /* wall clock, ms: mtimes are the server's wall clock */
	long matches;
	int json;
	struct jstream js;
	struct progress prog;
};

const char *
glob_problem(const char *g)
{
	for (const char *p = g; *p != '\0'; p++) {
		if (*p == '\\') {
			if (*++p == '\0')
				return "it ends in a backslash";
			continue;
		}
		if (*p != '[')
			continue;
		const char *q = p + 1;
		if (*q == '!' || *q == '^')
			q++;
		if (*q == ']')
			q++; /* a ']' first in the set is a member */
		while (*q != '\0' && *q != ']')
			q++;
		if (*q == '\0')
			return "a '[' has no closing ']'";
		p = q;
	}
	return NULL;
}

static int
find_glob(struct shell *sh, const struct args *a, const char *flag, const char **out)
{
	const char *why;

	*out = args_get(a, flag);
	if (*out != NULL && (why = glob_problem(*out)) != NULL)
		return sh_error(sh, ZX_USAGE, "find: bad -%s pattern '%s': %s", flag, *out, why);
	return ZX_OK;
}

static int
find_kinds(struct shell *sh, const char *v, unsigned *kinds)
{
	static const char *const names[] = {"persistent", "ephemeral", "container", "ttl",
					    "sequential"};
	const char *p = v;

	*kinds = 0;
	if (v == NULL)
		return ZX_OK;
	for (;;) {
		size_t len = strcspn(p, ",");
		int k;

		for (k = 0; k < 5; k++)
			if (strlen(names[k]) == len && strncmp(p, names[k], len) == 0)
				break;
		if (k == 5 || len == 0)
			return sh_error(sh, ZX_USAGE,
					"find: -type wants persistent, ephemeral, container, ttl "
					"or sequential (or a comma-separated list), not '%s'",
					v);
		*kinds |= 1u << k;
		if (p[len] == '\0')
			return ZX_OK;
		p += len + 1;
	}
}

struct unit {
	const char *suffix;
	long long factor;
};

static const struct unit size_units[] = {{"", 1},     {"c", 1},		  {"k", 1024},
					 {"K", 1024}, {"M", 1024 * 1024}, {NULL, 0}};
static const struct unit count_units[] = {{"", 1}, {NULL, 0}};
static const struct unit age_units[] = {{"", 86400000LL}, {"s", 1000},	     {"m", 60000},
					{"h", 3600000LL}, {"d", 86400000LL}, {NULL, 0}};

/* "+N", "-N" or "N", then one of units' suffixes. */
static int
find_number(struct shell *sh, const struct args *a, const char *flag, const struct unit *units,
	    const char *what, struct numtest *t)
{
	const char *v = args_get(a, flag), *p;
	char *end;
	long long n;

	memset(t, 0, sizeof(*t));
	if (v == NULL)
		return ZX_OK;
	p = v;
	t->op = *p == '+' || *p == '-' ? *p++ : '=';
	errno = 0;
	n = *p >= '0' && *p <= '9' ? strtoll(p, &end, 10) : -1;
	if (n >= 0 && errno == 0) {
		for (const struct unit *u = units; u->suffix != NULL; u++) {
			if (strcmp(end, u->suffix) == 0) {
				t->set = 1;
				t->n = n;
				t->unit = u->factor;
				if (units == size_units)
					t->n = n * u->factor; /* compared in bytes */
				return ZX_OK;
			}
		}
	}
	return sh_error(sh, ZX_USAGE, "find: -%s wants %s, not '%s'", flag, what, v);
}

static int
find_owner(struct shell *sh, const char *v, struct find *f)
{
	char *end;
	unsigned long long id;

	if (v == NULL)
		return ZX_OK;
	errno = 0;
	id = strtoull(v, &end, 0);
	if (errno != 0 || end == v || *end != '\0' || *v == '-' || id == 0)
		return sh_error(sh, ZX_USAGE,
				"find: -owner wants a session id (0x1000000a2b0000 or decimal), "
				"not '%s'",
				v);
	f->owner_set = 1;
	f->owner = (int64_t)id;
	return ZX_OK;
}

static int
find_options(struct shell *sh, const struct args *a, struct find *f)
{
	int rc;
	long long depth;
	const char *v;

	f->max_depth = -1;
	if ((rc = find_glob(sh, a, "name", &f->name_glob)) != ZX_OK ||
	    (rc = find_glob(sh, a, "path", &f->path_glob)) != ZX_OK ||
	    (rc = find_kinds(sh, args_get(a, "type"), &f->kinds)) != ZX_OK)
		return rc;
	if ((v = args_get(a, "maxdepth")) != NULL) {
		if (parse_long(v, &depth) != 0 || depth < 0 || depth > 100000)
			return sh_error(sh, ZX_USAGE,
					"find: -maxdepth wants a depth from 0, not '%s'", v);
		f->max_depth = (int)depth;
	}
	if ((rc = find_number(sh, a, "size", size_units, "[+-]bytes, with k or M for KiB or MiB",
			      &f->size)) != ZX_OK ||
	    (rc = find_number(sh, a, "children", count_units, "[+-]a number of children",
			      &f->children)) != ZX_OK ||
	    (rc = find_number(sh, a, "mtime", age_units, "[+-]days, or a number with s, m, h or d",
			      &f->mtime)) != ZX_OK)
		return rc;
	if ((rc = find_owner(sh, args_get(a, "owner"), f)) != ZX_OK)
		return rc;
	f->print0 = args_has(a, "print0");
	return ZX_OK;
}

int
cmd_find_check(struct shell *sh, struct args *a)
{
	struct find f;

	memset(&f, 0, sizeof(f));
	return find_options(sh, a, &f);
}

static int
find_kind_match(const struct find *f, const struct walk_node *n, const char *name)
{
	unsigned have = 1u << node_kind(n->stat);

	if (f->kinds == 0)
		return 1;
	if (node_sequential(name))
		have |= 1u << KIND_SEQUENTIAL;
	return (f->kinds & have) != 0;
}

static int
find_match(const struct find *f, const struct walk_node *n)
{
	const char *name = n->depth == 0 && strcmp(n->path, "/") == 0 ? "/" : path_base(n->path);
	const struct Stat *st = n->stat;

	if (f->name_glob != NULL && fnmatch(f->name_glob, name, 0) != 0)
		return 0;
	if (f->path_glob != NULL && fnmatch(f->path_glob, n->path, 0) != 0)
		return 0;
	if (!find_kind_match(f, n, name))
		return 0;
	if (!numtest_match(&f->size, st->dataLength) ||
	    !numtest_match(&f->children, st->numChildren))
		return 0;
	/* find(1)'s rounding: the age in whole units, fractions dropped */
	if (f->mtime.set && !numtest_match(&f->mtime, (f->now - st->mtime) / f->mtime.unit))
		return 0;
	if (f->owner_set && st->ephemeralOwner != f->owner)
		return 0;
	return 1;
}

static int
find_visit(void *ctx, const struct walk_node *n)
{
	struct find *f = ctx;

	progress_tick(&f->prog);
	if (!find_match(f, n))
		return 0;
	f->matches++;
	if (f->json) {
		js_item(&f->js, cJSON_CreateString(n->path));
		return 0;
	}
	out_write(f->sh, n->path, strlen(n->path) + (size_t)f->print0);
	if (!f->print0)
		out_puts(f->sh, "\n");
	return 0;
}

static long long
wall_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

int
cmd_find(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX];
	struct walk_opts o = {0, 0, -1};
	struct walk_result res;
	struct find f;
	int rc;

	if ((rc = arg_path_or_cwd(sh, a, 0, path)) != ZX_OK)
		return rc;
	memset(&f, 0, sizeof(f));
	if ((rc = find_options(sh, a, &f)) != ZX_OK)
		return rc;
	f.sh = sh;
	f.now = wall_ms();
	f.json = shell_json(sh);
	if (f.json)
		js_begin(&f.js, sh, "paths");
	o.max_depth = f.max_depth;
	progress_start(&f.prog, sh, "find", 1);
	rc = walk_tree(sh, path, &o, find_visit, &f, &res);
	progress_end(&f.prog);
	if (f.json) {
		cJSON *extra = cJSON_CreateObject();
		cJSON_AddNumberToObject(extra, "matches", (double)f.matches);
		if (res.interrupted)
			cJSON_AddTrueToObject(extra, "interrupted");
		js_end(&f.js, extra, rc == ZOK);
	}
	out_flush();
	return explore_walk_end(sh, "find", rc, path, &res);
}

/* ---- grep -------------------------------------------------------------- */

enum grep_mode {
	GREP_LINES, /* path:line */
	GREP_FILES, /* -l: path */
	GREP_COUNT, /* -c: path:count */
};

struct grep {
	struct shell *sh;
	regex_t re;
	enum grep_mode mode;
	int binary_ok; /* -a */
	long matched;  /* nodes with a matching line */
	int json;
	struct jstream js;
	struct buf line;
	struct progress prog;
};

static int
grep_compile(struct shell *sh, const struct args *a, regex_t *re)
{
	int flags = REG_NOSUB, rc;
	char msg[256];

	if (args_has(a, "E"))
		flags |= REG_EXTENDED;
	if (args_has(a, "i"))
		flags |= REG_ICASE;
	rc = regcomp(re, a->argv[0], flags);
	if (rc == 0)
		return ZX_OK;
	regerror(rc, re, msg, sizeof(msg));
	regfree(re);
	return sh_error(sh, ZX_USAGE, "grep: bad regular expression '%s': %s", a->argv[0], msg);
}

int
cmd_grep_check(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX];
	regex_t re;
	int rc;

	/* the path is the second argument: the dispatcher checks only the first */
	if ((rc = arg_path_or_cwd(sh, a, 1, path)) != ZX_OK)
		return rc;
	if ((rc = grep_compile(sh, a, &re)) != ZX_OK)
		return rc;
	regfree(&re);
	return ZX_OK;
}

/* One line of data: regexec wants a string, and data may hold NUL bytes (-a). */
static int
grep_line_matches(struct grep *g, const char *p, size_t len)
{
#ifdef REG_STARTEND
	regmatch_t m;

	m.rm_so = 0;
	m.rm_eo = (regoff_t)len;
	return regexec(&g->re, p, 1, &m, REG_STARTEND) == 0;
#else
	buf_reset(&g->line);
	buf_add(&g->line, p, len);
	return regexec(&g->re, g->line.data, 0, NULL, 0) == 0;
#endif
}

static void
grep_print_line(struct grep *g, const char *path, long lineno, const char *p, size_t len)
{
	if (g->json) {
		cJSON *o = cJSON_CreateObject();
		char *s = xstrndup(p, len);
		cJSON_AddStringToObject(o, "path", path);
		cJSON_AddNumberToObject(o, "line", (double)lineno);
		if (utf8_valid(p, len)) {
			cJSON_AddStringToObject(o, "text", s);
		} else {
			char *b64 = b64_encode((const unsigned char *)p, len);
			cJSON_AddStringToObject(o, "text_base64", b64);
			free(b64);
		}
		free(s);
		js_item(&g->js, o);
		return;
	}
	out_puts(g->sh, path);
	out_puts(g->sh, ":");
	out_write(g->sh, p, len);
	out_puts(g->sh, "\n");
}

/* Matching lines of one node's data; stops at the first with -l. */
static long
grep_data(struct grep *g, const char *path, const char *data, size_t len)
{
	long count = 0, lineno = 0;
	size_t at = 0;

	while (at < len) {
		const char *nl = memchr(data + at, '\n', len - at);
		size_t end = nl != NULL ? (size_t)(nl - data) : len;

		lineno++;
		if (grep_line_matches(g, data + at, end - at)) {
			count++;
			if (g->mode == GREP_FILES)
				break;
			if (g->mode == GREP_LINES)
				grep_print_line(g, path, lineno, data + at, end - at);
		}
		at = end + 1;
	}
	return count;
}

static void
grep_print_node(struct grep *g, const char *path, long count)
{
	char num[32];

	if (g->mode == GREP_FILES && count > 0) {
		if (g->json) {
			js_item(&g->js, cJSON_CreateString(path));
			return;
		}
		out_puts(g->sh, path);
		out_puts(g->sh, "\n");
	} else if (g->mode == GREP_COUNT) {
		if (g->json) {
			cJSON *o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "path", path);
			cJSON_AddNumberToObject(o, "count", (double)count);
			js_item(&g->js, o);
			return;
		}
		snprintf(num, sizeof(num), ":%ld\n", count);
		out_puts(g->sh, path);
		out_puts(g->sh, num);
	}
}

static int
grep_visit(void *ctx, const struct walk_node *n)
{
	struct grep *g = ctx;
	long count;

	progress_tick(&g->prog);
	if (n->data == NULL || n->datalen < 0)
		return 0; /* null data has no lines */
	if (!g->binary_ok && !utf8_valid(n->data, (size_t)n->datalen))
		return 0;
	count = grep_data(g, n->path, n->data, (size_t)n->datalen);
	if (count > 0)
		g->matched++;
	grep_print_node(g, n->path, count);
	return 0;
}

int
cmd_grep(struct shell *sh, struct args *a)
{
	static const char *const keys[] = {"matches", "paths", "counts"};
	char path[ZKSH_PATH_MAX];
	struct walk_opts o = {0, 1, -1};
	struct walk_result res;
	struct grep g;
	int rc;

	if ((rc = arg_path_or_cwd(sh, a, 1, path)) != ZX_OK)
		return rc;
	memset(&g, 0, sizeof(g));
	if ((rc = grep_compile(sh, a, &g.re)) != ZX_OK)
		return rc;
	g.sh = sh;
	g.mode = args_has(a, "l") ? GREP_FILES : args_has(a, "c") ? GREP_COUNT : GREP_LINES;
	g.binary_ok = args_has(a, "a");
	g.json = shell_json(sh);
	buf_init(&g.line);
	if (g.json)
		js_begin(&g.js, sh, keys[g.mode]);
	progress_start(&g.prog, sh, "grep", 1);
	rc = walk_tree(sh, path, &o, grep_visit, &g, &res);
	progress_end(&g.prog);
	if (g.json) {
		cJSON *extra = cJSON_CreateObject();
		cJSON_AddNumberToObject(extra, "matched", (double)g.matched);
		if (res.interrupted)
			cJSON_AddTrueToObject(extra, "interrupted");
		js_end(&g.js, extra, rc == ZOK);
	}
	regfree(&g.re);
	buf_free(&g.line);
	out_flush();
	rc = explore_walk_end(sh, "grep", rc, path, &res);
	/* like grep(1): 1 when nothing matched */
	return rc == ZX_OK && g.matched == 0 ? ZX_ZK : rc;
}
