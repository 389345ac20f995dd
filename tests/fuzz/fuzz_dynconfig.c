/* libFuzzer: server strings and config text parse without overflow, and round-trip. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ensemble/dynconfig.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	char err[512], out[1024];
	struct dc_server s, s2;
	struct dc_config *c = malloc(sizeof(*c)), *c2 = malloc(sizeof(*c2));

	memcpy(text, data, size);
	text[size] = '\0';
	if (dc_parse_server(text, &s, err, sizeof(err)) == 0) {
		/* what formats must parse back to the same server */
		dc_format_server(&s, out, sizeof(out));
		if (dc_parse_server(out, &s2, err, sizeof(err)) != 0 || !dc_same(&s, &s2))
			abort();
		dc_client_address(&s, out, sizeof(out));
	}
	if (dc_parse_config(text, c, err, sizeof(err)) == 0) {
		char *again = dc_format_config(c, 1);
		if (dc_parse_config(again, c2, err, sizeof(err)) != 0 || c2->n != c->n ||
		    c2->version != c->version)
			abort();
		free(again);
	}
	free(c);
	free(c2);
	free(text);
	return 0;
}
