/* Credentials given at start-up, so that they need not appear in argv or history. */
#ifndef ZKSH_AUTH_H
#define ZKSH_AUTH_H

#include <stddef.h>

struct session;
struct shell;

/*
 * Remember the credentials of $ZKSH_AUTH (scheme:credential entries separated
 * by newlines or ',') and of file (one scheme:credential a line, '#'
 * comments; NULL for none) in s; every handle s opens sends them first.
 * Returns 0, or -1 with a message in err that never contains a secret.
 */
int auth_load_startup(struct session *s, const char *file, char *err, size_t errlen);

/* 1 when ZKSH_AUTH or --auth-file gave credentials. */
int auth_startup_given(void);

/*
 * The one explanation of a refused credential (AuthFailed: the server closes
 * the session), for addauth and for the start-up credentials alike. origin
 * names where they came from (NULL: ZKSH_AUTH / --auth-file as loaded);
 * schemes NULL lists the session's. Returns ZX_CONN.
 */
int auth_refused(struct shell *sh, const char *origin, const char *schemes);

#endif
