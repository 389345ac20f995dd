/*
 * Four-letter words: `4lw WORD [host:port]` for any word ZooKeeper knows
 * (`stat` only this way: `stat path` is zkCli's), and srvr, mntr, ruok,
 * conf, cons, envi, wchs, isro, dirs as commands of their own. Each asks one
 * server, the host:port given or else the first host of -server, through
 * the client in zk/fourlw.c; none needs a session, so they work when the
 * server refuses sessions. Text is the server's answer as it is; --json
 * parses it (mntr, dirs, wchs and cons values typed).
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/fourlw.h"
#include "command.h"
#include "zk/connstr.h"
#include "render.h"
#include "zk/session.h"
#include "shell.h"
#include "zk/fourlw.h"
#include "zkerr.h"

/* A four-letter word answers at once; -timeout applies when it is shorter. */
#define FOURLW_DEADLINE_MS 5000

/* ---- arguments --------------------------------------------------------- */

/*
 * "host:port" or "[v6]:port" with a port 1..65535 and a host of name or
 * address characters: checked offline, before any lookup or connect.
 */
int
fourlw_hostport_ok(const char *hp)
{
	const char *port;
	size_t hlen;
	long n = 0;

	if (hp[0] == '[') {
		const char *close = strchr(hp, ']');
		if (close == NULL || close == hp + 1 || close[1] != ':')
			return 0;
		for (const char *c = hp + 1, *zone = NULL; c < close; c++) {
			if (*c == '%' && zone == NULL)
				zone = c; /* fe80::1%eth0: a zone of letters and digits */
			else if (zone ? !isalnum((unsigned char)*c)
				      : !isxdigit((unsigned char)*c) && *c != ':' && *c != '.')
				return 0;
		}
		port = close + 2;
	} else {
		const char *colon = strrchr(hp, ':');
		if (colon == NULL || colon == hp)
			return 0;
		hlen = (size_t)(colon - hp);
		for (size_t i = 0; i < hlen; i++)
			if (!isalnum((unsigned char)hp[i]) && hp[i] != '.' && hp[i] != '-' &&
			    hp[i] != '_')
				return 0;
		port = colon + 1;
	}
	if (*port == '\0' || strlen(port) > 5)
		return 0;
	for (const char *c = port; *c; c++) {
		if (!isdigit((unsigned char)*c))
			return 0;
		n = n * 10 + (*c - '0');
	}
	return n >= 1 && n <= 65535;
}

/*
 * The first host of the connect string (connstr.c: chroot dropped, port
 * 2181 when none, IPv6 back in brackets). A string it refuses is left as
 * it is, for the address check to name.
 */
static void
default_target(const struct shell *sh, char *out, size_t outlen)
{
	const char *hosts = sh->sess != NULL && sh->sess->hosts ? sh->sess->hosts : "";
	struct connstr c;
	char err[256];

	if (connstr_parse(hosts, &c, err, sizeof(err)) != 0 || c.naddrs == 0) {
		snprintf(out, outlen, "%s", hosts);
		return;
	}
	if (strchr(c.addrs[0].host, ':') != NULL)
		snprintf(out, outlen, "[%s]:%d", c.addrs[0].host, c.addrs[0].port);
	else
		snprintf(out, outlen, "%s:%d", c.addrs[0].host, c.addrs[0].port);
	connstr_free(&c);
}

/* The word (for 4lw, argv[0]) and the target of a. */
static void
word_and_target(const struct shell *sh, const struct args *a, const char **word, char *target,
		size_t tlen)
{
	int is4 = strcmp(a->entry->name, "4lw") == 0;
	int ti = is4 ? 1 : 0;

	*word = is4 ? a->argv[0] : a->entry->name;
	if (a->argc > ti)
		snprintf(target, tlen, "%s", a->argv[ti]);
	else
		default_target(sh, target, tlen);
}

static int
check_fourlw(struct shell *sh, struct args *a)
{
	const char *word;
	char target[512];

	word_and_target(sh, a, &word, target, sizeof(target));
	if (!fourlw_known(word)) {
		char list[256] = "";
		for (int i = 0; fourlw_words[i] != NULL; i++)
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
				 i ? " " : "", fourlw_words[i]);
		return sh_error(sh, ZX_USAGE, "4lw: unknown four-letter word '%s' (known: %s)",
				word, list);
	}
	if (!fourlw_hostport_ok(target))
		return sh_error(sh, ZX_USAGE, "%s: bad server address '%s' (want host:port)",
				a->entry->name, target);
	return ZX_OK;
}

/* ---- JSON renderings of the answers ------------------------------------ */

/* A value as a JSON number when it is a decimal one, else as a string. */
static void
add_typed(cJSON *o, const char *key, const char *v, size_t vlen)
{
	double d;
	char *s;

	if (fourlw_number(v, vlen, &d)) {
		cJSON_AddNumberToObject(o, key, d);
		return;
	}
	s = strndup(v, vlen);
	if (s != NULL)
		cJSON_AddStringToObject(o, key, s);
	free(s);
}

static void
add_string(cJSON *o, const char *key, const char *v, size_t vlen)
{
	char *s = strndup(v, vlen);

	if (s != NULL)
		cJSON_AddStringToObject(o, key, s);
	free(s);
}

/* key=value, key<TAB>value, key: value lines; typed or all strings. */
static int
json_pairs(cJSON *o, const char *reply, char sep, int typed)
{
	struct fourlw_pair p;
	int n = 0;

	for (const char *c = reply; (c = fourlw_next_pair(c, sep, &p)) != NULL; n++) {
		char *key = strndup(p.key, p.klen);
		if (key == NULL)
			break;
		cJSON_DeleteItemFromObjectCaseSensitive(o, key); /* a repeated key: the last wins */
		(typed ? add_typed : add_string)(o, key, p.val, p.vlen);
		free(key);
	}
	return n;
}

/* "Node count" -> "node_count"; "Zookeeper version" -> "version". */
static void
srvr_key(const char *k, size_t klen, char *out, size_t outlen)
{
	size_t o = 0;

	if (klen == strlen("Zookeeper version") && strncmp(k, "Zookeeper version", klen) == 0) {
		snprintf(out, outlen, "version");
		return;
	}
	for (size_t i = 0; i < klen && o + 1 < outlen; i++)
		out[o++] = k[i] == ' ' ? '_' : (char)tolower((unsigned char)k[i]);
	out[o] = '\0';
}

/*
 * srvr (and the summary lines of stat): "Key: value". "Latency min/avg/max:
 * 0/0.5/3" splits into latency_min, latency_avg, latency_max (and Proposal
 * sizes likewise); Zxid stays a hex string, as it may not fit a double.
 */
static int
json_srvr(cJSON *o, const char *reply)
{
	struct fourlw_pair p;
	int n = 0;

	for (const char *c = reply; (c = fourlw_next_pair(c, ':', &p)) != NULL;) {
		char key[128];
		const char *sp, *names;

		if (p.key[0] == ' ' || p.vlen == 0)
			continue; /* a client line of stat, or "Clients:" */
		srvr_key(p.key, p.klen, key, sizeof(key));
		sp = memrchr(p.key, ' ', p.klen);
		names = sp ? sp + 1 : NULL;
		if (names != NULL && memchr(names, '/', p.klen - (size_t)(names - p.key)) != NULL) {
			/* "min/avg/max" over "0/0.5/3": one field each */
			size_t plen = strlen(key) - (p.klen - (size_t)(names - p.key));
			const char *nm = names, *nmend = p.key + p.klen, *v = p.val,
				   *vend = p.val + p.vlen;
			while (nm < nmend && v <= vend) {
				size_t nl = strcspn(nm, "/"), vl = strcspn(v, "/\n");
				char sub[192];
				if (nm + nl > nmend)
					nl = (size_t)(nmend - nm);
				if (v + vl > vend)
					vl = (size_t)(vend - v);
				snprintf(sub, sizeof(sub), "%.*s%.*s", (int)plen, key, (int)nl, nm);
				add_typed(o, sub, v, vl);
				nm += nl + 1;
				v += vl + 1;
			}
		} else if (strcmp(key, "zxid") == 0) {
			add_string(o, key, p.val, p.vlen);
		} else {
			add_typed(o, key, p.val, p.vlen);
		}
		n++;
	}
	return n;
}

/* cons, and stat's clients: one object per connection, values typed. */
static cJSON *
json_conns(const char *reply)
{
	cJSON *arr = cJSON_CreateArray();
	struct fourlw_conn c;

	for (const char *p = reply; (p = fourlw_next_conn(p, &c)) != NULL;) {
		cJSON *o = cJSON_CreateObject();
		add_string(o, "address", c.addr, c.addrlen);
		if (c.interest >= 0)
			cJSON_AddNumberToObject(o, "interest", (double)c.interest);
		for (int i = 0; i < c.n; i++) {
			char *key = strndup(c.kv[i].key, c.kv[i].klen);
			if (key != NULL)
				add_typed(o, key, c.kv[i].val, c.kv[i].vlen);
			free(key);
		}
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

int
fourlw_json(cJSON *o, const char *word, const char *reply)
{
	size_t rlen = strcspn(reply, "\r\n");

	if (strcmp(word, "srvr") == 0)
		return json_srvr(o, reply) > 0 ? 0 : -1;
	if (strcmp(word, "stat") == 0) {
		if (json_srvr(o, reply) == 0)
			return -1;
		cJSON_AddItemToObject(o, "clients", json_conns(reply));
		return 0;
	}
	if (strcmp(word, "mntr") == 0)
		return json_pairs(o, reply, '\t', 1) > 0 ? 0 : -1;
	if (strcmp(word, "conf") == 0 || strcmp(word, "envi") == 0)
		return json_pairs(o, reply, '=', 0) > 0 ? 0 : -1;
	if (strcmp(word, "dirs") == 0)
		return json_pairs(o, reply, ':', 1) > 0 ? 0 : -1;
	if (strcmp(word, "cons") == 0) {
		cJSON_AddItemToObject(o, "connections", json_conns(reply));
		return 0;
	}
	if (strcmp(word, "ruok") == 0) {
		cJSON_AddBoolToObject(o, "ok", rlen == 4 && strncmp(reply, "imok", 4) == 0);
		return 0;
	}
	if (strcmp(word, "isro") == 0) {
		if (!(rlen == 2 && (strncmp(reply, "rw", 2) == 0 || strncmp(reply, "ro", 2) == 0)))
			return -1;
		add_string(o, "mode", reply, 2);
		return 0;
	}
	if (strcmp(word, "wchs") == 0) {
		struct fourlw_wchs w;
		if (fourlw_parse_wchs(reply, &w) != 0)
			return -1;
		cJSON_AddNumberToObject(o, "connections", (double)w.connections);
		cJSON_AddNumberToObject(o, "paths", (double)w.paths);
		if (w.watches >= 0)
			cJSON_AddNumberToObject(o, "watches", (double)w.watches);
		return 0;
	}
	/* the other words: the text as it is */
	cJSON_AddStringToObject(o, "word", word);
	cJSON_AddStringToObject(o, "output", reply);
	return 0;
}

/* ---- the command --------------------------------------------------------- */

/* The answer as the server prints it, with a line ending where it lacks one (ruok, isro). */
static void
print_reply(struct shell *sh, const char *reply)
{
	size_t len = strlen(reply);

	render_text(sh, "%s%s", reply, len > 0 && reply[len - 1] != '\n' ? "\n" : "");
}

static int
cmd_fourlw(struct shell *sh, struct args *a)
{
	const char *word;
	char target[512], err[512];
	char *reply = NULL;
	int deadline = FOURLW_DEADLINE_MS, rc = ZX_OK;

	word_and_target(sh, a, &word, target, sizeof(target));
	if (sh->sess != NULL && sh->sess->timeout_ms > 0 && sh->sess->timeout_ms < deadline)
		deadline = sh->sess->timeout_ms;
	if (fourlw_query(target, word, deadline, &reply, err, sizeof(err)) != 0)
		return sh_error(sh, ZX_CONN, "%s: %s: %s", word, target, err);
	if (fourlw_refused(reply)) {
		rc = sh_error(sh, ZX_ZK,
			      "%s: %s refuses the word: it is not in the server's "
			      "4lw.commands.whitelist (add it in zoo.cfg, e.g. "
			      "4lw.commands.whitelist=srvr,%s)",
			      word, target, word);
		goto out;
	}
	if (fourlw_not_serving(reply)) {
		/* the answer is printed: it is what the server says */
		if (sh->result != NULL)
			cJSON_AddBoolToObject(sh->result, "serving", 0);
		else
			print_reply(sh, reply);
		rc = sh_error(sh, ZX_ZK, "%s: %s is not serving requests", word, target);
		goto out;
	}
	if (sh->result != NULL) {
		if (fourlw_json(sh->result, word, reply) != 0)
			rc = sh_error(sh, ZX_ZK, "%s: %s: not a %s answer: %.80s", word, target,
				      word, reply[0] ? reply : "(nothing)");
		goto out;
	}
	print_reply(sh, reply);
out:
	free(reply);
	return rc;
}

#define HOSTPORT_USAGE "[host:port]"

const struct cmd_entry cmd_fourlw_entries[] = {
    {.name = "4lw",
     .min_args = 1,
     .max_args = 2,
     .usage = "WORD " HOSTPORT_USAGE,
     .help = "send any four-letter word (srvr, stat, dump, wchc, ...) to one server: the "
	     "host:port given, else the first of -server; the answer as the server prints it",
     .complete = CPL_HOST,
     .exec = cmd_fourlw,
     .check = check_fourlw},
#define FOURLW_ENTRY(w, h)                                                                         \
	{                                                                                          \
		.name = w, .min_args = 0, .max_args = 1, .usage = HOSTPORT_USAGE, .help = h,       \
		.complete = CPL_HOST, .exec = cmd_fourlw, .check = check_fourlw                    \
	}
    FOURLW_ENTRY("srvr", "the server's version, mode, latency, counts (four-letter word)"),
    FOURLW_ENTRY("mntr", "the server's metrics, key<TAB>value (four-letter word)"),
    FOURLW_ENTRY("ruok", "imok when the server runs (four-letter word)"),
    FOURLW_ENTRY("conf", "the server's configuration, key=value (four-letter word)"),
    FOURLW_ENTRY("cons", "the server's client connections (four-letter word)"),
    FOURLW_ENTRY("envi", "the server's environment, key=value (four-letter word)"),
    FOURLW_ENTRY("wchs", "the server's watch counts (four-letter word)"),
    FOURLW_ENTRY("isro", "rw, or ro for a read-only server (four-letter word)"),
    FOURLW_ENTRY("dirs", "the sizes of the server's data and log directories (four-letter word)"),
#undef FOURLW_ENTRY
    {0},
};
