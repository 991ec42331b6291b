/* Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0. */
/*
 * The C API from C: every case of the example's table (examples/policy)
 * decided through stepup_decide and compared with its expected decision,
 * status and WWW-Authenticate; the step-up requirement, determining rule
 * and chosen claims read back; errors as codes with messages; reloads.
 * Exits 0 when every check holds.
 */
#define _POSIX_C_SOURCE 200809L /* nanosleep */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "example_cases.h"
#include "stepup/stepup_c.h"

static int failures = 0;

#define CHECK(condition)                                                            \
  do {                                                                              \
    if (!(condition)) {                                                             \
      ++failures;                                                                   \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
    }                                                                               \
  } while (0)

static stepup_string text(const char* s) {
  stepup_string out = {s, s == NULL ? 0 : strlen(s)};
  return out;
}

static int equals(stepup_string got, const char* expected) {
  return got.size == strlen(expected) &&
         (got.size == 0 || memcmp(got.data, expected, got.size) == 0);
}

static int contains(stepup_string haystack, const char* needle) {
  const size_t n = strlen(needle);
  for (size_t i = 0; i + n <= haystack.size; ++i) {
    if (memcmp(haystack.data + i, needle, n) == 0) return 1;
  }
  return 0;
}

static const struct example_case* find_case(const char* name) {
  for (size_t i = 0; i < sizeof example_cases / sizeof example_cases[0]; ++i) {
    if (strcmp(example_cases[i].name, name) == 0) return &example_cases[i];
  }
  fprintf(stderr, "no example case \"%s\"\n", name);
  exit(2);
}

static stepup_request request_of(const struct example_case* c) {
  stepup_request request;
  memset(&request, 0, sizeof request);
  request.method = text(c->method);
  request.path = text(c->path);
  request.has_authorization = c->authorization != NULL;
  request.authorization = text(c->authorization);
  request.client_ip = text("203.0.113.7");
  request.has_now = 1;
  request.now = EXAMPLE_NOW;
  return request;
}

/* Every case of the table, through the C API. */
static void decides_every_example_case(const stepup_engine* engine) {
  stepup_decision* decision = stepup_decision_new();
  CHECK(decision != NULL);
  for (size_t i = 0; i < sizeof example_cases / sizeof example_cases[0]; ++i) {
    const struct example_case* c = &example_cases[i];
    const stepup_request request = request_of(c);
    CHECK(stepup_decide(engine, &request, decision) == STEPUP_OK);
    const int status_ok = stepup_decision_status(decision) == atoi(c->status);
    const int result_ok = equals(stepup_decision_result(decision), c->decision);
    const int header_ok = c->www_authenticate == NULL ||
                          equals(stepup_decision_www_authenticate(decision), c->www_authenticate);
    if (!status_ok || !result_ok || !header_ok) {
      ++failures;
      fprintf(stderr, "case \"%s\": got %d, header %.*s\n", c->name,
              stepup_decision_status(decision),
              (int)stepup_decision_www_authenticate(decision).size,
              stepup_decision_www_authenticate(decision).data);
    }
    CHECK(stepup_decision_authorized(decision) == (strcmp(c->decision, "permit") == 0));
  }
  stepup_decision_free(decision);
}

/* The step-up requirement, rule, token error and claims as data. */
static void reads_the_decision_as_data(void) {
  stepup_string claims[] = {text("sub"), text("acr"), text("aud"), text("no_such_claim")};
  stepup_engine_options options;
  memset(&options, 0, sizeof options);
  options.decision_claims = claims;
  options.decision_claim_count = 4;
  stepup_engine* engine = NULL;
  stepup_status status;
  CHECK(stepup_engine_create_from_file(text(STEPUP_EXAMPLE_POLICY_DIR "/policy.json"), &options,
                                       &engine, &status) == STEPUP_OK);
  CHECK(status.code == STEPUP_OK && status.message[0] == '\0');
  if (engine == NULL) return;
  stepup_decision* decision = stepup_decision_new();

  stepup_request request = request_of(find_case("weak acr gets an acr_values challenge"));
  CHECK(stepup_decide(engine, &request, decision) == STEPUP_OK);
  CHECK(stepup_decision_status(decision) == 401);
  CHECK(equals(stepup_decision_error(decision), "insufficient_user_authentication"));
  CHECK(stepup_decision_has_step_up(decision) == 1);
  CHECK(stepup_decision_acr_value_count(decision) >= 1);
  CHECK(contains(stepup_decision_www_authenticate(decision), "acr_values=\"urn:example:mfa"));
  CHECK(equals(stepup_decision_acr_value(decision, 0), "urn:example:mfa"));
  CHECK(stepup_decision_acr_value(decision, 99).size == 0);
  CHECK(stepup_decision_max_age(decision) == -1);
  CHECK(stepup_decision_rule_depth(decision) >= 2);
  CHECK(stepup_decision_rule_name(decision, 99).size == 0);
  CHECK(equals(stepup_decision_subject(decision), "alice"));
  stepup_string value;
  CHECK(stepup_decision_claim(decision, text("sub"), &value) == 1 && equals(value, "alice"));
  CHECK(stepup_decision_claim(decision, text("acr"), &value) == 1 &&
        equals(value, "urn:example:pwd"));
  CHECK(stepup_decision_claim(decision, text("aud"), &value) == 1 &&
        equals(value, "https://api.example.com"));
  CHECK(stepup_decision_claim(decision, text("no_such_claim"), &value) == 0);
  CHECK(stepup_decision_claim(decision, text("iss"), &value) == 0); /* Not asked for. */
  CHECK(contains(stepup_decision_json(decision), "\"decision\": \"deny\""));

  request = request_of(find_case("stale authentication gets a max_age challenge"));
  CHECK(stepup_decide(engine, &request, decision) == STEPUP_OK);
  CHECK(stepup_decision_has_step_up(decision) == 1);
  CHECK(stepup_decision_max_age(decision) == 300);

  request = request_of(find_case("expired token is invalid_token"));
  CHECK(stepup_decide(engine, &request, decision) == STEPUP_OK);
  CHECK(stepup_decision_status(decision) == 401);
  CHECK(equals(stepup_decision_token_error(decision), "Expired"));
  CHECK(stepup_decision_has_step_up(decision) == 0);
  CHECK(stepup_decision_claim(decision, text("sub"), &value) == 0); /* Refused: no claims. */

  request = request_of(find_case("fresh MFA with scope is permitted"));
  CHECK(stepup_decide(engine, &request, decision) == STEPUP_OK);
  CHECK(stepup_decision_authorized(decision) == 1);
  CHECK(stepup_decision_token_error(decision).size == 0);
  CHECK(stepup_decision_www_authenticate(decision).size == 0);
  CHECK(stepup_decision_retry_after(decision) == 0);

  /* Headers reach the policy's attributes; a header array is read only. */
  stepup_header headers[2] = {{text("X-Trace"), text("a")}, {text("Accept"), text("*/*")}};
  request.headers = headers;
  request.header_count = 2;
  CHECK(stepup_decide(engine, &request, decision) == STEPUP_OK);
  CHECK(stepup_decision_authorized(decision) == 1);

  stepup_decision_free(decision);
  stepup_engine_free(engine);
}

/* Errors: codes, messages, and nothing half-done. */
static void errors_are_codes_with_messages(void) {
  stepup_engine* engine = (stepup_engine*)&failures; /* Overwritten with NULL on failure. */
  stepup_status status;
  CHECK(stepup_engine_create_from_json(text("{ broken"), text(""), NULL, &engine, &status) ==
        STEPUP_INVALID_ARGUMENT);
  CHECK(engine == NULL);
  CHECK(status.code == STEPUP_INVALID_ARGUMENT);
  CHECK(strstr(status.message, "not valid UTF-8 JSON") != NULL);

  CHECK(stepup_engine_create_from_file(text("/nonexistent/policy.json"), NULL, &engine, &status) ==
        STEPUP_INVALID_ARGUMENT);
  CHECK(strstr(status.message, "/nonexistent/policy.json") != NULL);

  /* A message longer than the buffer is cut, marked, and terminated. */
  char long_path[3000];
  memset(long_path, 'x', sizeof long_path);
  long_path[0] = '/';
  stepup_string path = {long_path, sizeof long_path};
  CHECK(stepup_engine_create_from_file(path, NULL, &engine, &status) != STEPUP_OK);
  CHECK(strlen(status.message) == STEPUP_STATUS_MESSAGE_SIZE - 1);
  CHECK(strcmp(status.message + STEPUP_STATUS_MESSAGE_SIZE - 4, "...") == 0);

  /* A status is optional. */
  CHECK(stepup_engine_create_from_json(text("[]"), text(""), NULL, &engine, NULL) ==
        STEPUP_INVALID_ARGUMENT);

  /* Bad arguments. */
  stepup_string bad = {NULL, 5};
  CHECK(stepup_engine_create_from_json(bad, text(""), NULL, &engine, &status) ==
        STEPUP_INVALID_ARGUMENT);
  CHECK(stepup_engine_create_from_file(text(""), NULL, &engine, &status) ==
        STEPUP_INVALID_ARGUMENT);
  stepup_engine_options options;
  memset(&options, 0, sizeof options);
  options.decision_claim_count = 1;
  CHECK(stepup_engine_create_from_file(text(STEPUP_EXAMPLE_POLICY_DIR "/policy.json"), &options,
                                       &engine, &status) == STEPUP_INVALID_ARGUMENT);
  CHECK(strstr(status.message, "decision_claims") != NULL);
  CHECK(stepup_decide(NULL, NULL, NULL) == STEPUP_INVALID_ARGUMENT);
  CHECK(stepup_engine_reload(NULL, &status) == STEPUP_INVALID_ARGUMENT);
  stepup_engine_free(NULL);
  stepup_decision_free(NULL);
}

/* Reloads keep the last good state. */
static void reloads(void) {
  FILE* file = fopen(STEPUP_EXAMPLE_POLICY_DIR "/policy.json", "rb");
  CHECK(file != NULL);
  if (file == NULL) return;
  static char policy[1 << 20];
  const size_t size = fread(policy, 1, sizeof policy, file);
  fclose(file);
  stepup_string json = {policy, size};
  stepup_engine* engine = NULL;
  stepup_status status;
  CHECK(stepup_engine_create_from_json(json, text(STEPUP_EXAMPLE_POLICY_DIR), NULL, &engine,
                                       &status) == STEPUP_OK);
  if (engine == NULL) return;
  CHECK(stepup_engine_generation(engine) == 1);
  CHECK(stepup_engine_reload(engine, &status) == STEPUP_FAILED_PRECONDITION);
  CHECK(strstr(status.message, "reload_json") != NULL);
  CHECK(stepup_engine_reload_json(engine, json, text(STEPUP_EXAMPLE_POLICY_DIR), &status) ==
        STEPUP_OK);
  CHECK(stepup_engine_generation(engine) == 2);
  CHECK(stepup_engine_reload_json(engine, text("{}"), text(""), &status) ==
        STEPUP_INVALID_ARGUMENT);
  CHECK(strstr(status.message, "stepup") != NULL);
  CHECK(stepup_engine_generation(engine) == 2);
  decides_every_example_case(engine); /* Still the last good policy. */
  stepup_engine_free(engine);
}

/* The metrics text: its size first, then the text, which counts the cases. */
static void reads_the_metrics(const stepup_engine* engine) {
  const size_t size = stepup_engine_metrics_text(engine, NULL, 0);
  CHECK(size > 0);
  char* text = malloc(size + 1);
  if (text == NULL) return;
  char small[16];
  CHECK(stepup_engine_metrics_text(engine, small, sizeof small) == size);
  CHECK(memcmp(small, "# HELP stepup_de", sizeof small) == 0);
  CHECK(stepup_engine_metrics_text(engine, text, size) == size);
  text[size] = '\0';
  CHECK(strstr(text, "# TYPE stepup_decisions_total counter\n") != NULL);
  CHECK(strstr(text, "stepup_decisions_total{result=\"permit\",status=\"200\",error=\"\"} ") !=
        NULL);
  CHECK(strstr(text,
               "stepup_step_up_challenges_total{rule=\"api / transfers need fresh strong "
               "authentication / strong\"} ") != NULL);
  CHECK(stepup_engine_metrics_text(NULL, text, size) == 0);
  free(text);
}

/* Host-driven key fetches: no thread of the engine's; the host runs them. */
static void host_drives_key_fetches(void) {
  /* Port 1 on loopback refuses at once: a provider that is down. */
  const char* policy =
      "{\"stepup\": 1, \"validators\": [{\"type\": \"jwt\", "
      "\"issuer\": \"https://as.example.com\", \"audience\": [\"https://api.example.com\"], "
      "\"algorithms\": [\"ES256\"], \"jwks_uri\": \"http://127.0.0.1:1/jwks\", "
      "\"allow_http_loopback\": true}], \"policy\": {\"name\": \"root\", \"rules\": "
      "[{\"name\": \"any\", \"effect\": \"permit\"}]}}";
  stepup_engine_options options;
  memset(&options, 0, sizeof options);
  options.key_refresh_host_driven = 1;
  options.start_without_keys = 1;
  stepup_engine* engine = NULL;
  stepup_status status;
  CHECK(stepup_engine_create_from_json(text(policy), text(""), &options, &engine, &status) ==
        STEPUP_OK);
  if (engine == NULL) {
    fprintf(stderr, "%s\n", status.message);
    return;
  }
  const int64_t created = stepup_engine_next_key_fetch_at(engine);
  CHECK(created >= 0);
  stepup_decision* decision = stepup_decision_new();
  const stepup_request request = request_of(find_case("fresh MFA with scope is permitted"));
  CHECK(stepup_decide(engine, &request, decision) == STEPUP_OK);
  CHECK(stepup_decision_status(decision) == 503); /* No keys yet: not judged. */
  CHECK(stepup_decision_retry_after(decision) >= 1);
  CHECK(equals(stepup_decision_token_error(decision), "KeysUnavailable"));
  CHECK(stepup_engine_next_key_fetch_at(engine) == 0); /* Asked for at once. */

  CHECK(stepup_engine_run_due_key_fetches(engine, &status) != STEPUP_OK);
  CHECK(strstr(status.message, "127.0.0.1:1") != NULL);
  CHECK(stepup_engine_next_key_fetch_at(engine) > created);               /* Retried later. */
  CHECK(stepup_engine_run_due_key_fetches(engine, &status) == STEPUP_OK); /* Nothing due. */
  CHECK(stepup_decide(engine, &request, decision) == STEPUP_OK);
  CHECK(stepup_decision_status(decision) == 503);

  /* The engine's own thread from now on (as in each nginx worker): it
   * retries the failing provider unasked, so the next fetch moves on. */
  const int64_t before_thread = stepup_engine_next_key_fetch_at(engine);
  CHECK(stepup_engine_start_key_refresh(engine, &status) == STEPUP_OK);
  CHECK(stepup_engine_start_key_refresh(engine, &status) == STEPUP_OK); /* Already running. */
  int64_t moved = before_thread;
  for (int i = 0; i < 100 && moved == before_thread; i++) {
    struct timespec pause = {0, 50 * 1000 * 1000};
    nanosleep(&pause, NULL);
    moved = stepup_engine_next_key_fetch_at(engine);
  }
  CHECK(moved > before_thread);
  CHECK(stepup_engine_start_key_refresh(NULL, &status) == STEPUP_INVALID_ARGUMENT);

  stepup_engine* local = NULL;
  CHECK(stepup_engine_create_from_file(text(STEPUP_EXAMPLE_POLICY_DIR "/policy.json"), NULL, &local,
                                       &status) == STEPUP_OK);
  CHECK(stepup_engine_next_key_fetch_at(local) == -1);                 /* No remote keys. */
  CHECK(stepup_engine_start_key_refresh(local, &status) == STEPUP_OK); /* Nothing to do. */
  stepup_engine_free(local);
  stepup_decision_free(decision);
  stepup_engine_free(engine);
}

int main(void) {
  stepup_engine* engine = NULL;
  stepup_status status;
  if (stepup_engine_create_from_file(text(STEPUP_EXAMPLE_POLICY_DIR "/policy.json"), NULL, &engine,
                                     &status) != STEPUP_OK) {
    fprintf(stderr, "the example policy did not load: %s\n", status.message);
    return 1;
  }
  decides_every_example_case(engine);
  reads_the_metrics(engine);
  stepup_engine_free(engine);
  reads_the_decision_as_data();
  errors_are_codes_with_messages();
  reloads();
  host_drives_key_fetches();
  if (failures != 0) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("capi_test: every check holds (%zu example cases)\n",
         sizeof example_cases / sizeof example_cases[0]);
  return 0;
}
