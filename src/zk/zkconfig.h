/*
 * The text of /zookeeper/config and the arguments of reconfig, as zkCli
 * reads and checks them; pure (no I/O, no ZooKeeper calls). The structured
 * parser of the same text, for the planner, is ensemble/dynconfig.h; these
 * functions keep zkCli's looser rules (several quorum addresses joined by
 * '|', group. and weight. lines, and the messages zkCli users know).
 */
#ifndef ZKSH_ZK_ZKCONFIG_H
#define ZKSH_ZK_ZKCONFIG_H

#include <stddef.h>

/* The value of the "version=" line of a configuration into out, "" when there is none. */
void zkconfig_version(const char *cfg, char *out, size_t outlen);

/*
 * config -c: "<version> <host:port,...>", the client address of every
 * server line in file order, a missing client host given as 0.0.0.0
 * (malloc'd).
 */
char *zkconfig_clients(const char *cfg);

/* A lower-cased copy of s (ASCII letters only), NULL for NULL (malloc'd). */
char *zkconfig_lowered(const char *s);

/*
 * The lines of a dynamic config file that reconfig -file sends: server.,
 * group. and weight. lines joined by '\n' and lower-cased into *out
 * (malloc'd); blank lines, '#' comments and version= are skipped, and a
 * line ends at its first '\r' or '\n'. Returns 0; -1 when a line is none
 * of those (*bad and *badlen give it, without its line end; *out is not
 * set); -2 when there is no line to send.
 */
int zkconfig_members(const char *text, char **out, const char **bad, size_t *badlen);

/* A port: decimal, 1..65535, n bytes at p. */
int zkconfig_valid_port(const char *p, size_t n);
/* A server id: 1 to 18 decimal digits, n bytes at p. */
int zkconfig_valid_id(const char *p, size_t n);

/*
 * One entry of -add/-members (lower-cased), n bytes at s, ZooKeeper's
 * QuorumServer format:
 *   server.<id>=<host>:<quorumPort>:<electionPort>[:participant|observer]
 *     [|<another quorum address>...][;[<clientHost>:]<clientPort>]
 * A host may be "[v6]". With members, group.<n>=... and weight.<id>=...
 * are taken as they are (the server checks them).
 */
int zkconfig_valid_server(const char *s, size_t n, int members);

/*
 * Every entry of list (entries separated by ',' or '\n'): server ids when
 * ids, else server entries (zkconfig_valid_server with members). Returns 0,
 * or -1 with *bad and *badlen giving the first bad entry. NULL is valid.
 */
int zkconfig_check_list(const char *list, int ids, int members, const char **bad, size_t *badlen);

/* 1 when cfg has a "server.<id>=" line for the id of len bytes at id. */
int zkconfig_has_id(const char *cfg, const char *id, size_t len);

/*
 * Does cfg show a change? Every server of present (server entries, or ids)
 * has a line and every id of absent has none; either list may be NULL.
 * Ids decide, as the server rewrites the lines (it adds the role, for one).
 */
int zkconfig_applied(const char *present, const char *absent, const char *cfg);

/*
 * reconfig -v: a configuration version in hex as config prints it ("0x"
 * prefix allowed, as strtoll takes it), or -1 for any. Returns 0, or -1
 * when v is not one.
 */
int zkconfig_parse_version(const char *v, long long *out);

#endif
