/*
 * The pure halves of the four-letter-word commands (cmd/fourlw.c), exported
 * for the unit tests and the fuzzer: the offline address check and the
 * parsed --json form of an answer.
 */
#ifndef ZKSH_CMD_FOURLW_H
#define ZKSH_CMD_FOURLW_H

#include <cjson/cJSON.h>

/* 1 when hp is "host:port" or "[v6]:port" with a port 1..65535 (no lookup). */
int fourlw_hostport_ok(const char *hp);

/*
 * Add word's answer, parsed, to o: srvr/stat fields (latency split, zxid a
 * hex string, stat's clients), mntr/dirs typed pairs, conf/envi string
 * pairs, cons connections, ruok {"ok"}, isro {"mode"}, wchs counts; other
 * words {"word", "output"}. Returns 0, or -1 when reply is not such an answer.
 */
int fourlw_json(cJSON *o, const char *word, const char *reply);

#endif
