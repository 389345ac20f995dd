#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "duration.h"

static const struct {
	const char *name;
	long long ms;
} units[] = {
    {"ms", 1},
    {"s", 1000},
    {"m", 60 * 1000},
    {"h", 3600 * 1000},
};

static long long
unit_ms(const char *u)
{
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(u, units[i].name) == 0)
			return units[i].ms;
	return -1;
}

static int
refuse(const char *s, const char *why, char *err, size_t errlen)
{
	snprintf(err, errlen,
		 "invalid duration '%s': %s (a number with a unit: 500ms, 20s, 2m, 1h)", s, why);
	return -1;
}

int
parse_duration(const char *s, long long *ms, char *err, size_t errlen)
{
	long long whole = 0, frac = 0, scale = 1, per;
	const char *p = s;
	int digits = 0;

	if (s == NULL || *s == '\0')
		return refuse(s ? s : "", "empty", err, errlen);
	for (; isdigit((unsigned char)*p); p++, digits++) {
		if (whole > DURATION_MAX_MS)
			return refuse(s, "too long", err, errlen);
		whole = whole * 10 + (*p - '0');
	}
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++, digits++) {
			if (scale < 1000000) {
				frac = frac * 10 + (*p - '0');
				scale *= 10;
			}
		}
	}
	if (digits == 0)
		return refuse(s, "no number", err, errlen);
	if (*p == '\0')
		return refuse(s, "no unit", err, errlen);
	per = unit_ms(p);
	if (per < 0)
		return refuse(s, "unknown unit", err, errlen);
	if (whole > DURATION_MAX_MS / per)
		return refuse(s, "longer than 30 days", err, errlen);
	*ms = whole * per + frac * per / scale;
	if (*ms > DURATION_MAX_MS)
		return refuse(s, "longer than 30 days", err, errlen);
	return 0;
}
