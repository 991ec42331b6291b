/* Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0. */
/*
 * The C API of stepup: the engine for hosts written in C (the nginx module)
 * or reached through a foreign function interface (Python's ctypes, ...).
 *
 * Conventions:
 * - Handles are opaque. Whoever a function's comment says owns a handle frees
 *   it with the matching *_free function; freeing NULL does nothing.
 * - Strings are (pointer, length) pairs, never required to end in NUL, and
 *   may hold any bytes. A string the library returns points into the object
 *   it was read from and stays valid until that object changes (the next
 *   stepup_decide into the same decision) or is freed.
 * - Functions that can fail return a stepup_code and, when `status` is not
 *   NULL, fill it with the code and a NUL-terminated message (what, where,
 *   why; cut to fit the buffer). No exception and no C++ type crosses this
 *   interface; running out of memory is STEPUP_OUT_OF_MEMORY.
 * - Thread rules are the C++ engine's: one engine may be used by many threads
 *   at once (stepup_decide from all of them, also while one reloads); one
 *   decision object by one thread at a time.
 */
#ifndef STEPUP_STEPUP_C_H_
#define STEPUP_STEPUP_C_H_

#include <stddef.h>
#include <stdint.h>

#include "stepup/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum stepup_code {
  STEPUP_OK = 0,
  STEPUP_INVALID_ARGUMENT = 1,    /* A bad policy document, request or argument. */
  STEPUP_FAILED_PRECONDITION = 2, /* Not in this state (reload of an engine made from text). */
  STEPUP_UNAVAILABLE = 3,         /* An identity provider could not be reached. */
  STEPUP_OUT_OF_MEMORY = 4,
  STEPUP_INTERNAL = 5
} stepup_code;

enum { STEPUP_STATUS_MESSAGE_SIZE = 1024 };

/* What a call that failed says: filled by the library, owned by the caller. */
typedef struct stepup_status {
  stepup_code code;
  char message[STEPUP_STATUS_MESSAGE_SIZE]; /* NUL-terminated; "" on success. */
} stepup_status;

/* Bytes, not necessarily NUL-terminated. {NULL, 0} is the empty string. */
typedef struct stepup_string {
  const char* data;
  size_t size;
} stepup_string;

typedef struct stepup_header {
  stepup_string name;
  stepup_string value;
} stepup_header;

typedef struct stepup_engine stepup_engine;
typedef struct stepup_decision stepup_decision;

typedef struct stepup_engine_options {
  /* Nonzero: the engine starts no key refresh thread (threads do not
   * survive fork: a process that forks after loading, such as nginx's
   * master, makes each worker its own engine, or drives the fetches with
   * stepup_engine_run_due_key_fetches from a thread of its own). */
  int key_refresh_host_driven;
  /* Nonzero: do not fetch remote keys while loading (tokens of those
   * validators get 503 until keys arrive). */
  int start_without_keys;
  /* Nonzero: no token cache. */
  int token_cache_disabled;
  /* Top-level claims of a verified token that each decision copies, read
   * with stepup_decision_claim (nginx's $stepup_claim_NAME). The array and
   * strings are copied by create. */
  const stepup_string* decision_claims;
  size_t decision_claim_count;
} stepup_engine_options;

/* Loads and compiles a policy document from a file (relative key files
 * resolved against its folder). On success *engine is a new engine the
 * caller owns. `options` may be NULL (the defaults: a refresh thread, first
 * fetch at load, token cache on, no claims copied). */
STEPUP_EXPORT stepup_code stepup_engine_create_from_file(stepup_string path,
                                                         const stepup_engine_options* options,
                                                         stepup_engine** engine,
                                                         stepup_status* status);

/* The same from the document's text; relative key files are resolved
 * against `base_directory` (empty: the current directory). */
STEPUP_EXPORT stepup_code stepup_engine_create_from_json(stepup_string json,
                                                         stepup_string base_directory,
                                                         const stepup_engine_options* options,
                                                         stepup_engine** engine,
                                                         stepup_status* status);

/* Frees the engine (waiting for a key fetch in progress, if any). No other
 * thread may use it then. */
STEPUP_EXPORT void stepup_engine_free(stepup_engine* engine);

/* Reads the policy file again and swaps policy and keys atomically; on error
 * the engine keeps its last good state. Safe while other threads decide. */
STEPUP_EXPORT stepup_code stepup_engine_reload(stepup_engine* engine, stepup_status* status);

/* Swaps in a document given as text. Same guarantees as stepup_engine_reload. */
STEPUP_EXPORT stepup_code stepup_engine_reload_json(stepup_engine* engine, stepup_string json,
                                                    stepup_string base_directory,
                                                    stepup_status* status);

/* 1 after create, +1 per successful reload and per refreshed key set. */
STEPUP_EXPORT uint64_t stepup_engine_generation(const stepup_engine* engine);

/* For an engine made with key_refresh_host_driven: when its next key fetch
 * is due (epoch seconds; 0: at once, such as after a token with an unknown
 * kid; -1: no key comes from an identity provider). Poll at least every
 * second. */
STEPUP_EXPORT int64_t stepup_engine_next_key_fetch_at(const stepup_engine* engine);

/* For an engine made with key_refresh_host_driven: runs every key fetch due
 * now, on the calling thread (blocking: each fetch is bounded by its
 * validator's fetch_timeout_ms, three times for discovery; never call it
 * from an event loop). A changed key set is published atomically; a failed
 * fetch keeps the last good set and is retried later. Returns the first
 * fetch's error, if any. Safe while other threads decide. */
STEPUP_EXPORT stepup_code stepup_engine_run_due_key_fetches(stepup_engine* engine,
                                                            stepup_status* status);

/* For an engine made with key_refresh_host_driven: starts the engine's own
 * key refresh thread (as if made without key_refresh_host_driven), such as
 * in each process after fork; stepup_engine_free stops it. Nothing to do
 * when it runs already or no key comes from an identity provider (a reload
 * that brings one starts it then). Signals are the caller's business: the
 * thread inherits the calling thread's signal mask. */
STEPUP_EXPORT stepup_code stepup_engine_start_key_refresh(stepup_engine* engine,
                                                          stepup_status* status);

/* The engine's metrics (docs/spec.md §10) in Prometheus's text format
 * 0.0.4, written into `buffer` (up to `capacity` bytes, no NUL added).
 * Returns the text's size: when it exceeds `capacity`, the buffer holds only
 * its start; call again with a buffer that large. */
STEPUP_EXPORT size_t stepup_engine_metrics_text(const stepup_engine* engine, char* buffer,
                                                size_t capacity);

/* The metrics texts of several engines (one per nginx worker, say) merged
 * into one (stepup::merge_prometheus): counters and histograms summed,
 * gauges at their largest. Written and sized as stepup_engine_metrics_text
 * does. */
STEPUP_EXPORT size_t stepup_metrics_merge(const stepup_string* texts, size_t count, char* buffer,
                                          size_t capacity);

/* One API request. The strings and the header array are read during
 * stepup_decide only. */
typedef struct stepup_request {
  stepup_string method;
  stepup_string path; /* The request target: path and query. */
  int has_authorization;
  stepup_string authorization; /* The Authorization header's value, raw. */
  const stepup_header* headers;
  size_t header_count;
  stepup_string client_ip; /* Empty when unknown. */
  int has_now;             /* Nonzero: decide as of `now` (epoch seconds). */
  int64_t now;
} stepup_request;

/* A decision to decide into, reused call after call: once warm, a cached
 * token's decision allocates nothing. The caller owns it. NULL when memory
 * runs out. */
STEPUP_EXPORT stepup_decision* stepup_decision_new(void);
STEPUP_EXPORT void stepup_decision_free(stepup_decision* decision);

/* Decides `request` into `decision`. Never blocks. Every outcome is a
 * complete decision: STEPUP_OK, or STEPUP_OUT_OF_MEMORY with the decision
 * set fail-closed (not authorized, status 500). STEPUP_INVALID_ARGUMENT, for
 * NULL arguments or a string with NULL data and a nonzero size, leaves the
 * decision as it was. */
STEPUP_EXPORT stepup_code stepup_decide(const stepup_engine* engine, const stepup_request* request,
                                        stepup_decision* decision);

/* Reading a decision (docs/spec.md §4). The strings stay valid until the
 * next stepup_decide into it. */
STEPUP_EXPORT int stepup_decision_authorized(const stepup_decision* decision);
STEPUP_EXPORT int stepup_decision_status(const stepup_decision* decision);
/* "permit", "deny", "not-applicable" or "indeterminate". */
STEPUP_EXPORT stepup_string stepup_decision_result(const stepup_decision* decision);
/* The WWW-Authenticate value; empty when none is due. */
STEPUP_EXPORT stepup_string stepup_decision_www_authenticate(const stepup_decision* decision);
/* With status 503: the Retry-After seconds; 0 otherwise. */
STEPUP_EXPORT int64_t stepup_decision_retry_after(const stepup_decision* decision);
/* The RFC 6750 / RFC 9470 error code, such as "insufficient_user_authentication". */
STEPUP_EXPORT stepup_string stepup_decision_error(const stepup_decision* decision);
STEPUP_EXPORT stepup_string stepup_decision_error_description(const stepup_decision* decision);
/* For operators: why. Never send it to clients. */
STEPUP_EXPORT stepup_string stepup_decision_reason(const stepup_decision* decision);
/* The TokenError name (such as "Expired"); empty when the token was valid
 * or absent. */
STEPUP_EXPORT stepup_string stepup_decision_token_error(const stepup_decision* decision);
/* The verified token's `sub`; empty without one. */
STEPUP_EXPORT stepup_string stepup_decision_subject(const stepup_decision* decision);
/* The names from the root to the rule that determined the result. */
STEPUP_EXPORT size_t stepup_decision_rule_depth(const stepup_decision* decision);
STEPUP_EXPORT stepup_string stepup_decision_rule_name(const stepup_decision* decision,
                                                      size_t index);
/* The RFC 9470 step-up requirement: nonzero when the decision asks for one;
 * its acr values, most preferred first, and max_age (-1 when none). */
STEPUP_EXPORT int stepup_decision_has_step_up(const stepup_decision* decision);
STEPUP_EXPORT size_t stepup_decision_acr_value_count(const stepup_decision* decision);
STEPUP_EXPORT stepup_string stepup_decision_acr_value(const stepup_decision* decision,
                                                      size_t index);
STEPUP_EXPORT int64_t stepup_decision_max_age(const stepup_decision* decision);
/* A claim named in stepup_engine_options.decision_claims, of the token the
 * decision verified: a string claim's value, any other claim as compact
 * JSON. Nonzero when the token had it (then *value is set). */
STEPUP_EXPORT int stepup_decision_claim(const stepup_decision* decision, stepup_string name,
                                        stepup_string* value);
/* The decision's JSON form (docs/spec.md §4). */
STEPUP_EXPORT stepup_string stepup_decision_json(stepup_decision* decision);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* STEPUP_STEPUP_C_H_ */
