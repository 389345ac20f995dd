/*
 * wait: check a condition and set a watch in the same call (exists, get or
 * getChildren with the recipes' watcher), so no change between the check and the watch is missed;
 * any event, ours or the session's, makes us check again.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "recipes/recipes.h"
#include "zk/session.h"
#include "util.h"

/* 1 when the condition holds, 0 when not yet (a watch is set), < 0: -status. */
static int
check_once(struct rcp *r, const char *path, struct rcp_wait *w)
{
	struct Stat st;
	int rc;

	memset(&st, 0, sizeof(st));
	if (w->cond == WAIT_VALUE) {
		int cap = (int)strlen(w->value) + 1, len = cap;
		char *buf = xmalloc((size_t)cap);
		int same;

		rc = rcp_wget(r, path, buf, &len, &st);
		same = rc == ZOK && st.dataLength == cap - 1 && len == cap - 1 &&
		       memcmp(buf, w->value, (size_t)len) == 0;
		free(buf);
		if (rc == ZNONODE)
			rc = rcp_wexists(r, path, &st);
		if (rc == ZOK || rc == ZNONODE) {
			w->mzxid = rc == ZOK ? st.mzxid : 0;
			return same;
		}
	} else if (w->cond == WAIT_CHILDREN) {
		struct String_vector v = {0, NULL};

		rc = rcp_wchildren(r, path, &v, &st);
		deallocate_String_vector(&v);
		if (rc == ZNONODE)
			rc = rcp_wexists(r, path, &st);
		if (rc == ZOK && st.numChildren >= w->children) {
			w->mzxid = st.mzxid;
			return 1;
		}
		if (rc == ZOK || rc == ZNONODE)
			return 0;
	} else {
		rc = rcp_wexists(r, path, &st);
		if (rc == ZOK || rc == ZNONODE) {
			long long m = rc == ZOK ? st.mzxid : 0;

			w->mzxid = m;
			if (w->cond == WAIT_EXISTS)
				return rc == ZOK;
			if (w->cond == WAIT_GONE)
				return rc == ZNONODE;
			if (w->since < 0) {
				w->since = m;
				return 0;
			}
			return m != w->since;
		}
	}
	if (rcp_transient(rc))
		return 0;
	return -rcp_zfail(r, rc, path);
}

int
rcp_wait_for(struct rcp *r, const char *path, struct rcp_wait *w, long long deadline)
{
	for (;;) {
		int rc = check_once(r, path, w);

		if (rc > 0)
			return RCP_OK;
		if (rc < 0)
			return -rc;
		rc = rcp_wait_event(r, deadline);
		if (rc != RCP_OK)
			return rc;
	}
}
