/* libFuzzer: path validation and resolution never overflow and agree. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zk/path.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *arg = malloc(size + 1);
	char out[4096], err[8192];

	memcpy(arg, data, size);
	arg[size] = '\0';
	for (int seq = 0; seq < 2; seq++) {
		path_validate(arg, seq, err, sizeof(err));
		if (path_resolve("/app/conf", arg, seq, out, sizeof(out), err, sizeof(err)) == 0) {
			/* whatever resolves must itself be a valid absolute path */
			if (out[0] != '/' || path_validate(out, seq, err, sizeof(err)) != 0)
				abort();
		}
	}
	free(arg);
	return 0;
}
