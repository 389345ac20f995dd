/*
 * The recipes that keep no child running: incr, wait, queue, publish and
 * fetch (their table entries are in recipes.c, with the shared helpers).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "cmd/common.h"
#include "cmd/recipes.h"
#include "command.h"
#include "recipes/conf.h"
#include "recipes/recipes.h"
#include "render.h"
#include "zk/session.h"
#include "shell.h"
#include "util.h"
#include "zkerr.h"

/* ---- incr ---------------------------------------------------------------- */

int
cmd_incr(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX], text[32];
	long long delta = 1, init = 0, value;
	const char *iv = args_get(a, "init");
	struct sigsave ss;
	struct rcp r;
	int rc;

	if ((rc = arg_path(sh, a->argv[0], 0, path)) != ZX_OK)
		return rc;
	if (a->argc > 1 && parse_long(a->argv[1], &delta) != 0)
		return sh_error(sh, ZX_USAGE, "incr: DELTA must be an integer, not '%s'",
				a->argv[1]);
	if (iv != NULL && parse_long(iv, &init) != 0)
		return sh_error(sh, ZX_USAGE, "incr: --init must be an integer, not '%s'", iv);
	if ((rc = connect_now(sh, &r)) != ZX_OK)
		return rc;
	recipe_begin(sh, &ss);
	rc = rcp_incr(&r, path, delta, init, &value);
	recipe_end(&ss);
	if (rc != RCP_OK)
		return recipe_fail(sh, "incr", &r, rc);
	snprintf(text, sizeof(text), "%lld", value);
	render_number(sh, "value", value, text);
	return ZX_OK;
}

/* ---- wait ---------------------------------------------------------------- */

static int
wait_cond(struct shell *sh, const struct args *a, struct rcp_wait *w)
{
	const char *names[] = {"exists", "gone", "value", "changed", "children"};
	const char *v;
	long long n;
	int given = 0;

	memset(w, 0, sizeof(*w));
	w->since = -1;
	for (int i = 0; i < 5; i++)
		if (args_has(a, names[i])) {
			w->cond = (enum rcp_cond)i;
			given++;
		}
	if (given > 1)
		return sh_error(
		    sh, ZX_USAGE,
		    "wait: give one of --exists, --gone, --value, --changed, --children");
	w->value = args_get(a, "value");
	if ((v = args_get(a, "since")) != NULL) {
		if (w->cond != WAIT_CHANGED)
			return sh_error(sh, ZX_USAGE, "wait: --since goes with --changed");
		if (parse_long(v, &n) != 0 || n < 0)
			return sh_error(sh, ZX_USAGE,
					"wait: --since wants an mzxid (0x... or decimal), "
					"not '%s'",
					v);
		w->since = n;
	}
	if ((v = args_get(a, "children")) != NULL) {
		if (parse_long(v, &n) != 0 || n < 0 || n > 1000000000)
			return sh_error(sh, ZX_USAGE, "wait: --children wants a count, not '%s'",
					v);
		w->children = (int)n;
	}
	return ZX_OK;
}

int
cmd_wait(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX], text[32];
	long long timeout = -1;
	struct rcp_wait w;
	struct sigsave ss;
	struct rcp r;
	int rc;

	if ((rc = arg_path(sh, a->argv[0], 0, path)) != ZX_OK)
		return rc;
	if ((rc = wait_cond(sh, a, &w)) != ZX_OK ||
	    (rc = arg_duration(sh, a, "timeout", &timeout)) != ZX_OK)
		return rc;
	if ((rc = connect_now(sh, &r)) != ZX_OK)
		return rc;
	recipe_begin(sh, &ss);
	rc = rcp_wait_for(&r, path, &w, deadline_in(timeout));
	recipe_end(&ss);
	if (rc == RCP_TIMEOUT)
		return sh_error(sh, ZX_TIMEOUT, "wait: %s: timed out", path);
	if (rc != RCP_OK)
		return recipe_fail(sh, "wait", &r, rc);
	if (w.cond == WAIT_CHANGED) {
		snprintf(text, sizeof(text), "0x%llx", (unsigned long long)w.mzxid);
		render_value(sh, "mzxid", text, text);
	}
	return ZX_OK;
}

/* ---- queue --------------------------------------------------------------- */

int
cmd_queue(struct shell *sh, struct args *a)
{
	const char *op = a->argv[0];
	char path[ZKSH_PATH_MAX], out[ZKSH_PATH_MAX + 16];
	long long wait_ms = -1;
	struct sigsave ss;
	struct rcp r;
	char *data;
	int len, rc;

	if (strcmp(op, "push") != 0 && strcmp(op, "pop") != 0)
		return sh_error(sh, ZX_USAGE, "queue: push or pop, not '%s'", op);
	if (a->argc != (strcmp(op, "push") == 0 ? 3 : 2))
		return sh_error(sh, ZX_USAGE,
				"queue: usage: queue push PATH DATA | queue pop "
				"[--wait DURATION] PATH");
	if ((rc = arg_path(sh, a->argv[1], 0, path)) != ZX_OK)
		return rc;
	if (strcmp(op, "push") == 0) {
		if (args_has(a, "wait"))
			return sh_error(sh, ZX_USAGE, "queue: --wait goes with pop");
		/* the item's node is PATH/ plus a name and a 10-digit sequence */
		if ((rc = arg_data(sh, a, a->argv[2],
				   create_overhead(sh, path, &ZOO_OPEN_ACL_UNSAFE, 0) + 32, &data,
				   &len)) != ZX_OK)
			return rc;
		if ((rc = connect_now(sh, &r)) == ZX_OK) {
			rc = rcp_queue_push(&r, path, data, len, out, sizeof(out));
			if (rc == RCP_OK)
				render_value(sh, "path", out, out);
			rc = recipe_fail(sh, "queue push", &r, rc);
		}
		free(data);
		return rc;
	}
	if ((rc = arg_duration(sh, a, "wait", &wait_ms)) != ZX_OK)
		return rc;
	if ((rc = connect_now(sh, &r)) != ZX_OK)
		return rc;
	recipe_begin(sh, &ss);
	rc = rcp_queue_pop(&r, path, args_has(a, "wait"), deadline_in(wait_ms), &data, &len);
	recipe_end(&ss);
	if (rc == RCP_EMPTY)
		return sh_error(sh, ZX_ZK, "queue pop: %s is empty", path);
	if (rc == RCP_TIMEOUT)
		return sh_error(sh, ZX_TIMEOUT, "queue pop: %s: nothing came in time", path);
	if (rc != RCP_OK)
		return recipe_fail(sh, "queue pop", &r, rc);
	render_data(sh, data, len, args_has(a, "b") ? DATA_BASE64 : DATA_TEXT);
	free(data);
	return ZX_OK;
}

/* ---- publish / fetch ------------------------------------------------------ */

static const char *
arg_ready(struct shell *sh, const struct args *a)
{
	const char *v = args_get(a, "ready");

	if (v == NULL)
		return "ready";
	if (*v == '\0' || strchr(v, '/') != NULL || strcmp(v, ".") == 0 || strcmp(v, "..") == 0) {
		sh_error(sh, ZX_USAGE, "%s: --ready wants a node name, not '%s'", a->entry->name,
			 v);
		return NULL;
	}
	return v;
}

/* FILE, DIR or - into c; a message and ZX_USAGE/ZX_IO on failure. */
static int
read_config(struct shell *sh, const char *src, const char *ready, struct conf *c)
{
	char err[512];
	struct stat st;
	struct buf b;
	int rc = 0;

	if (strcmp(src, "-") != 0 && stat(src, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (conf_read_dir(c, src, err, sizeof(err)) != 0)
			return sh_error(sh, 5, "publish: %s", err);
	} else {
		FILE *f = strcmp(src, "-") == 0 ? stdin : fopen(src, "rb");
		char chunk[8192];
		size_t n;

		if (f == NULL)
			return sh_error(sh, 5, "publish: cannot open %s: %s", src, strerror(errno));
		buf_init(&b);
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			buf_add(&b, chunk, n);
		if (ferror(f))
			rc = sh_error(sh, 5, "publish: cannot read %s: %s", src, strerror(errno));
		if (f != stdin)
			fclose(f);
		if (rc == 0 &&
		    conf_parse_text(c, b.data ? b.data : "", b.len, err, sizeof(err)) != 0)
			rc = sh_error(sh, ZX_USAGE, "publish: %s: %s", src, err);
		buf_free(&b);
		if (rc != 0)
			return rc;
	}
	if (conf_finish(c, err, sizeof(err)) != 0)
		return sh_error(sh, ZX_USAGE, "publish: %s: %s", src, err);
	if (conf_find(c, ready) != NULL)
		return sh_error(
		    sh, ZX_USAGE,
		    "publish: %s has a key '%s', the name of the ready node (see --ready)", src,
		    ready);
	for (int i = 0; i < c->n; i++)
		if (c->v[i].len > sh->max_data)
			return sh_error(sh, ZX_USAGE,
					"publish: %s is %d bytes, over the limit of %ld",
					c->v[i].key, c->v[i].len, sh->max_data);
	return ZX_OK;
}

int
cmd_publish(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX];
	const char *ready = arg_ready(sh, a);
	struct conf c;
	struct rcp r;
	int rc;

	if (ready == NULL)
		return ZX_USAGE;
	if ((rc = arg_path(sh, a->argv[0], 0, path)) != ZX_OK)
		return rc;
	conf_init(&c);
	if ((rc = read_config(sh, a->argv[1], ready, &c)) == ZX_OK &&
	    (rc = connect_now(sh, &r)) == ZX_OK) {
		rc = rcp_publish(&r, path, ready, &c);
		if (rc == RCP_OK)
			render_number(sh, "keys", c.n, NULL);
		rc = recipe_fail(sh, "publish", &r, rc);
	}
	conf_free(&c);
	return rc;
}

/* The object for key's parent in a nested JSON rendering. */
static cJSON *
json_parent(cJSON *root, const char *key, const char **leaf)
{
	const char *s;
	cJSON *o = root;

	while ((s = strchr(key, '/')) != NULL) {
		char name[4096];
		cJSON *next;

		snprintf(name, sizeof(name), "%.*s", (int)(s - key), key);
		next = cJSON_GetObjectItemCaseSensitive(o, name);
		if (!cJSON_IsObject(next)) {
			/* a node with data and children: its data goes under "" */
			cJSON *obj = cJSON_CreateObject();
			if (next != NULL) {
				cJSON_DetachItemViaPointer(o, next);
				if (cJSON_IsString(next) && *next->valuestring == '\0')
					cJSON_Delete(next);
				else
					cJSON_AddItemToObject(obj, "", next);
			}
			cJSON_AddItemToObject(o, name, obj);
			next = obj;
		}
		o = next;
		key = s + 1;
	}
	*leaf = key;
	return o;
}

static void
fetch_render(struct shell *sh, const struct conf *c)
{
	if (sh->result != NULL) {
		cJSON *root = cJSON_AddObjectToObject(sh->result, "config");
		for (int i = 0; i < c->n; i++) {
			const char *leaf;
			cJSON *o = json_parent(root, c->v[i].key, &leaf);
			cJSON *have = cJSON_GetObjectItemCaseSensitive(o, leaf);
			char *d = xstrndup(c->v[i].data ? c->v[i].data : "",
					   c->v[i].len > 0 ? (size_t)c->v[i].len : 0);

			if (cJSON_IsObject(have))
				cJSON_AddStringToObject(have, "", d);
			else if (c->v[i].len < 0)
				cJSON_AddNullToObject(o, leaf);
			else
				cJSON_AddStringToObject(o, leaf, d);
			free(d);
		}
		return;
	}
	out_lock();
	for (int i = 0; i < c->n; i++)
		printf("%s=%.*s\n", c->v[i].key, c->v[i].len > 0 ? c->v[i].len : 0,
		       c->v[i].data ? c->v[i].data : "");
	out_unlock();
}

int
cmd_fetch(struct shell *sh, struct args *a)
{
	char path[ZKSH_PATH_MAX];
	const char *ready = arg_ready(sh, a);
	long long timeout = -1;
	struct sigsave ss;
	struct conf c;
	struct rcp r;
	int rc;

	if (ready == NULL)
		return ZX_USAGE;
	if ((rc = arg_path(sh, a->argv[0], 0, path)) != ZX_OK ||
	    (rc = arg_duration(sh, a, "timeout", &timeout)) != ZX_OK)
		return rc;
	if ((rc = connect_now(sh, &r)) != ZX_OK)
		return rc;
	conf_init(&c);
	recipe_begin(sh, &ss);
	rc = rcp_fetch(&r, path, ready, deadline_in(timeout), &c);
	recipe_end(&ss);
	if (rc == RCP_OK)
		fetch_render(sh, &c);
	else if (rc == RCP_TIMEOUT)
		rc = sh_error(sh, ZX_TIMEOUT, "fetch: %s: not ready in time", path);
	else
		rc = recipe_fail(sh, "fetch", &r, rc);
	conf_free(&c);
	return rc;
}
