/*
 * zksh: options, then one of three modes: the interactive shell (no command
 * and stdin a terminal), batch mode (a command in argv, -c, -f or stdin), or
 * a usage error.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zookeeper/zookeeper.h>

#include "auth.h"
#include "cmd/complete_cmd.h"
#include "command.h"
#include "batch.h"
#include "zk/connstr.h"
#include "help.h"
#include "render.h"
#include "ui/repl.h"
#include "script.h"
#include "zk/secure.h"
#include "zk/session.h"
#include "shell.h"
#include "util.h"

#define DEFAULT_SERVER	"localhost:2181"
#define DEFAULT_TIMEOUT 30000
#define DEFAULT_WINDOW	1000
#define DEFAULT_BATCHES 4	/* --pipeline: batches in flight */
#define MAX_DATA	1048575 /* ZooKeeper's default jute.maxbuffer, 0xfffff */

struct options {
	const char *server;
	int timeout;
	int readonly;
	int waitfor;
	const char *cmds; /* -c */
	const char *file; /* -f */
	int pipeline;	  /* 0 off, else the batches (--no-batch: requests) in flight */
	int no_batch;	  /* --no-batch: one request per line */
	int atomic;	  /* --atomic: the script's writes as one multi */
	long batch_bytes; /* --batch-bytes */
	int batch_ops;	  /* --batch-ops */
	int no_color;
	int cmd_index;		   /* first word of an argv command, 0 if none */
	const char *auth_file;	   /* --auth-file: scheme:credential lines */
	struct secure_opts secure; /* -tls, --sasl-*: where the client library has them */
	const char *word;	   /* the option being parsed, as typed, for messages */
};

static void
usage(FILE *f)
{
	help_global_usage(f);
	fputs("With no command and stdin a terminal, zksh starts the interactive shell;\n"
	      "otherwise it runs the commands (batch mode). The server defaults to\n"
	      "$ZKSH_SERVER, then " DEFAULT_SERVER ". Type 'zksh help' for the commands.\n",
	      f);
}

/* Credentials and transport; 1 when name is none of them. */
static int
parse_auth_opt(struct options *o, const char *name, const char *v)
{
	const struct {
		const char *name;
		const char **dst;
	} opts[] = {
	    {"auth-file", &o->auth_file},
	    {"tls", &o->secure.tls},
	    {"sasl-mech", &o->secure.sasl_mech},
	    {"sasl-user", &o->secure.sasl_user},
	    {"sasl-password-file", &o->secure.sasl_password_file},
	    {"sasl-realm", &o->secure.sasl_realm},
	    {"sasl-service", &o->secure.sasl_service},
	    {"sasl-host", &o->secure.sasl_host},
	};

	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		if (strcmp(name, opts[i].name) == 0) {
			*opts[i].dst = v;
			return 0;
		}
	}
	return 1;
}

/* Hand the credentials and transport options to the session before it connects. */
static int
apply_auth_opts(struct shell *sh, const struct options *o)
{
	char err[512];

	if (auth_load_startup(sh->sess, o->auth_file, err, sizeof(err)) != 0 ||
	    secure_configure(&o->secure, err, sizeof(err)) != 0) {
		fprintf(stderr, "zksh: %s\n", err);
		return -1;
	}
	return 0;
}

/* One option of cmd_global_options (command.c), its value converted in n. */
static int
apply_opt(struct shell *sh, struct options *o, const struct opt_spec *g, const char *v, long long n)
{
	const char *name = g->lng;
	char letter[2] = {g->shrt, '\0'};

	if (name == NULL)
		name = letter;
	if (strcmp(name, "help") == 0) {
		usage(stdout);
		exit(out_flush() != 0 ? out_report() : 0);
	}
	if (strcmp(name, "version") == 0) {
		printf("zksh %s\n", PACKAGE_VERSION);
		exit(out_flush() != 0 ? out_report() : 0);
	}
	if (strcmp(name, "server") == 0)
		o->server = v;
	else if (strcmp(name, "timeout") == 0)
		o->timeout = (int)n;
	else if (strcmp(name, "c") == 0)
		o->cmds = v;
	else if (strcmp(name, "f") == 0)
		o->file = v;
	else if (strcmp(name, "max-data") == 0)
		sh->max_data = (long)n;
	else if (strcmp(name, "batch-bytes") == 0)
		o->batch_bytes = (long)n;
	else if (strcmp(name, "batch-ops") == 0)
		o->batch_ops = (int)n;
	else if (strcmp(name, "window") == 0)
		sh->window = (int)n;
	else if (strcmp(name, "r") == 0)
		o->readonly = 1;
	else if (strcmp(name, "read-only") == 0)
		sh->read_only = 1;
	else if (strcmp(name, "waitforconnection") == 0)
		o->waitfor = 1;
	else if (strcmp(name, "json") == 0)
		sh->json = 1;
	else if (strcmp(name, "keep-going") == 0)
		sh->keep_going = 1;
	else if (strcmp(name, "quiet") == 0)
		sh->quiet = 1;
	else if (strcmp(name, "no-color") == 0)
		o->no_color = 1;
	else if (strcmp(name, "progress") == 0)
		sh->progress = 1;
	else if (strcmp(name, "no-progress") == 0)
		sh->progress = -1;
	else if (strcmp(name, "no-batch") == 0)
		o->no_batch = 1;
	else if (strcmp(name, "atomic") == 0)
		o->atomic = 1;
	else if (strcmp(name, "pipeline") == 0)
		o->pipeline =
		    *v == '\0' ? -1 : (int)n; /* -1: the default, once --no-batch is known */
	else
		return parse_auth_opt(o, name, v);
	return 0;
}

static int
parse_options(struct shell *sh, struct options *o, int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *w = argv[i], *v;
		char err[512], word[64];
		long long n = 0;
		int k, r;

		if (w[0] != '-' || strcmp(w, "-") == 0)
			break;
		if (strcmp(w, "--") == 0) {
			i++;
			break;
		}
		o->word = w;
		r = opt_match(cmd_global_options, argc, argv, &i, &k, &v, err, sizeof(err));
		if (r < 0) {
			fprintf(stderr, "zksh: %s\n", err);
			return -1;
		}
		if (r == 0) {
			fprintf(stderr, "zksh: unknown option: %s\n", w);
			usage(stderr);
			return -1;
		}
		/* "--pipeline" of "--pipeline=0", "-timeout": the option as typed */
		snprintf(word, sizeof(word), "%.*s", (int)strcspn(w, "="), w);
		if (*v != '\0' && opt_convert(&cmd_global_options[k], "zksh", word, v, &n, err,
					      sizeof(err)) != 0) {
			fprintf(stderr, "%s\n", err);
			return -1;
		}
		if (apply_opt(sh, o, &cmd_global_options[k], v, n) != 0)
			return -1;
	}
	o->cmd_index = i < argc ? i : 0;
	if ((o->cmds != NULL) + (o->file != NULL) + (o->cmd_index != 0) > 1) {
		fprintf(stderr, "zksh: give only one of -c, -f or a command\n");
		return -1;
	}
	if (o->atomic && (o->cmds == NULL && o->file == NULL)) {
		fprintf(stderr, "zksh: --atomic needs a script (-f FILE or -c 'CMD; CMD')\n");
		return -1;
	}
	if (o->atomic && (o->no_batch || o->pipeline != 0)) {
		fprintf(stderr,
			"zksh: --atomic cannot be combined with --no-batch or --pipeline\n");
		return -1;
	}
	if (o->pipeline < 0)
		o->pipeline = o->no_batch ? DEFAULT_WINDOW : DEFAULT_BATCHES;
	return 0;
}

static int
run_batch(struct shell *sh, struct options *o, int argc, char **argv)
{
	struct batch b;
	struct batch_opts bo;

	memset(&b, 0, sizeof(b));
	/* a batch run is busy from start to end (see session_busy) */
	session_busy(sh->sess, 1);
	script_catch_interrupt(sh);
	/* a script's writes go through the writer (batch.h); one argv command is sent plain */
	if (o->cmd_index == 0 && (!o->no_batch || o->pipeline > 0)) {
		memset(&bo, 0, sizeof(bo));
		bo.window = o->pipeline > 0 ? o->pipeline : 1;
		bo.pipelined = o->pipeline > 0;
		bo.plain = o->no_batch;
		bo.atomic = o->atomic;
		bo.max_bytes = o->batch_bytes;
		bo.max_ops = o->batch_ops;
		batch_writer_start(sh, &bo);
	}
	if (o->cmd_index != 0) {
		script_argv(sh, &b, argc - o->cmd_index, argv + o->cmd_index);
	} else if (o->cmds != NULL) {
		sh->src = "-c";
		sh->line = 1;
		b.number_commands = 1;
		script_line(sh, &b, o->cmds);
	} else if (o->file != NULL && strcmp(o->file, "-") != 0) {
		FILE *f = fopen(o->file, "r");
		if (f == NULL) {
			/* the script cannot be read: a local I/O error (DESIGN.md) */
			fprintf(stderr, "zksh: cannot open %s: %s\n", o->file, strerror(errno));
			return ZX_IO;
		}
		script_file(sh, &b, f, o->file);
		fclose(f);
	} else {
		script_file(sh, &b, stdin, "<stdin>");
	}
	return script_status(sh, &b);
}

int
main(int argc, char **argv)
{
	struct shell sh;
	struct options o;
	struct connstr cs;
	const char *env;
	char err[512];
	int status;

	if (argc > 1 && strcmp(argv[1], "__complete") == 0)
		return complete_cmd_main(argc - 1, argv + 1); /* hidden: completions/ */
	memset(&sh, 0, sizeof(sh));
	memset(&o, 0, sizeof(o));
	strcpy(sh.cwd, "/");
	sh.json_override = -1;
	sh.max_data = MAX_DATA;
	sh.window = DEFAULT_WINDOW;
	sh.printwatches = 1;
	o.timeout = DEFAULT_TIMEOUT;
	if (parse_options(&sh, &o, argc, argv) != 0)
		return ZX_USAGE;
	if (o.server == NULL)
		o.server = (env = getenv("ZKSH_SERVER")) && *env ? env : DEFAULT_SERVER;
	/* the C client logs to stderr by default: only on request */
	zoo_set_debug_level(getenv("ZKSH_DEBUG") ? ZOO_LOG_LEVEL_DEBUG : 0);
	if (connstr_parse(o.server, &cs, err, sizeof(err)) != 0) {
		fprintf(stderr, "zksh: bad connect string '%s': %s\n", o.server, err);
		return ZX_USAGE;
	}
	sh.sess = session_new(cs.normalized, o.timeout, o.readonly);
	connstr_free(&cs);
	if (apply_auth_opts(&sh, &o) != 0) {
		session_free(sh.sess);
		return ZX_USAGE;
	}
	sh.json_pretty = sh.json && isatty(STDOUT_FILENO);
	if (o.cmds == NULL && o.file == NULL && o.cmd_index == 0 && isatty(STDIN_FILENO)) {
		sh.interactive = 1;
		sh.color = !o.no_color && isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL;
		status = repl_run(&sh, o.waitfor);
		if (out_flush() != 0)
			status = out_report();
	} else {
		status = run_batch(&sh, &o, argc, argv);
	}
	batch_writer_end(&sh);
	session_free(sh.sess);
	return status;
}
