/*
 * The four-letter-word client: connect to a server's client port, send the
 * word, read the answer to EOF, all within a deadline; and pure parsers of
 * the answers to srvr, mntr and conf. Part of the ZooKeeper layer: it knows
 * neither the shell nor the renderers.
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

/* ---- added for the 4lw commands (src/cmd/fourlw.c) ---------------------- */

/* The words ZooKeeper 3.5-3.9 know; fourlw_known: 1 when word is one of them. */
extern const char *const fourlw_words[];
int fourlw_known(const char *word);

/* One "key<sep>value" line, pointing into the text (no copy, no truncation). */
struct fourlw_pair {
	const char *key;
	size_t klen;
	const char *val;
	size_t vlen;
};

/*
 * The next line of text from p holding sep after a non-empty key, with the
 * value's leading blanks and the line's trailing blanks and \r dropped;
 * lines without one are skipped. Returns where to continue, or NULL at the
 * end. mntr: '\t'; conf, envi: '='; dirs, srvr: ':'.
 */
const char *fourlw_next_pair(const char *p, char sep, struct fourlw_pair *out);

/*
 * 1 when s[0..len) is a whole decimal number (sign, digits, an optional
 * fraction or exponent; never hex), with its value in *out. mntr, dirs,
 * wchs and cons values are typed with it.
 */
int fourlw_number(const char *s, size_t len, double *out);

#define FOURLW_CONN_FIELDS 32

/* One line of cons (or of stat's "Clients:"): " /addr[interest](k=v,k=v,...)". */
struct fourlw_conn {
	const char *addr; /* without the leading '/' */
	size_t addrlen;
	long interest; /* the bracketed interest ops, -1 when absent */
	int n;	       /* pairs kept, at most FOURLW_CONN_FIELDS */
	struct fourlw_pair kv[FOURLW_CONN_FIELDS];
};

/* The next connection line from p, or NULL at the end (other lines skipped). */
const char *fourlw_next_conn(const char *p, struct fourlw_conn *out);

/* wchs: "N connections watching M paths" / "Total watches:W". */
struct fourlw_wchs {
	long connections, paths, watches; /* -1 unknown */
};
/* 0 when the first line was found, -1 otherwise. */
int fourlw_parse_wchs(const char *text, struct fourlw_wchs *out);

/* 1 when the reply says the server is not serving requests (lost quorum, starting). */
int fourlw_not_serving(const char *reply);

#endif
