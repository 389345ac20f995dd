#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "batch.h"
#include "render.h"
#include "zk/session.h"
#include "shell.h"
#include "zkerr.h"
#include "conn.h"
#include "zk/path.h"
#include "util.h"

const struct cmd_entry *const cmd_tables[] = {
    cmd_data_entries,	  cmd_nav_entries,
    cmd_shell_entries,	  cmd_auth_entries,
    cmd_watch_entries,	  cmd_quota_entries,
    cmd_config_entries,	  cmd_tree_entries,
    cmd_ensemble_entries, cmd_explore_entries,
    cmd_recipes_entries,  cmd_fourlw_entries,
    cmd_backup_entries,	  NULL,
};

const struct cmd_entry *
cmd_iter(int *i)
{
	int t = *i >> 8, k = *i & 0xff;

	while (cmd_tables[t] != NULL) {
		if (cmd_tables[t][k].name != NULL) {
			*i = (t << 8) | (k + 1);
			return &cmd_tables[t][k];
		}
		t++;
		k = 0;
	}
	return NULL;
}

const struct cmd_entry *
cmd_lookup(const char *name)
{
	const struct cmd_entry *e;
	int i = 0;

	while ((e = cmd_iter(&i)) != NULL)
		if (strcmp(e->name, name) == 0 || (e->alias && strcmp(e->alias, name) == 0))
			return e;
	return NULL;
}

/* Optimal string alignment distance (Damerau-Levenshtein: edits and swaps), ignoring case. */
static int
edit_distance(const char *a, const char *b)
{
	enum { N = 32 };
	size_t la = strlen(a), lb = strlen(b);
	int d[N + 1][N + 1];

	if (la > N || lb > N)
		return N;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			int ca = tolower((unsigned char)a[i - 1]),
			    cb = tolower((unsigned char)b[j - 1]);
			int best = d[i - 1][j - 1] + (ca != cb);

			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == cb && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

const char *
cmd_suggest(const char *name)
{
	const struct cmd_entry *e;
	const char *best = NULL;
	int i = 0, best_d = CMD_SUGGEST_MAX + 1;

	while ((e = cmd_iter(&i)) != NULL) {
		const char *cand[2] = {e->name, e->alias};

		for (int k = 0; k < 2; k++) {
			int dist = cand[k] != NULL ? edit_distance(name, cand[k]) : best_d;

			/* two edits turn any two letters into "ls": not a likeness */
			if (cand[k] == NULL || dist >= (int)strlen(cand[k]) ||
			    dist >= (int)strlen(name))
				continue;
			if (dist < best_d) {
				best_d = dist;
				best = cand[k];
			}
		}
	}
	return best;
}

/* "Command not found: gte (did you mean `get`?)"; the table's help otherwise. */
int
cmd_not_found(struct shell *sh, const char *name)
{
	const char *s = cmd_suggest(name);

	if (s != NULL)
		return sh_error(sh, ZX_NOCMD, "Command not found: %s (did you mean `%s`?)", name,
				s);
	return sh_error(sh, ZX_NOCMD, "Command not found: %s (try: help)", name);
}

struct flag_spec {
	char name[24];
	int takes_value;
};

static int
parse_template(const char *tpl, struct flag_spec *specs, int max)
{
	int n = 0;
	const char *p = tpl ? tpl : "";

	while (*p != '\0' && n < max) {
		size_t len;

		while (*p == ' ')
			p++;
		len = strcspn(p, " ");
		if (len == 0)
			break;
		specs[n].takes_value = p[len - 1] == ':';
		snprintf(specs[n].name, sizeof(specs[n].name), "%.*s",
			 (int)(len - (size_t)specs[n].takes_value), p);
		n++;
		p += len;
	}
	return n;
}

int
cmd_flag_names(const struct cmd_entry *e, char names[][24], int max)
{
	struct flag_spec specs[ARGS_MAX_FLAGS];
	int n = parse_template(e->flags, specs, ARGS_MAX_FLAGS);

	if (n > max)
		n = max;
	for (int i = 0; i < n; i++)
		memcpy(names[i], specs[i].name, sizeof(names[i]));
	return n;
}

static int
find_flag(const struct flag_spec *specs, int n, const char *name, size_t len)
{
	for (int i = 0; i < n; i++)
		if (strlen(specs[i].name) == len && strncmp(specs[i].name, name, len) == 0)
			return i;
	return -1;
}

const char *
args_get(const struct args *a, const char *name)
{
	struct flag_spec specs[ARGS_MAX_FLAGS];
	int n = parse_template(a->entry->flags, specs, ARGS_MAX_FLAGS);
	int i = find_flag(specs, n, name, strlen(name));

	return i < 0 ? NULL : a->val[i];
}

int
args_has(const struct args *a, const char *name)
{
	return args_get(a, name) != NULL;
}

static int
looks_negative_number(const char *s)
{
	if (s[0] != '-' || !isdigit((unsigned char)s[1]))
		return 0;
	for (s++; *s; s++)
		if (!isdigit((unsigned char)*s) && *s != '.')
			return 0;
	return 1;
}

/* Flags every command understands, outside its template. */
static int
generic_flag(const char *name, const char *next, int *json_override, int *want_help, int *used_next)
{
	*used_next = 0;
	if (strcmp(name, "json") == 0) {
		*json_override = 1;
		return 1;
	}
	if (strcmp(name, "?") == 0 || strcmp(name, "help") == 0) {
		*want_help = 1;
		return 1;
	}
	if (strcmp(name, "o") == 0 && next != NULL &&
	    (strcmp(next, "json") == 0 || strcmp(next, "text") == 0)) {
		*json_override = strcmp(next, "json") == 0;
		*used_next = 1;
		return 1;
	}
	return 0;
}

/* One "-x", "-xyz", "-v3", "-v 3", "--name", "--name=v" word at argv[*i]. */
static int
parse_flag_word(const struct flag_spec *specs, int n, int argc, char **argv, int *i, struct args *a,
		int *json_override, int *want_help, char *err, size_t errlen)
{
	const char *w = argv[*i];
	const char *name = w + 1 + (w[1] == '-');
	const char *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	const char *next = *i + 1 < argc ? argv[*i + 1] : NULL;
	int used_next, k;

	if (eq == NULL && generic_flag(name, next, json_override, want_help, &used_next)) {
		*i += used_next;
		return 0;
	}
	k = find_flag(specs, n, name, len);
	if (k >= 0) {
		if (!specs[k].takes_value) {
			if (eq != NULL) {
				snprintf(err, errlen, "option -%s takes no value", specs[k].name);
				return -1;
			}
			a->val[k] = "";
			return 0;
		}
		if (eq != NULL) {
			a->val[k] = eq + 1;
			return 0;
		}
		if (next == NULL) {
			snprintf(err, errlen, "option -%s needs a value", specs[k].name);
			return -1;
		}
		a->val[k] = next;
		(*i)++;
		return 0;
	}
	/* "-sw": single-letter booleans grouped; "-v3": a letter with its value */
	if (w[1] != '-' && eq == NULL) {
		for (size_t j = 0; j < len; j++) {
			k = find_flag(specs, n, name + j, 1);
			if (k < 0)
				break;
			if (specs[k].takes_value) {
				a->val[k] = name + j + 1;
				if (name[j + 1] == '\0') {
					if (next == NULL) {
						snprintf(err, errlen, "option -%s needs a value",
							 specs[k].name);
						return -1;
					}
					a->val[k] = next;
					(*i)++;
				}
				return 0;
			}
			a->val[k] = "";
			if (j + 1 == len)
				return 0;
		}
	}
	snprintf(err, errlen, "unknown option: %s", w);
	return -1;
}

int
cmd_parse(const struct cmd_entry *e, int argc, char **argv, struct args *a, int *json_override,
	  int *want_help, char *err, size_t errlen)
{
	struct flag_spec specs[ARGS_MAX_FLAGS];
	int n = parse_template(e->flags, specs, ARGS_MAX_FLAGS);
	int out = 0, only_args = 0;

	memset(a, 0, sizeof(*a));
	a->entry = e;
	a->dashdash = -1;
	a->argv = calloc((size_t)argc + 1, sizeof(char *));
	if (a->argv == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (int i = 1; i < argc; i++) {
		const char *w = argv[i];

		if (!only_args && strcmp(w, "--") == 0) {
			only_args = 1;
			a->dashdash = out;
			continue;
		}
		if (!only_args && w[0] == '-' && w[1] != '\0' && !looks_negative_number(w)) {
			if (parse_flag_word(specs, n, argc, argv, &i, a, json_override, want_help,
					    err, errlen) != 0)
				return -1;
			continue;
		}
		a->argv[out++] = argv[i];
	}
	a->argc = out;
	if (*want_help)
		return 0;
	if (a->argc < e->min_args) {
		snprintf(err, errlen, "missing argument");
		return -1;
	}
	if (e->max_args >= 0 && a->argc > e->max_args) {
		snprintf(err, errlen, "too many arguments");
		return -1;
	}
	return 0;
}

void
cmd_usage(struct shell *sh, const struct cmd_entry *e)
{
	(void)sh;
	render_usage(e);
}

/*
 * Everything that can be wrong without asking the server: a bad path, number,
 * version, ACL or server string is a usage error even when no server answers,
 * so it is found before connecting.
 */
static int
check_entry(struct shell *sh, const struct cmd_entry *e, struct args *a)
{
	int rc;

	if (e->complete == CPL_PATH && a->argc > 0) {
		char path[ZKSH_PATH_MAX];
		int seq = strcmp(e->name, "create") == 0 && args_has(a, "s");
		if ((rc = arg_path(sh, a->argv[0], seq, path)) != ZX_OK)
			return rc;
	}
	return e->check != NULL ? e->check(sh, a) : ZX_OK;
}

/* Runs e with parsed arguments: queued in the writer, or after it flushed. */
static int
run_entry(struct shell *sh, const struct cmd_entry *e, struct args *a)
{
	int rc;

	if ((rc = check_entry(sh, e, a)) != ZX_OK) {
		/* the lines before this one are answered before it fails */
		if (sh->bw != NULL)
			batch_flush(sh);
		return rc;
	}
	if (e->attrs & CMD_ZK) {
		rc = conn_ensure(sh);
		if (rc != ZX_OK)
			return rc;
	}
	if (sh->bw != NULL) { /* batch mode's writer: queue a write, or flush first */
		rc = batch_hook(sh, e, a);
		if (rc != ZX_UNBATCHED)
			return rc;
	}
	render_begin(sh);
	if (sh->interactive)
		session_busy(sh->sess, 1);
	rc = e->exec(sh, a);
	if (sh->interactive)
		session_busy(sh->sess, 0);
	render_end(sh, rc);
	return rc;
}

int
cmd_dispatch(struct shell *sh, int argc, char **argv)
{
	const struct cmd_entry *e;
	struct args a;
	char err[256];
	int json_override = -1, want_help = 0, rc;

	if (argc == 0)
		return ZX_OK;
	e = cmd_lookup(argv[0]);
	if (e == NULL)
		return cmd_not_found(sh, argv[0]);
	if (cmd_parse(e, argc, argv, &a, &json_override, &want_help, err, sizeof(err)) != 0) {
		rc = sh_error(sh, ZX_USAGE, "%s: %s", e->name, err);
		cmd_usage(sh, e);
		free(a.argv);
		return rc;
	}
	if (want_help) {
		render_help_entry(sh, e);
		free(a.argv);
		return ZX_OK;
	}
	a.line = sh->line;
	sh->json_override = json_override;
	rc = run_entry(sh, e, &a);
	sh->json_override = -1;
	free(a.argv);
	return rc;
}

int
arg_path(struct shell *sh, const char *arg, int sequential, char *out)
{
	char err[ZKSH_PATH_MAX + 128];

	if (path_resolve(sh->cwd, arg, sequential, out, ZKSH_PATH_MAX, err, sizeof(err)) != 0)
		return sh_error(sh, ZX_USAGE, "%s", err);
	return ZX_OK;
}

int
arg_path_or_cwd(struct shell *sh, const struct args *a, int i, char *out)
{
	if (i < a->argc)
		return arg_path(sh, a->argv[i], 0, out);
	snprintf(out, ZKSH_PATH_MAX, "%s", sh->cwd);
	return ZX_OK;
}

int
arg_version(struct shell *sh, const struct args *a, int *version)
{
	const char *v = args_get(a, "v");
	long long n;

	*version = -1;
	if (v == NULL)
		return ZX_OK;
	if (parse_long(v, &n) != 0 || n < -1 || n > 2147483647LL)
		return sh_error(sh, ZX_USAGE, "%s: version must be an integer, not '%s'",
				a->entry->name, v);
	*version = (int)n;
	return ZX_OK;
}

int
arg_data(struct shell *sh, const struct args *a, const char *text, long overhead, char **data,
	 int *len)
{
	size_t n = 0;

	*data = NULL;
	*len = -1;
	if (text != NULL && args_has(a, "b")) {
		unsigned char *bin;
		long m = b64_decode(text, &bin);
		if (m < 0)
			return sh_error(sh, ZX_USAGE, "%s: -b data is not valid base64",
					a->entry->name);
		*data = (char *)bin;
		n = (size_t)m;
	} else if (text != NULL) {
		n = strlen(text);
		*data = xstrndup(text, n);
	}
	/* the server drops the connection when the request is over jute.maxbuffer */
	if ((long)n + overhead > sh->max_data) {
		free(*data);
		*data = NULL;
		return sh_error(sh, ZX_USAGE,
				"%s: data is %zu bytes, over the server's limit of %ld bytes for "
				"the whole request: with its path, ACL and header the request is "
				"%ld bytes (jute.maxbuffer; see --max-data)",
				a->entry->name, n, sh->max_data, (long)n + overhead);
	}
	*len = text != NULL ? (int)n : -1;
	return ZX_OK;
}
