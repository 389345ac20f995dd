/* libFuzzer: the srvr, mntr and conf reply parsers never overflow. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zk/fourlw.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct fourlw_srvr s;
	struct fourlw_kv kv[16];
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
	free(text);
	return 0;
}
