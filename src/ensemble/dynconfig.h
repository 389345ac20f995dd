/*
 * ZooKeeper's dynamic configuration, parsed and formatted. Pure: no I/O, no
 * ZooKeeper calls, so the planner and the tests use it as they like.
 *
 * A server string is ZooKeeper's own:
 *   server.<id>=<host>:<quorumPort>:<electionPort>[:participant|observer]
 *               [;[<clientHost>:]<clientPort>]
 * A host may be an IPv6 address in brackets. The configuration text (the
 * data of /zookeeper/config, or a dynamic config file) is server lines plus
 * one "version=<hex>" line; blank lines and '#' comments are skipped.
 */
#ifndef ZKSH_ENSEMBLE_DYNCONFIG_H
#define ZKSH_ENSEMBLE_DYNCONFIG_H

#include <stddef.h>

#define DC_MAX_SERVERS 64
#define DC_HOST_MAX    256

enum dc_role {
	DC_PARTICIPANT,
	DC_OBSERVER,
};

struct dc_server {
	long id;
	char host[DC_HOST_MAX];
	int quorum_port;
	int election_port;
	enum dc_role role;
	int role_given;		       /* the string named the role (else participant by default) */
	int client_port;	       /* 0: no client address */
	char client_host[DC_HOST_MAX]; /* "" when only the port was given */
};

struct dc_config {
	int n;
	struct dc_server s[DC_MAX_SERVERS];
	long long version; /* -1 when there is no version line */
};

/*
 * Parse one server string ("server.4=..." or "4=..."). Returns 0, or -1
 * with a message naming what is wrong in err.
 */
int dc_parse_server(const char *text, struct dc_server *out, char *err, size_t errlen);

/* "server.4=host:q:e:role;chost:cport" (role always written, as ZooKeeper does). */
void dc_format_server(const struct dc_server *s, char *out, size_t outlen);

/* Parse configuration text. Duplicate ids are an error. */
int dc_parse_config(const char *text, struct dc_config *out, char *err, size_t errlen);

/* The text back: server lines in order, then version= when with_version and known. malloc'd. */
char *dc_format_config(const struct dc_config *c, int with_version);

/* The server with that id, or NULL. */
const struct dc_server *dc_find(const struct dc_config *c, long id);
/* Index of id in c, or -1. */
int dc_index(const struct dc_config *c, long id);

/* Number of participants. */
int dc_voters(const struct dc_config *c);

/* Majority of v voters, and how many of them may fail (2n+1 sizing). */
int dc_quorum(int voters);
int dc_tolerance(int voters);

/*
 * Where a client reaches s: "host:port", with a wildcard client host
 * (0.0.0.0, ::, or none given) replaced by the quorum host. "" when s has
 * no client port.
 */
void dc_client_address(const struct dc_server *s, char *out, size_t outlen);

/* 1 when a and b are the same server (id, addresses and role). */
int dc_same(const struct dc_server *a, const struct dc_server *b);

/* 1 when a and b share a listening address (host and any one port). */
int dc_address_clash(const struct dc_server *a, const struct dc_server *b);

#endif
