/* libFuzzer: export lines (header or node) decode or name the problem, never crash. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backupfmt.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *line, err[1024];
	struct bnode n;
	struct bheader h;
	struct bcheck c;

	memcpy(text, data, size);
	text[size] = '\0';
	err[0] = '\0';
	if (bfmt_decode_node(text, &n, err, sizeof(err)) == 0) {
		if (n.path == NULL || n.path[0] != '/' || n.acl.count < 1)
			abort();
		/* what decodes encodes, and decodes again to the same line */
		line = bfmt_encode_node(&n);
		bfmt_node_free(&n);
		if (bfmt_decode_node(line, &n, err, sizeof(err)) != 0)
			abort();
		bcheck_init(&c, 1 << 20);
		bcheck_node(&c, &n, err, sizeof(err));
		bcheck_free(&c);
		bfmt_node_free(&n);
		free(line);
	} else if (err[0] == '\0') {
		abort();
	}
	if (bfmt_decode_header(text, &h, err, sizeof(err)) == 0)
		bfmt_header_free(&h);
	free(text);
	return 0;
}
