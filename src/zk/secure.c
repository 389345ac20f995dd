/*
 * TLS and SASL handles. zookeeper.h declares zookeeper_init_ssl and the SASL
 * types only when HAVE_OPENSSL_H / HAVE_CYRUS_SASL_H are defined, so this
 * file defines them (where the library has the calls) before including it.
 */
#include "config.h"

#if defined(HAVE_ZOOKEEPER_INIT_SSL) && !defined(HAVE_OPENSSL_H)
#define HAVE_OPENSSL_H 1
#endif
#if defined(HAVE_ZOOKEEPER_INIT_SASL) && defined(__has_include)
#if __has_include(<sasl/sasl.h>)
#define ZKSH_SASL 1
#ifndef HAVE_CYRUS_SASL_H
#define HAVE_CYRUS_SASL_H 1
#endif
#endif
#endif

#include <stdio.h>
#include <string.h>

#include <zookeeper/zookeeper.h>

#include "zk/secure.h"

/* Process-wide: see secure.h. */
static struct secure_opts secure;
static int secure_on;

static int
sasl_asked(const struct secure_opts *o)
{
	return o->sasl_mech || o->sasl_user || o->sasl_password_file || o->sasl_realm ||
	       o->sasl_service || o->sasl_host;
}

int
secure_configure(const struct secure_opts *o, char *err, size_t errlen)
{
	int sasl = sasl_asked(o);

	if (o->tls != NULL && sasl) {
		snprintf(err, errlen,
			 "-tls and the SASL options cannot be combined (the ZooKeeper "
			 "C client offers either TLS or SASL on a connection)");
		return -1;
	}
#ifndef HAVE_ZOOKEEPER_INIT_SSL
	if (o->tls != NULL) {
		snprintf(err, errlen,
			 "-tls: this zksh was built against a ZooKeeper C client "
			 "without TLS (no zookeeper_init_ssl; Debian's libzookeeper-mt "
			 "is built without OpenSSL). Rebuild zksh against a client "
			 "configured --with-openssl");
		return -1;
	}
#endif
#ifndef ZKSH_SASL
	if (sasl) {
		snprintf(err, errlen,
			 "SASL: this zksh was built against a ZooKeeper C client "
			 "without SASL (no zookeeper_init_sasl or no <sasl/sasl.h>; "
			 "Debian's libzookeeper-mt is built without Cyrus SASL). Rebuild "
			 "zksh against a client configured --with-sasl");
		return -1;
	}
#endif
	if (o->tls != NULL && strchr(o->tls, ',') == NULL) {
		snprintf(err, errlen, "-tls wants ca,cert,key[,password] (PEM files), not '%s'",
			 o->tls);
		return -1;
	}
	secure = *o;
	secure_on = o->tls != NULL || sasl;
	return 0;
}

int
secure_wanted(void)
{
	return secure_on;
}

#ifdef ZKSH_SASL
#include <sasl/sasl.h>

static zhandle_t *
sasl_init(const char *hosts, watcher_fn fn, int timeout_ms, void *ctx, int flags)
{
	/* the callbacks must outlive every handle: built once, never freed */
	static sasl_callback_t *callbacks;
	static int initialised;
	zoo_sasl_params_t params;

	if (!initialised) {
		if (sasl_client_init(NULL) != SASL_OK)
			return NULL;
		callbacks = zoo_sasl_make_basic_callbacks(secure.sasl_user, secure.sasl_realm,
							  secure.sasl_password_file);
		initialised = 1;
	}
	memset(&params, 0, sizeof(params));
	params.service = secure.sasl_service ? secure.sasl_service : "zookeeper";
	params.host = secure.sasl_host ? secure.sasl_host : "zk-sasl-md5";
	params.mechlist = secure.sasl_mech ? secure.sasl_mech : "DIGEST-MD5";
	params.callbacks = callbacks;
	return zookeeper_init_sasl(hosts, fn, timeout_ms, NULL, ctx, flags, NULL, &params);
}
#endif

zhandle_t *
secure_init(const char *hosts, watcher_fn fn, int timeout_ms, void *ctx, int flags)
{
#ifdef HAVE_ZOOKEEPER_INIT_SSL
	if (secure.tls != NULL)
		return zookeeper_init_ssl(hosts, secure.tls, fn, timeout_ms, NULL, ctx, flags);
#endif
#ifdef ZKSH_SASL
	if (sasl_asked(&secure))
		return sasl_init(hosts, fn, timeout_ms, ctx, flags);
#endif
	/* secure_configure refused what this build cannot do: plain is all that is left */
	return zookeeper_init(hosts, fn, timeout_ms, NULL, ctx, flags);
}
