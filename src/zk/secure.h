/*
 * TLS and SASL connections. Debian builds the ZooKeeper C client without
 * both, so whether they work is decided at configure time
 * (HAVE_ZOOKEEPER_INIT_SSL / HAVE_ZOOKEEPER_INIT_SASL); the options exist
 * either way and say why they cannot work in a build that lacks them.
 *
 * The settings are process-wide on purpose: `connect` opens new sessions
 * to other hosts and they must use the same transport.
 */
#ifndef ZKSH_SECURE_H
#define ZKSH_SECURE_H

#include <stddef.h>

#include <zookeeper/zookeeper.h>

struct secure_opts {
	const char *tls;       /* "ca,cert,key[,passwd]" as zookeeper_init_ssl takes it */
	const char *sasl_mech; /* e.g. DIGEST-MD5; SASL is on when any sasl_* is set */
	const char *sasl_user;
	const char *sasl_password_file; /* first line is the password */
	const char *sasl_realm;
	const char *sasl_service; /* default "zookeeper" */
	const char *sasl_host;	  /* default "zk-sasl-md5" */
};

/*
 * Check o against what this build can do and keep it for secure_init.
 * Returns 0, or -1 with the reason in err.
 */
int secure_configure(const struct secure_opts *o, char *err, size_t errlen);
/* 1 when TLS or SASL was asked for. */
int secure_wanted(void);
/* zookeeper_init_ssl / zookeeper_init_sasl with the configured options. */
zhandle_t *secure_init(const char *hosts, watcher_fn fn, int timeout_ms, void *ctx, int flags);

#endif
