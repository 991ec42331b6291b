// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// The C API (include/stepup/stepup_c.h) over the C++ engine: conversions
// only, every entry point guarded so that no exception crosses into C.
#include "stepup/stepup_c.h"

#include <algorithm>
#include <cstring>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "stepup/engine.h"

struct stepup_engine {
  stepup::Engine engine;
};

struct stepup_decision {
  stepup::Decision decision;
  std::string json;  // stepup_decision_json's text, kept until the next call.
};

namespace {

bool is_valid(stepup_string text) {
  return text.data != nullptr || text.size == 0;
}

std::string_view view(stepup_string text) {
  return text.size == 0 ? std::string_view() : std::string_view(text.data, text.size);
}

stepup_string c_string(std::string_view text) {
  return {text.data(), text.size()};
}

// The message into `status`, cut with "..." when it does not fit.
stepup_code report(stepup_code code, std::string_view message, stepup_status* status) {
  if (status != nullptr) {
    status->code = code;
    constexpr std::size_t kRoom = STEPUP_STATUS_MESSAGE_SIZE - 1;
    std::size_t size = std::min(message.size(), kRoom);
    if (size > 0) std::memcpy(status->message, message.data(), size);
    if (message.size() > kRoom) std::memcpy(status->message + kRoom - 3, "...", 3);
    status->message[size] = '\0';
  }
  return code;
}

stepup_code report(const absl::Status& result, stepup_status* status) {
  stepup_code code = STEPUP_INTERNAL;
  switch (result.code()) {
    case absl::StatusCode::kOk:
      code = STEPUP_OK;
      break;
    case absl::StatusCode::kInvalidArgument:
      code = STEPUP_INVALID_ARGUMENT;
      break;
    case absl::StatusCode::kFailedPrecondition:
      code = STEPUP_FAILED_PRECONDITION;
      break;
    case absl::StatusCode::kUnavailable:
      code = STEPUP_UNAVAILABLE;
      break;
    case absl::StatusCode::kResourceExhausted:
      code = STEPUP_OUT_OF_MEMORY;
      break;
    default:
      break;
  }
  const absl::string_view message = result.message();
  return report(code, std::string_view(message.data(), message.size()), status);
}

// Runs `body`, turning any exception into a code: nothing is thrown into C.
template <typename Body>
stepup_code guarded(stepup_status* status, Body body) {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return report(STEPUP_OUT_OF_MEMORY, "out of memory", status);
  } catch (const std::exception& e) {
    return report(STEPUP_INTERNAL, e.what(), status);
  } catch (...) {
    return report(STEPUP_INTERNAL, "unexpected error", status);
  }
}

stepup_code engine_options(const stepup_engine_options* given, stepup::EngineOptions& options,
                           stepup_status* status) {
  if (given == nullptr) return STEPUP_OK;
  if (given->key_refresh_host_driven != 0) {
    options.key_refresh.mode = stepup::KeyRefreshMode::kHostDriven;
  }
  options.key_refresh.start_without_keys = given->start_without_keys != 0;
  options.token_cache.enabled = given->token_cache_disabled == 0;
  if (given->decision_claim_count > 0 && given->decision_claims == nullptr) {
    return report(STEPUP_INVALID_ARGUMENT, "decision_claims is NULL but its count is not 0",
                  status);
  }
  for (std::size_t i = 0; i < given->decision_claim_count; ++i) {
    const stepup_string name = given->decision_claims[i];
    if (!is_valid(name) || name.size == 0) {
      return report(STEPUP_INVALID_ARGUMENT,
                    "decision_claims[" + std::to_string(i) + "] is not a claim name", status);
    }
    options.decision_claims.emplace_back(view(name));
  }
  return STEPUP_OK;
}

stepup_code create(stepup::EngineOptions options, stepup_engine** engine, stepup_status* status) {
  absl::StatusOr<stepup::Engine> created = stepup::Engine::create(std::move(options));
  if (!created.ok()) return report(created.status(), status);
  *engine = new stepup_engine{*std::move(created)};
  return report(STEPUP_OK, "", status);
}

// What a decision says when the request could not even be built: refused,
// 500, nothing else (clearing allocates nothing).
void fail_closed(stepup::Decision& decision) {
  decision.result = stepup::PolicyResult::kIndeterminate;
  decision.authorized = false;
  decision.status = 500;
  decision.retry_after_seconds = 0;
  decision.www_authenticate.clear();
  decision.error.clear();
  decision.error_description.clear();
  decision.scope.clear();
  decision.step_up.reset();
  decision.reason.clear();
  decision.determining_rule.clear();
  decision.statements.clear();
  decision.token_error = stepup::TokenError::kOk;
  decision.subject.clear();
  decision.claims.clear();
  decision.explanation.reset();
}

const stepup::Decision* decision_of(const stepup_decision* decision) {
  static const stepup::Decision kEmpty;
  return decision != nullptr ? &decision->decision : &kEmpty;
}

}  // namespace

extern "C" {

stepup_code stepup_engine_create_from_file(stepup_string path, const stepup_engine_options* options,
                                           stepup_engine** engine, stepup_status* status) {
  return guarded(status, [&] {
    if (engine == nullptr || !is_valid(path) || path.size == 0) {
      return report(STEPUP_INVALID_ARGUMENT, "stepup_engine_create_from_file: no path or engine",
                    status);
    }
    *engine = nullptr;
    stepup::EngineOptions engine_options;
    engine_options.policy = stepup::PolicyFile{std::string(view(path))};
    if (stepup_code code = ::engine_options(options, engine_options, status); code != STEPUP_OK) {
      return code;
    }
    return create(std::move(engine_options), engine, status);
  });
}

stepup_code stepup_engine_create_from_json(stepup_string json, stepup_string base_directory,
                                           const stepup_engine_options* options,
                                           stepup_engine** engine, stepup_status* status) {
  return guarded(status, [&] {
    if (engine == nullptr || !is_valid(json) || !is_valid(base_directory)) {
      return report(STEPUP_INVALID_ARGUMENT, "stepup_engine_create_from_json: bad argument",
                    status);
    }
    *engine = nullptr;
    stepup::EngineOptions engine_options;
    engine_options.policy =
        stepup::PolicyText{std::string(view(json)), std::string(view(base_directory))};
    if (stepup_code code = ::engine_options(options, engine_options, status); code != STEPUP_OK) {
      return code;
    }
    return create(std::move(engine_options), engine, status);
  });
}

void stepup_engine_free(stepup_engine* engine) {
  delete engine;
}

stepup_code stepup_engine_reload(stepup_engine* engine, stepup_status* status) {
  return guarded(status, [&] {
    if (engine == nullptr) return report(STEPUP_INVALID_ARGUMENT, "no engine", status);
    return report(engine->engine.reload(), status);
  });
}

stepup_code stepup_engine_reload_json(stepup_engine* engine, stepup_string json,
                                      stepup_string base_directory, stepup_status* status) {
  return guarded(status, [&] {
    if (engine == nullptr || !is_valid(json) || !is_valid(base_directory)) {
      return report(STEPUP_INVALID_ARGUMENT, "stepup_engine_reload_json: bad argument", status);
    }
    return report(engine->engine.reload_json(view(json), std::string(view(base_directory))),
                  status);
  });
}

uint64_t stepup_engine_generation(const stepup_engine* engine) {
  return engine != nullptr ? engine->engine.generation() : 0;
}

int64_t stepup_engine_next_key_fetch_at(const stepup_engine* engine) {
  if (engine == nullptr) return -1;
  try {
    return engine->engine.next_key_fetch_at().value_or(-1);
  } catch (...) {
    return 0;  // Out of memory: asking again soon is right.
  }
}

stepup_code stepup_engine_run_due_key_fetches(stepup_engine* engine, stepup_status* status) {
  return guarded(status, [&] {
    if (engine == nullptr) return report(STEPUP_INVALID_ARGUMENT, "no engine", status);
    absl::Status first_error;
    while (const std::optional<stepup::KeyFetchJob> job = engine->engine.take_key_fetch()) {
      absl::Status finished = engine->engine.finish_key_fetch(*job, stepup::run_key_fetch(*job));
      if (first_error.ok() && !finished.ok()) first_error = std::move(finished);
    }
    return report(first_error, status);
  });
}

stepup_code stepup_engine_start_key_refresh(stepup_engine* engine, stepup_status* status) {
  return guarded(status, [&] {
    if (engine == nullptr) return report(STEPUP_INVALID_ARGUMENT, "no engine", status);
    return report(engine->engine.start_key_refresh_thread(), status);
  });
}

size_t stepup_engine_metrics_text(const stepup_engine* engine, char* buffer, size_t capacity) {
  if (engine == nullptr) return 0;
  try {
    const std::string text = stepup::render_prometheus(engine->engine.metrics());
    if (buffer != nullptr) std::memcpy(buffer, text.data(), std::min(capacity, text.size()));
    return text.size();
  } catch (...) {
    return 0;  // Out of memory: nothing to show.
  }
}

size_t stepup_metrics_merge(const stepup_string* texts, size_t count, char* buffer,
                            size_t capacity) {
  if (texts == nullptr && count > 0) return 0;
  try {
    std::vector<std::string_view> views;
    for (std::size_t i = 0; i < count; ++i) {
      if (!is_valid(texts[i])) return 0;
      views.push_back(view(texts[i]));
    }
    const std::string text = stepup::merge_prometheus(views);
    if (buffer != nullptr) std::memcpy(buffer, text.data(), std::min(capacity, text.size()));
    return text.size();
  } catch (...) {
    return 0;
  }
}

stepup_decision* stepup_decision_new(void) {
  return new (std::nothrow) stepup_decision();
}

void stepup_decision_free(stepup_decision* decision) {
  delete decision;
}

stepup_code stepup_decide(const stepup_engine* engine, const stepup_request* request,
                          stepup_decision* decision) {
  if (engine == nullptr || request == nullptr || decision == nullptr)
    return STEPUP_INVALID_ARGUMENT;
  if (!is_valid(request->method) || !is_valid(request->path) || !is_valid(request->authorization) ||
      !is_valid(request->client_ip) || (request->header_count > 0 && request->headers == nullptr)) {
    return STEPUP_INVALID_ARGUMENT;
  }
  for (std::size_t i = 0; i < request->header_count; ++i) {
    if (!is_valid(request->headers[i].name) || !is_valid(request->headers[i].value)) {
      return STEPUP_INVALID_ARGUMENT;
    }
  }
  const stepup_code code = guarded(nullptr, [&] {
    // Reused by this thread's calls: no allocation once it is large enough.
    thread_local std::vector<stepup::Header> headers;
    headers.resize(request->header_count);
    for (std::size_t i = 0; i < request->header_count; ++i) {
      headers[i] = {view(request->headers[i].name), view(request->headers[i].value)};
    }
    stepup::Request cpp_request;
    cpp_request.method = view(request->method);
    cpp_request.path = view(request->path);
    if (request->has_authorization != 0) cpp_request.authorization = view(request->authorization);
    cpp_request.headers = headers;
    cpp_request.client_ip = view(request->client_ip);
    stepup::DecideOptions options;
    if (request->has_now != 0) options.now = request->now;
    engine->engine.decide(cpp_request, options, decision->decision);  // noexcept
    return STEPUP_OK;
  });
  if (code != STEPUP_OK) fail_closed(decision->decision);
  return code;
}

int stepup_decision_authorized(const stepup_decision* decision) {
  return decision_of(decision)->authorized ? 1 : 0;
}

int stepup_decision_status(const stepup_decision* decision) {
  return decision_of(decision)->status;
}

stepup_string stepup_decision_result(const stepup_decision* decision) {
  return c_string(stepup::policy_result_name(decision_of(decision)->result));
}

stepup_string stepup_decision_www_authenticate(const stepup_decision* decision) {
  return c_string(decision_of(decision)->www_authenticate);
}

int64_t stepup_decision_retry_after(const stepup_decision* decision) {
  return decision_of(decision)->retry_after_seconds;
}

stepup_string stepup_decision_error(const stepup_decision* decision) {
  return c_string(decision_of(decision)->error);
}

stepup_string stepup_decision_error_description(const stepup_decision* decision) {
  return c_string(decision_of(decision)->error_description);
}

stepup_string stepup_decision_reason(const stepup_decision* decision) {
  return c_string(decision_of(decision)->reason);
}

stepup_string stepup_decision_token_error(const stepup_decision* decision) {
  const stepup::TokenError error = decision_of(decision)->token_error;
  return error == stepup::TokenError::kOk ? stepup_string{nullptr, 0}
                                          : c_string(stepup::token_error_name(error));
}

stepup_string stepup_decision_subject(const stepup_decision* decision) {
  return c_string(decision_of(decision)->subject);
}

size_t stepup_decision_rule_depth(const stepup_decision* decision) {
  return decision_of(decision)->determining_rule.size();
}

stepup_string stepup_decision_rule_name(const stepup_decision* decision, size_t index) {
  const std::vector<std::string>& rule = decision_of(decision)->determining_rule;
  return index < rule.size() ? c_string(rule[index]) : stepup_string{nullptr, 0};
}

int stepup_decision_has_step_up(const stepup_decision* decision) {
  return decision_of(decision)->step_up.has_value() ? 1 : 0;
}

size_t stepup_decision_acr_value_count(const stepup_decision* decision) {
  const auto& step_up = decision_of(decision)->step_up;
  return step_up ? step_up->acr_values.size() : 0;
}

stepup_string stepup_decision_acr_value(const stepup_decision* decision, size_t index) {
  const auto& step_up = decision_of(decision)->step_up;
  if (!step_up || index >= step_up->acr_values.size()) return {nullptr, 0};
  return c_string(step_up->acr_values[index]);
}

int64_t stepup_decision_max_age(const stepup_decision* decision) {
  const auto& step_up = decision_of(decision)->step_up;
  return step_up && step_up->max_age ? *step_up->max_age : -1;
}

int stepup_decision_claim(const stepup_decision* decision, stepup_string name,
                          stepup_string* value) {
  if (!is_valid(name) || value == nullptr) return 0;
  for (const auto& [claim, text] : decision_of(decision)->claims) {
    if (claim == view(name)) {
      *value = c_string(text);
      return 1;
    }
  }
  return 0;
}

stepup_string stepup_decision_json(stepup_decision* decision) {
  if (decision == nullptr) return {nullptr, 0};
  try {
    decision->json = decision->decision.to_json();
  } catch (...) {
    decision->json.clear();
  }
  return c_string(decision->json);
}

}  // extern "C"
