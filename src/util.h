/* Small helpers every file uses: checked allocation and a growable buffer. */
#ifndef ZKSH_UTIL_H
#define ZKSH_UTIL_H

#include <pthread.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* A byte buffer that always keeps a NUL after its contents. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};

void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_addc(struct buf *b, char c);
void buf_adds(struct buf *b, const char *s);
char *buf_steal(struct buf *b);

/* Base64 (standard alphabet, padded) through libcrypto. decode returns -1 on malformed input. */
char *b64_encode(const unsigned char *p, size_t n);
long b64_decode(const char *s, unsigned char **out);

/* 1 when p[0..n) is well-formed UTF-8 without NUL bytes. */
int utf8_valid(const char *p, size_t n);

/* qsort/bsearch comparator for arrays of char *. */
int strp_cmp(const void *a, const void *b);
/* Sort n strings in place (v may be NULL when n is 0). */
void sort_strings(char **v, int n);

/* Monotonic clock in milliseconds. */
long long now_ms(void);
/*
 * Wait on cv (mu held) for at most ms milliseconds; a condition variable
 * with the default clock (CLOCK_REALTIME), so the deadline is taken there.
 */
void cond_wait_ms(pthread_cond_t *cv, pthread_mutex_t *mu, int ms);

/* Parse a whole decimal or 0x-hex integer into *out; -1 when it is not one. */
int parse_long(const char *s, long long *out);

#endif
