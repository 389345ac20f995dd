#include "config.h"

#include <stdlib.h>

#include "util.h"
#include "zk/engine.h"
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

static void
sync_done(int rc, const char *value, const void *data)
{
	(void)value;
	eng_wait_done((struct eng_wait *)data, rc);
}

int
zkx_sync(zhandle_t *zh, const char *path, int deadline_ms)
{
	struct eng_wait *w = xmalloc(sizeof(*w));
	int rc;

	eng_wait_init(w);
	rc = zoo_async(zh, path, sync_done, w);
	if (rc == ZOK)
		rc = eng_wait_for(w, deadline_ms);
	if (rc == ZOPERATIONTIMEOUT && !eng_wait_answered(w))
		return rc; /* w stays: the answer may still come */
	eng_wait_destroy(w);
	free(w);
	return rc;
}
