/*
 * The credentials given at start-up (ZKSH_AUTH, --auth-file), and the one
 * explanation of a refused credential.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth.h"
#include "shell.h"
#include "util.h"
#include "zk/session.h"
#include "zkerr.h"

/* ---- start-up credentials ---------------------------------------------- */

/*
 * Where the start-up credentials came from, for the refusal message: set
 * once by auth_load_startup, process-wide like the options it reads.
 */
static char startup_origin[64];

static void
note_origin(const char *what)
{
	size_t n = strlen(startup_origin);

	if (strstr(startup_origin, what) != NULL)
		return;
	snprintf(startup_origin + n, sizeof(startup_origin) - n, "%s%s", n ? " and " : "", what);
}

/* "scheme:credential" into the session; -1 when there is no scheme. */
static int
preload_one(struct session *s, char *entry)
{
	char *colon = strchr(entry, ':');

	if (colon == NULL || colon == entry)
		return -1;
	*colon = '\0';
	session_preload_auth(s, entry, colon + 1);
	*colon = ':';
	return 0;
}

static int
load_env(struct session *s, const char *env, char *err, size_t errlen)
{
	char *copy = xstrdup(env), *save = NULL, *tok;
	int n = 0, rc = 0;

	for (tok = strtok_r(copy, ",\n", &save); tok; tok = strtok_r(NULL, ",\n", &save)) {
		n++;
		if (*tok == '\0')
			continue;
		/* never echo the entry: it holds a secret */
		if (preload_one(s, tok) != 0) {
			snprintf(err, errlen,
				 "ZKSH_AUTH: entry %d is not scheme:credential (for example "
				 "digest:user:password; entries are separated by ',' or newlines)",
				 n);
			rc = -1;
			break;
		}
	}
	explicit_bzero(copy, strlen(copy));
	free(copy);
	return rc;
}

/* As ssh does for a private key: others can read it, so say so (it still works). */
static void
warn_if_open(FILE *f, const char *file)
{
	struct stat st;

	if (fstat(fileno(f), &st) != 0 || (st.st_mode & 0077) == 0)
		return;
	fprintf(stderr,
		"zksh: warning: --auth-file %s has mode %04o: its credentials are readable "
		"by %s; run chmod 600 %s\n",
		file, (unsigned)(st.st_mode & 07777),
		(st.st_mode & 0007) ? "every user of this machine" : "its group", file);
}

static int
load_file(struct session *s, const char *file, char *err, size_t errlen)
{
	FILE *f = fopen(file, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0;
	int rc = 0;

	if (f == NULL) {
		snprintf(err, errlen, "--auth-file %s: %s", file, strerror(errno));
		return -1;
	}
	warn_if_open(f, file);
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		if (preload_one(s, line) != 0) {
			snprintf(err, errlen, "--auth-file %s:%ld: not scheme:credential", file,
				 lineno);
			rc = -1;
			break;
		}
	}
	if (line != NULL)
		explicit_bzero(line, cap);
	free(line);
	fclose(f);
	return rc;
}

int
auth_load_startup(struct session *s, const char *file, char *err, size_t errlen)
{
	const char *env = getenv("ZKSH_AUTH");

	if (env != NULL && *env != '\0') {
		note_origin("ZKSH_AUTH");
		if (load_env(s, env, err, errlen) != 0)
			return -1;
	}
	if (file != NULL) {
		note_origin("--auth-file");
		if (load_file(s, file, err, errlen) != 0)
			return -1;
	}
	return 0;
}

int
auth_startup_given(void)
{
	return startup_origin[0] != '\0';
}

int
auth_refused(struct shell *sh, const char *origin, const char *schemes)
{
	char list[256] = "";

	if (origin == NULL)
		origin = startup_origin[0] ? startup_origin : "the session";
	if (schemes == NULL && sh->sess != NULL) {
		/* the credentials this session sends; digest never fails, so name the rest first */
		for (const struct auth_cred *c = sh->sess->auths; c != NULL; c = c->next) {
			size_t n = strlen(list);
			if (strstr(list, c->scheme) != NULL)
				continue;
			snprintf(list + n, sizeof(list) - n, "%s%s", n ? ", " : "", c->scheme);
		}
		schemes = list;
	}
	return sh_error(sh, ZX_CONN,
			"%s: the server refused the %s credentials (AuthFailed) and closed the "
			"session. ZooKeeper accepts a scheme only when it has an authentication "
			"provider for it (digest and ip by default, more through authProvider.N "
			"settings) and that provider accepts the credential; digest wants "
			"user:password",
			origin, *schemes ? schemes : "given");
}
