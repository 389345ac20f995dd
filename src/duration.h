/*
 * Durations in zksh's own options carry a unit: "500ms", "20s", "2m",
 * "1h", "1.5s". A bare number is refused, so that nobody has to guess
 * whether "30" means seconds or milliseconds (zkCli's own millisecond
 * options, -timeout and create -t, keep taking plain milliseconds).
 */
#ifndef ZKSH_DURATION_H
#define ZKSH_DURATION_H

#include <stddef.h>

/* The longest duration accepted: 30 days, in milliseconds. */
#define DURATION_MAX_MS (30LL * 24 * 3600 * 1000)

/*
 * Parse s into milliseconds. Returns 0, or -1 with a message in err (which
 * names s and says what a duration looks like).
 */
int parse_duration(const char *s, long long *ms, char *err, size_t errlen);

#endif
