#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <zookeeper/zookeeper.h>

#include "auth.h"
#include "render.h"
#include "shell.h"
#include "zkerr.h"

struct zkcode {
	int rc;
	const char *name; /* KeeperException.Code name */
	const char *text; /* KeeperException's code message */
};

static const struct zkcode codes[] = {
    {ZSYSTEMERROR, "SystemError", "SystemError"},
    {ZRUNTIMEINCONSISTENCY, "RuntimeInconsistency", "RuntimeInconsistency"},
    {ZDATAINCONSISTENCY, "DataInconsistency", "DataInconsistency"},
    {ZCONNECTIONLOSS, "ConnectionLoss", "ConnectionLoss"},
    {ZMARSHALLINGERROR, "MarshallingError", "MarshallingError"},
    {ZUNIMPLEMENTED, "Unimplemented", "Unimplemented"},
    {ZOPERATIONTIMEOUT, "OperationTimeout", "OperationTimeout"},
    {ZBADARGUMENTS, "BadArguments", "BadArguments"},
    {ZINVALIDSTATE, "InvalidState", "InvalidState"},
    {ZNEWCONFIGNOQUORUM, "NewConfigNoQuorum", "NewConfigNoQuorum"},
    {ZRECONFIGINPROGRESS, "ReconfigInProgress", "ReconfigInProgress"},
    {ZSSLCONNECTIONERROR, "SSLConnectionError", "SSLConnectionError"},
    {ZAPIERROR, "APIError", "APIError"},
    {ZNONODE, "NoNode", "NoNode"},
    {ZNOAUTH, "NoAuth", "NoAuth"},
    {ZBADVERSION, "BadVersion", "BadVersion"},
    {ZNOCHILDRENFOREPHEMERALS, "NoChildrenForEphemerals", "NoChildrenForEphemerals"},
    {ZNODEEXISTS, "NodeExists", "NodeExists"},
    {ZNOTEMPTY, "NotEmpty", "Directory not empty"},
    {ZSESSIONEXPIRED, "SessionExpired", "Session expired"},
    {ZINVALIDCALLBACK, "InvalidCallback", "Invalid callback"},
    {ZINVALIDACL, "InvalidACL", "InvalidACL"},
    {ZAUTHFAILED, "AuthFailed", "AuthFailed"},
    {ZCLOSING, "Closing", "Closing"},
    {ZNOTHING, "Nothing", "Nothing"},
    {ZSESSIONMOVED, "SessionMoved", "Session moved"},
    {ZNOTREADONLY, "NotReadOnly", "Not a read-only call"},
    {ZEPHEMERALONLOCALSESSION, "EphemeralOnLocalSession", "Ephemeral node on local session"},
    {ZNOWATCHER, "NoWatcher", "No such watcher"},
    {ZRECONFIGDISABLED, "ReconfigDisabled", "Reconfig is disabled"},
    {ZSESSIONCLOSEDREQUIRESASLAUTH, "SessionClosedRequireSaslAuth",
     "Session closed because client failed to authenticate"},
    {ZTHROTTLEDOP, "Throttled", "Op throttled due to high load"},
};

static const struct zkcode *
lookup(int rc)
{
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (codes[i].rc == rc)
			return &codes[i];
	return NULL;
}

const char *
zkerr_name(int rc)
{
	const struct zkcode *c = lookup(rc);
	return c ? c->name : "Unknown";
}

void
zkerr_message(int rc, const char *path, char *out, size_t outlen)
{
	const struct zkcode *c;
	const char *p = path ? path : "";

	switch (rc) {
	case ZNONODE:
		snprintf(out, outlen, "Node does not exist: %s", p);
		return;
	case ZNODEEXISTS:
		snprintf(out, outlen, "Node already exists: %s", p);
		return;
	case ZNOTEMPTY:
		snprintf(out, outlen, "Node not empty: %s", p);
		return;
	case ZNOCHILDRENFOREPHEMERALS:
		snprintf(out, outlen, "Ephemerals cannot have children: %s", p);
		return;
	case ZNOAUTH:
		snprintf(out, outlen, "Insufficient permission : %s", p);
		return;
	case ZBADVERSION:
		snprintf(out, outlen, "version No is not valid : %s", p);
		return;
	case ZINVALIDACL:
		snprintf(out, outlen, "Acl is not valid : %s", p);
		return;
	case ZBADARGUMENTS:
		snprintf(out, outlen, "Arguments are not valid : %s", p);
		return;
	case ZNOTREADONLY:
		snprintf(out, outlen, "Not a read-only call: %s", p);
		return;
	case ZRECONFIGINPROGRESS:
		snprintf(out, outlen,
			 "Another reconfiguration is in progress -- concurrent "
			 "reconfigs not supported (yet)");
		return;
	case ZNEWCONFIGNOQUORUM:
		snprintf(out, outlen,
			 "No quorum of new config is connected and up-to-date with the leader of "
			 "last commmitted config - try invoking reconfiguration after new servers "
			 "are connected and synced");
		return;
	case ZRECONFIGDISABLED:
		snprintf(out, outlen,
			 "Reconfig is disabled on the server: set reconfigEnabled=true "
			 "in zoo.cfg (KeeperErrorCode = ReconfigDisabled)");
		return;
	}
	c = lookup(rc);
	if (path != NULL && *path != '\0')
		snprintf(out, outlen, "KeeperErrorCode = %s for %s", c ? c->text : "Unknown", path);
	else
		snprintf(out, outlen, "KeeperErrorCode = %s", c ? c->text : "Unknown");
}

int
zkerr_exit(int rc)
{
	switch (rc) {
	case ZOK:
		return ZX_OK;
	case ZCONNECTIONLOSS:
	case ZOPERATIONTIMEOUT:
	case ZSESSIONEXPIRED:
	case ZAUTHFAILED:
	case ZCLOSING:
	case ZINVALIDSTATE:
	case ZSESSIONCLOSEDREQUIRESASLAUTH:
	case ZSSLCONNECTIONERROR:
		return ZX_CONN;
	case ZBADARGUMENTS:
		return ZX_USAGE;
	default:
		return ZX_ZK;
	}
}

int
zk_fail(struct shell *sh, int rc, const char *path)
{
	char msg[ZKSH_PATH_MAX + 256];
	int code = zkerr_exit(rc);

	/* ZKSH_AUTH=foo:bar: the same explanation addauth foo bar gets */
	if (rc == ZAUTHFAILED && auth_startup_given())
		return auth_refused(sh, NULL, NULL);
	zkerr_message(rc, path, msg, sizeof(msg));
	render_error(sh, code, zkerr_name(rc), path, msg);
	return code;
}

int
sh_error(struct shell *sh, int code, const char *fmt, ...)
{
	char msg[ZKSH_PATH_MAX + 512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	render_error(sh, code, NULL, NULL, msg);
	return code;
}
