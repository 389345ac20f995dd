/*
 * The four-letter-word client: connect to a server's client port, send the
 * word, read the answer to EOF, all within a deadline; and pure parsers of
 * the answers to srvr, mntr and conf. Part of the ZooKeeper layer: it never
 * includes shell.h or render.h.
 */
#ifndef ZKSH_ZK_FOURLW_H
#define ZKSH_ZK_FOURLW_H

#include <stddef.h>

#define FOURLW_MAX_REPLY (1024 * 1024)

/*
 * Send word to hostport ("host:port", "[v6]:port") and read the reply into
 * *out (NUL-terminated, malloc'd). Returns 0, or -1 with the reason in err
 * (connection refused, timed out, ...). An empty reply is not an error: a
 * server closes at once on a word it does not know.
 */
int fourlw_query(const char *hostport, const char *word, int timeout_ms, char **out, char *err,
		 size_t errlen);

/* 1 when the reply says the word is not in 4lw.commands.whitelist. */
int fourlw_refused(const char *reply);

struct fourlw_srvr {
	int serving; /* 0: "This ZooKeeper instance is not currently serving requests" */
	char version[128];
	char mode[16];	/* leader, follower, observer, standalone, read-only */
	long long zxid; /* -1 unknown */
	long lat_min;	/* -1 unknown */
	double lat_avg;
	long lat_max;
	long received, sent, connections, outstanding, node_count; /* -1 unknown */
};

/* Parse a srvr reply. Returns 0 when it looked like one (serving or not), -1 otherwise. */
int fourlw_parse_srvr(const char *text, struct fourlw_srvr *out);

struct fourlw_kv {
	char key[64];
	char value[256];
};

/* mntr: "key<TAB>value" lines. Returns the number of pairs kept (at most max). */
int fourlw_parse_mntr(const char *text, struct fourlw_kv *kv, int max);
/* conf: "key=value" lines. Returns the number of pairs kept (at most max). */
int fourlw_parse_conf(const char *text, struct fourlw_kv *kv, int max);
/* The value of key among n pairs, or NULL. */
const char *fourlw_get(const struct fourlw_kv *kv, int n, const char *key);

#endif
