#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zookeeper/zookeeper.h>

#include "pipeline.h"
#include "render.h"
#include "shell.h"
#include "util.h"
#include "zkerr.h"

struct pipeline *
pipeline_new(struct shell *sh, int window)
{
	struct pipeline *p = xcalloc(1, sizeof(*p));

	p->sh = sh;
	p->window = window > 0 ? window : 1;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	return p;
}

void
pipeline_free(struct pipeline *p)
{
	if (p == NULL)
		return;
	pipeline_drain(p);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p);
}

struct preq *
pipeline_reserve(struct pipeline *p, int kind, const char *path)
{
	struct preq *r = xcalloc(1, sizeof(*r));

	r->p = p;
	r->line = p->sh->line;
	r->path = xstrdup(path);
	r->kind = kind;
	pthread_mutex_lock(&p->mu);
	while (p->inflight >= p->window)
		pthread_cond_wait(&p->cv, &p->mu);
	p->inflight++;
	p->sent++;
	pthread_mutex_unlock(&p->mu);
	return r;
}

/* Report one failed request with its own script line. */
static void
report_failure(struct preq *r, int rc)
{
	struct shell *sh = r->p->sh;
	char msg[ZKSH_PATH_MAX + 256];

	zkerr_message(rc, r->path, msg, sizeof(msg));
	render_error_line(sh, r->line, zkerr_exit(rc), zkerr_name(rc), r->path, msg);
}

void
pipeline_complete(struct preq *r, int rc, const char *created)
{
	struct pipeline *p = r->p;

	if (rc != ZOK) {
		report_failure(r, rc);
	} else if (r->kind == PREQ_CREATE && !p->sh->quiet) {
		out_lock();
		printf("Created %s\n", created ? created : r->path);
		out_unlock();
	}
	pthread_mutex_lock(&p->mu);
	if (rc == ZOK) {
		p->ok++;
	} else if (p->failed++ == 0) {
		p->first_code = zkerr_exit(rc);
	}
	p->inflight--;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	free(r->path);
	free(r);
}

void
pipeline_cancel(struct preq *r, int rc)
{
	pipeline_complete(r, rc, NULL);
}

int
pipeline_drain(struct pipeline *p)
{
	int code;

	pthread_mutex_lock(&p->mu);
	while (p->inflight > 0)
		pthread_cond_wait(&p->cv, &p->mu);
	code = p->failed ? p->first_code : ZX_OK;
	pthread_mutex_unlock(&p->mu);
	return code;
}
