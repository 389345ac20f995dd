/*
 * Batch mode's writer (zk/writer.h) on the shell side: which commands go
 * into multi() batches, their per-line output and errors once their batch
 * settled, --atomic's refusals, and the tally the exit code comes from.
 */
#ifndef ZKSH_BATCH_H
#define ZKSH_BATCH_H

struct shell;
struct batch;
struct cmd_entry;
struct args;
struct wop;

/* A submit function's answer: run this command plain (after a flush). */
#define ZX_UNBATCHED (-2)
/* The command was not run: an earlier failure stopped the run. */
#define ZX_SKIPPED (-3)

struct batch_opts {
	int window;	/* batches in flight (1: exact one-line-at-a-time semantics) */
	int pipelined;	/* --pipeline: the weaker meaning, exit 4 on failures */
	int plain;	/* --no-batch with --pipeline: single requests */
	int atomic;	/* --atomic: every write in one multi */
	long max_bytes; /* a batch's serialized bytes */
	int max_ops;	/* a batch's operations */
};

/* Turn the writer on for this batch run. */
void batch_writer_start(struct shell *sh, const struct batch_opts *o);
/* Free it (after batch_finish). */
void batch_writer_end(struct shell *sh);

/*
 * The dispatcher's hook, before a command runs: a batchable write is
 * queued (its submit function), anything else flushes first. Returns the
 * command's status, or ZX_UNBATCHED when the caller runs it as usual.
 */
int batch_hook(struct shell *sh, const struct cmd_entry *e, struct args *a);
/* Queue one write op (from a submit function); takes over op's buffers. */
int batch_submit(struct shell *sh, struct wop *op);
/* 1 under --pipeline (failures make a partial run, exit 4). */
int batch_pipelined(const struct shell *sh);
/* 1 when the run must stop reading (a failure without --keep-going, a lost session). */
int batch_stopped(const struct shell *sh);
/* An error was printed for line: keep the first for the --keep-going summary. */
void batch_saw_error(struct shell *sh, long line, const char *msg);
/*
 * Script end: send and settle the rest and fold the writer's tally into b.
 * ZX_CONN when the run lost its session or lines of unknown outcome stop
 * it, else -1 (the caller computes the code).
 */
int batch_finish(struct shell *sh, struct batch *b);
/* --keep-going with several failures: "N of M lines failed; first: FILE:LINE: msg". */
void batch_summary(struct shell *sh, const struct batch *b);

#endif
