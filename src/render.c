#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "command.h"
#include "batch.h"
#include "render.h"
#include "shell.h"
#include "util.h"

static pthread_mutex_t out_mu = PTHREAD_MUTEX_INITIALIZER;
/* stdout is one per process: so is its first write error (0: none yet) */
static int out_errno;
static int out_reported;

void
out_lock(void)
{
	pthread_mutex_lock(&out_mu);
}

/* Every write to stdout ends here: the place to notice that one failed. */
void
out_unlock(void)
{
	int saved = errno;

	if (out_errno == 0 && ferror(stdout))
		out_errno = saved != 0 ? saved : EIO;
	pthread_mutex_unlock(&out_mu);
	errno = saved;
}

int
out_error(void)
{
	return out_errno;
}

int
out_flush(void)
{
	out_lock();
	errno = 0;
	fflush(stdout);
	out_unlock();
	return out_errno;
}

int
out_report(void)
{
	if (out_errno == 0)
		return 0;
	/* a closed pipe (SIGPIPE ignored by whoever started us) is a quiet stop */
	if (!out_reported && out_errno != EPIPE) {
		pthread_mutex_lock(&out_mu);
		fprintf(stderr, "zksh: write error: %s\n", strerror(out_errno));
		fflush(stderr);
		pthread_mutex_unlock(&out_mu);
	}
	out_reported = 1;
	return ZX_IO;
}

/* A walk stops at its next step once its output cannot be written. */
static void
stop_on_write_error(struct shell *sh)
{
	if (out_errno != 0)
		sh->interrupted = 1;
}

int
shell_json(const struct shell *sh)
{
	return sh->json_override >= 0 ? sh->json_override : sh->json;
}

void
render_reset(struct shell *sh, const char *command)
{
	sh->subject[0] = '\0';
	sh->cmd_name = command;
}

void
render_begin(struct shell *sh, const char *command)
{
	sh->cmd_name = command;
	sh->streamed = 0;
	if (!shell_json(sh) || sh->result != NULL)
		return;
	sh->result = cJSON_CreateObject();
	if (command != NULL)
		cJSON_AddStringToObject(sh->result, "command", command);
	if (sh->subject[0] != '\0')
		cJSON_AddStringToObject(sh->result, "path", sh->subject);
}

void
render_path(struct shell *sh, const char *path)
{
	if (sh->subject[0] != '\0')
		return;
	snprintf(sh->subject, sizeof(sh->subject), "%s", path);
	if (sh->result != NULL && !cJSON_HasObjectItem(sh->result, "path"))
		cJSON_AddStringToObject(sh->result, "path", path);
}

/* Set key in the document, in place when it is there already. */
static void
doc_put(cJSON *doc, const char *key, cJSON *item)
{
	/* key may be item's own name, which cJSON frees while replacing: a copy */
	char *k = xstrdup(key);

	if (cJSON_HasObjectItem(doc, k))
		cJSON_ReplaceItemInObjectCaseSensitive(doc, k, item);
	else
		cJSON_AddItemToObject(doc, k, item);
	free(k);
}

/* More than the command and its path: something to print. */
static int
doc_has_content(const cJSON *doc)
{
	for (const cJSON *c = doc->child; c != NULL; c = c->next)
		if (strcmp(c->string, "command") != 0 && strcmp(c->string, "path") != 0)
			return 1;
	return 0;
}

static void
print_json(const struct shell *sh, FILE *f, cJSON *doc)
{
	char *s = sh->json_pretty ? cJSON_Print(doc) : cJSON_PrintUnformatted(doc);

	if (s == NULL)
		return;
	out_lock();
	fputs(s, f);
	fputc('\n', f);
	fflush(f);
	out_unlock();
	free(s);
}

void
render_end(struct shell *sh, int status)
{
	cJSON *doc = sh->result;

	sh->result = NULL;
	sh->subject[0] = '\0';
	sh->cmd_name = NULL;
	if (doc == NULL)
		return;
	/*
	 * A failed command prints nothing on stdout unless it has a partial
	 * result; a stream has printed its records, and adds its summary.
	 */
	if (doc_has_content(doc) || (status == 0 && !sh->streamed))
		print_json(sh, stdout, doc);
	cJSON_Delete(doc);
}

void
format_time(long long ms, char *out, size_t outlen)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(out, outlen, "%a %b %d %H:%M:%S %Z %Y", &tm);
}

static void
hex64(char *out, size_t n, long long v)
{
	snprintf(out, n, "0x%llx", (unsigned long long)v);
}

void
stat_json(const struct Stat *st, void *obj)
{
	cJSON *o = obj;
	char hex[32];

	hex64(hex, sizeof(hex), st->czxid);
	cJSON_AddStringToObject(o, "cZxid", hex);
	cJSON_AddNumberToObject(o, "ctime", (double)st->ctime);
	hex64(hex, sizeof(hex), st->mzxid);
	cJSON_AddStringToObject(o, "mZxid", hex);
	cJSON_AddNumberToObject(o, "mtime", (double)st->mtime);
	hex64(hex, sizeof(hex), st->pzxid);
	cJSON_AddStringToObject(o, "pZxid", hex);
	cJSON_AddNumberToObject(o, "cversion", st->cversion);
	cJSON_AddNumberToObject(o, "dataVersion", st->version);
	cJSON_AddNumberToObject(o, "aclVersion", st->aversion);
	hex64(hex, sizeof(hex), st->ephemeralOwner);
	cJSON_AddStringToObject(o, "ephemeralOwner", hex);
	cJSON_AddNumberToObject(o, "dataLength", st->dataLength);
	cJSON_AddNumberToObject(o, "numChildren", st->numChildren);
}

void
render_stat(struct shell *sh, const struct Stat *st)
{
	char ct[64], mt[64];

	if (sh->result != NULL) {
		cJSON *o = cJSON_CreateObject();
		stat_json(st, o);
		doc_put(sh->result, "stat", o);
		return;
	}
	format_time(st->ctime, ct, sizeof(ct));
	format_time(st->mtime, mt, sizeof(mt));
	out_lock();
	printf("cZxid = 0x%llx\nctime = %s\nmZxid = 0x%llx\nmtime = %s\npZxid = 0x%llx\n"
	       "cversion = %d\ndataVersion = %d\naclVersion = %d\nephemeralOwner = 0x%llx\n"
	       "dataLength = %d\nnumChildren = %d\n",
	       (unsigned long long)st->czxid, ct, (unsigned long long)st->mzxid, mt,
	       (unsigned long long)st->pzxid, st->cversion, st->version, st->aversion,
	       (unsigned long long)st->ephemeralOwner, st->dataLength, st->numChildren);
	out_unlock();
	stop_on_write_error(sh);
}

void
render_names(struct shell *sh, const char *key, char **names, int n)
{
	if (sh->result != NULL) {
		cJSON *arr = cJSON_CreateArray();
		for (int i = 0; i < n; i++)
			cJSON_AddItemToArray(arr, cJSON_CreateString(names[i]));
		doc_put(sh->result, key, arr);
		return;
	}
	out_lock();
	fputc('[', stdout);
	for (int i = 0; i < n; i++) {
		if (i > 0)
			fputs(", ", stdout);
		fputs(names[i], stdout);
	}
	fputs("]\n", stdout);
	out_unlock();
	stop_on_write_error(sh);
}

void
render_children(struct shell *sh, char **names, int n)
{
	sort_strings(names, n);
	render_names(sh, "children", names, n);
}

void
format_hexdump(FILE *f, const unsigned char *p, size_t n)
{
	fputs("         +-------------------------------------------------+\n"
	      "         |  0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f |\n"
	      "+--------+-------------------------------------------------+----------------+\n",
	      f);
	for (size_t row = 0; row < n; row += 16) {
		fprintf(f, "|%08zx|", row);
		for (size_t i = row; i < row + 16; i++) {
			if (i < n)
				fprintf(f, " %02x", p[i]);
			else
				fputs("   ", f);
		}
		fputs(" |", f);
		for (size_t i = row; i < row + 16; i++) {
			if (i < n)
				fputc(p[i] >= 0x20 && p[i] < 0x7f ? p[i] : '.', f);
			else
				fputc(' ', f);
		}
		fputs("|\n", f);
	}
	fputs("+--------+-------------------------------------------------+----------------+", f);
}

void
data_json(void *obj, const char *data, int len, enum data_fmt fmt)
{
	cJSON *o = obj;
	char *b64;

	if (len < 0) {
		doc_put(o, "data", cJSON_CreateNull());
		return;
	}
	if (fmt == DATA_TEXT && utf8_valid(data, (size_t)len)) {
		char *s = xstrndup(data, (size_t)len);
		doc_put(o, "data", cJSON_CreateString(s));
		free(s);
		return;
	}
	/* binary or asked for: base64, under a key that says so */
	b64 = b64_encode((const unsigned char *)data, (size_t)len);
	doc_put(o, "data_base64", cJSON_CreateString(b64));
	free(b64);
}

void
render_data(struct shell *sh, const char *data, int len, enum data_fmt fmt)
{
	if (sh->result != NULL) {
		data_json(sh->result, data, len, fmt);
		return;
	}
	out_lock();
	if (len < 0) {
		fputs("null\n", stdout);
	} else if (fmt == DATA_BASE64) {
		char *b64 = b64_encode((const unsigned char *)data, (size_t)len);
		puts(b64);
		free(b64);
	} else if (fmt == DATA_HEX) {
		format_hexdump(stdout, (const unsigned char *)data, (size_t)len);
		fputc('\n', stdout);
	} else {
		fwrite(data, 1, (size_t)len, stdout);
		fputc('\n', stdout);
	}
	out_unlock();
	stop_on_write_error(sh);
}

/* A line of text output, when there is one. */
static void
text_line(struct shell *sh, const char *text)
{
	if (text == NULL)
		return;
	out_lock();
	puts(text);
	out_unlock();
	stop_on_write_error(sh);
}

void
render_value(struct shell *sh, const char *key, const char *value, const char *text)
{
	if (sh->result != NULL) {
		doc_put(sh->result, key, cJSON_CreateString(value));
		return;
	}
	if (!sh->quiet)
		text_line(sh, text);
}

void
render_number(struct shell *sh, const char *key, long long value, const char *text)
{
	if (sh->result != NULL) {
		doc_put(sh->result, key, cJSON_CreateNumber((double)value));
		return;
	}
	text_line(sh, text);
}

void
render_note(struct shell *sh, const char *msg)
{
	if (sh->result != NULL) {
		doc_put(sh->result, "note", cJSON_CreateString(msg));
		return;
	}
	out_lock();
	fprintf(stderr, "Note: %s\n", msg);
	out_unlock();
}

void
render_chatter(struct shell *sh, const char *fmt, ...)
{
	va_list ap;

	if (shell_json(sh))
		return;
	out_lock();
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	out_unlock();
}

void
render_text(struct shell *sh, const char *fmt, ...)
{
	va_list ap;

	if (sh->result != NULL)
		return;
	out_lock();
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	out_unlock();
	stop_on_write_error(sh);
}

void
render_bool(struct shell *sh, const char *key, int value, const char *text)
{
	if (sh->result != NULL)
		doc_put(sh->result, key, cJSON_CreateBool(value));
	else
		text_line(sh, text);
}

int
render_json(struct shell *sh, const char *key, cJSON *value, const char *text)
{
	if (sh->result == NULL) {
		cJSON_Delete(value);
		text_line(sh, text);
		return 0;
	}
	if (value == NULL)
		return -1;
	if (key != NULL) {
		doc_put(sh->result, key, value);
		return 0;
	}
	while (value->child != NULL) {
		cJSON *c = cJSON_DetachItemViaPointer(value, value->child);
		doc_put(sh->result, c->string, c);
	}
	cJSON_Delete(value);
	return 0;
}

void
render_item(struct shell *sh, const char *key, cJSON *item, const char *text)
{
	cJSON *arr;

	if (sh->result == NULL) {
		cJSON_Delete(item);
		text_line(sh, text);
		return;
	}
	arr = cJSON_GetObjectItemCaseSensitive(sh->result, key);
	if (arr == NULL)
		arr = cJSON_AddArrayToObject(sh->result, key);
	cJSON_AddItemToArray(arr, item);
}

/* One line of a stream: {"command":..., members of item}. */
static void
stream_line(struct shell *sh, cJSON *item)
{
	cJSON *line = cJSON_CreateObject();
	char *s;

	if (sh->cmd_name != NULL)
		cJSON_AddStringToObject(line, "command", sh->cmd_name);
	while (item->child != NULL) {
		cJSON *c = cJSON_DetachItemViaPointer(item, item->child);
		doc_put(line, c->string, c);
	}
	s = cJSON_PrintUnformatted(line);
	cJSON_Delete(line);
	if (s == NULL)
		return;
	out_lock();
	fputs(s, stdout);
	fputc('\n', stdout);
	out_unlock();
	free(s);
}

/* A stream record; text is len bytes, then a newline when nl. */
static void
stream_out(struct shell *sh, cJSON *item, const char *text, size_t len, int nl)
{
	sh->streamed = 1;
	if (shell_json(sh)) {
		if (item != NULL)
			stream_line(sh, item);
	} else if (text != NULL) {
		out_lock();
		fwrite(text, 1, len, stdout);
		if (nl)
			putchar('\n');
		out_unlock();
	}
	cJSON_Delete(item);
	stop_on_write_error(sh);
}

void
render_stream_bytes(struct shell *sh, cJSON *item, const char *text, size_t len)
{
	stream_out(sh, item, text, len, 0);
}

void
render_stream(struct shell *sh, cJSON *item, const char *text)
{
	stream_out(sh, item, text, text != NULL ? strlen(text) : 0, 1);
}

static void
hex_member(cJSON *o, const char *key, long long v)
{
	char hex[32];

	hex64(hex, sizeof(hex), v);
	cJSON_AddStringToObject(o, key, hex);
}

static cJSON *
event_json(const struct event_rec *ev)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "type", ev->type);
	cJSON_AddStringToObject(o, "state", ev->state);
	if (ev->path != NULL)
		cJSON_AddStringToObject(o, "path", ev->path);
	else
		cJSON_AddNullToObject(o, "path");
	if (ev->zxid != 0)
		hex_member(o, "zxid", ev->zxid);
	if (ev->have_stat) {
		cJSON_AddNumberToObject(o, "version", ev->version);
		hex_member(o, "mzxid", ev->mzxid);
		/* the data as get --json gives it: "data", "data_base64" or null */
		data_json(o, ev->data, ev->datalen, DATA_TEXT);
	}
	return o;
}

static void
event_text(const struct event_rec *ev)
{
	const char *path = ev->path != NULL ? ev->path : "null";

	if (ev->repl)
		printf("\nWATCHER::\n\nWatchedEvent state:%s type:%s path:%s\n", ev->state,
		       ev->type, path);
	else
		printf("WatchedEvent state:%s type:%s path:%s", ev->state, ev->type, path);
	if (!ev->repl && ev->zxid != 0)
		printf(" zxid:0x%llx", (unsigned long long)ev->zxid);
	if (ev->have_stat)
		printf(ev->repl ? "version:%d mzxid:0x%llx\n" : " version:%d mzxid:0x%llx",
		       ev->version, (unsigned long long)ev->mzxid);
	if (!ev->repl)
		putchar('\n');
	if (ev->have_stat) {
		if (ev->datalen < 0)
			fputs("null", stdout);
		else
			fwrite(ev->data, 1, (size_t)ev->datalen, stdout);
		putchar('\n');
	}
}

void
render_event(struct shell *sh, const struct event_rec *ev)
{
	if (shell_json(sh)) {
		render_stream(sh, event_json(ev), NULL);
	} else {
		out_lock();
		event_text(ev);
		out_unlock();
	}
	out_flush();
	stop_on_write_error(sh);
}

void
render_round(struct shell *sh, const char *text)
{
	cJSON *doc = sh->result;

	if (doc == NULL) {
		text_line(sh, text);
		out_flush();
		return;
	}
	sh->result = cJSON_CreateObject();
	if (sh->cmd_name != NULL)
		cJSON_AddStringToObject(sh->result, "command", sh->cmd_name);
	if (sh->subject[0] != '\0')
		cJSON_AddStringToObject(sh->result, "path", sh->subject);
	sh->streamed = 1;
	cJSON_DeleteItemFromObjectCaseSensitive(doc, "command");
	stream_line(sh, doc);
	cJSON_Delete(doc);
	out_flush();
	stop_on_write_error(sh);
}

cJSON *
path_record(const char *path)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "path", path);
	return o;
}

void
render_streams(struct shell *sh)
{
	sh->streamed = 1;
}

void
render_path_item(struct shell *sh, const char *path)
{
	render_stream(sh, shell_json(sh) ? path_record(path) : NULL, path);
}

void
render_error(struct shell *sh, int code, const char *name, const char *path, const char *msg)
{
	render_error_line(sh, sh->line, code, name, path, msg);
}

void
render_error_line(struct shell *sh, long line, int code, const char *name, const char *path,
		  const char *msg)
{
	batch_saw_error(sh, line, msg); /* for the --keep-going summary (batch.h) */
	out_lock();
	fflush(stdout);
	out_unlock();
	/* stdout is gone: the write error is the one message (out_report) */
	if (out_errno != 0)
		return;
	if (shell_json(sh)) {
		cJSON *o = cJSON_CreateObject();
		cJSON *e;

		if (sh->cmd_name != NULL)
			cJSON_AddStringToObject(o, "command", sh->cmd_name);
		e = cJSON_AddObjectToObject(o, "error");
		cJSON_AddStringToObject(e, "message", msg);
		if (name != NULL)
			cJSON_AddStringToObject(e, "code", name);
		if (path != NULL)
			cJSON_AddStringToObject(e, "path", path);
		cJSON_AddNumberToObject(e, "exit", code);
		if (sh->src != NULL) {
			cJSON_AddStringToObject(e, "source", sh->src);
			cJSON_AddNumberToObject(e, "line", (double)line);
		}
		print_json(sh, stderr, o);
		cJSON_Delete(o);
		return;
	}
	out_lock();
	/* red only where colour is on (a terminal, no NO_COLOR) */
	if (sh->color && isatty(STDERR_FILENO))
		fputs("\033[31m", stderr);
	if (sh->src != NULL && line > 0)
		fprintf(stderr, "%s:%ld: %s", sh->src, line, msg);
	else
		fputs(msg, stderr);
	fputs(sh->color && isatty(STDERR_FILENO) ? "\033[0m\n" : "\n", stderr);
	fflush(stderr);
	out_unlock();
}
