/*
 * libFuzzer: publish's configuration parser and the duration parser. A
 * parsed configuration has valid, sorted, unique keys with their parents;
 * a parsed duration is within range.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "duration.h"
#include "recipes/conf.h"

static void
check_conf(const struct conf *c)
{
	for (int i = 0; i < c->n; i++) {
		const char *k = c->v[i].key, *slash = strrchr(k, '/');

		if (*k == '\0' || *k == '/' || k[strlen(k) - 1] == '/' || strstr(k, "//"))
			abort();
		if (i > 0 && strcmp(c->v[i - 1].key, k) >= 0)
			abort();
		if (slash != NULL) {
			char *parent = strndup(k, (size_t)(slash - k));
			if (conf_find(c, parent) == NULL)
				abort();
			free(parent);
		}
		if (c->v[i].len < -1 || (c->v[i].len >= 0 && c->v[i].data == NULL))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), err[512];
	struct conf c;
	long long ms;

	memcpy(s, data, size);
	s[size] = '\0';
	conf_init(&c);
	if (conf_parse_text(&c, (const char *)data, size, err, sizeof(err)) == 0 &&
	    conf_finish(&c, err, sizeof(err)) == 0)
		check_conf(&c);
	conf_free(&c);
	if (parse_duration(s, &ms, err, sizeof(err)) == 0 && (ms < 0 || ms > DURATION_MAX_MS))
		abort();
	free(s);
	return 0;
}
