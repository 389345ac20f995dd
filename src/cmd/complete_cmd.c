/*
 * zksh __complete (complete_cmd.h): shell completion from the grammar that
 * `zksh help --json` prints, so the bash and zsh scripts parse no usage text.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <zookeeper/zookeeper.h>

#include "cmd/complete_cmd.h"
#include "command.h"
#include "zk/engine.h"
#include "help.h"

#define COMPLETE_TIMEOUT_MS 1000
#define HELP_JSON_MAX	    (16 << 20)

struct cctx {
	int describe;
	const char *server; /* from the line, or NULL */
};

/* ---- the grammar ------------------------------------------------------- */

static char *
read_stream(FILE *f)
{
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap);
	size_t n;

	if (buf == NULL)
		return NULL;
	while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (len + 1 == cap) {
			char *nb;

			if (cap >= HELP_JSON_MAX || (nb = realloc(buf, cap * 2)) == NULL) {
				free(buf);
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
	}
	buf[len] = '\0';
	return buf;
}

/* The grammar of `help --json` (help.c), or the document in $ZKSH_HELP_JSON. */
static cJSON *
load_grammar(void)
{
	const char *file = getenv("ZKSH_HELP_JSON");
	char *text;
	cJSON *doc;
	FILE *f;

	if (file == NULL || *file == '\0')
		return help_grammar();
	f = fopen(file, "r");
	if (f == NULL)
		return NULL;
	text = read_stream(f);
	fclose(f);
	if (text == NULL)
		return NULL;
	doc = cJSON_Parse(text);
	free(text);
	return doc;
}

static const char *
str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const cJSON *
arr(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsArray(v) ? v : NULL;
}

static int
takes_value(const cJSON *opt)
{
	const char *t = str(opt, "type");

	return t != NULL && strcmp(t, "bool") != 0;
}

/* The option of opts that word spells ("--x" or "--x=v"); *eq points at '=' or is NULL. */
static const cJSON *
find_opt(const cJSON *opts, const char *word, const char **eq)
{
	const cJSON *o, *s;
	size_t len;

	*eq = strchr(word, '=');
	len = *eq != NULL ? (size_t)(*eq - word) : strlen(word);
	cJSON_ArrayForEach(o, opts)
	{
		cJSON_ArrayForEach(s, arr(o, "spellings"))
		{
			if (cJSON_IsString(s) && strlen(s->valuestring) == len &&
			    strncmp(s->valuestring, word, len) == 0)
				return o;
		}
	}
	return NULL;
}

/* The command (or subcommand) of list named word, by name or alias. */
static const cJSON *
find_cmd(const cJSON *list, const char *word)
{
	const cJSON *c, *a;

	cJSON_ArrayForEach(c, list)
	{
		const char *name = str(c, "command");

		if (name != NULL && strcmp(name, word) == 0)
			return c;
		cJSON_ArrayForEach(a, arr(c, "aliases"))
		{
			if (cJSON_IsString(a) && strcmp(a->valuestring, word) == 0)
				return c;
		}
	}
	return NULL;
}

/* ---- output ------------------------------------------------------------ */

static void
offer(const struct cctx *cx, const char *prefix, const char *word, const char *help)
{
	if (strncmp(word, prefix, strlen(prefix)) != 0)
		return;
	if (cx->describe && help != NULL && *help != '\0') {
		/* one line: a help with a newline or tab in it would split it */
		printf("%s\t", word);
		for (const char *p = help; *p; p++)
			putchar(*p == '\n' || *p == '\t' ? ' ' : *p);
		putchar('\n');
	} else {
		puts(word);
	}
}

/* One of the options every command takes (--json, -o, --help): command.c. */
static int
is_common(const char *sp)
{
	for (const struct opt_spec *o = cmd_common_options; o->lng != NULL || o->shrt; o++) {
		if (o->shrt && sp[0] == '-' && sp[1] == o->shrt && sp[2] == '\0')
			return 1;
		if (o->lng != NULL && strncmp(sp, "--", 2) == 0 && strcmp(sp + 2, o->lng) == 0)
			return 1;
		if (o->lng != NULL && (o->spell & OPT_DASH1) && sp[0] == '-' &&
		    strcmp(sp + 1, o->lng) == 0)
			return 1;
	}
	return 0;
}

/*
 * The options whose spelling starts with prefix. After a bare "-" the
 * command's own options come alone when it has any (`stat -` offers -w);
 * the ones every command takes (--json, -o, --help) then need "--" or more
 * of their name. common: opts holds a command's options (with those), not
 * the global ones.
 */
static void
offer_opts(const struct cctx *cx, const cJSON *opts, const char *prefix, int common)
{
	const cJSON *o, *s;
	int own = 0;

	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1 && common && own > 0 && strcmp(prefix, "-") == 0)
			break;
		cJSON_ArrayForEach(o, opts)
		{
			cJSON_ArrayForEach(s, arr(o, "spellings"))
			{
				if (!cJSON_IsString(s) ||
				    (common && is_common(s->valuestring)) != pass)
					continue;
				if (strncmp(s->valuestring, prefix, strlen(prefix)) == 0)
					own++;
				offer(cx, prefix, s->valuestring, str(o, "help"));
			}
		}
	}
}

static void
offer_cmds(const struct cctx *cx, const cJSON *list, const char *prefix)
{
	const cJSON *c, *a;

	cJSON_ArrayForEach(c, list)
	{
		const char *name = str(c, "command");

		if (name == NULL || strncmp(name, "__", 2) == 0)
			continue;
		offer(cx, prefix, name, str(c, "help"));
		cJSON_ArrayForEach(a, arr(c, "aliases"))
		{
			if (cJSON_IsString(a))
				offer(cx, prefix, a->valuestring, str(c, "help"));
		}
	}
}

/* ---- znode paths --------------------------------------------------------- */

static pthread_mutex_t conn_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t conn_cv = PTHREAD_COND_INITIALIZER;
static int conn_state; /* 0 waiting, 1 connected, -1 failed */

static void
conn_watcher(zhandle_t *zh, int type, int state, const char *path, void *ctx)
{
	(void)zh;
	(void)path;
	(void)ctx;
	if (type != ZOO_SESSION_EVENT)
		return;
	pthread_mutex_lock(&conn_mu);
	if (state == ZOO_CONNECTED_STATE)
		conn_state = 1;
	else if (state == ZOO_EXPIRED_SESSION_STATE || state == ZOO_AUTH_FAILED_STATE)
		conn_state = -1;
	pthread_cond_broadcast(&conn_cv);
	pthread_mutex_unlock(&conn_mu);
}

static int
timeout_ms(void)
{
	const char *v = getenv("ZKSH_COMPLETE_TIMEOUT");
	long n;
	char *end;

	if (v == NULL || *v == '\0')
		return COMPLETE_TIMEOUT_MS;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0' || n < 1 || n > 60000)
		return COMPLETE_TIMEOUT_MS;
	return (int)n;
}

/* Connected within the deadline, or NULL. */
static zhandle_t *
connect_quickly(const char *server, int ms)
{
	struct timespec dl;
	zhandle_t *zh;
	int ok;

	zoo_set_debug_level(getenv("ZKSH_DEBUG") ? ZOO_LOG_LEVEL_DEBUG : 0);
	zh = zookeeper_init(server, conn_watcher, ms < 4000 ? 4000 : ms, NULL, NULL, 0);
	if (zh == NULL)
		return NULL;
	eng_deadline(&dl, ms);
	pthread_mutex_lock(&conn_mu);
	while (conn_state == 0)
		if (pthread_cond_timedwait(&conn_cv, &conn_mu, &dl) != 0)
			break;
	ok = conn_state == 1;
	pthread_mutex_unlock(&conn_mu);
	if (!ok) {
		zookeeper_close(zh);
		return NULL;
	}
	return zh;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The children of prefix's parent whose names start as prefix's last part does. */
static void
offer_paths(const struct cctx *cx, const char *prefix)
{
	const char *env = getenv("ZKSH_SERVER");
	const char *server = cx->server ? cx->server : env && *env ? env : "localhost:2181";
	char dir[4096], cand[8192];
	const char *slash;
	struct String_vector kids;
	zhandle_t *zh;

	if (prefix[0] != '/')
		return; /* empty, or relative to the cd of a shell that is not running */
	slash = strrchr(prefix, '/');
	snprintf(dir, sizeof(dir), "%.*s", slash == prefix ? 1 : (int)(slash - prefix), prefix);
	zh = connect_quickly(server, timeout_ms());
	if (zh == NULL)
		return;
	memset(&kids, 0, sizeof(kids));
	if (zoo_get_children(zh, dir, 0, &kids) == ZOK) {
		qsort(kids.data, (size_t)kids.count, sizeof(char *), cmp_str);
		for (int i = 0; i < kids.count; i++) {
			snprintf(cand, sizeof(cand), "%s/%s", strcmp(dir, "/") == 0 ? "" : dir,
				 kids.data[i]);
			offer(cx, prefix, cand, NULL);
		}
		deallocate_String_vector(&kids);
	}
	zookeeper_close(zh);
}

/* ---- values and positionals -------------------------------------------- */

static void
offer_value(const struct cctx *cx, const cJSON *opt, const char *prefix, const char *before)
{
	const char *t = str(opt, "type");
	const cJSON *c;
	char buf[4096];

	if (t == NULL)
		return;
	if (strcmp(t, "enum") == 0) {
		cJSON_ArrayForEach(c, arr(opt, "choices"))
		{
			if (!cJSON_IsString(c))
				continue;
			snprintf(buf, sizeof(buf), "%s%s", before, c->valuestring);
			offer(cx, prefix, buf, NULL);
		}
	} else if (strcmp(t, "file") == 0) {
		puts(":file");
	} else if (strcmp(t, "path") == 0 && *before == '\0') {
		offer_paths(cx, prefix);
	}
}

static void
offer_positional(const struct cctx *cx, const cJSON *root, const cJSON *cmd, int index,
		 const char *prefix)
{
	const cJSON *pos = arr(cmd, "positionals"), *p = NULL, *last = NULL;
	const cJSON *it;
	const char *kind;
	int i = 0;

	cJSON_ArrayForEach(it, pos)
	{
		last = it;
		if (i++ == index)
			p = it;
	}
	if (p == NULL && last != NULL && cJSON_IsTrue(cJSON_GetObjectItem(last, "repeated")))
		p = last;
	if (p == NULL)
		return;
	kind = str(p, "complete");
	if (kind == NULL)
		return;
	if (strcmp(kind, "path") == 0)
		offer_paths(cx, prefix);
	else if (strcmp(kind, "file") == 0)
		puts(":file");
	else if (strcmp(kind, "command") == 0)
		offer_cmds(cx, arr(root, "commands"), prefix);
}

/* ---- the line ---------------------------------------------------------- */

/* The words after the command (and subcommand) up to the current one. */
static void
complete_args(struct cctx *cx, const cJSON *root, const cJSON *cmd, char **w, int n)
{
	const cJSON *opts = arr(cmd, "options"), *o;
	const char *cur = w[n - 1], *eq;
	int k, npos = 0;

	for (k = 0; k < n - 1; k++) {
		if (strcmp(w[k], "--") == 0)
			return; /* a command of its own follows (lock, elect, register) */
		if (w[k][0] == '-' && w[k][1] != '\0' && (o = find_opt(opts, w[k], &eq)) != NULL) {
			if (takes_value(o) && eq == NULL) {
				if (k + 1 == n - 1) {
					offer_value(cx, o, cur, "");
					return;
				}
				k++;
			}
			continue;
		}
		if (w[k][0] == '-' && w[k][1] != '\0')
			continue; /* unknown here: leave it */
		npos++;
	}
	if (cur[0] == '-') {
		o = find_opt(opts, cur, &eq);
		if (o != NULL && eq != NULL && takes_value(o)) {
			char before[256];

			snprintf(before, sizeof(before), "%.*s", (int)(eq - cur + 1), cur);
			offer_value(cx, o, cur, before);
			return;
		}
		offer_opts(cx, opts, cur, 1);
		return;
	}
	offer_positional(cx, root, cmd, npos, cur);
}

static void
complete_line(struct cctx *cx, const cJSON *root, char **w, int n)
{
	const cJSON *glob = arr(root, "global_options"), *o, *cmd, *sub;
	const char *cur = w[n - 1], *eq;
	int i = 0;

	/* global options before the command */
	while (i < n - 1 && w[i][0] == '-' && w[i][1] != '\0') {
		o = find_opt(glob, w[i], &eq);
		if (o != NULL && takes_value(o)) {
			const char *v = eq != NULL ? eq + 1 : i + 1 < n - 1 ? w[i + 1] : NULL;
			const cJSON *s = cJSON_GetArrayItem(arr(o, "spellings"), 0);

			if (eq == NULL && i + 1 == n - 1) {
				offer_value(cx, o, cur, "");
				return;
			}
			if (v != NULL && s != NULL && cJSON_IsString(s) &&
			    strstr(s->valuestring, "server") != NULL)
				cx->server = v;
			i += eq != NULL ? 1 : 2;
			continue;
		}
		i++;
	}
	if (i == n - 1) {
		if (cur[0] == '-') {
			o = find_opt(glob, cur, &eq);
			if (o != NULL && eq != NULL && takes_value(o)) {
				char before[256];

				snprintf(before, sizeof(before), "%.*s", (int)(eq - cur + 1), cur);
				offer_value(cx, o, cur, before);
			} else {
				offer_opts(cx, glob, cur, 0);
			}
		} else {
			offer_cmds(cx, arr(root, "commands"), cur);
		}
		return;
	}
	cmd = find_cmd(arr(root, "commands"), w[i]);
	if (cmd == NULL)
		return;
	i++;
	if (cJSON_GetArraySize(arr(cmd, "subcommands")) > 0) {
		const cJSON *fam = arr(cmd, "options");
		int j = i;

		/* flags of the family before the word, with their values */
		while (j < n - 1 && w[j][0] == '-') {
			o = find_opt(fam, w[j], &eq);
			if (o != NULL && takes_value(o) && eq == NULL) {
				if (j + 1 == n - 1) {
					offer_value(cx, o, cur, "");
					return;
				}
				j++;
			}
			j++;
		}
		if (j == n - 1) {
			if (cur[0] == '-')
				offer_opts(cx, arr(cmd, "options"), cur, 1);
			else
				offer_cmds(cx, arr(cmd, "subcommands"), cur);
			return;
		}
		sub = find_cmd(arr(cmd, "subcommands"), w[j]);
		if (sub == NULL)
			return;
		/* the family's flags before the subcommand are not the sub's */
		complete_args(cx, root, sub, w + j + 1, n - j - 1);
		return;
	}
	complete_args(cx, root, cmd, w + i, n - i);
}

int
complete_cmd_main(int argc, char **argv)
{
	struct cctx cx;
	cJSON *root;
	char *empty[] = {""};
	int i = 1;

	memset(&cx, 0, sizeof(cx));
	if (i < argc && strcmp(argv[i], "--describe") == 0) {
		cx.describe = 1;
		i++;
	}
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	root = load_grammar();
	if (root == NULL) {
		fprintf(stderr, "zksh __complete: cannot read the grammar (help --json)\n");
		return 0;
	}
	if (i >= argc)
		complete_line(&cx, root, empty, 1);
	else
		complete_line(&cx, root, argv + i, argc - i);
	cJSON_Delete(root);
	return fflush(stdout) != 0 ? 5 : 0;
}
