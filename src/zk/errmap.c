#include "config.h"

#include <stdio.h>
#include <string.h>

#include <zookeeper/zookeeper.h>

#include "zk/errmap.h"

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
		return ZKE_OK;
	case ZCONNECTIONLOSS:
	case ZOPERATIONTIMEOUT:
	case ZSESSIONEXPIRED:
	case ZAUTHFAILED:
	case ZCLOSING:
	case ZINVALIDSTATE:
	case ZSESSIONCLOSEDREQUIRESASLAUTH:
	case ZSSLCONNECTIONERROR:
		return ZKE_CONN;
	case ZBADARGUMENTS:
		return ZKE_USAGE;
	default:
		return ZKE_ZK;
	}
}
