/*
 * Why nothing answers: before the first session exists, zksh asks every
 * address of the connect string for a TCP connection itself. When each one
 * is refused (loopback refuses at once) or its name does not resolve, there
 * is no point waiting out the session timeout.
 */
#ifndef ZKSH_PROBE_H
#define ZKSH_PROBE_H

#include <stddef.h>

struct connstr;

/*
 * 1 when no address of c can be reached: every resolved address refused
 * the connection within wait_ms (or failed at once) and every other name
 * did not resolve; why then lists them ("127.0.0.1:1 (connection
 * refused)"). 0 when one accepted or is still pending.
 */
int probe_all_refused(const struct connstr *c, int wait_ms, char *why, size_t len);

/* How many hosts of c do not resolve; why names them with the reason. */
int probe_unresolved(const struct connstr *c, char *why, size_t len);

#endif
