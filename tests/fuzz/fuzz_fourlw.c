/*
 * libFuzzer: the four-letter-word answer parsers never overflow or crash:
 * srvr, mntr, conf (zk/fourlw.c), and the commands' pair, number, cons,
 * wchs parsers, address check and --json rendering of every parsed word.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cmd/fourlw.h"
#include "zk/fourlw.h"

static const char *const parsed_words[] = {"srvr", "stat", "mntr", "conf", "envi", "dirs",
					   "cons", "ruok", "isro", "wchs", "dump"};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct fourlw_srvr s;
	struct fourlw_kv kv[16];
	struct fourlw_pair p;
	struct fourlw_conn c;
	struct fourlw_wchs w;
	double d;
	int n;

	memcpy(text, data, size);
	text[size] = '\0';
	(void)fourlw_parse_srvr(text, &s);
	n = fourlw_parse_mntr(text, kv, 16);
	(void)fourlw_get(kv, n, "zk_server_state");
	n = fourlw_parse_conf(text, kv, 16);
	if (n < 0 || n > 16)
		abort();
	(void)fourlw_get(kv, n, "clientPort");
	(void)fourlw_refused(text);
	(void)fourlw_not_serving(text);
	(void)fourlw_known(text);
	(void)fourlw_hostport_ok(text);
	(void)fourlw_number(text, strlen(text), &d);
	(void)fourlw_parse_wchs(text, &w);
	for (const char *q = text; (q = fourlw_next_pair(q, ':', &p)) != NULL;)
		if (p.key + p.klen > text + size || p.val + p.vlen > text + size)
			abort();
	for (const char *q = text; (q = fourlw_next_conn(q, &c)) != NULL;) {
		if (c.n > FOURLW_CONN_FIELDS || c.addr + c.addrlen > text + size)
			abort();
		for (int i = 0; i < c.n; i++)
			if (c.kv[i].val + c.kv[i].vlen > text + size)
				abort();
	}
	for (size_t i = 0; i < sizeof(parsed_words) / sizeof(parsed_words[0]); i++) {
		cJSON *o = cJSON_CreateObject();
		(void)fourlw_json(o, parsed_words[i], text);
		cJSON_Delete(o);
	}
	free(text);
	return 0;
}
