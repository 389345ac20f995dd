/* Znode paths: resolution against the current directory and zkCli's validation. */
#ifndef ZKSH_PATH_H
#define ZKSH_PATH_H

#include <stddef.h>

/* The longest path a command takes or composes into a fixed buffer. */
#define ZKSH_PATH_MAX 4096

/*
 * Check an absolute path the way ZooKeeper's PathUtils does. Returns 0, or -1
 * with zkCli's message in err ("Path must start with / character", ...).
 */
int path_validate(const char *path, int sequential, char *err, size_t errlen);

/*
 * Turn arg into an absolute path in out: absolute arguments are taken as they
 * are (so zkCli's errors for them stay the same); relative ones are joined to
 * cwd with "." and ".." resolved. Returns 0 or -1 with a message in err.
 */
int path_resolve(const char *cwd, const char *arg, int sequential, char *out, size_t outlen,
		 char *err, size_t errlen);

/* Join parent and child name ("/" + "a" is "/a"). */
void path_join(const char *parent, const char *name, char *out, size_t outlen);

/* path_join into a new string of the right size: paths have no fixed limit. */
char *path_join_alloc(const char *parent, const char *name);

/*
 * path into out, whole when it fits; otherwise its head and tail around a
 * marker that gives its length ("/a/...[5000 bytes in all].../z"), so that
 * a message never shows a cut path as if it were the node's.
 */
void path_shorten(const char *path, char *out, size_t outlen);

/* The parent ("/a/b" gives "/a"; "/a" and "/" give "/"). */
void path_parent(const char *path, char *out, size_t outlen);

/* The last component ("/a/b" gives "b"; "/" gives ""). */
const char *path_base(const char *path);

#endif
