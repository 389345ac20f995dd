#include "config.h"

#include <stdlib.h>

#include "util.h"
#include "zk/get.h"

int
zkx_get_data(zhandle_t *zh, const char *path, int watch, char **out, int *len, struct Stat *st)
{
	int cap = 64 * 1024;

	for (;;) {
		char *buf = xmalloc((size_t)cap);
		int n = cap;
		int rc = zoo_get(zh, path, watch, buf, &n, st);

		if (rc != ZOK) {
			free(buf);
			return rc;
		}
		if (st->dataLength <= cap) {
			*out = buf;
			*len = n;
			return ZOK;
		}
		free(buf);
		cap = st->dataLength;
		watch = 0; /* the first call set it */
	}
}
