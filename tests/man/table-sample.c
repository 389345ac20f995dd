/*
 * A stand-in for `zksh help --json` (../../SCHEMA.md at the lead's) until
 * the grammar branch lands: dumps today's table in the schema's shape, with
 * the flags of each entry's template and positionals read off its usage.
 * Flag help lines and subcommands are added by gen-sample.py, which wrote
 * tests/man/help-sample.json once. Obsolete (delete it) once `zksh help
 * --json` follows the schema.
 *
 *   cc -DTHREADED -Isrc -I. tests/man/table-sample.c libzksh.a -lzookeeper_mt \
 *      -ledit -lcjson -lcrypto -lpthread -o /tmp/table-sample
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "command.h"

static cJSON *
options(const struct cmd_entry *e)
{
	cJSON *arr = cJSON_CreateArray();
	char buf[256];
	char *tok, *save = NULL;

	if (e->flags == NULL)
		return arr;
	snprintf(buf, sizeof(buf), "%s", e->flags);
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		size_t len = strlen(tok);
		int val = tok[len - 1] == ':';
		char sp[64];
		cJSON *o = cJSON_CreateObject(), *s = cJSON_CreateArray();

		if (val)
			tok[--len] = '\0';
		snprintf(sp, sizeof(sp), len == 1 ? "-%s" : "--%s", tok);
		cJSON_AddItemToArray(s, cJSON_CreateString(sp));
		cJSON_AddItemToObject(o, "spellings", s);
		cJSON_AddStringToObject(o, "type", val ? "string" : "bool");
		if (val)
			cJSON_AddStringToObject(o, "value", "VALUE");
		else
			cJSON_AddNullToObject(o, "value");
		cJSON_AddStringToObject(o, "help", "");
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

static const char *
complete_name(enum cpl c)
{
	switch (c) {
	case CPL_PATH:
		return "path";
	case CPL_COMMAND:
		return "command";
	case CPL_FILE:
		return "file";
	case CPL_HOST:
		return "host";
	default:
		return "none";
	}
}

int
main(void)
{
	cJSON *doc = cJSON_CreateObject(), *cmds = cJSON_CreateArray();
	const struct cmd_entry *e;
	int i = 0;

	cJSON_AddStringToObject(doc, "command", "help");
	cJSON_AddItemToObject(doc, "global_options", cJSON_CreateArray());
	while ((e = cmd_iter(&i)) != NULL) {
		cJSON *c = cJSON_CreateObject(), *al = cJSON_CreateArray(),
		      *at = cJSON_CreateArray();

		cJSON_AddStringToObject(c, "command", e->name);
		if (e->alias)
			cJSON_AddItemToArray(al, cJSON_CreateString(e->alias));
		cJSON_AddItemToObject(c, "aliases", al);
		cJSON_AddStringToObject(c, "usage", e->usage ? e->usage : "");
		cJSON_AddStringToObject(c, "help", e->help ? e->help : "");
		if (e->attrs & CMD_ZK)
			cJSON_AddItemToArray(at, cJSON_CreateString("zk"));
		if (e->attrs & CMD_WRITE)
			cJSON_AddItemToArray(at, cJSON_CreateString("write"));
		if (e->attrs & CMD_SECRET)
			cJSON_AddItemToArray(at, cJSON_CreateString("secret"));
		if (e->attrs & CMD_EMULATED)
			cJSON_AddItemToArray(at, cJSON_CreateString("emulated"));
		cJSON_AddItemToObject(c, "attrs", at);
		cJSON_AddItemToObject(c, "options", options(e));
		cJSON_AddStringToObject(c, "complete", complete_name(e->complete));
		cJSON_AddItemToArray(cmds, c);
	}
	cJSON_AddItemToObject(doc, "commands", cmds);
	char *s = cJSON_Print(doc);
	puts(s);
	return 0;
}
