/*
 * Output. Commands hand results to these functions; each one renders text
 * (zkCli's format) or adds to the command's JSON document, so text and JSON
 * are two renderings of the same result, not two code paths in a command.
 */
#ifndef ZKSH_RENDER_H
#define ZKSH_RENDER_H

#include <stddef.h>
#include <stdio.h>

#include <zookeeper/zookeeper.h>

struct shell;
struct cmd_entry;

enum data_fmt {
	DATA_TEXT,   /* bytes as they are (zkCli) */
	DATA_BASE64, /* -b */
	DATA_HEX,    /* -x: hex dump */
};

/* Start and finish one command's output (JSON: one document per command). */
void render_begin(struct shell *sh);
void render_end(struct shell *sh, int status);

/* The 11 stat lines, or "stat": {...}. */
void render_stat(struct shell *sh, const struct Stat *st);
void stat_json(const struct Stat *st, void *cjson_obj);
/* zkCli's `ls`: [a, b, c] (sorted in place), or "children": [...]. */
void render_children(struct shell *sh, char **names, int n);
/* Node data; len < 0 is ZooKeeper's null. */
void render_data(struct shell *sh, const char *data, int len, enum data_fmt fmt);
/* A result line: text is printed as it is; JSON gets key: value. */
void render_value(struct shell *sh, const char *key, const char *value, const char *text);
void render_number(struct shell *sh, const char *key, long long value, const char *text);
/* A text-only line (headings, notes); JSON ignores it. */
void render_text(struct shell *sh, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Streaming output: one path a line, or one JSON value a line in an array. */
void render_path_item(struct shell *sh, const char *key, const char *path);

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
