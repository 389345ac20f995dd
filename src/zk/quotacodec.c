#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "zk/quotacodec.h"

void
quota_init(struct quota *q)
{
	memset(q, 0, sizeof(*q));
	q->count = q->bytes = q->count_hard = q->byte_hard = -1;
}

void
quota_parse(const char *data, int len, struct quota *q)
{
	char *copy, *save = NULL, *tok;

	quota_init(q);
	if (data == NULL || len <= 0)
		return;
	copy = xstrndup(data, (size_t)len);
	for (tok = strtok_r(copy, ",;", &save); tok; tok = strtok_r(NULL, ",;", &save)) {
		char *eq = strchr(tok, '=');
		long long v;

		if (eq == NULL)
			continue;
		*eq = '\0';
		v = strtoll(eq + 1, NULL, 10);
		if (strcmp(tok, "count") == 0)
			q->count = v;
		else if (strcmp(tok, "bytes") == 0)
			q->bytes = v;
		else if (strcmp(tok, "countHardLimit") == 0)
			q->count_hard = v, q->has_count_hard = 1;
		else if (strcmp(tok, "byteHardLimit") == 0)
			q->byte_hard = v, q->has_byte_hard = 1;
	}
	free(copy);
}

/* snprintf at *n into out, *n never past outlen (so a short buffer is cut, not overrun). */
static void
add(char *out, size_t outlen, size_t *n, const char *fmt, long long v)
{
	int w;

	if (*n >= outlen)
		return;
	w = snprintf(out + *n, outlen - *n, fmt, v);
	if (w > 0)
		*n = *n + (size_t)w < outlen ? *n + (size_t)w : outlen;
}

void
quota_format(const struct quota *q, char *out, size_t outlen)
{
	size_t n = 0;

	if (outlen == 0)
		return;
	out[0] = '\0';
	add(out, outlen, &n, "count=%lld", q->count);
	add(out, outlen, &n, ",bytes=%lld", q->bytes);
	if (!q->has_byte_hard && !q->has_count_hard)
		return;
	if (n < outlen - 1) {
		out[n++] = '=';
		out[n] = '\0';
	}
	if (q->has_byte_hard)
		add(out, outlen, &n, ";byteHardLimit=%lld", q->byte_hard);
	if (q->has_count_hard)
		add(out, outlen, &n, ";countHardLimit=%lld", q->count_hard);
}

void
quota_set_field(struct quota *q, int which, long long v)
{
	switch (which) {
	case QUOTA_COUNT:
		q->count = v;
		break;
	case QUOTA_BYTES:
		q->bytes = v;
		break;
	case QUOTA_COUNT_HARD:
		q->count_hard = v;
		q->has_count_hard = 1;
		break;
	case QUOTA_BYTE_HARD:
		q->byte_hard = v;
		q->has_byte_hard = 1;
		break;
	}
}

void
quota_path(const char *path, const char *leaf, char *out)
{
	snprintf(out, QUOTA_PATH_MAX, "%s%s%s%s", QUOTA_ROOT, path, leaf ? "/" : "",
		 leaf ? leaf : "");
}
