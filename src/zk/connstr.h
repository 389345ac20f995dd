/*
 * Connect strings, "host[:port][,host[:port]...][/chroot]", checked the way
 * the Java client reads them, before anything talks to the network: a
 * missing port is 2181, a port must be 1..65535, a chroot needs a host and
 * must be a valid znode path ("/" alone means none). Pure: no resolving.
 */
#ifndef ZKSH_CONNSTR_H
#define ZKSH_CONNSTR_H

#include <stddef.h>

#define CONNSTR_DEFAULT_PORT 2181

struct connstr_addr {
	char *host; /* without brackets for an IPv6 literal */
	int port;
};

struct connstr {
	struct connstr_addr *addrs;
	int naddrs;
	char *chroot;	  /* NULL: none */
	char *normalized; /* every host with its port, then the chroot */
};

/*
 * Parse in into c. Returns 0, or -1 with a message in err naming what is
 * wrong ("port 99999 of 127.0.0.1:99999 is not 1..65535"); c then needs no
 * freeing. connstr_free releases a parsed one.
 */
int connstr_parse(const char *in, struct connstr *c, char *err, size_t errlen);
void connstr_free(struct connstr *c);

/* "h1:p1, h2:p2" (no chroot) into buf, for messages naming the addresses. */
void connstr_addresses(const struct connstr *c, char *buf, size_t len);

#endif
