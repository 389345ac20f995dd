/*
 * Output: the result records commands emit, and their two renderers. Each
 * function takes one record (a node's data, a stat, children, a key/value,
 * a list item, a stream record, an event, a table row, an error) and renders
 * it as text (zkCli's format) or adds it to the command's JSON, so text and
 * JSON are two renderings of the same result, not two code paths in a
 * command. Only this layer (render.c, table.c) asks which mode is on.
 */
#ifndef ZKSH_RENDER_H
#define ZKSH_RENDER_H

#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>
#include <zookeeper/zookeeper.h>

struct shell;
struct cmd_entry;

enum data_fmt {
	DATA_TEXT,   /* bytes as they are (zkCli) */
	DATA_BASE64, /* -b */
	DATA_HEX,    /* -x: hex dump */
};

/*
 * The records a command emits, and their two renderers. A command never asks
 * which output mode is on: it emits records, and the renderer chosen by
 * --json / -o turns them into zkCli's text or into JSON.
 *
 * JSON: one document per command, {"command":NAME,"path":PATH,...}, printed
 * by render_end; "path" is the command's subject, the first path it resolved
 * (render_path). A stream (walk results, watch events, table rows with
 * TABLE_STREAM) is printed as it goes, one object a line, each naming the
 * command; the document then follows only when it holds more than the
 * command and the path (a summary: "nodes", "matches", "interrupted").
 */
void render_begin(struct shell *sh, const char *command);
void render_end(struct shell *sh, int status);
/* The command's subject path: the first one given wins; text prints nothing. */
void render_path(struct shell *sh, const char *path);
/* A new command starts (the dispatcher): its name, no subject yet. */
void render_reset(struct shell *sh, const char *command);

/* The 11 stat lines, or "stat": {...}. */
void render_stat(struct shell *sh, const struct Stat *st);
void stat_json(const struct Stat *st, void *cjson_obj);
/* zkCli's `ls`: [a, b, c] (sorted in place), or "children": [...]. */
void render_children(struct shell *sh, char **names, int n);
/* A list of names or paths in the order given: [a, b, c], or "key": [...]. */
void render_names(struct shell *sh, const char *key, char **names, int n);
/* Node data; len < 0 is ZooKeeper's null. */
void render_data(struct shell *sh, const char *data, int len, enum data_fmt fmt);
/* The JSON form of node data into an object: "data", "data_base64" or "data": null. */
void data_json(void *cjson_obj, const char *data, int len, enum data_fmt fmt);
/* A result line: text is printed as it is; JSON gets key: value. */
void render_value(struct shell *sh, const char *key, const char *value, const char *text);
void render_number(struct shell *sh, const char *key, long long value, const char *text);
/* A note on the result: text "Note: msg" on stderr, JSON "note": msg. */
void render_note(struct shell *sh, const char *msg);
/* Interactive chatter on stderr (zkCli's "absolute path is"); JSON has none. */
void render_chatter(struct shell *sh, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A text-only line (headings, notes); JSON ignores it. */
void render_text(struct shell *sh, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void render_bool(struct shell *sh, const char *key, int value, const char *text);
/*
 * A structured value: JSON gets value under key (key NULL: value's members
 * are merged into the document), text gets the line text (NULL: nothing).
 * Takes value. Returns -1 when the JSON renderer needs value and it is NULL
 * (the record has no JSON form: the command says why), else 0.
 */
int render_json(struct shell *sh, const char *key, cJSON *value, const char *text);
/* One element of the list key: JSON appends item to that array, text prints text. Takes item. */
void render_item(struct shell *sh, const char *key, cJSON *item, const char *text);

/*
 * A record of a stream: JSON prints {"command":NAME, ...item's members} on
 * one line now; text prints the line text (NULL: nothing). Takes item.
 */
void render_stream(struct shell *sh, cJSON *item, const char *text);
/* The same with text as bytes, printed as they are (no newline added). */
void render_stream_bytes(struct shell *sh, cJSON *item, const char *text, size_t len);
/* A new record {"path": path}, for a stream item to add to. */
cJSON *path_record(const char *path);
/*
 * A watch event, a record of a stream (flushed at once). Text: zkCli's
 * "WatchedEvent state:S type:T path:P", then " zxid:0x..." when known and,
 * with a stat, " version:N mzxid:0x..." and the data on its own line. The
 * REPL's form (repl) starts with zkCli's "WATCHER::" and puts the version
 * on a line of its own, keeping zkCli's line as it is.
 */
struct event_rec {
	const char *state, *type;
	const char *path; /* NULL: none */
	long long zxid;	  /* 0: not known */
	int have_stat;	  /* version, mzxid and data are set */
	int version;
	long long mzxid;
	const char *data;
	int datalen; /* < 0: null data */
	int repl;
};

void render_event(struct shell *sh, const struct event_rec *ev);

/*
 * The end of one round of a repeating command (status --watch): JSON prints
 * the document so far as one line and starts a new one for the next round;
 * text prints the line text (NULL: nothing).
 */
void render_round(struct shell *sh, const char *text);

/* The command's output is a stream: its document prints only with a summary. */
void render_streams(struct shell *sh);
/* A walk's path, streamed: the path a line, or {"command":NAME,"path":PATH}. */
void render_path_item(struct shell *sh, const char *path);

/*
 * Tables: rows of named columns. Text: on a terminal, columns aligned and
 * cut to the terminal's width; elsewhere one row a line, tab-separated
 * (TABLE_ALIGNED: aligned there too, for tables whose text is fixed).
 * Aligned text starts with the column titles with TABLE_HEADER (tab-separated
 * text has no header: it is for cut and awk). JSON: each row an
 * object of the columns (numbers for COL_NUM), in the array key of the
 * document, or one a line with TABLE_STREAM. Text rows stream too: the
 * widths come from the first TABLE_SAMPLE rows (and the columns' minimum
 * widths), so memory stays bounded.
 */
enum col_type {
	COL_TEXT,
	COL_NUM, /* right-aligned; a number in JSON ("-" and "" are null) */
};

struct table_col {
	const char *name;  /* the JSON key */
	const char *title; /* the header (NULL: the name) */
	enum col_type type;
	int min_width; /* aligned text: at least this wide */
};

#define TABLE_STREAM  1
#define TABLE_HEADER  2
#define TABLE_ALIGNED 4
#define TABLE_SAMPLE  256

struct table;
struct table *table_begin(struct shell *sh, const char *key, const struct table_col *cols,
			  int ncols, int flags);
/* One row: ncols cells. json: the row's JSON form when it is not the cells (taken; may be NULL). */
void table_row(struct table *t, const char *const *cells, cJSON *json);
/* A row of the text only (a total): JSON has it elsewhere. */
void table_text_row(struct table *t, const char *const *cells);
/* Prints what is left and frees t. */
void table_end(struct table *t);
/* The terminal's width for tables: $COLUMNS, the terminal's, else 80. */
int table_width(void);

/* The pure part of an aligned table, for tests: widths that fit width. */
void table_fit(int *w, const int *minw, int ncols, int width);

/* Errors to stderr: "file:line: message", or a JSON object in JSON mode. */
void render_error(struct shell *sh, int code, const char *name, const char *path, const char *msg);
/* The same for a command of another script line (pipelined completions). */
void render_error_line(struct shell *sh, long line, int code, const char *name, const char *path,
		       const char *msg);

/* Java's Date.toString() of ms since the epoch: "Sat Nov 21 21:01:15 UTC 2026". */
void format_time(long long ms, char *out, size_t outlen);
/* Hex dump in zkCli's -x layout. */
void format_hexdump(FILE *f, const unsigned char *p, size_t n);

/* Serialises writes to stdout/stderr from completion threads and the REPL. */
void out_lock(void);
void out_unlock(void);

/*
 * Write errors on stdout. out_unlock notes the first one (errno, e.g.
 * ENOSPC); the render functions then set sh->interrupted so a walk stops at
 * its next step, and errors of the command are no longer printed.
 * out_error: that errno or 0. out_flush: flush stdout, then out_error.
 * out_report: 0 when stdout is fine, else ZX_IO after printing, once,
 * "zksh: write error: <strerror>" (nothing for EPIPE: a closed pipe is a
 * quiet stop, as it is for other tools).
 */
int out_error(void);
int out_flush(void);
int out_report(void);

#endif
